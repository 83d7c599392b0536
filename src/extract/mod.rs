//! Extraction: turns one source file (PDF, plain text, Markdown, HTML) into normalised page texts.
//! This module is the in-process part; `worker` runs PDFs through it in child processes.

pub mod labels;
pub mod lanes;
pub mod lopdf_text;
pub mod normalize;
pub mod pdf;
mod resegment;
pub mod text;
pub mod words;

pub use words::count_words;

use std::path::Path;

use crate::error::Stage;

/// One page of extracted text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// 1-based physical page number.
    pub number: u32,
    /// Printed page label (`iv`, `12`, `A-1`); the physical number when the file defines none.
    pub label: String,
    /// Normalised text.
    pub text: String,
    /// True when the page carries an image but (almost) no text layer.
    pub needs_ocr: bool,
    /// Which extractor produced the text (empty when the page failed; `tesseract` for OCR).
    pub extractor: String,
    /// The mean word confidence (0 to 100) when the text comes from OCR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<f32>,
}

/// The extracted pages of one document.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Extracted {
    /// Every page, in order, including failed ones (with empty text).
    pub pages: Vec<Page>,
    /// Pages that no extractor could read: (page number, reason).
    pub page_failures: Vec<(u32, String)>,
    /// Pages whose OCR failed: (page number, reason). Filled in by the pipeline, never cached
    /// with the extraction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr_failures: Vec<(u32, String)>,
    /// Why OCR could not run at all for this document (Tesseract or a language pack missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_unavailable: Option<String>,
    /// The extractors used, joined by `+`.
    pub extractor: String,
}

impl Extracted {
    /// Number of words (whitespace-separated tokens with a letter or digit).
    pub fn words(&self) -> usize {
        self.pages.iter().map(|p| count_words(&p.text)).sum()
    }
}

/// The kind of input file, decided by extension (and, for PDFs, by content).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A PDF.
    Pdf,
    /// Plain text.
    Text,
    /// Markdown: split at its section headings, markup stripped.
    Markdown,
    /// HTML.
    Html,
}

/// Guesses the kind of a file from its extension and first bytes.
pub fn kind_of(path: &Path, head: &[u8]) -> Kind {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Kind::Pdf,
        "html" | "htm" | "xhtml" => Kind::Html,
        "md" | "markdown" => Kind::Markdown,
        "txt" | "text" => Kind::Text,
        _ if head.starts_with(b"%PDF") => Kind::Pdf,
        _ if head.trim_ascii_start().starts_with(b"<") => Kind::Html,
        _ => Kind::Text,
    }
}

/// Extracts a text or HTML file in-process (cheap and safe; PDFs go through workers).
pub fn extract_text_file(kind: Kind, bytes: &[u8]) -> Result<Extracted, (Stage, String)> {
    // Validating UTF-8 has a fast path that the lossy conversion lacks; most files are valid.
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let pages = match kind {
        Kind::Html => text::html_pages(&text),
        Kind::Markdown => text::markdown_pages(&text),
        _ => text::text_pages(&text),
    };
    Ok(Extracted { pages, extractor: "text".into(), ..Extracted::default() })
}

/// Version of the text-file extractor; part of the cache key.
pub const TEXT_EXTRACTOR_VERSION: &str = "napscan-text-2";

/// One-page PDFs built in memory, for the extractors' unit tests.
/// Runs `f`, turning a panic into an error message: every extractor (PDF pages in the workers,
/// text and HTML in the parent) and the flagging of a document run under it.
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
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

#[cfg(test)]
pub(crate) mod test_pdf {
    use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

    /// A document with one page whose content is `content` and whose font F1 is `font`; returns
    /// it with the content stream's id.
    pub(crate) fn one_page(font: Dictionary, content: Stream) -> (Document, ObjectId) {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(font);
        let content_id = doc.add_object(content);
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        (doc, content_id)
    }
}
