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
        Err(Error::Api(api)) => format!("Error::Api({})", api.status.as_u16()),
        Err(Error::Decode { path, .. }) => format!("Error::Decode at `{path}`"),
        Err(Error::Timeout(_)) => "Error::Timeout".to_owned(),
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
    let result = client.user_groups().user_groups_get_details("g1").await;
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
        .user_groups_create_new_group()
        .body(models::UserGroupPost {
            name: "engineering".into(),
            ..Default::default()
        })
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
        .user_groups_create_new_group()
        .body(models::UserGroupPost {
            name: "engineering".into(),
            ..Default::default()
        })
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
        .user_groups_create_new_group()
        .body(models::UserGroupPost {
            name: "engineering".into(),
            ..Default::default()
        })
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
        .user_groups_get_details("g1")
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
    let result = client.user_groups().user_groups_create_new_group().await;
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
