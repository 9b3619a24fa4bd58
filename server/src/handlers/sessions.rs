//! Sign-in and sign-out as plain form posts (POST, then redirect: they work without JavaScript).

use app::auth::session::{self, LoginError};
use app::state::AppState;
use axum::{
    extract::{FromRequest, Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Form,
};

use crate::forms::{address, cookies};
use crate::security::served_over_tls;

fn encode(s: &str) -> String {
    app::components::layout::encode_component(s)
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    code: String,
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

pub async fn logout(State(state): State<AppState>, req: Request) -> Response {
    let address = address(req.extensions());
    session::logout(&state, cookies(req.headers()), &address).await;
    let mut response = Redirect::to("/admin").into_response();
    if let Ok(cookie) =
        HeaderValue::from_str(&session::clearing_cookie(served_over_tls(req.extensions())))
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}
