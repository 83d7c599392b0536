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
/// or document-scoped term) counts only in a document that has its term's literals. Two
/// Aho-Corasick automata find the literals; regex terms are tried on the raw page. A page the gate
/// turns away would have produced no candidate, or only candidates that fail their anchors, so
/// the hits are the same.
#[derive(Debug, Clone, Default)]
pub(super) struct PageGate {
    /// Literals looked for in the folded text, then in the raw text; ids run on across both.
    folded: Option<AhoCorasick>,
    raw: Option<AhoCorasick>,
    folded_len: usize,
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
        let mut lits_of = |toks: &[TokPat]| -> Option<Vec<usize>> {
            let mut lits: Vec<(bool, String)> =
                toks.iter().map(|p| gate_literal(p, rewrites)).collect::<Option<_>>()?;
            lits.retain(|(_, l)| !l.is_empty());
            lits.sort_by_key(|(_, l)| std::cmp::Reverse(l.len()));
            lits.dedup();
            (!lits.is_empty()).then(|| lits.into_iter().map(&mut id_of).collect())
        };
        let mut keyed: Vec<GateTerm> = Vec::new();
        for t in terms {
            if t.toks.is_empty() {
                continue; // a regex term: see `Matcher::pages_to_match`
            }
            let Some(all) = lits_of(&t.toks) else {
                return PageGate { open: true, ..PageGate::default() };
            };
            let anchors: Option<Vec<usize>> =
                t.near.iter().map(|n| lits_of(n).map(|l| l[0])).collect();
            let need = match (t.probe_of, anchors) {
                (Some(of), _) => {
                    lits_of(&terms[of].toks).map_or(GateNeed::Nothing, GateNeed::Owner)
                }
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
            keyed.push(GateTerm { all, need });
        }
        if literals.is_empty() {
            return PageGate::default();
        }
        let (folded, raw): (Vec<usize>, Vec<usize>) =
            (0..literals.len()).partition(|&k| !literals[k].0);
        // Renumber: folded literals first, raw ones after.
        let mut new_id = vec![0; literals.len()];
        for (n, &k) in folded.iter().chain(&raw).enumerate() {
            new_id[k] = n;
        }
        let build = |ids: &[usize]| -> Result<Option<AhoCorasick>, ()> {
            if ids.is_empty() {
                return Ok(None);
            }
            AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(ids.iter().map(|&k| &literals[k].1))
                .map(Some)
                .map_err(|_| ())
        };
        let (Ok(folded_ac), Ok(raw_ac)) = (build(&folded), build(&raw)) else {
            return PageGate { open: true, ..PageGate::default() };
        };
        let renumber = |v: &[usize]| v.iter().map(|&k| new_id[k]).collect::<Vec<_>>();
        let mut by_key: Vec<Vec<GateTerm>> = vec![Vec::new(); literals.len()];
        for t in keyed {
            let need = match &t.need {
                GateNeed::Nothing => GateNeed::Nothing,
                GateNeed::OnPage(a) => GateNeed::OnPage(renumber(a)),
                GateNeed::InDocument(a, d) => GateNeed::InDocument(renumber(a), d.clone()),
                GateNeed::InTitle(a, d) => GateNeed::InTitle(renumber(a), d.clone()),
                GateNeed::Owner(a) => GateNeed::Owner(renumber(a)),
            };
            let all = renumber(&t.all);
            by_key[all[0]].push(GateTerm { all, need });
        }
        PageGate {
            folded: folded_ac,
            raw: raw_ac,
            folded_len: folded.len(),
            terms: by_key,
            open: false,
        }
    }

    /// Which literals stand in `text`.
    fn present(&self, text: &str, buf: &mut Vec<u8>) -> LitSet {
        let mut set = LitSet::new(self.terms.len());
        if let Some(ac) = &self.folded {
            crate::analyzer::fold_text_into(text, buf);
            for m in ac.find_overlapping_iter(buf.as_slice()) {
                set.insert(m.pattern().as_usize());
            }
        }
        if let Some(ac) = &self.raw {
            for m in ac.find_overlapping_iter(text) {
                set.insert(self.folded_len + m.pattern().as_usize());
            }
        }
        set
    }

    /// For each page of a document (`pages`; its title and manifest type too), may it hold a hit
    /// or an anchor?
    pub(super) fn admits(&self, title: &str, doc_type: &str, pages: &[&str]) -> Vec<bool> {
        if self.open {
            return vec![true; pages.len()];
        }
        let mut buf = Vec::new();
        let sets: Vec<LitSet> = pages.iter().map(|p| self.present(p, &mut buf)).collect();
        let in_title = self.present(title, &mut buf);
        let mut doc = in_title.clone();
        for set in &sets {
            doc.union(set);
        }
        let typed = |types: &[String]| types.iter().any(|d| d == doc_type);
        sets.iter()
            .map(|set| {
                (0..self.terms.len()).filter(|&k| set.has(k)).any(|k| {
                    self.terms[k].iter().any(|t| {
                        t.all.iter().all(|&l| set.has(l))
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
            "Die BESCHWERDEN der Beschaeftigten.",
            "Beschwerden der Beschäftigten werden geprüft.",
            "Eine Beschwerde beim Gericht.",
            "Unternehmen und öffentliche Stellen.",
            "Öffentlicher Unternehmen Sitz.",
            "Nichts davon.",
        ];
        assert_eq!(m.pages_to_match("", "law", &pages), [false, true, false, true, true, false]);
    }
}
