//! Run the matching benchmark: `cargo run --release -p perf --example matching -- [seed] [commands] [--compare] [--json]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let nums: Vec<u64> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let mut cfg = perf::matching::MatchingBenchConfig::default();
    if let Some(&seed) = nums.first() {
        cfg.seed = seed;
    }
    if let Some(&n) = nums.get(1) {
        cfg.commands = n as usize;
    }
    if args.iter().any(|a| a == "--throughput-only") {
        cfg.rates.clear();
    }
    cfg.compare = args.iter().any(|a| a == "--compare");
    cfg.hgrm_dir = Some(std::env::temp_dir().join("graphene-matching-hgrm"));
    let report = perf::matching::run_matching_bench(cfg).expect("benchmark I/O");
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&report.to_json()).unwrap());
    } else {
        print!("{report}");
    }
}
