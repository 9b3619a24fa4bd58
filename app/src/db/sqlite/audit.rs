//! The audit log in SQLite.

use async_trait::async_trait;
use sqlx::{Sqlite, SqlitePool, Transaction};

use super::{begin_write, SqliteDatabase};
use crate::db::audit::{AuditEntry, AuditStore};
use crate::db::error::DbError;

const AUDIT_COLUMNS: &str = "at, actor_id, actor_name, action, object_type, object_id, \
     before_json, after_json, address, repeat_count, last_at";

/// An entry with its id, for paging.
#[derive(sqlx::FromRow)]
struct Numbered {
    id: i64,
    #[sqlx(flatten)]
    entry: AuditEntry,
}

#[async_trait]
impl AuditStore for SqliteDatabase {
    async fn audit_log(&self) -> Result<Vec<AuditEntry>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY id"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn audit_page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<(i64, AuditEntry)>, DbError> {
        let page: Vec<Numbered> = sqlx::query_as(&format!(
            "SELECT id, {AUDIT_COLUMNS} FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?"
        ))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(page.into_iter().map(|n| (n.id, n.entry)).collect())
    }

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), DbError> {
        let mut tx = begin_write(&self.pool).await?;
        insert_audit(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn append_refusal(&self, entry: &AuditEntry, since: &str) -> Result<(), DbError> {
        let entry = entry.bounded();
        let mut tx = begin_write(&self.pool).await?;
        // The update comes first so the transaction takes the write lock at once: two parallel
        // refusals cannot both find nothing and both append. The last time only moves forward: a
        // refusal timed just before the one that made the entry (parallel requests) counts too.
        let counted = sqlx::query(
            "UPDATE audit_log SET repeat_count = repeat_count + 1, last_at = MAX(COALESCE(last_at, at), ?) WHERE id = \
             (SELECT id FROM audit_log WHERE action = ? AND address IS ? AND actor_id IS ? AND at >= ? \
              ORDER BY id DESC LIMIT 1)",
        )
        .bind(&entry.at)
        .bind(&entry.action)
        .bind(&entry.address)
        .bind(entry.actor_id)
        .bind(since)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if counted == 0 {
            insert_audit(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn audit_for(
        &self,
        object_type: &str,
        object_id: &str,
    ) -> Result<Vec<AuditEntry>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE object_type = ? AND object_id = ? ORDER BY id"
        ))
        .bind(object_type)
        .bind(object_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// Appends an entry, every field cut to its bound.
pub(super) async fn insert_audit(
    tx: &mut Transaction<'_, Sqlite>,
    entry: &AuditEntry,
) -> Result<(), DbError> {
    let entry = entry.bounded();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, object_type, object_id, before_json, after_json, address) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&entry.at)
    .bind(entry.actor_id)
    .bind(&entry.actor_name)
    .bind(&entry.action)
    .bind(&entry.object_type)
    .bind(&entry.object_id)
    .bind(&entry.before_json)
    .bind(&entry.after_json)
    .bind(&entry.address)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Runs one UPDATE or DELETE and, if it changed a row, the audit entry, in one transaction.
/// False (nothing written) when no row matched.
pub(super) async fn change_with_audit<'q>(
    pool: &SqlitePool,
    statement: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    changes_with_audit(pool, vec![statement], audit).await
}

/// Several statements and their audit entry in one transaction; nothing is written (false) when
/// the first changes no row.
pub(super) async fn changes_with_audit<'q>(
    pool: &SqlitePool,
    statements: Vec<sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>>,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    let mut tx = begin_write(pool).await?;
    for (i, statement) in statements.into_iter().enumerate() {
        if statement.execute(&mut *tx).await?.rows_affected() == 0 && i == 0 {
            return Ok(false);
        }
    }
    insert_audit(&mut tx, audit).await?;
    tx.commit().await?;
    Ok(true)
}
