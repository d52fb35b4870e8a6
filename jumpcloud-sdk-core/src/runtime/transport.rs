//! Sending a call: attempts, credentials, timeouts, retries and the tracing span of a call.
//! Dropping the returned future at any point aborts the call: the attempt in flight is
//! cancelled (its connection closed) and no further attempt is made.
//!
//! Below `request` and `response`: transport knows neither. A call hands it what the span
//! names, its settings, the URL and a closure that builds one attempt's HTTP request; it hands
//! back the raw status, headers and body, the body read whole or, for a download's success,
//! left for the caller to stream.
use crate::client::{CallOptions, Client};
use crate::error::Error;
use crate::retry::Failure;
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, StatusCode, Url};
use std::time::{Duration, Instant};
use tracing::field::Empty;
use tracing::Instrument as _;

/// A call as transport sees it.
pub(super) struct Outgoing<'a> {
    pub(super) operation_id: &'static str,
    pub(super) method: &'a Method,
    /// The document's path template, for the span (never carries parameter values).
    pub(super) template: &'static str,
    pub(super) options: &'a CallOptions,
    /// Where the call goes, or why the request could not be built: then nothing is sent, but
    /// the call still has its span.
    pub(super) url: Result<Url, Error>,
    /// Builds one attempt's HTTP request, without credentials or timeout (added here), so
    /// that each attempt sends a fresh one.
    pub(super) build: &'a (dyn Fn(Url) -> Result<RequestBuilder, Error> + Sync),
    /// Whether a second attempt can send the request again: not when its body is a stream,
    /// which the first attempt consumed. Such a call is sent once, whatever the policy says.
    pub(super) repeatable: bool,
    /// Leave a success's body unread, for the caller to stream (a download). Error bodies are
    /// read whole either way: the error and the retry decision need them.
    pub(super) stream_success: bool,
}

/// What came back from an attempt: status, headers and the body.
pub(super) struct Raw {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: RawBody,
}

/// A response body, read or not.
pub(super) enum RawBody {
    Whole(Bytes),
    /// A success's body still on the wire (only when `Outgoing::stream_success` asked for it),
    /// with the call's limits, for whoever reads it.
    Unread(reqwest::Response, Limits),
}

/// Sends the call once, then again as its retry policy allows, within the call's timeout.
pub(super) async fn send(client: &Client, call: Outgoing<'_>) -> Result<Raw, Error> {
    // No secrets: the path template, never the URL with its values, nor any header.
    let span = tracing::info_span!(
        "jumpcloud.request",
        operation_id = call.operation_id,
        method = %call.method,
        path = call.template,
        status = Empty,
        attempt = Empty,
        latency_ms = Empty,
    );
    attempts(call, client, &span).instrument(span.clone()).await
}

