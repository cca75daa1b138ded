//! BitAssets 2.0 (PROTOCOL.md §5.4–§5.8): market-issued assets backed by collateral, their price
//! feeds, debt positions (call orders), margin calls and the global-settlement response to a
//! black swan. Current (post-all-hardforks) bitshares-core behaviour only.
//!
//! Layout:
//! - this file: the derived prices of a bitasset (MSSP, MCOP, MCPR, maintenance and initial
//!   collateralization) and the `price × ratio` arithmetic they use, the typed rejections, and
//!   the bitasset-data index (feed expiry, pending CER updates).
//! - [`feeds`]: `asset_create` with bitasset options, `asset_update_bitasset`,
//!   `asset_update_feed_producers`, `asset_publish_feed`, the per-field median, end-of-block feed
//!   expiry and core-exchange-rate updates.
//! - [`call_order`]: `call_order_update` and [`call_order::fill_call_order`].
//! - [`margin`]: margin calls both ways (a new limit order taking callable positions at MCOP;
//!   [`margin::check_call_orders`] matching callable positions against the book) and the
//!   target-collateral-ratio cover ([`margin::max_debt_to_cover`]).
//! - [`global_settle`]: black-swan detection and [`global_settle::globally_settle_asset`].
//!
//! Invariants: every amount is an integer, products go through i128 (or `ethnum::U256` where
//! bitshares-core uses boost's int256: the TCR formula and the ratio comparison); callable
//! positions are found through the `by_collateral` index (least collateralized first), so the
//! cost of a margin-call check never grows with the number of healthy positions. Every function that mutates runs inside the caller's undo session and
//! may fail only before its first write, or with a rejection that undoes the whole operation.
//! Nothing here reads a clock: time arrives as the block's head time.
//!
//! Deliberately not here (the `settle` branch builds on these functions): force settlement,
//! `asset_settle` after a global settlement, `asset_global_settle`, `bid_collateral` and revival,
//! prediction-market resolution. Black-swan response methods other than global settlement are
//! refused at `asset_create` / `asset_update_bitasset`.

pub mod call_order;
pub mod feeds;
pub mod force_settle;
pub mod global_settle;
pub mod invariants;
pub mod margin;
pub mod revival;

use crate::state::State;
use ethnum::U256;
use ledger::asset::{Asset, Price, COLLATERAL_RATIO_DENOM, MAX_SHARE_SUPPLY};
use ledger::graph::Index;
use ledger::ids::AssetId;
use ledger::objects::AssetBitassetDataObject;
use num_integer::gcd;
use std::collections::BTreeSet;

pub use call_order::fill_call_order;
pub use feeds::{update_bitasset_current_feed, update_median_feeds};
pub use global_settle::{check_for_blackswan, globally_settle_asset};
pub use margin::{check_call_orders, max_debt_to_cover};

