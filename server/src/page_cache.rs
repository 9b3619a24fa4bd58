//! A cache of rendered public pages. Every public page is a function of the catalogue, the
//! language and the host, so once rendered (and compressed) it is served again as bytes until the
//! catalogue changes. Bounded by total size; oldest entries go first. Requests that may carry
//! per-user content (anything but GET, admin paths, a session cookie) bypass it.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use app::state::AppState;
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Pages larger than this are served but not kept.
const MAX_PAGE_BYTES: usize = 4 << 20;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: String,
    lang: &'static str,
    host: String,
    encoding: &'static str,
    /// Served over TLS as a trusted proxy says: such answers carry HSTS, others do not.
    tls: bool,
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

#[derive(Default)]
struct Inner {
    version: String,
    pages: HashMap<Key, Arc<Page>>,
    /// Oldest first, with the size each entry was counted with.
    order: VecDeque<(Key, usize)>,
    bytes: usize,
}

pub struct PageCache {
    inner: Mutex<Inner>,
    max_bytes: usize,
}

#[derive(Clone)]
pub struct CacheState {
    pub cache: Arc<PageCache>,
    pub app: AppState,
    /// A kept page is answered before the request-id layer runs: it takes its id from here.
    pub request_ids: crate::security::RequestIds,
    /// And before the client's address is known: whether it came over TLS is read here.
    pub proxies: crate::security::TrustedProxies,
}

impl PageCache {
    pub fn new(max_bytes: usize) -> Self {
        PageCache {
            inner: Mutex::new(Inner::default()),
            max_bytes,
        }
    }

    /// What an entry holds: the body, its headers and its key (kept twice: map and queue).
    fn size(key: &Key, page: &Page) -> usize {
        let headers: usize = page
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        page.body.len() + headers + 2 * (key.path_and_query.len() + key.host.len() + 64)
    }

    fn get(&self, key: &Key, version: &str) -> Option<Arc<Page>> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.version != version {
            // The data changed: every page may be stale.
            *inner = Inner {
                version: version.to_string(),
                ..Inner::default()
            };
            return None;
        }
        inner.pages.get(key).cloned()
    }

    fn put(&self, key: Key, page: Page, version: &str) {
        let size = Self::size(&key, &page);
        if size > MAX_PAGE_BYTES || size > self.max_bytes {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        // Another request kept the same page first: it stays (and nothing is evicted for it).
        if inner.version != version || inner.pages.contains_key(&key) {
            return;
        }
        while inner.bytes + size > self.max_bytes {
            let Some((oldest, counted)) = inner.order.pop_front() else {
                break;
            };
            inner.pages.remove(&oldest);
            inner.bytes -= counted;
        }
        inner.pages.insert(key.clone(), Arc::new(page));
        inner.order.push_back((key, size));
        inner.bytes += size;
    }
}

/// Longer Host headers are answered but never kept (a real host name is at most 253 bytes).
const MAX_HOST_BYTES: usize = 253;

/// Documents of the open-data API that change only with the catalogue and are large enough that
/// compressing them for every request would cost (the kiosk snapshot is megabytes): kept like
/// pages. A request that says which version it holds (`If-None-Match`) goes to the handler, which
/// answers 304 without a body.
const CACHED_DOCUMENTS: [&str; 5] = [
    "/api/v1/wall",
    "/api/v1/search-index",
    "/api/v1/kiosk-snapshot",
    "/api/v1/laureates.csv",
    "/api/v1/laureates.xlsx",
];

fn cacheable_request(req: &Request) -> bool {
    let path = req.uri().path();
    let document = CACHED_DOCUMENTS.contains(&path);
    if document && req.headers().contains_key(header::IF_NONE_MATCH) {
        return false;
    }
    req.method() == Method::GET
        // Only the pages themselves: a query string is the visitor's own (a search, a shared
        // focus link), and keeping each one would let anybody push the real pages out.
        && req.uri().query().is_none()
        && req
            .headers()
            .get(header::HOST)
            .is_none_or(|h| h.len() <= MAX_HOST_BYTES)
        // Notices change with the procedure, not with the catalogue: always rendered fresh.
        && (document
            || !["/api/", "/pkg/", "/fn/", "/media/", "/lang/", "/admin", "/notices"]
                .iter()
                .any(|p| path.starts_with(p)))
        && !path.ends_with(".svg")
        && !req
            .headers()
            .get(header::COOKIE)
            .and_then(|c| c.to_str().ok())
            .is_some_and(|c| c.split(';').any(|part| part.trim().starts_with("session")))
}

fn key_for(req: &Request, proxies: &crate::security::TrustedProxies) -> Key {
    let headers = req.headers();
    let accept = headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let cookie = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Key {
        path_and_query: req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        lang: app::i18n::Lang::from_cookie_header(cookie).code(),
        host: headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        // A workbook is never compressed on the way (`lib.rs`): kept as it is, for every client.
        encoding: if req.uri().path().ends_with(".xlsx") {
            "identity"
        } else {
            preferred_encoding(accept)
        },
        tls: proxies.says_tls(req),
    }
}

