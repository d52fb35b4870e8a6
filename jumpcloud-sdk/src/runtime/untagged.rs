//! `oneOf`/`anyOf` enums: each variant tried in turn, most specific first, or the one a
//! discriminator names.
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
    first_that_decodes(value, name, variants).map_err(serde::de::Error::custom)
}

fn first_that_decodes<T>(
    value: serde_json::Value,
    name: &str,
    variants: &[UntaggedVariant<T>],
) -> Result<T, String> {
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
    Err(format!("the value matches no variant of {name}"))
}

/// Reads a `oneOf`/`anyOf` with a discriminator: an object whose `property` holds one of
/// `tags` (value, variant index) is read as that variant alone, and fails as it fails; any
/// other value (no property, or a value this SDK does not know) is read as
/// [`decode_untagged`] reads it.
pub fn decode_tagged<'de, D, T>(
    deserializer: D,
    name: &str,
    property: &str,
    tags: &[(&str, usize)],
    variants: &[UntaggedVariant<T>],
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;
    let tag = value.get(property).and_then(serde_json::Value::as_str);
    let selected = tag.and_then(|tag| tags.iter().find(|(known, _)| *known == tag));
    match selected.and_then(|(tag, index)| Some((tag, variants.get(*index)?))) {
        Some((tag, (_, decode))) => decode(value).map_err(|message| {
            serde::de::Error::custom(format!("{name} with {property} {tag:?}: {message}"))
        }),
        None => first_that_decodes(value, name, variants).map_err(serde::de::Error::custom),
    }
}

/// Writes a variant of a `oneOf`/`anyOf` with a discriminator: the variant's value, with
/// `property` set to `tag` when the value is an object that leaves it unset: absent, `null`, or
/// empty (a required text field left at its default).
pub fn encode_tagged<S: serde::Serializer, T: serde::Serialize>(
    serializer: S,
    property: &str,
    tag: Option<&str>,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut value = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let (Some(tag), serde_json::Value::Object(object)) = (tag, &mut value) {
        let slot = object.entry(property).or_insert(serde_json::Value::Null);
        if slot.is_null() || slot.as_str() == Some("") {
            *slot = serde_json::Value::String(tag.to_owned());
        }
    }
    serde::Serialize::serialize(&value, serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Cat {
        #[serde(skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        lives: u8,
    }

    #[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
    struct Dog {
        #[serde(skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        #[serde(default)]
        lives: u8,
        good: bool,
    }

    #[derive(Debug, PartialEq)]
    enum Pet {
        Dog(Dog),
        Cat(Cat),
    }

    const VARIANTS: &[UntaggedVariant<Pet>] = &[
        (&["good"], |value| from_value(value).map(Pet::Dog)),
        (&[], |value| from_value(value).map(Pet::Cat)),
    ];

    fn read(text: &str) -> Result<Pet, String> {
        let mut json = serde_json::Deserializer::from_str(text);
        decode_tagged(
            &mut json,
            "Pet",
            "kind",
            &[("cat", 1), ("dog", 0), ("hound", 0)],
            VARIANTS,
        )
        .map_err(|error| error.to_string())
    }

    #[test]
    fn a_known_discriminator_value_picks_the_variant() {
        // Without the tag, the dog's keys would win; the tag says cat.
        let pet = read(r#"{"kind":"cat","lives":9,"good":true}"#).unwrap();
        assert_eq!(
            pet,
            Pet::Cat(Cat {
                kind: Some("cat".into()),
                lives: 9
            })
        );
        assert!(matches!(
            read(r#"{"kind":"hound","good":false}"#),
            Ok(Pet::Dog(_))
        ));
    }

    #[test]
    fn a_variant_the_tag_names_fails_as_itself() {
        let error = read(r#"{"kind":"dog","lives":1}"#).unwrap_err();
        assert!(error.starts_with("Pet with kind \"dog\": "), "{error}");
        assert!(error.contains("good"), "{error}");
    }

    #[test]
    fn an_unknown_or_missing_tag_falls_back_to_the_untagged_rule() {
        assert!(matches!(
            read(r#"{"kind":"ferret","good":true}"#),
            Ok(Pet::Dog(_))
        ));
        assert!(matches!(read(r#"{"lives":3}"#), Ok(Pet::Cat(_))));
        assert!(read("7").is_err());
    }

    #[test]
    fn encoding_writes_the_tag_when_the_value_leaves_it_unset() {
        let write = |tag, cat: &Cat| {
            encode_tagged(serde_json::value::Serializer, "kind", tag, cat).unwrap()
        };
        let unset = Cat {
            kind: None,
            lives: 9,
        };
        assert_eq!(
            write(Some("cat"), &unset),
            serde_json::json!({"kind": "cat", "lives": 9})
        );
        let set = Cat {
            kind: Some("tabby".into()),
            lives: 9,
        };
        assert_eq!(
            write(Some("cat"), &set),
            serde_json::json!({"kind": "tabby", "lives": 9})
        );
        assert_eq!(write(None, &unset), serde_json::json!({"lives": 9}));
        let empty = Cat {
            kind: Some(String::new()),
            lives: 9,
        };
        assert_eq!(
            write(Some("cat"), &empty),
            serde_json::json!({"kind": "cat", "lives": 9})
        );
    }
}
