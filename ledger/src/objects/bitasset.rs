//! The objects of market-issued assets (BitAssets, PROTOCOL.md §5.4–§5.10): the bitasset data
//! (2.4.x) with its feeds and settlement state, debt positions (call orders, 1.8.x), pending
//! force settlements (1.4.x) and collateral bids after a global settlement (2.17.x).
//!
//! Field names and order follow bitshares-core's reflection (`asset_object.cpp`,
//! `market_object.hpp`), so `get_objects` clients read them unchanged. Plain data: the engine's
//! evaluators and end-of-block steps are the only code that changes them. Collateralization
//! is always compared exactly, by cross-multiplying in 128 bits, never as a float.

use crate::asset::{Asset, Price};
use crate::ids::*;
use crate::ops::{BitassetOptions, PriceFeed};
use crate::time::TimePointSec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `price_feed_with_icr`: a feed plus the initial collateral ratio (BSIP77), which defaults to
/// the feed's maintenance ratio.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct PriceFeedWithIcr {
    #[serde(flatten)]
    pub feed: PriceFeed,
    pub initial_collateral_ratio: u16,
}
crate::impl_pack!(PriceFeedWithIcr { feed, initial_collateral_ratio });

impl Default for PriceFeedWithIcr {
    fn default() -> Self {
        let feed = PriceFeed::default();
        let initial_collateral_ratio = feed.maintenance_collateral_ratio;
        PriceFeedWithIcr { feed, initial_collateral_ratio }
    }
}

impl PriceFeedWithIcr {
    /// `price_feed_with_icr(pf, icr)`: ICR given, or the feed's MCR.
    pub fn new(feed: PriceFeed, icr: Option<u16>) -> Self {
        let initial_collateral_ratio = icr.unwrap_or(feed.maintenance_collateral_ratio);
        PriceFeedWithIcr { feed, initial_collateral_ratio }
    }
}

/// The bitasset part of a market-issued asset (2.4.x, `asset_bitasset_data_object`).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetBitassetDataObject {
    pub id: AssetBitassetDataId,
    pub asset_id: AssetId,
    /// Feeds by publisher: (publication time, feed).
    #[serde(with = "crate::json::pairs")]
    pub feeds: BTreeMap<AccountId, (TimePointSec, PriceFeedWithIcr)>,
    /// The feed in force (the median, possibly capped by the black-swan response method).
    pub current_feed: PriceFeedWithIcr,
    /// Publication time of the oldest feed that went into `current_feed`.
    pub current_feed_publication_time: TimePointSec,
    /// Cached `~F × MCR/1000` (C/D): positions at or below it are callable.
    pub current_maintenance_collateralization: Price,
    /// Cached `~F × ICR/1000` (C/D): new or grown positions must end above it.
    pub current_initial_collateralization: Price,
    pub options: BitassetOptions,
    /// Volume force-settled in the current maintenance interval.
    #[serde(with = "crate::json::int64")]
    pub force_settled_volume: i64,
    pub is_prediction_market: bool,
    /// Non-null once the asset is globally settled (D/C).
    pub settlement_price: Price,
    /// Collateral held for settling the whole supply after a global settlement.
    #[serde(with = "crate::json::int64")]
    pub settlement_fund: i64,
    #[serde(with = "crate::json::int64")]
    pub individual_settlement_debt: i64,
    #[serde(with = "crate::json::int64")]
    pub individual_settlement_fund: i64,
    /// The asset's core exchange rate changed and the feed's must be re-applied at end of block.
    pub asset_cer_updated: bool,
    /// The current feed's core exchange rate changed since it was last copied to the asset.
    pub feed_cer_updated: bool,
    /// The plain median of the live feeds, before any capping.
    pub median_feed: PriceFeedWithIcr,
}
crate::impl_pack!(AssetBitassetDataObject {
    id,
    asset_id,
    feeds,
    current_feed,
    current_feed_publication_time,
    current_maintenance_collateralization,
    current_initial_collateralization,
    options,
    force_settled_volume,
    is_prediction_market,
    settlement_price,
    settlement_fund,
    individual_settlement_debt,
    individual_settlement_fund,
    asset_cer_updated,
    feed_cer_updated,
    median_feed
});

