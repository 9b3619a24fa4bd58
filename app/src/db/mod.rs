//! The data layer: one small store trait per area, one implementation per backend beside its
//! SQL. Only these modules speak SQL; everything above them works on the row types the areas
//! define. SQLite is the embedded default (`sqlite/`); PostgreSQL (`postgres/`) implements the
//! same traits with the same observable behaviour, for several server instances on one database.
//!
//! | area          | trait             | rows                                      |
//! |---------------|-------------------|-------------------------------------------|
//! | `catalogue`   | `CatalogueStore`  | the public records, `Dataset`, `Additions` |
//! | `accounts`    | `AccountStore`    | accounts, sign-in limits, sessions        |
//! | `audit`       | `AuditStore`      | the append-only audit log                 |
//! | `nominations` | `NominationStore` | nominations, attachments, checks, quotas  |
//! | `objections`  | `ObjectionStore`  | the public's objections                   |
//! | `settings`    | `SettingsStore`   | the administrators' settings              |
//! | `changes`     | `ChangeFeed`      | word of changes made elsewhere            |
//! | `jobs`        | `LeaseStore`      | which instance runs the scheduled work    |
//! | `kept_input`  | `KeptInputStore`  | form input kept across a failed post      |
//! | `kiosks`      | `KioskStore`      | kiosks and their latest heartbeats        |
//! | `imports`     | `ImportStore`     | import batches, to list and undo          |
//!
//! Domain enums are stored as their codes (`codes`).

pub mod accounts;
pub mod audit;
pub mod catalogue;
pub mod changes;
mod codes;
pub mod copy;
pub mod error;
pub mod imports;
pub mod jobs;
pub mod kept_input;
pub mod kiosks;
pub mod nominations;
pub mod objections;
pub mod postgres;
pub mod schema;
pub mod settings;
pub mod sqlite;

use std::sync::Arc;

pub use accounts::*;
pub use audit::*;
pub use catalogue::*;
pub use changes::{ChangeFeed, ChangeListener, Notice};
pub use error::DbError;
pub use imports::{ImportStore, PersonFields};
pub use jobs::LeaseStore;
pub use kept_input::{KeepLimits, KeptInput, KeptInputStore, OwnerClass};
pub use kiosks::{HeartbeatRow, KioskRow, KioskStore, SearchCountRow};
pub use nominations::*;
pub use objections::*;
pub use schema::{BackupReport, Schema, SchemaState};
pub use settings::*;

/// One backend's stores, each area behind its own trait. Use cases take the store they need.
#[derive(Clone)]
pub struct Stores {
    pub catalogue: Arc<dyn CatalogueStore>,
    pub accounts: Arc<dyn AccountStore>,
    pub audit: Arc<dyn AuditStore>,
    pub nominations: Arc<dyn NominationStore>,
    pub objections: Arc<dyn ObjectionStore>,
    pub settings: Arc<dyn SettingsStore>,
    /// Word of changes to the public records made elsewhere.
    pub changes: Arc<dyn ChangeFeed>,
    /// Which instance runs the scheduled work.
    pub leases: Arc<dyn LeaseStore>,
    /// Form input kept across a failed post.
    pub kept_input: Arc<dyn KeptInputStore>,
    pub kiosks: Arc<dyn KioskStore>,
    pub imports: Arc<dyn ImportStore>,
    schema: Arc<dyn Schema>,
}

impl Stores {
    /// The stores of a backend that implements every area (one connection pool shared).
    pub fn of<B>(backend: B) -> Self
    where
        B: Schema
            + CatalogueStore
            + AccountStore
            + AuditStore
            + NominationStore
            + ObjectionStore
            + SettingsStore
            + ChangeFeed
            + LeaseStore
            + KeptInputStore
            + KioskStore
            + ImportStore,
    {
        let backend = Arc::new(backend);
        Stores {
            catalogue: backend.clone(),
            accounts: backend.clone(),
            audit: backend.clone(),
            nominations: backend.clone(),
            objections: backend.clone(),
            settings: backend.clone(),
            changes: backend.clone(),
            leases: backend.clone(),
            kept_input: backend.clone(),
            kiosks: backend.clone(),
            imports: backend.clone(),
            schema: backend,
        }
    }

    /// The backend's schema: migrations, whether it answers, backups.
    pub fn schema(&self) -> &dyn Schema {
        &*self.schema
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> Result<(), DbError> {
        self.schema.migrate().await
    }
}

/// Opens the backend named by a database URL.
pub async fn connect(url: &str) -> Result<Stores, DbError> {
    if url.starts_with("sqlite:") {
        Ok(Stores::of(sqlite::SqliteDatabase::connect(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Stores::of(postgres::PostgresDatabase::connect(url).await?))
    } else {
        Err(DbError::UnsupportedUrl(
            url.split_once(":")
                .map_or("", |(scheme, _)| scheme)
                .to_string(),
        ))
    }
}
