//! `graphene bench margin --flow N`: the matching benchmark's order flow in a margin-callable
//! BitAsset market, through the whole engine (fees skipped, as in `bench margin`).
//!
//! Setup: `bench margin`'s chain (USD backed by core, feed 10 core per USD, MCR 1.75, MSSR 1.5)
//! with `healthy` positions far above the maintenance ratio, plus `near` positions at
//! 18.000–18.999 core per USD: healthy at 10 core per USD (maintenance 17.5) and callable at
//! 10.8 (maintenance 18.9). 64 traders hold plenty of both assets.
//!
//! Flow: `orders` limit orders from a seeded stream, half selling USD at 9.5–12 core per USD,
//! half buying at 8.5–11, each in its own transaction, `per_block` to a block. Every other
//! block the feed alternates between 10 and 10.8 core per USD, so positions become callable and
//! are margin called — against resting orders when the feed moves, and by arriving orders that
//! cross the margin-call order price (16.2 core per USD at the higher feed). Every order that
//! sells USD pays for a look at the least collateralized position; with the by-collateral index
//! that look must not depend on how many healthy positions exist, which running with
//! `--healthy 0` and `--healthy 100000` shows.
//!
//! This is measurement code: it reads the clock; it never runs inside the deterministic core.

use crate::margin::{accounts, feed, prepare, tx, MarginBenchConfig};
use engine::dex::seeded::SplitMix64;
use ledger::asset::Asset;
use ledger::ids::*;
use ledger::objects::CallOrderObject;
use ledger::ops::*;
use ledger::time::TimePointSec;
use std::fmt;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Clone, Debug)]
pub struct FlowConfig {
    pub healthy: usize,
    pub near: usize,
    pub orders: usize,
    pub per_block: usize,
    pub seed: u64,
}

impl Default for FlowConfig {
    fn default() -> Self {
        FlowConfig { healthy: 100_000, near: 2_000, orders: 200_000, per_block: 500, seed: 1 }
    }
}

/// What was measured.
#[derive(Clone, Debug)]
pub struct FlowReport {
    pub config: FlowConfig,
    /// Wall time of the blocks carrying the flow (setup excluded).
    pub elapsed: Duration,
    pub accepted: usize,
    pub rejected: usize,
    pub blocks: usize,
    pub positions_called: usize,
    pub fills: usize,
}

impl FlowReport {
    pub fn ops_per_sec(&self) -> f64 {
        (self.accepted + self.rejected) as f64 / self.elapsed.as_secs_f64()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "healthy_positions": self.config.healthy,
            "near_positions": self.config.near,
            "orders": self.config.orders,
            "per_block": self.config.per_block,
            "seed": self.config.seed,
            "elapsed_ms": self.elapsed.as_secs_f64() * 1e3,
            "orders_per_sec": self.ops_per_sec(),
            "accepted": self.accepted,
            "rejected": self.rejected,
            "blocks": self.blocks,
            "positions_called": self.positions_called,
            "fill_order_ops": self.fills,
        })
    }
}

impl fmt::Display for FlowReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.config;
        writeln!(
            f,
            "margin-callable market flow: {} orders, {} per block | positions {} healthy + {} near",
            c.orders, c.per_block, c.healthy, c.near
        )?;
        writeln!(
            f,
            "{:>12.0} orders/s through the engine ({:.1} ms, {} blocks)",
            self.ops_per_sec(),
            self.elapsed.as_secs_f64() * 1e3,
            self.blocks
        )?;
        write!(
            f,
            "accepted {} | rejected {} | positions margin called {} | fill_order ops {}",
            self.accepted, self.rejected, self.positions_called, self.fills
        )
    }
}

const TRADERS: usize = 64;
const TRADER_CORE: i64 = 1_000_000_000_000;
const TRADER_USD: i64 = 10_000_000_000;

