//! A block built one transaction at a time ([`OpenBlock`]), for producers that apply
//! transactions as they arrive instead of all at once at the slot (the pipeline's apply stage).
//!
//! [`Chain::open_block`] checks the slot and the undo history and opens the block's frame;
//! [`OpenBlock::push`] applies one transaction in its own frame exactly as
//! [`Chain::produce_block`] does (that function is `open_block`, `push` each, `seal`);
//! [`OpenBlock::seal`] assembles, signs and finishes the block. Dropping an `OpenBlock` without
//! sealing it undoes every transaction pushed into it.
//!
//! Invariant: while an `OpenBlock` lives it holds the only `&mut Chain`, so nothing else can pop,
//! apply or produce a block underneath it. The timestamp is fixed when the block is opened (a
//! transaction's checks use the head block's time, as bitshares-core, not the new block's).

use super::{BlockError, Chain, Known};
use crate::chain::Applied;
use crate::error::Rejection;
use crate::events::BlockOutcome;
use ledger::block::{BlockHeader, SignedBlock, SignedBlockHeader};
use ledger::graph::StateHash;
use ledger::ids::WitnessId;
use ledger::keys::PublicKey;
use ledger::time::TimePointSec;
use ledger::transaction::{ProcessedTransaction, SignedTransaction};

/// A block being built on top of the chain's head. See the module doc.
pub struct OpenBlock<'c> {
    chain: &'c mut Chain,
    timestamp: TimePointSec,
    slot: u32,
    witness: WitnessId,
    num: u32,
    hash_before: StateHash,
    included: Vec<ProcessedTransaction>,
    applied: Vec<Applied>,
    sealed: bool,
}

impl Chain {
    /// Open the next block at `timestamp` (which must fall in a slot after the head). Discards
    /// the pending frame, as every block operation does.
    #[allow(clippy::result_large_err)]
    pub fn open_block(&mut self, timestamp: TimePointSec) -> Result<OpenBlock<'_>, BlockError> {
        let slot = self.slot_at_time(timestamp);
        if slot == 0 {
            return Err(BlockError::BeforeFirstSlot { timestamp, first_slot: self.slot_time(1) });
        }
        let witness = self.scheduled_witness(slot);
        let num = self.head_num() + 1;
        self.check_block_time(timestamp, num)?;
        self.check_undo_history(num)?;
        let hash_before = self.begin_block(timestamp);
        Ok(OpenBlock {
            chain: self,
            timestamp,
            slot,
            witness,
            num,
            hash_before,
            included: Vec::new(),
            applied: Vec::new(),
            sealed: false,
        })
    }
}

impl OpenBlock<'_> {
    /// Apply `tx` inside the block in its own frame: included on success, no trace on rejection.
    /// `signing_keys`, when given, are the keys already recovered from its signatures (the
    /// pipeline's verify stage); they are then not recovered again.
    /// What it did is kept for the block's outcome (and lent back here).
    pub fn push(&mut self, tx: &SignedTransaction, signing_keys: Option<&[PublicKey]>) -> Result<&Applied, Rejection> {
        let applied = self.chain.push_in_frame(tx, signing_keys, Known::NOTHING)?;
        // Results are not part of consensus; producers leave them out of the block.
        self.included.push(ProcessedTransaction { signed: tx.clone(), operation_results: Vec::new() });
        self.applied.push(applied);
        Ok(self.applied.last().expect("just pushed"))
    }

    /// The chain as it stands with the transactions pushed so far (read only).
    pub fn chain(&self) -> &Chain {
        self.chain
    }

    /// Number of the block being built.
    pub fn num(&self) -> u32 {
        self.num
    }

    /// Transactions included so far.
    pub fn len(&self) -> usize {
        self.included.len()
    }

    pub fn is_empty(&self) -> bool {
        self.included.is_empty()
    }

    /// The witness scheduled for this block's slot (whose key should sign it).
    pub fn witness(&self) -> WitnessId {
        self.witness
    }

    /// Assemble the block, sign it with `signing_key` if given (otherwise its signature is
    /// zero), run the end-of-block processing and make it the head. Returns the block and its
    /// outcome.
    /// The block is shared with the chain's reversible-block record (no copy is made).
    pub fn seal(
        mut self,
        signing_key: Option<&ledger::crypto::PrivateKey>,
    ) -> (std::sync::Arc<SignedBlock>, BlockOutcome) {
        let mut block = SignedBlock {
            signed_header: SignedBlockHeader {
                header: BlockHeader {
                    previous: self.chain.head_id(),
                    timestamp: self.timestamp,
                    witness: self.witness,
                    transaction_merkle_root: Default::default(),
                    extensions: Default::default(),
                },
                witness_signature: Default::default(),
            },
            transactions: std::mem::take(&mut self.included),
        };
        block.signed_header.header.transaction_merkle_root = block.calculate_merkle_root();
        if let Some(key) = signing_key {
            block.signed_header.witness_signature =
                ledger::crypto::sign_compact(key, &block.signed_header.header.digest());
        }
        let applied = std::mem::take(&mut self.applied);
        let outcome = self.chain.finish_block(&block, self.slot, self.num, applied);
        let block = std::sync::Arc::new(block);
        self.chain.end_block(|| std::sync::Arc::clone(&block), self.hash_before);
        self.sealed = true;
        debug_assert_eq!(block.block_num(), self.num);
        (block, outcome)
    }
}

impl Drop for OpenBlock<'_> {
    /// An abandoned block leaves nothing behind (undo on), as a rejected block does.
    fn drop(&mut self) {
        if !self.sealed && self.chain.state.undo_depth() > self.chain.reversible.len() {
            self.chain.state.undo();
        }
    }
}
