//! The read replica (DESIGN.md "Reads"): a copy of the chain state that queries read while the
//! writer goes on applying blocks. The writer never waits for a reader and a reader never sees a
//! half-applied block.
//!
//! How: the writer's chain captures each block's changed objects by value (the bytes its state
//! hash already packs, [`engine::BlockOutcome::changes`]), and a popped block's restored objects
//! ([`engine::Reverted::changes`]). The replica thread applies them to its own [`State`] under a
//! write lock held only for that block's changes; readers take the read lock. Lock waits are
//! between the replica thread and readers only: the writer hands over an `Arc` through a channel
//! and moves on. The same change stream could feed a replica in another process.
//!
//! Invariant: after the replica has applied block N, its state equals the writer's state after
//! block N object for object (tested after every block of a scenario), and its head is block N.

use engine::{BlockOutcome, Reverted, State};
use ledger::block::BlockId;
use ledger::graph::{ObjectChanges, StateHash};
use ledger::ids::AccountId;
use std::collections::BTreeMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::thread::JoinHandle;

/// What the replica is fed, in chain order.
#[derive(Clone, Debug)]
pub enum ChainEvent {
    Applied(Arc<BlockOutcome>),
    Reverted(Arc<Reverted>),
}

/// The replica's copy and the head it reflects, with the indexes only readers need (the
/// writer's state keeps none of them).
pub struct ReplicaState {
    pub state: State,
    /// Account names in order (bitshares-core's `lookup_accounts`: a prefix or lower bound is a
    /// range, not a sort); kept from the changed 1.2.x objects of each event.
    names: BTreeMap<String, AccountId>,
    pub head_num: u32,
    pub head_id: BlockId,
    pub state_hash: StateHash,
    /// Blocks applied and popped since the replica started.
    pub applied: u64,
    pub reverted: u64,
}

/// Why the replica stopped following the chain.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ReplicaError {
    #[error("the replica cannot apply block {block_num}'s changes: {source}")]
    Changes { block_num: u32, source: engine::state::ChangeError },
    #[error("the replica is at block {head}, but the next event is block {block_num}")]
    OutOfOrder { head: u32, block_num: u32 },
}

/// A cheap clonable handle for query threads.
#[derive(Clone)]
pub struct Reader {
    shared: Arc<RwLock<ReplicaState>>,
}

impl Reader {
    /// Read the replica as of one whole block.
    pub fn read(&self) -> RwLockReadGuard<'_, ReplicaState> {
        self.shared.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// The running replica: a feeder for the writer's side, readers for queries.
pub struct Replica {
    feed: SyncSender<ChainEvent>,
    reader: Reader,
    thread: JoinHandle<Result<(), ReplicaError>>,
}

impl Replica {
    /// Start from `state` (a copy of the writer's state at its head, e.g. read back from a
    /// snapshot); `queue` events may wait before [`Replica::feed`] blocks.
    pub fn start(state: State, queue: usize) -> Replica {
        let dgp = state.dgp();
        let shared = Arc::new(RwLock::new(ReplicaState {
            head_num: dgp.head_block_number,
            head_id: dgp.head_block_id,
            state_hash: state.state_hash,
            names: state.accounts.iter().map(|(i, a)| (a.name.clone(), AccountId(i))).collect(),
            state,
            applied: 0,
            reverted: 0,
        }));
        let (feed, rx) = sync_channel(queue.max(1));
        let for_thread = shared.clone();
        let thread = std::thread::Builder::new()
            .name("replica".into())
            .spawn(move || follow(rx, &for_thread))
            .expect("spawning the replica thread");
        Replica { feed, reader: Reader { shared }, thread }
    }

    /// Copy the writer's state (through the snapshot encoding, as a remote replica would get it)
    /// and start from it.
    pub fn start_from(writer_state: &State, queue: usize) -> Result<Replica, engine::snapshot::SnapshotError> {
        let (_, state) = engine::snapshot::read(&engine::snapshot::write(writer_state))?;
        Ok(Replica::start(state, queue))
    }

