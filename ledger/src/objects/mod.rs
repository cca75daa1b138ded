//! The objects of the chain state, in the JSON shape bitshares-core's `get_objects` returns.
//!
//! Each object is plain data with its own id field; fields follow the C++ `FC_REFLECT` order, and
//! the binary encoding of an object (via `impl_pack!`) is what the state hash covers. Objects
//! hold no behaviour beyond small derived facts (`is_lifetime_member`); the evaluators in the
//! `engine` crate are the only code that changes them.

mod account;
mod asset;
mod chain;

pub use account::*;
pub use asset::*;
pub use chain::*;
