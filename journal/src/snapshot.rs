//! Snapshots of the object graph: not built yet; this module fixes where they will go.
//!
//! A snapshot will be an rkyv archive of the engine's object graph, written beside the journal
//! (in the same directory, one file per snapshot, named after the block it covers, e.g.
//! `snapshot-00001000.rkyv`) and mapped with memmap2 on restart, after which only the journal
//! tail past that block is replayed. Rules it must keep:
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
