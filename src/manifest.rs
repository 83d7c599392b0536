//! The corpus manifest: reads and validates `manifest.csv` (one row per document, with country, year,
//! type and language) into [`DocMeta`] values. Invalid rows are fatal and name the file and line.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// The document types a manifest may use.
pub const DOC_TYPES: &[&str] =
    &["nap", "draft_nap", "baseline", "bill", "law", "guidance", "report", "other"];

/// One document of the corpus, as the manifest describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocMeta {
    /// Unique id, used in every output.
    pub doc_id: String,
    /// ISO 3166-1 alpha-3, or `EUU` (European Union) or `INT` (international bodies).
    pub country: String,
    /// Year of adoption or publication.
    pub year: u16,
    /// One of [`DOC_TYPES`].
    pub doc_type: String,
    /// ISO 639-1 language code.
    pub lang: String,
    /// Title.
    pub title: String,
    /// Path as written in the manifest, relative to the manifest's folder.
    pub path: String,
    /// Where the document came from (optional column).
    #[serde(default)]
    pub source: String,
}

/// A validated manifest: its documents and the folder their paths are relative to.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The manifest file.
    pub file: PathBuf,
    /// The folder that holds it.
    pub root: PathBuf,
    /// Its documents, in manifest order.
    pub docs: Vec<DocMeta>,
}

impl Manifest {
    /// The absolute (or working-directory relative) path of a document's file.
    pub fn doc_path(&self, doc: &DocMeta) -> PathBuf {
        self.root.join(&doc.path)
    }

    /// Files in the manifest's folder (recursively) that no row lists, excluding the manifest
    /// itself, hidden files and the folders in `skip` (napscan's own index and output folders,
    /// when they sit inside the corpus). Reported as warnings.
    pub fn unlisted_files(&self, skip: &[&Path]) -> Vec<PathBuf> {
        let skip: Vec<PathBuf> =
            skip.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
        let listed: HashSet<PathBuf> =
            self.docs.iter().map(|d| normalize(Path::new(&d.path))).collect();
        let mut out = Vec::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name();
                if name.to_string_lossy().starts_with('.') {
                    continue;
                }
                if path.is_dir() {
                    let own = std::fs::canonicalize(&path).is_ok_and(|c| skip.contains(&c));
                    if !own {
                        stack.push(path);
                    }
                } else if path != self.file {
                    let rel = path.strip_prefix(&self.root).unwrap_or(&path);
                    if !listed.contains(&normalize(rel)) && !is_sidecar(rel) {
                        out.push(rel.to_path_buf());
                    }
                }
            }
        }
        out.sort();
        out
    }
}

fn is_sidecar(rel: &Path) -> bool {
    matches!(rel.extension().and_then(|e| e.to_str()), Some("csv" | "toml" | "json"))
        && rel.components().count() == 1
}

fn normalize(p: &Path) -> PathBuf {
    p.components().filter(|c| !matches!(c, Component::CurDir)).collect()
}

/// The ISO 639-1 language codes.
const ISO639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce \
ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha \
he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku \
kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv \
ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st \
su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// True for an ISO 639-1 language code (lowercase).
pub fn is_iso639_1(code: &str) -> bool {
    code.len() == 2 && ISO639_1.split_ascii_whitespace().any(|c| c == code)
}

/// Reads and validates a manifest. Errors name the file and the line.
pub fn read(file: &Path) -> Result<Manifest, Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    parse(file, &bytes)
}

/// Parses manifest bytes; `file` is used for error messages and to resolve paths.
pub fn parse(file: &Path, bytes: &[u8]) -> Result<Manifest, Error> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = rdr.headers().map_err(|e| Error::Csv { path: file.into(), source: e })?.clone();
    for col in ["doc_id", "country", "year", "doc_type", "lang", "title", "path"] {
        if !headers.iter().any(|h| h.trim() == col) {
            return Err(Error::line(file, 1, format!("missing column `{col}`")));
        }
    }
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let idx: Vec<Option<usize>> =
        ["doc_id", "country", "year", "doc_type", "lang", "title", "path", "source"]
            .iter()
            .map(|n| col(n))
            .collect();
    let mut docs = Vec::new();
    let mut seen = HashSet::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::line(file, line, e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |i: usize| idx[i].and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let doc = validate_row(file, line, &get)?;
        if !seen.insert(doc.doc_id.clone()) {
            return Err(Error::line(file, line, format!("duplicate doc_id `{}`", doc.doc_id)));
        }
        docs.push(doc);
    }
    let root = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
    Ok(Manifest { file: file.to_path_buf(), root, docs })
}

