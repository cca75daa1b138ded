//! Withdraw permissions (25–28), vesting balances (32, 33), `custom` (35), `assert` (36),
//! genesis balance claims (37), FBA distribution (44) and HTLCs (49–53)
//! (`withdraw_permission.hpp`, `vesting.hpp`, `custom.hpp`, `assert.hpp`, `balance.hpp`,
//! `fba.hpp`, `htlc.hpp`).

use super::validate::{different_accounts, fee_non_negative, positive};
use super::{Bytes, Hash160, MemoData, OperationBody, Ripemd160, Sha1, Sha256, ValidateError};
use crate::asset::Asset;
use crate::authority::Authority;
use crate::ext::Extensions;
use crate::ids::*;
use crate::keys::PublicKey;
use crate::time::TimePointSec;
use std::collections::BTreeSet;

protocol_struct! {
    /// 25 `withdraw_permission_create_operation`.
    pub struct WithdrawPermissionCreateOp {
        fee: Asset,
        withdraw_from_account: AccountId,
        authorized_account: AccountId,
        withdrawal_limit: Asset,
        #[serde(with = "crate::json::lenient")]
        withdrawal_period_sec: u32,
        #[serde(with = "crate::json::lenient")]
        periods_until_expiration: u32,
        period_start_time: TimePointSec,
    }
}

fn withdraw_terms(limit: &Asset, period: u32, periods: u32) -> Result<(), ValidateError> {
    positive("withdrawal_limit", limit.amount)?;
    positive("withdrawal_period_sec", i64::from(period))?;
    positive("periods_until_expiration", i64::from(periods))
}

impl OperationBody for WithdrawPermissionCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.withdraw_from_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_accounts("withdraw_from/authorized", self.withdraw_from_account, self.authorized_account)?;
        withdraw_terms(&self.withdrawal_limit, self.withdrawal_period_sec, self.periods_until_expiration)
    }
}

protocol_struct! {
    /// 26 `withdraw_permission_update_operation`.
    pub struct WithdrawPermissionUpdateOp {
        fee: Asset,
        withdraw_from_account: AccountId,
        authorized_account: AccountId,
        permission_to_update: WithdrawPermissionId,
        withdrawal_limit: Asset,
        #[serde(with = "crate::json::lenient")]
        withdrawal_period_sec: u32,
        period_start_time: TimePointSec,
        #[serde(with = "crate::json::lenient")]
        periods_until_expiration: u32,
    }
}

impl OperationBody for WithdrawPermissionUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.withdraw_from_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_accounts("withdraw_from/authorized", self.withdraw_from_account, self.authorized_account)?;
        withdraw_terms(&self.withdrawal_limit, self.withdrawal_period_sec, self.periods_until_expiration)
    }
}

protocol_struct! {
    /// 27 `withdraw_permission_claim_operation`.
    pub struct WithdrawPermissionClaimOp {
        fee: Asset,
        withdraw_permission: WithdrawPermissionId,
        withdraw_from_account: AccountId,
        withdraw_to_account: AccountId,
        amount_to_withdraw: Asset,
        #[serde(skip_serializing_if = "Option::is_none")]
        memo: Option<MemoData>,
    }
}

impl OperationBody for WithdrawPermissionClaimOp {
    fn fee_payer(&self) -> AccountId {
        self.withdraw_to_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_accounts("withdraw_from/withdraw_to", self.withdraw_from_account, self.withdraw_to_account)?;
        positive("amount_to_withdraw", self.amount_to_withdraw.amount)
    }
}

protocol_struct! {
    /// 28 `withdraw_permission_delete_operation`.
    pub struct WithdrawPermissionDeleteOp {
        fee: Asset,
        withdraw_from_account: AccountId,
        authorized_account: AccountId,
        withdrawal_permission: WithdrawPermissionId,
    }
}

impl OperationBody for WithdrawPermissionDeleteOp {
    fn fee_payer(&self) -> AccountId {
        self.withdraw_from_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_accounts("withdraw_from/authorized", self.withdraw_from_account, self.authorized_account)
    }
}

protocol_struct! {
    /// `linear_vesting_policy_initializer`.
    pub struct LinearVestingPolicyInitializer {
        begin_timestamp: TimePointSec,
        #[serde(with = "crate::json::lenient")]
        vesting_cliff_seconds: u32,
        #[serde(with = "crate::json::lenient")]
        vesting_duration_seconds: u32,
    }
}
protocol_struct! {
    /// `cdd_vesting_policy_initializer` (coin-days-destroyed).
    pub struct CddVestingPolicyInitializer {
        start_claim: TimePointSec,
        #[serde(with = "crate::json::lenient")]
        vesting_seconds: u32,
    }
}
protocol_struct! {
    /// `instant_vesting_policy_initializer`.
    pub struct InstantVestingPolicyInitializer {}
}

