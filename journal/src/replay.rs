//! Streaming replay: records front to back in large chunked reads, each verified (header check,
//! checksum, consecutive number) before it is handed out.
//!
//! [`Replay::next_ref`] lends each record out of the read buffer with no copy; the `Iterator`
//! impl copies the payload into an owned [`Record`] for callers that want one.

use std::io;

use crate::error::{CorruptReason, JournalError};
use crate::format::{header_check_ok, record_ok, RecordHeader, PAYLOAD_MAX, RECORD_CHECKSUM_LEN, RECORD_HEADER_LEN};
use crate::journal::{Journal, Record, RecordRef};
use crate::reader::{ByteSource, ChunkReader};
use crate::storage::Storage;

/// The journal's bytes, written and pending, as a byte source.
struct JournalSource<'a, S: Storage>(&'a Journal<S>);

impl<S: Storage> ByteSource for JournalSource<'_, S> {
    fn end(&self) -> u64 {
        self.0.end_offset()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.0.read_bytes(offset, buf).map_err(|err| match err {
            JournalError::Io { source, .. } => source,
            other => io::Error::other(other.to_string()),
        })
    }
}

/// A front-to-back stream of records; see [`Journal::iter_from`].
pub struct Replay<'a, S: Storage> {
    journal: &'a Journal<S>,
    reader: ChunkReader<JournalSource<'a, S>>,
    offset: u64,
    next_block: u32,
    done: bool,
}

impl<'a, S: Storage> Replay<'a, S> {
    pub(crate) fn new(journal: &'a Journal<S>, offset: u64, next_block: u32) -> Self {
        let reader = ChunkReader::new(JournalSource(journal));
        Replay { journal, reader, offset, next_block, done: false }
    }

    /// The next record, borrowed from the read buffer; `None` at the head. After an error the
    /// stream ends.
    pub fn next_ref(&mut self) -> Option<Result<RecordRef<'_>, JournalError>> {
        if self.done || self.offset >= self.reader.end() {
            return None;
        }
        match self.step() {
            Ok((header, record_len)) => {
                let start = self.offset;
                self.offset += record_len;
                self.next_block += 1;
                // step() left the record in the window, so this is a slice of the buffer.
                let bytes = match self.reader.window(start, record_len as usize) {
                    Ok(bytes) => bytes,
                    Err(source) => {
                        self.done = true;
                        let path = self.journal.journal_path().to_path_buf();
                        return Some(Err(JournalError::Io { path, source }));
                    }
                };
                Some(Ok(RecordRef {
                    block_num: header.block_num,
                    block_id: header.block_id,
                    state_hash: header.state_hash,
                    payload: &bytes[RECORD_HEADER_LEN..bytes.len() - RECORD_CHECKSUM_LEN],
                }))
            }
            Err(err) => {
                self.done = true;
                Some(Err(err))
            }
        }
    }

    /// Verifies the record at `offset`, leaving it in the reader's window.
    fn step(&mut self) -> Result<(RecordHeader, u64), JournalError> {
        let path = self.journal.journal_path();
        let corrupt = |reason| JournalError::CorruptRecord {
            path: path.to_path_buf(),
            block_num: self.next_block,
            offset: self.offset,
            reason,
        };
        let remaining = self.reader.end() - self.offset;
        let io_err = |source| JournalError::Io { path: path.to_path_buf(), source };
        if remaining < RECORD_HEADER_LEN as u64 {
            return Err(corrupt(CorruptReason::HeaderCheck));
        }
        let window = self.reader.window(self.offset, RECORD_HEADER_LEN).map_err(io_err)?;
        let header = RecordHeader::decode_unchecked(window);
        let record_len = header.record_len();
        let plausible =
            header.block_num == self.next_block && header.payload_len <= PAYLOAD_MAX && record_len <= remaining;
        if plausible && record_ok(self.reader.window(self.offset, record_len as usize).map_err(io_err)?) {
            return Ok((header, record_len));
        }
        // Slow path: say what is wrong.
        if !header_check_ok(self.reader.window(self.offset, RECORD_HEADER_LEN).map_err(io_err)?) {
            return Err(corrupt(CorruptReason::HeaderCheck));
        }
        if header.block_num != self.next_block {
            return Err(corrupt(CorruptReason::NonConsecutive { found: header.block_num }));
        }
        if header.payload_len > PAYLOAD_MAX || record_len > remaining {
            return Err(corrupt(CorruptReason::TooLarge { payload_len: header.payload_len }));
        }
        Err(corrupt(CorruptReason::Checksum))
    }
}

impl<S: Storage> Iterator for Replay<'_, S> {
    type Item = Result<Record, JournalError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_ref().map(|item| item.map(|record| record.to_owned()))
    }
}
