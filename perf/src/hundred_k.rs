//! `graphene bench hundred-k`: bitshares-core's `one_hundred_k_benchmark`
//! (tests/performance/performance_tests.cpp:59-209, PROTOCOL.md §13) against this engine.
//!
//! Workload, with `cycles` = 200,000 by default, each phase timed on its own (only the apply
//! loop is timed; transactions are built, and in `--checks all` signed, beforehand, as the C++
//! builds its vector of transactions before starting the clock):
//! 1. `cycles` transactions of one `account_create` ("a<i>", registrar committee-account);
//! 2. `cycles` transactions of two transfers: funder → account i (1,000,000), account i →
//!    account i+1 (100; the last account pays account 0);
//! 3. `cycles` `asset_create` ("ASSET<i>", issuer account i, CER 1 core : 1 new asset);
//! 4. `cycles` `asset_issue` (10 units of asset i to account i+1).
//!
//! In all 5 × `cycles` operations in 4 × `cycles` transactions.
//!
//! Modes:
//! * [`Checks::None`] is the original's setup: the fee schedule is zeroed in the genesis
//!   parameters (`FeeSchedule::zero()`; the operations still carry the C++'s small fees of
//!   10 / 100,000 satoshi, which are charged), undo is disabled, every skip flag is set and no
//!   blocks are produced. The registrar and funder is committee-account (1.2.0) exactly as in the
//!   C++: in this engine, as in bitshares-core, it is a lifetime member and, with no genesis
//!   balances to claim, holds the whole core supply.
//! * [`Checks::All`] applies the same operations signed, in blocks produced by the scheduled
//!   witnesses (signed with their dev keys), with the dev genesis' default (non-zero) fee
//!   schedule, TaPoS, expiration, duplicate detection, authority checks and undo sessions on.
//!   committee-account cannot sign, so the registrar and funder is the dev lifetime member
//!   `nathan`, whose genesis balance is raised to 5,000,000,000 BTS and claimed in block 1;
//!   every created account has the same generated key. Fees are the schedule's fees, and the
//!   funding transfer covers what account i later pays. Each account_create pays the fee as
//!   scaled by the registrations before it (§6.5); `accounts_per_fee_scale` is core's 1,000 up to
//!   4,000 cycles and a quarter of the phase above that, so the fee stays payable (at most
//!   4 × 65,535 cycles).
//!
//! Measurement code: reads the clock; never runs inside the deterministic core.

use engine::chain::Chain;
use engine::SkipFlags;
use ledger::asset::{Asset, Price};
use ledger::authority::Authority;
use ledger::crypto::{sign_compact, PrivateKey};
use ledger::fees::FeeSchedule;
use ledger::genesis::GenesisState;
use ledger::ids::*;
use ledger::ops::*;
use ledger::transaction::{ChainId, SignedTransaction, Transaction};
use std::fmt;
use std::time::{Duration, Instant};

/// Which checks the run makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checks {
    /// The original's setup: zero fee schedule, no undo, every check skipped, no blocks.
    None,
    /// Everything checked: signatures, TaPoS, dedup, fee schedule, undo, in produced blocks.
    All,
}

impl Checks {
    pub fn name(self) -> &'static str {
        match self {
            Checks::None => "none",
            Checks::All => "all",
        }
    }
}

/// What to run.
#[derive(Clone, Debug)]
pub struct HundredKConfig {
    /// Transactions per phase (200,000 in the original).
    pub cycles: usize,
    pub checks: Checks,
    /// Transactions per block in `Checks::All` (ignored otherwise).
    pub block_size: usize,
}

impl Default for HundredKConfig {
    fn default() -> Self {
        HundredKConfig { cycles: 200_000, checks: Checks::None, block_size: 1_000 }
    }
}

/// One timed phase.
#[derive(Clone, Debug)]
pub struct Phase {
    /// "account_create", "transfer", "asset_create" or "asset_issue".
    pub name: &'static str,
    pub transactions: usize,
    pub operations: usize,
    pub elapsed: Duration,
    /// Time the thread was on a CPU during the phase (`/proc/thread-self/schedstat`), where
    /// available: on a shared machine wall time also counts time spent descheduled.
    pub cpu: Option<Duration>,
}

