//! PDF text extraction, page by page, with a fallback chain. lopdf loads the file (decrypting with
//! an empty password), counts pages, reads printed page labels and tells image-only pages apart;
//! pdf_oxide extracts the text of each page (best quality and fewest failures on real-world PDFs);
//! when it fails, panics or returns text that fails the quality check, pdf-extract and then lopdf's
//! own extractor are tried and the best-scoring text is kept; pages whose text layer splits every
//! word into pieces are re-segmented (see `resegment`). Every page is guarded on its own
//! with `catch_unwind`, so one bad page costs only that page. Runs inside a worker process (see
//! `worker`), because a stack overflow or a runaway allocation cannot be caught in-process.

use std::cell::OnceCell;

use super::lopdf_text::LopdfText;
use super::normalize::{normalize_page, quality};
use super::{Extracted, Page, guarded};

/// Version string of the extractor chain; part of the cache key, so bump it when output changes.
pub const EXTRACTOR_VERSION: &str =
    "napscan-pdf-10;pdf_oxide=0.3.78;pdf-extract=0.12.1;lopdf=0.47.0";

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
    let (lo, undecrypted) = match guarded(|| load_lopdf(bytes)) {
        Ok((doc, undecrypted)) => (Ok(doc), undecrypted),
        Err(e) => (Err(e), None),
    };
    let ox_cell: OnceCell<Result<pdf_oxide::PdfDocument, String>> = OnceCell::new();
    let oxide = || {
        ox_cell.get_or_init(|| {
            guarded(|| {
                pdf_oxide::PdfDocument::from_bytes(bytes.to_vec()).map_err(|e| e.to_string())
            })
        })
    };
    let lo_reader = match &lo {
        Ok(d) => guarded(|| Ok(LopdfText::new(d))),
        Err(e) => Err(e.clone()),
    };
    let lo_pages: &[lopdf::ObjectId] = lo_reader.as_ref().map_or(&[], LopdfText::pages);
    let n = if lo_pages.is_empty() {
        match oxide() {
            Ok(doc) => guarded(|| doc.page_count().map_err(|e| e.to_string())).unwrap_or(0),
            Err(_) => 0,
        }
    } else {
        lo_pages.len()
    };
    if n == 0 {
        if let Some(e) = undecrypted {
            return Err(e);
        }
        return Err(match (oxide(), &lo) {
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
        let reader = lo_reader.as_ref().map_err(Clone::clone)?;
        guarded(|| reader.page_text(i).map(|t| normalize_page(&t)))
    };
    // A page's text from pdf_oxide, normalised, guarded.
    let on_oxide = |f: &dyn Fn(&pdf_oxide::PdfDocument) -> Result<String, String>| {
        let doc = oxide().as_ref().map_err(Clone::clone)?;
        guarded(|| f(doc).map(|t| normalize_page(&t)))
    };
    let ox_text = |i: usize| {
        on_oxide(&|d| d.extract_text_with_options(i, &oxide_options()).map_err(|e| e.to_string()))
    };
    // The probe reads pdf_oxide's raw spans: its full `extract_text` first scans every page of the
    // document for running headers, which would cost more than the whole lopdf extraction.
    let ox_probe = |i: usize| {
        on_oxide(&|d| {
            let spans = d.extract_spans_with_config(i, Default::default());
            spans.map(|s| spans_text(&s)).map_err(|e| e.to_string())
        })
    };
    let (trust_lopdf, mut probed) = probe(n, &lo_text, &ox_probe);
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
            let t = cached.map(Ok).unwrap_or_else(|| lo_text(i));
            push(
                "lopdf",
                t.and_then(
                    |t| if well_spaced(&t) { Ok(t) } else { Err("poorly spaced text".into()) },
                ),
                &mut candidates,
            );
        }
        if !good_enough(&candidates) {
            push("pdf_oxide", ox_text(i), &mut candidates);
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
        pages.push(Page {
            number,
            label,
            text,
            needs_ocr,
            extractor: extractor.to_string(),
            ocr: None,
        });
    }
    // Table cells whose text layer splits every word into pieces get their words back.
    let mut texts: Vec<String> = pages.iter_mut().map(|p| std::mem::take(&mut p.text)).collect();
    if super::resegment::repair_split_pages(&mut texts) > 0 {
        used.insert("resegmented");
    }
    for (page, text) in pages.iter_mut().zip(texts) {
        page.text = text;
    }
    // A password-protected file that no extractor could read is one failure, not n empty pages.
    if pages.iter().all(|p| p.text.trim().is_empty())
        && let Some(e) = undecrypted
    {
        return Err(e);
    }
    Ok(Extracted {
        pages,
        page_failures: failures,
        extractor: used.into_iter().collect::<Vec<_>>().join("+"),
        ..Extracted::default()
    })
}

