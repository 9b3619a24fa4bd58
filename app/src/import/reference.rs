//! Reference data as rows: the honour categories (the list itself is `domain::honours`) and the
//! two wall sections.

use crate::db::{HonourCategoryRow, SectionRow};
use crate::domain::honours::HONOUR_CATEGORIES;

/// Both monuments were cut with the batches up to 2015 (`../shared/DOMAIN.md`).
pub const ENGRAVED_THROUGH: i64 = 2015;
pub const NATIONAL_SECTION: &str = "national";
pub const MUNICIPAL_SECTION: &str = "plaza-municipal";

pub fn honour_categories() -> Vec<HonourCategoryRow> {
    HONOUR_CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| HonourCategoryRow {
            code: c.code.to_string(),
            name_zh: c.name_zh.to_string(),
            name_en: c.name_en.to_string(),
            level: c.level.to_string(),
            recipient: c.recipient.to_string(),
            engraved: c.engraved,
            awarded_by: c.awarded_by.to_string(),
            frequency: c.frequency.to_string(),
            sort_order: i as i64 + 1,
        })
        .collect()
}

pub fn wall_sections() -> Vec<SectionRow> {
    vec![
        SectionRow {
            id: 1,
            code: MUNICIPAL_SECTION.into(),
            name_zh: "北京市劳动模范名录墙".into(),
            name_en: "Beijing Model Workers' Wall".into(),
            level: "municipal".into(),
            location_zh: "北京市劳动广场".into(),
            location_en: "Beijing Labor Plaza".into(),
            mode: "per_batch".into(),
            rows_per_stone: 24,
            names_per_row: 20,
            sort_order: 1,
            plan: None,
            engraved_through: Some(ENGRAVED_THROUGH),
        },
        SectionRow {
            id: 2,
            code: NATIONAL_SECTION.into(),
            name_zh: "全国劳动模范名录石".into(),
            name_en: "National Model Workers' Stones".into(),
            level: "national".into(),
            location_zh: "明城墙遗址公园".into(),
            location_en: "Ming City Wall Relics Park".into(),
            mode: "continuous".into(),
            rows_per_stone: 20,
            names_per_row: 13,
            sort_order: 2,
            plan: None,
            engraved_through: Some(ENGRAVED_THROUGH),
        },
    ]
}