static_variant! {
    /// `vesting_policy_initializer`.
    pub enum VestingPolicyInitializer {
        0 => Linear(LinearVestingPolicyInitializer) "linear_vesting_policy_initializer",
        1 => Cdd(CddVestingPolicyInitializer) "cdd_vesting_policy_initializer",
        2 => Instant(InstantVestingPolicyInitializer) "instant_vesting_policy_initializer",
    }
}

impl Default for VestingPolicyInitializer {
    fn default() -> Self {
        VestingPolicyInitializer::Linear(Default::default())
    }
}

protocol_struct! {
    /// 32 `vesting_balance_create_operation`.
    pub struct VestingBalanceCreateOp {
        fee: Asset,
        creator: AccountId,
        owner: AccountId,
        amount: Asset,
        policy: VestingPolicyInitializer,
    }
}

impl OperationBody for VestingBalanceCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.creator
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        positive("amount", self.amount.amount)
    }
}

protocol_struct! {
    /// 33 `vesting_balance_withdraw_operation`.
    pub struct VestingBalanceWithdrawOp {
        fee: Asset,
        vesting_balance: VestingBalanceId,
        owner: AccountId,
        amount: Asset,
    }
}

impl OperationBody for VestingBalanceWithdrawOp {
    fn fee_payer(&self) -> AccountId {
        self.owner
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        positive("amount", self.amount.amount)?;
        // vesting.hpp:115: temp-account (threshold 0, anyone may sign for it) may not withdraw.
        if self.owner == TEMP_ACCOUNT {
            return Err(ValidateError::rule(
                "temp_account_owner",
                format!("vesting_balance_withdraw owner may not be temp-account {TEMP_ACCOUNT}"),
            ));
        }
        Ok(())
    }
}

protocol_struct! {
    /// 35 `custom_operation`: opaque data for off-chain applications.
    pub struct CustomOp {
        fee: Asset,
        payer: AccountId,
        required_auths: BTreeSet<AccountId>,
        #[serde(with = "crate::json::lenient")]
        id: u16,
        data: Bytes,
    }
}

impl OperationBody for CustomOp {
    fn fee_payer(&self) -> AccountId {
        self.payer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)
    }
    // Since hardfork core-210 the chain ignores `required_auths` of custom operations
    // (`MUST_IGNORE_CUSTOM_OP_REQD_AUTHS`): only the payer's active authority is required.
}

protocol_struct! {
    /// `account_name_eq_lit_predicate`.
    pub struct AccountNameEqLitPredicate {
        account_id: AccountId,
        name: String,
    }
}
protocol_struct! {
    /// `asset_symbol_eq_lit_predicate`.
    pub struct AssetSymbolEqLitPredicate {
        asset_id: AssetId,
        symbol: String,
    }
}
protocol_struct! {
    /// `block_id_predicate`: the chain contains this block id.
    pub struct BlockIdPredicate {
        id: Ripemd160,
    }
}

static_variant! {
    /// `predicate`, the assertion of an `assert_operation`.
    pub enum Predicate {
        0 => AccountNameEqLit(AccountNameEqLitPredicate) "account_name_eq_lit_predicate",
        1 => AssetSymbolEqLit(AssetSymbolEqLitPredicate) "asset_symbol_eq_lit_predicate",
        2 => BlockId(BlockIdPredicate) "block_id_predicate",
    }
}

impl Default for Predicate {
    fn default() -> Self {
        Predicate::AccountNameEqLit(Default::default())
    }
}

protocol_struct! {
    /// 36 `assert_operation`.
    pub struct AssertOp {
        fee: Asset,
        fee_paying_account: AccountId,
        predicates: Vec<Predicate>,
        required_auths: BTreeSet<AccountId>,
        extensions: Extensions,
    }
}

impl OperationBody for AssertOp {
    fn fee_payer(&self) -> AccountId {
        self.fee_paying_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        for p in &self.predicates {
            match p {
                Predicate::AccountNameEqLit(a) if !super::is_valid_account_name(&a.name) => {
                    return Err(ValidateError::InvalidAccountName { name: a.name.clone() });
                }
                Predicate::AssetSymbolEqLit(a) if !super::is_valid_symbol(&a.symbol) => {
                    return Err(ValidateError::InvalidSymbol { symbol: a.symbol.clone() });
                }
                _ => {}
            }
        }
        Ok(())
    }
    fn required_authorities(
        &self,
        active: &mut BTreeSet<AccountId>,
        _: &mut BTreeSet<AccountId>,
        _: &mut Vec<Authority>,
    ) {
        active.extend(self.required_auths.iter().copied());
    }
}

