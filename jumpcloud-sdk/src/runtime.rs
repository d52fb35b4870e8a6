//! The support the generated code calls into. Not a public API: names here may change in any
//! release.
use crate::client::Client;
use crate::error::{ApiError, Error};
use crate::generated::ApiErrorBody;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

pub use bytes::Bytes;
pub use reqwest::{multipart, Method};

/// The future type behind `IntoFuture` for every request builder.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Everything RFC 3986 does not call unreserved gets encoded, so a value always stays one
/// path segment (`a/b?c` cannot add segments or a query).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path parameter value as a single segment.
pub fn path_segment(value: impl Display) -> String {
    let value = value.to_string();
    let encoded = utf8_percent_encode(&value, PATH_SEGMENT).to_string();
    // "." and ".." are unreserved but would move up the path once a URL is normalized.
    match encoded.as_str() {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        _ => encoded,
    }
}

/// A query value: rendered with `Display`, like the OpenAPI `form` style.
pub trait QueryValue {
    fn render(&self) -> String;
}

macro_rules! display_query_value {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn render(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_query_value!(String, str, bool, i32, i64, u32, u64, f32, f64);

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn render(&self) -> String {
        (**self).render()
    }
}

/// A request about to be sent, built by generated code.
pub struct Request {
    operation_id: &'static str,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Body,
    accept: &'static str,
    error: Option<Error>,
}

enum Body {
    None,
    Raw(&'static str, Bytes),
    Multipart(multipart::Form),
}

/// A file sent in a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct FilePart {
    bytes: Bytes,
    file_name: String,
    content_type: Option<String>,
}

impl FilePart {
    /// A file's contents and the name the server sees.
    pub fn new(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// Its media type (for example `image/png`); guessed by the server when unset.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// A multipart form under construction; unset parts are left out.
pub struct Form(multipart::Form);

impl Form {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Form(multipart::Form::new())
    }

    pub fn text(self, name: &'static str, value: Option<String>) -> Self {
        match value {
            Some(value) => Form(self.0.text(name, value)),
            None => self,
        }
    }

    pub fn file(self, name: &'static str, file: Option<FilePart>) -> Self {
        let Some(file) = file else { return self };
        let part = || multipart::Part::stream(file.bytes.clone()).file_name(file.file_name.clone());
        // An unparsable media type is left for the server to guess.
        let part = match file.content_type.as_deref() {
            Some(media_type) => part().mime_str(media_type).unwrap_or_else(|_| part()),
            None => part(),
        };
        Form(self.0.part(name, part))
    }
}

impl Request {
    /// `path` is already expanded, its parameters encoded with [`path_segment`].
    pub fn new(operation_id: &'static str, method: Method, path: String) -> Self {
        Request {
            operation_id,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            accept: "application/json",
            error: None,
        }
    }

    /// The media type asked for in `Accept`.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = media_type;
        self
    }

    /// A scalar query parameter; `None` leaves it out.
    pub fn query<V: QueryValue>(mut self, name: &'static str, value: Option<V>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value.render()));
        }
        self
    }

    /// An array query parameter in `form` style: `explode` repeats the name
    /// (`a=1&a=2`), otherwise values are joined with commas (`a=1,2`).
    pub fn query_list<V: QueryValue>(
        mut self,
        name: &'static str,
        values: Option<&[V]>,
        explode: bool,
    ) -> Self {
        let Some(values) = values else { return self };
        if explode {
            for value in values {
                self.query.push((name, value.render()));
            }
        } else {
            let joined: Vec<String> = values.iter().map(QueryValue::render).collect();
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

    /// A JSON body; `None` sends no body.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: Option<&T>) -> Self {
        if let Some(body) = body {
            match serde_json::to_vec(body) {
                Ok(bytes) => self.body = Body::Raw("application/json", bytes.into()),
                Err(e) => self.fail(format!("cannot serialize the request body: {e}")),
            }
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
        self.body = Body::Multipart(form.0);
        self
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(Error::InvalidRequest(message));
    }

    /// Sends the request and reads the whole response.
    pub async fn send(self, client: &Client) -> Result<Response, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let inner = &client.inner;
        let url = format!("{}{}", inner.base_url, self.path);
        let mut builder = inner
            .http
            .request(self.method, url)
            .header(reqwest::header::ACCEPT, self.accept)
            .header("x-api-key", inner.api_key.clone());
        if !self.query.is_empty() {
            builder = builder.query(&self.query);
        }
        for (name, value) in &inner.default_headers {
            if !self.headers.iter().any(|(n, _)| n == name) {
                builder = builder.header(name, value);
            }
        }
        for (name, value) in self.headers {
            builder = builder.header(name, value);
        }
        builder = match self.body {
            Body::None => builder,
            Body::Raw(media_type, bytes) => builder
                .header(reqwest::header::CONTENT_TYPE, media_type)
                .body(bytes),
            Body::Multipart(form) => builder.multipart(form),
        };
        let response = builder.send().await.map_err(Error::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::from_reqwest)?;
        Ok(Response {
            operation_id: self.operation_id,
            status,
            headers,
            body,
        })
    }
}

/// Decodes an error body into the schema documented for its status; `None` when it does not
/// match.
pub type ErrorDecoder = fn(&[u8]) -> Option<ApiErrorBody>;

/// A complete response, decoded by generated code according to its status.
pub struct Response {
    operation_id: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a JSON body, naming the failing field's path on error.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(&self.body).map_err(|(path, message)| Error::Decode {
            operation_id: self.operation_id,
            status: self.status,
            path,
            message,
        })
    }

    /// The raw body, for non-JSON media types.
    pub fn bytes(self) -> Bytes {
        self.body
    }

    /// Turns an error status into [`Error::Api`], decoding the body with `decode`, the
    /// generated decoder for the schema the document declares for that status.
    pub fn api_error(self, decode: Option<ErrorDecoder>) -> Error {
        let body = decode
            .and_then(|decode| decode(&self.body))
            .unwrap_or_else(|| ApiErrorBody::undocumented(self.body));
        Error::Api(Box::new(ApiError {
            operation_id: self.operation_id,
            status: self.status,
            headers: self.headers,
            body,
        }))
    }
}

/// JSON decoding with the path of the field that failed.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, String)> {
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        (path, error.into_inner().to_string())
    })
}

/// Decodes a documented error body; `None` when it does not match its schema.
pub fn decode_error_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// The traits of a generated string enum, built on its `as_str` and `From<&str>`. Unknown
/// values are kept in `Unknown` and serialized back unchanged, so a value added on the server
/// never breaks decoding.
#[macro_export]
#[doc(hidden)]
macro_rules! string_enum {
    ($name:ident) => {
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::runtime::QueryValue for $name {
            fn render(&self) -> ::std::string::String {
                self.as_str().to_owned()
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::runtime::StrVisitor::<Self>::new())
            }
        }
    };
}

/// Deserializes any string-like value through `From<&str>`, borrowing when it can.
#[doc(hidden)]
pub struct StrVisitor<T>(std::marker::PhantomData<T>);

impl<T> StrVisitor<T> {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        StrVisitor(std::marker::PhantomData)
    }
}

impl<T: for<'a> From<&'a str>> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// Makes a request builder awaitable: `client.users().get(id).await`.
#[macro_export]
#[doc(hidden)]
macro_rules! into_future {
    ($builder:ident => $output:ty) => {
        impl<'a> ::std::future::IntoFuture for $builder<'a> {
            type Output = $crate::Result<$output>;
            type IntoFuture = $crate::runtime::BoxFuture<'a, Self::Output>;
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    };
}
