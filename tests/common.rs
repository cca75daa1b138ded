//! Helpers for scenario tests that drive the real `graphene` binary.

#![allow(dead_code)]

use ledger::crypto::PrivateKey;
use ledger::transaction::{ChainId, SignedTransaction};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

/// The dev chain's id: sha256 of the embedded dev genesis text.
pub fn dev_chain_id() -> ChainId {
    ChainId(ledger::genesis::chain_id_of_text(ledger::genesis::DEV_GENESIS_JSON))
}

/// The dev password rule: every dev account's keys derive from the password `dev`.
pub fn dev_key(account: &str) -> PrivateKey {
    PrivateKey::from_password(account, "active", "dev").expect("dev keys derive")
}

/// Sign a transaction given as JSON for the dev chain.
pub fn sign(tx: Value, keys: &[&PrivateKey]) -> Value {
    let mut tx: SignedTransaction = serde_json::from_value(tx).expect("test transaction parses");
    let digest = tx.sig_digest(&dev_chain_id().0);
    for k in keys {
        tx.signatures.push(ledger::crypto::sign_compact(k, &digest));
    }
    serde_json::to_value(tx).expect("serializes")
}

/// The result of one `graphene apply` run.
pub struct Run {
    pub status: i32,
    pub lines: Vec<Value>,
    pub stderr: String,
}

impl Run {
    /// The result line of transaction `trx` in block `block`.
    pub fn trx(&self, block: u64, trx: u64) -> &Value {
        self.lines
            .iter()
            .find(|l| l["block"] == block && l["trx"] == trx)
            .unwrap_or_else(|| panic!("no result for block {block} trx {trx} in {:#?}", self.lines))
    }
    /// The answer to query `q`.
    pub fn query(&self, q: &Value) -> &Value {
        self.lines.iter().find(|l| &l["query"] == q).unwrap_or_else(|| panic!("no answer to {q} in {:#?}", self.lines))
    }
    /// The balance of `asset` in a `{"balances": ..}` answer (0 if absent).
    pub fn balance(&self, account: &str, asset: &str) -> i64 {
        let q = serde_json::json!({ "balances": account });
        let list = self.query(&q)["balances"].as_array().cloned().unwrap_or_default();
        list.iter()
            .find(|b| b["asset_id"] == asset)
            .map(|b| b["amount"].as_i64().or_else(|| b["amount"].as_str().and_then(|s| s.parse().ok())).unwrap())
            .unwrap_or(0)
    }
}

/// Run `graphene apply -` with this scenario on standard input.
pub fn apply(scenario: &Value) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_graphene"))
        .args(["apply", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("graphene runs");
    child.stdin.take().unwrap().write_all(scenario.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    Run {
        status: out.status.code().unwrap_or(-1),
        lines: stdout.lines().map(|l| serde_json::from_str(l).expect("each output line is JSON")).collect(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}
