//! The data directory lock: one writer per data directory.
//!
//! Two processes appending to one journal corrupt it beyond repair (both append block N + 1, the
//! second record is numbered like the first, and every later start refuses the journal), so every
//! command that writes a data directory (`graphene node`, `graphene replay --repair`, `graphene
//! bench hundred-k --write-data-dir`) first takes an exclusive OS advisory lock (`flock` on Unix,
//! `LockFileEx` on Windows, through `std::fs::File::try_lock`) on `DIR/LOCK` and holds it for the
//! life of the process. The holder writes its pid into the file, so a refused process can name it.
//!
//! Invariants: the lock is taken before anything in the directory is read for writing or changed;
//! it is released only by dropping [`DataDirLock`] or by the process ending (also by kill -9: the
//! kernel drops a dead process's locks, so no stale lock ever needs deleting by hand). The file is
//! never deleted: deleting it while another process waits on it would let two holders lock two
//! different inodes of one name.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// File name of the lock inside a data directory.
pub const LOCK_FILE: &str = "LOCK";

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "data directory {} is in use by another graphene process{}; stop that process first, or use another \
         --data-dir (the lock is {})",
        dir.display(),
        holder.map_or(String::new(), |pid| format!(" (pid {pid})")),
        lock_path.display()
    )]
    InUse { dir: PathBuf, lock_path: PathBuf, holder: Option<u32> },
    #[error("cannot lock data directory {}: {source}", lock_path.display())]
    Io {
        lock_path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The exclusive lock on a data directory; released when dropped.
#[derive(Debug)]
pub struct DataDirLock {
    // Held only for its lock; the OS releases it when the file is closed.
    _file: File,
}

impl DataDirLock {
    /// Take the lock on `dir` (which must exist) without waiting, and write our pid into it.
    pub fn acquire(dir: &Path) -> Result<DataDirLock, LockError> {
        let lock_path = dir.join(LOCK_FILE);
        let io = |source| LockError::Io { lock_path: lock_path.clone(), source };
        // Not truncated on open: the holder's pid must stay readable for a refused process.
        let mut file =
            OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&lock_path).map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let holder = file.read_to_string(&mut text).ok().and_then(|_| text.trim().parse().ok());
                return Err(LockError::InUse { dir: dir.to_path_buf(), lock_path, holder });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        let pid = std::process::id();
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        writeln!(file, "{pid}").map_err(io)?;
        file.sync_data().map_err(io)?;
        Ok(DataDirLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_dir_is_refused_naming_the_holder_and_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path()).unwrap();
        let pid = std::fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
        assert_eq!(pid.trim(), std::process::id().to_string());
        // flock locks belong to the open file description, so a second open in this process
        // conflicts exactly as another process's would.
        match DataDirLock::acquire(dir.path()) {
            Err(LockError::InUse { holder, .. }) => assert_eq!(holder, Some(std::process::id())),
            other => panic!("expected InUse, got {other:?}"),
        }
        let message = DataDirLock::acquire(dir.path()).unwrap_err().to_string();
        assert!(message.contains(&format!("pid {}", std::process::id())), "{message}");
        drop(first);
        DataDirLock::acquire(dir.path()).expect("free again after the holder dropped it");
    }

    #[test]
    fn a_missing_directory_is_an_io_error_naming_the_lock_file() {
        let dir = tempfile::tempdir().unwrap();
        let err = DataDirLock::acquire(&dir.path().join("absent")).unwrap_err();
        assert!(matches!(err, LockError::Io { .. }));
        assert!(err.to_string().contains("absent/LOCK"), "{err}");
    }
}
