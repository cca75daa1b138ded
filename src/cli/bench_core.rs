//! `graphene bench hundred-k` and `graphene bench sigcheck`: the two load benchmarks of
//! bitshares-core's tests/performance (PROTOCOL.md §13), run in-process by the `perf` crate.
//!
//! Owns only the command-line surface: argument parsing, printing the report (in the original's
//! log form) and writing it as JSON with `--json FILE`. The workloads live in `perf::hundred_k`
//! and `perf::sigcheck`. The `bench` subcommand family is shared with `bench matching`
//! (src/cli/bench.rs on another branch); the lead merges the two enums.

use super::CliError;
use clap::{Subcommand, ValueEnum};
use ledger::block::SignedBlock;
use ledger::graph::StateHash;
use ledger::Pack;
use perf::hundred_k::{run_hundred_k, Checks, HundredKConfig};
use perf::hundred_k_journal::{journal_genesis, produce_journal_workload};
use perf::sigcheck::{run_sigcheck, SigcheckConfig};
use std::path::{Path, PathBuf};

/// Which checks `hundred-k` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChecksArg {
    /// As bitshares-core: zero fee schedule, no undo, every check skipped, no blocks.
    None,
    /// Signed transactions in produced blocks: signatures, TaPoS, dedup, fees and undo all on.
    All,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum CoreBenchCmd {
    /// bitshares-core's one_hundred_k_benchmark: 200,000 each of account_create, double
    /// transfer, asset_create and asset_issue (1,000,000 operations), per-phase ops/s.
    HundredK {
        #[arg(long, default_value_t = 200_000, help = "Transactions per phase (operations = 5 x cycles)")]
        cycles: usize,
        #[arg(long, value_enum, default_value_t = ChecksArg::None, help = "Which checks to make")]
        checks: ChecksArg,
        #[arg(long, default_value_t = 1_000, help = "Transactions per block with --checks all")]
        block_size: usize,
        #[command(flatten)]
        run: super::bench::RunArgs,
        #[arg(
            long,
            value_name = "DIR",
            help = "Instead of timing, write the workload as a node data dir (genesis + journal of signed blocks \
                    of --block-size transactions) for `graphene replay --data-dir DIR`"
        )]
        write_data_dir: Option<PathBuf>,
    },
    /// bitshares-core's sigcheck_benchmark: public-key recoveries from one compact signature,
    /// on one thread, on every core, and raw libsecp256k1 for comparison.
    Sigcheck {
        #[arg(long, default_value_t = 100_000, help = "Recoveries per thread")]
        recoveries: usize,
        #[arg(long, default_value_t = 0, help = "Threads of the parallel run (0: one per core)")]
        threads: usize,
        #[command(flatten)]
        run: super::bench::RunArgs,
    },
}

pub fn run(cmd: CoreBenchCmd) -> Result<(), CliError> {
    match cmd {
        CoreBenchCmd::HundredK { cycles, checks, block_size, run, write_data_dir } => {
            if cycles == 0 || block_size == 0 {
                return Err(CliError::Usage("--cycles and --block-size must be at least 1".into()));
            }
            if let Some(dir) = write_data_dir {
                return write_data_dir_workload(&dir, cycles, block_size);
            }
            let checks = match checks {
                ChecksArg::None => Checks::None,
                ChecksArg::All => Checks::All,
            };
            let cfg = HundredKConfig { cycles, checks, block_size };
            super::bench::repeat(
                &run,
                ("ops/s", |r: &perf::hundred_k::Report| r.ops_per_sec()),
                |r| r.to_json(),
                || run_hundred_k(&cfg).map_err(|e| CliError::Failed(e.to_string())),
            )
        }
        CoreBenchCmd::Sigcheck { recoveries, threads, run } => {
            if recoveries == 0 {
                return Err(CliError::Usage("--recoveries must be at least 1".into()));
            }
            let cfg = SigcheckConfig { recoveries, threads };
            let headline: super::bench::Headline<perf::sigcheck::SigcheckReport> =
                ("recoveries/s on one thread", |r| r.ours_single.per_sec());
            super::bench::repeat(
                &run,
                headline,
                |r| r.to_json(),
                || run_sigcheck(&cfg).map_err(|e| CliError::Failed(e.to_string())),
            )
        }
    }
}

/// `hundred-k --write-data-dir DIR`: the workload as a data dir `graphene replay` accepts.
fn write_data_dir_workload(dir: &Path, cycles: usize, block_size: usize) -> Result<(), CliError> {
    let failed = |what: &str, e: &dyn std::fmt::Display| CliError::Failed(format!("{what} {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(|e| failed("cannot create", &e))?;
    let _lock = super::lock_data_dir(dir)?;
    if dir.join(journal::JOURNAL_FILE).exists() {
        return Err(CliError::Usage(format!("{} already holds a journal", dir.display())));
    }
    let (_, text, chain_id) = journal_genesis().map_err(|e| CliError::Failed(e.to_string()))?;
    std::fs::write(dir.join("genesis.json"), &text).map_err(|e| failed("cannot write genesis.json in", &e))?;
    let (mut journal, _) = journal::Journal::open(dir, chain_id.0, journal::OpenOptions::default())
        .map_err(|e| failed("cannot open the journal in", &e))?;
    let started = std::time::Instant::now();
    let mut sink = |block: &SignedBlock, hash: &StateHash| -> Result<(), String> {
        let num = block.block_num();
        journal.append(num, &block.id().0, &hash.0, &block.to_bytes()).map_err(|e| e.to_string())
    };
    let done = produce_journal_workload(cycles, block_size, &mut sink).map_err(|e| CliError::Failed(e.to_string()))?;
    journal.sync().map_err(|e| failed("cannot sync the journal in", &e))?;
    println!(
        "wrote {} blocks, {} transactions, {} operations to {} in {:.1} s",
        done.blocks,
        done.transactions,
        done.operations,
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
