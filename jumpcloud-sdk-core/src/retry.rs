//! Which failed attempts are tried again, and after how long.
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use retry_policies::policies::ExponentialBackoff;
use retry_policies::{Jitter, RetryDecision, RetryPolicy as _};
use std::time::{Duration, SystemTime};

/// When a failed call is tried again. On by default: [`RetryPolicy::default`].
///
/// Retried: connection failures, timeouts, `429 Too Many Requests`, `502`, `503` and `504`.
/// Waits grow exponentially with full jitter (a random wait between zero and
/// `initial_backoff × 2ⁿ`, capped at `max_backoff`); a `Retry-After` header (seconds or an HTTP
/// date) replaces the computed wait. A call stops after `max_attempts`, and never starts a wait
/// that would end past the call's timeout: then the last error is returned.
///
/// Requests that may have reached the server are retried only for idempotent methods (`GET`,
/// `PUT`, `DELETE`, `HEAD`, `OPTIONS`); a `POST` or `PATCH` is retried only on `429` or when the
/// connection failed before anything was sent, unless
/// [`retry_non_idempotent`](Self::retry_non_idempotent) is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    attempt_timeout: Option<Duration>,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Up to 4 attempts, waits from 200 ms growing to at most 10 s, no timeout per attempt
    /// (each may use what remains of the call's timeout), idempotent methods only.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            attempt_timeout: None,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Never retries: every call is one attempt.
    pub fn none() -> Self {
        Self::default().max_attempts(1)
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait ceiling before the first retry, and the longest wait ever computed (a
    /// `Retry-After` may ask for longer). `max` below `initial` is raised to `initial`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Time allowed for one attempt, so a hung attempt can be retried within the call's
    /// timeout.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Also retries `POST` and `PATCH` after they may have reached the server (timeouts,
    /// `502`–`504`, a connection lost mid-call). Only for operations safe to repeat.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    pub(crate) fn attempt_timeout_or(&self, remaining: Duration) -> Duration {
        self.attempt_timeout
            .map_or(remaining, |timeout| timeout.min(remaining))
    }

    /// The wait before the next attempt, or `None` when `failure` ends the call. `attempts`
    /// counts the attempts made so far.
    pub(crate) fn delay(
        &self,
        method: &Method,
        attempts: u32,
        failure: Failure<'_>,
    ) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        let idempotent = self.retry_non_idempotent
            || matches!(
                *method,
                Method::GET | Method::PUT | Method::DELETE | Method::HEAD | Method::OPTIONS
            );
        let retry_after = match failure {
            Failure::Status(StatusCode::TOO_MANY_REQUESTS, headers) => retry_after(headers),
            Failure::Status(
                StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT,
                headers,
            ) if idempotent => retry_after(headers),
            Failure::Status(..) => return None,
            Failure::NotSent => None,
            Failure::MaybeSent if idempotent => None,
            Failure::MaybeSent => return None,
        };
        retry_after.or_else(|| self.backoff_delay(attempts - 1))
    }

    /// Exponential backoff with full jitter, from `retry-policies`.
    fn backoff_delay(&self, past_retries: u32) -> Option<Duration> {
        let backoff = ExponentialBackoff::builder()
            .retry_bounds(self.initial_backoff, self.max_backoff)
            .jitter(Jitter::Full)
            .base(2)
            .build_with_max_retries(self.max_attempts - 1);
        let now = SystemTime::now();
        match backoff.should_retry(now, past_retries) {
            RetryDecision::Retry { execute_after } => {
                Some(execute_after.duration_since(now).unwrap_or_default())
            }
            RetryDecision::DoNotRetry => None,
        }
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Failure<'a> {
    /// The server answered with this status.
    Status(StatusCode, &'a HeaderMap),
    /// The connection could not be made: the server saw nothing.
    NotSent,
    /// Timeout, reset, truncated response: the server may have acted on the request.
    MaybeSent,
}

/// `Retry-After` as a number of seconds or an HTTP date (a date in the past means now).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(
            retry_after(&headers(Some("7"))),
            Some(Duration::from_secs(7))
        );
        let in_a_minute = SystemTime::now() + Duration::from_secs(60);
        let date = httpdate::fmt_http_date(in_a_minute);
        let wait = retry_after(&headers(Some(&date))).expect("a date parses");
        assert!(
            wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
        assert_eq!(retry_after(&headers(Some(&past))), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers(Some("soon"))), None);
        assert_eq!(retry_after(&headers(None)), None);
    }

    #[test]
    fn which_failures_are_retried() {
        let policy = RetryPolicy::default();
        let none = headers(None);
        let status = |code: u16| Failure::Status(StatusCode::from_u16(code).unwrap(), &none);
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            for failure in [status(429), status(502), status(503), status(504)] {
                assert!(
                    policy.delay(&method, 1, failure).is_some(),
                    "{method} {failure:?}"
                );
            }
            assert!(policy.delay(&method, 1, Failure::NotSent).is_some());
            assert!(policy.delay(&method, 1, Failure::MaybeSent).is_some());
            for failure in [status(400), status(401), status(404), status(500)] {
                assert!(
                    policy.delay(&method, 1, failure).is_none(),
                    "{method} {failure:?}"
                );
            }
        }
        for method in [Method::POST, Method::PATCH] {
            assert!(policy.delay(&method, 1, status(429)).is_some());
            assert!(policy.delay(&method, 1, Failure::NotSent).is_some());
            assert!(policy.delay(&method, 1, Failure::MaybeSent).is_none());
            assert!(policy.delay(&method, 1, status(503)).is_none());
            let eager = policy.retry_non_idempotent(true);
            assert!(eager.delay(&method, 1, Failure::MaybeSent).is_some());
            assert!(eager.delay(&method, 1, status(503)).is_some());
        }
        assert!(
            policy.delay(&Method::GET, 4, status(503)).is_none(),
            "attempts are bounded"
        );
        assert!(RetryPolicy::none()
            .delay(&Method::GET, 1, status(503))
            .is_none());
    }

    #[test]
    fn waits_use_full_jitter_under_the_exponential_ceiling_and_honour_retry_after() {
        let policy = RetryPolicy::default()
            .max_attempts(10)
            .backoff(Duration::from_millis(100), Duration::from_millis(800));
        let none = headers(None);
        let busy = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &none);
        for attempts in 1..10u32 {
            let ceiling =
                Duration::from_millis(100 * 2u64.pow(attempts - 1)).min(Duration::from_millis(800));
            for _ in 0..20 {
                let wait = policy.delay(&Method::GET, attempts, busy).unwrap();
                assert!(
                    wait <= ceiling,
                    "attempt {attempts}: {wait:?} > {ceiling:?}"
                );
            }
        }
        let later = headers(Some("3"));
        let wait = policy.delay(
            &Method::GET,
            1,
            Failure::Status(StatusCode::TOO_MANY_REQUESTS, &later),
        );
        assert_eq!(wait, Some(Duration::from_secs(3)));
    }
}
