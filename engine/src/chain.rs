//! Transaction acceptance and block application (PROTOCOL.md §2.3, §2.6, §2.7, §10.4, §10.5).
//!
//! [`Chain`] owns the [`State`] and applies transactions and blocks to it, each inside an undo
//! session: a rejected transaction leaves nothing behind, and a block can be popped exactly.
//! Time is the block's timestamp; nothing here reads a clock.
//!
//! # The frame stack
//!
//! With undo enabled (the normal case), the open undo frames of the state are, bottom to top:
//!
//! 1. one frame per *reversible* block, oldest first: every applied block numbered
//!    `LIB + 1 ..= head` (§2.7). [`Chain::pop_block`] undoes the top one and rewinds the chained
//!    state hash to the value it had before that block (kept alongside the frame). When the LIB
//!    advances, the frames of blocks at or below it are dropped with `forget_oldest`, so there are
//!    exactly `head − LIB` block frames, and a block that would make that 10 000 or more
//!    (GRAPHENE_MAX_UNDO_HISTORY) is refused.
//! 2. at most one *pending* frame: transactions a node accepted outside any block
//!    ([`Chain::push_transaction`]), e.g. a producing node's pool. Every block operation
//!    (`produce_block`, `apply_block`, `pop_block`) first discards it (the owner of the pool
//!    re-pushes its transactions afterwards, as bitshares-core does), so block frames never sit
//!    above a pending frame.
//! 3. while a block is being built or applied: that block's frame, and inside it one short-lived
//!    frame per transaction, merged into the block frame on success and undone on rejection.
//!
//! With undo disabled (replay of irreversible blocks) there are no frames: blocks cannot be popped,
//! pushed transactions are permanent and a transaction rejected inside a block is a bug.

use crate::error::Rejection;
use crate::evaluators::{self, Context, Skip};
use crate::state::State;
use ledger::authority::Authority;
use ledger::block::{BlockDigests, BlockId, SignedBlock};
use ledger::graph::StateHash;
use ledger::ids::*;
use ledger::keys::PublicKey;
use ledger::objects::TransactionHistoryObject;
use ledger::ops::OperationResult;
use ledger::sign_state::{self, Approvals, AuthorityLookup};
use ledger::time::TimePointSec;
use ledger::transaction::{SignedTransaction, TransactionId};
use ledger::{ids::TransactionHistoryId, Pack};
use std::collections::VecDeque;

mod building;
pub use building::OpenBlock;

/// Checks a caller may skip (bitshares-core's skip flags), all off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SkipFlags {
    /// Do not check transaction signatures against authorities.
    pub signatures: bool,
    /// Do not check TaPoS, expiration or size.
    pub tapos: bool,
    /// Do not reject duplicate transaction ids, and (as bitshares-core's
    /// `skip_transaction_dupe_check`) do not record the transaction for later checks either.
    pub dupe: bool,
    /// Do not compare fees with the fee schedule.
    pub fee_schedule: bool,
    /// Do not check the producing witness's block signature.
    pub block_signature: bool,
}

/// What was computed for a transaction before it reaches the applying thread.
#[derive(Clone, Copy, Debug)]
struct Known {
    /// `tx.id()`.
    id: Option<TransactionId>,
    /// `tx.validate()` passed.
    validated: bool,
}
impl Known {
    const NOTHING: Known = Known { id: None, validated: false };
}

/// A transaction that was applied, with its results and the virtual operations it caused.
#[derive(Clone, Debug)]
pub struct Applied {
    pub operation_results: Vec<OperationResult>,
    /// Virtual operations (`fill_order`, `limit_order_cancel` of culled orders, ...) in the order
    /// they happened.
    pub virtual_ops: Vec<ledger::ops::Operation>,
}

/// The stateless work on a block, done off the applying thread (see
/// [`Chain::apply_block_verified`]); [`VerifiedBlock::of`] computes it.
#[derive(Clone, Debug)]
pub struct VerifiedBlock {
    pub digests: BlockDigests,
    /// Every transaction's `validate()` passed.
    pub validated: bool,
    /// Each transaction's signing keys, recovered from its signatures (with bitshares-core's
    /// duplicate-signature rule); empty if one failed to recover (the applying thread then
    /// recovers that block's keys itself and reports the failure).
    pub tx_keys: Vec<Vec<PublicKey>>,
    /// The key the producer's signature recovers to.
    pub signer: Option<PublicKey>,
}

