//! Generated media: QR codes for profile pages and drawn placeholder portraits (never photographs).

use app::state::AppState;
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};

fn svg(body: String, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

/// Public caches may keep what does not depend on the request.
const SHARED: &str = "public, max-age=86400";
/// A QR code built from the request's `Host` (no `PUBLIC_BASE_URL` set) names whatever host the
/// request claimed: no shared cache may keep it for anyone else.
const PER_REQUEST: &str = "private, no-cache";

/// `/laureates/{id}/qr.svg`: a QR code of the profile's address, for the share panel and kiosks.
pub async fn qr_code(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = id
        .parse::<i64>()
        .ok()
        .filter(|id| state.catalog().profile(*id).is_some())
    else {
        return (StatusCode::NOT_FOUND, "no such laureate").into_response();
    };
    let base = app::site::public_base_url(&headers);
    let cache = if app::site::configured_base_url().is_some() {
        SHARED
    } else {
        PER_REQUEST
    };
    let url = format!("{}/laureates/{id}", base.trim_end_matches('/'));
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => svg(
            code.render::<qrcode::render::svg::Color>()
                .min_dimensions(144, 144)
                .quiet_zone(true)
                .build(),
            cache,
        ),
        Err(e) => {
            tracing::error!("QR code for {url}: {e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `/media/portraits/{id}.svg`: a drawn placeholder portrait for the people whose record has one.
pub async fn portrait(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let profile = file
        .strip_suffix(".svg")
        .and_then(|id| id.parse::<i64>().ok())
        .and_then(|id| state.catalog().profile(id))
        .filter(|p| {
            p.media
                .iter()
                .any(|m| m.kind == app::laureates::model::MediaKind::Portrait)
        });
    let Some(p) = profile else {
        return (StatusCode::NOT_FOUND, "no such portrait").into_response();
    };
    svg(draw_portrait(p.id, &p.name), SHARED)
}

/// A simple bust on a coloured ground with the first character of the name.
pub fn draw_portrait(id: i64, name: &str) -> String {
    let hues = [8, 24, 200, 160, 280, 36, 340, 120];
    let hue = hues[(id.unsigned_abs() % hues.len() as u64) as usize];
    let initial: String = name
        .chars()
        .next()
        .map(|c| c.to_string())
        .unwrap_or_default();
    let initial = initial
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 200" role="img" aria-label="示意画像">
<rect width="160" height="200" fill="hsl({hue},45%,88%)"/>
<circle cx="80" cy="78" r="34" fill="hsl({hue},30%,45%)"/>
<path d="M18 200c4-46 30-70 62-70s58 24 62 70z" fill="hsl({hue},30%,38%)"/>
<text x="80" y="90" font-size="34" text-anchor="middle" fill="#fff" font-family="serif">{initial}</text>
<text x="152" y="192" font-size="10" text-anchor="end" fill="hsl({hue},30%,30%)">示意</text>
</svg>"##
    )
}
