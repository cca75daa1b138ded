//! Scenario tests of the DEX operations (PROTOCOL.md §5.2, §5.3), driving `Chain` directly:
//! every transaction is applied in its own produced block, so end-of-block expiry runs as on a
//! real chain. Amounts are exact; each test is named after the rule it pins down.
//!
//! Setup: the dev genesis; `alice` = init0, `bob` = init1, `carol` = init2 each hold 1,000,000
//! of core and of `USD` (a user-issued asset of `nathan` whose core exchange rate is 2 core per
//! USD, fee pool 1,000,000). Fees: limit_order_create 100, limit_order_cancel 30,
//! limit_order_update 20 (core), so every fee is below the cashback threshold and lands in
//! `pending_vested_fees`.

#[path = "common/user_asset.rs"]
mod user_asset;

use engine::chain::{Applied, Chain, SkipFlags};
use engine::evaluators::{adjust_balance, Context, Skip};
use engine::Rejection;
use ledger::asset::{Asset, Price};
use ledger::fees::{FeeParameters, FeeSchedule, FlatFee};
use ledger::ids::{AccountId, AssetId, LimitOrderId, ObjectId, COMMITTEE_ACCOUNT, CORE_ASSET};
use ledger::ops::*;
use ledger::time::TimePointSec;
use ledger::transaction::{SignedTransaction, Transaction};

const CORE: AssetId = CORE_ASSET;
const FUNDS: i64 = 1_000_000;
const CREATE_FEE: i64 = 100;
const CANCEL_FEE: i64 = 30;
const UPDATE_FEE: i64 = 20;

struct Market {
    chain: Chain,
    usd: AssetId,
    alice: AccountId,
    bob: AccountId,
    carol: AccountId,
    nathan: AccountId,
    nonce: u32,
    /// End-of-block virtual operations of the last block produced (from its outcome).
    end_of_block: Vec<Operation>,
}

fn fee_schedule(create: i64, cancel: i64, update: i64) -> FeeSchedule {
    let mut fs = FeeSchedule::default_schedule();
    fs.set(FeeParameters::LimitOrderCreate(FlatFee { fee: create as u64 }));
    fs.set(FeeParameters::LimitOrderCancel(FlatFee { fee: cancel as u64 }));
    fs.set(FeeParameters::LimitOrderUpdate(FlatFee { fee: update as u64 }));
    fs
}

fn setup() -> Market {
    let genesis: ledger::genesis::GenesisState = serde_json::from_str(ledger::genesis::DEV_GENESIS_JSON).unwrap();
    let chain_id = engine::genesis::chain_id_of(&genesis, ledger::genesis::DEV_GENESIS_JSON);
    let mut chain = Chain::new(engine::genesis::build(&genesis, chain_id).unwrap());
    chain.skip = SkipFlags { signatures: true, tapos: true, block_signature: true, ..Default::default() };
    let id = |c: &Chain, n: &str| c.state.account_by_name(n).unwrap().id;
    let (alice, bob, carol, nathan) =
        (id(&chain, "init0"), id(&chain, "init1"), id(&chain, "init2"), id(&chain, "nathan"));
    chain.state.global.modify(0, |g| g.parameters.current_fees = fee_schedule(CREATE_FEE, CANCEL_FEE, UPDATE_FEE));
    // USD: created through the asset evaluator, with a fee pool.
    let usd = user_asset::create_user_asset(&mut chain, nathan, "USD", 2, FUNDS);
    for who in [alice, bob, carol] {
        adjust_balance(&mut chain.state, who, Asset::core(FUNDS)).unwrap();
        adjust_balance(&mut chain.state, who, Asset::new(FUNDS, usd)).unwrap();
    }
    let mut m = Market { chain, usd, alice, bob, carol, nathan, nonce: 0, end_of_block: Vec::new() };
    // Past the first block (a maintenance block, after which a slot is skipped), so that
    // every later block is exactly one interval after the previous one.
    m.next_block();
    m.next_block();
    m
}

