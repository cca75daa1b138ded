//! The confirmation hand-off: a one-shot slot between the stage that settles a transaction (the
//! verify stage for a bad signature, the apply stage for a rejection, the journal stage once the
//! block is durable) and the submitter waiting for it.
//!
//! [`channel`] returns a [`Promise`] (moved along the pipeline with the transaction) and a
//! [`Receiver`] (kept by the submitter). Invariants, checked by the loom model tests below
//! (`RUSTFLAGS="--cfg loom" cargo test -p engine --release --lib pipeline::confirm`):
//! - a receiver sees exactly one of: the value the promise was completed with, or `None` if the
//!   promise was dropped unsettled (a stage stopped, a queue was discarded): a submission is
//!   never silently lost and a waiter never hangs;
//! - `wait` returns as soon as the value is there, whichever thread runs first;
//! - polling (`try_take`) and waiting see the same single value.
//!
//! A mutex and a condition variable per transaction: both are uncontended (one settler, one
//! waiter), which costs tens of nanoseconds next to a 50 µs signature recovery, and keeps the
//! structure simple enough to model exhaustively.

#[cfg(loom)]
use loom::sync::{Arc, Condvar, Mutex};
#[cfg(not(loom))]
use std::sync::{Arc, Condvar, Mutex};

enum Slot<T> {
    Waiting,
    Settled(T),
    /// The value was handed to the receiver.
    Taken,
    /// The promise was dropped unsettled.
    Abandoned,
}

struct Shared<T> {
    slot: Mutex<Slot<T>>,
    ready: Condvar,
}

/// The settling side: complete it once, or drop it to abandon.
pub struct Promise<T> {
    shared: Option<Arc<Shared<T>>>,
}

/// The waiting side.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// A connected promise and receiver.
pub fn channel<T>() -> (Promise<T>, Receiver<T>) {
    let shared = Arc::new(Shared { slot: Mutex::new(Slot::Waiting), ready: Condvar::new() });
    (Promise { shared: Some(shared.clone()) }, Receiver { shared })
}

impl<T> Promise<T> {
    /// Hand `value` to the receiver and wake it.
    pub fn complete(mut self, value: T) {
        if let Some(shared) = self.shared.take() {
            settle(&shared, Slot::Settled(value));
        }
    }
}

fn settle<T>(shared: &Shared<T>, to: Slot<T>) {
    // A poisoned lock means a waiter panicked while holding it; the slot is still consistent
    // (every critical section is a single assignment), so carry on.
    let mut slot = shared.slot.lock().unwrap_or_else(|e| e.into_inner());
    if matches!(*slot, Slot::Waiting) {
        *slot = to;
    }
    drop(slot);
    shared.ready.notify_all();
}

impl<T> Drop for Promise<T> {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.take() {
            settle(&shared, Slot::Abandoned);
        }
    }
}

impl<T> Receiver<T> {
    /// Take the outcome if it is there: `Some(Some(v))` settled, `Some(None)` abandoned, `None`
    /// not yet (or already taken).
    pub fn try_take(&mut self) -> Option<Option<T>> {
        let mut slot = self.shared.slot.lock().unwrap_or_else(|e| e.into_inner());
        take(&mut slot)
    }

    /// Block until settled: the value, or `None` if the promise was abandoned.
    pub fn wait(self) -> Option<T> {
        let mut slot = self.shared.slot.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(v) = take(&mut slot) {
                return v;
            }
            slot = self.shared.ready.wait(slot).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// Block until settled or `timeout` passed (`None` then).
    #[cfg(not(loom))]
    pub fn wait_timeout(&mut self, timeout: std::time::Duration) -> Option<Option<T>> {
        let deadline = std::time::Instant::now() + timeout;
        let mut slot = self.shared.slot.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if let Some(v) = take(&mut slot) {
                return Some(v);
            }
            let left = deadline.checked_duration_since(std::time::Instant::now())?;
            slot = self.shared.ready.wait_timeout(slot, left).unwrap_or_else(|e| e.into_inner()).0;
        }
    }
}

fn take<T>(slot: &mut Slot<T>) -> Option<Option<T>> {
    match std::mem::replace(slot, Slot::Taken) {
        Slot::Settled(v) => Some(Some(v)),
        Slot::Abandoned => {
            *slot = Slot::Abandoned;
            Some(None)
        }
        Slot::Waiting => {
            *slot = Slot::Waiting;
            None
        }
        Slot::Taken => None,
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_completed_promise_hands_its_value_to_a_waiter_on_another_thread() {
        let (p, r) = channel::<u32>();
        let t = std::thread::spawn(move || r.wait());
        p.complete(7);
        assert_eq!(t.join().unwrap(), Some(7));
    }

    #[test]
    fn a_dropped_promise_wakes_its_waiter_with_none() {
        let (p, mut r) = channel::<u32>();
        assert_eq!(r.try_take(), None);
        drop(p);
        assert_eq!(r.try_take(), Some(None));
        assert_eq!(r.wait_timeout(Duration::from_millis(1)), Some(None));
    }

    #[test]
    fn the_value_is_taken_once() {
        let (p, mut r) = channel::<u32>();
        p.complete(3);
        assert_eq!(r.try_take(), Some(Some(3)));
        assert_eq!(r.try_take(), None);
        assert_eq!(r.wait_timeout(Duration::from_millis(1)), None);
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    use super::*;

    #[test]
    fn complete_races_wait() {
        loom::model(|| {
            let (p, r) = channel::<u32>();
            let t = loom::thread::spawn(move || p.complete(5));
            assert_eq!(r.wait(), Some(5));
            t.join().unwrap();
        });
    }

    #[test]
    fn drop_races_wait() {
        loom::model(|| {
            let (p, r) = channel::<u32>();
            let t = loom::thread::spawn(move || drop(p));
            assert_eq!(r.wait(), None);
            t.join().unwrap();
        });
    }

    #[test]
    fn polling_sees_nothing_or_the_one_value() {
        loom::model(|| {
            let (p, mut r) = channel::<u32>();
            let t = loom::thread::spawn(move || p.complete(9));
            let early = r.try_take();
            t.join().unwrap();
            match early {
                Some(v) => {
                    assert_eq!(v, Some(9));
                    assert_eq!(r.try_take(), None);
                }
                None => assert_eq!(r.try_take(), Some(Some(9))),
            }
        });
    }

    #[test]
    fn a_promise_moved_through_a_second_thread_still_settles_once() {
        loom::model(|| {
            let (p, r) = channel::<u32>();
            let (p2, r2) = channel::<Promise<u32>>();
            // Stage hand-off: one thread passes the promise on, the next completes it.
            let a = loom::thread::spawn(move || p2.complete(p));
            let b = loom::thread::spawn(move || {
                if let Some(p) = r2.wait() {
                    p.complete(1);
                }
            });
            assert_eq!(r.wait(), Some(1));
            a.join().unwrap();
            b.join().unwrap();
        });
    }
}
