//! Accounts: an administrator creates them (the second factor shown once), disables and enables
//! them, and ends their sessions.

use app::admin::server::{CreatedAccount, ShownOnce};
use app::admin::service::{self as admin, AccountChange};
use app::error::AppError;
use app::nominations::service::ServiceError;
use app::state::AppState;
use axum::{
    extract::{Path, State},
    http::request::Parts,
    response::{IntoResponse, Redirect, Response},
    Extension,
};
use leptos::prelude::{provide_context, LeptosOptions};

use crate::forms::{error_response, Caller, Outcome, Posted};

/// `POST /admin/users`: an account for another role. Its second factor is shown once, in the
/// answer to this post itself: the secrets are never stored to be fetched by a later request
/// (which another instance might answer, or a shared link repeat).
pub async fn create_account(
    State(state): State<AppState>,
    Extension(options): Extension<LeptosOptions>,
    parts: Parts,
    caller: Caller,
    form: Posted,
) -> Response {
    match admin::create_account(&state, &caller.user, &form.0, &caller.address).await {
        Ok((username, secrets)) => {
            let shown = ShownOnce(CreatedAccount {
                username,
                totp_secret: secrets.totp_secret,
                provisioning_url: secrets.provisioning_url,
                recovery_codes: secrets.recovery_codes,
            });
            crate::forms::render_answer_page(
                options,
                state,
                "/admin/users/created",
                parts,
                move || provide_context(shown.clone()),
            )
            .await
        }
        Err(e) => {
            Outcome::back_to(caller.owner(), "/admin/users/new")
                .keeping(form.0)
                .refuse(&state, e)
                .await
        }
    }
}

async fn change(state: AppState, caller: Caller, id: i64, change: AccountChange) -> Response {
    match admin::change_account(&state, &caller.user, id, change, &caller.address).await {
        Ok(()) => Redirect::to("/admin").into_response(),
        Err(ServiceError::Refused(_)) => Redirect::to("/admin?error=self").into_response(),
        Err(e) => error_response(&AppError::from(e)),
    }
}

/// `POST /admin/users/{id}/disable`
pub async fn disable_account(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Response {
    change(state, caller, id, AccountChange::Disable).await
}

/// `POST /admin/users/{id}/enable`
pub async fn enable_account(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Response {
    change(state, caller, id, AccountChange::Enable).await
}

/// `POST /admin/users/{id}/end-sessions`
pub async fn end_account_sessions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Response {
    change(state, caller, id, AccountChange::EndSessions).await
}
