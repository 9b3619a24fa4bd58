//! Name search shared by the browser (instant search over the whole wall), the server's page for
//! visitors without JavaScript and the open-data API: one engine, so all three give the same
//! answers. It finds names by Chinese characters, full pinyin, initials and mixtures (`张wm`), with
//! traditional, variant and compatibility forms folded (see `normalise` for what is accepted as
//! typed).
//!
//! A query is matched against a name from a start: the surname (best), the given name or a part
//! after `·`, or any other character (only by a character, or a pinyin syllable typed in full:
//! `峰` and `feng` find 李小峰, `f` does not). From there it must cover whole characters, or
//! prefixes of the syllables in order. Hits are ranked by, in turn:
//! 1. where the match starts (surname, given name, inside);
//! 2. whether the surname was read by its common wrong reading (`ceng` for 曾: found, marked);
//! 3. how the letters were read ([`Reading`]): whole syllables first; then a last syllable still
//!    being typed, or initials; then other cuts; then unnatural ones;
//! 4. a Western-order query turned round (`Weimin Zhang`) after one read as typed;
//! 5. how complete the match is: share of the name covered (so `ya` lists 杨安 by its initials
//!    before 杨 cut short), then typing before initials, then, for syllables cut short, share of
//!    the letters of the syllables read that were typed (`zhan` is more of 詹 than of 张);
//! 6. more characters covered (`chy` is c|h|y of 陈海燕 before ch|y of 陈勇), shorter names,
//!    then wall order.
//!
//! Long because the matcher, its per-name heads (the cheap first check that keeps a keystroke
//! over 13,000 names well under a millisecond) and the ranking key are one algorithm.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::normalise::{Query, Unit};

/// What the index needs to know of one name. `syllables` has one entry per name character
/// (separators such as `·` excluded): lowercase ASCII pinyin without tones, `ü` written `v`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchEntry {
    pub name: String,
    pub syllables: Vec<String>,
    /// Number of characters of the surname (2 for 欧阳, …).
    pub surname_len: u8,
}

/// Where in the name a match starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Start {
    Surname = 0,
    /// The given name, or a part of a name written with `·`.
    GivenName = 1,
    /// Any other character: by the character itself or a syllable typed in full.
    Inside = 2,
}

/// How the letters of a query were read against the syllables of a name, best first (typing and
/// initials rank together, the more complete match first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Reading {
    /// Characters only, or every syllable in full (`zha` for 查, `zhangwei` for 张伟).
    Syllables = 0,
    /// Syllables in full, the last one still being typed (`zhan` for 张, `zhangw` for 张伟).
    Typing = 1,
    /// Every syllable by its initial (`zwm`, `zhwm` for 张伟明, `yaz` for 于安忠).
    Initials = 2,
    /// Syllables cut at other lengths, in a natural order (`yaz` for 杨中: ya|z).
    Mixed = 3,
    /// A full syllable after a cut one (`sh|an` for 沈安): possible, rarely meant.
    Loose = 4,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Index of the entry in the order the index was built from.
    pub index: usize,
    pub start: Start,
    pub reading: Reading,
    /// The query covers the name to its end.
    pub whole_name: bool,
    /// Found only by the common wrong reading of the surname (`ceng` for 曾): show the right one.
    pub misread: bool,
    /// Found by reading a Western-order query surname first (`Weimin Zhang`).
    pub surname_moved: bool,
    /// The whole ranking packed into one number, lower first (see the module's list).
    order: u64,
}

impl Hit {
    /// The query is the whole name, in characters or full pinyin.
    pub fn is_exact(&self) -> bool {
        self.start == Start::Surname
            && self.reading == Reading::Syllables
            && self.whole_name
            && !self.misread
    }
}

/// One syllable of a name, with the other spellings people type for it.
struct Syllable {
    /// The standard spelling first, then passport (`lyu`) and input-method (`lue`) spellings of ü.
    spellings: Box<[Box<str>]>,
}

impl Syllable {
    fn new(standard: &str) -> Self {
        let mut spellings: Vec<Box<str>> = vec![standard.into()];
        // ü after l and n: passports write LYU / NYU, input methods accept lue / nue.
        if let Some(rest) = standard
            .strip_prefix("lv")
            .or_else(|| standard.strip_prefix("nv"))
        {
            let initial = &standard[..1];
            spellings.push(format!("{initial}yu{rest}").into());
            if rest == "e" {
                spellings.push(format!("{initial}ue").into());
            }
        }
        Syllable {
            spellings: spellings.into_boxed_slice(),
        }
    }

