//! Amounts, prices and the protocol's 128-bit rounding rules (PROTOCOL.md §5.1).
//!
//! Money is `i64` in the smallest unit of its asset. A [`Price`] is a ratio of two amounts of
//! different assets and is never reduced. Products go through `i128`; each helper states whether
//! it rounds down (the protocol default, `asset × price`) or up (`multiply_and_round_up`), and a
//! result beyond [`MAX_SHARE_SUPPLY`] is an error rather than a wrap.

use crate::ids::AssetId;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// 10^15: the largest supply of any asset, and the bound on every computed amount.
pub const MAX_SHARE_SUPPLY: i64 = 1_000_000_000_000_000;
/// 100 % in the protocol's percent fixed point.
pub const PERCENT_100: u16 = 10_000;
/// 1.0 in the collateral-ratio fixed point.
pub const COLLATERAL_RATIO_DENOM: u16 = 1_000;

/// An amount of one asset.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Asset {
    #[serde(with = "crate::json::int64")]
    pub amount: i64,
    pub asset_id: AssetId,
}
crate::impl_pack!(Asset { amount, asset_id });

impl Asset {
    pub const fn new(amount: i64, asset_id: AssetId) -> Self {
        Asset { amount, asset_id }
    }
    pub const fn core(amount: i64) -> Self {
        Asset { amount, asset_id: AssetId(0) }
    }
}

/// A ratio `base / quote` of two amounts.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Price {
    pub base: Asset,
    pub quote: Asset,
}
crate::impl_pack!(Price { base, quote });

/// Why a price computation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    #[error("asset {asset} is neither side of price {base}/{quote}")]
    AssetMismatch { asset: AssetId, base: AssetId, quote: AssetId },
    #[error("price has a zero or negative side")]
    ZeroSide,
    #[error("result {value} exceeds the maximum share supply 10^15")]
    Overflow { value: i128 },
}

impl Price {
    pub const fn new(base: Asset, quote: Asset) -> Self {
        Price { base, quote }
    }

    /// `amount_to_sell / min_to_receive`, the price a limit order is stored at.
    pub const fn from_amounts(base: Asset, quote: Asset) -> Self {
        Price { base, quote }
    }

    /// `~p`: base and quote swapped.
    pub const fn invert(self) -> Self {
        Price { base: self.quote, quote: self.base }
    }

    /// The null price: both asset ids 0 (and, as constructed by default, zero amounts).
    pub fn is_null(&self) -> bool {
        self.base.asset_id == AssetId(0) && self.quote.asset_id == AssetId(0)
    }

    /// 1:1 price of the core asset against itself.
    pub fn unit_core() -> Self {
        Price { base: Asset::core(1), quote: Asset::core(1) }
    }

    /// Both sides positive and of different assets (`price::validate`).
    pub fn is_valid(&self) -> bool {
        self.base.amount > 0 && self.quote.amount > 0 && self.base.asset_id != self.quote.asset_id
    }

    fn convert(&self, a: Asset, round_up: bool) -> Result<Asset, PriceError> {
        let (num, den, out) = if a.asset_id == self.base.asset_id {
            (self.quote.amount, self.base.amount, self.quote.asset_id)
        } else if a.asset_id == self.quote.asset_id {
            (self.base.amount, self.quote.amount, self.base.asset_id)
        } else {
            return Err(PriceError::AssetMismatch {
                asset: a.asset_id,
                base: self.base.asset_id,
                quote: self.quote.asset_id,
            });
        };
        if num <= 0 || den <= 0 {
            return Err(PriceError::ZeroSide);
        }
        let prod = i128::from(a.amount) * i128::from(num);
        let den = i128::from(den);
        let mut q = prod.div_euclid(den);
        if round_up && prod.rem_euclid(den) != 0 {
            q += 1;
        }
        if q > i128::from(MAX_SHARE_SUPPLY) {
            return Err(PriceError::Overflow { value: q });
        }
        Ok(Asset::new(q as i64, out))
    }

    /// `a × price` rounded down: an amount of one side converted into the other.
    pub fn mul_floor(&self, a: Asset) -> Result<Asset, PriceError> {
        self.convert(a, false)
    }

