//! Import of real name lists from CSV or Excel (`Table`, header row). All rows or none: every row is checked
//! first and every problem reported with its line; only a clean file produces additions, which the
//! data layer writes in one transaction. New names get wall slots after those already engraved
//! (`wall::layout::Appender`), so nobody moves.
//!
//! Columns (header names; only `name`, `honour` and `year` are required):
//! name, name_correct, sex (M/F/男/女), ethnicity, birth_year, native_place, political, work_unit,
//! post, industry, district, frontline (0/1), scitech (0/1), honour (category code), year,
//! deeds_short (≤ 500 characters), deeds_full (≤ 2,000 characters).

use std::collections::HashMap;

use crate::domain::names::{flag, validate_name, MAX_FULL_DEEDS, MAX_SHORT_DEEDS};

use super::records::PersonFields;
use super::reference::{MUNICIPAL_SECTION, NATIONAL_SECTION};
use super::table::Table;
use crate::db::{Additions, BatchRow, Dataset, HonourRow, OrganisationRow, PersonRow, SlotRow};
use crate::search::pinyin::surname_len;
use crate::wall::layout::{Appender, LayoutMode, SectionGeometry, Slot};
use crate::wall::strokes::NameKey;

/// Plans the additions of a CSV file of new people (see `plan_table_import`).
pub fn plan_import(text: &str, existing: &Dataset) -> Result<Additions, Vec<String>> {
    let table = Table::from_csv(text).map_err(|e| vec![e.to_string()])?;
    plan_table_import(&table, existing)
        .map(|plan| plan.additions)
        .map_err(|refusal| refusal.problems.iter().map(ToString::to_string).collect())
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

/// What an import would do: people to add (with their honours and wall places), recorded people
/// whose fields change, and how the rows fall.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportPlan {
    pub additions: Additions,
    pub updates: Vec<PersonUpdate>,
    pub counts: RowCounts,
}

/// A recorded person's fields before and after the import (`line`: the first row naming them).
#[derive(Clone, Debug, PartialEq)]
pub struct PersonUpdate {
    pub person_id: i64,
    pub line: usize,
    /// As engraved.
    pub name: String,
    pub before: PersonFields,
    pub after: PersonFields,
}

/// How the rows of a file fall: new people, recorded people changed, rows that change nothing,
/// rows with a problem.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub bad: usize,
}

impl std::fmt::Display for RowCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "新增 {} · 更新 {} · 不变 {} · 有误 {} (added {}, updated {}, unchanged {}, with problems {})",
            self.added,
            self.updated,
            self.unchanged,
            self.bad,
            self.added,
            self.updated,
            self.unchanged,
            self.bad
        )
    }
}

/// An import that cannot go ahead: every problem, and how the rows fell.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRefusal {
    pub problems: Vec<ImportProblem>,
    pub counts: RowCounts,
}

