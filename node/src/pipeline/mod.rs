//! The node's one runtime: single writer, thread per stage, bounded hand-offs (DESIGN.md "The
//! runtime"). `graphene node`, `graphene bench node` and the end-to-end tests all run it. Wired in
//! one place, [`Pipeline::start`]:
//!
//! ```text
//!  submitters ──► 0 ingress ──► 1 verify (N threads) ──► 2 apply (1 thread) ──► 3 journal ──► 4 events
//!  Submitter       size limit,   decode, validate,         the single writer,    append, or     outcomes to
//!  ::submit /      try_send:     signing digest,           `writer`: fork        cut back on a  the read
//!  submit_block    full = Busy   public-key recovery       choice, production    fork switch;   replica, then
//!  -> Ticket                     (blocks too: digests,     by BlockProducer,     one fdatasync  every
//!                                every tx's keys, the      open block fed by     per batch,     subscriber
//!                                producer's key)           arriving txs          then confirm
//! ```
//!
//! Queues are bounded crossbeam channels: the ingress queue is the only one that refuses (a
//! full queue gives the submitter [`SubmitError::Busy`] with its bytes back, so nothing is
//! lost); the later stages block on a full queue, which pushes back to ingress.
//!
//! Invariants:
//! - The apply stage is the only thread that touches the [`Chain`]; no lock guards state.
//! - Signatures are recovered once, in the verify stage; the apply stage checks authorities
//!   against those keys ([`engine::chain::OpenBlock::push`] with `Some(keys)`), never recovering.
//! - A transaction is confirmed ([`Confirmation`]) only after the journal's fdatasync covering
//!   its block returned. Every [`Ticket`] settles exactly once: confirmed, refused with the
//!   reason, or [`Refused::Abandoned`] if the pipeline stopped first (the hand-off is
//!   [`confirm`], model-checked with loom).
//! - Whether and when to produce is `consensus::BlockProducer`'s decision alone, on the wall
//!   clock ([`Pacing::WallClock`]) or on a simulated clock that jumps to our next slot every
//!   interval ([`Pacing::Interval`]: benchmarks, `--fast`).
//! - A fork switch reaches the journal as reverts (cut back to the fork point, durably) before
//!   the new branch's appends, and downstream as [`ChainEvent::Reverted`] before the applied ones.
//!
//! Never: mutates state outside the apply stage; blocks a submitter (a full queue is `Busy`);
//! lets a slow event subscriber slow the writer (a subscriber whose queue is full is cut off and
//! counted; its receiver then reports disconnection).
//!
//! Reads: the writer publishes the new [`Head`] (number, id, time: what a client needs for TaPoS)
//! once per block behind an `RwLock` held for a 28-byte copy; everything else is read from the
//! read replica ([`Pipeline::reader`], `crate::replica`), fed by the events stage.
//!
//! Operator lines (`block N ...`, `durable N`, `snapshot N ...`, `not producing: ...`) are
//! `tracing` events with the targets of [`crate::log_targets`]; whoever runs the pipeline decides
//! where they go (the binary installs a subscriber; a benchmark or a test without one pays only
//! the disabled-callsite check).
//!
//! This is runtime code: it reads the wall clock (block cadence, confirmation times). The
//! deterministic core below it does not.

pub mod confirm;
mod stages;
mod writer;

pub use writer::BlockAccepted;

pub use stages::verify_transaction;