fn validate_row(file: &Path, line: u64, get: &dyn Fn(usize) -> String) -> Result<DocMeta, Error> {
    let err = |msg: String| Error::line(file, line, msg);
    let doc_id = get(0);
    if doc_id.is_empty()
        || !doc_id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(err(format!("invalid doc_id `{doc_id}` (use letters, digits, _ - .)")));
    }
    let country = get(1);
    if country.len() != 3 || !country.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(err(format!(
            "invalid country `{country}` (ISO 3166-1 alpha-3 such as FRA, or EUU, INT)"
        )));
    }
    let year_s = get(2);
    let year: u16 = year_s
        .parse()
        .ok()
        .filter(|y| (1800..=2100).contains(y))
        .ok_or_else(|| err(format!("invalid year `{year_s}` (four digits, 1800-2100)")))?;
    let doc_type = get(3);
    if !DOC_TYPES.contains(&doc_type.as_str()) {
        return Err(err(format!(
            "unknown doc_type `{doc_type}` (one of {})",
            DOC_TYPES.join(", ")
        )));
    }
    // Codes are case-insensitive (`EN` is `en`); an unknown code is a warning, not an error.
    let lang = get(4).to_ascii_lowercase();
    if lang.len() != 2 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(err(format!("invalid lang `{lang}` (ISO 639-1, two letters)")));
    }
    let path = get(6);
    if path.is_empty() {
        return Err(err("empty path".into()));
    }
    let p = Path::new(&path);
    if p.is_absolute()
        || p.components().any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)))
    {
        return Err(err(format!("path `{path}` escapes the corpus folder")));
    }
    Ok(DocMeta { doc_id, country, year, doc_type, lang, title: get(5), path, source: get(7) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "doc_id,country,year,doc_type,lang,title,path\n";

    fn p(body: &str) -> Result<Manifest, Error> {
        parse(Path::new("c/manifest.csv"), format!("{HEAD}{body}").as_bytes())
    }

    #[test]
    fn valid_rows() {
        let m = p("a,FRA,2017,law,fr,Loi,a.pdf\nb,EUU,2024,nap,en,\"T, x\",sub/b.txt\n").unwrap();
        assert_eq!(m.docs.len(), 2);
        assert_eq!(m.docs[1].title, "T, x");
        assert_eq!(m.doc_path(&m.docs[1]), PathBuf::from("c/sub/b.txt"));
    }

    #[test]
    fn errors_name_line() {
        let e = p("a,FRA,2017,law,fr,Loi,a.pdf\na,FRA,2017,law,fr,Loi,b.pdf\n").unwrap_err();
        assert_eq!(e.to_string(), "c/manifest.csv:3: duplicate doc_id `a`");
        let e = p("a,FRA,2017,statute,fr,Loi,a.pdf\n").unwrap_err();
        assert!(e.to_string().starts_with("c/manifest.csv:2: unknown doc_type `statute`"));
        let e = p("a,FRA,20x7,law,fr,Loi,a.pdf\n").unwrap_err();
        assert!(e.to_string().contains(":2: invalid year"));
        let e = p("a,FRA,2017,law,fr,Loi,../../etc/passwd\n").unwrap_err();
        assert!(e.to_string().contains("escapes the corpus folder"));
        let e = p("a,FRA,2017,law,fr,Loi,/etc/passwd\n").unwrap_err();
        assert!(e.to_string().contains("escapes the corpus folder"));
        let e = p("a,France,2017,law,fr,Loi,a.pdf\n").unwrap_err();
        assert!(e.to_string().contains("invalid country"));
    }

    proptest::proptest! {
        /// Arbitrary bytes, and arbitrary rows under a valid header, give a manifest or an error
        /// that names the file: never a panic.
        #[test]
        fn any_input_is_a_manifest_or_an_error(
            bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400),
            row in "\\PC{0,120}",
        ) {
            if let Err(e) = parse(Path::new("c/manifest.csv"), &bytes) {
                proptest::prop_assert!(e.to_string().contains("manifest.csv"), "{e}");
            }
            if let Err(e) = p(&row) {
                proptest::prop_assert!(e.to_string().contains("manifest.csv"), "{e}");
            }
        }
    }
}
