//! A snapshot from arbitrary bytes, as a damaged or partly written file: refused with an error or
//! restored, and a restored state writes a snapshot that restores to the same state hash.
//!
//! The archive's per-arena blake3 checksums stop most mutations early; `snapshot_objects` fuzzes
//! the object decoders behind them.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((header, state)) = engine::snapshot::read(data) {
        let again = engine::snapshot::write(&state);
        let (header2, state2) = engine::snapshot::read(&again).expect("a restored state's snapshot restores");
        assert_eq!((header2.block_num, header2.state_hash), (header.block_num, header.state_hash));
        assert_eq!(state2.state_hash, state.state_hash);
    }
});
