//! `graphene tx` as an operator uses it: `sign` writes one line per transaction (what `graphene
//! node --tx-file` reads; `--pretty` for people) and refuses transactions no node would accept;
//! `decode` takes back both the unsigned `bytes` and the `signed_bytes` that `encode` prints.

use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

fn graphene(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_graphene"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

const CHAIN_ID: &str = "4018d7844c78f6a6c41c6a552b898022310fc5dec06da467ee7905a8dad512c8";

fn wif() -> String {
    ledger::crypto::PrivateKey::from_password("nathan", "active", "dev").unwrap().to_wif()
}

fn transfer(amount: i64, expiration: &str) -> Value {
    json!({"ref_block_num": 0, "ref_block_prefix": 0, "expiration": expiration,
           "operations": [[0, {"fee": {"amount": 0, "asset_id": "1.3.0"}, "from": "1.2.17", "to": "1.2.6",
                               "amount": {"amount": amount, "asset_id": "1.3.0"}, "extensions": []}]],
           "extensions": []})
}

#[test]
fn sign_writes_one_line_per_transaction_and_pretty_on_request() {
    let input = format!("{}\n{}\n", transfer(1, "2099-01-01T00:00:00"), transfer(2, "2099-01-01T00:00:00"));
    let (code, out, err) = graphene(&["tx", "sign", "-", "--chain-id", CHAIN_ID, "--wif", &wif()], &input);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    for (line, amount) in lines.iter().zip([1, 2]) {
        let tx: Value = serde_json::from_str(line).unwrap();
        assert_eq!(tx["operations"][0][1]["amount"]["amount"], json!(amount));
        assert_eq!(tx["signatures"].as_array().unwrap().len(), 1);
        let _: ledger::transaction::SignedTransaction = serde_json::from_str(line).unwrap();
    }
    let (code, out, err) = graphene(
        &["tx", "sign", "-", "--pretty", "--chain-id", CHAIN_ID, "--wif", &wif()],
        &input[..input.find('\n').unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() > 5, "indented: {out}");
    let _: Value = serde_json::from_str(&out).unwrap();
}

#[test]
fn sign_refuses_a_transaction_without_operations_or_already_expired() {
    let (code, out, err) = graphene(&["tx", "sign", "-", "--chain-id", CHAIN_ID, "--wif", &wif()], "{}");
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("has no operations"), "{err}");
    assert!(out.is_empty());
    let (code, out, err) = graphene(
        &["tx", "sign", "-", "--chain-id", CHAIN_ID, "--wif", &wif()],
        &transfer(1, "2020-01-01T00:00:00").to_string(),
    );
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("expiration 2020-01-01T00:00:00 is not in the future"), "{err}");
    // One bad transaction among good ones: nothing is signed.
    let input = format!("{}\n{{}}\n", transfer(1, "2099-01-01T00:00:00"));
    let (code, out, err) = graphene(&["tx", "sign", "-", "--chain-id", CHAIN_ID, "--wif", &wif()], &input);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("transaction 2: has no operations"), "{err}");
    assert!(out.is_empty(), "{out}");
}

#[test]
fn decode_accepts_the_unsigned_and_the_signed_bytes_encode_prints() {
    let (code, signed, err) = graphene(
        &["tx", "sign", "-", "--chain-id", CHAIN_ID, "--wif", &wif()],
        &transfer(7, "2099-01-01T00:00:00").to_string(),
    );
    assert_eq!(code, 0, "{err}");
    let (code, encoded, err) = graphene(&["tx", "encode", "-", "--chain-id", CHAIN_ID], &signed);
    assert_eq!(code, 0, "{err}");
    let encoded: Value = serde_json::from_str(&encoded).unwrap();
    let signed: Value = serde_json::from_str(&signed).unwrap();
    for (field, signatures) in [("signed_bytes", 1), ("bytes", 0)] {
        let (code, out, err) = graphene(&["tx", "decode", encoded[field].as_str().unwrap()], "");
        assert_eq!(code, 0, "{field}: {err}");
        let tx: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(tx["operations"], signed["operations"], "{field}");
        assert_eq!(tx["signatures"].as_array().unwrap().len(), signatures, "{field}");
    }
    let (code, _, err) = graphene(&["tx", "decode", "00ff"], "");
    assert_eq!(code, 2);
    assert!(err.contains("not a transaction (signed or unsigned)"), "{err}");
}

#[test]
fn a_5_mb_account_name_is_cut_in_the_rejection() {
    let name = "a".repeat(5 << 20);
    let scenario = json!({"genesis": "dev", "skip_signatures": true, "blocks": [{"timestamp": "2026-01-01T00:00:05",
        "transactions": [{"ref_block_num": 0, "ref_block_prefix": 0, "expiration": "2026-01-01T01:00:00",
            "operations": [[5, {"name": name, "registrar": "1.2.17", "referrer": "1.2.17"}]],
            "extensions": [], "signatures": []}]}]});
    let (code, out, err) = graphene(&["apply", "-"], &scenario.to_string());
    assert_eq!(code, 0, "{err}");
    assert!(out.len() < 1_000, "{} bytes of output", out.len());
    let line: Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(line["code"], "invalid_account_name");
    assert!(line["message"].as_str().unwrap().contains("(5242880 bytes in all)"), "{line}");
}
