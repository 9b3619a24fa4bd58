//! Wall data shared by server and browser.
use serde::{Deserialize, Serialize};

/// Everything the wall page needs except the names themselves, which are server-rendered into
/// each stone (the browser keeps the server's HTML and never rebuilds 13,000 nodes).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WallOutline {
    pub demo: bool,
    pub sections: Vec<SectionOutline>,
    pub honours: Vec<HonourInfo>,
    pub total: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionOutline {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
    pub location_zh: String,
    pub location_en: String,
    pub names_per_row: u16,
    pub stones: Vec<StoneOutline>,
    /// The last commendation year cut into these stones (`None`: all placed names are).
    #[serde(default)]
    pub engraved_through: Option<i32>,
    /// Later years whose names wait for the next cutting, with how many each.
    #[serde(default)]
    pub not_yet_engraved: Vec<PlannedYear>,
}

/// A name's place still to be cut: the monument it is expected on, and the year it is honoured
/// for (that monument's stones were cut before it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpectedPlace {
    pub section: String,
    pub section_name_zh: String,
    pub section_name_en: String,
    pub location_zh: String,
    pub location_en: String,
    pub year: i32,
}

impl ExpectedPlace {
    /// "尚未镌刻：2020年表彰，预计刻于北京市劳动广场的北京市劳动模范名录墙。"
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        match lang {
            crate::i18n::Lang::Zh => format!(
                "尚未镌刻：{}年表彰，预计刻于{}的{}。",
                self.year, self.location_zh, self.section_name_zh
            ),
            crate::i18n::Lang::En => format!(
                "Not yet engraved: honoured in {}, expected on the {} at the {}.",
                self.year, self.section_name_en, self.location_en
            ),
        }
    }
}

/// A commendation year not yet cut into a monument's stones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedYear {
    pub year: i32,
    pub names: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoneOutline {
    pub number: u16,
    /// Commendation years engraved on this stone, ascending.
    pub years: Vec<i32>,
    pub names: u32,
    pub rows: u16,
    /// The surnames the stone begins and ends with (names run by surname stroke count), so the
    /// outline says what a stone holds before its names are loaded.
    pub first_surname: String,
    pub last_surname: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HonourInfo {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
    pub recipient: String,
    pub engraved: bool,
}

/// One stone as its own page: the names in stone order and the way to its neighbours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StonePage {
    pub section_code: String,
    pub section_name_zh: String,
    pub section_name_en: String,
    pub location_zh: String,
    pub location_en: String,
    pub number: u16,
    /// Commendation years engraved on this stone, ascending.
    pub years: Vec<i32>,
    pub rows: u16,
    pub names: Vec<StoneName>,
    pub previous: Option<StoneRef>,
    pub next: Option<StoneRef>,
    pub demo: bool,
}

/// A name on a stone, with its row and year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoneName {
    pub id: i64,
    pub name: String,
    pub row: u16,
    pub position: u16,
    pub year: i32,
}

/// A stone named by its section and number (a link to its page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoneRef {
    pub section_code: String,
    pub section_name_zh: String,
    pub section_name_en: String,
    pub number: u16,
}

impl StoneRef {
    /// The stone's page.
    pub fn path(&self) -> String {
        stone_path(&self.section_code, self.number)
    }
}

/// A stone's number as written in its address: digits only, no leading zero, from 1 (so each
/// stone has one address, not also `01` or `+1`).
pub fn parse_stone_number(raw: &str) -> Option<u16> {
    let number: u16 = raw.parse().ok()?;
    (number > 0 && number.to_string() == raw).then_some(number)
}

/// `/wall/{section}/{stone}`.
pub fn stone_path(section_code: &str, number: u16) -> String {
    format!("/wall/{section_code}/{number}")
}

/// Where one name is engraved, for people and the API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WallPlace {
    pub section: String,
    pub section_name_zh: String,
    pub section_name_en: String,
    pub stone: u16,
    pub row: u16,
    pub position: u16,
}

impl WallPlace {
    #[cfg(feature = "ssr")]
    pub fn new(section: &SectionOutline, slot: super::layout::Slot) -> Self {
        WallPlace {
            section: section.code.clone(),
            section_name_zh: section.name_zh.clone(),
            section_name_en: section.name_en.clone(),
            stone: slot.stone,
            row: slot.row,
            position: slot.position,
        }
    }

    /// "第3号石 · 第12行 · 第5位" / "Stone 3 · row 12 · position 5".
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        match lang {
            crate::i18n::Lang::Zh => format!(
                "{} · 第{}号石 · 第{}行 · 第{}位",
                self.section_name_zh, self.stone, self.row, self.position
            ),
            crate::i18n::Lang::En => format!(
                "{} · stone {} · row {} · position {}",
                self.section_name_en, self.stone, self.row, self.position
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stone_has_one_address() {
        assert_eq!(parse_stone_number("12"), Some(12));
        for raw in ["0", "012", "+12", " 12", "12a", "", "70000", "-1"] {
            assert_eq!(parse_stone_number(raw), None, "{raw:?}");
        }
    }
}
