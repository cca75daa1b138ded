//! Governance: witnesses (20, 21), committee members (29, 30), chain parameter changes (31) and
//! workers (34), with the chain parameters and fee schedule they carry (`witness.hpp`,
//! `committee_member.hpp`, `worker.hpp`, `chain_parameters.hpp`, `fee_schedule.hpp`).
//!
//! [`ChainParameters`] and [`FeeSchedule`] here are the wire types of op 31; the fee arithmetic
//! that reads them belongs to the fee module.

use super::validate::{at_most, fee_non_negative, percent, positive, supply_amount};
use super::{OperationBody, ValidateError};
use crate::asset::Asset;
use crate::ids::{AccountId, CommitteeMemberId, WitnessId, COMMITTEE_ACCOUNT};
use crate::keys::PublicKey;
use crate::time::TimePointSec;
use std::cmp::Ordering;
use std::collections::BTreeSet;

/// URLs must be shorter than this (`config.hpp` `GRAPHENE_MAX_URL_LENGTH`).
pub const URL_LENGTH_LIMIT: usize = 127;
/// Worker names must be shorter than this.
pub const WORKER_NAME_LENGTH_LIMIT: usize = 63;

fn url_ok(url: &str) -> Result<(), ValidateError> {
    if url.len() >= URL_LENGTH_LIMIT {
        return Err(ValidateError::TooLarge {
            field: "url length",
            value: url.len() as i64,
            max: URL_LENGTH_LIMIT as i64 - 1,
        });
    }
    Ok(())
}

protocol_struct! {
    /// 20 `witness_create_operation`.
    pub struct WitnessCreateOp {
        fee: Asset,
        witness_account: AccountId,
        url: String,
        block_signing_key: PublicKey,
    }
}

impl OperationBody for WitnessCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.witness_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        url_ok(&self.url)
    }
}

protocol_struct! {
    /// 21 `witness_update_operation`.
    pub struct WitnessUpdateOp {
        fee: Asset,
        witness: WitnessId,
        witness_account: AccountId,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_url: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_signing_key: Option<PublicKey>,
    }
}

impl OperationBody for WitnessUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.witness_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if let Some(u) = &self.new_url {
            if u.is_empty() {
                return Err(ValidateError::rule("empty_url", "new_url must not be empty"));
            }
            url_ok(u)?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 29 `committee_member_create_operation`.
    pub struct CommitteeMemberCreateOp {
        fee: Asset,
        committee_member_account: AccountId,
        url: String,
    }
}

impl OperationBody for CommitteeMemberCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.committee_member_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        url_ok(&self.url)
    }
}

protocol_struct! {
    /// 30 `committee_member_update_operation`.
    pub struct CommitteeMemberUpdateOp {
        fee: Asset,
        committee_member: CommitteeMemberId,
        committee_member_account: AccountId,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_url: Option<String>,
    }
}

impl OperationBody for CommitteeMemberUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.committee_member_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if let Some(u) = &self.new_url {
            url_ok(u)?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 31 `committee_member_update_global_parameters_operation`: paid by, and only proposable
    /// for, the committee account 1.2.0.
    pub struct CommitteeMemberUpdateGlobalParametersOp {
        fee: Asset,
        new_parameters: ChainParameters,
    }
}

impl OperationBody for CommitteeMemberUpdateGlobalParametersOp {
    fn fee_payer(&self) -> AccountId {
        COMMITTEE_ACCOUNT
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        self.new_parameters.validate()
    }
}

protocol_struct! {
    /// `refund_worker_initializer`.
    pub struct RefundWorkerInitializer {}
}
protocol_struct! {
    /// `vesting_balance_worker_initializer`.
    pub struct VestingBalanceWorkerInitializer {
        #[serde(with = "crate::json::lenient")]
        pay_vesting_period_days: u16,
    }
}
protocol_struct! {
    /// `burn_worker_initializer`.
    pub struct BurnWorkerInitializer {}
}

static_variant! {
    /// `worker_initializer`.
    pub enum WorkerInitializer {
        0 => Refund(RefundWorkerInitializer) "refund_worker_initializer",
        1 => VestingBalance(VestingBalanceWorkerInitializer) "vesting_balance_worker_initializer",
        2 => Burn(BurnWorkerInitializer) "burn_worker_initializer",
    }
}

