//! Limit orders and market fees (PROTOCOL.md §5.2, §5.3): `limit_order_create` (op 1),
//! `limit_order_cancel` (op 2), `limit_order_update` (op 77) (market fees are claimed with `asset_claim_fees` in `fees.rs`), the
//! matching of a new or updated order against the book (`apply_order`), fills, culls and the
//! end-of-block expiry of orders (bitshares-core `market_evaluator.cpp`, `db_market.cpp`).
//!
//! Invariants kept here:
//! * Every resting order has a positive `for_sale` that receives at least 1 at its own price
//!   (dust is culled and refunded), and the book is never crossed after an operation.
//! * Fills are at the maker's price, makers in price–time order ([`crate::state::LimitOrderIndex`]);
//!   the fill amounts come from the shared pure arithmetic in [`crate::dex::matching`].
//! * Money is conserved: what a seller pays leaves its order, what it receives minus the market
//!   fee reaches its balance, and the fee is split exactly between network, referral rewards and
//!   the asset's `accumulated_fees`. `total_core_in_orders` follows every core amount in orders.
//! * The creation fee is deferred into the order: paid to the seller's fee statistics on the
//!   first fill, refunded in the asset paid on explicit cancel, and charged the (capped) cancel
//!   fee on expiry or cull.
//!
//! The book is the fast order book of [`crate::dex::book`] kept by the arena as the orders'
//! index ([`crate::state::LimitOrderIndex`]), so an undone transaction or popped block restores
//! it exactly through the same undo session as the orders themselves; the matching below walks
//! it best-first and does its own fills, because fees, deferred fees and margin calls interleave
//! with every fill. `engine/tests/chain_book_differential.rs` checks it against
//! [`crate::dex::ReferenceBook`]. Nothing here reads a clock: expiry compares with block time.
//!
//! Margin calls and settlement (§5.4–§5.9) live in [`crate::bitasset`]; `apply_order` calls into
//! it when a taker reaches callable positions. Take-profit `on_fill` actions are refused as
//! unsupported. Market-fee rewards and
//! the network share go into the recipients' instantly vesting market-fee-sharing balances, as in
//! bitshares-core.

use super::{adjust_balance, amount, pay_fee, require_account, require_asset, Context, PreparedFee};
use crate::dex::matching::{self, MatchResult, OrderView};
use crate::error::Rejection;
use crate::evaluators::is_authorized_asset;
use crate::state::State;
use ledger::asset::{cut_percent, Asset, Price};
use ledger::ids::{AccountId, AssetId, LimitOrderId, COMMITTEE_ACCOUNT, CORE_ASSET, TEMP_ACCOUNT};
use ledger::objects::{AssetObject, LimitOrderObject};
use ledger::ops::flags;
use ledger::ops::{
    FillOrderOp, LimitOrderCancelOp, LimitOrderCreateOp, LimitOrderUpdateOp, Operation, OperationResult,
};
use ledger::time::TimePointSec;

// ---- checks shared by create and update ----

/// The sell asset's market white/blacklist and `is_authorized_asset` for both assets.
fn check_market(state: &State, seller: AccountId, sell: &AssetObject, receive: &AssetObject) -> Result<(), Rejection> {
    let wl = &sell.options.whitelist_markets;
    if !wl.is_empty() && !wl.contains(&receive.id) {
        return Err(Rejection::MarketNotWhitelisted { sell: sell.symbol.clone(), receive: receive.symbol.clone() });
    }
    if sell.options.blacklist_markets.contains(&receive.id) {
        return Err(Rejection::MarketBlacklisted { sell: sell.symbol.clone(), receive: receive.symbol.clone() });
    }
    for a in [sell, receive] {
        if !is_authorized_asset(state, seller, a) {
            return Err(Rejection::NotAuthorizedForAsset { account: seller, asset: a.symbol.clone() });
        }
    }
    Ok(())
}

