//! Stateful rules where this chain once disagreed with bitshares-core (issue 13), each test named
//! after the rule it pins down, with the exact values. The stateless ones (validate(), fee
//! defaults) are in `ledger/tests/fidelity.rs`.
//!
//! Setup: the harness of `tests/common` (the dev genesis; `alice` = init0, `bob` = init1,
//! `carol` = init2 and the lifetime member `nathan` with 1,000,000 core each; one transaction per
//! block; fees skipped), unless a test builds its own genesis.

// Helpers return the engine's `Rejection` as is (it carries its amounts by design).
#![allow(clippy::result_large_err)]

mod common;

use common::Market;
use engine::bitasset::BitassetError;
use engine::chain::{Chain, SkipFlags};
use engine::Rejection;
use ledger::asset::{Asset, Price};
use ledger::authority::Authority;
use ledger::crypto::{pts_address, ripemd160, uncompressed, PrivateKey};
use ledger::genesis::{GenesisState, InitialBalance};
use ledger::ids::*;
use ledger::keys::Address;
use ledger::ops::*;
use ledger::time::TimePointSec;
use ledger::transaction::{ChainId, SignedTransaction, Transaction};

fn created_id(applied: &engine::chain::Applied) -> ObjectId {
    match applied.operation_results[0] {
        OperationResult::ObjectId(o) => o,
        ref other => panic!("expected an object id, got {other:?}"),
    }
}

fn key(name: &str) -> ledger::keys::PublicKey {
    PrivateKey::from_password(name, "active", "dev").unwrap().public_key()
}

fn account_create(registrar: AccountId, name: &str) -> Operation {
    Operation::AccountCreate(AccountCreateOp {
        registrar,
        referrer: registrar,
        name: name.into(),
        owner: Authority::single_key(key(name)),
        active: Authority::single_key(key(name)),
        options: AccountOptions { memo_key: key(name), ..Default::default() },
        ..Default::default()
    })
}

/// A user-issued asset by nathan, with `options` adjusted by `f`.
fn uia(issuer: AccountId, symbol: &str, f: impl FnOnce(&mut AssetOptions)) -> Operation {
    let mut common_options = AssetOptions {
        core_exchange_rate: Price::new(Asset::core(1), Asset::new(1, AssetId(1))),
        ..Default::default()
    };
    f(&mut common_options);
    Operation::AssetCreate(AssetCreateOp {
        issuer,
        symbol: symbol.into(),
        precision: 4,
        common_options,
        ..Default::default()
    })
}

/// A market-issued asset by `issuer`, backed by `backing`, with `flags`.
fn bitasset(issuer: AccountId, symbol: &str, backing: AssetId, flags: u16) -> Operation {
    Operation::AssetCreate(AssetCreateOp {
        issuer,
        symbol: symbol.into(),
        precision: 4,
        common_options: AssetOptions {
            core_exchange_rate: Price::new(Asset::new(1, AssetId(1)), Asset::core(10)),
            flags,
            ..Default::default()
        },
        bitasset_opts: Some(BitassetOptions { minimum_feeds: 1, short_backing_asset: backing, ..Default::default() }),
        ..Default::default()
    })
}

fn create_asset(m: &mut Market, op: Operation) -> AssetId {
    let applied = m.ok(op);
    AssetId::try_from(created_id(&applied)).unwrap()
}

// ---- rule 1 ----

/// account_evaluator.cpp:214 and asset_evaluator.cpp:326 stamp `_current_block_time`, the
/// timestamp of the block being applied, not the head block time before it.
#[test]
fn account_creation_time_is_the_applied_block_time() {
    let mut m = Market::funded();
    m.next_block();
    let nathan = m.nathan;
    let before = m.chain.head_time();
    let applied = m.ok(account_create(m.nathan, "dora"));
    let block_time = m.chain.head_time();
    assert!(block_time > before, "{block_time} follows {before}");
    let dora = m.chain.state.account(AccountId::try_from(created_id(&applied)).unwrap()).unwrap();
    assert_eq!(dora.name, "dora");
    assert_eq!(dora.creation_time, block_time);
    assert_eq!(dora.creation_block_num, m.chain.head_num());

    let usd = create_asset(&mut m, uia(nathan, "DEVUSD", |_| {}));
    let asset = m.chain.state.asset(usd).unwrap();
    assert_eq!(asset.creation_time, m.chain.head_time());
    assert_eq!(asset.creation_time, block_time.plus(5), "the next slot, 5 s later");
}

