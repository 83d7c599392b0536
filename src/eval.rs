//! Evaluation against hand coding: compares the flags of a run (`evidence.csv`) with page-level
//! gold labels (`pages.csv`: the pages that were read; `labels.csv`: one row per page and concept
//! present) and reports per-concept precision, recall and F1 with micro and macro averages, at page
//! and at document level. Sub-concepts count for their parent, as hand coders label the parent.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::Error;

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Score {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
}

impl Score {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fp) as f64 }
    }
    /// Recall (1 when nothing was to be found).
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fn_) as f64 }
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
    /// Adds another score's counts.
    pub fn add(&mut self, o: Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Scores per concept at one level, with averages.
#[derive(Debug, Clone, Default)]
pub struct LevelReport {
    /// Concept → score.
    pub per_concept: BTreeMap<String, Score>,
    /// Micro average (summed counts).
    pub micro: Score,
    /// Macro-averaged F1 over concepts with gold or predicted positives.
    pub macro_f1: f64,
}

/// Page-level and document-level results.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Page level.
    pub page: LevelReport,
    /// Document level (pages read only).
    pub document: LevelReport,
    /// Page level, micro-averaged per language of the documents.
    pub per_lang: BTreeMap<String, Score>,
    /// Page level, micro-averaged per document type.
    pub per_type: BTreeMap<String, Score>,
    /// Every page and concept the flags got wrong, in page order.
    pub misses: Vec<Miss>,
}

/// A page and concept where the flags and the hand coding disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// Document.
    pub doc_id: String,
    /// Physical page.
    pub page: u32,
    /// Concept (top level).
    pub concept: String,
    /// `None` for a coded page with no hit; otherwise the terms that fired on a page coded
    /// absent.
    pub terms: Option<Vec<String>>,
}

/// A document's language and type, for the per-language and per-type figures.
#[derive(Debug, Clone, Default)]
pub struct DocInfo {
    /// ISO 639-1 language.
    pub lang: String,
    /// Document type.
    pub doc_type: String,
}

type Key = (String, u32);

fn read_csv(path: &Path) -> Result<(csv::StringRecord, Vec<(u64, csv::StringRecord)>), Error> {
    let mut r =
        csv::Reader::from_path(path).map_err(|e| Error::Csv { path: path.into(), source: e })?;
    let h = r.headers().map_err(|e| Error::Csv { path: path.into(), source: e })?.clone();
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| Error::Csv { path: path.into(), source: e })?;
        rows.push((rec.position().map_or(0, |p| p.line()), rec));
    }
    Ok((h, rows))
}

fn col(path: &Path, h: &csv::StringRecord, name: &str) -> Result<usize, Error> {
    h.iter()
        .position(|x| x == name)
        .ok_or_else(|| Error::line(path, 1, format!("missing column `{name}`")))
}

fn page_of(path: &Path, line: u64, s: &str) -> Result<u32, Error> {
    s.trim().parse().map_err(|_| Error::line(path, line, format!("invalid page `{s}`")))
}

/// Reads `(doc, page)` pairs and `(doc, page) → concepts` from a CSV with `doc_id,page[,concept]`.
fn read_pairs(
    path: &Path,
    concept_col: Option<&str>,
    parents: &BTreeMap<String, String>,
) -> Result<BTreeMap<Key, BTreeSet<String>>, Error> {
    let (h, rows) = read_csv(path)?;
    let d = col(path, &h, "doc_id")?;
    let p = col(path, &h, "page")?;
    let c = concept_col.map(|n| col(path, &h, n)).transpose()?;
    let mut out: BTreeMap<Key, BTreeSet<String>> = BTreeMap::new();
    for (line, r) in rows {
        let key = (r[d].to_string(), page_of(path, line, &r[p])?);
        let entry = out.entry(key).or_default();
        if let Some(c) = c {
            let id = r[c].to_string();
            entry.insert(parents.get(&id).filter(|p| !p.is_empty()).cloned().unwrap_or(id));
        }
    }
    Ok(out)
}

