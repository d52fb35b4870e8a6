//! Testing code that calls JumpCloud without a network: [`MockJumpCloud`] is a local HTTP
//! server (a [`wiremock`] server) with a [`Client`] pointed at it, whose calls answer what you
//! mounted and are recorded for your assertions.
//!
//! ```no_run
//! # async fn run() -> Result<(), jumpcloud_sdk::Error> {
//! use jumpcloud_sdk::test_util::MockJumpCloud;
//! use jumpcloud_sdk::Method;
//!
//! let mock = MockJumpCloud::start().await;
//! mock.on(Method::GET, "/usergroups/{id}", 200, serde_json::json!({"id": "g1", "name": "Ops"}))
//!     .await;
//! let group = mock.client().user_groups().get_details("g1").await?;
//! assert_eq!(group.name.as_deref(), Some("Ops"));
//! assert_eq!(mock.received().await[0].path, "/usergroups/g1");
//! # Ok(())
//! # }
//! ```
//!
//! The client sends the key [`MockJumpCloud::API_KEY`], has every API's base URL at the mock
//! and does not retry, so a mocked 503 or 429 comes back at once as an [`Error::Api`]
//! (`mock.client_builder()` takes other settings, a retry policy for one).
//!
//! [`Error::Api`]: crate::Error::Api
use crate::{Client, ClientBuilder, Method, RetryPolicy};
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A local stand-in for JumpCloud's APIs: see the [module docs](self).
pub struct MockJumpCloud {
    server: MockServer,
}

/// A request the mock received.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Received {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, percent-encoded as sent (`/usergroups/g1`).
    pub path: String,
    /// The query string, when there is one.
    pub query: Option<String>,
    /// The headers.
    pub headers: crate::HeaderMap,
    /// The body's bytes.
    pub body: Vec<u8>,
}

impl Received {
    /// The body as JSON, when it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

impl MockJumpCloud {
    /// The API key the mock's clients send.
    pub const API_KEY: &'static str = "test-api-key";

    /// Starts a mock on a free port of 127.0.0.1; it stops when dropped.
    pub async fn start() -> Self {
        MockJumpCloud {
            server: MockServer::start().await,
        }
    }

    /// A client for the mock: every API at its address, no retries.
    pub fn client(&self) -> Client {
        self.client_builder()
            .build()
            .expect("a client for the mock builds")
    }

    /// The settings [`client`](Self::client) uses, to change before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .api_key(Self::API_KEY)
            .base_url(self.server.uri())
            .allow_http()
            .retry(RetryPolicy::none())
    }

    /// Answers `method` on `path` (exact, or a template whose `{name}`s match one segment
    /// each) with `status` and a JSON body, until the mock is dropped. Later mounts of the
    /// same request take precedence only where wiremock's rules say so: mount the specific
    /// before the general.
    pub async fn on(&self, method_: Method, path: &str, status: u16, body: serde_json::Value) {
        self.on_with(
            method_,
            path,
            ResponseTemplate::new(status).set_body_json(body),
        )
        .await;
    }

    /// Answers `method` on `path` with any response wiremock can make (headers, delays, bytes).
    pub async fn on_with(&self, method_: Method, path: &str, response: ResponseTemplate) {
        Mock::given(method(method_.as_str()))
            .and(path_regex(template_regex(path)))
            .respond_with(response)
            .mount(&self.server)
            .await;
    }

    /// Every request received so far, in order.
    pub async fn received(&self) -> Vec<Received> {
        let requests = self.server.received_requests().await.unwrap_or_default();
        requests
            .into_iter()
            .map(|request| Received {
                method: request.method.to_string(),
                path: request.url.path().to_owned(),
                query: request.url.query().map(str::to_owned),
                headers: request.headers,
                body: request.body,
            })
            .collect()
    }

    /// The mock's base URL (`http://127.0.0.1:PORT`).
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The wiremock server itself, for matchers and expectations beyond [`on`](Self::on).
    pub fn server(&self) -> &MockServer {
        &self.server
    }
}

/// A path template as an anchored regex: `{name}` matches one segment, the rest literally.
fn template_regex(template: &str) -> String {
    let mut regex = String::from("^");
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        regex.push_str(&regex_escape(&rest[..start]));
        match rest[start..].find('}') {
            Some(end) => {
                regex.push_str("[^/]+");
                rest = &rest[start + end + 1..];
            }
            None => {
                regex.push_str(&regex_escape(&rest[start..]));
                rest = "";
            }
        }
    }
    regex.push_str(&regex_escape(rest));
    regex.push('$');
    regex
}

fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::template_regex;

    #[test]
    fn templates_match_one_segment_per_parameter() {
        assert_eq!(
            template_regex("/usergroups/{id}/members"),
            "^/usergroups/[^/]+/members$"
        );
        assert_eq!(template_regex("/a.b"), "^/a\\.b$");
    }
}
