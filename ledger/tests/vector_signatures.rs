//! Every golden vector's signature recovers, over its signing digest, to the key the real client
//! signed with; and our own signature over the same digest is canonical and recovers to it too.

use ledger::crypto::{is_canonical, recover, sign_compact, PrivateKey};
use ledger::keys::PublicKey;
use ledger::keys::Signature;
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/bitshares_ops.json")).expect("vector file is JSON")
}

fn digest(v: &Value) -> [u8; 32] {
    hex::decode(v["sig_digest_hex"].as_str().unwrap()).unwrap().try_into().unwrap()
}

#[test]
fn every_vector_signature_recovers_to_the_client_key() {
    let all = vectors();
    let key: PublicKey = all["pubkey"].as_str().unwrap().parse().unwrap();
    let mut checked = 0;
    for v in all["vectors"].as_array().unwrap() {
        for s in v["tx_json"]["signatures"].as_array().unwrap() {
            let sig: Signature = s.as_str().unwrap().parse().unwrap();
            assert!(is_canonical(&sig), "{}: client signature is canonical", v["name"]);
            assert_eq!(recover(&sig, &digest(v)).unwrap(), key, "{}", v["name"]);
            assert_eq!(u64::from(sig.0[0]), v["recid_byte"].as_u64().unwrap(), "{}", v["name"]);
            checked += 1;
        }
    }
    assert_eq!(checked, 10, "one signature per vector");
}

#[test]
fn our_signatures_over_the_vector_digests_verify() {
    let all = vectors();
    let wif = all["wif"].as_str().unwrap();
    let private = PrivateKey::from_wif(wif).unwrap();
    let key: PublicKey = all["pubkey"].as_str().unwrap().parse().unwrap();
    assert_eq!(private.public_key(), key);
    for v in all["vectors"].as_array().unwrap() {
        let sig = sign_compact(&private, &digest(v));
        assert!(is_canonical(&sig));
        assert!((31..=34).contains(&sig.0[0]), "compressed-key header");
        assert_eq!(recover(&sig, &digest(v)).unwrap(), key, "{}", v["name"]);
    }
}