impl Market {
    /// Apply `ops` as one transaction in a new block; the transaction's outcome.
    fn push(&mut self, ops: Vec<Operation>) -> Result<Applied, Rejection> {
        self.nonce += 1;
        let tx = SignedTransaction {
            transaction: Transaction {
                expiration: self.chain.head_time().plus(60 + self.nonce),
                operations: ops,
                ..Default::default()
            },
            signatures: vec![],
        };
        let t = self.chain.slot_time(1);
        let engine::Produced { results: mut outcomes, outcome, .. } = self.chain.produce_block(t, &[tx], None).unwrap();
        self.end_of_block = outcome.end_of_block;
        engine::bitasset::invariants::check_positions_and_book(&self.chain.state).unwrap();
        outcomes.pop().unwrap()
    }

    fn ok(&mut self, op: Operation) -> Applied {
        self.push(vec![op]).unwrap_or_else(|e| panic!("rejected: {e}"))
    }

    fn next_block(&mut self) {
        let t = self.chain.slot_time(1);
        self.end_of_block = self.chain.produce_block(t, &[], None).unwrap().outcome.end_of_block;
    }

    fn sell(&self, seller: AccountId, sell: Asset, receive: Asset) -> LimitOrderCreateOp {
        LimitOrderCreateOp {
            fee: Asset::core(CREATE_FEE),
            seller,
            amount_to_sell: sell,
            min_to_receive: receive,
            expiration: TimePointSec::MAX,
            ..Default::default()
        }
    }

    /// Place an order; its id.
    fn place(&mut self, seller: AccountId, sell: Asset, receive: Asset) -> (LimitOrderId, Applied) {
        let a = self.ok(Operation::LimitOrderCreate(self.sell(seller, sell, receive)));
        let OperationResult::ObjectId(id) = a.operation_results[0] else { panic!("no order id") };
        (LimitOrderId::try_from(id).unwrap(), a)
    }

    fn core(&self, n: i64) -> Asset {
        Asset::core(n)
    }
    fn usd(&self, n: i64) -> Asset {
        Asset::new(n, self.usd)
    }
    fn bal(&self, who: AccountId, asset: AssetId) -> i64 {
        self.chain.state.balance(who, asset)
    }
    /// What `who` holds of `asset` in market-fee-sharing vesting balances (instantly vesting).
    fn fee_share(&self, who: AccountId, asset: AssetId) -> i64 {
        let s = &self.chain.state;
        s.vesting_balances
            .index()
            .of_owner(who)
            .filter_map(|i| s.vesting_balances.get(i))
            .filter(|vb| {
                vb.balance_type == ledger::objects::VestingBalanceType::MarketFeeSharing
                    && vb.balance.asset_id == asset
                    && matches!(vb.policy, ledger::objects::VestingPolicy::Instant(_))
            })
            .map(|vb| vb.balance.amount)
            .sum()
    }
    fn stats(&self, who: AccountId) -> &ledger::objects::AccountStatisticsObject {
        let s = self.chain.state.account(who).unwrap().statistics.0;
        self.chain.state.statistics.get(s).unwrap()
    }
    fn order(&self, id: LimitOrderId) -> Option<&ledger::objects::LimitOrderObject> {
        self.chain.state.limit_orders.get(id.0)
    }
    fn usd_dynamic(&self) -> &ledger::objects::AssetDynamicDataObject {
        self.chain.state.asset_dynamic_data(self.usd)
    }
    fn set_usd_options(&mut self, f: impl FnOnce(&mut AssetOptions)) {
        self.chain.state.assets.modify(self.usd.0, |a| f(&mut a.options));
    }
}

fn fill(
    order: LimitOrderId,
    account: AccountId,
    pays: Asset,
    receives: Asset,
    fee: Asset,
    price: Price,
    maker: bool,
) -> Operation {
    Operation::FillOrder(FillOrderOp {
        fee,
        order_id: ObjectId::from(order),
        account_id: account,
        pays,
        receives,
        fill_price: price,
        is_maker: maker,
    })
}

fn cancel_vop(order: LimitOrderId, account: AccountId, fee: Asset) -> Operation {
    Operation::LimitOrderCancel(LimitOrderCancelOp { fee, fee_paying_account: account, order, ..Default::default() })
}

