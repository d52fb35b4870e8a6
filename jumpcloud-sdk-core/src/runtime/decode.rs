//! JSON decoding without serde: one pull parser ([`jiter`]) and, per type, a [`Decode`] impl
//! that reads its value straight off it.
//!
//! Why not serde. Serde's derive is fast but generic over the format, so rustc compiles a
//! visitor per type and per format; the erased walker this replaced compiled once but read
//! every nested object twice and leaned on serde_json's private raw-value token. Here nothing
//! is generic over the format: each type's decoder is concrete code, compiled in the crate that
//! calls it (the generated impls are `#[inline]`), and every byte is read once (ARCHITECTURE.md,
//! "Decoding without serde").
//!
//! Errors carry the path of the value that failed, built as the error leaves each object key
//! and list index ([`DecodeError::at`]), and the byte index where it happened.
use super::path::{DecodePath, Segment};
use jiter::{Jiter, JiterError, LinePosition, NumberAny, NumberInt, Peek};
use std::collections::BTreeMap;
use std::fmt;

/// A type read from JSON by [`Reader`]. Implemented by the runtime for the standard types and
/// by the generated code for each model (through the runtime's helpers).
///
/// An implementation gives `decode`, `decode_into` or both: each one's default calls the
/// other. The generated structs give only `decode_into` (and `empty`), so the crate type checks
/// one `decode` for them all instead of one per struct.
pub trait Decode: Sized {
    /// Reads one value.
    #[inline]
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut value = Self::empty();
        Self::decode_into(&mut value, reader)?;
        Ok(value)
    }

    /// Reads one value into `slot`, which holds a value of the type's own (a default one, for
    /// the generated structs, which fill it field by field where it lies instead of moving a
    /// large struct out through each level).
    #[inline]
    fn decode_into(slot: &mut Self, reader: &mut Reader<'_>) -> Result<(), DecodeError> {
        *slot = Self::decode(reader)?;
        Ok(())
    }

    /// What a value reads as when it is absent (or `null` where that is tolerated), and where
    /// in-place decoding starts: an empty value, not necessarily a valid one (a struct's
    /// required fields are empty), which is why structs with required fields have no
    /// `Default` and this is hidden. Requests are built with their constructors.
    #[doc(hidden)]
    fn empty() -> Self;
}

/// [`Decode::empty`] as the type's `Default`, for the types that have one.
macro_rules! empty_is_default {
    () => {
        #[inline]
        fn empty() -> Self {
            Self::default()
        }
    };
}

/// Why a body did not decode: the message, where (byte index), and the path of the value.
pub struct DecodeError(Box<Failure>);

struct Failure {
    /// Innermost segment first: each level adds its own on the error's way out.
    path: Vec<Segment>,
    message: String,
    /// The byte index in the body, when the failure has one.
    index: Option<usize>,
}

impl DecodeError {
    fn new(message: String, index: Option<usize>) -> Self {
        DecodeError(Box::new(Failure {
            path: Vec::new(),
            message,
            index,
        }))
    }

    /// The error, inside `segment` of the value around it.
    pub(crate) fn at(mut self, segment: Segment) -> Self {
        self.0.path.push(segment);
        self
    }

    /// The message with `prefix` before it.
    pub(crate) fn prefixed(mut self, prefix: &str) -> Self {
        self.0.message.insert_str(0, prefix);
        self
    }

    /// The path of the value that failed, outermost first.
    pub(crate) fn path(&self) -> DecodePath {
        DecodePath::from_innermost_first(&self.0.path)
    }

    /// The message, ending with the failure's line and column in `body` when known.
    pub(crate) fn message_in(&self, body: &[u8]) -> String {
        match self.0.index {
            Some(index) => {
                let LinePosition { line, column } = LinePosition::find(body, index);
                format!("{} at line {line} column {column}", self.0.message)
            }
            None => self.0.message.clone(),
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path(), self.0.message)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("path", &self.path().to_string())
            .field("message", &self.0.message)
            .field("index", &self.0.index)
            .finish()
    }
}

