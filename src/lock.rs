//! An exclusive lock on an index folder, so that two runs on the same index get a clear error
//! instead of corrupting it. The operating system releases the lock when the process ends, even on
//! `kill -9`, so a killed run never leaves a stale lock behind.

use std::fs::File;
use std::path::Path;

use crate::error::Error;

/// Holds the lock until dropped.
#[derive(Debug)]
pub struct IndexLock {
    _file: File,
}

/// Takes the lock on `index_dir`, failing at once if another process holds it.
pub fn acquire(index_dir: &Path) -> Result<IndexLock, Error> {
    let path = index_dir.join(".napscan.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io(&path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(IndexLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Index {
            path: index_dir.to_path_buf(),
            msg: "another napscan run is using this index; wait for it to finish or use --index"
                .into(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&path, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_fails_until_released() {
        let d = tempfile::tempdir().unwrap();
        let a = acquire(d.path()).unwrap();
        let e = acquire(d.path()).unwrap_err();
        assert!(e.to_string().contains("another napscan run"));
        drop(a);
        acquire(d.path()).unwrap();
    }
}
