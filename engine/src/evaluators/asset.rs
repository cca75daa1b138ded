//! User-issued assets: `asset_create` (10), `asset_update` (11), `asset_update_issuer` (48),
//! `asset_issue` (14), `asset_reserve` (15). PROTOCOL.md §5.11. `asset_update` covers market-issued
//! assets too; issue and reserve are for user-issued assets only (a BitAsset's supply comes from
//! debt positions, `engine::bitasset`).

use super::is_authorized_asset;
use super::Context;
use super::{adjust_balance, insufficient, require_account, require_asset};
use crate::error::Rejection;
use crate::state::State;
use ledger::asset::Asset;
use ledger::ids::*;
use ledger::objects::{AssetDynamicDataObject, AssetObject};
use ledger::ops::{
    AssetCreateOp, AssetIssueOp, AssetOptions, AssetReserveOp, AssetUpdateIssuerOp, AssetUpdateOp, OperationResult,
};

/// Asset flag and permission bits, as the protocol defines them.
pub use ledger::ops::flags;

/// Checks shared by create and update: list sizes and that every named account exists. The
/// market white/blacklists are not looked up: core accepts ids of assets that do not exist
/// (asset_evaluator.cpp:218-225 for create, 588-593 for update check only the authorities).
fn check_options(state: &State, options: &AssetOptions) -> Result<(), Rejection> {
    let max = u16::from(state.gpo().parameters.maximum_asset_whitelist_authorities);
    for (which, list) in [("whitelist", &options.whitelist_authorities), ("blacklist", &options.blacklist_authorities)]
    {
        if list.len() > usize::from(max) {
            return Err(Rejection::AuthorityTooLarge { which, count: list.len(), max });
        }
        for a in list {
            require_account(state, *a)?;
        }
    }
    Ok(())
}

fn issuer_of(state: &State, asset: AssetId, claimed: AccountId) -> Result<&AssetObject, Rejection> {
    let a = require_asset(state, asset)?;
    if a.issuer != claimed {
        return Err(Rejection::NotIssuer { account: claimed, asset: a.symbol.clone(), issuer: a.issuer });
    }
    Ok(a)
}

pub fn evaluate_create(state: &State, op: &AssetCreateOp) -> Result<(), Rejection> {
    require_account(state, op.issuer)?;
    check_options(state, &op.common_options)?;
    if state.asset_by_symbol(&op.symbol).is_some() {
        return Err(Rejection::SymbolTaken(op.symbol.clone()));
    }
    if let Some((parent, _)) = op.symbol.rsplit_once('.') {
        match state.asset_by_symbol(parent) {
            None => {
                return Err(Rejection::DottedSymbolParentMissing { symbol: op.symbol.clone(), parent: parent.into() })
            }
            Some(p) if p.issuer != op.issuer => {
                return Err(Rejection::DottedSymbolNotIssuer {
                    symbol: op.symbol.clone(),
                    parent: parent.into(),
                    issuer: p.issuer,
                })
            }
            Some(_) => {}
        }
    }
    crate::bitasset::feeds::evaluate_create(state, op)
}

pub fn apply_create(state: &mut State, ctx: &Context, op: &AssetCreateOp, pool_seed: i64) -> OperationResult {
    let next = AssetId(state.assets.next_instance());
    let dynamic = state.asset_dynamic.create(|i| AssetDynamicDataObject {
        id: AssetDynamicDataId(i),
        fee_pool: pool_seed,
        ..Default::default()
    });
    let mut options = op.common_options.clone();
    // The operation names the new asset's side of the core exchange rate before it has an id;
    // whichever side is not core becomes the new asset (asset_evaluator.cpp:303-328).
    if options.core_exchange_rate.base.asset_id == CORE_ASSET {
        options.core_exchange_rate.quote.asset_id = next;
    } else {
        options.core_exchange_rate.base.asset_id = next;
    }
    let bitasset_data_id = crate::bitasset::feeds::create_bitasset_data(state, next, op);
    let id = state.assets.create(|i| AssetObject {
        id: AssetId(i),
        symbol: op.symbol.clone(),
        precision: op.precision,
        issuer: op.issuer,
        options,
        dynamic_asset_data_id: AssetDynamicDataId(dynamic),
        bitasset_data_id,
        buyback_account: None,
        creation_block_num: ctx.block_num,
        // asset_evaluator.cpp:326: `_current_block_time`, the block being applied.
        creation_time: ctx.block_time,
    });
    debug_assert_eq!(AssetId(id), next);
    OperationResult::ObjectId(next.object_id())
}

