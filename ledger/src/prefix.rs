//! The text prefix of public keys and addresses (`BTS`, `TEST`, …) as a value, never a
//! process-wide setting.
//!
//! `Display` and serde print keys and addresses with the protocol's default prefix
//! ([`Prefix::BTS`], bitshares-core's `GRAPHENE_ADDRESS_PREFIX`). Code that prints for another
//! chain passes its [`Prefix`]: to [`crate::keys::PublicKey::to_string_with_prefix`] and
//! [`crate::crypto::address_text`] for one key, to [`to_json`] for a whole value (an account
//! with its authorities, a genesis). Parsing accepts any prefix, so no reader needs one.
//!
//! How [`to_json`] finds the keys inside any serializable value: [`PublicKey`] and [`Address`]
//! serialize as a newtype struct with a private name around their default text. serde_json
//! writes a newtype struct as its content, so plain serialization prints `BTS…`; the serializer
//! of [`to_json`] forwards everything to serde_json's and recognises those two names, swapping
//! the default prefix for the one it was given. No string that merely looks like a key is
//! touched.
//!
//! [`PublicKey`]: crate::keys::PublicKey
//! [`Address`]: crate::keys::Address

use serde::ser::{self, Error as _, Serialize, Serializer};
use std::fmt;

/// The newtype-struct names that mark key and address text for [`to_json`].
pub(crate) const PUBLIC_KEY_TOKEN: &str = "$ledger::keys::PublicKey";
pub(crate) const ADDRESS_TOKEN: &str = "$ledger::keys::Address";

/// Most letters a prefix may have (bitshares-core's parsers read up to 15).
pub const PREFIX_LEN_MAX: usize = 15;

/// A key and address prefix: 1 to [`PREFIX_LEN_MAX`] capital ASCII letters.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Prefix {
    bytes: [u8; PREFIX_LEN_MAX],
    len: u8,
}

/// Why a prefix was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("prefix '{0}' must be 1 to 15 capital letters, e.g. BTS or TEST")]
pub struct BadPrefix(pub String);

impl Prefix {
    /// The BitShares main network's prefix, printed by `Display` and serde.
    pub const BTS: Prefix = Prefix::from_static("BTS");
    /// The test and development networks' prefix.
    pub const TEST: Prefix = Prefix::from_static("TEST");

    const fn from_static(text: &str) -> Prefix {
        let b = text.as_bytes();
        assert!(!b.is_empty() && b.len() <= PREFIX_LEN_MAX, "prefix length");
        let mut bytes = [0u8; PREFIX_LEN_MAX];
        let mut i = 0;
        while i < b.len() {
            assert!(b[i].is_ascii_uppercase(), "prefix letters");
            bytes[i] = b[i];
            i += 1;
        }
        Prefix { bytes, len: b.len() as u8 }
    }

    pub fn new(text: &str) -> Result<Prefix, BadPrefix> {
        let b = text.as_bytes();
        if b.is_empty() || b.len() > PREFIX_LEN_MAX || !b.iter().all(u8::is_ascii_uppercase) {
            return Err(BadPrefix(text.to_string()));
        }
        let mut bytes = [0u8; PREFIX_LEN_MAX];
        bytes[..b.len()].copy_from_slice(b);
        Ok(Prefix { bytes, len: b.len() as u8 })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).expect("capital ASCII letters")
    }
}

impl Default for Prefix {
    fn default() -> Self {
        Prefix::BTS
    }
}
impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl fmt::Debug for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
impl std::str::FromStr for Prefix {
    type Err = BadPrefix;
    fn from_str(s: &str) -> Result<Self, BadPrefix> {
        Prefix::new(s)
    }
}

/// `value` as JSON with every public key and address printed with `prefix`.
pub fn to_json<T: Serialize + ?Sized>(value: &T, prefix: Prefix) -> serde_json::Result<serde_json::Value> {
    With { value, prefix }.serialize(serde_json::value::Serializer)
}

/// A value to serialize through [`Prefixed`].
struct With<'a, T: ?Sized> {
    value: &'a T,
    prefix: Prefix,
}
impl<T: Serialize + ?Sized> Serialize for With<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Prefixed { inner: s, prefix: self.prefix })
    }
}

/// A serializer that forwards to `inner` and prints key and address text with `prefix`.
struct Prefixed<S> {
    inner: S,
    prefix: Prefix,
}

/// The compound serializers of [`Prefixed`]: each element goes through [`With`] again.
struct Compound<C> {
    inner: C,
    prefix: Prefix,
}

macro_rules! forward {
    ($($method:ident($ty:ty)),* $(,)?) => {$(
        fn $method(self, v: $ty) -> Result<S::Ok, S::Error> {
            self.inner.$method(v)
        }
    )*};
}

