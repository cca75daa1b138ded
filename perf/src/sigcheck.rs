//! `graphene bench sigcheck`: bitshares-core's `sigcheck_benchmark`
//! (tests/performance/performance_tests.cpp:45-57, PROTOCOL.md §13): one key signs
//! SHA-256("hello") once, then the public key is recovered from that compact signature
//! `recoveries` times.
//!
//! Measured in one run:
//! * ours, one thread: [`ledger::crypto::recover`] (header range and fc's canonical check, then
//!   libsecp256k1 recovery and compression), as the node calls it;
//! * ours, all cores: the same on one std thread per core (pinned with `core_affinity` when the
//!   platform allows), each doing `recoveries` recoveries;
//! * raw, one thread: libsecp256k1's `recover_ecdsa` through the `secp256k1` crate, no header or
//!   canonical check and no serialization, the floor our wrapper is compared with.
//!
//! Measurement code: reads the clock; never runs inside the deterministic core.

use crate::hundred_k::thread_cpu_time;
use ledger::crypto::{recover, sha256, sign_compact, PrivateKey};
use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
use secp256k1::{Message, SECP256K1};
use std::fmt;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Clone, Debug)]
pub struct SigcheckConfig {
    /// Recoveries per thread (100,000 in the original).
    pub recoveries: usize,
    /// Threads of the parallel run; 0 means one per core.
    pub threads: usize,
}

impl Default for SigcheckConfig {
    fn default() -> Self {
        SigcheckConfig { recoveries: 100_000, threads: 0 }
    }
}

/// One timed loop.
#[derive(Clone, Debug)]
pub struct Timing {
    pub recoveries: usize,
    pub elapsed: Duration,
    /// The thread's on-CPU time, where available (single-thread loops only): on a shared
    /// machine wall time also counts time spent descheduled.
    pub cpu: Option<Duration>,
}

impl Timing {
    pub fn per_sec(&self) -> f64 {
        self.recoveries as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    /// Recoveries per CPU second, falling back to wall time.
    pub fn per_cpu_sec(&self) -> f64 {
        self.recoveries as f64 / self.cpu.unwrap_or(self.elapsed).as_secs_f64().max(1e-9)
    }
}

/// The outcome of a run.
#[derive(Clone, Debug)]
pub struct SigcheckReport {
    pub config: SigcheckConfig,
    pub ours_single: Timing,
    /// Total over all threads, wall time.
    pub ours_parallel: Timing,
    pub threads: usize,
    /// Whether threads were pinned to cores.
    pub pinned: bool,
    pub raw_single: Timing,
}

impl SigcheckReport {
    /// Our single-thread rate over raw libsecp256k1's, per CPU second (target ≥ 0.95).
    pub fn ratio(&self) -> f64 {
        self.ours_single.per_cpu_sec() / self.raw_single.per_cpu_sec().max(1e-9)
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "benchmark": "sigcheck",
            "recoveries_per_thread": self.config.recoveries,
            "single_thread_per_sec": self.ours_single.per_sec().round(),
            "single_thread_ms": self.ours_single.elapsed.as_secs_f64() * 1e3,
            "single_thread_per_cpu_sec": self.ours_single.per_cpu_sec().round(),
            "raw_libsecp256k1_per_cpu_sec": self.raw_single.per_cpu_sec().round(),
            "threads": self.threads,
            "pinned": self.pinned,
            "all_cores_per_sec": self.ours_parallel.per_sec().round(),
            "all_cores_ms": self.ours_parallel.elapsed.as_secs_f64() * 1e3,
            "raw_libsecp256k1_per_sec": self.raw_single.per_sec().round(),
            "ratio_ours_over_raw": (self.ratio() * 1000.0).round() / 1000.0,
        })
    }
}

impl fmt::Display for SigcheckReport {
    /// The first line is bitshares-core's log line; the rest are ours.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Benchmark: verify {} signatures/s", self.ours_single.per_sec() as u64)?;
        writeln!(
            f,
            "all cores: {} signatures/s on {} threads ({})",
            self.ours_parallel.per_sec() as u64,
            self.threads,
            if self.pinned { "pinned" } else { "not pinned" }
        )?;
        write!(
            f,
            "raw libsecp256k1 recover_ecdsa: {} signatures/s; per CPU second ours {} raw {}, ours/raw = {:.3}",
            self.raw_single.per_sec() as u64,
            self.ours_single.per_cpu_sec() as u64,
            self.raw_single.per_cpu_sec() as u64,
            self.ratio()
        )
    }
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum SigcheckError {
    #[error("the benchmark signature does not recover to its key: {0}")]
    Recover(String),
    #[error("a benchmark thread panicked")]
    ThreadPanicked,
}

