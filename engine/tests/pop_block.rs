//! §2.7/§2.8 undo: every block above the LIB keeps an undo frame, `pop_block` restores state,
//! chained state hash and head exactly, and frames are forgotten as the LIB advances.

use engine::chain::{BlockError, MAX_UNDO_HISTORY};
use engine::{Chain, PopError};
use ledger::crypto::PrivateKey;
use ledger::genesis::{chain_id_of_text, GenesisState, DEV_GENESIS_JSON};
use ledger::graph::StateHash;
use ledger::ids::AccountId;
use ledger::time::TimePointSec;
use ledger::transaction::{ChainId, SignedTransaction};

fn dev_chain() -> Chain {
    let chain_id = ChainId(chain_id_of_text(DEV_GENESIS_JSON));
    Chain::new(engine::genesis::build(&GenesisState::dev(), chain_id).expect("dev genesis builds"))
}

/// The active key of the witness scheduled at `t` (dev password rule).
fn key_at(chain: &Chain, t: TimePointSec) -> PrivateKey {
    let w = chain.scheduled_witness(chain.slot_at_time(t));
    let account = chain.state.witnesses.get(w.0).unwrap().witness_account;
    let name = chain.state.account(account).unwrap().name.clone();
    PrivateKey::from_password(&name, "active", "dev").unwrap()
}

/// Produce a signed block in the next slot with `txs`.
fn produce(chain: &mut Chain, txs: &[SignedTransaction]) -> ledger::block::SignedBlock {
    let t = chain.slot_time(1);
    let key = key_at(chain, t);
    let engine::Produced { block, results: outcomes, .. } =
        chain.produce_block(t, txs, Some(&key)).expect("block produced");
    assert!(outcomes.iter().all(|o| o.is_ok()), "{outcomes:?}");
    ledger::block::SignedBlock::clone(&block)
}

fn account(chain: &Chain, name: &str) -> AccountId {
    chain.state.account_by_name(name).unwrap().id
}

/// nathan pays `amount` BTS satoshis to init0, signed by nathan's dev active key.
fn transfer(chain: &Chain, amount: i64) -> SignedTransaction {
    let head = chain.head_id();
    let tx = serde_json::json!({
        "ref_block_num": chain.head_num() & 0xffff,
        "ref_block_prefix": head.prefix(),
        "expiration": chain.head_time().plus(60).to_string(),
        "operations": [[0, {
            "fee": {"amount": 2_000_000, "asset_id": "1.3.0"},
            "from": format!("1.2.{}", account(chain, "nathan").0),
            "to": format!("1.2.{}", account(chain, "init0").0),
            "amount": {"amount": amount, "asset_id": "1.3.0"},
            "extensions": []
        }]],
        "extensions": [],
        "signatures": []
    });
    let mut tx: SignedTransaction = serde_json::from_value(tx).unwrap();
    let digest = tx.sig_digest(&chain.state.chain_id().0);
    tx.signatures
        .push(ledger::crypto::sign_compact(&PrivateKey::from_password("nathan", "active", "dev").unwrap(), &digest));
    tx
}

/// nathan claims his genesis balance (op 37) into his account, signed by the balance key.
fn claim(chain: &Chain) -> SignedTransaction {
    let key = PrivateKey::from_password("nathan", "active", "dev").unwrap();
    let public = key.public_key();
    let (instance, b) =
        chain.state.genesis_balances.iter().find(|(_, b)| b.owner == public.address()).expect("nathan's balance");
    let tx = serde_json::json!({
        "ref_block_num": chain.head_num() & 0xffff,
        "ref_block_prefix": chain.head_id().prefix(),
        "expiration": chain.head_time().plus(60).to_string(),
        "operations": [[37, {
            "fee": {"amount": 0, "asset_id": "1.3.0"},
            "deposit_to_account": format!("1.2.{}", account(chain, "nathan").0),
            "balance_to_claim": format!("1.15.{instance}"),
            "balance_owner_key": serde_json::to_value(public).unwrap(),
            "total_claimed": {"amount": b.balance.amount, "asset_id": "1.3.0"}
        }]],
        "extensions": []
    });
    let mut tx: SignedTransaction = serde_json::from_value(tx).unwrap();
    let digest = tx.sig_digest(&chain.state.chain_id().0);
    tx.signatures.push(ledger::crypto::sign_compact(&key, &digest));
    tx
}

fn snapshot(chain: &Chain) -> (u32, String, StateHash, i64, i64) {
    let core = ledger::ids::AssetId(0);
    (
        chain.head_num(),
        chain.head_id().to_string(),
        chain.state.state_hash,
        chain.state.balance(account(chain, "nathan"), core),
        chain.state.balance(account(chain, "init0"), core),
    )
}

