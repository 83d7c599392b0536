//! PDF text extraction, page by page, with a fallback chain. lopdf loads the file (decrypting with
//! an empty password), counts pages, reads printed page labels and tells image-only pages apart;
//! pdf_oxide extracts the text of each page (best quality and fewest failures on real-world PDFs);
//! when it fails, panics or returns text that fails the quality check, pdf-extract and then lopdf's
//! own extractor are tried and the best-scoring text is kept. Every page is guarded on its own
//! with `catch_unwind`, so one bad page costs only that page. Runs inside a worker process (see
//! `worker`), because a stack overflow or a runaway allocation cannot be caught in-process.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::normalize::{normalize_page, quality};
use super::{Extracted, Page};

/// Version string of the extractor chain; part of the cache key, so bump it when output changes.
pub const EXTRACTOR_VERSION: &str =
    "napscan-pdf-4;pdf_oxide=0.3.78;pdf-extract=0.12.1;lopdf=0.47.0";

/// Start of the error message for password-protected files.
const ENCRYPTED: &str = "encrypted";

/// Page text of fewer than this many word tokens on a page with an image counts as image-only.
const OCR_MAX_TOKENS: usize = 3;

/// Extracts every page of a PDF held in memory.
pub fn extract_pdf(bytes: &[u8]) -> Result<Extracted, String> {
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-")
    {
        return Err("not a PDF (no %PDF- header)".into());
    }
    let lo = guarded(|| load_lopdf(bytes));
    let oxide =
        guarded(|| pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| e.to_string()));
    let lo_pages: Vec<lopdf::ObjectId> =
        lo.as_ref().map(|d| d.get_pages().into_values().collect()).unwrap_or_default();
    let n = match (&oxide, &lo) {
        (_, Ok(_)) if !lo_pages.is_empty() => lo_pages.len(),
        (Ok(doc), _) => guarded(|| doc.page_count().map_err(|e| e.to_string())).unwrap_or(0),
        (Err(e1), Err(e2)) => return Err(format!("cannot open PDF: {e1}; lopdf: {e2}")),
        (Err(e), Ok(_)) => return Err(format!("cannot open PDF: {e}; lopdf finds no pages")),
    };
    if n == 0 {
        return Err("the PDF has no pages".into());
    }
    let labels = lo
        .as_ref()
        .ok()
        .and_then(|d| guarded(|| Ok(super::labels::page_labels(d, n))).ok().flatten());
    let mut pe: Option<Result<pdf_extract::Document, String>> = None;
    let mut pages = Vec::with_capacity(n);
    let mut failures = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for i in 0..n {
        let mut candidates: Vec<(&'static str, String)> = Vec::new();
        let mut errors: Vec<String> = Vec::new();
        if let Ok(doc) = &oxide {
            match guarded(|| doc.extract_text(i).map_err(|e| e.to_string())) {
                Ok(t) => candidates.push(("pdf_oxide", normalize_page(&t))),
                Err(e) => errors.push(format!("pdf_oxide: {e}")),
            }
        }
        if !good_enough(&candidates) {
            let doc = pe.get_or_insert_with(|| guarded(|| load_pdf_extract(bytes)));
            match doc {
                Ok(doc) => match guarded(|| pdf_extract_page(doc, i as u32 + 1)) {
                    Ok(t) => candidates.push(("pdf-extract", normalize_page(&t))),
                    Err(e) => errors.push(format!("pdf-extract: {e}")),
                },
                Err(e) => errors.push(format!("pdf-extract: {e}")),
            }
        }
        if !good_enough(&candidates)
            && let Ok(doc) = &lo
        {
            match guarded(|| doc.extract_text(&[i as u32 + 1]).map_err(|e| e.to_string())) {
                Ok(t) => candidates.push(("lopdf", normalize_page(&t))),
                Err(e) => errors.push(format!("lopdf: {e}")),
            }
        }
        let best = candidates
            .into_iter()
            .max_by(|a, b| quality(&a.1).score().total_cmp(&quality(&b.1).score()));
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
    if let Err(e) = &lo
        && e.starts_with(ENCRYPTED)
        && pages.iter().all(|p| p.text.trim().is_empty())
    {
        return Err(e.clone());
    }
    Ok(Extracted {
        pages,
        page_failures: failures,
        extractor: used.into_iter().collect::<Vec<_>>().join("+"),
    })
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
