//! The market: limit orders (1, 2, 77), debt positions (3), collateral bids (45) and the
//! virtual fills (4, 46) (`market.hpp`, `market.cpp`).

use super::validate::{different_assets, fee_non_negative, percent, positive, valid_price};
use super::{OperationBody, ValidateError};
use crate::asset::{Asset, Price};
use crate::ext::Extensions;
use crate::ids::{AccountId, AssetId, LimitOrderId, ObjectId};
use crate::time::TimePointSec;

protocol_struct! {
    /// `create_take_profit_order_action`: when the order fills, place an opposite order at a spread.
    pub struct CreateTakeProfitOrderAction {
        fee_asset_id: AssetId,
        #[serde(with = "crate::json::lenient")]
        spread_percent: u16,
        #[serde(with = "crate::json::lenient")]
        size_percent: u16 = crate::asset::PERCENT_100,
        #[serde(with = "crate::json::lenient")]
        expiration_seconds: u32,
        repeat: bool,
        extensions: Extensions,
    }
}

static_variant! {
    /// `limit_order_auto_action`.
    pub enum LimitOrderAutoAction {
        0 => CreateTakeProfitOrder(CreateTakeProfitOrderAction) "create_take_profit_order_action",
    }
}

impl Default for LimitOrderAutoAction {
    fn default() -> Self {
        LimitOrderAutoAction::CreateTakeProfitOrder(Default::default())
    }
}

/// `lo_action_validate_visitor` over every action (market.cpp:30-60). The number of actions is
/// a stateful rule in core (`limit_order_create_evaluator` wants exactly one,
/// `limit_order_update_evaluator` at most one), so a proposal may carry any number; the engine
/// checks the count.
fn validate_on_fill(actions: &[LimitOrderAutoAction]) -> Result<(), ValidateError> {
    for LimitOrderAutoAction::CreateTakeProfitOrder(a) in actions {
        positive("spread_percent", i64::from(a.spread_percent))?;
        positive("size_percent", i64::from(a.size_percent))?;
        percent("size_percent", a.size_percent)?;
        positive("expiration_seconds", i64::from(a.expiration_seconds))?;
    }
    Ok(())
}

ext_struct! {
    /// `limit_order_create_operation::options_type`.
    pub struct LimitOrderCreateExt {
        0 => on_fill: Vec<LimitOrderAutoAction>,
    }
}

protocol_struct! {
    /// 1 `limit_order_create_operation`.
    pub struct LimitOrderCreateOp {
        fee: Asset,
        seller: AccountId,
        amount_to_sell: Asset,
        min_to_receive: Asset,
        expiration: TimePointSec = TimePointSec::MAX,
        fill_or_kill: bool,
        extensions: LimitOrderCreateExt,
    }
}

impl LimitOrderCreateOp {
    /// `amount_to_sell / min_to_receive`.
    pub fn price(&self) -> Price {
        Price::new(self.amount_to_sell, self.min_to_receive)
    }
}

impl OperationBody for LimitOrderCreateOp {
    fn fee_payer(&self) -> AccountId {
        self.seller
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_assets("limit order market", self.amount_to_sell.asset_id, self.min_to_receive.asset_id)?;
        positive("amount_to_sell", self.amount_to_sell.amount)?;
        positive("min_to_receive", self.min_to_receive.amount)?;
        if let Some(on_fill) = &self.extensions.on_fill {
            validate_on_fill(on_fill)?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 2 `limit_order_cancel_operation` (reflect order: payer before order).
    pub struct LimitOrderCancelOp {
        fee: Asset,
        fee_paying_account: AccountId,
        order: LimitOrderId,
        extensions: Extensions,
    }
}
super::simple_body!(LimitOrderCancelOp => fee_paying_account);

ext_struct! {
    /// `call_order_update_operation::options_type`.
    pub struct CallOrderUpdateExt {
        0 => target_collateral_ratio: u16,
    }
}

protocol_struct! {
    /// 3 `call_order_update_operation`.
    pub struct CallOrderUpdateOp {
        fee: Asset,
        funding_account: AccountId,
        delta_collateral: Asset,
        delta_debt: Asset,
        extensions: CallOrderUpdateExt,
    }
}

impl OperationBody for CallOrderUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.funding_account
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        different_assets("collateral/debt", self.delta_collateral.asset_id, self.delta_debt.asset_id)?;
        if self.delta_collateral.amount == 0 && self.delta_debt.amount == 0 {
            return Err(ValidateError::ZeroAmount { field: "delta_collateral and delta_debt" });
        }
        Ok(())
    }
}

protocol_struct! {
    /// 4 `fill_order_operation` (virtual): `fee` is the market fee charged to the receiver.
    pub struct FillOrderOp {
        fee: Asset,
        order_id: ObjectId,
        account_id: AccountId,
        pays: Asset,
        receives: Asset,
        fill_price: Price,
        is_maker: bool,
    }
}
super::simple_body!(FillOrderOp => account_id);

protocol_struct! {
    /// 45 `bid_collateral_operation`.
    pub struct BidCollateralOp {
        fee: Asset,
        bidder: AccountId,
        additional_collateral: Asset,
        debt_covered: Asset,
        extensions: Extensions,
    }
}

impl OperationBody for BidCollateralOp {
    fn fee_payer(&self) -> AccountId {
        self.bidder
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        // A bid either withdraws (covers 0 debt) or covers positive debt with positive collateral.
        if self.debt_covered.amount != 0 {
            positive("debt_covered", self.debt_covered.amount)?;
            positive("additional_collateral", self.additional_collateral.amount)?;
        }
        Ok(())
    }
}

protocol_struct! {
    /// 46 `execute_bid_operation` (virtual).
    pub struct ExecuteBidOp {
        fee: Asset,
        bidder: AccountId,
        debt: Asset,
        collateral: Asset,
    }
}
super::simple_body!(ExecuteBidOp => bidder);

protocol_struct! {
    /// 77 `limit_order_update_operation`.
    pub struct LimitOrderUpdateOp {
        fee: Asset,
        seller: AccountId,
        order: LimitOrderId,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_price: Option<Price>,
        #[serde(skip_serializing_if = "Option::is_none")]
        delta_amount_to_sell: Option<Asset>,
        #[serde(skip_serializing_if = "Option::is_none")]
        new_expiration: Option<TimePointSec>,
        #[serde(skip_serializing_if = "Option::is_none")]
        on_fill: Option<Vec<LimitOrderAutoAction>>,
        extensions: Extensions,
    }
}

impl OperationBody for LimitOrderUpdateOp {
    fn fee_payer(&self) -> AccountId {
        self.seller
    }
    fn validate(&self) -> Result<(), ValidateError> {
        fee_non_negative(&self.fee)?;
        if self.new_price.is_none()
            && self.delta_amount_to_sell.is_none()
            && self.new_expiration.is_none()
            && self.on_fill.is_none()
        {
            return Err(ValidateError::rule("nothing_to_update", "limit_order_update must change something"));
        }
        if let Some(p) = &self.new_price {
            valid_price("new_price", p)?;
        }
        if let Some(d) = &self.delta_amount_to_sell {
            if d.amount == 0 {
                return Err(ValidateError::ZeroAmount { field: "delta_amount_to_sell" });
            }
        }
        if let Some(on_fill) = &self.on_fill {
            validate_on_fill(on_fill)?;
        }
        Ok(())
    }
}
