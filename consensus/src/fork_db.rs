//! The fork database (PROTOCOL.md §2.8): every recent block this node knows, on any branch, keyed
//! by id and linked by `previous`, and the fork-DB head (the tip of the longest known chain).
//!
//! # Invariants
//!
//! - Every item links to another item, except the *root*: the block the database was started
//!   from (the chain head at start, e.g. genesis with the zero id), kept without its body.
//! - **Unlinkable blocks are rejected**, not kept as orphans: a block whose `previous` is unknown
//!   returns [`ForkDbError::Unlinkable`]. The network layer fetches missing ancestors and pushes
//!   them in order (sync is by ascending block number), as bitshares-core's `fork_database`
//!   does (it throws `unlinkable_block_exception`).
//! - The head moves only to a strictly higher block: on equal numbers the first-seen branch stays.
//! - Only blocks numbered above `head − max_size` are kept. Pruning happens in
//!   [`ForkDatabase::set_max_size`], which the owner calls with `head − LIB + 1` after every block
//!   it applied (initially 1024), so the LIB block stays as the oldest item. `push_block` itself
//!   never prunes: the new head may still fail to apply, and the old head must then remain.
//!
//! # Never
//!
//! It never applies or validates a block's content: that is the engine's job, driven by
//! [`crate::ForkChoice`]. Iteration order is by (number, id), never hash-map order.

use ledger::block::{BlockId, SignedBlock};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The initial `max_size` (fork_database.hpp:118).
pub const INITIAL_MAX_SIZE: u32 = 1024;

/// One block in the database.
#[derive(Clone, Debug)]
pub struct ForkItem {
    pub id: BlockId,
    pub num: u32,
    pub previous: BlockId,
    /// The block; `None` only for the root the database was started from.
    pub block: Option<Arc<SignedBlock>>,
}

/// Why a block was not added.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ForkDbError {
    #[error("block {num} ({id}) is already known")]
    Duplicate { num: u32, id: BlockId },
    #[error("block {num} ({id}) does not link to a known block: its previous {previous} is unknown")]
    Unlinkable { num: u32, id: BlockId, previous: BlockId },
    #[error("block {num} is too old: the fork database keeps blocks above {min}")]
    TooOld { num: u32, min: u32 },
    #[error("block {id} is not in the fork database")]
    Unknown { id: BlockId },
}

/// Blocks of recent branches and the fork-DB head.
pub struct ForkDatabase {
    items: HashMap<BlockId, ForkItem>,
    /// Every item by (number, id): pruning and descendant walks in a fixed order.
    by_num: BTreeSet<(u32, BlockId)>,
    head: BlockId,
    max_size: u32,
}

impl ForkDatabase {
    /// A database holding only `root` (number `root_num`, body unknown) as its head.
    pub fn new(root: BlockId, root_num: u32) -> Self {
        let mut db =
            ForkDatabase { items: HashMap::new(), by_num: BTreeSet::new(), head: root, max_size: INITIAL_MAX_SIZE };
        db.insert(ForkItem { id: root, num: root_num, previous: BlockId::default(), block: None });
        db
    }

    fn insert(&mut self, item: ForkItem) {
        self.by_num.insert((item.num, item.id));
        self.items.insert(item.id, item);
    }

    /// The tip of the longest known chain (first seen among equals).
    pub fn head(&self) -> &ForkItem {
        &self.items[&self.head]
    }

    pub fn get(&self, id: &BlockId) -> Option<&ForkItem> {
        self.items.get(id)
    }

