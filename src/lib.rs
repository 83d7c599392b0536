//! napscan scans National Action Plans on business and human rights, bills and laws for the
//! concepts of the UN Guiding Principles (UNGPs). It ingests a corpus described by a manifest
//! (PDF, text, Markdown, HTML), extracts clean text page by page in isolated worker processes,
//! and writes per-document reports for comparative research.
//!
//! The pipeline is a chain of plain functions over plain data, one module per stage:
//! [`manifest`] → `ingest` (sources and their `key`; extraction by [`extract`] in [`worker`]
//! processes, cached by `cache`; [`ocr`] for image-only pages) → `analyze` (evidence by
//! [`flag`], the status policy in `assess`, `coverage`, the page [`index`]) → an in-memory
//! [`pipeline::Scan`] → [`report`] (the output files). [`search`] and [`web`] read what a run
//! wrote. [`pipeline`] wires the stages and nothing else. The stage modules that only the
//! pipeline calls (`ingest`, `key`, `cache`, `analyze`, `assess`, `coverage`, `sentences`) are
//! private; what they return is re-exported where a caller meets it (`pipeline::Analysed`).
//!
//! A run over a one-document corpus, written to a folder (text files need no worker process;
//! PDFs are extracted by the napscan binary named in [`plan::Plan::worker`]):
//!
//! ```
//! use napscan::{events::Quiet, pipeline, plan::Plan};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("manifest.csv"),
//!     "doc_id,country,year,doc_type,lang,title,path\n\
//!      plan,GBR,2016,nap,en,Good Business,plan.txt\n",
//! )?;
//! std::fs::write(
//!     dir.path().join("plan.txt"),
//!     "Companies should carry out human rights due diligence and provide access to remedy.",
//! )?;
//! let plan = Plan {
//!     manifest: dir.path().join("manifest.csv"),
//!     index_dir: dir.path().join("index"),
//!     out_dir: dir.path().join("out"),
//!     jobs: 1,
//!     timeout: std::time::Duration::from_secs(60),
//!     memory_mb: 2048,
//!     worker: "napscan".into(),
//!     lexicons: vec![],
//!     build_index: true,
//!     commitment_rules: None,
//!     ocr: napscan::ocr::Settings::default(),
//! };
//! let mut scan = pipeline::run(&plan, &Quiet)?;
//! assert_eq!(scan.summary.ok, 1);
//! assert!(scan.evidence().any(|e| e.concept == "hrdd"));
//! let tables = scan.tables(); // the coverage matrices as values, one row per country and concept
//! assert!(tables.by_country.iter().any(|r| r.concept == "hrdd" && r.present));
//! napscan::report::write_all(&plan, &mut scan)?; // documents.csv, evidence.csv, coverage, run.json
//! assert!(plan.out_dir.join("coverage_by_country.csv").is_file());
//! # Ok(()) }
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod analyze;
pub mod analyzer;
mod assess;
mod cache;
pub mod commitment;
mod coverage;
mod cue;
mod error;
pub mod eval;
pub mod events;
pub mod extract;
pub mod flag;
pub mod index;
mod ingest;
mod key;
pub mod keyness;
pub mod lexicon;
pub mod lock;
pub mod manifest;
pub mod ocr;
pub mod output;
pub mod pipeline;
pub mod plan;
pub mod report;
pub mod rows;
pub mod search;
mod sentences;
pub mod web;
pub mod worker;

pub use error::{DocFailure, Error, Stage};
