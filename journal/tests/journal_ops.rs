//! Everyday journal behaviour on real files and in memory: round trips, the index as a
//! rebuildable cache, chain and format checks, group commit, fork truncation.

mod common;

use std::fs;

use common::*;
use journal::testing::FaultyStorage;
use journal::{Journal, JournalError, OpenOptions, INDEX_FILE, JOURNAL_FILE};

fn sizes_1000() -> Vec<usize> {
    let mut sizes = Sizes::new(0x5eed);
    (0..=1000).map(|_| sizes.next_below(2000) as usize).collect()
}

#[test]
fn a_thousand_records_of_random_sizes_survive_reopen_on_real_files() {
    let tmp = tempfile::tempdir().unwrap();
    let sizes = sizes_1000();
    let (mut journal, report) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
    assert!(report.created);
    assert_eq!((report.head, report.blocks), (0, 0));
    for n in 1..=1000u32 {
        journal.append(n, &block_id(n), &state_hash(n), &payload(n, sizes[n as usize])).unwrap();
        if n % 37 == 0 {
            assert_eq!(journal.sync().unwrap(), n);
        }
    }
    assert_eq!((journal.durable_head(), journal.head()), (999, 1000));
    // Blocks not yet synced are readable too.
    assert_block(&journal, 1000, sizes[1000]);
    assert_eq!(journal.sync().unwrap(), 1000);
    drop(journal);

    let (journal, report) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
    let expected_bytes = 64 + (1..=1000).map(|n| 80 + sizes[n] as u64).sum::<u64>();
    assert_eq!((report.created, report.head, report.blocks, report.bytes), (false, 1000, 1000, expected_bytes));
    assert_eq!((report.torn_tail_bytes_cut, report.index_rebuilt), (0, false));
    assert_eq!(fs::metadata(tmp.path().join(JOURNAL_FILE)).unwrap().len(), expected_bytes);
    for n in [1, 2, 500, 999, 1000] {
        assert_block(&journal, n, sizes[n as usize]);
    }
    let replayed: Vec<_> = journal.iter_from(1).unwrap().map(|record| record.unwrap()).collect();
    assert_eq!(replayed.len(), 1000);
    for (i, record) in replayed.iter().enumerate() {
        let n = i as u32 + 1;
        assert_eq!(record.block_num, n);
        assert_eq!((record.block_id, record.state_hash), (block_id(n), state_hash(n)));
        assert_eq!(record.payload, payload(n, sizes[n as usize]));
    }
    assert_eq!(journal.iter_from(990).unwrap().count(), 11);
    assert_eq!(journal.iter_from(1001).unwrap().count(), 0);
    assert!(matches!(journal.iter_from(1002), Err(JournalError::NotFound { block_num: 1002, .. })));
}

#[test]
fn a_deleted_or_damaged_index_is_rebuilt_from_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let sizes = sizes_1000();
    let (mut journal, _) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
    append_blocks(&mut journal, 1000, |n| sizes[n as usize]);
    drop(journal);
    let index_path = tmp.path().join(INDEX_FILE);
    let good_index = fs::read(&index_path).unwrap();
    assert_eq!(good_index.len(), 12 * 1000);

    fs::remove_file(&index_path).unwrap();
    let (journal, report) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
    assert_eq!((report.index_rebuilt, report.index_entries_written), (true, 1000));
    assert_eq!(fs::read(&index_path).unwrap(), good_index);
    assert_block(&journal, 777, sizes[777]);
    drop(journal);

    // Entry 600 (block 601) points elsewhere: rewritten from there on.
    let mut damaged = good_index.clone();
    damaged[600 * 12 + 2] ^= 0x40;
    fs::write(&index_path, &damaged).unwrap();
    let (_, report) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
    assert_eq!((report.index_rebuilt, report.index_entries_written), (true, 400));
    assert_eq!(fs::read(&index_path).unwrap(), good_index);

    // Short and long indexes.
    fs::write(&index_path, &good_index[..12 * 990 + 5]).unwrap();
    let (_, report) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
    assert_eq!((report.index_rebuilt, report.index_entries_written), (true, 10));
    let mut long = good_index.clone();
    long.extend_from_slice(&[7u8; 24]);
    fs::write(&index_path, &long).unwrap();
    let (_, report) = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap();
    assert_eq!((report.index_rebuilt, report.index_entries_written), (true, 0));
    assert_eq!(fs::read(&index_path).unwrap(), good_index);
}

