//! JSON conventions of the BitShares API (CLIENTS.md §0 item 5, §3.5), shared by every type.
//!
//! Decoding is lenient the way fc's `from_variant` is: missing struct fields take their defaults
//! (every protocol struct derives `Default` and carries `#[serde(default)]`), unknown fields are
//! ignored, and 64-bit integers arrive either as JSON numbers or as decimal strings
//! (python-bitshares sends numbers, bitsharesjs strings). Encoding follows fc's default
//! `stringify_large_ints_and_doubles`: a 64-bit integer whose magnitude exceeds `0xffffffff` is
//! written as a quoted string, smaller ones as numbers.

use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;
use std::fmt;

const SMALL: u64 = 0xffff_ffff;

/// `#[serde(with = "crate::json::int64")]` for `i64` fields.
pub mod int64 {
    use super::*;

    pub fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        if v.unsigned_abs() > SMALL {
            s.collect_str(v)
        } else {
            s.serialize_i64(*v)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        d.deserialize_any(IntVisitor::<i64>::new())
    }
}

/// `#[serde(with = "crate::json::uint64")]` for `u64` fields.
pub mod uint64 {
    use super::*;

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        if *v > SMALL {
            s.collect_str(v)
        } else {
            s.serialize_u64(*v)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        d.deserialize_any(IntVisitor::<u64>::new())
    }
}

/// `#[serde(with = "crate::json::lenient")]` for narrow integer fields (u8/u16/u32) that some
/// clients send as strings.
pub mod lenient {
    use super::*;

    pub fn serialize<S: Serializer, T: serde::Serialize>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }

    pub fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: TryFrom<i128>,
    {
        let v = d.deserialize_any(IntVisitor::<i128>::new())?;
        T::try_from(v).map_err(|_| de::Error::custom(format!("integer {v} is out of range")))
    }
}

/// Accepts a JSON number or a decimal string and range-checks it into `T`.
pub struct IntVisitor<T>(std::marker::PhantomData<T>);

impl<T> IntVisitor<T> {
    pub fn new() -> Self {
        IntVisitor(std::marker::PhantomData)
    }
}

impl<T> Default for IntVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: TryFrom<i128>> Visitor<'_> for IntVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, as a JSON number or a decimal string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_i128(i128::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_i128(i128::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::custom(format!("integer {v} is out of range")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // serde_json yields f64 only for numbers with a fraction or exponent, or beyond u64.
        Err(E::custom(format!("{v} is not an integer")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let t = v.trim();
        let n: i128 = t.parse().map_err(|_| E::custom(format!("'{v}' is not a decimal integer")))?;
        self.visit_i128(n)
    }
}

/// `#[serde(with = "crate::json::hex_bytes")]` for `Vec<u8>` fields (fc writes `vector<char>` as
/// hex).
pub mod hex_bytes {
    use super::*;

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        hex::decode(s.as_ref()).map_err(|e| de::Error::custom(format!("bad hex: {e}")))
    }

    use serde::Deserialize;
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct T {
        #[serde(with = "super::int64")]
        a: i64,
        #[serde(with = "super::uint64")]
        b: u64,
        #[serde(with = "super::lenient")]
        c: u16,
    }

    #[test]
    fn numbers_or_strings_in_numbers_or_large_strings_out() {
        let t: T = serde_json::from_str(r#"{"a":"-5","b":18446744073709551615,"c":"7","zz":1}"#).unwrap();
        assert_eq!(t, T { a: -5, b: u64::MAX, c: 7 });
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"a":-5,"b":"18446744073709551615","c":7}"#);
        let t: T = serde_json::from_str(r#"{"a":1000000000000000}"#).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), r#"{"a":"1000000000000000","b":0,"c":0}"#);
    }

    #[test]
    fn out_of_range_is_named() {
        let e = serde_json::from_str::<T>(r#"{"c":70000}"#).unwrap_err().to_string();
        assert!(e.contains("70000 is out of range"), "{e}");
        let e = serde_json::from_str::<T>(r#"{"a":"12x"}"#).unwrap_err().to_string();
        assert!(e.contains("'12x' is not a decimal integer"), "{e}");
    }
}

/// `#[serde(with = "crate::json::pairs")]` for `BTreeMap` fields: fc writes maps (`flat_map`) as
/// arrays of `[key, value]` pairs, and reads them back into sorted, de-duplicated order.
pub mod pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S, K, V>(m: &BTreeMap<K, V>, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        K: Serialize,
        V: Serialize,
    {
        s.collect_seq(m.iter())
    }

    pub fn deserialize<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        D: Deserializer<'de>,
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
    {
        let v: Vec<(K, V)> = Vec::deserialize(d)?;
        let mut m = BTreeMap::new();
        for (k, val) in v {
            m.entry(k).or_insert(val);
        }
        Ok(m)
    }
}
