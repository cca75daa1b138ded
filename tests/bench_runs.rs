//! One meaning of `--json FILE` (`-`: standard output instead of the text) across the benches, and
//! `--runs N` reporting each run and the median. Tiny sizes: this checks the surface, not speed.

use serde_json::Value;
use std::process::Command;

fn graphene(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_graphene")).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn runs_prints_each_run_and_the_median_of_their_values() {
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("h.json");
    let (code, out, err) =
        graphene(&["bench", "hundred-k", "--cycles", "50", "--runs", "3", "--json", json.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let values: Vec<f64> = (1..=3)
        .map(|i| {
            let line =
                out.lines().find(|l| l.starts_with(&format!("run {i}/3: ops/s "))).unwrap_or_else(|| panic!("{out}"));
            line.rsplit(' ').next().unwrap().parse().unwrap()
        })
        .collect();
    let median_line =
        out.lines().find(|l| l.starts_with("median of 3 runs: ops/s ")).unwrap_or_else(|| panic!("{out}"));
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    assert!(median_line.starts_with(&format!("median of 3 runs: ops/s {:.0} (runs: ", sorted[1])), "{median_line}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["runs"].as_array().unwrap().len(), 3);
    assert!(report["median"]["ops/s"].as_f64().unwrap() > 0.0);
    let (code, _, err) = graphene(&["bench", "hundred-k", "--cycles", "50", "--runs", "0"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn json_dash_prints_only_json_and_json_file_keeps_the_text() {
    for args in [
        &["bench", "maintenance", "--accounts", "500", "--payers", "50", "--lifetime-members", "5"][..],
        &["bench", "margin", "--healthy", "20", "--callable", "5"][..],
        &["bench", "sigcheck", "--recoveries", "20", "--threads", "1"][..],
        &["bench", "matching", "--commands", "2000"][..],
        &["bench", "dex", "--orders", "2000", "--accounts", "20"][..],
    ] {
        let (code, out, err) = graphene(&[args, &["--json", "-"]].concat());
        assert_eq!(code, 0, "{args:?}: {err}");
        let _: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"));
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("r.json");
        let (code, out, err) = graphene(&[args, &["--json", file.to_str().unwrap()]].concat());
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(serde_json::from_str::<Value>(out.trim()).is_err(), "{args:?}: the text report is printed: {out}");
        let _: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    }
}

#[test]
fn bench_dex_runs_report_each_run_and_the_median() {
    let (code, out, err) = graphene(&["bench", "dex", "--orders", "3000", "--accounts", "20", "--runs", "3"]);
    assert_eq!(code, 0, "{err}");
    for i in 1..=3 {
        assert!(out.lines().any(|l| l.starts_with(&format!("run {i}/3: orders/s "))), "{out}");
    }
    assert!(out.lines().any(|l| l.starts_with("median of 3 runs: orders/s ")), "{out}");
}

#[test]
fn latency_benches_take_runs_too() {
    for (args, name) in [
        (&["bench", "matching", "--commands", "20000", "--runs", "2"][..], "ops/s"),
        (
            &[
                "bench",
                "node",
                "--duration",
                "0.3",
                "--accounts",
                "20",
                "--sigcheck-ceiling",
                "40000",
                "--presign",
                "500",
                "--block-interval-ms",
                "100",
                "--runs",
                "2",
            ][..],
            "tx/s",
        ),
    ] {
        let (code, out, err) = graphene(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        for i in 1..=2 {
            assert!(out.lines().any(|l| l.starts_with(&format!("run {i}/2: {name} "))), "{args:?}: {out}");
        }
        assert!(out.lines().any(|l| l.starts_with(&format!("median of 2 runs: {name} "))), "{args:?}: {out}");
    }
}