/// The `on_fill` action list: when present it must hold exactly one action for
/// `limit_order_create` (market_evaluator.cpp:47) and at most one for `limit_order_update`
/// (market_evaluator.cpp:176); an empty list is refused on create. Take-profit actions themselves
/// are not executed by this node yet.
fn check_on_fill(
    op: &'static str,
    on_fill: Option<&Vec<ledger::ops::LimitOrderAutoAction>>,
    allowed: std::ops::RangeInclusive<usize>,
) -> Result<(), Rejection> {
    let Some(actions) = on_fill else { return Ok(()) };
    if !allowed.contains(&actions.len()) {
        return Err(Rejection::OnFillActionCount {
            op,
            count: actions.len(),
            min: *allowed.start(),
            max: *allowed.end(),
        });
    }
    if !actions.is_empty() {
        return Err(Rejection::Unsupported { op, reason: "take-profit on_fill actions are not supported yet" });
    }
    Ok(())
}

fn check_expiration(ctx: &Context, expiration: TimePointSec) -> Result<(), Rejection> {
    if expiration < ctx.now {
        return Err(Rejection::OrderExpirationPast { expiration: expiration.to_string(), now: ctx.now.to_string() });
    }
    Ok(())
}

/// A limit order's non-core creation (or update) fee: only its core value leaves the fee pool
/// now; the paid amount waits in the order (`limit_order_create_evaluator::convert_fee`).
pub fn defer_fee(state: &mut State, fee: &PreparedFee) {
    if fee.fee.asset_id == CORE_ASSET || fee.core_fee_paid == 0 {
        return;
    }
    let dyn_id = state.asset(fee.fee.asset_id).expect("checked in prepare_fee").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, |d| d.fee_pool -= fee.core_fee_paid);
}

/// The fee as it is stored in an order: core value and, for a non-core fee, the amount paid.
fn deferred_parts(fee: &PreparedFee) -> (i64, Asset) {
    let paid = if fee.fee.asset_id == CORE_ASSET { Asset::core(0) } else { fee.fee };
    (fee.core_fee_paid, paid)
}

fn add_core_in_orders(state: &mut State, account: AccountId, delta: i64) {
    if delta == 0 {
        return;
    }
    let stats = state.account(account).expect("order sellers exist").statistics.0;
    state.statistics.modify(stats, |s| s.total_core_in_orders += delta);
}

// ---- limit_order_create (op 1) ----

pub fn evaluate_create(state: &State, ctx: &Context, op: &LimitOrderCreateOp) -> Result<(), Rejection> {
    require_account(state, op.seller)?;
    let sell = require_asset(state, op.amount_to_sell.asset_id)?;
    let receive = require_asset(state, op.min_to_receive.asset_id)?;
    check_expiration(ctx, op.expiration)?;
    check_on_fill("limit_order_create", op.extensions.on_fill.as_ref(), 1..=1)?;
    check_market(state, op.seller, sell, receive)?;
    let have = state.balance(op.seller, sell.id);
    if have < op.amount_to_sell.amount {
        return Err(super::insufficient(state, op.seller, sell.id, have, op.amount_to_sell.amount));
    }
    Ok(())
}

/// Move the amount into a new order (with the deferred fee), match it, and fail a fill-or-kill
/// order that would rest.
pub fn apply_create(
    state: &mut State,
    ctx: &Context,
    op: &LimitOrderCreateOp,
    fee: &PreparedFee,
) -> Result<OperationResult, Rejection> {
    if op.amount_to_sell.asset_id == CORE_ASSET {
        add_core_in_orders(state, op.seller, op.amount_to_sell.amount);
    }
    adjust_balance(state, op.seller, Asset::new(-op.amount_to_sell.amount, op.amount_to_sell.asset_id))?;
    let (deferred_fee, deferred_paid_fee) = deferred_parts(fee);
    let instance = state.limit_orders.create(|i| LimitOrderObject {
        id: LimitOrderId(i),
        expiration: op.expiration,
        seller: op.seller,
        for_sale: op.amount_to_sell.amount,
        sell_price: op.price(),
        deferred_fee,
        deferred_paid_fee,
        ..Default::default()
    });
    let gone = apply_order(state, ctx, instance)?;
    if op.fill_or_kill && !gone {
        return Err(Rejection::FillOrKillUnfilled {
            sell: amount(state, op.amount_to_sell.asset_id, op.amount_to_sell.amount),
            receive: amount(state, op.min_to_receive.asset_id, op.min_to_receive.amount),
        });
    }
    Ok(OperationResult::ObjectId(LimitOrderId(instance).object_id()))
}

