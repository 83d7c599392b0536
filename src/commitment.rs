//! The smart-mix commitment classifier: labels a sentence `mandatory` (a binding obligation,
//! prohibition or legal consequence, or a firm commitment to legislate), `voluntary` (encourages,
//! recommends, permits, guides) or `none` (definitions, scope, facts, headings), with the cue that
//! decided. Explainable and editable: its cues are regular expressions in `lexicons/commitment.toml`;
//! this module applies them in a fixed order (see that file's header): none-patterns, then the main
//! clause (a leading conditional clause is cut off), legal consequences, hedges, guidance addressed
//! to the reader, the earliest modal cue or suggestion, past-tense facts, and finally the default of
//! the language and document type, which applies to operative provisions only.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cue::Cue;

use crate::error::Error;

/// A commitment label.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Binding.
    Mandatory,
    /// Non-binding.
    Voluntary,
    /// No measure.
    None,
}

impl Label {
    /// The label as written in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Mandatory => "mandatory",
            Label::Voluntary => "voluntary",
            Label::None => "none",
        }
    }

    /// Parses `mandatory`, `voluntary` or `none`.
    pub fn parse(s: &str) -> Option<Label> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mandatory" => Some(Label::Mandatory),
            "voluntary" => Some(Label::Voluntary),
            "none" => Some(Label::None),
            _ => None,
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLang {
    #[serde(default)]
    neutral: Vec<String>,
    #[serde(default)]
    purpose: Vec<String>,
    #[serde(default)]
    none: Vec<String>,
    #[serde(default)]
    conditional: Vec<String>,
    #[serde(default)]
    consequence: Vec<String>,
    #[serde(default)]
    hedged: Vec<String>,
    #[serde(default)]
    suggestion: Vec<String>,
    #[serde(default)]
    mandatory: Vec<String>,
    #[serde(default)]
    voluntary: Vec<String>,
    #[serde(default)]
    facts: Vec<String>,
    #[serde(default)]
    imperative: Vec<String>,
    #[serde(default)]
    imperative_types: Vec<String>,
    #[serde(default)]
    not_imperative: Vec<String>,
    #[serde(default)]
    advisory: Vec<String>,
    #[serde(default)]
    advisory_types: Vec<String>,
    #[serde(default)]
    recital: Vec<String>,
    #[serde(default)]
    report_types: Vec<String>,
    default: String,
    #[serde(default)]
    default_by_type: BTreeMap<String, String>,
    #[serde(default)]
    default_none: Vec<String>,
    #[serde(default)]
    finite: Vec<String>,
    #[serde(default)]
    relative: Vec<String>,
    #[serde(default)]
    fragment: Vec<String>,
    #[serde(default)]
    furniture: Vec<String>,
    #[serde(default)]
    recommend: Vec<String>,
}

struct LangRules {
    neutral: Vec<Cue>,
    /// Purpose clauses ("um … zu umgehen", "afin de promouvoir"): masked like `neutral`, so
    /// that their verbs do not decide, but they state no possibility; the rest of the sentence
    /// (or the default) decides.
    purpose: Vec<Cue>,
    none: Vec<Cue>,
    conditional: Vec<Cue>,
    consequence: Vec<Cue>,
    hedged: Vec<Cue>,
    /// A measure offered as a possibility in a document addressed to its reader or in an act's
    /// recitals ("Incentives … could include provisions …", "il peut être nécessaire pour les
    /// entreprises de …"): read before the possibilities are masked; voluntary unless an earlier
    /// cue decides.
    suggestion: Vec<Cue>,
    mandatory: Vec<Cue>,
    voluntary: Vec<Cue>,
    facts: Vec<Cue>,
    imperative: Vec<Cue>,
    /// Document types where `imperative` applies (all when empty); an unknown type counts as
    /// every type.
    imperative_types: Vec<String>,
    /// Words that an `imperative` pattern takes for a verb and are none ("Cualquier",
    /// "Qualquer", "Mujer"): an imperative match that starts with one of them does not count.
    not_imperative: Vec<Cue>,
    /// Obligation words that are advice in the document types of `advisory_types` (Spanish
    /// guidance's "deben").
    advisory: Vec<Cue>,
    advisory_types: Vec<String>,
    /// Obligation words that recommend in an act's recitals: EU drafting renders "should" as
    /// Spanish "debe" and Portuguese "deverá" in the recitals (and "shall" otherwise in the
    /// articles), so before the enacting formula they are voluntary cues, not mandatory ones.
    recital: Vec<Cue>,
    /// Document types that report what was done (a UPR report, a NAP's review): there a `facts`
    /// cue before a mandatory one is the main clause ("In 2017 the Act entered into force,
    /// stipulating that polling stations must be accessible").
    report_types: Vec<String>,
    default: Label,
    default_by_type: BTreeMap<String, Label>,
    default_none: Vec<Cue>,
    /// Finite verbs: where the default is `mandatory`, a main clause without one is a list item,
    /// heading or fragment, not a provision (none). Empty: not checked.
    finite: Vec<Cue>,
    /// Relative clauses ("qui permettent", "in which it can", "die ... müssen"): masked before
    /// the cues and `default_none`, so that a verb describing a noun does not decide.
    relative: Vec<Cue>,
    /// Patterns on the whole sentence that mark a piece of one (it starts mid-sentence): where
    /// the default is `mandatory`, such a piece is none.
    fragment: Vec<Cue>,
    /// Page headers and footers that extraction glues to a sentence ("ELI: …", "JO L du …"):
    /// removed before anything else; a sentence that is nothing else is none.
    furniture: Vec<Cue>,
    /// Recommendation modals ("should", "devraient"): one standing before a legal consequence
    /// makes the sentence a recommendation about it, not the consequence itself.
    recommend: Vec<Cue>,
}

/// The compiled rules for every language of a rules file.
pub struct Classifier {
    /// Rules version.
    pub version: String,
    /// SHA-256 of the rules file.
    pub hash: String,
    langs: BTreeMap<String, LangRules>,
}

impl std::fmt::Debug for Classifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Classifier")
            .field("version", &self.version)
            .field("langs", &self.langs.keys())
            .finish()
    }
}

/// The default rules' text.
pub const BUILTIN: &str = include_str!("../lexicons/commitment.toml");

fn line_of(text: &str, needle: &str) -> u64 {
    text.find(needle).map_or(1, |i| text[..i].bytes().filter(|&b| b == b'\n').count() as u64 + 1)
}

impl Classifier {
    /// The built-in rules (`lexicons/commitment.toml`).
    pub fn builtin() -> Classifier {
        Classifier::parse(Path::new("lexicons/commitment.toml"), BUILTIN)
            .expect("the built-in commitment rules are valid")
    }

