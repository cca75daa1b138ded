//! Scenario tests of force settlement, global settlement, collateral bids and revival
//! (PROTOCOL.md §5.8–§5.10), driving `Chain` directly with one transaction per produced block;
//! the state invariants ([`engine::bitasset::invariants`]) are checked after every block.
//! Fees are skipped (all ops pay 0) so amounts are the protocol arithmetic only.
//!
//! Setup: the dev genesis; `alice` = init0, `bob` = init1, `carol` = init2, issuer `nathan`, each
//! holding 1,000,000 core. `USD` is a core-backed bitasset (precision 4) with the global-settle
//! permission, feed producer nathan, force-settlement delay 3600 s, feed lifetime 7 days.
//! Unless a test says otherwise: F = 100 USD / 1000 core (10 core per USD), MCR 1750, MSSR 1500;
//! alice owes 1000 USD against 30000 core, bob 1000 USD against 40000 core, and alice gave carol
//! 100 USD.

mod common;

use common::{fills, Market, FUNDS};
use engine::bitasset::force_settle::SettleError;
use engine::bitasset::invariants::check_invariants;
use engine::chain::Applied;
use engine::evaluators::adjust_balance;
use engine::Rejection;
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, CORE_ASSET};
use ledger::ops::*;
use ledger::time::TimePointSec;

const DELAY: u32 = 3600;

type S = Market;

fn options() -> BitassetOptions {
    BitassetOptions {
        feed_lifetime_sec: 7 * 86_400,
        minimum_feeds: 1,
        force_settlement_delay_sec: DELAY,
        short_backing_asset: CORE_ASSET,
        ..Default::default()
    }
}

/// A bare chain with USD created (no feed, no positions).
fn setup_bare(options: BitassetOptions, prediction_market: bool) -> S {
    setup_flags(options, prediction_market, 0)
}

/// USD created with the given `flags`.
fn setup_flags(options: BitassetOptions, prediction_market: bool, asset_flags: u16) -> S {
    let mut s = Market::funded();
    s.next_block();
    let precision = if prediction_market { s.chain.state.asset(CORE_ASSET).unwrap().precision } else { 4 };
    let create = AssetCreateOp {
        issuer: s.nathan,
        symbol: "USD".into(),
        precision,
        common_options: AssetOptions {
            issuer_permissions: flags::GLOBAL_SETTLE | flags::DISABLE_FORCE_SETTLE,
            flags: asset_flags,
            core_exchange_rate: Price::new(Asset::new(1, AssetId(1)), Asset::core(10)),
            ..Default::default()
        },
        bitasset_opts: Some(options),
        is_prediction_market: prediction_market,
        ..Default::default()
    };
    let nathan = s.nathan;
    s.create_usd(create, &[nathan]);
    s
}

/// The standard positions: alice 1000 USD / 30000 core, bob 1000 USD / 40000 core, carol 100 USD.
fn setup_with(options: BitassetOptions) -> S {
    let mut s = setup_bare(options, false);
    s.publish(100, 1000);
    s.borrow(s.alice, 30_000, 1000);
    s.borrow(s.bob, 40_000, 1000);
    let give = TransferOp { from: s.alice, to: s.carol, amount: s.usd(100), ..Default::default() };
    s.ok(Operation::Transfer(give));
    s
}

fn setup() -> S {
    setup_with(options())
}

impl Market {
    /// Produce one empty block at the first slot at or after `t`.
    fn jump_to(&mut self, t: TimePointSec) {
        let slot = self.chain.slot_at_time(t).max(1);
        let mut at = self.chain.slot_time(slot);
        if at < t {
            at = self.chain.slot_time(slot + 1);
        }
        self.produce(at, &[]);
    }

    fn publish(&mut self, usd: i64, core: i64) -> Applied {
        self.ok(Operation::AssetPublishFeed(AssetPublishFeedOp {
            publisher: self.nathan,
            asset_id: self.usd,
            feed: PriceFeed {
                settlement_price: Price::new(self.usd(usd), Asset::core(core)),
                maintenance_collateral_ratio: 1750,
                maximum_short_squeeze_ratio: 1500,
                core_exchange_rate: Price::new(self.usd(1), Asset::core(10)),
            },
            ..Default::default()
        }))
    }

