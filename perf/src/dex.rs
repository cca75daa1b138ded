//! `graphene bench dex`: the matching mix of `graphene bench matching` as limit-order
//! transactions applied by the chain, the way `graphene node` applies them.
//!
//! Setup: [`LoadChain::setup`] (the dev chain, `accounts` funded accounts holding core and the
//! user-issued asset `LOAD`, every check on). The market is LOAD (base) against core (quote).
//!
//! Workload: the seeded command stream of [`crate::matching`] (GTC orders, IOC orders, cancels,
//! price moves around a moving mid), mapped one command to one transaction with one operation:
//! * a GTC order is a `limit_order_create` (selling `qty` LOAD at `tick` core each, or buying
//!   `qty` LOAD for `qty × tick` core) by account `id mod accounts`;
//! * an IOC order is a `limit_order_create` with `fill_or_kill` (the protocol has no IOC: an
//!   order that does not fill completely is refused, `fill_or_kill_unfilled`);
//! * a cancel is a `limit_order_cancel` of the chain's order;
//! * a move is a `limit_order_update` with the new price (op 77, the same operation the matching
//!   bench's move uses).
//!
//! A cancel or move of an order that is no longer on the chain (filled or culled there, or never
//! rested) is not sent; it is counted as "not sent". Fees come from the chain's fee schedule.
//! Transactions expire 60–123 s past the head (a client's usual window, so the duplicate-id
//! records stay a few minutes' worth); the same move sent twice in one block with the same
//! expiration has the same id and is refused as a duplicate (about 0.05 % of the stream).
//!
//! Applying: blocks of `block_orders` transactions through [`Chain::open_block`],
//! [`engine::chain::OpenBlock::push`] (one undo frame per transaction, fees charged, balances,
//! TaPoS and duplicate-id checks on) and `seal` (end of block, state hash, LIB). Signatures are
//! skipped (`chain.skip.signatures = true`): the transactions carry none. Latency is measured
//! around each `push`; throughput counts open + push + seal time; CPU time is the applying
//! thread's, which also builds each transaction (a struct fill, no signing).
//!
//! This is measurement code: it reads the clock; it never runs inside the deterministic core.

use crate::matching::{generate, thread_cpu_seconds, Cmd, MatchingBenchConfig, WorkloadStats};
use crate::report::{human_ns, latency_histogram, Percentiles};
use crate::workload::{LoadChain, SetupError};
use engine::chain::{Applied, Chain};
use ledger::asset::{Asset, Price};
use ledger::ids::*;
use ledger::ops::*;
use ledger::time::TimePointSec;
use ledger::transaction::{SignedTransaction, Transaction};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::{Duration, Instant};

/// How far past the head block's time a transaction expires (seconds), at least.
const EXPIRATION_SECONDS: u32 = 60;
/// Spread of expirations (seconds) that keeps equal operations' transaction ids apart.
const EXPIRATION_SPREAD: u64 = 64;

/// What to run.
#[derive(Clone, Debug)]
pub struct DexConfig {
    pub orders: usize,
    pub seed: u64,
    pub block_orders: usize,
    pub accounts: usize,
}

impl Default for DexConfig {
    fn default() -> Self {
        DexConfig { orders: 1_000_000, seed: 1, block_orders: 2_000, accounts: 1_000 }
    }
}

/// What was measured.
#[derive(Clone, Debug)]
pub struct DexReport {
    pub config: DexConfig,
    /// The generated stream (measured on the matching bench's own book while generating).
    pub workload: WorkloadStats,
    /// Open + push + seal time of every block (transaction building excluded).
    pub elapsed: Duration,
    /// CPU time of the applying thread over the whole loop (building transactions included).
    pub cpu_seconds: Option<f64>,
    /// Per-`push` latency (ns).
    pub push: Percentiles,
    pub push_mean_ns: f64,
    /// Per-block `seal` time (ns).
    pub seal: Percentiles,
    pub blocks: usize,
    /// Transactions sent (pushed).
    pub sent: usize,
    pub applied: usize,
    /// Refused transactions by rejection code.
    pub refused: BTreeMap<&'static str, usize>,
    /// Cancels and moves not sent because their order was gone from the chain.
    pub not_sent: usize,
    pub creates: usize,
    pub cancels: usize,
    pub moves: usize,
    /// `fill_order` virtual operations of all blocks.
    pub fills: usize,
    /// Orders resting in the market at the end.
    pub resting: usize,
}

