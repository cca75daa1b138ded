//! Fees that pay for the network (PROTOCOL.md §6): the referral split of accrued fees
//! (`process_fees`, account_object.cpp:53-98), `account_upgrade` (op 8, §6.4), and the issuer's
//! fee-pool and accumulated-fee operations `asset_fund_fee_pool` (16), `asset_claim_pool` (47)
//! and `asset_claim_fees` (43).
//!
//! Invariant of the split: network + lifetime referrer + referrer + registrar cuts add up to
//! exactly the fees distributed; every cut floors (`cut_fee`), the registrar takes the
//! remainder. Fees never vanish: what is not cashback goes to the core asset's
//! `accumulated_fees`, and cashback of the chain's own accounts shrinks the supply (returns to
//! the reserve).

use super::vesting::deposit_cashback;
use super::{adjust_balance, amount, insufficient, require_account, require_asset, Context};
use crate::error::Rejection;
use crate::state::State;
use ledger::asset::{Asset, PERCENT_100};
use ledger::ids::*;
use ledger::ops::{AccountUpgradeOp, AssetClaimFeesOp, AssetClaimPoolOp, AssetFundFeePoolOp, OperationResult};

/// `cut_fee`: `floor(value × percent / 10000)`, exact in u128.
pub fn cut_fee(value: i64, percent: u16) -> i64 {
    if value == 0 || percent == 0 {
        return 0;
    }
    if percent == PERCENT_100 {
        return value;
    }
    (i128::from(value) * i128::from(percent) / i128::from(PERCENT_100)) as i64
}

/// The four cuts of one fee bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeeSplit {
    pub network: i64,
    pub lifetime_referrer: i64,
    pub referrer: i64,
    pub registrar: i64,
}

/// Split `total` by the account's percentages (§6.3 steps 2–4).
pub fn split_fee(total: i64, network_pct: u16, lifetime_pct: u16, referrer_pct: u16) -> FeeSplit {
    let network = cut_fee(total, network_pct);
    let lifetime_referrer = cut_fee(total, lifetime_pct);
    let referral = total - network - lifetime_referrer;
    let referrer = cut_fee(referral, referrer_pct);
    FeeSplit { network, lifetime_referrer, referrer, registrar: referral - referrer }
}

/// `pay_out_fees` for one bucket of `account`.
fn pay_out_fees(state: &mut State, account: AccountId, total: i64, require_vesting: bool) {
    // A referrer that is no longer a member is replaced by the lifetime referrer.
    let now = state.dgp().time;
    let acct = state.account(account).expect("fee payers exist");
    let referrer_is_member = state.account(acct.referrer).is_some_and(|r| r.is_member(now));
    if !referrer_is_member {
        state.accounts.modify(account.0, |a| a.referrer = a.lifetime_referrer);
    }
    let acct = state.account(account).expect("fee payers exist");
    let split = split_fee(
        total,
        acct.network_fee_percentage,
        acct.lifetime_referrer_fee_percentage,
        acct.referrer_rewards_percentage,
    );
    let (lifetime, referrer, registrar) = (acct.lifetime_referrer, acct.referrer, acct.registrar);
    let core_dyn = state.asset(CORE_ASSET).expect("core exists").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(core_dyn, |d| d.accumulated_fees += split.network);
    deposit_cashback(state, lifetime, split.lifetime_referrer, require_vesting);
    deposit_cashback(state, referrer, split.referrer, require_vesting);
    deposit_cashback(state, registrar, split.registrar, require_vesting);
}

/// `account_statistics_object::process_fees`: distribute both pending buckets of `account`,
/// add them to `lifetime_fees_paid` and clear them. Nothing happens without pending fees.
pub fn process_fees(state: &mut State, account: AccountId) {
    let stats_id = state.account(account).expect("fee payers exist").statistics.0;
    let s = state.statistics.get(stats_id).expect("every account has statistics");
    let (pending, pending_vested) = (s.pending_fees, s.pending_vested_fees);
    if pending <= 0 && pending_vested <= 0 {
        return;
    }
    pay_out_fees(state, account, pending, true);
    pay_out_fees(state, account, pending_vested, false);
    state.statistics.modify(stats_id, |s| {
        s.lifetime_fees_paid += pending + pending_vested;
        s.pending_fees = 0;
        s.pending_vested_fees = 0;
    });
}

