//! Unit and differential property tests of the object graph.

use super::*;
use crate::encoding::Pack;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, PartialEq, Eq)]
struct Acct {
    name: String,
    balance: i64,
}
crate::impl_pack!(Acct { name, balance });
impl Object for Acct {
    const SPACE: u8 = 1;
    const TYPE: u8 = 2;
}

fn acct(name: &str, balance: i64) -> Acct {
    Acct { name: name.to_string(), balance }
}

/// Unique name index: a collision or a remove of an entry that is not there is a bug.
#[derive(Default, Debug, PartialEq)]
struct ByName(BTreeMap<String, u64>);
impl Index<Acct> for ByName {
    fn insert(&mut self, instance: u64, obj: &Acct) {
        let before = self.0.insert(obj.name.clone(), instance);
        assert_eq!(before, None, "name {} already taken", obj.name);
    }
    fn remove(&mut self, instance: u64, obj: &Acct) {
        assert_eq!(self.0.remove(&obj.name), Some(instance), "name {} not indexed", obj.name);
    }
}

type Accounts = Arena<Acct, ByName>;

fn contents<I: Index<Acct>>(a: &Arena<Acct, I>) -> Vec<(u64, Acct)> {
    a.iter().map(|(i, o)| (i, o.clone())).collect()
}

fn names(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(n, i)| (n.to_string(), *i)).collect()
}

#[test]
fn create_modify_remove_then_undo_restores_values_ids_and_index() {
    let mut a = Accounts::new();
    assert_eq!(a.create(|i| acct("alice", i as i64)), 0);
    assert_eq!(a.create(|_| acct("bob", 5)), 1);
    a.begin();
    assert_eq!(a.create(|_| acct("carol", 7)), 2);
    a.modify(0, |o| o.balance = 100);
    a.modify(0, |o| o.name = "alicia".into());
    assert_eq!(a.remove(1), acct("bob", 5));
    assert_eq!(a.len(), 2);
    assert_eq!(a.index().0, names(&[("alicia", 0), ("carol", 2)]));
    a.undo();
    assert_eq!(contents(&a), vec![(0, acct("alice", 0)), (1, acct("bob", 5))]);
    assert_eq!(a.next_instance(), 2);
    assert_eq!(a.len(), 2);
    assert_eq!(a.index().0, names(&[("alice", 0), ("bob", 1)]));
    // The id 2 was not consumed by the undone frame.
    assert_eq!(a.create(|_| acct("dave", 1)), 2);
}

#[test]
fn nested_merge_then_undo_restores_the_oldest_version() {
    let mut a = Accounts::new();
    a.create(|_| acct("x", 1));
    a.begin();
    a.modify(0, |o| o.balance = 2);
    a.begin();
    a.modify(0, |o| o.balance = 3);
    a.create(|_| acct("y", 9));
    a.merge();
    assert_eq!(a.undo_depth(), 1);
    assert_eq!(a.get(0), Some(&acct("x", 3)));
    assert_eq!(a.get(1), Some(&acct("y", 9)));
    a.undo();
    assert_eq!(contents(&a), vec![(0, acct("x", 1))]);
    assert_eq!(a.next_instance(), 1);
    assert_eq!(a.index().0, names(&[("x", 0)]));
}

#[test]
fn undo_of_inner_frame_keeps_outer_changes() {
    let mut a = Accounts::new();
    a.create(|_| acct("x", 1));
    a.begin();
    a.modify(0, |o| o.balance = 2);
    a.begin();
    a.modify(0, |o| o.balance = 3);
    a.create(|_| acct("y", 9));
    a.undo();
    assert_eq!(contents(&a), vec![(0, acct("x", 2))]);
    assert_eq!(a.next_instance(), 1);
    // The outer frame still holds its own record of instance 0 after the inner undo.
    a.modify(0, |o| o.balance = 4);
    a.undo();
    assert_eq!(contents(&a), vec![(0, acct("x", 1))]);
}

