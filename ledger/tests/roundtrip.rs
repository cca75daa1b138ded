//! Every operation round-trips through fc::raw bytes and JSON, and no byte string makes the
//! decoders panic.
//!
//! Values come from `ledger::ops::sample` (seeded generators for every protocol type), so every
//! one of the 78 operation variants, their nested types and the transaction and block wrappers
//! are exercised with arbitrary field values.

use ledger::block::{BlockId, SignedBlock};
use ledger::encoding::{DecodeError, Pack, Unpack};
use ledger::ops::sample::{Gen, Sample};
use ledger::ops::{Operation, OperationResult, OPERATION_COUNT, OPERATION_NAMES};
use ledger::time::TimePointSec;
use ledger::transaction::{ProcessedTransaction, SignedTransaction, Transaction};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

fn round_trip<T: Pack + Unpack + Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) {
    let bytes = v.to_bytes();
    let back = T::from_bytes(&bytes).unwrap_or_else(|e| panic!("decode failed: {e} for {v:?}"));
    assert_eq!(&back, v, "binary round trip");
    assert_eq!(back.to_bytes(), bytes, "re-encoding");
    let json = serde_json::to_string(v).unwrap();
    let from_json: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("JSON {json} does not parse: {e}"));
    assert_eq!(&from_json, v, "JSON round trip of {json}");
}

fn sample_tx(g: &mut Gen) -> ProcessedTransaction {
    let n = 1 + g.below(3) as usize;
    let operations = (0..n).map(|_| Operation::sample(g)).collect();
    let signed = SignedTransaction {
        transaction: Transaction {
            ref_block_num: u16::sample(g),
            ref_block_prefix: u32::sample(g),
            expiration: TimePointSec::sample(g),
            operations,
            extensions: Default::default(),
        },
        signatures: Vec::sample(g),
    };
    let operation_results = (0..n).map(|_| OperationResult::sample(g)).collect();
    ProcessedTransaction { signed, operation_results }
}

#[test]
fn every_tag_has_a_default_that_round_trips() {
    for tag in 0..OPERATION_COUNT {
        let op = Operation::default_of(tag).unwrap();
        assert_eq!(op.tag(), tag);
        assert_eq!(op.name(), OPERATION_NAMES[usize::from(tag)]);
        assert_eq!(Operation::tag_of(op.name()), Some(tag));
        round_trip(&op);
    }
    assert!(Operation::default_of(OPERATION_COUNT).is_none());
}

#[test]
fn every_tag_round_trips_with_many_random_values() {
    for tag in 0..OPERATION_COUNT {
        for seed in 0..40u64 {
            let mut g = Gen::new(seed.wrapping_mul(7919).wrapping_add(u64::from(tag)));
            let op = Operation::sample_of(tag, &mut g);
            assert_eq!(op.tag(), tag);
            round_trip(&op);
        }
    }
}

