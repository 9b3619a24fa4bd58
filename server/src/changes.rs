//! Keeping this server's catalogue in step with changes made elsewhere: another instance, or
//! `server import` in another process.
//!
//! With PostgreSQL the database pushes word of each committed change (`LISTEN`); the server
//! rebuilds within a second, and still asks for the data stamp every [`SAFETY_NET`] in case a
//! notice went astray. When the listening connection is lost it is made again and the stamp is
//! checked at once (notices sent meanwhile are gone). Where listening is not possible (SQLite, or
//! a connection pooler in transaction mode: `DATA_CHANGES=poll`) the server asks every
//! [`POLL`]: the stamp is one row, so asking is cheap.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::db::{ChangeListener, Notice};
use app::state::AppState;

/// How often the stamp is asked for when changes are not pushed.
pub const POLL: Duration = Duration::from_secs(1);
/// How often it is asked for anyway while listening.
pub const SAFETY_NET: Duration = Duration::from_secs(30);
/// The wait before listening again after the listener failed.
const RETRY: Duration = Duration::from_secs(2);

/// How the server hears of changes, for `/readyz`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedState {
    /// Not started yet.
    Starting,
    Listening,
    Polling,
    /// Listening failed; asking every second until it works again.
    Reconnecting,
}

impl FeedState {
    pub fn code(self) -> &'static str {
        match self {
            FeedState::Starting => "starting",
            FeedState::Listening => "listening",
            FeedState::Polling => "polling",
            FeedState::Reconnecting => "reconnecting",
        }
    }

    /// Whether the server keeps up with changes as it should.
    pub fn is_ready(self) -> bool {
        matches!(self, FeedState::Listening | FeedState::Polling)
    }
}

/// The watcher's state, shared with the health endpoint.
#[derive(Clone)]
pub struct FeedHealth(Arc<Mutex<FeedState>>);

impl Default for FeedHealth {
    fn default() -> Self {
        FeedHealth(Arc::new(Mutex::new(FeedState::Starting)))
    }
}

impl FeedHealth {
    pub fn get(&self) -> FeedState {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, state: FeedState) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = state;
    }
}

/// `DATA_CHANGES`: `listen` (the default) or `poll`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Listen,
    Poll,
}

impl Mode {
    pub fn parse(value: &str) -> Result<Mode, String> {
        match value.trim() {
            "" | "listen" => Ok(Mode::Listen),
            "poll" => Ok(Mode::Poll),
            other => Err(format!(
                "DATA_CHANGES: {other:?} is neither listen nor poll"
            )),
        }
    }
}

async fn check(state: &AppState) {
    match state.refresh_if_changed().await {
        Ok(true) => {
            tracing::info!("records changed: catalogue rebuilt");
            crate::memory::release_free_memory();
        }
        Ok(false) => {}
        Err(e) => tracing::error!("checking for changed records: {e}"),
    }
}

/// Runs for the life of the server.
pub async fn keep_in_step(state: AppState, mode: Mode, health: FeedHealth) {
    let mut listener: Option<Box<dyn ChangeListener>> = None;
    let mut may_listen = mode == Mode::Listen;
    loop {
        if listener.is_none() && may_listen {
            match state.db.changes.listen().await {
                Ok(Some(l)) => {
                    listener = Some(l);
                    health.set(FeedState::Listening);
                    // Anything committed before the listener was there was not announced to it.
                    check(&state).await;
                }
                Ok(None) => may_listen = false,
                Err(e) => {
                    tracing::warn!("listening for changes failed, asking instead for now: {e}");
                    health.set(FeedState::Reconnecting);
                }
            }
        }
        if listener.is_none() && !may_listen {
            health.set(FeedState::Polling);
        }
        match listener.as_mut() {
            Some(l) => {
                let heard = tokio::time::timeout(SAFETY_NET, l.next()).await;
                match heard {
                    Ok(Ok(Notice::Changed)) | Err(_) => check(&state).await,
                    Ok(Ok(Notice::Reconnected)) => {
                        tracing::warn!(
                            "the change listener reconnected; checking for missed changes"
                        );
                        check(&state).await;
                    }
                    Ok(Err(e)) => {
                        tracing::warn!("the change listener failed: {e}");
                        listener = None;
                        health.set(FeedState::Reconnecting);
                        check(&state).await;
                        tokio::time::sleep(RETRY).await;
                    }
                }
            }
            None => {
                tokio::time::sleep(POLL).await;
                check(&state).await;
            }
        }
    }
}
