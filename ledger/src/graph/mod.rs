//! The object graph: dense typed arenas with automatic secondary indexes, nested undo sessions
//! and a chained blake3 state hash (DESIGN.md "The object graph", PROTOCOL.md §1.4).
//!
//! # What it owns
//!
//! Every object on chain has an id `space.type.instance`. Objects of one type live in one
//! [`Arena`], a vector indexed by instance, so a lookup by id is an array index. The arena
//! assigns instances sequentially ([`Arena::create`] uses [`Arena::next_instance`]) and never
//! reuses one: a removed object leaves a hole.
//!
//! An arena may carry a secondary [`Index`] (account by name, orders by market and price, ...).
//! The arena itself calls it on create, on every modify (with the old and the new value), on
//! remove and on every undo, so an evaluator can never forget to update an index and an undo
//! restores indexes exactly. Arenas without an index use `()`, which costs nothing: `modify`
//! clones nothing for them.
//!
//! # Undo sessions
//!
//! The engine's `State` owns ~25 arenas and drives them all through [`Undoable`] (write the list
//! once with [`impl_undoable!`]). Frames nest:
//!
//! - [`Undoable::begin`] opens a frame. While it is open, the first touch of each object in it
//!   records the object's previous version (`None` if created in the frame); the frame also
//!   records the old `next_instance`.
//! - [`Undoable::undo`] pops the top frame and restores every recorded object, its secondary
//!   index entries and `next_instance`, so a failed transaction or a popped block consumes no
//!   ids (§1.4) and leaves state bit for bit as it was.
//! - [`Undoable::merge`] folds the top frame into the one below (an object already recorded below
//!   keeps the older version): a successful transaction, run in a frame nested in its block's
//!   frame, merges.
//! - [`Undoable::commit`] pops the outermost and only open frame and forgets it. Committing a
//!   nested frame would make the outer frame's undo partial, so it is a bug (asserted): merge it.
//! - [`Undoable::forget_oldest`] drops the bottom frame while newer ones stay open: when a block
//!   becomes irreversible, its frame is no longer needed for fork switching.
//! - With undo disabled ([`Undoable::set_undo_enabled`]`(false)`, for replay of irreversible blocks
//!   and the hundred-k benchmark) there are no frames and no clones; `begin`, `merge` and `commit`
//!   are no-ops and `undo` is a bug (asserted).
//!
//! First-touch detection is O(1) without hashing: each slot carries the serial number of the last
//! frame that recorded it (frame serials only grow, so a stamp of a closed frame never matches an
//! open one). Records of all frames share one log vector, so a warm arena allocates nothing per
//! frame or per operation (beyond the clone of a first-touched object, which is the record).
//!
//! # State hash
//!
//! Independently of undo, every arena tracks which instances changed since the last
//! [`Undoable::hash_changes`]. That call feeds, for each changed instance in ascending order,
//! `space, type, instance (u64 LE)` and then either `1, length (u32 LE), Pack bytes` or `0`
//! (removed), and clears the set. An undo puts each restored instance's "changed" flag back to
//! what it was at the frame's first touch, so an undone transaction leaves no trace in the hash.
//! Undoing a frame that spans a `hash_changes` call (popping a block whose hash was chained) puts
//! the flags back to what they were when the frame began: the owner must rewind its chained hash to
//! the value it had then. Blocks chain with [`chain`]: `blake3(prev ‖ block_changes)`.
//!
//! # Singletons
//!
//! Objects with exactly one instance (global properties, `2.0.0`, `2.1.0`) use [`Singleton`], an
//! arena holding instance 0 with a `get`/`modify` that cannot miss.
//!
//! # Never
//!
//! Nothing here iterates a hash map, reads a clock or allocates per operation on a warm hot path.
//! Modifying or removing a missing object is a bug in the caller (evaluators check existence in
//! their read-only `check` step) and panics.

mod arena;
mod changes;
mod hash;
mod singleton;
#[cfg(test)]
mod tests;

pub use arena::Arena;
pub use changes::{Change, ObjectChanges};
pub use hash::{chain, StateHash};
pub use singleton::Singleton;

/// An object stored in an arena. `Pack` gives its canonical bytes for the state hash; `SPACE` and
/// `TYPE` are the first two parts of its id.
pub trait Object: Clone + crate::encoding::Pack + 'static {
    const SPACE: u8;
    const TYPE: u8;
}

