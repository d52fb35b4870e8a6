//! The fault table: each row is one test against a scripted server on 127.0.0.1, ending in the
//! right typed error or a successful retry within a bounded time. Each row prints itself
//! (straight to stderr, so it shows without `--nocapture`); in order with
//! `cargo test -p tests --test faults -- --test-threads=1`.
mod common;

use common::scripted::{json, response, Reply, ScriptedServer};
use common::{API_KEY, ORG_ID};
use jumpcloud_sdk::{models, CallOptions, Client, Error, RetryPolicy};
use std::io::Write;
use std::time::{Duration, Instant};

const GROUP: &str = r#"{"id":"g1","name":"engineering"}"#;

/// Short waits so the table runs in well under a second per row.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .max_attempts(4)
        .backoff(Duration::from_millis(5), Duration::from_millis(40))
}

fn client(server: &ScriptedServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .org_id(ORG_ID)
        .base_url(&server.uri)
        .allow_http()
        .retry(policy)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("the test client builds")
}

fn outcome<T>(result: &Result<T, Error>) -> String {
    match result {
        Ok(_) => "Ok".to_owned(),
        Err(Error::Api(api)) => format!("Error::Api({})", api.status().as_u16()),
        Err(Error::Decode { path, .. }) => format!("Error::Decode at `{path}`"),
        Err(Error::Timeout(_)) => "Error::Timeout".to_owned(),
        Err(Error::TooLarge { limit, .. }) => format!("Error::TooLarge ({limit} B)"),
        Err(Error::Stalled { idle, .. }) => format!("Error::Stalled ({} ms)", idle.as_millis()),
        Err(Error::Transport(_)) => "Error::Transport".to_owned(),
        Err(other) => format!("{other:?}"),
    }
}

/// Prints one row of the table and checks the bound every row shares.
fn row<T>(fault: &str, result: &Result<T, Error>, server: &ScriptedServer, elapsed: Duration) {
    let line = format!(
        "\n| {fault:<37} | {:<26} | {:>8} | {:>7.0} ms |\n",
        outcome(result),
        server.requests().len(),
        elapsed.as_secs_f64() * 1000.0
    );
    // Not `eprintln!`: the test harness captures that, and the table is meant to be seen.
    let _ = std::io::stderr().write_all(line.as_bytes());
    assert!(
        elapsed < Duration::from_secs(4),
        "{fault}: took {elapsed:?}"
    );
}

async fn get_group(client: &Client) -> (Result<models::UserGroup, Error>, Duration) {
    let started = Instant::now();
    let result = client.user_groups().get_details("g1").await;
    (result, started.elapsed())
}

#[tokio::test]
async fn fault_01_429_with_retry_after_on_a_post() {
    let server = ScriptedServer::start(|index, _| match index {
        0 => Reply::Send(response(429, &[("retry-after", "1")], "")),
        _ => Reply::Send(json(201, GROUP)),
    })
    .await;
    let client = client(&server, fast_retries());
    let started = Instant::now();
    let result = client
        .user_groups()
        .create_new_group()
        .body(models::UserGroupPost::new("engineering"))
        .await;
    let elapsed = started.elapsed();
    row("429 + Retry-After: 1 (POST)", &result, &server, elapsed);
    assert_eq!(
        result.expect("retried after the 429").id.as_deref(),
        Some("g1")
    );
    assert_eq!(server.requests().len(), 2);
    // The server asked for one second; the policy's own waits are 40 ms at most.
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
}

