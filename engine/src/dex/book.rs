//! The fast order book for one market pair (both directions), and [`Books`], the map of pairs.
//!
//! Layout, chosen for the hot path (`limit_order_create/cancel/update` at millions per second):
//! * Orders live in a slab (`Vec<Slot>`, free list); an id → slot hash index (multiplicative
//!   hash, never iterated) finds them. Each price level keeps its orders as an intrusive doubly
//!   linked list in id order, so cancel and unlink are O(1).
//! * Levels live in a second slab. Each side keeps its levels in a `Vec` sorted by price value
//!   ascending, **best at the end**: the best level is `last()`, consuming it is a `pop()`, and
//!   inserting a level near the top of the book moves only the few levels above it.
//! * BitShares prices are arbitrary ratios, so there is no tick array: a level is found by binary
//!   search with exact cross-multiplication (`value_cmp`). Orders at 1/2 and 2/4 share a level.
//! * A level that empties in the middle of a side is kept (lazily, `empties` counts them) so
//!   that the next order at that price, the common case when orders move around a price grid,
//!   finds it without shifting the vector. The last level of a side is never empty (emptied top
//!   levels are popped at once), so `last()` is always the best price. When empties outnumber
//!   live levels by far, one linear pass drops them (amortised O(1)).
//!
//! Once the slabs, the index and the caller's event vector have grown to the working size, no
//! command allocates.
//!
//! What it must never do: reorder orders of equal price other than by id, leave the book crossed,
//! or change anything when a command fails or a fill-or-kill is killed.

use super::matching::{self, MatchResult};
use super::{
    updated_order, validate_order, BookError, BookEvent, Cull, Depth, Fill, LevelView, LimitOrderBook, MarketPair,
    Order, Side, TakerOutcome, TimeInForce,
};
use crate::lookup::LookupMap;
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, LimitOrderId};
use std::collections::BTreeMap;
use std::hash::{BuildHasherDefault, Hasher};

const NIL: u32 = u32::MAX;

/// Drop lazily kept empty levels once there are more than this many and more than live ones.
const EMPTY_LEVELS_SLACK: usize = 1024;

/// Multiplicative hash for dense u64 ids. The index is only looked up, never iterated, so its
/// order cannot leak into state.
#[derive(Default, Clone, Copy)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        let h = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 32);
    }
    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
}

type IdIndex = LookupMap<u64, u32, BuildHasherDefault<IdHasher>>;
/// Exact price representation `(base amount, quote amount)` of a level's key → level.
type LevelIndex = LookupMap<(i64, i64), u32, BuildHasherDefault<IdHasher>>;

#[derive(Clone, Copy, Debug)]
struct Slot {
    id: u64,
    seller: AccountId,
    for_sale: i64,
    /// `sell_price` amounts; the asset ids follow from the side.
    pb: i64,
    pq: i64,
    prev: u32,
    /// Next order in the level, or the next free slot.
    next: u32,
    level: u32,
    side: Side,
}

#[derive(Clone, Copy, Debug)]
struct Level {
    head: u32,
    tail: u32,
    total: i64,
    count: u32,
    /// Already in the level log of [`Books`] since its last drain.
    logged: bool,
}

/// A level's place in its side's sorted vector.
#[derive(Clone, Copy, Debug)]
struct LevelKey {
    pb: i64,
    pq: i64,
    level: u32,
}

#[derive(Clone, Debug, Default)]
struct SideLevels {
    /// Ascending by value; best (highest `pb/pq`) last; `last()` is never an empty level.
    keys: Vec<LevelKey>,
    empties: usize,
    /// The levels of `keys` by their exact key representation: an order quoting the same
    /// amounts as a level's key (the usual case) finds it without a binary search.
    by_repr: LevelIndex,
}

impl SideLevels {
    fn with_capacity(levels: usize) -> Self {
        SideLevels { keys: Vec::with_capacity(levels), empties: 0, by_repr: LevelIndex::with_capacity(levels) }
    }
}

/// The taker's running state while it matches.
#[derive(Clone, Copy, Debug)]
struct Taker {
    id: u64,
    seller: AccountId,
    for_sale: i64,
    pb: i64,
    pq: i64,
    side: Side,
}

/// How matching left the taker.
enum TakerEnd {
    Alive,
    Filled,
    Culled,
}