impl Phase {
    pub fn ops_per_sec(&self) -> f64 {
        self.operations as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    pub fn ops_per_cpu_sec(&self) -> Option<f64> {
        self.cpu.map(|c| self.operations as f64 / c.as_secs_f64().max(1e-9))
    }
}

/// This thread's time on a CPU, in nanoseconds (Linux `schedstat`, first field).
pub fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// The final state, to check the run did what it claims.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FinalState {
    /// Accounts created by the run.
    pub accounts_created: usize,
    /// Assets created by the run.
    pub assets_created: usize,
    /// Balance of asset i held by account i+1 (the issue target), summed over all i.
    pub issued_total: i64,
    /// Core balance of the first created account.
    pub first_account_core: i64,
    /// Blocks produced (0 without checks).
    pub blocks: u32,
}

/// The outcome of a run.
#[derive(Clone, Debug)]
pub struct Report {
    pub config: HundredKConfig,
    pub phases: Vec<Phase>,
    pub final_state: FinalState,
}

impl Report {
    pub fn total_operations(&self) -> usize {
        self.phases.iter().map(|p| p.operations).sum()
    }
    pub fn total_transactions(&self) -> usize {
        self.phases.iter().map(|p| p.transactions).sum()
    }
    pub fn total_elapsed(&self) -> Duration {
        self.phases.iter().map(|p| p.elapsed).sum()
    }
    pub fn ops_per_sec(&self) -> f64 {
        self.total_operations() as f64 / self.total_elapsed().as_secs_f64().max(1e-9)
    }
    /// Total CPU time of the phases, if every phase has one.
    pub fn total_cpu(&self) -> Option<Duration> {
        self.phases.iter().map(|p| p.cpu).sum()
    }
    pub fn ops_per_cpu_sec(&self) -> Option<f64> {
        self.total_cpu().map(|c| self.total_operations() as f64 / c.as_secs_f64().max(1e-9))
    }

    pub fn to_json(&self) -> serde_json::Value {
        let phases: Vec<_> = self
            .phases
            .iter()
            .map(|p| {
                serde_json::json!({
                    "phase": p.name,
                    "transactions": p.transactions,
                    "operations": p.operations,
                    "elapsed_ms": p.elapsed.as_secs_f64() * 1e3,
                    "ops_per_sec": p.ops_per_sec().round(),
                    "cpu_ms": p.cpu.map(|c| c.as_secs_f64() * 1e3),
                    "ops_per_cpu_sec": p.ops_per_cpu_sec().map(f64::round),
                })
            })
            .collect();
        serde_json::json!({
            "benchmark": "hundred-k",
            "checks": self.config.checks.name(),
            "cycles": self.config.cycles,
            "block_size": if self.config.checks == Checks::All { Some(self.config.block_size) } else { None },
            "phases": phases,
            "total_operations": self.total_operations(),
            "total_transactions": self.total_transactions(),
            "total_elapsed_ms": self.total_elapsed().as_secs_f64() * 1e3,
            "ops_per_sec": self.ops_per_sec().round(),
            "total_cpu_ms": self.total_cpu().map(|c| c.as_secs_f64() * 1e3),
            "ops_per_cpu_sec": self.ops_per_cpu_sec().map(f64::round),
            "final_state": {
                "accounts_created": self.final_state.accounts_created,
                "assets_created": self.final_state.assets_created,
                "issued_total": self.final_state.issued_total,
                "first_account_core": self.final_state.first_account_core,
                "blocks": self.final_state.blocks,
            },
        })
    }
}

impl fmt::Display for Report {
    /// The lines of bitshares-core's log (integer rates, milliseconds), so both read side by side.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |d: Duration| d.as_micros() / 1000;
        let rate = |p: &Phase| (p.operations as u128 * 1_000_000) / p.elapsed.as_micros().max(1);
        writeln!(f, "hundred-k: checks {}, {} transactions per phase", self.config.checks.name(), self.config.cycles)?;
        for p in &self.phases {
            match p.name {
                "account_create" => writeln!(f, "Create {} accounts/s over {}ms", rate(p), ms(p.elapsed))?,
                "transfer" => writeln!(f, "{} transfers/s over {}ms", rate(p), ms(p.elapsed))?,
                "asset_create" => writeln!(f, "{} asset create/s over {}ms", rate(p), ms(p.elapsed))?,
                _ => writeln!(f, "{} issuances/s over {}ms", rate(p), ms(p.elapsed))?,
            }
        }
        let total = self.total_elapsed();
        write!(
            f,
            "{} operations in {}ms => {} ops/s on average",
            self.total_operations(),
            ms(total),
            (self.total_operations() as u128 * 1_000_000) / total.as_micros().max(1)
        )?;
        if let (Some(cpu), Some(rate)) = (self.total_cpu(), self.ops_per_cpu_sec()) {
            let per_phase: Vec<String> = self
                .phases
                .iter()
                .filter_map(|p| p.ops_per_cpu_sec().map(|r| format!("{} {:.0}", p.name, r)))
                .collect();
            write!(f, "\nCPU time {}ms => {rate:.0} ops per CPU second ({})", ms(cpu), per_phase.join(", "))?;
        }
        Ok(())
    }
}

