//! `graphene apply SCENARIO.json`: the state-transition tool (like go-ethereum's `evm t8n`).
//!
//! Input, one JSON object:
//! ```text
//! { "genesis": "dev" | "path/to/genesis.json" | {genesis object},
//!   "chain_id": "hex (optional; default sha256 of the genesis text)",
//!   "skip_signatures": false,
//!   "blocks": [ {"timestamp": "2026-01-01T00:00:05", "transactions": [tx, ...]},
//!               {"advance_seconds": 86400} ],
//!   "query": [ "1.2.17", {"balances": "nathan"}, {"vesting_balances": "nathan"} ] }
//! ```
//! Output, one JSON object per line: each transaction's result in order (with its
//! `virtual_ops`, e.g. `[4, {fill_order}]`), a `{"block": N, "virtual_ops": [...]}` line after
//! any block whose end-of-block processing emitted virtual operations (order expiry, margin calls
//! after a feed expired), then each
//! query. Query forms: `"1.7.0"` (any object id), `{"balances": account}`,
//! `{"order_book": {"base": "1.3.0", "quote": "1.3.1", "depth": 10}}` (depth optional: all
//! levels), `{"open_orders": account}`, `{"call_orders": asset}` (a bitasset's debt positions,
//! least collateralized first), `{"bitasset_data": asset}` (its 2.4 object: feeds, current feed,
//! settlement state); assets by id or symbol.
//! Malformed input exits with status 2 and a message naming the path of the bad field; so do
//! `advance_seconds` steps adding up to more than [`ADVANCE_SECONDS_MAX`] (400 days).

use super::{read_input, CliError};
use clap::Args;
use engine::chain::{Chain, SkipFlags};
use ledger::genesis::GenesisState;
use ledger::ids::{AssetId, ObjectId};
use ledger::prefix::Prefix;
use ledger::time::TimePointSec;
use ledger::transaction::{ChainId, SignedTransaction};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::Path;

#[derive(Args)]
pub struct ApplyArgs {
    /// Scenario JSON file, or - for standard input.
    pub scenario: String,
    /// Prefix printed before public keys and addresses (default: TEST on the dev chain, BTS otherwise).
    #[arg(long)]
    pub prefix: Option<String>,
}

