//! The site's public address, for share links, QR codes and OpenGraph tags.

/// `PUBLIC_BASE_URL`, when set.
pub fn configured_base_url() -> Option<String> {
    std::env::var("PUBLIC_BASE_URL")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .map(|b| b.trim_end_matches('/').to_string())
}

/// `PUBLIC_BASE_URL` if set, else `http://` and the request's Host (when it looks like a host).
pub fn public_base_url(headers: &axum::http::HeaderMap) -> String {
    if let Some(base) = configured_base_url() {
        return base;
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        })
        .unwrap_or("127.0.0.1:3000");
    format!("http://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_is_checked() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("host", "example.org:8080".parse().unwrap());
        assert_eq!(public_base_url(&headers), "http://example.org:8080");
        headers.insert("host", "evil.org/\"><script>".parse().unwrap());
        assert_eq!(public_base_url(&headers), "http://127.0.0.1:3000");
    }
}
