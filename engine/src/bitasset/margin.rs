//! Margin calls (PROTOCOL.md §5.7), both ways, and the target-collateral-ratio cover.
//!
//! * Call as maker ([`call_match_prices`], [`match_calls_as_maker`]): a new limit order selling a
//!   bitasset D for its backing C whose price reaches the margin-call order price takes the
//!   callable positions, least collateralized first; the buyer gets collateral at MCOP, the
//!   position pays at MSSP, the difference is the margin-call fee (`db_market.cpp:741-941,1341-1427`).
//! * Call as taker ([`check_call_orders`]): after a feed change or a position update, the least
//!   collateralized callable position takes the best limit order priced at or above MCOP, at the
//!   order's price L; the position pays at L × MCPR (`db_market.cpp:2079-2432`).
//!
//! Positions are found through the `by_collateral` index and the loop stops at the first
//! position above the maintenance collateralization, so healthy positions are never visited.
//! Every round re-checks for a black swan first ([`super::global_settle::check_for_blackswan`]).

use super::{price_lt, BitassetError, DerivedPrices};
use crate::error::Rejection;
use crate::evaluators::market::fill_limit_order;
use crate::state::State;
use ethnum::U256;
use ledger::asset::{Asset, Price, COLLATERAL_RATIO_DENOM, MAX_SHARE_SUPPLY};
use ledger::ids::AssetId;
use ledger::objects::CallOrderObject;

/// `a × p` rounded down (or up), saturating at the maximum supply instead of failing: the
/// inputs here are positions and orders that already fit, so saturation only guards bugs.
pub(crate) fn conv(a: Asset, p: &Price, round_up: bool) -> i64 {
    // A zero other side (a prediction market resolved to nothing, an emptied fund) gives 0.
    if (if a.asset_id == p.base.asset_id { p.quote.amount } else { p.base.amount }) == 0 {
        return 0;
    }
    let r = if round_up { p.mul_ceil(a) } else { p.mul_floor(a) };
    r.map_or(MAX_SHARE_SUPPLY, |x| x.amount)
}