/// Why a bitasset operation was refused. Wrapped by [`crate::Rejection::Bitasset`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BitassetError {
    #[error("{op} applies only to market-issued assets; {asset} is user-issued")]
    NotMarketIssued { op: &'static str, asset: String },
    #[error("{asset} cannot be backed by {backing}: {reason}")]
    BadBackingAsset { asset: String, backing: String, reason: &'static str },
    #[error("a prediction market must have the precision of its backing asset ({backing_precision}), not {precision}")]
    PredictionMarketPrecision { precision: u8, backing_precision: u8 },
    #[error("bitasset option {field} = {value} must be greater than the block interval {block_interval} s")]
    OptionBelowBlockInterval { field: &'static str, value: u32, block_interval: u8 },
    #[error("black swan response method {method} is not supported; only global settlement (0) is")]
    UnsupportedResponseMethod { method: u8 },
    #[error("bitasset options of {asset} cannot be updated: {reason}")]
    UpdateForbidden { asset: String, reason: &'static str },
    #[error("{count} feed producers named; the maximum is {max}")]
    TooManyFeedProducers { count: usize, max: u8 },
    #[error("{asset} is {which}-fed: its feed producers cannot be set")]
    FeedProducersFixed { asset: String, which: &'static str },
    #[error("{account} may not publish feeds for {asset}")]
    NotFeedProducer { account: ledger::ids::AccountId, asset: String },
    #[error("feed for {asset} is malformed: {reason}")]
    FeedMismatch { asset: String, reason: &'static str },
    #[error("{asset} is globally settled")]
    GloballySettled { asset: String },
    #[error("{asset} has no valid price feed")]
    NoFeed { asset: String },
    #[error("the collateral of {asset} is {expected}, not {got}")]
    WrongCollateral { asset: String, expected: AssetId, got: AssetId },
    #[error("debt position update is invalid: {reason}")]
    PositionInvalid { reason: &'static str },
    #[error("new supply {new_supply} of {asset} would be outside [0, {max_supply}]")]
    SupplyOutOfRange { asset: String, new_supply: i64, max_supply: i64 },
    #[error("position of {collateral} collateral for {debt} debt is not above the initial collateralization {icr_collateral}/{icr_debt}")]
    BelowInitialCollateral { collateral: i64, debt: i64, icr_collateral: i64, icr_debt: i64 },
    #[error("position of {collateral} collateral for {debt} debt would be below the maximum short squeeze price and trigger a black swan")]
    BelowShortSqueezePrice { collateral: i64, debt: i64 },
    #[error("the update would trigger a black swan on {asset}, which a debt position update may not do")]
    BlackSwanNotAllowed { asset: String },
}

impl BitassetError {
    pub fn code(&self) -> &'static str {
        use BitassetError::*;
        match self {
            NotMarketIssued { .. } => "not_market_issued",
            BadBackingAsset { .. } => "bad_backing_asset",
            PredictionMarketPrecision { .. } => "prediction_market_precision",
            OptionBelowBlockInterval { .. } => "bitasset_option_below_block_interval",
            UnsupportedResponseMethod { .. } => "unsupported_black_swan_response_method",
            UpdateForbidden { .. } => "bitasset_update_forbidden",
            TooManyFeedProducers { .. } => "too_many_feed_producers",
            FeedProducersFixed { .. } => "feed_producers_fixed",
            NotFeedProducer { .. } => "not_feed_producer",
            FeedMismatch { .. } => "feed_mismatch",
            GloballySettled { .. } => "globally_settled",
            NoFeed { .. } => "no_price_feed",
            WrongCollateral { .. } => "wrong_collateral_asset",
            PositionInvalid { .. } => "call_order_invalid",
            SupplyOutOfRange { .. } => "supply_out_of_range",
            BelowInitialCollateral { .. } => "call_order_below_initial_collateral",
            BelowShortSqueezePrice { .. } => "call_order_below_short_squeeze_price",
            BlackSwanNotAllowed { .. } => "black_swan_not_allowed",
        }
    }
}

/// Secondary index of the bitasset data arena: feed expiration (`by_feed_expiration`) and the
/// assets whose core exchange rate waits to be copied from the feed (`by_cer_update`).
#[derive(Default)]
pub struct BitassetIndex {
    pub by_feed_expiration: BTreeSet<(u32, u64)>,
    pub cer_pending: BTreeSet<u64>,
}
impl Index<AssetBitassetDataObject> for BitassetIndex {
    fn insert(&mut self, instance: u64, obj: &AssetBitassetDataObject) {
        self.by_feed_expiration.insert((obj.feed_expiration_time().0, instance));
        if obj.need_to_update_cer() {
            self.cer_pending.insert(instance);
        }
    }
    fn remove(&mut self, instance: u64, obj: &AssetBitassetDataObject) {
        self.by_feed_expiration.remove(&(obj.feed_expiration_time().0, instance));
        self.cer_pending.remove(&instance);
    }
    fn update(&mut self, instance: u64, old: &AssetBitassetDataObject, new: &AssetBitassetDataObject) {
        self.remove(instance, old);
        self.insert(instance, new);
    }
}

/// `price × ratio` (`asset.cpp:112-191`): the exact product reduced to lowest terms; if a side
/// exceeds 10^15 both are halved until they fit, and the closer of that and the integer-ratio
/// approximation is kept; an approximation that moved the price the wrong way returns `p`.
/// `p` must be valid (both sides positive) and `num`, `den` positive.
pub fn price_mul_ratio(p: Price, num: u32, den: u32) -> Price {
    // An invalid price or ratio is left as it is rather than divided by zero.
    if num == den || p.base.amount <= 0 || p.quote.amount <= 0 || num == 0 || den == 0 {
        return p;
    }
    let (n0, d0) = (p.base.amount as u128 * u128::from(num), p.quote.amount as u128 * u128::from(den));
    let g = gcd(n0, d0);
    let (on, od) = (n0 / g, d0 / g);
    let max = MAX_SHARE_SUPPLY as u128;
    let (mut n, mut d) = (on, od);
    let (mut shrinked, mut using_max) = (false, false);
    while n > max || d > max {
        if n == 1 {
            (n, d) = (1, max);
            using_max = true;
            break;
        } else if d == 1 {
            (n, d) = (max, 1);
            using_max = true;
            break;
        }
        (n, d) = (n >> 1, d >> 1);
        let g = gcd(n, d).max(1);
        (n, d) = (n / g, d / g);
        shrinked = true;
    }
    if shrinked {
        let (nn, nd) = if on > od { ((on / od).min(max), 1) } else { (1, (od / on).min(max)) };
        if nn == max || nd == max {
            (n, d) = (nn, nd);
        } else {
            // |nn/nd − on/od| < |n/d − on/od|, compared exactly with wide products.
            // |a/b − on/od| = |a·od − on·b| / (b·od); every factor is ≤ 10^15 × 3.2·10^19, so
            // the products fit u128 and the comparison of the two differences needs 256 bits.
            let diff = |a: u128, b: u128| -> (u128, u128) { ((a * od).abs_diff(on * b), b * od) };
            let (d1n, d1d) = diff(nn, nd);
            let (d2n, d2d) = diff(n, d);
            if U256::new(d1n) * U256::new(d2d) < U256::new(d2n) * U256::new(d1d) {
                (n, d) = (nn, nd);
            }
        }
    }
    let np = Price::new(Asset::new(n as i64, p.base.asset_id), Asset::new(d as i64, p.quote.asset_id));
    if shrinked || using_max {
        let cmp = ledger::asset::price_cmp(&np, &p);
        if (num > den && cmp.is_lt()) || (num < den && cmp.is_gt()) {
            return p;
        }
    }
    np
}

/// `p / ratio` = `p × (den/num)`.
pub fn price_div_ratio(p: Price, num: u32, den: u32) -> Price {
    price_mul_ratio(p, den, num)
}

/// `a < b` by value for prices of the same asset pair (the protocol's `operator<`).
pub fn price_lt(a: &Price, b: &Price) -> bool {
    ledger::asset::price_cmp(a, b).is_lt()
}

/// The prices a bitasset's margin-call rules are written in, derived from its current feed
/// (F = settlement price, D per C). All are exact `Price`s; none is a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DerivedPrices {
    pub debt_asset: AssetId,
    pub collateral_asset: AssetId,
    /// F, base D / quote C.
    pub feed_price: Price,
    /// MSSP = F × 1000/MSSR (D/C): what a margin call pays at most.
    pub max_short_squeeze_price: Price,
    /// MCOP = F × 1000/max(MSSR − MCFR, 1000) (D/C): the price margin calls are offered at.
    pub margin_call_order_price: Price,
    /// MCPR = max(MSSR − MCFR, 1000) / MSSR, as (numerator, denominator).
    pub margin_call_pays_ratio: (u16, u16),
    /// `~F × MCR/1000` (C/D): positions at or below it are callable.
    pub maintenance_collateralization: Price,
    /// `~F × ICR/1000` when ICR > MCR, else the maintenance collateralization (C/D).
    pub initial_collateralization: Price,
    pub mcr: u16,
    pub mssr: u16,
}

/// `get_margin_call_price_numerator`: max(MSSR − MCFR, 1000).
pub fn margin_call_order_numerator(mssr: u16, mcfr: Option<u16>) -> u16 {
    let mcfr = mcfr.unwrap_or(0);
    let n = if mcfr < mssr { mssr - mcfr } else { COLLATERAL_RATIO_DENOM };
    n.max(COLLATERAL_RATIO_DENOM)
}

impl DerivedPrices {
    /// The derived prices of a bitasset data object, or None while it has no feed.
    pub fn of(bad: &AssetBitassetDataObject) -> Option<DerivedPrices> {
        let feed = &bad.current_feed.feed;
        let f = feed.settlement_price;
        if f.is_null() || !f.is_valid() {
            return None;
        }
        let mssr = feed.maximum_short_squeeze_ratio;
        let mcor = margin_call_order_numerator(mssr, bad.options.extensions.margin_call_fee_ratio);
        let denom = u32::from(COLLATERAL_RATIO_DENOM);
        Some(DerivedPrices {
            debt_asset: bad.asset_id,
            collateral_asset: bad.options.short_backing_asset,
            feed_price: f,
            max_short_squeeze_price: price_mul_ratio(f, denom, u32::from(mssr)),
            margin_call_order_price: price_div_ratio(f, u32::from(mcor), denom),
            margin_call_pays_ratio: (mcor, mssr),
            maintenance_collateralization: bad.current_maintenance_collateralization,
            initial_collateralization: bad.current_initial_collateralization,
            mcr: feed.maintenance_collateral_ratio,
            mssr,
        })
    }

    /// `price × MCPR`.
    pub fn times_pays_ratio(&self, p: Price) -> Price {
        price_mul_ratio(p, u32::from(self.margin_call_pays_ratio.0), u32::from(self.margin_call_pays_ratio.1))
    }
}

/// The derived prices of `asset` (None if it is not a bitasset or has no feed).
pub fn derived_prices(state: &State, asset: AssetId) -> Option<DerivedPrices> {
    state.bitasset_data(asset).and_then(DerivedPrices::of)
}

/// The symbol of an asset for messages.
pub(crate) fn symbol(state: &State, asset: AssetId) -> String {
    state.asset(asset).map_or_else(|| asset.to_string(), |a| a.symbol.clone())
}

/// Instance of the bitasset data of `asset` (which the caller knows is market-issued).
pub(crate) fn bitasset_instance(state: &State, asset: AssetId) -> u64 {
    state.asset(asset).and_then(|a| a.bitasset_data_id).expect("caller checked the asset is market-issued").0
}

/// Add `delta` to the core-in-orders statistic of `account` (collateral in core counts as stake).
pub(crate) fn add_core_in_orders(state: &mut State, account: ledger::ids::AccountId, delta: i64) {
    if delta == 0 {
        return;
    }
    let stats = state.account(account).expect("position owners exist").statistics.0;
    state.statistics.modify(stats, |s| s.total_core_in_orders += delta);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(b: i64, q: i64) -> Price {
        Price::new(Asset::new(b, AssetId(1)), Asset::new(q, AssetId(0)))
    }

    #[test]
    fn price_times_ratio_reduces_to_lowest_terms() {
        // 10/20 × 1000/1500 = 10000/30000 = 1/3.
        assert_eq!(price_mul_ratio(p(10, 20), 1000, 1500), p(1, 3));
        assert_eq!(price_mul_ratio(p(7, 9), 5, 5), p(7, 9));
    }

    #[test]
    fn price_times_ratio_halves_sides_beyond_max_supply() {
        // 10^15/3 × 7/5: numerator 7·10^15 > 10^15, so both sides are halved until they fit.
        let r = price_mul_ratio(p(MAX_SHARE_SUPPLY, 3), 7, 5);
        assert!(r.base.amount <= MAX_SHARE_SUPPLY && r.quote.amount <= MAX_SHARE_SUPPLY);
        // The value stays within 1 part in 10^14 of 7/15 · 10^15.
        let exact = 7 * MAX_SHARE_SUPPLY as i128 / 15;
        let got = r.base.amount as i128 / r.quote.amount as i128;
        assert!((got - exact).abs() <= exact / 100_000_000_000_000 + 1);
    }

    #[test]
    fn margin_call_order_numerator_floors_at_one() {
        assert_eq!(margin_call_order_numerator(1500, Some(100)), 1400);
        assert_eq!(margin_call_order_numerator(1500, None), 1500);
        assert_eq!(margin_call_order_numerator(1200, Some(500)), 1000);
        assert_eq!(margin_call_order_numerator(1200, Some(1300)), 1000);
    }
}
