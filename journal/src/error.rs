//! The journal's error type: every failure with the values that caused it and, where the
//! operator has to act, what to do.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why a record is considered damaged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CorruptReason {
    /// The record header's own check failed, so its length cannot be trusted.
    HeaderCheck,
    /// The whole record is present but its checksum does not match.
    Checksum,
    /// The record verifies but carries the wrong block number.
    NonConsecutive { found: u32 },
    /// The record header verifies but claims a payload larger than any record may hold.
    TooLarge { payload_len: u32 },
}

impl fmt::Display for CorruptReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorruptReason::HeaderCheck => write!(f, "its header check does not match"),
            CorruptReason::Checksum => write!(f, "its checksum does not match"),
            CorruptReason::NonConsecutive { found } => write!(f, "it is numbered {found}"),
            CorruptReason::TooLarge { payload_len } => write!(f, "it claims a payload of {payload_len} bytes"),
        }
    }
}

/// Hex of a chain id, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChainIdHex(pub [u8; 32]);

impl fmt::Display for ChainIdHex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal I/O error on {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{} is not a usable block journal: {reason}", path.display())]
    BadHeader { path: PathBuf, reason: &'static str },

    #[error("{} has journal format version {found}; this node reads version {supported} only", path.display())]
    UnsupportedVersion { path: PathBuf, found: u32, supported: u32 },

    #[error(
        "{} belongs to chain {found}, but this node runs chain {expected}; use this chain's data directory",
        path.display()
    )]
    WrongChain { path: PathBuf, expected: ChainIdHex, found: ChainIdHex },

    #[error(
        "block {block_num} in {} (record at byte {offset}) is damaged: {reason}. The node refuses to start on \
         a damaged journal. To discard block {block_num} and every later block (they are lost: keep a copy \
         of the data dir first), run `graphene node --truncate-corrupt-at \
         {block_num}` or `graphene replay --repair --truncate-corrupt-at {block_num}` on it",
        path.display()
    )]
    CorruptRecord { path: PathBuf, block_num: u32, offset: u64, reason: CorruptReason },

    #[error(
        "--truncate-corrupt-at {requested} is after the first damaged block {damaged}; damaged blocks cannot be \
         kept, give --truncate-corrupt-at {damaged}"
    )]
    TruncateAfterDamage { requested: u32, damaged: u32 },

    #[error("block {got} cannot be appended: the journal's head is {head}, so the next block must be {}", head + 1)]
    NonConsecutive { head: u32, got: u32 },

    #[error("block {block_num} has a {len}-byte payload; a journal record holds at most {max} bytes")]
    PayloadTooLarge { block_num: u32, len: usize, max: u32 },

    #[error("block {block_num} is not in the journal, which holds blocks {first} to {head}")]
    NotFound { block_num: u32, first: u32, head: u32 },

    #[error("cannot truncate after block {block_num}: the journal holds blocks {first} to {head}")]
    TruncateOutOfRange { block_num: u32, first: u32, head: u32 },

    #[error(
        "the journal accepts no more writes after an earlier failure ({cause}); restart the node so that \
         recovery establishes what reached the disk"
    )]
    Poisoned { cause: String },
}

impl JournalError {
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(io::Error) -> JournalError + '_ {
        move |source| JournalError::Io { path: path.to_path_buf(), source }
    }
}