// ---- rule 2 ----

/// balance_evaluator.cpp:33-41: a genesis balance owned by any of the five addresses of a key
/// (graphene, and PTS uncompressed / compressed at version 56 and 0) is claimed with that key.
#[test]
fn balance_claim_accepts_pts_addresses() {
    let nathan = key("nathan");
    let full = uncompressed(&nathan).unwrap();
    // graphene address = ripemd160(33-byte key); a PTS-derived one = ripemd160(25 PTS bytes).
    let pts = |data: &[u8], version: u8| Address(ripemd160(&pts_address(data, version)));
    let owners = [nathan.address(), pts(&full, 56), pts(&nathan.0, 56), pts(&full, 0), pts(&nathan.0, 0)];
    let mut g = GenesisState::dev();
    g.initial_balances = owners
        .iter()
        .enumerate()
        .map(|(i, owner)| InitialBalance { owner: *owner, asset_symbol: "BTS".into(), amount: 1_000 * (i as i64 + 1) })
        .collect();
    let mut chain = Chain::new(engine::genesis::build(&g, ChainId([7; 32])).unwrap());
    chain.skip = SkipFlags { signatures: true, tapos: true, block_signature: true, ..Default::default() };
    let nathan_id = chain.state.account_by_name("nathan").unwrap().id;
    let mut deposited = 0;
    for i in 0..5u64 {
        let amount = 1_000 * (i as i64 + 1);
        let claim = Operation::BalanceClaim(BalanceClaimOp {
            deposit_to_account: nathan_id,
            balance_to_claim: BalanceId(i),
            balance_owner_key: nathan,
            total_claimed: Asset::core(amount),
            ..Default::default()
        });
        push(&mut chain, claim).unwrap_or_else(|e| panic!("balance 1.15.{i} owned by {}: {e}", owners[i as usize]));
        deposited += amount;
        assert_eq!(chain.state.balance(nathan_id, CORE_ASSET), deposited);
        assert!(chain.state.genesis_balances.get(i).is_none(), "the claimed balance is gone");
    }
    assert_eq!(deposited, 15_000);
    // Another key owns none of them.
    let mut g2 = g.clone();
    g2.initial_balances.truncate(2);
    let mut chain = Chain::new(engine::genesis::build(&g2, ChainId([7; 32])).unwrap());
    chain.skip = SkipFlags { signatures: true, tapos: true, block_signature: true, ..Default::default() };
    let claim = Operation::BalanceClaim(BalanceClaimOp {
        deposit_to_account: nathan_id,
        balance_to_claim: BalanceId(1),
        balance_owner_key: key("init0"),
        total_claimed: Asset::core(2_000),
        ..Default::default()
    });
    let err = push(&mut chain, claim).unwrap_err();
    assert!(matches!(err, Rejection::BalanceOwnerMismatch { balance: BalanceId(1), .. }), "{err:?}");
}

fn push(chain: &mut Chain, op: Operation) -> Result<engine::chain::Applied, Rejection> {
    let tx = SignedTransaction {
        transaction: Transaction { expiration: chain.head_time().plus(60), operations: vec![op], ..Default::default() },
        signatures: vec![],
    };
    let t = chain.slot_time(1);
    let mut outcomes = chain.produce_block(t, &[tx], None).expect("block applies").results;
    outcomes.remove(0)
}

// ---- rule 6 ----