/// Plans the import of a list read from CSV or Excel: every row checked, every problem reported
/// with its line; a plan only from a clean list.
///
/// A row with an `id` updates that recorded person; a row without one is matched by engraved
/// name, honour and year, and adds a person when nobody holds that honour. A column the file does
/// not have leaves the field as it is; an empty cell in a column it has empties the field.
pub fn plan_table_import(table: &Table, existing: &Dataset) -> Result<ImportPlan, ImportRefusal> {
    let refuse = |problem: ImportProblem| ImportRefusal {
        problems: vec![problem],
        counts: RowCounts::default(),
    };
    let headers = &table.headers;
    for required in ["name", "honour", "year"] {
        if !headers.iter().any(|h| h == required) {
            return Err(refuse(ImportProblem::file(format!(
                "line 1: the header has no `{required}` column"
            ))));
        }
    }
    let has = |column: &str| headers.iter().any(|h| h == column);
    let categories: HashMap<&str, &crate::db::HonourCategoryRow> = existing
        .categories
        .iter()
        .map(|c| (c.code.as_str(), c))
        .collect();
    let people: HashMap<i64, &PersonRow> = existing.people.iter().map(|p| (p.id, p)).collect();
    // Who holds which honour of which year, by engraved name: how a row without an id finds its
    // person. (Namesakes in one batch happen: such a row must give its id.)
    let mut holders: HashMap<(&str, &str, i32), Vec<i64>> = HashMap::new();
    for h in &existing.honours {
        if let Some(person) = h.person_id.and_then(|id| people.get(&id)) {
            holders
                .entry((person.name_engraved.as_str(), h.category.as_str(), h.year))
                .or_default()
                .push(person.id);
        }
    }

    let mut counts = RowCounts::default();
    let mut errors = Vec::new();
    let mut rows: Vec<(PersonRow, String, i32)> = Vec::new();
    let mut updates: Vec<PersonUpdate> = Vec::new();
    // The first line of each new person's key, and of each recorded person named.
    let mut new_keys: HashMap<(String, String, i32), usize> = HashMap::new();
    let mut matched: HashMap<i64, (usize, PersonFields)> = HashMap::new();
    for record in &table.rows {
        let line = record.line;
        let field = |name: &str| -> String { record.get(headers, name).to_string() };
        // A row that could not be read is reported as that, not as every rule it then breaks.
        if !record.problems.is_empty() {
            errors.push(ImportProblem::row(line, record.problems.join("; ")));
            counts.bad += 1;
            continue;
        }
        let mut problems = Vec::new();
        let name = field("name");
        if let Err(e) = validate_name(&name) {
            problems.push(e);
        }
        let honour = field("honour");
        match categories.get(honour.as_str()) {
            Some(c) if c.recipient == "person" => {}
            Some(_) => problems.push(format!(
                "honour {} is for organisations, not people",
                shown(&honour)
            )),
            None => problems.push(format!("unknown honour code {}", shown(&honour))),
        }
        let year = match field("year").parse::<i32>() {
            Ok(y) if (1949..=2100).contains(&y) => y,
            _ => {
                problems.push(format!(
                    "year {} is not a year from 1949",
                    shown(&field("year"))
                ));
                0
            }
        };
        // The recorded person this row is about, if any.
        let id = field("id");
        let holding = holders.get(&(name.as_str(), honour.as_str(), year));
        let recorded: Option<&PersonRow> = if id.is_empty() {
            match holding.map(Vec::as_slice) {
                None | Some([]) => None,
                Some([one]) => people.get(one).copied(),
                Some(several) => {
                    problems.push(format!(
                        "{} recorded people are engraved as {name} with {honour} of {year}: \
                         give the id of the one meant",
                        several.len()
                    ));
                    None
                }
            }
        } else {
            match id.parse::<i64>().ok().and_then(|id| people.get(&id)) {
                None => {
                    problems.push(format!(
                        "id {} is no recorded person (leave id empty to add someone new)",
                        shown(&id)
                    ));
                    None
                }
                Some(person) => {
                    if person.name_engraved != name {
                        problems.push(format!(
                            "person {id} is engraved as {:?}, not {name:?}: the engraved name \
                             is changed only through the errata list; put the right name in \
                             name_correct",
                            person.name_engraved
                        ));
                    } else if year != 0 && !holding.is_some_and(|ids| ids.contains(&person.id)) {
                        problems.push(format!(
                            "person {id} holds no {honour} of {year}: honours are added through \
                             a nomination, not an import"
                        ));
                    }
                    Some(*person)
                }
            }
        };
        let base = match recorded {
            Some(person) => PersonFields::of(person),
            None => PersonFields {
                name_correct: name.clone(),
                ..PersonFields::default()
            },
        };
        let fields = read_fields(&field, &has, base, &name, year, &mut problems);
        if problems.is_empty() {
            match recorded {
                Some(person) => match matched.get(&person.id) {
                    Some((first, earlier)) if *earlier != fields => problems.push(format!(
                        "person {} is also on line {first} with other values: each of a \
                         person's rows must say the same",
                        person.id
                    )),
                    _ => {}
                },
                None => {
                    let key = (name.clone(), honour.clone(), year);
                    if let Some(first) = new_keys.get(&key) {
                        problems.push(format!("{name} {honour} {year} is also on line {first}"));
                    }
                }
            }
        }
        if !problems.is_empty() {
            errors.push(ImportProblem::row(line, problems.join("; ")));
            counts.bad += 1;
            continue;
        }
        match recorded {
            Some(person) => {
                let before = PersonFields::of(person);
                if fields == before {
                    counts.unchanged += 1;
                } else {
                    counts.updated += 1;
                    if !matched.contains_key(&person.id) {
                        updates.push(PersonUpdate {
                            person_id: person.id,
                            line,
                            name: person.name_engraved.clone(),
                            before,
                            after: fields.clone(),
                        });
                    }
                }
                matched.entry(person.id).or_insert((line, fields));
            }
            None => {
                counts.added += 1;
                new_keys.insert((name.clone(), honour.clone(), year), line);
                let surname: String = name.chars().take(surname_len(&name)).collect();
                let mut person = PersonRow {
                    name_engraved: name,
                    surname,
                    ..PersonRow::default()
                };
                fields.apply_to(&mut person);
                rows.push((person, honour, year));
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportRefusal {
            problems: errors,
            counts,
        });
    }
    if table.rows.is_empty() {
        return Err(refuse(ImportProblem::file(
            "the file has no rows to import",
        )));
    }
    let additions =
        plan_additions(rows, Vec::new(), existing, AdditionRules::IMPORT).map_err(|e| {
            ImportRefusal {
                problems: vec![ImportProblem::file(e)],
                counts,
            }
        })?;
    Ok(ImportPlan {
        additions,
        updates,
        counts,
    })
}

/// A cell's value quoted in a problem, cut short: a report lists many.
fn shown(value: &str) -> String {
    format!("{:?}", crate::domain::text::bounded(value, 40))
}

/// Most characters of a short text field (a work unit, a post, a place).
pub const MAX_TEXT_FIELD: usize = 100;

/// A row's fields: each column the file has, checked; each it has not, as `base` has it.
fn read_fields(
    field: &dyn Fn(&str) -> String,
    has: &dyn Fn(&str) -> bool,
    base: PersonFields,
    name: &str,
    year: i32,
    problems: &mut Vec<String>,
) -> PersonFields {
    let mut fields = base;
    let text = |column: &str, kept: &Option<String>| -> Option<String> {
        if has(column) {
            Some(field(column)).filter(|v| !v.is_empty())
        } else {
            kept.clone()
        }
    };
    if has("name_correct") {
        let correct = field("name_correct");
        fields.name_correct = if correct.is_empty() {
            name.to_string()
        } else {
            correct
        };
        if fields.name_correct != name {
            if let Err(e) = validate_name(&fields.name_correct) {
                problems.push(format!("name_correct: {e}"));
            }
        }
    }
    if has("sex") {
        fields.sex = match field("sex").as_str() {
            "" => None,
            "M" | "男" => Some("M".to_string()),
            "F" | "女" => Some("F".to_string()),
            other => {
                problems.push(format!("sex {} must be M, F, 男 or 女", shown(other)));
                None
            }
        };
    }
    if has("birth_year") {
        fields.birth_year = match Some(field("birth_year")).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => match v.parse::<i32>() {
                Ok(b) if (1880..=2010).contains(&b) && (year == 0 || b < year) => Some(b),
                _ => {
                    problems.push(format!("birth_year {} is not plausible", shown(&v)));
                    None
                }
            },
        };
    }
    fields.ethnicity = text("ethnicity", &fields.ethnicity);
    fields.native_place = text("native_place", &fields.native_place);
    fields.political = text("political", &fields.political);
    fields.work_unit = text("work_unit", &fields.work_unit);
    fields.post = text("post", &fields.post);
    fields.industry = text("industry", &fields.industry);
    fields.district = text("district", &fields.district);
    for column in ["frontline", "scitech"] {
        if !has(column) {
            continue;
        }
        match flag(&field(column)) {
            Some(v) if column == "frontline" => fields.frontline = v,
            Some(v) => fields.scitech = v,
            None => problems.push(format!("{column} must be 0 or 1")),
        }
    }
    for (column, value) in [
        ("ethnicity", &fields.ethnicity),
        ("native_place", &fields.native_place),
        ("political", &fields.political),
        ("work_unit", &fields.work_unit),
        ("post", &fields.post),
        ("industry", &fields.industry),
        ("district", &fields.district),
    ] {
        let Some(value) = value.as_deref().filter(|_| has(column)) else {
            continue;
        };
        if value.chars().count() > MAX_TEXT_FIELD {
            problems.push(format!(
                "{column} is longer than {MAX_TEXT_FIELD} characters"
            ));
        }
        if value.chars().any(char::is_control) {
            problems.push(format!("{column} holds a control character"));
        }
    }
    fields.deeds_short = text("deeds_short", &fields.deeds_short);
    if fields
        .deeds_short
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_SHORT_DEEDS)
    {
        problems.push(format!(
            "deeds_short is longer than {MAX_SHORT_DEEDS} characters"
        ));
    }
    fields.deeds_full = text("deeds_full", &fields.deeds_full);
    for (column, value) in [
        ("deeds_short", &fields.deeds_short),
        ("deeds_full", &fields.deeds_full),
    ] {
        // Paragraphs keep their line breaks; nothing else invisible.
        let control = |c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t');
        if has(column) && value.as_deref().is_some_and(|v| v.chars().any(control)) {
            problems.push(format!("{column} holds a control character"));
        }
    }
    if fields
        .deeds_full
        .as_ref()
        .is_some_and(|d| d.chars().count() > MAX_FULL_DEEDS)
    {
        problems.push(format!(
            "deeds_full is longer than {MAX_FULL_DEEDS} characters"
        ));
    }
    fields
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

