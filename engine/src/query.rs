//! Read-only views of the state in the JSON shapes of the BitShares API (`get_objects`,
//! `get_account_balances`, market queries), used by `graphene apply` now and by the websocket API later.

use crate::dex::{matching, Depth, LevelView};
use crate::state::State;
use ledger::asset::{Asset, Price};
use ledger::ids::*;
use ledger::objects::LimitOrderObject;
use ledger::prefix::{to_json, Prefix};
use serde_json::Value;

/// The object with this id as `get_objects` shows it, or `null`; public keys and addresses are
/// printed with `prefix`.
pub fn get_object(state: &State, id: ObjectId, prefix: Prefix) -> Value {
    let i = id.instance();
    let v = match (id.space(), id.type_id()) {
        (1, 2) => state.accounts.get(i).map(|o| to_json(o, prefix)),
        (1, 3) => state.assets.get(i).map(|o| to_json(o, prefix)),
        (1, 5) => state.committee_members.get(i).map(|o| to_json(o, prefix)),
        (1, 6) => state.witnesses.get(i).map(|o| to_json(o, prefix)),
        (1, 4) => state.force_settlements.get(i).map(|o| to_json(o, prefix)),
        (1, 7) => state.limit_orders.get(i).map(|o| to_json(o, prefix)),
        (1, 8) => state.call_orders.get(i).map(|o| to_json(o, prefix)),
        (1, 13) => state.vesting_balances.get(i).map(|o| to_json(o, prefix)),
        (1, 15) => state.genesis_balances.get(i).map(|o| to_json(o, prefix)),
        (2, 0) => state.global.get(i).map(|o| to_json(o, prefix)),
        (2, 1) => state.dynamic_global.get(i).map(|o| to_json(o, prefix)),
        (2, 3) => state.asset_dynamic.get(i).map(|o| to_json(o, prefix)),
        (2, 4) => state.bitasset_data.get(i).map(|o| to_json(o, prefix)),
        (2, 5) => state.balances.get(i).map(|o| to_json(o, prefix)),
        (2, 6) => state.statistics.get(i).map(|o| to_json(o, prefix)),
        (2, 7) => state.recent_transactions.get(i).map(|o| to_json(o, prefix)),
        (2, 8) => state.block_summaries.get(i).map(|o| to_json(o, prefix)),
        (2, 11) => state.chain_property.get(i).map(|o| to_json(o, prefix)),
        (2, 12) => state.witness_schedule.get(i).map(|o| to_json(o, prefix)),
        (2, 17) => state.collateral_bids.get(i).map(|o| to_json(o, prefix)),
        _ => None,
    };
    match v {
        Some(Ok(v)) => v,
        _ => Value::Null,
    }
}

/// An account by id text (`1.2.17`) or by name.
pub fn find_account(state: &State, id_or_name: &str) -> Option<AccountId> {
    match id_or_name.parse::<AccountId>() {
        Ok(id) => state.account(id).map(|a| a.id),
        Err(_) => state.account_by_name(id_or_name).map(|a| a.id),
    }
}

/// `get_account_balances(account, [])`: every asset the account holds a balance object of, in
/// asset order, zero balances included (as bitshares-core returns them).
pub fn account_balances(state: &State, account: AccountId) -> Vec<Asset> {
    state
        .balances
        .index()
        .of_owner(account)
        .filter_map(|i| state.balances.get(i))
        .map(|b| Asset::new(b.balance, b.asset_type))
        .collect()
}

// ---- markets ----

/// The orders selling `sell` for `receive`, best first (price–time priority).
pub fn side_orders(state: &State, sell: AssetId, receive: AssetId) -> impl Iterator<Item = &LimitOrderObject> + '_ {
    state.limit_orders.index().side(sell, receive).filter_map(|i| state.limit_orders.get(i))
}

/// Group one side into price levels (equal price values, any terms), best first, at most
/// `depth` levels (`None`: all).
fn levels<'a>(orders: impl Iterator<Item = &'a LimitOrderObject>, depth: Option<usize>) -> Vec<LevelView> {
    let mut out: Vec<LevelView> = Vec::new();
    for o in orders {
        if let Some(last) = out.last_mut() {
            let p = &last.price;
            let same =
                matching::value_cmp(p.base.amount, p.quote.amount, o.sell_price.base.amount, o.sell_price.quote.amount)
                    == std::cmp::Ordering::Equal;
            if same {
                last.for_sale += o.for_sale;
                last.orders += 1;
                continue;
            }
        }
        if depth.is_some_and(|d| out.len() >= d) {
            break;
        }
        out.push(LevelView { price: matching::reduced(o.sell_price), for_sale: o.for_sale, orders: 1 });
    }
    out
}

