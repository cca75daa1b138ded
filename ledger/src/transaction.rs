//! Transactions (PROTOCOL.md §2.1–§2.2, CLIENTS.md §3.2–§3.5): the unsigned [`Transaction`], the
//! [`SignedTransaction`] clients broadcast and the [`ProcessedTransaction`] stored in blocks.
//!
//! The digest, id and signing digest are computed over the fc::raw bytes of the unsigned
//! transaction, so they depend only on what [`Pack`] writes; a transaction decoded from bytes or
//! JSON and re-encoded yields the same digests as bitshares-core. JSON is flat, as the BitShares
//! API writes it: the signed and processed forms add `signatures` and `operation_results` beside
//! the transaction's own fields.

use crate::block::BlockId;
use crate::encoding::{DecodeError, Pack, Reader, Unpack};
use crate::ext::Extensions;
use crate::keys::Signature;
use crate::ops::{Operation, OperationResult, ValidateError};
use crate::time::TimePointSec;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};
use std::fmt;

/// Define a 20- or 32-byte id written as hex in JSON.
macro_rules! hex_id {
    ($(#[$m:meta])* $name:ident, $n:literal) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub [u8; $n]);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&hex::encode(self.0))
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        }
        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let v = hex::decode(s).map_err(|e| format!("'{s}' is not hex: {e}"))?;
                let a: [u8; $n] =
                    v.try_into().map_err(|_| format!("'{s}' is not {} bytes of hex", $n))?;
                Ok($name(a))
            }
        }
        impl Pack for $name {
            fn pack(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.0)
            }
        }
        impl Unpack for $name {
            fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.array().map($name)
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use hex_id;

hex_id!(
    /// A transaction id: the first 20 bytes of the SHA-256 of the packed unsigned transaction.
    TransactionId,
    20
);
hex_id!(
    /// The chain id: SHA-256 of the genesis JSON; prefixed to every signing digest.
    ChainId,
    32
);

/// `transaction`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Transaction {
    #[serde(with = "crate::json::lenient")]
    pub ref_block_num: u16,
    #[serde(with = "crate::json::lenient")]
    pub ref_block_prefix: u32,
    pub expiration: TimePointSec,
    pub operations: Vec<Operation>,
    pub extensions: Extensions,
}
crate::impl_pack!(Transaction { ref_block_num, ref_block_prefix, expiration, operations, extensions });

pub use crate::sign_state::RequiredAuthorities;

impl Transaction {
    /// SHA-256 of the packed transaction.
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.to_bytes()).into()
    }

    /// The first 20 bytes of [`Transaction::digest`].
    pub fn id(&self) -> TransactionId {
        let d = self.digest();
        let mut id = [0u8; 20];
        id.copy_from_slice(&d[..20]);
        TransactionId(id)
    }

    /// What each signature signs: SHA-256(chain id ‖ packed transaction).
    pub fn sig_digest(&self, chain_id: &[u8; 32]) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(chain_id);
        h.update(self.to_bytes());
        h.finalize().into()
    }

    /// Point TaPoS at a block: its number's low 16 bits and id bytes 4..8.
    pub fn set_reference_block(&mut self, id: &BlockId) {
        self.ref_block_num = (id.num() & 0xffff) as u16;
        self.ref_block_prefix = id.prefix();
    }

    /// `transaction::validate`: at least one operation, each valid.
    pub fn validate(&self) -> Result<(), ValidateError> {
        if self.operations.is_empty() {
            return Err(ValidateError::EmptyTransaction);
        }
        for (index, op) in self.operations.iter().enumerate() {
            op.validate().map_err(|e| ValidateError::InOperation { index, source: Box::new(e) })?;
        }
        Ok(())
    }

    /// Union of every operation's requirements; accounts that need their owner authority are
    /// removed from the active set (owner implies active), as `transaction::get_required_authorities`.
    pub fn required_authorities(&self) -> RequiredAuthorities {
        let mut r = RequiredAuthorities::default();
        for op in &self.operations {
            op.required_authorities(&mut r.active, &mut r.owner, &mut r.other);
        }
        for o in &r.owner {
            r.active.remove(o);
        }
        r
    }
}

/// `signed_transaction`: the transaction plus its signatures (flat in JSON).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SignedTransaction {
    #[serde(flatten)]
    pub transaction: Transaction,
    pub signatures: Vec<Signature>,
}
crate::impl_pack!(SignedTransaction { transaction, signatures });

impl std::ops::Deref for SignedTransaction {
    type Target = Transaction;
    fn deref(&self) -> &Transaction {
        &self.transaction
    }
}
impl std::ops::DerefMut for SignedTransaction {
    fn deref_mut(&mut self) -> &mut Transaction {
        &mut self.transaction
    }
}

/// `processed_transaction`: a signed transaction with the results of its operations, as stored
/// in blocks.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcessedTransaction {
    #[serde(flatten)]
    pub signed: SignedTransaction,
    pub operation_results: Vec<OperationResult>,
}
crate::impl_pack!(ProcessedTransaction { signed, operation_results });

impl ProcessedTransaction {
    /// The leaf of the block's merkle tree: SHA-256 of the whole packed processed transaction.
    pub fn merkle_digest(&self) -> [u8; 32] {
        Sha256::digest(self.to_bytes()).into()
    }
}

impl std::ops::Deref for ProcessedTransaction {
    type Target = SignedTransaction;
    fn deref(&self) -> &SignedTransaction {
        &self.signed
    }
}
impl std::ops::DerefMut for ProcessedTransaction {
    fn deref_mut(&mut self) -> &mut SignedTransaction {
        &mut self.signed
    }
}
