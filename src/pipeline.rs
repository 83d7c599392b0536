//! The batch pipeline behind `napscan run`, wiring the stages: [`ingest`](crate::ingest) (manifest
//! rows → sources → extracted pages, OCR included) → [`analyze`](crate::analyze) (evidence,
//! status, coverage, index entry; rayon) → an in-memory [`Scan`] that `report::write_all`
//! writes. Per-document problems are values in the scan; only a bad manifest, lexicon or index, or
//! an output folder that cannot be written, stops the run.

use std::time::{Instant, SystemTime};

use rayon::prelude::*;

use crate::analyze::AnalysisCache;
use crate::error::{DocFailure, Error};
use crate::events::{Event, Reporter};
use crate::extract::Kind;
use crate::flag::{Evidence, Flagger};
use crate::ingest::{self, ocr::Ocr, read::Slot};
use crate::manifest::DocMeta;

pub use crate::analyze::Analysed;
pub use crate::assess::{DocRecord, Status};
pub use crate::coverage::Tables;
pub use crate::plan::{Plan, Summary};

/// What a run found, in memory: one [`Analysed`] per manifest row (its record, failures,
/// evidence and coverage), in manifest order, with the summary and the flagger that produced them.
#[derive(Debug)]
pub struct Scan {
    /// Counts.
    pub summary: Summary,
    /// Every document, in manifest order.
    pub documents: Vec<Analysed>,
    /// The lexicons and rules the documents were flagged with.
    pub flagger: Flagger,
    /// When the run started (for `run.json` and the summary's wall time).
    pub started: (Instant, SystemTime),
}

impl Scan {
    /// Every failure of every document, in manifest order.
    pub fn failures(&self) -> impl Iterator<Item = &DocFailure> {
        self.documents.iter().flat_map(|d| d.failures.iter())
    }

    /// Every evidence row, in manifest order.
    pub fn evidence(&self) -> impl Iterator<Item = &Evidence> {
        self.documents.iter().flat_map(|d| d.evidence.iter())
    }

    /// The coverage matrices and smart-mix tables of the run, one column per concept of its
    /// lexicons: what `coverage_by_*.csv`, `matrix_by_*.csv` and `smart_mix_by_*.csv` hold.
    pub fn tables(&self) -> Tables {
        let concepts: Vec<String> = self.flagger.concepts().into_iter().map(|c| c.0).collect();
        let inputs: Vec<crate::coverage::DocInput<'_>> = self
            .documents
            .iter()
            .map(|d| crate::coverage::DocInput {
                record: &d.record,
                covered: self.flagger.covers(&d.record.meta.lang),
                coverage: &d.coverage,
                evidence: &d.evidence,
            })
            .collect();
        crate::coverage::tables(&concepts, &inputs)
    }
}

