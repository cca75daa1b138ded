//! `graphene bench margin`: times the block whose feed drop margin-calls many positions of one
//! BitAsset against a deep book (see `perf::margin`). Prints the report as text, or JSON with
//! `--json`.

use super::CliError;
use clap::{Args, Subcommand};
use perf::margin::{run_margin_bench, MarginBenchConfig};

/// The BitAsset benchmarks, as `graphene bench` subcommands.
#[derive(Subcommand)]
pub enum MarginBenchCmd {
    /// Time a feed drop that makes `--callable` of many open positions callable against a deep book.
    Margin(MarginArgs),
}

#[derive(Args)]
pub struct MarginArgs {
    /// Positions that stay above the maintenance ratio after the feed drop.
    #[arg(long, default_value_t = 99_000)]
    pub healthy: usize,
    /// Positions the feed drop makes callable.
    #[arg(long, default_value_t = 1_000)]
    pub callable: usize,
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: MarginBenchCmd) -> Result<(), CliError> {
    match cmd {
        MarginBenchCmd::Margin(a) => {
            let report = run_margin_bench(MarginBenchConfig { healthy: a.healthy, callable: a.callable });
            if a.json {
                println!("{}", report.to_json());
            } else {
                println!("{report}");
            }
            Ok(())
        }
    }
}
