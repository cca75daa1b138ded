//! Vesting balances: `vesting_balance_create` (op 32), `vesting_balance_withdraw` (op 33), the
//! arithmetic of the three vesting policies, and the cashback deposit the fee split uses
//! (vesting_balance_object.cpp, vesting_balance_evaluator.cpp, db_balance.cpp `deposit_cashback`
//! / `deposit_lazy_vesting`).
//!
//! Every policy is exact to the second: `now` is the head block time, products go through u128
//! and divisions floor, as in bitshares-core. A policy never allows withdrawing more than the
//! balance (asserted). Withdrawn-to-zero objects stay alive (objects live forever; a cashback
//! balance fills up again).

use super::{adjust_balance, amount, insufficient, require_account, require_asset, Context};
use crate::error::Rejection;
use crate::state::State;
use ledger::asset::Asset;
use ledger::ids::*;
use ledger::objects::*;
use ledger::ops::flags;
use ledger::ops::{OperationResult, VestingBalanceCreateOp, VestingBalanceWithdrawOp, VestingPolicyInitializer};
use ledger::time::TimePointSec;

fn seconds_between(later: TimePointSec, earlier: TimePointSec) -> u64 {
    u64::from(later.0.saturating_sub(earlier.0))
}

/// `cdd_vesting_policy::compute_coin_seconds_earned`: accrual since the last update, capped at
/// balance × vesting_seconds.
fn cdd_coin_seconds(p: &CddVestingPolicy, balance: i64, now: TimePointSec) -> u128 {
    let balance = balance.max(0) as u128;
    let delta = balance * u128::from(seconds_between(now, p.coin_seconds_earned_last_update));
    let cap = balance * u128::from(p.vesting_seconds.max(1));
    (p.coin_seconds_earned + delta).min(cap)
}

/// `get_allowed_withdraw`: how much of the balance may leave at `now`.
pub fn allowed_withdraw(vb: &VestingBalanceObject, now: TimePointSec) -> i64 {
    let balance = vb.balance.amount;
    let allowed = match &vb.policy {
        VestingPolicy::Linear(p) => {
            if now <= p.begin_timestamp {
                return 0;
            }
            let elapsed = seconds_between(now, p.begin_timestamp);
            if elapsed < u64::from(p.vesting_cliff_seconds) {
                return 0;
            }
            let total_vested = if elapsed < u64::from(p.vesting_duration_seconds) {
                (p.begin_balance.max(0) as u128 * u128::from(elapsed) / u128::from(p.vesting_duration_seconds)) as i64
            } else {
                p.begin_balance
            };
            let withdrawn_already = p.begin_balance - balance;
            (total_vested - withdrawn_already).max(0)
        }
        VestingPolicy::Cdd(p) => {
            if now <= p.start_claim {
                return 0;
            }
            (cdd_coin_seconds(p, balance, now) / u128::from(p.vesting_seconds.max(1))) as i64
        }
        VestingPolicy::Instant(_) => balance,
    };
    assert!(allowed <= balance, "a vesting policy allowed {allowed} of a balance of {balance}");
    allowed
}

/// `vesting_balance_object::deposit` (vested = false) or `deposit_vested` (vested = true, CDD
/// only: the new funds arrive already earned).
fn deposit(vb: &mut VestingBalanceObject, now: TimePointSec, value: i64, vested: bool) {
    if let VestingPolicy::Cdd(p) = &mut vb.policy {
        p.coin_seconds_earned = cdd_coin_seconds(p, vb.balance.amount, now);
        p.coin_seconds_earned_last_update = now;
        if vested {
            p.coin_seconds_earned += value as u128 * u128::from(p.vesting_seconds.max(1));
        }
    }
    vb.balance.amount += value;
}

/// `vesting_balance_object::withdraw`; the caller checked `allowed_withdraw`.
fn withdraw(vb: &mut VestingBalanceObject, now: TimePointSec, value: i64) {
    if let VestingPolicy::Cdd(p) = &mut vb.policy {
        p.coin_seconds_earned = cdd_coin_seconds(p, vb.balance.amount, now);
        p.coin_seconds_earned_last_update = now;
        let needed = value as u128 * u128::from(p.vesting_seconds.max(1));
        assert!(needed <= p.coin_seconds_earned, "withdrawal beyond the coin-seconds earned");
        p.coin_seconds_earned -= needed;
    }
    vb.balance.amount -= value;
}

