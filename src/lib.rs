//! napscan scans National Action Plans on business and human rights, bills and laws for the
//! concepts of the UN Guiding Principles (UNGPs). It ingests a corpus described by a manifest
//! (PDF, text, Markdown, HTML), extracts clean text page by page in isolated worker processes,
//! and writes per-document reports for comparative research.
//!
//! The pipeline is a chain of plain functions over plain data, one module per stage:
//! [`manifest`] → [`extract`] (run in [`worker`] processes, cached by [`cache`]; [`ocr`] for
//! image-only pages) → [`assess`] (the status policy) → [`flag`] → [`pipeline`] → [`report`].
//!
//! ```no_run
//! use napscan::{events::Quiet, pipeline};
//! # fn main() -> Result<(), napscan::error::Error> {
//! let plan = pipeline::Plan {
//!     manifest: "corpus/manifest.csv".into(),
//!     index_dir: "indexes/default".into(),
//!     out_dir: "out".into(),
//!     jobs: 2,
//!     timeout: std::time::Duration::from_secs(120),
//!     memory_mb: 2048,
//!     worker: ("target/release/napscan".into(), vec!["__worker".into()]),
//!     lexicons: vec![],
//!     build_index: true,
//!     commitment_rules: None,
//!     ocr: napscan::ocr::Settings::default(),
//! };
//! let summary = pipeline::run(&plan, &Quiet)?;
//! println!("{} documents, {} failed", summary.documents, summary.failed);
//! # Ok(()) }
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analyzer;
pub mod assess;
pub mod cache;
pub mod commitment;
pub mod coverage;
pub mod error;
pub mod eval;
pub mod events;
pub mod extract;
pub mod flag;
pub mod index;
pub mod keyness;
pub mod lexicon;
pub mod lock;
pub mod manifest;
pub mod ocr;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod search;
pub mod sentences;
pub mod web;
pub mod worker;

pub use error::{DocFailure, Error, Stage};
