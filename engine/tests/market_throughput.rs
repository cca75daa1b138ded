//! How fast the engine's limit-order path is with the arena's ordered index as the book (the
//! choice documented in `evaluators::market`): a seeded stream of resting, marketable and
//! cancel operations applied through `apply_operation` with undo off, as replay runs.
//! Ignored by default (a measurement, not a check); run it in release:
//!
//!     cargo test --release -p engine --test market_throughput -- --ignored --nocapture

use engine::dex::seeded::SplitMix64;
use engine::evaluators::{adjust_balance, apply_operation, Context, Skip};
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, LimitOrderId};
use ledger::ops::*;
use ledger::time::TimePointSec;
use std::time::Instant;

#[test]
#[ignore]
fn engine_limit_order_throughput() {
    let genesis: ledger::genesis::GenesisState = serde_json::from_str(ledger::genesis::DEV_GENESIS_JSON).unwrap();
    let id = engine::genesis::chain_id_of(&genesis, ledger::genesis::DEV_GENESIS_JSON);
    let mut state = engine::genesis::build(&genesis, id).unwrap();
    state.set_undo_enabled(false);
    let ctx = Context {
        now: state.dgp().time,
        block_time: state.dgp().time,
        block_num: 1,
        skip: Skip { fee_schedule: true },
    };
    let create = AssetCreateOp {
        issuer: AccountId(17),
        symbol: "USD".into(),
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::core(1), Asset::new(1, AssetId(1))),
            ..Default::default()
        },
        ..Default::default()
    };
    engine::evaluators::asset::apply_create(&mut state, &ctx, &create, 0);
    let usd = AssetId(1);
    let traders: Vec<AccountId> = (6..=16).map(AccountId).collect();
    for t in &traders {
        adjust_balance(&mut state, *t, Asset::core(1 << 50)).unwrap();
        adjust_balance(&mut state, *t, Asset::new(1 << 50, usd)).unwrap();
    }
    let mut rng = SplitMix64(1);
    let mut live: Vec<LimitOrderId> = Vec::new();
    let n: usize = std::env::var("MARKET_OPS").ok().and_then(|v| v.parse().ok()).unwrap_or(300_000);
    let (mut fills, mut placed, mut applied) = (0usize, 0usize, 0usize);
    let mid = 100_000i64;
    let start = Instant::now();
    for _ in 0..n {
        let seller = traders[rng.below(traders.len() as u64) as usize];
        let r = rng.below(100);
        let op = if r < 35 && !live.is_empty() {
            let i = rng.below(live.len() as u64) as usize;
            let order = live.swap_remove(i);
            match state.limit_orders.get(order.0) {
                Some(o) => Operation::LimitOrderCancel(LimitOrderCancelOp {
                    fee_paying_account: o.seller,
                    order,
                    ..Default::default()
                }),
                None => continue,
            }
        } else {
            // 10 % marketable (crossing by up to 20 ticks), the rest resting up to 400 ticks away.
            let ask = rng.below(2) == 0;
            let marketable = r >= 90;
            let off = if marketable { -(rng.below(20) as i64) } else { 1 + rng.below(400) as i64 };
            let qty = 1 + rng.below(100) as i64;
            let tick = if ask { mid + off } else { mid - off };
            let (sell, receive) = if ask {
                (Asset::core(qty), Asset::new(qty * tick, usd))
            } else {
                (Asset::new(qty * tick, usd), Asset::core(qty))
            };
            Operation::LimitOrderCreate(LimitOrderCreateOp {
                seller,
                amount_to_sell: sell,
                min_to_receive: receive,
                expiration: TimePointSec::MAX,
                ..Default::default()
            })
        };
        state.virtual_ops.clear();
        let result = apply_operation(&mut state, &ctx, &op).unwrap();
        applied += 1;
        fills += state.virtual_ops.iter().filter(|v| matches!(v, Operation::FillOrder(_))).count();
        if let OperationResult::ObjectId(o) = result {
            placed += 1;
            let id = LimitOrderId::try_from(o).unwrap();
            if state.limit_orders.contains(id.0) {
                live.push(id);
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "engine limit-order path: {applied} ops ({placed} creates, {fills} fill sides) in {secs:.3} s = {:.0} ops/s; {} resting at the end",
        applied as f64 / secs,
        state.limit_orders.len()
    );
}
