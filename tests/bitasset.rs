//! End-to-end BitAsset scenario through the real `graphene apply` binary with signed
//! transactions: `nathan` creates the core-backed bitasset `USD`, makes himself its feed
//! producer, borrows against core, offers some USD on the book, then publishes a lower feed that
//! makes his position callable: the margin call fills against his order inside the feed's
//! transaction. Pins the CLI surface: the `fill_order` virtual ops of a margin call and the
//! `call_orders` / `bitasset_data` queries. The rules themselves are in `engine/tests/bitasset.rs`.

mod common;

use common::{apply, dev_key, genesis_with_balance_for, nathan_tx};
use ledger::asset::{Asset, Price};
use ledger::genesis::{GenesisState, DEV_GENESIS_JSON};
use ledger::ids::{AccountId, AssetId, BalanceId, CORE_ASSET};
use ledger::ops::*;
use ledger::time::TimePointSec;
use serde_json::json;

const NATHAN: AccountId = AccountId(17);
const USD: AssetId = AssetId(1);

fn feed(core: i64) -> Operation {
    Operation::AssetPublishFeed(AssetPublishFeedOp {
        publisher: NATHAN,
        asset_id: USD,
        feed: PriceFeed {
            settlement_price: Price::new(Asset::new(100, USD), Asset::core(core)),
            core_exchange_rate: Price::new(Asset::new(1, USD), Asset::core(10)),
            ..Default::default()
        },
        ..Default::default()
    })
}

fn claim(key: ledger::keys::PublicKey) -> Operation {
    Operation::BalanceClaim(BalanceClaimOp {
        deposit_to_account: NATHAN,
        balance_to_claim: BalanceId(0),
        balance_owner_key: key,
        total_claimed: Asset::core(10_000_000_000_000),
        ..Default::default()
    })
}

/// `USD` backed by core, issued by nathan, with the given issuer permissions.
fn create_usd(issuer_permissions: u16) -> Operation {
    Operation::AssetCreate(AssetCreateOp {
        issuer: NATHAN,
        symbol: "USD".into(),
        precision: 4,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::core(10), Asset::new(1, USD)),
            issuer_permissions,
            ..Default::default()
        },
        bitasset_opts: Some(BitassetOptions { short_backing_asset: CORE_ASSET, ..Default::default() }),
        ..Default::default()
    })
}

fn nathan_feeds_usd() -> Operation {
    Operation::AssetUpdateFeedProducers(AssetUpdateFeedProducersOp {
        issuer: NATHAN,
        asset_to_update: USD,
        new_feed_producers: [NATHAN].into_iter().collect(),
        ..Default::default()
    })
}

/// nathan borrows 1000 USD against 20,000 core.
fn borrow() -> Operation {
    Operation::CallOrderUpdate(CallOrderUpdateOp {
        funding_account: NATHAN,
        delta_collateral: Asset::core(20_000),
        delta_debt: Asset::new(1000, USD),
        ..Default::default()
    })
}

#[test]
fn margin_call_after_feed_drop_appears_as_fill_order_virtual_ops() {
    let g: GenesisState = serde_json::from_str(DEV_GENESIS_JSON).unwrap();
    let t0 = g.initial_timestamp;
    let key = dev_key("nathan").public_key();
    let sell = Operation::LimitOrderCreate(LimitOrderCreateOp {
        seller: NATHAN,
        amount_to_sell: Asset::new(100, USD),
        min_to_receive: Asset::core(1500),
        expiration: TimePointSec::MAX,
        ..Default::default()
    });
    let exp = t0.plus(3600);
    let scenario = json!({
        "genesis": genesis_with_balance_for(&key),
        "chain_id": hex::encode(common::dev_chain_id().0),
        "blocks": [
            {"timestamp": t0.plus(5).to_string(), "transactions": [nathan_tx(&g, exp, vec![claim(key), create_usd(flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION), nathan_feeds_usd()])]},
            {"timestamp": t0.plus(25).to_string(), "transactions": [nathan_tx(&g, exp, vec![feed(1000), borrow(), sell])]},
            // 100 USD / 1200 core: maintenance 21 core/USD ≥ 20, so the position takes the order
            // at its 15 core/USD: the order receives 1500 core, the position pays 1500.
            {"timestamp": t0.plus(30).to_string(), "transactions": [nathan_tx(&g, exp, vec![feed(1200)])]},
        ],
        "query": [{"call_orders": "USD"}, {"bitasset_data": "USD"}],
    });
    let run = apply(&scenario);
    assert_eq!(run.status, 0, "{}\n{:#?}", run.stderr, run.lines);
    for b in 1..=3 {
        assert_eq!(run.trx(b, 0)["ok"], true, "{:#?}", run.lines);
    }
    let fills = run.trx(3, 0)["virtual_ops"].as_array().unwrap().clone();
    assert_eq!(fills.len(), 2, "{fills:#?}");
    assert_eq!(fills[0][0], 4);
    assert_eq!(fills[0][1]["order_id"], "1.8.0");
    assert_eq!(fills[0][1]["pays"], json!({"amount": 1500, "asset_id": "1.3.0"}));
    assert_eq!(fills[0][1]["receives"], json!({"amount": 100, "asset_id": "1.3.1"}));
    assert_eq!(fills[0][1]["is_maker"], false);
    assert_eq!(fills[1][1]["order_id"], "1.7.0");
    assert_eq!(fills[1][1]["is_maker"], true);
    let calls = &run.query(&json!({"call_orders": "USD"}))["call_orders"];
    assert_eq!(calls[0]["collateral"], 18_500);
    assert_eq!(calls[0]["debt"], 900);
    let bad = &run.query(&json!({"bitasset_data": "USD"}))["bitasset_data"];
    assert_eq!(bad["current_feed"]["settlement_price"]["quote"]["amount"], 1200);
}

