//! Tiny runs of the load benchmarks: they complete, count what they claim and leave the state
//! the workload implies (exact balances), with and without checks.

use perf::hundred_k::{run_hundred_k, Checks, HundredKConfig};
use perf::sigcheck::{run_sigcheck, SigcheckConfig};

#[test]
fn hundred_k_without_checks_applies_every_operation() {
    let r = run_hundred_k(&HundredKConfig { cycles: 200, checks: Checks::None, block_size: 1 }).unwrap();
    assert_eq!(r.total_operations(), 1_000);
    assert_eq!(r.total_transactions(), 800);
    let names: Vec<_> = r.phases.iter().map(|p| (p.name, p.operations)).collect();
    assert_eq!(names, [("account_create", 200), ("transfer", 400), ("asset_create", 200), ("asset_issue", 200)]);
    assert!(r.phases.iter().all(|p| p.ops_per_sec() > 0.0));
    assert_eq!(r.final_state.accounts_created, 200);
    assert_eq!(r.final_state.assets_created, 200);
    // Every account i+1 received 10 units of asset i.
    assert_eq!(r.final_state.issued_total, 200 * 10);
    // Account 0: funded 1,000,000; sent 100 and paid 10; received 100 from the last account;
    // paid 100,000 for asset_create and 10 for asset_issue.
    assert_eq!(r.final_state.first_account_core, 1_000_000 - 100 - 10 + 100 - 100_000 - 10);
    assert_eq!(r.final_state.blocks, 0);
    let line = r.to_string();
    assert!(line.contains("1000 operations in"), "{line}");
    assert_eq!(r.to_json()["total_operations"], 1_000);
}

#[test]
fn hundred_k_with_all_checks_signs_and_produces_blocks() {
    let r = run_hundred_k(&HundredKConfig { cycles: 20, checks: Checks::All, block_size: 8 }).unwrap();
    assert_eq!(r.total_operations(), 100);
    assert_eq!(r.final_state.accounts_created, 20);
    assert_eq!(r.final_state.assets_created, 20);
    assert_eq!(r.final_state.issued_total, 20 * 10);
    // Block 1 claims nathan's balance; each phase of 20 transactions takes 3 blocks of up to 8.
    assert_eq!(r.final_state.blocks, 1 + 4 * 3);
    // Account 0 keeps the 1,000,000 of the funding beyond the fees it paid, plus the 100 it got
    // back from the last account minus the 100 it sent.
    assert_eq!(r.final_state.first_account_core, 1_000_000);
}

/// Past the 1,000th registration the account_create fee is shifted left by 4 bits (§6.5); every
/// account after it must pay the scaled fee or the phase stops with "insufficient fee".
#[test]
fn hundred_k_with_all_checks_pays_the_scaled_account_fee_past_1000_accounts() {
    let r = run_hundred_k(&HundredKConfig { cycles: 1_010, checks: Checks::All, block_size: 1_000 }).unwrap();
    assert_eq!(r.final_state.accounts_created, 1_010);
    assert_eq!(r.final_state.assets_created, 1_010);
    assert_eq!(r.total_operations(), 5 * 1_010);
}

#[test]
fn hundred_k_with_all_checks_refuses_more_accounts_than_the_fee_steps_can_pay() {
    let Err(err) = run_hundred_k(&HundredKConfig { cycles: 4 * 65_535 + 1, checks: Checks::All, block_size: 1_000 })
    else {
        panic!("refused");
    };
    assert!(err.to_string().contains("scaled account_create fee"), "{err}");
}

#[test]
fn sigcheck_counts_recoveries_on_every_thread() {
    let r = run_sigcheck(&SigcheckConfig { recoveries: 200, threads: 2 }).unwrap();
    assert_eq!(r.ours_single.recoveries, 200);
    assert_eq!(r.raw_single.recoveries, 200);
    assert_eq!(r.threads, 2);
    assert_eq!(r.ours_parallel.recoveries, 400);
    assert!(r.ours_single.per_sec() > 0.0 && r.raw_single.per_sec() > 0.0 && r.ratio() > 0.0);
    assert!(r.to_string().starts_with("Benchmark: verify "));
}

#[test]
fn node_bench_confirms_signed_load_and_orders_its_percentiles() {
    use perf::node::{run_node_bench, NodeBenchConfig};
    use std::time::Duration;
    let cfg = NodeBenchConfig {
        accounts: 10,
        duration: Duration::from_millis(1_500),
        block_interval: Some(Duration::from_millis(100)),
        sigcheck_ceiling: Some(400.0),
        presign: Some(1_500),
        ..Default::default()
    };
    let r = run_node_bench(&cfg).unwrap();
    let s = &r.steps[0];
    assert_eq!(r.steps.len(), 1);
    assert!(s.confirmed > 0 && s.tps() > 0.0);
    assert_eq!(s.rejected, 0, "{:?}", s.first_rejection);
    assert_eq!(s.confirmed + s.rejected, s.submitted);
    let p = s.percentiles();
    assert_eq!(p.count, s.confirmed);
    assert!(p.ordered() && p.p50 > 0, "{p:?}");
    assert_eq!(s.blocks.iter().map(|b| b.transactions as u64).sum::<u64>(), s.confirmed);
    assert_eq!(s.stages.iter().map(|st| st.name).collect::<Vec<_>>(), ["verify", "apply", "journal", "events"]);
    let text = r.to_string();
    assert!(text.contains("confirmation latency (submit -> durable): p50 "), "{text}");
    assert_eq!(r.to_json()["steps"][0]["confirmed"], s.confirmed);
}

#[test]
fn node_bench_open_loop_prints_a_rate_by_latency_table() {
    use perf::node::{run_node_bench, NodeBenchConfig};
    use std::time::Duration;
    let cfg = NodeBenchConfig {
        accounts: 10,
        duration: Duration::from_millis(500),
        block_interval: Some(Duration::from_millis(50)),
        rates: vec![100, 200],
        sigcheck_ceiling: Some(400.0),
        orders_percent: 50,
        ..Default::default()
    };
    let r = run_node_bench(&cfg).unwrap();
    assert_eq!(r.steps.len(), 2);
    for (s, rate) in r.steps.iter().zip([100, 200]) {
        assert_eq!(s.offered_per_sec, Some(rate));
        assert!(s.confirmed > 0 && s.percentiles().ordered());
        assert_eq!(s.rejected, 0, "{:?}", s.first_rejection);
    }
    let text = r.to_string();
    assert!(text.contains("rate x latency"), "{text}");
}

#[test]
fn margin_bench_calls_exactly_the_callable_positions() {
    use perf::margin::{run_margin_bench, MarginBenchConfig};
    let r = run_margin_bench(MarginBenchConfig { healthy: 300, callable: 40 });
    assert_eq!(r.positions_called, 40);
    // Each called position fills one 1000 USD order: two fill_order ops per call.
    assert_eq!(r.fills, 80);
    assert_eq!(r.book_orders, 45);
    assert!(r.to_string().contains("positions called 40"));
}
