//! `napscan run`: the main batch job.

use std::path::PathBuf;

use anyhow::Context;

use super::CorpusArgs;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Output folder.
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
}

pub(crate) fn run(args: Args) -> anyhow::Result<i32> {
    let plan = args.corpus.plan(args.out.clone())?;
    let progress = args.corpus.progress();
    let summary = napscan::pipeline::run(&plan, &progress)
        .with_context(|| format!("running {}", plan.manifest.display()))?;
    progress.finish();
    if !args.corpus.quiet {
        eprintln!(
            "napscan: {} documents ({} ok, {} partial, {} need OCR, {} failed, {} in a language no \
             lexicon covers; {} from cache), {} pages ({} by OCR), {} failure rows, in {:.2} s; \
             outputs in {}",
            summary.documents,
            summary.ok,
            summary.partial,
            summary.needs_ocr,
            summary.failed,
            summary.no_lexicon,
            summary.cached,
            summary.pages,
            summary.ocr_pages + summary.ocr_cached,
            summary.failures,
            summary.seconds,
            plan.out_dir.display()
        );
    }
    if summary.failures > 0 && !args.corpus.quiet {
        print_failures(&plan.out_dir.join("failures.csv"));
    }
    Ok(if summary.all_ok() { 0 } else { 2 })
}

/// Names the first failed documents (id, stage, reason) and points at the full list.
fn print_failures(path: &std::path::Path) {
    const SHOWN: usize = 10;
    let Ok(mut r) = csv::Reader::from_path(path) else { return };
    let rows: Vec<csv::StringRecord> = r.records().filter_map(Result::ok).collect();
    for row in rows.iter().take(SHOWN) {
        let page = if row[2].is_empty() { String::new() } else { format!(" p.{}", &row[2]) };
        eprintln!("  failed: {}{page} ({}): {}", &row[0], &row[3], &row[4]);
    }
    if rows.len() > SHOWN {
        eprintln!("  … and {} more", rows.len() - SHOWN);
    }
    eprintln!("  every failure: {}", path.display());
}