/// asset_evaluator.cpp:218-225, 588-593: only the white/blacklist *authorities* must exist; the
/// market lists may name assets that do not exist.
#[test]
fn asset_market_lists_may_name_assets_that_do_not_exist() {
    let mut m = Market::funded();
    m.next_block();
    let nathan = m.nathan;
    let ghost = AssetId(99);
    assert!(m.chain.state.asset(ghost).is_none());
    let usd = create_asset(
        &mut m,
        uia(nathan, "DEVUSD", |o| {
            o.whitelist_markets.insert(ghost);
        }),
    );
    assert_eq!(
        m.chain.state.asset(usd).unwrap().options.whitelist_markets.iter().copied().collect::<Vec<_>>(),
        [ghost]
    );

    let mut new_options = m.chain.state.asset(usd).unwrap().options.clone();
    new_options.whitelist_markets.clear();
    new_options.blacklist_markets.insert(AssetId(77));
    m.ok(Operation::AssetUpdate(AssetUpdateOp {
        issuer: m.nathan,
        asset_to_update: usd,
        new_options,
        ..Default::default()
    }));
    let a = m.chain.state.asset(usd).unwrap();
    assert!(a.options.whitelist_markets.is_empty());
    assert_eq!(a.options.blacklist_markets.iter().copied().collect::<Vec<_>>(), [AssetId(77)]);

    // The authorities are still looked up.
    let err = m
        .push(uia(nathan, "DEVEUR", |o| {
            o.flags = flags::WHITE_LIST;
            o.whitelist_authorities.insert(AccountId(999));
        }))
        .unwrap_err();
    assert_eq!(err, Rejection::UnknownAccount(AccountId(999)));
}

// ---- rule 8 ----

/// asset_evaluator.cpp:429-444, 666: a market-issued asset handed to committee-account must be
/// backed by core, or by an asset that is itself backed by core.
#[test]
fn committee_may_only_take_over_core_backed_bitassets() {
    let mut m = Market::funded();
    m.next_block();
    let nathan = m.nathan;
    let usd = create_asset(&mut m, bitasset(nathan, "USDX", CORE_ASSET, 0));
    let token = create_asset(&mut m, uia(nathan, "TOKEN", |_| {}));
    let on_token = create_asset(&mut m, bitasset(nathan, "ONTOKEN", token, 0));
    let on_usd = create_asset(&mut m, bitasset(nathan, "ONUSD", usd, 0));
    let hand_over = |asset| {
        Operation::AssetUpdateIssuer(AssetUpdateIssuerOp {
            issuer: nathan,
            asset_to_update: asset,
            new_issuer: COMMITTEE_ACCOUNT,
            ..Default::default()
        })
    };
    let err = m.push(hand_over(on_token)).unwrap_err();
    assert_eq!(
        err,
        Rejection::Bitasset(BitassetError::BadBackingAsset {
            asset: "ONTOKEN".into(),
            backing: "TOKEN".into(),
            reason: "committee-issued bitassets must be backed by core",
        })
    );
    assert_eq!(m.chain.state.asset(on_token).unwrap().issuer, nathan, "a refused handover changes nothing");
    // Backed by core, or by a core-backed bitasset: accepted.
    m.ok(hand_over(on_usd));
    assert_eq!(m.chain.state.asset(on_usd).unwrap().issuer, COMMITTEE_ACCOUNT);
    m.ok(hand_over(usd));
    assert_eq!(m.chain.state.asset(usd).unwrap().issuer, COMMITTEE_ACCOUNT);
    // A user-issued asset may go to the committee whatever it is.
    m.ok(hand_over(token));
    assert_eq!(m.chain.state.asset(token).unwrap().issuer, COMMITTEE_ACCOUNT);
}

// ---- rule 9 ----

