//! What a run is asked to do ([`Plan`]) and what it did ([`Summary`]): plain data shared by the
//! stages, the CLI and the outputs.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::Error;
use crate::lexicon::Lexicon;
use crate::worker::PoolConfig;

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
    /// Memory limit of one worker process, in MiB (0 = none). Applied by the library to every
    /// worker it starts, whoever calls it.
    pub memory_mb: u64,
    /// The napscan binary that runs the extraction workers (its hidden worker subcommand).
    pub worker: PathBuf,
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
    /// The plan's lexicons, resolved as every command resolves them ([`crate::lexicon::resolve`]).
    pub fn read_lexicons(&self) -> Result<Vec<Lexicon>, Error> {
        crate::lexicon::resolve(&self.lexicons)
    }

    /// The plan's commitment rules (the built-in ones when none are given).
    pub fn read_rules(&self) -> Result<crate::commitment::Classifier, Error> {
        match &self.commitment_rules {
            Some(p) => crate::commitment::Classifier::read(p),
            None => Ok(crate::commitment::Classifier::builtin()),
        }
    }

    /// How the plan's worker processes are started: the binary's worker subcommand with the
    /// plan's memory limit.
    pub(crate) fn pool(&self) -> crate::worker::Pool {
        crate::worker::Pool::new(PoolConfig::napscan(
            self.worker.clone(),
            self.memory_mb,
            self.jobs,
            self.timeout,
        ))
    }
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

impl Summary {
    /// True when every document succeeded (exit code 0).
    pub fn all_ok(&self) -> bool {
        self.failures == 0
    }

    /// Counts one document's status and pages.
    pub(crate) fn tally(&mut self, rec: &crate::assess::DocRecord) {
        use crate::assess::Status;
        match rec.status {
            Status::Ok => self.ok += 1,
            Status::Partial => self.partial += 1,
            Status::NeedsOcr => self.needs_ocr += 1,
            Status::Failed => self.failed += 1,
            Status::NoLexicon => self.no_lexicon += 1,
        }
        self.pages += rec.pages;
    }
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
