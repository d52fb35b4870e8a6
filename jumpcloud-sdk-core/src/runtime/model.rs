//! The generated structs' fields, read and written through one [`Model`] impl per struct:
//! decoding walks the object's keys ([`decode_model`]) and hands each value to the struct's
//! `read`, which picks the field reader by key; encoding goes through `erased_serde`, so one
//! serializer walk serves every struct (ARCHITECTURE.md, "Decoding without serde").
use super::decode::{Decode, DecodeError, Reader};
use super::lenient::Lenient;
use erased_serde::Serialize as ErasedSerialize;
use serde::ser::SerializeMap;
use std::collections::BTreeMap;

/// What reading one field returns.
pub type FieldResult = Result<(), DecodeError>;

/// The reader, at the value of a field.
pub type FieldValue<'a, 'j> = &'a mut Reader<'j>;

/// A generated struct: how each key of a JSON object reads into a field, and how the fields
/// are written back.
pub trait Model {
    /// Reads `key`'s value into its field; keys the document does not declare go to
    /// `additional_properties`. The key comes as the bytes of its text, which the generated
    /// `match` compares without checking them as UTF-8 first.
    fn read(&mut self, key: &[u8], value: FieldValue<'_, '_>) -> FieldResult;

    /// Writes the fields that are set, then the additional properties.
    ///
    /// Kept out of `dyn Model`'s vtable (`Self: Sized`): decoding goes through one, and a
    /// vtable entry would compile each decoded type's encoder in the crate that decodes it.
    fn write(&self, fields: &mut Fields<'_>)
    where
        Self: Sized;
}

/// `Serialize`, `Deserialize` and [`Decode`] for a generated struct, through its [`Model`] impl.
#[macro_export]
#[doc(hidden)]
macro_rules! serde_model {
    // A struct with a `Default` (no required fields): that is its empty value.
    ($name:ident) => {
        $crate::serde_model!($name, <Self as ::std::default::Default>::default());
    };
    // A struct with required fields has no `Default`: its empty value is every field's.
    ($name:ident { $($field:ident),* $(,)? }) => {
        $crate::serde_model!($name, Self { $($field: $crate::runtime::Decode::empty(),)* });
    };
    ($name:ident, $empty:expr) => {
        impl ::serde::Serialize for $name {
            #[inline]
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $crate::runtime::encode_model(self, serializer)
            }
        }

        impl $crate::runtime::Decode for $name {
            #[inline]
            fn empty() -> Self {
                $empty
            }

            #[inline]
            fn decode_into(
                slot: &mut Self,
                reader: &mut $crate::runtime::Reader<'_>,
            ) -> ::std::result::Result<(), $crate::runtime::DecodeError> {
                $crate::runtime::decode_model(reader, slot, stringify!($name))
            }
        }

        $crate::deserialize_with_decode!($name);
    };
}

/// serde's `Deserialize` for a type with a [`Decode`] impl (see
/// [`deserialize_with_decode`](super::decode::deserialize_with_decode)).
#[macro_export]
#[doc(hidden)]
macro_rules! deserialize_with_decode {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::runtime::deserialize_with_decode(deserializer)
            }
        }
    };
}

/// Reads a JSON object into `model`, key by key. One function for every struct, compiled once
/// by the runtime: a struct adds only its `read` (through `dyn Model`, whose vtable has no
/// other method), not a generic entry point, a closure and the closure's call shims of its
/// own in every crate that decodes it.
pub fn decode_model(
    reader: &mut Reader<'_>,
    model: &mut dyn Model,
    name: &'static str,
) -> Result<(), DecodeError> {
    // The type's name is formatted only if the value is not an object.
    reader.fields(&format_args!("an object ({name})"), |reader, key| {
        model.read(key, reader)
    })
}

/// Whether `key` (a key of the object being read) is `name`: what a generated `read` matches
/// a key of `name`'s length against.
#[inline]
pub fn is_key(key: &[u8], name: &[u8]) -> bool {
    key == name
}

/// An optional field: `null` reads as `None`.
pub fn optional_field<T: Decode>(slot: &mut Option<T>, value: FieldValue<'_, '_>) -> FieldResult {
    Option::decode_into(slot, value)
}

