//! Helpers shared by the journal's scenario tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use journal::testing::FaultyStorage;
use journal::{Journal, JournalError, OpenOptions, RecoveryReport, INDEX_FILE, JOURNAL_FILE};

pub const CHAIN: [u8; 32] = [0x4e; 32];

/// Deterministic pseudo-random sizes without pulling in a crate (xorshift).
pub struct Sizes(u64);

impl Sizes {
    pub fn new(seed: u64) -> Self {
        Sizes(seed | 1)
    }

    pub fn next_below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}

pub fn block_id(n: u32) -> [u8; 20] {
    let mut id = [0u8; 20];
    id[..4].copy_from_slice(&n.to_be_bytes());
    id[4] = 0xb1;
    id
}

pub fn state_hash(n: u32) -> [u8; 32] {
    let mut hash = [0x55u8; 32];
    hash[28..].copy_from_slice(&n.to_le_bytes());
    hash
}

pub fn payload(n: u32, len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(31).wrapping_add(n) as u8).collect()
}

pub fn dir() -> PathBuf {
    PathBuf::from("/mem/node")
}

pub fn journal_path() -> PathBuf {
    dir().join(JOURNAL_FILE)
}

pub fn index_path() -> PathBuf {
    dir().join(INDEX_FILE)
}

pub fn open_mem(disk: &FaultyStorage) -> Result<(Journal<FaultyStorage>, RecoveryReport), JournalError> {
    open_mem_with(disk, OpenOptions::default())
}

pub fn open_mem_with(
    disk: &FaultyStorage,
    opts: OpenOptions,
) -> Result<(Journal<FaultyStorage>, RecoveryReport), JournalError> {
    Journal::open_in(disk.clone(), &dir(), CHAIN, opts)
}

/// Appends blocks `head+1 ..= upto` with payloads of `len(n)` bytes, then syncs.
pub fn append_blocks<S: journal::Storage>(journal: &mut Journal<S>, upto: u32, len: impl Fn(u32) -> usize) {
    for n in journal.head() + 1..=upto {
        journal.append(n, &block_id(n), &state_hash(n), &payload(n, len(n))).expect("append");
    }
    assert_eq!(journal.sync().expect("sync"), upto);
}

/// A durable in-memory journal of blocks 1..=count with payload sizes `len(n)`; returns the
/// disk and the offset at which each record starts, plus the end of the file.
pub fn mem_journal(count: u32, len: impl Fn(u32) -> usize) -> (FaultyStorage, Vec<usize>) {
    let disk = FaultyStorage::new();
    let (mut journal, _) = open_mem(&disk).expect("create");
    append_blocks(&mut journal, count, &len);
    let mut offsets = vec![64usize];
    for n in 1..=count {
        offsets.push(offsets.last().unwrap() + 80 + len(n));
    }
    assert_eq!(disk.contents(&journal_path()).unwrap().len(), *offsets.last().unwrap());
    (disk, offsets)
}

pub fn assert_block(journal: &Journal<impl journal::Storage>, n: u32, len: usize) {
    let record = journal.read(n).unwrap_or_else(|err| panic!("read {n}: {err}"));
    assert_eq!(record.block_num, n);
    assert_eq!(record.block_id, block_id(n));
    assert_eq!(record.state_hash, state_hash(n));
    assert_eq!(record.payload, payload(n, len));
}

pub fn file_len(disk: &FaultyStorage, path: &Path) -> usize {
    disk.contents(path).map_or(0, |bytes| bytes.len())
}