/// The permission bits an issuer holds, as `asset_options::get_enabled_issuer_permissions_mask`
/// reads them: "enable" bits count when set, "disable" bits (which take a power away, such as
/// `lock_max_supply` or `disable_mcr_update`) count when unset.
fn enabled_permissions(issuer_permissions: u16) -> u16 {
    (issuer_permissions & flags::ENABLE_BITS_MASK) | (!issuer_permissions & flags::DISABLE_BITS_MASK)
}

/// `asset_update_evaluator::do_evaluate` (`asset_evaluator.cpp`), after every hardfork: for
/// user-issued and market-issued assets alike.
pub fn evaluate_update(state: &State, op: &AssetUpdateOp) -> Result<(), Rejection> {
    let a = issuer_of(state, op.asset_to_update, op.issuer)?;
    let forbid = |reason: String| Err(Rejection::AssetUpdateForbidden { reason });
    if op.new_issuer.is_some() {
        return forbid("the issuer is changed with asset_update_issuer, not asset_update".into());
    }
    let (old, new) = (&a.options, &op.new_options);
    let bitasset = state.bitasset_data(a.id);
    let is_pm = bitasset.is_some_and(|b| b.is_prediction_market);
    if bitasset.is_none() {
        if new.issuer_permissions & flags::NON_UIA_ONLY_ISSUER_PERMISSION_MASK != 0 {
            return forbid(format!(
                "{} is user-issued: permission bits {:#x} exist only for market-issued assets",
                a.symbol,
                new.issuer_permissions & flags::NON_UIA_ONLY_ISSUER_PERMISSION_MASK
            ));
        }
        if new.flags & !flags::UIA_ASSET_ISSUER_PERMISSION_MASK != 0 {
            return forbid(format!(
                "{} is user-issued: flag bits {:#x} exist only for market-issued assets",
                a.symbol,
                new.flags & !flags::UIA_ASSET_ISSUER_PERMISSION_MASK
            ));
        }
    } else if is_pm && new.issuer_permissions & flags::DISABLE_BSRM_UPDATE != 0 {
        return forbid(format!("{} is a prediction market: disable_bsrm_update cannot be set", a.symbol));
    }
    let mut enabled_old = enabled_permissions(old.issuer_permissions);
    if is_pm {
        if new.issuer_permissions & flags::GLOBAL_SETTLE == 0 {
            return forbid(format!("{} is a prediction market: the global_settle permission must stay", a.symbol));
        }
        enabled_old |= flags::GLOBAL_SETTLE;
    }
    let supply = state.asset_dynamic_data(a.id).current_supply;
    if supply != 0 {
        let ignored = if bitasset.is_none() {
            !flags::UIA_ASSET_ISSUER_PERMISSION_MASK
        } else if is_pm {
            flags::DISABLE_BSRM_UPDATE
        } else {
            0
        };
        let regained = enabled_permissions(new.issuer_permissions) & !enabled_old & !ignored;
        if regained != 0 {
            return forbid(format!(
                "{} has supply, so revoked permissions cannot be reinstated (old {:#x}, new {:#x})",
                a.symbol, old.issuer_permissions, new.issuer_permissions
            ));
        }
        if op.extensions.new_precision.is_some() {
            return forbid(format!("{} has supply, so its precision cannot change", a.symbol));
        }
        if new.max_supply < supply {
            return Err(Rejection::MaxSupplyBelowSupply {
                asset: a.symbol.clone(),
                max_supply: new.max_supply,
                current_supply: supply,
            });
        }
    }
    let check_bits = if bitasset.is_some() { flags::VALID_FLAGS_MASK } else { flags::UIA_ASSET_ISSUER_PERMISSION_MASK };
    let changed = (new.flags ^ old.flags) & check_bits & !enabled_old;
    if changed != 0 {
        return forbid(format!("flags {changed:#x} may not change: the issuer lacks those permissions"));
    }
    if old.flags & flags::LOCK_MAX_SUPPLY != 0 && new.max_supply != old.max_supply {
        return forbid(format!("the maximum supply of {} is locked", a.symbol));
    }
    if let Some(p) = op.extensions.new_precision {
        if p == a.precision {
            return forbid(format!("{} already has precision {p}", a.symbol));
        }
        if is_pm {
            return forbid(format!("{} is a prediction market: its precision cannot change", a.symbol));
        }
        let backs = state.bitasset_data.iter().find(|(_, b)| b.options.short_backing_asset == a.id);
        if let Some((_, child)) = backs {
            return forbid(format!(
                "{} backs {}, so its precision cannot change",
                a.symbol,
                crate::bitasset::symbol(state, child.asset_id)
            ));
        }
    }
    let cer = &new.core_exchange_rate;
    let sides = [cer.base.asset_id, cer.quote.asset_id];
    if !(sides.contains(&CORE_ASSET) && sides.contains(&a.id)) && op.extensions.skip_core_exchange_rate != Some(true) {
        return Err(Rejection::BadCoreExchangeRate { asset: a.symbol.clone() });
    }
    check_options(state, new)
}

