//! Vesting balances (1.13.x): funds locked by the chain and released by a policy (cashback,
//! worker and witness pay, user vesting).
//!
//! The JSON shape is bitshares-core's: `policy` is a static variant `[tag, {fields}]` with
//! 0 = linear, 1 = coin-days-destroyed (`cdd`), 2 = instant, each carrying its state fields;
//! `balance_type` is the enum's name. The arithmetic of the policies lives in the engine
//! (`engine::evaluators::vesting`); these types are plain data.

use crate::asset::Asset;
use crate::encoding::{write_varint, Pack};
use crate::ids::*;
use crate::time::TimePointSec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `linear_vesting_policy`: `begin_balance` vests linearly over `vesting_duration_seconds` from
/// `begin_timestamp`; nothing may be withdrawn before the cliff.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LinearVestingPolicy {
    pub begin_timestamp: TimePointSec,
    pub vesting_cliff_seconds: u32,
    pub vesting_duration_seconds: u32,
    #[serde(with = "crate::json::int64")]
    pub begin_balance: i64,
}
crate::impl_pack!(LinearVestingPolicy {
    begin_timestamp,
    vesting_cliff_seconds,
    vesting_duration_seconds,
    begin_balance
});

/// `cdd_vesting_policy`: coin-seconds accrue on the balance (capped at balance × vesting_seconds);
/// withdrawing `x` spends `x × vesting_seconds` of them.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CddVestingPolicy {
    pub vesting_seconds: u32,
    #[serde(with = "uint128_text")]
    pub coin_seconds_earned: u128,
    pub start_claim: TimePointSec,
    pub coin_seconds_earned_last_update: TimePointSec,
}
crate::impl_pack!(CddVestingPolicy {
    vesting_seconds,
    coin_seconds_earned,
    start_claim,
    coin_seconds_earned_last_update
});

/// `instant_vesting_policy`: everything is withdrawable at once.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct InstantVestingPolicy {}
crate::impl_pack!(InstantVestingPolicy {});

/// `vesting_policy`, a static variant in this tag order.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum VestingPolicy {
    Linear(LinearVestingPolicy),
    Cdd(CddVestingPolicy),
    Instant(InstantVestingPolicy),
}

impl Default for VestingPolicy {
    fn default() -> Self {
        VestingPolicy::Linear(LinearVestingPolicy::default())
    }
}

impl VestingPolicy {
    /// The static variant's tag (`which()`).
    pub fn which(&self) -> u64 {
        match self {
            VestingPolicy::Linear(_) => 0,
            VestingPolicy::Cdd(_) => 1,
            VestingPolicy::Instant(_) => 2,
        }
    }
}

impl Pack for VestingPolicy {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.which());
        match self {
            VestingPolicy::Linear(p) => p.pack(out),
            VestingPolicy::Cdd(p) => p.pack(out),
            VestingPolicy::Instant(p) => p.pack(out),
        }
    }
}

impl Serialize for VestingPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            VestingPolicy::Linear(p) => (0u8, p).serialize(s),
            VestingPolicy::Cdd(p) => (1u8, p).serialize(s),
            VestingPolicy::Instant(p) => (2u8, p).serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for VestingPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (tag, value): (u8, serde_json::Value) = Deserialize::deserialize(d)?;
        match tag {
            0 => serde_json::from_value(value).map(VestingPolicy::Linear).map_err(D::Error::custom),
            1 => serde_json::from_value(value).map(VestingPolicy::Cdd).map_err(D::Error::custom),
            2 => serde_json::from_value(value).map(VestingPolicy::Instant).map_err(D::Error::custom),
            t => Err(D::Error::custom(format!("unknown vesting policy tag {t}"))),
        }
    }
}

/// `vesting_balance_type`: what the balance is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VestingBalanceType {
    #[default]
    Unspecified,
    Cashback,
    Worker,
    Witness,
    MarketFeeSharing,
}

impl Pack for VestingBalanceType {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, *self as u64);
    }
}

/// A balance locked by a vesting policy (1.13.x).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VestingBalanceObject {
    pub id: VestingBalanceId,
    pub owner: AccountId,
    pub balance: Asset,
    pub policy: VestingPolicy,
    pub balance_type: VestingBalanceType,
}

crate::impl_pack!(VestingBalanceObject { id, owner, balance, policy, balance_type });

impl crate::encoding::Unpack for VestingPolicy {
    fn unpack(r: &mut crate::encoding::Reader<'_>) -> Result<Self, crate::encoding::DecodeError> {
        use crate::encoding::Unpack;
        let offset = r.offset();
        match r.varint()? {
            0 => Ok(VestingPolicy::Linear(Unpack::unpack(r)?)),
            1 => Ok(VestingPolicy::Cdd(Unpack::unpack(r)?)),
            2 => Ok(VestingPolicy::Instant(Unpack::unpack(r)?)),
            tag => Err(crate::encoding::DecodeError::UnknownTag { what: "vesting_policy", tag, offset }),
        }
    }
}

impl crate::encoding::Unpack for VestingBalanceType {
    fn unpack(r: &mut crate::encoding::Reader<'_>) -> Result<Self, crate::encoding::DecodeError> {
        let offset = r.offset();
        Ok(match r.varint()? {
            0 => VestingBalanceType::Unspecified,
            1 => VestingBalanceType::Cashback,
            2 => VestingBalanceType::Worker,
            3 => VestingBalanceType::Witness,
            4 => VestingBalanceType::MarketFeeSharing,
            tag => return Err(crate::encoding::DecodeError::UnknownTag { what: "vesting_balance_type", tag, offset }),
        })
    }
}

/// fc writes `uint128` as a decimal string; accept a string or a number back.
mod uint128_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => s.parse().map_err(D::Error::custom),
            serde_json::Value::Number(n) => n.as_u64().map(u128::from).ok_or_else(|| D::Error::custom("not a u128")),
            other => Err(D::Error::custom(format!("expected a uint128, got {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vesting_balance_json_has_bitshares_shape() {
        let vb = VestingBalanceObject {
            id: VestingBalanceId(3),
            owner: AccountId(17),
            balance: Asset::new(1_600_000, CORE_ASSET),
            policy: VestingPolicy::Cdd(CddVestingPolicy {
                vesting_seconds: 86_400,
                coin_seconds_earned: 138_240_000_000,
                start_claim: TimePointSec(0),
                coin_seconds_earned_last_update: TimePointSec(600),
            }),
            balance_type: VestingBalanceType::Cashback,
        };
        let v = serde_json::to_value(&vb).unwrap();
        assert_eq!(v["id"], "1.13.3");
        assert_eq!(v["policy"][0], 1);
        assert_eq!(v["policy"][1]["coin_seconds_earned"], "138240000000");
        assert_eq!(v["policy"][1]["vesting_seconds"], 86_400);
        assert_eq!(v["balance_type"], "cashback");
        let back: VestingBalanceObject = serde_json::from_value(v).unwrap();
        assert_eq!(back, vb);
    }
}