    fn first_letter(&self) -> u8 {
        self.spellings[0].as_bytes().first().copied().unwrap_or(0)
    }
}

/// What the index needs to know of one position of a name to tell whether a query may start
/// there. The index keeps heads in one flat array, so most starts are rejected without following
/// a pointer.
#[derive(Clone, Copy)]
struct Head {
    char: char,
    /// The syllable's standard spelling, zero-padded (pinyin syllables have at most six letters).
    spelling: [u8; 6],
    /// A match may start here with a syllable cut short: the surname, the given name, a part
    /// after `·`. Elsewhere it must start with a whole syllable.
    open: bool,
    /// The syllable is spelled other ways too (ü), or is too long for `spelling`: the full
    /// match decides.
    respelled: bool,
}

struct Prepared {
    /// Where this name's heads begin in the index's flat array (one per character).
    heads_at: u32,
    /// Name characters, separators left out, folded like queries are.
    chars: Box<[char]>,
    syllables: Box<[Syllable]>,
    /// The syllables with a common wrong reading of the surname in its place (曾: ceng …).
    misread: Box<[Box<[Syllable]>]>,
    surname_len: u8,
    /// Bit `p` is set when position `p` begins the given name or a part after `·`.
    given_starts: u32,
}

pub struct SearchIndex {
    entries: Vec<Prepared>,
    heads: Vec<Head>,
    /// Traditional, variant and compatibility forms → the form used in names.
    variants: HashMap<char, char>,
}

impl SearchIndex {
    /// `variants` maps traditional, variant and compatibility forms to the ones names are written
    /// in; `misreadings` gives surnames (in characters) with the common wrong reading of each
    /// (syllables joined by spaces, `("曾", "ceng")`). Entries keep their order, the last
    /// tie-breaker of the ranking (pass them in wall order).
    pub fn new(
        entries: &[SearchEntry],
        variants: impl IntoIterator<Item = (char, char)>,
        misreadings: &[(String, String)],
    ) -> Self {
        let variants: HashMap<char, char> = variants.into_iter().collect();
        let mut wrong_readings: HashMap<Vec<char>, Vec<Vec<&str>>> = HashMap::new();
        for (surname, reading) in misreadings {
            let surname = surname.chars().map(|c| fold(&variants, c)).collect();
            wrong_readings
                .entry(surname)
                .or_default()
                .push(reading.split(' ').collect());
        }
        let mut heads = Vec::new();
        let entries = entries
            .iter()
            .map(|e| {
                let prepared = prepare(e, &variants, &wrong_readings, heads.len() as u32);
                heads.extend(
                    prepared
                        .chars
                        .iter()
                        .zip(&prepared.syllables)
                        .enumerate()
                        .map(|(position, (&char, syllable))| {
                            Head::new(char, syllable, start_at(&prepared, position))
                        }),
                );
                prepared
            })
            .collect();
        SearchIndex {
            entries,
            heads,
            variants,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every matching entry, best first. An empty or meaningless query matches nothing. A query
    /// that finds nothing as typed is tried again with its spaces and apostrophes ignored, for
    /// breaks typed inside a syllable (`zh ang`).
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let hits = self.search_read(&Query::read(query, &self.variants));
        if !hits.is_empty() {
            return hits;
        }
        Query::read_joined(query, &self.variants)
            .map(|joined| self.search_read(&joined))
            .unwrap_or_default()
    }

    fn search_read(&self, query: &Query) -> Vec<Hit> {
        if query.is_empty() {
            return Vec::new();
        }
        let first = Head::key_of(&query.units[0]);
        let moved_first = query
            .surname_first
            .as_ref()
            .map(|units| Head::key_of(&units[0]));
        let mut hits: Vec<Hit> = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            let at = entry.heads_at as usize;
            let heads = &self.heads[at..at + entry.chars.len()];
            // Most names cannot match at all: tell that from the flat heads alone, before the
            // full match (a larger function) is called.
            let may_match = heads.iter().any(|h| h.fits(first))
                || entry
                    .misread
                    .iter()
                    .any(|m| m[0].may_start(&query.units[0]))
                || moved_first.is_some_and(|key| heads.first().is_some_and(|h| h.fits(key)));
            if may_match {
                hits.extend(best_hit(entry, heads, query, index));
            }
        }
        hits.sort_unstable_by_key(|hit| (hit.order, hit.index));
        hits
    }
}

