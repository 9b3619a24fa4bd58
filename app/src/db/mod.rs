//! The data layer: one `Database` trait, one module per backend. Only these modules speak SQL;
//! everything above them works on the row types below. SQLite is the embedded default;
//! the schema is kept portable so a PostgreSQL module can implement the same trait.
//!
//! Long because it holds every row type and the whole trait; it is to become one small store
//! trait per area (catalogue, accounts, audit, nominations).

pub mod sqlite;

use async_trait::async_trait;

/// Errors of the data layer. They stay on the server: the HTTP edge maps them to a generic
/// message (see `crate::error`).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL {0:?}: use sqlite:PATH")]
    UnsupportedUrl(String),
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct HonourCategoryRow {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
    pub recipient: String,
    pub engraved: bool,
    pub awarded_by: String,
    pub frequency: String,
    pub sort_order: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BatchRow {
    pub id: i64,
    pub level: String,
    pub year: i32,
    pub seq: i32,
    pub published: bool,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct PersonRow {
    pub id: i64,
    pub name_engraved: String,
    pub name_correct: String,
    pub surname: String,
    pub sex: Option<String>,
    pub ethnicity: Option<String>,
    pub birth_year: Option<i32>,
    pub native_place: Option<String>,
    pub political: Option<String>,
    pub work_unit: Option<String>,
    pub post: Option<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub frontline: bool,
    pub scitech: bool,
    pub manager: bool,
    pub deeds_short: Option<String>,
    pub deeds_full: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub parent_name: Option<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub deeds_short: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HonourRow {
    pub id: i64,
    pub category: String,
    pub person_id: Option<i64>,
    pub organisation_id: Option<i64>,
    pub year: i32,
    pub batch_id: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MediaRow {
    pub id: i64,
    pub person_id: i64,
    pub kind: String,
    pub url: String,
    pub title: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SectionRow {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub level: String,
    pub location_zh: String,
    pub location_en: String,
    pub mode: String,
    pub rows_per_stone: i64,
    pub names_per_row: i64,
    pub sort_order: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SlotRow {
    pub id: i64,
    pub section_id: i64,
    pub person_id: i64,
    pub honour_id: i64,
    pub year: i32,
    pub stone: i64,
    pub row_no: i64,
    pub position: i64,
}

/// The whole public record set, as loaded at start-up and written by the demo generator.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    pub categories: Vec<HonourCategoryRow>,
    pub batches: Vec<BatchRow>,
    pub sections: Vec<SectionRow>,
    pub people: Vec<PersonRow>,
    pub organisations: Vec<OrganisationRow>,
    pub honours: Vec<HonourRow>,
    pub media: Vec<MediaRow>,
    pub slots: Vec<SlotRow>,
}

impl Dataset {
    /// Batches whose honours are public (an unpublished batch is still under review).
    pub fn published_batch_ids(&self) -> std::collections::HashSet<i64> {
        self.batches
            .iter()
            .filter(|b| b.published)
            .map(|b| b.id)
            .collect()
    }

    /// What the public may see: the one definition every public answer (wall, search index,
    /// profiles, statistics, open data) is built from. An honour is public when it belongs to no
    /// batch or to a published one; a person or organisation when they hold a public honour; a
    /// wall slot or medium when its honour or person is public. A nominee approved into a batch
    /// still under review is therefore nowhere in it.
    pub fn public(&self) -> Dataset {
        use std::collections::HashSet;
        let published = self.published_batch_ids();
        let honours: Vec<HonourRow> = self
            .honours
            .iter()
            .filter(|h| h.batch_id.is_none_or(|b| published.contains(&b)))
            .cloned()
            .collect();
        let honour_ids: HashSet<i64> = honours.iter().map(|h| h.id).collect();
        let people_ids: HashSet<i64> = honours.iter().filter_map(|h| h.person_id).collect();
        let organisation_ids: HashSet<i64> =
            honours.iter().filter_map(|h| h.organisation_id).collect();
        Dataset {
            categories: self.categories.clone(),
            batches: self
                .batches
                .iter()
                .filter(|b| b.published)
                .cloned()
                .collect(),
            sections: self.sections.clone(),
            people: self
                .people
                .iter()
                .filter(|p| people_ids.contains(&p.id))
                .cloned()
                .collect(),
            organisations: self
                .organisations
                .iter()
                .filter(|o| organisation_ids.contains(&o.id))
                .cloned()
                .collect(),
            media: self
                .media
                .iter()
                .filter(|m| people_ids.contains(&m.person_id))
                .cloned()
                .collect(),
            slots: self
                .slots
                .iter()
                .filter(|s| honour_ids.contains(&s.honour_id))
                .cloned()
                .collect(),
            honours,
        }
    }
}

/// New records to add to what is stored (the import path). Ids are assigned by the caller from
/// `next_ids`, inside the same transaction as the insert.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Additions {
    pub batches: Vec<BatchRow>,
    pub organisations: Vec<OrganisationRow>,
    pub people: Vec<PersonRow>,
    pub honours: Vec<HonourRow>,
    pub media: Vec<MediaRow>,
    pub slots: Vec<SlotRow>,
}

/// A new admin account with its second factor, as the data layer stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    /// `administrator`, `nominating_unit`, `reviewer` or `notice_manager`.
    pub role: String,
    pub unit_name: Option<String>,
    pub password_hash: String,
    pub totp_secret: String,
    /// SHA-256 (hex) of each normalised recovery code.
    pub recovery_code_hashes: Vec<String>,
}

/// A stored account, for login and session checks.
#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_name: Option<String>,
    pub password_hash: String,
    pub totp_secret: String,
    pub disabled: bool,
}

/// An account as the administrators' list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_name: Option<String>,
    pub disabled: bool,
    pub live_sessions: i64,
}

/// One entry of the append-only audit log.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditEntry {
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub address: Option<String>,
    /// How many times this happened (refusals from one source are counted in one entry).
    pub repeat_count: i64,
    /// When it last happened, if more than once.
    pub last_at: Option<String>,
}

