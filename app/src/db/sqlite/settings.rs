//! Settings and quota rules in SQLite.

use std::collections::BTreeMap;

use async_trait::async_trait;
use sqlx::Row;

use super::{begin_write, insert_audit, SqliteDatabase};
use crate::db::{AuditEntry, DbError, SettingsStore};
use crate::domain::quotas::Bound;
use crate::domain::review::{attribute_code, YearRule};

#[async_trait]
impl SettingsStore for SqliteDatabase {
    async fn settings(&self) -> Result<BTreeMap<String, String>, DbError> {
        let rows = sqlx::query("SELECT key, value FROM settings")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| Ok((r.try_get("key")?, r.try_get("value")?)))
            .collect::<Result<_, sqlx::Error>>()?)
    }

    async fn save_settings(
        &self,
        values: &[(String, String)],
        rules: &[YearRule],
        audit: &AuditEntry,
    ) -> Result<(), DbError> {
        let mut tx = begin_write(&self.pool).await?;
        for (key, value) in values {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
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
                "INSERT INTO quota_rules (category, year, attribute, bound, percent) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&r.category)
            .bind(r.year)
            .bind(attribute_code(r.rule.attribute))
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
