//! Snapshots of the object graph live beside the journal but are built elsewhere: the format in
//! `engine::snapshot` (an rkyv archive of every arena, validated with bytecheck and per-arena
//! blake3 checksums), the files in the binary's `node::snapshots` (`snapshot-NNNNNNNNNN.rkyv`,
//! memory-mapped with memmap2 on restart, after which only the journal tail past that block is
//! replayed). This crate holds no snapshot code because the format depends on the engine's state.
//! The rules the node keeps with respect to the journal:
//!
//! - A snapshot names the block it covers and that block's state hash, so replay of the tail
//!   can be checked against the journal's chained state hashes.
//! - A snapshot never refers to a block that is not durable: it is written only for a block at
//!   or below `Journal::durable_head`, and written to a temporary name, synced, then renamed,
//!   so a crash leaves either the old set of snapshots or the new one.
//! - `Journal::truncate_after` below a snapshot's block makes that snapshot unusable; the node
//!   deletes such snapshots before truncating.
//! - The journal stays the source of truth: a missing or damaged snapshot only costs a longer
//!   replay.