pub use crate::replica::ChainEvent;
use crate::replica::{Reader, Replica, ReplicaError};
use crossbeam::channel::{bounded, Receiver, Sender, TrySendError};
use engine::chain::Chain;
use engine::error::Rejection;
use journal::{FileStorage, Journal, Storage};
use ledger::block::BlockId;
use ledger::crypto::PrivateKey;
use ledger::ids::WitnessId;
use ledger::keys::PublicKey;
use ledger::time::TimePointSec;
use ledger::transaction::{SignedTransaction, TransactionId};
use ledger::Pack;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How the pipeline is sized and paced.
#[derive(Clone)]
pub struct PipelineConfig {
    /// Verify-stage threads; 0 means one per core.
    pub verify_threads: usize,
    /// Submissions the ingress queue holds before `submit` answers `Busy`.
    pub ingress_capacity: usize,
    /// Verified transactions waiting for the apply stage.
    pub verified_capacity: usize,
    /// Sealed blocks waiting for the journal.
    pub sealed_capacity: usize,
    /// Where production time comes from: the wall clock, or our next slot every interval.
    pub pacing: Pacing,
    /// Our witnesses and the keys they sign with; production is decided by
    /// `consensus::BlockProducer` over them (none: a validating node).
    pub witness_keys: BTreeMap<WitnessId, PrivateKey>,
    /// Required participation of the last 128 slots, basis points (the producer refuses below).
    pub required_participation: u32,
    /// Produce even when the head is behind the wall clock.
    pub enable_stale_production: bool,
    /// Stop after producing this many blocks.
    pub max_blocks: Option<u64>,
    /// Write snapshots of the state into a directory every N blocks.
    pub snapshots: Option<SnapshotPolicy>,
    /// Pin stage threads to cores when there is a core for each (never on fewer).
    pub pin_threads: bool,
    /// Bytes of transactions per block; `None`: 90 % of the chain's `maximum_block_size` (room
    /// for the header and framing).
    pub block_bytes_max: Option<usize>,
    /// Keep a read replica (`crate::replica`) fed with every durable block's changed objects;
    /// the writer then captures them (one copy of the bytes its state hash packs).
    pub read_replica: bool,
}

/// How the writer's production time passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pacing {
    /// Real slots: the producer decides at each slot's wall-clock time (a witness node).
    WallClock,
    /// Every `interval` of wall time (zero: at once), time jumps to our next slot and the
    /// producer decides there (benchmarks, `--fast`): the chain runs ahead of the wall clock.
    Interval(Duration),
}

impl Pacing {
    fn interval(&self) -> Duration {
        match self {
            Pacing::WallClock => Duration::ZERO,
            Pacing::Interval(d) => *d,
        }
    }
}

/// Snapshots written by the writer (after the block is durable).
#[derive(Clone, Debug)]
pub struct SnapshotPolicy {
    pub dir: std::path::PathBuf,
    /// After every block whose number is a multiple of this (0: never).
    pub every: u32,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        PipelineConfig {
            verify_threads: 0,
            ingress_capacity: 65_536,
            verified_capacity: 65_536,
            sealed_capacity: 64,
            pacing: Pacing::Interval(Duration::from_secs(5)),
            witness_keys: BTreeMap::new(),
            required_participation: 0,
            enable_stale_production: true,
            max_blocks: None,
            snapshots: None,
            pin_threads: true,
            block_bytes_max: None,
            read_replica: true,
        }
    }
}

/// A transaction made durable in a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Confirmation {
    pub tx_id: TransactionId,
    pub block_num: u32,
    /// When the journal's fdatasync covering the block returned.
    pub durable_at: Instant,
}

/// Why a submitted transaction was not confirmed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("transaction does not decode: {detail}")]
    Undecodable { detail: String },
    #[error("transaction is {size} bytes; the maximum is {max}")]
    TooLarge { size: usize, max: usize },
    #[error("{0}")]
    Rejected(#[from] Rejection),
    #[error("the journal failed before block {block_num} was durable: {detail}")]
    Journal { block_num: u32, detail: String },
    #[error("the pipeline stopped before the transaction was confirmed")]
    Abandoned,
}

impl Refused {
    /// A stable machine-readable code (the rejection's own for engine rejections).
    pub fn code(&self) -> &'static str {
        match self {
            Refused::Undecodable { .. } => "undecodable",
            Refused::TooLarge { .. } => "tx_too_large",
            Refused::Rejected(r) => r.code(),
            Refused::Journal { .. } => "journal_failed",
            Refused::Abandoned => "abandoned",
        }
    }
}

/// The settled fate of one submission.
pub type Outcome = Result<Confirmation, Refused>;

/// Why `submit` did not take a transaction. The bytes come back, so nothing is lost.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("pipeline busy: the ingress queue is full ({capacity} transactions waiting); retry later")]
    Busy { capacity: usize, bytes: Vec<u8> },
    #[error("the pipeline is stopping and takes no more transactions")]
    Stopped { bytes: Vec<u8> },
}

impl SubmitError {
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            SubmitError::Busy { bytes, .. } | SubmitError::Stopped { bytes } => bytes,
        }
    }
}

/// The submitter's claim on an outcome.
pub struct Ticket {
    receiver: confirm::Receiver<Outcome>,
    pub submitted_at: Instant,
}