    fn borrow(&mut self, who: AccountId, collateral: i64, debt: i64) -> Applied {
        self.ok(Operation::CallOrderUpdate(CallOrderUpdateOp {
            funding_account: who,
            delta_collateral: Asset::core(collateral),
            delta_debt: self.usd(debt),
            ..Default::default()
        }))
    }

    fn settle_op(&self, who: AccountId, amount: i64) -> Operation {
        Operation::AssetSettle(AssetSettleOp { account: who, amount: self.usd(amount), ..Default::default() })
    }

    fn global_settle_op(&self, issuer: AccountId, usd: i64, core: i64) -> Operation {
        Operation::AssetGlobalSettle(AssetGlobalSettleOp {
            issuer,
            asset_to_settle: self.usd,
            settle_price: Price::new(self.usd(usd), Asset::core(core)),
            ..Default::default()
        })
    }

    fn bid_op(&self, who: AccountId, collateral: i64, debt: i64) -> Operation {
        Operation::BidCollateral(BidCollateralOp {
            bidder: who,
            additional_collateral: Asset::core(collateral),
            debt_covered: self.usd(debt),
            ..Default::default()
        })
    }

    fn balance(&self, who: AccountId, asset: AssetId) -> i64 {
        self.chain.state.balance(who, asset)
    }

    /// The pending requests as (owner, balance, settlement date).
    fn requests(&self) -> Vec<(AccountId, i64, u32)> {
        let s = &self.chain.state;
        s.force_settlements
            .index()
            .of_asset(self.usd)
            .map(|i| s.force_settlements.get(i).unwrap())
            .map(|r| (r.owner, r.balance.amount, r.settlement_date.0))
            .collect()
    }
}

fn settle_err(r: Result<Applied, Rejection>) -> SettleError {
    match r {
        Err(Rejection::Settle(e)) => e,
        other => panic!("expected a settlement rejection, got {other:?}"),
    }
}

#[test]
fn force_settle_waits_for_delay() {
    let mut s = setup();
    let head = s.chain.head_time().0;
    let applied = s.ok(s.settle_op(s.carol, 100));
    let due = head + DELAY;
    assert_eq!(s.requests(), vec![(s.carol, 100, due)]);
    assert_eq!(s.balance(s.carol, s.usd), 0, "the amount left the balance into the request");
    assert!(fills(&applied.virtual_ops).is_empty(), "no position is callable: nothing matched at once");
    // One slot before the date: still waiting.
    s.jump_to(TimePointSec(due - 5));
    assert_eq!(s.requests().len(), 1);
    assert_eq!(s.supply(), 2000);
    // At the date: 100 USD × 10 core/USD = 1000 core from the least collateralized position (alice).
    s.jump_to(TimePointSec(due));
    assert!(s.requests().is_empty());
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS + 1000);
    assert_eq!(s.position(s.alice), Some((29_000, 900)));
    assert_eq!(s.position(s.bob), Some((40_000, 1000)));
    assert_eq!(s.supply(), 1900);
    assert_eq!(s.bad().force_settled_volume, 100);
    let f = fills(&s.end_of_block);
    assert_eq!(f.len(), 2, "one fill for the position, one for the request");
    assert_eq!((f[0].pays, f[0].receives, f[0].is_maker), (Asset::core(1000), s.usd(100), true));
    assert_eq!(
        (f[1].account_id, f[1].pays, f[1].receives, f[1].is_maker),
        (s.carol, s.usd(100), Asset::core(1000), false)
    );
}

