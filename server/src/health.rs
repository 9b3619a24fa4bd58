//! Health endpoints for a load balancer or an orchestrator.
//!
//! - `GET /healthz`: the process answers (200 `ok`). Nothing else is checked: a failing database
//!   must not make every instance look dead and get restarted.
//! - `GET /readyz`: this instance can serve: the database answers, its schema is the one this
//!   build expects, the catalogue is loaded, and it hears of changes made elsewhere (listening,
//!   or asking every second where it cannot listen). 200 with the checks as JSON, or 503 naming
//!   the check that failed. Never cached.

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
    (
        [(header::CACHE_CONTROL, "no-store")],
        "ok\n",
    )
        .into_response()
}

pub async fn readyz(
    State(state): State<AppState>,
    feed: Option<Extension<crate::changes::FeedHealth>>,
    scheduler: Option<Extension<crate::scheduler::SchedulerHealth>>,
) -> Response {
    let database = match state.db.schema().ping().await {
        Ok(()) => "ok".to_string(),
        Err(e) => {
            tracing::warn!("readyz: database: {e}");
            "unreachable".to_string()
        }
    };
    let schema = match state.db.schema().schema_state().await {
        Ok(SchemaState::Current) => "current".to_string(),
        Ok(SchemaState::Behind(pending)) => format!("behind by {} migration(s)", pending.len()),
        Ok(SchemaState::Ahead(_)) => "written by a newer release".to_string(),
        Ok(SchemaState::Fresh) => "empty".to_string(),
        Err(_) => "unknown".to_string(),
    };
    let people = state.catalog().people_count();
    // A server without a watcher (the tests' own) is not held back by it.
    let feed = feed.map(|Extension(f)| f.get());
    let ready = database == "ok" && schema == "current" && feed.is_none_or(|f| f.is_ready());
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
            "catalogue": { "people": people, "version": state.catalog().version },
            "changes": feed.map_or("not watched", |f| f.code()),
            // Informational: exactly one instance of several is the holder.
            "scheduler": scheduler.map_or("not running", |Extension(s)| {
                if s.holds_lease() { "holder" } else { "standby" }
            }),
        })),
    )
        .into_response()
}
