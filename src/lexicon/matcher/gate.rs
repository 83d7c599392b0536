//! The page gate: which pages of a document can hold a hit or an anchor of a matcher, decided
//! from the literals that its terms' tokens must contain, so that the other pages (most pages of
//! most laws) are neither tokenised nor matched.

use aho_corasick::AhoCorasick;

use super::{CTerm, Scope, TokPat};

/// A cheap test of which pages can hold a hit or an anchor, so that the pages that cannot (most
/// pages of most laws) are neither tokenised nor matched. Every token of a term is needed for a
/// match, so a term needs each token's literal in the page: a glob token its longest part and a
/// stem token the stem without the letters its stemmer may have rewritten
/// ([`stem_rewrites`]), both in the page's folded text ([`fold_text_into`]); an exact token its
/// surface, in the raw text. Its anchors must be found where its scope says: one of them on the
/// page (window, sentence, page), in the document or its title (section, document, unless the
/// document type anchors it) or in the title (title). A probe (an anchor looked up for a section-
/// or document-scoped term) counts only in a document that has its term's literals. Two words of a
/// phrase must also stand next to each other: where the second one's literal starts its word, the
/// folded text between the two literals must be the rest of a word and separators ([`adjacent`]).
/// Two Aho-Corasick automata find the literals; regex terms are tried on the raw page. A page the
/// gate turns away would have produced no candidate, or only candidates that fail their anchors,
/// so the hits are the same.
#[derive(Debug, Clone, Default)]
pub(super) struct PageGate {
    /// Literals looked for in the folded text and in the raw text, with the literal id of each
    /// automaton's patterns.
    folded: Option<(AhoCorasick, Vec<usize>)>,
    raw: Option<(AhoCorasick, Vec<usize>)>,
    /// For each literal id, the terms that it is the most telling literal of.
    terms: Vec<Vec<GateTerm>>,
    /// Admit every page (a term has no usable literal, or an automaton could not be built).
    open: bool,
}

/// What one term or probe needs in a page and its document.
#[derive(Debug, Clone)]
struct GateTerm {
    /// Literal ids of its tokens, all needed on the page.
    all: Vec<usize>,
    /// Literals of consecutive tokens that must stand next to each other: (first, its length in
    /// bytes, second), both in the folded text, the second starting its word.
    pairs: Vec<(usize, usize, usize)>,
    need: GateNeed,
}

/// What a page needs, besides a term's literals, for the term to hit or the probe to matter.
#[derive(Debug, Clone)]
enum GateNeed {
    /// Nothing more.
    Nothing,
    /// One of these literals on the same page.
    OnPage(Vec<usize>),
    /// One of these literals in the document or its title, or one of these document types.
    InDocument(Vec<usize>, Vec<String>),
    /// One of these literals in the title, or one of these document types.
    InTitle(Vec<usize>, Vec<String>),
    /// All of these literals in the document (a probe's term).
    Owner(Vec<usize>),
}

/// Literal ids as a bitset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct LitSet(Vec<u64>);

impl LitSet {
    fn new(n: usize) -> LitSet {
        LitSet(vec![0; n.div_ceil(64)])
    }

    fn insert(&mut self, k: usize) {
        self.0[k / 64] |= 1 << (k % 64);
    }

    fn has(&self, k: usize) -> bool {
        self.0[k / 64] & (1 << (k % 64)) != 0
    }

    fn union(&mut self, other: &LitSet) {
        self.0.iter_mut().zip(&other.0).for_each(|(a, b)| *a |= b);
    }
}