/// The fast order book of one market pair. See the module doc for the layout.
#[derive(Clone, Debug)]
pub struct OrderBook {
    pair: MarketPair,
    slots: Vec<Slot>,
    free_slot: u32,
    levels: Vec<Level>,
    free_level: u32,
    sides: [SideLevels; 2],
    index: IdIndex,
    empty_level_slack: usize,
}

impl OrderBook {
    pub fn new(pair: MarketPair) -> Self {
        Self::with_capacity(pair, 0)
    }

    /// A book pre-sized for `orders` resting orders, so that it does not allocate below that.
    pub fn with_capacity(pair: MarketPair, orders: usize) -> Self {
        OrderBook {
            pair,
            slots: Vec::with_capacity(orders),
            free_slot: NIL,
            levels: Vec::with_capacity(orders),
            free_level: NIL,
            sides: [SideLevels::with_capacity(orders), SideLevels::with_capacity(orders)],
            index: IdIndex::with_capacity(orders),
            empty_level_slack: EMPTY_LEVELS_SLACK,
        }
    }

    /// How many emptied levels a side may park before they are dropped (and then only when they
    /// also outnumber the live levels two to one). A tuning and testing knob; no effect on
    /// behaviour.
    pub fn set_empty_level_slack(&mut self, levels: usize) {
        self.empty_level_slack = levels;
    }

    /// Number of price levels (non-empty) on a side.
    pub fn level_count(&self, side: Side) -> usize {
        let s = &self.sides[side.index()];
        s.keys.len() - s.empties
    }

    fn asset_ids(&self, side: Side) -> (AssetId, AssetId) {
        match side {
            Side::Ask => (self.pair.base, self.pair.quote),
            Side::Bid => (self.pair.quote, self.pair.base),
        }
    }

    fn price_of(&self, side: Side, pb: i64, pq: i64) -> Price {
        let (b, q) = self.asset_ids(side);
        Price::new(Asset::new(pb, b), Asset::new(pq, q))
    }

    fn order_of(&self, s: &Slot) -> Order {
        Order {
            id: LimitOrderId(s.id),
            seller: s.seller,
            for_sale: s.for_sale,
            sell_price: self.price_of(s.side, s.pb, s.pq),
        }
    }

    fn alloc_slot(&mut self, slot: Slot) -> u32 {
        if self.free_slot != NIL {
            let i = self.free_slot;
            self.free_slot = self.slots[i as usize].next;
            self.slots[i as usize] = slot;
            i
        } else {
            self.slots.push(slot);
            (self.slots.len() - 1) as u32
        }
    }

    fn free_slot(&mut self, i: u32) {
        self.slots[i as usize].next = self.free_slot;
        self.free_slot = i;
    }

    fn alloc_level(&mut self) -> u32 {
        let level = Level { head: NIL, tail: NIL, total: 0, count: 0, logged: false };
        if self.free_level != NIL {
            let i = self.free_level;
            self.free_level = self.levels[i as usize].head;
            self.levels[i as usize] = level;
            i
        } else {
            self.levels.push(level);
            (self.levels.len() - 1) as u32
        }
    }

    fn free_level(&mut self, i: u32) {
        self.levels[i as usize].head = self.free_level;
        self.free_level = i;
    }

    /// The level holding price `pb/pq` on `side`, created (or revived) if needed.
    fn level_for(&mut self, side: Side, pb: i64, pq: i64) -> u32 {
        let sl = &self.sides[side.index()];
        // Fast path: the best level, where most activity is, or a new best level.
        if let Some(k) = sl.keys.last() {
            match matching::value_cmp(k.pb, k.pq, pb, pq) {
                std::cmp::Ordering::Equal => return k.level,
                std::cmp::Ordering::Less => return self.new_level(side, sl.keys.len(), pb, pq),
                std::cmp::Ordering::Greater => {}
            }
        }
        let found = match sl.by_repr.get(&(pb, pq)) {
            Some(&level) => Ok(level),
            None => sl.keys.binary_search_by(|k| matching::value_cmp(k.pb, k.pq, pb, pq)).map(|pos| sl.keys[pos].level),
        };
        match found {
            Ok(level) => {
                if self.levels[level as usize].count == 0 {
                    self.sides[side.index()].empties -= 1;
                }
                level
            }
            Err(pos) => self.new_level(side, pos, pb, pq),
        }
    }

