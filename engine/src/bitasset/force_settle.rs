//! Force settlement (PROTOCOL.md §5.9) and settlement after a global settlement (§5.8):
//! `asset_settle` (op 17), `asset_global_settle` (op 18), the matching of force-settlement
//! requests (1.4) with debt positions, and the end-of-block processing of due requests
//! (bitshares-core `asset_evaluator.cpp` asset_settle / asset_global_settle,
//! `db_market.cpp` apply_force_settlement / match_impl / fill_settle_order /
//! match_force_settlements, `db_update.cpp` clear_expired_force_settlements).
//!
//! Invariants: a pending request holds `balance` of the bitasset, taken from its owner's
//! balance (the supply is unchanged until a position repays debt with it); a request is either
//! filled, cancelled (refunded with an `asset_settle_cancel` virtual op) or still pending; the
//! volume settled at end of block per maintenance interval never exceeds
//! `max_force_settlement_volume`. Every fill emits `fill_order` for the request and for the
//! position. Matching always takes the least collateralized position through the
//! `by_collateral` index, so its cost never depends on the number of healthy positions.
//! Nothing here reads a clock: time arrives as the head block time.

use super::margin::{conv, max_debt_to_cover};
use super::{price_div_ratio, price_lt, symbol, BitassetError, DerivedPrices};
use crate::error::Rejection;
use crate::evaluators::is_authorized_asset;
use crate::evaluators::market::pay_market_fees;
use crate::evaluators::{adjust_balance, insufficient, require_asset};
use crate::state::State;
use ledger::asset::{cut_percent, Asset, Price, PERCENT_100};
use ledger::ids::{AccountId, AssetId, ForceSettlementId};
use ledger::objects::ForceSettlementObject;
use ledger::ops::flags;
use ledger::ops::{
    AssetGlobalSettleOp, AssetSettleCancelOp, AssetSettleOp, ExtendableOperationResult, FillOrderOp, Operation,
    OperationResult,
};
use ledger::time::TimePointSec;

/// Why a settlement operation (`asset_settle`, `asset_global_settle`, `bid_collateral`) was
/// refused. Wrapped by [`crate::Rejection::Settle`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettleError {
    #[error("{asset} cannot be force-settled: the issuer disabled force settlement and it is not globally settled")]
    ForceSettleDisabled { asset: String },
    #[error("prediction market {asset} can be settled only after its global settlement")]
    PredictionMarketNotResolved { asset: String },
    #[error("settling {amount} of {asset} from the settlement fund would receive nothing")]
    SettleTooSmall { asset: String, amount: i64 },
    #[error("the issuer of {asset} has no global-settle permission")]
    GlobalSettleNotPermitted { asset: String },
    #[error("{asset} has no supply to settle")]
    NoSupply { asset: String },
    #[error("the settle price of {asset} must be quoted in its backing asset {backing}, not {got}")]
    SettlePriceWrongAsset { asset: String, backing: AssetId, got: AssetId },
    #[error("the least collateralized position of {asset} holds {collateral} collateral, less than its debt {debt} at the settle price ({needed})")]
    SettlePriceTooHigh { asset: String, collateral: i64, debt: i64, needed: i64 },
    #[error("{asset} is not globally settled: collateral bids are taken only after a global settlement")]
    NotGloballySettled { asset: String },
    #[error("collateral bidding is disabled for {asset}")]
    CollateralBiddingDisabled { asset: String },
    #[error("collateral bids are not taken on prediction market {asset}")]
    PredictionMarketBid { asset: String },
    #[error("{account} has no collateral bid on {asset} to cancel")]
    NoBidToCancel { account: AccountId, asset: String },
    #[error(
        "the issuer {issuer} of {asset} already has a collateral bid; the asset cannot be revived into its position"
    )]
    IssuerHasBid { issuer: AccountId, asset: String },
}