#[test]
fn taker_fills_at_maker_price() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    // Bob would pay 3 USD per core; he pays the maker's 2.
    let (bid, a) = m.place(m.bob, m.usd(3000), m.core(1000));
    let maker_price = Price::new(m.core(1000), m.usd(2000));
    assert_eq!(
        a.virtual_ops,
        vec![
            fill(bid, m.bob, m.usd(2000), m.core(1000), m.core(0), maker_price, false),
            fill(ask, m.alice, m.core(1000), m.usd(2000), m.usd(0), maker_price, true),
        ]
    );
    assert!(m.order(ask).is_none());
    let rest = m.order(bid).unwrap();
    assert_eq!((rest.for_sale, rest.sell_price), (1000, Price::new(m.usd(3000), m.core(1000))));
    assert_eq!(m.bal(m.alice, CORE), FUNDS - 1000 - CREATE_FEE);
    assert_eq!(m.bal(m.alice, m.usd), FUNDS + 2000);
    assert_eq!(m.bal(m.bob, CORE), FUNDS + 1000 - CREATE_FEE);
    assert_eq!(m.bal(m.bob, m.usd), FUNDS - 3000);
    assert_eq!(m.stats(m.alice).total_core_in_orders, 0);
}

#[test]
fn smaller_taker_is_filled_and_maker_keeps_the_rest_at_its_price() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    // 500 USD at the maker's 2 USD/core buy floor(250) core for ceil(500) USD.
    let (bid, a) = m.place(m.bob, m.usd(500), m.core(200));
    assert_eq!(a.virtual_ops.len(), 2);
    assert!(m.order(bid).is_none());
    assert_eq!(m.order(ask).unwrap().for_sale, 750);
    assert_eq!(m.bal(m.bob, CORE), FUNDS + 250 - CREATE_FEE);
    assert_eq!(m.bal(m.bob, m.usd), FUNDS - 500);
    assert_eq!(m.stats(m.alice).total_core_in_orders, 750);
}

#[test]
fn larger_taker_fills_the_maker_and_rests() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    let (bid, _) = m.place(m.bob, m.usd(5000), m.core(2000));
    assert!(m.order(ask).is_none());
    assert_eq!(m.order(bid).unwrap().for_sale, 3000);
    let book = engine::query::order_book(&m.chain.state, CORE, m.usd, None);
    assert!(book.asks.is_empty());
    assert_eq!(book.bids.len(), 1);
    assert_eq!((book.bids[0].for_sale, book.bids[0].price), (3000, Price::new(m.usd(5), m.core(2))));
}

#[test]
fn smaller_taker_pays_the_ceiling_and_its_dust_remainder_is_culled() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(30), m.usd(100));
    // 8 USD at 30 core/100 USD: receives floor(2.4) = 2 core, pays ceil(6.67) = 7 USD; the
    // last 1 USD would buy nothing and is refunded with a virtual cancel (no fee left).
    let (bid, a) = m.place(m.bob, m.usd(8), m.core(2));
    let p = Price::new(m.core(30), m.usd(100));
    assert_eq!(
        a.virtual_ops,
        vec![
            fill(bid, m.bob, m.usd(7), m.core(2), m.core(0), p, false),
            cancel_vop(bid, m.bob, m.core(0)),
            fill(ask, m.alice, m.core(2), m.usd(7), m.usd(0), p, true),
        ]
    );
    assert_eq!(m.order(ask).unwrap().for_sale, 28);
    assert_eq!(m.bal(m.bob, m.usd), FUNDS - 7);
    assert_eq!(m.bal(m.bob, CORE), FUNDS + 2 - CREATE_FEE);
}

#[test]
fn maker_remainder_that_receives_nothing_is_culled() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(10), m.usd(3));
    // Grow the order to 19 core at 10/3: the update pays the cancel fee scaled by update/create
    // (30 × 20 / 100 = 6) from the old deferred fee and refunds the other 94.
    m.ok(Operation::LimitOrderUpdate(LimitOrderUpdateOp {
        fee: m.core(UPDATE_FEE),
        seller: m.alice,
        order: ask,
        delta_amount_to_sell: Some(m.core(9)),
        ..Default::default()
    }));
    assert_eq!(m.order(ask).unwrap().deferred_fee, UPDATE_FEE);
    assert_eq!(m.stats(m.alice).pending_vested_fees, 6);
    // 19 core at 10/3 are worth floor(5.7) = 5 USD, which buy ceil(16.67) = 17 core; 2 core
    // would receive floor(0.6) = 0 and are culled.
    let (bid, a) = m.place(m.bob, m.usd(50), m.core(10));
    let p = Price::new(m.core(10), m.usd(3));
    assert_eq!(
        a.virtual_ops,
        vec![
            fill(bid, m.bob, m.usd(5), m.core(17), m.core(0), p, false),
            fill(ask, m.alice, m.core(17), m.usd(5), m.usd(0), p, true),
            cancel_vop(ask, m.alice, m.core(0)),
        ]
    );
    assert!(m.order(ask).is_none());
    assert_eq!(m.order(bid).unwrap().for_sale, 45);
    assert_eq!(m.bal(m.alice, CORE), FUNDS - 10 - CREATE_FEE - 9 + 94 - UPDATE_FEE + 2);
    assert_eq!(m.bal(m.alice, m.usd), FUNDS + 5);
    assert_eq!(m.stats(m.alice).pending_vested_fees, 6 + UPDATE_FEE);
    assert_eq!(m.stats(m.alice).total_core_in_orders, 0);
}

