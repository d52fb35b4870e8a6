//! Decoding plumbing: bodies read through one erased serde_json deserializer (`read_as`), the
//! entry points that name the failing field's path, and serde_json's positions in messages.
//!
//! Positions. serde_json ends a message with ` at line L column C` when it knows where it was
//! (`Error::line() > 0`). Inside an object read from its own text that position is relative to
//! that text, so it is dropped; at the top of a body it is kept, once. Where a concrete
//! `serde_json::Error` is at hand, its own position is removed through `line()`/`column()`
//! ([`message_of`]). Text handling remains only for messages that crossed `erased_serde`:
//! it flattens every serde_json error to its `Display` text (position included), and the
//! serde_json deserializer it travels through next appends a position of its own, so such a
//! message can hold several and nothing structured says where they are ([`strip_positions`],
//! [`first_position_only`]).
use super::path::{self, DecodePath};
use erased_serde::Deserializer as ErasedDeserializer;
use serde::de::DeserializeOwned;

/// Reads one value from an erased deserializer into a slot of the caller's. Shared visitors
/// call these, so that no visitor is compiled per type: with `erased_serde`, each visitor
/// type costs a table of some thirty methods.
pub(crate) type ReadValue<'a> =
    dyn for<'de> FnMut(&mut dyn ErasedDeserializer<'de>) -> Result<(), erased_serde::Error> + 'a;

/// Reads a `T` with `drive`, a non-generic decoder that hands this function's reader an
/// erased deserializer. All a type adds to the build is this small function: the decoders
/// are compiled once.
pub(super) fn read_as<T: DeserializeOwned, E>(
    drive: impl FnOnce(&mut ReadValue<'_>) -> Result<(), E>,
) -> Result<T, E> {
    let mut decoded = None;
    drive(&mut |d| {
        decoded = Some(erased_serde::deserialize(d)?);
        Ok(())
    })?;
    Ok(decoded.expect("a successful read stores the value"))
}

/// Reads JSON text (all of it) through one erased deserializer.
pub(super) fn read_text(text: &str, read: &mut ReadValue<'_>) -> Result<(), String> {
    let mut json = serde_json::Deserializer::from_str(text);
    read(&mut <dyn ErasedDeserializer>::erase(&mut json)).map_err(|e| e.to_string())?;
    json.end().map_err(|e| message_of(&e))
}

/// JSON decoding with the path of the field that failed.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, String)> {
    read_as(|read| decode_json_with(body, read))
        .map_err(|(path, message)| (path.to_string(), message))
}

/// Reads a whole body with `read`; on failure, the path of the field that failed and the
/// message. The path above the first object read from its own text is tracked by
/// `serde_path_to_error`, the path below by the objects and lists themselves (see `path`).
pub(super) fn decode_json_with(
    body: &[u8],
    read: &mut ReadValue<'_>,
) -> Result<(), (DecodePath, String)> {
    // Tracking the path costs on every field; only a body that fails pays for it, by being
    // read a second time. The first read records no path either: it runs outside `record`.
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    if read_json(&mut deserializer, read).is_ok() && deserializer.end().is_ok() {
        return Ok(());
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut deserializer, &mut track);
    let read_tracked = || read(&mut <dyn ErasedDeserializer>::erase(tracked));
    let (inner, error) = match path::record(read_tracked) {
        Ok(()) => {
            return deserializer
                .end()
                .map_err(|error| (DecodePath::default(), error.to_string()))
        }
        Err(failure) => failure,
    };
    let path = DecodePath::from(track.path()).join(inner);
    Err((path, first_position_only(error.to_string())))
}

/// Decodes a documented error body; `None` when it does not match its schema (it is then
/// kept undocumented, and the failure's path dropped).
pub fn decode_error_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    path::attempt(|| {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let decoded = read_as(|read| read_json(&mut deserializer, read)).ok();
        decoded.filter(|_| deserializer.end().is_ok()).ok_or(())
    })
    .ok()
}

fn read_json(
    deserializer: &mut serde_json::Deserializer<serde_json::de::SliceRead<'_>>,
    read: &mut ReadValue<'_>,
) -> Result<(), erased_serde::Error> {
    read(&mut <dyn ErasedDeserializer>::erase(deserializer))
}

/// A serde_json error's message without its own position. serde_json has no accessor for the
/// message alone; its `Display` appends exactly this suffix when `line()` is not 0.
pub(super) fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if error.line() == 0 {
        return text;
    }
    let position = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => text,
    }
}

/// `message` without any of serde_json's ` at line L column C` (a message flattened by
/// `erased_serde`: see the module's docs).
pub(super) fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some((start, len)) = find_position(rest) {
        out.push_str(&rest[..start]);
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// Where the first ` at line L column C` of serde_json's is in `message`: start and length.
fn find_position(message: &str) -> Option<(usize, usize)> {
    const LINE: &str = " at line ";
    const COLUMN: &str = " column ";
    let digits = |text: &str| text.bytes().take_while(u8::is_ascii_digit).count();
    let mut searched = 0;
    while let Some(found) = message[searched..].find(LINE) {
        let start = searched + found;
        let after_line = &message[start + LINE.len()..];
        let line_len = digits(after_line);
        if let Some(column) = after_line[line_len..].strip_prefix(COLUMN) {
            if line_len > 0 && digits(column) > 0 {
                return Some((start, LINE.len() + line_len + COLUMN.len() + digits(column)));
            }
        }
        searched = start + LINE.len();
    }
    None
}

/// Each erased layer a decode error crosses may repeat serde_json's ` at line L column C`;
/// the first one is where the error is.
fn first_position_only(mut message: String) -> String {
    if let Some((start, len)) = find_position(&message) {
        message.truncate(start + len);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_json_positions_are_found_stripped_or_kept_once() {
        let message = "invalid type: null at line 1 column 9 at line 2 column 30";
        assert_eq!(find_position(message), Some((18, 19)));
        assert_eq!(strip_positions(message), "invalid type: null");
        assert_eq!(
            first_position_only(message.to_owned()),
            "invalid type: null at line 1 column 9"
        );
        // Text that only looks like a position stays.
        let text = "the value at line x column 3, then at line 4 column 5";
        assert_eq!(strip_positions(text), "the value at line x column 3, then");
    }

    #[test]
    fn a_serde_json_error_loses_its_own_position_only() {
        let error = serde_json::from_str::<i64>(r#""x at line 1 column 2""#).unwrap_err();
        assert!(error.line() > 0);
        assert_eq!(
            message_of(&error),
            r#"invalid type: string "x at line 1 column 2", expected i64"#
        );
        let error = <serde_json::Error as serde::de::Error>::custom("no position");
        assert_eq!(message_of(&error), "no position");
    }
}
