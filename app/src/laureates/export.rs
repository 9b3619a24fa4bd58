//! The public list as a spreadsheet file: `/api/v1/laureates.csv` and `.xlsx`, the same filters
//! as the JSON list and only its public fields, every matching row at once.
//!
//! CSV is written for the way offices open such files: UTF-8 with a byte-order mark (without it
//! Excel reads Chinese as another code page), CRLF line ends, every cell quoted (Excel in a locale
//! that separates with `;` would otherwise split a cell there), and no cell that a spreadsheet
//! would run as a formula (a work unit starting with `=` is shown as text, prefixed with `'`, as
//! OWASP's advice on CSV injection says). The workbook holds text cells as text (never formulas),
//! numbers as numbers, a bold frozen header with filters, and columns wide enough to read.
use crate::laureates::model::LaureateSummary;

/// The header row: the JSON list's field names, so the two read alike.
pub const CSV_COLUMNS: [&str; 11] = [
    "id",
    "name",
    "pinyin",
    "work_unit",
    "honours",
    "monument",
    "stone",
    "row",
    "position",
    "url",
    "demo",
];

/// Columns holding whole numbers (written as numbers in a workbook).
const NUMBER_COLUMNS: [usize; 4] = [0, 6, 7, 8];

/// One row of the file, each cell as its plain text (empty for a missing value).
fn row(item: &LaureateSummary, base_url: &str) -> [String; 11] {
    let honours = item
        .honours
        .iter()
        .map(|h| format!("{}年{}", h.year, h.name))
        .collect::<Vec<_>>()
        .join("；");
    let place = item.wall.as_ref();
    let number = |n: Option<u16>| n.map(|n| n.to_string()).unwrap_or_default();
    [
        item.id.to_string(),
        item.name.clone(),
        item.pinyin.clone(),
        item.work_unit.clone().unwrap_or_default(),
        honours,
        place.map(|p| p.section_name_zh.clone()).unwrap_or_default(),
        number(place.map(|p| p.stone)),
        number(place.map(|p| p.row)),
        number(place.map(|p| p.position)),
        format!("{base_url}/laureates/{}", item.id),
        // Records made by the demo-data generator, as the JSON list marks them.
        item.demo.to_string(),
    ]
}