/// The most an audit entry keeps of each field: nothing a visitor types can make an entry large.
pub const AUDIT_NAME_CHARS: usize = 64;
pub const AUDIT_OBJECT_CHARS: usize = 200;
/// Changes: as large as any form may be (64 KiB bodies), so an edit's history is never cut.
pub const AUDIT_JSON_CHARS: usize = 65_536;

/// A window of attempts counted for a limit: at most `max` since `since`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub since: String,
    pub max: i64,
}

/// The sign-in limits, all counted over the same window: failures for one account from one
/// address, from one address in all, and for one account from everywhere (much higher, so that
/// someone guessing elsewhere slows down without locking the owner out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginLimits {
    pub since: String,
    /// An address that signed in to the account since this time is the owner's: the per-account
    /// ceiling does not apply to it.
    pub known_since: String,
    pub per_account_and_address: i64,
    pub per_address: i64,
    pub per_account: i64,
}

impl AuditEntry {
    /// The entry with every field cut to its bound (stores call this before writing).
    pub fn bounded(&self) -> AuditEntry {
        use crate::domain::text::bounded;
        let cut = |s: &Option<String>, n| s.as_deref().map(|v| bounded(v, n));
        AuditEntry {
            at: bounded(&self.at, 40),
            actor_id: self.actor_id,
            actor_name: bounded(&self.actor_name, AUDIT_NAME_CHARS),
            action: bounded(&self.action, AUDIT_NAME_CHARS),
            object_type: bounded(&self.object_type, AUDIT_NAME_CHARS),
            object_id: cut(&self.object_id, AUDIT_OBJECT_CHARS),
            before_json: cut(&self.before_json, AUDIT_JSON_CHARS),
            after_json: cut(&self.after_json, AUDIT_JSON_CHARS),
            address: cut(&self.address, AUDIT_NAME_CHARS),
            repeat_count: self.repeat_count,
            last_at: self.last_at.clone(),
        }
    }

    /// An entry with the required fields; the optional ones are set with struct update syntax.
    pub fn new(at: String, actor_name: &str, action: &str, object_type: &str) -> Self {
        AuditEntry {
            at,
            actor_id: None,
            actor_name: actor_name.to_string(),
            action: action.to_string(),
            object_type: object_type.to_string(),
            object_id: None,
            before_json: None,
            after_json: None,
            address: None,
            repeat_count: 1,
            last_at: None,
        }
    }
}

/// A stored nomination: the packet and where it stands.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NominationRow {
    pub id: i64,
    pub unit_name: String,
    pub created_by: i64,
    pub packet: crate::domain::packet::Packet,
    /// `workflow::Stage` in snake_case.
    pub stage: String,
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
    bool,
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