    fn new_level(&mut self, side: Side, pos: usize, pb: i64, pq: i64) -> u32 {
        let level = self.alloc_level();
        let sl = &mut self.sides[side.index()];
        sl.keys.insert(pos, LevelKey { pb, pq, level });
        sl.by_repr.insert((pb, pq), level);
        level
    }

    /// Link slot `i` into its level in id order and account for it.
    fn link(&mut self, i: u32) {
        let Slot { id, for_sale, pb, pq, side, .. } = self.slots[i as usize];
        let lv = self.level_for(side, pb, pq);
        let level = self.levels[lv as usize];
        // New orders carry the highest id and append; an updated order walks back to its place.
        let mut after = level.tail;
        while after != NIL && self.slots[after as usize].id > id {
            after = self.slots[after as usize].prev;
        }
        let before = if after == NIL { level.head } else { self.slots[after as usize].next };
        {
            let s = &mut self.slots[i as usize];
            s.prev = after;
            s.next = before;
            s.level = lv;
        }
        if after == NIL {
            self.levels[lv as usize].head = i;
        } else {
            self.slots[after as usize].next = i;
        }
        if before == NIL {
            self.levels[lv as usize].tail = i;
        } else {
            self.slots[before as usize].prev = i;
        }
        let l = &mut self.levels[lv as usize];
        l.total += for_sale;
        l.count += 1;
    }

    /// Unlink slot `i` from its level; drop or park the level if it emptied.
    fn unlink(&mut self, i: u32) {
        let Slot { prev, next, level: lv, for_sale, side, .. } = self.slots[i as usize];
        if prev == NIL {
            self.levels[lv as usize].head = next;
        } else {
            self.slots[prev as usize].next = next;
        }
        if next == NIL {
            self.levels[lv as usize].tail = prev;
        } else {
            self.slots[next as usize].prev = prev;
        }
        let l = &mut self.levels[lv as usize];
        l.total -= for_sale;
        l.count -= 1;
        if l.count == 0 {
            self.level_emptied(side, lv);
        }
    }

    fn level_emptied(&mut self, side: Side, lv: u32) {
        let slack = self.empty_level_slack;
        let s = &mut self.sides[side.index()];
        if let Some(&top) = s.keys.last().filter(|k| k.level == lv) {
            s.keys.pop();
            s.by_repr.remove(&(top.pb, top.pq));
            self.free_level(lv);
            // Keep the invariant: the last level of a side is live.
            while let Some(k) = self.sides[side.index()].keys.last().copied() {
                if self.levels[k.level as usize].count != 0 {
                    break;
                }
                let s = &mut self.sides[side.index()];
                s.keys.pop();
                s.by_repr.remove(&(k.pb, k.pq));
                s.empties -= 1;
                self.free_level(k.level);
            }
        } else {
            s.empties += 1;
            if s.empties > slack && s.empties > 2 * (s.keys.len() - s.empties) {
                self.compact(side);
            }
        }
    }

    fn compact(&mut self, side: Side) {
        let mut sl = std::mem::take(&mut self.sides[side.index()]);
        sl.keys.retain(|k| {
            let live = self.levels[k.level as usize].count != 0;
            if !live {
                sl.by_repr.remove(&(k.pb, k.pq));
                self.levels[k.level as usize].head = self.free_level;
                self.free_level = k.level;
            }
            live
        });
        sl.empties = 0;
        self.sides[side.index()] = sl;
    }

    /// Remove slot `i` entirely (it must be linked).
    fn remove_slot(&mut self, i: u32) {
        self.unlink(i);
        self.index.remove(&self.slots[i as usize].id);
        self.free_slot(i);
    }

    fn fill_event(
        &self,
        who: (u64, AccountId, Side),
        pays: i64,
        receives: i64,
        price: Price,
        maker: bool,
    ) -> BookEvent {
        let (id, seller, side) = who;
        let (b, q) = self.asset_ids(side);
        BookEvent::Fill(Fill {
            order_id: LimitOrderId(id),
            seller,
            pays: Asset::new(pays, b),
            receives: Asset::new(receives, q),
            fill_price: price,
            is_maker: maker,
        })
    }

