//! Chain parameters (PROTOCOL.md §11): the tunable rules of the chain, changed only by committee
//! proposals, and the immutable parameters fixed at genesis.
//!
//! [`ChainParameters`] is byte-identical to the C++ `chain_parameters` in fc::raw (29 fields in
//! `FC_REFLECT` order; `current_fees` is a `shared_ptr` in C++, which fc encodes as the pointee)
//! and JSON-identical to `get_global_properties().parameters`. JSON decoding is lenient: any
//! missing field takes its default.
//!
//! `witness_pay_vesting_seconds` is deliberately *not* a field: the C++ struct has it but does not
//! reflect it, so it is never encoded and never changes; it is
//! [`constants::DEFAULT_WITNESS_PAY_VESTING_SECONDS`], also available as
//! [`ChainParameters::witness_pay_vesting_seconds`].
//!
//! [`ChainParameters::validate`] is the protocol's `chain_parameters::validate` and nothing more:
//! a parameter set it accepts is one a bitshares-core node accepts.

pub mod constants;

use crate::fees::FeeSchedule;
use constants::*;
use serde::{Deserialize, Serialize};

/// `htlc_options`: limits of hash time-locked contracts. No defaults in C++ (HTLC operations
/// fail until the committee sets them).
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct HtlcOptions {
    #[serde(with = "crate::json::lenient")]
    pub max_timeout_secs: u32,
    #[serde(with = "crate::json::lenient")]
    pub max_preimage_size: u32,
}
crate::impl_pack!(HtlcOptions { max_timeout_secs, max_preimage_size });

/// `custom_authority_options_type` (BSIP 40, not active on BitShares).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomAuthorityOptions {
    #[serde(with = "crate::json::lenient")]
    pub max_custom_authority_lifetime_seconds: u32,
    #[serde(with = "crate::json::lenient")]
    pub max_custom_authorities_per_account: u32,
    #[serde(with = "crate::json::lenient")]
    pub max_custom_authorities_per_account_op: u32,
    #[serde(with = "crate::json::lenient")]
    pub max_custom_authority_restrictions: u32,
}
crate::impl_pack!(CustomAuthorityOptions {
    max_custom_authority_lifetime_seconds,
    max_custom_authorities_per_account,
    max_custom_authorities_per_account_op,
    max_custom_authority_restrictions,
});

impl Default for CustomAuthorityOptions {
    fn default() -> Self {
        CustomAuthorityOptions {
            max_custom_authority_lifetime_seconds: DEFAULT_MAX_CUSTOM_AUTHORITY_LIFETIME_SECONDS,
            max_custom_authorities_per_account: DEFAULT_MAX_CUSTOM_AUTHORITIES_PER_ACCOUNT,
            max_custom_authorities_per_account_op: DEFAULT_MAX_CUSTOM_AUTHORITIES_PER_ACCOUNT_OP,
            max_custom_authority_restrictions: DEFAULT_MAX_CUSTOM_AUTHORITY_RESTRICTIONS,
        }
    }
}

crate::extension_struct! {
    /// `chain_parameters::ext`.
    pub struct ChainParametersExt {
        0 => updatable_htlc_options: HtlcOptions,
        1 => custom_authority_options: CustomAuthorityOptions,
        2 => market_fee_network_percent: u16,
        3 => maker_fee_discount_percent: u16,
    }
}

