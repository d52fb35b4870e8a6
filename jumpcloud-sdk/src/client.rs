//! The client and its builder.
use crate::Error;
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// JumpCloud's API in the US region (the document's server).
pub const DEFAULT_BASE_URL: &str = "https://console.jumpcloud.com/api/v2";
/// JumpCloud's API in the EU region.
pub const EU_BASE_URL: &str = "https://console.eu.jumpcloud.com/api/v2";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A JumpCloud API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) api_key: HeaderValue,
    /// Values used for header parameters the caller left unset (`x-org-id`).
    pub(crate) default_headers: Vec<(HeaderName, HeaderValue)>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The API key is deliberately left out.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `api_key` with every default (US base URL, 60 s timeout).
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
}

impl CallOptions {
    pub fn new() -> Self {
        Self::default()
    }

    /// Total time allowed for this call.
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
}

/// Configures a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<String>,
    org_id: Option<String>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("org_id", &self.org_id)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
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

    /// The API key, sent as `x-api-key`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// The organization sent as `x-org-id` with every request, unless a call sets its own
    /// (needed by multi-tenant admins).
    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        self.org_id = Some(org_id.into());
        self
    }

    /// Any base URL, for example a proxy or a mock server.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// JumpCloud's EU region ([`EU_BASE_URL`]).
    pub fn eu(self) -> Self {
        self.base_url(EU_BASE_URL)
    }

    /// Total time allowed for one call (default 60 s). Ignored with [`Self::http_client`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `jumpcloud-sdk-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses a caller-built `reqwest::Client` (proxies, custom TLS, shared pools).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = self
            .api_key
            .ok_or_else(|| Error::Config("an API key is required".into()))?;
        let mut api_key = HeaderValue::from_str(&api_key)
            .map_err(|_| Error::Config("the API key is not a valid header value".into()))?;
        api_key.set_sensitive(true);
        let base_url = self
            .base_url
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
            .trim_end_matches('/')
            .to_owned();
        reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("invalid base URL {base_url:?}: {e}")))?;
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
                reqwest::Client::builder()
                    .user_agent(user_agent)
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                api_key,
                default_headers,
            }),
        })
    }
}