    fn cull_event(&self, id: u64, seller: AccountId, side: Side, refund: i64) -> BookEvent {
        BookEvent::Cull(Cull { order_id: LimitOrderId(id), seller, refund: Asset::new(refund, self.asset_ids(side).0) })
    }

    /// Would this taker be gone after matching (fill-or-kill)? Reads only.
    fn would_be_gone(&self, t: &Taker) -> bool {
        let mut left = t.for_sale;
        for key in self.sides[t.side.opposite().index()].keys.iter().rev() {
            if !matching::crosses(key.pb, key.pq, t.pb, t.pq) {
                break;
            }
            let mut cur = self.levels[key.level as usize].head;
            while cur != NIL {
                let m = &self.slots[cur as usize];
                match matching::match_amounts(left, m.for_sale, m.pb, m.pq) {
                    MatchResult::TakerDust => return true,
                    MatchResult::Trade(tr) => {
                        left -= tr.taker_pays;
                        if left == 0 || tr.cull_taker && matching::is_dust_amounts(left, t.pb, t.pq) {
                            return true;
                        }
                    }
                }
                cur = m.next;
            }
        }
        matching::is_dust_amounts(left, t.pb, t.pq)
    }

    /// The matching loop of `apply_order` for a taker that is not linked into the book.
    fn run_taker(&mut self, t: &mut Taker, events: &mut Vec<BookEvent>) -> TakerEnd {
        let opp = t.side.opposite();
        while let Some(key) = self.sides[opp.index()].keys.last().copied() {
            if !matching::crosses(key.pb, key.pq, t.pb, t.pq) {
                break;
            }
            let m = self.levels[key.level as usize].head;
            debug_assert!(m != NIL, "the best level of a side is never empty");
            let maker = self.slots[m as usize];
            let trade = match matching::match_amounts(t.for_sale, maker.for_sale, maker.pb, maker.pq) {
                MatchResult::TakerDust => break,
                MatchResult::Trade(tr) => tr,
            };
            let fill_price = self.price_of(opp, maker.pb, maker.pq);
            // Taker side of `fill_limit_order`, then the maker side: the order bitshares-core
            // pushes the virtual operations in.
            let taker_who = (t.id, t.seller, t.side);
            events.push(self.fill_event(taker_who, trade.taker_pays, trade.taker_receives, fill_price, false));
            t.for_sale -= trade.taker_pays;
            let taker_end = if t.for_sale == 0 {
                TakerEnd::Filled
            } else if trade.cull_taker && matching::is_dust_amounts(t.for_sale, t.pb, t.pq) {
                events.push(self.cull_event(t.id, t.seller, t.side, t.for_sale));
                TakerEnd::Culled
            } else {
                TakerEnd::Alive
            };
            let maker_who = (maker.id, maker.seller, opp);
            events.push(self.fill_event(maker_who, trade.taker_receives, trade.taker_pays, fill_price, true));
            let left = maker.for_sale - trade.taker_receives;
            if left == 0 {
                self.remove_slot(m);
            } else if matching::is_dust_amounts(left, maker.pb, maker.pq) {
                events.push(self.cull_event(maker.id, maker.seller, opp, left));
                self.remove_slot(m);
            } else {
                self.slots[m as usize].for_sale = left;
                self.levels[key.level as usize].total -= trade.taker_receives;
            }
            if !matches!(taker_end, TakerEnd::Alive) {
                return taker_end;
            }
        }
        if matching::is_dust_amounts(t.for_sale, t.pb, t.pq) {
            events.push(self.cull_event(t.id, t.seller, t.side, t.for_sale));
            return TakerEnd::Culled;
        }
        TakerEnd::Alive
    }

    fn rest(&mut self, t: &Taker) {
        let slot = Slot {
            id: t.id,
            seller: t.seller,
            for_sale: t.for_sale,
            pb: t.pb,
            pq: t.pq,
            prev: NIL,
            next: NIL,
            level: NIL,
            side: t.side,
        };
        let i = self.alloc_slot(slot);
        self.index.insert(t.id, i);
        self.link(i);
    }

    fn taker_of(order: &Order, side: Side) -> Taker {
        Taker {
            id: order.id.0,
            seller: order.seller,
            for_sale: order.for_sale,
            pb: order.sell_price.base.amount,
            pq: order.sell_price.quote.amount,
            side,
        }
    }

