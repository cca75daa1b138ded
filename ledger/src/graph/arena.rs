//! [`Arena`]: the dense typed store of one object type, with its undo log and changed-set.
//!
//! Layout: one `Slot` per instance ever assigned (`slots.len() >= next`), holding the object (or a
//! hole) and a `meta` word: `stamp << 1 | changed`. `stamp` is the serial of the last undo frame
//! that recorded the slot; serials start at 1 and only grow, and `current_serial` is the top open
//! frame's serial (0 when none or when undo is disabled), so "first touch in this frame" is one
//! comparison. `changed` says the instance is in the changed-set for the state hash; every slot
//! whose bit is set is listed in `changed` (which may also hold stale or duplicate entries: the
//! bit is the truth).
//!
//! Slots live in [`Slots`]: chunks of doubling size (16, 32, 64, … slots) that never move once
//! allocated, so an arena that grows to millions of objects never copies them (a `Vec` would
//! reallocate and copy every object on each doubling) and an instance is found with one
//! `leading_zeros` and two indexes.

use super::changes::write_record;
use super::{Index, Object, Undoable};
use crate::ids::{ObjectId, INSTANCE_MAX};

const CHANGED: u64 = 1;

struct Slot<T> {
    meta: u64,
    value: Option<T>,
}

/// log2 of the first chunk's length.
const FIRST_BITS: u32 = 4;
const FIRST: usize = 1 << FIRST_BITS;

/// The slot vector, in chunks of doubling size that never move (see the module doc).
struct Slots<T> {
    chunks: Vec<Vec<Slot<T>>>,
    len: usize,
}

impl<T> Slots<T> {
    fn with_capacity(capacity: usize) -> Self {
        let mut s = Slots { chunks: Vec::new(), len: 0 };
        while s.capacity() < capacity {
            s.add_chunk();
        }
        s
    }

    fn capacity(&self) -> usize {
        FIRST * ((1 << self.chunks.len()) - 1)
    }

    fn add_chunk(&mut self) {
        let size = FIRST << self.chunks.len();
        self.chunks.push(Vec::with_capacity(size));
    }

    /// Chunk and offset of slot `i`: chunk k holds slots `FIRST·(2^k − 1) .. FIRST·(2^(k+1) − 1)`.
    #[inline(always)]
    fn locate(i: usize) -> (usize, usize) {
        let idx = i + FIRST;
        let high = usize::BITS - 1 - idx.leading_zeros();
        ((high - FIRST_BITS) as usize, idx - (1 << high))
    }

    #[inline]
    fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn get(&self, i: usize) -> Option<&Slot<T>> {
        if i >= self.len {
            return None;
        }
        let (c, o) = Self::locate(i);
        self.chunks.get(c)?.get(o)
    }

    #[inline]
    fn get_mut(&mut self, i: usize) -> Option<&mut Slot<T>> {
        if i >= self.len {
            return None;
        }
        let (c, o) = Self::locate(i);
        self.chunks.get_mut(c)?.get_mut(o)
    }

    fn push(&mut self, slot: Slot<T>) {
        if self.len == self.capacity() {
            self.add_chunk();
        }
        let (c, _) = Self::locate(self.len);
        self.chunks[c].push(slot);
        self.len += 1;
    }

    /// Grow to `len` slots, filling new ones with `fill` (never shrinks).
    fn resize_with(&mut self, len: usize, mut fill: impl FnMut() -> Slot<T>) {
        while self.len < len {
            self.push(fill());
        }
    }

