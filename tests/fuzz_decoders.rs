//! Seeded arbitrary-input harnesses for the decoders that read bytes from outside: transactions
//! and blocks (binary), journal records (through recovery and reads), snapshots, and transactions
//! in JSON. Each must refuse bad input with an error, never panic, and give back what it decoded
//! when re-encoded. See tests/common/fuzz.rs for the driver and the environment variables that
//! run it longer; the `apply` scenario and `config.toml` harnesses are unit tests of the binary
//! (src/cli/fuzz_tests.rs). Inputs that once failed are pinned as regression tests at the end.
//! The coverage-guided cargo-fuzz targets of the same decoders live in fuzz/ (README, "Fuzzing");
//! `write_fuzz_seed_corpora` below writes their seeds from the generators here.

#[path = "common/fuzz.rs"]
mod fuzz;

use engine::Chain;
use journal::testing::FaultyStorage;
use journal::{Journal, OpenOptions};
use ledger::block::SignedBlock;
use ledger::genesis::{chain_id_of_text, GenesisState, DEV_GENESIS_JSON};
use ledger::transaction::{ChainId, ProcessedTransaction, SignedTransaction};
use ledger::{Pack, Unpack};
use rand::Rng;
use std::path::Path;

fn vectors() -> serde_json::Value {
    serde_json::from_str(include_str!("../ledger/tests/data/bitshares_ops.json")).unwrap()
}

/// The golden vectors' signed transactions: (JSON text, bytes).
fn tx_corpus() -> Vec<(String, Vec<u8>)> {
    vectors()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["tx_json"].to_string(), hex::decode(v["signed_tx_bytes_hex"].as_str().unwrap()).unwrap()))
        .collect()
}

fn dev_chain() -> Chain {
    let chain_id = ChainId(chain_id_of_text(DEV_GENESIS_JSON));
    let mut chain = Chain::new(engine::genesis::build(&GenesisState::dev(), chain_id).unwrap());
    chain.skip.block_signature = true;
    chain
}

/// Blocks: empty produced ones, and one carrying every vector transaction.
fn block_corpus() -> Vec<Vec<u8>> {
    let mut chain = dev_chain();
    let mut blocks = Vec::new();
    for _ in 0..3 {
        let t = chain.slot_time(1);
        blocks.push(SignedBlock::clone(&chain.produce_block(t, &[], None).unwrap().block));
    }
    let mut full = blocks[2].clone();
    full.transactions = tx_corpus()
        .iter()
        .map(|(_, bytes)| ProcessedTransaction {
            signed: SignedTransaction::from_bytes(bytes).unwrap(),
            operation_results: Vec::new(),
        })
        .collect();
    blocks.push(full);
    blocks.iter().map(Pack::to_bytes).collect()
}

fn check_tx_bytes(bytes: &[u8]) {
    if let Ok(tx) = SignedTransaction::from_bytes(bytes) {
        let again = tx.to_bytes();
        assert_eq!(SignedTransaction::from_bytes(&again).as_ref(), Ok(&tx), "decode(encode(tx)) == tx");
        let _ = tx.validate();
        let _ = tx.id();
        let _ = serde_json::to_string(&tx).unwrap();
    }
}

fn check_block_bytes(bytes: &[u8]) {
    if let Ok(block) = SignedBlock::from_bytes(bytes) {
        assert_eq!(SignedBlock::from_bytes(&block.to_bytes()).as_ref(), Ok(&block));
        let _ = block.digests();
        let _ = block.id();
        let _ = serde_json::to_string(&block).unwrap();
    }
}

fn check_tx_json(text: &str) {
    if let Ok(tx) = serde_json::from_str::<SignedTransaction>(text) {
        let _ = tx.validate();
        let bytes = tx.to_bytes();
        assert_eq!(SignedTransaction::from_bytes(&bytes).as_ref(), Ok(&tx));
    }
}

#[test]
fn fuzz_transaction_bytes() {
    let corpus = tx_corpus();
    fuzz::run("transaction bytes", |rng| {
        let input = if rng.gen_range(0..10) == 0 {
            fuzz::random_bytes(rng, 512)
        } else {
            let (_, a) = &corpus[rng.gen_range(0..corpus.len())];
            let (_, b) = &corpus[rng.gen_range(0..corpus.len())];
            fuzz::mutate(rng, a, b)
        };
        check_tx_bytes(&input);
    });
}

