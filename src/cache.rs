//! Caches under the index folder, keyed by a file's SHA-256 and a version string (both from
//! a document's content key, see the `key` module): the extracted pages of each PDF, so that an unchanged file is never
//! extracted twice and a changed file (or a new extractor) is, and each OCRed page.
//! Entries are JSON, written atomically.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::output::write_atomic;

/// The cache folder below an index folder.
pub(crate) fn dir(index_dir: &Path) -> PathBuf {
    index_dir.join("cache")
}

/// Hex SHA-256 of a file, streamed.
pub(crate) fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(hex(&h.finalize()))
}

/// Hex SHA-256 of bytes.
pub(crate) fn sha256_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn entry(cache: &Path, sha: &str, version: &str) -> PathBuf {
    let v = &sha256_bytes(version.as_bytes())[..12];
    cache.join(&sha[..2.min(sha.len())]).join(format!("{sha}-{v}.json"))
}

/// A cached value of any serialisable type, if present and readable.
pub(crate) fn load_entry<T: serde::de::DeserializeOwned>(
    cache: &Path,
    sha: &str,
    version: &str,
) -> Option<T> {
    let bytes = std::fs::read(entry(cache, sha, version)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Stores a value (atomically).
pub(crate) fn store_entry<T: serde::Serialize>(
    cache: &Path,
    sha: &str,
    version: &str,
    x: &T,
) -> std::io::Result<()> {
    let path = entry(cache, sha, version);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let bytes = serde_json::to_vec(x).map_err(std::io::Error::other)?;
    write_atomic(&path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_key() {
        let d = tempfile::tempdir().unwrap();
        let x = vec!["page one".to_string(), String::new()];
        assert!(load_entry::<Vec<String>>(d.path(), "abcd", "v1").is_none());
        store_entry(d.path(), "abcd", "v1", &x).unwrap();
        assert_eq!(load_entry(d.path(), "abcd", "v1"), Some(x));
        assert!(load_entry::<Vec<String>>(d.path(), "abcd", "v2").is_none());
        assert_eq!(
            sha256_bytes(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
