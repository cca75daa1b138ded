//! Criterion benchmarks of the engine's apply path on the dev chain, as in a real block minus
//! signatures: undo sessions on (each transaction in its own session nested in a block session),
//! TaPoS, expiration, duplicate detection and the fee schedule all checked. Each iteration undoes
//! its transaction, so the state stays warm and the same.

use criterion::{criterion_group, criterion_main, Criterion};
use engine::chain::Chain;
use engine::SkipFlags;
use ledger::asset::Asset;
use ledger::authority::Authority;
use ledger::crypto::PrivateKey;
use ledger::genesis::GenesisState;
use ledger::ids::{AccountId, PROXY_TO_SELF_ACCOUNT};
use ledger::ops::{AccountCreateOp, AccountOptions, BalanceClaimOp, Operation, TransferOp};
use ledger::transaction::{ChainId, SignedTransaction, Transaction};

fn key(name: &str) -> PrivateKey {
    PrivateKey::from_password(name, "active", "dev").unwrap()
}

/// The dev chain after block 1 (nathan claims his genesis balance), with signature checks
/// skipped and everything else checked.
fn chain() -> (Chain, AccountId) {
    let genesis = GenesisState::dev();
    let chain_id = ChainId(genesis.chain_id(ledger::genesis::DEV_GENESIS_JSON));
    let mut chain = Chain::new(engine::genesis::build(&genesis, chain_id).unwrap());
    let nathan = chain.state.account_by_name("nathan").unwrap().id;
    let pubkey = key("nathan").public_key();
    let (instance, balance) = chain
        .state
        .genesis_balances
        .iter()
        .find(|(_, b)| b.owner == pubkey.address())
        .map(|(i, b)| (i, b.balance))
        .unwrap();
    let claim = Operation::BalanceClaim(BalanceClaimOp {
        fee: Asset::default(),
        deposit_to_account: nathan,
        balance_to_claim: ledger::ids::BalanceId(instance),
        balance_owner_key: pubkey,
        total_claimed: balance,
    });
    chain.skip = SkipFlags { signatures: true, block_signature: true, ..SkipFlags::default() };
    let when = chain.slot_time(1);
    let engine::Produced { results: outcomes, .. } =
        chain.produce_block(when, &[tx(&chain, vec![claim])], None).unwrap();
    outcomes.into_iter().for_each(|o| drop(o.unwrap()));
    (chain, nathan)
}

fn tx(chain: &Chain, mut operations: Vec<Operation>) -> SignedTransaction {
    for op in &mut operations {
        let fee = chain.state.gpo().parameters.current_fees.calculate_fee(op).unwrap();
        *op.fee_mut() = Asset::core(fee as i64);
    }
    let mut t = SignedTransaction { transaction: Transaction { operations, ..Default::default() }, signatures: vec![] };
    t.set_reference_block(&chain.head_id());
    t.expiration = chain.head_time().plus(3_600);
    t
}

/// Apply `t` inside a block session, then undo the block.
fn apply_in_block(chain: &mut Chain, t: &SignedTransaction) {
    chain.state.begin();
    chain.push_transaction(t, None).unwrap();
    chain.state.undo();
}

fn bench(c: &mut Criterion) {
    let (mut chain, nathan) = chain();
    let init0 = chain.state.account_by_name("init0").unwrap().id;
    let transfer = tx(
        &chain,
        vec![Operation::Transfer(TransferOp {
            from: nathan,
            to: init0,
            amount: Asset::core(12_345),
            ..Default::default()
        })],
    );
    c.bench_function("apply transfer (undo on, checks minus signatures)", |b| {
        b.iter(|| apply_in_block(&mut chain, &transfer))
    });
    let k = key("bench").public_key();
    let create = tx(
        &chain,
        vec![Operation::AccountCreate(AccountCreateOp {
            registrar: nathan,
            referrer: nathan,
            name: "bench-account".into(),
            owner: Authority::single_key(k),
            active: Authority::single_key(k),
            options: AccountOptions { memo_key: k, voting_account: PROXY_TO_SELF_ACCOUNT, ..Default::default() },
            ..Default::default()
        })],
    );
    c.bench_function("apply account_create (undo on, checks minus signatures)", |b| {
        b.iter(|| apply_in_block(&mut chain, &create))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
