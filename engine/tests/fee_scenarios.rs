//! Scenario tests of PROTOCOL.md §6 driving `Chain` directly: a fee walks from its payment
//! through the referral split at maintenance into cashback vesting balances and out by
//! `vesting_balance_withdraw`, with exact amounts.
//!
//! Chain: the dev genesis with a 300 s maintenance interval and a 600 s cashback vesting
//! period; `nathan` (lifetime member) holds 10,000,000 BTS; `init1` is a lifetime member used as
//! referrer. Signatures and TaPoS are skipped: authority checking has its own tests.

// Helpers return the engine's `Rejection` as is (it carries its amounts by design).
#![allow(clippy::result_large_err)]

use engine::chain::{Chain, SkipFlags};
use engine::Rejection;
use ledger::asset::Asset;
use ledger::crypto::PrivateKey;
use ledger::genesis::{GenesisState, InitialBalance};
use ledger::ids::*;
use ledger::objects::{VestingBalanceObject, VestingPolicy};
use ledger::ops::{Operation, OperationResult};
use ledger::transaction::{ChainId, SignedTransaction, Transaction};
use serde_json::{json, Value};

const MAINTENANCE_INTERVAL: u32 = 300;
const CASHBACK_PERIOD: u32 = 600;
const BTS: i64 = 100_000;

fn key(name: &str) -> String {
    PrivateKey::from_password(name, "active", "dev").unwrap().public_key().to_string()
}

fn chain() -> Chain {
    let mut g = GenesisState::dev();
    g.initial_parameters.maintenance_interval = MAINTENANCE_INTERVAL;
    g.initial_parameters.cashback_vesting_period_seconds = CASHBACK_PERIOD;
    let nathan = PrivateKey::from_password("nathan", "active", "dev").unwrap().public_key();
    g.initial_balances =
        vec![InitialBalance { owner: nathan.address(), asset_symbol: "BTS".into(), amount: 10_000_000 * BTS }];
    let state = engine::genesis::build(&g, ChainId([7; 32])).expect("genesis builds");
    let mut chain = Chain::new(state);
    chain.skip = SkipFlags { signatures: true, tapos: true, block_signature: true, ..Default::default() };
    // Block 1 (a maintenance block) and nathan's claim of his genesis balance.
    let claim = json!([37, {"fee": {"amount": 0, "asset_id": "1.3.0"}, "deposit_to_account": "1.2.17",
        "balance_to_claim": "1.15.0", "balance_owner_key": key("nathan"),
        "total_claimed": {"amount": 10_000_000 * BTS, "asset_id": "1.3.0"}}]);
    push(&mut chain, vec![claim]).expect("nathan claims his balance");
    chain
}

fn id(chain: &Chain, name: &str) -> AccountId {
    chain.state.account_by_name(name).unwrap_or_else(|| panic!("{name} exists")).id
}

/// Apply one transaction of `ops` (JSON) in a block at the next slot.
fn push(chain: &mut Chain, ops: Vec<Value>) -> Result<Vec<OperationResult>, Rejection> {
    let operations: Vec<Operation> = ops.into_iter().map(|o| serde_json::from_value(o).expect("op parses")).collect();
    let tx = SignedTransaction {
        transaction: Transaction {
            ref_block_num: 0,
            ref_block_prefix: 0,
            expiration: chain.head_time().plus(60),
            operations,
            extensions: Default::default(),
        },
        signatures: vec![],
    };
    let t = chain.slot_time(1);
    let engine::Produced { results: mut outcomes, .. } = chain.produce_block(t, &[tx], None).expect("block applies");
    outcomes.remove(0).map(|a| a.operation_results)
}

/// Produce empty blocks until the next maintenance block has been applied.
fn through_maintenance(chain: &mut Chain) {
    let next = chain.state.dgp().next_maintenance_time;
    while chain.head_time() < next {
        let t = chain.slot_time(1);
        chain.produce_block(t, &[], None).expect("empty block");
    }
    assert_eq!(chain.head_time(), next, "maintenance ran at its exact time");
}