    fn iter(&self) -> impl Iterator<Item = &Slot<T>> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

impl<T> std::ops::Index<usize> for Slots<T> {
    type Output = Slot<T>;
    #[inline]
    fn index(&self, i: usize) -> &Slot<T> {
        self.get(i).expect("slot index below len")
    }
}

impl<T> std::ops::IndexMut<usize> for Slots<T> {
    #[inline]
    fn index_mut(&mut self, i: usize) -> &mut Slot<T> {
        self.get_mut(i).expect("slot index below len")
    }
}

/// One slot chunk filled by a restore thread, with its live count.
type FilledChunk<T, E> = Result<(Vec<Slot<T>>, usize), E>;

struct Frame {
    serial: u64,
    next_before: u64,
    log_start: usize,
}

/// The version of `instance` before the frame that owns this record first touched it.
struct Record<T> {
    instance: u64,
    old: Option<T>,
    meta_before: u64,
}

/// A dense arena of objects of one type, indexed by instance (see the module doc of
/// [`crate::graph`]).
pub struct Arena<T: Object, I: Index<T> = ()> {
    slots: Slots<T>,
    live: usize,
    next: u64,
    index: I,
    undo_enabled: bool,
    frames: Vec<Frame>,
    /// Records of all open frames, oldest frame first; frame `k` owns `log[frames[k].log_start..]`
    /// up to the next frame's start.
    log: Vec<Record<T>>,
    last_serial: u64,
    current_serial: u64,
    changed: Vec<u64>,
    scratch: Vec<u8>,
}

impl<T: Object, I: Index<T>> Default for Arena<T, I> {
    fn default() -> Self {
        Self::new()
    }
}

/// Record the slot's previous version if this is its first touch in the current frame, and put it
/// in the changed-set. Returns whether a record was pushed (then it is `log.last()`).
#[inline(always)]
fn touch<T: Clone>(
    slot: &mut Slot<T>,
    instance: u64,
    current_serial: u64,
    log: &mut Vec<Record<T>>,
    changed: &mut Vec<u64>,
) -> bool {
    let first = current_serial != 0 && slot.meta >> 1 != current_serial;
    if first {
        log.push(Record { instance, old: slot.value.clone(), meta_before: slot.meta });
        slot.meta = (current_serial << 1) | (slot.meta & CHANGED);
    }
    if slot.meta & CHANGED == 0 {
        slot.meta |= CHANGED;
        changed.push(instance);
    }
    first
}

impl<T: Object, I: Index<T>> Arena<T, I> {
    /// An empty arena with undo enabled and `next_instance() == 0`.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty arena with room for `capacity` objects before it reallocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Arena {
            slots: Slots::with_capacity(capacity),
            live: 0,
            next: 0,
            index: I::default(),
            undo_enabled: true,
            frames: Vec::new(),
            log: Vec::new(),
            last_serial: 0,
            current_serial: 0,
            changed: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Rebuild an arena from a snapshot: `objects` (ascending, distinct instances, each below
    /// `next`) become its live objects and every other instance below `next` a hole. Undo is
    /// enabled, no frame is open and the changed-set is empty, so the next block's state hash
    /// covers only that block's changes, as in the node that wrote the snapshot. Returns `None`
    /// when the instances are out of order or not below `next`.
    pub fn restore(next: u64, objects: impl IntoIterator<Item = (u64, T)>) -> Option<Self> {
        Self::try_restore(next, objects.into_iter().map(Ok::<_, ()>), || ()).ok()
    }

    /// [`Arena::restore`] from a fallible source (objects decoded straight from snapshot bytes
    /// into their slots, with no intermediate vector): stops at the first `Err` and returns it;
    /// returns `out_of_order()` when an instance is not above the previous one or not below
    /// `next`. The secondary index is built once at the end with [`Index::bulk_insert`], and no
    /// undo bookkeeping happens on the way.
    pub fn try_restore<E>(
        next: u64,
        objects: impl IntoIterator<Item = Result<(u64, T), E>>,
        out_of_order: impl FnOnce() -> E,
    ) -> Result<Self, E> {
        let Ok(capacity) = usize::try_from(next) else { return Err(out_of_order()) };
        let mut arena = Self::with_capacity(capacity);
        for item in objects {
            let (instance, obj) = item?;
            if instance >= next || (instance as usize) < arena.slots.len() {
                return Err(out_of_order());
            }
            arena.slots.resize_with(instance as usize, || Slot { meta: 0, value: None });
            arena.slots.push(Slot { meta: 0, value: Some(obj) });
            arena.live += 1;
        }
        arena.slots.resize_with(capacity, || Slot { meta: 0, value: None });
        arena.next = next;
        arena.bulk_index();
        Ok(arena)
    }

    /// Build the secondary index in one pass over a freshly restored arena (no per-insert work).
    fn bulk_index(&mut self) {
        if I::ACTIVE {
            let Arena { slots, index, live, .. } = self;
            let objects = slots.iter().enumerate().filter_map(|(i, s)| s.value.as_ref().map(|v| (i as u64, v)));
            index.bulk_insert(*live, objects);
        }
    }

    /// [`Arena::try_restore`] with the decoding spread over `threads` scoped threads: the slot
    /// chunks (which never move, see the module doc) are independent, so each thread fills whole
    /// chunks from `part(range)`, which must yield the live objects with instances in `range`,
    /// ascending. The secondary index is then built once, on the calling thread.
    pub fn try_restore_parallel<E, It>(
        next: u64,
        threads: usize,
        part: impl Fn(std::ops::Range<u64>) -> It + Sync,
        out_of_order: impl Fn() -> E + Sync,
    ) -> Result<Self, E>
    where
        T: Send,
        E: Send,
        It: Iterator<Item = Result<(u64, T), E>>,
    {
        let Ok(capacity) = usize::try_from(next) else { return Err(out_of_order()) };
        let mut arena = Self::with_capacity(capacity);
        let chunk_count = arena.slots.chunks.len();
        // Greedy: the largest chunks first, each to the least loaded thread.
        let mut groups: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); threads.max(1)];
        for k in (0..chunk_count).rev() {
            let g = groups.iter_mut().min_by_key(|g| g.0).expect("at least one group");
            g.0 += FIRST << k;
            g.1.push(k);
        }
        let fill_chunk = |k: usize| -> Result<(Vec<Slot<T>>, usize), E> {
            let start = FIRST * ((1 << k) - 1);
            let end = (FIRST * ((1 << (k + 1)) - 1)).min(capacity);
            let mut chunk = Vec::with_capacity(FIRST << k);
            let mut live = 0;
            for item in part(start as u64..end as u64) {
                let (instance, obj) = item?;
                let at = (instance as usize).wrapping_sub(start);
                if instance >= end as u64 || at < chunk.len() || (instance as usize) < start {
                    return Err(out_of_order());
                }
                chunk.resize_with(at, || Slot { meta: 0, value: None });
                chunk.push(Slot { meta: 0, value: Some(obj) });
                live += 1;
            }
            chunk.resize_with(end.saturating_sub(start), || Slot { meta: 0, value: None });
            Ok((chunk, live))
        };
        let filled: Vec<Vec<(usize, FilledChunk<T, E>)>> = std::thread::scope(|s| {
            let handles: Vec<_> = groups
                .iter()
                .map(|(_, ks)| s.spawn(|| ks.iter().map(|&k| (k, fill_chunk(k))).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
        });
        let mut chunks: Vec<Option<Vec<Slot<T>>>> = (0..chunk_count).map(|_| None).collect();
        for (k, result) in filled.into_iter().flatten() {
            let (chunk, live) = result?;
            arena.live += live;
            chunks[k] = Some(chunk);
        }
        arena.slots.chunks = chunks.into_iter().map(|c| c.expect("every chunk filled")).collect();
        arena.slots.len = capacity;
        arena.next = next;
        arena.bulk_index();
        Ok(arena)
    }

    #[inline]
    pub fn get(&self, instance: u64) -> Option<&T> {
        self.slots.get(usize::try_from(instance).ok()?)?.value.as_ref()
    }

    #[inline]
    pub fn contains(&self, instance: u64) -> bool {
        self.get(instance).is_some()
    }

    /// The instance the next `create` will assign.
    #[inline]
    pub fn next_instance(&self) -> u64 {
        self.next
    }

    /// Number of live objects (holes excluded).
    #[inline]
    pub fn len(&self) -> usize {
        self.live
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    #[inline]
    pub fn index(&self) -> &I {
        &self.index
    }

    /// The index, mutably: only for what an index keeps beside its entries (a change log to
    /// drain, a switch for it). Changing what the index says about the objects would put it out
    /// of step with them.
    #[inline]
    pub fn index_mut(&mut self) -> &mut I {
        &mut self.index
    }

    /// Live objects in ascending instance order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &T)> + '_ {
        self.slots.iter().enumerate().filter_map(|(i, s)| s.value.as_ref().map(|v| (i as u64, v)))
    }

    /// Create an object at `next_instance()` (passed to `make`) and return its instance.
    pub fn create(&mut self, make: impl FnOnce(u64) -> T) -> u64 {
        let instance = self.next;
        assert!(instance <= INSTANCE_MAX, "{}.{}: instance space exhausted", T::SPACE, T::TYPE);
        let obj = make(instance);
        let i = instance as usize;
        assert!(i <= self.slots.len(), "slots cover every assigned instance");
        if i == self.slots.len() {
            self.slots.push(Slot { meta: 0, value: None });
        }
        let slot = &mut self.slots[i];
        debug_assert!(slot.value.is_none(), "an unassigned instance holds no object");
        touch(slot, instance, self.current_serial, &mut self.log, &mut self.changed);
        self.index.insert(instance, &obj);
        slot.value = Some(obj);
        self.next += 1;
        self.live += 1;
        instance
    }

    /// Modify a live object in place; the secondary index sees the old and the new value.
    ///
    /// Panics if the object does not exist: evaluators check existence before they mutate.
    #[inline]
    pub fn modify<R>(&mut self, instance: u64, f: impl FnOnce(&mut T) -> R) -> R {
        let slot = match self.slots.get_mut(instance as usize) {
            Some(s) if s.value.is_some() => s,
            _ => missing::<T>("modify", instance),
        };
        let first = touch(slot, instance, self.current_serial, &mut self.log, &mut self.changed);
        let Some(value) = slot.value.as_mut() else { unreachable!("checked above") };
        if !I::ACTIVE {
            return f(value);
        }
        if first {
            // The undo record already holds the old value: no second clone.
            let r = f(value);
            let old = self.log.last().and_then(|rec| rec.old.as_ref()).expect("record pushed by touch");
            self.index.update(instance, old, value);
            r
        } else {
            let old = value.clone();
            let r = f(value);
            self.index.update(instance, &old, value);
            r
        }
    }

    /// [`Arena::modify`] for a change that leaves everything the index reads as it was: skips
    /// the copy of the old version that the index comparison needs when no undo record holds
    /// one (undo disabled, or the object already touched in this frame). Debug builds take the
    /// checked path.
    pub fn modify_unindexed<R>(&mut self, instance: u64, f: impl FnOnce(&mut T) -> R) -> R {
        if cfg!(debug_assertions) || !I::ACTIVE {
            return self.modify(instance, f);
        }
        let slot = match self.slots.get_mut(instance as usize) {
            Some(s) if s.value.is_some() => s,
            _ => missing::<T>("modify", instance),
        };
        touch(slot, instance, self.current_serial, &mut self.log, &mut self.changed);
        let Some(value) = slot.value.as_mut() else { unreachable!("checked above") };
        f(value)
    }

    /// Remove a live object, leaving a hole (its instance is never reused), and return it.
    ///
    /// Panics if the object does not exist.
    pub fn remove(&mut self, instance: u64) -> T {
        let slot = match self.slots.get_mut(instance as usize) {
            Some(s) if s.value.is_some() => s,
            _ => missing::<T>("remove", instance),
        };
        touch(slot, instance, self.current_serial, &mut self.log, &mut self.changed);
        let obj = slot.value.take().expect("checked above");
        self.index.remove(instance, &obj);
        self.live -= 1;
        obj
    }

    fn restore_top_frame(&mut self, frame: Frame) {
        let records = frame.log_start..self.log.len();
        if I::ACTIVE {
            // Two passes so an index with unique keys never sees two owners of one key.
            for rec in &self.log[records.clone()] {
                if let Some(current) = &self.slots[rec.instance as usize].value {
                    self.index.remove(rec.instance, current);
                }
            }
            for rec in &self.log[records.clone()] {
                if let Some(old) = &rec.old {
                    self.index.insert(rec.instance, old);
                }
            }
        }
        for rec in self.log.drain(records).rev() {
            let slot = &mut self.slots[rec.instance as usize];
            match (slot.value.is_some(), rec.old.is_some()) {
                (true, false) => self.live -= 1,
                (false, true) => self.live += 1,
                _ => {}
            }
            slot.value = rec.old;
            if rec.meta_before & CHANGED != 0 && slot.meta & CHANGED == 0 {
                self.changed.push(rec.instance);
            }
            slot.meta = rec.meta_before;
        }
        self.next = frame.next_before;
    }

    fn reset_current_serial(&mut self) {
        self.current_serial = self.frames.last().map_or(0, |f| f.serial);
    }
}

#[cold]
#[inline(never)]
fn missing<T: Object>(what: &str, instance: u64) -> ! {
    panic!("{what} of missing object {}", ObjectId::new(T::SPACE, T::TYPE, instance))
}

impl<T: Object, I: Index<T>> Undoable for Arena<T, I> {
    #[inline]
    fn begin(&mut self) {
        if !self.undo_enabled {
            return;
        }
        self.last_serial += 1;
        self.frames.push(Frame { serial: self.last_serial, next_before: self.next, log_start: self.log.len() });
        self.current_serial = self.last_serial;
    }

