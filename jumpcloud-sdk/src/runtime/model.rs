//! Serde for the generated structs, without serde's derive. Each struct lists its fields once,
//! in [`Model`], and this module walks the JSON object for all of them. Derived impls are
//! generic over the struct and the format, so rustc type-checks and compiles a visitor per
//! struct and per format; these walkers are compiled once, through `erased_serde`. This is
//! the largest single share of the SDK's compile time saved (ARCHITECTURE.md, "Compile time").
use super::decode::{message_of, strip_positions, ReadValue};
use super::lenient::Lenient;
use super::path::{self, Segment};
pub use erased_serde::Deserializer as ErasedDeserializer;
use erased_serde::Serialize as ErasedSerialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use std::collections::BTreeMap;
use std::fmt;

/// What reading one field returns.
pub type FieldResult = Result<(), erased_serde::Error>;

/// The value a field reads from.
pub type FieldValue<'a, 'de> = &'a mut dyn ErasedDeserializer<'de>;

/// A generated struct: how each key of a JSON object reads into a field, and how the fields
/// are written back.
pub trait Model {
    /// Reads `key`'s value into its field; keys the document does not declare go to
    /// `additional_properties`.
    fn read(&mut self, key: &str, value: FieldValue<'_, '_>) -> FieldResult;

    /// Writes the fields that are set, then the additional properties.
    fn write(&self, fields: &mut Fields<'_>);
}

/// `Serialize` and `Deserialize` for a generated struct, through its [`Model`] impl.
#[macro_export]
#[doc(hidden)]
macro_rules! serde_model {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::runtime::encode_model(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let mut model = <Self as ::std::default::Default>::default();
                $crate::runtime::decode_model(deserializer, &mut model, stringify!($name))?;
                Ok(model)
            }
        }
    };
}

/// serde_json's name for a raw JSON value (its `raw_value` feature): a serde_json deserializer
/// asked for a newtype struct of this name hands over the value's text instead.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Reads a JSON object into `model`, field by field. Generic over the format only: every
/// struct shares one instance per format.
///
/// A serde_json deserializer hands over the object's text, which is then read with a fresh,
/// concrete deserializer: the fields see one erased layer over it, however deep the object
/// sits (erasing an already erased deserializer again at each level would add a layer per
/// level, and every read would go through all of them). Other deserializers give a
/// `serde_json::Value`, read the same way.
pub fn decode_model<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
    model: &mut dyn Model,
    name: &'static str,
) -> Result<(), D::Error> {
    let visitor = ModelVisitor { model, name };
    let read = match deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, JsonTextVisitor)? {
        JsonText::Text(text) => {
            let mut json = serde_json::Deserializer::from_str(&text);
            serde::Deserializer::deserialize_map(&mut json, visitor).and_then(|()| json.end())
        }
        JsonText::Value(value) => serde::Deserializer::deserialize_map(value, visitor),
    };
    // The object's own position is relative to its text (its fields' errors come without
    // theirs: `ModelVisitor`).
    read.map_err(|error| de::Error::custom(message_of(&error)))
}

/// A value's JSON text, or the value itself from a deserializer that is not serde_json's.
enum JsonText<'de> {
    Text(std::borrow::Cow<'de, str>),
    Value(serde_json::Value),
}

struct JsonTextVisitor;

impl<'de> Visitor<'de> for JsonTextVisitor {
    type Value = JsonText<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // serde_json's raw value: one entry, the token and the text.
        let Some(key) = map.next_key_seed(CowStrSeed)? else {
            return Ok(JsonText::Value(serde_json::Value::Object(
                Default::default(),
            )));
        };
        if key == RAW_VALUE_TOKEN {
            return map.next_value_seed(CowStrSeed).map(JsonText::Text);
        }
        // A plain map (from a deserializer that ignores the token).
        let mut object = serde_json::Map::new();
        object.insert(key.into_owned(), map.next_value()?);
        while let Some((key, value)) = map.next_entry()? {
            object.insert(key, value);
        }
        Ok(JsonText::Value(serde_json::Value::Object(object)))
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        serde::Deserialize::deserialize(deserializer).map(JsonText::Value)
    }
}

