//! Newer contract-like operations: custom authorities (54–56, BSIP 40), tickets (57, 58),
//! liquidity pools (59–63, 75), samet funds (64–68) and credit offers and deals (69–74, 76)
//! (`custom_authority.hpp`, `restriction.hpp`, `ticket.hpp`, `liquidity_pool.hpp`,
//! `samet_fund.hpp`, `credit_offer.hpp`).
//!
//! Stateless validation here checks the fee only (plus a few obvious amount rules); the C++
//! `validate()` bodies of these families are not ported yet. Restriction predicates are encoded
//! faithfully (all 42 argument alternatives round-trip) but never interpreted.

use super::validate::{different_assets, fee_non_negative, percent, positive};
use super::{Int64, OperationBody, Sha256, UnsignedInt, ValidateError, VoidT};
use crate::asset::{Asset, Price};
use crate::authority::Authority;
use crate::ext::Extensions;
use crate::ids::*;
use crate::keys::PublicKey;
use crate::time::TimePointSec;
use std::collections::{BTreeMap, BTreeSet};

protocol_struct! {
    /// `restriction`: one condition a custom authority places on an operation's fields.
    pub struct Restriction {
        member_index: UnsignedInt,
        restriction_type: UnsignedInt,
        argument: RestrictionArgument,
        extensions: Extensions,
    }
}

static_variant! {
    /// `restriction::argument_type`.
    pub enum RestrictionArgument {
        0 => Void(VoidT) "void_t",
        1 => Bool(bool) "bool",
        2 => Int64(Int64) "int64_t",
        3 => String(String) "string",
        4 => Time(TimePointSec) "time_point_sec",
        5 => PublicKey(PublicKey) "public_key_type",
        6 => Sha256(Sha256) "sha256",
        7 => Account(AccountId) "account_id_type",
        8 => Asset(AssetId) "asset_id_type",
        9 => ForceSettlement(ForceSettlementId) "force_settlement_id_type",
        10 => CommitteeMember(CommitteeMemberId) "committee_member_id_type",
        11 => Witness(WitnessId) "witness_id_type",
        12 => LimitOrder(LimitOrderId) "limit_order_id_type",
        13 => CallOrder(CallOrderId) "call_order_id_type",
        14 => Custom(CustomId) "custom_id_type",
        15 => Proposal(ProposalId) "proposal_id_type",
        16 => WithdrawPermission(WithdrawPermissionId) "withdraw_permission_id_type",
        17 => VestingBalance(VestingBalanceId) "vesting_balance_id_type",
        18 => Worker(WorkerId) "worker_id_type",
        19 => Balance(BalanceId) "balance_id_type",
        20 => BoolSet(BTreeSet<bool>) "flat_set<bool>",
        21 => Int64Set(BTreeSet<Int64>) "flat_set<int64_t>",
        22 => StringSet(BTreeSet<String>) "flat_set<string>",
        23 => TimeSet(BTreeSet<TimePointSec>) "flat_set<time_point_sec>",
        24 => PublicKeySet(BTreeSet<PublicKey>) "flat_set<public_key_type>",
        25 => Sha256Set(BTreeSet<Sha256>) "flat_set<sha256>",
        26 => AccountSet(BTreeSet<AccountId>) "flat_set<account_id_type>",
        27 => AssetSet(BTreeSet<AssetId>) "flat_set<asset_id_type>",
        28 => ForceSettlementSet(BTreeSet<ForceSettlementId>) "flat_set<force_settlement_id_type>",
        29 => CommitteeMemberSet(BTreeSet<CommitteeMemberId>) "flat_set<committee_member_id_type>",
        30 => WitnessSet(BTreeSet<WitnessId>) "flat_set<witness_id_type>",
        31 => LimitOrderSet(BTreeSet<LimitOrderId>) "flat_set<limit_order_id_type>",
        32 => CallOrderSet(BTreeSet<CallOrderId>) "flat_set<call_order_id_type>",
        33 => CustomSet(BTreeSet<CustomId>) "flat_set<custom_id_type>",
        34 => ProposalSet(BTreeSet<ProposalId>) "flat_set<proposal_id_type>",
        35 => WithdrawPermissionSet(BTreeSet<WithdrawPermissionId>) "flat_set<withdraw_permission_id_type>",
        36 => VestingBalanceSet(BTreeSet<VestingBalanceId>) "flat_set<vesting_balance_id_type>",
        37 => WorkerSet(BTreeSet<WorkerId>) "flat_set<worker_id_type>",
        38 => BalanceSet(BTreeSet<BalanceId>) "flat_set<balance_id_type>",
        39 => Restrictions(Vec<Restriction>) "vector<restriction>",
        40 => RestrictionSets(Vec<Vec<Restriction>>) "vector<vector<restriction>>",
        41 => VariantAssert((Int64, Vec<Restriction>)) "variant_assert_argument_type",
    }
}

