//! The page index: one tantivy document per page, with the page text analysed by the same
//! [`Analyzer`] as the lexicon matcher (one text field per language, each with its own stemming
//! tokenizer), metadata fields for filters, and the concepts flagged on the page. Updates are
//! incremental: the commit payload records each indexed document's content key (file hash, lexicon
//! hash, analyzer version), so a run only re-indexes what changed and deletes what was removed. A
//! tantivy commit is atomic, so a run killed mid-way leaves the last committed index, which the
//! next run opens (and whose leftover files tantivy's garbage collection removes).

mod update;
pub use update::Updater;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use crate::analyzer::{Analyzed, Analyzer};
use crate::error::Error;
use crate::extract::Page;
use crate::manifest::DocMeta;

pub use crate::key::SCHEMA_VERSION;

/// The languages with their own text field and stemming tokenizer: those of the analyzer's
/// [`crate::analyzer::LANGUAGES`] table; others share `other`.
fn langs() -> impl Iterator<Item = &'static str> {
    crate::analyzer::LANGUAGES.iter().map(|(code, _)| *code)
}

/// The language field key for a document language.
pub fn lang_key(lang: &str) -> &str {
    if crate::analyzer::stemmer_for(lang).is_some() { lang } else { "other" }
}

/// The fields of the page index.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Document id (raw).
    pub doc_id: Field,
    /// Physical page.
    pub page: Field,
    /// Printed page label.
    pub page_label: Field,
    /// Country code (raw).
    pub country: Field,
    /// Year.
    pub year: Field,
    /// Document type (raw).
    pub doc_type: Field,
    /// Language (raw).
    pub lang: Field,
    /// Title (stored; searchable as `title:word`, folded and unstemmed).
    pub title: Field,
    /// Page text (stored, for snippets).
    pub text: Field,
    /// Concept ids flagged on the page (raw, multi-valued; parents included).
    pub concept: Field,
    /// Commitment labels of the page's evidence (raw, multi-valued).
    pub commitment: Field,
    /// Where the page's text comes from: `text` (its text layer, or a text file) or `ocr`.
    pub source: Field,
    /// Analysed text, one field per language key.
    pub body: BTreeMap<String, Field>,
    /// The page's words, folded but not stemmed (no positions): what prefix queries (`remed*`)
    /// match, so that a prefix matches the words it begins, in every language, as `kwic` does.
    pub words: Field,
}

fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let doc_id = b.add_text_field("doc_id", STRING | STORED);
    let page = b.add_u64_field("page", INDEXED | STORED | FAST);
    let page_label = b.add_text_field("page_label", STORED);
    let country = b.add_text_field("country", STRING | STORED);
    let year = b.add_u64_field("year", INDEXED | STORED | FAST);
    let doc_type = b.add_text_field("doc_type", STRING | STORED);
    let lang = b.add_text_field("lang", STRING | STORED);
    // Searchable as `title:word` (folded words, unstemmed, as the `words` field).
    let title = b.add_text_field(
        "title",
        TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored(),
    );
    let text = b.add_text_field("text", STORED);
    let concept = b.add_text_field("concept", STRING);
    let commitment = b.add_text_field("commitment", STRING);
    let source = b.add_text_field("source", STRING | STORED);
    let words = b.add_text_field(
        "words",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(WORDS_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        ),
    );
    let mut body = BTreeMap::new();
    for key in langs().chain(["other"]) {
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(&tokenizer_name(key))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        body.insert(key.to_string(), b.add_text_field(&format!("body_{key}"), opts));
    }
    let fields = Fields {
        doc_id,
        page,
        page_label,
        country,
        year,
        doc_type,
        lang,
        title,
        text,
        concept,
        commitment,
        source,
        body,
        words,
    };
    (b.build(), fields)
}

fn tokenizer_name(key: &str) -> String {
    format!("napscan_{key}")
}

/// The tokenizer of the `words` field.
const WORDS_TOKENIZER: &str = "napscan_words";

/// The napscan analyzer as a tantivy tokenizer: tokens are stems (folded), with byte offsets.
#[derive(Clone, Debug)]
pub struct NapscanTokenizer {
    analyzer: Analyzer,
    buf: Analyzed,
    token: Token,
    /// Emit folded words instead of stems.
    words: bool,
}

impl NapscanTokenizer {
    /// A tokenizer for a language.
    pub fn new(lang: &str) -> NapscanTokenizer {
        NapscanTokenizer {
            analyzer: Analyzer::new(lang),
            buf: Analyzed::default(),
            token: Token::default(),
            words: false,
        }
    }

    /// A tokenizer of folded, unstemmed words (any language).
    pub fn words() -> NapscanTokenizer {
        NapscanTokenizer { words: true, ..NapscanTokenizer::new("other") }
    }
}

/// The token stream of [`NapscanTokenizer`].
pub struct NapscanTokenStream<'a> {
    an: &'a Analyzed,
    i: usize,
    token: &'a mut Token,
    words: bool,
}

impl Tokenizer for NapscanTokenizer {
    type TokenStream<'a> = NapscanTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> NapscanTokenStream<'a> {
        self.analyzer.analyze_into(text, &mut self.buf);
        NapscanTokenStream { an: &self.buf, i: 0, token: &mut self.token, words: self.words }
    }
}

impl TokenStream for NapscanTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.i >= self.an.len() {
            return false;
        }
        let t = self.an.tokens[self.i];
        self.token.offset_from = t.start as usize;
        self.token.offset_to = t.end as usize;
        self.token.position = self.i;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(if self.words {
            self.an.folded(self.i)
        } else {
            self.an.stem(self.i)
        });
        self.i += 1;
        true
    }
    fn token(&self) -> &Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// An open page index.
