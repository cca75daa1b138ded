//! Criterion benchmarks of each pipeline stage alone (node::pipeline), so a regression shows
//! per stage: verify (decode + digest + recovery + validation of one signed transfer), apply one
//! transfer and one limit order in an open block with pre-recovered keys (the single writer's
//! work per transaction), and one journal append + fdatasync of a block-sized batch.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use journal::{Journal, OpenOptions};
use ledger::Pack;
use node::pipeline::verify_transaction;
use perf::workload::LoadChain;
use std::time::{Duration, Instant};

fn verify(c: &mut Criterion) {
    let lc = LoadChain::setup(10).unwrap();
    let bytes = lc.generator(0, 1).transaction(0).to_bytes();
    c.bench_function("stage 1 verify: decode, validate, digest, recover one transfer", |b| {
        b.iter(|| verify_transaction(black_box(&bytes), &lc.chain_id).unwrap())
    });
}

/// Apply `iters` distinct transactions of the mix into one open block (dropped, so undone,
/// afterwards); only the pushes are timed.
fn apply(c: &mut Criterion, name: &str, orders_percent: u8) {
    let mut lc = LoadChain::setup(100).unwrap();
    let gen = lc.generator(orders_percent, 2);
    let chain_id = lc.chain_id;
    let mut next = 0u64;
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let txs: Vec<_> = (next..next + iters)
                .map(|n| verify_transaction(&gen.transaction(n).to_bytes(), &chain_id).unwrap())
                .collect();
            next += iters;
            let when = lc.chain.slot_time(1);
            let mut open = lc.chain.open_block(when).unwrap();
            let start = Instant::now();
            for (tx, keys, _) in &txs {
                open.push(tx, Some(keys)).unwrap();
            }
            start.elapsed()
        })
    });
}

fn apply_transfer(c: &mut Criterion) {
    apply(c, "stage 2 apply: one transfer (keys already recovered)", 0);
}

fn apply_order(c: &mut Criterion) {
    apply(c, "stage 2 apply: one limit order (keys already recovered)", 100);
}

fn journal_batch(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let (mut journal, _) = Journal::open(dir.path(), [7; 32], OpenOptions::default()).unwrap();
    // About a 5-second block at 2,000 transactions of 150 bytes.
    let payload = vec![0x5a; 300_000];
    c.bench_function("stage 3 journal: append a 300 KB block + fdatasync", |b| {
        b.iter(|| {
            let num = journal.head() + 1;
            journal.append(num, &[1; 20], &[2; 32], black_box(&payload)).unwrap();
            journal.sync().unwrap()
        })
    });
}

criterion_group! {
    name = stages;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(3));
    targets = verify, apply_transfer, apply_order, journal_batch
}
criterion_main!(stages);
