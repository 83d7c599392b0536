//! Coverage matrices as values: per document and per country, per concept, from the evidence of
//! a run. Map-then-merge, like a tantivy collector: [`DocCoverage`] counts one document, [`tables`]
//! merges every document into the long (tidy) and wide tables and the smart-mix counts, as the row
//! types of [`crate::rows`]. Writing them is `report`'s. Documents that failed, or whose language
//! no lexicon covers, keep their row with a status, never silently dropped.

use std::collections::{BTreeMap, BTreeSet};

use crate::assess::{DocRecord, Status};
use crate::flag::Evidence;
use crate::rows::{CountryCoverageRow, DocCoverageRow, MixCountryRow, MixRow, Wide};

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

/// The analysis status of a document for coverage tables: its status, or `no_lexicon` when it
/// was read but no lexicon covers its language.
fn analysis_status(rec: &DocRecord, covered: bool) -> Status {
    match rec.status {
        Status::Ok | Status::Partial if !covered => Status::NoLexicon,
        s => s,
    }
}

fn analysed(status: Status) -> bool {
    matches!(status, Status::Ok | Status::Partial)
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
    /// Its evidence (for the smart-mix counts).
    pub evidence: &'a [Evidence],
}

/// Every coverage and smart-mix table of a run, one field per output file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    /// `coverage_by_document.csv`: one row per document and concept, in manifest order.
    pub by_document: Vec<DocCoverageRow>,
    /// `coverage_by_country.csv`: one row per country and concept.
    pub by_country: Vec<CountryCoverageRow>,
    /// `matrix_by_document.csv`: hits, one column per concept.
    pub matrix_by_document: Wide,
    /// `matrix_by_country.csv`: hits, one column per concept.
    pub matrix_by_country: Wide,
    /// `smart_mix_by_document.csv`: analysed documents only.
    pub mix_by_document: Vec<MixRow>,
    /// `smart_mix_by_country.csv`.
    pub mix_by_country: Vec<MixCountryRow>,
}

