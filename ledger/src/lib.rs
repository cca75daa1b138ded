//! Protocol types and the object graph of the BitShares 2.0 / Graphene blockchain: pure data and
//! pure functions.
//!
//! This crate owns everything that two nodes must agree on bit for bit and that needs no state
//! machine to compute: the binary encoding ([`encoding`], byte-identical to bitshares-core's
//! fc::raw), the JSON conventions of the BitShares API ([`json`]), object ids ([`ids`]), amounts
//! and prices with their rounding rules ([`asset`]), keys and signatures ([`keys`],
//! [`crypto`]), authorities and the signature walk ([`authority`], [`sign_state`]), operations,
//! transactions and blocks ([`ops`], [`transaction`], [`block`]), the fee schedule and chain
//! parameters ([`fees`], [`chain`]), and the object graph with undo sessions and a chained state
//! hash ([`graph`]).
//!
//! It never does I/O, never reads a clock, never uses randomness (signing nonces are RFC 6979) and
//! never iterates a hash map into anything observable. Time arrives as data
//! ([`time::TimePointSec`]).

// No floating point in the state machine (DESIGN.md "Numbers are money"): amounts are integers
// and prices ratios. Clocks, randomness and std hash maps are kept out by clippy.toml.
#![deny(clippy::float_arithmetic, clippy::cast_precision_loss)]

pub mod asset;
pub mod authority;
pub mod block;
pub mod chain;
pub mod crypto;
pub mod encoding;
pub mod ext;
pub mod fees;
pub mod flat_map;
pub mod genesis;
pub mod graph;
pub mod ids;
pub mod json;
pub mod keys;
pub mod objects;
pub mod ops;
pub mod prefix;
pub mod sign_state;
pub mod time;
pub mod transaction;

pub use encoding::{DecodeError, Pack, Reader, Unpack};
