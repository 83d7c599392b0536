//! Coverage matrices: per document and per country, per concept, from the evidence of a run.
//! The pure part ([`DocCoverage`], [`country_rows`]) is map-then-merge, like a tantivy collector;
//! the writers put the long (tidy) and wide tables into `--out` atomically. Documents that failed,
//! or whose language no lexicon covers, keep their row with a status, never silently dropped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::assess::{DocRecord, Status};
use crate::error::Error;
use crate::flag::Evidence;
use crate::output::{write_records, write_table};

/// Counts for one concept in one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Count {
    /// Hits.
    pub hits: usize,
    /// Distinct pages with hits.
    pub pages: BTreeSet<u32>,
}

/// Per-concept counts of one document; a parent concept also counts its sub-concepts' hits.
#[derive(Debug, Clone, Default)]
pub struct DocCoverage {
    /// Concept id → counts.
    pub counts: BTreeMap<String, Count>,
}

impl DocCoverage {
    /// Counts the evidence of one document.
    pub fn from_evidence(evidence: &[Evidence]) -> DocCoverage {
        let mut cov = DocCoverage::default();
        for e in evidence {
            for id in std::iter::once(&e.concept).chain((!e.parent.is_empty()).then_some(&e.parent))
            {
                let c = cov.counts.entry(id.clone()).or_default();
                c.hits += 1;
                c.pages.insert(e.page);
            }
        }
        cov
    }
}

/// The analysis status of a document for coverage tables.
pub(crate) fn analysis_status(rec: &DocRecord, covered: bool) -> &'static str {
    match rec.status {
        Status::Failed => "failed",
        Status::NeedsOcr => "needs_ocr",
        Status::NoLexicon => "no_lexicon",
        _ if !covered => "no_lexicon",
        Status::Partial => "partial",
        Status::Ok => "ok",
    }
}

fn analysed(status: &str) -> bool {
    matches!(status, "ok" | "partial")
}

/// Columns of `coverage_by_document.csv`.
pub(crate) const DOC_HEADER: &[&str] = &[
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
/// Columns of `coverage_by_country.csv`.
pub(crate) const COUNTRY_HEADER: &[&str] = &[
    "country",
    "concept",
    "documents",
    "documents_with_concept",
    "hits",
    "per_10k_words",
    "present",
];
/// Columns of `smart_mix_by_document.csv`.
pub(crate) const MIX_HEADER: &[&str] = &[
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
/// Columns of `smart_mix_by_country.csv`.
pub(crate) const MIX_COUNTRY_HEADER: &[&str] =
    &["country", "concept", "documents", "mandatory", "voluntary", "none", "mandatory_share"];

#[derive(serde::Serialize)]
struct DocRow<'a> {
    doc_id: &'a str,
    country: &'a str,
    year: u16,
    doc_type: &'a str,
    lang: &'a str,
    concept: &'a str,
    hits: String,
    pages_with_hits: String,
    per_10k_words: String,
    present: String,
    first_page: String,
    status: &'a str,
}

#[derive(serde::Serialize)]
struct CountryRow<'a> {
    country: &'a str,
    concept: &'a str,
    documents: usize,
    documents_with_concept: usize,
    hits: usize,
    per_10k_words: String,
    present: bool,
}

fn rate(hits: usize, words: usize) -> String {
    if words == 0 { String::new() } else { format!("{:.3}", hits as f64 * 10_000.0 / words as f64) }
}

/// One document's inputs to the coverage tables.
pub(crate) struct DocInput<'a> {
    /// Its record from documents.csv.
    pub record: &'a DocRecord,
    /// True when a lexicon covers its language.
    pub covered: bool,
    /// Its counts.
    pub coverage: &'a DocCoverage,
}

