//! Stage 2, the single writer: the only thread that changes the chain. It owns the
//! [`ForkChoice`] (the chain and its fork database) and takes, in arrival order, verified
//! transactions and verified blocks from stage 1; production is decided by
//! [`consensus::BlockProducer`] alone.
//!
//! # Production
//!
//! While one of our witnesses is scheduled in an upcoming slot, a block for that slot is open
//! and every arriving transaction is applied straight into it (the open block *is* the pending
//! state: each transaction is applied once). At the slot's time the producer decides
//! ([`BlockProducer::decide`]); if the slot is ours the block is sealed, signed and handed to the
//! journal, otherwise it is abandoned (undone) and its transactions go into the next one.
//!
//! Time comes from a [`Pacing`]: the wall clock (a witness node), or a simulated clock that jumps
//! to our next slot every `interval` of wall time (benchmarks and `--fast`: the chain's slots
//! then run ahead of the wall clock, every other rule unchanged).
//!
//! # Blocks from elsewhere
//!
//! A verified block abandons the open block, goes through [`ForkChoice`] (extend, side branch
//! or switch), and its events go downstream in order: every popped block as a `Revert` (the
//! journal truncates its reversible tail to the fork point before appending the new branch),
//! then every applied block. The abandoned block's transactions are re-applied on the new head.
//!
//! Never: blocks on anything but its input queue, a full journal queue (back-pressure) and, every
//! `SnapshotPolicy::every` blocks, the journal's sync of the block it snapshots (then it writes
//! the snapshot file itself); reads state from another thread.

use super::confirm::Promise;
use super::stages::add_cpu;
use super::{BlockFate, Counters, Head, Outcome, Pacing, Refused, Verified};
use crate::log_targets;
use consensus::producer::{BlockProducer, SlotDecision};
use consensus::{ForkChoice, PushOutcome};
use crossbeam::channel::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use engine::{BlockOutcome, VerifiedBlock};
use ledger::block::SignedBlock;
use ledger::time::TimePointSec;
use ledger::transaction::TransactionId;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A block from elsewhere, after stage 1.
pub(super) struct BlockInput {
    pub block: SignedBlock,
    pub verified: VerifiedBlock,
    pub promise: Promise<BlockFate>,
}

/// What the writer takes.
pub(super) enum Input {
    Tx(Verified),
    Block(Box<BlockInput>),
}

/// What the writer hands the journal, in chain order.
pub(super) enum ToJournal {
    /// Append, make durable, then confirm and publish.
    Block(Box<Sealed>),
    /// A popped block: cut the journal back to `head_num` (durably), then publish.
    Revert(Arc<engine::Reverted>),
}

/// A block on its way to the journal, with the tickets it settles.
pub(super) struct Sealed {
    pub block: Arc<SignedBlock>,
    pub state_hash: [u8; 32],
    pub bytes: usize,
    pub sealed_at: Instant,
    pub settles: Vec<(Promise<Outcome>, TransactionId)>,
    pub outcome: Arc<BlockOutcome>,
}

pub(super) struct Plan {
    pub pacing: Pacing,
    pub producer: BlockProducer,
    pub block_bytes_max: usize,
    pub max_blocks: Option<u64>,
    pub snapshots: Option<super::SnapshotPolicy>,
}

/// Shared with the pipeline handle.
pub(super) struct Shared {
    pub head: Arc<RwLock<Head>>,
    pub counters: Arc<Counters>,
    /// Highest block the journal made durable (snapshots wait for it).
    pub durable: Arc<AtomicU32>,
    /// Set by the journal stage when it failed: nothing will become durable any more.
    pub journal_failed: Arc<AtomicBool>,
    /// Set when the writer has stopped (max blocks produced, or an error).
    pub finished: Arc<AtomicBool>,
}

/// How long an idle writer waits before it looks at the clock again (wall-clock pacing).
const WALL_POLL: Duration = Duration::from_millis(50);

fn wall_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

struct Writer {
    fc: ForkChoice,
    plan: Plan,
    out: Sender<ToJournal>,
    shared: Shared,
    /// Transactions waiting for a block (carried over from a full or abandoned block).
    waiting: VecDeque<Verified>,
    produced: u64,
    items: u64,
    /// Wall deadline of the next simulated slot (interval pacing).
    next_tick: Instant,
    last_refusal: Option<std::mem::Discriminant<SlotDecision>>,
    error: Option<String>,
}

/// How one open block ended.
enum Ended {
    Sealed,
    /// Not produced (not our slot after all, or an outside block came first); its transactions
    /// are back in `waiting`.
    Abandoned,
    /// The input queue closed (shutdown).
    Closed,
}

