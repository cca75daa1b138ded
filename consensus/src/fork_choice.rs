//! Fork choice (PROTOCOL.md §2.8, bitshares-core `db_block.cpp:147-213`): given a block from
//! anywhere, extend the head, keep it on a side branch, or switch to the longer branch it
//! completes, undoing and redoing blocks exactly.
//!
//! # Invariants
//!
//! - Between calls, the fork-DB head is the chain head, and the chain's reversible blocks are all
//!   in the fork database.
//! - A switch pops the chain back to the common ancestor (never below
//!   [`Chain::undo_floor`], i.e. never past the LIB) and applies the new branch oldest first. If a
//!   block of it fails, that block and its descendants leave the fork database, the applied part
//!   of the new branch is popped, and the old branch (the popped blocks themselves) re-applied, so
//!   the state and its chained hash are exactly as before.
//! - After every applied block the fork database's `max_size` becomes `head − floor + 1` where
//!   floor is the undo floor (the highest LIB seen; equal to the state's LIB in steady operation).
//!
//! # Differences from bitshares-core
//!
//! bitshares-core checks the producer of a recent side-branch block against a schedule cached in
//! its parent fork item before storing it; here side-branch blocks are stored unchecked (only
//! linkage is checked) and fully validated when a switch applies them. The fork database's size
//! bound limits what an attacker can park there.
//!
//! # Never
//!
//! It reads no clock and does no I/O: the caller hands it blocks and persists what it applied.

use crate::fork_db::{ForkDatabase, ForkDbError};
use crate::producer::{BlockProducer, Production};
use engine::chain::OpenBlock;
use engine::{BlockError, BlockOutcome, Chain, PopError, Reverted, VerifiedBlock};
use ledger::block::{BlockId, SignedBlock};
use ledger::transaction::SignedTransaction;
use std::sync::Arc;

/// What [`ForkChoice::push_block`] did with a valid block, with the events of every block it
/// popped or applied (the only record of them the caller gets).
#[derive(Debug)]
pub enum PushOutcome {
    /// Applied on top of the head.
    Extended(Box<BlockOutcome>),
    /// Stored on a branch that is not longer than the current one.
    SideBranch,
    /// The chain switched to the block's branch: `reverted` popped (newest first), then
    /// `applied` applied (oldest first).
    Switched { reverted: Vec<Reverted>, applied: Vec<BlockOutcome> },
}

impl PushOutcome {
    /// Blocks popped and applied: `(0, 1)` for an extension, `(0, 0)` for a side branch.
    pub fn counts(&self) -> (u32, u32) {
        match self {
            PushOutcome::Extended(_) => (0, 1),
            PushOutcome::SideBranch => (0, 0),
            PushOutcome::Switched { reverted, applied } => (reverted.len() as u32, applied.len() as u32),
        }
    }
}

/// Why a block was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum ConsensusError {
    #[error(transparent)]
    ForkDb(#[from] ForkDbError),
    #[error("block {num} ({id}) is invalid: {source}")]
    Invalid { num: u32, id: BlockId, source: BlockError },
    #[error(
        "fork to block {head_num} rejected: block {num} ({id}) on it is invalid ({source}); head {restored} restored"
    )]
    ForkRejected { head_num: u32, num: u32, id: BlockId, source: BlockError, restored: u32 },
    #[error("fork to block {head_num} branches off at block {ancestor}, below the undo floor {floor}")]
    BelowUndoFloor { head_num: u32, ancestor: u32, floor: u32 },
    #[error("cannot pop back to the fork point: {0}")]
    Pop(#[from] PopError),
    #[error("re-applying old block {num} after a failed fork switch failed: {source} (state is inconsistent)")]
    RestoreFailed { num: u32, source: BlockError },
    #[error("produced block {num} ({id}) does not extend the fork database head: {reason}")]
    NotHead { num: u32, id: BlockId, reason: String },
}

/// The chain and its fork database, driven together.
pub struct ForkChoice {
    chain: Chain,
    fork_db: ForkDatabase,
}

impl ForkChoice {
    /// Start from `chain`'s head (its body is not needed: it is the fork database's root).
    pub fn new(chain: Chain) -> Self {
        let fork_db = ForkDatabase::new(chain.head_id(), chain.head_num());
        let mut fc = ForkChoice { chain, fork_db };
        fc.resize();
        fc
    }

    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    pub fn fork_db(&self) -> &ForkDatabase {
        &self.fork_db
    }

    /// Accept pending transactions into the chain's pending frame (they are discarded by the next
    /// block operation; the caller re-pushes them).
    pub fn push_transaction(&mut self, tx: &SignedTransaction) -> Result<engine::chain::Applied, engine::Rejection> {
        self.chain.push_transaction(tx, None)
    }

    /// Give the chain back (e.g. to shut down).
    pub fn into_chain(self) -> Chain {
        self.chain
    }

    fn resize(&mut self) {
        let size = self.chain.head_num() - self.chain.undo_floor() + 1;
        self.fork_db.set_max_size(size);
    }

    /// Handle a block from the network (or anywhere): see the module doc.
    pub fn push_block(&mut self, block: impl Into<Arc<SignedBlock>>) -> Result<PushOutcome, ConsensusError> {
        self.push_block_verified(block, None)
    }