struct CowStrSeed;

impl<'de> DeserializeSeed<'de> for CowStrSeed {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        read_str(deserializer)
    }
}

struct ModelVisitor<'m> {
    model: &'m mut dyn Model,
    name: &'static str,
}

impl<'de> Visitor<'de> for ModelVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // One buffer for every key of the object.
        let mut key = String::new();
        while map.next_key_seed(KeySeed(&mut key))?.is_some() {
            let read = map.next_value_seed(FieldSeed {
                model: &mut *self.model,
                key: &key,
            });
            // Each object is read from its own text, so the path is built here (see `path`),
            // and the positions the message picked up on the way, relative to texts below
            // this one, are dropped: `erased_serde` flattened them into the text.
            read.map_err(|error| {
                path::push(|| Segment::Key(key.clone()));
                de::Error::custom(strip_positions(&error.to_string()))
            })?;
        }
        Ok(())
    }
}

/// Reads an object key into a reused buffer.
struct KeySeed<'k>(&'k mut String);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        self.0.clear();
        self.0.push_str(key);
        Ok(())
    }
}

/// Reads one value into the field its key names.
struct FieldSeed<'a> {
    model: &'a mut dyn Model,
    key: &'a str,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn ErasedDeserializer>::erase(deserializer);
        self.model
            .read(self.key, &mut erased)
            .map_err(de::Error::custom)
    }
}

/// An optional field: `null` reads as `None`.
pub fn optional_field<T: DeserializeOwned>(
    slot: &mut Option<T>,
    value: FieldValue<'_, '_>,
) -> FieldResult {
    *slot = None;
    read_option(value, &mut |d| {
        *slot = Some(erased_serde::deserialize(d)?);
        Ok(())
    })
}

/// A field the document calls required: JumpCloud sends `null` for some, which reads as the
/// type's default rather than failing the whole response. (An absent one keeps the default.)
pub fn required<T: DeserializeOwned + Default>(
    slot: &mut T,
    value: FieldValue<'_, '_>,
) -> FieldResult {
    *slot = T::default();
    read_option(value, &mut |d| {
        *slot = erased_serde::deserialize(d)?;
        Ok(())
    })
}

/// A required field read strictly: `null` fails like any other value of the wrong type.
pub fn strict_field<T: DeserializeOwned>(slot: &mut T, value: FieldValue<'_, '_>) -> FieldResult {
    *slot = erased_serde::deserialize(value)?;
    Ok(())
}

fn read_option(value: FieldValue<'_, '_>, read_some: &mut ReadValue<'_>) -> FieldResult {
    serde::Deserializer::deserialize_option(value, OptionVisitor(read_some))
}

struct OptionVisitor<'r, 'a>(&'r mut ReadValue<'a>);

impl<'de> Visitor<'de> for OptionVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        (self.0)(&mut <dyn ErasedDeserializer>::erase(deserializer)).map_err(de::Error::custom)
    }
}

/// A JSON array, item by item.
pub fn read_list<T: DeserializeOwned>(
    value: FieldValue<'_, '_>,
) -> Result<Vec<T>, erased_serde::Error> {
    let mut items = Vec::new();
    serde::Deserializer::deserialize_seq(
        value,
        SeqVisitor(&mut |d| {
            items.push(erased_serde::deserialize(d)?);
            Ok(())
        }),
    )?;
    Ok(items)
}

struct SeqVisitor<'r, 'a>(&'r mut ReadValue<'a>);

impl<'de> Visitor<'de> for SeqVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(ItemSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }
}

struct ItemSeed<'r, 'a>(&'r mut ReadValue<'a>);

