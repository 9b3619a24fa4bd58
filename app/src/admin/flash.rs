//! Input kept between a failed form post and the page that shows it again (POST, redirect, GET:
//! forms work without JavaScript and nothing typed is lost). An entry belongs to one owner — a
//! signed-in account, or an anonymous visitor's own random cookie — so a link carrying its key
//! shows nothing to anybody else. Entries are read once, expire after 15 minutes, and the store
//! is bounded in bytes: when full, the oldest entries go first.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::nominations::model::FormState;

const TTL: Duration = Duration::from_secs(15 * 60);
/// All kept input together; a flood of failed posts cannot take more.
pub const MAX_BYTES: usize = 8 << 20;
/// One entry (forms are limited to 64 KiB bodies; an entry is never larger than the form).
pub const MAX_ENTRY_BYTES: usize = 128 << 10;

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

#[derive(Clone, Debug, PartialEq)]
pub enum Flash {
    Form(FormState),
    /// A new account's second factor, shown once.
    Secrets {
        username: String,
        totp_secret: String,
        provisioning_url: String,
        recovery_codes: Vec<String>,
    },
}

impl Flash {
    /// Memory the entry holds, roughly (text plus per-string overhead).
    fn bytes(&self) -> usize {
        let map = |m: &BTreeMap<String, String>| -> usize {
            m.iter().map(|(k, v)| k.len() + v.len() + 64).sum()
        };
        match self {
            Flash::Form(f) => {
                map(&f.fields) + map(&f.errors) + f.message.as_ref().map_or(0, String::len) + 64
            }
            Flash::Secrets {
                username,
                totp_secret,
                provisioning_url,
                recovery_codes,
            } => {
                username.len()
                    + totp_secret.len()
                    + provisioning_url.len()
                    + recovery_codes.iter().map(|c| c.len() + 32).sum::<usize>()
                    + 128
            }
        }
    }
}

struct Entry {
    owner: FlashOwner,
    at: Instant,
    bytes: usize,
    flash: Flash,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, Entry>,
    bytes: usize,
}

#[derive(Default)]
pub struct FlashStore {
    entries: Mutex<Entries>,
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

impl FlashStore {
    /// Keeps `flash` for `owner` and returns its key, or `None` when the entry alone is over the
    /// size limit (the caller then shows the form's messages without the kept text).
    pub fn put(&self, owner: FlashOwner, flash: Flash) -> Option<String> {
        let bytes = flash.bytes() + 96;
        if bytes > MAX_ENTRY_BYTES {
            return None;
        }
        let key = random_hex(12);
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let mut freed = 0;
        e.by_key.retain(|_, v| {
            let keep = v.at.elapsed() < TTL;
            if !keep {
                freed += v.bytes;
            }
            keep
        });
        e.bytes -= freed;
        while e.bytes + bytes > MAX_BYTES {
            // Drop the oldest until the new entry fits.
            let Some(oldest) = e
                .by_key
                .iter()
                .min_by_key(|(_, v)| v.at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(old) = e.by_key.remove(&oldest) {
                e.bytes -= old.bytes;
            }
        }
        e.bytes += bytes;
        e.by_key.insert(
            key.clone(),
            Entry {
                owner,
                at: Instant::now(),
                bytes,
                flash,
            },
        );
        Some(key)
    }

    /// The entry under `key` if it belongs to `owner`; it is gone afterwards.
    pub fn take(&self, owner: &FlashOwner, key: &str) -> Option<Flash> {
        let mut e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match e.by_key.get(key) {
            Some(v) if v.owner == *owner && v.at.elapsed() < TTL => {
                let v = e.by_key.remove(key)?;
                e.bytes -= v.bytes;
                Some(v.flash)
            }
            _ => None,
        }
    }

    /// Bytes held now (for tests and monitoring).
    pub fn bytes(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(text: &str) -> Flash {
        Flash::Form(FormState {
            fields: [("body".to_string(), text.to_string())].into(),
            ..Default::default()
        })
    }

    #[test]
    fn read_once_by_its_owner_only() {
        let store = FlashStore::default();
        let key = store
            .put(FlashOwner::Account(1), Flash::Form(FormState::default()))
            .unwrap();
        assert_eq!(store.take(&FlashOwner::Account(2), &key), None);
        assert_eq!(store.take(&FlashOwner::Visitor("x".into()), &key), None);
        assert!(store.take(&FlashOwner::Account(1), &key).is_some());
        assert_eq!(store.take(&FlashOwner::Account(1), &key), None);
        assert_eq!(store.bytes(), 0);
    }

    #[test]
    fn bounded_in_bytes() {
        let store = FlashStore::default();
        let big = "x".repeat(100 << 10);
        let mut keys = Vec::new();
        for _ in 0..1_000 {
            keys.push(
                store
                    .put(FlashOwner::Visitor("v".into()), form(&big))
                    .unwrap(),
            );
            assert!(store.bytes() <= MAX_BYTES);
        }
        // The newest is still there, the oldest gone.
        let owner = FlashOwner::Visitor("v".into());
        assert!(store.take(&owner, keys.last().unwrap()).is_some());
        assert!(store.take(&owner, &keys[0]).is_none());
        // One entry over the limit is refused outright.
        assert!(store
            .put(owner, form(&"y".repeat(MAX_ENTRY_BYTES)))
            .is_none());
    }
}
