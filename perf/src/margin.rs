//! `graphene bench margin`: the cost of margin calls in one BitAsset with many open positions.
//!
//! Setup: the dev genesis; `USD` (backed by core) with a feed of 10 core per USD (MCR 1.75,
//! MSSR 1.5); `healthy` positions of 1000 USD against 30000 core (+ i) and `callable`
//! positions of 1000 USD against 20000 core (+ i), written straight into the arenas with their
//! borrowers; a deep book of orders selling 1000 USD each at 13 core per USD (1.1 × what the
//! callable positions owe). Then one block publishes a feed of 12 core per USD: the maintenance
//! collateralization becomes 21 core per USD, so exactly the `callable` positions are margin
//! called against the book. That block is timed; the per-position cost is its time divided by
//! the positions called. Running with different `healthy` counts shows the cost does not depend
//! on them (positions are found through the by-collateral index).
//!
//! This is measurement code: it reads the clock; it never runs inside the deterministic core.

use engine::chain::{Chain, SkipFlags};
use engine::state::State;
use ledger::asset::{Asset, Price};
use ledger::genesis::GenesisState;
use ledger::ids::*;
use ledger::objects::{AccountObject, AccountStatisticsObject, CallOrderObject, LimitOrderObject};
use ledger::ops::*;
use ledger::time::TimePointSec;
use ledger::transaction::{ChainId, SignedTransaction, Transaction};
use std::fmt;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Clone, Debug)]
pub struct MarginBenchConfig {
    pub healthy: usize,
    pub callable: usize,
}

impl Default for MarginBenchConfig {
    fn default() -> Self {
        MarginBenchConfig { healthy: 99_000, callable: 1_000 }
    }
}

/// What was measured.
#[derive(Clone, Debug)]
pub struct MarginReport {
    pub healthy: usize,
    pub callable: usize,
    pub book_orders: usize,
    pub setup: Duration,
    /// The block with the feed drop and every margin call it triggers.
    pub feed_drop_block: Duration,
    /// An ordinary empty block (median of 21), for scale.
    pub empty_block: Duration,
    /// Positions closed by the feed drop (must equal `callable`).
    pub positions_called: usize,
    /// `fill_order` virtual operations of the feed-drop transaction.
    pub fills: usize,
}

impl MarginReport {
    pub fn per_position(&self) -> Duration {
        self.feed_drop_block / self.positions_called.max(1) as u32
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "healthy_positions": self.healthy,
            "callable_positions": self.callable,
            "book_orders": self.book_orders,
            "setup_ms": self.setup.as_secs_f64() * 1e3,
            "feed_drop_block_ms": self.feed_drop_block.as_secs_f64() * 1e3,
            "per_position_us": self.per_position().as_secs_f64() * 1e6,
            "empty_block_ms": self.empty_block.as_secs_f64() * 1e3,
            "positions_called": self.positions_called,
            "fills": self.fills,
        })
    }
}

impl fmt::Display for MarginReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "positions {} healthy + {} callable | book {} orders",
            self.healthy, self.callable, self.book_orders
        )?;
        writeln!(f, "setup                          {:>10.1} ms", self.setup.as_secs_f64() * 1e3)?;
        writeln!(f, "feed-drop block (margin calls) {:>10.2} ms", self.feed_drop_block.as_secs_f64() * 1e3)?;
        writeln!(f, "per called position            {:>10.2} µs", self.per_position().as_secs_f64() * 1e6)?;
        writeln!(f, "empty block                    {:>10.3} ms", self.empty_block.as_secs_f64() * 1e3)?;
        write!(f, "positions called {} | fill_order ops {}", self.positions_called, self.fills)
    }
}

const DEBT: i64 = 1000;

/// `n` borrower accounts written into the arenas.
pub(crate) fn accounts(state: &mut State, n: usize) -> Vec<AccountId> {
    (0..n)
        .map(|k| {
            let id = AccountId(state.accounts.next_instance());
            let name = format!("borrower-{k:07}");
            let stats = state.statistics.create(|i| AccountStatisticsObject {
                id: AccountStatisticsId(i),
                owner: id,
                name: name.clone(),
                ..Default::default()
            });
            state.accounts.create(|i| AccountObject {
                id: AccountId(i),
                registrar: id,
                referrer: id,
                lifetime_referrer: id,
                membership_expiration_date: TimePointSec::MAX,
                name,
                statistics: AccountStatisticsId(stats),
                ..Default::default()
            });
            id
        })
        .collect()
}

pub(crate) fn tx(chain: &Chain, ops: Vec<Operation>, nonce: u32) -> SignedTransaction {
    SignedTransaction {
        transaction: Transaction {
            expiration: chain.head_time().plus(60 + nonce),
            operations: ops,
            ..Default::default()
        },
        signatures: vec![],
    }
}

pub(crate) fn block(chain: &mut Chain, txs: &[SignedTransaction]) -> (Duration, Vec<engine::chain::Applied>) {
    let t = chain.slot_time(1);
    let start = Instant::now();
    let engine::Produced { results: outcomes, .. } = chain.produce_block(t, txs, None).expect("the block applies");
    let took = start.elapsed();
    (took, outcomes.into_iter().map(|o| o.expect("bench transactions apply")).collect())
}