pub fn evaluate_upgrade(state: &State, op: &AccountUpgradeOp) -> Result<(), Rejection> {
    let account = require_account(state, op.account_to_upgrade)?;
    if account.is_lifetime_member() {
        return Err(Rejection::AlreadyLifetimeMember(op.account_to_upgrade));
    }
    if !op.upgrade_to_lifetime_member {
        return Err(Rejection::AnnualMembershipDisabled(op.account_to_upgrade));
    }
    Ok(())
}

/// Pending fees (the upgrade fee included) are split along the old referral chain first, then
/// the account becomes a lifetime member (account_evaluator.cpp:406-417).
pub fn apply_upgrade(state: &mut State, op: &AccountUpgradeOp) -> OperationResult {
    process_fees(state, op.account_to_upgrade);
    super::account::upgrade_to_lifetime(state, op.account_to_upgrade);
    OperationResult::default()
}

pub fn evaluate_fund_fee_pool(state: &State, op: &AssetFundFeePoolOp) -> Result<(), Rejection> {
    require_asset(state, op.asset_id)?;
    let have = state.balance(op.from_account, CORE_ASSET);
    if have < op.amount {
        return Err(insufficient(state, op.from_account, CORE_ASSET, have, op.amount));
    }
    Ok(())
}

pub fn apply_fund_fee_pool(state: &mut State, op: &AssetFundFeePoolOp) -> Result<OperationResult, Rejection> {
    adjust_balance(state, op.from_account, Asset::new(-op.amount, CORE_ASSET))?;
    let dyn_id = state.asset(op.asset_id).expect("checked").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, |d| d.fee_pool += op.amount);
    Ok(OperationResult::default())
}

pub fn evaluate_claim_pool(state: &State, op: &AssetClaimPoolOp) -> Result<(), Rejection> {
    let asset = require_asset(state, op.asset_id)?;
    if asset.issuer != op.issuer {
        return Err(Rejection::NotPoolIssuer { account: op.issuer, asset: asset.symbol.clone(), issuer: asset.issuer });
    }
    let pool = state.asset_dynamic_data(op.asset_id).fee_pool;
    if op.amount_to_claim.amount > pool {
        return Err(Rejection::FeePoolClaimTooLarge {
            asset: asset.symbol.clone(),
            pool: amount(state, CORE_ASSET, pool),
            requested: amount(state, CORE_ASSET, op.amount_to_claim.amount),
        });
    }
    Ok(())
}

pub fn apply_claim_pool(state: &mut State, op: &AssetClaimPoolOp) -> Result<OperationResult, Rejection> {
    let dyn_id = state.asset(op.asset_id).expect("checked").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, |d| d.fee_pool -= op.amount_to_claim.amount);
    adjust_balance(state, op.issuer, op.amount_to_claim)?;
    Ok(OperationResult::default())
}

/// Whether the fees are claimed from the container's own `accumulated_fees` (else from its
/// `accumulated_collateral_fees`, the backing asset of a market-issued asset).
pub struct ClaimFeesPlan {
    container: AssetId,
    own_asset: bool,
}

