//! `graphene node`: run a witness node on a data directory (see the `node` crate for the layout and
//! the rules it keeps). CLI wiring only: argument parsing, keys, signals, transaction ingress.

use super::CliError;
use clap::Args;
use ledger::crypto::PrivateKey;
use ledger::ids::WitnessId;
use ledger::prefix::Prefix;
use ledger::transaction::{ChainId, SignedTransaction};
use ledger::Pack;
use node::log_targets;
use node::pipeline::{Pacing, Pipeline, PipelineConfig, Refused, SnapshotPolicy, SubmitError, Submitter, Ticket};
use node::{GenesisSource, ReplayStats};
use std::collections::{BTreeMap, VecDeque};
use std::io::BufRead;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Settings come from flags and from `config.toml` in the data directory (written with every key
/// commented out on the first start; `--config FILE` reads another file). A flag given on the
/// command line wins over the file; each file key has the flag's name (`snapshot-every = 100`).
#[derive(Args)]
pub struct NodeArgs {
    /// Config file to read instead of DATA_DIR/config.toml (which is created on first start).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Development chain: the embedded dev genesis, all 11 init witnesses produced here with keys
    /// from the dev password; data dir defaults to ./data/dev.
    #[arg(long)]
    pub dev: bool,
    /// Data directory (journal, index, snapshots, genesis copy).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Genesis JSON file (first start; later starts use the copy in the data dir).
    #[arg(long)]
    pub genesis: Option<PathBuf>,
    /// Chain id override, 64 hex digits (default: sha256 of the genesis text).
    #[arg(long)]
    pub chain_id: Option<String>,
    /// A witness this node produces for (repeatable), e.g. 1.6.3.
    #[arg(long = "witness-id")]
    pub witness_ids: Vec<String>,
    /// A private key in WIF (repeatable); each witness signs with the key matching its signing key.
    #[arg(long = "private-key")]
    pub private_keys: Vec<String>,
    /// Prefix of printed public keys (default TEST with --dev, BTS otherwise).
    #[arg(long)]
    pub prefix: Option<String>,
    /// Discard this block and every later one if the journal is damaged at or after it.
    #[arg(long)]
    pub truncate_corrupt_at: Option<u32>,
    /// Write a snapshot every N blocks (0: only at shutdown) [default: 10000].
    #[arg(long)]
    pub snapshot_every: Option<u32>,
    /// Stop after producing N blocks.
    #[arg(long)]
    pub blocks: Option<u64>,
    /// Do not wait for wall-clock slots: produce each next slot of ours at once (tests,
    /// benchmarks); the chain's time runs ahead of the wall clock.
    #[arg(long)]
    pub fast: bool,
    /// With --fast: wall time between blocks, in milliseconds, so that a --tx-file can keep up
    /// (0: back to back) [default: 0].
    #[arg(long, value_name = "MS", requires = "fast")]
    pub fast_interval_ms: Option<u64>,
    /// Produce even if the head is far behind the wall clock (on by default with --dev).
    #[arg(long)]
    pub enable_stale_production: bool,
    /// Required participation of the last 128 slots, percent (default 33; 0 with --dev).
    #[arg(long)]
    pub required_participation: Option<u32>,
    /// Read signed transactions (one JSON object per line) from this file or FIFO, following it.
    #[arg(long)]
    pub tx_file: Option<PathBuf>,
}

fn failed(e: impl std::fmt::Display) -> CliError {
    CliError::Failed(e.to_string())
}

pub fn parse_chain_id(hex_id: Option<&str>) -> Result<Option<ChainId>, CliError> {
    let Some(s) = hex_id else { return Ok(None) };
    let bytes = hex::decode(s).map_err(|e| CliError::Usage(format!("--chain-id: not hex: {e}")))?;
    let id: [u8; 32] = bytes.try_into().map_err(|_| CliError::Usage("--chain-id: must be 32 bytes".into()))?;
    Ok(Some(ChainId(id)))
}

/// The keys to produce with: dev keys for the init witnesses, or the given WIFs.
fn signing_keys(args: &NodeArgs) -> Result<Vec<PrivateKey>, CliError> {
    let mut keys = Vec::new();
    if args.dev {
        for n in 0..11 {
            keys.push(PrivateKey::from_password(&format!("init{n}"), "active", "dev").map_err(failed)?);
        }
    }
    for wif in &args.private_keys {
        keys.push(PrivateKey::from_wif(wif).map_err(|e| CliError::Usage(format!("--private-key: {e}")))?);
    }
    Ok(keys)
}

/// Pair each of our witnesses with the key matching its on-chain signing key.
fn our_witnesses(
    args: &NodeArgs,
    state: &engine::State,
    keys: &[PrivateKey],
) -> Result<BTreeMap<WitnessId, PrivateKey>, CliError> {
    let mut ids: Vec<WitnessId> = Vec::new();
    for s in &args.witness_ids {
        ids.push(s.parse().map_err(|e| CliError::Usage(format!("--witness-id {s}: {e}")))?);
    }
    if args.dev && ids.is_empty() {
        ids = state.witnesses.iter().map(|(i, _)| WitnessId(i)).collect();
    }
    let mut ours = BTreeMap::new();
    for id in ids {
        let Some(w) = state.witnesses.get(id.0) else {
            return Err(CliError::Usage(format!("--witness-id {id}: no such witness")));
        };
        match keys.iter().find(|k| k.public_key() == w.signing_key) {
            Some(k) => {
                ours.insert(id, *k);
            }
            None if args.dev => {}
            None => return Err(CliError::Usage(format!("witness {id}: no --private-key matches its signing key"))),
        }
    }
    Ok(ours)
}

/// Follow a file or FIFO of JSON-line transactions on a thread and submit each into the
/// runtime (stage 0, like any other client). A full ingress queue is retried after a pause, never
/// dropped; each refusal is a warning (on stderr) once its ticket settles.
fn spawn_tx_submitter(path: PathBuf, submitter: Submitter, stop: Arc<AtomicBool>) -> Result<(), CliError> {
    let file = std::fs::File::open(&path).map_err(|e| CliError::Usage(format!("--tx-file {}: {e}", path.display())))?;
    std::thread::spawn(move || {
        let mut reader = std::io::BufReader::new(file);
        let mut line = String::new();
        let mut pending: VecDeque<(String, Ticket)> = VecDeque::new();
        while !stop.load(Ordering::Acquire) {
            settle_tickets(&mut pending);
            match reader.read_line(&mut line) {
                Ok(0) => std::thread::sleep(Duration::from_millis(100)),
                Ok(_) if !line.ends_with('\n') => continue, // a partly written line: wait for the rest
                Ok(_) => {
                    let text = line.trim();
                    if !text.is_empty() {
                        match serde_json::from_str::<SignedTransaction>(text) {
                            Ok(t) => {
                                let id = t.id().to_string();
                                let mut bytes = t.to_bytes();
                                loop {
                                    match submitter.submit(bytes) {
                                        Ok(ticket) => {
                                            pending.push_back((id, ticket));
                                            break;
                                        }
                                        Err(e @ SubmitError::Busy { .. }) => {
                                            bytes = e.into_bytes();
                                            std::thread::sleep(Duration::from_millis(5));
                                        }
                                        Err(SubmitError::Stopped { .. }) => return,
                                    }
                                }
                            }
                            Err(e) => tracing::warn!(
                                target: log_targets::TX_FILE,
                                error = %e,
                                "--tx-file: skipping a line that is not a transaction: {e}"
                            ),
                        }
                    }
                    line.clear();
                }
                Err(e) => {
                    tracing::error!(
                        target: log_targets::TX_FILE,
                        error = %e,
                        "--tx-file: read failed, no more transactions: {e}"
                    );
                    return;
                }
            }
        }
    });
    Ok(())
}

/// Report the refusals among the settled tickets, oldest first; keep the rest.
fn settle_tickets(pending: &mut VecDeque<(String, Ticket)>) {
    while let Some((id, ticket)) = pending.front_mut() {
        match ticket.try_outcome() {
            None => return,
            Some(Ok(_)) => {}
            Some(Err(Refused::Abandoned)) => {}
            Some(Err(r)) => tracing::warn!(
                target: log_targets::TX_FILE,
                tx_id = %id,
                code = r.code(),
                "transaction {id} refused: {r}"
            ),
        }
        pending.pop_front();
    }
}

/// Check every setting that can be checked without the data dir, so that a bad command line is
/// refused before anything is created. Run on the flags, and again once the config file filled in
/// the rest. Keys and ids are parsed again where they are used; this only finds the bad ones early.
fn validate(args: &NodeArgs) -> Result<(), CliError> {
    for s in &args.witness_ids {
        s.parse::<WitnessId>().map_err(|e| CliError::Usage(format!("--witness-id {}: {e}", super::cut(s))))?;
    }
    for wif in &args.private_keys {
        // The key itself is never echoed.
        PrivateKey::from_wif(wif).map_err(|e| CliError::Usage(format!("--private-key: {e}")))?;
    }
    parse_chain_id(args.chain_id.as_deref())?;
    if let Some(pct) = args.required_participation {
        if pct > 100 {
            return Err(CliError::Usage(format!(
                "--required-participation {pct}: a percentage of the last 128 slots, at most 100"
            )));
        }
    }
    if let Some(path) = &args.genesis {
        if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
            return Err(CliError::Usage(format!("--genesis {}: not a readable file", path.display())));
        }
    }
    if let Some(path) = &args.tx_file {
        let meta =
            std::fs::metadata(path).map_err(|e| CliError::Usage(format!("--tx-file {}: {e}", path.display())))?;
        if meta.is_dir() {
            return Err(CliError::Usage(format!(
                "--tx-file {}: is a directory; give a file or FIFO of JSON transactions, one per line",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Fill every setting the command line left unset from the config file.
fn apply_config(args: &mut NodeArgs, config: super::config::NodeConfig) {
    args.genesis = args.genesis.take().or(config.genesis);
    args.chain_id = args.chain_id.take().or(config.chain_id);
    if args.witness_ids.is_empty() {
        args.witness_ids = config.witness_id;
    }
    if args.private_keys.is_empty() {
        args.private_keys = config.private_key;
    }
    args.snapshot_every = args.snapshot_every.or(config.snapshot_every);
    args.required_participation = args.required_participation.or(config.required_participation);
    args.enable_stale_production |= config.enable_stale_production.unwrap_or(false);
    args.prefix = args.prefix.take().or(config.prefix);
}

pub fn run(mut args: NodeArgs) -> Result<(), CliError> {
    let data_dir = match (&args.data_dir, args.dev) {
        (Some(d), _) => d.clone(),
        (None, true) => PathBuf::from("./data/dev"),
        (None, false) => return Err(CliError::Usage("--data-dir is required without --dev".into())),
    };
    validate(&args)?;
    std::fs::create_dir_all(&data_dir).map_err(|e| failed(format!("cannot create {}: {e}", data_dir.display())))?;
    // Held until this function returns, i.e. for the node's whole life.
    let _lock = super::lock_data_dir(&data_dir)?;
    // Registered before restoring, so a stop request during a long restore is not lost either:
    // SIGINT (Ctrl-C), SIGTERM (service managers) and SIGHUP (a closed terminal) all stop the node
    // the same clean way, after the current block, with a sync, a snapshot and the `stopped` line.
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(sig, Arc::clone(&stop)).map_err(failed)?;
    }
    let config = super::config::load(args.config.as_deref(), &data_dir)?;
    apply_config(&mut args, config);
    validate(&args)?;
    let prefix = match args.prefix.as_deref() {
        Some(p) => p.parse::<Prefix>().map_err(|e| CliError::Usage(e.to_string()))?,
        None if args.dev => Prefix::TEST,
        None => Prefix::BTS,
    };
    let source = match (&args.genesis, args.dev) {
        (Some(p), _) => Some(GenesisSource::File(p.clone())),
        (None, true) => Some(GenesisSource::Dev),
        (None, false) => None,
    };
    let chain_id = parse_chain_id(args.chain_id.as_deref())?;
    let (genesis, chain_id) = node::load_genesis(source.as_ref(), &data_dir, chain_id).map_err(failed)?;
    let chain_id_hex = hex::encode(chain_id.0);
    tracing::info!(target: log_targets::NODE, data_dir = %data_dir.display(), "data dir {}", data_dir.display());
    tracing::info!(target: log_targets::NODE, chain_id = %chain_id_hex, "chain id {chain_id_hex}");
    if args.dev {
        // The dev chain's well-known key, so a newcomer can sign transactions at once.
        let nathan = PrivateKey::from_password("nathan", "active", "dev").map_err(failed)?;
        let public = nathan.public_key().to_string_with_prefix(prefix.as_str());
        tracing::info!(
            target: log_targets::NODE,
            "nathan (1.2.17) active key: private {} public {public}",
            nathan.to_wif()
        );
    }
    let opts = journal::OpenOptions { truncate_corrupt_at: args.truncate_corrupt_at, first_block: 1 };
    let started = std::time::Instant::now();
    let restored =
        node::restore(&data_dir, &genesis, chain_id, opts, true, &mut |_, _: ReplayStats| {}).map_err(failed)?;
    restored.log(started.elapsed());
    let node::Restored { chain, journal, .. } = restored;
    let keys = signing_keys(&args)?;
    let ours = our_witnesses(&args, &chain.state, &keys)?;
    if ours.is_empty() {
        return Err(CliError::Usage("no witness to produce for: give --witness-id and --private-key, or --dev".into()));
    }
    let default_participation = if args.dev { 0 } else { 33 };
    let snapshot_every = args.snapshot_every.unwrap_or(10_000);
    let cfg = PipelineConfig {
        pacing: if args.fast {
            Pacing::Interval(Duration::from_millis(args.fast_interval_ms.unwrap_or(0)))
        } else {
            Pacing::WallClock
        },
        witness_keys: ours,
        required_participation: args.required_participation.unwrap_or(default_participation).min(100) * 100,
        enable_stale_production: args.enable_stale_production || args.dev,
        max_blocks: args.blocks,
        snapshots: Some(SnapshotPolicy { dir: data_dir.clone(), every: snapshot_every }),
        ..Default::default()
    };
    let pipeline = Pipeline::start(chain, journal, cfg).map_err(failed)?;
    if let Some(path) = args.tx_file {
        spawn_tx_submitter(path, pipeline.submitter(), stop.clone())?;
    }
    while !stop.load(Ordering::Acquire) && !pipeline.finished() {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Stop taking input, let the open block seal and the journal sync, then the last snapshot.
    stop.store(true, Ordering::Release);
    let stopped = pipeline.shutdown().map_err(failed)?;
    if let Some(e) = &stopped.journal_error {
        return Err(failed(format!("the journal failed: {e}")));
    }
    let chain = stopped.chain;
    let head = chain.head_num();
    let snapshot_written = snapshot_every > 0 && head.is_multiple_of(snapshot_every);
    if head > 0 && !snapshot_written && stopped.journal.durable_head() >= head {
        let started = std::time::Instant::now();
        let (path, bytes) = node::snapshots::write(&data_dir, &chain.state)
            .map_err(|e| failed(format!("cannot write a snapshot in {}: {e}", data_dir.display())))?;
        node::snapshots::log_written(head, &path, bytes, started.elapsed());
    }
    let state_hash = &chain.state.state_hash;
    tracing::info!(
        target: log_targets::NODE,
        block_num = head,
        %state_hash,
        "stopped head={head} state_hash={state_hash}"
    );
    if let Some(e) = stopped.writer_error {
        return Err(failed(format!("block production stopped: {e}")));
    }
    Ok(())
}
