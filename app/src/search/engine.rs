//! Name search shared by the browser (instant search over the whole wall) and the server (the open
//! data API): Chinese characters, full pinyin, pinyin initials and mixtures (`张wm`), traditional
//! forms folded to simplified.
//!
//! Matching is strict: the query must match whole name characters, or prefixes of the name's
//! syllables in order, starting at the surname (or, ranked lower, at the given name). So `zwm` finds
//! 张伟明, `zhangw` finds 张伟明, but a lone `h` never finds 许 (xu). Results are ranked: exact
//! name, then the whole name by initials, then prefixes, then given-name matches; within a rank
//! shorter names first, then wall order.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// What the index needs to know of one name. `syllables` has one entry per name character
/// (separators such as `·` excluded): lowercase ASCII pinyin without tones, `ü` written `v`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchEntry {
    pub name: String,
    pub syllables: Vec<String>,
    /// Number of characters of the surname (2 for 欧阳, …).
    pub surname_len: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MatchRank {
    /// The query is the whole name, in characters or full pinyin.
    Exact = 0,
    /// The query covers every character of the name, some by initials or partial syllables.
    Whole = 1,
    /// The query covers the name from its start.
    Prefix = 2,
    /// The query covers the name from its start, but only by reading a full syllable after an
    /// abbreviated one (`sh|an` for 沈安): a possible reading, rarely the meant one.
    Loose = 3,
    /// The query matches from the start of the given name.
    GivenName = 4,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index of the entry in the order the index was built from.
    pub index: usize,
    pub rank: MatchRank,
}

struct Prepared {
    chars: Vec<char>,
    syllables: Vec<Box<str>>,
    /// Where a match may start (0, the given name, the part after each `·`), with the character
    /// and first pinyin letter there, kept inline so most names are rejected without a pointer.
    starts: [StartKey; MAX_STARTS],
    start_count: u8,
}

const MAX_STARTS: usize = 4;

#[derive(Clone, Copy, Default)]
struct StartKey {
    position: u8,
    char: char,
    letter: u8,
}

/// One unit of a normalised query: a Chinese character, or a run of pinyin letters.
#[derive(Debug, PartialEq)]
enum Unit {
    Han(char),
    Letters(String),
}

pub struct SearchIndex {
    entries: Vec<Prepared>,
    /// Traditional (or variant) form → the simplified form used in names.
    variants: HashMap<char, char>,
}

impl SearchIndex {
    /// `variants` maps traditional forms to simplified ones; entries keep their order, which is the
    /// tie-breaker of the ranking (pass them in wall order).
    pub fn new(entries: &[SearchEntry], variants: impl IntoIterator<Item = (char, char)>) -> Self {
        let entries = entries.iter().map(prepare).collect();
        SearchIndex {
            entries,
            variants: variants.into_iter().collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every matching entry, best first. An empty or meaningless query matches nothing.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let units = self.normalise(query);
        if units.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| rank(entry, &units).map(|rank| Hit { index, rank }))
            .collect();
        hits.sort_by_key(|hit| (hit.rank, self.entries[hit.index].chars.len(), hit.index));
        hits
    }

    fn normalise(&self, query: &str) -> Vec<Unit> {
        let mut units: Vec<Unit> = Vec::new();
        for c in query.chars() {
            let c = self.variants.get(&c).copied().unwrap_or(c);
            if c.is_ascii_alphabetic() || c == 'ü' || c == 'Ü' {
                let letter = if c == 'ü' || c == 'Ü' {
                    'v'
                } else {
                    c.to_ascii_lowercase()
                };
                match units.last_mut() {
                    Some(Unit::Letters(run)) => run.push(letter),
                    _ => units.push(Unit::Letters(letter.to_string())),
                }
            } else if is_han(c) {
                units.push(Unit::Han(c));
            } else if c.is_whitespace() || matches!(c, '\'' | '’' | '-' | '·' | '•' | '・') {
                // Separators a user may type between syllables: they end a letter run.
                if let Some(Unit::Letters(_)) = units.last() {
                    units.push(Unit::Letters(String::new()));
                }
            }
            // Anything else (digits, punctuation) cannot be part of a name and is dropped.
        }
        units.retain(|u| !matches!(u, Unit::Letters(run) if run.is_empty()));
        units
    }
}

pub use crate::domain::names::is_han;

