//! An in-memory [`Storage`] that models what a crash leaves behind and injects faults: torn
//! writes, bit flips and failed syncs. Public (and always compiled, it is small and has no
//! dependencies) so that the engine's crash tests can reuse it.
//!
//! Model: each file has its visible bytes and a `durable_len`, the prefix known to be on disk
//! (advanced by a successful sync, lowered by a truncation once synced). [`FaultyStorage::crash`]
//! throws away everything past `durable_len`, as a power cut would;
//! [`FaultyStorage::crash_keeping`] keeps some un-synced bytes of one file, which is a torn write.
//! Clones share the same disk, so a journal reopened on a clone sees what the crashed one left.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::storage::{Storage, StorageFile};

#[derive(Debug, Default)]
struct MemFile {
    data: Vec<u8>,
    durable_len: usize,
    syncs: u64,
    fail_next_syncs: u32,
    /// When set, the next append writes only this many bytes and then fails.
    tear_next_append_at: Option<usize>,
}

#[derive(Debug, Default)]
struct Disk {
    files: HashMap<PathBuf, MemFile>,
}

/// An in-memory disk with fault injection. Cheap to clone; clones share the disk.
#[derive(Clone, Debug, Default)]
pub struct FaultyStorage {
    disk: Arc<Mutex<Disk>>,
}

/// A file of a [`FaultyStorage`].
#[derive(Debug)]
pub struct FaultyFile {
    disk: Arc<Mutex<Disk>>,
    path: PathBuf,
}

fn lock(disk: &Mutex<Disk>) -> MutexGuard<'_, Disk> {
    // A panic in another test thread must not hide this test's result behind a poison error.
    disk.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FaultyStorage {
    pub fn new() -> Self {
        Self::default()
    }

    fn with_file<R>(&self, path: &Path, f: impl FnOnce(&mut MemFile) -> R) -> R {
        let mut disk = lock(&self.disk);
        let file = disk.files.get_mut(path).unwrap_or_else(|| panic!("no file {}", path.display()));
        f(file)
    }

    /// The visible bytes of a file (`None` when it does not exist).
    pub fn contents(&self, path: &Path) -> Option<Vec<u8>> {
        lock(&self.disk).files.get(path).map(|file| file.data.clone())
    }

    /// Replaces a file's bytes, all of them durable (creates the file when absent).
    pub fn set_contents(&self, path: &Path, data: Vec<u8>) {
        let mut disk = lock(&self.disk);
        let file = disk.files.entry(path.to_path_buf()).or_default();
        file.durable_len = data.len();
        file.data = data;
    }

    /// Deletes a file.
    pub fn remove(&self, path: &Path) {
        lock(&self.disk).files.remove(path);
    }

    /// Flips one bit of a file, as media damage would.
    pub fn flip_bit(&self, path: &Path, offset: usize, bit: u8) {
        self.with_file(path, |file| file.data[offset] ^= 1 << bit);
    }

    /// Cuts a file to `len` bytes, durably.
    pub fn set_len(&self, path: &Path, len: usize) {
        self.with_file(path, |file| {
            file.data.truncate(len);
            file.durable_len = file.durable_len.min(len);
        });
    }

    /// Makes the next `count` syncs of a file fail.
    pub fn fail_next_syncs(&self, path: &Path, count: u32) {
        self.with_file(path, |file| file.fail_next_syncs = count);
    }

    /// Makes the next append to a file write only its first `keep` bytes and then fail.
    pub fn tear_next_append(&self, path: &Path, keep: usize) {
        self.with_file(path, |file| file.tear_next_append_at = Some(keep));
    }

    /// How many syncs of a file have succeeded.
    pub fn sync_count(&self, path: &Path) -> u64 {
        self.with_file(path, |file| file.syncs)
    }

    /// Bytes of a file known to be on disk.
    pub fn durable_len(&self, path: &Path) -> usize {
        self.with_file(path, |file| file.durable_len)
    }

    /// A power cut: every file loses what was not synced.
    pub fn crash(&self) {
        for file in lock(&self.disk).files.values_mut() {
            file.data.truncate(file.durable_len);
        }
    }

    /// A power cut during a write to `path`: that file keeps `keep` of its un-synced bytes (a
    /// torn write), every other file loses what was not synced.
    pub fn crash_keeping(&self, path: &Path, keep: usize) {
        for (file_path, file) in lock(&self.disk).files.iter_mut() {
            let extra = if file_path == path { keep } else { 0 };
            let len = (file.durable_len + extra).min(file.data.len());
            file.data.truncate(len);
            file.durable_len = len;
        }
    }
}

impl Storage for FaultyStorage {
    type File = FaultyFile;

    fn open_file(&self, path: &Path) -> io::Result<FaultyFile> {
        lock(&self.disk).files.entry(path.to_path_buf()).or_default();
        Ok(FaultyFile { disk: Arc::clone(&self.disk), path: path.to_path_buf() })
    }
}

impl FaultyFile {
    fn with<R>(&self, f: impl FnOnce(&mut MemFile) -> io::Result<R>) -> io::Result<R> {
        let mut disk = lock(&self.disk);
        match disk.files.get_mut(&self.path) {
            Some(file) => f(file),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "file was removed")),
        }
    }
}

impl StorageFile for FaultyFile {
    fn len(&self) -> u64 {
        self.with(|file| Ok(file.data.len() as u64)).unwrap_or(0)
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.with(|file| {
            let start = usize::try_from(offset).map_err(|_| io::Error::from(io::ErrorKind::UnexpectedEof))?;
            let bytes = start.checked_add(buf.len()).and_then(|end| file.data.get(start..end));
            let bytes = bytes.ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
            buf.copy_from_slice(bytes);
            Ok(())
        })
    }

    fn append(&mut self, data: &[u8]) -> io::Result<()> {
        self.with(|file| match file.tear_next_append_at.take() {
            Some(keep) => {
                file.data.extend_from_slice(&data[..keep.min(data.len())]);
                Err(io::Error::other("injected torn write"))
            }
            None => {
                file.data.extend_from_slice(data);
                Ok(())
            }
        })
    }

    fn sync(&mut self) -> io::Result<()> {
        self.with(|file| {
            if file.fail_next_syncs > 0 {
                file.fail_next_syncs -= 1;
                return Err(io::Error::other("injected sync failure"));
            }
            file.durable_len = file.data.len();
            file.syncs += 1;
            Ok(())
        })
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.with(|file| {
            let len = usize::try_from(len).map_err(io::Error::other)?;
            file.data.truncate(len);
            // Until synced, a crash may bring the cut bytes back; modelling that would need the
            // old bytes, and the journal syncs right after every truncation, so keep it simple:
            // the durable prefix can only shrink.
            file.durable_len = file.durable_len.min(len);
            Ok(())
        })
    }
}
