//! `graphene bench matching`: the exchange-core single-book benchmark against the DEX matching
//! core (`engine::dex::OrderBook`). The chain keeps its limit orders in that same book but does
//! its own matching around it (fees, deferred fees and margin calls per fill), so this measures
//! the book's structure and its own `match_taker` loop, not the chain's path: that one is
//! `graphene bench dex` (`perf::dex`).
//!
//! Workload (seeded, reproducible): 9 % new resting GTC orders, 3 % IOC, 6 % cancels, 82 % moves
//! (`limit_order_update` with a new price), around ~1,000 resting orders spread over ~750 price
//! levels; a few percent of commands trade. The stream is generated up front (a tracking book
//! tells the generator which orders are still alive), then replayed into a fresh book:
//! * throughput: one thread, back to back;
//! * latency: open loop at stepped offered rates. Send times are planned in advance and latency
//!   is measured from the planned time, so a stall counts against every command queued behind it
//!   (no coordinated omission). Percentiles from hdrhistogram; each step's histogram is written
//!   as a `.hgrm` percentile distribution.
//! * `compare`: the same stream, with a move expressed as cancel + new order, into `lobster` 0.7
//!   (a bench-only peer dependency: it never touches the node) and into our book with those same
//!   simplified semantics.
//!
//! This is measurement code: it reads the clock and uses seeded randomness, and never runs inside
//! the deterministic core.

use engine::dex::seeded::SplitMix64;
use engine::dex::{BookEvent, LimitOrderBook, MarketPair, Order, OrderBook, TimeInForce};
use hdrhistogram::Histogram;
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, LimitOrderId};
use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const BASE: AssetId = AssetId(1);
const QUOTE: AssetId = AssetId(2);
/// The generator's starting mid price, in quote units per base unit.
const MID_TICK: i64 = 100_000;

/// What to run.
#[derive(Clone, Debug)]
pub struct MatchingBenchConfig {
    pub seed: u64,
    pub commands: usize,
    /// Target number of resting orders the generator keeps the book around.
    pub resting_orders: usize,
    /// Width, in ticks, of each side of the book the generator spreads resting orders over.
    pub ticks_per_side: i64,
    /// Offered rates (commands/s) of the open-loop latency steps; empty skips latency.
    pub rates: Vec<u64>,
    /// Length of each latency step (capped by the stream length).
    pub step_seconds: f64,
    /// Also run lobster 0.7 and our book on the cancel+new form of the stream.
    pub compare: bool,
    /// Where to write one `.hgrm` file per latency step; none writes no files.
    pub hgrm_dir: Option<PathBuf>,
}

impl Default for MatchingBenchConfig {
    fn default() -> Self {
        MatchingBenchConfig {
            seed: 1,
            commands: 3_000_000,
            resting_orders: 1_000,
            ticks_per_side: 800,
            rates: vec![100_000, 500_000, 1_000_000, 2_000_000, 5_000_000],
            step_seconds: 1.0,
            compare: false,
            hgrm_dir: None,
        }
    }
}

/// One open-loop step.
#[derive(Clone, Debug)]
pub struct LatencyRow {
    pub offered_per_sec: u64,
    pub achieved_per_sec: f64,
    pub commands: usize,
    pub p50_ns: u64,
    pub p90_ns: u64,
    pub p99_ns: u64,
    pub p999_ns: u64,
    pub max_ns: u64,
    pub hgrm: Option<PathBuf>,
    /// The latencies (nanoseconds), for `.hgrm` files and plots.
    pub histogram: Histogram<u64>,
}

/// The lobster comparison on the cancel+new stream.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub commands: usize,
    pub ours_per_sec: f64,
    pub lobster_per_sec: f64,
}

/// What the stream looked like, measured while generating it.
#[derive(Clone, Debug, Default)]
pub struct WorkloadStats {
    pub commands: usize,
    pub gtc: usize,
    pub ioc: usize,
    pub cancels: usize,
    pub moves: usize,
    /// Commands that produced at least one fill.
    pub trading: usize,
    pub fills: usize,
    pub mean_resting_orders: f64,
    pub mean_levels: f64,
}