/// The settlement operations through the binary: the issuer globally settles `USD` at
/// 100 USD / 1000 core (op 18), the holder settles 100 USD from the fund (op 17), and a bid to
/// take over the debt (op 45) is placed. Pins their JSON results and the `bitasset_data` query.
#[test]
fn global_settlement_fund_and_bid_through_apply() {
    const GS_PERMISSIONS: u16 = flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION | flags::GLOBAL_SETTLE;
    let g: GenesisState = serde_json::from_str(DEV_GENESIS_JSON).unwrap();
    let t0 = g.initial_timestamp;
    let key = dev_key("nathan").public_key();
    let global_settle = Operation::AssetGlobalSettle(AssetGlobalSettleOp {
        issuer: NATHAN,
        asset_to_settle: USD,
        settle_price: Price::new(Asset::new(100, USD), Asset::core(1000)),
        ..Default::default()
    });
    let settle =
        Operation::AssetSettle(AssetSettleOp { account: NATHAN, amount: Asset::new(100, USD), ..Default::default() });
    let bid = Operation::BidCollateral(BidCollateralOp {
        bidder: NATHAN,
        additional_collateral: Asset::core(5_000),
        debt_covered: Asset::new(900, USD),
        ..Default::default()
    });
    let exp = t0.plus(3600);
    let scenario = json!({
        "genesis": genesis_with_balance_for(&key),
        "chain_id": hex::encode(common::dev_chain_id().0),
        "blocks": [
            {"timestamp": t0.plus(5).to_string(), "transactions": [nathan_tx(&g, exp, vec![claim(key), create_usd(GS_PERMISSIONS), nathan_feeds_usd()])]},
            {"timestamp": t0.plus(25).to_string(), "transactions": [nathan_tx(&g, exp, vec![feed(1000), borrow()])]},
            {"timestamp": t0.plus(30).to_string(), "transactions": [nathan_tx(&g, exp, vec![global_settle])]},
            {"timestamp": t0.plus(35).to_string(), "transactions": [nathan_tx(&g, exp, vec![settle, bid])]},
        ],
        "query": [{"call_orders": "USD"}, {"bitasset_data": "USD"}],
    });
    let run = apply(&scenario);
    assert_eq!(run.status, 0, "{}\n{:#?}", run.stderr, run.lines);
    for b in 1..=4 {
        assert_eq!(run.trx(b, 0)["ok"], true, "{:#?}", run.lines);
    }
    // Settling 100 USD of the 1000 pays 100 × 10,000 / 1000 = 1000 core from the fund, with no
    // collateral fee: the fund's 10 core/USD is below the 15 core/USD the margin-call price gives.
    let settled = &run.trx(4, 0)["operation_results"][0];
    assert_eq!(settled[0], 5, "extendable_operation_result");
    assert_eq!(settled[1]["paid"], json!([{"amount": 100, "asset_id": "1.3.1"}]));
    assert_eq!(settled[1]["received"], json!([{"amount": 1000, "asset_id": "1.3.0"}]));
    assert_eq!(run.trx(4, 0)["operation_results"][1], json!([0, {}]), "bid_collateral returns void");
    // The position paid 1000 USD × 10 core/USD = 10,000 core into the fund and was closed.
    assert_eq!(run.query(&json!({"call_orders": "USD"}))["call_orders"], json!([]));
    let bad = &run.query(&json!({"bitasset_data": "USD"}))["bitasset_data"];
    assert_eq!(bad["settlement_price"]["base"], json!({"amount": 1000, "asset_id": "1.3.1"}));
    assert_eq!(bad["settlement_price"]["quote"], json!({"amount": 10_000, "asset_id": "1.3.0"}));
    assert_eq!(bad["settlement_fund"], 9_000);
}
