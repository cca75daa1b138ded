use super::*;
use crate::encoding::{Pack, Unpack};
use crate::fees::{FeeParameters, FlatFee};

/// fc::raw of every default field after `current_fees`, computed independently (Python struct).
const DEFAULT_TAIL_HEX: &str = "058051010003007512000008000080841e008051010000ea24000a0ae903e9030a00d007d007b80b\
                                8033e1018096980000000000010040420f000000000000743ba40b00000001008096980000000000\
                                e803040200";

#[test]
fn defaults_validate_and_encode_exactly() {
    let p = ChainParameters::default();
    assert_eq!(p.validate(), Ok(()));
    assert_eq!(p.witness_pay_vesting_seconds(), 86_400);
    let bytes = p.to_bytes();
    let fees = p.current_fees.to_bytes();
    assert_eq!(&bytes[..fees.len()], &fees[..]);
    assert_eq!(hex::encode(&bytes[fees.len()..]), DEFAULT_TAIL_HEX);
    assert_eq!(ChainParameters::from_bytes(&bytes).unwrap(), p);
}

#[test]
fn extensions_encode_as_extension_struct() {
    let mut p = ChainParameters::default();
    p.extensions.updatable_htlc_options = Some(HtlcOptions { max_timeout_secs: 86_400, max_preimage_size: 19_200 });
    p.extensions.maker_fee_discount_percent = Some(5000);
    let bytes = p.to_bytes();
    // count 2; index 0, u32 86400, u32 19200; index 3, u16 5000
    assert_eq!(hex::encode(&bytes[bytes.len() - 13..]), "020080510100004b0000038813");
    assert_eq!(ChainParameters::from_bytes(&bytes).unwrap(), p);
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(
        json["extensions"],
        serde_json::json!({"updatable_htlc_options":{"max_timeout_secs":86400,"max_preimage_size":19200},
                           "maker_fee_discount_percent":5000})
    );
}

