//! The genesis state: everything a chain starts from (PROTOCOL.md §12), in bitshares-core's
//! genesis JSON format (`genesis_state.hpp`), with the checks `db_genesis.cpp` makes before it
//! builds the first objects.
//!
//! Decoding is lenient like fc's: every field may be missing and takes its default, unknown
//! fields are ignored. [`GenesisState::validate`] then rejects, with the offending value, anything
//! bitshares-core would refuse (timestamp off the block grid, duplicate or malformed names,
//! candidates naming unknown accounts, allocations beyond an asset's maximum supply, invalid
//! initial chain parameters).
//!
//! The chain id is *not* a function of this structure: bitshares-core hashes the genesis file's
//! text ([`chain_id_of_text`]), so the same state written with different whitespace is a
//! different chain. [`DEV_GENESIS_JSON`] is the embedded development chain (see
//! [`GenesisState::dev`]).
//!
//! This module only describes and checks the state; building objects from it is the engine's.

use crate::asset::MAX_SHARE_SUPPLY;
use crate::chain::constants::{CORE_SYMBOL, MAX_ASSET_PRECISION};
use crate::chain::{ChainParameters, ChainParamsError, ImmutableChainParameters};
use crate::keys::{Address, PublicKey};
use crate::ops::{is_valid_account_name, is_valid_symbol as is_valid_asset_symbol};
use crate::time::TimePointSec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The development chain's genesis file (password `dev` for every account; see the file's
/// accounts and `GenesisState::dev`).
pub const DEV_GENESIS_JSON: &str = include_str!("dev_genesis.json");

/// Names of the special accounts 1.2.0 ..= 1.2.5 created before the initial accounts.
pub const SPECIAL_ACCOUNT_NAMES: [&str; 6] = [
    "committee-account",
    "witness-account",
    "relaxed-committee-account",
    "null-account",
    "temp-account",
    "proxy-to-self",
];

/// `sha256(text)`: the chain id bitshares-core derives from a genesis file.
pub fn chain_id_of_text(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// `initial_account_type`.
#[derive(Clone, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialAccount {
    pub name: String,
    pub owner_key: PublicKey,
    /// The null key means "same as the owner key" (`db_genesis.cpp`).
    pub active_key: PublicKey,
    pub is_lifetime_member: bool,
}

impl InitialAccount {
    /// The key the account's active authority and memo key are built from.
    pub fn effective_active_key(&self) -> PublicKey {
        if self.active_key.is_null() {
            self.owner_key
        } else {
            self.active_key
        }
    }
}

/// `initial_collateral_position`: a debt position of an initial bitasset.
#[derive(Clone, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialCollateralPosition {
    pub owner: Address,
    #[serde(with = "crate::json::int64")]
    pub collateral: i64,
    #[serde(with = "crate::json::int64")]
    pub debt: i64,
}

/// `initial_asset_type`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialAsset {
    pub symbol: String,
    pub issuer_name: String,
    pub description: String,
    #[serde(with = "crate::json::lenient")]
    pub precision: u8,
    #[serde(with = "crate::json::int64")]
    pub max_supply: i64,
    #[serde(with = "crate::json::int64")]
    pub accumulated_fees: i64,
    pub is_bitasset: bool,
    pub collateral_records: Vec<InitialCollateralPosition>,
}

impl Default for InitialAsset {
    fn default() -> Self {
        InitialAsset {
            symbol: String::new(),
            issuer_name: String::new(),
            description: String::new(),
            precision: 5,
            max_supply: 0,
            accumulated_fees: 0,
            is_bitasset: false,
            collateral_records: Vec::new(),
        }
    }
}

/// `initial_balance_type`: a claimable balance owned by an address.
#[derive(Clone, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialBalance {
    pub owner: Address,
    pub asset_symbol: String,
    #[serde(with = "crate::json::int64")]
    pub amount: i64,
}

/// `initial_vesting_balance_type`: a linearly vesting claimable balance.
#[derive(Clone, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialVestingBalance {
    pub owner: Address,
    pub asset_symbol: String,
    #[serde(with = "crate::json::int64")]
    pub amount: i64,
    pub begin_timestamp: TimePointSec,
    #[serde(with = "crate::json::lenient")]
    pub vesting_duration_seconds: u32,
    #[serde(with = "crate::json::int64")]
    pub begin_balance: i64,
}

