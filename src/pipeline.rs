//! The batch pipeline behind `napscan run`: manifest → sources (hash, kind) → extraction (cache,
//! then worker pool for PDFs, in-process for text) → per-document analysis (rayon) → outputs.
//! Per-document problems become [`DocFailure`] values; only a bad manifest, lexicon or index stops
//! the run.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::coverage::{self, DocCoverage, DocInput};
use crate::error::{DocFailure, Error, Stage};
use crate::events::{Event, Reporter};
use crate::extract::{self, Extracted, Kind};
use crate::flag::{Evidence, Flagger};
use crate::lexicon::Lexicon;
use crate::manifest::{self, DocMeta, Manifest};
use crate::worker::{Pool, PoolConfig};

pub use crate::assess::{DocRecord, Status};
use crate::{cache, report};

/// Everything a run needs, validated before any work starts.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The corpus manifest.
    pub manifest: PathBuf,
    /// The index folder (holds the extraction cache and the search index).
    pub index_dir: PathBuf,
    /// Where outputs go.
    pub out_dir: PathBuf,
    /// Parallel jobs (worker processes and analysis threads).
    pub jobs: usize,
    /// Wall-clock limit for extracting one PDF.
    pub timeout: Duration,
    /// Memory limit of one worker process, in MiB (0 = none).
    pub memory_mb: u64,
    /// How to start a worker process: program and arguments.
    pub worker: (PathBuf, Vec<std::ffi::OsString>),
    /// Lexicon files (empty: the built-in default lexicon).
    pub lexicons: Vec<PathBuf>,
    /// Build (update) the search index.
    pub build_index: bool,
    /// Commitment rules (`None`: the built-in `lexicons/commitment.toml`).
    pub commitment_rules: Option<PathBuf>,
    /// OCR of image-only pages.
    pub ocr: crate::ocr::Settings,
}

impl Plan {
    /// Reads the plan's lexicons (the built-in one when none is given). Errors name file and line.
    pub fn read_lexicons(&self) -> Result<Vec<Lexicon>, Error> {
        if self.lexicons.is_empty() {
            return Ok(vec![Lexicon::builtin()]);
        }
        let paths: Vec<&std::path::Path> = self.lexicons.iter().map(PathBuf::as_path).collect();
        crate::lexicon::read_all(&paths)
    }
}

/// A document with its extracted pages, handed to analysis.
#[derive(Debug)]
pub struct Document<'a> {
    /// The manifest row.
    pub meta: &'a DocMeta,
    /// Its pages.
    pub text: &'a Extracted,
}

