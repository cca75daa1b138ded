//! Public keys, addresses and signatures as the protocol stores them (PROTOCOL.md §3.1,
//! CLIENTS.md §4).
//!
//! - [`PublicKey`]: a 33-byte compressed secp256k1 point. Text: `PREFIX ‖ base58(key ‖
//!   ripemd160(key)[0..4])`. Keys order by their [`Address`], not by their bytes, because that is
//!   the order of `key_auths` in bitshares-core and it decides digests.
//! - [`Address`]: `ripemd160(sha512(key))`, 20 bytes.
//! - [`Signature`]: 65-byte compact recoverable signature, hex in JSON.
//!
//! `Display` and serde print the default prefix `BTS`; another chain's prefix is a value
//! ([`crate::prefix::Prefix`]) passed to whatever prints (see [`crate::prefix`]). Parsing accepts
//! any prefix of capital letters so JSON from any chain's clients reads.
//! Key derivation, signing and recovery live in [`crate::crypto`].

use crate::encoding::{DecodeError, Pack, Reader, Unpack};
use crate::prefix::{Prefix, ADDRESS_TOKEN, PUBLIC_KEY_TOKEN};
use ripemd::Ripemd160;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha512};
use std::cmp::Ordering;
use std::fmt;

/// Why key or address text did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("'{0}' is not a public key: expected PREFIX followed by base58 of 37 bytes")]
    BadPublicKey(String),
    #[error("'{0}' has a bad checksum")]
    BadChecksum(String),
    #[error("'{0}' is not an address: expected PREFIX followed by base58 of 24 bytes")]
    BadAddress(String),
    #[error("'{0}' is not a valid WIF private key")]
    BadWif(String),
    #[error("signature must be 65 bytes (130 hex characters): {0}")]
    BadSignature(String),
    #[error("not a valid secp256k1 point or scalar: {0}")]
    BadCurvePoint(String),
}

pub(crate) fn ripemd160(data: &[u8]) -> [u8; 20] {
    Ripemd160::digest(data).into()
}

/// Split `PREFIXbase58` where the prefix is 1–15 capital letters and the base58 body decodes to
/// `len` bytes whose last four are `ripemd160(first len-4)[0..4]`.
fn parse_prefixed(text: &str, len: usize) -> Option<Vec<u8>> {
    let upper = text.bytes().take_while(|b| b.is_ascii_uppercase()).count().min(15);
    (1..=upper).find_map(|cut| {
        let body = bs58::decode(&text[cut..]).into_vec().ok()?;
        if body.len() != len {
            return None;
        }
        let (data, check) = body.split_at(len - 4);
        (ripemd160(data)[..4] == *check).then(|| data.to_vec())
    })
}

fn to_prefixed(data: &[u8]) -> String {
    let mut body = data.to_vec();
    body.extend_from_slice(&ripemd160(data)[..4]);
    format!("{}{}", Prefix::BTS, bs58::encode(body).into_string())
}

/// A 33-byte compressed secp256k1 public key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 33]);

impl Default for PublicKey {
    /// The null key (33 zero bytes), the memo key of the special accounts.
    fn default() -> Self {
        PublicKey([0; 33])
    }
}

impl PublicKey {
    pub fn is_null(&self) -> bool {
        self.0 == [0; 33]
    }

    /// The graphene address `ripemd160(sha512(key))`.
    pub fn address(&self) -> Address {
        Address(ripemd160(&Sha512::digest(self.0)))
    }

    /// Text with an explicit prefix.
    pub fn to_string_with_prefix(&self, prefix: &str) -> String {
        let mut body = self.0.to_vec();
        body.extend_from_slice(&ripemd160(&self.0)[..4]);
        format!("{prefix}{}", bs58::encode(body).into_string())
    }
}

impl Ord for PublicKey {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.0 == other.0 {
            return Ordering::Equal;
        }
        self.address().0.cmp(&other.address().0)
    }
}
impl PartialOrd for PublicKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_prefixed(&self.0))
    }
}
impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl std::str::FromStr for PublicKey {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        let data = parse_prefixed(s, 37).ok_or_else(|| KeyError::BadPublicKey(s.to_string()))?;
        let mut k = [0u8; 33];
        k.copy_from_slice(&data);
        Ok(PublicKey(k))
    }
}
impl Pack for PublicKey {
    fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0)
    }
}
impl Unpack for PublicKey {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.array().map(PublicKey)
    }
}
impl Serialize for PublicKey {
    /// The default text, marked for [`crate::prefix::to_json`] (transparent to serde_json).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(PUBLIC_KEY_TOKEN, &Text(self))
    }
}

/// Serializes as the `Display` text.
struct Text<'a, T>(&'a T);
impl<T: fmt::Display> Serialize for Text<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self.0)
    }
}
impl<'de> Deserialize<'de> for PublicKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A graphene address: `ripemd160(sha512(compressed key))`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Address(pub [u8; 20]);

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_prefixed(&self.0))
    }
}
impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
impl std::str::FromStr for Address {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        let data = parse_prefixed(s, 24).ok_or_else(|| KeyError::BadAddress(s.to_string()))?;
        let mut a = [0u8; 20];
        a.copy_from_slice(&data);
        Ok(Address(a))
    }
}
impl Pack for Address {
    fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0)
    }
}
impl Unpack for Address {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.array().map(Address)
    }
}
impl Serialize for Address {
    /// The default text, marked for [`crate::prefix::to_json`] (transparent to serde_json).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(ADDRESS_TOKEN, &Text(self))
    }
}
impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A 65-byte compact recoverable signature: header `27 + 4 + recid`, then r and s.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signature(pub [u8; 65]);

impl Default for Signature {
    fn default() -> Self {
        Signature([0; 65])
    }
}
impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}
impl std::str::FromStr for Signature {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        let v = hex::decode(s).map_err(|_| KeyError::BadSignature(s.to_string()))?;
        let a: [u8; 65] = v.try_into().map_err(|_| KeyError::BadSignature(s.to_string()))?;
        Ok(Signature(a))
    }
}
impl Pack for Signature {
    fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0)
    }
}
impl Unpack for Signature {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.array().map(Signature)
    }
}
impl Serialize for Signature {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(self.0))
    }
}
impl<'de> Deserialize<'de> for Signature {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_key_text_round_trips_with_any_prefix() {
        let text = "TEST77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd";
        let k: PublicKey = text.parse().unwrap();
        assert_eq!(hex::encode(k.0), "0325368133f501b8f141c1eeecf808c2fb90849cf04e248459e7fc15b117a08e7f");
        assert_eq!(k.to_string_with_prefix("TEST"), text);
        let bts: PublicKey = "BTS77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd".parse().unwrap();
        assert_eq!(bts, k);
        assert!("TEST77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFe".parse::<PublicKey>().is_err());
    }

    #[test]
    fn null_key_round_trips() {
        let k: PublicKey = "BTS1111111111111111111111111111111114T1Anm".parse().unwrap();
        assert!(k.is_null());
        assert_eq!(k.to_string_with_prefix("TEST"), "TEST1111111111111111111111111111111114T1Anm");
    }
}
