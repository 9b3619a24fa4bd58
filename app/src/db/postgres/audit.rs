//! The audit log in PostgreSQL.

use async_trait::async_trait;
use sqlx::{PgPool, Postgres, Transaction};

use super::{begin_locked, Lock, PostgresDatabase};
use crate::db::audit::{AuditEntry, AuditStore};
use crate::db::error::DbError;

const AUDIT_COLUMNS: &str =
    "rfc3339_ms(at) AS at, actor_id, actor_name, action, object_type, object_id, \
     before_json, after_json, address, repeat_count, rfc3339_ms(last_at) AS last_at";

/// An entry with its id, for paging.
#[derive(sqlx::FromRow)]
struct Numbered {
    id: i64,
    #[sqlx(flatten)]
    entry: AuditEntry,
}

#[async_trait]
impl AuditStore for PostgresDatabase {
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
            "SELECT id, {AUDIT_COLUMNS} FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2"
        ))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(page.into_iter().map(|n| (n.id, n.entry)).collect())
    }

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        insert_audit(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn append_refusal(&self, entry: &AuditEntry, since: &str) -> Result<(), DbError> {
        let entry = entry.bounded();
        // Under the lock, so two parallel refusals cannot both find nothing and both append. The
        // last time only moves forward, as in the SQLite backend.
        let mut tx = begin_locked(&self.pool, Lock::Refusals).await?;
        let counted = sqlx::query(
            "UPDATE audit_log SET repeat_count = repeat_count + 1, \
             last_at = GREATEST(COALESCE(last_at, at), $1::timestamptz) WHERE id = \
             (SELECT id FROM audit_log WHERE action = $2 AND address IS NOT DISTINCT FROM $3 \
              AND actor_id IS NOT DISTINCT FROM $4 AND at >= $5::timestamptz ORDER BY id DESC LIMIT 1)",
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
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY id"
        ))
        .bind(object_type)
        .bind(object_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// Appends an entry, every field cut to its bound.
pub(super) async fn insert_audit(
    tx: &mut Transaction<'_, Postgres>,
    entry: &AuditEntry,
) -> Result<(), DbError> {
    let entry = entry.bounded();
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor_name, action, object_type, object_id, before_json, after_json, address) \
         VALUES ($1::timestamptz, $2, $3, $4, $5, $6, $7, $8, $9)",
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

/// Runs one UPDATE or DELETE and, if it changed a row, the audit entry, in one transaction
/// (under `lock` when given). False (nothing written) when no row matched.
pub(super) async fn change_with_audit<'q>(
    pool: &PgPool,
    lock: Option<Lock>,
    statement: sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    changes_with_audit(pool, lock, vec![statement], audit).await
}

/// Several statements and their audit entry in one transaction; nothing is written (false) when
/// the first changes no row.
pub(super) async fn changes_with_audit<'q>(
    pool: &PgPool,
    lock: Option<Lock>,
    statements: Vec<sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>>,
    audit: &AuditEntry,
) -> Result<bool, DbError> {
    let mut tx = match lock {
        Some(lock) => begin_locked(pool, lock).await?,
        None => pool.begin().await?,
    };
    for (i, statement) in statements.into_iter().enumerate() {
        if statement.execute(&mut *tx).await?.rows_affected() == 0 && i == 0 {
            return Ok(false);
        }
    }
    insert_audit(&mut tx, audit).await?;
    tx.commit().await?;
    Ok(true)
}