    /// Reads a rules file.
    pub fn read(path: &Path) -> Result<Classifier, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Classifier::parse(path, &text)
    }

    /// Parses rules; errors name the file and line.
    pub fn parse(path: &Path, text: &str) -> Result<Classifier, Error> {
        let mut table: BTreeMap<String, toml::Value> =
            toml::from_str(text).map_err(|e: toml::de::Error| {
                let line = e.span().map_or(1, |s| {
                    text[..s.start].bytes().filter(|&b| b == b'\n').count() as u64 + 1
                });
                Error::line(path, line, e.message().to_string())
            })?;
        let version = match table.remove("version") {
            Some(toml::Value::String(v)) => v,
            _ => return Err(Error::line(path, 1, "missing `version`")),
        };
        let mut langs = BTreeMap::new();
        for (lang, v) in table {
            let raw: RawLang = v.try_into().map_err(|e: toml::de::Error| {
                Error::line(
                    path,
                    line_of(text, &format!("[{lang}]")),
                    format!("[{lang}]: {}", e.message()),
                )
            })?;
            let compile = |list: &[String]| -> Result<Vec<Cue>, Error> {
                list.iter()
                    .map(|p| {
                        Cue::new(p).map_err(|e| {
                            let needle = p.replace('\\', "\\\\");
                            Error::line(
                                path,
                                line_of(text, &needle),
                                format!("invalid pattern: {e}"),
                            )
                        })
                    })
                    .collect()
            };
            let default = Label::parse(&raw.default).ok_or_else(|| {
                Error::line(
                    path,
                    line_of(text, &format!("[{lang}]")),
                    format!("[{lang}]: default must be mandatory, voluntary or none"),
                )
            })?;
            let mut default_by_type = BTreeMap::new();
            for (ty, l) in &raw.default_by_type {
                let bad = |msg: String| {
                    Error::line(
                        path,
                        line_of(text, &format!("[{lang}]")),
                        format!("[{lang}]: {msg}"),
                    )
                };
                if !crate::manifest::DOC_TYPES.contains(&ty.as_str()) {
                    return Err(bad(format!("default_by_type: unknown document type `{ty}`")));
                }
                let l = Label::parse(l).ok_or_else(|| {
                    bad(format!("default_by_type.{ty} must be mandatory, voluntary or none"))
                })?;
                default_by_type.insert(ty.clone(), l);
            }
            for (key, types) in [
                ("imperative_types", &raw.imperative_types),
                ("advisory_types", &raw.advisory_types),
                ("report_types", &raw.report_types),
            ] {
                if let Some(ty) =
                    types.iter().find(|t| !crate::manifest::DOC_TYPES.contains(&t.as_str()))
                {
                    return Err(Error::line(
                        path,
                        line_of(text, &format!("[{lang}]")),
                        format!("[{lang}]: {key}: unknown document type `{ty}`"),
                    ));
                }
            }
            langs.insert(
                lang,
                LangRules {
                    neutral: compile(&raw.neutral)?,
                    purpose: compile(&raw.purpose)?,
                    none: compile(&raw.none)?,
                    conditional: compile(&raw.conditional)?,
                    consequence: compile(&raw.consequence)?,
                    hedged: compile(&raw.hedged)?,
                    suggestion: compile(&raw.suggestion)?,
                    mandatory: compile(&raw.mandatory)?,
                    voluntary: compile(&raw.voluntary)?,
                    facts: compile(&raw.facts)?,
                    imperative: compile(&raw.imperative)?,
                    imperative_types: raw.imperative_types,
                    not_imperative: compile(&raw.not_imperative)?,
                    advisory: compile(&raw.advisory)?,
                    advisory_types: raw.advisory_types,
                    recital: compile(&raw.recital)?,
                    report_types: raw.report_types,
                    default,
                    default_by_type,
                    default_none: compile(&raw.default_none)?,
                    finite: compile(&raw.finite)?,
                    relative: compile(&raw.relative)?,
                    fragment: compile(&raw.fragment)?,
                    furniture: compile(&raw.furniture)?,
                    recommend: compile(&raw.recommend)?,
                },
            );
        }
        Ok(Classifier { version, hash: crate::cache::sha256_bytes(text.as_bytes()), langs })
    }

    /// Compiles every cue of `lang` now (in parallel), rather than when a sentence first needs it.
    pub fn prepare(&self, lang: &str) {
        use rayon::prelude::*;
        let Some(r) = self.langs.get(lang) else { return };
        let lists = [
            &r.neutral,
            &r.purpose,
            &r.none,
            &r.conditional,
            &r.consequence,
            &r.hedged,
            &r.suggestion,
            &r.mandatory,
            &r.voluntary,
            &r.facts,
            &r.imperative,
            &r.not_imperative,
            &r.advisory,
            &r.recital,
            &r.default_none,
            &r.finite,
            &r.relative,
            &r.fragment,
            &r.furniture,
            &r.recommend,
        ];
        let cues: Vec<&Cue> = lists.into_iter().flatten().collect();
        cues.par_iter().for_each(|c| c.prepare());
    }

    /// True when the rules cover `lang`.
    pub fn covers(&self, lang: &str) -> bool {
        self.langs.contains_key(lang)
    }

    /// Classifies one sentence of a document of unknown type; returns the label and the cue
    /// that decided it.
    pub fn classify(&self, lang: &str, sentence: &str) -> (Label, String) {
        self.classify_in(lang, "", sentence)
    }

    /// Classifies one sentence of a document of type `doc_type` (`law`, `guidance`, …; empty
    /// when unknown); returns the label and the cue that decided it.
    pub fn classify_in(&self, lang: &str, doc_type: &str, sentence: &str) -> (Label, String) {
        self.classify_at(lang, doc_type, false, sentence)
    }

    /// Like [`Classifier::classify_in`], for a sentence whose place in its document is known:
    /// `in_preamble` when it stands in the citations and recitals of an act (before its enacting
    /// formula, see [`preamble_end`]). A recital has no binding force, so the statutory present
    /// tense does not make it a rule there; its cues (*devrait*, *doit*) still decide.
    pub fn classify_at(
        &self,
        lang: &str,
        doc_type: &str,
        in_preamble: bool,
        sentence: &str,
    ) -> (Label, String) {
        let Some(r) = self.langs.get(lang) else {
            return (Label::None, format!("no rules for language {lang}"));
        };
        let s = mask(&glyphs_to_spaces(sentence), &r.furniture)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if s.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() < 2 {
            return (Label::None, "page furniture or no words".into());
        }
        let first = |list: &[Cue], text: &str| {
            list.iter()
                .filter_map(|re| re.find(text))
                .min_by_key(|m| m.start())
                .map(|m| m.as_str().trim().to_string())
        };
        if let Some(m) = r.consequence.iter().filter_map(|re| re.find(&s)).min_by_key(|m| m.start())
            && !r.recommend.iter().any(|re| re.find(&s).is_some_and(|x| x.start() < m.start()))
        {
            return (Label::Mandatory, format!("legal consequence: {}", m.as_str().trim()));
        }
        let mut main = s.as_str();
        for re in &r.conditional {
            if let Some(m) = re.find(main)
                && m.start() == 0
                && m.end() < main.len()
            {
                main = &main[m.end()..];
                break;
            }
        }
        // Whether a leading clause was cut off: the main clause is then a proper suffix.
        let cut = main.len() < s.len();
        if let Some(m) = first(&r.none, main) {
            return (Label::None, format!("none: {m}"));
        }
        let addressed = doc_type.is_empty()
            || r.imperative_types.is_empty()
            || r.imperative_types.iter().any(|t| t == doc_type);
        // Read before the possibilities are masked; it competes with the obligation cues below.
        let suggestion = if addressed || in_preamble {
            r.suggestion
                .iter()
                .filter_map(|re| re.find(main))
                .min_by_key(|m| m.start())
                .map(|m| (m.start(), m.as_str().trim().to_string()))
        } else {
            None
        };
        let possibility = first(&r.neutral, main);
        let masked = mask(&mask(main, &r.neutral), &r.purpose);
        let main = masked.as_str();
        if let Some(m) = first(&r.hedged, main) {
            return (Label::Voluntary, format!("hedged: {m}"));
        }
        if addressed && let Some(m) = leading_verb(r, main) {
            return (Label::Voluntary, format!("guidance to the reader: {}", m.trim()));
        }
        // In a statute, an item that opens with a bare verb ("f) établir et maintenir …", "a) si
        // nécessaire, …, élaborer …", "(a) ensure that …") lists an action of the provision that
        // introduces it; a modal further on sits in its subordinate clause.
        if !addressed && let Some(v) = item_verb(r, &s) {
            return (Label::None, format!("an item without a finite verb: {v}"));
        }
        // The main clause decides: a modal inside a relative clause ("in which it can be
        // integrated", "qui peuvent", "die ... besitzen müssen") describes a noun.
        // The comma that closed a cut-off clause still opens the one after it: in "Ist die
        // Beschwerde … eingegangen, bei der sie eingelegt werden kann, ist sie …" the cut stops at
        // the first comma, and "bei der sie … kann" is a relative clause all the same.
        let clause = if cut {
            mask(&format!(", {main}"), &r.relative)[2..].to_string()
        } else {
            mask(main, &r.relative)
        };
        // A cue written with a capital after the sentence's first word is part of a name.
        let earliest = |list: &[Cue]| {
            list.iter()
                .flat_map(|re| re.find_iter(&clause))
                .filter(|m| {
                    !m.as_str().starts_with(char::is_uppercase)
                        || !main[..m.start()].chars().any(char::is_alphabetic)
                })
                .min_by_key(|m| m.start())
        };
        let fact = earliest(&r.facts);
        // In advisory document types, advisory words count as voluntary cues, not mandatory ones;
        // so do an act's recommendation words in its recitals.
        let advisory = r.advisory_types.iter().any(|t| t == doc_type);
        let advice = if advisory {
            earliest(&r.advisory)
        } else if in_preamble {
            earliest(&r.recital)
        } else {
            None
        };
        let mandatory = earliest(&r.mandatory)
            .filter(|m| advice.is_none_or(|a| m.end() <= a.start() || m.start() >= a.end()));
        let voluntary = match (earliest(&r.voluntary), advice) {
            (Some(v), Some(a)) => Some(if a.start() < v.start() { a } else { v }),
            (v, a) => v.or(a),
        };
        // The cue says when a recital's "should" ("debe", "deverá") decided, so that nobody
        // reads an obligation word labelled voluntary as a mistake.
        let recommends = |v: regex::Match<'_>| {
            let recital = !advisory && advice.is_some_and(|a| a.range() == v.range());
            let kind = if recital { "a recital's recommendation" } else { "voluntary" };
            format!("{kind}: {}", v.as_str().trim())
        };
        if let Some((at, cue)) = &suggestion
            && mandatory.is_none_or(|m| *at <= m.start())
            && voluntary.is_none_or(|v| *at <= v.start())
        {
            return (Label::Voluntary, format!("a suggestion: {cue}"));
        }
        match (mandatory, voluntary) {
            (Some(m), Some(v)) if v.start() <= m.start() => {
                return (Label::Voluntary, recommends(v));
            }
            (Some(m), _) => {
                if let Some(f) = fact.filter(|f| {
                    f.start() < m.start() && r.report_types.iter().any(|t| t == doc_type)
                }) {
                    return (Label::None, format!("fact: {}", f.as_str().trim()));
                }
                return (Label::Mandatory, format!("mandatory: {}", m.as_str().trim()));
            }
            (None, Some(v)) => {
                return match fact {
                    Some(f) if f.start() < v.start() => {
                        (Label::None, format!("fact: {}", f.as_str().trim()))
                    }
                    _ => (Label::Voluntary, recommends(v)),
                };
            }
            (None, None) => {}
        }
        if let Some(f) = fact {
            return (Label::None, format!("fact: {}", f.as_str().trim()));
        }
        // A modal of possibility with no other cue states what may happen, not a rule.
        if let Some(p) = possibility {
            return (Label::None, format!("possibility: {p}"));
        }
        let default = r.default_by_type.get(doc_type).copied().unwrap_or(r.default);
        if in_preamble && default == Label::Mandatory {
            return (Label::None, "a recital: no operative provision".into());
        }
        // The statutory present tense sets a rule only in a whole operative provision.
        if default == Label::Mandatory {
            // (After a cut-off condition the rule may be short: "…, endet das Verfahren.")
            if !cut && main.split_whitespace().count() < 4 {
                return (Label::None, "too short for a rule".into());
            }
            if let Some(m) = first(&r.fragment, &s) {
                return (Label::None, format!("a piece of a sentence: {m}"));
            }
            if !r.finite.is_empty() && first(&r.finite, &clause).is_none() {
                return (Label::None, "no finite verb".into());
            }
            if let Some(m) = first(&r.default_none, &clause) {
                return (Label::None, format!("not an operative provision: {m}"));
            }
        }
        let cue = match default {
            Label::Mandatory => "statutory present tense",
            Label::Voluntary => "default",
            Label::None => "no modal or obligation cue",
        };
        (default, cue.into())
    }
}

/// Replaces every match of `patterns` with spaces (offsets stay the same).
/// PDF text keeps a list's bullet as whatever its font mapped the glyph to: a control character
/// ("\u{7}Enforce laws …") or a private-use code point ("\u{f0b7}"). Neither is a word, and
/// neither is whitespace to `split_whitespace`, so they would hide the item's first word from the
/// patterns anchored at the start of a clause; they become spaces (the same characters the
/// extractors' quality score counts as debris).
fn glyphs_to_spaces(sentence: &str) -> std::borrow::Cow<'_, str> {
    let glyph = crate::extract::normalize::is_glyph_debris;
    if sentence.chars().any(glyph) {
        sentence.chars().map(|c| if glyph(c) { ' ' } else { c }).collect::<String>().into()
    } else {
        sentence.into()
    }
}

/// Where the preamble of an act ends in its pages: the end of the enacting formula ("ONT ADOPTÉ
/// LA PRÉSENTE DIRECTIVE:", "HAVE ADOPTED THIS REGULATION:", "HABEN FOLGENDE VERORDNUNG
/// ERLASSEN:") after the opening of its recitals ("considérant ce qui suit:", "Whereas:"), as
/// (page index, byte offset in that page). None for documents without recitals (national
/// statutes, guides, plans).
pub fn preamble_end<S: AsRef<str>>(pages: &[S]) -> Option<(usize, usize)> {
    static OPENING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(considérant ce qui suit|whereas|in erwägung nachstehender gründe|considerando lo siguiente|considerando o seguinte)\s*:",
        )
        .expect("valid regex")
    });
    static FORMULA: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\b(ONT ADOPTÉ|HAVE ADOPTED|HABEN (FOLGENDE|DIESE)|HAN ADOPTADO|ADOTARAM)\b[^:.]{0,60}:",
        )
        .expect("valid regex")
    });
    // The recitals open after the title and the citations, within the act's first pages: only
    // that much of a document is searched, so that a long statute costs nothing here.
    const OPENING_WITHIN: usize = 40_000;
    let mut budget = OPENING_WITHIN;
    let (first, from) = pages.iter().enumerate().find_map(|(k, p)| {
        let p = p.as_ref();
        if budget == 0 {
            return None;
        }
        let mut end = p.len().min(budget);
        while !p.is_char_boundary(end) {
            end -= 1;
        }
        budget -= end;
        OPENING.find(&p[..end]).map(|m| (k, m.end()))
    })?;
    pages.iter().enumerate().skip(first).find_map(|(k, p)| {
        let at = if k == first { from } else { 0 };
        FORMULA.find_at(p.as_ref(), at).map(|m| (k, m.end()))
    })
}