/// Words a probe page needs for a meaningful comparison.
const PROBE_MIN_WORDS: usize = 40;
/// Token agreement (F1) above which lopdf's text is trusted for the document: lopdf's known
/// failures (words glued where the PDF moves the pen instead of writing a space, lost ligature
/// glyphs, text inside form XObjects) cost a few percent of the words, so the bar sits close to 1.
const PROBE_AGREEMENT: f64 = 0.98;
/// Pages compared at most, and how far into the document to look for them.
const PROBE_PAGES: usize = 3;
const PROBE_SPAN: usize = 12;

/// lopdf's text of the pages read while probing, so that no page is extracted twice.
type Probed = std::collections::HashMap<usize, String>;

/// Compares lopdf and pdf_oxide on the first pages with enough words (their words pooled, so one
/// odd page neither decides alone nor hides a systematic difference). Returns whether lopdf can
/// be trusted, and lopdf's texts already extracted.
fn probe(
    n: usize,
    lo_text: &dyn Fn(usize) -> Result<String, String>,
    ox_text: &dyn Fn(usize) -> Result<String, String>,
) -> (bool, Probed) {
    let mut probed = Probed::new();
    let (mut lo_all, mut ox_all) = (String::new(), String::new());
    let mut compared = 0;
    for i in 0..n.min(PROBE_SPAN) {
        let Ok(lt) = lo_text(i) else { return (false, probed) };
        if super::count_words(&lt) < PROBE_MIN_WORDS {
            probed.insert(i, lt);
            continue;
        }
        let Ok(ot) = ox_text(i) else { return (false, probed) };
        if !well_spaced(&lt) {
            return (false, probed);
        }
        lo_all.push_str(&lt);
        lo_all.push('\n');
        ox_all.push_str(&ot);
        ox_all.push('\n');
        probed.insert(i, lt);
        compared += 1;
        if compared == PROBE_PAGES {
            break;
        }
    }
    (compared > 0 && agreement(&lo_all, &ox_all) >= PROBE_AGREEMENT, probed)
}