/// A field the document calls required: JumpCloud sends `null` for some, which reads as the
/// type's empty value rather than failing the whole response. (An absent one stays empty.)
pub fn required<T: Decode>(slot: &mut T, value: FieldValue<'_, '_>) -> FieldResult {
    // Emptied first either way: a struct fills its slot in place, and a repeated key must not
    // merge into the first value's fields (the last one wins, as for optional fields).
    *slot = T::empty();
    match value.take_null()? {
        true => {}
        false => T::decode_into(slot, value)?,
    }
    Ok(())
}

/// A required field read strictly: `null` fails like any other value of the wrong type.
pub fn strict_field<T: Decode>(slot: &mut T, value: FieldValue<'_, '_>) -> FieldResult {
    *slot = T::empty();
    T::decode_into(slot, value)
}

/// A list or map field, read leniently (see [`Lenient`]).
pub fn lenient_field<T: Lenient>(slot: &mut T, value: FieldValue<'_, '_>) -> FieldResult {
    match T::decode_lenient(value) {
        Ok(decoded) => {
            *slot = decoded;
            Ok(())
        }
        Err(error) => Err(error),
    }
}

/// A key the document does not declare, kept so that it is sent back unchanged.
pub fn extra_field<T: Decode>(
    additional: &mut BTreeMap<String, T>,
    key: &[u8],
    value: FieldValue<'_, '_>,
) -> FieldResult {
    let key = std::str::from_utf8(key).map_err(|_| value.error("invalid unicode code point"))?;
    additional.insert(key.to_owned(), T::decode(value)?);
    Ok(())
}

/// A key the document does not declare, in a struct that keeps none (`additionalProperties:
/// false`): its value is read past and dropped, so a key the server adds does not fail the
/// response.
pub fn skip_field(value: FieldValue<'_, '_>) -> FieldResult {
    value.raw().map(drop)
}

/// A string, borrowed from the input when it can be: for string enums' `Deserialize`, through
/// one shared visitor.
pub fn read_str<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    deserializer.deserialize_str(CowStrVisitor)
}

struct CowStrVisitor;

impl<'de> serde::de::Visitor<'de> for CowStrVisitor {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(text.into())
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(text.to_owned().into())
    }

    fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Self::Value, E> {
        Ok(text.into())
    }
}

/// Writes `model` as a JSON object. The walk is generic over the format only: every struct
/// shares one instance per format, and it is handed `write` alone (a `dyn Model` would bring
/// each sent type's `read` along).
#[inline]
pub fn encode_model<M: Model, S: serde::Serializer>(
    model: &M,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    encode_fields(&|fields| model.write(fields), serializer)
}

