//! Assets: create (10), update (11, 12, 13, 48), issue (14), reserve (15), fee pools (16, 47),
//! settlement (17, 18, 42), feeds (19), claiming fees (43), with `asset_options`,
//! `bitasset_options` and `price_feed` (`asset_ops.hpp`, `asset_ops.cpp`, `asset.hpp`).

use super::validate::*;
use super::{MemoData, OperationBody, ValidateError};
use crate::asset::{Asset, Price, MAX_SHARE_SUPPLY};
use crate::ext::Extensions;
use crate::ids::{AccountId, AssetId, ForceSettlementId, CORE_ASSET};
use std::collections::BTreeSet;

/// Asset flag and permission bits (`types.hpp` `asset_issuer_permission_flags`).
pub mod flags {
    pub const CHARGE_MARKET_FEE: u16 = 0x01;
    pub const WHITE_LIST: u16 = 0x02;
    pub const OVERRIDE_AUTHORITY: u16 = 0x04;
    pub const TRANSFER_RESTRICTED: u16 = 0x08;
    pub const DISABLE_FORCE_SETTLE: u16 = 0x10;
    pub const GLOBAL_SETTLE: u16 = 0x20;
    pub const DISABLE_CONFIDENTIAL: u16 = 0x40;
    pub const WITNESS_FED_ASSET: u16 = 0x80;
    pub const COMMITTEE_FED_ASSET: u16 = 0x100;
    pub const LOCK_MAX_SUPPLY: u16 = 0x200;
    pub const DISABLE_NEW_SUPPLY: u16 = 0x400;
    pub const DISABLE_MCR_UPDATE: u16 = 0x800;
    pub const DISABLE_ICR_UPDATE: u16 = 0x1000;
    pub const DISABLE_MSSR_UPDATE: u16 = 0x2000;
    pub const DISABLE_BSRM_UPDATE: u16 = 0x4000;
    pub const DISABLE_COLLATERAL_BIDDING: u16 = 0x8000;
    /// Every known bit.
    pub const ASSET_ISSUER_PERMISSION_MASK: u16 = 0xFFFF;
    /// Bits meaningful for user-issued assets.
    pub const UIA_ASSET_ISSUER_PERMISSION_MASK: u16 = CHARGE_MARKET_FEE
        | WHITE_LIST
        | OVERRIDE_AUTHORITY
        | TRANSFER_RESTRICTED
        | DISABLE_CONFIDENTIAL
        | LOCK_MAX_SUPPLY
        | DISABLE_NEW_SUPPLY;
    /// The C++ default `issuer_permissions` of a new UIA.
    pub const DEFAULT_UIA_ASSET_ISSUER_PERMISSION: u16 =
        CHARGE_MARKET_FEE | WHITE_LIST | OVERRIDE_AUTHORITY | TRANSFER_RESTRICTED | DISABLE_CONFIDENTIAL;
    /// Bits that exist only for market-issued assets.
    pub const NON_UIA_ONLY_ISSUER_PERMISSION_MASK: u16 =
        ASSET_ISSUER_PERMISSION_MASK ^ UIA_ASSET_ISSUER_PERMISSION_MASK;
    /// Permission bits that grant a power when set (`ASSET_ISSUER_PERMISSION_ENABLE_BITS_MASK`).
    pub const ENABLE_BITS_MASK: u16 = CHARGE_MARKET_FEE
        | WHITE_LIST
        | OVERRIDE_AUTHORITY
        | TRANSFER_RESTRICTED
        | DISABLE_FORCE_SETTLE
        | GLOBAL_SETTLE
        | DISABLE_CONFIDENTIAL
        | WITNESS_FED_ASSET
        | COMMITTEE_FED_ASSET
        | DISABLE_COLLATERAL_BIDDING;
    /// Permission bits that take a power away when set (`..._DISABLE_BITS_MASK`).
    pub const DISABLE_BITS_MASK: u16 = LOCK_MAX_SUPPLY
        | DISABLE_NEW_SUPPLY
        | DISABLE_MCR_UPDATE
        | DISABLE_ICR_UPDATE
        | DISABLE_MSSR_UPDATE
        | DISABLE_BSRM_UPDATE;
    /// Bits a market-issued asset may carry as flags (`VALID_FLAGS_MASK`).
    pub const VALID_FLAGS_MASK: u16 = ASSET_ISSUER_PERMISSION_MASK & !PERMISSION_ONLY;
    /// Permission-only bits that may never be set as flags.
    pub const PERMISSION_ONLY: u16 =
        GLOBAL_SETTLE | DISABLE_MCR_UPDATE | DISABLE_ICR_UPDATE | DISABLE_MSSR_UPDATE | DISABLE_BSRM_UPDATE;
}

