//! Drafts and the steps of the procedure.

use app::nominations::service as nominations;
use app::state::AppState;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};

use crate::forms::{Caller, Outcome, Posted};

/// `POST /admin/nominations`: a new draft.
pub async fn create(State(state): State<AppState>, caller: Caller, form: Posted) -> Response {
    let result = nominations::create(&state, &caller.user, &form.0, &caller.address).await;
    Outcome::back_to(caller.owner(), "/admin/nominations/new")
        .keeping(form.0)
        .respond(&state, result, |id| {
            format!("/admin/nominations/{id}?done=saved")
        })
        .await
}

/// `POST /admin/nominations/{id}`: saves the unit's changes.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
    form: Posted,
) -> Response {
    let result = nominations::update(
        &state,
        &caller.user,
        id,
        form.version(),
        &form.0,
        &caller.address,
    )
    .await;
    Outcome::back_to(caller.owner(), format!("/admin/nominations/{id}/edit"))
        .keeping(form.0)
        .respond(&state, result, |_| {
            format!("/admin/nominations/{id}?done=saved")
        })
        .await
}

/// `POST /admin/nominations/{id}/actions`: a step of the procedure.
pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
    form: Posted,
) -> Response {
    let Some(action) = form.get("action").and_then(nominations::parse_action) else {
        return (StatusCode::BAD_REQUEST, "unknown action").into_response();
    };
    let note = form.get("note").unwrap_or("");
    let confirm_quota = form.get("confirm_quota").is_some();
    let result = nominations::act(
        &state,
        &caller.user,
        id,
        form.version(),
        action,
        note,
        confirm_quota,
        &caller.address,
    )
    .await;
    Outcome::back_to(caller.owner(), format!("/admin/nominations/{id}"))
        .keeping(form.0)
        .respond(&state, result, |_| {
            format!("/admin/nominations/{id}?done=action")
        })
        .await
}

/// `POST /admin/checks/{id}`: a department's verdict.
pub async fn decide_check(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
    form: Posted,
) -> Response {
    let nomination: i64 = form
        .get("nomination")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let result = nominations::decide_check(
        &state,
        &caller.user,
        id,
        nomination,
        &form.0,
        &caller.address,
    )
    .await;
    Outcome::back_to(caller.owner(), format!("/admin/nominations/{nomination}"))
        .keeping(form.0)
        .respond(&state, result, |_| {
            format!("/admin/nominations/{nomination}?done=check")
        })
        .await
}
