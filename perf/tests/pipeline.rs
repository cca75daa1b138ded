//! The pipeline end to end (node::pipeline): signed transactions from several submitter
//! threads through verify, the single writer, the journal and the events fan-out, on a chain set
//! up by `perf::workload` with every check on.

use engine::Rejection;
use journal::{Journal, OpenOptions};
use ledger::ids::CORE_ASSET;
use ledger::ops::Operation;
use ledger::{Pack, Unpack};
use node::pipeline::{Pipeline, PipelineConfig, Refused, SubmitError};
use perf::workload::{Kind, LoadChain, FUNDING};
use std::time::Duration;

const ACCOUNTS: usize = 6;

fn config(lc: &LoadChain) -> PipelineConfig {
    PipelineConfig {
        verify_threads: 2,
        pacing: node::pipeline::Pacing::Interval(Duration::from_millis(40)),
        witness_keys: lc.witness_keys.clone(),
        ..Default::default()
    }
}

fn start(lc: LoadChain, cfg: PipelineConfig, dir: &std::path::Path) -> Pipeline {
    let (journal, _) =
        Journal::open(dir, lc.chain_id.0, OpenOptions { first_block: lc.chain.head_num() + 1, ..Default::default() })
            .expect("journal opens");
    Pipeline::start(lc.chain, journal, cfg).expect("pipeline starts")
}

#[test]
fn transfers_from_four_threads_are_all_confirmed_and_match_sequential_application() {
    let lc = LoadChain::setup(ACCOUNTS).unwrap();
    let gen = lc.generator(0, 7);
    let setup_head = lc.chain.head_num();
    let txs: Vec<_> = (0..200).map(|n| gen.transaction(n)).collect();
    let dir = tempfile::tempdir().unwrap();
    let pipeline = start(lc, config(&LoadChain::setup(0).unwrap()), dir.path());
    let handles: Vec<_> = txs
        .chunks(50)
        .map(|chunk| {
            let s = pipeline.submitter();
            let chunk = chunk.to_vec();
            std::thread::spawn(move || {
                let tickets: Vec<_> = chunk.iter().map(|t| s.submit_transaction(t).expect("queue has room")).collect();
                tickets.into_iter().map(|t| t.wait()).collect::<Vec<_>>()
            })
        })
        .collect();
    let outcomes: Vec<_> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let stopped = pipeline.shutdown().unwrap();
    assert_eq!(outcomes.len(), 200);
    for (o, tx) in outcomes.iter().zip(&txs) {
        let c = o.as_ref().expect("every transfer is confirmed");
        assert_eq!(c.tx_id, tx.id());
        assert!(c.block_num > setup_head && c.block_num <= stopped.chain.head_num());
    }
    assert_eq!(stopped.submitted, 200);
    assert_eq!(stopped.stages[0].items, 200, "verify saw every submission");
    assert_eq!(stopped.stages[1].items, 200, "apply saw every submission");
    assert_eq!(stopped.blocks.iter().map(|b| b.transactions).sum::<usize>(), 200);
    assert_eq!(stopped.journal.durable_head(), stopped.chain.head_num());

    // Exact balances: every account started with FUNDING and moved exactly its transfers.
    let reference = LoadChain::setup(ACCOUNTS).unwrap();
    let mut expected = [FUNDING; ACCOUNTS];
    for n in 0..200 {
        let Kind::Transfer { from, to, amount } = gen.kind(n) else { panic!("a transfer-only mix") };
        expected[from] -= amount + reference.transfer_fee;
        expected[to] += amount;
    }
    for (i, (id, _)) in reference.accounts.iter().enumerate() {
        assert_eq!(stopped.chain.state.balance(*id, CORE_ASSET), expected[i], "account load{i}");
    }

    // The same transactions, in the pipeline's blocks, applied sequentially through Chain
    // (signatures recovered there) reach the same block ids and state hash.
    let mut seq = reference;
    for rec in &stopped.blocks {
        let journaled = stopped.journal.read(rec.num).unwrap();
        let block = ledger::block::SignedBlock::from_bytes(&journaled.payload).unwrap();
        let txs: Vec<_> = block.transactions.iter().map(|t| t.signed.clone()).collect();
        let key = seq.witness_keys.get(&seq.chain.scheduled_witness(1)).copied();
        let engine::Produced { block: again, results: outcomes, .. } =
            seq.chain.produce_block(block.signed_header.header.timestamp, &txs, key.as_ref()).unwrap();
        assert!(outcomes.iter().all(|o| o.is_ok()));
        assert_eq!(again.id(), block.id());
        assert_eq!(seq.chain.state.state_hash.0, journaled.state_hash);
    }
    assert_eq!(seq.chain.state.state_hash, stopped.chain.state.state_hash);
}

