//! Blocks (PROTOCOL.md §2.5): headers, signed headers, signed blocks, their digests, ids and the
//! transaction merkle root, byte-identical to bitshares-core.
//!
//! A block id is the SHA-224 of the packed signed header truncated to 20 bytes, with its first
//! four bytes replaced by the block number (big endian), so the number can be read back from the
//! id alone. JSON matches `get_block`: header fields, `witness_signature` and `transactions` in one
//! flat object.

use crate::encoding::Pack;
use crate::ext::Extensions;
use crate::ids::WitnessId;
use crate::keys::Signature;
use crate::ops::Ripemd160;
use crate::time::TimePointSec;
use crate::transaction::{hex_id, ProcessedTransaction};
use ripemd::Ripemd160 as Ripemd160Hasher;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha224, Sha256};
use std::fmt;

use crate::encoding::{DecodeError, Reader, Unpack};
use serde::{Deserializer, Serializer};

hex_id!(
    /// A block id; bytes 0..4 are the block number, big endian.
    BlockId,
    20
);

impl BlockId {
    /// The block number embedded in the id.
    pub fn num(&self) -> u32 {
        u32::from_be_bytes([self.0[0], self.0[1], self.0[2], self.0[3]])
    }

    /// Bytes 4..8 as a little-endian u32: the TaPoS `ref_block_prefix`.
    pub fn prefix(&self) -> u32 {
        u32::from_le_bytes([self.0[4], self.0[5], self.0[6], self.0[7]])
    }
}

/// `block_header`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BlockHeader {
    pub previous: BlockId,
    pub timestamp: TimePointSec,
    pub witness: WitnessId,
    pub transaction_merkle_root: Ripemd160,
    pub extensions: Extensions,
}
crate::impl_pack!(BlockHeader { previous, timestamp, witness, transaction_merkle_root, extensions });

impl BlockHeader {
    /// What the witness signs: SHA-256 of the packed header.
    pub fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.to_bytes()).into()
    }

    /// One more than the number in `previous`.
    pub fn block_num(&self) -> u32 {
        self.previous.num().wrapping_add(1)
    }
}

/// `signed_block_header`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SignedBlockHeader {
    #[serde(flatten)]
    pub header: BlockHeader,
    pub witness_signature: Signature,
}
crate::impl_pack!(SignedBlockHeader { header, witness_signature });

impl SignedBlockHeader {
    /// SHA-224 of the packed signed header, first 4 bytes = block number (big endian), 20 bytes.
    pub fn id(&self) -> BlockId {
        let h = Sha224::digest(self.to_bytes());
        let mut id = [0u8; 20];
        id.copy_from_slice(&h[..20]);
        id[..4].copy_from_slice(&self.header.block_num().to_be_bytes());
        BlockId(id)
    }
}

impl std::ops::Deref for SignedBlockHeader {
    type Target = BlockHeader;
    fn deref(&self) -> &BlockHeader {
        &self.header
    }
}
impl std::ops::DerefMut for SignedBlockHeader {
    fn deref_mut(&mut self) -> &mut BlockHeader {
        &mut self.header
    }
}

/// `signed_block`.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SignedBlock {
    #[serde(flatten)]
    pub signed_header: SignedBlockHeader,
    pub transactions: Vec<ProcessedTransaction>,
}
crate::impl_pack!(SignedBlock { signed_header, transactions });

impl std::ops::Deref for SignedBlock {
    type Target = SignedBlockHeader;
    fn deref(&self) -> &SignedBlockHeader {
        &self.signed_header
    }
}
impl std::ops::DerefMut for SignedBlock {
    fn deref_mut(&mut self) -> &mut SignedBlockHeader {
        &mut self.signed_header
    }
}

impl SignedBlock {
    pub fn id(&self) -> BlockId {
        self.signed_header.id()
    }

    pub fn block_num(&self) -> u32 {
        self.signed_header.header.block_num()
    }

    /// The merkle root of [`Self::transactions`] (see [`merkle_root`]).
    pub fn calculate_merkle_root(&self) -> Ripemd160 {
        let leaves: Vec<[u8; 32]> = self.transactions.iter().map(ProcessedTransaction::merkle_digest).collect();
        merkle_root(&leaves)
    }

