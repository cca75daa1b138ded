//! Shared stateless rules: names, symbols, fees, amounts, authorities, prices
//! (`libraries/protocol/account.cpp`, `asset_ops.cpp`, `asset.cpp`).

use super::ValidateError;
use crate::asset::{Asset, Price, MAX_SHARE_SUPPLY};
use crate::authority::Authority;
use crate::ids::{AccountId, AssetId};

/// Account names are 1–63 characters (`config.hpp:32-33`).
pub const ACCOUNT_NAME_MIN: usize = 1;
pub const ACCOUNT_NAME_MAX: usize = 63;
/// Asset symbols are 3–16 characters (`config.hpp:35-36`).
pub const SYMBOL_MIN: usize = 3;
pub const SYMBOL_MAX: usize = 16;
/// Largest asset precision (decimal places).
pub const PRECISION_MAX: u8 = 12;
/// Collateral ratios are in [1001, 32000] per mille (`config.hpp`).
pub const MIN_COLLATERAL_RATIO: u16 = 1001;
pub const MAX_COLLATERAL_RATIO: u16 = 32000;

/// `is_valid_name` (PROTOCOL.md §7.1): dot-separated labels, each starting with `a-z`, ending with
/// `a-z`/`0-9`, with `a-z 0-9 -` inside; 1–63 characters overall.
pub fn is_valid_account_name(name: &str) -> bool {
    let len = name.len();
    if !(ACCOUNT_NAME_MIN..=ACCOUNT_NAME_MAX).contains(&len) {
        return false;
    }
    name.split('.').all(|label| {
        let b = label.as_bytes();
        let (Some(first), Some(last)) = (b.first(), b.last()) else {
            return false;
        };
        b.len() >= ACCOUNT_NAME_MIN
            && first.is_ascii_lowercase()
            && (last.is_ascii_lowercase() || last.is_ascii_digit())
            && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
    })
}

/// `is_cheap_name`: a name with a digit, `.`, `-` or `/`, or without a vowel (`aeiouy`), does not
/// pay the premium registration fee.
pub fn is_cheap_name(name: &str) -> bool {
    let mut has_vowel = false;
    for c in name.bytes() {
        if c.is_ascii_digit() || c == b'.' || c == b'-' || c == b'/' {
            return true;
        }
        if matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y') {
            has_vowel = true;
        }
    }
    !has_vowel
}

/// `is_valid_symbol` (PROTOCOL.md §5.11): 3–16 of `A-Z 0-9 .`, a letter first, alphanumeric last,
/// at most one dot, not starting with `BIT`.
pub fn is_valid_symbol(symbol: &str) -> bool {
    let b = symbol.as_bytes();
    if !(SYMBOL_MIN..=SYMBOL_MAX).contains(&b.len()) {
        return false;
    }
    if symbol.starts_with("BIT") {
        return false;
    }
    if !b[0].is_ascii_uppercase() {
        return false;
    }
    let last = b[b.len() - 1];
    if !(last.is_ascii_uppercase() || last.is_ascii_digit()) {
        return false;
    }
    let mut dot = false;
    for &c in b {
        if c.is_ascii_uppercase() || c.is_ascii_digit() {
            continue;
        }
        if c == b'.' && !dot {
            dot = true;
            continue;
        }
        return false;
    }
    true
}

pub(crate) fn fee_non_negative(fee: &Asset) -> Result<(), ValidateError> {
    if fee.amount < 0 {
        return Err(ValidateError::NegativeFee { amount: fee.amount });
    }
    Ok(())
}

pub(crate) fn positive(field: &'static str, amount: i64) -> Result<(), ValidateError> {
    if amount <= 0 {
        return Err(ValidateError::NonPositiveAmount { field, amount });
    }
    Ok(())
}

pub(crate) fn non_negative(field: &'static str, amount: i64) -> Result<(), ValidateError> {
    if amount < 0 {
        return Err(ValidateError::NegativeAmount { field, amount });
    }
    Ok(())
}

