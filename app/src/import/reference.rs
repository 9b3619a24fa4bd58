//! Reference data: the honour categories of DOMAIN.md and the two wall sections. This is data, kept
//! in one place so an import or an admin can change it without touching logic.

use crate::db::{HonourCategoryRow, SectionRow};

pub const NATIONAL_SECTION: &str = "national";
pub const MUNICIPAL_SECTION: &str = "plaza-municipal";

pub fn honour_categories() -> Vec<HonourCategoryRow> {
    let rows: [(&str, &str, &str, &str, &str, bool, &str, &str); 11] = [
        (
            "national_model",
            "全国劳动模范",
            "National Model Worker",
            "national",
            "person",
            true,
            "中共中央、国务院",
            "every 5 years",
        ),
        (
            "national_advanced",
            "全国先进工作者",
            "National Advanced Worker",
            "national",
            "person",
            true,
            "中共中央、国务院",
            "every 5 years",
        ),
        (
            "beijing_model",
            "北京市劳动模范",
            "Beijing Model Worker",
            "municipal",
            "person",
            true,
            "北京市委、市政府",
            "every 5 years",
        ),
        (
            "beijing_advanced",
            "北京市先进工作者",
            "Beijing Advanced Worker",
            "municipal",
            "person",
            true,
            "北京市委、市政府",
            "every 5 years",
        ),
        (
            "beijing_collective",
            "北京市模范集体",
            "Beijing Model Collective",
            "municipal",
            "organisation",
            false,
            "北京市",
            "every 5 years",
        ),
        (
            "may_day_award",
            "全国五一劳动奖状",
            "National May Day Labour Award",
            "national",
            "organisation",
            false,
            "全国总工会",
            "yearly",
        ),
        (
            "may_day_medal",
            "全国五一劳动奖章",
            "National May Day Labour Medal",
            "national",
            "person",
            false,
            "全国总工会",
            "yearly",
        ),
        (
            "worker_pioneer",
            "全国工人先锋号",
            "National Workers' Pioneer",
            "national",
            "team",
            false,
            "全国总工会",
            "yearly",
        ),
        (
            "capital_award",
            "首都劳动奖状",
            "Capital Labour Award",
            "municipal",
            "organisation",
            false,
            "北京市总工会、北京市人社局",
            "yearly",
        ),
        (
            "capital_medal",
            "首都劳动奖章",
            "Capital Labour Medal",
            "municipal",
            "person",
            false,
            "北京市总工会、北京市人社局",
            "yearly",
        ),
        (
            "beijing_pioneer",
            "北京市工人先锋号",
            "Beijing Workers' Pioneer",
            "municipal",
            "team",
            false,
            "北京市总工会、北京市人社局",
            "yearly",
        ),
    ];
    rows.iter()
        .enumerate()
        .map(
            |(i, (code, zh, en, level, recipient, engraved, by, freq))| HonourCategoryRow {
                code: code.to_string(),
                name_zh: zh.to_string(),
                name_en: en.to_string(),
                level: level.to_string(),
                recipient: recipient.to_string(),
                engraved: *engraved,
                awarded_by: by.to_string(),
                frequency: freq.to_string(),
                sort_order: i as i64 + 1,
            },
        )
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
        },
    ]
}
