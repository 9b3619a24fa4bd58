//! `POST /kiosk/{id}/heartbeat`: a kiosk says it is alive, which data and page versions it runs
//! and its last error. Authenticated by the kiosk's own secret (`Authorization: Bearer …`, issued
//! by `server kiosk add`), not by an admin session; a refused beat is audited like any refusal.
//! The answer names the current data and page versions.

use app::kiosk::service::{self, HeartbeatError, HeartbeatReport};
use app::state::AppState;
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
};

pub async fn heartbeat(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: Parts,
    body: Bytes,
) -> Response {
    let secret = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // A body that is not a report is refused after the secret is checked, so a stranger learns
    // nothing either way.
    let report = serde_json::from_slice::<HeartbeatReport>(&body);
    let result = match &report {
        Ok(report) => service::heartbeat(&state, &id, secret, report).await,
        // The secret checked with an empty report: a right one fails only on the report.
        Err(_) => match service::heartbeat(&state, &id, secret, &HeartbeatReport::empty()).await {
            Err(HeartbeatError::Invalid(_)) | Ok(()) => Err(HeartbeatError::Unreadable),
            Err(e) => Err(e),
        },
    };
    match result {
        // The answer says what is current, so the kiosk knows to fetch new data or a new page.
        Ok(()) => axum::Json(serde_json::json!({
            "data_version": state.catalog().version,
            "page_version": &*state.page_version,
        }))
        .into_response(),
        Err(HeartbeatError::Unauthorized) => {
            let address = crate::forms::address(&parts.extensions);
            app::auth::session::audit_refusal(&state, None, "kiosk heartbeat", &address).await;
            (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "unknown kiosk or wrong secret",
            )
                .into_response()
        }
        Err(e @ (HeartbeatError::Invalid(_) | HeartbeatError::Unreadable)) => {
            (StatusCode::BAD_REQUEST, e.to_string()).into_response()
        }
        Err(HeartbeatError::Unavailable) => {
            (StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable").into_response()
        }
    }
}

/// `POST /admin/kiosks`: an administrator registers a kiosk. The heartbeat secret is shown once,
/// in the answer to this post (the page `/admin/kiosks/created` rendered with it in its context);
/// only its hash is stored.
pub async fn register(
    State(state): State<AppState>,
    axum::Extension(options): axum::Extension<leptos::prelude::LeptosOptions>,
    parts: Parts,
    caller: crate::forms::Caller,
    form: crate::forms::Posted,
) -> Response {
    match service::register_from_form(&state, &caller.user, &form.0, &caller.address).await {
        Ok((id, secret)) => {
            let shown =
                app::kiosk::server::ShownKiosk(app::kiosk::server::CreatedKiosk { id, secret });
            crate::forms::render_answer_page(
                options,
                state,
                "/admin/kiosks/created",
                parts,
                move || leptos::prelude::provide_context(shown.clone()),
            )
            .await
        }
        Err(e) => {
            crate::forms::Outcome::back_to(caller.owner(), "/admin/kiosks/new")
                .keeping(form.0)
                .refuse(&state, e)
                .await
        }
    }
}
