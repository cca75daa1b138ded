//! Stateless validation rules (the C++ `validate()` of each operation) and required authorities,
//! pinned with exact values.

use ledger::asset::{Asset, Price};
use ledger::authority::Authority;
use ledger::ids::{AccountId, AssetId};
use ledger::keys::PublicKey;
use ledger::ops::*;
use ledger::time::TimePointSec;
use ledger::transaction::Transaction;
use std::collections::BTreeSet;

const KEY: &str = "TEST77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd";

fn key() -> PublicKey {
    KEY.parse().unwrap()
}

fn code(op: impl Into<Operation>) -> Result<(), &'static str> {
    op.into().validate().map_err(|e| e.code())
}

fn transfer(amount: i64) -> TransferOp {
    TransferOp {
        fee: Asset::core(100),
        from: AccountId(6),
        to: AccountId(7),
        amount: Asset::core(amount),
        ..Default::default()
    }
}

#[test]
fn transfer_rules() {
    assert_eq!(code(transfer(1)), Ok(()));
    assert_eq!(code(transfer(0)), Err("non_positive_amount"));
    assert_eq!(code(transfer(-5)), Err("non_positive_amount"));
    let mut t = transfer(1);
    t.to = t.from;
    assert_eq!(code(t), Err("same_account"));
    let mut t = transfer(1);
    t.fee.amount = -1;
    let e = Operation::from(t).validate().unwrap_err();
    assert_eq!(e, ValidateError::NegativeFee { amount: -1 });
    assert_eq!(e.to_string(), "fee amount -1 is negative");
}

#[test]
fn virtual_operations_never_validate() {
    for tag in [4u8, 42, 44, 46, 51, 53, 74] {
        let op = Operation::default_of(tag).unwrap();
        assert!(op.is_virtual(), "{}", op.name());
        assert_eq!(op.validate().unwrap_err().code(), "virtual_operation");
    }
    assert_eq!((0..OPERATION_COUNT).filter(|t| Operation::default_of(*t).unwrap().is_virtual()).count(), 7);
}

#[test]
fn limit_order_rules() {
    let ok = LimitOrderCreateOp {
        seller: AccountId(6),
        amount_to_sell: Asset::new(12_500, AssetId(1)),
        min_to_receive: Asset::core(1_000_000),
        ..Default::default()
    };
    assert_eq!(ok.expiration, TimePointSec::MAX, "C++ default expiration is the end of time");
    assert_eq!(code(ok.clone()), Ok(()));
    let mut same = ok.clone();
    same.min_to_receive.asset_id = AssetId(1);
    assert_eq!(code(same), Err("same_asset"));
    let mut zero = ok.clone();
    zero.min_to_receive.amount = 0;
    assert_eq!(code(zero), Err("non_positive_amount"));

    let mut update = LimitOrderUpdateOp { seller: AccountId(6), ..Default::default() };
    assert_eq!(code(update.clone()), Err("nothing_to_update"));
    update.delta_amount_to_sell = Some(Asset::core(0));
    assert_eq!(code(update.clone()), Err("zero_amount"));
    update.delta_amount_to_sell = Some(Asset::core(-3));
    assert_eq!(code(update.clone()), Ok(()));
    update.new_price = Some(Price::new(Asset::core(1), Asset::core(1)));
    assert_eq!(code(update), Err("invalid_price"));

    assert_eq!(code(LimitOrderCancelOp::default()), Ok(()));
}

#[test]
fn call_order_update_rules() {
    let mut op = CallOrderUpdateOp {
        delta_collateral: Asset::core(0),
        delta_debt: Asset::new(0, AssetId(2)),
        ..Default::default()
    };
    assert_eq!(code(op.clone()), Err("zero_amount"));
    op.delta_debt.amount = -10;
    assert_eq!(code(op.clone()), Ok(()));
    op.delta_debt.asset_id = AssetId(0);
    assert_eq!(code(op), Err("same_asset"));
}

fn account_create(name: &str) -> AccountCreateOp {
    AccountCreateOp {
        registrar: AccountId(6),
        referrer: AccountId(6),
        referrer_percent: 0,
        name: name.into(),
        owner: Authority::single_key(key()),
        active: Authority::single_key(key()),
        options: AccountOptions { memo_key: key(), ..Default::default() },
        ..Default::default()
    }
}