impl Ticket {
    /// Block until the outcome is known.
    pub fn wait(self) -> Outcome {
        self.receiver.wait().unwrap_or(Err(Refused::Abandoned))
    }

    /// The outcome if it is known.
    pub fn try_outcome(&mut self) -> Option<Outcome> {
        self.receiver.try_take().map(|o| o.unwrap_or(Err(Refused::Abandoned)))
    }

    /// The outcome, waiting at most `timeout`.
    #[cfg(not(loom))]
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<Outcome> {
        self.receiver.wait_timeout(timeout).map(|o| o.unwrap_or(Err(Refused::Abandoned)))
    }
}

/// What happened to a submitted block: accepted (how), or why not.
pub type BlockFate = Result<BlockAccepted, String>;

/// The claim on a submitted block's fate.
pub struct BlockTicket {
    receiver: confirm::Receiver<BlockFate>,
}

impl BlockTicket {
    /// Block until fork choice has taken or refused the block.
    pub fn wait(self) -> BlockFate {
        self.receiver.wait().unwrap_or_else(|| Err("the pipeline stopped before the block was taken".into()))
    }
}

/// What the submitters need to build transactions: TaPoS reference and time of the head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub num: u32,
    pub id: BlockId,
    pub time: TimePointSec,
}

impl Head {
    fn of(chain: &Chain) -> Head {
        Head { num: chain.head_num(), id: chain.head_id(), time: chain.head_time() }
    }
}

/// Stage 0, ingress: a cheap clonable handle for submitter threads.
#[derive(Clone)]
pub struct Submitter {
    queue: Sender<Submission>,
    capacity: usize,
    tx_bytes_max: usize,
    stop: Arc<AtomicBool>,
    head: Arc<RwLock<Head>>,
    stats: Arc<Counters>,
}

impl Submitter {
    /// Submit a packed `signed_transaction`. Never blocks: a full queue is `Busy`.
    pub fn submit(&self, bytes: Vec<u8>) -> Result<Ticket, SubmitError> {
        if self.stop.load(Ordering::Acquire) {
            return Err(SubmitError::Stopped { bytes });
        }
        let (promise, receiver) = confirm::channel();
        let ticket = Ticket { receiver, submitted_at: Instant::now() };
        if bytes.len() > self.tx_bytes_max {
            promise.complete(Err(Refused::TooLarge { size: bytes.len(), max: self.tx_bytes_max }));
            return Ok(ticket);
        }
        match self.queue.try_send(Submission::Tx { bytes, promise }) {
            Ok(()) => {
                self.stats.submitted.fetch_add(1, Ordering::Relaxed);
                Ok(ticket)
            }
            Err(TrySendError::Full(s)) => {
                self.stats.busy.fetch_add(1, Ordering::Relaxed);
                Err(SubmitError::Busy { capacity: self.capacity, bytes: s.into_bytes() })
            }
            Err(TrySendError::Disconnected(s)) => Err(SubmitError::Stopped { bytes: s.into_bytes() }),
        }
    }

    /// Submit a packed `signed_block` from elsewhere (a peer, a test): it is decoded and its
    /// keys recovered in stage 1, then fork choice takes it in the writer. Never blocks.
    pub fn submit_block(&self, bytes: Vec<u8>) -> Result<BlockTicket, SubmitError> {
        if self.stop.load(Ordering::Acquire) {
            return Err(SubmitError::Stopped { bytes });
        }
        let (promise, receiver) = confirm::channel();
        match self.queue.try_send(Submission::Block { bytes, promise }) {
            Ok(()) => Ok(BlockTicket { receiver }),
            Err(TrySendError::Full(s)) => Err(SubmitError::Busy { capacity: self.capacity, bytes: s.into_bytes() }),
            Err(TrySendError::Disconnected(s)) => Err(SubmitError::Stopped { bytes: s.into_bytes() }),
        }
    }

    /// Pack and submit a transaction.
    pub fn submit_transaction(&self, tx: &SignedTransaction) -> Result<Ticket, SubmitError> {
        self.submit(tx.to_bytes())
    }

