//! Transaction acceptance and block application (PROTOCOL.md §2.3, §2.6, §2.7, §10.4, §10.5).
//!
//! [`Chain`] owns the [`State`] and applies transactions and blocks to it, each inside an undo
//! session: a rejected transaction leaves nothing behind, and a block can be popped exactly.
//! Time is the block's timestamp; nothing here reads a clock.

use crate::error::Rejection;
use crate::evaluators::{self, Context, Skip};
use crate::state::State;
use ledger::authority::Authority;
use ledger::block::{BlockHeader, BlockId, SignedBlock, SignedBlockHeader};
use ledger::ids::*;
use ledger::keys::PublicKey;
use ledger::objects::TransactionHistoryObject;
use ledger::ops::OperationResult;
use ledger::sign_state::{self, Approvals, AuthorityLookup};
use ledger::time::TimePointSec;
use ledger::transaction::{ProcessedTransaction, SignedTransaction};
use ledger::{ids::TransactionHistoryId, Pack};

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

/// A transaction that was applied, with its results and the virtual operations it caused.
#[derive(Clone, Debug)]
pub struct Applied {
    pub operation_results: Vec<OperationResult>,
}

/// Why a block was refused.
#[derive(Debug, thiserror::Error)]
pub enum BlockError {
    #[error("block {num} does not link to head {head}: its previous is {previous}")]
    Unlinked { num: u32, head: String, previous: String },
    #[error("block timestamp {timestamp} is not after head block time {head_time}")]
    TimeNotAfterHead { timestamp: TimePointSec, head_time: TimePointSec },
    #[error("block timestamp {timestamp} is before the first slot {first_slot}")]
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
    Transaction { num: u32, index: usize, rejection: Rejection },
}

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
}

