//! `oneOf`/`anyOf` enums: each variant tried in turn, most specific first, or the one a
//! discriminator names. The value's text is read once and each variant tried on it.
use super::decode::{DecodeError, Reader};

/// How one variant of an untagged enum is recognized and read: the keys an object needs, and
/// the decoder.
pub type UntaggedVariant<T> = (
    &'static [&'static str],
    fn(&mut Reader<'_>) -> Result<T, DecodeError>,
);

/// Reads an untagged enum: the first variant (most specific first, as generated) whose
/// required keys the object has and that decodes. If none does, the error is the enum's own.
pub fn decode_untagged<T>(
    reader: &mut Reader<'_>,
    name: &str,
    variants: &[UntaggedVariant<T>],
) -> Result<T, DecodeError> {
    let (text, start) = reader.raw()?;
    first_that_decodes(reader, text, start, name, variants)
}

fn first_that_decodes<T>(
    reader: &Reader<'_>,
    text: &[u8],
    start: usize,
    name: &str,
    variants: &[UntaggedVariant<T>],
) -> Result<T, DecodeError> {
    let keys = match variants.iter().any(|(required, _)| !required.is_empty()) {
        true => top_level_keys(text),
        false => None,
    };
    for (required, decode) in variants {
        let has_keys = match &keys {
            Some(keys) => required.iter().all(|k| keys.iter().any(|key| key == k)),
            None => required.is_empty(),
        };
        if has_keys {
            if let Ok(decoded) = reader.decode_again(text, start, *decode) {
                return Ok(decoded);
            }
        }
    }
    Err(reader.error_at(format!("the value matches no variant of {name}"), start))
}

/// An object's keys; `None` for any other value.
fn top_level_keys(text: &[u8]) -> Option<Vec<String>> {
    let mut keys = Vec::new();
    let mut jiter = jiter::Jiter::new(text);
    let mut key = jiter.next_object().ok()?.map(str::to_owned);
    while let Some(found) = key {
        keys.push(found);
        jiter.next_skip().ok()?;
        key = jiter.next_key().ok()?.map(str::to_owned);
    }
    Some(keys)
}

/// An object's string value at `property`.
fn tag_of(text: &[u8], property: &str) -> Option<String> {
    let mut jiter = jiter::Jiter::new(text);
    let mut key = jiter.next_object().ok()?.map(str::to_owned);
    while let Some(found) = key {
        if found == property {
            return match jiter.peek().ok()? {
                jiter::Peek::String => jiter.known_str().ok().map(str::to_owned),
                _ => None,
            };
        }
        jiter.next_skip().ok()?;
        key = jiter.next_key().ok()?.map(str::to_owned);
    }
    None
}

/// Reads a `oneOf`/`anyOf` with a discriminator: an object whose `property` holds one of
/// `tags` (value, variant index) is read as that variant alone, and fails as it fails; any
/// other value (no property, or a value this SDK does not know) is read as
/// [`decode_untagged`] reads it.
pub fn decode_tagged<T>(
    reader: &mut Reader<'_>,
    name: &str,
    property: &str,
    tags: &[(&str, usize)],
    variants: &[UntaggedVariant<T>],
) -> Result<T, DecodeError> {
    let (text, start) = reader.raw()?;
    let tag = tag_of(text, property);
    let selected = tag.and_then(|tag| tags.iter().find(|(known, _)| *known == tag));
    match selected.and_then(|(tag, index)| Some((tag, variants.get(*index)?))) {
        Some((tag, (_, decode))) => reader
            .decode_again(text, start, *decode)
            .map_err(|error| error.prefixed(&format!("{name} with {property} {tag:?}: "))),
        None => first_that_decodes(reader, text, start, name, variants),
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
    use crate::runtime::model::{
        optional_field, required, strict_field, FieldResult, FieldValue, Fields, Model,
    };

    #[derive(Debug, Default, PartialEq, serde::Serialize)]
    struct Cat {
        #[serde(skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        lives: i64,
    }

    impl Model for Cat {
        fn read(&mut self, key: &[u8], value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                b"kind" => optional_field(&mut self.kind, value),
                b"lives" => strict_field(&mut self.lives, value),
                _ => value.raw().map(drop),
            }
        }
        fn write(&self, _: &mut Fields<'_>) {}
    }

    #[derive(Debug, Default, PartialEq, serde::Serialize)]
    struct Dog {
        #[serde(skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        lives: i64,
        good: bool,
    }

    impl Model for Dog {
        fn read(&mut self, key: &[u8], value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                b"kind" => optional_field(&mut self.kind, value),
                b"lives" => required(&mut self.lives, value),
                _ => strict_field(&mut self.good, value),
            }
        }
        fn write(&self, _: &mut Fields<'_>) {}
    }

    fn model<T: Model + Default>(reader: &mut Reader<'_>) -> Result<T, DecodeError> {
        let mut model = T::default();
        crate::runtime::decode_model(reader, &mut model, "pet")?;
        Ok(model)
    }

    #[derive(Debug, PartialEq)]
    enum Pet {
        Dog(Dog),
        Cat(Cat),
    }

    const VARIANTS: &[UntaggedVariant<Pet>] = &[
        (&["good"], |reader| model(reader).map(Pet::Dog)),
        (&[], |reader| model(reader).map(Pet::Cat)),
    ];

    fn read(text: &str) -> Result<Pet, String> {
        let mut reader = Reader::new(text.as_bytes());
        decode_tagged(
            &mut reader,
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
        let error = read(r#"{"kind":"dog","good":"yes"}"#).unwrap_err();
        assert_eq!(
            error,
            r#"at `good`: Pet with kind "dog": invalid type: string "yes", expected a boolean"#
        );
    }

    #[test]
    fn an_unknown_or_missing_tag_falls_back_to_the_untagged_rule() {
        assert!(matches!(
            read(r#"{"kind":"ferret","good":true}"#),
            Ok(Pet::Dog(_))
        ));
        assert!(matches!(read(r#"{"lives":3}"#), Ok(Pet::Cat(_))));
        assert_eq!(
            read("7").unwrap_err(),
            "at `.`: the value matches no variant of Pet"
        );
        // The dog's key with a value that is not the dog's: the cat takes it.
        assert!(matches!(read(r#"{"lives":3,"good":1}"#), Ok(Pet::Cat(_))));
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