/// Why a run failed: the engine refused something the workload expects to pass.
#[derive(Debug, thiserror::Error)]
pub enum HundredKError {
    #[error("genesis: {0}")]
    Genesis(String),
    #[error("phase {phase}, transaction {index}: {reason}")]
    Rejected { phase: &'static str, index: usize, reason: String },
    #[error("block production: {0}")]
    Block(String),
}

/// The dev lifetime member that registers and funds in `Checks::All`.
const FUNDER_NAME: &str = "nathan";
/// nathan's genesis balance in `Checks::All`: enough for 200,000 cycles of fees and funding.
const FUNDER_GENESIS_BALANCE: i64 = 500_000_000_000_000;

/// Most account_create fee steps a `Checks::All` phase may take (see [`accounts_per_fee_scale`]).
const FEE_STEPS_MAX: usize = 4;

/// `accounts_per_fee_scale` of the `Checks::All` genesis. Registrations scale the account_create
/// fee (§6.5, account_evaluator.cpp): every `accounts_per_fee_scale` of them in one maintenance
/// interval shift `basic_fee` left by `account_fee_scale_bitshifts` (4). With the dev default
/// of 1,000 the fee passes what nathan holds after ~5,000 accounts and u64 after ~11,000, so the
/// default 200,000-account phase could never be paid. Core's 1,000 is kept where a run stays within
/// [`FEE_STEPS_MAX`] steps; longer runs get one step per quarter of the phase (up to u16).
fn accounts_per_fee_scale(cycles: usize) -> Result<u16, HundredKError> {
    let per_scale = cycles.div_ceil(FEE_STEPS_MAX).max(1_000);
    u16::try_from(per_scale).map_err(|_| {
        HundredKError::Genesis(format!(
            "--checks all pays the scaled account_create fee; {cycles} registrations in one maintenance interval \
             would take more than {FEE_STEPS_MAX} fee steps of up to {} accounts (at most {} cycles)",
            u16::MAX,
            FEE_STEPS_MAX * usize::from(u16::MAX)
        ))
    })
}

/// The driver: the chain plus what building transactions needs.
struct Driver {
    chain: Chain,
    checks: Checks,
    block_size: usize,
    chain_id: ChainId,
    /// Registrar, referrer and funder.
    funder: AccountId,
    funder_key: PrivateKey,
    /// The key of every created account.
    user_key: PrivateKey,
    blocks: u32,
}

fn dev_key(name: &str) -> PrivateKey {
    PrivateKey::from_password(name, "active", "dev").expect("a password key is a valid scalar")
}

impl Driver {
    fn new(checks: Checks, block_size: usize, cycles: usize) -> Result<Self, HundredKError> {
        let mut genesis = GenesisState::dev();
        let funder_key = dev_key(FUNDER_NAME);
        match checks {
            Checks::None => {
                genesis.initial_parameters.current_fees = FeeSchedule::zero();
                // No claimable balances: committee-account keeps the whole supply (2.5.0).
                genesis.initial_balances.clear();
            }
            Checks::All => {
                let addr = funder_key.public_key().address();
                let b = genesis
                    .initial_balances
                    .iter_mut()
                    .find(|b| b.owner == addr)
                    .ok_or_else(|| HundredKError::Genesis("the dev genesis has no balance for nathan".into()))?;
                b.amount = FUNDER_GENESIS_BALANCE;
                genesis.initial_parameters.accounts_per_fee_scale = accounts_per_fee_scale(cycles)?;
            }
        }
        let text = serde_json::to_string(&genesis).map_err(|e| HundredKError::Genesis(e.to_string()))?;
        let chain_id = ChainId(genesis.chain_id(&text));
        let state = engine::genesis::build(&genesis, chain_id).map_err(|e| HundredKError::Genesis(e.to_string()))?;
        let mut chain = Chain::new(state);
        let funder = match checks {
            Checks::None => {
                chain.state.set_undo_enabled(false);
                chain.skip =
                    SkipFlags { signatures: true, tapos: true, dupe: true, fee_schedule: true, block_signature: true };
                COMMITTEE_ACCOUNT
            }
            Checks::All => {
                chain
                    .state
                    .account_by_name(FUNDER_NAME)
                    .ok_or_else(|| HundredKError::Genesis("the dev genesis has no account nathan".into()))?
                    .id
            }
        };
        let user_key = PrivateKey::from_seed(b"graphene hundred-k").expect("a sha256 seed is a valid scalar");
        let mut d = Driver { chain, checks, block_size, chain_id, funder, funder_key, user_key, blocks: 0 };
        if checks == Checks::All {
            d.claim_funder_balance()?;
        }
        Ok(d)
    }

