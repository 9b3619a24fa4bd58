//! `GET /admin/errata.csv`: the errata list to print or send to the masons (administrators only).
use app::records::service;
use app::state::AppState;
use axum::{extract::State, response::Response};

use crate::forms::Caller;

pub async fn errata_csv(State(state): State<AppState>, caller: Caller) -> Response {
    let csv = service::errata_download(&state, &caller.user, &caller.address).await;
    match csv {
        Ok(bytes) => crate::forms::download(bytes, crate::forms::CSV, "errata.csv"),
        Err(e) => crate::forms::error_response(&app::error::AppError::from(e)),
    }
}