/// Writes `coverage_by_document.csv`, `coverage_by_country.csv`, `matrix_by_document.csv` and
/// `matrix_by_country.csv` into `out`.
pub(crate) fn write(out: &Path, concepts: &[String], docs: &[DocInput<'_>]) -> Result<(), Error> {
    let mut long = Vec::new();
    let mut wide = Vec::new();
    for d in docs {
        let m = &d.record.meta;
        let status = analysis_status(d.record, d.covered);
        let mut row = vec![
            m.doc_id.clone(),
            m.country.clone(),
            m.year.to_string(),
            m.doc_type.clone(),
            m.lang.clone(),
            status.into(),
            d.record.words.to_string(),
        ];
        for c in concepts {
            let count = d.coverage.counts.get(c);
            let hits = count.map_or(0, |c| c.hits);
            let ok = analysed(status);
            long.push(DocRow {
                doc_id: &m.doc_id,
                country: &m.country,
                year: m.year,
                doc_type: &m.doc_type,
                lang: &m.lang,
                concept: c,
                hits: if ok { hits.to_string() } else { String::new() },
                pages_with_hits: if ok {
                    count.map_or(0, |c| c.pages.len()).to_string()
                } else {
                    String::new()
                },
                per_10k_words: if ok { rate(hits, d.record.words) } else { String::new() },
                present: if ok { (hits > 0).to_string() } else { String::new() },
                first_page: count
                    .and_then(|c| c.pages.first())
                    .map(u32::to_string)
                    .unwrap_or_default(),
                status,
            });
            row.push(if ok { hits.to_string() } else { String::new() });
        }
        wide.push(row);
    }
    write_table(&out.join("coverage_by_document.csv"), DOC_HEADER, long)?;
    let mut header: Vec<String> =
        ["doc_id", "country", "year", "doc_type", "lang", "status", "words"]
            .map(String::from)
            .to_vec();
    header.extend(concepts.iter().cloned());
    write_records(&out.join("matrix_by_document.csv"), &header, &wide)?;
    write_countries(out, concepts, docs)
}

#[derive(serde::Serialize)]
struct MixRow<'a> {
    doc_id: &'a str,
    country: &'a str,
    year: u16,
    doc_type: &'a str,
    lang: &'a str,
    concept: &'a str,
    mandatory: usize,
    voluntary: usize,
    none: usize,
    mandatory_share: String,
}

#[derive(serde::Serialize)]
struct MixCountryRow<'a> {
    country: &'a str,
    concept: &'a str,
    documents: usize,
    mandatory: usize,
    voluntary: usize,
    none: usize,
    mandatory_share: String,
}

/// A country's smart-mix counts for one concept, and the documents that contribute.
type CountryMix<'a> = ([usize; 3], BTreeSet<&'a str>);

/// Distinct evidence sentences per concept and commitment label: (mandatory, voluntary, none).
fn mix_counts(evidence: &[Evidence]) -> BTreeMap<String, [usize; 3]> {
    let mut seen: BTreeSet<(String, u32, String)> = BTreeSet::new();
    let mut out: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for e in evidence {
        let idx = match e.commitment.as_str() {
            "mandatory" => 0,
            "voluntary" => 1,
            _ => 2,
        };
        for id in std::iter::once(&e.concept).chain((!e.parent.is_empty()).then_some(&e.parent)) {
            if seen.insert((id.clone(), e.page, e.sentence.clone())) {
                out.entry(id.clone()).or_default()[idx] += 1;
            }
        }
    }
    out
}

/// Share of mandatory among the measures (mandatory + voluntary); empty when there is none.
fn share(m: usize, v: usize) -> String {
    if m + v == 0 { String::new() } else { format!("{:.3}", m as f64 / (m + v) as f64) }
}