fn fold(variants: &HashMap<char, char>, c: char) -> char {
    variants.get(&c).copied().unwrap_or(c)
}

fn is_name_separator(c: char) -> bool {
    matches!(c, '·' | '•' | '・' | ' ')
}

fn prepare(
    entry: &SearchEntry,
    variants: &HashMap<char, char>,
    wrong_readings: &HashMap<Vec<char>, Vec<Vec<&str>>>,
    heads_at: u32,
) -> Prepared {
    let mut chars = Vec::new();
    let mut given_starts = 0u32;
    for c in entry.name.chars() {
        if is_name_separator(c) {
            given_starts |= 1 << chars.len().min(31);
        } else {
            chars.push(fold(variants, c));
        }
    }
    let surname_len = entry.surname_len as usize;
    if surname_len > 0 && surname_len < chars.len() {
        given_starts |= 1 << surname_len.min(31);
    }
    let mut syllables: Vec<Syllable> = entry.syllables.iter().map(|s| Syllable::new(s)).collect();
    syllables.resize_with(chars.len(), || Syllable::new(""));
    syllables.truncate(chars.len());
    let misread = chars
        .get(..surname_len)
        .and_then(|surname| wrong_readings.get(surname))
        .into_iter()
        .flatten()
        .filter(|reading| reading.len() == surname_len)
        .map(|reading| {
            let given_name = syllables[surname_len..].iter().map(|s| &*s.spellings[0]);
            reading
                .iter()
                .copied()
                .chain(given_name)
                .map(Syllable::new)
                .collect()
        })
        .collect();
    Prepared {
        heads_at,
        chars: chars.into_boxed_slice(),
        syllables: syllables.into_boxed_slice(),
        misread,
        surname_len: surname_len as u8,
        given_starts,
    }
}

/// The best way this entry matches the query, if any.
fn best_hit(entry: &Prepared, heads: &[Head], query: &Query, index: usize) -> Option<Hit> {
    let first = &query.units[0];
    let mut best: Option<Hit> = None;
    let mut consider = |hit: Option<Hit>| {
        if let Some(hit) = hit {
            if best.is_none_or(|b| hit.order < b.order) {
                best = Some(hit);
            }
        }
    };
    let key = Head::key_of(first);
    for (position, head) in heads.iter().enumerate() {
        if !head.fits(key) {
            continue;
        }
        let start = start_at(entry, position);
        if start == Start::Inside
            && !begins_with_a_whole_syllable(first, &entry.syllables[position])
        {
            continue;
        }
        let outcome = match_from(entry, &entry.syllables, &query.units, position, 0);
        consider(outcome.and_then(|o| o.hit(entry, index, start, false, false)));
    }
    for misread in &entry.misread {
        if misread[0].may_start(first) {
            let outcome = match_from(entry, misread, &query.units, 0, entry.surname_len);
            consider(outcome.and_then(|o| o.hit(entry, index, Start::Surname, true, false)));
        }
    }
    if let Some(units) = &query.surname_first {
        if heads
            .first()
            .is_some_and(|head| head.fits(Head::key_of(&units[0])))
        {
            let outcome = match_from(entry, &entry.syllables, units, 0, 0);
            consider(outcome.and_then(|o| o.hit(entry, index, Start::Surname, false, true)));
        }
    }
    best
}

/// Inside a name, letters count only from a syllable typed in full: a cheap check before the
/// match, which checks it again for how the letters were actually read.
fn begins_with_a_whole_syllable(first: &Unit, syllable: &Syllable) -> bool {
    match first {
        Unit::Han(_) => true,
        Unit::Letters(run) => syllable
            .spellings
            .iter()
            .any(|s| !s.is_empty() && run.starts_with(&**s)),
    }
}

fn start_at(entry: &Prepared, position: usize) -> Start {
    if position == 0 {
        Start::Surname
    } else if position < 32 && entry.given_starts & (1 << position) != 0 {
        Start::GivenName
    } else {
        Start::Inside
    }
}

impl Head {
    fn new(char: char, syllable: &Syllable, start: Start) -> Head {
        let standard = syllable.spellings[0].as_bytes();
        let mut spelling = [0u8; 6];
        let kept = standard.len().min(spelling.len());
        spelling[..kept].copy_from_slice(&standard[..kept]);
        Head {
            char,
            spelling,
            open: start != Start::Inside,
            respelled: syllable.spellings.len() > 1 || standard.len() > spelling.len(),
        }
    }