/// Where a reader's text sits in the body, for the positions of its errors.
#[derive(Debug, Clone, Copy)]
enum Origin {
    /// A slice of the body, starting at this index.
    Offset(usize),
    /// Text that was itself a JSON string at this index of the body (a map sent as text):
    /// every error inside it is placed at the string.
    Fixed(usize),
}

impl Origin {
    #[inline]
    fn index(self, local: usize) -> usize {
        match self {
            Origin::Offset(start) => start + local,
            Origin::Fixed(at) => at,
        }
    }

    fn failed(self, error: JiterError) -> DecodeError {
        DecodeError::new(error.error_type.to_string(), Some(self.index(error.index)))
    }
}

/// How deep objects and lists may nest (serde_json's limit): deeper input is refused rather
/// than overflowing the stack.
const DEPTH_LIMIT: usize = 128;

/// A JSON text being read, value by value.
pub struct Reader<'j> {
    jiter: Jiter<'j>,
    origin: Origin,
    depth: usize,
    /// The text `jiter` reads, for keys borrowed from it rather than from the parser.
    text: &'j [u8],
}

impl<'j> Reader<'j> {
    /// A reader of a whole body.
    pub fn new(text: &'j [u8]) -> Self {
        Reader {
            jiter: Jiter::new(text),
            origin: Origin::Offset(0),
            depth: 0,
            text,
        }
    }

