//! Journal benchmarks: appending 1 KiB records with a sync every 1, 100 or 1000 records (group
//! commit), and streaming replay of 1M small records (owned, lending, and a memmap2 baseline
//! running the same verification over a mapped file).
#![allow(unsafe_code)] // only for the memmap2 baseline

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use journal::format::{record_checksum_ok, RecordHeader, FILE_HEADER_LEN, RECORD_CHECKSUM_LEN, RECORD_HEADER_LEN};
use journal::{Journal, OpenOptions, JOURNAL_FILE};

const CHAIN: [u8; 32] = [7; 32];
const REPLAY_RECORDS: u32 = 1_000_000;
const REPLAY_PAYLOAD: usize = 64;

fn append(c: &mut Criterion) {
    let mut group = c.benchmark_group("journal_append_1KiB");
    group.sample_size(10).measurement_time(Duration::from_secs(5)).warm_up_time(Duration::from_secs(1));
    let payload = vec![0xa5u8; 1024];
    for sync_every in [1u32, 100, 1000] {
        group.throughput(Throughput::Elements(u64::from(sync_every)));
        group.bench_function(format!("sync_every_{sync_every}"), |b| {
            let tmp = tempfile::tempdir().unwrap();
            let (mut journal, _) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
            b.iter_custom(|iters| {
                let mut elapsed = Duration::ZERO;
                for _ in 0..iters {
                    if journal.head() > 200_000 {
                        journal.truncate_after(0).unwrap();
                    }
                    let start = Instant::now();
                    for _ in 0..sync_every {
                        let n = journal.head() + 1;
                        journal.append(n, &[1; 20], &[2; 32], &payload).unwrap();
                    }
                    black_box(journal.sync().unwrap());
                    elapsed += start.elapsed();
                }
                elapsed
            });
        });
    }
    group.finish();
}

fn replay(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    {
        let (mut journal, _) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
        let payload = [0x3cu8; REPLAY_PAYLOAD];
        for n in 1..=REPLAY_RECORDS {
            journal.append(n, &[1; 20], &[2; 32], &payload).unwrap();
        }
        journal.sync().unwrap();
    }
    let mut group = c.benchmark_group("journal_replay_1M_records_64B");
    group.sample_size(10).measurement_time(Duration::from_secs(10)).warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(u64::from(REPLAY_RECORDS)));

    group.bench_function("open_recovery_scan", |b| {
        b.iter(|| {
            let (journal, report) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
            assert_eq!(report.head, REPLAY_RECORDS);
            black_box(journal.head())
        })
    });

    let (journal, _) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
    group.bench_function("iter_owned", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            for record in journal.iter_from(1).unwrap() {
                bytes += record.unwrap().payload.len();
            }
            assert_eq!(bytes, REPLAY_RECORDS as usize * REPLAY_PAYLOAD);
        })
    });
    group.bench_function("iter_lending", |b| {
        b.iter(|| {
            let mut replay = journal.iter_from(1).unwrap();
            let mut bytes = 0usize;
            while let Some(record) = replay.next_ref() {
                bytes += record.unwrap().payload.len();
            }
            assert_eq!(bytes, REPLAY_RECORDS as usize * REPLAY_PAYLOAD);
        })
    });
    let file = std::fs::File::open(tmp.path().join(JOURNAL_FILE)).unwrap();
    group.bench_function("memmap2_baseline", |b| {
        b.iter_batched(
            // SAFETY: the file is not modified while mapped (the journal above only reads).
            || unsafe { memmap2::Mmap::map(&file).unwrap() },
            |map| black_box(mapped_scan(&map)),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("blake3_floor", |b| {
        let body = [0x3cu8; RECORD_HEADER_LEN + REPLAY_PAYLOAD];
        b.iter(|| {
            for _ in 0..REPLAY_RECORDS {
                black_box(blake3::hash(black_box(&body)));
            }
        })
    });
    group.finish();
}

/// The verification replay does, over a mapped file.
fn mapped_scan(bytes: &[u8]) -> usize {
    let mut pos = FILE_HEADER_LEN;
    let mut payload_bytes = 0;
    while pos < bytes.len() {
        let header = RecordHeader::decode_unchecked(&bytes[pos..]);
        let len = header.record_len() as usize;
        assert!(record_checksum_ok(&bytes[pos..pos + len]));
        payload_bytes += len - RECORD_HEADER_LEN - RECORD_CHECKSUM_LEN;
        pos += len;
    }
    assert_eq!(payload_bytes, REPLAY_RECORDS as usize * REPLAY_PAYLOAD);
    payload_bytes
}

criterion_group!(benches, append, replay);
criterion_main!(benches);
