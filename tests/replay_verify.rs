//! `graphene replay` verifies and changes nothing; `--repair` changes the data dir and prints each
//! change; a passed-over snapshot is printed with its reason; every piece of advice names a
//! command and flag that exist. Through the real binary.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

fn graphene(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_graphene")).args(args).arg("--data-dir").arg(dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), stdout, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A dev data dir of `blocks` blocks with snapshots every 3 blocks (the two newest kept).
fn data_dir(blocks: u32) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let n = blocks.to_string();
    let (code, out, err) = graphene(&["node", "--dev", "--fast", "--snapshot-every", "3", "--blocks", &n], tmp.path());
    assert_eq!(code, 0, "{out}{err}");
    tmp
}

/// Every entry of the dir with its bytes and mtime, plus the dir's own mtime (which creating,
/// renaming or deleting an entry would move).
type Listing = (BTreeMap<String, (Vec<u8>, SystemTime)>, SystemTime);

fn listing(dir: &Path) -> Listing {
    let mut entries = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let meta = e.metadata().unwrap();
        entries.insert(
            e.file_name().to_string_lossy().into_owned(),
            (std::fs::read(e.path()).unwrap(), meta.modified().unwrap()),
        );
    }
    (entries, std::fs::metadata(dir).unwrap().modified().unwrap())
}

#[cfg(unix)]
fn set_read_only(dir: &Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    let (file_mode, dir_mode) = if read_only { (0o444, 0o555) } else { (0o644, 0o755) };
    for e in std::fs::read_dir(dir).unwrap() {
        std::fs::set_permissions(e.unwrap().path(), std::fs::Permissions::from_mode(file_mode)).unwrap();
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dir_mode)).unwrap();
}

fn head_of(stdout: &str) -> u32 {
    stdout.split_whitespace().find_map(|w| w.strip_prefix("head=")).expect("a summary line").parse().unwrap()
}

#[cfg(unix)]
#[test]
fn replay_of_a_read_only_copy_with_a_torn_tail_and_stale_files_changes_nothing_and_repair_fixes_it() {
    let tmp = data_dir(8);
    let dir = tmp.path();
    // What a crash leaves: half a record at the end, a short index, a half-written snapshot.
    let mut journal = std::fs::read(dir.join("blocks.journal")).unwrap();
    journal.extend_from_slice(&[0x17; 7]);
    std::fs::write(dir.join("blocks.journal"), &journal).unwrap();
    let index = std::fs::read(dir.join("blocks.index")).unwrap();
    std::fs::write(dir.join("blocks.index"), &index[..index.len() - 12]).unwrap();
    std::fs::write(dir.join("snapshot-0000000009.rkyv.tmp"), b"partial").unwrap();
    set_read_only(dir, true);
    // Let any change show in the mtimes.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let before = listing(dir);

    for args in [&["replay"][..], &["replay", "--from-snapshot"][..]] {
        let (code, out, err) = graphene(args, dir);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        assert_eq!(head_of(&out), 8, "{out}");
        assert!(out.contains("found: a torn tail of 7 bytes after block 8"), "{out}");
        assert!(out.contains("found: the index"), "{out}");
        assert!(out.contains("snapshot-0000000009.rkyv.tmp is stale"), "{out}");
        assert!(out.contains("`graphene replay --repair`"), "names the command that repairs: {out}");
        assert!(!out.contains("repaired:"), "{out}");
        assert!(listing(dir) == before, "{args:?} changed the data dir");
    }

    set_read_only(dir, false);
    let (code, out, err) = graphene(&["replay", "--repair"], dir);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("repaired: cut a torn tail of 7 bytes after block 8"), "{out}");
    assert!(out.contains("repaired: rewrote the index"), "{out}");
    assert!(out.contains("repaired: deleted ") && out.contains("snapshot-0000000009.rkyv.tmp"), "{out}");
    assert_eq!(std::fs::read(dir.join("blocks.journal")).unwrap().len(), journal.len() - 7);
    assert_eq!(std::fs::read(dir.join("blocks.index")).unwrap(), index);
    assert!(!dir.join("snapshot-0000000009.rkyv.tmp").exists());
    // Nothing left to find or repair.
    let (code, out, _) = graphene(&["replay"], dir);
    assert_eq!(code, 0);
    assert!(!out.contains("found:"), "{out}");
    let (code, out, _) = graphene(&["replay", "--repair"], dir);
    assert_eq!(code, 0);
    assert!(out.contains("repaired: nothing needed repair"), "{out}");
}

