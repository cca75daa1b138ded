//! Accounts (1.2.x), their balances (2.5.x) and statistics (2.6.x).

use crate::authority::Authority;
use crate::ids::*;
use crate::ops::{AccountOptions, SpecialAuthority};
use crate::time::TimePointSec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountObject {
    pub id: AccountId,
    pub membership_expiration_date: TimePointSec,
    pub registrar: AccountId,
    pub referrer: AccountId,
    pub lifetime_referrer: AccountId,
    pub network_fee_percentage: u16,
    pub lifetime_referrer_fee_percentage: u16,
    pub referrer_rewards_percentage: u16,
    pub name: String,
    pub owner: Authority,
    pub active: Authority,
    pub options: AccountOptions,
    pub statistics: AccountStatisticsId,
    pub whitelisting_accounts: BTreeSet<AccountId>,
    pub blacklisting_accounts: BTreeSet<AccountId>,
    pub whitelisted_accounts: BTreeSet<AccountId>,
    pub blacklisted_accounts: BTreeSet<AccountId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cashback_vb: Option<VestingBalanceId>,
    pub owner_special_authority: SpecialAuthority,
    pub active_special_authority: SpecialAuthority,
    pub top_n_control_flags: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_assets: Option<BTreeSet<AssetId>>,
    pub creation_block_num: u32,
    pub creation_time: TimePointSec,
}
crate::impl_pack!(AccountObject {
    id,
    membership_expiration_date,
    registrar,
    referrer,
    lifetime_referrer,
    network_fee_percentage,
    lifetime_referrer_fee_percentage,
    referrer_rewards_percentage,
    name,
    owner,
    active,
    options,
    statistics,
    whitelisting_accounts,
    blacklisting_accounts,
    whitelisted_accounts,
    blacklisted_accounts,
    cashback_vb,
    owner_special_authority,
    active_special_authority,
    top_n_control_flags,
    allowed_assets,
    creation_block_num,
    creation_time
});

impl AccountObject {
    /// Lifetime members have a membership that never expires.
    pub fn is_lifetime_member(&self) -> bool {
        self.membership_expiration_date == TimePointSec::MAX
    }

    /// Annual membership has been impossible since 2016, so "member" means lifetime member here
    /// unless an annual membership is still running at `now`.
    pub fn is_member(&self, now: TimePointSec) -> bool {
        self.membership_expiration_date > now
    }
}

/// One account's holding of one asset (2.5.x).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountBalanceObject {
    pub id: AccountBalanceId,
    pub owner: AccountId,
    pub asset_type: AssetId,
    #[serde(with = "crate::json::int64")]
    pub balance: i64,
    pub maintenance_flag: bool,
}
crate::impl_pack!(AccountBalanceObject { id, owner, asset_type, balance, maintenance_flag });

/// Per-account counters kept apart from the account so that hot updates stay small (2.6.x).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountStatisticsObject {
    pub id: AccountStatisticsId,
    pub owner: AccountId,
    pub name: String,
    pub most_recent_op: ObjectId,
    pub total_ops: u64,
    pub removed_ops: u64,
    #[serde(with = "crate::json::int64")]
    pub total_core_in_orders: i64,
    #[serde(with = "crate::json::int64")]
    pub core_in_balance: i64,
    pub has_cashback_vb: bool,
    pub is_voting: bool,
    pub last_vote_time: TimePointSec,
    #[serde(with = "crate::json::int64")]
    pub lifetime_fees_paid: i64,
    #[serde(with = "crate::json::int64")]
    pub pending_fees: i64,
    #[serde(with = "crate::json::int64")]
    pub pending_vested_fees: i64,
}
crate::impl_pack!(AccountStatisticsObject {
    id,
    owner,
    name,
    most_recent_op,
    total_ops,
    removed_ops,
    total_core_in_orders,
    core_in_balance,
    has_cashback_vb,
    is_voting,
    last_vote_time,
    lifetime_fees_paid,
    pending_fees,
    pending_vested_fees
});
