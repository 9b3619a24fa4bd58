//! What a kiosk holds to keep answering when the network drops: every public name with its place,
//! the search engine's data, the monuments' stones, and the short text a kiosk shows of a person.
//! The server builds it from the catalogue (`Catalog::kiosk`); the kiosk page downloads it once
//! per data version (`/api/v1/kiosk-snapshot`, with an ETag) and keeps it in its service worker's
//! cache. Both sides answer from it with the same code (`kiosk::directory`).
use serde::{Deserialize, Serialize};

use crate::search::model::SearchPayload;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskSnapshot {
    /// The catalogue's version (changes whenever public data does).
    pub version: String,
    /// When the server read the data, Beijing time ("2026-11-29 10:00"), shown as "data as of".
    pub as_of: String,
    /// Names, pinyin, first places and the engine's tables, as the wall's search downloads them.
    pub search: SearchPayload,
    /// The monuments, in the order of `search.sections`.
    pub monuments: Vec<KioskMonument>,
    /// One per `search.people`, in the same order.
    pub people: Vec<KioskPerson>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskMonument {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub location_zh: String,
    pub location_en: String,
    pub names_per_row: u16,
    pub stones: Vec<KioskStone>,
    /// The grounds, for the "you are here" map (none until one is set).
    pub plan: Option<crate::domain::plaza::PlazaPlan>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskStone {
    pub number: u16,
    pub rows: u16,
    pub years: Vec<i32>,
    /// How many names, and the first and last surname on it (the attract screen shows them).
    pub names: u32,
    pub first_surname: String,
    pub last_surname: String,
}

/// A name's place: (monument index, stone, row, position, year engraved for).
pub type KioskPlacement = (u8, u16, u16, u16, i32);

/// What a kiosk shows of a person beyond the search row. Tuples keep the download small.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskPerson(
    /// Strokes of the surname's first character, as the stones count them (0: unknown).
    pub u8,
    /// Honours: (year, index into `search.honours`).
    pub Vec<(i32, u8)>,
    /// Every place the name is engraved.
    pub Vec<KioskPlacement>,
    /// The short account of their deeds.
    pub Option<String>,
);