    /// The head block as of the last sealed block.
    pub fn head(&self) -> Head {
        *self.head.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// A submission on its way to the verify stage: a packed transaction or a packed block.
enum Submission {
    Tx { bytes: Vec<u8>, promise: confirm::Promise<Outcome> },
    Block { bytes: Vec<u8>, promise: confirm::Promise<BlockFate> },
}

impl Submission {
    /// The bytes back, the promise dropped unsettled (the submitter keeps no ticket of it).
    fn into_bytes(self) -> Vec<u8> {
        match self {
            Submission::Tx { bytes, .. } | Submission::Block { bytes, .. } => bytes,
        }
    }
}

/// A transaction the verify stage passed, with its recovered signing keys.
struct Verified {
    tx: SignedTransaction,
    keys: Vec<PublicKey>,
    id: TransactionId,
    size: usize,
    promise: confirm::Promise<Outcome>,
}

/// One block as the pipeline produced it (for block fill and fsync figures).
#[derive(Clone, Copy, Debug)]
pub struct BlockRecord {
    pub num: u32,
    pub transactions: usize,
    /// Packed bytes of its transactions.
    pub bytes: usize,
    pub sealed_at: Instant,
    pub durable_at: Instant,
}

/// Work and on-CPU time of one stage, summed over its threads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageStats {
    pub name: &'static str,
    pub threads: usize,
    /// Items handled: submissions (verify), transactions (apply), blocks (journal, events).
    pub items: u64,
    /// Thread CPU time (Linux `schedstat`); zero where unavailable.
    pub cpu: Duration,
}

#[derive(Default)]
struct Counters {
    submitted: AtomicU64,
    busy: AtomicU64,
    verify_items: AtomicU64,
    verify_cpu_ns: AtomicU64,
    apply_items: AtomicU64,
    apply_cpu_ns: AtomicU64,
    journal_items: AtomicU64,
    journal_cpu_ns: AtomicU64,
    events_items: AtomicU64,
    events_cpu_ns: AtomicU64,
    subscribers_cut: AtomicU64,
}

/// Why the pipeline could not start or stop cleanly.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("cannot start the {stage} thread: {source}")]
    Spawn { stage: &'static str, source: std::io::Error },
    #[error("the {stage} thread panicked")]
    Panicked { stage: &'static str },
    #[error("the journal failed: {0}")]
    Journal(String),
    #[error("cannot copy the state for the read replica: {0}")]
    Replica(engine::snapshot::SnapshotError),
}

/// What is left after [`Pipeline::shutdown`].
pub struct Stopped<S: Storage = FileStorage> {
    pub chain: Chain,
    pub journal: Journal<S>,
    pub blocks: Vec<BlockRecord>,
    pub stages: Vec<StageStats>,
    /// Submissions refused with `Busy`.
    pub busy: u64,
    /// Submissions taken into the ingress queue.
    pub submitted: u64,
    /// Event subscribers cut off for falling behind.
    pub subscribers_cut: u64,
    /// Whether stage threads were pinned to cores.
    pub pinned: bool,
    pub verify_threads: usize,
    /// The first journal failure, if any (later blocks were refused).
    pub journal_error: Option<String>,
    /// Why the apply stage stopped producing before shutdown, if it did.
    pub writer_error: Option<String>,
    /// The read replica after the last durable block, and why it stopped following, if it did.
    pub replica: Option<(Reader, Result<(), ReplicaError>)>,
}

type Subscribers = Arc<Mutex<Vec<Sender<ChainEvent>>>>;

/// A running pipeline. See the module doc.
pub struct Pipeline<S: Storage + 'static = FileStorage> {
    submitter: Submitter,
    stop: Arc<AtomicBool>,
    ingress_rx: Receiver<Submission>,
    verify: Vec<JoinHandle<()>>,
    apply: JoinHandle<(consensus::ForkChoice, Option<String>)>,
    journal: JoinHandle<(Journal<S>, Vec<BlockRecord>, Option<String>)>,
    events: JoinHandle<Option<(Reader, Result<(), ReplicaError>)>>,
    subscribers: Subscribers,
    counters: Arc<Counters>,
    pinned: bool,
    reader: Option<Reader>,
    finished: Arc<AtomicBool>,
}

impl<S> Pipeline<S>
where
    S: Storage + 'static,
    Journal<S>: Send,
{
    /// Start every stage over `chain` (undo on; its head is the parent of the first block) and
    /// `journal` (its head must be the chain's head).
    pub fn start(mut chain: Chain, journal: Journal<S>, cfg: PipelineConfig) -> Result<Pipeline<S>, PipelineError> {
        let cores = core_affinity::get_core_ids().unwrap_or_default();
        let (verify_threads, pinned) = thread_plan(cfg.verify_threads, cores.len(), cfg.pin_threads);
        let core = |i: usize| if pinned { cores.get(i).copied() } else { None };
        let params = &chain.state.gpo().parameters;
        let tx_bytes_max = params.maximum_transaction_size as usize;
        let block_bytes_max = cfg.block_bytes_max.unwrap_or(params.maximum_block_size as usize / 10 * 9);
        let chain_id = chain.state.chain_id();

        let stop = Arc::new(AtomicBool::new(false));
        let counters = Arc::new(Counters::default());
        let head = Arc::new(RwLock::new(Head::of(&chain)));
        let subscribers: Subscribers = Arc::default();
        let (ingress_tx, ingress_rx) = bounded::<Submission>(cfg.ingress_capacity.max(1));
        let (verified_tx, verified_rx) = bounded::<writer::Input>(cfg.verified_capacity.max(1));
        let (sealed_tx, sealed_rx) = bounded::<writer::ToJournal>(cfg.sealed_capacity.max(1));
        let (durable_tx, durable_rx) = bounded::<ChainEvent>(cfg.sealed_capacity.max(1));
        let durable = Arc::new(AtomicU32::new(journal.durable_head()));
        let journal_failed = Arc::new(AtomicBool::new(false));
        let finished = Arc::new(AtomicBool::new(false));

        // 4. events: the read replica first, then the subscribers
        let replica = if cfg.read_replica {
            chain.set_capture_changes(true);
            Some(Replica::start_from(&chain.state, cfg.sealed_capacity.max(1)).map_err(PipelineError::Replica)?)
        } else {
            None
        };
        let reader = replica.as_ref().map(Replica::reader);
        let events = {
            let (subs, counters) = (subscribers.clone(), counters.clone());
            spawn("events", None, move || stages::events(durable_rx, replica, subs, counters))?
        };
        // 3. journal
        let journal = {
            let counters = counters.clone();
            let (durable, failed) = (durable.clone(), journal_failed.clone());
            spawn("journal", None, move || stages::journal(journal, sealed_rx, durable_tx, durable, failed, counters))?
        };
        // 2. apply, the single writer: fork choice over the chain, production by the producer
        let apply = {
            let mut producer = consensus::BlockProducer::new(cfg.witness_keys.clone());
            producer.required_participation = cfg.required_participation;
            producer.enable_stale_production = cfg.enable_stale_production;
            let plan = writer::Plan {
                pacing: cfg.pacing,
                producer,
                block_bytes_max,
                max_blocks: cfg.max_blocks,
                snapshots: cfg.snapshots.clone(),
            };
            let shared = writer::Shared {
                head: head.clone(),
                counters: counters.clone(),
                durable: durable.clone(),
                journal_failed,
                finished: finished.clone(),
            };
            let fc = consensus::ForkChoice::new(chain);
            spawn("apply", core(0), move || writer::run(fc, verified_rx, sealed_tx, plan, shared))?
        };
        // 1. verify, N threads
        let mut verify = Vec::with_capacity(verify_threads);
        for i in 0..verify_threads {
            let (rx, tx) = (ingress_rx.clone(), verified_tx.clone());
            let (stop, counters) = (stop.clone(), counters.clone());
            verify.push(spawn("verify", core(1 + i), move || stages::verify(rx, tx, chain_id, stop, counters))?);
        }
        drop(verified_tx);
        // 0. ingress
        let submitter = Submitter {
            queue: ingress_tx,
            capacity: cfg.ingress_capacity.max(1),
            tx_bytes_max,
            stop: stop.clone(),
            head,
            stats: counters.clone(),
        };
        Ok(Pipeline {
            submitter,
            stop,
            ingress_rx,
            verify,
            apply,
            journal,
            events,
            subscribers,
            counters,
            pinned,
            reader,
            finished,
        })
    }

    /// Whether the writer has stopped on its own (its `max_blocks` produced, or an error that
    /// [`Pipeline::shutdown`] reports).
    pub fn finished(&self) -> bool {
        self.finished.load(Ordering::Acquire)
    }

    /// A handle for one submitter thread (clone it freely).
    pub fn submitter(&self) -> Submitter {
        self.submitter.clone()
    }

    /// A reader of the read replica (`None` when the config turned it off): queries see whole
    /// durable blocks and never wait for the writer.
    pub fn reader(&self) -> Option<Reader> {
        self.reader.clone()
    }

    /// Receive the outcome of every block made durable from now on. A subscriber that lets
    /// `capacity` blocks pile up is cut off (its receiver reports disconnection).
    pub fn subscribe(&self, capacity: usize) -> Receiver<ChainEvent> {
        let (tx, rx) = bounded(capacity.max(1));
        self.subscribers.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        rx
    }

    /// Stop taking submissions, let everything already taken settle (the last block is sealed
    /// and made durable), join every thread and hand back the chain and the journal.
    pub fn shutdown(self) -> Result<Stopped<S>, PipelineError> {
        let Pipeline {
            submitter,
            stop,
            ingress_rx,
            verify,
            apply,
            journal,
            events,
            subscribers,
            counters,
            pinned,
            reader: _,
            finished: _,
        } = self;
        stop.store(true, Ordering::Release);
        let verify_threads = verify.len();
        for h in verify {
            h.join().map_err(|_| PipelineError::Panicked { stage: "verify" })?;
        }
        // Whatever slipped in after the verifiers left is abandoned, not lost: its tickets settle.
        drop(submitter);
        while ingress_rx.try_recv().is_ok() {}
        drop(ingress_rx);
        let (fc, writer_error) = apply.join().map_err(|_| PipelineError::Panicked { stage: "apply" })?;
        let chain = fc.into_chain();
        let (journal, blocks, journal_error) =
            journal.join().map_err(|_| PipelineError::Panicked { stage: "journal" })?;
        let replica = events.join().map_err(|_| PipelineError::Panicked { stage: "events" })?;
        subscribers.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let c = &counters;
        let stage = |name, threads, items: &AtomicU64, cpu: &AtomicU64| StageStats {
            name,
            threads,
            items: items.load(Ordering::Relaxed),
            cpu: Duration::from_nanos(cpu.load(Ordering::Relaxed)),
        };
        let stages = vec![
            stage("verify", verify_threads, &c.verify_items, &c.verify_cpu_ns),
            stage("apply", 1, &c.apply_items, &c.apply_cpu_ns),
            stage("journal", 1, &c.journal_items, &c.journal_cpu_ns),
            stage("events", 1, &c.events_items, &c.events_cpu_ns),
        ];
        Ok(Stopped {
            chain,
            journal,
            blocks,
            stages,
            busy: c.busy.load(Ordering::Relaxed),
            submitted: c.submitted.load(Ordering::Relaxed),
            subscribers_cut: c.subscribers_cut.load(Ordering::Relaxed),
            pinned,
            verify_threads,
            journal_error,
            writer_error,
            replica,
        })
    }
}

/// How many verifiers, and whether to pin: by default a verifier per core, but the writer gets a
/// core of its own where there are four or more. Pinning needs one core for the writer plus one
/// per verifier; with fewer, nothing is pinned (two busy threads pinned to one core only take
/// turns, while the scheduler can at least move them).
fn thread_plan(verify_threads: usize, cores: usize, pin: bool) -> (usize, bool) {
    let verify = match (verify_threads, cores) {
        (0, n) if n >= 4 => n - 1,
        (0, n) => n.max(1),
        (v, _) => v,
    };
    (verify, pin && cores > verify)
}

fn spawn<T: Send + 'static>(
    stage: &'static str,
    core: Option<core_affinity::CoreId>,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<JoinHandle<T>, PipelineError> {
    std::thread::Builder::new()
        .name(format!("pipeline-{stage}"))
        .spawn(move || {
            if let Some(core) = core {
                core_affinity::set_for_current(core);
            }
            f()
        })
        .map_err(|source| PipelineError::Spawn { stage, source })
}

/// This thread's time on a CPU (Linux `/proc/thread-self/schedstat`), zero elsewhere.
pub fn thread_cpu_time() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|t| t.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::thread_plan;

    #[test]
    fn threads_are_pinned_only_when_the_writer_and_every_verifier_get_a_core() {
        assert_eq!(thread_plan(0, 2, true), (2, false), "two cores: both verify, nothing pinned");
        assert_eq!(thread_plan(0, 1, true), (1, false));
        assert_eq!(thread_plan(0, 8, true), (7, true), "seven verifiers and the writer");
        assert_eq!(thread_plan(0, 8, false), (7, false));
        assert_eq!(thread_plan(3, 4, true), (3, true));
        assert_eq!(thread_plan(4, 4, true), (4, false));
    }
}