/// Number of black swan response methods (`bitasset_options::black_swan_response_type`).
pub const BSRM_TYPE_COUNT: u8 = 4;

ext_struct! {
    /// `asset_options::ext`.
    pub struct AssetOptionsExt {
        0 => reward_percent: u16,
        1 => whitelist_market_fee_sharing: BTreeSet<AccountId>,
        2 => taker_fee_percent: u16,
    }
}

protocol_struct! {
    /// `asset_options`.
    pub struct AssetOptions {
        #[serde(with = "crate::json::int64")]
        max_supply: i64 = MAX_SHARE_SUPPLY,
        #[serde(with = "crate::json::lenient")]
        market_fee_percent: u16,
        #[serde(with = "crate::json::int64")]
        max_market_fee: i64 = MAX_SHARE_SUPPLY,
        #[serde(with = "crate::json::lenient")]
        issuer_permissions: u16 = flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION,
        #[serde(with = "crate::json::lenient")]
        flags: u16,
        core_exchange_rate: Price = Price::new(Asset::core(0), Asset::new(0, AssetId(1))),
        whitelist_authorities: BTreeSet<AccountId>,
        blacklist_authorities: BTreeSet<AccountId>,
        whitelist_markets: BTreeSet<AssetId>,
        blacklist_markets: BTreeSet<AssetId>,
        description: String,
        extensions: AssetOptionsExt,
    }
}

impl AssetOptions {
    /// `asset_options::validate` plus the flag rules of `validate_flags`.
    pub fn validate(&self, is_market_issued: bool) -> Result<(), ValidateError> {
        supply_amount("max_supply", self.max_supply)?;
        percent("market_fee_percent", self.market_fee_percent)?;
        non_negative("max_market_fee", self.max_market_fee)?;
        at_most("max_market_fee", self.max_market_fee, MAX_SHARE_SUPPLY)?;
        if self.flags & flags::PERMISSION_ONLY != 0 {
            return Err(ValidateError::InvalidFlags { field: "flags", bits: self.flags & flags::PERMISSION_ONLY });
        }
        let fed = flags::WITNESS_FED_ASSET | flags::COMMITTEE_FED_ASSET;
        if self.flags & fed == fed {
            return Err(ValidateError::InvalidFlags { field: "flags", bits: fed });
        }
        if !is_market_issued && self.flags & !flags::UIA_ASSET_ISSUER_PERMISSION_MASK != 0 {
            return Err(ValidateError::InvalidFlags {
                field: "flags",
                bits: self.flags & !flags::UIA_ASSET_ISSUER_PERMISSION_MASK,
            });
        }
        valid_price("core_exchange_rate", &self.core_exchange_rate)?;
        let cer = &self.core_exchange_rate;
        if cer.base.asset_id != CORE_ASSET && cer.quote.asset_id != CORE_ASSET {
            return Err(ValidateError::InvalidCoreExchangeRate {
                base: cer.base.asset_id,
                quote: cer.quote.asset_id,
                expected: CORE_ASSET,
            });
        }
        if (!self.whitelist_authorities.is_empty() || !self.blacklist_authorities.is_empty())
            && self.flags & flags::WHITE_LIST == 0
        {
            return Err(ValidateError::rule(
                "whitelist_flag_missing",
                "white/blacklist authorities need the white_list flag",
            ));
        }
        if let Some(m) = self.whitelist_markets.intersection(&self.blacklist_markets).next() {
            return Err(ValidateError::rule(
                "market_white_and_black_listed",
                format!("market {m} is both white- and blacklisted"),
            ));
        }
        if let Some(p) = self.extensions.reward_percent {
            percent("reward_percent", p)?;
        }
        if let Some(p) = self.extensions.taker_fee_percent {
            percent("taker_fee_percent", p)?;
        }
        Ok(())
    }
}

