//! The operation table: one [`Evaluator`] per supported operation, naming its family's
//! `evaluate` and `apply` steps and how its fee is taken between them. [`super::apply_operation`]
//! prepares and checks the fee, looks the operation up here by tag and runs [`run`]; a new
//! operation is one impl here and one line there.

use super::{
    account, asset, balance, charge_fee, convert_fee, fees, market, pay_fee, transfer, vesting, Context, PreparedFee,
};
use crate::bitasset::{call_order, feeds, force_settle, revival};
use crate::error::Rejection;
use crate::state::State;
use ledger::ops::*;

/// How an operation's fee is taken between its evaluate and apply steps (evaluator.cpp
/// `convert_fee`, `pay_fee`, and the operations that override them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeeHandling {
    /// Converted to core and credited to the payer's pending fees now.
    Charge,
    /// Kept in the new or updated limit order, paid on its first fill or refunded on cancel
    /// (§5.2, market_evaluator.cpp `convert_fee` override).
    DeferIntoOrder,
    /// Half of the core value seeds the new asset's fee pool; only the rest is paid
    /// (asset_evaluator.cpp:274-292).
    HalfToNewFeePool,
}

/// One operation's evaluation: `evaluate` reads the state and decides (its plan carries what it
/// found to `apply`); `apply` writes. Both run inside the transaction's undo session.
pub trait Evaluator {
    type Plan;
    const FEE: FeeHandling = FeeHandling::Charge;
    fn evaluate(&self, state: &State, ctx: &Context) -> Result<Self::Plan, Rejection>;
    fn apply(
        &self,
        state: &mut State,
        ctx: &Context,
        fee: &PreparedFee,
        plan: Self::Plan,
    ) -> Result<OperationResult, Rejection>;
}

/// Evaluate, take the fee as the operation says, apply.
pub fn run<E: Evaluator>(
    op: &E,
    state: &mut State,
    ctx: &Context,
    fee: &PreparedFee,
) -> Result<OperationResult, Rejection> {
    let plan = op.evaluate(state, ctx)?;
    match E::FEE {
        FeeHandling::Charge => charge_fee(state, fee),
        FeeHandling::DeferIntoOrder => market::defer_fee(state, fee),
        FeeHandling::HalfToNewFeePool => {
            convert_fee(state, fee);
            pay_fee(state, fee.payer, fee.core_fee_paid - fee.core_fee_paid / 2);
        }
    }
    op.apply(state, ctx, fee, plan)
}

/// An [`Evaluator`] whose steps are the family's functions, written as closures over
/// `(state, ctx, op)` and `(state, ctx, op, fee, plan)`.
macro_rules! evaluator {
    ($op:ty, $plan:ty, $fee:ident, |$s:ident, $c:ident, $o:ident| $evaluate:expr, |$s2:ident, $c2:ident, $o2:ident, $f:ident, $p:ident| $apply:expr) => {
        impl Evaluator for $op {
            type Plan = $plan;
            const FEE: FeeHandling = FeeHandling::$fee;
            #[allow(unused_variables)]
            fn evaluate(&self, $s: &State, $c: &Context) -> Result<$plan, Rejection> {
                let $o = self;
                $evaluate
            }
            #[allow(unused_variables)]
            fn apply(
                &self,
                $s2: &mut State,
                $c2: &Context,
                $f: &PreparedFee,
                $p: $plan,
            ) -> Result<OperationResult, Rejection> {
                let $o2 = self;
                $apply
            }
        }
    };
}

// ---- transfers and accounts ----
evaluator!(TransferOp, (), Charge, |s, c, o| transfer::evaluate(s, o), |s, c, o, f, p| transfer::apply(s, o));
evaluator!(
    AccountCreateOp,
    account::CreatePlan,
    Charge,
    |s, c, o| account::evaluate_create(s, c, o),
    |s, c, o, f, p| Ok(account::apply_create(s, c, o, p))
);
evaluator!(AccountUpdateOp, (), Charge, |s, c, o| account::evaluate_update(s, c, o), |s, c, o, f, p| Ok(
    account::apply_update(s, o)
));
evaluator!(AccountUpgradeOp, (), Charge, |s, c, o| fees::evaluate_upgrade(s, o), |s, c, o, f, p| Ok(
    fees::apply_upgrade(s, o)
));
evaluator!(BalanceClaimOp, balance::ClaimPlan, Charge, |s, c, o| balance::evaluate_claim(s, o), |s, c, o, f, p| {
    balance::apply_claim(s, o, p)
});
evaluator!(VestingBalanceCreateOp, (), Charge, |s, c, o| vesting::evaluate_create(s, o), |s, c, o, f, p| {
    vesting::apply_create(s, c, o)
});
evaluator!(VestingBalanceWithdrawOp, (), Charge, |s, c, o| vesting::evaluate_withdraw(s, c, o), |s, c, o, f, p| {
    vesting::apply_withdraw(s, c, o)
});

