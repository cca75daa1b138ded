//! The required fee of an operation (`fee_schedule::calculate_fee` and every operation's
//! `calculate_fee`, `libraries/protocol/*.cpp`).
//!
//! `required = floor(op_fee × scale / 10000)`, where `op_fee` is the operation's own rule applied
//! to its parameters from [`FeeSchedule::params_for`] (so the lookup fallbacks apply). Data fees
//! are charged on fc::raw sizes exactly as the C++ does: the packed `optional<memo_data>` (its
//! presence byte included) for memos, the whole packed operation for account_create, account
//! update with new options, asset_create/update, proposals, custom and credit offers.
//!
//! All arithmetic is checked: an overflow or a result above 10^15 is a [`FeeError`], never a
//! wrap or a panic. Virtual operations and balance_claim cost 0.

use super::{data_fee, tags, FeeError, FeeParameters, FeeSchedule, FeeWithKbyte};
use crate::asset::{Asset, MAX_SHARE_SUPPLY};
use crate::encoding::Pack;
use crate::ops::{is_cheap_name, AssetCreateOp, MemoData, Operation};

const SECONDS_PER_DAY: u64 = 86_400;

impl FeeSchedule {
    /// The fee `op` must pay, in core satoshis, scaled by the schedule's scale.
    pub fn calculate_fee(&self, op: &Operation) -> Result<u64, FeeError> {
        let fee = self.scale_fee(self.op_fee(op)?)?;
        if fee > MAX_SHARE_SUPPLY as u64 {
            return Err(FeeError::ScaledFeeTooLarge { fee, scale: self.scale });
        }
        Ok(fee)
    }

    /// [`Self::calculate_fee`] as a core-asset amount.
    pub fn required_fee_for(&self, op: &Operation) -> Result<Asset, FeeError> {
        // calculate_fee bounds the value by 10^15, so it fits an i64.
        self.calculate_fee(op).map(|fee| Asset::core(fee as i64))
    }

    /// `set_fee` with the core exchange rate 1:1: write the required core fee into `op` and
    /// return it. The fee field's own size can change the data fee, so this repeats (at most four
    /// times, as the C++ does) until stable and keeps the largest fee seen.
    pub fn set_required_fee(&self, op: &mut Operation) -> Result<Asset, FeeError> {
        let mut fee = self.required_fee_for(op)?;
        let mut max = fee;
        for _ in 0..4 {
            *op.fee_mut() = max;
            let again = self.required_fee_for(op)?;
            if again == fee {
                break;
            }
            max = if again.amount > max.amount { again } else { max };
            fee = again;
        }
        *op.fee_mut() = max;
        Ok(max)
    }

