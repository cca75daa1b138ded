//! Seeded arbitrary-input harnesses for the JSON and TOML the binary reads: `apply` scenarios and
//! `config.toml`. Same driver and environment variables as tests/fuzz_decoders.rs (see
//! tests/common/fuzz.rs). Bad input must come back as a `CliError`, never a panic.

#[path = "../../tests/common/fuzz.rs"]
mod fuzz;

use rand::Rng;
use serde_json::Value;
use std::path::Path;

/// `advance_seconds` values above this are clamped in generated scenarios: `apply` produces an
/// empty block at every slot of the advance, so one near its limit (`apply::ADVANCE_SECONDS_MAX`)
/// is slow by design, not a bug.
const ADVANCE_SECONDS_MAX: u64 = 3 * 86_400;

fn clamp_advances(v: &mut Value) {
    match v {
        Value::Object(o) => {
            if let Some(a) = o.get_mut("advance_seconds") {
                if a.as_u64().is_some_and(|s| s > ADVANCE_SECONDS_MAX) {
                    *a = Value::from(ADVANCE_SECONDS_MAX);
                }
            }
            o.values_mut().for_each(clamp_advances);
        }
        Value::Array(a) => a.iter_mut().for_each(clamp_advances),
        _ => {}
    }
}

fn scenario_corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    vec![
        std::fs::read_to_string(root.join("examples/dev-transfer.json")).unwrap(),
        r#"{"genesis":"dev","skip_signatures":true,"blocks":[{"timestamp":"2026-01-01T00:00:05"},{"advance_seconds":86400}],"query":["2.1.0",{"balances":"nathan"},{"order_book":{"base":"1.3.0","quote":"1.3.1"}}]}"#.to_string(),
    ]
}

#[test]
fn fuzz_apply_scenarios() {
    let corpus = scenario_corpus();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    fuzz::run("apply scenario JSON", |rng| {
        let a = &corpus[rng.gen_range(0..corpus.len())];
        let text = match serde_json::from_str::<Value>(&if rng.gen_range(0..4) == 0 {
            fuzz::mutate_text(rng, a, &corpus[0])
        } else {
            a.clone()
        }) {
            Ok(mut v) => {
                for _ in 0..rng.gen_range(1..4) {
                    fuzz::mutate_json(rng, &mut v);
                }
                clamp_advances(&mut v);
                v.to_string()
            }
            Err(_) => fuzz::mutate_text(rng, a, &corpus[0]),
        };
        let mut out = Vec::new();
        let _ = super::apply::run_scenario(&text, &base, None, &mut out);
    });
}

const CONFIG_EXAMPLE: &str = "witness-id = [\"1.6.3\"]\nprivate-key = [\"5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3\"]\nsnapshot-every = 50\nrequired-participation = 33\nenable-stale-production = true\nprefix = \"TEST\"\n";

#[test]
fn fuzz_config_toml() {
    let corpus = [super::config::TEMPLATE.to_string(), CONFIG_EXAMPLE.to_string()];
    fuzz::run("config TOML", |rng| {
        let a = &corpus[rng.gen_range(0..corpus.len())];
        let b = &corpus[rng.gen_range(0..corpus.len())];
        let text = fuzz::mutate_text(rng, a, b);
        let _ = super::config::parse(&text, Path::new("config.toml"));
    });
}

/// The seed corpora of the `apply_scenario` and `config_toml` cargo-fuzz targets, written into
/// fuzz/corpus/<target>/ (the other targets' seeds: tests/fuzz_decoders.rs). Run by hand.
#[test]
#[ignore = "writes files into fuzz/corpus; run by hand before cargo fuzz"]
fn write_fuzz_seed_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (target, corpus) in [
        ("apply_scenario", scenario_corpus()),
        ("config_toml", vec![super::config::TEMPLATE.to_string(), CONFIG_EXAMPLE.to_string()]),
    ] {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, text) in corpus.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i}")), text).unwrap();
        }
    }
}