    /// A reader of `text`, which sits in the body as `origin` says, at this reader's depth.
    fn nested<'t>(&self, text: &'t [u8], origin: Origin) -> Reader<'t> {
        Reader {
            jiter: Jiter::new(text),
            origin,
            depth: self.depth,
            text,
        }
    }

    /// The body index of the next value (after [`Reader::peek`]).
    #[inline]
    pub(crate) fn here(&self) -> usize {
        self.origin.index(self.jiter.current_index())
    }

    /// The kind of the next value, without reading it.
    #[inline]
    pub fn peek(&mut self) -> Result<Peek, DecodeError> {
        let origin = self.origin;
        self.jiter.peek().map_err(|error| origin.failed(error))
    }

    /// Reads a `null` when one is next.
    #[inline]
    pub fn take_null(&mut self) -> Result<bool, DecodeError> {
        if self.peek()? != Peek::Null {
            return Ok(false);
        }
        let origin = self.origin;
        self.jiter.known_null().map_err(|e| origin.failed(e))?;
        Ok(true)
    }

    /// An error at the next value.
    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(message.into(), Some(self.here()))
    }

    /// An error at body index `at`.
    pub(crate) fn error_at(&self, message: impl Into<String>, at: usize) -> DecodeError {
        DecodeError::new(message.into(), Some(at))
    }

    /// The error for a value of the wrong kind, which names it as serde does
    /// (`invalid type: string "x", expected i64`). Reads the value, to describe it.
    pub fn unexpected(&mut self, peek: Peek, expected: &dyn fmt::Display) -> DecodeError {
        let at = self.here();
        let origin = self.origin;
        let found = match peek {
            Peek::Null => "null".to_owned(),
            Peek::True => "boolean `true`".to_owned(),
            Peek::False => "boolean `false`".to_owned(),
            Peek::Array => "sequence".to_owned(),
            Peek::Object => "map".to_owned(),
            Peek::String => match self.jiter.known_str() {
                Ok(text) => format!("string {text:?}"),
                Err(error) => return origin.failed(error),
            },
            _ => match self.jiter.known_number(peek) {
                Ok(NumberAny::Float(number)) => format!("floating point `{number}`"),
                Ok(NumberAny::Int(number)) => format!("integer `{}`", integer_text(number)),
                Err(error) => return origin.failed(error),
            },
        };
        DecodeError::new(
            format!("invalid type: {found}, expected {expected}"),
            Some(at),
        )
    }

    /// Fails unless the next value is a `want`.
    fn open(&mut self, want: Peek, expected: &dyn fmt::Display) -> Result<(), DecodeError> {
        let peek = self.peek()?;
        match peek == want {
            true => Ok(()),
            false => Err(self.unexpected(peek, expected)),
        }
    }

    /// Reads a string, borrowed from the parser until the reader is used again.
    ///
    /// This and the walks below are not generic over the type being decoded (`object` takes
    /// a `dyn` callback, `fields` has one caller, `decode_model`, and lists step through
    /// `first_item` and `next_item`): a program compiles each of them once, not once per type
    /// it decodes.
    pub fn string(&mut self, expected: &str) -> Result<&str, DecodeError> {
        self.open(Peek::String, &expected)?;
        let origin = self.origin;
        self.jiter.known_str().map_err(|error| origin.failed(error))
    }

    /// Reads an object, calling `entry` with each key and this reader at its value; an error
    /// in an entry comes out inside the entry's key.
    pub fn object(
        &mut self,
        expected: &str,
        entry: &mut dyn FnMut(&mut Self, String) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.walk_object(&expected, |reader, key| {
            let owned = match key {
                Key::Text(start, end) => std::str::from_utf8(&reader.text[*start..*end])
                    .map_err(|_| reader.error("invalid unicode code point"))?
                    .to_owned(),
                Key::Decoded(key) => key.clone(),
            };
            entry(reader, owned)
        })
    }

    /// Reads an object's fields: `field` gets each key's bytes (what the generated structs
    /// match on: a declared key is found without checking or copying its text) and this reader
    /// at its value; an error in a field comes out inside the field's key.
    pub fn fields(
        &mut self,
        expected: &dyn fmt::Display,
        mut field: impl FnMut(&mut Self, &[u8]) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        let text = self.text;
        self.walk_object(expected, |reader, key| match key {
            Key::Text(start, end) => field(reader, &text[*start..*end]),
            Key::Decoded(key) => field(reader, key.as_bytes()),
        })
    }

    /// The walk shared by [`Reader::object`] and [`Reader::fields`].
    #[inline]
    fn walk_object(
        &mut self,
        expected: &dyn fmt::Display,
        mut entry: impl FnMut(&mut Self, &Key) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.open(Peek::Object, expected)?;
        self.enter()?;
        let origin = self.origin;
        let text = self.text;
        let mut key = match self.jiter.known_object() {
            Ok(first) => first.map(|key| Key::of(text, key)),
            Err(error) => return Err(origin.failed(error)),
        };
        while let Some(found) = key {
            if let Err(error) = entry(self, &found) {
                let segment = match found {
                    Key::Text(start, end) => String::from_utf8_lossy(&text[start..end]).into(),
                    Key::Decoded(key) => key,
                };
                return Err(error.at(Segment::Key(segment)));
            }
            key = match self.jiter.next_key() {
                Ok(next) => next.map(|key| Key::of(text, key)),
                Err(error) => return Err(origin.failed(error)),
            };
        }
        self.depth -= 1;
        Ok(())
    }

    /// Opens an array: whether it has a first item, at which this reader then is. With
    /// [`Reader::next_item`], a walk with no callback, so a list's item loop is one function
    /// per item type rather than a closure and its call shims as well. Once either says
    /// `false`, the array is closed (and its depth given back): call neither again for it.
    pub(crate) fn first_item(&mut self, expected: &str) -> Result<bool, DecodeError> {
        self.open(Peek::Array, &expected)?;
        self.enter()?;
        let step = self.jiter.known_array();
        self.item_step(step)
    }

    /// After an item: whether another follows, at which this reader then is.
    pub(crate) fn next_item(&mut self) -> Result<bool, DecodeError> {
        let step = self.jiter.array_step();
        self.item_step(step)
    }

    fn item_step(&mut self, step: Result<Option<Peek>, JiterError>) -> Result<bool, DecodeError> {
        match step {
            Ok(Some(_)) => Ok(true),
            Ok(None) => {
                self.depth -= 1;
                Ok(false)
            }
            Err(error) => Err(self.origin.failed(error)),
        }
    }

    fn enter(&mut self) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > DEPTH_LIMIT {
            return Err(self.error("recursion limit exceeded"));
        }
        Ok(())
    }

    /// Reads the next value without decoding it: its JSON text and the body index it starts at.
    pub(crate) fn raw(&mut self) -> Result<(&'j [u8], usize), DecodeError> {
        let peek = self.peek()?;
        let start = self.jiter.current_index();
        let origin = self.origin;
        self.jiter.known_skip(peek).map_err(|e| origin.failed(e))?;
        Ok((self.jiter.slice_to_current(start), origin.index(start)))
    }

    /// Decodes `text` (read earlier at body index `start`) as a `T`, all of it.
    pub(crate) fn decode_again<T>(
        &self,
        text: &[u8],
        start: usize,
        decode: fn(&mut Reader<'_>) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        read_all(self.nested(text, Origin::Offset(start)), decode)
    }

    /// Decodes JSON text that arrived inside a string (at body index `at`), all of it.
    pub(crate) fn decode_inside_string<T: Decode>(
        &self,
        text: &str,
        at: usize,
    ) -> Result<T, DecodeError> {
        read_all(self.nested(text.as_bytes(), Origin::Fixed(at)), T::decode)
    }

    /// Fails unless only whitespace is left.
    fn finish(&mut self) -> Result<(), DecodeError> {
        let origin = self.origin;
        self.jiter.finish().map_err(|e| origin.failed(e))
    }

    #[inline]
    fn number<T>(
        &mut self,
        expected: &str,
        read: impl FnOnce(&mut Self, Peek) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        let peek = self.peek()?;
        if !peek.is_num() {
            return Err(self.unexpected(peek, &expected));
        }
        read(self, peek)
    }
}