fn prepare(entry: &SearchEntry) -> Prepared {
    let mut chars = Vec::new();
    let mut positions = vec![0u8];
    for c in entry.name.chars() {
        if matches!(c, '·' | '•' | '・' | ' ') {
            positions.push(chars.len() as u8);
        } else {
            chars.push(c);
        }
    }
    let surname_len = entry.surname_len as usize;
    if surname_len > 0 && surname_len < chars.len() && !positions.contains(&(surname_len as u8)) {
        positions.push(surname_len as u8);
    }
    let mut syllables: Vec<Box<str>> = entry.syllables.iter().map(|s| s.as_str().into()).collect();
    syllables.resize(chars.len(), "".into());
    let mut starts = [StartKey::default(); MAX_STARTS];
    let mut start_count = 0;
    for position in positions
        .into_iter()
        .filter(|p| (*p as usize) < chars.len())
        .take(MAX_STARTS)
    {
        starts[start_count] = StartKey {
            position,
            char: chars[position as usize],
            letter: syllables[position as usize]
                .as_bytes()
                .first()
                .copied()
                .unwrap_or(0),
        };
        start_count += 1;
    }
    Prepared {
        chars,
        syllables,
        starts,
        start_count: start_count as u8,
    }
}

/// How a match starting at some character went.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Coverage {
    /// No full syllable was read after an abbreviated one (`zhangwm` yes, `sh|an` no).
    natural: bool,
    /// Index just past the last character covered.
    covered: usize,
    /// Every letter run ends exactly at a syllable end.
    whole_syllables: bool,
}

/// Whether the first unit of the query can match at a start at all: one compare that rejects
/// almost every name before the full match runs.
fn may_start_at(key: &StartKey, first: &Unit) -> bool {
    match first {
        Unit::Han(c) => key.char == *c,
        Unit::Letters(run) => run.as_bytes().first() == Some(&key.letter),
    }
}

fn rank(entry: &Prepared, units: &[Unit]) -> Option<MatchRank> {
    let mut best: Option<MatchRank> = None;
    for key in &entry.starts[..entry.start_count as usize] {
        if !may_start_at(key, &units[0]) {
            continue;
        }
        let start = key.position;
        let Some(cov) = best_match(entry, units, start as usize) else {
            continue;
        };
        let rank = if start != 0 {
            MatchRank::GivenName
        } else if !cov.natural {
            MatchRank::Loose
        } else if cov.covered == entry.chars.len() && cov.whole_syllables {
            MatchRank::Exact
        } else if cov.covered == entry.chars.len() {
            MatchRank::Whole
        } else {
            MatchRank::Prefix
        };
        best = Some(best.map_or(rank, |b| b.min(rank)));
    }
    best
}

/// The best way (most characters covered, preferring whole syllables) the units match from
/// character `start` onward, if any.
fn best_match(entry: &Prepared, units: &[Unit], start: usize) -> Option<Coverage> {
    match_units(
        entry,
        units,
        0,
        start,
        0,
        Reading {
            whole: true,
            abbreviated: false,
            natural: true,
        },
    )
}

/// What the letters read so far were like.
#[derive(Clone, Copy)]
struct Reading {
    /// Every syllable read so far was read in full.
    whole: bool,
    /// Some syllable was read abbreviated.
    abbreviated: bool,
    /// No full syllable came after an abbreviated one.
    natural: bool,
}

