//! The data directory and restoring state: the genesis copy, the newest usable snapshot plus the
//! journal tail (or genesis plus the whole journal), and verified replay.
//!
//! Layout of a data directory:
//! - `blocks.journal`, `blocks.index`: the block journal (journal crate); each record is a packed
//!   `signed_block` with its block id and the chained state hash after it.
//! - `snapshot-NNNNNNNNNN.rkyv`: object-graph snapshots (rkyv archives, memory-mapped on
//!   restart) named after the block they cover.
//! - `genesis.json`: the genesis the chain started from (copied on first start), so `graphene
//!   replay --data-dir` needs nothing else.
//!
//! Invariants: the journal is the source of truth; a block is reported `durable` only after the
//! journal's fdatasync returned; a snapshot never names a block that is not durable; every
//! replayed block must reproduce the block id and state hash the journal recorded for it.
//! Production, and the wall clock it reads, is the pipeline's writer (`crate::pipeline`).

use crate::log_targets;
use crate::snapshots;
use engine::chain::SkipFlags;
use engine::Chain;
use journal::{FileStorage, Journal, OpenOptions, RecoveryReport, Storage};
use ledger::block::SignedBlock;
use ledger::genesis::GenesisState;
use ledger::transaction::ChainId;
use ledger::Unpack;
use std::path::{Path, PathBuf};

/// A failure of the node or of replay, with the values that made it fail.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("{0}")]
    Setup(String),
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
    #[error("block {block_num} in the journal does not decode: {detail}")]
    BadPayload { block_num: u32, detail: String },
    #[error("block {block_num} in the journal does not apply: {detail}")]
    BadBlock { block_num: u32, detail: String },
    #[error("block {block_num} diverges: the journal records {what} {recorded}, replay computed {computed}")]
    Divergence { block_num: u32, what: &'static str, recorded: String, computed: String },
    #[error("cannot write a snapshot in {dir}: {source}")]
    Snapshot { dir: PathBuf, source: std::io::Error },
}

/// Where the genesis comes from.
pub enum GenesisSource {
    Dev,
    File(PathBuf),
}

/// Load the genesis and its chain id (sha256 of the text unless overridden). A genesis file is
/// copied into the data directory on first start; later starts without `--genesis` use the copy.
pub fn load_genesis(
    source: Option<&GenesisSource>,
    data_dir: &Path,
    chain_id: Option<ChainId>,
) -> Result<(GenesisState, ChainId), NodeError> {
    let copy = data_dir.join("genesis.json");
    let text = match source {
        Some(source) => {
            let text = match source {
                GenesisSource::Dev => ledger::genesis::DEV_GENESIS_JSON.to_string(),
                GenesisSource::File(p) => std::fs::read_to_string(p)
                    .map_err(|e| NodeError::Setup(format!("cannot read genesis {}: {e}", p.display())))?,
            };
            if !copy.exists() {
                std::fs::write(&copy, &text)
                    .map_err(|e| NodeError::Setup(format!("cannot write {}: {e}", copy.display())))?;
            }
            text
        }
        None => std::fs::read_to_string(&copy).map_err(|e| {
            NodeError::Setup(format!(
                "no --genesis given and cannot read {}: {e} (use --dev or --genesis FILE)",
                copy.display()
            ))
        })?,
    };
    let genesis: GenesisState =
        serde_json::from_str(&text).map_err(|e| NodeError::Setup(format!("genesis does not parse: {e}")))?;
    let id = chain_id.unwrap_or_else(|| engine::genesis::chain_id_of(&genesis, &text));
    Ok((genesis, id))
}

/// The skip flags of replay: blocks in the journal were validated when they were accepted, so
/// replay checks only what the state hash cannot (as bitshares-core's replay skips signatures).
/// `dupe` stays off: skipping it also skips recording each transaction in the de-duplication
/// window (2.7.x), and that record is part of the state hash the journal holds.
pub const REPLAY_SKIP: SkipFlags =
    SkipFlags { signatures: true, tapos: true, dupe: false, fee_schedule: true, block_signature: true };

