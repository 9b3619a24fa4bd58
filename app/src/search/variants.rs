//! Which characters a visitor may type for a character of a name: traditional and Hong Kong /
//! Taiwan forms (OpenCC's tables, vendored in `opencc/`) and Unicode compatibility forms (NFKC:
//! compatibility ideographs, Kangxi radicals). Server side; the browser gets only the pairs that
//! touch a character of some name, as the payload's `variants` string.

use std::collections::{HashMap, HashSet};

use unicode_normalization::UnicodeNormalization;

const TRADITIONAL_TO_SIMPLIFIED: &str = include_str!("opencc/TSCharacters.txt");
const REGIONAL_TO_TRADITIONAL: [&str; 2] = [
    include_str!("opencc/HKVariantsRev.txt"),
    include_str!("opencc/TWVariantsRev.txt"),
];

/// Blocks whose characters have a compatibility decomposition to one unified ideograph.
const COMPATIBILITY_BLOCKS: [std::ops::RangeInclusive<u32>; 4] = [
    0x2E80..=0x2EFF,   // CJK radicals supplement (two of them decompose)
    0x2F00..=0x2FDF,   // Kangxi radicals
    0xF900..=0xFAFF,   // CJK compatibility ideographs
    0x2F800..=0x2FA1F, // CJK compatibility ideographs supplement
];

/// One character → one character, from an OpenCC table. A key whose candidates include the key
/// itself is left alone: 乾 (干 乾) and 於 (于 於) are also simplified characters in their own
/// right, and names use them as such.
fn parse_table(text: &str) -> HashMap<char, char> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (key, values) = line.split_once('\t')?;
            let key = single_char(key)?;
            let candidates: Vec<char> = values.split(' ').filter_map(single_char).collect();
            let first = *candidates.first()?;
            (!candidates.contains(&key)).then_some((key, first))
        })
        .collect()
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

/// The one unified ideograph a compatibility character stands for, if any.
fn compatibility_target(c: char) -> Option<char> {
    single_char(&c.to_string().nfkc().collect::<String>()).filter(|t| *t != c)
}

/// The folding of single characters to the simplified form names are written in.
pub struct Folding {
    traditional: HashMap<char, char>,
    regional: HashMap<char, char>,
}

impl Folding {
    pub fn opencc() -> Self {
        Folding {
            traditional: parse_table(TRADITIONAL_TO_SIMPLIFIED),
            regional: REGIONAL_TO_TRADITIONAL
                .iter()
                .flat_map(|t| parse_table(t))
                .collect(),
        }
    }

    /// Compatibility form → unified, then traditional → simplified, or regional form →
    /// traditional → simplified. A regional step counts only when it reaches a traditional
    /// character: the regional tables also list characters that are standard simplified ones
    /// (抬, 么, 著), which must stay as they are.
    pub fn fold(&self, c: char) -> char {
        let c = compatibility_target(c).unwrap_or(c);
        if let Some(&simplified) = self.traditional.get(&c) {
            return simplified;
        }
        self.regional
            .get(&c)
            .and_then(|traditional| self.traditional.get(traditional))
            .copied()
            .unwrap_or(c)
    }

    /// Every character the tables know a different form for.
    fn foldable(&self) -> impl Iterator<Item = char> + '_ {
        let compatibility = COMPATIBILITY_BLOCKS
            .into_iter()
            .flatten()
            .filter_map(char::from_u32);
        self.traditional
            .keys()
            .chain(self.regional.keys())
            .copied()
            .chain(compatibility)
    }

    /// The pairs (typed form, form in the index) that matter for these name characters: the
    /// form folds to a character of some name, or is itself in a name (names are folded too, so
    /// a name engraved 峯 is found by 峰 and the other way round). Sorted, without duplicates.
    pub fn pairs_for(&self, name_chars: &HashSet<char>) -> Vec<(char, char)> {
        let mut pairs: Vec<(char, char)> = self
            .foldable()
            .map(|c| (c, self.fold(c)))
            .filter(|(c, s)| c != s && (name_chars.contains(c) || name_chars.contains(s)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_regional_forms_fold_to_simplified() {
        let folding = Folding::opencc();
        assert_eq!(folding.fold('峯'), '峰');
        assert_eq!(folding.fold('張'), '张');
        assert_eq!(folding.fold('鍾'), '钟');
        // Hong Kong 衞 → traditional 衛 → 卫.
        assert_eq!(folding.fold('衞'), '卫');
        assert_eq!(folding.fold('张'), '张');
    }

    #[test]
    fn characters_that_are_also_simplified_stay() {
        let folding = Folding::opencc();
        assert_eq!(folding.fold('乾'), '乾');
        assert_eq!(folding.fold('於'), '於');
        // Listed as Hong Kong / Taiwan forms, but standard simplified characters too.
        assert_eq!(folding.fold('抬'), '抬');
        assert_eq!(folding.fold('著'), '著');
    }

    #[test]
    fn compatibility_forms_fold_by_nfkc() {
        let folding = Folding::opencc();
        // U+F900 豈 is the compatibility twin of U+8C48 豈, traditional for 岂.
        assert_eq!(folding.fold('\u{F900}'), '岂');
        // U+2F08 ⼈ KANGXI RADICAL MAN.
        assert_eq!(folding.fold('\u{2F08}'), '人');
        // U+F9B5 例 (compatibility) → 例.
        assert_eq!(folding.fold('\u{F9B5}'), '例');
    }

    #[test]
    fn only_pairs_touching_name_characters_are_kept() {
        let folding = Folding::opencc();
        let names: HashSet<char> = "李小峰".chars().collect();
        let pairs = folding.pairs_for(&names);
        assert!(pairs.contains(&('峯', '峰')));
        assert!(pairs
            .iter()
            .all(|(c, s)| names.contains(c) || names.contains(s)));
        assert!(!pairs.iter().any(|(c, _)| *c == '張'));
    }
}
