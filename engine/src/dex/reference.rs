//! The reference order book: the rules of §5.2 written as plainly as possible, for the
//! differential test of the fast [`super::book::OrderBook`]. Not for production use.
//!
//! Orders live in a `BTreeMap` by id; each side is a `BTreeSet` of `(price, id)` keys ordered
//! as bitshares-core's `by_price` index: `price_cmp` descending, then id ascending. Every command
//! is a straight transcription of `apply_order` / `match` / `fill_limit_order` /
//! `maybe_cull_small_order`. No caching, no incremental aggregates.

use super::matching::{self, MatchResult, OrderView};
use super::{
    updated_order, validate_order, BookError, BookEvent, Cull, Depth, Fill, LevelView, LimitOrderBook, MarketPair,
    Order, Side, TakerOutcome, TimeInForce,
};
use ledger::asset::{price_cmp, Asset, Price};
use ledger::ids::{AccountId, LimitOrderId};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// A book key in matching order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    price: Price,
    id: LimitOrderId,
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        price_cmp(&other.price, &self.price).then(self.id.cmp(&other.id))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The obvious order book for one market pair.
#[derive(Clone, Debug)]
pub struct ReferenceBook {
    pair: MarketPair,
    orders: BTreeMap<LimitOrderId, Order>,
    sides: [BTreeSet<Key>; 2],
}

impl ReferenceBook {
    pub fn new(pair: MarketPair) -> Self {
        ReferenceBook { pair, orders: BTreeMap::new(), sides: [BTreeSet::new(), BTreeSet::new()] }
    }

    fn side_of(&self, o: &Order) -> Side {
        self.pair.side_of(o.sell_price.base.asset_id, o.sell_price.quote.asset_id).expect("validated order")
    }

    fn add(&mut self, o: Order) {
        let side = self.side_of(&o);
        self.sides[side.index()].insert(Key { price: o.sell_price, id: o.id });
        self.orders.insert(o.id, o);
    }

    fn remove(&mut self, id: LimitOrderId) -> Option<Order> {
        let o = self.orders.remove(&id)?;
        let side = self.side_of(&o);
        self.sides[side.index()].remove(&Key { price: o.sell_price, id });
        Some(o)
    }

    /// The first maker the taker would meet, if it satisfies the taker's price.
    fn first_crossing_maker(&self, taker: &Order) -> Option<Order> {
        let side = self.side_of(taker).opposite();
        let key = self.sides[side.index()].first()?;
        (price_cmp(&key.price, &taker.sell_price.invert()) != Ordering::Less).then(|| self.orders[&key.id])
    }

    /// Would this taker be gone after matching? Walks the makers without changing anything.
    fn would_be_gone(&self, taker: &Order) -> bool {
        let side = self.side_of(taker).opposite();
        let mut left = taker.for_sale;
        for key in &self.sides[side.index()] {
            if price_cmp(&key.price, &taker.sell_price.invert()) == Ordering::Less {
                break;
            }
            let maker = self.orders[&key.id];
            match matching::match_orders(&view(left, taker), &view(maker.for_sale, &maker)) {
                MatchResult::TakerDust => return true,
                MatchResult::Trade(t) => {
                    left -= t.taker_pays;
                    if left == 0 || t.cull_taker && matching::is_dust(left, &taker.sell_price) {
                        return true;
                    }
                }
            }
        }
        matching::is_dust(left, &taker.sell_price)
    }

    /// `apply_order` for an order that is not in the book: returns it if it is still alive.
    fn run_taker(&mut self, mut taker: Order, events: &mut Vec<BookEvent>) -> Option<Order> {
        while let Some(maker) = self.first_crossing_maker(&taker) {
            let trade = match matching::match_orders(&view(taker.for_sale, &taker), &view(maker.for_sale, &maker)) {
                // Nothing exchanged; the taker is culled below.
                MatchResult::TakerDust => break,
                MatchResult::Trade(t) => t,
            };
            let taker_alive =
                fill(&mut taker, trade.taker_pays, trade.taker_receives, trade.cull_taker, &maker, false, events);
            let mut maker_now = maker;
            let maker_alive = fill(&mut maker_now, trade.taker_receives, trade.taker_pays, true, &maker, true, events);
            self.remove(maker.id);
            if maker_alive {
                self.add(maker_now);
            }
            if !taker_alive {
                return None;
            }
        }
        if matching::is_dust(taker.for_sale, &taker.sell_price) {
            events.push(cull_event(&taker));
            return None;
        }
        Some(taker)
    }
}

fn view(for_sale: i64, o: &Order) -> OrderView {
    OrderView { for_sale, sell_price: o.sell_price }
}

fn cull_event(o: &Order) -> BookEvent {
    BookEvent::Cull(Cull {
        order_id: o.id,
        seller: o.seller,
        refund: Asset::new(o.for_sale, o.sell_price.base.asset_id),
    })
}

