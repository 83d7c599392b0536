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
    let mut scan = napscan::pipeline::run(&plan, &progress)
        .with_context(|| format!("running {}", plan.manifest.display()))?;
    napscan::report::write_all(&plan, &mut scan)
        .with_context(|| format!("writing the outputs to {}", plan.out_dir.display()))?;
    progress.finish();
    let summary = &scan.summary;
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
        print_failures(&scan.failures().collect::<Vec<_>>(), &plan.out_dir.join("failures.csv"));
    }
    let code = if summary.all_ok() { 0 } else { 2 };
    // The process ends here: freeing the scan's millions of small strings one by one would only
    // make the user wait (a tenth of a second on the 6,119 laws); the OS takes the memory back.
    std::mem::forget(scan);
    Ok(code)
}

/// Names the first failed documents (id, stage, reason) and points at the full list.
fn print_failures(failures: &[&napscan::DocFailure], path: &std::path::Path) {
    const SHOWN: usize = 10;
    for f in failures.iter().take(SHOWN) {
        let page = f.page.map(|p| format!(" p.{p}")).unwrap_or_default();
        eprintln!("  failed: {}{page} ({}): {}", f.doc_id, f.stage, f.reason);
    }
    if failures.len() > SHOWN {
        eprintln!("  … and {} more", failures.len() - SHOWN);
    }
    eprintln!("  every failure: {}", path.display());
}