/// The signature and digest every loop recovers from, and the key it must give.
struct Fixture {
    digest: [u8; 32],
    sig: ledger::keys::Signature,
    key: ledger::keys::PublicKey,
}

fn fixture() -> Fixture {
    let key = PrivateKey::from_seed(b"graphene sigcheck").expect("a sha256 seed is a valid scalar");
    let digest = sha256(b"hello");
    Fixture { digest, sig: sign_compact(&key, &digest), key: key.public_key() }
}

fn ours_loop(fx: &Fixture, n: usize) -> Result<Timing, SigcheckError> {
    let cpu0 = thread_cpu_time();
    let start = Instant::now();
    for _ in 0..n {
        let k =
            recover(black_box(&fx.sig), black_box(&fx.digest)).map_err(|e| SigcheckError::Recover(e.to_string()))?;
        black_box(k);
    }
    let elapsed = start.elapsed();
    let cpu = cpu0.zip(thread_cpu_time()).map(|(a, b)| b.saturating_sub(a));
    Ok(Timing { recoveries: n, elapsed, cpu })
}

fn raw_loop(fx: &Fixture, n: usize) -> Result<Timing, SigcheckError> {
    let recid =
        RecoveryId::from_i32(i32::from((fx.sig.0[0] - 27) & 3)).map_err(|e| SigcheckError::Recover(e.to_string()))?;
    let rsig =
        RecoverableSignature::from_compact(&fx.sig.0[1..], recid).map_err(|e| SigcheckError::Recover(e.to_string()))?;
    let msg = Message::from_digest(fx.digest);
    let cpu0 = thread_cpu_time();
    let start = Instant::now();
    for _ in 0..n {
        let k = SECP256K1
            .recover_ecdsa(black_box(&msg), black_box(&rsig))
            .map_err(|e| SigcheckError::Recover(e.to_string()))?;
        black_box(k);
    }
    let elapsed = start.elapsed();
    let cpu = cpu0.zip(thread_cpu_time()).map(|(a, b)| b.saturating_sub(a));
    Ok(Timing { recoveries: n, elapsed, cpu })
}

/// Run the benchmark.
pub fn run_sigcheck(cfg: &SigcheckConfig) -> Result<SigcheckReport, SigcheckError> {
    let n = cfg.recoveries.max(1);
    let fx = fixture();
    let got = recover(&fx.sig, &fx.digest).map_err(|e| SigcheckError::Recover(e.to_string()))?;
    if got != fx.key {
        return Err(SigcheckError::Recover(format!("got {got}, expected {}", fx.key)));
    }
    // Warm up caches and the CPU's clock before the measured loops.
    ours_loop(&fx, n.min(1_000))?;
    let ours_single = ours_loop(&fx, n)?;
    let raw_single = raw_loop(&fx, n)?;

    let cores = core_affinity::get_core_ids().unwrap_or_default();
    let threads = match cfg.threads {
        0 => std::thread::available_parallelism().map_or(1, |p| p.get()),
        t => t,
    };
    let pinned = !cores.is_empty();
    let start = Instant::now();
    let results: Vec<Result<Timing, SigcheckError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let core = cores.get(t % cores.len().max(1)).copied();
                let fx = &fx;
                s.spawn(move || {
                    if let Some(c) = core {
                        core_affinity::set_for_current(c);
                    }
                    ours_loop(fx, n)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(Err(SigcheckError::ThreadPanicked))).collect()
    });
    let elapsed = start.elapsed();
    let mut total = 0;
    for r in results {
        total += r?.recoveries;
    }
    Ok(SigcheckReport {
        config: SigcheckConfig { recoveries: n, threads: cfg.threads },
        ours_single,
        ours_parallel: Timing { recoveries: total, elapsed, cpu: None },
        threads,
        pinned,
        raw_single,
    })
}
