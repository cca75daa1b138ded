//! What applying a block did, returned to the caller (DESIGN.md "Events"): a [`BlockOutcome`]
//! for every applied or produced block, a [`Reverted`] for every popped one. These are the only
//! source for everything downstream of the writer (confirmations, the read replica, the API's
//! subscriptions, the market-data feed, history); nothing downstream reads a field of the chain.
//!
//! Order-book deltas per price level are not computed yet. They are meant to be derived from
//! [`BlockOutcome::changes`] (the changed 1.7.x orders) against a replica's previous versions,
//! off the writer thread, so the writer pays only for copying the bytes it already hashed.

use crate::chain::Applied;
use ledger::block::BlockId;
use ledger::graph::{ObjectChanges, StateHash};
use ledger::ids::WitnessId;
use ledger::ops::Operation;
use ledger::time::TimePointSec;

/// Everything one block did, in the order it happened.
#[derive(Clone, Debug, Default)]
pub struct BlockOutcome {
    pub block_num: u32,
    pub block_id: BlockId,
    pub timestamp: TimePointSec,
    pub witness: WitnessId,
    /// The chained state hash after the block.
    pub state_hash: StateHash,
    /// The last irreversible block after it.
    pub last_irreversible: u32,
    /// One entry per transaction of the block, in block order: operation results and the
    /// virtual operations (fills, culls, margin calls, settlements) each caused.
    pub transactions: Vec<Applied>,
    /// Virtual operations of the end-of-block steps (maintenance, expired orders, due force
    /// settlements, feed expiry and the margin calls it triggers), in order.
    pub end_of_block: Vec<Operation>,
    /// Every object the block changed, by value (empty unless the chain captures changes:
    /// [`crate::Chain::set_capture_changes`]).
    pub changes: ObjectChanges,
}

impl BlockOutcome {
    /// The virtual operations of the whole block: each transaction's, then the end of block's.
    pub fn virtual_ops(&self) -> impl Iterator<Item = &Operation> + '_ {
        self.transactions.iter().flat_map(|t| t.virtual_ops.iter()).chain(self.end_of_block.iter())
    }
}

/// A popped block: the block itself and the restored version of every object it had touched.
#[derive(Clone, Debug)]
pub struct Reverted {
    pub block: ledger::block::SignedBlock,
    /// The head after the pop (the popped block's parent).
    pub head_num: u32,
    pub head_id: BlockId,
    /// The chained state hash after the pop.
    pub state_hash: StateHash,
    /// The restored versions (empty unless the chain captures changes).
    pub changes: ObjectChanges,
}