impl SettleError {
    pub fn code(&self) -> &'static str {
        use SettleError::*;
        match self {
            ForceSettleDisabled { .. } => "force_settle_disabled",
            PredictionMarketNotResolved { .. } => "prediction_market_not_resolved",
            SettleTooSmall { .. } => "settle_amount_too_small",
            GlobalSettleNotPermitted { .. } => "global_settle_not_permitted",
            NoSupply { .. } => "no_supply_to_settle",
            SettlePriceWrongAsset { .. } => "settle_price_wrong_asset",
            SettlePriceTooHigh { .. } => "settle_price_too_high",
            NotGloballySettled { .. } => "not_globally_settled",
            CollateralBiddingDisabled { .. } => "collateral_bidding_disabled",
            PredictionMarketBid { .. } => "prediction_market_bid",
            NoBidToCancel { .. } => "no_bid_to_cancel",
            IssuerHasBid { .. } => "issuer_has_collateral_bid",
        }
    }
}

pub(crate) fn settle_err(e: SettleError) -> Rejection {
    Rejection::Settle(e)
}

/// `a × p` where `p`'s other side may be 0 (a prediction market resolved to nothing, a fund
/// emptied by settlements): then the result is 0 rather than an error.
pub(crate) fn conv0(a: Asset, p: &Price, round_up: bool) -> i64 {
    let other = if a.asset_id == p.base.asset_id { p.quote.amount } else { p.base.amount };
    if other == 0 {
        return 0;
    }
    conv(a, p, round_up)
}

// ---- asset_settle (op 17) ----

pub fn evaluate_settle(state: &State, op: &AssetSettleOp) -> Result<(), Rejection> {
    let a = require_asset(state, op.amount.asset_id)?;
    let Some(bad) = state.bitasset_data(a.id) else {
        return Err(Rejection::Bitasset(BitassetError::NotMarketIssued {
            op: "asset_settle",
            asset: a.symbol.clone(),
        }));
    };
    let gs = bad.is_globally_settled();
    if a.options.flags & flags::DISABLE_FORCE_SETTLE != 0 && !gs {
        return Err(settle_err(SettleError::ForceSettleDisabled { asset: a.symbol.clone() }));
    }
    if bad.is_prediction_market {
        if !gs {
            return Err(settle_err(SettleError::PredictionMarketNotResolved { asset: a.symbol.clone() }));
        }
    } else if bad.current_feed.feed.settlement_price.is_null() && !gs {
        return Err(Rejection::Bitasset(BitassetError::NoFeed { asset: a.symbol.clone() }));
    }
    let have = state.balance(op.account, a.id);
    if have < op.amount.amount {
        return Err(insufficient(state, op.account, a.id, have, op.amount.amount));
    }
    for asset in [a, require_asset(state, bad.options.short_backing_asset)?] {
        if !is_authorized_asset(state, op.account, asset) {
            return Err(Rejection::NotAuthorizedForAsset { account: op.account, asset: asset.symbol.clone() });
        }
    }
    Ok(())
}

/// A globally settled asset pays from its fund at once; otherwise the amount becomes a request
/// due `force_settlement_delay_sec` after head time, first matched against margin-callable
/// positions (CORE-2481). An amount of 0 does nothing (CORE-2582).
pub fn apply_settle(state: &mut State, now: TimePointSec, op: &AssetSettleOp) -> Result<OperationResult, Rejection> {
    let bad = state.bitasset_data(op.amount.asset_id).expect("checked in evaluate").clone();
    if bad.is_globally_settled() {
        return pay_settle_from_fund(state, op);
    }
    let mut result = ExtendableOperationResult::default();
    if op.amount.amount == 0 {
        return Ok(OperationResult::Extendable(result));
    }
    adjust_balance(state, op.account, Asset::new(-op.amount.amount, op.amount.asset_id))?;
    let date = TimePointSec(now.0.saturating_add(bad.options.force_settlement_delay_sec));
    let instance = state.force_settlements.create(|i| ForceSettlementObject {
        id: ForceSettlementId(i),
        owner: op.account,
        balance: op.amount,
        settlement_date: date,
    });
    result.new_objects = Some([ForceSettlementId(instance).object_id()].into_iter().collect());
    apply_force_settlement(state, instance, op.amount.asset_id)?;
    Ok(OperationResult::Extendable(result))
}