impl Default for RestrictionArgument {
    fn default() -> Self {
        RestrictionArgument::Void(VoidT)
    }
}

protocol_struct! {
    /// 54 `custom_authority_create_operation`.
    pub struct CustomAuthorityCreateOp {
        fee: Asset,
        account: AccountId,
        enabled: bool,
        valid_from: TimePointSec,
        valid_to: TimePointSec,
        operation_type: UnsignedInt,
        auth: Authority,
        restrictions: Vec<Restriction>,
        extensions: Extensions,
    }
}
super::simple_body!(CustomAuthorityCreateOp => account);

protocol_struct! {
    /// 55 `custom_authority_update_operation`.
    pub struct CustomAuthorityUpdateOp {
        fee: Asset,
        account: AccountId,
        authority_to_update: CustomAuthorityId,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_valid_from: Option<TimePointSec>,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_valid_to: Option<TimePointSec>,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_auth: Option<Authority>,
        restrictions_to_remove: BTreeSet<u16>,
        restrictions_to_add: Vec<Restriction>,
        extensions: Extensions,
    }
}
super::simple_body!(CustomAuthorityUpdateOp => account);

protocol_struct! {
    /// 56 `custom_authority_delete_operation`.
    pub struct CustomAuthorityDeleteOp {
        fee: Asset,
        account: AccountId,
        authority_to_delete: CustomAuthorityId,
        extensions: Extensions,
    }
}
super::simple_body!(CustomAuthorityDeleteOp => account);

protocol_struct! {
    /// 57 `ticket_create_operation`.
    pub struct TicketCreateOp {
        fee: Asset,
        account: AccountId,
        target_type: UnsignedInt,
        amount: Asset,
        extensions: Extensions,
    }
}

impl OperationBody for TicketCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        positive("amount", self.amount.amount)
    }
}

protocol_struct! {
    /// 58 `ticket_update_operation`.
    pub struct TicketUpdateOp {
        fee: Asset,
        ticket: TicketId,
        account: AccountId,
        target_type: UnsignedInt,
        #[serde(skip_serializing_if = "Option::is_none")]
        amount_for_new_target: Option<Asset>,
        extensions: Extensions,
    }
}
super::simple_body!(TicketUpdateOp => account);

protocol_struct! {
    /// 59 `liquidity_pool_create_operation`.
    pub struct LiquidityPoolCreateOp {
        fee: Asset,
        account: AccountId,
        asset_a: AssetId,
        asset_b: AssetId,
        share_asset: AssetId,
        #[serde(with = "crate::json::lenient")]
        taker_fee_percent: u16,
        #[serde(with = "crate::json::lenient")]
        withdrawal_fee_percent: u16,
        extensions: Extensions,
    }
}

impl OperationBody for LiquidityPoolCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.asset_a >= self.asset_b {
            return Err(ValidateError::rule(
                "pool_assets_unordered",
                format!("asset_a {} must be below asset_b {}", self.asset_a, self.asset_b),
            ));
        }
        different_assets("share_asset/asset_a", self.share_asset, self.asset_a)?;
        different_assets("share_asset/asset_b", self.share_asset, self.asset_b)?;
        percent("taker_fee_percent", self.taker_fee_percent)?;
        percent("withdrawal_fee_percent", self.withdrawal_fee_percent)
    }
}

