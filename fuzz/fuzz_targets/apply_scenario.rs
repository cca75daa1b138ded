//! `graphene apply` scenarios from arbitrary text: refused with a `CliError` or run to the end,
//! never a panic. The scenario runner lives in the binary crate, so this target compiles the very
//! file, src/cli/apply.rs, with stand-ins for the two items it takes from `cli` (`CliError` and
//! `read_input`, which only the command-line entry point uses).
//!
//! Two kinds of input are skipped, as not about decoding: a `"genesis"` naming a file (the fuzzer
//! must not read the machine's files, `/dev/zero` say), and advances adding up to more than three
//! days (each slot of an advance produces a block, so a long one is slow by design; its limit is
//! checked by apply.rs's own tests).

#![no_main]
#![allow(dead_code)]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::path::Path;

#[path = "../../src/cli/apply.rs"]
mod apply;

/// Stand-in for the binary's `cli::CliError` (same variants as apply.rs uses).
#[derive(Debug)]
pub enum CliError {
    Usage(String),
    Failed(String),
}

/// Stand-in for the binary's `cli::read_input` (only `apply::run` calls it).
pub fn read_input(_path: &str) -> Result<String, CliError> {
    Err(CliError::Usage("no files while fuzzing".into()))
}

const ADVANCE_SECONDS_FUZZED_MAX: u64 = 3 * 86_400;

fn worth_running(text: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(text) else { return true };
    if v.get("genesis").and_then(Value::as_str).is_some_and(|g| g != "dev") {
        return false;
    }
    let advanced: u64 = match v.get("blocks") {
        Some(Value::Array(blocks)) => {
            blocks.iter().filter_map(|b| b.get("advance_seconds")?.as_u64()).fold(0, u64::saturating_add)
        }
        _ => 0,
    };
    advanced <= ADVANCE_SECONDS_FUZZED_MAX
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if worth_running(text) {
        let _ = apply::run_scenario(text, Path::new("/nonexistent"), None, &mut std::io::sink());
    }
});
