//! account_update (key rotation), asset_update (permission and flag rules) and
//! asset_update_issuer (owner authority), through `graphene apply` on the dev chain.

mod common;

use common::{apply, dev_key, sign};
use ledger::crypto::PrivateKey;
use serde_json::{json, Value};

const NATHAN: &str = "1.2.17";

fn tx(ops: Vec<Value>) -> Value {
    json!({"ref_block_num": 0, "ref_block_prefix": 0, "expiration": "2026-01-01T01:00:00", "operations": ops})
}

fn block(ts: &str, txs: Vec<Value>) -> Value {
    json!({"timestamp": ts, "transactions": txs})
}

fn claim() -> Value {
    json!([37, {"fee": {"amount": 0, "asset_id": "1.3.0"}, "deposit_to_account": NATHAN, "balance_to_claim": "1.15.11",
        "balance_owner_key": dev_key("nathan").public_key(),
        "total_claimed": {"amount": 10_000_000_000_000_i64, "asset_id": "1.3.0"}}])
}

fn transfer(amount: i64) -> Value {
    json!([0, {"fee": {"amount": 2_000_000, "asset_id": "1.3.0"}, "from": NATHAN, "to": "1.2.6",
        "amount": {"amount": amount, "asset_id": "1.3.0"}}])
}

#[test]
fn account_update_rotates_the_active_key() {
    let old = dev_key("nathan");
    let new = PrivateKey::from_password("nathan", "active", "new-password").unwrap();
    let update = json!([6, {"fee": {"amount": 2_000_000, "asset_id": "1.3.0"}, "account": NATHAN,
        "active": {"weight_threshold": 1, "account_auths": [], "key_auths": [[new.public_key(), 1]], "address_auths": []}}]);
    let run = apply(&json!({"genesis": "dev", "blocks": [
        block("2026-01-01T00:00:05", vec![sign(tx(vec![claim()]), &[&old])]),
        block("2026-01-01T00:00:25", vec![sign(tx(vec![update]), &[&old])]),
        block("2026-01-01T00:00:30", vec![sign(tx(vec![transfer(1)]), &[&old]), sign(tx(vec![transfer(2)]), &[&new])]),
    ], "query": ["1.2.17"]}));
    assert_eq!(run.trx(2, 0)["ok"], true, "{:#?}", run.lines);
    assert_eq!(run.trx(3, 0)["code"], "tx_missing_active_auth", "the old key no longer signs");
    assert_eq!(run.trx(3, 1)["ok"], true, "the new key does");
    let account = &run.query(&json!("1.2.17"))["object"];
    assert_eq!(account["active"]["key_auths"][0][0], new.public_key().to_string_with_prefix("TEST"));
    assert_eq!(account["owner"]["key_auths"][0][0], dev_key_owner().public_key().to_string_with_prefix("TEST"));
}

fn dev_key_owner() -> PrivateKey {
    PrivateKey::from_password("nathan", "owner", "dev").unwrap()
}

fn options(max_supply: i64, permissions: u16, flags: u16) -> Value {
    json!({"max_supply": max_supply, "market_fee_percent": 0, "max_market_fee": 0,
        "issuer_permissions": permissions, "flags": flags,
        "core_exchange_rate": {"base": {"amount": 1, "asset_id": "1.3.0"}, "quote": {"amount": 1, "asset_id": "1.3.1"}},
        "description": ""})
}

fn asset_update(new_options: Value) -> Value {
    json!([11, {"fee": {"amount": 50_000_100, "asset_id": "1.3.0"}, "issuer": NATHAN, "asset_to_update": "1.3.1",
        "new_options": new_options}])
}

