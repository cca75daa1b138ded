//! Operation evaluation (PROTOCOL.md §2.4): one module per operation family, dispatched by tag
//! through the table of [`dispatch::Evaluator`]s.
//!
//! For each operation, in the order bitshares-core uses: the fee is prepared (converted to core
//! through the asset's core exchange rate and fee pool when paid in another asset), checked
//! against the fee schedule, the family's `evaluate` checks state without writing, the fee is
//! converted and credited to the payer's pending fees, the family's `apply` makes the change,
//! and only then is the fee debited from the payer's balance (so a transfer of the whole
//! balance fails for want of the fee, as on bitshares-core).
//!
//! Every call runs inside the transaction's undo session: an error anywhere leaves no trace.
//!
//! This module is the families' shared base: balances ([`adjust_balance`]), fee preparation
//! and charging, the lookups every family starts with, and the asset-authorization rule
//! ([`is_authorized_asset`]). Families import the base, not each other; what still crosses
//! is the market with the BitAsset rules (a taker meets margin calls in `market::apply_order`,
//! and margin calls and settlement fill limit orders through `market::fill_limit_order`),
//! and `asset` calling into `bitasset` for bitasset options.

pub mod account;
pub mod asset;
pub mod balance;
pub mod dispatch;
pub mod fees;
pub mod market;
pub mod transfer;
pub mod vesting;

use crate::error::{Amount, Rejection};
use crate::state::State;
use ledger::asset::Asset;
use ledger::ids::{AccountId, AssetId, CORE_ASSET};
use ledger::objects::AccountBalanceObject;
use ledger::ops::{Operation, OperationResult};
use ledger::time::TimePointSec;

/// What evaluation may skip; everything is checked by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Skip {
    /// Do not compare paid fees with the fee schedule (bitshares' `skip_fee_schedule_check`).
    pub fee_schedule: bool,
}

/// Facts about the block being applied that evaluators may read.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// Head block time: the previous block's timestamp while a block's transactions apply.
    pub now: TimePointSec,
    /// The timestamp of the block being applied (core's `_current_block_time`, db_block.cpp:624);
    /// outside a block (pending transactions), the head block time. New accounts and assets are
    /// stamped with it (account_evaluator.cpp:214, asset_evaluator.cpp:326); everything else
    /// that reads "now" reads `now`, as core's `head_block_time()`.
    pub block_time: TimePointSec,
    /// Number of the block being applied.
    pub block_num: u32,
    pub skip: Skip,
}

/// The fee of one operation after `prepare_fee`.
#[derive(Clone, Copy, Debug)]
pub struct PreparedFee {
    pub payer: AccountId,
    pub fee: Asset,
    /// The fee's value in core: what is credited to fee statistics.
    pub core_fee_paid: i64,
}

/// An amount printable in a rejection.
pub fn amount(state: &State, asset: AssetId, value: i64) -> Amount {
    match state.asset(asset) {
        Some(a) => Amount { amount: value, asset, symbol: a.symbol.clone(), precision: a.precision },
        None => Amount { amount: value, asset, symbol: asset.to_string(), precision: 0 },
    }
}

/// Add `delta` to an account's balance, creating the balance object on first credit. A debit
/// beyond the balance is `InsufficientBalance` and changes nothing.
pub fn adjust_balance(state: &mut State, owner: AccountId, delta: Asset) -> Result<(), Rejection> {
    if delta.amount == 0 {
        return Ok(());
    }
    match state.balances.index().find(owner, delta.asset_id) {
        Some(instance) => {
            let have = state.balances.get(instance).map_or(0, |b| b.balance);
            let new = have.checked_add(delta.amount).ok_or_else(|| Rejection::Arithmetic("balance overflow".into()))?;
            if new < 0 {
                return Err(insufficient(state, owner, delta.asset_id, have, -delta.amount));
            }
            state.balances.modify(instance, |b| b.balance = new);
        }
        None => {
            if delta.amount < 0 {
                return Err(insufficient(state, owner, delta.asset_id, 0, -delta.amount));
            }
            state.balances.create(|i| AccountBalanceObject {
                id: ledger::ids::AccountBalanceId(i),
                owner,
                asset_type: delta.asset_id,
                balance: delta.amount,
                maintenance_flag: false,
            });
        }
    }
    Ok(())
}

