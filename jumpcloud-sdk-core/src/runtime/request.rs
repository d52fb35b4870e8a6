//! [`Request`]: what a generated builder assembles (path, query, headers, body), and sending it
//! through `transport`, which returns the raw parts this module makes a [`Response`] of.
use super::download::Download;
use super::encoding::{encode, expand_path, QueryValue};
use super::form::Form;
use super::response::Response;
use super::transport::{self, Outgoing, Raw, RawBody};
use crate::client::{CallOptions, Client};
use crate::error::Error;
use crate::Service;
use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Method;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

/// A boxed future: what [`Request::send`] returns, inside every `Call` and every page.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request about to be sent, built by generated code. Everything it holds can be sent
/// again, so `transport` can retry it.
pub struct Request {
    /// The API whose base URL the path is appended to.
    service: Service,
    operation_id: &'static str,
    method: Method,
    /// The document's path template, for tracing (never carries parameter values).
    template: &'static str,
    path: String,
    options: CallOptions,
    query: Vec<(&'static str, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Cookie parameters, each value percent-encoded; sent as one `Cookie` header.
    cookies: Vec<(&'static str, String)>,
    body: Body,
    accept: &'static str,
    error: Option<Error>,
}

enum Body {
    None,
    Raw(&'static str, Bytes),
    Multipart(Form),
}

impl Request {
    /// `path_params` fill the template's `{name}`s in order.
    pub fn new(
        service: Service,
        operation_id: &'static str,
        method: Method,
        template: &'static str,
        path_params: &[&dyn Display],
    ) -> Self {
        let (path, error) = match expand_path(template, path_params) {
            Ok(path) => (path, None),
            Err(message) => (String::new(), Some(Error::InvalidRequest(message))),
        };
        Request {
            service,
            operation_id,
            method,
            template,
            path,
            options: CallOptions::default(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: Body::None,
            accept: "application/json",
            error,
        }
    }

    /// The caller's per-call settings.
    pub fn options(mut self, options: &CallOptions) -> Self {
        self.options = options.clone();
        self
    }

    /// The media type asked for in `Accept`.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = media_type;
        self
    }

    /// A scalar query parameter; `None` leaves it out.
    pub fn query<V: QueryValue>(mut self, name: &'static str, value: Option<V>) -> Self {
        if let Some(value) = value {
            self.query.push((name, encode(&value.render())));
        }
        self
    }

    /// An array query parameter in `form` style: `explode` repeats the name
    /// (`a=1&a=2`), otherwise values are joined with literal commas (`a=1,2`), each value
    /// encoded first so a comma inside one cannot split it.
    pub fn query_list<V: QueryValue>(
        mut self,
        name: &'static str,
        values: Option<&[V]>,
        explode: bool,
    ) -> Self {
        let Some(values) = values else { return self };
        if explode {
            for value in values {
                self.query.push((name, encode(&value.render())));
            }
        } else {
            let joined: Vec<String> = values.iter().map(|v| encode(&v.render())).collect();
            self.query.push((name, joined.join(",")));
        }
        self
    }

    /// A header parameter. Unset, it takes the client's default for that header, if any.
    /// Values with CR or LF (header injection) are refused before anything is sent.
    pub fn header<V: QueryValue>(mut self, name: &'static str, value: Option<V>) -> Self {
        let name = HeaderName::from_static(name);
        if let Some(value) = value {
            match HeaderValue::from_str(&value.render()) {
                Ok(value) => self.headers.push((name, value)),
                Err(_) => self.fail(format!(
                    "header {name} has a value that is not a valid header"
                )),
            }
        }
        self
    }

    /// A header whose name is only known at run time (a raw call's): a name or value that
    /// cannot be a header fails the request before anything is sent.
    pub fn header_text(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => self.headers.push((name, value)),
            _ => self.fail(format!("header {name:?} is not a valid header")),
        }
        self
    }

    /// A cookie parameter; `None` leaves it out. The value is percent-encoded like a query
    /// value, so it cannot end the cookie or add one (`;`, `,`, spaces).
    pub fn cookie<V: QueryValue>(mut self, name: &'static str, value: Option<V>) -> Self {
        if let Some(value) = value {
            self.cookies.push((name, encode(&value.render())));
        }
        self
    }

    /// A JSON body; `None` sends no body.
    pub fn json<T: serde::Serialize + ?Sized>(self, body: Option<&T>) -> Self {
        match body {
            Some(body) => self.json_body(&body),
            None => self,
        }
    }

    /// Writes a JSON body through `erased_serde`: each body type compiles against one
    /// serializer, and serde_json's (with erased_serde's wrapper of it) is compiled here,
    /// once, not in every program that sends a body.
    fn json_body(mut self, body: &dyn erased_serde::Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Body::Raw("application/json", bytes.into()),
            Err(e) => self.fail(format!("cannot serialize the request body: {e}")),
        }
        self
    }

    /// A body of another media type, sent as is.
    pub fn bytes(mut self, media_type: &'static str, body: Option<Bytes>) -> Self {
        if let Some(body) = body {
            self.body = Body::Raw(media_type, body);
        }
        self
    }

    /// A `multipart/form-data` body.
    pub fn multipart(mut self, form: Form) -> Self {
        self.body = Body::Multipart(form);
        self
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(Error::InvalidRequest(message));
    }

    /// Sends the request (retrying as the call's policy allows) and reads the whole response.
    /// One future type for every operation: nothing is sent until it is polled.
    pub fn send(self, client: &Client) -> BoxFuture<'_, Result<Response, Error>> {
        Box::pin(async move {
            let operation_id = self.operation_id;
            let raw = self.exchange(client, false).await?;
            let RawBody::Whole(body) = raw.body else {
                unreachable!("transport leaves only a download's body unread")
            };
            Ok(Response {
                operation_id,
                status: raw.status,
                headers: raw.headers,
                body,
            })
        })
    }