ext_struct! {
    /// `bitasset_options::ext`.
    pub struct BitassetOptionsExt {
        0 => initial_collateral_ratio: u16,
        1 => maintenance_collateral_ratio: u16,
        2 => maximum_short_squeeze_ratio: u16,
        3 => margin_call_fee_ratio: u16,
        4 => force_settle_fee_percent: u16,
        5 => black_swan_response_method: u8,
    }
}

protocol_struct! {
    /// `bitasset_options`.
    pub struct BitassetOptions {
        #[serde(with = "crate::json::lenient")]
        feed_lifetime_sec: u32 = 86_400,
        #[serde(with = "crate::json::lenient")]
        minimum_feeds: u8 = 1,
        #[serde(with = "crate::json::lenient")]
        force_settlement_delay_sec: u32 = 86_400,
        #[serde(with = "crate::json::lenient")]
        force_settlement_offset_percent: u16,
        #[serde(with = "crate::json::lenient")]
        maximum_force_settlement_volume: u16 = 2000,
        short_backing_asset: AssetId,
        extensions: BitassetOptionsExt,
    }
}

impl BitassetOptions {
    /// `bitasset_options::validate`.
    pub fn validate(&self) -> Result<(), ValidateError> {
        positive("minimum_feeds", i64::from(self.minimum_feeds))?;
        percent("force_settlement_offset_percent", self.force_settlement_offset_percent)?;
        percent("maximum_force_settlement_volume", self.maximum_force_settlement_volume)?;
        let e = &self.extensions;
        if let Some(v) = e.initial_collateral_ratio {
            collateral_ratio("initial_collateral_ratio", v)?;
        }
        if let Some(v) = e.maintenance_collateral_ratio {
            collateral_ratio("maintenance_collateral_ratio", v)?;
        }
        if let Some(v) = e.maximum_short_squeeze_ratio {
            collateral_ratio("maximum_short_squeeze_ratio", v)?;
        }
        if let Some(v) = e.margin_call_fee_ratio {
            at_most("margin_call_fee_ratio", i64::from(v), i64::from(MAX_COLLATERAL_RATIO))?;
        }
        if let Some(v) = e.force_settle_fee_percent {
            percent("force_settle_fee_percent", v)?;
        }
        if let Some(v) = e.black_swan_response_method {
            if v >= BSRM_TYPE_COUNT {
                return Err(ValidateError::OutOfRange { field: "black_swan_response_method", value: u64::from(v) });
            }
        }
        Ok(())
    }
}

protocol_struct! {
    /// `price_feed` (note: the core exchange rate is serialized last).
    pub struct PriceFeed {
        settlement_price: Price,
        #[serde(with = "crate::json::lenient")]
        maintenance_collateral_ratio: u16 = 1750,
        #[serde(with = "crate::json::lenient")]
        maximum_short_squeeze_ratio: u16 = 1500,
        core_exchange_rate: Price,
    }
}

impl PriceFeed {
    /// `price_feed::validate`.
    pub fn validate(&self) -> Result<(), ValidateError> {
        if !self.settlement_price.is_null() {
            valid_price("settlement_price", &self.settlement_price)?;
        }
        collateral_ratio("maximum_short_squeeze_ratio", self.maximum_short_squeeze_ratio)?;
        collateral_ratio("maintenance_collateral_ratio", self.maintenance_collateral_ratio)
    }
}

protocol_struct! {
    /// 10 `asset_create_operation`.
    pub struct AssetCreateOp {
        fee: Asset,
        issuer: AccountId,
        symbol: String,
        #[serde(with = "crate::json::lenient")]
        precision: u8,
        common_options: AssetOptions,
        #[serde(skip_serializing_if = "Option::is_none")]
        bitasset_opts: Option<BitassetOptions>,
        is_prediction_market: bool,
        extensions: Extensions,
    }
}