#[test]
fn price_time_priority_best_price_then_oldest() {
    let mut m = setup();
    let (first, _) = m.place(m.alice, m.core(100), m.usd(300));
    let (second, _) = m.place(m.carol, m.core(200), m.usd(600)); // same price, later
    let (better, _) = m.place(m.carol, m.core(100), m.usd(250)); // better price, latest
                                                                 // 400 USD at up to 3 USD/core: takes `better` (250 USD), then 150 USD from `first`.
    let (_, a) = m.place(m.bob, m.usd(400), m.core(100));
    let makers: Vec<ObjectId> = a
        .virtual_ops
        .iter()
        .filter_map(|v| match v {
            Operation::FillOrder(f) if f.is_maker => Some(f.order_id),
            _ => None,
        })
        .collect();
    assert_eq!(makers, vec![ObjectId::from(better), ObjectId::from(first)]);
    assert_eq!(m.order(first).unwrap().for_sale, 50);
    assert_eq!(m.order(second).unwrap().for_sale, 200);
}

#[test]
fn expired_order_is_cancelled_at_block_end_with_the_cancel_fee() {
    let mut m = setup();
    let mut op = m.sell(m.alice, m.core(1000), m.usd(2000));
    op.expiration = m.chain.head_time().plus(12);
    let a = m.ok(Operation::LimitOrderCreate(op));
    let OperationResult::ObjectId(id) = a.operation_results[0] else { panic!() };
    let id = LimitOrderId::try_from(id).unwrap();
    // Created in a block 5 s after the head time it was checked against; the next block is
    // 10 s after, still before the expiration; the one after (15 s) is past it.
    m.next_block();
    assert!(m.order(id).is_some());
    assert!(m.end_of_block.is_empty());
    m.next_block();
    assert!(m.order(id).is_none());
    assert_eq!(m.end_of_block, vec![cancel_vop(id, m.alice, m.core(CANCEL_FEE))]);
    assert_eq!(m.bal(m.alice, CORE), FUNDS - CREATE_FEE + (CREATE_FEE - CANCEL_FEE));
    assert_eq!(m.stats(m.alice).pending_vested_fees, CANCEL_FEE);
    assert_eq!(m.stats(m.alice).total_core_in_orders, 0);
}

#[test]
fn expiry_cancel_fee_is_capped_at_the_deferred_fee() {
    let mut m = setup();
    m.chain.state.global.modify(0, |g| g.parameters.current_fees = fee_schedule(CREATE_FEE, 500, UPDATE_FEE));
    let mut op = m.sell(m.alice, m.core(1000), m.usd(2000));
    op.expiration = m.chain.head_time().plus(1);
    let a = m.ok(Operation::LimitOrderCreate(op));
    let OperationResult::ObjectId(id) = a.operation_results[0] else { panic!() };
    // It expires at the end of its own block; the 500 cancel fee is capped at the deferred 100.
    let id = LimitOrderId::try_from(id).unwrap();
    assert_eq!(m.end_of_block, vec![cancel_vop(id, m.alice, m.core(CREATE_FEE))]);
    assert_eq!(m.bal(m.alice, CORE), FUNDS - CREATE_FEE);
    assert_eq!(m.stats(m.alice).pending_vested_fees, CREATE_FEE);
    assert_eq!(m.chain.state.limit_orders.len(), 0);
}

