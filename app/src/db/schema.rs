//! What a backend does once, for all its stores: its schema (migrations), whether it answers,
//! and (where the backend can) a checked backup.

use std::path::Path;

use async_trait::async_trait;
use sqlx::migrate::Migrator;

use super::error::DbError;

/// Where a database's schema stands against the migrations this build carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemaState {
    /// No migration ever applied: a new, empty database.
    Fresh,
    /// Every migration of this build applied, none unknown.
    Current,
    /// Migrations of this build not yet applied (version and description), oldest first.
    Behind(Vec<(i64, String)>),
    /// Migrations applied that this build does not know (the database belongs to a newer
    /// release), or that failed half-way.
    Ahead(Vec<i64>),
}

impl SchemaState {
    /// Compares the migrations a database has applied (version, success) with a build's.
    pub fn compare(migrator: &Migrator, applied: &[(i64, bool)]) -> SchemaState {
        if applied.is_empty() {
            return SchemaState::Fresh;
        }
        let known: Vec<i64> = migrator.iter().map(|m| m.version).collect();
        let foreign: Vec<i64> = applied
            .iter()
            .filter(|(version, success)| !success || !known.contains(version))
            .map(|(version, _)| *version)
            .collect();
        if !foreign.is_empty() {
            return SchemaState::Ahead(foreign);
        }
        let pending: Vec<(i64, String)> = migrator
            .iter()
            .filter(|m| m.migration_type.is_up_migration())
            .filter(|m| !applied.iter().any(|(v, _)| *v == m.version))
            .map(|m| (m.version, m.description.to_string()))
            .collect();
        if pending.is_empty() {
            SchemaState::Current
        } else {
            SchemaState::Behind(pending)
        }
    }
}

/// What a checked backup holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupReport {
    /// Rows per table in the copy, read back from it.
    pub tables: Vec<(String, i64)>,
    pub bytes: u64,
}

/// What a backend does once for all its stores.
#[async_trait]
pub trait Schema: Send + Sync + 'static {
    /// Brings the schema up to date.
    async fn migrate(&self) -> Result<(), DbError>;
    /// Where the schema stands against this build's migrations.
    async fn schema_state(&self) -> Result<SchemaState, DbError>;
    /// A trivial query: the database answers.
    async fn ping(&self) -> Result<(), DbError>;
    /// Writes a consistent copy of the whole database to `to` (which must not exist), then opens
    /// the copy and checks it. Backends whose own tools do this better say so instead.
    async fn backup(&self, to: &Path) -> Result<BackupReport, DbError>;
}