fn fee(amount: i64) -> Value {
    json!({"amount": amount, "asset_id": "1.3.0"})
}

fn create_account(chain: &mut Chain, name: &str, registrar: &str, referrer: &str, referrer_percent: u16) {
    let auth = json!({"weight_threshold": 1, "account_auths": [], "key_auths": [[key(name), 1]], "address_auths": []});
    let op = json!([5, {"fee": fee(BTS * 10), "registrar": id(chain, registrar), "referrer": id(chain, referrer),
        "referrer_percent": referrer_percent, "name": name, "owner": auth, "active": auth,
        "options": {"memo_key": key(name), "voting_account": "1.2.5", "num_witness": 0, "num_committee": 0, "votes": []}}]);
    push(chain, vec![op]).expect("account created");
}

fn transfer(chain: &mut Chain, from: &str, to: &str, amount: i64, fee_paid: Value) -> Result<(), Rejection> {
    let op = json!([0, {"fee": fee_paid, "from": id(chain, from), "to": id(chain, to),
        "amount": {"amount": amount, "asset_id": "1.3.0"}}]);
    push(chain, vec![op]).map(|_| ())
}

fn cashback(chain: &Chain, name: &str) -> VestingBalanceObject {
    let vb = chain.state.account(id(chain, name)).unwrap().cashback_vb.expect("has a cashback balance");
    chain.state.vesting_balances.get(vb.0).unwrap().clone()
}

fn coin_seconds(vb: &VestingBalanceObject) -> u128 {
    match &vb.policy {
        VestingPolicy::Cdd(p) => {
            assert_eq!(p.vesting_seconds, CASHBACK_PERIOD);
            p.coin_seconds_earned
        }
        other => panic!("cashback vests by coin-days, got {other:?}"),
    }
}

fn withdraw(chain: &mut Chain, name: &str, vb: VestingBalanceId, amount: i64) -> Result<(), Rejection> {
    let op = json!([33, {"fee": fee(0), "vesting_balance": vb, "owner": id(chain, name),
        "amount": {"amount": amount, "asset_id": "1.3.0"}}]);
    push(chain, vec![op]).map(|_| ())
}

fn core_dynamic(chain: &Chain) -> (i64, i64) {
    let d = chain.state.asset_dynamic_data(CORE_ASSET);
    (d.current_supply, d.accumulated_fees)
}

