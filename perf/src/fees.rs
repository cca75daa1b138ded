//! `graphene bench maintenance`: the cost of the maintenance block's fee distribution (§6.3) on a
//! large chain.
//!
//! Setup: the dev genesis with a 300 s maintenance interval, then `accounts` accounts written
//! straight into the arenas (undo off): the first `lifetime_members` are lifetime members, the
//! rest basic accounts registered by `nathan` with one of those members as referrer. `payers`
//! of the basic accounts, spread evenly, pay a fee (alternately above and below the cashback
//! vesting threshold, so both buckets and both cashback paths run). Then empty blocks are
//! produced up to the maintenance block, which is timed, as is an ordinary empty block and a
//! second maintenance block with no fees pending (which shows the cost does not grow with the
//! number of accounts).
//!
//! This is measurement code: it reads the clock; it never runs inside the deterministic core.

use engine::chain::{Chain, SkipFlags};
use engine::state::State;
use ledger::genesis::GenesisState;
use ledger::ids::*;
use ledger::objects::{AccountObject, AccountStatisticsObject};
use ledger::time::TimePointSec;
use ledger::transaction::ChainId;
use std::fmt;
use std::time::{Duration, Instant};

/// What to run.
#[derive(Clone, Debug)]
pub struct MaintenanceBenchConfig {
    pub accounts: usize,
    pub payers: usize,
    pub lifetime_members: usize,
}

impl Default for MaintenanceBenchConfig {
    fn default() -> Self {
        MaintenanceBenchConfig { accounts: 1_000_000, payers: 100_000, lifetime_members: 1_000 }
    }
}

/// What was measured.
#[derive(Clone, Debug)]
pub struct MaintenanceReport {
    pub accounts: usize,
    pub payers: usize,
    pub setup: Duration,
    /// The maintenance block that distributes the payers' fees.
    pub maintenance_block: Duration,
    /// An ordinary block with no transactions (median of 21), for scale.
    pub empty_block: Duration,
    /// The next maintenance block, with nothing pending.
    pub idle_maintenance_block: Duration,
    /// Cashback vesting balances after the distribution.
    pub cashback_balances: usize,
}

impl MaintenanceReport {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "accounts": self.accounts,
            "fee_payers": self.payers,
            "setup_ms": self.setup.as_secs_f64() * 1e3,
            "maintenance_block_ms": self.maintenance_block.as_secs_f64() * 1e3,
            "empty_block_ms": self.empty_block.as_secs_f64() * 1e3,
            "idle_maintenance_block_ms": self.idle_maintenance_block.as_secs_f64() * 1e3,
            "cashback_balances": self.cashback_balances,
        })
    }
}

impl fmt::Display for MaintenanceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "accounts {} | fee payers {}", self.accounts, self.payers)?;
        writeln!(f, "setup                          {:>10.1} ms", self.setup.as_secs_f64() * 1e3)?;
        writeln!(f, "maintenance block (fee split)  {:>10.1} ms", self.maintenance_block.as_secs_f64() * 1e3)?;
        writeln!(f, "empty block                    {:>10.3} ms", self.empty_block.as_secs_f64() * 1e3)?;
        writeln!(f, "maintenance block, no fees     {:>10.3} ms", self.idle_maintenance_block.as_secs_f64() * 1e3)?;
        write!(f, "cashback vesting balances      {:>10}", self.cashback_balances)
    }
}

const NATHAN: AccountId = AccountId(17);

