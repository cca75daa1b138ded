//! Chain maintenance (PROTOCOL.md §10.4), run by the first block at or after
//! `next_maintenance_time`.
//!
//! What runs now: the next maintenance time and the per-interval counters. Vote tallies, fee
//! distribution and the budget join this function with the governance and fees issues, in the
//! order §10.4 gives.

use crate::chain::MAINTENANCE_FLAG;
use crate::state::State;
use ledger::time::TimePointSec;

pub fn perform(state: &mut State) {
    let interval = state.gpo().parameters.maintenance_interval;
    let dgp = state.dgp();
    let head = dgp.time.0;
    let next = if dgp.head_block_number == 1 || dgp.next_maintenance_time.0 == 0 {
        // Block 1: the next multiple of the interval after its timestamp.
        (head / interval + 1) * interval
    } else {
        // The smallest next + k × interval after head time.
        let mut n = dgp.next_maintenance_time.0;
        if n <= head {
            let k = (head - n) / interval + 1;
            n += k * interval;
        }
        n
    };
    state.dynamic_global.modify(0, |d| {
        d.next_maintenance_time = TimePointSec(next);
        d.accounts_registered_this_interval = 0;
        d.last_vote_tally_time = TimePointSec(head);
        d.dynamic_flags |= MAINTENANCE_FLAG;
    });
}
