//! Kept form input in PostgreSQL.

use async_trait::async_trait;

use super::{Lock, PostgresDatabase};
use crate::db::error::DbError;
use crate::db::kept_input::{KeepLimits, KeptInput, KeptInputStore, OwnerClass};

#[async_trait]
impl KeptInputStore for PostgresDatabase {
    async fn keep_input(&self, entry: &KeptInput, limits: &KeepLimits) -> Result<bool, DbError> {
        // Serialised per class: parallel posts would each count the budget without the others'
        // uncommitted entries and together overrun it. Accounts wait for the lock; anonymous
        // visitors do not (a flood of failed posts must not hold the pool's connections).
        let mut tx = self.pool.begin().await?;
        let taken = match entry.class {
            OwnerClass::Account => {
                super::lock_in(&mut tx, Lock::KeptInputOfAccounts).await?;
                true
            }
            OwnerClass::Visitor => super::try_lock_in(&mut tx, Lock::KeptInputOfVisitors).await?,
        };
        if !taken {
            tx.rollback().await?;
            return Ok(false);
        }
        if let Some(address) = &entry.address {
            let held: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM kept_input WHERE class = $1 AND address = $2 AND kept_at >= $3::timestamptz",
            )
            .bind(entry.class.code())
            .bind(address)
            .bind(&limits.expired_before)
            .fetch_one(&mut *tx)
            .await?;
            if held >= limits.max_per_address {
                // Ended now, not when the dropped transaction's connection is next used: its
                // lock would be held until then.
                tx.rollback().await?;
                return Ok(false);
            }
        }
        sqlx::query(
            "INSERT INTO kept_input (key, class, owner, address, kept_at, bytes, body) \
             VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7)",
        )
        .bind(&entry.key)
        .bind(entry.class.code())
        .bind(&entry.owner)
        .bind(&entry.address)
        .bind(&entry.kept_at)
        .bind(entry.bytes() as i32)
        .bind(&entry.body)
        .execute(&mut *tx)
        .await?;
        // Newest first, the entries past the budget of bytes or of entries go, and expired ones.
        sqlx::query(
            "DELETE FROM kept_input WHERE seq IN (\
               SELECT seq FROM (\
                 SELECT seq, kept_at, SUM(bytes) OVER (ORDER BY seq DESC) AS running, \
                        ROW_NUMBER() OVER (ORDER BY seq DESC) AS n \
                 FROM kept_input WHERE class = $1) AS ranked \
               WHERE running > $2 OR n > $3 OR kept_at < $4::timestamptz)",
        )
        .bind(entry.class.code())
        .bind(limits.budget)
        .bind(limits.max_entries)
        .bind(&limits.expired_before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn take_input(
        &self,
        key: &str,
        class: OwnerClass,
        owner: &str,
        not_before: &str,
    ) -> Result<Option<String>, DbError> {
        Ok(sqlx::query_scalar(
            "DELETE FROM kept_input WHERE key = $1 AND class = $2 AND owner = $3 \
             AND kept_at >= $4::timestamptz RETURNING body",
        )
        .bind(key)
        .bind(class.code())
        .bind(owner)
        .bind(not_before)
        .fetch_optional(&self.pool)
        .await?)
    }

    async fn forget_input_before(&self, before: &str) -> Result<u64, DbError> {
        Ok(
            sqlx::query("DELETE FROM kept_input WHERE kept_at < $1::timestamptz")
                .bind(before)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }

    async fn kept_input_bytes(&self, class: OwnerClass) -> Result<i64, DbError> {
        Ok(sqlx::query_scalar(
            "SELECT COALESCE(SUM(bytes), 0)::bigint FROM kept_input WHERE class = $1",
        )
        .bind(class.code())
        .fetch_one(&self.pool)
        .await?)
    }
}
