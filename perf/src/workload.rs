//! The signed load of `graphene bench node` and of the pipeline tests: a dev chain with `n`
//! generated accounts, each funded with core and with the user-issued asset `LOAD`, and a
//! deterministic stream of signed transactions over them (transfers and limit orders in a given
//! mix).
//!
//! Setup is ordinary blocks produced through [`Chain::produce_block`] with every check on:
//! block 1 claims nathan's genesis balance, then nathan registers the accounts (account `i` is
//! `load<i>`, its owner and active key `PrivateKey::from_seed("graphene load <i>")`), creates
//! `LOAD`, and funds everyone. The chain's `maximum_block_size` is raised (a chain parameter, so
//! data) so that a block can hold an interval's worth of load.
//!
//! Transaction `n` of the stream is a pure function of `n` and the seed: same inputs, same bytes.
//! Transfers move a few satoshi between two accounts; orders offer `LOAD` for core or core for
//! `LOAD` near 1:1, so about half of them cross and fill (the fills are the events stage's
//! load). Uniqueness (no duplicate transaction ids) comes from the expiration (`n mod 3600`
//! seconds apart) together with the amount (which grows with `n / 3600`).
//!
//! Measurement support code: never used by the node.

use engine::chain::Chain;
use engine::dex::seeded::SplitMix64;
use ledger::asset::{Asset, Price};
use ledger::authority::Authority;
use ledger::block::BlockId;
use ledger::crypto::{sign_compact, PrivateKey};
use ledger::genesis::GenesisState;
use ledger::ids::*;
use ledger::ops::*;
use ledger::time::TimePointSec;
use ledger::transaction::{ChainId, SignedTransaction, Transaction};
use std::collections::BTreeMap;

/// Core and LOAD each account starts with (satoshi): far more than any run spends (nathan funds
/// up to 4,000 accounts).
pub const FUNDING: i64 = 100_000_000_000;
/// Maximum block size the load chain runs with (bytes).
pub const LOAD_BLOCK_SIZE: u32 = 64 << 20;
const FUNDER: &str = "nathan";
const FUNDER_GENESIS_BALANCE: i64 = 500_000_000_000_000;
/// Transactions of the setup per block.
const SETUP_BLOCK_TXS: usize = 500;
/// Operations per setup funding transaction (below the 2,048-byte transaction limit).
const FUNDING_OPS_PER_TX: usize = 16;

/// Why setup failed.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("genesis: {0}")]
    Genesis(String),
    #[error("setup step {step} was rejected: {reason}")]
    Rejected { step: &'static str, reason: String },
}

/// The set-up chain and what building load on it needs.
pub struct LoadChain {
    pub chain: Chain,
    pub chain_id: ChainId,
    /// The generated accounts, with their keys.
    pub accounts: Vec<(AccountId, PrivateKey)>,
    /// The user-issued asset traded against core.
    pub load_asset: AssetId,
    /// The dev key of every witness (all of them produce on the dev chain).
    pub witness_keys: BTreeMap<WitnessId, PrivateKey>,
    pub transfer_fee: i64,
    pub order_fee: i64,
}

fn dev_key(name: &str) -> PrivateKey {
    PrivateKey::from_password(name, "active", "dev").expect("a password key is a valid scalar")
}

/// The key of generated account `i`.
pub fn account_key(i: usize) -> PrivateKey {
    PrivateKey::from_seed(format!("graphene load {i}").as_bytes()).expect("a sha256 seed is a valid scalar")
}

impl LoadChain {
    /// A dev chain with `accounts` funded accounts (see the module doc). Deterministic: two
    /// calls with the same count give the same state hash.
    pub fn setup(accounts: usize) -> Result<LoadChain, SetupError> {
        let mut genesis = GenesisState::dev();
        genesis.initial_parameters.maximum_block_size = LOAD_BLOCK_SIZE;
        let funder_key = dev_key(FUNDER);
        let addr = funder_key.public_key().address();
        genesis
            .initial_balances
            .iter_mut()
            .find(|b| b.owner == addr)
            .ok_or_else(|| SetupError::Genesis("the dev genesis has no balance for nathan".into()))?
            .amount = FUNDER_GENESIS_BALANCE;
        let text = serde_json::to_string(&genesis).map_err(|e| SetupError::Genesis(e.to_string()))?;
        let chain_id = ChainId(genesis.chain_id(&text));
        let state = engine::genesis::build(&genesis, chain_id).map_err(|e| SetupError::Genesis(e.to_string()))?;
        let chain = Chain::new(state);
        let witness_keys = chain
            .state
            .witnesses
            .iter()
            .filter_map(|(i, w)| Some((WitnessId(i), dev_key(&chain.state.account(w.witness_account)?.name))))
            .collect();
        let fees = &chain.state.gpo().parameters.current_fees;
        let fee = |op: Operation| fees.calculate_fee(&op).expect("schedule fees fit") as i64;
        let transfer_fee = fee(Operation::Transfer(TransferOp::default()));
        let order_fee = fee(Operation::LimitOrderCreate(LimitOrderCreateOp::default()));
        let funder =
            chain.state.account_by_name(FUNDER).map(|a| a.id).ok_or_else(|| SetupError::Genesis("no nathan".into()))?;
        let mut lc = LoadChain {
            chain,
            chain_id,
            accounts: Vec::new(),
            load_asset: AssetId(0),
            witness_keys,
            transfer_fee,
            order_fee,
        };
        lc.claim(funder, &funder_key)?;
        lc.create_accounts(funder, &funder_key, accounts)?;
        lc.create_load_asset(funder, &funder_key)?;
        lc.fund(funder, &funder_key)?;
        Ok(lc)
    }