    pub fn contains(&self, id: &BlockId) -> bool {
        self.items.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn max_size(&self) -> u32 {
        self.max_size
    }

    /// Add a block linking to a known one. Returns `true` when it became the new head (it is
    /// strictly higher than the old head). A shared block (`Arc`) is kept without a copy.
    pub fn push_block(&mut self, block: impl Into<Arc<SignedBlock>>) -> Result<bool, ForkDbError> {
        let block: Arc<SignedBlock> = block.into();
        let id = block.id();
        let num = block.block_num();
        let previous = block.signed_header.header.previous;
        if self.items.contains_key(&id) {
            return Err(ForkDbError::Duplicate { num, id });
        }
        if let Some(min) = self.min_kept() {
            if num <= min {
                return Err(ForkDbError::TooOld { num, min });
            }
        }
        if self.items.get(&previous).is_none_or(|p| p.num + 1 != num) {
            return Err(ForkDbError::Unlinkable { num, id, previous });
        }
        self.insert(ForkItem { id, num, previous, block: Some(block) });
        if num > self.head().num {
            self.head = id;
            return Ok(true);
        }
        Ok(false)
    }

    /// Make a known block the head (after a failed fork switch the old head is restored).
    pub fn set_head(&mut self, id: BlockId) -> Result<(), ForkDbError> {
        if !self.items.contains_key(&id) {
            return Err(ForkDbError::Unknown { id });
        }
        self.head = id;
        Ok(())
    }

    /// Keep blocks numbered above `head − max_size` (the owner passes `head − LIB + 1`).
    pub fn set_max_size(&mut self, max_size: u32) {
        self.max_size = max_size;
        self.prune();
    }

    /// Blocks numbered at or below this are dropped (`None` while the head is below `max_size`).
    fn min_kept(&self) -> Option<u32> {
        self.head().num.checked_sub(self.max_size)
    }

    fn prune(&mut self) {
        let Some(min) = self.min_kept() else { return };
        while let Some(&(num, id)) = self.by_num.first() {
            if num > min {
                break;
            }
            self.by_num.remove(&(num, id));
            self.items.remove(&id);
        }
    }

    /// Remove a block and every block built on it (an invalid block invalidates its descendants).
    /// Returns the removed ids, lowest first. The head is left alone unless it was removed, in
    /// which case the caller must [`set_head`](Self::set_head).
    pub fn remove_with_descendants(&mut self, id: &BlockId) -> Vec<BlockId> {
        let Some(item) = self.items.get(id) else { return Vec::new() };
        let mut removed = vec![*id];
        let mut gone: BTreeSet<BlockId> = BTreeSet::from([*id]);
        for &(_, child) in self.by_num.range((item.num + 1, BlockId::default())..) {
            if gone.contains(&self.items[&child].previous) {
                gone.insert(child);
                removed.push(child);
            }
        }
        for r in &removed {
            let item = self.items.remove(r).expect("listed above");
            self.by_num.remove(&(item.num, item.id));
        }
        removed
    }

    /// The two branches from `a` and `b` back to their common ancestor (excluded), each newest
    /// first, and the ancestor's id (bitshares-core's `fetch_branch_from`). A branch is empty when
    /// its end is the ancestor itself.
    pub fn fetch_branch_from(&self, a: BlockId, b: BlockId) -> Result<Branches, ForkDbError> {
        let get = |id: BlockId| self.items.get(&id).ok_or(ForkDbError::Unknown { id });
        let (mut x, mut y) = (get(a)?, get(b)?);
        let (mut first, mut second) = (Vec::new(), Vec::new());
        while x.num > y.num {
            first.push(x.clone());
            x = get(x.previous)?;
        }
        while y.num > x.num {
            second.push(y.clone());
            y = get(y.previous)?;
        }
        while x.id != y.id {
            first.push(x.clone());
            second.push(y.clone());
            x = get(x.previous)?;
            y = get(y.previous)?;
        }
        Ok(Branches { first, second, ancestor: x.id, ancestor_num: x.num })
    }
}

/// The result of [`ForkDatabase::fetch_branch_from`].
#[derive(Clone, Debug)]
pub struct Branches {
    /// From `a` down to the child of the ancestor.
    pub first: Vec<ForkItem>,
    /// From `b` down to the child of the ancestor.
    pub second: Vec<ForkItem>,
    pub ancestor: BlockId,
    pub ancestor_num: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledger::block::{BlockHeader, SignedBlockHeader};
    use ledger::time::TimePointSec;

    /// A block on top of `previous` told apart by `tag` (its timestamp); content is not checked here.
    fn block(previous: BlockId, tag: u32) -> SignedBlock {
        SignedBlock {
            signed_header: SignedBlockHeader {
                header: BlockHeader { previous, timestamp: TimePointSec(tag), ..Default::default() },
                witness_signature: Default::default(),
            },
            transactions: vec![],
        }
    }