pub fn run_margin_flow(cfg: FlowConfig) -> FlowReport {
    let (mut chain, usd, nathan, _) = prepare(&MarginBenchConfig { healthy: cfg.healthy, callable: 0 });
    chain.set_undo_enabled(false);
    let s = &mut chain.state;
    let near = accounts(s, cfg.near);
    let unit = ledger::asset::Price::new(Asset::core(1), Asset::new(1, usd));
    let mut core_minted = 0i64;
    let mut usd_minted = 0i64;
    for (k, who) in near.iter().enumerate() {
        let collateral = 18_000 + (k as i64 * 7) % 1000;
        s.call_orders.create(|i| CallOrderObject {
            id: CallOrderId(i),
            borrower: *who,
            collateral,
            debt: 1000,
            call_price: unit,
            target_collateral_ratio: None,
        });
        let stats = s.account(*who).expect("just created").statistics.0;
        s.statistics.modify(stats, |st| st.total_core_in_orders += collateral);
        core_minted += collateral;
        usd_minted += 1000;
    }
    let traders = accounts(s, TRADERS);
    for who in &traders {
        engine::evaluators::adjust_balance(s, *who, Asset::core(TRADER_CORE)).expect("a credit applies");
        engine::evaluators::adjust_balance(s, *who, Asset::new(TRADER_USD, usd)).expect("a credit applies");
        core_minted += TRADER_CORE;
        usd_minted += TRADER_USD;
    }
    s.asset_dynamic.modify(0, |d| d.current_supply += core_minted);
    let usd_dyn = s.asset(usd).expect("created").dynamic_asset_data_id.0;
    s.asset_dynamic.modify(usd_dyn, |d| d.current_supply += usd_minted);
    chain.set_undo_enabled(true);

    let mut rng = SplitMix64(cfg.seed);
    let positions_before = chain.state.call_orders.len();
    let (mut accepted, mut rejected, mut fills, mut blocks) = (0usize, 0usize, 0usize, 0usize);
    let mut elapsed = Duration::ZERO;
    let mut left = cfg.orders;
    while left > 0 {
        let n = left.min(cfg.per_block.max(1));
        left -= n;
        let mut txs = Vec::with_capacity(n + 1);
        let with_feed = blocks % 2 == 0;
        if with_feed {
            let core_per_100 = if blocks % 4 == 0 { 1080 } else { 1000 };
            txs.push(tx(&chain, vec![feed(usd, nathan, core_per_100)], 0));
        }
        for i in 0..n {
            let seller = traders[rng.below(TRADERS as u64) as usize];
            let amount = rng.range(100, 10_000);
            let op = if rng.chance(50) {
                // Sell USD asking 9.5–12 core per USD.
                let tenths = rng.range(95, 120);
                LimitOrderCreateOp {
                    seller,
                    amount_to_sell: Asset::new(amount, usd),
                    min_to_receive: Asset::core(amount * tenths / 10),
                    expiration: TimePointSec::MAX,
                    ..Default::default()
                }
            } else {
                // Buy USD bidding 8.5–11 core per USD.
                let tenths = rng.range(85, 110);
                LimitOrderCreateOp {
                    seller,
                    amount_to_sell: Asset::core(amount * tenths / 10),
                    min_to_receive: Asset::new(amount, usd),
                    expiration: TimePointSec::MAX,
                    ..Default::default()
                }
            };
            txs.push(tx(&chain, vec![Operation::LimitOrderCreate(op)], 1 + i as u32));
        }
        let t = chain.slot_time(1);
        let start = Instant::now();
        let engine::Produced { results: outcomes, .. } = chain.produce_block(t, &txs, None).expect("the block applies");
        elapsed += start.elapsed();
        blocks += 1;
        let count_fills =
            |a: &engine::chain::Applied| a.virtual_ops.iter().filter(|v| matches!(v, Operation::FillOrder(_))).count();
        let mut outcomes = outcomes.into_iter();
        if with_feed {
            // The feed is not an order, but the margin calls it triggers are fills.
            let feed = outcomes.next().expect("the feed transaction has an outcome");
            fills += count_fills(&feed.unwrap_or_else(|e| panic!("the bench's feed update was refused: {e}")));
        }
        for o in outcomes {
            match o {
                Ok(applied) => {
                    accepted += 1;
                    fills += count_fills(&applied);
                }
                Err(_) => rejected += 1,
            }
        }
    }
    FlowReport {
        config: cfg,
        elapsed,
        accepted,
        rejected,
        blocks,
        positions_called: positions_before - chain.state.call_orders.len(),
        fills,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_margin_calls_near_positions_and_accepts_every_order() {
        let r = run_margin_flow(FlowConfig { healthy: 100, near: 50, orders: 2_000, per_block: 250, seed: 3 });
        assert_eq!(r.accepted + r.rejected, 2_000);
        assert_eq!(r.rejected, 0, "{r}");
        assert_eq!(r.blocks, 8);
        assert!(r.positions_called > 0 && r.positions_called <= 50, "{r}");
        assert!(r.fills > 2 * r.positions_called, "orders also trade with each other: {r}");
    }
}
