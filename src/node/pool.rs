//! The pending-transaction pool of a producing node (PROTOCOL.md §2.10).
//!
//! Transactions are checked by applying them, in arrival order, in the chain's pending undo frame
//! on top of the head state (`Chain::push_transaction`), so a transaction that depends on an
//! earlier pooled one is accepted. Before a block is produced the pending frame is discarded
//! ([`Pool::take`]) and the block re-applies the transactions from scratch; whatever a block leaves
//! out is dropped (it was rejected there). Invariant: the pending frame is never open while a
//! block is produced or a snapshot is written.

use engine::{Chain, Rejection};
use ledger::transaction::SignedTransaction;

#[derive(Default)]
pub struct Pool {
    txs: Vec<SignedTransaction>,
}

impl Pool {
    /// Accept `tx` if it applies on top of the head state and the transactions already pooled.
    pub fn push(&mut self, chain: &mut Chain, tx: SignedTransaction) -> Result<(), Rejection> {
        chain.push_transaction(&tx, None)?;
        self.txs.push(tx);
        Ok(())
    }

    /// Discard the pending frame and hand out the pooled transactions, oldest first.
    pub fn take(&mut self, chain: &mut Chain) -> Vec<SignedTransaction> {
        self.discard_session(chain);
        std::mem::take(&mut self.txs)
    }

    /// Discard the pending frame, keeping the transactions (before a snapshot or shutdown).
    pub fn discard_session(&mut self, chain: &mut Chain) {
        chain.discard_pending();
    }
}
