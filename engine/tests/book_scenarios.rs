//! Scenario tests of the limit-order rules of PROTOCOL.md §5.2 with exact amounts, run against
//! both the fast and the reference book. Market: A = 1.3.1 (base), B = 1.3.2 (quote). Asks sell
//! A; bids sell B.

use engine::dex::{
    BookError, BookEvent, Cull, Fill, LimitOrderBook, MarketPair, Order, OrderBook, ReferenceBook, TakerOutcome,
    TimeInForce,
};
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, LimitOrderId};

const A: AssetId = AssetId(1);
const B: AssetId = AssetId(2);
const GTC: TimeInForce = TimeInForce::GoodTilCancelled;

fn ask_price(a: i64, b: i64) -> Price {
    Price::new(Asset::new(a, A), Asset::new(b, B))
}
fn bid_price(b: i64, a: i64) -> Price {
    Price::new(Asset::new(b, B), Asset::new(a, A))
}
fn ask(id: u64, for_sale: i64, a: i64, b: i64) -> Order {
    Order { id: LimitOrderId(id), seller: AccountId(100 + id), for_sale, sell_price: ask_price(a, b) }
}
fn bid(id: u64, for_sale: i64, b: i64, a: i64) -> Order {
    Order { id: LimitOrderId(id), seller: AccountId(100 + id), for_sale, sell_price: bid_price(b, a) }
}

/// The fill event of `o` paying `pays` of what it sells and receiving `receives`.
fn fill(o: &Order, pays: i64, receives: i64, price: Price, is_maker: bool) -> BookEvent {
    BookEvent::Fill(Fill {
        order_id: o.id,
        seller: o.seller,
        pays: Asset::new(pays, o.sell_price.base.asset_id),
        receives: Asset::new(receives, o.sell_price.quote.asset_id),
        fill_price: price,
        is_maker,
    })
}
fn cull(o: &Order, refund: i64) -> BookEvent {
    BookEvent::Cull(Cull { order_id: o.id, seller: o.seller, refund: Asset::new(refund, o.sell_price.base.asset_id) })
}

/// Run one scenario on both books.
fn both(scenario: impl Fn(&mut dyn LimitOrderBook)) {
    let pair = MarketPair::new(A, B);
    scenario(&mut OrderBook::new(pair));
    scenario(&mut ReferenceBook::new(pair));
}

fn place(book: &mut dyn LimitOrderBook, o: Order, tif: TimeInForce) -> (TakerOutcome, Vec<BookEvent>) {
    let mut ev = Vec::new();
    let out = book.match_taker(o, tif, &mut ev).expect("valid order");
    (out, ev)
}

fn remaining(book: &dyn LimitOrderBook, id: u64) -> Option<i64> {
    book.get(LimitOrderId(id)).map(|o| o.for_sale)
}

#[test]
fn larger_taker_fills_maker_and_rests() {
    both(|book| {
        let maker = ask(1, 100, 1, 2); // 100 A at 2 B each
        assert_eq!(place(book, maker, GTC).0, TakerOutcome::Rested { for_sale: 100 });
        let taker = bid(2, 300, 2, 1);
        let (out, ev) = place(book, taker, GTC);
        let p = maker.sell_price;
        assert_eq!(ev, vec![fill(&taker, 200, 100, p, false), fill(&maker, 100, 200, p, true)]);
        assert_eq!(out, TakerOutcome::Rested { for_sale: 100 });
        assert_eq!((remaining(book, 1), remaining(book, 2)), (None, Some(100)));
        assert_eq!(book.best_bid(), Some(taker.sell_price));
        assert_eq!(book.best_ask(), None);
    });
}

#[test]
fn smaller_taker_is_filled_and_maker_keeps_the_rest() {
    both(|book| {
        let maker = ask(1, 100, 1, 2);
        place(book, maker, GTC);
        let taker = bid(2, 50, 2, 1);
        let (out, ev) = place(book, taker, GTC);
        let p = maker.sell_price;
        assert_eq!(ev, vec![fill(&taker, 50, 25, p, false), fill(&maker, 25, 50, p, true)]);
        assert_eq!(out, TakerOutcome::Filled);
        assert_eq!(remaining(book, 1), Some(75));
        assert_eq!(book.len(), 1);
    });
}

