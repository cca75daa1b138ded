//! Opening a journal without changing anything on disk, for `graphene replay` without `--repair`
//! (which must also work on a read-only copy of a data directory).
//!
//! [`ReadOnlyStorage`] opens existing files with `O_RDONLY` and never creates one. What recovery
//! would write (cutting a torn tail, rewriting a stale index) goes to an in-memory overlay
//! instead: the journal then reads exactly as it would after the repair, and the
//! [`crate::RecoveryReport`] says what a repair would change, but no byte on disk moves. `sync` is
//! a no-op because nothing is ever written.

use std::fs::File;
use std::io;
use std::path::Path;

use crate::recovery::{OpenOptions, RecoveryReport};
use crate::storage::{Storage, StorageFile};
use crate::{Journal, JournalError};

/// Files opened read-only, changes kept in memory (see the module doc).
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOnlyStorage;

/// A file as recovery left it: a prefix of the real file plus bytes appended in memory.
#[derive(Debug)]
pub struct OverlayFile {
    /// `None` when the file does not exist (it reads as empty).
    file: Option<File>,
    /// How much of the real file is visible (recovery may have cut it shorter).
    base_len: u64,
    /// Bytes "appended" after `base_len`, in memory only.
    tail: Vec<u8>,
}

impl Storage for ReadOnlyStorage {
    type File = OverlayFile;

    fn open_file(&self, path: &Path) -> io::Result<OverlayFile> {
        match File::open(path) {
            Ok(file) => {
                let base_len = file.metadata()?.len();
                Ok(OverlayFile { file: Some(file), base_len, tail: Vec::new() })
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Ok(OverlayFile { file: None, base_len: 0, tail: Vec::new() })
            }
            Err(e) => Err(e),
        }
    }

    fn writes_to_disk(&self) -> bool {
        false
    }
}

impl StorageFile for OverlayFile {
    fn len(&self) -> u64 {
        self.base_len + self.tail.len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let end = offset.checked_add(buf.len() as u64).ok_or(io::ErrorKind::UnexpectedEof)?;
        if end > self.len() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let from_file = (self.base_len.saturating_sub(offset) as usize).min(buf.len());
        let (file_part, tail_part) = buf.split_at_mut(from_file);
        if !file_part.is_empty() {
            let file = self.file.as_ref().ok_or(io::ErrorKind::UnexpectedEof)?;
            read_exact_at(file, file_part, offset)?;
        }
        if !tail_part.is_empty() {
            let start = (offset + from_file as u64 - self.base_len) as usize;
            tail_part.copy_from_slice(&self.tail[start..start + tail_part.len()]);
        }
        Ok(())
    }

    fn append(&mut self, data: &[u8]) -> io::Result<()> {
        self.tail.extend_from_slice(data);
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        if len <= self.base_len {
            self.base_len = len;
            self.tail.clear();
        } else {
            self.tail.truncate((len - self.base_len) as usize);
        }
        Ok(())
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    let mut done = 0;
    while done < buf.len() {
        match file.seek_read(&mut buf[done..], offset + done as u64)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => done += n,
        }
    }
    Ok(())
}

impl Journal<ReadOnlyStorage> {
    /// Opens the journal in `dir` without changing anything on disk (see the module doc). The
    /// report tells what a writable open would have repaired; damage is refused exactly as by
    /// [`Journal::open`], and `truncate_corrupt_at` only shapes the in-memory view.
    pub fn open_read_only(
        dir: &Path,
        chain_id: [u8; 32],
        opts: OpenOptions,
    ) -> Result<(Self, RecoveryReport), JournalError> {
        Self::open_in(ReadOnlyStorage, dir, chain_id, opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_tail_and_a_stale_index_are_repaired_in_memory_only() {
        let dir = tempfile::tempdir().unwrap();
        let chain = [7u8; 32];
        {
            let (mut j, _) = Journal::open(dir.path(), chain, OpenOptions::default()).unwrap();
            for n in 1..=4u32 {
                j.append(n, &[n as u8; 20], &[n as u8; 32], &[n as u8; 100]).unwrap();
            }
            j.sync().unwrap();
        }
        let journal_path = dir.path().join(crate::JOURNAL_FILE);
        let index_path = dir.path().join(crate::INDEX_FILE);
        let mut bytes = std::fs::read(&journal_path).unwrap();
        bytes.extend_from_slice(&[0x17; 7]);
        std::fs::write(&journal_path, &bytes).unwrap();
        let index = std::fs::read(&index_path).unwrap();
        std::fs::write(&index_path, &index[..index.len() - 5]).unwrap();
        let before = (std::fs::read(&journal_path).unwrap(), std::fs::read(&index_path).unwrap());

        let (j, report) = Journal::open_read_only(dir.path(), chain, OpenOptions::default()).unwrap();
        assert_eq!((report.head, report.torn_tail_bytes_cut, report.index_rebuilt), (4, 7, true));
        assert_eq!(j.read(4).unwrap().payload, vec![4u8; 100], "reads through the repaired index");
        let mut it = j.iter_from(1).unwrap();
        let mut seen = 0;
        while let Some(rec) = it.next_ref() {
            rec.unwrap();
            seen += 1;
        }
        assert_eq!(seen, 4);
        drop(j);
        let after = (std::fs::read(&journal_path).unwrap(), std::fs::read(&index_path).unwrap());
        assert!(before == after, "nothing on disk changed");
    }

    #[test]
    fn a_missing_journal_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let (j, report) = Journal::open_read_only(dir.path(), [1; 32], OpenOptions::default()).unwrap();
        assert_eq!((j.head(), report.created), (0, true));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file was created");
    }
}
