//! PDF text extraction, page by page, with a fallback chain. lopdf loads the file (decrypting with
//! an empty password), counts pages, reads printed page labels and tells image-only pages apart;
//! pdf_oxide extracts the text of each page (best quality and fewest failures on real-world PDFs);
//! when it fails, panics or returns text that fails the quality check, pdf-extract and then lopdf's
//! own extractor are tried and the best-scoring text is kept. Every page is guarded on its own
//! with `catch_unwind`, so one bad page costs only that page. Runs inside a worker process (see
//! `worker`), because a stack overflow or a runaway allocation cannot be caught in-process.

use std::cell::OnceCell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::normalize::{normalize_page, quality};
use super::{Extracted, Page};

/// Version string of the extractor chain; part of the cache key, so bump it when output changes.
pub const EXTRACTOR_VERSION: &str =
    "napscan-pdf-7;pdf_oxide=0.3.78;pdf-extract=0.12.1;lopdf=0.47.0";

/// Start of the error message for password-protected files.
const ENCRYPTED: &str = "encrypted";

/// Page text of fewer than this many word tokens on a page with an image counts as image-only.
const OCR_MAX_TOKENS: usize = 3;

/// Extracts every page of a PDF held in memory.
///
/// lopdf loads the file (page count, labels, images) and extracts text fast; pdf_oxide extracts
/// text best. On each document the two are compared on a probe page: when they agree, lopdf's text
/// is trusted for the remaining pages (each still quality-checked); when they disagree, or lopdf
/// cannot read the file, every page goes through pdf_oxide, then pdf-extract, then lopdf.
pub fn extract_pdf(bytes: &[u8]) -> Result<Extracted, String> {
    if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err("not a PDF (no %PDF- header)".into());
    }
    let lo = guarded(|| load_lopdf(bytes));
    let ox_cell: OnceCell<Result<pdf_oxide::PdfDocument, String>> = OnceCell::new();
    let oxide = || {
        ox_cell.get_or_init(|| {
            guarded(|| {
                pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| e.to_string())
            })
        })
    };
    let lo_pages: Vec<lopdf::ObjectId> =
        lo.as_ref().map(|d| d.get_pages().into_values().collect()).unwrap_or_default();
    let n = if lo_pages.is_empty() {
        match oxide() {
            Ok(doc) => guarded(|| doc.page_count().map_err(|e| e.to_string())).unwrap_or(0),
            Err(_) => 0,
        }
    } else {
        lo_pages.len()
    };
    if n == 0 {
        return Err(match (oxide(), &lo) {
            (Err(e1), Err(e2)) if e2.starts_with(ENCRYPTED) => format!("{e2}; pdf_oxide: {e1}"),
            (Err(e1), Err(e2)) => format!("cannot open PDF: {e1}; lopdf: {e2}"),
            (Err(e), Ok(_)) => format!("cannot open PDF: {e}; lopdf finds no pages"),
            _ => "the PDF has no pages".into(),
        });
    }
    let labels = match &lo {
        Ok(d) if !lo_pages.is_empty() => {
            guarded(|| Ok(super::labels::page_labels(d, n))).ok().flatten()
        }
        _ => oxide().as_ref().ok().and_then(|d| oxide_labels(d, n)),
    };
    let lo_text = |i: usize| -> Result<String, String> {
        match &lo {
            Ok(doc) => guarded(|| {
                doc.extract_text(&[i as u32 + 1])
                    .map(|t| normalize_page(&t))
                    .map_err(|e| e.to_string())
            }),
            Err(e) => Err(e.clone()),
        }
    };
    let ox_text = |i: usize| -> Result<String, String> {
        match oxide() {
            Ok(doc) => guarded(|| {
                doc.extract_text_with_options(i, &oxide_options())
                    .map(|t| normalize_page(&t))
                    .map_err(|e| e.to_string())
            }),
            Err(e) => Err(e.clone()),
        }
    };
    let (trust_lopdf, mut probed) = probe(n, &lo_text, &ox_text);
    let mut pe: Option<Result<pdf_extract::Document, String>> = None;
    let mut pages = Vec::with_capacity(n);
    let mut failures = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for i in 0..n {
        let mut candidates: Vec<(&'static str, String)> = Vec::new();
        let mut errors: Vec<String> = Vec::new();
        let mut push = |name: &'static str,
                        r: Result<String, String>,
                        c: &mut Vec<(&'static str, String)>| match r {
            Ok(t) => c.push((name, t)),
            Err(e) => errors.push(format!("{name}: {e}")),
        };
        let cached = probed.remove(&i);
        if trust_lopdf {
            let t = cached.as_ref().map(|c| Ok(c.0.clone())).unwrap_or_else(|| lo_text(i));
            push(
                "lopdf",
                t.and_then(
                    |t| if well_spaced(&t) { Ok(t) } else { Err("poorly spaced text".into()) },
                ),
                &mut candidates,
            );
        }
        if !good_enough(&candidates) {
            let t = cached.as_ref().and_then(|c| c.1.clone()).map(Ok).unwrap_or_else(|| ox_text(i));
            push("pdf_oxide", t, &mut candidates);
        }
        if !good_enough(&candidates) {
            let doc = pe.get_or_insert_with(|| guarded(|| load_pdf_extract(bytes)));
            let t = match doc {
                Ok(doc) => {
                    guarded(|| pdf_extract_page(doc, i as u32 + 1)).map(|t| normalize_page(&t))
                }
                Err(e) => Err(e.clone()),
            };
            push("pdf-extract", t, &mut candidates);
        }
        if !good_enough(&candidates) && !trust_lopdf {
            push("lopdf", lo_text(i), &mut candidates);
        }
        let best = candidates
            .into_iter()
            .map(|(name, t)| (quality(&t).score(), name, t))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, name, t)| (name, t));
        let number = i as u32 + 1;
        let label =
            labels.as_ref().and_then(|l| l.get(i).cloned()).unwrap_or_else(|| number.to_string());
        let (extractor, text) = match best {
            Some((name, text)) => {
                used.insert(name);
                (name, text)
            }
            None => {
                failures.push((number, errors.join("; ")));
                ("", String::new())
            }
        };
        let few_words =
            text.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count()
                < OCR_MAX_TOKENS;
        let needs_ocr = few_words
            && !extractor.is_empty()
            && lo
                .as_ref()
                .ok()
                .and_then(|d| lo_pages.get(i).map(|&id| page_has_image(d, id)))
                .unwrap_or(true);
        pages.push(Page { number, label, text, needs_ocr, extractor: extractor.to_string() });
    }
    // A password-protected file that no extractor could read is one failure, not n empty pages.
    if pages.iter().all(|p| p.text.trim().is_empty())
        && let Err(e) = &lo
        && e.starts_with(ENCRYPTED)
    {
        return Err(e.clone());
    }
    Ok(Extracted {
        pages,
        page_failures: failures,
        extractor: used.into_iter().collect::<Vec<_>>().join("+"),
    })
}

