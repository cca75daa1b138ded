//! Block production (PROTOCOL.md §2.10, bitshares-core `witness.cpp` `maybe_produce_block`):
//! decide whether the slot at a given time belongs to a witness this node holds keys for, and
//! if so produce and sign its block.
//!
//! # Time
//!
//! `now_ms` (milliseconds since the Unix epoch) is passed in by the caller's timer loop; nothing
//! here reads a clock. As in bitshares-core, `now` is rounded to the nearest second
//! (`now_ms + 500` truncated) to find the slot, and the block is produced only if that slot's time
//! is within [`MAX_LAG_MS`] = 500 ms of `now_ms` (a timer that fires late skips the slot rather
//! than producing a block the network would see as late).
//!
//! # Rules, in order
//!
//! 1. Not synced: until the next slot (`slot_time(1)`) is at or after `now`, a node that has not
//!    enabled stale production does not produce (it is still catching up); once it is, production
//!    stays enabled.
//! 2. `slot_at_time(now) == 0`: not time yet.
//! 3. The scheduled witness is not one of ours: not my turn.
//! 4. We lack the private key of the witness's *current* signing key: no key.
//! 5. Participation (`popcount(recent_slots_filled) / 128`, in basis points) below the required
//!    threshold (default 33 %): refuse, we are probably on a minority fork.
//! 6. The slot time is more than 500 ms away from `now_ms`: lag.
//!
//! Then `Chain::produce_block` builds the block from the pending transactions in order (rejected
//! ones are left out and reported) and signs it.
//!
//! # Differences from bitshares-core
//!
//! Transactions that would push the block over `maximum_block_size` are not postponed here (the
//! engine refuses such a block when it is applied elsewhere); the caller keeps pending lists
//! small. Keys are given per witness rather than as a public→private map of all keys.

use engine::{BlockError, Chain};
use ledger::crypto::PrivateKey;
use ledger::ids::WitnessId;
use ledger::time::TimePointSec;
use ledger::transaction::SignedTransaction;
use std::collections::BTreeMap;

/// How far the slot time may be from `now_ms` (witness.cpp: 500 ms).
pub const MAX_LAG_MS: u64 = 500;
/// Default required participation, basis points (witness.cpp: 33 %).
pub const DEFAULT_REQUIRED_PARTICIPATION: u32 = 3_300;

/// Why no block was produced at this time (or which slot is ours).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotDecision {
    /// Produce in `slot` at `time` as `witness`.
    Produce {
        slot: u32,
        time: TimePointSec,
        witness: WitnessId,
    },
    /// The head is behind: the next slot is already in the past and stale production is off.
    NotSynced {
        next_slot: TimePointSec,
        now: TimePointSec,
    },
    NotTimeYet {
        next_slot: TimePointSec,
        now: TimePointSec,
    },
    NotMyTurn {
        scheduled: WitnessId,
    },
    /// We hold no private key for the scheduled witness's current signing key.
    NoPrivateKey {
        witness: WitnessId,
    },
    /// Participation in basis points is below the required threshold.
    LowParticipation {
        participation: u32,
        required: u32,
    },
    /// The slot time is too far from `now_ms`.
    Lag {
        slot_ms: u64,
        now_ms: u64,
    },
}

/// The result of [`BlockProducer::maybe_produce`].
// One value per slot, moved once to the caller: boxing the produced block would add an
// allocation and buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Production {
    /// A block was produced, applied to the chain and signed: the block, its outcome and the
    /// fate of each pending transaction (rejected ones are not in the block).
    Produced(engine::Produced),
    Skipped(SlotDecision),
}

/// The witnesses this node produces for, with their signing keys.
pub struct BlockProducer {
    keys: BTreeMap<WitnessId, PrivateKey>,
    /// Required participation, basis points of 10 000.
    pub required_participation: u32,
    /// Produce even when the head is behind (bootstrapping a new chain).
    pub enable_stale_production: bool,
    production_enabled: bool,
}

impl BlockProducer {
    /// A producer for the given witnesses and their signing keys.
    pub fn new(keys: impl IntoIterator<Item = (WitnessId, PrivateKey)>) -> Self {
        BlockProducer {
            keys: keys.into_iter().collect(),
            required_participation: DEFAULT_REQUIRED_PARTICIPATION,
            enable_stale_production: false,
            production_enabled: false,
        }
    }

    /// The witnesses this producer holds keys for.
    pub fn witnesses(&self) -> impl Iterator<Item = WitnessId> + '_ {
        self.keys.keys().copied()
    }

    /// The key this producer signs `witness`'s blocks with.
    pub fn signing_key(&self, witness: WitnessId) -> Option<&PrivateKey> {
        self.keys.get(&witness)
    }

    /// The first slot after the head (within two rounds of the active witnesses) scheduled to one
    /// of our witnesses: where a producer that runs ahead of the wall clock (a benchmark, a
    /// `--fast` node) produces next. `None` if none of ours is scheduled.
    pub fn next_own_slot(&self, chain: &Chain) -> Option<u32> {
        let active = chain.state.gpo().active_witnesses.len() as u32;
        (1..=active.max(1) * 2).find(|n| self.keys.contains_key(&chain.scheduled_witness(*n)))
    }

    /// Participation of the last 128 slots in basis points.
    pub fn participation(chain: &Chain) -> u32 {
        chain.state.dgp().recent_slots_filled.count_ones() * 10_000 / 128
    }

    /// Decide whether the slot at `now_ms` is ours (see the module doc for the rules). Marks
    /// production enabled once synced.
    pub fn decide(&mut self, chain: &Chain, now_ms: u64) -> SlotDecision {
        let now = TimePointSec(u32::try_from(now_ms.saturating_add(500) / 1000).unwrap_or(u32::MAX));
        let next_slot = chain.slot_time(1);
        if !self.production_enabled {
            if self.enable_stale_production || next_slot >= now {
                self.production_enabled = true;
            } else {
                return SlotDecision::NotSynced { next_slot, now };
            }
        }
        let slot = chain.slot_at_time(now);
        if slot == 0 {
            return SlotDecision::NotTimeYet { next_slot, now };
        }
        let scheduled = chain.scheduled_witness(slot);
        let Some(key) = self.keys.get(&scheduled) else {
            return SlotDecision::NotMyTurn { scheduled };
        };
        let signing_key = chain.state.witnesses.get(scheduled.0).map(|w| w.signing_key);
        if signing_key != Some(key.public_key()) {
            return SlotDecision::NoPrivateKey { witness: scheduled };
        }
        let participation = Self::participation(chain);
        if participation < self.required_participation {
            return SlotDecision::LowParticipation { participation, required: self.required_participation };
        }
        let time = chain.slot_time(slot);
        let slot_ms = u64::from(time.0) * 1000;
        if slot_ms.abs_diff(now_ms) > MAX_LAG_MS {
            return SlotDecision::Lag { slot_ms, now_ms };
        }
        SlotDecision::Produce { slot, time, witness: scheduled }
    }

    /// If the slot at `now_ms` is ours, produce, apply and sign its block from `pending`.
    pub fn maybe_produce(
        &mut self,
        chain: &mut Chain,
        now_ms: u64,
        pending: &[SignedTransaction],
    ) -> Result<Production, BlockError> {
        match self.decide(chain, now_ms) {
            SlotDecision::Produce { time, witness, .. } => {
                let key = self.keys[&witness];
                Ok(Production::Produced(chain.produce_block(time, pending, Some(&key))?))
            }
            other => Ok(Production::Skipped(other)),
        }
    }
}