impl OperationBody for AssetCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if !is_valid_symbol(&self.symbol) {
            return Err(ValidateError::InvalidSymbol { symbol: self.symbol.clone() });
        }
        self.common_options.validate(self.bitasset_opts.is_some())?;
        // Every permission bit that only market-issued assets know, except witness_fed and
        // committee_fed, which core leaves unchecked here until a hardfork (asset_ops.cpp:114-118).
        let mpa_only =
            flags::NON_UIA_ONLY_ISSUER_PERMISSION_MASK & !(flags::WITNESS_FED_ASSET | flags::COMMITTEE_FED_ASSET);
        if self.common_options.issuer_permissions & mpa_only != 0 && self.bitasset_opts.is_none() {
            return Err(ValidateError::InvalidFlags {
                field: "issuer_permissions",
                bits: self.common_options.issuer_permissions & mpa_only,
            });
        }
        if self.is_prediction_market {
            if self.bitasset_opts.is_none() {
                return Err(ValidateError::rule(
                    "prediction_market_not_bitasset",
                    "a user-issued asset cannot be a prediction market",
                ));
            }
            if self.common_options.issuer_permissions & flags::GLOBAL_SETTLE == 0 {
                return Err(ValidateError::rule(
                    "prediction_market_needs_global_settle",
                    "a prediction market needs the global_settle permission",
                ));
            }
            // asset_ops.cpp:123-125: a prediction market settles at its resolution price, never by
            // a black swan response, so neither the method nor the lock on changing it may be set.
            if self.common_options.issuer_permissions & flags::DISABLE_BSRM_UPDATE != 0 {
                return Err(ValidateError::InvalidFlags {
                    field: "issuer_permissions",
                    bits: flags::DISABLE_BSRM_UPDATE,
                });
            }
            if let Some(m) = self.bitasset_opts.as_ref().and_then(|b| b.extensions.black_swan_response_method) {
                return Err(ValidateError::rule(
                    "prediction_market_bsrm",
                    format!("a prediction market cannot set black_swan_response_method (got {m})"),
                ));
            }
        }
        if let Some(b) = &self.bitasset_opts {
            b.validate()?;
        }
        // The rate must price the new asset (placeholder 1.3.1) against core, and one core unit
        // must convert within the maximum supply (`asset(1) * core_exchange_rate`,
        // asset_ops.cpp:129-130, asset.cpp:58-74).
        let cer = &self.common_options.core_exchange_rate;
        cer_converts_one(cer, CORE_ASSET)?;
        let other = if cer.base.asset_id == CORE_ASSET { cer.quote.asset_id } else { cer.base.asset_id };
        if other != AssetId(1) {
            return Err(ValidateError::InvalidCoreExchangeRate {
                base: cer.base.asset_id,
                quote: cer.quote.asset_id,
                expected: AssetId(1),
            });
        }
        if self.precision > PRECISION_MAX {
            return Err(ValidateError::PrecisionTooHigh { precision: self.precision });
        }
        Ok(())
    }
}

ext_struct! {
    /// `asset_update_operation::ext`.
    pub struct AssetUpdateExt {
        0 => new_precision: u8,
        1 => skip_core_exchange_rate: bool,
    }
}

protocol_struct! {
    /// 11 `asset_update_operation`.
    pub struct AssetUpdateOp {
        fee: Asset,
        issuer: AccountId,
        asset_to_update: AssetId,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_issuer: Option<AccountId>,
        new_options: AssetOptions,
        extensions: AssetUpdateExt,
    }
}

impl OperationBody for AssetUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if let Some(n) = self.new_issuer {
            different_accounts("issuer/new_issuer", self.issuer, n)?;
        }
        // Whether the asset is market-issued is state; the MPA-only flag check is the engine's.
        self.new_options.validate(true)?;
        let cer = &self.new_options.core_exchange_rate;
        // `asset(1, asset_to_update) * core_exchange_rate` must not overflow (asset_ops.cpp:141-142).
        cer_converts_one(cer, self.asset_to_update)?;
        let ok = (cer.base.asset_id == self.asset_to_update && cer.quote.asset_id == CORE_ASSET)
            || (cer.quote.asset_id == self.asset_to_update && cer.base.asset_id == CORE_ASSET);
        if !ok {
            return Err(ValidateError::InvalidCoreExchangeRate {
                base: cer.base.asset_id,
                quote: cer.quote.asset_id,
                expected: self.asset_to_update,
            });
        }
        if let Some(p) = self.extensions.new_precision {
            if p > PRECISION_MAX {
                return Err(ValidateError::PrecisionTooHigh { precision: p });
            }
        }
        // asset_ops.cpp:147-151: the flag exists only to say "keep the rate"; `false` is refused.
        if self.extensions.skip_core_exchange_rate == Some(false) {
            return Err(ValidateError::rule(
                "skip_core_exchange_rate_false",
                "skip_core_exchange_rate, when present, must be true",
            ));
        }
        Ok(())
    }
}

