//! Search latency per keystroke over the full demo wall (13,058 names), on the server, against a
//! naive substring scan measured in the same run. `cargo run --release -p server --bin bench_search`
use std::time::Instant;

use app::search::engine::{SearchEntry, SearchIndex};
use app::search::pinyin::{misreadings, name_syllables, surname_len};
use app::search::variants::Folding;

/// What a visitor types, one keystroke at a time.
const TYPED: &[&str] = &[
    "zhangweiming",
    "zwm",
    "wangfang",
    "lixm",
    "ouyang",
    "shan",
    "张伟明",
    "王芳",
    "h",
    "xu",
];

fn main() {
    let data = app::import::demo::generate(app::import::demo::DEFAULT_SEED);
    let entries: Vec<SearchEntry> = data
        .people
        .iter()
        .map(|p| SearchEntry {
            name: p.name_engraved.clone(),
            syllables: name_syllables(&p.name_engraved),
            surname_len: surname_len(&p.name_engraved) as u8,
        })
        .collect();
    let started = Instant::now();
    // The tables the catalogue builds the index with.
    let name_chars = entries.iter().flat_map(|e| e.name.chars()).collect();
    let variants = Folding::opencc().pairs_for(&name_chars);
    let index = SearchIndex::new(&entries, variants, &misreadings());
    let build = started.elapsed();
    let haystack: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e.name.clone(), e.syllables.concat()))
        .collect();

    let keystrokes: Vec<String> = TYPED
        .iter()
        .flat_map(|word| {
            let chars: Vec<char> = word.chars().collect();
            (1..=chars.len()).map(move |n| chars[..n].iter().collect::<String>())
        })
        .collect();
    let rounds = 20;
    let mut engine_us: Vec<f64> = Vec::new();
    let mut naive_us: Vec<f64> = Vec::new();
    let mut hits = 0usize;
    for _ in 0..rounds {
        for q in &keystrokes {
            let t = Instant::now();
            hits += std::hint::black_box(index.search(q)).len();
            engine_us.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            let n = haystack
                .iter()
                .filter(|(name, py)| name.contains(q.as_str()) || py.contains(q.as_str()))
                .count();
            naive_us.push(std::hint::black_box(n) as f64 * 0.0 + t.elapsed().as_secs_f64() * 1e6);
        }
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        (
            mean,
            v[v.len() / 2],
            v[(v.len() as f64 * 0.99) as usize - 1],
            v[v.len() - 1],
        )
    };
    let (em, e50, e99, emax) = stats(&mut engine_us);
    let (nm, n50, _, _) = stats(&mut naive_us);
    println!(
        "search over {} names, {} keystrokes × {rounds} rounds ({hits} hits in all)",
        entries.len(),
        keystrokes.len()
    );
    println!("  index build: {:.1} ms", build.as_secs_f64() * 1e3);
    println!("  engine per keystroke: mean {em:.0} µs, median {e50:.0} µs, p99 {e99:.0} µs, max {emax:.0} µs");
    println!("  naive substring scan (baseline): mean {nm:.0} µs, median {n50:.0} µs");
    println!("  ratio engine/naive (mean): {:.2}", em / nm);
}
