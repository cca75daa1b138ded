//! Durable storage: the append-only flat-file block journal, its index, crash recovery and
//! (later) snapshots of the object graph.
//!
//! Architecture, bottom up:
//!
//! - [`storage`]: the narrow [`Storage`]/[`StorageFile`] traits (length, positional read,
//!   append, sync, truncate, open by path) and [`FileStorage`] on real files. Everything above is
//!   generic over them, so [`testing::FaultyStorage`] can inject torn writes, bit flips and
//!   failed syncs.
//! - [`format`](mod@format): the bytes on disk: a file header naming format version, first block and chain
//!   id; records framed with length, block number, block id, state hash, a header check and a
//!   blake3 checksum; fixed-size index entries.
//! - [`recovery`]: the scan every open runs: verifies every record, cuts a torn tail, refuses to
//!   start on damage unless told to truncate there, repairs the index.
//! - [`read_only`]: [`ReadOnlyStorage`], which opens a journal without changing a byte on disk
//!   (recovery's repairs stay in memory and are reported), for `graphene replay`.
//! - [`Journal`]: append (buffered), `sync` (one fdatasync for everything appended since the
//!   last: group commit), random reads through the index, streaming replay
//!   ([`Journal::iter_from`]) and `truncate_after` for fork switches.
//!
//! The crate stores opaque block payloads and never depends on the engine. It never rewrites a
//! record in place and never reports a block durable before its fdatasync has returned.

pub mod error;
pub mod format;
mod journal;
pub mod read_only;
mod reader;
pub mod recovery;
pub mod replay;
pub mod snapshot;
pub mod storage;
pub mod testing;

pub use error::{ChainIdHex, CorruptReason, JournalError};
pub use journal::{Journal, Record, RecordRef, INDEX_FILE, JOURNAL_FILE};
pub use read_only::ReadOnlyStorage;
pub use recovery::{CorruptCut, OpenOptions, RecoveryReport};
pub use replay::Replay;
pub use storage::{DiskFile, FileStorage, Storage, StorageFile};