/// Words a probe page needs for a meaningful comparison.
const PROBE_MIN_WORDS: usize = 40;
/// Token agreement (F1) above which lopdf's text is trusted for the document.
const PROBE_AGREEMENT: f64 = 0.95;
/// Pages probed at most.
const PROBE_PAGES: usize = 1;

type Probed = std::collections::HashMap<usize, (String, Option<String>)>;

/// Compares lopdf and pdf_oxide on the first pages with enough words. Returns whether lopdf can be
/// trusted, and the texts already extracted (so that no page is extracted twice).
fn probe(
    n: usize,
    lo_text: &dyn Fn(usize) -> Result<String, String>,
    ox_text: &dyn Fn(usize) -> Result<String, String>,
) -> (bool, Probed) {
    let mut probed = Probed::new();
    let mut agreed = 0;
    for i in 0..n.min(8) {
        let Ok(lt) = lo_text(i) else { return (false, probed) };
        if super::count_words(&lt) < PROBE_MIN_WORDS {
            probed.insert(i, (lt, None));
            continue;
        }
        let ot = ox_text(i).ok();
        let agree =
            ot.as_deref().is_some_and(|o| agreement(&lt, o) >= PROBE_AGREEMENT && well_spaced(&lt));
        probed.insert(i, (lt, ot));
        if !agree {
            return (false, probed);
        }
        agreed += 1;
        if agreed == PROBE_PAGES {
            break;
        }
    }
    (agreed > 0, probed)
}