impl Chain {
    pub fn new(state: State) -> Self {
        Chain { state, skip: SkipFlags::default() }
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

    /// Apply one transaction in its own undo session (§2.3). `signing_keys`, when given, are the
    /// keys recovered earlier (the pipeline's verify stage); otherwise they are recovered here.
    pub fn push_transaction(
        &mut self,
        tx: &SignedTransaction,
        signing_keys: Option<&[PublicKey]>,
    ) -> Result<Applied, Rejection> {
        self.state.begin();
        match self.apply_transaction(tx, signing_keys) {
            Ok(a) => {
                self.state.merge();
                Ok(a)
            }
            Err(e) => {
                // With undo disabled (replay of irreversible blocks, the hundred-k benchmark) no
                // frame was opened and nothing can be rolled back: the caller vouched for the input.
                if ledger::graph::Undoable::undo_depth(&self.state.global) > 0 {
                    self.state.undo();
                }
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
    ) -> Result<Applied, Rejection> {
        tx.validate()?;
        // As bitshares-core (`_apply_transaction`): skipping the duplicate check also skips the
        // transaction record, so the id (a pack and a SHA-256) is not even computed.
        let id = if self.skip.dupe { None } else { Some(tx.id()) };
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
        let ctx = Context { now, block_num: self.head_num() + 1, skip: Skip { fee_schedule: self.skip.fee_schedule } };
        let mut operation_results = Vec::with_capacity(tx.operations.len());
        for op in &tx.operations {
            operation_results.push(evaluators::apply_operation(&mut self.state, &ctx, op)?);
        }
        Ok(Applied { operation_results })
    }

    // ---- slots and the witness schedule (§10.5) ----

    fn block_interval(&self) -> u32 {
        u32::from(self.state.gpo().parameters.block_interval)
    }

    /// The time of slot `n` after the head block (slot 0 is the head's own time).
    pub fn slot_time(&self, n: u32) -> TimePointSec {
        if n == 0 {
            return TimePointSec(0);
        }
        let interval = self.block_interval();
        let dgp = self.state.dgp();
        if dgp.head_block_number == 0 {
            return dgp.time.plus(n * interval);
        }
        let head_slot = dgp.time.0 / interval * interval;
        let skip = if dgp.dynamic_flags & MAINTENANCE_FLAG != 0 {
            u32::from(self.state.gpo().parameters.maintenance_skip_slots)
        } else {
            0
        };
        TimePointSec(head_slot + (n + skip) * interval)
    }

    /// The slot a timestamp falls in (0: not after the head).
    pub fn slot_at_time(&self, t: TimePointSec) -> u32 {
        let first = self.slot_time(1);
        if t < first {
            return 0;
        }
        (t.0 - first.0) / self.block_interval() + 1
    }

    /// The witness scheduled to produce in slot `n`.
    pub fn scheduled_witness(&self, n: u32) -> WitnessId {
        let aslot = self.state.dgp().current_aslot + u64::from(n);
        let shuffled = &self.state.witness_schedule.get(0).expect("schedule exists").current_shuffled_witnesses;
        shuffled[(aslot % shuffled.len() as u64) as usize]
    }

    // ---- blocks (§2.6) ----

    /// Build, apply and return a block at `timestamp` from `transactions`, as a producer does:
    /// each transaction is tried in its own session and rejected ones are left out and reported.
    /// The block is signed with `signing_key` if given (otherwise its signature is zero).
    pub fn produce_block(
        &mut self,
        timestamp: TimePointSec,
        transactions: &[SignedTransaction],
        signing_key: Option<&ledger::crypto::PrivateKey>,
    ) -> Result<(SignedBlock, Vec<Result<Applied, Rejection>>), BlockError> {
        let slot = self.slot_at_time(timestamp);
        if slot == 0 {
            return Err(BlockError::BeforeFirstSlot { timestamp, first_slot: self.slot_time(1) });
        }
        let witness = self.scheduled_witness(slot);
        let num = self.head_num() + 1;
        self.state.begin();
        let mut outcomes = Vec::with_capacity(transactions.len());
        let mut included = Vec::new();
        for tx in transactions {
            let r = self.push_transaction(tx, None);
            if let Ok(a) = &r {
                included
                    .push(ProcessedTransaction { signed: tx.clone(), operation_results: a.operation_results.clone() });
            }
            outcomes.push(r);
        }
        let mut block = SignedBlock {
            signed_header: SignedBlockHeader {
                header: BlockHeader {
                    previous: self.head_id(),
                    timestamp,
                    witness,
                    transaction_merkle_root: Default::default(),
                    extensions: Default::default(),
                },
                witness_signature: Default::default(),
            },
            transactions: included,
        };
        // Results are not part of consensus; producers clear them before inclusion.
        for t in &mut block.transactions {
            t.operation_results.clear();
        }
        block.signed_header.header.transaction_merkle_root = block.calculate_merkle_root();
        if let Some(key) = signing_key {
            block.signed_header.witness_signature =
                ledger::crypto::sign_compact(key, &block.signed_header.header.digest());
        }
        self.finish_block(&block, slot, num);
        self.state.commit();
        debug_assert_eq!(block.block_num(), num);
        Ok((block, outcomes))
    }

    /// Validate and apply a block produced elsewhere (§2.6). On any error the state is as before.
    pub fn apply_block(&mut self, block: &SignedBlock) -> Result<Vec<Applied>, BlockError> {
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
        let scheduled = self.scheduled_witness(slot);
        if h.witness != scheduled {
            return Err(BlockError::WrongWitness { got: h.witness, scheduled, slot });
        }
        if !self.skip.block_signature {
            let key = self.state.witnesses.get(h.witness.0).map(|w| w.signing_key);
            let ok = ledger::crypto::recover(&block.signed_header.witness_signature, &h.digest()).ok();
            if ok.is_none() || ok != key {
                return Err(BlockError::BadSignature { witness: h.witness });
            }
        }
        if block.calculate_merkle_root() != h.transaction_merkle_root {
            return Err(BlockError::BadMerkleRoot);
        }
        let size = block.packed_size();
        let max = self.state.gpo().parameters.maximum_block_size;
        if size > max as usize {
            return Err(BlockError::TooLarge { size, max });
        }
        self.state.begin();
        let mut applied = Vec::with_capacity(block.transactions.len());
        for (index, t) in block.transactions.iter().enumerate() {
            match self.push_transaction(&t.signed, None) {
                Ok(a) => applied.push(a),
                Err(rejection) => {
                    self.state.undo();
                    return Err(BlockError::Transaction { num, index, rejection });
                }
            }
        }
        self.finish_block(block, slot, num);
        self.state.commit();
        Ok(applied)
    }

    /// Everything after the transactions (§2.6 steps 2–6).
    fn finish_block(&mut self, block: &SignedBlock, slot: u32, num: u32) {
        let h = &block.signed_header.header;
        let id = block.id();
        let missed = slot - 1;
        // Witnesses scheduled in the skipped slots missed their blocks.
        let active_count = self.state.gpo().active_witnesses.len() as u32;
        if missed < active_count {
            for i in 0..missed {
                let w = self.scheduled_witness(i + 1);
                if w != h.witness {
                    self.state.witnesses.modify(w.0, |w| w.total_missed += 1);
                }
            }
        }
        self.state.dynamic_global.modify(0, |d| {
            if num == 1 {
                d.recently_missed_count = 0;
            } else if missed > 0 {
                d.recently_missed_count += RECENTLY_MISSED_INCREMENT * missed;
            } else if d.recently_missed_count > RECENTLY_MISSED_INCREMENT {
                d.recently_missed_count -= RECENTLY_MISSED_DECREMENT;
            } else if d.recently_missed_count > 0 {
                d.recently_missed_count -= 1;
            }
            d.dynamic_flags &= !MAINTENANCE_FLAG;
            d.head_block_number = num;
            d.head_block_id = id;
            d.time = h.timestamp;
            d.current_witness = h.witness;
            d.recent_slots_filled = ((d.recent_slots_filled << 1) + 1).checked_shl(missed).unwrap_or(0);
            d.current_aslot += u64::from(missed) + 1;
        });
        let aslot = self.state.dgp().current_aslot;
        self.state.witnesses.modify(h.witness.0, |w| {
            w.last_aslot = aslot;
            w.last_confirmed_block_num = num;
        });
        self.update_last_irreversible_block();
        if self.state.dgp().next_maintenance_time <= h.timestamp {
            crate::maintenance::perform(&mut self.state);
        }
        self.state.block_summaries.modify(u64::from(num & 0xffff), |s| s.block_id = id);
        self.clear_expired_transactions();
        self.update_witness_schedule();
        self.state.seal_block_hash();
    }

    /// LIB = the block that ≥ 70 % of active witnesses have built on (§2.7).
    fn update_last_irreversible_block(&mut self) {
        let gpo = self.state.gpo();
        let mut confirmed: Vec<u32> = gpo
            .active_witnesses
            .iter()
            .filter_map(|w| self.state.witnesses.get(w.0))
            .map(|w| w.last_confirmed_block_num)
            .collect();
        if confirmed.is_empty() {
            return;
        }
        confirmed.sort_unstable();
        let offset = (PERCENT_100 - IRREVERSIBLE_THRESHOLD) as usize * confirmed.len() / PERCENT_100 as usize;
        let lib = confirmed[offset];
        if lib > self.state.dgp().last_irreversible_block_num {
            self.state.dynamic_global.modify(0, |d| d.last_irreversible_block_num = lib);
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

    /// Reshuffle the active witnesses every full round (§10.5).
    fn update_witness_schedule(&mut self) {
        let active = self.state.gpo().active_witnesses.clone();
        let num = self.head_num();
        if active.is_empty() || num % active.len() as u32 != 0 {
            return;
        }
        let mut list = active;
        let now_hi = u64::from(self.head_time().0) << 32;
        let n = list.len();
        for i in 0..n {
            let mut k = now_hi.wrapping_add((i as u64).wrapping_mul(SHUFFLE_MULTIPLIER));
            k ^= k >> 12;
            k ^= k << 25;
            k ^= k >> 27;
            k = k.wrapping_mul(SHUFFLE_MULTIPLIER);
            let j = i + (k % (n - i) as u64) as usize;
            list.swap(i, j);
        }
        self.state.witness_schedule.modify(0, |s| s.current_shuffled_witnesses = list);
    }
}

/// `dynamic_flags` bit: the head block was a maintenance block (skip slots follow).
pub const MAINTENANCE_FLAG: u32 = 0x01;
const RECENTLY_MISSED_INCREMENT: u32 = 4;
const RECENTLY_MISSED_DECREMENT: u32 = 3;
const PERCENT_100: u32 = 10_000;
const IRREVERSIBLE_THRESHOLD: u32 = 7_000;
const SHUFFLE_MULTIPLIER: u64 = 2_685_821_657_736_338_717;
