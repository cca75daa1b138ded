//! Object ids (PROTOCOL.md §1.1).
//!
//! An id is `space.type.instance`. Typed ids ([`AccountId`], [`AssetId`], …) carry only the
//! instance; their space and type are fixed by the Rust type, so a limit order id can never be
//! passed where an account id is expected. In binary a typed id is a varint of the instance; in
//! JSON it is the text `"1.2.17"`. The generic [`ObjectId`] (used in operation results and in
//! `fill_order.order_id`) is the full 64-bit number: `space << 56 | type << 48 | instance`, eight
//! bytes little endian.

use crate::encoding::{write_varint, DecodeError, Pack, Reader, Unpack};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Instances must fit in 48 bits.
pub const INSTANCE_MAX: u64 = (1 << 48) - 1;

/// A parse failure for id text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("'{0}' is not an object id of the form space.type.instance")]
    Malformed(String),
    #[error("'{text}' is not a {expected} id (expected {space}.{ty}.N)")]
    WrongType { text: String, expected: &'static str, space: u8, ty: u8 },
    #[error("instance in '{0}' does not fit in 48 bits")]
    InstanceTooLarge(String),
}

/// Parse `"s.t.i"` into its three parts.
pub fn parse_id_parts(text: &str) -> Result<(u8, u8, u64), IdError> {
    let mut it = text.split('.');
    let (Some(s), Some(t), Some(i), None) = (it.next(), it.next(), it.next(), it.next()) else {
        return Err(IdError::Malformed(text.to_string()));
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !digits(s) || !digits(t) || !digits(i) {
        return Err(IdError::Malformed(text.to_string()));
    }
    let space: u8 = s.parse().map_err(|_| IdError::Malformed(text.to_string()))?;
    let ty: u8 = t.parse().map_err(|_| IdError::Malformed(text.to_string()))?;
    let instance: u64 = i.parse().map_err(|_| IdError::InstanceTooLarge(text.to_string()))?;
    if instance > INSTANCE_MAX {
        return Err(IdError::InstanceTooLarge(text.to_string()));
    }
    Ok((space, ty, instance))
}

/// A generic object id: the full 64-bit number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ObjectId(pub u64);

impl ObjectId {
    pub const fn new(space: u8, ty: u8, instance: u64) -> Self {
        ObjectId(((space as u64) << 56) | ((ty as u64) << 48) | (instance & INSTANCE_MAX))
    }
    pub const fn space(self) -> u8 {
        (self.0 >> 56) as u8
    }
    pub const fn type_id(self) -> u8 {
        (self.0 >> 48) as u8
    }
    pub const fn instance(self) -> u64 {
        self.0 & INSTANCE_MAX
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.space(), self.type_id(), self.instance())
    }
}
impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl std::str::FromStr for ObjectId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        let (space, ty, instance) = parse_id_parts(s)?;
        Ok(ObjectId::new(space, ty, instance))
    }
}
impl Pack for ObjectId {
    fn pack(&self, out: &mut Vec<u8>) {
        self.0.pack(out)
    }
}
impl Unpack for ObjectId {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        u64::unpack(r).map(ObjectId)
    }
}
impl Serialize for ObjectId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
impl<'de> Deserialize<'de> for ObjectId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Typed ids share one implementation; each is a newtype over its instance.
macro_rules! typed_ids {
    ($($(#[$doc:meta])* $name:ident = $space:literal . $ty:literal, $label:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub u64);

        impl $name {
            pub const SPACE: u8 = $space;
            pub const TYPE: u8 = $ty;
            pub const LABEL: &'static str = $label;
            #[inline]
            pub const fn instance(self) -> u64 { self.0 }
            #[inline]
            pub const fn index(self) -> usize { self.0 as usize }
            pub const fn object_id(self) -> ObjectId { ObjectId::new($space, $ty, self.0) }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}.{}.{}", $space, $ty, self.0)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { fmt::Display::fmt(self, f) }
        }
        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                let (space, ty, instance) = parse_id_parts(s)?;
                if space != $space || ty != $ty {
                    return Err(IdError::WrongType { text: s.to_string(), expected: $label, space: $space, ty: $ty });
                }
                Ok($name(instance))
            }
        }
        impl From<$name> for ObjectId {
            fn from(id: $name) -> ObjectId { id.object_id() }
        }
        impl TryFrom<ObjectId> for $name {
            type Error = IdError;
            fn try_from(id: ObjectId) -> Result<Self, IdError> {
                if id.space() != $space || id.type_id() != $ty {
                    return Err(IdError::WrongType { text: id.to_string(), expected: $label, space: $space, ty: $ty });
                }
                Ok($name(id.instance()))
            }
        }
        impl Pack for $name {
            #[inline]
            fn pack(&self, out: &mut Vec<u8>) { write_varint(out, self.0) }
        }
        impl Unpack for $name {
            #[inline]
            fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                let offset = r.offset();
                let v = r.varint()?;
                if v > INSTANCE_MAX {
                    return Err(DecodeError::Invalid { what: $label, offset, reason: format!("instance {v} exceeds 48 bits") });
                }
                Ok($name(v))
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.collect_str(self) }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

typed_ids! {
    /// 1.2.x
    AccountId = 1 . 2, "account";
    /// 1.3.x; 1.3.0 is the core asset.
    AssetId = 1 . 3, "asset";
    ForceSettlementId = 1 . 4, "force_settlement";
    CommitteeMemberId = 1 . 5, "committee_member";
    WitnessId = 1 . 6, "witness";
    LimitOrderId = 1 . 7, "limit_order";
    CallOrderId = 1 . 8, "call_order";
    CustomId = 1 . 9, "custom";
    ProposalId = 1 . 10, "proposal";
    OperationHistoryId = 1 . 11, "operation_history";
    WithdrawPermissionId = 1 . 12, "withdraw_permission";
    VestingBalanceId = 1 . 13, "vesting_balance";
    WorkerId = 1 . 14, "worker";
    BalanceId = 1 . 15, "balance";
    HtlcId = 1 . 16, "htlc";
    CustomAuthorityId = 1 . 17, "custom_authority";
    TicketId = 1 . 18, "ticket";
    LiquidityPoolId = 1 . 19, "liquidity_pool";
    SametFundId = 1 . 20, "samet_fund";
    CreditOfferId = 1 . 21, "credit_offer";
    CreditDealId = 1 . 22, "credit_deal";
    GlobalPropertyId = 2 . 0, "global_property";
    DynamicGlobalPropertyId = 2 . 1, "dynamic_global_property";
    AssetDynamicDataId = 2 . 3, "asset_dynamic_data";
    AssetBitassetDataId = 2 . 4, "asset_bitasset_data";
    AccountBalanceId = 2 . 5, "account_balance";
    AccountStatisticsId = 2 . 6, "account_statistics";
    TransactionHistoryId = 2 . 7, "transaction_history";
    BlockSummaryId = 2 . 8, "block_summary";
    /// 2.9.x: an entry of an account's operation history (history is built outside consensus
    /// state here; the id appears as `account_statistics.most_recent_op`).
    AccountTransactionHistoryId = 2 . 9, "account_transaction_history";
    ChainPropertyId = 2 . 11, "chain_property";
    WitnessScheduleId = 2 . 12, "witness_schedule";
    BudgetRecordId = 2 . 13, "budget_record";
    SpecialAuthorityId = 2 . 14, "special_authority";
    BuybackId = 2 . 15, "buyback";
    FbaAccumulatorId = 2 . 16, "fba_accumulator";
    CollateralBidId = 2 . 17, "collateral_bid";
}

/// The core asset, BTS (1.3.0).
pub const CORE_ASSET: AssetId = AssetId(0);
/// committee-account, 1.2.0.
pub const COMMITTEE_ACCOUNT: AccountId = AccountId(0);
/// witness-account, 1.2.1.
pub const WITNESS_ACCOUNT: AccountId = AccountId(1);
/// relaxed-committee-account, 1.2.2.
pub const RELAXED_COMMITTEE_ACCOUNT: AccountId = AccountId(2);
/// null-account, 1.2.3.
pub const NULL_ACCOUNT: AccountId = AccountId(3);
/// temp-account, 1.2.4 (threshold 0: anyone may act for it).
pub const TEMP_ACCOUNT: AccountId = AccountId(4);
/// proxy-to-self, 1.2.5: the voting_account meaning "vote directly".
pub const PROXY_TO_SELF_ACCOUNT: AccountId = AccountId(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_id_text_and_binary() {
        let id: AccountId = "1.2.17".parse().unwrap();
        assert_eq!(id, AccountId(17));
        assert_eq!(id.to_string(), "1.2.17");
        assert_eq!(id.to_bytes(), vec![17]);
        assert_eq!(AccountId(300).to_bytes(), vec![0xac, 0x02]);
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"1.2.17\"");
        assert_eq!(serde_json::from_str::<AccountId>("\"1.2.17\"").unwrap(), id);
    }

    #[test]
    fn wrong_type_is_named() {
        let err = "1.3.0".parse::<AccountId>().unwrap_err();
        assert_eq!(err.to_string(), "'1.3.0' is not a account id (expected 1.2.N)");
        assert!(matches!("1.2".parse::<AccountId>(), Err(IdError::Malformed(_))));
        assert!(matches!("1.2.x".parse::<AccountId>(), Err(IdError::Malformed(_))));
        assert!(matches!("1.2.281474976710656".parse::<AccountId>(), Err(IdError::InstanceTooLarge(_))));
    }

    #[test]
    fn generic_id_is_full_u64() {
        let id = ObjectId::new(1, 7, 5);
        assert_eq!(id.0, (1u64 << 56) | (7 << 48) | 5);
        assert_eq!(id.to_bytes(), id.0.to_le_bytes().to_vec());
        assert_eq!(id.to_string(), "1.7.5");
        assert_eq!(LimitOrderId::try_from(id).unwrap(), LimitOrderId(5));
    }
}
