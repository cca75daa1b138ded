//! Bitasset set-up and price feeds (PROTOCOL.md §5.5, §5.11): the bitasset part of
//! `asset_create` (10), `asset_update_bitasset` (12), `asset_update_feed_producers` (13),
//! `asset_publish_feed` (19), the per-field median, the cached collateralization prices, and the
//! end-of-block feed expiry and core-exchange-rate copy (bitshares-core `asset_evaluator.cpp`,
//! `asset_object.cpp`, `db_update.cpp`).
//!
//! Invariants: `current_feed == median_feed` (the only response method is global settlement);
//! `current_maintenance_collateralization` / `current_initial_collateralization` always match
//! `current_feed` (null when it is); a feed change that moves the margin-call parameters runs
//! [`check_call_orders`](super::margin::check_call_orders). Never iterates all bitassets per
//! block: expiry walks the `by_feed_expiration` index from its start.

use super::{bitasset_instance, price_mul_ratio, symbol, BitassetError};
use crate::error::Rejection;
use crate::evaluators::{require_account, require_asset, Context};
use crate::state::State;
use ledger::asset::{price_cmp, Price, COLLATERAL_RATIO_DENOM};
use ledger::ids::*;
use ledger::objects::{AssetBitassetDataObject, PriceFeedWithIcr};
use ledger::ops::flags;
use ledger::ops::{
    AssetCreateOp, AssetPublishFeedOp, AssetUpdateBitassetOp, AssetUpdateFeedProducersOp, BitassetOptions,
    OperationResult,
};
use ledger::time::TimePointSec;
use std::cmp::Ordering;

fn err(e: BitassetError) -> Rejection {
    Rejection::Bitasset(e)
}

fn bad_backing(state: &State, asset: &str, backing: AssetId, reason: &'static str) -> Rejection {
    err(BitassetError::BadBackingAsset { asset: asset.into(), backing: symbol(state, backing), reason })
}

/// Options checks shared by create and update: lifetimes longer than a block, and only the
/// global-settlement response method.
fn check_options(state: &State, o: &BitassetOptions) -> Result<(), Rejection> {
    let block_interval = state.gpo().parameters.block_interval;
    for (field, value) in
        [("feed_lifetime_sec", o.feed_lifetime_sec), ("force_settlement_delay_sec", o.force_settlement_delay_sec)]
    {
        if value <= u32::from(block_interval) {
            return Err(err(BitassetError::OptionBelowBlockInterval { field, value, block_interval }));
        }
    }
    match o.extensions.black_swan_response_method {
        None | Some(0) => Ok(()),
        Some(method) => Err(err(BitassetError::UnsupportedResponseMethod { method })),
    }
}

/// The backing rules of `asset_evaluator.cpp:247-263`: a bitasset may be backed by core, a
/// user-issued asset, or a bitasset whose own backing is not a bitasset; the committee's
/// bitassets must ultimately be core-backed.
fn check_backing(state: &State, asset: &str, issuer: AccountId, backing_id: AssetId) -> Result<(), Rejection> {
    let backing = require_asset(state, backing_id)?;
    let root = match state.bitasset_data(backing_id) {
        Some(b) => {
            let bb = b.options.short_backing_asset;
            if state.asset(bb).is_some_and(|a| a.is_market_issued()) {
                return Err(bad_backing(state, asset, backing_id, "it is a bitasset backed by another bitasset"));
            }
            bb
        }
        None => backing.id,
    };
    if issuer == COMMITTEE_ACCOUNT && root != CORE_ASSET {
        return Err(bad_backing(state, asset, backing_id, "committee-issued bitassets must be backed by core"));
    }
    Ok(())
}

/// The bitasset part of `asset_create`'s evaluation.
pub fn evaluate_create(state: &State, op: &AssetCreateOp) -> Result<(), Rejection> {
    let Some(o) = &op.bitasset_opts else { return Ok(()) };
    check_backing(state, &op.symbol, op.issuer, o.short_backing_asset)?;
    check_options(state, o)?;
    if op.is_prediction_market {
        let backing_precision = require_asset(state, o.short_backing_asset)?.precision;
        if op.precision != backing_precision {
            return Err(err(BitassetError::PredictionMarketPrecision { precision: op.precision, backing_precision }));
        }
    }
    Ok(())
}

