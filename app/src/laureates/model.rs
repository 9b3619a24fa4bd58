//! Public laureate records, shared by the profile page and the open-data API.
use serde::{Deserialize, Serialize};

use crate::wall::model::WallPlace;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HonourAward {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: String,
    pub year: i32,
    pub engraved: bool,
}

/// One item of the API's list and of search results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaureateSummary {
    pub id: i64,
    pub name: String,
    pub pinyin: String,
    pub work_unit: Option<String>,
    pub honours: Vec<HonourAward>,
    pub wall: Option<WallPlace>,
    pub demo: bool,
    /// In search results: found only by the common wrong reading of the surname (`ceng` for 曾),
    /// so the page can say how the name is read. Always false outside a search.
    #[serde(default)]
    pub misread: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Portrait,
    Video,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MediaLink {
    pub kind: MediaKind,
    pub url: String,
    pub title: Option<String>,
    /// A video file the browser can play inline (rather than a page to link to).
    pub playable: bool,
}

/// Whether a video link points at a file a `<video>` element can play.
pub fn is_playable_video(url: &str) -> bool {
    // Only files on this site play inline: the Content-Security-Policy allows media from here
    // alone; anything else is an outbound link.
    if !url.starts_with('/') || url.starts_with("//") {
        return false;
    }
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    [".mp4", ".webm", ".ogv", ".ogg", ".m4v"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// The full public record of a person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaureateProfile {
    pub id: i64,
    /// The name as engraved on the stone.
    pub name: String,
    /// The correct name, where the engraving differs (a wrong or variant character).
    pub name_correct: String,
    pub pinyin: String,
    pub sex: Option<String>,
    pub ethnicity: Option<String>,
    pub birth_year: Option<i32>,
    pub native_place: Option<String>,
    pub political: Option<String>,
    pub work_unit: Option<String>,
    pub post: Option<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub frontline: bool,
    pub scitech: bool,
    pub honours: Vec<HonourAward>,
    pub deeds_short: Option<String>,
    pub deeds_full: Option<String>,
    pub media: Vec<MediaLink>,
    pub wall: Option<WallPlace>,
    pub placements: Vec<WallPlace>,
    /// Honours whose monument was cut before their year: where the name is expected.
    #[serde(default)]
    pub not_yet_engraved: Vec<crate::wall::model::ExpectedPlace>,
    pub demo: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playable_videos_by_file_type() {
        assert!(is_playable_video("/media/demo/micro-video.webm"));
        assert!(is_playable_video("/media/videos/b.MP4?x=1"));
        assert!(
            !is_playable_video("https://cdn.example.org/a/b.mp4"),
            "other sites' files are links (the CSP allows media from here only)"
        );
        assert!(!is_playable_video("//cdn.example.org/a/b.mp4"));
        assert!(!is_playable_video("https://video.example.org/laomo/12"));
        assert!(!is_playable_video("https://example.org/watch?v=a.mp4x"));
    }
}
