//! `transfer` (op 0). The asset-authorization rule every holder check uses (PROTOCOL.md §7.4)
//! is in the shared base, [`super::is_authorized_asset`].

use super::{adjust_balance, insufficient, is_authorized_asset, require_account, require_asset};
use crate::error::Rejection;
use crate::state::State;
use ledger::ops::flags;
use ledger::ops::{OperationResult, TransferOp};

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