/// What restoring found and did.
pub struct Restored<S: Storage = FileStorage> {
    pub chain: Chain,
    pub journal: Journal<S>,
    pub report: RecoveryReport,
    /// The block of the snapshot restored from, if any.
    pub snapshot: Option<u32>,
    pub stats: ReplayStats,
    /// Snapshots skipped, with the reason.
    pub skipped_snapshots: Vec<String>,
    /// Files in the data dir that are in the way (leftover snapshot files, snapshots past the
    /// journal head): deleted when restoring with `repair`, otherwise only listed.
    pub stale_files: Vec<PathBuf>,
}

impl<S: Storage> Restored<S> {
    /// The operator lines of a restore (`graphene node` at start; `graphene replay` prints its own
    /// summary instead): what opening the journal found and did, each snapshot skipped, and
    /// `restored head=N from=... replayed_blocks=N ms=T state_hash=H`, `took` being the restore's
    /// wall time.
    pub fn log(&self, took: std::time::Duration) {
        let report = &self.report;
        let repaired = report.torn_tail_bytes_cut > 0 || report.corrupt_cut.is_some() || report.index_rebuilt;
        if repaired {
            tracing::warn!(
                target: log_targets::JOURNAL,
                head = report.head,
                blocks = report.blocks,
                torn_tail_bytes_cut = report.torn_tail_bytes_cut,
                index_rebuilt = report.index_rebuilt,
                "{report}"
            );
        } else {
            tracing::info!(target: log_targets::JOURNAL, head = report.head, blocks = report.blocks, "{report}");
        }
        for reason in &self.skipped_snapshots {
            tracing::warn!(target: log_targets::SNAPSHOT, "snapshot skipped: {reason}");
        }
        let from = self.snapshot.map_or("genesis".to_string(), |n| format!("snapshot {n}"));
        let (head, blocks) = (self.chain.head_num(), self.stats.blocks);
        let ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
        let state_hash = &self.chain.state.state_hash;
        tracing::info!(
            target: log_targets::NODE,
            block_num = head,
            from = %from,
            replayed_blocks = blocks,
            ms,
            %state_hash,
            "restored head={head} from={from} replayed_blocks={blocks} ms={ms} state_hash={state_hash}"
        );
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ReplayStats {
    pub blocks: u64,
    pub ops: u64,
}

/// Open the journal and rebuild state: from the newest usable snapshot (if `use_snapshot`) plus
/// the journal tail, or from genesis plus the whole journal. `progress(head_done, stats)` is
/// called after every block. Undo is enabled on the returned chain.
pub fn restore(
    data_dir: &Path,
    genesis: &GenesisState,
    chain_id: ChainId,
    opts: OpenOptions,
    use_snapshot: bool,
    progress: &mut dyn FnMut(u32, ReplayStats),
) -> Result<Restored, NodeError> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| NodeError::Setup(format!("cannot create data dir {}: {e}", data_dir.display())))?;
    restore_in(FileStorage, data_dir, genesis, chain_id, opts, use_snapshot, progress)
}

/// [`restore`] on the journal opened through `storage`; with [`journal::ReadOnlyStorage`] nothing
/// in the data dir is created, changed or deleted (stale files are listed in
/// [`Restored::stale_files`] instead), which is how `graphene replay` verifies without `--repair`.
pub fn restore_in<S: Storage + Sync>(
    storage: S,
    data_dir: &Path,
    genesis: &GenesisState,
    chain_id: ChainId,
    opts: OpenOptions,
    use_snapshot: bool,
    progress: &mut dyn FnMut(u32, ReplayStats),
) -> Result<Restored<S>, NodeError>
where
    S::File: Sync,
{
    let writable = storage.writes_to_disk();
    let (journal, report) = Journal::open_in(storage, data_dir, chain_id.0, opts)?;
    let mut skipped = Vec::new();
    let mut base = None;
    let (list, mut stale_files) = snapshots::scan(data_dir, writable)
        .map_err(|e| NodeError::Setup(format!("cannot list {}: {e}", data_dir.display())))?;
    for (num, path) in list {
        if num > journal.head() {
            // The journal was cut below it (torn tail, --truncate-corrupt-at): unusable.
            let verb = if writable { "deleted" } else { "left in place" };
            skipped.push(format!("{} is past the journal head {}; {verb}", path.display(), journal.head()));
            if writable {
                let _ = std::fs::remove_file(&path);
            }
            stale_files.push(path);
            continue;
        }
        if !use_snapshot || base.is_some() {
            continue;
        }
        match snapshots::load(&path) {
            Ok((header, state)) => {
                let rec = journal.read(num)?;
                if rec.block_id != header.block_id || rec.state_hash != header.state_hash.0 {
                    skipped.push(format!("{}: does not match the journal's block {num}", path.display()));
                } else if state.chain_id() != chain_id {
                    skipped.push(format!("{}: belongs to another chain", path.display()));
                } else {
                    base = Some((num, state));
                }
            }
            Err(e) => skipped.push(e),
        }
    }
    let snapshot = base.as_ref().map(|(n, _)| *n);
    let state = match base {
        Some((_, state)) => state,
        None => engine::genesis::build(genesis, chain_id).map_err(|e| NodeError::Setup(format!("genesis: {e}")))?,
    };
    let mut chain = Chain::new(state);
    let stats = replay(&mut chain, &journal, progress)?;
    Ok(Restored { chain, journal, report, snapshot, stats, skipped_snapshots: skipped, stale_files })
}