#[test]
fn fill_or_kill_that_would_rest_fails_the_transaction() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    let mut fok = m.sell(m.bob, m.usd(3000), m.core(1000));
    fok.fill_or_kill = true;
    let before = engine::query::order_book(&m.chain.state, CORE, m.usd, None);
    let err = m.push(vec![Operation::LimitOrderCreate(fok)]).unwrap_err();
    assert_eq!(err.code(), "fill_or_kill_unfilled");
    assert_eq!(engine::query::order_book(&m.chain.state, CORE, m.usd, None), before);
    assert_eq!(m.order(ask).unwrap().for_sale, 1000);
    assert_eq!((m.bal(m.bob, CORE), m.bal(m.bob, m.usd)), (FUNDS, FUNDS));
    assert_eq!(m.bal(m.alice, m.usd), FUNDS);
    // One that fills completely goes through.
    let mut fok = m.sell(m.bob, m.usd(1000), m.core(400));
    fok.fill_or_kill = true;
    let a = m.ok(Operation::LimitOrderCreate(fok));
    assert_eq!(a.virtual_ops.len(), 2);
    assert_eq!(m.order(ask).unwrap().for_sale, 500);
}

#[test]
fn deferred_fee_is_paid_to_fee_statistics_on_first_fill() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    assert_eq!(m.order(ask).unwrap().deferred_fee, CREATE_FEE);
    assert_eq!(m.stats(m.alice).pending_vested_fees, 0);
    m.place(m.bob, m.usd(500), m.core(200));
    assert_eq!(m.order(ask).unwrap().deferred_fee, 0);
    assert_eq!(m.stats(m.alice).pending_vested_fees, CREATE_FEE);
    // A second fill pays nothing more.
    m.place(m.bob, m.usd(500), m.core(200));
    assert_eq!(m.stats(m.alice).pending_vested_fees, CREATE_FEE);
    assert_eq!(m.stats(m.bob).pending_vested_fees, 2 * CREATE_FEE);
}

#[test]
fn deferred_fee_is_refunded_in_full_on_cancel() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    let a = m.ok(Operation::LimitOrderCancel(LimitOrderCancelOp {
        fee: m.core(CANCEL_FEE),
        fee_paying_account: m.alice,
        order: ask,
        ..Default::default()
    }));
    assert_eq!(a.operation_results, vec![OperationResult::Asset(m.core(1000))]);
    assert!(a.virtual_ops.is_empty());
    assert_eq!(m.bal(m.alice, CORE), FUNDS - CANCEL_FEE);
    assert_eq!(m.stats(m.alice).pending_vested_fees, CANCEL_FEE);
}

#[test]
fn non_core_deferred_fee_returns_to_its_fee_pool_on_cancel() {
    let mut m = setup();
    let pool = m.usd_dynamic().fee_pool;
    let mut op = m.sell(m.alice, m.core(1000), m.usd(2000));
    op.fee = m.usd(50); // worth 100 core at 2 core/USD
    let a = m.ok(Operation::LimitOrderCreate(op));
    let OperationResult::ObjectId(id) = a.operation_results[0] else { panic!() };
    let id = LimitOrderId::try_from(id).unwrap();
    let o = m.order(id).unwrap();
    assert_eq!((o.deferred_fee, o.deferred_paid_fee), (100, m.usd(50)));
    assert_eq!(m.usd_dynamic().fee_pool, pool - 100);
    assert_eq!(m.usd_dynamic().accumulated_fees, 0);
    assert_eq!(m.bal(m.alice, m.usd), FUNDS - 50);
    m.ok(Operation::LimitOrderCancel(LimitOrderCancelOp {
        fee: m.core(CANCEL_FEE),
        fee_paying_account: m.alice,
        order: id,
        ..Default::default()
    }));
    assert_eq!(m.bal(m.alice, m.usd), FUNDS);
    assert_eq!(m.usd_dynamic().fee_pool, pool);
    assert_eq!(m.usd_dynamic().accumulated_fees, 0);
}

#[test]
fn non_core_deferred_fee_goes_to_accumulated_fees_on_first_fill() {
    let mut m = setup();
    let mut op = m.sell(m.alice, m.core(1000), m.usd(2000));
    op.fee = m.usd(50);
    m.ok(Operation::LimitOrderCreate(op));
    m.place(m.bob, m.usd(500), m.core(200));
    assert_eq!(m.usd_dynamic().accumulated_fees, 50);
    assert_eq!(m.stats(m.alice).pending_vested_fees, 100);
}

