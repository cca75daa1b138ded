//! Named protocol constants (`graphene/protocol/config.hpp`, `graphene/chain/config.hpp`).
//!
//! Every limit the protocol hard-codes lives here under the C++ name minus the `GRAPHENE_`
//! prefix; the relationships between them that the code relies on are checked at compile time at
//! the bottom. Values that the committee can change are *defaults* (`DEFAULT_*`) of
//! [`super::ChainParameters`]; the rest can only change with a new protocol version.

pub use crate::asset::{COLLATERAL_RATIO_DENOM, MAX_SHARE_SUPPLY, PERCENT_100};

/// Satoshis per unit of the core asset (precision 5).
pub const BLOCKCHAIN_PRECISION: u64 = 100_000;
pub const BLOCKCHAIN_PRECISION_DIGITS: u8 = 5;
/// Symbol of the core asset.
pub const CORE_SYMBOL: &str = "BTS";

pub const MIN_ACCOUNT_NAME_LENGTH: usize = 1;
pub const MAX_ACCOUNT_NAME_LENGTH: usize = 63;
pub const MIN_ASSET_SYMBOL_LENGTH: usize = 3;
pub const MAX_ASSET_SYMBOL_LENGTH: usize = 16;
/// Largest precision an asset may have.
pub const MAX_ASSET_PRECISION: u8 = 12;
/// URLs (witness, committee member, worker) must be shorter than this.
pub const MAX_URL_LENGTH: usize = 127;
/// Worker names must be shorter than this.
pub const MAX_WORKER_NAME_LENGTH: usize = 63;

/// 1 % in the percent fixed point.
pub const PERCENT_1: u16 = PERCENT_100 / 100;
/// A block is irreversible once this share (70 %) of the active witnesses built on it.
pub const IRREVERSIBLE_THRESHOLD: u16 = 70 * PERCENT_1;
pub const MAX_MARKET_FEE_PERCENT: u16 = PERCENT_100;
/// Upper bound of the `market_fee_network_percent` chain parameter (30 %).
pub const MAX_MARKET_FEE_NETWORK_PERCENT: u16 = 30 * PERCENT_1;
/// Denominator of the fee rates of SameT funds and credit offers.
pub const FEE_RATE_DENOM: u32 = 1_000_000;

/// Nesting of account authorities the signature check follows (default `max_authority_depth`).
pub const MAX_SIG_CHECK_DEPTH: u8 = 2;
/// Depth limit of nested objects when decoding (fc `max_depth`).
pub const MAX_NESTED_OBJECTS: u32 = 200;

pub const MIN_TRANSACTION_SIZE_LIMIT: u32 = 1024;
/// Room for at least five minimal transactions.
pub const MIN_BLOCK_SIZE_LIMIT: u32 = MIN_TRANSACTION_SIZE_LIMIT * 5;
pub const MIN_BLOCK_INTERVAL: u8 = 1;
pub const MAX_BLOCK_INTERVAL: u8 = 30;

/// Undo history kept for fork switching, in blocks.
pub const MIN_UNDO_HISTORY: u32 = 10;
pub const MAX_UNDO_HISTORY: u32 = 10_000;
/// TaPoS window: a transaction may reference any of the last 65 536 blocks.
pub const BLOCK_SUMMARY_WINDOW: u32 = 0x1_0000;
/// Witness `recently_missed_count` bookkeeping.
pub const RECENTLY_MISSED_COUNT_INCREMENT: u32 = 4;
pub const RECENTLY_MISSED_COUNT_DECREMENT: u32 = 3;

pub const MIN_COLLATERAL_RATIO: u16 = 1001;
pub const MAX_COLLATERAL_RATIO: u16 = 32_000;
pub const DEFAULT_MAINTENANCE_COLLATERAL_RATIO: u16 = 1750;
pub const DEFAULT_MAX_SHORT_SQUEEZE_RATIO: u16 = 1500;
pub const DEFAULT_FORCE_SETTLEMENT_DELAY: u32 = 86_400;
pub const DEFAULT_FORCE_SETTLEMENT_OFFSET: u16 = 0;
pub const DEFAULT_FORCE_SETTLEMENT_MAX_VOLUME: u16 = 20 * PERCENT_1;
pub const DEFAULT_PRICE_FEED_LIFETIME: u32 = 86_400;
/// `minimum_feeds` of bitassets created at genesis.
pub const DEFAULT_MINIMUM_FEEDS: u8 = 7;
pub const DEFAULT_MAX_BUYBACK_MARKETS: usize = 4;

pub const DEFAULT_MIN_WITNESS_COUNT: u16 = 11;
pub const DEFAULT_MIN_COMMITTEE_MEMBER_COUNT: u16 = 11;

