//! A query as people type it, read into what the index compares: Chinese characters (folded to
//! the forms names are written in) and runs of plain pinyin letters. Tone marks (`zhāng`, `lǚ`),
//! the ways of writing ü (`ü`, `v`, `u:`), full-width letters (`ｚｈａｎｇ`), upper case,
//! apostrophes and spaces are all accepted; a name in Western order (`Weimin Zhang`) is also read
//! surname first. Shared by browser and server, so it uses no tables beyond the folding pairs the
//! server sends.

use std::collections::HashMap;

use crate::domain::names::is_han;

/// One unit of a query: a Chinese character, or a run of pinyin letters (lowercase ASCII, ü as v)
/// that starts at a syllable boundary.
#[derive(Clone, Debug, PartialEq)]
pub enum Unit {
    Han(char),
    Letters(String),
}

/// A query, read.
#[derive(Debug, PartialEq)]
pub struct Query {
    pub units: Vec<Unit>,
    /// The same query with its last word first, when it looks like a name in Western order: two
    /// words or more, all pinyin (`Weimin Zhang` → `Zhang Weimin`).
    pub surname_first: Option<Vec<Unit>>,
}

/// What one typed character stands for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Typed {
    Han(char),
    Letter(char),
    /// Turns the `u` just typed into ü (`u:`, or a combining diaeresis).
    Umlaut,
    /// Ends a word (a space, a comma): words may be in Western order.
    WordBreak,
    /// Ends a syllable run inside a word (an apostrophe, a hyphen, a middle dot).
    SyllableBreak,
    Nothing,
}

impl Query {
    pub fn read(query: &str, variants: &HashMap<char, char>) -> Query {
        let typed: Vec<Typed> = query.chars().map(|c| classify(c, variants)).collect();
        let words: Vec<&[Typed]> = typed
            .split(|t| *t == Typed::WordBreak)
            .filter(|w| {
                w.iter()
                    .any(|t| matches!(t, Typed::Han(_) | Typed::Letter(_)))
            })
            .collect();
        let all_pinyin = words
            .iter()
            .all(|w| !w.iter().any(|t| matches!(t, Typed::Han(_))));
        let surname_first = (words.len() >= 2 && all_pinyin).then(|| {
            let (last, rest) = words.split_last().expect("two words or more");
            units_of(std::iter::once(last).chain(rest).copied())
        });
        Query {
            units: units_of(words.iter().copied()),
            surname_first,
        }
    }

