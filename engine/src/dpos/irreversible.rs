//! The last irreversible block (db_update.cpp `update_last_irreversible_block`, §2.7): the
//! highest block that at least 70 % of the active witnesses have confirmed by building on it.

use crate::state::State;

const PERCENT_100: u32 = 10_000;
const IRREVERSIBLE_THRESHOLD: u32 = 7_000;

/// Move the LIB up to what the active witnesses' last confirmed blocks allow (never down).
pub fn update(state: &mut State) {
    let gpo = state.gpo();
    let mut confirmed: Vec<u32> = gpo
        .active_witnesses
        .iter()
        .filter_map(|w| state.witnesses.get(w.0))
        .map(|w| w.last_confirmed_block_num)
        .collect();
    if confirmed.is_empty() {
        return;
    }
    confirmed.sort_unstable();
    let offset = (PERCENT_100 - IRREVERSIBLE_THRESHOLD) as usize * confirmed.len() / PERCENT_100 as usize;
    let lib = confirmed[offset];
    if lib > state.dgp().last_irreversible_block_num {
        state.dynamic_global.modify(0, |d| d.last_irreversible_block_num = lib);
    }
}
