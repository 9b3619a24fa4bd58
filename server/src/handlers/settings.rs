//! Settings (notice lengths, the holiday calendar, quota rules) and batch publishing.

use app::admin::service as admin;
use app::state::AppState;
use axum::{
    extract::{Path, State},
    response::Response,
};

use crate::forms::{Caller, Outcome, Posted};

/// `POST /admin/settings`
pub async fn save_settings(
    State(state): State<AppState>,
    caller: Caller,
    form: Posted,
) -> Response {
    let result = admin::save_settings(&state, &caller.user, &form.0, &caller.address).await;
    Outcome::back_to(caller.owner(), "/admin/settings")
        .keeping(form.0)
        .respond(&state, result, |_| "/admin/settings?done=saved".into())
        .await
}

/// `POST /admin/monuments/{code}/cut` with `through`: the last year now cut into its stones.
pub async fn record_cutting(
    State(state): State<AppState>,
    Path(code): Path<String>,
    caller: Caller,
    form: Posted,
) -> Response {
    let through = form.get("through").unwrap_or_default().to_string();
    let confirm = form.get("confirm") == Some("1");
    let result = admin::record_cutting(
        &state,
        &caller.user,
        &code,
        &through,
        confirm,
        &caller.address,
    )
    .await;
    Outcome::back_to(caller.owner(), "/admin/settings")
        .respond(&state, result, |_| "/admin/settings?done=cut".into())
        .await
}

/// `POST /admin/batches/{id}/publish` with `publish=1` or `0`.
pub async fn publish_batch(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
    form: Posted,
) -> Response {
    let publish = form.get("publish") != Some("0");
    let result = admin::publish_batch(&state, &caller.user, id, publish, &caller.address).await;
    Outcome::back_to(caller.owner(), "/admin/settings")
        .respond(&state, result, |_| "/admin/settings?done=published".into())
        .await
}