    /// Block 1: nathan claims his genesis balance (TaPoS is not checked before block 1).
    fn claim_funder_balance(&mut self) -> Result<(), HundredKError> {
        let key = self.funder_key.public_key();
        let addr = key.address();
        let (instance, balance) = self
            .chain
            .state
            .genesis_balances
            .iter()
            .find(|(_, b)| b.owner == addr)
            .map(|(i, b)| (i, b.balance))
            .ok_or_else(|| HundredKError::Genesis("nathan's genesis balance is missing".into()))?;
        let op = Operation::BalanceClaim(BalanceClaimOp {
            fee: Asset::default(),
            deposit_to_account: self.funder,
            balance_to_claim: BalanceId(instance),
            balance_owner_key: key,
            total_claimed: balance,
        });
        let tx = self.sign(vec![op], &[self.funder_key]);
        let txs = [tx];
        self.produce("balance_claim", &txs)
    }

    /// The fee schedule an `account_create` made after `registered` others this maintenance
    /// interval pays by (`Checks::All`): `basic_fee` shifted as the registrations before it will
    /// have shifted it (account_evaluator.cpp: `basic_fee <<= account_fee_scale_bitshifts` at
    /// every `accounts_per_fee_scale`-th registration). Transactions are built before the phase
    /// runs, so the fee is computed ahead of the shifts it has to pay for.
    fn scaled_fees(&self, registered: u32) -> FeeSchedule {
        let params = &self.chain.state.gpo().parameters;
        let steps = registered.checked_div(u32::from(params.accounts_per_fee_scale)).unwrap_or(0);
        let shift = u32::from(params.account_fee_scale_bitshifts).saturating_mul(steps);
        let mut fees = params.current_fees.clone();
        if let Some(ledger::fees::FeeParameters::AccountCreate(mut p)) = fees.params_for(5) {
            p.basic_fee = p.basic_fee.checked_shl(shift).unwrap_or(0);
            fees.set(ledger::fees::FeeParameters::AccountCreate(p));
        }
        fees
    }

    /// A transaction of `ops`: unsigned without checks; otherwise with TaPoS on the head block,
    /// an expiration just under the one-day maximum (a phase must fit in that many seconds of
    /// blocks: `cycles / block_size * 5 s < 86,000 s`) and the signatures of `keys`.
    fn sign(&self, operations: Vec<Operation>, keys: &[PrivateKey]) -> SignedTransaction {
        let mut tx =
            SignedTransaction { transaction: Transaction { operations, ..Default::default() }, signatures: Vec::new() };
        if self.checks == Checks::All {
            tx.set_reference_block(&self.chain.head_id());
            let max = self.chain.state.gpo().parameters.maximum_time_until_expiration;
            tx.expiration = self.chain.head_time().plus(max.saturating_sub(400));
            let digest = tx.sig_digest(&self.chain_id.0);
            tx.signatures = keys.iter().map(|k| sign_compact(k, &digest)).collect();
        }
        tx
    }

