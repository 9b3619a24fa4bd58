//! Import of real name lists from CSV or Excel (`Table`, header row). All rows or none: every row is checked
//! first and every problem reported with its line; only a clean file produces additions, which the
//! data layer writes in one transaction. New names get wall slots after those already engraved
//! (`wall::layout::append_slot`), so nobody moves.
//!
//! Columns (header names; only `name`, `honour` and `year` are required):
//! name, name_correct, sex (M/F/男/女), ethnicity, birth_year, native_place, political, work_unit,
//! post, industry, district, frontline (0/1), scitech (0/1), honour (category code), year,
//! deeds_short (≤ 500 characters), deeds_full (≤ 2,000 characters).

use std::collections::{HashMap, HashSet};

use crate::domain::names::{flag, validate_name, MAX_FULL_DEEDS, MAX_SHORT_DEEDS};

use super::reference::{MUNICIPAL_SECTION, NATIONAL_SECTION};
use super::table::Table;
use crate::db::{Additions, BatchRow, Dataset, HonourRow, OrganisationRow, PersonRow, SlotRow};
use crate::search::pinyin::surname_len;
use crate::wall::layout::{append_slot, LayoutMode, SectionGeometry, Slot, TakenSlot};
use crate::wall::strokes::NameKey;

/// Plans the import of a CSV file (see `plan_table_import`).
pub fn plan_import(text: &str, existing: &Dataset) -> Result<Additions, Vec<String>> {
    let table = Table::from_csv(text).map_err(|e| vec![e.to_string()])?;
    plan_table_import(&table, existing)
        .map_err(|problems| problems.iter().map(ToString::to_string).collect())
}

/// Why a list cannot be imported: a problem of one row (its line), or of the file as a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportProblem {
    pub line: Option<usize>,
    pub reason: String,
}

impl ImportProblem {
    fn row(line: usize, reason: String) -> Self {
        ImportProblem {
            line: Some(line),
            reason,
        }
    }

    fn file(reason: impl Into<String>) -> Self {
        ImportProblem {
            line: None,
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.reason),
            None => f.write_str(&self.reason),
        }
    }
}

