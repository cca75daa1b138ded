//! Debt positions (PROTOCOL.md §5.6): `call_order_update` (op 3) — borrow, repay, add or remove
//! collateral, close — and [`fill_call_order`], the one place a position pays collateral for debt
//! (margin calls, global settlement, and the settle branch's force settlements).
//!
//! Invariants: one position per (borrower, debt asset); a live position has debt > 0 and
//! collateral > 0; core collateral is counted in the owner's `total_core_in_orders`; new debt
//! raises `current_supply` (≤ `max_supply`), repaid debt lowers it. An accepted update leaves the
//! position above the initial collateralization, or raised its collateral ratio without adding
//! debt, or was margin called to completion (`market_evaluator.cpp:507-797`, CORE-2481/2467).

use super::{add_core_in_orders, BitassetError, DerivedPrices};
use crate::error::Rejection;
use crate::evaluators::is_authorized_asset;
use crate::evaluators::{adjust_balance, require_asset};
use crate::state::State;
use ledger::asset::{Asset, Price};
use ledger::ids::{CallOrderId, CORE_ASSET};
use ledger::objects::CallOrderObject;
use ledger::ops::{CallOrderUpdateOp, FillOrderOp, Operation, OperationResult};

fn err(e: BitassetError) -> Rejection {
    Rejection::Bitasset(e)
}

/// What evaluation found: the existing position (if any) and the resulting amounts.
#[derive(Clone, Copy, Debug)]
pub struct UpdatePlan {
    pub existing: Option<u64>,
    pub new_collateral: i64,
    pub new_debt: i64,
    pub closing: bool,
}

pub fn evaluate_update(state: &State, op: &CallOrderUpdateOp) -> Result<UpdatePlan, Rejection> {
    let debt_asset = require_asset(state, op.delta_debt.asset_id)?;
    let Some(bad) = state.bitasset_data(debt_asset.id) else {
        return Err(err(BitassetError::NotMarketIssued { op: "call_order_update", asset: debt_asset.symbol.clone() }));
    };
    // market_evaluator.cpp:518: new debt is new supply, which the issuer may have disabled.
    if op.delta_debt.amount > 0 && debt_asset.options.flags & ledger::ops::flags::DISABLE_NEW_SUPPLY != 0 {
        return Err(Rejection::NewSupplyDisabled(debt_asset.symbol.clone()));
    }
    let supply = state.asset_dynamic_data(debt_asset.id).current_supply;
    let new_supply = supply.saturating_add(op.delta_debt.amount);
    if new_supply > debt_asset.options.max_supply || new_supply < 0 {
        return Err(err(BitassetError::SupplyOutOfRange {
            asset: debt_asset.symbol.clone(),
            new_supply,
            max_supply: debt_asset.options.max_supply,
        }));
    }
    if bad.is_globally_settled() {
        return Err(err(BitassetError::GloballySettled { asset: debt_asset.symbol.clone() }));
    }
    let backing = bad.options.short_backing_asset;
    if op.delta_collateral.asset_id != backing {
        return Err(err(BitassetError::WrongCollateral {
            asset: debt_asset.symbol.clone(),
            expected: backing,
            got: op.delta_collateral.asset_id,
        }));
    }
    let invalid = |reason| Err(err(BitassetError::PositionInvalid { reason }));
    let existing = state.call_orders.index().find(op.funding_account, debt_asset.id);
    let mut plan = UpdatePlan { existing, new_collateral: 0, new_debt: 0, closing: false };
    match existing.and_then(|i| state.call_orders.get(i)) {
        Some(call) => {
            // The deltas are any i64 a transaction carries (validation only asks for one non-zero):
            // a sum past i64 is refused, not wrapped. The debt side is already bounded by the
            // supply check above; collateral is checked against the balance only when applied.
            let overflow = |what: &str, have: i64, delta: i64| {
                Rejection::Arithmetic(format!("position {what} {have} plus delta {delta} overflows"))
            };
            plan.new_collateral = call
                .collateral
                .checked_add(op.delta_collateral.amount)
                .ok_or_else(|| overflow("collateral", call.collateral, op.delta_collateral.amount))?;
            plan.new_debt = call
                .debt
                .checked_add(op.delta_debt.amount)
                .ok_or_else(|| overflow("debt", call.debt, op.delta_debt.amount))?;
            if plan.new_debt == 0 {
                if plan.new_collateral != 0 {
                    return invalid("closing a position must withdraw all of its collateral");
                }
                plan.closing = true;
            } else if plan.new_collateral <= 0 || plan.new_debt <= 0 {
                return invalid("an open position needs positive collateral and debt");
            }
        }
        None => {
            if op.delta_collateral.amount <= 0 || op.delta_debt.amount <= 0 {
                return invalid("a new position needs positive collateral and debt");
            }
            plan.new_collateral = op.delta_collateral.amount;
            plan.new_debt = op.delta_debt.amount;
        }
    }
    if bad.is_prediction_market {
        if op.delta_collateral.amount != op.delta_debt.amount {
            return invalid("in a prediction market collateral and debt change by the same amount");
        }
    } else if bad.current_feed.feed.settlement_price.is_null() && !plan.closing {
        return Err(err(BitassetError::NoFeed { asset: debt_asset.symbol.clone() }));
    }
    for a in [debt_asset, require_asset(state, backing)?] {
        if !is_authorized_asset(state, op.funding_account, a) {
            return Err(Rejection::NotAuthorizedForAsset { account: op.funding_account, asset: a.symbol.clone() });
        }
    }
    Ok(plan)
}

