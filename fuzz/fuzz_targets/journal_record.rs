//! Journal recovery over arbitrary file contents, as after a crash or disk damage: opening either
//! refuses with an error or recovers a journal whose every kept record reads back (by number and
//! by streaming) and decodes or is refused as a block without panicking.
//!
//! Input layout (the seed writer in tests/fuzz_decoders.rs uses it too): byte 0 is a flag byte
//! (bit 0: open with `truncate_corrupt_at`, bits 1..4: its block number), bytes 1..5 the journal
//! file's length `n` (u32 LE, cut to what is there), then `n` bytes of journal file and the rest
//! as the index file (none if empty, so recovery rebuilds it). Chain id: 32 bytes of 3.

#![no_main]

use journal::testing::FaultyStorage;
use journal::{Journal, OpenOptions};
use ledger::block::SignedBlock;
use ledger::{Pack, Unpack};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let flags = data[0];
    let journal_len = (u32::from_le_bytes(data[1..5].try_into().unwrap()) as usize).min(data.len() - 5);
    let (journal_bytes, index_bytes) = data[5..].split_at(journal_len);
    let dir = Path::new("/mem");
    let disk = FaultyStorage::new();
    disk.set_contents(&dir.join(journal::JOURNAL_FILE), journal_bytes.to_vec());
    if !index_bytes.is_empty() {
        disk.set_contents(&dir.join(journal::INDEX_FILE), index_bytes.to_vec());
    }
    let truncate_corrupt_at = (flags & 1 == 1).then_some(u32::from(flags >> 1 & 0x0f));
    let opts = OpenOptions { truncate_corrupt_at, first_block: 1 };
    if let Ok((j, report)) = Journal::open_in(disk, dir, [3; 32], opts) {
        assert_eq!(report.head, j.head());
        for n in j.first_block()..=j.head() {
            let rec = j.read(n).expect("recovery verified every record it kept");
            if let Ok(block) = SignedBlock::from_bytes(&rec.payload) {
                assert_eq!(SignedBlock::from_bytes(&block.to_bytes()).as_ref(), Ok(&block));
            }
        }
        let mut it = j.iter_from(j.first_block()).expect("the first kept block streams");
        let mut count = 0;
        while let Some(rec) = it.next_ref() {
            rec.expect("verified records stream");
            count += 1;
        }
        assert_eq!(count, j.head() + 1 - j.first_block());
    }
});
