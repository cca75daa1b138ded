//! A user-issued asset for market tests, created through the asset evaluator outside any block.

use engine::chain::Chain;
use engine::evaluators::{Context, Skip};
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId};
use ledger::ops::{AssetCreateOp, AssetOptions, OperationResult};

/// Create `symbol` (precision 4, no market fees) issued by `issuer`, with `core` core worth one
/// unit as its core exchange rate and `pool` core in its fee pool.
pub fn create_user_asset(chain: &mut Chain, issuer: AccountId, symbol: &str, core: i64, pool: i64) -> AssetId {
    let ctx = Context {
        now: chain.head_time(),
        block_time: chain.head_time(),
        block_num: 1,
        skip: Skip { fee_schedule: true },
    };
    let op = AssetCreateOp {
        issuer,
        symbol: symbol.into(),
        precision: 4,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::core(core), Asset::new(1, AssetId(1))),
            ..Default::default()
        },
        ..Default::default()
    };
    match engine::evaluators::asset::apply_create(&mut chain.state, &ctx, &op, pool) {
        OperationResult::ObjectId(o) => AssetId::try_from(o).unwrap(),
        other => panic!("asset_create returned {other:?}"),
    }
}
