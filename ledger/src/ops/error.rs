//! Why an operation or transaction failed stateless validation.
//!
//! Each variant carries the values that failed and has a stable [`ValidateError::code`] for APIs
//! and tests; the `Display` text is the sentence shown to a user.

use crate::ids::{AccountId, AssetId};
use std::borrow::Cow;

/// Characters of an input string shown in a message.
pub const SHOWN_CHARS_MAX: usize = 64;

/// `text` as echoed in a message: whole when short, else its first [`SHOWN_CHARS_MAX`]
/// characters and how long it was. An invalid name may be megabytes long, and a message that
/// repeats it whole is unreadable (and a cheap way to amplify output).
pub fn shown(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(SHOWN_CHARS_MAX) {
        None => Cow::Borrowed(text),
        Some((at, _)) => Cow::Owned(format!("{}... ({} bytes in all)", &text[..at], text.len())),
    }
}

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
    #[error("'{}' is not a valid account name", shown(name))]
    InvalidAccountName { name: String },
    #[error("'{}' is not a valid asset symbol", shown(symbol))]
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

#[cfg(test)]
mod shown_tests {
    use super::*;

    #[test]
    fn a_5_mb_account_name_is_cut_in_the_message() {
        let name = "a".repeat(5 << 20);
        let message = ValidateError::InvalidAccountName { name }.to_string();
        assert!(message.len() < 200, "{} bytes", message.len());
        assert!(message.contains("... (5242880 bytes in all)"), "{message}");
        assert_eq!(shown("nathan"), "nathan");
        // Cut on a character boundary.
        assert!(shown(&"é".repeat(100)).starts_with(&"é".repeat(SHOWN_CHARS_MAX)));
    }
}
