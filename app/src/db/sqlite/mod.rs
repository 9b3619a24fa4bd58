//! SQLite backend (the embedded default): one connection pool, one file per store beside its
//! SQL. Writes take the write lock at their start (`begin_write`).

use std::str::FromStr;

use async_trait::async_trait;
use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    Sqlite, SqlitePool, Transaction,
};

use super::{
    error::DbError,
    schema::{BackupReport, Schema, SchemaState},
};

mod accounts;
mod audit;
pub mod backup;
mod catalogue;
mod changes;
mod imports;
mod jobs;
mod kept_input;
mod kiosks;
mod nominations;
mod objections;
mod settings;

/// This build's SQLite migrations.
pub(super) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

pub struct SqliteDatabase {
    pub(super) pool: SqlitePool,
}

impl SqliteDatabase {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        Ok(SqliteDatabase { pool })
    }
}

#[async_trait]
impl Schema for SqliteDatabase {
    async fn migrate(&self) -> Result<(), DbError> {
        MIGRATOR.run(&self.pool).await?;
        // The honour categories follow the one list in the code: added or renamed there, they
        // are here too, so a category the forms accept always exists in the database.
        let mut tx = begin_write(&self.pool).await?;
        for (i, c) in crate::domain::honours::HONOUR_CATEGORIES.iter().enumerate() {
            sqlx::query(
                "INSERT INTO honour_categories (code, name_zh, name_en, level, recipient, engraved, awarded_by, frequency, sort_order) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, \
                 name_en = excluded.name_en, level = excluded.level, recipient = excluded.recipient, engraved = excluded.engraved, \
                 awarded_by = excluded.awarded_by, frequency = excluded.frequency, sort_order = excluded.sort_order",
            )
            .bind(c.code)
            .bind(c.name_zh)
            .bind(c.name_en)
            .bind(c.level)
            .bind(c.recipient)
            .bind(c.engraved)
            .bind(c.awarded_by)
            .bind(c.frequency)
            .bind(i as i64 + 1)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn schema_state(&self) -> Result<SchemaState, DbError> {
        backup::schema_state(&self.pool).await
    }

    async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn backup(&self, to: &std::path::Path) -> Result<BackupReport, DbError> {
        self.write_backup(to).await
    }
}

/// A write transaction that takes the write lock at its start (`BEGIN IMMEDIATE`). A deferred
/// one reads first and upgrades later; under WAL an upgrade after another connection committed
/// fails at once with "database is locked", whatever the busy timeout. Taken at the start, the
/// lock waits its turn (up to the busy timeout) instead.
pub(super) async fn begin_write(
    pool: &SqlitePool,
) -> Result<Transaction<'static, Sqlite>, DbError> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}
