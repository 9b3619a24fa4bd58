//! What every form handler shares: the signed-in caller (an extractor that refuses anyone else
//! with 401 and an audit entry), the posted fields (an extractor that refuses a body over the
//! route's limit with 413), and the one way a post ends, [`Outcome`]: POST → 303 → GET, with the
//! input kept for its owner when the use case said no. Handlers are then a few lines: extract,
//! call the use case, answer its outcome.

use std::collections::BTreeMap;

use app::admin::flash::{self, FlashOwner};
use app::auth::session::{self, SessionUser};
use app::error::AppError;
use app::nominations::model::FormState;
use app::nominations::service::ServiceError;
use app::state::AppState;
use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};

pub type Fields = BTreeMap<String, String>;

/// The signed-in account making the request, and where from.
pub struct Caller {
    pub user: SessionUser,
    pub address: String,
}

impl Caller {
    /// Kept input after a failed post belongs to this account alone.
    pub fn owner(&self) -> FlashOwner {
        FlashOwner::Account(self.user.id)
    }

    /// Refuses a caller without `role` (403, with an audit entry naming `what`).
    pub async fn require(
        &self,
        state: &AppState,
        role: app::domain::procedure::Role,
        what: &str,
    ) -> Result<(), Response> {
        if self.user.role == role {
            return Ok(());
        }
        session::audit_refusal(state, Some(&self.user), what, &self.address).await;
        Err(error_response(&AppError::Forbidden(
            "只有系统管理员可以这样做 / administrators only".into(),
        )))
    }
}

/// The caller's address, as the security layer worked it out.
pub fn address(extensions: &axum::http::Extensions) -> String {
    session::client_address(extensions)
}

/// The request's Cookie header.
pub fn cookies(headers: &axum::http::HeaderMap) -> &str {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let address = address(&parts.extensions);
        match session::current_user(state, cookies(&parts.headers)).await {
            Ok(Some(user)) => Ok(Caller { user, address }),
            Err(e) => Err(error_response(&e)),
            Ok(None) => {
                session::audit_refusal(state, None, parts.uri.path(), &address).await;
                Err(error_response(&AppError::Unauthorized))
            }
        }
    }
}

/// The posted form fields. Repeated keys keep the last value; a malformed body is an empty form
/// (every field then reports what it needs); a body over the route's limit is refused with 413
/// and nothing of it is kept.
pub struct Posted(pub Fields);

impl<S: Send + Sync> FromRequest<S> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        match Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(Form(pairs)) => Ok(Posted(pairs.into_iter().collect())),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(rejection.into_response())
            }
            Err(_) => Ok(Posted(Fields::new())),
        }
    }
}

impl Posted {
    /// The version of the object the form was made from (optimistic locking); -1 if missing.
    pub fn version(&self) -> i64 {
        self.0
            .get("version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

/// The media type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The media type of the CSV files the site writes.
pub const CSV: &str = "text/csv; charset=utf-8";

/// A file for the browser to save: its bytes, their media type and the name to save them under.
pub fn download(bytes: Vec<u8>, kind: &'static str, file_name: &'static str) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, kind.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// An error as a plain answer with its status (the one mapping is `AppError::status`).
pub fn error_response(error: &AppError) -> Response {
    (error.status(), error.to_string()).into_response()
}

/// How a form post ends. On success: a redirect to the page that follows. When the use case
/// refused the input (invalid fields, a conflict, a limit): back to the form, with what was typed
/// (never a password) and the messages kept for `owner` only, read once. When the caller may not
/// do this at all, or the object does not exist, or the service is down: that status.
pub struct Outcome {
    owner: FlashOwner,
    back: String,
    fields: Fields,
    /// Where the post came from: anonymous visitors' kept input is limited per address.
    address: String,
}

impl Outcome {
    /// A post whose form lives at `back`.
    pub fn back_to(owner: FlashOwner, back: impl Into<String>) -> Self {
        Outcome {
            owner,
            back: back.into(),
            fields: Fields::new(),
            address: String::new(),
        }
    }

    /// The address the post came from (needed for anonymous visitors).
    pub fn posted_from(self, address: &str) -> Self {
        Outcome {
            address: address.to_string(),
            ..self
        }
    }

    /// Keeps these fields for the form after a refusal.
    pub fn keeping(self, fields: Fields) -> Self {
        Outcome { fields, ..self }
    }

    pub async fn respond<T>(
        self,
        state: &AppState,
        result: Result<T, ServiceError>,
        done: impl FnOnce(T) -> String,
    ) -> Response {
        let (errors, message) = match result {
            Ok(value) => return Redirect::to(&done(value)).into_response(),
            Err(ServiceError::Invalid(errors)) => (errors, None),
            Err(
                e @ (ServiceError::Conflict | ServiceError::Refused(_) | ServiceError::RateLimited),
            ) => (BTreeMap::new(), Some(e.to_string())),
            Err(
                e @ (ServiceError::Forbidden | ServiceError::NotFound | ServiceError::Unavailable),
            ) => return error_response(&AppError::from(e)),
        };
        let mut fields = self.fields;
        // Secrets are never kept.
        fields.retain(|k, _| !k.starts_with("password"));
        let kept = FormState {
            fields,
            errors,
            message,
        };
        let back = self.back;
        match flash::keep(state, &self.owner, &self.address, &kept).await {
            Ok(Some(key)) => {
                let sep = if back.contains('?') { '&' } else { '?' };
                Redirect::to(&format!("{back}{sep}flash={key}")).into_response()
            }
            // Too large to keep (the body limit makes this rare): the form comes back empty.
            Ok(None) => Redirect::to(&back).into_response(),
            // Nowhere to keep it: say so rather than show an empty form as if nothing happened.
            Err(e) => error_response(&AppError::from(ServiceError::from(e))),
        }
    }

    /// A refusal that needs no kept input (a rejected upload, a missing object).
    pub async fn refuse(self, state: &AppState, error: ServiceError) -> Response {
        self.respond(state, Err::<(), _>(error), |_| String::new())
            .await
    }
}

/// The answer to a post that is a page of its own (`path`), rendered for this request with what
/// `provide` puts in its context: how secrets that exist nowhere else (a new account's second
/// factor, a kiosk's heartbeat secret) are shown once, never stored to be fetched again.
pub async fn render_answer_page(
    options: leptos::prelude::LeptosOptions,
    state: AppState,
    path: &'static str,
    mut parts: axum::http::request::Parts,
    provide: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    use axum::http::{header, Method, Uri};
    parts.method = Method::GET;
    parts.uri = Uri::from_static(path);
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    let render = leptos_axum::render_app_async_with_context(
        move || {
            leptos::prelude::provide_context(state.clone());
            provide();
        },
        {
            let paths = app::components::islands_loader::LoaderPaths::of(&options);
            move || app::page_shell(paths)
        },
    );
    render(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::empty(),
    ))
    .await
}
