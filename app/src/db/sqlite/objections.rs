//! Objections in SQLite.

use async_trait::async_trait;

use super::audit::{change_with_audit, insert_audit};
use super::{begin_write, SqliteDatabase};
use crate::db::objections::{ObjectionRow, ObjectionStore, Resolution};
use crate::db::{accounts::Window, audit::AuditEntry, error::DbError};

const OBJECTION_COLUMNS: &str = "id, nomination_id, stage, filed_at, name, contact, body, address, resolved_at, resolved_by, resolver_name, finding, outcome";

#[async_trait]
impl ObjectionStore for SqliteDatabase {
    async fn objections(&self, nomination_id: i64) -> Result<Vec<ObjectionRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OBJECTION_COLUMNS} FROM objections WHERE nomination_id = ? ORDER BY id"
        ))
        .bind(nomination_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn objection(&self, id: i64) -> Result<Option<ObjectionRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OBJECTION_COLUMNS} FROM objections WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn unresolved_objection_counts(
        &self,
    ) -> Result<std::collections::HashMap<i64, i64>, DbError> {
        let counts: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT nomination_id, COUNT(*) FROM objections WHERE resolved_at IS NULL GROUP BY nomination_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(counts.into_iter().collect())
    }

    async fn file_objection(
        &self,
        o: &ObjectionRow,
        audit: &AuditEntry,
        limit: &Window,
    ) -> Result<Option<i64>, DbError> {
        let mut tx = begin_write(&self.pool).await?;
        // One statement counts and inserts: SQLite runs it under the write lock, so parallel posts
        // from one address cannot all see a count under the limit.
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO objections (nomination_id, stage, filed_at, name, contact, body, address) \
             SELECT ?, ?, ?, ?, ?, ?, ? \
             WHERE (SELECT COUNT(*) FROM objections WHERE address = ? AND filed_at >= ?) < ? \
             RETURNING id",
        )
        .bind(o.nomination_id)
        .bind(o.stage)
        .bind(&o.filed_at)
        .bind(&o.name)
        .bind(&o.contact)
        .bind(&o.body)
        .bind(&o.address)
        .bind(&o.address)
        .bind(&limit.since)
        .bind(limit.max)
        .fetch_optional(&mut *tx)
        .await?;
        if id.is_some() {
            insert_audit(&mut tx, audit).await?;
            tx.commit().await?;
        }
        Ok(id)
    }

    async fn resolve_objection(
        &self,
        id: i64,
        r: &Resolution,
        audit: &AuditEntry,
    ) -> Result<bool, DbError> {
        let statement = sqlx::query(
            "UPDATE objections SET resolved_at = ?, resolved_by = ?, resolver_name = ?, finding = ?, outcome = ? \
             WHERE id = ? AND resolved_at IS NULL",
        )
        .bind(&r.resolved_at)
        .bind(r.resolved_by)
        .bind(&r.resolver_name)
        .bind(&r.finding)
        .bind(r.outcome)
        .bind(id);
        change_with_audit(&self.pool, statement, audit).await
    }
}
