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
use std::time::Duration;

/// Everything that can go wrong with a call, told apart so callers can react. New variants
/// and fields may come in a minor release: match with a `_` arm and `..` in struct variants.
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
    #[non_exhaustive]
    #[error("cannot decode the {status} response of {operation_id} at `{path}`: {message}")]
    Decode {
        /// The operationId of the call.
        operation_id: &'static str,
        /// The success status the body came with.
        status: StatusCode,
        /// The failing value's path in the body (`results[3].name`; empty for the body itself).
        path: String,
        /// What was wrong, with the line and column in the body.
        message: String,
    },
    /// The server answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The response body is larger than the call's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)):
    /// refused before it is read when its `content-length` says so, else as soon as it
    /// passes the limit. Nothing of it is returned, and the call is not retried.
    #[non_exhaustive]
    #[error("the response of {operation_id} is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The operationId of the call.
        operation_id: &'static str,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The server stopped sending the response body for longer than the read timeout
    /// ([`ClientBuilder::read_timeout`](crate::ClientBuilder::read_timeout)): a timeout that
    /// ends a stalled or trickling body before the call's total timeout. Returned once retries
    /// are exhausted.
    #[non_exhaustive]
    #[error("the response of {operation_id} stalled: no data for {idle:?}")]
    Stalled {
        /// The operationId of the call.
        operation_id: &'static str,
        /// How long no byte came.
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

/// An error status from the API: the status, the headers, the body decoded into the schema
/// the document declares for that status, and what a caller acts on (the server's message,
/// `Retry-After`, the request id).
///
/// ```
/// # async fn run(client: jumpcloud_sdk::Client) -> Result<(), jumpcloud_sdk::Error> {
/// match client.user_groups().get_details("42").await {
///     Ok(group) => println!("{:?}", group.name),
///     Err(error) => match error.as_api() {
///         Some(api) if api.status() == 404 => println!("no such group: {api}"),
///         Some(api) if api.status() == 429 => println!("retry in {:?}", api.retry_after()),
///         _ => return Err(error),
///     },
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct ApiError {
    operation_id: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: ApiErrorBody,
    raw_body: Bytes,
    message: Option<String>,
}

/// Decodes an error body into the schema documented for its status; `None` when it does not
/// match. Generated code passes `ApiErrorBody::decode_…` to `Response::api_error`.
pub type ErrorDecoder = fn(&[u8]) -> Option<ApiErrorBody>;

/// The headers a request id comes back in, first found wins.
const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "x-jc-request-id", "x-correlation-id"];

/// The keys an error body's message is read from, at its top level or under `error`.
const MESSAGE_KEYS: [&str; 4] = ["message", "error", "detail", "msg"];

/// The longest message `Display` shows (a server may send a whole page).
const MESSAGE_DISPLAY_LIMIT: usize = 300;

impl ApiError {
    /// An error status's parts, the body decoded with `decode` (the generated decoder for the
    /// schema documented for that status), or kept undocumented when there is none or it does
    /// not match.
    pub(crate) fn from_response(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        raw_body: Bytes,
        decode: Option<ErrorDecoder>,
    ) -> Self {
        let body = decode
            .and_then(|decode| decode(&raw_body))
            .unwrap_or_else(|| ApiErrorBody::undocumented(raw_body.clone()));
        let message = message_of(&raw_body);
        ApiError {
            operation_id,
            status,
            headers,
            body,
            raw_body,
            message,
        }
    }

    /// The operationId of the call that failed (`UserGroups_getDetails`).
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The HTTP status. Compares with a number: `api.status() == 404`.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, decoded into the schema the document declares for this status; a body that
    /// does not match (or a status without a schema) is [`ApiErrorBody::Undocumented`].
    pub fn body(&self) -> &ApiErrorBody {
        &self.body
    }

    /// The body's bytes as received.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }

    /// The server's own message, when the body is JSON with a text `message` (or `error`,
    /// `detail`, `msg`), at its top level or under `error`; or the body itself when it is
    /// short plain text.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// How long the server asks to wait before trying again (`Retry-After`, in seconds or as an
    /// HTTP date), when it says.
    pub fn retry_after(&self) -> Option<Duration> {
        crate::retry::retry_after(&self.headers)
    }

    /// The id the server gave the request (`x-request-id` and the like), for a support ticket.
    pub fn request_id(&self) -> Option<&str> {
        REQUEST_ID_HEADERS
            .iter()
            .find_map(|name| self.headers.get(*name)?.to_str().ok())
    }
}

/// The message an error body carries (see [`ApiError::message`]).
fn message_of(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?.trim();
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value) => {
            let text_at = |object: &serde_json::Value| {
                MESSAGE_KEYS.iter().find_map(|key| match object.get(*key)? {
                    serde_json::Value::String(message) if !message.trim().is_empty() => {
                        Some(message.trim().to_owned())
                    }
                    _ => None,
                })
            };
            text_at(&value).or_else(|| text_at(value.get("error")?))
        }
        // A proxy's or gateway's plain-text answer; HTML pages are not messages.
        Err(_) if !text.is_empty() && !text.starts_with('<') && text.len() <= 1024 => {
            Some(text.to_owned())
        }
        Err(_) => None,
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed with status {}",
            self.operation_id, self.status
        )?;
        if let Some(message) = &self.message {
            match message.char_indices().nth(MESSAGE_DISPLAY_LIMIT) {
                Some((end, _)) => write!(f, ": {}…", &message[..end])?,
                None => write!(f, ": {message}")?,
            }
        }
        if let Some(id) = self.request_id() {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error(status: u16, headers: &[(&'static str, &'static str)], body: &str) -> ApiError {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(*name, value.parse().unwrap());
        }
        ApiError::from_response(
            "UserGroups_getDetails",
            StatusCode::from_u16(status).unwrap(),
            map,
            Bytes::from(body.to_owned()),
            None,
        )
    }

    #[test]
    fn display_carries_the_servers_message_and_request_id() {
        let error = api_error(
            404,
            &[("x-request-id", "abc-1")],
            r#"{"message":"group 42 does not exist"}"#,
        );
        assert_eq!(error.message(), Some("group 42 does not exist"));
        assert_eq!(
            error.to_string(),
            "UserGroups_getDetails failed with status 404 Not Found: group 42 does not exist (request id abc-1)"
        );
    }

    #[test]
    fn message_is_found_under_its_usual_keys_and_in_plain_text() {
        let message = |body| api_error(400, &[], body).message().map(str::to_owned);
        assert_eq!(
            message(r#"{"error":"bad filter"}"#).as_deref(),
            Some("bad filter")
        );
        assert_eq!(
            message(r#"{"error":{"code":3,"message":"nested"}}"#).as_deref(),
            Some("nested")
        );
        assert_eq!(
            message("upstream timed out\n").as_deref(),
            Some("upstream timed out")
        );
        assert_eq!(message("<html><body>502</body></html>"), None);
        assert_eq!(message(r#"{"code":400}"#), None);
        assert_eq!(message(""), None);
        let long = format!(r#"{{"message":"{}"}}"#, "x".repeat(400));
        let shown = api_error(500, &[], &long).to_string();
        assert!(
            shown.ends_with(&format!(": {}…", "x".repeat(300))),
            "{shown}"
        );
    }

    #[test]
    fn retry_after_is_read_from_the_header() {
        let error = api_error(429, &[("retry-after", "7")], "{}");
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(api_error(429, &[], "{}").retry_after(), None);
        assert!(matches!(error.body(), ApiErrorBody::Undocumented(_)));
        assert_eq!(error.raw_body(), b"{}");
    }
}