// ---- assets and their fees ----
evaluator!(AssetCreateOp, (), HalfToNewFeePool, |s, c, o| asset::evaluate_create(s, o), |s, c, o, f, p| Ok(
    asset::apply_create(s, c, o, f.core_fee_paid / 2)
));
evaluator!(AssetUpdateOp, (), Charge, |s, c, o| asset::evaluate_update(s, o), |s, c, o, f, p| asset::apply_update(
    s, o
));
evaluator!(AssetUpdateIssuerOp, (), Charge, |s, c, o| asset::evaluate_update_issuer(s, o), |s, c, o, f, p| Ok(
    asset::apply_update_issuer(s, o)
));
evaluator!(AssetIssueOp, (), Charge, |s, c, o| asset::evaluate_issue(s, o), |s, c, o, f, p| asset::apply_issue(s, o));
evaluator!(AssetReserveOp, (), Charge, |s, c, o| asset::evaluate_reserve(s, o), |s, c, o, f, p| asset::apply_reserve(
    s, o
));
evaluator!(AssetFundFeePoolOp, (), Charge, |s, c, o| fees::evaluate_fund_fee_pool(s, o), |s, c, o, f, p| {
    fees::apply_fund_fee_pool(s, o)
});
evaluator!(AssetClaimPoolOp, (), Charge, |s, c, o| fees::evaluate_claim_pool(s, o), |s, c, o, f, p| {
    fees::apply_claim_pool(s, o)
});
evaluator!(
    AssetClaimFeesOp,
    fees::ClaimFeesPlan,
    Charge,
    |s, c, o| fees::evaluate_claim_fees(s, o),
    |s, c, o, f, p| fees::apply_claim_fees(s, c, o, p)
);

// ---- the market ----
evaluator!(LimitOrderCreateOp, (), DeferIntoOrder, |s, c, o| market::evaluate_create(s, c, o), |s, c, o, f, p| {
    market::apply_create(s, c, o, f)
});
evaluator!(LimitOrderCancelOp, (), Charge, |s, c, o| market::evaluate_cancel(s, o), |s, c, o, f, p| {
    market::apply_cancel(s, o)
});
evaluator!(LimitOrderUpdateOp, (), DeferIntoOrder, |s, c, o| market::evaluate_update(s, c, o), |s, c, o, f, p| {
    market::apply_update(s, c, o, f)
});

// ---- BitAssets ----
evaluator!(AssetUpdateBitassetOp, (), Charge, |s, c, o| feeds::evaluate_update_bitasset(s, o), |s, c, o, f, p| {
    feeds::apply_update_bitasset(s, c, o)
});
evaluator!(
    AssetUpdateFeedProducersOp,
    (),
    Charge,
    |s, c, o| feeds::evaluate_update_feed_producers(s, o),
    |s, c, o, f, p| feeds::apply_update_feed_producers(s, c, o)
);
evaluator!(AssetPublishFeedOp, (), Charge, |s, c, o| feeds::evaluate_publish_feed(s, o), |s, c, o, f, p| {
    feeds::apply_publish_feed(s, c, o)
});
evaluator!(
    CallOrderUpdateOp,
    call_order::UpdatePlan,
    Charge,
    |s, c, o| call_order::evaluate_update(s, o),
    |s, c, o, f, p| call_order::apply_update(s, o, p)
);
evaluator!(AssetSettleOp, (), Charge, |s, c, o| force_settle::evaluate_settle(s, o), |s, c, o, f, p| {
    force_settle::apply_settle(s, c.now, o)
});
evaluator!(AssetGlobalSettleOp, (), Charge, |s, c, o| force_settle::evaluate_global_settle(s, o), |s, c, o, f, p| {
    force_settle::apply_global_settle(s, o)
});
evaluator!(BidCollateralOp, Option<u64>, Charge, |s, c, o| revival::evaluate_bid(s, o), |s, c, o, f, p| {
    revival::apply_bid(s, o, p)
});
