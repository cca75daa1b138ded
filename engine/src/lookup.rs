//! [`LookupMap`]: the only hash map the engine may hold. It answers lookups (get, insert,
//! remove, contains, len) and offers no iteration, so neither its hasher's per-process seed nor
//! its insertion history can leak into state, events or output. Code that needs to walk entries
//! keeps an ordered structure beside it (a `BTreeSet`/`BTreeMap`), as the indexes in
//! [`crate::state`] do.
//!
//! The one escape is [`LookupMap::sorted_values`], which returns the values already sorted: the
//! order is that of the values, never of the table.
//!
//! `engine/clippy.toml` disallows `std::collections::HashMap`/`HashSet` everywhere else in the
//! crate, so a new index cannot bypass this type without an `allow` that a reviewer sees.

#![allow(clippy::disallowed_types)] // the one place that wraps std's HashMap, without its iteration.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hash};

/// The default hasher: foldhash, seeded per process. Several times faster than SipHash on the
/// small keys of the indexes and still keyed, so colliding keys cannot be precomputed; harmless
/// because the map is never iterated.
pub type DefaultHasher = foldhash::fast::RandomState;

/// A hash map for lookups only (see the module doc).
#[derive(Clone)]
pub struct LookupMap<K, V, S = DefaultHasher> {
    map: HashMap<K, V, S>,
}

impl<K, V, S: Default> Default for LookupMap<K, V, S> {
    fn default() -> Self {
        LookupMap { map: HashMap::default() }
    }
}

impl<K, V, S> fmt::Debug for LookupMap<K, V, S> {
    /// Only the size: printing entries would print them in table order.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LookupMap").field("len", &self.map.len()).finish()
    }
}

impl<K: Eq + Hash, V, S: BuildHasher + Default> LookupMap<K, V, S> {
    pub fn with_capacity(capacity: usize) -> Self {
        LookupMap { map: HashMap::with_capacity_and_hasher(capacity, S::default()) }
    }
}

impl<K: Eq + Hash, V, S: BuildHasher> LookupMap<K, V, S> {
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.get(key)
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.get_mut(key)
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.contains_key(key)
    }

    /// Insert, returning the value the key had.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.map.insert(key, value)
    }

    /// Remove, returning the value the key had.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map.remove(key)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn reserve(&mut self, additional: usize) {
        self.map.reserve(additional)
    }

    pub fn clear(&mut self) {
        self.map.clear()
    }

    /// Every value, sorted by value: the table's order never shows. O(n log n); for queries, not
    /// for the apply path.
    pub fn sorted_values(&self) -> Vec<V>
    where
        V: Ord + Clone,
    {
        let mut out: Vec<V> = self.map.values().cloned().collect();
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::LookupMap;

    #[test]
    fn looks_up_and_sorts_values() {
        let mut m: LookupMap<u64, u32> = LookupMap::default();
        assert!(m.is_empty());
        for (k, v) in [(9, 3), (1, 7), (5, 1)] {
            assert_eq!(m.insert(k, v), None);
        }
        assert_eq!(m.insert(9, 4), Some(3));
        assert_eq!(m.get(&1), Some(&7));
        assert!(m.contains_key(&5));
        assert_eq!(m.remove(&5), Some(1));
        assert_eq!(m.len(), 2);
        assert_eq!(m.sorted_values(), vec![4, 7]);
        assert_eq!(format!("{m:?}"), "LookupMap { len: 2 }");
    }
}
