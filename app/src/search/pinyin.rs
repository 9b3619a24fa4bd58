//! Pinyin of names, server side. Surnames have their own readings that a general dictionary gets
//! wrong (单 is Shan, not dan; 曾 Zeng, 解 Xie, 仇 Qiu, 区 Ou, 朴 Piao, 查 Zha …): the surname table
//! below is the rule, everything else comes from the `pinyin` crate's most common reading.

use pinyin::ToPinyin;

use super::engine::is_han;
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
    fn compound_and_dotted_names() {
        assert_eq!(py("欧阳海"), "ou yang hai");
        assert_eq!(surname_len("欧阳海"), 2);
        assert_eq!(surname_len("欧阳"), 1);
        assert_eq!(py("艾尔肯·吐尔逊"), "ai er ken tu er xun");
        assert_eq!(surname_len("艾尔肯·吐尔逊"), 3);
        assert_eq!(py("吕芳"), "lv fang");
    }
}
