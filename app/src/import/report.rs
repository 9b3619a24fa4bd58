//! What an import could not take, given back the way the office sent it: a workbook of the bad
//! rows, their own columns as they were read and a reason column, to fix and import again.
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::csv::ImportProblem;
use super::table::Table;

/// The header of the added column.
pub const REASON_COLUMN: &str = "原因 / reason";

/// The bad rows of `table` in a workbook; problems of the file as a whole come first, as rows
/// holding only their reason.
pub fn bad_rows_workbook(table: &Table, problems: &[ImportProblem]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("有误的行")?;
    let bold = Format::new().set_bold();
    // Text format: an identity number typed again here stays text.
    let text = Format::new().set_num_format("@");
    let reason_col = table.headers.len() as u16;
    for (col, header) in table.headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold)?;
    }
    sheet.write_string_with_format(0, reason_col, REASON_COLUMN, &bold)?;
    let mut r = 1u32;
    for problem in problems.iter().filter(|p| p.line.is_none()) {
        sheet.write_string(r, reason_col, &problem.reason)?;
        r += 1;
    }
    for row in &table.rows {
        let reasons: Vec<&str> = problems
            .iter()
            .filter(|p| p.line == Some(row.line))
            .map(|p| p.reason.as_str())
            .collect();
        if reasons.is_empty() {
            continue;
        }
        for (col, cell) in row.cells.iter().enumerate() {
            sheet.write_string_with_format(r, col as u16, cell, &text)?;
        }
        sheet.write_string(
            r,
            reason_col,
            format!(
                "第 {} 行 / line {}: {}",
                row.line,
                row.line,
                reasons.join("; ")
            ),
        )?;
        r += 1;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(reason_col, 60)?;
    book.save_to_buffer()
}
