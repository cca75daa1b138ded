//! `graphene bench node`: maps flags to `perf::node::NodeBenchConfig`, prints the report and
//! writes it (`--json FILE`, `--hgrm-dir DIR`, `--plot FILE.svg`) through `perf::report`.

use super::CliError;
use clap::Args;
use perf::node::{run_node_bench, NodeBenchConfig};
use perf::report;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args)]
pub struct NodeArgs {
    /// Generated, pre-funded accounts that sign the load.
    #[arg(long, default_value_t = 1_000)]
    pub accounts: usize,
    /// Submitter threads (K).
    #[arg(long, default_value_t = 2)]
    pub submitters: usize,
    /// Seconds of the run (closed loop) or of each rate step (open loop).
    #[arg(long, default_value_t = 10.0)]
    pub duration: f64,
    /// Percent of limit orders in the mix (the rest are transfers).
    #[arg(long, default_value_t = 30)]
    pub orders_percent: u8,
    /// Wall milliseconds between blocks (default: the chain's block_interval).
    #[arg(long)]
    pub block_interval_ms: Option<u64>,
    /// Verify-stage threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub verify_threads: usize,
    /// Open loop: offered rates in tx/s, one step each (e.g. 5000,10000,20000).
    #[arg(long, value_delimiter = ',')]
    pub rates: Vec<u64>,
    /// The all-core sigcheck recoveries/s to compare with (default: measure it).
    #[arg(long)]
    pub sigcheck_ceiling: Option<f64>,
    /// Capacity of the ingress queue.
    #[arg(long, default_value_t = 65_536)]
    pub ingress_capacity: usize,
    /// Seed of the transaction stream.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Transactions to sign beforehand for the closed loop (default: 1.25 times the sigcheck
    /// ceiling's worth for the duration).
    #[arg(long)]
    pub presign: Option<usize>,
    /// Journal directory (default: a temporary one, removed afterwards).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Run without the read replica (graphene node keeps one): the writer then does not copy
    /// each block's changed objects, which shows what the replica costs it.
    #[arg(long)]
    pub no_replica: bool,
    #[command(flatten)]
    pub report: super::bench::ReportArgs,
}

fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::Failed(e.to_string())
}

pub fn run(a: NodeArgs) -> Result<(), CliError> {
    if !(a.duration > 0.0 && a.duration.is_finite()) || a.submitters == 0 || a.accounts < 2 {
        return Err(CliError::Usage("--duration must be > 0, --submitters >= 1, --accounts >= 2".into()));
    }
    if a.orders_percent > 100 || a.rates.contains(&0) {
        return Err(CliError::Usage("--orders-percent is at most 100 and every rate at least 1".into()));
    }
    let cfg = NodeBenchConfig {
        accounts: a.accounts,
        submitters: a.submitters,
        duration: Duration::from_secs_f64(a.duration),
        orders_percent: a.orders_percent,
        block_interval: a.block_interval_ms.map(Duration::from_millis),
        verify_threads: a.verify_threads,
        rates: a.rates,
        sigcheck_ceiling: a.sigcheck_ceiling,
        ingress_capacity: a.ingress_capacity,
        seed: a.seed,
        data_dir: a.data_dir,
        presign: a.presign,
        read_replica: !a.no_replica,
    };
    let runs = super::bench::RunArgs { runs: a.report.runs, json: a.report.json.clone() };
    // The headline is the first step's sustained rate (the closed loop, or the lowest offered rate).
    let headline: super::bench::Headline<perf::node::NodeBenchReport> =
        ("tx/s", |r| r.steps.first().map_or(0.0, |s| s.tps()));
    let r =
        super::bench::repeat_keeping_last(&runs, headline, |r| r.to_json(), || run_node_bench(&cfg).map_err(failed))?;
    let names: Vec<String> = r
        .steps
        .iter()
        .map(|s| s.offered_per_sec.map_or("node-closed-loop".into(), |rate| format!("node-{rate}tps")))
        .collect();
    if let Some(dir) = &a.report.hgrm_dir {
        std::fs::create_dir_all(dir).map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
        for (s, n) in r.steps.iter().zip(&names) {
            report::write_hgrm(&dir.join(format!("{n}.hgrm")), &s.latency).map_err(failed)?;
        }
    }
    if let Some(p) = &a.report.plot {
        let series: Vec<_> = r.steps.iter().map(|s| (s.name(), &s.latency)).collect();
        report::plot_latency(p, "graphene bench node: confirmation latency (submit -> durable)", &series)
            .map_err(failed)?;
    }
    Ok(())
}
