//! The client, its builder, and per-call options.
use crate::auth::Auth;
use crate::error::Error;
use crate::retry::RetryPolicy;
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// JumpCloud's API in the US region (the document's server).
pub const DEFAULT_BASE_URL: &str = "https://console.jumpcloud.com/api/v2";
/// JumpCloud's API in the EU region.
pub const EU_BASE_URL: &str = "https://console.eu.jumpcloud.com/api/v2";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Half the total timeout: a body that stops coming ends well before the call's deadline.
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// JumpCloud's largest pages and reports are a few MiB; a quarter GiB leaves room for
/// exports while bounding what a misbehaving server can make a client hold.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 << 20;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A JumpCloud API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) auth: Auth,
    /// Values used for header parameters the caller left unset (`x-org-id`).
    pub(crate) default_headers: Vec<(HeaderName, HeaderValue)>,
    /// Total time for one call, retries included.
    pub(crate) timeout: Duration,
    /// Longest wait for the next bytes of a response body.
    pub(crate) read_timeout: Duration,
    /// Largest response body read.
    pub(crate) max_response_bytes: u64,
    pub(crate) retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Auth` prints no secret.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("timeout", &self.inner.timeout)
            .field("read_timeout", &self.inner.read_timeout)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `api_key` with every default (US base URL, 60 s timeout, default
    /// [`RetryPolicy`]).
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

    /// The base URL every operation path is appended to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// Settings for one call, overriding the client's: `.options(CallOptions::new().timeout(..))`
/// on any request builder.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) org_id: Option<String>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) max_response_bytes: Option<u64>,
}

impl CallOptions {
    /// No overrides: the client's settings apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Total time allowed for this call, retries and waits included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The organization (`x-org-id`) for this call, overriding the client's default and the
    /// operation's own `x_org_id` parameter.
    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        self.org_id = Some(org_id.into());
        self
    }

    /// The retry policy for this call (for example [`RetryPolicy::none`] for a call that must
    /// not be repeated).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The largest response body this call reads (a large export, say), overriding the
    /// client's [`ClientBuilder::max_response_bytes`].
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }
}

/// The credentials a builder was given, kept as text until `build` checks them.
/// Wiped on drop: a builder dropped without `build` leaves no copy behind.
enum Credentials {
    ApiKey(Zeroizing<String>),
    SystemContext {
        system_key: String,
        private_key_pem: Zeroizing<Vec<u8>>,
    },
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    org_id: Option<String>,
    base_url: Option<String>,
    allow_http: bool,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    retry: RetryPolicy,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = match &self.credentials {
            None => "none".to_owned(),
            Some(Credentials::ApiKey(_)) => "api key <redacted>".to_owned(),
            Some(Credentials::SystemContext { system_key, .. }) => {
                format!("system context system/{system_key}, private key <redacted>")
            }
        };
        f.debug_struct("ClientBuilder")
            .field("credentials", &credentials)
            .field("org_id", &self.org_id)
            .field("base_url", &self.base_url)
            .field("allow_http", &self.allow_http)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder preset from the environment: `JUMPCLOUD_API_KEY` (required),
    /// `JUMPCLOUD_ORG_ID` and `JUMPCLOUD_BASE_URL` (optional). Further settings can follow.
    pub fn from_env() -> Result<Self, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let api_key = var("JUMPCLOUD_API_KEY")
            .ok_or_else(|| Error::Config("JUMPCLOUD_API_KEY is not set".into()))?;
        let mut builder = Self::default().api_key(api_key);
        builder.org_id = var("JUMPCLOUD_ORG_ID");
        builder.base_url = var("JUMPCLOUD_BASE_URL");
        Ok(builder)
    }

    /// The API key, sent as `x-api-key`. Replaces System Context credentials.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::ApiKey(Zeroizing::new(api_key.into())));
        self
    }

    /// Authenticates as a device through JumpCloud's System Context API instead of an API key:
    /// each request is signed (RSA-SHA256 over its request line and `Date`) with the agent's
    /// private key (`/opt/jc/client.key`, PEM, PKCS#1 or PKCS#8) and sent with
    /// `Authorization: Signature keyId="system/<system_key>",…`. `system_key` is the
    /// `systemKey` of `/opt/jc/jcagent.conf`. Only the endpoints JumpCloud lists for System
    /// Context accept it. The key is checked by [`build`](Self::build). Replaces an API key.
    pub fn system_context(
        mut self,
        system_key: impl Into<String>,
        private_key_pem: impl AsRef<[u8]>,
    ) -> Self {
        self.credentials = Some(Credentials::SystemContext {
            system_key: system_key.into(),
            private_key_pem: Zeroizing::new(private_key_pem.as_ref().to_vec()),
        });
        self
    }

    /// The organization sent as `x-org-id` with every request, unless a call sets its own
    /// (needed by multi-tenant admins).
    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        self.org_id = Some(org_id.into());
        self
    }

    /// Any `https://` base URL, for example a proxy or a mock server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Accepts a plain `http://` base URL, which sends the credentials unencrypted: for tests
    /// against a local server only. Without it, `build` refuses `http://`.
    pub fn allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// JumpCloud's EU region ([`EU_BASE_URL`]).
    pub fn eu(self) -> Self {
        self.base_url(EU_BASE_URL)
    }

    /// Total time allowed for one call, retries and their waits included (default 60 s).
    /// Past it the call fails with [`Error::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to open a connection (default 10 s). Ignored with [`Self::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The longest wait for the next bytes of a response body (default 30 s): a server that
    /// stalls mid-body ends the attempt with [`Error::Stalled`] long before the total timeout.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The largest response body a call reads (default [`DEFAULT_MAX_RESPONSE_BYTES`], 256 MiB);
    /// a larger one is [`Error::TooLarge`], with nothing of it returned. One call can raise it
    /// with [`CallOptions::max_response_bytes`].
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// When failed calls are retried (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default `jumpcloud-sdk-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses a caller-built `reqwest::Client` (proxies, custom TLS, shared pools). Its own
    /// connect timeout, user agent and redirect policy apply; the SDK's client follows no
    /// redirects, so credentials never go to another host.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let auth = match self.credentials {
            None => {
                return Err(Error::Config(
                    "an API key or System Context credentials are required".into(),
                ))
            }
            Some(Credentials::ApiKey(key)) => Auth::api_key(&key)?,
            Some(Credentials::SystemContext {
                system_key,
                private_key_pem,
            }) => Auth::system_context(&system_key, &private_key_pem)?,
        };
        let base_url = self
            .base_url
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("invalid base URL {base_url:?}: {e}")))?;
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => {
                return Err(Error::Config(format!(
                    "the base URL {base_url:?} is plain http: credentials would travel \
                     unencrypted (call allow_http() to test against a local server)"
                )))
            }
            scheme => {
                return Err(Error::Config(format!(
                    "the base URL {base_url:?} has the unsupported scheme {scheme:?}"
                )))
            }
        }
        let mut default_headers = Vec::new();
        if let Some(org_id) = self.org_id {
            let value = HeaderValue::from_str(&org_id)
                .map_err(|_| Error::Config("the org id is not a valid header value".into()))?;
            default_headers.push((HeaderName::from_static("x-org-id"), value));
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let user_agent = self.user_agent.unwrap_or_else(|| {
                    concat!("jumpcloud-sdk-rust/", env!("CARGO_PKG_VERSION")).to_owned()
                });
                // Timeouts are set per attempt (see `transport`); redirects are not followed,
                // so `x-api-key` can never reach another host.
                reqwest::Client::builder()
                    .user_agent(user_agent)
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                default_headers,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                retry: self.retry,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zeroize::ZeroizeOnDrop;

    /// Compiles only for types that wipe themselves on drop.
    fn wiped_on_drop<T: ZeroizeOnDrop>(_: &T) {}

    #[test]
    fn a_builder_holds_credentials_that_are_wiped_on_drop() {
        let builder = Client::builder().api_key("secret");
        match &builder.credentials {
            Some(Credentials::ApiKey(key)) => wiped_on_drop(key),
            _ => panic!("the API key is kept"),
        }
        let builder = Client::builder().system_context("sys", b"-----BEGIN PRIVATE KEY-----");
        match &builder.credentials {
            Some(Credentials::SystemContext {
                private_key_pem, ..
            }) => wiped_on_drop(private_key_pem),
            _ => panic!("the private key is kept"),
        }
    }
}
