//! The production loop of a witness node (PROTOCOL.md §2.10, §10.5): at each slot whose
//! scheduled witness is one of ours, build a block from the pool, sign it, append it to the
//! journal with its id and state hash, sync (one fdatasync per block: group commit), then report
//! it. The wall clock is read here and nowhere below.
//!
//! Output lines on stdout, one per event (tests parse them):
//! `block N WITNESS txs=T lib=L hash=BLOCK_ID`, then `durable N` once the sync returned, and
//! `snapshot N PATH BYTES` after a snapshot. Never reports a block durable before its sync.

use crate::pool::Pool;
use crate::{snapshots, NodeError};
use consensus::producer::{BlockProducer, SlotDecision};
use engine::Chain;
use journal::Journal;
use ledger::crypto::PrivateKey;
use ledger::ids::WitnessId;
use ledger::transaction::SignedTransaction;
use ledger::Pack;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub struct Producer {
    pub data_dir: PathBuf,
    pub keys: BTreeMap<WitnessId, PrivateKey>,
    /// The slot rules of wall-clock production (sync, participation, 500 ms lag).
    pub schedule: BlockProducer,
    /// Write a snapshot after every block whose number is a multiple of this (0: never).
    pub snapshot_every: u32,
    /// Produce each next slot of ours at once instead of waiting for its wall-clock time.
    pub fast: bool,
    /// Stop after producing this many blocks.
    pub max_blocks: Option<u64>,
    /// Set by SIGINT/SIGTERM/SIGHUP: finish the current block and stop.
    pub stop: Arc<AtomicBool>,
    pub incoming: Option<Receiver<SignedTransaction>>,
    pub pool: Pool,
    pub last_refusal: Option<std::mem::Discriminant<SlotDecision>>,
}

fn say(out: &mut impl Write, line: std::fmt::Arguments<'_>) {
    // A closed stdout must not stop block production; the journal is the record.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

impl Producer {
    /// Run until stopped or `max_blocks` produced; then sync and write a snapshot of the head.
    pub fn run(&mut self, chain: &mut Chain, journal: &mut Journal, out: &mut impl Write) -> Result<u64, NodeError> {
        let mut produced = 0u64;
        let mut last_snapshot = None;
        while !self.stop.load(Ordering::SeqCst) && self.max_blocks.is_none_or(|m| produced < m) {
            self.drain_incoming(chain);
            let Some(slot) = self.next_slot(chain)? else { continue };
            self.produce(chain, journal, slot, out)?;
            produced += 1;
            let num = chain.head_num();
            if self.snapshot_every > 0 && num.is_multiple_of(self.snapshot_every) {
                self.snapshot(chain, out)?;
                last_snapshot = Some(num);
            }
        }
        self.pool.discard_session(chain);
        journal.sync()?;
        if chain.head_num() > 0 && last_snapshot != Some(chain.head_num()) {
            self.snapshot(chain, out)?;
        }
        say(out, format_args!("stopped head={} state_hash={}", chain.head_num(), chain.state.state_hash));
        Ok(produced)
    }

    fn drain_incoming(&mut self, chain: &mut Chain) {
        let Some(rx) = &self.incoming else { return };
        while let Ok(tx) = rx.try_recv() {
            let id = tx.id();
            if let Err(r) = self.pool.push(chain, tx) {
                eprintln!("rejected transaction {id}: {r}");
            }
        }
    }

    /// The slot to produce now, or `None` after waiting a little (not our turn yet).
    fn next_slot(&mut self, chain: &Chain) -> Result<Option<u32>, NodeError> {
        if self.fast {
            let active = chain.state.gpo().active_witnesses.len() as u32;
            return (1..=active.max(1) * 2)
                .find(|n| self.keys.contains_key(&chain.scheduled_witness(*n)))
                .map(Some)
                .ok_or_else(|| NodeError::Setup("none of our witnesses is in the schedule".into()));
        }
        let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
        match self.schedule.decide(chain, now_ms) {
            SlotDecision::Produce { slot, .. } => return Ok(Some(slot)),
            SlotDecision::NotTimeYet { .. } | SlotDecision::NotMyTurn { .. } | SlotDecision::Lag { .. } => {}
            other => {
                // Say once why a node with witnesses is not producing.
                let kind = std::mem::discriminant(&other);
                if self.last_refusal != Some(kind) {
                    eprintln!("not producing: {}", refusal_text(&other));
                    self.last_refusal = Some(kind);
                }
            }
        }
        // Wait in short steps so a slot is not missed and a stop request is seen quickly.
        std::thread::sleep(Duration::from_millis(50));
        Ok(None)
    }

    fn produce(
        &mut self,
        chain: &mut Chain,
        journal: &mut Journal,
        slot: u32,
        out: &mut impl Write,
    ) -> Result<(), NodeError> {
        let timestamp = chain.slot_time(slot);
        let witness = chain.scheduled_witness(slot);
        let key = self.keys.get(&witness).expect("next_slot picked one of our witnesses");
        // Leave room for the block header and the per-transaction framing.
        let max = chain.state.gpo().parameters.maximum_block_size as usize;
        let txs = self.pool.take(chain, max.saturating_sub(max / 10));
        let engine::Produced { block, results, .. } = chain
            .produce_block(timestamp, &txs, Some(key))
            .map_err(|e| NodeError::BadBlock { block_num: chain.head_num() + 1, detail: e.to_string() })?;
        for (tx, outcome) in txs.iter().zip(&results) {
            if let Err(r) = outcome {
                eprintln!("transaction {} left out of block {}: {r}", tx.id(), block.block_num());
            }
        }
        let num = block.block_num();
        let id = block.id();
        journal.append(num, &id.0, &chain.state.state_hash.0, &block.to_bytes())?;
        let lib = chain.state.dgp().last_irreversible_block_num;
        say(out, format_args!("block {num} {witness} txs={} lib={lib} hash={id}", block.transactions.len()));
        let durable = journal.sync()?;
        say(out, format_args!("durable {durable}"));
        self.pool.repush(chain);
        Ok(())
    }

    fn snapshot(&mut self, chain: &mut Chain, out: &mut impl Write) -> Result<(), NodeError> {
        self.pool.discard_session(chain);
        let started = std::time::Instant::now();
        let (path, bytes) = snapshots::write(&self.data_dir, &chain.state)
            .map_err(|source| NodeError::Snapshot { dir: self.data_dir.clone(), source })?;
        self.pool.repush(chain);
        say(
            out,
            format_args!(
                "snapshot {} {} bytes={bytes} ms={}",
                chain.head_num(),
                path.display(),
                started.elapsed().as_millis()
            ),
        );
        Ok(())
    }
}

/// Why a node with witnesses is not producing, in words and with the flag that changes it.
fn refusal_text(decision: &SlotDecision) -> String {
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
        let text = refusal_text(&SlotDecision::LowParticipation { participation: 3_125, required: 3_300 });
        assert_eq!(
            text,
            "participation of the last 128 slots is 31.25 %, below the required 33.00 % (--required-participation)"
        );
    }
}
