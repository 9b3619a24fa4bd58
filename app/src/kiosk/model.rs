//! What the fleet page shows of each kiosk.
use serde::{Deserialize, Serialize};

pub use crate::domain::kiosk::KioskHealth;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskStatus {
    pub id: String,
    pub name: String,
    pub monument: String,
    pub health: KioskHealth,
    /// Seconds since its last heartbeat.
    pub silent_for: Option<i64>,
    pub last_seen_at: Option<String>,
    /// Whether the data it shows is the catalogue's current version (None: never said).
    pub data_current: Option<bool>,
    pub data_version: Option<String>,
    pub page_version: Option<String>,
    pub offline_since: Option<String>,
    pub last_error: Option<String>,
}

/// A name as a kiosk lists it: enough to tell two people apart and to go to its answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskName {
    pub id: i64,
    pub name: String,
    pub year: i32,
    /// "第3号石 · 第12行 · 第5位" parts, if engraved.
    pub stone: Option<u16>,
    pub row: Option<u16>,
    pub position: Option<u16>,
}

/// Where a name is and how to find it, in words and as a drawing of its stone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskAnswer {
    pub id: i64,
    pub name: String,
    pub pinyin: String,
    /// Commendation years and honour names, e.g. "1955 北京市劳动模范".
    pub honours: Vec<(i32, String, String)>,
    pub place: Option<crate::wall::model::WallPlace>,
    /// The stone's rows and names per row, to draw it.
    pub rows: u16,
    pub per_row: u16,
    /// Where the monument is, when it is not the one this kiosk stands by.
    pub elsewhere: Option<(String, String)>,
    pub work_unit: Option<String>,
    pub deeds_short: Option<String>,
}

/// What a kiosk's screen shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum KioskScreen {
    /// The first screen: the search box and the batch years of this kiosk's monument.
    Home {
        years: Vec<i32>,
    },
    Results {
        query: String,
        names: Vec<KioskName>,
    },
    /// The stones' order, step 2: the stroke counts of the surnames engraved in a year.
    Strokes {
        year: i32,
        counts: Vec<(u8, usize)>,
    },
    /// Step 3: the surnames of that many strokes.
    Surnames {
        year: i32,
        strokes: u8,
        surnames: Vec<(String, usize)>,
    },
    /// Step 4: the names with that surname.
    Names {
        year: i32,
        strokes: u8,
        surname: String,
        names: Vec<KioskName>,
    },
    Answer(KioskAnswer),
}

/// A kiosk's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskView {
    pub id: String,
    pub name: String,
    pub monument_zh: String,
    pub monument_en: String,
    pub idle_seconds: i32,
    pub screen: KioskScreen,
}
