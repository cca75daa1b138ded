//! The node runtime: everything between the deterministic core and the network. It owns the
//! threads, the wall clock and the files; the chain below it sees only blocks and their
//! timestamps.
//!
//! - [`lock`]: the exclusive lock on a data directory (one process per data dir).
//! - [`log_targets`]: the `tracing` targets of the operator lines (`block N`, `durable N`, ...).
//! - [`pipeline`]: ingress → verify (N threads) → apply (the single writer) → journal → events.
//! - [`restore`]: the data directory, the genesis copy, restoring state (newest usable snapshot
//!   plus the journal tail, or genesis plus the whole journal) and verified replay.
//! - [`replica`]: the read replica, a copy of the state fed with each block's changed objects.
//! - [`snapshots`]: snapshot files (write atomically, list, load).

pub mod lock;
pub mod log_targets;
pub mod pipeline;
pub mod replica;
pub mod restore;
pub mod snapshots;

pub use restore::{
    load_genesis, replay, restore, restore_in, GenesisSource, NodeError, ReplayStats, Restored, REPLAY_SKIP,
};