/// Create the 2.4 object of a new bitasset `asset`; returns its id for the asset object.
pub fn create_bitasset_data(state: &mut State, asset: AssetId, op: &AssetCreateOp) -> Option<AssetBitassetDataId> {
    let o = op.bitasset_opts.as_ref()?;
    let instance = state.bitasset_data.create(|i| AssetBitassetDataObject {
        id: AssetBitassetDataId(i),
        asset_id: asset,
        options: o.clone(),
        is_prediction_market: op.is_prediction_market,
        ..Default::default()
    });
    Some(AssetBitassetDataId(instance))
}

fn market_issued<'a>(
    state: &'a State,
    op: &'static str,
    asset: AssetId,
) -> Result<(&'a ledger::objects::AssetObject, &'a AssetBitassetDataObject), Rejection> {
    let a = require_asset(state, asset)?;
    match state.bitasset_data(asset) {
        Some(b) => Ok((a, b)),
        None => Err(err(BitassetError::NotMarketIssued { op, asset: a.symbol.clone() })),
    }
}

fn require_issuer(a: &ledger::objects::AssetObject, claimed: AccountId) -> Result<(), Rejection> {
    if a.issuer != claimed {
        return Err(Rejection::NotIssuer { account: claimed, asset: a.symbol.clone(), issuer: a.issuer });
    }
    Ok(())
}

// ---- asset_update_bitasset (op 12) ----

pub fn evaluate_update_bitasset(state: &State, op: &AssetUpdateBitassetOp) -> Result<(), Rejection> {
    let (a, bad) = market_issued(state, "asset_update_bitasset", op.asset_to_update)?;
    require_issuer(a, op.issuer)?;
    let forbid = |reason| Err(err(BitassetError::UpdateForbidden { asset: a.symbol.clone(), reason }));
    let (old, new) = (&bad.options, &op.new_options);
    check_options(state, new)?;
    if new.short_backing_asset != old.short_backing_asset {
        let dynamic = state.asset_dynamic_data(a.id);
        if bad.is_globally_settled() {
            return forbid("the backing asset cannot change after a global settlement");
        }
        if dynamic.current_supply != 0 {
            return forbid("the backing asset cannot change while there is supply");
        }
        if dynamic.accumulated_collateral_fees != 0 {
            return forbid("collateral fees must be claimed before the backing asset changes");
        }
        if new.short_backing_asset == a.id {
            return Err(bad_backing(state, &a.symbol, a.id, "an asset cannot back itself"));
        }
        let backing = require_asset(state, new.short_backing_asset)?;
        if bad.is_prediction_market && backing.precision != a.precision {
            let e = BitassetError::PredictionMarketPrecision {
                precision: a.precision,
                backing_precision: backing.precision,
            };
            return Err(err(e));
        }
        check_backing(state, &a.symbol, a.issuer, backing.id)?;
        check_children(state, a, backing)?;
    }
    if bad.is_prediction_market && new.extensions.black_swan_response_method.is_some() {
        return forbid("a prediction market has no black swan response method");
    }
    // `can_owner_update_mcr/icr/mssr`: the issuer may have given those updates up for good.
    let (oe, ne) = (&old.extensions, &new.extensions);
    let f = a.options.issuer_permissions;
    if f & flags::DISABLE_MCR_UPDATE != 0 && oe.maintenance_collateral_ratio != ne.maintenance_collateral_ratio {
        return forbid("the issuer disabled MCR updates");
    }
    if f & flags::DISABLE_ICR_UPDATE != 0 && oe.initial_collateral_ratio != ne.initial_collateral_ratio {
        return forbid("the issuer disabled ICR updates");
    }
    if f & flags::DISABLE_MSSR_UPDATE != 0 && oe.maximum_short_squeeze_ratio != ne.maximum_short_squeeze_ratio {
        return forbid("the issuer disabled MSSR updates");
    }
    Ok(())
}

