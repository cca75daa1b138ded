//! `graphene bench margin`: times the block whose feed drop margin-calls many positions of one
//! BitAsset against a deep book (see `perf::margin`). Prints the report as text; `--json FILE`
//! writes it as JSON (`-`: standard output instead of the text); `--runs N` repeats it and
//! reports the median.

use super::CliError;
use clap::{Args, Subcommand};
use perf::margin::{run_margin_bench, MarginBenchConfig};
use perf::margin_flow::{run_margin_flow, FlowConfig};

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
    /// Instead of the feed drop, run this many limit orders of the matching mix through the engine
    /// in the margin-callable market (`--healthy` positions far above the maintenance ratio plus
    /// `--near` that the alternating feed makes callable); prints orders/s.
    #[arg(long, value_name = "ORDERS")]
    pub flow: Option<usize>,
    /// Positions near the maintenance ratio in `--flow` mode.
    #[arg(long, default_value_t = 2_000)]
    pub near: usize,
    /// Orders per block in `--flow` mode.
    #[arg(long, default_value_t = 500)]
    pub per_block: usize,
    /// Seed of the `--flow` order stream.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[command(flatten)]
    pub run: super::bench::RunArgs,
}

pub fn run(cmd: MarginBenchCmd) -> Result<(), CliError> {
    match cmd {
        MarginBenchCmd::Margin(a) if a.flow.is_some() => {
            let cfg = FlowConfig {
                healthy: a.healthy,
                near: a.near,
                orders: a.flow.unwrap_or_default(),
                per_block: a.per_block,
                seed: a.seed,
            };
            if cfg.per_block == 0 {
                return Err(CliError::Usage("--per-block must be at least 1".into()));
            }
            let headline: super::bench::Headline<perf::margin_flow::FlowReport> = ("orders/s", |r| r.ops_per_sec());
            super::bench::repeat(&a.run, headline, |r| r.to_json(), || Ok(run_margin_flow(cfg.clone())))
        }
        MarginBenchCmd::Margin(a) => {
            let cfg = MarginBenchConfig { healthy: a.healthy, callable: a.callable };
            let headline: super::bench::Headline<perf::margin::MarginReport> =
                ("feed-drop block us", |r| r.feed_drop_block.as_secs_f64() * 1e6);
            super::bench::repeat(&a.run, headline, |r| r.to_json(), || Ok(run_margin_bench(cfg.clone())))
        }
    }
}
