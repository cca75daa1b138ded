//! Every BitShares operation (PROTOCOL.md §3.2–§3.3), byte-identical to bitshares-core.
//!
//! One struct per operation, named `<CamelCaseOfOpName>Op`, fields named and ordered exactly as the
//! C++ `FC_REFLECT` (fee first), collected in [`Operation`], the `static_variant` whose tag is the
//! position in `operations.hpp`. Each struct packs with fc::raw ([`crate::encoding`]) and reads and
//! writes the JSON of the BitShares API (`[tag, {body}]`, lenient on input as fc's `from_variant`).
//!
//! Per operation, beside its data, this module owns the protocol's stateless rules: `validate`
//! (the C++ `validate()`, see [`validate`]), the fee payer, and the required authorities
//! (PROTOCOL.md §4.3). It never looks at chain state: that is the engine's job.
//!
//! Files by family: [`transfer`] (transfers, memos, blind transfers), [`market`] (orders, fills,
//! collateral), [`account`], [`asset`], [`governance`] (witnesses, committee, workers, chain
//! parameters), [`proposal`], [`misc`] (withdraw permissions, vesting, custom, assert, balances,
//! HTLC), [`defi`] (custom authorities, tickets, liquidity pools, samet funds, credit offers).

use crate::asset::Asset;
use crate::authority::Authority;
use crate::encoding::{write_varint, DecodeError, Pack, Reader, Unpack};
use crate::ids::{AccountId, ObjectId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeSet;

/// `Default::default()` unless an explicit default expression is given.
macro_rules! or_default {
    () => {
        Default::default()
    };
    ($e:expr) => {
        $e
    };
}

/// Declare a reflected protocol struct: the struct with its derives and lenient serde, a
/// `Default` honouring the C++ member initialisers (`field: Type = expr`), fc::raw packing in
/// field order and a [`sample::Sample`] impl.
macro_rules! protocol_struct {
    ($(#[$m:meta])* pub struct $name:ident { $( $(#[$fm:meta])* $field:ident : $ty:ty $(= $def:expr)? ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        pub struct $name { $( $(#[$fm])* pub $field: $ty, )* }

        impl Default for $name {
            fn default() -> Self {
                $name { $( $field: or_default!($($def)?), )* }
            }
        }

        $crate::impl_pack!($name { $($field),* });

        impl $crate::ops::sample::Sample for $name {
            #[allow(unused_variables)]
            fn sample(g: &mut $crate::ops::sample::Gen) -> Self {
                $name { $( $field: $crate::ops::sample::Sample::sample(g), )* }
            }
        }
    };
}

/// An `extension<T>` struct (see [`crate::extension_struct`]) plus its [`sample::Sample`] impl.
macro_rules! ext_struct {
    ($(#[$m:meta])* pub struct $name:ident { $($idx:literal => $field:ident : $ty:ty),* $(,)? }) => {
        $crate::extension_struct! { $(#[$m])* pub struct $name { $($idx => $field : $ty),* } }

        impl $crate::ops::sample::Sample for $name {
            #[allow(unused_variables)]
            fn sample(g: &mut $crate::ops::sample::Gen) -> Self {
                $name { $( $field: $crate::ops::sample::Sample::sample(g), )* }
            }
        }
    };
}

/// A `static_variant<...>` whose alternatives are listed with their tags: binary `varint tag ‖
/// value`, JSON `[tag, value]` (on input the tag may also be the alternative's name).
macro_rules! static_variant {
    ($(#[$m:meta])* pub enum $name:ident { $($tag:literal => $var:ident($ty:ty) $label:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Debug)]
        pub enum $name { $( $var($ty), )* }

        impl $name {
            /// The position of the alternative (the fc `which()`).
            pub fn which(&self) -> u64 {
                match self { $( $name::$var(_) => $tag, )* }
            }
        }

        impl $crate::encoding::Pack for $name {
            fn pack(&self, out: &mut Vec<u8>) {
                match self {
                    $( $name::$var(v) => {
                        $crate::encoding::write_varint(out, $tag);
                        $crate::encoding::Pack::pack(v, out);
                    } )*
                }
            }
        }

        impl $crate::encoding::Unpack for $name {
            fn unpack(r: &mut $crate::encoding::Reader<'_>) -> Result<Self, $crate::encoding::DecodeError> {
                let offset = r.offset();
                let _depth = $crate::ops::NestingGuard::enter(stringify!($name), offset)?;
                match r.varint()? {
                    $( $tag => Ok($name::$var($crate::encoding::Unpack::unpack(r)?)), )*
                    tag => Err($crate::encoding::DecodeError::UnknownTag { what: stringify!($name), tag, offset }),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeTuple;
                let mut t = s.serialize_tuple(2)?;
                match self {
                    $( $name::$var(v) => { t.serialize_element(&$tag)?; t.serialize_element(v)?; } )*
                }
                t.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let (tag, value) = $crate::ops::split_variant::<D::Error>(
                    serde_json::Value::deserialize(d)?,
                    &[$($label),*],
                )?;
                match tag {
                    $( $tag => serde_json::from_value(value).map($name::$var)
                        .map_err(|e| serde::de::Error::custom(format!("{}: {e}", $label))), )*
                    _ => Err(serde::de::Error::custom(format!("unknown {} tag {tag}", stringify!($name)))),
                }
            }
        }

        impl $crate::ops::sample::Sample for $name {
            fn sample(g: &mut $crate::ops::sample::Gen) -> Self {
                let tags: &[u64] = &[$($tag),*];
                match tags[g.below(tags.len() as u64) as usize] {
                    $( $tag => $name::$var($crate::ops::sample::Sample::sample(g)), )*
                    _ => unreachable!("tag drawn from the list above"),
                }
            }
        }
    };
}

pub mod account;
pub mod asset;
pub mod defi;
pub mod error;
pub mod governance;
pub mod market;
pub mod misc;
mod primitives;
pub mod proposal;
pub mod sample;
pub mod transfer;
mod validate;

pub use account::*;
pub use asset::*;
pub use defi::*;
pub use error::ValidateError;
pub use governance::*;
pub use market::*;
pub use misc::*;
pub use primitives::*;
pub use proposal::*;
pub use transfer::*;
pub use validate::{is_cheap_name, is_valid_account_name, is_valid_symbol};

/// Split fc's JSON form of a static variant, `[tag, value]`, where the tag is a number or one of
/// `names` (fc accepts the type name).
#[doc(hidden)]
pub fn split_variant<E: serde::de::Error>(v: serde_json::Value, names: &[&str]) -> Result<(u64, serde_json::Value), E> {
    let serde_json::Value::Array(mut a) = v else {
        return Err(E::custom("a static variant must be a [tag, value] array"));
    };
    if a.len() != 2 {
        return Err(E::custom(format!("a static variant must be [tag, value], got {} elements", a.len())));
    }
    let value = a.pop().unwrap_or_default();
    let tag = match a.pop().unwrap_or_default() {
        serde_json::Value::Number(n) => n.as_u64().ok_or_else(|| E::custom(format!("bad variant tag {n}")))?,
        serde_json::Value::String(s) => match s.parse::<u64>() {
            Ok(n) => n,
            Err(_) => names
                .iter()
                .position(|n| *n == s || s.rsplit("::").next() == Some(n))
                .map(|p| p as u64)
                .ok_or_else(|| E::custom(format!("unknown variant name '{s}'")))?,
        },
        other => return Err(E::custom(format!("bad variant tag {other}"))),
    };
    Ok((tag, value))
}

/// What every operation body provides beyond its data.
pub trait OperationBody {
    /// The account whose active authority is always required and who pays the fee.
    fn fee_payer(&self) -> AccountId;

    /// The C++ `validate()`; the default checks only that the fee is not negative.
    fn validate(&self) -> Result<(), ValidateError>;

    /// Op-specific required authorities beyond the fee payer's active (PROTOCOL.md §4.3).
    fn required_authorities(
        &self,
        _active: &mut BTreeSet<AccountId>,
        _owner: &mut BTreeSet<AccountId>,
        _other: &mut Vec<Authority>,
    ) {
    }
}

/// Implement [`OperationBody`] for ops whose only rule is a non-negative fee.
macro_rules! simple_body {
    ($($ty:ident => $payer:ident),* $(,)?) => {$(
        impl $crate::ops::OperationBody for $ty {
            fn fee_payer(&self) -> $crate::ids::AccountId { self.$payer }
            fn validate(&self) -> Result<(), $crate::ops::ValidateError> {
                $crate::ops::validate::fee_non_negative(&self.fee)
            }
        }
    )*};
}
pub(crate) use simple_body;

macro_rules! virt_flag {
    () => {
        false
    };
    ($v:ident) => {
        true
    };
}

macro_rules! operations {
    ($($tag:literal => $var:ident($ty:ident) $name:literal $(, $virt:ident)?;)*) => {
        /// `graphene::protocol::operation`: every operation, in tag order.
        #[derive(Clone, PartialEq, Eq, Debug)]
        pub enum Operation { $( $var($ty), )* }

        /// Operation names by tag, as in the C++ (`transfer`, `limit_order_create`, …).
        pub const OPERATION_NAMES: &[&str] = &[$($name),*];

        impl Operation {
            /// The tag (`which()`), i.e. the position in `operations.hpp`.
            pub fn tag(&self) -> u8 {
                match self { $( Operation::$var(_) => $tag, )* }
            }

            /// The C++ name without the `_operation` suffix.
            pub fn name(&self) -> &'static str {
                OPERATION_NAMES[usize::from(self.tag())]
            }

            /// Virtual operations are produced by the chain and never valid in a transaction.
            pub fn is_virtual(&self) -> bool {
                match self { $( Operation::$var(_) => virt_flag!($($virt)?), )* }
            }

            pub fn fee(&self) -> Asset {
                match self { $( Operation::$var(op) => op.fee, )* }
            }

            pub fn fee_mut(&mut self) -> &mut Asset {
                match self { $( Operation::$var(op) => &mut op.fee, )* }
            }

            pub fn fee_payer(&self) -> AccountId {
                match self { $( Operation::$var(op) => op.fee_payer(), )* }
            }

            /// Stateless validation (the C++ `validate()`); virtual operations always fail.
            pub fn validate(&self) -> Result<(), ValidateError> {
                if self.is_virtual() {
                    return Err(ValidateError::VirtualOperation { name: self.name() });
                }
                match self { $( Operation::$var(op) => op.validate(), )* }
            }

            /// Accounts whose active or owner authority, and raw authorities, this operation needs:
            /// the fee payer's active plus the op-specific ones (PROTOCOL.md §4.3).
            pub fn required_authorities(
                &self,
                active: &mut BTreeSet<AccountId>,
                owner: &mut BTreeSet<AccountId>,
                other: &mut Vec<Authority>,
            ) {
                match self { $( Operation::$var(op) => {
                    active.insert(op.fee_payer());
                    op.required_authorities(active, owner, other);
                } )* }
            }

            fn pack_body(&self, out: &mut Vec<u8>) {
                match self { $( Operation::$var(op) => op.pack(out), )* }
            }

            // Dispatch through a table of one small function per tag rather than one big
            // `match`: in unoptimised builds a match over 78 bodies reserves stack for all of
            // them, which would make nested proposals exhaust the stack long before the nesting
            // limit.
            fn unpack_body(tag: u64, offset: usize, r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                type Unpacker = fn(&mut Reader<'_>) -> Result<Operation, DecodeError>;
                const TABLE: &[Unpacker] = &[$( |r| Ok(Operation::$var(<$ty as Unpack>::unpack(r)?)) ),*];
                match usize::try_from(tag).ok().and_then(|t| TABLE.get(t)) {
                    Some(f) => f(r),
                    None => Err(DecodeError::UnknownTag { what: "operation", tag, offset }),
                }
            }

            fn body_json(&self) -> Result<serde_json::Value, serde_json::Error> {
                match self { $( Operation::$var(op) => serde_json::to_value(op), )* }
            }

            fn from_json_body(tag: u64, v: serde_json::Value) -> Result<Self, String> {
                type FromJson = fn(serde_json::Value) -> Result<Operation, String>;
                const TABLE: &[FromJson] = &[$( |v| {
                    serde_json::from_value::<$ty>(v).map(Operation::$var).map_err(|e| format!("{}: {e}", $name))
                } ),*];
                match usize::try_from(tag).ok().and_then(|t| TABLE.get(t)) {
                    Some(f) => f(v),
                    None => Err(format!("unknown operation tag {tag}")),
                }
            }

            fn sample_tag(tag: u8, g: &mut sample::Gen) -> Self {
                match tag {
                    $( $tag => Operation::$var(sample::Sample::sample(g)), )*
                    _ => Operation::Transfer(sample::Sample::sample(g)),
                }
            }
        }

        $(
            impl From<$ty> for Operation {
                fn from(op: $ty) -> Self { Operation::$var(op) }
            }
        )*
    };
}

operations! {
    0 => Transfer(TransferOp) "transfer";
    1 => LimitOrderCreate(LimitOrderCreateOp) "limit_order_create";
    2 => LimitOrderCancel(LimitOrderCancelOp) "limit_order_cancel";
    3 => CallOrderUpdate(CallOrderUpdateOp) "call_order_update";
    4 => FillOrder(FillOrderOp) "fill_order", virtual_op;
    5 => AccountCreate(AccountCreateOp) "account_create";
    6 => AccountUpdate(AccountUpdateOp) "account_update";
    7 => AccountWhitelist(AccountWhitelistOp) "account_whitelist";
    8 => AccountUpgrade(AccountUpgradeOp) "account_upgrade";
    9 => AccountTransfer(AccountTransferOp) "account_transfer";
    10 => AssetCreate(AssetCreateOp) "asset_create";
    11 => AssetUpdate(AssetUpdateOp) "asset_update";
    12 => AssetUpdateBitasset(AssetUpdateBitassetOp) "asset_update_bitasset";
    13 => AssetUpdateFeedProducers(AssetUpdateFeedProducersOp) "asset_update_feed_producers";
    14 => AssetIssue(AssetIssueOp) "asset_issue";
    15 => AssetReserve(AssetReserveOp) "asset_reserve";
    16 => AssetFundFeePool(AssetFundFeePoolOp) "asset_fund_fee_pool";
    17 => AssetSettle(AssetSettleOp) "asset_settle";
    18 => AssetGlobalSettle(AssetGlobalSettleOp) "asset_global_settle";
    19 => AssetPublishFeed(AssetPublishFeedOp) "asset_publish_feed";
    20 => WitnessCreate(WitnessCreateOp) "witness_create";
    21 => WitnessUpdate(WitnessUpdateOp) "witness_update";
    22 => ProposalCreate(ProposalCreateOp) "proposal_create";
    23 => ProposalUpdate(ProposalUpdateOp) "proposal_update";
    24 => ProposalDelete(ProposalDeleteOp) "proposal_delete";
    25 => WithdrawPermissionCreate(WithdrawPermissionCreateOp) "withdraw_permission_create";
    26 => WithdrawPermissionUpdate(WithdrawPermissionUpdateOp) "withdraw_permission_update";
    27 => WithdrawPermissionClaim(WithdrawPermissionClaimOp) "withdraw_permission_claim";
    28 => WithdrawPermissionDelete(WithdrawPermissionDeleteOp) "withdraw_permission_delete";
    29 => CommitteeMemberCreate(CommitteeMemberCreateOp) "committee_member_create";
    30 => CommitteeMemberUpdate(CommitteeMemberUpdateOp) "committee_member_update";
    31 => CommitteeMemberUpdateGlobalParameters(CommitteeMemberUpdateGlobalParametersOp) "committee_member_update_global_parameters";
    32 => VestingBalanceCreate(VestingBalanceCreateOp) "vesting_balance_create";
    33 => VestingBalanceWithdraw(VestingBalanceWithdrawOp) "vesting_balance_withdraw";
    34 => WorkerCreate(WorkerCreateOp) "worker_create";
    35 => Custom(CustomOp) "custom";
    36 => Assert(AssertOp) "assert";
    37 => BalanceClaim(BalanceClaimOp) "balance_claim";
    38 => OverrideTransfer(OverrideTransferOp) "override_transfer";
    39 => TransferToBlind(TransferToBlindOp) "transfer_to_blind";
    40 => BlindTransfer(BlindTransferOp) "blind_transfer";
    41 => TransferFromBlind(TransferFromBlindOp) "transfer_from_blind";
    42 => AssetSettleCancel(AssetSettleCancelOp) "asset_settle_cancel", virtual_op;
    43 => AssetClaimFees(AssetClaimFeesOp) "asset_claim_fees";
    44 => FbaDistribute(FbaDistributeOp) "fba_distribute", virtual_op;
    45 => BidCollateral(BidCollateralOp) "bid_collateral";
    46 => ExecuteBid(ExecuteBidOp) "execute_bid", virtual_op;
    47 => AssetClaimPool(AssetClaimPoolOp) "asset_claim_pool";
    48 => AssetUpdateIssuer(AssetUpdateIssuerOp) "asset_update_issuer";
    49 => HtlcCreate(HtlcCreateOp) "htlc_create";
    50 => HtlcRedeem(HtlcRedeemOp) "htlc_redeem";
    51 => HtlcRedeemed(HtlcRedeemedOp) "htlc_redeemed", virtual_op;
    52 => HtlcExtend(HtlcExtendOp) "htlc_extend";
    53 => HtlcRefund(HtlcRefundOp) "htlc_refund", virtual_op;
    54 => CustomAuthorityCreate(CustomAuthorityCreateOp) "custom_authority_create";
    55 => CustomAuthorityUpdate(CustomAuthorityUpdateOp) "custom_authority_update";
    56 => CustomAuthorityDelete(CustomAuthorityDeleteOp) "custom_authority_delete";
    57 => TicketCreate(TicketCreateOp) "ticket_create";
    58 => TicketUpdate(TicketUpdateOp) "ticket_update";
    59 => LiquidityPoolCreate(LiquidityPoolCreateOp) "liquidity_pool_create";
    60 => LiquidityPoolDelete(LiquidityPoolDeleteOp) "liquidity_pool_delete";
    61 => LiquidityPoolDeposit(LiquidityPoolDepositOp) "liquidity_pool_deposit";
    62 => LiquidityPoolWithdraw(LiquidityPoolWithdrawOp) "liquidity_pool_withdraw";
    63 => LiquidityPoolExchange(LiquidityPoolExchangeOp) "liquidity_pool_exchange";
    64 => SametFundCreate(SametFundCreateOp) "samet_fund_create";
    65 => SametFundDelete(SametFundDeleteOp) "samet_fund_delete";
    66 => SametFundUpdate(SametFundUpdateOp) "samet_fund_update";
    67 => SametFundBorrow(SametFundBorrowOp) "samet_fund_borrow";
    68 => SametFundRepay(SametFundRepayOp) "samet_fund_repay";
    69 => CreditOfferCreate(CreditOfferCreateOp) "credit_offer_create";
    70 => CreditOfferDelete(CreditOfferDeleteOp) "credit_offer_delete";
    71 => CreditOfferUpdate(CreditOfferUpdateOp) "credit_offer_update";
    72 => CreditOfferAccept(CreditOfferAcceptOp) "credit_offer_accept";
    73 => CreditDealRepay(CreditDealRepayOp) "credit_deal_repay";
    74 => CreditDealExpired(CreditDealExpiredOp) "credit_deal_expired", virtual_op;
    75 => LiquidityPoolUpdate(LiquidityPoolUpdateOp) "liquidity_pool_update";
    76 => CreditDealUpdate(CreditDealUpdateOp) "credit_deal_update";
    77 => LimitOrderUpdate(LimitOrderUpdateOp) "limit_order_update";
}

/// Number of operation tags (0..=77).
pub const OPERATION_COUNT: u8 = 78;

impl Default for Operation {
    fn default() -> Self {
        Operation::Transfer(TransferOp::default())
    }
}

impl Operation {
    /// The tag for an operation name (`"transfer"` → 0).
    pub fn tag_of(name: &str) -> Option<u8> {
        OPERATION_NAMES.iter().position(|n| *n == name).map(|p| p as u8)
    }

    /// A default-valued operation of the given tag (every field at its C++ default).
    pub fn default_of(tag: u8) -> Option<Operation> {
        if tag >= OPERATION_COUNT {
            return None;
        }
        let json = serde_json::json!([tag, {}]);
        serde_json::from_value(json).ok()
    }
}

impl Pack for Operation {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, u64::from(self.tag()));
        self.pack_body(out);
    }
}
impl Unpack for Operation {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let offset = r.offset();
        let _depth = NestingGuard::enter("operation", offset)?;
        let tag = r.varint()?;
        Operation::unpack_body(tag, offset, r)
    }
}
impl Serialize for Operation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeTuple};
        let body = self.body_json().map_err(S::Error::custom)?;
        let mut t = s.serialize_tuple(2)?;
        t.serialize_element(&self.tag())?;
        t.serialize_element(&body)?;
        t.end()
    }
}
impl<'de> Deserialize<'de> for Operation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (tag, body) = split_variant::<D::Error>(serde_json::Value::deserialize(d)?, OPERATION_NAMES)?;
        let body = match body {
            // fc accepts a missing body only as an object; null is treated as "all defaults".
            serde_json::Value::Null => serde_json::Value::Object(Default::default()),
            other => other,
        };
        Operation::from_json_body(tag, body).map_err(serde::de::Error::custom)
    }
}
impl sample::Sample for Operation {
    fn sample(g: &mut sample::Gen) -> Self {
        let tag = g.below(u64::from(OPERATION_COUNT)) as u8;
        Operation::sample_of(tag, g)
    }
}