/// Write `cfg.accounts` accounts into the arenas, as `account_create` would leave them.
fn populate(state: &mut State, cfg: &MaintenanceBenchConfig) -> Vec<AccountId> {
    let first = state.accounts.next_instance();
    let members = cfg.lifetime_members.clamp(1, cfg.accounts.max(1));
    let mut ids = Vec::with_capacity(cfg.accounts);
    for k in 0..cfg.accounts {
        let id = AccountId(state.accounts.next_instance());
        let name = format!("bench-{k:07}");
        let stats = state.statistics.create(|i| AccountStatisticsObject {
            id: AccountStatisticsId(i),
            owner: id,
            name: name.clone(),
            ..Default::default()
        });
        let member = k < members;
        // `k / 7` spreads any evenly strided set of payers over every member.
        let referrer = if member { id } else { AccountId(first + ((k / 7) % members) as u64) };
        state.accounts.create(|i| AccountObject {
            id: AccountId(i),
            membership_expiration_date: if member { TimePointSec::MAX } else { TimePointSec(0) },
            registrar: if member { id } else { NATHAN },
            referrer,
            lifetime_referrer: referrer,
            network_fee_percentage: 2_000,
            lifetime_referrer_fee_percentage: if member { 8_000 } else { 3_000 },
            referrer_rewards_percentage: 5_000,
            name,
            statistics: AccountStatisticsId(stats),
            ..Default::default()
        });
        ids.push(id);
    }
    ids
}

fn next_block(chain: &mut Chain) -> Duration {
    let t = chain.slot_time(1);
    let start = Instant::now();
    chain.produce_block(t, &[], None).expect("an empty block applies");
    start.elapsed()
}

/// Produce empty blocks until the next one is a maintenance block.
fn up_to_maintenance(chain: &mut Chain) {
    while chain.slot_time(1) < chain.state.dgp().next_maintenance_time {
        next_block(chain);
    }
}

pub fn run_maintenance_bench(cfg: MaintenanceBenchConfig) -> MaintenanceReport {
    let setup_start = Instant::now();
    let mut genesis = GenesisState::dev();
    genesis.initial_parameters.maintenance_interval = 300;
    let state = engine::genesis::build(&genesis, ChainId([0; 32])).expect("the dev genesis builds");
    let mut chain = Chain::new(state);
    chain.skip = SkipFlags { signatures: true, tapos: true, block_signature: true, ..Default::default() };
    next_block(&mut chain); // block 1 is a maintenance block of its own
    chain.set_undo_enabled(false);
    let ids = populate(&mut chain.state, &cfg);
    let basic = &ids[cfg.lifetime_members.min(ids.len())..];
    let payers = cfg.payers.min(basic.len());
    let threshold = chain.state.gpo().parameters.cashback_vesting_threshold;
    let stride = basic.len().checked_div(payers).unwrap_or(1).max(1);
    for (n, id) in basic.iter().step_by(stride).take(payers).enumerate() {
        // Alternate the vesting bucket (above the threshold) and the vested one.
        let fee = if n % 2 == 0 { threshold + 1 + n as i64 } else { 2_000_000 };
        engine::evaluators::pay_fee(&mut chain.state, *id, fee);
    }
    chain.set_undo_enabled(true);
    up_to_maintenance(&mut chain);
    let setup = setup_start.elapsed();
    assert_eq!(chain.state.statistics.index().0.len(), payers, "every payer is pending");

    let maintenance_block = next_block(&mut chain);
    assert!(chain.state.statistics.index().0.is_empty(), "the maintenance block paid every fee out");
    let mut empty: Vec<Duration> = (0..21).map(|_| next_block(&mut chain)).collect();
    empty.sort();
    let empty_block = empty[empty.len() / 2];
    up_to_maintenance(&mut chain);
    let idle_maintenance_block = next_block(&mut chain);
    MaintenanceReport {
        accounts: cfg.accounts,
        payers,
        setup,
        maintenance_block,
        empty_block,
        idle_maintenance_block,
        cashback_balances: chain.state.vesting_balances.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_run_pays_every_fee_out_to_each_referrer_and_registrar() {
        let r = run_maintenance_bench(MaintenanceBenchConfig { accounts: 300, payers: 50, lifetime_members: 10 });
        assert_eq!(r.payers, 50);
        // Ten referring members plus nathan, the registrar, get a cashback balance each.
        assert_eq!(r.cashback_balances, 11);
    }
}