#[test]
fn account_create_rules() {
    assert_eq!(code(account_create("bob-1")), Ok(()));
    assert_eq!(account_create("x").options.voting_account, AccountId(5), "default proxy-to-self");
    let e = Operation::from(account_create("Bob")).validate().unwrap_err();
    assert_eq!(e.to_string(), "'Bob' is not a valid account name");
    let mut op = account_create("bob");
    op.referrer_percent = 10_001;
    assert_eq!(code(op), Err("too_large"));
    let mut op = account_create("bob");
    op.owner = Authority::default();
    assert_eq!(code(op), Err("empty_authority"));
    let mut op = account_create("bob");
    op.active.weight_threshold = 2;
    assert_eq!(code(op), Err("impossible_authority"));
    let mut op = account_create("bob");
    op.options.num_witness = 1;
    assert_eq!(code(op.clone()), Err("too_few_votes"));
    op.options.votes.insert(VoteId::new(VoteType::Witness, 3));
    assert_eq!(code(op), Ok(()));
}

#[test]
fn account_update_and_its_authorities() {
    let mut op = AccountUpdateOp { account: AccountId(9), ..Default::default() };
    assert_eq!(code(op.clone()), Err("nothing_to_update"));
    op.active = Some(Authority::single_key(key()));
    assert_eq!(code(op.clone()), Ok(()));
    let (mut a, mut o, mut x) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    Operation::from(op.clone()).required_authorities(&mut a, &mut o, &mut x);
    assert_eq!((a.into_iter().collect::<Vec<_>>(), o.len()), (vec![AccountId(9)], 0));

    op.owner = Some(Authority::single_key(key()));
    let tx = Transaction { operations: vec![op.clone().into()], ..Default::default() };
    let r = tx.required_authorities();
    assert!(r.active.is_empty(), "owner-required accounts leave the active set");
    assert_eq!(r.owner.into_iter().collect::<Vec<_>>(), vec![AccountId(9)]);

    op.account = AccountId(4);
    assert_eq!(code(op), Err("special_account_update"));
}

#[test]
fn whitelist_and_upgrade() {
    let mut w = AccountWhitelistOp { new_listing: 3, ..Default::default() };
    assert_eq!(code(w.clone()), Ok(()));
    w.new_listing = 4;
    assert_eq!(code(w), Err("out_of_range"));
    assert_eq!(code(AccountUpgradeOp::default()), Ok(()));
}

fn asset_create(symbol: &str) -> AssetCreateOp {
    let mut op = AssetCreateOp { issuer: AccountId(6), symbol: symbol.into(), precision: 5, ..Default::default() };
    op.common_options.core_exchange_rate = Price::new(Asset::core(1), Asset::new(1, AssetId(1)));
    op
}

#[test]
fn asset_create_rules() {
    assert_eq!(code(asset_create("USD")), Ok(()));
    assert_eq!(code(asset_create("usd")), Err("invalid_symbol"));
    assert_eq!(code(asset_create("BITUSD")), Err("invalid_symbol"));
    let mut op = asset_create("USD");
    op.precision = 13;
    assert_eq!(Operation::from(op).validate().unwrap_err(), ValidateError::PrecisionTooHigh { precision: 13 });
    let mut op = asset_create("USD");
    op.common_options.market_fee_percent = 10_001;
    assert_eq!(code(op), Err("too_large"));
    let mut op = asset_create("USD");
    op.common_options.max_supply = 1_000_000_000_000_001;
    assert_eq!(code(op), Err("too_large"));
    let mut op = asset_create("USD");
    op.common_options.max_supply = 0;
    assert_eq!(code(op), Err("non_positive_amount"));
    let mut op = asset_create("USD");
    op.common_options.core_exchange_rate = Price::new(Asset::core(1), Asset::new(1, AssetId(7)));
    assert_eq!(code(op), Err("invalid_core_exchange_rate"));
    let mut op = asset_create("USD");
    op.common_options.flags = 0x20; // global_settle is a permission only
    assert_eq!(code(op), Err("invalid_flags"));
    let mut op = asset_create("USD");
    op.common_options.flags = 0x80; // witness_fed is for bitassets only
    assert_eq!(code(op.clone()), Err("invalid_flags"));
    op.bitasset_opts = Some(BitassetOptions::default());
    assert_eq!(code(op.clone()), Ok(()));
    op.bitasset_opts.as_mut().unwrap().minimum_feeds = 0;
    assert_eq!(code(op), Err("non_positive_amount"));
    let mut op = asset_create("USD");
    op.is_prediction_market = true;
    assert_eq!(code(op), Err("prediction_market_not_bitasset"));
    let mut op = asset_create("USD");
    op.common_options.whitelist_authorities.insert(AccountId(3));
    assert_eq!(code(op), Err("whitelist_flag_missing"));
}