/// Builds every table from the documents of a run, with one column or row per concept of
/// `concepts` (in that order).
pub(crate) fn tables(concepts: &[String], docs: &[DocInput<'_>]) -> Tables {
    // Three independent passes over the documents (the 6,119 laws make 150,000 rows each).
    let ((by_document, matrix_by_document), ((by_country, matrix_by_country), mix)) = rayon::join(
        || documents(concepts, docs),
        || rayon::join(|| countries(concepts, docs), || smart_mix(concepts, docs)),
    );
    let (mix_by_document, mix_by_country) = mix;
    Tables {
        by_document,
        by_country,
        matrix_by_document,
        matrix_by_country,
        mix_by_document,
        mix_by_country,
    }
}

fn documents(concepts: &[String], docs: &[DocInput<'_>]) -> (Vec<DocCoverageRow>, Wide) {
    let mut long = Vec::new();
    let mut wide = Wide {
        header: ["doc_id", "country", "year", "doc_type", "lang", "status", "words"]
            .into_iter()
            .map(String::from)
            .chain(concepts.iter().cloned())
            .collect(),
        rows: Vec::new(),
    };
    for d in docs {
        let m = &d.record.meta;
        let status = analysis_status(d.record, d.covered);
        let ok = analysed(status);
        let mut row = vec![
            m.doc_id.clone(),
            m.country.clone(),
            m.year.to_string(),
            m.doc_type.clone(),
            m.lang.clone(),
            status.as_str().into(),
            d.record.words.to_string(),
        ];
        for c in concepts {
            let count = d.coverage.counts.get(c);
            let hits = count.map_or(0, |c| c.hits);
            long.push(DocCoverageRow {
                doc_id: m.doc_id.clone(),
                country: m.country.clone(),
                year: m.year,
                doc_type: m.doc_type.clone(),
                lang: m.lang.clone(),
                concept: c.clone(),
                hits: ok.then_some(hits),
                pages_with_hits: ok.then(|| count.map_or(0, |c| c.pages.len())),
                per_10k_words: if ok { rate(hits, d.record.words) } else { String::new() },
                present: ok.then_some(hits > 0),
                first_page: count.and_then(|c| c.pages.first().copied()),
                status,
            });
            row.push(if ok { hits.to_string() } else { String::new() });
        }
        wide.rows.push(row);
    }
    (long, wide)
}

fn countries(concepts: &[String], docs: &[DocInput<'_>]) -> (Vec<CountryCoverageRow>, Wide) {
    let mut by_country: BTreeMap<&str, Vec<&DocInput<'_>>> = BTreeMap::new();
    for d in docs {
        by_country.entry(&d.record.meta.country).or_default().push(d);
    }
    let mut long = Vec::new();
    let mut wide = Wide {
        header: ["country", "documents", "documents_analysed", "words"]
            .into_iter()
            .map(String::from)
            .chain(concepts.iter().cloned())
            .collect(),
        rows: Vec::new(),
    };
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
            long.push(CountryCoverageRow {
                country: country.to_string(),
                concept: c.clone(),
                documents: analysed_docs.len(),
                documents_with_concept: with,
                hits,
                per_10k_words: rate(hits, words),
                present: with > 0,
            });
            row.push(hits.to_string());
        }
        wide.rows.push(row);
    }
    (long, wide)
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

/// The smart-mix tables: per concept, the number of distinct evidence sentences that are
/// mandatory, voluntary and none, and the mandatory share.
fn smart_mix(concepts: &[String], docs: &[DocInput<'_>]) -> (Vec<MixRow>, Vec<MixCountryRow>) {
    let mut rows = Vec::new();
    let mut by_country: BTreeMap<(&str, &str), CountryMix<'_>> = BTreeMap::new();
    for d in docs {
        let m = &d.record.meta;
        if !analysed(analysis_status(d.record, d.covered)) {
            continue;
        }
        let counts = mix_counts(d.evidence);
        for c in concepts {
            let [a, b, n] = counts.get(c).copied().unwrap_or_default();
            rows.push(MixRow {
                doc_id: m.doc_id.clone(),
                country: m.country.clone(),
                year: m.year,
                doc_type: m.doc_type.clone(),
                lang: m.lang.clone(),
                concept: c.clone(),
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
    let by_country = by_country
        .into_iter()
        .map(|((country, concept), ([a, b, n], docs))| MixCountryRow {
            country: country.into(),
            concept: concept.into(),
            documents: docs.len(),
            mandatory: a,
            voluntary: b,
            none: n,
            mandatory_share: share(a, b),
        })
        .collect();
    (rows, by_country)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::DocMeta;

    fn record(id: &str, country: &str, status: Status, words: usize) -> DocRecord {
        DocRecord {
            meta: DocMeta {
                doc_id: id.into(),
                country: country.into(),
                year: 2020,
                doc_type: "law".into(),
                lang: "en".into(),
                ..DocMeta::default()
            },
            sha256: String::new(),
            pages: 2,
            pages_needing_ocr: 0,
            ocr_confidence: Vec::new(),
            words,
            status,
            extractor: "text".into(),
            message: String::new(),
        }
    }

    fn hit(concept: &str, parent: &str, page: u32, sentence: &str, label: &str) -> Evidence {
        Evidence {
            concept: concept.into(),
            parent: parent.into(),
            page,
            sentence: sentence.into(),
            commitment: label.into(),
            ..Evidence::default()
        }
    }

    /// Counts roll up to the parent, a failed document keeps blank rows and stays out of its
    /// country's figures, and the same sentence counts once in the smart mix.
    #[test]
    fn tables_merge_documents_and_keep_failed_ones_blank() {
        let concepts = ["hrdd".to_string(), "hria".to_string()];
        let ok = record("a", "DEU", Status::Ok, 5_000);
        let failed = record("b", "DEU", Status::Failed, 0);
        let ev = vec![
            hit("hria", "hrdd", 2, "Impact assessments shall be made.", "mandatory"),
            hit("hria", "hrdd", 2, "Impact assessments shall be made.", "mandatory"),
            hit("hrdd", "", 1, "Firms should exercise due diligence.", "voluntary"),
        ];
        let cov_a = DocCoverage::from_evidence(&ev);
        let cov_b = DocCoverage::default();
        let docs = [
            DocInput { record: &ok, covered: true, coverage: &cov_a, evidence: &ev },
            DocInput { record: &failed, covered: true, coverage: &cov_b, evidence: &[] },
        ];
        let t = tables(&concepts, &docs);

        let a = &t.by_document[0];
        assert_eq!((a.concept.as_str(), a.hits, a.pages_with_hits), ("hrdd", Some(3), Some(2)));
        assert_eq!((a.per_10k_words.as_str(), a.first_page), ("6.000", Some(1)));
        let b = &t.by_document[2];
        assert_eq!((b.doc_id.as_str(), b.hits, b.present), ("b", None, None));
        assert_eq!(b.status, Status::Failed);
        assert_eq!(t.matrix_by_document.rows[1][7..], [String::new(), String::new()]);

        let deu = &t.by_country[0];
        assert_eq!((deu.documents, deu.documents_with_concept, deu.hits), (1, 1, 3));
        assert_eq!(t.matrix_by_country.rows, vec![vec!["DEU", "2", "1", "5000", "3", "2"]]);

        // Only the analysed document has smart-mix rows; the repeated sentence counts once.
        assert_eq!(t.mix_by_document.len(), 2);
        let m = &t.mix_by_document[0];
        assert_eq!((m.mandatory, m.voluntary, m.mandatory_share.as_str()), (1, 1, "0.500"));
        let mc = &t.mix_by_country[1];
        assert_eq!((mc.concept.as_str(), mc.documents, mc.mandatory), ("hria", 1, 1));
    }
}