// ---- limit_order_cancel (op 2) ----

fn require_own_order(state: &State, order: LimitOrderId, account: AccountId) -> Result<&LimitOrderObject, Rejection> {
    let o = state.limit_orders.get(order.0).ok_or(Rejection::UnknownLimitOrder(order))?;
    if o.seller != account {
        return Err(Rejection::NotOrderOwner { order, owner: o.seller, account });
    }
    Ok(o)
}

pub fn evaluate_cancel(state: &State, op: &LimitOrderCancelOp) -> Result<(), Rejection> {
    require_own_order(state, op.order, op.fee_paying_account).map(|_| ())
}

/// Refund the remainder and the whole deferred fee; no virtual operation. Returns the refund.
pub fn apply_cancel(state: &mut State, op: &LimitOrderCancelOp) -> Result<OperationResult, Rejection> {
    let refunded = state.limit_orders.get(op.order.0).expect("checked in evaluate").amount_for_sale();
    cancel_limit_order(state, op.order.0, false)?;
    Ok(OperationResult::Asset(refunded))
}

// ---- limit_order_update (op 77) ----

pub fn evaluate_update(state: &State, ctx: &Context, op: &LimitOrderUpdateOp) -> Result<(), Rejection> {
    check_on_fill("limit_order_update", op.on_fill.as_ref(), 0..=1)?;
    let order = require_own_order(state, op.order, op.seller)?;
    let invalid = |reason: String| Rejection::LimitOrderUpdateInvalid { order: op.order, reason };
    if let Some(p) = &op.new_price {
        if p.base.asset_id != order.sell_asset() || p.quote.asset_id != order.receive_asset() {
            return Err(invalid("the new price must keep the order's assets".into()));
        }
        // No price manipulation beyond what the order could sell (market_evaluator.cpp).
        let mut max_for_sale = order.for_sale.max(order.sell_price.base.amount);
        if let Some(d) = &op.delta_amount_to_sell {
            max_for_sale = max_for_sale.saturating_add(d.amount);
        }
        if p.base.amount > max_for_sale {
            return Err(invalid(format!(
                "the new price's base amount {} exceeds the most the order can sell, {max_for_sale}",
                p.base.amount
            )));
        }
    }
    if let Some(d) = &op.delta_amount_to_sell {
        if d.asset_id != order.sell_asset() {
            return Err(invalid(format!("delta_amount_to_sell must be in {}", order.sell_asset())));
        }
        // In i128: the delta may be i64::MIN, whose negation does not fit in i64.
        let taken = -i128::from(d.amount);
        if d.amount < 0 && i128::from(order.for_sale) <= taken {
            return Err(invalid(format!("cannot take {taken} out of an order holding {}", order.for_sale)));
        }
    }
    let shrinks = op.delta_amount_to_sell.is_some_and(|d| d.amount < 0);
    if op.new_price.is_some() || shrinks {
        let price = op.new_price.unwrap_or(order.sell_price);
        let for_sale = order.for_sale.saturating_add(op.delta_amount_to_sell.map_or(0, |d| d.amount));
        if matching::receive_floor(for_sale, price.base.amount, price.quote.amount) <= 0 {
            return Err(invalid("the order would become too small to receive anything; cancel it instead".into()));
        }
    }
    if let Some(e) = op.new_expiration {
        check_expiration(ctx, e)?;
    }
    let sell = require_asset(state, order.sell_asset())?;
    let receive = require_asset(state, order.receive_asset())?;
    check_market(state, op.seller, sell, receive)
}