/// A secondary index over one arena, maintained by the arena itself (see the module doc).
///
/// `insert`/`remove` must be exact inverses. During an undo the arena first removes the entries
/// of every restored object's current version and then inserts the entries of the restored
/// versions, so an index with unique keys never sees a transient collision.
pub trait Index<T>: Default {
    /// `false` only for indexes that ignore every call (`()`): lets `modify` skip cloning the old
    /// value that `update` needs. With an active index, `modify` hands `update` the undo record
    /// on an object's first touch in a frame and otherwise clones the old value, so an indexed
    /// type with heap fields pays one clone per repeated modify: keep hot indexed types small.
    const ACTIVE: bool = true;

    fn insert(&mut self, instance: u64, obj: &T);
    fn remove(&mut self, instance: u64, obj: &T);
    fn update(&mut self, instance: u64, old: &T, new: &T) {
        self.remove(instance, old);
        self.insert(instance, new);
    }
    /// Insert the entries of `count` objects at once, ascending by instance, into an empty index
    /// (restoring a snapshot). Indexes override it to size hash maps once and to build ordered
    /// sets from sorted runs instead of one tree descent per entry.
    fn bulk_insert<'a>(&mut self, count: usize, objects: impl Iterator<Item = (u64, &'a T)>)
    where
        T: 'a,
    {
        let _ = count;
        for (instance, obj) in objects {
            self.insert(instance, obj);
        }
    }
}

impl<T> Index<T> for () {
    const ACTIVE: bool = false;
    #[inline]
    fn insert(&mut self, _: u64, _: &T) {}
    #[inline]
    fn remove(&mut self, _: u64, _: &T) {}
    #[inline]
    fn update(&mut self, _: u64, _: &T, _: &T) {}
}

/// The undo and hashing surface of one arena, so an owner of many arenas can drive them all alike
/// (see [`impl_undoable!`]).
pub trait Undoable {
    /// Open a frame (no-op with undo disabled).
    fn begin(&mut self);
    /// Pop the top frame and restore everything it recorded. Panics with no open frame.
    fn undo(&mut self);
    /// Pop the only open frame and forget its records. Panics unless exactly one frame is open.
    fn commit(&mut self);
    /// Fold the top frame into the one below. Panics with fewer than two open frames.
    fn merge(&mut self);
    /// Forget the bottom (oldest) frame's records; newer frames stay open. Panics with no frame.
    fn forget_oldest(&mut self);
    /// Turn undo on or off. Panics if frames are open.
    fn set_undo_enabled(&mut self, enabled: bool);
    /// Number of open frames.
    fn undo_depth(&self) -> usize;
    /// Feed every instance changed since the last call into `h` (ascending) and clear the set.
    fn hash_changes(&mut self, h: &mut blake3::Hasher) {
        self.hash_changes_capturing(h, None);
    }
    /// [`Undoable::hash_changes`], also appending the hashed bytes to `capture` when given (the
    /// block's [`ObjectChanges`]).
    fn hash_changes_capturing(&mut self, h: &mut blake3::Hasher, capture: Option<&mut Vec<u8>>);
}

/// Implement [`Undoable`] for a struct by calling each listed field in order (the order is part of
/// the state hash: list fields once and never reorder them).
///
/// ```ignore
/// impl_undoable!(State { accounts, assets, balances, globals });
/// ```
#[macro_export]
macro_rules! impl_undoable {
    ($ty:ty { $($field:ident),+ $(,)? }) => {
        impl $crate::graph::Undoable for $ty {
            fn begin(&mut self) { $( $crate::graph::Undoable::begin(&mut self.$field); )+ }
            fn undo(&mut self) { $( $crate::graph::Undoable::undo(&mut self.$field); )+ }
            fn commit(&mut self) { $( $crate::graph::Undoable::commit(&mut self.$field); )+ }
            fn merge(&mut self) { $( $crate::graph::Undoable::merge(&mut self.$field); )+ }
            fn forget_oldest(&mut self) { $( $crate::graph::Undoable::forget_oldest(&mut self.$field); )+ }
            fn set_undo_enabled(&mut self, enabled: bool) {
                $( $crate::graph::Undoable::set_undo_enabled(&mut self.$field, enabled); )+
            }
            fn undo_depth(&self) -> usize {
                let depths = [$( $crate::graph::Undoable::undo_depth(&self.$field) ),+];
                assert!(depths.iter().all(|d| *d == depths[0]), "arenas disagree on undo depth: {depths:?}");
                depths[0]
            }
            fn hash_changes_capturing(&mut self, h: &mut blake3::Hasher, mut capture: Option<&mut Vec<u8>>) {
                $( $crate::graph::Undoable::hash_changes_capturing(&mut self.$field, h, capture.as_deref_mut()); )+
            }
        }
    };
}