impl VerifiedBlock {
    /// Everything about `block` that needs no state, for a chain with `chain_id`.
    pub fn of(block: &SignedBlock, chain_id: &ledger::transaction::ChainId) -> VerifiedBlock {
        let digests = block.digests();
        let validated = block.transactions.iter().all(|t| t.signed.validate().is_ok());
        let keys: Result<Vec<_>, _> = block
            .transactions
            .iter()
            .map(|t| sign_state::unique_keys(&t.signed.signatures, &t.signed.sig_digest(&chain_id.0)))
            .collect();
        let h = &block.signed_header.header;
        let signer = ledger::crypto::recover(&block.signed_header.witness_signature, &h.digest()).ok();
        VerifiedBlock { digests, validated, tx_keys: keys.unwrap_or_default(), signer }
    }
}

/// Why a block was refused.
#[derive(Debug, thiserror::Error)]
pub enum BlockError {
    #[error("block {num} does not link to head {head}: its previous is {previous}")]
    Unlinked { num: u32, head: String, previous: String },
    #[error("block timestamp {timestamp} is not after head block time {head_time}")]
    TimeNotAfterHead { timestamp: TimePointSec, head_time: TimePointSec },
    #[error("block timestamp {timestamp} is before the first available slot {first_slot} (after a maintenance block, maintenance_skip_slots slots are skipped)")]
    BeforeFirstSlot { timestamp: TimePointSec, first_slot: TimePointSec },
    #[error("block is produced by witness {got} but slot {slot} belongs to {scheduled}")]
    WrongWitness { got: WitnessId, scheduled: WitnessId, slot: u32 },
    #[error("block signature does not match witness {witness}'s signing key")]
    BadSignature { witness: WitnessId },
    #[error("transaction merkle root does not match the block's transactions")]
    BadMerkleRoot,
    #[error("block is {size} bytes; the maximum is {max}")]
    TooLarge { size: usize, max: u32 },
    #[error("transaction {index} of block {num} was rejected: {rejection}")]
    Transaction { num: u32, index: usize, rejection: Box<Rejection> },
    #[error(
        "block {num} would leave {depth} reversible blocks above the last irreversible block {lib}; the limit is {max}"
    )]
    UndoHistoryExhausted { num: u32, lib: u32, depth: u32, max: u32 },
    #[error(
        "block timestamp {timestamp} is a maintenance time whose next maintenance time would be past \
         {}, the last time the chain can represent",
        TimePointSec::MAX
    )]
    TimeOutOfRange { timestamp: TimePointSec },
}

/// Why [`Chain::pop_block`] could not pop.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PopError {
    #[error("head block {head} has no undo frame: it is irreversible (or undo is disabled)")]
    NothingToPop { head: u32 },
}

/// An applied block above the LIB, with what popping it needs.
struct Reversible {
    /// Shared with whoever received the block from `seal` or `produce_block` (no copy).
    block: std::sync::Arc<SignedBlock>,
    /// The chained state hash before the block was applied.
    hash_before: StateHash,
}

/// GRAPHENE_MAX_UNDO_HISTORY: `head − LIB` must stay below this (§2.7).
pub const MAX_UNDO_HISTORY: u32 = 10_000;

impl AuthorityLookup for State {
    fn active(&self, account: AccountId) -> Option<&Authority> {
        self.account(account).map(|a| &a.active)
    }
    fn owner(&self, account: AccountId) -> Option<&Authority> {
        self.account(account).map(|a| &a.owner)
    }
}

/// The chain: state plus what applying needs.
pub struct Chain {
    pub state: State,
    pub skip: SkipFlags,
    /// Applied blocks above the LIB, oldest first; one undo frame each (see the module doc).
    reversible: VecDeque<Reversible>,
    /// Whether the pending frame is open above the block frames.
    pending: bool,
    /// Whether block outcomes carry the changed objects (see [`Chain::set_capture_changes`]).
    capture_changes: bool,
    /// Bytes of the last block's captured changes (the next buffer's capacity).
    last_changes_len: usize,
    /// The timestamp of the block being built or applied, or the head block time while pending
    /// transactions apply (core's `_current_block_time`); see [`Context::block_time`].
    current_block_time: TimePointSec,
}

