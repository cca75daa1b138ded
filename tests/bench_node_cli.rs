//! `graphene bench node` from the command line, briefly: it runs the pipeline end to end and
//! writes its JSON report, its `.hgrm` histogram and its SVG plot.

use std::process::Command;

#[test]
fn bench_node_runs_briefly_and_writes_json_hgrm_and_plot() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("node.json");
    let hgrm = dir.path().join("hgrm");
    let svg = dir.path().join("node.svg");
    let out = Command::new(env!("CARGO_BIN_EXE_graphene"))
        .args(["bench", "node", "--accounts", "10", "--duration", "1", "--block-interval-ms", "100"])
        .args(["--sigcheck-ceiling", "500", "--presign", "1500", "--orders-percent", "40"])
        .arg("--json")
        .arg(&json)
        .arg("--hgrm-dir")
        .arg(&hgrm)
        .arg("--plot")
        .arg(&svg)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("60% transfers / 40% limit orders"), "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let step = &report["steps"][0];
    assert!(step["tps"].as_f64().unwrap() > 0.0, "{step}");
    assert_eq!(step["rejected"], 0, "{step}");
    let l = &step["latency"];
    let p: Vec<f64> =
        ["p50_us", "p90_us", "p99_us", "p99_9_us", "max_us"].iter().map(|k| l[k].as_f64().unwrap()).collect();
    assert!(p[0] > 0.0 && p.windows(2).all(|w| w[0] <= w[1]), "{l}");
    let h = std::fs::read_to_string(hgrm.join("node-closed-loop.hgrm")).unwrap();
    assert!(h.contains("Total count"), "{h}");
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg"));
}

#[test]
fn bench_node_refuses_a_zero_rate() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_graphene")).args(["bench", "node", "--rates", "100,0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("every rate at least 1"));
}
