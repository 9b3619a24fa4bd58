//! How the server builds the search index from the names on the wall: each name's syllables and
//! surname length, the traditional and variant forms that fold to a character of some name, and
//! the common wrong readings of surnames. The catalogue, the tests and the measurement all build it
//! this one way, and the browser gets the same tables in its payload.

use std::collections::HashSet;

use super::engine::{SearchEntry, SearchIndex};
use super::pinyin::{misreadings, name_syllables, surname_len};
use super::variants::Folding;
use crate::domain::names::is_han;

/// An index with the tables it was built from (the browser's payload carries them).
pub struct BuiltIndex {
    pub index: SearchIndex,
    /// (traditional or variant form, the character in names) pairs reaching a name.
    pub variants: Vec<(char, char)>,
    /// (surname, its wrong reading) pairs.
    pub misreadings: Vec<(String, String)>,
}

/// A name as the index knows it, its syllables read from the pinyin dictionary.
pub fn entry_for(name: &str) -> SearchEntry {
    SearchEntry {
        name: name.to_string(),
        syllables: name_syllables(name),
        surname_len: surname_len(name) as u8,
    }
}

/// The index over `entries`, in their order.
pub fn build(entries: &[SearchEntry]) -> BuiltIndex {
    let name_chars: HashSet<char> = entries
        .iter()
        .flat_map(|e| e.name.chars())
        .filter(|c| is_han(*c))
        .collect();
    let variants = Folding::opencc().pairs_for(&name_chars);
    let misreadings = misreadings();
    let index = SearchIndex::new(entries, variants.iter().copied(), &misreadings);
    BuiltIndex {
        index,
        variants,
        misreadings,
    }
}
