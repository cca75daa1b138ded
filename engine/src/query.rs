//! Typed read-only queries of the state, one per BitShares API call this node answers
//! (`get_objects`, `get_account_balances`, market and BitAsset queries). They return objects
//! by reference and plain values; the JSON shapes (and the address prefix keys are printed
//! with) belong to the edge that serves them: `graphene apply` now, the websocket API later.
//! They read any [`State`]: the writer's, or a read replica's.

use crate::dex::{Depth, LimitOrderBook, Side};
use crate::state::State;
use ledger::asset::{Asset, Price};
use ledger::ids::*;
use ledger::objects::*;

/// An object of any type the state holds, by reference: what `get_objects` returns for one id.
#[derive(Clone, Copy, Debug)]
pub enum ObjectRef<'a> {
    Account(&'a AccountObject),
    Asset(&'a AssetObject),
    ForceSettlement(&'a ForceSettlementObject),
    CommitteeMember(&'a CommitteeMemberObject),
    Witness(&'a WitnessObject),
    LimitOrder(&'a LimitOrderObject),
    CallOrder(&'a CallOrderObject),
    VestingBalance(&'a VestingBalanceObject),
    GenesisBalance(&'a BalanceObject),
    Global(&'a GlobalPropertyObject),
    DynamicGlobal(&'a DynamicGlobalPropertyObject),
    AssetDynamic(&'a AssetDynamicDataObject),
    BitassetData(&'a AssetBitassetDataObject),
    Balance(&'a AccountBalanceObject),
    Statistics(&'a AccountStatisticsObject),
    RecentTransaction(&'a TransactionHistoryObject),
    BlockSummary(&'a BlockSummaryObject),
    ChainProperty(&'a ChainPropertyObject),
    WitnessSchedule(&'a WitnessScheduleObject),
    CollateralBid(&'a CollateralBidObject),
}

/// The object with this id, if the state holds one (`get_objects` for one id).
pub fn get_object(state: &State, id: ObjectId) -> Option<ObjectRef<'_>> {
    use ObjectRef as R;
    let i = id.instance();
    match (id.space(), id.type_id()) {
        (1, 2) => state.accounts.get(i).map(R::Account),
        (1, 3) => state.assets.get(i).map(R::Asset),
        (1, 4) => state.force_settlements.get(i).map(R::ForceSettlement),
        (1, 5) => state.committee_members.get(i).map(R::CommitteeMember),
        (1, 6) => state.witnesses.get(i).map(R::Witness),
        (1, 7) => state.limit_orders.get(i).map(R::LimitOrder),
        (1, 8) => state.call_orders.get(i).map(R::CallOrder),
        (1, 13) => state.vesting_balances.get(i).map(R::VestingBalance),
        (1, 15) => state.genesis_balances.get(i).map(R::GenesisBalance),
        (2, 0) => state.global.get(i).map(R::Global),
        (2, 1) => state.dynamic_global.get(i).map(R::DynamicGlobal),
        (2, 3) => state.asset_dynamic.get(i).map(R::AssetDynamic),
        (2, 4) => state.bitasset_data.get(i).map(R::BitassetData),
        (2, 5) => state.balances.get(i).map(R::Balance),
        (2, 6) => state.statistics.get(i).map(R::Statistics),
        (2, 7) => state.recent_transactions.get(i).map(R::RecentTransaction),
        (2, 8) => state.block_summaries.get(i).map(R::BlockSummary),
        (2, 11) => state.chain_property.get(i).map(R::ChainProperty),
        (2, 12) => state.witness_schedule.get(i).map(R::WitnessSchedule),
        (2, 17) => state.collateral_bids.get(i).map(R::CollateralBid),
        _ => None,
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

/// Order book depth of the market `base`/`quote` aggregated by price level: `asks` sell `base`
/// for `quote`, `bids` sell `quote` for `base`, each best first with its own `sell_price`
/// reduced to lowest terms, at most `depth` levels a side (`None`: all). Read off the levels of
/// the chain's order book, so its cost follows the levels returned, not the orders.
pub fn order_book(state: &State, base: AssetId, quote: AssetId, depth: Option<usize>) -> Depth {
    let Some(book) = state.limit_orders.index().books.book(base, quote) else { return Depth::default() };
    let d = book.depth(depth.unwrap_or(usize::MAX));
    // The book's asks sell the pair's lower asset id; the caller's `base` may be the other one.
    if book.pair().side_of(base, quote) == Some(Side::Ask) {
        d
    } else {
        Depth { asks: d.bids, bids: d.asks }
    }
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

/// `get_vesting_balances(account)`: the account's vesting balance objects (cashback, worker,
/// user vesting), in id order.
pub fn vesting_balances(state: &State, account: AccountId) -> Vec<&VestingBalanceObject> {
    state.vesting_balances.index().of_owner(account).filter_map(|i| state.vesting_balances.get(i)).collect()
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
pub fn call_orders(state: &State, asset: AssetId, limit: usize) -> Vec<&CallOrderObject> {
    state.call_orders.index().by_collateral(asset).take(limit).filter_map(|i| state.call_orders.get(i)).collect()
}

/// The bitasset data object (2.4.x) of an asset; `None` for a user-issued one.
pub fn bitasset_data(state: &State, asset: AssetId) -> Option<&AssetBitassetDataObject> {
    state.bitasset_data(asset)
}
