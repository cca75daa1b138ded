//! Snapshots of the object graph: the whole [`State`] to bytes and back.
//!
//! A snapshot is taken between blocks (no undo frame open, the changed-set empty because the last
//! block sealed its hash), so restoring it and applying the next block gives exactly the state
//! hash the node that wrote it computed.
//!
//! # Layout
//!
//! ```text
//! preamble (64 bytes): magic "GRSNAP03" | block_num u32 LE | block_id [20] | state_hash [32]
//! an rkyv 0.8 archive of `SnapshotImage` (validated with bytecheck before use):
//!   magic, block_num, block_id, state_hash (repeated: the preamble must equal them)
//!   arenas, in state-hash order, each: name | space | type | next_instance | live count
//!     | records: per live object, ascending instance: instance u64 LE | len u32 LE | Pack bytes
//!     | checksum: blake3 of (name, space, type, next_instance, live count, records)
//! ```
//!
//! The preamble lets the node list snapshots without validating them; the archive is read in
//! place from a memory map (the node maps the file with memmap2; this module takes `&[u8]`).
//!
//! # Why rkyv for the container and `Pack` for the objects
//!
//! The engine mutates owned objects in arenas, so a restore has to build owned values whatever
//! the format: rkyv's zero-copy access would only move the allocation work from "decode" to
//! "deserialize". What rkyv gives here is a validated, directly addressable container (arena
//! names, counts, byte ranges) read from the mapped file without parsing it front to back. The
//! objects inside stay in their `Pack` encoding, the canonical one the state hash already
//! covers, so every object type (including the ones other modules are adding) is covered by the
//! `Pack` impl it must have anyway, with no second set of derives to keep in step across `ledger`.
//!
//! # Speed
//!
//! Every arena is rebuilt on its own scoped thread ([`State::build_arenas`]): its checksum, its
//! objects decoded straight into their arena slots, no undo bookkeeping, and its secondary index
//! built once in bulk (hash maps sized once, ordered sets built from sorted runs).
//!
//! # Damage
//!
//! A damaged snapshot is an error, never a panic: bad magic or length, a failed rkyv validation,
//! a preamble that disagrees with the archive, an arena checksum mismatch, an arena list that is
//! not this build's, an object that does not decode, or a head block that disagrees with the
//! header. The node then falls back to an older snapshot or to genesis.
//!
//! Never: read or write files (the node does), or accept a snapshot whose checksums, arena list
//! or object encoding do not match this build exactly.

use crate::state::State;
use ledger::encoding::{DecodeError, Reader, Unpack};
use ledger::graph::{Arena, Index, Object, StateHash};
use rkyv::rancor;

const MAGIC: &[u8; 8] = b"GRSNAP03";
/// The fixed preamble before the archive; a multiple of rkyv's alignment, so an archive that
/// follows it in a page-aligned map stays aligned.
const PREAMBLE_LEN: usize = 64;
/// Alignment rkyv's validation requires of the archive's first byte.
const ARCHIVE_ALIGN: usize = 16;

/// Receives each arena of a state, in order (see [`State::visit_arenas`]).
pub trait ArenaVisitor {
    fn visit<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str, arena: &Arena<T, I>);
}

/// Builds each arena of a state; called once per arena, from one thread per arena (see
/// [`State::build_arenas`]).
pub trait ArenaBuilder: Sync {
    type Error: Send;
    fn build<T: Object + Unpack + Send, I: Index<T> + Send>(
        &self,
        name: &'static str,
    ) -> Result<Arena<T, I>, Self::Error>;
}

