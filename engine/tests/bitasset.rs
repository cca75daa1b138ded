//! Scenario tests of BitAssets (PROTOCOL.md §5.4–§5.8), driving `Chain` directly: every
//! transaction is applied in its own produced block, so end-of-block feed expiry runs as on a
//! real chain. Fees are skipped (all ops pay 0) so that amounts are the protocol arithmetic only.
//! Each test is named after the rule it pins down, with its arithmetic written out.
//!
//! Setup: the dev genesis; `alice` = init0, `bob` = init1, `carol` = init2, issuer `nathan`,
//! each holding 1,000,000 core. `USD` is a bitasset backed by core (precision 4), with feed
//! producers alice, bob, carol and nathan. Unless a test says otherwise the feed is
//! F = 100 USD / 1000 core (10 core per USD), MCR 1750, MSSR 1500, no MCFR, no ICR.

mod common;

use common::{fills, Market, FUNDS};
use engine::bitasset::BitassetError;
use engine::chain::Applied;
use engine::Rejection;
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, CORE_ASSET};
use ledger::ops::*;
use ledger::time::TimePointSec;

const CORE: AssetId = CORE_ASSET;

type Bit = Market;

fn bitasset_options(feed_lifetime_sec: u32, mcfr: Option<u16>) -> BitassetOptions {
    let mut o = BitassetOptions {
        feed_lifetime_sec,
        minimum_feeds: 1,
        force_settlement_delay_sec: 3600,
        short_backing_asset: CORE,
        ..Default::default()
    };
    o.extensions.margin_call_fee_ratio = mcfr;
    o
}

fn setup_with(options: BitassetOptions) -> Bit {
    let mut b = Market::funded();
    b.next_block();
    b.next_block();
    let create = AssetCreateOp {
        issuer: b.nathan,
        symbol: "USD".into(),
        precision: 4,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::new(1, AssetId(1)), Asset::core(10)),
            ..Default::default()
        },
        bitasset_opts: Some(options),
        ..Default::default()
    };
    let producers = [b.alice, b.bob, b.carol, b.nathan];
    b.create_usd(create, &producers);
    b
}

fn setup() -> Bit {
    setup_with(bitasset_options(86_400, None))
}

impl Market {
    /// F = `usd` USD / `core` core with the given ratios.
    fn feed(&self, publisher: AccountId, usd: i64, core: i64, mcr: u16, mssr: u16) -> Operation {
        Operation::AssetPublishFeed(AssetPublishFeedOp {
            publisher,
            asset_id: self.usd,
            feed: PriceFeed {
                settlement_price: Price::new(self.usd(usd), Asset::core(core)),
                maintenance_collateral_ratio: mcr,
                maximum_short_squeeze_ratio: mssr,
                core_exchange_rate: Price::new(self.usd(1), Asset::core(10)),
            },
            ..Default::default()
        })
    }

    fn publish(&mut self, usd: i64, core: i64) -> Applied {
        let op = self.feed(self.nathan, usd, core, 1750, 1500);
        self.ok(op)
    }

    fn borrow_op(&self, who: AccountId, collateral: i64, debt: i64, tcr: Option<u16>) -> Operation {
        let mut op = CallOrderUpdateOp {
            funding_account: who,
            delta_collateral: Asset::core(collateral),
            delta_debt: self.usd(debt),
            ..Default::default()
        };
        op.extensions.target_collateral_ratio = tcr;
        Operation::CallOrderUpdate(op)
    }

    fn borrow(&mut self, who: AccountId, collateral: i64, debt: i64, tcr: Option<u16>) -> Applied {
        let op = self.borrow_op(who, collateral, debt, tcr);
        self.ok(op)
    }

    fn sell_usd(&mut self, seller: AccountId, usd: i64, core: i64) -> Applied {
        let op = LimitOrderCreateOp {
            seller,
            amount_to_sell: self.usd(usd),
            min_to_receive: Asset::core(core),
            expiration: TimePointSec::MAX,
            ..Default::default()
        };
        self.ok(Operation::LimitOrderCreate(op))
    }

    fn core_in_orders(&self, who: AccountId) -> i64 {
        let s = &self.chain.state;
        s.statistics.get(s.account(who).unwrap().statistics.0).unwrap().total_core_in_orders
    }
}

fn bitasset_err(r: Result<Applied, Rejection>) -> BitassetError {
    match r {
        Err(Rejection::Bitasset(e)) => e,
        other => panic!("expected a bitasset rejection, got {other:?}"),
    }
}

