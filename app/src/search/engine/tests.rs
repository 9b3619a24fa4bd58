use super::*;

fn entry(name: &str, syllables: &str, surname_len: u8) -> SearchEntry {
    SearchEntry {
        name: name.to_string(),
        syllables: syllables.split(' ').map(str::to_string).collect(),
        surname_len,
    }
}

fn index_of(entries: &[SearchEntry]) -> SearchIndex {
    SearchIndex::new(entries, [('張', '张'), ('偉', '伟'), ('峯', '峰')], &[])
}

fn index() -> SearchIndex {
    index_of(&[
        entry("张伟明", "zhang wei ming", 1),
        entry("许华", "xu hua", 1),
        entry("黄海", "huang hai", 1),
        entry("张伟", "zhang wei", 1),
        entry("欧阳明", "ou yang ming", 2),
        entry("艾尔肯·吐尔逊", "ai er ken tu er xun", 3),
        entry("吕芳", "lv fang", 1),
    ])
}

/// Names of the hits, best first.
fn found(index: &SearchIndex, names: &[SearchEntry], query: &str) -> Vec<String> {
    index
        .search(query)
        .into_iter()
        .map(|h| names[h.index].name.clone())
        .collect()
}

fn indices(index: &SearchIndex, query: &str) -> Vec<usize> {
    index.search(query).into_iter().map(|h| h.index).collect()
}

#[test]
fn initials_find_the_whole_name() {
    let idx = index();
    assert_eq!(indices(&idx, "zwm"), vec![0]);
    let hit = idx.search("zwm")[0];
    assert_eq!((hit.reading, hit.whole_name), (Reading::Initials, true));
    assert_eq!(indices(&idx, "zhwm"), vec![0]);
}

#[test]
fn exact_name_ranks_before_prefix() {
    let idx = index();
    assert_eq!(indices(&idx, "张伟"), vec![3, 0]);
    assert_eq!(indices(&idx, "zhangwei"), vec![3, 0]);
    assert!(idx.search("zhangwei")[0].is_exact());
    assert!(!idx.search("zhangwei")[1].is_exact());
}

#[test]
fn a_lone_letter_matches_syllable_starts_only() {
    let idx = index();
    // h: 黄海 (huang) — 许华 (xu hua) only by its given name, never 张伟明.
    let hits = idx.search("h");
    assert_eq!(hits[0].index, 2);
    assert!(hits
        .iter()
        .all(|h| h.index != 1 || h.start == Start::GivenName));
    assert!(!indices(&idx, "h").contains(&0));
}

fn surnames_zha() -> Vec<SearchEntry> {
    vec![
        entry("张海", "zhang hai", 1),
        entry("赵海", "zhao hai", 1),
        entry("张华安", "zhang hua an", 1),
        entry("翟明", "zhai ming", 1),
        entry("查明", "zha ming", 1),
        entry("查明亮", "zha ming liang", 1),
        entry("詹明", "zhan ming", 1),
    ]
}

#[test]
fn a_whole_syllable_ranks_first() {
    let names = surnames_zha();
    let idx = index_of(&names);
    let order = found(&idx, &names, "zha");
    assert_eq!(order[..2], ["查明", "查明亮"]);
    assert_eq!(idx.search("zha")[0].reading, Reading::Syllables);
    // Then the whole name by its initials (z|h|a), then surnames cut short (zha|o, zha|ng): never
    // by the mixed cut z|ha of 张海 or 赵海.
    assert_eq!(order[2..], ["张华安", "赵海", "翟明", "詹明", "张海"]);
    assert!(idx
        .search("zha")
        .iter()
        .all(|h| h.reading != Reading::Mixed));
    // zhan: 詹 (zhan) in full before 张 (zhan|g) cut short.
    let order = found(&idx, &names, "zhan");
    assert_eq!(order[0], "詹明");
    assert!(order[1..].iter().all(|n| n.starts_with('张')));
}