#[test]
fn force_settle_pays_feed_less_offset() {
    let mut o = options();
    o.force_settlement_offset_percent = 500;
    let mut s = setup_with(o);
    s.ok(s.settle_op(s.carol, 100));
    let due = s.requests()[0].2;
    s.jump_to(TimePointSec(due));
    // Price F / 0.95 = (1/10) × (20/19) = 2 USD / 19 core: 100 USD receive 950 core (5 % less).
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS + 950);
    assert_eq!(s.position(s.alice), Some((29_050, 900)));
    let f = fills(&s.end_of_block);
    assert_eq!(f[1].fill_price, Price::new(s.usd(2), Asset::core(19)));
}

#[test]
fn force_settle_volume_cap_per_interval() {
    let mut o = options();
    o.maximum_force_settlement_volume = 1000; // 10 % of the supply per maintenance interval
    let mut s = setup_with(o);
    s.ok(s.settle_op(s.carol, 100));
    let give = TransferOp { from: s.alice, to: s.carol, amount: s.usd(200), ..Default::default() };
    s.ok(Operation::Transfer(give));
    s.ok(s.settle_op(s.carol, 200));
    let due = s.requests()[1].2;
    s.jump_to(TimePointSec(due));
    // Cap = 2000 × 10 % = 200: the first request (100) and 100 of the second.
    assert_eq!(s.bad().force_settled_volume, 200);
    assert_eq!(s.supply(), 1800);
    assert_eq!(s.requests().iter().map(|r| r.1).collect::<Vec<_>>(), vec![100]);
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS + 2000);
    s.next_block();
    assert_eq!(s.requests().len(), 1, "the rest waits for the next interval");
    // Maintenance resets the volume; the same block settles the rest (cap (1800 + 0) × 10 % = 180).
    let maint = s.chain.state.dgp().next_maintenance_time;
    s.jump_to(maint);
    assert!(s.requests().is_empty());
    assert_eq!(s.bad().force_settled_volume, 100);
    assert_eq!(s.supply(), 1700);
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS + 3000);
}

#[test]
fn force_settle_fee_to_collateral_fees() {
    let mut o = options();
    o.extensions.force_settle_fee_percent = Some(100); // 1 %
    let mut s = setup_with(o);
    s.ok(s.settle_op(s.carol, 100));
    let due = s.requests()[0].2;
    s.jump_to(TimePointSec(due));
    // 1000 core gross, 1 % = 10 core to the asset's collateral fees.
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS + 990);
    assert_eq!(s.collateral_fees(), 10);
    let f = fills(&s.end_of_block);
    assert_eq!((f[1].receives, f[1].fee), (Asset::core(1000), Asset::core(10)));
}

#[test]
fn force_settle_matches_margin_call_immediately() {
    let mut o = options();
    o.extensions.margin_call_fee_ratio = Some(50);
    o.extensions.force_settle_fee_percent = Some(100);
    let mut s = setup_bare(o, false);
    s.publish(100, 1000);
    s.borrow(s.alice, 20_000, 1000);
    s.borrow(s.bob, 40_000, 1000);
    let give = TransferOp { from: s.alice, to: s.carol, amount: s.usd(100), ..Default::default() };
    s.ok(Operation::Transfer(give));
    // F = 12 core/USD: maintenance 21 core/USD, alice (20) is callable but no order takes her.
    s.publish(100, 1200);
    assert_eq!(s.position(s.alice), Some((20_000, 1000)));
    let applied = s.ok(s.settle_op(s.carol, 100));
    // MSSP = F × 1000/1500 = 18 core/USD paid by the position; MCOP = F × 1000/1450 = 17.4 core/USD
    // received: 1740 core; the 60 core difference is the margin-call fee; no force-settle fee.
    assert!(s.requests().is_empty(), "filled at once, no waiting");
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS + 1740);
    assert_eq!(s.position(s.alice), Some((18_200, 900)));
    assert_eq!(s.collateral_fees(), 60);
    assert_eq!(s.supply(), 1900);
    let f = fills(&applied.virtual_ops);
    assert_eq!((f[0].pays, f[0].fee, f[0].is_maker), (Asset::core(1800), Asset::core(60), true));
    assert_eq!((f[1].receives, f[1].fee, f[1].is_maker), (Asset::core(1740), Asset::core(0), false));
}

