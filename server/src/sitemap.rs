//! `/sitemap.xml` and `/robots.txt`: what search engines should read — the public pages, every
//! stone's page and every profile — and what they should leave (the admin area, the server
//! functions).

use std::sync::Mutex;

use app::state::AppState;
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderMap},
    response::{IntoResponse, Response},
};

/// Caches may share what names the configured address; an address taken from the request's
/// `Host` is that request's alone.
fn cache_control() -> &'static str {
    if app::site::configured_base_url().is_some() {
        "public, max-age=3600"
    } else {
        "private, no-cache"
    }
}

/// The last sitemap made, for its catalogue version and address (13,000 entries are not worth
/// writing again for every crawler's request).
static LAST: Mutex<Option<(String, String, Bytes)>> = Mutex::new(None);

pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let base = app::site::public_base_url(&headers);
    let catalog = state.catalog();
    let kept = LAST
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .filter(|(version, made_for, _)| *version == catalog.version && *made_for == base)
        .map(|(.., xml)| xml.clone());
    let xml = match kept {
        Some(xml) => xml,
        None => {
            let xml = Bytes::from(write_sitemap(&catalog, &base));
            *LAST.lock().unwrap_or_else(|p| p.into_inner()) =
                Some((catalog.version.clone(), base, xml.clone()));
            xml
        }
    };
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, cache_control()),
        ],
        xml,
    )
        .into_response()
}

fn write_sitemap(catalog: &app::catalog::Catalog, base: &str) -> String {
    let mut xml = String::with_capacity(64 * 1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let mut url = |path: &str| {
        // Paths are built from codes and numbers only; the base is checked by `public_base_url`.
        xml.push_str("<url><loc>");
        xml.push_str(&app::domain::text::escape_html(&format!("{base}{path}")));
        xml.push_str("</loc></url>\n");
    };
    for path in ["/", "/stats", "/notices", "/open-data"] {
        url(path);
    }
    for section in &catalog.outline.sections {
        for stone in &section.stones {
            url(&format!("/wall/{}/{}", section.code, stone.number));
        }
    }
    for id in catalog.profile_ids() {
        url(&format!("/laureates/{id}"));
    }
    xml.push_str("</urlset>\n");
    xml
}

pub async fn robots(headers: HeaderMap) -> Response {
    let base = app::site::public_base_url(&headers);
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, cache_control()),
        ],
        format!("User-agent: *\nDisallow: /admin\nDisallow: /fn/\nSitemap: {base}/sitemap.xml\n"),
    )
        .into_response()
}