/// The most seconds the `advance_seconds` steps of one scenario may add up to: 400 days. An
/// advance produces an empty block at every slot (17,280 a day on the dev chain's 5-second
/// interval), so this bounds a scenario's running time (a few minutes at most) while leaving room
/// for a year of maintenance intervals, vesting and expirations; beyond it a number is a typo or
/// hostile, and is refused before any block is produced instead of running for hours.
pub const ADVANCE_SECONDS_MAX: u64 = 400 * 86_400;
const _: () = assert!(ADVANCE_SECONDS_MAX <= u32::MAX as u64, "an advance is u32 seconds");

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
    let mut advanced_seconds = 0u64;
    for (i, b) in blocks.iter().enumerate() {
        let path = format!("blocks[{i}]");
        let obj = b.as_object().ok_or_else(|| bad(&path, "expected an object"))?;
        if let Some(adv) = obj.get("advance_seconds") {
            let path = format!("{path}.advance_seconds");
            let seconds = adv.as_u64().ok_or_else(|| bad(&path, "expected a non-negative whole number of seconds"))?;
            advanced_seconds = advanced_seconds.saturating_add(seconds);
            if advanced_seconds > ADVANCE_SECONDS_MAX {
                let what = if advanced_seconds == seconds {
                    format!("{seconds} seconds")
                } else {
                    format!("{seconds} seconds (the scenario's advances so far add up to {advanced_seconds})")
                };
                return Err(bad(
                    &path,
                    format!(
                        "{what} is above the limit of {ADVANCE_SECONDS_MAX} seconds ({} days) a scenario may advance",
                        ADVANCE_SECONDS_MAX / 86_400
                    ),
                ));
            }
            let seconds = u32::try_from(seconds).expect("ADVANCE_SECONDS_MAX fits in u32");
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
pub fn run_scenario(text: &str, base: &Path, prefix: Option<&str>, out: &mut impl Write) -> Result<(), CliError> {
    let root: Value = serde_json::from_str(text).map_err(|e| bad("scenario", format!("not JSON: {e}")))?;
    let obj: &Map<String, Value> = root.as_object().ok_or_else(|| bad("scenario", "expected a JSON object"))?;
    let dev = obj.get("genesis").and_then(Value::as_str) == Some("dev");
    let prefix = match prefix {
        Some(p) => p.parse::<Prefix>().map_err(|e| CliError::Usage(e.to_string()))?,
        None if dev => Prefix::TEST,
        None => Prefix::BTS,
    };
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
                    let engine::Produced { outcome, .. } =
                        chain.produce_block(t, &[], None).map_err(|e| CliError::Failed(format!("blocks[{i}]: {e}")))?;
                    emit_block_virtual_ops(out, &outcome)?;
                }
            }
            Step::Block { timestamp, transactions } => {
                if *timestamp <= chain.head_time() {
                    return Err(bad(
                        &format!("blocks[{i}].timestamp"),
                        format!("{timestamp} is not after the head block time {}", chain.head_time()),
                    ));
                }
                let engine::Produced { block, results: outcomes, outcome } = chain
                    .produce_block(*timestamp, transactions, None)
                    .map_err(|e| bad(&format!("blocks[{i}].timestamp"), e))?;
                let num = block.block_num();
                for (trx, outcome) in outcomes.iter().enumerate() {
                    let line = match outcome {
                        Ok(applied) => json!({
                            "block": num, "trx": trx, "ok": true,
                            "id": transactions[trx].id().to_string(),
                            "operation_results": applied.operation_results,
                            "virtual_ops": applied.virtual_ops,
                        }),
                        Err(r) => {
                            json!({"block": num, "trx": trx, "ok": false, "code": r.code(), "message": r.to_string()})
                        }
                    };
                    emit(out, &line)?;
                }
                emit_block_virtual_ops(out, &outcome)?;
            }
        }
    }

    for (i, q) in queries.iter().enumerate() {
        let line = match q {
            Value::String(s) => {
                let id: ObjectId = s.parse().map_err(|e| bad(&format!("query[{i}]"), e))?;
                json!({"query": s, "object": object_json(engine::query::get_object(&chain.state, id), prefix)})
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
            Value::Object(o) if o.contains_key("order_book") => order_book_query(&chain, q, &o["order_book"], i)?,
            Value::Object(o) if o.contains_key("open_orders") => {
                let who = o["open_orders"]
                    .as_str()
                    .ok_or_else(|| bad(&format!("query[{i}].open_orders"), "expected an account id or name"))?;
                let orders = match engine::query::find_account(&chain.state, who) {
                    Some(a) => serde_json::to_value(engine::query::open_orders(&chain.state, a))
                        .map_err(|e| CliError::Failed(e.to_string()))?,
                    None => Value::Null,
                };
                json!({"query": q, "open_orders": orders})
            }
            Value::Object(o) if o.contains_key("vesting_balances") => {
                let who = o["vesting_balances"]
                    .as_str()
                    .ok_or_else(|| bad(&format!("query[{i}].vesting_balances"), "expected an account id or name"))?;
                let list = engine::query::find_account(&chain.state, who)
                    .map(|a| to_value(engine::query::vesting_balances(&chain.state, a)))
                    .unwrap_or(Value::Null);
                json!({"query": q, "vesting_balances": list})
            }
            Value::Object(o) if o.contains_key("call_orders") => {
                let asset = asset_arg(&chain, &o["call_orders"], i, "call_orders")?;
                let list = asset.map(|a| to_value(engine::query::call_orders(&chain.state, a, usize::MAX)));
                json!({"query": q, "call_orders": list.unwrap_or(Value::Null)})
            }
            Value::Object(o) if o.contains_key("bitasset_data") => {
                let asset = asset_arg(&chain, &o["bitasset_data"], i, "bitasset_data")?;
                let data = asset.map(|a| to_value(engine::query::bitasset_data(&chain.state, a)));
                json!({"query": q, "bitasset_data": data.unwrap_or(Value::Null)})
            }
            other => {
                return Err(bad(
                    &format!("query[{i}]"),
                    format!(
                        "expected an object id string, {{\"balances\": account}}, {{\"order_book\": {{..}}}}, \
                         {{\"open_orders\": account}}, {{\"vesting_balances\": account}}, \
                         {{\"call_orders\": asset}} or {{\"bitasset_data\": asset}}, got {other}"
                    ),
                ))
            }
        };
        emit(out, &line)?;
    }
    Ok(())
}

/// The asset named by a query argument (id or symbol); None if there is no such asset.
fn asset_arg(chain: &Chain, v: &Value, i: usize, kind: &str) -> Result<Option<AssetId>, CliError> {
    let s = v.as_str().ok_or_else(|| bad(&format!("query[{i}].{kind}"), "expected an asset id or symbol"))?;
    Ok(engine::query::find_asset(&chain.state, s))
}

/// The `{"block": N, "virtual_ops": [...]}` line of a block whose end-of-block processing
/// emitted virtual operations; nothing otherwise.
fn emit_block_virtual_ops(out: &mut impl Write, outcome: &engine::BlockOutcome) -> Result<(), CliError> {
    if outcome.end_of_block.is_empty() {
        return Ok(());
    }
    emit(out, &json!({"block": outcome.block_num, "virtual_ops": outcome.end_of_block}))
}