impl<'de> DeserializeSeed<'de> for ItemSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        (self.0)(&mut <dyn ErasedDeserializer>::erase(deserializer)).map_err(de::Error::custom)
    }
}

/// A string, borrowed from the input when it can be: for string enums, through one shared
/// visitor.
pub fn read_str<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    deserializer.deserialize_str(CowStrVisitor)
}

struct CowStrVisitor;

impl<'de> Visitor<'de> for CowStrVisitor {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(text.into())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(text.to_owned().into())
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(text.into())
    }
}

/// A list or map field, read leniently (see [`Lenient`]).
pub fn lenient_field<T: Lenient>(slot: &mut T, value: FieldValue<'_, '_>) -> FieldResult {
    let text = match serde::Deserializer::deserialize_newtype_struct(
        value,
        RAW_VALUE_TOKEN,
        JsonTextVisitor,
    )? {
        JsonText::Text(text) => text,
        JsonText::Value(value) => value.to_string().into(),
    };
    *slot = T::from_lenient(&text).map_err(de::Error::custom)?;
    Ok(())
}

/// A key the document does not declare, kept so that it is sent back unchanged.
pub fn extra_field<T: DeserializeOwned>(
    additional: &mut BTreeMap<String, T>,
    key: &str,
    value: FieldValue<'_, '_>,
) -> FieldResult {
    additional.insert(key.to_owned(), erased_serde::deserialize(value)?);
    Ok(())
}

/// Writes `model` as a JSON object. Generic over the format only, like [`decode_model`].
pub fn encode_model<S: serde::Serializer>(
    model: &dyn Model,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let mut failed = None;
    model.write(&mut Fields {
        entry: &mut |key, value| {
            if failed.is_none() {
                failed = map.serialize_entry(key, value).err();
            }
        },
    });
    match failed {
        Some(error) => Err(error),
        None => map.end(),
    }
}

/// Where a [`Model`] writes its fields.
pub struct Fields<'a> {
    entry: &'a mut dyn FnMut(&str, &dyn ErasedSerialize),
}