    /// The unscaled fee of `op` by its own rule.
    fn op_fee(&self, op: &Operation) -> Result<u64, FeeError> {
        use FeeParameters as F;
        use Operation as O;
        let name = op.name();
        let overflow = || FeeError::Overflow { op: name };
        let add = |a: u64, b: u64| a.checked_add(b).ok_or_else(overflow);
        let mul = |a: u64, b: u64| a.checked_mul(b).ok_or_else(overflow);
        let params = self.params_for(op.tag()).ok_or_else(overflow)?;
        match (op, params) {
            (O::Transfer(o), F::Transfer(k)) => add(k.fee, memo_fee(&o.memo, k)?),
            (O::OverrideTransfer(o), F::OverrideTransfer(k)) => add(k.fee, memo_fee(&o.memo, k)?),
            (O::WithdrawPermissionClaim(o), F::WithdrawPermissionClaim(k)) => add(k.fee, memo_fee(&o.memo, k)?),
            (O::AssetIssue(o), F::AssetIssue(k)) => {
                // Unlike transfer, asset_issue charges for the optional memo even when absent.
                add(k.fee, data_fee(o.memo.packed_size() as u64, u64::from(k.price_per_kbyte))?)
            }
            (O::AccountCreate(o), F::AccountCreate(k)) => {
                let base = if is_cheap_name(&o.name) { k.basic_fee } else { k.premium_fee };
                add(base, data_fee(o.packed_size() as u64, u64::from(k.price_per_kbyte))?)
            }
            (O::AccountUpdate(o), F::AccountUpdate(k)) => match o.new_options {
                Some(_) => add(k.fee, whole_op_fee(o, k)?),
                None => Ok(k.fee),
            },
            (O::AccountUpgrade(o), F::AccountUpgrade(k)) => {
                Ok(if o.upgrade_to_lifetime_member { k.membership_lifetime_fee } else { k.membership_annual_fee })
            }
            (O::AssetCreate(o), F::AssetCreate(k)) => {
                let base = asset_create_base_fee(self, o, k.symbol3, k.symbol4, k.long_symbol);
                add(base, data_fee(o.packed_size() as u64, u64::from(k.price_per_kbyte))?)
            }
            (O::AssetUpdate(o), F::AssetUpdate(k)) => add(k.fee, whole_op_fee(o, k)?),
            (O::ProposalCreate(o), F::ProposalCreate(k)) => add(k.fee, whole_op_fee(o, k)?),
            (O::ProposalUpdate(o), F::ProposalUpdate(k)) => add(k.fee, whole_op_fee(o, k)?),
            (O::Custom(o), F::Custom(k)) => add(k.fee, whole_op_fee(o, k)?),
            (O::CreditOfferCreate(o), F::CreditOfferCreate(k)) => add(k.fee, whole_op_fee(o, k)?),
            (O::CreditOfferUpdate(o), F::CreditOfferUpdate(k)) => add(k.fee, whole_op_fee(o, k)?),
            (O::Assert(o), F::Assert(k)) => mul(k.fee, o.predicates.len() as u64),
            (O::TransferToBlind(o), F::TransferToBlind(k)) => {
                add(k.fee, mul(o.outputs.len() as u64, u64::from(k.price_per_output))?)
            }
            (O::BlindTransfer(o), F::BlindTransfer(k)) => {
                add(k.fee, mul(o.outputs.len() as u64, u64::from(k.price_per_output))?)
            }
            (O::HtlcCreate(o), F::HtlcCreate(k)) => {
                let days = u64::from(o.claim_period_seconds).div_ceil(SECONDS_PER_DAY);
                let fee = add(k.fee, mul(k.fee_per_day, days)?)?;
                match &o.extensions.memo {
                    // The memo is priced at the transfer's per-KiB rate.
                    Some(_) => {
                        let per_kb = match self.params_for(tags::TRANSFER) {
                            Some(F::Transfer(t)) => u64::from(t.price_per_kbyte),
                            _ => 0,
                        };
                        add(fee, data_fee(o.extensions.memo.packed_size() as u64, per_kb)?)
                    }
                    None => Ok(fee),
                }
            }
            (O::HtlcRedeem(o), F::HtlcRedeem(k)) => {
                let kb = (o.preimage.0.len() as u64).div_ceil(1024);
                add(k.fee, mul(kb, k.fee_per_kb)?)
            }
            (O::HtlcExtend(o), F::HtlcExtend(k)) => {
                let days = u64::from(o.seconds_to_add).div_ceil(SECONDS_PER_DAY);
                add(k.fee, mul(k.fee_per_day, days)?)
            }
            (O::CustomAuthorityCreate(o), F::CustomAuthorityCreate(k)) => {
                let bytes = (o.restrictions.packed_size() + o.auth.packed_size()) as u64;
                add(k.basic_fee, mul(u64::from(k.price_per_byte), bytes)?)
            }
            (O::CustomAuthorityUpdate(o), F::CustomAuthorityUpdate(k)) => {
                let mut fee =
                    add(k.basic_fee, mul(u64::from(k.price_per_byte), o.restrictions_to_add.packed_size() as u64)?)?;
                if let Some(auth) = &o.new_auth {
                    fee = add(fee, mul(u64::from(k.price_per_byte), auth.packed_size() as u64)?)?;
                }
                Ok(fee)
            }
            // Every other operation pays its flat fee; virtual ops and balance_claim pay 0.
            (_, p) => Ok(flat_fee(&p)),
        }
    }
}

/// transfer-style memo pricing: the data fee of the packed `optional<memo_data>`, if present.
fn memo_fee(memo: &Option<MemoData>, k: FeeWithKbyte) -> Result<u64, FeeError> {
    match memo {
        Some(_) => data_fee(memo.packed_size() as u64, u64::from(k.price_per_kbyte)),
        None => Ok(0),
    }
}

/// The data fee of the whole packed operation.
fn whole_op_fee(op: &impl Pack, k: FeeWithKbyte) -> Result<u64, FeeError> {
    data_fee(op.packed_size() as u64, u64::from(k.price_per_kbyte))
}

