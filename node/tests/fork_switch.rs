//! A fork switch inside the running node: blocks from elsewhere go through the verify stage and
//! the writer's fork choice; when a longer branch arrives the node pops its blocks, the journal
//! is cut back to the fork point before the new branch is appended, the read replica follows the
//! pops, and `replay` of the journal reproduces the node's state hash.

use consensus::dev::dev_witness_keys;
use engine::Chain;
use journal::{Journal, OpenOptions};
use ledger::block::SignedBlock;
use ledger::genesis::GenesisState;
use ledger::Pack;
use node::pipeline::{BlockAccepted, ChainEvent, Pacing, Pipeline, PipelineConfig};
use std::time::Duration;

fn dev() -> (GenesisState, ledger::transaction::ChainId) {
    let text = ledger::genesis::DEV_GENESIS_JSON;
    let genesis: GenesisState = serde_json::from_str(text).unwrap();
    let chain_id = engine::genesis::chain_id_of(&genesis, text);
    (genesis, chain_id)
}

fn chain() -> Chain {
    let (genesis, chain_id) = dev();
    Chain::new(engine::genesis::build(&genesis, chain_id).unwrap())
}

/// `n` signed blocks on `chain`, each `gap` slots after the previous head.
fn branch(chain: &mut Chain, n: usize, gap: u32) -> Vec<SignedBlock> {
    let keys = dev_witness_keys(chain);
    (0..n)
        .map(|_| {
            let witness = chain.scheduled_witness(gap);
            let key = keys.iter().find(|(w, _)| *w == witness).map(|(_, k)| *k).unwrap();
            SignedBlock::clone(&chain.produce_block(chain.slot_time(gap), &[], Some(&key)).unwrap().block)
        })
        .collect()
}

#[test]
fn a_longer_branch_switches_the_node_truncates_the_journal_and_replay_agrees() {
    let (genesis, chain_id) = dev();
    let a = branch(&mut chain(), 3, 1);
    let mut peer = chain();
    let b = branch(&mut peer, 4, 2);
    assert_ne!(a[0].id(), b[0].id(), "the branches differ from block 1");

    let dir = tempfile::tempdir().unwrap();
    let (journal, _) = Journal::open(dir.path(), chain_id.0, OpenOptions::default()).unwrap();
    // A validating node: no keys of its own, so every block comes from outside.
    let cfg =
        PipelineConfig { verify_threads: 2, pacing: Pacing::Interval(Duration::from_millis(5)), ..Default::default() };
    let pipeline = Pipeline::start(chain(), journal, cfg).unwrap();
    let events = pipeline.subscribe(64);
    let s = pipeline.submitter();
    for blk in &a {
        let fate = s.submit_block(blk.to_bytes()).unwrap().wait();
        assert_eq!(fate, Ok(BlockAccepted::Applied { head: blk.block_num() }));
    }
    for blk in &b[..3] {
        assert_eq!(s.submit_block(blk.to_bytes()).unwrap().wait(), Ok(BlockAccepted::SideBranch));
    }
    let fate = s.submit_block(b[3].to_bytes()).unwrap().wait();
    assert_eq!(fate, Ok(BlockAccepted::Switched { popped: 3, applied: 4 }));
    // A block that does not decode is refused with the reason, and changes nothing.
    let junk = s.submit_block(vec![1, 2, 3]).unwrap().wait().unwrap_err();
    assert!(junk.starts_with("block does not decode"), "{junk}");
    let stopped = pipeline.shutdown().unwrap();
    assert_eq!(stopped.journal_error, None);
    assert_eq!(stopped.writer_error, None);

    // The node is on branch b; the journal holds exactly branch b.
    let chain = stopped.chain;
    assert_eq!((chain.head_num(), chain.head_id()), (4, b[3].id()));
    assert_eq!(chain.state.state_hash, peer.state.state_hash);
    assert_eq!(stopped.journal.head(), 4);
    for blk in &b {
        let rec = stopped.journal.read(blk.block_num()).unwrap();
        assert_eq!(rec.block_id, blk.id().0, "journal block {} is branch b's", blk.block_num());
    }
    drop(stopped.journal);

    // Events: three applied, three reverted (newest first), four applied.
    let order: Vec<(char, u32)> = events
        .try_iter()
        .map(|e| match e {
            ChainEvent::Applied(o) => ('+', o.block_num),
            ChainEvent::Reverted(r) => ('-', r.block.block_num()),
        })
        .collect();
    let expected = [('+', 1), ('+', 2), ('+', 3), ('-', 3), ('-', 2), ('-', 1), ('+', 1), ('+', 2), ('+', 3), ('+', 4)];
    assert_eq!(order, expected);

    // The read replica followed the pops.
    let (reader, followed) = stopped.replica.unwrap();
    followed.unwrap();
    assert_eq!(reader.read().head_id, b[3].id());
    assert_eq!((reader.read().applied, reader.read().reverted), (7, 3));
    assert_eq!(engine::snapshot::content_digest(&reader.read().state), engine::snapshot::content_digest(&chain.state));

    // Replay of the truncated journal from genesis reproduces the node's state hash.
    let restored =
        node::restore(dir.path(), &genesis, chain_id, OpenOptions::default(), false, &mut |_, _| {}).unwrap();
    assert_eq!(restored.chain.head_num(), 4);
    assert_eq!(restored.chain.state.state_hash, chain.state.state_hash);
}