/// Plans the import of a list read from CSV or Excel: every row checked, every problem reported
/// with its line; additions only from a clean list.
pub fn plan_table_import(
    table: &Table,
    existing: &Dataset,
) -> Result<Additions, Vec<ImportProblem>> {
    let headers = &table.headers;
    for required in ["name", "honour", "year"] {
        if !headers.iter().any(|h| h == required) {
            return Err(vec![ImportProblem::file(format!(
                "line 1: the header has no `{required}` column"
            ))]);
        }
    }
    let categories: HashMap<&str, &crate::db::HonourCategoryRow> = existing
        .categories
        .iter()
        .map(|c| (c.code.as_str(), c))
        .collect();
    let names_by_id: HashMap<i64, &str> = existing
        .people
        .iter()
        .map(|p| (p.id, p.name_engraved.as_str()))
        .collect();
    let existing_keys: HashSet<(String, String, i32)> = existing
        .honours
        .iter()
        .filter_map(|h| {
            let name = names_by_id.get(&h.person_id?)?;
            Some((name.to_string(), h.category.clone(), h.year))
        })
        .collect();

    let mut errors = Vec::new();
    let mut rows: Vec<(PersonRow, String, i32)> = Vec::new();
    let mut seen = HashSet::new();
    for record in &table.rows {
        let line = record.line;
        let field = |name: &str| -> String { record.get(headers, name).to_string() };
        let opt = |name: &str| Some(field(name)).filter(|v| !v.is_empty());
        // A row that could not be read is reported as that, not as every rule it then breaks.
        if !record.problems.is_empty() {
            errors.push(ImportProblem::row(line, record.problems.join("; ")));
            continue;
        }
        let mut problems = Vec::new();
        let name = field("name");
        if let Err(e) = validate_name(&name) {
            problems.push(e);
        }
        let name_correct = opt("name_correct").unwrap_or_else(|| name.clone());
        if name_correct != name {
            if let Err(e) = validate_name(&name_correct) {
                problems.push(format!("name_correct: {e}"));
            }
        }
        let honour = field("honour");
        match categories.get(honour.as_str()) {
            Some(c) if c.recipient == "person" => {}
            Some(_) => problems.push(format!(
                "honour {honour:?} is for organisations, not people"
            )),
            None => problems.push(format!("unknown honour code {honour:?}")),
        }
        let year = match field("year").parse::<i32>() {
            Ok(y) if (1949..=2100).contains(&y) => y,
            _ => {
                problems.push(format!("year {:?} is not a year from 1949", field("year")));
                0
            }
        };
        let sex = match field("sex").as_str() {
            "" => None,
            "M" | "男" => Some("M".to_string()),
            "F" | "女" => Some("F".to_string()),
            other => {
                problems.push(format!("sex {other:?} must be M, F, 男 or 女"));
                None
            }
        };
        let birth_year = match opt("birth_year") {
            None => None,
            Some(v) => match v.parse::<i32>() {
                Ok(b) if (1880..=2010).contains(&b) && (year == 0 || b < year) => Some(b),
                _ => {
                    problems.push(format!("birth_year {v:?} is not plausible"));
                    None
                }
            },
        };
        let mut flags = [false; 2];
        for (slot, column) in flags.iter_mut().zip(["frontline", "scitech"]) {
            match flag(&field(column)) {
                Some(v) => *slot = v,
                None => problems.push(format!("{column} must be 0 or 1")),
            }
        }
        let deeds_short = opt("deeds_short");
        if deeds_short
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_SHORT_DEEDS)
        {
            problems.push(format!(
                "deeds_short is longer than {MAX_SHORT_DEEDS} characters"
            ));
        }
        let deeds_full = opt("deeds_full");
        if deeds_full
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_FULL_DEEDS)
        {
            problems.push(format!(
                "deeds_full is longer than {MAX_FULL_DEEDS} characters"
            ));
        }
        let key = (name.clone(), honour.clone(), year);
        if existing_keys.contains(&key) {
            problems.push(format!("{name} already holds {honour} {year}"));
        } else if !seen.insert(key) {
            problems.push(format!("{name} {honour} {year} appears twice in this file"));
        }
        if !problems.is_empty() {
            errors.push(ImportProblem::row(line, problems.join("; ")));
            continue;
        }
        let surname: String = name.chars().take(surname_len(&name)).collect();
        rows.push((
            PersonRow {
                id: 0,
                name_engraved: name,
                name_correct,
                surname,
                sex,
                ethnicity: opt("ethnicity"),
                birth_year,
                native_place: opt("native_place"),
                political: opt("political"),
                work_unit: opt("work_unit"),
                post: opt("post"),
                industry: opt("industry"),
                district: opt("district"),
                frontline: flags[0],
                scitech: flags[1],
                manager: false,
                deeds_short,
                deeds_full,
                demo: false,
            },
            honour,
            year,
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![ImportProblem::file("the file has no rows to import")]);
    }

    plan_additions(rows, Vec::new(), existing, true).map_err(|e| vec![ImportProblem::file(e)])
}

/// The batch of a level and year: an existing one, one added earlier in this plan, or a new one.
fn batch_for(
    existing: &Dataset,
    additions: &mut Additions,
    next_id: &mut i64,
    level: &str,
    year: i32,
    published: bool,
) -> i64 {
    if let Some(b) = existing
        .batches
        .iter()
        .chain(additions.batches.iter())
        .find(|b| b.level == level && b.year == year)
    {
        return b.id;
    }
    let id = *next_id;
    *next_id += 1;
    additions.batches.push(BatchRow {
        id,
        level: level.to_string(),
        year,
        seq: 1,
        published,
    });
    id
}

