//! The matcher: a lexicon compiled for one language, and the search for its terms in analysed page
//! text. Phrase terms are looked up by the stem of their first token (a hash map), glob tokens
//! through one Aho-Corasick automaton over their literal parts, exact terms by surface form, and
//! regex terms on the raw text. Anchors (`near`) and exclusions are checked around each candidate:
//! within a window of tokens, the sentence or the page at once; anchors whose scope is the section
//! or the document are looked up with the terms (as "probes") and recorded in a [`DocScan`], and
//! [`Matcher::resolve`] decides the hits that waited for them once every page has been seen.
//! Overlapping hits of one concept keep only the longest, so "human rights due diligence" is one
//! hit, not two.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::{Lexicon, Pattern, Scope};
use crate::analyzer::{Analyzed, Analyzer, StemFilter, fold};

mod gate;
use gate::PageGate;

/// A cheap test that a folded token can match some glob, so that most tokens skip the search
/// for glob literals. A literal that every glob using it needs at the start of the token
/// (`menschenrecht*`: nearly all of them) is looked up by the token's first bytes; the others
/// (`*pflicht*`) are searched for anywhere. A token the gate turns away would only have produced
/// candidates that fail their glob, so the hits are the same.
#[derive(Debug, Clone, Default)]
struct GlobGate {
    /// Length of the shortest start literal (0: there is none).
    head: usize,
    /// The first `head` bytes of every start literal.
    heads: HashSet<Box<[u8]>>,
    /// The literals that may stand anywhere in the token, and the length of the shortest.
    anywhere: Option<AhoCorasick>,
    anywhere_min: usize,
    /// Admit every token (the automaton could not be built).
    open: bool,
}

impl GlobGate {
    fn new(terms: &[CTerm], literals: &[String], ids: &[Vec<usize>]) -> GlobGate {
        let at_start = |lit: &String, id: &usize| {
            matches!(terms[*id].toks.first(), Some(TokPat::Glob { parts, anchored_start: true, .. })
                if parts.first() == Some(lit))
        };
        let (start, anywhere): (Vec<_>, Vec<_>) =
            literals.iter().zip(ids).partition(|(lit, ids)| ids.iter().all(|id| at_start(lit, id)));
        let start: Vec<&String> = start.into_iter().map(|(l, _)| l).collect();
        let anywhere: Vec<&String> = anywhere.into_iter().map(|(l, _)| l).collect();
        let head = start.iter().map(|l| l.len()).min().unwrap_or(0);
        let heads = start.iter().map(|l| l.as_bytes()[..head].into()).collect();
        let anywhere_min = anywhere.iter().map(|l| l.len()).min().unwrap_or(0);
        match (!anywhere.is_empty()).then(|| AhoCorasick::new(&anywhere)).transpose() {
            Ok(anywhere) => GlobGate { head, heads, anywhere, anywhere_min, open: false },
            Err(_) => GlobGate { open: true, ..GlobGate::default() },
        }
    }

    fn admits(&self, word: &str) -> bool {
        let w = word.as_bytes();
        self.open
            || (self.head > 0 && w.len() >= self.head && self.heads.contains(&w[..self.head]))
            || (w.len() >= self.anywhere_min
                && self.anywhere.as_ref().is_some_and(|ac| ac.is_match(word)))
    }
}

/// One token of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TokPat {
    /// Equal stems.
    Stem(String),
    /// A glob on the folded token: parts between `*`s, with anchoring at either end.
    Glob { parts: Vec<String>, anchored_start: bool, anchored_end: bool },
    /// Equal surface text (case-sensitive).
    Surface(String),
}

impl TokPat {
    fn matches(&self, an: &Analyzed, text: &str, i: usize) -> bool {
        match self {
            TokPat::Stem(s) => an.stem(i) == s,
            TokPat::Surface(s) => {
                let t = an.tokens[i];
                &text[t.start as usize..t.end as usize] == s
            }
            TokPat::Glob { parts, anchored_start, anchored_end } => {
                glob_match(an.folded(i), parts, *anchored_start, *anchored_end)
            }
        }
    }
}

