//! The support the generated code calls into. Not a public API: names here may change in any
//! release.
//!
//! One job per module, and each imports only modules listed above it (no cycle):
//!
//! | module | job |
//! |---|---|
//! | `encoding` | path templates (`.`/`..` refused), query values, percent-encoding |
//! | `form` | `multipart/form-data` bodies: [`FilePart`], [`Form`] |
//! | `transport` | attempts, credentials, timeouts, retries, the `jumpcloud.request` span; knows no `Request` or `Response`: it returns raw status, headers and body |
//! | `path` | the typed path of a failed decode |
//! | `decode` | [`Decode`] and its [`Reader`] (a JSON pull parser), impls for the standard types, the decode entry points |
//! | `lenient` | [`Lenient`] lists and maps |
//! | `model` | generated structs' fields ([`Model`], field readers, `serde_model!`) |
//! | `untagged` | `oneOf`/`anyOf` enums ([`decode_untagged`]) |
//! | `response` | [`Response`]: JSON bodies, bytes, error statuses |
//! | `download` | [`Download`]: a success body streamed chunk by chunk, its file name |
//! | `request` | [`Request`]: building one, and sending it through `transport` |
//! | `call` | the [`Operation`] trait, the [`Call`] future, `operation!` |
//! | `paginate` | [`Paginated`] streams |
//! | `string_enum` | `string_enum!` |
//!
//! Outside the runtime, it uses `client` (settings), `auth` and `retry` (through `transport`)
//! and `error`, the one hand-written module that knows the generated error-body type.
mod call;
mod decode;
mod download;
mod encoding;
mod form;
mod lenient;
mod model;
mod paginate;
mod path;
mod request;
mod response;
mod string_enum;
mod transport;
mod untagged;

pub use call::{Call, Operation};
pub use decode::{
    decode_error_body, decode_json, deserialize_with_decode, Decode, DecodeError, Reader,
};
pub use download::Download;
pub use encoding::QueryValue;
pub use form::{FilePart, Form};
pub use lenient::Lenient;
pub use model::{
    decode_model, encode_erased, encode_model, extra_field, is_key, lenient_field, optional_field,
    read_str, required, skip_field, strict_field, FieldResult, FieldValue, Fields, Model,
};
pub use paginate::{PageNumber, Paginated};
pub use request::{BoxFuture, Request};
pub use response::Response;
pub use untagged::{decode_tagged, decode_untagged, encode_tagged, UntaggedVariant};

pub use crate::error::ErrorDecoder;
pub use bytes::Bytes;
pub use reqwest::{multipart, Method};
