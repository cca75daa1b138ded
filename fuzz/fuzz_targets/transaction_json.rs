//! A signed transaction from arbitrary JSON text (`graphene tx`, `apply` scenarios, the API):
//! refused with an error or decoded, and then its binary form decodes to the same transaction.

#![no_main]

use ledger::transaction::SignedTransaction;
use ledger::{Pack, Unpack};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(tx) = serde_json::from_str::<SignedTransaction>(text) {
        let _ = tx.validate();
        assert_eq!(SignedTransaction::from_bytes(&tx.to_bytes()).as_ref(), Ok(&tx), "JSON then binary round trip");
    }
});
