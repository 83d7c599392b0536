//! Analysis of one document: its evidence (the flagger's typed findings), its status and
//! failures (the [`crate::assess`] policy), its concept counts and its index entry; and the
//! analysis cache, one JSON file under the index folder, so that a re-run on an unchanged corpus
//! reads no text at all.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::assess::{DocRecord, Status};
use crate::coverage::DocCoverage;
use crate::error::{DocFailure, Error, Stage};
use crate::extract::Extracted;
use crate::flag::{Evidence, Flagger};
use crate::index::Updater;
use crate::ingest::Source;

/// Analyses one document from its extraction outcome: status, failures, evidence, coverage, index.
pub(crate) fn analyse(
    src: &Source,
    x: Option<&Result<Extracted, (Stage, String)>>,
    flagger: &Flagger,
    index: Option<&Updater>,
) -> Analysed {
    let evidence = match x {
        Some(Ok(x)) => {
            match crate::extract::guarded(|| Ok(flagger.flag_document(&src.meta, &x.pages))) {
                Ok(ev) => ev,
                Err(e) => return analyse(src, Some(&Err((Stage::Analyze, e))), flagger, None),
            }
        }
        _ => Vec::new(),
    };
    let (record, failures) =
        crate::assess::assess(&src.meta, &src.key.sha, x, flagger.covers(&src.meta.lang));
    let coverage = DocCoverage::from_evidence(&evidence);
    let indexed = match (index, x) {
        (Some(ix), Some(Ok(x))) => ix.index_document(&src.meta, &src.key, x, &evidence),
        _ => Ok(None),
    };
    let cacheable = matches!(x, Some(Ok(_)));
    Analysed { record, failures, evidence, coverage, indexed, cacheable }
}

/// A document's analysis as cached: everything but the manifest row, which is re-attached.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct CachedAnalysis {
    pages: usize,
    pages_needing_ocr: usize,
    ocr_confidence: Vec<(u32, f32)>,
    words: usize,
    status: Status,
    extractor: String,
    message: String,
    failures: Vec<(Option<u32>, Stage, String)>,
    evidence: Vec<Evidence>,
}

impl CachedAnalysis {
    fn of(a: &Analysed) -> CachedAnalysis {
        let r = &a.record;
        CachedAnalysis {
            pages: r.pages,
            pages_needing_ocr: r.pages_needing_ocr,
            ocr_confidence: r.ocr_confidence.clone(),
            words: r.words,
            status: r.status,
            extractor: r.extractor.clone(),
            message: r.message.clone(),
            failures: a.failures.iter().map(|f| (f.page, f.stage, f.reason.clone())).collect(),
            evidence: a.evidence.clone(),
        }
    }

    fn restore(self, src: &Source) -> Analysed {
        let m = &src.meta;
        let record = DocRecord {
            meta: m.clone(),
            sha256: src.key.sha.clone(),
            pages: self.pages,
            pages_needing_ocr: self.pages_needing_ocr,
            ocr_confidence: self.ocr_confidence,
            words: self.words,
            status: self.status,
            extractor: self.extractor,
            message: self.message,
        };
        let failures = self
            .failures
            .into_iter()
            .map(|(page, stage, reason)| DocFailure {
                doc_id: m.doc_id.clone(),
                path: PathBuf::from(&m.path),
                page,
                stage,
                reason,
            })
            .collect();
        let mut evidence = self.evidence;
        for e in &mut evidence {
            e.doc_id.clone_from(&m.doc_id);
            e.country.clone_from(&m.country);
            e.year = m.year;
            e.doc_type.clone_from(&m.doc_type);
        }
        let coverage = DocCoverage::from_evidence(&evidence);
        Analysed { record, failures, evidence, coverage, indexed: Ok(None), cacheable: true }
    }
}

/// One document after analysis.
#[derive(Debug)]
pub struct Analysed {
    /// Its documents.csv row.
    pub record: DocRecord,
    /// Its failures.csv rows.
    pub failures: Vec<DocFailure>,
    /// Its evidence rows.
    pub evidence: Vec<Evidence>,
    /// Its concept counts.
    pub coverage: DocCoverage,
    /// The index key this document was (re)indexed under, or `None` when it was unchanged.
    pub indexed: Result<Option<String>, Error>,
    /// True when its analysis may be cached (its text was read).
    cacheable: bool,
}

/// The analysis cache of an index folder: every document's analysis under its
/// [`crate::key::ContentKey::analysis`] key. Read once and written once per run; entries not
/// used by the run are dropped.
pub(crate) struct AnalysisCache {
    file: PathBuf,
    stored: HashMap<String, CachedAnalysis>,
}

impl AnalysisCache {
    /// Reads the cache of `index_dir` (empty when missing or unreadable).
    pub(crate) fn open(index_dir: &Path) -> AnalysisCache {
        let file = index_dir.join("analysis.json");
        let stored = std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        AnalysisCache { file, stored }
    }

    /// Takes the cached analysis of every readable source, in source order.
    pub(crate) fn take(&mut self, sources: &[Source]) -> Vec<Option<CachedAnalysis>> {
        let taken = sources
            .iter()
            .map(|s| if s.error.is_none() { self.stored.remove(&s.key.analysis()) } else { None })
            .collect();
        self.stored = HashMap::new();
        taken
    }

    /// Writes the analyses of this run (those whose text was read) as the new cache. A failed
    /// write costs only a re-analysis next time.
    pub(crate) fn save(&self, sources: &[Source], results: &[Analysed]) -> Result<(), Error> {
        let fresh: HashMap<String, CachedAnalysis> = sources
            .iter()
            .zip(results)
            .filter(|(_, r)| r.cacheable)
            .map(|(s, r)| (s.key.analysis(), CachedAnalysis::of(r)))
            .collect();
        // One JSON object, its entries serialised in parallel (13 MB on the 6,119 laws).
        let entries: Vec<Vec<u8>> = fresh
            .par_iter()
            .map(|(k, v)| {
                let mut e = serde_json::to_vec(k)?;
                e.push(b':');
                serde_json::to_writer(&mut e, v)?;
                Ok(e)
            })
            .collect::<Result<_, serde_json::Error>>()
            .map_err(|e| Error::Other(e.to_string()))?;
        let mut bytes = Vec::with_capacity(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 2);
        bytes.push(b'{');
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            bytes.extend_from_slice(e);
        }
        bytes.push(b'}');
        if let Err(e) = crate::output::write_atomic(&self.file, &bytes) {
            log::warn!("cannot write the analysis cache {}: {e}", self.file.display());
        }
        Ok(())
    }
}

/// Analyses a document from its cached analysis when there is one and no new text, else from
/// its extraction outcome.
pub(crate) fn analyse_or_restore(
    src: &Source,
    x: Option<&Result<Extracted, (Stage, String)>>,
    cached: Option<CachedAnalysis>,
    flagger: &Flagger,
    index: Option<&Updater>,
) -> Analysed {
    match (x, cached) {
        (None, Some(c)) => c.restore(src),
        (x, _) => analyse(src, x, flagger, index),
    }
}