/// Apply every journal block after the chain's head, with undo disabled and the checks of
/// [`REPLAY_SKIP`] off, verifying each block's id and recorded state hash. Stops at the first
/// divergence, naming the block.
pub fn replay<S: Storage + Sync>(
    chain: &mut Chain,
    journal: &Journal<S>,
    progress: &mut dyn FnMut(u32, ReplayStats),
) -> Result<ReplayStats, NodeError>
where
    S::File: Sync,
{
    let saved = chain.skip;
    chain.skip = REPLAY_SKIP;
    chain.set_undo_enabled(false);
    let result = replay_inner(chain, journal, progress);
    chain.set_undo_enabled(true);
    chain.skip = saved;
    result
}

fn replay_inner<S: Storage + Sync>(
    chain: &mut Chain,
    journal: &Journal<S>,
    progress: &mut dyn FnMut(u32, ReplayStats),
) -> Result<ReplayStats, NodeError>
where
    S::File: Sync,
{
    let mut stats = ReplayStats::default();
    let from = chain.head_num() + 1;
    if from > journal.head() {
        return Ok(stats);
    }
    if from < journal.first_block() {
        return Err(NodeError::Setup(format!(
            "the journal starts at block {} but state is at block {}",
            journal.first_block(),
            from - 1
        )));
    }
    // Decoding a block and hashing its transactions (ids, merkle root) need no state: a scoped
    // thread does them for the next blocks while this one applies the current block, feeding a
    // bounded channel (back-pressure) in journal order. Blocks are dropped on that thread too.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Decoded, NodeError>>(DECODE_AHEAD);
    let (drop_tx, drop_rx) = std::sync::mpsc::channel::<SignedBlock>();
    std::thread::scope(|scope| {
        scope.spawn(move || decode_blocks(journal, from, tx, &drop_rx));
        let result = apply_decoded(chain, &rx, &drop_tx, &mut stats, progress);
        // Stop the decoder early on error: it sees the closed channel on its next send.
        drop(rx);
        drop(drop_tx);
        result
    })?;
    Ok(stats)
}

/// Blocks decoded ahead of the one being applied.
const DECODE_AHEAD: usize = 32;

/// One journal record, decoded, with its digests.
struct Decoded {
    block_num: u32,
    block_id: [u8; 20],
    state_hash: [u8; 32],
    block: SignedBlock,
    digests: ledger::block::BlockDigests,
    /// Every transaction's `validate()` passed.
    validated: bool,
}

/// The decode thread of [`replay_inner`]: read, decode and digest every record from `from` on.
fn decode_blocks<S: Storage>(
    journal: &Journal<S>,
    from: u32,
    out: std::sync::mpsc::SyncSender<Result<Decoded, NodeError>>,
    applied: &std::sync::mpsc::Receiver<SignedBlock>,
) {
    let mut it = match journal.iter_from(from) {
        Ok(it) => it,
        Err(e) => {
            let _ = out.send(Err(e.into()));
            return;
        }
    };
    while let Some(rec) = it.next_ref() {
        while let Ok(done) = applied.try_recv() {
            drop(done);
        }
        let decoded = rec.map_err(NodeError::from).and_then(|rec| {
            let block_num = rec.block_num;
            let block = SignedBlock::from_bytes(rec.payload)
                .map_err(|e| NodeError::BadPayload { block_num, detail: e.to_string() })?;
            let digests = block.digests();
            // Stateless, so done here; a block with an invalid transaction is left to the applying
            // thread, which then validates and reports it exactly as without this.
            let validated = block.transactions.iter().all(|t| t.signed.validate().is_ok());
            Ok(Decoded { block_num, block_id: rec.block_id, state_hash: rec.state_hash, block, digests, validated })
        });
        let failed = decoded.is_err();
        if out.send(decoded).is_err() || failed {
            return;
        }
    }
    // Close the block channel first (the applier's loop ends on it), then free what it applies.
    drop(out);
    for done in applied.iter() {
        drop(done);
    }
}