    /// Everything applying the block derives from its bytes alone, in one pass that packs each
    /// transaction once: equal to `calculate_merkle_root()`, each transaction's `id()` and
    /// `packed_size()`, which each pack again. Needs no state, so a replay computes it on
    /// another thread while the previous block applies.
    pub fn digests(&self) -> BlockDigests {
        let mut buf = Vec::with_capacity(512);
        let mut leaves = Vec::with_capacity(self.transactions.len());
        let mut tx_ids = Vec::with_capacity(self.transactions.len());
        let mut size =
            self.signed_header.to_bytes().len() + crate::encoding::varint_len(self.transactions.len() as u64);
        for t in &self.transactions {
            buf.clear();
            // `ProcessedTransaction` packs as transaction ‖ signatures ‖ operation_results, and
            // the id hashes the transaction part alone.
            t.signed.transaction.pack(&mut buf);
            let id: [u8; 32] = Sha256::digest(&buf).into();
            let mut short = [0u8; 20];
            short.copy_from_slice(&id[..20]);
            tx_ids.push(crate::transaction::TransactionId(short));
            t.signed.signatures.pack(&mut buf);
            t.operation_results.pack(&mut buf);
            leaves.push(Sha256::digest(&buf).into());
            size += buf.len();
        }
        BlockDigests { merkle_root: merkle_root(&leaves), tx_ids, packed_size: size }
    }
}

/// What [`SignedBlock::digests`] computes: the transaction merkle root, every transaction's id
/// (in block order) and the block's packed size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockDigests {
    pub merkle_root: Ripemd160,
    pub tx_ids: Vec<crate::transaction::TransactionId>,
    pub packed_size: usize,
}

/// `signed_block::calculate_merkle_root` over leaf digests: pairs are replaced by
/// SHA-256(left ‖ right), an odd last element is carried up unchanged, and the root is the
/// RIPEMD-160 of the final digest; no leaves give 20 zero bytes.
pub fn merkle_root(leaves: &[[u8; 32]]) -> Ripemd160 {
    if leaves.is_empty() {
        return Ripemd160::default();
    }
    let mut level = leaves.to_vec();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [l, r] => {
                    let mut h = Sha256::new();
                    h.update(l);
                    h.update(r);
                    h.finalize().into()
                }
                [single] => *single,
                _ => unreachable!("chunks(2) yields one or two elements"),
            })
            .collect();
    }
    let mut out = [0u8; 20];
    out.copy_from_slice(&Ripemd160Hasher::digest(level[0]));
    crate::ops::FixedBytes(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_equal_the_separate_merkle_root_ids_and_size() {
        use crate::transaction::{SignedTransaction, Transaction};
        let mut block = SignedBlock::default();
        for i in 0..5u16 {
            let tx = Transaction { ref_block_num: i, ..Default::default() };
            let signed = SignedTransaction { transaction: tx, signatures: Vec::new() };
            block.transactions.push(ProcessedTransaction { signed, operation_results: Vec::new() });
        }
        let d = block.digests();
        assert_eq!(d.merkle_root, block.calculate_merkle_root());
        let ids: Vec<_> = block.transactions.iter().map(|t| t.id()).collect();
        assert_eq!(d.tx_ids, ids);
        assert_eq!(d.packed_size, block.to_bytes().len());
        assert_eq!(SignedBlock::default().digests().packed_size, SignedBlock::default().to_bytes().len());
        for v in [0u64, 1, 127, 128, 16_383, 16_384, u64::MAX] {
            let mut out = Vec::new();
            crate::encoding::write_varint(&mut out, v);
            assert_eq!(crate::encoding::varint_len(v), out.len(), "varint_len({v})");
        }
    }

    #[test]
    fn block_id_number_and_prefix() {
        // CLIENTS.md §3.7: id 0000861e85f4f1dc... -> ref_block_num 34334, prefix 3706844293.
        let id: BlockId = "0000861e85f4f1dc000000000000000000000000".parse().unwrap();
        assert_eq!(id.num(), 34334);
        assert_eq!(id.prefix(), 3_706_844_293);
        let mut tx = crate::transaction::Transaction::default();
        tx.set_reference_block(&id);
        assert_eq!((tx.ref_block_num, tx.ref_block_prefix), (34334, 3_706_844_293));
    }

    #[test]
    fn merkle_root_shapes() {
        assert_eq!(merkle_root(&[]), Ripemd160::default());
        let a = [1u8; 32];
        let b = [2u8; 32];
        let c = [3u8; 32];
        let rip = |d: &[u8]| -> [u8; 20] { Ripemd160Hasher::digest(d).into() };
        let sha = |l: &[u8; 32], r: &[u8; 32]| -> [u8; 32] {
            let mut v = l.to_vec();
            v.extend_from_slice(r);
            Sha256::digest(&v).into()
        };
        assert_eq!(merkle_root(&[a]).0, rip(&a));
        assert_eq!(merkle_root(&[a, b]).0, rip(&sha(&a, &b)));
        // Three leaves: (a,b) hashed, c carried, then hashed together.
        assert_eq!(merkle_root(&[a, b, c]).0, rip(&sha(&sha(&a, &b), &c)));
    }

    #[test]
    fn block_id_embeds_number() {
        let mut h = SignedBlockHeader::default();
        h.header.previous = BlockId([0, 0, 0, 41, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]);
        let id = h.id();
        assert_eq!(id.num(), 42);
        assert_eq!(h.block_num(), 42);
        let full = Sha224::digest(h.to_bytes());
        assert_eq!(&id.0[4..], &full[4..20]);
    }
}
