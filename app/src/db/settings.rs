//! The administrators' settings (notice periods, quotas) as key/value pairs.

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::{audit::AuditEntry, error::DbError};
use crate::domain::review::YearRule;

/// Where settings are kept.
#[async_trait]
pub trait SettingsStore: Send + Sync + 'static {
    async fn settings(&self) -> Result<BTreeMap<String, String>, DbError>;
    /// Stores settings and replaces the quota rules, with the audit entry, in one transaction.
    async fn save_settings(
        &self,
        values: &[(String, String)],
        rules: &[YearRule],
        audit: &AuditEntry,
    ) -> Result<(), DbError>;
}
