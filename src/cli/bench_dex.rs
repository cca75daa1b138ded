//! `graphene bench dex`: the matching mix as limit-order transactions applied by the chain, as
//! `graphene node` applies them (see `perf::dex`). Maps flags, prints the report.

use super::CliError;
use clap::Args;
use perf::dex::{run_dex, DexConfig};

#[derive(Args)]
pub struct DexArgs {
    /// Number of commands of the matching mix to send as transactions (one order each).
    #[arg(long, default_value_t = 1_000_000)]
    pub orders: usize,
    /// Seed of the command stream (same seed, same stream).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Transactions per block (each block is opened, filled by pushes and sealed).
    #[arg(long, default_value_t = 2_000)]
    pub block_orders: usize,
    /// Funded accounts placing the orders (order `id` is placed by account `id mod N`).
    #[arg(long, default_value_t = 1_000)]
    pub accounts: usize,
    #[command(flatten)]
    pub run: super::bench::RunArgs,
}

pub fn run(args: DexArgs) -> Result<(), CliError> {
    if args.block_orders == 0 || args.accounts == 0 {
        return Err(CliError::Usage("--block-orders and --accounts must be at least 1".into()));
    }
    let cfg =
        DexConfig { orders: args.orders, seed: args.seed, block_orders: args.block_orders, accounts: args.accounts };
    let headline: super::bench::Headline<perf::dex::DexReport> = ("orders/s", |r| r.orders_per_sec());
    super::bench::repeat(
        &args.run,
        headline,
        |r| r.to_json(),
        || Ok(run_dex(cfg.clone()).map_err(|e| CliError::Failed(format!("dex bench setup: {e}")))?.report),
    )
}
