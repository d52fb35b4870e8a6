//! `oneOf`/`anyOf` enums: each variant tried in turn, most specific first.
use super::decode::read_as;
use super::path;
use erased_serde::Deserializer as ErasedDeserializer;
use serde::de::DeserializeOwned;

/// How one variant of an untagged enum is recognized and read: the keys an object needs, and
/// the decoder.
pub type UntaggedVariant<T> = (
    &'static [&'static str],
    fn(serde_json::Value) -> Result<T, String>,
);

/// Reads an untagged enum's variant from a value (see [`decode_untagged`]).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    read_as(|read| read(&mut <dyn ErasedDeserializer>::erase(value))).map_err(|e| e.to_string())
}

/// Reads an untagged enum: the first variant (most specific first, as generated) whose
/// required keys the object has and that decodes. A variant that fails leaves no path behind
/// (`path::attempt`): the error, if no variant decodes, is the enum's own.
pub fn decode_untagged<'de, D, T>(
    deserializer: D,
    name: &str,
    variants: &[UntaggedVariant<T>],
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;
    for (required, decode) in variants {
        let has_keys = match &value {
            serde_json::Value::Object(object) => required.iter().all(|k| object.contains_key(*k)),
            _ => required.is_empty(),
        };
        if has_keys {
            if let Ok(decoded) = path::attempt(|| decode(value.clone())) {
                return Ok(decoded);
            }
        }
    }
    Err(serde::de::Error::custom(format!(
        "the value matches no variant of {name}"
    )))
}
