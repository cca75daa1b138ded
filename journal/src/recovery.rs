//! Crash recovery: the scan run by every open, which verifies every record, tells a torn tail
//! from damage, and brings the index back in line with the journal.
//!
//! How damage is told apart (the format makes it decidable, see [`crate::format`]):
//!
//! - **Torn tail**, cut back to the last whole record and reported: fewer bytes left than a
//!   record header; or a record header that verifies but claims an end past the end of the file;
//!   or nothing but zero bytes from the record start to the end of the file. These are the only
//!   shapes a write interrupted by a crash can leave, because records are appended in order and
//!   a record is acknowledged only after it is synced.
//! - **Corruption**, never cut silently: any *complete* record whose checksum fails, a record
//!   header that fails its own check (unless the rest of the file is zeros), a verifying record
//!   with the wrong block number. This holds for the last record as well: a full-length record
//!   with a bad checksum was written whole and may have been acknowledged as durable, so dropping
//!   it would lose a confirmed block. The open fails naming the block, unless the operator asked
//!   to truncate there (`OpenOptions::truncate_corrupt_at`).
//!
//! The scan reads the journal once, front to back, in large chunks. It must never rewrite a
//! record: the only change it makes to the journal file is shortening it.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{CorruptReason, JournalError};
use crate::format::{
    decode_index_entry, encode_index_entry, header_check_ok, record_ok, FileHeader, RecordHeader, FILE_HEADER_LEN,
    INDEX_ENTRY_LEN, PAYLOAD_MAX, RECORD_HEADER_LEN,
};
use crate::reader::{ByteSource, ChunkReader, FileSource, CHUNK_LEN};
use crate::storage::StorageFile;

/// What the operator allows recovery to do beyond cutting a torn tail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenOptions {
    /// Discard this block and every later one if the journal is damaged at or after it
    /// (`--truncate-corrupt-at N`). Has no effect on an undamaged journal.
    pub truncate_corrupt_at: Option<u32>,
    /// The number of the first block, used only when the journal is created.
    pub first_block: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions { truncate_corrupt_at: None, first_block: 1 }
    }
}

/// A damaged stretch discarded on the operator's request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CorruptCut {
    /// The first damaged block.
    pub damaged_block: u32,
    /// Where its record starts.
    pub damaged_offset: u64,
    pub reason: CorruptReason,
    /// The first block discarded (the one named by `truncate_corrupt_at`).
    pub cut_from_block: u32,
    pub bytes_cut: u64,
}

/// What opening the journal found and did, for the node log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecoveryReport {
    pub path: PathBuf,
    /// The journal did not exist (or held only a partial header) and was created.
    pub created: bool,
    pub first_block: u32,
    /// Last block held after recovery; `first_block - 1` when empty.
    pub head: u32,
    /// Number of blocks held after recovery.
    pub blocks: u32,
    /// Journal file length after recovery.
    pub bytes: u64,
    /// Bytes of a partial last record cut off.
    pub torn_tail_bytes_cut: u64,
    /// Damage discarded because the operator asked to.
    pub corrupt_cut: Option<CorruptCut>,
    /// `truncate_corrupt_at` was given but the journal was not damaged, so nothing was cut.
    pub truncate_request_unused: Option<u32>,
    /// The index was missing, short, long or wrong and was (partly) rewritten.
    pub index_rebuilt: bool,
    pub index_entries_written: u64,
}

impl fmt::Display for RecoveryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.created { "created" } else { "opened" };
        write!(f, "journal {} {verb}: ", self.path.display())?;
        match self.blocks {
            0 => write!(f, "no blocks")?,
            n => write!(f, "blocks {} to {} ({n} blocks, {} bytes)", self.first_block, self.head, self.bytes)?,
        }
        if self.torn_tail_bytes_cut > 0 {
            write!(f, "; cut a torn tail of {} bytes after block {}", self.torn_tail_bytes_cut, self.head)?;
        }
        if let Some(cut) = &self.corrupt_cut {
            write!(
                f,
                "; block {} was damaged ({}), discarded blocks from {} on ({} bytes) as requested",
                cut.damaged_block, cut.reason, cut.cut_from_block, cut.bytes_cut
            )?;
        }
        if let Some(block) = self.truncate_request_unused {
            write!(f, "; no damage found, --truncate-corrupt-at {block} had nothing to do")?;
        }
        if self.index_rebuilt {
            write!(f, "; index rebuilt ({} entries written)", self.index_entries_written)?;
        }
        Ok(())
    }
}

