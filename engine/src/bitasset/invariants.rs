//! Whole-state invariants checked after every block in tests (issue 6 item 7). Read-only.
//!
//! * **Supply**: for every asset, `current_supply` equals everything that holds it: account
//!   balances; limit orders (`for_sale` in the sold asset, the deferred fee in core, the deferred
//!   paid fee in its asset); debt-position collateral, settlement funds and collateral bids (in
//!   the backing asset); pending force settlements (in the bitasset); vesting balances;
//!   unclaimed genesis balances; each asset's `accumulated_fees`, its `accumulated_collateral_fees`
//!   (in its backing asset) and fee pool (core); pending fees in account statistics (core).
//! * **Debt**: a bitasset that is not globally settled has `sum of position debt ==
//!   current_supply`; a globally settled one has no position and its fund backs the supply.
//! * **Margin calls**: no position at or below the maintenance collateralization remains while
//!   the book holds an order selling the bitasset for its backing at or above MCOP (unless force
//!   settlements are pending, which take such positions first).
//! * **Book**: no pair of assets has a crossed book (best bid below best ask on every pair
//!   that has both sides).
//!
//! Cost: one pass over every arena; for tests and audits, never on the block path.

use super::{price_lt, DerivedPrices};
use crate::dex::matching::crosses;
use crate::dex::Side;
use crate::state::State;
use ledger::ids::{AssetId, CORE_ASSET};
use std::collections::BTreeMap;

/// Check every invariant; the first violation found is described in the error.
pub fn check_invariants(state: &State) -> Result<(), String> {
    check_supply(state)?;
    check_debt(state)?;
    check_margin_calls(state)?;
    check_book(state)
}

/// Every invariant but the supply one, for tests that mint balances outside the protocol.
pub fn check_positions_and_book(state: &State) -> Result<(), String> {
    check_debt(state)?;
    check_margin_calls(state)?;
    check_book(state)
}

/// What holds each asset, summed (i128: a sum of valid amounts cannot overflow).
pub fn holdings(state: &State) -> BTreeMap<AssetId, i128> {
    let mut held: BTreeMap<AssetId, i128> = BTreeMap::new();
    let mut add = |a: AssetId, v: i64| *held.entry(a).or_default() += i128::from(v);
    for (_, b) in state.balances.iter() {
        add(b.asset_type, b.balance);
    }
    for (_, o) in state.limit_orders.iter() {
        add(o.sell_asset(), o.for_sale);
        add(CORE_ASSET, o.deferred_fee);
        add(o.deferred_paid_fee.asset_id, o.deferred_paid_fee.amount);
    }
    for (_, c) in state.call_orders.iter() {
        add(c.collateral_asset(), c.collateral);
    }
    for (_, s) in state.force_settlements.iter() {
        add(s.balance.asset_id, s.balance.amount);
    }
    for (_, b) in state.collateral_bids.iter() {
        add(b.inv_swan_price.base.asset_id, b.inv_swan_price.base.amount);
    }
    for (_, v) in state.vesting_balances.iter() {
        add(v.balance.asset_id, v.balance.amount);
    }
    for (_, g) in state.genesis_balances.iter() {
        add(g.balance.asset_id, g.balance.amount);
    }
    for (_, s) in state.statistics.iter() {
        add(CORE_ASSET, s.pending_fees + s.pending_vested_fees);
    }
    for (_, b) in state.bitasset_data.iter() {
        add(b.options.short_backing_asset, b.settlement_fund + b.individual_settlement_fund);
    }
    for (_, a) in state.assets.iter() {
        let d = state.asset_dynamic_data(a.id);
        add(a.id, d.accumulated_fees);
        add(CORE_ASSET, d.fee_pool);
        if let Some(b) = state.bitasset_data(a.id) {
            add(b.options.short_backing_asset, d.accumulated_collateral_fees);
        }
    }
    held
}

fn check_supply(state: &State) -> Result<(), String> {
    let held = holdings(state);
    for (_, a) in state.assets.iter() {
        let supply = i128::from(state.asset_dynamic_data(a.id).current_supply);
        let h = held.get(&a.id).copied().unwrap_or(0);
        if supply != h {
            return Err(format!("{} ({}): current_supply {supply} but {h} is held", a.symbol, a.id));
        }
    }
    Ok(())
}

fn check_debt(state: &State) -> Result<(), String> {
    let mut debt: BTreeMap<AssetId, i128> = BTreeMap::new();
    for (_, c) in state.call_orders.iter() {
        if c.debt <= 0 || c.collateral <= 0 {
            return Err(format!("position {} has collateral {} and debt {}", c.id, c.collateral, c.debt));
        }
        *debt.entry(c.debt_asset()).or_default() += i128::from(c.debt);
    }
    for (_, b) in state.bitasset_data.iter() {
        let supply = i128::from(state.asset_dynamic_data(b.asset_id).current_supply);
        let d = debt.get(&b.asset_id).copied().unwrap_or(0);
        if b.is_globally_settled() {
            if d != 0 {
                return Err(format!("globally settled {} still has {d} debt in positions", b.asset_id));
            }
        } else if d != supply {
            return Err(format!("{}: positions owe {d} but current_supply is {supply}", b.asset_id));
        }
    }
    Ok(())
}

fn check_margin_calls(state: &State) -> Result<(), String> {
    for (_, b) in state.bitasset_data.iter() {
        if b.is_prediction_market || b.is_globally_settled() {
            continue;
        }
        let Some(p) = DerivedPrices::of(b) else { continue };
        if state.force_settlements.index().of_asset(b.asset_id).next().is_some() {
            continue;
        }
        let Some(ci) = state.call_orders.index().by_collateral(b.asset_id).next() else { continue };
        let call = state.call_orders.get(ci).expect("indexed");
        if price_lt(&p.maintenance_collateralization, &call.collateralization()) {
            continue;
        }
        let Some(li) = state.limit_orders.index().best(b.asset_id, p.collateral_asset) else { continue };
        let order = state.limit_orders.get(li).expect("indexed");
        if !price_lt(&order.sell_price, &p.margin_call_order_price) {
            return Err(format!(
                "position {} ({} collateral for {} debt) is callable while order {} sells at {:?} ≥ MCOP {:?}",
                call.id, call.collateral, call.debt, order.id, order.sell_price, p.margin_call_order_price
            ));
        }
    }
    Ok(())
}

fn check_book(state: &State) -> Result<(), String> {
    for (pair, book) in state.limit_orders.index().books.markets() {
        let (Some(ask), Some(bid)) = (book.best_id(Side::Ask), book.best_id(Side::Bid)) else { continue };
        let a = state.limit_orders.get(ask).expect("indexed").sell_price;
        let b = state.limit_orders.get(bid).expect("indexed").sell_price;
        if crosses(a.base.amount, a.quote.amount, b.base.amount, b.quote.amount) {
            return Err(format!("book {}/{} is crossed: {a:?} against {b:?}", pair.base, pair.quote));
        }
    }
    Ok(())
}