/// §6.3: a basic account registered by lifetime member `nathan` with referrer `init1` (60 % of
/// the referral): its fees split 20 % network / 30 % lifetime referrer / 50 % referral floor by
/// floor; fees above the 100 BTS threshold vest, smaller ones are credited vested.
#[test]
fn referral_split_of_a_basic_accounts_fees_vests_as_cashback() {
    let mut chain = chain();
    chain.state.global.modify(0, |g| g.parameters.current_fees = ledger::fees::FeeSchedule::zero());
    create_account(&mut chain, "alice", "nathan", "init1", 6_000);
    transfer(&mut chain, "nathan", "alice", 1_000 * BTS, fee(20 * BTS)).unwrap();
    through_maintenance(&mut chain); // nathan's own fees (30 BTS) are paid out here.
    let nathan_before = cashback(&chain, "nathan").balance.amount;
    assert_eq!(nathan_before, 24 * BTS, "an LTM keeps 80 % of its own fees");
    let (_, fees_before) = core_dynamic(&chain);

    // A vesting fee (overpaid, 200.00003 BTS) and an immediately vested one (20 BTS).
    transfer(&mut chain, "alice", "nathan", 1, fee(20_000_003)).unwrap();
    transfer(&mut chain, "alice", "nathan", 1, fee(20 * BTS)).unwrap();
    let stats = chain.state.account(id(&chain, "alice")).unwrap().statistics.0;
    let s = chain.state.statistics.get(stats).unwrap();
    assert_eq!((s.pending_fees, s.pending_vested_fees), (20_000_003, 2_000_000));
    assert!(chain.state.statistics.index().0.contains(&("alice".to_string(), stats)));

    through_maintenance(&mut chain);
    let s = chain.state.statistics.get(stats).unwrap();
    assert_eq!((s.pending_fees, s.pending_vested_fees, s.lifetime_fees_paid), (0, 0, 22_000_003));
    assert!(chain.state.statistics.index().0.is_empty(), "nobody has pending fees after maintenance");
    // Network: floor(20 % × 20,000,003) + 20 % × 2,000,000.
    assert_eq!(core_dynamic(&chain).1 - fees_before, 4_000_000 + 400_000);
    // init1 is lifetime referrer (30 %) and referrer (60 % of the 50 % referral).
    let init1 = cashback(&chain, "init1");
    assert_eq!(init1.balance.amount, 6_000_000 + 6_000_001 + 600_000 + 600_000);
    // nathan, the registrar, takes the rest of the referral: 4,000,002 vesting + 400,000 vested.
    let nathan = cashback(&chain, "nathan");
    assert_eq!(nathan.balance.amount - nathan_before, 4_000_002 + 400_000);
    assert_eq!(init1.balance_type, ledger::objects::VestingBalanceType::Cashback);

    // At maintenance only the vested bucket is withdrawable: 1,200,000 of init1's 13,200,001.
    let t_m = chain.head_time();
    assert_eq!(coin_seconds(&init1), 1_200_000 * u128::from(CASHBACK_PERIOD));
    let over = withdraw(&mut chain, "init1", init1.id, 1_200_001).unwrap_err();
    assert_eq!(over.code(), "vesting_withdraw_too_large");
    // The failed withdrawal's block moved head time; the next block sees it as `now`.
    let elapsed = i64::from(chain.head_time().0 - t_m.0);
    let expected = (1_200_000 * i64::from(CASHBACK_PERIOD) + 13_200_001 * elapsed) / i64::from(CASHBACK_PERIOD);
    let before = chain.state.balance(id(&chain, "init1"), CORE_ASSET);
    withdraw(&mut chain, "init1", init1.id, expected).unwrap();
    assert_eq!(chain.state.balance(id(&chain, "init1"), CORE_ASSET) - before, expected);
    assert_eq!(cashback(&chain, "init1").balance.amount, 13_200_001 - expected);

    // After a whole vesting period the rest is free.
    for _ in 0..(CASHBACK_PERIOD / 5 + 1) {
        let t = chain.slot_time(1);
        chain.produce_block(t, &[], None).unwrap();
    }
    withdraw(&mut chain, "init1", init1.id, 13_200_001 - expected).unwrap();
    assert_eq!(cashback(&chain, "init1").balance.amount, 0);
}

/// §6.4: the member discount is cashback: a lifetime member paying a 20 BTS fee gets 16 BTS back
/// at the next maintenance, immediately withdrawable (20 BTS is below the vesting threshold).
#[test]
fn lifetime_member_paying_20_bts_gets_16_bts_cashback_at_maintenance() {
    let mut chain = chain();
    through_maintenance(&mut chain); // the claim block's fees, none
    let (supply_before, fees_before) = core_dynamic(&chain);
    transfer(&mut chain, "nathan", "init2", BTS, fee(20 * BTS)).unwrap();
    assert!(chain.state.account(id(&chain, "nathan")).unwrap().cashback_vb.is_none(), "nothing before maintenance");
    through_maintenance(&mut chain);
    let vb = cashback(&chain, "nathan");
    assert_eq!(vb.balance, Asset::new(16 * BTS, CORE_ASSET));
    assert_eq!(core_dynamic(&chain), (supply_before, fees_before + 4 * BTS));
    let balance = chain.state.balance(id(&chain, "nathan"), CORE_ASSET);
    chain.state.global.modify(0, |g| g.parameters.current_fees = ledger::fees::FeeSchedule::zero());
    withdraw(&mut chain, "nathan", vb.id, 16 * BTS).unwrap();
    assert_eq!(chain.state.balance(id(&chain, "nathan"), CORE_ASSET) - balance, 16 * BTS);
    // The query shape of bitshares-core's get_objects.
    let Some(engine::query::ObjectRef::VestingBalance(object)) =
        engine::query::get_object(&chain.state, vb.id.object_id())
    else {
        panic!("get_object of {} is not a vesting balance", vb.id)
    };
    let q = serde_json::to_value(object).unwrap();
    assert_eq!(q["owner"], "1.2.17");
    assert_eq!(q["policy"][0], 1);
    assert_eq!(q["policy"][1]["vesting_seconds"], CASHBACK_PERIOD);
    assert_eq!(q["balance"]["amount"], 0);
}