/// `{"order_book": {"base": id, "quote": id, "depth": n}}`.
fn order_book_query(chain: &Chain, q: &Value, spec: &Value, i: usize) -> Result<Value, CliError> {
    let path = format!("query[{i}].order_book");
    let asset = |field: &str| -> Result<ledger::ids::AssetId, CliError> {
        let text = spec[field]
            .as_str()
            .ok_or_else(|| bad(&format!("{path}.{field}"), "expected an asset id like \"1.3.0\""))?;
        text.parse().map_err(|e| bad(&format!("{path}.{field}"), e))
    };
    let (base, quote) = (asset("base")?, asset("quote")?);
    let depth = match &spec["depth"] {
        Value::Null => None,
        v => Some(
            v.as_u64()
                .and_then(|d| usize::try_from(d).ok())
                .ok_or_else(|| bad(&format!("{path}.depth"), "expected a non-negative whole number"))?,
        ),
    };
    let d = engine::query::order_book(&chain.state, base, quote, depth);
    let levels = |side: &[engine::dex::LevelView]| -> Vec<Value> {
        side.iter().map(|l| json!({"price": to_value(l.price), "for_sale": l.for_sale, "orders": l.orders})).collect()
    };
    let book = json!({
        "base": base.to_string(),
        "quote": quote.to_string(),
        "asks": levels(&d.asks),
        "bids": levels(&d.bids),
    });
    Ok(json!({"query": q, "order_book": book}))
}

/// A value as JSON; `null` if it cannot be shown (no type here fails to serialize).
fn to_value(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// An object as `get_objects` shows it (`null` when there is none), keys and addresses printed
/// with `prefix`.
fn object_json(object: Option<engine::query::ObjectRef<'_>>, prefix: Prefix) -> Value {
    use engine::query::ObjectRef as R;
    use ledger::prefix::to_json;
    let shown = match object {
        None => return Value::Null,
        Some(R::Account(o)) => to_json(o, prefix),
        Some(R::Asset(o)) => to_json(o, prefix),
        Some(R::ForceSettlement(o)) => to_json(o, prefix),
        Some(R::CommitteeMember(o)) => to_json(o, prefix),
        Some(R::Witness(o)) => to_json(o, prefix),
        Some(R::LimitOrder(o)) => to_json(o, prefix),
        Some(R::CallOrder(o)) => to_json(o, prefix),
        Some(R::VestingBalance(o)) => to_json(o, prefix),
        Some(R::GenesisBalance(o)) => to_json(o, prefix),
        Some(R::Global(o)) => to_json(o, prefix),
        Some(R::DynamicGlobal(o)) => to_json(o, prefix),
        Some(R::AssetDynamic(o)) => to_json(o, prefix),
        Some(R::BitassetData(o)) => to_json(o, prefix),
        Some(R::Balance(o)) => to_json(o, prefix),
        Some(R::Statistics(o)) => to_json(o, prefix),
        Some(R::RecentTransaction(o)) => to_json(o, prefix),
        Some(R::BlockSummary(o)) => to_json(o, prefix),
        Some(R::ChainProperty(o)) => to_json(o, prefix),
        Some(R::WitnessSchedule(o)) => to_json(o, prefix),
        Some(R::CollateralBid(o)) => to_json(o, prefix),
    };
    shown.unwrap_or(Value::Null)
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
    run_scenario(&text, &base, args.prefix.as_deref(), &mut lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(blocks: Value) -> String {
        let scenario = json!({"genesis": "dev", "blocks": blocks});
        let started = std::time::Instant::now();
        let err = run_scenario(&scenario.to_string(), Path::new("."), None, &mut Vec::new()).unwrap_err();
        assert!(started.elapsed().as_secs() < 10, "refused before producing the advance");
        assert_eq!(err.exit_code(), 2, "{err}");
        err.to_string()
    }

    #[test]
    fn an_advance_above_the_limit_is_refused_naming_the_value_and_the_limit() {
        let msg = refusal(json!([{"advance_seconds": u64::MAX}]));
        assert_eq!(
            msg,
            format!(
                "blocks[0].advance_seconds: {} seconds is above the limit of 34560000 seconds (400 days) \
                 a scenario may advance",
                u64::MAX
            )
        );
        let msg = refusal(json!([{"advance_seconds": ADVANCE_SECONDS_MAX + 1}]));
        assert!(msg.starts_with("blocks[0].advance_seconds: 34560001 seconds is above the limit"), "{msg}");
    }

    #[test]
    fn advances_adding_up_above_the_limit_are_refused_naming_the_total() {
        let half = ADVANCE_SECONDS_MAX / 2;
        let msg = refusal(json!([{"advance_seconds": half}, {"advance_seconds": half}, {"advance_seconds": 1}]));
        assert!(
            msg.starts_with(
                "blocks[2].advance_seconds: 1 seconds (the scenario's advances so far add up to 34560001) is above \
                 the limit of 34560000 seconds"
            ),
            "{msg}"
        );
    }

    #[test]
    fn an_advance_of_exactly_the_limit_is_accepted() {
        let steps = parse_steps(&json!([{"advance_seconds": ADVANCE_SECONDS_MAX}])).unwrap();
        assert!(matches!(steps[..], [Step::Advance { seconds }] if u64::from(seconds) == ADVANCE_SECONDS_MAX));
    }
}