/// `pay_settle_from_gs_fund`: `amount × settlement_price` (floor; the whole fund when settling
/// the whole supply) leaves the fund; what is paid is recomputed rounding up so no debt is
/// burnt for nothing. Since CORE-2591 the part of the collateral above the margin-call order
/// price's value goes to the asset's collateral fees; then the collateral asset's market fee.
fn pay_settle_from_fund(state: &mut State, op: &AssetSettleOp) -> Result<OperationResult, Rejection> {
    let asset = op.amount.asset_id;
    let bad = state.bitasset_data(asset).expect("checked in evaluate").clone();
    let backing = bad.options.short_backing_asset;
    let supply = state.asset_dynamic_data(asset).current_supply;
    let whole = op.amount.amount == supply;
    let mut settled = if whole { bad.settlement_fund } else { conv0(op.amount, &bad.settlement_price, false) };
    assert!(settled <= bad.settlement_fund, "the settlement fund of {asset} cannot pay {settled}");
    if settled == 0 && !bad.is_prediction_market {
        return Err(settle_err(SettleError::SettleTooSmall { asset: symbol(state, asset), amount: op.amount.amount }));
    }
    let mut pays = op.amount.amount;
    if !whole && settled != 0 {
        pays = conv0(Asset::new(settled, backing), &bad.settlement_price, true);
    }
    adjust_balance(state, op.account, Asset::new(-pays, asset))?;
    let mut fees = Vec::new();
    let mut issuer_fees = Asset::new(0, backing);
    if settled > 0 {
        let instance = super::bitasset_instance(state, asset);
        state.bitasset_data.modify(instance, |b| b.settlement_fund -= settled);
        if let Some(prices) = DerivedPrices::of(&bad).filter(|_| !bad.is_prediction_market) {
            let by_mcop = conv(Asset::new(pays, asset), &prices.margin_call_order_price, true);
            if by_mcop < settled {
                let fee = settled - by_mcop;
                accumulate_collateral_fee(state, asset, fee);
                fees.push(Asset::new(fee, backing));
                settled -= fee;
            }
        }
        issuer_fees = pay_market_fees(state, op.account, Asset::new(settled, backing), false)?;
        settled -= issuer_fees.amount;
        adjust_balance(state, op.account, Asset::new(settled, backing))?;
    }
    fees.push(issuer_fees);
    let dyn_id = state.asset(asset).expect("exists").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, |d| d.current_supply -= pays);
    Ok(OperationResult::Extendable(ExtendableOperationResult {
        paid: Some(vec![Asset::new(pays, asset)]),
        received: Some(vec![Asset::new(settled, backing)]),
        fees: Some(fees),
        ..Default::default()
    }))
}

fn accumulate_collateral_fee(state: &mut State, asset: AssetId, fee: i64) {
    if fee == 0 {
        return;
    }
    let dyn_id = state.asset(asset).expect("exists").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, |d| d.accumulated_collateral_fees += fee);
}

// ---- asset_global_settle (op 18) ----

pub fn evaluate_global_settle(state: &State, op: &AssetGlobalSettleOp) -> Result<(), Rejection> {
    let a = require_asset(state, op.asset_to_settle)?;
    let Some(bad) = state.bitasset_data(a.id) else {
        let asset = a.symbol.clone();
        return Err(Rejection::Bitasset(BitassetError::NotMarketIssued { op: "asset_global_settle", asset }));
    };
    if a.options.issuer_permissions & flags::GLOBAL_SETTLE == 0 {
        return Err(settle_err(SettleError::GlobalSettleNotPermitted { asset: a.symbol.clone() }));
    }
    if a.issuer != op.issuer {
        return Err(Rejection::NotIssuer { account: op.issuer, asset: a.symbol.clone(), issuer: a.issuer });
    }
    if state.asset_dynamic_data(a.id).current_supply <= 0 {
        return Err(settle_err(SettleError::NoSupply { asset: a.symbol.clone() }));
    }
    if bad.is_globally_settled() {
        return Err(Rejection::Bitasset(BitassetError::GloballySettled { asset: a.symbol.clone() }));
    }
    let backing = bad.options.short_backing_asset;
    if op.settle_price.quote.asset_id != backing {
        return Err(settle_err(SettleError::SettlePriceWrongAsset {
            asset: a.symbol.clone(),
            backing,
            got: op.settle_price.quote.asset_id,
        }));
    }
    if let Some(call) = state.call_orders.index().by_collateral(a.id).next().and_then(|i| state.call_orders.get(i)) {
        let needed = conv0(call.get_debt(), &op.settle_price, false);
        if needed > call.collateral {
            return Err(settle_err(SettleError::SettlePriceTooHigh {
                asset: a.symbol.clone(),
                collateral: call.collateral,
                debt: call.debt,
                needed,
            }));
        }
    }
    Ok(())
}