/// asset_create's base fee: once ticket fees exist, a dotted (sub-asset) symbol pays the
/// account_transfer fee; otherwise 3- and 4-character symbols pay `symbol3` / `symbol4` and all
/// others `long_symbol` (`fee_schedule_calc.cpp`, `asset_ops.cpp`).
fn asset_create_base_fee(schedule: &FeeSchedule, op: &AssetCreateOp, symbol3: u64, symbol4: u64, long: u64) -> u64 {
    let sub_asset_fee = match (schedule.get(tags::ACCOUNT_TRANSFER), schedule.contains(tags::TICKET_CREATE)) {
        (Some(FeeParameters::AccountTransfer(f)), true) => Some(f.fee),
        _ => None,
    };
    match sub_asset_fee {
        Some(fee) if op.symbol.contains('.') => fee,
        _ => match op.symbol.len() {
            3 => symbol3,
            4 => symbol4,
            _ => long,
        },
    }
}

/// The plain `fee` (or `basic_fee`) of a parameter set; 0 for empty parameters.
fn flat_fee(p: &FeeParameters) -> u64 {
    use FeeParameters as F;
    match p {
        F::Transfer(k)
        | F::AccountUpdate(k)
        | F::AssetUpdate(k)
        | F::AssetIssue(k)
        | F::ProposalCreate(k)
        | F::ProposalUpdate(k)
        | F::WithdrawPermissionClaim(k)
        | F::Custom(k)
        | F::OverrideTransfer(k)
        | F::CreditOfferCreate(k)
        | F::CreditOfferUpdate(k) => k.fee,
        F::AccountCreate(k) => k.basic_fee,
        F::AccountUpgrade(k) => k.membership_annual_fee,
        F::AssetCreate(k) => k.long_symbol,
        F::TransferToBlind(k) | F::BlindTransfer(k) => k.fee,
        F::HtlcCreate(k) | F::HtlcExtend(k) => k.fee,
        F::HtlcRedeem(k) => k.fee,
        F::CustomAuthorityCreate(k) | F::CustomAuthorityUpdate(k) => k.basic_fee,
        F::FillOrder(_)
        | F::BalanceClaim(_)
        | F::AssetSettleCancel(_)
        | F::FbaDistribute(_)
        | F::ExecuteBid(_)
        | F::HtlcRedeemed(_)
        | F::HtlcRefund(_)
        | F::CreditDealExpired(_) => 0,
        F::LimitOrderCreate(f)
        | F::LimitOrderCancel(f)
        | F::CallOrderUpdate(f)
        | F::AccountWhitelist(f)
        | F::AccountTransfer(f)
        | F::AssetUpdateBitasset(f)
        | F::AssetUpdateFeedProducers(f)
        | F::AssetReserve(f)
        | F::AssetFundFeePool(f)
        | F::AssetSettle(f)
        | F::AssetGlobalSettle(f)
        | F::AssetPublishFeed(f)
        | F::WitnessCreate(f)
        | F::WitnessUpdate(f)
        | F::ProposalDelete(f)
        | F::WithdrawPermissionCreate(f)
        | F::WithdrawPermissionUpdate(f)
        | F::WithdrawPermissionDelete(f)
        | F::CommitteeMemberCreate(f)
        | F::CommitteeMemberUpdate(f)
        | F::CommitteeMemberUpdateGlobalParameters(f)
        | F::VestingBalanceCreate(f)
        | F::VestingBalanceWithdraw(f)
        | F::WorkerCreate(f)
        | F::Assert(f)
        | F::TransferFromBlind(f)
        | F::AssetClaimFees(f)
        | F::BidCollateral(f)
        | F::AssetClaimPool(f)
        | F::AssetUpdateIssuer(f)
        | F::CustomAuthorityDelete(f)
        | F::TicketCreate(f)
        | F::TicketUpdate(f)
        | F::LiquidityPoolCreate(f)
        | F::LiquidityPoolDelete(f)
        | F::LiquidityPoolDeposit(f)
        | F::LiquidityPoolWithdraw(f)
        | F::LiquidityPoolExchange(f)
        | F::SametFundCreate(f)
        | F::SametFundDelete(f)
        | F::SametFundUpdate(f)
        | F::SametFundBorrow(f)
        | F::SametFundRepay(f)
        | F::CreditOfferDelete(f)
        | F::CreditOfferAccept(f)
        | F::CreditDealRepay(f)
        | F::LiquidityPoolUpdate(f)
        | F::CreditDealUpdate(f)
        | F::LimitOrderUpdate(f) => f.fee,
    }
}

#[cfg(test)]
mod tests;
