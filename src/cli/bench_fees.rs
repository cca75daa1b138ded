//! `graphene bench maintenance`: times the maintenance block's fee distribution on a large
//! chain (see `perf::fees`). Prints the report as text; `--json FILE` writes it as JSON (`-`:
//! standard output instead of the text); `--runs N` repeats it and reports the median.

use super::CliError;
use clap::{Args, Subcommand};
use perf::fees::{run_maintenance_bench, MaintenanceBenchConfig};

/// The fee benchmarks, as `graphene bench` subcommands.
#[derive(Subcommand)]
pub enum FeesBenchCmd {
    /// Time the maintenance block that splits the fees of many payers on a chain of many accounts.
    Maintenance(MaintenanceArgs),
}

#[derive(Args)]
pub struct MaintenanceArgs {
    /// Accounts on the chain.
    #[arg(long, default_value_t = 1_000_000)]
    pub accounts: usize,
    /// Accounts that paid a fee in the interval.
    #[arg(long, default_value_t = 100_000)]
    pub payers: usize,
    /// Lifetime members among the accounts (the referrers).
    #[arg(long, default_value_t = 1_000)]
    pub lifetime_members: usize,
    #[command(flatten)]
    pub run: super::bench::RunArgs,
}

pub fn run(cmd: FeesBenchCmd) -> Result<(), CliError> {
    match cmd {
        FeesBenchCmd::Maintenance(a) => {
            if a.payers > a.accounts {
                return Err(CliError::Usage(format!("--payers {} is more than --accounts {}", a.payers, a.accounts)));
            }
            let cfg =
                MaintenanceBenchConfig { accounts: a.accounts, payers: a.payers, lifetime_members: a.lifetime_members };
            let headline: super::bench::Headline<perf::fees::MaintenanceReport> =
                ("maintenance block us", |r| r.maintenance_block.as_secs_f64() * 1e6);
            super::bench::repeat(&a.run, headline, |r| r.to_json(), || Ok(run_maintenance_bench(cfg.clone())))
        }
    }
}