#[test]
fn a_full_ingress_queue_answers_busy_and_loses_nothing() {
    let lc = LoadChain::setup(ACCOUNTS).unwrap();
    let gen = lc.generator(0, 11);
    let cfg = PipelineConfig { verify_threads: 1, ingress_capacity: 2, verified_capacity: 1, ..config(&lc) };
    let dir = tempfile::tempdir().unwrap();
    let pipeline = start(lc, cfg, dir.path());
    let s = pipeline.submitter();
    let mut tickets = Vec::new();
    let mut busy = 0;
    for n in 0..60 {
        let mut bytes = gen.transaction(n).to_bytes();
        loop {
            match s.submit(bytes) {
                Ok(t) => break tickets.push(t),
                Err(SubmitError::Busy { capacity, bytes: back }) => {
                    assert_eq!(capacity, 2);
                    busy += 1;
                    bytes = back; // the same bytes come back: resubmit them
                    std::thread::yield_now();
                }
                Err(e) => panic!("unexpected {e}"),
            }
        }
    }
    assert!(busy > 0, "60 transactions into a queue of 2 must meet a full queue");
    let confirmed = tickets.into_iter().map(|t| t.wait()).filter(|o| o.is_ok()).count();
    let stopped = pipeline.shutdown().unwrap();
    assert_eq!(confirmed, 60);
    assert_eq!(stopped.busy, busy);
    assert_eq!(stopped.submitted, 60);
    assert_eq!(stopped.blocks.iter().map(|b| b.transactions).sum::<usize>(), 60);
}

#[test]
fn a_transaction_signed_by_the_wrong_key_is_refused_and_changes_nothing() {
    let lc = LoadChain::setup(ACCOUNTS).unwrap();
    let gen = lc.generator(0, 3);
    let (from, _) = lc.accounts[0];
    let mut tx = gen.transaction(0);
    let Operation::Transfer(t) = &mut tx.operations[0] else { unreachable!() };
    t.from = from;
    // Signed by account 1's key, not account 0's.
    let digest = tx.sig_digest(&lc.chain_id.0);
    tx.signatures = vec![ledger::crypto::sign_compact(&lc.accounts[1].1, &digest)];
    let mut garbled = gen.transaction(1);
    garbled.signatures[0].0[0] = 0; // recovery header byte out of range
    let before = lc.chain.state.balance(from, CORE_ASSET);
    let dir = tempfile::tempdir().unwrap();
    let pipeline = start(lc, config(&LoadChain::setup(0).unwrap()), dir.path());
    let s = pipeline.submitter();
    let wrong = s.submit_transaction(&tx).unwrap().wait().unwrap_err();
    let bad = s.submit_transaction(&garbled).unwrap().wait().unwrap_err();
    let junk = s.submit(vec![1, 2, 3]).unwrap().wait().unwrap_err();
    let stopped = pipeline.shutdown().unwrap();
    match &wrong {
        Refused::Rejected(Rejection::Authority(e)) => assert_eq!(e.code(), "tx_missing_active_auth"),
        other => panic!("expected a missing authority, got {other}"),
    }
    assert_eq!(wrong.to_string(), format!("missing active authority of account {from}"));
    assert_eq!(bad.code(), "tx_invalid_signature", "{bad}");
    assert_eq!(junk.code(), "undecodable", "{junk}");
    assert_eq!(stopped.chain.state.balance(from, CORE_ASSET), before);
    assert_eq!(stopped.blocks.iter().map(|b| b.transactions).sum::<usize>(), 0);
}

#[test]
fn crossing_orders_fan_out_their_fills_once_durable() {
    let lc = LoadChain::setup(2).unwrap();
    let gen = lc.generator(100, 5);
    // Find a crossing pair in the stream: a LOAD seller and a core seller whose prices overlap.
    let kinds: Vec<_> = (0..400).map(|n| (n, gen.kind(n))).collect();
    let dir = tempfile::tempdir().unwrap();
    let pipeline = start(lc, config(&LoadChain::setup(0).unwrap()), dir.path());
    let events = pipeline.subscribe(1_000);
    let s = pipeline.submitter();
    let tickets: Vec<_> = kinds.iter().map(|(n, _)| s.submit_transaction(&gen.transaction(*n)).unwrap()).collect();
    let outcomes: Vec<_> = tickets.into_iter().map(|t| t.wait()).collect();
    let stopped = pipeline.shutdown().unwrap();
    assert!(outcomes.iter().all(|o| o.is_ok()), "{:?}", outcomes.iter().find(|o| o.is_err()));
    let fills: usize = events
        .try_iter()
        .map(|e| match e {
            node::pipeline::ChainEvent::Applied(o) => {
                o.virtual_ops().filter(|op| matches!(op, Operation::FillOrder(_))).count()
            }
            node::pipeline::ChainEvent::Reverted(_) => panic!("a single producer never pops"),
        })
        .sum();
    assert!(fills > 0, "400 orders near 1:1 either way cross");
    assert_eq!(fills % 2, 0, "every match fills two orders");
    assert!(stopped.chain.state.limit_orders.iter().count() < 400);
    // The read replica, fed by the events stage, holds exactly the writer's objects.
    let (reader, followed) = stopped.replica.expect("the read replica is on by default");
    followed.expect("the replica applied every block");
    assert_eq!(reader.read().head_num, stopped.chain.head_num());
    assert_eq!(
        engine::snapshot::content_digest(&reader.read().state),
        engine::snapshot::content_digest(&stopped.chain.state)
    );
}