    fn with_fee(&self, mut op: Operation) -> Operation {
        let fee = self.chain.state.gpo().parameters.current_fees.calculate_fee(&op).expect("schedule fees fit");
        *op.fee_mut() = Asset::core(fee as i64);
        op
    }

    fn sign_now(&self, operations: Vec<Operation>, key: &PrivateKey) -> SignedTransaction {
        let max = self.chain.state.gpo().parameters.maximum_time_until_expiration;
        let expiration = self.chain.head_time().plus(max / 2);
        sign(&self.chain_id, &self.chain.head_id(), expiration, operations, key)
    }

    /// Produce the next block from `txs`, signed by its witness; every transaction must apply.
    fn produce(&mut self, step: &'static str, txs: &[SignedTransaction]) -> Result<(), SetupError> {
        for chunk in txs.chunks(SETUP_BLOCK_TXS) {
            let when = self.chain.slot_time(1);
            let key = self.witness_keys.get(&self.chain.scheduled_witness(1)).copied();
            let engine::Produced { results: outcomes, .. } = self
                .chain
                .produce_block(when, chunk, key.as_ref())
                .map_err(|e| SetupError::Rejected { step, reason: e.to_string() })?;
            if let Some(Err(e)) = outcomes.into_iter().find(|o| o.is_err()) {
                return Err(SetupError::Rejected { step, reason: e.to_string() });
            }
        }
        Ok(())
    }

    fn claim(&mut self, funder: AccountId, key: &PrivateKey) -> Result<(), SetupError> {
        let owner = key.public_key();
        let (instance, balance) = self
            .chain
            .state
            .genesis_balances
            .iter()
            .find(|(_, b)| b.owner == owner.address())
            .map(|(i, b)| (i, b.balance))
            .ok_or_else(|| SetupError::Genesis("nathan's genesis balance is missing".into()))?;
        let op = Operation::BalanceClaim(BalanceClaimOp {
            fee: Asset::default(),
            deposit_to_account: funder,
            balance_to_claim: BalanceId(instance),
            balance_owner_key: owner,
            total_claimed: balance,
        });
        let tx = self.sign_now(vec![op], key);
        self.produce("balance_claim", &[tx])
    }

    fn create_accounts(&mut self, funder: AccountId, key: &PrivateKey, n: usize) -> Result<(), SetupError> {
        let keys: Vec<PrivateKey> = (0..n).map(account_key).collect();
        let txs: Vec<_> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let public = k.public_key();
                let op = self.with_fee(Operation::AccountCreate(AccountCreateOp {
                    registrar: funder,
                    referrer: funder,
                    name: format!("load{i}"),
                    owner: Authority::single_key(public),
                    active: Authority::single_key(public),
                    options: AccountOptions {
                        memo_key: public,
                        voting_account: PROXY_TO_SELF_ACCOUNT,
                        ..Default::default()
                    },
                    ..Default::default()
                }));
                self.sign_now(vec![op], key)
            })
            .collect();
        self.produce("account_create", &txs)?;
        for (i, k) in keys.into_iter().enumerate() {
            let id =
                self.chain.state.account_by_name(&format!("load{i}")).map(|a| a.id).ok_or(SetupError::Rejected {
                    step: "account_create",
                    reason: format!("account load{i} was not created"),
                })?;
            self.accounts.push((id, k));
        }
        Ok(())
    }

    fn create_load_asset(&mut self, funder: AccountId, key: &PrivateKey) -> Result<(), SetupError> {
        let op = self.with_fee(Operation::AssetCreate(AssetCreateOp {
            issuer: funder,
            symbol: "LOAD".into(),
            precision: 5,
            common_options: AssetOptions {
                core_exchange_rate: Price::new(Asset::core(1), Asset::new(1, AssetId(1))),
                ..Default::default()
            },
            ..Default::default()
        }));
        let tx = self.sign_now(vec![op], key);
        self.produce("asset_create", &[tx])?;
        self.load_asset = self
            .chain
            .state
            .assets
            .iter()
            .find(|(_, a)| a.symbol == "LOAD")
            .map(|(i, _)| AssetId(i))
            .ok_or(SetupError::Rejected { step: "asset_create", reason: "LOAD was not created".into() })?;
        Ok(())
    }

    fn fund(&mut self, funder: AccountId, key: &PrivateKey) -> Result<(), SetupError> {
        let mut ops = Vec::new();
        for (account, _) in &self.accounts {
            ops.push(self.with_fee(Operation::Transfer(TransferOp {
                from: funder,
                to: *account,
                amount: Asset::core(FUNDING),
                ..Default::default()
            })));
            ops.push(self.with_fee(Operation::AssetIssue(AssetIssueOp {
                issuer: funder,
                asset_to_issue: Asset::new(FUNDING, self.load_asset),
                issue_to_account: *account,
                ..Default::default()
            })));
        }
        let txs: Vec<_> = ops.chunks(FUNDING_OPS_PER_TX).map(|c| self.sign_now(c.to_vec(), key)).collect();
        self.produce("funding", &txs)
    }

    /// The generator of the signed stream on the current head (TaPoS on it, expirations from
    /// its time).
    pub fn generator(&self, orders_percent: u8, seed: u64) -> Generator {
        let max = self.chain.state.gpo().parameters.maximum_time_until_expiration;
        Generator {
            chain_id: self.chain_id,
            ref_block: self.chain.head_id(),
            // The latest expiration is max − 1 s past the head, the earliest an hour less.
            expiration_base: self.chain.head_time().plus(max.saturating_sub(EXPIRATION_SPREAD + 1)),
            accounts: self.accounts.clone(),
            load_asset: self.load_asset,
            transfer_fee: self.transfer_fee,
            order_fee: self.order_fee,
            orders_percent: orders_percent.min(100),
            seed,
        }
    }
}