impl<S: Serializer> Serializer for Prefixed<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Compound<S::SerializeSeq>;
    type SerializeTuple = Compound<S::SerializeTuple>;
    type SerializeTupleStruct = Compound<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Compound<S::SerializeTupleVariant>;
    type SerializeMap = Compound<S::SerializeMap>;
    type SerializeStruct = Compound<S::SerializeStruct>;
    type SerializeStructVariant = Compound<S::SerializeStructVariant>;

    forward!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str),
    );

    // Floats pass through untouched: the ledger never serializes one, but a serializer must
    // accept every serde type.
    fn serialize_f32(self, v: f32) -> Result<S::Ok, S::Error> {
        self.inner.serialize_f32(v)
    }
    fn serialize_f64(self, v: f64) -> Result<S::Ok, S::Error> {
        self.inner.serialize_f64(v)
    }
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }
    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<S::Ok, S::Error> {
        self.inner.serialize_some(&With { value: v, prefix: self.prefix })
    }
    fn serialize_unit_variant(self, name: &'static str, index: u32, variant: &'static str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, name: &'static str, v: &T) -> Result<S::Ok, S::Error> {
        if name == PUBLIC_KEY_TOKEN || name == ADDRESS_TOKEN {
            let text = match v.serialize(serde_json::value::Serializer) {
                Ok(serde_json::Value::String(text)) => text,
                _ => return Err(S::Error::custom("key text did not serialize as a string")),
            };
            let body = text.strip_prefix(Prefix::BTS.as_str()).expect("keys serialize with the default prefix");
            return self.inner.collect_str(&format_args!("{}{body}", self.prefix));
        }
        self.inner.serialize_newtype_struct(name, &With { value: v, prefix: self.prefix })
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_newtype_variant(name, index, variant, &With { value: v, prefix: self.prefix })
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(Compound { inner: self.inner.serialize_seq(len)?, prefix: self.prefix })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Ok(Compound { inner: self.inner.serialize_tuple(len)?, prefix: self.prefix })
    }
    fn serialize_tuple_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeTupleStruct, S::Error> {
        Ok(Compound { inner: self.inner.serialize_tuple_struct(name, len)?, prefix: self.prefix })
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        Ok(Compound { inner: self.inner.serialize_tuple_variant(name, index, variant, len)?, prefix: self.prefix })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        Ok(Compound { inner: self.inner.serialize_map(len)?, prefix: self.prefix })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Self::SerializeStruct, S::Error> {
        Ok(Compound { inner: self.inner.serialize_struct(name, len)?, prefix: self.prefix })
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        Ok(Compound { inner: self.inner.serialize_struct_variant(name, index, variant, len)?, prefix: self.prefix })
    }
    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! compound {
    ($trait:ident, $method:ident) => {
        impl<C: ser::$trait> ser::$trait for Compound<C> {
            type Ok = C::Ok;
            type Error = C::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), C::Error> {
                self.inner.$method(&With { value: v, prefix: self.prefix })
            }
            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    };
}
compound!(SerializeSeq, serialize_element);
compound!(SerializeTuple, serialize_element);
compound!(SerializeTupleStruct, serialize_field);
compound!(SerializeTupleVariant, serialize_field);

impl<C: ser::SerializeMap> ser::SerializeMap for Compound<C> {
    type Ok = C::Ok;
    type Error = C::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), C::Error> {
        self.inner.serialize_key(&With { value: k, prefix: self.prefix })
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), C::Error> {
        self.inner.serialize_value(&With { value: v, prefix: self.prefix })
    }
    fn end(self) -> Result<C::Ok, C::Error> {
        self.inner.end()
    }
}

macro_rules! compound_struct {
    ($trait:ident) => {
        impl<C: ser::$trait> ser::$trait for Compound<C> {
            type Ok = C::Ok;
            type Error = C::Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> Result<(), C::Error> {
                self.inner.serialize_field(key, &With { value: v, prefix: self.prefix })
            }
            fn skip_field(&mut self, key: &'static str) -> Result<(), C::Error> {
                self.inner.skip_field(key)
            }
            fn end(self) -> Result<C::Ok, C::Error> {
                self.inner.end()
            }
        }
    };
}
compound_struct!(SerializeStruct);
compound_struct!(SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::PublicKey;
    use serde_json::json;

    const KEY: &str = "77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd";

    #[test]
    fn prefixes_are_capital_letters() {
        assert_eq!(Prefix::new("TEST"), Ok(Prefix::TEST));
        assert_eq!(Prefix::default().as_str(), "BTS");
        for bad in ["", "bts", "B1", "ABCDEFGHIJKLMNOP"] {
            assert!(Prefix::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plain_serde_prints_the_default_and_to_json_the_given_prefix() {
        let k: PublicKey = format!("TEST{KEY}").parse().unwrap();
        let a = k.address();
        // A string that is key text but not a key stays as it is.
        let v = (vec![Some(k)], json!({ "memo": format!("BTS{KEY}") }), a, "BTS");
        let plain = serde_json::to_value(&v).unwrap();
        assert_eq!(plain[0][0], json!(format!("BTS{KEY}")));
        assert_eq!(k.to_string(), format!("BTS{KEY}"));
        let test = to_json(&v, Prefix::TEST).unwrap();
        assert_eq!(test[0][0], json!(format!("TEST{KEY}")));
        assert_eq!(test[1]["memo"], json!(format!("BTS{KEY}")));
        assert_eq!(test[2], json!(crate::crypto::address_text(&a, "TEST")));
        assert_eq!(test[3], json!("BTS"));
        assert_eq!(to_json(&v, Prefix::BTS).unwrap(), plain);
    }
}
