//! The on-disk format of the journal file and its index: pure encoding and decoding, no I/O.
//!
//! Journal file = one file header, then records back to back, nothing else.
//!
//! File header (`FILE_HEADER_LEN` = 64 bytes, little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 0..8 | magic `GRJOURNL` |
//! | 8..12 | format version (`FORMAT_VERSION`) |
//! | 12..16 | number of the first block the journal holds (>= 1) |
//! | 16..48 | chain id |
//! | 48..64 | first 16 bytes of blake3 over bytes 0..48 |
//!
//! Record (`RECORD_OVERHEAD` = 80 bytes of framing around the payload):
//!
//! | bytes | field |
//! |---|---|
//! | 0..4 | payload length `len` |
//! | 4..8 | block number |
//! | 8..28 | block id |
//! | 28..60 | state hash after applying the block |
//! | 60..64 | header check: first 4 bytes of blake3 over bytes 0..60 |
//! | 64..64+len | payload (the packed signed block; opaque here) |
//! | 64+len..80+len | checksum: first 16 bytes of blake3 over bytes 0..64+len |
//!
//! Why two checks. The 16-byte checksum (128 bits: the chance that random damage still matches
//! is 2^-128; this guards against accidents, not adversaries, so the full 32 bytes would buy
//! nothing) proves the whole record. The 4-byte header check lets recovery trust the length field
//! *before* the record is complete, and that is what tells a torn write from damage: a record
//! whose header verifies but whose claimed end lies past the end of the file really is a partial
//! write, while a flipped length bit fails the header check and is reported as corruption instead
//! of being mistaken for a torn tail and silently cut.
//!
//! Index file: entry `i` (12 bytes: record offset u64, payload length u32) describes block
//! `first_block + i`. It is derived data, rebuilt from the journal whenever it disagrees.

/// Magic bytes opening every journal file.
pub const FILE_MAGIC: [u8; 8] = *b"GRJOURNL";
/// The only format version this code reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// Length of the file header.
pub const FILE_HEADER_LEN: usize = 64;
/// Length of a record's fixed header (before the payload).
pub const RECORD_HEADER_LEN: usize = 64;
/// Length of a record's trailing checksum.
pub const RECORD_CHECKSUM_LEN: usize = 16;
/// Framing bytes around each payload.
pub const RECORD_OVERHEAD: usize = RECORD_HEADER_LEN + RECORD_CHECKSUM_LEN;
/// Largest payload a record may hold. Graphene's `maximum_block_size` is far below this (2 MiB
/// by default); the cap only bounds what a damaged-but-verifying header could make us allocate.
pub const PAYLOAD_MAX: u32 = 256 << 20;
/// Length of one index entry.
pub const INDEX_ENTRY_LEN: usize = 12;

const HEADER_CHECK_AT: usize = 60;
const FILE_CHECK_AT: usize = 48;

const _: () = assert!(RECORD_HEADER_LEN == HEADER_CHECK_AT + 4);
const _: () = assert!(FILE_HEADER_LEN == FILE_CHECK_AT + 16);
const _: () = assert!((PAYLOAD_MAX as u64) + (RECORD_OVERHEAD as u64) < u32::MAX as u64);

/// The decoded file header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileHeader {
    pub version: u32,
    pub first_block: u32,
    pub chain_id: [u8; 32],
}

/// Why a file header was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderDefect {
    /// The file does not start with `GRJOURNL`.
    Magic,
    /// The header checksum does not match: the header is damaged.
    Checksum,
    /// First block number 0 (blocks are numbered from 1).
    FirstBlockZero,
}

impl HeaderDefect {
    pub fn describe(self) -> &'static str {
        match self {
            HeaderDefect::Magic => "it does not start with the magic bytes GRJOURNL",
            HeaderDefect::Checksum => "the header checksum does not match (the header is damaged)",
            HeaderDefect::FirstBlockZero => "it claims to start at block 0, and blocks are numbered from 1",
        }
    }
}

impl FileHeader {
    pub fn new(first_block: u32, chain_id: [u8; 32]) -> Self {
        FileHeader { version: FORMAT_VERSION, first_block, chain_id }
    }

    pub fn encode(&self) -> [u8; FILE_HEADER_LEN] {
        let mut out = [0u8; FILE_HEADER_LEN];
        out[0..8].copy_from_slice(&FILE_MAGIC);
        out[8..12].copy_from_slice(&self.version.to_le_bytes());
        out[12..16].copy_from_slice(&self.first_block.to_le_bytes());
        out[16..48].copy_from_slice(&self.chain_id);
        let check = blake3::hash(&out[..FILE_CHECK_AT]);
        out[FILE_CHECK_AT..].copy_from_slice(&check.as_bytes()[..16]);
        out
    }

    /// Decodes a header. The version is returned as found; refusing an unknown version is the
    /// caller's business so that it can say which version it found.
    pub fn decode(bytes: &[u8; FILE_HEADER_LEN]) -> Result<Self, HeaderDefect> {
        if bytes[0..8] != FILE_MAGIC {
            return Err(HeaderDefect::Magic);
        }
        let check = blake3::hash(&bytes[..FILE_CHECK_AT]);
        if bytes[FILE_CHECK_AT..] != check.as_bytes()[..16] {
            return Err(HeaderDefect::Checksum);
        }
        let header = FileHeader {
            version: u32_at(bytes, 8),
            first_block: u32_at(bytes, 12),
            chain_id: bytes[16..48].try_into().expect("32 bytes"),
        };
        if header.first_block == 0 {
            return Err(HeaderDefect::FirstBlockZero);
        }
        Ok(header)
    }
}

