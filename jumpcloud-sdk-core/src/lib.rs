//! The runtime of [`jumpcloud-sdk`](https://docs.rs/jumpcloud-sdk): the client, its
//! credentials, retries, paging, errors, and the generated code every part of the SDK shares
//! (services, regions, error bodies, shared models). The SDK's generated code is spread over
//! this crate and shard crates that cargo builds side by side; `jumpcloud-sdk` re-exports them
//! all. Depend on that crate, not on this one.
#![cfg_attr(docsrs, feature(doc_cfg))]
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

#[allow(clippy::all, rustdoc::all, deprecated)]
#[rustfmt::skip]
mod generated;

#[allow(deprecated)]
pub use client::{
    CallOptions, Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, EU_BASE_URL,
};
pub use error::{ApiError, Error};
pub use formats::{Base64, DateTime, Uuid};
// `models`, `ApiErrorBody`, `Region`, `Service` and the `SPEC_*` facts; and `apis` when the
// generated code is not split (a scratch crate of `cargo xtask corpus`).
pub use generated::*;
pub use raw::{RawRequest, RawResponse};
/// The HTTP method of a [`Client::raw`] call.
pub use reqwest::Method;
/// HTTP types that appear in errors.
pub use reqwest::{header::HeaderMap, StatusCode};
pub use retry::RetryPolicy;
pub use runtime::{Call, Download, FilePart, Paginated};

/// Result type of every SDK call.
pub type Result<T, E = Error> = std::result::Result<T, E>;
