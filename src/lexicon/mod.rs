//! Lexicons: versioned TOML files under `lexicons/` that say, per UNGP concept and per language,
//! which terms flag it. This module reads and validates them (errors name the file and line) into
//! [`Lexicon`] values; `matcher` compiles them per language and finds hits in analysed text.

pub mod matcher;
mod parse;

use std::collections::BTreeSet;
use std::path::Path;

use crate::error::Error;

pub use parse::{parse, read};

/// A lexicon file.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Short name (`ungp`).
    pub name: String,
    /// Version string, recorded in every run.
    pub version: String,
    /// SHA-256 of the file's bytes, recorded in every run.
    pub hash: String,
    /// Concepts in file order.
    pub concepts: Vec<Concept>,
}

impl Lexicon {
    /// Languages that have at least one term.
    pub fn languages(&self) -> BTreeSet<String> {
        self.concepts.iter().flat_map(|c| c.terms.iter().map(|t| t.lang.clone())).collect()
    }

    /// The concept with this id.
    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    /// The top-level concept a concept belongs to (itself when it has no parent).
    pub fn root_of<'a>(&'a self, id: &'a str) -> &'a str {
        match self.concept(id) {
            Some(c) if !c.parent.is_empty() => &c.parent,
            _ => id,
        }
    }

    /// Reads the default lexicon shipped with napscan (`lexicons/ungp.toml`, embedded at build time).
    pub fn builtin() -> Lexicon {
        parse(Path::new("lexicons/ungp.toml"), BUILTIN).expect("the built-in lexicon is valid")
    }
}

/// The default lexicon's text.
pub const BUILTIN: &str = include_str!("../../lexicons/ungp.toml");

/// A concept with its terms.
#[derive(Debug, Clone)]
pub struct Concept {
    /// Id (`hrdd`, `access_to_remedy`, `access_to_remedy.judicial`).
    pub id: String,
    /// Human-readable label.
    pub label: String,
    /// UNGP pillar (`state_duty`, `corporate_respect`, `remedy`, `cross_cutting`).
    pub pillar: String,
    /// UNGP numbers (`15, 17-21`).
    pub ungp: String,
    /// Parent concept id, for sub-concepts; empty otherwise.
    pub parent: String,
    /// Definition shown to users.
    pub definition: String,
    /// Terms, all languages.
    pub terms: Vec<Term>,
}

/// How a term matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// A phrase, matched on analysed tokens (stemmed and folded); a token with `*` is a glob on
    /// the folded, unstemmed token (`vigilan*`, `*pflicht*`).
    Phrase(String),
    /// An exact, case-sensitive sequence of surface tokens (acronyms such as `NCP`).
    Exact(String),
    /// A regular expression on the page text (case-insensitive unless it says otherwise).
    Regex(String),
}

impl Pattern {
    /// The pattern's text as written in the lexicon.
    pub fn text(&self) -> &str {
        match self {
            Pattern::Phrase(s) | Pattern::Exact(s) | Pattern::Regex(s) => s,
        }
    }
}

/// Where a term's anchors (`near`) must stand for the term to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// Within `window` tokens of the hit (the default).
    #[default]
    Window,
    /// In the sentence that holds the hit.
    Sentence,
    /// Anywhere on the hit's page.
    Page,
    /// In the hit's section: from the heading before it (`#`, `§ 3`, `Article 5`, `Artículo 2`,
    /// `3.2 Title`) to the next one, across pages.
    Section,
    /// Anywhere in the document, its title included; an anchor `doc_type:nap` matches the
    /// manifest's document type.
    Document,
    /// In the document's title or metadata only (`doc_type:nap`): the document's subject, so that
    /// general words ("risk", "mitigation") count in a human-rights screening tool and not in a
    /// banking law that mentions human rights once.
    Title,
}

impl Scope {
    /// Parses a scope name as written in lexicon files.
    pub fn parse(s: &str) -> Option<Scope> {
        Some(match s {
            "window" => Scope::Window,
            "sentence" => Scope::Sentence,
            "page" => Scope::Page,
            "section" => Scope::Section,
            "document" => Scope::Document,
            "title" => Scope::Title,
            _ => return None,
        })
    }

    /// The scope's name as written in lexicon files.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Window => "window",
            Scope::Sentence => "sentence",
            Scope::Page => "page",
            Scope::Section => "section",
            Scope::Document => "document",
            Scope::Title => "title",
        }
    }
}

/// One term of a concept in one language.
#[derive(Debug, Clone)]
pub struct Term {
    /// ISO 639-1 language.
    pub lang: String,
    /// What to match.
    pub pattern: Pattern,
    /// Anchors: when non-empty, one of these phrases must occur within `window` tokens.
    pub near: Vec<String>,
    /// Window for anchors, in tokens (scope `window` only).
    pub window: usize,
    /// Where the anchors must stand.
    pub scope: Scope,
    /// Exclusions: phrases that, when they overlap the hit (or stand within `exclude_window`
    /// tokens of it), cancel it.
    pub exclude: Vec<String>,
    /// Window for exclusions, in tokens (0 = must overlap the hit).
    pub exclude_window: usize,
    /// Line in the lexicon file.
    pub line: u64,
}

/// The lexicons a command uses, resolved the same way by every command and the web app: the
/// files given (`--lexicon`), or the built-in default lexicon when none is.
pub fn resolve(files: &[std::path::PathBuf]) -> Result<Vec<Lexicon>, Error> {
    if files.is_empty() {
        return Ok(vec![Lexicon::builtin()]);
    }
    let paths: Vec<&Path> = files.iter().map(std::path::PathBuf::as_path).collect();
    read_all(&paths)
}

/// Reads several lexicon files; concept ids must be unique across them.
pub fn read_all(paths: &[&Path]) -> Result<Vec<Lexicon>, Error> {
    let mut out: Vec<Lexicon> = Vec::new();
    let mut ids = BTreeSet::new();
    for p in paths {
        let lex = read(p)?;
        for c in &lex.concepts {
            if !ids.insert(c.id.clone()) {
                return Err(Error::line(
                    *p,
                    1,
                    format!("concept `{}` is defined in two lexicons", c.id),
                ));
            }
        }
        out.push(lex);
    }
    Ok(out)
}
