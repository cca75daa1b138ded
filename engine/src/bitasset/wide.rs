//! A minimal unsigned 256-bit integer for the few products that outgrow u128: the target
//! collateral ratio formula multiplies three amounts of up to 10^15 with a ratio (≈ 3·10^49),
//! where bitshares-core uses boost's int256. Only what those formulas need: product of two
//! u128, addition, subtraction, comparison and division by a u128. Never wraps silently:
//! overflow or underflow is a bug and asserts.

use std::cmp::Ordering;

/// `hi · 2^128 + lo`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct U256 {
    pub hi: u128,
    pub lo: u128,
}

impl Ord for U256 {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.hi, self.lo).cmp(&(other.hi, other.lo))
    }
}
impl PartialOrd for U256 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl U256 {
    pub const fn from_u128(v: u128) -> Self {
        U256 { hi: 0, lo: v }
    }

    /// The full product `a × b`.
    pub fn mul(a: u128, b: u128) -> Self {
        const M: u128 = u64::MAX as u128;
        let (a1, a0) = (a >> 64, a & M);
        let (b1, b0) = (b >> 64, b & M);
        let p00 = a0 * b0;
        let p01 = a0 * b1;
        let p10 = a1 * b0;
        let p11 = a1 * b1;
        // Middle column: carries beyond 128 bits go to hi.
        let mid = (p00 >> 64) + (p01 & M) + (p10 & M);
        let lo = (p00 & M) | (mid << 64);
        let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
        U256 { hi, lo }
    }

    pub fn plus(self, o: Self) -> Self {
        let (lo, carry) = self.lo.overflowing_add(o.lo);
        let hi = self.hi.checked_add(o.hi).and_then(|h| h.checked_add(u128::from(carry)));
        U256 { hi: hi.expect("256-bit addition overflow"), lo }
    }

    /// `self − o`; `o` must not exceed `self`.
    pub fn minus(self, o: Self) -> Self {
        assert!(o <= self, "256-bit subtraction underflow");
        let (lo, borrow) = self.lo.overflowing_sub(o.lo);
        U256 { hi: self.hi - o.hi - u128::from(borrow), lo }
    }

    /// `floor(self / d)` for `0 < d < 2^127`.
    pub fn div_u128(self, d: u128) -> Self {
        assert!(d > 0 && d < (1 << 127), "divisor out of range");
        let mut q = U256::default();
        let mut r: u128 = 0;
        for i in (0..256).rev() {
            let bit = if i >= 128 { (self.hi >> (i - 128)) & 1 } else { (self.lo >> i) & 1 };
            r = (r << 1) | bit;
            if r >= d {
                r -= d;
                if i >= 128 {
                    q.hi |= 1 << (i - 128);
                } else {
                    q.lo |= 1 << i;
                }
            }
        }
        q
    }

    /// `a/b < c/d` for positive denominators that fit u128.
    pub fn lt_fraction(a: u128, b: u128, c: u128, d: u128) -> bool {
        U256::mul(a, d) < U256::mul(c, b)
    }

    /// The value if it fits u128.
    pub fn to_u128(self) -> Option<u128> {
        (self.hi == 0).then_some(self.lo)
    }
}

#[cfg(test)]
mod tests {
    use super::U256;

    #[test]
    fn product_and_division_round_trip() {
        let a = 3_000_000_000_000_000_000_000_000_000u128; // 3·10^30
        let b = 32_000_000_000_000_000_000u128; // 3.2·10^22
        let p = U256::mul(a, b);
        assert!(p.hi > 0);
        assert_eq!(p.div_u128(b).to_u128(), Some(a));
        assert_eq!(p.div_u128(a).to_u128(), Some(b));
        assert_eq!(p.plus(U256::from_u128(5)).minus(p), U256::from_u128(5));
        assert_eq!(U256::mul(u128::MAX, 2), U256 { hi: 1, lo: u128::MAX - 1 });
    }

    #[test]
    fn fractions_compare_exactly() {
        assert!(U256::lt_fraction(1, 3, 1, 2));
        assert!(!U256::lt_fraction(2, 4, 1, 2));
    }
}
