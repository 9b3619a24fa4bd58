//! Form input kept between a failed post and the page that shows it again, read once by its
//! owner. Kept in the database so that the page after the redirect may be answered by another
//! instance than the one that took the post. Each class of owner has its own byte budget.

use async_trait::async_trait;

use super::error::DbError;

/// Whose kept input this is: each class has its own budget, so a flood of failed anonymous posts
/// never pushes out what a signed-in account typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnerClass {
    Account,
    Visitor,
}

impl OwnerClass {
    pub fn code(self) -> &'static str {
        match self {
            OwnerClass::Account => "account",
            OwnerClass::Visitor => "visitor",
        }
    }
}

/// One entry to keep.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptInput {
    /// The random key the redirect carries.
    pub key: String,
    pub class: OwnerClass,
    /// The account id, or the visitor's cookie token.
    pub owner: String,
    /// Where an anonymous visitor posted from (None for accounts).
    pub address: Option<String>,
    pub kept_at: String,
    /// What the page needs to show the form again (JSON).
    pub body: String,
}

/// What keeping one more entry may not exceed.
#[derive(Clone, Debug, PartialEq)]
pub struct KeepLimits {
    /// Entries kept before this are expired (removed when the class is trimmed).
    pub expired_before: String,
    /// Bytes the class may hold: the oldest entries go first.
    pub budget: i64,
    /// Entries the class may hold, whatever their size.
    pub max_entries: i64,
    /// Unexpired entries one address may hold (anonymous visitors): beyond it nothing is kept.
    pub max_per_address: i64,
}

impl KeptInput {
    /// What the entry counts against its class's budget: its text and the row around it.
    pub fn bytes(&self) -> i64 {
        (self.key.len() + self.owner.len() + self.kept_at.len() + self.body.len() + 64) as i64
    }
}

#[async_trait]
pub trait KeptInputStore: Send + Sync + 'static {
    /// Keeps `entry`; then, in the same transaction, removes its class's expired entries, and the
    /// oldest ones while the class holds more than its budget of bytes or entries. Keeps nothing
    /// (false) when the entry's address already holds its share, or when parallel anonymous
    /// posts are being kept already (a flood waits for nobody).
    async fn keep_input(&self, entry: &KeptInput, limits: &KeepLimits) -> Result<bool, DbError>;
    /// Reads and removes, in one statement, the entry `key` if it belongs to `owner` of `class`
    /// and was kept at or after `not_before`.
    async fn take_input(
        &self,
        key: &str,
        class: OwnerClass,
        owner: &str,
        not_before: &str,
    ) -> Result<Option<String>, DbError>;
    /// Removes every entry kept before `before` (the scheduled clean-up); how many went.
    async fn forget_input_before(&self, before: &str) -> Result<u64, DbError>;
    /// Bytes a class holds now.
    async fn kept_input_bytes(&self, class: OwnerClass) -> Result<i64, DbError>;
}