/// `asset(1, from) * cer` (asset.cpp:58-74): one unit of `from` converted through the rate must
/// stay within the maximum share supply. A rate that names neither side is left to the caller's
/// own check of the rate's assets.
fn cer_converts_one(cer: &Price, from: AssetId) -> Result<(), ValidateError> {
    if cer.base.asset_id != from && cer.quote.asset_id != from {
        return Ok(());
    }
    match cer.mul_floor(Asset::new(1, from)) {
        Err(crate::asset::PriceError::Overflow { .. }) => {
            Err(ValidateError::CoreExchangeRateOverflow { base: cer.base.amount, quote: cer.quote.amount })
        }
        // Zero or negative sides were refused by `valid_price` before this is called.
        _ => Ok(()),
    }
}

protocol_struct! {
    /// 12 `asset_update_bitasset_operation`.
    pub struct AssetUpdateBitassetOp {
        fee: Asset,
        issuer: AccountId,
        asset_to_update: AssetId,
        new_options: BitassetOptions,
        extensions: Extensions,
    }
}

impl OperationBody for AssetUpdateBitassetOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        self.new_options.validate()
    }
}

protocol_struct! {
    /// 13 `asset_update_feed_producers_operation`.
    pub struct AssetUpdateFeedProducersOp {
        fee: Asset,
        issuer: AccountId,
        asset_to_update: AssetId,
        new_feed_producers: BTreeSet<AccountId>,
        extensions: Extensions,
    }
}
super::simple_body!(AssetUpdateFeedProducersOp => issuer);

protocol_struct! {
    /// 14 `asset_issue_operation`.
    pub struct AssetIssueOp {
        fee: Asset,
        issuer: AccountId,
        asset_to_issue: Asset,
        issue_to_account: AccountId,
        #[serde(skip_serializing_if = "Option::is_none")]
        memo: Option<MemoData>,
        extensions: Extensions,
    }
}

impl OperationBody for AssetIssueOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        supply_amount("asset_to_issue", self.asset_to_issue.amount)?;
        if self.asset_to_issue.asset_id == CORE_ASSET {
            return Err(ValidateError::rule("issue_core_asset", "the core asset 1.3.0 can not be issued"));
        }
        Ok(())
    }
}

protocol_struct! {
    /// 15 `asset_reserve_operation`.
    pub struct AssetReserveOp {
        fee: Asset,
        payer: AccountId,
        amount_to_reserve: Asset,
        extensions: Extensions,
    }
}

impl OperationBody for AssetReserveOp {
    fn fee_payer(&self) -> AccountId {
        self.payer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        supply_amount("amount_to_reserve", self.amount_to_reserve.amount)
    }
}

protocol_struct! {
    /// 16 `asset_fund_fee_pool_operation` (`amount` is core).
    pub struct AssetFundFeePoolOp {
        fee: Asset,
        from_account: AccountId,
        asset_id: AssetId,
        #[serde(with = "crate::json::int64")]
        amount: i64,
        extensions: Extensions,
    }
}

impl OperationBody for AssetFundFeePoolOp {
    fn fee_payer(&self) -> AccountId {
        self.from_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.fee.asset_id != CORE_ASSET {
            return Err(ValidateError::FeeNotCore { asset: self.fee.asset_id });
        }
        positive("amount", self.amount)
    }
}

protocol_struct! {
    /// 17 `asset_settle_operation`.
    pub struct AssetSettleOp {
        fee: Asset,
        account: AccountId,
        amount: Asset,
        extensions: Extensions,
    }
}

impl OperationBody for AssetSettleOp {
    fn fee_payer(&self) -> AccountId {
        self.account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        non_negative("amount", self.amount.amount)
    }
}

protocol_struct! {
    /// 18 `asset_global_settle_operation`.
    pub struct AssetGlobalSettleOp {
        fee: Asset,
        issuer: AccountId,
        asset_to_settle: AssetId,
        settle_price: Price,
        extensions: Extensions,
    }
}

impl OperationBody for AssetGlobalSettleOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.settle_price.base.asset_id != self.asset_to_settle {
            return Err(ValidateError::rule(
                "settle_price_wrong_asset",
                format!(
                    "settle_price base {} is not the settled asset {}",
                    self.settle_price.base.asset_id, self.asset_to_settle
                ),
            ));
        }
        Ok(())
    }
}