protocol_struct! {
    /// 37 `balance_claim_operation`: claims a genesis balance; the fee must be exactly zero and
    /// the balance's key must sign.
    pub struct BalanceClaimOp {
        fee: Asset,
        deposit_to_account: AccountId,
        balance_to_claim: BalanceId,
        balance_owner_key: PublicKey,
        total_claimed: Asset,
    }
}

impl OperationBody for BalanceClaimOp {
    fn fee_payer(&self) -> AccountId {
        self.deposit_to_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        if self.fee != Asset::default() {
            return Err(ValidateError::FeeMustBeZero { amount: self.fee.amount, asset: self.fee.asset_id });
        }
        if self.balance_owner_key.is_null() {
            return Err(ValidateError::rule("null_balance_owner_key", "balance_owner_key must not be the null key"));
        }
        Ok(())
    }
    fn required_authorities(
        &self,
        _: &mut BTreeSet<AccountId>,
        _: &mut BTreeSet<AccountId>,
        other: &mut Vec<Authority>,
    ) {
        other.push(Authority::single_key(self.balance_owner_key));
    }
}

protocol_struct! {
    /// 44 `fba_distribute_operation` (virtual).
    pub struct FbaDistributeOp {
        fee: Asset,
        account_id: AccountId,
        fba_id: FbaAccumulatorId,
        #[serde(with = "crate::json::int64")]
        amount: i64,
    }
}
super::simple_body!(FbaDistributeOp => account_id);

static_variant! {
    /// `htlc_hash`: the typed hash of an HTLC preimage.
    pub enum HtlcHash {
        0 => Ripemd160(Ripemd160) "ripemd160",
        1 => Sha1(Sha1) "sha1",
        2 => Sha256(Sha256) "sha256",
        3 => Hash160(Hash160) "hash160",
    }
}

impl Default for HtlcHash {
    fn default() -> Self {
        HtlcHash::Ripemd160(Default::default())
    }
}

ext_struct! {
    /// `htlc_create_operation::additional_options_type`.
    pub struct HtlcCreateExt {
        0 => memo: MemoData,
    }
}

protocol_struct! {
    /// 49 `htlc_create_operation`.
    pub struct HtlcCreateOp {
        fee: Asset,
        from: AccountId,
        to: AccountId,
        amount: Asset,
        preimage_hash: HtlcHash,
        #[serde(with = "crate::json::lenient")]
        preimage_size: u16,
        #[serde(with = "crate::json::lenient")]
        claim_period_seconds: u32,
        extensions: HtlcCreateExt,
    }
}

impl OperationBody for HtlcCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.from
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        positive("amount", self.amount.amount)
    }
}

protocol_struct! {
    /// 50 `htlc_redeem_operation`.
    pub struct HtlcRedeemOp {
        fee: Asset,
        htlc_id: HtlcId,
        redeemer: AccountId,
        preimage: Bytes,
        extensions: Extensions,
    }
}
super::simple_body!(HtlcRedeemOp => redeemer);

protocol_struct! {
    /// 51 `htlc_redeemed_operation` (virtual).
    pub struct HtlcRedeemedOp {
        fee: Asset,
        htlc_id: HtlcId,
        from: AccountId,
        to: AccountId,
        redeemer: AccountId,
        amount: Asset,
        htlc_preimage_hash: HtlcHash,
        #[serde(with = "crate::json::lenient")]
        htlc_preimage_size: u16,
    }
}
super::simple_body!(HtlcRedeemedOp => to);

protocol_struct! {
    /// 52 `htlc_extend_operation`.
    pub struct HtlcExtendOp {
        fee: Asset,
        htlc_id: HtlcId,
        update_issuer: AccountId,
        #[serde(with = "crate::json::lenient")]
        seconds_to_add: u32,
        extensions: Extensions,
    }
}
super::simple_body!(HtlcExtendOp => update_issuer);

protocol_struct! {
    /// 53 `htlc_refund_operation` (virtual).
    pub struct HtlcRefundOp {
        fee: Asset,
        htlc_id: HtlcId,
        to: AccountId,
        original_htlc_recipient: AccountId,
        htlc_amount: Asset,
        htlc_preimage_hash: HtlcHash,
        #[serde(with = "crate::json::lenient")]
        htlc_preimage_size: u16,
    }
}
super::simple_body!(HtlcRefundOp => to);