/// Why snapshot bytes could not be loaded.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a snapshot (bad magic or shorter than its {PREAMBLE_LEN}-byte preamble)")]
    NotASnapshot,
    #[error("snapshot archive fails validation (damaged or partly written): {0}")]
    Invalid(String),
    #[error("snapshot preamble disagrees with its archive (damaged)")]
    PreambleMismatch,
    #[error("snapshot arena {arena}: checksum does not match its contents (damaged)")]
    Checksum { arena: String },
    #[error("snapshot holds arenas {found:?} where this build expects {expected:?} (written by another version)")]
    ArenaMismatch { expected: Vec<&'static str>, found: Vec<String> },
    #[error("snapshot arena {arena}: {detail}")]
    Malformed { arena: &'static str, detail: String },
    #[error("snapshot says it covers block {header}, but its state's head block is {state}")]
    HeadMismatch { header: u32, state: u32 },
}

/// What a snapshot covers, readable without loading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SnapshotHeader {
    pub block_num: u32,
    pub block_id: [u8; 20],
    pub state_hash: StateHash,
}

#[derive(rkyv::Archive, rkyv::Serialize)]
struct SnapshotImage {
    magic: [u8; 8],
    block_num: u32,
    block_id: [u8; 20],
    state_hash: [u8; 32],
    arenas: Vec<ArenaImage>,
}

#[derive(rkyv::Archive, rkyv::Serialize)]
struct ArenaImage {
    name: String,
    space: u8,
    ty: u8,
    next: u64,
    live: u64,
    records: Vec<u8>,
    checksum: [u8; 32],
}

fn arena_checksum(name: &str, space: u8, ty: u8, next: u64, live: u64, records: &[u8]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(&[name.len() as u8]);
    h.update(name.as_bytes());
    h.update(&[space, ty]);
    h.update(&next.to_le_bytes());
    h.update(&live.to_le_bytes());
    h.update(records);
    h.finalize().into()
}

/// Serialize the whole state. The state must be between blocks (no open undo frame).
pub fn write(state: &State) -> Vec<u8> {
    let dgp = state.dgp();
    let header = SnapshotHeader {
        block_num: dgp.head_block_number,
        block_id: dgp.head_block_id.0,
        state_hash: state.state_hash,
    };
    let mut w = Writer { arenas: Vec::with_capacity(State::ARENA_NAMES.len()) };
    state.visit_arenas(&mut w);
    let image = SnapshotImage {
        magic: *MAGIC,
        block_num: header.block_num,
        block_id: header.block_id,
        state_hash: header.state_hash.0,
        arenas: w.arenas,
    };
    let archive = rkyv::to_bytes::<rancor::Error>(&image).expect("serializing owned vectors into memory cannot fail");
    let mut out = Vec::with_capacity(PREAMBLE_LEN + archive.len());
    out.extend_from_slice(&preamble(&header));
    out.extend_from_slice(&archive);
    out
}

fn preamble(h: &SnapshotHeader) -> [u8; PREAMBLE_LEN] {
    let mut p = [0u8; PREAMBLE_LEN];
    p[..8].copy_from_slice(MAGIC);
    p[8..12].copy_from_slice(&h.block_num.to_le_bytes());
    p[12..32].copy_from_slice(&h.block_id);
    p[32..64].copy_from_slice(&h.state_hash.0);
    p
}

struct Writer {
    arenas: Vec<ArenaImage>,
}

impl ArenaVisitor for Writer {
    fn visit<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str, arena: &Arena<T, I>) {
        let mut records = Vec::with_capacity(arena.len() * 16);
        for (instance, obj) in arena.iter() {
            records.extend_from_slice(&instance.to_le_bytes());
            let len_at = records.len();
            records.extend_from_slice(&[0; 4]);
            obj.pack(&mut records);
            let len = u32::try_from(records.len() - len_at - 4).expect("object encoding under 4 GiB");
            records[len_at..len_at + 4].copy_from_slice(&len.to_le_bytes());
        }
        let (next, live) = (arena.next_instance(), arena.len() as u64);
        let checksum = arena_checksum(name, T::SPACE, T::TYPE, next, live, &records);
        self.arenas.push(ArenaImage {
            name: name.to_string(),
            space: T::SPACE,
            ty: T::TYPE,
            next,
            live,
            records,
            checksum,
        });
    }
}

