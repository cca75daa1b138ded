//! The chained state hash: `state_n = blake3(state_{n-1} ‖ changes_n)`, where `changes_n` is the
//! blake3 digest of everything block `n` changed, fed by [`super::Undoable::hash_changes`].

use std::fmt;

/// A 32-byte state digest. Two nodes (or a node and a replay) that agree on every block's
/// state hash hold the same object graph.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StateHash(pub [u8; 32]);

impl StateHash {
    /// The hash before the first block.
    pub const ZERO: StateHash = StateHash([0; 32]);

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for StateHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}
impl fmt::Debug for StateHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StateHash({self})")
    }
}

/// Chain one block's change digest onto the previous state hash.
pub fn chain(prev: &StateHash, block_changes: &[u8; 32]) -> StateHash {
    let mut h = blake3::Hasher::new();
    h.update(&prev.0);
    h.update(block_changes);
    StateHash(*h.finalize().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_is_blake3_of_prev_then_changes() {
        let changes = [7u8; 32];
        let mut both = [0u8; 64];
        both[32..].copy_from_slice(&changes);
        assert_eq!(chain(&StateHash::ZERO, &changes).0, *blake3::hash(&both).as_bytes());
        assert_ne!(chain(&StateHash::ZERO, &changes), chain(&StateHash([1; 32]), &changes));
        assert_eq!(format!("{}", StateHash([0xab; 32])), "ab".repeat(32));
    }
}