/// The result of a run.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// Documents in the manifest.
    pub documents: usize,
    /// Documents per status.
    pub ok: usize,
    /// Partly extracted documents.
    pub partial: usize,
    /// Image-only documents.
    pub needs_ocr: usize,
    /// Failed documents.
    pub failed: usize,
    /// Documents in a language no lexicon covers (extracted and indexed, not flagged).
    pub no_lexicon: usize,
    /// Pages extracted.
    pub pages: usize,
    /// Documents taken from the extraction cache.
    pub cached: usize,
    /// Rows in failures.csv.
    pub failures: usize,
    /// Warnings (unlisted files).
    pub warnings: usize,
    /// Documents (re)indexed in this run.
    pub indexed: usize,
    /// Documents removed from the index in this run.
    pub unindexed: usize,
    /// Pages OCRed in this run (not from the cache).
    pub ocr_pages: usize,
    /// Pages whose OCR came from the cache.
    pub ocr_cached: usize,
    /// The OCR engine (`tesseract 5.3.0 [deu eng …]`), or why there is none.
    pub ocr_engine: String,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Peak resident memory of this process (the parent, without its workers), in MiB.
    pub peak_rss_mb: u64,
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`; 0 elsewhere).
pub fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

impl Summary {
    /// True when every document succeeded (exit code 0).
    pub fn all_ok(&self) -> bool {
        self.failures == 0
    }
}

struct Source {
    meta: DocMeta,
    path: PathBuf,
    kind: Kind,
    sha: String,
    error: Option<(Stage, String)>,
    /// What the OCR of its pages depends on (empty for text files).
    ocr_key: String,
}

/// The OCR engine of a run and what its results depend on.
struct Ocr {
    settings: crate::ocr::Settings,
    /// The engine, or why there is none (`Err` also when OCR is off).
    engine: Result<crate::ocr::Engine, String>,
    /// Part of every PDF's content key: mode, resolution and engine.
    key: String,
}

impl Ocr {
    fn probe(settings: &crate::ocr::Settings) -> Ocr {
        use crate::ocr::{Engine, Mode};
        let engine = match settings.mode {
            Mode::Off => Err("OCR is off (--ocr off)".to_string()),
            _ => Engine::probe().map_err(|e| {
                format!("{e}; image-only pages stay unread; {}", crate::ocr::install_hint(&[]))
            }),
        };
        let key = match (&engine, settings.mode) {
            (_, Mode::Off) => "ocr=off".to_string(),
            (Ok(e), m) => format!("ocr={};{}dpi;{}", m.as_str(), settings.dpi, e.signature()),
            (Err(_), m) => format!("ocr={};none", m.as_str()),
        };
        Ocr { settings: settings.clone(), engine, key }
    }
}

/// Runs the whole batch and writes every output. Returns the summary; per-document failures are in
/// it and in `failures.csv`, not in the `Err`.
pub fn run(plan: &Plan, reporter: &dyn Reporter) -> Result<Summary, Error> {
    let started = Instant::now();
    let start_time = SystemTime::now();
    // Everything that can fail fast does, before any folder or lock file is made.
    let manifest = manifest::read(&plan.manifest)?;
    let classifier = match &plan.commitment_rules {
        Some(p) => crate::commitment::Classifier::read(p)?,
        None => crate::commitment::Classifier::builtin(),
    };
    let flagger = Flagger::with_classifier(plan.read_lexicons()?, classifier);
    check_writable(&plan.out_dir)?;
    std::fs::create_dir_all(&plan.index_dir).map_err(|e| Error::io(&plan.index_dir, e))?;
    let _lock = crate::lock::acquire(&plan.index_dir)?;
    let mut summary = Summary { documents: manifest.docs.len(), ..Summary::default() };
    for w in language_warnings(&manifest, &flagger) {
        summary.warnings += 1;
        reporter.report(Event::Warning(&w));
    }
    let unlisted = manifest.unlisted_files(&[&plan.index_dir, &plan.out_dir]);
    const SHOWN: usize = 10;
    for f in unlisted.iter().take(SHOWN) {
        let msg = format!("{} is in the corpus folder but not in the manifest", f.display());
        reporter.report(Event::Warning(&msg));
    }
    if unlisted.len() > SHOWN {
        let msg = format!(
            "… and {} more files in the corpus folder that the manifest does not list",
            unlisted.len() - SHOWN
        );
        reporter.report(Event::Warning(&msg));
    }
    summary.warnings += unlisted.len();
    log::info!("manifest and lexicons read: {:.2} s", started.elapsed().as_secs_f64());
    let ocr = Ocr::probe(&plan.ocr);
    summary.ocr_engine = match &ocr.engine {
        Ok(e) => e.signature(),
        Err(e) => e.clone(),
    };
    let sources = sources(&manifest, &ocr.key);
    let mut indexer = if plan.build_index { Some(Indexer::open(plan, &flagger)?) } else { None };
    // Documents whose analysis is cached (same file, lexicon, language and extractor) and that the
    // index already holds need no text at all. The cache is one file, read once and written once.
    let analysis_file = plan.index_dir.join("analysis.json");
    let lexicon_key = lexicon_key(&flagger);
    let mut stored: HashMap<String, CachedAnalysis> = std::fs::read(&analysis_file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let keys: Vec<String> = sources.iter().map(|s| analysis_key(s, &lexicon_key)).collect();
    let cached: Vec<Option<CachedAnalysis>> = sources
        .iter()
        .zip(&keys)
        .map(|(s, k)| if s.error.is_none() { stored.remove(k) } else { None })
        .collect();
    drop(stored);
    let needs_text: Vec<bool> = sources
        .iter()
        .zip(&cached)
        .map(|(s, c)| {
            c.is_none()
                || indexer.as_ref().is_some_and(|ix| ix.needs(&s.meta.doc_id, &content_key(s)))
        })
        .collect();
    summary.cached = needs_text.iter().filter(|n| !**n).count();
    log::info!("sources hashed, caches read: {:.2} s", started.elapsed().as_secs_f64());
    let mut extracted = extract_all(plan, &sources, &needs_text, true, reporter, &mut summary);
    ocr_all(plan, &ocr, &sources, &mut extracted, reporter, &mut summary);
    reporter.report(Event::Stage { name: "analyse", total: sources.len() });
    log::info!("extracted: {:.2} s", started.elapsed().as_secs_f64());
    // Text files are read, normalised and analysed in one pass, so that the corpus is never held in
    // memory at once.
    let results: Vec<Analysed> = sources
        .par_iter()
        .zip(extracted.into_par_iter())
        .zip(cached.into_par_iter())
        .zip(needs_text.par_iter())
        .map(|(((src, x), cached), &needed)| {
            let x = match x {
                None if needed && src.error.is_none() && src.kind != Kind::Pdf => {
                    Some(read_text(src))
                }
                x => x,
            };
            let r = match (x, cached) {
                (None, Some(c)) => c.restore(src),
                (x, _) => analyse(src, x.as_ref(), &flagger, indexer.as_ref()),
            };
            reporter.report(Event::Item { doc_id: &src.meta.doc_id });
            r
        })
        .collect();
    log::info!("analysed: {:.2} s", started.elapsed().as_secs_f64());
    let fresh: HashMap<&str, CachedAnalysis> = results
        .iter()
        .zip(&keys)
        .filter(|(r, _)| r.cacheable)
        .map(|(r, k)| (k.as_str(), CachedAnalysis::of(r)))
        .collect();
    let bytes = serde_json::to_vec(&fresh).map_err(|e| Error::Other(e.to_string()))?;
    if let Err(e) = crate::output::write_atomic(&analysis_file, &bytes) {
        log::warn!("cannot write the analysis cache {}: {e}", analysis_file.display());
    }
    if let Some(ix) = indexer.as_mut() {
        let (added, removed) = ix.finish(&results)?;
        summary.indexed = added;
        summary.unindexed = removed;
    }
    let mut records = Vec::with_capacity(results.len());
    let mut failures = Vec::new();
    for Analysed { record: rec, failures: fails, .. } in &results {
        let (rec, fails) = (rec.clone(), fails.clone());
        match rec.status {
            Status::Ok => summary.ok += 1,
            Status::Partial => summary.partial += 1,
            Status::NeedsOcr => summary.needs_ocr += 1,
            Status::Failed => summary.failed += 1,
            Status::NoLexicon => summary.no_lexicon += 1,
        }
        summary.pages += rec.pages;
        records.push(rec);
        failures.extend(fails);
    }
    summary.failures = failures.len();
    log::info!("index committed, analysis cached: {:.2} s", started.elapsed().as_secs_f64());
    // The output files are independent: write them in parallel.
    let (ingest, flags) = rayon::join(
        || report::write_ingest(plan, &records, &failures),
        || write_flags(plan, &flagger, &results),
    );
    ingest?;
    flags?;
    log::info!("outputs written: {:.2} s", started.elapsed().as_secs_f64());
    summary.seconds = started.elapsed().as_secs_f64();
    summary.peak_rss_mb = peak_rss_mb();
    report::write_run_json(plan, &summary, &records, &flagger, start_time)?;
    Ok(summary)
}

/// Makes the output folder and checks that a file can be written in it, so that a read-only
/// folder is found before the work (and before the index is updated), not after.
fn check_writable(dir: &std::path::Path) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    tempfile::NamedTempFile::new_in(dir).map(drop).map_err(|e| {
        Error::Other(format!("the output folder {} is not writable: {e}", dir.display()))
    })
}

/// One warning per manifest language that no lexicon covers, naming its documents (the first
/// three) and saying whether the code is ISO 639-1 at all.
fn language_warnings(manifest: &Manifest, flagger: &Flagger) -> Vec<String> {
    let mut by_lang: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for d in &manifest.docs {
        if !flagger.covers(&d.lang) {
            by_lang.entry(&d.lang).or_default().push(&d.doc_id);
        }
    }
    let mut covered: Vec<String> = flagger.languages();
    covered.sort();
    by_lang
        .into_iter()
        .map(|(lang, ids)| {
            let what = if manifest::is_iso639_1(lang) {
                format!("no lexicon covers language `{lang}`")
            } else {
                format!("`{lang}` is not an ISO 639-1 language code")
            };
            let more =
                if ids.len() > 3 { format!(" and {} more", ids.len() - 3) } else { String::new() };
            format!(
                "{what} (lexicons cover {}): {}{more} will be extracted and indexed but not \
                 flagged (status no_lexicon)",
                covered.join(", "),
                ids[..ids.len().min(3)].join(", ")
            )
        })
        .collect()
}

/// Analyses one document from its extraction outcome: status, failures, evidence, coverage, index.
fn analyse(
    src: &Source,
    x: Option<&Result<Extracted, (Stage, String)>>,
    flagger: &Flagger,
    indexer: Option<&Indexer>,
) -> Analysed {
    let evidence = match x {
        Some(Ok(x)) => match extract::guarded(|| Ok(flagger.flag_document(&src.meta, &x.pages))) {
            Ok(ev) => ev,
            Err(e) => return analyse(src, Some(&Err((Stage::Analyze, e))), flagger, None),
        },
        _ => Vec::new(),
    };
    let (record, failures) =
        crate::assess::assess(&src.meta, &src.sha, x, flagger.covers(&src.meta.lang));
    let coverage = DocCoverage::from_evidence(&evidence);
    let indexed = match (indexer, x) {
        (Some(ix), Some(Ok(x))) => ix.index_document(&src.meta, &content_key(src), x, &evidence),
        _ => Ok(None),
    };
    let cacheable = matches!(x, Some(Ok(_)));
    Analysed { record, failures, evidence, coverage, indexed, cacheable }
}

/// Bump when the analysis of a document (its record, failures or evidence) changes.
const ANALYSIS_VERSION: u32 = 5;

fn lexicon_key(flagger: &Flagger) -> String {
    let mut parts: Vec<&str> = flagger.lexicons().iter().map(|l| &l.hash[..12]).collect();
    parts.push(&flagger.classifier().hash[..12]);
    parts.join("+")
}

/// What a document's analysis and index entry depend on besides the lexicons: the file's hash,
/// the extractor's version and every manifest field that reaches an output (country, year, type,
/// language, title: a corrected manifest row must reach the index and the CSVs alike).
fn content_key(src: &Source) -> String {
    let extractor = if src.kind == Kind::Pdf {
        extract::pdf::EXTRACTOR_VERSION
    } else {
        extract::TEXT_EXTRACTOR_VERSION
    };
    let m = &src.meta;
    let meta = crate::cache::sha256_bytes(
        [m.country.as_str(), &m.year.to_string(), &m.doc_type, &m.lang, &m.title, &m.path]
            .join("\u{1f}")
            .as_bytes(),
    );
    format!("{};{extractor};{}{}", src.sha, &meta[..16], src.ocr_key)
}

fn analysis_key(src: &Source, lexicon_key: &str) -> String {
    format!("{};analysis-{ANALYSIS_VERSION};{lexicon_key}", content_key(src))
}

/// A document's analysis as cached: everything but the manifest row, which is re-attached.
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedAnalysis {
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
            sha256: src.sha.clone(),
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
struct Analysed {
    record: DocRecord,
    failures: Vec<DocFailure>,
    evidence: Vec<Evidence>,
    coverage: DocCoverage,
    /// The index key this document was (re)indexed under, or `None` when it was unchanged.
    indexed: Result<Option<String>, Error>,
    /// True when its analysis may be cached (its text was read).
    cacheable: bool,
}

/// Updates the page index during a run: only new or changed documents are re-indexed.
struct Indexer {
    index: crate::index::PageIndex,
    writer: tantivy::IndexWriter,
    state: crate::index::State,
    lexicon_key: String,
}

impl Indexer {
    fn open(plan: &Plan, flagger: &Flagger) -> Result<Indexer, Error> {
        let index = crate::index::PageIndex::open_or_create(&plan.index_dir)?;
        let writer = index.writer(plan.jobs)?;
        let state = index.state();
        Ok(Indexer { index, writer, state, lexicon_key: lexicon_key(flagger) })
    }

    /// True when the index does not hold this version of the document (`content`: its
    /// [`content_key`]).
    fn needs(&self, doc_id: &str, content: &str) -> bool {
        self.state.docs.get(doc_id) != Some(&self.key(content))
    }

    fn key(&self, content: &str) -> String {
        format!("{content}:{}:{}", self.lexicon_key, crate::index::SCHEMA_VERSION)
    }

    /// (Re)indexes a document when its key changed; returns the new key.
    fn index_document(
        &self,
        meta: &DocMeta,
        content: &str,
        x: &Extracted,
        evidence: &[Evidence],
    ) -> Result<Option<String>, Error> {
        let key = self.key(content);
        if self.state.docs.get(&meta.doc_id) == Some(&key) {
            return Ok(None);
        }
        self.index.delete(&self.writer, &meta.doc_id);
        let mut by_page: HashMap<u32, Vec<&str>> = HashMap::new();
        for e in evidence {
            let v = by_page.entry(e.page).or_default();
            v.push(&e.concept);
            if !e.parent.is_empty() {
                v.push(&e.parent);
            }
        }
        let mut commitments: HashMap<u32, Vec<&str>> = HashMap::new();
        for e in evidence {
            commitments.entry(e.page).or_default().push(&e.commitment);
        }
        for page in &x.pages {
            let mut concepts = by_page.remove(&page.number).unwrap_or_default();
            concepts.sort_unstable();
            concepts.dedup();
            let mut labels = commitments.remove(&page.number).unwrap_or_default();
            labels.sort_unstable();
            labels.dedup();
            self.index.add_page(&self.writer, meta, page, &concepts, &labels)?;
        }
        Ok(Some(key))
    }

    /// Deletes documents that left the corpus or failed, and commits when anything changed.
    fn finish(&mut self, results: &[Analysed]) -> Result<(usize, usize), Error> {
        let mut state =
            crate::index::State { schema: crate::index::SCHEMA_VERSION, docs: Default::default() };
        let mut added = 0;
        for r in results {
            let id = &r.record.meta.doc_id;
            match &r.indexed {
                Err(e) => return Err(Error::Other(e.to_string())),
                Ok(Some(key)) => {
                    added += 1;
                    state.docs.insert(id.clone(), key.clone());
                }
                Ok(None) => {
                    if let Some(k) = self.state.docs.get(id) {
                        state.docs.insert(id.clone(), k.clone());
                    }
                }
            }
        }
        let mut removed = 0;
        for id in self.state.docs.keys() {
            if !state.docs.contains_key(id) {
                self.index.delete(&self.writer, id);
                removed += 1;
            }
        }
        if added + removed > 0 || self.state.schema != crate::index::SCHEMA_VERSION {
            self.index.commit(&mut self.writer, &state)?;
        }
        self.state = state;
        Ok((added, removed))
    }
}

fn write_flags(plan: &Plan, flagger: &Flagger, results: &[Analysed]) -> Result<(), Error> {
    let concepts: Vec<String> = flagger.concepts().into_iter().map(|c| c.0).collect();
    let inputs: Vec<DocInput<'_>> = results
        .iter()
        .map(|r| DocInput {
            record: &r.record,
            covered: flagger.covers(&r.record.meta.lang),
            coverage: &r.coverage,
        })
        .collect();
    let evidence = || {
        crate::output::write_table(
            &plan.out_dir.join("evidence.csv"),
            crate::flag::EVIDENCE_HEADER,
            results.iter().flat_map(|r| r.evidence.iter()),
        )
    };
    let cov = || coverage::write(&plan.out_dir, &concepts, &inputs);
    let mix = || {
        coverage::write_smart_mix(
            &plan.out_dir,
            &concepts,
            &inputs,
            results.iter().map(|r| r.evidence.as_slice()),
        )
    };
    let (a, (b, c)) = rayon::join(evidence, || rayon::join(cov, mix));
    a.and(b).and(c)
}

fn sources(manifest: &Manifest, ocr_key: &str) -> Vec<Source> {
    manifest
        .docs
        .par_iter()
        .map(|meta| {
            let path = manifest.doc_path(meta);
            let (sha, error) = if !path.is_file() {
                (
                    String::new(),
                    Some((
                        Stage::Manifest,
                        "listed in the manifest but the file is missing".into(),
                    )),
                )
            } else {
                match cache::sha256_file(&path) {
                    Ok(sha) => (sha, None),
                    Err(e) => (String::new(), Some((Stage::Read, e.to_string()))),
                }
            };
            let mut head = [0u8; 8];
            if let Ok(mut f) = std::fs::File::open(&path) {
                let _ = std::io::Read::read(&mut f, &mut head);
            }
            let kind = extract::kind_of(&path, &head);
            let ocr_key = if kind == Kind::Pdf { format!(";{ocr_key}") } else { String::new() };
            Source { meta: meta.clone(), path, kind, sha, error, ocr_key }
        })
        .collect()
}

/// The extraction outcome of one document (`None`: not attempted).
pub type Slot = Option<Result<Extracted, (Stage, String)>>;

/// Reads and extracts a text, Markdown or HTML source in-process.
/// Reads and extracts a text, Markdown or HTML file in this process; a panic in the extractor
/// becomes this document's failure, as a crash of a PDF worker does.
fn read_text(s: &Source) -> Result<Extracted, (Stage, String)> {
    let bytes = std::fs::read(&s.path).map_err(|e| (Stage::Read, e.to_string()))?;
    extract::guarded(|| extract::extract_text_file(s.kind, &bytes).map_err(|e| e.1))
        .map_err(|e| (Stage::Extract, e))
}

/// Extracts every readable source: PDFs from the cache or the worker pool, text files in-process.
fn extract_all(
    plan: &Plan,
    sources: &[Source],
    needed: &[bool],
    defer_text: bool,
    reporter: &dyn Reporter,
    summary: &mut Summary,
) -> Vec<Slot> {
    let cache_dir = cache::dir(&plan.index_dir);
    let mut slots: Vec<Slot> = sources
        .par_iter()
        .zip(needed)
        .map(|(s, needed)| match (&s.error, s.kind) {
            (Some(e), _) => Some(Err(e.clone())),
            _ if !needed => None,
            (None, Kind::Pdf) => {
                cache::load(&cache_dir, &s.sha, extract::pdf::EXTRACTOR_VERSION).map(Ok)
            }
            // Text files are read where they are analysed (see `run`), unless asked for here.
            (None, _) if defer_text => None,
            (None, _) => Some(read_text(s)),
        })
        .collect();
    let mut todo: Vec<(usize, PathBuf)> = slots
        .iter()
        .enumerate()
        .filter(|(i, s)| s.is_none() && needed[*i] && sources[*i].kind == Kind::Pdf)
        .map(|(i, _)| (i, sources[i].path.clone()))
        .collect();
    // Largest files first, so that no worker is left with a big file at the end while the other idles.
    todo.sort_by_cached_key(|(_, p)| {
        std::cmp::Reverse(std::fs::metadata(p).map_or(0, |m| m.len()))
    });
    summary.cached += sources
        .iter()
        .zip(&slots)
        .filter(|(s, x)| s.kind == Kind::Pdf && matches!(x, Some(Ok(_))))
        .count();
    if todo.is_empty() {
        return slots;
    }
    reporter.report(Event::Stage { name: "extract", total: todo.len() });
    let pool = pool(plan);
    let results: Mutex<HashMap<usize, crate::worker::Outcome>> = Mutex::new(HashMap::new());
    pool.run(todo, &|i, outcome| {
        let src = &sources[i];
        if let Ok(x) = &outcome
            && let Err(e) = cache::store(&cache_dir, &src.sha, extract::pdf::EXTRACTOR_VERSION, x)
        {
            log::warn!("cannot cache {}: {e}", src.path.display());
        }
        reporter.report(Event::Item { doc_id: &src.meta.doc_id });
        results.lock().unwrap_or_else(|e| e.into_inner()).insert(i, outcome);
    });
    for (i, outcome) in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        slots[i] = Some(outcome);
    }
    slots
}

fn pool(plan: &Plan) -> Pool {
    Pool::new(PoolConfig {
        program: plan.worker.0.clone(),
        args: plan.worker.1.clone(),
        jobs: plan.jobs,
        timeout: plan.timeout,
    })
}

/// What a cached OCR page depends on besides the file: page, engine, languages, resolution.
fn ocr_cache_version(engine: &crate::ocr::Engine, langs: &str, dpi: u32, page: u32) -> String {
    format!("ocr;p{page};{};{langs};{dpi}dpi", engine.signature())
}

/// OCRs the pages of the extracted PDFs that need it (all pages with `--ocr force`), from the
/// cache or in the worker pool, and puts the text in place of the empty text layer. Pages whose
/// OCR fails keep their state and get a failure; when OCR cannot run, the document says why.
fn ocr_all(
    plan: &Plan,
    ocr: &Ocr,
    sources: &[Source],
    slots: &mut [Slot],
    reporter: &dyn Reporter,
    summary: &mut Summary,
) {
    use crate::ocr::Mode;
    if ocr.settings.mode == Mode::Off {
        return;
    }
    let cache_dir = cache::dir(&plan.index_dir);
    let dpi = ocr.settings.dpi;
    // (slot, page index, cache version) of every page sent to the pool.
    let mut todo: Vec<(usize, usize, String)> = Vec::new();
    let mut jobs = Vec::new();
    for (i, (src, slot)) in sources.iter().zip(slots.iter_mut()).enumerate() {
        let Some(Ok(x)) = slot else { continue };
        if src.kind != Kind::Pdf {
            continue;
        }
        let force = ocr.settings.mode == Mode::Force;
        let wanted: Vec<usize> = (0..x.pages.len())
            .filter(|&j| force || x.pages[j].needs_ocr)
            .filter(|&j| x.pages[j].ocr.is_none())
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let found = ocr.engine.as_ref().map_err(Clone::clone);
        let (engine, langs) = match found.and_then(|e| Ok((e, e.langs_for(&src.meta.lang)?))) {
            Ok(found) => found,
            Err(why) => {
                x.ocr_unavailable = Some(why);
                continue;
            }
        };
        for j in wanted {
            let number = x.pages[j].number;
            let version = ocr_cache_version(engine, &langs, dpi, number);
            if let Some(p) = cache::load_entry(&cache_dir, &src.sha, &version) {
                summary.ocr_cached += 1;
                apply_ocr(&mut x.pages[j], p);
                continue;
            }
            jobs.push((
                todo.len(),
                crate::worker::OcrJob {
                    path: src.path.clone(),
                    page: number,
                    langs: langs.clone(),
                    dpi,
                    timeout_ms: ocr.settings.page_timeout.as_millis() as u64,
                },
            ));
            todo.push((i, j, version));
        }
    }
    if jobs.is_empty() {
        return;
    }
    summary.ocr_pages += jobs.len();
    reporter.report(Event::Stage { name: "ocr", total: jobs.len() });
    let results: Mutex<Vec<(usize, crate::worker::OcrOutcome)>> =
        Mutex::new(Vec::with_capacity(jobs.len()));
    pool(plan).ocr(jobs, &|k, r| {
        let (i, _, version) = &todo[k];
        if let Ok(p) = &r
            && let Err(e) = cache::store_entry(&cache_dir, &sources[*i].sha, version, p)
        {
            log::warn!("cannot cache OCR of {}: {e}", sources[*i].path.display());
        }
        reporter.report(Event::Item { doc_id: &sources[*i].meta.doc_id });
        results.lock().unwrap_or_else(|e| e.into_inner()).push((k, r));
    });
    for (k, r) in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        let (i, j, _) = &todo[k];
        let Some(Ok(x)) = &mut slots[*i] else { continue };
        match r {
            Ok(p) => apply_ocr(&mut x.pages[*j], p),
            Err((_, why)) => x.ocr_failures.push((x.pages[*j].number, why)),
        }
    }
    for slot in slots.iter_mut() {
        if let Some(Ok(x)) = slot {
            x.ocr_failures.sort_by_key(|f| f.0);
        }
    }
}

/// Puts a page's OCR text in place of its text layer.
fn apply_ocr(page: &mut extract::Page, p: crate::ocr::OcrPage) {
    page.text = extract::normalize::normalize_page(&p.text);
    page.needs_ocr = false;
    page.extractor = "tesseract".into();
    page.ocr = Some(p.confidence);
}

/// Extracts (or loads from the cache) every document of the manifest, for commands that need the
/// text without the full run (such as `napscan text`).
pub fn texts(plan: &Plan, reporter: &dyn Reporter) -> Result<Vec<(DocMeta, Slot)>, Error> {
    let manifest = manifest::read(&plan.manifest)?;
    std::fs::create_dir_all(&plan.index_dir).map_err(|e| Error::io(&plan.index_dir, e))?;
    let _lock = crate::lock::acquire(&plan.index_dir)?;
    let ocr = Ocr::probe(&plan.ocr);
    let sources = sources(&manifest, &ocr.key);
    let mut summary = Summary::default();
    let mut slots =
        extract_all(plan, &sources, &vec![true; sources.len()], false, reporter, &mut summary);
    ocr_all(plan, &ocr, &sources, &mut slots, reporter, &mut summary);
    Ok(sources.into_iter().map(|s| s.meta).zip(slots).collect())
}