/// New records for people (and organisations) to add to `existing`: ids after the existing ones,
/// the batch of their level and year (created when missing, published or not as asked), and a
/// wall slot after the names already engraved. Used by the CSV import and by approvals. An honour
/// category missing from `existing` is an error, never a panic.
pub fn plan_additions(
    mut rows: Vec<(PersonRow, String, i32)>,
    organisations: Vec<(OrganisationRow, String, i32)>,
    existing: &Dataset,
    new_batches_published: bool,
) -> Result<Additions, String> {
    let categories: HashMap<&str, &crate::db::HonourCategoryRow> = existing
        .categories
        .iter()
        .map(|c| (c.code.as_str(), c))
        .collect();
    // Names of one import are engraved in wall order among themselves.
    rows.sort_by_cached_key(|(p, _, year)| (*year, NameKey::of(&p.name_engraved)));

    let next = |ids: &mut dyn Iterator<Item = i64>| ids.max().unwrap_or(0) + 1;
    let mut person_id = next(&mut existing.people.iter().map(|p| p.id));
    let mut honour_id = next(&mut existing.honours.iter().map(|h| h.id));
    let mut slot_id = next(&mut existing.slots.iter().map(|s| s.id));
    let mut batch_id = next(&mut existing.batches.iter().map(|b| b.id));
    let mut taken: HashMap<i64, Vec<TakenSlot>> = HashMap::new();
    for s in &existing.slots {
        taken.entry(s.section_id).or_default().push(TakenSlot {
            year: s.year,
            slot: Slot {
                stone: s.stone as u16,
                row: s.row_no as u16,
                position: s.position as u16,
            },
        });
    }
    let mut additions = Additions::default();
    for (mut person, honour, year) in rows {
        let category = *categories
            .get(honour.as_str())
            .ok_or_else(|| format!("unknown honour category {honour:?}"))?;
        person.id = person_id;
        person_id += 1;
        let batch = batch_for(
            existing,
            &mut additions,
            &mut batch_id,
            &category.level,
            year,
            new_batches_published,
        );
        additions.honours.push(HonourRow {
            id: honour_id,
            category: honour.clone(),
            person_id: Some(person.id),
            organisation_id: None,
            year,
            batch_id: Some(batch),
        });
        if category.engraved {
            let code = if category.level == "national" {
                NATIONAL_SECTION
            } else {
                MUNICIPAL_SECTION
            };
            if let Some(section) = existing.sections.iter().find(|s| s.code == code) {
                let geometry = SectionGeometry {
                    mode: LayoutMode::parse(&section.mode).unwrap_or(LayoutMode::StonePerBatch),
                    rows_per_stone: section.rows_per_stone as u16,
                    names_per_row: section.names_per_row as u16,
                };
                let section_taken = taken.entry(section.id).or_default();
                let slot = append_slot(&geometry, section_taken, year);
                section_taken.push(TakenSlot { year, slot });
                additions.slots.push(SlotRow {
                    id: slot_id,
                    section_id: section.id,
                    person_id: person.id,
                    honour_id,
                    year,
                    stone: slot.stone as i64,
                    row_no: slot.row as i64,
                    position: slot.position as i64,
                });
                slot_id += 1;
            }
        }
        honour_id += 1;
        additions.people.push(person);
    }
    let first_organisation_id = next(&mut existing.organisations.iter().map(|o| o.id));
    for (organisation_id, (mut organisation, honour, year)) in
        (first_organisation_id..).zip(organisations)
    {
        let level = categories
            .get(honour.as_str())
            .ok_or_else(|| format!("unknown honour category {honour:?}"))?
            .level
            .clone();
        organisation.id = organisation_id;
        let batch = batch_for(
            existing,
            &mut additions,
            &mut batch_id,
            &level,
            year,
            new_batches_published,
        );
        additions.honours.push(HonourRow {
            id: honour_id,
            category: honour,
            person_id: None,
            organisation_id: Some(organisation.id),
            year,
            batch_id: Some(batch),
        });
        honour_id += 1;
        additions.organisations.push(organisation);
    }
    Ok(additions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::demo::{generate, DEFAULT_SEED};

    fn small_existing() -> Dataset {
        let mut data = generate(DEFAULT_SEED);
        // Keep it quick: the first 500 people and what refers to them.
        let keep: HashSet<i64> = data.people.iter().take(500).map(|p| p.id).collect();
        data.people.retain(|p| keep.contains(&p.id));
        data.honours
            .retain(|h| h.person_id.is_some_and(|p| keep.contains(&p)));
        data.slots.retain(|s| keep.contains(&s.person_id));
        data.media.retain(|m| keep.contains(&m.person_id));
        data
    }

    #[test]
    fn valid_rows_get_slots_after_the_engraved_names() {
        let existing = small_existing();
        let csv = "name,sex,honour,year,work_unit\n王芳,F,beijing_model,2020,北京同仁医院\n丁一,男,beijing_model,2020,首钢总公司\n";
        let additions = plan_import(csv, &existing).expect("valid");
        assert_eq!(additions.people.len(), 2);
        // Stroke order within the import: 丁 (2) before 王 (4).
        assert_eq!(additions.people[0].name_engraved, "丁一");
        let used: HashSet<_> = existing
            .slots
            .iter()
            .map(|s| (s.section_id, s.stone, s.row_no, s.position))
            .collect();
        for s in &additions.slots {
            assert!(!used.contains(&(s.section_id, s.stone, s.row_no, s.position)));
        }
        assert_eq!(
            additions.batches.len(),
            1,
            "a 2020 municipal batch is created"
        );
        assert!(additions.people.iter().all(|p| !p.demo));
    }

    #[test]
    fn every_bad_row_is_reported_and_nothing_is_planned() {
        let existing = small_existing();
        let csv = "name,sex,honour,year,birth_year\nJohn,M,beijing_model,2020,\n王芳,X,nope,20x,\n李明,M,beijing_model,2020,2030\n";
        let errors = plan_import(csv, &existing).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("line 2:") && errors[0].contains("not a Chinese character"));
        assert!(
            errors[1].contains("sex")
                && errors[1].contains("unknown honour")
                && errors[1].contains("year")
        );
        assert!(errors[2].contains("birth_year"));
    }

    /// A workbook as an office keeps it: years as numbers, a blank row, and an identity number
    /// typed into a cell (stored as a number by Excel): nothing planned, the row named.
    #[test]
    fn an_excel_list_is_planned_like_a_csv_one_and_its_bad_rows_are_named() {
        use crate::import::table::Table;
        let existing = small_existing();
        let workbook = |id_number: Option<f64>| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let s = book.add_worksheet();
            for (col, header) in ["name", "honour", "year", "id_number"].iter().enumerate() {
                s.write_string(0, col as u16, *header).unwrap();
            }
            s.write_string(1, 0, "王芳").unwrap();
            s.write_string(1, 1, "beijing_model").unwrap();
            s.write_number(1, 2, 2020.0).unwrap();
            s.write_string(3, 0, "李明").unwrap();
            s.write_string(3, 1, "beijing_model").unwrap();
            s.write_number(3, 2, 2020.0).unwrap();
            if let Some(n) = id_number {
                s.write_number(3, 3, n).unwrap();
            }
            book.save_to_buffer().unwrap()
        };
        let table = Table::from_xlsx(&workbook(None)).unwrap();
        let additions = plan_table_import(&table, &existing).expect("a clean list");
        assert_eq!(additions.people.len(), 2);
        let table = Table::from_xlsx(&workbook(Some(110_105_195_601_011_234.0))).unwrap();
        let errors = plan_table_import(&table, &existing).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, Some(4));
        assert!(
            errors[0].to_string().starts_with("line 4:")
                && errors[0].reason.contains("column id_number"),
            "{errors:?}"
        );
        // The list comes back as a workbook: its cells as read, and the reason where to fix.
        let workbook = crate::import::report::bad_rows_workbook(&table, &errors).unwrap();
        use calamine::Reader;
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(workbook)).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        // The whole list, the reason on the row to fix only.
        assert_eq!(sheet.get_size(), (3, 5));
        assert_eq!(sheet.get((1, 0)).unwrap().to_string(), "王芳");
        assert!(sheet.get((1, 4)).is_none_or(|c| c.to_string().is_empty()));
        assert_eq!(
            sheet.get((0, 4)).unwrap().to_string(),
            crate::import::report::REASON_COLUMN
        );
        assert_eq!(sheet.get((2, 0)).unwrap().to_string(), "李明");
        assert_eq!(sheet.get((2, 2)).unwrap().to_string(), "2020");
        assert!(sheet
            .get((2, 4))
            .unwrap()
            .to_string()
            .contains("line 4: column id_number"));
    }

    #[test]
    fn missing_columns_and_duplicates() {
        let existing = small_existing();
        assert!(
            plan_import("name,year\n王芳,2020\n", &existing).unwrap_err()[0].contains("`honour`")
        );
        let dup = "name,honour,year\n王芳,beijing_model,2020\n王芳,beijing_model,2020\n";
        assert!(plan_import(dup, &existing).unwrap_err()[0].contains("twice"));
        let first = &existing.people[0];
        let year = existing
            .honours
            .iter()
            .find(|h| h.person_id == Some(first.id))
            .unwrap()
            .year;
        let again = format!(
            "name,honour,year\n{},{},{}\n",
            first.name_engraved,
            existing
                .honours
                .iter()
                .find(|h| h.person_id == Some(first.id))
                .unwrap()
                .category,
            year
        );
        assert!(plan_import(&again, &existing).unwrap_err()[0].contains("already holds"));
    }
}