/// `deposit_lazy_vesting`: add `value` to the CDD balance `existing` if it still fits (same
/// owner, CDD, same vesting period); otherwise create a new one and return its id.
fn deposit_lazy_vesting(
    state: &mut State,
    existing: Option<VestingBalanceId>,
    value: i64,
    vesting_seconds: u32,
    balance_type: VestingBalanceType,
    owner: AccountId,
    require_vesting: bool,
) -> Option<VestingBalanceId> {
    if value == 0 {
        return None;
    }
    let now = state.dgp().time;
    if let Some(id) = existing {
        let fits = state.vesting_balances.get(id.0).is_some_and(|vb| {
            vb.owner == owner && matches!(&vb.policy, VestingPolicy::Cdd(p) if p.vesting_seconds == vesting_seconds)
        });
        if fits {
            state.vesting_balances.modify(id.0, |vb| deposit(vb, now, value, !require_vesting));
            return None;
        }
    }
    let earned = if require_vesting { 0 } else { value as u128 * u128::from(vesting_seconds) };
    let instance = state.vesting_balances.create(|i| VestingBalanceObject {
        id: VestingBalanceId(i),
        owner,
        balance: Asset::new(value, CORE_ASSET),
        policy: VestingPolicy::Cdd(CddVestingPolicy {
            vesting_seconds,
            coin_seconds_earned: earned,
            start_claim: TimePointSec(0),
            coin_seconds_earned_last_update: now,
        }),
        balance_type,
    });
    Some(VestingBalanceId(instance))
}

/// `deposit_cashback` (db_balance.cpp): credit `value` core to `account`'s cashback vesting
/// balance (created on first use), vesting over `cashback_vesting_period_seconds` or, when
/// `require_vesting` is false, immediately withdrawable. The chain's own accounts 1.2.0–1.2.4
/// get no cashback: theirs returns to the reserve (current supply shrinks).
pub fn deposit_cashback(state: &mut State, account: AccountId, value: i64, require_vesting: bool) {
    if value == 0 {
        return;
    }
    if account.0 <= TEMP_ACCOUNT.0 {
        let core_dyn = state.asset(CORE_ASSET).expect("core exists").dynamic_asset_data_id.0;
        state.asset_dynamic.modify(core_dyn, |d| d.current_supply -= value);
        return;
    }
    let acct = state.account(account).expect("fee recipients exist");
    let (existing, stats) = (acct.cashback_vb, acct.statistics.0);
    let period = state.gpo().parameters.cashback_vesting_period_seconds;
    let created =
        deposit_lazy_vesting(state, existing, value, period, VestingBalanceType::Cashback, account, require_vesting);
    if let Some(id) = created {
        state.accounts.modify(account.0, |a| a.cashback_vb = Some(id));
        state.statistics.modify(stats, |s| s.has_cashback_vb = true);
    }
}

/// `deposit_market_fee_vesting_balance` (db_balance.cpp): market-fee rewards and the network's
/// share of market fees go into the recipient's market-fee-sharing vesting balance of that asset
/// (instantly vesting: withdrawable at once), created on first use.
pub fn deposit_market_fee(state: &mut State, account: AccountId, delta: Asset) {
    if delta.amount == 0 {
        return;
    }
    let existing = state.vesting_balances.index().of_owner(account).find(|i| {
        state.vesting_balances.get(*i).is_some_and(|vb| {
            vb.balance_type == VestingBalanceType::MarketFeeSharing && vb.balance.asset_id == delta.asset_id
        })
    });
    match existing {
        Some(i) => state.vesting_balances.modify(i, |vb| vb.balance.amount += delta.amount),
        None => {
            state.vesting_balances.create(|i| VestingBalanceObject {
                id: VestingBalanceId(i),
                owner: account,
                balance: delta,
                policy: VestingPolicy::Instant(InstantVestingPolicy {}),
                balance_type: VestingBalanceType::MarketFeeSharing,
            });
        }
    }
}

pub fn evaluate_create(state: &State, op: &VestingBalanceCreateOp) -> Result<(), Rejection> {
    require_account(state, op.creator)?;
    require_account(state, op.owner)?;
    let asset = require_asset(state, op.amount.asset_id)?;
    let have = state.balance(op.creator, op.amount.asset_id);
    if have < op.amount.amount {
        return Err(insufficient(state, op.creator, op.amount.asset_id, have, op.amount.amount));
    }
    if asset.options.flags & flags::TRANSFER_RESTRICTED != 0 {
        return Err(Rejection::TransferRestricted { asset: asset.symbol.clone(), issuer: asset.issuer });
    }
    // vesting_balance_evaluator.cpp:45-51: both the creator and the owner must be allowed to
    // hold the asset (white/blacklists).
    for account in [op.creator, op.owner] {
        if !super::is_authorized_asset(state, account, asset) {
            return Err(Rejection::NotAuthorizedForAsset { account, asset: asset.symbol.clone() });
        }
    }
    Ok(())
}

pub fn apply_create(
    state: &mut State,
    ctx: &Context,
    op: &VestingBalanceCreateOp,
) -> Result<OperationResult, Rejection> {
    adjust_balance(state, op.creator, Asset::new(-op.amount.amount, op.amount.asset_id))?;
    let policy = match &op.policy {
        VestingPolicyInitializer::Linear(i) => VestingPolicy::Linear(LinearVestingPolicy {
            begin_timestamp: i.begin_timestamp,
            vesting_cliff_seconds: i.vesting_cliff_seconds,
            vesting_duration_seconds: i.vesting_duration_seconds,
            begin_balance: op.amount.amount,
        }),
        VestingPolicyInitializer::Cdd(i) => VestingPolicy::Cdd(CddVestingPolicy {
            vesting_seconds: i.vesting_seconds,
            coin_seconds_earned: 0,
            start_claim: i.start_claim,
            coin_seconds_earned_last_update: ctx.now,
        }),
        VestingPolicyInitializer::Instant(_) => VestingPolicy::Instant(InstantVestingPolicy {}),
    };
    let instance = state.vesting_balances.create(|i| VestingBalanceObject {
        id: VestingBalanceId(i),
        owner: op.owner,
        balance: op.amount,
        policy,
        balance_type: VestingBalanceType::Unspecified,
    });
    Ok(OperationResult::ObjectId(VestingBalanceId(instance).object_id()))
}