impl PageGate {
    pub(super) fn new(terms: &[CTerm], lang: &str, stems: bool) -> PageGate {
        let rewrites = if stems { stem_rewrites(lang) } else { Some(0) };
        let mut literals: Vec<(bool, String)> = Vec::new();
        let mut id_of = |lit: (bool, String)| match literals.iter().position(|l| *l == lit) {
            Some(k) => k,
            None => {
                literals.push(lit);
                literals.len() - 1
            }
        };
        // The literals of a token sequence, most telling first; `None` if a token has none.
        let lits_of = |toks: &[TokPat]| -> Option<Vec<(bool, String)>> {
            let mut lits: Vec<(bool, String)> =
                toks.iter().map(|p| gate_literal(p, rewrites)).collect::<Option<_>>()?;
            lits.retain(|(_, l)| !l.is_empty());
            lits.sort_by_key(|(_, l)| std::cmp::Reverse(l.len()));
            lits.dedup();
            (!lits.is_empty()).then_some(lits)
        };
        let mut keyed: Vec<GateTerm> = Vec::new();
        for t in terms {
            if t.toks.is_empty() {
                continue; // a regex term: see `Matcher::pages_to_match`
            }
            let Some(all) = lits_of(&t.toks) else {
                return PageGate { open: true, ..PageGate::default() };
            };
            let all: Vec<usize> = all.into_iter().map(&mut id_of).collect();
            let mut pairs = Vec::new();
            for w in t.toks.windows(2) {
                let (Some((false, a)), Some((false, b))) =
                    (gate_literal(&w[0], rewrites), gate_literal(&w[1], rewrites))
                else {
                    continue;
                };
                let starts_word = match &w[1] {
                    TokPat::Stem(_) => true,
                    TokPat::Glob { parts, anchored_start, .. } => {
                        *anchored_start && parts.first() == Some(&b)
                    }
                    TokPat::Surface(_) => false,
                };
                if starts_word && !a.is_empty() && !b.is_empty() {
                    let len = a.len();
                    pairs.push((id_of((false, a)), len, id_of((false, b))));
                }
            }
            let anchors: Option<Vec<usize>> =
                t.near.iter().map(|n| lits_of(n).map(|mut l| id_of(l.swap_remove(0)))).collect();
            let need = match (t.probe_of, anchors) {
                (Some(of), _) => match lits_of(&terms[of].toks) {
                    Some(l) => GateNeed::Owner(l.into_iter().map(&mut id_of).collect()),
                    None => GateNeed::Nothing,
                },
                (None, _) if t.near.is_empty() && t.doc_types.is_empty() => GateNeed::Nothing,
                (None, None) => GateNeed::Nothing,
                (None, Some(a)) => match t.scope {
                    Scope::Window | Scope::Sentence | Scope::Page => GateNeed::OnPage(a),
                    Scope::Section | Scope::Document => {
                        GateNeed::InDocument(a, t.doc_types.clone())
                    }
                    Scope::Title => GateNeed::InTitle(a, t.doc_types.clone()),
                },
            };
            keyed.push(GateTerm { all, pairs, need });
        }
        if literals.is_empty() {
            return PageGate::default();
        }
        let (folded, raw): (Vec<usize>, Vec<usize>) =
            (0..literals.len()).partition(|&k| !literals[k].0);
        let build = |ids: Vec<usize>| -> Result<Option<(AhoCorasick, Vec<usize>)>, ()> {
            if ids.is_empty() {
                return Ok(None);
            }
            AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(ids.iter().map(|&k| &literals[k].1))
                .map(|ac| Some((ac, ids)))
                .map_err(|_| ())
        };
        let (Ok(folded), Ok(raw)) = (build(folded), build(raw)) else {
            return PageGate { open: true, ..PageGate::default() };
        };
        let mut terms: Vec<Vec<GateTerm>> = vec![Vec::new(); literals.len()];
        for t in keyed {
            terms[t.all[0]].push(t);
        }
        PageGate { folded, raw, terms, open: false }
    }

    /// Which literals stand in `text`, and where the folded ones do.
    fn present(&self, text: &str) -> PageLits {
        let mut page = PageLits { set: LitSet::new(self.terms.len()), ..PageLits::default() };
        if let Some((ac, ids)) = &self.folded {
            crate::analyzer::fold_text_into(text, &mut page.folded);
            for m in ac.find_overlapping_iter(page.folded.as_slice()) {
                let id = ids[m.pattern().as_usize()];
                page.set.insert(id);
                page.at.push((id, m.start()));
            }
        }
        if let Some((ac, ids)) = &self.raw {
            for m in ac.find_overlapping_iter(text) {
                page.set.insert(ids[m.pattern().as_usize()]);
            }
        }
        page.at.sort_unstable();
        page
    }

