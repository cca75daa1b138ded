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
    /// Write the report as JSON to this file (`-`: to standard output, instead of the text).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write one HdrHistogram `.hgrm` percentile file per latency step (offered rate) into this directory.
    #[arg(long, value_name = "DIR")]
    pub hgrm_dir: Option<PathBuf>,
    /// Draw the latency distribution of every step into this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Run the benchmark N times: each run's report is printed, then the median of the headline
    /// figure with every run's value (`.hgrm` files and the plot are of the last run).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
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
        hgrm_dir: args.report.hgrm_dir.clone(),
        ..Default::default()
    };
    let runs = RunArgs { runs: args.report.runs, json: args.report.json.clone() };
    let headline: Headline<perf::matching::MatchingReport> = ("ops/s", |r| r.throughput_per_sec);
    let report = repeat_keeping_last(
        &runs,
        headline,
        |r| r.to_json(),
        || {
            perf::matching::run_matching_bench(cfg.clone())
                .map_err(|e| CliError::Failed(format!("matching bench: {e}")))
        },
    )?;
    if let Some(path) = &args.report.plot {
        let series: Vec<_> =
            report.latency.iter().map(|r| (format!("{} ops/s offered", r.offered_per_sec), &r.histogram)).collect();
        perf::report::plot_latency(path, "graphene bench matching: latency per command", &series)
            .map_err(|e| CliError::Failed(e.to_string()))?;
    }
    Ok(())
}

/// `--runs N` and `--json FILE` of the benchmarks that report one headline number.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct RunArgs {
    /// Run the benchmark N times: each run's report is printed, then the median of the headline
    /// figure with every run's value.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: u32,
    /// Write the report as JSON to FILE (`-`: to standard output, instead of the text). With
    /// `--runs` above 1: `{"runs": [each report], "median": {...}}`.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// The headline figure of a report: its name (with unit) and value.
pub type Headline<R> = (&'static str, fn(&R) -> f64);

/// Run `run` `args.runs` times, printing each report (`run i/N` before each when N > 1) and then
/// the median of `headline`; write the JSON as `--json` says.
pub fn repeat<R: std::fmt::Display>(
    args: &RunArgs,
    headline: Headline<R>,
    to_json: impl Fn(&R) -> serde_json::Value,
    run: impl FnMut() -> Result<R, CliError>,
) -> Result<(), CliError> {
    repeat_keeping_last(args, headline, to_json, run).map(drop)
}

/// [`repeat`], handing back the last run's report (for the files a latency benchmark writes).
pub fn repeat_keeping_last<R: std::fmt::Display>(
    args: &RunArgs,
    headline: Headline<R>,
    to_json: impl Fn(&R) -> serde_json::Value,
    mut run: impl FnMut() -> Result<R, CliError>,
) -> Result<R, CliError> {
    let json_to_stdout = args.json.as_deref().is_some_and(|p| p.as_os_str() == "-");
    let (name, value_of) = headline;
    let mut reports = Vec::new();
    for i in 1..=args.runs {
        let report = run()?;
        if !json_to_stdout {
            if args.runs > 1 {
                println!("run {i}/{}: {name} {:.0}", args.runs, value_of(&report));
            }
            println!("{report}");
        }
        reports.push(report);
    }
    let values: Vec<f64> = reports.iter().map(value_of).collect();
    let median = median(&values);
    if args.runs > 1 && !json_to_stdout {
        let each: Vec<String> = values.iter().map(|v| format!("{v:.0}")).collect();
        println!("median of {} runs: {name} {median:.0} (runs: {})", args.runs, each.join(" / "));
    }
    if let Some(path) = &args.json {
        let json = if args.runs == 1 {
            to_json(&reports[0])
        } else {
            serde_json::json!({
                "runs": reports.iter().map(&to_json).collect::<Vec<_>>(),
                "median": {name: median},
            })
        };
        if json_to_stdout {
            println!("{json}");
        } else {
            perf::report::write_json(path, &json).map_err(|e| CliError::Failed(e.to_string()))?;
        }
    }
    Ok(reports.pop().expect("at least one run"))
}

/// The median (the mean of the two middle values for an even count).
fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(super::median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(super::median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(super::median(&[7.0]), 7.0);
    }
}