/// A digest of every live object of every arena (instance and `Pack` bytes, in state-hash
/// order), nothing else: two states with the same objects have the same digest whatever their
/// history (a read replica and its writer, a node and its replay).
pub fn content_digest(state: &State) -> [u8; 32] {
    struct Digest(blake3::Hasher, Vec<u8>);
    impl ArenaVisitor for Digest {
        fn visit<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str, arena: &Arena<T, I>) {
            self.0.update(name.as_bytes());
            self.0.update(&(arena.len() as u64).to_le_bytes());
            for (instance, obj) in arena.iter() {
                self.1.clear();
                obj.pack(&mut self.1);
                self.0.update(&instance.to_le_bytes());
                self.0.update(&(self.1.len() as u64).to_le_bytes());
                self.0.update(&self.1);
            }
        }
    }
    let mut d = Digest(blake3::Hasher::new(), Vec::new());
    state.visit_arenas(&mut d);
    d.0.finalize().into()
}

/// Read the preamble of snapshot bytes (no validation of the rest: that needs the whole file).
pub fn read_header(bytes: &[u8]) -> Result<SnapshotHeader, SnapshotError> {
    if bytes.len() < PREAMBLE_LEN || &bytes[..8] != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let block_num = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    let block_id: [u8; 20] = bytes[12..32].try_into().expect("20 bytes");
    let state_hash = StateHash(bytes[32..64].try_into().expect("32 bytes"));
    Ok(SnapshotHeader { block_num, block_id, state_hash })
}

/// Load a state from snapshot bytes (typically a memory map of the file), validating the archive,
/// every arena's checksum, the arena list and every object. Arenas are rebuilt in parallel.
pub fn read(bytes: &[u8]) -> Result<(SnapshotHeader, State), SnapshotError> {
    let header = read_header(bytes)?;
    let body = &bytes[PREAMBLE_LEN..];
    // A map is page aligned and a heap buffer is 16-aligned on the usual allocators; copy only if
    // neither holds (a caller's odd slice), since validation requires the alignment.
    let copy;
    let body: &[u8] = if (body.as_ptr() as usize).is_multiple_of(ARCHIVE_ALIGN) {
        body
    } else {
        let mut aligned = rkyv::util::AlignedVec::<ARCHIVE_ALIGN>::with_capacity(body.len());
        aligned.extend_from_slice(body);
        copy = aligned;
        &copy
    };
    let image = rkyv::access::<ArchivedSnapshotImage, rancor::Error>(body)
        .map_err(|e| SnapshotError::Invalid(e.to_string()))?;
    if image.magic != *MAGIC
        || image.block_num.to_native() != header.block_num
        || image.block_id != header.block_id
        || image.state_hash != header.state_hash.0
    {
        return Err(SnapshotError::PreambleMismatch);
    }
    let found: Vec<&str> = image.arenas.iter().map(|a| a.name.as_str()).collect();
    if found != State::ARENA_NAMES {
        return Err(SnapshotError::ArenaMismatch {
            expected: State::ARENA_NAMES.to_vec(),
            found: found.into_iter().map(str::to_string).collect(),
        });
    }
    let state = State::build_arenas(&Builder { image }, header.state_hash)?;
    let head = state.dynamic_global.get(0).map(|d| d.head_block_number);
    if head != Some(header.block_num) {
        return Err(SnapshotError::HeadMismatch { header: header.block_num, state: head.unwrap_or(0) });
    }
    Ok((header, state))
}

struct Builder<'a> {
    image: &'a ArchivedSnapshotImage,
}