#[test]
fn fills_happen_at_the_makers_price() {
    both(|book| {
        let maker = ask(1, 10, 1, 3); // asks 3 B per A
        place(book, maker, GTC);
        let taker = bid(2, 40, 4, 1); // would pay up to 4 B per A
        let (out, ev) = place(book, taker, GTC);
        // Maker worth 30 B: it receives 30 B, the taker 10 A; the taker's 10 B rest.
        assert_eq!(
            ev,
            vec![fill(&taker, 30, 10, maker.sell_price, false), fill(&maker, 10, 30, maker.sell_price, true)]
        );
        assert_eq!(out, TakerOutcome::Rested { for_sale: 10 });
    });
}

#[test]
fn price_time_priority_with_equal_values_in_other_terms() {
    both(|book| {
        let first_at_half = ask(1, 10, 2, 4);
        let second_at_half = ask(2, 10, 1, 2);
        let best = ask(3, 10, 1, 1); // 1 B per A: the cheapest ask, matched first
        for o in [first_at_half, second_at_half, best] {
            place(book, o, GTC);
        }
        let depth = book.depth(5);
        assert_eq!(depth.asks.len(), 2);
        assert_eq!((depth.asks[1].price, depth.asks[1].for_sale, depth.asks[1].orders), (ask_price(1, 2), 20, 2));
        let taker = bid(4, 25, 2, 1);
        let (out, ev) = place(book, taker, GTC);
        // 10 B buy all of order 3; 15 B meet order 1 (older of the 2 B/A level) and receive
        // floor(15/2) = 7 A for ceil(7×2) = 14 B; the last 1 B would buy nothing and is culled.
        assert_eq!(
            ev,
            vec![
                fill(&taker, 10, 10, best.sell_price, false),
                fill(&best, 10, 10, best.sell_price, true),
                fill(&taker, 14, 7, first_at_half.sell_price, false),
                cull(&taker, 1),
                fill(&first_at_half, 7, 14, first_at_half.sell_price, true),
            ]
        );
        assert_eq!(out, TakerOutcome::Culled);
        assert_eq!((remaining(book, 1), remaining(book, 2), remaining(book, 3)), (Some(3), Some(10), None));
    });
}

#[test]
fn taker_whose_remainder_receives_nothing_is_culled_without_a_fill() {
    both(|book| {
        let small = ask(1, 1, 1, 2);
        let next = ask(2, 10, 1, 2);
        place(book, small, GTC);
        place(book, next, GTC);
        let taker = bid(3, 3, 3, 1); // 3 B, wants at least 1 A
        let (out, ev) = place(book, taker, GTC);
        // Order 1 is worth 2 B: taker pays 2, receives 1 A; its last 1 B buys floor(0.5) = 0 A
        // from order 2, so nothing is exchanged and the taker is culled.
        assert_eq!(
            ev,
            vec![
                fill(&taker, 2, 1, small.sell_price, false),
                fill(&small, 1, 2, small.sell_price, true),
                cull(&taker, 1)
            ]
        );
        assert_eq!(out, TakerOutcome::Culled);
        assert_eq!(remaining(book, 2), Some(10));
    });
}

#[test]
fn smaller_taker_pays_the_ceiling_and_loses_the_rest() {
    both(|book| {
        let maker = ask(1, 100, 3, 10);
        place(book, maker, GTC);
        let taker = bid(2, 8, 10, 3);
        let (out, ev) = place(book, taker, GTC);
        // floor(8×3/10) = 2 A received for ceil(2×10/3) = 7 B; 1 B left buys nothing.
        assert_eq!(
            ev,
            vec![
                fill(&taker, 7, 2, maker.sell_price, false),
                cull(&taker, 1),
                fill(&maker, 2, 7, maker.sell_price, true)
            ]
        );
        assert_eq!(out, TakerOutcome::Culled);
        assert_eq!(remaining(book, 1), Some(98));
    });
}