/// The preambles of documents exported by `napscan text` (`DIR/<doc_id>.txt`, pages separated by
/// form feeds), for classifying sentences that come without their place in the document
/// (`napscan commitment --text`, `napscan eval --text`).
#[derive(Debug, Default)]
pub struct Preambles {
    /// doc_id → (preamble, the rest), whitespace collapsed.
    docs: BTreeMap<String, (String, String)>,
}

impl Preambles {
    /// Reads the exported text of each of `doc_ids` found in `dir` (a missing file leaves that
    /// document without a preamble).
    pub fn read<'a>(
        dir: &Path,
        doc_ids: impl IntoIterator<Item = &'a str>,
    ) -> Result<Preambles, Error> {
        let mut docs = BTreeMap::new();
        for id in doc_ids {
            // A document id names a file in `dir`, never a path out of it.
            if docs.contains_key(id)
                || id.is_empty()
                || id.starts_with('.')
                || id.contains(['/', '\\'])
            {
                continue;
            }
            let path = dir.join(format!("{id}.txt"));
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::io(path, e)),
            };
            let pages: Vec<&str> = text.split('\x0c').collect();
            let Some((k, at)) = preamble_end(&pages) else { continue };
            let mut head: Vec<&str> = pages[..k].to_vec();
            head.push(&pages[k][..at]);
            let mut tail = vec![&pages[k][at..]];
            tail.extend(&pages[k + 1..]);
            docs.insert(id.to_string(), (collapse(&head.join(" ")), collapse(&tail.join(" "))));
        }
        Ok(Preambles { docs })
    }

    /// True when `sentence` stands in the preamble of `doc_id` and not in its operative part.
    pub fn contains(&self, doc_id: &str, sentence: &str) -> bool {
        let Some((head, tail)) = self.docs.get(doc_id) else { return false };
        let s = collapse(sentence);
        let needle = match s.char_indices().nth(100) {
            Some((i, _)) => &s[..i],
            None => s.as_str(),
        };
        !needle.is_empty() && head.contains(needle) && !tail.contains(needle)
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The bare verb (`imperative` pattern) `text` opens with, unless it is a `not_imperative` word.
fn leading_verb<'t>(r: &LangRules, text: &'t str) -> Option<&'t str> {
    r.imperative
        .iter()
        .filter_map(|re| re.find(text))
        .find(|m| m.start() == 0 && !r.not_imperative.iter().any(|w| w.find(m.as_str()).is_some()))
        .map(|m| m.as_str())
}

/// The bare verb an enumerated item opens with, after its marker and up to three leading
/// conditions or phrases set off by commas that hold no finite verb ("a) si nécessaire, en
/// raison de …, élaborer …").
fn item_verb<'t>(r: &LangRules, sentence: &'t str) -> Option<&'t str> {
    if !item_marker(sentence) {
        return None;
    }
    let mut rest = sentence;
    for _ in 0..4 {
        if let Some(v) = leading_verb(r, rest) {
            return Some(v.trim());
        }
        if let Some(m) =
            r.conditional.iter().filter_map(|re| re.find(rest)).find(|m| m.start() == 0)
        {
            rest = &rest[m.end()..];
            continue;
        }
        // Without a list of finite verbs, a phrase cannot be told from a clause.
        let comma = rest.find(',').filter(|&i| i <= 250 && !r.finite.is_empty())?;
        let phrase = strip_marker(&rest[..comma]);
        let holds = |list: &[Cue]| list.iter().any(|re| re.find(phrase).is_some());
        if phrase.contains(';') || holds(&r.finite) || holds(&r.mandatory) || holds(&r.voluntary) {
            return None;
        }
        rest = rest[comma + 1..].trim_start();
    }
    None
}

/// Whether `text` opens with an item marker: "a)", "(iv)", "3.", "2°", a bullet or a dash.
fn item_marker(text: &str) -> bool {
    strip_marker(text).len() < text.len()
}

/// `text` without its leading item marker ("a)", "(iv)", "3.", "2°", a bullet or a dash).
fn strip_marker(text: &str) -> &str {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    if let Some(rest) = t.strip_prefix(['•', '▪', '●', '–', '-']) {
        return rest.trim_start();
    }
    let mark = t.find(|c: char| !c.is_alphanumeric()).unwrap_or(t.len());
    let is_mark = (1..=4).contains(&mark)
        && (t[..mark].chars().all(|c| c.is_ascii_digit())
            || t[..mark].chars().all(|c| c.is_lowercase()))
        && t[mark..].starts_with([')', '.', '°']);
    match t[mark..].chars().next() {
        Some(c) if is_mark => t[mark + c.len_utf8()..].trim_start(),
        _ => text,
    }
}