pub fn apply_update(state: &mut State, op: &CallOrderUpdateOp, plan: UpdatePlan) -> Result<OperationResult, Rejection> {
    let debt_id = op.delta_debt.asset_id;
    if op.delta_debt.amount != 0 {
        adjust_balance(state, op.funding_account, op.delta_debt)?;
        let dyn_id = state.asset(debt_id).expect("checked").dynamic_asset_data_id.0;
        state.asset_dynamic.modify(dyn_id, |d| d.current_supply += op.delta_debt.amount);
    }
    if op.delta_collateral.amount != 0 {
        adjust_balance(
            state,
            op.funding_account,
            Asset::new(-op.delta_collateral.amount, op.delta_collateral.asset_id),
        )?;
        if op.delta_collateral.asset_id == CORE_ASSET {
            add_core_in_orders(state, op.funding_account, op.delta_collateral.amount);
        }
    }
    let tcr = op.extensions.target_collateral_ratio;
    let (instance, old) = match plan.existing {
        Some(i) => {
            let old = state.call_orders.get(i).expect("checked").clone();
            if plan.closing {
                state.call_orders.remove(i);
                return Ok(OperationResult::ObjectId(CallOrderId(i).object_id()));
            }
            state.call_orders.modify(i, |c| {
                c.collateral = plan.new_collateral;
                c.debt = plan.new_debt;
                c.target_collateral_ratio = tcr;
            });
            (i, Some(old))
        }
        None => {
            let unit = Price::new(Asset::new(1, op.delta_collateral.asset_id), Asset::new(1, debt_id));
            let i = state.call_orders.create(|i| CallOrderObject {
                id: CallOrderId(i),
                borrower: op.funding_account,
                collateral: plan.new_collateral,
                debt: plan.new_debt,
                call_price: unit,
                target_collateral_ratio: tcr,
            });
            (i, None)
        }
    };
    let result = OperationResult::ObjectId(CallOrderId(instance).object_id());
    let bad = state.bitasset_data(debt_id).expect("checked").clone();
    if bad.is_prediction_market {
        return Ok(result);
    }
    check_acceptance(state, instance, old.as_ref(), &bad)?;
    Ok(result)
}

