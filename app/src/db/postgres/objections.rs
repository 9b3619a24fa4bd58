//! Objections in PostgreSQL.

use async_trait::async_trait;

use super::audit::{change_with_audit, insert_audit};
use super::{lock_objections_of, PostgresDatabase};
use crate::db::objections::{ObjectionRow, ObjectionStore, Resolution};
use crate::db::{accounts::Window, audit::AuditEntry, error::DbError};

const OBJECTION_COLUMNS: &str =
    "id, nomination_id, stage, rfc3339_ms(filed_at) AS filed_at, name, contact, body, address, \
     rfc3339_ms(resolved_at) AS resolved_at, resolved_by, resolver_name, finding, outcome";

#[async_trait]
impl ObjectionStore for PostgresDatabase {
    async fn objections(&self, nomination_id: i64) -> Result<Vec<ObjectionRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OBJECTION_COLUMNS} FROM objections WHERE nomination_id = $1 ORDER BY id"
        ))
        .bind(nomination_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn objection(&self, id: i64) -> Result<Option<ObjectionRow>, DbError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {OBJECTION_COLUMNS} FROM objections WHERE id = $1"
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
        let mut tx = self.pool.begin().await?;
        // One statement counts and inserts, under the lock of the address: parallel posts from
        // one address are counted one after another and cannot all see a count under the limit.
        lock_objections_of(&mut tx, &o.address).await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO objections (nomination_id, stage, filed_at, name, contact, body, address) \
             SELECT $1, $2, $3::timestamptz, $4, $5, $6, $7 \
             WHERE (SELECT COUNT(*) FROM objections WHERE address = $7 AND filed_at >= $8::timestamptz) < $9 \
             RETURNING id",
        )
        .bind(o.nomination_id)
        .bind(o.stage)
        .bind(&o.filed_at)
        .bind(&o.name)
        .bind(&o.contact)
        .bind(&o.body)
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
            "UPDATE objections SET resolved_at = $1::timestamptz, resolved_by = $2, resolver_name = $3, finding = $4, outcome = $5 \
             WHERE id = $6 AND resolved_at IS NULL",
        )
        .bind(&r.resolved_at)
        .bind(r.resolved_by)
        .bind(&r.resolver_name)
        .bind(&r.finding)
        .bind(r.outcome)
        .bind(id);
        // Checked again on the row a parallel resolution left: only one resolves it.
        change_with_audit(&self.pool, None, statement, audit).await
    }
}