#[test]
fn initials_rank_before_mixed_cuts() {
    let names = vec![
        entry("杨中", "yang zhong", 1),
        entry("于安忠", "yu an zhong", 1),
    ];
    let idx = index_of(&names);
    assert_eq!(found(&idx, &names, "yaz"), ["于安忠", "杨中"]);
    let hits = idx.search("yaz");
    assert_eq!(hits[0].reading, Reading::Initials);
    assert_eq!(hits[1].reading, Reading::Mixed);
}

#[test]
fn within_a_tier_the_more_complete_match_first() {
    let names = surnames_zha();
    let idx = index_of(&names);
    // `zha` cut short: 赵, 翟, 詹 (3 of 4 letters, wall order among them) before 张 (3 of
    // zhang's 5).
    let typing: Vec<String> = idx
        .search("zha")
        .into_iter()
        .filter(|h| h.reading == Reading::Typing)
        .map(|h| names[h.index].name.clone())
        .collect();
    assert_eq!(typing, ["赵海", "翟明", "詹明", "张海"]);
    // The whole name by initials before a longer name that starts with them.
    let idx = index();
    assert_eq!(indices(&idx, "zw"), vec![3, 0]);
}

#[test]
fn a_full_syllable_after_a_cut_one_ranks_last() {
    let idx = SearchIndex::new(
        &[
            entry("沈安", "shen an", 1),
            entry("单田芳", "shan tian fang", 1),
        ],
        std::iter::empty(),
        &[],
    );
    // `shan` is 单's syllable; reading it as sh(en)+an for 沈安 is possible but ranked below.
    let hits = idx.search("shan");
    assert_eq!(hits.iter().map(|h| h.index).collect::<Vec<_>>(), vec![1, 0]);
    assert_eq!(hits[0].reading, Reading::Syllables);
    assert_eq!(hits[1].reading, Reading::Loose);
}

#[test]
fn a_character_anywhere_finds_the_name() {
    let names = vec![
        entry("李小峰", "li xiao feng", 1),
        entry("冯军", "feng jun", 1),
        entry("王峰", "wang feng", 1),
    ];
    let idx = index_of(&names);
    assert_eq!(found(&idx, &names, "峰"), ["王峰", "李小峰"]);
    let hits = idx.search("峰");
    assert_eq!(hits[1].start, Start::Inside);
    assert_eq!(found(&idx, &names, "小峰"), ["李小峰"]);
}

#[test]
fn a_later_syllable_typed_in_full_finds_the_name_below_the_surname() {
    let names = vec![
        entry("李小峰", "li xiao feng", 1),
        entry("冯军", "feng jun", 1),
    ];
    let idx = index_of(&names);
    assert_eq!(found(&idx, &names, "feng"), ["冯军", "李小峰"]);
    assert_eq!(idx.search("feng")[1].start, Start::Inside);
    // Cut short, a syllable inside the name is not enough.
    assert_eq!(found(&idx, &names, "f"), ["冯军"]);
    assert_eq!(found(&idx, &names, "fen"), ["冯军"]);
    // From the given name, initials still do.
    assert_eq!(found(&idx, &names, "xf"), ["李小峰"]);
}

#[test]
fn traditional_variant_and_compatibility_forms_fold() {
    let idx = index();
    assert_eq!(indices(&idx, "張偉明"), vec![0]);
    // Names are folded too: a name engraved 峯 is found by 峰 and by 峯.
    let names = vec![entry("李峯", "li feng", 1), entry("李峰", "li feng", 1)];
    let idx = SearchIndex::new(&names, [('峯', '峰'), ('\u{F9B5}', '例')], &[]);
    assert_eq!(idx.search("峰").len(), 2);
    assert_eq!(idx.search("李峯").len(), 2);
}

