//! `graphene replay --data-dir DIR [--from-snapshot] [--repair [--truncate-corrupt-at N]]`: rebuild
//! state from genesis (or the newest usable snapshot) by streaming the journal, checking every
//! block's recorded id and state hash; stops at the first divergence naming the block. Prints a
//! summary line at the end.
//!
//! Without `--repair` replay only reads: every file is opened read-only, nothing in the data dir is
//! created, changed, renamed or deleted (so a read-only copy can be checked), and whatever a repair
//! would change (a torn tail, a stale index, leftover files) is printed as `found: ...` with the
//! command that repairs it. With `--repair` replay takes the data dir's lock, makes those changes
//! and prints each one as `repaired: ...`. Every snapshot it passes over is printed with the reason.

use super::node::parse_chain_id;
use super::CliError;
use clap::Args;
use journal::{FileStorage, ReadOnlyStorage, RecoveryReport, Storage};
use ledger::genesis::GenesisState;
use ledger::transaction::ChainId;
use node::{ReplayStats, Restored};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ReplayArgs {
    /// Data directory of a node.
    #[arg(long)]
    pub data_dir: PathBuf,
    /// Start from the newest usable snapshot instead of genesis.
    #[arg(long)]
    pub from_snapshot: bool,
    /// Genesis file (default: the copy in the data dir).
    #[arg(long)]
    pub genesis: Option<PathBuf>,
    /// Chain id override, as given to the node.
    #[arg(long)]
    pub chain_id: Option<String>,
    /// Repair what replay finds: cut a torn tail, rewrite a stale index, delete leftover and stale
    /// snapshot files; each change is printed. Without it replay changes nothing.
    #[arg(long)]
    pub repair: bool,
    /// With --repair: discard this block and every later one if the journal is damaged at or after it.
    #[arg(long, requires = "repair")]
    pub truncate_corrupt_at: Option<u32>,
}

fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::Failed(e.to_string())
}

/// The genesis and chain id, read without writing anything (unlike the node, replay does not copy
/// `--genesis` into the data dir).
fn genesis(args: &ReplayArgs) -> Result<(GenesisState, ChainId), CliError> {
    let path = args.genesis.clone().unwrap_or_else(|| args.data_dir.join("genesis.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let advice =
            if args.genesis.is_some() { "" } else { "; give --genesis FILE (the genesis the node started from)" };
        CliError::Usage(format!("cannot read genesis {}: {e}{advice}", path.display()))
    })?;
    let genesis: GenesisState = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("genesis {} does not parse: {e}", path.display())))?;
    let chain_id =
        parse_chain_id(args.chain_id.as_deref())?.unwrap_or_else(|| engine::genesis::chain_id_of(&genesis, &text));
    Ok((genesis, chain_id))
}

/// Blocks in the journal as its index file claims (for the progress bar's total and ETA only).
fn expected_blocks(dir: &Path) -> u64 {
    std::fs::metadata(dir.join(journal::INDEX_FILE)).map_or(0, |m| m.len() / journal::format::INDEX_ENTRY_LEN as u64)
}

pub fn run(args: ReplayArgs) -> Result<(), CliError> {
    let dir = &args.data_dir;
    if !dir.is_dir() {
        return Err(CliError::Usage(format!("--data-dir {}: not a directory", dir.display())));
    }
    if !dir.join(journal::JOURNAL_FILE).is_file() {
        return Err(CliError::Usage(format!(
            "{} holds no block journal ({}): nothing to replay",
            dir.display(),
            journal::JOURNAL_FILE
        )));
    }
    let (genesis, chain_id) = genesis(&args)?;
    let _lock = if args.repair { Some(super::lock_data_dir(dir)?) } else { None };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(expected_blocks(dir));
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{elapsed_precise} block {pos}/{len} ({percent}%) {per_sec} eta {eta} {msg}",
            )
            .expect("a valid template"),
        );
        bar
    });
    let started = std::time::Instant::now();
    let cpu_started = perf::hundred_k::thread_cpu_time();
    let mut progress = |num: u32, stats: ReplayStats| {
        if let Some(bar) = &bar {
            if num.is_multiple_of(256) {
                bar.set_position(u64::from(num));
                let secs = started.elapsed().as_secs_f64().max(1e-9);
                bar.set_message(format!("{:.0} ops/s", stats.ops as f64 / secs));
            }
        }
    };
    let opts = journal::OpenOptions { truncate_corrupt_at: args.truncate_corrupt_at, first_block: 1 };
    if args.repair {
        let r = node::restore_in(FileStorage, dir, &genesis, chain_id, opts, args.from_snapshot, &mut progress);
        summary(r.map_err(failed)?, &args, bar, started, cpu_started)
    } else {
        let r = node::restore_in(ReadOnlyStorage, dir, &genesis, chain_id, opts, args.from_snapshot, &mut progress);
        summary(r.map_err(failed)?, &args, bar, started, cpu_started)
    }
}

