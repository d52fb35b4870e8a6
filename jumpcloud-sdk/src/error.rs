//! The SDK's one error type.
//!
//! The one hand-written module that names generated code: [`ApiError`] holds the typed
//! [`ApiErrorBody`], so the body's decoding ends here ([`ApiError::from_response`], with the
//! generated [`ErrorDecoder`] the runtime passes on). The runtime needs this module anyway
//! (every call returns [`Error`]) and this module imports nothing from the runtime: the
//! dependency goes one way, and the runtime never names generated code.
use crate::generated::ApiErrorBody;
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use std::fmt;

/// Everything that can go wrong with a call, told apart so callers can react.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be built: invalid header value, unusable base URL, body that does
    /// not serialize. Nothing was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The client configuration is unusable (missing API key, bad URL).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The call did not complete within its timeout (or its last attempt within the retry
    /// policy's attempt timeout). Returned once retries are exhausted.
    #[error("request timed out")]
    Timeout(#[source] reqwest::Error),
    /// Connection, TLS or protocol failure (refused, reset, truncated response). Returned once
    /// retries are exhausted.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The server answered with a success status but the body did not match the expected
    /// type; `path` names the failing field (for example `results[3].name`).
    #[error("cannot decode the {status} response of {operation_id} at `{path}`: {message}")]
    Decode {
        operation_id: &'static str,
        status: StatusCode,
        path: String,
        message: String,
    },
    /// The server answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The response body is larger than the call's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)):
    /// refused before it is read when its `content-length` says so, else as soon as it
    /// passes the limit. Nothing of it is returned, and the call is not retried.
    #[error("the response of {operation_id} is larger than the limit of {limit} bytes")]
    TooLarge {
        operation_id: &'static str,
        limit: u64,
    },
    /// The server stopped sending the response body for longer than the read timeout
    /// ([`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout)): a timeout that
    /// ends a stalled or trickling body before the call's total timeout. Returned once retries
    /// are exhausted.
    #[error("the response of {operation_id} stalled: no data for {idle:?}")]
    Stalled {
        operation_id: &'static str,
        idle: std::time::Duration,
    },
}

impl Error {
    /// The API error, when the server answered with an error status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The HTTP status the server answered with, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Error::Timeout(error)
        } else {
            Error::Transport(error)
        }
    }
}

/// An error status from the API, with the body decoded into the schema the document declares
/// for that status.
#[derive(Debug)]
pub struct ApiError {
    pub operation_id: &'static str,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: ApiErrorBody,
}

/// Decodes an error body into the schema documented for its status; `None` when it does not
/// match. Generated code passes `ApiErrorBody::decode_…` to `Response::api_error`.
pub type ErrorDecoder = fn(&[u8]) -> Option<ApiErrorBody>;

impl ApiError {
    /// An error status's parts, the body decoded with `decode` (the generated decoder for the
    /// schema documented for that status), or kept undocumented when there is none or it does
    /// not match.
    pub(crate) fn from_response(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        decode: Option<ErrorDecoder>,
    ) -> Self {
        let body = decode
            .and_then(|decode| decode(&body))
            .unwrap_or_else(|| ApiErrorBody::undocumented(body));
        ApiError {
            operation_id,
            status,
            headers,
            body,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed with status {}",
            self.operation_id, self.status
        )
    }
}

impl std::error::Error for ApiError {}