    /// `a.multiply_and_round_up(price)`: the same conversion rounded up.
    pub fn mul_ceil(&self, a: Asset) -> Result<Asset, PriceError> {
        self.convert(a, true)
    }
}

/// The protocol's `operator<` on prices: by base asset id, then quote asset id, then by value
/// (cross-multiplication in 128 bits). Equal values with different amounts compare equal in
/// value but [`Price`]'s `Eq` is structural, so this is exposed as a function rather than `Ord`.
pub fn price_cmp(a: &Price, b: &Price) -> Ordering {
    a.base.asset_id.cmp(&b.base.asset_id).then(a.quote.asset_id.cmp(&b.quote.asset_id)).then_with(|| {
        let l = i128::from(a.base.amount) * i128::from(b.quote.amount);
        let r = i128::from(b.base.amount) * i128::from(a.quote.amount);
        l.cmp(&r)
    })
}

/// `floor(value × percent / 10000)`: every percentage cut in the protocol.
pub fn cut_percent(value: i64, percent: u16) -> i64 {
    if value == 0 || percent == 0 {
        return 0;
    }
    if percent == PERCENT_100 {
        return value;
    }
    (i128::from(value) * i128::from(percent) / i128::from(PERCENT_100)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    const USD: AssetId = AssetId(1);

    #[test]
    fn asset_encoding() {
        use crate::encoding::Pack;
        let a = Asset::new(100, AssetId(0));
        assert_eq!(hex::encode(a.to_bytes()), "640000000000000000");
        assert_eq!(serde_json::to_string(&a).unwrap(), r#"{"amount":100,"asset_id":"1.3.0"}"#);
        let lenient: Asset = serde_json::from_str(r#"{"amount":"100","asset_id":"1.3.0"}"#).unwrap();
        assert_eq!(lenient, a);
    }

    #[test]
    fn conversion_rounds_down_or_up() {
        // 3 BTS buys 10 USD
        let p = Price::new(Asset::new(3, AssetId(0)), Asset::new(10, USD));
        assert_eq!(p.mul_floor(Asset::new(7, USD)).unwrap(), Asset::new(2, AssetId(0))); // 2.1
        assert_eq!(p.mul_ceil(Asset::new(7, USD)).unwrap(), Asset::new(3, AssetId(0)));
        assert_eq!(p.mul_floor(Asset::new(1, AssetId(0))).unwrap(), Asset::new(3, USD)); // 3.33
        assert_eq!(p.mul_ceil(Asset::new(1, AssetId(0))).unwrap(), Asset::new(4, USD));
        assert!(matches!(p.mul_floor(Asset::new(1, AssetId(9))), Err(PriceError::AssetMismatch { .. })));
    }

    #[test]
    fn conversion_overflow_is_an_error() {
        let p = Price::new(Asset::new(1, AssetId(0)), Asset::new(1_000_000, USD));
        let e = p.mul_floor(Asset::new(MAX_SHARE_SUPPLY, AssetId(0))).unwrap_err();
        assert!(matches!(e, PriceError::Overflow { .. }));
    }

    #[test]
    fn price_order_by_ids_then_value() {
        let a = Price::new(Asset::new(1, AssetId(0)), Asset::new(2, USD));
        let b = Price::new(Asset::new(2, AssetId(0)), Asset::new(4, USD));
        let c = Price::new(Asset::new(3, AssetId(0)), Asset::new(4, USD));
        assert_eq!(price_cmp(&a, &b), Ordering::Equal);
        assert_eq!(price_cmp(&a, &c), Ordering::Less);
        assert_eq!(price_cmp(&c.invert(), &a), Ordering::Greater); // base 1.3.1 > 1.3.0
    }

    #[test]
    fn percent_cut_floors() {
        assert_eq!(cut_percent(999, 2000), 199);
        assert_eq!(cut_percent(-999, 10000), -999);
        assert_eq!(cut_percent(MAX_SHARE_SUPPLY, 3000), 300_000_000_000_000);
    }
}