/// Every position pays its debt at `settle_price` (rounded up) into the fund; no margin-call
/// fee. A prediction market is resolved this way: at 1:1 every holder gets its collateral back,
/// at `X/0` nothing.
pub fn apply_global_settle(state: &mut State, op: &AssetGlobalSettleOp) -> Result<OperationResult, Rejection> {
    super::globally_settle_asset(state, op.asset_to_settle, op.settle_price, false)?;
    Ok(OperationResult::default())
}

// ---- matching requests with positions ----

/// `cancel_settle_order`: refund the request and emit `asset_settle_cancel`.
pub fn cancel_settle_order(state: &mut State, instance: u64) -> Result<(), Rejection> {
    let s = state.force_settlements.get(instance).expect("caller found the request").clone();
    adjust_balance(state, s.owner, s.balance)?;
    state.virtual_ops.push(Operation::AssetSettleCancel(AssetSettleCancelOp {
        fee: Asset::core(0),
        settlement: s.id,
        account: s.owner,
        amount: s.balance,
    }));
    state.force_settlements.remove(instance);
    Ok(())
}

/// `pay_force_settle_fees` (BSIP87): `force_settle_fee_percent` of what the settler receives (net
/// of the market fee) to the bitasset's collateral fees.
fn pay_force_settle_fee(state: &mut State, debt_asset: AssetId, receives: i64) -> i64 {
    let pct = state.bitasset_data(debt_asset).and_then(|b| b.options.extensions.force_settle_fee_percent);
    let fee = pct.map_or(0, |p| cut_percent(receives, p));
    accumulate_collateral_fee(state, debt_asset, fee);
    fee
}

/// `fill_settle_order`: the request pays `pays` (debt asset) and its owner receives `receives`
/// collateral less the collateral asset's market fee and, unless matched against a margin call,
/// the force-settle fee. Returns whether the request is used up (and removed).
fn fill_settle_order(
    state: &mut State,
    instance: u64,
    pays: Asset,
    receives: Asset,
    fill_price: Price,
    is_maker: bool,
    pay_force_settle_fee_too: bool,
) -> Result<bool, Rejection> {
    let s = state.force_settlements.get(instance).expect("caller found the request").clone();
    let market_fee = pay_market_fees(state, s.owner, receives, is_maker)?.amount;
    let fs_fee = if pay_force_settle_fee_too {
        pay_force_settle_fee(state, pays.asset_id, receives.amount - market_fee)
    } else {
        0
    };
    let filled = pays.amount >= s.balance.amount;
    if !filled {
        state.force_settlements.modify(instance, |o| o.balance.amount -= pays.amount);
    }
    adjust_balance(state, s.owner, Asset::new(receives.amount - market_fee - fs_fee, receives.asset_id))?;
    state.virtual_ops.push(Operation::FillOrder(FillOrderOp {
        fee: Asset::new(market_fee + fs_fee, receives.asset_id),
        order_id: s.id.object_id(),
        account_id: s.owner,
        pays,
        receives,
        fill_price,
        is_maker,
    }));
    if filled {
        state.force_settlements.remove(instance);
    }
    Ok(filled)
}

/// What one request–position match did.
enum Matched {
    /// Debt the position received (0: nothing happened, or the request was cancelled as dust).
    Debt(i64),
    /// The position cannot pay at the settlement price: the request must be cancelled.
    BlackSwan,
}

