//! `graphene bench node`: the whole node path with every check on. Signed transactions (a mix
//! of transfers and limit orders, `perf::workload`) from K submitter threads go through the
//! [`node::pipeline`]: verify (decode, digest, public-key recovery), the single writer (dedup,
//! TaPoS, expiration, authority, evaluation, block assembly), the journal (append + fdatasync
//! into a temporary data directory) and the events fan-out, with blocks produced every block
//! interval. Measured: sustained confirmed transactions per second, confirmation latency (from
//! submission, or from the planned send time in open-loop mode, to the fdatasync that made the
//! block durable), CPU per stage, block fill, fsync time, and the ratio to the all-core
//! `sigcheck` ceiling (public-key recoveries per second on every core: the machine's ceiling for
//! signed transactions).
//!
//! Modes: closed loop (submitters keep the ingress queue full; a `Busy` waits 200 µs and retries
//! the same bytes) or open loop at each of `rates` (each submitter sends at rate/K on a fixed
//! schedule; latency counts from the planned time, so a stalled pipeline cannot hide its queue).
//!
//! Transactions are built and signed before the clock starts (as a client signs before sending),
//! in parallel on every core. Measurement code: reads the clock; never runs inside the engine.

use crate::report::{human_ns, latency_histogram, Percentiles};
use crate::workload::{LoadChain, LOAD_BLOCK_SIZE};
use hdrhistogram::Histogram;
use journal::{Journal, OpenOptions};
use ledger::Pack;
use node::pipeline::{BlockRecord, Pipeline, PipelineConfig, StageStats, SubmitError, Ticket};
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Clone, Debug)]
pub struct NodeBenchConfig {
    pub accounts: usize,
    /// Submitter threads (K).
    pub submitters: usize,
    /// Length of each run (closed loop) or of each rate step (open loop).
    pub duration: Duration,
    /// Percent of limit orders in the mix; the rest are transfers.
    pub orders_percent: u8,
    /// Wall time between blocks; `None`: the chain's `block_interval`.
    pub block_interval: Option<Duration>,
    /// Verify threads; 0: the pipeline's default (one per core).
    pub verify_threads: usize,
    /// Offered rates (tx/s) of the open-loop steps; empty: one closed-loop run.
    pub rates: Vec<u64>,
    /// The all-core recoveries/s to compare with; `None`: measure it (about a second).
    pub sigcheck_ceiling: Option<f64>,
    pub ingress_capacity: usize,
    pub seed: u64,
    /// Where the journal goes; `None`: a temporary directory, removed afterwards.
    pub data_dir: Option<PathBuf>,
    /// Transactions to sign for the closed loop; `None`: 1.25 times the ceiling's worth for the
    /// duration.
    pub presign: Option<usize>,
    /// Keep the read replica (as `graphene node` does); off measures the writer without it.
    pub read_replica: bool,
}

impl Default for NodeBenchConfig {
    fn default() -> Self {
        NodeBenchConfig {
            accounts: 1_000,
            submitters: 2,
            duration: Duration::from_secs(10),
            orders_percent: 30,
            block_interval: None,
            verify_threads: 0,
            rates: Vec::new(),
            sigcheck_ceiling: None,
            ingress_capacity: 65_536,
            seed: 1,
            data_dir: None,
            presign: None,
            read_replica: true,
        }
    }
}

/// One closed-loop run or one open-loop rate step.
pub struct StepReport {
    /// `None` for the closed loop.
    pub offered_per_sec: Option<u64>,
    /// From the first submission to the last confirmation.
    pub elapsed: Duration,
    pub submitted: u64,
    pub confirmed: u64,
    pub rejected: u64,
    /// The first rejection's reason, if any.
    pub first_rejection: Option<String>,
    pub busy: u64,
    /// Transactions left unsent when the duration ran out (closed loop: pre-signed ran out).
    pub unsent: u64,
    /// Confirmation latency, nanoseconds.
    pub latency: Histogram<u64>,
    /// Sealed → durable per block, nanoseconds.
    pub fsync: Histogram<u64>,
    pub blocks: Vec<BlockRecord>,
    pub block_bytes_max: usize,
    pub stages: Vec<StageStats>,
    /// CPU of the submitter threads, summed.
    pub submitters_cpu: Duration,
    pub pinned: bool,
    pub verify_threads: usize,
    /// When submission started and when the run's window closed.
    pub started: Instant,
    pub window_end: Instant,
}

