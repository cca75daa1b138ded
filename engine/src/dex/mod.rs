//! The DEX matching core: limit-order books for one market pair and the fill rules of
//! PROTOCOL.md §5.2 (bitshares-core `db_market.cpp` `apply_order`, `match`, `fill_limit_order`,
//! `maybe_cull_small_order`).
//!
//! What it owns: which limit orders rest in a market, in what order they match, and exactly what
//! each match exchanges. What it does not own: balances, fees, deferred creation fees,
//! expirations, virtual operations. The `limit_order_*` evaluators keep those, call into a book
//! and turn the returned [`BookEvent`]s into balance changes, market fees (§5.3,
//! [`matching::market_fee`]) and `fill_order` / `limit_order_cancel` virtual operations, in the
//! order the events were emitted (it is the order bitshares-core pushes its virtual operations).
//!
//! Invariants every book keeps (and the differential test checks):
//! * Orders of one direction are ordered by `sell_price` descending (the seller asking the least
//!   of the other asset first), ties by id ascending: price–time priority, where "time" is the
//!   object id. A `limit_order_update` keeps the id, so an updated order keeps its place among
//!   equal prices even when its price changed (bitshares-core modifies the object in place).
//! * The book is never crossed: after every command no maker of one side would match the best
//!   of the other side.
//! * No resting order is dust: `for_sale × sell_price` rounds to at least 1.
//! * `for_sale × sell_price ≤ 10^15` for every resting order, so every product fits i128 and
//!   every result fits i64.
//! * A command that returns an error, or a fill-or-kill that is killed, changes nothing.
//!
//! Two implementations share one contract ([`LimitOrderBook`]): [`book::OrderBook`], built for
//! speed, and [`reference::ReferenceBook`], built to be obviously right. Both call the same pure
//! fill arithmetic in [`matching`]; `engine/tests/book_differential.rs` drives them with random
//! command streams and requires identical events and state.
//!
//! Deliberately out of scope here: margin calls, settled debt and force settlement (§5.4–§5.9)
//! interleave with limit orders in `apply_order`; the engine runs those around this core.

pub mod book;
pub mod matching;
pub mod reference;
pub mod seeded;

use ledger::asset::{Asset, Price, MAX_SHARE_SUPPLY};
use ledger::ids::{AccountId, AssetId, LimitOrderId};

pub use book::{Books, LevelChange, OrderBook};
pub use reference::ReferenceBook;

/// A market pair, normalized so that `base < quote` by asset id.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct MarketPair {
    pub base: AssetId,
    pub quote: AssetId,
}

impl MarketPair {
    /// The pair of two different assets, in either order.
    pub fn new(a: AssetId, b: AssetId) -> Self {
        if a <= b {
            MarketPair { base: a, quote: b }
        } else {
            MarketPair { base: b, quote: a }
        }
    }

    /// Which side an order selling `sell` for `receive` rests on, if it belongs to this market.
    pub fn side_of(&self, sell: AssetId, receive: AssetId) -> Option<Side> {
        if sell == self.base && receive == self.quote {
            Some(Side::Ask)
        } else if sell == self.quote && receive == self.base {
            Some(Side::Bid)
        } else {
            None
        }
    }
}

/// One direction of a market. `Ask` orders sell the pair's base asset, `Bid` orders sell its
/// quote asset (they bid for the base).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Side {
    Ask = 0,
    Bid = 1,
}

impl Side {
    pub const fn opposite(self) -> Side {
        match self {
            Side::Ask => Side::Bid,
            Side::Bid => Side::Ask,
        }
    }
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// A limit order as the book sees it: who sells how much of `sell_price.base` at which price.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Order {
    pub id: LimitOrderId,
    pub seller: AccountId,
    /// Remaining amount of `sell_price.base.asset_id` for sale.
    pub for_sale: i64,
    /// `amount_to_sell / min_to_receive` as created (never reduced).
    pub sell_price: Price,
}