/// The fixed part of a record, everything but the payload and the checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordHeader {
    pub payload_len: u32,
    pub block_num: u32,
    pub block_id: [u8; 20],
    pub state_hash: [u8; 32],
}

impl RecordHeader {
    /// Total length of the record this header opens.
    pub fn record_len(&self) -> u64 {
        u64::from(self.payload_len) + RECORD_OVERHEAD as u64
    }

    /// Decodes a record header, or `None` when its header check fails (the bytes are damaged or
    /// are not a record header at all).
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        header_check_ok(bytes).then(|| Self::decode_unchecked(bytes))
    }

    /// Decodes a record header without its header check: the fields a scan needs (length, block
    /// number) to find the record that [`record_ok`] then verifies whole.
    pub fn decode_unchecked(bytes: &[u8]) -> Self {
        RecordHeader {
            payload_len: u32_at(bytes, 0),
            block_num: u32_at(bytes, 4),
            block_id: bytes[8..28].try_into().expect("20 bytes"),
            state_hash: bytes[28..60].try_into().expect("32 bytes"),
        }
    }
}

/// Checks the header check of the record header at the start of `bytes`.
pub fn header_check_ok(bytes: &[u8]) -> bool {
    let check = blake3::hash(&bytes[..HEADER_CHECK_AT]);
    bytes[HEADER_CHECK_AT..RECORD_HEADER_LEN] == check.as_bytes()[..4]
}

/// Checks one whole record: its header check and its trailing checksum. Both, not the checksum
/// alone: crafted bytes can carry a matching checksum over a header whose check fails (a fuzzer
/// found one), and a scan that kept such a record would hand out one that [`Journal::read`]
/// refuses.
///
/// [`Journal::read`]: crate::Journal::read
pub fn record_ok(record: &[u8]) -> bool {
    record.len() >= RECORD_OVERHEAD && header_check_ok(record) && record_checksum_ok(record)
}

/// Appends one framed record to `out`. The caller has checked `payload.len() <= PAYLOAD_MAX`.
pub fn encode_record(out: &mut Vec<u8>, block_num: u32, block_id: &[u8; 20], state_hash: &[u8; 32], payload: &[u8]) {
    debug_assert!(payload.len() <= PAYLOAD_MAX as usize);
    let start = out.len();
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(&block_num.to_le_bytes());
    out.extend_from_slice(block_id);
    out.extend_from_slice(state_hash);
    let check = blake3::hash(&out[start..]);
    out.extend_from_slice(&check.as_bytes()[..4]);
    out.extend_from_slice(payload);
    let checksum = blake3::hash(&out[start..]);
    out.extend_from_slice(&checksum.as_bytes()[..RECORD_CHECKSUM_LEN]);
}

/// Checks the trailing checksum of one whole record.
pub fn record_checksum_ok(record: &[u8]) -> bool {
    let Some(body_len) = record.len().checked_sub(RECORD_CHECKSUM_LEN) else {
        return false;
    };
    let checksum = blake3::hash(&record[..body_len]);
    record[body_len..] == checksum.as_bytes()[..RECORD_CHECKSUM_LEN]
}

/// Encodes an index entry.
pub fn encode_index_entry(out: &mut Vec<u8>, offset: u64, payload_len: u32) {
    out.extend_from_slice(&offset.to_le_bytes());
    out.extend_from_slice(&payload_len.to_le_bytes());
}

/// Decodes an index entry: (record offset, payload length).
pub fn decode_index_entry(bytes: &[u8]) -> (u64, u32) {
    let offset = u64::from_le_bytes(bytes[0..8].try_into().expect("8 bytes"));
    (offset, u32_at(bytes, 8))
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_header_round_trips_and_detects_every_bit_flip() {
        let header = FileHeader::new(7, [0xab; 32]);
        let bytes = header.encode();
        assert_eq!(FileHeader::decode(&bytes), Ok(header));
        for byte in 0..FILE_HEADER_LEN {
            for bit in 0..8 {
                let mut flipped = bytes;
                flipped[byte] ^= 1 << bit;
                let expect = if byte < 8 { HeaderDefect::Magic } else { HeaderDefect::Checksum };
                assert_eq!(FileHeader::decode(&flipped), Err(expect), "byte {byte} bit {bit}");
            }
        }
    }

    #[test]
    fn record_layout_is_as_documented() {
        let mut out = Vec::new();
        encode_record(&mut out, 42, &[1; 20], &[2; 32], b"hello");
        assert_eq!(out.len(), 5 + RECORD_OVERHEAD);
        assert_eq!(&out[0..4], &5u32.to_le_bytes());
        assert_eq!(&out[4..8], &42u32.to_le_bytes());
        assert_eq!(&out[64..69], b"hello");
        let header = RecordHeader::decode(&out).expect("header verifies");
        assert_eq!(header.record_len(), out.len() as u64);
        assert_eq!((header.block_num, header.block_id, header.state_hash), (42, [1; 20], [2; 32]));
        assert!(record_checksum_ok(&out));
        out[66] ^= 0x10;
        assert!(!record_checksum_ok(&out));
        out[66] ^= 0x10;
        out[1] ^= 0x01;
        assert_eq!(RecordHeader::decode(&out), None);
    }

    #[test]
    fn index_entry_round_trips() {
        let mut out = Vec::new();
        encode_index_entry(&mut out, 0x0102_0304_0506_0708, 99);
        assert_eq!(out.len(), INDEX_ENTRY_LEN);
        assert_eq!(decode_index_entry(&out), (0x0102_0304_0506_0708, 99));
    }
}