#[test]
fn a_journal_of_another_chain_or_format_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    drop(Journal::open(tmp.path(), CHAIN, OpenOptions::default()).unwrap());
    let other = [0x11; 32];
    let err = Journal::open(tmp.path(), other, OpenOptions::default()).err().expect("refused");
    let JournalError::WrongChain { expected, found, .. } = &err else { panic!("unexpected {err}") };
    assert_eq!((expected.0, found.0), (other, CHAIN));
    assert!(err.to_string().contains(&format!("belongs to chain {}", "4e".repeat(32))), "{err}");

    // A well-formed header of format version 2.
    let path = tmp.path().join(JOURNAL_FILE);
    let mut header = journal::format::FileHeader::new(1, CHAIN);
    header.version = 2;
    fs::write(&path, header.encode()).unwrap();
    let err = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).err().expect("refused");
    assert!(matches!(err, JournalError::UnsupportedVersion { found: 2, supported: 1, .. }), "{err}");

    fs::write(&path, [b'x'; 100]).unwrap();
    let err = Journal::open(tmp.path(), CHAIN, OpenOptions::default()).err().expect("refused");
    assert!(err.to_string().contains("does not start with the magic bytes GRJOURNL"), "{err}");
}

#[test]
fn many_appends_share_one_sync() {
    let disk = FaultyStorage::new();
    let (mut journal, _) = open_mem(&disk).unwrap();
    let before = disk.sync_count(&journal_path());
    for n in 1..=100 {
        journal.append(n, &block_id(n), &state_hash(n), &payload(n, 64)).unwrap();
    }
    assert_eq!(disk.durable_len(&journal_path()), 64);
    assert_eq!(journal.sync().unwrap(), 100);
    assert_eq!(disk.sync_count(&journal_path()), before + 1);
    assert_eq!(disk.durable_len(&journal_path()), 64 + 100 * (80 + 64));
    // Nothing new: no sync at all.
    assert_eq!(journal.sync().unwrap(), 100);
    assert_eq!(disk.sync_count(&journal_path()), before + 1);
}

#[test]
fn appends_must_be_consecutive_and_bounded() {
    let disk = FaultyStorage::new();
    let (mut journal, _) = open_mem(&disk).unwrap();
    let err = journal.append(2, &block_id(2), &state_hash(2), &[]).unwrap_err();
    assert!(matches!(err, JournalError::NonConsecutive { head: 0, got: 2 }));
    assert_eq!(err.to_string(), "block 2 cannot be appended: the journal's head is 0, so the next block must be 1");
    let huge = vec![0u8; journal::format::PAYLOAD_MAX as usize + 1];
    assert!(matches!(
        journal.append(1, &block_id(1), &state_hash(1), &huge),
        Err(JournalError::PayloadTooLarge { .. })
    ));
    assert_eq!(journal.head(), 0);
    assert!(matches!(journal.read(1), Err(JournalError::NotFound { block_num: 1, first: 1, head: 0 })));
}

#[test]
fn a_journal_can_start_at_a_later_block() {
    let disk = FaultyStorage::new();
    let opts = OpenOptions { first_block: 1000, ..OpenOptions::default() };
    let (mut journal, _) = open_mem_with(&disk, opts).unwrap();
    assert_eq!((journal.first_block(), journal.head()), (1000, 999));
    append_blocks(&mut journal, 1003, |_| 5);
    drop(journal);
    // `first_block` only matters at creation.
    let (journal, report) = open_mem(&disk).unwrap();
    assert_eq!((report.first_block, report.head, report.blocks), (1000, 1003, 4));
    assert_block(&journal, 1001, 5);
}

