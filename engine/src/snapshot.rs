//! Snapshots of the object graph: the whole [`State`] to bytes and back.
//!
//! A snapshot is taken between blocks (no undo frame open, the changed-set empty because the last
//! block sealed its hash), so restoring it and applying the next block gives exactly the state
//! hash the node that wrote it computed. The byte layout (all integers little endian):
//!
//! ```text
//! magic "GRSNAP01" | block_num u32 | block_id [20] | state_hash [32] | arena_count u32
//! per arena, in state-hash order:
//!   name_len u8 | name | space u8 | type u8 | next_instance u64 | live_count u64
//!   per live object, ascending instance: instance u64 | len u32 | Pack bytes
//! blake3 of everything above [32]
//! ```
//!
//! Objects are stored in their `Pack` encoding (the one the state hash covers) rather than as an
//! rkyv archive (DESIGN.md): rkyv would need derives on every object type in `ledger`. Secondary
//! indexes are not stored; [`ledger::graph::Arena::restore`] rebuilds them while loading.
//!
//! Never: read or write files (the node does), or accept a snapshot whose checksum, arena list or
//! object encoding does not match this build exactly.

use crate::state::State;
use ledger::encoding::{DecodeError, Reader, Unpack};
use ledger::graph::{Arena, Index, Object, StateHash};

const MAGIC: &[u8; 8] = b"GRSNAP01";
const CHECKSUM_LEN: usize = 32;

/// Receives each arena of a state, in order (see [`State::visit_arenas`]).
pub trait ArenaVisitor {
    fn visit<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str, arena: &Arena<T, I>);
}

/// Builds each arena of a state, in order (see [`State::build_arenas`]).
pub trait ArenaBuilder {
    type Error;
    fn build<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str) -> Result<Arena<T, I>, Self::Error>;
}

/// Why snapshot bytes could not be loaded.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a snapshot (bad magic or shorter than its header)")]
    NotASnapshot,
    #[error("snapshot checksum does not match its contents (damaged or partly written)")]
    Checksum,
    #[error("snapshot holds arena {found:?} where this build expects {expected:?} (written by another version)")]
    ArenaMismatch { expected: &'static str, found: String },
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

const HEADER_LEN: usize = 8 + 4 + 20 + 32 + 4;

/// Serialize the whole state. The state must be between blocks (no open undo frame).
pub fn write(state: &State) -> Vec<u8> {
    let dgp = state.dgp();
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&dgp.head_block_number.to_le_bytes());
    out.extend_from_slice(&dgp.head_block_id.0);
    out.extend_from_slice(&state.state_hash.0);
    let count_at = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    let mut w = Writer { out, arenas: 0 };
    state.visit_arenas(&mut w);
    let mut out = w.out;
    out[count_at..count_at + 4].copy_from_slice(&w.arenas.to_le_bytes());
    let sum = blake3::hash(&out);
    out.extend_from_slice(sum.as_bytes());
    out
}

struct Writer {
    out: Vec<u8>,
    arenas: u32,
}

impl ArenaVisitor for Writer {
    fn visit<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str, arena: &Arena<T, I>) {
        self.arenas += 1;
        let out = &mut self.out;
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        out.push(T::SPACE);
        out.push(T::TYPE);
        out.extend_from_slice(&arena.next_instance().to_le_bytes());
        out.extend_from_slice(&(arena.len() as u64).to_le_bytes());
        for (instance, obj) in arena.iter() {
            out.extend_from_slice(&instance.to_le_bytes());
            let len_at = out.len();
            out.extend_from_slice(&[0; 4]);
            obj.pack(out);
            let len = (out.len() - len_at - 4) as u32;
            out[len_at..len_at + 4].copy_from_slice(&len.to_le_bytes());
        }
    }
}

/// Read the header of snapshot bytes (no checksum check: that needs the whole file).
pub fn read_header(bytes: &[u8]) -> Result<SnapshotHeader, SnapshotError> {
    if bytes.len() < HEADER_LEN + CHECKSUM_LEN || &bytes[..8] != MAGIC {
        return Err(SnapshotError::NotASnapshot);
    }
    let block_num = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    let block_id: [u8; 20] = bytes[12..32].try_into().expect("20 bytes");
    let state_hash = StateHash(bytes[32..64].try_into().expect("32 bytes"));
    Ok(SnapshotHeader { block_num, block_id, state_hash })
}

