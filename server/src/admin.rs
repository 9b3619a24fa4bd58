//! The HTTP side of admin accounts: login and logout as plain form posts (POST, then redirect:
//! they work without JavaScript), the audit log export, and the cross-site request check that
//! guards every state-changing request (Leptos has none of its own).

use app::auth::session::{self, LoginError};
use app::domain::procedure::Role;
use app::state::AppState;
use axum::{
    extract::{Path, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
    Form,
};

pub use app::auth::session::client_address as address;

fn cookie_header(headers: &HeaderMap) -> &str {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// Cookies get `Secure` when the site is served over TLS, as a trusted proxy says
/// (`X-Forwarded-Proto: https` from one of `TRUSTED_PROXIES`; see `security`).
pub fn served_over_tls(extensions: &axum::http::Extensions) -> bool {
    extensions
        .get::<app::auth::session::ClientAddress>()
        .is_some_and(|c| c.tls)
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    code: String,
}

fn encode(s: &str) -> String {
    app::components::layout::encode_component(s)
}

pub async fn login(State(state): State<AppState>, req: Request) -> Response {
    let address = address(req.extensions());
    let secure = served_over_tls(req.extensions());
    let form = match Form::<LoginForm>::from_request(req, &()).await {
        Ok(Form(form)) => form,
        // A body over the form's limit is refused as such; nothing of it is read or stored.
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return rejection.into_response()
        }
        Err(_) => return Redirect::to("/admin?error=invalid").into_response(),
    };
    match session::login(&state, &form.username, &form.password, &form.code, &address).await {
        Ok((token, _user)) => {
            let mut response = Redirect::to("/admin").into_response();
            if let Ok(cookie) = HeaderValue::from_str(&session::session_cookie(&token, secure)) {
                response.headers_mut().insert(header::SET_COOKIE, cookie);
            }
            response
        }
        // The name typed is kept so nothing has to be typed twice; the password never is.
        Err(LoginError::Invalid) => Redirect::to(&format!(
            "/admin?error=invalid&username={}",
            encode(&form.username)
        ))
        .into_response(),
        Err(LoginError::RateLimited { .. }) => Redirect::to(&format!(
            "/admin?error=limited&username={}",
            encode(&form.username)
        ))
        .into_response(),
        Err(LoginError::Unavailable) => Redirect::to("/admin?error=unavailable").into_response(),
    }
}

use axum::extract::FromRequest;

pub async fn logout(State(state): State<AppState>, req: Request) -> Response {
    let address = address(req.extensions());
    session::logout(&state, cookie_header(req.headers()), &address).await;
    let mut response = Redirect::to("/admin").into_response();
    if let Ok(cookie) =
        HeaderValue::from_str(&session::clearing_cookie(served_over_tls(req.extensions())))
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn csv_field(s: &str) -> String {
    // Quote every field; a leading =, +, - or @ is neutralised so spreadsheets do not run it.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `GET /admin/audit.csv`: the whole audit log, for administrators only.
pub async fn audit_csv(State(state): State<AppState>, req: Request) -> Response {
    let address = address(req.extensions());
    let user = session::current_user(&state, cookie_header(req.headers())).await;
    if user.as_ref().map(|u| u.role) != Some(Role::Administrator) {
        session::audit_refusal(&state, user.as_ref(), "/admin/audit.csv", &address).await;
        let status = if user.is_some() {
            StatusCode::FORBIDDEN
        } else {
            StatusCode::UNAUTHORIZED
        };
        return (status, "administrators only").into_response();
    }
    match state.db.audit_log().await {
        Ok(entries) => {
            let mut csv = String::from(
                "\u{feff}at,actor_id,actor,action,object_type,object_id,before,after,address,times,last_at\n",
            );
            for e in entries {
                let fields = [
                    e.at,
                    e.actor_id.map(|i| i.to_string()).unwrap_or_default(),
                    e.actor_name,
                    e.action,
                    e.object_type,
                    e.object_id.unwrap_or_default(),
                    e.before_json.unwrap_or_default(),
                    e.after_json.unwrap_or_default(),
                    e.address.unwrap_or_default(),
                    e.repeat_count.to_string(),
                    e.last_at.unwrap_or_default(),
                ];
                csv.push_str(
                    &fields
                        .iter()
                        .map(|f| csv_field(f))
                        .collect::<Vec<_>>()
                        .join(","),
                );
                csv.push('\n');
            }
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"audit-log.csv\"",
                    ),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                csv,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!("audit export: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable").into_response()
        }
    }
}

/// What an administrator does to another account from the users table.
#[derive(Clone, Copy, PartialEq)]
enum AccountChange {
    Disable,
    Enable,
    EndSessions,
}

async fn change_account(
    state: AppState,
    req: Request,
    user_id: i64,
    change: AccountChange,
) -> Response {
    let address = address(req.extensions());
    let caller = session::current_user(&state, cookie_header(req.headers())).await;
    let Some(actor) = caller.clone().filter(|u| u.role == Role::Administrator) else {
        session::audit_refusal(
            &state,
            caller.as_ref(),
            &format!("account {user_id}"),
            &address,
        )
        .await;
        return (StatusCode::FORBIDDEN, "administrators only").into_response();
    };
    if actor.id == user_id && change == AccountChange::Disable {
        return Redirect::to("/admin?error=self").into_response();
    }
    let (action, before, after) = match change {
        AccountChange::Disable => (
            "account.disable",
            r#"{"disabled":false}"#,
            r#"{"disabled":true}"#,
        ),
        AccountChange::Enable => (
            "account.enable",
            r#"{"disabled":true}"#,
            r#"{"disabled":false}"#,
        ),
        AccountChange::EndSessions => ("account.end_sessions", "", ""),
    };
    let audit = app::db::AuditEntry {
        actor_id: Some(actor.id),
        object_id: Some(user_id.to_string()),
        before_json: (!before.is_empty()).then(|| before.to_string()),
        after_json: (!after.is_empty()).then(|| after.to_string()),
        address: Some(address),
        ..app::db::AuditEntry::new(
            session::timestamp(state.clock.now()),
            &actor.username,
            action,
            "user",
        )
    };
    let result = match change {
        AccountChange::Disable => state.db.set_user_disabled(user_id, true, &audit).await,
        AccountChange::Enable => state.db.set_user_disabled(user_id, false, &audit).await,
        AccountChange::EndSessions => state.db.end_sessions(user_id, &audit).await.map(|_| true),
    };
    match result {
        Ok(true) => Redirect::to("/admin").into_response(),
        Ok(false) => (StatusCode::NOT_FOUND, "no such account").into_response(),
        Err(e) => {
            tracing::error!("{action}: {e}");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable").into_response()
        }
    }
}

pub async fn disable_account(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    change_account(state, req, id, AccountChange::Disable).await
}

pub async fn enable_account(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    change_account(state, req, id, AccountChange::Enable).await
}

pub async fn end_account_sessions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    req: Request,
) -> Response {
    change_account(state, req, id, AccountChange::EndSessions).await
}

/// Whether a state-changing request comes from this site: browsers send `Sec-Fetch-Site`, and
/// `Origin` on cross-origin POSTs; either naming another site is refused.
pub fn is_same_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            !host.is_empty() && origin_host == host
        }
    }
}

pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || is_same_site(req.headers()) {
        return next.run(req).await;
    }
    let address = address(req.extensions());
    let user = session::current_user(&state, cookie_header(req.headers())).await;
    session::audit_refusal(
        &state,
        user.as_ref(),
        &format!("cross-site {} {}", req.method(), req.uri().path()),
        &address,
    )
    .await;
    (StatusCode::FORBIDDEN, "cross-site requests are refused").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_site_check() {
        assert!(is_same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(is_same_site(&headers(&[
            ("host", "plaza.example"),
            ("origin", "https://plaza.example")
        ])));
        assert!(!is_same_site(&headers(&[
            ("host", "plaza.example"),
            ("origin", "https://evil.example")
        ])));
        assert!(
            is_same_site(&headers(&[])),
            "non-browser clients send neither"
        );
    }

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
        assert_eq!(csv_field("=cmd()"), "\"'=cmd()\"");
    }
}