#[test]
fn truncate_after_drops_a_fork_durably_and_the_new_branch_follows() {
    let disk = FaultyStorage::new();
    let (mut journal, _) = open_mem(&disk).unwrap();
    append_blocks(&mut journal, 20, |n| n as usize);
    for n in 21..=25 {
        journal.append(n, &block_id(n), &state_hash(n), &payload(n, 1)).unwrap();
    }
    // Only pending blocks go.
    journal.truncate_after(23).unwrap();
    assert_eq!((journal.head(), journal.durable_head()), (23, 20));
    // Into the durable part.
    journal.truncate_after(15).unwrap();
    assert_eq!((journal.head(), journal.durable_head()), (15, 15));
    assert_eq!(disk.durable_len(&journal_path()), 64 + (1..=15).map(|n| 80 + n).sum::<usize>());
    assert!(matches!(journal.read(16), Err(JournalError::NotFound { block_num: 16, .. })));
    let fork_hash = [0xf0; 32];
    for n in 16..=18 {
        journal.append(n, &block_id(n), &fork_hash, &payload(n, 2)).unwrap();
    }
    assert_eq!(journal.sync().unwrap(), 18);
    let err = journal.truncate_after(19).unwrap_err();
    assert!(matches!(err, JournalError::TruncateOutOfRange { block_num: 19, first: 1, head: 18 }));
    drop(journal);

    disk.crash();
    let (journal, report) = open_mem(&disk).unwrap();
    assert_eq!((report.head, report.torn_tail_bytes_cut), (18, 0));
    assert_block(&journal, 15, 15);
    let fork: Vec<_> = journal.iter_from(16).unwrap().map(Result::unwrap).collect();
    assert_eq!(
        fork.iter().map(|r| (r.block_num, r.state_hash)).collect::<Vec<_>>(),
        [16, 17, 18].map(|n| (n, fork_hash))
    );
    drop(journal);

    let (mut journal, _) = open_mem(&disk).unwrap();
    journal.truncate_after(0).unwrap();
    assert_eq!((journal.head(), file_len(&disk, &journal_path()), file_len(&disk, &index_path())), (0, 64, 0));
}

#[test]
fn replay_lends_records_without_copying_and_reports_damage_found_after_open() {
    let disk = FaultyStorage::new();
    let (mut journal, _) = open_mem(&disk).unwrap();
    append_blocks(&mut journal, 3, |_| 9);
    let mut replay = journal.iter_from(2).unwrap();
    let first = replay.next_ref().unwrap().unwrap();
    assert_eq!((first.block_num, first.payload), (2, &payload(2, 9)[..]));
    assert_eq!(replay.next_ref().unwrap().unwrap().block_num, 3);
    assert!(replay.next_ref().is_none());
    drop(replay);

    // Damage after open (media error while running) is caught by replay and by read.
    disk.flip_bit(&journal_path(), 64 + 89 + 70, 0);
    let results: Vec<_> = journal.iter_from(1).unwrap().collect();
    assert_eq!(results.len(), 2);
    assert!(matches!(results[1], Err(JournalError::CorruptRecord { block_num: 2, offset: 153, .. })));
    assert!(matches!(journal.read(2), Err(JournalError::CorruptRecord { block_num: 2, .. })));
}

#[test]
fn replay_streams_across_synced_and_still_pending_blocks() {
    let disk = FaultyStorage::new();
    let (mut journal, _) = open_mem(&disk).unwrap();
    append_blocks(&mut journal, 3, |n| 100 * n as usize);
    for n in 4..=5 {
        journal.append(n, &block_id(n), &state_hash(n), &payload(n, 100 * n as usize)).unwrap();
    }
    let records: Vec<_> = journal.iter_from(2).unwrap().map(Result::unwrap).collect();
    assert_eq!(records.iter().map(|r| r.block_num).collect::<Vec<_>>(), [2, 3, 4, 5]);
    assert_eq!(records[3].payload, payload(5, 500));
    assert_eq!((journal.durable_head(), journal.head()), (3, 5));
}