    /// The sending side, for the stage that hands events over (it may block while the replica
    /// is `queue` events behind: that is the back-pressure).
    pub fn feeder(&self) -> SyncSender<ChainEvent> {
        self.feed.clone()
    }

    /// Hand over one event; `false` if the replica has stopped (see [`Replica::stop`]).
    pub fn feed(&self, event: ChainEvent) -> bool {
        self.feed.send(event).is_ok()
    }

    pub fn reader(&self) -> Reader {
        self.reader.clone()
    }

    /// Wait until every event fed so far is applied, and return the reader and why the replica
    /// stopped early, if it did.
    pub fn stop(self) -> (Reader, Result<(), ReplicaError>) {
        let Replica { feed, reader, thread } = self;
        drop(feed);
        let result = thread.join().unwrap_or_else(|_| panic!("the replica thread panicked"));
        (reader, result)
    }
}

fn follow(rx: Receiver<ChainEvent>, shared: &RwLock<ReplicaState>) -> Result<(), ReplicaError> {
    for event in rx.iter() {
        let mut r = shared.write().unwrap_or_else(|e| e.into_inner());
        apply_event(&mut r, &event)?;
    }
    Ok(())
}

impl ReplicaState {
    /// Up to `limit` accounts whose names are at or after `lower_bound`, in name order (the
    /// shape of bitshares-core's `lookup_accounts`; a prefix search is `lower_bound = prefix`,
    /// stopping at the first name that does not start with it).
    pub fn lookup_accounts(&self, lower_bound: &str, limit: usize) -> Vec<(&str, AccountId)> {
        self.names.range(lower_bound.to_string()..).take(limit).map(|(n, id)| (n.as_str(), *id)).collect()
    }

    /// Apply `changes` and keep the name index: the changed accounts' old names leave it, their
    /// new ones (if they still exist) enter it.
    fn apply(&mut self, changes: &ObjectChanges, block_num: u32) -> Result<(), ReplicaError> {
        let accounts: Vec<u64> = changes
            .iter()
            .filter_map(Result::ok)
            .filter(|c| (c.space, c.type_id) == self.state.accounts.object_type())
            .map(|c| c.instance)
            .collect();
        let old: Vec<String> =
            accounts.iter().filter_map(|i| self.state.accounts.get(*i).map(|a| a.name.clone())).collect();
        self.state.apply_changes(changes).map_err(|source| ReplicaError::Changes { block_num, source })?;
        for name in old {
            self.names.remove(&name);
        }
        for i in accounts {
            if let Some(a) = self.state.accounts.get(i) {
                self.names.insert(a.name.clone(), AccountId(i));
            }
        }
        Ok(())
    }
}

/// Apply one event to a replica's copy (also usable without the thread, e.g. in a test or a
/// replica in another process).
pub fn apply_event(r: &mut ReplicaState, event: &ChainEvent) -> Result<(), ReplicaError> {
    match event {
        ChainEvent::Applied(o) => {
            if o.block_num != r.head_num + 1 {
                return Err(ReplicaError::OutOfOrder { head: r.head_num, block_num: o.block_num });
            }
            r.apply(&o.changes, o.block_num)?;
            (r.head_num, r.head_id, r.state_hash) = (o.block_num, o.block_id, o.state_hash);
            r.state.state_hash = o.state_hash;
            r.applied += 1;
        }
        ChainEvent::Reverted(rv) => {
            let block_num = rv.block.block_num();
            if block_num != r.head_num {
                return Err(ReplicaError::OutOfOrder { head: r.head_num, block_num });
            }
            r.apply(&rv.changes, block_num)?;
            (r.head_num, r.head_id, r.state_hash) = (rv.head_num, rv.head_id, rv.state_hash);
            r.state.state_hash = rv.state_hash;
            r.reverted += 1;
        }
    }
    Ok(())
}
