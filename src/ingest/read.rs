//! Reading the sources: PDFs from the extraction cache or the worker pool, text, Markdown and
//! HTML files in this process. Every kind of input goes through a guard, so that a crash or a
//! panic anywhere becomes that document's failure, never the batch's.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;

use super::Source;
use crate::error::Stage;
use crate::events::{Event, Reporter};
use crate::extract::{self, Extracted, Kind};
use crate::plan::Plan;

/// The extraction outcome of one document (`None`: not attempted).
pub(crate) type Slot = Option<Result<Extracted, (Stage, String)>>;

/// Reads and extracts a text, Markdown or HTML file in this process; a panic in the extractor
/// becomes this document's failure, as a crash of a PDF worker does.
pub(crate) fn read_text(s: &Source) -> Result<Extracted, (Stage, String)> {
    let bytes = std::fs::read(&s.path).map_err(|e| (Stage::Read, e.to_string()))?;
    extract::guarded(|| extract::extract_text_file(s.kind, &bytes).map_err(|e| e.1))
        .map_err(|e| (Stage::Extract, e))
}

/// Extracts every source that is `needed`: PDFs from the cache or the worker pool, text files
/// in-process unless `defer_text` (then the caller reads them with [`read_text`] where it
/// analyses them, so that a text corpus is never held in memory at once). Returns the slots, in
/// source order, and how many PDFs came from the cache.
pub(crate) fn extract_all(
    plan: &Plan,
    sources: &[Source],
    needed: &[bool],
    defer_text: bool,
    reporter: &dyn Reporter,
) -> (Vec<Slot>, usize) {
    let cache_dir = crate::cache::dir(&plan.index_dir);
    let mut slots: Vec<Slot> = sources
        .par_iter()
        .zip(needed)
        .map(|(s, needed)| match (&s.error, s.kind) {
            (Some(e), _) => Some(Err(e.clone())),
            _ if !needed => None,
            (None, Kind::Pdf) => {
                let (sha, version) = s.key.extraction();
                crate::cache::load_entry::<Extracted>(&cache_dir, sha, version).map(Ok)
            }
            (None, _) if defer_text => None,
            (None, _) => Some(read_text(s)),
        })
        .collect();
    let cached = sources
        .iter()
        .zip(&slots)
        .filter(|(s, x)| s.kind == Kind::Pdf && matches!(x, Some(Ok(_))))
        .count();
    let mut todo: Vec<(usize, PathBuf)> = slots
        .iter()
        .enumerate()
        .filter(|(i, s)| s.is_none() && needed[*i] && sources[*i].kind == Kind::Pdf)
        .map(|(i, _)| (i, sources[i].path.clone()))
        .collect();
    if todo.is_empty() {
        return (slots, cached);
    }
    // Largest files first, so that no worker is left with a big file at the end while the other idles.
    todo.sort_by_cached_key(|(_, p)| {
        std::cmp::Reverse(std::fs::metadata(p).map_or(0, |m| m.len()))
    });
    reporter.report(Event::Stage { name: "extract", total: todo.len() });
    let results: Mutex<HashMap<usize, crate::worker::Outcome>> = Mutex::new(HashMap::new());
    plan.pool().run(todo, &|i, outcome| {
        let src = &sources[i];
        let (sha, version) = src.key.extraction();
        if let Ok(x) = &outcome
            && let Err(e) = crate::cache::store_entry(&cache_dir, sha, version, x)
        {
            log::warn!("cannot cache {}: {e}", src.path.display());
        }
        reporter.report(Event::Item { doc_id: &src.meta.doc_id });
        results.lock().unwrap_or_else(|e| e.into_inner()).insert(i, outcome);
    });
    for (i, outcome) in results.into_inner().unwrap_or_else(|e| e.into_inner()) {
        slots[i] = Some(outcome);
    }
    (slots, cached)
}