#[derive(Clone, Debug)]
pub struct MatchingReport {
    pub seed: u64,
    pub workload: WorkloadStats,
    pub throughput_per_sec: f64,
    pub throughput_seconds: f64,
    /// CPU time of the throughput pass (wall time minus time the thread was descheduled).
    pub throughput_cpu_seconds: Option<f64>,
    pub latency: Vec<LatencyRow>,
    pub comparison: Option<Comparison>,
}

/// One command of the stream (shared with `graphene bench dex`, which maps it onto operations).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cmd {
    Place { id: u64, ask: bool, tick: i64, qty: i64, ioc: bool },
    Cancel { id: u64 },
    Move { id: u64, ask: bool, tick: i64 },
}

/// The cancel+new form understood by both books of the comparison.
#[derive(Clone, Copy, Debug)]
enum SimpleCmd {
    Place { id: u64, ask: bool, tick: i64, qty: i64, ioc: bool },
    Cancel { id: u64 },
}

fn price(ask: bool, tick: i64) -> Price {
    if ask {
        Price::new(Asset::new(1, BASE), Asset::new(tick, QUOTE))
    } else {
        Price::new(Asset::new(tick, QUOTE), Asset::new(1, BASE))
    }
}

fn order(id: u64, ask: bool, tick: i64, qty: i64) -> Order {
    let for_sale = if ask { qty } else { qty * tick };
    Order { id: LimitOrderId(id), seller: AccountId(id % 1_000 + 100), for_sale, sell_price: price(ask, tick) }
}

/// Apply one command to our book with BitShares semantics (a move is `limit_order_update`).
#[inline]
fn apply_native(book: &mut OrderBook, cmd: &Cmd, events: &mut Vec<BookEvent>) {
    events.clear();
    // Results are deliberately ignored: a rejected command (an update that would be dust, say)
    // is part of the workload and costs what it costs.
    let _ = match *cmd {
        Cmd::Place { id, ask, tick, qty, ioc } => {
            let tif = if ioc { TimeInForce::ImmediateOrCancel } else { TimeInForce::GoodTilCancelled };
            book.match_taker(order(id, ask, tick, qty), tif, events).map(|_| ())
        }
        Cmd::Cancel { id } => {
            book.cancel(LimitOrderId(id));
            Ok(())
        }
        Cmd::Move { id, ask, tick } => book.update(LimitOrderId(id), Some(price(ask, tick)), 0, events).map(|_| ()),
    };
}