/// The CORE-2481 / CORE-2467 acceptance rules after the position changed.
fn check_acceptance(
    state: &mut State,
    instance: u64,
    old: Option<&CallOrderObject>,
    bad: &ledger::objects::AssetBitassetDataObject,
) -> Result<(), Rejection> {
    let call = state.call_orders.get(instance).expect("just written").clone();
    let cr = call.collateralization();
    let increasing_cr = old.is_some_and(|o| call.debt <= o.debt && super::price_lt(&o.collateralization(), &cr));
    let prices = DerivedPrices::of(bad).expect("a feed exists: checked in evaluate");
    // CR ≥ ~MSSP of the median feed, unless only raising the ratio.
    let mssp_inv = prices.max_short_squeeze_price.invert();
    if !increasing_cr && super::price_lt(&cr, &mssp_inv) {
        return Err(err(BitassetError::BelowShortSqueezePrice { collateral: call.collateral, debt: call.debt }));
    }
    // Margin calls without a black swan; then the position (if it survived) must have raised its
    // ratio without new debt or end above the initial collateralization (CORE-2467).
    super::margin::check_call_orders(state, bad.asset_id, false)?;
    let after = state.call_orders.get(instance).cloned();
    let icr = state.bitasset_data(bad.asset_id).expect("exists").current_initial_collateralization;
    let Some(after) = after else { return Ok(()) };
    let above_icr = super::price_lt(&icr, &after.collateralization());
    if increasing_cr || above_icr {
        return Ok(());
    }
    Err(err(BitassetError::BelowInitialCollateral {
        collateral: after.collateral,
        debt: after.debt,
        icr_collateral: icr.base.amount,
        icr_debt: icr.quote.amount,
    }))
}

/// `fill_call_order` (`db_market.cpp`): the position pays `pays` collateral and receives
/// `receives` debt; a fully repaid position returns its remaining collateral to the owner and
/// is removed. `margin_call_fee` (collateral, part of `pays`) goes to the debt asset's
/// `accumulated_collateral_fees`; `reduce_supply` burns the received debt (false only for a
/// global settlement, where the supply stays and the fund backs it). Emits `fill_order` for the
/// position with the fee, `fill_price` and `is_maker`. Returns whether the position is closed.
/// Undo-safe: only arena writes and balance credits, inside the caller's session.
#[allow(clippy::too_many_arguments)]
pub fn fill_call_order(
    state: &mut State,
    instance: u64,
    pays: Asset,
    receives: Asset,
    fill_price: Price,
    is_maker: bool,
    margin_call_fee: Asset,
    reduce_supply: bool,
) -> Result<bool, Rejection> {
    let call = state.call_orders.get(instance).expect("caller found the position").clone();
    assert!(
        call.debt_asset() == receives.asset_id
            && call.collateral_asset() == pays.asset_id
            && pays.amount <= call.collateral,
        "fill_call_order: {pays:?} / {receives:?} do not fit position {call:?}"
    );
    let new_debt = call.debt - receives.amount;
    let freed = if new_debt == 0 { call.collateral - pays.amount } else { 0 };
    if new_debt == 0 {
        state.call_orders.remove(instance);
    } else {
        state.call_orders.modify(instance, |c| {
            c.debt = new_debt;
            c.collateral -= pays.amount;
        });
    }
    if reduce_supply {
        let dyn_id = state.asset(receives.asset_id).expect("exists").dynamic_asset_data_id.0;
        state.asset_dynamic.modify(dyn_id, |d| d.current_supply -= receives.amount);
    }
    if new_debt == 0 {
        adjust_balance(state, call.borrower, Asset::new(freed, pays.asset_id))?;
    }
    if pays.asset_id == CORE_ASSET {
        add_core_in_orders(state, call.borrower, -(pays.amount + freed));
    }
    if margin_call_fee.amount != 0 {
        let dyn_id = state.asset(receives.asset_id).expect("exists").dynamic_asset_data_id.0;
        state.asset_dynamic.modify(dyn_id, |d| d.accumulated_collateral_fees += margin_call_fee.amount);
    }
    state.virtual_ops.push(Operation::FillOrder(FillOrderOp {
        fee: margin_call_fee,
        order_id: call.id.object_id(),
        account_id: call.borrower,
        pays,
        receives,
        fill_price,
        is_maker,
    }));
    Ok(new_debt == 0)
}
