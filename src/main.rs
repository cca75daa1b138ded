//! `graphene`: the command-line entry point. CLI wiring only; the work happens in the crates.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc instead of glibc malloc: the apply path allocates and frees millions of small objects
/// (operation payloads, names, authorities); glibc's malloc/free/consolidate took ~20 % of
/// `bench hundred-k` and replay.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "graphene", version, about = "A BitShares 2.0 / Graphene node, state-transition tool and benchmarks")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// How log lines are written: `text` (the message alone, as README "Logs" lists them), `full`
    /// (time, level, target, fields) or `json` (one object per line). Which lines: RUST_LOG
    /// (default `info` for `node`, `warn` for the other commands).
    #[arg(long, global = true, value_enum, default_value_t = cli::logging::LogFormat::Text)]
    log_format: cli::logging::LogFormat,
}

#[derive(Subcommand)]
enum Cmd {
    /// Apply a scenario (genesis, blocks of transactions, queries) and print the results as JSON lines.
    Apply(cli::apply::ApplyArgs),
    /// Encode, decode and sign transactions.
    #[command(subcommand)]
    Tx(cli::tx::TxCmd),
    /// Create, derive and inspect keys.
    #[command(subcommand)]
    Key(cli::key::KeyCmd),
    /// Run a witness node: journal, snapshots, block production.
    Node(cli::node::NodeArgs),
    /// Rebuild state from a node's journal and check every block's state hash.
    Replay(cli::replay::ReplayArgs),
    /// Load benchmarks (matching engine, ...).
    #[command(subcommand)]
    Bench(cli::bench::BenchCmd),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The node's operator lines are its output; the other commands print results, and the
    // runtime's lines (a benchmark drives the same pipeline) would only bury them.
    let default_filter = if matches!(cli.cmd, Cmd::Node(_)) { "info" } else { "warn" };
    let result = cli::logging::install(cli.log_format, default_filter).and_then(|()| match cli.cmd {
        Cmd::Apply(args) => cli::apply::run(args),
        Cmd::Tx(cmd) => cli::tx::run(cmd),
        Cmd::Key(cmd) => cli::key::run(cmd).map_err(cli::CliError::Usage),
        Cmd::Node(args) => cli::node::run(args),
        Cmd::Replay(args) => cli::replay::run(args),
        Cmd::Bench(cmd) => cli::bench::run(cmd),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