impl AssetBitassetDataObject {
    /// `has_settlement()`: globally settled.
    pub fn is_globally_settled(&self) -> bool {
        !self.settlement_price.is_null()
    }

    /// `feed_expiration_time()`: when the current feed stops counting (saturating).
    pub fn feed_expiration_time(&self) -> TimePointSec {
        TimePointSec(self.current_feed_publication_time.0.saturating_add(self.options.feed_lifetime_sec))
    }

    /// `feed_is_expired(now)`.
    pub fn feed_is_expired(&self, now: TimePointSec) -> bool {
        self.feed_expiration_time() <= now
    }

    /// `need_to_update_cer()`.
    pub fn need_to_update_cer(&self) -> bool {
        (self.feed_cer_updated || self.asset_cer_updated) && !self.current_feed.feed.core_exchange_rate.is_null()
    }

    /// `max_force_settlement_volume(supply)`: `supply' × maximum_force_settlement_volume / 10000`,
    /// where `supply'` adds back what was already settled this interval (`asset_object.cpp:33-45`).
    pub fn max_force_settlement_volume(&self, current_supply: i64) -> i64 {
        let pct = i128::from(self.options.maximum_force_settlement_volume);
        if pct == 0 {
            return 0;
        }
        if pct == 10_000 {
            return current_supply;
        }
        let volume = (i128::from(current_supply) + i128::from(self.force_settled_volume)) * pct / 10_000;
        i64::try_from(volume).unwrap_or(i64::MAX)
    }
}

/// A debt position (1.8.x, `call_order_object`): `debt` of a BitAsset backed by `collateral`
/// of its backing asset. One per (borrower, debt asset).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CallOrderObject {
    pub id: CallOrderId,
    pub borrower: AccountId,
    /// In the backing asset (`call_price.base.asset_id`).
    #[serde(with = "crate::json::int64")]
    pub collateral: i64,
    /// In the BitAsset (`call_price.quote.asset_id`).
    #[serde(with = "crate::json::int64")]
    pub debt: i64,
    /// Legacy cached trigger price (collateral per debt × MCR); since CORE-1270 only its asset
    /// pair matters: base = collateral asset, quote = debt asset.
    pub call_price: Price,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_collateral_ratio: Option<u16>,
}
crate::impl_pack!(CallOrderObject { id, borrower, collateral, debt, call_price, target_collateral_ratio });

impl CallOrderObject {
    pub fn debt_asset(&self) -> AssetId {
        self.call_price.quote.asset_id
    }
    pub fn collateral_asset(&self) -> AssetId {
        self.call_price.base.asset_id
    }
    pub fn get_debt(&self) -> Asset {
        Asset::new(self.debt, self.debt_asset())
    }
    pub fn get_collateral(&self) -> Asset {
        Asset::new(self.collateral, self.collateral_asset())
    }
    /// `collateralization()`: collateral / debt as a price (C/D).
    pub fn collateralization(&self) -> Price {
        Price { base: self.get_collateral(), quote: self.get_debt() }
    }
}

/// A pending force-settlement request (1.4.x, `force_settlement_object`): `balance` of a BitAsset
/// to be settled for collateral at `settlement_date`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ForceSettlementObject {
    pub id: ForceSettlementId,
    pub owner: AccountId,
    pub balance: Asset,
    pub settlement_date: TimePointSec,
}
crate::impl_pack!(ForceSettlementObject { id, owner, balance, settlement_date });

/// A bid to take over debt of a globally settled BitAsset (2.17.x, `collateral_bid_object`):
/// `inv_swan_price` = additional collateral (base) / debt covered (quote).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CollateralBidObject {
    pub id: CollateralBidId,
    pub bidder: AccountId,
    pub inv_swan_price: Price,
}
crate::impl_pack!(CollateralBidObject { id, bidder, inv_swan_price });

impl CollateralBidObject {
    /// The BitAsset the bid is for.
    pub fn debt_asset(&self) -> AssetId {
        self.inv_swan_price.quote.asset_id
    }
}