/// A block built by [`Chain::produce_block`]: the block, its outcome, and the fate of every
/// transaction offered (rejected ones were left out).
#[derive(Debug)]
pub struct Produced {
    /// Shared with the chain's reversible-block record.
    pub block: std::sync::Arc<SignedBlock>,
    pub outcome: crate::events::BlockOutcome,
    /// One entry per offered transaction, in order (an `Ok` is a copy of its outcome entry).
    pub results: Vec<Result<Applied, Rejection>>,
}

impl Chain {
    /// A chain over `state`, which must have no open undo frame (genesis and snapshots have none).
    pub fn new(mut state: State) -> Self {
        debug_assert_eq!(state.undo_depth(), 0, "a chain starts with no open undo frame");
        // The order-book deltas of each block (`BlockOutcome::book`) come from this log.
        state.limit_orders.index_mut().books.log_levels(true);
        let current_block_time = state.dgp().time;
        Chain {
            current_block_time,
            state,
            skip: SkipFlags::default(),
            reversible: VecDeque::new(),
            pending: false,
            capture_changes: false,
            last_changes_len: 0,
        }
    }

    /// Make every [`BlockOutcome::changes`](crate::events::BlockOutcome::changes) and
    /// [`Reverted::changes`](crate::events::Reverted::changes) carry the objects the block
    /// changed, by value (for a read replica). Costs one copy of the bytes the state hash packs.
    pub fn set_capture_changes(&mut self, on: bool) {
        self.capture_changes = on;
    }

    /// The last irreversible block number (§2.7).
    pub fn lib_num(&self) -> u32 {
        self.state.dgp().last_irreversible_block_num
    }