    fn undo(&mut self) {
        assert!(self.undo_enabled, "undo on {}.{} with undo disabled", T::SPACE, T::TYPE);
        let frame = self.frames.pop().unwrap_or_else(|| panic!("undo on {}.{} with no open frame", T::SPACE, T::TYPE));
        self.restore_top_frame(frame);
        self.reset_current_serial();
    }

    fn commit(&mut self) {
        if !self.undo_enabled {
            return;
        }
        assert_eq!(
            self.frames.len(),
            1,
            "commit on {}.{} needs exactly one open frame (merge nested ones)",
            T::SPACE,
            T::TYPE
        );
        // Stamps of the forgotten frame's serial stay in the slots; no open frame will match them.
        self.frames.clear();
        self.log.clear();
        self.current_serial = 0;
    }

    #[inline]
    fn merge(&mut self) {
        if !self.undo_enabled {
            return;
        }
        assert!(self.frames.len() >= 2, "merge on {}.{} needs two open frames", T::SPACE, T::TYPE);
        let top = self.frames.pop().expect("checked above");
        let lower = self.frames.last().expect("checked above").serial;
        // Keep a record only if the lower frame has none for that instance (its older version wins);
        // compact in place like `retain`, without allocating.
        let mut write = top.log_start;
        for read in top.log_start..self.log.len() {
            let rec = &self.log[read];
            let slot = &mut self.slots[rec.instance as usize];
            slot.meta = (lower << 1) | (slot.meta & CHANGED);
            if rec.meta_before >> 1 != lower {
                self.log.swap(write, read);
                write += 1;
            }
        }
        self.log.truncate(write);
        self.current_serial = lower;
    }