    // ---- the book as the chain's order index ----
    //
    // The chain keeps its limit orders as arena objects and matches them itself (fees, deferred
    // fees and margin calls interleave with every fill); the arena keeps this book in step as
    // an index through these four calls, and undoes it through the same calls when a
    // transaction or block is undone. So the book may, between two calls of one operation, hold
    // a crossed taker or a dust remainder that the operation is about to match or cull; nothing
    // here checks or relies on either.

    /// Put an order into its level (id order within the level), without matching or checks.
    /// `side` is where its `sell_price` belongs in this pair.
    /// Returns whether its level was newly marked (see [`OrderBook::mark_level`]).
    pub fn place(
        &mut self,
        id: u64,
        seller: AccountId,
        for_sale: i64,
        side: Side,
        (pb, pq): (i64, i64),
        mark: bool,
    ) -> bool {
        let slot = Slot { id, seller, for_sale, pb, pq, prev: NIL, next: NIL, level: NIL, side };
        let i = self.alloc_slot(slot);
        self.index.insert(id, i);
        self.link(i);
        mark && self.mark_level(self.slots[i as usize].level)
    }

    /// Take an order out of the book: whether it was there, and whether its level was newly
    /// marked (with `mark`).
    pub fn take_out(&mut self, id: u64, mark: bool) -> (bool, bool) {
        match self.index.get(&id) {
            Some(&i) => {
                let marked = mark && self.mark_level(self.slots[i as usize].level);
                self.remove_slot(i);
                (true, marked)
            }
            None => (false, false),
        }
    }

    /// Change what an order has for sale, keeping its place (its level's total follows).
    /// Returns whether its level was newly marked (with `mark`).
    pub fn set_for_sale(&mut self, id: u64, for_sale: i64, mark: bool) -> bool {
        let Some(&i) = self.index.get(&id) else { return false };
        let s = &mut self.slots[i as usize];
        let delta = for_sale - s.for_sale;
        s.for_sale = for_sale;
        let lv = s.level;
        self.levels[lv as usize].total += delta;
        mark && self.mark_level(lv)
    }

    /// Mark a level as logged; whether it was not yet. A freed level's mark goes with it.
    fn mark_level(&mut self, lv: u32) -> bool {
        let l = &mut self.levels[lv as usize];
        !std::mem::replace(&mut l.logged, true)
    }

    /// The level of a price's value, if the side has one.
    fn find_level(&self, side: Side, pb: i64, pq: i64) -> Option<u32> {
        let sl = &self.sides[side.index()];
        match sl.by_repr.get(&(pb, pq)) {
            Some(&level) => Some(level),
            None => {
                sl.keys.binary_search_by(|k| matching::value_cmp(k.pb, k.pq, pb, pq)).ok().map(|p| sl.keys[p].level)
            }
        }
    }

