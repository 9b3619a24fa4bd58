//! A list as offices keep it, read from CSV or from an Excel workbook into one shape: a header and
//! rows of text cells, each row with the line (CSV) or row number (Excel) a person would look for,
//! and what was wrong with its cells before any rule about records was applied.
//!
//! Excel changes what people type: an 18-digit identity number typed into a cell becomes a
//! number, kept to 15 digits and shown as 5.10322E+17. A long number in a cell is therefore
//! refused with its column, and the text form asked for; so are dates and formula errors.

/// A header and rows of trimmed text cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TableRow {
    /// The line of a CSV file or the row of a sheet, counted from 1 as the file shows it.
    pub line: usize,
    pub cells: Vec<String>,
    /// Cells that could not be read as text, named by column.
    pub problems: Vec<String>,
}

impl TableRow {
    /// The cell under a header name ("" if the column or the cell is missing).
    pub fn get<'a>(&'a self, headers: &[String], name: &str) -> &'a str {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| self.cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Numbers from this size on are not counts or years: identity, phone or account numbers that
/// Excel has stored as numbers (and may already have rounded).
const LONG_NUMBER: f64 = 1e9;

/// Files (workbooks and CSV) larger than this are refused before they are read.
pub const MAX_WORKBOOK_BYTES: usize = 20 << 20;
/// A name list has far fewer rows and columns; a sheet claiming more is refused unread.
const MAX_ROWS: u32 = 200_000;
const MAX_COLUMNS: u32 = 100;

/// The file could not be read at all (not a workbook, too large, no sheet, no header).
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum TableError {
    #[error("the file is not an Excel workbook (.xlsx) that can be read: {0}")]
    NotAWorkbook(String),
    #[error("the workbook is too large: {0}")]
    TooLarge(String),
    #[error("the workbook has no sheet")]
    NoSheet,
    #[error("line 1: cannot read the header: {0}")]
    BadHeader(String),
    #[error(
        "the file is not UTF-8 text: save it as \"CSV UTF-8\" or as an Excel workbook (.xlsx)"
    )]
    NotUtf8,
}

impl Table {
    /// Reads a file as its name (or, for a workbook, its first bytes) says: an Excel workbook, or
    /// UTF-8 CSV.
    pub fn read(file_name: &str, bytes: &[u8]) -> Result<Table, TableError> {
        let workbook =
            file_name.to_ascii_lowercase().ends_with(".xlsx") || bytes.starts_with(b"PK\x03\x04");
        if workbook {
            return Table::from_xlsx(bytes);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| TableError::NotUtf8)?;
        Table::from_csv(text)
    }

