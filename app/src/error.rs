//! Error policy.
//!
//! - Inside the server, each layer has its own error enum (`db::DbError`, import errors, …) with
//!   full detail, for logs.
//! - What leaves the server — server-function results, JSON API errors, error pages — is always an
//!   `AppError`: a kind the client can act on and a message written for people. A database or I/O
//!   failure becomes `Unavailable` after it is logged; its text is never sent.
//! - Bad input is `BadRequest` with the reason; unknown objects are `NotFound`. Nothing panics on
//!   input.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("bad request: {0}")]
    BadRequest(String),
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
            AppError::Unavailable | AppError::Network => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Machine-readable code used by the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
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