protocol_struct! {
    /// 60 `liquidity_pool_delete_operation`.
    pub struct LiquidityPoolDeleteOp {
        fee: Asset,
        account: AccountId,
        pool: LiquidityPoolId,
        extensions: Extensions,
    }
}
super::simple_body!(LiquidityPoolDeleteOp => account);

protocol_struct! {
    /// 61 `liquidity_pool_deposit_operation`.
    pub struct LiquidityPoolDepositOp {
        fee: Asset,
        account: AccountId,
        pool: LiquidityPoolId,
        amount_a: Asset,
        amount_b: Asset,
        extensions: Extensions,
    }
}
super::simple_body!(LiquidityPoolDepositOp => account);

protocol_struct! {
    /// 62 `liquidity_pool_withdraw_operation`.
    pub struct LiquidityPoolWithdrawOp {
        fee: Asset,
        account: AccountId,
        pool: LiquidityPoolId,
        share_amount: Asset,
        extensions: Extensions,
    }
}
super::simple_body!(LiquidityPoolWithdrawOp => account);

protocol_struct! {
    /// 63 `liquidity_pool_exchange_operation`.
    pub struct LiquidityPoolExchangeOp {
        fee: Asset,
        account: AccountId,
        pool: LiquidityPoolId,
        amount_to_sell: Asset,
        min_to_receive: Asset,
        extensions: Extensions,
    }
}
super::simple_body!(LiquidityPoolExchangeOp => account);

protocol_struct! {
    /// 75 `liquidity_pool_update_operation`.
    pub struct LiquidityPoolUpdateOp {
        fee: Asset,
        account: AccountId,
        pool: LiquidityPoolId,
        #[serde(skip_serializing_if = "Option::is_none")]
        taker_fee_percent: Option<u16>,
        #[serde(skip_serializing_if = "Option::is_none")]
        withdrawal_fee_percent: Option<u16>,
        extensions: Extensions,
    }
}
super::simple_body!(LiquidityPoolUpdateOp => account);

protocol_struct! {
    /// 64 `samet_fund_create_operation`.
    pub struct SametFundCreateOp {
        fee: Asset,
        owner_account: AccountId,
        asset_type: AssetId,
        #[serde(with = "crate::json::int64")]
        balance: i64,
        #[serde(with = "crate::json::lenient")]
        fee_rate: u32,
        extensions: Extensions,
    }
}
super::simple_body!(SametFundCreateOp => owner_account);

protocol_struct! {
    /// 65 `samet_fund_delete_operation`.
    pub struct SametFundDeleteOp {
        fee: Asset,
        owner_account: AccountId,
        fund_id: SametFundId,
        extensions: Extensions,
    }
}
super::simple_body!(SametFundDeleteOp => owner_account);

protocol_struct! {
    /// 66 `samet_fund_update_operation`.
    pub struct SametFundUpdateOp {
        fee: Asset,
        owner_account: AccountId,
        fund_id: SametFundId,
        #[serde(skip_serializing_if = "Option::is_none")]
        delta_amount: Option<Asset>,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_fee_rate: Option<u32>,
        extensions: Extensions,
    }
}
super::simple_body!(SametFundUpdateOp => owner_account);

protocol_struct! {
    /// 67 `samet_fund_borrow_operation`.
    pub struct SametFundBorrowOp {
        fee: Asset,
        borrower: AccountId,
        fund_id: SametFundId,
        borrow_amount: Asset,
        extensions: Extensions,
    }
}
super::simple_body!(SametFundBorrowOp => borrower);

protocol_struct! {
    /// 68 `samet_fund_repay_operation`.
    pub struct SametFundRepayOp {
        fee: Asset,
        account: AccountId,
        fund_id: SametFundId,
        repay_amount: Asset,
        fund_fee: Asset,
        extensions: Extensions,
    }
}
super::simple_body!(SametFundRepayOp => account);