    /// What a head must hold for a query to start there: a character, or letters.
    fn key_of(first: &Unit) -> HeadKey<'_> {
        match first {
            Unit::Han(c) => HeadKey::Char(*c),
            Unit::Letters(run) => HeadKey::Letters(run.as_bytes()),
        }
    }

    /// Whether the query can start here at all: a compare or two that reject almost every start
    /// before the full match runs.
    fn fits(&self, key: HeadKey) -> bool {
        match key {
            HeadKey::Char(c) => self.char == c,
            HeadKey::Letters(run) => {
                run[0] == self.spelling[0]
                    && (self.open || self.respelled || run.starts_with(self.spelling()))
            }
        }
    }

    fn spelling(&self) -> &[u8] {
        let len = self.spelling.iter().position(|b| *b == 0).unwrap_or(6);
        &self.spelling[..len]
    }
}

#[derive(Clone, Copy)]
enum HeadKey<'a> {
    Char(char),
    Letters(&'a [u8]),
}

impl Syllable {
    fn may_start(&self, first: &Unit) -> bool {
        matches!(first, Unit::Letters(run) if run.as_bytes()[0] == self.first_letter())
    }
}

/// How one syllable was read: `k` letters of a spelling of length `n`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cut {
    Full,
    /// Its initial: the first letter, or `zh`, `ch`, `sh`.
    Initial,
    Part,
}

fn cut(spelling: &str, k: usize) -> Cut {
    let initial_len = match spelling.as_bytes() {
        [b'z' | b'c' | b's', b'h', ..] => 2,
        _ => 1,
    };
    if k == spelling.len() {
        Cut::Full
    } else if k == 1 || k == initial_len {
        Cut::Initial
    } else {
        Cut::Part
    }
}

/// What has been read so far, carried down the match.
#[derive(Clone, Copy)]
struct Progress {
    /// Syllables read by letters (characters typed as characters are not counted).
    syllables: u8,
    all_full: bool,
    all_but_last_full: bool,
    all_initials: bool,
    last: Cut,
    /// No full syllable was read after a cut one.
    natural: bool,
    /// The first syllable read by letters was read in full.
    first_full: bool,
    typed: u16,
    spelled: u16,
}

impl Progress {
    const NOTHING: Progress = Progress {
        syllables: 0,
        all_full: true,
        all_but_last_full: true,
        all_initials: true,
        last: Cut::Full,
        natural: true,
        first_full: true,
        typed: 0,
        spelled: 0,
    };

    fn read(self, spelling: &str, k: usize) -> Progress {
        let cut = cut(spelling, k);
        // A one-letter syllable (a, e, o) read in full is also its own initial.
        let one_letter = spelling.len() == 1;
        Progress {
            syllables: self.syllables.saturating_add(1),
            all_full: self.all_full && cut == Cut::Full,
            all_but_last_full: self.all_full,
            all_initials: self.all_initials && (cut == Cut::Initial || one_letter),
            last: cut,
            natural: self.natural && (self.all_full || cut != Cut::Full || one_letter),
            first_full: if self.syllables == 0 {
                cut == Cut::Full
            } else {
                self.first_full
            },
            typed: self.typed + k as u16,
            spelled: self.spelled + spelling.len() as u16,
        }
    }

    fn reading(&self) -> Reading {
        if self.all_full {
            Reading::Syllables
        } else if self.all_but_last_full && (self.last == Cut::Part || self.syllables >= 2) {
            Reading::Typing
        } else if self.all_initials {
            Reading::Initials
        } else if self.natural {
            Reading::Mixed
        } else {
            Reading::Loose
        }
    }
}

/// A complete match of the query from some start.
#[derive(Clone, Copy)]
struct Outcome {
    start_position: usize,
    /// Index just past the last character covered.
    end: usize,
    progress: Progress,
    /// Lower is better, among outcomes from the same start.
    order: u64,
}

impl Outcome {
    fn new(start_position: usize, end: usize, progress: Progress, name_len: usize) -> Self {
        let mut outcome = Outcome {
            start_position,
            end,
            progress,
            order: 0,
        };
        outcome.order = outcome.completeness_order(name_len);
        outcome
    }