/// Generate the stream, tracking live orders with a book of our own.
pub(crate) fn generate(cfg: &MatchingBenchConfig) -> (Vec<Cmd>, WorkloadStats) {
    let mut rng = SplitMix64(cfg.seed);
    let mut book = OrderBook::with_capacity(MarketPair::new(BASE, QUOTE), cfg.resting_orders * 4);
    let mut live: Vec<(u64, bool, i64)> = Vec::with_capacity(cfg.resting_orders * 4);
    let mut pos: Vec<u32> = Vec::new(); // id -> index in `live`, u32::MAX if none
    let mut cmds = Vec::with_capacity(cfg.commands);
    let mut stats = WorkloadStats { commands: cfg.commands, ..Default::default() };
    let mut events = Vec::new();
    let (mut next_id, mut sum_orders, mut sum_levels) = (0u64, 0f64, 0f64);
    let width = cfg.ticks_per_side.max(2);
    for _ in 0..cfg.commands {
        let best_ask = book.best_ask().map(|p| p.quote.amount);
        let best_bid = book.best_bid().map(|p| p.base.amount);
        let mid = match (best_bid, best_ask) {
            (Some(b), Some(a)) => (a + b) / 2,
            (Some(b), None) => b + 1,
            (None, Some(a)) => a - 1,
            (None, None) => MID_TICK,
        };
        // Keep the book near its target size: a fuller book gets more aggressive flow.
        let pressure = live.len() as f64 / cfg.resting_orders as f64;
        let roll = rng.below(100);
        let cmd = if roll < 9 || live.is_empty() {
            next_id += 1;
            let ask = rng.below(2) == 0;
            let aggressive = rng.below(1000) < (60.0 * pressure * pressure) as u64;
            let off = if aggressive { -rng.range(0, 3) } else { rng.range(1, width) };
            let tick = if ask { mid + off } else { mid - off };
            stats.gtc += 1;
            Cmd::Place { id: next_id, ask, tick: tick.max(1), qty: rng.range(1, 100), ioc: false }
        } else if roll < 12 {
            next_id += 1;
            let ask = rng.below(2) == 0;
            let tick = if ask { best_bid.unwrap_or(mid) - 2 } else { best_ask.unwrap_or(mid) + 2 };
            stats.ioc += 1;
            let qty = rng.range(1, (10.0 * pressure * pressure) as i64 + 1);
            Cmd::Place { id: next_id, ask, tick: tick.max(1), qty, ioc: true }
        } else if roll < 18 {
            stats.cancels += 1;
            Cmd::Cancel { id: live[rng.below(live.len() as u64) as usize].0 }
        } else {
            stats.moves += 1;
            let (id, ask, tick) = live[rng.below(live.len() as u64) as usize];
            let step = rng.range(1, 4);
            // A few moves reprice to cross the spread (they trade); more when the book is full.
            let cross = rng.below(1000) < (50.0 * pressure * pressure * pressure) as u64;
            let cross_tick = if ask { best_bid.map(|b| b - step + 1) } else { best_ask.map(|a| a + step - 1) };
            // Mostly drift within the side; toward the spread more often when the book is full.
            let toward = rng.below(100) < (48.0 * pressure.min(1.5)) as u64;
            let new_tick = if ask == toward { tick - step } else { tick + step };
            let new_tick = new_tick.clamp(mid - 2 * width, mid + 2 * width).max(1);
            let new_tick = if cross { cross_tick.unwrap_or(new_tick) } else { new_tick };
            Cmd::Move { id, ask, tick: new_tick }
        };
        apply_native(&mut book, &cmd, &mut events);
        let fills = events.iter().filter(|e| matches!(e, BookEvent::Fill(_))).count();
        stats.fills += fills;
        stats.trading += usize::from(fills > 0);
        track_live(&book, &cmd, &events, &mut live, &mut pos);
        sum_orders += book.len() as f64;
        sum_levels += (book.level_count(engine::dex::Side::Ask) + book.level_count(engine::dex::Side::Bid)) as f64;
        cmds.push(cmd);
    }
    stats.mean_resting_orders = sum_orders / cfg.commands.max(1) as f64;
    stats.mean_levels = sum_levels / cfg.commands.max(1) as f64;
    (cmds, stats)
}

/// Keep the generator's list of live orders (id, is_ask, tick) in step with the book.
fn track_live(book: &OrderBook, cmd: &Cmd, events: &[BookEvent], live: &mut Vec<(u64, bool, i64)>, pos: &mut Vec<u32>) {
    let mut drop = |id: u64, live: &mut Vec<(u64, bool, i64)>| {
        let p = pos.get(id as usize).copied().unwrap_or(u32::MAX);
        if p != u32::MAX && book.get(LimitOrderId(id)).is_none() {
            live.swap_remove(p as usize);
            if let Some(moved) = live.get(p as usize) {
                pos[moved.0 as usize] = p;
            }
            pos[id as usize] = u32::MAX;
        }
    };
    for e in events {
        let id = match e {
            BookEvent::Fill(f) => f.order_id.0,
            BookEvent::Cull(c) => c.order_id.0,
        };
        drop(id, live);
    }
    match *cmd {
        Cmd::Place { id, ask, tick, .. } => {
            if book.get(LimitOrderId(id)).is_some() {
                if pos.len() <= id as usize {
                    pos.resize(id as usize + 1, u32::MAX);
                }
                pos[id as usize] = live.len() as u32;
                live.push((id, ask, tick));
            }
        }
        Cmd::Cancel { id } => drop(id, live),
        Cmd::Move { id, tick, .. } => {
            drop(id, live);
            let p = pos.get(id as usize).copied().unwrap_or(u32::MAX);
            if p != u32::MAX {
                live[p as usize].2 = tick;
            }
        }
    }
}

