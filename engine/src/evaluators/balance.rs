//! `balance_claim` (op 37): a genesis balance claimed by the holder of its key
//! (balance_evaluator.cpp:29-92). The key's signature is required as a raw authority by the
//! operation itself (PROTOCOL.md §4.3); here the key must own the balance.

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
    if b.owner != op.balance_owner_key.address() {
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
