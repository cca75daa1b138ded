//! `graphene replay --data-dir DIR [--from-snapshot]`: rebuild state from genesis (or the newest
//! snapshot) by streaming the journal, checking every block's recorded id and state hash; stops
//! at the first divergence naming the block. Prints a summary line at the end.

use super::node::parse_chain_id;
use super::CliError;
use clap::Args;
use node::{GenesisSource, ReplayStats};
use std::io::IsTerminal;
use std::path::PathBuf;

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
}

pub fn run(args: ReplayArgs) -> Result<(), CliError> {
    let source = args.genesis.clone().map(GenesisSource::File);
    let chain_id = parse_chain_id(args.chain_id.as_deref())?;
    let (genesis, chain_id) =
        node::load_genesis(source.as_ref(), &args.data_dir, chain_id).map_err(|e| CliError::Failed(e.to_string()))?;
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{elapsed_precise} block {pos} {per_sec} {msg}")
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
    let opts = journal::OpenOptions::default();
    let restored = node::restore(&args.data_dir, &genesis, chain_id, opts, args.from_snapshot, &mut progress)
        .map_err(|e| CliError::Failed(e.to_string()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
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