/// Reads the pages hand coders read (`doc_id,page`).
pub fn read_pages(pages: &Path) -> Result<BTreeSet<(String, u32)>, Error> {
    Ok(read_pairs(pages, None, &BTreeMap::new())?.into_keys().collect())
}

/// Reads hand coding: the pages read (`doc_id,page`) and the concepts coded on each
/// (`doc_id,page,concept`), sub-concepts counted for their parent.
#[allow(clippy::type_complexity)]
pub fn read_gold(
    pages: &Path,
    labels: &Path,
    parents: &BTreeMap<String, String>,
) -> Result<(BTreeSet<(String, u32)>, BTreeMap<(String, u32), BTreeSet<String>>), Error> {
    let read: BTreeSet<Key> = read_pairs(pages, None, parents)?.into_keys().collect();
    Ok((read, read_pairs(labels, Some("concept"), parents)?))
}

/// The terms that fired per page and top-level concept in an evidence file.
fn read_terms(
    evidence: &Path,
    parents: &BTreeMap<String, String>,
) -> Result<BTreeMap<(Key, String), BTreeSet<String>>, Error> {
    let (h, rows) = read_csv(evidence)?;
    let (d, p, c) =
        (col(evidence, &h, "doc_id")?, col(evidence, &h, "page")?, col(evidence, &h, "concept")?);
    let t = h.iter().position(|x| x == "term");
    let mut out: BTreeMap<(Key, String), BTreeSet<String>> = BTreeMap::new();
    for (line, r) in rows {
        let id = r[c].to_string();
        let concept = parents.get(&id).filter(|p| !p.is_empty()).cloned().unwrap_or(id);
        let key = ((r[d].to_string(), page_of(evidence, line, &r[p])?), concept);
        out.entry(key).or_default().extend(t.map(|t| r[t].to_string()));
    }
    Ok(out)
}

/// Evaluates `evidence` (evidence.csv) against gold `pages` and `labels`. `parents` maps
/// sub-concepts to their parent; `concepts` are the concepts to score; `docs` gives the
/// documents' language and type (documents it does not list count as `?`).
pub fn evaluate(
    evidence: &Path,
    pages: &Path,
    labels: &Path,
    parents: &BTreeMap<String, String>,
    concepts: &[String],
    docs: &BTreeMap<String, DocInfo>,
) -> Result<Report, Error> {
    let (read, gold) = read_gold(pages, labels, parents)?;
    let terms = read_terms(evidence, parents)?;
    let mut pred: BTreeMap<Key, BTreeSet<String>> = BTreeMap::new();
    for (key, concept) in terms.keys() {
        pred.entry(key.clone()).or_default().insert(concept.clone());
    }
    let empty = BTreeSet::new();
    let mut page = LevelReport::default();
    let mut per_lang: BTreeMap<String, Score> = BTreeMap::new();
    let mut per_type: BTreeMap<String, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut doc_gold: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut doc_pred: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for key in &read {
        let g = gold.get(key).unwrap_or(&empty);
        let p = pred.get(key).unwrap_or(&empty);
        doc_gold.entry(key.0.clone()).or_default().extend(g.iter().cloned());
        doc_pred.entry(key.0.clone()).or_default().extend(p.iter().cloned());
        let mut here = LevelReport::default();
        score_sets(&mut here, concepts, g, p);
        let info = docs.get(&key.0);
        for (c, sc) in &here.per_concept {
            page.per_concept.entry(c.clone()).or_default().add(*sc);
            per_lang.entry(info.map_or("?", |i| i.lang.as_str()).to_string()).or_default().add(*sc);
            per_type
                .entry(info.map_or("?", |i| i.doc_type.as_str()).to_string())
                .or_default()
                .add(*sc);
            if sc.fn_ > 0 || sc.fp > 0 {
                misses.push(Miss {
                    doc_id: key.0.clone(),
                    page: key.1,
                    concept: c.clone(),
                    terms: (sc.fp > 0).then(|| {
                        terms
                            .get(&(key.clone(), c.clone()))
                            .map(|t| t.iter().cloned().collect())
                            .unwrap_or_default()
                    }),
                });
            }
        }
    }
    let mut document = LevelReport::default();
    for (doc, g) in &doc_gold {
        score_sets(&mut document, concepts, g, doc_pred.get(doc).unwrap_or(&empty));
    }
    finish(&mut page);
    finish(&mut document);
    Ok(Report { page, document, per_lang, per_type, misses })
}