/// `asset_claim_fees`: the issuer takes fees accumulated in its asset, either fees paid in the
/// asset itself (fee payments, market fees) or, with `claim_from_asset_id`, collateral-asset
/// fees held by a market-issued asset (`can_accumulate_fee`).
pub fn evaluate_claim_fees(state: &State, op: &AssetClaimFeesOp) -> Result<ClaimFeesPlan, Rejection> {
    let container_id = op.extensions.claim_from_asset_id.unwrap_or(op.amount_to_claim.asset_id);
    let container = require_asset(state, container_id)?;
    let claimed = require_asset(state, op.amount_to_claim.asset_id)?;
    if container.issuer != op.issuer {
        return Err(Rejection::NotIssuer {
            account: op.issuer,
            asset: container.symbol.clone(),
            issuer: container.issuer,
        });
    }
    let own_asset = container_id == op.amount_to_claim.asset_id;
    let backed_by_claimed = !own_asset && collects_collateral_fees(state, container, op.amount_to_claim.asset_id);
    if !own_asset && !backed_by_claimed {
        return Err(Rejection::CannotAccumulateFee {
            container: container.symbol.clone(),
            requested_asset: claimed.symbol.clone(),
        });
    }
    let d = state.asset_dynamic_data(container_id);
    let accumulated = if own_asset { d.accumulated_fees } else { d.accumulated_collateral_fees };
    if op.amount_to_claim.amount > accumulated {
        return Err(Rejection::AccumulatedFeesTooSmall {
            asset: container.symbol.clone(),
            accumulated: amount(state, op.amount_to_claim.asset_id, accumulated),
            requested: amount(state, op.amount_to_claim.asset_id, op.amount_to_claim.amount),
        });
    }
    Ok(ClaimFeesPlan { container: container_id, own_asset })
}

/// `can_accumulate_fee` for a foreign asset: a market-issued asset collects fees (margin-call
/// fees, later force-settlement fees) in its backing asset, as `accumulated_collateral_fees`.
fn collects_collateral_fees(state: &State, container: &ledger::objects::AssetObject, fee_asset: AssetId) -> bool {
    state.bitasset_data(container.id).is_some_and(|b| b.options.short_backing_asset == fee_asset)
}

pub fn apply_claim_fees(
    state: &mut State,
    _ctx: &Context,
    op: &AssetClaimFeesOp,
    plan: ClaimFeesPlan,
) -> Result<OperationResult, Rejection> {
    let dyn_id = state.asset(plan.container).expect("checked").dynamic_asset_data_id.0;
    let value = op.amount_to_claim.amount;
    state.asset_dynamic.modify(dyn_id, |d| {
        if plan.own_asset {
            d.accumulated_fees -= value;
        } else {
            d.accumulated_collateral_fees -= value;
        }
    });
    adjust_balance(state, op.issuer, op.amount_to_claim)?;
    Ok(OperationResult::default())
}

/// Shift the account-creation `basic_fee` left (`up`, every `accounts_per_fee_scale`
/// registrations) or right by `shift` bits (§6.5). A shift past 63 bits leaves 0, where C++
/// would be undefined.
pub fn shift_account_create_basic_fee(state: &mut State, shift: u32, up: bool) {
    if shift == 0 {
        return;
    }
    // account_create is operation tag 5.
    let tag = 5;
    state.global.modify(0, |g| {
        let fees = &mut g.parameters.current_fees;
        if let Some(ledger::fees::FeeParameters::AccountCreate(mut p)) = fees.params_for(tag) {
            p.basic_fee = if up {
                p.basic_fee.checked_shl(shift).unwrap_or(0)
            } else {
                p.basic_fee.checked_shr(shift).unwrap_or(0)
            };
            fees.set(ledger::fees::FeeParameters::AccountCreate(p));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_of_a_basic_account_fee_floors_each_cut_and_gives_the_registrar_the_rest() {
        // 20 % network, 30 % lifetime referrer, 50 % referral of which the referrer takes 33.33 %.
        let s = split_fee(2_000_001, 2_000, 3_000, 3_333);
        assert_eq!(s, FeeSplit { network: 400_000, lifetime_referrer: 600_000, referrer: 333_300, registrar: 666_701 });
        assert_eq!(s.network + s.lifetime_referrer + s.referrer + s.registrar, 2_000_001);
    }

    #[test]
    fn lifetime_member_keeps_eighty_percent() {
        let s = split_fee(2_000_000, 2_000, 8_000, 0);
        assert_eq!(s, FeeSplit { network: 400_000, lifetime_referrer: 1_600_000, referrer: 0, registrar: 0 });
    }

    #[test]
    fn cut_fee_is_exact_at_the_edges() {
        assert_eq!(cut_fee(0, 5_000), 0);
        assert_eq!(cut_fee(7, 0), 0);
        assert_eq!(cut_fee(i64::MAX, 10_000), i64::MAX);
        assert_eq!(cut_fee(9, 3_333), 2);
    }
}
