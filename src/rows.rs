//! The row types of napscan's CSV outputs, one per file, with each file's columns: the writers
//! (`report`, `coverage`) serialise them and the web app and the HTML report deserialise the same
//! types, so a column cannot be renamed on one side only. (`evidence.csv` rows are
//! `flag::Evidence`.) Numbers that a document without analysis leaves blank are
//! `Option`s (an empty cell); rates and shares are kept as the text the CSV holds (three decimals).

use crate::assess::Status;

/// A row of `documents.csv`: one per manifest row.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocumentRow {
    /// Document id.
    pub doc_id: String,
    /// Country (ISO 3166-1 alpha-3).
    pub country: String,
    /// Year.
    pub year: u16,
    /// Document type.
    pub doc_type: String,
    /// Language.
    pub lang: String,
    /// Title.
    pub title: String,
    /// Path in the manifest.
    pub path: String,
    /// SHA-256 of the file (empty when unreadable).
    pub sha256: String,
    /// Physical pages.
    pub pages: usize,
    /// Pages that need OCR and did not get it.
    pub pages_needing_ocr: usize,
    /// Pages read by OCR.
    pub ocr_pages: usize,
    /// Words extracted.
    pub words: usize,
    /// Outcome.
    pub status: Status,
    /// Extractors used.
    pub extractor: String,
    /// Why the status is not `ok`.
    pub message: String,
}

/// Columns of `documents.csv`.
pub const DOCUMENTS_HEADER: &[&str] = &[
    "doc_id",
    "country",
    "year",
    "doc_type",
    "lang",
    "title",
    "path",
    "sha256",
    "pages",
    "pages_needing_ocr",
    "ocr_pages",
    "words",
    "status",
    "extractor",
    "message",
];

/// A row of `failures.csv`: one per failed document, page or stage.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FailureRow {
    /// Document id.
    pub doc_id: String,
    /// Its file, as the manifest gives it.
    pub path: String,
    /// The page, when the failure is a page's.
    pub page: Option<u32>,
    /// The stage that failed (`read`, `extract`, `ocr`, ...).
    pub stage: String,
    /// Why.
    pub reason: String,
}

/// Columns of `failures.csv`.
pub const FAILURES_HEADER: &[&str] = &["doc_id", "path", "page", "stage", "reason"];

/// A row of `coverage_by_document.csv`: one per document and concept. The counts are empty when
/// the document was not analysed (see `status`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DocCoverageRow {
    /// Document id.
    pub doc_id: String,
    /// Country.
    pub country: String,
    /// Year.
    pub year: u16,
    /// Document type.
    pub doc_type: String,
    /// Language.
    pub lang: String,
    /// Concept id.
    pub concept: String,
    /// Hits (a parent concept counts its sub-concepts' hits).
    pub hits: Option<usize>,
    /// Distinct pages with hits.
    pub pages_with_hits: Option<usize>,
    /// Hits per 10,000 words (empty when the document has no words).
    pub per_10k_words: String,
    /// Whether the concept has a hit.
    pub present: Option<bool>,
    /// The first page with a hit.
    pub first_page: Option<u32>,
    /// The document's status, `no_lexicon` when no lexicon covers its language.
    pub status: Status,
}

/// Columns of `coverage_by_document.csv`.
pub const DOC_COVERAGE_HEADER: &[&str] = &[
    "doc_id",
    "country",
    "year",
    "doc_type",
    "lang",
    "concept",
    "hits",
    "pages_with_hits",
    "per_10k_words",
    "present",
    "first_page",
    "status",
];

/// A row of `coverage_by_country.csv`: one per country and concept, over its analysed documents.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CountryCoverageRow {
    /// Country.
    pub country: String,
    /// Concept id.
    pub concept: String,
    /// Analysed documents.
    pub documents: usize,
    /// Analysed documents with a hit.
    pub documents_with_concept: usize,
    /// Hits.
    pub hits: usize,
    /// Hits per 10,000 words of the analysed documents.
    pub per_10k_words: String,
    /// Whether any document has a hit.
    pub present: bool,
}

/// Columns of `coverage_by_country.csv`.
pub const COUNTRY_COVERAGE_HEADER: &[&str] = &[
    "country",
    "concept",
    "documents",
    "documents_with_concept",
    "hits",
    "per_10k_words",
    "present",
];