    /// For each page of a document (`pages`; its title and manifest type too), may it hold a hit
    /// or an anchor?
    pub(super) fn admits(&self, title: &str, doc_type: &str, pages: &[&str]) -> Vec<bool> {
        if self.open {
            return vec![true; pages.len()];
        }
        let pages: Vec<PageLits> = pages.iter().map(|p| self.present(p)).collect();
        let in_title = self.present(title).set;
        let mut doc = in_title.clone();
        for page in &pages {
            doc.union(&page.set);
        }
        let typed = |types: &[String]| types.iter().any(|d| d == doc_type);
        pages
            .iter()
            .map(|page| {
                let set = &page.set;
                (0..self.terms.len()).filter(|&k| set.has(k)).any(|k| {
                    self.terms[k].iter().any(|t| {
                        t.all.iter().all(|&l| set.has(l))
                            && t.pairs.iter().all(|&(a, len, b)| page.adjacent(a, len, b))
                            && match &t.need {
                                GateNeed::Nothing => true,
                                GateNeed::OnPage(a) => a.iter().any(|&l| set.has(l)),
                                GateNeed::InDocument(a, d) => {
                                    typed(d) || a.iter().any(|&l| doc.has(l))
                                }
                                GateNeed::InTitle(a, d) => {
                                    typed(d) || a.iter().any(|&l| in_title.has(l))
                                }
                                GateNeed::Owner(a) => a.iter().all(|&l| doc.has(l)),
                            }
                    })
                })
            })
            .collect()
    }
}

/// The literals found on one page.
#[derive(Debug, Default)]
struct PageLits {
    set: LitSet,
    /// The folded text, and where each folded literal starts in it: (literal, byte offset), sorted.
    folded: Vec<u8>,
    at: Vec<(usize, usize)>,
}

impl PageLits {
    /// Where literal `l` starts: its entries of `at`, in order.
    fn starts(&self, l: usize) -> &[(usize, usize)] {
        let from = self.at.partition_point(|&(k, _)| k < l);
        let to = self.at.partition_point(|&(k, _)| k <= l);
        &self.at[from..to]
    }

    /// Is there a literal `a` (of `len` bytes) followed by a literal `b` with only the rest of
    /// `a`'s word and then separators between them ([`adjacent`])?
    fn adjacent(&self, a: usize, len: usize, b: usize) -> bool {
        let firsts = self.starts(a);
        self.starts(b).iter().any(|&(_, q)| {
            let before = firsts.partition_point(|&(_, p)| p + len <= q);
            // The nearest `a` first: once a gap holds a word after a separator, so does the gap
            // from every earlier `a`, which ends with it.
            for &(_, p) in firsts[..before].iter().rev() {
                match adjacent(&self.folded[p + len..q]) {
                    Gap::Adjacent => return true,
                    Gap::WordAfterSeparator => return false,
                    Gap::NoSeparator => {}
                }
            }
            false
        })
    }
}

/// What stands between the end of one literal and the start of the next in folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// The rest of a word (letters, digits), then at least one separator: the literals can be in
    /// two consecutive tokens.
    Adjacent,
    /// No separator: the same word.
    NoSeparator,
    /// A letter or digit after a separator: another word in between.
    WordAfterSeparator,
}

/// Classifies the folded bytes between two literals (see [`Gap`]). A byte of a non-ASCII character
/// may be a letter or a separator, so it counts as either: the test only says `WordAfterSeparator`
/// when an ASCII letter or digit follows an ASCII separator.
fn adjacent(gap: &[u8]) -> Gap {
    let first_sep = gap.iter().position(|b| b.is_ascii() && !b.is_ascii_alphanumeric());
    let after_word = gap.iter().rposition(u8::is_ascii_alphanumeric).map_or(0, |i| i + 1);
    match first_sep {
        Some(s) if after_word > s => Gap::WordAfterSeparator,
        _ if after_word < gap.len() => Gap::Adjacent,
        _ => Gap::NoSeparator,
    }
}

/// How many letters at the end of a stem its Snowball stemmer may have rewritten, so that the rest
/// is the start of the folded word: German only deletes endings; Spanish and Portuguese rewrite
/// one letter (`-encia` → `-ent`); English and French two (`dying` → `die`, `-emment` → `-ent`).
/// Checked against the Debian word lists of each language and by a test on the fixtures. `None`
/// for a language whose stemmer has not been checked: its pages all go through the matcher.
fn stem_rewrites(lang: &str) -> Option<usize> {
    match lang {
        "de" => Some(0),
        "es" | "pt" => Some(1),
        "en" | "fr" => Some(2),
        _ => None,
    }
}

