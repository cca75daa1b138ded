//! What applying a block did, returned to the caller (DESIGN.md "Events"): a [`BlockOutcome`]
//! for every applied or produced block, a [`Reverted`] for every popped one. These are the only
//! source for everything downstream of the writer (confirmations, the read replica, the API's
//! subscriptions, the market-data feed, history); nothing downstream reads a field of the chain.
//!
//! Order-book deltas come per price level ([`LevelChange`]): the state after the block of every
//! level the block touched, from the level log the chain's order index keeps
//! ([`crate::dex::Books::drain_level_changes`]), so a market-data consumer updates its depth
//! without replaying fills.

use crate::chain::Applied;
pub use crate::dex::LevelChange;
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
    /// The state after the block of every order-book price level it touched, by market, side
    /// and price (best first). Levels touched before the block by work that was undone (a
    /// failed or discarded transaction) may appear with their unchanged state.
    pub book: Vec<LevelChange>,
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
    pub block: std::sync::Arc<ledger::block::SignedBlock>,
    /// The head after the pop (the popped block's parent).
    pub head_num: u32,
    pub head_id: BlockId,
    /// The chained state hash after the pop.
    pub state_hash: StateHash,
    /// The restored versions (empty unless the chain captures changes).
    pub changes: ObjectChanges,
    /// The state after the pop of every price level the popped block had touched.
    pub book: Vec<LevelChange>,
}
