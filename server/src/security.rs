//! What every response and request goes through for safety, before any handler runs:
//!
//! - **Who is calling**: the client's address, from the TCP peer, or from `X-Forwarded-For` when
//!   (and only when) the peer is one of `TRUSTED_PROXIES`. It is stored in the request's
//!   extensions as [`ClientAddress`]; rate limits and the audit log read it from there.
//! - **Security headers** on every answer: a strict Content-Security-Policy (no inline script; the
//!   islands' loader is a file of its own), `X-Content-Type-Options`, `Referrer-Policy`, framing
//!   refused, HSTS when served over TLS, and `Cache-Control: no-store` on everything under
//!   `/admin` and `/fn/` (personal data and, once, second-factor secrets).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::auth::session::{self, ClientAddress};
use app::state::AppState;
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Scripts only from this origin (plus the compilation of the site's own WebAssembly); styles
/// from this origin and, until the wall's per-stone layout moves into classes, inline style
/// attributes (CSS cannot run script); nothing may frame the site or change its base URL; forms
/// post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; \
media-src 'self'; \
connect-src 'self'; \
object-src 'none'; \
base-uri 'none'; \
form-action 'self'; \
frame-ancestors 'none'";

/// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, comma-separated addresses).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Arc<Vec<IpAddr>>);

impl TrustedProxies {
    /// Parses `TRUSTED_PROXIES`; an entry that is not an address is an error naming it.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            out.push(
                item.parse::<IpAddr>()
                    .map_err(|_| format!("TRUSTED_PROXIES: {item:?} is not an IP address"))?,
            );
        }
        Ok(TrustedProxies(Arc::new(out)))
    }

    pub fn from_env() -> Result<Self, String> {
        Self::parse(&std::env::var("TRUSTED_PROXIES").unwrap_or_default())
    }

    fn trusts(&self, ip: &IpAddr) -> bool {
        self.0.contains(&ip.to_canonical())
    }

    /// Whether the request came over TLS: `X-Forwarded-Proto: https` from a trusted proxy.
    pub fn says_tls(&self, req: &Request) -> bool {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|ConnectInfo(peer)| self.trusts(&peer.ip()))
            && req
                .headers()
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                == Some("https")
    }

    /// The client behind `peer`: walking `X-Forwarded-For` from the right, the first address
    /// that is not a trusted proxy (each proxy appends the address it saw). A header sent by an
    /// untrusted peer is ignored entirely: anyone can write one.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[String]) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(&peer) {
            return peer;
        }
        let mut client = peer;
        for hop in forwarded_for
            .iter()
            .rev()
            .flat_map(|h| h.rsplit(','))
            .map(str::trim)
        {
            match parse_hop(hop) {
                Some(ip) => {
                    client = ip;
                    if !self.trusts(&ip) {
                        break;
                    }
                }
                // A garbled hop left of the trusted ones: the last address we could read.
                None => break,
            }
        }
        client
    }
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `::1`, `[::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let ip = hop
        .parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            hop.strip_prefix('[')
                .and_then(|h| h.split(']').next())
                .and_then(|h| h.parse().ok())
        })?;
    Some(ip.to_canonical())
}

/// The source an address counts as for limits and the audit log: an IPv4 address itself, an
/// IPv6 address its /64 network (one subscriber usually holds a whole /64, so counting single
/// IPv6 addresses would give an attacker unlimited tries).
pub fn source_of(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let network = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{network}/64")
        }
    }
}

/// Puts the [`ClientAddress`] into the request, for everything behind it.
fn note_client_address(proxies: &TrustedProxies, req: &mut Request) {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip());
    if let Some(peer) = peer {
        // Read leniently: one odd byte must not make the whole header (and the client) vanish.
        let forwarded: Vec<String> = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        let client = proxies.client(peer, &forwarded);
        let tls = proxies.says_tls(req);
        req.extensions_mut().insert(ClientAddress {
            ip: source_of(client),
            tls,
        });
    }
}

/// What [`edge`] needs: the proxies to believe, and the state to audit a refused request with.
#[derive(Clone)]
pub struct Edge {
    pub proxies: TrustedProxies,
    pub app: AppState,
}

/// What every request goes through first, as one layer (each layer of its own cost an allocation
/// and a clone of the stack per request, a few per cent of a page's CPU): who is calling, the
/// refusal of a cross-site write, the security headers on every answer (a refusal's included).
pub async fn edge(State(edge): State<Edge>, mut req: Request, next: Next) -> Response {
    note_client_address(&edge.proxies, &mut req);
    let headers = SecurityHeaders::for_request(&req);
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let response = if safe || is_same_site(req.headers()) {
        next.run(req).await
    } else {
        refuse_cross_site(&edge.app, req).await
    };
    headers.apply(response)
}

/// Request ids: random per process start, then counted, so ids are unique and cheap. Every log
/// line of a request carries its id (the trace span), and the answer says it (`x-request-id`), so
/// a user's report can be matched with the log.
#[derive(Clone)]
pub struct RequestIds {
    prefix: u32,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        RequestIds {
            prefix: rand::random(),
            next: Arc::default(),
        }
    }
}

impl RequestIds {
    /// The next id (clones share the counter, so ids from every clone differ).
    pub fn next_id(&self) -> Option<HeaderValue> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n}", self.prefix)).ok()
    }
}

impl tower_http::request_id::MakeRequestId for RequestIds {
    fn make_request_id<B>(
        &mut self,
        _: &axum::http::Request<B>,
    ) -> Option<tower_http::request_id::RequestId> {
        self.next_id().map(tower_http::request_id::RequestId::new)
    }
}

/// The span every request's log lines belong to: its id, method and path (never the query,
/// which may carry a kept-input key).
pub fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
}

/// The security headers an answer gets, decided from its request.
struct SecurityHeaders {
    tls: bool,
    private: bool,
}

impl SecurityHeaders {
    fn for_request(req: &Request) -> Self {
        // Admin pages, server-function answers (they carry the same data) and a notice page
        // showing a visitor's own kept input are never stored by a cache.
        let path = req.uri().path();
        let private = path.starts_with("/admin")
            || path.starts_with("/fn/")
            || (path.starts_with("/notices/")
                && req.uri().query().is_some_and(|q| q.contains("flash=")));
        SecurityHeaders {
            tls: served_over_tls(req.extensions()),
            private,
        }
    }

    fn apply(self, mut response: Response) -> Response {
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        if self.tls {
            h.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000"),
            );
        }
        if self.private {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        response
    }
}

/// The two scripts Leptos' server renderer appends to every page to set up hydration data. On
/// this site only the wall island hydrates and it carries no server data, so they only ever say
/// "nothing": exactly these texts. They are removed, the loader (`public/islands.js`) sets the
/// same empty globals, and the policy can forbid inline script outright. A page whose data is not
/// empty keeps its scripts, the policy blocks them, and the tests that look for inline scripts
/// fail: such a change cannot pass unnoticed.
const EMPTY_HYDRATION_DATA: [&str; 2] = [
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// The page without Leptos' empty hydration-data scripts. Works on bytes (every pattern is ASCII,
/// so a cut never splits a character) with a SIMD substring search: it runs for every page
/// rendered, and validating and scanning the page as text was a few per cent of a page's CPU.
pub fn without_empty_hydration_data(html: &[u8]) -> Vec<u8> {
    use memchr::memmem;
    static OPEN: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"<script nonce=\""));
    static CLOSE: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"</script>"));
    let mut out = Vec::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = OPEN.find(rest) {
        let tag = &rest[start..];
        let removable = memchr::memchr(b'>', tag).and_then(|open_end| {
            let body = &tag[open_end + 1..];
            let close = CLOSE.find(body)?;
            EMPTY_HYDRATION_DATA
                .iter()
                .any(|empty| empty.as_bytes() == &body[..close])
                .then_some(open_end + 1 + close + "</script>".len())
        });
        match removable {
            Some(len) => {
                out.extend_from_slice(&rest[..start]);
                rest = &rest[start + len..];
            }
            None => {
                out.extend_from_slice(&rest[..start + 1]);
                rest = &rest[start + 1..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

/// Applies [`without_empty_hydration_data`] to an HTML answer (before it is compressed).
pub async fn strip_inline_scripts(response: Response) -> Response {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 20).await else {
        return (
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "page too large",
        )
            .into_response();
    };
    let body = axum::body::Body::from(without_empty_hydration_data(&bytes));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// Cookies get `Secure` when the site is served over TLS, as a trusted proxy says
/// (`X-Forwarded-Proto: https` from one of `TRUSTED_PROXIES`).
pub fn served_over_tls(extensions: &axum::http::Extensions) -> bool {
    extensions.get::<ClientAddress>().is_some_and(|c| c.tls)
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

/// Refuses a state-changing request from another site, and audits it.
async fn refuse_cross_site(state: &AppState, req: Request) -> Response {
    let address = app::auth::session::client_address(req.extensions());
    let user = session::current_user(state, crate::forms::cookies(req.headers()))
        .await
        .ok()
        .flatten();
    session::audit_refusal(
        state,
        user.as_ref(),
        &format!("cross-site {} {}", req.method(), req.uri().path()),
        &address,
    )
    .await;
    (StatusCode::FORBIDDEN, "cross-site requests are refused").into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_empty_hydration_data_is_removed() {
        let page = "<head><script type=\"module\" src=\"/islands.js\"></script></head><body>x\
            <script nonce=\"abc\">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];</script>\
            <script nonce=\"abc\">__INCOMPLETE_CHUNKS=[];</script></body>";
        let strip = |page: &str| String::from_utf8(without_empty_hydration_data(page.as_bytes()));
        assert_eq!(
            strip(page).unwrap(),
            "<head><script type=\"module\" src=\"/islands.js\"></script></head><body>x</body>"
        );
        let with_data = "<script nonce=\"abc\">__RESOLVED_RESOURCES=[1];</script>";
        assert_eq!(strip(with_data).unwrap(), with_data);
        let text = "<p>&lt;script nonce=\"x\"&gt;</p><script nonce=\"x\">";
        assert_eq!(strip(text).unwrap(), text);
        // Characters of any width around the scripts stay whole.
        let chinese =
            "<p>劳动模范</p><script nonce=\"n\">__INCOMPLETE_CHUNKS=[];</script><p>广场</p>";
        assert_eq!(strip(chinese).unwrap(), "<p>劳动模范</p><p>广场</p>");
    }

    use super::*;
    use axum::http::HeaderMap;

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

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn hops(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn forwarded_hops_with_ports_and_mapped_addresses() {
        let proxy = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(
            proxy.client(ip("10.0.0.1"), &hops(&["1.2.3.4:5678"])),
            ip("1.2.3.4")
        );
        assert_eq!(
            proxy.client(ip("10.0.0.1"), &hops(&["[2001:db8::1]:443"])),
            ip("2001:db8::1")
        );
        assert_eq!(
            proxy.client(ip("::ffff:10.0.0.1"), &hops(&["1.2.3.4"])),
            ip("1.2.3.4")
        );
        // Junk left of the proxy's own entry changes nothing.
        assert_eq!(
            proxy.client(ip("10.0.0.1"), &hops(&["junk, 1.2.3.4"])),
            ip("1.2.3.4")
        );
    }

    #[test]
    fn sources_group_ipv6_networks() {
        assert_eq!(source_of(ip("1.2.3.4")), "1.2.3.4");
        assert_eq!(source_of(ip("::ffff:1.2.3.4")), "1.2.3.4");
        assert_eq!(source_of(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_eq!(source_of(ip("2001:db8:1:2:bbbb::9")), "2001:db8:1:2::/64");
    }

    #[test]
    fn forwarded_for_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("10.0.0.1"), &hops(&["6.6.6.6"])),
            ip("10.0.0.1")
        );

        let proxy = TrustedProxies::parse("10.0.0.1, 10.0.0.2").unwrap();
        // The proxy saw 1.2.3.4; whatever the client wrote before it is not believed.
        assert_eq!(
            proxy.client(ip("10.0.0.1"), &hops(&["6.6.6.6, 1.2.3.4"])),
            ip("1.2.3.4")
        );
        // Two trusted proxies in a row.
        assert_eq!(
            proxy.client(ip("10.0.0.1"), &hops(&["1.2.3.4, 10.0.0.2"])),
            ip("1.2.3.4")
        );
        // Headers repeated: the last one is nearest.
        assert_eq!(
            proxy.client(ip("10.0.0.1"), &hops(&["6.6.6.6", "1.2.3.4"])),
            ip("1.2.3.4")
        );
        // No header or a garbled one: the proxy itself.
        assert_eq!(proxy.client(ip("10.0.0.1"), &hops(&[])), ip("10.0.0.1"));
        assert_eq!(
            proxy.client(ip("10.0.0.1"), &hops(&["junk"])),
            ip("10.0.0.1")
        );
        // A peer that is not a proxy.
        assert_eq!(
            proxy.client(ip("9.9.9.9"), &hops(&["1.2.3.4"])),
            ip("9.9.9.9")
        );
        assert!(TrustedProxies::parse("10.0.0.1, nonsense").is_err());
    }
}
