//! What an approval creates: the laureate, planned by the store inside its write transaction.

use super::*;

/// The laureate an approval creates: the person (or organisation), to get the honour in the batch
/// of its level and year (a new batch is created unpublished) and, for engraved honours, a wall
/// slot after the names already engraved. The store plans the records inside its transaction.
pub(crate) fn approval_plan(row: &NominationRow) -> crate::db::ApprovalPlan {
    let p = &row.packet;
    let mut people = Vec::new();
    let mut organisations = Vec::new();
    if p.candidate_kind == "person" {
        let surname: String = p
            .candidate_name
            .chars()
            .take(crate::search::pinyin::surname_len(&p.candidate_name))
            .collect();
        let person = PersonRow {
            name_engraved: p.candidate_name.clone(),
            name_correct: p.candidate_name.clone(),
            surname,
            sex: p.sex.clone(),
            ethnicity: p.ethnicity.clone(),
            birth_year: p.birth_year,
            work_unit: p.work_unit.clone(),
            post: p.post.clone(),
            industry: p.industry.clone(),
            district: p.district.clone(),
            frontline: p.frontline,
            scitech: p.scitech,
            manager: p.manager,
            deeds_short: Some(p.deeds_short.clone()).filter(|d| !d.is_empty()),
            deeds_full: Some(p.deeds_full.clone()).filter(|d| !d.is_empty()),
            ..PersonRow::default()
        };
        people.push((person, p.category.clone(), p.year));
    } else {
        let organisation = OrganisationRow {
            id: 0,
            name: p.candidate_name.clone(),
            kind: if p.candidate_kind == "team" {
                "team"
            } else {
                "organisation"
            }
            .into(),
            parent_name: p.work_unit.clone(),
            industry: p.industry.clone(),
            district: p.district.clone(),
            deeds_short: Some(p.deeds_short.clone()).filter(|d| !d.is_empty()),
            demo: false,
        };
        organisations.push((organisation, p.category.clone(), p.year));
    }
    crate::db::ApprovalPlan {
        people,
        organisations,
        plan: crate::import::csv::plan_additions,
    }
}