#[test]
fn asset_create_makes_bitasset_data_with_options() {
    let b = setup();
    let bad = b.bad();
    assert_eq!(bad.asset_id, b.usd);
    assert_eq!(bad.options.short_backing_asset, CORE);
    assert_eq!(bad.feeds.len(), 4, "one (empty) entry per producer");
    assert!(bad.current_feed.feed.settlement_price.is_null());
}

#[test]
fn bitasset_backed_by_bitasset_backed_by_bitasset_is_refused() {
    let mut b = setup();
    let mut o = bitasset_options(86_400, None);
    o.short_backing_asset = b.usd;
    let mk = |symbol: &str, o: BitassetOptions, issuer| AssetCreateOp {
        issuer,
        symbol: symbol.into(),
        precision: 4,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::new(1, AssetId(1)), Asset::core(10)),
            ..Default::default()
        },
        bitasset_opts: Some(o),
        ..Default::default()
    };
    // Backed by USD (itself core-backed): allowed.
    let applied = b.ok(Operation::AssetCreate(mk("BUSD", o.clone(), b.nathan)));
    let busd = match applied.operation_results[0] {
        OperationResult::ObjectId(x) => AssetId::try_from(x).unwrap(),
        _ => unreachable!(),
    };
    o.short_backing_asset = busd;
    let e = bitasset_err(b.push(vec![Operation::AssetCreate(mk("CUSD", o, b.nathan))]));
    assert_eq!(e.code(), "bad_backing_asset");
}

#[test]
fn feed_median_takes_upper_middle_per_field() {
    let mut b = setup();
    // Four feeds; each field sorted independently, element ⌊4/2⌋ = index 2 is taken:
    //   settlement: 100/1100 < 100/1000 < 100/900 < 100/800  → 100/900 (bob)
    //   MCR:        1500 < 1600 < 1750 < 2000                → 1750 (alice)
    //   MSSR:       1100 < 1200 < 1300 < 1500                → 1300 (nathan)
    let feeds = [
        (b.alice, 1000, 1750, 1100),
        (b.bob, 900, 1600, 1500),
        (b.carol, 1100, 2000, 1200),
        (b.nathan, 800, 1500, 1300),
    ];
    for (who, core, mcr, mssr) in feeds {
        let op = b.feed(who, 100, core, mcr, mssr);
        b.ok(op);
    }
    let cur = b.bad().current_feed;
    assert_eq!(cur.feed.settlement_price, Price::new(b.usd(100), Asset::core(900)));
    assert_eq!(cur.feed.maintenance_collateral_ratio, 1750);
    assert_eq!(cur.feed.maximum_short_squeeze_ratio, 1300);
    // Maintenance collateralization = ~F × 1750/1000 = 900/100 × 1750/1000 = 1575000/100000 = 63/4.
    assert_eq!(b.bad().current_maintenance_collateralization, Price::new(Asset::core(63), b.usd(4)));
    // No ICR anywhere: the initial collateralization is the maintenance one.
    assert_eq!(b.bad().current_initial_collateralization, Price::new(Asset::core(63), b.usd(4)));
}

#[test]
fn bitasset_option_mcr_overrides_fed_value() {
    let mut o = bitasset_options(86_400, None);
    o.extensions.maintenance_collateral_ratio = Some(2000);
    let mut b = setup_with(o);
    b.publish(100, 1000);
    // ~F × 2000/1000 = 1000/100 × 2 = 20/1.
    assert_eq!(b.bad().current_feed.feed.maintenance_collateral_ratio, 2000);
    assert_eq!(b.bad().current_maintenance_collateralization, Price::new(Asset::core(20), b.usd(1)));
}

#[test]
fn feed_expires_after_lifetime() {
    let mut b = setup_with(bitasset_options(60, None));
    b.publish(100, 1000);
    let published = b.bad().current_feed_publication_time;
    assert!(!b.bad().current_feed.feed.settlement_price.is_null());
    // Blocks every 5 s: the feed counts while now − published < 60.
    while b.chain.head_time().0 < published.0 + 55 {
        b.next_block();
        assert!(!b.bad().current_feed.feed.settlement_price.is_null(), "alive at {}", b.chain.head_time().0);
    }
    b.next_block();
    assert_eq!(b.chain.head_time().0, published.0 + 60);
    assert!(b.bad().current_feed.feed.settlement_price.is_null(), "expired at published + lifetime");
    assert!(b.bad().current_maintenance_collateralization.is_null());
}

#[test]
fn feed_from_non_producer_is_refused() {
    let mut b = setup();
    let dave = b.chain.state.account_by_name("init3").unwrap().id;
    let op = b.feed(dave, 100, 1000, 1750, 1500);
    assert_eq!(bitasset_err(b.push(vec![op])).code(), "not_feed_producer");
}

