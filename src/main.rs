//! `graphene`: the command-line entry point. CLI wiring only; the work happens in the crates.

mod cli;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "graphene", version, about = "A BitShares 2.0 / Graphene node, state-transition tool and benchmarks")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
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
    /// Load benchmarks (hundred-k, sigcheck).
    #[command(subcommand)]
    Bench(cli::bench_core::CoreBenchCmd),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.cmd {
        Cmd::Apply(args) => cli::apply::run(args),
        Cmd::Tx(cmd) => cli::tx::run(cmd),
        Cmd::Key(cmd) => cli::key::run(cmd).map_err(cli::CliError::Usage),
        Cmd::Bench(cmd) => cli::bench_core::run(cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