pub fn apply_update(
    state: &mut State,
    ctx: &Context,
    op: &LimitOrderUpdateOp,
    fee: &PreparedFee,
) -> Result<OperationResult, Rejection> {
    if let Some(d) = op.delta_amount_to_sell {
        adjust_balance(state, op.seller, Asset::new(-d.amount, d.asset_id))?;
        if d.asset_id == CORE_ASSET {
            add_core_in_orders(state, op.seller, d.amount);
        }
    }
    settle_old_deferred_fee_on_update(state, op.order.0)?;
    let (deferred_fee, deferred_paid_fee) = deferred_parts(fee);
    state.limit_orders.modify(op.order.0, |o| {
        if let Some(p) = op.new_price {
            o.sell_price = p;
        }
        if let Some(d) = op.delta_amount_to_sell {
            o.for_sale += d.amount;
        }
        if let Some(e) = op.new_expiration {
            o.expiration = e;
        }
        o.deferred_fee = deferred_fee;
        o.deferred_paid_fee = deferred_paid_fee;
    });
    apply_order(state, ctx, op.order.0)?;
    Ok(OperationResult::default())
}

/// `process_deferred_fee`: the order's old deferred fee pays a cancel fee scaled by
/// update/create fees (capped at the deferred fee); the rest is refunded.
fn settle_old_deferred_fee_on_update(state: &mut State, instance: u64) -> Result<(), Rejection> {
    let order = state.limit_orders.get(instance).expect("checked in evaluate").clone();
    if order.deferred_fee <= 0 {
        return Ok(());
    }
    let fees = &state.gpo().parameters.current_fees;
    let fee_of =
        |op: Operation| fees.calculate_fee(&op).map(|f| f as i64).map_err(|e| Rejection::Arithmetic(e.to_string()));
    let mut cancel_fee = fee_of(Operation::LimitOrderCancel(Default::default()))?;
    if cancel_fee > 0 {
        let create_fee = fee_of(Operation::LimitOrderCreate(Default::default()))?;
        if create_fee > 0 {
            let update_fee = fee_of(Operation::LimitOrderUpdate(Default::default()))?;
            cancel_fee = (i128::from(cancel_fee) * i128::from(update_fee) / i128::from(create_fee)) as i64;
        }
    }
    charge_and_refund_deferred(state, &order, cancel_fee.min(order.deferred_fee))?;
    Ok(())
}

/// Charge `core_cancel_fee` (≤ deferred fee) from an order's deferred fee to the seller's fee
/// statistics and refund the rest in the asset originally paid (a non-core fee's core value
/// goes back to that asset's fee pool). Returns the fee charged, in the asset paid.
fn charge_and_refund_deferred(
    state: &mut State,
    order: &LimitOrderObject,
    core_cancel_fee: i64,
) -> Result<Asset, Rejection> {
    let mut deferred_fee = order.deferred_fee;
    let mut paid = order.deferred_paid_fee;
    let mut charged = Asset::core(0);
    if core_cancel_fee > 0 {
        pay_fee(state, order.seller, core_cancel_fee);
        deferred_fee -= core_cancel_fee;
        if paid.amount == 0 {
            charged = Asset::core(core_cancel_fee);
        } else {
            // round_up(paid × cancel_fee / deferred_fee), to the asset's accumulated fees.
            let num = i128::from(paid.amount) * i128::from(core_cancel_fee) + i128::from(order.deferred_fee) - 1;
            let cut = (num / i128::from(order.deferred_fee)) as i64;
            modify_dynamic(state, paid.asset_id, |d| d.accumulated_fees += cut);
            paid.amount -= cut;
            charged = Asset::new(cut, paid.asset_id);
        }
    }
    if order.deferred_paid_fee.amount == 0 {
        adjust_balance(state, order.seller, Asset::core(deferred_fee))?;
    } else {
        adjust_balance(state, order.seller, paid)?;
        modify_dynamic(state, paid.asset_id, |d| d.fee_pool += deferred_fee);
    }
    Ok(charged)
}