impl DexReport {
    pub fn refused_total(&self) -> usize {
        self.refused.values().sum()
    }

    /// Sent transactions per second of open + push + seal time.
    pub fn orders_per_sec(&self) -> f64 {
        self.sent as f64 / self.elapsed.as_secs_f64()
    }

    pub fn orders_per_cpu_sec(&self) -> Option<f64> {
        self.cpu_seconds.filter(|c| *c > 0.0).map(|c| self.sent as f64 / c)
    }

    pub fn to_json(&self) -> serde_json::Value {
        let c = &self.config;
        serde_json::json!({
            "orders": c.orders, "seed": c.seed, "block_orders": c.block_orders, "accounts": c.accounts,
            "signatures_checked": false,
            "elapsed_seconds": self.elapsed.as_secs_f64(),
            "cpu_seconds": self.cpu_seconds,
            "orders_per_sec": self.orders_per_sec(),
            "orders_per_cpu_sec": self.orders_per_cpu_sec(),
            "push_latency": self.push.to_json_us(),
            "push_mean_us": self.push_mean_ns / 1e3,
            "seal_per_block": self.seal.to_json_us(),
            "blocks": self.blocks,
            "sent": self.sent, "applied": self.applied, "refused": self.refused, "not_sent": self.not_sent,
            "creates": self.creates, "cancels": self.cancels, "moves": self.moves,
            "fill_order_ops": self.fills, "resting_orders": self.resting,
            "workload": {
                "gtc": self.workload.gtc, "ioc": self.workload.ioc, "cancels": self.workload.cancels,
                "moves": self.workload.moves,
            },
        })
    }
}

impl fmt::Display for DexReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        let w = &self.workload;
        let pct = |n: usize| 100.0 * n as f64 / w.commands.max(1) as f64;
        writeln!(
            f,
            "dex through the chain: {} orders of the matching mix (seed {}), {} per block, {} accounts, LOAD/core",
            c.orders, c.seed, c.block_orders, c.accounts
        )?;
        writeln!(
            f,
            "checks: fees, balances, TaPoS, duplicate ids, undo session per transaction, events; \
             signatures SKIPPED (chain.skip.signatures = true)"
        )?;
        writeln!(
            f,
            "mix: GTC create {:.1}%, IOC (fill_or_kill create) {:.1}%, cancel {:.1}%, move (limit_order_update) {:.1}%",
            pct(w.gtc),
            pct(w.ioc),
            pct(w.cancels),
            pct(w.moves)
        )?;
        writeln!(
            f,
            "{:>12.0} orders/s wall ({:.3} s in open/push/seal, {:.0} ns/order, {} blocks)",
            self.orders_per_sec(),
            self.elapsed.as_secs_f64(),
            1e9 / self.orders_per_sec(),
            self.blocks
        )?;
        if let (Some(rate), Some(cpu)) = (self.orders_per_cpu_sec(), self.cpu_seconds) {
            writeln!(
                f,
                "{:>12.0} orders/s per CPU second of the applying thread ({:.3} s CPU incl. building transactions)",
                rate, cpu
            )?;
        }
        let p = &self.push;
        writeln!(
            f,
            "push latency per order: p50 {} | p90 {} | p99 {} | p99.9 {} | max {} | mean {:.0} ns",
            human_ns(p.p50),
            human_ns(p.p90),
            human_ns(p.p99),
            human_ns(p.p999),
            human_ns(p.max),
            self.push_mean_ns
        )?;
        let s = &self.seal;
        writeln!(f, "seal per block: p50 {} | p99 {} | max {}", human_ns(s.p50), human_ns(s.p99), human_ns(s.max))?;
        let refused: Vec<String> = self.refused.iter().map(|(code, n)| format!("{code} {n}")).collect();
        writeln!(
            f,
            "sent {} | applied {} | refused {} ({}) | not sent {} (cancel/move of an order gone from the chain)",
            self.sent,
            self.applied,
            self.refused_total(),
            if refused.is_empty() { "none".into() } else { refused.join(", ") },
            self.not_sent
        )?;
        write!(
            f,
            "applied: creates {} | cancels {} | moves {} | fill_order ops {} | orders resting at the end {}",
            self.creates, self.cancels, self.moves, self.fills, self.resting
        )
    }
}