#[test]
fn feed_producer_removal_clears_its_feed() {
    let mut b = setup();
    let op = b.feed(b.alice, 100, 1000, 1750, 1500);
    b.ok(op);
    b.ok(Operation::AssetUpdateFeedProducers(AssetUpdateFeedProducersOp {
        issuer: b.nathan,
        asset_to_update: b.usd,
        new_feed_producers: [b.bob].into_iter().collect(),
        ..Default::default()
    }));
    assert_eq!(b.bad().feeds.keys().copied().collect::<Vec<_>>(), vec![b.bob]);
    assert!(b.bad().current_feed.feed.settlement_price.is_null());
}

#[test]
fn feed_expiry_recomputes_median_from_live_feeds() {
    let mut b = setup_with(bitasset_options(60, None));
    // Alice publishes 100/1000; 30 s later bob publishes 100/2000. With two live feeds the median
    // is element ⌊2/2⌋ = 1 of [100/2000, 100/1000] = 100/1000, published at alice's time.
    let op = b.feed(b.alice, 100, 1000, 1750, 1500);
    b.ok(op);
    let alice_time = b.chain.state.bitasset_data(b.usd).unwrap().feeds[&b.alice].0;
    while b.chain.head_time().0 < alice_time.0 + 30 {
        b.next_block();
    }
    // Bob's core exchange rate is 20 core per USD; the median CER is ⌊2/2⌋ of [1/20, 1/10] = 1/10.
    let mut op = b.feed(b.bob, 100, 2000, 1750, 1500);
    if let Operation::AssetPublishFeed(f) = &mut op {
        f.feed.core_exchange_rate = Price::new(b.usd(1), Asset::core(20));
    }
    b.ok(op);
    assert_eq!(b.bad().current_feed.feed.settlement_price, Price::new(b.usd(100), Asset::core(1000)));
    assert_eq!(b.chain.state.asset(b.usd).unwrap().options.core_exchange_rate, Price::new(b.usd(1), Asset::core(10)));
    assert_eq!(b.bad().current_feed_publication_time, alice_time);
    // At alice's time + 60 her feed expires at the end of that block: only bob's remains.
    while b.chain.head_time().0 < alice_time.0 + 60 {
        b.next_block();
    }
    assert_eq!(b.bad().current_feed.feed.settlement_price, Price::new(b.usd(100), Asset::core(2000)));
    // Bob's core exchange rate became the feed's and was copied to the asset at the end of the block.
    let cer = b.chain.state.asset(b.usd).unwrap().options.core_exchange_rate;
    assert_eq!(cer, Price::new(b.usd(1), Asset::core(20)));
    assert!(!b.bad().feed_cer_updated);
}

#[test]
fn call_order_without_feed_is_refused() {
    let mut b = setup();
    let op = b.borrow_op(b.alice, 20_000, 1000, None);
    assert_eq!(bitasset_err(b.push(vec![op])).code(), "no_price_feed");
}

#[test]
fn call_order_below_icr_is_refused() {
    let mut b = setup();
    b.publish(100, 1000);
    // Initial collateralization = ~F × 1750/1000 = 17.5 core per USD: 17500 for 1000 USD is not above it.
    let op = b.borrow_op(b.alice, 17_500, 1000, None);
    match bitasset_err(b.push(vec![op])) {
        BitassetError::BelowInitialCollateral { collateral: 17_500, debt: 1000, .. } => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(b.supply(), 0);
    // One more satoshi of collateral is above it.
    b.borrow(b.alice, 17_501, 1000, None);
    assert_eq!(b.position(b.alice), Some((17_501, 1000)));
    assert_eq!(b.supply(), 1000);
    assert_eq!(b.chain.state.balance(b.alice, b.usd), 1000);
    assert_eq!(b.chain.state.balance(b.alice, CORE), FUNDS - 17_501);
    assert_eq!(b.core_in_orders(b.alice), 17_501);
}

#[test]
fn call_order_close_returns_collateral() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    b.borrow(b.alice, -20_000, -1000, None);
    assert_eq!(b.position(b.alice), None);
    assert_eq!(b.supply(), 0);
    assert_eq!(b.chain.state.balance(b.alice, b.usd), 0);
    assert_eq!(b.chain.state.balance(b.alice, CORE), FUNDS);
    assert_eq!(b.core_in_orders(b.alice), 0);
}

