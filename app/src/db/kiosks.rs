//! Kiosks at the plaza: their registration and the last heartbeat each sent (one row a kiosk,
//! overwritten by every beat, so nothing grows however often they beat).

use async_trait::async_trait;

use super::audit::AuditEntry;
use super::error::DbError;

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct KioskRow {
    pub id: String,
    pub name: String,
    /// The wall section (monument) it stands by.
    pub monument: String,
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub facing: Option<i32>,
    pub idle_seconds: i32,
    /// SHA-256 of its heartbeat secret (hex); the secret itself is shown once, never stored.
    pub secret_hash: String,
    pub created_at: String,
    pub last_seen_at: Option<String>,
    pub data_version: Option<String>,
    pub page_version: Option<String>,
    pub offline_since: Option<String>,
    pub last_error: Option<String>,
}

/// One heartbeat, already checked and bounded (`domain::kiosk::Heartbeat`).
#[derive(Clone, Debug, PartialEq)]
pub struct HeartbeatRow {
    pub at: String,
    pub data_version: String,
    pub page_version: String,
    pub offline_since: Option<String>,
    pub last_error: Option<String>,
}

#[async_trait]
pub trait KioskStore: Send + Sync + 'static {
    /// Registers a kiosk with its audit entry, in one transaction; false (nothing written) when
    /// the id is taken.
    async fn add_kiosk(&self, kiosk: &KioskRow, audit: &AuditEntry) -> Result<bool, DbError>;
    async fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, DbError>;
    /// Every kiosk, by id.
    async fn kiosks(&self) -> Result<Vec<KioskRow>, DbError>;
    /// Keeps a kiosk's latest heartbeat; false when there is no such kiosk.
    async fn record_heartbeat(&self, id: &str, beat: &HeartbeatRow) -> Result<bool, DbError>;
    /// Adds what visitors looked for on `day` (YYYY-MM-DD) to that day's counts, in one
    /// transaction: a query already counted that day is added to; a new one is kept only while
    /// the day holds fewer than `max_queries` (so the table stays bounded whatever is sent).
    async fn add_search_counts(
        &self,
        day: &str,
        counts: &[SearchCountRow],
        max_queries: i64,
    ) -> Result<(), DbError>;
    /// The most searched queries since `since_day` (inclusive), with how often they found
    /// somebody; `not_found_only`: those that found nobody at least once, most often first.
    async fn top_searches(
        &self,
        since_day: &str,
        not_found_only: bool,
        limit: i64,
    ) -> Result<Vec<SearchCountRow>, DbError>;
}

/// A query's counts (for one day when added; summed over days when read).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SearchCountRow {
    pub query: String,
    pub searched: i64,
    pub found: i64,
}
