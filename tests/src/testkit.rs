//! The hand-written half of the testkit: what `generated/calls.rs` describes operations with,
//! the arguments a call takes as JSON, the outcome it is reduced to, and the conversions
//! from JSON into the SDK's exact types. Nothing here depends on the document; the generated
//! half (`crate::generated`) holds one entry and one arm per operation.
use jumpcloud_sdk::ApiErrorBody;
use serde_json::Value;
use std::collections::BTreeMap;

/// The generated reduction of an error body to its variant's name and its value.
pub type ErrorBodyReducer = fn(&ApiErrorBody) -> (&'static str, Payload);

/// Decodes `value` into `T` as the SDK decodes a response body, and encodes it back (the
/// generated `examples::roundtrip` calls it with the type behind a pointer). A decoding error
/// names the path of the value that failed.
pub fn roundtrip_as<T: jumpcloud_sdk::runtime::Decode + ::serde::Serialize>(
    value: Value,
) -> Result<Value, String> {
    let text = ::serde_json::to_vec(&value).map_err(|error| format!("writing: {error}"))?;
    let decoded: T = jumpcloud_sdk::runtime::decode_json(&text)
        .map_err(|(path, message)| format!("decoding at {path}: {message}"))?;
    ::serde_json::to_value(&decoded).map_err(|error| format!("encoding: {error}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// A parameter as the SDK takes it: required ones are arguments, the others setters.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The wire name, also the key of its value in [`Args::params`].
    pub name: &'static str,
    pub location: Location,
    pub required: bool,
    /// JSON pointer of the parameter object (a `$ref` is not followed); for a path
    /// parameter the document does not declare, the operation's pointer.
    pub pointer: &'static str,
    /// Whether the document declares it (see `pointer`).
    pub declared: bool,
    /// The values go in the query as repeated names (`a=1&a=2`) rather than joined.
    pub explode: bool,
}

/// How the request body is sent.
#[derive(Debug, Clone, Copy)]
pub enum BodyKind {
    /// JSON, from [`Args::body`].
    Json,
    /// Raw bytes of `media_type`, from [`Args::bytes`].
    Bytes,
    /// `multipart/form-data`, from [`Args::parts`].
    Multipart(&'static [Part]),
}

/// A part of a multipart body.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    pub name: &'static str,
    pub required: bool,
    pub file: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Body {
    pub required: bool,
    pub media_type: &'static str,
    /// JSON pointer of the media type object (under the operation, `$ref`s not followed).
    pub pointer: &'static str,
    pub kind: BodyKind,
}

/// What a success status carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseKind {
    Empty,
    Json,
    Bytes,
}

#[derive(Debug, Clone, Copy)]
pub struct Success {
    pub status: u16,
    pub kind: ResponseKind,
    pub pointer: Option<&'static str>,
}

/// A documented error status.
#[derive(Debug, Clone, Copy)]
pub struct ErrorStatus {
    /// `None` for `default`.
    pub status: Option<u16>,
    /// The `ApiErrorBody` variant the SDK must decode the body into (`Undocumented`
    /// when the document gives no JSON schema).
    pub variant: &'static str,
    pub pointer: Option<&'static str>,
}

/// One operation as the generator lowered it.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// The name of its document (`v1`), empty when the SDK has only one.
    pub document: &'static str,
    pub operation_id: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    /// JSON pointer of the operation object.
    pub pointer: &'static str,
    /// The Rust call, as `OPERATIONS.md` shows it.
    pub call: &'static str,
    /// Path parameters first in path order, then the others sorted by wire name.
    pub params: &'static [Param],
    pub body: Option<Body>,
    pub success: &'static [Success],
    /// Sorted, `default` first.
    pub errors: &'static [ErrorStatus],
}

/// Every operation, sorted by operationId.

#[derive(Debug, Clone, PartialEq)]
pub enum PartValue {
    Text(String),
    File {
        bytes: Vec<u8>,
        file_name: String,
        content_type: Option<String>,
    },
}

/// The arguments of one call. A parameter or part left out is not set; a required one
/// left out makes the call [`Outcome::Args`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    /// Parameters by wire name, converted with `serde_json::from_value` into the exact
    /// Rust type the SDK takes.
    pub params: BTreeMap<String, Value>,
    /// The JSON body, converted into the body's Rust type.
    pub body: Option<Value>,
    /// A body of another media type.
    pub bytes: Option<Vec<u8>>,
    /// Multipart parts by name.
    pub parts: BTreeMap<String, PartValue>,
}

/// A decoded body, encoded back to JSON so tests can compare it.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Empty,
    Json(Value),
    Bytes(Vec<u8>),
    /// The decoded value could not be encoded back: the error.
    Unencodable(String),
}

impl Payload {
    pub fn json<T: ::serde::Serialize>(value: &T) -> Self {
        match ::serde_json::to_value(value) {
            Ok(value) => Payload::Json(value),
            Err(error) => Payload::Unencodable(error.to_string()),
        }
    }
}

/// What a call came back with.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A success, decoded. `status` is known when the operation has several success
    /// responses (the variant of its response enum).
    Ok { status: Option<u16>, body: Payload },
    /// `Error::Api`: the status, the response headers, the `ApiErrorBody` variant and
    /// the body it holds.
    Api {
        status: u16,
        headers: Vec<(String, String)>,
        variant: &'static str,
        body: Payload,
    },
    /// `Error::Decode`: a success status whose body did not decode.
    Decode {
        status: u16,
        path: String,
        message: String,
    },
    /// An argument did not convert into the SDK's type; nothing was sent.
    Args(String),
    /// Any other error: the `Error` variant's name and its message.
    Failed { kind: &'static str, message: String },
}

