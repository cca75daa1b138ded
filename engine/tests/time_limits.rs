//! Time and counters at the end of their range: a block whose maintenance would set the next
//! maintenance time past u32 seconds (2106-02-07T06:28:15) is refused and changes nothing, slots
//! past the end of time do not wrap, and the missed-slot counters saturate instead of wrapping.
//! Run in debug too (`cargo test -p engine --test time_limits`): there every overflow panics.

use engine::chain::BlockError;
use engine::Chain;
use ledger::genesis::{chain_id_of_text, GenesisState, DEV_GENESIS_JSON};
use ledger::time::TimePointSec;
use ledger::transaction::ChainId;
use proptest::prelude::*;

fn dev_chain() -> Chain {
    chain_from(GenesisState::dev())
}

fn chain_from(genesis: GenesisState) -> Chain {
    let chain_id = ChainId(chain_id_of_text(DEV_GENESIS_JSON));
    let mut chain = Chain::new(engine::genesis::build(&genesis, chain_id).expect("dev genesis builds"));
    chain.skip.block_signature = true;
    chain
}

const DAY: u32 = 86_400;
/// 2106-02-07T00:00:00: the last maintenance time (a multiple of the dev chain's one-day
/// interval) that fits in u32 seconds.
const LAST_MAINTENANCE: u32 = u32::MAX / DAY * DAY;

/// The first slot time at or after `t`.
fn slot_at_or_after(chain: &Chain, t: u32) -> TimePointSec {
    let first = chain.slot_time(1).0;
    let interval = u32::from(chain.state.gpo().parameters.block_interval);
    TimePointSec(first + (t.saturating_sub(first)).div_ceil(interval) * interval)
}

/// Try every next slot until one is refused; returns the blocks made and the refusal.
fn produce_until_refused(chain: &mut Chain, max_blocks: u32) -> (u32, Option<BlockError>) {
    for made in 0..max_blocks {
        let t = chain.slot_time(1);
        let (head, hash, time) = (chain.head_num(), chain.state.state_hash, chain.head_time());
        match chain.produce_block(t, &[], None) {
            Ok(_) => {
                let dgp = chain.state.dgp();
                assert!(dgp.time > time, "time moves forward");
                assert!(dgp.next_maintenance_time > dgp.time, "the next maintenance is after the head");
            }
            Err(e) => {
                assert_eq!((chain.head_num(), chain.state.state_hash, chain.head_time()), (head, hash, time));
                return (made, Some(e));
            }
        }
    }
    (max_blocks, None)
}

#[test]
fn the_chain_stops_at_the_last_maintenance_that_fits_in_u32_seconds() {
    let mut chain = dev_chain();
    // Block 1 just before the last representable maintenance time: its maintenance sets the next
    // one to 2106-02-07T00:00:00, which fits.
    let t = slot_at_or_after(&chain, LAST_MAINTENANCE - 60);
    chain.produce_block(t, &[], None).expect("block 1 before the last maintenance time");
    assert_eq!(chain.state.dgp().next_maintenance_time, TimePointSec(LAST_MAINTENANCE));
    // Blocks up to it are fine; the block at (or after) it would need 2106-02-08, so it is refused.
    let (made, refusal) = produce_until_refused(&mut chain, 100);
    assert!(made > 0);
    match refusal {
        Some(BlockError::TimeOutOfRange { timestamp }) => assert!(timestamp.0 >= LAST_MAINTENANCE),
        other => panic!("expected TimeOutOfRange, got {other:?}"),
    }
    // A block at the very last second is refused the same way; nothing wraps to 1970.
    let err = chain.produce_block(TimePointSec::MAX, &[], None).unwrap_err();
    assert!(matches!(err, BlockError::TimeOutOfRange { .. }), "{err}");
    assert!(err.to_string().contains("2106-02-07T06:28:15"), "{err}");
    assert!(chain.state.dgp().next_maintenance_time.0 >= chain.head_time().0);
}

#[test]
fn slot_times_past_the_end_of_time_saturate_instead_of_wrapping() {
    let mut chain = dev_chain();
    let t = slot_at_or_after(&chain, LAST_MAINTENANCE - 60);
    chain.produce_block(t, &[], None).unwrap();
    assert_eq!(chain.slot_time(u32::MAX), TimePointSec::MAX);
    assert!(chain.slot_time(2) > chain.slot_time(1));
    // A time between the last representable slots is still in a slot and is not wrapped.
    assert!(chain.slot_at_time(TimePointSec::MAX) > 0);
}

#[test]
fn a_billion_missed_slots_saturate_recently_missed_count() {
    // The dev chain, started at 1970-01-01T00:00:05 instead of 2026,
    let mut genesis = GenesisState::dev();
    genesis.initial_timestamp = TimePointSec(5);
    genesis.initial_parameters.block_interval = 1;
    let mut chain = chain_from(genesis);
    let first = chain.slot_time(1);
    chain.produce_block(first, &[], None).unwrap();
    // with one-second blocks. Block 2 ~136 years later: ~4.29 billion missed slots, times the
    // increment of 4, is more than u32 holds (core's uint32 multiply and add wrap it).
    let t = slot_at_or_after(&chain, LAST_MAINTENANCE - 3_600);
    chain.produce_block(t, &[], None).unwrap();
    assert_eq!(chain.state.dgp().recently_missed_count, u32::MAX);
    // The next block on time decrements from the ceiling, without wrapping.
    let t = chain.slot_time(1);
    chain.produce_block(t, &[], None).unwrap();
    assert!(chain.state.dgp().recently_missed_count < u32::MAX);
    assert!(chain.state.dgp().recently_missed_count > u32::MAX / 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// From any start in the last ten days of u32 time, producing block after block (with gaps)
    /// never panics, never moves time backwards, keeps the next maintenance after the head, and
    /// ends in a `TimeOutOfRange` refusal that changes nothing.
    #[test]
    fn blocks_near_the_end_of_u32_time_are_applied_or_refused_never_wrapped(
        start in u32::MAX - 10 * DAY..u32::MAX,
        gaps in proptest::collection::vec(1u32..5_000, 1..40),
    ) {
        let mut chain = dev_chain();
        let mut refused = false;
        let t = slot_at_or_after(&chain, start);
        match chain.produce_block(t, &[], None) {
            Ok(_) => {}
            Err(BlockError::TimeOutOfRange { .. }) => refused = true,
            Err(e) => prop_assert!(false, "unexpected refusal {}", e),
        }
        for gap in gaps {
            if refused {
                break;
            }
            let (hash, head) = (chain.state.state_hash, chain.head_num());
            let t = chain.slot_time(gap);
            match chain.produce_block(t, &[], None) {
                Ok(_) => {
                    let dgp = chain.state.dgp();
                    prop_assert!(dgp.next_maintenance_time > dgp.time);
                    prop_assert!(dgp.time >= t);
                }
                Err(BlockError::TimeOutOfRange { timestamp }) => {
                    prop_assert_eq!(timestamp, t);
                    prop_assert_eq!((chain.state.state_hash, chain.head_num()), (hash, head));
                    refused = true;
                }
                Err(e) => prop_assert!(false, "unexpected refusal {}", e),
            }
        }
        // Whatever happened, the chain is still total: one more attempt does not panic either.
        let t = chain.slot_time(1);
        let _ = chain.produce_block(t, &[], None);
    }
}
