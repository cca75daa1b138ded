//! `graphene apply SCENARIO.json`: the state-transition tool (like go-ethereum's `evm t8n`).
//!
//! Input, one JSON object:
//! ```text
//! { "genesis": "dev" | "path/to/genesis.json" | {genesis object},
//!   "chain_id": "hex (optional; default sha256 of the genesis text)",
//!   "skip_signatures": false,
//!   "blocks": [ {"timestamp": "2026-01-01T00:00:05", "transactions": [tx, ...]},
//!               {"advance_seconds": 86400} ],
//!   "query": [ "1.2.17", {"balances": "nathan"} ] }
//! ```
//! Output, one JSON object per line: each transaction's result in order, then each query.
//! Malformed input exits with status 2 and a message naming the path of the bad field.

use super::{read_input, CliError};
use clap::Args;
use engine::chain::{Chain, SkipFlags};
use ledger::genesis::GenesisState;
use ledger::ids::ObjectId;
use ledger::time::TimePointSec;
use ledger::transaction::{ChainId, SignedTransaction};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::Path;

#[derive(Args)]
pub struct ApplyArgs {
    /// Scenario JSON file, or - for standard input.
    pub scenario: String,
}

fn bad(path: &str, what: impl std::fmt::Display) -> CliError {
    CliError::Usage(format!("{path}: {what}"))
}

/// Load the genesis named by the scenario, with the chain id its text implies.
fn load_genesis(v: &Value, base: &Path) -> Result<(GenesisState, ChainId), CliError> {
    let (text, source) = match v {
        Value::String(s) if s == "dev" => {
            (ledger::genesis::DEV_GENESIS_JSON.to_string(), "the dev genesis".to_string())
        }
        Value::String(p) => {
            let path = base.join(p);
            let text = std::fs::read_to_string(&path)
                .map_err(|e| bad("genesis", format!("cannot read {}: {e}", path.display())))?;
            (text, path.display().to_string())
        }
        Value::Object(_) => (v.to_string(), "the inline genesis".to_string()),
        Value::Null => return Err(bad("genesis", "missing: give \"dev\", a file name or a genesis object")),
        other => return Err(bad("genesis", format!("expected \"dev\", a file name or an object, got {other}"))),
    };
    let genesis: GenesisState = serde_json::from_str(&text).map_err(|e| bad("genesis", format!("{source}: {e}")))?;
    let chain_id = engine::genesis::chain_id_of(&genesis, &text);
    Ok((genesis, chain_id))
}

fn parse_chain_id(v: &Value) -> Result<Option<ChainId>, CliError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => {
            let b = hex::decode(s).map_err(|e| bad("chain_id", format!("not hex: {e}")))?;
            let a: [u8; 32] = b.try_into().map_err(|_| bad("chain_id", "must be 32 bytes"))?;
            Ok(Some(ChainId(a)))
        }
        other => Err(bad("chain_id", format!("expected a hex string, got {other}"))),
    }
}

/// A scenario block after parsing.
enum Step {
    Block { timestamp: TimePointSec, transactions: Vec<SignedTransaction> },
    Advance { seconds: u32 },
}

fn parse_steps(v: &Value) -> Result<Vec<Step>, CliError> {
    let blocks = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(a) => a,
        other => return Err(bad("blocks", format!("expected an array, got {other}"))),
    };
    let mut steps = Vec::with_capacity(blocks.len());
    for (i, b) in blocks.iter().enumerate() {
        let path = format!("blocks[{i}]");
        let obj = b.as_object().ok_or_else(|| bad(&path, "expected an object"))?;
        if let Some(adv) = obj.get("advance_seconds") {
            let seconds = adv.as_u64().and_then(|s| u32::try_from(s).ok()).ok_or_else(|| {
                bad(&format!("{path}.advance_seconds"), "expected a non-negative whole number of seconds")
            })?;
            steps.push(Step::Advance { seconds });
            continue;
        }
        let ts = obj.get("timestamp").ok_or_else(|| bad(&path, "needs \"timestamp\" or \"advance_seconds\""))?;
        let timestamp: TimePointSec = ts
            .as_str()
            .ok_or_else(|| bad(&format!("{path}.timestamp"), "expected a time string"))?
            .parse()
            .map_err(|e| bad(&format!("{path}.timestamp"), e))?;
        let mut transactions = Vec::new();
        match obj.get("transactions") {
            None | Some(Value::Null) => {}
            Some(Value::Array(txs)) => {
                for (j, t) in txs.iter().enumerate() {
                    let tx: SignedTransaction =
                        serde_json::from_value(t.clone()).map_err(|e| bad(&format!("{path}.transactions[{j}]"), e))?;
                    transactions.push(tx);
                }
            }
            Some(other) => return Err(bad(&format!("{path}.transactions"), format!("expected an array, got {other}"))),
        }
        steps.push(Step::Block { timestamp, transactions });
    }
    Ok(steps)
}