#[test]
fn json_matches_the_api_shape_and_parses_back() {
    let mut p = ChainParameters::default();
    // As the C++ constructor: an empty fee schedule at full scale.
    let text = serde_json::to_string(&p).unwrap();
    assert!(text.starts_with(
        r#"{"current_fees":{"parameters":[],"scale":10000},"block_interval":5,"maintenance_interval":86400,"#
    ));
    assert_eq!(serde_json::from_str::<ChainParameters>(&text).unwrap(), p);
    p.current_fees = FeeSchedule::default_schedule();
    let text = serde_json::to_string(&p).unwrap();
    assert!(text.starts_with(r#"{"current_fees":{"parameters":[[0,{"fee":2000000,"price_per_kbyte":1000000}],"#));
    assert!(
        text.contains(r#""scale":10000},"block_interval":5,"maintenance_interval":86400,"maintenance_skip_slots":3,"#)
    );
    assert!(text.contains(r#""worker_budget_per_day":"50000000000","max_predicate_opcode":1,"#), "{text}");
    assert!(text.ends_with(r#""account_fee_scale_bitshifts":4,"max_authority_depth":2,"extensions":{}}"#));
    assert_eq!(serde_json::from_str::<ChainParameters>(&text).unwrap(), p);
}

#[test]
fn missing_current_fees_is_the_empty_schedule_of_core() {
    // chain_parameters.cpp:7-9: the default-constructed schedule has no entries.
    let p: ChainParameters = serde_json::from_str(r#"{"block_interval":5}"#).unwrap();
    assert_eq!(p.current_fees.parameters().len(), 0);
    assert_eq!(p.current_fees.scale, 10_000);
}

#[test]
fn lenient_json_fills_defaults() {
    // As a client may send it: partial schedule, strings for numbers, `[]` for extensions.
    let text = r#"{"current_fees":{"parameters":[[0,{"fee":"1"}]],"scale":"5000"},
                   "block_interval":"3","maintenance_interval":600,"extensions":[],"unknown":true}"#;
    let p: ChainParameters = serde_json::from_str(text).unwrap();
    assert_eq!(p.block_interval, 3);
    assert_eq!(p.maintenance_interval, 600);
    assert_eq!(p.current_fees.scale, 5000);
    assert_eq!(p.current_fees.parameters().len(), 1);
    assert_eq!(p.maximum_block_size, 2_000_000);
    assert_eq!(p.extensions, ChainParametersExt::default());
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn validation_errors_name_the_rule() {
    let ok = ChainParameters::default();
    let check = |f: fn(&mut ChainParameters), want: ChainParamsError| {
        let mut p = ok.clone();
        f(&mut p);
        assert_eq!(p.validate(), Err(want));
    };
    check(
        |p| p.reserve_percent_of_fee = 10_001,
        ChainParamsError::PercentAbove100 { field: "reserve_percent_of_fee", value: 10_001 },
    );
    check(
        |p| p.lifetime_referrer_percent_of_fee = 8001,
        ChainParamsError::FeeSplitAbove100 { network: 2000, lifetime: 8001 },
    );
    check(|p| p.block_interval = 0, ChainParamsError::BlockIntervalOutOfRange { value: 0 });
    check(|p| p.block_interval = 31, ChainParamsError::BlockIntervalOutOfRange { value: 31 });
    check(|p| p.maintenance_interval = 5, ChainParamsError::MaintenanceNotLongerThanBlock { maintenance: 5, block: 5 });
    check(
        |p| p.maintenance_interval = 86_401,
        ChainParamsError::MaintenanceNotMultipleOfBlock { maintenance: 86_401, block: 5 },
    );
    check(|p| p.maximum_transaction_size = 1023, ChainParamsError::TransactionSizeTooLow { value: 1023 });
    check(|p| p.maximum_block_size = 5119, ChainParamsError::BlockSizeTooLow { value: 5119 });
    check(
        |p| p.maximum_time_until_expiration = 5,
        ChainParamsError::ExpirationNotLongerThanBlock { value: 5, block: 5 },
    );
    check(
        |p| p.committee_proposal_review_period = 2_419_195,
        ChainParamsError::ReviewPeriodTooLong { review: 2_419_195, lifetime: 2_419_200, block: 5 },
    );
    check(
        |p| p.extensions.market_fee_network_percent = Some(3001),
        ChainParamsError::MarketFeeNetworkPercentTooHigh { value: 3001 },
    );
    check(
        |p| p.extensions.maker_fee_discount_percent = Some(10_001),
        ChainParamsError::MakerFeeDiscountAbove100 { value: 10_001 },
    );
    let e = ChainParamsError::MaintenanceNotMultipleOfBlock { maintenance: 86_401, block: 5 };
    assert_eq!(e.to_string(), "maintenance_interval 86401 s must be a multiple of block_interval 5 s");
}

#[test]
fn review_period_longer_than_lifetime_wraps_like_cpp() {
    let mut p = ChainParameters::default();
    p.committee_proposal_review_period = p.maximum_proposal_lifetime + 100;
    assert_eq!(p.validate(), Ok(()));
}

#[test]
fn custom_fees_survive_the_round_trip() {
    let mut p = ChainParameters::default();
    p.current_fees.set(FeeParameters::LimitOrderCreate(FlatFee { fee: 1 }));
    p.current_fees.scale = 1;
    let back = ChainParameters::from_bytes(&p.to_bytes()).unwrap();
    assert_eq!(back.current_fees.get(1), Some(&FeeParameters::LimitOrderCreate(FlatFee { fee: 1 })));
    assert_eq!(back, p);
}

#[test]
fn immutable_parameters() {
    let i = ImmutableChainParameters::default();
    assert_eq!(hex::encode(i.to_bytes()), "0b000b000000000000000000");
    assert_eq!(
        serde_json::to_string(&i).unwrap(),
        r#"{"min_committee_member_count":11,"min_witness_count":11,"num_special_accounts":0,"num_special_assets":0}"#
    );
    assert_eq!(serde_json::from_str::<ImmutableChainParameters>("{}").unwrap(), i);
}
