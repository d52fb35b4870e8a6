//! The support the generated code calls into. Not a public API: names here may change in any
//! release.
mod model;
use model::ReadValue;
pub use model::{
    decode_model, encode_model, extra_field, lenient_field, optional_field, read_list, read_str,
    required, ErasedDeserializer, FieldResult, FieldValue, Fields, Model,
};

use crate::client::{CallOptions, Client};
use crate::error::{ApiError, Error};
use crate::generated::ApiErrorBody;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

pub use crate::call::{Call, Operation};
pub use crate::paginate::{PageNumber, Paginated};
pub use bytes::Bytes;
pub use reqwest::{multipart, Method};

/// A boxed future: what [`Request::send`] returns, inside every [`Call`] and every page.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Everything RFC 3986 does not call unreserved gets encoded, so a value always stays one
/// path segment or one query value (`a/b?c` cannot add segments or a query, `a,b&c` cannot
/// add list items or parameters).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Expands a path template (`/usergroups/{group_id}/members`) with its parameters in order,
/// each percent-encoded as one segment. `.` and `..` are refused: URL normalization would turn
/// them into a move up the path, whatever their encoding.
fn expand_path(template: &str, params: &[&dyn Display]) -> Result<String, String> {
    let mut path = String::with_capacity(template.len() + 16);
    let mut params = params.iter();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        path.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        let value = params
            .next()
            .ok_or_else(|| format!("no value for path parameter {name}"))?
            .to_string();
        if value.is_empty() || value == "." || value == ".." {
            return Err(format!("path parameter {name} cannot be {value:?}"));
        }
        path.extend(utf8_percent_encode(&value, COMPONENT));
        rest = &rest[start + len + 1..];
    }
    path.push_str(rest);
    Ok(path)
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
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