/// market_evaluator.cpp:518: with `disable_new_supply` set, a debt position may repay but not
/// borrow.
#[test]
fn call_order_update_refuses_new_debt_when_new_supply_is_disabled() {
    let mut m = Market::funded();
    m.next_block();
    let nathan = m.nathan;
    let usd = create_asset(&mut m, bitasset(nathan, "USDX", CORE_ASSET, 0));
    m.usd = usd;
    m.ok(Operation::AssetUpdateFeedProducers(AssetUpdateFeedProducersOp {
        issuer: nathan,
        asset_to_update: usd,
        new_feed_producers: [nathan].into_iter().collect(),
        ..Default::default()
    }));
    m.ok(Operation::AssetPublishFeed(AssetPublishFeedOp {
        publisher: nathan,
        asset_id: usd,
        feed: PriceFeed {
            settlement_price: Price::new(Asset::new(100, usd), Asset::core(1_000)),
            maintenance_collateral_ratio: 1750,
            maximum_short_squeeze_ratio: 1500,
            core_exchange_rate: Price::new(Asset::new(1, usd), Asset::core(10)),
        },
        ..Default::default()
    }));
    let alice = m.alice;
    let borrow = |debt: i64, collateral: i64| {
        Operation::CallOrderUpdate(CallOrderUpdateOp {
            funding_account: alice,
            delta_collateral: Asset::core(collateral),
            delta_debt: Asset::new(debt, usd),
            ..Default::default()
        })
    };
    m.ok(borrow(100, 5_000));
    assert_eq!((m.position(m.alice), m.supply()), (Some((5_000, 100)), 100));

    let mut new_options = m.chain.state.asset(usd).unwrap().options.clone();
    new_options.flags |= flags::DISABLE_NEW_SUPPLY;
    m.ok(Operation::AssetUpdate(AssetUpdateOp {
        issuer: nathan,
        asset_to_update: usd,
        new_options,
        ..Default::default()
    }));

    assert_eq!(m.push(borrow(10, 1_000)).unwrap_err(), Rejection::NewSupplyDisabled("USDX".into()));
    assert_eq!((m.position(m.alice), m.supply()), (Some((5_000, 100)), 100), "nothing changed");
    // Adding collateral alone and repaying are still allowed.
    m.ok(borrow(0, 1_000));
    m.ok(borrow(-40, 0));
    assert_eq!((m.position(m.alice), m.supply()), (Some((6_000, 60)), 60));
}

// ---- rule 10 ----

/// vesting_balance_evaluator.cpp:45-51: the creator and the owner of a new vesting balance must
/// both be authorized to hold its asset.
#[test]
fn vesting_balance_create_needs_creator_and_owner_authorized_for_the_asset() {
    let mut m = Market::funded();
    // alice is whitelisted by nathan (what account_whitelist would record); bob is not.
    let (alice, nathan) = (m.alice, m.nathan);
    m.chain.state.accounts.modify(alice.0, |a| {
        a.whitelisting_accounts.insert(nathan);
    });
    m.next_block();
    let wl = create_asset(
        &mut m,
        uia(nathan, "WLUSD", |o| {
            o.flags = flags::WHITE_LIST;
            o.whitelist_authorities.insert(nathan);
        }),
    );
    m.ok(Operation::AssetIssue(AssetIssueOp {
        issuer: nathan,
        asset_to_issue: Asset::new(1_000, wl),
        issue_to_account: alice,
        ..Default::default()
    }));
    let vest = |creator: AccountId, owner: AccountId| {
        Operation::VestingBalanceCreate(VestingBalanceCreateOp {
            creator,
            owner,
            amount: Asset::new(300, wl),
            policy: VestingPolicyInitializer::Instant(Default::default()),
            ..Default::default()
        })
    };
    let bob = m.bob;
    assert_eq!(
        m.push(vest(alice, bob)).unwrap_err(),
        Rejection::NotAuthorizedForAsset { account: bob, asset: "WLUSD".into() }
    );
    assert_eq!(m.chain.state.balance(alice, wl), 1_000, "nothing changed");
    m.ok(vest(alice, alice));
    assert_eq!(m.chain.state.balance(alice, wl), 700);
}

// ---- rule 12 ----

/// market_evaluator.cpp:47: an `on_fill` list, when present, must hold exactly one action; an
/// empty list is refused.
#[test]
fn limit_order_on_fill_must_hold_exactly_one_action() {
    let mut m = Market::funded();
    m.next_block();
    let nathan = m.nathan;
    let usd = create_asset(&mut m, uia(nathan, "DEVUSD", |_| {}));
    let mut order = LimitOrderCreateOp {
        seller: m.alice,
        amount_to_sell: Asset::core(1_000),
        min_to_receive: Asset::new(10, usd),
        ..Default::default()
    };
    order.extensions.on_fill = Some(vec![]);
    let err = m.push(Operation::LimitOrderCreate(order.clone())).unwrap_err();
    assert_eq!(err, Rejection::OnFillActionCount { op: "limit_order_create", count: 0, min: 1, max: 1 });
    assert_eq!(err.code(), "on_fill_action_count");
    assert_eq!(m.chain.state.balance(m.alice, CORE_ASSET), common::FUNDS, "nothing changed");
    assert_eq!(m.chain.state.limit_orders.len(), 0);
    // Without the extension the same order rests.
    order.extensions.on_fill = None;
    m.ok(Operation::LimitOrderCreate(order));
    assert_eq!(m.chain.state.balance(m.alice, CORE_ASSET), common::FUNDS - 1_000);
}