fn glob_match(word: &str, parts: &[String], anchored_start: bool, anchored_end: bool) -> bool {
    let mut rest = word;
    for (k, part) in parts.iter().enumerate() {
        if k == 0 && anchored_start {
            let Some(r) = rest.strip_prefix(part.as_str()) else { return false };
            rest = r;
        } else if k + 1 == parts.len() && anchored_end {
            return rest.len() >= part.len() && rest.ends_with(part.as_str());
        } else {
            let Some(pos) = rest.find(part.as_str()) else { return false };
            rest = &rest[pos + part.len()..];
        }
    }
    !anchored_end || rest.is_empty()
}

#[derive(Debug, Clone)]
struct CTerm {
    concept: usize,
    text: String,
    toks: Vec<TokPat>,
    near: Vec<Vec<TokPat>>,
    window: usize,
    scope: Scope,
    /// Document types that stand as anchors (`doc_type:nap`), for scope `document`.
    doc_types: Vec<String>,
    exclude: Vec<Vec<TokPat>>,
    exclude_window: usize,
    /// For a probe: the section- or document-scoped term whose anchor this is.
    probe_of: Option<usize>,
}

/// What the pages of one document said about terms whose anchors may stand anywhere in a section
/// or in the document; filled by [`Matcher::find_in`], settled by [`Matcher::resolve`].
#[derive(Debug, Default)]
pub struct DocScan {
    doc_type: String,
    /// Hits still waiting for an anchor: (page index, hit).
    pending: Vec<(usize, Hit)>,
    /// Anchors of scoped terms seen: (term, page index, byte offset).
    anchors: Vec<(usize, usize, usize)>,
    /// Scoped terms with an anchor in the title.
    in_title: HashSet<usize>,
}

impl DocScan {
    /// A scan of a document of this manifest type.
    pub fn new(doc_type: &str) -> DocScan {
        DocScan { doc_type: doc_type.to_string(), ..DocScan::default() }
    }
}

/// A hit: a term of a concept at a token span of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the concept in [`Matcher::concepts`].
    pub concept: usize,
    /// Index of the term in the matcher (see [`Matcher::term_text`]).
    pub term: usize,
    /// First token.
    pub first: usize,
    /// One past the last token.
    pub last: usize,
    /// Byte offset of the hit in the page text.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
}

/// A lexicon (or several) compiled for one language.
#[derive(Debug, Clone)]
pub struct Matcher {
    lang: String,
    concepts: Vec<(String, String)>,
    terms: Vec<CTerm>,
    by_stem: HashMap<String, Vec<usize>>,
    by_surface: HashMap<String, Vec<usize>>,
    /// The first bytes of the surface terms, looked at before a token's surface is hashed.
    surface_first: [bool; 256],
    globs: Option<(AhoCorasick, Vec<Vec<usize>>)>,
    /// Length of the shortest glob literal: shorter tokens cannot match a glob.
    glob_min: usize,
    /// Which tokens can match a glob at all, checked before the literals are searched for.
    glob_gate: GlobGate,
    /// First letters of every stem the terms compare with.
    stem_filter: StemFilter,
    regexes: Vec<(usize, Regex)>,
    /// Which pages can hold a hit or an anchor at all (see [`PageGate`]).
    page_gate: PageGate,
}