impl ArenaBuilder for Builder<'_> {
    type Error = SnapshotError;

    fn build<T: Object + Unpack + Send, I: Index<T> + Send>(
        &self,
        name: &'static str,
    ) -> Result<Arena<T, I>, SnapshotError> {
        let bad = |detail: String| SnapshotError::Malformed { arena: name, detail };
        let img = self.image.arenas.iter().find(|a| a.name.as_str() == name).ok_or_else(|| bad("missing".into()))?;
        let (next, live, records) = (img.next.to_native(), img.live.to_native(), img.records.as_slice());
        if arena_checksum(name, img.space, img.ty, next, live, records) != img.checksum {
            return Err(SnapshotError::Checksum { arena: name.to_string() });
        }
        if (img.space, img.ty) != (T::SPACE, T::TYPE) {
            let detail = format!("holds objects {}.{}, expected {}.{}", img.space, img.ty, T::SPACE, T::TYPE);
            return Err(bad(detail));
        }
        // Each record takes at least 12 bytes: a count beyond that is damage, not a reason to
        // reserve memory for it.
        if live > next || live as usize > records.len() / 12 {
            return Err(bad(format!(
                "{live} live objects cannot fit below next instance {next} in {} bytes",
                records.len()
            )));
        }
        let decode = |instance: u64, bytes: &[u8]| {
            T::from_bytes(bytes).map_err(|e| bad(format!("object {}.{}.{instance}: {e}", T::SPACE, T::TYPE)))
        };
        let order = || bad(format!("instances out of order or not below next instance {next}"));
        if live < PARALLEL_MIN {
            let mut r = Reader::new(records);
            let dec = |e: DecodeError| bad(e.to_string());
            let objects = (0..live).map(|_| {
                let instance = u64::from_le_bytes(r.array().map_err(dec)?);
                let len = u32::from_le_bytes(r.array().map_err(dec)?) as usize;
                Ok((instance, decode(instance, r.take(len).map_err(dec)?)?))
            });
            let arena = Arena::try_restore(next, objects, order)?;
            if r.remaining() != 0 {
                return Err(bad(format!("{} bytes left over after {live} objects", r.remaining())));
            }
            return Ok(arena);
        }
        // A big arena: find every record first (12-byte headers, no decoding), then decode its
        // slot chunks on every core.
        let spans = record_spans(records, live).map_err(bad)?;
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let part = |range: std::ops::Range<u64>| {
            let from = spans.partition_point(|(instance, _)| *instance < range.start);
            spans[from..]
                .iter()
                .take_while(move |(instance, _)| *instance < range.end)
                .map(|&(instance, ref bytes)| Ok((instance, decode(instance, &records[bytes.clone()])?)))
        };
        Arena::try_restore_parallel(next, threads, part, order)
    }
}

/// Arenas with at least this many objects are decoded on several threads.
/// (Tiny in unit tests, so the dev-genesis arenas exercise the parallel path too.)
const PARALLEL_MIN: u64 = if cfg!(test) { 16 } else { 1 << 16 };

/// The instance and byte range of each of the `live` records, checking that they tile `records`
/// exactly and that instances ascend.
fn record_spans(records: &[u8], live: u64) -> Result<Vec<(u64, std::ops::Range<usize>)>, String> {
    let mut spans = Vec::with_capacity(live as usize);
    let mut r = Reader::new(records);
    for _ in 0..live {
        let instance = u64::from_le_bytes(r.array().map_err(|e| e.to_string())?);
        let len = u32::from_le_bytes(r.array().map_err(|e| e.to_string())?) as usize;
        let start = records.len() - r.remaining();
        r.take(len).map_err(|e| e.to_string())?;
        if spans.last().is_some_and(|(last, _)| *last >= instance) {
            return Err(format!("instance {instance} does not ascend"));
        }
        spans.push((instance, start..start + len));
    }
    if r.remaining() != 0 {
        return Err(format!("{} bytes left over after {live} objects", r.remaining()));
    }
    Ok(spans)
}

#[cfg(test)]
mod tests;
