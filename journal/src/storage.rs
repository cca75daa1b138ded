//! The narrow storage interface the journal is written against, and its real-file implementation.
//!
//! The journal needs exactly five things from a file: its length, positional reads, appends,
//! a durability barrier and truncation. Keeping the interface that small is what lets
//! [`crate::testing::FaultyStorage`] stand in for the disk and inject torn writes, bit flips and
//! failed syncs. Implementations never reorder or rewrite bytes: `append` only ever extends the
//! file and `truncate` only ever shortens it.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// A place that opens (creating when absent) files by path.
pub trait Storage {
    type File: StorageFile;

    /// Opens the file at `path` for reading and appending, creating it (and its directory) when
    /// it does not exist.
    fn open_file(&self, path: &Path) -> io::Result<Self::File>;

    /// Whether changes reach the files (false for [`crate::ReadOnlyStorage`]); callers that
    /// manage other files beside the journal (snapshots) follow the same rule.
    fn writes_to_disk(&self) -> bool {
        true
    }
}

/// One append-only file.
pub trait StorageFile {
    /// Current length in bytes, including appended bytes not yet synced.
    fn len(&self) -> u64;

    /// True when the file holds no bytes.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fills `buf` from `offset`; fails with `UnexpectedEof` when the file is too short.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()>;

    /// Appends `data` at the end of the file. Not durable until [`StorageFile::sync`] succeeds.
    fn append(&mut self, data: &[u8]) -> io::Result<()>;

    /// Makes every byte appended so far, and the current length, durable (fdatasync).
    fn sync(&mut self) -> io::Result<()>;

    /// Shortens the file to `len` bytes. Not durable until [`StorageFile::sync`] succeeds.
    fn truncate(&mut self, len: u64) -> io::Result<()>;
}

/// Real files on the local file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileStorage;

/// A real file opened by [`FileStorage`].
#[derive(Debug)]
pub struct DiskFile {
    file: File,
    len: u64,
}

impl Storage for FileStorage {
    type File = DiskFile;

    fn open_file(&self, path: &Path) -> io::Result<DiskFile> {
        let dir = path.parent().filter(|dir| !dir.as_os_str().is_empty());
        if let Some(dir) = dir {
            fs::create_dir_all(dir)?;
        }
        let existed = path.exists();
        let file = OpenOptions::new().read(true).append(true).create(true).open(path)?;
        if !existed {
            // A new file's directory entry must itself be durable, or a crash could lose the
            // whole file even after its contents were synced.
            sync_dir(dir.unwrap_or(Path::new(".")))?;
        }
        let len = file.metadata()?.len();
        Ok(DiskFile { file, len })
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

impl StorageFile for DiskFile {
    fn len(&self) -> u64 {
        self.len
    }

    #[cfg(unix)]
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        use std::os::unix::fs::FileExt;
        self.file.read_exact_at(buf, offset)
    }

    #[cfg(windows)]
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        use std::os::windows::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            match self.file.seek_read(&mut buf[done..], offset + done as u64)? {
                0 => return Err(io::ErrorKind::UnexpectedEof.into()),
                n => done += n,
            }
        }
        Ok(())
    }

    fn append(&mut self, data: &[u8]) -> io::Result<()> {
        // The length is advanced before the write so that after a partial write (an error
        // midway) it errs towards the larger value; the journal stops writing after any error
        // and recovery on the next open re-reads the real length.
        self.len += data.len() as u64;
        self.file.write_all(data)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.file.set_len(len)?;
        self.len = len;
        Ok(())
    }
}