/// The rounding rules of one request–position match (`match_impl`), computed before any write.
struct Plan {
    call_pays: i64,
    call_receives: i64,
    settle_pays: i64,
    settle_receives: i64,
    fill_price: Price,
    cull_settle: bool,
}

/// `match_impl`: request `si` against position `ci`. The position pays at `match_price` (D/C),
/// the request receives at `fill_price`; the difference is a margin-call fee (only with
/// `is_margin_call`, where the force-settle fee is waived). At most `max_settlement` debt moves.
#[allow(clippy::too_many_arguments)]
fn match_settle_call(
    state: &mut State,
    si: u64,
    ci: u64,
    match_price: Price,
    max_settlement: i64,
    fill_price: Price,
    is_margin_call: bool,
    settle_is_taker: bool,
) -> Result<Matched, Rejection> {
    let settle = state.force_settlements.get(si).expect("caller found the request").clone();
    let call = state.call_orders.get(ci).expect("caller found the position").clone();
    let bad = state.bitasset_data(call.debt_asset()).expect("positions belong to bitassets");
    let pays_ratio = DerivedPrices::of(bad).map_or((1, 1), |p| p.margin_call_pays_ratio);
    let Some(plan) = plan_match(&settle, &call, match_price, max_settlement, fill_price, is_margin_call, pays_ratio)
    else {
        if state.force_settlements.get(si).is_some() && plan_cancels(&settle, &call, max_settlement, is_margin_call) {
            cancel_settle_order(state, si)?;
        }
        return Ok(Matched::Debt(0));
    };
    if plan.call_pays > call.collateral {
        return Ok(Matched::BlackSwan);
    }
    let (d, c) = (call.debt_asset(), call.collateral_asset());
    let fee = plan.call_pays - plan.settle_receives;
    super::fill_call_order(
        state,
        ci,
        Asset::new(plan.call_pays, c),
        Asset::new(plan.call_receives, d),
        plan.fill_price,
        settle_is_taker,
        Asset::new(fee, c),
        true,
    )?;
    let filled = fill_settle_order(
        state,
        si,
        Asset::new(plan.settle_pays, d),
        Asset::new(plan.settle_receives, c),
        plan.fill_price,
        !settle_is_taker,
        !is_margin_call,
    )?;
    if plan.cull_settle && !filled {
        cancel_settle_order(state, si)?;
    }
    Ok(Matched::Debt(plan.call_receives))
}

/// Whether a match that planned nothing cancels the request (it was dust) rather than leaving
/// both sides as they are (the volume cap left too little to pay anything).
fn plan_cancels(
    settle: &ForceSettlementObject,
    call: &ledger::objects::CallOrderObject,
    max: i64,
    is_margin_call: bool,
) -> bool {
    let call_receives = settle.balance.amount.min(max).min(call.debt);
    // Nothing-for-nothing with a non-margin call and a partial cap: keep the request.
    is_margin_call || call_receives == settle.balance.amount
}