/// An object key, kept apart from the parser: the field's reader needs the parser back while
/// the key is in use.
enum Key {
    /// The key had no escapes: its text is these bytes of the reader's text (checked UTF-8).
    Text(usize, usize),
    /// The key had escapes: decoded.
    Decoded(String),
}

impl Key {
    /// `key`, which the parser decoded from `text` or (with escapes) into its own buffer.
    #[inline]
    fn of(text: &[u8], key: &str) -> Key {
        let start = (key.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        match start.checked_add(key.len()) {
            Some(end) if end <= text.len() => Key::Text(start, end),
            _ => Key::Decoded(key.to_owned()),
        }
    }
}

#[allow(unreachable_patterns)] // `BigInt` exists only when another crate turns on jiter's num-bigint
fn integer_text(number: NumberInt) -> String {
    match number {
        NumberInt::Int(int) => int.to_string(),
        other => format!("{other:?}"),
    }
}

/// Decodes a whole body; on failure, the path of the value that failed and the message (with
/// its line and column).
pub fn decode_json<T: Decode>(body: &[u8]) -> Result<T, (String, String)> {
    decode_body(body).map_err(|error| (error.path().to_string(), error.message_in(body)))
}

/// Decodes a whole body.
pub(crate) fn decode_body<T: Decode>(body: &[u8]) -> Result<T, DecodeError> {
    read_all(Reader::new(body), T::decode)
}

/// Reads `reader`'s one value, failing if anything but whitespace follows it.
fn read_all<T>(
    mut reader: Reader<'_>,
    decode: fn(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    match decode(&mut reader) {
        Ok(value) => match reader.finish() {
            Ok(()) => Ok(value),
            Err(error) => Err(error),
        },
        Err(error) => Err(error),
    }
}

/// Decodes a documented error body; `None` when it does not match its schema (it is then kept
/// undocumented).
pub fn decode_error_body<T: Decode>(body: &[u8]) -> Option<T> {
    decode_body(body).ok()
}

/// `Deserialize` for a type that has a [`Decode`] impl, for callers who use serde directly
/// (another format, or `serde_json::from_value`): the value is read into a
/// `serde_json::Value`, written out and decoded. The SDK's own responses never take this path.
pub fn deserialize_with_decode<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Decode,
{
    let value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;
    let text = serde_json::to_vec(&value).map_err(serde::de::Error::custom)?;
    decode_body(&text).map_err(serde::de::Error::custom)
}

impl Decode for String {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.string("a string").map(str::to_owned)
    }
    empty_is_default!();
}

impl Decode for bool {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let peek = reader.peek()?;
        match peek {
            Peek::True | Peek::False => {
                let origin = reader.origin;
                reader.jiter.known_bool(peek).map_err(|e| origin.failed(e))
            }
            _ => Err(reader.unexpected(peek, &"a boolean")),
        }
    }
    empty_is_default!();
}

