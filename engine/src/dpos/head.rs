//! The bookkeeping of a new head block (db_update.cpp `update_global_dynamic_data`,
//! `update_signing_witness`): witnesses of skipped slots missed their blocks, the participation
//! counters move, and the producing witness's last slot and confirmed block are recorded.

use super::slots::scheduled_witness;
use super::MAINTENANCE_FLAG;
use crate::state::State;
use ledger::block::{BlockHeader, BlockId};

const RECENTLY_MISSED_INCREMENT: u32 = 4;
const RECENTLY_MISSED_DECREMENT: u32 = 3;

/// Record block `num` (id `id`, header `h`) produced in `slot` after the previous head.
pub fn record(state: &mut State, h: &BlockHeader, id: BlockId, slot: u32, num: u32) {
    let missed = slot - 1;
    // Witnesses scheduled in the skipped slots missed their blocks.
    let active_count = state.gpo().active_witnesses.len() as u32;
    if missed < active_count {
        for i in 0..missed {
            let w = scheduled_witness(state, i + 1);
            if w != h.witness {
                state.witnesses.modify(w.0, |w| w.total_missed = w.total_missed.saturating_add(1));
            }
        }
    }
    state.dynamic_global.modify(0, |d| {
        if num == 1 {
            d.recently_missed_count = 0;
        } else if missed > 0 {
            // Saturating, where core's uint32 wraps (db_update.cpp:55-56): a chain that missed
            // a billion slots must not read as one that missed a few.
            let added = RECENTLY_MISSED_INCREMENT.saturating_mul(missed);
            d.recently_missed_count = d.recently_missed_count.saturating_add(added);
        } else if d.recently_missed_count > RECENTLY_MISSED_INCREMENT {
            d.recently_missed_count -= RECENTLY_MISSED_DECREMENT;
        } else if d.recently_missed_count > 0 {
            d.recently_missed_count -= 1;
        }
        d.dynamic_flags &= !MAINTENANCE_FLAG;
        d.head_block_number = num;
        d.head_block_id = id;
        d.time = h.timestamp;
        d.current_witness = h.witness;
        d.recent_slots_filled = ((d.recent_slots_filled << 1) + 1).checked_shl(missed).unwrap_or(0);
        d.current_aslot += u64::from(missed) + 1;
    });
    let aslot = state.dgp().current_aslot;
    state.witnesses.modify(h.witness.0, |w| {
        w.last_aslot = aslot;
        w.last_confirmed_block_num = num;
    });
}
