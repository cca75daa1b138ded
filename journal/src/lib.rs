//! Durable storage: the append-only flat-file block journal, its index, crash recovery and
//! snapshots of the object graph.
