//! Rejections: why a transaction or operation was refused.
//!
//! Every rejection is a variant with the values that made it fail and a stable `code()` a client
//! can match on; `Display` renders the sentence a user sees. An operation or transaction that is
//! rejected changes nothing (the engine undoes its session). Amounts carry their asset's symbol
//! and precision so the sentence reads `1.2.17 has 10.00000 BTS, needs 12.00000 BTS`.

use ledger::ids::{AccountId, AssetId, BalanceId, VestingBalanceId};
use ledger::objects::format_amount;
use std::fmt;

/// An amount with what it takes to print it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    pub amount: i64,
    pub asset: AssetId,
    pub symbol: String,
    pub precision: u8,
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_amount(self.amount, self.precision, &self.symbol))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("{0}")]
    Invalid(#[from] ledger::ops::ValidateError),
    #[error("{0}")]
    Authority(#[from] ledger::sign_state::AuthError),
    #[error("duplicate transaction {id}: it was already applied and has not expired")]
    DuplicateTransaction { id: String },
    #[error("TaPoS mismatch: ref_block_num {ref_block_num} with prefix {ref_block_prefix} does not name a recent block of this chain")]
    TaposMismatch { ref_block_num: u16, ref_block_prefix: u32 },
    #[error("transaction expired: expiration {expiration} is before head block time {head_time}")]
    Expired { expiration: String, head_time: String },
    #[error("expiration {expiration} is more than {max_seconds} s after head block time {head_time}")]
    ExpirationTooFar { expiration: String, head_time: String, max_seconds: u32 },
    #[error("transaction is {size} bytes; the maximum is {max}")]
    TransactionTooLarge { size: usize, max: u32 },
    #[error("operation {op} is not accepted by this node yet ({reason})")]
    Unsupported { op: &'static str, reason: &'static str },
    #[error("account {0} does not exist")]
    UnknownAccount(AccountId),
    #[error("asset {0} does not exist")]
    UnknownAsset(AssetId),
    #[error("balance {0} does not exist")]
    UnknownBalance(BalanceId),
    #[error("insufficient balance: {account} has {have}, needs {need}")]
    InsufficientBalance { account: AccountId, have: Amount, need: Amount },
    #[error("insufficient fee: paid {paid} (core value {core_value}), the fee for {op} is {required}")]
    InsufficientFee { op: &'static str, paid: Amount, core_value: i64, required: Amount },
    #[error("fee must not be negative, got {0}")]
    NegativeFee(Amount),
    #[error("the fee pool of {symbol} holds {pool} core, the fee needs {need}")]
    FeePoolInsufficient { symbol: String, pool: i64, need: i64 },
    #[error("fee amount {fee} in {symbol} converts to core beyond the maximum supply")]
    FeeConversionOverflow { fee: i64, symbol: String },
    #[error("account name '{0}' is already taken")]
    NameTaken(String),
    #[error("registrar {0} must be a lifetime member to register accounts")]
    RegistrarNotLifetimeMember(AccountId),
    #[error("referrer {0} must be a member")]
    ReferrerNotMember(AccountId),
    #[error("{which} authority has {count} members; the maximum is {max}")]
    AuthorityTooLarge { which: &'static str, count: usize, max: u16 },
    #[error("vote {vote} does not refer to an existing witness, committee member or worker")]
    UnknownVote { vote: String },
    #[error("options want {wanted} {kind}s but vote for only {voted}")]
    TooFewVotes { kind: &'static str, wanted: u16, voted: u16 },
    #[error("options want {wanted} {kind}s; the chain allows at most {max}")]
    VoteCountAboveMaximum { kind: &'static str, wanted: u16, max: u16 },
    #[error("{which} is a special account and cannot be changed")]
    SpecialAccount { which: AccountId },
    #[error("asset symbol '{0}' is already taken")]
    SymbolTaken(String),
    #[error("asset '{symbol}' may only be created by the issuer of '{parent}' ({issuer})")]
    DottedSymbolNotIssuer { symbol: String, parent: String, issuer: AccountId },
    #[error("asset '{symbol}' needs its parent asset '{parent}' to exist")]
    DottedSymbolParentMissing { symbol: String, parent: String },
    #[error("{account} is not the issuer of {asset} (the issuer is {issuer})")]
    NotIssuer { account: AccountId, asset: String, issuer: AccountId },
    #[error("{op} applies only to user-issued assets; {asset} is market-issued")]
    NotUserIssued { op: &'static str, asset: String },
    #[error("issuing {amount} would take the supply of {asset} to {new_supply}, above its maximum {max_supply}")]
    MaxSupplyExceeded { asset: String, amount: i64, new_supply: i64, max_supply: i64 },
    #[error("new supply of {0} is disabled by its issuer")]
    NewSupplyDisabled(String),
    #[error("{account} is not authorized to hold or transact {asset}")]
    NotAuthorizedForAsset { account: AccountId, asset: String },
    #[error("transfers of {asset} must involve its issuer {issuer}")]
    TransferRestricted { asset: String, issuer: AccountId },
    #[error("asset update is not allowed: {reason}")]
    AssetUpdateForbidden { reason: String },
    #[error("{asset}: maximum supply {max_supply} is below the current supply {current_supply}")]
    MaxSupplyBelowSupply { asset: String, max_supply: i64, current_supply: i64 },
    #[error("the core exchange rate must price {asset} against the core asset")]
    BadCoreExchangeRate { asset: String },
    #[error("balance {balance} belongs to address {owner}, not to key {key}")]
    BalanceOwnerMismatch { balance: BalanceId, owner: String, key: String },
    #[error("claim of {claimed} does not match balance {balance} holding {held}")]
    BalanceClaimMismatch { balance: BalanceId, claimed: i64, held: i64 },
    #[error("{0} is already a lifetime member")]
    AlreadyLifetimeMember(AccountId),
    #[error("annual membership for {0} is no longer available (disabled since HF 613); upgrade to lifetime instead")]
    AnnualMembershipDisabled(AccountId),
    #[error("the fee pool of {asset} may only be claimed by its issuer {issuer}, not {account}")]
    NotPoolIssuer { account: AccountId, asset: String, issuer: AccountId },
    #[error("cannot claim {requested} from the fee pool of {asset}: it holds {pool}")]
    FeePoolClaimTooLarge { asset: String, pool: Amount, requested: Amount },
    #[error("asset {container} does not hold {requested_asset} as fees")]
    CannotAccumulateFee { container: String, requested_asset: String },
    #[error("cannot claim {requested} of fees accumulated in {asset}: only {accumulated} have accumulated")]
    AccumulatedFeesTooSmall { asset: String, accumulated: Amount, requested: Amount },
    #[error("vesting balance {0} does not exist")]
    UnknownVestingBalance(VestingBalanceId),
    #[error("vesting balance {balance} belongs to {owner}, not {claimant}")]
    VestingBalanceNotOwner { balance: VestingBalanceId, owner: AccountId, claimant: AccountId },
    #[error("vesting balance {balance} allows withdrawing {allowed} now, not {requested}")]
    VestingWithdrawTooLarge { balance: VestingBalanceId, allowed: Amount, requested: Amount },
    #[error("{0}")]
    Arithmetic(String),
    #[error("order expiration {expiration} is before head block time {now}")]
    OrderExpirationPast { expiration: String, now: String },
    #[error("{sell} may not be traded for {receive}: that market is not on {sell}'s whitelist")]
    MarketNotWhitelisted { sell: String, receive: String },
    #[error("{sell} may not be traded for {receive}: that market is on {sell}'s blacklist")]
    MarketBlacklisted { sell: String, receive: String },
    #[error("fill-or-kill order selling {sell} for at least {receive} could not be filled completely")]
    FillOrKillUnfilled { sell: Amount, receive: Amount },
    #[error("limit order {0} does not exist")]
    UnknownLimitOrder(ledger::ids::LimitOrderId),
    #[error("limit order {order} belongs to {owner}, not to {account}")]
    NotOrderOwner { order: ledger::ids::LimitOrderId, owner: AccountId, account: AccountId },
    #[error("limit order {order} cannot be updated: {reason}")]
    LimitOrderUpdateInvalid { order: ledger::ids::LimitOrderId, reason: String },
    #[error("{op}: the on_fill action list holds {count} actions; it must hold {min} to {max}")]
    OnFillActionCount { op: &'static str, count: usize, min: usize, max: usize },
    #[error("{0}")]
    Bitasset(#[from] crate::bitasset::BitassetError),
    #[error("{0}")]
    Settle(#[from] crate::bitasset::force_settle::SettleError),
}

impl Rejection {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        use Rejection::*;
        match self {
            Invalid(e) => e.code(),
            Authority(e) => e.code(),
            DuplicateTransaction { .. } => "duplicate_transaction",
            TaposMismatch { .. } => "tapos_mismatch",
            Expired { .. } => "transaction_expired",
            ExpirationTooFar { .. } => "expiration_too_far",
            TransactionTooLarge { .. } => "transaction_too_large",
            Unsupported { .. } => "unsupported_operation",
            UnknownAccount(_) => "unknown_account",
            UnknownAsset(_) => "unknown_asset",
            UnknownBalance(_) => "unknown_balance",
            InsufficientBalance { .. } => "insufficient_balance",
            InsufficientFee { .. } => "insufficient_fee",
            NegativeFee(_) => "negative_fee",
            FeePoolInsufficient { .. } => "fee_pool_insufficient",
            FeeConversionOverflow { .. } => "fee_conversion_overflow",
            NameTaken(_) => "account_name_taken",
            RegistrarNotLifetimeMember(_) => "registrar_not_lifetime_member",
            ReferrerNotMember(_) => "referrer_not_member",
            AuthorityTooLarge { .. } => "authority_too_large",
            UnknownVote { .. } => "unknown_vote",
            TooFewVotes { .. } => "too_few_votes",
            VoteCountAboveMaximum { .. } => "vote_count_above_maximum",
            SpecialAccount { .. } => "special_account",
            SymbolTaken(_) => "asset_symbol_taken",
            DottedSymbolNotIssuer { .. } => "dotted_symbol_not_issuer",
            DottedSymbolParentMissing { .. } => "dotted_symbol_parent_missing",
            NotIssuer { .. } => "not_issuer",
            NotUserIssued { .. } => "not_user_issued",
            MaxSupplyExceeded { .. } => "max_supply_exceeded",
            NewSupplyDisabled(_) => "new_supply_disabled",
            NotAuthorizedForAsset { .. } => "not_authorized_for_asset",
            TransferRestricted { .. } => "transfer_restricted",
            AssetUpdateForbidden { .. } => "asset_update_forbidden",
            MaxSupplyBelowSupply { .. } => "max_supply_below_supply",
            BadCoreExchangeRate { .. } => "bad_core_exchange_rate",
            BalanceOwnerMismatch { .. } => "balance_owner_mismatch",
            BalanceClaimMismatch { .. } => "balance_claim_mismatch",
            AlreadyLifetimeMember(_) => "already_lifetime_member",
            AnnualMembershipDisabled(_) => "annual_membership_disabled",
            NotPoolIssuer { .. } => "not_pool_issuer",
            FeePoolClaimTooLarge { .. } => "fee_pool_claim_too_large",
            CannotAccumulateFee { .. } => "cannot_accumulate_fee",
            AccumulatedFeesTooSmall { .. } => "accumulated_fees_too_small",
            UnknownVestingBalance(_) => "unknown_vesting_balance",
            VestingBalanceNotOwner { .. } => "vesting_balance_not_owner",
            VestingWithdrawTooLarge { .. } => "vesting_withdraw_too_large",
            Arithmetic(_) => "arithmetic",
            OrderExpirationPast { .. } => "limit_order_expiration_past",
            MarketNotWhitelisted { .. } => "market_not_whitelisted",
            MarketBlacklisted { .. } => "market_blacklisted",
            FillOrKillUnfilled { .. } => "fill_or_kill_unfilled",
            UnknownLimitOrder(_) => "unknown_limit_order",
            NotOrderOwner { .. } => "limit_order_owner_mismatch",
            LimitOrderUpdateInvalid { .. } => "limit_order_update_invalid",
            OnFillActionCount { .. } => "on_fill_action_count",
            Bitasset(e) => e.code(),
            Settle(e) => e.code(),
        }
    }
}

impl From<ledger::asset::PriceError> for Rejection {
    fn from(e: ledger::asset::PriceError) -> Self {
        Rejection::Arithmetic(e.to_string())
    }
}