impl Default for WorkerInitializer {
    fn default() -> Self {
        WorkerInitializer::Refund(RefundWorkerInitializer {})
    }
}

protocol_struct! {
    /// 34 `worker_create_operation`.
    pub struct WorkerCreateOp {
        fee: Asset,
        owner: AccountId,
        work_begin_date: TimePointSec,
        work_end_date: TimePointSec,
        #[serde(with = "crate::json::int64")]
        daily_pay: i64,
        name: String,
        url: String,
        initializer: WorkerInitializer,
    }
}

impl OperationBody for WorkerCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.owner
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.work_end_date <= self.work_begin_date {
            return Err(ValidateError::rule(
                "work_ends_before_it_begins",
                format!("work_end_date {} is not after work_begin_date {}", self.work_end_date, self.work_begin_date),
            ));
        }
        supply_amount("daily_pay", self.daily_pay)?;
        if self.name.len() >= WORKER_NAME_LENGTH_LIMIT {
            return Err(ValidateError::TooLarge {
                field: "worker name length",
                value: self.name.len() as i64,
                max: WORKER_NAME_LENGTH_LIMIT as i64 - 1,
            });
        }
        url_ok(&self.url)
    }
}

/// `GRAPHENE_BLOCKCHAIN_PRECISION`: 10^5 satoshis per BTS.
const P: u64 = 100_000;

