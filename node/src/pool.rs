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
use ledger::Pack;

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

    /// Discard the pending frame and hand out the oldest pooled transactions whose packed sizes
    /// add up to at most `max_bytes` (the rest are postponed, §2.10: call [`Pool::repush`] after
    /// the block).
    pub fn take(&mut self, chain: &mut Chain, max_bytes: usize) -> Vec<SignedTransaction> {
        self.discard_session(chain);
        let mut total = 0;
        let n = self
            .txs
            .iter()
            .take_while(|t| {
                total += t.packed_size();
                total <= max_bytes
            })
            .count();
        let rest = self.txs.split_off(n);
        std::mem::replace(&mut self.txs, rest)
    }

    /// Re-apply the postponed transactions on the new head, dropping those that no longer apply.
    pub fn repush(&mut self, chain: &mut Chain) {
        for tx in std::mem::take(&mut self.txs) {
            if let Err(r) = self.push(chain, tx.clone()) {
                eprintln!("postponed transaction {} dropped: {r}", tx.id());
            }
        }
    }

    /// Discard the pending frame, keeping the transactions (before a snapshot or shutdown).
    pub fn discard_session(&mut self, chain: &mut Chain) {
        chain.discard_pending();
    }
}
