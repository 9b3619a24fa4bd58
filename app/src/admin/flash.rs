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
/// Kept input of signed-in accounts together, and of anonymous visitors together: each class has
/// its own budget, so a flood of failed anonymous posts never pushes out an administrator's
/// one-time secrets.
pub const MAX_BYTES: usize = 4 << 20;
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

/// The entries of one class, oldest first in `order` (keys already taken are skipped there).
#[derive(Default)]
struct Budget {
    order: std::collections::VecDeque<String>,
    bytes: usize,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, Entry>,
    accounts: Budget,
    visitors: Budget,
}

impl Entries {
    fn budget(&mut self, owner: &FlashOwner) -> &mut Budget {
        match owner {
            FlashOwner::Account(_) => &mut self.accounts,
            FlashOwner::Visitor(_) => &mut self.visitors,
        }
    }

    /// Drops the oldest entries of `owner`'s class while they are expired or `need` more bytes
    /// would not fit.
    fn make_room(&mut self, owner: &FlashOwner, need: usize) {
        loop {
            let budget = self.budget(owner);
            let Some(key) = budget.order.front().cloned() else {
                return;
            };
            let bytes_now = budget.bytes;
            let Some(entry) = self.by_key.get(&key) else {
                self.budget(owner).order.pop_front();
                continue;
            };
            if entry.at.elapsed() < TTL && bytes_now + need <= MAX_BYTES {
                return;
            }
            let gone = self.by_key.remove(&key).map_or(0, |e| e.bytes);
            let budget = self.budget(owner);
            budget.order.pop_front();
            budget.bytes -= gone;
        }
    }
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
        e.make_room(&owner, bytes);
        // Keys of entries already read wait in the queue; when they outnumber the live entries,
        // the queue is compacted (so reading and posting in a loop cannot grow it).
        let Entries {
            by_key,
            accounts,
            visitors,
        } = &mut *e;
        let class = match owner {
            FlashOwner::Account(_) => accounts,
            FlashOwner::Visitor(_) => visitors,
        };
        if class.order.len() > 2 * by_key.len() + 64 {
            class.order.retain(|k| by_key.contains_key(k));
        }
        let budget = e.budget(&owner);
        budget.bytes += bytes;
        budget.order.push_back(key.clone());
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
                // Its key stays in the order queue until it reaches the front; only the bytes go.
                e.budget(owner).bytes -= v.bytes;
                Some(v.flash)
            }
            _ => None,
        }
    }

    /// Bytes held now (for tests and monitoring).
    pub fn bytes(&self) -> usize {
        let e = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        e.accounts.bytes + e.visitors.bytes
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
            assert!(store.bytes() <= MAX_BYTES, "{}", store.bytes());
        }
        // The newest is still there, the oldest gone.
        let owner = FlashOwner::Visitor("v".into());
        assert!(store.take(&owner, keys.last().unwrap()).is_some());
        assert!(store.take(&owner, &keys[0]).is_none());
        // Accounts' entries are untouched by the visitors' flood.
        let secret = store.put(FlashOwner::Account(7), form("secret")).unwrap();
        for _ in 0..1_000 {
            store
                .put(FlashOwner::Visitor("v".into()), form(&big))
                .unwrap();
        }
        assert!(store.take(&FlashOwner::Account(7), &secret).is_some());
        // One entry over the limit is refused outright.
        assert!(store
            .put(owner, form(&"y".repeat(MAX_ENTRY_BYTES)))
            .is_none());
    }
}
