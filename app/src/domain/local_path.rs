//! Where a redirect may go: a path on this site, never another origin.

/// A path on this site, safe to put in a `Location` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    /// Accepts `/…` only. Refused: other origins (`//host`, `/\host`), anything with a backslash,
    /// whitespace or a control character (browsers drop tabs and line breaks from addresses, so
    /// `/<TAB>/evil.example` would become `//evil.example`; a line break would split the header).
    pub fn parse(s: &str) -> Option<LocalPath> {
        let ok = s.starts_with('/')
            && !s.starts_with("//")
            && s.len() <= 2048
            && !s
                .chars()
                .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
        ok.then(|| LocalPath(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn only_local_paths() {
        for good in [
            "/",
            "/stats",
            "/laureates/12?x=1#top",
            "/search?q=%E5%BC%A0",
        ] {
            assert!(LocalPath::parse(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "stats",
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "/ /evil.example",
            "/\u{3000}/evil",
        ] {
            assert!(LocalPath::parse(bad).is_none(), "{bad:?}");
        }
    }

    /// How a browser reads a `Location` path (WHATWG URL parsing, simplified to what matters
    /// here): tabs and line breaks are dropped, a backslash counts as a slash, and a path that
    /// then starts with two slashes names another host.
    fn browser_reads_as_other_host(location: &str) -> bool {
        let cleaned: String = location
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .map(|c| if c == '\\' { '/' } else { c })
            .collect();
        let trimmed = cleaned.trim_start_matches(|c: char| c <= ' ');
        !trimmed.starts_with('/') || trimmed.starts_with("//")
    }

    #[test]
    fn the_model_catches_the_known_tricks() {
        for trick in [
            "/\t/evil.example",
            "/\\evil.example",
            "//evil.example",
            "\\\\evil",
        ] {
            assert!(browser_reads_as_other_host(trick), "{trick:?}");
        }
        assert!(!browser_reads_as_other_host("/stats"));
    }

    proptest! {
        /// Whatever is accepted, a browser resolves to a path on this site.
        #[test]
        fn accepted_paths_stay_on_this_site(
            chars in prop::collection::vec(
                // Mostly slashes and backslashes: the tricks live in the first characters.
                prop::sample::select(vec!['/', '\\', '/', '\\', 'e', '.', '\t', ' ']),
                1..10,
            )
        ) {
            let s: String = chars.into_iter().collect();
            if let Some(p) = LocalPath::parse(&s) {
                prop_assert!(!browser_reads_as_other_host(p.as_str()), "{:?}", p);
            }
        }
    }
}
