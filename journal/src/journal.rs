//! The journal itself: opening (with recovery), appending with group commit, random reads,
//! streaming replay and the one shortening operation, `truncate_after`.
//!
//! Invariants:
//! - Records hold consecutive block numbers from the header's `first_block` to `head`.
//! - `durable_head <= head`; every block up to `durable_head` was on disk when a `sync` returned
//!   it. Appended blocks past it live in memory (or were written but not synced) and are lost in
//!   a crash, or when the journal is dropped without a `sync`, which is fine: nobody was told
//!   they were durable.
//! - After any failed write or sync the journal is poisoned: it refuses further writes, because
//!   after a failed fdatasync the kernel may have dropped the dirty pages, so what is on disk is
//!   unknown until recovery reads it back. The caller restarts (reopens) instead of retrying.
//! - A record is never rewritten in place. The file only grows, except by `truncate_after` and by
//!   recovery cutting a torn or (on request) damaged tail.
//! - The index file is a cache: written with the journal, never synced on the write path (a sync
//!   per commit would double the cost of durability), verified and repaired by every open.

use std::path::{Path, PathBuf};

use crate::error::{ChainIdHex, CorruptReason, JournalError};
use crate::format::{
    decode_index_entry, encode_index_entry, encode_record, record_checksum_ok, FileHeader, HeaderDefect, RecordHeader,
    FILE_HEADER_LEN, FORMAT_VERSION, INDEX_ENTRY_LEN, PAYLOAD_MAX, RECORD_CHECKSUM_LEN, RECORD_HEADER_LEN,
};
use crate::recovery::{recover, OpenOptions, RecoveryReport};
use crate::replay::Replay;
use crate::storage::{FileStorage, Storage, StorageFile};

/// File name of the journal inside its directory.
pub const JOURNAL_FILE: &str = "blocks.journal";
/// File name of the index inside its directory.
pub const INDEX_FILE: &str = "blocks.index";

/// Appended bytes held in memory before they are written out even without a sync, so a long run
/// of appends without a sync does not grow memory without bound.
const PENDING_WRITE_BYTES: usize = 8 << 20;

/// One block record, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub block_num: u32,
    pub block_id: [u8; 20],
    /// The chained state hash after applying this block.
    pub state_hash: [u8; 32],
    /// The packed signed block.
    pub payload: Vec<u8>,
}

/// One block record, borrowed from the reader's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordRef<'a> {
    pub block_num: u32,
    pub block_id: [u8; 20],
    pub state_hash: [u8; 32],
    pub payload: &'a [u8],
}

impl RecordRef<'_> {
    pub fn to_owned(&self) -> Record {
        Record {
            block_num: self.block_num,
            block_id: self.block_id,
            state_hash: self.state_hash,
            payload: self.payload.to_vec(),
        }
    }
}

/// The append-only block journal. See the module doc for its invariants.
pub struct Journal<S: Storage = FileStorage> {
    journal_path: PathBuf,
    index_path: PathBuf,
    file: S::File,
    index: S::File,
    header: FileHeader,
    /// Bytes written to `file` (synced or not).
    written_len: u64,
    /// Last block written to `file`.
    written_head: u32,
    durable_head: u32,
    head: u32,
    /// Records appended but not yet written to `file`; they start at offset `written_len`.
    pending: Vec<u8>,
    /// Index entries of the records in `pending`.
    pending_index: Vec<u8>,
    poisoned: Option<String>,
}

impl Journal<FileStorage> {
    /// Opens (creating when absent) the journal in `dir`, running recovery.
    pub fn open(dir: &Path, chain_id: [u8; 32], opts: OpenOptions) -> Result<(Self, RecoveryReport), JournalError> {
        Self::open_in(FileStorage, dir, chain_id, opts)
    }
}

