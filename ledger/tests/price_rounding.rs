//! Property: converting an amount through a price never creates value. Rounding down gives at
//! most the exact rational result, rounding up at least it and never more than one unit above,
//! and a round trip (down, then back down) never returns more than was put in.

use ledger::asset::{Asset, Price, MAX_SHARE_SUPPLY};
use ledger::ids::AssetId;
use proptest::prelude::*;

const A: AssetId = AssetId(0);
const B: AssetId = AssetId(1);

fn amounts() -> impl Strategy<Value = i64> {
    prop_oneof![1i64..1_000, 1i64..1_000_000_000, 1i64..=MAX_SHARE_SUPPLY]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn floor_and_ceil_bracket_the_exact_value(base in amounts(), quote in amounts(), x in amounts()) {
        let p = Price::new(Asset::new(base, A), Asset::new(quote, B));
        let exact_num = i128::from(x) * i128::from(quote); // x·quote/base of B
        let den = i128::from(base);
        if let Ok(down) = p.mul_floor(Asset::new(x, A)) {
            prop_assert_eq!(down.asset_id, B);
            prop_assert!(i128::from(down.amount) * den <= exact_num, "floor exceeds the exact value");
            prop_assert!((i128::from(down.amount) + 1) * den > exact_num, "floor is not the largest such integer");
        }
        if let Ok(up) = p.mul_ceil(Asset::new(x, A)) {
            prop_assert!(i128::from(up.amount) * den >= exact_num, "ceil is below the exact value");
            prop_assert!((i128::from(up.amount) - 1) * den < exact_num, "ceil is not the smallest such integer");
        }
    }

    #[test]
    fn a_round_trip_never_returns_more(base in amounts(), quote in amounts(), x in amounts()) {
        let p = Price::new(Asset::new(base, A), Asset::new(quote, B));
        if let Ok(b_side) = p.mul_floor(Asset::new(x, A)) {
            if let Ok(back) = p.mul_floor(b_side) {
                prop_assert_eq!(back.asset_id, A);
                prop_assert!(back.amount <= x, "{} of A became {} of B and then {} of A", x, b_side.amount, back.amount);
            }
        }
    }

    #[test]
    fn results_beyond_max_supply_are_errors_not_wraps(base in 1i64..10, quote in amounts(), x in amounts()) {
        let p = Price::new(Asset::new(base, A), Asset::new(quote, B));
        let exact = i128::from(x) * i128::from(quote) / i128::from(base);
        match p.mul_floor(Asset::new(x, A)) {
            Ok(r) => prop_assert_eq!(i128::from(r.amount), exact),
            Err(_) => prop_assert!(exact > i128::from(MAX_SHARE_SUPPLY)),
        }
    }
}
