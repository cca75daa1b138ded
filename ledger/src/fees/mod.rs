//! The fee schedule (PROTOCOL.md §6.1): per-operation fee parameters and the scale, with the
//! lookup rules bitshares-core applies when computing an operation's required fee.
//!
//! Invariants of [`FeeSchedule`]: its parameters are sorted by operation tag with no duplicate
//! tag, exactly like the C++ `flat_set<fee_parameters>` (whose order compares only the variant's
//! tag). Construction and decoding (binary and JSON) re-sort and keep the *first* entry of a
//! repeated tag, as fc's insert loop does, so re-encoding a decoded schedule reproduces what a
//! C++ node would re-encode.
//!
//! Lookup ([`FeeSchedule::params_for`]) never fails: an operation missing from the schedule
//! uses its protocol defaults, except three that borrow a sibling's flat fee when the sibling is
//! present (bid_collateral ← call_order_update, asset_update_issuer ← asset_update,
//! asset_claim_pool ← asset_fund_fee_pool), mirroring `fee_helper` and `calc_fee_visitor`.
//!
//! This module is pure arithmetic on integers; it reads no state and never panics on input:
//! any overflow is a [`FeeError`].

mod calc;
mod params;

pub use params::{
    AccountCreateFeeParams, AccountUpgradeFeeParams, AssetCreateFeeParams, BlindFeeParams, CustomAuthorityFeeParams,
    FeeParameters, FeeWithKbyte, FlatFee, HtlcPerDayFeeParams, HtlcRedeemFeeParams, NoFeeParams, PRECISION,
};

pub use crate::ops::is_cheap_name;

use crate::asset::{MAX_SHARE_SUPPLY, PERCENT_100};
use crate::encoding::{DecodeError, Pack, Reader, Unpack};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Operation tags the lookup rules refer to by number.
pub mod tags {
    pub const TRANSFER: u8 = 0;
    pub const CALL_ORDER_UPDATE: u8 = 3;
    pub const ACCOUNT_TRANSFER: u8 = 9;
    pub const ASSET_CREATE: u8 = 10;
    pub const ASSET_UPDATE: u8 = 11;
    pub const ASSET_FUND_FEE_POOL: u8 = 16;
    pub const BID_COLLATERAL: u8 = 45;
    pub const ASSET_CLAIM_POOL: u8 = 47;
    pub const ASSET_UPDATE_ISSUER: u8 = 48;
    pub const TICKET_CREATE: u8 = 57;
}

/// Why a fee could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeeError {
    #[error("data fee for {bytes} bytes at {price_per_kbyte} per KiB exceeds the maximum share supply 10^15")]
    DataFeeTooLarge { bytes: u64, price_per_kbyte: u64 },
    #[error("required fee of operation {op} overflows 64 bits")]
    Overflow { op: &'static str },
    #[error("required fee {fee} scaled by {scale}/10000 exceeds the maximum share supply 10^15")]
    ScaledFeeTooLarge { fee: u64, scale: u32 },
}

/// `calculate_data_fee`: `floor(bytes × price_per_kbyte / 1024)`, at most 10^15.
pub fn data_fee(bytes: u64, price_per_kbyte: u64) -> Result<u64, FeeError> {
    let fee = u128::from(bytes) * u128::from(price_per_kbyte) / 1024;
    if fee > MAX_SHARE_SUPPLY as u128 {
        return Err(FeeError::DataFeeTooLarge { bytes, price_per_kbyte });
    }
    Ok(fee as u64)
}

/// `fee_schedule`: fee parameters by operation tag and a scale (10000 = 100 %).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FeeSchedule {
    /// Sorted by tag, no duplicate tags (see the module doc).
    parameters: Vec<FeeParameters>,
    /// `fee × scale / 10000` is the charged fee.
    pub scale: u32,
}

impl Default for FeeSchedule {
    /// The C++ default constructor: no parameters (every op falls back to its defaults), scale
    /// 100 %.
    fn default() -> Self {
        FeeSchedule { parameters: Vec::new(), scale: u32::from(PERCENT_100) }
    }
}

impl FeeSchedule {
    /// A schedule from parameters in any order; a repeated tag keeps its first entry.
    pub fn new(parameters: impl IntoIterator<Item = FeeParameters>, scale: u32) -> Self {
        let mut v: Vec<FeeParameters> = parameters.into_iter().collect();
        // Stable sort, then dedup keeps the first of each tag, as the flat_set insert loop does.
        v.sort_by_key(FeeParameters::tag);
        v.dedup_by_key(|p| p.tag());
        FeeSchedule { parameters: v, scale }
    }

    /// `fee_schedule::get_default()`: every operation with its protocol defaults, scale 10000.
    pub fn default_schedule() -> Self {
        let all = (0..FeeParameters::COUNT as u64).filter_map(FeeParameters::default_for_tag);
        FeeSchedule::new(all, u32::from(PERCENT_100))
    }