pub(super) fn run(
    fc: ForkChoice,
    rx: Receiver<Input>,
    out: Sender<ToJournal>,
    plan: Plan,
    shared: Shared,
) -> (ForkChoice, Option<String>) {
    let next_tick = Instant::now() + plan.pacing.interval();
    let mut w = Writer {
        fc,
        plan,
        out,
        shared,
        waiting: VecDeque::new(),
        produced: 0,
        items: 0,
        next_tick,
        last_refusal: None,
        error: None,
    };
    w.main_loop(&rx);
    w.shared.counters.apply_items.fetch_add(w.items, Ordering::Relaxed);
    add_cpu(&w.shared.counters.apply_cpu_ns);
    w.shared.finished.store(true, Ordering::Release);
    // Tickets still waiting are settled by being dropped: `Abandoned`.
    (w.fc, w.error)
}

impl Writer {
    fn main_loop(&mut self, rx: &Receiver<Input>) {
        loop {
            if self.error.is_some() || self.plan.max_blocks.is_some_and(|m| self.produced >= m) {
                return;
            }
            let ended = match self.candidate_slot() {
                Some(time) => self.build(rx, time),
                None => self.idle(rx),
            };
            if matches!(ended, Ended::Closed) {
                return;
            }
        }
    }

    /// The time of the slot we would produce next, if one of ours is upcoming.
    fn candidate_slot(&self) -> Option<TimePointSec> {
        let chain = self.fc.chain();
        match self.plan.pacing {
            Pacing::Interval(_) => self.plan.producer.next_own_slot(chain).map(|n| chain.slot_time(n)),
            Pacing::WallClock => {
                // The first slot of ours that can still be produced: its time no more than the
                // producer's lag before now (a slot already begun counts while it may still be
                // produced; an older one would be refused as late, and waiting for it would spin).
                let now_ms = wall_ms();
                let now = TimePointSec(u32::try_from(now_ms / 1000).unwrap_or(u32::MAX));
                let first = chain.slot_at_time(now).max(1);
                let active = chain.state.gpo().active_witnesses.len() as u32;
                (first..first.saturating_add(active.max(1) * 2 + 1))
                    .filter(|n| u64::from(chain.slot_time(*n).0) * 1000 + consensus::producer::MAX_LAG_MS >= now_ms)
                    .find(|n| self.plan.producer.signing_key(chain.scheduled_witness(*n)).is_some())
                    .map(|n| chain.slot_time(n))
            }
        }
    }

    /// No slot of ours ahead: take blocks, park transactions, look again soon.
    fn idle(&mut self, rx: &Receiver<Input>) -> Ended {
        match rx.recv_timeout(WALL_POLL) {
            Ok(Input::Tx(v)) => self.waiting.push_back(v),
            Ok(Input::Block(b)) => self.outside_block(*b),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ended::Closed,
        }
        Ended::Abandoned
    }

    /// When to decide on the slot at `time`, on the wall clock.
    fn deadline(&self, time: TimePointSec) -> Instant {
        match self.plan.pacing {
            Pacing::Interval(_) => self.next_tick,
            Pacing::WallClock => {
                let at_ms = u64::from(time.0) * 1000;
                Instant::now() + Duration::from_millis(at_ms.saturating_sub(wall_ms()))
            }
        }
    }

