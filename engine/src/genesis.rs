//! Building the initial state from a genesis description (PROTOCOL.md §12,
//! db_genesis.cpp:48-593), in bitshares-core's order so that every id matches.
//!
//! Initial accounts are made with the same code path as `account_create` (registrar
//! temp-account, referrer committee-account, as the C++ default-constructed operation has), and
//! lifetime members are upgraded with the same function `account_upgrade` uses.

use crate::error::Rejection;
use crate::evaluators::account::upgrade_to_lifetime;
use crate::state::State;
use ledger::asset::{Asset, Price, MAX_SHARE_SUPPLY, PERCENT_100};
use ledger::authority::Authority;
use ledger::chain::constants::DEFAULT_NETWORK_PERCENT_OF_FEE;
use ledger::genesis::GenesisState;
use ledger::ids::*;
use ledger::objects::*;
use ledger::ops::{AccountOptions, AssetOptions, VoteId};
use ledger::time::TimePointSec;
use ledger::transaction::ChainId;

/// Why a genesis could not be built.
#[derive(Debug, thiserror::Error)]
pub enum GenesisError {
    #[error("invalid genesis: {0}")]
    Invalid(String),
    #[error("genesis account '{0}' referenced by a witness or committee candidate does not exist")]
    UnknownAccount(String),
    #[error("genesis balance names asset '{0}', which genesis does not create")]
    UnknownAsset(String),
    #[error("genesis account could not be created: {0}")]
    Rejected(#[from] Rejection),
    #[error("genesis {what} is not supported yet ({reason}); remove it from the genesis file")]
    Unsupported { what: &'static str, reason: &'static str },
}

const SPECIAL_ACCOUNTS: [&str; 6] = [
    "committee-account",
    "witness-account",
    "relaxed-committee-account",
    "null-account",
    "temp-account",
    "proxy-to-self",
];

/// The number of TaPoS block summaries (block numbers modulo 2^16, plus one as in the C++).
pub const BLOCK_SUMMARY_COUNT: u64 = 0x1_0001;

/// One of the special accounts 1.2.0-1.2.5 as db_genesis.cpp:76-184 makes it: each is its own
/// registrar and referrer, except null-account and proxy-to-self, which take null-account's data
/// (`init_account_data_as_null`: registrar null-account, no network cut); the network share is
/// the compile-time default, not the genesis parameter; committee-account's statistics start with
/// the whole share supply as `core_in_balance`.
fn special_account(state: &mut State, index: usize, name: &str, t0: TimePointSec) {
    let instance = state.accounts.next_instance();
    let id = AccountId(instance);
    let committee = index == COMMITTEE_ACCOUNT.0 as usize;
    let stats = state.statistics.create(|i| AccountStatisticsObject {
        id: AccountStatisticsId(i),
        owner: id,
        name: name.into(),
        core_in_balance: if committee { MAX_SHARE_SUPPLY } else { 0 },
        ..Default::default()
    });
    // temp-account has threshold 0 (anyone may act for it); the others threshold 1 with no
    // members (nobody can, until votes set committee and witness authorities).
    let threshold = u32::from(index != TEMP_ACCOUNT.0 as usize);
    let auth = Authority { weight_threshold: threshold, ..Default::default() };
    let as_null = index == NULL_ACCOUNT.0 as usize || index == PROXY_TO_SELF_ACCOUNT.0 as usize;
    let registrar = if as_null { NULL_ACCOUNT } else { id };
    let network_pct = if as_null { 0 } else { DEFAULT_NETWORK_PERCENT_OF_FEE };
    state.accounts.create(|i| AccountObject {
        id: AccountId(i),
        membership_expiration_date: TimePointSec::MAX,
        registrar,
        referrer: registrar,
        lifetime_referrer: registrar,
        network_fee_percentage: network_pct,
        lifetime_referrer_fee_percentage: PERCENT_100 - network_pct,
        name: name.into(),
        owner: auth.clone(),
        active: auth,
        options: AccountOptions { voting_account: PROXY_TO_SELF_ACCOUNT, ..Default::default() },
        statistics: AccountStatisticsId(stats),
        // db_genesis.cpp:73, 94-184: `_current_block_time` is the genesis timestamp.
        creation_time: t0,
        ..Default::default()
    });
}

/// Reserve the account ids below `num_special_accounts` by creating and removing placeholders,
/// as db_genesis.cpp:186-213 does (their statistics ids are reserved alike).
fn reserve_special_accounts(state: &mut State, genesis: &GenesisState) {
    while state.accounts.next_instance() < u64::from(genesis.immutable_parameters.num_special_accounts) {
        let stats =
            state.statistics.create(|i| AccountStatisticsObject { id: AccountStatisticsId(i), ..Default::default() });
        let account = state.accounts.create(|i| AccountObject {
            id: AccountId(i),
            name: format!("special-account-{i}"),
            statistics: AccountStatisticsId(stats),
            ..Default::default()
        });
        state.statistics.remove(stats);
        state.accounts.remove(account);
    }
}

/// Reserve the asset ids below `num_special_assets` (db_genesis.cpp:232-258), with their dynamic
/// data ids.
fn reserve_special_assets(state: &mut State, genesis: &GenesisState) {
    while state.assets.next_instance() < u64::from(genesis.immutable_parameters.num_special_assets) {
        let dynamic =
            state.asset_dynamic.create(|i| AssetDynamicDataObject { id: AssetDynamicDataId(i), ..Default::default() });
        let asset = state.assets.create(|i| AssetObject {
            id: AssetId(i),
            symbol: format!("SPECIAL{i}"),
            dynamic_asset_data_id: AssetDynamicDataId(dynamic),
            ..Default::default()
        });
        state.asset_dynamic.remove(dynamic);
        state.assets.remove(asset);
    }
}

/// Build the genesis state. `chain_id` is usually sha256 of the genesis text (see
/// [`chain_id_of`]), or set explicitly.
pub fn build(genesis: &GenesisState, chain_id: ChainId) -> Result<State, GenesisError> {
    genesis.validate().map_err(|e| GenesisError::Invalid(e.to_string()))?;
    let mut state = State::default();
    state.set_undo_enabled(false);
    let params = genesis.initial_parameters.clone();
    let t0 = genesis.initial_timestamp;

    // 1. The whole share supply (10^15, whatever `max_core_supply` says) starts with
    // committee-account (2.5.0), db_genesis.cpp:77-79.
    state.balances.create(|i| AccountBalanceObject {
        id: AccountBalanceId(i),
        owner: COMMITTEE_ACCOUNT,
        asset_type: CORE_ASSET,
        balance: MAX_SHARE_SUPPLY,
        maintenance_flag: false,
    });
    // 2. Special accounts 1.2.0 - 1.2.5, then the reserved ids up to `num_special_accounts`.
    for (i, name) in SPECIAL_ACCOUNTS.iter().enumerate() {
        special_account(&mut state, i, name, t0);
    }
    reserve_special_accounts(&mut state, genesis);
    // 3. The core asset 1.3.0 and its dynamic data 2.3.0 (db_genesis.cpp:215-231).
    state.asset_dynamic.create(|i| AssetDynamicDataObject {
        id: AssetDynamicDataId(i),
        current_supply: MAX_SHARE_SUPPLY,
        ..Default::default()
    });
    state.assets.create(|i| AssetObject {
        id: AssetId(i),
        symbol: "BTS".into(),
        precision: 5,
        issuer: NULL_ACCOUNT,
        options: AssetOptions {
            max_supply: genesis.max_core_supply,
            core_exchange_rate: Price::new(Asset::core(1), Asset::core(1)),
            ..Default::default()
        },
        dynamic_asset_data_id: AssetDynamicDataId(0),
        // db_genesis.cpp:227.
        creation_time: t0,
        ..Default::default()
    });
    reserve_special_assets(&mut state, genesis);
    // 4. Global singletons and the TaPoS summaries.
    state.global.create(|i| GlobalPropertyObject {
        id: GlobalPropertyId(i),
        parameters: params.clone(),
        ..Default::default()
    });
    state.dynamic_global.create(|i| DynamicGlobalPropertyObject {
        id: DynamicGlobalPropertyId(i),
        time: t0,
        recent_slots_filled: u128::MAX,
        ..Default::default()
    });
    state.chain_property.create(|i| ChainPropertyObject {
        id: ChainPropertyId(i),
        chain_id,
        immutable_parameters: genesis.immutable_parameters,
    });
    for _ in 0..BLOCK_SUMMARY_COUNT {
        state.block_summaries.create(|i| BlockSummaryObject { id: BlockSummaryId(i), block_id: Default::default() });
    }
    // 5. Initial accounts.
    for acct in &genesis.initial_accounts {
        if state.account_by_name(&acct.name).is_some() {
            return Err(GenesisError::Invalid(format!("account name '{}' appears twice", acct.name)));
        }
        // An account without an active key uses its owner key for both (db_genesis.cpp:297-306).
        let active_key = acct.effective_active_key();
        let instance = state.accounts.next_instance();
        let id = AccountId(instance);
        let stats = state.statistics.create(|i| AccountStatisticsObject {
            id: AccountStatisticsId(i),
            owner: id,
            name: acct.name.clone(),
            ..Default::default()
        });
        state.accounts.create(|i| AccountObject {
            id: AccountId(i),
            registrar: TEMP_ACCOUNT,
            referrer: COMMITTEE_ACCOUNT,
            lifetime_referrer: COMMITTEE_ACCOUNT,
            network_fee_percentage: params.network_percent_of_fee,
            lifetime_referrer_fee_percentage: params.lifetime_referrer_percent_of_fee,
            name: acct.name.clone(),
            owner: Authority::single_key(acct.owner_key),
            active: Authority::single_key(active_key),
            options: AccountOptions {
                memo_key: active_key,
                voting_account: PROXY_TO_SELF_ACCOUNT,
                ..Default::default()
            },
            statistics: AccountStatisticsId(stats),
            creation_time: t0,
            ..Default::default()
        });
        if acct.is_lifetime_member {
            upgrade_to_lifetime(&mut state, id);
        }
    }
    // Core registers initial accounts with account_create (db_genesis.cpp:290-316), which counts
    // them in `accounts_registered_this_interval` (account_evaluator.cpp:217-220): registrations
    // before the first maintenance continue that count, and the first maintenance undoes the
    // fee scaling by it. (The scaling itself hit the zeroed genesis schedule and is discarded.)
    let registered = u32::try_from(genesis.initial_accounts.len())
        .map_err(|_| GenesisError::Invalid("more than 2^32 initial accounts".into()))?;
    state.dynamic_global.modify(0, |d| d.accounts_registered_this_interval = registered);
    // 6. Initial assets (user-issued only here), then balances as claimable balance objects (1.15.x).
    if !genesis.initial_vesting_balances.is_empty() {
        return Err(GenesisError::Unsupported {
            what: "initial_vesting_balances",
            reason: "vesting genesis balances arrive with the fees issue",
        });
    }
    if !genesis.initial_worker_candidates.is_empty() {
        return Err(GenesisError::Unsupported {
            what: "initial_worker_candidates",
            reason: "workers arrive with governance",
        });
    }
    for a in &genesis.initial_assets {
        if a.is_bitasset {
            return Err(GenesisError::Unsupported {
                what: "market-issued initial_assets",
                reason: "BitAssets arrive with their own issue",
            });
        }
        if state.asset_by_symbol(&a.symbol).is_some() {
            return Err(GenesisError::Invalid(format!("asset symbol '{}' appears twice", a.symbol)));
        }
        let issuer = state
            .account_by_name(&a.issuer_name)
            .ok_or_else(|| GenesisError::UnknownAccount(a.issuer_name.clone()))?
            .id;
        let dynamic = state.asset_dynamic.create(|i| AssetDynamicDataObject {
            id: AssetDynamicDataId(i),
            accumulated_fees: a.accumulated_fees,
            ..Default::default()
        });
        state.assets.create(|i| AssetObject {
            id: AssetId(i),
            symbol: a.symbol.clone(),
            precision: a.precision,
            issuer,
            options: AssetOptions {
                max_supply: a.max_supply,
                description: a.description.clone(),
                // db_genesis.cpp:400-413: flags witness_fed_asset, the UIA default permissions,
                // and the default-constructed core exchange rate 0/0 (1.3.0 / 1.3.1).
                flags: ledger::ops::flags::WITNESS_FED_ASSET,
                ..Default::default()
            },
            dynamic_asset_data_id: AssetDynamicDataId(dynamic),
            creation_time: t0,
            ..Default::default()
        });
    }
    let mut allocated: i64 = 0;
    for b in &genesis.initial_balances {
        let asset = state
            .asset_by_symbol(&b.asset_symbol)
            .ok_or_else(|| GenesisError::UnknownAsset(b.asset_symbol.clone()))?
            .id;
        if asset == CORE_ASSET {
            allocated += b.amount;
        }
        state.genesis_balances.create(|i| BalanceObject {
            id: BalanceId(i),
            owner: b.owner,
            balance: Asset::new(b.amount, asset),
            last_claim_date: TimePointSec(0),
        });
    }
    if allocated > 0 {
        state.balances.modify(0, |b| b.balance = 0);
        state.asset_dynamic.modify(0, |d| d.current_supply = allocated);
    }
    // Every other asset's supply is its genesis `accumulated_fees` plus what genesis hands out of
    // it (db_genesis.cpp:362, 427).
    let mut supplies = std::collections::BTreeMap::<AssetId, i64>::new();
    for (_, a) in state.assets.iter().filter(|(_, a)| a.id != CORE_ASSET) {
        supplies.insert(a.id, state.asset_dynamic.get(a.dynamic_asset_data_id.0).map_or(0, |d| d.accumulated_fees));
    }
    for (_, b) in state.genesis_balances.iter() {
        if b.balance.asset_id != CORE_ASSET {
            *supplies.entry(b.balance.asset_id).or_default() += b.balance.amount;
        }
    }
    for (asset, supply) in supplies {
        let a = state.asset(asset).expect("balances name created assets");
        if supply > a.options.max_supply {
            return Err(GenesisError::Invalid(format!(
                "genesis hands out {supply} of {}, above its max_supply",
                a.symbol
            )));
        }
        let dynamic = a.dynamic_asset_data_id.0;
        state.asset_dynamic.modify(dynamic, |d| d.current_supply = supply);
    }
    // 7. Witnesses (1.6.0 reserved), then committee members, each with a vote id.
    let placeholder = state.witnesses.create(|i| WitnessObject { id: WitnessId(i), ..Default::default() });
    state.witnesses.remove(placeholder);
    let mut next_vote: u32 = 0;
    for w in &genesis.initial_witness_candidates {
        let account =
            state.account_by_name(&w.owner_name).ok_or_else(|| GenesisError::UnknownAccount(w.owner_name.clone()))?.id;
        state.witnesses.create(|i| WitnessObject {
            id: WitnessId(i),
            witness_account: account,
            signing_key: w.block_signing_key,
            vote_id: VoteId::new(ledger::ops::VoteType::Witness, next_vote),
            ..Default::default()
        });
        next_vote += 1;
    }
    for c in &genesis.initial_committee_candidates {
        let account =
            state.account_by_name(&c.owner_name).ok_or_else(|| GenesisError::UnknownAccount(c.owner_name.clone()))?.id;
        state.committee_members.create(|i| CommitteeMemberObject {
            id: CommitteeMemberId(i),
            committee_member_account: account,
            vote_id: VoteId::new(ledger::ops::VoteType::Committee, next_vote),
            ..Default::default()
        });
        next_vote += 1;
    }
    // 8. The active sets and the first witness schedule (id order).
    let active: Vec<WitnessId> = (1..=genesis.initial_active_witnesses).map(WitnessId).collect();
    for w in &active {
        if state.witnesses.get(w.0).is_none() {
            return Err(GenesisError::Invalid(format!(
                "initial_active_witnesses is {} but only {} witness candidates exist",
                genesis.initial_active_witnesses,
                genesis.initial_witness_candidates.len()
            )));
        }
    }
    let committee: Vec<CommitteeMemberId> = state.committee_members.iter().map(|(i, _)| CommitteeMemberId(i)).collect();
    state.global.modify(0, |g| {
        g.next_available_vote_id = next_vote;
        g.active_witnesses = active.clone();
        g.active_committee_members = committee;
    });
    state
        .witness_schedule
        .create(|i| WitnessScheduleObject { id: WitnessScheduleId(i), current_shuffled_witnesses: active });

    // Genesis is the first "block" of the state hash chain: seal it.
    state.seal_block_hash();
    state.set_undo_enabled(true);
    Ok(state)
}

/// chain_id = sha256 of the genesis JSON text exactly as loaded (application.cpp:516), unless
/// the genesis sets `initial_chain_id`.
pub fn chain_id_of(genesis: &GenesisState, text: &str) -> ChainId {
    ChainId(genesis.chain_id(text))
}