fn encode_fields<S: serde::Serializer>(
    write: &dyn Fn(&mut Fields<'_>),
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    let mut failed = None;
    write(&mut Fields {
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

/// Writes `write`'s fields to an erased serializer: the one every request body's structs are
/// written to ([`Request::json`](super::Request::json) hands them one). Nothing calls it; it is
/// here so that the runtime compiles [`encode_fields`] for that serializer (and erased_serde's
/// wrapper of it): a debug build reuses a generic function's code that a crate below already
/// compiled, so a program sending bodies does not compile them again.
#[doc(hidden)]
pub fn encode_erased(
    write: &dyn Fn(&mut Fields<'_>),
    serializer: &mut dyn erased_serde::Serializer,
) -> Result<(), erased_serde::Error> {
    ErasedSerialize::erased_serialize(&Written(write), serializer)
}

/// A struct's `write`, as serde sees it.
struct Written<'a>(&'a dyn Fn(&mut Fields<'_>));

impl serde::Serialize for Written<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        encode_fields(self.0, serializer)
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
        fn read(&mut self, key: &[u8], value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                b"id" => strict_field(&mut self.id, value),
                _ => skip_field(value),
            }
        }
        fn write(&self, fields: &mut Fields<'_>) {
            fields.always("id", &self.id);
        }
    }
    crate::serde_model!(Strict);

    #[test]
    fn a_struct_without_additional_properties_skips_undeclared_keys() {
        let text = br#"{"extra":{"deep":[1,{"x":null}]},"id":"a","more":"b"}"#;
        let strict: Strict = decode_json(text).unwrap();
        assert_eq!(strict.id, "a");
    }

    #[test]
    fn strict_fields_refuse_null() {
        let strict: Strict = decode_json(br#"{"id":"a"}"#).unwrap();
        assert_eq!(strict.id, "a");
        let (path, message) = decode_json::<Strict>(br#"{"id":null}"#).unwrap_err();
        assert_eq!(path, "id");
        assert_eq!(
            message,
            "invalid type: null, expected a string at line 1 column 7"
        );
    }

    #[derive(Debug, Default, PartialEq)]
    struct Inner {
        count: i64,
        tags: Option<Vec<String>>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    impl Model for Inner {
        fn read(&mut self, key: &[u8], value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                b"count" => required(&mut self.count, value),
                b"tags" => lenient_field(&mut self.tags, value),
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
        fn read(&mut self, key: &[u8], value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                b"inner" => optional_field(&mut self.inner, value),
                b"list" => lenient_field(&mut self.list, value),
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
    fn a_repeated_optional_key_is_read_afresh_and_the_last_one_wins() {
        let text = r#"{"inner":{"count":1,"tags":["a"],"x":1},"inner":{"count":2}}"#;
        let outer: Outer = decode_json(text.as_bytes()).unwrap();
        let inner = Inner {
            count: 2,
            ..Inner::default()
        };
        assert_eq!(outer.inner, Some(inner));
        let outer: Outer = decode_json(br#"{"inner":{"count":1},"inner":null}"#).unwrap();
        assert_eq!(outer.inner, None);
    }

    #[derive(Debug, PartialEq)]
    struct Holder {
        inner: Inner,
        strict: Inner,
    }

    impl Model for Holder {
        fn read(&mut self, key: &[u8], value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                b"inner" => required(&mut self.inner, value),
                b"strict" => strict_field(&mut self.strict, value),
                _ => Ok(()),
            }
        }
        fn write(&self, fields: &mut Fields<'_>) {
            fields.always("inner", &self.inner);
            fields.always("strict", &self.strict);
        }
    }
    crate::serde_model!(Holder { inner, strict });

    #[test]
    fn a_repeated_required_key_is_read_afresh_too() {
        let text = r#"{"inner":{"count":1,"tags":["a"],"x":1},"inner":{"count":2},
            "strict":{"tags":["b"]},"strict":{"count":3}}"#;
        let holder: Holder = decode_json(text.as_bytes()).unwrap();
        let only = |count| Inner {
            count,
            ..Inner::default()
        };
        assert_eq!(holder.inner, only(2));
        assert_eq!(holder.strict, only(3));
        let holder: Holder = decode_json(br#"{"inner":{"count":1},"inner":null}"#).unwrap();
        assert_eq!(holder.inner, Inner::default());
    }

    #[test]
    fn errors_name_the_path_without_relative_positions() {
        let (path, message) = decode_json::<Outer>(br#"{"inner":{"count":"x"}}"#).unwrap_err();
        assert_eq!(path, "inner.count");
        assert_eq!(
            message,
            r#"invalid type: string "x", expected i64 at line 1 column 19"#
        );
        let (path, message) =
            decode_json::<Outer>(br#"{"list":[{"count":1},{"count":true}]}"#).unwrap_err();
        assert_eq!(path, "list[1].count");
        assert_eq!(
            message,
            "invalid type: boolean `true`, expected i64 at line 1 column 31"
        );
        // A broken `null` in a list that tolerates null items is still the item's error.
        let (path, _) = decode_json::<Outer>(br#"{"list":[null,nul]}"#).unwrap_err();
        assert_eq!(path, "list[1]");
        let (path, message) = decode_json::<Outer>(br#"{"list":{"count":1}}"#).unwrap_err();
        assert_eq!(path, "list");
        assert_eq!(
            message,
            "invalid type: map, expected a sequence at line 1 column 9"
        );
        let (path, message) = decode_json::<Outer>(br#"[1]"#).unwrap_err();
        assert_eq!(path, ".");
        assert_eq!(
            message,
            "invalid type: sequence, expected an object (Outer) at line 1 column 1"
        );
    }

    /// A `oneOf` of a struct (tried first) and a string, or (`ANY`) anything.
    #[derive(Debug, PartialEq)]
    enum OneOf<const ANY: bool> {
        Inner(Inner),
        Text(String),
        Any(serde_json::Value),
    }

    impl<const ANY: bool> Default for OneOf<ANY> {
        fn default() -> Self {
            OneOf::Inner(Inner::default())
        }
    }

    impl<const ANY: bool> Decode for OneOf<ANY> {
        fn empty() -> Self {
            Self::default()
        }

        fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
            use crate::runtime::untagged::{decode_untagged, UntaggedVariant};
            let variants: &[UntaggedVariant<Self>] = &[
                (&["count"], |r| Decode::decode(r).map(OneOf::Inner)),
                (&[], |r| Decode::decode(r).map(OneOf::Text)),
                (&[], |r| Decode::decode(r).map(OneOf::Any)),
            ];
            let variants = if ANY { variants } else { &variants[..2] };
            decode_untagged(reader, "OneOf", variants)
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
        fn read(&mut self, key: &[u8], value: FieldValue<'_, '_>) -> FieldResult {
            match key {
                b"outer" => optional_field(&mut self.outer, value),
                b"map" => lenient_field(&mut self.map, value),
                b"either" => optional_field(&mut self.either, value),
                b"strict" => optional_field(&mut self.strict, value),
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
                "invalid type: integer `2`, expected a string at line 1 column 42".to_owned()
            )
        );
        assert_eq!(
            path(r#"{"outer":{"list":[{"count":1},{"count":"x"}]}}"#).0,
            "outer.list[1].count"
        );
        let (path, message) = decode_json::<BTreeMap<String, Deep>>(
            br#"{"k":{"outer":{"list":[{"count":1},{"count":"x"}]}}}"#,
        )
        .unwrap_err();
        assert_eq!(path, "k.outer.list[1].count");
        assert_eq!(
            message,
            r#"invalid type: string "x", expected i64 at line 1 column 45"#
        );
        // Inside a lenient map, and inside a map sent as text (whose errors are placed at
        // the text).
        assert_eq!(
            decode_json::<Deep>(br#"{"map":{"a":[{"count":1},{"count":true}]}}"#)
                .unwrap_err()
                .0,
            "map.a[1].count"
        );
        assert_eq!(
            decode_json::<Deep>(br#"{"map":"{\"a\":[{\"count\":\"x\"}]}"}"#).unwrap_err(),
            (
                "map.a[0].count".to_owned(),
                r#"invalid type: string "x", expected i64 at line 1 column 8"#.to_owned()
            )
        );
        let from_text: Deep = decode_json(br#"{"map":"{\"a\":[{\"count\":3}]}"}"#).unwrap();
        assert_eq!(from_text.map["a"][0].count, 3);
        assert_eq!(
            decode_json::<Deep>(br#"{"map":"[]"}"#).unwrap_err().1,
            r#"expected an object, found the text "[]" at line 1 column 8"#
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
        assert_eq!(
            message,
            r#"invalid type: string "bad", expected i64 at line 1 column 29"#
        );
        // No variant decodes: the error is the enum's, at the enum's path.
        let (path, message) = decode_json::<Deep>(br#"{"strict":{"count":"x"}}"#).unwrap_err();
        assert_eq!(path, "strict");
        assert_eq!(
            message,
            "the value matches no variant of OneOf at line 1 column 11"
        );
    }

    #[test]
    fn serde_deserialize_reads_the_same_and_names_the_path() {
        let outer: Outer = serde_json::from_value(serde_json::json!({"list": [null]})).unwrap();
        assert_eq!(outer.list, vec![Inner::default()]);
        let direct = serde_json::from_str::<Outer>(r#"{"inner":{"count":"x"}}"#).unwrap_err();
        assert_eq!(
            direct.to_string(),
            r#"at `inner.count`: invalid type: string "x", expected i64"#
        );
        // An error body that does not match is kept undocumented.
        assert_eq!(
            crate::runtime::decode::decode_error_body::<Outer>(br#"{"inner":{"count":"x"}}"#),
            None
        );
    }
}
