//! Input kept between a failed form post and the page that shows it again (POST, redirect, GET:
//! forms work without JavaScript and nothing typed is lost). Entries belong to one account, are
//! read once and expire after 15 minutes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::nominations::model::FormState;

const TTL: Duration = Duration::from_secs(15 * 60);
const MAX_ENTRIES: usize = 2_000;

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

#[derive(Default)]
pub struct FlashStore {
    entries: Mutex<HashMap<String, (i64, Instant, Flash)>>,
}

impl FlashStore {
    /// Keeps `flash` for `owner` and returns its key.
    pub fn put(&self, owner: i64, flash: Flash) -> String {
        let mut bytes = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut bytes);
        let key: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|_, (_, at, _)| at.elapsed() < TTL);
        if entries.len() >= MAX_ENTRIES {
            // Drop the oldest: a flood of failed posts must not grow memory without bound.
            if let Some(oldest) = entries
                .iter()
                .min_by_key(|(_, (_, at, _))| *at)
                .map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(key.clone(), (owner, Instant::now(), flash));
        key
    }

    /// The entry under `key` if it belongs to `owner`; it is gone afterwards.
    pub fn take(&self, owner: i64, key: &str) -> Option<Flash> {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match entries.get(key) {
            Some((o, at, _)) if *o == owner && at.elapsed() < TTL => {
                entries.remove(key).map(|(_, _, f)| f)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_once_by_its_owner_only() {
        let store = FlashStore::default();
        let key = store.put(1, Flash::Form(FormState::default()));
        assert_eq!(store.take(2, &key), None);
        assert!(store.take(1, &key).is_some());
        assert_eq!(store.take(1, &key), None);
    }
}
