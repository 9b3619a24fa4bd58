//! Admin accounts, their second factor, sign-in attempts and sessions.

use async_trait::async_trait;

use super::{audit::AuditEntry, error::DbError};
use crate::domain::procedure::Role;

/// A new admin account with its second factor, as the data layer stores it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_name: Option<String>,
    pub password_hash: String,
    pub totp_secret: String,
    /// SHA-256 (hex) of each normalised recovery code.
    pub recovery_code_hashes: Vec<String>,
}

/// A stored account, for login and session checks.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_name: Option<String>,
    pub password_hash: String,
    pub totp_secret: String,
    pub disabled: bool,
}

/// An account as the administrators' list shows it.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_name: Option<String>,
    pub disabled: bool,
    pub live_sessions: i64,
}

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

/// Where accounts, sign-in attempts and sessions are kept. Every change an administrator makes
/// is written with its audit entry, in one transaction.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Whether an account has this name.
    async fn username_taken(&self, username: &str) -> Result<bool, DbError>;
    /// Creates an account with its recovery codes and the audit entry, in one transaction.
    /// Returns the new id.
    async fn create_user(&self, user: &NewUser, audit: &AuditEntry) -> Result<i64, DbError>;
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
    /// Deletes every session expired at `now` or idle since before `idle_cutoff` (they would be
    /// refused anyway); returns how many.
    async fn forget_dead_sessions(&self, now: &str, idle_cutoff: &str) -> Result<u64, DbError>;
    /// Deletes the sign-in attempts made before `before` (no limit looks back that far); returns
    /// how many.
    async fn forget_login_attempts_before(&self, before: &str) -> Result<u64, DbError>;
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
}
