//! `graphene bench maintenance`: times the maintenance block's fee distribution on a large
//! chain (see `perf::fees`). Prints the report as text, or JSON with `--json`.

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
    /// Print the report as one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(cmd: FeesBenchCmd) -> Result<(), CliError> {
    match cmd {
        FeesBenchCmd::Maintenance(a) => {
            if a.payers > a.accounts {
                return Err(CliError::Usage(format!("--payers {} is more than --accounts {}", a.payers, a.accounts)));
            }
            let report = run_maintenance_bench(MaintenanceBenchConfig {
                accounts: a.accounts,
                payers: a.payers,
                lifetime_members: a.lifetime_members,
            });
            if a.json {
                println!("{}", report.to_json());
            } else {
                println!("{report}");
            }
            Ok(())
        }
    }
}