    /// [`ForkChoice::push_block`] with the block's stateless work done beforehand (keys recovered
    /// on a verify thread); used when the block extends the head. Blocks applied later by a
    /// switch are re-checked in full.
    pub fn push_block_verified(
        &mut self,
        block: impl Into<Arc<SignedBlock>>,
        verified: Option<&VerifiedBlock>,
    ) -> Result<PushOutcome, ConsensusError> {
        // Kept by the fork database as it is (a shared block is not copied).
        let block: Arc<SignedBlock> = block.into();
        let id = block.id();
        let num = block.block_num();
        let extends_head = block.signed_header.header.previous == self.chain.head_id();
        if !self.fork_db.push_block(Arc::clone(&block))? {
            return Ok(PushOutcome::SideBranch);
        }
        if extends_head {
            let applied = match verified {
                Some(v) => self.chain.apply_block_verified(&block, v),
                None => self.chain.apply_block(&block),
            };
            return match applied {
                Ok(outcome) => {
                    self.resize();
                    Ok(PushOutcome::Extended(Box::new(outcome)))
                }
                Err(source) => {
                    self.fork_db.remove_with_descendants(&id);
                    self.fork_db.set_head(self.chain.head_id())?;
                    Err(ConsensusError::Invalid { num, id, source })
                }
            };
        }
        self.switch_to(id)
    }

    /// Switch from the chain head to the (longer) branch ending at `new_head`.
    fn switch_to(&mut self, new_head: BlockId) -> Result<PushOutcome, ConsensusError> {
        let old_head = self.chain.head_id();
        let head_num = new_head.num();
        let branches = match self.fork_db.fetch_branch_from(new_head, old_head) {
            Ok(b) => b,
            Err(e) => {
                self.fork_db.set_head(old_head)?;
                return Err(e.into());
            }
        };
        let floor = self.chain.undo_floor();
        if branches.ancestor_num < floor {
            // The branch forks below the LIB: it can never be applied.
            if let Some(first) = branches.first.last() {
                self.fork_db.remove_with_descendants(&first.id);
            }
            self.fork_db.set_head(old_head)?;
            return Err(ConsensusError::BelowUndoFloor { head_num, ancestor: branches.ancestor_num, floor });
        }
        let mut reverted = Vec::with_capacity(branches.second.len());
        while self.chain.head_id() != branches.ancestor {
            reverted.push(self.chain.pop_block()?);
        }
        let mut applied = Vec::with_capacity(branches.first.len());
        for item in branches.first.iter().rev() {
            let Some(block) = item.block.as_deref() else {
                unreachable!("only the root has no body, and the root is never above a common ancestor")
            };
            match self.chain.apply_block(block) {
                Ok(outcome) => applied.push(outcome),
                Err(source) => {
                    self.fork_db.remove_with_descendants(&item.id);
                    // Back to exactly the old state: the caller sees no events at all.
                    self.restore(branches.ancestor, &reverted)?;
                    self.fork_db.set_head(old_head)?;
                    let restored = self.chain.head_num();
                    return Err(ConsensusError::ForkRejected {
                        head_num,
                        num: item.num,
                        id: item.id,
                        source,
                        restored,
                    });
                }
            }
        }
        self.resize();
        Ok(PushOutcome::Switched { reverted, applied })
    }

    /// Pop back to `ancestor` and re-apply the `popped` blocks (newest first, as popped).
    fn restore(&mut self, ancestor: BlockId, popped: &[Reverted]) -> Result<(), ConsensusError> {
        while self.chain.head_id() != ancestor {
            self.chain.pop_block()?;
        }
        for r in popped.iter().rev() {
            self.chain
                .apply_block(&r.block)
                .map_err(|source| ConsensusError::RestoreFailed { num: r.block.block_num(), source })?;
        }
        Ok(())
    }

    /// Open a block on the head at `timestamp`, for a producer that applies transactions as they
    /// arrive; after sealing it, hand the block to [`ForkChoice::record_produced`].
    #[allow(clippy::result_large_err)]
    pub fn open_block(&mut self, timestamp: ledger::time::TimePointSec) -> Result<OpenBlock<'_>, BlockError> {
        self.chain.open_block(timestamp)
    }

    /// Record a block just produced on the head (see [`ForkChoice::open_block`]) in the fork
    /// database.
    pub fn record_produced(&mut self, block: &Arc<SignedBlock>) -> Result<(), ConsensusError> {
        let (num, id) = (block.block_num(), block.id());
        match self.fork_db.push_block(Arc::clone(block)) {
            Ok(true) => {
                self.resize();
                Ok(())
            }
            Ok(false) => Err(ConsensusError::NotHead { num, id, reason: "a higher block is known".into() }),
            Err(e) => Err(ConsensusError::NotHead { num, id, reason: e.to_string() }),
        }
    }

    /// Let `producer` produce on the head if the slot at `now_ms` is ours (see
    /// [`BlockProducer::maybe_produce`]) and record the block in the fork database.
    pub fn produce(
        &mut self,
        producer: &mut BlockProducer,
        now_ms: u64,
        pending: &[SignedTransaction],
    ) -> Result<Production, ConsensusError> {
        let production = producer.maybe_produce(&mut self.chain, now_ms, pending).map_err(|source| {
            ConsensusError::Invalid { num: self.chain.head_num() + 1, id: BlockId::default(), source }
        })?;
        if let Production::Produced(produced) = &production {
            self.record_produced(&produced.block)?;
        }
        Ok(production)
    }
}
