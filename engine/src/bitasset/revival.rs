//! Collateral bids and the revival of a globally settled BitAsset (PROTOCOL.md §5.10):
//! `bid_collateral` (op 45), the bid processing at maintenance, and the revival on a feed
//! update (bitshares-core `market_evaluator.cpp` bid_collateral, `db_maint.cpp` process_bids,
//! `db_market.cpp` revive_bitasset / execute_bid / cancel_bid).
//!
//! Invariants: one bid per (bidder, asset); a bid's `additional_collateral` (its
//! `inv_swan_price.base`) has left the bidder's balance and is refunded when the bid is
//! replaced, withdrawn or not taken at a revival. A revival covers the whole supply with new
//! debt positions, empties the settlement fund into them to the last unit, and leaves no bid
//! on the asset. Maintenance visits the bids of a settled asset only, best first, and stops at
//! the first that would not be above the initial collateralization.

use super::force_settle::{conv0, settle_err, SettleError};
use super::{add_core_in_orders, bitasset_instance, price_lt, symbol, BitassetError};
use crate::error::Rejection;
use crate::evaluators::is_authorized_asset;
use crate::evaluators::{adjust_balance, insufficient, require_asset};
use crate::state::State;
use ledger::asset::{Asset, Price};
use ledger::ids::{AssetId, CallOrderId, CollateralBidId, CORE_ASSET};
use ledger::objects::{CallOrderObject, CollateralBidObject};
use ledger::ops::flags;
use ledger::ops::{BidCollateralOp, ExecuteBidOp, Operation, OperationResult};

// ---- bid_collateral (op 45) ----

/// The bid being replaced, if any.
pub fn evaluate_bid(state: &State, op: &BidCollateralOp) -> Result<Option<u64>, Rejection> {
    let a = require_asset(state, op.debt_covered.asset_id)?;
    let Some(bad) = state.bitasset_data(a.id) else {
        return Err(Rejection::Bitasset(BitassetError::NotMarketIssued {
            op: "bid_collateral",
            asset: a.symbol.clone(),
        }));
    };
    let asset = || a.symbol.clone();
    if a.options.flags & flags::DISABLE_COLLATERAL_BIDDING != 0 {
        return Err(settle_err(SettleError::CollateralBiddingDisabled { asset: asset() }));
    }
    if !bad.is_globally_settled() {
        return Err(settle_err(SettleError::NotGloballySettled { asset: asset() }));
    }
    let backing = bad.options.short_backing_asset;
    if op.additional_collateral.asset_id != backing {
        return Err(Rejection::Bitasset(BitassetError::WrongCollateral {
            asset: asset(),
            expected: backing,
            got: op.additional_collateral.asset_id,
        }));
    }
    if bad.is_prediction_market {
        return Err(settle_err(SettleError::PredictionMarketBid { asset: asset() }));
    }
    let existing = state.collateral_bids.index().find(op.bidder, a.id);
    if existing.is_none() && op.debt_covered.amount == 0 {
        return Err(settle_err(SettleError::NoBidToCancel { account: op.bidder, asset: asset() }));
    }
    if op.additional_collateral.amount > 0 {
        let have = state.balance(op.bidder, backing);
        let locked = existing.and_then(|i| state.collateral_bids.get(i)).map_or(0, |b| b.inv_swan_price.base.amount);
        let need = op.additional_collateral.amount - locked;
        if have < need {
            return Err(insufficient(state, op.bidder, backing, have, need));
        }
    }
    for x in [a, require_asset(state, backing)?] {
        if !is_authorized_asset(state, op.bidder, x) {
            return Err(Rejection::NotAuthorizedForAsset { account: op.bidder, asset: x.symbol.clone() });
        }
    }
    Ok(existing)
}

