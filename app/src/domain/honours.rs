//! The honour categories of DOMAIN.md: the one list. The database's `honour_categories` table is
//! brought in line with it at every start (see the stores' `migrate`), and forms, the packet
//! parser, imports and approvals all read it from here, so the two can never disagree.

/// One kind of honour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HonourCategory {
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// `national` or `municipal`.
    pub level: &'static str,
    /// `person`, `organisation` or `team`.
    pub recipient: &'static str,
    /// Whether its holders' names are engraved on the wall.
    pub engraved: bool,
    pub awarded_by: &'static str,
    pub frequency: &'static str,
}

pub const HONOUR_CATEGORIES: [HonourCategory; 11] = [
    HonourCategory {
        code: "national_model",
        name_zh: "全国劳动模范",
        name_en: "National Model Worker",
        level: "national",
        recipient: "person",
        engraved: true,
        awarded_by: "中共中央、国务院",
        frequency: "every 5 years",
    },
    HonourCategory {
        code: "national_advanced",
        name_zh: "全国先进工作者",
        name_en: "National Advanced Worker",
        level: "national",
        recipient: "person",
        engraved: true,
        awarded_by: "中共中央、国务院",
        frequency: "every 5 years",
    },
    HonourCategory {
        code: "beijing_model",
        name_zh: "北京市劳动模范",
        name_en: "Beijing Model Worker",
        level: "municipal",
        recipient: "person",
        engraved: true,
        awarded_by: "北京市委、市政府",
        frequency: "every 5 years",
    },
    HonourCategory {
        code: "beijing_advanced",
        name_zh: "北京市先进工作者",
        name_en: "Beijing Advanced Worker",
        level: "municipal",
        recipient: "person",
        engraved: true,
        awarded_by: "北京市委、市政府",
        frequency: "every 5 years",
    },
    HonourCategory {
        code: "beijing_collective",
        name_zh: "北京市模范集体",
        name_en: "Beijing Model Collective",
        level: "municipal",
        recipient: "organisation",
        engraved: false,
        awarded_by: "北京市",
        frequency: "every 5 years",
    },
    HonourCategory {
        code: "may_day_award",
        name_zh: "全国五一劳动奖状",
        name_en: "National May Day Labour Award",
        level: "national",
        recipient: "organisation",
        engraved: false,
        awarded_by: "全国总工会",
        frequency: "yearly",
    },
    HonourCategory {
        code: "may_day_medal",
        name_zh: "全国五一劳动奖章",
        name_en: "National May Day Labour Medal",
        level: "national",
        recipient: "person",
        engraved: false,
        awarded_by: "全国总工会",
        frequency: "yearly",
    },
    HonourCategory {
        code: "worker_pioneer",
        name_zh: "全国工人先锋号",
        name_en: "National Workers' Pioneer",
        level: "national",
        recipient: "team",
        engraved: false,
        awarded_by: "全国总工会",
        frequency: "yearly",
    },
    HonourCategory {
        code: "capital_award",
        name_zh: "首都劳动奖状",
        name_en: "Capital Labour Award",
        level: "municipal",
        recipient: "organisation",
        engraved: false,
        awarded_by: "北京市总工会、北京市人社局",
        frequency: "yearly",
    },
    HonourCategory {
        code: "capital_medal",
        name_zh: "首都劳动奖章",
        name_en: "Capital Labour Medal",
        level: "municipal",
        recipient: "person",
        engraved: false,
        awarded_by: "北京市总工会、北京市人社局",
        frequency: "yearly",
    },
    HonourCategory {
        code: "beijing_pioneer",
        name_zh: "北京市工人先锋号",
        name_en: "Beijing Workers' Pioneer",
        level: "municipal",
        recipient: "team",
        engraved: false,
        awarded_by: "北京市总工会、北京市人社局",
        frequency: "yearly",
    },
];

/// The category with this code.
pub fn honour_category(code: &str) -> Option<&'static HonourCategory> {
    HONOUR_CATEGORIES.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_found() {
        let codes: std::collections::HashSet<_> =
            HONOUR_CATEGORIES.iter().map(|c| c.code).collect();
        assert_eq!(codes.len(), HONOUR_CATEGORIES.len());
        assert_eq!(
            honour_category("beijing_model").unwrap().name_zh,
            "北京市劳动模范"
        );
        assert!(honour_category("nonsense").is_none());
    }
}
