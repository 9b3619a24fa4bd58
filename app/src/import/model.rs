//! What the administrators' import page shows: the imports so far, and the report on a list
//! checked or imported.
use serde::{Deserialize, Serialize};

/// One import as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportBatchView {
    pub id: i64,
    pub imported_at: String,
    pub actor: String,
    pub source: String,
    pub added: i64,
    pub updated: i64,
    pub unchanged: i64,
    /// When and by whom it was undone.
    pub undone: Option<(String, String)>,
}

/// How the rows of a list fall.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowTally {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub bad: usize,
}

/// A row's problem (`line`: as the spreadsheet numbers it; none for the file as a whole).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemView {
    pub line: Option<usize>,
    pub reason: String,
}

/// A recorded person the list changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdateView {
    pub line: usize,
    pub person_id: i64,
    pub name: String,
    pub fields: Vec<String>,
}

/// The answer to an upload: what the list would do (a check) or did (an import).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportReportView {
    pub source: String,
    pub rows: usize,
    pub tally: RowTally,
    /// The import written, if it was (a check, or a list with problems, writes nothing).
    pub written: Option<i64>,
    pub checked_only: bool,
    /// The first problems (all are in the bad-rows workbook), and how many there are.
    pub problems: Vec<ProblemView>,
    pub problems_total: usize,
    /// The first people updated, and how many.
    pub updates: Vec<UpdateView>,
    pub updates_total: usize,
}

/// At most this many problems and updates are listed on the page.
pub const LISTED: usize = 200;

/// The import page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportsData {
    pub batches: Vec<ImportBatchView>,
    /// Why the last post was refused (an undo, an upload).
    pub message: Option<String>,
}
