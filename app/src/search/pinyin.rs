//! Pinyin of names, server side. Surnames have their own readings that a general dictionary gets
//! wrong (单 is Shan, not dan; 曾 Zeng, 解 Xie, 仇 Qiu, 区 Ou, 朴 Piao, 查 Zha …): the surname table
//! below is the rule, everything else comes from the `pinyin` crate's most common reading.

use pinyin::{ToPinyin, ToPinyinMulti};

use crate::domain::names::is_han;
use crate::wall::strokes::is_name_separator;

/// Compound surnames recognised at the start of a name (longest first is not needed: all have two
/// characters).
const COMPOUND_SURNAMES: &[(&str, &str)] = &[
    ("欧阳", "ou yang"),
    ("司马", "si ma"),
    ("诸葛", "zhu ge"),
    ("上官", "shang guan"),
    ("东方", "dong fang"),
    ("皇甫", "huang fu"),
    ("尉迟", "yu chi"),
    ("公孙", "gong sun"),
    ("慕容", "mu rong"),
    ("令狐", "ling hu"),
    ("司徒", "si tu"),
    ("夏侯", "xia hou"),
    ("端木", "duan mu"),
    ("宇文", "yu wen"),
    ("长孙", "zhang sun"),
    ("轩辕", "xuan yuan"),
    ("西门", "xi men"),
    ("万俟", "mo qi"),
    ("单于", "chan yu"),
    ("澹台", "tan tai"),
    ("呼延", "hu yan"),
    ("独孤", "du gu"),
    ("南宫", "nan gong"),
    ("钟离", "zhong li"),
    ("百里", "bai li"),
    ("东郭", "dong guo"),
    ("公冶", "gong ye"),
    ("申屠", "shen tu"),
];

/// Single-character surnames whose surname reading differs from the character's common reading.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('区', "ou"),
    ('朴', "piao"),
    ('查', "zha"),
    ('盖', "ge"),
    ('种', "chong"),
    ('覃', "qin"),
    ('乐', "yue"),
    ('召', "shao"),
    ('缪', "miao"),
    ('翟', "zhai"),
    ('繁', "po"),
    ('宿', "su"),
    ('秘', "bi"),
    ('薄', "bo"),
    ('隗', "wei"),
    ('员', "yun"),
    ('黑', "he"),
    ('重', "chong"),
    ('柏', "bai"),
    ('华', "hua"),
    ('任', "ren"),
    ('尉', "yu"),
    ('沈', "shen"),
    ('燕', "yan"),
    ('葛', "ge"),
    ('长', "zhang"),
    ('说', "yue"),
    ('藏', "zang"),
    ('句', "gou"),
    ('阚', "kan"),
    ('洗', "xian"),
    ('冼', "xian"),
    ('贲', "ben"),
    ('过', "guo"),
    ('蕃', "pi"),
    ('褚', "chu"),
    ('牟', "mou"),
    ('相', "xiang"),
    ('那', "na"),
    ('都', "du"),
    ('养', "yang"),
    ('能', "nai"),
    ('角', "jue"),
    ('家', "jia"),
];

/// How many characters of `name` are the surname: 2 for a known compound surname, the part before
/// `·` for names written with one, 1 otherwise.
pub fn surname_len(name: &str) -> usize {
    if let Some((first, _)) = name.split_once(['·', '•', '・']) {
        return first.chars().count();
    }
    let chars = name.chars().count();
    if chars > 2 && COMPOUND_SURNAMES.iter().any(|(s, _)| name.starts_with(s)) {
        2
    } else {
        1.min(chars)
    }
}

/// One syllable per name character (separators skipped), surname readings applied. Characters
/// without a reading (not Chinese) get an empty syllable, which search never matches by letters.
pub fn name_syllables(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().filter(|c| !is_name_separator(*c)).collect();
    let mut syllables = Vec::with_capacity(chars.len());
    let mut next = 0;
    if !name.contains(['·', '•', '・']) {
        if let Some((surname, reading)) = COMPOUND_SURNAMES
            .iter()
            .find(|(s, _)| name.starts_with(s) && chars.len() > 2)
        {
            syllables.extend(reading.split(' ').map(str::to_string));
            next = surname.chars().count();
        } else if let Some(&(_, reading)) = chars
            .first()
            .and_then(|c| SURNAME_READINGS.iter().find(|(s, _)| s == c))
        {
            syllables.push(reading.to_string());
            next = 1;
        }
    }
    for &c in &chars[next..] {
        syllables.push(char_syllable(c));
    }
    syllables
}