#[test]
fn cancel_by_another_account_is_refused() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    let err = m
        .push(vec![Operation::LimitOrderCancel(LimitOrderCancelOp {
            fee: m.core(CANCEL_FEE),
            fee_paying_account: m.bob,
            order: ask,
            ..Default::default()
        })])
        .unwrap_err();
    assert_eq!(err, Rejection::NotOrderOwner { order: ask, owner: m.alice, account: m.bob });
}

#[test]
fn market_fee_is_capped_at_max_market_fee() {
    let mut m = setup();
    m.set_usd_options(|o| {
        o.flags = engine::evaluators::asset::flags::CHARGE_MARKET_FEE;
        o.market_fee_percent = 100; // 1 %
        o.max_market_fee = 15;
    });
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    let (_, a) = m.place(m.bob, m.usd(3000), m.core(1000));
    // Alice (maker) receives 2000 USD: 1 % is 20, capped at 15.
    let Operation::FillOrder(f) = &a.virtual_ops[1] else { panic!() };
    assert_eq!((f.order_id, f.fee), (ObjectId::from(ask), m.usd(15)));
    assert_eq!(m.bal(m.alice, m.usd), FUNDS + 2000 - 15);
    assert_eq!(m.usd_dynamic().accumulated_fees, 15);
}

#[test]
fn taker_pays_taker_fee_percent_and_maker_market_fee_percent() {
    let mut m = setup();
    m.set_usd_options(|o| {
        o.flags = engine::evaluators::asset::flags::CHARGE_MARKET_FEE;
        o.market_fee_percent = 100; // 1 % for makers
        o.extensions.taker_fee_percent = Some(200); // 2 % for takers
    });
    // Bob's maker sells USD; Alice takes all of it, receiving USD as taker.
    m.place(m.bob, m.usd(1000), m.core(500));
    let (_, a) = m.place(m.alice, m.core(500), m.usd(1000));
    let Operation::FillOrder(f) = &a.virtual_ops[0] else { panic!() };
    assert!(!f.is_maker);
    assert_eq!((f.receives, f.fee), (m.usd(1000), m.usd(20)));
    assert_eq!(m.bal(m.alice, m.usd), FUNDS + 1000 - 20);
    // Now Alice is the maker receiving USD: 1 %.
    m.place(m.alice, m.core(500), m.usd(1000));
    m.place(m.bob, m.usd(1000), m.core(500));
    assert_eq!(m.bal(m.alice, m.usd), FUNDS + 2000 - 20 - 10);
    assert_eq!(m.usd_dynamic().accumulated_fees, 30);
}

#[test]
fn market_fee_is_shared_with_network_registrar_and_referrer() {
    let mut m = setup();
    m.chain.state.global.modify(0, |g| g.parameters.extensions.market_fee_network_percent = Some(1000)); // 10 %
    m.set_usd_options(|o| {
        o.flags = engine::evaluators::asset::flags::CHARGE_MARKET_FEE;
        o.market_fee_percent = 100;
        o.extensions.reward_percent = Some(5000); // 50 % of what the network leaves
    });
    let (nathan, carol) = (m.nathan, m.carol);
    m.chain.state.accounts.modify(m.alice.0, |a| {
        a.registrar = nathan;
        a.referrer = carol;
        a.referrer_rewards_percentage = 2000; // 20 % of the reward
    });
    m.place(m.alice, m.core(1000), m.usd(2000));
    m.place(m.bob, m.usd(2000), m.core(1000));
    // Fee 20: network 2, reward floor(18 × 50 %) = 9 (referrer 1, registrar 8), issuer 9. The
    // shares go into instantly vesting market-fee-sharing balances, not the plain balances.
    assert_eq!(m.bal(m.alice, m.usd), FUNDS + 2000 - 20);
    assert_eq!(m.fee_share(COMMITTEE_ACCOUNT, m.usd), 2);
    assert_eq!(m.fee_share(carol, m.usd), 1);
    assert_eq!(m.fee_share(nathan, m.usd), 8);
    assert_eq!(m.bal(COMMITTEE_ACCOUNT, m.usd), 0);
    assert_eq!(m.bal(carol, m.usd), FUNDS);
    assert_eq!(m.bal(nathan, m.usd), 0);
    // A second fill adds to the same balances instead of creating new ones.
    m.place(m.alice, m.core(1000), m.usd(2000));
    m.place(m.bob, m.usd(2000), m.core(1000));
    assert_eq!(m.fee_share(nathan, m.usd), 16);
    assert_eq!(m.chain.state.vesting_balances.index().of_owner(nathan).count(), 1);
    assert_eq!(m.usd_dynamic().accumulated_fees, 18, "9 from each fill");
}

