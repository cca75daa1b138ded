//! The stage loops of the pipeline, numbered as in the module doc of [`super`]. Each runs on its
//! own thread, owns what it mutates, and hands over by bounded channel. Each adds its thread's
//! CPU time to the pipeline counters when it exits.

use super::writer::{BlockInput, Input, ToJournal};
use super::{thread_cpu_time, BlockRecord, Confirmation, Counters, Refused, Submission, Subscribers, Verified};
use crate::log_targets;
use crate::replica::{ChainEvent, Reader, Replica, ReplicaError};
use crossbeam::channel::{Receiver, RecvTimeoutError, Sender, TrySendError};
use engine::error::Rejection;
use engine::VerifiedBlock;
use journal::{Journal, Storage};
use ledger::block::SignedBlock;
use ledger::keys::PublicKey;
use ledger::sign_state;
use ledger::transaction::{ChainId, SignedTransaction, TransactionId};
use ledger::{Pack, Unpack};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(super) fn add_cpu(counter: &AtomicU64) {
    counter.fetch_add(thread_cpu_time().as_nanos() as u64, Ordering::Relaxed);
}

// ---- 1. verify ----

/// Everything about one transaction that needs no state: decode, stateless validation, the
/// transaction id, the signing digest and the recovery of each signature's public key (with
/// bitshares-core's duplicate-signature rule). Returns the transaction, its keys and its id.
pub fn verify_transaction(
    bytes: &[u8],
    chain_id: &ChainId,
) -> Result<(SignedTransaction, Vec<PublicKey>, TransactionId), Refused> {
    let tx = SignedTransaction::from_bytes(bytes).map_err(|e| Refused::Undecodable { detail: e.to_string() })?;
    tx.validate().map_err(Rejection::from)?;
    let digest = tx.sig_digest(&chain_id.0);
    let keys = sign_state::unique_keys(&tx.signatures, &digest).map_err(Rejection::from)?;
    let id = tx.id();
    Ok((tx, keys, id))
}

/// How often an idle verifier looks at the stop flag.
const IDLE_POLL: Duration = Duration::from_millis(20);

pub(super) fn verify(
    rx: Receiver<Submission>,
    tx: Sender<Input>,
    chain_id: ChainId,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
) {
    let mut items = 0u64;
    loop {
        let s = match rx.recv_timeout(IDLE_POLL) {
            Ok(s) => s,
            Err(RecvTimeoutError::Timeout) if stop.load(Ordering::Acquire) && rx.is_empty() => break,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        items += 1;
        let input = match s {
            Submission::Tx { bytes, promise } => match verify_transaction(&bytes, &chain_id) {
                Ok((t, keys, id)) => Input::Tx(Verified { tx: t, keys, id, size: bytes.len(), promise }),
                Err(refused) => {
                    promise.complete(Err(refused));
                    continue;
                }
            },
            Submission::Block { bytes, promise } => match SignedBlock::from_bytes(&bytes) {
                Ok(block) => {
                    // Digests, validation and every key recovery happen here, not on the writer.
                    let verified = VerifiedBlock::of(&block, &chain_id);
                    Input::Block(Box::new(BlockInput { block, verified, promise }))
                }
                Err(e) => {
                    promise.complete(Err(format!("block does not decode: {e}")));
                    continue;
                }
            },
        };
        // Blocks while the writer is behind: that is the back-pressure towards ingress.
        if tx.send(input).is_err() {
            break;
        }
    }
    counters.verify_items.fetch_add(items, Ordering::Relaxed);
    add_cpu(&counters.verify_cpu_ns);
}

// ---- 2. apply: the single writer, in `super::writer` ----

// ---- 3. journal: append, group fsync, confirm ----

pub(super) fn journal<S: Storage>(
    mut journal: Journal<S>,
    rx: Receiver<ToJournal>,
    events: Sender<ChainEvent>,
    durable: Arc<AtomicU32>,
    journal_failed: Arc<AtomicBool>,
    counters: Arc<Counters>,
) -> (Journal<S>, Vec<BlockRecord>, Option<String>) {
    let mut records = Vec::new();
    let mut failed: Option<String> = None;
    while let Ok(first) = rx.recv() {
        // Group commit: everything already sealed goes under one fdatasync. A revert cuts the
        // journal back (durably) before the blocks after it are appended.
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        if failed.is_none() {
            let written = batch.iter().try_for_each(|item| match item {
                ToJournal::Block(s) => {
                    let b = &s.block;
                    journal.append(b.block_num(), &b.id().0, &s.state_hash, &b.to_bytes())
                }
                ToJournal::Revert(r) => journal.truncate_after(r.head_num),
            });
            match written.and_then(|()| journal.sync()) {
                Ok(head) => {
                    durable.store(head, Ordering::Release);
                    tracing::info!(target: log_targets::JOURNAL, block_num = head, "durable {head}");
                }
                Err(e) => {
                    let last = durable.load(Ordering::Acquire);
                    tracing::error!(
                        target: log_targets::JOURNAL,
                        durable_head = last,
                        error = %e,
                        "journal failed: {e}; no block after {last} will be durable"
                    );
                    failed = Some(e.to_string());
                    journal_failed.store(true, Ordering::Release);
                }
            }
        }
        let durable_at = Instant::now();
        for item in batch {
            let s = match item {
                ToJournal::Block(s) => s,
                ToJournal::Revert(r) => {
                    if failed.is_none() {
                        let _ = events.send(ChainEvent::Reverted(r));
                    }
                    continue;
                }
            };
            let block_num = s.block.block_num();
            for (promise, tx_id) in s.settles {
                promise.complete(match &failed {
                    None => Ok(Confirmation { tx_id, block_num, durable_at }),
                    Some(detail) => Err(Refused::Journal { block_num, detail: detail.clone() }),
                });
            }
            if failed.is_none() {
                records.push(BlockRecord {
                    num: block_num,
                    transactions: s.block.transactions.len(),
                    bytes: s.bytes,
                    sealed_at: s.sealed_at,
                    durable_at,
                });
                // The events thread never blocks for long (it cuts slow subscribers off).
                let _ = events.send(ChainEvent::Applied(s.outcome));
            }
        }
    }
    counters.journal_items.fetch_add(records.len() as u64, Ordering::Relaxed);
    add_cpu(&counters.journal_cpu_ns);
    (journal, records, failed)
}

// ---- 4. events fan-out ----

/// Feeds the read replica (blocking: a replica that falls behind slows the fan-out, never the
/// writer, which is a bounded queue further back) and then every subscriber. Returns the
/// replica's reader once every block is applied to it, and why it stopped if it did.
pub(super) fn events(
    rx: Receiver<ChainEvent>,
    mut replica: Option<Replica>,
    subscribers: Subscribers,
    counters: Arc<Counters>,
) -> Option<(Reader, Result<(), ReplicaError>)> {
    let mut items = 0u64;
    let mut stopped = None;
    while let Ok(ev) = rx.recv() {
        items += 1;
        if replica.as_ref().is_some_and(|r| !r.feed(ev.clone())) {
            // The replica refused a block (the reason comes back at shutdown); the rest of the
            // node goes on without it.
            stopped = replica.take().map(Replica::stop);
        }
        let mut subs = subscribers.lock().unwrap_or_else(|e| e.into_inner());
        subs.retain(|s| match s.try_send(ev.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                counters.subscribers_cut.fetch_add(1, Ordering::Relaxed);
                false
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
    }
    counters.events_items.fetch_add(items, Ordering::Relaxed);
    add_cpu(&counters.events_cpu_ns);
    stopped.or_else(|| replica.map(Replica::stop))
}