    fn completeness_order(&self, name_len: usize) -> u64 {
        let p = &self.progress;
        let reading = p.reading();
        let covered = permille(self.end - self.start_position, name_len);
        // Initials are all alike however long the syllables they stand for: only cut syllables
        // are more or less complete.
        let letters = if p.spelled == 0 || reading == Reading::Initials {
            1000
        } else {
            permille(p.typed as usize, p.spelled as usize)
        };
        (tier(reading) << 23)
            | ((1000 - covered) << 13)
            | ((reading as u64) << 10)
            | (1000 - letters)
    }

    fn hit(
        &self,
        entry: &Prepared,
        index: usize,
        start: Start,
        misread: bool,
        surname_moved: bool,
    ) -> Option<Hit> {
        // Inside a name, letters count only from a syllable typed in full (`feng`, not `f`).
        if start == Start::Inside && !self.progress.first_full {
            return None;
        }
        let name_len = entry.chars.len();
        let reading = self.progress.reading();
        let covered = (self.end - self.start_position).min(255) as u64;
        let order = ((start as u64) << 43)
            | ((misread as u64) << 42)
            | (tier(reading) << 40)
            | ((surname_moved as u64) << 39)
            | ((self.order & 0x7F_FFFF) << 16)
            | ((255 - covered) << 8)
            | name_len.min(255) as u64;
        Some(Hit {
            index,
            start,
            reading,
            whole_name: self.end == name_len,
            misread,
            surname_moved,
            order,
        })
    }
}

/// Readings that rank together, the more complete first: a last syllable still being typed and
/// initials (`ya` is 杨 cut short, or y|a of 杨安: the whole name by its initials comes first).
fn tier(reading: Reading) -> u64 {
    match reading {
        Reading::Syllables => 0,
        Reading::Typing | Reading::Initials => 1,
        Reading::Mixed => 2,
        Reading::Loose => 3,
    }
}

fn permille(part: usize, whole: usize) -> u64 {
    (part * 1000 / whole.max(1)).min(1000) as u64
}

/// The best way the units match from character `position` onward, if any. The syllables before
/// `full_until` must be read in full (a wrong reading is only taken when typed out).
fn match_from(
    entry: &Prepared,
    syllables: &[Syllable],
    units: &[Unit],
    position: usize,
    full_until: u8,
) -> Option<Outcome> {
    let matcher = Matcher {
        chars: &entry.chars,
        syllables,
        units,
        start_position: position,
        full_until: full_until as usize,
        name_len: entry.chars.len(),
    };
    matcher.go(0, position, 0, Progress::NOTHING)
}

struct Matcher<'a> {
    chars: &'a [char],
    syllables: &'a [Syllable],
    units: &'a [Unit],
    start_position: usize,
    full_until: usize,
    name_len: usize,
}

impl Matcher<'_> {
    fn go(
        &self,
        unit: usize,
        position: usize,
        offset: usize,
        progress: Progress,
    ) -> Option<Outcome> {
        let Some(current) = self.units.get(unit) else {
            return Some(Outcome::new(
                self.start_position,
                position,
                progress,
                self.name_len,
            ));
        };
        match current {
            Unit::Han(c) => (offset == 0 && self.chars.get(position) == Some(c))
                .then(|| self.go(unit + 1, position + 1, 0, progress))
                .flatten(),
            Unit::Letters(run) => {
                let rest = &run.as_bytes()[offset..];
                if rest.is_empty() {
                    return self.go(unit + 1, position, 0, progress);
                }
                let syllable = self.syllables.get(position)?;
                let mut best: Option<Outcome> = None;
                for spelling in syllable.spellings.iter().filter(|s| !s.is_empty()) {
                    let spelled = spelling.as_bytes();
                    let shared = spelled.iter().zip(rest).take_while(|(a, b)| a == b).count();
                    let shortest = if position < self.full_until {
                        spelled.len()
                    } else {
                        1
                    };
                    // Take k letters of the run as a prefix of this syllable, longest first.
                    for k in (shortest..=shared).rev() {
                        let next = progress.read(spelling, k);
                        let found = self.go(unit, position + 1, offset + k, next);
                        if let Some(outcome) = found {
                            if best.is_none_or(|b| outcome.order < b.order) {
                                best = Some(outcome);
                            }
                        }
                    }
                }
                best
            }
        }
    }
}

#[cfg(test)]
mod tests;

#[cfg(all(test, feature = "ssr"))]
mod wall;
