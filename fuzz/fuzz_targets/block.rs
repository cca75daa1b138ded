//! A signed block from arbitrary bytes (a journal record, a peer's block): refused with an error
//! or decoded, and then re-encoding it decodes to the same block; its digests, id and JSON form do
//! not panic either.

#![no_main]

use ledger::block::SignedBlock;
use ledger::{Pack, Unpack};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(block) = SignedBlock::from_bytes(data) {
        assert_eq!(SignedBlock::from_bytes(&block.to_bytes()).as_ref(), Ok(&block), "decode(encode(block)) == block");
        let _ = block.digests();
        let _ = block.id();
        let _ = serde_json::to_string(&block).expect("a decoded block writes as JSON");
    }
});
