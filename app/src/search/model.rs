use serde::{Deserialize, Serialize};

/// One person in the browser's search index:
/// (id, name, syllables joined by spaces, surname length, year, honour index, unit index,
///  section index, stone, row, position). Tuples keep the payload small.
pub type SearchRow = (i64, String, String, u8, i32, u8, u32, u8, u16, u16, u16);

/// What the browser downloads (once, cacheable) to search the whole wall without a round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchPayload {
    /// Pairs of characters: a traditional, variant or compatibility form followed by the form
    /// names use; only pairs that touch a character of some name (see `search::variants`).
    pub variants: String,
    /// Surnames with the common wrong reading of each, `("曾", "ceng")` (see `pinyin::misreadings`).
    #[serde(default)]
    pub misreadings: Vec<(String, String)>,
    pub honours: Vec<(String, String, String)>,
    pub sections: Vec<(String, String, String)>,
    pub units: Vec<String>,
    pub people: Vec<SearchRow>,
}

impl SearchPayload {
    /// The search engine over these people, built the same way wherever it runs (browser, server,
    /// kiosk), so every place answers a query alike.
    pub fn index(&self) -> crate::search::engine::SearchIndex {
        use crate::search::engine::{SearchEntry, SearchIndex};
        let entries: Vec<SearchEntry> = self
            .people
            .iter()
            .map(|p| SearchEntry {
                name: p.1.clone(),
                syllables: p.2.split(' ').map(str::to_string).collect(),
                surname_len: p.3,
            })
            .collect();
        let chars: Vec<char> = self.variants.chars().collect();
        let variants = chars.chunks_exact(2).map(|c| (c[0], c[1]));
        SearchIndex::new(&entries, variants, &self.misreadings)
    }
}
