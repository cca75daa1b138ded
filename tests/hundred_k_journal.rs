//! `graphene bench hundred-k --write-data-dir DIR` writes a data dir that `graphene replay` accepts:
//! every block re-applies to the recorded block id and state hash, with the workload's counts.

use std::process::Command;

fn graphene(args: &[&str], dir: &std::path::Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_graphene")).args(args).arg(dir).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "graphene {args:?}: {text}");
    text
}

#[test]
fn the_hundred_k_journal_replays_to_the_recorded_state_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("hk");
    let text = graphene(&["bench", "hundred-k", "--cycles", "50", "--block-size", "20", "--write-data-dir"], &dir);
    // 4 phases of 50 transactions in blocks of 20: 3 blocks each; 5 operations per cycle.
    assert!(text.starts_with("wrote 12 blocks, 200 transactions, 250 operations"), "{text}");
    let text = graphene(&["replay", "--data-dir"], &dir);
    assert!(text.starts_with("replayed blocks=12 ops=250 "), "{text}");
    assert!(text.contains(" from=genesis head=12 "), "{text}");
    // A second write into the same dir is refused rather than appended to.
    let out = Command::new(env!("CARGO_BIN_EXE_graphene"))
        .args(["bench", "hundred-k", "--cycles", "5", "--write-data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds a journal"));
}
