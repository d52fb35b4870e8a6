//! Sending a request: attempts, credentials, timeouts, retries and the tracing span of a call.
//! Dropping the returned future at any point aborts the call: the attempt in flight is
//! cancelled (its connection closed) and no further attempt is made.
use crate::client::Client;
use crate::error::Error;
use crate::retry::Failure;
use crate::runtime::{Request, Response};
use std::time::Instant;
use tracing::field::Empty;
use tracing::Instrument as _;

/// Sends `request` once, then again as its retry policy allows, within the call's timeout.
pub(crate) async fn send(request: Request, client: &Client) -> Result<Response, Error> {
    // No secrets: the path template, never the URL with its values, nor any header.
    let span = tracing::info_span!(
        "jumpcloud.request",
        operation_id = request.operation_id,
        method = %request.method,
        path = request.template,
        status = Empty,
        attempt = Empty,
        latency_ms = Empty,
    );
    attempts(request, client, &span)
        .instrument(span.clone())
        .await
}

async fn attempts(
    mut request: Request,
    client: &Client,
    span: &tracing::Span,
) -> Result<Response, Error> {
    let inner = &client.inner;
    let started = Instant::now();
    let policy = request.options.retry.unwrap_or(inner.retry);
    let deadline = started + request.options.timeout.unwrap_or(inner.timeout);
    let url = request.url(&inner.base_url)?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let remaining = deadline.saturating_duration_since(Instant::now());
        let builder = request.build(client, url.clone())?;
        let builder = inner.auth.apply(builder, &request.method, &url)?;
        let result = once(builder.timeout(policy.attempt_timeout_or(remaining))).await;
        let failure = match &result {
            Ok(response) if response.status.is_success() => None,
            Ok(response) => Some(Failure::Status(response.status, &response.headers)),
            Err(error) if error.is_connect() => Some(Failure::NotSent),
            Err(_) => Some(Failure::MaybeSent),
        };
        let wait = failure.and_then(|failure| policy.delay(&request.method, attempt, failure));
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
                        Ok(Response {
                            operation_id: request.operation_id,
                            status: raw.status,
                            headers: raw.headers,
                            body: raw.body,
                        })
                    }
                    Err(error) => {
                        let error = Error::from_reqwest(error);
                        tracing::debug!(attempt, error = %error, "failed");
                        Err(error)
                    }
                };
            }
        }
    }
}

/// What came back from one attempt: status, headers and the whole body.
struct Raw {
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: bytes::Bytes,
}

async fn once(builder: reqwest::RequestBuilder) -> Result<Raw, reqwest::Error> {
    let mut response = builder.send().await?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await?;
    Ok(Raw {
        status,
        headers,
        body,
    })
}

fn describe(result: &Result<Raw, reqwest::Error>) -> String {
    match result {
        Ok(raw) => format!("status {}", raw.status.as_u16()),
        Err(error) if error.is_timeout() => "timeout".to_owned(),
        Err(error) if error.is_connect() => "connection failed".to_owned(),
        Err(_) => "connection lost".to_owned(),
    }
}
