//! Seeded pseudo-random protocol values for property tests and fuzzing.
//!
//! [`Sample`] builds an arbitrary value of a protocol type from a [`Gen`], a small xorshift
//! generator driven by a caller-supplied seed. It is test tooling: consensus code never calls it,
//! and it reads no clock and no OS randomness (the seed is the only input), so a failing case
//! replays exactly from its seed. Recursive types (proposals holding operations, restrictions
//! holding restrictions) stop nesting once [`Gen::depth`] reaches [`MAX_DEPTH`].

use crate::asset::{Asset, Price};
use crate::authority::Authority;
use crate::ext::Extensions;
use crate::ids::*;
use crate::keys::{Address, PublicKey, Signature};
use crate::time::TimePointSec;
use std::collections::{BTreeMap, BTreeSet};

/// How deep recursive values may nest.
pub const MAX_DEPTH: u32 = 2;

/// A deterministic xorshift64* generator.
pub struct Gen {
    state: u64,
    /// Current nesting depth of recursive values.
    pub depth: u32,
}

impl Gen {
    pub fn new(seed: u64) -> Self {
        Gen { state: seed ^ 0x9E37_79B9_7F4A_7C15 | 1, depth: 0 }
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    /// A small container length: mostly 0..3, shrinking to 0 past the depth limit.
    pub fn size(&mut self) -> usize {
        if self.depth >= MAX_DEPTH {
            0
        } else {
            self.below(4) as usize
        }
    }
}

/// Build an arbitrary value of `Self`.
pub trait Sample: Sized {
    fn sample(g: &mut Gen) -> Self;
}

macro_rules! sample_int {
    ($($t:ty),*) => {$(
        impl Sample for $t {
            fn sample(g: &mut Gen) -> Self {
                // Mix small values (common in practice) with full-range ones.
                match g.below(4) {
                    0 => 0,
                    1 => (g.below(300)) as $t,
                    _ => g.next_u64() as $t,
                }
            }
        }
    )*};
}
sample_int!(u8, u16, u32, u64, i8, i16, i32, i64);

impl Sample for bool {
    fn sample(g: &mut Gen) -> Self {
        g.chance(2)
    }
}
impl Sample for () {
    fn sample(_g: &mut Gen) -> Self {}
}
impl Sample for String {
    fn sample(g: &mut Gen) -> Self {
        const ALPHABET: &[char] = &['a', 'z', 'B', '0', '9', '.', '-', ' ', '"', '\\', 'é', '€', '\n'];
        let n = g.below(8) as usize;
        (0..n).map(|_| ALPHABET[g.below(ALPHABET.len() as u64) as usize]).collect()
    }
}
impl<const N: usize> Sample for [u8; N] {
    fn sample(g: &mut Gen) -> Self {
        let mut a = [0u8; N];
        for b in a.iter_mut() {
            *b = g.next_u64() as u8;
        }
        a
    }
}
impl<T: Sample> Sample for Option<T> {
    fn sample(g: &mut Gen) -> Self {
        if g.chance(2) {
            None
        } else {
            g.depth += 1;
            let v = T::sample(g);
            g.depth -= 1;
            Some(v)
        }
    }
}
impl<T: Sample> Sample for Vec<T> {
    fn sample(g: &mut Gen) -> Self {
        let n = g.size();
        g.depth += 1;
        let v = (0..n).map(|_| T::sample(g)).collect();
        g.depth -= 1;
        v
    }
}
impl<T: Sample + Ord> Sample for BTreeSet<T> {
    fn sample(g: &mut Gen) -> Self {
        let n = g.size();
        g.depth += 1;
        let v = (0..n).map(|_| T::sample(g)).collect();
        g.depth -= 1;
        v
    }
}
impl<K: Sample + Ord, V: Sample> Sample for BTreeMap<K, V> {
    fn sample(g: &mut Gen) -> Self {
        let n = g.size();
        g.depth += 1;
        let v = (0..n).map(|_| (K::sample(g), V::sample(g))).collect();
        g.depth -= 1;
        v
    }
}
impl<A: Sample, B: Sample> Sample for (A, B) {
    fn sample(g: &mut Gen) -> Self {
        (A::sample(g), B::sample(g))
    }
}
impl<T: Sample> Sample for Box<T> {
    fn sample(g: &mut Gen) -> Self {
        Box::new(T::sample(g))
    }
}

macro_rules! sample_ids {
    ($($t:ident),*) => {$(
        impl Sample for $t {
            fn sample(g: &mut Gen) -> Self {
                $t(if g.chance(2) { g.below(40) } else { g.next_u64() & INSTANCE_MAX })
            }
        }
    )*};
}
sample_ids!(
    AccountId,
    AssetId,
    ForceSettlementId,
    CommitteeMemberId,
    WitnessId,
    LimitOrderId,
    CallOrderId,
    CustomId,
    ProposalId,
    OperationHistoryId,
    WithdrawPermissionId,
    VestingBalanceId,
    WorkerId,
    BalanceId,
    HtlcId,
    CustomAuthorityId,
    TicketId,
    LiquidityPoolId,
    SametFundId,
    CreditOfferId,
    CreditDealId,
    FbaAccumulatorId
);

impl Sample for ObjectId {
    fn sample(g: &mut Gen) -> Self {
        ObjectId::new(1 + g.below(2) as u8, g.below(23) as u8, g.below(1000))
    }
}
impl Sample for TimePointSec {
    fn sample(g: &mut Gen) -> Self {
        TimePointSec(u32::sample(g))
    }
}
impl Sample for PublicKey {
    fn sample(g: &mut Gen) -> Self {
        PublicKey(<[u8; 33]>::sample(g))
    }
}
impl Sample for Address {
    fn sample(g: &mut Gen) -> Self {
        Address(<[u8; 20]>::sample(g))
    }
}
impl Sample for Signature {
    fn sample(g: &mut Gen) -> Self {
        Signature(<[u8; 65]>::sample(g))
    }
}
impl Sample for Extensions {
    fn sample(g: &mut Gen) -> Self {
        Extensions { void: g.chance(4) }
    }
}
impl Sample for Asset {
    fn sample(g: &mut Gen) -> Self {
        Asset { amount: i64::sample(g), asset_id: AssetId::sample(g) }
    }
}
impl Sample for Price {
    fn sample(g: &mut Gen) -> Self {
        Price { base: Asset::sample(g), quote: Asset::sample(g) }
    }
}
impl Sample for Authority {
    fn sample(g: &mut Gen) -> Self {
        Authority {
            weight_threshold: u32::sample(g),
            account_auths: BTreeMap::<AccountId, u16>::sample(g).into_iter().collect(),
            key_auths: BTreeMap::<PublicKey, u16>::sample(g).into_iter().collect(),
            address_auths: BTreeMap::<Address, u16>::sample(g).into_iter().collect(),
        }
    }
}
