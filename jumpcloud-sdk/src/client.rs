//! The client callers hold: the runtime's client, with an accessor per operation group
//! (generated, in `generated/mod.rs`). It lives here because the groups' handles live in the
//! shards, which the runtime's crate cannot name.
use jumpcloud_sdk_core::{Error, Method, RawRequest, Region, Service};
use std::fmt;

/// A JumpCloud API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    runtime: jumpcloud_sdk_core::Client,
}

/// Configures a [`Client`].
pub type ClientBuilder = jumpcloud_sdk_core::ClientBuilder<Client>;

impl Client {
    /// A client for `api_key` with every default (the US region, 60 s timeout, default
    /// [`RetryPolicy`](crate::RetryPolicy)).
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment; see [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Self, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL the paths of `service`'s operations are appended to.
    pub fn base_url(&self, service: Service) -> &str {
        self.runtime.base_url(service)
    }

    /// The region the client was built for (a base URL set for a service overrides it).
    pub fn region(&self) -> Region {
        self.runtime.region()
    }

    /// A request to `path` (a template: each `{name}` takes the next
    /// [`path_param`](RawRequest::path_param), percent-encoded) on `service`'s base URL, sent
    /// like every generated call. The template, not the values, is what tracing records.
    pub fn raw(&self, service: Service, method: Method, path: &'static str) -> RawRequest<'_> {
        self.runtime.raw(service, method, path)
    }
}

impl From<jumpcloud_sdk_core::Client> for Client {
    fn from(runtime: jumpcloud_sdk_core::Client) -> Self {
        Client { runtime }
    }
}

/// The runtime's client, which the generated handles hold.
impl AsRef<jumpcloud_sdk_core::Client> for Client {
    #[inline]
    fn as_ref(&self) -> &jumpcloud_sdk_core::Client {
        &self.runtime
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.runtime.fmt(f)
    }
}

#[cfg(all(test, feature = "user_groups"))]
mod tests {
    use super::*;

    /// Compiles only for a type that is `Send` and `Unpin`.
    fn send_and_unpin<T: Send + Unpin>(_: &T) {}

    #[test]
    fn send_and_await_share_the_call_type() {
        use crate::Call;
        use std::future::IntoFuture;
        let client = Client::builder().api_key("k").build().expect("client");
        let builder = client.user_groups().list_all().limit(10);
        let sent: Call<'_, Vec<crate::models::UserGroup>> = builder.clone().send();
        let awaited: Call<'_, Vec<crate::models::UserGroup>> = builder.clone().into_future();
        send_and_unpin(&sent);
        send_and_unpin(&awaited);
        send_and_unpin(&builder.stream());
    }
}