/// How new records are added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdditionRules {
    /// A batch the additions need that does not exist yet is created published.
    pub new_batches_published: bool,
    /// A list may be the first load of names the stones already carry (see
    /// [`is_cut_with_its_year`]); an approval never is: its names are new to the stones.
    pub first_load_is_cut: bool,
}

impl AdditionRules {
    pub const IMPORT: AdditionRules = AdditionRules {
        new_batches_published: true,
        first_load_is_cut: true,
    };
    pub const APPROVAL: AdditionRules = AdditionRules {
        new_batches_published: false,
        first_load_is_cut: false,
    };
}

/// Whether a name placed now is taken as cut into the stone: only when its year is one the
/// monument's stones were cut with and the stones carry no name of that year yet, which is the
/// first load of a list whose stones stand. A name added late to a year already cut, or from a
/// year after the last cutting, is planned ("not yet engraved").
fn is_cut_with_its_year(
    section: &crate::db::SectionRow,
    year: i32,
    years_on_stones: &std::collections::HashSet<(i64, i32)>,
) -> bool {
    section
        .engraved_through
        .is_none_or(|through| i64::from(year) <= through)
        && !years_on_stones.contains(&(section.id, year))
}

/// New records for people (and organisations) to add to `existing`: ids after the existing ones,
/// the batch of their level and year (created when missing, published or not as asked), and a
/// wall slot after the names already engraved. Used by the CSV import and by approvals. An honour
/// category missing from `existing` is an error, never a panic.
pub fn plan_additions(
    mut rows: Vec<(PersonRow, String, i32)>,
    organisations: Vec<(OrganisationRow, String, i32)>,
    existing: &Dataset,
    rules: AdditionRules,
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
    let mut taken: HashMap<i64, Appender> = HashMap::new();
    for s in &existing.slots {
        taken.entry(s.section_id).or_default().take(
            s.year,
            Slot {
                stone: s.stone as u16,
                row: s.row_no as u16,
                position: s.position as u16,
            },
        );
    }
    // A year the stones already carry was cut without the names added now: those are planned.
    let years_on_stones: std::collections::HashSet<(i64, i32)> = existing
        .slots
        .iter()
        .filter(|s| s.engraved)
        .map(|s| (s.section_id, s.year))
        .collect();
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
            rules.new_batches_published,
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
                let slot = taken.entry(section.id).or_default().append(&geometry, year);
                additions.slots.push(SlotRow {
                    id: slot_id,
                    section_id: section.id,
                    person_id: person.id,
                    honour_id,
                    year,
                    stone: slot.stone as i64,
                    row_no: slot.row as i64,
                    position: slot.position as i64,
                    engraved: rules.first_load_is_cut
                        && is_cut_with_its_year(section, year, &years_on_stones),
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
            rules.new_batches_published,
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
    use crate::db::HonourRow;
    use crate::import::demo::{generate, DEFAULT_SEED};
    use std::collections::HashSet;

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

    /// Only the first load of a year the stones were cut with is taken as engraved: a name added
    /// late to a year already on the stones, or from a year after the last cutting, is planned.
    #[test]
    fn names_placed_after_a_cutting_are_planned() {
        // The people of the first municipal year only: quick, and most years are free.
        let mut existing = generate(DEFAULT_SEED);
        let municipal = existing
            .sections
            .iter()
            .find(|s| s.code == MUNICIPAL_SECTION)
            .unwrap()
            .id;
        let first = existing
            .slots
            .iter()
            .filter(|s| s.section_id == municipal)
            .map(|s| s.year)
            .min()
            .unwrap();
        let keep: HashSet<i64> = existing
            .slots
            .iter()
            .filter(|s| s.section_id == municipal && s.year == first)
            .map(|s| s.person_id)
            .collect();
        existing.people.retain(|p| keep.contains(&p.id));
        existing
            .honours
            .retain(|h| h.person_id.is_some_and(|p| keep.contains(&p)));
        existing.slots.retain(|s| keep.contains(&s.person_id));
        existing.media.retain(|m| keep.contains(&m.person_id));
        let on_stones: HashSet<i32> = existing
            .slots
            .iter()
            .filter(|s| s.section_id == municipal)
            .map(|s| s.year)
            .collect();
        let cut_year = *on_stones.iter().min().unwrap();
        let fresh_year = (1953..=2015).find(|y| !on_stones.contains(y)).unwrap();
        let csv = format!(
            "name,honour,year\n丁一,beijing_model,{cut_year}\n丁二,beijing_model,{fresh_year}\n丁三,beijing_model,2020\n"
        );
        let additions = plan_import(&csv, &existing).expect("valid");
        let engraved = |name: &str| {
            let person = additions
                .people
                .iter()
                .find(|p| p.name_engraved == name)
                .unwrap();
            additions
                .slots
                .iter()
                .find(|s| s.person_id == person.id)
                .unwrap()
                .engraved
        };
        assert!(!engraved("丁一"), "added late to {cut_year}, already cut");
        assert!(
            engraved("丁二"),
            "{fresh_year}: the first load of a year cut (up to 2015)"
        );
        assert!(!engraved("丁三"), "2020: after the last cutting");
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
        let plan = plan_table_import(&table, &existing).expect("a clean list");
        assert_eq!(plan.additions.people.len(), 2);
        let table = Table::from_xlsx(&workbook(Some(110_105_195_601_011_234.0))).unwrap();
        let errors = plan_table_import(&table, &existing).unwrap_err().problems;
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
    fn missing_columns_and_duplicates_naming_the_first_line() {
        let existing = small_existing();
        assert!(
            plan_import("name,year\n王芳,2020\n", &existing).unwrap_err()[0].contains("`honour`")
        );
        let dup = "name,honour,year\n王芳,beijing_model,2020\n王芳,beijing_model,2020\n";
        let errors = plan_import(dup, &existing).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("line 3:") && errors[0].contains("also on line 2"));
    }

    /// The first person of the small data set, with one of their honours.
    fn someone(existing: &Dataset) -> (PersonRow, HonourRow) {
        let person = existing.people[0].clone();
        let honour = existing
            .honours
            .iter()
            .find(|h| h.person_id == Some(person.id))
            .unwrap()
            .clone();
        (person, honour)
    }

    fn planned(csv: &str, existing: &Dataset) -> Result<ImportPlan, ImportRefusal> {
        plan_table_import(&Table::from_csv(csv).unwrap(), existing)
    }

    #[test]
    fn a_row_with_an_id_updates_that_person_and_keeps_the_columns_it_lacks() {
        let existing = small_existing();
        let (p, h) = someone(&existing);
        let csv = format!(
            "id,name,honour,year,work_unit\n{},{},{},{},北京新单位\n",
            p.id, p.name_engraved, h.category, h.year
        );
        let plan = planned(&csv, &existing).unwrap();
        assert_eq!(
            plan.counts,
            RowCounts {
                updated: 1,
                ..RowCounts::default()
            }
        );
        assert!(plan.additions.people.is_empty());
        let update = &plan.updates[0];
        assert_eq!((update.person_id, update.line), (p.id, 2));
        assert_eq!(update.before, PersonFields::of(&p));
        assert_eq!(update.after.work_unit.as_deref(), Some("北京新单位"));
        assert_eq!(update.after.changed_from(&update.before), ["work_unit"]);
    }

    #[test]
    fn a_row_as_recorded_is_unchanged_and_an_empty_cell_empties() {
        let existing = small_existing();
        let (p, h) = someone(&existing);
        // Found without an id too: by engraved name, honour and year.
        let same = format!(
            "name,honour,year,work_unit\n{},{},{},{}\n",
            p.name_engraved,
            h.category,
            h.year,
            p.work_unit.clone().unwrap_or_default()
        );
        let plan = planned(&same, &existing).unwrap();
        assert_eq!(
            plan.counts,
            RowCounts {
                unchanged: 1,
                ..RowCounts::default()
            }
        );
        assert!(plan.updates.is_empty() && plan.additions.people.is_empty());
        let emptied = format!(
            "id,name,honour,year,post\n{},{},{},{},\n",
            p.id, p.name_engraved, h.category, h.year
        );
        let plan = planned(&emptied, &existing).unwrap();
        assert!(p.post.is_some(), "the demo person has a post");
        assert_eq!(plan.updates[0].after.post, None);
    }

    #[test]
    fn an_import_changes_neither_the_engraved_name_nor_the_honours() {
        let existing = small_existing();
        let (p, h) = someone(&existing);
        let renamed = format!(
            "id,name,honour,year\n{},王某某,{},{}\n",
            p.id, h.category, h.year
        );
        let refusal = planned(&renamed, &existing).unwrap_err();
        assert!(refusal.problems[0].reason.contains("errata"), "{refusal:?}");
        assert_eq!(refusal.counts.bad, 1);
        let other_year = format!(
            "id,name,honour,year\n{},{},{},2021\n",
            p.id, p.name_engraved, h.category
        );
        assert!(planned(&other_year, &existing).unwrap_err().problems[0]
            .reason
            .contains("nomination"));
        let unknown = "id,name,honour,year\n99999999,王芳,beijing_model,2020\n";
        assert!(planned(unknown, &existing).unwrap_err().problems[0]
            .reason
            .contains("no recorded person"));
    }

    #[test]
    fn a_persons_rows_must_agree() {
        let existing = small_existing();
        let (p, h) = someone(&existing);
        let csv = format!(
            "id,name,honour,year,work_unit\n{id},{n},{c},{y},甲单位\n{id},{n},{c},{y},乙单位\n",
            id = p.id,
            n = p.name_engraved,
            c = h.category,
            y = h.year
        );
        let refusal = planned(&csv, &existing).unwrap_err();
        assert_eq!(refusal.problems.len(), 1);
        assert_eq!(refusal.problems[0].line, Some(3));
        assert!(refusal.problems[0].reason.contains("also on line 2"));
    }

    #[test]
    fn the_export_imports_again_changing_nothing() {
        let existing = small_existing();
        let rows = crate::import::records::export_rows(&existing);
        let csv = crate::import::records::export_csv(&rows).unwrap();
        let table = Table::from_csv(std::str::from_utf8(&csv).unwrap()).unwrap();
        let plan = plan_table_import(&table, &existing).unwrap();
        assert_eq!(
            plan.counts,
            RowCounts {
                unchanged: rows.len(),
                ..RowCounts::default()
            }
        );
        let xlsx = crate::import::records::export_xlsx(&rows).unwrap();
        let plan = plan_table_import(&Table::from_xlsx(&xlsx).unwrap(), &existing).unwrap();
        assert_eq!(plan.counts.unchanged, rows.len());
    }

    #[test]
    fn text_fields_are_bounded_and_quoted_values_cut_short() {
        let existing = small_existing();
        let csv = format!(
            "name,honour,year,work_unit,post\n王芳,beijing_model,2031,{},a\u{0}b\n李强,{},2031,,\n",
            "长".repeat(MAX_TEXT_FIELD + 1),
            "x".repeat(5_000)
        );
        let refusal = planned(&csv, &existing).unwrap_err();
        let first = &refusal.problems[0].reason;
        assert!(
            first.contains("work_unit is longer")
                && first.contains("post holds a control character"),
            "{first}"
        );
        assert!(
            refusal.problems[1].reason.len() < 200,
            "{:?}",
            refusal.problems[1]
        );
    }
}
