//! Output files: every file napscan writes goes through a temporary file in the same folder that
//! is renamed into place, so a reader (or a crash) never sees half a file.

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::Error;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    with_atomic(path, |w| w.write_all(bytes))
}

/// Calls `f` with a buffered writer on a temporary file next to `path`, then renames it to `path`.
pub fn with_atomic(
    path: &Path,
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let tmp = tempfile::Builder::new().prefix(".napscan-").suffix(".tmp").tempfile_in(dir)?;
    {
        let mut w = BufWriter::new(tmp.as_file());
        f(&mut w)?;
        w.flush()?;
    }
    // A temporary file is created private (0600); the output takes the mode any new file would,
    // so that colleagues or a web server can read the report and the CSVs as the umask allows.
    set_default_mode(tmp.as_file())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn set_default_mode(f: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(0o666 & !umask()))
}

#[cfg(not(unix))]
fn set_default_mode(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

/// The process's umask, from `/proc/self/status` (Linux); 022 where it cannot be read.
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

/// Writes serialisable rows as CSV to `path`, atomically, under `header` (the row type's field
/// names, in order), which is written even when there is no row: an empty table is still a table
/// that R's `read.csv` or pandas can load.
pub fn write_table<T: serde::Serialize>(
    path: &Path,
    header: &[&str],
    rows: impl IntoIterator<Item = T>,
) -> Result<(), Error> {
    with_atomic(path, |w| {
        let mut c = csv::WriterBuilder::new().has_headers(false).from_writer(w);
        c.write_record(header).map_err(std::io::Error::other)?;
        for r in rows {
            c.serialize(r).map_err(std::io::Error::other)?;
        }
        c.flush()
    })
    .map_err(|e| Error::io(path, e))
}

/// The CSV header serde writes for `row`, for tests that keep a table's header constant and its
/// row type in step.
pub fn header_of<T: serde::Serialize>(row: &T) -> Vec<String> {
    let mut c = csv::Writer::from_writer(Vec::new());
    c.serialize(row).expect("a row serialises");
    let bytes = c.into_inner().expect("in memory");
    let text = String::from_utf8_lossy(&bytes);
    let first = text.lines().next().unwrap_or_default();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

/// Writes serialisable rows as CSV (with a header from the first row) to `path`, atomically.
pub fn write_csv<T: serde::Serialize>(
    path: &Path,
    rows: impl IntoIterator<Item = T>,
) -> Result<(), Error> {
    with_atomic(path, |w| {
        let mut c = csv::Writer::from_writer(w);
        for r in rows {
            c.serialize(r).map_err(std::io::Error::other)?;
        }
        c.flush()
    })
    .map_err(|e| Error::io(path, e))
}

/// Writes CSV with an explicit header and string records, atomically (for wide matrices whose
/// columns are only known at run time).
pub fn write_records(path: &Path, header: &[String], rows: &[Vec<String>]) -> Result<(), Error> {
    with_atomic(path, |w| {
        let mut c = csv::Writer::from_writer(w);
        c.write_record(header).map_err(std::io::Error::other)?;
        for r in rows {
            c.write_record(r).map_err(std::io::Error::other)?;
        }
        c.flush()
    })
    .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn outputs_take_the_umask_mode_not_0600() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.csv");
        write_atomic(&p, b"a\n").unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o666 & !umask(), "{mode:o}");
        assert_ne!(mode, 0o600);
    }

    #[test]
    fn atomic_write_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("sub/x.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(d.path().join("sub")).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }
}
