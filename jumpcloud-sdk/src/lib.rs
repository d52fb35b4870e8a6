//! Async Rust client for JumpCloud's REST APIs: API v2, API v1 and Directory Insights, one
//! client for all three, generated from JumpCloud's own OpenAPI documents.
//!
//! ```no_run
//! # async fn demo() -> Result<(), jumpcloud_sdk::Error> {
//! use jumpcloud_sdk::{Client, Region};
//! let client = Client::builder().api_key("…").region(Region::Eu).build()?;
//! let users = client.systemusers().list().limit(10).await?; // API v1
//! let groups = client.user_groups().list_all().limit(10).await?; // API v2
//! println!("{:?} users, {} groups", users.total_count, groups.len());
//! # Ok(())
//! # }
//! ```
//!
//! Operations are grouped by resource, whichever API they belong to: `client.systemusers()`,
//! `client.user_groups()`, `client.systems()`, `client.directory_insights()`, … Each method takes
//! the operation's required parameters and returns a request builder; optional parameters are
//! builder methods, and awaiting the builder (or calling `.send()`) performs the call. Every
//! operation is listed with its Rust call in `OPERATIONS.md`.
//!
//! Each request goes to its API's ([`Service`]) base URL in the client's [`Region`]
//! ([`ClientBuilder::region`]); [`ClientBuilder::base_url`] and [`ClientBuilder::base_url_for`]
//! replace them (a proxy, a mock server).
//!
//! Failed calls are retried as [`RetryPolicy`] says (on by default: connection failures,
//! timeouts, 429 and 502–504, with backoff and `Retry-After`; `POST`/`PATCH` only when safe),
//! within the call's total timeout ([`ClientBuilder::timeout`]). One call can change its
//! timeout, retry policy or `x-org-id` with [`CallOptions`]. A Linux device can authenticate as
//! itself instead of with an API key: [`ClientBuilder::system_context`]. Each call is a
//! `tracing` span `jumpcloud.request` (operation, method, path template, status, attempts,
//! latency), free of secrets and parameter values.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod client;
mod error;
mod formats;
mod raw;
mod retry;
#[doc(hidden)]
pub mod runtime;
#[cfg(feature = "test-util")]
pub mod test_util;

#[allow(clippy::all, rustdoc::all, deprecated)]
#[rustfmt::skip]
mod generated;

#[allow(deprecated)]
pub use client::{
    CallOptions, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, EU_BASE_URL,
};
pub use error::{ApiError, Error};
pub use formats::{Base64, DateTime, Uuid};
pub use generated::{
    apis, models, ApiErrorBody, Region, Service, SPEC_SHA256, SPEC_TITLE, SPEC_VERSION,
};
pub use raw::{RawRequest, RawResponse};
/// The HTTP method of a [`Client::raw`] call.
pub use reqwest::Method;
/// HTTP types that appear in errors.
pub use reqwest::{header::HeaderMap, StatusCode};
pub use retry::RetryPolicy;
pub use runtime::{Call, FilePart, Paginated};

/// Result type of every SDK call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