    /// `zero_all_fees()`: every operation present with all-zero parameters and scale 0, the
    /// schedule installed while genesis is applied and used by benchmarks.
    pub fn zero() -> Self {
        let all = (0..FeeParameters::COUNT as u64).filter_map(FeeParameters::zero_for_tag);
        FeeSchedule::new(all, 0)
    }

    /// The parameters, ascending by tag.
    pub fn parameters(&self) -> &[FeeParameters] {
        &self.parameters
    }

    /// The entry stored for `tag`, without any fallback.
    pub fn get(&self, tag: u8) -> Option<&FeeParameters> {
        self.parameters.binary_search_by_key(&tag, FeeParameters::tag).ok().map(|i| &self.parameters[i])
    }

    /// Whether the schedule holds an entry for `tag` (`exists<Op>()`).
    pub fn contains(&self, tag: u8) -> bool {
        self.get(tag).is_some()
    }

    /// Insert or replace the entry of `p`'s operation.
    pub fn set(&mut self, p: FeeParameters) {
        match self.parameters.binary_search_by_key(&p.tag(), FeeParameters::tag) {
            Ok(i) => self.parameters[i] = p,
            Err(i) => self.parameters.insert(i, p),
        }
    }

    /// The parameters used for operation `tag`, with the protocol's fallbacks: the stored entry;
    /// else for bid_collateral / asset_update_issuer / asset_claim_pool the flat fee of
    /// call_order_update / asset_update / asset_fund_fee_pool if that one is stored; else the
    /// protocol defaults. `None` only for a tag beyond the last operation.
    pub fn params_for(&self, tag: u8) -> Option<FeeParameters> {
        if let Some(p) = self.get(tag) {
            return Some(*p);
        }
        let sibling = match tag {
            tags::BID_COLLATERAL => Some(tags::CALL_ORDER_UPDATE),
            tags::ASSET_UPDATE_ISSUER => Some(tags::ASSET_UPDATE),
            tags::ASSET_CLAIM_POOL => Some(tags::ASSET_FUND_FEE_POOL),
            _ => None,
        };
        let borrowed = sibling.and_then(|s| self.get(s)).and_then(flat_fee_of);
        match borrowed {
            Some(fee) => FeeParameters::default_for_tag(u64::from(tag)).map(|p| with_flat_fee(p, fee)),
            None => FeeParameters::default_for_tag(u64::from(tag)),
        }
    }

    /// `fee × scale / 10000` (floor), at most 10^15; the scale is skipped at exactly 100 %.
    pub fn scale_fee(&self, fee: u64) -> Result<u64, FeeError> {
        if self.scale == u32::from(PERCENT_100) {
            return Ok(fee);
        }
        let scaled = u128::from(fee) * u128::from(self.scale) / u128::from(PERCENT_100);
        if scaled > MAX_SHARE_SUPPLY as u128 {
            return Err(FeeError::ScaledFeeTooLarge { fee, scale: self.scale });
        }
        Ok(scaled as u64)
    }
}

/// The `fee` member of a `{ fee }` or `{ fee, price_per_kbyte }` parameter set.
fn flat_fee_of(p: &FeeParameters) -> Option<u64> {
    match p {
        FeeParameters::CallOrderUpdate(f) | FeeParameters::AssetFundFeePool(f) => Some(f.fee),
        FeeParameters::AssetUpdate(f) => Some(f.fee),
        _ => None,
    }
}

fn with_flat_fee(p: FeeParameters, fee: u64) -> FeeParameters {
    match p {
        FeeParameters::BidCollateral(_) => FeeParameters::BidCollateral(FlatFee { fee }),
        FeeParameters::AssetUpdateIssuer(_) => FeeParameters::AssetUpdateIssuer(FlatFee { fee }),
        FeeParameters::AssetClaimPool(_) => FeeParameters::AssetClaimPool(FlatFee { fee }),
        other => other,
    }
}

impl Pack for FeeSchedule {
    fn pack(&self, out: &mut Vec<u8>) {
        crate::encoding::write_varint(out, self.parameters.len() as u64);
        for p in &self.parameters {
            p.pack(out);
        }
        self.scale.pack(out);
    }
}

impl Unpack for FeeSchedule {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.length(1)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(FeeParameters::unpack(r)?);
        }
        let scale = u32::unpack(r)?;
        Ok(FeeSchedule::new(v, scale))
    }
}

impl Serialize for FeeSchedule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            parameters: &'a [FeeParameters],
            scale: u32,
        }
        Json { parameters: &self.parameters, scale: self.scale }.serialize(s)
    }
}