#[test]
fn asset_update_follows_issuer_permissions() {
    let nathan = dev_key("nathan");
    // Permissions: charge_market_fee | white_list | override_authority (0x07); flags none.
    let create = json!([10, {"fee": {"amount": 500_000_100, "asset_id": "1.3.0"}, "issuer": NATHAN, "symbol": "NATHANCOIN",
        "precision": 2, "common_options": options(1_000_000, 0x07, 0)}]);
    let issue = json!([14, {"fee": {"amount": 2_000_097, "asset_id": "1.3.0"}, "issuer": NATHAN,
        "asset_to_issue": {"amount": 500, "asset_id": "1.3.1"}, "issue_to_account": NATHAN}]);
    let run = apply(&json!({"genesis": "dev", "blocks": [
        block("2026-01-01T00:00:05", vec![sign(tx(vec![claim()]), &[&nathan])]),
        block("2026-01-01T00:00:25", vec![sign(tx(vec![create]), &[&nathan])]),
        block("2026-01-01T00:00:30", vec![
            // white_list (0x02) is permitted: may be set.
            sign(tx(vec![asset_update(options(1_000_000, 0x07, 0x02))]), &[&nathan]),
            // transfer_restricted (0x08) is not permitted.
            sign(tx(vec![asset_update(options(1_000_000, 0x07, 0x0a))]), &[&nathan]),
            sign(tx(vec![issue]), &[&nathan]),
        ]),
        block("2026-01-01T00:00:35", vec![
            // With supply, a revoked permission (0x08) cannot come back...
            sign(tx(vec![asset_update(options(1_000_000, 0x0f, 0x02))]), &[&nathan]),
            // ...nor can the maximum supply drop below the supply...
            sign(tx(vec![asset_update(options(499, 0x07, 0x02))]), &[&nathan]),
            // ...but a permission can still be given up.
            sign(tx(vec![asset_update(options(1_000_000, 0x03, 0x02))]), &[&nathan]),
        ]),
    ], "query": ["1.3.1"]}));
    assert_eq!(run.trx(3, 0)["ok"], true, "{:#?}", run.lines);
    assert_eq!(run.trx(3, 1)["code"], "asset_update_forbidden");
    assert_eq!(run.trx(3, 2)["ok"], true);
    assert_eq!(run.trx(4, 0)["code"], "asset_update_forbidden");
    assert_eq!(run.trx(4, 1)["code"], "max_supply_below_supply");
    assert_eq!(run.trx(4, 1)["message"], "NATHANCOIN: maximum supply 499 is below the current supply 500");
    assert_eq!(run.trx(4, 2)["ok"], true);
    let asset = &run.query(&json!("1.3.1"))["object"];
    assert_eq!(asset["options"]["issuer_permissions"], 0x03);
    assert_eq!(asset["options"]["flags"], 0x02);
}

#[test]
fn asset_update_issuer_needs_the_owner_key() {
    let (active, owner) = (dev_key("nathan"), dev_key_owner());
    let create = json!([10, {"fee": {"amount": 500_000_100, "asset_id": "1.3.0"}, "issuer": NATHAN, "symbol": "NATHANCOIN",
        "precision": 2, "common_options": options(1_000_000, 0, 0)}]);
    let change = json!([48, {"fee": {"amount": 50_000_000, "asset_id": "1.3.0"}, "issuer": NATHAN,
        "asset_to_update": "1.3.1", "new_issuer": "1.2.6"}]);
    let run = apply(&json!({"genesis": "dev", "blocks": [
        block("2026-01-01T00:00:05", vec![sign(tx(vec![claim()]), &[&active])]),
        block("2026-01-01T00:00:25", vec![sign(tx(vec![create]), &[&active])]),
        block("2026-01-01T00:00:30", vec![
            sign(tx(vec![change.clone()]), &[&active]),
            sign(tx(vec![change]), &[&owner]),
        ]),
    ], "query": ["1.3.1"]}));
    assert_eq!(run.trx(3, 0)["code"], "tx_missing_owner_auth", "{:#?}", run.lines);
    assert_eq!(run.trx(3, 1)["ok"], true, "{:#?}", run.lines);
    assert_eq!(run.query(&json!("1.3.1"))["object"]["issuer"], "1.2.6");
}