macro_rules! fee_parameters {
    ($($tag:literal => $var:ident($name:ident) $label:literal { $($(#[$fm:meta])* $field:ident : $ty:ty = $def:expr),* $(,)? })*) => {
        $(
            protocol_struct! {
                #[doc = concat!("`", $label, "::fee_parameters_type`.")]
                pub struct $name { $($(#[$fm])* $field: $ty = $def),* }
            }
        )*

        static_variant! {
            /// `fee_parameters`: one operation's fee parameters, tagged by operation.
            pub enum FeeParameters { $($tag => $var($name) $label),* }
        }

        impl FeeParameters {
            /// The protocol default parameters of every operation, in tag order.
            pub fn all_defaults() -> Vec<FeeParameters> {
                vec![$(FeeParameters::$var($name::default())),*]
            }
        }
    };
}

fee_parameters! {
    0 => Transfer(TransferFeeParams) "transfer" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = 10 * P as u32,
    }
    1 => LimitOrderCreate(LimitOrderCreateFeeParams) "limit_order_create" { #[serde(with = "crate::json::uint64")] fee: u64 = 5 * P }
    2 => LimitOrderCancel(LimitOrderCancelFeeParams) "limit_order_cancel" { #[serde(with = "crate::json::uint64")] fee: u64 = 0 }
    3 => CallOrderUpdate(CallOrderUpdateFeeParams) "call_order_update" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    4 => FillOrder(FillOrderFeeParams) "fill_order" {}
    5 => AccountCreate(AccountCreateFeeParams) "account_create" {
        #[serde(with = "crate::json::uint64")] basic_fee: u64 = 5 * P,
        #[serde(with = "crate::json::uint64")] premium_fee: u64 = 2000 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = P as u32,
    }
    6 => AccountUpdate(AccountUpdateFeeParams) "account_update" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = P as u32,
    }
    7 => AccountWhitelist(AccountWhitelistFeeParams) "account_whitelist" { #[serde(with = "crate::json::uint64")] fee: u64 = 300_000 }
    8 => AccountUpgrade(AccountUpgradeFeeParams) "account_upgrade" {
        #[serde(with = "crate::json::uint64")] membership_annual_fee: u64 = 2000 * P,
        #[serde(with = "crate::json::uint64")] membership_lifetime_fee: u64 = 10_000 * P,
    }
    9 => AccountTransfer(AccountTransferFeeParams) "account_transfer" { #[serde(with = "crate::json::uint64")] fee: u64 = 500 * P }
    10 => AssetCreate(AssetCreateFeeParams) "asset_create" {
        #[serde(with = "crate::json::uint64")] symbol3: u64 = 500_000 * P,
        #[serde(with = "crate::json::uint64")] symbol4: u64 = 300_000 * P,
        #[serde(with = "crate::json::uint64")] long_symbol: u64 = 5000 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = 10,
    }
    11 => AssetUpdate(AssetUpdateFeeParams) "asset_update" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 500 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = 10,
    }
    12 => AssetUpdateBitasset(AssetUpdateBitassetFeeParams) "asset_update_bitasset" { #[serde(with = "crate::json::uint64")] fee: u64 = 500 * P }
    13 => AssetUpdateFeedProducers(AssetUpdateFeedProducersFeeParams) "asset_update_feed_producers" { #[serde(with = "crate::json::uint64")] fee: u64 = 500 * P }
    14 => AssetIssue(AssetIssueFeeParams) "asset_issue" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = P as u32,
    }
    15 => AssetReserve(AssetReserveFeeParams) "asset_reserve" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    16 => AssetFundFeePool(AssetFundFeePoolFeeParams) "asset_fund_fee_pool" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    17 => AssetSettle(AssetSettleFeeParams) "asset_settle" { #[serde(with = "crate::json::uint64")] fee: u64 = 100 * P }
    18 => AssetGlobalSettle(AssetGlobalSettleFeeParams) "asset_global_settle" { #[serde(with = "crate::json::uint64")] fee: u64 = 500 * P }
    19 => AssetPublishFeed(AssetPublishFeedFeeParams) "asset_publish_feed" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    20 => WitnessCreate(WitnessCreateFeeParams) "witness_create" { #[serde(with = "crate::json::uint64")] fee: u64 = 5000 * P }
    21 => WitnessUpdate(WitnessUpdateFeeParams) "witness_update" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    22 => ProposalCreate(ProposalCreateFeeParams) "proposal_create" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = 10,
    }
    23 => ProposalUpdate(ProposalUpdateFeeParams) "proposal_update" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = 10,
    }
    24 => ProposalDelete(ProposalDeleteFeeParams) "proposal_delete" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    25 => WithdrawPermissionCreate(WithdrawPermissionCreateFeeParams) "withdraw_permission_create" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    26 => WithdrawPermissionUpdate(WithdrawPermissionUpdateFeeParams) "withdraw_permission_update" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    27 => WithdrawPermissionClaim(WithdrawPermissionClaimFeeParams) "withdraw_permission_claim" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = 10,
    }
    28 => WithdrawPermissionDelete(WithdrawPermissionDeleteFeeParams) "withdraw_permission_delete" { #[serde(with = "crate::json::uint64")] fee: u64 = 0 }
    29 => CommitteeMemberCreate(CommitteeMemberCreateFeeParams) "committee_member_create" { #[serde(with = "crate::json::uint64")] fee: u64 = 5000 * P }
    30 => CommitteeMemberUpdate(CommitteeMemberUpdateFeeParams) "committee_member_update" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    31 => CommitteeMemberUpdateGlobalParameters(CommitteeMemberUpdateGlobalParametersFeeParams) "committee_member_update_global_parameters" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    32 => VestingBalanceCreate(VestingBalanceCreateFeeParams) "vesting_balance_create" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    33 => VestingBalanceWithdraw(VestingBalanceWithdrawFeeParams) "vesting_balance_withdraw" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    34 => WorkerCreate(WorkerCreateFeeParams) "worker_create" { #[serde(with = "crate::json::uint64")] fee: u64 = 5000 * P }
    35 => Custom(CustomFeeParams) "custom" {
        #[serde(with = "crate::json::uint64")] fee: u64 = P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = 10,
    }
    36 => Assert(AssertFeeParams) "assert" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    37 => BalanceClaim(BalanceClaimFeeParams) "balance_claim" {}
    38 => OverrideTransfer(OverrideTransferFeeParams) "override_transfer" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = 10,
    }
    39 => TransferToBlind(TransferToBlindFeeParams) "transfer_to_blind" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 5 * P,
        #[serde(with = "crate::json::lenient")] price_per_output: u32 = 5 * P as u32,
    }
    40 => BlindTransfer(BlindTransferFeeParams) "blind_transfer" {
        #[serde(with = "crate::json::uint64")] fee: u64 = 5 * P,
        #[serde(with = "crate::json::lenient")] price_per_output: u32 = 5 * P as u32,
    }
    41 => TransferFromBlind(TransferFromBlindFeeParams) "transfer_from_blind" { #[serde(with = "crate::json::uint64")] fee: u64 = 5 * P }
    42 => AssetSettleCancel(AssetSettleCancelFeeParams) "asset_settle_cancel" {}
    43 => AssetClaimFees(AssetClaimFeesFeeParams) "asset_claim_fees" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    44 => FbaDistribute(FbaDistributeFeeParams) "fba_distribute" {}
    45 => BidCollateral(BidCollateralFeeParams) "bid_collateral" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    46 => ExecuteBid(ExecuteBidFeeParams) "execute_bid" {}
    47 => AssetClaimPool(AssetClaimPoolFeeParams) "asset_claim_pool" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    48 => AssetUpdateIssuer(AssetUpdateIssuerFeeParams) "asset_update_issuer" { #[serde(with = "crate::json::uint64")] fee: u64 = 20 * P }
    49 => HtlcCreate(HtlcCreateFeeParams) "htlc_create" {
        #[serde(with = "crate::json::uint64")] fee: u64 = P,
        #[serde(with = "crate::json::uint64")] fee_per_day: u64 = P,
    }
    50 => HtlcRedeem(HtlcRedeemFeeParams) "htlc_redeem" {
        #[serde(with = "crate::json::uint64")] fee: u64 = P,
        #[serde(with = "crate::json::uint64")] fee_per_kb: u64 = P,
    }
    51 => HtlcRedeemed(HtlcRedeemedFeeParams) "htlc_redeemed" {}
    52 => HtlcExtend(HtlcExtendFeeParams) "htlc_extend" {
        #[serde(with = "crate::json::uint64")] fee: u64 = P,
        #[serde(with = "crate::json::uint64")] fee_per_day: u64 = P,
    }
    53 => HtlcRefund(HtlcRefundFeeParams) "htlc_refund" {}
    54 => CustomAuthorityCreate(CustomAuthorityCreateFeeParams) "custom_authority_create" {
        #[serde(with = "crate::json::uint64")] basic_fee: u64 = P,
        #[serde(with = "crate::json::lenient")] price_per_byte: u32 = (P / 10) as u32,
    }
    55 => CustomAuthorityUpdate(CustomAuthorityUpdateFeeParams) "custom_authority_update" {
        #[serde(with = "crate::json::uint64")] basic_fee: u64 = P,
        #[serde(with = "crate::json::lenient")] price_per_byte: u32 = (P / 10) as u32,
    }
    56 => CustomAuthorityDelete(CustomAuthorityDeleteFeeParams) "custom_authority_delete" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    57 => TicketCreate(TicketCreateFeeParams) "ticket_create" { #[serde(with = "crate::json::uint64")] fee: u64 = 50 * P }
    58 => TicketUpdate(TicketUpdateFeeParams) "ticket_update" { #[serde(with = "crate::json::uint64")] fee: u64 = 50 * P }
    59 => LiquidityPoolCreate(LiquidityPoolCreateFeeParams) "liquidity_pool_create" { #[serde(with = "crate::json::uint64")] fee: u64 = 50 * P }
    60 => LiquidityPoolDelete(LiquidityPoolDeleteFeeParams) "liquidity_pool_delete" { #[serde(with = "crate::json::uint64")] fee: u64 = 0 }
    61 => LiquidityPoolDeposit(LiquidityPoolDepositFeeParams) "liquidity_pool_deposit" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    62 => LiquidityPoolWithdraw(LiquidityPoolWithdrawFeeParams) "liquidity_pool_withdraw" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    63 => LiquidityPoolExchange(LiquidityPoolExchangeFeeParams) "liquidity_pool_exchange" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    64 => SametFundCreate(SametFundCreateFeeParams) "samet_fund_create" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    65 => SametFundDelete(SametFundDeleteFeeParams) "samet_fund_delete" { #[serde(with = "crate::json::uint64")] fee: u64 = 0 }
    66 => SametFundUpdate(SametFundUpdateFeeParams) "samet_fund_update" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    67 => SametFundBorrow(SametFundBorrowFeeParams) "samet_fund_borrow" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    68 => SametFundRepay(SametFundRepayFeeParams) "samet_fund_repay" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    69 => CreditOfferCreate(CreditOfferCreateFeeParams) "credit_offer_create" {
        #[serde(with = "crate::json::uint64")] fee: u64 = P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = P as u32,
    }
    70 => CreditOfferDelete(CreditOfferDeleteFeeParams) "credit_offer_delete" { #[serde(with = "crate::json::uint64")] fee: u64 = 0 }
    71 => CreditOfferUpdate(CreditOfferUpdateFeeParams) "credit_offer_update" {
        #[serde(with = "crate::json::uint64")] fee: u64 = P,
        #[serde(with = "crate::json::lenient")] price_per_kbyte: u32 = P as u32,
    }
    72 => CreditOfferAccept(CreditOfferAcceptFeeParams) "credit_offer_accept" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    73 => CreditDealRepay(CreditDealRepayFeeParams) "credit_deal_repay" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    74 => CreditDealExpired(CreditDealExpiredFeeParams) "credit_deal_expired" {}
    75 => LiquidityPoolUpdate(LiquidityPoolUpdateFeeParams) "liquidity_pool_update" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    76 => CreditDealUpdate(CreditDealUpdateFeeParams) "credit_deal_update" { #[serde(with = "crate::json::uint64")] fee: u64 = P }
    77 => LimitOrderUpdate(LimitOrderUpdateFeeParams) "limit_order_update" { #[serde(with = "crate::json::uint64")] fee: u64 = 3 * P / 8 }
}

impl Default for FeeParameters {
    fn default() -> Self {
        FeeParameters::Transfer(TransferFeeParams::default())
    }
}

/// In a `flat_set<fee_parameters>` entries compare by tag only (fc's static_variant `<`), so the
/// set holds at most one entry per operation, sorted by tag.
impl Ord for FeeParameters {
    fn cmp(&self, other: &Self) -> Ordering {
        self.which().cmp(&other.which())
    }
}
impl PartialOrd for FeeParameters {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

protocol_struct! {
    /// `fee_schedule`.
    pub struct FeeSchedule {
        parameters: BTreeSet<FeeParameters>,
        #[serde(with = "crate::json::lenient")]
        scale: u32 = 10_000,
    }
}

impl FeeSchedule {
    /// Every operation at its default parameters, scale 100 %.
    pub fn defaults() -> Self {
        FeeSchedule { parameters: FeeParameters::all_defaults().into_iter().collect(), scale: 10_000 }
    }
}

protocol_struct! {
    /// `htlc_options`.
    pub struct HtlcOptions {
        #[serde(with = "crate::json::lenient")]
        max_timeout_secs: u32,
        #[serde(with = "crate::json::lenient")]
        max_preimage_size: u32,
    }
}

protocol_struct! {
    /// `custom_authority_options_type`.
    pub struct CustomAuthorityOptions {
        #[serde(with = "crate::json::lenient")]
        max_custom_authority_lifetime_seconds: u32 = 30 * 86_400,
        #[serde(with = "crate::json::lenient")]
        max_custom_authorities_per_account: u32 = 10,
        #[serde(with = "crate::json::lenient")]
        max_custom_authorities_per_account_op: u32 = 3,
        #[serde(with = "crate::json::lenient")]
        max_custom_authority_restrictions: u32 = 10,
    }
}

ext_struct! {
    /// `chain_parameters::ext`.
    pub struct ChainParametersExt {
        0 => updatable_htlc_options: HtlcOptions,
        1 => custom_authority_options: CustomAuthorityOptions,
        2 => market_fee_network_percent: u16,
        3 => maker_fee_discount_percent: u16,
    }
}

protocol_struct! {
    /// `chain_parameters` (PROTOCOL.md §11), in serialization order.
    pub struct ChainParameters {
        current_fees: FeeSchedule = FeeSchedule::defaults(),
        #[serde(with = "crate::json::lenient")]
        block_interval: u8 = 5,
        #[serde(with = "crate::json::lenient")]
        maintenance_interval: u32 = 86_400,
        #[serde(with = "crate::json::lenient")]
        maintenance_skip_slots: u8 = 3,
        #[serde(with = "crate::json::lenient")]
        committee_proposal_review_period: u32 = 1_209_600,
        #[serde(with = "crate::json::lenient")]
        maximum_transaction_size: u32 = 2048,
        #[serde(with = "crate::json::lenient")]
        maximum_block_size: u32 = 2_000_000,
        #[serde(with = "crate::json::lenient")]
        maximum_time_until_expiration: u32 = 86_400,
        #[serde(with = "crate::json::lenient")]
        maximum_proposal_lifetime: u32 = 2_419_200,
        #[serde(with = "crate::json::lenient")]
        maximum_asset_whitelist_authorities: u8 = 10,
        #[serde(with = "crate::json::lenient")]
        maximum_asset_feed_publishers: u8 = 10,
        #[serde(with = "crate::json::lenient")]
        maximum_witness_count: u16 = 1001,
        #[serde(with = "crate::json::lenient")]
        maximum_committee_count: u16 = 1001,
        #[serde(with = "crate::json::lenient")]
        maximum_authority_membership: u16 = 10,
        #[serde(with = "crate::json::lenient")]
        reserve_percent_of_fee: u16 = 2000,
        #[serde(with = "crate::json::lenient")]
        network_percent_of_fee: u16 = 2000,
        #[serde(with = "crate::json::lenient")]
        lifetime_referrer_percent_of_fee: u16 = 3000,
        #[serde(with = "crate::json::lenient")]
        cashback_vesting_period_seconds: u32 = 31_536_000,
        #[serde(with = "crate::json::int64")]
        cashback_vesting_threshold: i64 = 10_000_000,
        count_non_member_votes: bool = true,
        allow_non_member_whitelists: bool = false,
        #[serde(with = "crate::json::int64")]
        witness_pay_per_block: i64 = 1_000_000,
        #[serde(with = "crate::json::int64")]
        worker_budget_per_day: i64 = 50_000_000_000,
        #[serde(with = "crate::json::lenient")]
        max_predicate_opcode: u16 = 1,
        #[serde(with = "crate::json::int64")]
        fee_liquidation_threshold: i64 = 10_000_000,
        #[serde(with = "crate::json::lenient")]
        accounts_per_fee_scale: u16 = 1000,
        #[serde(with = "crate::json::lenient")]
        account_fee_scale_bitshifts: u8 = 4,
        #[serde(with = "crate::json::lenient")]
        max_authority_depth: u8 = 2,
        extensions: ChainParametersExt,
    }
}

impl ChainParameters {
    /// `chain_parameters::validate`.
    pub fn validate(&self) -> Result<(), ValidateError> {
        percent("reserve_percent_of_fee", self.reserve_percent_of_fee)?;
        percent("network_percent_of_fee", self.network_percent_of_fee)?;
        percent("lifetime_referrer_percent_of_fee", self.lifetime_referrer_percent_of_fee)?;
        at_most(
            "network_percent_of_fee + lifetime_referrer_percent_of_fee",
            i64::from(self.network_percent_of_fee) + i64::from(self.lifetime_referrer_percent_of_fee),
            i64::from(crate::asset::PERCENT_100),
        )?;
        positive("block_interval", i64::from(self.block_interval))?;
        at_most("block_interval", i64::from(self.block_interval), 30)?;
        let bi = u32::from(self.block_interval);
        if self.maintenance_interval <= bi || self.maintenance_interval.checked_rem(bi) != Some(0) {
            return Err(ValidateError::rule(
                "bad_maintenance_interval",
                format!(
                    "maintenance_interval {} must exceed and be a multiple of block_interval {bi}",
                    self.maintenance_interval
                ),
            ));
        }
        super::validate::at_least("maximum_transaction_size", i64::from(self.maximum_transaction_size), 1024)?;
        super::validate::at_least("maximum_block_size", i64::from(self.maximum_block_size), 5120)?;
        if self.maximum_time_until_expiration <= bi {
            return Err(ValidateError::rule(
                "bad_maximum_time_until_expiration",
                "maximum_time_until_expiration must exceed block_interval",
            ));
        }
        if i64::from(self.maximum_proposal_lifetime) - i64::from(self.committee_proposal_review_period) <= i64::from(bi)
        {
            return Err(ValidateError::rule(
                "bad_committee_proposal_review_period",
                "committee_proposal_review_period must leave more than one block interval of proposal lifetime",
            ));
        }
        if let Some(p) = self.extensions.market_fee_network_percent {
            at_most("market_fee_network_percent", i64::from(p), 3000)?;
        }
        if let Some(p) = self.extensions.maker_fee_discount_percent {
            percent("maker_fee_discount_percent", p)?;
        }
        Ok(())
    }
}