/// `initial_witness_type`.
#[derive(Clone, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialWitness {
    /// Must name an initial (or special) account.
    pub owner_name: String,
    pub block_signing_key: PublicKey,
}

/// `initial_committee_member_type`.
#[derive(Clone, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialCommitteeMember {
    pub owner_name: String,
}

/// `initial_worker_type`.
#[derive(Clone, PartialEq, Eq, Default, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct InitialWorker {
    pub owner_name: String,
    #[serde(with = "crate::json::int64")]
    pub daily_pay: i64,
}

/// `genesis_state_type`, fields in `FC_REFLECT` order.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct GenesisState {
    pub initial_timestamp: TimePointSec,
    #[serde(with = "crate::json::int64")]
    pub max_core_supply: i64,
    pub initial_parameters: ChainParameters,
    pub initial_accounts: Vec<InitialAccount>,
    pub initial_assets: Vec<InitialAsset>,
    pub initial_balances: Vec<InitialBalance>,
    pub initial_vesting_balances: Vec<InitialVestingBalance>,
    #[serde(with = "crate::json::uint64")]
    pub initial_active_witnesses: u64,
    pub initial_witness_candidates: Vec<InitialWitness>,
    pub initial_committee_candidates: Vec<InitialCommitteeMember>,
    pub initial_worker_candidates: Vec<InitialWorker>,
    /// A chain id fixed in the file; absent (or all zeros, as C++ writes "unset") means the id
    /// is the hash of the file's text.
    #[serde(with = "chain_id_hex", skip_serializing_if = "Option::is_none")]
    pub initial_chain_id: Option<[u8; 32]>,
    pub immutable_parameters: ImmutableChainParameters,
}

impl Default for GenesisState {
    fn default() -> Self {
        GenesisState {
            initial_timestamp: TimePointSec(0),
            max_core_supply: MAX_SHARE_SUPPLY,
            initial_parameters: ChainParameters::default(),
            initial_accounts: Vec::new(),
            initial_assets: Vec::new(),
            initial_balances: Vec::new(),
            initial_vesting_balances: Vec::new(),
            initial_active_witnesses: u64::from(crate::chain::constants::DEFAULT_MIN_WITNESS_COUNT),
            initial_witness_candidates: Vec::new(),
            initial_committee_candidates: Vec::new(),
            initial_worker_candidates: Vec::new(),
            initial_chain_id: None,
            immutable_parameters: ImmutableChainParameters::default(),
        }
    }
}

mod chain_id_hex {
    use super::*;

    pub fn serialize<S: Serializer>(v: &Option<[u8; 32]>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v.unwrap_or_default()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<[u8; 32]>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else { return Ok(None) };
        let bytes = hex::decode(&text).map_err(|e| serde::de::Error::custom(format!("initial_chain_id: {e}")))?;
        let id: [u8; 32] = bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("initial_chain_id must be 32 bytes (64 hex characters)"))?;
        Ok((id != [0; 32]).then_some(id))
    }
}

