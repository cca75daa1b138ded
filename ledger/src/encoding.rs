//! The fc::raw binary encoding, byte-identical to bitshares-core (PROTOCOL.md §3.1).
//!
//! Two traits: [`Pack`] appends a value's bytes to a buffer, [`Unpack`] reads one from a
//! [`Reader`]. Decoding is total: any byte string either decodes or yields a [`DecodeError`]
//! naming what was wrong and where; it never panics and never allocates more than the input
//! could justify (every length prefix is checked against the bytes that remain).
//!
//! Containers follow fc exactly:
//! - fixed-width integers are little endian; `unsigned_int` is LEB128 ([`Varint`]);
//! - `optional<T>` is a presence byte, `bool` must be 0 or 1;
//! - `flat_set`/`flat_map` are [`BTreeSet`]/[`BTreeMap`]: encoded in ascending order of the
//!   protocol's `<`, and on decode out-of-order input is re-sorted and duplicates dropped, as the
//!   C++ `insert` loop does. The `Ord` of each key type is the protocol's order (public keys by
//!   address, vote ids by instance), so ids and digests computed over re-encoded data match.
//!
//! Structs are encoded field by field in `FC_REFLECT` order with [`impl_pack!`].

use std::collections::{BTreeMap, BTreeSet};

/// Why a byte string did not decode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("unexpected end of input at byte {offset}: needed {needed} more byte(s)")]
    UnexpectedEnd { offset: usize, needed: usize },
    #[error("varint at byte {offset} is longer than 10 bytes or overflows 64 bits")]
    BadVarint { offset: usize },
    #[error("bool at byte {offset} is {value}, must be 0 or 1")]
    BadBool { offset: usize, value: u8 },
    #[error("optional flag at byte {offset} is {value}, must be 0 or 1")]
    BadOptional { offset: usize, value: u8 },
    #[error("length {len} at byte {offset} exceeds the {remaining} bytes that remain")]
    LengthTooLarge { offset: usize, len: u64, remaining: usize },
    #[error("unknown {what} tag {tag} at byte {offset}")]
    UnknownTag { what: &'static str, tag: u64, offset: usize },
    #[error("invalid {what} at byte {offset}: {reason}")]
    Invalid { what: &'static str, offset: usize, reason: String },
    #[error("{extra} trailing byte(s) after the value")]
    TrailingBytes { extra: usize },
}

/// A cursor over input bytes.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, pos: 0 }
    }

    /// Byte offset of the next read.
    pub fn offset(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.remaining() < n {
            return Err(DecodeError::UnexpectedEnd { offset: self.pos, needed: n - self.remaining() });
        }
        let s = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    pub fn varint(&mut self) -> Result<u64, DecodeError> {
        let start = self.pos;
        let mut value: u64 = 0;
        for i in 0..10 {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if i == 9 && bits > 1 {
                return Err(DecodeError::BadVarint { offset: start });
            }
            value |= bits << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(DecodeError::BadVarint { offset: start })
    }

    /// A length prefix for `elem_min_size`-byte-or-larger elements, checked against what remains
    /// so that a forged length cannot make the decoder reserve absurd memory.
    pub fn length(&mut self, elem_min_size: usize) -> Result<usize, DecodeError> {
        let offset = self.pos;
        let len = self.varint()?;
        let need = len.saturating_mul(elem_min_size.max(1) as u64);
        if need > self.remaining() as u64 {
            return Err(DecodeError::LengthTooLarge { offset, len, remaining: self.remaining() });
        }
        Ok(len as usize)
    }

    /// Fails unless every byte was consumed.
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            extra => Err(DecodeError::TrailingBytes { extra }),
        }
    }
}

/// Append the fc::raw encoding of a value.
pub trait Pack {
    fn pack(&self, out: &mut Vec<u8>);

    fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        self.pack(&mut v);
        v
    }

    /// Encoded size in bytes (encodes to find out; override where it matters).
    fn packed_size(&self) -> usize {
        self.to_bytes().len()
    }
}

