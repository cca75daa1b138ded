//! Stateless rules where this chain once disagreed with bitshares-core (issue 13), each named
//! after the rule and pinned with the exact error and values. The stateful ones are in
//! `engine/tests/fidelity.rs`.

use ledger::asset::{Asset, Price};
use ledger::chain::ChainParameters;
use ledger::fees::{FeeParameters, FeeSchedule, FeeWithKbyte, FlatFee};
use ledger::ids::{AccountId, AssetId, TEMP_ACCOUNT};
use ledger::ops::*;

fn check(op: impl Into<Operation>) -> Result<(), ValidateError> {
    op.into().validate()
}

fn uia(permissions: u16) -> AssetCreateOp {
    let mut op = AssetCreateOp { issuer: AccountId(17), symbol: "DEVUSD".into(), precision: 4, ..Default::default() };
    op.common_options.core_exchange_rate = Price::new(Asset::core(1), Asset::new(1, AssetId(1)));
    op.common_options.issuer_permissions = permissions;
    op
}

fn prediction_market() -> AssetCreateOp {
    let mut op = uia(flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION | flags::GLOBAL_SETTLE);
    op.bitasset_opts = Some(BitassetOptions::default());
    op.is_prediction_market = true;
    op
}

/// Rule 3 (asset_ops.cpp:116-118): the market-only bits a user-issued asset may not hold are
/// 0x10, 0x20 and 0x800..0x8000; witness_fed (0x80) and committee_fed (0x100) are left unchecked.
#[test]
fn user_issued_asset_may_not_hold_market_only_permissions() {
    for bit in [0x10u16, 0x20, 0x800, 0x1000, 0x2000, 0x4000, 0x8000] {
        let op = uia(flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION | bit);
        assert_eq!(check(op.clone()), Err(ValidateError::InvalidFlags { field: "issuer_permissions", bits: bit }));
        let mut mpa = op;
        mpa.bitasset_opts = Some(BitassetOptions::default());
        assert_eq!(check(mpa), Ok(()), "a market-issued asset may hold {bit:#x}");
    }
    for bit in [flags::WITNESS_FED_ASSET, flags::COMMITTEE_FED_ASSET] {
        assert_eq!(check(uia(flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION | bit)), Ok(()));
    }
}

/// Rule 4 (asset_ops.cpp:123-125): a prediction market has neither `disable_bsrm_update` nor a
/// black swan response method.
#[test]
fn prediction_market_may_not_set_bsrm_or_its_lock() {
    assert_eq!(check(prediction_market()), Ok(()));
    let mut op = prediction_market();
    op.common_options.issuer_permissions |= flags::DISABLE_BSRM_UPDATE;
    assert_eq!(check(op), Err(ValidateError::InvalidFlags { field: "issuer_permissions", bits: 0x4000 }));
    let mut op = prediction_market();
    op.bitasset_opts.as_mut().unwrap().extensions.black_swan_response_method = Some(0);
    assert_eq!(check(op).map_err(|e| e.code()), Err("prediction_market_bsrm"));
}

/// Rule 5 (asset_ops.cpp:129-130, 141-142; asset.cpp:58-74): one unit converted through the core
/// exchange rate must stay within 10^15.
#[test]
fn core_exchange_rate_may_not_overflow_the_maximum_supply() {
    // create: asset(1) of core × (1 core / q new) = q new.
    let mut op = uia(flags::DEFAULT_UIA_ASSET_ISSUER_PERMISSION);
    op.common_options.core_exchange_rate = Price::new(Asset::core(1), Asset::new(1_000_000_000_000_000, AssetId(1)));
    assert_eq!(check(op.clone()), Ok(()));
    op.common_options.core_exchange_rate.quote.amount = 1_000_000_000_000_001;
    assert_eq!(
        check(op.clone()),
        Err(ValidateError::CoreExchangeRateOverflow { base: 1, quote: 1_000_000_000_000_001 })
    );
    // The same rate written the other way round converts core to 2 new per 1: fine.
    op.common_options.core_exchange_rate = Price::new(Asset::new(2, AssetId(1)), Asset::core(1));
    assert_eq!(check(op), Ok(()));

    // update: asset(1, asset_to_update) × rate must be ≤ 10^15 core.
    let usd = AssetId(5);
    let mut up = AssetUpdateOp { issuer: AccountId(17), asset_to_update: usd, ..Default::default() };
    up.new_options.core_exchange_rate = Price::new(Asset::new(1, usd), Asset::core(1_000_000_000_000_000));
    assert_eq!(check(up.clone()), Ok(()));
    up.new_options.core_exchange_rate = Price::new(Asset::new(1, usd), Asset::core(2_000_000_000_000_000));
    assert_eq!(check(up), Err(ValidateError::CoreExchangeRateOverflow { base: 1, quote: 2_000_000_000_000_000 }));
}