#[test]
fn a_transaction_is_confirmed_only_once_its_block_is_durable_and_a_failed_sync_refuses() {
    use journal::testing::FaultyStorage;
    let lc = LoadChain::setup(ACCOUNTS).unwrap();
    let gen = lc.generator(0, 13);
    // Snapshots after every block: they wait for the block to be durable, and once the journal
    // has failed the writer skips them instead of waiting for ever.
    let snaps = tempfile::tempdir().unwrap();
    let cfg = PipelineConfig {
        snapshots: Some(node::pipeline::SnapshotPolicy { dir: snaps.path().to_path_buf(), every: 1 }),
        ..config(&lc)
    };
    let chain_id = lc.chain_id.0;
    let disk = FaultyStorage::new();
    let dir = std::path::Path::new("/mem");
    let opts = OpenOptions { first_block: lc.chain.head_num() + 1, ..Default::default() };
    let (journal, _) = Journal::open_in(disk.clone(), dir, chain_id, opts).unwrap();
    let pipeline = Pipeline::start(lc.chain, journal, cfg).unwrap();
    let s = pipeline.submitter();
    let confirmed = s.submit_transaction(&gen.transaction(0)).unwrap().wait().expect("first is confirmed");
    // Confirmed means on disk: what a power cut would leave now (the durable prefix of each
    // file, copied without disturbing the running journal) holds its block.
    let survivor = FaultyStorage::new();
    for name in [journal::JOURNAL_FILE, journal::INDEX_FILE] {
        let path = dir.join(name);
        let durable = disk.durable_len(&path);
        survivor.set_contents(&path, disk.contents(&path).unwrap()[..durable].to_vec());
    }
    let (reopened, _) = Journal::open_in(survivor, dir, chain_id, opts).unwrap();
    assert!(reopened.head() >= confirmed.block_num, "{} < {}", reopened.head(), confirmed.block_num);
    drop(reopened);

    disk.fail_next_syncs(&dir.join(journal::JOURNAL_FILE), 1);
    let refused = s.submit_transaction(&gen.transaction(1)).unwrap().wait().unwrap_err();
    assert_eq!(refused.code(), "journal_failed", "{refused}");
    // The journal is poisoned: later transactions are refused too, never confirmed.
    let later = s.submit_transaction(&gen.transaction(2)).unwrap().wait().unwrap_err();
    assert_eq!(later.code(), "journal_failed", "{later}");
    let stopped = pipeline.shutdown().unwrap();
    assert!(stopped.journal_error.is_some());
    assert!(stopped.blocks.iter().all(|b| b.num <= stopped.journal.durable_head()));
    let snapshot_blocks: Vec<u32> =
        node::snapshots::list(snaps.path()).unwrap().into_iter().map(|(num, _)| num).collect();
    assert!(!snapshot_blocks.is_empty(), "the confirmed block was snapshotted");
    assert!(snapshot_blocks.iter().all(|n| *n <= stopped.journal.durable_head()), "{snapshot_blocks:?}");
}

#[test]
fn the_writer_checks_authority_with_the_keys_it_is_given_and_never_recovers_again() {
    let mut lc = LoadChain::setup(ACCOUNTS).unwrap();
    let gen = lc.generator(0, 17);
    let mut tx = gen.transaction(0);
    let Kind::Transfer { from, .. } = gen.kind(0) else { unreachable!() };
    let signer = lc.accounts[from].1.public_key();
    // A signature that recovers to nothing: only the keys handed in can authorize it.
    tx.signatures[0].0 = [0; 65];
    let (id, _) = lc.accounts[from];
    let before = (lc.chain.state.balance(id, CORE_ASSET), lc.chain.state.state_hash, lc.chain.head_num());
    let when = lc.chain.slot_time(1);
    {
        let mut open = lc.chain.open_block(when).unwrap();
        let wrong = lc.accounts[(from + 1) % ACCOUNTS].1.public_key();
        let refused = open.push(&tx, Some(&[wrong])).unwrap_err();
        assert_eq!(refused.code(), "tx_missing_active_auth");
        open.push(&tx, Some(&[signer])).expect("the recovered key authorizes it");
        assert_eq!(open.len(), 1);
        assert!(open.chain().state.balance(id, CORE_ASSET) < before.0);
        // Dropped without sealing: the block and its transaction leave nothing behind.
    }
    assert_eq!((lc.chain.state.balance(id, CORE_ASSET), lc.chain.state.state_hash, lc.chain.head_num()), before);
    // Without keys the chain recovers them itself, and this signature recovers to nothing.
    let outcomes = lc.chain.produce_block(when, &[tx], None).unwrap().results;
    assert_eq!(outcomes[0].as_ref().unwrap_err().code(), "tx_invalid_signature");
}