#[test]
fn other_asset_rules() {
    let issue = AssetIssueOp { asset_to_issue: Asset::new(1_000_000_000_000_000, AssetId(1)), ..Default::default() };
    assert_eq!(code(issue.clone()), Ok(()));
    let mut too_much = issue.clone();
    too_much.asset_to_issue.amount += 1;
    assert_eq!(code(too_much), Err("too_large"));
    let mut core = issue;
    core.asset_to_issue.asset_id = AssetId(0);
    assert_eq!(code(core), Err("issue_core_asset"));

    assert_eq!(
        code(AssetReserveOp { amount_to_reserve: Asset::core(0), ..Default::default() }),
        Err("non_positive_amount")
    );

    let fund = AssetFundFeePoolOp { asset_id: AssetId(1), amount: 5, ..Default::default() };
    assert_eq!(code(fund.clone()), Ok(()));
    let mut bad = fund;
    bad.fee.asset_id = AssetId(1);
    assert_eq!(code(bad), Err("fee_not_core"));

    let mut claim = AssetClaimFeesOp { amount_to_claim: Asset::new(5, AssetId(2)), ..Default::default() };
    assert_eq!(code(claim.clone()), Ok(()));
    claim.extensions.claim_from_asset_id = Some(AssetId(2));
    assert_eq!(code(claim), Err("same_asset"));

    let upd = AssetUpdateIssuerOp { issuer: AccountId(6), new_issuer: AccountId(6), ..Default::default() };
    assert_eq!(code(upd), Err("same_account"));
    let upd = AssetUpdateIssuerOp { issuer: AccountId(6), new_issuer: AccountId(7), ..Default::default() };
    let (mut a, mut o, mut x) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    Operation::from(upd).required_authorities(&mut a, &mut o, &mut x);
    assert!(o.contains(&AccountId(6)), "asset_update_issuer needs the issuer's owner authority");

    assert_eq!(code(AssetSettleOp { amount: Asset::core(-1), ..Default::default() }), Err("negative_amount"));

    let mut update = AssetUpdateOp { asset_to_update: AssetId(5), ..Default::default() };
    update.new_options.core_exchange_rate = Price::new(Asset::new(1, AssetId(5)), Asset::core(2));
    assert_eq!(code(update.clone()), Ok(()));
    update.extensions.new_precision = Some(13);
    assert_eq!(code(update.clone()), Err("precision_too_high"));
    update.extensions.new_precision = None;
    update.new_options.core_exchange_rate = Price::new(Asset::new(1, AssetId(6)), Asset::core(2));
    assert_eq!(code(update), Err("invalid_core_exchange_rate"));
}

#[test]
fn publish_feed_rules() {
    let usd = AssetId(1);
    let mut op = AssetPublishFeedOp { publisher: AccountId(6), asset_id: usd, ..Default::default() };
    op.feed.settlement_price = Price::new(Asset::new(1, usd), Asset::core(30));
    op.feed.core_exchange_rate = Price::new(Asset::new(1, usd), Asset::core(28));
    assert_eq!(code(op.clone()), Ok(()));
    op.feed.maintenance_collateral_ratio = 1000;
    assert_eq!(code(op.clone()), Err("too_small"));
    op.feed.maintenance_collateral_ratio = 1750;
    op.asset_id = AssetId(2);
    assert_eq!(code(op.clone()), Err("feed_for_other_asset"));
    op.asset_id = usd;
    op.feed.core_exchange_rate = Price::default();
    assert_eq!(code(op), Err("null_core_exchange_rate"));
}

