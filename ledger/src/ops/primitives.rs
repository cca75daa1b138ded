//! Small wire types shared by the operations: `void_t`, `unsigned_int`, fixed-size hashes,
//! `vector<char>`, `int64_t` inside containers and optional maps, and the decode nesting bound.

use super::sample;
use crate::encoding::{write_varint, DecodeError, Pack, Reader, Unpack};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// How deeply static variants (operations inside proposals, restrictions inside restrictions) may
/// nest in decoded bytes. Recursion is bounded so that hostile input cannot exhaust the stack;
/// a 2 KiB transaction cannot legitimately nest anywhere near this deep in practice.
pub const MAX_DECODE_NESTING: u32 = 64;

thread_local! {
    static DECODE_NESTING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Counts the current decode nesting while alive (see [`MAX_DECODE_NESTING`]).
#[doc(hidden)]
pub struct NestingGuard(());

impl NestingGuard {
    pub fn enter(what: &'static str, offset: usize) -> Result<NestingGuard, DecodeError> {
        DECODE_NESTING.with(|d| {
            if d.get() >= MAX_DECODE_NESTING {
                return Err(DecodeError::Invalid {
                    what,
                    offset,
                    reason: format!("nested more than {MAX_DECODE_NESTING} levels deep"),
                });
            }
            d.set(d.get() + 1);
            Ok(NestingGuard(()))
        })
    }
}

impl Drop for NestingGuard {
    fn drop(&mut self) {
        DECODE_NESTING.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// fc's `void_t`: no bytes, JSON `{}`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub struct VoidT;

impl Pack for VoidT {
    fn pack(&self, _out: &mut Vec<u8>) {}
}
impl Unpack for VoidT {
    fn unpack(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(VoidT)
    }
}
impl Serialize for VoidT {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(std::iter::empty::<(u8, u8)>())
    }
}
impl<'de> Deserialize<'de> for VoidT {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| VoidT)
    }
}
impl sample::Sample for VoidT {
    fn sample(_g: &mut sample::Gen) -> Self {
        VoidT
    }
}

/// An `int64_t`/`share_type` inside a container or an optional, with fc's JSON rule (numbers up
/// to 2^32, decimal strings beyond; either on input).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub struct Int64(pub i64);

impl Pack for Int64 {
    fn pack(&self, out: &mut Vec<u8>) {
        self.0.pack(out)
    }
}
impl Unpack for Int64 {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        i64::unpack(r).map(Int64)
    }
}
impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::json::int64::serialize(&self.0, s)
    }
}
impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::int64::deserialize(d).map(Int64)
    }
}
impl sample::Sample for Int64 {
    fn sample(g: &mut sample::Gen) -> Self {
        Int64(sample::Sample::sample(g))
    }
}

/// A fixed-size hash (`fc::sha256`, `fc::ripemd160`, `fc::sha1`, `fc::hash160`, blinding factors,
/// commitments): raw bytes in binary, lower-case hex in JSON.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FixedBytes<const N: usize>(pub [u8; N]);

pub type Sha256 = FixedBytes<32>;
pub type Ripemd160 = FixedBytes<20>;
pub type Sha1 = FixedBytes<20>;
pub type Hash160 = FixedBytes<20>;
/// `fc::ecc::commitment_type`: a 33-byte Pedersen commitment.
pub type Commitment = FixedBytes<33>;

impl<const N: usize> Default for FixedBytes<N> {
    fn default() -> Self {
        FixedBytes([0; N])
    }
}
impl<const N: usize> fmt::Debug for FixedBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}
impl<const N: usize> fmt::Display for FixedBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}
impl<const N: usize> Pack for FixedBytes<N> {
    fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0)
    }
}
impl<const N: usize> Unpack for FixedBytes<N> {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.array().map(FixedBytes)
    }
}
impl<const N: usize> Serialize for FixedBytes<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(self.0))
    }
}
impl<'de, const N: usize> Deserialize<'de> for FixedBytes<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        let v = hex::decode(s.as_ref()).map_err(|e| serde::de::Error::custom(format!("bad hex '{s}': {e}")))?;
        let a: [u8; N] = v
            .try_into()
            .map_err(|v: Vec<u8>| serde::de::Error::custom(format!("expected {N} bytes of hex, got {}", v.len())))?;
        Ok(FixedBytes(a))
    }
}
impl<const N: usize> sample::Sample for FixedBytes<N> {
    fn sample(g: &mut sample::Gen) -> Self {
        FixedBytes(sample::Sample::sample(g))
    }
}

/// `vector<char>` as the protocol uses it: length-prefixed bytes, hex in JSON.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}
impl Pack for Bytes {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.0.len() as u64);
        out.extend_from_slice(&self.0);
    }
}
impl Unpack for Bytes {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.length(1)?;
        Ok(Bytes(r.take(n)?.to_vec()))
    }
}
impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::json::hex_bytes::serialize(&self.0, s)
    }
}
impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::hex_bytes::deserialize(d).map(Bytes)
    }
}
impl sample::Sample for Bytes {
    fn sample(g: &mut sample::Gen) -> Self {
        let n = g.below(12) as usize;
        Bytes((0..n).map(|_| g.next_u64() as u8).collect())
    }
}

/// fc's `unsigned_int` as a field: a varint in binary, a JSON number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub struct UnsignedInt(pub u64);

impl Pack for UnsignedInt {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.0)
    }
}
impl Unpack for UnsignedInt {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.varint().map(UnsignedInt)
    }
}
impl Serialize for UnsignedInt {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::json::uint64::serialize(&self.0, s)
    }
}
impl<'de> Deserialize<'de> for UnsignedInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::json::uint64::deserialize(d).map(UnsignedInt)
    }
}
impl sample::Sample for UnsignedInt {
    fn sample(g: &mut sample::Gen) -> Self {
        UnsignedInt(sample::Sample::sample(g))
    }
}

/// `#[serde(with = "crate::ops::opt_pairs")]` for `Option<BTreeMap>` fields (`optional<flat_map>`).
pub mod opt_pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S, K, V>(m: &Option<BTreeMap<K, V>>, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        K: Serialize,
        V: Serialize,
    {
        match m {
            Some(m) => crate::json::pairs::serialize(m, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D, K, V>(d: D) -> Result<Option<BTreeMap<K, V>>, D::Error>
    where
        D: Deserializer<'de>,
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
    {
        let v: Option<Vec<(K, V)>> = Option::deserialize(d)?;
        Ok(v.map(|v| {
            let mut m = BTreeMap::new();
            for (k, val) in v {
                m.entry(k).or_insert(val);
            }
            m
        }))
    }
}