/// Surnames with the readings people give them when they do not know the surname reading: every
/// other reading the dictionary has for the surname's characters (曾 ceng, 仇 chou, 单 dan and chan,
/// 万俟 wan si …). 华 is hua either way (the tones differ, and search has none), so it has none.
/// Search finds these readings too, ranked below the right one and marked.
pub fn misreadings() -> Vec<(String, String)> {
    let compound = COMPOUND_SURNAMES
        .iter()
        .map(|(surname, reading)| (surname.to_string(), reading.to_string()));
    let single = SURNAME_READINGS
        .iter()
        .map(|(surname, reading)| (surname.to_string(), reading.to_string()));
    compound
        .chain(single)
        .flat_map(|(surname, right)| {
            let wrong: Vec<String> = every_reading(&surname)
                .into_iter()
                .filter(|reading| *reading != right)
                .collect();
            wrong
                .into_iter()
                .map(move |reading| (surname.clone(), reading))
        })
        .collect()
}

/// Every reading of a run of characters: one of each character's readings, joined by spaces.
fn every_reading(chars: &str) -> Vec<String> {
    chars.chars().fold(vec![String::new()], |readings, c| {
        let own = char_readings(c);
        readings
            .iter()
            .flat_map(|before| {
                own.iter().map(move |r| {
                    if before.is_empty() {
                        r.clone()
                    } else {
                        format!("{before} {r}")
                    }
                })
            })
            .collect()
    })
}

/// The readings of one character, plain (no tones, ü written v), without repeats.
fn char_readings(c: char) -> Vec<String> {
    let mut readings: Vec<String> = c
        .to_pinyin_multi()
        .into_iter()
        .flatten()
        .map(|p| p.plain().replace('ü', "v"))
        .collect();
    readings.dedup();
    let mut seen = std::collections::HashSet::new();
    readings.retain(|r| seen.insert(r.clone()));
    readings
}

/// Plain pinyin of one character, lowercase ASCII with ü written v.
pub fn char_syllable(c: char) -> String {
    if !is_han(c) {
        return String::new();
    }
    c.to_pinyin()
        .map(|p| p.plain().replace('ü', "v"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(name: &str) -> String {
        name_syllables(name).join(" ")
    }

    #[test]
    fn surname_readings() {
        assert_eq!(py("单田芳"), "shan tian fang");
        assert_eq!(py("曾志"), "zeng zhi");
        assert_eq!(py("解振华"), "xie zhen hua");
        assert_eq!(py("仇英"), "qiu ying");
        assert_eq!(py("区家明"), "ou jia ming");
        assert_eq!(py("朴正浩"), "piao zheng hao");
        assert_eq!(py("查良"), "zha liang");
        assert_eq!(py("许华"), "xu hua");
    }

    #[test]
    fn common_wrong_readings_of_surnames() {
        let wrong = misreadings();
        for (surname, reading) in [
            ("曾", "ceng"),
            ("仇", "chou"),
            ("单", "dan"),
            ("解", "jie"),
            ("区", "qu"),
            ("朴", "pu"),
            ("查", "cha"),
            ("盖", "gai"),
            ("单", "chan"),
            ("万俟", "wan si"),
            ("尉迟", "wei chi"),
        ] {
            assert!(
                wrong.contains(&(surname.to_string(), reading.to_string())),
                "{surname} {reading}"
            );
        }
        // The right readings are never among the wrong ones.
        assert!(!wrong.contains(&("曾".to_string(), "zeng".to_string())));
        assert!(!wrong.contains(&("万俟".to_string(), "mo qi".to_string())));
        // Same letters, other tone: nothing to add.
        assert!(!wrong.iter().any(|(s, _)| s == "华" || s == "欧阳"));
    }

    #[test]
    fn compound_and_dotted_names() {
        assert_eq!(py("欧阳海"), "ou yang hai");
        assert_eq!(surname_len("欧阳海"), 2);
        assert_eq!(surname_len("欧阳"), 1);
        assert_eq!(py("艾尔肯·吐尔逊"), "ai er ken tu er xun");
        assert_eq!(surname_len("艾尔肯·吐尔逊"), 3);
        assert_eq!(py("吕芳"), "lv fang");
    }
}