/// Spread of expirations (seconds) that, with the amount, keeps transaction ids unique.
const EXPIRATION_SPREAD: u32 = 3_600;

fn sign(
    chain_id: &ChainId,
    reference: &BlockId,
    expiration: TimePointSec,
    operations: Vec<Operation>,
    key: &PrivateKey,
) -> SignedTransaction {
    let mut tx =
        SignedTransaction { transaction: Transaction { operations, ..Default::default() }, signatures: vec![] };
    tx.set_reference_block(reference);
    tx.expiration = expiration;
    let digest = tx.sig_digest(&chain_id.0);
    tx.signatures = vec![sign_compact(key, &digest)];
    tx
}

/// Builds transaction `n` of the stream. Cheap to clone (one per signing thread).
#[derive(Clone)]
pub struct Generator {
    pub chain_id: ChainId,
    pub ref_block: BlockId,
    pub expiration_base: TimePointSec,
    pub accounts: Vec<(AccountId, PrivateKey)>,
    pub load_asset: AssetId,
    pub transfer_fee: i64,
    pub order_fee: i64,
    pub orders_percent: u8,
    pub seed: u64,
}

/// What transaction `n` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Transfer { from: usize, to: usize, amount: i64 },
    Order { seller: usize, sell: Asset, receive: Asset },
}

impl Generator {
    /// What transaction `n` does (a pure function of `n` and the seed).
    pub fn kind(&self, n: u64) -> Kind {
        let mut rng = SplitMix64(self.seed ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let a = self.accounts.len() as u64;
        let from = (rng.next_u64() % a) as usize;
        let step = 1 + rng.next_u64() % (a - 1).max(1);
        let to = ((from as u64 + step) % a) as usize;
        // Grows by one every EXPIRATION_SPREAD transactions: with the expiration, unique.
        let amount = 1 + (n / u64::from(EXPIRATION_SPREAD)) as i64;
        if rng.chance(u64::from(self.orders_percent)) {
            let size = 1_000 + amount;
            // Within ±5 % of 1:1 either way, so about half of the orders cross.
            let other = size - size / 20 + (rng.next_u64() % (size as u64 / 10 + 1)) as i64;
            let (sell, receive) = if rng.chance(50) {
                (Asset::new(size, self.load_asset), Asset::core(other))
            } else {
                (Asset::core(size), Asset::new(other, self.load_asset))
            };
            Kind::Order { seller: from, sell, receive }
        } else {
            Kind::Transfer { from, to, amount }
        }
    }

    /// Transaction `n`, signed by its account.
    pub fn transaction(&self, n: u64) -> SignedTransaction {
        let expiration = self.expiration_base.plus((n % u64::from(EXPIRATION_SPREAD)) as u32);
        let (op, signer) = match self.kind(n) {
            Kind::Transfer { from, to, amount } => (
                Operation::Transfer(TransferOp {
                    fee: Asset::core(self.transfer_fee),
                    from: self.accounts[from].0,
                    to: self.accounts[to].0,
                    amount: Asset::core(amount),
                    ..Default::default()
                }),
                from,
            ),
            Kind::Order { seller, sell, receive } => (
                Operation::LimitOrderCreate(LimitOrderCreateOp {
                    fee: Asset::core(self.order_fee),
                    seller: self.accounts[seller].0,
                    amount_to_sell: sell,
                    min_to_receive: receive,
                    ..Default::default()
                }),
                seller,
            ),
        };
        sign(&self.chain_id, &self.ref_block, expiration, vec![op], &self.accounts[signer].1)
    }
}
