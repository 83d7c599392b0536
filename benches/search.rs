//! Search latency over a built page index (warm): phrase, boolean, stemmed and filtered queries.
//! Point `NAPSCAN_BENCH_INDEX` at an index folder (default `target/bench/index-laws-md`, which
//! `benches/compare.sh` builds from the 6,119 German federal laws); without one, nothing runs.

use std::path::PathBuf;

use napscan::index::PageIndex;
use napscan::search::{SearchOptions, search};

/// The fixed query set (also used by benches/compare.sh).
const QUERIES: &[(&str, &[&str])] = &[
    ("\"öffentliche Auftraggeber\"", &[]),
    ("Sorgfaltspflicht", &[]),
    ("Menschenrechte AND Unternehmen", &[]),
    ("\"künstliche Intelligenz\"", &[]),
    ("Beschwerdeverfahren OR Beschwerdestelle", &[]),
    ("Kinderarbeit", &[]),
    ("Datenschutz NOT Telekommunikation", &[]),
    ("Verordnung", &["year:2000..2010"]),
    ("\"zivilrechtliche Haftung\"", &[]),
    ("Gleichstellung Frauen", &["concept:groups_at_risk"]),
];

fn index() -> Option<PageIndex> {
    let dir = std::env::var_os("NAPSCAN_BENCH_INDEX")
        .map(PathBuf::from)
        .unwrap_or_else(|| "target/bench/index-laws-md".into());
    PageIndex::open(&dir).ok()
}

fn options(q: &str, filters: &[&str]) -> SearchOptions {
    let mut o = SearchOptions { query: q.to_string(), limit: 20, ..SearchOptions::default() };
    for f in filters {
        if let Some(y) = f.strip_prefix("year:") {
            o.years = napscan::search::parse_years(y).ok();
        } else if let Some(c) = f.strip_prefix("concept:") {
            o.concepts.push(c.to_string());
        }
    }
    o
}

fn main() {
    let Some(index) = index() else {
        println!(
            "no index at NAPSCAN_BENCH_INDEX or target/bench/index-laws-md: run benches/compare.sh first"
        );
        return;
    };
    latency_over_the_query_set(&index);
    divan::main();
}

/// Median and 95th percentile over every sample of every query (after one warm-up call each),
/// the figures issue 5's search target names; divan then reports each query on its own.
fn latency_over_the_query_set(index: &PageIndex) {
    const ROUNDS: usize = 20;
    let opts: Vec<SearchOptions> = QUERIES.iter().map(|(q, f)| options(q, f)).collect();
    for o in &opts {
        let _ = search(index, o);
    }
    let mut ms = Vec::with_capacity(ROUNDS * opts.len());
    for _ in 0..ROUNDS {
        for o in &opts {
            let t = std::time::Instant::now();
            let _ = divan::black_box(search(index, o).map(|h| h.len()));
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    println!(
        "search latency over the {} queries x {ROUNDS} rounds, in-process, warm: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        opts.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
}

#[divan::bench(args = 0..QUERIES.len())]
fn query(b: divan::Bencher<'_, '_>, i: usize) {
    let index = index().expect("index");
    let (q, f) = QUERIES[i];
    let opts = options(q, f);
    b.bench_local(|| search(&index, &opts).map(|h| h.len()));
}