    /// Apply `txs` (timed by the caller): one by one without checks, in blocks otherwise.
    /// Returns each transaction's first operation result.
    fn apply(&mut self, phase: &'static str, txs: &[SignedTransaction]) -> Result<Vec<OperationResult>, HundredKError> {
        let mut results = Vec::with_capacity(txs.len());
        match self.checks {
            Checks::None => {
                for (index, tx) in txs.iter().enumerate() {
                    let applied = self.chain.push_transaction(tx, None).map_err(|e| HundredKError::Rejected {
                        phase,
                        index,
                        reason: e.to_string(),
                    })?;
                    results.push(applied.operation_results.into_iter().next().unwrap_or_default());
                }
            }
            Checks::All => {
                for (n, chunk) in txs.chunks(self.block_size.max(1)).enumerate() {
                    let outcomes = self.produce_block(chunk)?;
                    for (k, outcome) in outcomes.into_iter().enumerate() {
                        let index = n * self.block_size.max(1) + k;
                        let applied = outcome.map_err(|reason| HundredKError::Rejected { phase, index, reason })?;
                        results.push(applied.operation_results.into_iter().next().unwrap_or_default());
                    }
                }
            }
        }
        Ok(results)
    }

    fn produce(&mut self, phase: &'static str, txs: &[SignedTransaction]) -> Result<(), HundredKError> {
        for (index, outcome) in self.produce_block(txs)?.into_iter().enumerate() {
            outcome.map_err(|reason| HundredKError::Rejected { phase, index, reason })?;
        }
        Ok(())
    }

    /// Produce the next block in the next slot, signed by its scheduled witness's dev key.
    #[allow(clippy::type_complexity)]
    fn produce_block(
        &mut self,
        txs: &[SignedTransaction],
    ) -> Result<Vec<Result<engine::chain::Applied, String>>, HundredKError> {
        let when = self.chain.slot_time(1);
        let witness = self.chain.scheduled_witness(1);
        let account = self.chain.state.witnesses.get(witness.0).map(|w| w.witness_account).unwrap_or(COMMITTEE_ACCOUNT);
        let name = self.chain.state.account(account).map(|a| a.name.clone()).unwrap_or_default();
        let key = dev_key(&name);
        let engine::Produced { results: outcomes, .. } =
            self.chain.produce_block(when, txs, Some(&key)).map_err(|e| HundredKError::Block(e.to_string()))?;
        self.blocks += 1;
        Ok(outcomes.into_iter().map(|o| o.map_err(|e| e.to_string())).collect())
    }

    fn timed(
        &mut self,
        name: &'static str,
        txs: &[SignedTransaction],
    ) -> Result<(Phase, Vec<OperationResult>), HundredKError> {
        let operations = txs.iter().map(|t| t.operations.len()).sum();
        let cpu0 = thread_cpu_time();
        let start = Instant::now();
        let results = self.apply(name, txs)?;
        let elapsed = start.elapsed();
        let cpu = cpu0.zip(thread_cpu_time()).map(|(a, b)| b.saturating_sub(a));
        Ok((Phase { name, transactions: txs.len(), operations, elapsed, cpu }, results))
    }
}

/// The hundred-k workload's `i`-th asset_create: `ASSET{i}` by `issuer`, the original's options.
pub(crate) fn asset_create_op(issuer: AccountId, i: usize, fee: i64) -> Operation {
    Operation::AssetCreate(AssetCreateOp {
        fee: Asset::core(fee),
        issuer,
        symbol: format!("ASSET{i}"),
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::core(1), Asset::new(1, AssetId(1))),
            ..Default::default()
        },
        ..Default::default()
    })
}

fn object_instance(r: &OperationResult) -> u64 {
    match r {
        OperationResult::ObjectId(id) => id.instance(),
        _ => u64::MAX,
    }
}

