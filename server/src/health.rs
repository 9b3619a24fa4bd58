//! Health endpoints for a load balancer or an orchestrator.
//!
//! - `GET /healthz`: the process answers (200 `ok`). Nothing else is checked: a failing database
//!   must not make every instance look dead and get restarted.
//! - `GET /readyz`: this instance can serve: the database answers, its schema is the one this
//!   build expects, the catalogue is loaded, and it hears of changes made elsewhere (listening,
//!   or asking every second where it cannot listen). 200 with the checks as JSON, or 503 naming
//!   the check that failed. Never cached by others; the database is asked at most once a second.

use app::db::SchemaState;
use app::state::AppState;
use axum::{
    extract::{Extension, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

pub async fn healthz() -> Response {
    ([(header::CACHE_CONTROL, "no-store")], "ok\n").into_response()
}

/// The database checks, asked at most once a second however often `/readyz` is called (a flood
/// of anonymous calls must not take the connections sign-ins and sessions need).
struct DatabaseChecks {
    at: std::time::Instant,
    database: &'static str,
    schema: String,
    /// A schema written by a newer release is reported but does not make this instance unready:
    /// during a rolling upgrade the old instances keep serving until they are replaced.
    schema_ok: bool,
}

/// Held while the database is asked, so parallel calls wait for one answer instead of each
/// asking (the once-a-second limit holds under a flood, not only one call after another).
static LAST_CHECKS: tokio::sync::Mutex<Option<DatabaseChecks>> =
    tokio::sync::Mutex::const_new(None);
const CHECKS_LAST: std::time::Duration = std::time::Duration::from_secs(1);

async fn database_checks(state: &AppState) -> (&'static str, String, bool) {
    let mut last = LAST_CHECKS.lock().await;
    if let Some(c) = last.as_ref().filter(|c| c.at.elapsed() < CHECKS_LAST) {
        return (c.database, c.schema.clone(), c.schema_ok);
    }
    let database = match state.db.schema().ping().await {
        Ok(()) => "ok",
        Err(e) => {
            tracing::warn!("readyz: database: {e}");
            "unreachable"
        }
    };
    let (schema, schema_ok) = match state.db.schema().schema_state().await {
        Ok(SchemaState::Current) => ("current".to_string(), true),
        Ok(SchemaState::Behind(pending)) => {
            (format!("behind by {} migration(s)", pending.len()), false)
        }
        Ok(SchemaState::Ahead(_)) => ("written by a newer release".to_string(), true),
        Ok(SchemaState::Fresh) => ("empty".to_string(), false),
        Err(_) => ("unknown".to_string(), false),
    };
    *last = Some(DatabaseChecks {
        at: std::time::Instant::now(),
        database,
        schema: schema.clone(),
        schema_ok,
    });
    (database, schema, schema_ok)
}

pub async fn readyz(
    State(state): State<AppState>,
    feed: Option<Extension<crate::changes::FeedHealth>>,
    scheduler: Option<Extension<crate::scheduler::SchedulerHealth>>,
) -> Response {
    let (database, schema, schema_ok) = database_checks(&state).await;
    let people = state.catalog().people_count();
    // A server without a watcher (the tests' own) is not held back by it.
    let feed = feed.map(|Extension(f)| f.get());
    let ready = database == "ok" && schema_ok && feed.is_none_or(|f| f.is_ready());
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "ready": ready,
            "database": database,
            "schema": schema,
            "catalogue": { "people": people },
            "changes": feed.map_or("not watched", |f| f.code()),
            // Informational: exactly one instance of several is the holder.
            "scheduler": scheduler.map_or("not running", |Extension(s)| {
                if s.holds_lease() { "holder" } else { "standby" }
            }),
        })),
    )
        .into_response()
}
