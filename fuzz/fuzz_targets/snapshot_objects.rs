//! Every object type a snapshot holds, from arbitrary bytes: what a snapshot with intact checksums
//! but hostile contents would present to `engine::snapshot::read` past its blake3 checks. Byte 0
//! picks the arena (modulo their number, in `State::ARENA_NAMES` order), the rest is one object's
//! `Pack` bytes: refused with an error or decoded, and then re-encoded to bytes that decode and
//! re-encode to themselves.

#![no_main]

use engine::snapshot::ArenaVisitor;
use engine::State;
use ledger::graph::{Arena, Index, Object};
use ledger::Unpack;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

struct DecodeOne<'a> {
    arena: &'static str,
    bytes: &'a [u8],
}

impl ArenaVisitor for DecodeOne<'_> {
    fn visit<T: Object + Unpack, I: Index<T>>(&mut self, name: &'static str, _: &Arena<T, I>) {
        if name != self.arena {
            return;
        }
        if let Ok(obj) = T::from_bytes(self.bytes) {
            let packed = obj.to_bytes();
            let again = T::from_bytes(&packed).expect("an encoded object decodes");
            assert_eq!(again.to_bytes(), packed, "{name}: encode(decode(encode(obj))) == encode(obj)");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    static EMPTY: OnceLock<State> = OnceLock::new();
    let Some((&pick, bytes)) = data.split_first() else { return };
    let arena = State::ARENA_NAMES[usize::from(pick) % State::ARENA_NAMES.len()];
    EMPTY.get_or_init(State::default).visit_arenas(&mut DecodeOne { arena, bytes });
});