/// §6.2 + §6.3: a fee paid in a user-issued asset goes to the asset's accumulated fees, its
/// core value leaves the fee pool and is split like any other fee; the issuer claims both the
/// accumulated fees and what is left of the pool.
#[test]
fn fee_paid_in_user_asset_goes_through_its_pool_and_splits_in_core() {
    let mut chain = chain();
    chain.state.global.modify(0, |g| g.parameters.current_fees = ledger::fees::FeeSchedule::zero());
    create_account(&mut chain, "alice", "nathan", "init1", 0);
    // FEECOIN: 1 FEECOIN satoshi is worth 2 core satoshis.
    let create = json!([10, {"fee": fee(0), "issuer": "1.2.17", "symbol": "FEECOIN", "precision": 5,
        "common_options": {"core_exchange_rate": {"base": {"amount": 1, "asset_id": "1.3.1"},
                                                   "quote": {"amount": 2, "asset_id": "1.3.0"}}}}]);
    push(&mut chain, vec![create]).unwrap();
    let coin = chain.state.asset_by_symbol("FEECOIN").unwrap().id;
    let fund = json!([16, {"fee": fee(0), "from_account": "1.2.17", "asset_id": coin, "amount": 1_000 * BTS}]);
    let issue = json!([14, {"fee": fee(0), "issuer": "1.2.17", "asset_to_issue": {"amount": 1_000 * BTS, "asset_id": coin},
        "issue_to_account": id(&chain, "alice")}]);
    push(&mut chain, vec![fund, issue]).unwrap();
    assert_eq!(chain.state.asset_dynamic_data(coin).fee_pool, 1_000 * BTS);
    through_maintenance(&mut chain);
    let (_, fees_before) = core_dynamic(&chain);
    let nathan_before = cashback(&chain, "nathan").balance.amount;

    // alice pays 100.00001 FEECOIN, worth 20,000,002 core: above the threshold, so it vests.
    let fee_coin = json!({"amount": 10_000_001, "asset_id": coin});
    let op = json!([0, {"fee": fee_coin, "from": id(&chain, "alice"), "to": "1.2.17",
        "amount": {"amount": 1, "asset_id": coin}}]);
    push(&mut chain, vec![op]).unwrap();
    let d = chain.state.asset_dynamic_data(coin).clone();
    assert_eq!((d.accumulated_fees, d.fee_pool), (10_000_001, 1_000 * BTS - 20_000_002));
    through_maintenance(&mut chain);
    // 20 % network, 30 % + 0 % of the referral to init1, 100 % of the referral to nathan.
    assert_eq!(core_dynamic(&chain).1 - fees_before, 4_000_000);
    assert_eq!(cashback(&chain, "init1").balance.amount, 6_000_000);
    assert_eq!(cashback(&chain, "nathan").balance.amount - nathan_before, 10_000_002);
    assert_eq!(coin_seconds(&cashback(&chain, "init1")), 0, "a vesting fee earns nothing at once");

    // The issuer takes the accumulated FEECOIN and the rest of the pool.
    let too_much =
        json!([43, {"fee": fee(0), "issuer": "1.2.17", "amount_to_claim": {"amount": 10_000_002, "asset_id": coin}}]);
    assert_eq!(push(&mut chain, vec![too_much]).unwrap_err().code(), "accumulated_fees_too_small");
    let claim =
        json!([43, {"fee": fee(0), "issuer": "1.2.17", "amount_to_claim": {"amount": 10_000_001, "asset_id": coin}}]);
    let pool_left = 1_000 * BTS - 20_000_002;
    let claim_pool = json!([47, {"fee": fee(0), "issuer": "1.2.17", "asset_id": coin,
        "amount_to_claim": {"amount": pool_left, "asset_id": "1.3.0"}}]);
    let core_before = chain.state.balance(AccountId(17), CORE_ASSET);
    push(&mut chain, vec![claim, claim_pool]).unwrap();
    assert_eq!(chain.state.balance(AccountId(17), coin), 1 + 10_000_001);
    assert_eq!(chain.state.balance(AccountId(17), CORE_ASSET) - core_before, pool_left);
    let d = chain.state.asset_dynamic_data(coin);
    assert_eq!((d.accumulated_fees, d.fee_pool), (0, 0));
    // Only the issuer may claim the pool.
    let steal = json!([47, {"fee": {"amount": 0, "asset_id": "1.3.0"}, "issuer": id(&chain, "alice"), "asset_id": coin,
        "amount_to_claim": {"amount": 1, "asset_id": "1.3.0"}}]);
    assert_eq!(push(&mut chain, vec![steal]).unwrap_err().code(), "not_pool_issuer");
}