fn score_sets(
    level: &mut LevelReport,
    concepts: &[String],
    gold: &BTreeSet<String>,
    pred: &BTreeSet<String>,
) {
    for c in concepts {
        let s = level.per_concept.entry(c.clone()).or_default();
        match (gold.contains(c), pred.contains(c)) {
            (true, true) => s.tp += 1,
            (false, true) => s.fp += 1,
            (true, false) => s.fn_ += 1,
            (false, false) => {}
        }
    }
}

fn finish(level: &mut LevelReport) {
    let mut micro = Score::default();
    let mut f1s = Vec::new();
    for s in level.per_concept.values() {
        micro.add(*s);
        if s.tp + s.fp + s.fn_ > 0 {
            f1s.push(s.f1());
        }
    }
    level.micro = micro;
    level.macro_f1 = if f1s.is_empty() { 0.0 } else { f1s.iter().sum::<f64>() / f1s.len() as f64 };
}

/// Results of the commitment classifier against hand-labelled sentences.
#[derive(Debug, Clone, Default)]
pub struct CommitmentReport {
    /// Sentences scored.
    pub n: usize,
    /// Share labelled right.
    pub accuracy: f64,
    /// Per label.
    pub per_label: BTreeMap<String, Score>,
    /// Macro-averaged F1 over the three labels.
    pub macro_f1: f64,
    /// Per language: (sentences labelled right, sentences).
    pub per_lang: BTreeMap<String, (usize, usize)>,
}

/// Classifies the sentences of a gold CSV (`id,doc_id,lang,sentence,label`) and scores them.
///
/// `doc_types` maps document ids to their manifest type, for the rules that depend on it (a
/// `doc_type` column in the file itself wins; an unknown document has no type); `preambles`
/// tells which sentences stand in an act's recitals.
pub fn evaluate_commitment(
    gold: &Path,
    classifier: &crate::commitment::Classifier,
    doc_types: &BTreeMap<String, String>,
    preambles: &crate::commitment::Preambles,
) -> Result<CommitmentReport, Error> {
    let (h, rows) = read_csv(gold)?;
    let (lang, sentence, label) =
        (col(gold, &h, "lang")?, col(gold, &h, "sentence")?, col(gold, &h, "label")?);
    let doc_id = h.iter().position(|x| x == "doc_id");
    let doc_type_col = h.iter().position(|x| x == "doc_type");
    let mut rep = CommitmentReport::default();
    let mut right = 0;
    for l in ["mandatory", "voluntary", "none"] {
        rep.per_label.insert(l.to_string(), Score::default());
    }
    for (line, r) in rows {
        let want = crate::commitment::Label::parse(&r[label])
            .ok_or_else(|| Error::line(gold, line, format!("invalid label `{}`", &r[label])))?;
        let ty = match (doc_type_col, doc_id) {
            (Some(c), _) => &r[c],
            (None, Some(d)) => doc_types.get(&r[d]).map_or("", String::as_str),
            (None, None) => "",
        };
        let recital = doc_id.is_some_and(|d| preambles.contains(&r[d], &r[sentence]));
        let (got, _) = classifier.classify_at(&r[lang], ty, recital, &r[sentence]);
        rep.n += 1;
        let in_lang = rep.per_lang.entry(r[lang].to_string()).or_default();
        in_lang.1 += 1;
        if got == want {
            right += 1;
            in_lang.0 += 1;
            rep.per_label.get_mut(want.as_str()).expect("label").tp += 1;
        } else {
            rep.per_label.get_mut(got.as_str()).expect("label").fp += 1;
            rep.per_label.get_mut(want.as_str()).expect("label").fn_ += 1;
        }
    }
    rep.accuracy = if rep.n == 0 { 0.0 } else { right as f64 / rep.n as f64 };
    rep.macro_f1 = rep.per_label.values().map(Score::f1).sum::<f64>() / 3.0;
    Ok(rep)
}