    /// Sends the request like [`send`](Self::send) but leaves a success's body on the wire,
    /// for the caller to stream. An error status is read whole and goes through `decode` (the
    /// operation's), which turns it into an error, or into a body read in full.
    pub fn download(
        self,
        client: &Client,
        decode: fn(Response) -> Result<Bytes, Error>,
    ) -> BoxFuture<'_, Result<Download, Error>> {
        Box::pin(async move {
            let operation_id = self.operation_id;
            let raw = self.exchange(client, true).await?;
            let body = match raw.body {
                unread @ RawBody::Unread(..) => unread,
                RawBody::Whole(body) => RawBody::Whole(decode(Response {
                    operation_id,
                    status: raw.status,
                    headers: raw.headers.clone(),
                    body,
                })?),
            };
            Ok(Download::new(operation_id, raw.status, raw.headers, body))
        })
    }

    async fn exchange(mut self, client: &Client, stream_success: bool) -> Result<Raw, Error> {
        let url = self.url(client.base_url(self.service));
        let build = |url| self.build(client, url);
        transport::send(
            client,
            Outgoing {
                operation_id: self.operation_id,
                method: &self.method,
                template: self.template,
                options: &self.options,
                url,
                build: &build,
                repeatable: self.repeatable(),
                stream_success,
            },
        )
        .await
    }

    /// Whether each attempt can send the body again: not a stream's.
    fn repeatable(&self) -> bool {
        match &self.body {
            Body::Multipart(form) => form.repeatable(),
            Body::None | Body::Raw(..) => true,
        }
    }

    /// The full URL: base URL, expanded path, query. A request that failed to build returns
    /// its error here, before anything is sent.
    fn url(&mut self, base_url: &str) -> Result<reqwest::Url, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let mut url = format!("{base_url}{}", self.path);
        for (index, (name, value)) in self.query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(&encode(name));
            url.push('=');
            url.push_str(value);
        }
        reqwest::Url::parse(&url)
            .map_err(|e| Error::InvalidRequest(format!("cannot build the URL: {e}")))
    }

    /// One attempt's HTTP request, without credentials or timeout (see `transport`).
    fn build(&self, client: &Client, url: reqwest::Url) -> Result<reqwest::RequestBuilder, Error> {
        let inner = client.inner();
        let builder = inner
            .http
            .request(self.method.clone(), url)
            .header(reqwest::header::ACCEPT, self.accept);
        // Later sources win: client defaults, then the operation's parameters, then the call's
        // options.
        let mut headers = HeaderMap::new();
        for (name, value) in inner.default_headers.iter().chain(&self.headers) {
            headers.insert(name, value.clone());
        }
        if let Some(org_id) = &self.options.org_id {
            let value = HeaderValue::from_str(org_id).map_err(|_| {
                Error::InvalidRequest("the org id is not a valid header value".into())
            })?;
            headers.insert(HeaderName::from_static("x-org-id"), value);
        }
        if !self.cookies.is_empty() {
            let pairs: Vec<String> = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            let value = HeaderValue::from_str(&pairs.join("; ")).map_err(|_| {
                Error::InvalidRequest("a cookie name is not valid in a header".into())
            })?;
            headers.insert(reqwest::header::COOKIE, value);
        }
        let builder = builder.headers(headers);
        Ok(match &self.body {
            Body::None => builder,
            Body::Raw(media_type, bytes) => builder
                .header(reqwest::header::CONTENT_TYPE, *media_type)
                .body(bytes.clone()),
            Body::Multipart(form) => builder.multipart(form.to_reqwest()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(request: Request) -> reqwest::Request {
        let client = Client::builder()
            .api_key("key")
            .build()
            .expect("a client with an API key builds");
        let url = reqwest::Url::parse("https://example.test/things").expect("a valid URL");
        request
            .build(&client, url)
            .expect("the request builds")
            .build()
            .expect("reqwest builds it")
    }

    #[test]
    fn cookie_parameters_travel_in_one_encoded_cookie_header() {
        let request = Request::new(crate::Service::ALL[0], "op", Method::GET, "/things", &[])
            .cookie("session_id", Some("a;b c"))
            .cookie("theme", None::<&str>)
            .cookie("count", Some(3));
        let request = built(request);
        let cookies: Vec<&str> = request
            .headers()
            .get_all(reqwest::header::COOKIE)
            .iter()
            .map(|value| value.to_str().expect("ASCII"))
            .collect();
        assert_eq!(cookies, ["session_id=a%3Bb%20c; count=3"]);
    }

    #[test]
    fn no_cookie_parameter_sends_no_cookie_header() {
        let request = built(Request::new(
            crate::Service::ALL[0],
            "op",
            Method::GET,
            "/things",
            &[],
        ));
        assert!(request.headers().get(reqwest::header::COOKIE).is_none());
    }
}