impl Decode for i64 {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.number("i64", |reader, peek| {
            let at = reader.here();
            let origin = reader.origin;
            match reader.jiter.known_number(peek) {
                Ok(NumberAny::Int(NumberInt::Int(int))) => Ok(int),
                Ok(NumberAny::Float(number)) => Err(DecodeError::new(
                    format!("invalid type: floating point `{number}`, expected i64"),
                    Some(at),
                )),
                #[allow(unreachable_patterns)]
                Ok(NumberAny::Int(big)) => Err(DecodeError::new(
                    format!(
                        "invalid value: integer `{}`, expected i64",
                        integer_text(big)
                    ),
                    Some(at),
                )),
                Err(error) => Err(origin.failed(error)),
            }
        })
    }
    empty_is_default!();
}

impl Decode for i32 {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.peek()?;
        let at = reader.here();
        let wide = i64::decode(reader)?;
        i32::try_from(wide).map_err(|_| {
            DecodeError::new(
                format!("invalid value: integer `{wide}`, expected i32"),
                Some(at),
            )
        })
    }
    empty_is_default!();
}

impl Decode for f64 {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        reader.number("f64", |reader, peek| {
            let origin = reader.origin;
            reader.jiter.known_float(peek).map_err(|e| origin.failed(e))
        })
    }
    empty_is_default!();
}

impl<T: Decode> Decode for Option<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut slot = None;
        Self::decode_into(&mut slot, reader)?;
        Ok(slot)
    }

    #[inline]
    fn decode_into(slot: &mut Self, reader: &mut Reader<'_>) -> Result<(), DecodeError> {
        if reader.take_null()? {
            *slot = None;
            return Ok(());
        }
        // An optional value read twice (a repeated key) is read afresh: the last one wins.
        // Written out rather than `slot.insert(..)`, which is three more functions per type in
        // a debug build.
        *slot = Some(T::empty());
        match slot {
            Some(value) => T::decode_into(value, reader),
            // Not reached: the slot was just filled.
            None => Ok(()),
        }
    }

    #[inline]
    fn empty() -> Self {
        None
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        match T::decode(reader) {
            Ok(value) => Ok(Box::new(value)),
            Err(error) => Err(error),
        }
    }

    #[inline]
    fn empty() -> Self {
        Box::new(T::empty())
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        decode_items(reader, false)
    }
    empty_is_default!();
}

/// Reads a list; with `null_as_default`, a `null` item is the item type's empty value instead
/// of whatever the item type makes of it.
///
/// Each item is read whole, then pushed (as serde's `Vec` visitor does), not pushed empty and
/// filled where it lies: with the list's buffer grown before an item's own allocations, glibc
/// gave the heap back to the kernel after every decoded list and faulted it in again on the
/// next (348 `brk` calls against 25 in the bench's child, and a 1,000-group list 1.4× slower
/// than serde's derive instead of level with it).
pub(crate) fn decode_items<T: Decode>(
    reader: &mut Reader<'_>,
    null_as_default: bool,
) -> Result<Vec<T>, DecodeError> {
    let mut items = Vec::new();
    let mut more = reader.first_item("a sequence")?;
    while more {
        let mut item = T::empty();
        if let Err(error) = decode_item(reader, &mut item, null_as_default) {
            return Err(error.at(Segment::Index(items.len())));
        }
        items.push(item);
        more = reader.next_item()?;
    }
    Ok(items)
}

/// One list item into `item` (left empty for a tolerated `null`).
#[inline]
fn decode_item<T: Decode>(
    reader: &mut Reader<'_>,
    item: &mut T,
    null_as_default: bool,
) -> Result<(), DecodeError> {
    if null_as_default && reader.take_null()? {
        return Ok(());
    }
    T::decode_into(item, reader)
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut map = BTreeMap::new();
        reader.object("a map", &mut |reader, key| {
            map.insert(key, T::decode(reader)?);
            Ok(())
        })?;
        Ok(map)
    }
    empty_is_default!();
}

impl Decode for serde_json::Map<String, serde_json::Value> {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut map = serde_json::Map::new();
        reader.object("a map", &mut |reader, key| {
            map.insert(key, serde_json::Value::decode(reader)?);
            Ok(())
        })?;
        Ok(map)
    }
    empty_is_default!();
}

