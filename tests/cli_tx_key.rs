//! `graphene tx` and `graphene key` against the golden vectors produced by a real client.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn graphene(args: &[&str], stdin: Option<&str>) -> (i32, Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_graphene"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        // A command that fails before reading its input closes the pipe early; that is fine.
        let _ = child.stdin.take().unwrap().write_all(s.as_bytes());
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json, String::from_utf8(out.stderr).unwrap())
}

fn vectors() -> Value {
    serde_json::from_str(include_str!("../ledger/tests/data/bitshares_ops.json")).unwrap()
}

#[test]
fn tx_encode_gives_the_vector_bytes_digest_and_id() {
    let all = vectors();
    let chain_id = all["chain_id"].as_str().unwrap();
    for v in all["vectors"].as_array().unwrap() {
        let (code, out, err) =
            graphene(&["tx", "encode", "-", "--chain-id", chain_id], Some(&v["tx_json"].to_string()));
        assert_eq!(code, 0, "{}: {err}", v["name"]);
        assert_eq!(out["bytes"], v["tx_bytes_hex"], "{}", v["name"]);
        assert_eq!(out["signed_bytes"], v["signed_tx_bytes_hex"], "{}", v["name"]);
        assert_eq!(out["sig_digest"], v["sig_digest_hex"], "{}", v["name"]);
        assert_eq!(out["id"], v["tx_id"], "{}", v["name"]);
    }
}

#[test]
fn tx_decode_gives_back_the_transaction() {
    let all = vectors();
    let v = &all["vectors"][0];
    let (code, out, err) = graphene(&["tx", "decode", v["signed_tx_bytes_hex"].as_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, v["tx_json"]);
    let (code, _, err) = graphene(&["tx", "decode", "f68585"], None);
    assert_eq!(code, 2);
    assert!(err.contains("not a transaction"), "{err}");
}

#[test]
fn tx_sign_produces_a_signature_that_recovers_to_the_key() {
    let all = vectors();
    let v = &all["vectors"][0];
    let mut unsigned = v["tx_json"].clone();
    unsigned["signatures"] = Value::Array(vec![]);
    let chain_id = all["chain_id"].as_str().unwrap();
    let wif = all["wif"].as_str().unwrap();
    let (code, out, err) =
        graphene(&["tx", "sign", "-", "--chain-id", chain_id, "--wif", wif], Some(&unsigned.to_string()));
    assert_eq!(code, 0, "{err}");
    let sig: ledger::keys::Signature = out["signatures"][0].as_str().unwrap().parse().unwrap();
    let digest: [u8; 32] = hex::decode(v["sig_digest_hex"].as_str().unwrap()).unwrap().try_into().unwrap();
    let key: ledger::keys::PublicKey = all["pubkey"].as_str().unwrap().parse().unwrap();
    assert_eq!(ledger::crypto::recover(&sig, &digest).unwrap(), key);
    let (code, _, err) =
        graphene(&["tx", "sign", "-", "--chain-id", "abcd", "--wif", wif], Some(&unsigned.to_string()));
    assert_eq!(code, 2);
    assert!(err.contains("--chain-id must be 32 bytes"), "{err}");
}

#[test]
fn key_derive_follows_the_wallet_password_rule() {
    let (code, out, err) = graphene(
        &["key", "derive", "--account", "nathan", "--role", "active", "--password", "pw", "--prefix", "TEST"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out["wif"], "5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1M");
    assert_eq!(out["public_key"], "TEST77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd");
    let (code, out, _) =
        graphene(&["key", "info", "5JYPZs3F81Hqp4t5ZL3WqZeGP37ZW6cGCkFJU2d2PxfVJwGgN1M", "--prefix", "BTS"], None);
    assert_eq!(code, 0);
    assert_eq!(out["public_key"], "BTS77d5pP2iPbb3GDNTmL9H7jeHrUsEAyqdLvLpBwpkv175dWmMFd");
}