protocol_struct! {
    /// 69 `credit_offer_create_operation`.
    pub struct CreditOfferCreateOp {
        fee: Asset,
        owner_account: AccountId,
        asset_type: AssetId,
        #[serde(with = "crate::json::int64")]
        balance: i64,
        #[serde(with = "crate::json::lenient")]
        fee_rate: u32,
        #[serde(with = "crate::json::lenient")]
        max_duration_seconds: u32,
        #[serde(with = "crate::json::int64")]
        min_deal_amount: i64,
        enabled: bool,
        auto_disable_time: TimePointSec,
        #[serde(with = "crate::json::pairs")]
        acceptable_collateral: BTreeMap<AssetId, Price>,
        #[serde(with = "crate::json::pairs")]
        acceptable_borrowers: BTreeMap<AccountId, Int64>,
        extensions: Extensions,
    }
}
super::simple_body!(CreditOfferCreateOp => owner_account);

protocol_struct! {
    /// 70 `credit_offer_delete_operation`.
    pub struct CreditOfferDeleteOp {
        fee: Asset,
        owner_account: AccountId,
        offer_id: CreditOfferId,
        extensions: Extensions,
    }
}
super::simple_body!(CreditOfferDeleteOp => owner_account);

protocol_struct! {
    /// 71 `credit_offer_update_operation`.
    pub struct CreditOfferUpdateOp {
        fee: Asset,
        owner_account: AccountId,
        offer_id: CreditOfferId,
        #[serde(skip_serializing_if = "Option::is_none")]
        delta_amount: Option<Asset>,
        #[serde(skip_serializing_if = "Option::is_none")]
        fee_rate: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        max_duration_seconds: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        min_deal_amount: Option<Int64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        enabled: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none")]
        auto_disable_time: Option<TimePointSec>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::opt_pairs")]
        acceptable_collateral: Option<BTreeMap<AssetId, Price>>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::opt_pairs")]
        acceptable_borrowers: Option<BTreeMap<AccountId, Int64>>,
        extensions: Extensions,
    }
}
super::simple_body!(CreditOfferUpdateOp => owner_account);

ext_struct! {
    /// `credit_offer_accept_operation::ext`.
    pub struct CreditOfferAcceptExt {
        0 => auto_repay: u8,
    }
}

protocol_struct! {
    /// 72 `credit_offer_accept_operation`.
    pub struct CreditOfferAcceptOp {
        fee: Asset,
        borrower: AccountId,
        offer_id: CreditOfferId,
        borrow_amount: Asset,
        collateral: Asset,
        #[serde(with = "crate::json::lenient")]
        max_fee_rate: u32,
        #[serde(with = "crate::json::lenient")]
        min_duration_seconds: u32,
        extensions: CreditOfferAcceptExt,
    }
}
super::simple_body!(CreditOfferAcceptOp => borrower);

protocol_struct! {
    /// 73 `credit_deal_repay_operation`.
    pub struct CreditDealRepayOp {
        fee: Asset,
        account: AccountId,
        deal_id: CreditDealId,
        repay_amount: Asset,
        credit_fee: Asset,
        extensions: Extensions,
    }
}
super::simple_body!(CreditDealRepayOp => account);

protocol_struct! {
    /// 74 `credit_deal_expired_operation` (virtual).
    pub struct CreditDealExpiredOp {
        fee: Asset,
        deal_id: CreditDealId,
        offer_id: CreditOfferId,
        offer_owner: AccountId,
        borrower: AccountId,
        unpaid_amount: Asset,
        collateral: Asset,
        #[serde(with = "crate::json::lenient")]
        fee_rate: u32,
    }
}
super::simple_body!(CreditDealExpiredOp => borrower);

protocol_struct! {
    /// 76 `credit_deal_update_operation`.
    pub struct CreditDealUpdateOp {
        fee: Asset,
        account: AccountId,
        deal_id: CreditDealId,
        #[serde(with = "crate::json::lenient")]
        auto_repay: u8,
        extensions: Extensions,
    }
}
super::simple_body!(CreditDealUpdateOp => account);