/// How the scan of the records ended.
enum ScanEnd {
    Clean,
    Torn,
    Corrupt(CorruptReason),
}

/// Verifies the journal past its header, repairs tail and index, and reports.
pub(crate) fn recover<F: StorageFile>(
    file: &mut F,
    index: &mut F,
    paths: (&Path, &Path),
    header: &FileHeader,
    opts: &OpenOptions,
) -> Result<RecoveryReport, JournalError> {
    let (journal_path, index_path) = paths;
    let io_journal = JournalError::io;
    let first = header.first_block;
    let file_len = file.len();
    let mut check = IndexCheck::new(index);
    let mut pos = FILE_HEADER_LEN as u64;
    let mut expected = first;
    let mut requested_offset = None;
    let end = {
        let mut reader = ChunkReader::new(FileSource(&*file));
        loop {
            if opts.truncate_corrupt_at.map(|n| n.max(first)) == Some(expected) {
                requested_offset = Some(pos);
            }
            match scan_one(&mut reader, pos, expected).map_err(io_journal(journal_path))? {
                Step::End(end) => break end,
                Step::Record(header) => {
                    check.push(u64::from(expected - first), pos, header.payload_len).map_err(io_journal(index_path))?;
                    pos += header.record_len();
                    expected += 1;
                }
            }
        }
    };
    let mut report = RecoveryReport {
        path: journal_path.to_path_buf(),
        created: false,
        first_block: first,
        head: expected - 1,
        blocks: expected - first,
        bytes: pos,
        torn_tail_bytes_cut: 0,
        corrupt_cut: None,
        truncate_request_unused: None,
        index_rebuilt: false,
        index_entries_written: 0,
    };
    let scanned = Scanned { end, file_len, damaged_offset: pos, requested_offset };
    let cut_at = decide_cut(&mut report, scanned, opts)?;
    if let Some(offset) = cut_at {
        file.truncate(offset).map_err(io_journal(journal_path))?;
        file.sync().map_err(io_journal(journal_path))?;
    }
    let (rebuilt, written) = check.finish(u64::from(report.blocks)).map_err(io_journal(index_path))?;
    report.index_rebuilt = rebuilt;
    report.index_entries_written = written;
    Ok(report)
}

/// Where the scan stopped, and what it saw on the way.
struct Scanned {
    end: ScanEnd,
    file_len: u64,
    /// Offset at which the scan stopped (the torn or damaged record, or the end of the file).
    damaged_offset: u64,
    /// Offset of the record named by `truncate_corrupt_at`, if the scan reached it.
    requested_offset: Option<u64>,
}

/// Decides what to cut given how the scan ended, filling the report; refuses damage unless the
/// operator asked to truncate at or before it. Returns the offset to cut the journal at.
fn decide_cut(report: &mut RecoveryReport, scanned: Scanned, opts: &OpenOptions) -> Result<Option<u64>, JournalError> {
    let pos = scanned.damaged_offset;
    let damaged = report.head + 1;
    match scanned.end {
        ScanEnd::Clean => {
            report.truncate_request_unused = opts.truncate_corrupt_at;
            Ok(None)
        }
        ScanEnd::Torn => {
            report.truncate_request_unused = opts.truncate_corrupt_at;
            report.torn_tail_bytes_cut = scanned.file_len - pos;
            Ok(Some(pos))
        }
        ScanEnd::Corrupt(reason) => {
            let Some(requested) = opts.truncate_corrupt_at else {
                let path = report.path.clone();
                return Err(JournalError::CorruptRecord { path, block_num: damaged, offset: pos, reason });
            };
            let cut_offset =
                scanned.requested_offset.ok_or(JournalError::TruncateAfterDamage { requested, damaged })?;
            let cut_from_block = requested.max(report.first_block);
            report.corrupt_cut = Some(CorruptCut {
                damaged_block: damaged,
                damaged_offset: pos,
                reason,
                cut_from_block,
                bytes_cut: scanned.file_len - cut_offset,
            });
            report.head = cut_from_block - 1;
            report.blocks = cut_from_block - report.first_block;
            report.bytes = cut_offset;
            Ok(Some(cut_offset))
        }
    }
}

/// One step of the scan.
enum Step {
    /// A whole, verified record with the expected number.
    Record(RecordHeader),
    End(ScanEnd),
}

