//! Criterion benchmark of one public-key recovery from a compact signature, ours
//! (`ledger::crypto::recover`, with fc's canonical check) and raw libsecp256k1.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ledger::crypto::{recover, sha256, sign_compact, PrivateKey};

fn bench(c: &mut Criterion) {
    let key = PrivateKey::from_seed(b"graphene sigcheck").unwrap();
    let digest = sha256(b"hello");
    let sig = sign_compact(&key, &digest);
    c.bench_function("recover one signature (ledger::crypto::recover)", |b| {
        b.iter(|| recover(black_box(&sig), black_box(&digest)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
