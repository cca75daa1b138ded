//! Criterion benchmarks of transaction encoding: a one-transfer signed transaction to and from
//! bytes and JSON, its id and its signing digest.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ledger::asset::Asset;
use ledger::crypto::{sign_compact, PrivateKey};
use ledger::ids::AccountId;
use ledger::ops::{Operation, TransferOp};
use ledger::transaction::{SignedTransaction, Transaction};
use ledger::{Pack, Unpack};

fn transfer_tx() -> SignedTransaction {
    let op = TransferOp {
        fee: Asset::core(2_000_000),
        from: AccountId(17),
        to: AccountId(18),
        amount: Asset::core(12_345),
        ..Default::default()
    };
    let mut t = SignedTransaction {
        transaction: Transaction {
            ref_block_num: 1234,
            ref_block_prefix: 0xdead_beef,
            expiration: ledger::time::TimePointSec(1_767_229_200),
            operations: vec![Operation::Transfer(op)],
            ..Default::default()
        },
        signatures: vec![],
    };
    let key = PrivateKey::from_password("nathan", "active", "dev").unwrap();
    let digest = t.sig_digest(&[7; 32]);
    t.signatures.push(sign_compact(&key, &digest));
    t
}

fn bench(c: &mut Criterion) {
    let t = transfer_tx();
    let bytes = t.to_bytes();
    let json = serde_json::to_string(&t).unwrap();
    c.bench_function("transfer tx: encode bytes", |b| b.iter(|| black_box(&t).to_bytes()));
    c.bench_function("transfer tx: decode bytes", |b| {
        b.iter(|| SignedTransaction::from_bytes(black_box(&bytes)).unwrap())
    });
    c.bench_function("transfer tx: encode JSON", |b| b.iter(|| serde_json::to_string(black_box(&t)).unwrap()));
    c.bench_function("transfer tx: decode JSON", |b| {
        b.iter(|| serde_json::from_str::<SignedTransaction>(black_box(&json)).unwrap())
    });
    c.bench_function("transfer tx: id", |b| b.iter(|| black_box(&t).id()));
    c.bench_function("transfer tx: signing digest", |b| b.iter(|| black_box(&t).sig_digest(&[7; 32])));
}

criterion_group!(benches, bench);
criterion_main!(benches);