#[test]
fn fuzz_block_bytes() {
    let corpus = block_corpus();
    fuzz::run("block bytes", |rng| {
        let input = if rng.gen_range(0..10) == 0 {
            fuzz::random_bytes(rng, 1024)
        } else {
            let a = &corpus[rng.gen_range(0..corpus.len())];
            let b = &corpus[rng.gen_range(0..corpus.len())];
            fuzz::mutate(rng, a, b)
        };
        check_block_bytes(&input);
    });
}

#[test]
fn fuzz_transaction_json() {
    let corpus = tx_corpus();
    fuzz::run("transaction JSON", |rng| {
        let (a, _) = &corpus[rng.gen_range(0..corpus.len())];
        let text = if rng.gen() {
            let (b, _) = &corpus[rng.gen_range(0..corpus.len())];
            fuzz::mutate_text(rng, a, b)
        } else {
            let mut v: serde_json::Value = serde_json::from_str(a).unwrap();
            for _ in 0..rng.gen_range(1..4) {
                fuzz::mutate_json(rng, &mut v);
            }
            v.to_string()
        };
        check_tx_json(&text);
    });
}

/// A valid journal of a few real blocks in memory: (journal bytes, index bytes).
fn journal_corpus(chain_id: [u8; 32]) -> (Vec<u8>, Vec<u8>) {
    let disk = FaultyStorage::new();
    let dir = Path::new("/mem");
    let (mut j, _) = Journal::open_in(disk.clone(), dir, chain_id, OpenOptions::default()).unwrap();
    for (i, payload) in block_corpus().iter().enumerate() {
        let n = i as u32 + 1;
        j.append(n, &[n as u8; 20], &[n as u8; 32], payload).unwrap();
    }
    j.sync().unwrap();
    drop(j);
    (disk.contents(&dir.join(journal::JOURNAL_FILE)).unwrap(), disk.contents(&dir.join(journal::INDEX_FILE)).unwrap())
}

#[test]
fn fuzz_journal_records() {
    let chain_id = [3u8; 32];
    let (journal_bytes, index_bytes) = journal_corpus(chain_id);
    let dir = Path::new("/mem");
    fuzz::run("journal records", |rng| {
        let disk = FaultyStorage::new();
        let journal = fuzz::mutate(rng, &journal_bytes, &index_bytes);
        let index = if rng.gen() { fuzz::mutate(rng, &index_bytes, &journal_bytes) } else { index_bytes.clone() };
        disk.set_contents(&dir.join(journal::JOURNAL_FILE), journal);
        disk.set_contents(&dir.join(journal::INDEX_FILE), index);
        let truncate_corrupt_at = rng.gen_bool(0.3).then(|| rng.gen_range(0..8));
        check_journal_open(disk, chain_id, OpenOptions { truncate_corrupt_at, first_block: 1 });
    });
}

/// Open the journal in `disk`'s /mem; if recovery accepts it, every record it kept reads back,
/// by index and by streaming, and decodes or is refused as a block without panicking.
fn check_journal_open(disk: FaultyStorage, chain_id: [u8; 32], opts: OpenOptions) {
    if let Ok((j, report)) = Journal::open_in(disk, Path::new("/mem"), chain_id, opts) {
        assert_eq!(report.head, j.head());
        for n in j.first_block()..=j.head() {
            let rec = j.read(n).expect("recovery verified every record it kept");
            check_block_bytes(&rec.payload);
        }
        let mut it = j.iter_from(j.first_block()).unwrap();
        let mut count = 0;
        while let Some(rec) = it.next_ref() {
            rec.expect("verified records stream");
            count += 1;
        }
        assert_eq!(count, j.head() + 1 - j.first_block());
    }
}

