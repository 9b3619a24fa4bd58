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