// ---- rule 14 ----

/// A fee parameter missing from a genesis JSON takes the C++ default: `[0, {"fee": 100}]` keeps
/// transfer's `price_per_kbyte` of 10 BTS, so a memo costs its data fee.
#[test]
fn missing_genesis_fee_fields_take_the_cpp_defaults() {
    let mut json: serde_json::Value = serde_json::from_str(ledger::genesis::DEV_GENESIS_JSON).unwrap();
    json["initial_parameters"]["current_fees"]["parameters"][0] = serde_json::json!([0, {"fee": 100}]);
    let mut g = GenesisState::from_json(&json.to_string()).unwrap();
    let nathan = key("nathan");
    g.initial_balances =
        vec![InitialBalance { owner: nathan.address(), asset_symbol: "BTS".into(), amount: 1_000_000 }];
    let state = engine::genesis::build(&g, ChainId([7; 32])).unwrap();
    assert_eq!(
        state.gpo().parameters.current_fees.get(0),
        Some(&ledger::fees::FeeParameters::Transfer(ledger::fees::FeeWithKbyte {
            fee: 100,
            price_per_kbyte: 1_000_000
        }))
    );
    let mut chain = Chain::new(state);
    chain.skip = SkipFlags { signatures: true, tapos: true, block_signature: true, ..Default::default() };
    let nathan_id = chain.state.account_by_name("nathan").unwrap().id;
    let claim = Operation::BalanceClaim(BalanceClaimOp {
        deposit_to_account: nathan_id,
        balance_to_claim: BalanceId(0),
        balance_owner_key: nathan,
        total_claimed: Asset::core(1_000_000),
        ..Default::default()
    });
    push(&mut chain, claim).unwrap();
    let transfer = |memo: Option<MemoData>| {
        Operation::Transfer(TransferOp {
            fee: Asset::core(100),
            from: nathan_id,
            to: AccountId(6),
            amount: Asset::core(1),
            memo,
            ..Default::default()
        })
    };
    push(&mut chain, transfer(None)).expect("no memo: the flat fee of 100 is enough");
    let memo = MemoData { from: nathan, to: nathan, nonce: 1, message: Bytes(vec![0u8; 16]) };
    let err = push(&mut chain, transfer(Some(memo))).unwrap_err();
    // The optional memo packs to 1 (present) + 33 + 33 + 8 (nonce) + 1 (length) + 16 = 92 bytes:
    // data fee floor(92 × 1,000,000 / 1024) = 89,843, plus the flat 100.
    match err {
        Rejection::InsufficientFee { required, core_value, .. } => {
            assert_eq!((core_value, required.amount), (100, 89_943));
        }
        other => panic!("expected insufficient_fee, got {other:?}"),
    }
}

// ---- rule 15 and the statistics shape ----

/// db_genesis.cpp:73 and following: the special accounts 1.2.0-1.2.5 and the core asset are
/// created at the genesis timestamp.
#[test]
fn genesis_objects_carry_the_genesis_time() {
    let g = GenesisState::dev();
    let state = engine::genesis::build(&g, ChainId([7; 32])).unwrap();
    let t0: TimePointSec = "2026-01-01T00:00:00".parse().unwrap();
    assert_eq!(g.initial_timestamp, t0);
    for i in 0..6 {
        assert_eq!(state.account(AccountId(i)).unwrap().creation_time, t0, "1.2.{i}");
    }
    assert_eq!(state.account_by_name("nathan").unwrap().creation_time, t0);
    assert_eq!(state.asset(CORE_ASSET).unwrap().creation_time, t0);
}

