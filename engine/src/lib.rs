//! The deterministic state machine: genesis, transaction acceptance, one evaluator module per
//! operation family, block application and maintenance. This is the only code that mutates
//! state; the runtime that feeds it (threads, the journal, the wall clock) is the `node` crate.
//!
//! Layout:
//! - [`state`]: the arenas of every object type and their secondary indexes; sessions.
//! - [`genesis`]: the initial state, in bitshares-core's object order.
//! - [`lookup`]: [`lookup::LookupMap`], the hash map without iteration that every index uses.
//! - [`chain`]: transaction acceptance (§2.3), block production and application (§2.6), the
//!   undo frames of reversible blocks.
//! - [`dpos`]: the deterministic half of DPOS: slots and the witness schedule (§10.5), missed
//!   blocks and participation, the last irreversible block (§2.7), maintenance (§10.4).
//! - [`evaluators`]: one module per operation family, each `evaluate` (read-only) then `apply`.
//! - [`error`]: [`error::Rejection`], every reason a transaction can be refused.
//! - [`events`]: [`BlockOutcome`] and [`Reverted`], what applying or popping a block returns.
//! - [`dex`]: the order book (fast and reference) and the fill rules of limit orders.
//! - [`query`]: typed reads for the BitShares API calls (objects by reference; JSON is the edge's).
//! - [`snapshot`]: the object graph to and from bytes (the node writes them to files).
//!
//! Nothing here reads a clock, touches a file or uses randomness: the block timestamp is the only
//! time the state machine sees, so replay and simulation are exact.

// No floating point in the state machine (DESIGN.md "Numbers are money"): amounts are integers
// and prices ratios. Clocks, randomness and std hash maps are kept out by clippy.toml.
#![deny(clippy::float_arithmetic, clippy::cast_precision_loss)]
// Rejections carry the values (amounts with their symbols) that made them fail, by design
// (DESIGN.md "Errors"); they are the cold path, so their size is not boxed away.
#![allow(clippy::result_large_err)]

pub mod bitasset;
pub mod chain;
pub mod dex;
pub mod dpos;
pub mod error;
pub mod evaluators;
pub mod events;
pub mod genesis;
pub mod lookup;
pub mod query;
pub mod snapshot;
pub mod state;

pub use chain::{BlockError, Chain, PopError, Produced, SkipFlags, VerifiedBlock};
pub use error::Rejection;
pub use events::{BlockOutcome, Reverted};
pub use state::State;
