//! `graphene bench hundred-k --write-data-dir DIR`: the hundred-k workload (see [`crate::hundred_k`])
//! as a chain of real blocks, for measuring `graphene replay` on 1,000,000 operations.
//!
//! The genesis is the dev genesis with the benchmark's changes (zero fee schedule, no genesis
//! balances, so committee-account holds the supply and registers and funds as in the C++). Blocks
//! are produced by the scheduled dev witnesses and signed with their keys, in consecutive slots,
//! `block_size` transactions each, one phase per run of blocks. Transactions carry TaPoS on the
//! head block and an expiration one minute after their block, so the duplicate window holds only a
//! few blocks' transactions, as on a live chain; they are unsigned, which only a chain that skips
//! signature checks accepts (the producer here, and replay: `REPLAY_SKIP`, as bitshares-core's
//! replay skips them). Every transaction must apply: undo is off while producing.
//!
//! Owns only building the blocks; the caller writes them (journal, genesis file).

use crate::hundred_k::{asset_create_op, HundredKError};
use engine::chain::Chain;
use engine::SkipFlags;
use ledger::asset::Asset;
use ledger::authority::Authority;
use ledger::block::SignedBlock;
use ledger::crypto::PrivateKey;
use ledger::fees::FeeSchedule;
use ledger::genesis::GenesisState;
use ledger::graph::StateHash;
use ledger::ids::*;
use ledger::ops::*;
use ledger::transaction::{ChainId, SignedTransaction, Transaction};

/// Seconds a transaction stays valid after its block's timestamp.
const EXPIRATION_SECS: u32 = 60;

/// The genesis of the journal workload, its JSON text (the chain id is the hash of this text) and
/// the chain id.
pub fn journal_genesis() -> Result<(GenesisState, String, ChainId), HundredKError> {
    let mut genesis = GenesisState::dev();
    genesis.initial_parameters.current_fees = FeeSchedule::zero();
    genesis.initial_balances.clear();
    let text = serde_json::to_string_pretty(&genesis).map_err(|e| HundredKError::Genesis(e.to_string()))?;
    let chain_id = ChainId(genesis.chain_id(&text));
    Ok((genesis, text, chain_id))
}

/// Counts of what was produced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JournalWorkload {
    pub blocks: u32,
    pub transactions: u64,
    pub operations: u64,
}

struct Producer<'a> {
    chain: Chain,
    block_size: usize,
    sink: &'a mut dyn FnMut(&SignedBlock, &StateHash) -> Result<(), String>,
    done: JournalWorkload,
}

impl Producer<'_> {
    /// Produce the blocks of one phase: `make(i)` builds the operations of transaction `i`.
    /// Returns each transaction's first operation result.
    fn phase(
        &mut self,
        phase: &'static str,
        count: usize,
        make: &dyn Fn(usize) -> Vec<Operation>,
    ) -> Result<Vec<OperationResult>, HundredKError> {
        let mut results = Vec::with_capacity(count);
        let mut start = 0;
        while start < count {
            let end = (start + self.block_size).min(count);
            let when = self.chain.slot_time(1);
            let head = self.chain.head_id();
            let txs: Vec<SignedTransaction> = (start..end)
                .map(|i| {
                    let mut tx = SignedTransaction {
                        transaction: Transaction { operations: make(i), ..Default::default() },
                        signatures: Vec::new(),
                    };
                    tx.set_reference_block(&head);
                    tx.expiration = when.plus(EXPIRATION_SECS);
                    tx
                })
                .collect();
            let witness = self.chain.scheduled_witness(1);
            let account =
                self.chain.state.witnesses.get(witness.0).map(|w| w.witness_account).unwrap_or(COMMITTEE_ACCOUNT);
            let name = self.chain.state.account(account).map(|a| a.name.clone()).unwrap_or_default();
            let key = PrivateKey::from_password(&name, "active", "dev").expect("a password key is a valid scalar");
            let engine::Produced { block, results: outcomes, .. } =
                self.chain.produce_block(when, &txs, Some(&key)).map_err(|e| HundredKError::Block(e.to_string()))?;
            for (k, outcome) in outcomes.into_iter().enumerate() {
                let applied =
                    outcome.map_err(|e| HundredKError::Rejected { phase, index: start + k, reason: e.to_string() })?;
                results.push(applied.operation_results.into_iter().next().unwrap_or_default());
            }
            (self.sink)(&block, &self.chain.state.state_hash).map_err(HundredKError::Block)?;
            self.done.blocks += 1;
            self.done.transactions += txs.len() as u64;
            self.done.operations += txs.iter().map(|t| t.operations.len() as u64).sum::<u64>();
            start = end;
        }
        Ok(results)
    }
}

fn instance(r: &OperationResult) -> u64 {
    match r {
        OperationResult::ObjectId(id) => id.instance(),
        _ => u64::MAX,
    }
}

/// Produce the hundred-k workload (`cycles` transactions per phase) as blocks of `block_size`
/// transactions on the chain of [`journal_genesis`], handing each block and the state hash after
/// it to `sink` in order.
pub fn produce_journal_workload(
    cycles: usize,
    block_size: usize,
    sink: &mut dyn FnMut(&SignedBlock, &StateHash) -> Result<(), String>,
) -> Result<JournalWorkload, HundredKError> {
    let (genesis, _, chain_id) = journal_genesis()?;
    let state = engine::genesis::build(&genesis, chain_id).map_err(|e| HundredKError::Genesis(e.to_string()))?;
    let mut chain = Chain::new(state);
    chain.set_undo_enabled(false);
    chain.skip = SkipFlags { signatures: true, tapos: false, dupe: false, fee_schedule: false, block_signature: true };
    let mut p = Producer { chain, block_size: block_size.max(1), sink, done: JournalWorkload::default() };
    let cycles = cycles.max(1);
    let user = PrivateKey::from_seed(b"graphene hundred-k").expect("a sha256 seed is a valid scalar").public_key();
    let funder = COMMITTEE_ACCOUNT;

    let results = p.phase("account_create", cycles, &|i| {
        vec![Operation::AccountCreate(AccountCreateOp {
            registrar: funder,
            referrer: funder,
            name: format!("a{i}"),
            owner: Authority::single_key(user),
            active: Authority::single_key(user),
            options: AccountOptions { memo_key: user, voting_account: PROXY_TO_SELF_ACCOUNT, ..Default::default() },
            ..Default::default()
        })]
    })?;
    let mut accounts: Vec<AccountId> = results.iter().map(|r| AccountId(instance(r))).collect();
    accounts.push(accounts[0]);

    p.phase("transfer", cycles, &|i| {
        let t = |from, to, amount| {
            Operation::Transfer(TransferOp {
                fee: Asset::core(10),
                from,
                to,
                amount: Asset::core(amount),
                ..Default::default()
            })
        };
        vec![t(funder, accounts[i], 1_000_000), t(accounts[i], accounts[i + 1], 100)]
    })?;

    let results = p.phase("asset_create", cycles, &|i| vec![asset_create_op(accounts[i], i, 100_000)])?;
    let assets: Vec<AssetId> = results.iter().map(|r| AssetId(instance(r))).collect();

    p.phase("asset_issue", cycles, &|i| {
        vec![Operation::AssetIssue(AssetIssueOp {
            fee: Asset::core(10),
            issuer: accounts[i],
            asset_to_issue: Asset::new(10, assets[i]),
            issue_to_account: accounts[i + 1],
            ..Default::default()
        })]
    })?;
    Ok(p.done)
}
