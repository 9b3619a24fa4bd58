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

    proptest! {
        /// Whatever is accepted resolves, by the URL rules browsers use, to this site.
        #[test]
        fn accepted_paths_stay_on_this_site(s in "[/\\\\\t\n a-z.:]{0,12}") {
            if let Some(p) = LocalPath::parse(&s) {
                let cleaned: String = p.as_str().chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
                prop_assert!(cleaned.starts_with('/'));
                prop_assert!(!cleaned.starts_with("//") && !cleaned.starts_with("/\\"));
            }
        }
    }
}
