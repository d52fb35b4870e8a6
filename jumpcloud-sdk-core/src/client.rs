//! The client, its builder, and per-call options.
use crate::auth::Auth;
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::{Region, Service};
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// JumpCloud's API v2 in the US region.
#[deprecated(since = "0.2.0", note = "use `Service::V2.base_url(Region::Us)`")]
pub const DEFAULT_BASE_URL: &str = "https://console.jumpcloud.com/api/v2";
/// JumpCloud's API v2 in the EU region.
#[deprecated(since = "0.2.0", note = "use `Service::V2.base_url(Region::Eu)`")]
pub const EU_BASE_URL: &str = "https://console.eu.jumpcloud.com/api/v2";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Half the total timeout: a body that stops coming ends well before the call's deadline.
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// JumpCloud's largest pages and reports are a few MiB; a quarter GiB leaves room for
/// exports while bounding what a misbehaving server can make a client hold.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 256 << 20;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Shorter than the idle timeouts of the load balancers and proxies a client commonly sits
/// behind (AWS's 60 s, nginx's 75 s; reqwest's own default is 90 s): the client drops an idle
/// connection before the server closes it, so no request goes out on a connection that is
/// being closed, which fails even a call that cannot be retried safely (a `POST`).
const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(50);

/// A JumpCloud API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Client {
    // A trait object whose supertraits are `Send + Sync`: proving `Client: Sync` (for every
    // builder that pages, every future a caller spawns) stops here instead of walking
    // reqwest's types again, which cost 2 ms of type checking each time.
    shared: Arc<dyn Shared>,
}

/// What a [`Client`] shares between its clones; the one implementation is [`Inner`].
trait Shared: Send + Sync {
    fn inner(&self) -> &Inner;
}