    /// Open the block of the slot at `time`, apply arriving transactions into it, and at the
    /// slot's time let the producer decide.
    fn build(&mut self, rx: &Receiver<Input>, time: TimePointSec) -> Ended {
        let deadline = self.deadline(time);
        let block_bytes_max = self.plan.block_bytes_max;
        let mut open = match self.fc.open_block(time) {
            Ok(open) => open,
            Err(e) => {
                self.error = Some(format!("cannot open the block at {time}: {e}"));
                return Ended::Closed;
            }
        };
        let mut bytes = 0usize;
        let mut kept: Vec<Verified> = Vec::new();
        let mut items = 0u64;
        let mut push =
            |open: &mut engine::chain::OpenBlock<'_>, kept: &mut Vec<Verified>, bytes: &mut usize, v: Verified| {
                items += 1;
                match open.push(&v.tx, Some(&v.keys)) {
                    Ok(_) => {
                        *bytes += v.size;
                        kept.push(v);
                    }
                    Err(r) => v.promise.complete(Err(Refused::Rejected(r))),
                }
            };
        let mut full = false;
        while let Some(v) = self.waiting.pop_front() {
            if bytes + v.size > block_bytes_max && !open.is_empty() {
                self.waiting.push_front(v);
                full = true;
                break;
            }
            push(&mut open, &mut kept, &mut bytes, v);
        }
        let mut outside = None;
        let mut closed = false;
        let mut taken = 0u32;
        loop {
            if full {
                std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                break;
            }
            // What is already queued goes in even at a deadline that has passed (a `--fast` node
            // decides at once), but the clock is looked at every 64 transactions, or a steady
            // stream would keep the block open forever.
            taken += 1;
            if taken.is_multiple_of(64) && Instant::now() >= deadline {
                break;
            }
            let next = match rx.try_recv() {
                Ok(input) => Ok(input),
                Err(TryRecvError::Disconnected) => Err(RecvTimeoutError::Disconnected),
                Err(TryRecvError::Empty) if Instant::now() >= deadline => break,
                Err(TryRecvError::Empty) => rx.recv_deadline(deadline),
            };
            match next {
                Ok(Input::Tx(v)) if bytes + v.size > block_bytes_max && !open.is_empty() => {
                    self.waiting.push_back(v);
                    full = true;
                }
                Ok(Input::Tx(v)) => push(&mut open, &mut kept, &mut bytes, v),
                Ok(Input::Block(b)) => {
                    outside = Some(b);
                    break;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => {
                    closed = true;
                    break;
                }
            }
        }
        self.items += items;
        if let Some(b) = outside {
            drop(open); // undone: the outside block goes first
            self.requeue(kept);
            self.outside_block(*b);
            return Ended::Abandoned;
        }
        if closed && open.is_empty() {
            return Ended::Closed; // dropping the open block undoes it: no empty block at shutdown
        }
        // The producer decides, at the slot's time (simulated or real).
        let now_ms = match self.plan.pacing {
            Pacing::Interval(_) => u64::from(time.0) * 1000,
            Pacing::WallClock => wall_ms(),
        };
        let decision = self.plan.producer.decide(open.chain(), now_ms);
        let witness = match decision {
            SlotDecision::Produce { time: t, witness, .. } if t == time => witness,
            other => {
                drop(open);
                self.requeue(kept);
                self.say_refusal(other);
                if matches!(self.plan.pacing, Pacing::Interval(_)) {
                    self.next_tick += self.plan.pacing.interval();
                }
                return if closed { Ended::Closed } else { Ended::Abandoned };
            }
        };
        let key = self.plan.producer.signing_key(witness).copied();
        let (block, outcome) = open.seal(key.as_ref());
        self.sealed(block, outcome, kept, bytes);
        if closed {
            Ended::Closed
        } else {
            Ended::Sealed
        }
    }

    /// Say once why a node with witnesses is not producing (the waits are not worth a line).
    fn say_refusal(&mut self, decision: SlotDecision) {
        if matches!(
            decision,
            SlotDecision::NotTimeYet { .. } | SlotDecision::NotMyTurn { .. } | SlotDecision::Lag { .. }
        ) {
            return;
        }
        let kind = std::mem::discriminant(&decision);
        if self.last_refusal != Some(kind) {
            self.last_refusal = Some(kind);
            let reason = describe(&decision);
            tracing::warn!(target: log_targets::WRITER, reason = %reason, "not producing: {reason}");
        }
    }

    /// Transactions of an abandoned block wait for the next one, in their order, ahead of
    /// anything that arrived later.
    fn requeue(&mut self, kept: Vec<Verified>) {
        for v in kept.into_iter().rev() {
            self.waiting.push_front(v);
        }
    }

    /// A block we produced: record it, publish the head, hand it to the journal.
    fn sealed(&mut self, block: Arc<SignedBlock>, outcome: BlockOutcome, kept: Vec<Verified>, bytes: usize) {
        if let Err(e) = self.fc.record_produced(&block) {
            self.error = Some(format!("produced block {} is not the head: {e}", block.block_num()));
            return;
        }
        self.produced += 1;
        let chain = self.fc.chain();
        let num = block.block_num();
        let (witness, txs, lib, id) =
            (block.signed_header.header.witness, block.transactions.len(), chain.lib_num(), block.id());
        tracing::info!(
            target: log_targets::WRITER,
            block_num = num,
            %witness,
            txs,
            lib,
            block_id = %id,
            "block {num} {witness} txs={txs} lib={lib} hash={id}"
        );
        let settles = kept.into_iter().map(|v| (v.promise, v.id)).collect();
        self.publish_head();
        let sealed_at = Instant::now();
        let sealed = Sealed {
            state_hash: chain.state.state_hash.0,
            block,
            bytes,
            sealed_at,
            settles,
            outcome: Arc::new(outcome),
        };
        if self.out.send(ToJournal::Block(Box::new(sealed))).is_err() {
            self.error = Some("the journal stage stopped".into());
            return;
        }
        if let Pacing::Interval(interval) = self.plan.pacing {
            // Keep the cadence; after a stall, start counting again from now.
            self.next_tick += interval;
            if self.next_tick < sealed_at {
                self.next_tick = sealed_at + interval;
            }
        }
        self.maybe_snapshot(num);
    }

