//! A small seeded fuzz driver (no nightly, no cargo-fuzz here): each harness turns a seeded RNG
//! into one input and checks that the decoder under test never panics (plus its own properties).
//!
//! Every input is a pure function of its iteration seed, so a failure names the seed and
//! `GRAPHENE_FUZZ_ONE=<seed>` replays exactly that input. Bounded for CI: each harness runs
//! `GRAPHENE_FUZZ_SECONDS` seconds (default 1.5); set it higher to fuzz by hand, e.g.
//! `GRAPHENE_FUZZ_SECONDS=600 cargo test --release --test fuzz_decoders -- --nocapture`.
//! `GRAPHENE_FUZZ_SEED` changes the base seed (default fixed, so CI is repeatable).
//!
//! Included with `#[path]` by the binary's unit tests too, hence no dependency on `common`.

#![allow(dead_code)]

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

const DEFAULT_SECONDS: f64 = 1.5;
const DEFAULT_SEED: u64 = 0x6772_6170_6865_6e65; // "graphene"

fn env_f64(name: &str) -> Option<f64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Run `one` on seeded inputs for the configured time; panics naming the seed of the first
/// input that made `one` panic. Returns the number of inputs run.
pub fn run(name: &str, mut one: impl FnMut(&mut StdRng)) -> u64 {
    if let Some(seed) = env_u64("GRAPHENE_FUZZ_ONE") {
        one(&mut StdRng::seed_from_u64(seed));
        return 1;
    }
    let seconds = env_f64("GRAPHENE_FUZZ_SECONDS").unwrap_or(DEFAULT_SECONDS);
    let base = env_u64("GRAPHENE_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let deadline = Instant::now() + Duration::from_secs_f64(seconds.max(0.0));
    let started = Instant::now();
    let mut n = 0u64;
    while n == 0 || Instant::now() < deadline {
        let seed = base.wrapping_add(n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let result = catch_unwind(AssertUnwindSafe(|| one(&mut StdRng::seed_from_u64(seed))));
        if result.is_err() {
            panic!("fuzz {name}: input {n} panicked; replay it with GRAPHENE_FUZZ_ONE={seed}");
        }
        n += 1;
    }
    eprintln!("fuzz {name}: {n} inputs in {:.1} s (base seed {base}), no panic", started.elapsed().as_secs_f64());
    n
}

/// Values that tend to find edges in length fields and integers.
const INTERESTING: &[u64] = &[0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff, u64::MAX, 1 << 63];

/// Mutate `input` a few times: bit flips, random and interesting bytes, insertions, deletions,
/// truncation, duplication, and splices of `other` (another valid input).
pub fn mutate(rng: &mut StdRng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.gen_range(1..=6) {
        let len = out.len();
        let at = if len == 0 { 0 } else { rng.gen_range(0..len) };
        match rng.gen_range(0..9) {
            0 if len > 0 => out[at] ^= 1 << rng.gen_range(0..8),
            1 if len > 0 => out[at] = rng.gen(),
            2 => {
                let n = rng.gen_range(1..16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.gen()).collect();
                out.splice(at..at, bytes);
            }
            3 if len > 0 => {
                let end = (at + rng.gen_range(1..32)).min(len);
                out.drain(at..end);
            }
            4 => out.truncate(at),
            5 if len > 0 => {
                let end = (at + rng.gen_range(1..64)).min(len);
                let copy = out[at..end].to_vec();
                let to = rng.gen_range(0..=out.len());
                out.splice(to..to, copy);
            }
            6 => {
                let v = INTERESTING[rng.gen_range(0..INTERESTING.len())].to_le_bytes();
                let n = [1, 2, 4, 8][rng.gen_range(0..4)];
                let end = (at + n).min(len);
                out.splice(at..end, v[..n].iter().copied());
            }
            7 if !other.is_empty() => {
                let from = rng.gen_range(0..other.len());
                let end = (from + rng.gen_range(1..64)).min(other.len());
                out.splice(at..at, other[from..end].iter().copied());
            }
            _ => {
                // A varint claiming a huge length.
                out.splice(at..at, [0xff, 0xff, 0xff, 0xff, 0x0f]);
            }
        }
    }
    out
}

/// Random bytes of a random length up to `max`.
pub fn random_bytes(rng: &mut StdRng, max: usize) -> Vec<u8> {
    let n = rng.gen_range(0..=max);
    (0..n).map(|_| rng.gen()).collect()
}

/// A random JSON value that stresses decoders: extreme numbers, long strings, wrong types, deep
/// nesting (within serde_json's recursion limit and beyond it).
pub fn random_json(rng: &mut StdRng, depth: u32) -> serde_json::Value {
    use serde_json::{json, Value};
    match rng.gen_range(0..12) {
        0 => Value::Null,
        1 => Value::Bool(rng.gen()),
        2 => json!(INTERESTING[rng.gen_range(0..INTERESTING.len())]),
        3 => json!(-(rng.gen_range(0..i64::MAX))),
        4 => json!(rng.gen::<f64>() * 1e300),
        5 => Value::String("x".repeat(rng.gen_range(0..70_000))),
        6 => Value::String(
            ["1.2.17", "1.3.0", "2106-02-07T06:28:15", "1.2.999999999999", "nathan", "", "TEST1"][rng.gen_range(0..7)]
                .to_string(),
        ),
        7 => Value::String(format!("{}", rng.gen::<u64>())),
        8 if depth < 4 => Value::Array((0..rng.gen_range(0..4)).map(|_| random_json(rng, depth + 1)).collect()),
        9 if depth < 4 => {
            let keys = ["fee", "amount", "asset_id", "operations", "expiration", "timestamp", "advance_seconds", "x"];
            Value::Object(
                (0..rng.gen_range(0..4))
                    .map(|_| (keys[rng.gen_range(0..keys.len())].to_string(), random_json(rng, depth + 1)))
                    .collect(),
            )
        }
        10 => {
            let n = rng.gen_range(100..300);
            serde_json::from_str(&format!("{}{}", "[".repeat(n), "]".repeat(n))).unwrap_or(Value::Null)
        }
        _ => json!(rng.gen::<u32>()),
    }
}

/// Replace one node of `v` (chosen at random, depth first) with `random_json`, keeping the rest.
pub fn mutate_json(rng: &mut StdRng, v: &mut serde_json::Value) {
    use serde_json::Value;
    let children = match v {
        Value::Array(a) => a.len(),
        Value::Object(o) => o.len(),
        _ => 0,
    };
    if children == 0 || rng.gen_range(0..4) == 0 {
        *v = random_json(rng, 0);
        return;
    }
    let i = rng.gen_range(0..children);
    match v {
        Value::Array(a) => mutate_json(rng, &mut a[i]),
        Value::Object(o) => {
            if rng.gen_range(0..6) == 0 {
                let key = o.keys().nth(i).cloned().expect("in range");
                o.remove(&key);
            } else if let Some((_, child)) = o.iter_mut().nth(i) {
                mutate_json(rng, child);
            }
        }
        _ => unreachable!(),
    }
}

/// Text mutated as bytes, then read back as UTF-8 (lossily, as a file would be read).
pub fn mutate_text(rng: &mut StdRng, text: &str, other: &str) -> String {
    String::from_utf8_lossy(&mutate(rng, text.as_bytes(), other.as_bytes())).into_owned()
}