/// A finished run: the report and the chain it left, with the orders the bench believes rest.
pub struct DexRun {
    pub report: DexReport,
    pub chain: Chain,
    pub base: AssetId,
    pub quote: AssetId,
    /// Orders that rest according to the operations' results and virtual ops.
    pub tracked: BTreeSet<LimitOrderId>,
}

/// The fees of the three operations, from the chain's schedule.
struct Fees {
    create: i64,
    cancel: i64,
    update: i64,
}

fn schedule_fees(chain: &Chain) -> Fees {
    let fees = &chain.state.gpo().parameters.current_fees;
    let fee = |op: Operation| fees.calculate_fee(&op).expect("schedule fees fit") as i64;
    Fees {
        create: fee(Operation::LimitOrderCreate(LimitOrderCreateOp::default())),
        cancel: fee(Operation::LimitOrderCancel(LimitOrderCancelOp::default())),
        update: fee(Operation::LimitOrderUpdate(LimitOrderUpdateOp::default())),
    }
}

/// The price an order of side `ask` at `tick` core per LOAD sells at.
fn tick_price(ask: bool, tick: i64, base: AssetId, quote: AssetId) -> Price {
    if ask {
        Price::new(Asset::new(1, base), Asset::new(tick, quote))
    } else {
        Price::new(Asset::new(tick, quote), Asset::new(1, base))
    }
}

/// Maps generated commands onto operations and follows which of the chain's orders rest.
struct Orders {
    sellers: Vec<AccountId>,
    fees: Fees,
    base: AssetId,
    quote: AssetId,
    /// The chain's order for each generated id (None: never created).
    chain_id: Vec<Option<LimitOrderId>>,
    /// Orders that rest according to the operations' results and virtual ops.
    tracked: BTreeSet<LimitOrderId>,
}

impl Orders {
    fn seller(&self, id: u64) -> AccountId {
        self.sellers[(id % self.sellers.len() as u64) as usize]
    }

    /// The chain's order for generated id `id`, if it still rests.
    fn live(&self, id: u64) -> Option<LimitOrderId> {
        self.chain_id.get(id as usize).copied().flatten().filter(|o| self.tracked.contains(o))
    }

    /// The operation for `cmd`, or none for a cancel or move of an order gone from the chain.
    fn operation(&self, cmd: &Cmd) -> Option<Operation> {
        let (base, quote, fees) = (self.base, self.quote, &self.fees);
        Some(match *cmd {
            Cmd::Place { id, ask, tick, qty, ioc } => {
                let (sell, receive) = if ask {
                    (Asset::new(qty, base), Asset::new(qty * tick, quote))
                } else {
                    (Asset::new(qty * tick, quote), Asset::new(qty, base))
                };
                Operation::LimitOrderCreate(LimitOrderCreateOp {
                    fee: Asset::core(fees.create),
                    seller: self.seller(id),
                    amount_to_sell: sell,
                    min_to_receive: receive,
                    expiration: TimePointSec::MAX,
                    fill_or_kill: ioc,
                    ..Default::default()
                })
            }
            Cmd::Cancel { id } => Operation::LimitOrderCancel(LimitOrderCancelOp {
                fee: Asset::core(fees.cancel),
                fee_paying_account: self.seller(id),
                order: self.live(id)?,
                ..Default::default()
            }),
            Cmd::Move { id, ask, tick } => Operation::LimitOrderUpdate(LimitOrderUpdateOp {
                fee: Asset::core(fees.update),
                seller: self.seller(id),
                order: self.live(id)?,
                new_price: Some(tick_price(ask, tick, base, quote)),
                ..Default::default()
            }),
        })
    }

