//! The witness shuffle (db_witness_schedule.cpp `update_witness_schedule`, §10.5): every full
//! round the active witnesses are reshuffled with a xorshift seeded by the head time.

use crate::state::State;

const SHUFFLE_MULTIPLIER: u64 = 2_685_821_657_736_338_717;

/// Reshuffle the active witnesses when the head block completes a round.
pub fn reshuffle(state: &mut State) {
    let active = state.gpo().active_witnesses.clone();
    let dgp = state.dgp();
    let (num, now) = (dgp.head_block_number, dgp.time);
    if active.is_empty() || !num.is_multiple_of(active.len() as u32) {
        return;
    }
    let mut list = active;
    let now_hi = u64::from(now.0) << 32;
    let n = list.len();
    for i in 0..n {
        let mut k = now_hi.wrapping_add((i as u64).wrapping_mul(SHUFFLE_MULTIPLIER));
        k ^= k >> 12;
        k ^= k << 25;
        k ^= k >> 27;
        k = k.wrapping_mul(SHUFFLE_MULTIPLIER);
        let j = i + (k % (n - i) as u64) as usize;
        list.swap(i, j);
    }
    state.witness_schedule.modify(0, |s| s.current_shuffled_witnesses = list);
}