/// Runs the batch: reads and checks the inputs, extracts, OCRs, analyses and (unless the plan
/// says not to) updates the search index. Writes no output file: see `report::write_all`.
pub fn run(plan: &Plan, reporter: &dyn Reporter) -> Result<Scan, Error> {
    let started = (Instant::now(), SystemTime::now());
    // Everything that can fail fast does, before any folder or lock file is made.
    let manifest = crate::manifest::read(&plan.manifest)?;
    let flagger = Flagger::with_classifier(plan.read_lexicons()?, plan.read_rules()?);
    check_writable(&plan.out_dir)?;
    std::fs::create_dir_all(&plan.index_dir).map_err(|e| Error::io(&plan.index_dir, e))?;
    let _lock = crate::lock::acquire(&plan.index_dir)?;
    let mut summary = Summary { documents: manifest.docs.len(), ..Summary::default() };
    let (warnings, count) =
        ingest::warnings(&manifest, &flagger, &[&plan.index_dir, &plan.out_dir]);
    warnings.iter().for_each(|w| reporter.report(Event::Warning(w)));
    summary.warnings = count;
    let ocr = Ocr::probe(&plan.ocr);
    summary.ocr_engine = ocr.describe();
    // The matchers of the corpus's languages compile while the files are hashed.
    let langs: std::collections::BTreeSet<&str> =
        manifest.docs.iter().map(|d| d.lang.as_str()).collect();
    let (sources, ()) = rayon::join(
        || ingest::sources(&manifest, &ocr.key, &crate::key::lexicon_key(&flagger)),
        || flagger.prepare(&langs),
    );
    let mut index = match plan.build_index {
        true => Some(crate::index::Updater::open(&plan.index_dir, plan.jobs)?),
        false => None,
    };
    // Documents whose analysis is cached and that the index already holds need no text at all.
    let mut cache = AnalysisCache::open(&plan.index_dir);
    let cached = cache.take(&sources);
    let needs_text: Vec<bool> = (sources.iter().zip(&cached))
        .map(|(s, c)| {
            c.is_none() || index.as_ref().is_some_and(|ix| ix.needs(&s.meta.doc_id, &s.key))
        })
        .collect();
    summary.cached = needs_text.iter().filter(|n| !**n).count();
    let (mut slots, from_cache) =
        ingest::read::extract_all(plan, &sources, &needs_text, true, reporter);
    summary.cached += from_cache;
    (summary.ocr_pages, summary.ocr_cached) =
        ingest::ocr::ocr_all(plan, &ocr, &sources, &mut slots, reporter);
    reporter.report(Event::Stage { name: "analyse", total: sources.len() });
    // Text files are read where they are analysed, so the corpus is never held in memory at once.
    let documents: Vec<Analysed> = (sources.par_iter().zip(slots).zip(cached).zip(&needs_text))
        .map(|(((src, x), cached), &needed)| {
            let x = match x {
                None if needed && src.error.is_none() && src.kind != Kind::Pdf => {
                    Some(ingest::read::read_text(src))
                }
                x => x,
            };
            let r = crate::analyze::analyse_or_restore(
                src,
                x.as_ref(),
                cached,
                &flagger,
                index.as_ref(),
            );
            reporter.report(Event::Item { doc_id: &src.meta.doc_id });
            r
        })
        .collect();
    cache.save(&sources, &documents)?;
    if let Some(ix) = index.as_mut() {
        let ids = documents.iter().map(|d| (d.record.meta.doc_id.as_str(), &d.indexed));
        (summary.indexed, summary.unindexed) = ix.finish(ids)?;
    }
    documents.iter().for_each(|d| summary.tally(&d.record));
    summary.failures = documents.iter().map(|d| d.failures.len()).sum();
    Ok(Scan { summary, documents, flagger, started })
}

/// Makes the output folder and checks that a file can be written in it, so that a read-only
/// folder is found before the work (and before the index is updated), not after.
fn check_writable(dir: &std::path::Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    tempfile::NamedTempFile::new_in(dir).map(drop).map_err(|e| {
        Error::Other(format!("the output folder {} is not writable: {e}", dir.display()))
    })
}

/// Extracts (or loads from the cache) every document of the manifest, for commands that need the
/// text without the full run (such as `napscan text`).
pub fn texts(plan: &Plan, reporter: &dyn Reporter) -> Result<Vec<(DocMeta, Slot)>, Error> {
    let manifest = crate::manifest::read(&plan.manifest)?;
    std::fs::create_dir_all(&plan.index_dir).map_err(|e| Error::io(&plan.index_dir, e))?;
    let _lock = crate::lock::acquire(&plan.index_dir)?;
    let ocr = Ocr::probe(&plan.ocr);
    let sources = ingest::sources(&manifest, &ocr.key, "");
    let needed = vec![true; sources.len()];
    let (mut slots, _) = ingest::read::extract_all(plan, &sources, &needed, false, reporter);
    ingest::ocr::ocr_all(plan, &ocr, &sources, &mut slots, reporter);
    Ok(sources.into_iter().map(|s| s.meta).zip(slots).collect())
}