impl Matcher {
    /// Compiles the terms of `lexicons` for language `lang`. Concepts are numbered across all
    /// lexicons in order, whether or not they have terms in this language.
    pub fn new(lexicons: &[Lexicon], lang: &str) -> Matcher {
        let mut analyzer = Analyzer::new(lang);
        let mut m = Matcher {
            lang: lang.to_string(),
            concepts: Vec::new(),
            terms: Vec::new(),
            by_stem: HashMap::default(),
            by_surface: HashMap::default(),
            surface_first: [false; 256],
            globs: None,
            glob_min: usize::MAX,
            glob_gate: GlobGate::default(),
            stem_filter: StemFilter::default(),
            regexes: Vec::new(),
            page_gate: PageGate::default(),
        };
        let mut glob_literals: Vec<String> = Vec::new();
        let mut glob_terms: Vec<Vec<usize>> = Vec::new();
        for lex in lexicons {
            for c in &lex.concepts {
                let ci = m.concepts.len();
                m.concepts.push((c.id.clone(), c.parent.clone()));
                for t in c.terms.iter().filter(|t| t.lang == lang) {
                    let toks = match &t.pattern {
                        Pattern::Phrase(p) => compile_phrase(&mut analyzer, p),
                        Pattern::Exact(e) => compile_exact(&mut analyzer, e),
                        Pattern::Regex(_) => Vec::new(),
                    };
                    let (doc_types, near): (Vec<&String>, Vec<&String>) =
                        t.near.iter().partition(|n| n.starts_with("doc_type:"));
                    let near: Vec<Vec<TokPat>> =
                        near.iter().map(|n| compile_phrase(&mut analyzer, n)).collect();
                    let id = m.terms.len();
                    m.terms.push(CTerm {
                        concept: ci,
                        text: t.pattern.text().to_string(),
                        toks: toks.clone(),
                        near: near.clone(),
                        window: t.window,
                        scope: t.scope,
                        doc_types: doc_types
                            .iter()
                            .map(|d| d.trim_start_matches("doc_type:").to_string())
                            .collect(),
                        exclude: t
                            .exclude
                            .iter()
                            .map(|n| compile_phrase(&mut analyzer, n))
                            .collect(),
                        exclude_window: t.exclude_window,
                        probe_of: None,
                    });
                    if let Pattern::Regex(r) = &t.pattern {
                        let re =
                            if r.starts_with("(?-i)") { r.clone() } else { format!("(?i){r}") };
                        if let Ok(re) = Regex::new(&re) {
                            m.regexes.push((id, re));
                        }
                    } else {
                        m.register(id, &mut glob_literals, &mut glob_terms);
                    }
                    // Anchors that may stand on another page are looked up with the terms;
                    // title anchors are checked on the title alone (`scan_title`).
                    if matches!(t.scope, Scope::Section | Scope::Document) {
                        for toks in near {
                            let probe = m.terms.len();
                            m.terms.push(CTerm {
                                concept: ci,
                                text: String::new(),
                                toks,
                                near: Vec::new(),
                                window: 0,
                                scope: Scope::Window,
                                doc_types: Vec::new(),
                                exclude: Vec::new(),
                                exclude_window: 0,
                                probe_of: Some(id),
                            });
                            m.register(probe, &mut glob_literals, &mut glob_terms);
                        }
                    }
                }
            }
        }
        for t in &m.terms {
            for p in std::iter::once(&t.toks).chain(&t.near).chain(&t.exclude).flatten() {
                if let TokPat::Stem(s) = p {
                    m.stem_filter.add(s);
                }
            }
        }
        if !glob_literals.is_empty()
            && let Ok(ac) = AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&glob_literals)
        {
            m.glob_min = glob_literals.iter().map(String::len).min().unwrap_or(0);
            m.glob_gate = GlobGate::new(&m.terms, &glob_literals, &glob_terms);
            m.globs = Some((ac, glob_terms));
        }
        m.page_gate = PageGate::new(&m.terms, lang, analyzer.stems());
        m
    }

    /// Makes term `id` a candidate wherever its first token stands.
    fn register(
        &mut self,
        id: usize,
        glob_literals: &mut Vec<String>,
        glob_terms: &mut Vec<Vec<usize>>,
    ) {
        match self.terms[id].toks.first() {
            Some(TokPat::Stem(s)) => self.by_stem.entry(s.clone()).or_default().push(id),
            Some(TokPat::Surface(s)) => {
                if let Some(&b) = s.as_bytes().first() {
                    self.surface_first[b as usize] = true;
                }
                self.by_surface.entry(s.clone()).or_default().push(id)
            }
            Some(TokPat::Glob { parts, .. }) => {
                let lit = parts.iter().max_by_key(|p| p.len()).cloned().unwrap_or_default();
                match glob_literals.iter().position(|l| *l == lit) {
                    Some(k) => glob_terms[k].push(id),
                    None => {
                        glob_literals.push(lit);
                        glob_terms.push(vec![id]);
                    }
                }
            }
            None => {}
        }
    }

    /// For each page of a document (`pages`, its texts in order; `title` and `doc_type` from its
    /// manifest row), may it hold a hit or an anchor of this matcher? The pages that may not need neither analysis nor [`Matcher::find_in`]:
    /// they would yield nothing (see [`PageGate`]; a page a regex term matches is always one that
    /// may).
    pub fn pages_to_match(&self, title: &str, doc_type: &str, pages: &[&str]) -> Vec<bool> {
        let mut keep = self.page_gate.admits(title, doc_type, pages);
        for (k, text) in pages.iter().enumerate() {
            if !keep[k] {
                keep[k] = self.regexes.iter().any(|(_, re)| re.is_match(text));
            }
        }
        keep
    }

    /// The stems this matcher compares with, for [`crate::analyzer::Analyzer::analyze_filtered`].
    pub fn stem_filter(&self) -> &StemFilter {
        &self.stem_filter
    }

    /// The language.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// True when no term exists for this language.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Concept ids and parents, in matcher order.
    pub fn concepts(&self) -> &[(String, String)] {
        &self.concepts
    }

    /// The text of a term, as written in the lexicon.
    pub fn term_text(&self, term: usize) -> &str {
        &self.terms[term].text
    }

    /// Finds every hit in `text` (its analysis `an`, by the same-language analyzer) taken as a
    /// whole document: anchors scoped to the section or the document are looked for in it.
    pub fn find(&self, text: &str, an: &Analyzed) -> Vec<Hit> {
        let mut scan = DocScan::default();
        let mut hits = self.find_in(text, an, 0, &mut scan);
        hits.extend(self.resolve(&mut scan, &[text]).into_iter().map(|(_, h)| h));
        dedupe(hits)
    }

    /// Records which terms scoped to the title or the document have an anchor in the document's
    /// title (`an`: its analysis).
    pub fn scan_title(&self, title: &str, an: &Analyzed, scan: &mut DocScan) {
        for (id, t) in self.terms.iter().enumerate() {
            if matches!(t.scope, Scope::Title | Scope::Document)
                && t.near.iter().any(|p| occurs(p, an, title, 0, an.len(), None))
            {
                scan.in_title.insert(id);
            }
        }
    }

    /// Finds the hits on page `page` (an index into the document's pages) that can be decided on
    /// the page, and records in `scan` the hits and anchors that [`Matcher::resolve`] settles.
    pub fn find_in(&self, text: &str, an: &Analyzed, page: usize, scan: &mut DocScan) -> Vec<Hit> {
        let mut hits = Vec::new();
        if self.terms.is_empty() {
            return hits;
        }
        let mut ctx = PageCtx {
            text,
            an,
            page,
            on_page: HashMap::default(),
            sentences: crate::sentences::PageSentences::new(text),
        };
        let mut cands: Vec<usize> = Vec::new();
        for i in 0..an.len() {
            cands.clear();
            if an.is_stemmed(i)
                && let Some(ids) = self.by_stem.get(an.stem(i))
            {
                cands.extend_from_slice(ids);
            }
            let t = an.tokens[i];
            if self.surface_first[text.as_bytes()[t.start as usize] as usize]
                && let Some(ids) = self.by_surface.get(&text[t.start as usize..t.end as usize])
            {
                cands.extend_from_slice(ids);
            }
            if let Some((ac, ids)) = &self.globs
                && an.folded(i).len() >= self.glob_min
                && self.glob_gate.admits(an.folded(i))
            {
                for m in ac.find_overlapping_iter(an.folded(i)) {
                    cands.extend_from_slice(&ids[m.pattern().as_usize()]);
                }
            }
            for &id in &cands {
                let t = &self.terms[id];
                if i + t.toks.len() <= an.len() && seq_at(&t.toks, an, text, i) {
                    match t.probe_of {
                        Some(of) => scan.anchors.push((of, page, an.tokens[i].start as usize)),
                        None => {
                            self.push_checked(id, i, i + t.toks.len(), &mut ctx, scan, &mut hits)
                        }
                    }
                }
            }
        }
        for (id, re) in &self.regexes {
            for mt in re.find_iter(text) {
                let first = an.tokens.partition_point(|t| (t.end as usize) <= mt.start());
                let last = an.tokens.partition_point(|t| (t.start as usize) < mt.end());
                if first < last {
                    self.push_checked(*id, first, last, &mut ctx, scan, &mut hits);
                }
            }
        }
        dedupe(hits)
    }

    /// Settles the hits that waited for an anchor in their section or document, once every page
    /// of the document (`pages`, its texts in order) has been through [`Matcher::find_in`].
    /// Returns the hits that hold, with their page index.
    pub fn resolve(&self, scan: &mut DocScan, pages: &[&str]) -> Vec<(usize, Hit)> {
        let pending = std::mem::take(&mut scan.pending);
        if pending.is_empty() {
            return Vec::new();
        }
        let in_doc: HashSet<usize> = scan.anchors.iter().map(|a| a.0).collect();
        let sections = pending
            .iter()
            .any(|(_, h)| self.terms[h.term].scope == Scope::Section)
            .then(|| Sections::new(pages));
        let anchor_sections: HashSet<(usize, usize)> = match &sections {
            Some(sec) => scan.anchors.iter().map(|&(t, p, b)| (t, sec.of(p, b))).collect(),
            None => HashSet::default(),
        };
        pending
            .into_iter()
            .filter(|(page, h)| match (self.terms[h.term].scope, &sections) {
                (Scope::Section, Some(sec)) => {
                    anchor_sections.contains(&(h.term, sec.of(*page, h.start)))
                }
                _ => in_doc.contains(&h.term),
            })
            .collect()
    }

    fn push_checked(
        &self,
        id: usize,
        first: usize,
        last: usize,
        ctx: &mut PageCtx<'_>,
        scan: &mut DocScan,
        hits: &mut Vec<Hit>,
    ) {
        let t = &self.terms[id];
        let (text, an) = (ctx.text, ctx.an);
        if !t.exclude.is_empty() {
            let lo = first.saturating_sub(t.exclude_window);
            let hi = (last + t.exclude_window).min(an.len());
            if t.exclude.iter().any(|p| {
                occurs(
                    p,
                    an,
                    text,
                    lo.saturating_sub(p.len()),
                    (hi + p.len()).min(an.len()),
                    Some((lo, hi)),
                )
            }) {
                return;
            }
        }
        let start = an.tokens[first].start as usize;
        let end = an.tokens[last - 1].end as usize;
        let hit = Hit { concept: t.concept, term: id, first, last, start, end };
        if t.near.is_empty() && t.doc_types.is_empty() {
            hits.push(hit);
            return;
        }
        let anchored = match t.scope {
            Scope::Window => {
                let lo = first.saturating_sub(t.window);
                let hi = (last + t.window).min(an.len());
                t.near.iter().any(|p| occurs(p, an, text, lo, hi, None))
            }
            Scope::Sentence => {
                // A sentence is at most MAX_SENTENCE bytes: without an anchor that near, there is
                // no need to find the sentence.
                let half = crate::sentences::MAX_SENTENCE / 2;
                let lo = an.tokens.partition_point(|t| (t.end as usize) + half <= start);
                let hi = an.tokens.partition_point(|t| (t.start as usize) < end + half);
                if !t.near.iter().any(|p| occurs(p, an, text, lo, hi, None)) {
                    return;
                }
                // The same sentence the evidence row will quote.
                let span = ctx.sentences.at(start).unwrap_or(crate::sentences::Span { start, end });
                let lo = an.tokens.partition_point(|t| (t.end as usize) <= span.start);
                let hi = an.tokens.partition_point(|t| (t.start as usize) < span.end);
                t.near.iter().any(|p| occurs(p, an, text, lo, hi, None))
            }
            Scope::Page => ctx.on_page(id, &t.near),
            Scope::Document => {
                t.doc_types.contains(&scan.doc_type)
                    || scan.in_title.contains(&id)
                    || ctx.on_page(id, &t.near)
            }
            Scope::Title => t.doc_types.contains(&scan.doc_type) || scan.in_title.contains(&id),
            Scope::Section => false,
        };
        if anchored {
            hits.push(hit);
        } else if matches!(t.scope, Scope::Section | Scope::Document) {
            scan.pending.push((ctx.page, hit));
        }
    }
}

