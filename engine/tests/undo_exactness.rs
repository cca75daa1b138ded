//! A rejected transaction leaves no trace: the chained state hash of a block that contained
//! rejected transactions equals that of the same block without them, and ids are not consumed.

use engine::chain::{Chain, SkipFlags};
use ledger::asset::Asset;
use ledger::genesis::{GenesisState, DEV_GENESIS_JSON};
use ledger::ids::*;
use ledger::ops::{Operation, TransferOp};
use ledger::time::TimePointSec;
use ledger::transaction::{ChainId, SignedTransaction, Transaction};

fn chain() -> Chain {
    let genesis = GenesisState::from_json(DEV_GENESIS_JSON).unwrap();
    let state = engine::genesis::build(&genesis, ChainId(genesis.chain_id(DEV_GENESIS_JSON))).unwrap();
    let mut chain = Chain::new(state);
    chain.skip = SkipFlags { signatures: true, block_signature: true, ..Default::default() };
    chain
}

fn transfer(from: u64, to: u64, amount: i64) -> SignedTransaction {
    let op = TransferOp {
        fee: Asset::core(2_000_000),
        from: AccountId(from),
        to: AccountId(to),
        amount: Asset::core(amount),
        ..Default::default()
    };
    SignedTransaction {
        transaction: Transaction {
            expiration: TimePointSec(1_767_229_200),
            operations: vec![Operation::Transfer(op)],
            ..Default::default()
        },
        signatures: vec![],
    }
}

#[test]
fn rejected_transactions_leave_the_state_hash_untouched() {
    let claim: SignedTransaction = serde_json::from_value(serde_json::json!({
        "ref_block_num": 0, "ref_block_prefix": 0, "expiration": "2026-01-01T01:00:00",
        "operations": [[37, {"fee": {"amount": 0, "asset_id": "1.3.0"}, "deposit_to_account": "1.2.17",
            "balance_to_claim": "1.15.11",
            "balance_owner_key": ledger::crypto::PrivateKey::from_password("nathan", "active", "dev").unwrap().public_key(),
            "total_claimed": {"amount": 10_000_000_000_000_i64, "asset_id": "1.3.0"}}]]
    }))
    .unwrap();
    let (mut a, mut b) = (chain(), chain());
    assert_eq!(a.state.state_hash, b.state.state_hash);
    let t1 = TimePointSec(1_767_225_605);
    a.produce_block(t1, std::slice::from_ref(&claim), None).unwrap();
    b.produce_block(t1, std::slice::from_ref(&claim), None).unwrap();

    let t2 = TimePointSec(1_767_225_625);
    let good = transfer(17, 6, 1_000);
    // Rejected: too much, unknown account, from an account with nothing.
    let bad = [transfer(17, 6, 20_000_000_000_000), transfer(17, 999, 1), transfer(7, 6, 1)];
    let engine::Produced { results: outcomes, .. } =
        a.produce_block(t2, &[bad[0].clone(), good.clone(), bad[1].clone(), bad[2].clone()], None).unwrap();
    assert!(outcomes[0].is_err() && outcomes[1].is_ok() && outcomes[2].is_err() && outcomes[3].is_err());
    let engine::Produced { results: outcomes, .. } = b.produce_block(t2, std::slice::from_ref(&good), None).unwrap();
    assert!(outcomes[0].is_ok());

    assert_eq!(a.state.state_hash, b.state.state_hash, "rejected transactions changed the state hash");
    assert_eq!(a.head_id(), b.head_id(), "the blocks hold the same transactions");
    assert_eq!(a.state.balances.next_instance(), b.state.balances.next_instance(), "no ids consumed");
    assert_eq!(a.state.balance(AccountId(6), CORE_ASSET), 1_000);
}

#[test]
fn different_histories_give_different_state_hashes() {
    let (mut a, mut b) = (chain(), chain());
    let t1 = TimePointSec(1_767_225_605);
    a.produce_block(t1, &[], None).unwrap();
    b.produce_block(TimePointSec(1_767_225_610), &[], None).unwrap();
    assert_ne!(a.state.state_hash, b.state.state_hash);
}
