//! Nominations through the procedure, with their attachments and departmental checks.

use async_trait::async_trait;

use super::audit::AuditEntry;
use super::catalogue::{Additions, Dataset, OrganisationRow, PersonRow};
use super::error::DbError;
use crate::domain::attachments::AttachmentKind;
use crate::domain::packet::Packet;
use crate::domain::procedure::Stage;
use crate::domain::review::{Verdict, YearRule};

/// A stored nomination: the packet and where it stands.
#[derive(Clone, Debug, PartialEq, Default, sqlx::FromRow)]
pub struct NominationRow {
    pub id: i64,
    pub unit_name: String,
    pub created_by: i64,
    #[sqlx(flatten)]
    pub packet: Packet,
    pub stage: Stage,
    pub version: i64,
    /// The running (or last) notice, as dates `YYYY-MM-DD`.
    pub notice_start: Option<String>,
    pub notice_end: Option<String>,
    pub decision_note: Option<String>,
    pub person_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub honour_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

/// What is written together with a changed nomination, in the same transaction.
#[derive(Clone, Debug)]
pub struct NominationChange {
    pub audit: AuditEntry,
    /// Departmental checks to open (the second review begins).
    pub open_checks: Vec<String>,
    /// The laureate records of an approval.
    pub approval: Option<ApprovalPlan>,
}

/// Plans new records against the records as they are (the import's `plan_additions`).
pub type PlanAdditions = fn(
    Vec<(PersonRow, String, i32)>,
    Vec<(OrganisationRow, String, i32)>,
    &Dataset,
    crate::import::csv::AdditionRules,
) -> Result<Additions, String>;

/// The laureate an approval creates (a person or an organisation, with its honour code and
/// year). The store plans the records inside its write transaction, from the records as they are
/// at that moment, so two approvals at once never take the same ids or the same wall slot.
#[derive(Clone, Debug)]
pub struct ApprovalPlan {
    pub people: Vec<(PersonRow, String, i32)>,
    pub organisations: Vec<(OrganisationRow, String, i32)>,
    pub plan: PlanAdditions,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub nomination_id: i64,
    pub kind: AttachmentKind,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: String,
    pub uploaded_by: i64,
}

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct CheckRow {
    pub id: i64,
    pub nomination_id: i64,
    pub department: String,
    /// Once decided.
    pub verdict: Option<Verdict>,
    pub note: Option<String>,
    pub decided_at: Option<String>,
    pub decider_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckDecision {
    pub verdict: Verdict,
    pub note: String,
    pub decided_at: String,
    pub decided_by: i64,
    pub decider_name: String,
}

/// Where nominations, their attachments and checks are kept. Every write carries its audit
/// entry and happens in one transaction.
#[async_trait]
pub trait NominationStore: Send + Sync + 'static {
    async fn create_nomination(
        &self,
        row: &NominationRow,
        audit: &AuditEntry,
    ) -> Result<i64, DbError>;
    async fn nomination(&self, id: i64) -> Result<Option<NominationRow>, DbError>;
    async fn nominations(&self) -> Result<Vec<NominationRow>, DbError>;
    /// Writes `row` if the stored nomination is still at `row.version` (the version read),
    /// bumping the version. False, and nothing written, if someone else saved in between.
    async fn save_nomination(
        &self,
        row: &NominationRow,
        change: &NominationChange,
    ) -> Result<bool, DbError>;
    async fn attachments(&self, nomination_id: i64) -> Result<Vec<AttachmentRow>, DbError>;
    async fn attachment(&self, id: i64) -> Result<Option<AttachmentRow>, DbError>;
    async fn add_attachment(&self, row: &AttachmentRow, audit: &AuditEntry)
        -> Result<i64, DbError>;
    async fn delete_attachment(&self, id: i64, audit: &AuditEntry) -> Result<bool, DbError>;
    /// How many attachment rows name this stored file (it may be deleted when none do).
    async fn attachments_with_hash(&self, sha256: &str) -> Result<i64, DbError>;
    async fn checks(&self, nomination_id: i64) -> Result<Vec<CheckRow>, DbError>;
    async fn decide_check(
        &self,
        id: i64,
        decision: &CheckDecision,
        audit: &AuditEntry,
    ) -> Result<bool, DbError>;
    /// The quota rules the first review checks a batch against.
    async fn quota_rules(&self) -> Result<Vec<YearRule>, DbError>;
}

/// The packet's columns of a nomination row. Written out because the domain's `Packet` knows
/// nothing of SQL and so cannot derive it; generic, so every backend reads packets the same way.
impl<'r, R: sqlx::Row> sqlx::FromRow<'r, R> for Packet
where
    &'static str: sqlx::ColumnIndex<R>,
    String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i32: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn from_row(r: &'r R) -> Result<Self, sqlx::Error> {
        Ok(Packet {
            category: r.try_get("category")?,
            year: r.try_get("year")?,
            candidate_kind: r.try_get("candidate_kind")?,
            candidate_name: r.try_get("candidate_name")?,
            sex: r.try_get("sex")?,
            ethnicity: r.try_get("ethnicity")?,
            birth_year: r.try_get("birth_year")?,
            work_unit: r.try_get("work_unit")?,
            post: r.try_get("post")?,
            industry: r.try_get("industry")?,
            district: r.try_get("district")?,
            frontline: r.try_get("frontline")?,
            scitech: r.try_get("scitech")?,
            manager: r.try_get("manager")?,
            report: r.try_get("report")?,
            deeds_short: r.try_get("deeds_short")?,
            deeds_full: r.try_get("deeds_full")?,
        })
    }
}