/// Load a state from snapshot bytes, verifying the checksum, the arena list and every object.
pub fn read(bytes: &[u8]) -> Result<(SnapshotHeader, State), SnapshotError> {
    let header = read_header(bytes)?;
    let (body, sum) = bytes.split_at(bytes.len() - CHECKSUM_LEN);
    if blake3::hash(body).as_bytes() != sum {
        return Err(SnapshotError::Checksum);
    }
    let mut b = Builder { r: Reader::new(&body[HEADER_LEN..]) };
    let state = State::build_arenas(&mut b, header.state_hash)?;
    if b.r.remaining() != 0 {
        return Err(SnapshotError::Malformed {
            arena: "(end)",
            detail: format!("{} bytes left over", b.r.remaining()),
        });
    }
    let head = state.dynamic_global.get(0).map(|d| d.head_block_number);
    if head != Some(header.block_num) {
        return Err(SnapshotError::HeadMismatch { header: header.block_num, state: head.unwrap_or(0) });
    }
    Ok((header, state))
}

struct Builder<'a> {
    r: Reader<'a>,
}

impl ArenaBuilder for Builder<'_> {
    type Error = SnapshotError;

    fn build<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str) -> Result<Arena<T, I>, SnapshotError> {
        let bad = |detail: String| SnapshotError::Malformed { arena: name, detail };
        let dec = |e: DecodeError| bad(e.to_string());
        let r = &mut self.r;
        let name_len = r.u8().map_err(dec)? as usize;
        let found = r.take(name_len).map_err(dec)?;
        let space = r.u8().map_err(dec)?;
        let ty = r.u8().map_err(dec)?;
        if found != name.as_bytes() || (space, ty) != (T::SPACE, T::TYPE) {
            let found = format!("{} ({space}.{ty})", String::from_utf8_lossy(found));
            return Err(SnapshotError::ArenaMismatch { expected: name, found });
        }
        let next = u64::from_le_bytes(r.array().map_err(dec)?);
        let live = u64::from_le_bytes(r.array().map_err(dec)?);
        if live > next || live as usize > r.remaining() / 12 + 1 {
            return Err(bad(format!("{live} live objects cannot fit below next instance {next}")));
        }
        let mut objects = Vec::with_capacity(live as usize);
        for _ in 0..live {
            let instance = u64::from_le_bytes(r.array().map_err(dec)?);
            let len = u32::from_le_bytes(r.array().map_err(dec)?) as usize;
            let obj = T::from_bytes(r.take(len).map_err(dec)?)
                .map_err(|e| bad(format!("object {}.{}.{instance}: {e}", T::SPACE, T::TYPE)))?;
            objects.push((instance, obj));
        }
        Arena::restore(next, objects)
            .ok_or_else(|| bad(format!("instances out of order or not below next instance {next}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::Chain;
    use ledger::time::TimePointSec;

    fn dev_chain() -> Chain {
        let text = ledger::genesis::DEV_GENESIS_JSON;
        let genesis: ledger::genesis::GenesisState = serde_json::from_str(text).unwrap();
        let chain_id = crate::genesis::chain_id_of(&genesis, text);
        let mut chain = Chain::new(crate::genesis::build(&genesis, chain_id).unwrap());
        chain.skip.block_signature = true;
        chain
    }

    #[test]
    fn restored_state_continues_with_the_same_state_hashes() {
        let mut a = dev_chain();
        for _ in 0..3 {
            let t = a.slot_time(1);
            a.produce_block(t, &[], None).unwrap();
        }
        let bytes = write(&a.state);
        let (header, state) = read(&bytes).unwrap();
        assert_eq!(header.block_num, 3);
        assert_eq!(header.state_hash, a.state.state_hash);
        assert_eq!(header.block_id, a.head_id().0);
        let mut b = Chain::new(state);
        b.skip.block_signature = true;
        assert_eq!(write(&b.state), bytes, "a restored state writes the same snapshot");
        for _ in 0..3 {
            let t = a.slot_time(1);
            let (block, _) = a.produce_block(t, &[], None).unwrap();
            b.apply_block(&block).unwrap();
            assert_eq!(b.state.state_hash, a.state.state_hash, "block {}", block.block_num());
        }
        assert_eq!(b.head_time(), TimePointSec(a.head_time().0));
    }

    #[test]
    fn damaged_snapshot_is_refused() {
        let a = dev_chain();
        let mut bytes = write(&a.state);
        let mid = bytes.len() / 2;
        bytes[mid] ^= 1;
        assert_eq!(read(&bytes).err(), Some(SnapshotError::Checksum));
        assert_eq!(read(&bytes[..10]).err(), Some(SnapshotError::NotASnapshot));
    }
}
