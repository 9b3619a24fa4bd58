//! Objections (异议) the public files during a notice, and their resolution.

use async_trait::async_trait;

use super::{accounts::Window, audit::AuditEntry, error::DbError};
use crate::domain::objection::Outcome;
use crate::domain::procedure::Stage;

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectionRow {
    pub id: i64,
    pub nomination_id: i64,
    pub stage: Stage,
    pub filed_at: String,
    pub name: String,
    pub contact: String,
    pub body: String,
    pub address: String,
    pub resolution: Option<Resolution>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Resolution {
    pub resolved_at: String,
    pub resolved_by: i64,
    pub resolver_name: String,
    pub finding: String,
    pub outcome: Outcome,
}

/// Where objections are kept.
#[async_trait]
pub trait ObjectionStore: Send + Sync + 'static {
    async fn objections(&self, nomination_id: i64) -> Result<Vec<ObjectionRow>, DbError>;
    async fn objection(&self, id: i64) -> Result<Option<ObjectionRow>, DbError>;
    /// Unresolved objections per nomination (only nominations that have some).
    async fn unresolved_objection_counts(
        &self,
    ) -> Result<std::collections::HashMap<i64, i64>, DbError>;
    /// Files an objection unless its address filed `limit.max` since `limit.since`: counted and
    /// written in one atomic step (`None` when the limit is reached, nothing written).
    async fn file_objection(
        &self,
        row: &ObjectionRow,
        audit: &AuditEntry,
        limit: &Window,
    ) -> Result<Option<i64>, DbError>;
    /// Records the resolution; false if the objection does not exist or is already resolved.
    async fn resolve_objection(
        &self,
        id: i64,
        resolution: &Resolution,
        audit: &AuditEntry,
    ) -> Result<bool, DbError>;
}

/// An objection row with its resolution, present once it is resolved. Written out because a
/// derived `FromRow` cannot make an optional group of columns; generic over backends.
impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for ObjectionRow
where
    &'static str: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Stage: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Outcome: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(r: &'r R) -> Result<Self, sqlx::Error> {
        let resolved_at: Option<String> = r.try_get("resolved_at")?;
        let resolution = match resolved_at {
            None => None,
            Some(resolved_at) => Some(Resolution {
                resolved_at,
                // Only the outcome is tied to `resolved_at` by the schema.
                resolved_by: r.try_get::<Option<i64>, _>("resolved_by")?.unwrap_or(0),
                resolver_name: r
                    .try_get::<Option<String>, _>("resolver_name")?
                    .unwrap_or_default(),
                finding: r
                    .try_get::<Option<String>, _>("finding")?
                    .unwrap_or_default(),
                outcome: r.try_get("outcome")?,
            }),
        };
        Ok(ObjectionRow {
            id: r.try_get("id")?,
            nomination_id: r.try_get("nomination_id")?,
            stage: r.try_get("stage")?,
            filed_at: r.try_get("filed_at")?,
            name: r.try_get("name")?,
            contact: r.try_get("contact")?,
            body: r.try_get("body")?,
            address: r.try_get("address")?,
            resolution,
        })
    }
}