pub fn insufficient(state: &State, account: AccountId, asset: AssetId, have: i64, need: i64) -> Rejection {
    Rejection::InsufficientBalance { account, have: amount(state, asset, have), need: amount(state, asset, need) }
}

/// Require that `account` exists.
pub fn require_account(state: &State, account: AccountId) -> Result<&ledger::objects::AccountObject, Rejection> {
    state.account(account).ok_or(Rejection::UnknownAccount(account))
}

/// Require that `asset` exists.
pub fn require_asset(state: &State, asset: AssetId) -> Result<&ledger::objects::AssetObject, Rejection> {
    state.asset(asset).ok_or(Rejection::UnknownAsset(asset))
}

/// `is_authorized_asset` (is_authorized_asset.cpp:35-71): may `account` hold and move `asset`?
pub fn is_authorized_asset(state: &State, account: AccountId, asset: &ledger::objects::AssetObject) -> bool {
    let Some(acct) = state.account(account) else { return false };
    if asset.options.flags & ledger::ops::flags::WHITE_LIST == 0 && acct.allowed_assets.is_none() {
        return true;
    }
    if account == ledger::ids::COMMITTEE_ACCOUNT {
        return true;
    }
    if let Some(allowed) = &acct.allowed_assets {
        if !allowed.contains(&asset.id) {
            return false;
        }
    }
    if acct.blacklisting_accounts.iter().any(|a| asset.options.blacklist_authorities.contains(a)) {
        return false;
    }
    asset.options.whitelist_authorities.is_empty()
        || acct.whitelisting_accounts.iter().any(|a| asset.options.whitelist_authorities.contains(a))
}

/// `prepare_fee` (evaluator.cpp:51-78): convert the fee to core through the core exchange rate
/// and check the asset's fee pool can cover it.
pub fn prepare_fee(state: &State, payer: AccountId, fee: Asset) -> Result<PreparedFee, Rejection> {
    require_account(state, payer)?;
    let fee_asset = require_asset(state, fee.asset_id)?;
    if fee.amount < 0 {
        return Err(Rejection::NegativeFee(amount(state, fee.asset_id, fee.amount)));
    }
    if !is_authorized_asset(state, payer, fee_asset) {
        return Err(Rejection::NotAuthorizedForAsset { account: payer, asset: fee_asset.symbol.clone() });
    }
    let core_fee_paid = if fee.asset_id == CORE_ASSET {
        fee.amount
    } else {
        let cer = fee_asset.options.core_exchange_rate;
        let core = cer
            .mul_floor(fee)
            .map_err(|_| Rejection::FeeConversionOverflow { fee: fee.amount, symbol: fee_asset.symbol.clone() })?;
        let pool = state.asset_dynamic_data(fee.asset_id).fee_pool;
        if core.amount > pool {
            return Err(Rejection::FeePoolInsufficient { symbol: fee_asset.symbol.clone(), pool, need: core.amount });
        }
        core.amount
    };
    Ok(PreparedFee { payer, fee, core_fee_paid })
}

/// `convert_fee`: a non-core fee goes to the asset's accumulated fees and its core value leaves
/// the fee pool.
fn convert_fee(state: &mut State, f: &PreparedFee) {
    if f.fee.asset_id == CORE_ASSET || f.fee.amount == 0 {
        return;
    }
    let dyn_id = state.asset(f.fee.asset_id).expect("checked in prepare_fee").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, |d| {
        d.accumulated_fees += f.fee.amount;
        d.fee_pool -= f.core_fee_paid;
    });
}