/// The deltas of a call order update are any i64 (validation only asks for one non-zero): adding
/// i64::MAX of collateral to an open position is refused as an overflow before any balance is
/// read (it once overflowed in debug builds), and changes nothing.
#[test]
fn call_order_collateral_delta_overflowing_the_position_is_refused() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    let before = b.position(b.alice);
    let op = b.borrow_op(b.alice, i64::MAX, 0, None);
    let err = b.push(vec![op]).unwrap_err();
    assert_eq!(err, Rejection::Arithmetic(format!("position collateral 20000 plus delta {} overflows", i64::MAX)));
    assert_eq!(b.position(b.alice), before);
}

#[test]
fn call_order_raising_collateral_below_icr_is_allowed() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    // Feed moves to 100/1200: maintenance 21 core/USD, MSSP⁻¹ 18. 20000/1000 is callable but
    // nothing buys; adding 500 core (20.5 < 21) without new debt is allowed.
    b.publish(100, 1200);
    b.borrow(b.alice, 500, 0, None);
    assert_eq!(b.position(b.alice), Some((20_500, 1000)));
    // Borrowing more at that ratio is not.
    let op = b.borrow_op(b.alice, 0, 1, None);
    assert_eq!(bitasset_err(b.push(vec![op])).code(), "call_order_below_initial_collateral");
}

#[test]
fn margin_call_fills_at_mcop() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    b.borrow(b.bob, 50_000, 1000, None);
    // F' = 100/1200: maintenance ~F'×1.75 = 21 core/USD ≥ alice's 20 → callable.
    // MCOP = F' × 1000/1500 = 100000/1800000 = 1/18 USD per core; no MCFR so MSSP is the same.
    b.publish(100, 1200);
    assert_eq!(b.position(b.alice), Some((20_000, 1000)), "no book: nothing happens");
    // Bob sells 100 USD for at least 1000 core (10 core/USD ≤ 18): he takes alice's position.
    // order receives = 100 × 18 = 1800 core; call receives ceil(1800/18) = 100 USD, pays 100 × 18 = 1800.
    let applied = b.sell_usd(b.bob, 100, 1000);
    let f = fills(&applied.virtual_ops);
    assert_eq!(f.len(), 2);
    let at_mcop = Price::new(Asset::core(18), b.usd(1));
    assert_eq!(
        (f[0].account_id, f[0].pays, f[0].receives, f[0].is_maker),
        (b.bob, b.usd(100), Asset::core(1800), false)
    );
    assert_eq!(f[0].fill_price, at_mcop);
    assert_eq!(
        (f[1].account_id, f[1].pays, f[1].receives, f[1].is_maker),
        (b.alice, Asset::core(1800), b.usd(100), true)
    );
    assert_eq!(f[1].fee, Asset::core(0));
    assert_eq!(b.position(b.alice), Some((18_200, 900)));
    assert_eq!(b.supply(), 1900);
    assert_eq!(b.chain.state.balance(b.bob, b.usd), 900);
    assert_eq!(b.chain.state.balance(b.bob, CORE), FUNDS - 50_000 + 1800);
    assert_eq!(b.core_in_orders(b.alice), 18_200);
    assert!(b.chain.state.limit_orders.iter().next().is_none(), "bob's order is filled");
}

#[test]
fn margin_call_fee_goes_to_collateral_fees() {
    let mut b = setup_with(bitasset_options(86_400, Some(100)));
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    b.borrow(b.bob, 50_000, 1000, None);
    // F' = 100/1200, MCFR 100: MCOR = 1400. MCOP = F' × 1000/1400 = 100000/1680000 = 5/84 USD/core
    // (16.8 core per USD); the call pays at MSSP⁻¹ = 18 core per USD.
    b.publish(100, 1200);
    // order receives floor(100 × 84/5) = 1680; call receives ceil(1680 × 5/84) = 100;
    // call pays 100 × 18 = 1800; fee = 1800 − 1680 = 120.
    let applied = b.sell_usd(b.bob, 100, 1000);
    let f = fills(&applied.virtual_ops);
    assert_eq!((f[0].pays, f[0].receives), (b.usd(100), Asset::core(1680)));
    assert_eq!(f[0].fill_price, Price::new(Asset::core(84), b.usd(5)));
    assert_eq!((f[1].pays, f[1].receives, f[1].fee), (Asset::core(1800), b.usd(100), Asset::core(120)));
    assert_eq!(b.collateral_fees(), 120);
    assert_eq!(b.position(b.alice), Some((18_200, 900)));
    assert_eq!(b.chain.state.balance(b.bob, CORE), FUNDS - 50_000 + 1680);
    // The issuer claims the margin-call fee from USD's collateral fees.
    let mut claim = AssetClaimFeesOp { issuer: b.nathan, amount_to_claim: Asset::core(120), ..Default::default() };
    claim.extensions.claim_from_asset_id = Some(b.usd);
    b.ok(Operation::AssetClaimFees(claim));
    assert_eq!(b.collateral_fees(), 0);
    assert_eq!(b.chain.state.balance(b.nathan, CORE), FUNDS + 120);
}

