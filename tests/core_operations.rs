//! Scenario tests of the foundation's rules, run through `graphene apply` on the dev genesis with
//! real signatures (dev keys derive from the password `dev`). Amounts are exact: 1 BTS = 100,000.

mod common;

use common::{apply, dev_key, sign};
use serde_json::{json, Value};

const NATHAN: &str = "1.2.17";
const INIT0: &str = "1.2.6";
const INIT1: &str = "1.2.7";
/// nathan's genesis balance object and amount (100,000,000 BTS).
const NATHAN_GENESIS_BALANCE: &str = "1.15.11";
const NATHAN_GENESIS_AMOUNT: i64 = 10_000_000_000_000;
const TRANSFER_FEE: i64 = 2_000_000; // 20 BTS

fn pubkey(account: &str) -> String {
    dev_key(account).public_key().to_string_with_prefix("TEST")
}

fn tx(ops: Vec<Value>, expiration: &str) -> Value {
    json!({"ref_block_num": 0, "ref_block_prefix": 0, "expiration": expiration, "operations": ops, "extensions": []})
}

fn claim_nathan() -> Value {
    json!([37, {
        "fee": {"amount": 0, "asset_id": "1.3.0"},
        "deposit_to_account": NATHAN,
        "balance_to_claim": NATHAN_GENESIS_BALANCE,
        "balance_owner_key": pubkey("nathan"),
        "total_claimed": {"amount": NATHAN_GENESIS_AMOUNT, "asset_id": "1.3.0"}
    }])
}

fn transfer(from: &str, to: &str, amount: i64, fee: i64) -> Value {
    json!([0, {
        "fee": {"amount": fee, "asset_id": "1.3.0"},
        "from": from, "to": to,
        "amount": {"amount": amount, "asset_id": "1.3.0"},
        "extensions": []
    }])
}

/// Block 1 claims nathan's genesis balance; later blocks follow at 5 s slots.
fn scenario(later_blocks: Vec<Value>, query: Vec<Value>) -> Value {
    let nathan = dev_key("nathan");
    let mut blocks = vec![json!({
        "timestamp": "2026-01-01T00:00:05",
        "transactions": [sign(tx(vec![claim_nathan()], "2026-01-01T01:00:00"), &[&nathan])]
    })];
    blocks.extend(later_blocks);
    json!({"genesis": "dev", "blocks": blocks, "query": query})
}

fn block(ts: &str, txs: Vec<Value>) -> Value {
    json!({"timestamp": ts, "transactions": txs})
}

#[test]
fn balance_claim_moves_the_genesis_balance_to_the_account() {
    let run = apply(&scenario(vec![], vec![json!({"balances": "nathan"}), json!(NATHAN_GENESIS_BALANCE)]));
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.trx(1, 0)["ok"], true, "{:#?}", run.lines);
    assert_eq!(run.balance("nathan", "1.3.0"), NATHAN_GENESIS_AMOUNT);
    assert_eq!(run.query(&json!(NATHAN_GENESIS_BALANCE))["object"], Value::Null, "a claimed balance is removed");
}

#[test]
fn transfer_moves_the_amount_and_charges_the_fee_after() {
    let nathan = dev_key("nathan");
    let t = sign(tx(vec![transfer(NATHAN, INIT0, 100_000_000, TRANSFER_FEE)], "2026-01-01T01:00:00"), &[&nathan]);
    let run = apply(&scenario(
        vec![block("2026-01-01T00:00:25", vec![t])],
        vec![json!({"balances": "nathan"}), json!({"balances": "init0"}), json!("2.6.17")],
    ));
    assert_eq!(run.trx(2, 0)["ok"], true, "{:#?}", run.lines);
    assert_eq!(run.trx(2, 0)["operation_results"], json!([[0, {}]]));
    assert_eq!(run.balance("nathan", "1.3.0"), NATHAN_GENESIS_AMOUNT - 100_000_000 - TRANSFER_FEE);
    assert_eq!(run.balance("init0", "1.3.0"), 100_000_000);
    // 20 BTS is below the 100 BTS cashback vesting threshold: it waits in the vested bucket.
    let stats = &run.query(&json!("2.6.17"))["object"];
    assert_eq!(stats["pending_vested_fees"], TRANSFER_FEE);
    assert_eq!(stats["pending_fees"], 0);
}

