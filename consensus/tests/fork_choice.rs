//! §2.8 fork choice with hand-built competing chains on the dev genesis (11 witnesses, each
//! signing with its dev active key), §2.6 signature/witness checks and §2.7 LIB.

use consensus::dev::dev_witness_keys;
use consensus::{ConsensusError, ForkChoice, ForkDbError, PushOutcome};
use engine::{BlockError, Chain};
use ledger::block::SignedBlock;
use ledger::crypto::PrivateKey;
use ledger::genesis::{chain_id_of_text, GenesisState, DEV_GENESIS_JSON};
use ledger::ids::WitnessId;
use std::collections::BTreeMap;

fn dev_chain() -> Chain {
    let chain_id = ledger::transaction::ChainId(chain_id_of_text(DEV_GENESIS_JSON));
    Chain::new(engine::genesis::build(&GenesisState::dev(), chain_id).expect("dev genesis builds"))
}

fn keys(chain: &Chain) -> BTreeMap<WitnessId, PrivateKey> {
    dev_witness_keys(chain).into_iter().collect()
}

/// Produce a block `skip` slots after the next one, signed by the scheduled witness.
fn produce_after(chain: &mut Chain, skip: u32) -> SignedBlock {
    let slot = 1 + skip;
    let t = chain.slot_time(slot);
    let key = keys(chain)[&chain.scheduled_witness(slot)];
    SignedBlock::clone(&chain.produce_block(t, &[], Some(&key)).expect("block produced").block)
}

fn produce_n(chain: &mut Chain, n: usize) -> Vec<SignedBlock> {
    (0..n).map(|_| produce_after(chain, 0)).collect()
}

/// Chain A: 3 blocks in slots 1..3. Chain B: skips slot 1, then `b_len` blocks in a row.
fn competing(b_len: usize) -> (Chain, Vec<SignedBlock>, Chain, Vec<SignedBlock>) {
    let mut a = dev_chain();
    let a_blocks = produce_n(&mut a, 3);
    let mut b = dev_chain();
    let mut b_blocks = vec![produce_after(&mut b, 1)];
    b_blocks.extend(produce_n(&mut b, b_len - 1));
    assert_ne!(a_blocks[0].id(), b_blocks[0].id());
    (a, a_blocks, b, b_blocks)
}

fn node_with(blocks: &[SignedBlock]) -> ForkChoice {
    let mut node = ForkChoice::new(dev_chain());
    for b in blocks {
        assert!(matches!(node.push_block(b.clone()).unwrap(), PushOutcome::Extended(_)));
    }
    node
}

#[test]
fn dev_witnesses_all_sign_with_their_password_keys() {
    let chain = dev_chain();
    assert_eq!(dev_witness_keys(&chain).len(), 11);
}

#[test]
fn switch_to_a_longer_fork_matches_a_node_that_applied_it_directly() {
    let (a, a_blocks, b, b_blocks) = competing(4);
    let mut node = node_with(&a_blocks);
    assert_eq!(node.chain().state.state_hash, a.state.state_hash);
    for blk in &b_blocks[..3] {
        assert!(matches!(node.push_block(blk.clone()).unwrap(), PushOutcome::SideBranch));
    }
    assert_eq!(node.chain().head_id(), a_blocks[2].id());
    assert_eq!(node.push_block(b_blocks[3].clone()).unwrap().counts(), (3, 4));
    assert_eq!((node.chain().head_num(), node.chain().head_id()), (4, b_blocks[3].id()));
    assert_eq!(node.fork_db().head().id, b_blocks[3].id());
    // Equal to the producer of B and to a fresh node fed B only.
    assert_eq!(node.chain().state.state_hash, b.state.state_hash);
    let fresh = node_with(&b_blocks);
    assert_eq!(node.chain().state.state_hash, fresh.chain().state.state_hash);
    // And switching back needs a strictly longer A: one more A block ties (4 = 4) and stays aside.
    let mut a = a;
    let a4 = produce_after(&mut a, 0);
    assert!(matches!(node.push_block(a4).unwrap(), PushOutcome::SideBranch));
    let a5 = produce_after(&mut a, 0);
    assert_eq!(node.push_block(a5).unwrap().counts(), (4, 5));
    assert_eq!(node.chain().state.state_hash, a.state.state_hash);
}

#[test]
fn a_tie_keeps_the_first_seen_chain() {
    let (a, a_blocks, _b, b_blocks) = competing(3);
    let mut node = node_with(&a_blocks);
    for blk in &b_blocks {
        assert!(matches!(node.push_block(blk.clone()).unwrap(), PushOutcome::SideBranch));
    }
    assert_eq!(node.chain().head_id(), a_blocks[2].id());
    assert_eq!(node.chain().state.state_hash, a.state.state_hash);
    assert_eq!(node.fork_db().len(), 1 + 3 + 3);
}

