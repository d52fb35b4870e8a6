//! Containers JumpCloud fills loosely (see [`Lenient`]), read from their JSON text.
use super::decode::{message_of, read_as, read_text, strip_positions};
use super::path::{self, Segment};
use erased_serde::Deserializer as ErasedDeserializer;
use serde::de::DeserializeOwned;

/// Containers JumpCloud fills loosely: `null` for a list or map reads as empty, a `null` list
/// item as the item type's default, and a map sent as JSON text (`"{}"`) as the map it encodes.
/// Anything else must still match the declared type.
///
/// Read from the value's JSON text: a list's items and a map are read from their own text, with
/// no `serde_json::Value` built on the way.
pub trait Lenient: Sized {
    fn from_lenient(text: &str) -> Result<Self, String>;
}

/// Reads a `T` from JSON text through one erased deserializer.
fn decode_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    read_as(|read| read_text(text, read))
}

impl<T: DeserializeOwned + Default> Lenient for Vec<T> {
    fn from_lenient(text: &str) -> Result<Self, String> {
        let mut items = Vec::new();
        lenient_list(text, &mut |item| {
            items.push(match item {
                Some(item) => erased_serde::deserialize(item)?,
                None => T::default(),
            });
            Ok(())
        })?;
        Ok(items)
    }
}

/// Reads one list item, or takes the default for a `null` one (`None`).
type ReadItem<'a> = dyn for<'de> FnMut(Option<&mut dyn ErasedDeserializer<'de>>) -> Result<(), erased_serde::Error>
    + 'a;

/// Each item is read from its own text, so a failing one adds its index to the path.
fn lenient_list(text: &str, read: &mut ReadItem<'_>) -> Result<(), String> {
    let items: Option<Vec<&serde_json::value::RawValue>> =
        serde_json::from_str(text).map_err(|e| message_of(&e))?;
    for (index, item) in items.into_iter().flatten().enumerate() {
        let read_item = match item.get() {
            "null" => read(None).map_err(|e| e.to_string()),
            item => read_text(item, &mut |d| read(Some(d))),
        };
        read_item.map_err(|error| {
            path::push(|| Segment::Index(index));
            strip_positions(&error)
        })?;
    }
    Ok(())
}

fn lenient_object<T: DeserializeOwned + Default>(text: &str) -> Result<T, String> {
    if text == "null" {
        return Ok(T::default());
    }
    if !text.starts_with('"') {
        return decode_text(text);
    }
    let inner: String = serde_json::from_str(text).map_err(|e| message_of(&e))?;
    if !inner.trim_start().starts_with('{') {
        return Err(format!("expected an object, found the text {inner:?}"));
    }
    decode_text(&inner)
}

impl<T: DeserializeOwned> Lenient for std::collections::BTreeMap<String, T> {
    fn from_lenient(text: &str) -> Result<Self, String> {
        lenient_object(text)
    }
}

impl Lenient for serde_json::Map<String, serde_json::Value> {
    fn from_lenient(text: &str) -> Result<Self, String> {
        lenient_object(text)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn from_lenient(text: &str) -> Result<Self, String> {
        match text {
            "null" => Ok(None),
            text => T::from_lenient(text).map(Some),
        }
    }
}
