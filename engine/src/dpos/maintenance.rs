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

use super::MAINTENANCE_FLAG;
use crate::state::State;
use ledger::time::TimePointSec;

pub fn perform(state: &mut State) {
    distribute_fees(state);
    undo_account_fee_scaling(state);
    let interval = state.gpo().parameters.maintenance_interval;
    let dgp = state.dgp();
    let head = dgp.time.0;
    let next = next_maintenance_time(dgp.head_block_number, dgp.next_maintenance_time.0, head, interval).expect(
        "a block whose next maintenance time does not fit is refused before it applies (Chain::check_block_time)",
    );
    state.dynamic_global.modify(0, |d| {
        d.next_maintenance_time = TimePointSec(next);
        d.accounts_registered_this_interval = 0;
        d.last_vote_tally_time = TimePointSec(head);
        d.dynamic_flags |= MAINTENANCE_FLAG;
    });
    crate::bitasset::feeds::at_maintenance(state, TimePointSec(head));
    crate::bitasset::revival::at_maintenance(state);
}

/// The next maintenance time set by maintenance block `block_num` at `head` seconds
/// (db_maint.cpp:1496-1523): for block 1 (or a chain that never had one) the next multiple of the
/// interval after `head`, otherwise the smallest `scheduled + k × interval` after `head`.
///
/// `None` when that time does not fit in `time_point_sec`'s u32 seconds (after
/// 2106-02-07T06:28:15) or the interval is 0. Core computes it in uint32 and wraps to 1970, after
/// which every block would be a maintenance block; it never meets that only because it refuses
/// blocks from the wall-clock future (application.cpp:682). The engine reads no clock, so the
/// chain refuses such a block instead ([`crate::chain::BlockError::TimeOutOfRange`]).
pub fn next_maintenance_time(block_num: u32, scheduled: u32, head: u32, interval: u32) -> Option<u32> {
    let (head, interval) = (u64::from(head), u64::from(interval));
    let next = if block_num == 1 || scheduled == 0 {
        (head.checked_div(interval)? + 1) * interval
    } else {
        let scheduled = u64::from(scheduled);
        if scheduled <= head {
            scheduled + ((head - scheduled).checked_div(interval)? + 1) * interval
        } else {
            scheduled
        }
    };
    u32::try_from(next).ok()
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

#[cfg(test)]
mod tests {
    use super::next_maintenance_time;
    use proptest::prelude::*;

    const DAY: u32 = 86_400;

    #[test]
    fn the_last_maintenance_that_fits_and_the_first_that_does_not() {
        // 2106-02-07T00:00:00 is the last multiple of a day below u32::MAX (2106-02-07T06:28:15).
        let last_day = u32::MAX / DAY * DAY;
        assert_eq!(next_maintenance_time(1, 0, last_day - 1, DAY), Some(last_day));
        assert_eq!(next_maintenance_time(1, 0, last_day, DAY), None);
        assert_eq!(next_maintenance_time(7, last_day, last_day, DAY), None);
        assert_eq!(next_maintenance_time(7, last_day, u32::MAX, DAY), None);
        assert_eq!(next_maintenance_time(7, DAY, u32::MAX - 5, 0), None);
    }

    proptest! {
        /// Total over every input: never panics (the debug build checks every multiply), and a
        /// result is strictly after the head, at most one interval later, on the schedule's grid.
        #[test]
        fn next_maintenance_is_total_and_after_the_head(
            block_num in prop_oneof![Just(1u32), 2u32..=u32::MAX],
            scheduled in prop_oneof![Just(0u32), u32::MAX - 10 * DAY..=u32::MAX, any::<u32>()],
            head in prop_oneof![u32::MAX - 10 * DAY..=u32::MAX, any::<u32>()],
            interval in prop_oneof![Just(0u32), 1u32..=DAY, any::<u32>()],
        ) {
            match next_maintenance_time(block_num, scheduled, head, interval) {
                Some(next) => {
                    prop_assert!(next > head);
                    if block_num == 1 || scheduled == 0 {
                        prop_assert_eq!(next % interval, 0);
                        prop_assert!(u64::from(next) - u64::from(head) <= u64::from(interval));
                    } else if scheduled <= head {
                        prop_assert_eq!((next - scheduled) % interval, 0);
                        prop_assert!(u64::from(next) - u64::from(head) <= u64::from(interval));
                    }
                }
                None => {
                    // Only when the exact answer is past u32 seconds (or there is no interval).
                    let h = u64::from(head);
                    let i = u64::from(interval);
                    let exact = if i == 0 { None } else if block_num == 1 || scheduled == 0 {
                        Some((h / i + 1) * i)
                    } else if u64::from(scheduled) <= h {
                        Some(u64::from(scheduled) + ((h - u64::from(scheduled)) / i + 1) * i)
                    } else {
                        Some(u64::from(scheduled))
                    };
                    prop_assert!(exact.is_none_or(|e| e > u64::from(u32::MAX)));
                }
            }
        }
    }
}