#[test]
fn pop_block_restores_state_hash_head_and_balances_exactly() {
    let mut chain = dev_chain();
    let c = claim(&chain);
    produce(&mut chain, &[c]);
    let before = snapshot(&chain);
    assert_eq!(before.3, 10_000_000_000_000);
    let tx = transfer(&chain, 123_456);
    let block = produce(&mut chain, std::slice::from_ref(&tx));
    let after = snapshot(&chain);
    assert_eq!(after.0, 2);
    assert_eq!(after.3, before.3 - 123_456 - 2_000_000);
    assert_eq!(after.4, before.4 + 123_456);
    assert_ne!(after.2, before.2);

    let popped = chain.pop_block().expect("block 2 is reversible").block;
    assert_eq!(*popped, block);
    assert_eq!(snapshot(&chain), before);
    // The transaction is forgotten too: applying the same block again is accepted (no duplicate).
    chain.apply_block(&popped).expect("the popped block re-applies");
    assert_eq!(snapshot(&chain), after);
}

#[test]
fn pop_to_genesis_then_reapply_reaches_the_same_hash() {
    let mut chain = dev_chain();
    let genesis = snapshot(&chain);
    let c = claim(&chain);
    let mut blocks = vec![produce(&mut chain, &[c])];
    blocks.extend((0..4).map(|_| produce(&mut chain, &[])));
    let head = snapshot(&chain);
    // 11 witnesses: after 5 blocks no block has 70 % confirmations, all 5 are reversible.
    assert_eq!(chain.lib_num(), 0);
    assert_eq!(chain.reversible_blocks().len(), 5);
    for b in blocks.iter().rev() {
        assert_eq!(&*chain.pop_block().unwrap().block, b);
    }
    assert_eq!(snapshot(&chain), genesis);
    assert_eq!(chain.pop_block().unwrap_err(), PopError::NothingToPop { head: 0 });
    for b in &blocks {
        chain.apply_block(b).unwrap();
    }
    assert_eq!(snapshot(&chain), head);
}

#[test]
fn frames_are_forgotten_as_the_lib_advances() {
    let mut chain = dev_chain();
    for _ in 0..30 {
        produce(&mut chain, &[]);
        // Exactly one frame per block above the LIB.
        assert_eq!(chain.reversible_blocks().len() as u32, chain.head_num() - chain.lib_num());
        assert_eq!(chain.state.undo_depth(), chain.reversible_blocks().len());
    }
    // 11 witnesses in turn: the LIB is the block confirmed by the 8th most recent producer
    // (offset floor(0.3 × 11) = 3 in ascending order), so it trails the head by 7.
    assert_eq!((chain.head_num(), chain.lib_num()), (30, 23));
    for _ in 0..7 {
        chain.pop_block().unwrap();
    }
    // Block 23 became irreversible when block 30 was applied: its frame is gone, although the
    // state of block 23 itself recorded an older LIB.
    assert_eq!(chain.undo_floor(), 23);
    assert_eq!(chain.pop_block().unwrap_err(), PopError::NothingToPop { head: 23 });
}

#[test]
fn pending_transactions_are_discarded_by_block_operations() {
    let mut chain = dev_chain();
    let c = claim(&chain);
    produce(&mut chain, &[c]);
    let before = snapshot(&chain);
    chain.push_transaction(&transfer(&chain, 5), None).expect("pending transfer accepted");
    assert!(chain.has_pending());
    assert_eq!(chain.state.undo_depth(), 2);
    assert_eq!(snapshot(&chain).3, before.3 - 5 - 2_000_000);
    chain.discard_pending();
    assert_eq!(snapshot(&chain), before);
    // A block operation discards the pending frame itself.
    chain.push_transaction(&transfer(&chain, 7), None).unwrap();
    produce(&mut chain, &[]);
    assert!(!chain.has_pending());
    assert_eq!(snapshot(&chain).3, before.3);
    assert_eq!(chain.state.undo_depth(), 2);
}

#[test]
fn undo_disabled_keeps_no_frames() {
    let mut chain = dev_chain();
    chain.set_undo_enabled(false);
    produce(&mut chain, &[]);
    assert_eq!(chain.state.undo_depth(), 0);
    assert_eq!(chain.pop_block().unwrap_err(), PopError::NothingToPop { head: 1 });
}

#[test]
fn max_undo_history_is_ten_thousand() {
    assert_eq!(MAX_UNDO_HISTORY, 10_000);
    let e = BlockError::UndoHistoryExhausted { num: 10_001, lib: 1, depth: 10_000, max: MAX_UNDO_HISTORY };
    assert_eq!(
        e.to_string(),
        "block 10001 would leave 10000 reversible blocks above the last irreversible block 1; the limit is 10000"
    );
}