#[test]
fn insufficient_balance_is_rejected_and_changes_nothing() {
    let init1 = dev_key("init1");
    let t = sign(tx(vec![transfer(INIT1, INIT0, 100_000, TRANSFER_FEE)], "2026-01-01T01:00:00"), &[&init1]);
    let run = apply(&scenario(vec![block("2026-01-01T00:00:25", vec![t])], vec![json!({"balances": "init0"})]));
    let r = run.trx(2, 0);
    assert_eq!(r["ok"], false);
    assert_eq!(r["code"], "insufficient_balance");
    assert_eq!(r["message"], "insufficient balance: 1.2.7 has 0.00000 BTS, needs 1.00000 BTS");
    assert_eq!(run.balance("init0", "1.3.0"), 0);
}

#[test]
fn transfer_of_the_whole_balance_fails_for_want_of_the_fee() {
    let nathan = dev_key("nathan");
    let t =
        sign(tx(vec![transfer(NATHAN, INIT0, NATHAN_GENESIS_AMOUNT, TRANSFER_FEE)], "2026-01-01T01:00:00"), &[&nathan]);
    let run = apply(&scenario(vec![block("2026-01-01T00:00:25", vec![t])], vec![json!({"balances": "nathan"})]));
    assert_eq!(run.trx(2, 0)["code"], "insufficient_balance", "{:#?}", run.lines);
    assert_eq!(
        run.trx(2, 0)["message"],
        "insufficient balance: 1.2.17 has 0.00000 BTS, needs 20.00000 BTS",
        "the amount left first, then the fee was missing"
    );
    assert_eq!(run.balance("nathan", "1.3.0"), NATHAN_GENESIS_AMOUNT, "nothing moved");
}

#[test]
fn fee_below_the_schedule_is_rejected() {
    let nathan = dev_key("nathan");
    let t = sign(tx(vec![transfer(NATHAN, INIT0, 1, TRANSFER_FEE - 1)], "2026-01-01T01:00:00"), &[&nathan]);
    let run = apply(&scenario(vec![block("2026-01-01T00:00:25", vec![t])], vec![]));
    assert_eq!(run.trx(2, 0)["code"], "insufficient_fee");
    assert_eq!(
        run.trx(2, 0)["message"],
        "insufficient fee: paid 19.99999 BTS (core value 1999999), the fee for transfer is 20.00000 BTS"
    );
}

#[test]
fn authority_rules_missing_irrelevant_and_duplicate_signatures() {
    let (nathan, init0) = (dev_key("nathan"), dev_key("init0"));
    let op = |amount| tx(vec![transfer(NATHAN, INIT0, amount, TRANSFER_FEE)], "2026-01-01T01:00:00");
    let run = apply(&scenario(
        vec![block(
            "2026-01-01T00:00:25",
            vec![
                op(1),                           // unsigned
                sign(op(2), &[&init0]),          // the wrong key
                sign(op(3), &[&nathan, &init0]), // one key too many
                sign(op(4), &[&nathan, &nathan]),
                sign(op(5), &[&nathan]),
                sign(op(5), &[&nathan]), // the same transaction again
            ],
        )],
        vec![],
    ));
    assert_eq!(run.trx(2, 0)["code"], "tx_missing_active_auth");
    assert_eq!(run.trx(2, 1)["code"], "tx_missing_active_auth");
    assert_eq!(run.trx(2, 2)["code"], "tx_irrelevant_sig");
    assert_eq!(run.trx(2, 3)["code"], "tx_duplicate_sig");
    assert_eq!(run.trx(2, 4)["ok"], true);
    assert_eq!(run.trx(2, 5)["code"], "duplicate_transaction");
}