/// `fill_limit_order`: record the fill, reduce the order, cull it if asked and it became dust.
/// Returns whether the order is still alive.
fn fill(
    o: &mut Order,
    pays: i64,
    receives: i64,
    cull_if_small: bool,
    maker: &Order,
    is_maker: bool,
    events: &mut Vec<BookEvent>,
) -> bool {
    events.push(BookEvent::Fill(Fill {
        order_id: o.id,
        seller: o.seller,
        pays: Asset::new(pays, o.sell_price.base.asset_id),
        receives: Asset::new(receives, o.sell_price.quote.asset_id),
        fill_price: maker.sell_price,
        is_maker,
    }));
    o.for_sale -= pays;
    if o.for_sale == 0 {
        return false;
    }
    if cull_if_small && matching::is_dust(o.for_sale, &o.sell_price) {
        events.push(cull_event(o));
        return false;
    }
    true
}

impl LimitOrderBook for ReferenceBook {
    fn pair(&self) -> MarketPair {
        self.pair
    }

    fn insert(&mut self, order: Order) -> Result<(), BookError> {
        validate_order(&self.pair, &order)?;
        if self.orders.contains_key(&order.id) {
            return Err(BookError::DuplicateOrder { id: order.id });
        }
        if self.first_crossing_maker(&order).is_some() {
            return Err(BookError::Crossing { id: order.id });
        }
        self.add(order);
        Ok(())
    }

    fn match_taker(
        &mut self,
        order: Order,
        tif: TimeInForce,
        events: &mut Vec<BookEvent>,
    ) -> Result<TakerOutcome, BookError> {
        validate_order(&self.pair, &order)?;
        if self.orders.contains_key(&order.id) {
            return Err(BookError::DuplicateOrder { id: order.id });
        }
        if tif == TimeInForce::FillOrKill && !self.would_be_gone(&order) {
            return Ok(TakerOutcome::Killed);
        }
        let culls_before = events.len();
        let rest = self.run_taker(order, events);
        Ok(match rest {
            None => {
                let culled =
                    events[culls_before..].iter().any(|e| matches!(e, BookEvent::Cull(c) if c.order_id == order.id));
                if culled {
                    TakerOutcome::Culled
                } else {
                    TakerOutcome::Filled
                }
            }
            Some(o) if tif == TimeInForce::ImmediateOrCancel => TakerOutcome::Cancelled { refund: o.for_sale },
            Some(o) => {
                self.add(o);
                TakerOutcome::Rested { for_sale: o.for_sale }
            }
        })
    }

    fn cancel(&mut self, id: LimitOrderId) -> Option<Order> {
        self.remove(id)
    }

    fn update(
        &mut self,
        id: LimitOrderId,
        new_price: Option<Price>,
        delta_for_sale: i64,
        events: &mut Vec<BookEvent>,
    ) -> Result<TakerOutcome, BookError> {
        let old = *self.orders.get(&id).ok_or(BookError::UnknownOrder { id })?;
        let new = updated_order(&self.pair, &old, new_price, delta_for_sale)?;
        self.remove(id);
        let before = events.len();
        Ok(match self.run_taker(new, events) {
            Some(o) => {
                self.add(o);
                TakerOutcome::Rested { for_sale: o.for_sale }
            }
            None if events[before..].iter().any(|e| matches!(e, BookEvent::Cull(c) if c.order_id == id)) => {
                TakerOutcome::Culled
            }
            None => TakerOutcome::Filled,
        })
    }

    fn get(&self, id: LimitOrderId) -> Option<Order> {
        self.orders.get(&id).copied()
    }

    fn best(&self, side: Side) -> Option<Price> {
        self.sides[side.index()].first().map(|k| k.price)
    }

    fn depth(&self, levels: usize) -> Depth {
        let side_depth = |side: Side| {
            let mut out: Vec<LevelView> = Vec::new();
            for key in &self.sides[side.index()] {
                let o = &self.orders[&key.id];
                match out.last_mut() {
                    Some(l) if price_cmp(&l.price, &key.price) == Ordering::Equal => {
                        l.for_sale += o.for_sale;
                        l.orders += 1;
                    }
                    _ => {
                        if out.len() == levels {
                            break;
                        }
                        out.push(LevelView { price: matching::reduced(key.price), for_sale: o.for_sale, orders: 1 });
                    }
                }
            }
            out
        };
        Depth { asks: side_depth(Side::Ask), bids: side_depth(Side::Bid) }
    }

    fn orders_of(&self, seller: AccountId) -> Vec<Order> {
        self.orders.values().filter(|o| o.seller == seller).copied().collect()
    }

    fn len(&self) -> usize {
        self.orders.len()
    }
}