/// Joins pdf_oxide's raw text spans in content order: a new line where the baseline moves, a space
/// where the horizontal gap is wider than a sixth of the font size (or the pen jumps back).
pub(crate) fn spans_text(spans: &[pdf_oxide::layout::TextSpan]) -> String {
    let mut out = String::new();
    let mut prev: Option<&pdf_oxide::layout::TextSpan> = None;
    for s in spans {
        if let Some(p) = prev {
            let size = p.font_size.max(s.font_size).max(1.0);
            let gap = s.bbox.x - (p.bbox.x + p.bbox.width);
            if (p.bbox.y - s.bbox.y).abs() >= 0.5 * size {
                out.push('\n');
            } else if gap > 0.15 * size || gap < -size {
                out.push(' ');
            }
        }
        out.push_str(&s.text);
        prev = Some(s);
    }
    out
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

/// False when words look glued together (many very long tokens) or letter-spaced (many letters
/// standing alone in runs of three or more): the typical failures of an extractor that guesses
/// spaces from glyph positions badly. Lone letters in ordinary text (`S. 12`, `a)`, `I`) do not
/// come in runs, so they do not count.
fn well_spaced(text: &str) -> bool {
    let mut words = 0usize;
    let mut long = 0usize;
    let mut spaced = 0usize;
    let mut run = 0usize;
    for w in text.split_whitespace() {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters == 1 && w.chars().count() == 1 {
            run += 1;
        } else {
            if run >= 3 {
                spaced += run;
            }
            run = 0;
        }
        if letters == 0 {
            continue;
        }
        words += 1;
        if letters > 40 && !w.contains(['-', '/', '.']) {
            long += 1;
        }
    }
    if run >= 3 {
        spaced += run;
    }
    words < 10 || (long * 50 <= words && spaced * 4 <= words)
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

/// Loads the file with lopdf and decrypts it with the empty password. When that fails, the reason
/// comes back next to the document; but a file whose encryption leaves streams and strings in
/// clear (`/StmF` and `/StrF` are `/Identity`, as when only embedded files are encrypted) is read
/// as the plain file it is.
fn load_lopdf(bytes: &[u8]) -> Result<(lopdf::Document, Option<String>), String> {
    let mut doc = lopdf::Document::load_mem(bytes).map_err(|e| e.to_string())?;
    if !doc.is_encrypted() {
        resolve_stream_filters(&mut doc);
        return Ok((doc, None));
    }
    let Err(e) = doc.decrypt("") else {
        resolve_stream_filters(&mut doc);
        return Ok((doc, None));
    };
    if clear_text_encryption(&doc)
        && let Ok(mut plain) = lopdf::Document::load_mem(&without_encrypt_entry(bytes))
    {
        resolve_stream_filters(&mut plain);
        return Ok((plain, None));
    }
    Ok((doc, Some(format!("{ENCRYPTED}: the empty password does not open it ({e})"))))
}

/// Replaces indirect `/Filter` and `/DecodeParms` values of streams (`/Filter 3 0 R`, or
/// references inside their arrays) with the objects they point to: lopdf decodes only direct ones
/// and would otherwise hand back compressed bytes as page content.
fn resolve_stream_filters(doc: &mut lopdf::Document) {
    use lopdf::Object;
    // Only values a filter entry can hold (a name, parameters, null, or a short array of them) are
    // copied in, so that a hostile file cannot make every stream clone some large object.
    let small = |o: &Object| match o {
        Object::Name(_) | Object::Null => true,
        Object::Dictionary(d) => d.len() <= 16,
        _ => false,
    };
    let target = |doc: &lopdf::Document, id: lopdf::ObjectId| match doc.get_object(id) {
        Ok(o) if small(o) => Some(o.clone()),
        Ok(o @ Object::Array(items)) if items.len() <= 8 && items.iter().all(small) => {
            Some(o.clone())
        }
        _ => None,
    };
    let resolve = |doc: &lopdf::Document, o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => target(doc, *id),
            Object::Array(items) if items.iter().any(|i| matches!(i, Object::Reference(_))) => {
                let items: Option<Vec<Object>> = items
                    .iter()
                    .map(|i| match i {
                        Object::Reference(id) => target(doc, *id),
                        other => Some(other.clone()),
                    })
                    .collect();
                items.map(Object::Array)
            }
            _ => None,
        }
    };
    let mut fixes = Vec::new();
    for (&id, obj) in &doc.objects {
        let Object::Stream(stream) = obj else { continue };
        for key in [&b"Filter"[..], b"DecodeParms"] {
            if let Some(value) = stream.dict.get(key).ok().and_then(|o| resolve(doc, o)) {
                fixes.push((id, key, value));
            }
        }
    }
    for (id, key, value) in fixes {
        if let Some(Object::Stream(stream)) = doc.objects.get_mut(&id) {
            stream.dict.set(key, value);
        }
    }
}

/// True when the encryption dictionary (V 4 or 5) applies the identity filter to streams and
/// strings, so that only embedded files are encrypted.
fn clear_text_encryption(doc: &lopdf::Document) -> bool {
    let Ok(enc) = doc.get_encrypted() else { return false };
    let identity = |key: &[u8]| match enc.get(key) {
        Err(_) => true,
        Ok(o) => o.as_name().is_ok_and(|n| n == b"Identity"),
    };
    enc.get(b"V").and_then(lopdf::Object::as_i64).unwrap_or(0) >= 4
        && identity(b"StmF")
        && identity(b"StrF")
}