/// §6.4: upgrading distributes the pending fees (the upgrade fee included) along the old
/// referral chain, then makes the account its own referrer with 80 % of its fees; annual
/// membership is refused.
#[test]
fn lifetime_upgrade_pays_out_pending_fees_first_and_annual_is_refused() {
    let mut chain = chain();
    chain.state.global.modify(0, |g| g.parameters.current_fees = ledger::fees::FeeSchedule::zero());
    create_account(&mut chain, "bob", "nathan", "init1", 10_000);
    transfer(&mut chain, "nathan", "bob", 20_000 * BTS, fee(0)).unwrap();
    let bob = id(&chain, "bob");
    let annual = json!([8, {"fee": fee(0), "account_to_upgrade": bob, "upgrade_to_lifetime_member": false}]);
    assert_eq!(push(&mut chain, vec![annual]).unwrap_err().code(), "annual_membership_disabled");
    let upgrade = json!([8, {"fee": fee(10_000 * BTS), "account_to_upgrade": bob, "upgrade_to_lifetime_member": true}]);
    push(&mut chain, vec![upgrade.clone()]).unwrap();
    let a = chain.state.account(bob).unwrap();
    assert!(a.is_lifetime_member());
    assert_eq!(
        (a.referrer, a.registrar, a.lifetime_referrer, a.lifetime_referrer_fee_percentage),
        (bob, bob, bob, 8_000)
    );
    // The 10,000 BTS upgrade fee went 20 % network, 30 % to init1 as lifetime referrer, the
    // referral (50 %) all to init1 as referrer (100 %), nothing to the registrar.
    assert_eq!(cashback(&chain, "init1").balance.amount, 8_000 * BTS);
    assert!(chain.state.account(id(&chain, "nathan")).unwrap().cashback_vb.is_none());
    let s = chain.state.statistics.get(a.statistics.0).unwrap();
    assert_eq!((s.pending_fees, s.lifetime_fees_paid), (0, 10_000 * BTS));
    assert_eq!(push(&mut chain, vec![upgrade]).unwrap_err().code(), "already_lifetime_member");
}

/// §6.3: cashback owed to the chain's own accounts (1.2.0–1.2.4) returns to the reserve.
#[test]
fn cashback_of_special_accounts_is_burned() {
    let mut chain = chain();
    let (supply, _) = core_dynamic(&chain);
    engine::evaluators::vesting::deposit_cashback(&mut chain.state, COMMITTEE_ACCOUNT, 5 * BTS, true);
    assert_eq!(core_dynamic(&chain).0, supply - 5 * BTS);
    assert!(chain.state.account(COMMITTEE_ACCOUNT).unwrap().cashback_vb.is_none());
}