/// `chain_parameters`, fields in `FC_REFLECT` order.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ChainParameters {
    pub current_fees: FeeSchedule,
    #[serde(with = "crate::json::lenient")]
    pub block_interval: u8,
    #[serde(with = "crate::json::lenient")]
    pub maintenance_interval: u32,
    #[serde(with = "crate::json::lenient")]
    pub maintenance_skip_slots: u8,
    #[serde(with = "crate::json::lenient")]
    pub committee_proposal_review_period: u32,
    #[serde(with = "crate::json::lenient")]
    pub maximum_transaction_size: u32,
    #[serde(with = "crate::json::lenient")]
    pub maximum_block_size: u32,
    #[serde(with = "crate::json::lenient")]
    pub maximum_time_until_expiration: u32,
    #[serde(with = "crate::json::lenient")]
    pub maximum_proposal_lifetime: u32,
    #[serde(with = "crate::json::lenient")]
    pub maximum_asset_whitelist_authorities: u8,
    #[serde(with = "crate::json::lenient")]
    pub maximum_asset_feed_publishers: u8,
    #[serde(with = "crate::json::lenient")]
    pub maximum_witness_count: u16,
    #[serde(with = "crate::json::lenient")]
    pub maximum_committee_count: u16,
    #[serde(with = "crate::json::lenient")]
    pub maximum_authority_membership: u16,
    /// Unused by the chain logic (kept for compatibility).
    #[serde(with = "crate::json::lenient")]
    pub reserve_percent_of_fee: u16,
    #[serde(with = "crate::json::lenient")]
    pub network_percent_of_fee: u16,
    #[serde(with = "crate::json::lenient")]
    pub lifetime_referrer_percent_of_fee: u16,
    #[serde(with = "crate::json::lenient")]
    pub cashback_vesting_period_seconds: u32,
    #[serde(with = "crate::json::int64")]
    pub cashback_vesting_threshold: i64,
    pub count_non_member_votes: bool,
    pub allow_non_member_whitelists: bool,
    #[serde(with = "crate::json::int64")]
    pub witness_pay_per_block: i64,
    #[serde(with = "crate::json::int64")]
    pub worker_budget_per_day: i64,
    #[serde(with = "crate::json::lenient")]
    pub max_predicate_opcode: u16,
    /// Unused by the chain logic (kept for compatibility).
    #[serde(with = "crate::json::int64")]
    pub fee_liquidation_threshold: i64,
    #[serde(with = "crate::json::lenient")]
    pub accounts_per_fee_scale: u16,
    #[serde(with = "crate::json::lenient")]
    pub account_fee_scale_bitshifts: u8,
    #[serde(with = "crate::json::lenient")]
    pub max_authority_depth: u8,
    pub extensions: ChainParametersExt,
}
crate::impl_pack!(ChainParameters {
    current_fees,
    block_interval,
    maintenance_interval,
    maintenance_skip_slots,
    committee_proposal_review_period,
    maximum_transaction_size,
    maximum_block_size,
    maximum_time_until_expiration,
    maximum_proposal_lifetime,
    maximum_asset_whitelist_authorities,
    maximum_asset_feed_publishers,
    maximum_witness_count,
    maximum_committee_count,
    maximum_authority_membership,
    reserve_percent_of_fee,
    network_percent_of_fee,
    lifetime_referrer_percent_of_fee,
    cashback_vesting_period_seconds,
    cashback_vesting_threshold,
    count_non_member_votes,
    allow_non_member_whitelists,
    witness_pay_per_block,
    worker_budget_per_day,
    max_predicate_opcode,
    fee_liquidation_threshold,
    accounts_per_fee_scale,
    account_fee_scale_bitshifts,
    max_authority_depth,
    extensions,
});

