//! Limit orders (1.7.x), in the shape bitshares-core's `get_objects` returns
//! (`market_object.hpp:45-81`, reflected fields in that order after `id`).
//!
//! An order holds what is left for sale (`for_sale`, in `sell_price.base`'s asset) and the
//! price it was placed at (never reduced: `amount_to_sell / min_to_receive`). The creation fee
//! is deferred into the order (`deferred_fee` in core, `deferred_paid_fee` in the asset paid)
//! until its first fill or its cancellation (PROTOCOL.md §5.2). Plain data: the engine's market
//! evaluators are the only code that changes it.

use crate::asset::{Asset, Price};
use crate::ids::*;
use crate::ops::LimitOrderAutoAction;
use crate::time::TimePointSec;
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitOrderObject {
    pub id: LimitOrderId,
    pub expiration: TimePointSec,
    pub seller: AccountId,
    /// Remaining amount of `sell_price.base.asset_id` for sale.
    #[serde(with = "crate::json::int64")]
    pub for_sale: i64,
    pub sell_price: Price,
    /// The creation fee's core value, not yet paid to the seller's fee statistics.
    #[serde(with = "crate::json::int64")]
    pub deferred_fee: i64,
    /// The creation fee as paid, when it was paid in a non-core asset (else zero core).
    pub deferred_paid_fee: Asset,
    pub is_settled_debt: bool,
    pub on_fill: Vec<LimitOrderAutoAction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub take_profit_order_id: Option<LimitOrderId>,
}
crate::impl_pack!(LimitOrderObject {
    id,
    expiration,
    seller,
    for_sale,
    sell_price,
    deferred_fee,
    deferred_paid_fee,
    is_settled_debt,
    on_fill,
    take_profit_order_id
});

impl LimitOrderObject {
    /// `amount_for_sale()`.
    pub fn amount_for_sale(&self) -> Asset {
        Asset::new(self.for_sale, self.sell_price.base.asset_id)
    }
    pub fn sell_asset(&self) -> AssetId {
        self.sell_price.base.asset_id
    }
    pub fn receive_asset(&self) -> AssetId {
        self.sell_price.quote.asset_id
    }
    /// `amount_to_receive()`: `for_sale × sell_price`, rounded down (0 means dust).
    pub fn amount_to_receive(&self) -> i128 {
        let p = &self.sell_price;
        if p.base.amount <= 0 {
            return 0;
        }
        i128::from(self.for_sale) * i128::from(p.quote.amount) / i128::from(p.base.amount)
    }
}
