//! `GET /admin/errata.csv`: the errata list to print or send to the masons (administrators only).
use app::records::service;
use app::state::AppState;
use axum::{
    extract::State,
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
};

use crate::forms::Caller;

pub async fn errata_csv(State(state): State<AppState>, caller: Caller) -> Response {
    let csv = service::errata_download(&state, &caller.user, &caller.address).await;
    match csv {
        Ok(bytes) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"errata.csv\""),
            );
            response
        }
        Err(e) => crate::forms::error_response(&app::error::AppError::from(e)),
    }
}
