//! The public's objections during a notice, and the notice managers' findings.

use app::admin::flash::{new_visitor_token, visitor_cookie, visitor_from_cookies, FlashOwner};
use app::notices::service as notices;
use app::state::AppState;
use axum::{
    extract::{Path, State},
    http::{header, request::Parts, HeaderValue},
    response::Response,
};

use crate::forms::{address, cookies, Caller, Outcome, Posted};

/// `POST /notices/{id}/objections`: anyone may object while the notice is open.
pub async fn file_objection(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    parts: Parts,
    form: Posted,
) -> Response {
    let address = address(&parts.extensions);
    let known = visitor_from_cookies(cookies(&parts.headers)).map(str::to_string);
    let visitor = known.clone().unwrap_or_else(new_visitor_token);
    let result = notices::file_objection(&state, id, &form.0, &address).await;
    // Anonymous input is kept for this visitor's own cookie: the key in the address is useless
    // to anyone else, so a failed post cannot be turned into a link that shows planted text.
    let mut response = Outcome::back_to(
        FlashOwner::Visitor(visitor.clone()),
        format!("/notices/{id}"),
    )
    .posted_from(&address)
    .keeping(form.0)
    .respond(&state, result, |_| format!("/notices/{id}?filed=1"))
    .await;
    if known.is_none() {
        let secure = crate::security::served_over_tls(&parts.extensions);
        if let Ok(cookie) = HeaderValue::from_str(&visitor_cookie(&visitor, secure)) {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
    }
    response
}

/// `POST /admin/objections/{id}/resolve`
pub async fn resolve_objection(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
    form: Posted,
) -> Response {
    let back = format!(
        "/admin/nominations/{}",
        form.get("nomination").unwrap_or_default()
    );
    let result =
        notices::resolve_objection(&state, &caller.user, id, &form.0, &caller.address).await;
    Outcome::back_to(caller.owner(), back)
        .keeping(form.0)
        .respond(&state, result, |nomination| {
            format!("/admin/nominations/{nomination}?done=resolved")
        })
        .await
}
