//! The fill arithmetic of one limit-vs-limit match (PROTOCOL.md §5.2; bitshares-core
//! `db_market.cpp` `match_limit_normal_limit`, after hard fork CORE-342), the dust test, the
//! crossing test and the market-fee formula (§5.3).
//!
//! Pure functions on integers: products in i128, rounding explicit and always in favour of the
//! bigger order (the maker when the taker is smaller, and vice versa). A price `p` is given as
//! its two amounts `base / quote`; "x at p" converts an amount of the base asset into the quote
//! asset as `x × quote / base`, and the other way as `x × base / quote`.
//!
//! Never panics for inputs that satisfy the book invariants (positive amounts, every
//! `for_sale × price ≤ 10^15`); the casts back to i64 rely on those bounds.

use ledger::asset::{cut_percent, Price};
use num_integer::gcd;

/// An order's side of a match: what it has for sale and at which price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderView {
    pub for_sale: i64,
    pub sell_price: Price,
}

/// The amounts one match exchanges. The maker pays `taker_receives` and receives `taker_pays`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trade {
    pub taker_pays: i64,
    pub taker_receives: i64,
    /// The taker was the smaller side: whatever it has left after paying is culled
    /// (`cull_taker` in bitshares-core; the remainder always rounds to 0 at the maker's price,
    /// so it rounds to 0 at the taker's own, worse, price too).
    pub cull_taker: bool,
}

/// The result of matching a taker against one maker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchResult {
    /// The taker's remainder would receive 0 even at the maker's price: nothing is exchanged and
    /// the taker is finished (it will be culled).
    TakerDust,
    Trade(Trade),
}

/// `floor(x × num / den)` in 128 bits.
#[inline]
pub fn mul_div_floor(x: i64, num: i64, den: i64) -> i128 {
    i128::from(x) * i128::from(num) / i128::from(den)
}

/// `ceil(x × num / den)` in 128 bits (all arguments positive).
#[inline]
pub fn mul_div_ceil(x: i64, num: i64, den: i64) -> i128 {
    let den = i128::from(den);
    (i128::from(x) * i128::from(num) + den - 1) / den
}

/// What `for_sale` of the base asset receives at `base_amount / quote_amount`, rounded down
/// (`limit_order_object::amount_to_receive`).
#[inline]
pub fn receive_floor(for_sale: i64, base_amount: i64, quote_amount: i64) -> i128 {
    mul_div_floor(for_sale, quote_amount, base_amount)
}

/// The cull test of `maybe_cull_small_order`: `for_sale × sell_price` rounds to 0.
#[inline]
pub fn is_dust(for_sale: i64, sell_price: &Price) -> bool {
    is_dust_amounts(for_sale, sell_price.base.amount, sell_price.quote.amount)
}

/// [`is_dust`] on the price's amounts: `for_sale × quote < base`.
#[inline]
pub fn is_dust_amounts(for_sale: i64, base_amount: i64, quote_amount: i64) -> bool {
    i128::from(for_sale) * i128::from(quote_amount) < i128::from(base_amount)
}

/// Whether a maker at `maker` satisfies a taker at `taker`: `maker ≥ ~taker`, i.e.
/// `maker.base / maker.quote ≥ taker.quote / taker.base` (both prices of the same market in
/// opposite directions, all amounts positive).
#[inline]
pub fn crosses(maker_base: i64, maker_quote: i64, taker_base: i64, taker_quote: i64) -> bool {
    i128::from(maker_base) * i128::from(taker_base) >= i128::from(taker_quote) * i128::from(maker_quote)
}

/// Compare two prices of one direction by value (cross-multiplication), as `price_cmp` does
/// once the asset ids are equal.
#[inline]
pub fn value_cmp(a_base: i64, a_quote: i64, b_base: i64, b_quote: i64) -> std::cmp::Ordering {
    (i128::from(a_base) * i128::from(b_quote)).cmp(&(i128::from(b_base) * i128::from(a_quote)))
}

/// Match a taker against a maker at the maker's price (`match_limit_normal_limit`):
/// * taker_for_sale ≤ maker_for_sale at p: taker receives `floor(taker_for_sale at p)` (0 →
///   [`MatchResult::TakerDust`]) and pays `ceil(that at p)`; its remainder is culled.
/// * otherwise the maker receives `floor(maker_for_sale at p)` and pays `ceil(that at p)`; its
///   remainder rounds to nothing and is culled by the caller's dust test.
pub fn match_orders(taker: &OrderView, maker: &OrderView) -> MatchResult {
    let (pb, pq) = (maker.sell_price.base.amount, maker.sell_price.quote.amount);
    match_amounts(taker.for_sale, maker.for_sale, pb, pq)
}

/// [`match_orders`] on bare amounts: the maker sells `maker_for_sale` at `pb / pq`.
#[inline]
pub fn match_amounts(taker_for_sale: i64, maker_for_sale: i64, pb: i64, pq: i64) -> MatchResult {
    // Both conversions below are bounded by the maker's own `for_sale × price ≤ 10^15` or by
    // `for_sale` itself, so the narrowing casts cannot truncate.
    let maker_worth = mul_div_floor(maker_for_sale, pq, pb);
    if i128::from(taker_for_sale) <= maker_worth {
        let taker_receives = mul_div_floor(taker_for_sale, pb, pq) as i64;
        if taker_receives == 0 {
            return MatchResult::TakerDust;
        }
        let taker_pays = mul_div_ceil(taker_receives, pq, pb) as i64;
        debug_assert!(taker_pays <= taker_for_sale);
        MatchResult::Trade(Trade { taker_pays, taker_receives, cull_taker: true })
    } else {
        let maker_receives = maker_worth as i64;
        let taker_receives = mul_div_ceil(maker_receives, pb, pq) as i64;
        debug_assert!(taker_receives <= maker_for_sale);
        MatchResult::Trade(Trade { taker_pays: maker_receives, taker_receives, cull_taker: false })
    }
}

