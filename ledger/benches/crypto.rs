//! Micro-benchmarks of the signature path: public-key recovery (the node's dominant CPU cost per
//! transaction), canonical signing, and a full authority check of one signed key.
//!
//! Run: `cargo bench -p ledger --bench crypto`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ledger::authority::Authority;
use ledger::crypto::{recover, sha256, sign_compact, PrivateKey};
use ledger::ids::AccountId;
use ledger::sign_state::{unique_keys, verify_authority, Approvals, AuthorityMap, RequiredAuthorities};

fn bench_crypto(c: &mut Criterion) {
    let key = PrivateKey::from_password("nathan", "active", "pw").expect("valid key");
    let digest = sha256(b"benchmark transaction");
    let sig = sign_compact(&key, &digest);

    c.bench_function("recover_one_signature", |b| b.iter(|| recover(black_box(&sig), black_box(&digest))));
    c.bench_function("sign_one_digest", |b| b.iter(|| sign_compact(black_box(&key), black_box(&digest))));

    let account = AccountId(17);
    let mut map = AuthorityMap::default();
    map.active.insert(account, Authority::single_key(key.public_key()));
    let required = RequiredAuthorities { active: [account].into(), ..Default::default() };
    let approvals = Approvals::default();
    c.bench_function("recover_and_verify_single_key_account", |b| {
        b.iter(|| {
            let keys = unique_keys(black_box(std::slice::from_ref(&sig)), &digest).expect("valid signature");
            verify_authority(&required, &keys, &map, 2, false, &approvals)
        })
    });
    let keys = [key.public_key()];
    c.bench_function("verify_single_key_account_no_recovery", |b| {
        b.iter(|| verify_authority(black_box(&required), black_box(&keys), &map, 2, false, &approvals))
    });
}

criterion_group!(benches, bench_crypto);
criterion_main!(benches);