/// `call_order_object::get_max_debt_to_cover` (`market_object.cpp:34-307`): how much debt a
/// margin call sells at `match_price` (the price the position pays, either orientation) so that
/// its collateral ratio ends above max(TCR, MCR) against `feed_price`; all of the debt without a
/// TCR, 0 when the position is not callable.
pub fn max_debt_to_cover(call: &CallOrderObject, match_price: Price, feed_price: Price, mcr: u16, maint: Price) -> i64 {
    let coll_id = call.collateral_asset();
    let orient = |p: Price| if p.base.asset_id == coll_id { p } else { p.invert() };
    let (fp, mp) = (orient(feed_price), orient(match_price));
    if price_lt(&maint, &call.collateralization()) {
        return 0;
    }
    let Some(tcr) = call.target_collateral_ratio else { return call.debt };
    let tcr = tcr.max(mcr);
    let target = super::price_mul_ratio(fp, u32::from(tcr), u32::from(COLLATERAL_RATIO_DENOM));
    let (mp_debt, mp_coll) = (mp.quote.amount as u128, mp.base.amount as u128);
    let (fp_debt, fp_coll) = (fp.quote.amount as u128, fp.base.amount as u128);
    let (debt, coll) = (call.debt as u128, call.collateral as u128);
    let (tcr, denom) = (u128::from(tcr), u128::from(COLLATERAL_RATIO_DENOM));
    // numerator = fp_coll·mp_debt·debt·tcr − fp_debt·mp_debt·collateral·1000 (up to ~10^50).
    let plus = U256::new(fp_coll * mp_debt) * U256::new(debt * tcr);
    let minus = U256::new(fp_debt * mp_debt) * U256::new(coll * denom);
    if plus < minus {
        return 0;
    }
    let mut numerator = plus - minus;
    // denominator = fp_coll·mp_debt·tcr − fp_debt·mp_coll·1000 (fits u128).
    let (dp, dm) = (fp_coll * mp_debt * tcr, fp_debt * mp_coll * denom);
    if dp <= dm {
        return call.debt;
    }
    let denominator = dp - dm;
    let quotient = |n: U256| u128::try_from(n / U256::new(denominator)).unwrap_or(u128::MAX);
    let first = quotient(numerator);
    if first >= debt {
        return call.debt;
    }
    let (d_id, c_id) = (call.debt_asset(), coll_id);
    let d = |v: i64| Asset::new(v, d_id);
    let c = |v: i64| Asset::new(v, c_id);
    // Stabilize: down, down, up.
    let mut to_pay = conv(d(first as i64), &mp, false);
    let mut to_cover = conv(c(to_pay), &mp, false);
    to_pay = conv(d(to_cover), &mp, true);
    if to_cover >= call.debt || to_pay >= call.collateral {
        return call.debt;
    }
    let good = |to_pay: i64, to_cover: i64| {
        let new = Price::new(c(call.collateral - to_pay), d(call.debt - to_cover));
        price_lt(&target, &new)
    };
    if good(to_pay, to_cover) {
        return to_cover;
    }
    // Too small by rounding: add the fraction and search between the two.
    numerator = numerator.checked_add(U256::new(fp_coll * mp_debt * tcr)).expect("256-bit addition overflow");
    let to_cover_max = (quotient(numerator).saturating_add(1)).min(debt) as i64;
    let mut max_to_pay =
        if to_cover_max == call.debt { call.collateral } else { conv(d(to_cover_max), &mp, true).min(call.collateral) };
    let mut max_to_cover = if max_to_pay == call.collateral { call.debt } else { conv(c(max_to_pay), &mp, false) };
    if max_to_cover >= call.debt {
        (max_to_pay, max_to_cover) = (call.collateral, call.debt);
    }
    if max_to_pay <= to_pay || max_to_cover <= to_cover {
        return call.debt;
    }
    let (mut min_to_pay, mut min_to_cover) = (to_pay, to_cover);
    let mut max_is_ok = false;
    loop {
        if mp.base.amount < mp.quote.amount {
            // A collateral step is smaller: bisect on what is paid (rounded up).
            to_pay = (min_to_pay + max_to_pay + 1) / 2;
            if to_pay == max_to_pay {
                to_cover = max_to_cover;
            } else {
                to_cover = conv(c(to_pay), &mp, false);
                if to_cover >= max_to_cover {
                    (to_pay, to_cover) = (max_to_pay, max_to_cover);
                } else {
                    to_pay = conv(d(to_cover), &mp, true);
                }
            }
        } else {
            to_cover = (min_to_cover + max_to_cover) / 2;
            if to_cover == max_to_cover {
                to_pay = max_to_pay;
            } else {
                to_pay = conv(d(to_cover), &mp, true);
                if to_pay >= max_to_pay {
                    (to_pay, to_cover) = (max_to_pay, max_to_cover);
                } else {
                    to_cover = conv(c(to_pay), &mp, false);
                    if to_cover >= max_to_cover {
                        (to_pay, to_cover) = (max_to_pay, max_to_cover);
                    }
                }
            }
        }
        if to_pay <= min_to_pay || to_cover <= min_to_cover || to_pay > max_to_pay || to_cover > max_to_cover {
            (to_pay, to_cover) = (max_to_pay, max_to_cover);
        }
        if to_pay == max_to_pay && (max_is_ok || to_pay == call.collateral) {
            return to_cover;
        }
        if to_pay >= call.collateral || to_cover >= call.debt {
            return call.debt;
        }
        if good(to_pay, to_cover) {
            if to_pay == max_to_pay {
                return to_cover;
            }
            (max_to_pay, max_to_cover, max_is_ok) = (to_pay, to_cover, true);
        } else {
            if to_pay == max_to_pay {
                break;
            }
            (min_to_pay, min_to_cover) = (to_pay, to_cover);
        }
    }
    // Still too small: search forward in Fibonacci steps.
    let (mut d1, mut d2) = (0i64, 1i64);
    loop {
        if mp.base.amount > mp.quote.amount {
            to_pay = to_pay.saturating_add(d2);
            if to_pay >= call.collateral {
                return call.debt;
            }
            to_cover = conv(c(to_pay), &mp, false);
            if to_cover >= call.debt {
                return call.debt;
            }
            to_pay = conv(d(to_cover), &mp, true);
            if to_pay >= call.collateral {
                return call.debt;
            }
        } else {
            to_cover = to_cover.saturating_add(d2);
            if to_cover >= call.debt {
                return call.debt;
            }
            to_pay = conv(d(to_cover), &mp, true);
            if to_pay >= call.collateral {
                return call.debt;
            }
            to_cover = conv(c(to_pay), &mp, false);
            if to_cover >= call.debt {
                return call.debt;
            }
        }
        if good(to_pay, to_cover) {
            return to_cover;
        }
        (d1, d2) = (d2, d1.saturating_add(d2));
    }
}