/// `check_children_of_bitasset`: assets backed by `a` limit what may back `a`. A committee child
/// needs `a` core-backed; any child forbids backing `a` by a bitasset (a chain of three).
/// Visits the bitasset data objects (an issuer operation, not per block).
fn check_children(
    state: &State,
    a: &ledger::objects::AssetObject,
    new_backing: &ledger::objects::AssetObject,
) -> Result<(), Rejection> {
    if new_backing.id == CORE_ASSET {
        return Ok(());
    }
    for (_, child) in state.bitasset_data.iter().filter(|(_, b)| b.options.short_backing_asset == a.id) {
        let child_asset = state.asset(child.asset_id).expect("bitasset data belongs to an asset");
        if child_asset.issuer == COMMITTEE_ACCOUNT {
            return Err(bad_backing(state, &a.symbol, new_backing.id, "a committee bitasset is backed by this asset"));
        }
        if new_backing.is_market_issued() {
            return Err(bad_backing(state, &a.symbol, new_backing.id, "another bitasset is backed by this asset"));
        }
    }
    Ok(())
}

pub fn apply_update_bitasset(
    state: &mut State,
    ctx: &Context,
    op: &AssetUpdateBitassetOp,
) -> Result<OperationResult, Rejection> {
    let instance = bitasset_instance(state, op.asset_to_update);
    let asset = state.asset(op.asset_to_update).expect("checked in evaluate").clone();
    let old = state.bitasset_data.get(instance).expect("checked in evaluate").clone();
    let (o, n) = (&old.options, &op.new_options);
    let backing_changed = n.short_backing_asset != o.short_backing_asset;
    let should_update = backing_changed
        || n.minimum_feeds != o.minimum_feeds
        || n.feed_lifetime_sec != o.feed_lifetime_sec
        || n.extensions.maintenance_collateral_ratio != o.extensions.maintenance_collateral_ratio
        || n.extensions.maximum_short_squeeze_ratio != o.extensions.maximum_short_squeeze_ratio
        || n.extensions.initial_collateral_ratio != o.extensions.initial_collateral_ratio;
    let mcfr_changed = n.extensions.margin_call_fee_ratio != o.extensions.margin_call_fee_ratio;
    let fed_by_chain = asset.options.flags & (flags::WITNESS_FED_ASSET | flags::COMMITTEE_FED_ASSET) != 0;
    state.bitasset_data.modify(instance, |b| {
        if backing_changed {
            if fed_by_chain {
                b.feeds.clear();
            } else {
                // Producers stay; their feeds priced in the old backing asset become null.
                for (_, (_, f)) in b.feeds.iter_mut() {
                    f.feed.settlement_price = Price::default();
                }
            }
        }
        b.options = op.new_options.clone();
    });
    let mut feed_changed = false;
    if should_update {
        update_median_feeds(state, op.asset_to_update, ctx.now);
        let new_feed = &state.bitasset_data.get(instance).expect("exists").current_feed;
        feed_changed = !margin_call_params_equal(&old.current_feed, new_feed);
    }
    // A new MCFR moves the margin-call order price even when the feed did not change.
    if feed_changed || mcfr_changed {
        super::margin::check_call_orders(state, op.asset_to_update, true)?;
    }
    Ok(OperationResult::default())
}

// ---- asset_update_feed_producers (op 13) ----

pub fn evaluate_update_feed_producers(state: &State, op: &AssetUpdateFeedProducersOp) -> Result<(), Rejection> {
    let max = state.gpo().parameters.maximum_asset_feed_publishers;
    if op.new_feed_producers.len() > usize::from(max) {
        return Err(err(BitassetError::TooManyFeedProducers { count: op.new_feed_producers.len(), max }));
    }
    let (a, _) = market_issued(state, "asset_update_feed_producers", op.asset_to_update)?;
    for (bit, which) in [(flags::COMMITTEE_FED_ASSET, "committee"), (flags::WITNESS_FED_ASSET, "witness")] {
        if a.options.flags & bit != 0 {
            return Err(err(BitassetError::FeedProducersFixed { asset: a.symbol.clone(), which }));
        }
    }
    require_issuer(a, op.issuer)?;
    for p in &op.new_feed_producers {
        require_account(state, *p)?;
    }
    Ok(())
}