impl Fields<'_> {
    /// A field always written: a required one, or a nullable one written as `null` when unset.
    pub fn always<T: serde::Serialize>(&mut self, key: &str, value: &T) {
        (self.entry)(key, value);
    }

    /// An optional field, written only when set.
    pub fn optional<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            (self.entry)(key, value);
        }
    }

    /// The keys the document does not declare, after the declared ones.
    pub fn extra<T: serde::Serialize>(&mut self, additional: &BTreeMap<String, T>) {
        for (key, value) in additional {
            (self.entry)(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::decode::decode_json;

    #[derive(Debug, Default, PartialEq)]
    struct Strict {
        id: String,
    }

    impl Model for Strict {
        fn read(&mut self, key: &str, value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                "id" => strict_field(&mut self.id, value),
                _ => Ok(()),
            }
        }
        fn write(&self, fields: &mut Fields<'_>) {
            fields.always("id", &self.id);
        }
    }
    crate::serde_model!(Strict);

    #[test]
    fn strict_fields_refuse_null() {
        let strict: Strict = decode_json(br#"{"id":"a"}"#).unwrap();
        assert_eq!(strict.id, "a");
        let (path, message) = decode_json::<Strict>(br#"{"id":null}"#).unwrap_err();
        assert_eq!(path, "id");
        assert_eq!(message, "invalid type: null, expected a string");
    }

    #[derive(Debug, Default, PartialEq)]
    struct Inner {
        count: i64,
        tags: Option<Vec<String>>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    impl Model for Inner {
        fn read(&mut self, key: &str, value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                "count" => required(&mut self.count, value),
                "tags" => lenient_field(&mut self.tags, value),
                _ => extra_field(&mut self.additional_properties, key, value),
            }
        }
        fn write(&self, fields: &mut Fields<'_>) {
            fields.always("count", &self.count);
            fields.optional("tags", &self.tags);
            fields.extra(&self.additional_properties);
        }
    }
    crate::serde_model!(Inner);

    #[derive(Debug, Default, PartialEq)]
    struct Outer {
        inner: Option<Inner>,
        list: Vec<Inner>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    impl Model for Outer {
        fn read(&mut self, key: &str, value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                "inner" => optional_field(&mut self.inner, value),
                "list" => lenient_field(&mut self.list, value),
                _ => extra_field(&mut self.additional_properties, key, value),
            }
        }
        fn write(&self, fields: &mut Fields<'_>) {
            fields.optional("inner", &self.inner);
            fields.always("list", &self.list);
            fields.extra(&self.additional_properties);
        }
    }
    crate::serde_model!(Outer);

    #[test]
    fn reads_nulls_as_defaults_and_keeps_unknown_keys_in_order() {
        let text = r#"{"zz":1,"inner":{"count":null,"tags":null,"x":true},"list":[null,{"count":2}],"a":"b"}"#;
        let outer: Outer = decode_json(text.as_bytes()).unwrap();
        assert_eq!(outer.inner.as_ref().unwrap().count, 0);
        assert_eq!(outer.inner.as_ref().unwrap().tags, None);
        assert_eq!(outer.list.len(), 2);
        assert_eq!(outer.list[0], Inner::default());
        assert_eq!(outer.list[1].count, 2);
        assert_eq!(
            serde_json::to_string(&outer).unwrap(),
            r#"{"inner":{"count":0,"x":true},"list":[{"count":0},{"count":2}],"a":"b","zz":1}"#
        );
        let outer: Outer = decode_json(br#"{"inner":null}"#).unwrap();
        assert_eq!(outer, Outer::default());
    }

    #[test]
    fn errors_name_the_path_without_relative_positions() {
        let (path, message) = decode_json::<Outer>(br#"{"inner":{"count":"x"}}"#).unwrap_err();
        assert_eq!(path, "inner.count");
        assert_eq!(message, r#"invalid type: string "x", expected i64"#);
        let (path, message) =
            decode_json::<Outer>(br#"{"list":[{"count":1},{"count":true}]}"#).unwrap_err();
        assert_eq!(path, "list[1].count");
        assert_eq!(message, "invalid type: boolean `true`, expected i64");
        let (path, message) = decode_json::<Outer>(br#"{"list":{"count":1}}"#).unwrap_err();
        assert_eq!(path, "list");
        assert_eq!(message, "invalid type: map, expected a sequence");
        let (path, message) = decode_json::<Outer>(br#"[1]"#).unwrap_err();
        assert_eq!(path, ".");
        assert_eq!(
            message,
            "invalid type: sequence, expected an object (Outer)"
        );
    }

    /// A `oneOf` of a struct (tried first) and a string, or (`ANY`) anything.
    #[derive(Debug, PartialEq)]
    enum OneOf<const ANY: bool> {
        Inner(Inner),
        Text(String),
        Any(serde_json::Value),
    }

    impl<'de, const ANY: bool> serde::Deserialize<'de> for OneOf<ANY> {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            use crate::runtime::untagged::{decode_untagged, from_value, UntaggedVariant};
            let variants: &[UntaggedVariant<Self>] = &[
                (&["count"], |v| from_value(v).map(OneOf::Inner)),
                (&[], |v| from_value(v).map(OneOf::Text)),
                (&[], |v| from_value(v).map(OneOf::Any)),
            ];
            let variants = if ANY { variants } else { &variants[..2] };
            decode_untagged(deserializer, "OneOf", variants)
        }
    }

    #[derive(Debug, Default)]
    struct Deep {
        outer: Option<Outer>,
        map: BTreeMap<String, Vec<Inner>>,
        either: Option<OneOf<true>>,
        strict: Option<OneOf<false>>,
        n: i64,
    }

    impl Model for Deep {
        fn read(&mut self, key: &str, value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                "outer" => optional_field(&mut self.outer, value),
                "map" => lenient_field(&mut self.map, value),
                "either" => optional_field(&mut self.either, value),
                "strict" => optional_field(&mut self.strict, value),
                _ => required(&mut self.n, value),
            }
        }
        fn write(&self, _: &mut Fields<'_>) {}
    }
    crate::serde_model!(Deep);

    #[test]
    fn the_typed_path_names_lists_inside_maps_inside_structs() {
        let path = |body: &str| decode_json::<Deep>(body.as_bytes()).unwrap_err();
        assert_eq!(
            path(r#"{"outer":{"inner":{"count":1,"tags":["a",2]}}}"#),
            (
                "outer.inner.tags[1]".to_owned(),
                "invalid type: integer `2`, expected a string".to_owned()
            )
        );
        assert_eq!(
            path(r#"{"outer":{"list":[{"count":1},{"count":"x"}]}}"#).0,
            "outer.list[1].count"
        );
        // Below the first object read from its own text, the path is recorded; above it,
        // `serde_path_to_error` tracks it (here a map's key), and the two join.
        let (path, message) = decode_json::<BTreeMap<String, Deep>>(
            br#"{"k":{"outer":{"list":[{"count":1},{"count":"x"}]}}}"#,
        )
        .unwrap_err();
        assert_eq!(path, "k.outer.list[1].count");
        assert!(
            message.starts_with(r#"invalid type: string "x", expected i64 at line 1 column "#),
            "{message}"
        );
        // A lenient map (and a list in it) is read by serde's own impls, which name no key
        // or index: the path stops at the map's field, as it always has.
        assert_eq!(
            decode_json::<Deep>(br#"{"map":{"a":[{"count":1},{"count":true}]}}"#)
                .unwrap_err()
                .0,
            "map.count"
        );
    }

    #[test]
    fn untagged_variants_that_fail_leave_no_stale_path() {
        // `Inner` fails at `count`, then `Text`, before `Any` decodes; `n` fails later.
        let decoded: Deep = decode_json(br#"{"either":{"count":"x"}}"#).unwrap();
        assert_eq!(
            decoded.either,
            Some(OneOf::Any(serde_json::json!({"count": "x"})))
        );
        let (path, message) =
            decode_json::<Deep>(br#"{"either":{"count":"x"},"n":"bad"}"#).unwrap_err();
        assert_eq!(path, "n");
        assert_eq!(message, r#"invalid type: string "bad", expected i64"#);
        // No variant decodes: the error is the enum's, at the enum's path.
        let (path, message) = decode_json::<Deep>(br#"{"strict":{"count":"x"}}"#).unwrap_err();
        assert_eq!(path, "strict");
        assert_eq!(message, "the value matches no variant of OneOf");
    }

    #[test]
    fn a_decode_after_a_failed_one_starts_clean() {
        let bad = br#"{"inner":{"count":"x"}}"#;
        assert_eq!(decode_json::<Outer>(bad).unwrap_err().0, "inner.count");
        assert_eq!(decode_json::<Outer>(br#"[1]"#).unwrap_err().0, ".");
        // An error body that does not match is swallowed with its path.
        assert_eq!(
            crate::runtime::decode::decode_error_body::<Outer>(bad),
            None
        );
        assert_eq!(
            decode_json::<Outer>(br#"{"list":{}}"#).unwrap_err().0,
            "list"
        );
        // A direct serde read records nothing (and its message carries no path marker).
        let direct = serde_json::from_str::<Outer>(r#"{"inner":{"count":"x"}}"#).unwrap_err();
        assert_eq!(
            direct.to_string(),
            r#"invalid type: string "x", expected i64"#
        );
        assert_eq!(decode_json::<Outer>(br#"[1]"#).unwrap_err().0, ".");
    }
}
