//! Scheduled work, run by exactly one instance at a time: each instance tries every
//! [`RENEW`] to take or renew the lease `scheduler` for [`LEASE`]; the holder runs the work. If
//! the holder dies (or loses the database) its lease runs out and another instance takes it
//! within `LEASE + RENEW`. A holder that cannot renew stops working at once, before its lease
//! could pass to another.
//!
//! The work: deleting dead sessions and old sign-in attempts (`auth::session::forget_the_dead`),
//! kept form input nobody came back for (`admin::flash::forget_expired`), and collecting uploaded files no record names (`uploads::collect_garbage`).
//! Notices close on time without it: a nominee's stage follows the clock when it is read.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::state::AppState;

pub const LEASE_NAME: &str = "scheduler";
/// How long a taken lease lasts without renewal.
pub const LEASE: Duration = Duration::from_secs(30);
/// How often every instance tries to take or renew it.
pub const RENEW: Duration = Duration::from_secs(10);
/// How often the holder runs the clean-up.
const WORK_EVERY: Duration = Duration::from_secs(600);

/// Whether this instance holds the lease, for `/readyz`.
#[derive(Clone, Default)]
pub struct SchedulerHealth(Arc<Mutex<bool>>);

impl SchedulerHealth {
    pub fn holds_lease(&self) -> bool {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, holds: bool) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = holds;
    }
}

/// This instance's name in the lease: host, process and a random part (a restarted process on
/// the same host is another holder).
pub fn instance_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".into());
    format!(
        "{host}:{}:{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

/// Takes or renews the lease once; true while this instance holds it.
pub async fn hold(state: &AppState, me: &str) -> bool {
    let now = state.clock.now();
    let until = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
    match state
        .db
        .leases
        .hold_lease(
            LEASE_NAME,
            me,
            &app::auth::session::timestamp(now),
            &app::auth::session::timestamp(until),
        )
        .await
    {
        Ok(held) => held,
        Err(e) => {
            tracing::warn!("scheduler lease: {e}");
            false
        }
    }
}

/// Runs for the life of the server.
pub async fn run(state: AppState, me: String, health: SchedulerHealth) {
    let mut last_work: Option<tokio::time::Instant> = None;
    loop {
        let held = hold(&state, &me).await;
        if held != health.holds_lease() {
            tracing::info!(
                "{}",
                if held {
                    "this instance runs the scheduled work"
                } else {
                    "another instance runs the scheduled work"
                }
            );
        }
        health.set(held);
        if held && last_work.is_none_or(|t| t.elapsed() >= WORK_EVERY) {
            last_work = Some(tokio::time::Instant::now());
            match app::auth::session::forget_the_dead(&state).await {
                Ok((sessions, attempts)) => tracing::info!(
                    "clean-up: {sessions} dead session(s), {attempts} old sign-in attempt(s) deleted"
                ),
                Err(e) => tracing::error!("clean-up: {e}"),
            }
            match app::admin::flash::forget_expired(&state).await {
                Ok(0) => {}
                Ok(kept) => tracing::info!("clean-up: {kept} expired kept form input(s) deleted"),
                Err(e) => tracing::error!("clean-up: {e}"),
            }
            let files = crate::uploads::collect_garbage(&state).await;
            if files > 0 {
                tracing::info!("clean-up: {files} uploaded file(s) no record names deleted");
            }
        }
        if !held {
            last_work = None;
        }
        tokio::time::sleep(RENEW).await;
    }
}

/// Gives the lease up, so another instance takes over at once rather than when it runs out.
pub async fn release(state: &AppState, me: &str) {
    if let Err(e) = state.db.leases.release_lease(LEASE_NAME, me).await {
        tracing::warn!("releasing the scheduler lease: {e}");
    }
}