/// Run the benchmark.
pub fn run_hundred_k(cfg: &HundredKConfig) -> Result<Report, HundredKError> {
    let cycles = cfg.cycles.max(1);
    let mut d = Driver::new(cfg.checks, cfg.block_size, cycles)?;
    let user_pub = d.user_key.public_key();
    let (funder, funder_key, user_key) = (d.funder, d.funder_key, d.user_key);
    let mut phases = Vec::with_capacity(4);

    // 1. account_create, each paying the fee as scaled by the registrations before it.
    let registered_before = d.chain.state.dgp().accounts_registered_this_interval;
    let mut scaled: Option<(u32, FeeSchedule)> = None;
    let txs: Vec<_> = (0..cycles)
        .map(|i| {
            let mut op = Operation::AccountCreate(AccountCreateOp {
                registrar: funder,
                referrer: funder,
                name: format!("a{i}"),
                owner: Authority::single_key(user_pub),
                active: Authority::single_key(user_pub),
                options: AccountOptions {
                    memo_key: user_pub,
                    voting_account: PROXY_TO_SELF_ACCOUNT,
                    ..Default::default()
                },
                ..Default::default()
            });
            if d.checks == Checks::All {
                // One schedule per scale step; the fee itself per operation (its size counts).
                let registered = registered_before + i as u32;
                let step = registered / u32::from(d.chain.state.gpo().parameters.accounts_per_fee_scale.max(1));
                if scaled.as_ref().is_none_or(|(s, _)| *s != step) {
                    scaled = Some((step, d.scaled_fees(registered)));
                }
                let fees = &scaled.as_ref().expect("set just above").1;
                *op.fee_mut() = Asset::core(fees.calculate_fee(&op).expect("schedule fees fit") as i64);
            }
            d.sign(vec![op], &[funder_key])
        })
        .collect();
    let (phase, results) = d.timed("account_create", &txs)?;
    phases.push(phase);
    let mut accounts: Vec<AccountId> = results.iter().map(|r| AccountId(object_instance(r))).collect();
    accounts.push(accounts[0]);

    // What account i pays later (fees of its transfer, asset_create and asset_issue), so the
    // funding transfer covers it in `Checks::All`; the C++'s 1,000,000 otherwise.
    let (fee_transfer, fee_create, fee_issue) = match cfg.checks {
        Checks::None => (10, 100_000, 10),
        Checks::All => {
            let fees = &d.chain.state.gpo().parameters.current_fees;
            let f = |op: Operation| fees.calculate_fee(&op).expect("schedule fees fit") as i64;
            let sample_create = AssetCreateOp { symbol: format!("ASSET{}", cycles - 1), ..Default::default() };
            (
                f(Operation::Transfer(TransferOp::default())),
                f(Operation::AssetCreate(sample_create)),
                f(Operation::AssetIssue(AssetIssueOp::default())),
            )
        }
    };
    let funding = match cfg.checks {
        Checks::None => 1_000_000,
        Checks::All => 1_000_000 + fee_transfer + fee_create + fee_issue,
    };

    // 2. Two transfers per transaction.
    let txs: Vec<_> = (0..cycles)
        .map(|i| {
            let to1 = Operation::Transfer(TransferOp {
                fee: Asset::core(fee_transfer),
                from: funder,
                to: accounts[i],
                amount: Asset::core(funding),
                ..Default::default()
            });
            let to2 = Operation::Transfer(TransferOp {
                fee: Asset::core(fee_transfer),
                from: accounts[i],
                to: accounts[i + 1],
                amount: Asset::core(100),
                ..Default::default()
            });
            d.sign(vec![to1, to2], &[funder_key, user_key])
        })
        .collect();
    let (phase, _) = d.timed("transfer", &txs)?;
    phases.push(phase);

    // 3. asset_create.
    let txs: Vec<_> = (0..cycles)
        .map(|i| {
            let op = asset_create_op(accounts[i], i, fee_create);
            d.sign(vec![op], &[user_key])
        })
        .collect();
    let (phase, results) = d.timed("asset_create", &txs)?;
    phases.push(phase);
    let assets: Vec<AssetId> = results.iter().map(|r| AssetId(object_instance(r))).collect();

    // 4. asset_issue.
    let txs: Vec<_> = (0..cycles)
        .map(|i| {
            let op = Operation::AssetIssue(AssetIssueOp {
                fee: Asset::core(fee_issue),
                issuer: accounts[i],
                asset_to_issue: Asset::new(10, assets[i]),
                issue_to_account: accounts[i + 1],
                ..Default::default()
            });
            d.sign(vec![op], &[user_key])
        })
        .collect();
    let (phase, _) = d.timed("asset_issue", &txs)?;
    phases.push(phase);

    let state = &d.chain.state;
    let final_state = FinalState {
        accounts_created: accounts[..cycles].iter().filter(|a| state.account(**a).is_some()).count(),
        assets_created: assets.iter().filter(|a| state.asset(**a).is_some()).count(),
        issued_total: (0..cycles).map(|i| state.balance(accounts[i + 1], assets[i])).sum(),
        first_account_core: state.balance(accounts[0], CORE_ASSET),
        blocks: d.blocks,
    };
    Ok(Report { config: HundredKConfig { cycles, ..cfg.clone() }, phases, final_state })
}
