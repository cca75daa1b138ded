//! Chain-wide singletons (2.0.0, 2.1.0, 2.11.0, 2.12.0), block summaries (2.8.x), the
//! de-duplication window (2.7.x), witnesses (1.6.x) and committee members (1.5.x).

use crate::block::BlockId;
use crate::chain::{ChainParameters, ImmutableChainParameters};
use crate::ids::*;
use crate::keys::PublicKey;
use crate::time::TimePointSec;
use crate::transaction::{ChainId, TransactionId};
use serde::{Deserialize, Serialize};

/// 2.0.0: parameters and the active sets.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GlobalPropertyObject {
    pub id: GlobalPropertyId,
    pub parameters: ChainParameters,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_parameters: Option<ChainParameters>,
    pub next_available_vote_id: u32,
    pub active_committee_members: Vec<CommitteeMemberId>,
    pub active_witnesses: Vec<WitnessId>,
}
crate::impl_pack!(GlobalPropertyObject {
    id,
    parameters,
    pending_parameters,
    next_available_vote_id,
    active_committee_members,
    active_witnesses
});

/// 2.1.0: what changes every block.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DynamicGlobalPropertyObject {
    pub id: DynamicGlobalPropertyId,
    pub head_block_number: u32,
    pub head_block_id: BlockId,
    pub time: TimePointSec,
    pub current_witness: WitnessId,
    pub next_maintenance_time: TimePointSec,
    pub last_vote_tally_time: TimePointSec,
    pub last_budget_time: TimePointSec,
    #[serde(with = "crate::json::int64")]
    pub witness_budget: i64,
    #[serde(with = "crate::json::int64")]
    pub total_pob: i64,
    #[serde(with = "crate::json::int64")]
    pub total_inactive: i64,
    pub accounts_registered_this_interval: u32,
    pub recently_missed_count: u32,
    pub current_aslot: u64,
    #[serde(with = "u128_text")]
    pub recent_slots_filled: u128,
    pub dynamic_flags: u32,
    pub last_irreversible_block_num: u32,
}
crate::impl_pack!(DynamicGlobalPropertyObject {
    id,
    head_block_number,
    head_block_id,
    time,
    current_witness,
    next_maintenance_time,
    last_vote_tally_time,
    last_budget_time,
    witness_budget,
    total_pob,
    total_inactive,
    accounts_registered_this_interval,
    recently_missed_count,
    current_aslot,
    recent_slots_filled,
    dynamic_flags,
    last_irreversible_block_num
});

/// fc writes 128-bit integers as decimal strings.
mod u128_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let t = String::deserialize(d)?;
        t.parse().map_err(serde::de::Error::custom)
    }
}

/// 2.11.0: what never changes after genesis.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ChainPropertyObject {
    pub id: ChainPropertyId,
    pub chain_id: ChainId,
    pub immutable_parameters: ImmutableChainParameters,
}
crate::impl_pack!(ChainPropertyObject { id, chain_id, immutable_parameters });

/// 2.8.x: the id of block `n` at instance `n & 0xffff`, for TaPoS.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BlockSummaryObject {
    pub id: BlockSummaryId,
    pub block_id: BlockId,
}
crate::impl_pack!(BlockSummaryObject { id, block_id });

/// 2.7.x: a recently applied transaction, kept until it expires so it cannot be applied twice.
/// bitshares-core stores the whole transaction here; this node keeps only what de-duplication
/// needs (its id and expiration), which is all consensus depends on.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TransactionHistoryObject {
    pub id: TransactionHistoryId,
    pub trx_id: TransactionId,
    pub expiration: TimePointSec,
}
crate::impl_pack!(TransactionHistoryObject { id, trx_id, expiration });

/// 2.12.0: the shuffled order in which the active witnesses produce.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WitnessScheduleObject {
    pub id: WitnessScheduleId,
    pub current_shuffled_witnesses: Vec<WitnessId>,
}
crate::impl_pack!(WitnessScheduleObject { id, current_shuffled_witnesses });

/// 1.6.x
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WitnessObject {
    pub id: WitnessId,
    pub witness_account: AccountId,
    pub last_aslot: u64,
    pub signing_key: PublicKey,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pay_vb: Option<VestingBalanceId>,
    pub vote_id: crate::ops::VoteId,
    #[serde(with = "crate::json::uint64")]
    pub total_votes: u64,
    pub url: String,
    #[serde(with = "crate::json::int64")]
    pub total_missed: i64,
    pub last_confirmed_block_num: u32,
}
crate::impl_pack!(WitnessObject {
    id,
    witness_account,
    last_aslot,
    signing_key,
    pay_vb,
    vote_id,
    total_votes,
    url,
    total_missed,
    last_confirmed_block_num
});

/// 1.5.x
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CommitteeMemberObject {
    pub id: CommitteeMemberId,
    pub committee_member_account: AccountId,
    pub vote_id: crate::ops::VoteId,
    #[serde(with = "crate::json::uint64")]
    pub total_votes: u64,
    pub url: String,
}
crate::impl_pack!(CommitteeMemberObject { id, committee_member_account, vote_id, total_votes, url });
