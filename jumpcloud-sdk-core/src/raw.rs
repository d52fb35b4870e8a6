//! The escape hatch: an endpoint the documents lack (or one the SDK reads differently than a
//! caller needs) sent through the same client: its credentials, `x-org-id`, retries, timeouts,
//! size limit and `jumpcloud.request` span.
use crate::client::{CallOptions, Client};
use crate::error::Error;
use crate::runtime::{Request, Response};
use crate::Service;
use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use std::fmt::Display;

/// A request the caller spells out: built by [`Client::raw`], sent by one of
/// [`send`](Self::send), [`json`](Self::json) or [`bytes`](Self::bytes).
///
/// ```no_run
/// # async fn run(client: jumpcloud_sdk::Client) -> Result<(), jumpcloud_sdk::Error> {
/// use jumpcloud_sdk::{Method, Service};
/// let group: serde_json::Value = client
///     .raw(Service::V2, Method::GET, "/usergroups/{id}")
///     .path_param("5f1a…")
///     .query("fields", "name")
///     .json()
///     .await?;
/// # Ok(())
/// # }
/// ```
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest<'a> {
    client: &'a Client,
    service: Service,
    method: Method,
    template: &'static str,
    label: &'static str,
    path_params: Vec<String>,
    query: Vec<(&'static str, String)>,
    headers: Vec<(String, String)>,
    body: Option<(&'static str, Bytes)>,
    error: Option<Error>,
    options: CallOptions,
}

impl Client {
    /// A request to `path` (a template: each `{name}` takes the next
    /// [`path_param`](RawRequest::path_param), percent-encoded) on `service`'s base URL, sent
    /// like every generated call. The template, not the values, is what tracing records.
    pub fn raw(&self, service: Service, method: Method, path: &'static str) -> RawRequest<'_> {
        RawRequest {
            client: self,
            service,
            method,
            template: path,
            label: "raw",
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            error: None,
            options: CallOptions::default(),
        }
    }
}

impl<'a> RawRequest<'a> {
    /// The name the call has in errors and tracing, in place of the operationId (`raw`).
    pub fn name(mut self, name: &'static str) -> Self {
        self.label = name;
        self
    }

    /// The value of the path template's next `{name}`.
    pub fn path_param(mut self, value: impl Display) -> Self {
        self.path_params.push(value.to_string());
        self
    }

    /// A query parameter (percent-encoded); call again to repeat a name.
    pub fn query(mut self, name: &'static str, value: impl Display) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// A header; it replaces the client's default of that name. A name or value that cannot
    /// be a header fails the call before anything is sent.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A JSON body.
    pub fn json_body<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some(("application/json", bytes.into())),
            Err(error) => {
                self.error = Some(Error::InvalidRequest(format!(
                    "cannot serialize the request body: {error}"
                )))
            }
        }
        self
    }

    /// A body of any media type, sent as is.
    pub fn body(mut self, media_type: &'static str, body: impl Into<Bytes>) -> Self {
        self.body = Some((media_type, body.into()));
        self
    }

    /// This call's timeout, retry policy or org id.
    pub fn options(mut self, options: CallOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request; any status comes back as a [`RawResponse`] (only transport failures
    /// and timeouts are errors).
    pub async fn send(self) -> Result<RawResponse, Error> {
        let client = self.client;
        let response = self.request()?.send(client).await?;
        Ok(RawResponse(response))
    }

    /// Sends the request and decodes a JSON success body into `T` (a
    /// [`serde_json::Value`], one of [`models`](crate::models), or your own type); an error
    /// status is an [`Error::Api`] with the server's message.
    pub async fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        self.send().await?.success()?.json()
    }

    /// Sends the request and returns a success body's bytes; an error status is an
    /// [`Error::Api`].
    pub async fn bytes(self) -> Result<Bytes, Error> {
        Ok(self.send().await?.success()?.body().clone())
    }

    fn request(self) -> Result<Request, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let params: Vec<&dyn Display> =
            self.path_params.iter().map(|p| p as &dyn Display).collect();
        let mut request = Request::new(
            self.service,
            self.label,
            self.method,
            self.template,
            &params,
        )
        .options(&self.options);
        for (name, value) in &self.query {
            request = request.query(name, Some(value.as_str()));
        }
        for (name, value) in &self.headers {
            request = request.header_text(name, value);
        }
        if let Some((media_type, body)) = self.body {
            request = request.bytes(media_type, Some(body));
        }
        Ok(request)
    }
}

/// The response to a [`RawRequest`]: status, headers and the whole body.
pub struct RawResponse(Response);

impl RawResponse {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.0.status_code()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.0.headers()
    }

    /// The body's bytes.
    pub fn body(&self) -> &Bytes {
        self.0.body()
    }

    /// The body decoded from JSON into `T`; a body that does not fit is an
    /// [`Error::Decode`] naming where.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        self.0.serde_json()
    }

    /// The response itself when its status is a success; otherwise an [`Error::Api`] (whose
    /// body is undocumented, the server's message read from it).
    pub fn success(self) -> Result<Self, Error> {
        match self.status().is_success() {
            true => Ok(self),
            false => Err(self.0.api_error(None)),
        }
    }
}

impl std::fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status())
            .field("body_bytes", &self.body().len())
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for RawRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No values: they may be identifiers or secrets.
        f.debug_struct("RawRequest")
            .field("service", &self.service)
            .field("method", &self.method)
            .field("path", &self.template)
            .finish_non_exhaustive()
    }
}