impl Default for ChainParameters {
    /// The `config.hpp` defaults and, as the C++ constructor (chain_parameters.cpp:7-9), an
    /// empty fee schedule: a genesis or parameter JSON without `current_fees` starts the chain
    /// with no fee entries, as on bitshares-core. An empty schedule charges every operation its
    /// `fee_params_t` defaults through the lookup fallback ([`FeeSchedule::params_for`]);
    /// [`FeeSchedule::default_schedule`] is the explicit full list.
    fn default() -> Self {
        ChainParameters {
            current_fees: FeeSchedule::default(),
            block_interval: DEFAULT_BLOCK_INTERVAL,
            maintenance_interval: DEFAULT_MAINTENANCE_INTERVAL,
            maintenance_skip_slots: DEFAULT_MAINTENANCE_SKIP_SLOTS,
            committee_proposal_review_period: DEFAULT_COMMITTEE_PROPOSAL_REVIEW_PERIOD_SEC,
            maximum_transaction_size: DEFAULT_MAX_TRANSACTION_SIZE,
            maximum_block_size: DEFAULT_MAX_BLOCK_SIZE,
            maximum_time_until_expiration: DEFAULT_MAX_TIME_UNTIL_EXPIRATION,
            maximum_proposal_lifetime: DEFAULT_MAX_PROPOSAL_LIFETIME_SEC,
            maximum_asset_whitelist_authorities: DEFAULT_MAX_ASSET_WHITELIST_AUTHORITIES,
            maximum_asset_feed_publishers: DEFAULT_MAX_ASSET_FEED_PUBLISHERS,
            maximum_witness_count: DEFAULT_MAX_WITNESSES,
            maximum_committee_count: DEFAULT_MAX_COMMITTEE,
            maximum_authority_membership: DEFAULT_MAX_AUTHORITY_MEMBERSHIP,
            reserve_percent_of_fee: DEFAULT_BURN_PERCENT_OF_FEE,
            network_percent_of_fee: DEFAULT_NETWORK_PERCENT_OF_FEE,
            lifetime_referrer_percent_of_fee: DEFAULT_LIFETIME_REFERRER_PERCENT_OF_FEE,
            cashback_vesting_period_seconds: DEFAULT_CASHBACK_VESTING_PERIOD_SEC,
            cashback_vesting_threshold: DEFAULT_CASHBACK_VESTING_THRESHOLD,
            count_non_member_votes: true,
            allow_non_member_whitelists: false,
            witness_pay_per_block: DEFAULT_WITNESS_PAY_PER_BLOCK,
            worker_budget_per_day: DEFAULT_WORKER_BUDGET_PER_DAY,
            max_predicate_opcode: DEFAULT_MAX_ASSERT_OPCODE,
            fee_liquidation_threshold: DEFAULT_FEE_LIQUIDATION_THRESHOLD,
            accounts_per_fee_scale: DEFAULT_ACCOUNTS_PER_FEE_SCALE,
            account_fee_scale_bitshifts: DEFAULT_ACCOUNT_FEE_SCALE_BITSHIFTS,
            max_authority_depth: MAX_SIG_CHECK_DEPTH,
            extensions: ChainParametersExt::default(),
        }
    }
}

/// Why a set of chain parameters is invalid (`chain_parameters::validate`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainParamsError {
    #[error("{field} is {value}, more than 100 % (10000)")]
    PercentAbove100 { field: &'static str, value: u16 },
    #[error("network_percent_of_fee {network} + lifetime_referrer_percent_of_fee {lifetime} exceeds 100 % (10000)")]
    FeeSplitAbove100 { network: u16, lifetime: u16 },
    #[error("block_interval {value} s is outside {MIN_BLOCK_INTERVAL}..={MAX_BLOCK_INTERVAL} s")]
    BlockIntervalOutOfRange { value: u8 },
    #[error("maintenance_interval {maintenance} s must be longer than block_interval {block} s")]
    MaintenanceNotLongerThanBlock { maintenance: u32, block: u8 },
    #[error("maintenance_interval {maintenance} s must be a multiple of block_interval {block} s")]
    MaintenanceNotMultipleOfBlock { maintenance: u32, block: u8 },
    #[error("maximum_transaction_size {value} is below the minimum {MIN_TRANSACTION_SIZE_LIMIT} bytes")]
    TransactionSizeTooLow { value: u32 },
    #[error("maximum_block_size {value} is below the minimum {MIN_BLOCK_SIZE_LIMIT} bytes")]
    BlockSizeTooLow { value: u32 },
    #[error("maximum_time_until_expiration {value} s must be greater than block_interval {block} s")]
    ExpirationNotLongerThanBlock { value: u32, block: u8 },
    #[error(
        "committee_proposal_review_period {review} s must be less than maximum_proposal_lifetime {lifetime} s \
         by more than block_interval {block} s"
    )]
    ReviewPeriodTooLong { review: u32, lifetime: u32, block: u8 },
    #[error("market_fee_network_percent {value} exceeds the maximum {MAX_MARKET_FEE_NETWORK_PERCENT}")]
    MarketFeeNetworkPercentTooHigh { value: u16 },
    #[error("maker_fee_discount_percent {value} exceeds 100 % (10000)")]
    MakerFeeDiscountAbove100 { value: u16 },
}

impl ChainParameters {
    /// Vesting period of witness pay (not serialized, not changeable; see the module doc).
    pub const fn witness_pay_vesting_seconds(&self) -> u32 {
        DEFAULT_WITNESS_PAY_VESTING_SECONDS
    }