#[test]
fn feed_drop_matches_callable_position_against_book() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    b.borrow(b.bob, 50_000, 1000, None);
    // Bob offers 100 USD at 15 core/USD (price L = 100/1500 USD per core); alice is not callable yet.
    b.sell_usd(b.bob, 100, 1500);
    assert_eq!(b.position(b.alice), Some((20_000, 1000)));
    // F' = 100/1200 makes alice callable; MCOP = 1/18 ≤ L, so she takes bob's order at L.
    // order receives floor(100 × 15) = 1500; call receives ceil(1500/15) = 100; call pays
    // floor(100 × 15 × MCPR(1500/1500 = 1)) = 1500; no fee.
    let applied = b.publish(100, 1200);
    let f = fills(&applied.virtual_ops);
    assert_eq!(f.len(), 2);
    let l = Price::new(b.usd(100), Asset::core(1500));
    assert_eq!(
        (f[0].account_id, f[0].pays, f[0].receives, f[0].is_maker),
        (b.alice, Asset::core(1500), b.usd(100), false)
    );
    assert_eq!(f[0].fill_price, l);
    assert_eq!(
        (f[1].account_id, f[1].pays, f[1].receives, f[1].is_maker),
        (b.bob, b.usd(100), Asset::core(1500), true)
    );
    assert_eq!(b.position(b.alice), Some((18_500, 900)));
    assert_eq!(b.supply(), 1900);
}

#[test]
fn tcr_limits_debt_sold() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, Some(2000));
    b.borrow(b.bob, 50_000, 1000, None);
    b.sell_usd(b.bob, 1000, 15_000);
    // F' = 100/1200, target = max(TCR 2000, MCR 1750) → 24 core/USD; the call pays 15 core/USD.
    // Smallest X with (20000 − 15X)/(1000 − X) > 24: 9X > 4000 → X = 445, paying 445 × 15 = 6675.
    let applied = b.publish(100, 1200);
    let f = fills(&applied.virtual_ops);
    assert_eq!((f[0].pays, f[0].receives), (Asset::core(6675), b.usd(445)));
    assert_eq!(b.position(b.alice), Some((13_325, 555)));
    // Bob's order keeps the rest: 1000 − 445 = 555 USD.
    let rest = b.chain.state.limit_orders.iter().next().unwrap().1.for_sale;
    assert_eq!(rest, 555);
}

#[test]
fn black_swan_settles_all_positions() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    b.borrow(b.bob, 40_000, 1000, None);
    // F' = 100/1400: MSSP⁻¹ = 14 × 1.5 = 21 core/USD > alice's 20 → black swan at
    // G = 1000 USD / 20000 core. Fund price G × MSSR/1000 = 1500000/20000000 = 3/40 USD per core.
    // Alice (CR 20 ≤ MCR 24.5): pays ceil(1000 × 20) = 20000, fund gets ceil(1000 × 40/3) = 13334,
    //   fee 6666.
    // Bob (CR 40 > 24.5): pays ceil(1000 × 40/3) = 13334 into the fund, 26666 come back.
    let applied = b.publish(100, 1400);
    let bad = b.bad();
    assert!(bad.is_globally_settled());
    assert_eq!(bad.settlement_fund, 26_668);
    assert_eq!(bad.settlement_price, Price::new(b.usd(2000), Asset::core(26_668)));
    assert_eq!(b.collateral_fees(), 6666);
    assert_eq!(b.supply(), 2000, "supply is not reduced");
    assert_eq!((b.position(b.alice), b.position(b.bob)), (None, None));
    assert_eq!(b.chain.state.balance(b.bob, CORE), FUNDS - 40_000 + 26_666);
    assert_eq!(b.chain.state.balance(b.alice, CORE), FUNDS - 20_000);
    assert_eq!((b.core_in_orders(b.alice), b.core_in_orders(b.bob)), (0, 0));
    let f = fills(&applied.virtual_ops);
    assert_eq!((f[0].account_id, f[0].pays, f[0].fee), (b.alice, Asset::core(20_000), Asset::core(6666)));
    assert_eq!((f[1].account_id, f[1].pays, f[1].fee), (b.bob, Asset::core(13_334), Asset::core(0)));
    // No new positions afterwards.
    let op = b.borrow_op(b.carol, 50_000, 100, None);
    assert_eq!(bitasset_err(b.push(vec![op])).code(), "globally_settled");
}