/// The market fee on an amount received (§5.3, `calculate_market_fee`): `floor(received ×
/// percent / 10000)` capped at `max_fee`. Whether the asset charges market fees at all, and
/// which percent (maker or taker) applies, is the caller's decision.
pub fn market_fee(received: i64, percent: u16, max_fee: i64) -> i64 {
    if percent == 0 || received <= 0 {
        return 0;
    }
    cut_percent(received, percent).min(max_fee)
}

/// A price reduced to lowest terms, for display of a level (levels group equal values).
pub fn reduced(p: Price) -> Price {
    let g = gcd(p.base.amount.unsigned_abs(), p.quote.amount.unsigned_abs()).max(1) as i64;
    let mut r = p;
    r.base.amount /= g;
    r.quote.amount /= g;
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledger::asset::Asset;
    use ledger::ids::AssetId;

    const A: AssetId = AssetId(1);
    const B: AssetId = AssetId(2);

    fn price(base: i64, quote: i64) -> Price {
        Price::new(Asset::new(base, A), Asset::new(quote, B))
    }

    fn view(for_sale: i64, base: i64, quote: i64) -> OrderView {
        OrderView { for_sale, sell_price: price(base, quote) }
    }

    #[test]
    fn smaller_taker_receives_floor_and_pays_ceil() {
        // Maker sells 100 A at 3 A / 10 B (worth 333 B). Taker sells 7 B: receives floor(7×3/10)
        // = 2 A, pays ceil(2×10/3) = 7 B.
        let m = match_orders(&view(7, 0, 0), &view(100, 3, 10));
        assert_eq!(m, MatchResult::Trade(Trade { taker_pays: 7, taker_receives: 2, cull_taker: true }));
        // Taker sells 8 B: receives floor(2.4) = 2 A, pays only ceil(6.67) = 7 B; 1 B is culled.
        let m = match_orders(&view(8, 0, 0), &view(100, 3, 10));
        assert_eq!(m, MatchResult::Trade(Trade { taker_pays: 7, taker_receives: 2, cull_taker: true }));
    }

    #[test]
    fn taker_receiving_nothing_is_dust() {
        // 3 B at 3 A / 10 B is 0.9 A.
        assert_eq!(match_orders(&view(3, 0, 0), &view(100, 3, 10)), MatchResult::TakerDust);
    }

    #[test]
    fn larger_taker_pays_floor_of_maker_and_receives_ceil() {
        // Maker sells 10 A at 3 A / 10 B: worth floor(33.3) = 33 B. Taker sells 50 B: maker
        // receives 33 B, taker receives ceil(33×3/10) = ceil(9.9) = 10 A.
        let m = match_orders(&view(50, 0, 0), &view(10, 3, 10));
        assert_eq!(m, MatchResult::Trade(Trade { taker_pays: 33, taker_receives: 10, cull_taker: false }));
        // Maker sells 11 A (worth 36 B): receives 36, pays ceil(10.8) = 11 A.
        let m = match_orders(&view(37, 0, 0), &view(11, 3, 10));
        assert_eq!(m, MatchResult::Trade(Trade { taker_pays: 36, taker_receives: 11, cull_taker: false }));
    }

    #[test]
    fn exact_equality_takes_the_first_branch() {
        // Maker 10 A at 1/2 is worth exactly 20 B; a taker with 20 B is the "smaller" side.
        let m = match_orders(&view(20, 0, 0), &view(10, 1, 2));
        assert_eq!(m, MatchResult::Trade(Trade { taker_pays: 20, taker_receives: 10, cull_taker: true }));
    }

    #[test]
    fn dust_and_crossing() {
        assert!(is_dust(2, &price(3, 1))); // 2 A at 3A/1B = 0.67 B
        assert!(!is_dust(3, &price(3, 1)));
        // maker 1 A / 2 B against taker selling B at 2 B / 1 A: 1/2 >= 1/2 crosses exactly.
        assert!(crosses(1, 2, 2, 1));
        assert!(!crosses(1, 2, 3, 2)); // taker wants 2 A per 3 B, maker gives 1 A per 2 B
        assert!(crosses(1, 2, 5, 2)); // taker wants 2 A per 5 B
    }

    #[test]
    fn fee_floors_and_caps() {
        assert_eq!(market_fee(999, 100, 1_000), 9);
        assert_eq!(market_fee(999, 100, 5), 5);
        assert_eq!(market_fee(999, 0, 5), 0);
        assert_eq!(market_fee(10_000, 10_000, i64::MAX), 10_000);
    }

    #[test]
    fn reduce_to_lowest_terms() {
        assert_eq!(reduced(price(20, 40)), price(1, 2));
        assert_eq!(reduced(price(7, 3)), price(7, 3));
    }
}