#[test]
fn expiration_must_lie_within_a_day_after_head_time() {
    let nathan = dev_key("nathan");
    let t = |exp| sign(tx(vec![transfer(NATHAN, INIT0, 1, TRANSFER_FEE)], exp), &[&nathan]);
    let run = apply(&scenario(
        vec![block(
            "2026-01-01T00:00:25",
            vec![t("2026-01-01T00:00:04"), t("2026-01-02T00:00:06"), t("2026-01-02T00:00:05")],
        )],
        vec![],
    ));
    assert_eq!(run.trx(2, 0)["code"], "transaction_expired", "head time is block 1's 00:00:05");
    assert_eq!(run.trx(2, 1)["code"], "expiration_too_far");
    assert_eq!(run.trx(2, 2)["ok"], true, "exactly one day is allowed");
}

#[test]
fn tapos_must_name_a_block_of_this_chain() {
    let nathan = dev_key("nathan");
    let mut bad = tx(vec![transfer(NATHAN, INIT0, 1, TRANSFER_FEE)], "2026-01-01T01:00:00");
    bad["ref_block_num"] = json!(1);
    bad["ref_block_prefix"] = json!(12345);
    let run = apply(&scenario(vec![block("2026-01-01T00:00:25", vec![sign(bad, &[&nathan])])], vec![]));
    assert_eq!(run.trx(2, 0)["code"], "tapos_mismatch");
}

fn account_create(registrar: &str, name: &str, fee: i64) -> Value {
    let key = pubkey(name);
    let auth = json!({"weight_threshold": 1, "account_auths": [], "key_auths": [[key, 1]], "address_auths": []});
    json!([5, {
        "fee": {"amount": fee, "asset_id": "1.3.0"},
        "registrar": registrar, "referrer": registrar, "referrer_percent": 5000,
        "name": name, "owner": auth, "active": auth,
        "options": {"memo_key": key, "voting_account": "1.2.5", "num_witness": 0, "num_committee": 0, "votes": [], "extensions": []},
        "extensions": {}
    }])
}

#[test]
fn account_create_by_a_lifetime_member_sets_the_referral_chain() {
    let nathan = dev_key("nathan");
    let alice = dev_key("alice-1");
    let run = apply(&scenario(
        vec![
            block(
                "2026-01-01T00:00:25",
                vec![
                    sign(tx(vec![account_create(NATHAN, "alice-1", 1_000_000)], "2026-01-01T01:00:00"), &[&nathan]),
                    sign(tx(vec![account_create(NATHAN, "alice-1", 1_000_001)], "2026-01-01T01:00:00"), &[&nathan]),
                    sign(
                        tx(vec![transfer(NATHAN, "1.2.18", 10_000_000, TRANSFER_FEE)], "2026-01-01T01:00:00"),
                        &[&nathan],
                    ),
                ],
            ),
            block(
                "2026-01-01T00:00:30",
                vec![sign(tx(vec![account_create("1.2.18", "bob-1", 1_000_000)], "2026-01-01T01:00:00"), &[&alice])],
            ),
        ],
        vec![json!("1.2.18"), json!("1.2.19")],
    ));
    assert_eq!(run.trx(2, 0)["operation_results"], json!([[1, "1.2.18"]]), "{:#?}", run.lines);
    assert_eq!(run.trx(2, 1)["code"], "account_name_taken");
    assert_eq!(run.trx(3, 0)["code"], "registrar_not_lifetime_member");
    let alice_obj = &run.query(&json!("1.2.18"))["object"];
    assert_eq!(alice_obj["name"], "alice-1");
    assert_eq!(alice_obj["registrar"], NATHAN);
    assert_eq!(alice_obj["referrer"], NATHAN);
    assert_eq!(alice_obj["lifetime_referrer"], NATHAN);
    assert_eq!(alice_obj["referrer_rewards_percentage"], 5000);
    assert_eq!(alice_obj["network_fee_percentage"], 2000);
    assert_eq!(alice_obj["lifetime_referrer_fee_percentage"], 3000);
    assert_eq!(alice_obj["membership_expiration_date"], "1970-01-01T00:00:00");
    assert_eq!(run.query(&json!("1.2.19"))["object"], Value::Null, "a failed create consumes no id");
}