#[test]
fn balance_claim_needs_zero_fee_and_its_key() {
    let op = BalanceClaimOp { balance_owner_key: key(), ..Default::default() };
    assert_eq!(code(op.clone()), Ok(()));
    let (mut a, mut o, mut x) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    Operation::from(op.clone()).required_authorities(&mut a, &mut o, &mut x);
    assert_eq!(x, vec![Authority::single_key(key())]);
    let mut paid = op.clone();
    paid.fee = Asset::core(1);
    assert_eq!(code(paid), Err("fee_must_be_zero"));
    let mut nullkey = op;
    nullkey.balance_owner_key = PublicKey::default();
    assert_eq!(code(nullkey), Err("null_balance_owner_key"));
}

#[test]
fn proposal_rules_and_authorities() {
    let empty = ProposalCreateOp::default();
    assert_eq!(code(empty), Err("empty_proposal"));
    let bad_inner = ProposalCreateOp { proposed_ops: vec![OpWrapper { op: transfer(0).into() }], ..Default::default() };
    let e = Operation::from(bad_inner).validate().unwrap_err();
    assert_eq!(e.code(), "non_positive_amount");
    assert_eq!(e.to_string(), "operation 0: amount must be positive, got 0");
    let good = ProposalCreateOp { proposed_ops: vec![OpWrapper { op: transfer(5).into() }], ..Default::default() };
    assert_eq!(code(good), Ok(()));

    let mut upd = ProposalUpdateOp { fee_paying_account: AccountId(6), ..Default::default() };
    assert_eq!(code(upd.clone()), Err("nothing_to_update"));
    upd.active_approvals_to_add.insert(AccountId(8));
    upd.owner_approvals_to_remove.insert(AccountId(9));
    upd.key_approvals_to_add.insert(key());
    assert_eq!(code(upd.clone()), Ok(()));
    let (mut a, mut o, mut x) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    Operation::from(upd.clone()).required_authorities(&mut a, &mut o, &mut x);
    assert_eq!(a.into_iter().collect::<Vec<_>>(), vec![AccountId(6), AccountId(8)]);
    assert_eq!(o.into_iter().collect::<Vec<_>>(), vec![AccountId(9)]);
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].weight_threshold, 1);
    upd.active_approvals_to_remove.insert(AccountId(8));
    assert_eq!(code(upd), Err("add_and_remove_approval"));

    let del = ProposalDeleteOp { fee_paying_account: AccountId(6), using_owner_authority: true, ..Default::default() };
    let (mut a, mut o, mut x) = (BTreeSet::new(), BTreeSet::new(), Vec::new());
    Operation::from(del).required_authorities(&mut a, &mut o, &mut x);
    assert_eq!((a.len(), o.len(), x.len()), (1, 0, 0), "proposal_delete needs only the payer's active");
}

#[test]
fn transaction_rules() {
    let tx = Transaction::default();
    assert_eq!(tx.validate().unwrap_err(), ValidateError::EmptyTransaction);
    let tx = Transaction { operations: vec![transfer(1).into(), transfer(0).into()], ..Default::default() };
    let e = tx.validate().unwrap_err();
    assert!(matches!(e, ValidateError::InOperation { index: 1, .. }), "{e}");
}

#[test]
fn committee_parameters_are_paid_by_the_committee() {
    let op = Operation::default_of(31).unwrap();
    assert_eq!(op.fee_payer(), AccountId(0));
    assert_eq!(op.validate(), Ok(()), "default chain parameters are valid");
    let mut p = CommitteeMemberUpdateGlobalParametersOp::default();
    p.new_parameters.block_interval = 0;
    // Chain-parameter errors surface as one rule code (ops::governance wraps ChainParamsError).
    assert_eq!(code(p.clone()), Err("invalid_chain_parameters"));
    p.new_parameters.block_interval = 5;
    p.new_parameters.maintenance_interval = 86_401;
    assert_eq!(code(p), Err("invalid_chain_parameters"));
}