/// Order book depth of the market `base`/`quote` aggregated by price level: `asks` sell `base`
/// for `quote`, `bids` sell `quote` for `base`, each best first with its own `sell_price`
/// reduced to lowest terms.
pub fn order_book(state: &State, base: AssetId, quote: AssetId, depth: Option<usize>) -> Depth {
    Depth { asks: levels(side_orders(state, base, quote), depth), bids: levels(side_orders(state, quote, base), depth) }
}

/// Best ask (selling `base`) and best bid (selling `quote`) prices of the market, if any.
pub fn best_bid_ask(state: &State, base: AssetId, quote: AssetId) -> (Option<Price>, Option<Price>) {
    let best = |s, r| side_orders(state, s, r).next().map(|o| o.sell_price);
    (best(quote, base), best(base, quote))
}

/// Every open order of both directions of a market, asks first, each side best first.
pub fn market_orders(state: &State, base: AssetId, quote: AssetId) -> Vec<&LimitOrderObject> {
    side_orders(state, base, quote).chain(side_orders(state, quote, base)).collect()
}

/// An account's open orders, by id.
pub fn open_orders(state: &State, account: AccountId) -> Vec<&LimitOrderObject> {
    let idx = &state.limit_orders.index().by_seller;
    idx.range((account, 0)..=(account, u64::MAX)).filter_map(|(_, i)| state.limit_orders.get(*i)).collect()
}

/// A level as JSON: `{"price": {base, quote}, "for_sale": "N", "orders": k}`.
pub fn level_json(l: &LevelView) -> Value {
    serde_json::json!({
        "price": serde_json::to_value(l.price).unwrap_or(Value::Null),
        "for_sale": l.for_sale,
        "orders": l.orders,
    })
}

/// [`order_book`] as JSON: `{"base", "quote", "asks": [level], "bids": [level]}`.
pub fn order_book_json(state: &State, base: AssetId, quote: AssetId, depth: Option<usize>) -> Value {
    let d = order_book(state, base, quote, depth);
    serde_json::json!({
        "base": base.to_string(),
        "quote": quote.to_string(),
        "asks": d.asks.iter().map(level_json).collect::<Vec<_>>(),
        "bids": d.bids.iter().map(level_json).collect::<Vec<_>>(),
    })
}

/// `get_vesting_balances(account)`: the account's vesting balance objects (cashback, worker,
/// user vesting), in id order, as `get_objects` shows them.
pub fn vesting_balances(state: &State, account: AccountId) -> Vec<Value> {
    state
        .vesting_balances
        .index()
        .of_owner(account)
        .filter_map(|i| state.vesting_balances.get(i))
        .filter_map(|vb| serde_json::to_value(vb).ok())
        .collect()
}

// ---- bitassets ----

/// An asset by id text (`1.3.1`) or by symbol.
pub fn find_asset(state: &State, id_or_symbol: &str) -> Option<AssetId> {
    match id_or_symbol.parse::<AssetId>() {
        Ok(id) => state.asset(id).map(|a| a.id),
        Err(_) => state.asset_by_symbol(id_or_symbol).map(|a| a.id),
    }
}

/// `get_call_orders(asset, limit)`: the debt positions of a bitasset, least collateralized
/// first (the order margin calls take them), at most `limit`.
pub fn call_orders(state: &State, asset: AssetId, limit: usize) -> Vec<Value> {
    state
        .call_orders
        .index()
        .by_collateral(asset)
        .take(limit)
        .filter_map(|i| state.call_orders.get(i))
        .filter_map(|c| serde_json::to_value(c).ok())
        .collect()
}

/// The bitasset data object (2.4.x) of an asset, or `null` for a user-issued one.
pub fn bitasset_data(state: &State, asset: AssetId) -> Value {
    state.bitasset_data(asset).and_then(|b| serde_json::to_value(b).ok()).unwrap_or(Value::Null)
}