    fn forget_oldest(&mut self) {
        if !self.undo_enabled {
            return;
        }
        assert!(!self.frames.is_empty(), "forget_oldest on {}.{} with no open frame", T::SPACE, T::TYPE);
        self.frames.remove(0);
        let end = self.frames.first().map_or(self.log.len(), |f| f.log_start);
        self.log.drain(..end);
        for f in &mut self.frames {
            f.log_start -= end;
        }
        self.reset_current_serial();
    }

    fn set_undo_enabled(&mut self, enabled: bool) {
        assert!(self.frames.is_empty(), "set_undo_enabled on {}.{} with open frames", T::SPACE, T::TYPE);
        self.undo_enabled = enabled;
    }

    #[inline]
    fn undo_depth(&self) -> usize {
        self.frames.len()
    }

    fn hash_changes_capturing(&mut self, h: &mut blake3::Hasher, mut capture: Option<&mut Vec<u8>>) {
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_unstable();
        changed.dedup();
        // Records are concatenated and handed to blake3 in large pieces: the digest is that of
        // the same byte stream, but whole 1 KiB chunks are hashed several at a time (SIMD)
        // instead of one small `update` per object.
        const FLUSH_AT: usize = 64 * 1024;
        let buf = &mut self.scratch;
        buf.clear();
        let mut flush = |buf: &mut Vec<u8>| {
            h.update(buf);
            if let Some(out) = capture.as_deref_mut() {
                out.extend_from_slice(buf);
            }
            buf.clear();
        };
        for &instance in &changed {
            let slot = &mut self.slots[instance as usize];
            if slot.meta & CHANGED == 0 {
                continue; // undone since it was listed
            }
            slot.meta &= !CHANGED;
            let value = slot.value.as_ref();
            write_record(
                buf,
                T::SPACE,
                T::TYPE,
                instance,
                value.map(|v| move |b: &mut Vec<u8>| v.pack(b)).as_ref().map(|f| f as &dyn Fn(&mut Vec<u8>)),
            );
            if buf.len() >= FLUSH_AT {
                flush(buf);
            }
        }
        flush(buf);
        changed.clear();
        self.changed = changed;
    }
}

/// What a read replica and a popped block's inverse need (see [`super::ObjectChanges`]).
impl<T: Object, I: Index<T>> Arena<T, I> {
    /// `(space, type)` of the objects this arena holds.
    pub fn object_type(&self) -> (u8, u8) {
        (T::SPACE, T::TYPE)
    }

