//! Criterion micro-benchmarks of the fast order book: insert, cancel, and a taker matching
//! against 1 and 10 price levels. Each iteration restores the book state it consumed, so the
//! numbers are per operation on a warm book of ~1,000 orders.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use engine::dex::{LimitOrderBook, MarketPair, Order, OrderBook, TimeInForce};
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, LimitOrderId};

const A: AssetId = AssetId(1);
const B: AssetId = AssetId(2);

fn ask(id: u64, tick: i64, qty: i64) -> Order {
    let sell_price = Price::new(Asset::new(1, A), Asset::new(tick, B));
    Order { id: LimitOrderId(id), seller: AccountId(7), for_sale: qty, sell_price }
}

fn bid(id: u64, tick: i64, qty_a: i64) -> Order {
    let sell_price = Price::new(Asset::new(tick, B), Asset::new(1, A));
    Order { id: LimitOrderId(id), seller: AccountId(8), for_sale: qty_a * tick, sell_price }
}

/// 500 asks on ticks 1001..=1500 and 500 bids on 500..=999, 10 units each.
fn book() -> OrderBook {
    let mut b = OrderBook::with_capacity(MarketPair::new(A, B), 4096);
    for i in 0..500 {
        b.insert(ask(i + 1, 1001 + i as i64, 10)).unwrap();
        b.insert(bid(i + 501, 999 - i as i64, 10)).unwrap();
    }
    b
}

fn benches(c: &mut Criterion) {
    let mut events = Vec::with_capacity(64);
    let mut b = book();
    let mut id = 10_000u64;
    c.bench_function("insert+cancel resting order", |bn| {
        bn.iter(|| {
            id += 1;
            b.insert(ask(id, 1200, 10)).unwrap();
            black_box(b.cancel(LimitOrderId(id)));
        })
    });
    c.bench_function("cancel (mid-book, re-inserted untimed)", |bn| {
        bn.iter_batched_ref(
            || {
                let mut b = book();
                b.cancel(LimitOrderId(200));
                b.insert(ask(200, 1200, 10)).unwrap();
                b
            },
            |b| black_box(b.cancel(LimitOrderId(200))),
            BatchSize::SmallInput,
        )
    });
    for levels in [1i64, 10] {
        c.bench_function(&format!("match taker through {levels} level(s)"), |bn| {
            bn.iter_batched_ref(
                book,
                |b| {
                    events.clear();
                    let taker = bid(50_000, 1000 + levels, 10 * levels);
                    black_box(b.match_taker(taker, TimeInForce::ImmediateOrCancel, &mut events).unwrap())
                },
                BatchSize::LargeInput,
            )
        });
    }
}

criterion_group!(book_benches, benches);
criterion_main!(book_benches);