#[test]
fn asset_create_seeds_the_fee_pool_with_half_the_fee_then_issue_and_reserve() {
    let nathan = dev_key("nathan");
    let create = json!([10, {
        "fee": {"amount": 600_000_001, "asset_id": "1.3.0"},
        "issuer": NATHAN, "symbol": "NATHANCOIN", "precision": 2,
        "common_options": {
            "max_supply": 1_000_000, "market_fee_percent": 0, "max_market_fee": 0,
            "issuer_permissions": 0, "flags": 0,
            "core_exchange_rate": {"base": {"amount": 1, "asset_id": "1.3.0"}, "quote": {"amount": 1, "asset_id": "1.3.1"}},
            "whitelist_authorities": [], "blacklist_authorities": [], "whitelist_markets": [], "blacklist_markets": [],
            "description": "", "extensions": []
        },
        "is_prediction_market": false, "extensions": []
    }]);
    let issue = |amount: i64| {
        json!([14, {"fee": {"amount": 2_000_097, "asset_id": "1.3.0"}, "issuer": NATHAN,
            "asset_to_issue": {"amount": amount, "asset_id": "1.3.1"}, "issue_to_account": INIT0, "extensions": []}])
    };
    let init0 = dev_key("init0");
    let reserve = json!([15, {"fee": {"amount": 2_000_000, "asset_id": "1.3.0"}, "payer": INIT0,
        "amount_to_reserve": {"amount": 250, "asset_id": "1.3.1"}, "extensions": []}]);
    let run = apply(&scenario(
        vec![
            block("2026-01-01T00:00:25", vec![sign(tx(vec![create], "2026-01-01T01:00:00"), &[&nathan])]),
            block(
                "2026-01-01T00:00:30",
                vec![
                    sign(
                        tx(
                            vec![issue(1_000_000), transfer(NATHAN, INIT0, 10_000_000, TRANSFER_FEE)],
                            "2026-01-01T01:00:00",
                        ),
                        &[&nathan],
                    ),
                    sign(tx(vec![issue(1)], "2026-01-01T01:00:00"), &[&nathan]),
                ],
            ),
            block("2026-01-01T00:00:35", vec![sign(tx(vec![reserve], "2026-01-01T01:00:00"), &[&init0])]),
        ],
        vec![json!("1.3.1"), json!("2.3.1"), json!({"balances": "init0"})],
    ));
    assert_eq!(run.trx(2, 0)["operation_results"], json!([[1, "1.3.1"]]), "{:#?}", run.lines);
    assert_eq!(run.trx(3, 0)["ok"], true, "{:#?}", run.lines);
    assert_eq!(run.trx(3, 1)["code"], "max_supply_exceeded");
    assert_eq!(run.trx(4, 0)["ok"], true, "{:#?}", run.lines);
    let dynamic = &run.query(&json!("2.3.1"))["object"];
    assert_eq!(dynamic["fee_pool"], 300_000_000, "floor(600000001 / 2)");
    assert_eq!(dynamic["current_supply"], 1_000_000 - 250);
    let asset = &run.query(&json!("1.3.1"))["object"];
    assert_eq!(asset["symbol"], "NATHANCOIN");
    assert_eq!(asset["options"]["core_exchange_rate"]["quote"]["asset_id"], "1.3.1");
    assert_eq!(run.balance("init0", "1.3.1"), 1_000_000 - 250);
}

#[test]
fn malformed_input_exits_2_naming_the_bad_field() {
    let run = apply(
        &json!({"genesis": "dev", "blocks": [{"timestamp": "2026-01-01T00:00:05", "transactions": [{"operations": [[0, {"amount": "lots"}]]}]}]}),
    );
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("blocks[0].transactions[0]"), "{}", run.stderr);
    let run = apply(&json!({"genesis": "dev", "blocks": [{"timestamp": "yesterday"}]}));
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("blocks[0].timestamp"), "{}", run.stderr);
    let run = apply(&json!({"genesis": 7}));
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("genesis"), "{}", run.stderr);
    assert!(run.lines.is_empty());
}