// Defaults of the chain parameters (§11).
pub const DEFAULT_BLOCK_INTERVAL: u8 = 5;
pub const DEFAULT_MAINTENANCE_INTERVAL: u32 = 86_400;
pub const DEFAULT_MAINTENANCE_SKIP_SLOTS: u8 = 3;
pub const DEFAULT_COMMITTEE_PROPOSAL_REVIEW_PERIOD_SEC: u32 = 14 * 86_400;
pub const DEFAULT_MAX_TRANSACTION_SIZE: u32 = 2048;
pub const DEFAULT_MAX_BLOCK_SIZE: u32 = 2_000_000;
pub const DEFAULT_MAX_TIME_UNTIL_EXPIRATION: u32 = 86_400;
pub const DEFAULT_MAX_PROPOSAL_LIFETIME_SEC: u32 = 28 * 86_400;
pub const DEFAULT_MAX_ASSET_WHITELIST_AUTHORITIES: u8 = 10;
pub const DEFAULT_MAX_ASSET_FEED_PUBLISHERS: u8 = 10;
pub const DEFAULT_MAX_WITNESSES: u16 = 1001;
pub const DEFAULT_MAX_COMMITTEE: u16 = 1001;
pub const DEFAULT_MAX_AUTHORITY_MEMBERSHIP: u16 = 10;
pub const DEFAULT_BURN_PERCENT_OF_FEE: u16 = 20 * PERCENT_1;
pub const DEFAULT_NETWORK_PERCENT_OF_FEE: u16 = 20 * PERCENT_1;
pub const DEFAULT_LIFETIME_REFERRER_PERCENT_OF_FEE: u16 = 30 * PERCENT_1;
pub const DEFAULT_CASHBACK_VESTING_PERIOD_SEC: u32 = 365 * 86_400;
pub const DEFAULT_CASHBACK_VESTING_THRESHOLD: i64 = 100 * BLOCKCHAIN_PRECISION as i64;
pub const DEFAULT_WITNESS_PAY_PER_BLOCK: i64 = 10 * BLOCKCHAIN_PRECISION as i64;
/// Vesting period of witness pay. A member of the C++ `chain_parameters` but absent from its
/// `FC_REFLECT`, so it is never serialized and the committee cannot change it: a constant here.
pub const DEFAULT_WITNESS_PAY_VESTING_SECONDS: u32 = 86_400;
pub const DEFAULT_WORKER_BUDGET_PER_DAY: i64 = 500_000 * BLOCKCHAIN_PRECISION as i64;
pub const DEFAULT_MAX_ASSERT_OPCODE: u16 = 1;
pub const DEFAULT_FEE_LIQUIDATION_THRESHOLD: i64 = 100 * BLOCKCHAIN_PRECISION as i64;
pub const DEFAULT_ACCOUNTS_PER_FEE_SCALE: u16 = 1000;
pub const DEFAULT_ACCOUNT_FEE_SCALE_BITSHIFTS: u8 = 4;

// Defaults of `custom_authority_options_type` (BSIP 40, inactive).
/// 30 days (config.hpp:158, `60*60*24*30`).
pub const DEFAULT_MAX_CUSTOM_AUTHORITY_LIFETIME_SECONDS: u32 = 30 * 86_400;
pub const DEFAULT_MAX_CUSTOM_AUTHORITIES_PER_ACCOUNT: u32 = 10;
pub const DEFAULT_MAX_CUSTOM_AUTHORITIES_PER_ACCOUNT_OP: u32 = 3;
pub const DEFAULT_MAX_CUSTOM_AUTHORITY_RESTRICTIONS: u32 = 10;

// Relationships the rest of the code relies on.
const _: () = {
    assert!(MIN_BLOCK_INTERVAL <= DEFAULT_BLOCK_INTERVAL && DEFAULT_BLOCK_INTERVAL <= MAX_BLOCK_INTERVAL);
    assert!(DEFAULT_MAINTENANCE_INTERVAL.is_multiple_of(DEFAULT_BLOCK_INTERVAL as u32));
    assert!(DEFAULT_MAX_TRANSACTION_SIZE >= MIN_TRANSACTION_SIZE_LIMIT);
    assert!(DEFAULT_MAX_BLOCK_SIZE >= MIN_BLOCK_SIZE_LIMIT);
    assert!(DEFAULT_MAX_BLOCK_SIZE >= DEFAULT_MAX_TRANSACTION_SIZE);
    assert!(DEFAULT_MAX_PROPOSAL_LIFETIME_SEC > DEFAULT_COMMITTEE_PROPOSAL_REVIEW_PERIOD_SEC);
    assert!(DEFAULT_NETWORK_PERCENT_OF_FEE + DEFAULT_LIFETIME_REFERRER_PERCENT_OF_FEE <= PERCENT_100);
    assert!(MIN_UNDO_HISTORY < MAX_UNDO_HISTORY);
    assert!(DEFAULT_MIN_WITNESS_COUNT % 2 == 1 && DEFAULT_MIN_COMMITTEE_MEMBER_COUNT % 2 == 1);
    assert!(DEFAULT_MAX_WITNESSES % 2 == 1 && DEFAULT_MAX_COMMITTEE % 2 == 1);
    assert!(MIN_COLLATERAL_RATIO > COLLATERAL_RATIO_DENOM);
};
