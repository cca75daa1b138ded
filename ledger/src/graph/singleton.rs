//! [`Singleton`]: an object type with exactly one instance (global properties `2.0.0`, dynamic
//! global properties `2.1.0`, chain properties `2.11.0`, ...): an [`Arena`] holding instance 0,
//! whose `get` and `modify` cannot miss.

use super::{Arena, Object, Undoable};

pub struct Singleton<T: Object> {
    arena: Arena<T>,
}

impl<T: Object> Singleton<T> {
    /// Create instance 0 (marked changed, so the first `hash_changes` covers it). Build singletons
    /// before any undo frame is opened on the owner.
    pub fn new(value: T) -> Self {
        let mut arena = Arena::new();
        arena.create(|_| value);
        Singleton { arena }
    }

    #[inline]
    pub fn get(&self) -> &T {
        self.arena.get(0).expect("a singleton is never removed")
    }

    #[inline]
    pub fn modify<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R {
        self.arena.modify(0, f)
    }
}

impl<T: Object> Undoable for Singleton<T> {
    fn begin(&mut self) {
        self.arena.begin()
    }
    fn undo(&mut self) {
        self.arena.undo()
    }
    fn commit(&mut self) {
        self.arena.commit()
    }
    fn merge(&mut self) {
        self.arena.merge()
    }
    fn forget_oldest(&mut self) {
        self.arena.forget_oldest()
    }
    fn set_undo_enabled(&mut self, enabled: bool) {
        self.arena.set_undo_enabled(enabled)
    }
    fn undo_depth(&self) -> usize {
        self.arena.undo_depth()
    }
    fn hash_changes_capturing(&mut self, h: &mut blake3::Hasher, capture: Option<&mut Vec<u8>>) {
        self.arena.hash_changes_capturing(h, capture)
    }
}
