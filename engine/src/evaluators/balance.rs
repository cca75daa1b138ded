//! `balance_claim` (op 37): a genesis balance claimed by the holder of its key
//! (balance_evaluator.cpp:29-92). The key's signature is required as a raw authority by the
//! operation itself (PROTOCOL.md §4.3); here the key, through one of its five addresses, must own
//! the balance.

use super::{adjust_balance, require_account};
use crate::error::Rejection;
use crate::state::State;
use ledger::ops::{BalanceClaimOp, OperationResult};

/// Whether the claimed balance object is emptied (and removed) by the claim.
pub struct ClaimPlan {
    empties: bool,
}

pub fn evaluate_claim(state: &State, op: &BalanceClaimOp) -> Result<ClaimPlan, Rejection> {
    require_account(state, op.deposit_to_account)?;
    let b = state.genesis_balances.get(op.balance_to_claim.0).ok_or(Rejection::UnknownBalance(op.balance_to_claim))?;
    // balance_evaluator.cpp:33-41: the owner may be the key's graphene address or any of its
    // four PTS addresses (uncompressed / compressed, version 56 / 0), which is how the original
    // BitShares genesis distributed PTS and AGS balances. A key that is not a curve point has
    // only its graphene address (core compares that one first and short-circuits).
    let addresses = ledger::crypto::key_addresses(&op.balance_owner_key)
        .map(|a| a.to_vec())
        .unwrap_or_else(|_| vec![op.balance_owner_key.address()]);
    if !addresses.contains(&b.owner) {
        return Err(Rejection::BalanceOwnerMismatch {
            balance: op.balance_to_claim,
            owner: b.owner.to_string(),
            key: op.balance_owner_key.to_string(),
        });
    }
    // Genesis vesting balances are not created by this node; a plain balance is claimed whole.
    if op.total_claimed != b.balance {
        return Err(Rejection::BalanceClaimMismatch {
            balance: op.balance_to_claim,
            claimed: op.total_claimed.amount,
            held: b.balance.amount,
        });
    }
    Ok(ClaimPlan { empties: true })
}

pub fn apply_claim(state: &mut State, op: &BalanceClaimOp, plan: ClaimPlan) -> Result<OperationResult, Rejection> {
    if plan.empties {
        state.genesis_balances.remove(op.balance_to_claim.0);
    }
    adjust_balance(state, op.deposit_to_account, op.total_claimed)?;
    Ok(OperationResult::default())
}
