//! Flagging: applies the compiled lexicons to the pages of a document and turns hits into
//! [`Evidence`] rows (document, physical page, printed page label, character offsets, the term that
//! fired and a snippet). Pure: no I/O. Analyzers are kept per thread and per language, so their
//! stem memo survives from one document to the next.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::analyzer::{Analyzed, Analyzer};
use crate::commitment::{Classifier, Label};
use crate::extract::Page;
use crate::lexicon::Lexicon;
use crate::lexicon::matcher::{DocScan, Hit, Matcher, dedupe};
use crate::manifest::DocMeta;
use crate::sentences;

/// Columns of `evidence.csv`: the fields of [`Evidence`], in order.
pub const EVIDENCE_HEADER: &[&str] = &[
    "doc_id",
    "country",
    "year",
    "doc_type",
    "lang",
    "concept",
    "parent",
    "term",
    "page",
    "page_label",
    "start",
    "end",
    "snippet",
    "sentence",
    "commitment",
    "commitment_cue",
    "ocr",
    "matched",
];

/// One piece of evidence: a term of a concept found on a page. Serialises as a row of
/// `evidence.csv`.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evidence {
    /// Document.
    pub doc_id: String,
    /// Country.
    pub country: String,
    /// Year.
    pub year: u16,
    /// Document type.
    pub doc_type: String,
    /// Language.
    pub lang: String,
    /// Concept id (a sub-concept id where one fired).
    pub concept: String,
    /// Parent concept id, for sub-concepts.
    pub parent: String,
    /// The lexicon term that fired.
    pub term: String,
    /// 1-based physical page.
    pub page: u32,
    /// Printed page label.
    pub page_label: String,
    /// Character offset (Unicode scalar values) of the hit in the page text.
    pub start: usize,
    /// Character offset of the end of the hit.
    pub end: usize,
    /// The passage around the hit, on one line.
    pub snippet: String,
    /// The sentence that holds the hit.
    pub sentence: String,
    /// Its commitment label: `mandatory`, `voluntary` or `none`.
    pub commitment: String,
    /// The cue that decided the label.
    pub commitment_cue: String,
    /// True when the page's text comes from OCR (no text layer).
    #[serde(default)]
    pub ocr: bool,
    /// The words of the page the term matched, as they stand in the text.
    #[serde(default)]
    pub matched: String,
}

/// The lexicons compiled for every language they cover.
#[derive(Debug)]
pub struct Flagger {
    lexicons: Vec<Lexicon>,
    /// One matcher per language the lexicons have terms in, compiled when first asked for.
    matchers: HashMap<String, std::sync::OnceLock<Matcher>>,
    classifier: Classifier,
}

thread_local! {
    static ANALYZERS: RefCell<HashMap<String, Analyzer>> = RefCell::new(HashMap::new());
    /// Token buffer reused from page to page and document to document on this thread.
    static TOKENS: RefCell<Analyzed> = RefCell::new(Analyzed::default());
}

/// Runs `f` with this thread's analyzer for `lang`.
pub fn with_analyzer<R>(lang: &str, f: impl FnOnce(&mut Analyzer) -> R) -> R {
    ANALYZERS.with(|a| {
        let mut map = a.borrow_mut();
        let an = map.entry(lang.to_string()).or_insert_with(|| Analyzer::new(lang));
        f(an)
    })
}

/// Characters of context on each side of a hit in a snippet.
pub const SNIPPET_CONTEXT: usize = 80;

impl Flagger {
    /// Flags with `lexicons` (each language compiled when a document first needs it) and the
    /// built-in commitment rules.
    pub fn new(lexicons: Vec<Lexicon>) -> Flagger {
        Flagger::with_classifier(lexicons, Classifier::builtin())
    }

    /// Compiles `lexicons`, classifying evidence sentences with `classifier`.
    pub fn with_classifier(lexicons: Vec<Lexicon>, classifier: Classifier) -> Flagger {
        let langs: std::collections::BTreeSet<String> =
            lexicons.iter().flat_map(|l| l.languages()).collect();
        let matchers = langs.into_iter().map(|l| (l, std::sync::OnceLock::new())).collect();
        Flagger { lexicons, matchers, classifier }
    }

