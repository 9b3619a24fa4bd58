//! Leases for scheduled work in PostgreSQL.

use async_trait::async_trait;

use super::PostgresDatabase;
use crate::db::error::DbError;
use crate::db::jobs::LeaseStore;

#[async_trait]
impl LeaseStore for PostgresDatabase {
    async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        now: &str,
        until: &str,
    ) -> Result<bool, DbError> {
        // One statement: PostgreSQL re-checks the WHERE against the row as a concurrent taker
        // left it, so two instances never both take an expired lease.
        let changed = sqlx::query(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3::timestamptz) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at <= $4::timestamptz",
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
        sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn lease_holder(&self, name: &str, now: &str) -> Result<Option<String>, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT holder FROM leases WHERE name = $1 AND expires_at > $2::timestamptz",
        )
        .bind(name)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?)
    }
}
