//! The read replica equals the writer's state after every block of a market scenario (orders
//! resting, crossing, partly filled, cancelled and expiring at the end of a block; transfers),
//! and after every block popped and re-applied on a fork switch.

use engine::evaluators::{adjust_balance, Context, Skip};
use engine::{BlockOutcome, Chain, SkipFlags};
use ledger::asset::{Asset, Price};
use ledger::ids::{AccountId, AssetId, LimitOrderId};
use ledger::ops::*;
use ledger::time::TimePointSec;
use ledger::transaction::{SignedTransaction, Transaction};
use node::replica::{ChainEvent, Reader, Replica};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FUNDS: i64 = 1_000_000_000;

struct Scenario {
    chain: Chain,
    usd: AssetId,
    who: [AccountId; 3],
    nonce: u32,
}

fn setup() -> Scenario {
    let text = ledger::genesis::DEV_GENESIS_JSON;
    let genesis: ledger::genesis::GenesisState = serde_json::from_str(text).unwrap();
    let chain_id = engine::genesis::chain_id_of(&genesis, text);
    let mut chain = Chain::new(engine::genesis::build(&genesis, chain_id).unwrap());
    chain.skip =
        SkipFlags { signatures: true, tapos: true, block_signature: true, fee_schedule: true, ..Default::default() };
    let id = |c: &Chain, n: &str| c.state.account_by_name(n).unwrap().id;
    let who = [id(&chain, "init0"), id(&chain, "init1"), id(&chain, "init2")];
    let nathan = id(&chain, "nathan");
    let ctx = Context {
        now: chain.head_time(),
        block_time: chain.head_time(),
        block_num: 1,
        skip: Skip { fee_schedule: true },
    };
    let op = AssetCreateOp {
        issuer: nathan,
        symbol: "USD".into(),
        precision: 4,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::core(2), Asset::new(1, AssetId(1))),
            ..Default::default()
        },
        ..Default::default()
    };
    let usd = match engine::evaluators::asset::apply_create(&mut chain.state, &ctx, &op, FUNDS) {
        OperationResult::ObjectId(o) => AssetId::try_from(o).unwrap(),
        other => panic!("asset_create returned {other:?}"),
    };
    for w in who {
        adjust_balance(&mut chain.state, w, Asset::core(FUNDS)).unwrap();
        adjust_balance(&mut chain.state, w, Asset::new(FUNDS, usd)).unwrap();
    }
    chain.set_capture_changes(true);
    Scenario { chain, usd, who, nonce: 0 }
}

impl Scenario {
    fn tx(&mut self, ops: Vec<Operation>) -> SignedTransaction {
        self.nonce += 1;
        SignedTransaction {
            transaction: Transaction {
                expiration: self.chain.head_time().plus(60 + self.nonce),
                operations: ops,
                ..Default::default()
            },
            signatures: vec![],
        }
    }

    fn block(&mut self, ops: Vec<Vec<Operation>>) -> BlockOutcome {
        let txs: Vec<_> = ops.into_iter().map(|o| self.tx(o)).collect();
        let t = self.chain.slot_time(1);
        let produced = self.chain.produce_block(t, &txs, None).unwrap();
        for r in &produced.results {
            r.as_ref().unwrap_or_else(|e| panic!("scenario transaction refused: {e}"));
        }
        produced.outcome
    }

    fn sell(&self, seller: AccountId, sell: Asset, receive: Asset, expiration: TimePointSec) -> Operation {
        Operation::LimitOrderCreate(LimitOrderCreateOp {
            seller,
            amount_to_sell: sell,
            min_to_receive: receive,
            expiration,
            ..Default::default()
        })
    }
}