ext_struct! {
    /// `asset_publish_feed_operation::ext`.
    pub struct AssetPublishFeedExt {
        0 => initial_collateral_ratio: u16,
    }
}

protocol_struct! {
    /// 19 `asset_publish_feed_operation`.
    pub struct AssetPublishFeedOp {
        fee: Asset,
        publisher: AccountId,
        asset_id: AssetId,
        feed: PriceFeed,
        extensions: AssetPublishFeedExt,
    }
}

impl OperationBody for AssetPublishFeedOp {
    fn fee_payer(&self) -> AccountId {
        self.publisher
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        self.feed.validate()?;
        let (sp, cer) = (&self.feed.settlement_price, &self.feed.core_exchange_rate);
        if !cer.is_null() {
            valid_price("core_exchange_rate", cer)?;
        }
        if sp.is_null() {
            return Err(ValidateError::rule("null_settlement_price", "a feed needs a settlement price"));
        }
        if cer.is_null() {
            return Err(ValidateError::rule("null_core_exchange_rate", "a feed needs a core exchange rate"));
        }
        if sp.base.asset_id != cer.base.asset_id {
            return Err(ValidateError::rule(
                "feed_base_mismatch",
                format!("settlement price base {} differs from CER base {}", sp.base.asset_id, cer.base.asset_id),
            ));
        }
        if sp.base.asset_id != self.asset_id {
            return Err(ValidateError::rule(
                "feed_for_other_asset",
                format!("feed prices {} but was published for {}", sp.base.asset_id, self.asset_id),
            ));
        }
        if let Some(icr) = self.extensions.initial_collateral_ratio {
            collateral_ratio("initial_collateral_ratio", icr)?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 42 `asset_settle_cancel_operation` (virtual).
    pub struct AssetSettleCancelOp {
        fee: Asset,
        settlement: ForceSettlementId,
        account: AccountId,
        amount: Asset,
    }
}
super::simple_body!(AssetSettleCancelOp => account);

ext_struct! {
    /// `asset_claim_fees_operation::additional_options_type`.
    pub struct AssetClaimFeesExt {
        0 => claim_from_asset_id: AssetId,
    }
}

protocol_struct! {
    /// 43 `asset_claim_fees_operation`.
    pub struct AssetClaimFeesOp {
        fee: Asset,
        issuer: AccountId,
        amount_to_claim: Asset,
        extensions: AssetClaimFeesExt,
    }
}

impl OperationBody for AssetClaimFeesOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        positive("amount_to_claim", self.amount_to_claim.amount)?;
        if let Some(from) = self.extensions.claim_from_asset_id {
            different_assets("claim_from_asset_id/amount_to_claim", from, self.amount_to_claim.asset_id)?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 47 `asset_claim_pool_operation`.
    pub struct AssetClaimPoolOp {
        fee: Asset,
        issuer: AccountId,
        asset_id: AssetId,
        amount_to_claim: Asset,
        extensions: Extensions,
    }
}

impl OperationBody for AssetClaimPoolOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_assets("fee/asset_id", self.fee.asset_id, self.asset_id)?;
        positive("amount_to_claim", self.amount_to_claim.amount)?;
        if self.amount_to_claim.asset_id != CORE_ASSET {
            return Err(ValidateError::rule("claim_pool_not_core", "the fee pool holds only the core asset"));
        }
        Ok(())
    }
}

protocol_struct! {
    /// 48 `asset_update_issuer_operation`: needs the issuer's owner authority.
    pub struct AssetUpdateIssuerOp {
        fee: Asset,
        issuer: AccountId,
        asset_to_update: AssetId,
        new_issuer: AccountId,
        extensions: Extensions,
    }
}

impl OperationBody for AssetUpdateIssuerOp {
    fn fee_payer(&self) -> AccountId {
        self.issuer
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_accounts("issuer/new_issuer", self.issuer, self.new_issuer)
    }
    fn required_authorities(
        &self,
        _: &mut BTreeSet<AccountId>,
        owner: &mut BTreeSet<AccountId>,
        _: &mut Vec<crate::authority::Authority>,
    ) {
        owner.insert(self.issuer);
    }
}
