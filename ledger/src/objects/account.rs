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
///
/// Fields and their order are core's `FC_REFLECT` (account_object.cpp:330-346), so the JSON a
/// client reads has core's shape. The ticket totals (`total_core_inactive` .. `total_pol_value`)
/// stay 0 while tickets are not supported; the voting-power statistics (`vp_*`,
/// `vote_tally_time`) are written by the vote tally, which arrives with the governance work.
/// `most_recent_op` stays at core's default 2.9.0: operation history is built from block
/// outcomes outside consensus state.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountStatisticsObject {
    pub id: AccountStatisticsId,
    pub owner: AccountId,
    pub name: String,
    pub most_recent_op: AccountTransactionHistoryId,
    #[serde(with = "crate::json::uint64")]
    pub total_ops: u64,
    #[serde(with = "crate::json::uint64")]
    pub removed_ops: u64,
    #[serde(with = "crate::json::int64")]
    pub total_core_in_orders: i64,
    #[serde(with = "crate::json::int64")]
    pub total_core_inactive: i64,
    #[serde(with = "crate::json::int64")]
    pub total_core_pob: i64,
    #[serde(with = "crate::json::int64")]
    pub total_core_pol: i64,
    #[serde(with = "crate::json::int64")]
    pub total_pob_value: i64,
    #[serde(with = "crate::json::int64")]
    pub total_pol_value: i64,
    #[serde(with = "crate::json::int64")]
    pub core_in_balance: i64,
    pub has_cashback_vb: bool,
    pub is_voting: bool,
    pub last_vote_time: TimePointSec,
    #[serde(with = "crate::json::uint64")]
    pub vp_all: u64,
    #[serde(with = "crate::json::uint64")]
    pub vp_active: u64,
    #[serde(with = "crate::json::uint64")]
    pub vp_committee: u64,
    #[serde(with = "crate::json::uint64")]
    pub vp_witness: u64,
    #[serde(with = "crate::json::uint64")]
    pub vp_worker: u64,
    pub vote_tally_time: TimePointSec,
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
    total_core_inactive,
    total_core_pob,
    total_core_pol,
    total_pob_value,
    total_pol_value,
    core_in_balance,
    has_cashback_vb,
    is_voting,
    last_vote_time,
    vp_all,
    vp_active,
    vp_committee,
    vp_witness,
    vp_worker,
    vote_tally_time,
    lifetime_fees_paid,
    pending_fees,
    pending_vested_fees
});