impl StepReport {
    /// Sustained confirmed tx/s: the transactions of the blocks sealed within the run's window
    /// over the time to the last of them (the drain after the window, up to a block interval of
    /// waiting for the last block, is left out); all confirmed over all elapsed when no block
    /// was sealed inside the window.
    pub fn tps(&self) -> f64 {
        let inside: Vec<_> = self.blocks.iter().filter(|b| b.sealed_at <= self.window_end).collect();
        match inside.last() {
            Some(last) if last.sealed_at > self.started => {
                let txs: usize = inside.iter().map(|b| b.transactions).sum();
                txs as f64 / last.sealed_at.duration_since(self.started).as_secs_f64()
            }
            _ => self.drained_tps(),
        }
    }

    /// Every confirmed transaction over the time from the first submission to the last
    /// confirmation (includes the drain).
    pub fn drained_tps(&self) -> f64 {
        self.confirmed as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// CPU seconds of every pipeline stage (not the submitters) per confirmed transaction.
    pub fn cpu_per_tx(&self) -> Duration {
        let cpu: Duration = self.stages.iter().map(|s| s.cpu).sum();
        cpu / (self.confirmed.max(1) as u32)
    }
    pub fn percentiles(&self) -> Percentiles {
        Percentiles::of(&self.latency)
    }
    fn fill(&self) -> (f64, usize, f64) {
        let n = self.blocks.len().max(1) as f64;
        let mean_txs = self.blocks.iter().map(|b| b.transactions).sum::<usize>() as f64 / n;
        let max_txs = self.blocks.iter().map(|b| b.transactions).max().unwrap_or(0);
        let mean_fill = self.blocks.iter().map(|b| b.bytes).sum::<usize>() as f64 / n / self.block_bytes_max as f64;
        (mean_txs, max_txs, mean_fill * 100.0)
    }
    pub fn name(&self) -> String {
        self.offered_per_sec.map_or("closed loop".into(), |r| format!("{r} tx/s offered"))
    }

    /// Transactions per CPU second of the whole pipeline over recoveries per CPU second of one
    /// thread: the efficiency of the path, whatever else the machine ran meanwhile.
    pub fn per_core_ratio(&self, per_core_ceiling: f64) -> f64 {
        1.0 / self.cpu_per_tx().as_secs_f64().max(1e-12) / per_core_ceiling.max(1e-9)
    }

    fn to_json(&self, ceiling: f64, per_core_ceiling: f64) -> serde_json::Value {
        let (mean_txs, max_txs, fill) = self.fill();
        let stages: Vec<_> = self
            .stages
            .iter()
            .map(|s| {
                serde_json::json!({"stage": s.name, "threads": s.threads, "items": s.items,
                    "cpu_seconds": s.cpu.as_secs_f64(), "cores": s.cpu.as_secs_f64() / self.elapsed.as_secs_f64().max(1e-9)})
            })
            .collect();
        serde_json::json!({
            "offered_per_sec": self.offered_per_sec,
            "elapsed_seconds": self.elapsed.as_secs_f64(),
            "submitted": self.submitted, "confirmed": self.confirmed, "rejected": self.rejected,
            "first_rejection": self.first_rejection, "busy": self.busy, "unsent": self.unsent,
            "tps": self.tps(), "drained_tps": self.drained_tps(),
            "ratio_to_sigcheck_ceiling": self.tps() / ceiling.max(1e-9),
            "cpu_us_per_tx": self.cpu_per_tx().as_secs_f64() * 1e6,
            "ratio_per_cpu_second_to_sigcheck": self.per_core_ratio(per_core_ceiling),
            "latency": self.percentiles().to_json_us(),
            "fsync": Percentiles::of(&self.fsync).to_json_us(),
            "blocks": self.blocks.len(), "txs_per_block_mean": mean_txs, "txs_per_block_max": max_txs,
            "block_fill_percent_mean": fill, "block_bytes_max": self.block_bytes_max,
            "stages": stages, "submitters_cpu_seconds": self.submitters_cpu.as_secs_f64(),
            "pinned": self.pinned, "verify_threads": self.verify_threads,
        })
    }
}

/// The outcome of `graphene bench node`.
pub struct NodeBenchReport {
    pub config: NodeBenchConfig,
    pub block_interval: Duration,
    pub ceiling: f64,
    /// Recoveries per CPU second of one thread (measured), or the ceiling over the cores (given).
    pub per_core_ceiling: f64,
    pub ceiling_measured: bool,
    pub setup: Duration,
    pub signed: usize,
    pub signing: Duration,
    pub cores: usize,
    pub steps: Vec<StepReport>,
}

/// Why the bench failed.
#[derive(Debug, thiserror::Error)]
pub enum NodeBenchError {
    #[error(transparent)]
    Setup(#[from] crate::workload::SetupError),
    #[error("{0}")]
    Io(String),
    #[error(transparent)]
    Pipeline(#[from] node::pipeline::PipelineError),
    #[error("{0}")]
    Config(String),
}

/// Run the benchmark.
pub fn run_node_bench(cfg: &NodeBenchConfig) -> Result<NodeBenchReport, NodeBenchError> {
    if cfg.accounts < 2 || cfg.submitters == 0 || cfg.duration.is_zero() {
        return Err(NodeBenchError::Config("need at least 2 accounts, 1 submitter and a non-zero duration".into()));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (ceiling, per_core_ceiling, ceiling_measured) = match cfg.sigcheck_ceiling {
        Some(c) => (c, c / cores as f64, false),
        None => {
            let r = crate::sigcheck::run_sigcheck(&crate::sigcheck::SigcheckConfig { recoveries: 10_000, threads: 0 })
                .map_err(|e| NodeBenchError::Io(e.to_string()))?;
            (r.ours_parallel.per_sec(), r.ours_single.per_cpu_sec(), true)
        }
    };
    let t = Instant::now();
    let lc = LoadChain::setup(cfg.accounts)?;
    let setup = t.elapsed();
    let gen = lc.generator(cfg.orders_percent, cfg.seed);
    let block_interval = cfg
        .block_interval
        .unwrap_or_else(|| Duration::from_secs(u64::from(lc.chain.state.gpo().parameters.block_interval)));
    let secs = cfg.duration.as_secs_f64();
    // Per step: the offered count, or for the closed loop the ceiling's worth and a quarter.
    // (Signing costs about as much as recovering: sign what the ceiling allows, no more.)
    let counts: Vec<usize> = if cfg.rates.is_empty() {
        vec![cfg.presign.unwrap_or((ceiling * secs * 1.25) as usize + 1_000)]
    } else {
        cfg.rates.iter().map(|r| (*r as f64 * secs) as usize + 1).collect()
    };
    let t = Instant::now();
    let total: usize = counts.iter().sum();
    let signed = sign_all(&gen, total as u64, cores);
    let signing = t.elapsed();

    let temp;
    let dir = match &cfg.data_dir {
        Some(d) => d.clone(),
        None => {
            temp = tempfile::tempdir().map_err(|e| NodeBenchError::Io(format!("temporary directory: {e}")))?;
            temp.path().to_path_buf()
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| NodeBenchError::Io(format!("{}: {e}", dir.display())))?;
    let opts = OpenOptions { first_block: lc.chain.head_num() + 1, ..Default::default() };
    let (mut journal, _) =
        Journal::open(&dir, lc.chain_id.0, opts).map_err(|e| NodeBenchError::Io(format!("journal: {e}")))?;
    let pcfg = PipelineConfig {
        verify_threads: cfg.verify_threads,
        ingress_capacity: cfg.ingress_capacity,
        pacing: node::pipeline::Pacing::Interval(block_interval),
        witness_keys: lc.witness_keys.clone(),
        block_bytes_max: Some(LOAD_BLOCK_SIZE as usize / 10 * 9),
        read_replica: cfg.read_replica,
        ..Default::default()
    };
    let mut chain = lc.chain;
    let mut steps = Vec::new();
    let mut signed = signed.into_iter();
    for (i, count) in counts.iter().enumerate() {
        let batch: Vec<Vec<u8>> = signed.by_ref().take(*count).collect();
        let pipeline = Pipeline::start(chain, journal, pcfg.clone())?;
        let rate = cfg.rates.get(i).copied();
        let (step, back) = run_step(pipeline, batch, rate, cfg)?;
        chain = back.0;
        journal = back.1;
        steps.push(step);
    }
    Ok(NodeBenchReport {
        config: cfg.clone(),
        block_interval,
        ceiling,
        per_core_ceiling,
        ceiling_measured,
        setup,
        signed: total,
        signing,
        cores,
        steps,
    })
}

/// Build and sign transactions `0..count` of the stream on `threads` threads.
fn sign_all(gen: &crate::workload::Generator, count: u64, threads: usize) -> Vec<Vec<u8>> {
    let per = count.div_ceil(threads.max(1) as u64);
    std::thread::scope(|s| {
        let parts: Vec<_> = (0..threads as u64)
            .map(|t| {
                s.spawn(move || {
                    (t * per..((t + 1) * per).min(count)).map(|n| gen.transaction(n).to_bytes()).collect::<Vec<_>>()
                })
            })
            .collect();
        parts.into_iter().flat_map(|h| h.join().expect("signing thread")).collect()
    })
}

/// What one submitter thread measured.
struct Submitted {
    tickets: Vec<(Ticket, Instant)>,
    busy: u64,
    unsent: u64,
    cpu: Duration,
}

type Back = (engine::Chain, Journal);

fn run_step(
    pipeline: Pipeline,
    batch: Vec<Vec<u8>>,
    rate: Option<u64>,
    cfg: &NodeBenchConfig,
) -> Result<(StepReport, Back), NodeBenchError> {
    let k = cfg.submitters;
    let mut parts: Vec<Vec<Vec<u8>>> = (0..k).map(|_| Vec::new()).collect();
    for (i, b) in batch.into_iter().enumerate() {
        parts[i % k].push(b);
    }
    let start = Instant::now() + Duration::from_millis(20);
    let end = start + cfg.duration;
    let handles: Vec<_> = parts
        .into_iter()
        .enumerate()
        .map(|(j, part)| {
            let s = pipeline.submitter();
            // Open loop: this thread's share of the rate, offset so the threads interleave.
            let schedule = rate.map(|r| {
                let gap = Duration::from_secs_f64(k as f64 / r.max(1) as f64);
                (gap, start + Duration::from_secs_f64(j as f64 / r.max(1) as f64))
            });
            std::thread::spawn(move || submit_part(&s, part, schedule, start, end))
        })
        .collect();
    let parts: Vec<Submitted> = handles.into_iter().map(|h| h.join().expect("submitter thread")).collect();
    let mut latency = latency_histogram();
    let (mut confirmed, mut rejected, mut first_rejection, mut last) = (0u64, 0u64, None, start);
    let mut submitted = 0;
    for p in &parts {
        submitted += p.tickets.len() as u64;
    }
    let busy = parts.iter().map(|p| p.busy).sum();
    let unsent = parts.iter().map(|p| p.unsent).sum();
    let submitters_cpu = parts.iter().map(|p| p.cpu).sum();
    for p in parts {
        for (ticket, from) in p.tickets {
            match ticket.wait() {
                Ok(c) => {
                    confirmed += 1;
                    latency.saturating_record(c.durable_at.saturating_duration_since(from).as_nanos().max(1) as u64);
                    last = last.max(c.durable_at);
                }
                Err(e) => {
                    rejected += 1;
                    first_rejection.get_or_insert_with(|| e.to_string());
                }
            }
        }
    }
    let stopped = pipeline.shutdown()?;
    if let Some(e) = &stopped.journal_error {
        return Err(NodeBenchError::Io(format!("journal: {e}")));
    }
    if let Some(e) = &stopped.writer_error {
        return Err(NodeBenchError::Io(format!("apply stage: {e}")));
    }
    let mut fsync = latency_histogram();
    for b in &stopped.blocks {
        fsync.saturating_record(b.durable_at.saturating_duration_since(b.sealed_at).as_nanos().max(1) as u64);
    }
    let step = StepReport {
        offered_per_sec: rate,
        elapsed: last.saturating_duration_since(start),
        submitted,
        confirmed,
        rejected,
        first_rejection,
        busy,
        unsent,
        latency,
        fsync,
        blocks: stopped.blocks,
        block_bytes_max: LOAD_BLOCK_SIZE as usize / 10 * 9,
        stages: stopped.stages,
        submitters_cpu,
        pinned: stopped.pinned,
        verify_threads: stopped.verify_threads,
        started: start,
        window_end: end,
    };
    Ok((step, (stopped.chain, stopped.journal)))
}

/// One submitter thread: closed loop (`schedule` none) or open loop at a fixed gap.
fn submit_part(
    s: &node::pipeline::Submitter,
    part: Vec<Vec<u8>>,
    schedule: Option<(Duration, Instant)>,
    start: Instant,
    end: Instant,
) -> Submitted {
    let cpu0 = node::pipeline::thread_cpu_time();
    let total = part.len() as u64;
    let mut out = Submitted { tickets: Vec::with_capacity(part.len()), busy: 0, unsent: 0, cpu: Duration::ZERO };
    sleep_until(start);
    for (i, mut bytes) in part.into_iter().enumerate() {
        let planned = match schedule {
            Some((gap, first)) => {
                let at = first + gap * i as u32;
                sleep_until(at);
                at
            }
            None => Instant::now(),
        };
        if Instant::now() >= end {
            break;
        }
        loop {
            match s.submit(bytes) {
                Ok(t) => {
                    out.tickets.push((t, planned));
                    break;
                }
                Err(SubmitError::Busy { bytes: back, .. }) if Instant::now() < end => {
                    out.busy += 1;
                    bytes = back;
                    std::thread::sleep(Duration::from_micros(200));
                }
                Err(_) => break,
            }
        }
    }
    out.unsent = total - out.tickets.len() as u64;
    out.cpu = node::pipeline::thread_cpu_time().saturating_sub(cpu0);
    out
}

fn sleep_until(at: Instant) {
    let now = Instant::now();
    if at > now {
        std::thread::sleep(at - now);
    }
}

impl NodeBenchReport {
    pub fn to_json(&self) -> serde_json::Value {
        let c = &self.config;
        serde_json::json!({
            "benchmark": "node",
            "accounts": c.accounts, "submitters": c.submitters, "duration_seconds": c.duration.as_secs_f64(),
            "orders_percent": c.orders_percent, "block_interval_ms": self.block_interval.as_millis() as u64,
            "cores": self.cores, "sigcheck_ceiling_per_sec": self.ceiling, "sigcheck_per_cpu_second": self.per_core_ceiling, "ceiling_measured": self.ceiling_measured,
            "setup_seconds": self.setup.as_secs_f64(), "signed": self.signed, "signing_seconds": self.signing.as_secs_f64(),
            "steps": self.steps.iter().map(|s| s.to_json(self.ceiling, self.per_core_ceiling)).collect::<Vec<_>>(),
        })
    }
}

impl fmt::Display for NodeBenchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        let s0 = self.steps.first();
        writeln!(
            f,
            "Benchmark: node — {} accounts, {}% transfers / {}% limit orders, {} submitters, {} verify threads ({}), block interval {} ms, journal fsync on",
            c.accounts,
            100 - c.orders_percent.min(100),
            c.orders_percent.min(100),
            c.submitters,
            s0.map_or(0, |s| s.verify_threads),
            if s0.is_some_and(|s| s.pinned) { "pinned".to_string() } else { format!("not pinned: {} cores", self.cores) },
            self.block_interval.as_millis()
        )?;
        writeln!(
            f,
            "setup: {} accounts in {:.2} s; {} transactions signed in {:.2} s",
            c.accounts,
            self.setup.as_secs_f64(),
            self.signed,
            self.signing.as_secs_f64()
        )?;
        writeln!(
            f,
            "sigcheck ceiling (all cores): {:.0} recoveries/s ({})",
            self.ceiling,
            if self.ceiling_measured { "measured now" } else { "given" }
        )?;
        for s in &self.steps {
            write_step(f, s, self.ceiling, self.per_core_ceiling)?;
        }
        if self.steps.len() > 1 {
            writeln!(f, "\nrate x latency (submit -> durable in a block):")?;
            writeln!(
                f,
                "{:>10} {:>10} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}",
                "offered/s", "tps", "ratio", "p50", "p90", "p99", "p99.9", "max", "busy"
            )?;
            for s in &self.steps {
                let p = s.percentiles();
                writeln!(
                    f,
                    "{:>10} {:>10.0} {:>6.2} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}",
                    s.offered_per_sec.unwrap_or(0),
                    s.tps(),
                    s.tps() / self.ceiling.max(1e-9),
                    human_ns(p.p50),
                    human_ns(p.p90),
                    human_ns(p.p99),
                    human_ns(p.p999),
                    human_ns(p.max),
                    s.busy
                )?;
            }
        }
        Ok(())
    }
}

fn write_step(f: &mut fmt::Formatter<'_>, s: &StepReport, ceiling: f64, per_core_ceiling: f64) -> fmt::Result {
    let p = s.percentiles();
    let fs = Percentiles::of(&s.fsync);
    let (mean_txs, max_txs, fill) = s.fill();
    writeln!(f, "\n{}:", s.name())?;
    writeln!(
        f,
        "  sustained {:.0} tx/s = {:.2}x the sigcheck ceiling ({} confirmed of {} submitted, {:.0} tx/s with the drain over {:.2} s); rejected {}, busy {}, unsent {}",
        s.tps(),
        s.tps() / ceiling.max(1e-9),
        s.confirmed,
        s.submitted,
        s.drained_tps(),
        s.elapsed.as_secs_f64(),
        s.rejected,
        s.busy,
        s.unsent
    )?;
    writeln!(
        f,
        "  CPU per confirmed tx, all stages: {:.1} µs, i.e. {:.0} tx per CPU second = {:.2}x the {:.0} recoveries per CPU second of one thread",
        s.cpu_per_tx().as_secs_f64() * 1e6,
        1.0 / s.cpu_per_tx().as_secs_f64().max(1e-12),
        s.per_core_ratio(per_core_ceiling),
        per_core_ceiling
    )?;
    if let Some(r) = &s.first_rejection {
        writeln!(f, "  first rejection: {r}")?;
    }
    if s.offered_per_sec.is_none() && s.unsent == 0 {
        writeln!(
            f,
            "  note: every pre-signed transaction was sent before the run ended, so the load may have been the limit (raise --presign)"
        )?;
    }
    writeln!(
        f,
        "  confirmation latency (submit -> durable): p50 {}  p90 {}  p99 {}  p99.9 {}  max {}",
        human_ns(p.p50),
        human_ns(p.p90),
        human_ns(p.p99),
        human_ns(p.p999),
        human_ns(p.max)
    )?;
    writeln!(
        f,
        "  blocks {}: {:.0} tx/block mean, {} max, {:.1}% of {} bytes mean fill; fsync (sealed -> durable) p50 {} p99 {} max {}",
        s.blocks.len(),
        mean_txs,
        max_txs,
        fill,
        s.block_bytes_max,
        human_ns(fs.p50),
        human_ns(fs.p99),
        human_ns(fs.max)
    )?;
    let wall = s.elapsed.as_secs_f64().max(1e-9);
    write!(f, "  CPU:")?;
    for st in &s.stages {
        let per = if st.items > 0 { st.cpu.as_secs_f64() * 1e6 / st.items as f64 } else { 0.0 };
        write!(
            f,
            " {} ({}t) {:.2} s = {:.2} cores, {:.1} µs/item |",
            st.name,
            st.threads,
            st.cpu.as_secs_f64(),
            st.cpu.as_secs_f64() / wall,
            per
        )?;
    }
    writeln!(f, " submitters {:.2} s", s.submitters_cpu.as_secs_f64())
}