#[tokio::test]
async fn fault_02_burst_of_503s() {
    let server = ScriptedServer::start(|index, _| match index {
        0..=2 => Reply::Send(json(503, r#"{"message":"busy"}"#)),
        _ => Reply::Send(json(200, GROUP)),
    })
    .await;
    let client = client(&server, fast_retries());
    let (result, elapsed) = get_group(&client).await;
    row("burst of three 503s (GET)", &result, &server, elapsed);
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn fault_03_503s_beyond_the_attempt_limit() {
    let server =
        ScriptedServer::start(|_, _| Reply::Send(json(503, r#"{"message":"busy"}"#))).await;
    let client = client(&server, fast_retries());
    let (result, elapsed) = get_group(&client).await;
    row("503 on every attempt (GET)", &result, &server, elapsed);
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 4, "max_attempts is 4");
}

#[tokio::test]
async fn fault_04_503_on_a_post_is_not_retried() {
    let server = ScriptedServer::start(|_, _| Reply::Send(json(503, "{}"))).await;
    let client = client(&server, fast_retries());
    let started = Instant::now();
    let result = client
        .user_groups()
        .create_new_group()
        .body(models::UserGroupPost::new("engineering"))
        .await;
    row(
        "503 (POST: may have acted)",
        &result,
        &server,
        started.elapsed(),
    );
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn fault_05_connection_reset_mid_response() {
    let server = ScriptedServer::start(|index, _| {
        let whole = json(200, GROUP);
        match index {
            // Headers and half the body, then RST.
            0 | 1 => Reply::ResetAfter(whole[..whole.len() - GROUP.len() / 2].to_vec()),
            _ => Reply::Send(whole),
        }
    })
    .await;
    let client = client(&server, fast_retries());
    let (result, elapsed) = get_group(&client).await;
    row(
        "connection reset mid-response (GET)",
        &result,
        &server,
        elapsed,
    );
    assert!(result.is_ok(), "{result:?}");
    assert_eq!(server.requests().len(), 3);
    assert_eq!(
        server.connections(),
        3,
        "a reset connection is never reused"
    );
}

#[tokio::test]
async fn fault_06_connection_reset_on_a_post_is_not_retried() {
    let server = ScriptedServer::start(|_, _| {
        let whole = json(201, GROUP);
        Reply::ResetAfter(whole[..whole.len() - 5].to_vec())
    })
    .await;
    let client = client(&server, fast_retries());
    let started = Instant::now();
    let result = client
        .user_groups()
        .create_new_group()
        .body(models::UserGroupPost::new("engineering"))
        .await;
    row(
        "connection reset mid-response (POST)",
        &result,
        &server,
        started.elapsed(),
    );
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn fault_07_server_that_never_answers() {
    let server = ScriptedServer::start(|_, _| Reply::Silence).await;
    let policy = fast_retries()
        .max_attempts(3)
        .attempt_timeout(Duration::from_millis(150));
    let client = client(&server, policy);
    let (result, elapsed) = get_group(&client).await;
    row(
        "server never answers (150 ms/attempt)",
        &result,
        &server,
        elapsed,
    );
    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_eq!(server.requests().len(), 3);
    assert!(elapsed >= Duration::from_millis(450), "{elapsed:?}");
}

#[tokio::test]
async fn fault_08_server_that_never_answers_within_the_call_timeout() {
    let server = ScriptedServer::start(|_, _| Reply::Silence).await;
    let client = client(&server, fast_retries());
    let started = Instant::now();
    let result = client
        .user_groups()
        .get_details("g1")
        .options(CallOptions::new().timeout(Duration::from_millis(300)))
        .await;
    let elapsed = started.elapsed();
    row(
        "server never answers (300 ms call)",
        &result,
        &server,
        elapsed,
    );
    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert!(
        elapsed >= Duration::from_millis(290) && elapsed < Duration::from_millis(1000),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn fault_08b_body_that_stalls_after_the_headers() {
    let server = ScriptedServer::start(|_, _| {
        let whole = json(200, GROUP);
        Reply::StallAfter(whole[..whole.len() - GROUP.len()].to_vec())
    })
    .await;
    let policy = fast_retries()
        .max_attempts(2)
        .attempt_timeout(Duration::from_millis(150));
    let client = client(&server, policy);
    let (result, elapsed) = get_group(&client).await;
    row("stalled body (150 ms/attempt)", &result, &server, elapsed);
    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn fault_08c_retry_after_past_the_call_timeout() {
    let server =
        ScriptedServer::start(|_, _| Reply::Send(response(429, &[("retry-after", "30")], "")))
            .await;
    let client = client(&server, fast_retries());
    let (result, elapsed) = get_group(&client).await;
    row(
        "429 + Retry-After: 30 (5 s call)",
        &result,
        &server,
        elapsed,
    );
    // Waiting would outlast the call's timeout: the 429 itself is the answer, at once.
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(429));
    assert_eq!(server.requests().len(), 1);
    assert!(elapsed < Duration::from_millis(500), "{elapsed:?}");
}

#[tokio::test]
async fn fault_09_malformed_json() {
    let server =
        ScriptedServer::start(|_, _| Reply::Send(json(200, r#"{"id": "g1", "name": "#))).await;
    let client = client(&server, fast_retries());
    let (result, elapsed) = get_group(&client).await;
    row("malformed JSON (200)", &result, &server, elapsed);
    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    assert_eq!(
        server.requests().len(),
        1,
        "a complete answer is not retried"
    );
}

#[tokio::test]
async fn fault_10_truncated_body() {
    // `content-length` promises the whole body; the server sends half and closes.
    let server = ScriptedServer::start(|_, _| {
        let whole = json(200, GROUP);
        Reply::CloseAfter(whole[..whole.len() - GROUP.len() / 2].to_vec())
    })
    .await;
    let client = client(&server, fast_retries().max_attempts(3));
    let (result, elapsed) = get_group(&client).await;
    row(
        "truncated body (GET, every attempt)",
        &result,
        &server,
        elapsed,
    );
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn fault_11_html_body_with_200() {
    let server = ScriptedServer::start(|_, _| {
        Reply::Send(response(
            200,
            &[("content-type", "text/html; charset=utf-8")],
            "<!DOCTYPE html><html><body>Sign in</body></html>",
        ))
    })
    .await;
    let client = client(&server, fast_retries());
    let (result, elapsed) = get_group(&client).await;
    row("200 with an HTML body", &result, &server, elapsed);
    match result {
        Err(Error::Decode { message, .. }) => {
            assert!(
                message.contains("text/html"),
                "the message names the media type: {message}"
            )
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn fault_12_unauthorized() {
    let server =
        ScriptedServer::start(|_, _| Reply::Send(json(401, r#"{"message":"Unauthorized"}"#))).await;
    let client = client(&server, fast_retries());
    let (result, elapsed) = get_group(&client).await;
    row("401", &result, &server, elapsed);
    let error = result.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert!(!format!("{error:?} {error}").contains(API_KEY));
    assert_eq!(server.requests().len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn fault_13_connection_refused() {
    // A port that was just free: nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .allow_http()
        .retry(fast_retries())
        .build()
        .expect("client builds");
    let started = Instant::now();
    let result = client.user_groups().create_new_group().await;
    let elapsed = started.elapsed();
    let line = format!(
        "\n| {:<37} | {:<26} | {:>8} | {:>7.0} ms |\n",
        "connection refused (POST)",
        outcome(&result),
        "-",
        elapsed.as_secs_f64() * 1000.0
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    // Nothing was sent, so even a POST is retried, and the error stays a transport error.
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// Bounded resources: response size and read stalls.

const MIB: u64 = 1 << 20;

fn bounded_client(server: &ScriptedServer, policy: RetryPolicy, max_bytes: u64) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(&server.uri)
        .allow_http()
        .retry(policy)
        .timeout(Duration::from_secs(5))
        .read_timeout(Duration::from_millis(200))
        .max_response_bytes(max_bytes)
        .build()
        .expect("the test client builds")
}

/// `[{…GROUP…},{…},…]` with `1 + 512 × chunks` groups, in pieces: the opening, `chunks`
/// chunks of 512 more (16 KiB each), the closing.
fn group_list(chunks: usize) -> (Vec<u8>, Vec<u8>, usize, Vec<u8>) {
    (
        format!("[{GROUP}").into_bytes(),
        format!(",{GROUP}").repeat(512).into_bytes(),
        chunks,
        b"]".to_vec(),
    )
}

/// A chunked JSON response of `group_list(chunks)`.
fn chunked_groups(chunks: usize) -> Reply {
    let (first, chunk, repeat, last) = group_list(chunks);
    Reply::Chunked {
        head: "HTTP/1.1 200 OK\r\ncontent-type: application/json".into(),
        first,
        chunk,
        repeat,
        last,
    }
}

/// The process's peak resident memory so far (`VmHWM`), in MiB.
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

#[tokio::test]
async fn fault_14_content_length_over_the_limit() {
    // Declares a gigabyte and sends none of it: refused from the head, nothing read.
    let server = ScriptedServer::start(|_, _| {
        Reply::StallAfter(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n"
                .to_vec(),
        )
    })
    .await;
    let client = bounded_client(&server, fast_retries(), MIB);
    let (result, elapsed) = get_group(&client).await;
    row("content-length 1 GB over 1 MiB", &result, &server, elapsed);
    assert!(
        matches!(result, Err(Error::TooLarge { limit, .. }) if limit == MIB),
        "{result:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "a body too large is not asked for again"
    );
    assert!(elapsed < Duration::from_millis(150), "{elapsed:?}");
}

#[tokio::test]
async fn fault_15_chunked_body_over_the_limit() {
    // No length declared: refused as soon as the body passes the limit.
    let server = ScriptedServer::start(|_, _| chunked_groups(160)).await;
    let client = bounded_client(&server, fast_retries(), MIB);
    let started = Instant::now();
    let result = client.user_groups().list_all().await;
    let elapsed = started.elapsed();
    row("chunked 2.6 MB list over 1 MiB", &result, &server, elapsed);
    assert!(matches!(result, Err(Error::TooLarge { .. })), "{result:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn fault_16_body_within_the_limit() {
    // 0.9 MiB of groups under a 1 MiB limit: read and decoded whole.
    let server = ScriptedServer::start(|_, _| chunked_groups(55)).await;
    let client = bounded_client(&server, fast_retries(), MIB);
    let started = Instant::now();
    let result = client.user_groups().list_all().await;
    let elapsed = started.elapsed();
    row(
        "chunked 0.9 MiB list under 1 MiB",
        &result,
        &server,
        elapsed,
    );
    assert_eq!(result.expect("within the limit").len(), 1 + 512 * 55);
}

#[tokio::test]
async fn fault_17_trickling_body() {
    // The head, then a space every 400 ms: each read waits longer than the 200 ms read
    // timeout, so each attempt ends in a typed timeout long before the 5 s call timeout.
    let server = ScriptedServer::start(|_, _| {
        let whole = json(200, GROUP);
        Reply::Trickle(
            whole[..whole.len() - GROUP.len()].to_vec(),
            Duration::from_millis(400),
        )
    })
    .await;
    let client = bounded_client(&server, fast_retries(), MIB);
    let (result, elapsed) = get_group(&client).await;
    row(
        "body trickling a byte every 400 ms",
        &result,
        &server,
        elapsed,
    );
    assert!(
        matches!(result, Err(Error::Stalled { idle, .. }) if idle == Duration::from_millis(200)),
        "{result:?}"
    );
    // A GET is retried like any read that broke off: four attempts of 200 ms each.
    assert_eq!(server.requests().len(), 4);
    assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
}

#[tokio::test]
async fn fault_18_a_page_over_the_limit_ends_the_stream_after_the_pages_before() {
    // Page 1 is small; page 2 is over the limit. The stream yields page 1's items, then the
    // error, and asks for no page 3.
    let server = ScriptedServer::start(|index, _| match index {
        0 => Reply::Send(json(200, &format!("[{GROUP},{GROUP}]"))),
        _ => chunked_groups(160),
    })
    .await;
    let client = bounded_client(&server, RetryPolicy::none(), MIB);
    let started = Instant::now();
    let mut stream = client.user_groups().list_all().limit(2).stream();
    let mut items = 0;
    let mut failure = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => items += 1,
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    let elapsed = started.elapsed();
    let result: Result<(), Error> = failure.map_or(Ok(()), Err);
    row(
        "page 2 of a stream over the limit",
        &result,
        &server,
        elapsed,
    );
    assert_eq!(items, 2);
    assert!(matches!(result, Err(Error::TooLarge { .. })), "{result:?}");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn fault_19_300_mb_list_under_the_default_limit() {
    // The list response that once took 8.7 s and 3.4 GB: refused at the default 256 MiB,
    // having held at most that much.
    // 10,240,001 groups of 32 bytes: 328 MB.
    let server = ScriptedServer::start(|_, _| chunked_groups(20_000)).await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(&server.uri)
        .allow_http()
        .retry(fast_retries())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("the test client builds");
    let before = peak_rss_mib();
    let started = Instant::now();
    let result = client.user_groups().list_all().await;
    let elapsed = started.elapsed();
    let peak = peak_rss_mib();
    let line = format!(
        "\n| {:<37} | {:<26} | {:>8} | {:>7.0} ms | peak RSS {peak:.0} MiB (was {before:.0})\n",
        "328 MB list, default 256 MiB limit",
        outcome(&result),
        server.requests().len(),
        elapsed.as_secs_f64() * 1000.0
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    assert!(
        matches!(result, Err(Error::TooLarge { limit, .. }) if limit == jumpcloud_sdk::DEFAULT_MAX_RESPONSE_BYTES),
        "{result:?}"
    );
    assert_eq!(server.requests().len(), 1);
    // At most the limit once, plus the buffer growing into it (the other tests of this binary
    // run beside it, so only a loose bound holds).
    assert!(peak < before + 800.0, "peak RSS {peak:.0} MiB");
}