impl<S: Storage> Journal<S> {
    /// Opens (creating when absent) the journal in `dir` of `storage`, running recovery.
    pub fn open_in(
        storage: S,
        dir: &Path,
        chain_id: [u8; 32],
        opts: OpenOptions,
    ) -> Result<(Self, RecoveryReport), JournalError> {
        let journal_path = dir.join(JOURNAL_FILE);
        let index_path = dir.join(INDEX_FILE);
        let mut file = storage.open_file(&journal_path).map_err(JournalError::io(&journal_path))?;
        let mut index = storage.open_file(&index_path).map_err(JournalError::io(&index_path))?;
        let (header, created) = open_header(&mut file, &journal_path, chain_id, opts.first_block.max(1))?;
        let paths = (journal_path.as_path(), index_path.as_path());
        let mut report = recover(&mut file, &mut index, paths, &header, &opts)?;
        report.created = created;
        let journal = Journal {
            written_len: report.bytes,
            written_head: report.head,
            durable_head: report.head,
            head: report.head,
            journal_path,
            index_path,
            file,
            index,
            header,
            pending: Vec::new(),
            pending_index: Vec::new(),
            poisoned: None,
        };
        Ok((journal, report))
    }

    pub fn path(&self) -> &Path {
        &self.journal_path
    }

    pub fn chain_id(&self) -> [u8; 32] {
        self.header.chain_id
    }

    /// Number of the first block the journal holds (or will hold).
    pub fn first_block(&self) -> u32 {
        self.header.first_block
    }

    /// Last block appended; `first_block() - 1` when empty.
    pub fn head(&self) -> u32 {
        self.head
    }

    /// Last block known to be on disk.
    pub fn durable_head(&self) -> u32 {
        self.durable_head
    }

    /// Appends a block. Buffered, not durable: it becomes durable with the next successful
    /// [`Journal::sync`]. `block_num` must be `head() + 1`.
    pub fn append(
        &mut self,
        block_num: u32,
        block_id: &[u8; 20],
        state_hash: &[u8; 32],
        payload: &[u8],
    ) -> Result<(), JournalError> {
        self.check_writable()?;
        if Some(block_num) != self.head.checked_add(1) {
            return Err(JournalError::NonConsecutive { head: self.head, got: block_num });
        }
        if payload.len() > PAYLOAD_MAX as usize {
            return Err(JournalError::PayloadTooLarge { block_num, len: payload.len(), max: PAYLOAD_MAX });
        }
        let offset = self.written_len + self.pending.len() as u64;
        encode_record(&mut self.pending, block_num, block_id, state_hash, payload);
        encode_index_entry(&mut self.pending_index, offset, payload.len() as u32);
        self.head = block_num;
        if self.pending.len() >= PENDING_WRITE_BYTES {
            self.write_pending()?;
        }
        Ok(())
    }

    /// Makes every appended block durable with one fdatasync (group commit) and returns the
    /// durable head. On failure the blocks appended since the last successful sync are not
    /// durable, `durable_head()` does not move, and the journal is poisoned.
    pub fn sync(&mut self) -> Result<u32, JournalError> {
        self.check_writable()?;
        if self.durable_head == self.head {
            return Ok(self.durable_head);
        }
        self.write_pending()?;
        if let Err(source) = self.file.sync() {
            return Err(self.poison(&self.journal_path.clone(), source));
        }
        self.durable_head = self.head;
        Ok(self.durable_head)
    }

