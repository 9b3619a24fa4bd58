//! Settings and quota rules in PostgreSQL.

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::audit::insert_audit;
use super::{begin_locked, Lock, PostgresDatabase};
use crate::db::settings::SettingsStore;
use crate::db::{audit::AuditEntry, error::DbError};
use crate::domain::quotas::Bound;
use crate::domain::review::YearRule;

#[async_trait]
impl SettingsStore for PostgresDatabase {
    async fn settings(&self) -> Result<BTreeMap<String, String>, DbError> {
        let pairs: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM settings")
            .fetch_all(&self.pool)
            .await?;
        Ok(pairs.into_iter().collect())
    }

    async fn save_settings(
        &self,
        values: &[(String, String)],
        rules: &[YearRule],
        audit: &AuditEntry,
    ) -> Result<(), DbError> {
        // Under the lock: two saves at once would otherwise both delete the old rules and both
        // insert theirs.
        let mut tx = begin_locked(&self.pool, Lock::Settings).await?;
        for (key, value) in values {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM quota_rules")
            .execute(&mut *tx)
            .await?;
        for r in rules {
            let (bound, percent) = match r.rule.bound {
                Bound::AtLeast(p) => ("at_least", p),
                Bound::AtMost(p) => ("at_most", p),
            };
            sqlx::query(
                "INSERT INTO quota_rules (category, year, attribute, bound, percent) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&r.category)
            .bind(r.year)
            .bind(r.rule.attribute)
            .bind(bound)
            .bind(percent)
            .execute(&mut *tx)
            .await?;
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }
}
