//! Errors: [`Error`] for fatal problems that stop a run (bad manifest, bad lexicon, locked index),
//! and [`DocFailure`] for one document or page that could not be processed, which is a value that is
//! collected and reported, never propagated.

use std::fmt;
use std::path::PathBuf;

/// A fatal error: the run cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A line of a data file (manifest, lexicon, gold file) is invalid.
    #[error("{}:{line}: {msg}", path.display())]
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        msg: String,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A CSV file could not be parsed at all.
    #[error("{}: {source}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The CSV error.
        #[source]
        source: csv::Error,
    },
    /// The search index could not be opened, written or queried.
    #[error("index {}: {msg}", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// What went wrong.
        msg: String,
    },
    /// Anything else, with a message that says what.
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }

    /// An error at `path:line`.
    pub fn line(path: impl Into<PathBuf>, line: u64, msg: impl Into<String>) -> Error {
        Error::Line { path: path.into(), line, msg: msg.into() }
    }
}

/// The pipeline stage at which a document or page failed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// The manifest lists the file but it is missing.
    Manifest,
    /// The file could not be read.
    Read,
    /// The file could not be parsed or its text extracted.
    Extract,
    /// Extraction ran past the wall-clock limit.
    Timeout,
    /// Extraction ran past the memory limit.
    Memory,
    /// The extraction worker process died (crash, stack overflow, signal).
    Crash,
    /// The page has no text layer and needs OCR.
    Ocr,
    /// Flagging or classifying the extracted text failed (a bug napscan reports instead of
    /// stopping the batch).
    Analyze,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Stage::Manifest => "manifest",
            Stage::Read => "read",
            Stage::Extract => "extract",
            Stage::Timeout => "timeout",
            Stage::Memory => "memory",
            Stage::Crash => "crash",
            Stage::Ocr => "ocr",
            Stage::Analyze => "analyze",
        };
        f.write_str(s)
    }
}

/// Why one document (or one of its pages) could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocFailure {
    /// The document.
    pub doc_id: String,
    /// Its file, as listed in the manifest.
    pub path: PathBuf,
    /// 1-based physical page, when only one page failed.
    pub page: Option<u32>,
    /// The stage that failed.
    pub stage: Stage,
    /// Why, in words.
    pub reason: String,
}
