use super::*;
use crate::authority::Authority;
use crate::encoding::Pack;
use crate::fees::{FlatFee, HtlcPerDayFeeParams, PRECISION};
use crate::keys::PublicKey;
use crate::ops::*;

const P: u64 = PRECISION;

fn key() -> PublicKey {
    "TEST77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd".parse().unwrap()
}

/// A memo whose packed `optional<memo_data>` is exactly `size` bytes (1 flag + 33 + 33 + 8 +
/// 1-byte length + message), for sizes up to 203.
fn memo_of_packed_size(size: usize) -> Option<MemoData> {
    let memo = Some(MemoData { from: key(), to: key(), nonce: 1, message: Bytes(vec![7; size - 76]) });
    assert_eq!(memo.packed_size(), size);
    memo
}

fn account_create(name: &str) -> Operation {
    Operation::AccountCreate(AccountCreateOp {
        name: name.to_string(),
        owner: Authority::single_key(key()),
        active: Authority::single_key(key()),
        ..Default::default()
    })
}

fn asset_create(symbol: &str, description_len: usize) -> Operation {
    let mut op = AssetCreateOp { symbol: symbol.to_string(), ..Default::default() };
    op.common_options.description = "d".repeat(description_len);
    Operation::AssetCreate(op)
}

#[test]
fn transfer_with_and_without_memo() {
    let s = FeeSchedule::default_schedule();
    let mut t = TransferOp::default();
    assert_eq!(s.calculate_fee(&Operation::Transfer(t.clone())), Ok(20 * P));
    t.memo = memo_of_packed_size(100);
    // 20 BTS + floor(100 bytes × 10 BTS / 1024)
    assert_eq!(s.calculate_fee(&Operation::Transfer(t.clone())), Ok(2_000_000 + 97_656));
    let mut half = s.clone();
    half.scale = 5000;
    assert_eq!(half.calculate_fee(&Operation::Transfer(t)), Ok(1_048_828));
}

#[test]
fn account_create_basic_and_premium() {
    let s = FeeSchedule::default_schedule();
    // fee 9 + registrar 1 + referrer 1 + percent 2 + name (1+6) + owner 42 + active 42 + options 40 + ext 1
    let premium = account_create("nathan");
    let Operation::AccountCreate(op) = &premium else { unreachable!() };
    assert_eq!(op.packed_size(), 145);
    // 2000 BTS + floor(145 × 1 BTS / 1024)
    assert_eq!(s.calculate_fee(&premium), Ok(200_000_000 + 14_160));
    // a digit makes the name cheap: 5 BTS + floor(146 × 1 BTS / 1024)
    assert_eq!(s.calculate_fee(&account_create("nathan1")), Ok(500_000 + 14_257));
    assert_eq!(s.calculate_fee(&account_create("bcdfg")), Ok(500_000 + 14_062));
}

#[test]
fn asset_create_by_symbol_length() {
    let s = FeeSchedule::default_schedule();
    // 64..66 packed bytes × 10 satoshi / 1024 rounds to 0
    assert_eq!(s.calculate_fee(&asset_create("ABC", 0)), Ok(500_000 * P));
    assert_eq!(s.calculate_fee(&asset_create("ABCD", 0)), Ok(300_000 * P));
    assert_eq!(s.calculate_fee(&asset_create("ABCDE", 0)), Ok(5000 * P));
    assert_eq!(s.calculate_fee(&asset_create("ABCDEFGHIJKLMNOP", 0)), Ok(5000 * P));
    // a 1000-byte description: 1065 bytes × 10 / 1024 = 10 satoshi of data fee
    assert_eq!(s.calculate_fee(&asset_create("ABC", 1000)), Ok(500_000 * P + 10));
    // a sub-asset pays the account_transfer fee once ticket fees exist in the schedule ...
    assert_eq!(s.calculate_fee(&asset_create("ABC.D", 0)), Ok(500 * P));
    // ... and is priced by length otherwise
    assert_eq!(FeeSchedule::default().calculate_fee(&asset_create("ABC.D", 0)), Ok(5000 * P));
}

#[test]
fn account_update_charges_data_only_with_new_options() {
    let s = FeeSchedule::default_schedule();
    let mut op = AccountUpdateOp::default();
    assert_eq!(s.calculate_fee(&Operation::AccountUpdate(op.clone())), Ok(20 * P));
    op.new_options = Some(AccountOptions::default());
    // fee 9 + account 1 + owner 1 + active 1 + new_options (1 + 40) + ext 1 = 54 bytes
    assert_eq!(op.packed_size(), 54);
    assert_eq!(s.calculate_fee(&Operation::AccountUpdate(op)), Ok(2_000_000 + 5273));
}

