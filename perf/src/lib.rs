//! Load generation and reports for `graphene bench`: drives the engine in-process and the node over
//! loopback, records latencies in hdrhistogram and prints rate x percentile tables.
pub mod dex;
pub mod fees;
pub mod hundred_k;
pub mod hundred_k_journal;
pub mod margin;
pub mod margin_flow;
pub mod matching;
pub mod node;
pub mod report;
pub mod sigcheck;
pub mod workload;