/// Remove the feeds of producers not in the new set, add empty entries for new producers (their
/// publication time 0 keeps them out of the median until they publish), recompute the median.
pub fn apply_update_feed_producers(
    state: &mut State,
    ctx: &Context,
    op: &AssetUpdateFeedProducersOp,
) -> Result<OperationResult, Rejection> {
    let instance = bitasset_instance(state, op.asset_to_update);
    state.bitasset_data.modify(instance, |b| {
        b.feeds.retain(|acc, _| op.new_feed_producers.contains(acc));
        for p in &op.new_feed_producers {
            b.feeds.entry(*p).or_default();
        }
    });
    update_median_feeds(state, op.asset_to_update, ctx.now);
    super::margin::check_call_orders(state, op.asset_to_update, true)?;
    Ok(OperationResult::default())
}

// ---- asset_publish_feed (op 19) ----

pub fn evaluate_publish_feed(state: &State, op: &AssetPublishFeedOp) -> Result<(), Rejection> {
    let (a, bad) = market_issued(state, "asset_publish_feed", op.asset_id)?;
    let mismatch = |reason| Err(err(BitassetError::FeedMismatch { asset: a.symbol.clone(), reason }));
    if bad.is_prediction_market && bad.is_globally_settled() {
        return Err(err(BitassetError::GloballySettled { asset: a.symbol.clone() }));
    }
    let (sp, cer) = (&op.feed.settlement_price, &op.feed.core_exchange_rate);
    if sp.base.asset_id != a.id {
        return mismatch("the settlement price's base must be the asset itself");
    }
    if sp.quote.asset_id != bad.options.short_backing_asset {
        return mismatch("the settlement price must be quoted in the backing asset");
    }
    if !cer.is_null() && (cer.quote.asset_id != CORE_ASSET || cer.base.asset_id != a.id) {
        return mismatch("the core exchange rate must price the asset in core");
    }
    let allowed = if a.options.flags & flags::WITNESS_FED_ASSET != 0 {
        state.account(WITNESS_ACCOUNT).is_some_and(|w| w.active.account_auths.contains_key(&op.publisher))
    } else if a.options.flags & flags::COMMITTEE_FED_ASSET != 0 {
        state.account(COMMITTEE_ACCOUNT).is_some_and(|c| c.active.account_auths.contains_key(&op.publisher))
    } else {
        bad.feeds.contains_key(&op.publisher)
    };
    if !allowed {
        return Err(err(BitassetError::NotFeedProducer { account: op.publisher, asset: a.symbol.clone() }));
    }
    Ok(())
}

/// Store the feed, recompute the median, and run margin calls when the margin-call parameters
/// of the median moved. (A globally settled asset would be revived here, before the margin calls,
/// when its supply is 0 or its fund's ratio is above the initial collateralization: §5.10.)
pub fn apply_publish_feed(
    state: &mut State,
    ctx: &Context,
    op: &AssetPublishFeedOp,
) -> Result<OperationResult, Rejection> {
    let instance = bitasset_instance(state, op.asset_id);
    let old = state.bitasset_data.get(instance).expect("checked in evaluate").current_feed.clone();
    let feed = PriceFeedWithIcr::new(op.feed.clone(), op.extensions.initial_collateral_ratio);
    state.bitasset_data.modify(instance, |b| {
        b.feeds.insert(op.publisher, (ctx.now, feed));
    });
    update_median_feeds(state, op.asset_id, ctx.now);
    let new = state.bitasset_data.get(instance).expect("exists").current_feed.clone();
    if !margin_call_params_equal(&old, &new) {
        super::revival::revive_on_feed(state, op.asset_id)?;
        super::margin::check_call_orders(state, op.asset_id, true)?;
    }
    Ok(OperationResult::default())
}

// ---- the median and its caches ----