#[test]
fn commit_makes_changes_permanent() {
    let mut a = Accounts::new();
    a.begin();
    a.create(|_| acct("x", 1));
    a.modify(0, |o| o.balance = 2);
    a.commit();
    assert_eq!(a.undo_depth(), 0);
    a.begin();
    a.modify(0, |o| o.balance = 3);
    a.undo();
    assert_eq!(contents(&a), vec![(0, acct("x", 2))]);
    assert_eq!(a.next_instance(), 1);
}

#[test]
#[should_panic(expected = "commit on 1.2 needs exactly one open frame")]
fn commit_of_a_nested_frame_is_a_bug() {
    let mut a = Accounts::new();
    a.begin();
    a.begin();
    a.commit();
}

#[test]
fn undo_of_created_then_removed_object_leaves_no_hole_and_no_id() {
    let mut a = Accounts::new();
    a.create(|_| acct("x", 1));
    a.begin();
    let id = a.create(|_| acct("tmp", 0));
    assert_eq!(a.remove(id), acct("tmp", 0));
    assert_eq!(a.next_instance(), 2);
    a.undo();
    assert_eq!(a.next_instance(), 1);
    assert_eq!(a.len(), 1);
    assert!(!a.contains(1));
    assert_eq!(a.index().0, names(&[("x", 0)]));
    assert_eq!(a.create(|_| acct("tmp", 5)), 1);
    assert_eq!(a.get(1), Some(&acct("tmp", 5)));
}

#[test]
fn undo_restores_a_unique_index_through_a_name_swap() {
    let mut a = Accounts::new();
    a.create(|_| acct("a", 0));
    a.create(|_| acct("b", 0));
    a.begin();
    // Swap the names through a temporary, as a rename chain would.
    a.modify(0, |o| o.name = "t".into());
    a.modify(1, |o| o.name = "a".into());
    a.modify(0, |o| o.name = "b".into());
    assert_eq!(a.index().0, names(&[("a", 1), ("b", 0)]));
    a.undo();
    assert_eq!(a.index().0, names(&[("a", 0), ("b", 1)]));
}

#[test]
fn forget_oldest_drops_the_bottom_frame_only() {
    let mut a = Accounts::new();
    a.create(|_| acct("x", 1));
    a.begin(); // block 1
    a.modify(0, |o| o.balance = 2);
    a.begin(); // block 2
    a.modify(0, |o| o.balance = 3);
    a.create(|_| acct("y", 0));
    a.forget_oldest(); // block 1 became irreversible
    assert_eq!(a.undo_depth(), 1);
    a.undo(); // pop block 2
    assert_eq!(contents(&a), vec![(0, acct("x", 2))]);
    assert_eq!(a.next_instance(), 1);
    assert_eq!(a.undo_depth(), 0);
}

#[test]
fn undo_disabled_keeps_no_frames() {
    let mut a = Accounts::new();
    a.set_undo_enabled(false);
    a.begin();
    a.create(|_| acct("x", 1));
    a.begin();
    a.modify(0, |o| o.balance = 2);
    a.merge();
    a.commit();
    assert_eq!(a.undo_depth(), 0);
    assert_eq!(contents(&a), vec![(0, acct("x", 2))]);
}

#[test]
#[should_panic(expected = "undo on 1.2 with undo disabled")]
fn undo_with_undo_disabled_is_a_bug() {
    let mut a = Accounts::new();
    a.set_undo_enabled(false);
    a.begin();
    a.undo();
}

#[test]
#[should_panic(expected = "modify of missing object 1.2.3")]
fn modify_of_a_missing_object_is_a_bug() {
    let mut a = Accounts::new();
    a.modify(3, |o| o.balance = 1);
}