pub fn apply_update(state: &mut State, op: &AssetUpdateOp) -> Result<OperationResult, Rejection> {
    let asset = op.asset_to_update;
    let old_flags = state.asset(asset).map_or(0, |a| a.options.flags);
    let newly = |bit: u16| op.new_options.flags & bit != 0 && old_flags & bit == 0;
    // Disabling force settlement refunds every pending request; disabling collateral bidding
    // refunds every bid (`asset_update_evaluator::do_apply`).
    if newly(flags::DISABLE_FORCE_SETTLE) {
        let pending: Vec<u64> = state.force_settlements.index().of_asset(asset).collect();
        for instance in pending {
            crate::bitasset::force_settle::cancel_settle_order(state, instance)?;
        }
    }
    if newly(flags::DISABLE_COLLATERAL_BIDDING) {
        let bids: Vec<u64> = state.collateral_bids.index().of_asset(asset).collect();
        for instance in bids {
            crate::bitasset::revival::cancel_bid(state, instance, true)?;
        }
    }
    let old_cer = state.asset(asset).map(|a| a.options.core_exchange_rate);
    let cer_changed =
        op.extensions.skip_core_exchange_rate.is_none() && old_cer != Some(op.new_options.core_exchange_rate);
    if cer_changed {
        // A market-issued asset's rate is copied from its feed at the end of the block;
        // this flag makes that step look again (`asset_cer_updated`).
        if let Some(b) = state.asset(asset).and_then(|a| a.bitasset_data_id) {
            state.bitasset_data.modify(b.0, |d| d.asset_cer_updated = true);
        }
    }
    state.assets.modify(asset.0, |a| {
        let old_cer = a.options.core_exchange_rate;
        a.options = op.new_options.clone();
        if op.extensions.skip_core_exchange_rate == Some(true) {
            a.options.core_exchange_rate = old_cer;
        }
        if let Some(p) = op.extensions.new_precision {
            a.precision = p;
        }
    });
    Ok(OperationResult::default())
}