    /// Count what `applied` did for `cmd` and return the orders it touched (whose fate
    /// [`Orders::settle`] reads back from the state).
    fn touched(&mut self, cmd: &Cmd, applied: &Applied, r: &mut DexReport) -> Vec<LimitOrderId> {
        r.applied += 1;
        let mut touched: Vec<LimitOrderId> = applied
            .virtual_ops
            .iter()
            .filter_map(|v| match v {
                Operation::FillOrder(f) => LimitOrderId::try_from(f.order_id).ok(),
                Operation::LimitOrderCancel(c) => Some(c.order),
                _ => None,
            })
            .collect();
        match (*cmd, &applied.operation_results[0]) {
            (Cmd::Place { id, .. }, OperationResult::ObjectId(o)) => {
                r.creates += 1;
                let order = LimitOrderId::try_from(*o).expect("limit_order_create returns an order id");
                if self.chain_id.len() <= id as usize {
                    self.chain_id.resize(id as usize + 1, None);
                }
                self.chain_id[id as usize] = Some(order);
                touched.push(order);
            }
            (Cmd::Place { .. }, other) => panic!("limit_order_create returned {other:?}"),
            (Cmd::Cancel { id }, _) => {
                r.cancels += 1;
                touched.extend(self.chain_id[id as usize]);
            }
            (Cmd::Move { id, .. }, _) => {
                r.moves += 1;
                touched.extend(self.chain_id[id as usize]);
            }
        }
        touched
    }

    /// Track each of `touched` as resting or gone, as the state says.
    fn settle(&mut self, touched: Vec<LimitOrderId>, state: &engine::state::State) {
        for order in touched {
            if state.limit_orders.get(order.0).is_some() {
                self.tracked.insert(order);
            } else {
                self.tracked.remove(&order);
            }
        }
    }
}

fn empty_report(config: DexConfig, workload: WorkloadStats) -> DexReport {
    DexReport {
        config,
        workload,
        elapsed: Duration::ZERO,
        cpu_seconds: None,
        push: Percentiles::default(),
        push_mean_ns: 0.0,
        seal: Percentiles::default(),
        blocks: 0,
        sent: 0,
        applied: 0,
        refused: BTreeMap::new(),
        not_sent: 0,
        creates: 0,
        cancels: 0,
        moves: 0,
        fills: 0,
        resting: 0,
    }
}

