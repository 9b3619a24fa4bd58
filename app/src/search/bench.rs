//! How long one keystroke's search takes over the full demo wall (13,058 names). A measurement, not
//! a check: run it in release and read the figures.
//!
//! `cargo test -p app --lib --features ssr --release search::bench -- --ignored --nocapture`

use std::time::{Duration, Instant};

use super::build::{build, entry_for, BuiltIndex};
use super::engine::SearchEntry;
use crate::import::demo::{generate, DEFAULT_SEED};

/// What visitors type, keystroke by keystroke and as whole names, in every form the search reads.
const QUERIES: &[&str] = &[
    "z",
    "zh",
    "zha",
    "zhan",
    "zhang",
    "zhangw",
    "zhangwm",
    "zwm",
    "yaz",
    "l",
    "lǚ",
    "zhāng",
    "ｚｈａｎｇ",
    "Weimin Zhang",
    "ceng",
    "feng",
    "xiaofeng",
    "张",
    "张伟",
    "峰",
    "峯",
    "张wm",
];

const RUNS: usize = 31;

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[test]
#[ignore = "a measurement: run in release with --ignored --nocapture"]
fn median_query_time_over_the_full_wall() {
    let data = generate(DEFAULT_SEED);
    let entries: Vec<SearchEntry> = data
        .people
        .iter()
        .map(|p| entry_for(&p.name_engraved))
        .collect();
    let BuiltIndex {
        index,
        variants,
        misreadings,
    } = build(&entries);
    println!(
        "payload tables: {} folding pairs ({} bytes as the variants string), {} wrong surname readings",
        variants.len(),
        variants.iter().map(|(t, s)| t.len_utf8() + s.len_utf8()).sum::<usize>(),
        misreadings.len()
    );
    let mut medians = Vec::new();
    for query in QUERIES {
        let mut samples: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let started = Instant::now();
                let hits = index.search(query);
                let elapsed = started.elapsed();
                std::hint::black_box(hits);
                elapsed
            })
            .collect();
        let m = median(&mut samples);
        let hits = index.search(query);
        // The first few answers, to see what the time was spent on.
        let first: Vec<&str> = hits
            .iter()
            .take(4)
            .map(|h| entries[h.index].name.as_str())
            .collect();
        println!(
            "{query:>14}  {:>5} hits  median {m:?}  {}",
            hits.len(),
            first.join(" ")
        );
        medians.push(m);
    }
    let overall = median(&mut medians.clone());
    println!(
        "{} names, {} queries: median of medians {overall:?}, range {:?}–{:?}",
        index.len(),
        QUERIES.len(),
        medians.iter().min().unwrap(),
        medians.iter().max().unwrap()
    );
}
