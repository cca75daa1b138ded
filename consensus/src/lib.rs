//! DPOS 2.0 consensus: slots and block production, the fork database, fork choice and the last
//! irreversible block. It decides *what* the engine applies and owns no sockets.
//!
//! - [`fork_db`]: [`ForkDatabase`], recent blocks of every branch and the longest-chain head (§2.8).
//! - [`fork_choice`]: [`ForkChoice`], the chain plus its fork database: extend, store a side
//!   branch, or switch forks with exact undo; restores the old branch when the new one is invalid.
//! - [`producer`]: [`BlockProducer`], whether a slot is ours at a given time and producing its
//!   block (§2.10).
//! - [`dev`]: the development chain's witness keys (password rule), for tests and dev nodes.
//!
//! Nothing here reads a clock: time arrives as an argument (`now_ms`).

pub mod dev;
pub mod fork_choice;
pub mod fork_db;
pub mod producer;

pub use fork_choice::{ConsensusError, ForkChoice, PushOutcome};
pub use fork_db::{ForkDatabase, ForkDbError, ForkItem};
pub use producer::{BlockProducer, Production, SlotDecision};
