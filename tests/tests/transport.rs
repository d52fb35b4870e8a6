//! How calls are sent: per-call options, cancellation, plain-http refusal, redirects, and the
//! tracing span of each call. Against scripted servers on 127.0.0.1.
mod common;

use common::scripted::{json, response, Reply, ScriptedServer};
use common::{API_KEY, ORG_ID};
use jumpcloud_sdk::{CallOptions, Client, Error, RetryPolicy};
use std::future::IntoFuture;
use std::time::{Duration, Instant};

const GROUP: &str = r#"{"id":"g1","name":"engineering"}"#;

fn fast_retries() -> RetryPolicy {
    RetryPolicy::new().backoff(Duration::from_millis(5), Duration::from_millis(20))
}

fn client(server: &ScriptedServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .org_id(ORG_ID)
        .base_url(&server.uri)
        .allow_http()
        .retry(policy)
        .build()
        .expect("the test client builds")
}

/// Waits (at most 3 s) until `done` holds.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(3);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn call_options_override_retry_timeout_and_org_for_one_call() {
    common::traces::capture();
    let server = ScriptedServer::start(|index, _| match index {
        // First call: one 503, not retried under the client's policy.
        0 => Reply::Send(json(503, "{}")),
        // Second call: a 503, retried under the call's policy, then success.
        1 => Reply::Send(json(503, "{}")),
        2 => Reply::Send(json(200, GROUP)),
        // Third call: silence, cut by the call's timeout.
        _ => Reply::Silence,
    })
    .await;
    let client = client(&server, RetryPolicy::none());

    let first = client.user_groups().get_details("g1").await;
    assert_eq!(first.unwrap_err().status().map(|s| s.as_u16()), Some(503));

    let second = client
        .user_groups()
        .get_details("g1")
        .options(CallOptions::new().retry(fast_retries()).org_id("org-other"))
        .await;
    assert!(second.is_ok(), "{second:?}");

    let started = Instant::now();
    let third = client
        .user_groups()
        .get_details("g1")
        .options(CallOptions::new().timeout(Duration::from_millis(200)))
        .await;
    assert!(matches!(third, Err(Error::Timeout(_))), "{third:?}");
    assert!(started.elapsed() < Duration::from_secs(1));

    let orgs: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("x-org-id").unwrap_or("").to_owned())
        .collect();
    assert_eq!(orgs, [ORG_ID, "org-other", "org-other", ORG_ID]);
}