#[test]
#[should_panic(expected = "remove of missing object 1.2.0")]
fn remove_of_a_removed_object_is_a_bug() {
    let mut a = Accounts::new();
    a.create(|_| acct("x", 1));
    a.remove(0);
    a.remove(0);
}

fn changes<U: Undoable>(u: &mut U) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    u.hash_changes(&mut h);
    *h.finalize().as_bytes()
}

#[test]
fn hash_feed_is_space_type_instance_then_length_and_bytes_or_zero() {
    let mut a = Accounts::new();
    a.create(|_| acct("x", 1));
    a.create(|_| acct("y", 2));
    a.remove(1);
    let mut expected = vec![1u8, 2];
    expected.extend_from_slice(&0u64.to_le_bytes());
    let packed = acct("x", 1).to_bytes();
    expected.push(1);
    expected.extend_from_slice(&(packed.len() as u32).to_le_bytes());
    expected.extend_from_slice(&packed);
    expected.extend_from_slice(&[1, 2]);
    expected.extend_from_slice(&1u64.to_le_bytes());
    expected.push(0);
    assert_eq!(changes(&mut a), *blake3::hash(&expected).as_bytes());
    // The set is cleared: nothing changed since.
    assert_eq!(changes(&mut a), *blake3::hash(&[]).as_bytes());
}

fn two_accounts() -> Accounts {
    let mut a = Accounts::new();
    a.create(|_| acct("x", 1));
    a.create(|_| acct("y", 1));
    changes(&mut a);
    a
}

#[test]
fn same_changes_in_any_order_give_the_same_hash() {
    let mut a = two_accounts();
    let mut b = two_accounts();
    a.modify(0, |o| o.balance = 5);
    a.modify(1, |o| o.balance = 6);
    b.modify(1, |o| o.balance = 6);
    b.modify(0, |o| o.balance = 5);
    assert_eq!(changes(&mut a), changes(&mut b));
}

#[test]
fn different_values_give_different_hashes() {
    let mut a = two_accounts();
    let mut b = two_accounts();
    a.modify(0, |o| o.balance = 5);
    b.modify(0, |o| o.balance = 4);
    assert_ne!(changes(&mut a), changes(&mut b));
}

#[test]
fn an_undone_transaction_leaves_no_trace_in_the_hash() {
    let mut a = two_accounts();
    let mut b = two_accounts();
    for arena in [&mut a, &mut b] {
        arena.begin(); // block
        arena.modify(0, |o| o.balance = 5);
    }
    // Block a runs a failing transaction touching instance 1, an already changed 0, and a creation.
    a.begin();
    a.modify(1, |o| o.balance = 99);
    a.modify(0, |o| o.balance = 98);
    a.create(|_| acct("z", 0));
    a.undo();
    assert_eq!(changes(&mut a), changes(&mut b));
    assert_eq!(a.next_instance(), b.next_instance());
}

#[test]
fn undo_after_hash_remarks_what_was_changed_before_the_frame() {
    let mut a = two_accounts();
    a.modify(0, |o| o.balance = 5); // changed outside any frame, not yet hashed
    a.begin();
    a.modify(0, |o| o.balance = 6);
    a.modify(1, |o| o.balance = 7);
    changes(&mut a); // block hashed; then the block is popped
    a.undo();
    let mut b = two_accounts();
    b.modify(0, |o| o.balance = 5);
    assert_eq!(changes(&mut a), changes(&mut b));
}

#[test]
fn singleton_reads_and_undoes() {
    let mut s = Singleton::new(acct("globals", 1));
    s.begin();
    s.modify(|o| o.balance = 2);
    assert_eq!(s.get().balance, 2);
    s.undo();
    assert_eq!(s.get(), &acct("globals", 1));
}

struct State {
    accounts: Accounts,
    plain: Arena<Acct>,
    globals: Singleton<Acct>,
}
crate::impl_undoable!(State { accounts, plain, globals });