/// The applying side of [`replay_inner`].
fn apply_decoded(
    chain: &mut Chain,
    blocks: &std::sync::mpsc::Receiver<Result<Decoded, NodeError>>,
    applied: &std::sync::mpsc::Sender<SignedBlock>,
    stats: &mut ReplayStats,
    progress: &mut dyn FnMut(u32, ReplayStats),
) -> Result<(), NodeError> {
    for decoded in blocks.iter() {
        let Decoded { block_num, block_id, state_hash, block, digests, validated } = decoded?;
        chain
            .apply_block_with(&block, &digests, validated)
            .map_err(|e| NodeError::BadBlock { block_num, detail: e.to_string() })?;
        let id = chain.head_id();
        if id.0 != block_id {
            return Err(NodeError::Divergence {
                block_num,
                what: "block id",
                recorded: hex::encode(block_id),
                computed: id.to_string(),
            });
        }
        if chain.state.state_hash.0 != state_hash {
            return Err(NodeError::Divergence {
                block_num,
                what: "state hash",
                recorded: hex::encode(state_hash),
                computed: chain.state.state_hash.to_string(),
            });
        }
        stats.blocks += 1;
        stats.ops += block.transactions.iter().map(|t| t.signed.operations.len() as u64).sum::<u64>();
        progress(block_num, *stats);
        // Freed on the decode thread.
        let _ = applied.send(block);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ledger::time::TimePointSec;
    use ledger::Pack;

    fn dev() -> (GenesisState, ChainId) {
        let dir = tempfile::tempdir().unwrap();
        load_genesis(Some(&GenesisSource::Dev), dir.path(), None).unwrap()
    }

    fn dev_chain() -> Chain {
        let (genesis, chain_id) = dev();
        let mut chain = Chain::new(engine::genesis::build(&genesis, chain_id).unwrap());
        chain.skip.block_signature = true;
        chain
    }

    #[test]
    fn replay_stops_at_the_first_block_whose_recorded_state_hash_differs() {
        let (genesis, chain_id) = dev();
        let dir = tempfile::tempdir().unwrap();
        let (mut journal, _) = Journal::open(dir.path(), chain_id.0, OpenOptions::default()).unwrap();
        let mut chain = dev_chain();
        for _ in 0..5 {
            let t = chain.slot_time(1);
            let block = chain.produce_block(t, &[], None).unwrap().block;
            let mut hash = chain.state.state_hash.0;
            if block.block_num() == 4 {
                hash[0] ^= 1;
            }
            journal.append(block.block_num(), &block.id().0, &hash, &block.to_bytes()).unwrap();
        }
        journal.sync().unwrap();
        drop(journal);
        let err = restore(dir.path(), &genesis, chain_id, OpenOptions::default(), false, &mut |_, _| {})
            .err()
            .expect("block 4 diverges");
        match err {
            NodeError::Divergence { block_num, what, .. } => assert_eq!((block_num, what), (4, "state hash")),
            other => panic!("expected a divergence, got {other}"),
        }
    }

    #[test]
    fn a_first_block_after_a_year_of_missed_slots_counts_no_witness_misses() {
        let mut chain = dev_chain();
        let year = 365 * 24 * 3600;
        let t = TimePointSec(chain.slot_time(1).0 + year);
        let slot = chain.slot_at_time(t);
        assert_eq!(slot, year / 5 + 1);
        chain.produce_block(t, &[], None).unwrap();
        assert_eq!(chain.head_num(), 1);
        assert_eq!(chain.state.dgp().current_aslot, u64::from(slot));
        // More missed slots than active witnesses: nobody is charged (db_witness_schedule.cpp).
        assert!(chain.state.witnesses.iter().all(|(_, w)| w.total_missed == 0));
    }
}
