//! Reading lexicon TOML: serde structs with spans, then validation into [`Lexicon`] with errors
//! that name the file and line (as ripgrep's ignore errors do).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{Concept, Lexicon, Pattern, Scope, Term};
use crate::error::Error;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    name: String,
    version: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    #[serde(default)]
    concept: Vec<Spanned<RawConcept>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConcept {
    id: String,
    label: String,
    pillar: String,
    ungp: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    definition: String,
    #[serde(default)]
    terms: BTreeMap<String, Vec<Spanned<RawTerm>>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawTerm {
    Phrase(String),
    Table(RawTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    phrase: Option<String>,
    exact: Option<String>,
    regex: Option<String>,
    #[serde(default)]
    near: Vec<String>,
    window: Option<usize>,
    scope: Option<String>,
    #[serde(default)]
    exclude: Vec<String>,
    exclude_window: Option<usize>,
    #[serde(default)]
    #[allow(dead_code)]
    note: String,
}

/// Default anchor window, in tokens.
pub(super) const DEFAULT_WINDOW: usize = 12;

/// Reads a lexicon file.
pub fn read(path: &Path) -> Result<Lexicon, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(path, &text)
}

fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() as u64 + 1
}

/// Parses lexicon text; `path` is used in error messages.
pub fn parse(path: &Path, text: &str) -> Result<Lexicon, Error> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(text, s.start));
        Error::line(path, line, e.message().to_string())
    })?;
    if raw.version.trim().is_empty() {
        return Err(Error::line(path, 1, "`version` must not be empty"));
    }
    let mut ids = BTreeSet::new();
    let mut concepts = Vec::new();
    for sc in raw.concept {
        let line = line_of(text, sc.span().start);
        let c = sc.into_inner();
        let err = |line: u64, msg: String| Error::line(path, line, msg);
        if c.id.is_empty()
            || !c
                .id
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || "_.".contains(ch))
        {
            return Err(err(
                line,
                format!("invalid concept id `{}` (lowercase letters, digits, _ and .)", c.id),
            ));
        }
        if !ids.insert(c.id.clone()) {
            return Err(err(line, format!("duplicate concept id `{}`", c.id)));
        }
        if !c.parent.is_empty() && !ids.contains(&c.parent) {
            return Err(err(
                line,
                format!("parent `{}` of `{}` must be defined before it", c.parent, c.id),
            ));
        }
        let mut terms = Vec::new();
        for (lang, list) in c.terms {
            if lang.len() != 2 || !lang.chars().all(|ch| ch.is_ascii_lowercase()) {
                return Err(err(line, format!("`{lang}` is not an ISO 639-1 language code")));
            }
            for st in list {
                let tline = line_of(text, st.span().start);
                terms.push(term(&lang, st.into_inner(), tline).map_err(|m| err(tline, m))?);
            }
        }
        concepts.push(Concept {
            id: c.id,
            label: c.label,
            pillar: c.pillar,
            ungp: c.ungp,
            parent: c.parent,
            definition: c.definition,
            terms,
        });
    }
    Ok(Lexicon {
        name: raw.name,
        version: raw.version,
        hash: crate::cache::sha256_bytes(text.as_bytes()),
        concepts,
    })
}