/// What happens to the part of a taker that does not match at once.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TimeInForce {
    /// Rest in the book (the only behaviour of bitshares-core `limit_order_create` without
    /// `fill_or_kill`).
    GoodTilCancelled,
    /// Cancel the remainder (not a BitShares order type; used by the benchmark mix).
    ImmediateOrCancel,
    /// bitshares-core `fill_or_kill`: if the order would rest, the operation fails and nothing
    /// changes. A remainder that is culled as dust counts as "gone", exactly as in
    /// `market_evaluator.cpp:142-145`.
    FillOrKill,
}

/// One side of one match: the `fill_order` virtual operation minus the fee, which the engine
/// computes from `receives` (§5.3).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Fill {
    pub order_id: LimitOrderId,
    pub seller: AccountId,
    pub pays: Asset,
    pub receives: Asset,
    /// Always the maker's `sell_price`.
    pub fill_price: Price,
    pub is_maker: bool,
}

/// An order removed because its remainder would receive nothing (`maybe_cull_small_order`);
/// the engine refunds `refund` and emits a virtual `limit_order_cancel`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Cull {
    pub order_id: LimitOrderId,
    pub seller: AccountId,
    pub refund: Asset,
}

/// What a book command did, in the order bitshares-core would push the virtual operations.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BookEvent {
    Fill(Fill),
    Cull(Cull),
}

/// How a taker (a new order, or an updated one) ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TakerOutcome {
    /// Fully filled: nothing left, not in the book.
    Filled,
    /// Its remainder was culled as dust (a [`Cull`] event carries the refund).
    Culled,
    /// It rests in the book with this much left for sale.
    Rested { for_sale: i64 },
    /// Immediate-or-cancel remainder taken out; the engine refunds it (no event).
    Cancelled { refund: i64 },
    /// Fill-or-kill that would have rested: the book is unchanged and no events were emitted.
    Killed,
}

impl TakerOutcome {
    /// Whether the order is no longer in the book.
    pub fn is_gone(&self) -> bool {
        !matches!(self, TakerOutcome::Rested { .. })
    }
}

/// Total resting amount at one price.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LevelView {
    /// The level's price reduced to lowest terms (orders at 1/2 and 2/4 share one level).
    pub price: Price,
    pub for_sale: i64,
    pub orders: u32,
}

/// The best `n` levels of each side, best first.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Depth {
    pub asks: Vec<LevelView>,
    pub bids: Vec<LevelView>,
}

/// Why a book refused a command. The book is unchanged whenever one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookError {
    #[error("limit order {id} is not in this book")]
    UnknownOrder { id: LimitOrderId },
    #[error("limit order {id} is already in the book")]
    DuplicateOrder { id: LimitOrderId },
    #[error("limit order {id} sells {sell} for {receive}, which is not market {base}/{quote}")]
    WrongMarket { id: LimitOrderId, sell: AssetId, receive: AssetId, base: AssetId, quote: AssetId },
    #[error("limit order {id} has an invalid price {base_amount}/{quote_amount} (both sides must be positive)")]
    InvalidPrice { id: LimitOrderId, base_amount: i64, quote_amount: i64 },
    #[error("limit order {id} would have {for_sale} for sale; it must be positive and at most 10^15")]
    BadAmount { id: LimitOrderId, for_sale: i64 },
    #[error("limit order {id} selling {for_sale} at {base_amount}/{quote_amount} would receive nothing")]
    Dust { id: LimitOrderId, for_sale: i64, base_amount: i64, quote_amount: i64 },
    #[error("limit order {id} selling {for_sale} at {base_amount}/{quote_amount} would receive more than 10^15")]
    Overflow { id: LimitOrderId, for_sale: i64, base_amount: i64, quote_amount: i64 },
    #[error("limit order {id} cannot change the assets of its price")]
    PriceAssetsChanged { id: LimitOrderId },
    #[error("limit order {id} would cross the book and cannot be inserted without matching")]
    Crossing { id: LimitOrderId },
}