/// Read the fc::raw encoding of a value.
pub trait Unpack: Sized {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Decode a whole byte string; trailing bytes are an error.
    fn from_bytes(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let v = Self::unpack(&mut r)?;
        r.finish()?;
        Ok(v)
    }
}

/// Bytes [`write_varint`] writes for `v`.
pub fn varint_len(v: u64) -> usize {
    (64 - (v | 1).leading_zeros() as usize).div_ceil(7)
}

pub fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// fc's `unsigned_int`: a LEB128 varint (used for lengths, tags and typed object ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Varint(pub u64);

impl Pack for Varint {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.0)
    }
}
impl Unpack for Varint {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.varint().map(Varint)
    }
}

macro_rules! pack_int {
    ($($t:ty),*) => {$(
        impl Pack for $t {
            #[inline]
            fn pack(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
        impl Unpack for $t {
            #[inline]
            fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                Ok(<$t>::from_le_bytes(r.array()?))
            }
        }
    )*};
}
pack_int!(u8, u16, u32, u64, i8, i16, i32, i64);

impl Pack for bool {
    fn pack(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
}
impl Unpack for bool {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let offset = r.offset();
        match r.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            value => Err(DecodeError::BadBool { offset, value }),
        }
    }
}

impl Pack for String {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.len() as u64);
        out.extend_from_slice(self.as_bytes());
    }
}
impl Unpack for String {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = r.length(1)?;
        let offset = r.offset();
        let bytes = r.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|e| DecodeError::Invalid {
            what: "string",
            offset,
            reason: e.to_string(),
        })
    }
}

impl<const N: usize> Pack for [u8; N] {
    fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self);
    }
}
impl<const N: usize> Unpack for [u8; N] {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.array()
    }
}

impl<T: Pack> Pack for Option<T> {
    fn pack(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.pack(out)
            }
        }
    }
}
impl<T: Unpack> Unpack for Option<T> {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let offset = r.offset();
        match r.u8()? {
            0 => Ok(None),
            1 => Ok(Some(T::unpack(r)?)),
            value => Err(DecodeError::BadOptional { offset, value }),
        }
    }
}

impl<T: Pack> Pack for Vec<T> {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.len() as u64);
        for v in self {
            v.pack(out);
        }
    }
}
impl<T: Unpack> Unpack for Vec<T> {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = r.length(1)?;
        let mut v = Vec::with_capacity(len);
        for _ in 0..len {
            v.push(T::unpack(r)?);
        }
        Ok(v)
    }
}

impl<T: Pack> Pack for Box<T> {
    fn pack(&self, out: &mut Vec<u8>) {
        (**self).pack(out)
    }
}
impl<T: Unpack> Unpack for Box<T> {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        T::unpack(r).map(Box::new)
    }
}

/// `flat_set<T>`: ascending order, duplicates dropped on decode.
impl<T: Pack> Pack for BTreeSet<T> {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.len() as u64);
        for v in self {
            v.pack(out);
        }
    }
}
impl<T: Unpack + Ord> Unpack for BTreeSet<T> {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = r.length(1)?;
        let mut s = BTreeSet::new();
        for _ in 0..len {
            s.insert(T::unpack(r)?);
        }
        Ok(s)
    }
}

/// `flat_map<K, V>`: ascending key order; on decode a repeated key keeps its first value, as the
/// C++ `insert` does.
impl<K: Pack, V: Pack> Pack for BTreeMap<K, V> {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.len() as u64);
        for (k, v) in self {
            k.pack(out);
            v.pack(out);
        }
    }
}
impl<K: Unpack + Ord, V: Unpack> Unpack for BTreeMap<K, V> {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = r.length(2)?;
        let mut m = BTreeMap::new();
        for _ in 0..len {
            let k = K::unpack(r)?;
            let v = V::unpack(r)?;
            m.entry(k).or_insert(v);
        }
        Ok(m)
    }
}