    fn publish_head(&self) {
        *self.shared.head.write().unwrap_or_else(|e| e.into_inner()) = Head::of(self.fc.chain());
    }

    /// A snapshot every `every` blocks, written once the journal holds the block durably (a
    /// snapshot never names a block that is not on disk).
    fn maybe_snapshot(&mut self, num: u32) {
        let Some(policy) = &self.plan.snapshots else { return };
        if policy.every == 0 || !num.is_multiple_of(policy.every) {
            return;
        }
        while self.shared.durable.load(Ordering::Acquire) < num {
            if self.shared.journal_failed.load(Ordering::Acquire) {
                tracing::warn!(
                    target: log_targets::SNAPSHOT,
                    block_num = num,
                    "snapshot {num} skipped: the journal failed before the block was durable"
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let started = Instant::now();
        match crate::snapshots::write(&policy.dir, &self.fc.chain().state) {
            Ok((path, bytes)) => crate::snapshots::log_written(num, &path, bytes, started.elapsed()),
            Err(e) => tracing::error!(
                target: log_targets::SNAPSHOT,
                block_num = num,
                dir = %policy.dir.display(),
                error = %e,
                "snapshot {num} failed in {}: {e}",
                policy.dir.display()
            ),
        }
    }

    /// A block from elsewhere through fork choice; its events (and any fork switch's) go to the
    /// journal stage in chain order.
    fn outside_block(&mut self, b: BlockInput) {
        let BlockInput { block, verified, promise } = b;
        let num = block.block_num();
        let result = self.fc.push_block_verified(block, Some(&verified));
        let fate = match result {
            Ok(PushOutcome::SideBranch) => Ok(BlockAccepted::SideBranch),
            Ok(PushOutcome::Extended(outcome)) => {
                self.forward_applied(*outcome);
                Ok(BlockAccepted::Applied { head: num })
            }
            Ok(PushOutcome::Switched { reverted, applied }) => {
                let (popped, pushed) = (reverted.len() as u32, applied.len() as u32);
                for r in reverted {
                    let _ = self.out.send(ToJournal::Revert(Arc::new(r)));
                }
                for o in applied {
                    self.forward_applied(o);
                }
                let head = self.fc.chain().head_num();
                tracing::info!(
                    target: log_targets::WRITER,
                    popped,
                    applied = pushed,
                    block_num = head,
                    "fork switch popped={popped} applied={pushed} head={head}"
                );
                Ok(BlockAccepted::Switched { popped, applied: pushed })
            }
            Err(e) => Err(e.to_string()),
        };
        self.publish_head();
        promise.complete(fate);
    }

    fn forward_applied(&mut self, outcome: BlockOutcome) {
        let num = outcome.block_num;
        // The block is the fork database's (shared, not copied); the journal needs its bytes.
        let Some(block) = self.fc.fork_db().get(&outcome.block_id).and_then(|i| i.block.clone()) else {
            self.error = Some(format!("applied block {num} is missing from the fork database"));
            return;
        };
        let sealed = Sealed {
            state_hash: outcome.state_hash.0,
            bytes: 0,
            sealed_at: Instant::now(),
            settles: Vec::new(),
            outcome: Arc::new(outcome),
            block,
        };
        if self.out.send(ToJournal::Block(Box::new(sealed))).is_err() {
            self.error = Some("the journal stage stopped".into());
        }
    }
}

/// What happened to a block submitted from elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockAccepted {
    /// It extended the head (now `head`).
    Applied { head: u32 },
    /// Kept on a branch no longer than ours.
    SideBranch,
    /// Our chain switched to its branch.
    Switched { popped: u32, applied: u32 },
}

/// A refusal to produce as a sentence naming the flag that changes it, for the operator's log.
fn describe(decision: &SlotDecision) -> String {
    match decision {
        SlotDecision::NotSynced { next_slot, now } => format!(
            "the head is behind (next slot {next_slot}, now {now}) and stale production is off \
             (--enable-stale-production produces anyway)"
        ),
        SlotDecision::NoPrivateKey { witness } => {
            format!("no --private-key matches the current signing key of witness {witness}")
        }
        SlotDecision::LowParticipation { participation, required } => format!(
            "participation of the last 128 slots is {}.{:02} %, below the required {}.{:02} % \
             (--required-participation)",
            participation / 100,
            participation % 100,
            required / 100,
            required % 100
        ),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_low_participation_refusal_is_a_sentence_naming_the_flag() {
        let text = describe(&SlotDecision::LowParticipation { participation: 3_125, required: 3_300 });
        assert_eq!(
            text,
            "participation of the last 128 slots is 31.25 %, below the required 33.00 % (--required-participation)"
        );
    }
}