fn modify_dynamic(state: &mut State, asset: AssetId, f: impl FnOnce(&mut ledger::objects::AssetDynamicDataObject)) {
    let dyn_id = state.asset(asset).expect("fee assets exist").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, f);
}

// ---- cancel, cull, expiry ----

/// `cancel_limit_order`: refund the remainder and the deferred fee. With `virtual_op` (expiry,
/// cull) the current `limit_order_cancel` fee, capped at the deferred fee, is charged first and
/// a virtual `limit_order_cancel` is emitted.
pub fn cancel_limit_order(state: &mut State, instance: u64, virtual_op: bool) -> Result<(), Rejection> {
    let order = state.limit_orders.get(instance).expect("caller found the order").clone();
    let mut vop = LimitOrderCancelOp { fee_paying_account: order.seller, order: order.id, ..Default::default() };
    let mut cancel_fee = 0;
    if virtual_op && order.deferred_fee > 0 {
        let schedule = &state.gpo().parameters.current_fees;
        let fee = schedule.calculate_fee(&Operation::LimitOrderCancel(vop.clone()));
        cancel_fee = fee.map_err(|e| Rejection::Arithmetic(e.to_string()))?.min(order.deferred_fee as u64) as i64;
    }
    let refunded = order.amount_for_sale();
    if refunded.asset_id == CORE_ASSET {
        add_core_in_orders(state, order.seller, -refunded.amount);
    }
    adjust_balance(state, order.seller, refunded)?;
    let charged = charge_and_refund_deferred(state, &order, cancel_fee)?;
    if virtual_op {
        vop.fee = charged;
        state.virtual_ops.push(Operation::LimitOrderCancel(vop));
    }
    state.limit_orders.remove(instance);
    Ok(())
}

/// `maybe_cull_small_order`: an order whose remainder would receive nothing is cancelled.
fn maybe_cull(state: &mut State, instance: u64) -> Result<bool, Rejection> {
    let dust = state.limit_orders.get(instance).is_some_and(|o| o.amount_to_receive() == 0);
    if dust {
        cancel_limit_order(state, instance, true)?;
    }
    Ok(dust)
}

/// `clear_expired_orders` (db_update.cpp): at the end of a block, cancel every order whose
/// expiration is at or before the block time, oldest expiration first, with a virtual op each.
pub fn clear_expired_orders(state: &mut State, now: TimePointSec) -> Result<(), Rejection> {
    loop {
        let first = state.limit_orders.index().by_expiration.iter().next().copied();
        match first {
            Some((exp, instance)) if exp <= now.0 => cancel_limit_order(state, instance, true)?,
            _ => return Ok(()),
        }
    }
}

// ---- matching ----

/// `apply_order`: match the order against the opposite side, best maker first, at each maker's
/// price; then cull it if what remains is dust. Returns whether the order is gone.
pub fn apply_order(state: &mut State, _ctx: &Context, instance: u64) -> Result<bool, Rejection> {
    // A bitasset sold for its backing at a price reaching MCOP meets margin calls: first the book
    // orders priced better than MCOP, then callable positions, then the rest of the book (§5.7).
    if let Some((call_match, call_pays)) = crate::bitasset::margin::call_match_prices(state, instance) {
        let finished = match_book(state, instance, Some(call_match))?
            || crate::bitasset::margin::match_calls_as_maker(state, instance, call_match, call_pays)?;
        if !finished {
            match_book(state, instance, None)?;
        }
    } else {
        match_book(state, instance, None)?;
    }
    if state.limit_orders.get(instance).is_none() {
        return Ok(true);
    }
    maybe_cull(state, instance)
}

