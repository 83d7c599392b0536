//! What the web app and the report show: the outputs of the last run (`documents.csv`,
//! `coverage_by_*.csv`, `evidence.csv`, `smart_mix_by_document.csv`, `run.json`), the concepts of the
//! lexicons the run used, and the manifest (to serve each document's source file). Loaded once, in memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::flag::Evidence;
use crate::lexicon::Concept;
pub use crate::rows::{CountryCoverageRow, DocCoverageRow, DocumentRow, MixRow};

/// Everything the app shows.
#[derive(Debug, Default)]
pub struct Data {
    /// The output folder.
    pub out_dir: PathBuf,
    /// Documents by id.
    pub docs: BTreeMap<String, DocumentRow>,
    /// Coverage per document.
    pub doc_coverage: Vec<DocCoverageRow>,
    /// Coverage per country.
    pub country_coverage: Vec<CountryCoverageRow>,
    /// Evidence.
    pub evidence: Vec<Evidence>,
    /// Smart mix per document.
    pub mix: Vec<MixRow>,
    /// Concepts: (id, label, pillar, ungp, parent, definition).
    pub concepts: Vec<Concept>,
    /// Source files by document id (canonical paths inside the corpus folder).
    pub files: BTreeMap<String, PathBuf>,
    /// Lexicon name and version, for the footer.
    pub lexicon: String,
}

fn read_rows<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, Error> {
    let mut r =
        csv::Reader::from_path(path).map_err(|e| Error::Csv { path: path.into(), source: e })?;
    r.deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| Error::Csv { path: path.into(), source: e })
}

impl Data {
    /// Loads the outputs in `out_dir`; `manifest` (or the one recorded in run.json) locates files.
    pub fn load(out_dir: &Path, manifest: Option<&Path>) -> Result<Data, Error> {
        let need = |name: &str| -> Result<PathBuf, Error> {
            let p = out_dir.join(name);
            if p.is_file() {
                Ok(p)
            } else {
                Err(Error::Other(format!(
                    "{} not found: run `napscan run` first (or pass --out)",
                    p.display()
                )))
            }
        };
        let docs: Vec<DocumentRow> = read_rows(&need("documents.csv")?)?;
        let run: serde_json::Value = std::fs::read(out_dir.join("run.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let manifest_path = manifest
            .map(Path::to_path_buf)
            .or_else(|| run["options"]["manifest"].as_str().map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("corpus/manifest.csv"));
        let files =
            crate::manifest::read(&manifest_path).map(|m| source_files(&m)).unwrap_or_default();
        // The lexicons the run used (run.json records their files), resolved as every command
        // resolves them: none recorded means the built-in one.
        let lexicon_files: Vec<PathBuf> = run["options"]["lexicons"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(PathBuf::from)).collect())
            .unwrap_or_default();
        let lexicons = crate::lexicon::resolve(&lexicon_files)?;
        let lexicon = lexicons
            .iter()
            .map(|l| format!("{} {}", l.name, l.version))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Data {
            out_dir: out_dir.to_path_buf(),
            docs: docs.into_iter().map(|d| (d.doc_id.clone(), d)).collect(),
            doc_coverage: read_rows(&need("coverage_by_document.csv")?)?,
            country_coverage: read_rows(&need("coverage_by_country.csv")?)?,
            evidence: read_rows(&need("evidence.csv")?)?,
            mix: read_rows(&out_dir.join("smart_mix_by_document.csv")).unwrap_or_default(),
            concepts: lexicons.into_iter().flat_map(|l| l.concepts).collect(),
            files,
            lexicon,
        })
    }

    /// The concept with this id.
    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    /// Top-level concepts (the heatmap's columns).
    pub fn top_concepts(&self) -> Vec<&Concept> {
        self.concepts.iter().filter(|c| c.parent.is_empty()).collect()
    }
}

/// Canonical paths of the manifest's files that exist and stay inside the corpus folder (after
/// resolving symlinks): the only files the app will ever serve.
fn source_files(m: &crate::manifest::Manifest) -> BTreeMap<String, PathBuf> {
    let Ok(root) = std::fs::canonicalize(&m.root) else { return BTreeMap::new() };
    m.docs
        .iter()
        .filter_map(|d| {
            let p = std::fs::canonicalize(m.doc_path(d)).ok()?;
            (p.starts_with(&root) && p.is_file()).then(|| (d.doc_id.clone(), p))
        })
        .collect()
}