#[test]
fn force_settle_cancelled_without_feed() {
    let mut o = options();
    o.feed_lifetime_sec = 3000;
    let mut s = setup_with(o);
    let published = s.bad().current_feed_publication_time.0;
    s.ok(s.settle_op(s.carol, 100));
    let due = s.requests()[0].2;
    s.jump_to(TimePointSec(published + 3000));
    assert!(s.bad().current_feed.feed.settlement_price.is_null(), "the feed expired");
    assert_eq!(s.requests().len(), 1);
    s.jump_to(TimePointSec(due));
    assert!(s.requests().is_empty());
    assert_eq!(s.balance(s.carol, s.usd), 100, "refunded");
    assert_eq!(s.supply(), 2000);
    let cancels: Vec<_> = s
        .end_of_block
        .iter()
        .filter_map(|o| match o {
            Operation::AssetSettleCancel(c) => Some((c.account, c.amount)),
            _ => None,
        })
        .collect();
    assert_eq!(cancels, vec![(s.carol, s.usd(100))]);
}

#[test]
fn force_settle_refused_when_disabled_or_without_feed() {
    let mut s = setup_bare(options(), false);
    let r = s.push(s.settle_op(s.carol, 0));
    assert!(matches!(r, Err(Rejection::Bitasset(engine::bitasset::BitassetError::NoFeed { .. }))), "{r:?}");
    let mut s = setup_flags(options(), false, flags::DISABLE_FORCE_SETTLE);
    s.publish(100, 1000);
    s.borrow(s.alice, 30_000, 1000);
    assert_eq!(settle_err(s.push(s.settle_op(s.alice, 100))), SettleError::ForceSettleDisabled { asset: "USD".into() });
}

#[test]
fn asset_global_settle_by_issuer() {
    let mut s = setup();
    let r = s.push(s.global_settle_op(s.alice, 1, 20));
    assert!(matches!(r, Err(Rejection::NotIssuer { .. })), "{r:?}");
    // 1000 USD at 31 core/USD = 31000 > alice's 30000 collateral.
    let e = settle_err(s.push(s.global_settle_op(s.nathan, 1, 31)));
    assert_eq!(
        e,
        SettleError::SettlePriceTooHigh { asset: "USD".into(), collateral: 30_000, debt: 1000, needed: 31_000 }
    );
    // At 20 core/USD each position pays 20000 into the fund; the rest goes back to its owner.
    s.ok(s.global_settle_op(s.nathan, 1, 20));
    let bad = s.bad();
    assert_eq!(bad.settlement_fund, 40_000);
    assert_eq!(bad.settlement_price, Price::new(s.usd(2000), Asset::core(40_000)));
    assert_eq!((s.position(s.alice), s.position(s.bob)), (None, None));
    assert_eq!(s.balance(s.alice, CORE_ASSET), FUNDS - 20_000);
    assert_eq!(s.balance(s.bob, CORE_ASSET), FUNDS - 20_000);
    assert_eq!(s.supply(), 2000, "the supply stays, backed by the fund");
    let e = s.push(s.global_settle_op(s.nathan, 1, 20));
    assert!(matches!(e, Err(Rejection::Bitasset(engine::bitasset::BitassetError::GloballySettled { .. }))));
    let borrow = CallOrderUpdateOp {
        funding_account: s.alice,
        delta_collateral: Asset::core(30_000),
        delta_debt: s.usd(10),
        ..Default::default()
    };
    assert!(s.push(Operation::CallOrderUpdate(borrow)).is_err(), "no new debt after a global settlement");
}

