//! Measures what a node restart pays for a snapshot: the dev genesis plus N synthetic accounts
//! (each with its statistics object and one core balance), written as a snapshot file, then
//! read back the way `graphene node` does before it replays the journal tail: the file mapped
//! with memmap2, the rkyv archive validated, every arena checksummed, decoded and indexed.
//!
//! `cargo run --release --example snapshot_restore -- 1000000 [KEEP_AS]`, then optionally
//! `cargo run --release --example snapshot_restore -- load KEEP_AS` (the restore alone).

use ledger::ids::{AccountBalanceId, AccountId, AccountStatisticsId, AssetId};
use ledger::objects::AccountBalanceObject;
use std::time::Instant;

/// The allocator `graphene` itself uses (src/main.rs), so the restore is measured as a node pays it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[allow(unsafe_code)]
fn map(file: &std::fs::File) -> memmap2::Mmap {
    // SAFETY: the file is this process's own temporary file, not modified while mapped.
    unsafe { memmap2::MmapOptions::new().populate().map(file).expect("map snapshot") }
}

fn main() {
    let n: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    // `-- load FILE`: only map and restore an existing snapshot (to profile the restore alone).
    if std::env::args().nth(1).as_deref() == Some("load") {
        let path = std::env::args().nth(2).expect("load FILE");
        let started = Instant::now();
        let file = std::fs::File::open(&path).expect("open snapshot");
        let (_, restored) = engine::snapshot::read(&map(&file)).expect("snapshot loads");
        let total_s = started.elapsed().as_secs_f64();
        println!("restore_total_s={total_s:.3} live_accounts={}", restored.accounts.len());
        return;
    }
    let text = ledger::genesis::DEV_GENESIS_JSON;
    let genesis: ledger::genesis::GenesisState = serde_json::from_str(text).expect("dev genesis parses");
    let chain_id = engine::genesis::chain_id_of(&genesis, text);
    let mut state = engine::genesis::build(&genesis, chain_id).expect("dev genesis builds");
    state.set_undo_enabled(false);
    let template = state.account(AccountId(17)).expect("nathan exists").clone();
    let stats_template = state.statistics.get(template.statistics.0).expect("nathan has statistics").clone();
    let started = Instant::now();
    for i in 0..n {
        let name = format!("bench-account-{i}");
        let sid = state.statistics.next_instance();
        let aid = state.accounts.create(|a| {
            let mut acc = template.clone();
            acc.id = AccountId(a);
            acc.name = name.clone();
            acc.statistics = AccountStatisticsId(sid);
            acc
        });
        state.statistics.create(|s| {
            let mut st = stats_template.clone();
            st.id = AccountStatisticsId(s);
            st.owner = AccountId(aid);
            st.name = name.clone();
            st
        });
        state.balances.create(|b| AccountBalanceObject {
            id: AccountBalanceId(b),
            owner: AccountId(aid),
            asset_type: AssetId(0),
            balance: 1_000 + i as i64,
            maintenance_flag: false,
        });
    }
    state.seal_block_hash();
    eprintln!("built {n} accounts in {:.2} s", started.elapsed().as_secs_f64());
    let dir = std::env::temp_dir().join(format!("snapshot-restore-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let started = Instant::now();
    let bytes = engine::snapshot::write(&state);
    let path = dir.join("snapshot.rkyv");
    std::fs::write(&path, &bytes).expect("write snapshot");
    let write_s = started.elapsed().as_secs_f64();
    drop(state);
    let started = Instant::now();
    let file = std::fs::File::open(&path).expect("open snapshot");
    let data = map(&file);
    let read_s = started.elapsed().as_secs_f64();
    let (_, restored) = engine::snapshot::read(&data).expect("snapshot loads");
    let total_s = started.elapsed().as_secs_f64();
    println!(
        "accounts={n} snapshot_bytes={} write_s={write_s:.3} map_s={read_s:.3} restore_total_s={total_s:.3} live_accounts={}",
        bytes.len(),
        restored.accounts.len()
    );
    if let Some(keep) = std::env::args().nth(2) {
        std::fs::copy(&path, &keep).expect("keep the snapshot");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
