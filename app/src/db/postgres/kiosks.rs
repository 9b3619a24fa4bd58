//! Kiosks in PostgreSQL.

use async_trait::async_trait;

use super::audit::change_with_audit;
use super::PostgresDatabase;
use crate::db::audit::AuditEntry;
use crate::db::error::DbError;
use crate::db::kiosks::{HeartbeatRow, KioskRow, KioskStore, SearchCountRow};

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

    async fn add_search_counts(
        &self,
        day: &str,
        counts: &[SearchCountRow],
        max_queries: i64,
    ) -> Result<(), DbError> {
        // One writer at a time: the day's count and the insert cannot interleave.
        let mut tx = super::begin_locked(&self.pool, super::Lock::KioskSearches).await?;
        for c in counts {
            sqlx::query(
                "INSERT INTO kiosk_searches (day, query, searched, found) \
                 SELECT $1, $2, $3, $4 \
                 WHERE EXISTS (SELECT 1 FROM kiosk_searches WHERE day = $1 AND query = $2) \
                    OR (SELECT COUNT(*) FROM kiosk_searches WHERE day = $1) < $5 \
                 ON CONFLICT (day, query) DO UPDATE \
                 SET searched = kiosk_searches.searched + excluded.searched, \
                     found = kiosk_searches.found + excluded.found",
            )
            .bind(day)
            .bind(&c.query)
            .bind(c.searched)
            .bind(c.found)
            .bind(max_queries)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn top_searches(
        &self,
        since_day: &str,
        not_found_only: bool,
        limit: i64,
    ) -> Result<Vec<SearchCountRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT query, SUM(searched)::bigint AS searched, SUM(found)::bigint AS found \
             FROM kiosk_searches WHERE day >= $1 GROUP BY query \
             HAVING NOT $2 OR SUM(found) < SUM(searched) \
             ORDER BY CASE WHEN $2 THEN SUM(searched) - SUM(found) ELSE SUM(searched) END DESC, query \
             LIMIT $3",
        )
        .bind(since_day)
        .bind(not_found_only)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
