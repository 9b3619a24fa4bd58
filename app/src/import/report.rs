//! What an import could not take, given back the way the office sent it: the whole list as it
//! was read, with a reason column filled on the rows to fix, so the corrected workbook is the
//! complete list to import again (an import is all rows or none). Problems of the file as a whole
//! go on a second sheet, where they cannot be taken for rows.
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::csv::ImportProblem;
use super::table::Table;

/// The header of the added column (an import ignores columns it does not know).
pub const REASON_COLUMN: &str = "原因 / reason";

/// Excel's limit for one cell's text.
const MAX_CELL_CHARS: usize = 32_000;

/// The list with its reasons.
pub fn bad_rows_workbook(table: &Table, problems: &[ImportProblem]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    // Text format: an identity number typed again here stays text.
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("名单")?;
    let reason_col = table.headers.len() as u16;
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold)?;
    }
    sheet.write_string_with_format(0, reason_col, REASON_COLUMN, &bold)?;
    for (i, row) in table.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row.cells.iter().take(table.headers.len()).enumerate() {
            sheet.write_string_with_format(r, col as u16, cut(cell), &text)?;
        }
        let reasons: Vec<&str> = problems
            .iter()
            .filter(|p| p.line == Some(row.line))
            .map(|p| p.reason.as_str())
            .collect();
        if !reasons.is_empty() {
            let reason = format!("第 {0} 行 / line {0}: {1}", row.line, reasons.join("; "));
            sheet.write_string(r, reason_col, cut(&reason))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, table.rows.len() as u32, reason_col)?;
    sheet.set_column_width(reason_col, 60)?;
    let whole: Vec<&ImportProblem> = problems.iter().filter(|p| p.line.is_none()).collect();
    if !whole.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("文件问题")?;
        sheet.write_string_with_format(0, 0, REASON_COLUMN, &bold)?;
        for (i, problem) in whole.iter().enumerate() {
            sheet.write_string(i as u32 + 1, 0, cut(&problem.reason))?;
        }
        sheet.set_column_width(0, 80)?;
    }
    book.save_to_buffer()
}

/// A cell's text within Excel's limit, marked where it was cut.
fn cut(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(MAX_CELL_CHARS).collect();
        cut.push_str("…[cut]");
        cut
    }
}
