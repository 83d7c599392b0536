//! Page extraction throughput (in-process, the code a worker runs) on a real two-page PDF and on a
//! 19-page report from the corpus fixtures.

use divan::counter::BytesCount;

const SMALL: &[u8] =
    include_bytes!("../tests/fixtures/corpus/FRA_2025_code_commerce_L225-102-1_vigilance_fr.pdf");
const REPORT: &[u8] =
    include_bytes!("../tests/fixtures/corpus/SVN_2019_upr_national_report_en.pdf");

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn extract_small_pdf(b: divan::Bencher<'_, '_>) {
    b.counter(BytesCount::new(SMALL.len())).bench(|| {
        napscan::extract::pdf::extract_pdf(divan::black_box(SMALL)).map(|x| x.pages.len())
    });
}

#[divan::bench(sample_count = 10)]
fn extract_report_pdf(b: divan::Bencher<'_, '_>) {
    b.counter(BytesCount::new(REPORT.len())).bench(|| {
        napscan::extract::pdf::extract_pdf(divan::black_box(REPORT)).map(|x| x.pages.len())
    });
}

#[divan::bench]
fn normalize_page(b: divan::Bencher<'_, '_>) {
    let text =
        "The of-\nficials shall en\u{FB01}nd  the   ﬂows.\n\n\n\nNext paragraph with e\u{0301}\n"
            .repeat(200);
    b.counter(BytesCount::of_str(&text))
        .bench(|| napscan::extract::normalize::normalize_page(divan::black_box(&text)));
}