impl Decode for serde_json::Value {
    fn decode(reader: &mut Reader<'_>) -> Result<Self, DecodeError> {
        use serde_json::Value;
        let peek = reader.peek()?;
        let origin = reader.origin;
        Ok(match peek {
            Peek::Null => {
                reader.jiter.known_null().map_err(|e| origin.failed(e))?;
                Value::Null
            }
            Peek::True | Peek::False => Value::Bool(bool::decode(reader)?),
            Peek::String => Value::String(String::decode(reader)?),
            Peek::Array => Value::Array(Vec::decode(reader)?),
            Peek::Object => Value::Object(serde_json::Map::decode(reader)?),
            _ => {
                let at = reader.here();
                let text = match reader.jiter.known_number_bytes(peek) {
                    Ok(text) => text,
                    Err(error) => return Err(origin.failed(error)),
                };
                match json_number(text) {
                    Some(number) => Value::Number(number),
                    None => return Err(DecodeError::new("number out of range".into(), Some(at))),
                }
            }
        })
    }
    empty_is_default!();
}

/// A JSON number as serde_json reads it: an integer as `i64` or `u64` when it fits, anything
/// else as `f64`.
fn json_number(text: &[u8]) -> Option<serde_json::Number> {
    let text = std::str::from_utf8(text).ok()?;
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(int) = text.parse::<i64>() {
            return Some(int.into());
        }
        if let Ok(int) = text.parse::<u64>() {
            return Some(int.into());
        }
    }
    serde_json::Number::from_f64(text.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fails<T: Decode + fmt::Debug>(text: &str) -> (String, String) {
        decode_json::<T>(text.as_bytes()).unwrap_err()
    }

    #[test]
    fn standard_types_decode_as_serde_json_reads_them() {
        assert_eq!(decode_json::<i64>(b" -12 ").unwrap(), -12);
        assert_eq!(decode_json::<f64>(b"3").unwrap(), 3.0);
        assert_eq!(decode_json::<String>(br#""a\nb""#).unwrap(), "a\nb");
        assert_eq!(
            decode_json::<Option<Vec<bool>>>(b"[true,false]").unwrap(),
            Some(vec![true, false])
        );
        assert_eq!(decode_json::<Option<i32>>(b"null").unwrap(), None);
        let text = r#"{"a":[1,-2,18446744073709551615,1.5,1e3],"b":{"c":null,"d":"é"},"e":true}"#;
        let value: serde_json::Value = decode_json(text.as_bytes()).unwrap();
        assert_eq!(
            value,
            serde_json::from_str::<serde_json::Value>(text).unwrap()
        );
        assert_eq!(value["a"][2], json!(u64::MAX));
    }

    #[test]
    fn wrong_kinds_are_named_as_serde_names_them() {
        assert_eq!(
            fails::<i64>(r#""x""#),
            (
                ".".into(),
                r#"invalid type: string "x", expected i64 at line 1 column 1"#.into()
            )
        );
        assert_eq!(
            fails::<i64>("1.5").1,
            "invalid type: floating point `1.5`, expected i64 at line 1 column 1"
        );
        assert_eq!(
            fails::<i32>("4294967296").1,
            "invalid value: integer `4294967296`, expected i32 at line 1 column 1"
        );
        assert_eq!(
            fails::<Vec<String>>(r#"["a",2]"#),
            (
                "[1]".into(),
                "invalid type: integer `2`, expected a string at line 1 column 6".into()
            )
        );
        assert_eq!(
            fails::<BTreeMap<String, bool>>(r#"{"k":null}"#).1,
            "invalid type: null, expected a boolean at line 1 column 6"
        );
        assert_eq!(
            fails::<Vec<i64>>("{}").1,
            "invalid type: map, expected a sequence at line 1 column 1"
        );
    }

    #[test]
    fn broken_json_trailing_text_and_deep_nesting_are_errors_not_panics() {
        assert!(fails::<serde_json::Value>(r#"{"a":"#).1.contains("EOF"));
        assert!(fails::<i64>("1 2").1.contains("trailing characters"));
        let deep = "[".repeat(100_000);
        assert_eq!(
            fails::<serde_json::Value>(&deep).1,
            "recursion limit exceeded at line 1 column 129"
        );
    }
}
