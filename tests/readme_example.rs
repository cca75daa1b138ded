//! The README's second set-up command, `graphene apply examples/dev-transfer.json`, must keep
//! working: its transactions are signed for the dev chain id, which changes with the dev genesis
//! text, so a change there has to re-sign the example.

use std::process::Command;

#[test]
fn the_bundled_dev_transfer_example_applies_with_its_signatures() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/dev-transfer.json");
    let out = Command::new(env!("CARGO_BIN_EXE_graphene")).args(["apply", example]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let results: Vec<_> = lines.iter().filter(|l| l.get("trx").is_some()).collect();
    assert_eq!(results.len(), 2, "{text}");
    assert!(results.iter().all(|r| r["ok"] == true), "every transaction applies: {text}");
    let init0 = lines.iter().find(|l| l["query"]["balances"] == "init0").expect("the init0 balance query");
    assert_eq!(init0["balances"][0]["amount"], 150_000_000, "{text}");
}