    /// Append the instances the top open frame recorded (everything touched since it began;
    /// unsorted, possibly repeated) to `out`. Nothing with no open frame.
    pub fn top_frame_instances(&self, out: &mut Vec<u64>) {
        if let Some(frame) = self.frames.last() {
            out.extend(self.log[frame.log_start..].iter().map(|r| r.instance));
        }
    }

    /// Append a record of the current version of each of `instances` (sorted and deduplicated
    /// here; `0` for a hole) to `out`, in the format of [`super::ObjectChanges`].
    pub fn pack_instances(&self, instances: &mut Vec<u64>, out: &mut Vec<u8>) {
        instances.sort_unstable();
        instances.dedup();
        for &instance in instances.iter() {
            let value = self.get(instance);
            write_record(
                out,
                T::SPACE,
                T::TYPE,
                instance,
                value.map(|v| move |b: &mut Vec<u8>| v.pack(b)).as_ref().map(|f| f as &dyn Fn(&mut Vec<u8>)),
            );
        }
    }

    /// Set the given instances to the given versions (`None`: a hole), as a read replica applies
    /// a block's changes: the index is updated in two passes (every old entry out, then every new
    /// one in, so unique keys that moved between objects never collide), with no undo record and
    /// no changed-set entry. Panics with a frame open: a replica has no undo.
    pub fn put_versions(&mut self, versions: Vec<(u64, Option<T>)>) {
        assert!(self.frames.is_empty(), "put_versions on {}.{} with an open undo frame", T::SPACE, T::TYPE);
        if I::ACTIVE {
            for (instance, _) in &versions {
                if let Some(old) = self.slots.get(*instance as usize).and_then(|s| s.value.as_ref()) {
                    self.index.remove(*instance, old);
                }
            }
        }
        for (instance, value) in versions {
            assert!(instance <= INSTANCE_MAX, "{}.{}: instance {instance} out of range", T::SPACE, T::TYPE);
            while self.slots.len() <= instance as usize {
                self.slots.push(Slot { meta: 0, value: None });
            }
            if let Some(v) = &value {
                self.index.insert(instance, v);
            }
            let slot = &mut self.slots[instance as usize];
            match (slot.value.is_some(), value.is_some()) {
                (true, false) => self.live -= 1,
                (false, true) => self.live += 1,
                _ => {}
            }
            slot.value = value;
            self.next = self.next.max(instance + 1);
        }
    }
}

#[cfg(test)]
mod slot_tests {
    use super::{Slot, Slots};

    #[test]
    fn chunks_double_from_sixteen_and_slots_never_move() {
        assert_eq!(Slots::<u8>::locate(0), (0, 0));
        assert_eq!(Slots::<u8>::locate(15), (0, 15));
        assert_eq!(Slots::<u8>::locate(16), (1, 0));
        assert_eq!(Slots::<u8>::locate(47), (1, 31));
        assert_eq!(Slots::<u8>::locate(48), (2, 0));
        let mut s = Slots::with_capacity(0);
        let mut first: *const Slot<u32> = std::ptr::null();
        for i in 0..1000u32 {
            s.push(Slot { meta: u64::from(i), value: Some(i) });
            if i == 0 {
                first = &s[0];
            }
        }
        assert_eq!(s.len(), 1000);
        assert_eq!(s.capacity(), 16 * 63);
        assert!(std::ptr::eq(first, &s[0]), "slot 0 moved while the vector grew");
        assert!((0..1000).all(|i| s.get(i).and_then(|x| x.value) == Some(i as u32)));
        assert!(s.get(1000).is_none());
        assert_eq!(s.iter().map(|x| x.meta).sum::<u64>(), 999 * 1000 / 2);
        assert_eq!(Slots::<u8>::with_capacity(17).capacity(), 48);
    }
}
