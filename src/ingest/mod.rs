//! Ingest: from manifest rows to read documents. [`sources`] hashes and classifies every listed
//! file; [`read`] extracts them (PDFs in the worker pool, text files in-process, both behind one
//! guard) and [`ocr`] OCRs their image-only pages. The warnings a run prints about its corpus
//! (unlisted files, languages no lexicon covers) are built here too.

pub(crate) mod ocr;
pub(crate) mod read;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Stage;
use crate::extract::Kind;
use crate::flag::Flagger;
use crate::key::ContentKey;
use crate::manifest::{DocMeta, Manifest};

/// One manifest row with its file: where it is, what kind it is, its content key, or why it
/// cannot be read at all.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// The manifest row.
    pub meta: DocMeta,
    /// The file.
    pub path: PathBuf,
    /// Its kind (from its first bytes and extension).
    pub kind: Kind,
    /// What its stored results depend on.
    pub key: ContentKey,
    /// Why it cannot be read (missing, unreadable).
    pub error: Option<(Stage, String)>,
}

/// Hashes and classifies every document of the manifest (in parallel). `ocr` and `lexicon` are
/// the run's parts of the content key.
pub(crate) fn sources(manifest: &Manifest, ocr: &str, lexicon: &str) -> Vec<Source> {
    manifest
        .docs
        .par_iter()
        .map(|meta| {
            let path = manifest.doc_path(meta);
            let (sha, error) = if !path.is_file() {
                let why = "listed in the manifest but the file is missing";
                (String::new(), Some((Stage::Manifest, why.into())))
            } else {
                match crate::cache::sha256_file(&path) {
                    Ok(sha) => (sha, None),
                    Err(e) => (String::new(), Some((Stage::Read, e.to_string()))),
                }
            };
            let kind = crate::extract::kind_of(&path, &head(&path));
            let key = ContentKey::new(&sha, kind, meta, ocr, lexicon);
            Source { meta: meta.clone(), path, kind, key, error }
        })
        .collect()
}

fn head(path: &Path) -> [u8; 8] {
    let mut head = [0u8; 8];
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = std::io::Read::read(&mut f, &mut head);
    }
    head
}

/// How many unlisted files a run names before it only counts them.
const UNLISTED_SHOWN: usize = 10;

/// The run's warnings about its corpus: languages no lexicon covers, then files in the corpus
/// folder that the manifest does not list (the first ten by name; napscan's own `skip` folders,
/// such as an index or output folder inside the corpus, are not looked at). Returns the messages
/// and the number of warnings they stand for.
pub(crate) fn warnings(
    manifest: &Manifest,
    flagger: &Flagger,
    skip: &[&Path],
) -> (Vec<String>, usize) {
    let mut messages = language_warnings(manifest, flagger);
    let mut count = messages.len();
    let unlisted = manifest.unlisted_files(skip);
    for f in unlisted.iter().take(UNLISTED_SHOWN) {
        messages.push(format!("{} is in the corpus folder but not in the manifest", f.display()));
    }
    if unlisted.len() > UNLISTED_SHOWN {
        messages.push(format!(
            "… and {} more files in the corpus folder that the manifest does not list",
            unlisted.len() - UNLISTED_SHOWN
        ));
    }
    count += unlisted.len();
    (messages, count)
}

/// One warning per manifest language that no lexicon covers, naming its documents (the first
/// three) and saying whether the code is ISO 639-1 at all.
fn language_warnings(manifest: &Manifest, flagger: &Flagger) -> Vec<String> {
    let mut by_lang: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for d in &manifest.docs {
        if !flagger.covers(&d.lang) {
            by_lang.entry(&d.lang).or_default().push(&d.doc_id);
        }
    }
    let mut covered: Vec<String> = flagger.languages();
    covered.sort();
    by_lang
        .into_iter()
        .map(|(lang, ids)| {
            let what = if crate::manifest::is_iso639_1(lang) {
                format!("no lexicon covers language `{lang}`")
            } else {
                format!("`{lang}` is not an ISO 639-1 language code")
            };
            let more =
                if ids.len() > 3 { format!(" and {} more", ids.len() - 3) } else { String::new() };
            format!(
                "{what} (lexicons cover {}): {}{more} will be extracted and indexed but not \
                 flagged (status no_lexicon)",
                covered.join(", "),
                ids[..ids.len().min(3)].join(", ")
            )
        })
        .collect()
}
