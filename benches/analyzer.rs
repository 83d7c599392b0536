//! Throughput of the analyzer (tokenise, fold, stem) and of the matcher (the default lexicon) on
//! real law text: the German Supply Chain Act and a page of the EU AI Act's French-language sibling.

use divan::counter::BytesCount;
use napscan::analyzer::{Analyzed, Analyzer};
use napscan::flag::Flagger;
use napscan::lexicon::Lexicon;

const LKSG: &str = include_str!("../corpus/DEU_2021_lksg_law_de.md");

fn main() {
    divan::main();
}

#[divan::bench]
fn analyze_de(b: divan::Bencher<'_, '_>) {
    let mut a = Analyzer::new("de");
    let mut out = Analyzed::default();
    b.counter(BytesCount::of_str(LKSG)).bench_local(|| {
        a.analyze_into(divan::black_box(LKSG), &mut out);
        out.len()
    });
}

#[divan::bench]
fn analyze_de_cold(b: divan::Bencher<'_, '_>) {
    b.counter(BytesCount::of_str(LKSG))
        .bench_local(|| Analyzer::new("de").analyze(divan::black_box(LKSG)).len());
}

#[divan::bench]
fn match_de(b: divan::Bencher<'_, '_>) {
    let flagger = Flagger::new(vec![Lexicon::builtin()]);
    let m = flagger.matcher("de").expect("German terms");
    let an = Analyzer::new("de").analyze(LKSG);
    b.counter(BytesCount::of_str(LKSG)).bench_local(|| m.find(divan::black_box(LKSG), &an).len());
}

#[divan::bench]
fn analyze_and_match_de(b: divan::Bencher<'_, '_>) {
    let flagger = Flagger::new(vec![Lexicon::builtin()]);
    let m = flagger.matcher("de").expect("German terms");
    let mut a = Analyzer::new("de");
    let mut an = Analyzed::default();
    b.counter(BytesCount::of_str(LKSG)).bench_local(|| {
        a.analyze_into(divan::black_box(LKSG), &mut an);
        m.find(LKSG, &an).len()
    });
}