/// `price_feed::margin_call_params_equal`: settlement price (by value), MCR and MSSR.
pub fn margin_call_params_equal(a: &PriceFeedWithIcr, b: &PriceFeedWithIcr) -> bool {
    let (a, b) = (&a.feed, &b.feed);
    price_cmp(&a.settlement_price, &b.settlement_price) == Ordering::Equal
        && a.settlement_price.is_null() == b.settlement_price.is_null()
        && a.maintenance_collateral_ratio == b.maintenance_collateral_ratio
        && a.maximum_short_squeeze_ratio == b.maximum_short_squeeze_ratio
}

/// `update_median_feeds` then `update_bitasset_current_feed` (`asset_object.cpp:47-134`): the
/// feeds younger than `feed_lifetime_sec` (never-published entries excluded); fewer than
/// `minimum_feeds` gives a null feed; one feed is the median; otherwise each field takes the
/// element at index ⌊n/2⌋ of its sorted values. MCR, MSSR and ICR set in the options override
/// the fed values. `current_feed_publication_time` becomes the oldest effective feed's time.
pub fn update_median_feeds(state: &mut State, asset: AssetId, now: TimePointSec) {
    let instance = bitasset_instance(state, asset);
    state.bitasset_data.modify(instance, |b| {
        let lifetime = b.options.feed_lifetime_sec;
        let mut publication = now;
        let mut live: Vec<&PriceFeedWithIcr> = Vec::new();
        for (time, feed) in b.feeds.values() {
            if time.0 != 0 && now.0.saturating_sub(time.0) < lifetime {
                live.push(feed);
                publication = publication.min(*time);
            }
        }
        let median = if live.is_empty() || live.len() < usize::from(b.options.minimum_feeds) {
            publication = now;
            None
        } else {
            Some(median_of(&live, &b.options))
        };
        b.current_feed_publication_time = publication;
        match median {
            None => {
                // The new CER is null: nothing to copy to the asset.
                b.feed_cer_updated = false;
                b.median_feed = PriceFeedWithIcr::default();
            }
            Some(m) => {
                if price_cmp(&b.median_feed.feed.core_exchange_rate, &m.feed.core_exchange_rate) != Ordering::Equal {
                    b.feed_cer_updated = true;
                }
                b.median_feed = m;
            }
        }
        b.current_feed = b.median_feed.clone();
        refresh_cache(b);
    });
}

/// `update_bitasset_current_feed`: with global settlement as the only response method the
/// current feed is the median; recompute both (kept as the name the settle code expects).
pub fn update_bitasset_current_feed(state: &mut State, asset: AssetId, now: TimePointSec) {
    update_median_feeds(state, asset, now);
}

fn median_of(live: &[&PriceFeedWithIcr], o: &BitassetOptions) -> PriceFeedWithIcr {
    let mut m = if live.len() == 1 {
        live[0].clone()
    } else {
        let mid = live.len() / 2;
        let pick = |cmp: &dyn Fn(&PriceFeedWithIcr, &PriceFeedWithIcr) -> Ordering| {
            let mut v: Vec<&PriceFeedWithIcr> = live.to_vec();
            v.sort_by(|a, b| cmp(a, b));
            v[mid]
        };
        let mut m = PriceFeedWithIcr::default();
        m.feed.settlement_price =
            pick(&|a, b| price_cmp(&a.feed.settlement_price, &b.feed.settlement_price)).feed.settlement_price;
        m.feed.core_exchange_rate =
            pick(&|a, b| price_cmp(&a.feed.core_exchange_rate, &b.feed.core_exchange_rate)).feed.core_exchange_rate;
        m.feed.maintenance_collateral_ratio =
            pick(&|a, b| a.feed.maintenance_collateral_ratio.cmp(&b.feed.maintenance_collateral_ratio))
                .feed
                .maintenance_collateral_ratio;
        m.feed.maximum_short_squeeze_ratio =
            pick(&|a, b| a.feed.maximum_short_squeeze_ratio.cmp(&b.feed.maximum_short_squeeze_ratio))
                .feed
                .maximum_short_squeeze_ratio;
        m.initial_collateral_ratio =
            pick(&|a, b| a.initial_collateral_ratio.cmp(&b.initial_collateral_ratio)).initial_collateral_ratio;
        m
    };
    let e = &o.extensions;
    if let Some(v) = e.maintenance_collateral_ratio {
        m.feed.maintenance_collateral_ratio = v;
    }
    if let Some(v) = e.maximum_short_squeeze_ratio {
        m.feed.maximum_short_squeeze_ratio = v;
    }
    if let Some(v) = e.initial_collateral_ratio {
        m.initial_collateral_ratio = v;
    }
    m
}

