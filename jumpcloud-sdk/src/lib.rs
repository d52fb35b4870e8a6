//! Async Rust client for JumpCloud's Directory Platform API v2.
//!
//! ```no_run
//! # async fn demo() -> Result<(), jumpcloud_sdk::Error> {
//! let client = jumpcloud_sdk::Client::from_env()?;
//! let groups = client.user_groups().user_groups_list_all().limit(10).await?;
//! for group in groups {
//!     println!("{:?}", group.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Operations are grouped by resource: `client.users()`, `client.user_groups()`,
//! `client.systems()`, … Each method takes the operation's required parameters and returns a
//! request builder; optional parameters are builder methods, and awaiting the builder (or
//! calling `.send()`) performs the call. Every operation is listed with its Rust call in
//! `OPERATIONS.md`.
#![forbid(unsafe_code)]

mod auth;
mod client;
mod error;
mod formats;
mod paginate;
mod retry;
#[doc(hidden)]
pub mod runtime;
mod transport;

#[allow(clippy::all, missing_docs, rustdoc::all)]
#[rustfmt::skip]
mod generated;

pub use client::{CallOptions, Client, ClientBuilder, DEFAULT_BASE_URL, EU_BASE_URL};
pub use error::{ApiError, Error};
pub use formats::{Base64, DateTime, Uuid};
pub use generated::{apis, models, ApiErrorBody, SPEC_SHA256, SPEC_TITLE, SPEC_VERSION};
pub use paginate::Paginated;
/// HTTP types that appear in errors.
pub use reqwest::{header::HeaderMap, StatusCode};
pub use retry::RetryPolicy;
pub use runtime::FilePart;

/// Result type of every SDK call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