/// Match the taker `instance` against the opposite book, best maker first, while makers cross
/// (and, with `better_than`, only makers priced strictly better than it). Returns whether the
/// taker is finished (gone, or filled as far as it can be).
fn match_book(state: &mut State, instance: u64, better_than: Option<Price>) -> Result<bool, Rejection> {
    loop {
        let Some(taker) = state.limit_orders.get(instance) else { return Ok(true) };
        let (sell, receive) = (taker.sell_asset(), taker.receive_asset());
        let Some(maker_instance) = state.limit_orders.index().best(receive, sell) else { return Ok(false) };
        let maker = state.limit_orders.get(maker_instance).expect("indexed orders exist");
        let (mp, tp) = (maker.sell_price, taker.sell_price);
        if !matching::crosses(mp.base.amount, mp.quote.amount, tp.base.amount, tp.quote.amount) {
            return Ok(false);
        }
        if better_than.is_some_and(|b| !crate::bitasset::price_lt(&b, &mp)) {
            return Ok(false);
        }
        let t = OrderView { for_sale: taker.for_sale, sell_price: tp };
        let m = OrderView { for_sale: maker.for_sale, sell_price: mp };
        let trade = match matching::match_orders(&t, &m) {
            MatchResult::TakerDust => return Ok(true),
            MatchResult::Trade(trade) => trade,
        };
        let taker_pays = Asset::new(trade.taker_pays, sell);
        let taker_receives = Asset::new(trade.taker_receives, receive);
        let taker_gone = fill_limit_order(state, instance, taker_pays, taker_receives, trade.cull_taker, mp, false)?;
        let maker_gone = fill_limit_order(state, maker_instance, taker_receives, taker_pays, true, mp, true)?;
        // Go on only while makers are used up and the taker is not (`only_maker_filled`).
        if taker_gone || !maker_gone {
            return Ok(true);
        }
    }
}

/// `fill_limit_order`: pay the market fee, credit the seller, emit `fill_order`, settle the
/// deferred creation fee on the first fill, then shrink or remove the order. Returns whether the
/// order is gone (filled, or culled when `cull_if_small`).
pub(crate) fn fill_limit_order(
    state: &mut State,
    instance: u64,
    pays: Asset,
    receives: Asset,
    cull_if_small: bool,
    fill_price: Price,
    is_maker: bool,
) -> Result<bool, Rejection> {
    let order = state.limit_orders.get(instance).expect("matched orders exist").clone();
    let market_fee = pay_market_fees(state, order.seller, receives, is_maker)?;
    if pays.asset_id == CORE_ASSET {
        add_core_in_orders(state, order.seller, -pays.amount);
    }
    adjust_balance(state, order.seller, Asset::new(receives.amount - market_fee.amount, receives.asset_id))?;
    state.virtual_ops.push(Operation::FillOrder(FillOrderOp {
        fee: market_fee,
        order_id: order.id.object_id(),
        account_id: order.seller,
        pays,
        receives,
        fill_price,
        is_maker,
    }));
    pay_deferred_fee_on_fill(state, &order, is_maker)?;
    if pays.amount == order.for_sale {
        state.limit_orders.remove(instance);
        return Ok(true);
    }
    state.limit_orders.modify(instance, |o| {
        o.for_sale -= pays.amount;
        o.deferred_fee = 0;
        o.deferred_paid_fee.amount = 0;
    });
    if cull_if_small {
        return maybe_cull(state, instance);
    }
    Ok(false)
}