fn emit(out: &mut impl Write, v: &Value) -> Result<(), CliError> {
    writeln!(out, "{v}").map_err(|e| CliError::Failed(format!("cannot write output: {e}")))
}

/// Run a scenario given as text; `base` resolves a genesis file name.
pub fn run_scenario(text: &str, base: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let root: Value = serde_json::from_str(text).map_err(|e| bad("scenario", format!("not JSON: {e}")))?;
    let obj: &Map<String, Value> = root.as_object().ok_or_else(|| bad("scenario", "expected a JSON object"))?;
    let (genesis, text_chain_id) = load_genesis(obj.get("genesis").unwrap_or(&Value::Null), base)?;
    let chain_id = parse_chain_id(obj.get("chain_id").unwrap_or(&Value::Null))?.unwrap_or(text_chain_id);
    let skip_signatures = match obj.get("skip_signatures") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => return Err(bad("skip_signatures", format!("expected true or false, got {other}"))),
    };
    let steps = parse_steps(obj.get("blocks").unwrap_or(&Value::Null))?;
    let queries = match obj.get("query") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(q)) => q.clone(),
        Some(other) => return Err(bad("query", format!("expected an array, got {other}"))),
    };

    let state = engine::genesis::build(&genesis, chain_id).map_err(|e| bad("genesis", e))?;
    let mut chain = Chain::new(state);
    // Blocks made here are not signed: a genesis carries public keys only.
    chain.skip = SkipFlags { signatures: skip_signatures, block_signature: true, ..Default::default() };

    for (i, step) in steps.iter().enumerate() {
        match step {
            Step::Advance { seconds } => {
                let target = chain.head_time().plus(*seconds);
                loop {
                    let t = chain.slot_time(1);
                    if t > target {
                        break;
                    }
                    chain.produce_block(t, &[], None).map_err(|e| CliError::Failed(format!("blocks[{i}]: {e}")))?;
                }
            }
            Step::Block { timestamp, transactions } => {
                if *timestamp <= chain.head_time() {
                    return Err(bad(
                        &format!("blocks[{i}].timestamp"),
                        format!("{timestamp} is not after the head block time {}", chain.head_time()),
                    ));
                }
                let (block, outcomes) = chain
                    .produce_block(*timestamp, transactions, None)
                    .map_err(|e| bad(&format!("blocks[{i}].timestamp"), e))?;
                let num = block.block_num();
                for (trx, outcome) in outcomes.iter().enumerate() {
                    let line = match outcome {
                        Ok(applied) => json!({
                            "block": num, "trx": trx, "ok": true,
                            "id": transactions[trx].id().to_string(),
                            "operation_results": applied.operation_results,
                            "virtual_ops": [],
                        }),
                        Err(r) => {
                            json!({"block": num, "trx": trx, "ok": false, "code": r.code(), "message": r.to_string()})
                        }
                    };
                    emit(out, &line)?;
                }
            }
        }
    }

    for (i, q) in queries.iter().enumerate() {
        let line = match q {
            Value::String(s) => {
                let id: ObjectId = s.parse().map_err(|e| bad(&format!("query[{i}]"), e))?;
                json!({"query": s, "object": engine::query::get_object(&chain.state, id)})
            }
            Value::Object(o) if o.contains_key("balances") => {
                let who = o["balances"]
                    .as_str()
                    .ok_or_else(|| bad(&format!("query[{i}].balances"), "expected an account id or name"))?;
                let balances = match engine::query::find_account(&chain.state, who) {
                    Some(a) => serde_json::to_value(engine::query::account_balances(&chain.state, a))
                        .map_err(|e| CliError::Failed(e.to_string()))?,
                    None => Value::Null,
                };
                json!({"query": q, "balances": balances})
            }
            other => {
                return Err(bad(
                    &format!("query[{i}]"),
                    format!("expected an object id string or {{\"balances\": account}}, got {other}"),
                ))
            }
        };
        emit(out, &line)?;
    }
    Ok(())
}

pub fn run(args: ApplyArgs) -> Result<(), CliError> {
    let text = read_input(&args.scenario)?;
    let base = if args.scenario == "-" {
        Path::new(".").to_path_buf()
    } else {
        Path::new(&args.scenario).parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    run_scenario(&text, &base, &mut lock)
}
