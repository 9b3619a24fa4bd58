//! Kept form input in PostgreSQL.

use async_trait::async_trait;

use super::{begin_locked, Lock, PostgresDatabase};
use crate::db::error::DbError;
use crate::db::kept_input::{KeptInput, KeptInputStore, OwnerClass};

#[async_trait]
impl KeptInputStore for PostgresDatabase {
    async fn keep_input(
        &self,
        entry: &KeptInput,
        expired_before: &str,
        budget: i64,
    ) -> Result<(), DbError> {
        // Serialised per class: parallel posts would each count the budget without the others'
        // uncommitted entries and together overrun it.
        let lock = match entry.class {
            OwnerClass::Account => Lock::KeptInputOfAccounts,
            OwnerClass::Visitor => Lock::KeptInputOfVisitors,
        };
        let mut tx = begin_locked(&self.pool, lock).await?;
        sqlx::query(
            "INSERT INTO kept_input (key, class, owner, kept_at, bytes, body) \
             VALUES ($1, $2, $3, $4::timestamptz, $5, $6)",
        )
        .bind(&entry.key)
        .bind(entry.class.code())
        .bind(&entry.owner)
        .bind(&entry.kept_at)
        .bind(entry.bytes() as i32)
        .bind(&entry.body)
        .execute(&mut *tx)
        .await?;
        // Newest first, the entries whose running total passes the budget go.
        sqlx::query(
            "DELETE FROM kept_input WHERE seq IN (\
               SELECT seq FROM (\
                 SELECT seq, kept_at, SUM(bytes) OVER (ORDER BY seq DESC) AS running \
                 FROM kept_input WHERE class = $1) AS ranked \
               WHERE running > $2 OR kept_at < $3::timestamptz)",
        )
        .bind(entry.class.code())
        .bind(budget)
        .bind(expired_before)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
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