/// Why a genesis state cannot start a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenesisError {
    #[error("genesis JSON does not parse: {0}")]
    Json(String),
    #[error("initial_timestamp must be set")]
    MissingTimestamp,
    #[error("initial_timestamp {timestamp} is not a multiple of the block interval {interval} s")]
    TimestampOffBlockGrid { timestamp: TimePointSec, interval: u8 },
    #[error("max_core_supply {value} must be in 1..=10^15")]
    MaxCoreSupplyOutOfRange { value: i64 },
    #[error("initial parameters are invalid: {0}")]
    Parameters(#[from] ChainParamsError),
    #[error("account name '{}' is not a valid name", crate::ops::error::shown(name))]
    InvalidAccountName { name: String },
    #[error("account name '{}' appears twice (or is a special account's name)", crate::ops::error::shown(name))]
    DuplicateAccount { name: String },
    #[error("asset symbol '{}' is not a valid symbol", crate::ops::error::shown(symbol))]
    InvalidAssetSymbol { symbol: String },
    #[error("asset symbol '{symbol}' appears twice (or is the core asset's)")]
    DuplicateAsset { symbol: String },
    #[error("asset {symbol} has precision {precision}, more than {MAX_ASSET_PRECISION}")]
    PrecisionTooLarge { symbol: String, precision: u8 },
    #[error("asset {symbol} has max_supply {max_supply}, outside 1..=10^15")]
    MaxSupplyOutOfRange { symbol: String, max_supply: i64 },
    #[error("asset {symbol} names issuer '{issuer}', which is not an initial or special account")]
    UnknownIssuer { symbol: String, issuer: String },
    #[error("{what} of asset '{symbol}' refers to an asset that is neither {CORE_SYMBOL} nor an initial asset")]
    UnknownAsset { what: &'static str, symbol: String },
    #[error("{what} of {amount} {symbol} to {owner} is negative")]
    NegativeAmount { what: &'static str, symbol: String, owner: Address, amount: i64 },
    #[error("initial allocations of {symbol} total {total}, more than its maximum supply {max}")]
    SupplyExceedsMax { symbol: String, total: i128, max: i64 },
    #[error("a chain cannot start with zero witness candidates")]
    NoWitnesses,
    #[error("initial_active_witnesses {active} exceeds the {candidates} witness candidates")]
    TooManyActiveWitnesses { active: u64, candidates: usize },
    #[error("{role} candidate names owner '{name}', which is not an initial or special account")]
    UnknownOwner { role: &'static str, name: String },
}

impl GenesisState {
    /// Parse a genesis file (lenient, like fc).
    pub fn from_json(text: &str) -> Result<Self, GenesisError> {
        serde_json::from_str(text).map_err(|e| GenesisError::Json(e.to_string()))
    }

    /// The development chain of [`DEV_GENESIS_JSON`]: 2026-01-01T00:00:00, default parameters,
    /// eleven lifetime-member witnesses and committee members `init0`..`init10` and the
    /// lifetime member `nathan` holding 100,000,000 BTS. Every key is
    /// `sha256(name ‖ role ‖ "dev")` with role `owner` or `active` (the BitShares password rule);
    /// witnesses sign blocks with their active key.
    pub fn dev() -> Self {
        // The embedded file is covered by tests: it parses and validates.
        Self::from_json(DEV_GENESIS_JSON).expect("embedded dev genesis parses")
    }

    /// The chain id of this state read from `text`: the fixed `initial_chain_id` if set, else
    /// `sha256(text)`.
    pub fn chain_id(&self, text: &str) -> [u8; 32] {
        self.initial_chain_id.unwrap_or_else(|| chain_id_of_text(text))
    }

    /// The checks bitshares-core makes before it builds the genesis objects.
    pub fn validate(&self) -> Result<(), GenesisError> {
        let interval = self.initial_parameters.block_interval;
        if self.initial_timestamp.0 == 0 {
            return Err(GenesisError::MissingTimestamp);
        }
        // C++ checks against the compile-time default interval; the initial parameters must then
        // pass validation, which requires a non-zero interval.
        self.initial_parameters.validate()?;
        if !self.initial_timestamp.0.is_multiple_of(u32::from(interval)) {
            return Err(GenesisError::TimestampOffBlockGrid { timestamp: self.initial_timestamp, interval });
        }
        if self.max_core_supply <= 0 || self.max_core_supply > MAX_SHARE_SUPPLY {
            return Err(GenesisError::MaxCoreSupplyOutOfRange { value: self.max_core_supply });
        }
        let accounts = self.check_accounts()?;
        let max_supplies = self.check_assets(&accounts)?;
        self.check_allocations(&max_supplies)?;
        self.check_candidates(&accounts)
    }

    /// Names must be valid and unique, also against the special accounts. Returns every name an
    /// owner or issuer may refer to.
    fn check_accounts(&self) -> Result<BTreeSet<&str>, GenesisError> {
        let mut names: BTreeSet<&str> = SPECIAL_ACCOUNT_NAMES.into_iter().collect();
        for a in &self.initial_accounts {
            if !is_valid_account_name(&a.name) {
                return Err(GenesisError::InvalidAccountName { name: a.name.clone() });
            }
            if !names.insert(&a.name) {
                return Err(GenesisError::DuplicateAccount { name: a.name.clone() });
            }
        }
        Ok(names)
    }

    /// Returns the maximum supply of every asset by symbol, the core asset included.
    fn check_assets(&self, accounts: &BTreeSet<&str>) -> Result<BTreeMap<&str, i64>, GenesisError> {
        let mut max_supplies = BTreeMap::from([(CORE_SYMBOL, self.max_core_supply)]);
        for a in &self.initial_assets {
            let symbol = a.symbol.clone();
            if !is_valid_asset_symbol(&a.symbol) {
                return Err(GenesisError::InvalidAssetSymbol { symbol });
            }
            if max_supplies.insert(&a.symbol, a.max_supply).is_some() {
                return Err(GenesisError::DuplicateAsset { symbol });
            }
            if a.precision > MAX_ASSET_PRECISION {
                return Err(GenesisError::PrecisionTooLarge { symbol, precision: a.precision });
            }
            if a.max_supply <= 0 || a.max_supply > MAX_SHARE_SUPPLY {
                return Err(GenesisError::MaxSupplyOutOfRange { symbol, max_supply: a.max_supply });
            }
            if !accounts.contains(a.issuer_name.as_str()) {
                return Err(GenesisError::UnknownIssuer { symbol, issuer: a.issuer_name.clone() });
            }
        }
        Ok(max_supplies)
    }

    /// Every allocation names a known asset, is not negative, and the totals (balances, vesting
    /// balances, accumulated fees, collateral in core and debt in the bitasset) stay within each
    /// asset's maximum supply.
    fn check_allocations(&self, max_supplies: &BTreeMap<&str, i64>) -> Result<(), GenesisError> {
        let mut totals: BTreeMap<&str, i128> = BTreeMap::new();
        let mut add = |what: &'static str, symbol: &str, owner: Address, amount: i64| {
            let Some((key, _)) = max_supplies.get_key_value(symbol) else {
                return Err(GenesisError::UnknownAsset { what, symbol: symbol.to_string() });
            };
            if amount < 0 {
                return Err(GenesisError::NegativeAmount { what, symbol: symbol.to_string(), owner, amount });
            }
            *totals.entry(key).or_default() += i128::from(amount);
            Ok(())
        };
        for b in &self.initial_balances {
            add("initial balance", &b.asset_symbol, b.owner, b.amount)?;
        }
        for v in &self.initial_vesting_balances {
            add("initial vesting balance", &v.asset_symbol, v.owner, v.amount)?;
        }
        for a in &self.initial_assets {
            add("accumulated fees", &a.symbol, Address::default(), a.accumulated_fees)?;
            for c in &a.collateral_records {
                add("collateral", CORE_SYMBOL, c.owner, c.collateral)?;
                add("debt", &a.symbol, c.owner, c.debt)?;
            }
        }
        for (symbol, total) in totals {
            let max = max_supplies[symbol];
            if total > i128::from(max) {
                return Err(GenesisError::SupplyExceedsMax { symbol: symbol.to_string(), total, max });
            }
        }
        Ok(())
    }

    fn check_candidates(&self, accounts: &BTreeSet<&str>) -> Result<(), GenesisError> {
        if self.initial_witness_candidates.is_empty() {
            return Err(GenesisError::NoWitnesses);
        }
        let candidates = self.initial_witness_candidates.len();
        if self.initial_active_witnesses > candidates as u64 {
            return Err(GenesisError::TooManyActiveWitnesses { active: self.initial_active_witnesses, candidates });
        }
        let owners = (self.initial_witness_candidates.iter().map(|w| ("witness", &w.owner_name)))
            .chain(self.initial_committee_candidates.iter().map(|c| ("committee", &c.owner_name)))
            .chain(self.initial_worker_candidates.iter().map(|w| ("worker", &w.owner_name)));
        for (role, name) in owners {
            if !accounts.contains(name.as_str()) {
                return Err(GenesisError::UnknownOwner { role, name: name.clone() });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