fn fresh_book(cfg: &MatchingBenchConfig) -> OrderBook {
    OrderBook::with_capacity(MarketPair::new(BASE, QUOTE), cfg.resting_orders * 4)
}

/// This thread's user + system CPU time, from `/proc/thread-self/stat` (Linux; 10 ms ticks).
/// On a shared machine wall time includes time spent descheduled; CPU time does not.
pub(crate) fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Wall time and, where available, CPU time of one back-to-back pass.
fn measure_throughput(cfg: &MatchingBenchConfig, cmds: &[Cmd]) -> (Duration, Option<f64>) {
    let mut book = fresh_book(cfg);
    let mut events = Vec::with_capacity(256);
    let cpu0 = thread_cpu_seconds();
    let start = Instant::now();
    for c in cmds {
        apply_native(&mut book, c, &mut events);
    }
    let wall = start.elapsed();
    let cpu = cpu0.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
    (wall, cpu)
}

fn measure_rate(cfg: &MatchingBenchConfig, cmds: &[Cmd], rate: u64, step: usize) -> std::io::Result<LatencyRow> {
    let n = cmds.len().min(((rate as f64) * cfg.step_seconds) as usize).max(1);
    let mut book = fresh_book(cfg);
    let mut events = Vec::with_capacity(256);
    let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000_000, 3).expect("valid bounds");
    let interval_ns = 1e9 / rate as f64;
    let start = Instant::now();
    for (i, c) in cmds[..n].iter().enumerate() {
        let planned = Duration::from_nanos((i as f64 * interval_ns) as u64);
        while start.elapsed() < planned {
            std::hint::spin_loop();
        }
        apply_native(&mut book, c, &mut events);
        let latency = start.elapsed().saturating_sub(planned);
        hist.saturating_record(latency.as_nanos().max(1) as u64);
    }
    let elapsed = start.elapsed().as_secs_f64();
    let hgrm = match &cfg.hgrm_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let path = dir.join(format!("matching-{step:02}-{rate}ops.hgrm"));
            std::fs::write(&path, crate::report::percentile_distribution(&hist))?;
            Some(path)
        }
        None => None,
    };
    Ok(LatencyRow {
        offered_per_sec: rate,
        achieved_per_sec: n as f64 / elapsed,
        commands: n,
        p50_ns: hist.value_at_quantile(0.50),
        p90_ns: hist.value_at_quantile(0.90),
        p99_ns: hist.value_at_quantile(0.99),
        p999_ns: hist.value_at_quantile(0.999),
        max_ns: hist.max(),
        hgrm,
        histogram: hist,
    })
}

/// Express moves as cancel + new (with a fresh id), for books without an update operation.
fn simplify(cmds: &[Cmd]) -> Vec<SimpleCmd> {
    let mut next_id = cmds.iter().map(|c| if let Cmd::Place { id, .. } = c { *id } else { 0 }).max().unwrap_or(0);
    let mut current: Vec<u64> = (0..=next_id).collect();
    let mut side: Vec<(bool, i64)> = vec![(true, 0); next_id as usize + 1];
    let mut out = Vec::with_capacity(cmds.len() * 2);
    for c in cmds {
        match *c {
            Cmd::Place { id, ask, tick, qty, ioc } => {
                side[id as usize] = (ask, qty);
                out.push(SimpleCmd::Place { id, ask, tick, qty, ioc });
            }
            Cmd::Cancel { id } => out.push(SimpleCmd::Cancel { id: current[id as usize] }),
            Cmd::Move { id, tick, .. } => {
                next_id += 1;
                let (ask, qty) = side[id as usize];
                out.push(SimpleCmd::Cancel { id: current[id as usize] });
                out.push(SimpleCmd::Place { id: next_id, ask, tick, qty, ioc: false });
                current[id as usize] = next_id;
            }
        }
    }
    out
}

