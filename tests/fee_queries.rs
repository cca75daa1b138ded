//! `graphene apply` shows fees along their life in bitshares-core's JSON shapes: pending fees on
//! account statistics (2.6.x), the network's cut in core asset dynamic data (2.3.0), and
//! cashback in vesting balances (1.13.x and `{"vesting_balances": account}`).

mod common;

use ledger::crypto::PrivateKey;
use serde_json::{json, Value};

/// The dev genesis with a 300 s maintenance interval, inline.
fn genesis() -> Value {
    let mut g: Value = serde_json::from_str(ledger::genesis::DEV_GENESIS_JSON).unwrap();
    g["initial_parameters"]["maintenance_interval"] = json!(300);
    g
}

/// The key of nathan's that owns genesis balance 1.15.11 (his 100,000,000 BTS).
fn nathan_balance_key() -> String {
    let g = genesis();
    let owner: ledger::keys::Address = serde_json::from_value(g["initial_balances"][11]["owner"].clone()).unwrap();
    ["owner", "active"]
        .iter()
        .map(|role| PrivateKey::from_password("nathan", role, "dev").unwrap().public_key())
        .find(|k| k.address() == owner)
        .expect("one of nathan's keys owns the balance")
        .to_string()
}

fn tx(expiration: &str, ops: Value) -> Value {
    json!({"ref_block_num": 0, "ref_block_prefix": 0, "expiration": expiration, "operations": ops,
           "extensions": [], "signatures": []})
}

/// §6.4 through the CLI: nathan (lifetime member) pays a 20 BTS transfer fee; before maintenance
/// it is pending, after it 16 BTS are his cashback and 4 BTS the network's.
#[test]
fn apply_queries_show_pending_fees_then_cashback_after_maintenance() {
    let claim = json!([37, {"fee": {"amount": 0, "asset_id": "1.3.0"}, "deposit_to_account": "1.2.17",
        "balance_to_claim": "1.15.11", "balance_owner_key": nathan_balance_key(),
        "total_claimed": {"amount": "10000000000000", "asset_id": "1.3.0"}}]);
    let pay = json!([0, {"fee": {"amount": 2_000_000, "asset_id": "1.3.0"}, "from": "1.2.17", "to": "1.2.8",
        "amount": {"amount": 1, "asset_id": "1.3.0"}}]);
    let queries = json!(["2.6.17", "2.3.0", {"vesting_balances": "nathan"}]);
    let before = common::apply(&json!({
        "genesis": genesis(), "skip_signatures": true,
        "blocks": [{"timestamp": "2026-01-01T00:00:05", "transactions": []},
                   {"timestamp": "2026-01-01T00:01:00", "transactions": [tx("2026-01-01T00:02:00", json!([claim, pay]))]}],
        "query": queries,
    }));
    assert_eq!(before.status, 0, "{}", before.stderr);
    assert_eq!(before.trx(2, 0)["ok"], true, "{:#?}", before.lines);
    let stats = &before.query(&json!("2.6.17"))["object"];
    assert_eq!(stats["pending_vested_fees"], 2_000_000);
    assert_eq!(before.query(&json!({"vesting_balances": "nathan"}))["vesting_balances"], json!([]));

    let after = common::apply(&json!({
        "genesis": genesis(), "skip_signatures": true,
        "blocks": [{"timestamp": "2026-01-01T00:00:05", "transactions": []},
                   {"timestamp": "2026-01-01T00:01:00", "transactions": [tx("2026-01-01T00:02:00", json!([claim, pay]))]},
                   {"advance_seconds": 300}],
        "query": queries,
    }));
    assert_eq!(after.status, 0, "{}", after.stderr);
    let stats = &after.query(&json!("2.6.17"))["object"];
    assert_eq!(
        (stats["pending_vested_fees"].clone(), stats["lifetime_fees_paid"].clone()),
        (json!(0), json!(2_000_000))
    );
    assert_eq!(stats["has_cashback_vb"], true);
    let core = &after.query(&json!("2.3.0"))["object"];
    let core_before = &before.query(&json!("2.3.0"))["object"];
    assert_eq!(core["accumulated_fees"].as_i64().unwrap() - core_before["accumulated_fees"].as_i64().unwrap(), 400_000);
    let vbs = after.query(&json!({"vesting_balances": "nathan"}))["vesting_balances"].clone();
    assert_eq!(vbs.as_array().unwrap().len(), 1);
    let vb = &vbs[0];
    assert_eq!(vb["id"], "1.13.0");
    assert_eq!(vb["owner"], "1.2.17");
    assert_eq!(vb["balance"], json!({"amount": 1_600_000, "asset_id": "1.3.0"}));
    assert_eq!(vb["balance_type"], "cashback");
    assert_eq!(vb["policy"][0], 1);
    assert_eq!(vb["policy"][1]["vesting_seconds"], 31_536_000);
    // Vested on arrival: 1,600,000 × 31,536,000 coin-seconds (a uint128, written as a string).
    assert_eq!(vb["policy"][1]["coin_seconds_earned"], "50457600000000");
}