impl<'de> Deserialize<'de> for FeeSchedule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        fn full_scale() -> u32 {
            u32::from(PERCENT_100)
        }
        #[derive(Deserialize)]
        struct Json {
            #[serde(default)]
            parameters: Vec<FeeParameters>,
            #[serde(default = "full_scale", with = "crate::json::lenient")]
            scale: u32,
        }
        let j = Json::deserialize(d)?;
        Ok(FeeSchedule::new(j.parameters, j.scale))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_schedule_round_trips_binary_and_json() {
        let s = FeeSchedule::default_schedule();
        assert_eq!(s.parameters().len(), 78);
        assert_eq!(s.scale, 10_000);
        let bytes = s.to_bytes();
        // count 78 (1 byte) + scale (4 bytes) + every entry
        let body: usize = s.parameters().iter().map(|p| p.to_bytes().len()).sum();
        assert_eq!(bytes.len(), 1 + body + 4);
        assert_eq!(&bytes[bytes.len() - 4..], &10_000u32.to_le_bytes());
        assert_eq!(FeeSchedule::from_bytes(&bytes).unwrap(), s);
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.starts_with(r#"{"parameters":[[0,{"fee":2000000,"price_per_kbyte":1000000}],[1,{"fee":500000}],"#));
        assert!(json.ends_with(r#"[77,{"fee":37500}]],"scale":10000}"#), "{json}");
        assert_eq!(serde_json::from_str::<FeeSchedule>(&json).unwrap(), s);
    }

    #[test]
    fn decode_sorts_and_keeps_first_duplicate() {
        // [ [3,{fee:7}], [0,{fee:1,ppk:2}], [3,{fee:9}] ], scale 5000
        let mut bytes = vec![3u8];
        FeeParameters::CallOrderUpdate(FlatFee { fee: 7 }).pack(&mut bytes);
        FeeParameters::Transfer(FeeWithKbyte { fee: 1, price_per_kbyte: 2 }).pack(&mut bytes);
        FeeParameters::CallOrderUpdate(FlatFee { fee: 9 }).pack(&mut bytes);
        5000u32.pack(&mut bytes);
        let s = FeeSchedule::from_bytes(&bytes).unwrap();
        assert_eq!(
            s.parameters(),
            &[
                FeeParameters::Transfer(FeeWithKbyte { fee: 1, price_per_kbyte: 2 }),
                FeeParameters::CallOrderUpdate(FlatFee { fee: 7 })
            ]
        );
        assert_eq!(s.scale, 5000);
        let j: FeeSchedule = serde_json::from_str(r#"{"parameters":[[3,{"fee":7}],[3,{"fee":9}]]}"#).unwrap();
        assert_eq!(j.parameters(), &[FeeParameters::CallOrderUpdate(FlatFee { fee: 7 })]);
        assert_eq!(j.scale, 10_000);
    }

    #[test]
    fn zero_schedule_is_all_zero_with_scale_zero() {
        let z = FeeSchedule::zero();
        assert_eq!(z.parameters().len(), 78);
        assert_eq!(z.scale, 0);
        assert_eq!(z.get(5), Some(&FeeParameters::AccountCreate(AccountCreateFeeParams::default())));
        assert_eq!(z.scale_fee(123_456), Ok(0));
    }

    #[test]
    fn lookup_fallbacks() {
        let empty = FeeSchedule::default();
        assert_eq!(empty.params_for(0), FeeParameters::default_for_tag(0));
        assert_eq!(empty.params_for(48), Some(FeeParameters::AssetUpdateIssuer(FlatFee { fee: 2_000_000 })));
        assert_eq!(empty.params_for(78), None);

        let mut s = FeeSchedule::new(
            [
                FeeParameters::CallOrderUpdate(FlatFee { fee: 11 }),
                FeeParameters::AssetUpdate(FeeWithKbyte { fee: 22, price_per_kbyte: 5 }),
                FeeParameters::AssetFundFeePool(FlatFee { fee: 33 }),
            ],
            10_000,
        );
        assert_eq!(s.params_for(45), Some(FeeParameters::BidCollateral(FlatFee { fee: 11 })));
        assert_eq!(s.params_for(48), Some(FeeParameters::AssetUpdateIssuer(FlatFee { fee: 22 })));
        assert_eq!(s.params_for(47), Some(FeeParameters::AssetClaimPool(FlatFee { fee: 33 })));
        // an explicit entry wins over the sibling
        s.set(FeeParameters::BidCollateral(FlatFee { fee: 44 }));
        assert_eq!(s.params_for(45), Some(FeeParameters::BidCollateral(FlatFee { fee: 44 })));
        assert_eq!(s.parameters().iter().map(|p| p.tag()).collect::<Vec<_>>(), vec![3, 11, 16, 45]);
    }

    #[test]
    fn data_fee_and_scaling_arithmetic() {
        assert_eq!(data_fee(100, 1_000_000), Ok(97_656)); // floor(100 × 10^6 / 1024)
        assert_eq!(data_fee(1024, 10), Ok(10));
        assert_eq!(data_fee(1023, 1), Ok(0));
        assert!(matches!(data_fee(u64::MAX, u64::from(u32::MAX)), Err(FeeError::DataFeeTooLarge { .. })));
        let mut s = FeeSchedule::default_schedule();
        s.scale = 5000;
        assert_eq!(s.scale_fee(2_097_656), Ok(1_048_828));
        s.scale = u32::MAX;
        assert_eq!(s.scale_fee(10_000), Ok(u64::from(u32::MAX)));
        assert!(matches!(s.scale_fee(MAX_SHARE_SUPPLY as u64), Err(FeeError::ScaledFeeTooLarge { .. })));
    }
}