/// What recovery changed (`--repair`) or would change (read-only), one line each.
fn changes(report: &RecoveryReport, stale: &[PathBuf], repair: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let path = report.path.display();
    if report.torn_tail_bytes_cut > 0 {
        let (n, head) = (report.torn_tail_bytes_cut, report.head);
        lines.push(if repair {
            format!("repaired: cut a torn tail of {n} bytes after block {head} from {path}")
        } else {
            format!(
                "found: a torn tail of {n} bytes after block {head} in {path} (a crash during an append); left \
                 as is, replay read up to block {head}; `graphene replay --repair` cuts it (so does `graphene node`)"
            )
        });
    }
    if let Some(cut) = &report.corrupt_cut {
        lines.push(format!(
            "repaired: block {} was damaged ({}); discarded blocks {} to the end ({} bytes) from {path}",
            cut.damaged_block, cut.reason, cut.cut_from_block, cut.bytes_cut
        ));
    }
    if report.index_rebuilt {
        let index = report.path.with_file_name(journal::INDEX_FILE);
        lines.push(if repair {
            format!("repaired: rewrote the index {} ({} entries)", index.display(), report.index_entries_written)
        } else {
            format!(
                "found: the index {} is out of step with the journal; left as is, replay used a corrected copy \
                 in memory; `graphene replay --repair` rewrites it",
                index.display()
            )
        });
    }
    for file in stale {
        lines.push(if repair {
            format!("repaired: deleted {}", file.display())
        } else {
            format!("found: {} is stale; left as is; `graphene replay --repair` deletes it", file.display())
        });
    }
    if repair && lines.is_empty() {
        lines.push("repaired: nothing needed repair".to_string());
    }
    lines
}

fn summary<S: Storage>(
    restored: Restored<S>,
    args: &ReplayArgs,
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    cpu_started: Option<std::time::Duration>,
) -> Result<(), CliError> {
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    for line in changes(&restored.report, &restored.stale_files, args.repair) {
        println!("{line}");
    }
    for reason in &restored.skipped_snapshots {
        println!("snapshot skipped: {reason}");
    }
    if args.from_snapshot && restored.snapshot.is_none() {
        println!("no usable snapshot: replayed from genesis");
    }
    // CPU time of this thread (the one applying blocks; decoding runs on another), so a run on a
    // shared machine can be read apart from the time it waited for a core.
    let cpu = cpu_started.zip(perf::hundred_k::thread_cpu_time()).map(|(a, b)| b.saturating_sub(a).as_secs_f64());
    let cpu_text = cpu.map_or(String::new(), |c| format!(" apply_cpu_seconds={c:.3}"));
    let stats = restored.stats;
    println!(
        "replayed blocks={} ops={} seconds={secs:.3}{cpu_text} blocks/s={:.0} ops/s={:.0} from={} head={} state_hash={}",
        stats.blocks,
        stats.ops,
        stats.blocks as f64 / secs.max(1e-9),
        stats.ops as f64 / secs.max(1e-9),
        restored.snapshot.map_or("genesis".to_string(), |n| format!("snapshot-{n}")),
        restored.chain.head_num(),
        restored.chain.state.state_hash
    );
    // Freeing millions of objects one by one would take a sizeable share of the run (6 % of a
    // 1M-operation replay); the process exits next and the OS takes the memory back at once.
    std::mem::forget(restored.chain);
    Ok(())
}
