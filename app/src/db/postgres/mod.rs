//! PostgreSQL backend: one connection pool, one file per store beside its SQL, the same
//! observable behaviour as the SQLite backend.
//!
//! **Times.** Instants are `timestamptz` and dates `date` columns. Strings from the store
//! interface are bound with an explicit cast (`$1::timestamptz`, `$1::date`) and read back through
//! `rfc3339_ms(col)` (a function of the migration: UTC, milliseconds, `Z`) or
//! `to_char(col, 'YYYY-MM-DD')`, so every string a trait returns is byte-identical to SQLite's.
//!
//! **Atomicity.** SQLite serialises every writer (`BEGIN IMMEDIATE`). Here transactions run at
//! READ COMMITTED, and what must not interleave takes a transaction-scoped advisory lock
//! (`pg_advisory_xact_lock`) as its first statement ([`begin_locked`]): each statement after it
//! takes a new snapshot, so it sees everything the previous holder committed. That covers the
//! count-then-insert limits (sign-in attempts, objections per address), merging a refusal into
//! its entry, replacing the settings and quota rules, and everything that plans or writes public
//! records (ids and wall slots of an import or an approval). The rest needs no lock: a
//! conditional UPDATE (a nomination's version, a recovery code, a TOTP step, an objection's
//! resolution) is re-checked by PostgreSQL against the row as the concurrent writer left it, so
//! only one of two racing writers changes the row. Advisory locks were chosen over SERIALIZABLE
//! because they never fail and need no retry loop.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::{
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool, Postgres, Transaction,
};

use super::{
    error::DbError,
    schema::{BackupReport, Schema, SchemaState},
};

mod accounts;
mod audit;
mod catalogue;
mod changes;
mod imports;
mod jobs;
mod kept_input;
mod kiosks;
mod nominations;
mod objections;
mod privileges;
mod scratch;
mod settings;

pub use privileges::grant_app_role;
pub use scratch::ScratchDatabase;

/// Connections per server process: enough for the two-core machines it runs on, and far below
/// PostgreSQL's default 100 when several instances share one database.
const POOL_SIZE: u32 = 8;

pub struct PostgresDatabase {
    pub(super) pool: PgPool,
}

impl PostgresDatabase {
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        Ok(PostgresDatabase { pool })
    }
}

/// This build's PostgreSQL migrations.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[async_trait]
impl Schema for PostgresDatabase {
    async fn migrate(&self) -> Result<(), DbError> {
        MIGRATOR.run(&self.pool).await?;
        // The honour categories follow the one list in the code, as in the SQLite backend.
        let mut tx = begin_locked(&self.pool, Lock::Catalogue).await?;
        for (i, c) in crate::domain::honours::HONOUR_CATEGORIES.iter().enumerate() {
            sqlx::query(
                "INSERT INTO honour_categories (code, name_zh, name_en, level, recipient, engraved, awarded_by, frequency, sort_order) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, \
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
        let has_table: bool =
            sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
                .fetch_one(&self.pool)
                .await?;
        if !has_table {
            return Ok(SchemaState::Fresh);
        }
        let applied: Vec<(i64, bool)> =
            sqlx::query_as("SELECT version, success FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&self.pool)
                .await?;
        Ok(SchemaState::compare(&MIGRATOR, &applied))
    }

    async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn backup(&self, _to: &std::path::Path) -> Result<BackupReport, DbError> {
        Err(DbError::Unsupported(
            "PostgreSQL databases are backed up with pg_dump (see the README)".into(),
        ))
    }
}

/// The first half of every advisory lock key of this application ("LP" and 1), so its locks
/// stay apart from anything else that uses advisory locks on the same database.
const LOCK_CLASS: i32 = 0x4C50_0001;

/// What a locked write transaction serialises against.
#[derive(Clone, Copy, Debug)]
pub(super) enum Lock {
    /// Public records: replacing, adding, publishing, and an approval's planned records.
    Catalogue,
    /// Counting and recording sign-in attempts (the limits span accounts and addresses).
    LoginAttempts,
    /// Merging a refusal into the entry of the same source.
    Refusals,
    /// Replacing the settings and the quota rules.
    Settings,
    /// Keeping form input within the accounts' budget.
    KeptInputOfAccounts,
    /// Keeping form input within the visitors' budget.
    KeptInputOfVisitors,
    /// Keeping the kiosks' search counts within a day's number of queries.
    KioskSearches,
}

impl Lock {
    fn key(self) -> i32 {
        match self {
            Lock::Catalogue => 1,
            Lock::LoginAttempts => 2,
            Lock::Refusals => 3,
            Lock::Settings => 4,
            Lock::KeptInputOfAccounts => 5,
            Lock::KeptInputOfVisitors => 6,
            Lock::KioskSearches => 7,
        }
    }
}

/// Takes `lock` in a transaction already begun (held until it ends).
pub(super) async fn lock_in(
    tx: &mut Transaction<'static, Postgres>,
    lock: Lock,
) -> Result<(), DbError> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(LOCK_CLASS)
        .bind(lock.key())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Takes `lock` if nobody holds it; false (without waiting) if somebody does.
pub(super) async fn try_lock_in(
    tx: &mut Transaction<'static, Postgres>,
    lock: Lock,
) -> Result<bool, DbError> {
    Ok(
        sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1, $2)")
            .bind(LOCK_CLASS)
            .bind(lock.key())
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// A transaction that first takes `lock` (held until it commits or rolls back).
pub(super) async fn begin_locked(
    pool: &PgPool,
    lock: Lock,
) -> Result<Transaction<'static, Postgres>, DbError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(LOCK_CLASS)
        .bind(lock.key())
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// The advisory lock of one objecting address (the objection limit counts per address), in a
/// class of its own so it never meets a [`Lock`].
pub(super) async fn lock_objections_of(
    tx: &mut Transaction<'static, Postgres>,
    address: &str,
) -> Result<(), DbError> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
        .bind(LOCK_CLASS + 1)
        .bind(address)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::domain::procedure::Stage;

    /// The stage CHECKs of the migration list exactly the stages of the domain.
    #[test]
    fn the_stage_checks_list_every_stage() {
        let sql = include_str!("../../../../migrations/postgres/20261201000001_init.sql");
        let checks: Vec<&str> = sql
            .split("CHECK (stage IN (")
            .skip(1)
            .map(|rest| rest.split("))").next().unwrap())
            .collect();
        assert_eq!(checks.len(), 2, "nominations and objections");
        for check in checks {
            let listed: Vec<String> = check
                .split(',')
                .map(|c| c.trim().trim_matches('\'').to_string())
                .collect();
            let stages: Vec<String> = Stage::ALL.iter().map(|s| s.code().to_string()).collect();
            assert_eq!(listed, stages);
        }
    }
}
