//! A signed transaction from arbitrary bytes (as it arrives in a block or from a peer): refused
//! with an error or decoded, and then re-encoding it decodes to the same transaction; validating
//! it, hashing it and writing it as JSON do not panic either.

#![no_main]

use ledger::transaction::SignedTransaction;
use ledger::{Pack, Unpack};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(tx) = SignedTransaction::from_bytes(data) {
        let again = tx.to_bytes();
        assert_eq!(SignedTransaction::from_bytes(&again).as_ref(), Ok(&tx), "decode(encode(tx)) == tx");
        let _ = tx.validate();
        let _ = tx.id();
        let _ = serde_json::to_string(&tx).expect("a decoded transaction writes as JSON");
    }
});
