//! Containers JumpCloud fills loosely (see [`Lenient`]).
use super::decode::{decode_items, Decode, DecodeError, Reader};
use jiter::Peek;
use std::collections::BTreeMap;

/// Containers JumpCloud fills loosely: `null` for a list or map reads as empty, a `null` list
/// item as the item type's default, and a map sent as JSON text (`"{}"`) as the map it encodes.
/// Anything else must still match the declared type.
pub trait Lenient: Sized {
    /// Reads the container, leniently.
    fn decode_lenient(reader: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

impl<T: Decode> Lenient for Vec<T> {
    fn decode_lenient(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        if reader.take_null()? {
            return Ok(Vec::new());
        }
        decode_items(reader, true)
    }
}

fn lenient_object<T: Decode>(reader: &mut Reader<'_>) -> Result<T, DecodeError> {
    match reader.peek()? {
        Peek::Null => match reader.take_null() {
            Ok(_) => Ok(T::empty()),
            Err(error) => Err(error),
        },
        Peek::String => {
            let at = reader.here();
            let text = String::decode(reader)?;
            if !text.trim_start().starts_with('{') {
                return Err(
                    reader.error_at(format!("expected an object, found the text {text:?}"), at)
                );
            }
            reader.decode_inside_string(&text, at)
        }
        _ => T::decode(reader),
    }
}

impl<T: Decode> Lenient for BTreeMap<String, T> {
    fn decode_lenient(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        lenient_object(reader)
    }
}

impl Lenient for serde_json::Map<String, serde_json::Value> {
    fn decode_lenient(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        lenient_object(reader)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn decode_lenient(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        if reader.take_null()? {
            return Ok(None);
        }
        match T::decode_lenient(reader) {
            Ok(value) => Ok(Some(value)),
            Err(error) => Err(error),
        }
    }
}