async fn attempts(call: Outgoing<'_>, client: &Client, span: &tracing::Span) -> Result<Raw, Error> {
    let inner = client.inner();
    let started = Instant::now();
    let policy = call.options.retry.unwrap_or(inner.retry);
    let policy = if call.repeatable {
        policy
    } else {
        policy.max_attempts(1)
    };
    let deadline = started + call.options.timeout.unwrap_or(inner.timeout);
    let url = call.url?;
    let limits = Limits {
        max_bytes: call
            .options
            .max_response_bytes
            .unwrap_or(inner.max_response_bytes),
        read_timeout: inner.read_timeout,
    };
    let mut attempt = 0;
    loop {
        attempt += 1;
        let remaining = deadline.saturating_duration_since(Instant::now());
        let builder = (call.build)(url.clone())?;
        let builder = inner.auth.apply(builder, call.method, &url)?;
        let result = once(
            builder.timeout(policy.attempt_timeout_or(remaining)),
            &limits,
            call.stream_success,
        )
        .await;
        let failure = match &result {
            Ok(response) if response.status.is_success() => None,
            Ok(response) => Some(Failure::Status(response.status, &response.headers)),
            // Asking again would get the same body.
            Err(Attempt::TooLarge) => None,
            Err(Attempt::Http(error)) if error.is_connect() => Some(Failure::NotSent),
            Err(_) => Some(Failure::MaybeSent),
        };
        let wait = failure.and_then(|failure| policy.delay(call.method, attempt, failure));
        match wait {
            // A wait that would end past the deadline is not started: the last error is
            // worth more than a timeout.
            Some(wait) if Instant::now() + wait < deadline => {
                tracing::debug!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    reason = %describe(&result),
                    "retrying"
                );
                tokio::time::sleep(wait).await;
            }
            _ => {
                span.record("attempt", attempt);
                span.record("latency_ms", started.elapsed().as_millis() as u64);
                return match result {
                    Ok(raw) => {
                        span.record("status", raw.status.as_u16());
                        tracing::debug!(status = raw.status.as_u16(), attempt, "response");
                        Ok(raw)
                    }
                    Err(failed) => {
                        let error = match failed {
                            Attempt::Http(error) => Error::from_reqwest(error),
                            Attempt::TooLarge => Error::TooLarge {
                                operation_id: call.operation_id,
                                limit: limits.max_bytes,
                            },
                            Attempt::Stalled => Error::Stalled {
                                operation_id: call.operation_id,
                                idle: limits.read_timeout,
                            },
                        };
                        tracing::debug!(attempt, error = %error, "failed");
                        Err(error)
                    }
                };
            }
        }
    }
}

/// What one attempt may read.
#[derive(Clone, Copy)]
pub(super) struct Limits {
    pub(super) max_bytes: u64,
    pub(super) read_timeout: Duration,
}

/// Why an attempt ended without a response.
enum Attempt {
    Http(reqwest::Error),
    /// The body is larger than `Limits::max_bytes`.
    TooLarge,
    /// No body bytes came for `Limits::read_timeout`.
    Stalled,
}

/// One attempt: the response head, then the body chunk by chunk, each awaited for at most the
/// read timeout, never more than the size limit held (a success's body is left unread when
/// `stream_success` asks). Dropping the response on a refusal closes the connection, so the
/// rest is never read.
async fn once(
    builder: RequestBuilder,
    limits: &Limits,
    stream_success: bool,
) -> Result<Raw, Attempt> {
    let mut response = builder.send().await.map_err(Attempt::Http)?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    if stream_success && status.is_success() {
        return Ok(Raw {
            status,
            headers,
            body: RawBody::Unread(response, *limits),
        });
    }
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limits.max_bytes) {
        return Err(Attempt::TooLarge);
    }
    // A declared length is a hint for the buffer, capped: a server may lie.
    let capacity = declared.unwrap_or(0).min(limits.max_bytes).min(1 << 20);
    let mut body = bytes::BytesMut::with_capacity(capacity as usize);
    loop {
        let chunk = tokio::time::timeout(limits.read_timeout, response.chunk())
            .await
            .map_err(|_| Attempt::Stalled)?
            .map_err(Attempt::Http)?;
        let Some(chunk) = chunk else { break };
        if (body.len() + chunk.len()) as u64 > limits.max_bytes {
            return Err(Attempt::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Raw {
        status,
        headers,
        body: RawBody::Whole(body.freeze()),
    })
}

fn describe(result: &Result<Raw, Attempt>) -> String {
    match result {
        Ok(raw) => format!("status {}", raw.status.as_u16()),
        Err(Attempt::Http(error)) if error.is_timeout() => "timeout".to_owned(),
        Err(Attempt::Http(error)) if error.is_connect() => "connection failed".to_owned(),
        Err(Attempt::Http(_)) => "connection lost".to_owned(),
        Err(Attempt::TooLarge) => "body over the size limit".to_owned(),
        Err(Attempt::Stalled) => "body stalled".to_owned(),
    }
}
