//! The append-only audit log: who did what, when, from where.

use async_trait::async_trait;

use super::error::DbError;

/// One entry of the append-only audit log.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
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

/// Where the audit log is kept. Entries about a change are written by the store of that change,
/// in its transaction; this store appends the entries that stand alone and reads the log.
#[async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// The audit log, oldest first.
    async fn audit_log(&self) -> Result<Vec<AuditEntry>, DbError>;
    /// A page of the audit log, newest first: entries with an id below `before` (all if `None`),
    /// at most `limit`, each with its id.
    async fn audit_page(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<(i64, AuditEntry)>, DbError>;
    /// Audit entries about one object, oldest first (a nomination's history).
    async fn audit_for(
        &self,
        object_type: &str,
        object_id: &str,
    ) -> Result<Vec<AuditEntry>, DbError>;
    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), DbError>;
    /// Records a refusal: counted into the entry of the same action, actor and address written
    /// since `since` if there is one, appended otherwise. A flood is one entry with a count.
    async fn append_refusal(&self, entry: &AuditEntry, since: &str) -> Result<(), DbError>;
}
