//! Snapshot files in the data directory: `snapshot-NNNNNNNNNN.rkyv`, named after the block they
//! cover (engine::snapshot gives the bytes; loading maps the file with memmap2 and validates it in
//! place). Files of the older `.bin` format are ignored and deleted when snapshots are pruned.
//!
//! Invariants: a snapshot is written only for a block that is durable in the journal (the caller
//! syncs first); it is written atomically (temporary name, fsync, rename, fsync of the
//! directory), so a crash leaves the old set or the new one and at worst a `.tmp` file, which the
//! next start deletes. A snapshot is only trusted if its block id and state hash equal the
//! journal's record of that block; otherwise it is skipped (the journal stays the source of
//! truth, a bad snapshot only costs a longer replay). Never deletes the newest valid snapshot.

use engine::snapshot::{self, SnapshotHeader};
use engine::State;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

const PREFIX: &str = "snapshot-";
const SUFFIX: &str = ".rkyv";
/// The suffix of the superseded Pack-based format: never loaded, deleted when pruning.
const OLD_SUFFIX: &str = ".bin";
/// Snapshots kept after writing a new one (the newest ones).
const KEEP: usize = 2;

/// The operator line of a snapshot written for `block_num` (by the writer every N blocks, by
/// `graphene node` at shutdown): `snapshot N PATH bytes=B ms=T`, one format for both.
pub fn log_written(block_num: u32, path: &Path, bytes: usize, took: std::time::Duration) {
    let ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
    tracing::info!(
        target: crate::log_targets::SNAPSHOT,
        block_num,
        path = %path.display(),
        bytes,
        ms,
        "snapshot {block_num} {} bytes={bytes} ms={ms}",
        path.display()
    );
}

pub fn path_for(dir: &Path, block_num: u32) -> PathBuf {
    dir.join(format!("{PREFIX}{block_num:010}{SUFFIX}"))
}

/// Snapshot files in `dir` with the block each covers, newest first. Deletes leftover `.tmp` files.
pub fn list(dir: &Path) -> std::io::Result<Vec<(u32, PathBuf)>> {
    scan(dir, true).map(|(found, _)| found)
}

/// Snapshot files with the block each covers, newest first; and leftover files.
pub type Scan = (Vec<(u32, PathBuf)>, Vec<PathBuf>);

/// [`list`], and the leftover files (`.tmp`, old format) it found: deleted if `delete`, else
/// only returned (read-only replay).
pub fn scan(dir: &Path, delete: bool) -> std::io::Result<Scan> {
    let mut found = Vec::new();
    let mut leftovers = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(PREFIX) && (name.ends_with(".tmp") || name.ends_with(OLD_SUFFIX)) {
            if delete {
                let _ = fs::remove_file(entry.path());
            }
            leftovers.push(entry.path());
            continue;
        }
        let Some(num) = name.strip_prefix(PREFIX).and_then(|s| s.strip_suffix(SUFFIX)) else { continue };
        if let Ok(n) = num.parse::<u32>() {
            found.push((n, entry.path()));
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    Ok((found, leftovers))
}

/// Write a snapshot of `state` (between blocks, its head durable in the journal) atomically and
/// prune older snapshots. Returns the path and the number of bytes.
pub fn write(dir: &Path, state: &State) -> std::io::Result<(PathBuf, usize)> {
    let bytes = snapshot::write(state);
    let block_num = state.dgp().head_block_number;
    let path = path_for(dir, block_num);
    let tmp = path.with_extension("rkyv.tmp");
    {
        let mut f = File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, &path)?;
    File::open(dir)?.sync_all()?;
    for (_, old) in list(dir)?.into_iter().skip(KEEP) {
        let _ = fs::remove_file(old);
    }
    Ok((path, bytes.len()))
}

/// Load a snapshot file through a read-only memory map: the archive is validated and the arenas
/// decoded in place, without first copying the file into memory.
pub fn load(path: &Path) -> Result<(SnapshotHeader, State), String> {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let map = map_read_only(&file).map_err(|e| format!("cannot map {}: {e}", path.display()))?;
    snapshot::read(&map).map_err(|e| format!("{}: {e}", path.display()))
}

/// Map `file` read-only, pre-faulted (MAP_POPULATE): one kernel call maps every page instead of one
/// page fault per 4 KiB as the decoders walk the file.
#[allow(unsafe_code)]
fn map_read_only(file: &File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: the mapping is undefined behaviour only if the file changes while mapped. Snapshot
    // files are written under a temporary name and renamed into place complete; nothing in the
    // node opens a finished snapshot for writing, and pruning removes the name (the mapped inode
    // stays valid until unmapped). Every byte read is validated (rkyv bytecheck, checksums).
    unsafe { memmap2::MmapOptions::new().populate().map(file) }
}