pub fn evaluate_withdraw(state: &State, ctx: &Context, op: &VestingBalanceWithdrawOp) -> Result<(), Rejection> {
    let vb =
        state.vesting_balances.get(op.vesting_balance.0).ok_or(Rejection::UnknownVestingBalance(op.vesting_balance))?;
    if vb.owner != op.owner {
        return Err(Rejection::VestingBalanceNotOwner {
            balance: op.vesting_balance,
            owner: vb.owner,
            claimant: op.owner,
        });
    }
    let allowed = if op.amount.asset_id == vb.balance.asset_id { allowed_withdraw(vb, ctx.now) } else { 0 };
    if op.amount.asset_id != vb.balance.asset_id || op.amount.amount > allowed {
        return Err(Rejection::VestingWithdrawTooLarge {
            balance: op.vesting_balance,
            allowed: amount(state, vb.balance.asset_id, allowed),
            requested: amount(state, op.amount.asset_id, op.amount.amount),
        });
    }
    require_account(state, op.owner)?;
    Ok(())
}

pub fn apply_withdraw(
    state: &mut State,
    ctx: &Context,
    op: &VestingBalanceWithdrawOp,
) -> Result<OperationResult, Rejection> {
    state.vesting_balances.modify(op.vesting_balance.0, |vb| withdraw(vb, ctx.now, op.amount.amount));
    adjust_balance(state, op.owner, op.amount)?;
    Ok(OperationResult::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vb(policy: VestingPolicy, balance: i64) -> VestingBalanceObject {
        VestingBalanceObject { balance: Asset::new(balance, CORE_ASSET), policy, ..Default::default() }
    }

    #[test]
    fn linear_vests_pro_rata_after_the_cliff() {
        let p = LinearVestingPolicy {
            begin_timestamp: TimePointSec(1000),
            vesting_cliff_seconds: 100,
            vesting_duration_seconds: 1000,
            begin_balance: 10_000,
        };
        let v = vb(VestingPolicy::Linear(p), 10_000);
        assert_eq!(allowed_withdraw(&v, TimePointSec(1000)), 0);
        assert_eq!(allowed_withdraw(&v, TimePointSec(1099)), 0, "before the cliff");
        assert_eq!(allowed_withdraw(&v, TimePointSec(1100)), 1_000);
        assert_eq!(allowed_withdraw(&v, TimePointSec(1333)), 3_330);
        assert_eq!(allowed_withdraw(&v, TimePointSec(5000)), 10_000);
        // After 2,500 were withdrawn, the rest of what vested by 1333 remains.
        let mut v2 = v.clone();
        withdraw(&mut v2, TimePointSec(1300), 2_500);
        assert_eq!(allowed_withdraw(&v2, TimePointSec(1333)), 830);
    }

    #[test]
    fn cdd_accrues_coin_seconds_and_spends_them_on_withdrawal() {
        let p = CddVestingPolicy {
            vesting_seconds: 100,
            coin_seconds_earned_last_update: TimePointSec(10),
            ..Default::default()
        };
        let mut v = vb(VestingPolicy::Cdd(p), 1_000);
        assert_eq!(allowed_withdraw(&v, TimePointSec(10)), 0);
        assert_eq!(allowed_withdraw(&v, TimePointSec(11)), 10);
        assert_eq!(allowed_withdraw(&v, TimePointSec(35)), 250);
        assert_eq!(allowed_withdraw(&v, TimePointSec(500)), 1_000, "capped at the balance");
        withdraw(&mut v, TimePointSec(35), 250);
        assert_eq!(v.balance.amount, 750);
        assert_eq!(allowed_withdraw(&v, TimePointSec(35)), 0);
        // 750 coins × 10 s = 7,500 coin-seconds → 75.
        assert_eq!(allowed_withdraw(&v, TimePointSec(45)), 75);
        // A vested deposit is withdrawable at once; an unvested one is not.
        deposit(&mut v, TimePointSec(45), 100, true);
        assert_eq!(allowed_withdraw(&v, TimePointSec(45)), 175);
        deposit(&mut v, TimePointSec(45), 100, false);
        assert_eq!(allowed_withdraw(&v, TimePointSec(45)), 175);
        assert_eq!(v.balance.amount, 950);
    }

    #[test]
    fn instant_allows_the_whole_balance() {
        let v = vb(VestingPolicy::Instant(InstantVestingPolicy {}), 777);
        assert_eq!(allowed_withdraw(&v, TimePointSec(0)), 777);
    }
}
