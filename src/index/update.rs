//! Keeping the page index in step with a run: only new or changed documents (by their
//! [`ContentKey`]) are re-indexed, and documents that left the corpus or failed are deleted.

use std::collections::HashMap;
use std::path::Path;

use super::{PageIndex, SCHEMA_VERSION, State};
use crate::error::Error;
use crate::extract::Extracted;
use crate::flag::Evidence;
use crate::key::ContentKey;
use crate::manifest::DocMeta;

/// Updates the page index during a run: only new or changed documents are re-indexed.
pub struct Updater {
    index: crate::index::PageIndex,
    writer: tantivy::IndexWriter,
    state: State,
}

impl Updater {
    /// Opens (or creates) the index in `dir`, with a writer of `jobs` threads.
    pub fn open(dir: &Path, jobs: usize) -> Result<Updater, Error> {
        let index = PageIndex::open_or_create(dir)?;
        let writer = index.writer(jobs)?;
        let state = index.state();
        Ok(Updater { index, writer, state })
    }

    /// True when the index does not hold this version of the document.
    pub fn needs(&self, doc_id: &str, key: &ContentKey) -> bool {
        self.state.docs.get(doc_id) != Some(&key.index())
    }

    /// (Re)indexes a document when its key changed; returns the new key.
    pub fn index_document(
        &self,
        meta: &DocMeta,
        key: &ContentKey,
        x: &Extracted,
        evidence: &[Evidence],
    ) -> Result<Option<String>, Error> {
        let key = key.index();
        if self.state.docs.get(&meta.doc_id) == Some(&key) {
            return Ok(None);
        }
        self.index.delete(&self.writer, &meta.doc_id);
        let mut by_page: HashMap<u32, Vec<&str>> = HashMap::new();
        for e in evidence {
            let v = by_page.entry(e.page).or_default();
            v.push(&e.concept);
            if !e.parent.is_empty() {
                v.push(&e.parent);
            }
        }
        let mut commitments: HashMap<u32, Vec<&str>> = HashMap::new();
        for e in evidence {
            commitments.entry(e.page).or_default().push(&e.commitment);
        }
        for page in &x.pages {
            let mut concepts = by_page.remove(&page.number).unwrap_or_default();
            concepts.sort_unstable();
            concepts.dedup();
            let mut labels = commitments.remove(&page.number).unwrap_or_default();
            labels.sort_unstable();
            labels.dedup();
            self.index.add_page(&self.writer, meta, page, &concepts, &labels)?;
        }
        Ok(Some(key))
    }

    /// Deletes documents that left the corpus or failed, and commits when anything changed.
    /// `indexed`: each document of the run with what [`Updater::index_document`] returned.
    pub fn finish<'a>(
        &mut self,
        indexed: impl Iterator<Item = (&'a str, &'a Result<Option<String>, Error>)>,
    ) -> Result<(usize, usize), Error> {
        let mut state = State { schema: SCHEMA_VERSION, docs: Default::default() };
        let mut added = 0;
        for (id, indexed) in indexed {
            match indexed {
                Err(e) => return Err(Error::Other(e.to_string())),
                Ok(Some(key)) => {
                    added += 1;
                    state.docs.insert(id.to_string(), key.clone());
                }
                Ok(None) => {
                    if let Some(k) = self.state.docs.get(id) {
                        state.docs.insert(id.to_string(), k.clone());
                    }
                }
            }
        }
        let mut removed = 0;
        for id in self.state.docs.keys() {
            if !state.docs.contains_key(id) {
                self.index.delete(&self.writer, id);
                removed += 1;
            }
        }
        if added + removed > 0 || self.state.schema != SCHEMA_VERSION {
            self.index.commit(&mut self.writer, &state)?;
        }
        self.state = state;
        Ok((added, removed))
    }
}
