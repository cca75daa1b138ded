//! `config.toml` from arbitrary text: parsed or refused with a `CliError` naming the line and key,
//! never a panic. The parser lives in the binary crate, so this target compiles the very file,
//! src/cli/config.rs, with a stand-in for the `cli::CliError` it returns.

#![no_main]
#![allow(dead_code)]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

#[path = "../../src/cli/config.rs"]
mod config;

/// Stand-in for the binary's `cli::CliError` (same variants as config.rs uses).
#[derive(Debug)]
pub enum CliError {
    Usage(String),
    Failed(String),
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = config::parse(text, Path::new("config.toml"));
});