/// Run the benchmark: set up, generate the stream, apply it block by block.
pub fn run_dex(cfg: DexConfig) -> Result<DexRun, SetupError> {
    let lc = LoadChain::setup(cfg.accounts.max(1))?;
    let mut chain = lc.chain;
    chain.skip.signatures = true;
    let mut orders = Orders {
        sellers: lc.accounts.iter().map(|(id, _)| *id).collect(),
        fees: schedule_fees(&chain),
        base: lc.load_asset,
        quote: CORE_ASSET,
        chain_id: Vec::new(),
        tracked: BTreeSet::new(),
    };
    let matching = MatchingBenchConfig { seed: cfg.seed, commands: cfg.orders, ..Default::default() };
    let (cmds, workload) = generate(&matching);
    let mut r = empty_report(cfg.clone(), workload);
    let (mut push_hist, mut seal_hist) = (latency_histogram(), latency_histogram());
    let cpu0 = thread_cpu_seconds();
    let mut n = 0u64;
    for block_cmds in cmds.chunks(cfg.block_orders.max(1)) {
        let (head_id, head_time) = (chain.head_id(), chain.head_time());
        let when = chain.slot_time(1);
        let start = Instant::now();
        let mut ob = chain.open_block(when).expect("the next slot opens");
        let mut in_block = start.elapsed();
        for cmd in block_cmds {
            n += 1;
            let Some(op) = orders.operation(cmd) else {
                r.not_sent += 1;
                continue;
            };
            let mut tx = SignedTransaction {
                transaction: Transaction {
                    // A client's usual window past the head (so the duplicate-id records stay
                    // a couple of minutes' worth, added in nearly increasing expiration order),
                    // spread over 64 s so equal operations in one block still differ in id.
                    expiration: head_time.plus(EXPIRATION_SECONDS + (n % EXPIRATION_SPREAD) as u32),
                    operations: vec![op],
                    ..Default::default()
                },
                signatures: vec![],
            };
            tx.set_reference_block(&head_id);
            r.sent += 1;
            let t0 = Instant::now();
            let result = ob.push(&tx, None);
            let took = t0.elapsed();
            in_block += took;
            push_hist.saturating_record(took.as_nanos().max(1) as u64);
            match result {
                Err(e) => *r.refused.entry(e.code()).or_default() += 1,
                Ok(applied) => {
                    let touched = orders.touched(cmd, applied, &mut r);
                    orders.settle(touched, &ob.chain().state);
                }
            }
        }
        let t0 = Instant::now();
        let (_, outcome) = ob.seal(None);
        let sealed = t0.elapsed();
        in_block += sealed;
        seal_hist.saturating_record(sealed.as_nanos().max(1) as u64);
        r.elapsed += in_block;
        r.blocks += 1;
        r.fills += outcome.virtual_ops().filter(|v| matches!(v, Operation::FillOrder(_))).count();
        // Orders the end of block removed (expiry, culls) are no longer tracked.
        for v in &outcome.end_of_block {
            if let Operation::LimitOrderCancel(c) = v {
                orders.tracked.remove(&c.order);
            }
        }
    }
    r.cpu_seconds = cpu0.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
    r.push = Percentiles::of(&push_hist);
    r.push_mean_ns = push_hist.mean();
    r.seal = Percentiles::of(&seal_hist);
    let (base, quote) = (orders.base, orders.quote);
    r.resting = engine::query::market_orders(&chain.state, base, quote).len();
    Ok(DexRun { report: r, chain, base, quote, tracked: orders.tracked })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dex_smoke_every_order_accounted_fills_book_and_invariants() {
        let cfg = DexConfig { orders: 20_000, seed: 3, block_orders: 1_000, accounts: 50 };
        let run = run_dex(cfg).expect("setup applies");
        let r = &run.report;
        // Every command was sent (and then applied or refused with a code) or not sent for a reason.
        assert_eq!(r.sent + r.not_sent, 20_000, "{r}");
        assert_eq!(r.applied + r.refused_total(), r.sent, "{r}");
        assert_eq!(r.creates + r.cancels + r.moves, r.applied, "{r}");
        assert_eq!(r.blocks, 20);
        // Refusals are the protocol's own: an IOC that does not fill, a move that would leave a
        // dust order or exceed what the order can sell, the same move twice in one block with
        // the same expiration (a duplicate transaction id).
        for code in r.refused.keys() {
            assert!(
                ["duplicate_transaction", "fill_or_kill_unfilled", "limit_order_update_invalid"].contains(code),
                "unexpected refusal {code}: {r}"
            );
        }
        assert!(r.applied > 15_000, "{r}");
        assert!(r.fills > 0, "{r}");
        assert!(r.cancels > 0 && r.moves > 0, "{r}");
        assert_eq!(r.push.count as usize, r.sent);
        assert!(r.push.ordered() && r.seal.ordered());
        // The book the operations' results describe is the book the query reports.
        let state = &run.chain.state;
        let on_chain: BTreeSet<LimitOrderId> =
            engine::query::market_orders(state, run.base, run.quote).iter().map(|o| o.id).collect();
        assert_eq!(on_chain, run.tracked);
        assert_eq!(r.resting, on_chain.len());
        assert!(r.resting > 100, "{r}");
        let depth = engine::query::order_book(state, run.base, run.quote, None);
        let levels_orders: usize = depth.asks.iter().chain(depth.bids.iter()).map(|l| l.orders as usize).sum();
        assert_eq!(levels_orders, r.resting);
        engine::bitasset::invariants::check_invariants(state).expect("the state keeps its invariants");
    }
}