    /// The ids of one side's orders, best first (price, then id): the chain's maker order.
    pub fn side_ids(&self, side: Side) -> impl Iterator<Item = u64> + '_ {
        self.sides[side.index()].keys.iter().rev().flat_map(move |k| {
            let mut cur = self.levels[k.level as usize].head;
            std::iter::from_fn(move || {
                if cur == NIL {
                    return None;
                }
                let s = &self.slots[cur as usize];
                cur = s.next;
                Some(s.id)
            })
        })
    }

    /// A level's total for sale and order count by its price's value (0, 0 when there is none),
    /// clearing the level's log mark.
    fn take_level_state(&mut self, side: Side, pb: i64, pq: i64) -> (i64, u32) {
        self.find_level(side, pb, pq).map_or((0, 0), |l| {
            let l = &mut self.levels[l as usize];
            l.logged = false;
            (l.total, l.count)
        })
    }

    /// The id of one side's best order: the head of its best level.
    pub fn best_id(&self, side: Side) -> Option<u64> {
        let k = self.sides[side.index()].keys.last()?;
        Some(self.slots[self.levels[k.level as usize].head as usize].id)
    }

    /// Every invariant of the module doc, checked from scratch (tests and debugging).
    pub fn check_invariants(&self) {
        let mut seen = 0usize;
        for side in [Side::Ask, Side::Bid] {
            let s = &self.sides[side.index()];
            let mut empties = 0;
            for (n, k) in s.keys.iter().enumerate() {
                if n > 0 {
                    let p = s.keys[n - 1];
                    assert!(matching::value_cmp(p.pb, p.pq, k.pb, k.pq).is_lt(), "levels out of order");
                }
                let l = self.levels[k.level as usize];
                if l.count == 0 {
                    empties += 1;
                    assert!(n + 1 != s.keys.len(), "best level is empty");
                    continue;
                }
                let (mut cur, mut count, mut total, mut last_id) = (l.head, 0, 0i64, None);
                while cur != NIL {
                    let o = self.slots[cur as usize];
                    assert_eq!(o.level, k.level);
                    assert!(matching::value_cmp(o.pb, o.pq, k.pb, k.pq).is_eq());
                    assert!(last_id < Some(o.id), "level not in id order");
                    assert!(!matching::is_dust_amounts(o.for_sale, o.pb, o.pq), "dust order rests");
                    assert_eq!(self.index.get(&o.id), Some(&cur));
                    last_id = Some(o.id);
                    count += 1;
                    total += o.for_sale;
                    cur = o.next;
                }
                assert_eq!((count, total), (l.count, l.total));
                seen += count as usize;
            }
            assert_eq!(empties, s.empties);
            assert_eq!(s.by_repr.len(), s.keys.len(), "level index out of step");
            for k in &s.keys {
                assert_eq!(s.by_repr.get(&(k.pb, k.pq)), Some(&k.level));
            }
        }
        assert_eq!(seen, self.index.len());
        if let (Some(a), Some(b)) = (self.sides[0].keys.last(), self.sides[1].keys.last()) {
            assert!(!matching::crosses(a.pb, a.pq, b.pb, b.pq), "book is crossed");
        }
    }
}

impl LimitOrderBook for OrderBook {
    fn pair(&self) -> MarketPair {
        self.pair
    }

    fn insert(&mut self, order: Order) -> Result<(), BookError> {
        let side = validate_order(&self.pair, &order)?;
        if self.index.contains_key(&order.id.0) {
            return Err(BookError::DuplicateOrder { id: order.id });
        }
        let t = Self::taker_of(&order, side);
        if let Some(k) = self.sides[side.opposite().index()].keys.last() {
            if matching::crosses(k.pb, k.pq, t.pb, t.pq) {
                return Err(BookError::Crossing { id: order.id });
            }
        }
        self.rest(&t);
        Ok(())
    }

    fn match_taker(
        &mut self,
        order: Order,
        tif: TimeInForce,
        events: &mut Vec<BookEvent>,
    ) -> Result<TakerOutcome, BookError> {
        let side = validate_order(&self.pair, &order)?;
        if self.index.contains_key(&order.id.0) {
            return Err(BookError::DuplicateOrder { id: order.id });
        }
        let mut t = Self::taker_of(&order, side);
        if tif == TimeInForce::FillOrKill && !self.would_be_gone(&t) {
            return Ok(TakerOutcome::Killed);
        }
        Ok(match self.run_taker(&mut t, events) {
            TakerEnd::Filled => TakerOutcome::Filled,
            TakerEnd::Culled => TakerOutcome::Culled,
            TakerEnd::Alive if tif == TimeInForce::ImmediateOrCancel => TakerOutcome::Cancelled { refund: t.for_sale },
            TakerEnd::Alive => {
                self.rest(&t);
                TakerOutcome::Rested { for_sale: t.for_sale }
            }
        })
    }

    fn cancel(&mut self, id: LimitOrderId) -> Option<Order> {
        let i = *self.index.get(&id.0)?;
        let o = self.order_of(&self.slots[i as usize]);
        self.remove_slot(i);
        Some(o)
    }

    fn update(
        &mut self,
        id: LimitOrderId,
        new_price: Option<Price>,
        delta_for_sale: i64,
        events: &mut Vec<BookEvent>,
    ) -> Result<TakerOutcome, BookError> {
        let i = *self.index.get(&id.0).ok_or(BookError::UnknownOrder { id })?;
        let slot = self.slots[i as usize];
        let old = self.order_of(&slot);
        let new = updated_order(&self.pair, &old, new_price, delta_for_sale)?;
        self.unlink(i);
        let mut t = Self::taker_of(&new, slot.side);
        let end = self.run_taker(&mut t, events);
        Ok(match end {
            TakerEnd::Alive => {
                let s = &mut self.slots[i as usize];
                s.for_sale = t.for_sale;
                s.pb = t.pb;
                s.pq = t.pq;
                self.link(i);
                TakerOutcome::Rested { for_sale: t.for_sale }
            }
            gone => {
                self.index.remove(&id.0);
                self.free_slot(i);
                if matches!(gone, TakerEnd::Culled) {
                    TakerOutcome::Culled
                } else {
                    TakerOutcome::Filled
                }
            }
        })
    }

