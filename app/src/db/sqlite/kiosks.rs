//! Kiosks in SQLite.

use async_trait::async_trait;

use super::audit::change_with_audit;
use super::SqliteDatabase;
use crate::db::audit::AuditEntry;
use crate::db::error::DbError;
use crate::db::kiosks::{HeartbeatRow, KioskRow, KioskStore};

const COLUMNS: &str = "id, name, monument, x, y, facing, idle_seconds, secret_hash, created_at, \
     last_seen_at, data_version, page_version, offline_since, last_error";

#[async_trait]
impl KioskStore for SqliteDatabase {
    async fn add_kiosk(&self, k: &KioskRow, audit: &AuditEntry) -> Result<bool, DbError> {
        let insert = sqlx::query(
            "INSERT INTO kiosks (id, name, monument, x, y, facing, idle_seconds, secret_hash, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
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
        change_with_audit(&self.pool, insert, audit).await
    }

    async fn kiosk(&self, id: &str) -> Result<Option<KioskRow>, DbError> {
        Ok(
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM kiosks WHERE id = ?"))
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
            "UPDATE kiosks SET last_seen_at = ?, data_version = ?, page_version = ?, \
             offline_since = ?, last_error = ? WHERE id = ?",
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