/// One page being matched, with what was learnt about it so far.
struct PageCtx<'a> {
    text: &'a str,
    an: &'a Analyzed,
    page: usize,
    /// Term → does one of its anchors stand anywhere on the page?
    on_page: HashMap<usize, bool>,
    sentences: crate::sentences::PageSentences<'a>,
}

impl PageCtx<'_> {
    fn on_page(&mut self, term: usize, near: &[Vec<TokPat>]) -> bool {
        let (text, an) = (self.text, self.an);
        *self
            .on_page
            .entry(term)
            .or_insert_with(|| near.iter().any(|p| occurs(p, an, text, 0, an.len(), None)))
    }
}

/// Headings that open a section: Markdown headings, `§ 3`, `Article 5`, `Artículo 2`, `Kapitel 1`,
/// and numbered title lines (`3.2 Access to remedy`).
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^[ \t]*(?:#{1,6}[ \t]|§+[ \t]*\d|(?i:art\.|article|artikel|artículo|articulo|artigo|chapter|chapitre|capítulo|capitulo|kapitel|abschnitt|section|sección|seccion|secção|título|titulo|title|titre|teil|part|partie|annex|annexe|anexo|anlage)[ \t]+[0-9IVXLCDM]+(?-u:\b)|\d{1,2}(?:\.\d{1,2})*\.?[ \t]+\p{Lu}[^\n.;:]{2,80}$)",
    )
    .expect("valid heading pattern")
});

