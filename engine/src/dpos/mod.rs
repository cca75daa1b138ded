//! The deterministic half of DPOS 2.0 (PROTOCOL.md §2.7, §10.4, §10.5): which slot a time
//! falls in and which witness owns it, the witness shuffle each round, the bookkeeping of a new
//! head block (missed slots, participation, the witnesses' last slots), the last irreversible
//! block, and maintenance.
//!
//! Functions of the state alone: they read no clock (times are block timestamps) and decide
//! nothing about producing; `consensus::BlockProducer` asks [`slots`] whose turn it is, and
//! [`crate::Chain`] calls [`head::record`], [`irreversible::update`], [`maintenance::perform`]
//! and [`schedule::reshuffle`] in the order of `_apply_block` (db_block.cpp).
//!
//! Votes, the active-set election and the budget join [`maintenance`] with governance.

pub mod head;
pub mod irreversible;
pub mod maintenance;
pub mod schedule;
pub mod slots;

/// `dynamic_flags` bit: the head block was a maintenance block (skip slots follow).
pub const MAINTENANCE_FLAG: u32 = 0x01;