#[derive(serde::Serialize)]
struct Row<'a> {
    level: &'a str,
    concept: &'a str,
    tp: usize,
    fp: usize,
    #[serde(rename = "fn")]
    fn_: usize,
    precision: String,
    recall: String,
    f1: String,
}

/// Rows of `eval.csv`: per concept and level, then `_micro` and `_macro`; with a commitment
/// report, per label, then `_accuracy` and `_macro`.
pub fn write_csv(
    path: &Path,
    report: Option<&Report>,
    commitment: Option<&CommitmentReport>,
) -> Result<(), Error> {
    let mut rows = Vec::new();
    if let Some(c) = commitment {
        for (l, s) in &c.per_label {
            rows.push(row("commitment", l, s));
        }
        let f = |name: &'static str, v: f64| Row {
            level: "commitment",
            concept: name,
            tp: 0,
            fp: 0,
            fn_: 0,
            precision: String::new(),
            recall: String::new(),
            f1: format!("{v:.3}"),
        };
        rows.push(f("_accuracy", c.accuracy));
        rows.push(f("_macro", c.macro_f1));
    }
    let levels: Vec<(&str, &LevelReport)> =
        report.map(|r| vec![("page", &r.page), ("document", &r.document)]).unwrap_or_default();
    for (name, level) in levels {
        for (c, s) in &level.per_concept {
            rows.push(row(name, c, s));
        }
        rows.push(row(name, "_micro", &level.micro));
        rows.push(Row {
            level: name,
            concept: "_macro",
            tp: 0,
            fp: 0,
            fn_: 0,
            precision: String::new(),
            recall: String::new(),
            f1: format!("{:.3}", level.macro_f1),
        });
    }
    crate::output::write_csv(path, rows)
}

fn row<'a>(level: &'a str, concept: &'a str, s: &Score) -> Row<'a> {
    Row {
        level,
        concept,
        tp: s.tp,
        fp: s.fp,
        fn_: s.fn_,
        precision: format!("{:.3}", s.precision()),
        recall: format!("{:.3}", s.recall()),
        f1: format!("{:.3}", s.f1()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores() {
        let s = Score { tp: 8, fp: 2, fn_: 2 };
        assert!((s.f1() - 0.8).abs() < 1e-9);
        let d = tempfile::tempdir().unwrap();
        let w = |n: &str, s: &str| {
            let p = d.path().join(n);
            std::fs::write(&p, s).unwrap();
            p
        };
        let pages = w("pages.csv", "doc_id,page\na,1\na,2\n");
        let labels = w("labels.csv", "doc_id,page,concept,evidence\na,1,x,q\na,2,y,q\n");
        let ev = w("ev.csv", "doc_id,page,concept\na,1,x\na,1,y.sub\na,3,y\n");
        let parents = BTreeMap::from([("y.sub".to_string(), "y".to_string())]);
        let docs = BTreeMap::from([(
            "a".to_string(),
            DocInfo { lang: "en".into(), doc_type: "law".into() },
        )]);
        let r = evaluate(&ev, &pages, &labels, &parents, &["x".into(), "y".into()], &docs).unwrap();
        assert_eq!(r.per_lang["en"], Score { tp: 1, fp: 1, fn_: 1 });
        assert_eq!(r.per_type["law"], Score { tp: 1, fp: 1, fn_: 1 });
        assert_eq!(
            r.misses,
            [
                Miss { doc_id: "a".into(), page: 1, concept: "y".into(), terms: Some(vec![]) },
                Miss { doc_id: "a".into(), page: 2, concept: "y".into(), terms: None },
            ]
        );
        assert_eq!(r.page.per_concept["x"], Score { tp: 1, fp: 0, fn_: 0 });
        assert_eq!(r.page.per_concept["y"], Score { tp: 0, fp: 1, fn_: 1 });
        assert_eq!(r.document.per_concept["y"], Score { tp: 1, fp: 0, fn_: 0 });
    }
}
