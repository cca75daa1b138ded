//! Slots (db_witness_schedule.cpp:44-72 `get_slot_time`, `get_slot_at_time`,
//! `get_scheduled_witness`): slot `n` is the `n`-th block interval after the head, with the
//! maintenance skip slots after a maintenance block.

use super::MAINTENANCE_FLAG;
use crate::state::State;
use ledger::ids::WitnessId;
use ledger::time::TimePointSec;

/// The block interval in seconds.
pub fn block_interval(state: &State) -> u32 {
    u32::from(state.gpo().parameters.block_interval)
}

/// The time of slot `n` after the head block (slot 0 is the head's own time).
pub fn slot_time(state: &State, n: u32) -> TimePointSec {
    if n == 0 {
        return TimePointSec(0);
    }
    let dgp = state.dgp();
    // In u64, saturating at the last representable second: core adds in uint32 and wraps
    // (db_witness_schedule.cpp:44-72). A slot past the end collapses onto TimePointSec::MAX,
    // where `check_block_time` refuses the block (maintenance is due by then).
    let interval = u64::from(block_interval(state));
    let saturate = |t: u64| TimePointSec(u32::try_from(t).unwrap_or(u32::MAX));
    if dgp.head_block_number == 0 {
        return saturate(u64::from(dgp.time.0) + u64::from(n) * interval);
    }
    let head_slot = u64::from(dgp.time.0) / interval * interval;
    let skip = if dgp.dynamic_flags & MAINTENANCE_FLAG != 0 {
        u64::from(state.gpo().parameters.maintenance_skip_slots)
    } else {
        0
    };
    saturate(head_slot + (u64::from(n) + skip) * interval)
}

/// The slot a timestamp falls in (0: not after the head).
pub fn slot_at_time(state: &State, t: TimePointSec) -> u32 {
    let first = slot_time(state, 1);
    if t < first {
        return 0;
    }
    (t.0 - first.0) / block_interval(state) + 1
}

/// The witness scheduled to produce in slot `n`.
pub fn scheduled_witness(state: &State, n: u32) -> WitnessId {
    let aslot = state.dgp().current_aslot + u64::from(n);
    let shuffled = &state.witness_schedule.get(0).expect("schedule exists").current_shuffled_witnesses;
    shuffled[(aslot % shuffled.len() as u64) as usize]
}