fn match_units(
    entry: &Prepared,
    units: &[Unit],
    unit: usize,
    position: usize,
    offset: usize,
    reading: Reading,
) -> Option<Coverage> {
    let Some(current) = units.get(unit) else {
        return Some(Coverage {
            natural: reading.natural,
            covered: position,
            whole_syllables: reading.whole,
        });
    };
    match current {
        Unit::Han(c) => (offset == 0 && entry.chars.get(position) == Some(c))
            .then(|| match_units(entry, units, unit + 1, position + 1, 0, reading))
            .flatten(),
        Unit::Letters(run) => {
            let rest = &run[offset..];
            if rest.is_empty() {
                return match_units(entry, units, unit + 1, position, 0, reading);
            }
            let syllable = entry.syllables.get(position)?;
            if syllable.is_empty() {
                return None;
            }
            let mut best: Option<Coverage> = None;
            // Take k letters of the run as a prefix of this syllable, longest first.
            let max = rest.len().min(syllable.len());
            for k in (1..=max).rev() {
                if !syllable.as_bytes().starts_with(&rest.as_bytes()[..k]) {
                    continue;
                }
                let full_syllable = k == syllable.len();
                let next = Reading {
                    whole: reading.whole && full_syllable,
                    abbreviated: reading.abbreviated || !full_syllable,
                    natural: reading.natural && !(full_syllable && reading.abbreviated),
                };
                if let Some(cov) = match_units(entry, units, unit, position + 1, offset + k, next) {
                    if best.is_none_or(|b| cov > b) {
                        best = Some(cov);
                    }
                }
            }
            best
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, syllables: &str, surname_len: u8) -> SearchEntry {
        SearchEntry {
            name: name.to_string(),
            syllables: syllables.split(' ').map(str::to_string).collect(),
            surname_len,
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::new(
            &[
                entry("张伟明", "zhang wei ming", 1),
                entry("许华", "xu hua", 1),
                entry("黄海", "huang hai", 1),
                entry("张伟", "zhang wei", 1),
                entry("欧阳明", "ou yang ming", 2),
                entry("艾尔肯·吐尔逊", "ai er ken tu er xun", 3),
                entry("吕芳", "lv fang", 1),
            ],
            [('張', '张'), ('偉', '伟')],
        )
    }

    fn names(index: &SearchIndex, query: &str) -> Vec<usize> {
        index.search(query).into_iter().map(|h| h.index).collect()
    }

    #[test]
    fn initials_find_the_whole_name() {
        let idx = index();
        assert_eq!(names(&idx, "zwm"), vec![0]);
        assert_eq!(idx.search("zwm")[0].rank, MatchRank::Whole);
    }

    #[test]
    fn exact_name_ranks_before_prefix() {
        let idx = index();
        assert_eq!(names(&idx, "张伟"), vec![3, 0]);
        assert_eq!(names(&idx, "zhangwei"), vec![3, 0]);
        assert_eq!(idx.search("zhangwei")[0].rank, MatchRank::Exact);
    }

    #[test]
    fn a_lone_letter_matches_syllable_starts_only() {
        let idx = index();
        // h: 黄海 (huang) — never 许华 (xu hua) by its given name at prefix rank, never 张伟明.
        let hits = idx.search("h");
        assert_eq!(hits[0].index, 2);
        assert!(hits
            .iter()
            .all(|h| h.index != 1 || h.rank == MatchRank::GivenName));
        assert!(!names(&idx, "h").contains(&0));
    }

    #[test]
    fn a_full_syllable_is_read_as_one() {
        let idx = SearchIndex::new(
            &[
                entry("沈安", "shen an", 1),
                entry("单田芳", "shan tian fang", 1),
            ],
            std::iter::empty(),
        );
        // `shan` is 单's syllable; reading it as sh(en)+an for 沈安 is possible but ranked below.
        let hits = idx.search("shan");
        assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), vec![1, 0]);
        assert_eq!(hits[0].rank, MatchRank::Prefix);
        assert_eq!(hits[1].rank, MatchRank::Loose);
    }

    #[test]
    fn traditional_forms_fold_to_simplified() {
        let idx = index();
        assert_eq!(names(&idx, "張偉明"), vec![0]);
    }

    #[test]
    fn mixed_characters_and_pinyin() {
        let idx = index();
        assert_eq!(names(&idx, "张wm"), vec![0]);
        assert_eq!(names(&idx, "zhang wei m"), vec![0]);
    }

    #[test]
    fn compound_surnames_and_dotted_names() {
        let idx = index();
        assert_eq!(names(&idx, "oym"), vec![4]);
        assert_eq!(names(&idx, "ming"), vec![4]);
        assert_eq!(names(&idx, "tex")[0], 5);
        assert_eq!(names(&idx, "aek"), vec![5]);
        assert_eq!(idx.search("吐尔逊")[0].rank, MatchRank::GivenName);
    }

    #[test]
    fn umlaut_and_v() {
        let idx = index();
        assert_eq!(names(&idx, "lvfang"), vec![6]);
        assert_eq!(names(&idx, "lüf"), vec![6]);
    }

    #[test]
    fn garbage_matches_nothing() {
        let idx = index();
        assert!(idx.search("").is_empty());
        assert!(idx.search("  123 !").is_empty());
        assert!(idx.search("zzzzzz").is_empty());
        assert!(idx.search("张伟明明").is_empty());
    }
}