impl Operation {
    /// A pseudo-random operation of the given tag (test tooling, see [`sample`]).
    pub fn sample_of(tag: u8, g: &mut sample::Gen) -> Self {
        g.depth += 1;
        let op = Operation::sample_tag(tag, g);
        g.depth -= 1;
        op
    }
}

protocol_struct! {
    /// `generic_operation_result`.
    pub struct GenericOperationResult {
        new_objects: BTreeSet<ObjectId>,
        updated_objects: BTreeSet<ObjectId>,
        removed_objects: BTreeSet<ObjectId>,
    }
}

protocol_struct! {
    /// `generic_exchange_operation_result`.
    pub struct GenericExchangeOperationResult {
        paid: Vec<Asset>,
        received: Vec<Asset>,
        fees: Vec<Asset>,
    }
}

ext_struct! {
    /// `extendable_operation_result` = `extension<extendable_operation_result_dtl>`.
    pub struct ExtendableOperationResult {
        0 => impacted_accounts: BTreeSet<AccountId>,
        1 => new_objects: BTreeSet<ObjectId>,
        2 => updated_objects: BTreeSet<ObjectId>,
        3 => removed_objects: BTreeSet<ObjectId>,
        4 => paid: Vec<Asset>,
        5 => received: Vec<Asset>,
        6 => fees: Vec<Asset>,
    }
}

static_variant! {
    /// `operation_result`.
    pub enum OperationResult {
        0 => Void(VoidT) "void_result",
        1 => ObjectId(ObjectId) "object_id_type",
        2 => Asset(Asset) "asset",
        3 => Generic(GenericOperationResult) "generic_operation_result",
        4 => GenericExchange(GenericExchangeOperationResult) "generic_exchange_operation_result",
        5 => Extendable(ExtendableOperationResult) "extendable_operation_result",
    }
}

impl Default for OperationResult {
    fn default() -> Self {
        OperationResult::Void(VoidT)
    }
}
