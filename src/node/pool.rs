//! The pending-transaction pool of a producing node (PROTOCOL.md §2.10).
//!
//! Transactions are checked by applying them, in arrival order, in one pending undo session on
//! top of the head state, so a transaction that depends on an earlier pooled one is accepted.
//! Before a block is produced the session is undone ([`Pool::take`]) and the block re-applies the
//! transactions from scratch; whatever a block leaves out is dropped (it was rejected there).
//! Invariant: the pending session is open exactly when `open` is true, and it is never open while
//! a block is produced, applied or snapshotted.

use engine::{Chain, Rejection};
use ledger::transaction::SignedTransaction;

#[derive(Default)]
pub struct Pool {
    txs: Vec<SignedTransaction>,
    open: bool,
}

impl Pool {
    /// Accept `tx` if it applies on top of the head state and the transactions already pooled.
    pub fn push(&mut self, chain: &mut Chain, tx: SignedTransaction) -> Result<(), Rejection> {
        if !self.open {
            chain.state.begin();
            self.open = true;
        }
        chain.push_transaction(&tx, None)?;
        self.txs.push(tx);
        Ok(())
    }

    /// Undo the pending session and hand out the pooled transactions, oldest first.
    pub fn take(&mut self, chain: &mut Chain) -> Vec<SignedTransaction> {
        self.discard_session(chain);
        std::mem::take(&mut self.txs)
    }

    /// Undo the pending session, keeping the transactions (before a snapshot or shutdown).
    pub fn discard_session(&mut self, chain: &mut Chain) {
        if self.open {
            chain.state.undo();
            self.open = false;
        }
    }
}