/// `asset_update_issuer_evaluator::do_evaluate` with `validate_new_issuer`
/// (asset_evaluator.cpp:429-444, 657-670): the new issuer exists, and a market-issued asset handed
/// to committee-account must be backed by core, or by an asset that is itself backed by core.
pub fn evaluate_update_issuer(state: &State, op: &AssetUpdateIssuerOp) -> Result<(), Rejection> {
    let a = require_asset(state, op.asset_to_update)?;
    require_account(state, op.new_issuer)?;
    if op.new_issuer == COMMITTEE_ACCOUNT {
        if let Some(bad) = state.bitasset_data(a.id) {
            let backing = bad.options.short_backing_asset;
            let root = state.bitasset_data(backing).map_or(backing, |b| b.options.short_backing_asset);
            if root != CORE_ASSET {
                return Err(Rejection::Bitasset(crate::bitasset::BitassetError::BadBackingAsset {
                    asset: a.symbol.clone(),
                    backing: crate::bitasset::symbol(state, backing),
                    reason: "committee-issued bitassets must be backed by core",
                }));
            }
        }
    }
    issuer_of(state, op.asset_to_update, op.issuer)?;
    Ok(())
}

pub fn apply_update_issuer(state: &mut State, op: &AssetUpdateIssuerOp) -> OperationResult {
    state.assets.modify(op.asset_to_update.0, |a| a.issuer = op.new_issuer);
    OperationResult::default()
}

pub fn evaluate_issue(state: &State, op: &AssetIssueOp) -> Result<(), Rejection> {
    let a = issuer_of(state, op.asset_to_issue.asset_id, op.issuer)?;
    if a.is_market_issued() {
        return Err(Rejection::NotUserIssued { op: "asset_issue", asset: a.symbol.clone() });
    }
    require_account(state, op.issue_to_account)?;
    if !is_authorized_asset(state, op.issue_to_account, a) {
        return Err(Rejection::NotAuthorizedForAsset { account: op.issue_to_account, asset: a.symbol.clone() });
    }
    if a.options.flags & flags::DISABLE_NEW_SUPPLY != 0 {
        return Err(Rejection::NewSupplyDisabled(a.symbol.clone()));
    }
    let supply = state.asset_dynamic_data(a.id).current_supply;
    let new_supply = supply.saturating_add(op.asset_to_issue.amount);
    if new_supply > a.options.max_supply {
        return Err(Rejection::MaxSupplyExceeded {
            asset: a.symbol.clone(),
            amount: op.asset_to_issue.amount,
            new_supply,
            max_supply: a.options.max_supply,
        });
    }
    Ok(())
}

pub fn apply_issue(state: &mut State, op: &AssetIssueOp) -> Result<OperationResult, Rejection> {
    adjust_balance(state, op.issue_to_account, op.asset_to_issue)?;
    let dyn_id = state.asset(op.asset_to_issue.asset_id).expect("checked").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, |d| d.current_supply += op.asset_to_issue.amount);
    Ok(OperationResult::default())
}

pub fn evaluate_reserve(state: &State, op: &AssetReserveOp) -> Result<(), Rejection> {
    let a = require_asset(state, op.amount_to_reserve.asset_id)?;
    if a.is_market_issued() {
        return Err(Rejection::NotUserIssued { op: "asset_reserve", asset: a.symbol.clone() });
    }
    require_account(state, op.payer)?;
    if !is_authorized_asset(state, op.payer, a) {
        return Err(Rejection::NotAuthorizedForAsset { account: op.payer, asset: a.symbol.clone() });
    }
    let have = state.balance(op.payer, a.id);
    if have < op.amount_to_reserve.amount {
        return Err(insufficient(state, op.payer, a.id, have, op.amount_to_reserve.amount));
    }
    Ok(())
}

pub fn apply_reserve(state: &mut State, op: &AssetReserveOp) -> Result<OperationResult, Rejection> {
    let r = op.amount_to_reserve;
    adjust_balance(state, op.payer, Asset::new(-r.amount, r.asset_id))?;
    let dyn_id = state.asset(r.asset_id).expect("checked").dynamic_asset_data_id.0;
    state.asset_dynamic.modify(dyn_id, |d| d.current_supply -= r.amount);
    Ok(OperationResult::default())
}