/// Replace (or withdraw, with `debt_covered` 0) the bidder's bid; the new collateral is locked.
pub fn apply_bid(state: &mut State, op: &BidCollateralOp, existing: Option<u64>) -> Result<OperationResult, Rejection> {
    if let Some(i) = existing {
        cancel_bid(state, i, false)?;
    }
    if op.debt_covered.amount == 0 {
        return Ok(OperationResult::default());
    }
    adjust_balance(state, op.bidder, Asset::new(-op.additional_collateral.amount, op.additional_collateral.asset_id))?;
    state.collateral_bids.create(|i| CollateralBidObject {
        id: CollateralBidId(i),
        bidder: op.bidder,
        inv_swan_price: Price::new(op.additional_collateral, op.debt_covered),
    });
    Ok(OperationResult::default())
}

/// `cancel_bid`: refund the locked collateral; a cancellation by the chain (not by a new bid)
/// emits a `bid_collateral` virtual op with `debt_covered` 0.
pub fn cancel_bid(state: &mut State, instance: u64, virtual_op: bool) -> Result<(), Rejection> {
    let bid = state.collateral_bids.get(instance).expect("caller found the bid").clone();
    adjust_balance(state, bid.bidder, bid.inv_swan_price.base)?;
    if virtual_op {
        state.virtual_ops.push(Operation::BidCollateral(BidCollateralOp {
            fee: Asset::core(0),
            bidder: bid.bidder,
            additional_collateral: bid.inv_swan_price.base,
            debt_covered: Asset::new(0, bid.debt_asset()),
            ..Default::default()
        }));
    }
    state.collateral_bids.remove(instance);
    Ok(())
}

/// `execute_bid`: the bid becomes a debt position of `debt` backed by its own collateral plus
/// `from_fund` of the settlement fund; emits `execute_bid`.
fn execute_bid(state: &mut State, instance: u64, debt: i64, from_fund: i64) -> Result<(), Rejection> {
    let bid = state.collateral_bids.get(instance).expect("caller found the bid").clone();
    let (c, d) = (bid.inv_swan_price.base.asset_id, bid.debt_asset());
    let collateral = bid.inv_swan_price.base.amount + from_fund;
    state.call_orders.create(|i| CallOrderObject {
        id: CallOrderId(i),
        borrower: bid.bidder,
        collateral,
        debt,
        call_price: Price::new(Asset::new(1, c), Asset::new(1, d)),
        target_collateral_ratio: None,
    });
    if c == CORE_ASSET {
        add_core_in_orders(state, bid.bidder, collateral);
    }
    state.virtual_ops.push(Operation::ExecuteBid(ExecuteBidOp {
        fee: Asset::core(0),
        bidder: bid.bidder,
        debt: Asset::new(debt, d),
        collateral: Asset::new(collateral, c),
    }));
    state.collateral_bids.remove(instance);
    Ok(())
}

/// `_cancel_bids_and_revive_mpa`: refund every remaining bid and clear the settlement.
fn cancel_bids_and_revive(state: &mut State, asset: AssetId) -> Result<(), Rejection> {
    let bids: Vec<u64> = state.collateral_bids.index().of_asset(asset).collect();
    for b in bids {
        cancel_bid(state, b, true)?;
    }
    let instance = bitasset_instance(state, asset);
    state.bitasset_data.modify(instance, |b| {
        b.settlement_price = Price::default();
        b.settlement_fund = 0;
    });
    Ok(())
}