/// The amounts of `match_impl` after CORE-184/342/2481, or None when nothing can be paid.
#[allow(clippy::too_many_arguments)]
fn plan_match(
    settle: &ForceSettlementObject,
    call: &ledger::objects::CallOrderObject,
    mut match_price: Price,
    max_settlement: i64,
    mut fill_price: Price,
    is_margin_call: bool,
    pays_ratio: (u16, u16),
) -> Option<Plan> {
    let (d, c) = (call.debt_asset(), call.collateral_asset());
    let dd = |v: i64| Asset::new(v, d);
    let cc = |v: i64| Asset::new(v, c);
    let settle_for_sale = settle.balance.amount.min(max_settlement);
    let mut call_receives = settle_for_sale.min(call.debt);
    let mut call_pays = conv(dd(call_receives), &match_price, false);
    let mut settle_receives = call_pays;
    let mut settle_pays = call_receives;
    let mut cull_settle = false;
    // The position at its own ratio, and the request's price with the margin-call fee.
    let capped = |call: &ledger::objects::CallOrderObject| {
        let m = Price::new(call.get_debt(), call.get_collateral());
        (m, price_div_ratio(m, u32::from(pays_ratio.0), u32::from(pays_ratio.1)))
    };
    if call_pays == 0 {
        if call_receives == call.debt || is_margin_call && call_receives != settle.balance.amount {
            // The position is the smaller side (or a TCR-capped margin call): it pays one unit.
            call_pays = 1;
            settle_receives = 1;
        } else {
            // The request is dust (cancelled), or the volume cap leaves too little (kept).
            return None;
        }
    } else if call_receives == call.debt {
        call_pays = conv(dd(call_receives), &match_price, true);
        if is_margin_call {
            if call_pays > call.collateral {
                call_pays = call.collateral;
                fill_price = capped(call).1;
            }
            settle_receives = conv(dd(call_receives), &fill_price, true);
        } else {
            settle_receives = call_pays;
        }
    } else {
        if !is_margin_call {
            // Rounding the debt up from what is paid never lowers the position's ratio.
            call_receives = conv(cc(call_pays), &match_price, true);
        } else if settle_pays == max_settlement {
            call_pays = conv(dd(call_receives), &match_price, true);
            settle_receives = conv(dd(call_receives), &fill_price, true);
        } else {
            // Margin-call fee: compute from what the request receives at the fill price first.
            let calculate = |fill: &Price, mtch: &Price| {
                let sr = conv(dd(settle_pays), fill, false);
                let cr = conv(cc(sr), fill, true);
                (sr != 0).then(|| (sr, cr, conv(dd(cr), mtch, false)))
            };
            (settle_receives, call_receives, call_pays) = calculate(&fill_price, &match_price)?;
            let cap = call_pays >= call.collateral
                || price_lt(
                    &Price::new(cc(call.collateral - call_pays), dd(call.debt - call_receives)),
                    &call.collateralization(),
                );
            if cap {
                (match_price, fill_price) = capped(call);
                (settle_receives, call_receives, call_pays) = calculate(&fill_price, &match_price)?;
            }
        }
        if settle_pays == settle.balance.amount && call_receives != settle.balance.amount {
            cull_settle = true;
        }
        settle_pays = call_receives;
    }
    Some(Plan { call_pays, call_receives, settle_pays, settle_receives, fill_price, cull_settle })
}

/// `apply_force_settlement` (CORE-2481): a new request takes margin-callable positions (CR ≤
/// MCR), least collateralized first: the settler receives at MCOP, the position pays at MSSP
/// (the difference is the margin-call fee), TCR respected.
pub fn apply_force_settlement(state: &mut State, si: u64, asset: AssetId) -> Result<(), Rejection> {
    while state.force_settlements.get(si).is_some() {
        let Some(ci) = state.call_orders.index().by_collateral(asset).next() else { break };
        let prices = DerivedPrices::of(state.bitasset_data(asset).expect("bitasset")).expect("a feed: evaluated");
        let call = state.call_orders.get(ci).expect("indexed");
        if price_lt(&prices.maintenance_collateralization, &call.collateralization()) {
            break;
        }
        let mssp = prices.max_short_squeeze_price;
        let max = max_debt_to_cover(call, mssp, prices.feed_price, prices.mcr, prices.maintenance_collateralization);
        let mcop = prices.margin_call_order_price;
        if let Matched::BlackSwan = match_settle_call(state, si, ci, mssp, max, mcop, true, true)? {
            break;
        }
    }
    Ok(())
}

/// `match_force_settlements`, called by [`super::check_call_orders`] when no limit order can
/// take the least collateralized callable position: it takes the earliest pending request as
/// maker. Returns whether a position was filled (the caller then re-checks the book).
pub fn match_force_settlements(state: &mut State, asset: AssetId) -> Result<bool, Rejection> {
    loop {
        let Some(si) = state.force_settlements.index().of_asset(asset).next() else { return Ok(false) };
        let Some(ci) = state.call_orders.index().by_collateral(asset).next() else { return Ok(false) };
        let Some(prices) = DerivedPrices::of(state.bitasset_data(asset).expect("bitasset")) else { return Ok(false) };
        let call = state.call_orders.get(ci).expect("indexed");
        if price_lt(&prices.maintenance_collateralization, &call.collateralization()) {
            return Ok(false);
        }
        let mssp = prices.max_short_squeeze_price;
        let max = max_debt_to_cover(call, mssp, prices.feed_price, prices.mcr, prices.maintenance_collateralization);
        let mcop = prices.margin_call_order_price;
        match match_settle_call(state, si, ci, mssp, max, mcop, true, false)? {
            Matched::Debt(d) if d > 0 => return Ok(true),
            Matched::BlackSwan => return Ok(false),
            Matched::Debt(_) => {}
        }
    }
}