    fn get(&self, id: LimitOrderId) -> Option<Order> {
        self.index.get(&id.0).map(|&i| self.order_of(&self.slots[i as usize]))
    }

    fn best(&self, side: Side) -> Option<Price> {
        let k = self.sides[side.index()].keys.last()?;
        let head = self.levels[k.level as usize].head;
        let s = &self.slots[head as usize];
        Some(self.price_of(side, s.pb, s.pq))
    }

    fn depth(&self, levels: usize) -> Depth {
        let side_depth = |side: Side| -> Vec<LevelView> {
            self.sides[side.index()]
                .keys
                .iter()
                .rev()
                .filter(|k| self.levels[k.level as usize].count != 0)
                .take(levels)
                .map(|k| {
                    let l = &self.levels[k.level as usize];
                    LevelView {
                        price: matching::reduced(self.price_of(side, k.pb, k.pq)),
                        for_sale: l.total,
                        orders: l.count,
                    }
                })
                .collect()
        };
        Depth { asks: side_depth(Side::Ask), bids: side_depth(Side::Bid) }
    }

    /// O(orders in the book): a query, not a hot-path operation.
    fn orders_of(&self, seller: AccountId) -> Vec<Order> {
        let mut out: Vec<Order> = self
            .index
            .sorted_values()
            .into_iter()
            .map(|i| &self.slots[i as usize])
            .filter(|s| s.seller == seller)
            .map(|s| self.order_of(s))
            .collect();
        out.sort_unstable_by_key(|o| o.id);
        out
    }

    fn len(&self) -> usize {
        self.index.len()
    }
}

/// All markets' books, by normalized pair (deterministic iteration order).
///
/// With the level log on ([`Books::log_levels`]), the index calls note each price level the
/// first time they touch it, and [`Books::drain_level_changes`] turns the notes into the state
/// of each touched level: the order-book deltas of a block (or of a popped block).
#[derive(Clone, Debug, Default)]
pub struct Books {
    books: BTreeMap<MarketPair, OrderBook>,
    log_levels: bool,
    touched: Vec<(MarketPair, Side, i64, i64)>,
}

/// The state of one price level after a block: its total for sale and order count (both 0 when
/// the level emptied). Levels group equal prices, so `price` is in lowest terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LevelChange {
    pub market: MarketPair,
    pub side: Side,
    pub price: Price,
    pub for_sale: i64,
    pub orders: u32,
}

impl Books {
    pub fn new() -> Self {
        Self::default()
    }

    /// The book of the market of `a` and `b`, created empty on first use.
    pub fn book_mut(&mut self, a: AssetId, b: AssetId) -> &mut OrderBook {
        let pair = MarketPair::new(a, b);
        self.books.entry(pair).or_insert_with(|| OrderBook::new(pair))
    }

    pub fn book(&self, a: AssetId, b: AssetId) -> Option<&OrderBook> {
        self.books.get(&MarketPair::new(a, b))
    }

    /// Markets with at least one order, in pair order.
    pub fn markets(&self) -> impl Iterator<Item = (&MarketPair, &OrderBook)> {
        self.books.iter().filter(|(_, b)| !b.is_empty())
    }

    /// The market and side of an order selling `sell` for `receive`. A pair of one asset with
    /// itself has no second side; such an order is refused by operation validation long before
    /// it could rest, and would rest as an ask.
    fn market_side(sell: AssetId, receive: AssetId) -> (MarketPair, Side) {
        let pair = MarketPair::new(sell, receive);
        (pair, pair.side_of(sell, receive).unwrap_or(Side::Ask))
    }

    /// The book and side an order selling `sell` for `receive` rests on.
    fn locate(&self, sell: AssetId, receive: AssetId) -> Option<(&OrderBook, Side)> {
        let (pair, side) = Self::market_side(sell, receive);
        Some((self.books.get(&pair)?, side))
    }

