//! What the errata list shows.
use serde::{Deserialize, Serialize};

/// A name on a stone that differs from the person's record: the stone is never changed silently,
/// so the difference is listed where it stands, for the next re-cutting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Erratum {
    pub section_code: String,
    pub section_name_zh: String,
    pub section_name_en: String,
    pub stone: u16,
    pub row: u16,
    pub position: u16,
    /// The year the name stands under on the stone.
    pub year: i32,
    pub person_id: i64,
    /// As engraved.
    pub engraved: String,
    /// As the record has it.
    pub correct: String,
}

/// The errata page's data: every erratum in wall order (monument, stone, row, position).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrataData {
    pub errata: Vec<Erratum>,
}

/// The CSV's columns, in order.
pub const ERRATA_COLUMNS: [&str; 8] = [
    "monument",
    "stone",
    "row",
    "position",
    "year",
    "engraved",
    "correct",
    "person_id",
];