#[test]
fn account_upgrade_and_flat_fees() {
    let s = FeeSchedule::default_schedule();
    let mut up = AccountUpgradeOp::default();
    assert_eq!(s.calculate_fee(&Operation::AccountUpgrade(up.clone())), Ok(2000 * P));
    up.upgrade_to_lifetime_member = true;
    assert_eq!(s.calculate_fee(&Operation::AccountUpgrade(up)), Ok(10_000 * P));
    assert_eq!(s.calculate_fee(&Operation::LimitOrderCreate(Default::default())), Ok(5 * P));
    assert_eq!(s.calculate_fee(&Operation::LimitOrderUpdate(Default::default())), Ok(37_500));
    assert_eq!(s.calculate_fee(&Operation::WitnessCreate(Default::default())), Ok(5000 * P));
    assert_eq!(s.calculate_fee(&Operation::BalanceClaim(Default::default())), Ok(0));
    assert_eq!(s.calculate_fee(&Operation::FillOrder(Default::default())), Ok(0));
    assert_eq!(FeeSchedule::zero().calculate_fee(&account_create("nathan")), Ok(0));
}

#[test]
fn asset_issue_always_charges_for_the_optional_memo() {
    let s = FeeSchedule::default_schedule();
    let mut op = AssetIssueOp::default();
    // the absent memo still packs as one byte: floor(1 × 1 BTS / 1024) = 97
    assert_eq!(s.calculate_fee(&Operation::AssetIssue(op.clone())), Ok(20 * P + 97));
    op.memo = memo_of_packed_size(200);
    assert_eq!(s.calculate_fee(&Operation::AssetIssue(op)), Ok(20 * P + 19_531));
}

#[test]
fn htlc_fees_per_day_and_per_kilobyte() {
    let s = FeeSchedule::default_schedule();
    let create = |secs: u32| Operation::HtlcCreate(HtlcCreateOp { claim_period_seconds: secs, ..Default::default() });
    assert_eq!(s.calculate_fee(&create(0)), Ok(P));
    assert_eq!(s.calculate_fee(&create(86_400)), Ok(2 * P));
    assert_eq!(s.calculate_fee(&create(86_401)), Ok(3 * P));
    let mut with_memo = HtlcCreateOp { claim_period_seconds: 1, ..Default::default() };
    with_memo.extensions.memo = memo_of_packed_size(100);
    // 1 + 1 day, plus the memo at the transfer's 10 BTS per KiB
    assert_eq!(s.calculate_fee(&Operation::HtlcCreate(with_memo)), Ok(2 * P + 97_656));
    let redeem = |n: usize| Operation::HtlcRedeem(HtlcRedeemOp { preimage: Bytes(vec![0; n]), ..Default::default() });
    assert_eq!(s.calculate_fee(&redeem(0)), Ok(P));
    assert_eq!(s.calculate_fee(&redeem(1024)), Ok(2 * P));
    assert_eq!(s.calculate_fee(&redeem(1025)), Ok(3 * P));
    let extend = Operation::HtlcExtend(HtlcExtendOp { seconds_to_add: 1, ..Default::default() });
    assert_eq!(s.calculate_fee(&extend), Ok(2 * P));
}

#[test]
fn assert_and_blind_fees_scale_with_counts() {
    let s = FeeSchedule::default_schedule();
    let a = AssertOp { predicates: vec![Default::default(); 3], ..Default::default() };
    assert_eq!(s.calculate_fee(&Operation::Assert(a)), Ok(3 * P));
    assert_eq!(s.calculate_fee(&Operation::Assert(AssertOp::default())), Ok(0));
    let b = BlindTransferOp { outputs: vec![Default::default(); 2], ..Default::default() };
    assert_eq!(s.calculate_fee(&Operation::BlindTransfer(b)), Ok(5 * P + 2 * 5 * P));
}

#[test]
fn fallbacks_apply_to_calculation() {
    let s = FeeSchedule::new([FeeParameters::AssetUpdate(FeeWithKbyte { fee: 123, price_per_kbyte: 0 })], 10_000);
    assert_eq!(s.calculate_fee(&Operation::AssetUpdateIssuer(Default::default())), Ok(123));
    assert_eq!(s.calculate_fee(&Operation::BidCollateral(Default::default())), Ok(20 * P));
    assert_eq!(s.calculate_fee(&Operation::Transfer(Default::default())), Ok(20 * P));
}

#[test]
fn overflow_is_an_error_not_a_wrap() {
    let s =
        FeeSchedule::new([FeeParameters::HtlcExtend(HtlcPerDayFeeParams { fee: 0, fee_per_day: u64::MAX })], 10_000);
    let extend = Operation::HtlcExtend(HtlcExtendOp { seconds_to_add: 86_401, ..Default::default() });
    assert_eq!(s.calculate_fee(&extend), Err(FeeError::Overflow { op: "htlc_extend" }));
    let big = FeeSchedule::new([FeeParameters::LimitOrderCreate(FlatFee { fee: 2_000_000_000_000_000 })], 10_000);
    assert!(matches!(
        big.calculate_fee(&Operation::LimitOrderCreate(Default::default())),
        Err(FeeError::ScaledFeeTooLarge { .. })
    ));
}

#[test]
fn set_required_fee_writes_the_core_fee() {
    let s = FeeSchedule::default_schedule();
    let mut op = account_create("nathan");
    assert_eq!(s.set_required_fee(&mut op), Ok(Asset::core(200_014_160)));
    assert_eq!(op.fee(), Asset::core(200_014_160));
    assert_eq!(s.required_fee_for(&op), Ok(Asset::core(200_014_160)));
}