#[tokio::test]
async fn dropping_a_call_closes_its_connection_and_stops_it() {
    common::traces::capture();
    let server = ScriptedServer::start(|_, _| Reply::Silence).await;
    let client = client(&server, fast_retries());

    let call = tokio::spawn(async move { client.user_groups().get_details("g1").await });
    eventually("the request arrives", || server.requests().len() == 1).await;
    call.abort();
    assert!(call.await.unwrap_err().is_cancelled());

    eventually("the server sees the connection closed", || {
        server.closed_by_client() == 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.requests().len(), 1, "no attempt after the drop");
}

#[tokio::test]
async fn dropping_a_call_during_a_backoff_wait_makes_no_further_attempt() {
    common::traces::capture();
    let server =
        ScriptedServer::start(|_, _| Reply::Send(response(429, &[("retry-after", "1")], ""))).await;
    let client = client(&server, fast_retries());

    let call = tokio::time::timeout(
        Duration::from_millis(300),
        client.user_groups().get_details("g1").into_future(),
    )
    .await;
    assert!(call.is_err(), "the call was still waiting out Retry-After");
    // Past the second the server asked to wait: a live call would have tried again.
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn plain_http_base_urls_are_refused_unless_allowed() {
    common::traces::capture();
    let build = |url: &str, allow: bool| {
        let builder = Client::builder().api_key(API_KEY).base_url(url);
        if allow { builder.allow_http() } else { builder }.build()
    };
    for url in [
        "http://127.0.0.1:8080",
        "http://console.jumpcloud.com/api/v2",
    ] {
        match build(url, false) {
            Err(Error::Config(message)) => {
                assert!(message.contains("allow_http"), "{message}")
            }
            other => panic!("{url}: expected Error::Config, got {other:?}"),
        }
        assert!(build(url, true).is_ok(), "{url} with allow_http");
    }
    assert!(build("https://console.jumpcloud.com/api/v2", false).is_ok());
    assert!(matches!(
        build("ftp://127.0.0.1/api", true),
        Err(Error::Config(_))
    ));
    // The default base URL is https.
    assert!(Client::new(API_KEY).is_ok());
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_key_never_leaves() {
    common::traces::capture();
    let elsewhere = ScriptedServer::start(|_, _| Reply::Send(json(200, GROUP))).await;
    let location = format!("{}/collect", elsewhere.uri);
    let server = ScriptedServer::start(move |_, _| {
        Reply::Send(response(302, &[("location", &location)], ""))
    })
    .await;
    let client = client(&server, fast_retries());

    let result = client.user_groups().get_details("g1").await;
    assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(302));
    assert!(
        elsewhere.requests().is_empty(),
        "the redirect was not followed"
    );
}

#[tokio::test]
async fn each_call_has_a_span_with_operation_template_status_attempt_and_latency() {
    common::traces::capture();
    let server = ScriptedServer::start(|index, _| match index {
        0 => Reply::Send(json(503, "{}")),
        _ => Reply::Send(json(200, "[]")),
    })
    .await;
    let client = client(&server, fast_retries());

    let members = client.user_groups().list_members("private-group-id").await;
    assert!(members.is_ok(), "{members:?}");

    // The traces of the whole binary: this test's call is the only one of its operation.
    let traces = common::traces::text();
    let close = traces
        .lines()
        .find(|line| {
            line.contains("jumpcloud.request")
                && line.contains("graph_userGroupMembersList")
                && line.contains("close")
        })
        .unwrap_or_else(|| panic!("a closed span: {traces}"));
    for field in [
        "operation_id=\"graph_userGroupMembersList\"",
        "method=GET",
        "path=\"/usergroups/{group_id}/members\"",
        "status=200",
        "attempt=2",
        "latency_ms=",
    ] {
        assert!(close.contains(field), "{field} in {close}");
    }
    assert!(
        traces.contains("retrying"),
        "the retry is an event: {traces}"
    );
    assert!(
        !traces.contains("private-group-id"),
        "no parameter values: {traces}"
    );
}

#[tokio::test]
async fn a_post_whose_connection_was_refused_is_retried() {
    common::traces::capture();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .allow_http()
        .retry(fast_retries().max_attempts(3))
        .build()
        .expect("client builds");

    let result = client.user_groups().create_new_group().await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
    // Nothing reached a server, so the POST was safe to try again.
    let traces = common::traces::text();
    let own: Vec<&str> = traces
        .lines()
        .filter(|line| line.contains("groups_user_post"))
        .collect();
    let retries = own.iter().filter(|line| line.contains("retrying")).count();
    assert_eq!(retries, 2, "{own:#?}");
    assert!(
        own.iter()
            .any(|line| line.contains("close") && line.contains("attempt=3")),
        "{own:#?}"
    );
}

/// A server that closes a kept-alive connection as the next request arrives (its idle timeout
/// firing then), answering only a connection's first request; two `POST`s 300 ms apart, with
/// the default retry policy's rules (fast backoff). Returns the second call's result and the
/// connections the server accepted.
async fn post_twice_to_a_server_closing_idle_connections(
    pool_idle_timeout: Duration,
) -> (Result<(), Error>, usize) {
    let server = ScriptedServer::start(|_, request| match request.on_connection {
        0 => Reply::Send(json(201, GROUP)),
        // Closed with nothing written: the request is left unanswered.
        _ => Reply::CloseAfter(Vec::new()),
    })
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(&server.uri)
        .allow_http()
        .retry(fast_retries())
        .pool_idle_timeout(pool_idle_timeout)
        .build()
        .expect("client builds");
    let first = client.user_groups().create_new_group().await;
    assert!(first.is_ok(), "{first:?}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = client.user_groups().create_new_group().await.map(|_| ());
    (second, server.connections())
}

#[tokio::test]
async fn an_idle_connection_is_dropped_before_the_server_closes_it() {
    // Kept past the server's idle timeout, the connection is closed under the second POST,
    // which may have reached the server and so is not retried (no second connection): the
    // failure a pool idle timeout shorter than the server's avoids.
    let (second, connections) =
        post_twice_to_a_server_closing_idle_connections(Duration::from_secs(60)).await;
    assert!(matches!(second, Err(Error::Transport(_))), "{second:?}");
    assert_eq!(connections, 1);
    // Dropped from the pool after 100 ms of idleness, the second POST opens a connection of
    // its own and is answered.
    let (second, connections) =
        post_twice_to_a_server_closing_idle_connections(Duration::from_millis(100)).await;
    assert!(second.is_ok(), "{second:?}");
    assert_eq!(connections, 2);
}
