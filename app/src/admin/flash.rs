//! Input kept between a failed form post and the page that shows it again (POST, redirect, GET:
//! forms work without JavaScript and nothing typed is lost). An entry belongs to one owner — a
//! signed-in account, or an anonymous visitor's own random cookie — so a link carrying its key
//! shows nothing to anybody else. Entries are read once and expire after 15 minutes. They live in
//! the database (`db::kept_input`), so the page after the redirect may come from any instance;
//! each class of owner is bounded in bytes there, the oldest entries going first.

use chrono::Duration;
use rand::RngCore;

use crate::auth::session::timestamp;
use crate::db::{DbError, KeepLimits, KeptInput, OwnerClass};
use crate::nominations::model::FormState;
use crate::state::AppState;

const TTL_MINUTES: i64 = 15;
/// Kept input of signed-in accounts together, and of anonymous visitors together: each class has
/// its own budget, so a flood of failed anonymous posts never pushes out an administrator's
/// input.
pub const MAX_BYTES: i64 = 4 << 20;
/// One entry (forms are limited to 64 KiB bodies; an entry is never larger than the form).
pub const MAX_ENTRY_BYTES: i64 = 128 << 10;
/// Entries a class may hold whatever their size (trimming scans the class: it stays short).
pub const MAX_ENTRIES: i64 = 2_000;
/// Failed anonymous posts kept per address within the 15 minutes: a person correcting a form
/// needs a few; anything beyond is a flood, and its input is not kept.
pub const MAX_PER_ADDRESS: i64 = 10;

/// Whose an entry is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FlashOwner {
    Account(i64),
    /// The random token of an anonymous visitor's `visitor` cookie.
    Visitor(String),
}

impl From<i64> for FlashOwner {
    fn from(account: i64) -> Self {
        FlashOwner::Account(account)
    }
}

impl FlashOwner {
    fn stored_as(&self) -> (OwnerClass, String) {
        match self {
            FlashOwner::Account(id) => (OwnerClass::Account, id.to_string()),
            FlashOwner::Visitor(token) => (OwnerClass::Visitor, token.clone()),
        }
    }
}

/// Keeps `form` for `owner` and returns its key, or `None` when it is not kept: the entry alone
/// is over the size limit, or an anonymous visitor's address has kept its share (the caller then
/// shows the form without the kept text). `address` counts anonymous visitors' entries.
pub async fn keep(
    state: &AppState,
    owner: &FlashOwner,
    address: &str,
    form: &FormState,
) -> Result<Option<String>, DbError> {
    let (class, owner) = owner.stored_as();
    let address = (class == OwnerClass::Visitor).then(|| address.to_string());
    let now = state.clock.now();
    let entry = KeptInput {
        key: random_hex(12),
        class,
        owner,
        address,
        kept_at: timestamp(now),
        body: serde_json::to_string(form)
            .map_err(|e| DbError::Inconsistent(format!("kept input: {e}")))?,
    };
    if entry.bytes() > MAX_ENTRY_BYTES {
        return Ok(None);
    }
    let limits = KeepLimits {
        expired_before: timestamp(now - Duration::minutes(TTL_MINUTES)),
        budget: MAX_BYTES,
        max_entries: MAX_ENTRIES,
        max_per_address: MAX_PER_ADDRESS,
    };
    let kept = state.db.kept_input.keep_input(&entry, &limits).await?;
    Ok(kept.then_some(entry.key))
}

/// The form kept under `key` if it belongs to `owner` and has not expired; it is gone afterwards.
/// A key of the wrong shape finds nothing; a database that does not answer is an error (the page
/// says "unavailable" rather than show the form empty as if nothing had been typed).
pub async fn take(
    state: &AppState,
    owner: &FlashOwner,
    key: &str,
) -> Result<Option<FormState>, DbError> {
    if key.len() != 24 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let (class, owner) = owner.stored_as();
    let not_before = timestamp(state.clock.now() - Duration::minutes(TTL_MINUTES));
    let body = state
        .db
        .kept_input
        .take_input(key, class, &owner, &not_before)
        .await?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

/// The scheduled clean-up: entries nobody came back for. Returns how many went.
pub async fn forget_expired(state: &AppState) -> Result<u64, DbError> {
    let before = timestamp(state.clock.now() - Duration::minutes(TTL_MINUTES));
    state.db.kept_input.forget_input_before(&before).await
}

fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new anonymous visitor token (for the `visitor` cookie).
pub fn new_visitor_token() -> String {
    random_hex(16)
}

/// The cookie that ties an anonymous visitor's kept input to their own browser.
pub const VISITOR_COOKIE: &str = "visitor";

/// The visitor token in a Cookie header, if it is one of ours (32 hex digits).
pub fn visitor_from_cookies(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("visitor="))
        .find(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Sets the visitor cookie: HttpOnly, same-site only, limited to the pages that use it.
pub fn visitor_cookie(token: &str, secure: bool) -> String {
    format!(
        "{VISITOR_COOKIE}={token}; Path=/notices; HttpOnly; SameSite=Strict; Max-Age=3600{}",
        if secure { "; Secure" } else { "" }
    )
}
