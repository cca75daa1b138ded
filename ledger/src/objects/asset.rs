//! Assets (1.3.x), their dynamic data (2.3.x), and genesis balances (1.15.x).

use crate::asset::Asset;
use crate::ids::*;
use crate::keys::Address;
use crate::ops::AssetOptions;
use crate::time::TimePointSec;
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetObject {
    pub id: AssetId,
    pub symbol: String,
    pub precision: u8,
    pub issuer: AccountId,
    pub options: AssetOptions,
    pub dynamic_asset_data_id: AssetDynamicDataId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitasset_data_id: Option<AssetBitassetDataId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyback_account: Option<AccountId>,
    pub creation_block_num: u32,
    pub creation_time: TimePointSec,
}
crate::impl_pack!(AssetObject {
    id,
    symbol,
    precision,
    issuer,
    options,
    dynamic_asset_data_id,
    bitasset_data_id,
    buyback_account,
    creation_block_num,
    creation_time
});

impl AssetObject {
    pub fn is_market_issued(&self) -> bool {
        self.bitasset_data_id.is_some()
    }

    /// Render an amount of this asset with its precision, e.g. `12.00000 BTS`.
    pub fn display(&self, amount: i64) -> String {
        format_amount(amount, self.precision, &self.symbol)
    }
}

/// `amount` in units of 10^-precision, as text with the symbol.
pub fn format_amount(amount: i64, precision: u8, symbol: &str) -> String {
    let scale = 10i128.pow(u32::from(precision.min(18)));
    let a = i128::from(amount);
    let sign = if a < 0 { "-" } else { "" };
    let (whole, frac) = (a.abs() / scale, a.abs() % scale);
    if precision == 0 {
        format!("{sign}{whole} {symbol}")
    } else {
        format!("{sign}{whole}.{frac:0width$} {symbol}", width = usize::from(precision))
    }
}

/// The changing numbers of an asset, kept apart from its options (2.3.x).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AssetDynamicDataObject {
    pub id: AssetDynamicDataId,
    #[serde(with = "crate::json::int64")]
    pub current_supply: i64,
    #[serde(with = "crate::json::int64")]
    pub confidential_supply: i64,
    #[serde(with = "crate::json::int64")]
    pub accumulated_fees: i64,
    #[serde(with = "crate::json::int64")]
    pub accumulated_collateral_fees: i64,
    #[serde(with = "crate::json::int64")]
    pub fee_pool: i64,
}
crate::impl_pack!(AssetDynamicDataObject {
    id,
    current_supply,
    confidential_supply,
    accumulated_fees,
    accumulated_collateral_fees,
    fee_pool
});

/// A genesis balance claimable by the holder of a key (1.15.x).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BalanceObject {
    pub id: BalanceId,
    pub owner: Address,
    pub balance: Asset,
    pub last_claim_date: TimePointSec,
}
crate::impl_pack!(BalanceObject { id, owner, balance, last_claim_date });

#[cfg(test)]
mod tests {
    use super::format_amount;

    #[test]
    fn amounts_render_with_precision() {
        assert_eq!(format_amount(1_000_000, 5, "BTS"), "10.00000 BTS");
        assert_eq!(format_amount(-5, 2, "USD"), "-0.05 USD");
        assert_eq!(format_amount(7, 0, "X"), "7 X");
    }
}