/// The file with every `/Encrypt` key renamed (same length, so offsets hold), which makes a reader
/// take it as unencrypted. `/EncryptMetadata` and other longer names are left alone.
fn without_encrypt_entry(bytes: &[u8]) -> Vec<u8> {
    const KEY: &[u8] = b"/Encrypt";
    let mut out = bytes.to_vec();
    let mut i = 0;
    while let Some(pos) = out[i..].windows(KEY.len()).position(|w| w == KEY) {
        let at = i + pos;
        let next = out.get(at + KEY.len()).copied().unwrap_or(b' ');
        if next.is_ascii_whitespace() || b"()<>[]{}/%".contains(&next) {
            out[at + 5] = b'x';
        }
        i = at + KEY.len();
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_spacing_is_poor_spacing_but_lone_letters_in_citations_are_not() {
        let spaced = "T h e s e w o r d s a r e l e t t e r s p a c e d by the extractor here";
        assert!(!well_spaced(spaced));
        let citations = "BGBl. I S. 12, Nr. 3 a) und b) S. 4; BGBl. I S. 5, geändert durch Art. 2 \
                         des Gesetzes vom 1. Mai 2020 (BGBl. I S. 7) c) d) S. 8 e) S. 9 f) S. 10";
        assert!(well_spaced(citations));
        let glued = "a dozen ordinary words come first, ".to_string()
            + &"gluedwords".repeat(5)
            + " and then a few more words here";
        assert!(!well_spaced(&glued));
    }

    /// A one-page PDF saying `text`, its content stream compressed, with `tweak` applied before
    /// saving.
    fn pdf_with(text: &str, tweak: impl FnOnce(&mut lopdf::Document, lopdf::ObjectId)) -> Vec<u8> {
        use lopdf::content::{Content, Operation};
        use lopdf::{Object, Stream, dictionary};
        let font =
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![72.into(), 700.into()]),
        ];
        for line in text.lines() {
            operations.push(Operation::new("Tj", vec![Object::string_literal(line)]));
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let mut stream = Stream::new(dictionary! {}, Content { operations }.encode().unwrap());
        stream.compress().unwrap();
        assert!(stream.dict.has(b"Filter"), "the content stream is compressed");
        let (mut doc, content_id) = crate::extract::test_pdf::one_page(font, stream);
        tweak(&mut doc, content_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// A page of text that compresses well.
    const SENTENCE: &str =
        "States should protect against human rights abuse by business enterprises
States should protect against human rights abuse by business enterprises
States should protect against human rights abuse by business enterprises
States should protect against human rights abuse by business enterprises";

    #[test]
    fn indirect_stream_filters_are_resolved() {
        use lopdf::Object;
        let flate = || Object::Name(b"FlateDecode".to_vec());
        // `/Filter 6 0 R` pointing to a name, and to an array of names (pdfminer issue 1062).
        for target in [flate(), Object::Array(vec![flate()])] {
            let bytes = pdf_with(SENTENCE, |doc, content| {
                let filter = doc.add_object(target.clone());
                let stream = doc.get_object_mut(content).unwrap().as_stream_mut().unwrap();
                stream.dict.set("Filter", filter);
            });
            let (doc, undecrypted) = load_lopdf(&bytes).unwrap();
            assert!(undecrypted.is_none());
            assert_eq!(LopdfText::new(&doc).page_text(0).unwrap().trim(), SENTENCE);
            assert_eq!(extract_pdf(&bytes).unwrap().pages[0].text, SENTENCE);
        }
    }

    #[test]
    fn encryption_of_embedded_files_only_does_not_hide_the_pages() {
        let bytes = pdf_with(SENTENCE, |doc, _| {
            use lopdf::{Object, StringFormat, dictionary};
            let garbage = || Object::String(vec![7; 48], StringFormat::Hexadecimal);
            let enc = doc.add_object(dictionary! {
                "Filter" => "Standard", "V" => 5, "R" => 6, "Length" => 256, "P" => -1028,
                "CF" => dictionary! { "StdCF" => dictionary! {
                    "AuthEvent" => "EFOpen", "CFM" => "AESV3", "Length" => 32 } },
                "EFF" => "StdCF", "StmF" => "Identity", "StrF" => "Identity",
                "O" => garbage(), "U" => garbage(),
                "OE" => Object::String(vec![7; 32], StringFormat::Hexadecimal),
                "UE" => Object::String(vec![7; 32], StringFormat::Hexadecimal),
                "Perms" => Object::String(vec![7; 16], StringFormat::Hexadecimal),
            });
            doc.trailer.set("Encrypt", enc);
        });
        let x = extract_pdf(&bytes).unwrap();
        assert_eq!(x.pages[0].text, SENTENCE);
    }

    #[test]
    fn only_the_encrypt_key_is_renamed() {
        let pdf = b"<</Encrypt 5 0 R/Root 1 0 R>> <</EncryptMetadata false/Encrypt<<>>>>";
        let out = without_encrypt_entry(pdf);
        assert_eq!(out.len(), pdf.len());
        assert_eq!(
            &out[..],
            b"<</Encrxpt 5 0 R/Root 1 0 R>> <</EncryptMetadata false/Encrxpt<<>>>>"
        );
    }

    #[test]
    fn agreement_is_token_f1() {
        assert_eq!(agreement("a b c d", "d c b a"), 1.0);
        assert_eq!(agreement("a b", "c d"), 0.0);
        assert!((agreement("a b c d", "a b c e") - 0.75).abs() < 1e-9);
    }
}
