//! Differential property test: random command streams drive the fast `OrderBook` and the
//! obvious `ReferenceBook`; after every command both must have returned the same result and
//! events, and hold the same state (full depth, every order's remainder, best prices).
//!
//! Streams mix new orders (GTC / IOC / FOK) at grid prices with several representations of one
//! value, at extreme ratios and with dust-sized amounts; cancels; updates of price and amount
//! (including invalid ones); and ids that do not exist or already exist. Seeded, so a failure
//! names the seed and command that reproduce it.

use engine::dex::seeded::SplitMix64;
use engine::dex::{
    BookEvent, LimitOrderBook, MarketPair, Order, OrderBook, ReferenceBook, Side, TakerOutcome, TimeInForce,
};
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, LimitOrderId};
use std::collections::BTreeMap;

const A: AssetId = AssetId(1);
const B: AssetId = AssetId(2);

#[derive(Clone, Copy, Debug)]
enum Command {
    Create(Order, TimeInForce),
    Cancel(LimitOrderId),
    Update(LimitOrderId, Option<Price>, i64),
}

/// A price for `side` near the grid; `extreme` picks unrelated huge or tiny ratios.
fn random_price(rng: &mut SplitMix64, side: Side, extreme: bool) -> Price {
    let (sell, recv) = if side == Side::Ask { (A, B) } else { (B, A) };
    let (s, r) = if extreme {
        (rng.range(1, 1_000_000_000), rng.range(1, 1_000_000_000) / rng.range(1, 1_000_000).max(1) + 1)
    } else {
        // Tick t: 10 A are worth t B. Asks sell 10k A for t·k B, bids sell t·k B for 10k A;
        // k gives several representations of one value.
        let t = rng.range(90, 110);
        let k = rng.range(1, 3);
        if side == Side::Ask {
            (10 * k, t * k)
        } else {
            (t * k, 10 * k)
        }
    };
    if extreme && rng.chance(50) {
        Price::new(Asset::new(r, sell), Asset::new(s, recv))
    } else {
        Price::new(Asset::new(s, sell), Asset::new(r, recv))
    }
}

fn random_amount(rng: &mut SplitMix64) -> i64 {
    match rng.below(10) {
        0..=2 => rng.range(1, 12),         // dust-sized
        3..=7 => rng.range(10, 2_000),     // ordinary
        _ => rng.range(1_000, 10_000_000), // large
    }
}

struct Stream {
    rng: SplitMix64,
    next_id: u64,
    extreme: bool,
    sides: BTreeMap<LimitOrderId, Side>,
}

impl Stream {
    fn command(&mut self, live: &[LimitOrderId]) -> Command {
        let rng = &mut self.rng;
        let pick_live = |rng: &mut SplitMix64| {
            if live.is_empty() || rng.chance(5) {
                LimitOrderId(rng.below(self.next_id + 2))
            } else {
                live[rng.below(live.len() as u64) as usize]
            }
        };
        match rng.below(100) {
            0..=54 => {
                let side = if rng.chance(50) { Side::Ask } else { Side::Bid };
                let extreme = self.extreme && rng.chance(30);
                let sell_price = random_price(rng, side, extreme);
                let id = if rng.chance(2) && self.next_id > 0 {
                    LimitOrderId(rng.below(self.next_id))
                } else {
                    self.next_id += 1;
                    LimitOrderId(self.next_id)
                };
                let seller = AccountId(rng.range(10, 14) as u64);
                let tif = match rng.below(10) {
                    0 => TimeInForce::ImmediateOrCancel,
                    1 => TimeInForce::FillOrKill,
                    _ => TimeInForce::GoodTilCancelled,
                };
                self.sides.entry(id).or_insert(side);
                Command::Create(Order { id, seller, for_sale: random_amount(rng), sell_price }, tif)
            }
            55..=69 => Command::Cancel(pick_live(rng)),
            _ => {
                let id = pick_live(rng);
                let own = self.sides.get(&id).copied().unwrap_or(Side::Ask);
                let side = if rng.chance(95) { own } else { own.opposite() };
                let extreme = self.extreme && rng.chance(20);
                let new_price = if rng.chance(70) { Some(random_price(rng, side, extreme)) } else { None };
                let delta = match rng.below(4) {
                    0 => 0,
                    1 => rng.range(1, 1_000),
                    2 => -rng.range(1, 50),
                    _ => -rng.range(1, 5_000),
                };
                Command::Update(id, new_price, delta)
            }
        }
    }
}

