//! Black swans and global settlement (PROTOCOL.md §5.8, `db_market.cpp:50-338`), with global
//! settlement as the only black-swan response method.
//!
//! Invariants: after [`globally_settle_asset`] the asset has no debt position, its supply is
//! unchanged and backed by `settlement_fund` at `settlement_price = supply / fund`; every
//! position's leftover collateral went back to its owner; margin-call fees went to the asset's
//! `accumulated_collateral_fees`. A globally settled asset is never settled again.

use super::margin::{black_swan_refused, conv};
use super::{price_lt, price_mul_ratio, DerivedPrices};
use crate::error::Rejection;
use crate::state::State;
use ledger::asset::{Asset, Price, COLLATERAL_RATIO_DENOM};
use ledger::ids::AssetId;

/// `check_for_blackswan` (strict, since CORE-2481): with the least collateralized position's
/// debt/collateral ratio LC (D/C) and `highest = max(MSSP, best_bid × MCPR)` (best bid = the best
/// order selling the asset for its backing), a black swan is `LC > highest`: the worst position
/// cannot pay even at the short-squeeze price. Deferred while force settlements of the asset are
/// pending (they are matched first). On a black swan: with `enable` the asset is globally settled
/// at LC with the margin-call split and `Ok(true)` returned; without, the operation is refused.
/// Returns `Ok(true)` also when the asset is already globally settled.
pub fn check_for_blackswan(state: &mut State, asset: AssetId, enable: bool) -> Result<bool, Rejection> {
    let Some(bad) = state.bitasset_data(asset) else { return Ok(false) };
    if bad.is_globally_settled() {
        return Ok(true);
    }
    let Some(prices) = DerivedPrices::of(bad) else { return Ok(false) };
    if state.force_settlements.index().of_asset(asset).next().is_some() {
        return Ok(false);
    }
    let Some(call_instance) = state.call_orders.index().by_collateral(asset).next() else { return Ok(false) };
    let call = state.call_orders.get(call_instance).expect("indexed");
    let mut highest = prices.max_short_squeeze_price;
    if let Some(bid) = state.limit_orders.index().best(asset, prices.collateral_asset) {
        let bid = state.limit_orders.get(bid).expect("indexed");
        let call_pays_price = prices.times_pays_ratio(bid.sell_price);
        if price_lt(&highest, &call_pays_price) {
            highest = call_pays_price;
        }
    }
    let least = call.collateralization().invert();
    if !price_lt(&highest, &least) {
        return Ok(false);
    }
    if !enable {
        return Err(black_swan_refused(state, asset));
    }
    globally_settle_asset(state, asset, least, true)?;
    Ok(true)
}

/// `globally_settle_asset` (`db_market.cpp:221-338`): close every debt position of `asset` at
/// `settle_price` (D/C), least collateralized first, into the settlement fund.
///
/// * With `check_margin_calls` (a black swan): positions with CR ≤ MCR pay `ceil(debt / G)`
///   collateral (capped at what they hold), of which the fund receives
///   `ceil(debt / (G × MSSR/1000))` and the rest is a margin-call fee to the asset's collateral
///   fees; positions above MCR pay `ceil(debt / (G × MSSR/1000))`, all into the fund.
/// * Without (the issuer's `asset_global_settle`, prediction-market resolution): every position
///   pays `ceil(debt / G)` (capped) into the fund.
///
/// Each closure emits `fill_order` for the position (maker, at the fund's price) and returns the
/// leftover collateral to its owner. The supply is not reduced; afterwards `settlement_fund` holds
/// the gathered collateral (plus any individual-settlement fund) and `settlement_price =
/// current_supply / settlement_fund`. The current feed is reset to the median. Runs inside the
/// caller's undo session; visits every position of the asset (which all close).
///
/// Panics (a bug in the caller) if the asset is not a bitasset or is already globally settled.
pub fn globally_settle_asset(
    state: &mut State,
    asset: AssetId,
    settle_price: Price,
    check_margin_calls: bool,
) -> Result<(), Rejection> {
    let bad = state.bitasset_data(asset).expect("globally_settle_asset on a bitasset").clone();
    assert!(!bad.is_globally_settled(), "a black swan already occurred on {asset}; it cannot happen again");
    let backing = bad.options.short_backing_asset;
    let original_supply = state.asset_dynamic_data(asset).current_supply;
    let maint = bad.current_maintenance_collateralization;
    let mut fund_receives_price = settle_price;
    if check_margin_calls {
        let mssr = u32::from(bad.current_feed.feed.maximum_short_squeeze_ratio);
        fund_receives_price = price_mul_ratio(settle_price, mssr, u32::from(COLLATERAL_RATIO_DENOM));
    }
    let positions: Vec<u64> = state.call_orders.index().by_collateral(asset).collect();
    let mut is_margin_call = check_margin_calls;
    let mut call_pays_price = settle_price;
    let mut gathered: i64 = 0;
    for instance in positions {
        let call = state.call_orders.get(instance).expect("indexed").clone();
        if is_margin_call && (maint.is_null() || price_lt(&maint, &call.collateralization())) {
            is_margin_call = false;
            call_pays_price = fund_receives_price;
        }
        let debt = call.get_debt();
        let pays = conv(debt, &call_pays_price, true).min(call.collateral);
        let fee = if is_margin_call {
            let fund_receives = conv(debt, &fund_receives_price, true).min(pays);
            gathered += fund_receives;
            pays - fund_receives
        } else {
            gathered += pays;
            0
        };
        super::fill_call_order(
            state,
            instance,
            Asset::new(pays, backing),
            debt,
            fund_receives_price,
            true,
            Asset::new(fee, backing),
            false,
        )?;
    }
    gathered += bad.individual_settlement_fund;
    let instance = super::bitasset_instance(state, asset);
    state.bitasset_data.modify(instance, |b| {
        b.options.extensions.black_swan_response_method = None;
        b.current_feed = b.median_feed.clone();
        b.individual_settlement_debt = 0;
        b.individual_settlement_fund = 0;
        b.settlement_price = Price::new(Asset::new(original_supply, asset), Asset::new(gathered, backing));
        b.settlement_fund = gathered;
    });
    Ok(())
}