#[test]
fn tone_marks_full_width_and_case() {
    let idx = index();
    for q in [
        "zhāng wěi",
        "ＺＨＡＮＧ ＷＥＩ",
        "ZhangWei",
        "zhang'wei",
        " zhang wei ",
        "zha\u{304}ngwei",
        "zh ang wei",
        "zhan'g wei",
    ] {
        assert_eq!(indices(&idx, q), vec![3, 0], "{q:?}");
    }
    // lǚ is 吕, not everything starting with l.
    assert_eq!(indices(&idx, "lǚ"), vec![6]);
    assert_eq!(indices(&idx, "lǚfāng"), vec![6]);
}

#[test]
fn u_umlaut_however_written() {
    let idx = index();
    for q in ["lvfang", "lüf", "lu:fang", "LYU FANG", "lyu"] {
        assert_eq!(indices(&idx, q), vec![6], "{q:?}");
    }
    let names = vec![entry("薛略", "xue lve", 1), entry("钮女", "niu nv", 1)];
    let idx = index_of(&names);
    assert_eq!(found(&idx, &names, "xuelue"), ["薛略"]);
    assert_eq!(found(&idx, &names, "niunyu"), ["钮女"]);
}

#[test]
fn western_name_order() {
    let names = vec![
        entry("魏敏", "wei min", 1),
        entry("张伟民", "zhang wei min", 1),
    ];
    let idx = index_of(&names);
    let hits = idx.search("Weimin Zhang");
    assert_eq!(names[hits[0].index].name, "张伟民");
    assert!(hits[0].surname_moved && hits[0].whole_name);
    // Typed surname first, the same name reads as typed.
    let hits = idx.search("Zhang Weimin");
    assert_eq!(names[hits[0].index].name, "张伟民");
    assert!(!hits[0].surname_moved);
}

#[test]
fn wrong_reading_of_a_surname_finds_it_marked_and_below() {
    let names = vec![
        entry("曾志", "zeng zhi", 1),
        entry("层林", "ceng lin", 1),
        entry("单田芳", "shan tian fang", 1),
        entry("丹青", "dan qing", 1),
        entry("万俟雪", "mo qi xue", 2),
    ];
    let misreadings = [
        ("曾".to_string(), "ceng".to_string()),
        ("单".to_string(), "dan".to_string()),
        ("万俟".to_string(), "wan si".to_string()),
    ];
    let idx = SearchIndex::new(&names, std::iter::empty(), &misreadings);
    let hits = idx.search("ceng");
    assert_eq!(found(&idx, &names, "ceng"), ["层林", "曾志"]);
    assert_eq!((hits[0].misread, hits[1].misread), (false, true));
    assert_eq!(found(&idx, &names, "dan"), ["丹青", "单田芳"]);
    assert!(idx.search("cengzhi")[0].misread);
    assert!(!idx.search("zengzhi")[0].misread);
    assert_eq!(found(&idx, &names, "wansixue"), ["万俟雪"]);
    assert_eq!(found(&idx, &names, "moqixue"), ["万俟雪"]);
    // Only the wrong reading typed out counts: `c` alone is not a guess at 曾.
    assert_eq!(found(&idx, &names, "c"), ["层林"]);
}

#[test]
fn compound_surnames_and_dotted_names() {
    let idx = index();
    assert_eq!(indices(&idx, "oym"), vec![4]);
    assert_eq!(indices(&idx, "ming"), vec![4, 0]);
    assert_eq!(indices(&idx, "tex")[0], 5);
    assert_eq!(indices(&idx, "aek"), vec![5]);
    assert_eq!(idx.search("吐尔逊")[0].start, Start::GivenName);
}

#[test]
fn garbage_matches_nothing() {
    let idx = index();
    assert!(idx.search("").is_empty());
    assert!(idx.search("  123 !").is_empty());
    assert!(idx.search("zzzzzz").is_empty());
    assert!(idx.search("张伟明明").is_empty());
}