/// Writes `smart_mix_by_document.csv` and `smart_mix_by_country.csv`: per concept, the number of
/// distinct evidence sentences that are mandatory, voluntary and none, and the mandatory share.
pub(crate) fn write_smart_mix<'e>(
    out: &Path,
    concepts: &[String],
    docs: &[DocInput<'_>],
    evidence: impl Iterator<Item = &'e [Evidence]>,
) -> Result<(), Error> {
    let per_doc: Vec<BTreeMap<String, [usize; 3]>> = evidence.map(mix_counts).collect();
    let mut rows = Vec::new();
    let mut by_country: BTreeMap<(&str, &str), CountryMix<'_>> = BTreeMap::new();
    for (d, counts) in docs.iter().zip(&per_doc) {
        let m = &d.record.meta;
        if !analysed(analysis_status(d.record, d.covered)) {
            continue;
        }
        for c in concepts {
            let [a, b, n] = counts.get(c).copied().unwrap_or_default();
            rows.push(MixRow {
                doc_id: &m.doc_id,
                country: &m.country,
                year: m.year,
                doc_type: &m.doc_type,
                lang: &m.lang,
                concept: c,
                mandatory: a,
                voluntary: b,
                none: n,
                mandatory_share: share(a, b),
            });
            let e = by_country.entry((&m.country, c)).or_default();
            e.0[0] += a;
            e.0[1] += b;
            e.0[2] += n;
            if a + b + n > 0 {
                e.1.insert(&m.doc_id);
            }
        }
    }
    write_table(&out.join("smart_mix_by_document.csv"), MIX_HEADER, rows)?;
    let rows = by_country.iter().map(|((country, concept), ([a, b, n], docs))| MixCountryRow {
        country,
        concept,
        documents: docs.len(),
        mandatory: *a,
        voluntary: *b,
        none: *n,
        mandatory_share: share(*a, *b),
    });
    write_table(&out.join("smart_mix_by_country.csv"), MIX_COUNTRY_HEADER, rows)
}

fn write_countries(out: &Path, concepts: &[String], docs: &[DocInput<'_>]) -> Result<(), Error> {
    let mut by_country: BTreeMap<&str, Vec<&DocInput<'_>>> = BTreeMap::new();
    for d in docs {
        by_country.entry(&d.record.meta.country).or_default().push(d);
    }
    let mut long = Vec::new();
    let mut wide = Vec::new();
    for (country, ds) in &by_country {
        let analysed_docs: Vec<_> =
            ds.iter().filter(|d| analysed(analysis_status(d.record, d.covered))).collect();
        let words: usize = analysed_docs.iter().map(|d| d.record.words).sum();
        let mut row = vec![
            country.to_string(),
            ds.len().to_string(),
            analysed_docs.len().to_string(),
            words.to_string(),
        ];
        for c in concepts {
            let hits: usize =
                analysed_docs.iter().map(|d| d.coverage.counts.get(c).map_or(0, |x| x.hits)).sum();
            let with = analysed_docs
                .iter()
                .filter(|d| d.coverage.counts.get(c).is_some_and(|x| x.hits > 0))
                .count();
            long.push(CountryRow {
                country,
                concept: c,
                documents: analysed_docs.len(),
                documents_with_concept: with,
                hits,
                per_10k_words: rate(hits, words),
                present: with > 0,
            });
            row.push(hits.to_string());
        }
        wide.push(row);
    }
    write_table(&out.join("coverage_by_country.csv"), COUNTRY_HEADER, long)?;
    let mut header: Vec<String> =
        ["country", "documents", "documents_analysed", "words"].map(String::from).to_vec();
    header.extend(concepts.iter().cloned());
    write_records(&out.join("matrix_by_country.csv"), &header, &wide)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::header_of;

    #[test]
    fn headers_match_the_row_types() {
        let d = DocRow {
            doc_id: "",
            country: "",
            year: 0,
            doc_type: "",
            lang: "",
            concept: "",
            hits: String::new(),
            pages_with_hits: String::new(),
            per_10k_words: String::new(),
            present: String::new(),
            first_page: String::new(),
            status: "",
        };
        assert_eq!(header_of(&d), DOC_HEADER);
        let c = CountryRow {
            country: "",
            concept: "",
            documents: 0,
            documents_with_concept: 0,
            hits: 0,
            per_10k_words: String::new(),
            present: false,
        };
        assert_eq!(header_of(&c), COUNTRY_HEADER);
        let m = MixRow {
            doc_id: "",
            country: "",
            year: 0,
            doc_type: "",
            lang: "",
            concept: "",
            mandatory: 0,
            voluntary: 0,
            none: 0,
            mandatory_share: String::new(),
        };
        assert_eq!(header_of(&m), MIX_HEADER);
        let mc = MixCountryRow {
            country: "",
            concept: "",
            documents: 0,
            mandatory: 0,
            voluntary: 0,
            none: 0,
            mandatory_share: String::new(),
        };
        assert_eq!(header_of(&mc), MIX_COUNTRY_HEADER);
    }
}