pub struct PageIndex {
    /// The tantivy index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// Its folder.
    pub path: PathBuf,
    reader: std::sync::OnceLock<tantivy::IndexReader>,
}

/// What the commit payload records.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct State {
    /// Schema version.
    pub schema: u32,
    /// Document id → content key of the indexed version.
    pub docs: BTreeMap<String, String>,
}

fn index_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Index { path: path.to_path_buf(), msg: e.to_string() }
}

impl PageIndex {
    /// The tantivy folder below an index folder.
    pub fn dir(index_dir: &Path) -> PathBuf {
        index_dir.join("tantivy")
    }

    /// Opens the index in `index_dir`, creating it (or rebuilding it when its schema is outdated).
    pub fn open_or_create(index_dir: &Path) -> Result<PageIndex, Error> {
        let path = Self::dir(index_dir);
        let (schema, fields) = build_schema();
        if path.join("meta.json").is_file() {
            match Index::open_in_dir(&path) {
                Ok(index) if index.schema() == schema => {
                    return Ok(Self::with_tokenizers(index, fields, path));
                }
                Ok(_) => log::warn!("index {} has an older schema: rebuilding it", path.display()),
                Err(e) => {
                    log::warn!("index {} cannot be opened ({e}): rebuilding it", path.display())
                }
            }
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
        std::fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        let index = Index::create_in_dir(&path, schema).map_err(|e| index_err(&path, e))?;
        Ok(Self::with_tokenizers(index, fields, path))
    }

    /// Opens an existing index for searching.
    pub fn open(index_dir: &Path) -> Result<PageIndex, Error> {
        let path = Self::dir(index_dir);
        if !path.join("meta.json").is_file() {
            return Err(Error::Index {
                path,
                msg: "no index here: run `napscan run` first".into(),
            });
        }
        let index = Index::open_in_dir(&path).map_err(|e| index_err(&path, e))?;
        let (schema, fields) = build_schema();
        if index.schema() != schema {
            return Err(Error::Index {
                path,
                msg: "the index was built by another napscan version: run `napscan run` again"
                    .into(),
            });
        }
        Ok(Self::with_tokenizers(index, fields, path))
    }

    fn with_tokenizers(index: Index, fields: Fields, path: PathBuf) -> PageIndex {
        for key in langs().chain(["other"]) {
            index.tokenizers().register(&tokenizer_name(key), NapscanTokenizer::new(key));
        }
        index.tokenizers().register(WORDS_TOKENIZER, NapscanTokenizer::words());
        PageIndex { index, fields, path, reader: std::sync::OnceLock::new() }
    }

    /// A searcher on the last commit (the reader is opened once and reused).
    pub fn searcher(&self) -> Result<tantivy::Searcher, Error> {
        if let Some(r) = self.reader.get() {
            return Ok(r.searcher());
        }
        let r = self.index.reader().map_err(|e| index_err(&self.path, e))?;
        Ok(self.reader.get_or_init(|| r).searcher())
    }

    /// The state recorded by the last commit.
    pub fn state(&self) -> State {
        self.index
            .load_metas()
            .ok()
            .and_then(|m| m.payload)
            .and_then(|p| serde_json::from_str::<State>(&p).ok())
            .filter(|s| s.schema == SCHEMA_VERSION)
            .unwrap_or_default()
    }

    /// A writer using `threads` indexing threads.
    pub fn writer(&self, threads: usize) -> Result<IndexWriter, Error> {
        let threads = threads.clamp(1, 8);
        self.index.writer_with_num_threads(threads, 64_000_000 * threads).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::Index {
                path: self.path.clone(),
                msg: "another process is writing this index; wait for it or use --index".into(),
            },
            e => index_err(&self.path, e),
        })
    }

    /// Deletes every page of a document.
    pub fn delete(&self, writer: &IndexWriter, doc_id: &str) {
        writer.delete_term(Term::from_field_text(self.fields.doc_id, doc_id));
    }

    /// Adds one page.
    pub fn add_page(
        &self,
        writer: &IndexWriter,
        meta: &DocMeta,
        page: &Page,
        concepts: &[&str],
        commitments: &[&str],
    ) -> Result<(), Error> {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.doc_id, &meta.doc_id);
        d.add_u64(f.page, u64::from(page.number));
        d.add_text(f.page_label, &page.label);
        d.add_text(f.country, &meta.country);
        d.add_u64(f.year, u64::from(meta.year));
        d.add_text(f.doc_type, &meta.doc_type);
        d.add_text(f.lang, &meta.lang);
        d.add_text(f.title, &meta.title);
        d.add_text(f.text, &page.text);
        d.add_text(f.body[lang_key(&meta.lang)], &page.text);
        d.add_text(f.words, &page.text);
        for c in concepts {
            d.add_text(f.concept, c);
        }
        for c in commitments {
            d.add_text(f.commitment, c);
        }
        d.add_text(f.source, if page.ocr.is_some() { "ocr" } else { "text" });
        writer.add_document(d).map(|_| ()).map_err(|e| index_err(&self.path, e))
    }

    /// Commits with the new state as payload.
    pub fn commit(&self, writer: &mut IndexWriter, state: &State) -> Result<(), Error> {
        let payload = serde_json::to_string(state).map_err(|e| Error::Other(e.to_string()))?;
        let mut prepared = writer.prepare_commit().map_err(|e| index_err(&self.path, e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| index_err(&self.path, e))?;
        Ok(())
    }
}
