//! The single integration-test binary: runs the real `napscan` binary on real fixture documents
//! (small PDFs from the corpus, text, HTML and hostile files) and checks its outputs.

mod util;

mod cli;
mod commitment;
mod ingest;
mod layout;
mod lexicon;
mod ocr;
mod search;
mod web;