/// The CSV file for `items`; `base_url` makes each profile's address absolute.
pub fn laureates_csv(items: &[LaureateSummary], base_url: &str) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::with_capacity(64 + items.len() * 160);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    for item in items {
        let mut cells = row(item, base_url);
        for (i, cell) in cells.iter_mut().enumerate() {
            if !NUMBER_COLUMNS.contains(&i) {
                *cell = as_text(cell);
            }
        }
        writer.write_record(&cells)?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// The same list as an Excel workbook (one sheet, 名录).
pub fn laureates_xlsx(
    items: &[LaureateSummary],
    base_url: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("名录")?;
    let bold = Format::new().set_bold();
    // Text cells in the text number format ("@"): editing one that starts with "=" keeps it text.
    let text = Format::new().set_num_format("@");
    for (col, name) in CSV_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    for (i, item) in items.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row(item, base_url).iter().enumerate() {
            let col = col as u16;
            match cell.parse::<f64>() {
                Ok(n) if NUMBER_COLUMNS.contains(&(col as usize)) => {
                    sheet.write_number(r, col, n)?
                }
                // Written as a string cell: a spreadsheet shows it and never evaluates it.
                _ if !cell.is_empty() => sheet.write_string_with_format(r, col, cell, &text)?,
                _ => sheet,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, items.len() as u32, CSV_COLUMNS.len() as u16 - 1)?;
    for (col, width) in [8, 10, 16, 30, 34, 14, 6, 6, 8, 36, 6]
        .into_iter()
        .enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    workbook.save_to_buffer()
}

/// How a cell that a spreadsheet would run as a formula starts.
pub(crate) const FORMULA_STARTS: [char; 11] =
    ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];

/// A cell a spreadsheet would take for a formula (or a command, through DDE) gets a leading `'`,
/// which shows it as the text it is. Looked at after any leading white space (U+3000 included)
/// and with the full-width forms too, which some spreadsheets fold.
pub(crate) fn as_text(value: &str) -> String {
    if value.starts_with(FORMULA_STARTS) || value.trim_start().starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::laureates::model::HonourAward;
    use crate::wall::model::WallPlace;

    fn person(id: i64, name: &str, unit: Option<&str>) -> LaureateSummary {
        LaureateSummary {
            id,
            name: name.into(),
            pinyin: "wang fang".into(),
            work_unit: unit.map(Into::into),
            honours: vec![HonourAward {
                code: "beijing_model".into(),
                name: "北京市劳动模范".into(),
                name_en: "Beijing Model Worker".into(),
                level: "municipal".into(),
                year: 1956,
                engraved: true,
            }],
            wall: Some(WallPlace {
                section: "plaza-municipal".into(),
                section_name_zh: "劳动广场".into(),
                section_name_en: "Labor Plaza".into(),
                stone: 3,
                row: 12,
                position: 7,
            }),
            demo: false,
            misread: false,
        }
    }

    fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).expect("UTF-8");
        let text = text
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark first");
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("a valid row").iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn every_public_field_in_a_row_that_reads_back() {
        let file = laureates_csv(&[person(600, "王芳", Some("北京同仁医院"))], "https://x.cn")
            .expect("written");
        assert!(file.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");
        // Every cell quoted: a `;` inside one never splits it, whatever the locale.
        assert!(std::str::from_utf8(&file)
            .unwrap()
            .contains("\"600\",\"王芳\""));
        assert_eq!(
            rows(&file),
            vec![vec![
                "600",
                "王芳",
                "wang fang",
                "北京同仁医院",
                "1956年北京市劳动模范",
                "劳动广场",
                "3",
                "12",
                "7",
                "https://x.cn/laureates/600",
                "false"
            ]]
        );
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_text() {
        let hostile = [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\n=1",
            " =1+1",
            "\u{3000}=1",
            "＝1+1",
            "＠SUM(A1)",
        ];
        for unit in hostile {
            let file = laureates_csv(&[person(1, "王芳", Some(unit))], "").expect("written");
            assert_eq!(rows(&file)[0][3], format!("'{unit}"), "{unit:?}");
        }
        // Quotes, commas and line breaks stay inside their cell.
        let file = laureates_csv(&[person(1, "王芳", Some("甲,\"乙\"\n丙"))], "").expect("written");
        assert_eq!(rows(&file)[0][3], "甲,\"乙\"\n丙");
    }

    #[test]
    fn an_empty_list_is_the_header_alone() {
        let file = laureates_csv(&[], "").expect("written");
        assert!(rows(&file).is_empty());
        assert!(std::str::from_utf8(&file)
            .unwrap()
            .contains("\"id\",\"name\",\"pinyin\""));
    }

    /// The workbook's cells as calamine reads them back.
    fn sheet(bytes: Vec<u8>) -> calamine::Range<calamine::Data> {
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
        assert_eq!(book.sheet_names(), vec!["名录".to_string()]);
        book.worksheet_range("名录").expect("the sheet")
    }

    #[test]
    fn the_workbook_holds_the_same_rows_with_numbers_as_numbers() {
        use calamine::Data;
        let file = laureates_xlsx(&[person(600, "王芳", Some("北京同仁医院"))], "https://x.cn")
            .expect("written");
        let range = sheet(file);
        assert_eq!(range.get_size(), (2, 11));
        let header: Vec<String> = (0..11)
            .map(|c| range.get((0, c)).unwrap().to_string())
            .collect();
        assert_eq!(header, CSV_COLUMNS);
        assert_eq!(range.get((1, 0)), Some(&Data::Float(600.0)));
        assert_eq!(range.get((1, 1)), Some(&Data::String("王芳".into())));
        assert_eq!(
            range.get((1, 3)),
            Some(&Data::String("北京同仁医院".into()))
        );
        assert_eq!(range.get((1, 6)), Some(&Data::Float(3.0)));
        assert_eq!(
            range.get((1, 9)),
            Some(&Data::String("https://x.cn/laureates/600".into()))
        );
    }

    #[test]
    fn a_workbook_cell_that_looks_like_a_formula_is_text() {
        let file = laureates_xlsx(
            &[person(1, "王芳", Some("=HYPERLINK(\"http://evil\",\"x\")"))],
            "",
        )
        .expect("written");
        let range = sheet(file.clone());
        assert_eq!(
            range.get((1, 3)),
            Some(&calamine::Data::String(
                "=HYPERLINK(\"http://evil\",\"x\")".into()
            ))
        );
        // No formula anywhere in the sheet's XML.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(file)).expect("a zip");
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").expect("the sheet"),
            &mut xml,
        )
        .expect("UTF-8");
        assert!(!xml.contains("<f>"), "{xml}");
    }
}