#[test]
fn maker_remainder_that_receives_nothing_is_culled() {
    both(|book| {
        let maker = ask(1, 10, 7, 2); // 10 A at 2 B per 7 A: worth floor(20/7) = 2 B
        place(book, maker, GTC);
        let taker = bid(2, 5, 2, 7);
        let (out, ev) = place(book, taker, GTC);
        // The maker receives 2 B and pays ceil(2×7/2) = 7 A; its 3 A would get floor(6/7) = 0.
        assert_eq!(
            ev,
            vec![
                fill(&taker, 2, 7, maker.sell_price, false),
                fill(&maker, 7, 2, maker.sell_price, true),
                cull(&maker, 3)
            ]
        );
        assert_eq!(out, TakerOutcome::Rested { for_sale: 3 });
        assert_eq!(book.best_ask(), None);
    });
}

#[test]
fn fill_or_kill_that_would_rest_changes_nothing() {
    both(|book| {
        place(book, ask(1, 10, 1, 2), GTC);
        place(book, ask(2, 10, 1, 3), GTC);
        let before = book.depth(10);
        let mut ev = Vec::new();
        // 100 B at up to 3 B/A can take both asks (20 + 30 B) and would rest 50 B.
        assert_eq!(book.match_taker(bid(3, 100, 3, 1), TimeInForce::FillOrKill, &mut ev), Ok(TakerOutcome::Killed));
        assert!(ev.is_empty());
        assert_eq!(book.depth(10), before);
        assert_eq!(book.len(), 2);
        // 50 B exactly: both filled, the taker too.
        let (out, ev) = place(book, bid(4, 50, 3, 1), TimeInForce::FillOrKill);
        assert_eq!((out, ev.len()), (TakerOutcome::Filled, 4));
        assert!(book.is_empty());
    });
}

#[test]
fn fill_or_kill_whose_remainder_is_culled_succeeds() {
    both(|book| {
        let maker = ask(1, 100, 3, 10);
        place(book, maker, GTC);
        let (out, ev) = place(book, bid(2, 8, 10, 3), TimeInForce::FillOrKill);
        assert_eq!((out, ev.len()), (TakerOutcome::Culled, 3));
    });
}

#[test]
fn immediate_or_cancel_returns_the_remainder() {
    both(|book| {
        place(book, ask(1, 10, 1, 2), GTC);
        let (out, ev) = place(book, bid(2, 50, 2, 1), TimeInForce::ImmediateOrCancel);
        assert_eq!((out, ev.len()), (TakerOutcome::Cancelled { refund: 30 }, 2));
        assert!(book.is_empty());
    });
}

#[test]
fn update_keeps_time_priority_by_id() {
    both(|book| {
        place(book, ask(1, 10, 1, 2), GTC);
        place(book, ask(2, 10, 1, 2), GTC);
        let mut ev = Vec::new();
        // Order 1 moves away and back: it keeps its id, so it is again ahead of order 2.
        assert_eq!(
            book.update(LimitOrderId(1), Some(ask_price(1, 3)), 0, &mut ev),
            Ok(TakerOutcome::Rested { for_sale: 10 })
        );
        assert_eq!(book.best_ask(), Some(ask_price(1, 2)));
        assert_eq!(
            book.update(LimitOrderId(1), Some(ask_price(2, 4)), 5, &mut ev),
            Ok(TakerOutcome::Rested { for_sale: 15 })
        );
        assert!(ev.is_empty());
        let taker = bid(3, 4, 2, 1);
        let (_, ev) = place(book, taker, GTC);
        assert_eq!(ev[1], fill(&ask(1, 15, 2, 4), 2, 4, ask_price(2, 4), true));
        assert_eq!((remaining(book, 1), remaining(book, 2)), (Some(13), Some(10)));
    });
}

#[test]
fn update_that_crosses_matches_as_taker() {
    both(|book| {
        let maker = bid(1, 20, 2, 1); // pays 2 B per A
        place(book, maker, GTC);
        place(book, ask(2, 4, 1, 3), GTC);
        let mut ev = Vec::new();
        let out = book.update(LimitOrderId(2), Some(ask_price(1, 2)), 0, &mut ev);
        // The ask now sells 4 A at 2 B each against the bid's price 2 B/1 A: 4 A ≤ 20 B worth.
        let moved = ask(2, 4, 1, 2);
        assert_eq!(out, Ok(TakerOutcome::Filled));
        assert_eq!(ev, vec![fill(&moved, 4, 8, maker.sell_price, false), fill(&maker, 8, 4, maker.sell_price, true)]);
        assert_eq!(remaining(book, 1), Some(12));
    });
}

