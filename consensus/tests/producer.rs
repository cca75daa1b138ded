//! §2.10 block production: whose slot it is at a given time (500 ms tolerance), sync and
//! participation gates, and the produced block's acceptance by another node.

use consensus::dev::dev_witness_keys;
use consensus::{BlockProducer, ForkChoice, Production, PushOutcome, SlotDecision};
use engine::Chain;
use ledger::genesis::{chain_id_of_text, GenesisState, DEV_GENESIS_JSON};
use ledger::time::TimePointSec;

fn dev_chain() -> Chain {
    let chain_id = ledger::transaction::ChainId(chain_id_of_text(DEV_GENESIS_JSON));
    Chain::new(engine::genesis::build(&GenesisState::dev(), chain_id).expect("dev genesis builds"))
}

fn ms(t: TimePointSec) -> u64 {
    u64::from(t.0) * 1000
}

#[test]
fn slot_is_ours_within_500_ms_of_its_time() {
    let chain = dev_chain();
    let mut p = BlockProducer::new(dev_witness_keys(&chain));
    let t = chain.slot_time(1);
    let w = chain.scheduled_witness(1);
    let produce = SlotDecision::Produce { slot: 1, time: t, witness: w };
    assert_eq!(p.decide(&chain, ms(t)), produce);
    assert_eq!(p.decide(&chain, ms(t) + 500), produce);
    assert_eq!(p.decide(&chain, ms(t) - 400), produce);
    // 501 ms late: the slot is still slot 1 but too far away.
    assert_eq!(p.decide(&chain, ms(t) + 501), SlotDecision::Lag { slot_ms: ms(t), now_ms: ms(t) + 501 });
    // 600 ms early rounds to the second before the slot: not time yet.
    assert_eq!(p.decide(&chain, ms(t) - 600), SlotDecision::NotTimeYet { next_slot: t, now: TimePointSec(t.0 - 1) });
    // Exactly on the next slot (5 s later) it is slot 2's witness.
    let t2 = chain.slot_time(2);
    assert_eq!(
        p.decide(&chain, ms(t2)),
        SlotDecision::Produce { slot: 2, time: t2, witness: chain.scheduled_witness(2) }
    );
}

#[test]
fn only_the_witnesses_we_hold_keys_for_produce() {
    let chain = dev_chain();
    let all = dev_witness_keys(&chain);
    let mine = chain.scheduled_witness(2);
    let key = all.iter().find(|(w, _)| *w == mine).unwrap().1;
    let mut p = BlockProducer::new([(mine, key)]);
    let t1 = chain.slot_time(1);
    assert_eq!(p.decide(&chain, ms(t1)), SlotDecision::NotMyTurn { scheduled: chain.scheduled_witness(1) });
    let t2 = chain.slot_time(2);
    assert!(matches!(p.decide(&chain, ms(t2)), SlotDecision::Produce { slot: 2, .. }));
    // A key that is not the witness's signing key cannot produce.
    let other_key = all.iter().find(|(w, _)| *w != mine).unwrap().1;
    let mut wrong = BlockProducer::new([(mine, other_key)]);
    wrong.enable_stale_production = true;
    assert_eq!(wrong.decide(&chain, ms(t2)), SlotDecision::NoPrivateKey { witness: mine });
}

#[test]
fn a_node_behind_does_not_produce_until_synced_unless_stale_production_is_on() {
    let chain = dev_chain();
    let late = ms(chain.slot_time(100));
    let mut p = BlockProducer::new(dev_witness_keys(&chain));
    assert_eq!(
        p.decide(&chain, late),
        SlotDecision::NotSynced { next_slot: chain.slot_time(1), now: chain.slot_time(100) }
    );
    let mut stale = BlockProducer::new(dev_witness_keys(&chain));
    stale.enable_stale_production = true;
    assert!(matches!(stale.decide(&chain, late), SlotDecision::Produce { slot: 100, .. }));
    // Once synced (now at or before the next slot), production stays enabled.
    assert!(matches!(p.decide(&chain, ms(chain.slot_time(1))), SlotDecision::Produce { slot: 1, .. }));
    assert!(matches!(p.decide(&chain, late), SlotDecision::Produce { slot: 100, .. }));
}

#[test]
fn low_participation_stops_production() {
    let mut chain = dev_chain();
    let mut p = BlockProducer::new(dev_witness_keys(&chain));
    p.enable_stale_production = true;
    // One block after 99 missed slots: 128 − 99 = 29 of the last 128 slots filled = 2265 bp.
    let at = ms(chain.slot_time(100));
    match p.maybe_produce(&mut chain, at, &[]).unwrap() {
        Production::Produced(p) => assert_eq!(p.block.block_num(), 1),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(BlockProducer::participation(&chain), 2265);
    let t = ms(chain.slot_time(1));
    assert_eq!(p.decide(&chain, t), SlotDecision::LowParticipation { participation: 2265, required: 3300 });
    p.required_participation = 2000;
    assert!(matches!(p.decide(&chain, t), SlotDecision::Produce { slot: 1, .. }));
}

#[test]
fn produced_blocks_are_accepted_by_another_node_and_a_slot_is_used_once() {
    let mut me = ForkChoice::new(dev_chain());
    let mut p = BlockProducer::new(dev_witness_keys(me.chain()));
    let mut peer = ForkChoice::new(dev_chain());
    for _ in 0..12 {
        let now = ms(me.chain().slot_time(1)) + 120;
        let block = match me.produce(&mut p, now, &[]).unwrap() {
            Production::Produced(produced) => {
                assert!(produced.results.is_empty());
                produced.block
            }
            other => panic!("unexpected {other:?}"),
        };
        // The same instant again: the slot is taken (the head is now at it).
        assert!(matches!(me.produce(&mut p, now, &[]).unwrap(), Production::Skipped(SlotDecision::NotTimeYet { .. })));
        assert!(matches!(peer.push_block(block).unwrap(), PushOutcome::Extended(_)));
    }
    assert_eq!(me.chain().head_num(), 12);
    assert_eq!(me.fork_db().head().id, me.chain().head_id());
    assert_eq!(peer.chain().state.state_hash, me.chain().state.state_hash);
}