/// Looks at the record starting at `pos`, which should be block `expected`. Fast path: the
/// header check and one blake3 over the whole record; only a record that fails them is looked at
/// closely to classify it.
fn scan_one<S: ByteSource>(reader: &mut ChunkReader<S>, pos: u64, expected: u32) -> std::io::Result<Step> {
    let remaining = reader.end() - pos;
    if remaining == 0 {
        return Ok(Step::End(ScanEnd::Clean));
    }
    if remaining < RECORD_HEADER_LEN as u64 {
        return Ok(Step::End(ScanEnd::Torn));
    }
    let header = RecordHeader::decode_unchecked(reader.window(pos, RECORD_HEADER_LEN)?);
    let record_len = header.record_len();
    let plausible = header.block_num == expected && header.payload_len <= PAYLOAD_MAX && record_len <= remaining;
    if plausible && record_ok(reader.window(pos, record_len as usize)?) {
        return Ok(Step::Record(header));
    }
    if !header_check_ok(reader.window(pos, RECORD_HEADER_LEN)?) {
        let end = if reader.all_zero_from(pos)? { ScanEnd::Torn } else { ScanEnd::Corrupt(CorruptReason::HeaderCheck) };
        return Ok(Step::End(end));
    }
    let end = if header.block_num != expected {
        ScanEnd::Corrupt(CorruptReason::NonConsecutive { found: header.block_num })
    } else if header.payload_len > PAYLOAD_MAX {
        ScanEnd::Corrupt(CorruptReason::TooLarge { payload_len: header.payload_len })
    } else if record_len > remaining {
        // The header verifies, so the length is real: the record was only partly written.
        ScanEnd::Torn
    } else {
        ScanEnd::Corrupt(CorruptReason::Checksum)
    };
    Ok(Step::End(end))
}

/// Compares the index with the records as the scan finds them; from the first disagreement on,
/// rewrites it. The index is derived data, so rewriting it is not rewriting the journal.
struct IndexCheck<'a, F> {
    index: &'a mut F,
    buf: Vec<u8>,
    buf_start: u64,
    rewriting: bool,
    rewrite_start: u64,
    out: Vec<u8>,
    written: u64,
}

impl<'a, F: StorageFile> IndexCheck<'a, F> {
    fn new(index: &'a mut F) -> Self {
        IndexCheck {
            index,
            buf: Vec::new(),
            buf_start: 0,
            rewriting: false,
            rewrite_start: 0,
            out: Vec::new(),
            written: 0,
        }
    }

    /// Entry `i` should say: record at `offset` with a payload of `payload_len` bytes.
    fn push(&mut self, i: u64, offset: u64, payload_len: u32) -> std::io::Result<()> {
        if !self.rewriting {
            if self.entry(i)? == Some((offset, payload_len)) {
                return Ok(());
            }
            self.rewriting = true;
            self.rewrite_start = i;
            self.index.truncate(i * INDEX_ENTRY_LEN as u64)?;
        }
        encode_index_entry(&mut self.out, offset, payload_len);
        self.written += 1;
        if self.out.len() >= CHUNK_LEN {
            self.index.append(&self.out)?;
            self.out.clear();
        }
        Ok(())
    }

    fn entry(&mut self, i: u64) -> std::io::Result<Option<(u64, u32)>> {
        let at = i * INDEX_ENTRY_LEN as u64;
        if at + INDEX_ENTRY_LEN as u64 > self.index.len() {
            return Ok(None);
        }
        let buf_end = self.buf_start + self.buf.len() as u64;
        if at < self.buf_start || at + INDEX_ENTRY_LEN as u64 > buf_end {
            let len = (self.index.len() - at).min(CHUNK_LEN as u64) as usize;
            self.buf.resize(len, 0);
            self.buf_start = at;
            self.index.read_at(at, &mut self.buf)?;
        }
        let start = (at - self.buf_start) as usize;
        Ok(Some(decode_index_entry(&self.buf[start..start + INDEX_ENTRY_LEN])))
    }

    /// Leaves exactly `count` entries and makes the index durable when it changed. Returns
    /// (whether it changed, entries written).
    fn finish(self, count: u64) -> std::io::Result<(bool, u64)> {
        let want_len = count * INDEX_ENTRY_LEN as u64;
        if !self.out.is_empty() {
            self.index.append(&self.out)?;
        }
        let changed = self.rewriting || self.index.len() != want_len;
        if self.index.len() > want_len {
            self.index.truncate(want_len)?;
        }
        if changed {
            self.index.sync()?;
        }
        // Entries written past `count` (blocks discarded on request) are not counted.
        Ok((changed, self.written.min(count.saturating_sub(self.rewrite_start))))
    }
}