    /// The query with its spaces and apostrophes ignored (`zh ang` → `zhang`), when it has any
    /// between letters: a second try for a query whose breaks fall inside a syllable.
    pub fn read_joined(query: &str, variants: &HashMap<char, char>) -> Option<Query> {
        let typed: Vec<Typed> = query
            .chars()
            .map(|c| classify(c, variants))
            .filter(|t| !matches!(t, Typed::WordBreak | Typed::SyllableBreak))
            .collect();
        let units = units_of(std::iter::once(&typed[..]));
        (units != Query::read(query, variants).units).then_some(Query {
            units,
            surname_first: None,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

/// Units of words in order: each word starts a new letter run.
fn units_of<'a>(words: impl Iterator<Item = &'a [Typed]>) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for word in words {
        let mut in_run = false;
        for t in word {
            match *t {
                Typed::Han(c) => {
                    units.push(Unit::Han(c));
                    in_run = false;
                }
                Typed::Letter(l) => match units.last_mut() {
                    Some(Unit::Letters(run)) if in_run => run.push(l),
                    _ => {
                        units.push(Unit::Letters(l.to_string()));
                        in_run = true;
                    }
                },
                Typed::Umlaut => {
                    if let Some(Unit::Letters(run)) = units.last_mut().filter(|_| in_run) {
                        if run.ends_with('u') {
                            run.pop();
                            run.push('v');
                        }
                    }
                }
                Typed::SyllableBreak | Typed::WordBreak => in_run = false,
                Typed::Nothing => {}
            }
        }
    }
    units
}

fn classify(c: char, variants: &HashMap<char, char>) -> Typed {
    let c = from_full_width(c);
    let c = variants.get(&c).copied().unwrap_or(c);
    if let Some(letter) = plain_letter(c) {
        return Typed::Letter(letter);
    }
    match c {
        c if is_han(c) => Typed::Han(c),
        ':' | '\u{0308}' => Typed::Umlaut,
        // Combining tone marks typed after a vowel (decomposed input): the tone is not searched.
        '\u{0300}'..='\u{030C}' => Typed::Nothing,
        ',' | '、' => Typed::WordBreak,
        c if c.is_whitespace() => Typed::WordBreak,
        '\'' | '’' | '‘' | '`' | '´' | '-' | '‐' | '‑' | '–' | '—' | '.' | '·' | '•' | '・' => {
            Typed::SyllableBreak
        }
        // Digits and other punctuation are never part of a name.
        _ => Typed::Nothing,
    }
}

/// Full-width ASCII (as Chinese input methods type it) and the ideographic space, made plain:
/// the part of NFKC that applies to what is typed in a name search.
fn from_full_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// The plain pinyin letter a typed letter stands for: lowercase, without tone, ü written v.
fn plain_letter(c: char) -> Option<char> {
    if c.is_ascii_alphabetic() {
        return Some(c.to_ascii_lowercase());
    }
    let plain = match c {
        'ā' | 'á' | 'ǎ' | 'à' | 'Ā' | 'Á' | 'Ǎ' | 'À' | 'ɑ' => 'a',
        'ē' | 'é' | 'ě' | 'è' | 'Ē' | 'É' | 'Ě' | 'È' | 'ê' | 'Ê' | 'ế' | 'ề' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' | 'Ī' | 'Í' | 'Ǐ' | 'Ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' | 'Ō' | 'Ó' | 'Ǒ' | 'Ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' | 'Ū' | 'Ú' | 'Ǔ' | 'Ù' => 'u',
        'ü' | 'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' | 'Ü' | 'Ǖ' | 'Ǘ' | 'Ǚ' | 'Ǜ' => 'v',
        'ḿ' | 'Ḿ' => 'm',
        'ń' | 'ň' | 'ǹ' | 'Ń' | 'Ň' | 'Ǹ' => 'n',
        _ => return None,
    };
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters(runs: &[&str]) -> Vec<Unit> {
        runs.iter().map(|r| Unit::Letters(r.to_string())).collect()
    }

    fn read(q: &str) -> Vec<Unit> {
        Query::read(q, &HashMap::new()).units
    }

    #[test]
    fn tone_marks_are_dropped() {
        assert_eq!(read("zhāng"), letters(&["zhang"]));
        assert_eq!(read("Zhāng Wěimíng"), letters(&["zhang", "weiming"]));
        assert_eq!(read("lǚ"), letters(&["lv"]));
        // Decomposed: a + combining macron, u + combining diaeresis + combining caron.
        assert_eq!(read("zha\u{0304}ng"), letters(&["zhang"]));
        assert_eq!(read("lu\u{0308}\u{030C}"), letters(&["lv"]));
    }

    #[test]
    fn the_ways_of_writing_u_umlaut() {
        for q in ["lü", "lv", "lu:", "LÜ", "LU:"] {
            assert_eq!(read(q), letters(&["lv"]), "{q}");
        }
        // A colon after anything but u means nothing.
        assert_eq!(read("la:"), letters(&["la"]));
    }

    #[test]
    fn full_width_and_upper_case() {
        assert_eq!(read("ｚｈａｎｇ"), letters(&["zhang"]));
        assert_eq!(read("ＺＨＡＮＧ　ＷＥＩ"), letters(&["zhang", "wei"]));
        assert_eq!(read("ZWM"), letters(&["zwm"]));
        assert_eq!(read("ｚ１２３"), letters(&["z"]));
    }

    #[test]
    fn separators_end_a_run_anywhere() {
        assert_eq!(
            read(" zhang'wei  ming "),
            letters(&["zhang", "wei", "ming"])
        );
        assert_eq!(read("zhang-wei"), letters(&["zhang", "wei"]));
        assert_eq!(read("'"), Vec::<Unit>::new());
        assert_eq!(
            read("张 w m"),
            vec![
                Unit::Han('张'),
                Unit::Letters("w".into()),
                Unit::Letters("m".into())
            ]
        );
    }

    #[test]
    fn breaks_can_be_ignored_for_a_second_try() {
        let joined = |q: &str| Query::read_joined(q, &HashMap::new()).map(|q| q.units);
        assert_eq!(joined("zh ang'wei"), Some(letters(&["zhangwei"])));
        // Nothing to join: no second try.
        assert_eq!(joined("zhangwei"), None);
        assert_eq!(joined(" 张 伟 "), None);
    }

    #[test]
    fn western_order_is_also_read_surname_first() {
        let q = Query::read("Weimin Zhang", &HashMap::new());
        assert_eq!(q.units, letters(&["weimin", "zhang"]));
        assert_eq!(q.surname_first, Some(letters(&["zhang", "weimin"])));
        let q = Query::read("Wei-min, Zhang", &HashMap::new());
        assert_eq!(q.surname_first, Some(letters(&["zhang", "wei", "min"])));
        // One word, or characters, are never turned round.
        assert_eq!(
            Query::read("weiminzhang", &HashMap::new()).surname_first,
            None
        );
        assert_eq!(Query::read("伟民 张", &HashMap::new()).surname_first, None);
    }

    #[test]
    fn characters_fold_through_the_variants() {
        let variants = HashMap::from([('峯', '峰'), ('\u{F900}', '岂')]);
        assert_eq!(
            Query::read("峯\u{F900}", &variants).units,
            vec![Unit::Han('峰'), Unit::Han('岂')]
        );
    }
}
