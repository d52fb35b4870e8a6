//! Helpers shared by the loopback tests: a client pointed at a wiremock server, exact views of
//! what that server received, and a raw TCP server for asserting the request line byte for
//! byte (wiremock re-parses the URL, which would hide dot-segment normalization).
#![allow(dead_code)]

pub mod scripted;
pub mod traces;

use jumpcloud_sdk::Client;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const API_KEY: &str = "test-key";
pub const ORG_ID: &str = "org-1";

/// A wiremock server on 127.0.0.1 and a client with the test key and org pointed at it.
pub async fn start() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .api_key(API_KEY)
        .org_id(ORG_ID)
        .base_url(server.uri())
        .allow_http()
        .build()
        .expect("the test client builds");
    (server, client)
}

/// Answers every request with `response`; the assertions are made afterwards on what was
/// received, so a wrong request fails with a precise message instead of a wiremock 404.
pub async fn respond(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("wiremock records requests")
}

/// The one request the server received.
pub async fn single_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    requests.remove(0)
}

/// The value of a header sent at most once (a header sent twice fails the test).
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    let mut values = request.headers.get_all(name).iter();
    let first = values.next()?;
    assert!(
        values.next().is_none(),
        "header {name} was sent more than once: {:?}",
        request.headers.get_all(name).iter().collect::<Vec<_>>()
    );
    Some(first.to_str().expect("header value is visible ASCII"))
}

/// Method, raw (still percent-encoded) path and the raw query string (`None` when the URL
/// has no `?`).
pub fn assert_target(request: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(request.method.as_str(), method, "method");
    assert_eq!(request.url.path(), path, "raw path");
    assert_eq!(request.url.query(), query, "raw query string");
}

/// The decoded query pairs, in order.
pub fn query_pairs(request: &Request) -> Vec<(String, String)> {
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// `x-api-key`, `x-org-id`, `content-type` and `accept`, exactly (`None`: not sent).
pub fn assert_headers(
    request: &Request,
    org_id: Option<&str>,
    content_type: Option<&str>,
    accept: &str,
) {
    assert_eq!(header(request, "x-api-key"), Some(API_KEY), "x-api-key");
    assert_eq!(header(request, "x-org-id"), org_id, "x-org-id");
    assert_eq!(
        header(request, "content-type"),
        content_type,
        "content-type"
    );
    assert_eq!(header(request, "accept"), Some(accept), "accept");
    let user_agent = header(request, "user-agent").expect("a user-agent is sent");
    assert!(
        user_agent.starts_with("jumpcloud-sdk-rust/"),
        "user-agent {user_agent:?}"
    );
}

/// The body parsed as JSON, after checking it contains no `null` anywhere.
pub fn json_body(request: &Request) -> Value {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "body is not JSON ({e}): {:?}",
            String::from_utf8_lossy(&request.body)
        )
    });
    assert_no_nulls(&body, "$");
    body
}

fn assert_no_nulls(value: &Value, at: &str) {
    match value {
        Value::Null => panic!("the request body has a null at {at}"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_no_nulls(item, &format!("{at}[{i}]"));
            }
        }
        Value::Object(fields) => {
            for (name, field) in fields {
                assert_no_nulls(field, &format!("{at}.{name}"));
            }
        }
        _ => {}
    }
}

/// A one-shot HTTP server that records the raw request head (request line and headers) and
/// answers with `response` (a complete HTTP/1.1 response).
pub struct RawServer {
    pub uri: String,
    handle: JoinHandle<Option<String>>,
}

impl RawServer {
    pub fn start(response: &'static str) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("non-blocking accept");
        let uri = format!("http://{}", listener.local_addr().expect("local address"));
        let handle = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(3);
            let mut stream = loop {
                match listener.accept() {
                    Ok((stream, _)) => break stream,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        if Instant::now() > deadline {
                            return None;
                        }
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    Err(e) => panic!("accept: {e}"),
                }
            };
            stream.set_nonblocking(false).expect("blocking stream");
            stream
                .set_read_timeout(Some(Duration::from_secs(3)))
                .expect("read timeout");
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            stream
                .write_all(response.as_bytes())
                .expect("write response");
            Some(String::from_utf8(head).expect("request head is UTF-8"))
        });
        RawServer { uri, handle }
    }

    /// The raw request head, or `None` when nothing connected within 3 s.
    pub fn request_head(self) -> Option<String> {
        self.handle.join().expect("raw server thread")
    }
}

/// `GET /x HTTP/1.1` → `/x`.
pub fn request_target(head: &str) -> &str {
    let line = head.lines().next().expect("a request line");
    let mut parts = line.split(' ');
    parts.next().expect("method");
    parts.next().expect("request target")
}