fn compare(cfg: &MatchingBenchConfig, cmds: &[Cmd]) -> Comparison {
    let simple = simplify(cmds);
    let mut book = fresh_book(cfg);
    let mut events = Vec::with_capacity(256);
    let start = Instant::now();
    for c in &simple {
        events.clear();
        match *c {
            SimpleCmd::Place { id, ask, tick, qty, ioc } => {
                let tif = if ioc { TimeInForce::ImmediateOrCancel } else { TimeInForce::GoodTilCancelled };
                let _ = book.match_taker(order(id, ask, tick, qty), tif, &mut events);
            }
            SimpleCmd::Cancel { id } => {
                book.cancel(LimitOrderId(id));
            }
        }
    }
    let ours = start.elapsed().as_secs_f64();

    use lobster::{OrderType, Side};
    let mut lob = lobster::OrderBook::new(cfg.resting_orders * 4, 16, false);
    let start = Instant::now();
    for c in &simple {
        let ev = match *c {
            SimpleCmd::Place { id, ask, tick, qty, ioc } => {
                let side = if ask { Side::Ask } else { Side::Bid };
                if ioc {
                    // lobster has no IOC limit order; a market order of the same size is the
                    // closest it offers.
                    lob.execute(OrderType::Market { id: u128::from(id), side, qty: qty as u64 })
                } else {
                    lob.execute(OrderType::Limit { id: u128::from(id), side, qty: qty as u64, price: tick as u64 })
                }
            }
            SimpleCmd::Cancel { id } => lob.execute(OrderType::Cancel { id: u128::from(id) }),
        };
        std::hint::black_box(ev);
    }
    let lobster_secs = start.elapsed().as_secs_f64();
    Comparison {
        commands: simple.len(),
        ours_per_sec: simple.len() as f64 / ours,
        lobster_per_sec: simple.len() as f64 / lobster_secs,
    }
}

/// Generate the stream and run every measurement the config asks for.
pub fn run_matching_bench(cfg: MatchingBenchConfig) -> std::io::Result<MatchingReport> {
    let (cmds, workload) = generate(&cfg);
    // One untimed pass warms caches, the allocator and the branch predictors.
    measure_throughput(&cfg, &cmds[..cmds.len().min(200_000)]);
    let (elapsed, cpu) = measure_throughput(&cfg, &cmds);
    let mut latency = Vec::with_capacity(cfg.rates.len());
    for (step, &rate) in cfg.rates.iter().enumerate() {
        latency.push(measure_rate(&cfg, &cmds, rate, step)?);
    }
    let comparison = cfg.compare.then(|| compare(&cfg, &cmds));
    Ok(MatchingReport {
        seed: cfg.seed,
        workload,
        throughput_per_sec: cmds.len() as f64 / elapsed.as_secs_f64(),
        throughput_seconds: elapsed.as_secs_f64(),
        throughput_cpu_seconds: cpu,
        latency,
        comparison,
    })
}

impl MatchingReport {
    pub fn to_json(&self) -> serde_json::Value {
        let w = &self.workload;
        serde_json::json!({
            "seed": self.seed,
            "workload": {
                "commands": w.commands, "gtc": w.gtc, "ioc": w.ioc, "cancels": w.cancels, "moves": w.moves,
                "trading_commands": w.trading, "fills": w.fills,
                "mean_resting_orders": w.mean_resting_orders, "mean_levels": w.mean_levels,
            },
            "throughput_ops_per_sec": self.throughput_per_sec,
            "throughput_seconds": self.throughput_seconds,
            "throughput_cpu_seconds": self.throughput_cpu_seconds,
            "latency": self.latency.iter().map(|r| serde_json::json!({
                "offered_ops_per_sec": r.offered_per_sec, "achieved_ops_per_sec": r.achieved_per_sec,
                "commands": r.commands, "p50_ns": r.p50_ns, "p90_ns": r.p90_ns, "p99_ns": r.p99_ns,
                "p999_ns": r.p999_ns, "max_ns": r.max_ns,
                "hgrm": r.hgrm.as_ref().map(|p| p.display().to_string()),
            })).collect::<Vec<_>>(),
            "comparison": self.comparison.as_ref().map(|c| serde_json::json!({
                "commands": c.commands, "ours_ops_per_sec": c.ours_per_sec,
                "lobster_ops_per_sec": c.lobster_per_sec, "ratio": c.ours_per_sec / c.lobster_per_sec,
            })),
        })
    }
}

