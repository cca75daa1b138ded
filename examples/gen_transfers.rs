//! Writes signed dev-chain transactions as JSON lines for `graphene node --dev --fast --tx-file`:
//! nathan claims his genesis balance, then sends N transfers of distinct amounts round-robin to
//! init0..init10. Used to build journals for the replay benchmark (README).
//!
//! `cargo run --release --example gen_transfers -- N > txs.jsonl`
//!
//! Expirations are fixed at genesis + 23 h, so the journal must be built with `--fast` (whose
//! blocks start at genesis time and advance 5 s per block).

use ledger::crypto::PrivateKey;
use ledger::transaction::SignedTransaction;
use serde_json::json;
use std::io::Write;

fn main() {
    let n: i64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let chain_id = ledger::genesis::chain_id_of_text(ledger::genesis::DEV_GENESIS_JSON);
    let nathan = PrivateKey::from_password("nathan", "active", "dev").expect("valid key");
    let sign = |op: serde_json::Value| {
        let tx = json!({"ref_block_num": 0, "ref_block_prefix": 0, "expiration": "2026-01-01T23:00:00",
                        "operations": [op], "extensions": []});
        let mut tx: SignedTransaction = serde_json::from_value(tx).expect("well-formed transaction");
        let digest = tx.sig_digest(&chain_id);
        tx.signatures.push(ledger::crypto::sign_compact(&nathan, &digest));
        serde_json::to_string(&tx).expect("serializes")
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let claim = json!([37, {
        "fee": {"amount": 0, "asset_id": "1.3.0"}, "deposit_to_account": "1.2.17", "balance_to_claim": "1.15.11",
        "balance_owner_key": nathan.public_key().to_string_with_prefix("TEST"),
        "total_claimed": {"amount": 10_000_000_000_000i64, "asset_id": "1.3.0"}
    }]);
    writeln!(out, "{}", sign(claim)).expect("stdout");
    for i in 0..n {
        let to = format!("1.2.{}", 6 + i % 11);
        let transfer = json!([0, {
            "fee": {"amount": 2_000_000, "asset_id": "1.3.0"}, "from": "1.2.17", "to": to,
            "amount": {"amount": i + 1, "asset_id": "1.3.0"}, "extensions": []
        }]);
        writeln!(out, "{}", sign(transfer)).expect("stdout");
    }
}