    /// `market_fee_network_percent`, 0 when unset.
    pub fn market_fee_network_percent(&self) -> u16 {
        self.extensions.market_fee_network_percent.unwrap_or(0)
    }

    /// `maker_fee_discount_percent`, 0 when unset.
    pub fn maker_fee_discount_percent(&self) -> u16 {
        self.extensions.maker_fee_discount_percent.unwrap_or(0)
    }

    /// `chain_parameters::validate`, checks in the C++ order; the first failure is returned.
    pub fn validate(&self) -> Result<(), ChainParamsError> {
        use ChainParamsError as E;
        for (field, value) in [
            ("reserve_percent_of_fee", self.reserve_percent_of_fee),
            ("network_percent_of_fee", self.network_percent_of_fee),
            ("lifetime_referrer_percent_of_fee", self.lifetime_referrer_percent_of_fee),
        ] {
            if value > PERCENT_100 {
                return Err(E::PercentAbove100 { field, value });
            }
        }
        let (network, lifetime) = (self.network_percent_of_fee, self.lifetime_referrer_percent_of_fee);
        if u32::from(network) + u32::from(lifetime) > u32::from(PERCENT_100) {
            return Err(E::FeeSplitAbove100 { network, lifetime });
        }
        let block = self.block_interval;
        if !(MIN_BLOCK_INTERVAL..=MAX_BLOCK_INTERVAL).contains(&block) {
            return Err(E::BlockIntervalOutOfRange { value: block });
        }
        let maintenance = self.maintenance_interval;
        if maintenance <= u32::from(block) {
            return Err(E::MaintenanceNotLongerThanBlock { maintenance, block });
        }
        if !maintenance.is_multiple_of(u32::from(block)) {
            return Err(E::MaintenanceNotMultipleOfBlock { maintenance, block });
        }
        if self.maximum_transaction_size < MIN_TRANSACTION_SIZE_LIMIT {
            return Err(E::TransactionSizeTooLow { value: self.maximum_transaction_size });
        }
        if self.maximum_block_size < MIN_BLOCK_SIZE_LIMIT {
            return Err(E::BlockSizeTooLow { value: self.maximum_block_size });
        }
        if self.maximum_time_until_expiration <= u32::from(block) {
            return Err(E::ExpirationNotLongerThanBlock { value: self.maximum_time_until_expiration, block });
        }
        // The C++ subtracts two uint32_t: a review period longer than the lifetime wraps around
        // and passes. Consensus must accept exactly what C++ nodes accept, so the wrap is kept.
        let (lifetime, review) = (self.maximum_proposal_lifetime, self.committee_proposal_review_period);
        if lifetime.wrapping_sub(review) <= u32::from(block) {
            return Err(E::ReviewPeriodTooLong { review, lifetime, block });
        }
        if let Some(value) = self.extensions.market_fee_network_percent {
            if value > MAX_MARKET_FEE_NETWORK_PERCENT {
                return Err(E::MarketFeeNetworkPercentTooHigh { value });
            }
        }
        if let Some(value) = self.extensions.maker_fee_discount_percent {
            if value > PERCENT_100 {
                return Err(E::MakerFeeDiscountAbove100 { value });
            }
        }
        Ok(())
    }
}

/// `immutable_chain_parameters`: fixed at genesis, never changed.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ImmutableChainParameters {
    #[serde(with = "crate::json::lenient")]
    pub min_committee_member_count: u16,
    #[serde(with = "crate::json::lenient")]
    pub min_witness_count: u16,
    #[serde(with = "crate::json::lenient")]
    pub num_special_accounts: u32,
    #[serde(with = "crate::json::lenient")]
    pub num_special_assets: u32,
}
crate::impl_pack!(ImmutableChainParameters {
    min_committee_member_count,
    min_witness_count,
    num_special_accounts,
    num_special_assets
});

impl Default for ImmutableChainParameters {
    fn default() -> Self {
        ImmutableChainParameters {
            min_committee_member_count: DEFAULT_MIN_COMMITTEE_MEMBER_COUNT,
            min_witness_count: DEFAULT_MIN_WITNESS_COUNT,
            num_special_accounts: 0,
            num_special_assets: 0,
        }
    }
}

#[cfg(test)]
mod tests;