#[test]
fn call_order_withdrawing_below_icr_is_refused() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    // Withdrawing 4500 leaves 15.5 core/USD, not above the initial collateralization 17.5.
    let op = b.borrow_op(b.alice, -4_500, 0, None);
    assert_eq!(bitasset_err(b.push(vec![op])).code(), "call_order_below_initial_collateral");
    assert_eq!(b.position(b.alice), Some((20_000, 1000)));
}

#[test]
fn call_order_below_short_squeeze_price_is_refused() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    // F' = 100/1300: MSSP⁻¹ = 13 × 1.5 = 19.5 core/USD; alice (20) is callable, not a black swan.
    b.publish(100, 1300);
    assert!(!b.bad().is_globally_settled());
    // Withdrawing to 19000 (19 < 19.5) would be an instant black swan (CORE-2481).
    let op = b.borrow_op(b.alice, -1_000, 0, None);
    match bitasset_err(b.push(vec![op])) {
        BitassetError::BelowShortSqueezePrice { collateral: 19_000, debt: 1000 } => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn committee_fed_asset_takes_feeds_from_committee_members_only() {
    let mut b = setup();
    let mut create = AssetCreateOp {
        issuer: b.nathan,
        symbol: "CNY".into(),
        precision: 4,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::new(1, AssetId(1)), Asset::core(10)),
            flags: ledger::ops::flags::COMMITTEE_FED_ASSET,
            issuer_permissions: ledger::ops::flags::COMMITTEE_FED_ASSET,
            ..Default::default()
        },
        bitasset_opts: Some(bitasset_options(86_400, None)),
        ..Default::default()
    };
    create.common_options.issuer_permissions |= ledger::ops::flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION;
    let applied = b.ok(Operation::AssetCreate(create));
    let cny = match applied.operation_results[0] {
        OperationResult::ObjectId(x) => AssetId::try_from(x).unwrap(),
        _ => unreachable!(),
    };
    // Producers cannot be set on a committee-fed asset.
    let set = Operation::AssetUpdateFeedProducers(AssetUpdateFeedProducersOp {
        issuer: b.nathan,
        asset_to_update: cny,
        new_feed_producers: [b.alice].into_iter().collect(),
        ..Default::default()
    });
    assert_eq!(bitasset_err(b.push(vec![set])).code(), "feed_producers_fixed");
    // Make carol a committee member (as the vote tally would); then she may publish, alice not.
    let committee = ledger::ids::COMMITTEE_ACCOUNT.0;
    let carol = b.carol;
    b.chain.state.accounts.modify(committee, |a| {
        a.active.account_auths.insert(carol, 1);
    });
    let feed = |who| {
        Operation::AssetPublishFeed(AssetPublishFeedOp {
            publisher: who,
            asset_id: cny,
            feed: PriceFeed {
                settlement_price: Price::new(Asset::new(100, cny), Asset::core(1000)),
                core_exchange_rate: Price::new(Asset::new(1, cny), Asset::core(10)),
                ..Default::default()
            },
            ..Default::default()
        })
    };
    assert_eq!(bitasset_err(b.push(vec![feed(b.alice)])).code(), "not_feed_producer");
    b.ok(feed(carol));
    let data = b.chain.state.bitasset_data(cny).unwrap();
    assert_eq!(data.feeds.keys().copied().collect::<Vec<_>>(), vec![carol]);
    assert_eq!(data.current_feed.feed.settlement_price, Price::new(Asset::new(100, cny), Asset::core(1000)));
    // Two days later a maintenance has run: the feed, older than its 1-day lifetime, is erased.
    let t = b.chain.slot_time(2 * 86_400 / 5);
    b.chain.produce_block(t, &[], None).unwrap();
    assert!(b.chain.state.bitasset_data(cny).unwrap().feeds.is_empty());
}

#[test]
fn black_swan_waits_while_the_book_can_cover_the_worst_position() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    b.borrow(b.bob, 50_000, 1000, None);
    b.sell_usd(b.bob, 100, 1900);
    // F' = 100/1400: MSSP = 100/2100 < alice's 1000/20000 = 1/20, but bob's bid L = 100/1900
    // (× MCPR 1) is higher, so no swan yet: alice takes the order at L, paying floor(100 × 19) = 1900.
    // Then the book is empty and 900/18100 > 1/21: black swan at G = 900/18100.
    //   fund price G × 1.5 = 1350000/18100000 = 27/362 USD per core;
    //   alice (CR 20.1 ≤ 24.5) pays ceil(900 × 18100/900) = 18100, fund ceil(900 × 362/27) = 12067, fee 6033;
    //   bob (CR 50) pays ceil(1000 × 362/27) = 13408 into the fund.
    let applied = b.publish(100, 1400);
    let f = fills(&applied.virtual_ops);
    assert_eq!((f[0].account_id, f[0].pays, f[0].receives), (b.alice, Asset::core(1900), b.usd(100)));
    assert_eq!((f[1].account_id, f[1].pays, f[1].receives), (b.bob, b.usd(100), Asset::core(1900)));
    let bad = b.bad();
    assert!(bad.is_globally_settled());
    assert_eq!(bad.settlement_fund, 12_067 + 13_408);
    assert_eq!(bad.settlement_price, Price::new(b.usd(1900), Asset::core(25_475)));
    assert_eq!(b.collateral_fees(), 6033);
    assert_eq!(b.supply(), 1900);
    assert_eq!(b.chain.state.balance(b.bob, CORE), FUNDS - 50_000 + 1900 + (50_000 - 13_408));
}

