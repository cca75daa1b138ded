//! [`FlatMap`]: a small ordered map kept as one sorted vector, for the maps of an [`Authority`]
//! (`crate::authority`), which almost always hold one or two entries.
//!
//! Why not `BTreeMap`: a `BTreeMap` with one `(PublicKey, u16)` entry allocates a whole leaf node
//! (~400 bytes for eleven slots), and every account holds two authorities. With a million accounts
//! that is most of the node's memory and most of the cost of creating an account or restoring a
//! snapshot. A sorted vector allocates exactly what it holds; lookups are binary searches.
//!
//! Invariants: entries are sorted by key and keys are distinct, so iteration order, the `Pack`
//! bytes and the JSON are exactly those of the `BTreeMap` it replaces (same order, and on decode
//! the first of duplicate keys wins, as `Unpack for BTreeMap` and `json::pairs` do). Insertion is
//! O(n), which is fine for the handful of entries an authority may hold (bounded by the chain's
//! `maximum_authority_membership`).

use crate::encoding::{write_varint, DecodeError, Pack, Reader, Unpack};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map as a sorted vector of distinct keys (see the module doc).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct FlatMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for FlatMap<K, V> {
    fn default() -> Self {
        FlatMap { entries: Vec::new() }
    }
}

impl<K: Ord, V> FlatMap<K, V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Insert or replace; returns the previous value of `key`, like `BTreeMap::insert`.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.entries.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            Err(at) => {
                self.entries.insert(at, (key, value));
                None
            }
        }
    }

    /// Insert only if `key` is absent (the first of duplicate keys wins when decoding).
    fn insert_first(&mut self, key: K, value: V) {
        if let Err(at) = self.entries.binary_search_by(|(k, _)| k.cmp(&key)) {
            self.entries.insert(at, (key, value));
        }
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.entries.binary_search_by(|(k, _)| k.cmp(key)).ok().map(|at| &self.entries[at].1)
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        let at = self.entries.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        Some(self.entries.remove(at).1)
    }
}

impl<K, V> FlatMap<K, V> {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in ascending key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + '_ {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + '_ {
        self.entries.iter().map(|(_, v)| v)
    }
}

impl<'a, K, V> IntoIterator for &'a FlatMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K, V> IntoIterator for FlatMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// Later duplicates replace earlier ones, as `BTreeMap`'s `FromIterator` (last wins).
impl<K: Ord, V> FromIterator<(K, V)> for FlatMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut m = FlatMap::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for FlatMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

/// The bytes of `BTreeMap`'s `Pack`: a varint count, then each key and value in key order.
impl<K: Pack, V: Pack> Pack for FlatMap<K, V> {
    fn pack(&self, out: &mut Vec<u8>) {
        write_varint(out, self.entries.len() as u64);
        for (k, v) in &self.entries {
            k.pack(out);
            v.pack(out);
        }
    }
}

impl<K: Unpack + Ord, V: Unpack> Unpack for FlatMap<K, V> {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let len = r.length(2)?;
        let mut m = FlatMap { entries: Vec::with_capacity(len) };
        for _ in 0..len {
            let k = K::unpack(r)?;
            let v = V::unpack(r)?;
            // Canonical encodings are sorted: appending is the common case.
            match m.entries.last() {
                Some((last, _)) if *last >= k => m.insert_first(k, v),
                _ => m.entries.push((k, v)),
            }
        }
        Ok(m)
    }
}

/// JSON as bitshares-core writes a `flat_map`: an array of `[key, value]` pairs.
impl<K: Serialize, V: Serialize> Serialize for FlatMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for FlatMap<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let pairs: Vec<(K, V)> = Vec::deserialize(d)?;
        let mut m = FlatMap { entries: Vec::with_capacity(pairs.len()) };
        for (k, v) in pairs {
            m.insert_first(k, v);
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn packs_decodes_and_serializes_exactly_like_the_btree_map_it_replaces() {
        let pairs = [(5u32, 50u16), (1, 10), (9, 90), (1, 11)];
        let flat: FlatMap<u32, u16> = pairs.into_iter().collect();
        let tree: BTreeMap<u32, u16> = pairs.into_iter().collect();
        assert_eq!(flat.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), vec![(1, 11), (5, 50), (9, 90)]);
        assert_eq!(flat.to_bytes(), tree.to_bytes());
        assert_eq!(serde_json::to_string(&flat).unwrap(), "[[1,11],[5,50],[9,90]]");
        // Unsorted bytes with a duplicate key: sorted, first occurrence wins, as for BTreeMap.
        let mut bytes = vec![4];
        for (k, v) in pairs {
            k.pack(&mut bytes);
            v.pack(&mut bytes);
        }
        let decoded = FlatMap::<u32, u16>::from_bytes(&bytes).unwrap();
        let tree_decoded = BTreeMap::<u32, u16>::from_bytes(&bytes).unwrap();
        assert_eq!(decoded.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), vec![(1, 10), (5, 50), (9, 90)]);
        assert_eq!(decoded.to_bytes(), tree_decoded.to_bytes());
        let json: FlatMap<u32, u16> = serde_json::from_str("[[9,1],[2,2],[9,3]]").unwrap();
        assert_eq!(json.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), vec![(2, 2), (9, 1)]);
        assert_eq!(json.get(&9), Some(&1));
        assert!(!json.contains_key(&5));
    }
}