/// Wait (bounded) until the replica reflects block `num`, then compare it with the writer.
fn assert_same(reader: &Reader, chain: &Chain, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        {
            let r = reader.read();
            if r.head_id == chain.head_id() {
                assert_eq!(r.head_num, chain.head_num(), "{what}");
                assert_eq!(r.state_hash, chain.state.state_hash, "{what}: state hash");
                assert_eq!(
                    engine::snapshot::content_digest(&r.state),
                    engine::snapshot::content_digest(&chain.state),
                    "{what}: the replica's objects differ from the writer's"
                );
                return;
            }
        }
        assert!(Instant::now() < deadline, "{what}: the replica did not reach block {}", chain.head_num());
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn the_replica_equals_the_writer_after_every_block_and_every_pop() {
    let mut s = setup();
    let replica = Replica::start_from(&s.chain.state, 4).unwrap();
    let reader = replica.reader();
    let [a, b, c] = s.who;
    let usd = s.usd;
    let core = |n| Asset::core(n);
    let usd_ = |n| Asset::new(n, usd);
    let far = TimePointSec::MAX;
    let mut steps: Vec<Vec<Vec<Operation>>> = vec![
        vec![],
        vec![vec![Operation::Transfer(TransferOp { from: a, to: b, amount: core(12_345), ..Default::default() })]],
        // Two resting asks and a resting bid.
        vec![vec![s.sell(a, core(1_000), usd_(2_000), far), s.sell(a, core(1_000), usd_(2_200), far)]],
        vec![vec![s.sell(b, usd_(1_000), core(600), far)]],
        // A bid crossing the first ask partly: fills at the maker's price.
        vec![vec![s.sell(c, usd_(1_000), core(500), far)]],
        // Replaced below by an order that expires at the end of the next block.
        vec![],
        vec![vec![Operation::Transfer(TransferOp { from: c, to: a, amount: usd_(777), ..Default::default() })]],
    ];
    steps.push(vec![vec![s.sell(c, usd_(5_000), core(2_000), far)], vec![s.sell(b, core(300), usd_(100), far)]]);
    // A new account, so the replica's name index has something to follow (and, below, to undo).
    let nathan = s.chain.state.account_by_name("nathan").unwrap().id;
    let key = ledger::crypto::PrivateKey::from_password("initial", "active", "dev").unwrap().public_key();
    steps.push(vec![vec![Operation::AccountCreate(AccountCreateOp {
        registrar: nathan,
        referrer: nathan,
        name: "initial".into(),
        owner: ledger::authority::Authority::single_key(key),
        active: ledger::authority::Authority::single_key(key),
        options: AccountOptions { memo_key: key, ..Default::default() },
        ..Default::default()
    })]]);
    for (i, mut ops) in steps.into_iter().enumerate() {
        if i == 5 {
            // Expires at the end of the next block (end-of-block changes).
            ops = vec![vec![s.sell(b, usd_(10), core(50), s.chain.head_time().plus(7))]];
        }
        let outcome = s.block(ops);
        assert!(!outcome.changes.is_empty(), "every block changes at least the dynamic globals");
        if i == 6 {
            assert_eq!(outcome.end_of_block.len(), 1, "the order placed in step 5 expired: {:?}", outcome.end_of_block);
        }
        replica.feed(ChainEvent::Applied(Arc::new(outcome)));
        assert_same(&reader, &s.chain, &format!("after step {i}"));
    }
    // Cancel an order, then pop three blocks (a fork switch's first half), one at a time.
    let resting: Vec<LimitOrderId> = s.chain.state.limit_orders.iter().map(|(i, _)| LimitOrderId(i)).collect();
    assert!(!resting.is_empty(), "the scenario leaves orders on the book");
    let cancel = Operation::LimitOrderCancel(LimitOrderCancelOp {
        fee_paying_account: s.chain.state.limit_orders.get(resting[0].0).unwrap().seller,
        order: resting[0],
        ..Default::default()
    });
    let outcome = s.block(vec![vec![cancel]]);
    replica.feed(ChainEvent::Applied(Arc::new(outcome)));
    assert_same(&reader, &s.chain, "after the cancel");
    {
        let r = reader.read();
        let names: Vec<&str> = r.lookup_accounts("init", 4).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["init0", "init1", "init10", "init2"], "names in order from a lower bound");
        let created = s.chain.state.account_by_name("initial").unwrap().id;
        assert_eq!(r.lookup_accounts("initi", 1), [("initial", created)]);
    }
    for k in 0..3 {
        let reverted = s.chain.pop_block().unwrap();
        assert!(!reverted.changes.is_empty());
        replica.feed(ChainEvent::Reverted(Arc::new(reverted)));
        assert_same(&reader, &s.chain, &format!("after pop {k}"));
    }
    // The account's block was popped: its name left the index with it.
    assert_eq!(reader.read().lookup_accounts("initi", 1)[0].0, "nathan");
    // The other branch: different blocks on the fork point.
    for k in 0..2 {
        let outcome = s.block(vec![vec![s.sell(a, core(40 + k), usd_(90), far)]]);
        replica.feed(ChainEvent::Applied(Arc::new(outcome)));
        assert_same(&reader, &s.chain, &format!("after new-branch block {k}"));
    }
    let (reader, stopped) = replica.stop();
    stopped.unwrap();
    assert_eq!((reader.read().applied, reader.read().reverted), (12, 3));
}

#[test]
fn a_malformed_change_stream_is_refused_and_changes_nothing() {
    let s = setup();
    let replica = Replica::start_from(&s.chain.state, 1).unwrap();
    let before = engine::snapshot::content_digest(&replica.reader().read().state);
    let mut bad = BlockOutcome { block_num: s.chain.head_num() + 1, ..Default::default() };
    // A valid account record followed by a record with an unknown tag.
    bad.changes.bytes = vec![1, 2, 5, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 6, 0, 0, 0, 0, 0, 0, 0, 9];
    replica.feed(ChainEvent::Applied(Arc::new(bad)));
    let (reader, stopped) = replica.stop();
    let err = stopped.unwrap_err().to_string();
    assert!(err.contains("object change record tag 9"), "{err}");
    assert_eq!(engine::snapshot::content_digest(&reader.read().state), before);
    assert_eq!(reader.read().head_num, 0);
}
