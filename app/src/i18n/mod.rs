//! Chinese first, English switchable. The choice lives in a `lang` cookie so the server renders the
//! right language and the switch works without JavaScript.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn other(self) -> Self {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
    /// Picks the text for this language; the two texts stand side by side where they are used.
    /// A stage of the procedure in this language ("—" when unknown).
    pub fn stage(self, stage: Option<crate::domain::procedure::Stage>) -> &'static str {
        stage.map_or("—", |s| self.t(s.name_zh(), s.name_en()))
    }

    /// A role in this language ("—" when unknown).
    pub fn role(self, role: Option<crate::domain::procedure::Role>) -> &'static str {
        role.map_or("—", |r| self.t(r.name_zh(), r.name_en()))
    }

    pub fn t<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
    /// Reads the language from a Cookie header value.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|part| part.trim().strip_prefix("lang="))
            .find_map(Lang::parse)
            .unwrap_or_default()
    }
}

/// The language of this render: from the request's cookie on the server, from the page on the client.
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        // Read in place: `use_context` would clone the request's head (headers and extensions)
        // for every component that asks.
        with_context::<axum::http::request::Parts, _>(|parts| {
            parts
                .headers
                .get(axum::http::header::COOKIE)
                .and_then(|v| v.to_str().ok())
                .map(Lang::from_cookie_header)
        })
        .flatten()
        .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|el| el.get_attribute("lang"))
            .map(|l| {
                if l.starts_with("en") {
                    Lang::En
                } else {
                    Lang::Zh
                }
            })
            .unwrap_or_default()
    }
}

/// The language in context, or detected (islands hydrate without the page's context).
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(detect_lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_parsing() {
        assert_eq!(Lang::from_cookie_header("a=b; lang=en"), Lang::En);
        assert_eq!(Lang::from_cookie_header("lang=xx"), Lang::Zh);
        assert_eq!(Lang::from_cookie_header(""), Lang::Zh);
    }
}
