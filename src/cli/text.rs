//! `napscan text`: exports the extracted text of every document, one file per document, pages
//! separated by form feeds (the pdftotext convention), for use in R or Python.

use std::path::PathBuf;

use anyhow::Context;
use napscan::output::with_atomic;

use super::CorpusArgs;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    corpus: CorpusArgs,
    /// Folder to write <doc_id>.txt files into.
    #[arg(short, long)]
    out: PathBuf,
}

pub(crate) fn run(args: Args) -> anyhow::Result<i32> {
    let plan = args.corpus.plan(args.out.clone())?;
    let progress = args.corpus.progress();
    let docs = napscan::pipeline::texts(&plan, &progress)?;
    progress.finish();
    let mut failed = 0;
    for (meta, slot) in docs {
        let Some(Ok(x)) = slot else {
            failed += 1;
            continue;
        };
        let path = args.out.join(format!("{}.txt", meta.doc_id));
        with_atomic(&path, |w| {
            for p in &x.pages {
                w.write_all(p.text.as_bytes())?;
                w.write_all(b"\n\x0c")?;
            }
            Ok(())
        })
        .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(if failed == 0 { 0 } else { 2 })
}