fn mask(text: &str, patterns: &[Cue]) -> String {
    let mut out = text.to_string();
    for re in patterns {
        let ranges: Vec<(usize, usize)> =
            re.find_iter(&out).map(|m| (m.start(), m.end())).collect();
        for (a, b) in ranges {
            out.replace_range(a..b, &" ".repeat(b - a));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(lang: &str, s: &str) -> Label {
        Classifier::builtin().classify(lang, s).0
    }

    /// Cases written from the labelling rules and the drafting of EU acts, French and German
    /// statutes and NAPs (not from any coded page): recitals and descriptive present tense are
    /// none, "il convient" and empowerments are voluntary, the operative present stays mandatory.
    #[test]
    fn legal_drafting_cases() {
        let c = Classifier::builtin();
        let cases = include_str!("../tests/fixtures/commitment_cases.csv");
        let mut r = csv::Reader::from_reader(cases.as_bytes());
        let mut wrong = Vec::new();
        for row in r.records() {
            let row = row.unwrap();
            let (label, cue) = c.classify_in(&row[1], &row[3], &row[2]);
            if label.as_str() != &row[4] {
                wrong.push(format!("{}: {} ({cue}), want {}", &row[0], label.as_str(), &row[4]));
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn main_clause_decides() {
        assert_eq!(
            label(
                "en",
                "Where the AI system is in conformity, the notified body shall issue a certificate."
            ),
            Label::Mandatory
        );
        assert_eq!(label("en", "Member States may lay down rules on penalties."), Label::Voluntary);
        assert_eq!(
            label("en", "The Government encourages companies to consider due diligence."),
            Label::Voluntary
        );
        assert_eq!(
            label(
                "en",
                "‘provider’ means a natural or legal person that shall be responsible for the system."
            ),
            Label::None
        );
        assert_eq!(
            label("en", "The Government has no plans to legislate on due diligence."),
            Label::Voluntary
        );
        assert_eq!(label("en", "In 2017 the Ministry organised two workshops."), Label::None);
        assert_eq!(label("en", "Companies shall not use child labour."), Label::Mandatory);
    }

    #[test]
    fn other_languages() {
        assert_eq!(
            label(
                "fr",
                "Le plan comporte les mesures de vigilance raisonnable propres à identifier les risques."
            ),
            Label::Mandatory
        );
        assert_eq!(
            label("fr", "Les entreprises peuvent recourir à une vérification par un tiers."),
            Label::Voluntary
        );
        assert_eq!(
            label(
                "fr",
                "Les États membres veillent à ce que les autorités disposent des pouvoirs nécessaires."
            ),
            Label::Mandatory
        );
        assert_eq!(
            label(
                "de",
                "Der Bericht ist spätestens vier Monate nach dem Schluss des Geschäftsjahres einzureichen."
            ),
            Label::Mandatory
        );
        assert_eq!(
            label(
                "de",
                "Die Unternehmen können sich an einem externen Beschwerdeverfahren beteiligen."
            ),
            Label::Voluntary
        );
        assert_eq!(
            label("es", "El proveedor deberá garantizar la trazabilidad del sistema."),
            Label::Mandatory
        );
        assert_eq!(
            label("es", "Esta documentación podrá ser utilizada por los proveedores."),
            Label::Voluntary
        );
        assert_eq!(
            label("pt", "As empresas devem respeitar os direitos humanos."),
            Label::Mandatory
        );
        assert_eq!(label("pt", "As empresas podem adotar códigos de conduta."), Label::Voluntary);
        assert_eq!(label("xx", "Companies shall respect human rights."), Label::None);
    }

    fn label_in(lang: &str, doc_type: &str, s: &str) -> (Label, String) {
        Classifier::builtin().classify_in(lang, doc_type, s)
    }

    /// Asserts the built-in rules' label of each `(lang, doc_type, sentence, label)`.
    fn labels_hold(cases: &[(&str, &str, &str, Label)]) {
        let c = Classifier::builtin();
        for &(lang, doc_type, text, label) in cases {
            assert_eq!(c.classify_in(lang, doc_type, text).0, label, "{lang} {doc_type}: {text}");
        }
    }

    /// Asserts the label of one sentence, naming the sentence and the cue that decided.
    fn expect(lang: &str, doc_type: &str, want: Label, s: &str) {
        let (got, cue) = label_in(lang, doc_type, s);
        assert_eq!(got, want, "{s}: {cue}");
    }

    #[test]
    fn rules_v2_operative_provisions_guidance_and_document_type() {
        // Statutory present tense sets a rule in a law, not in guidance.
        let s = "Der Arbeitgeber gewährt der Frau die erforderliche Freistellung.";
        assert_eq!(label_in("de", "law", s).0, Label::Mandatory);
        assert_eq!(label_in("de", "guidance", s).0, Label::None);
        // Not operative provisions: amendment instructions, "applies to", list items, headings.
        for s in [
            "In § 3 Absatz 1 werden die Wörter „drei Monate“ durch die Wörter „sechs Monate“ ersetzt.",
            "Dieses Gesetz gilt für Unternehmen mit mindestens 1 000 Beschäftigten im Inland.",
            "1. das Verbot der Beschäftigung eines Kindes unter dem zulässigen Mindestalter;",
            "Abschnitt 2 Sorgfaltspflichten der Unternehmen im Überblick",
        ] {
            assert_eq!(label_in("de", "law", s).0, Label::None, "{s}");
        }
        assert_eq!(
            label_in("fr", "law", "L'article 5 est ainsi modifié par la loi du 27 mars.").0,
            Label::None
        );
        // Soll in a statute binds; sollte recommends.
        assert_eq!(label("de", "Der Bericht soll die Risiken benennen."), Label::Mandatory);
        assert_eq!(label("de", "Der Bericht sollte die Risiken benennen."), Label::Voluntary);
        // Guidance addressed to the reader, with the cue that decided.
        let (l, cue) =
            label_in("en", "guidance", "Be sure to include affected communities in the review.");
        assert_eq!(l, Label::Voluntary);
        assert!(cue.starts_with("guidance to the reader"), "{cue}");
        assert_eq!(label_in("en", "law", "Consider the following criteria.").0, Label::None);
        assert_eq!(
            label_in("es", "nap", "Promover la debida diligencia en las empresas públicas.").0,
            Label::Voluntary
        );
        assert_eq!(
            label_in("fr", "guidance", "Identifier les risques graves pour les droits humains.").0,
            Label::Voluntary
        );
        // Possibility is not permission; purpose is not a commitment.
        assert_eq!(
            label("en", "AI systems can have an adverse impact on fundamental rights."),
            Label::None
        );
        assert_eq!(
            label(
                "es",
                "Los sistemas de IA pueden generar riesgos para los derechos fundamentales."
            ),
            Label::None
        );
        // Spanish future tense binds only in dispositive verbs.
        assert_eq!(
            label("es", "Los Estados miembros velarán por que las autoridades actúen."),
            Label::Mandatory
        );
        assert_eq!(label("es", "El Reglamento será plenamente aplicable en 2026."), Label::None);
    }

    #[test]
    fn rules_v3_possibility_furniture_fragments_and_recommendations() {
        // A modal of possibility with no other cue is none, with the cue that decided.
        let (l, cue) =
            label_in("fr", "law", "Des atteintes graves peuvent survenir dans la chaîne.");
        assert_eq!(l, Label::None);
        assert!(cue.starts_with("possibility"), "{cue}");
        // Page furniture alone is none.
        assert_eq!(label_in("fr", "law", "JO L du 5.7.2024").0, Label::None);
        // A statute's list item without a finite verb is none; the provision itself binds.
        assert_eq!(
            label_in("de", "law", "die Einrichtung eines angemessenen Risikomanagements,").0,
            Label::None
        );
        assert_eq!(
            label_in("de", "law", "Das Unternehmen richtet ein angemessenes Risikomanagement ein.")
                .0,
            Label::Mandatory
        );
        // A recommendation about a legal consequence stays a recommendation.
        assert_eq!(
            label_in(
                "fr",
                "law",
                "Les États membres devraient veiller à ce que les victimes ne soient pas tenues \
                 de demander réparation."
            )
            .0,
            Label::Voluntary
        );
        // A capitalised cue after a paragraph number opens the sentence.
        assert_eq!(
            label_in("fr", "law", "(96) Il convient que les entreprises consultent les parties.").0,
            Label::Voluntary
        );
    }

    #[test]
    fn rules_v4_verbless_items_relative_clauses_recitals_and_releases() {
        let none = |lang: &str, s: &str| expect(lang, "law", Label::None, s);
        let mandatory = |s: &str| expect("fr", "law", Label::Mandatory, s);
        // A French main clause without a finite verb is an annex item or a title, not a rule.
        none(
            "fr",
            "L’obligation de prévenir la pollution causée par les navires, interprétée \
             conformément à la convention internationale du 2 novembre 1973.",
        );
        none("fr", "Des sociétés commerciales et des groupements d'intérêt économique.");
        // ... while the statutory present with any verb still binds.
        mandatory(
            "Lorsque les conditions sont remplies, l’autorité de contrôle accorde l’exemption.",
        );
        mandatory(
            "Les États membres déterminent le régime des sanctions applicables aux violations.",
        );
        // A verb in a relative clause does not make the provision a description.
        mandatory(
            "La Commission publie des orientations définissant une méthodologie qui permettent \
             aux entreprises d’évaluer les vérificateurs.",
        );
        mandatory("Le rapport tient compte des actes de l’Union qui s’appliquent aux entreprises.");
        // A main clause cut by page furniture is not a heading.
        mandatory(
            "Si l’entreprise n’a pas de succursale dans un État membre ou possède des succursales \
             dans différents États membres, l’autorité de contrôle compétente est l’autorité de \
             contrôle de l’État membre où",
        );
        // Liability survives an adverb; "demeure responsable" is a legal consequence.
        mandatory("Les entreprises peuvent néanmoins être tenues pour responsables du dommage.");
        mandatory("La société mère demeure conjointement responsable du non-respect.");
        // A release from an obligation is a permission.
        assert_eq!(
            label_in("fr", "law", "L’entreprise n’est pas tenue de suspendre la relation.").0,
            Label::Voluntary
        );
        // A recital without a cue describes; a recital with "doivent" still binds.
        none("fr", "(35) La présente directive tient compte de l’approche «Une seule santé».");
        mandatory("(40) Les entreprises doivent prendre des mesures appropriées.");
        // German: the rest of a citation cut after "Abs." is a piece of a sentence.
        none("de", "1 Buchstabe b des Umweltauditgesetzes verstoßen hat, ohne verurteilt zu sein.");
        none(
            "de",
            "1 über eine ausreichende Maschinenleistung nicht verfügt, u) das entgegen § 6.",
        );
    }

    #[test]
    fn rules_v5_relative_clauses_reported_speech_and_discourse() {
        // A modal inside a relative clause does not decide; the main clause's own cue does.
        expect(
            "en",
            "law",
            Label::None,
            "(a) the tasks that the model is intended to perform and the type of AI systems in \
             which it can be integrated;",
        );
        expect(
            "en",
            "law",
            Label::Mandatory,
            "Providers shall keep the logs, which may be extended by six months.",
        );
        expect(
            "de",
            "law",
            Label::None,
            "Anforderungen, die die Zahl der Zulassungen begrenzen, die bestimmte \
             Berufsqualifikationen besitzen müssen oder dürfen;",
        );
        // A modal in a relative clause of a binding provision leaves the provision binding.
        expect(
            "de",
            "law",
            Label::Mandatory,
            "Der Träger muss eine Verfahrensordnung erlassen, die Fristen regeln kann.",
        );
        // Reported speech: what the UNGPs or a working group said is a fact here.
        expect(
            "fr",
            "law",
            Label::None,
            "Les principes directeurs des Nations unies stipulent que les entreprises devraient \
             éviter d’enfreindre les droits de l’homme.",
        );
        expect(
            "es",
            "nap",
            Label::None,
            "En esa misma línea, destacó que el plan de acción nacional debería contribuir a la \
             coherencia de las políticas.",
        );
        // "It should be noted" is discourse, not a recommendation.
        expect(
            "es",
            "nap",
            Label::None,
            "También debe notarse que persisten múltiples problemáticas en el contexto empresarial.",
        );
        // A numbered NAP action in the infinitive is a commitment addressed to its implementers.
        expect(
            "es",
            "nap",
            Label::Voluntary,
            "53 Incorporar el enfoque de derechos humanos en la política pública sobre discapacidad.",
        );
        // French definitions with «…» désigne, and possibility verbs of effect.
        expect(
            "fr",
            "law",
            Label::None,
            "Le terme «réparation» désigne le rétablissement d’une situation.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "(68) Les outils numériques pourraient soutenir et réduire le coût de la collecte.",
        );
        // v6: "shall be without prejudice to" is scope, "it is important to recall" discourse,
        // and a one-syllable Spanish infinitive opens a NAP action too ("Dar respuestas …").
        expect(
            "en",
            "law",
            Label::None,
            "The testing under this Article shall be without prejudice to any ethical review.",
        );
        expect(
            "en",
            "law",
            Label::None,
            "(27) It is important to recall the 2019 Ethics guidelines for AI.",
        );
        expect(
            "es",
            "nap",
            Label::Voluntary,
            "Dar respuestas que favorezcan la conciliación de la vida familiar.",
        );
    }

    #[test]
    fn rules_v8_infinitives_in_ern_list_pieces_and_portuguese_guidance() {
        // German infinitives in -ern / -eln are infinitives too ("ist … zu verlängern").
        expect(
            "de",
            "law",
            Label::Mandatory,
            "(5) Wird die Tätigkeit fortgesetzt, so ist die Anmeldebescheinigung zu verlängern.",
        );
        // A numbered item opening with a lowercase word goes on from the sentence before it.
        expect(
            "de",
            "law",
            Label::None,
            "7. von Todes wegen erwirbt, sofern er die Anlage einem Berechtigten überlässt.",
        );
        // Spanish "los cuales deben" describes a noun; the main clause decides.
        expect(
            "es",
            "nap",
            Label::None,
            "Solo es posible con objetivos, los cuales deben ser establecidos mediante metas.",
        );
        // Portuguese guidance: after a leading adverbial, a field label or a sub-bullet.
        for s in [
            "Em caso negativo, marque como um risco contextual.",
            "● Para um risco de projeto maior, marque Priorizar.",
            "Principais Fatores: Descreva os fatores usados para classificar o risco.",
            "● Referências cruzadas: o Riscos no Indicador 1.1 o Considere o risco de assédio.",
        ] {
            expect("pt", "guidance", Label::Voluntary, s);
        }
        // English guidance after a field label.
        expect("en", "guidance", Label::Voluntary, "Step 1: Identify the people at risk.");
    }

    #[test]
    fn rules_v9_german_prohibitions_after_the_object_and_lettered_items() {
        // The negation or restriction may stand a few words after "darf".
        for s in [
            "(3) Der Arbeitgeber darf eine schwangere Frau keine Tätigkeiten ausüben lassen.",
            "(3) Der Arbeitgeber darf eine stillende Frau nur diejenigen Tätigkeiten ausüben lassen.",
        ] {
            expect("de", "law", Label::Mandatory, s);
        }
        // Without it, "darf" is a permission.
        expect("de", "law", Label::Voluntary, "Der Anbieter darf die Daten verarbeiten.");
        // A lettered item ("5a.") opening with a conjunction is a piece of a sentence.
        expect(
            "de",
            "law",
            Label::None,
            "5a. dass ein Wahlberechtigter sich der Hilfe bedienen kann,",
        );
    }

    #[test]
    fn rules_v10_reported_texts_prepositional_relatives_and_lettered_conditions() {
        // What another text says is a fact, whatever its verb.
        expect(
            "fr",
            "law",
            Label::None,
            "(15) Dans sa résolution du 10 mars 2021, le Parlement européen invite la Commission à \
             proposer des règles.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "La communication de la Commission dispose que toutes les politiques devraient se \
             conjuguer.",
        );
        // A relative clause after a preposition is no finite verb of the main clause.
        expect(
            "fr",
            "law",
            Label::None,
            "L'interdiction du travail forcé, c'est-à-dire tout travail pour lequel ledit individu \
             ne s'est pas offert de plein gré, interprétée conformément à l'article 2.",
        );
        // A word that merely starts like a pronoun ("servitude", "nécessaire") is no verb's subject;
        // "du fait de" and "c'est-à-dire" are fixed expressions.
        expect(
            "fr",
            "law",
            Label::None,
            "L'interdiction du travail, c'est-à-dire par exemple du fait de la servitude, \
             interprétée conformément à l'article 2.",
        );
        // A lettered item's leading condition is cut off like any other.
        expect(
            "fr",
            "law",
            Label::None,
            "b) si l'on ne peut raisonnablement s'attendre à ce que les efforts aboutissent, mettre \
             un terme à la relation commerciale.",
        );
        // A German relative clause may run long before its modal.
        expect(
            "de",
            "law",
            Label::Mandatory,
            "(4) Das Unternehmen hat die Interessen derjenigen, die in sonstiger Weise durch das \
             wirtschaftliche Handeln des Unternehmens oder durch das wirtschaftliche Handeln eines \
             Unternehmens in seinen Lieferketten in einer geschützten Rechtsposition unmittelbar \
             betroffen sein können, angemessen zu berücksichtigen.",
        );
    }

    #[test]
    fn rules_v11_to_v18_participles_pseudo_infinitives_scope_and_statute_lists() {
        // v11: an English participle after its noun is no past-tense fact ("the procedure provided
        // by this Regulation should …"); a simple past with its object still is.
        expect(
            "en",
            "law",
            Label::Voluntary,
            "(78) The conformity assessment procedure provided by this Regulation should apply.",
        );
        expect(
            "en",
            "report",
            Label::None,
            "The 2012-2018 Action Plan provided the basis for awareness-raising that should continue.",
        );
        // v12: a capitalised word in -er that is no infinitive opens no instruction.
        expect(
            "es",
            "guidance",
            Label::Mandatory,
            "Cualquier persona afectada deberá ser informada.",
        );
        expect("es", "nap", Label::None, "Mujeres indígenas enfrentan barreras de acceso.");
        expect("es", "nap", Label::Voluntary, "Promover la debida diligencia en las empresas.");
        // v14: "sont incitées à" encourages; "est inscrit dans" reports another instrument; a
        // verb-first "Ne relève pas de … tout …" defines by scope.
        expect(
            "fr",
            "law",
            Label::Voluntary,
            "Les entreprises ayant pour partenaire des PME sont aussi incitées à les aider.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "Le concept de devoir de vigilance est également inscrit dans la déclaration de l'OIT.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "Ne relève pas du travail forcé tout travail ou service qui est conforme à l'article 2.",
        );
        // v15: German enumeration items that lost their number end on "und"; a noun defined by
        // a noun and its relative clause.
        expect(
            "de",
            "law",
            Label::None,
            "Kopien der Anmeldebescheinigungen der Prostituierten, die dort tätig werden, und",
        );
        expect(
            "de",
            "law",
            Label::None,
            "(2) Prostituierte sind Personen, die sexuelle Dienstleistungen erbringen.",
        );
        // v16: scope with words between ("sind die Vorschriften … nicht anzuwenden"), a body's
        // composition, and a restriction a few words after "kann".
        expect(
            "de",
            "law",
            Label::None,
            "(3) Auf die Betriebsdaten sind die Vorschriften dieses Gesetzes nicht anzuwenden.",
        );
        expect(
            "de",
            "law",
            Label::None,
            "Ihm gehören sechs Arbeitgeber, sechs Arbeitnehmer und sechs Lehrkräfte an.",
        );
        expect(
            "de",
            "law",
            Label::Mandatory,
            "(4) Abweichend davon kann auf Antrag ein Vertrag nicht als unwirksam erachtet werden.",
        );
        // v17: a competence assigned is a rule, not a definition ("ist das … zuständig").
        expect(
            "de",
            "law",
            Label::Mandatory,
            "Für Klagen nach Satz 3 ist das Landgericht ausschließlich zuständig, das entschieden hat.",
        );
        // v18: an item of a French statute's "1°, 2° …" enumeration belongs to the binding provision
        // (the train coding's reading of the vigilance plan's measures).
        expect(
            "fr",
            "law",
            Label::Mandatory,
            "1° Une cartographie des risques destinée à leur identification ;",
        );
    }

    #[test]
    fn rules_v19_v20_items_of_a_statute_purpose_clauses_and_stated_obligations() {
        // An item of a statute that opens with a bare verb lists an action of the provision, even
        // after its condition and with a modal further on; in guidance it addresses the reader.
        let item = "a) si nécessaire, en raison de la complexité des mesures, élaborer un plan \
                    d’action, les mesures pouvant être adaptées lorsque les partenaires peuvent \
                    les appliquer;";
        assert_eq!(label_in("fr", "law", item).0, Label::None);
        expect(
            "fr",
            "law",
            Label::None,
            "b) si nécessaire, lorsqu’il n’est pas possible d’y mettre un terme, élaborer un plan \
             de mesures correctives qui peuvent être adaptées;",
        );
        expect(
            "en",
            "law",
            Label::None,
            "(b) assess and mitigate possible systemic risks that may stem from the use of models;",
        );
        expect("en", "guidance", Label::Voluntary, "(b) assess and mitigate possible risks;");
        // A recital's number is no item: its phrases are not skipped to reach a verb.
        expect(
            "en",
            "law",
            Label::Voluntary,
            "(116) The AI Office should encourage the drawing up, review and adaptation of codes.",
        );
        // A purpose clause is masked but states no possibility: the statutory present decides.
        expect(
            "de",
            "law",
            Label::Mandatory,
            "In Fällen, in denen ein Unternehmen ein Umgehungsgeschäft vorgenommen hat, um die \
             Anforderungen zu umgehen, gilt der mittelbare Zulieferer als unmittelbarer Zulieferer.",
        );
        // Spanish: a modal in a relative clause ("requisitos que deben implementarse") does not
        // decide; an obligation the act is said to establish does, unless it is denied.
        expect(
            "es",
            "guidance",
            Label::None,
            "La Unión Europea ha desarrollado el Reglamento mediante requisitos que deben \
             implementarse durante el desarrollo de los sistemas.",
        );
        expect(
            "es",
            "guidance",
            Label::Mandatory,
            "El Reglamento establece una serie de requisitos que deberá cumplir el proveedor.",
        );
        expect(
            "es",
            "guidance",
            Label::None,
            "Los Principios Rectores no establecen nuevas obligaciones de derecho internacional.",
        );
        // v20: a restriction after a reservation with numbers ("darf vorbehaltlich der Absätze 2
        // und 3 nur …"); a noun ("das Bestehen") is no verb of existence.
        expect(
            "de",
            "law",
            Label::Mandatory,
            "(1) Das Ergebnis darf vorbehaltlich der Absätze 2 und 3 nur der betroffenen Person \
             mitgeteilt werden.",
        );
        expect(
            "de",
            "law",
            Label::Mandatory,
            "Der Auftraggeber beschreibt in der Bekanntmachung über das Bestehen eines \
             Qualifizierungssystems die Nachfrage nach der innovativen Leistung.",
        );
        expect(
            "de",
            "law",
            Label::None,
            "Zwischen den Ländern bestehen insbesondere Unterschiede in der Finanzierung.",
        );
    }

    #[test]
    fn rules_v21_applies_clauses_editor_notes_and_reports() {
        // Any "ist … anzuwenden" is an "applies to" clause, not only a negated or analogous one.
        expect(
            "de",
            "law",
            Label::None,
            "(33) Für Betriebsmittel, für die bis zum 30. November 2020 ein Vergabeverfahren \
             begonnen wurde, ist § 11 Absatz 3 in der bis zum 27. Juli 2021 geltenden Fassung \
             anzuwenden.",
        );
        // "Il y a donc lieu de …" advises like "il y a lieu de"; an editor's note is no provision.
        expect(
            "fr",
            "law",
            Label::Voluntary,
            "Il y a donc lieu de modifier en conséquence l’annexe de la directive (UE) 2019/1937.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "NOTA : Conformément au I de l'article 33 de l'ordonnance n° 2023-1142 du 6 décembre \
             2023, ces dispositions entrent en vigueur le 1er janvier 2025.",
        );
        // In a report, a past fact before "must" is the main clause; in a law it is not.
        let reported = "In September 2018, the Amending Act entered into force: it was adopted \
                        so that schools must offer bilingual classes.";
        assert_eq!(label_in("en", "report", reported).0, Label::None);
        assert_eq!(label_in("en", "law", reported).0, Label::Mandatory);
    }

    #[test]
    fn rules_v22_v23_possibility_restrictions_and_enacting_formulas() {
        // What a thing can do or undergo is possibility; who may act is permission.
        for s in [
            "(28) Aside from the many beneficial uses of AI, it can also be misused and provide \
             novel tools for manipulative practices.",
            "(93) Whilst risks can result from the way such systems are designed, risks can as \
             well stem from how such AI systems are used.",
            "Such specific categories can relate to aspects such as sex, age or hair colour.",
            "In addition, AI systems may also otherwise exploit the vulnerabilities of a person.",
            "AI systems used for those purposes may lead to discrimination between persons and \
             may perpetuate historical patterns of discrimination.",
        ] {
            assert_eq!(label_in("en", "law", s).0, Label::None, "{s}");
        }
        expect(
            "en",
            "law",
            Label::Voluntary,
            "It may cancel, reduce or increase the fine imposed.",
        );
        // A restriction with the verb between "may" and "only".
        expect(
            "en",
            "law",
            Label::Mandatory,
            "Notifying authorities may notify only conformity assessment bodies which have \
             satisfied the requirements laid down in Article 31.",
        );
        // A present perfect of what was done is a fact.
        expect(
            "en",
            "law",
            Label::None,
            "International approaches have so far identified the need to pay attention to risks \
             that can be lowered.",
        );
        // The enacting formula, with the Bundesrat's consent between.
        expect(
            "de",
            "law",
            Label::None,
            "Der Bundestag hat mit Zustimmung des Bundesrates das folgende Gesetz beschlossen:",
        );
        // v23, French: the statutory present with a completive clause sets the rule; a leading
        // "Pour décider …," is cut off like a condition; "peut ne pas être en mesure" is possibility.
        expect(
            "fr",
            "law",
            Label::Mandatory,
            "Le mécanisme garantit que les notifications peuvent être effectuées de manière anonyme.",
        );
        expect(
            "fr",
            "law",
            Label::Mandatory,
            "Pour décider s’il y a lieu d’imposer des sanctions et, dans l’affirmative, pour \
             déterminer leur niveau, il est dûment tenu compte des éléments suivants:",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "Ainsi, l’entreprise peut ne pas être en mesure de parvenir à de tels résultats.",
        );
    }

    #[test]
    fn rules_v24_v25_annex_entries_subordinate_clauses_and_the_acts_own_scope() {
        // An annex entry holds its verbs in subordinate clauses; it is no provision.
        expect(
            "fr",
            "law",
            Label::None,
            "L’obligation d’éviter les incidences négatives sur les zones humides telles qu’elles \
             sont définies à l’article 1er de la convention de Ramsar, interprétée conformément à \
             l’article 4 de la convention.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "L’interdiction de l’inégalité de traitement, à moins que cela ne soit justifié par \
             les exigences de l’emploi, interprétée conformément aux articles 2 et 3 de la \
             convention.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "Article 32 Modification de la directive (UE) 2019/1937 Au point E.2 de l’annexe, le \
             point suivant est ajouté:",
        );
        expect("fr", "law", Label::None, "30) et a rendu un avis le 17 mars 2022.");
        expect(
            "fr",
            "law",
            Label::Mandatory,
            "Ce délai est prolongé de deux mois à l’initiative du Conseil.",
        );
        // The act's own scope in a recital is none; what the act's rules should do is advice.
        expect(
            "fr",
            "law",
            Label::None,
            "La présente directive ne devrait pas couvrir l’élimination du produit.",
        );
        expect(
            "fr",
            "law",
            Label::Voluntary,
            "(20) Le processus de vigilance énoncé dans la présente directive devrait couvrir les \
             six mesures du guide.",
        );
        expect(
            "en",
            "law",
            Label::None,
            "(23) This Regulation should also apply to Union institutions when acting as a provider.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "Elle précise également que la durabilité devrait être davantage intégrée.",
        );
        // v25: the rest of a citation cut after "L. 233-3," holds the provision's own verb (the
        // train coding reads it as the binding rule); without one it stays a piece.
        expect(
            "fr",
            "law",
            Label::Mandatory,
            "233-3, établit et met en œuvre un plan de vigilance relatif à l'activité de la société.",
        );
        expect(
            "fr",
            "law",
            Label::None,
            "233-16, directement ou indirectement, ainsi que des activités des sous-traitants avec \
             lesquels est entretenue une relation commerciale établie, lorsque ces activités sont \
             rattachées à cette relation.",
        );
    }

    #[test]
    fn rules_v26_german_restrictions_sanctions_and_prepositional_relatives() {
        // A restriction that closes the modal's clause, however far from the modal.
        for s in [
            "Die Gebühr für die Beurkundung außerhalb der Gerichtsstelle darf jedoch den Betrag \
             der für das Geschäft selbst zu erhebenden ermäßigten Gebühr nicht übersteigen.",
            "Jede Person kann für die Gewährung des Zuschusses nur einmal berücksichtigt werden.",
            "(2) Die Ordnungswidrigkeit kann mit einer Geldbuße bis zu dreißigtausend Euro \
             geahndet werden.",
            // v30: an amount with its thousands point; a finite verb in -eht.
            "(2) Die Erstattungen dürfen für das Kalenderjahr den Gesamtbetrag von 1.200 Euro \
             nicht übersteigen.",
            "Die externe Meldestelle des Bundes untersteht der Rechtsaufsicht des Ministeriums.",
        ] {
            assert_eq!(label_in("de", "law", s).0, Label::Mandatory, "{s}");
        }
        expect(
            "de",
            "law",
            Label::Voluntary,
            "Der Vorstand behält sich vor, die übertragenen Befugnisse selbst wahrzunehmen.",
        );
        // A condition's "nicht" after a comma restricts nothing.
        expect(
            "de",
            "law",
            Label::Voluntary,
            "Die Behörde kann eine Sicherheit verlangen, wenn Auflagen nicht erfüllt werden.",
        );
        // A modal in a relative clause after a preposition ("kraft dessen", "an die") does not
        // decide; nor in "wobei …".
        expect(
            "de",
            "law",
            Label::Mandatory,
            "Dem Kaufangebot steht ein Angebot zum Abschluß eines Vertrags gleich, kraft dessen \
             die Übereignung verlangt werden kann;",
        );
        // v26, English: a long heading is none; a simple past with its object is a fact.
        expect(
            "en",
            "law",
            Label::None,
            "CHAPTER X CODES OF CONDUCT AND GUIDELINES Article 95 Codes of conduct for voluntary \
             application of specific requirements",
        );
        expect(
            "en",
            "report",
            Label::None,
            "During the second cycle of the Universal Periodic Review, Slovenia made a commitment \
             to submit a voluntary Mid-term report.",
        );
    }

    #[test]
    fn a_recital_is_no_operative_provision() {
        let pages = [
            "DIRECTIVE (UE) 2024/1760 considérant ce qui suit: (1) Les entreprises jouent un rôle.",
            "Le Parlement européen et le Conseil reçoivent tous les documents. ONT ADOPTÉ LA \
             PRÉSENTE DIRECTIVE: Article 1 La Commission publie des lignes directrices.",
            "Article 2 Les États membres veillent à ce que les entreprises agissent.",
        ];
        let (k, at) = preamble_end(&pages).expect("an act with recitals");
        assert_eq!(k, 1);
        assert!(pages[1][at..].trim_start().starts_with("Article 1"));
        // No recitals, no preamble: a national statute or a guide.
        assert_eq!(preamble_end(&["Article 1 ONT ADOPTÉ LA PRÉSENTE DIRECTIVE:"]), None);
        let c = Classifier::builtin();
        let recital = "Le Parlement européen et le Conseil reçoivent tous les documents.";
        assert_eq!(c.classify_at("fr", "law", false, recital).0, Label::Mandatory);
        let (label, cue) = c.classify_at("fr", "law", true, recital);
        assert_eq!((label, cue.as_str()), (Label::None, "a recital: no operative provision"));
        // Cues still decide in a recital.
        let advice = "Les entreprises devraient prendre des mesures appropriées.";
        assert_eq!(c.classify_at("fr", "law", true, advice).0, Label::Voluntary);
    }

    #[test]
    fn rules_v39_savings_clauses_permissions_and_formulas() {
        labels_hold(&[
            // "sans préjudice" is a savings clause where it is the predicate, and only qualifies
            // a recommendation or an obligation elsewhere.
            (
                "fr",
                "law",
                "Le présent article est sans préjudice des règles nationales.",
                Label::None,
            ),
            (
                "fr",
                "law",
                "(22) Cela devrait être sans préjudice de la responsabilité civile.",
                Label::None,
            ),
            (
                "fr",
                "law",
                "(23) Les partenaires ne devraient pas être tenus de divulguer des secrets d'affaires, sans préjudice de la directive (UE) 2016/943.",
                Label::Voluntary,
            ),
            (
                "fr",
                "law",
                "Il appartient aux États membres de veiller à ce que cette modification soit prise en compte.",
                Label::Mandatory,
            ),
            // A right conferred is a permission, as German "hat das Recht" is.
            (
                "fr",
                "law",
                "Les plaignants ont le droit de demander un suivi approprié.",
                Label::Voluntary,
            ),
            (
                "fr",
                "law",
                "(48) Il est essentiel que les entreprises consultent les parties prenantes.",
                Label::Voluntary,
            ),
            (
                "fr",
                "law",
                "La Commission institue un réseau européen des autorités de contrôle.",
                Label::Mandatory,
            ),
            // The indirect question of a provision is no description.
            (
                "fr",
                "law",
                "Lorsque l'entreprise décide de ne pas mettre un terme à la relation, elle évalue périodiquement s'il existe d'autres mesures appropriées.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "Die vorübergehende Aussetzung der Geschäftsbeziehung ist möglich.",
                Label::Voluntary,
            ),
            (
                "de",
                "law",
                "Die Kosten der Vollstreckung fallen dem Schuldner zur Last.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "Auf Grund des § 5 Absatz 2 des Gesetzes verordnet das Bundesministerium der Justiz:",
                Label::None,
            ),
        ]);
    }

    #[test]
    fn rules_v40_definitions_restrictions_releases_and_clarifications() {
        labels_hold(&[
            (
                "de",
                "law",
                "3. „Nutzungsdaten“ die personenbezogenen Daten eines Nutzers, deren Verarbeitung erforderlich ist, um die Inanspruchnahme zu ermöglichen;",
                Label::None,
            ),
            (
                "de",
                "law",
                "(2) Die Ausbildungsstelle darf eine schwangere Frau im Sinne von § 1 Absatz 2 Satz 2 Nummer 8 nicht zwischen 20 Uhr und 6 Uhr tätig werden lassen.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "Der Bundesauftraggeber muss die verwirkte Vertragsstrafe nicht vor Ende der Auftragsausführung geltend machen.",
                Label::Voluntary,
            ),
            (
                "en",
                "law",
                "No decision that produces an adverse legal effect on a person may be taken based solely on the output of the system.",
                Label::Mandatory,
            ),
            (
                "en",
                "law",
                "It is also important to clarify that there may be specific cases in which AI systems do not lead to a significant risk of harm.",
                Label::None,
            ),
            (
                "fr",
                "law",
                "Parmi les facteurs pouvant déterminer le caractère approprié du calendrier pourraient figurer la gravité de l'incidence négative.",
                Label::None,
            ),
            (
                "fr",
                "law",
                "Avant de suspendre la relation commerciale, une entreprise évalue si l'on peut raisonnablement s'attendre à ce que les incidences soient plus graves.",
                Label::Mandatory,
            ),
            (
                "es",
                "nap",
                "Se requiere que los documentos de identificación expedidos por el Estado sean reconocidos por todas las entidades.",
                Label::Voluntary,
            ),
        ]);
    }

    #[test]
    fn rules_v41_competences_references_and_permissions_in_german_statutes() {
        labels_hold(&[
            (
                "de",
                "law",
                "(2) Zuständige Behörde nach Absatz 1 ist die Behörde, in deren Bezirk der Diensteanbieter seinen Sitz hat.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "(2) Im Übrigen gelten die Begriffsbestimmungen des § 2 des Gesetzes.",
                Label::None,
            ),
            (
                "de",
                "law",
                "Für die Verarbeitung personenbezogener Daten gelten die Teile 1 und 2 des Bundesdatenschutzgesetzes.",
                Label::None,
            ),
            (
                "de",
                "law",
                "Der Umfang der Leistung richtet sich nach dem Bedarf der Person.",
                Label::None,
            ),
            (
                "de",
                "law",
                "(3) Zur Durchführung von Umschaltungen ist dem Betreiber das Aufschalten auf bestehende Verbindungen erlaubt.",
                Label::Voluntary,
            ),
            // A statutory "soll" still binds.
            (
                "de",
                "law",
                "Eine stillende Frau soll ihrem Arbeitgeber so früh wie möglich mitteilen, dass sie stillt.",
                Label::Mandatory,
            ),
        ]);
    }

    #[test]
    fn rules_v42_a_question_sets_no_rule() {
        labels_hold(&[
            (
                "es",
                "guidance",
                "¿Qué obligaciones debe cumplir el proveedor de un sistema de alto riesgo?",
                Label::None,
            ),
            (
                "en",
                "guidance",
                "What should companies do when they identify an adverse impact?",
                Label::None,
            ),
            (
                "fr",
                "guidance",
                "Quelles mesures les entreprises doivent-elles prendre ?",
                Label::None,
            ),
            ("de", "guidance", "Welche Pflichten muss das Unternehmen erfüllen?", Label::None),
        ]);
        let c = Classifier::builtin();
        // The question mark of a quoted title inside a rule does not end the rule.
        let rule = "Providers shall answer the question \"Is the system high-risk?\" before placing it on the market.";
        assert_eq!(c.classify_in("en", "law", rule).0, Label::Mandatory);
    }

    #[test]
    fn rules_v43_leading_clauses_of_reason_and_concession_are_cut_off() {
        labels_hold(&[
            (
                "en",
                "law",
                "Given that providers may rely on third parties, Member States shall ensure that the obligations are met.",
                Label::Mandatory,
            ),
            (
                "fr",
                "law",
                "Étant donné que les entreprises peuvent recourir à des tiers, les États membres veillent à ce que les obligations soient respectées.",
                Label::Mandatory,
            ),
            (
                "es",
                "law",
                "Dado que los proveedores pueden recurrir a terceros, deberán documentar cada encargo.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "Da die Behörde Auskünfte verlangen kann, hat das Unternehmen die Unterlagen aufzubewahren.",
                Label::Mandatory,
            ),
        ]);
    }

    #[test]
    fn rules_v44_what_the_laws_md_review_of_v38_v43_showed() {
        labels_hold(&[
            // A permission in a clause of exception does not lift the rule before it.
            (
                "de",
                "law",
                "(2) Die Teilnehmer an einem Vergabeverfahren sind gleich zu behandeln, es sei denn, eine Ungleichbehandlung ist aufgrund eines Bundesgesetzes geboten oder gestattet.",
                Label::Mandatory,
            ),
            // The competent authority's power is a permission; naming the authority assigns a competence.
            (
                "de",
                "law",
                "(1) Die zuständige Behörde ist berechtigt, die Daten zu verarbeiten.",
                Label::Voluntary,
            ),
            (
                "de",
                "law",
                "Zuständige Stellen sind die Prüfstelle Bundestariftreue sowie die Landesbehörden.",
                Label::Mandatory,
            ),
            // A sentence cut at a comma is a piece.
            (
                "de",
                "law",
                "Gastwissenschaftler an einer Hochschule, die nicht bereits in den Anwendungsbereich des Gesetzes fallen,",
                Label::None,
            ),
        ]);
    }

    #[test]
    fn rules_v45_portuguese_guidance_and_bulleted_conditions() {
        labels_hold(&[
            // An infinitive bullet whose next word is "à" / "às".
            (
                "pt",
                "guidance",
                "(d) Comunicar às partes interessadas como os impactos estão sendo tratados.",
                Label::Voluntary,
            ),
            // A condition after a bullet is cut off like any other: the imperative decides.
            (
                "pt",
                "guidance",
                "● Se o projeto for criar empregos, faça uma Identificação de Risco do Projeto sobre o risco básico.",
                Label::Voluntary,
            ),
            (
                "en",
                "guidance",
                "• Where the risk is high, consult the affected communities.",
                Label::Voluntary,
            ),
            (
                "pt",
                "guidance",
                "As equipes precisarão usar o bom senso para identificar o risco básico.",
                Label::Mandatory,
            ),
            (
                "pt",
                "guidance",
                "As equipes não precisam reafirmar os riscos do indicador.",
                Label::Voluntary,
            ),
            (
                "pt",
                "guidance",
                "Os parceiros podem não estar cientes das limitações ao uso de imagens.",
                Label::None,
            ),
        ]);
    }

    #[test]
    fn rules_v46_relative_clauses_possibilities_and_purposes() {
        labels_hold(&[
            (
                "en",
                "report",
                "Over the past few years, Slovenia has had to deal with an increasing number of applicants, including children who require special protection.",
                Label::None,
            ),
            (
                "en",
                "law",
                "Furthermore, the exercise of important procedural fundamental rights could be hampered, in particular where such AI systems are not sufficiently transparent.",
                Label::None,
            ),
            // A permitted restriction is still a permission.
            (
                "en",
                "law",
                "For providers of general-purpose AI models this adherence may be limited to the obligations provided for in Article 53.",
                Label::Voluntary,
            ),
            (
                "fr",
                "law",
                "Des motifs raisonnables de penser qu'il existe de nouveaux risques peuvent apparaître de différentes manières.",
                Label::None,
            ),
            // The victims' claim binds; the purpose of a recital that mentions it does not.
            (
                "fr",
                "law",
                "(89) Les personnes subissant un dommage peuvent demander réparation du dommage causé.",
                Label::Mandatory,
            ),
            (
                "fr",
                "law",
                "(90) Afin de permettre aux victimes de demander réparation des préjudices, les États membres devraient veiller à ce que le délai de prescription soit raisonnable.",
                Label::Voluntary,
            ),
        ]);
    }

    #[test]
    fn rules_v47_verb_first_conditions_restrictions_and_amendments() {
        labels_hold(&[
            // A German condition with its verb first is cut off like "wenn …,"; the main clause
            // decides, and a relative clause right after the cut is still a relative clause.
            (
                "de",
                "law",
                "Ist die Gewichtung aus objektiven Gründen nicht möglich, so gibt der öffentliche Auftraggeber die Zuschlagskriterien in absteigender Rangfolge an.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "Ist eine Einigung nicht zu erzielen, so kann jede der Tarifvertragsparteien die Schlichtungsstelle anrufen.",
                Label::Voluntary,
            ),
            (
                "de",
                "law",
                "(3) Ist die Beschwerde nicht innerhalb der Frist bei einer Stelle eingegangen, bei der sie nach diesem Gesetz eingelegt werden kann, ist sie unter Hinweis auf diesen Mangel zurückzuweisen.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "(1) Haben sich die Beteiligten gütlich geeinigt, endet das Schlichtungsverfahren.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "(2) Wird der Betriebsrat aufgelöst, so setzt das Arbeitsgericht unverzüglich einen Wahlvorstand ein.",
                Label::Mandatory,
            ),
            // Restrictions, legal effects, entitlements and assigned responsibility bind.
            (
                "de",
                "law",
                "Eine Verwendung der Verkehrsdaten ist nur zulässig, wenn der Endnutzer informiert wurde und er eingewilligt hat.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "(2) Geschäftliche Handlungen sind unlauter, wenn sie dazu geeignet sind, das wirtschaftliche Verhalten des Verbrauchers wesentlich zu beeinflussen.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "(1) Der Verfolgte hat Anspruch auf Entschädigung, wenn er in dieser Versorgung geschädigt worden ist.",
                Label::Mandatory,
            ),
            // "ermöglichen, zu protokollieren": the zu-infinitive is the authority's duty.
            (
                "de",
                "law",
                "(4) Die Bundesanstalt hat bei jedem Zugriff die Angaben, die die Feststellung der abgerufenen Datensätze ermöglichen, zu protokollieren.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "(6) Die Leiterin der Koordinierungsstelle darf weder ein Unternehmen der Digitalwirtschaft innehaben noch leiten.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "(1) Soweit Daten von natürlichen Personen verarbeitet werden, ist die oder der Bundesbeauftragte für den Datenschutz die zuständige Aufsichtsbehörde.",
                Label::Mandatory,
            ),
            // A one-letter item whose text opens with a capital is a whole provision; an item
            // that is a noun and its relative clause is none.
            (
                "de",
                "law",
                "d) In den Fällen der Buchstaben a) bis c) wird mindestens der Rentenbetrag gezahlt, der sich aus der Summe der Beiträge ergibt.",
                Label::Mandatory,
            ),
            (
                "de",
                "law",
                "e) Personen, die infolge von Schäden erwerbsbeschränkt sind, und ihre Hinterbliebenen.",
                Label::None,
            ),
            (
                "de",
                "law",
                "b) ein Verfahren vor der Schlichtungsstelle, das auf Verlangen nur einer Partei stattfindet.",
                Label::None,
            ),
            // When a legal term applies is a definition.
            (
                "de",
                "law",
                "Eine Benachteiligung liegt vor, wenn Menschen mit und ohne Behinderungen ohne zwingenden Grund unterschiedlich behandelt werden.",
                Label::None,
            ),
            (
                "fr",
                "law",
                "Une fois que les incidences négatives les plus graves ont été traitées dans un délai raisonnable, l'entreprise remédie aux incidences négatives moins graves.",
                Label::Mandatory,
            ),
            (
                "fr",
                "law",
                "Les États membres prennent les mesures nécessaires pour que la directive (UE) 2019/1937 s'applique au signalement des violations.",
                Label::Mandatory,
            ),
            (
                "es",
                "guidance",
                "Cualquier importador será considerado proveedor de un sistema de IA de alto riesgo si modifica su finalidad prevista.",
                Label::Mandatory,
            ),
            // A measure offered as a possibility in guidance is a suggestion; what a risk could
            // include is a possibility.
            (
                "en",
                "guidance",
                "Such measures could include provisions to give weight to self-reporting in judicial proceedings.",
                Label::Voluntary,
            ),
            (
                "en",
                "guidance",
                "A reporting requirement can be particularly appropriate where operations pose a significant risk to human rights.",
                Label::Voluntary,
            ),
            (
                "en",
                "guidance",
                "The adverse impacts could include discrimination against workers.",
                Label::None,
            ),
            (
                "pt",
                "guidance",
                "Opções futuras poderiam incluir o uso de comitês de revisão existentes.",
                Label::Voluntary,
            ),
            (
                "es",
                "guidance",
                "Los riesgos pueden incluir la discriminación de las personas trabajadoras.",
                Label::None,
            ),
            // … and an obligation cue before it still decides.
            (
                "en",
                "guidance",
                "Companies must consult affected communities, and further measures could include an independent review.",
                Label::Mandatory,
            ),
            // Amendment instructions and definitions by reference set no rule; "established"
            // locates a provider unless the act establishes a body.
            (
                "en",
                "law",
                "In Article 22(5) of Regulation (EU) No 168/2013, the following subparagraph is added: 'When adopting delegated acts, the Commission shall take into account the requirements.'",
                Label::None,
            ),
            (
                "en",
                "law",
                "That committee shall be a committee within the meaning of Regulation (EU) No 182/2011.",
                Label::None,
            ),
            (
                "en",
                "law",
                "(iii) the deployer is established, when the infringement is committed by the deployer;",
                Label::None,
            ),
            (
                "en",
                "law",
                "A European Artificial Intelligence Board (the 'Board') is hereby established.",
                Label::Mandatory,
            ),
        ]);
    }

    #[test]
    fn a_suggestion_in_an_acts_recitals_recommends() {
        let c = Classifier::builtin();
        let s = "Par conséquent, il peut être nécessaire pour les entreprises de tenir compte de ces facteurs lorsqu'elles exercent leur devoir de vigilance.";
        let (label, cue) = c.classify_at("fr", "law", true, s);
        assert_eq!(label, Label::Voluntary, "{cue}");
        assert!(cue.starts_with("a suggestion"), "{cue}");
        // In the articles a possibility stays a possibility; what factors could include, too.
        assert_eq!(c.classify_at("fr", "law", false, s).0, Label::None);
        let factors = "Les facteurs déterminant le calendrier de ces mesures pourraient inclure la gravité de l'incidence négative.";
        assert_eq!(c.classify_at("fr", "law", true, factors).0, Label::None);
    }

    #[test]
    fn a_bullet_glyph_does_not_hide_the_first_word_of_an_item() {
        let c = Classifier::builtin();
        for bullet in ["\u{7}", "\u{c}", "\u{f0b7} ", "\u{fffd}"] {
            let text = format!(
                "(a) {bullet}Enforce laws that require business enterprises to respect human rights;"
            );
            assert_eq!(c.classify_in("en", "guidance", &text).0, Label::Voluntary, "{text:?}");
        }
    }

    #[test]
    fn rules_v38_subjection_to_obligations_releases_and_what_a_report_describes() {
        labels_hold(&[
            // Being subject to requirements is a binding legal effect, in a guide that explains
            // an act as in the act.
            (
                "es",
                "guidance",
                "Los sistemas de IA de alto riesgo están sujetos a requisitos estrictos.",
                Label::Mandatory,
            ),
            (
                "en",
                "guidance",
                "High-risk AI systems are subject to strict obligations before they can be placed on the market.",
                Label::Mandatory,
            ),
            (
                "fr",
                "guidance",
                "Les grandes entreprises sont soumises à des obligations de vigilance.",
                Label::Mandatory,
            ),
            // A release from an obligation, with "ne" written out as with "n'".
            (
                "fr",
                "law",
                "Les entreprises ne sont pas tenues de publier des informations confidentielles.",
                Label::Voluntary,
            ),
            // The closing article names the act's addressees: no rule of conduct.
            (
                "fr",
                "law",
                "Les États membres sont destinataires de la présente directive.",
                Label::None,
            ),
            // No entitlement, and a period of validity, are rules; "gilt für" names a scope.
            (
                "de",
                "law",
                "Ein Anspruch auf Teilnahme an dem Verfahren besteht nicht.",
                Label::Mandatory,
            ),
            ("de", "law", "Die Anmeldebescheinigung gilt für zwei Jahre.", Label::Mandatory),
            ("de", "law", "Die Vorschrift gilt für Unternehmen mit Sitz im Inland.", Label::None),
            // What a report says a State provides is a fact, not a recommendation.
            (
                "en",
                "report",
                "The Ministry provides guidance to municipalities on the implementation of the Act.",
                Label::None,
            ),
        ]);
    }

    #[test]
    fn rules_v37_spanish_formulas_of_an_act_and_promotion_in_the_future() {
        let c = Classifier::builtin();
        for (doc_type, text, label) in [
            (
                "law",
                "La presente Ley entrará en vigor al día siguiente de su publicación.",
                Label::Mandatory,
            ),
            (
                "law",
                "Corresponde a la autoridad de control supervisar el cumplimiento.",
                Label::Mandatory,
            ),
            (
                "guidance",
                "Este sistema corresponde a la categoría de alto riesgo del anexo III.",
                Label::None,
            ),
            ("nap", "El Estado promoverá la debida diligencia en las empresas.", Label::Voluntary),
        ] {
            assert_eq!(c.classify_in("es", doc_type, text).0, label, "{text}");
        }
    }

    #[test]
    fn rules_v36_portuguese_statutes_in_the_present_tense() {
        let c = Classifier::builtin();
        for (text, label) in [
            ("Os Estados-Membros designam uma ou mais autoridades de controlo.", Label::Mandatory),
            (
                "Os Estados-Membros estabelecem o regime de sanções aplicável às violações.",
                Label::Mandatory,
            ),
            (
                "Fica instituído o Programa Nacional de Empresas e Direitos Humanos.",
                Label::Mandatory,
            ),
            ("O Decreto entra em vigor na data de sua publicação.", Label::Mandatory),
            (
                "Cabe ao Estado proteger os direitos humanos em atividades empresariais.",
                Label::Mandatory,
            ),
            // A power is a permission; scope and savings clauses set no rule; a statement with no
            // statute's verb describes.
            (
                "A Comissão fica habilitada a adotar atos delegados nos termos do artigo 34.º",
                Label::Voluntary,
            ),
            ("Esta obrigação não se aplica às empresas financeiras regulamentadas.", Label::None),
            ("O presente artigo aplica-se sem prejuízo das regras nacionais.", Label::None),
            (
                "O trabalho forçado está amplamente difundido nas cadeias de abastecimento.",
                Label::None,
            ),
        ] {
            assert_eq!(c.classify_in("pt", "law", text).0, label, "{text}");
        }
        // In a guide the same present tense describes, and in an act's recitals nothing binds.
        let designate = "Os Estados-Membros designam uma ou mais autoridades de controlo.";
        assert_eq!(c.classify_in("pt", "guidance", designate).0, Label::None);
        assert_eq!(c.classify_at("pt", "law", true, designate).0, Label::None);
    }

    #[test]
    fn rules_v35_a_missing_finite_verb_appropriate_and_a_ground_in_a_that_clause() {
        let c = Classifier::builtin();
        // "bedarf" (bedürfen) is a finite verb: a statute's requirement, not a verbless item.
        let (label, cue) = c.classify_in(
            "de",
            "law",
            "Der Betrieb eines Prostitutionsgewerbes bedarf der Erlaubnis.",
        );
        assert_eq!((label, cue.as_str()), (Label::Mandatory, "statutory present tense"));
        // "it is appropriate to" recommends, as "il convient de" does (dev044).
        let recital =
            "It is appropriate to require providers of those systems to embed technical solutions.";
        assert_eq!(c.classify_in("en", "law", recital).0, Label::Voluntary);
        // The existential of a "that" clause is the ground of a permission, not a fact (dev447).
        let right = "Any person having grounds to consider that there has been an infringement may submit complaints.";
        assert_eq!(c.classify_in("en", "law", right).0, Label::Voluntary);
        assert_eq!(
            c.classify_in("en", "report", "There has been progress in the implementation.").0,
            Label::None
        );
    }

    #[test]
    fn rules_v31_recital_should_in_spanish_and_portuguese_and_portuguese_statutes() {
        let c = Classifier::builtin();
        // EU drafting: "should" is "debe" (es) and "deverá" (pt) in the recitals, "shall" is
        // "deberá" / "deve" or the present tense in the articles.
        for (lang, recital, article) in [
            (
                "es",
                "(10) La presente Directiva debe aplicarse a las empresas de la Unión.",
                "Los Estados miembros deben garantizar que las empresas cumplan.",
            ),
            (
                "pt",
                "(10) A presente diretiva deverá aplicar-se às empresas da União.",
                "Os Estados-Membros deverão garantir que as empresas cumpram.",
            ),
        ] {
            let (label, cue) = c.classify_at(lang, "law", true, recital);
            assert_eq!(label, Label::Voluntary, "{recital}");
            assert!(cue.starts_with("a recital's recommendation: "), "{cue}");
            assert_eq!(c.classify_at(lang, "law", false, article).0, Label::Mandatory, "{article}");
        }
        // A guide's "deben" outside any recital stays an obligation it reports (train D0092).
        let guide = "El proceso de gestión de riesgos debe abordarse en todas las etapas.";
        assert_eq!(c.classify_in("es", "guidance", guide).0, Label::Mandatory);
        // Portuguese articles and statutes.
        for (text, label) in [
            (
                "Os Estados-Membros asseguram que as empresas identificam os riscos.",
                Label::Mandatory,
            ),
            ("Compete ao Ministério fiscalizar o cumprimento da lei.", Label::Mandatory),
            ("A empresa responde civilmente pelos danos causados.", Label::Mandatory),
            ("As empresas são incentivadas a adotar códigos de conduta.", Label::Voluntary),
            // Possibility, a cross-reference and an infinitive subject are no measure (dev batch
            // of the TNC tool).
            ("Abordagens corretas em alguns contextos podem não funcionar em outros.", Label::None),
            ("Para conhecer a metodologia, consulte o Guia de Direitos Humanos.", Label::None),
            ("Deixar esses riscos fora da Lista Priorizar libera tempo e recursos.", Label::None),
            ("Para riscos baixos a serem monitorados, marque Monitorar.", Label::Voluntary),
        ] {
            assert_eq!(c.classify_in("pt", "guidance", text).0, label, "{text}");
        }
        // German statutes (dev batch 32, 25 random laws): what applies, an amendment, items run
        // together and a sentence cut at a date are no operative provisions; rules still bind.
        for (text, label) in [
            (
                "In ihren jeweiligen Fassungen gelten die Vorschriften dieses Gesetzes, soweit \
                 nicht die folgenden Absätze abweichende Regelungen enthalten.",
                Label::None,
            ),
            (
                "In Anlage II Kapitel X Sachgebiet H wird Abschnitt I wie folgt gefaßt: \
                 Folgendes Recht bleibt in Kraft:",
                Label::None,
            ),
            (
                "Standsicherheit zu gewährleisten, Automaten zu prüfen, 6. branchenspezifische \
                 Software anzuwenden und 7. branchenrechtliche Vorschriften zu beachten.",
                Label::None,
            ),
            ("Erhebungszeitpunkt ist spätestens der 15.", Label::None),
            ("Der Prüfling hat eine Arbeitsprobe durchzuführen.", Label::Mandatory),
            (
                "Die zuständigen Behörden übermitteln der Behörde auf Ersuchen die erforderlichen \
                 Angaben.",
                Label::Mandatory,
            ),
        ] {
            assert_eq!(c.classify_in("de", "law", text).0, label, "{text}");
        }
        // A plan's statements of need recommend (dev batch 33, the Peru NAP).
        for text in [
            "Asimismo, hace falta avanzar en la implementación de mecanismos de participación.",
            "Se requiere brindar información y sensibilizar sobre la debida diligencia.",
        ] {
            assert_eq!(c.classify_in("es", "nap", text).0, Label::Voluntary, "{text}");
        }
        // Joint and several liability binds, whatever qualifies it (dev batch 34, the CSDDD).
        let joint = "Lorsque le dommage a été causé conjointement, ils sont solidairement \
                     responsables, sans préjudice des dispositions du droit national.";
        assert_eq!(c.classify_in("fr", "law", joint).0, Label::Mandatory);
    }

    #[test]
    fn preambles_locate_sentences_in_exported_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("EU_act.txt"),
            "Whereas:\n(1) The Board   receives\nall documents.\n\x0cHAVE ADOPTED THIS \
             REGULATION:\nArticle 1 The Board adopts its rules of procedure.\n\x0c",
        )
        .unwrap();
        let p = Preambles::read(dir.path(), ["EU_act", "missing_doc"]).unwrap();
        assert!(p.contains("EU_act", "(1) The Board receives all documents."));
        assert!(!p.contains("EU_act", "Article 1 The Board adopts its rules of procedure."));
        assert!(!p.contains("missing_doc", "(1) The Board receives all documents."));
        // An id is a file name in the folder, not a path.
        let outside = Preambles::read(&dir.path().join("sub"), ["../EU_act"]).unwrap();
        assert!(!outside.contains("../EU_act", "(1) The Board receives all documents."));
        assert!(!p.contains("EU_act", ""));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]
        /// Any text, in any language and document type, gets a label and a cue: item markers
        /// with multi-byte characters ("2°", "•"), conditions and commas never make the
        /// classifier slice inside a character or panic.
        #[test]
        fn any_text_gets_a_label_and_a_cue(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "a)", "(iv)", "2°", "3.", "•", "–", "(163)", "si", "nécessaire,", "lorsqu’il",
                "élaborer", "établir", "doit", "peuvent", "ist", "zu", "um", "prüfen,", "shall",
                "may", "(a)", "assess", "where", "deben", "que", "Promover", "el", "la", "é", ",",
                ";", "ß", "Ä", "«", "»", ":",
            ]), 0..14),
            lang in proptest::sample::select(vec!["en", "fr", "es", "de", "pt", "xx"]),
            doc_type in proptest::sample::select(vec!["", "law", "guidance", "nap", "report"]),
        ) {
            static RULES: std::sync::LazyLock<Classifier> =
                std::sync::LazyLock::new(Classifier::builtin);
            let text = words.join(" ");
            let (_, cue) = RULES.classify_in(lang, doc_type, &text);
            proptest::prop_assert!(!cue.is_empty());
        }
    }

    #[test]
    fn bad_document_types_name_the_line() {
        let e = Classifier::parse(
            Path::new("r.toml"),
            "version = \"1\"\n[en]\ndefault = \"none\"\ndefault_by_type = { novel = \"none\" }\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("unknown document type `novel`"), "{e}");
    }

    #[test]
    fn bad_rules_name_the_line() {
        let e = Classifier::parse(
            Path::new("r.toml"),
            "version = \"1\"\n[en]\ndefault = \"none\"\nmandatory = [\"(\"]\n",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("r.toml:4: invalid pattern"), "{e}");
    }
}