/// The best limit order selling `debt` for `collateral` if its price (D/C) is at least `min`.
fn best_bid_at_least(state: &State, debt: AssetId, collateral: AssetId, min: &Price) -> Option<u64> {
    let i = state.limit_orders.index().best(debt, collateral)?;
    let o = state.limit_orders.get(i)?;
    (!price_lt(&o.sell_price, min)).then_some(i)
}

/// Where the settle branch matches callable positions against pending force settlements once
/// no limit order can take them (CORE-2481, `match_force_settlements`). Returns whether any
/// position was filled. Until force settlement exists there is nothing to match.
fn match_force_settlements(state: &mut State, asset: AssetId) -> Result<bool, Rejection> {
    super::force_settle::match_force_settlements(state, asset)
}

/// `check_call_orders` (`db_market.cpp:2079-2432`): while the least collateralized position of
/// `asset` is callable (CR ≤ maintenance collateralization), match it as taker against the best
/// limit order selling `asset` for its backing at a price ≥ MCOP, at that order's price L: the
/// order receives `debt/L`, the position pays `debt/(L × MCPR)`, the difference goes to the
/// asset's collateral fees. With a TCR only [`max_debt_to_cover`] is sold. Each round first checks
/// for a black swan: with `enable_black_swan` it globally settles the asset, without it the
/// caller's operation is refused ([`BitassetError::BlackSwanNotAllowed`]). Returns whether a
/// margin call was executed.
pub fn check_call_orders(state: &mut State, asset: AssetId, enable_black_swan: bool) -> Result<bool, Rejection> {
    let Some(bad) = state.bitasset_data(asset) else { return Ok(false) };
    if bad.is_prediction_market {
        return Ok(false);
    }
    if super::global_settle::check_for_blackswan(state, asset, enable_black_swan)? {
        return Ok(false);
    }
    let mut margin_called = false;
    loop {
        let Some(call_instance) = state.call_orders.index().by_collateral(asset).next() else {
            return Ok(margin_called);
        };
        super::global_settle::check_for_blackswan(state, asset, enable_black_swan)?;
        let bad = state.bitasset_data(asset).expect("exists");
        if bad.is_globally_settled() {
            return Ok(margin_called);
        }
        let Some(prices) = DerivedPrices::of(bad) else { return Ok(margin_called) };
        let call = state.call_orders.get(call_instance).expect("indexed").clone();
        if price_lt(&prices.maintenance_collateralization, &call.collateralization()) {
            return Ok(margin_called);
        }
        let bid = best_bid_at_least(state, asset, prices.collateral_asset, &prices.margin_call_order_price);
        if let Some(limit_instance) = bid {
            if match_call_taker(state, &prices, &call, call_instance, limit_instance)? {
                margin_called = true;
                continue;
            }
        }
        if !match_force_settlements(state, asset)? {
            return Ok(margin_called);
        }
        margin_called = true;
    }
}

/// One round of [`check_call_orders`]: position `call` (taker) against limit order `limit_instance`
/// (maker) at the order's price. Returns false, changing nothing, when the position cannot pay
/// without its collateral ratio falling (undercollateralized).
fn match_call_taker(
    state: &mut State,
    prices: &DerivedPrices,
    call: &CallOrderObject,
    call_instance: u64,
    limit_instance: u64,
) -> Result<bool, Rejection> {
    let limit = state.limit_orders.get(limit_instance).expect("indexed").clone();
    let match_price = limit.sell_price; // D/C
    let call_pays_price = prices.times_pays_ratio(match_price);
    let usd_to_buy =
        max_debt_to_cover(call, call_pays_price, prices.feed_price, prices.mcr, prices.maintenance_collateralization);
    let (d, c) = (prices.debt_asset, prices.collateral_asset);
    let (call_pays, call_receives, limit_receives);
    if usd_to_buy > limit.for_sale {
        limit_receives = conv(Asset::new(limit.for_sale, d), &match_price, false);
        call_receives = conv(Asset::new(limit_receives, c), &match_price, true);
        call_pays = conv(Asset::new(call_receives, d), &call_pays_price, false);
        if call_pays >= call.collateral {
            return Ok(false);
        }
        let new = Price::new(Asset::new(call.collateral - call_pays, c), Asset::new(call.debt - call_receives, d));
        if price_lt(&new, &call.collateralization()) {
            return Ok(false);
        }
    } else {
        call_receives = usd_to_buy;
        call_pays = conv(Asset::new(usd_to_buy, d), &call_pays_price, true);
        if call_pays > call.collateral {
            return Ok(false);
        }
        limit_receives = conv(Asset::new(usd_to_buy, d), &match_price, true);
    }
    let fee = Asset::new(call_pays - limit_receives, c);
    assert!(fee.amount >= 0, "a margin call pays at least what the order receives");
    super::fill_call_order(
        state,
        call_instance,
        Asset::new(call_pays, c),
        Asset::new(call_receives, d),
        match_price,
        false,
        fee,
        true,
    )?;
    fill_limit_order(
        state,
        limit_instance,
        Asset::new(call_receives, d),
        Asset::new(limit_receives, c),
        true,
        match_price,
        true,
    )?;
    Ok(true)
}