#[derive(Clone, Debug, PartialEq)]
pub struct AttachmentRow {
    pub id: i64,
    pub nomination_id: i64,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: String,
    pub uploaded_by: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectionRow {
    pub id: i64,
    pub nomination_id: i64,
    pub stage: String,
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
    /// `upheld` or `dismissed`.
    pub outcome: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckRow {
    pub id: i64,
    pub nomination_id: i64,
    pub department: String,
    /// `pass` or `fail`, once decided.
    pub verdict: Option<String>,
    pub note: Option<String>,
    pub decided_at: Option<String>,
    pub decider_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckDecision {
    pub verdict: String,
    pub note: String,
    pub decided_at: String,
    pub decided_by: i64,
    pub decider_name: String,
}

#[async_trait]
pub trait Database: Send + Sync + 'static {
    /// Brings the schema up to date.
    async fn migrate(&self) -> Result<(), DbError>;
    /// Number of people stored (0 means the database is empty).
    async fn count_people(&self) -> Result<i64, DbError>;
    /// Everything, for the in-memory catalogue.
    async fn load(&self) -> Result<Dataset, DbError>;
    /// Replaces all records with `dataset`, in one transaction.
    async fn replace_all(&self, dataset: &Dataset) -> Result<(), DbError>;
    /// Adds records in one transaction; nothing is written if any insert fails.
    async fn add(&self, additions: &Additions) -> Result<(), DbError>;
    /// A short text that changes whenever the public records do (another process may write them:
    /// the import command), so the server knows when to rebuild its catalogue.
    async fn data_stamp(&self) -> Result<String, DbError>;
    /// Whether an account has this name.
    async fn username_taken(&self, username: &str) -> Result<bool, DbError>;
    /// Creates an account with its recovery codes and the audit entry, in one transaction.
    /// Returns the new id.
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<i64, DbError>;
    /// The audit log, oldest first.
    async fn audit_log(&self) -> Result<Vec<AuditEntry>, DbError>;
    /// A page of the audit log, newest first: entries with an id below `before` (all if `None`),
    /// at most `limit`, each with its id.
    async fn audit_page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<(i64, AuditEntry)>, DbError>;
    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), DbError>;
    /// Records a refusal: counted into the entry of the same action, actor and address written
    /// since `since` if there is one, appended otherwise. A flood is one entry with a count.
    async fn append_refusal(&self, entry: &AuditEntry, since: &str) -> Result<(), DbError>;
    async fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>, DbError>;
    /// Marks a recovery code used; false if no unused code of the user has this hash.
    async fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        at: &str,
    ) -> Result<bool, DbError>;
    /// Counts a sign-in attempt against the limits and records it as failed, in one atomic
    /// step: `None` (and nothing recorded) when a limit is reached, else the attempt's id, to
    /// mark it succeeded once the credentials check out. Parallel attempts cannot all pass.
    async fn begin_login_attempt(
        &self,
        username: &str,
        address: &str,
        at: &str,
        limits: &LoginLimits,
    ) -> Result<Option<i64>, DbError>;
    async fn mark_login_succeeded(&self, attempt_id: i64) -> Result<(), DbError>;
    /// Accepts a TOTP time step for an account once: true if it is later than the last accepted
    /// one (which it then becomes), false for a replayed or older code.
    async fn accept_totp_step(&self, user_id: i64, step: i64) -> Result<bool, DbError>;
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: &str,
        expires_at: &str,
        address: &str,
    ) -> Result<(), DbError>;
    /// The account of a live session (not expired, not idle since `idle_cutoff`, account enabled),
    /// marking the session seen at `now`. Dead sessions are deleted.
    async fn session_user(
        &self,
        token_hash: &str,
        now: &str,
        idle_cutoff: &str,
    ) -> Result<Option<UserRecord>, DbError>;
    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError>;
    async fn list_users(&self) -> Result<Vec<UserSummary>, DbError>;
    /// Disables or enables an account; disabling ends all its sessions. With the audit entry, in
    /// one transaction. False if there is no such account.
    async fn set_user_disabled(
        &self,
        user_id: i64,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<bool, DbError>;
    /// Ends every session of an account, with the audit entry. Returns how many ended.
    async fn end_sessions(&self, user_id: i64, audit: &AuditEntry) -> Result<u64, DbError>;

    // Nominations. Every write carries its audit entry and happens in one transaction.
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
    /// Audit entries about one object, oldest first (a nomination's history).
    async fn audit_for(
        &self,
        object_type: &str,
        object_id: &str,
    ) -> Result<Vec<AuditEntry>, DbError>;
    async fn attachments(&self, nomination_id: i64) -> Result<Vec<AttachmentRow>, DbError>;
    async fn attachment(&self, id: i64) -> Result<Option<AttachmentRow>, DbError>;
    async fn add_attachment(&self, row: &AttachmentRow, audit: &AuditEntry)
        -> Result<i64, DbError>;
    async fn delete_attachment(&self, id: i64, audit: &AuditEntry) -> Result<bool, DbError>;
    /// How many attachment rows name this stored file (it may be deleted when none do).
    async fn attachments_with_hash(&self, sha256: &str) -> Result<i64, DbError>;
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
    async fn checks(&self, nomination_id: i64) -> Result<Vec<CheckRow>, DbError>;
    async fn decide_check(
        &self,
        id: i64,
        decision: &CheckDecision,
        audit: &AuditEntry,
    ) -> Result<bool, DbError>;
    async fn settings(&self) -> Result<std::collections::BTreeMap<String, String>, DbError>;
    /// Stores settings and replaces the quota rules, in one transaction.
    async fn save_settings(
        &self,
        values: &[(String, String)],
        rules: &[crate::domain::review::YearRule],
        audit: &AuditEntry,
    ) -> Result<(), DbError>;
    async fn quota_rules(&self) -> Result<Vec<crate::domain::review::YearRule>, DbError>;
    /// Publishes or withdraws a batch; false if there is none with this id.
    async fn set_batch_published(
        &self,
        batch_id: i64,
        published: bool,
        audit: &AuditEntry,
    ) -> Result<bool, DbError>;
}

/// Opens the backend named by a database URL.
pub async fn connect(url: &str) -> Result<std::sync::Arc<dyn Database>, DbError> {
    if url.starts_with("sqlite:") {
        Ok(std::sync::Arc::new(
            sqlite::SqliteDatabase::connect(url).await?,
        ))
    } else {
        Err(DbError::UnsupportedUrl(url.to_string()))
    }
}