    /// Push a chain of `n` blocks on `from`, returning their ids.
    fn extend(db: &mut ForkDatabase, from: BlockId, n: u32, tag: u32) -> Vec<BlockId> {
        let mut ids = Vec::new();
        let mut prev = from;
        for i in 0..n {
            let b = block(prev, tag + i);
            prev = b.id();
            db.push_block(b).unwrap();
            ids.push(prev);
        }
        ids
    }

    #[test]
    fn longest_chain_wins_and_ties_keep_the_first_seen() {
        let mut db = ForkDatabase::new(BlockId::default(), 0);
        let a = extend(&mut db, BlockId::default(), 3, 100);
        assert_eq!(db.head().id, a[2]);
        // A competing branch of equal length does not move the head.
        let b = extend(&mut db, a[0], 2, 200);
        assert_eq!((b[1].num(), db.head().id), (3, a[2]));
        // One more block on it does.
        let b3 = block(b[1], 300);
        assert_eq!(db.push_block(b3.clone()), Ok(true));
        assert_eq!(db.head().id, b3.id());
        assert_eq!(db.push_block(b3.clone()), Err(ForkDbError::Duplicate { num: 4, id: b3.id() }));
    }

    #[test]
    fn unlinkable_blocks_are_rejected() {
        let mut db = ForkDatabase::new(BlockId::default(), 0);
        let orphan = block(block(BlockId::default(), 1).id(), 2);
        let err = db.push_block(orphan.clone()).unwrap_err();
        assert_eq!(
            err,
            ForkDbError::Unlinkable { num: 2, id: orphan.id(), previous: orphan.signed_header.header.previous }
        );
        assert_eq!(db.len(), 1);
    }

    #[test]
    fn branches_run_back_to_the_common_ancestor() {
        let mut db = ForkDatabase::new(BlockId::default(), 0);
        let a = extend(&mut db, BlockId::default(), 4, 100);
        let b = extend(&mut db, a[1], 3, 200);
        let br = db.fetch_branch_from(b[2], a[3]).unwrap();
        assert_eq!(br.first.iter().map(|i| i.id).collect::<Vec<_>>(), vec![b[2], b[1], b[0]]);
        assert_eq!(br.second.iter().map(|i| i.id).collect::<Vec<_>>(), vec![a[3], a[2]]);
        assert_eq!((br.ancestor, br.ancestor_num), (a[1], 2));
        let same = db.fetch_branch_from(a[3], a[1]).unwrap();
        assert_eq!((same.first.len(), same.second.len(), same.ancestor), (2, 0, a[1]));
    }

    #[test]
    fn removing_a_block_removes_its_descendants_only() {
        let mut db = ForkDatabase::new(BlockId::default(), 0);
        let a = extend(&mut db, BlockId::default(), 3, 100);
        let b = extend(&mut db, a[0], 3, 200);
        let c = extend(&mut db, b[0], 1, 300);
        assert_eq!(db.remove_with_descendants(&b[1]), vec![b[1], b[2]]);
        assert!(db.contains(&b[0]) && db.contains(&c[0]) && db.contains(&a[2]));
        assert_eq!(db.len(), 1 + 3 + 1 + 1);
    }

    #[test]
    fn pruning_keeps_blocks_above_head_minus_max_size() {
        let mut db = ForkDatabase::new(BlockId::default(), 0);
        let a = extend(&mut db, BlockId::default(), 10, 100);
        db.set_max_size(4);
        // head 10, max 4: blocks 7..=10 stay.
        assert_eq!(db.len(), 4);
        assert!(!db.contains(&a[5]) && db.contains(&a[6]));
        // Block 7 on the pruned block 6 no longer links.
        let late = block(a[5], 999);
        assert_eq!(db.push_block(late.clone()), Err(ForkDbError::Unlinkable { num: 7, id: late.id(), previous: a[5] }));
        let old = block(a[4], 998);
        assert_eq!(db.push_block(old), Err(ForkDbError::TooOld { num: 6, min: 6 }));
    }
}
