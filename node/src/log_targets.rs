//! The `tracing` targets of the runtime's operator lines. The targets, the message text of each
//! line and its fields are a stable interface: operators grep the lines, filter by target
//! (`RUST_LOG=graphene::writer=warn`), and the crash tests parse them; change them only together
//! with README.md's "Logs".
//!
//! | target | level | message |
//! |---|---|---|
//! | [`NODE`] | info | `data dir ...`, `chain id ...`, `restored head=N from=... replayed_blocks=N ms=T state_hash=H`, `stopped head=N state_hash=H` |
//! | [`JOURNAL`] | info (warn if it repaired something) | `journal PATH opened: blocks A to B (...)` |
//! | [`JOURNAL`] | info | `durable N` (once per group fsync) |
//! | [`JOURNAL`] | error | `journal failed: ...` |
//! | [`WRITER`] | info | `block N WITNESS txs=T lib=L hash=ID`, `fork switch popped=P applied=A head=N` |
//! | [`WRITER`] | warn | `not producing: REASON` (once per kind of reason) |
//! | [`SNAPSHOT`] | info | `snapshot N PATH bytes=B ms=T` |
//! | [`SNAPSHOT`] | warn | `snapshot skipped: ...`, `snapshot N skipped: ...` |
//! | [`SNAPSHOT`] | error | `snapshot N failed in DIR: ...` |
//!
//! The deterministic core (`ledger`, `engine`) logs nothing: what happened in a block is its
//! returned events.

/// Start, restore and stop of `graphene node`.
pub const NODE: &str = "graphene::node";
/// The single writer: blocks produced, production refused, fork switches.
pub const WRITER: &str = "graphene::writer";
/// The block journal: opening and recovery, group fsyncs, failure.
pub const JOURNAL: &str = "graphene::journal";
/// Snapshot files: written, skipped, failed.
pub const SNAPSHOT: &str = "graphene::snapshot";
/// Transactions that `graphene node --tx-file` reads: lines skipped, refusals.
pub const TX_FILE: &str = "graphene::tx_file";