/// §6.5: every `accounts_per_fee_scale` registrations in an interval shift the basic fee left
/// by `account_fee_scale_bitshifts`; maintenance shifts it back.
#[test]
fn account_creation_fee_scales_up_within_an_interval_and_back_at_maintenance() {
    let mut chain = chain();
    through_maintenance(&mut chain);
    chain.state.global.modify(0, |g| g.parameters.accounts_per_fee_scale = 2);
    let basic = |c: &Chain| match c.state.gpo().parameters.current_fees.params_for(5) {
        Some(ledger::fees::FeeParameters::AccountCreate(p)) => p.basic_fee as i64,
        other => panic!("account_create params, got {other:?}"),
    };
    assert_eq!(basic(&chain), 5 * BTS);
    create_account(&mut chain, "carol1", "nathan", "nathan", 0);
    assert_eq!(basic(&chain), 5 * BTS);
    create_account(&mut chain, "dave2", "nathan", "nathan", 0);
    assert_eq!(basic(&chain), 80 * BTS, "×16 after the second registration");
    // The 10 BTS fee create_account pays is now too little.
    let auth =
        json!({"weight_threshold": 1, "account_auths": [], "key_auths": [[key("erin3"), 1]], "address_auths": []});
    let op = json!([5, {"fee": fee(10 * BTS), "registrar": "1.2.17", "referrer": "1.2.17", "referrer_percent": 0,
        "name": "erin3", "owner": auth, "active": auth, "options": {"memo_key": key("erin3"), "voting_account": "1.2.5"}}]);
    assert_eq!(push(&mut chain, vec![op]).unwrap_err().code(), "insufficient_fee");
    through_maintenance(&mut chain);
    assert_eq!(basic(&chain), 5 * BTS);
    assert_eq!(chain.state.dgp().accounts_registered_this_interval, 0);
}

#[test]
fn vesting_balance_create_and_withdraw_follow_the_linear_policy_to_the_second() {
    let mut chain = chain();
    chain.state.global.modify(0, |g| g.parameters.current_fees = ledger::fees::FeeSchedule::zero());
    let start = chain.head_time();
    let op = json!([32, {"fee": fee(BTS), "creator": "1.2.17", "owner": "1.2.7",
        "amount": {"amount": 1_000 * BTS, "asset_id": "1.3.0"},
        "policy": [0, {"begin_timestamp": start, "vesting_cliff_seconds": 50, "vesting_duration_seconds": 1000}]}]);
    let r = push(&mut chain, vec![op]).unwrap();
    let vb_id = match &r[0] {
        OperationResult::ObjectId(o) => VestingBalanceId(o.instance()),
        other => panic!("object id, got {other:?}"),
    };
    let listed = serde_json::to_value(engine::query::vesting_balances(&chain.state, AccountId(7))).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["policy"][1]["begin_balance"], 1_000 * BTS);
    // Before the cliff nothing; not by someone else either.
    assert_eq!(withdraw(&mut chain, "init1", vb_id, 1).unwrap_err().code(), "vesting_withdraw_too_large");
    assert_eq!(withdraw(&mut chain, "nathan", vb_id, 1).unwrap_err().code(), "vesting_balance_not_owner");
    while chain.head_time().0 < start.0 + 100 {
        let t = chain.slot_time(1);
        chain.produce_block(t, &[], None).unwrap();
    }
    let elapsed = i64::from(chain.head_time().0 - start.0);
    let vested = 1_000 * BTS * elapsed / 1000;
    assert_eq!(withdraw(&mut chain, "init1", vb_id, vested + 1).unwrap_err().code(), "vesting_withdraw_too_large");
    // The rejected block advanced the head by one slot (5 s).
    let vested = 1_000 * BTS * (elapsed + 5) / 1000;
    withdraw(&mut chain, "init1", vb_id, vested).unwrap();
    assert_eq!(chain.state.vesting_balances.get(vb_id.0).unwrap().balance.amount, 1_000 * BTS - vested);
}