#[test]
fn settle_after_global_settlement_pays_from_fund() {
    let mut s = setup();
    s.ok(s.global_settle_op(s.nathan, 1, 20));
    // 100 USD × 40000/2000 = 2000 core from the fund; MCOP = 15 core/USD values them at 1500,
    // the 500 above go to the collateral fees (CORE-2591).
    let applied = s.ok(s.settle_op(s.carol, 100));
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS + 1500);
    assert_eq!(s.collateral_fees(), 500);
    assert_eq!(s.bad().settlement_fund, 38_000);
    assert_eq!(s.supply(), 1900);
    let OperationResult::Extendable(r) = &applied.operation_results[0] else { panic!("{applied:?}") };
    assert_eq!(r.paid, Some(vec![s.usd(100)]));
    assert_eq!(r.received, Some(vec![Asset::core(1500)]));
    // Dust: 0.0001 USD would receive 20 core... at 1 unit: floor(1 × 20) = 20, so try a price
    // that rounds to nothing is impossible here; settling the whole supply empties the fund.
    s.ok(s.settle_op(s.bob, 1000));
    s.ok(s.settle_op(s.alice, 900));
    assert_eq!(s.supply(), 0);
    assert_eq!(s.bad().settlement_fund, 0);
}

#[test]
fn bid_collateral_revives_at_maintenance() {
    let mut s = setup();
    assert_eq!(
        settle_err(s.push(s.bid_op(s.carol, 100, 1000))),
        SettleError::NotGloballySettled { asset: "USD".into() }
    );
    s.ok(s.global_settle_op(s.nathan, 1, 20));
    // carol replaces a first bid: its 10 core come back.
    s.ok(s.bid_op(s.carol, 10, 1000));
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS - 10);
    s.ok(s.bid_op(s.carol, 20_000, 1000));
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS - 20_000);
    s.ok(s.bid_op(s.bob, 5000, 1500));
    s.ok(s.bid_op(s.alice, 1, 100));
    assert_eq!(s.chain.state.collateral_bids.iter().count(), 3);
    let maint = s.chain.state.dgp().next_maintenance_time;
    s.jump_to(maint);
    // Best first: carol (20 core/USD) takes 1000 USD with 1000 × 20 = 20000 from the fund;
    // bob (3.3) takes the remaining 1000 USD and the remaining 20000 of the fund; alice is refunded.
    assert_eq!(s.position(s.carol), Some((40_000, 1000)));
    assert_eq!(s.position(s.bob), Some((25_000, 1000)));
    assert_eq!(s.position(s.alice), None);
    assert_eq!(s.balance(s.alice, CORE_ASSET), FUNDS - 20_000);
    let bad = s.bad();
    assert!(!bad.is_globally_settled());
    assert_eq!(bad.settlement_fund, 0);
    assert_eq!(s.chain.state.collateral_bids.iter().count(), 0);
    let executed: Vec<_> = s
        .end_of_block
        .iter()
        .filter_map(|o| match o {
            Operation::ExecuteBid(e) => Some((e.bidder, e.debt.amount, e.collateral.amount)),
            _ => None,
        })
        .collect();
    assert_eq!(executed, vec![(s.carol, 1000, 40_000), (s.bob, 1000, 25_000)]);
}

#[test]
fn bids_not_covering_the_supply_wait() {
    let mut s = setup();
    s.ok(s.global_settle_op(s.nathan, 1, 20));
    s.ok(s.bid_op(s.carol, 20_000, 1000));
    let maint = s.chain.state.dgp().next_maintenance_time;
    s.jump_to(maint);
    assert!(s.bad().is_globally_settled(), "1000 of 2000 USD covered: no revival");
    assert_eq!(s.chain.state.collateral_bids.iter().count(), 1);
    // Withdrawing the bid refunds it.
    s.ok(s.bid_op(s.carol, 0, 0));
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS);
}

#[test]
fn feed_update_revives_when_the_fund_covers_the_initial_ratio() {
    let mut s = setup();
    s.ok(s.global_settle_op(s.nathan, 1, 20));
    // Fund 40000 core for 2000 USD = 20 core/USD; at F = 11 core/USD the initial collateralization
    // is 19.25: the issuer takes the whole supply and fund as one position.
    s.publish(100, 1100);
    assert!(!s.bad().is_globally_settled());
    assert_eq!(s.position(s.nathan), Some((40_000, 2000)));
}