/// Section numbers of a document's positions: how many headings stand before them.
struct Sections {
    /// Per page: headings on earlier pages, and the byte offsets of the page's own headings.
    pages: Vec<(usize, Vec<usize>)>,
}

impl Sections {
    fn new(pages: &[&str]) -> Sections {
        let mut before = 0;
        let pages = pages
            .iter()
            .map(|text| {
                let own: Vec<usize> = HEADING.find_iter(text).map(|m| m.start()).collect();
                let entry = (before, own);
                before += entry.1.len();
                entry
            })
            .collect();
        Sections { pages }
    }

    fn of(&self, page: usize, byte: usize) -> usize {
        self.pages
            .get(page)
            .map_or(usize::MAX, |(before, own)| before + own.partition_point(|&h| h <= byte))
    }
}

fn seq_at(toks: &[TokPat], an: &Analyzed, text: &str, i: usize) -> bool {
    !toks.is_empty() && toks.iter().enumerate().all(|(k, p)| p.matches(an, text, i + k))
}

/// Does `pat` occur starting in `lo..hi` (ending by `hi`)? With `overlap`, the occurrence must
/// also overlap that token range.
fn occurs(
    pat: &[TokPat],
    an: &Analyzed,
    text: &str,
    lo: usize,
    hi: usize,
    overlap: Option<(usize, usize)>,
) -> bool {
    if pat.is_empty() || hi < lo + pat.len() {
        return false;
    }
    (lo..=hi - pat.len()).any(|j| {
        overlap.is_none_or(|(a, b)| j < b && j + pat.len() > a) && seq_at(pat, an, text, j)
    })
}