pub(crate) fn at_most(field: &'static str, value: i64, max: i64) -> Result<(), ValidateError> {
    if value > max {
        return Err(ValidateError::TooLarge { field, value, max });
    }
    Ok(())
}

pub(crate) fn at_least(field: &'static str, value: i64, min: i64) -> Result<(), ValidateError> {
    if value < min {
        return Err(ValidateError::TooSmall { field, value, min });
    }
    Ok(())
}

/// `0 < amount ≤ 10^15`.
pub(crate) fn supply_amount(field: &'static str, amount: i64) -> Result<(), ValidateError> {
    positive(field, amount)?;
    at_most(field, amount, MAX_SHARE_SUPPLY)
}

pub(crate) fn percent(field: &'static str, value: u16) -> Result<(), ValidateError> {
    at_most(field, i64::from(value), i64::from(crate::asset::PERCENT_100))
}

pub(crate) fn collateral_ratio(field: &'static str, value: u16) -> Result<(), ValidateError> {
    at_least(field, i64::from(value), i64::from(MIN_COLLATERAL_RATIO))?;
    at_most(field, i64::from(value), i64::from(MAX_COLLATERAL_RATIO))
}

pub(crate) fn different_accounts(field: &'static str, a: AccountId, b: AccountId) -> Result<(), ValidateError> {
    if a == b {
        return Err(ValidateError::SameAccount { field, account: a });
    }
    Ok(())
}

pub(crate) fn different_assets(field: &'static str, a: AssetId, b: AssetId) -> Result<(), ValidateError> {
    if a == b {
        return Err(ValidateError::SameAsset { field, asset: a });
    }
    Ok(())
}

/// `price::validate`: both amounts positive, different assets.
pub(crate) fn valid_price(field: &'static str, p: &Price) -> Result<(), ValidateError> {
    if !p.is_valid() {
        return Err(ValidateError::InvalidPrice { field });
    }
    Ok(())
}

/// Authority rules of account create/update: non-empty, no addresses, satisfiable.
pub(crate) fn account_authority(which: &'static str, a: &Authority) -> Result<(), ValidateError> {
    if a.num_auths() == 0 {
        return Err(ValidateError::EmptyAuthority { which });
    }
    if !a.address_auths.is_empty() {
        return Err(ValidateError::AuthorityHasAddresses { which });
    }
    if a.is_impossible() {
        return Err(ValidateError::ImpossibleAuthority { which, threshold: a.weight_threshold });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names() {
        for ok in ["a", "nathan", "bob-1", "a.b", "init0", "x1.y-2.z", &"a".repeat(63)] {
            assert!(is_valid_account_name(ok), "{ok}");
        }
        for bad in ["", "1a", "-a", "a-", "A", "a..b", ".a", "a.", "a_b", "a b", "a.1b", &"a".repeat(64)] {
            assert!(!is_valid_account_name(bad), "{bad}");
        }
    }

    #[test]
    fn cheap_names() {
        assert!(!is_cheap_name("nathan"));
        assert!(is_cheap_name("bob-1"));
        assert!(is_cheap_name("a.b"));
        assert!(is_cheap_name("bcd"), "no vowel is cheap");
        assert!(!is_cheap_name("xyz"), "y counts as a vowel");
        assert!(is_cheap_name("abc9"));
    }

    #[test]
    fn symbols() {
        for ok in ["BTS", "USD", "OPEN.BTC", "A1B", "ABCDEFGHIJKLMNOP", "BI.T"] {
            assert!(is_valid_symbol(ok), "{ok}");
        }
        for bad in ["AB", "ABCDEFGHIJKLMNOPQ", "usd", "1AB", "ABC.", "A.B.C", "BITUSD", "AB-C", ".ABC", "ABc"] {
            assert!(!is_valid_symbol(bad), "{bad}");
        }
    }
}