/// Rule 7 (asset_ops.cpp:147-151): `skip_core_exchange_rate`, when present, must be true.
#[test]
fn skip_core_exchange_rate_when_present_must_be_true() {
    let usd = AssetId(5);
    let mut up = AssetUpdateOp { issuer: AccountId(17), asset_to_update: usd, ..Default::default() };
    up.new_options.core_exchange_rate = Price::new(Asset::new(1, usd), Asset::core(3));
    assert_eq!(check(up.clone()), Ok(()));
    up.extensions.skip_core_exchange_rate = Some(true);
    assert_eq!(check(up.clone()), Ok(()));
    up.extensions.skip_core_exchange_rate = Some(false);
    assert_eq!(check(up).map_err(|e| e.code()), Err("skip_core_exchange_rate_false"));
}

/// Rule 11 (vesting.hpp:115): temp-account may not withdraw a vesting balance.
#[test]
fn vesting_balance_withdraw_owner_may_not_be_temp_account() {
    let mut op = VestingBalanceWithdrawOp { owner: AccountId(17), amount: Asset::core(5), ..Default::default() };
    assert_eq!(check(op.clone()), Ok(()));
    op.owner = TEMP_ACCOUNT;
    assert_eq!(check(op).map_err(|e| e.code()), Err("temp_account_owner"));
}

/// Limit orders: the number of on_fill actions is the evaluator's rule, not validate()'s
/// (market.cpp:49-53 allows any number, each validated), so a proposal may carry them.
#[test]
fn limit_order_validate_leaves_the_on_fill_count_to_the_evaluator() {
    let mut op = LimitOrderCreateOp {
        seller: AccountId(17),
        amount_to_sell: Asset::core(10),
        min_to_receive: Asset::new(1, AssetId(1)),
        ..Default::default()
    };
    let action = LimitOrderAutoAction::CreateTakeProfitOrder(CreateTakeProfitOrderAction {
        spread_percent: 100,
        expiration_seconds: 60,
        ..Default::default()
    });
    op.extensions.on_fill = Some(vec![]);
    assert_eq!(check(op.clone()), Ok(()));
    op.extensions.on_fill = Some(vec![action.clone(), action]);
    assert_eq!(check(op.clone()), Ok(()));
    // Each action is still validated: a zero spread is refused.
    op.extensions.on_fill = Some(vec![LimitOrderAutoAction::default()]);
    assert_eq!(check(op).map_err(|e| e.code()), Err("non_positive_amount"));
}

/// Rule 13 (credit_offer.hpp:217): credit_deal_update costs 1 BTS by default.
#[test]
fn credit_deal_update_default_fee_is_one_bts() {
    assert_eq!(FeeParameters::default_for_tag(76), Some(FeeParameters::CreditDealUpdate(FlatFee { fee: 100_000 })));
    assert_eq!(FeeSchedule::default().params_for(76), Some(FeeParameters::CreditDealUpdate(FlatFee { fee: 100_000 })));
    // The embedded dev genesis carries the same value.
    let dev = ledger::genesis::GenesisState::dev();
    assert_eq!(
        dev.initial_parameters.current_fees.get(76),
        Some(&FeeParameters::CreditDealUpdate(FlatFee { fee: 100_000 }))
    );
}

/// Rule 14: a fee-parameter field missing from JSON keeps the C++ default of that operation's
/// `fee_params_t` (fc fills only the members it finds).
#[test]
fn missing_fee_parameter_fields_take_the_cpp_defaults() {
    let p: FeeParameters = serde_json::from_str("[76, {}]").unwrap();
    assert_eq!(p, FeeParameters::CreditDealUpdate(FlatFee { fee: 100_000 }));
    let p: FeeParameters = serde_json::from_str(r#"[0, {"fee": 100}]"#).unwrap();
    assert_eq!(p, FeeParameters::Transfer(FeeWithKbyte { fee: 100, price_per_kbyte: 1_000_000 }));
    // asset_update shares the shape but has its own default data price (10 per KiB).
    let p: FeeParameters = serde_json::from_str(r#"[11, {"fee": 7}]"#).unwrap();
    assert_eq!(p, FeeParameters::AssetUpdate(FeeWithKbyte { fee: 7, price_per_kbyte: 10 }));
    let text = r#"{"current_fees": {"parameters": [[5, {"basic_fee": 1}]], "scale": 10000}}"#;
    let params: ChainParameters = serde_json::from_str(text).unwrap();
    assert_eq!(
        params.current_fees.get(5),
        Some(&FeeParameters::AccountCreate(ledger::fees::AccountCreateFeeParams {
            basic_fee: 1,
            premium_fee: 200_000_000,
            price_per_kbyte: 100_000,
        }))
    );
}

/// The 30-day default lifetime of a custom authority (config.hpp:158).
#[test]
fn custom_authority_lifetime_default_is_thirty_days() {
    let o = ledger::chain::CustomAuthorityOptions::default();
    assert_eq!(o.max_custom_authority_lifetime_seconds, 2_592_000);
}
