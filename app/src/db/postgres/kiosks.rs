//! Kiosks in PostgreSQL.

use async_trait::async_trait;

use super::audit::change_with_audit;
use super::PostgresDatabase;
use crate::db::audit::AuditEntry;
use crate::db::error::DbError;
use crate::db::kiosks::{HeartbeatRow, KioskRow, KioskStore};

const COLUMNS: &str = "id, name, monument, x, y, facing, idle_seconds, secret_hash, \
     rfc3339_ms(created_at) AS created_at, rfc3339_ms(last_seen_at) AS last_seen_at, data_version, \
     page_version, rfc3339_ms(offline_since) AS offline_since, last_error";

#[async_trait]
impl KioskStore for PostgresDatabase {
    async fn add_kiosk(&self, k: &KioskRow, audit: &AuditEntry) -> Result<bool, DbError> {
        let insert = sqlx::query(
            "INSERT INTO kiosks (id, name, monument, x, y, facing, idle_seconds, secret_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::timestamptz) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&k.id)
        .bind(&k.name)
        .bind(&k.monument)
        .bind(k.x)
        .bind(k.y)
        .bind(k.facing)
        .bind(k.idle_seconds)
        .bind(&k.secret_hash)
        .bind(&k.created_at);
        change_with_audit(&self.pool, None, insert, audit).await
    }

    async fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, DbError> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM kiosks WHERE id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn kiosks(&self) -> Result<Vec<KioskRow>, DbError> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM kiosks ORDER BY id"))
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn record_heartbeat(&self, id: &str, b: &HeartbeatRow) -> Result<bool, DbError> {
        Ok(sqlx::query(
            "UPDATE kiosks SET last_seen_at = $1::timestamptz, data_version = $2, page_version = $3, \
             offline_since = $4::timestamptz, last_error = $5 WHERE id = $6",
        )
        .bind(&b.at)
        .bind(&b.data_version)
        .bind(&b.page_version)
        .bind(&b.offline_since)
        .bind(&b.last_error)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }
}
