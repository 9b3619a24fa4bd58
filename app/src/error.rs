//! Error policy.
//!
//! - Inside the server, each layer has its own error enum (`db::DbError`, import errors, …) with
//!   full detail, for logs.
//! - What leaves the server — server-function results, JSON API errors, error pages — is always an
//!   `AppError`: a kind the client can act on and a message written for people. A database or I/O
//!   failure becomes `Unavailable` after it is logged; its text is never sent.
//! - Bad input is `BadRequest` with the reason; unknown objects are `NotFound`; a caller without
//!   a session is `Unauthorized`, one whose role may not act on the object `Forbidden`; a stale
//!   version or a state that forbids the step is `Conflict`; a limit reached is
//!   `TooManyRequests`. Nothing panics on input.
//! - Each maps to its HTTP status in one place, [`AppError::status`]: error pages set it, the API
//!   answers it, and a server function's error answer gets it from one layer at the HTTP edge
//!   (the server's `server_fn_status`), so a refusal is never a 500.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Not signed in (or the session ended).
    #[error("请先登录 / sign in first")]
    Unauthorized,
    /// Signed in, but this role may not do this to this object.
    #[error("{0}")]
    Forbidden(String),
    /// Someone else changed the object first, or its state does not allow this now.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("the service is unavailable, please try again later")]
    Unavailable,
    /// The browser could not reach the server (client side only).
    #[error("network error")]
    Network,
}

impl AppError {
    /// Logs an internal error and returns the public one.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, error: impl std::fmt::Display) -> Self {
        tracing::error!("{context}: {error}");
        AppError::Unavailable
    }

    #[cfg(feature = "ssr")]
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode;
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable | AppError::Network => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Machine-readable code used by the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Unavailable => "unavailable",
            AppError::Network => "network",
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Request(_) => AppError::Network,
            E::Args(m) | E::MissingArg(m) => AppError::BadRequest(m),
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!("server function failure: {other}");
                let _ = other;
                AppError::Unavailable
            }
        }
    }
}