#[test]
fn a_damaged_snapshot_is_passed_over_with_its_reason() {
    let tmp = data_dir(8);
    let dir = tmp.path();
    // Snapshots 6 and 8 are kept; damage 8 in the middle of its archive.
    let newest = dir.join("snapshot-0000000008.rkyv");
    let mut bytes = std::fs::read(&newest).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&newest, &bytes).unwrap();
    let (code, out, err) = graphene(&["replay", "--from-snapshot"], dir);
    assert_eq!(code, 0, "{out}{err}");
    let skipped = out.lines().find(|l| l.starts_with("snapshot skipped: ")).unwrap_or_else(|| panic!("{out}"));
    assert!(skipped.contains("snapshot-0000000008.rkyv"), "names the file: {skipped}");
    assert!(out.contains("from=snapshot-6 head=8"), "fell back to the older snapshot: {out}");
    // With both damaged, it says so and replays from genesis.
    let older = dir.join("snapshot-0000000006.rkyv");
    let mut bytes = std::fs::read(&older).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0xff;
    std::fs::write(&older, &bytes).unwrap();
    let (code, out, err) = graphene(&["replay", "--from-snapshot"], dir);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out.matches("snapshot skipped: ").count(), 2, "{out}");
    assert!(out.contains("no usable snapshot: replayed from genesis"), "{out}");
    assert!(out.contains("from=genesis head=8"), "{out}");
}

#[test]
fn damage_is_refused_with_advice_that_exists_and_repaired_only_on_request() {
    let tmp = data_dir(6);
    let dir = tmp.path();
    let index = std::fs::read(dir.join("blocks.index")).unwrap();
    let offset_of = |n: usize| u64::from_le_bytes(index[(n - 1) * 12..(n - 1) * 12 + 8].try_into().unwrap());
    let mut bytes = std::fs::read(dir.join("blocks.journal")).unwrap();
    bytes[offset_of(3) as usize + 90] ^= 0x40;
    std::fs::write(dir.join("blocks.journal"), &bytes).unwrap();

    let (code, out, err) = graphene(&["replay"], dir);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("block 3"), "{err}");
    assert!(err.contains("`graphene replay --repair --truncate-corrupt-at 3`"), "{err}");
    assert!(!err.contains("peers"), "{err}");
    assert_eq!(std::fs::read(dir.join("blocks.journal")).unwrap(), bytes, "a refused replay changes nothing");
    // The advice works as given.
    let (code, out, err) = graphene(&["replay", "--repair", "--truncate-corrupt-at", "3"], dir);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("repaired: block 3 was damaged"), "{out}");
    assert!(out.contains("is past the journal head 2; deleted"), "stale snapshots are deleted and said: {out}");
    assert_eq!(head_of(&out), 2);
    // --truncate-corrupt-at without --repair is a usage error, not a silent no-op.
    let (code, _, err) = graphene(&["replay", "--truncate-corrupt-at", "3"], dir);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn replay_needs_a_journal_and_a_genesis_and_says_which_flag_gives_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = graphene(&["replay"], tmp.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("holds no block journal"), "{err}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "nothing created");
    let tmp = data_dir(2);
    std::fs::remove_file(tmp.path().join("genesis.json")).unwrap();
    let (code, _, err) = graphene(&["replay"], tmp.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("give --genesis FILE"), "{err}");
    assert!(!err.contains("--dev"), "replay has no --dev: {err}");
}