/// The deferred creation fee on a fill (BSIP85 maker discount included): a non-core fee goes to
/// its asset's accumulated fees, the core value to the seller's fee statistics.
fn pay_deferred_fee_on_fill(state: &mut State, order: &LimitOrderObject, is_maker: bool) -> Result<(), Rejection> {
    let discount = if is_maker { state.gpo().parameters.maker_fee_discount_percent() } else { 0 };
    let mut deferred_fee = order.deferred_fee;
    let mut deferred_paid = order.deferred_paid_fee.amount;
    if deferred_paid > 0 {
        let mut pool_refund = 0;
        let refund = cut_percent(deferred_paid, discount);
        if refund > 0 {
            adjust_balance(state, order.seller, Asset::new(refund, order.deferred_paid_fee.asset_id))?;
            deferred_paid -= refund;
            pool_refund = cut_percent(deferred_fee, discount);
            deferred_fee -= pool_refund;
        }
        modify_dynamic(state, order.deferred_paid_fee.asset_id, |d| {
            d.accumulated_fees += deferred_paid;
            d.fee_pool += pool_refund;
        });
    }
    if order.deferred_fee > 0 {
        if order.deferred_paid_fee.amount <= 0 {
            let refund = cut_percent(deferred_fee, discount);
            if refund > 0 {
                adjust_balance(state, order.seller, Asset::core(refund))?;
                deferred_fee -= refund;
            }
        }
        pay_fee(state, order.seller, deferred_fee);
    }
    Ok(())
}

/// `calculate_market_fee` (§5.3): only assets with `charge_market_fee`; makers pay
/// `market_fee_percent`, takers `taker_fee_percent` when set; capped at `max_market_fee`.
pub fn market_fee_of(asset: &AssetObject, received: i64, is_maker: bool) -> i64 {
    if asset.options.flags & flags::CHARGE_MARKET_FEE == 0 {
        return 0;
    }
    let percent = match (is_maker, asset.options.extensions.taker_fee_percent) {
        (false, Some(taker)) => taker,
        _ => asset.options.market_fee_percent,
    };
    matching::market_fee(received, percent, asset.options.max_market_fee)
}

/// `pay_market_fees`: charge the fee on what the seller receives and split it: the network's
/// share to the committee account, the referral reward to referrer and registrar, the rest to
/// the asset's accumulated fees. Returns the whole fee.
pub(crate) fn pay_market_fees(
    state: &mut State,
    seller: AccountId,
    receives: Asset,
    is_maker: bool,
) -> Result<Asset, Rejection> {
    let asset = state.asset(receives.asset_id).expect("order assets exist").clone();
    let fee = market_fee_of(&asset, receives.amount, is_maker);
    if fee <= 0 {
        return Ok(Asset::new(0, asset.id));
    }
    let mut issuer_fees = fee;
    let network = cut_percent(issuer_fees, state.gpo().parameters.market_fee_network_percent());
    if network > 0 {
        super::vesting::deposit_market_fee(state, COMMITTEE_ACCOUNT, Asset::new(network, asset.id));
        issuer_fees -= network;
    }
    let mut reward = 0;
    if issuer_fees > 0 {
        let seller_obj = state.account(seller).expect("sellers exist").clone();
        let allowed = asset
            .options
            .extensions
            .whitelist_market_fee_sharing
            .as_ref()
            .is_none_or(|w| w.is_empty() || w.contains(&seller_obj.registrar));
        let value = cut_percent(issuer_fees, asset.options.extensions.reward_percent.unwrap_or(0));
        if allowed && value > 0 && is_authorized_asset(state, seller_obj.registrar, &asset) {
            reward = value;
            let redirect = |a: AccountId| if a == TEMP_ACCOUNT { COMMITTEE_ACCOUNT } else { a };
            let (registrar, referrer) = (redirect(seller_obj.registrar), redirect(seller_obj.referrer));
            let mut registrar_reward = reward;
            if referrer != registrar {
                let to_referrer = cut_percent(reward, seller_obj.referrer_rewards_percentage);
                if to_referrer > 0 && is_authorized_asset(state, referrer, &asset) {
                    registrar_reward -= to_referrer;
                    super::vesting::deposit_market_fee(state, referrer, Asset::new(to_referrer, asset.id));
                }
            }
            super::vesting::deposit_market_fee(state, registrar, Asset::new(registrar_reward, asset.id));
        }
    }
    if issuer_fees > reward {
        modify_dynamic(state, asset.id, |d| d.accumulated_fees += issuer_fees - reward);
    }
    Ok(Asset::new(fee, asset.id))
}