#[test]
fn asset_claim_fees_pays_accumulated_market_fees_to_the_issuer() {
    let mut m = setup();
    // nathan holds no core for fees here; the fee rule is not what this test is about.
    m.chain.skip.fee_schedule = true;
    m.set_usd_options(|o| {
        o.flags = engine::evaluators::asset::flags::CHARGE_MARKET_FEE;
        o.market_fee_percent = 100;
    });
    m.place(m.alice, m.core(1000), m.usd(2000));
    m.place(m.bob, m.usd(2000), m.core(1000));
    assert_eq!(m.usd_dynamic().accumulated_fees, 20);
    let claim = |m: &Market, who, n| {
        Operation::AssetClaimFees(AssetClaimFeesOp {
            fee: Asset::core(0),
            issuer: who,
            amount_to_claim: m.usd(n),
            ..Default::default()
        })
    };
    let err = m.push(vec![claim(&m, m.nathan, 21)]).unwrap_err();
    assert_eq!(err.code(), "accumulated_fees_too_small");
    assert_eq!(m.push(vec![claim(&m, m.alice, 5)]).unwrap_err().code(), "not_issuer");
    m.ok(claim(&m, m.nathan, 12));
    assert_eq!(m.bal(m.nathan, m.usd), 12);
    assert_eq!(m.usd_dynamic().accumulated_fees, 8);
}

#[test]
fn market_blacklist_of_the_sold_asset_is_respected() {
    let mut m = setup();
    m.set_usd_options(|o| {
        o.blacklist_markets.insert(CORE);
    });
    let err = m.push(vec![Operation::LimitOrderCreate(m.sell(m.alice, m.usd(10), m.core(10)))]).unwrap_err();
    assert_eq!(err.code(), "market_blacklisted");
    // Only the sold asset's lists count: selling core for USD is fine.
    m.place(m.alice, m.core(10), m.usd(10));
    m.set_usd_options(|o| {
        o.blacklist_markets.clear();
        o.whitelist_markets.insert(AssetId(99));
    });
    let err = m.push(vec![Operation::LimitOrderCreate(m.sell(m.alice, m.usd(10), m.core(10)))]).unwrap_err();
    assert_eq!(err.code(), "market_not_whitelisted");
}

#[test]
fn limit_order_update_reprices_and_matches() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(4000));
    let (bid, _) = m.place(m.bob, m.usd(2000), m.core(1000));
    assert!(m.order(ask).is_some() && m.order(bid).is_some());
    // Alice lowers her ask to 2 USD/core: it crosses Bob's bid and fills at Bob's price.
    let a = m.ok(Operation::LimitOrderUpdate(LimitOrderUpdateOp {
        fee: m.core(UPDATE_FEE),
        seller: m.alice,
        order: ask,
        new_price: Some(Price::new(m.core(1000), m.usd(2000))),
        ..Default::default()
    }));
    assert_eq!(a.virtual_ops.len(), 2);
    assert!(m.order(ask).is_none() && m.order(bid).is_none());
    assert_eq!(m.bal(m.alice, m.usd), FUNDS + 2000);
    // The old deferred fee paid the scaled cancel fee (6) and the update's own fee was paid on fill.
    assert_eq!(m.stats(m.alice).pending_vested_fees, 6 + UPDATE_FEE);
    assert_eq!(m.bal(m.alice, CORE), FUNDS - 1000 - CREATE_FEE + (CREATE_FEE - 6) - UPDATE_FEE);
}