/// The prices at which a new limit order `instance` meets margin calls: `Some((call_match_price,
/// call_pays_price))`, both C/D (= ~MCOP, ~MSSP), when it sells a bitasset for its backing
/// asset (not a prediction market, not globally settled, with a feed), it is at the front of its
/// side of the book, and it asks no more collateral per debt than MCOP offers.
pub fn call_match_prices(state: &State, instance: u64) -> Option<(Price, Price)> {
    let order = state.limit_orders.get(instance)?;
    let (sell, receive) = (order.sell_asset(), order.receive_asset());
    let bad = state.bitasset_data(sell)?;
    if bad.options.short_backing_asset != receive || bad.is_prediction_market || bad.is_globally_settled() {
        return None;
    }
    let prices = DerivedPrices::of(bad)?;
    if state.limit_orders.index().best(sell, receive) != Some(instance) {
        return None;
    }
    let call_match_price = prices.margin_call_order_price.invert();
    let call_pays_price = prices.max_short_squeeze_price.invert();
    if price_lt(&call_match_price, &order.sell_price.invert()) {
        return None;
    }
    Some((call_match_price, call_pays_price))
}

/// Match the new limit order `instance` (taker) against callable positions (makers), least
/// collateralized first, at `call_match_price`; the positions pay at `call_pays_price`. Returns
/// whether the order is finished (filled, or left too small to receive anything).
pub fn match_calls_as_maker(
    state: &mut State,
    instance: u64,
    call_match_price: Price,
    call_pays_price: Price,
) -> Result<bool, Rejection> {
    let Some(sell) = state.limit_orders.get(instance).map(|o| o.sell_asset()) else { return Ok(true) };
    loop {
        let Some(call_instance) = state.call_orders.index().by_collateral(sell).next() else { return Ok(false) };
        let bad = state.bitasset_data(sell).expect("checked by call_match_prices");
        let prices = DerivedPrices::of(bad).expect("checked by call_match_prices");
        let call = state.call_orders.get(call_instance).expect("indexed").clone();
        if price_lt(&prices.maintenance_collateralization, &call.collateralization()) {
            return Ok(false);
        }
        let order = state.limit_orders.get(instance).expect("still open").clone();
        let usd_to_buy = max_debt_to_cover(
            &call,
            call_pays_price,
            prices.feed_price,
            prices.mcr,
            prices.maintenance_collateralization,
        );
        let (d, c) = (prices.debt_asset, prices.collateral_asset);
        let (mut call_pays, call_receives, mut order_receives, cull_taker);
        if usd_to_buy > order.for_sale {
            order_receives = conv(Asset::new(order.for_sale, d), &call_match_price, false);
            if order_receives == 0 {
                return Ok(true);
            }
            call_receives = conv(Asset::new(order_receives, c), &call_match_price, true);
            call_pays = conv(Asset::new(call_receives, d), &call_pays_price, false);
            cull_taker = true;
        } else {
            call_receives = usd_to_buy;
            order_receives = conv(Asset::new(usd_to_buy, d), &call_match_price, true);
            call_pays = conv(Asset::new(usd_to_buy, d), &call_pays_price, true);
            cull_taker = false;
        }
        // Defensive: a position below MSSP would have been globally settled at the feed change.
        call_pays = call_pays.min(call.collateral);
        order_receives = order_receives.min(call_pays);
        let fee = Asset::new(call_pays - order_receives, c);
        let taker_filled = fill_limit_order(
            state,
            instance,
            Asset::new(call_receives, d),
            Asset::new(order_receives, c),
            cull_taker,
            call_match_price,
            false,
        )?;
        super::fill_call_order(
            state,
            call_instance,
            Asset::new(call_pays, c),
            Asset::new(call_receives, d),
            call_match_price,
            true,
            fee,
            true,
        )?;
        if taker_filled {
            return Ok(true);
        }
    }
}

