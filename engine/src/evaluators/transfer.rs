//! `transfer` (op 0) and the asset-authorization rule every holder check uses (PROTOCOL.md §7.4).

use super::{adjust_balance, insufficient, require_account, require_asset};
use crate::error::Rejection;
use crate::evaluators::asset::flags;
use crate::state::State;
use ledger::ids::{AccountId, COMMITTEE_ACCOUNT};
use ledger::objects::AssetObject;
use ledger::ops::{OperationResult, TransferOp};

/// `is_authorized_asset` (is_authorized_asset.cpp:35-71): may `account` hold and move `asset`?
pub fn is_authorized_asset(state: &State, account: AccountId, asset: &AssetObject) -> bool {
    let Some(acct) = state.account(account) else { return false };
    if asset.options.flags & flags::WHITE_LIST == 0 && acct.allowed_assets.is_none() {
        return true;
    }
    if account == COMMITTEE_ACCOUNT {
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

pub fn evaluate(state: &State, op: &TransferOp) -> Result<(), Rejection> {
    require_account(state, op.from)?;
    require_account(state, op.to)?;
    let asset = require_asset(state, op.amount.asset_id)?;
    for party in [op.from, op.to] {
        if !is_authorized_asset(state, party, asset) {
            return Err(Rejection::NotAuthorizedForAsset { account: party, asset: asset.symbol.clone() });
        }
    }
    if asset.options.flags & flags::TRANSFER_RESTRICTED != 0 && op.from != asset.issuer && op.to != asset.issuer {
        return Err(Rejection::TransferRestricted { asset: asset.symbol.clone(), issuer: asset.issuer });
    }
    let have = state.balance(op.from, op.amount.asset_id);
    if have < op.amount.amount {
        return Err(insufficient(state, op.from, op.amount.asset_id, have, op.amount.amount));
    }
    Ok(())
}

pub fn apply(state: &mut State, op: &TransferOp) -> Result<OperationResult, Rejection> {
    adjust_balance(state, op.from, ledger::asset::Asset::new(-op.amount.amount, op.amount.asset_id))?;
    adjust_balance(state, op.to, op.amount)?;
    Ok(OperationResult::default())
}