#[test]
fn impl_undoable_drives_every_field() {
    let mut s = State { accounts: Accounts::new(), plain: Arena::new(), globals: Singleton::new(acct("g", 0)) };
    s.begin();
    s.accounts.create(|_| acct("x", 1));
    s.plain.create(|_| acct("x", 1));
    s.globals.modify(|o| o.balance = 3);
    assert_eq!(s.undo_depth(), 1);
    s.undo();
    assert_eq!((s.accounts.len(), s.plain.next_instance(), s.globals.get().balance), (0, 0, 0));
    let mut h = blake3::Hasher::new();
    s.hash_changes(&mut h);
    let mut g = blake3::Hasher::new();
    Singleton::new(acct("g", 0)).hash_changes(&mut g);
    assert_eq!(h.finalize(), g.finalize());
}

// ---- differential property test against a naive model that clones everything at each begin ----

/// Multi-valued name index for the property test (random names collide).
#[derive(Default, Debug, PartialEq)]
struct NameSet(BTreeSet<(String, u64)>);
impl Index<Acct> for NameSet {
    fn insert(&mut self, instance: u64, obj: &Acct) {
        assert!(self.0.insert((obj.name.clone(), instance)));
    }
    fn remove(&mut self, instance: u64, obj: &Acct) {
        assert!(self.0.remove(&(obj.name.clone(), instance)));
    }
}

#[derive(Clone, Default)]
struct Model {
    objs: BTreeMap<u64, Acct>,
    next: u64,
}

#[derive(Clone, Debug)]
enum Op {
    Create(u8),
    Modify(u16, u8, i64),
    Remove(u16),
    Begin,
    Undo,
    Commit,
    Merge,
    ForgetOldest,
    Hash,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0u8..6).prop_map(Op::Create),
        4 => (any::<u16>(), 0u8..6, -3i64..3).prop_map(|(p, n, d)| Op::Modify(p, n, d)),
        2 => any::<u16>().prop_map(Op::Remove),
        3 => Just(Op::Begin),
        2 => Just(Op::Undo),
        1 => Just(Op::Commit),
        2 => Just(Op::Merge),
        1 => Just(Op::ForgetOldest),
        1 => Just(Op::Hash),
    ]
}

fn pick(model: &Model, p: u16) -> Option<u64> {
    let n = model.objs.len();
    (n > 0).then(|| *model.objs.keys().nth(p as usize % n).expect("in range"))
}

