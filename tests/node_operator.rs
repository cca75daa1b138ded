//! What an operator meets around `graphene node`, through the real binary: one node per data dir
//! (an OS lock naming the holder's pid), SIGHUP and SIGTERM stopping as cleanly as Ctrl-C, a
//! private config file, and flags checked before anything is created.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};

fn graphene() -> Command {
    Command::new(env!("CARGO_BIN_EXE_graphene"))
}

/// A `--dev --fast` node on `dir` producing until stopped.
fn spawn_node(dir: &Path) -> (Child, BufReader<ChildStdout>) {
    let mut child = graphene()
        .args(["node", "--dev", "--fast", "--snapshot-every", "0", "--data-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    (child, out)
}

/// Read lines until `n` `durable` lines were seen; returns the last durable block.
fn wait_durable(out: &mut BufReader<ChildStdout>, n: u32) -> u32 {
    let mut seen = 0;
    let mut line = String::new();
    loop {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "the node stopped early");
        if let Some(num) = line.strip_prefix("durable ") {
            seen += 1;
            if seen == n {
                return num.trim().parse().unwrap();
            }
        }
    }
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill").arg(format!("-{name}")).arg(child.id().to_string()).status().unwrap();
    assert!(status.success());
}

/// Everything the node printed after the point already read, and its exit code.
fn finish(mut child: Child, mut out: BufReader<ChildStdout>) -> (i32, String) {
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), rest)
}

fn replay_head(dir: &Path) -> u32 {
    let out = graphene().arg("replay").arg("--data-dir").arg(dir).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "replay failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    let head = text.split_whitespace().find_map(|w| w.strip_prefix("head=")).expect("a head= field");
    head.parse().unwrap()
}

#[test]
fn a_second_node_on_the_same_data_dir_is_refused_and_the_first_keeps_every_durable_block() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (first, mut out) = spawn_node(&dir);
    wait_durable(&mut out, 3);
    let second =
        graphene().args(["node", "--dev", "--fast", "--blocks", "20", "--data-dir"]).arg(&dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(3), "refused with the in-use exit code: {stderr}");
    assert!(stderr.contains("is in use by another graphene process"), "{stderr}");
    assert!(stderr.contains(&format!("pid {}", first.id())), "names the holder: {stderr}");
    assert!(!String::from_utf8_lossy(&second.stdout).contains("durable"), "the second node produced nothing");
    // Every other command that writes a data dir is refused the same way.
    for args in
        [&["replay", "--repair", "--data-dir"][..], &["bench", "hundred-k", "--cycles", "10", "--write-data-dir"][..]]
    {
        let out = graphene().args(args).arg(&dir).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {stderr}");
        assert!(stderr.contains(&format!("pid {}", first.id())), "{args:?}: {stderr}");
    }
    // The first node goes on, unharmed.
    let durable = wait_durable(&mut out, 5);
    signal(&first, "INT");
    let (code, rest) = finish(first, out);
    assert_eq!(code, 0, "{rest}");
    let stopped: u32 = rest
        .lines()
        .find_map(|l| l.strip_prefix("stopped head="))
        .and_then(|l| l.split_whitespace().next())
        .expect("a stopped line")
        .parse()
        .unwrap();
    assert!(stopped >= durable);
    // Every block is in the journal and replays to the head the node stopped at.
    assert_eq!(replay_head(&dir), stopped);
    // The lock went with the process: the dir can be used again.
    let again = graphene().args(["node", "--dev", "--fast", "--blocks", "1", "--data-dir"]).arg(&dir).output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
}

fn stops_cleanly_on(signal_name: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (child, mut out) = spawn_node(&dir);
    let durable = wait_durable(&mut out, 3);
    signal(&child, signal_name);
    let (code, rest) = finish(child, out);
    assert_eq!(code, 0, "SIG{signal_name}: {rest}");
    let stopped_line = rest.lines().find(|l| l.starts_with("stopped head=")).unwrap_or_else(|| panic!("{rest}"));
    let head: u32 = stopped_line["stopped head=".len()..].split_whitespace().next().unwrap().parse().unwrap();
    assert!(head >= durable);
    assert!(rest.contains(&format!("snapshot {head} ")), "a snapshot of the head at shutdown: {rest}");
    assert!(dir.join(format!("snapshot-{head:010}.rkyv")).exists());
}

#[test]
fn sighup_stops_the_node_as_cleanly_as_ctrl_c() {
    stops_cleanly_on("HUP");
}

#[test]
fn sigterm_stops_the_node_as_cleanly_as_ctrl_c() {
    stops_cleanly_on("TERM");
}

#[cfg(unix)]
#[test]
fn the_config_file_is_created_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let out = graphene().args(["node", "--dev", "--fast", "--blocks", "1", "--data-dir"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mode = std::fs::metadata(dir.join("config.toml")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "config.toml may hold private keys");
}

/// A refused command line exits with status 2, says `expect`, and creates no data dir.
fn refused_before_creating_anything(extra: &[&str], expect: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let out = graphene()
        .args(["node", "--dev", "--fast", "--blocks", "1", "--data-dir"])
        .arg(&dir)
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{extra:?}: {stderr}");
    assert!(stderr.contains(expect), "{extra:?}: expected {expect:?} in {stderr}");
    assert!(!dir.exists(), "{extra:?}: the data dir was created before the flags were checked");
}

#[test]
fn bad_flags_are_refused_before_the_data_dir_is_created() {
    refused_before_creating_anything(&["--witness-id", "1.2.3"], "--witness-id 1.2.3");
    refused_before_creating_anything(&["--witness-id", "banana"], "--witness-id banana");
    refused_before_creating_anything(&["--tx-file", "/nonexistent/txs.jsonl"], "--tx-file /nonexistent/txs.jsonl");
    refused_before_creating_anything(&["--tx-file", "/"], "is a directory");
    refused_before_creating_anything(&["--required-participation", "250"], "--required-participation 250");
    refused_before_creating_anything(&["--private-key", "5Knot-a-key"], "--private-key");
    refused_before_creating_anything(&["--chain-id", "zz"], "--chain-id");
    refused_before_creating_anything(
        &["--genesis", "/nonexistent/genesis.json"],
        "--genesis /nonexistent/genesis.json",
    );
}
