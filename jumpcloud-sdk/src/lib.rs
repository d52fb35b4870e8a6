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
//!
//! # Request bodies
//!
//! A body's required fields are its constructor's arguments, so none is left empty by
//! accident; optional fields are assigned afterwards:
//!
//! ```no_run
//! # async fn demo(client: jumpcloud_sdk::Client) -> Result<(), jumpcloud_sdk::Error> {
//! use jumpcloud_sdk::models::UserGroupPost;
//! let mut group = UserGroupPost::new("engineering");
//! group.description = Some("Everyone who ships code".into());
//! let created = client.user_groups().create_new_group().body(group).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Paging
//!
//! A list operation's builder has `.stream()`, a [`Paginated`]: `next()` for an item,
//! `next_page()` for a page, `all()` to collect, `max_items(n)` to stop early.
//!
//! ```no_run
//! # async fn demo(client: jumpcloud_sdk::Client) -> Result<(), jumpcloud_sdk::Error> {
//! let mut groups = client.user_groups().list_all().stream().max_items(1_000);
//! while let Some(group) = groups.next().await {
//!     println!("{:?}", group?.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Files
//!
//! An operation whose success body is a file (a report, a PDF, a PEM, an image) resolves to
//! its [`Bytes`](bytes::Bytes) when awaited, and has `.download()`: a [`Download`], the body as a
//! stream of chunks with its media type and file name, never held whole. A file to upload is a
//! [`FilePart`]: from memory, from a path (read as it is sent, again on a retry), or from a
//! stream (sent once: such a call is never retried).
//!
//! ```no_run
//! # async fn demo(client: jumpcloud_sdk::Client) -> Result<(), jumpcloud_sdk::Error> {
//! use jumpcloud_sdk::FilePart;
//! let logo = FilePart::from_path("logo.png").content_type("image/png");
//! client.applications().post_logo("app-id").image(logo).await?;
//! let reports = client.directory_insights();
//! let mut report = reports.get_reports_artifact_content("report", "artifact").download().await?;
//! println!("{:?} {:?}", report.content_type(), report.file_name());
//! while let Some(chunk) = report.chunk().await? {
//!     // write `chunk` where it goes
//!     # let _ = chunk;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Errors
//!
//! Every call returns [`Error`]; an error status is [`Error::Api`], an [`ApiError`] with the
//! status, the server's message, `Retry-After`, the request id and the body decoded into the
//! schema the document declares ([`ApiErrorBody`]). Its `Display` reads
//! `UserGroups_getDetails failed with status 404 Not Found: group 42 does not exist`.
//!
//! # Testing
//!
//! With the `test-util` feature, `test_util::MockJumpCloud` is a local server and a client
//! pointed at it (no retries), answering what a test mounts and recording what was sent. To
//! point [`Client::from_env`] at a local server, set `JUMPCLOUD_BASE_URL` and
//! `JUMPCLOUD_ALLOW_HTTP=1`.
//!
//! # Anything else
//!
//! [`Client::raw`] sends a request the documents lack (method, path, query, JSON or bytes body)
//! with the same credentials, org id, retries, timeouts and tracing.
//!
//! The `examples/` directory has runnable programs for each of these (CI runs every one
//! against a local server).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The code is spread over crates cargo builds side by side: `jumpcloud-sdk-core` has the
// runtime and what every part shares, each shard some operation groups with the models only
// they use. This crate gathers them, and holds the client the group accessors are on.
mod client;
#[cfg(feature = "test-util")]
pub mod test_util;

#[allow(clippy::all, rustdoc::all, deprecated)]
#[rustfmt::skip]
mod generated;

pub use client::{Client, ClientBuilder};
pub use generated::{apis, models};
#[doc(hidden)]
pub use jumpcloud_sdk_core::runtime;
#[allow(deprecated)]
pub use jumpcloud_sdk_core::{
    ApiError, ApiErrorBody, Base64, Call, CallOptions, DateTime, Download, Error, FilePart,
    HeaderMap, Method, Paginated, RawRequest, RawResponse, Region, Result, RetryPolicy, Service,
    StatusCode, Uuid, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, EU_BASE_URL, SPEC_SHA256,
    SPEC_TITLE, SPEC_VERSION,
};