#[test]
fn prediction_market_needs_backing_precision_and_equal_deltas() {
    let mut b = setup();
    let (nathan, alice) = (b.nathan, b.alice);
    let pm = |precision: u8| {
        let mut opts = bitasset_options(86_400, None);
        opts.short_backing_asset = CORE;
        AssetCreateOp {
            issuer: nathan,
            symbol: "WILLIT".into(),
            precision,
            common_options: AssetOptions {
                core_exchange_rate: Price::new(Asset::new(1, AssetId(1)), Asset::core(1)),
                issuer_permissions: ledger::ops::flags::GLOBAL_SETTLE
                    | ledger::ops::flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION,
                ..Default::default()
            },
            bitasset_opts: Some(opts),
            is_prediction_market: true,
            ..Default::default()
        }
    };
    let core_precision = b.chain.state.asset(CORE).unwrap().precision;
    let e = bitasset_err(b.push(vec![Operation::AssetCreate(pm(core_precision + 1))]));
    assert_eq!(e.code(), "prediction_market_precision");
    let applied = b.ok(Operation::AssetCreate(pm(core_precision)));
    let will = match applied.operation_results[0] {
        OperationResult::ObjectId(x) => AssetId::try_from(x).unwrap(),
        _ => unreachable!(),
    };
    let position = |c: i64, d: i64| {
        Operation::CallOrderUpdate(CallOrderUpdateOp {
            funding_account: alice,
            delta_collateral: Asset::core(c),
            delta_debt: Asset::new(d, will),
            ..Default::default()
        })
    };
    // No feed needed, but collateral must equal debt.
    assert_eq!(bitasset_err(b.push(vec![position(600, 500)])).code(), "call_order_invalid");
    b.ok(position(500, 500));
    assert_eq!(b.chain.state.balance(b.alice, will), 500);
    assert_eq!(b.chain.state.asset_dynamic_data(will).current_supply, 500);
}

#[test]
fn popping_a_global_settlement_block_restores_every_position() {
    let mut b = setup();
    b.publish(100, 1000);
    b.borrow(b.alice, 20_000, 1000, None);
    b.borrow(b.bob, 40_000, 1000, None);
    let before = (b.chain.state.state_hash, b.bad(), b.position(b.alice), b.position(b.bob), b.supply());
    b.publish(100, 1400);
    assert!(b.bad().is_globally_settled());
    b.chain.pop_block().expect("the settlement block is reversible");
    let after = (b.chain.state.state_hash, b.bad(), b.position(b.alice), b.position(b.bob), b.supply());
    assert_eq!(after, before);
    assert_eq!(b.chain.state.call_orders.index().by_collateral(b.usd).count(), 2);
    assert_eq!((b.core_in_orders(b.alice), b.core_in_orders(b.bob)), (20_000, 40_000));
}

// ---- asset_update on a market-issued asset (asset_evaluator.cpp, asset_update_evaluator) ----

impl Market {
    fn update_options(&mut self, f: impl FnOnce(&mut AssetOptions)) -> Result<Applied, Rejection> {
        let mut new_options = self.chain.state.asset(self.usd).unwrap().options.clone();
        f(&mut new_options);
        let op = AssetUpdateOp { issuer: self.nathan, asset_to_update: self.usd, new_options, ..Default::default() };
        self.push(vec![Operation::AssetUpdate(op)])
    }
}