#[test]
fn prediction_market_resolves_by_global_settle() {
    let mut s = setup_bare(options(), true);
    s.borrow(s.alice, 1000, 1000);
    s.borrow(s.bob, 500, 500);
    let give = TransferOp { from: s.alice, to: s.carol, amount: s.usd(300), ..Default::default() };
    s.ok(Operation::Transfer(give));
    assert_eq!(
        settle_err(s.push(s.settle_op(s.carol, 300))),
        SettleError::PredictionMarketNotResolved { asset: "USD".into() }
    );
    // Resolved "yes" at 1:1: every position pays its debt into the fund.
    s.ok(s.global_settle_op(s.nathan, 1, 1));
    assert_eq!(s.bad().settlement_fund, 1500);
    s.ok(s.settle_op(s.carol, 300));
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS + 300);
    assert_eq!(s.collateral_fees(), 0, "no MCOP fee on a prediction market");
    assert_eq!(settle_err(s.push(s.bid_op(s.carol, 10, 10))), SettleError::PredictionMarketBid { asset: "USD".into() });
}

#[test]
fn prediction_market_resolved_no_pays_nothing() {
    let mut s = setup_bare(options(), true);
    s.borrow(s.alice, 1000, 1000);
    let give = TransferOp { from: s.alice, to: s.carol, amount: s.usd(300), ..Default::default() };
    s.ok(Operation::Transfer(give));
    // Resolved "no" at 1 USD / 0 core: positions get all their collateral back, holders nothing.
    s.ok(s.global_settle_op(s.nathan, 1, 0));
    assert_eq!(s.balance(s.alice, CORE_ASSET), FUNDS);
    assert_eq!(s.bad().settlement_fund, 0);
    s.ok(s.settle_op(s.carol, 300));
    assert_eq!(s.balance(s.carol, CORE_ASSET), FUNDS);
    assert_eq!(s.supply(), 700);
}

#[test]
fn invariants_catch_a_corrupted_state() {
    let mut s = setup();
    assert_eq!(check_invariants(&s.chain.state), Ok(()));
    let inst = s.chain.state.call_orders.index().find(s.alice, s.usd).unwrap();
    s.chain.state.call_orders.modify(inst, |c| c.debt += 1);
    let e = check_invariants(&s.chain.state).unwrap_err();
    assert!(e.contains("positions owe 2001"), "{e}");
    s.chain.state.call_orders.modify(inst, |c| c.debt -= 1);
    let (carol, one) = (s.carol, s.usd(1));
    adjust_balance(&mut s.chain.state, carol, one).unwrap();
    let e = check_invariants(&s.chain.state).unwrap_err();
    assert!(e.contains("current_supply 2000 but 2001 is held"), "{e}");
}

#[test]
fn global_settlement_cancels_pending_requests() {
    let mut s = setup();
    s.ok(s.settle_op(s.carol, 100));
    assert_eq!(s.requests().len(), 1);
    // The request waits for its date; the global settlement's block cancels and refunds it.
    s.ok(s.global_settle_op(s.nathan, 1, 20));
    assert!(s.requests().is_empty());
    assert_eq!(s.balance(s.carol, s.usd), 100);
    let cancelled =
        s.end_of_block.iter().any(|o| matches!(o, Operation::AssetSettleCancel(c) if c.amount == s.usd(100)));
    assert!(cancelled);
}

#[test]
fn settling_a_disabled_asset_is_allowed_after_global_settlement() {
    let mut s = setup_flags(options(), false, flags::DISABLE_FORCE_SETTLE);
    s.publish(100, 1000);
    s.borrow(s.alice, 30_000, 1000);
    s.ok(s.global_settle_op(s.nathan, 1, 20));
    // 100 USD × 20000/1000 = 2000 core; MCOP 15 core/USD keeps 1500 for the settler.
    s.ok(s.settle_op(s.alice, 100));
    assert_eq!(s.balance(s.alice, CORE_ASSET), FUNDS - 20_000 + 1500);
    assert_eq!(s.collateral_fees(), 500);
}