#[test]
fn unknown_operation_tag_is_an_error() {
    let err = Operation::from_bytes(&[78]).unwrap_err();
    assert_eq!(err, DecodeError::UnknownTag { what: "operation", tag: 78, offset: 0 });
    let e = serde_json::from_str::<Operation>(r#"[78, {}]"#).unwrap_err().to_string();
    assert!(e.contains("unknown operation tag 78"), "{e}");
}

#[test]
fn operation_name_accepted_as_json_tag() {
    let op: Operation = serde_json::from_str(r#"["limit_order_cancel", {"order": "1.7.300"}]"#).unwrap();
    assert_eq!(op.tag(), 2);
    assert_eq!(serde_json::to_value(&op).unwrap()[0], 2);
}

#[test]
fn hostile_nesting_is_rejected_not_overflowed() {
    // proposal_create(proposal_create(...)) 10 000 levels deep.
    let mut inner: Vec<u8> = Vec::new();
    let depth = 10_000;
    for _ in 0..depth {
        inner.push(22); // tag
        inner.extend_from_slice(&[0; 9]); // fee
        inner.push(0); // fee_paying_account
        inner.extend_from_slice(&[0; 4]); // expiration_time
        inner.push(1); // one proposed op follows
    }
    let err = Operation::from_bytes(&inner).unwrap_err();
    assert!(matches!(err, DecodeError::Invalid { .. }), "{err}");
}

#[test]
fn operation_result_shapes() {
    use ledger::ids::ObjectId;
    let void = OperationResult::default();
    assert_eq!(serde_json::to_string(&void).unwrap(), "[0,{}]");
    assert_eq!(void.to_bytes(), vec![0]);
    let id = OperationResult::ObjectId(ObjectId::new(1, 7, 5));
    assert_eq!(serde_json::to_string(&id).unwrap(), r#"[1,"1.7.5"]"#);
    assert_eq!(hex::encode(id.to_bytes()), "010500000000000701");
    let parsed: OperationResult = serde_json::from_str(r#"[1,"1.7.5"]"#).unwrap();
    assert_eq!(parsed, id);
    assert!(OperationResult::from_bytes(&[6]).is_err());
}

#[test]
fn deeply_nested_json_proposals_do_not_overflow() {
    let mut json = r#"[0, {}]"#.to_string();
    for _ in 0..200 {
        json = format!(r#"[22, {{"proposed_ops": [{{"op": {json}}}]}}]"#);
    }
    // serde_json's recursion limit turns this into an error; it must not crash.
    assert!(serde_json::from_str::<Operation>(&json).is_err());
    let mut json = r#"[0, {}]"#.to_string();
    for _ in 0..20 {
        json = format!(r#"[22, {{"proposed_ops": [{{"op": {json}}}]}}]"#);
    }
    let op: Operation = serde_json::from_str(&json).unwrap();
    round_trip(&op);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_operations_round_trip(tag in 0u8..OPERATION_COUNT, seed in any::<u64>()) {
        let mut g = Gen::new(seed);
        round_trip(&Operation::sample_of(tag, &mut g));
    }

    #[test]
    fn random_transactions_and_blocks_round_trip(seed in any::<u64>()) {
        let mut g = Gen::new(seed);
        let ptx = sample_tx(&mut g);
        round_trip(&ptx.signed.transaction);
        round_trip(&ptx.signed);
        round_trip(&ptx);
        let mut block = SignedBlock::default();
        block.signed_header.header.previous = BlockId(<[u8; 20]>::sample(&mut g));
        block.signed_header.header.timestamp = TimePointSec::sample(&mut g);
        block.transactions = vec![ptx.clone(), sample_tx(&mut g)];
        block.signed_header.header.transaction_merkle_root = block.calculate_merkle_root();
        round_trip(&block);
        prop_assert_eq!(block.id().num(), block.block_num());
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Operation::from_bytes(&bytes);
        let _ = SignedTransaction::from_bytes(&bytes);
        let _ = ProcessedTransaction::from_bytes(&bytes);
        let _ = SignedBlock::from_bytes(&bytes);
        let _ = OperationResult::from_bytes(&bytes);
    }

    #[test]
    fn truncated_or_corrupted_encodings_never_panic(seed in any::<u64>(), cut in any::<prop::sample::Index>(),
                                                    flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut g = Gen::new(seed);
        let bytes = sample_tx(&mut g).to_bytes();
        let n = cut.index(bytes.len());
        prop_assert!(ProcessedTransaction::from_bytes(&bytes[..n]).is_err());
        let mut corrupted = bytes.clone();
        let i = flip.index(corrupted.len());
        corrupted[i] ^= 1 << bit;
        if let Ok(tx) = ProcessedTransaction::from_bytes(&corrupted) {
            // Whatever decodes must re-encode canonically and decode to the same value.
            let again = ProcessedTransaction::from_bytes(&tx.to_bytes()).unwrap();
            prop_assert_eq!(again, tx);
        }
    }
}
