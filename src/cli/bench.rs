//! `graphene bench ...`: load benchmarks. Each benchmark is one variant of [`BenchCmd`] with its
//! own flags struct and a `run_*` function; add a variant, a struct and one arm in [`run`].
//! The measuring code lives in the `perf` crate; this module only maps flags and prints.

use super::CliError;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum BenchCmd {
    /// The matching engine alone: one order book, a seeded limit/cancel/marketable stream;
    /// throughput, open-loop latency percentiles, and optionally a comparison with lobster.
    Matching(MatchingArgs),
    /// The whole node path with every check on: signed transfers and limit orders from K
    /// submitter threads through the pipeline (verify, single writer, journal fsync, events);
    /// sustained tx/s, confirmation latency, CPU per stage, block fill; `--rates` for open loop.
    Node(super::bench_node::NodeArgs),
    /// The matching mix as limit-order transactions applied by the chain (fees, balances, TaPoS,
    /// duplicate ids, undo, events; signatures skipped); orders/s and per-order latency.
    Dex(super::bench_dex::DexArgs),
    #[command(flatten)]
    Fees(super::bench_fees::FeesBenchCmd),
    #[command(flatten)]
    Core(super::bench_core::CoreBenchCmd),
    #[command(flatten)]
    Margin(super::bench_margin::MarginBenchCmd),
}

#[derive(Args)]
pub struct MatchingArgs {
    /// Seed of the command stream (same seed, same stream).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Number of commands in the stream.
    #[arg(long, default_value_t = 3_000_000)]
    pub commands: usize,
    /// Also run lobster 0.7 and our book on the cancel+new form of the stream.
    #[arg(long)]
    pub compare: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Where a latency benchmark writes its results besides the text report on standard output.
#[derive(Args)]
pub struct ReportArgs {
    /// Write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write one HdrHistogram `.hgrm` percentile file per latency step (offered rate) into this directory.
    #[arg(long, value_name = "DIR")]
    pub hgrm_dir: Option<PathBuf>,
    /// Draw the latency distribution of every step into this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

pub fn run(cmd: BenchCmd) -> Result<(), CliError> {
    match cmd {
        BenchCmd::Matching(args) => run_matching(args),
        BenchCmd::Node(args) => super::bench_node::run(args),
        BenchCmd::Dex(args) => super::bench_dex::run(args),
        BenchCmd::Fees(cmd) => super::bench_fees::run(cmd),
        BenchCmd::Core(cmd) => super::bench_core::run(cmd),
        BenchCmd::Margin(cmd) => super::bench_margin::run(cmd),
    }
}

fn run_matching(args: MatchingArgs) -> Result<(), CliError> {
    if let Some(dir) = &args.report.hgrm_dir {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Usage(format!("cannot create {}: {e}", dir.display())))?;
    }
    let cfg = perf::matching::MatchingBenchConfig {
        seed: args.seed,
        commands: args.commands,
        compare: args.compare,
        hgrm_dir: args.report.hgrm_dir,
        ..Default::default()
    };
    let report =
        perf::matching::run_matching_bench(cfg).map_err(|e| CliError::Failed(format!("matching bench: {e}")))?;
    print!("{report}");
    if let Some(path) = &args.report.json {
        perf::report::write_json(path, &report.to_json()).map_err(|e| CliError::Failed(e.to_string()))?;
    }
    if let Some(path) = &args.report.plot {
        let series: Vec<_> =
            report.latency.iter().map(|r| (format!("{} ops/s offered", r.offered_per_sec), &r.histogram)).collect();
        perf::report::plot_latency(path, "graphene bench matching: latency per command", &series)
            .map_err(|e| CliError::Failed(e.to_string()))?;
    }
    Ok(())
}