/// The encoding to key a page by, read as the compression layer (tower-http) reads
/// `Accept-Encoding`: every such header, `q` in either case with at most three decimals (an
/// unreadable one drops the entry), `x-gzip` as gzip, the highest `q` winning and brotli before
/// gzip on a tie; `q=0` refuses. Never an encoding the client did not accept.
fn preferred_encoding<'a>(headers: impl Iterator<Item = &'a str>) -> &'static str {
    fn q_value(s: &str) -> Option<u16> {
        let rest = s.strip_prefix(['q', 'Q'])?.strip_prefix('=')?;
        let (whole, fraction) = rest.split_once('.').unwrap_or((rest, ""));
        let whole: u16 = match whole {
            "0" => 0,
            "1" => 1000,
            _ => return None,
        };
        if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let fraction: u16 = format!("{fraction:0<3}").parse().ok()?;
        (whole + fraction <= 1000).then_some(whole + fraction)
    }
    let mut best: Option<(u16, u8, &'static str)> = None;
    for item in headers.flat_map(|h| h.split(',')) {
        let mut parts = item.splitn(2, ';');
        let name = parts.next().unwrap_or("").trim();
        let (rank, coding) = if name.eq_ignore_ascii_case("br") {
            (2, "br")
        } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            (1, "gzip")
        } else {
            continue;
        };
        let q = match parts.next() {
            Some(q) => match q_value(q.trim()) {
                Some(q) => q,
                None => continue,
            },
            None => 1000,
        };
        if q > 0 && best.is_none_or(|(bq, br, _)| (q, rank) > (bq, br)) {
            best = Some((q, rank, coding));
        }
    }
    best.map_or("identity", |(_, _, coding)| coding)
}

fn respond(page: &Page, request_id: Option<HeaderValue>) -> Response {
    let mut response = (page.status, Body::from(page.body.clone())).into_response();
    *response.headers_mut() = page.headers.clone();
    let headers = response.headers_mut();
    headers.insert("x-page-cache", HeaderValue::from_static("hit"));
    if let Some(id) = request_id {
        headers.insert("x-request-id", id);
    }
    response
}

pub async fn middleware(State(state): State<CacheState>, req: Request, next: Next) -> Response {
    if !cacheable_request(&req) {
        return next.run(req).await;
    }
    let key = key_for(&req, &state.proxies);
    let version = state.app.catalog().version.clone();
    if let Some(page) = state.cache.get(&key, &version) {
        return respond(&page, state.request_ids.next_id());
    }
    let document = CACHED_DOCUMENTS.contains(&req.uri().path());
    let response = next.run(req).await;
    let status = response.status();
    let kept_kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.starts_with("text/html")
                || (document
                    && (v.starts_with("application/json")
                        || v.starts_with("text/csv")
                        || v.starts_with("application/vnd.openxmlformats")))
        });
    // Only found pages: a 404 for every invented path would be one more entry each.
    let private = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    // Kept only under the encoding it really has: a client whose header the key reads one way
    // and the compression layer another never gets a body it did not ask for.
    let encoding = response
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity");
    if status != StatusCode::OK
        || !kept_kind
        || private
        || encoding != key.encoding
        || response.headers().contains_key(header::SET_COOKIE)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let request_id = parts.headers.get("x-request-id").cloned();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES * 4).await {
        Ok(body) => body,
        Err(e) => {
            tracing::error!("reading a page body for the cache: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = parts.headers;
    // Each answer has its own request id; a kept page carries none of the first one's.
    headers.remove("x-request-id");
    headers.insert(
        header::VARY,
        HeaderValue::from_static("accept-encoding, cookie"),
    );
    let page = Page {
        status: parts.status,
        headers,
        body,
    };
    let response = respond(&page, request_id);
    state.cache.put(key, page, &version);
    let mut response = response;
    response
        .headers_mut()
        .insert("x-page-cache", HeaderValue::from_static("miss"));
    response
}

#[cfg(test)]
mod tests {
    use super::preferred_encoding;

    fn pick(header: &str) -> &'static str {
        preferred_encoding(std::iter::once(header))
    }

    #[test]
    fn the_encoding_is_read_as_the_compression_layer_reads_it() {
        assert_eq!(pick("gzip, deflate, br, zstd"), "br");
        assert_eq!(pick("gzip"), "gzip");
        assert_eq!(pick("x-gzip"), "gzip");
        assert_eq!(pick("br;q=0, gzip"), "gzip");
        assert_eq!(pick("br;Q=0, gzip"), "gzip", "Q in capitals");
        assert_eq!(pick("gzip;q=1, br;q=0.1"), "gzip", "the highest q wins");
        assert_eq!(pick("gzip;q=0.5, br;q=0.5"), "br", "brotli on a tie");
        assert_eq!(pick("BR"), "br");
        assert_eq!(pick("gzip;q=0"), "identity");
        assert_eq!(
            pick("br;q=1.5, gzip"),
            "gzip",
            "an unreadable q drops the entry"
        );
        assert_eq!(pick("br;q = 0, gzip;q=0.2"), "gzip");
        assert_eq!(pick("br;q=0.0001, gzip;q=0.2"), "gzip");
        // Names that merely contain the letters are not the coding.
        assert_eq!(pick("brotli-ish, x-gzip-not"), "identity");
        assert_eq!(pick(""), "identity");
        // Every header counts.
        assert_eq!(preferred_encoding(["gzip;q=0.5", "br"].into_iter()), "br");
    }
}