    /// Reads one block (durable or only appended).
    pub fn read(&self, block_num: u32) -> Result<Record, JournalError> {
        let (offset, payload_len) = self.locate(block_num)?;
        let mut bytes = vec![0u8; payload_len as usize + crate::format::RECORD_OVERHEAD];
        self.read_bytes(offset, &mut bytes)?;
        let corrupt =
            |reason| JournalError::CorruptRecord { path: self.journal_path.clone(), block_num, offset, reason };
        let header = RecordHeader::decode(&bytes).ok_or(corrupt(CorruptReason::HeaderCheck))?;
        if header.block_num != block_num {
            return Err(corrupt(CorruptReason::NonConsecutive { found: header.block_num }));
        }
        if header.payload_len != payload_len || !record_checksum_ok(&bytes) {
            return Err(corrupt(CorruptReason::Checksum));
        }
        bytes.truncate(bytes.len() - RECORD_CHECKSUM_LEN);
        bytes.drain(..RECORD_HEADER_LEN);
        Ok(Record { block_num, block_id: header.block_id, state_hash: header.state_hash, payload: bytes })
    }

    /// Streams blocks from `block_num` to `head()` front to back, verifying each record.
    /// `block_num == head() + 1` gives an empty stream.
    pub fn iter_from(&self, block_num: u32) -> Result<Replay<'_, S>, JournalError> {
        let offset = if Some(block_num) == self.head.checked_add(1) {
            self.written_len + self.pending.len() as u64
        } else {
            self.locate(block_num)?.0
        };
        Ok(Replay::new(self, offset, block_num))
    }

    /// Discards every block after `block_num` (a fork switch before irreversibility), durably.
    /// This is the only operation that shortens the journal; it never rewrites a record in
    /// place. `block_num` may be `first_block() - 1` to empty the journal.
    pub fn truncate_after(&mut self, block_num: u32) -> Result<(), JournalError> {
        self.check_writable()?;
        let first = self.header.first_block;
        if block_num < first - 1 || block_num > self.head {
            return Err(JournalError::TruncateOutOfRange { block_num, first, head: self.head });
        }
        if block_num == self.head {
            return Ok(());
        }
        let cut_block = block_num + 1;
        let cut_offset = self.locate(cut_block)?.0;
        if cut_block > self.written_head {
            // Only blocks still in memory go.
            self.pending.truncate((cut_offset - self.written_len) as usize);
            self.pending_index.truncate((cut_block - self.written_head - 1) as usize * INDEX_ENTRY_LEN);
            self.head = block_num;
            return Ok(());
        }
        self.pending.clear();
        self.pending_index.clear();
        let index_len = u64::from(cut_block - first) * INDEX_ENTRY_LEN as u64;
        if let Err(source) = self.index.truncate(index_len) {
            return Err(self.poison(&self.index_path.clone(), source));
        }
        if let Err(source) = self.file.truncate(cut_offset).and_then(|()| self.file.sync()) {
            return Err(self.poison(&self.journal_path.clone(), source));
        }
        self.written_len = cut_offset;
        self.written_head = block_num;
        self.head = block_num;
        self.durable_head = block_num;
        Ok(())
    }

    fn check_writable(&self) -> Result<(), JournalError> {
        match &self.poisoned {
            Some(cause) => Err(JournalError::Poisoned { cause: cause.clone() }),
            None => Ok(()),
        }
    }

    fn poison(&mut self, path: &Path, source: std::io::Error) -> JournalError {
        let err = JournalError::Io { path: path.to_path_buf(), source };
        self.poisoned = Some(err.to_string());
        err
    }

    /// Writes (without syncing) the pending records and their index entries. The index is
    /// written first: if the journal write then fails, the index merely runs ahead of the
    /// journal, which recovery repairs.
    fn write_pending(&mut self) -> Result<(), JournalError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if let Err(source) = self.index.append(&self.pending_index) {
            return Err(self.poison(&self.index_path.clone(), source));
        }
        if let Err(source) = self.file.append(&self.pending) {
            return Err(self.poison(&self.journal_path.clone(), source));
        }
        self.written_len += self.pending.len() as u64;
        self.written_head = self.head;
        self.pending.clear();
        self.pending_index.clear();
        Ok(())
    }

    /// Record offset and payload length of a block held by the journal.
    fn locate(&self, block_num: u32) -> Result<(u64, u32), JournalError> {
        let first = self.header.first_block;
        if block_num < first || block_num > self.head {
            return Err(JournalError::NotFound { block_num, first, head: self.head });
        }
        let mut entry = [0u8; INDEX_ENTRY_LEN];
        if block_num > self.written_head {
            let at = (block_num - self.written_head - 1) as usize * INDEX_ENTRY_LEN;
            entry.copy_from_slice(&self.pending_index[at..at + INDEX_ENTRY_LEN]);
        } else {
            let at = u64::from(block_num - first) * INDEX_ENTRY_LEN as u64;
            self.index.read_at(at, &mut entry).map_err(JournalError::io(&self.index_path))?;
        }
        Ok(decode_index_entry(&entry))
    }

    /// Reads journal bytes, from the file or from the pending buffer (a range may span both).
    pub(crate) fn read_bytes(&self, offset: u64, buf: &mut [u8]) -> Result<(), JournalError> {
        let from_file = (self.written_len.saturating_sub(offset) as usize).min(buf.len());
        let (file_part, pending_part) = buf.split_at_mut(from_file);
        if !file_part.is_empty() {
            self.file.read_at(offset, file_part).map_err(JournalError::io(&self.journal_path))?;
        }
        if !pending_part.is_empty() {
            let start = (offset + from_file as u64 - self.written_len) as usize;
            let bytes = self.pending.get(start..start + pending_part.len());
            let bytes = bytes.ok_or_else(|| JournalError::Io {
                path: self.journal_path.clone(),
                source: std::io::ErrorKind::UnexpectedEof.into(),
            })?;
            pending_part.copy_from_slice(bytes);
        }
        Ok(())
    }

    /// End of the journal's bytes, pending records included.
    pub(crate) fn end_offset(&self) -> u64 {
        self.written_len + self.pending.len() as u64
    }

    pub(crate) fn journal_path(&self) -> &Path {
        &self.journal_path
    }
}

