//! `graphene bench maintenance`: times the maintenance block's fee distribution on a large
//! chain (see `perf::fees`). Prints the report as text, or JSON with `--json` (to a file with
//! `--json FILE`).

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
    /// `--json`: print the report as one JSON object instead of text; `--json FILE`: print the
    /// text and write the JSON to FILE.
    #[arg(long, num_args = 0..=1, default_missing_value = "-", value_name = "FILE")]
    pub json: Option<std::path::PathBuf>,
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
            match &a.json {
                Some(p) if p.as_os_str() == "-" => println!("{}", report.to_json()),
                Some(p) => {
                    println!("{report}");
                    perf::report::write_json(p, &report.to_json()).map_err(|e| CliError::Failed(e.to_string()))?;
                }
                None => println!("{report}"),
            }
            Ok(())
        }
    }
}