/// `process_bids` at maintenance for a globally settled, non-prediction-market asset with a
/// feed: with no supply it revives at once; otherwise the bids, best first, each taking
/// `min(debt, supply)` with that debt's share of the fund, are accepted while the resulting
/// position is above the initial collateralization; if they cover the whole supply each becomes
/// a position (the last one takes what remains of the fund), the others are refunded, and the
/// asset is revived.
pub fn process_bids(state: &mut State, asset: AssetId) -> Result<(), Rejection> {
    let Some(bad) = state.bitasset_data(asset).cloned() else { return Ok(()) };
    if bad.is_prediction_market || !bad.is_globally_settled() || bad.current_feed.feed.settlement_price.is_null() {
        return Ok(());
    }
    let supply = state.asset_dynamic_data(asset).current_supply;
    if supply == 0 {
        return cancel_bids_and_revive(state, asset);
    }
    let backing = bad.options.short_backing_asset;
    let share = |debt: i64| conv0(Asset::new(debt, asset), &bad.settlement_price, false);
    let mut covered = 0i64;
    let mut accepted = Vec::new();
    for instance in state.collateral_bids.index().of_asset(asset) {
        if covered >= supply {
            break;
        }
        let bid = state.collateral_bids.get(instance).expect("indexed");
        let debt = bid.inv_swan_price.quote.amount.min(supply);
        let total = share(debt) + bid.inv_swan_price.base.amount;
        let cr = Price::new(Asset::new(total, backing), Asset::new(debt, asset));
        if !price_lt(&bad.current_initial_collateralization, &cr) {
            break;
        }
        covered += debt;
        accepted.push(instance);
    }
    if covered < supply {
        return Ok(());
    }
    let (mut to_cover, mut remaining_fund) = (supply, bad.settlement_fund);
    for instance in accepted {
        let quote = state.collateral_bids.get(instance).expect("accepted bids exist").inv_swan_price.quote.amount;
        let mut debt = quote.min(supply);
        let mut from_fund = share(debt);
        if debt >= to_cover {
            (debt, from_fund) = (to_cover, remaining_fund);
        }
        to_cover -= debt;
        remaining_fund -= from_fund;
        execute_bid(state, instance, debt, from_fund)?;
    }
    assert!(to_cover == 0 && remaining_fund == 0, "a revival of {asset} must place all supply and fund");
    cancel_bids_and_revive(state, asset)
}

/// `revive_bitasset` on a feed update (`asset_evaluator.cpp` publish_feed): when a settled
/// asset's supply is 0 or its fund's collateralization is above the initial collateralization,
/// the issuer takes the whole supply and fund as one position (through a pseudo bid of no
/// collateral, which consumes a 2.17 id as on bitshares-core) and the asset is revived.
pub fn revive_on_feed(state: &mut State, asset: AssetId) -> Result<(), Rejection> {
    let Some(bad) = state.bitasset_data(asset).cloned() else { return Ok(()) };
    if !bad.is_globally_settled() || bad.is_prediction_market || bad.current_feed.feed.settlement_price.is_null() {
        return Ok(());
    }
    let supply = state.asset_dynamic_data(asset).current_supply;
    let backing = bad.options.short_backing_asset;
    let fund_cr = Price::new(Asset::new(bad.settlement_fund, backing), Asset::new(supply, asset));
    if supply != 0 && !price_lt(&bad.current_initial_collateralization, &fund_cr) {
        return Ok(());
    }
    if supply > 0 {
        let issuer = state.asset(asset).expect("exists").issuer;
        if state.collateral_bids.index().find(issuer, asset).is_some() {
            return Err(settle_err(SettleError::IssuerHasBid { issuer, asset: symbol(state, asset) }));
        }
        let pseudo = state.collateral_bids.create(|i| CollateralBidObject {
            id: CollateralBidId(i),
            bidder: issuer,
            inv_swan_price: Price::new(Asset::new(0, backing), Asset::new(supply, asset)),
        });
        execute_bid(state, pseudo, supply, bad.settlement_fund)?;
    }
    cancel_bids_and_revive(state, asset)
}

/// The bitasset step of maintenance added by this module: reset the force-settlement volumes
/// and process the bids of every globally settled asset. Visits each bitasset once.
pub fn at_maintenance(state: &mut State) {
    super::force_settle::reset_force_settled_volumes(state);
    let settled: Vec<AssetId> =
        state.bitasset_data.iter().filter(|(_, b)| b.is_globally_settled()).map(|(_, b)| b.asset_id).collect();
    for asset in settled {
        // Only refunds, position creation and fund moves of amounts already checked to fit.
        process_bids(state, asset).expect("processing collateral bids moves only locked amounts");
    }
}
