//! [`Response`]: a complete response, read by generated code according to its status: a JSON
//! body (naming the failing field's path on error), raw bytes, or an error status.
use super::decode::{decode_body, Decode, DecodeError};
use crate::error::{ApiError, Error, ErrorDecoder};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A complete response, decoded by generated code according to its status.
pub struct Response {
    pub(super) operation_id: &'static str,
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
}

impl Response {
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// The status.
    pub fn status_code(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body's bytes.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes a JSON body with serde, for a caller's own types (raw calls).
    pub fn serde_json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|error| Error::Decode {
            operation_id: self.operation_id,
            status: self.status,
            path: String::new(),
            message: error.to_string(),
        })
    }

    /// A response header's value, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Decodes a JSON body, naming the failing field's path on error.
    pub fn json<T: Decode>(&self) -> Result<T, Error> {
        match decode_body(&self.body) {
            Ok(value) => Ok(value),
            Err(error) => Err(self.decode_failed(error)),
        }
    }

    /// [`Error::Decode`] for this body: a method, where a closure in [`Response::json`] (or
    /// `map_err`) would be compiled by a program once per type it decodes.
    fn decode_failed(&self, error: DecodeError) -> Error {
        let mut message = error.message_in(&self.body);
        // A proxy's or login page's HTML is the usual cause: say so.
        let media_type = self.header("content-type").unwrap_or("none");
        if !media_type.contains("json") {
            message = format!("{message} (the body's content-type is {media_type:?}, not JSON)");
        }
        Error::Decode {
            operation_id: self.operation_id,
            status: self.status,
            path: error.path().to_string(),
            message,
        }
    }

    /// Decodes a JSON list body.
    pub fn json_list<T: Decode>(&self) -> Result<Vec<T>, Error> {
        self.json()
    }

    /// The raw body, for non-JSON media types.
    pub fn bytes(self) -> Bytes {
        self.body
    }

    /// Turns an error status into [`Error::Api`], decoding the body with `decode`, the
    /// generated decoder for the schema the document declares for that status (see
    /// [`ErrorDecoder`]: the error module, not the runtime, knows the generated body type).
    pub fn api_error(self, decode: Option<ErrorDecoder>) -> Error {
        Error::Api(Box::new(ApiError::from_response(
            self.operation_id,
            self.status,
            self.headers,
            self.body,
            decode,
        )))
    }
}