fn compile_phrase(analyzer: &mut Analyzer, phrase: &str) -> Vec<TokPat> {
    let mut out = Vec::new();
    for word in phrase.split_whitespace() {
        if word.contains('*') {
            let lower: String = word.chars().flat_map(char::to_lowercase).collect();
            let folded = fold(&lower);
            let parts: Vec<String> = folded
                .split('*')
                .filter(|p| !p.is_empty())
                .map(|p| p.chars().filter(|c| c.is_alphanumeric()).collect())
                .collect();
            out.push(TokPat::Glob {
                parts,
                anchored_start: !folded.starts_with('*'),
                anchored_end: !folded.ends_with('*'),
            });
        } else {
            let an = analyzer.analyze(word);
            out.extend((0..an.len()).map(|i| TokPat::Stem(an.stem(i).to_string())));
        }
    }
    out
}

fn compile_exact(analyzer: &mut Analyzer, exact: &str) -> Vec<TokPat> {
    let an = analyzer.analyze(exact);
    an.tokens
        .iter()
        .map(|t| TokPat::Surface(exact[t.start as usize..t.end as usize].to_string()))
        .collect()
}

/// Keeps, for each concept, only the longest of overlapping hits.
pub fn dedupe(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|a, b| {
        a.concept.cmp(&b.concept).then(a.first.cmp(&b.first)).then(b.last.cmp(&a.last))
    });
    let mut out: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits {
        if let Some(prev) = out.last_mut()
            && prev.concept == h.concept
            && h.first < prev.last
        {
            if h.last - h.first > prev.last - prev.first {
                *prev = h;
            }
            continue;
        }
        out.push(h);
    }
    out.sort_by_key(|h| (h.start, h.concept));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::parse;
    use std::path::Path;

    pub(super) fn lex(terms: &str) -> Vec<Lexicon> {
        let s = format!(
            "name = \"t\"\nversion = \"1\"\n[[concept]]\nid = \"c\"\nlabel = \"C\"\npillar = \"p\"\nungp = \"1\"\n[concept.terms]\n{terms}\n"
        );
        vec![parse(Path::new("t.toml"), &s).unwrap()]
    }

    fn hits(terms: &str, lang: &str, text: &str) -> Vec<String> {
        let m = Matcher::new(&lex(terms), lang);
        let an = Analyzer::new(lang).analyze(text);
        m.find(text, &an).iter().map(|h| text[h.start..h.end].to_string()).collect()
    }

    #[test]
    fn phrases_match_inflections() {
        let t = r#"en = ["human rights due diligence", "due diligence"]"#;
        assert_eq!(
            hits(t, "en", "Human Rights Due-Diligence and due diligences."),
            ["Human Rights Due-Diligence", "due diligences"]
        );
    }

    #[test]
    fn anchors_and_exclusions() {
        let t = r#"en = [{ phrase = "remedy", near = ["human rights", "victim"], window = 8 }, { phrase = "due diligence", exclude = ["customer due diligence"] }]"#;
        assert!(hits(t, "en", "to remedy this shortcoming the Commission will act").is_empty());
        assert_eq!(hits(t, "en", "victims of abuse shall have a remedy"), ["remedy"]);
        assert_eq!(
            hits(t, "en", "customer due diligence and supplier due diligence"),
            ["due diligence"]
        );
    }

    #[test]
    fn globs_and_exact() {
        let t = r#"de = ["*sorgfaltspflicht*", "menschenrecht* risiken"]
en = [{ exact = "NCP" }]"#;
        assert_eq!(
            hits(t, "de", "Die Sorgfaltspflichten und menschenrechtlichen Risiken"),
            ["Sorgfaltspflichten", "menschenrechtlichen Risiken"]
        );
        assert_eq!(hits(t, "de", "Unternehmenssorgfaltspflicht"), ["Unternehmenssorgfaltspflicht"]);
        assert_eq!(hits(t, "en", "the NCP and the ncp"), ["NCP"]);
    }

    #[test]
    fn regex_terms() {
        let t = r#"fr = [{ regex = "devoir\\s+de\\s+vigilance" }]"#;
        assert_eq!(hits(t, "fr", "le Devoir de  vigilance des sociétés"), ["Devoir de  vigilance"]);
    }

    /// Flags a document of pages with a title; returns (page index, hit text) pairs.
    fn doc_hits(
        terms: &str,
        lang: &str,
        title: &str,
        doc_type: &str,
        pages: &[&str],
    ) -> Vec<(usize, String)> {
        let m = Matcher::new(&lex(terms), lang);
        let mut a = Analyzer::new(lang);
        let mut scan = DocScan::new(doc_type);
        m.scan_title(title, &a.analyze(title), &mut scan);
        let mut out: Vec<(usize, Hit)> = Vec::new();
        for (k, p) in pages.iter().enumerate() {
            out.extend(m.find_in(p, &a.analyze(p), k, &mut scan).into_iter().map(|h| (k, h)));
        }
        out.extend(m.resolve(&mut scan, pages));
        let mut v: Vec<(usize, String)> =
            out.into_iter().map(|(k, h)| (k, pages[k][h.start..h.end].to_string())).collect();
        v.sort();
        v
    }

    #[test]
    fn anchors_in_the_sentence_and_on_the_page() {
        let t = r#"en = [{ phrase = "risk", near = ["human rights"], scope = "sentence" }, { phrase = "mitigation", near = ["human rights"], scope = "page" }]"#;
        assert_eq!(
            hits(t, "en", "Human rights come first. The risk is low."),
            Vec::<String>::new()
        );
        assert_eq!(hits(t, "en", "The risk to human rights is low."), ["risk"]);
        assert_eq!(
            hits(
                t,
                "en",
                "Mitigation comes later. Much later, after a long text about human rights."
            ),
            ["Mitigation"]
        );
    }

    #[test]
    fn anchors_in_the_document_title_or_type() {
        let t = r#"en = [{ phrase = "mitigation", near = ["human rights"], scope = "document" }, { phrase = "risk", near = ["human rights", "doc_type:nap"], scope = "title" }]"#;
        // The anchor on a later page decides for an earlier one.
        assert_eq!(
            doc_hits(t, "en", "", "law", &["Mitigation measures.", "On human rights."]),
            [(0, "Mitigation".to_string())]
        );
        assert!(doc_hits(t, "en", "", "law", &["Mitigation measures.", "On banking."]).is_empty());
        // Title scope: the subject of the document, not a passing mention.
        assert!(doc_hits(t, "en", "Banking Act", "law", &["Risk. Human rights."]).is_empty());
        assert_eq!(
            doc_hits(t, "en", "Human Rights Screening Tool", "guidance", &["Risk."]),
            [(0, "Risk".to_string())]
        );
        assert_eq!(doc_hits(t, "en", "Plan 2021", "nap", &["Risk."]), [(0, "Risk".to_string())]);
    }

    #[test]
    fn anchors_in_the_section_across_pages() {
        let t = r#"de = [{ phrase = "Daten", near = ["Datenschutz"], scope = "section" }]"#;
        let pages = [
            "§ 1 Zweck\nDie Daten werden gespeichert.\n§ 2 Datenschutz\nDie Daten",
            "werden gelöscht.\n§ 3 Kosten\nDaten kosten Geld.",
        ];
        // Page 1's first "Daten" (§ 1) and page 2's (§ 3) stand in sections without the anchor;
        // the second "Daten" of page 1 stands in § 2, which holds it.
        assert_eq!(doc_hits(t, "de", "", "law", &pages), [(0, "Daten".to_string())]);
        assert_eq!(doc_hits(t, "de", "", "law", &pages).len(), 1, "only the § 2 occurrence counts");
    }

    proptest::proptest! {
        #[test]
        fn stem_filter_never_changes_hits(words in proptest::collection::vec(proptest::sample::select(vec![
            "human", "rights", "due", "diligence", "supply", "chains", "remedy", "victims", "public", "procurement",
            "Sorgfaltspflichten", "Lieferketten", "menschenrechtlichen", "Risiken", "being", "doing", "the", "of",
            "devoir", "de", "vigilance", "entreprises", "grievance", "mechanisms", "children", "labour", "forced",
            "remedies", "remedying", "companies", "supplying", "responsibilities", "disclosed", "publicly",
            "procurement", "consultations", "mitigating", "Beschwerdeverfahren", "Meldestelle", "Tariftreue",
            "Risikoanalysen", "Beratung", "indigenous", "monitoring", "agreements", "trafficking",
        ]), 0..60)) {
            let text = words.join(" ");
            let lex = vec![Lexicon::builtin()];
            for lang in ["en", "de", "fr"] {
                let m = Matcher::new(&lex, lang);
                let mut a = Analyzer::new(lang);
                let full = a.analyze(&text);
                let mut filtered = Analyzed::default();
                a.analyze_filtered(&text, &mut filtered, Some(m.stem_filter()));
                proptest::prop_assert_eq!(m.find(&text, &full), m.find(&text, &filtered));
            }
        }

        #[test]
        fn hits_are_within_text(s in "[a-zA-Z ,.]{0,120}") {
            let t = r#"en = ["due diligence", "right*", { regex = "[a-z]+ing" }]"#;
            let m = Matcher::new(&lex(t), "en");
            let an = Analyzer::new("en").analyze(&s);
            for h in m.find(&s, &an) {
                proptest::prop_assert!(h.start < h.end && h.end <= s.len() && h.first < h.last);
            }
        }
    }
}