/// The read-only open of `graphene replay` against the writable open, on the same damaged bytes:
/// the same verdict, head and report, reading the same records, and the files left untouched.
#[test]
fn fuzz_journal_read_only_open_agrees_with_the_writable_open() {
    let chain_id = [3u8; 32];
    let (journal_bytes, index_bytes) = journal_corpus(chain_id);
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path();
    let mem = Path::new("/mem");
    fuzz::run("journal read-only open", |rng| {
        let journal = fuzz::mutate(rng, &journal_bytes, &index_bytes);
        let index = if rng.gen() { fuzz::mutate(rng, &index_bytes, &journal_bytes) } else { index_bytes.clone() };
        std::fs::write(real.join(journal::JOURNAL_FILE), &journal).unwrap();
        std::fs::write(real.join(journal::INDEX_FILE), &index).unwrap();
        let disk = FaultyStorage::new();
        disk.set_contents(&mem.join(journal::JOURNAL_FILE), journal.clone());
        disk.set_contents(&mem.join(journal::INDEX_FILE), index.clone());
        let writable = Journal::open_in(disk, mem, chain_id, OpenOptions::default());
        let read_only = Journal::open_read_only(real, chain_id, OpenOptions::default());
        match (writable, read_only) {
            (Ok((w, wr)), Ok((r, rr))) => {
                assert_eq!(
                    (w.head(), wr.torn_tail_bytes_cut, wr.index_rebuilt),
                    (r.head(), rr.torn_tail_bytes_cut, rr.index_rebuilt)
                );
                for n in w.first_block()..=w.head() {
                    assert_eq!(w.read(n).unwrap(), r.read(n).unwrap());
                }
            }
            (Err(w), Err(r)) => assert_eq!(
                w.to_string().replace(&mem.display().to_string(), ""),
                r.to_string().replace(&real.display().to_string(), "")
            ),
            (w, r) => panic!("writable {:?} but read-only {:?}", w.map(|x| x.1), r.map(|x| x.1)),
        }
        assert_eq!(std::fs::read(real.join(journal::JOURNAL_FILE)).unwrap(), journal, "read-only changed the journal");
        assert_eq!(std::fs::read(real.join(journal::INDEX_FILE)).unwrap(), index, "read-only changed the index");
    });
}

#[test]
fn fuzz_snapshots() {
    let mut chain = dev_chain();
    for _ in 0..3 {
        let t = chain.slot_time(1);
        chain.produce_block(t, &[], None).unwrap();
    }
    let snapshot = engine::snapshot::write(&chain.state);
    let header_len = 64;
    fuzz::run("snapshots", |rng| {
        let input = match rng.gen_range(0..4) {
            // Mostly small damage, so some inputs get past the preamble.
            0 => {
                let mut s = snapshot.clone();
                let at = rng.gen_range(0..s.len());
                s[at] ^= 1 << rng.gen_range(0..8);
                s
            }
            1 => snapshot[..rng.gen_range(0..snapshot.len())].to_vec(),
            2 => {
                let mut s = snapshot.clone();
                let mutated = fuzz::mutate(rng, &s[..header_len], &[]);
                s.splice(..header_len, mutated);
                s
            }
            _ => fuzz::random_bytes(rng, 256),
        };
        if let Ok((header, state)) = engine::snapshot::read(&input) {
            // Only an undamaged archive may load, and then it is the state that was written.
            assert_eq!(header.state_hash, chain.state.state_hash);
            assert_eq!(state.dgp().head_block_number, 3);
        }
    });
}

// ---- seed corpora for the coverage-guided targets (fuzz/, cargo-fuzz) ----

/// Write the seed corpora of the cargo-fuzz targets into fuzz/corpus/<target>/ from the same
/// generators as the harnesses above (the `apply_scenario` and `config_toml` seeds come from the
/// binary's `write_fuzz_seed_corpora`). Ignored: run it by hand before fuzzing (README, "Fuzzing").
#[test]
#[ignore = "writes files into fuzz/corpus; run by hand before cargo fuzz"]
fn write_fuzz_seed_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let write = |target: &str, name: String, bytes: &[u8]| {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    };
    for (i, (text, bytes)) in tx_corpus().iter().enumerate() {
        write("transaction", format!("vector-{i}"), bytes);
        write("transaction_json", format!("vector-{i}"), text.as_bytes());
    }
    for (i, bytes) in block_corpus().iter().enumerate() {
        write("block", format!("block-{i}"), bytes);
    }
    // fuzz/fuzz_targets/journal_record.rs: flag byte, journal length (u32 LE), journal, index.
    let (journal_bytes, index_bytes) = journal_corpus([3u8; 32]);
    for (name, index) in [("with-index", &index_bytes[..]), ("without-index", &[][..])] {
        let mut input = vec![0u8];
        input.extend_from_slice(&(journal_bytes.len() as u32).to_le_bytes());
        input.extend_from_slice(&journal_bytes);
        input.extend_from_slice(index);
        write("journal_record", name.to_string(), &input);
    }
    let mut chain = dev_chain();
    for _ in 0..3 {
        let t = chain.slot_time(1);
        chain.produce_block(t, &[], None).unwrap();
    }
    write("snapshot", "dev-3-blocks".to_string(), &engine::snapshot::write(&chain.state));
    // fuzz/fuzz_targets/snapshot_objects.rs: arena number, then one object's bytes; the first
    // few objects of every arena of the dev chain.
    struct Objects(Vec<(String, Vec<u8>)>);
    impl engine::snapshot::ArenaVisitor for Objects {
        fn visit<T: ledger::graph::Object + Unpack, I: ledger::graph::Index<T>>(
            &mut self,
            name: &'static str,
            arena: &ledger::graph::Arena<T, I>,
        ) {
            let pick = engine::State::ARENA_NAMES.iter().position(|n| *n == name).unwrap() as u8;
            for (instance, obj) in arena.iter().take(3) {
                let mut input = vec![pick];
                obj.pack(&mut input);
                self.0.push((format!("{name}-{instance}"), input));
            }
        }
    }
    let mut objects = Objects(Vec::new());
    chain.state.visit_arenas(&mut objects);
    for (name, input) in objects.0 {
        write("snapshot_objects", name, &input);
    }
}