    /// Index an order selling `price.base` for `price.quote` (see [`OrderBook::place`]).
    pub fn place(&mut self, id: u64, seller: AccountId, for_sale: i64, price: &Price) {
        let (pair, side) = Self::market_side(price.base.asset_id, price.quote.asset_id);
        let log = self.log_levels;
        let book = self.books.entry(pair).or_insert_with(|| OrderBook::new(pair));
        if book.place(id, seller, for_sale, side, (price.base.amount, price.quote.amount), log) {
            self.touched.push((pair, side, price.base.amount, price.quote.amount));
        }
    }

    /// Log the level of an order of `price` (its level was newly marked).
    fn touch(&mut self, price: &Price) {
        let (pair, side) = Self::market_side(price.base.asset_id, price.quote.asset_id);
        self.touched.push((pair, side, price.base.amount, price.quote.amount));
    }

    /// Turn the level log on or off (off drops what it holds and clears the levels' marks, so
    /// turning it on again starts clean). The chain turns it on; a read replica or a
    /// benchmark's book has no use for it.
    pub fn log_levels(&mut self, on: bool) {
        if !on {
            self.drain_level_changes();
        }
        self.log_levels = on;
    }

    /// Forget the levels touched so far (after restoring a snapshot: nothing changed).
    pub fn forget_touched_levels(&mut self) {
        self.drain_level_changes();
    }

    /// The state now of every level touched since the last drain, by market, side and price
    /// (best first within a side), each level once. A level touched only by work that was then
    /// undone (a failed transaction) is reported with its unchanged state.
    ///
    /// A level is logged on its first touch only (a mark on the level), so the log holds about
    /// one entry per level a block touched; a level freed and made again in the block is logged
    /// twice, which the sort folds.
    pub fn drain_level_changes(&mut self) -> Vec<LevelChange> {
        if self.touched.is_empty() {
            return Vec::new();
        }
        let mut touched = std::mem::take(&mut self.touched);
        // Equal values with different amounts are one level: reduce before deduplicating.
        for t in &mut touched {
            let g = num_integer::gcd(t.2, t.3).max(1);
            t.2 /= g;
            t.3 /= g;
        }
        touched
            .sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| matching::value_cmp(b.2, b.3, a.2, a.3)));
        touched.dedup();
        let changes = touched
            .iter()
            .map(|&(market, side, pb, pq)| {
                let (for_sale, orders) =
                    self.books.get_mut(&market).map_or((0, 0), |b| b.take_level_state(side, pb, pq));
                let (sell, receive) = match side {
                    Side::Ask => (market.base, market.quote),
                    Side::Bid => (market.quote, market.base),
                };
                let price = Price::new(Asset::new(pb, sell), Asset::new(pq, receive));
                LevelChange { market, side, price, for_sale, orders }
            })
            .collect();
        touched.clear();
        self.touched = touched;
        changes
    }

    /// Take an order out of its book (see [`OrderBook::take_out`]).
    pub fn take_out(&mut self, id: u64, price: &Price) -> bool {
        let log = self.log_levels;
        let Some(book) = self.books.get_mut(&MarketPair::new(price.base.asset_id, price.quote.asset_id)) else {
            return false;
        };
        let (found, marked) = book.take_out(id, log);
        if marked {
            self.touch(price);
        }
        found
    }

    /// See [`OrderBook::set_for_sale`].
    pub fn set_for_sale(&mut self, id: u64, price: &Price, for_sale: i64) {
        let log = self.log_levels;
        if let Some(book) = self.books.get_mut(&MarketPair::new(price.base.asset_id, price.quote.asset_id)) {
            if book.set_for_sale(id, for_sale, log) {
                self.touch(price);
            }
        }
    }

    /// Ids of the orders selling `sell` for `receive`, best first.
    pub fn side_ids(&self, sell: AssetId, receive: AssetId) -> impl Iterator<Item = u64> + '_ {
        self.locate(sell, receive).into_iter().flat_map(|(book, side)| book.side_ids(side))
    }

    /// Id of the best order selling `sell` for `receive`.
    pub fn best_id(&self, sell: AssetId, receive: AssetId) -> Option<u64> {
        let (book, side) = self.locate(sell, receive)?;
        book.best_id(side)
    }
}