impl Shared for Inner {
    #[inline]
    fn inner(&self) -> &Inner {
        self
    }
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    /// Each service's base URL, by `Service::index`.
    pub(crate) base_urls: Vec<String>,
    pub(crate) region: Region,
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

impl Client {
    /// The settings and connection pool its clones share.
    #[inline]
    pub(crate) fn inner(&self) -> &Inner {
        self.shared.inner()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Auth` prints no secret.
        f.debug_struct("Client")
            .field("region", &self.inner().region)
            .field("base_urls", &self.inner().base_urls)
            .field("auth", &self.inner().auth)
            .field("timeout", &self.inner().timeout)
            .field("read_timeout", &self.inner().read_timeout)
            .field("max_response_bytes", &self.inner().max_response_bytes)
            .field("retry", &self.inner().retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `api_key` with every default (the US region, 60 s timeout, default
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

    /// The base URL the paths of `service`'s operations are appended to.
    pub fn base_url(&self, service: Service) -> &str {
        &self.inner().base_urls[service.index()]
    }

    /// The region the client was built for (a base URL set for a service overrides it).
    pub fn region(&self) -> Region {
        self.inner().region
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

/// Configures a [`Client`]. `C` is what [`build`](Self::build) returns: this crate's
/// `Client`, or the `jumpcloud-sdk` crate's, which wraps it.
pub struct ClientBuilder<C = Client> {
    credentials: Option<Credentials>,
    org_id: Option<String>,
    region: Option<Region>,
    /// A base URL for every service (`base_url`).
    base_url: Option<String>,
    /// A base URL for one service (`base_url_for`), overriding `base_url`.
    service_urls: Vec<(Service, String)>,
    allow_http: bool,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    retry: RetryPolicy,
    user_agent: Option<String>,
    http: Option<reqwest::Client>,
    builds: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            credentials: None,
            org_id: None,
            region: None,
            base_url: None,
            service_urls: Vec::new(),
            allow_http: false,
            timeout: None,
            connect_timeout: None,
            read_timeout: None,
            pool_idle_timeout: None,
            max_response_bytes: None,
            retry: RetryPolicy::default(),
            user_agent: None,
            http: None,
            builds: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
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
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("service_urls", &self.service_urls)
            .field("allow_http", &self.allow_http)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder preset from the environment: `JUMPCLOUD_API_KEY` (required), and optionally
    /// `JUMPCLOUD_ORG_ID`, `JUMPCLOUD_REGION` (a [`Region::code`]: `us`, `eu`, …),
    /// `JUMPCLOUD_BASE_URL` (every service's base URL, as [`base_url`](Self::base_url)) and
    /// `JUMPCLOUD_<SERVICE>_BASE_URL` (one service's, by its upper-case [`Service::name`]:
    /// `JUMPCLOUD_V1_BASE_URL`), and `JUMPCLOUD_ALLOW_HTTP=1` to accept a plain-http base URL
    /// (a local mock server, as [`allow_http`](Self::allow_http)). Further settings can follow.
    pub fn from_env() -> Result<Self, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let api_key = var("JUMPCLOUD_API_KEY")
            .ok_or_else(|| Error::Config("JUMPCLOUD_API_KEY is not set".into()))?;
        let mut builder = Self::default().api_key(api_key);
        builder.org_id = var("JUMPCLOUD_ORG_ID");
        if let Some(code) = var("JUMPCLOUD_REGION") {
            let region = Region::from_code(&code).ok_or_else(|| {
                let known: Vec<&str> = Region::ALL.iter().map(|r| r.code()).collect();
                Error::Config(format!(
                    "JUMPCLOUD_REGION is {code:?}, not one of {}",
                    known.join(", ")
                ))
            })?;
            builder.region = Some(region);
        }
        builder.base_url = var("JUMPCLOUD_BASE_URL");
        builder.allow_http = matches!(var("JUMPCLOUD_ALLOW_HTTP").as_deref(), Some("1" | "true"));
        for service in Service::ALL {
            let name = format!("JUMPCLOUD_{}_BASE_URL", service.name().to_ascii_uppercase());
            if let Some(url) = var(&name) {
                builder = builder.base_url_for(*service, url);
            }
        }
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

    /// The region whose servers every service is called at (default: the first the documents
    /// list, [`Region::default`]). JumpCloud keeps an organization's data in one region.
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    /// One `https://` base URL for every service, instead of the region's: a proxy or a mock
    /// server that serves all of them at the same root. [`base_url_for`](Self::base_url_for)
    /// sets one service's.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// The `https://` base URL of one service (a proxy or mock server for it), overriding the
    /// region's and [`base_url`](Self::base_url).
    pub fn base_url_for(mut self, service: Service, base_url: impl Into<String>) -> Self {
        self.service_urls.retain(|(s, _)| *s != service);
        self.service_urls.push((service, base_url.into()));
        self
    }

    /// Accepts a plain `http://` base URL, which sends the credentials unencrypted: for tests
    /// against a local server only. Without it, `build` refuses `http://`.
    pub fn allow_http(mut self) -> Self {
        self.allow_http = true;
        self
    }

    /// JumpCloud's EU region.
    #[deprecated(since = "0.2.0", note = "use `.region(Region::Eu)`")]
    pub fn eu(self) -> Self {
        match Region::from_code("eu") {
            Some(region) => self.region(region),
            None => self,
        }
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

    /// How long an idle connection is kept for the next call (default 50 s). Keep it below
    /// the idle timeout of the server or proxy in front of the API: a request sent as that
    /// side closes the connection fails, and a `POST` is not retried. Ignored with
    /// [`Self::http_client`].
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = Some(timeout);
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
    /// connect timeout, pool idle timeout, user agent and redirect policy apply; the SDK's
    /// client follows no redirects, so credentials never go to another host.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<C, Error> {
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
        let region = self.region.unwrap_or_default();
        let base_urls = Service::ALL
            .iter()
            .map(|service| {
                let chosen = self.service_urls.iter().find(|(s, _)| s == service);
                let url = match (chosen, &self.base_url) {
                    (Some((_, url)), _) | (None, Some(url)) => url.as_str(),
                    (None, None) => service.base_url(region),
                };
                checked_base_url(*service, url, self.allow_http)
            })
            .collect::<Result<Vec<String>, Error>>()?;
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
                    .pool_idle_timeout(self.pool_idle_timeout.unwrap_or(DEFAULT_POOL_IDLE_TIMEOUT))
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(C::from(Client {
            shared: Arc::new(Inner {
                http,
                base_urls,
                region,
                auth,
                default_headers,
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                retry: self.retry,
            }),
        }))
    }
}

/// A service's base URL without its trailing `/`, once it is known to be `https://` (or
/// `http://` where allowed).
fn checked_base_url(service: Service, url: &str, allow_http: bool) -> Result<String, Error> {
    let base_url = url.trim_end_matches('/').to_owned();
    let name = service.name();
    if base_url.is_empty() {
        return Err(Error::Config(format!(
            "the {name} API's document names no server: give its base URL with base_url_for"
        )));
    }
    let parsed = reqwest::Url::parse(&base_url)
        .map_err(|e| Error::Config(format!("invalid base URL {base_url:?} ({name}): {e}")))?;
    match parsed.scheme() {
        "https" => Ok(base_url),
        "http" if allow_http => Ok(base_url),
        "http" => Err(Error::Config(format!(
            "the base URL {base_url:?} is plain http: credentials would travel \
             unencrypted (call allow_http() to test against a local server)"
        ))),
        scheme => Err(Error::Config(format!(
            "the base URL {base_url:?} has the unsupported scheme {scheme:?}"
        ))),
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