// ---- end of block ----

/// `clear_expired_force_settlements` (`db_update.cpp`): per asset, requests due at `now` in date
/// order are matched against the least collateralized positions at `F / ((10000 − offset)/10000)`
/// while the interval's volume allows. Requests of a globally settled asset, or with no feed,
/// a 100 % offset, no position, dust, or a position that cannot pay are cancelled and refunded.
/// Visits only assets with pending requests, and per asset only its due requests.
pub fn clear_expired_force_settlements(state: &mut State, now: TimePointSec) -> Result<(), Rejection> {
    let mut from = AssetId(0);
    let mut cap: Option<(AssetId, i64)> = None;
    loop {
        let first = state.force_settlements.index().by_expiration.range((from, 0, 0)..).next().copied();
        let Some((asset, date, si)) = first else { return Ok(()) };
        from = asset;
        let next_asset = AssetId(asset.0 + 1);
        let bad = state.bitasset_data(asset).expect("requests are for bitassets").clone();
        if bad.is_globally_settled() {
            cancel_settle_order(state, si)?;
            continue;
        }
        if date > now.0 {
            from = next_asset;
            continue;
        }
        if bad.current_feed.feed.settlement_price.is_null()
            || bad.options.force_settlement_offset_percent == PERCENT_100
        {
            cancel_settle_order(state, si)?;
            continue;
        }
        // The cap is computed once per asset from the supply before any settlement.
        let max_volume = match cap {
            Some((a, v)) if a == asset => v,
            _ => {
                let v = bad.max_force_settlement_volume(state.asset_dynamic_data(asset).current_supply);
                cap = Some((asset, v));
                v
            }
        };
        if bad.force_settled_volume >= max_volume {
            from = next_asset;
            continue;
        }
        let offset = u32::from(PERCENT_100 - bad.options.force_settlement_offset_percent);
        let price = price_div_ratio(bad.current_feed.feed.settlement_price, offset, u32::from(PERCENT_100));
        let mut settled = bad.force_settled_volume;
        let mut finished = false;
        while settled < max_volume && state.force_settlements.get(si).is_some() {
            if state.force_settlements.get(si).expect("checked").balance.amount == 0 {
                cancel_settle_order(state, si)?;
                break;
            }
            let Some(ci) = state.call_orders.index().by_collateral(asset).next() else {
                cancel_settle_order(state, si)?;
                break;
            };
            match match_settle_call(state, si, ci, price, max_volume - settled, price, false, true)? {
                Matched::BlackSwan => {
                    cancel_settle_order(state, si)?;
                    break;
                }
                Matched::Debt(0) => {
                    finished = state.force_settlements.get(si).is_some();
                    break;
                }
                Matched::Debt(d) => settled += d,
            }
        }
        if settled != bad.force_settled_volume {
            let instance = super::bitasset_instance(state, asset);
            state.bitasset_data.modify(instance, |b| b.force_settled_volume = settled);
        }
        if finished {
            from = next_asset;
        }
    }
}

/// Reset every bitasset's `force_settled_volume` at maintenance (`db_maint.cpp`). Writes only
/// the assets that settled something this interval.
pub fn reset_force_settled_volumes(state: &mut State) {
    let used: Vec<u64> =
        state.bitasset_data.iter().filter(|(_, b)| b.force_settled_volume != 0).map(|(i, _)| i).collect();
    for instance in used {
        state.bitasset_data.modify(instance, |b| b.force_settled_volume = 0);
    }
}