fn apply<B: LimitOrderBook>(
    book: &mut B,
    cmd: Command,
    events: &mut Vec<BookEvent>,
) -> Result<Option<TakerOutcome>, engine::dex::BookError> {
    match cmd {
        Command::Create(o, tif) => book.match_taker(o, tif, events).map(Some),
        Command::Cancel(id) => Ok(book.cancel(id).map(|o| TakerOutcome::Cancelled { refund: o.for_sale })),
        Command::Update(id, p, d) => book.update(id, p, d, events).map(Some),
    }
}

fn run_stream(seed: u64, commands: usize, extreme: bool) -> (usize, usize) {
    let pair = MarketPair::new(A, B);
    let mut fast = OrderBook::new(pair);
    // Park few empty levels so that compaction runs often.
    fast.set_empty_level_slack(if seed & 1 == 0 { 2 } else { 64 });
    let mut reference = ReferenceBook::new(pair);
    let mut stream = Stream { rng: SplitMix64(seed), next_id: 0, extreme, sides: BTreeMap::new() };
    let (mut ev_fast, mut ev_ref) = (Vec::new(), Vec::new());
    let mut live: Vec<LimitOrderId> = Vec::new();
    let (mut fills, mut max_len) = (0, 0);
    for n in 0..commands {
        let cmd = stream.command(&live);
        ev_fast.clear();
        ev_ref.clear();
        let r_fast = apply(&mut fast, cmd, &mut ev_fast);
        let r_ref = apply(&mut reference, cmd, &mut ev_ref);
        let ctx = || format!("seed {seed} command #{n}: {cmd:?}");
        assert_eq!(r_fast, r_ref, "result differs, {}", ctx());
        assert_eq!(ev_fast, ev_ref, "events differ, {}", ctx());
        if matches!(r_fast, Ok(Some(TakerOutcome::Killed))) || r_fast.is_err() {
            assert!(ev_fast.is_empty(), "a refused command emitted events, {}", ctx());
        }
        fills += ev_fast.iter().filter(|e| matches!(e, BookEvent::Fill(_))).count();
        fast.check_invariants();
        assert_eq!(fast.depth(usize::MAX), reference.depth(usize::MAX), "depth differs, {}", ctx());
        assert_eq!(fast.depth(3), reference.depth(3), "top depth differs, {}", ctx());
        assert_eq!(fast.len(), reference.len(), "{}", ctx());
        assert_eq!(fast.best_ask(), reference.best_ask(), "{}", ctx());
        assert_eq!(fast.best_bid(), reference.best_bid(), "{}", ctx());
        if let Command::Create(o, _) = cmd {
            live.push(o.id);
        }
        live.retain(|id| reference.get(*id).is_some());
        for id in &live {
            assert_eq!(fast.get(*id), reference.get(*id), "order {id} differs, {}", ctx());
        }
        if n & 63 == 0 {
            for seller in 10..15 {
                assert_eq!(fast.orders_of(AccountId(seller)), reference.orders_of(AccountId(seller)), "{}", ctx());
            }
        }
        max_len = max_len.max(fast.len());
    }
    (fills, max_len)
}

#[test]
fn fast_book_matches_reference_on_grid_prices() {
    let mut fills = 0;
    for seed in 0..40 {
        fills += run_stream(seed, 600, false).0;
    }
    // The streams must actually trade, or the test proves little.
    assert!(fills > 2_000, "only {fills} fills");
}

#[test]
fn fast_book_matches_reference_with_extreme_ratios() {
    let mut fills = 0;
    for seed in 1_000..1_030 {
        fills += run_stream(seed, 600, true).0;
    }
    assert!(fills > 1_000, "only {fills} fills");
}

#[test]
fn fast_book_matches_reference_on_a_long_stream() {
    // Long enough for levels to empty, be parked, revived and compacted.
    let (fills, max_len) = run_stream(77, 8_000, false);
    assert!(fills > 1_000 && max_len > 50, "fills {fills}, max len {max_len}");
}