/// A row of `smart_mix_by_document.csv`: distinct evidence sentences of one analysed document and
/// concept, by commitment label.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MixRow {
    /// Document id.
    pub doc_id: String,
    /// Country.
    pub country: String,
    /// Year.
    pub year: u16,
    /// Document type.
    pub doc_type: String,
    /// Language.
    pub lang: String,
    /// Concept id.
    pub concept: String,
    /// Mandatory sentences.
    pub mandatory: usize,
    /// Voluntary sentences.
    pub voluntary: usize,
    /// Sentences with no commitment.
    pub none: usize,
    /// mandatory / (mandatory + voluntary), empty when both are 0.
    pub mandatory_share: String,
}

/// Columns of `smart_mix_by_document.csv`.
pub const MIX_HEADER: &[&str] = &[
    "doc_id",
    "country",
    "year",
    "doc_type",
    "lang",
    "concept",
    "mandatory",
    "voluntary",
    "none",
    "mandatory_share",
];

/// A row of `smart_mix_by_country.csv`: the smart-mix counts of a country's documents.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MixCountryRow {
    /// Country.
    pub country: String,
    /// Concept id.
    pub concept: String,
    /// Documents with at least one sentence for the concept.
    pub documents: usize,
    /// Mandatory sentences.
    pub mandatory: usize,
    /// Voluntary sentences.
    pub voluntary: usize,
    /// Sentences with no commitment.
    pub none: usize,
    /// mandatory / (mandatory + voluntary), empty when both are 0.
    pub mandatory_share: String,
}

/// Columns of `smart_mix_by_country.csv`.
pub const MIX_COUNTRY_HEADER: &[&str] =
    &["country", "concept", "documents", "mandatory", "voluntary", "none", "mandatory_share"];

/// A wide table (`matrix_by_*.csv`): a header and rows of cells, one column per concept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wide {
    /// Column names.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::header_of;

    fn roundtrip<T>(row: &T, header: &[&str])
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        assert_eq!(header_of(row), header);
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(row).unwrap();
        let bytes = w.into_inner().unwrap();
        let back: T = csv::Reader::from_reader(&bytes[..]).deserialize().next().unwrap().unwrap();
        assert_eq!(&back, row);
    }

    /// Every row type writes its file's columns, in order, and reads back as itself (empty
    /// cells included), so the writers and the web app cannot drift apart.
    #[test]
    fn rows_have_their_files_columns_and_read_back() {
        let s = |x: &str| x.to_string();
        roundtrip(
            &DocumentRow {
                doc_id: s("d"),
                country: s("PER"),
                year: 2021,
                doc_type: s("nap"),
                lang: s("es"),
                title: s("Plan, \"2021\""),
                path: s("a.pdf"),
                sha256: s("ab"),
                pages: 3,
                pages_needing_ocr: 1,
                ocr_pages: 0,
                words: 9,
                status: Status::NeedsOcr,
                extractor: s("pdf_oxide"),
                message: String::new(),
            },
            DOCUMENTS_HEADER,
        );
        roundtrip(
            &FailureRow {
                doc_id: s("d"),
                path: s("p"),
                page: None,
                stage: s("read"),
                reason: s("x"),
            },
            FAILURES_HEADER,
        );
        roundtrip(
            &DocCoverageRow {
                doc_id: s("d"),
                country: s("DEU"),
                year: 2019,
                doc_type: s("law"),
                lang: s("de"),
                concept: s("hrdd"),
                hits: None,
                pages_with_hits: Some(0),
                per_10k_words: String::new(),
                present: Some(false),
                first_page: None,
                status: Status::Failed,
            },
            DOC_COVERAGE_HEADER,
        );
        roundtrip(
            &CountryCoverageRow {
                country: s("DEU"),
                concept: s("hrdd"),
                documents: 2,
                documents_with_concept: 1,
                hits: 4,
                per_10k_words: s("1.500"),
                present: true,
            },
            COUNTRY_COVERAGE_HEADER,
        );
        roundtrip(
            &MixRow {
                doc_id: s("d"),
                country: s("FRA"),
                year: 2017,
                doc_type: s("law"),
                lang: s("fr"),
                concept: s("remedy"),
                mandatory: 1,
                voluntary: 0,
                none: 2,
                mandatory_share: s("1.000"),
            },
            MIX_HEADER,
        );
        roundtrip(
            &MixCountryRow {
                country: s("FRA"),
                concept: s("remedy"),
                documents: 1,
                mandatory: 1,
                voluntary: 0,
                none: 2,
                mandatory_share: s("1.000"),
            },
            MIX_COUNTRY_HEADER,
        );
    }
}