/// A black swan met by an operation that may not cause one.
pub(crate) fn black_swan_refused(state: &State, asset: AssetId) -> Rejection {
    Rejection::Bitasset(BitassetError::BlackSwanNotAllowed { asset: super::symbol(state, asset) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dex::seeded::SplitMix64;
    use ledger::ids::{CallOrderId, CORE_ASSET};

    const USD: AssetId = AssetId(1);

    fn call(collateral: i64, debt: i64, tcr: Option<u16>) -> CallOrderObject {
        CallOrderObject {
            id: CallOrderId(0),
            borrower: ledger::ids::AccountId(0),
            collateral,
            debt,
            call_price: Price::new(Asset::core(1), Asset::new(1, USD)),
            target_collateral_ratio: tcr,
        }
    }

    fn cd(c: i64, d: i64) -> Price {
        Price::new(Asset::core(c), Asset::new(d, USD))
    }

    #[test]
    fn tcr_cover_is_the_smallest_debt_reaching_the_target() {
        // Feed 12 core/USD, TCR 2.0 → target 24; the call pays 15 core/USD. (20000 − 15X)/(1000 − X) > 24
        // ⇔ 9X > 4000 ⇔ X ≥ 445.
        let c = call(20_000, 1000, Some(2000));
        let feed = Price::new(Asset::new(100, USD), Asset::core(1200));
        assert_eq!(max_debt_to_cover(&c, cd(15_000, 1000), feed, 1750, cd(21, 1)), 445);
        // Without a TCR all of the debt; above maintenance nothing.
        assert_eq!(max_debt_to_cover(&call(20_000, 1000, None), cd(15, 1), feed, 1750, cd(21, 1)), 1000);
        assert_eq!(max_debt_to_cover(&call(22_000, 1000, Some(2000)), cd(15, 1), feed, 1750, cd(21, 1)), 0);
    }

    #[test]
    fn tcr_cover_always_ends_above_the_target_or_takes_everything() {
        let mut rng = SplitMix64(7);
        for _ in 0..2000 {
            let debt = rng.range(1, 1_000_000);
            let feed = Price::new(Asset::new(rng.range(1, 10_000), USD), Asset::core(rng.range(1, 10_000)));
            let mcr = 1750u16;
            let maint = super::super::price_mul_ratio(feed.invert(), u32::from(mcr), 1000);
            // Collateral between 1.0× and the maintenance ratio of the debt's value.
            let value = i128::from(debt) * i128::from(feed.quote.amount) / i128::from(feed.base.amount);
            let coll = (value + value * i128::from(rng.range(0, 750)) / 1000).clamp(1, 1_000_000_000_000) as i64;
            let tcr = rng.range(1001, 3000) as u16;
            let c = call(coll, debt, Some(tcr));
            if price_lt(&maint, &c.collateralization()) {
                continue;
            }
            // The call pays at a price between the feed and MSSP.
            let pays = super::super::price_mul_ratio(feed.invert(), rng.range(1000, 1500) as u32, 1000);
            let x = max_debt_to_cover(&c, pays, feed, mcr, maint);
            assert!(x > 0 && x <= debt, "cover {x} of {debt}");
            if x < debt {
                let to_pay = conv(Asset::new(x, USD), &pays, true);
                let target = super::super::price_mul_ratio(feed.invert(), u32::from(tcr.max(mcr)), 1000);
                let after = Price::new(Asset::core(coll - to_pay), Asset::new(debt - x, USD));
                assert!(price_lt(&target, &after), "{c:?} cover {x} at {pays:?} ends at {after:?} ≤ {target:?}");
                assert_eq!(after.base.asset_id, CORE_ASSET);
            }
        }
    }
}