#[test]
fn open_orders_and_best_prices_queries() {
    let mut m = setup();
    let (a1, _) = m.place(m.alice, m.core(100), m.usd(300));
    let (a2, _) = m.place(m.alice, m.usd(100), m.core(100));
    m.place(m.carol, m.core(200), m.usd(600));
    let ids: Vec<LimitOrderId> = engine::query::open_orders(&m.chain.state, m.alice).iter().map(|o| o.id).collect();
    assert_eq!(ids, vec![a1, a2]);
    let (bid, ask) = engine::query::best_bid_ask(&m.chain.state, CORE, m.usd);
    assert_eq!(ask, Some(Price::new(m.core(100), m.usd(300))));
    assert_eq!(bid, Some(Price::new(m.usd(100), m.core(100))));
    let book = engine::query::order_book(&m.chain.state, CORE, m.usd, Some(10));
    // Both asks are at 1/3 and share one level.
    assert_eq!((book.asks.len(), book.asks[0].for_sale, book.asks[0].orders), (1, 300, 2));
    assert_eq!(book.asks[0].price, Price::new(m.core(1), m.usd(3)));
    assert_eq!((book.bids.len(), book.bids[0].for_sale, book.bids[0].price), (1, 100, Price::new(m.usd(1), m.core(1))));
    // Asked the other way round, the market's sides swap.
    let flipped = engine::query::order_book(&m.chain.state, m.usd, CORE, Some(10));
    assert_eq!((flipped.asks, flipped.bids), (book.bids, book.asks));
    assert_eq!(engine::query::market_orders(&m.chain.state, CORE, m.usd).len(), 3);
}

#[test]
fn undone_session_restores_the_book_and_its_indexes_exactly() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    m.place(m.carol, m.core(30), m.usd(100));
    let book = |m: &Market| engine::query::order_book(&m.chain.state, CORE, m.usd, None);
    let open =
        |m: &Market, who| engine::query::open_orders(&m.chain.state, who).into_iter().cloned().collect::<Vec<_>>();
    let (book_before, alice_before) = (book(&m), open(&m, m.alice));
    let ctx = Context {
        now: m.chain.head_time(),
        block_time: m.chain.head_time(),
        block_num: m.chain.head_num() + 1,
        skip: Skip::default(),
    };
    m.chain.state.begin();
    // Fills both asks and rests a bid.
    let op = Operation::LimitOrderCreate(m.sell(m.bob, m.usd(9000), m.core(3000)));
    engine::evaluators::apply_operation(&mut m.chain.state, &ctx, &op).unwrap();
    assert!(m.order(ask).is_none());
    assert_eq!(book(&m).bids.len(), 1);
    m.chain.state.undo();
    assert_eq!(book(&m), book_before);
    assert_eq!(open(&m, m.alice), alice_before);
    assert!(open(&m, m.bob).is_empty());
    assert_eq!(m.chain.state.limit_orders.index().by_expiration.len(), 2);
    assert_eq!((m.bal(m.bob, CORE), m.bal(m.bob, m.usd)), (FUNDS, FUNDS));
}

#[test]
fn seller_must_be_authorized_for_both_assets() {
    let mut m = setup();
    let nathan = m.nathan;
    m.set_usd_options(|o| {
        o.flags = engine::evaluators::asset::flags::WHITE_LIST;
        o.whitelist_authorities.insert(nathan);
    });
    // Alice is on no whitelist of nathan's: she may neither buy nor sell USD.
    let buy = m.push(vec![Operation::LimitOrderCreate(m.sell(m.alice, m.core(10), m.usd(10)))]).unwrap_err();
    assert_eq!(buy, Rejection::NotAuthorizedForAsset { account: m.alice, asset: "USD".into() });
    let sell = m.push(vec![Operation::LimitOrderCreate(m.sell(m.alice, m.usd(10), m.core(10)))]).unwrap_err();
    assert_eq!(sell.code(), "not_authorized_for_asset");
    m.chain.state.accounts.modify(m.alice.0, |a| {
        a.whitelisting_accounts.insert(nathan);
    });
    m.place(m.alice, m.core(10), m.usd(10));
}

/// `delta_amount_to_sell` is any non-zero i64 (validation asks no more): i64::MIN, whose negation
/// does not fit in i64, is refused as taking more than the order holds (it once overflowed).
#[test]
fn limit_order_update_taking_i64_min_out_of_an_order_is_refused() {
    let mut m = setup();
    let (ask, _) = m.place(m.alice, m.core(1000), m.usd(2000));
    let err = m
        .push(vec![Operation::LimitOrderUpdate(LimitOrderUpdateOp {
            fee: m.core(UPDATE_FEE),
            seller: m.alice,
            order: ask,
            delta_amount_to_sell: Some(m.core(i64::MIN)),
            ..Default::default()
        })])
        .unwrap_err();
    let Rejection::LimitOrderUpdateInvalid { order, reason } = err else { panic!("{err:?}") };
    assert_eq!(order, ask);
    assert_eq!(reason, "cannot take 9223372036854775808 out of an order holding 1000");
    assert_eq!(m.order(ask).unwrap().for_sale, 1000);
}