    /// The commitment classifier.
    pub fn classifier(&self) -> &Classifier {
        &self.classifier
    }

    /// The lexicons.
    pub fn lexicons(&self) -> &[Lexicon] {
        &self.lexicons
    }

    /// The matcher for a language, if the lexicons cover it.
    pub fn matcher(&self, lang: &str) -> Option<&Matcher> {
        let (lang, m) = self.matchers.get_key_value(lang)?;
        Some(m.get_or_init(|| Matcher::new(&self.lexicons, lang))).filter(|m| !m.is_empty())
    }

    /// True when some lexicon has terms in `lang` (its matcher is not compiled for this).
    pub fn covers(&self, lang: &str) -> bool {
        self.matchers.contains_key(lang)
    }

    /// Compiles the matchers and commitment cues of `langs` now (in parallel), rather than when
    /// a document first needs them.
    pub fn prepare(&self, langs: &std::collections::BTreeSet<&str>) {
        use rayon::prelude::*;
        let langs: Vec<&str> = langs.iter().copied().filter(|l| self.covers(l)).collect();
        langs.par_iter().for_each(|l| {
            rayon::join(|| self.matcher(l), || self.classifier.prepare(l));
        });
    }

    /// The languages the lexicons have terms in.
    pub fn languages(&self) -> Vec<String> {
        self.matchers.keys().cloned().collect()
    }

    /// All concepts: (id, parent), in lexicon order.
    pub fn concepts(&self) -> Vec<(String, String)> {
        self.lexicons
            .iter()
            .flat_map(|l| l.concepts.iter().map(|c| (c.id.clone(), c.parent.clone())))
            .collect()
    }

    /// Flags one page already analysed, taken on its own (anchors scoped to the section or the
    /// document are looked for on this page); returns evidence rows.
    pub fn flag_page(&self, meta: &DocMeta, page: &Page, an: &Analyzed) -> Vec<Evidence> {
        let Some(m) = self.matcher(&meta.lang) else { return Vec::new() };
        let hits = m.find(&page.text, an);
        evidence(m, &self.classifier, meta, page, None, &hits)
    }

    /// Analyses and flags every page of a document. Anchors scoped to the document are looked
    /// for in its title and on every page, so the whole document is read before its evidence is
    /// written.
    pub fn flag_document(&self, meta: &DocMeta, pages: &[Page]) -> Vec<Evidence> {
        self.flag_pages(meta, pages, true)
    }

    /// [`Flagger::flag_document`]; with `gated`, the pages the matcher's gate turns away (they
    /// can hold no hit) are not analysed.
    fn flag_pages(&self, meta: &DocMeta, pages: &[Page], gated: bool) -> Vec<Evidence> {
        let Some(m) = self.matcher(&meta.lang) else { return Vec::new() };
        let mut scan = DocScan::new(&meta.doc_type);
        let texts: Vec<&str> = pages.iter().map(|p| p.text.as_str()).collect();
        let mut per_page: Vec<Vec<Hit>> = with_analyzer(&meta.lang, |a| {
            TOKENS.with(|buf| {
                let mut an = buf.borrow_mut();
                let filter = Some(m.stem_filter());
                a.analyze_filtered(&meta.title, &mut an, filter);
                m.scan_title(&meta.title, &an, &mut scan);
                let wanted = if gated {
                    m.pages_to_match(&meta.title, &meta.doc_type, &texts)
                } else {
                    vec![true; texts.len()]
                };
                pages
                    .iter()
                    .enumerate()
                    .map(|(k, p)| {
                        if !wanted[k] {
                            return Vec::new();
                        }
                        a.analyze_filtered(&p.text, &mut an, filter);
                        m.find_in(&p.text, &an, k, &mut scan)
                    })
                    .collect()
            })
        });
        let preamble = crate::commitment::preamble_end(&texts);
        let resolved = m.resolve(&mut scan, &texts);
        let late: std::collections::BTreeSet<usize> = resolved.iter().map(|r| r.0).collect();
        for (k, h) in resolved {
            per_page[k].push(h);
        }
        for k in late {
            per_page[k] = dedupe(std::mem::take(&mut per_page[k]));
        }
        pages
            .iter()
            .zip(&per_page)
            .enumerate()
            .flat_map(|(k, (p, hits))| {
                // Where on this page the preamble ends: all of it before the formula's page,
                // none of it after.
                let until = preamble.and_then(|(pk, at)| match k.cmp(&pk) {
                    std::cmp::Ordering::Less => Some(p.text.len()),
                    std::cmp::Ordering::Equal => Some(at),
                    std::cmp::Ordering::Greater => None,
                });
                evidence(m, &self.classifier, meta, p, until, hits)
            })
            .collect()
    }
}