#[test]
fn a_fork_with_an_invalid_block_is_rejected_and_the_old_chain_restored_exactly() {
    let (a, a_blocks, mut b, mut b_blocks) = competing(2);
    // Block 3 of B is signed with the wrong witness's key; block 4 builds on it.
    let slot_witness = b.scheduled_witness(1);
    let wrong = keys(&b).into_iter().find(|(w, _)| *w != slot_witness).unwrap().1;
    let t = b.slot_time(1);
    let bad = b.produce_block(t, &[], Some(&wrong)).unwrap().block;
    b_blocks.push(SignedBlock::clone(&bad));
    b_blocks.push(produce_after(&mut b, 0));

    let mut node = node_with(&a_blocks);
    let before = (node.chain().head_id(), node.chain().state.state_hash);
    for blk in &b_blocks[..3] {
        assert!(matches!(node.push_block(blk.clone()).unwrap(), PushOutcome::SideBranch));
    }
    let err = node.push_block(b_blocks[3].clone()).unwrap_err();
    match err {
        ConsensusError::ForkRejected {
            head_num: 4,
            num: 3,
            id,
            source: BlockError::BadSignature { witness },
            restored: 3,
        } => {
            assert_eq!((id, witness), (bad.id(), slot_witness));
        }
        other => panic!("unexpected {other}"),
    }
    assert_eq!((node.chain().head_id(), node.chain().state.state_hash), before);
    assert_eq!(node.chain().state.state_hash, a.state.state_hash);
    assert_eq!(node.fork_db().head().id, a_blocks[2].id());
    // The bad block and its child are gone; the valid part of B stays as a side branch.
    assert!(!node.fork_db().contains(&bad.id()) && !node.fork_db().contains(&b_blocks[3].id()));
    assert!(node.fork_db().contains(&b_blocks[1].id()));
    assert_eq!(node.chain().reversible_blocks().len(), 3);
}

#[test]
fn a_block_signed_with_another_witness_key_is_rejected() {
    let mut a = dev_chain();
    let scheduled = a.scheduled_witness(1);
    let wrong = keys(&a).into_iter().find(|(w, _)| *w != scheduled).unwrap().1;
    let t = a.slot_time(1);
    let bad = a.produce_block(t, &[], Some(&wrong)).unwrap().block;
    let mut node = ForkChoice::new(dev_chain());
    let genesis_hash = node.chain().state.state_hash;
    match node.push_block(SignedBlock::clone(&bad)).unwrap_err() {
        ConsensusError::Invalid { num: 1, id, source: BlockError::BadSignature { witness } } => {
            assert_eq!((id, witness), (bad.id(), scheduled));
        }
        other => panic!("unexpected {other}"),
    }
    assert_eq!((node.chain().head_num(), node.chain().state.state_hash), (0, genesis_hash));
    assert_eq!(node.fork_db().len(), 1);
    assert_eq!(node.fork_db().head().num, 0);
}

#[test]
fn a_block_naming_an_unscheduled_witness_is_rejected() {
    let mut a = dev_chain();
    let mut block = produce_after(&mut a, 0);
    let scheduled = block.signed_header.header.witness;
    let (other, key) = keys(&a).into_iter().find(|(w, _)| *w != scheduled).unwrap();
    block.signed_header.header.witness = other;
    block.signed_header.witness_signature = ledger::crypto::sign_compact(&key, &block.signed_header.header.digest());
    let mut node = ForkChoice::new(dev_chain());
    match node.push_block(block).unwrap_err() {
        ConsensusError::Invalid { source: BlockError::WrongWitness { got, scheduled: s, slot: 1 }, .. } => {
            assert_eq!((got, s), (other, scheduled));
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn unlinkable_and_duplicate_blocks_are_refused() {
    let mut a = dev_chain();
    let blocks = produce_n(&mut a, 2);
    let mut node = ForkChoice::new(dev_chain());
    let err = node.push_block(blocks[1].clone()).unwrap_err();
    assert!(matches!(err, ConsensusError::ForkDb(ForkDbError::Unlinkable { num: 2, .. })), "{err}");
    node.push_block(blocks[0].clone()).unwrap();
    let err = node.push_block(blocks[0].clone()).unwrap_err();
    assert!(matches!(err, ConsensusError::ForkDb(ForkDbError::Duplicate { num: 1, .. })), "{err}");
}

/// §2.7 computed independently: the value at offset floor(0.3 n) of the witnesses' last
/// confirmed block numbers in ascending order.
fn expected_lib(last: &BTreeMap<WitnessId, u32>, n: usize) -> u32 {
    let mut v: Vec<u32> = last.values().copied().collect();
    v.resize(n, 0);
    v.sort_unstable();
    v[3000 * n / 10000]
}

#[test]
fn lib_trails_the_head_as_seventy_percent_of_eleven_witnesses_confirm() {
    let mut producer_chain = dev_chain();
    let mut node = ForkChoice::new(dev_chain());
    let mut last = BTreeMap::new();
    let mut libs = Vec::new();
    for n in 1..=40u32 {
        let blk = produce_after(&mut producer_chain, 0);
        last.insert(blk.signed_header.header.witness, n);
        node.push_block(blk).unwrap();
        let lib = node.chain().lib_num();
        assert_eq!(lib, expected_lib(&last, 11), "block {n}");
        assert!(lib < n);
        // Fork DB and undo frames are bounded by head − LIB.
        assert_eq!(node.fork_db().len() as u32, n - lib + 1);
        assert_eq!(node.chain().reversible_blocks().len() as u32, n - lib);
        libs.push(lib);
    }
    // No block is irreversible before 8 witnesses (11 − floor(3.3)) confirmed one.
    assert_eq!(&libs[..8], &[0, 0, 0, 0, 0, 0, 0, 1]);
    // Not simply head − 7: the reshuffle at each round boundary can let a witness produce twice
    // within 11 blocks, so fewer distinct witnesses confirm the recent blocks.
    assert_eq!(libs[39], 30);
}