// ---- pinned inputs ----
// Hand-picked edges, and inputs the coverage-guided targets (fuzz/) found, stay as regression
// tests whatever the seeds do.

#[test]
fn a_transaction_claiming_four_billion_operations_is_refused_without_allocating_them() {
    let (_, bytes) = &tx_corpus()[0];
    // ref_block_num (2) + ref_block_prefix (4) + expiration (4), then the operation count varint.
    let mut input = bytes[..10].to_vec();
    input.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert!(SignedTransaction::from_bytes(&input).is_err());
    check_tx_bytes(&input);
}

#[test]
fn empty_and_one_byte_inputs_are_refused_by_every_decoder() {
    for input in [&[][..], &[0][..], &[0xff][..]] {
        assert!(SignedTransaction::from_bytes(input).is_err());
        assert!(SignedBlock::from_bytes(input).is_err());
        assert!(engine::snapshot::read(input).is_err());
    }
    for text in ["", "{", "[]", "null", "{\"operations\": [[255, {}]]}", &"[".repeat(10_000)] {
        assert!(serde_json::from_str::<SignedTransaction>(text).is_err(), "{text:.20}");
    }
}

#[test]
fn a_journal_of_only_zero_bytes_after_the_header_is_a_torn_tail() {
    let chain_id = [3u8; 32];
    let (journal_bytes, _) = journal_corpus(chain_id);
    let dir = Path::new("/mem");
    let disk = FaultyStorage::new();
    let mut bytes = journal_bytes[..journal::format::FILE_HEADER_LEN].to_vec();
    bytes.extend_from_slice(&[0; 4096]);
    disk.set_contents(&dir.join(journal::JOURNAL_FILE), bytes);
    let (j, report) = Journal::open_in(disk, dir, chain_id, OpenOptions::default()).unwrap();
    assert_eq!((j.head(), report.torn_tail_bytes_cut), (0, 4096));
}

/// Found by the cargo-fuzz `journal_record` target (input layout in its file): a journal whose
/// block 1 record carries a trailing checksum that matches (libFuzzer copies the bytes a
/// comparison expects) over a header whose 4-byte header check does not. Recovery kept it on the
/// strength of the checksum, then `Journal::read` refused it; now recovery refuses it too.
#[test]
fn a_journal_record_with_a_matching_checksum_over_a_bad_header_check_is_not_kept() {
    let input = hex::decode(
        "008708000047524a4f55524e4c0100000001000000030303030303030303030303030303030303030303030303030303\
         03030303039a1b86bc1459ff36b212cbbde135c207260000000100000001010101010101010101010101010101010101\
         014f5552a04e4c0100000001000000030303030303030303ffffffcd03030303030b0303000000000000000000010101\
         0101010101973a0d78c428873d798bbb23f0d937fb010101010101d2d6e3b4068d79f28069c83041de2bc400",
    )
    .unwrap();
    let journal_len = (u32::from_le_bytes(input[1..5].try_into().unwrap()) as usize).min(input.len() - 5);
    let disk = FaultyStorage::new();
    disk.set_contents(&Path::new("/mem").join(journal::JOURNAL_FILE), input[5..5 + journal_len].to_vec());
    let opened = Journal::open_in(disk.clone(), Path::new("/mem"), [3; 32], OpenOptions::default());
    assert!(
        matches!(opened, Err(journal::JournalError::CorruptRecord { block_num: 1, .. })),
        "{:?}",
        opened.map(|x| x.1)
    );
    check_journal_open(disk, [3; 32], OpenOptions::default());
}
