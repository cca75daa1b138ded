//! Chain maintenance (PROTOCOL.md §10.4), run by the first block at or after
//! `next_maintenance_time`.
//!
//! What runs now, in the order §10.4 gives: the per-account fee distribution (§6.3), undoing
//! the account-creation fee scaling (§6.5), the next maintenance time and the per-interval
//! counters. Vote tallies and the budget join this function with the governance issue.
//!
//! Must never scan every account: the fee distribution walks only the statistics in the
//! `PendingFeeAccounts` index (accounts that paid fees this interval), in name order as
//! bitshares-core's `by_maintenance_seq` does, so its cost follows the fee payers, not the
//! number of accounts.

use crate::chain::MAINTENANCE_FLAG;
use crate::state::State;
use ledger::time::TimePointSec;

pub fn perform(state: &mut State) {
    distribute_fees(state);
    undo_account_fee_scaling(state);
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
    crate::bitasset::feeds::at_maintenance(state, TimePointSec(head));
    crate::bitasset::revival::at_maintenance(state);
}

/// `process_fees` for every account with pending fees (db_maint.cpp:112-113).
pub fn distribute_fees(state: &mut State) {
    // Collected first: distributing empties each entry from the index as it goes.
    let payers: Vec<u64> = state.statistics.index().0.iter().map(|(_, stats)| *stats).collect();
    for stats in payers {
        let owner = state.statistics.get(stats).expect("indexed statistics exist").owner;
        crate::evaluators::fees::process_fees(state, owner);
    }
}

/// Shift `basic_fee` back by the scaling steps taken this interval (db_maint.cpp:1483-1488).
fn undo_account_fee_scaling(state: &mut State) {
    let params = &state.gpo().parameters;
    if params.accounts_per_fee_scale == 0 {
        return;
    }
    let steps = state.dgp().accounts_registered_this_interval / u32::from(params.accounts_per_fee_scale);
    let shift = u32::from(params.account_fee_scale_bitshifts).saturating_mul(steps);
    crate::evaluators::fees::shift_account_create_basic_fee(state, shift, false);
}