/// The literal that any token matching `p` holds (see [`PageGate`]): `(true, surface)` in the raw
/// text, `(false, literal)` in the folded text; `None` when there is none to rely on.
/// `rewrites`: see [`stem_rewrites`] (`Some(0)` too for a language without a stemmer, whose stems
/// are the folded words).
fn gate_literal(p: &TokPat, rewrites: Option<usize>) -> Option<(bool, String)> {
    match p {
        TokPat::Glob { parts, .. } => {
            parts.iter().max_by_key(|x| x.len()).map(|x| (false, x.clone()))
        }
        TokPat::Surface(s) => Some((true, s.clone())),
        TokPat::Stem(s) => {
            let n = s.chars().count();
            Some((false, s.chars().take(n.saturating_sub(rewrites?).max(1)).collect()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Matcher;
    use super::*;
    use crate::analyzer::{Analyzer, fold};

    /// The letters a stemmer may rewrite, per language: with [`stem_rewrites`] the rest of every
    /// stem starts its folded word; with one letter fewer, some word below breaks the rule (the
    /// number is needed, not just safe).
    #[test]
    fn stems_keep_the_start_of_their_words() {
        let words: &[(&str, &[&str])] = &[
            (
                "de",
                &[
                    "Maßnahmen",
                    "Änderungen",
                    "Beschwerdeverfahren",
                    "Sorgfaltspflichten",
                    "öffentlichen",
                    "Auftraggeber",
                ],
            ),
            (
                "es",
                &[
                    "presencia",
                    "clarividencia",
                    "situación",
                    "vulnerabilidad",
                    "empresas",
                    "diligencia",
                ],
            ),
            (
                "pt",
                &[
                    "beneficência",
                    "indenização",
                    "diligência",
                    "empresas",
                    "avaliações",
                    "transparência",
                ],
            ),
            ("en", &["using", "dying", "companies", "responsibility", "policy", "engagement"]),
            ("fr", &["payer", "éloquemment", "personnes", "présence", "heureuse", "entreprises"]),
        ];
        let breaks = |lang: &str, rewrites: usize| {
            let mut a = Analyzer::new(lang);
            let list = words.iter().find(|(l, _)| *l == lang).unwrap().1;
            list.iter()
                .filter(|w| {
                    let stem = a.analyze(w).stem(0).to_string();
                    let (_, lit) = gate_literal(&TokPat::Stem(stem), Some(rewrites)).unwrap();
                    !fold(&w.to_lowercase()).starts_with(&lit)
                })
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
        };
        for (lang, _) in words {
            let n = stem_rewrites(lang).unwrap();
            assert!(breaks(lang, n).is_empty(), "{lang}: {:?}", breaks(lang, n));
            if n > 0 {
                assert!(!breaks(lang, n - 1).is_empty(), "{lang}: {n} letters are not needed");
            }
        }
        assert_eq!(stem_rewrites("nl"), None);
    }

    #[test]
    fn the_page_gate_needs_a_term_and_its_anchor_on_the_page() {
        let t = r#"de = [{ phrase = "Beschwerde", near = ["Beschäftigte"], scope = "sentence" }, "öffentliche Unternehmen"]"#;
        let m = Matcher::new(&super::super::tests::lex(t), "de");
        let pages = [
            ("Die BESCHWERDEN der Beschaeftigten.", false),
            ("Beschwerden der Beschäftigten werden geprüft.", true),
            ("Eine Beschwerde beim Gericht.", false),
            // A phrase's words next to each other, in order, whatever separates them.
            ("Unternehmen und öffentliche Stellen.", false),
            ("Öffentliche, große Unternehmen.", false),
            ("Öffentlicher Unternehmen Sitz.", true),
            ("ÖFFENTLICHE – UNTERNEHMEN", true),
            ("öffentliche\n\nUnternehmen", true),
            ("Nichts davon.", false),
        ];
        let texts: Vec<&str> = pages.iter().map(|p| p.0).collect();
        let want: Vec<bool> = pages.iter().map(|p| p.1).collect();
        assert_eq!(m.pages_to_match("", "law", &texts), want);
    }

    #[test]
    fn gaps_between_two_literals() {
        assert_eq!(adjacent(b"liche "), Gap::Adjacent);
        assert_eq!(adjacent(b" "), Gap::Adjacent);
        assert_eq!(adjacent(b"r, -- "), Gap::Adjacent);
        assert_eq!(adjacent("n – ".as_bytes()), Gap::Adjacent);
        assert_eq!(adjacent(b""), Gap::NoSeparator);
        assert_eq!(adjacent(b"lichkeit"), Gap::NoSeparator);
        assert_eq!(adjacent(b"liche grosse "), Gap::WordAfterSeparator);
        assert_eq!(adjacent(b" und "), Gap::WordAfterSeparator);
        // A non-ASCII character may be a letter or a separator.
        assert_eq!(adjacent("xα".as_bytes()), Gap::Adjacent);
    }
}