/// Token agreement of two texts: F1 of their lowercased word multisets.
pub fn agreement(a: &str, b: &str) -> f64 {
    use std::collections::HashMap;
    let count = |s: &str| {
        let mut m: HashMap<String, usize> = HashMap::new();
        for w in s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            *m.entry(w.to_lowercase()).or_default() += 1;
        }
        m
    };
    let (ca, cb) = (count(a), count(b));
    let (na, nb): (usize, usize) = (ca.values().sum(), cb.values().sum());
    let inter: usize = ca.iter().map(|(w, n)| (*n).min(cb.get(w).copied().unwrap_or(0))).sum();
    if inter == 0 {
        return 0.0;
    }
    let (p, r) = (inter as f64 / na as f64, inter as f64 / nb as f64);
    2.0 * p * r / (p + r)
}

/// False when words look glued together (many very long tokens) or letter-spaced (many one-letter
/// tokens): the typical failures of an extractor that guesses spaces from glyph positions badly.
fn well_spaced(text: &str) -> bool {
    let mut words = 0usize;
    let mut long = 0usize;
    let mut single = 0usize;
    for w in text.split_whitespace() {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters == 0 {
            continue;
        }
        words += 1;
        if letters > 40 && !w.contains(['-', '/', '.']) {
            long += 1;
        }
        if letters == 1 {
            single += 1;
        }
    }
    words < 10 || (long * 50 <= words && single * 4 <= words)
}

fn oxide_options() -> pdf_oxide::converters::ConversionOptions {
    pdf_oxide::converters::ConversionOptions { extract_tables: true, ..Default::default() }
}

/// Printed page labels read by pdf_oxide, or `None` when the file defines none.
fn oxide_labels(doc: &pdf_oxide::PdfDocument, n: usize) -> Option<Vec<String>> {
    use pdf_oxide::extractors::PageLabelExtractor;
    let ranges = guarded(|| PageLabelExtractor::extract(doc).map_err(|e| e.to_string())).ok()?;
    if ranges.is_empty() {
        return None;
    }
    Some(PageLabelExtractor::get_all_labels(&ranges, n))
}

fn good_enough(c: &[(&str, String)]) -> bool {
    c.iter().any(|(_, t)| {
        let q = quality(t);
        q.tokens > 0 && q.is_good()
    })
}

/// Runs `f`, turning a panic into an error message.
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(panic) => Err(format!("panic: {}", panic_message(&*panic))),
    }
}

/// The message of a caught panic.
pub(crate) fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".into()
    }
}

fn load_lopdf(bytes: &[u8]) -> Result<lopdf::Document, String> {
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    if doc.is_encrypted() {
        doc.decrypt("")
            .map_err(|e| format!("{ENCRYPTED}: the empty password does not open it ({e})"))?;
    }
    Ok(doc)
}

fn load_pdf_extract(bytes: &[u8]) -> Result<pdf_extract::Document, String> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    if doc.is_encrypted() {
        doc.decrypt("").map_err(|e| e.to_string())?;
    }
    Ok(doc)
}

fn pdf_extract_page(doc: &pdf_extract::Document, page: u32) -> Result<String, String> {
    let mut s = String::new();
    {
        let mut out = pdf_extract::PlainTextOutput::new(&mut s);
        pdf_extract::output_doc_page(doc, &mut out, page).map_err(|e| e.to_string())?;
    }
    Ok(s)
}

fn page_has_image(doc: &lopdf::Document, page: lopdf::ObjectId) -> bool {
    let Ok((resources, ids)) = doc.get_page_resources(page) else { return true };
    let mut dicts: Vec<&lopdf::Dictionary> = resources.into_iter().collect();
    dicts.extend(ids.into_iter().filter_map(|id| doc.get_dictionary(id).ok()));
    for res in dicts {
        let xobjects = match res.get(b"XObject") {
            Ok(lopdf::Object::Reference(id)) => doc.get_dictionary(*id).ok(),
            Ok(lopdf::Object::Dictionary(d)) => Some(d),
            _ => None,
        };
        let Some(xobjects) = xobjects else { continue };
        for (_, obj) in xobjects.iter() {
            let Ok(id) = obj.as_reference() else { continue };
            if let Ok(stream) = doc.get_object(id).and_then(lopdf::Object::as_stream) {
                let subtype =
                    stream.dict.get(b"Subtype").and_then(lopdf::Object::as_name).unwrap_or(b"");
                // Form XObjects often wrap a scanned image; count them too.
                if subtype == b"Image" || subtype == b"Form" {
                    return true;
                }
            }
        }
    }
    false
}