    /// The reversible blocks (above the LIB, each poppable), oldest first.
    pub fn reversible_blocks(&self) -> impl DoubleEndedIterator<Item = &SignedBlock> + ExactSizeIterator + '_ {
        self.reversible.iter().map(|r| &*r.block)
    }

    /// The lowest block number popping can reach: the parent of the oldest reversible block, or
    /// the head when nothing is reversible. This is the LIB as of the highest block applied, which
    /// can be above the `last_irreversible_block_num` of the current state after pops (a popped
    /// block's state recorded an older LIB, but the frames below the newer one are gone).
    pub fn undo_floor(&self) -> u32 {
        self.reversible.front().map_or(self.head_num(), |r| r.block.block_num() - 1)
    }

    /// Whether a pending frame (transactions pushed outside a block) is open.
    pub fn has_pending(&self) -> bool {
        self.pending
    }

    /// Undo every transaction pushed outside a block since the last block operation.
    pub fn discard_pending(&mut self) {
        if self.pending {
            self.state.undo();
            self.pending = false;
        }
    }

    /// Turn undo recording on or off (off: replay of irreversible blocks). Turning it off first
    /// discards the pending frame and forgets every block frame: nothing can be popped afterwards.
    pub fn set_undo_enabled(&mut self, on: bool) {
        self.discard_pending();
        while self.reversible.pop_front().is_some() {
            self.state.forget_oldest();
        }
        self.state.set_undo_enabled(on);
    }

    /// Undo the head block exactly: state, indexes, chained state hash and head all return to what
    /// they were before it was applied. Discards the pending frame first. Only blocks above the
    /// LIB can be popped. Returns the popped block and what it reverted.
    pub fn pop_block(&mut self) -> Result<crate::events::Reverted, PopError> {
        self.discard_pending();
        let Some(r) = self.reversible.pop_back() else {
            return Err(PopError::NothingToPop { head: self.head_num() });
        };
        let changes = if self.capture_changes {
            self.state.undo_capturing()
        } else {
            self.state.undo();
            Default::default()
        };
        self.state.state_hash = r.hash_before;
        debug_assert_eq!(self.head_id(), r.block.signed_header.header.previous);
        Ok(crate::events::Reverted {
            block: r.block,
            head_num: self.head_num(),
            head_id: self.head_id(),
            state_hash: self.state.state_hash,
            changes,
            book: self.state.limit_orders.index_mut().books.drain_level_changes(),
        })
    }

    /// Refuse a block that would take `head − LIB` to [`MAX_UNDO_HISTORY`] (db_update.cpp:72-82).
    fn check_undo_history(&self, num: u32) -> Result<(), BlockError> {
        let lib = self.lib_num();
        let depth = num - lib;
        if depth >= MAX_UNDO_HISTORY {
            return Err(BlockError::UndoHistoryExhausted { num, lib, depth, max: MAX_UNDO_HISTORY });
        }
        Ok(())
    }

    /// Refuse a block at `timestamp` (block `num`) whose maintenance would set a next maintenance
    /// time past the u32 seconds of `time_point_sec` (see [`crate::maintenance::next_maintenance_time`]):
    /// the chain stops there with a rejection instead of wrapping to 1970 as core's uint32 would.
    pub(crate) fn check_block_time(&self, timestamp: TimePointSec, num: u32) -> Result<(), BlockError> {
        let dgp = self.state.dgp();
        if dgp.next_maintenance_time > timestamp {
            return Ok(());
        }
        let interval = self.state.gpo().parameters.maintenance_interval;
        match crate::dpos::maintenance::next_maintenance_time(num, dgp.next_maintenance_time.0, timestamp.0, interval) {
            Some(_) => Ok(()),
            None => Err(BlockError::TimeOutOfRange { timestamp }),
        }
    }

    /// Open the frame of a block about to be built or applied; returns the hash to rewind to.
    fn begin_block(&mut self, timestamp: TimePointSec) -> StateHash {
        self.discard_pending();
        self.current_block_time = timestamp;
        let hash_before = self.state.state_hash;
        self.state.begin();
        hash_before
    }

    /// Keep the just-sealed block's frame (if undo is on) and forget the frames of blocks that
    /// became irreversible.
    /// `block` is asked for only when the frame is kept (undo on).
    fn end_block(&mut self, block: impl FnOnce() -> std::sync::Arc<SignedBlock>, hash_before: StateHash) {
        if self.state.undo_depth() > self.reversible.len() {
            self.reversible.push_back(Reversible { block: block(), hash_before });
        }
        let lib = self.lib_num();
        while self.reversible.front().is_some_and(|r| r.block.block_num() <= lib) {
            self.reversible.pop_front();
            self.state.forget_oldest();
        }
        debug_assert_eq!(self.state.undo_depth(), self.reversible.len());
    }

    pub fn head_num(&self) -> u32 {
        self.state.dgp().head_block_number
    }
    pub fn head_id(&self) -> BlockId {
        self.state.dgp().head_block_id
    }
    pub fn head_time(&self) -> TimePointSec {
        self.state.dgp().time
    }

    /// Accept one transaction outside any block (§2.3), into the pending frame (opened on first
    /// use; see the module doc): a rejected transaction leaves nothing behind, an accepted one stays
    /// until the next block operation or [`Chain::discard_pending`]. `signing_keys`, when given, are
    /// the keys recovered earlier (the pipeline's verify stage); otherwise they are recovered here.
    pub fn push_transaction(
        &mut self,
        tx: &SignedTransaction,
        signing_keys: Option<&[PublicKey]>,
    ) -> Result<Applied, Rejection> {
        if !self.pending {
            self.current_block_time = self.head_time();
            let depth = self.state.undo_depth();
            self.state.begin();
            self.pending = self.state.undo_depth() > depth;
        }
        self.push_in_frame(tx, signing_keys, Known::NOTHING)
    }

    /// Apply one transaction in its own frame, merged into the frame below on success.
    /// `known`: what was computed for `tx` earlier (a block's [`BlockDigests`], a replay's decode
    /// thread); [`Known::NOTHING`] otherwise.
    fn push_in_frame(
        &mut self,
        tx: &SignedTransaction,
        signing_keys: Option<&[PublicKey]>,
        known: Known,
    ) -> Result<Applied, Rejection> {
        self.state.begin();
        self.state.virtual_ops.clear();
        match self.apply_transaction(tx, signing_keys, known) {
            Ok(mut a) => {
                self.state.merge();
                a.virtual_ops = std::mem::take(&mut self.state.virtual_ops);
                Ok(a)
            }
            Err(e) => {
                // With undo disabled (replay of irreversible blocks, the hundred-k benchmark) no
                // frame was opened and nothing can be rolled back: the caller vouched for the input.
                if ledger::graph::Undoable::undo_depth(&self.state.global) > 0 {
                    self.state.undo();
                }
                self.state.virtual_ops.clear();
                Err(e)
            }
        }
    }

    /// Check that the given keys satisfy every authority `tx` needs.
    pub fn verify_authority(&self, tx: &SignedTransaction, keys: &[PublicKey]) -> Result<(), Rejection> {
        let required = tx.required_authorities();
        let depth = u32::from(self.state.gpo().parameters.max_authority_depth);
        sign_state::verify_authority(&required, keys, &self.state, depth, false, &Approvals::default())?;
        Ok(())
    }

    fn apply_transaction(
        &mut self,
        tx: &SignedTransaction,
        signing_keys: Option<&[PublicKey]>,
        known: Known,
    ) -> Result<Applied, Rejection> {
        if !known.validated {
            tx.validate()?;
        }
        // As bitshares-core (`_apply_transaction`): skipping the duplicate check also skips the
        // transaction record, so the id (a pack and a SHA-256) is not even computed.
        let id = if self.skip.dupe { None } else { Some(known.id.unwrap_or_else(|| tx.id())) };
        if let Some(id) = id {
            if self.state.recent_transactions.index().by_id.contains_key(&id) {
                return Err(Rejection::DuplicateTransaction { id: id.to_string() });
            }
        }
        if !self.skip.signatures {
            let recovered;
            let keys = match signing_keys {
                Some(k) => k,
                None => {
                    let digest = tx.sig_digest(&self.state.chain_id().0);
                    recovered = sign_state::unique_keys(&tx.signatures, &digest)?;
                    &recovered
                }
            };
            self.verify_authority(tx, keys)?;
        }
        let dgp = self.state.dgp();
        let now = dgp.time;
        if dgp.head_block_number > 0 && !self.skip.tapos {
            let summary = self.state.block_summaries.get(u64::from(tx.ref_block_num)).expect("65537 summaries exist");
            if summary.block_id.prefix() != tx.ref_block_prefix {
                return Err(Rejection::TaposMismatch {
                    ref_block_num: tx.ref_block_num,
                    ref_block_prefix: tx.ref_block_prefix,
                });
            }
            let params = &self.state.gpo().parameters;
            if tx.expiration < now {
                return Err(Rejection::Expired { expiration: tx.expiration.to_string(), head_time: now.to_string() });
            }
            if tx.expiration > now.plus(params.maximum_time_until_expiration) {
                return Err(Rejection::ExpirationTooFar {
                    expiration: tx.expiration.to_string(),
                    head_time: now.to_string(),
                    max_seconds: params.maximum_time_until_expiration,
                });
            }
            let size = tx.packed_size();
            if size > params.maximum_transaction_size as usize {
                return Err(Rejection::TransactionTooLarge { size, max: params.maximum_transaction_size });
            }
        }
        if let Some(trx_id) = id {
            self.state.recent_transactions.create(|i| TransactionHistoryObject {
                id: TransactionHistoryId(i),
                trx_id,
                expiration: tx.expiration,
            });
        }
        let ctx = Context {
            now,
            block_time: self.current_block_time,
            block_num: self.head_num() + 1,
            skip: Skip { fee_schedule: self.skip.fee_schedule },
        };
        let mut operation_results = Vec::with_capacity(tx.operations.len());
        for op in &tx.operations {
            operation_results.push(evaluators::apply_operation(&mut self.state, &ctx, op)?);
        }
        Ok(Applied { operation_results, virtual_ops: Vec::new() })
    }

    // ---- slots and the witness schedule (§10.5): see [`crate::dpos::slots`] ----

    /// The time of slot `n` after the head block (slot 0 is the head's own time).
    pub fn slot_time(&self, n: u32) -> TimePointSec {
        crate::dpos::slots::slot_time(&self.state, n)
    }

    /// The slot a timestamp falls in (0: not after the head).
    pub fn slot_at_time(&self, t: TimePointSec) -> u32 {
        crate::dpos::slots::slot_at_time(&self.state, t)
    }

    /// The witness scheduled to produce in slot `n`.
    pub fn scheduled_witness(&self, n: u32) -> WitnessId {
        crate::dpos::slots::scheduled_witness(&self.state, n)
    }

    // ---- blocks (§2.6) ----

    /// Build, apply and return a block at `timestamp` from `transactions`, as a producer does:
    /// each transaction is tried in its own session and rejected ones are left out and reported.
    /// The block is signed with `signing_key` if given (otherwise its signature is zero).
    // A block error carries the full rejection of the transaction that failed it; errors are
    // rare and returned once per block, so their size costs nothing worth a box.
    #[allow(clippy::result_large_err)]
    pub fn produce_block(
        &mut self,
        timestamp: TimePointSec,
        transactions: &[SignedTransaction],
        signing_key: Option<&ledger::crypto::PrivateKey>,
    ) -> Result<Produced, BlockError> {
        let mut open = self.open_block(timestamp)?;
        let results = transactions.iter().map(|tx| open.push(tx, None).cloned()).collect();
        let (block, outcome) = open.seal(signing_key);
        Ok(Produced { block, outcome, results })
    }

    /// Validate and apply a block produced elsewhere (§2.6). On any error the state is as before
    /// (except that the pending frame, if any, is discarded as for every block operation).
    #[allow(clippy::result_large_err)]
    pub fn apply_block(&mut self, block: &SignedBlock) -> Result<crate::events::BlockOutcome, BlockError> {
        self.apply_block_with(block, &block.digests(), false)
    }

    /// [`Chain::apply_block`] with the block's digests computed beforehand (by a decode thread in
    /// replay); `digests` must be `block.digests()`, and `validated` may be true only if every
    /// transaction's stateless `validate()` already passed. Every check is the same.
    #[allow(clippy::result_large_err)]
    pub fn apply_block_with(
        &mut self,
        block: &SignedBlock,
        digests: &BlockDigests,
        validated: bool,
    ) -> Result<crate::events::BlockOutcome, BlockError> {
        self.apply_block_checked(block, digests, validated, None)
    }

    /// [`Chain::apply_block`] for a block whose stateless work was done beforehand on another
    /// thread (the node's verify stage): digests, validation, every transaction's signing keys
    /// and the producer's key. Every stateful check is the same; nothing is recovered here.
    #[allow(clippy::result_large_err)]
    pub fn apply_block_verified(
        &mut self,
        block: &SignedBlock,
        verified: &VerifiedBlock,
    ) -> Result<crate::events::BlockOutcome, BlockError> {
        self.apply_block_checked(block, &verified.digests, verified.validated, Some(verified))
    }

    #[allow(clippy::result_large_err)]
    fn apply_block_checked(
        &mut self,
        block: &SignedBlock,
        digests: &BlockDigests,
        validated: bool,
        verified: Option<&VerifiedBlock>,
    ) -> Result<crate::events::BlockOutcome, BlockError> {
        let h = &block.signed_header.header;
        let num = self.head_num() + 1;
        if h.previous != self.head_id() {
            return Err(BlockError::Unlinked {
                num,
                head: self.head_id().to_string(),
                previous: h.previous.to_string(),
            });
        }
        if h.timestamp <= self.head_time() {
            return Err(BlockError::TimeNotAfterHead { timestamp: h.timestamp, head_time: self.head_time() });
        }
        let slot = self.slot_at_time(h.timestamp);
        if slot == 0 {
            return Err(BlockError::BeforeFirstSlot { timestamp: h.timestamp, first_slot: self.slot_time(1) });
        }
        self.check_block_time(h.timestamp, num)?;
        let scheduled = self.scheduled_witness(slot);
        if h.witness != scheduled {
            return Err(BlockError::WrongWitness { got: h.witness, scheduled, slot });
        }
        if !self.skip.block_signature {
            let key = self.state.witnesses.get(h.witness.0).map(|w| w.signing_key);
            let ok = match verified {
                Some(v) => v.signer,
                None => ledger::crypto::recover(&block.signed_header.witness_signature, &h.digest()).ok(),
            };
            if ok.is_none() || ok != key {
                return Err(BlockError::BadSignature { witness: h.witness });
            }
        }
        if digests.merkle_root != h.transaction_merkle_root {
            return Err(BlockError::BadMerkleRoot);
        }
        let size = digests.packed_size;
        let max = self.state.gpo().parameters.maximum_block_size;
        if size > max as usize {
            return Err(BlockError::TooLarge { size, max });
        }
        self.check_undo_history(num)?;
        let hash_before = self.begin_block(h.timestamp);
        let mut applied = Vec::with_capacity(block.transactions.len());
        for (index, t) in block.transactions.iter().enumerate() {
            let known = Known { id: digests.tx_ids.get(index).copied(), validated };
            let keys = verified.and_then(|v| v.tx_keys.get(index)).map(Vec::as_slice);
            match self.push_in_frame(&t.signed, keys, known) {
                Ok(a) => applied.push(a),
                Err(rejection) => {
                    self.state.undo();
                    return Err(BlockError::Transaction { num, index, rejection: Box::new(rejection) });
                }
            }
        }
        let outcome = self.finish_block(block, slot, num, applied);
        // A block from elsewhere is borrowed: the reversible record keeps its own copy.
        self.end_block(|| std::sync::Arc::new(block.clone()), hash_before);
        Ok(outcome)
    }

    /// Everything after the transactions (§2.6 steps 2–6); returns the block's outcome around the
    /// transactions' `applied`.
    fn finish_block(
        &mut self,
        block: &SignedBlock,
        slot: u32,
        num: u32,
        transactions: Vec<Applied>,
    ) -> crate::events::BlockOutcome {
        let h = &block.signed_header.header;
        let id = block.id();
        crate::dpos::head::record(&mut self.state, h, id, slot, num);
        crate::dpos::irreversible::update(&mut self.state);
        // Virtual ops of maintenance (revivals) and of the end-of-block steps go to the block.
        self.state.virtual_ops.clear();
        if self.state.dgp().next_maintenance_time <= h.timestamp {
            crate::dpos::maintenance::perform(&mut self.state);
        }
        self.state.block_summaries.modify(u64::from(num & 0xffff), |s| s.block_id = id);
        self.clear_expired_transactions();
        self.clear_expired_orders();
        let end_of_block = std::mem::take(&mut self.state.virtual_ops);
        crate::dpos::schedule::reshuffle(&mut self.state);
        // Sized like the last block's, so a big block's buffer is not regrown (and copied) by doubling.
        let mut changes = ledger::graph::ObjectChanges {
            bytes: if self.capture_changes { Vec::with_capacity(self.last_changes_len) } else { Vec::new() },
        };
        let state_hash = self.state.seal_block_hash_capturing(self.capture_changes.then_some(&mut changes.bytes));
        self.last_changes_len = changes.bytes.len();
        crate::events::BlockOutcome {
            block_num: num,
            block_id: id,
            timestamp: h.timestamp,
            witness: h.witness,
            state_hash,
            last_irreversible: self.lib_num(),
            transactions,
            end_of_block,
            changes,
            book: self.state.limit_orders.index_mut().books.drain_level_changes(),
        }
    }

    fn clear_expired_transactions(&mut self) {
        let now = self.head_time().0;
        loop {
            let first = self.state.recent_transactions.index().by_expiration.iter().next().copied();
            match first {
                Some((exp, instance)) if exp < now => {
                    self.state.recent_transactions.remove(instance);
                }
                _ => break,
            }
        }
    }

    /// Cancel limit orders expired at the new head time (§2.6 step 5, after the block summary
    /// and the expired transactions); their virtual ops go to the block's outcome.
    fn clear_expired_orders(&mut self) {
        let now = self.head_time();
        // Expiry only credits balances and statistics and computes the capped cancel fee from a
        // fee schedule that validated when it was set, so it cannot fail on any input.
        crate::evaluators::market::clear_expired_orders(&mut self.state, now)
            .expect("expiring limit orders only refunds");
        // Due force settlements are matched (or cancelled) before feeds expire, as in core.
        crate::bitasset::force_settle::clear_expired_force_settlements(&mut self.state, now)
            .expect("end-of-block force settlement only fills or refunds requests");
        // Feeds that expired at this block's time get a new median; margin calls follow.
        crate::bitasset::feeds::end_of_block(&mut self.state, now)
            .expect("end-of-block feed expiry only recomputes medians and fills margin calls");
    }
}

pub use crate::dpos::MAINTENANCE_FLAG;
