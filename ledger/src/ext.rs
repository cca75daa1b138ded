//! Protocol extension points.
//!
//! - [`Extensions`] is `extensions_type`, a `flat_set<static_variant<void_t>>`: in practice always
//!   empty (`00`), but a set holding the one void element (`01 00`) is valid and must re-encode
//!   the same way.
//! - [`extension_struct!`](crate::extension_struct) declares an `extension<T>` struct: every field
//!   is optional; in binary the count of present fields, then `index ‖ value` for each present
//!   field in declaration order (an unknown index fails); in JSON an object of the present fields,
//!   and on input also `null` or `[]` for "nothing set", as fc's `from_variant` accepts.

use crate::encoding::{write_varint, DecodeError, Pack, Reader, Unpack};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `extensions_type`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, Debug)]
pub struct Extensions {
    /// Whether the set holds its only possible element, `void_t`.
    pub void: bool,
}

impl Pack for Extensions {
    fn pack(&self, out: &mut Vec<u8>) {
        if self.void {
            out.extend_from_slice(&[1, 0]);
        } else {
            out.push(0);
        }
    }
}
impl Unpack for Extensions {
    fn unpack(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.length(1)?;
        for _ in 0..n {
            let offset = r.offset();
            let tag = r.varint()?;
            if tag != 0 {
                return Err(DecodeError::UnknownTag { what: "extensions element", tag, offset });
            }
        }
        Ok(Extensions { void: n > 0 })
    }
}
impl Serialize for Extensions {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.void {
            s.collect_seq([(0u8, serde_json::Map::new())])
        } else {
            s.collect_seq(std::iter::empty::<u8>())
        }
    }
}
impl<'de> Deserialize<'de> for Extensions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Null => Ok(Extensions::default()),
            serde_json::Value::Array(a) => Ok(Extensions { void: !a.is_empty() }),
            other => Err(serde::de::Error::custom(format!("extensions must be an array, got {other}"))),
        }
    }
}

/// Helper for the generated `extension<T>` code: decode one optional field from a JSON object.
#[doc(hidden)]
pub fn ext_field<T: serde::de::DeserializeOwned, E: serde::de::Error>(
    obj: &mut serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<Option<T>, E> {
    match obj.remove(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v).map(Some).map_err(|e| E::custom(format!("{name}: {e}"))),
    }
}

/// Helper for the generated code: the JSON form of an extension as an object (or "nothing").
#[doc(hidden)]
pub fn ext_object<E: serde::de::Error>(v: serde_json::Value) -> Result<serde_json::Map<String, serde_json::Value>, E> {
    match v {
        serde_json::Value::Null => Ok(Default::default()),
        serde_json::Value::Object(o) => Ok(o),
        serde_json::Value::Array(a) if a.is_empty() => Ok(Default::default()),
        // fc also accepts [[name_or_index, value], ...]; names only are accepted here.
        serde_json::Value::Array(a) => {
            let mut o = serde_json::Map::new();
            for item in a {
                match item {
                    serde_json::Value::Array(mut pair) if pair.len() == 2 => {
                        let v = pair.pop().unwrap_or_default();
                        match pair.pop() {
                            Some(serde_json::Value::String(k)) => {
                                o.insert(k, v);
                            }
                            _ => return Err(E::custom("extension pairs must be [name, value]")),
                        }
                    }
                    _ => return Err(E::custom("extension must be an object or an array of [name, value] pairs")),
                }
            }
            Ok(o)
        }
        other => Err(E::custom(format!("extension must be an object, got {other}"))),
    }
}

/// Write the header of an `extension<T>`.
#[doc(hidden)]
pub fn ext_write_count(out: &mut Vec<u8>, n: usize) {
    write_varint(out, n as u64)
}

/// Declare an `extension<T>` struct. Field indices are the declaration order in the C++ struct.
///
/// ```ignore
/// extension_struct! {
///     pub struct CallOrderUpdateExt {
///         0 => target_collateral_ratio: u16,
///     }
/// }
/// ```
#[macro_export]
macro_rules! extension_struct {
    ($(#[$m:meta])* pub struct $name:ident { $($idx:literal => $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, PartialEq, Eq, Default, Debug, serde::Serialize)]
        pub struct $name {
            $( #[serde(skip_serializing_if = "Option::is_none")] pub $field: Option<$ty>, )*
        }

        impl $name {
            #[allow(dead_code)]
            pub fn is_empty(&self) -> bool {
                true $( && self.$field.is_none() )*
            }
        }

        impl $crate::encoding::Pack for $name {
            fn pack(&self, out: &mut Vec<u8>) {
                let n = 0usize $( + usize::from(self.$field.is_some()) )*;
                $crate::ext::ext_write_count(out, n);
                $(
                    if let Some(v) = &self.$field {
                        $crate::encoding::write_varint(out, $idx);
                        $crate::encoding::Pack::pack(v, out);
                    }
                )*
            }
        }

        impl $crate::encoding::Unpack for $name {
            #[allow(unused_mut)]
            fn unpack(r: &mut $crate::encoding::Reader<'_>) -> Result<Self, $crate::encoding::DecodeError> {
                let n = r.length(1)?;
                let mut v = $name::default();
                let mut next_min: u64 = 0;
                for _ in 0..n {
                    let offset = r.offset();
                    let idx = r.varint()?;
                    if idx < next_min {
                        return Err($crate::encoding::DecodeError::Invalid {
                            what: stringify!($name), offset, reason: format!("extension index {idx} out of order"),
                        });
                    }
                    next_min = idx + 1;
                    match idx {
                        $( $idx => v.$field = Some($crate::encoding::Unpack::unpack(r)?), )*
                        tag => return Err($crate::encoding::DecodeError::UnknownTag { what: stringify!($name), tag, offset }),
                    }
                }
                Ok(v)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            #[allow(unused_mut)]
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut obj = $crate::ext::ext_object::<D::Error>(<serde_json::Value as serde::Deserialize>::deserialize(d)?)?;
                Ok($name { $( $field: $crate::ext::ext_field::<$ty, D::Error>(&mut obj, stringify!($field))?, )* })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::encoding::{Pack, Unpack};

    extension_struct! {
        pub struct TestExt {
            0 => a: u16,
            1 => b: u8,
        }
    }

    #[test]
    fn extension_binary_and_json() {
        let e = TestExt { a: None, b: Some(7) };
        assert_eq!(e.to_bytes(), vec![1, 1, 7]);
        assert_eq!(TestExt::from_bytes(&[1, 1, 7]).unwrap(), e);
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"b":7}"#);
        assert_eq!(serde_json::from_str::<TestExt>("[]").unwrap(), TestExt::default());
        assert_eq!(serde_json::from_str::<TestExt>("null").unwrap(), TestExt::default());
        assert_eq!(serde_json::from_str::<TestExt>(r#"{"b":7}"#).unwrap(), e);
        assert!(TestExt::from_bytes(&[1, 5, 7]).is_err());
    }

    #[test]
    fn void_extensions_round_trip() {
        use super::Extensions;
        assert_eq!(Extensions::default().to_bytes(), vec![0]);
        assert_eq!(Extensions::from_bytes(&[2, 0, 0]).unwrap().to_bytes(), vec![1, 0]);
        assert!(Extensions::from_bytes(&[1, 1]).is_err());
    }
}