impl fmt::Display for MatchingReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = &self.workload;
        let pct = |n: usize| 100.0 * n as f64 / w.commands.max(1) as f64;
        writeln!(f, "matching benchmark (seed {}), single book, one thread", self.seed)?;
        writeln!(
            f,
            "workload: {} commands: GTC {:.1}%, IOC {:.1}%, cancel {:.1}%, move {:.1}%; trading {:.1}% ({} fills); \
             mean {:.0} resting orders over {:.0} levels",
            w.commands,
            pct(w.gtc),
            pct(w.ioc),
            pct(w.cancels),
            pct(w.moves),
            pct(w.trading),
            w.fills,
            w.mean_resting_orders,
            w.mean_levels
        )?;
        writeln!(
            f,
            "throughput: {:.2} M ops/s ({:.3} s, {:.0} ns/op)",
            self.throughput_per_sec / 1e6,
            self.throughput_seconds,
            1e9 / self.throughput_per_sec
        )?;
        if let Some(cpu) = self.throughput_cpu_seconds.filter(|c| *c > 0.0) {
            let n = self.workload.commands as f64;
            writeln!(
                f,
                "  per CPU second: {:.2} M ops/s ({:.3} s CPU, {:.0} ns/op)",
                n / cpu / 1e6,
                cpu,
                cpu * 1e9 / n
            )?;
        }
        if !self.latency.is_empty() {
            writeln!(f, "open-loop latency (from planned send time), ns:")?;
            writeln!(
                f,
                "{:>12} {:>12} {:>9} {:>8} {:>8} {:>8} {:>9} {:>10}",
                "offered/s", "achieved/s", "commands", "p50", "p90", "p99", "p99.9", "max"
            )?;
            for r in &self.latency {
                writeln!(
                    f,
                    "{:>12} {:>12.0} {:>9} {:>8} {:>8} {:>8} {:>9} {:>10}",
                    r.offered_per_sec,
                    r.achieved_per_sec,
                    r.commands,
                    r.p50_ns,
                    r.p90_ns,
                    r.p99_ns,
                    r.p999_ns,
                    r.max_ns
                )?;
            }
        }
        if let Some(c) = &self.comparison {
            writeln!(
                f,
                "cancel+new stream ({} commands): ours {:.2} M ops/s, lobster 0.7 {:.2} M ops/s, ratio {:.1}x",
                c.commands,
                c.ours_per_sec / 1e6,
                c.lobster_per_sec / 1e6,
                c.ours_per_sec / c.lobster_per_sec
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_is_reproducible_and_has_the_mix() {
        let cfg = MatchingBenchConfig { commands: 20_000, ..Default::default() };
        let (a, stats) = generate(&cfg);
        let (b, _) = generate(&cfg);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        let pct = |n: usize| n as f64 * 100.0 / stats.commands as f64;
        for (got, want) in
            [(pct(stats.gtc), 9.0), (pct(stats.ioc), 3.0), (pct(stats.cancels), 6.0), (pct(stats.moves), 82.0)]
        {
            assert!((got - want).abs() < 0.6, "mix {got:.2}% where {want}% was asked");
        }
        assert!(stats.trading > 0);
    }

    #[test]
    fn simplified_stream_replaces_each_move_by_cancel_and_new() {
        let cmds = [
            Cmd::Place { id: 1, ask: true, tick: 10, qty: 5, ioc: false },
            Cmd::Move { id: 1, ask: true, tick: 11 },
            Cmd::Cancel { id: 1 },
        ];
        let s = simplify(&cmds);
        assert_eq!(s.len(), 4);
        assert!(matches!(s[2], SimpleCmd::Place { id: 2, tick: 11, qty: 5, .. }));
        assert!(matches!(s[3], SimpleCmd::Cancel { id: 2 }));
    }
}