/// Evidence rows for one page's hits; `preamble_until` is the byte offset on this page where the
/// act's preamble (citations and recitals) ends, when the page holds any of it.
fn evidence(
    m: &Matcher,
    classifier: &Classifier,
    meta: &DocMeta,
    page: &Page,
    preamble_until: Option<usize>,
    hits: &[Hit],
) -> Vec<Evidence> {
    let text = &page.text;
    let mut chars = CharCounter::default();
    let mut sentences = sentences::PageSentences::new(text);
    let mut labels: HashMap<usize, (String, Label, String)> = HashMap::new();
    hits.iter()
        .map(|h| {
            let (id, parent) = &m.concepts()[h.concept];
            let span =
                sentences.at(h.start).unwrap_or(sentences::Span { start: h.start, end: h.end });
            let (sentence, label, cue) = labels
                .entry(span.start)
                .or_insert_with(|| {
                    let s =
                        text[span.start..span.end].split_whitespace().collect::<Vec<_>>().join(" ");
                    let recital = preamble_until.is_some_and(|until| span.start < until);
                    let (label, cue) =
                        classifier.classify_at(&meta.lang, &meta.doc_type, recital, &s);
                    (s, label, cue)
                })
                .clone();
            Evidence {
                doc_id: meta.doc_id.clone(),
                country: meta.country.clone(),
                year: meta.year,
                doc_type: meta.doc_type.clone(),
                lang: meta.lang.clone(),
                concept: id.clone(),
                parent: parent.clone(),
                term: m.term_text(h.term).to_string(),
                page: page.number,
                page_label: page.label.clone(),
                start: chars.at(text, h.start),
                end: chars.at(text, h.end),
                snippet: snippet(text, h.start, h.end, SNIPPET_CONTEXT),
                sentence,
                commitment: label.as_str().to_string(),
                commitment_cue: cue,
                ocr: page.ocr.is_some(),
                matched: text.get(h.start..h.end).unwrap_or("").to_string(),
            }
        })
        .collect()
}

/// Converts byte offsets to character offsets; fast when called with non-decreasing offsets.
#[derive(Default)]
struct CharCounter {
    byte: usize,
    chars: usize,
}

impl CharCounter {
    fn at(&mut self, text: &str, byte: usize) -> usize {
        if byte < self.byte {
            *self = CharCounter::default();
        }
        self.chars += text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// A one-line passage of about `context` characters on each side of `start..end` (byte offsets).
pub fn snippet(text: &str, start: usize, end: usize, context: usize) -> String {
    let left_start =
        text[..start].char_indices().rev().nth(context.saturating_sub(1)).map_or(0, |(i, _)| i);
    let right_end = text[end..].char_indices().nth(context).map_or(text.len(), |(i, _)| end + i);
    let mut s = String::with_capacity(right_end - left_start + 8);
    if left_start > 0 {
        s.push('…');
    }
    s.push_str(&text[left_start..right_end]);
    if right_end < text.len() {
        s.push('…');
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