    /// Reads CSV (UTF-8; a byte-order mark, as Excel and this site's exports write, is skipped).
    pub fn from_csv(text: &str) -> Result<Table, TableError> {
        if text.len() > MAX_WORKBOOK_BYTES {
            return Err(TableError::TooLarge(format!(
                "the file is {} MB; at most {} MB",
                text.len() >> 20,
                MAX_WORKBOOK_BYTES >> 20
            )));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Rows of any length are read (so a row with a cell too many or too few keeps its cells
        // for the list of rows to fix) and then refused here, never shifted into other columns.
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| TableError::BadHeader(e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        if headers.len() > MAX_COLUMNS as usize {
            return Err(TableError::TooLarge(format!(
                "the header has {} columns; at most {MAX_COLUMNS}",
                headers.len()
            )));
        }
        let mut rows = Vec::new();
        let mut lines = LineCounter::new(text);
        for record in reader.records() {
            if rows.len() >= MAX_ROWS as usize {
                return Err(TableError::TooLarge(format!(
                    "the file has more than {MAX_ROWS} rows"
                )));
            }
            let row = match record {
                Ok(r) => {
                    let cells: Vec<String> = r
                        .iter()
                        .map(|c| without_text_guard(c).to_string())
                        .collect();
                    let problems = if cells.len() == headers.len() {
                        Vec::new()
                    } else {
                        // Cells past the header have no column in the list of rows to fix:
                        // they are named here.
                        let extra = cells.get(headers.len()..).unwrap_or_default().join(" | ");
                        vec![format!(
                            "the row has {} cells and the header {} (a comma too many or too \
                             few?){}",
                            cells.len(),
                            headers.len(),
                            if extra.is_empty() {
                                String::new()
                            } else {
                                format!(
                                    "; past the last column: {}",
                                    crate::domain::text::bounded(&extra, 200)
                                )
                            }
                        )]
                    };
                    TableRow {
                        line: lines.line_at(r.position().map_or(0, |p| p.byte() as usize)),
                        cells,
                        problems,
                    }
                }
                Err(e) => TableRow {
                    line: lines.line_at(e.position().map_or(0, |p| p.byte() as usize)),
                    cells: Vec::new(),
                    problems: vec![e.to_string()],
                },
            };
            if row.problems.is_empty() && row.cells.iter().all(String::is_empty) {
                continue;
            }
            rows.push(row);
        }
        Ok(Table { headers, rows })
    }

    /// Reads the first sheet of an Excel workbook; its first non-empty row is the header.
    ///
    /// The sheet is read cell by cell, each checked against the limits as it comes: the extent a
    /// sheet states can be missing or false, and a grid laid out from it could be of billions of
    /// cells.
    pub fn from_xlsx(bytes: &[u8]) -> Result<Table, TableError> {
        use calamine::Reader;
        use std::collections::BTreeMap;
        if bytes.len() > MAX_WORKBOOK_BYTES {
            return Err(TableError::TooLarge(format!(
                "the file is {} MB; at most {} MB",
                bytes.len() >> 20,
                MAX_WORKBOOK_BYTES >> 20
            )));
        }
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
            .map_err(|e| TableError::NotAWorkbook(e.to_string()))?;
        let first = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or(TableError::NoSheet)?;
        let mut reader = book
            .worksheet_cells_reader(&first)
            .map_err(|e| TableError::NotAWorkbook(e.to_string()))?;
        let too_far = |row: u32, column: u32| {
            TableError::TooLarge(format!(
                "the sheet reaches row {} and column {}; at most {MAX_ROWS} rows and \
                 {MAX_COLUMNS} columns (delete stray cells far below or to the right)",
                row + 1,
                column + 1
            ))
        };
        // What the sheet says of itself refuses the obvious cases before a cell is read.
        let stated = reader.dimensions();
        if stated.end.0 >= MAX_ROWS || stated.end.1 >= MAX_COLUMNS {
            return Err(too_far(stated.end.0, stated.end.1));
        }
        // Cells by row, then column; empty ones are left out.
        let mut grid: BTreeMap<u32, Vec<(u32, Cell)>> = BTreeMap::new();
        let (mut cells, mut text_bytes, mut first_column) = (0usize, 0usize, u32::MAX);
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| TableError::NotAWorkbook(e.to_string()))?
        {
            let (row, column) = cell.get_position();
            if row >= MAX_ROWS || column >= MAX_COLUMNS {
                return Err(too_far(row, column));
            }
            let Some(value) = Cell::of(cell.get_value()) else {
                continue;
            };
            cells += 1;
            text_bytes += value.len();
            if cells > MAX_CELLS || text_bytes > MAX_TEXT_BYTES {
                return Err(TableError::TooLarge(format!(
                    "the sheet holds more than {MAX_CELLS} cells or {} MB of text",
                    MAX_TEXT_BYTES >> 20
                )));
            }
            first_column = first_column.min(column);
            grid.entry(row).or_default().push((column, value));
        }
        let mut rows = grid.into_iter();
        let Some((_, header_cells)) = rows.next() else {
            return Ok(Table {
                headers: Vec::new(),
                rows: Vec::new(),
            });
        };
        // Columns count from the leftmost cell of the sheet, as a range would.
        let laid_out = |cells: Vec<(u32, Cell)>| -> Vec<Cell> {
            let width = cells
                .iter()
                .map(|(c, _)| c - first_column + 1)
                .max()
                .unwrap_or(0);
            let mut out = vec![Cell::Text(String::new()); width as usize];
            for (c, value) in cells {
                out[(c - first_column) as usize] = value;
            }
            out
        };
        let headers: Vec<String> = laid_out(header_cells)
            .into_iter()
            .map(|c| match c {
                Cell::Text(t) => t,
                // A header cell that is a number or a date is named as it reads.
                Cell::Problem(_, shown) => shown,
            })
            .collect();
        let mut table = Table {
            headers,
            rows: Vec::new(),
        };
        for (row, cells) in rows {
            // Row numbers as Excel shows them, counted from 1.
            let mut out = TableRow {
                line: row as usize + 1,
                ..TableRow::default()
            };
            for (col, cell) in laid_out(cells).into_iter().enumerate() {
                let column = table.headers.get(col).map_or("", String::as_str);
                match cell {
                    Cell::Text(text) => out.cells.push(text),
                    Cell::Problem(problem, shown) => {
                        out.problems
                            .push(format!("column {column}: {problem} (it reads {shown})"));
                        // Kept as it reads, for the list of rows to fix.
                        out.cells.push(shown);
                    }
                }
            }
            if out.problems.is_empty() && out.cells.iter().all(String::is_empty) {
                continue;
            }
            table.rows.push(out);
        }
        Ok(table)
    }
}

/// Most cells a sheet may hold (a list of 13,000 people with 18 columns is 234,000), and most
/// text in them.
const MAX_CELLS: usize = 3_000_000;
const MAX_TEXT_BYTES: usize = 64 << 20;

/// A workbook cell as the import reads it: its text, or why it cannot be taken (with how it reads).
#[derive(Clone)]
enum Cell {
    Text(String),
    Problem(&'static str, String),
}

impl Cell {
    /// `None` for an empty cell.
    fn of(value: &calamine::DataRef<'_>) -> Option<Cell> {
        use calamine::DataRef;
        let text = match value {
            DataRef::Empty => return None,
            DataRef::String(s) => without_text_guard(s.trim()).to_string(),
            DataRef::SharedString(s) => without_text_guard(s.trim()).to_string(),
            DataRef::Bool(b) => if *b { "1" } else { "0" }.to_string(),
            DataRef::Int(n) if (*n as f64).abs() < LONG_NUMBER => n.to_string(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < LONG_NUMBER => format!("{f:.0}"),
            DataRef::Float(f) if f.abs() < LONG_NUMBER => f.to_string(),
            DataRef::Int(n) => {
                return Some(Cell::Problem(LONG_NUMBER_STORED, n.to_string()));
            }
            DataRef::Float(f) => return Some(Cell::Problem(LONG_NUMBER_STORED, f.to_string())),
            DataRef::DateTime(d) => {
                return Some(Cell::Problem(
                    "a date; type the year as a number",
                    d.as_f64().to_string(),
                ))
            }
            DataRef::DateTimeIso(d) | DataRef::DurationIso(d) => {
                return Some(Cell::Problem(
                    "a date; type the year as a number",
                    d.clone(),
                ))
            }
            DataRef::Error(e) => {
                return Some(Cell::Problem("the cell shows an error", e.to_string()))
            }
        };
        Some(Cell::Text(text))
    }

    fn len(&self) -> usize {
        match self {
            Cell::Text(t) => t.len(),
            Cell::Problem(_, shown) => shown.len(),
        }
    }
}

const LONG_NUMBER_STORED: &str = "a long number stored as a number (Excel keeps 15 digits and \
    shows it like 5.10322E+17); format the column as text and type it again";

/// A cell the exports wrote with a leading `'` (so that a spreadsheet shows it as the text it is,
/// not a formula) is read back without it; any other `'` stays.
fn without_text_guard(cell: &str) -> &str {
    use crate::laureates::export::FORMULA_STARTS;
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest.starts_with(FORMULA_STARTS)
                || rest.trim_start().starts_with(FORMULA_STARTS) =>
        {
            rest
        }
        _ => cell,
    }
}

/// The line a record starts on, from its byte offset (the csv crate's own line count is one
/// short after a CRLF line end). Offsets only grow, so the text is counted once.
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: usize) -> usize {
        let mut start = byte.min(self.text.len());
        // A record's offset can point at the end of the previous line.
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.at {
            self.line += self.text[self.at..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.at = start;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exports_text_guard_is_taken_off_and_other_quotes_stay() {
        let table = Table::from_csv("a,b,c\n'=1+1,'abc,'＠x\n").unwrap();
        assert_eq!(table.rows[0].cells, ["=1+1", "'abc", "＠x"]);
    }

    #[test]
    fn csv_with_a_byte_order_mark_and_blank_lines() {
        let table = Table::from_csv("\u{feff}name,year\r\n 王芳 ,1956\r\n,\r\n李强,1977\r\n")
            .expect("read");
        assert_eq!(table.headers, vec!["name", "year"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[0].get(&table.headers, "name"), "王芳");
        assert_eq!(table.rows[1].line, 4);
        assert_eq!(table.rows[1].get(&table.headers, "missing"), "");
        // Unix line ends, and a quoted cell over two lines: lines as an editor shows them.
        let table = Table::from_csv("name,year\n\"王\n芳\",1956\n李强,1977\n").expect("read");
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[1].line, 4);
    }

    fn workbook(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        fill(book.add_worksheet());
        book.save_to_buffer().expect("saved")
    }

    #[test]
    fn a_workbook_reads_as_text_with_excel_row_numbers() {
        let bytes = workbook(|s| {
            s.write_string(0, 0, "name").unwrap();
            s.write_string(0, 1, "year").unwrap();
            s.write_string(0, 2, "frontline").unwrap();
            s.write_string(1, 0, "王芳").unwrap();
            s.write_number(1, 1, 1956.0).unwrap();
            s.write_boolean(1, 2, true).unwrap();
            // Row 3 left empty, as people leave rows.
            s.write_string(3, 0, "李强").unwrap();
            s.write_string(3, 1, "1977").unwrap();
        });
        let table = Table::from_xlsx(&bytes).expect("read");
        assert_eq!(table.headers, vec!["name", "year", "frontline"]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells, vec!["王芳", "1956", "1"]);
        assert_eq!(table.rows[0].line, 2);
        assert_eq!(table.rows[1].line, 4);
        assert!(table.rows.iter().all(|r| r.problems.is_empty()));
    }

    #[test]
    fn an_identity_number_stored_as_a_number_is_refused_by_column() {
        let bytes = workbook(|s| {
            s.write_string(0, 0, "name").unwrap();
            s.write_string(0, 1, "id_number").unwrap();
            s.write_string(1, 0, "王芳").unwrap();
            s.write_number(1, 1, 510_322_195_601_011_234.0).unwrap();
        });
        let table = Table::from_xlsx(&bytes).expect("read");
        assert_eq!(table.rows[0].problems.len(), 1);
        assert!(
            table.rows[0].problems[0].contains("column id_number")
                && table.rows[0].problems[0].contains("text"),
            "{:?}",
            table.rows[0].problems
        );
    }

    #[test]
    fn what_is_not_a_workbook_is_a_clear_error() {
        assert!(matches!(
            Table::from_xlsx(b"name,year\n"),
            Err(TableError::NotAWorkbook(_))
        ));
    }

    /// The workbook with its first sheet's stated extent replaced (as a hand-made or damaged file
    /// may have it).
    fn with_dimension(bytes: &[u8], dimension: &str) -> Vec<u8> {
        use std::io::{Read, Write};
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut file = zip.by_index(i).unwrap();
            let name = file.name().unwrap().to_string();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                let xml = String::from_utf8(content).unwrap();
                let start = xml.find("<dimension ref=\"").unwrap() + "<dimension ref=\"".len();
                let end = start + xml[start..].find('"').unwrap();
                content = format!("{}{dimension}{}", &xml[..start], &xml[end..]).into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&content).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_sheet_that_understates_its_extent_is_still_refused_at_the_stray_cell() {
        let bytes = workbook(|s| {
            s.write_string(0, 0, "name").unwrap();
            s.write_string(1, 0, "王芳").unwrap();
            s.write_string(900_000, 0, "x").unwrap();
        });
        // As written, the extent says so: refused before a cell is read.
        assert!(matches!(
            Table::from_xlsx(&bytes),
            Err(TableError::TooLarge(_))
        ));
        // Claiming one cell, it is refused when the reading comes to the stray one.
        let lying = with_dimension(&bytes, "A1");
        match Table::from_xlsx(&lying) {
            Err(TableError::TooLarge(message)) => {
                assert!(message.contains("row 900001"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        // The same lie in a small sheet changes nothing.
        let small = workbook(|s| {
            s.write_string(0, 0, "name").unwrap();
            s.write_string(1, 0, "王芳").unwrap();
        });
        let table = Table::from_xlsx(&with_dimension(&small, "A1")).unwrap();
        assert_eq!(table.rows[0].cells, vec!["王芳"]);
    }

    #[test]
    fn a_csv_row_of_the_wrong_length_is_refused_and_keeps_its_cells() {
        let table = Table::from_csv("name,year\n王芳,1956,多余\n李强\n张三,1977\n").unwrap();
        assert_eq!(table.rows[0].cells, vec!["王芳", "1956", "多余"]);
        assert!(table.rows[0].problems[0].contains("3 cells and the header 2"));
        assert!(table.rows[0].problems[0].contains("past the last column: 多余"));
        assert_eq!(table.rows[1].cells, vec!["李强"]);
        assert_eq!(table.rows[1].problems.len(), 1);
        assert!(table.rows[2].problems.is_empty());
    }
}
