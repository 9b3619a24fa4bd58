//! A person's record as an import file holds it: the columns, the fields an import may change, and
//! the administrators' export in the same columns (`server export FILE.xlsx|FILE.csv`), so that an
//! exported list, edited in a spreadsheet and imported again, updates the same records.
//!
//! One row is one person with one honour: a person with two honours has two rows with the same
//! `id`. The `id` is the stable key: a row with an id updates that person; a row without one is
//! matched by its engraved name, honour and year, and added when nobody holds that honour.

use crate::db::Dataset;
pub use crate::db::PersonFields;

/// The columns of an import file and of the administrators' export, in this order.
pub const COLUMNS: [&str; 18] = [
    "id",
    "name",
    "name_correct",
    "sex",
    "ethnicity",
    "birth_year",
    "native_place",
    "political",
    "work_unit",
    "post",
    "industry",
    "district",
    "frontline",
    "scitech",
    "honour",
    "year",
    "deeds_short",
    "deeds_full",
];

/// Columns holding whole numbers (written as numbers in a workbook).
const NUMBER_COLUMNS: [&str; 3] = ["id", "birth_year", "year"];

/// Every person with each of their honours, one row each, in the import's columns: the
/// administrators' export (all the fields the records hold, published or not).
pub fn export_rows(data: &Dataset) -> Vec<[String; 18]> {
    use std::collections::HashMap;
    let mut honours: HashMap<i64, Vec<&crate::db::HonourRow>> = HashMap::new();
    for h in &data.honours {
        if let Some(person) = h.person_id {
            honours.entry(person).or_default().push(h);
        }
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let flag = |b: bool| if b { "1" } else { "0" }.to_string();
    let mut rows = Vec::with_capacity(data.honours.len());
    for person in &data.people {
        let mut held = honours.remove(&person.id).unwrap_or_default();
        held.sort_by_key(|h| (h.year, h.id));
        for honour in held {
            rows.push([
                person.id.to_string(),
                person.name_engraved.clone(),
                person.name_correct.clone(),
                text(&person.sex),
                text(&person.ethnicity),
                person.birth_year.map(|y| y.to_string()).unwrap_or_default(),
                text(&person.native_place),
                text(&person.political),
                text(&person.work_unit),
                text(&person.post),
                text(&person.industry),
                text(&person.district),
                flag(person.frontline),
                flag(person.scitech),
                honour.category.clone(),
                honour.year.to_string(),
                text(&person.deeds_short),
                text(&person.deeds_full),
            ]);
        }
    }
    rows
}

/// The export as CSV, written as the public export is (byte-order mark, CRLF, every cell quoted,
/// a cell a spreadsheet would run as a formula shown as text with a leading `'`, which the import
/// takes off again).
pub fn export_csv(rows: &[[String; 18]]) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::with_capacity(64 + rows.len() * 400);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer(out);
    writer.write_record(COLUMNS)?;
    for row in rows {
        writer.write_record(
            row.iter()
                .map(|cell| crate::laureates::export::as_text(cell)),
        )?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// The export as an Excel workbook: text cells in the text format (never formulas), numbers as
/// numbers, a bold frozen header with filters.
pub fn export_xlsx(rows: &[[String; 18]]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("记录")?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    for (col, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *name, &bold)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            if cell.is_empty() {
                continue;
            }
            match cell.parse::<f64>() {
                Ok(n) if NUMBER_COLUMNS.contains(&COLUMNS[col]) => sheet.write_number(r, c, n)?,
                _ => sheet.write_string_with_format(r, c, cell, &text)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, rows.len() as u32, COLUMNS.len() as u16 - 1)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::demo::{generate, DEFAULT_SEED};

    #[test]
    fn every_honour_of_every_person_is_a_row() {
        let data = generate(DEFAULT_SEED);
        let rows = export_rows(&data);
        let person_honours = data
            .honours
            .iter()
            .filter(|h| h.person_id.is_some())
            .count();
        assert_eq!(rows.len(), person_honours);
        let first = &data.people[0];
        let row = rows.iter().find(|r| r[0] == first.id.to_string()).unwrap();
        assert_eq!(row[1], first.name_engraved);
        assert_eq!(row[8], first.work_unit.clone().unwrap_or_default());
    }

    #[test]
    fn fields_apply_and_name_what_changed() {
        let data = generate(DEFAULT_SEED);
        let mut person = data.people[0].clone();
        let before = PersonFields::of(&person);
        let mut after = before.clone();
        after.work_unit = Some("北京新单位".into());
        after.frontline = !after.frontline;
        assert_eq!(after.changed_from(&before), ["work_unit", "frontline"]);
        after.apply_to(&mut person);
        assert_eq!(PersonFields::of(&person), after);
        assert_eq!(person.name_engraved, data.people[0].name_engraved);
    }
}