#[test]
fn bitasset_flag_change_needs_the_enabling_permission() {
    let mut b = setup();
    // The default permissions (0x4f) lack disable_force_settle (0x10): the flag may not be set.
    match b.update_options(|o| o.flags |= flags::DISABLE_FORCE_SETTLE) {
        Err(Rejection::AssetUpdateForbidden { reason }) => {
            assert_eq!(reason, "flags 0x10 may not change: the issuer lacks those permissions")
        }
        other => panic!("expected asset_update_forbidden, got {other:?}"),
    }
    // With the permission granted first (no supply yet), it may.
    b.update_options(|o| o.issuer_permissions |= flags::DISABLE_FORCE_SETTLE).unwrap();
    b.update_options(|o| o.flags |= flags::DISABLE_FORCE_SETTLE).unwrap();
    assert_eq!(b.chain.state.asset(b.usd).unwrap().options.flags, flags::DISABLE_FORCE_SETTLE);
}

#[test]
fn bitasset_with_supply_cannot_regain_a_disable_bit() {
    let mut b = setup();
    b.update_options(|o| o.issuer_permissions |= flags::DISABLE_MCR_UPDATE).unwrap();
    b.publish(100, 1000);
    b.borrow(b.alice, 10_000, 100, None);
    // disable_mcr_update is a "disable" bit: clearing it would give the issuer back a power.
    match b.update_options(|o| o.issuer_permissions &= !flags::DISABLE_MCR_UPDATE) {
        Err(Rejection::AssetUpdateForbidden { reason }) => assert!(reason.starts_with("USD has supply"), "{reason}"),
        other => panic!("expected asset_update_forbidden, got {other:?}"),
    }
    // Setting another disable bit gives a power up and is allowed.
    b.update_options(|o| o.issuer_permissions |= flags::DISABLE_ICR_UPDATE).unwrap();
}

#[test]
fn bitasset_core_exchange_rate_follows_the_feed_after_update() {
    let mut b = setup();
    b.publish(100, 1000); // the feed's CER is 1 USD / 10 core
    let feed_cer = Price::new(b.usd(1), Asset::core(10));
    assert_eq!(b.chain.state.asset(b.usd).unwrap().options.core_exchange_rate, feed_cer);
    // The issuer sets 1 USD / 20 core; the end of the block copies the feed's rate back.
    b.update_options(|o| {
        o.core_exchange_rate = Price::new(Asset::new(1, o.core_exchange_rate.base.asset_id), Asset::core(20))
    })
    .unwrap();
    assert_eq!(b.chain.state.asset(b.usd).unwrap().options.core_exchange_rate, feed_cer);
    assert!(!b.bad().asset_cer_updated);
}

#[test]
fn user_issued_asset_refuses_market_only_permission_bits() {
    let mut b = setup();
    let create = AssetCreateOp {
        issuer: b.nathan,
        symbol: "UIA".into(),
        precision: 2,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::new(1, AssetId(1)), Asset::core(1)),
            ..Default::default()
        },
        ..Default::default()
    };
    let applied = b.ok(Operation::AssetCreate(create));
    let uia = match applied.operation_results[0] {
        OperationResult::ObjectId(o) => AssetId::try_from(o).unwrap(),
        ref other => panic!("asset_create returned {other:?}"),
    };
    let mut new_options = b.chain.state.asset(uia).unwrap().options.clone();
    new_options.issuer_permissions |= flags::WITNESS_FED_ASSET;
    let op = AssetUpdateOp { issuer: b.nathan, asset_to_update: uia, new_options, ..Default::default() };
    match b.push(vec![Operation::AssetUpdate(op)]) {
        Err(Rejection::AssetUpdateForbidden { reason }) => {
            assert_eq!(reason, "UIA is user-issued: permission bits 0x80 exist only for market-issued assets")
        }
        other => panic!("expected asset_update_forbidden, got {other:?}"),
    }
}

#[test]
fn disabling_force_settlement_refunds_pending_requests() {
    let mut b = setup();
    b.update_options(|o| o.issuer_permissions |= flags::DISABLE_FORCE_SETTLE).unwrap();
    b.publish(100, 1000);
    b.borrow(b.alice, 10_000, 100, None);
    let settle = Operation::AssetSettle(AssetSettleOp { account: b.alice, amount: b.usd(40), ..Default::default() });
    b.ok(settle);
    assert_eq!(b.chain.state.balance(b.alice, b.usd), 60);
    assert_eq!(b.chain.state.force_settlements.len(), 1);
    let applied = b.update_options(|o| o.flags |= flags::DISABLE_FORCE_SETTLE).unwrap();
    assert_eq!(b.chain.state.force_settlements.len(), 0);
    assert_eq!(b.chain.state.balance(b.alice, b.usd), 100);
    let cancels: Vec<_> = applied
        .virtual_ops
        .iter()
        .filter_map(|o| match o {
            Operation::AssetSettleCancel(c) => Some((c.account, c.amount)),
            _ => None,
        })
        .collect();
    assert_eq!(cancels, vec![(b.alice, b.usd(40))]);
}