/// account_object.cpp:330-346: the statistics object prints every field core prints, in core's
/// order, with `most_recent_op` at core's default 2.9.0.
#[test]
fn account_statistics_json_has_the_shape_of_core() {
    let m = Market::funded();
    let stats_id = m.chain.state.account(m.nathan).unwrap().statistics;
    let stats = m.chain.state.statistics.get(stats_id.0).unwrap();
    let json = serde_json::to_value(stats).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    let core_order = [
        "id",
        "owner",
        "name",
        "most_recent_op",
        "total_ops",
        "removed_ops",
        "total_core_in_orders",
        "total_core_inactive",
        "total_core_pob",
        "total_core_pol",
        "total_pob_value",
        "total_pol_value",
        "core_in_balance",
        "has_cashback_vb",
        "is_voting",
        "last_vote_time",
        "vp_all",
        "vp_active",
        "vp_committee",
        "vp_witness",
        "vp_worker",
        "vote_tally_time",
        "lifetime_fees_paid",
        "pending_fees",
        "pending_vested_fees",
    ];
    let mut sorted = core_order.to_vec();
    sorted.sort_unstable();
    let mut got = keys.clone();
    got.sort_unstable();
    assert_eq!(got, sorted);
    assert_eq!(json["most_recent_op"], "2.9.0");
    assert_eq!(json["owner"], "1.2.17");
    assert_eq!(json["vote_tally_time"], "1970-01-01T00:00:00");
    assert_eq!(json["vp_all"], 0);
    assert_eq!(json["total_core_pol"], 0);
    // Struct order is core's reflect order (serde_json's map may sort keys; the struct does not).
    let text = serde_json::to_string(stats).unwrap();
    let positions: Vec<usize> = core_order.iter().map(|k| text.find(&format!("\"{k}\":")).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

// ---- found in the second pass ----

/// account_evaluator.cpp:67-70 (`verify_account_votes`): an account may not want more witnesses
/// or committee members than the chain's maximums, even when it votes for that many.
#[test]
fn account_votes_may_not_want_more_than_the_chain_maximum() {
    let mut g = GenesisState::dev();
    g.initial_parameters.maximum_committee_count = 3;
    let mut chain = Chain::new(engine::genesis::build(&g, ChainId([7; 32])).unwrap());
    chain.skip =
        SkipFlags { signatures: true, tapos: true, block_signature: true, fee_schedule: true, ..Default::default() };
    let alice = chain.state.account_by_name("init0").unwrap().id;
    let votes: std::collections::BTreeSet<VoteId> =
        (0..5).map(|i| chain.state.committee_members.get(i).unwrap().vote_id).collect();
    let update = |num_committee: u16| {
        Operation::AccountUpdate(AccountUpdateOp {
            account: alice,
            new_options: Some(AccountOptions {
                memo_key: key("init0"),
                num_committee,
                votes: votes.clone(),
                ..Default::default()
            }),
            ..Default::default()
        })
    };
    let err = push(&mut chain, update(4)).unwrap_err();
    assert_eq!(err, Rejection::VoteCountAboveMaximum { kind: "committee member", wanted: 4, max: 3 });
    assert_eq!(err.code(), "vote_count_above_maximum");
    assert_eq!(chain.state.account(alice).unwrap().options.num_committee, 0, "nothing changed");
    push(&mut chain, update(3)).unwrap();
    assert_eq!(chain.state.account(alice).unwrap().options.num_committee, 3);
    assert_eq!(chain.state.account(alice).unwrap().options.votes.len(), 5);
}

/// db_genesis.cpp:76-258, 290-427: the genesis objects are made as core makes them.
/// - null-account and proxy-to-self take null-account's data (registrar 1.2.3, no network cut);
///   the other special accounts take the compile-time 20 % network cut, not the parameter;
/// - committee-account starts with the whole share supply 10^15 as balance and
///   `core_in_balance`, and with no core handed out the core supply stays 10^15;
/// - ids below `num_special_accounts` / `num_special_assets` are reserved;
/// - an initial account without an active key uses its owner key;
/// - an initial asset has flags witness_fed_asset, the default 0/0 core exchange rate, and a
///   supply that counts its `accumulated_fees`.
#[test]
fn genesis_objects_are_made_as_core_makes_them() {
    let mut g = GenesisState::dev();
    g.initial_parameters.network_percent_of_fee = 3_000;
    g.immutable_parameters.num_special_accounts = 10;
    g.immutable_parameters.num_special_assets = 4;
    g.initial_accounts[0].active_key = Default::default();
    let owner0 = g.initial_accounts[0].owner_key;
    g.initial_balances.clear();
    g.initial_assets.push(ledger::genesis::InitialAsset {
        symbol: "DEVUSD".into(),
        issuer_name: "nathan".into(),
        precision: 4,
        max_supply: 1_000_000,
        accumulated_fees: 250,
        ..Default::default()
    });
    let state = engine::genesis::build(&g, ChainId([7; 32])).unwrap();

    let proxy = state.account(PROXY_TO_SELF_ACCOUNT).unwrap();
    assert_eq!((proxy.registrar, proxy.referrer, proxy.lifetime_referrer), (NULL_ACCOUNT, NULL_ACCOUNT, NULL_ACCOUNT));
    assert_eq!((proxy.network_fee_percentage, proxy.lifetime_referrer_fee_percentage), (0, 10_000));
    let witness = state.account(WITNESS_ACCOUNT).unwrap();
    assert_eq!(witness.registrar, WITNESS_ACCOUNT);
    assert_eq!((witness.network_fee_percentage, witness.lifetime_referrer_fee_percentage), (2_000, 8_000));

    assert_eq!(state.balance(COMMITTEE_ACCOUNT, CORE_ASSET), 1_000_000_000_000_000);
    assert_eq!(state.asset_dynamic_data(CORE_ASSET).current_supply, 1_000_000_000_000_000);
    let committee_stats = state.account(COMMITTEE_ACCOUNT).unwrap().statistics;
    assert_eq!(state.statistics.get(committee_stats.0).unwrap().core_in_balance, 1_000_000_000_000_000);

    let init0 = state.account_by_name("init0").unwrap();
    assert_eq!(init0.id, AccountId(10));
    assert_eq!(init0.statistics, AccountStatisticsId(10));
    assert!(state.account(AccountId(6)).is_none(), "1.2.6-1.2.9 are reserved");
    assert_eq!(init0.active, Authority::single_key(owner0));
    assert_eq!(init0.options.memo_key, owner0);

    let usd = state.asset_by_symbol("DEVUSD").unwrap();
    assert_eq!(usd.id, AssetId(4));
    assert!(state.asset(AssetId(1)).is_none(), "1.3.1-1.3.3 are reserved");
    assert_eq!(usd.options.flags, flags::WITNESS_FED_ASSET);
    assert_eq!(usd.options.issuer_permissions, flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION);
    assert_eq!(usd.options.core_exchange_rate, Price::new(Asset::core(0), Asset::new(0, AssetId(1))));
    assert_eq!(state.asset_dynamic_data(usd.id).current_supply, 250);
    assert_eq!(state.asset_dynamic_data(usd.id).accumulated_fees, 250);
}

/// db_genesis.cpp:290-316 creates the initial accounts with account_create, which counts them in
/// `accounts_registered_this_interval` (account_evaluator.cpp:217-228): the registrations before
/// the first maintenance continue from there, so with 13 accounts per fee step the dev genesis's
/// 12 accounts plus one more registration scale the basic fee by 2^4.
#[test]
fn genesis_accounts_count_as_registrations_of_the_first_interval() {
    use engine::evaluators::{apply_operation, Context, Skip};
    let mut g = GenesisState::dev();
    g.initial_parameters.accounts_per_fee_scale = 13;
    let mut state = engine::genesis::build(&g, ChainId([7; 32])).unwrap();
    assert_eq!(g.initial_accounts.len(), 12);
    assert_eq!(state.dgp().accounts_registered_this_interval, 12);
    let basic_fee = |s: &engine::state::State| match s.gpo().parameters.current_fees.params_for(5) {
        Some(ledger::fees::FeeParameters::AccountCreate(p)) => p.basic_fee,
        other => panic!("{other:?}"),
    };
    assert_eq!(basic_fee(&state), 500_000);
    let nathan = state.account_by_name("nathan").unwrap().id;
    let t = state.dgp().time;
    let ctx = Context { now: t, block_time: t.plus(5), block_num: 1, skip: Skip { fee_schedule: true } };
    apply_operation(&mut state, &ctx, &account_create(nathan, "dora")).unwrap();
    assert_eq!(state.dgp().accounts_registered_this_interval, 13);
    assert_eq!(basic_fee(&state), 8_000_000);
}