/// A request about to be sent, built by generated code. Everything it holds can be sent
/// again, so `transport` can retry it.
pub struct Request {
    pub(crate) operation_id: &'static str,
    pub(crate) method: Method,
    /// The document's path template, for tracing (never carries parameter values).
    pub(crate) template: &'static str,
    path: String,
    pub(crate) options: CallOptions,
    query: Vec<(&'static str, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Body,
    accept: &'static str,
    error: Option<Error>,
}

enum Body {
    None,
    Raw(&'static str, Bytes),
    Multipart(Form),
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

/// A multipart form under construction; unset parts are left out. It keeps the parts, not a
/// `reqwest` form (which can be sent only once), so each attempt builds its own.
pub struct Form(Vec<(&'static str, FormPart)>);

enum FormPart {
    Text(String),
    File(FilePart),
}

impl Form {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Form(Vec::new())
    }

    pub fn text(mut self, name: &'static str, value: Option<String>) -> Self {
        if let Some(value) = value {
            self.0.push((name, FormPart::Text(value)));
        }
        self
    }

    pub fn file(mut self, name: &'static str, file: Option<FilePart>) -> Self {
        if let Some(file) = file {
            self.0.push((name, FormPart::File(file)));
        }
        self
    }

    fn to_reqwest(&self) -> multipart::Form {
        self.0
            .iter()
            .fold(multipart::Form::new(), |form, (name, part)| match part {
                FormPart::Text(value) => form.text(*name, value.clone()),
                FormPart::File(file) => {
                    let part = || {
                        multipart::Part::stream(file.bytes.clone())
                            .file_name(file.file_name.clone())
                    };
                    // An unparsable media type is left for the server to guess.
                    let part = match file.content_type.as_deref() {
                        Some(media_type) => part().mime_str(media_type).unwrap_or_else(|_| part()),
                        None => part(),
                    };
                    form.part(*name, part)
                }
            })
    }
}

impl Request {
    /// `path_params` fill the template's `{name}`s in order.
    pub fn new(
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
            operation_id,
            method,
            template,
            path,
            options: CallOptions::default(),
            query: Vec::new(),
            headers: Vec::new(),
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

    /// A JSON body; `None` sends no body.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: Option<&T>) -> Self {
        if let Some(body) = body {
            // Through `erased_serde`, so each body type compiles against one serializer.
            match serde_json::to_vec(&body as &dyn erased_serde::Serialize) {
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
        self.body = Body::Multipart(form);
        self
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(Error::InvalidRequest(message));
    }

    /// Sends the request (retrying as the call's policy allows) and reads the whole response.
    /// One future type for every operation: nothing is sent until it is polled.
    pub fn send(self, client: &Client) -> BoxFuture<'_, Result<Response, Error>> {
        Box::pin(crate::transport::send(self, client))
    }

    /// The full URL: base URL, expanded path, query. A request that failed to build returns
    /// its error here, before anything is sent.
    pub(crate) fn url(&mut self, base_url: &str) -> Result<reqwest::Url, Error> {
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
    pub(crate) fn build(
        &self,
        client: &Client,
        url: reqwest::Url,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let inner = &client.inner;
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
        let builder = builder.headers(headers);
        Ok(match &self.body {
            Body::None => builder,
            Body::Raw(media_type, bytes) => builder
                .header(reqwest::header::CONTENT_TYPE, *media_type)
                .body(bytes.clone()),
            Body::Multipart(form) => builder.multipart(form.to_reqwest()),
        })
    }
}

/// Decodes an error body into the schema documented for its status; `None` when it does not
/// match.
pub type ErrorDecoder = fn(&[u8]) -> Option<ApiErrorBody>;

/// A complete response, decoded by generated code according to its status.
pub struct Response {
    pub(crate) operation_id: &'static str,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Response {
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// A response header's value, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Decodes a JSON body, naming the failing field's path on error.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        read_as(|read| self.read_json(read))
    }

    /// Decodes a JSON list body: item by item, so that no list visitor is compiled per item
    /// type.
    pub fn json_list<T: DeserializeOwned>(&self) -> Result<Vec<T>, Error> {
        let mut decoded = None;
        self.read_json(&mut |d| {
            decoded = Some(read_list(d)?);
            Ok(())
        })?;
        Ok(decoded.expect("a successful read stores the value"))
    }

    fn read_json(&self, read: &mut ReadValue<'_>) -> Result<(), Error> {
        decode_json_with(&self.body, read).map_err(|(path, mut message)| {
            // A proxy's or login page's HTML is the usual cause: say so.
            let media_type = self.header("content-type").unwrap_or("none");
            if !media_type.contains("json") {
                message =
                    format!("{message} (the body's content-type is {media_type:?}, not JSON)");
            }
            Error::Decode {
                operation_id: self.operation_id,
                status: self.status,
                path,
                message,
            }
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

/// Containers JumpCloud fills loosely: `null` for a list or map reads as empty, a `null` list
/// item as the item type's default, and a map sent as JSON text (`"{}"`) as the map it encodes.
/// Anything else must still match the declared type.
///
/// Read from the value's JSON text: a list's items and a map are read from their own text, with
/// no `serde_json::Value` built on the way.
pub trait Lenient: Sized {
    fn from_lenient(text: &str) -> Result<Self, String>;
}

/// Reads a `T` from JSON text through one erased deserializer.
fn decode_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    read_as(|read| read_text(text, read))
}

fn read_text(text: &str, read: &mut ReadValue<'_>) -> Result<(), String> {
    let mut json = serde_json::Deserializer::from_str(text);
    read(&mut <dyn ErasedDeserializer>::erase(&mut json)).map_err(|e| e.to_string())?;
    json.end().map_err(|e| e.to_string())
}

/// A decode error inside a lenient container carries the path below the container, so the
/// final error still names the exact field: `\u{1}<path>\u{1}<message>`.
const NESTED_PATH: char = '\u{1}';

/// Reads a `T` with `drive`, a non-generic decoder that hands this function's reader an
/// erased deserializer. All a type adds to the build is this small function: the decoders
/// are compiled once.
fn read_as<T: DeserializeOwned, E>(
    drive: impl FnOnce(&mut ReadValue<'_>) -> Result<(), E>,
) -> Result<T, E> {
    let mut decoded = None;
    drive(&mut |d| {
        decoded = Some(erased_serde::deserialize(d)?);
        Ok(())
    })?;
    Ok(decoded.expect("a successful read stores the value"))
}

/// Reads an untagged enum's variant from a value (see [`decode_untagged`]).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
    read_as(|read| read(&mut <dyn ErasedDeserializer>::erase(value))).map_err(|e| e.to_string())
}

/// Joins a path with the nested path a lenient container's error carries, if any.
fn join_paths(outer: &str, message: &str) -> (String, String) {
    let nested = message
        .strip_prefix(NESTED_PATH)
        .and_then(|rest| rest.split_once(NESTED_PATH));
    let Some((inner, message)) = nested else {
        return (outer.to_owned(), message.to_owned());
    };
    let path = match (outer, inner) {
        (".", inner) => inner.to_owned(),
        (outer, ".") => outer.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    };
    (path, message.to_owned())
}

fn with_index(index: usize, error: String) -> String {
    nest_path(&format!("[{index}]"), &error)
}

/// Puts `segment` (a key, or `[index]`) in front of the path an error carries (see
/// [`NESTED_PATH`]). serde_json's positions are dropped: inside a value read from its own text
/// they are relative to that text.
pub(crate) fn nest_path(segment: &str, error: &str) -> String {
    let (inner, message) = error
        .strip_prefix(NESTED_PATH)
        .and_then(|rest| rest.split_once(NESTED_PATH))
        .unwrap_or((".", error));
    let path = match inner {
        "." => segment.to_owned(),
        inner if inner.starts_with('[') => format!("{segment}{inner}"),
        inner => format!("{segment}.{inner}"),
    };
    let message = strip_positions(message);
    format!("{NESTED_PATH}{path}{NESTED_PATH}{message}")
}

/// `message` without any of serde_json's ` at line L column C`.
pub(crate) fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some((start, len)) = find_position(rest) {
        out.push_str(&rest[..start]);
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// Where the first ` at line L column C` of serde_json's is in `message`: start and length.
fn find_position(message: &str) -> Option<(usize, usize)> {
    const LINE: &str = " at line ";
    const COLUMN: &str = " column ";
    let digits = |text: &str| text.bytes().take_while(u8::is_ascii_digit).count();
    let mut searched = 0;
    while let Some(found) = message[searched..].find(LINE) {
        let start = searched + found;
        let after_line = &message[start + LINE.len()..];
        let line_len = digits(after_line);
        if let Some(column) = after_line[line_len..].strip_prefix(COLUMN) {
            if line_len > 0 && digits(column) > 0 {
                return Some((start, LINE.len() + line_len + COLUMN.len() + digits(column)));
            }
        }
        searched = start + LINE.len();
    }
    None
}

impl<T: DeserializeOwned + Default> Lenient for Vec<T> {
    fn from_lenient(text: &str) -> Result<Self, String> {
        let mut items = Vec::new();
        lenient_list(text, &mut |item| {
            items.push(match item {
                Some(item) => erased_serde::deserialize(item)?,
                None => T::default(),
            });
            Ok(())
        })?;
        Ok(items)
    }
}

/// Reads one list item, or takes the default for a `null` one (`None`).
type ReadItem<'a> =
    dyn for<'de> FnMut(Option<&mut dyn ErasedDeserializer<'de>>) -> FieldResult + 'a;

fn lenient_list(text: &str, read: &mut ReadItem<'_>) -> Result<(), String> {
    let items: Option<Vec<&serde_json::value::RawValue>> =
        serde_json::from_str(text).map_err(|e| strip_positions(&e.to_string()))?;
    for (index, item) in items.into_iter().flatten().enumerate() {
        let read_item = match item.get() {
            "null" => read(None).map_err(|e| e.to_string()),
            item => read_text(item, &mut |d| read(Some(d))),
        };
        read_item.map_err(|e| with_index(index, e))?;
    }
    Ok(())
}

fn lenient_object<T: DeserializeOwned + Default>(text: &str) -> Result<T, String> {
    if text == "null" {
        return Ok(T::default());
    }
    if !text.starts_with('"') {
        return decode_text(text);
    }
    let inner: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if !inner.trim_start().starts_with('{') {
        return Err(format!("expected an object, found the text {inner:?}"));
    }
    decode_text(&inner)
}

impl<T: DeserializeOwned> Lenient for std::collections::BTreeMap<String, T> {
    fn from_lenient(text: &str) -> Result<Self, String> {
        lenient_object(text)
    }
}

impl Lenient for serde_json::Map<String, serde_json::Value> {
    fn from_lenient(text: &str) -> Result<Self, String> {
        lenient_object(text)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn from_lenient(text: &str) -> Result<Self, String> {
        match text {
            "null" => Ok(None),
            text => T::from_lenient(text).map(Some),
        }
    }
}

/// How one variant of an untagged enum is recognized and read: the keys an object needs, and
/// the decoder.
pub type UntaggedVariant<T> = (
    &'static [&'static str],
    fn(serde_json::Value) -> Result<T, String>,
);

/// Reads an untagged enum: the first variant (most specific first, as generated) whose
/// required keys the object has and that decodes.
pub fn decode_untagged<'de, D, T>(
    deserializer: D,
    name: &str,
    variants: &[UntaggedVariant<T>],
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;
    for (required, decode) in variants {
        let has_keys = match &value {
            serde_json::Value::Object(object) => required.iter().all(|k| object.contains_key(*k)),
            _ => required.is_empty(),
        };
        if has_keys {
            if let Ok(decoded) = decode(value.clone()) {
                return Ok(decoded);
            }
        }
    }
    Err(serde::de::Error::custom(format!(
        "the value matches no variant of {name}"
    )))
}

/// JSON decoding with the path of the field that failed.
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, String)> {
    read_as(|read| decode_json_with(body, read))
}

fn decode_json_with(body: &[u8], read: &mut ReadValue<'_>) -> Result<(), (String, String)> {
    // Tracking the path costs on every field; only a body that fails pays for it, by being
    // read a second time.
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    if read_json(&mut deserializer, read).is_ok() && deserializer.end().is_ok() {
        return Ok(());
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut deserializer, &mut track);
    let message = match read(&mut <dyn ErasedDeserializer>::erase(tracked)) {
        Ok(()) => match deserializer.end() {
            Ok(()) => return Ok(()),
            Err(error) => return Err((".".to_owned(), error.to_string())),
        },
        Err(error) => first_position_only(error.to_string()),
    };
    Err(join_paths(&track.path().to_string(), &message))
}

/// Each erased layer a decode error crosses may repeat serde_json's ` at line L column C`;
/// the first one is where the error is.
fn first_position_only(mut message: String) -> String {
    if let Some((start, len)) = find_position(&message) {
        message.truncate(start + len);
    }
    message
}

/// Decodes a documented error body; `None` when it does not match its schema.
pub fn decode_error_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let decoded = read_as(|read| read_json(&mut deserializer, read)).ok()?;
    deserializer.end().ok()?;
    Some(decoded)
}

fn read_json(
    deserializer: &mut serde_json::Deserializer<serde_json::de::SliceRead<'_>>,
    read: &mut ReadValue<'_>,
) -> Result<(), erased_serde::Error> {
    read(&mut <dyn ErasedDeserializer>::erase(deserializer))
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
                $crate::runtime::read_str(deserializer).map(|text| Self::from(&*text))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_json_positions_are_found_stripped_or_kept_once() {
        let message = "invalid type: null at line 1 column 9 at line 2 column 30";
        assert_eq!(find_position(message), Some((18, 19)));
        assert_eq!(strip_positions(message), "invalid type: null");
        assert_eq!(
            first_position_only(message.to_owned()),
            "invalid type: null at line 1 column 9"
        );
        // Text that only looks like a position stays.
        let text = "the value at line x column 3, then at line 4 column 5";
        assert_eq!(strip_positions(text), "the value at line x column 3, then");
    }
}