pub(crate) fn feed(usd: AssetId, publisher: AccountId, core_per_100: i64) -> Operation {
    Operation::AssetPublishFeed(AssetPublishFeedOp {
        publisher,
        asset_id: usd,
        feed: PriceFeed {
            settlement_price: Price::new(Asset::new(100, usd), Asset::core(core_per_100)),
            maintenance_collateral_ratio: 1750,
            maximum_short_squeeze_ratio: 1500,
            core_exchange_rate: Price::new(Asset::new(1, usd), Asset::core(10)),
        },
        ..Default::default()
    })
}

/// Build the chain up to (not including) the feed drop: USD, its feed, the positions and the book.
pub(crate) fn prepare(cfg: &MarginBenchConfig) -> (Chain, AssetId, AccountId, usize) {
    let genesis = GenesisState::dev();
    let state = engine::genesis::build(&genesis, ChainId([0; 32])).expect("the dev genesis builds");
    let mut chain = Chain::new(state);
    chain.skip =
        SkipFlags { signatures: true, tapos: true, block_signature: true, fee_schedule: true, ..Default::default() };
    let nathan = chain.state.account_by_name("nathan").expect("dev genesis has nathan").id;
    block(&mut chain, &[]);
    let create = AssetCreateOp {
        issuer: nathan,
        symbol: "USD".into(),
        precision: 4,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::new(1, AssetId(1)), Asset::core(10)),
            ..Default::default()
        },
        bitasset_opts: Some(BitassetOptions {
            feed_lifetime_sec: 30 * 86_400,
            short_backing_asset: CORE_ASSET,
            ..Default::default()
        }),
        ..Default::default()
    };
    let t = tx(&chain, vec![Operation::AssetCreate(create)], 1);
    let (_, applied) = block(&mut chain, &[t]);
    let usd = match applied[0].operation_results[0] {
        OperationResult::ObjectId(o) => AssetId::try_from(o).expect("an asset id"),
        ref other => panic!("asset_create returned {other:?}"),
    };
    let producers = AssetUpdateFeedProducersOp {
        issuer: nathan,
        asset_to_update: usd,
        new_feed_producers: [nathan].into_iter().collect(),
        ..Default::default()
    };
    let t = tx(&chain, vec![Operation::AssetUpdateFeedProducers(producers)], 2);
    block(&mut chain, &[t]);
    let t = tx(&chain, vec![feed(usd, nathan, 1000)], 3);
    block(&mut chain, &[t]);

    chain.set_undo_enabled(false);
    let s = &mut chain.state;
    let borrowers = accounts(s, cfg.healthy + cfg.callable);
    let unit = Price::new(Asset::core(1), Asset::new(1, usd));
    let mut core_locked = 0i64;
    for (k, who) in borrowers.iter().enumerate() {
        // Callable: 20.000–20.999 core per USD; healthy: from 30 core per USD up.
        let collateral = if k < cfg.callable { 20_000 + k as i64 % 1000 } else { 30_000 + k as i64 };
        s.call_orders.create(|i| CallOrderObject {
            id: CallOrderId(i),
            borrower: *who,
            collateral,
            debt: DEBT,
            call_price: unit,
            target_collateral_ratio: None,
        });
        let stats = s.account(*who).expect("just created").statistics.0;
        s.statistics.modify(stats, |st| st.total_core_in_orders += collateral);
        core_locked += collateral;
    }
    let supply = DEBT * borrowers.len() as i64;
    let book_orders = cfg.callable + cfg.callable / 10 + 1;
    let in_book = DEBT * book_orders as i64;
    let dyn_id = s.asset(usd).expect("created").dynamic_asset_data_id.0;
    s.asset_dynamic.modify(dyn_id, |d| d.current_supply = supply.max(in_book));
    s.asset_dynamic.modify(0, |d| d.current_supply += core_locked);
    engine::evaluators::adjust_balance(s, nathan, Asset::new(supply.max(in_book) - in_book, usd))
        .expect("a credit applies");
    // 1000 USD for 13000 core each: 13 core per USD, inside MCOP (18 core per USD after the drop).
    for _ in 0..book_orders {
        s.limit_orders.create(|i| LimitOrderObject {
            id: LimitOrderId(i),
            expiration: TimePointSec::MAX,
            seller: nathan,
            for_sale: DEBT,
            sell_price: Price::new(Asset::new(DEBT, usd), Asset::core(13 * DEBT)),
            ..Default::default()
        });
    }
    chain.set_undo_enabled(true);
    (chain, usd, nathan, book_orders)
}

pub fn run_margin_bench(cfg: MarginBenchConfig) -> MarginReport {
    let setup_start = Instant::now();
    let (mut chain, usd, nathan, book_orders) = prepare(&cfg);
    let mut empty: Vec<Duration> = (0..21).map(|_| block(&mut chain, &[]).0).collect();
    empty.sort();
    let setup = setup_start.elapsed();
    let before = chain.state.call_orders.len();
    let drop = tx(&chain, vec![feed(usd, nathan, 1200)], 4);
    let (feed_drop_block, applied) = block(&mut chain, &[drop]);
    let positions_called = before - chain.state.call_orders.len();
    let fills = applied[0].virtual_ops.iter().filter(|o| matches!(o, Operation::FillOrder(_))).count();
    MarginReport {
        healthy: cfg.healthy,
        callable: cfg.callable,
        book_orders,
        setup,
        feed_drop_block,
        empty_block: empty[empty.len() / 2],
        positions_called,
        fills,
    }
}