impl Outcome {
    pub fn ok_json<T: ::serde::Serialize>(status: Option<u16>, value: &T) -> Self {
        Outcome::Ok {
            status,
            body: Payload::json(value),
        }
    }

    pub fn ok_empty(status: Option<u16>) -> Self {
        Outcome::Ok {
            status,
            body: Payload::Empty,
        }
    }

    pub fn ok_bytes(status: Option<u16>, bytes: impl AsRef<[u8]>) -> Self {
        Outcome::Ok {
            status,
            body: Payload::Bytes(bytes.as_ref().to_vec()),
        }
    }
    /// Reduces an error; `reduce_body` is the generated `error_body`, which knows every
    /// `ApiErrorBody` variant of the document.
    pub fn from_error(error: ::jumpcloud_sdk::Error, reduce_body: ErrorBodyReducer) -> Self {
        use ::jumpcloud_sdk::Error;
        let message = error.to_string();
        match error {
            Error::Api(api) => {
                let headers = api
                    .headers()
                    .iter()
                    .map(|(name, value)| {
                        (
                            name.as_str().to_owned(),
                            String::from_utf8_lossy(value.as_bytes()).into_owned(),
                        )
                    })
                    .collect();
                let (variant, body) = reduce_body(api.body());
                Outcome::Api {
                    status: api.status().as_u16(),
                    headers,
                    variant,
                    body,
                }
            }
            Error::Decode {
                status,
                path,
                message,
                ..
            } => Outcome::Decode {
                status: status.as_u16(),
                path,
                message,
            },
            Error::InvalidRequest(_) => Outcome::Failed {
                kind: "InvalidRequest",
                message,
            },
            Error::Config(_) => Outcome::Failed {
                kind: "Config",
                message,
            },
            Error::Timeout(_) => Outcome::Failed {
                kind: "Timeout",
                message,
            },
            Error::Transport(_) => Outcome::Failed {
                kind: "Transport",
                message,
            },
            Error::TooLarge { .. } => Outcome::Failed {
                kind: "TooLarge",
                message,
            },
            Error::Stalled { .. } => Outcome::Failed {
                kind: "Stalled",
                message,
            },
            _ => Outcome::Failed {
                kind: "Other",
                message,
            },
        }
    }
}

/// A required parameter, converted into the SDK's type.
pub fn required<T: ::serde::de::DeserializeOwned>(args: &Args, name: &str) -> Result<T, String> {
    optional(args, name)?.ok_or_else(|| format!("the required parameter {name} is missing"))
}

/// An optional parameter, converted into the SDK's type when given.
pub fn optional<T: ::serde::de::DeserializeOwned>(
    args: &Args,
    name: &str,
) -> Result<Option<T>, String> {
    args.params
        .get(name)
        .map(|value| convert(value, name))
        .transpose()
}

/// Converts a JSON argument into the SDK's exact type, naming the path that does not fit.
pub fn convert<T: ::serde::de::DeserializeOwned>(value: &Value, what: &str) -> Result<T, String> {
    ::serde_path_to_error::deserialize(value.clone()).map_err(|error| {
        format!(
            "{what} does not convert at {}: {}",
            error.path(),
            error.inner()
        )
    })
}

/// The required JSON body.
pub fn required_body<T: ::serde::de::DeserializeOwned>(args: &Args) -> Result<T, String> {
    optional_body(args)?.ok_or_else(|| "the required body is missing".to_owned())
}

/// The optional JSON body.
pub fn optional_body<T: ::serde::de::DeserializeOwned>(args: &Args) -> Result<Option<T>, String> {
    args.body
        .as_ref()
        .map(|value| convert(value, "the body"))
        .transpose()
}

/// The required body of another media type.
pub fn required_bytes(args: &Args) -> Result<Vec<u8>, String> {
    args.bytes
        .clone()
        .ok_or_else(|| "the required body is missing".to_owned())
}

/// The optional body of another media type.
pub fn optional_bytes(args: &Args) -> Result<Option<Vec<u8>>, String> {
    Ok(args.bytes.clone())
}

/// A required text part of a multipart body.
pub fn required_text(args: &Args, name: &str) -> Result<String, String> {
    optional_text(args, name)?.ok_or_else(|| format!("the required part {name} is missing"))
}

/// An optional text part of a multipart body.
pub fn optional_text(args: &Args, name: &str) -> Result<Option<String>, String> {
    match args.parts.get(name) {
        None => Ok(None),
        Some(PartValue::Text(text)) => Ok(Some(text.clone())),
        Some(PartValue::File { .. }) => Err(format!("the part {name} is text, not a file")),
    }
}

/// A required file part of a multipart body.
pub fn required_file(args: &Args, name: &str) -> Result<::jumpcloud_sdk::FilePart, String> {
    optional_file(args, name)?.ok_or_else(|| format!("the required part {name} is missing"))
}

/// An optional file part of a multipart body.
pub fn optional_file(args: &Args, name: &str) -> Result<Option<::jumpcloud_sdk::FilePart>, String> {
    match args.parts.get(name) {
        None => Ok(None),
        Some(PartValue::File {
            bytes,
            file_name,
            content_type,
        }) => {
            let file = ::jumpcloud_sdk::FilePart::new(bytes.clone(), file_name.clone());
            Ok(Some(match content_type {
                Some(content_type) => file.content_type(content_type.clone()),
                None => file,
            }))
        }
        Some(PartValue::Text(_)) => Err(format!("the part {name} is a file, not text")),
    }
}