fn term(lang: &str, raw: RawTerm, line: u64) -> Result<Term, String> {
    let t = match raw {
        RawTerm::Phrase(p) => RawTable {
            phrase: Some(p),
            exact: None,
            regex: None,
            near: vec![],
            window: None,
            scope: None,
            exclude: vec![],
            exclude_window: None,
            note: String::new(),
        },
        RawTerm::Table(t) => t,
    };
    let pattern = match (t.phrase, t.exact, t.regex) {
        (Some(p), None, None) => Pattern::Phrase(p),
        (None, Some(e), None) => Pattern::Exact(e),
        (None, None, Some(r)) => {
            regex::Regex::new(&r).map_err(|e| format!("invalid regex: {e}"))?;
            Pattern::Regex(r)
        }
        _ => return Err("a term needs exactly one of `phrase`, `exact` or `regex`".into()),
    };
    for p in std::iter::once(pattern.text())
        .chain(t.near.iter().map(String::as_str))
        .chain(t.exclude.iter().map(String::as_str))
    {
        if !p.chars().any(char::is_alphanumeric) {
            return Err(format!("`{p}` has no letters or digits"));
        }
    }
    if let Pattern::Phrase(p) = &pattern
        && p.split_whitespace().any(|w| w.chars().all(|c| c == '*'))
    {
        return Err(format!("`{p}`: a glob needs letters besides `*`"));
    }
    if t.window.is_some() && t.near.is_empty() {
        return Err("`window` without `near`".into());
    }
    let scope = match &t.scope {
        None => Scope::Window,
        Some(s) => Scope::parse(s).ok_or_else(|| {
            format!("invalid scope `{s}` (window, sentence, page, section, document or title)")
        })?,
    };
    if t.scope.is_some() && t.near.is_empty() {
        return Err("`scope` without `near`".into());
    }
    if t.window.is_some() && scope != Scope::Window {
        return Err(format!("`window` does not apply to scope `{}`", scope.as_str()));
    }
    for n in &t.near {
        if let Some(dt) = n.strip_prefix("doc_type:") {
            if !matches!(scope, Scope::Document | Scope::Title) {
                return Err(format!(
                    "`{n}`: a doc_type anchor needs scope = \"document\" or \"title\""
                ));
            }
            if !crate::manifest::DOC_TYPES.contains(&dt) {
                return Err(format!("`{n}`: unknown document type `{dt}`"));
            }
        }
    }
    Ok(Term {
        lang: lang.to_string(),
        pattern,
        near: t.near,
        window: t.window.unwrap_or(DEFAULT_WINDOW),
        scope,
        exclude: t.exclude,
        exclude_window: t.exclude_window.unwrap_or(0),
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Lexicon, Error> {
        parse(Path::new("l.toml"), s)
    }

    #[test]
    fn parses_terms() {
        let l = p(r#"
name = "t"
version = "1"
[[concept]]
id = "hrdd"
label = "HRDD"
pillar = "corporate_respect"
ungp = "17"
[concept.terms]
en = ["human rights due diligence", { phrase = "due diligence", near = ["human rights"], exclude = ["customer due diligence"] }]
fr = [{ regex = "devoir\\s+de\\s+vigilance" }]
"#)
        .unwrap();
        assert_eq!(l.concepts[0].terms.len(), 3);
        assert_eq!(l.concepts[0].terms[1].near, ["human rights"]);
        assert_eq!(l.concepts[0].terms[1].line, 10);
    }

    #[test]
    fn errors_have_lines() {
        let e = p("name = \"t\"\nversion = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\npillar = \"x\"\nungp = \"1\"\n[concept.terms]\nen = [{ regex = \"(\" }]\n").unwrap_err();
        assert!(e.to_string().starts_with("l.toml:9: invalid regex"), "{e}");
        let e = p("name = \"t\"\nversion = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\npillar = \"x\"\n").unwrap_err();
        assert!(e.to_string().starts_with("l.toml:3:"), "{e}");
        let head = "name = \"t\"\nversion = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\npillar = \"x\"\nungp = \"1\"\n[concept.terms]\n";
        let e = p(&format!("{head}en = [\n  {{ phrase = \"risk\", near = [\"rights\"], scope = \"chapter\" }},\n]\n")).unwrap_err();
        assert!(e.to_string().starts_with("l.toml:10: invalid scope `chapter`"), "{e}");
        let e =
            p(&format!("{head}en = [{{ phrase = \"risk\", scope = \"page\" }}]\n")).unwrap_err();
        assert!(e.to_string().contains("`scope` without `near`"), "{e}");
        let e = p(&format!(
            "{head}en = [{{ phrase = \"risk\", near = [\"x\"], scope = \"page\", window = 3 }}]\n"
        ))
        .unwrap_err();
        assert!(e.to_string().contains("does not apply to scope `page`"), "{e}");
        let e = p(&format!("{head}en = [{{ phrase = \"risk\", near = [\"doc_type:nap\"] }}]\n"))
            .unwrap_err();
        assert!(e.to_string().contains("needs scope"), "{e}");
        let e = p(&format!("{head}en = [{{ phrase = \"risk\", near = [\"doc_type:novel\"], scope = \"document\" }}]\n")).unwrap_err();
        assert!(e.to_string().contains("unknown document type"), "{e}");
        let l = p(&format!("{head}en = [{{ phrase = \"risk\", near = [\"doc_type:nap\", \"human rights\"], scope = \"document\" }}]\n")).unwrap();
        assert_eq!(l.concepts[0].terms[0].scope, Scope::Document);
        let e = p("name = \"t\"\nversion = \"1\"\nbogus = 1\n").unwrap_err();
        assert!(e.to_string().starts_with("l.toml:3:"), "{e}");
        let e = p("name = \"t\"\nversion = \"1\"\n[[concept]]\nid = \"a.b\"\nlabel = \"A\"\npillar = \"x\"\nungp = \"1\"\nparent = \"a\"\n").unwrap_err();
        assert!(e.to_string().contains("must be defined before"), "{e}");
    }

    proptest::proptest! {
        /// Arbitrary text, and arbitrary term lines in an otherwise valid concept, give a lexicon
        /// or an error that names the file: never a panic.
        #[test]
        fn any_text_is_a_lexicon_or_an_error(
            text in "\\PC{0,300}",
            phrase in "[^\"\\\\\\n]{0,40}",
            near in "[^\"\\\\\\n]{0,20}",
            scope in "[a-z]{0,9}",
        ) {
            let term = format!("{{ phrase = \"{phrase}\", near = [\"{near}\"], scope = \"{scope}\" }}");
            if let Err(e) = p(&text) {
                proptest::prop_assert!(e.to_string().starts_with("l.toml"), "{e}");
            }
            let doc = format!(
                "name = \"t\"\nversion = \"1\"\n[[concept]]\nid = \"a\"\nlabel = \"A\"\npillar = \"x\"\nungp = \"1\"\n[concept.terms]\nen = [ {term} ]\n"
            );
            if let Err(e) = p(&doc) {
                proptest::prop_assert!(e.to_string().starts_with("l.toml"), "{e}");
            }
        }
    }
}
