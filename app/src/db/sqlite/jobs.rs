//! Leases for scheduled work in SQLite.

use async_trait::async_trait;

use super::SqliteDatabase;
use crate::db::error::DbError;
use crate::db::jobs::LeaseStore;

#[async_trait]
impl LeaseStore for SqliteDatabase {
    async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        now: &str,
        until: &str,
    ) -> Result<bool, DbError> {
        let changed = sqlx::query(
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
        )
        .bind(name)
        .bind(holder)
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(changed == 1)
    }

    async fn release_lease(&self, name: &str, holder: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM leases WHERE name = ? AND holder = ?")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn lease_holder(&self, name: &str, now: &str) -> Result<Option<String>, DbError> {
        Ok(
            sqlx::query_scalar("SELECT holder FROM leases WHERE name = ? AND expires_at > ?")
                .bind(name)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
