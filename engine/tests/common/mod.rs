//! The harness the BitAsset scenario tests share: a dev chain where `alice` = init0, `bob` =
//! init1, `carol` = init2 and the issuer `nathan` each hold 1,000,000 core (minted into the core
//! supply), one transaction per produced block, and the state invariants checked after every
//! block. Fees are skipped (all ops pay 0) so amounts are the protocol arithmetic only.
// Each test crate uses a different part of the harness.
#![allow(dead_code)]

use engine::bitasset::invariants::check_invariants;
use engine::chain::{Applied, Chain, SkipFlags};
use engine::evaluators::adjust_balance;
use engine::Rejection;
use ledger::asset::Asset;
use ledger::ids::{AccountId, AssetId};
use ledger::ops::*;
use ledger::time::TimePointSec;
use ledger::transaction::{SignedTransaction, Transaction};

pub const FUNDS: i64 = 1_000_000;

/// One or several operations for a transaction.
pub trait IntoOps {
    fn into_ops(self) -> Vec<Operation>;
}
impl IntoOps for Operation {
    fn into_ops(self) -> Vec<Operation> {
        vec![self]
    }
}
impl IntoOps for Vec<Operation> {
    fn into_ops(self) -> Vec<Operation> {
        self
    }
}

/// The chain, the BitAsset under test and the four funded accounts.
pub struct Market {
    pub chain: Chain,
    pub usd: AssetId,
    pub alice: AccountId,
    pub bob: AccountId,
    pub carol: AccountId,
    pub nathan: AccountId,
    pub nonce: u32,
    /// The end-of-block virtual operations of the last block produced (from its outcome).
    pub end_of_block: Vec<ledger::ops::Operation>,
}

impl Market {
    /// The dev chain with the four accounts funded; no asset yet (`usd` is 1.3.0 until created).
    pub fn funded() -> Market {
        let text = ledger::genesis::DEV_GENESIS_JSON;
        let genesis: ledger::genesis::GenesisState = serde_json::from_str(text).unwrap();
        let chain_id = engine::genesis::chain_id_of(&genesis, text);
        let mut chain = Chain::new(engine::genesis::build(&genesis, chain_id).unwrap());
        chain.skip = SkipFlags {
            signatures: true,
            tapos: true,
            block_signature: true,
            fee_schedule: true,
            ..Default::default()
        };
        let id = |c: &Chain, n: &str| c.state.account_by_name(n).unwrap().id;
        let who = [id(&chain, "init0"), id(&chain, "init1"), id(&chain, "init2"), id(&chain, "nathan")];
        for w in who {
            adjust_balance(&mut chain.state, w, Asset::core(FUNDS)).unwrap();
            chain.state.asset_dynamic.modify(0, |d| d.current_supply += FUNDS);
        }
        let [alice, bob, carol, nathan] = who;
        Market { chain, usd: AssetId(0), alice, bob, carol, nathan, nonce: 0, end_of_block: Vec::new() }
    }

    /// Create the asset (`create` must be by nathan) and make `producers` its feed producers.
    pub fn create_usd(&mut self, create: AssetCreateOp, producers: &[AccountId]) {
        let applied = self.ok(Operation::AssetCreate(create));
        self.usd = match applied.operation_results[0] {
            OperationResult::ObjectId(o) => AssetId::try_from(o).unwrap(),
            ref other => panic!("asset_create returned {other:?}"),
        };
        self.ok(Operation::AssetUpdateFeedProducers(AssetUpdateFeedProducersOp {
            issuer: self.nathan,
            asset_to_update: self.usd,
            new_feed_producers: producers.iter().copied().collect(),
            ..Default::default()
        }));
    }

    /// Produce a block at `t` with `txs`, then check the invariants.
    pub fn produce(&mut self, t: TimePointSec, txs: &[SignedTransaction]) -> Vec<Result<Applied, Rejection>> {
        let engine::Produced { results: outcomes, outcome, .. } = self.chain.produce_block(t, txs, None).unwrap();
        self.end_of_block = outcome.end_of_block;
        check_invariants(&self.chain.state).unwrap_or_else(|e| panic!("invariant broken: {e}"));
        outcomes
    }

    /// One transaction with `ops` in its own block.
    pub fn push(&mut self, ops: impl IntoOps) -> Result<Applied, Rejection> {
        self.nonce += 1;
        let tx = SignedTransaction {
            transaction: Transaction {
                expiration: self.chain.head_time().plus(60 + self.nonce),
                operations: ops.into_ops(),
                ..Default::default()
            },
            signatures: vec![],
        };
        let t = self.chain.slot_time(1);
        self.produce(t, &[tx]).pop().unwrap()
    }

    pub fn ok(&mut self, op: Operation) -> Applied {
        self.push(op).unwrap_or_else(|e| panic!("rejected: {e}"))
    }

    pub fn next_block(&mut self) {
        let t = self.chain.slot_time(1);
        self.produce(t, &[]);
    }

    pub fn usd(&self, amount: i64) -> Asset {
        Asset::new(amount, self.usd)
    }

    /// `who`'s position as (collateral, debt).
    pub fn position(&self, who: AccountId) -> Option<(i64, i64)> {
        let s = &self.chain.state;
        s.call_orders.index().find(who, self.usd).and_then(|i| s.call_orders.get(i)).map(|c| (c.collateral, c.debt))
    }

    pub fn supply(&self) -> i64 {
        self.chain.state.asset_dynamic_data(self.usd).current_supply
    }

    pub fn collateral_fees(&self) -> i64 {
        self.chain.state.asset_dynamic_data(self.usd).accumulated_collateral_fees
    }

    pub fn bad(&self) -> ledger::objects::AssetBitassetDataObject {
        self.chain.state.bitasset_data(self.usd).unwrap().clone()
    }
}

/// The `fill_order` virtual operations among `ops`.
pub fn fills(ops: &[Operation]) -> Vec<FillOrderOp> {
    ops.iter()
        .filter_map(|o| match o {
            Operation::FillOrder(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}