/// Reads and checks the file header, or writes it to a new (or partially created) journal.
/// Returns the header and whether the journal was created.
fn open_header<F: StorageFile>(
    file: &mut F,
    path: &Path,
    chain_id: [u8; 32],
    first_block: u32,
) -> Result<(FileHeader, bool), JournalError> {
    let io = JournalError::io(path);
    let len = file.len();
    if len < FILE_HEADER_LEN as u64 {
        // Shorter than a header: either a crash during creation (then the bytes are a prefix of
        // the header this node would write) or not a journal.
        let fresh = FileHeader::new(first_block, chain_id);
        let encoded = fresh.encode();
        let mut existing = vec![0u8; len as usize];
        file.read_at(0, &mut existing).map_err(JournalError::io(path))?;
        if existing[..] != encoded[..existing.len()] {
            let reason = "it is shorter than a journal header and is not the start of one for this chain";
            return Err(JournalError::BadHeader { path: path.to_path_buf(), reason });
        }
        file.truncate(0).map_err(JournalError::io(path))?;
        file.append(&encoded).map_err(JournalError::io(path))?;
        file.sync().map_err(JournalError::io(path))?;
        return Ok((fresh, true));
    }
    let mut bytes = [0u8; FILE_HEADER_LEN];
    file.read_at(0, &mut bytes).map_err(io)?;
    let header = FileHeader::decode(&bytes).map_err(|defect: HeaderDefect| JournalError::BadHeader {
        path: path.to_path_buf(),
        reason: defect.describe(),
    })?;
    if header.version != FORMAT_VERSION {
        return Err(JournalError::UnsupportedVersion {
            path: path.to_path_buf(),
            found: header.version,
            supported: FORMAT_VERSION,
        });
    }
    if header.chain_id != chain_id {
        return Err(JournalError::WrongChain {
            path: path.to_path_buf(),
            expected: ChainIdHex(chain_id),
            found: ChainIdHex(header.chain_id),
        });
    }
    Ok((header, false))
}
