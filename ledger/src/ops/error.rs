//! Why an operation or transaction failed stateless validation.
//!
//! Each variant carries the values that failed and has a stable [`ValidateError::code`] for APIs
//! and tests; the `Display` text is the sentence shown to a user.

use crate::ids::{AccountId, AssetId};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidateError {
    #[error("fee amount {amount} is negative")]
    NegativeFee { amount: i64 },
    #[error("fee must be paid in the core asset 1.3.0, not {asset}")]
    FeeNotCore { asset: AssetId },
    #[error("fee must be exactly 0 of 1.3.0, got {amount} of {asset}")]
    FeeMustBeZero { amount: i64, asset: AssetId },
    #[error("{name} is a virtual operation and can never appear in a transaction")]
    VirtualOperation { name: &'static str },
    #[error("{field} must be positive, got {amount}")]
    NonPositiveAmount { field: &'static str, amount: i64 },
    #[error("{field} must not be negative, got {amount}")]
    NegativeAmount { field: &'static str, amount: i64 },
    #[error("{field} must not be zero")]
    ZeroAmount { field: &'static str },
    #[error("{field} {value} exceeds the maximum {max}")]
    TooLarge { field: &'static str, value: i64, max: i64 },
    #[error("{field} {value} is below the minimum {min}")]
    TooSmall { field: &'static str, value: i64, min: i64 },
    #[error("{field}: both sides are account {account}")]
    SameAccount { field: &'static str, account: AccountId },
    #[error("{field}: both sides are asset {asset}")]
    SameAsset { field: &'static str, asset: AssetId },
    #[error("'{name}' is not a valid account name")]
    InvalidAccountName { name: String },
    #[error("'{symbol}' is not a valid asset symbol")]
    InvalidSymbol { symbol: String },
    #[error("precision {precision} exceeds 12")]
    PrecisionTooHigh { precision: u8 },
    #[error("{field} is not a valid price: both amounts must be positive and the assets different")]
    InvalidPrice { field: &'static str },
    #[error("core exchange rate {base}/{quote} must be between 1.3.0 and {expected}")]
    InvalidCoreExchangeRate { base: AssetId, quote: AssetId, expected: AssetId },
    #[error("core exchange rate {base}/{quote} converts one unit beyond the maximum supply 10^15")]
    CoreExchangeRateOverflow { base: i64, quote: i64 },
    #[error("{which} authority has no entries")]
    EmptyAuthority { which: &'static str },
    #[error("{which} authority may not contain addresses")]
    AuthorityHasAddresses { which: &'static str },
    #[error("{which} authority can never be satisfied: threshold {threshold} exceeds the total weight")]
    ImpossibleAuthority { which: &'static str, threshold: u32 },
    #[error("{field} 0x{bits:04x} sets bits that are not allowed there")]
    InvalidFlags { field: &'static str, bits: u16 },
    #[error("{field} value {value} is out of range")]
    OutOfRange { field: &'static str, value: u64 },
    #[error("{rule}")]
    Rule { code: &'static str, rule: String },
    #[error("a transaction must contain at least one operation")]
    EmptyTransaction,
    #[error("operation {index}: {source}")]
    InOperation { index: usize, source: Box<ValidateError> },
}

impl ValidateError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        use ValidateError::*;
        match self {
            NegativeFee { .. } => "negative_fee",
            FeeNotCore { .. } => "fee_not_core",
            FeeMustBeZero { .. } => "fee_must_be_zero",
            VirtualOperation { .. } => "virtual_operation",
            NonPositiveAmount { .. } => "non_positive_amount",
            NegativeAmount { .. } => "negative_amount",
            ZeroAmount { .. } => "zero_amount",
            TooLarge { .. } => "too_large",
            TooSmall { .. } => "too_small",
            SameAccount { .. } => "same_account",
            SameAsset { .. } => "same_asset",
            InvalidAccountName { .. } => "invalid_account_name",
            InvalidSymbol { .. } => "invalid_symbol",
            PrecisionTooHigh { .. } => "precision_too_high",
            InvalidPrice { .. } => "invalid_price",
            InvalidCoreExchangeRate { .. } => "invalid_core_exchange_rate",
            CoreExchangeRateOverflow { .. } => "core_exchange_rate_overflow",
            EmptyAuthority { .. } => "empty_authority",
            AuthorityHasAddresses { .. } => "authority_has_addresses",
            ImpossibleAuthority { .. } => "impossible_authority",
            InvalidFlags { .. } => "invalid_flags",
            OutOfRange { .. } => "out_of_range",
            Rule { code, .. } => code,
            EmptyTransaction => "empty_transaction",
            InOperation { source, .. } => source.code(),
        }
    }

    /// A rule violation without a dedicated variant.
    pub fn rule(code: &'static str, rule: impl Into<String>) -> Self {
        ValidateError::Rule { code, rule: rule.into() }
    }
}
