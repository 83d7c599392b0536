//! The one content key: what a document's extraction, analysis and index entry depend on. The
//! extraction cache, the analysis cache and the search index all derive their keys from a
//! [`ContentKey`], so that a change to any input (file, manifest row, lexicon, rules, extractor,
//! OCR engine, schema) reaches every stored result it affects, and nothing else does.

use crate::extract::Kind;
use crate::flag::Flagger;
use crate::manifest::DocMeta;

/// Bump when the index schema or the analyzer changes: the index is rebuilt.
pub const SCHEMA_VERSION: u32 = 5;

/// Bump when the analysis of a document (its record, failures or evidence) changes.
pub(crate) const ANALYSIS_VERSION: u32 = 5;

/// What one document's stored results depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentKey {
    /// SHA-256 of the file.
    pub sha: String,
    /// The extractor version for the file's kind.
    pub extractor: &'static str,
    /// Hash of every manifest field that reaches an output (country, year, type, language, title,
    /// path): a corrected manifest row must reach the index and the CSVs alike.
    meta: String,
    /// The OCR mode, resolution and engine (PDFs only; empty for text files).
    ocr: String,
    /// The lexicons' and commitment rules' hashes.
    lexicon: String,
}

impl ContentKey {
    /// The key of a document: its file hash and kind, manifest row, OCR settings and lexicons
    /// (see [`lexicon_key`]).
    pub fn new(sha: &str, kind: Kind, meta: &DocMeta, ocr: &str, lexicon: &str) -> ContentKey {
        let extractor = extractor_version(kind);
        let m = meta;
        let row =
            [m.country.as_str(), &m.year.to_string(), &m.doc_type, &m.lang, &m.title, &m.path]
                .join("\u{1f}");
        let meta = crate::cache::sha256_bytes(row.as_bytes())[..16].to_string();
        let ocr = if kind == Kind::Pdf { format!(";{ocr}") } else { String::new() };
        ContentKey { sha: sha.to_string(), extractor, meta, ocr, lexicon: lexicon.to_string() }
    }

    /// The extracted text depends on the file and the extractor only.
    pub fn extraction(&self) -> (&str, &str) {
        (&self.sha, self.extractor)
    }

    fn content(&self) -> String {
        format!("{};{};{}{}", self.sha, self.extractor, self.meta, self.ocr)
    }

    /// The analysis cache's key.
    pub fn analysis(&self) -> String {
        format!("{};analysis-{ANALYSIS_VERSION};{}", self.content(), self.lexicon)
    }

    /// The index's key: a document is re-indexed when it changes.
    pub fn index(&self) -> String {
        format!("{}:{}:{}", self.content(), self.lexicon, SCHEMA_VERSION)
    }
}

/// The extractor version of a kind of file.
pub(crate) fn extractor_version(kind: Kind) -> &'static str {
    if kind == Kind::Pdf {
        crate::extract::pdf::EXTRACTOR_VERSION
    } else {
        crate::extract::TEXT_EXTRACTOR_VERSION
    }
}

/// The lexicons' and commitment rules' part of every key.
pub(crate) fn lexicon_key(flagger: &Flagger) -> String {
    let mut parts: Vec<&str> = flagger.lexicons().iter().map(|l| &l.hash[..12]).collect();
    parts.push(&flagger.classifier().hash[..12]);
    parts.join("+")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> DocMeta {
        DocMeta {
            doc_id: "d".into(),
            path: "d.pdf".into(),
            country: "GBR".into(),
            year: 2017,
            doc_type: "nap".into(),
            lang: "en".into(),
            title: "Plan".into(),
            source: String::new(),
        }
    }

    #[test]
    fn every_input_changes_the_stored_keys_and_extraction_only_depends_on_the_file() {
        let base = ContentKey::new("abc", Kind::Pdf, &meta(), "ocr=auto", "lex");
        let moved = ContentKey::new(
            "abc",
            Kind::Pdf,
            &DocMeta { country: "DEU".into(), ..meta() },
            "ocr=auto",
            "lex",
        );
        let relexed = ContentKey::new("abc", Kind::Pdf, &meta(), "ocr=auto", "lex2");
        let reocr = ContentKey::new("abc", Kind::Pdf, &meta(), "ocr=off", "lex");
        let edited = ContentKey::new("abd", Kind::Pdf, &meta(), "ocr=auto", "lex");
        for other in [&moved, &relexed, &reocr, &edited] {
            assert_ne!(base.index(), other.index());
            assert_ne!(base.analysis(), other.analysis());
        }
        assert_eq!(base.extraction(), moved.extraction());
        assert_eq!(base.extraction(), relexed.extraction());
        assert_ne!(base.extraction(), edited.extraction());
        let text = ContentKey::new("abc", Kind::Text, &meta(), "ocr=auto", "lex");
        assert_eq!(text, ContentKey::new("abc", Kind::Text, &meta(), "ocr=off", "lex"));
        assert_ne!(text.extraction(), base.extraction());
    }
}
