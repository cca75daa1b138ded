//! [`ObjectChanges`]: what one block did to the object graph, by value, in the byte stream the
//! state hash covers (see the module doc of [`crate::graph`]): for each changed object, in state
//! hash order, `space, type, instance (u64 LE)` then `1, length (u32 LE), Pack bytes` or `0`
//! (removed).
//!
//! The writer gets it for the price of a copy: [`super::Undoable::hash_changes_capturing`] appends
//! the very bytes it hashes. A read replica applies it to its own copy of the graph; the same
//! bytes can cross a process or a machine. A popped block's inverse is the same format, holding
//! the restored versions of everything the block touched.

use crate::encoding::DecodeError;
use crate::ids::ObjectId;

/// Changed objects of one block (or the restored objects of a popped one), as packed records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectChanges {
    pub bytes: Vec<u8>,
}

/// One record of an [`ObjectChanges`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change<'a> {
    pub space: u8,
    pub type_id: u8,
    pub instance: u64,
    /// The object's `Pack` bytes, `None` if it was removed (or, in a revert, did not exist).
    pub packed: Option<&'a [u8]>,
}

impl Change<'_> {
    pub fn id(&self) -> ObjectId {
        ObjectId::new(self.space, self.type_id, self.instance)
    }
}

/// Writes an object's `Pack` bytes into the record being built.
type PackInto<'a> = &'a dyn Fn(&mut Vec<u8>);

/// Append one record (the format of the module doc) to `out`.
pub(crate) fn write_record(out: &mut Vec<u8>, space: u8, type_id: u8, instance: u64, pack: Option<PackInto<'_>>) {
    let start = out.len();
    out.extend_from_slice(&[space, type_id]);
    out.extend_from_slice(&instance.to_le_bytes());
    match pack {
        Some(pack) => {
            out.extend_from_slice(&[1, 0, 0, 0, 0]);
            pack(out);
            let len = u32::try_from(out.len() - start - 15).expect("object encoding under 4 GiB");
            out[start + 11..start + 15].copy_from_slice(&len.to_le_bytes());
        }
        None => out.push(0),
    }
}

impl ObjectChanges {
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The records in order; a malformed stream (only from outside the node) ends with an error.
    pub fn iter(&self) -> impl Iterator<Item = Result<Change<'_>, DecodeError>> + '_ {
        let mut offset = 0;
        std::iter::from_fn(move || {
            if offset >= self.bytes.len() {
                return None;
            }
            match parse_one(&self.bytes, offset) {
                Ok((change, used)) => {
                    offset += used;
                    Some(Ok(change))
                }
                Err(e) => {
                    offset = self.bytes.len();
                    Some(Err(e))
                }
            }
        })
    }

    /// The ids of every record, in order.
    pub fn ids(&self) -> Vec<ObjectId> {
        self.iter().filter_map(Result::ok).map(|c| c.id()).collect()
    }
}

fn parse_one(all: &[u8], offset: usize) -> Result<(Change<'_>, usize), DecodeError> {
    let b = &all[offset..];
    let short = |needed: usize| DecodeError::UnexpectedEnd { offset: all.len(), needed };
    if b.len() < 11 {
        return Err(short(11 - b.len()));
    }
    let instance = u64::from_le_bytes(b[2..10].try_into().expect("8 bytes"));
    let (packed, used) = match b[10] {
        0 => (None, 11),
        1 => {
            let len_bytes: [u8; 4] = b.get(11..15).ok_or_else(|| short(15 - b.len()))?.try_into().expect("4 bytes");
            let len = u32::from_le_bytes(len_bytes) as usize;
            let body = b.get(15..15 + len).ok_or_else(|| short(15 + len - b.len()))?;
            (Some(body), 15 + len)
        }
        tag => {
            return Err(DecodeError::UnknownTag {
                what: "object change record",
                tag: u64::from(tag),
                offset: offset + 10,
            })
        }
    };
    Ok((Change { space: b[0], type_id: b[1], instance, packed }, used))
}