fn step(a: &mut Arena<Acct, NameSet>, model: &mut Model, stack: &mut Vec<Model>, op: &Op) {
    match *op {
        Op::Create(n) => {
            let obj = acct(&format!("n{n}"), 0);
            assert_eq!(a.create(|_| obj.clone()), model.next);
            model.objs.insert(model.next, obj);
            model.next += 1;
        }
        Op::Modify(p, n, d) => {
            if let Some(i) = pick(model, p) {
                let m = model.objs.get_mut(&i).expect("picked");
                let name = if n == 0 { m.name.clone() } else { format!("n{n}") };
                m.name.clone_from(&name);
                m.balance += d;
                a.modify(i, |o| {
                    o.name = name;
                    o.balance += d;
                });
            }
        }
        Op::Remove(p) => {
            if let Some(i) = pick(model, p) {
                assert_eq!(a.remove(i), model.objs.remove(&i).expect("picked"));
            }
        }
        Op::Begin => {
            a.begin();
            stack.push(model.clone());
        }
        Op::Undo if !stack.is_empty() => {
            a.undo();
            *model = stack.pop().expect("non-empty");
        }
        Op::Commit if stack.len() == 1 => {
            a.commit();
            stack.pop();
        }
        Op::Merge if stack.len() >= 2 => {
            a.merge();
            stack.pop();
        }
        Op::ForgetOldest if !stack.is_empty() => {
            a.forget_oldest();
            stack.remove(0);
        }
        Op::Hash => {
            a.hash_changes(&mut blake3::Hasher::new());
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// With undo disabled the frame operations are skipped on both sides: this checks the index
    /// bookkeeping of `modify` when no undo record holds the old value.
    #[test]
    fn arena_matches_naive_model(ops in proptest::collection::vec(op(), 1..120), undo in any::<bool>()) {
        let mut a = Arena::<Acct, NameSet>::new();
        a.set_undo_enabled(undo);
        let mut model = Model::default();
        let mut stack = Vec::new();
        let frames = |o: &&Op| matches!(o, Op::Begin | Op::Undo | Op::Commit | Op::Merge | Op::ForgetOldest);
        for op in ops.iter().filter(|o| undo || !frames(o)) {
            step(&mut a, &mut model, &mut stack, op);
            let expected: Vec<_> = model.objs.iter().map(|(i, o)| (*i, o.clone())).collect();
            prop_assert_eq!(contents(&a), expected, "after {:?}", op);
            prop_assert_eq!(a.next_instance(), model.next);
            prop_assert_eq!(a.len(), model.objs.len());
            prop_assert_eq!(a.undo_depth(), stack.len());
            let index: BTreeSet<_> = model.objs.iter().map(|(i, o)| (o.name.clone(), *i)).collect();
            prop_assert_eq!(&a.index().0, &index);
        }
    }

    /// A frame opened right after a hash and then undone, whatever it did inside (nested frames,
    /// merges, creations, renames, removals), leaves an empty change set.
    #[test]
    fn an_undone_frame_leaves_an_empty_change_set(ops in proptest::collection::vec(op(), 1..60)) {
        let mut a = Arena::<Acct, NameSet>::new();
        for n in 0..4 {
            a.create(|_| acct(&format!("n{n}"), 0));
        }
        changes(&mut a);
        let mut model = Model { objs: a.iter().map(|(i, o)| (i, o.clone())).collect(), next: 4 };
        let mut stack = Vec::new();
        a.begin();
        stack.push(model.clone());
        for op in ops.iter().filter(|o| !matches!(o, Op::Hash | Op::Commit | Op::ForgetOldest)) {
            if matches!(op, Op::Undo) && stack.len() == 1 {
                continue;
            }
            step(&mut a, &mut model, &mut stack, op);
        }
        while a.undo_depth() > 0 {
            a.undo();
        }
        prop_assert_eq!(changes(&mut a), *blake3::hash(&[]).as_bytes());
    }
}

#[test]
fn parallel_restore_fills_every_chunk_like_the_sequential_one() {
    // 100 instances span chunks of 16, 32, 64 (the last partly); every third one is a hole.
    let objects: Vec<(u64, Acct)> =
        (0..100u64).filter(|i| i % 3 != 1).map(|i| (i, acct(&format!("a{i}"), i as i64))).collect();
    let sequential = Accounts::restore(103, objects.clone()).expect("ascending, below next");
    for threads in [1, 2, 3] {
        let part = |range: std::ops::Range<u64>| {
            objects.iter().filter(move |(i, _)| range.contains(i)).map(|(i, o)| Ok::<_, ()>((*i, o.clone())))
        };
        let parallel = Accounts::try_restore_parallel(103, threads, part, || ()).expect("same objects");
        assert_eq!(contents(&parallel), contents(&sequential), "{threads} threads");
        assert_eq!((parallel.len(), parallel.next_instance()), (67, 103));
        assert_eq!(parallel.index(), sequential.index());
        assert_eq!(parallel.get(1), None);
        assert_eq!(parallel.get(99).map(|a| a.balance), Some(99));
    }
    // A part that yields an instance outside its range is refused.
    let bad = |range: std::ops::Range<u64>| std::iter::once(Ok::<_, &str>((range.end, acct("x", 0))));
    assert_eq!(Accounts::try_restore_parallel(40, 2, bad, || "out of order").err(), Some("out of order"));
}
