//! `config.toml` of `graphene node`: written as a template on first start, read on later starts,
//! overridden by flags, and a malformed file stops the node with the line and key named.

use std::path::Path;
use std::process::Command;

fn node(dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_graphene"))
        .args(["node", "--dev", "--fast", "--blocks", "4", "--data-dir"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

fn snapshots(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("snapshot-"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_config_file_sets_the_snapshot_interval_and_a_flag_overrides_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (code, text) = node(dir, &["--snapshot-every", "0"]);
    assert_eq!(code, 0, "{text}");
    let template = std::fs::read_to_string(dir.join("config.toml")).unwrap();
    assert!(template.contains("# snapshot-every = 10000"), "{template}");
    // Only the shutdown snapshot at block 4.
    assert_eq!(snapshots(dir), vec!["snapshot-0000000004.rkyv"]);

    std::fs::write(dir.join("config.toml"), "snapshot-every = 3\n").unwrap();
    let (code, text) = node(dir, &[]);
    assert_eq!(code, 0, "{text}");
    // Blocks 5..8: block 6 is a multiple of 3, and 8 at shutdown (the two newest are kept).
    assert_eq!(snapshots(dir), vec!["snapshot-0000000006.rkyv", "snapshot-0000000008.rkyv"]);

    let (code, text) = node(dir, &["--snapshot-every", "5"]);
    assert_eq!(code, 0, "{text}");
    // Blocks 9..12: the flag's 5 (block 10) wins over the file's 3 (which would have written 9).
    assert_eq!(snapshots(dir), vec!["snapshot-0000000010.rkyv", "snapshot-0000000012.rkyv"]);
}

#[test]
fn a_malformed_config_stops_the_node_naming_line_and_key() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("other.toml");
    std::fs::write(&file, "# mine\nsnapshot-every = 3\nwitness-id = 7\n").unwrap();
    let (code, text) = node(tmp.path(), &["--config", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("other.toml line 3, key `witness-id`:"), "{text}");
    assert!(!tmp.path().join("config.toml").exists(), "--config replaces the data dir's file");
}
