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
    PrivateKey::from_password(account, "active", "dev").expect("a password hash is a valid key")
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

/// A transaction of `ops` for the dev chain, each with the fee `g`'s schedule requires, expiring
/// at `expiration`, signed by nathan's dev key.
pub fn nathan_tx(
    g: &ledger::genesis::GenesisState,
    expiration: ledger::time::TimePointSec,
    ops: Vec<ledger::ops::Operation>,
) -> Value {
    let fees = &g.initial_parameters.current_fees;
    let operations = ops
        .into_iter()
        .map(|mut op| {
            fees.set_required_fee(&mut op).expect("the dev schedule prices every test operation");
            op
        })
        .collect();
    let t = ledger::transaction::Transaction { expiration, operations, ..Default::default() };
    let mut v = serde_json::to_value(t).expect("serializes");
    v["signatures"] = serde_json::json!([]);
    sign(v, &[&dev_key("nathan")])
}

/// The dev genesis text with its one genesis balance (10^13 core) owned by `key`'s address, so
/// nathan's dev active key can claim it while the dev chain id (and its signatures) stay.
pub fn genesis_with_balance_for(key: &ledger::keys::PublicKey) -> Value {
    let mut genesis: Value = serde_json::from_str(ledger::genesis::DEV_GENESIS_JSON).expect("the dev genesis parses");
    genesis["initial_balances"] = serde_json::json!([{
        "owner": ledger::crypto::address_text(&key.address(), "TEST"),
        "asset_symbol": "BTS",
        "amount": 10_000_000_000_000i64,
    }]);
    genesis
}