/// The contract both books implement. Events are appended to the caller's vector (which the
/// caller clears and reuses: the fast book allocates nothing per command once warm).
pub trait LimitOrderBook {
    fn pair(&self) -> MarketPair;
    /// Put an order in the book without matching (state restore). Refused if it would cross.
    fn insert(&mut self, order: Order) -> Result<(), BookError>;
    /// `apply_order` for a new order: match it against the opposite side best-first at the
    /// makers' prices, then rest, cancel or kill the remainder per `tif`.
    fn match_taker(
        &mut self,
        order: Order,
        tif: TimeInForce,
        events: &mut Vec<BookEvent>,
    ) -> Result<TakerOutcome, BookError>;
    /// Remove an order (`limit_order_cancel`, expiration); returns it with its remaining amount.
    fn cancel(&mut self, id: LimitOrderId) -> Option<Order>;
    /// `limit_order_update`: change the price and/or add `delta_for_sale` (may be negative),
    /// keeping the id (and so the time priority), then match it as a taker.
    fn update(
        &mut self,
        id: LimitOrderId,
        new_price: Option<Price>,
        delta_for_sale: i64,
        events: &mut Vec<BookEvent>,
    ) -> Result<TakerOutcome, BookError>;
    fn get(&self, id: LimitOrderId) -> Option<Order>;
    /// The best price of one side (the price of its first order).
    fn best(&self, side: Side) -> Option<Price>;
    fn depth(&self, levels: usize) -> Depth;
    /// The account's orders in this book, by id.
    fn orders_of(&self, seller: AccountId) -> Vec<Order>;
    fn len(&self) -> usize;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Best order selling the base asset.
    fn best_ask(&self) -> Option<Price> {
        self.best(Side::Ask)
    }
    /// Best order selling the quote asset (buying the base).
    fn best_bid(&self) -> Option<Price> {
        self.best(Side::Bid)
    }
}

/// The checks every book applies to an order entering it (new or updated): a valid price in
/// this market, a positive amount, not dust, and nothing beyond 10^15. Returns its side.
pub(crate) fn validate_order(pair: &MarketPair, order: &Order) -> Result<Side, BookError> {
    let id = order.id;
    let p = &order.sell_price;
    let side = pair.side_of(p.base.asset_id, p.quote.asset_id).ok_or(BookError::WrongMarket {
        id,
        sell: p.base.asset_id,
        receive: p.quote.asset_id,
        base: pair.base,
        quote: pair.quote,
    })?;
    if p.base.amount <= 0 || p.quote.amount <= 0 {
        return Err(BookError::InvalidPrice { id, base_amount: p.base.amount, quote_amount: p.quote.amount });
    }
    if order.for_sale <= 0 || order.for_sale > MAX_SHARE_SUPPLY {
        return Err(BookError::BadAmount { id, for_sale: order.for_sale });
    }
    let receives = matching::receive_floor(order.for_sale, p.base.amount, p.quote.amount);
    let (for_sale, base_amount, quote_amount) = (order.for_sale, p.base.amount, p.quote.amount);
    if receives == 0 {
        return Err(BookError::Dust { id, for_sale, base_amount, quote_amount });
    }
    if receives > i128::from(MAX_SHARE_SUPPLY) {
        return Err(BookError::Overflow { id, for_sale, base_amount, quote_amount });
    }
    Ok(side)
}

/// The order an update would produce, validated like a new one. bitshares-core checks dust
/// only when the price changes or the amount shrinks; a resting order is never dust, so growing
/// it cannot make it dust and checking always is equivalent.
pub(crate) fn updated_order(
    pair: &MarketPair,
    old: &Order,
    new_price: Option<Price>,
    delta_for_sale: i64,
) -> Result<Order, BookError> {
    let price = new_price.unwrap_or(old.sell_price);
    if price.base.asset_id != old.sell_price.base.asset_id || price.quote.asset_id != old.sell_price.quote.asset_id {
        return Err(BookError::PriceAssetsChanged { id: old.id });
    }
    let for_sale =
        old.for_sale.checked_add(delta_for_sale).ok_or(BookError::BadAmount { id: old.id, for_sale: i64::MAX })?;
    let new = Order { for_sale, sell_price: price, ..*old };
    validate_order(pair, &new)?;
    Ok(new)
}
