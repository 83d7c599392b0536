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
            "napscan: {} documents ({} ok, {} partial, {} need OCR, {} failed; {} from cache), {} pages, \
             {} failure rows, in {:.2} s; outputs in {}",
            summary.documents,
            summary.ok,
            summary.partial,
            summary.needs_ocr,
            summary.failed,
            summary.cached,
            summary.pages,
            summary.failures,
            summary.seconds,
            plan.out_dir.display()
        );
    }
    Ok(if summary.all_ok() { 0 } else { 2 })
}
