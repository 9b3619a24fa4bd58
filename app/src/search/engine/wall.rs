//! Every name on the wall (the full demo data, 13,058 names) is found on the first page of the
//! browser's results (`SHOWN`) by its own characters, its full pinyin and its initials — or,
//! when it is not, only because the page is full of names that the query fits as well (the same
//! name, a homophone: wall order decides among them) or better (`he` is first the surname 何, and
//! only then the initials of 何恩).

use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::import::demo::{generate, DEFAULT_SEED};
use crate::search::build::{build, entry_for};
use crate::search::components::search_box::SHOWN;

struct Wall {
    entries: Vec<SearchEntry>,
    index: SearchIndex,
}

/// Built once, the way the catalogue builds its index.
fn wall() -> &'static Wall {
    static WALL: OnceLock<Wall> = OnceLock::new();
    WALL.get_or_init(|| {
        let data = generate(DEFAULT_SEED);
        let entries: Vec<SearchEntry> = data
            .people
            .iter()
            .map(|p| entry_for(&p.name_engraved))
            .collect();
        let index = build(&entries).index;
        Wall { entries, index }
    })
}

/// The three ways a visitor who knows the name types it.
fn own_queries(entry: &SearchEntry) -> [(&'static str, String); 3] {
    let initials: String = entry
        .syllables
        .iter()
        .filter_map(|s| s.chars().next())
        .collect();
    [
        ("characters", entry.name.clone()),
        ("pinyin", entry.syllables.concat()),
        ("initials", initials),
    ]
}

/// How a hit ranks before completeness and wall order.
fn tier_of(hit: &Hit) -> (Start, bool, u64, bool) {
    (hit.start, hit.misread, tier(hit.reading), hit.surname_moved)
}

/// Where the entry came, if it came fairly: on the first page, or after a full first page of
/// hits that rank the same or in a better tier.
fn check_found(index: &SearchIndex, entry: usize, query: &str) -> Result<usize, String> {
    let hits = index.search(query);
    let position = hits
        .iter()
        .position(|h| h.index == entry)
        .ok_or_else(|| format!("{query:?} does not find entry {entry}"))?;
    let own = hits[position];
    let beaten_unfairly = hits[..SHOWN.min(position)]
        .iter()
        .find(|h| h.order != own.order && tier_of(h) >= tier_of(&own));
    match beaten_unfairly {
        Some(h) if position >= SHOWN => Err(format!(
            "{query:?}: entry {entry} ({own:?}) is at {position}, behind entry {} ({h:?})",
            h.index
        )),
        _ => Ok(position),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_name_is_found_on_the_first_page(entry in 0usize..13_058) {
        let wall = wall();
        prop_assume!(entry < wall.entries.len());
        for (_, query) in own_queries(&wall.entries[entry]) {
            if let Err(why) = check_found(&wall.index, entry, &query) {
                prop_assert!(false, "{}", why);
            }
        }
    }
}

/// The same over every name, with the counts: a measurement, slow in debug builds.
/// `cargo test -p app --lib --features ssr --release every_name_on_the_wall -- --ignored --nocapture`
#[test]
#[ignore = "every name: run in release with --ignored --nocapture"]
fn every_name_on_the_wall() {
    let wall = wall();
    let mut on_first_page = [0usize; 3];
    for (entry, e) in wall.entries.iter().enumerate() {
        for (kind, (_, query)) in own_queries(e).iter().enumerate() {
            let position = check_found(&wall.index, entry, query).unwrap();
            on_first_page[kind] += usize::from(position < SHOWN);
        }
    }
    for (kind, count) in ["characters", "pinyin", "initials"]
        .iter()
        .zip(on_first_page)
    {
        println!(
            "by {kind}: {count} of {} on the first page ({SHOWN}), the rest behind names that fit as well or better",
            wall.entries.len()
        );
    }
}
