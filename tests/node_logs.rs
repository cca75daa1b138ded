//! The node's log through the real binary: the stable operator lines on stdout at the default
//! level, warnings on stderr, `RUST_LOG` filtering by level and by target, `--log-format json`,
//! and a `RUST_LOG` that does not parse refused. Each node is `--dev --fast` on a temp dir, a few
//! blocks, no network.

use std::path::Path;
use std::process::{Command, Output};

/// `graphene node --dev --fast --blocks 3` on `dir`, with `RUST_LOG` set to `rust_log` (or unset).
fn node(dir: &Path, rust_log: Option<&str>, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_graphene"));
    cmd.args(["node", "--dev", "--fast", "--blocks", "3", "--snapshot-every", "0", "--data-dir"]).arg(dir).args(extra);
    match rust_log {
        Some(filter) => cmd.env("RUST_LOG", filter),
        None => cmd.env_remove("RUST_LOG"),
    };
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    out
}

fn lines_starting(text: &str, prefix: &str) -> usize {
    text.lines().filter(|l| l.starts_with(prefix)).count()
}

#[test]
fn the_default_level_prints_the_operator_lines_on_stdout_as_bare_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = node(tmp.path(), None, &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    for prefix in ["data dir ", "chain id ", "journal ", "restored head=0 from=genesis", "stopped head=3 state_hash="] {
        assert_eq!(lines_starting(&stdout, prefix), 1, "{prefix:?} in {stdout}");
    }
    assert_eq!(lines_starting(&stdout, "block "), 3, "{stdout}");
    assert!(stdout.lines().any(|l| l == "durable 3"), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("snapshot 3 ") && l.contains(" bytes=")), "{stdout}");
    // No timestamps, levels or colour codes in the text form: a line is its message.
    assert!(!stdout.contains('\u{1b}') && !stdout.contains("INFO"), "{stdout}");
}

#[test]
fn rust_log_warn_hides_the_info_lines_and_the_node_still_produces() {
    let tmp = tempfile::tempdir().unwrap();
    let out = node(tmp.path(), Some("warn"), &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, "", "nothing at info or below");
    let replay = Command::new(env!("CARGO_BIN_EXE_graphene")).arg("replay").arg("--data-dir").arg(tmp.path()).output();
    let replay = String::from_utf8(replay.unwrap().stdout).unwrap();
    assert!(replay.contains(" head=3 "), "the three blocks are in the journal: {replay}");
}

#[test]
fn rust_log_filters_by_target() {
    let tmp = tempfile::tempdir().unwrap();
    let out = node(tmp.path(), Some("info,graphene::journal=off"), &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(lines_starting(&stdout, "block "), 3, "{stdout}");
    assert_eq!(lines_starting(&stdout, "durable "), 0, "{stdout}");
    assert_eq!(lines_starting(&stdout, "journal "), 0, "{stdout}");

    let tmp = tempfile::tempdir().unwrap();
    let out = node(tmp.path(), Some("graphene::writer=info"), &[]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(lines_starting(&stdout, "block "), 3, "{stdout}");
    assert_eq!(stdout.lines().count(), 3, "only the writer's lines: {stdout}");
}

#[test]
fn warnings_go_to_stderr_and_rust_log_error_hides_them() {
    let tmp = tempfile::tempdir().unwrap();
    let txs = tmp.path().join("txs.jsonl");
    std::fs::write(&txs, "not a transaction\n").unwrap();
    let dir = tmp.path().join("data");
    let extra = ["--tx-file", txs.to_str().unwrap(), "--fast-interval-ms", "100"];
    let out = node(&dir, None, &extra);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("--tx-file: skipping a line that is not a transaction: "), "{stderr}");
    assert!(!String::from_utf8(out.stdout).unwrap().contains("--tx-file"));

    let dir = tmp.path().join("data2");
    let out = node(&dir, Some("error"), &extra);
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "");
}

#[test]
fn log_format_json_gives_one_object_per_line_with_target_and_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let out = node(tmp.path(), None, &["--log-format", "json"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let events: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    let blocks: Vec<&serde_json::Value> = events.iter().filter(|e| e["target"] == "graphene::writer").collect();
    assert_eq!(blocks.len(), 3, "{stdout}");
    let first = &blocks[0];
    assert_eq!(first["level"], "INFO");
    assert_eq!(first["fields"]["block_num"], 1);
    assert_eq!(first["fields"]["txs"], 0);
    assert!(first["fields"]["message"].as_str().unwrap().starts_with("block 1 1.6."), "{first}");
    assert!(first["fields"]["block_id"].as_str().unwrap().starts_with("00000001"), "{first}");
    let durable: Vec<u64> = events
        .iter()
        .filter(|e| {
            e["target"] == "graphene::journal" && e["fields"]["message"].as_str().unwrap().starts_with("durable")
        })
        .map(|e| e["fields"]["block_num"].as_u64().unwrap())
        .collect();
    assert_eq!(durable.last(), Some(&3), "{stdout}");
    let stopped = events.iter().find(|e| e["target"] == "graphene::node" && e["fields"]["block_num"] == 3);
    assert!(stopped.is_some_and(|e| e["fields"]["state_hash"].is_string()), "{stdout}");
}

#[test]
fn a_rust_log_that_does_not_parse_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let out = Command::new(env!("CARGO_BIN_EXE_graphene"))
        .args(["node", "--dev", "--fast", "--blocks", "1", "--data-dir"])
        .arg(&dir)
        .env("RUST_LOG", "graphene::writer=loud")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("RUST_LOG=graphene::writer=loud"), "{stderr}");
    assert!(!dir.exists(), "refused before the data dir was created");
}