#[test]
fn invalid_commands_change_nothing() {
    both(|book| {
        place(book, ask(1, 10, 1, 2), GTC);
        let before = book.depth(10);
        let mut ev = Vec::new();
        let id = LimitOrderId(1);
        assert!(matches!(book.update(id, Some(ask_price(100, 1)), -9, &mut ev), Err(BookError::Dust { .. })));
        assert!(matches!(book.update(id, None, -10, &mut ev), Err(BookError::BadAmount { .. })));
        assert!(matches!(
            book.update(id, Some(bid_price(1, 2)), 0, &mut ev),
            Err(BookError::PriceAssetsChanged { .. })
        ));
        assert!(matches!(book.update(LimitOrderId(9), None, 1, &mut ev), Err(BookError::UnknownOrder { .. })));
        assert!(matches!(book.match_taker(ask(1, 5, 1, 2), GTC, &mut ev), Err(BookError::DuplicateOrder { .. })));
        assert!(matches!(book.insert(bid(5, 10, 3, 1)), Err(BookError::Crossing { .. })));
        let wrong = Order { sell_price: Price::new(Asset::new(1, A), Asset::new(1, AssetId(7))), ..ask(6, 1, 1, 1) };
        assert!(matches!(book.match_taker(wrong, GTC, &mut ev), Err(BookError::WrongMarket { .. })));
        assert!(ev.is_empty());
        assert_eq!(book.depth(10), before);
        assert_eq!(book.cancel(LimitOrderId(1)).map(|o| o.for_sale), Some(10));
        assert!(book.is_empty());
    });
}

#[test]
fn orders_of_lists_an_accounts_orders_by_id() {
    both(|book| {
        let mut o3 = ask(3, 10, 1, 5);
        o3.seller = AccountId(101);
        place(book, o3, GTC);
        place(book, ask(1, 10, 1, 4), GTC);
        place(book, ask(2, 10, 1, 4), GTC);
        let ids: Vec<u64> = book.orders_of(AccountId(101)).iter().map(|o| o.id.0).collect();
        assert_eq!(ids, vec![1, 3]);
    });
}

/// The level log reports a touched level once per drain with its state, and switching the log
/// off and on again starts clean: a level touched before is reported again when touched after.
#[test]
fn level_log_reports_each_touched_level_once_and_restarts_clean() {
    let (a, b) = (AssetId(1), AssetId(2));
    let price = Price::new(Asset::new(10, a), Asset::new(20, b));
    let mut books = engine::dex::Books::new();
    books.log_levels(true);
    books.place(1, AccountId(7), 100, &price);
    books.place(2, AccountId(8), 50, &price);
    books.set_for_sale(1, &price, 60);
    let changes = books.drain_level_changes();
    assert_eq!(changes.len(), 1, "{changes:?}");
    // 10 a for 20 b is reported in lowest terms.
    assert_eq!(changes[0].price, Price::new(Asset::new(1, a), Asset::new(2, b)));
    assert_eq!((changes[0].for_sale, changes[0].orders), (110, 2));
    assert!(books.drain_level_changes().is_empty());
    // Touched while logging, then the log is switched off before a drain: its mark must go too.
    books.set_for_sale(2, &price, 40);
    books.log_levels(false);
    books.log_levels(true);
    books.set_for_sale(1, &price, 30);
    let changes = books.drain_level_changes();
    assert_eq!(changes.iter().map(|c| (c.for_sale, c.orders)).collect::<Vec<_>>(), vec![(70, 2)]);
    books.take_out(1, &price);
    books.take_out(2, &price);
    let changes = books.drain_level_changes();
    assert_eq!(changes.iter().map(|c| (c.for_sale, c.orders)).collect::<Vec<_>>(), vec![(0, 0)]);
}
