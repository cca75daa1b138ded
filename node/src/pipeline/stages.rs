//! The stage loops of the pipeline, numbered as in the module doc of [`super`]. Each runs on its
//! own thread, owns what it mutates, and hands over by bounded channel. Each adds its thread's
//! CPU time to the pipeline counters when it exits.

use super::{confirm::Promise, Confirmation, Submission};
use super::{thread_cpu_time, BlockRecord, Counters, Head, Outcome, Refused, Subscribers, Verified};
use crate::replica::{ChainEvent, Reader, Replica, ReplicaError};
use crossbeam::channel::{Receiver, RecvTimeoutError, Sender, TrySendError};
use engine::chain::Chain;
use engine::error::Rejection;
use engine::BlockOutcome;
use journal::{Journal, Storage};
use ledger::block::SignedBlock;
use ledger::crypto::PrivateKey;
use ledger::ids::WitnessId;
use ledger::keys::PublicKey;
use ledger::sign_state;
use ledger::transaction::{ChainId, SignedTransaction, TransactionId};
use ledger::{Pack, Unpack};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

fn add_cpu(counter: &AtomicU64) {
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
    tx: Sender<Verified>,
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
        let Submission { bytes, promise } = s;
        match verify_transaction(&bytes, &chain_id) {
            Ok((t, keys, id)) => {
                let v = Verified { tx: t, keys, id, size: bytes.len(), promise };
                // Blocks while the writer is behind: that is the back-pressure towards ingress.
                if tx.send(v).is_err() {
                    break;
                }
            }
            Err(refused) => promise.complete(Err(refused)),
        }
    }
    counters.verify_items.fetch_add(items, Ordering::Relaxed);
    add_cpu(&counters.verify_cpu_ns);
}

// ---- 2. apply: the single writer ----

pub(super) struct ApplyPlan {
    pub interval: Duration,
    pub keys: BTreeMap<WitnessId, PrivateKey>,
    pub block_bytes_max: usize,
}

/// A sealed block on its way to the journal, with the tickets it settles.
pub(super) struct Sealed {
    block: SignedBlock,
    state_hash: [u8; 32],
    bytes: usize,
    sealed_at: Instant,
    settles: Vec<(Promise<Outcome>, TransactionId)>,
    outcome: BlockOutcome,
}

/// One block's worth of the writer's loop.
struct Building {
    bytes: usize,
    settles: Vec<(Promise<Outcome>, TransactionId)>,
}

pub(super) fn apply(
    mut chain: Chain,
    rx: Receiver<Verified>,
    tx: Sender<Sealed>,
    plan: ApplyPlan,
    head: Arc<RwLock<Head>>,
    counters: Arc<Counters>,
) -> (Chain, Option<String>) {
    let mut carry: Option<Verified> = None;
    let mut error = None;
    let mut deadline = Instant::now() + plan.interval;
    let mut items = 0u64;
    let mut disconnected = false;
    while !disconnected {
        let timestamp = chain.slot_time(1);
        let num = chain.head_num() + 1;
        // Cannot fail while this pipeline produces every slot (the LIB follows the head); if it
        // does, stop writing: what is queued is abandoned, and shutdown reports why.
        let mut open = match chain.open_block(timestamp) {
            Ok(open) => open,
            Err(e) => {
                error = Some(format!("cannot open block {num}: {e}"));
                break;
            }
        };
        let mut b = Building { bytes: 0, settles: Vec::new() };
        let mut push = |open: &mut engine::chain::OpenBlock<'_>, b: &mut Building, v: Verified| {
            items += 1;
            match open.push(&v.tx, Some(&v.keys)) {
                Ok(_) => {
                    b.bytes += v.size;
                    b.settles.push((v.promise, v.id));
                }
                Err(r) => v.promise.complete(Err(Refused::Rejected(r))),
            }
        };
        if let Some(v) = carry.take() {
            push(&mut open, &mut b, v);
        }
        loop {
            if carry.is_some() {
                // The block is full: what arrives waits in the queue for the next one.
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                break;
            }
            // recv_deadline hands out a waiting message even past the deadline: check first, or
            // a steady stream would keep the block open forever.
            if Instant::now() >= deadline {
                break;
            }
            match rx.recv_deadline(deadline) {
                Ok(v) if b.bytes + v.size > plan.block_bytes_max && !open.is_empty() => carry = Some(v),
                Ok(v) => push(&mut open, &mut b, v),
                Err(crossbeam::channel::RecvTimeoutError::Timeout) => break,
                Err(crossbeam::channel::RecvTimeoutError::Disconnected) => {
                    disconnected = true;
                    break;
                }
            }
        }
        if disconnected && open.is_empty() {
            break; // dropping the open block undoes it: no empty block at shutdown
        }
        let key = plan.keys.get(&open.witness());
        let (block, outcome) = open.seal(key);
        let sealed_at = Instant::now();
        *head.write().unwrap_or_else(|e| e.into_inner()) = Head::of(&chain);
        let sealed = Sealed {
            block,
            state_hash: chain.state.state_hash.0,
            bytes: b.bytes,
            sealed_at,
            settles: b.settles,
            outcome,
        };
        if tx.send(sealed).is_err() {
            break;
        }
        // Keep the cadence; after a stall, start counting again from now.
        deadline += plan.interval;
        if deadline < sealed_at {
            deadline = sealed_at + plan.interval;
        }
    }
    counters.apply_items.fetch_add(items, Ordering::Relaxed);
    add_cpu(&counters.apply_cpu_ns);
    (chain, error)
}

// ---- 3. journal: append, group fsync, confirm ----

pub(super) fn journal<S: Storage>(
    mut journal: Journal<S>,
    rx: Receiver<Sealed>,
    events: Sender<Arc<BlockOutcome>>,
    counters: Arc<Counters>,
) -> (Journal<S>, Vec<BlockRecord>, Option<String>) {
    let mut records = Vec::new();
    let mut failed: Option<String> = None;
    while let Ok(first) = rx.recv() {
        // Group commit: everything already sealed goes under one fdatasync.
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        if failed.is_none() {
            let written = batch.iter().try_for_each(|s| {
                let b = &s.block;
                journal.append(b.block_num(), &b.id().0, &s.state_hash, &b.to_bytes())
            });
            if let Err(e) = written.and_then(|()| journal.sync().map(|_| ())) {
                failed = Some(e.to_string());
            }
        }
        let durable_at = Instant::now();
        for s in batch {
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
                let _ = events.send(Arc::new(s.outcome));
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
    rx: Receiver<Arc<BlockOutcome>>,
    mut replica: Option<Replica>,
    subscribers: Subscribers,
    counters: Arc<Counters>,
) -> Option<(Reader, Result<(), ReplicaError>)> {
    let mut items = 0u64;
    let mut stopped = None;
    while let Ok(ev) = rx.recv() {
        items += 1;
        if replica.as_ref().is_some_and(|r| !r.feed(ChainEvent::Applied(ev.clone()))) {
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
