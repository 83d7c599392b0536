//! OCR of image-only pages during a run: which pages need it, from the per-page cache or the
//! worker pool, and how its text takes the place of an empty text layer. The engine itself (the
//! `pdftoppm | tesseract` pipe) is [`crate::ocr`].

use std::sync::Mutex;

use super::Source;
use super::read::Slot;
use crate::events::{Event, Reporter};
use crate::extract::{self, Kind};
use crate::ocr::{Engine, Mode, Settings};
use crate::plan::Plan;

/// The OCR engine of a run and what its results depend on.
pub(crate) struct Ocr {
    /// The settings the run asked for.
    pub settings: Settings,
    /// The engine, or why there is none (`Err` also when OCR is off).
    pub engine: Result<Engine, String>,
    /// Part of every PDF's content key: mode, resolution and engine.
    pub key: String,
}

impl Ocr {
    /// Finds the engine the settings ask for (none when OCR is off).
    pub(crate) fn probe(settings: &Settings) -> Ocr {
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

    /// The engine's name and version, or why there is none.
    pub(crate) fn describe(&self) -> String {
        match &self.engine {
            Ok(e) => e.signature(),
            Err(e) => e.clone(),
        }
    }
}

/// What a cached OCR page depends on besides the file: page, engine, languages, resolution.
fn ocr_cache_version(engine: &Engine, langs: &str, dpi: u32, page: u32) -> String {
    format!("ocr;p{page};{};{langs};{dpi}dpi", engine.signature())
}

/// OCRs the pages of the extracted PDFs that need it (all pages with `--ocr force`), from the
/// cache or in the worker pool, and puts the text in place of the empty text layer. Pages whose
/// OCR fails keep their state and get a failure; when OCR cannot run, the document says why.
/// Returns how many pages were OCRed and how many came from the cache.
pub(crate) fn ocr_all(
    plan: &Plan,
    ocr: &Ocr,
    sources: &[Source],
    slots: &mut [Slot],
    reporter: &dyn Reporter,
) -> (usize, usize) {
    let mut cached = 0;
    if ocr.settings.mode == Mode::Off {
        return (0, cached);
    }
    let cache_dir = crate::cache::dir(&plan.index_dir);
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
            if let Some(p) = crate::cache::load_entry(&cache_dir, &src.key.sha, &version) {
                cached += 1;
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
        return (0, cached);
    }
    let sent = jobs.len();
    reporter.report(Event::Stage { name: "ocr", total: jobs.len() });
    let results: Mutex<Vec<(usize, crate::worker::OcrOutcome)>> =
        Mutex::new(Vec::with_capacity(jobs.len()));
    plan.pool().ocr(jobs, &|k, r| {
        let (i, _, version) = &todo[k];
        if let Ok(p) = &r
            && let Err(e) = crate::cache::store_entry(&cache_dir, &sources[*i].key.sha, version, p)
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
    (sent, cached)
}

/// Puts a page's OCR text in place of its text layer.
fn apply_ocr(page: &mut extract::Page, p: crate::ocr::OcrPage) {
    page.text = extract::normalize::normalize_page(&p.text);
    page.needs_ocr = false;
    page.extractor = "tesseract".into();
    page.ocr = Some(p.confidence);
}