/// `pay_fee`: credit the core value to the payer's pending fees, in the bucket chosen by the
/// cashback vesting threshold (account_object.cpp:100-106).
pub fn pay_fee(state: &mut State, payer: AccountId, core_fee: i64) {
    if core_fee == 0 {
        return;
    }
    let threshold = state.gpo().parameters.cashback_vesting_threshold;
    let stats = state.account(payer).expect("checked in prepare_fee").statistics.0;
    let add = |s: &mut ledger::objects::AccountStatisticsObject| {
        if core_fee > threshold {
            s.pending_fees += core_fee;
        } else {
            s.pending_vested_fees += core_fee;
        }
    };
    // The pending-fee index keys on (name, has pending fees): a payer that already has pending
    // fees keeps both (fees are positive), so the index needs no old copy to compare.
    let stays_pending = state.statistics.get(stats).is_some_and(|s| {
        s.pending_fees >= 0 && s.pending_vested_fees >= 0 && (s.pending_fees > 0 || s.pending_vested_fees > 0)
    });
    if stays_pending && core_fee > 0 {
        state.statistics.modify_unindexed(stats, add);
    } else {
        state.statistics.modify(stats, add);
    }
}

/// `convert_fee` then `pay_fee` for the whole fee: what every operation does between its
/// evaluate and apply steps, unless it treats its fee specially (asset_create, limit orders).
fn charge_fee(state: &mut State, f: &PreparedFee) {
    convert_fee(state, f);
    pay_fee(state, f.payer, f.core_fee_paid);
}

/// Apply one operation with its fee. Runs inside the transaction's undo session.
pub fn apply_operation(state: &mut State, ctx: &Context, op: &Operation) -> Result<OperationResult, Rejection> {
    let fee = prepare_fee(state, op.fee_payer(), op.fee())?;
    if !ctx.skip.fee_schedule {
        let required =
            state.gpo().parameters.current_fees.calculate_fee(op).map_err(|e| Rejection::Arithmetic(e.to_string()))?;
        if (fee.core_fee_paid as i128) < i128::from(required) {
            return Err(Rejection::InsufficientFee {
                op: op.name(),
                paid: amount(state, fee.fee.asset_id, fee.fee.amount),
                core_value: fee.core_fee_paid,
                required: amount(state, CORE_ASSET, required as i64),
            });
        }
    }
    use dispatch::run;
    let result = match op {
        Operation::Transfer(o) => run(o, state, ctx, &fee),
        Operation::AccountCreate(o) => run(o, state, ctx, &fee),
        Operation::AccountUpdate(o) => run(o, state, ctx, &fee),
        Operation::AccountUpgrade(o) => run(o, state, ctx, &fee),
        Operation::BalanceClaim(o) => run(o, state, ctx, &fee),
        Operation::VestingBalanceCreate(o) => run(o, state, ctx, &fee),
        Operation::VestingBalanceWithdraw(o) => run(o, state, ctx, &fee),
        Operation::AssetCreate(o) => run(o, state, ctx, &fee),
        Operation::AssetUpdate(o) => run(o, state, ctx, &fee),
        Operation::AssetUpdateIssuer(o) => run(o, state, ctx, &fee),
        Operation::AssetIssue(o) => run(o, state, ctx, &fee),
        Operation::AssetReserve(o) => run(o, state, ctx, &fee),
        Operation::AssetFundFeePool(o) => run(o, state, ctx, &fee),
        Operation::AssetClaimPool(o) => run(o, state, ctx, &fee),
        Operation::AssetClaimFees(o) => run(o, state, ctx, &fee),
        Operation::LimitOrderCreate(o) => run(o, state, ctx, &fee),
        Operation::LimitOrderCancel(o) => run(o, state, ctx, &fee),
        Operation::LimitOrderUpdate(o) => run(o, state, ctx, &fee),
        Operation::AssetUpdateBitasset(o) => run(o, state, ctx, &fee),
        Operation::AssetUpdateFeedProducers(o) => run(o, state, ctx, &fee),
        Operation::AssetPublishFeed(o) => run(o, state, ctx, &fee),
        Operation::CallOrderUpdate(o) => run(o, state, ctx, &fee),
        Operation::AssetSettle(o) => run(o, state, ctx, &fee),
        Operation::AssetGlobalSettle(o) => run(o, state, ctx, &fee),
        Operation::BidCollateral(o) => run(o, state, ctx, &fee),
        other => {
            return Err(Rejection::Unsupported { op: other.name(), reason: "its evaluator arrives with a later issue" })
        }
    }?;
    // The fee leaves the payer's balance after the operation's effects (evaluator.hpp:175).
    adjust_balance(state, fee.payer, Asset::new(-fee.fee.amount, fee.fee.asset_id))?;
    Ok(result)
}