impl Pack for () {
    fn pack(&self, _out: &mut Vec<u8>) {}
}
impl Unpack for () {
    fn unpack(_r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(())
    }
}

impl<A: Pack, B: Pack> Pack for (A, B) {
    fn pack(&self, out: &mut Vec<u8>) {
        self.0.pack(out);
        self.1.pack(out);
    }
}
impl<A: Unpack, B: Unpack> Unpack for (A, B) {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok((A::unpack(r)?, B::unpack(r)?))
    }
}

/// Implement [`Pack`] and [`Unpack`] for a struct by encoding the listed fields in order (the
/// `FC_REFLECT` order of the C++ type).
#[macro_export]
macro_rules! impl_pack {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::encoding::Pack for $ty {
            #[inline]
            #[allow(unused_variables)]
            fn pack(&self, out: &mut Vec<u8>) {
                $( $crate::encoding::Pack::pack(&self.$field, out); )*
            }
        }
        impl $crate::encoding::Unpack for $ty {
            #[inline]
            #[allow(unused_variables)]
            fn unpack(r: &mut $crate::encoding::Reader<'_>) -> Result<Self, $crate::encoding::DecodeError> {
                Ok($ty { $( $field: $crate::encoding::Unpack::unpack(r)?, )* })
            }
        }
    };
}

/// fc packs a `uint128` as 16 bytes little endian.
impl Pack for u128 {
    fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}
impl Unpack for u128 {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(u128::from_le_bytes(r.array()?))
    }
}

#[cfg(test)]
#[allow(clippy::items_after_test_module)]
mod tests {
    use super::*;

    #[test]
    fn varint_matches_leb128() {
        let cases: &[(u64, &[u8])] = &[
            (0, &[0x00]),
            (127, &[0x7f]),
            (128, &[0x80, 0x01]),
            (300, &[0xac, 0x02]),
            (u64::MAX, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
        ];
        for (v, bytes) in cases {
            let mut out = Vec::new();
            write_varint(&mut out, *v);
            assert_eq!(&out[..], *bytes, "encoding {v}");
            assert_eq!(Varint::from_bytes(bytes).unwrap().0, *v);
        }
    }

    #[test]
    fn varint_overflow_is_rejected() {
        let eleven = [0xffu8; 11];
        assert!(matches!(Varint::from_bytes(&eleven), Err(DecodeError::BadVarint { .. })));
        let too_big = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02];
        assert!(matches!(Varint::from_bytes(&too_big), Err(DecodeError::BadVarint { .. })));
    }

    #[test]
    fn forged_length_is_rejected_without_allocating() {
        // A vector claiming 2^62 elements in a 10-byte input.
        let mut bytes = Vec::new();
        write_varint(&mut bytes, 1 << 62);
        let err = Vec::<u64>::from_bytes(&bytes).unwrap_err();
        assert!(matches!(err, DecodeError::LengthTooLarge { .. }), "{err}");
    }

    #[test]
    fn flat_set_decode_sorts_and_dedups() {
        // [3, 1, 3] as u16s -> {1, 3}
        let bytes = [3u8, 3, 0, 1, 0, 3, 0];
        let s = BTreeSet::<u16>::from_bytes(&bytes).unwrap();
        assert_eq!(s.into_iter().collect::<Vec<_>>(), vec![1, 3]);
    }

    #[test]
    fn bool_and_optional_flags_must_be_zero_or_one() {
        assert_eq!(bool::from_bytes(&[2]), Err(DecodeError::BadBool { offset: 0, value: 2 }));
        assert_eq!(Option::<u8>::from_bytes(&[7]), Err(DecodeError::BadOptional { offset: 0, value: 7 }));
        assert_eq!(Option::<u8>::from_bytes(&[1, 9]), Ok(Some(9)));
    }

    #[test]
    fn trailing_bytes_are_an_error() {
        assert_eq!(u8::from_bytes(&[1, 2]), Err(DecodeError::TrailingBytes { extra: 1 }));
    }
}