/// `refresh_cache`: maintenance collateralization `~F × MCR/1000`; initial `~F × ICR/1000` when
/// ICR > MCR, else the maintenance one. Null without a feed.
fn refresh_cache(b: &mut AssetBitassetDataObject) {
    let f = b.current_feed.feed.settlement_price;
    if f.is_null() || !f.is_valid() {
        b.current_maintenance_collateralization = Price::default();
        b.current_initial_collateralization = Price::default();
        return;
    }
    let denom = u32::from(COLLATERAL_RATIO_DENOM);
    let mcr = b.current_feed.feed.maintenance_collateral_ratio;
    let icr = b.current_feed.initial_collateral_ratio;
    b.current_maintenance_collateralization = price_mul_ratio(f.invert(), u32::from(mcr), denom);
    b.current_initial_collateralization = if icr > mcr {
        price_mul_ratio(f.invert(), u32::from(icr), denom)
    } else {
        b.current_maintenance_collateralization
    };
}

// ---- end of block ----

/// `update_expired_feeds` then `update_core_exchange_rates` (`db_update.cpp:530-614`): every
/// bitasset whose current feed expired at `now` gets its median recomputed (and margin calls run
/// when the margin-call parameters moved); then every asset whose feed CER changed copies it.
/// Runs after expired orders (and, on the settle branch, expired force settlements).
pub fn end_of_block(state: &mut State, now: TimePointSec) -> Result<(), Rejection> {
    loop {
        let first = state.bitasset_data.index().by_feed_expiration.iter().next().copied();
        let Some((expiration, instance)) = first.filter(|(e, _)| *e <= now.0) else { break };
        debug_assert!(expiration <= now.0);
        let b = state.bitasset_data.get(instance).expect("indexed").clone();
        update_median_feeds(state, b.asset_id, now);
        let nb = state.bitasset_data.get(instance).expect("indexed").clone();
        if !nb.current_feed.feed.settlement_price.is_null()
            && !margin_call_params_equal(&b.current_feed, &nb.current_feed)
        {
            super::margin::check_call_orders(state, b.asset_id, true)?;
        }
    }
    let pending: Vec<u64> = state.bitasset_data.index().cer_pending.iter().copied().collect();
    for instance in pending {
        let b = state.bitasset_data.get(instance).expect("indexed").clone();
        if !b.need_to_update_cer() {
            continue;
        }
        state.assets.modify(b.asset_id.0, |a| a.options.core_exchange_rate = b.current_feed.feed.core_exchange_rate);
        state.bitasset_data.modify(instance, |x| {
            x.asset_cer_updated = false;
            x.feed_cer_updated = false;
        });
    }
    Ok(())
}

/// The bitasset step of chain maintenance (`db_maint.cpp:964-981`): witness- and committee-fed
/// assets drop the feeds older than their lifetime (their publishers change with the votes, so
/// stale entries would otherwise stay forever). The current feed is not recomputed here, as in
/// bitshares-core; expiry at the end of the block does that. Visits every bitasset, once per
/// maintenance interval. (The settle branch resets `force_settled_volume` here too.)
pub fn at_maintenance(state: &mut State, now: TimePointSec) {
    let fed_by_chain: Vec<u64> = state
        .bitasset_data
        .iter()
        .filter(|(_, b)| {
            let flags = state.asset(b.asset_id).map_or(0, |a| a.options.flags);
            flags & (flags::WITNESS_FED_ASSET | flags::COMMITTEE_FED_ASSET) != 0 && b.options.feed_lifetime_sec < now.0
        })
        .map(|(i, _)| i)
        .collect();
    for instance in fed_by_chain {
        state.bitasset_data.modify(instance, |b| {
            let oldest_kept = now.0 - b.options.feed_lifetime_sec;
            b.feeds.retain(|_, (time, _)| time.0 >= oldest_kept);
        });
    }
}
