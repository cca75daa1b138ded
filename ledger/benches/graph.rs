//! Micro-benchmarks of the object graph: the cost of one `modify` in a 1M-object arena with undo
//! off and on (first touch and repeated touch), a transaction-shaped frame, and begin + merge of
//! an empty frame on 25 arenas (the per-transaction overhead of the engine's State).
//!
//! Run: `cargo bench -p ledger --bench graph`.

// A benchmark times itself; ledger/clippy.toml keeps clocks out of the crate, not its benches.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ledger::graph::{Arena, Object, Undoable};
use std::time::{Duration, Instant};

/// Shaped like an account balance object: (owner, asset, amount).
#[derive(Clone)]
struct Balance {
    owner: u64,
    asset: u64,
    amount: i64,
}
ledger::impl_pack!(Balance { owner, asset, amount });
impl Object for Balance {
    const SPACE: u8 = 2;
    const TYPE: u8 = 5;
}

const OBJECTS: u64 = 1_000_000;
/// Instances are visited in a scattered order (a stride coprime to 1M) so the figures include
/// cache misses, as random accounts in a block would.
const STRIDE: u64 = 0x9E37;

fn arena(n: u64, undo: bool) -> Arena<Balance> {
    let mut a = Arena::with_capacity(n as usize);
    for i in 0..n {
        a.create(|_| Balance { owner: i, asset: 0, amount: 0 });
    }
    // Start from a clear change set, as after a block's hash.
    a.hash_changes(&mut blake3::Hasher::new());
    a.set_undo_enabled(undo);
    a
}

fn scattered(k: u64) -> u64 {
    k.wrapping_mul(STRIDE) % OBJECTS
}

fn bench_modify(c: &mut Criterion) {
    let mut g = c.benchmark_group("modify_1M");

    let mut off = arena(OBJECTS, false);
    let mut k = 0u64;
    g.bench_function("undo_off", |b| {
        b.iter(|| {
            k += 1;
            off.modify(scattered(k), |o| o.amount += 1);
        })
    });
    // Sequential instances: the same code without the DRAM miss, to separate code cost from memory.
    let mut k = 0u64;
    g.bench_function("undo_off_sequential", |b| {
        b.iter(|| {
            k += 1;
            off.modify(k % OBJECTS, |o| o.amount += 1);
        })
    });
    drop(off);

    let mut on = arena(OBJECTS, true);
    // First touch: every modify in a frame hits a different object, so each records a clone.
    const FRAME_OPS: u64 = 1024;
    let mut k = 0u64;
    g.bench_function("undo_on_first_touch", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            let mut left = iters;
            while left > 0 {
                let n = left.min(FRAME_OPS);
                on.begin();
                let start = Instant::now();
                for _ in 0..n {
                    k += 1;
                    on.modify(scattered(k), |o| o.amount += 1);
                }
                spent += start.elapsed();
                on.commit();
                left -= n;
            }
            spent
        })
    });

    on.begin();
    on.modify(7, |o| o.amount += 1);
    g.bench_function("undo_on_repeated_touch", |b| b.iter(|| on.modify(black_box(7), |o| o.amount += 1)));
    on.commit();

    // A transfer-shaped transaction: its own frame, two balances modified, merged into the block.
    let mut k = 0u64;
    let mut in_block = 0;
    on.begin();
    g.bench_function("undo_on_tx_frame_2_modifies", |b| {
        b.iter(|| {
            on.begin();
            k += 2;
            on.modify(scattered(k), |o| o.amount -= 1);
            on.modify(scattered(k + 1), |o| o.amount += 1);
            on.merge();
            in_block += 1;
            if in_block == 1000 {
                on.commit();
                on.begin();
                in_block = 0;
            }
        })
    });
    on.commit();
    g.finish();
}

fn bench_create(c: &mut Criterion) {
    let mut g = c.benchmark_group("create");
    for undo in [false, true] {
        let mut a = arena(0, undo);
        if undo {
            a.begin();
        }
        g.bench_function(if undo { "undo_on" } else { "undo_off" }, |b| {
            b.iter(|| a.create(|i| Balance { owner: i, asset: 1, amount: 0 }))
        });
    }
    g.finish();
}

fn bench_frames(c: &mut Criterion) {
    let mut arenas: Vec<Arena<Balance>> = (0..25).map(|_| arena(16, true)).collect();
    for a in &mut arenas {
        a.begin(); // the block's frame
    }
    c.bench_function("begin_merge_empty_frame_25_arenas", |b| {
        b.iter(|| {
            for a in arenas.iter_mut() {
                a.begin();
            }
            for a in arenas.iter_mut() {
                a.merge();
            }
        })
    });
}

fn bench_hash(c: &mut Criterion) {
    let mut a = arena(OBJECTS, false);
    c.bench_function("hash_changes_1000_of_1M", |b| {
        b.iter(|| {
            for k in 0..1000 {
                a.modify(scattered(k), |o| o.amount += 1);
            }
            let mut h = blake3::Hasher::new();
            a.hash_changes(&mut h);
            black_box(h.finalize())
        })
    });
}

criterion_group!(benches, bench_modify, bench_create, bench_frames, bench_hash);
criterion_main!(benches);
