//! The escape hatch: `Client::raw` goes through the client's credentials, org id, retries and
//! error handling like a generated call.
mod common;

use common::*;
use jumpcloud_sdk::{CallOptions, Error, Method, RetryPolicy, Service};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn a_raw_get_sends_the_path_query_and_headers_with_the_clients_credentials() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"id": "g 1", "name": "Engineering"})),
    )
    .await;

    let group: serde_json::Value = client
        .raw(Service::V2, Method::GET, "/usergroups/{id}")
        .path_param("g 1")
        .query("fields", "name,id")
        .header("x-trace", "t-1")
        .json()
        .await
        .expect("the raw call succeeds");

    assert_eq!(group["name"], "Engineering");
    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/usergroups/g%201");
    assert_eq!(request.url.query(), Some("fields=name%2Cid"));
    assert_headers(&request, Some(ORG_ID), None, "application/json");
    assert_eq!(header(&request, "x-trace"), Some("t-1"));
}

#[tokio::test]
async fn a_raw_post_sends_its_json_body_and_decodes_into_a_model() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(201)
            .set_body_json(json!({"id": "g2", "name": "Ops", "type": "user_group"})),
    )
    .await;

    let group: jumpcloud_sdk::models::UserGroup = client
        .raw(Service::V2, Method::POST, "/usergroups")
        .json_body(&json!({"name": "Ops"}))
        .options(CallOptions::new().org_id("org-2"))
        .json()
        .await
        .expect("the raw call succeeds");

    assert_eq!(group.name.as_deref(), Some("Ops"));
    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(&request, "x-org-id"), Some("org-2"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(request.body, br#"{"name":"Ops"}"#);
}

#[tokio::test]
async fn a_raw_error_status_is_an_api_error_with_the_servers_message() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "r-9")
            .set_body_json(json!({"message": "no such thing"})),
    )
    .await;

    let error = client
        .raw(Service::V1, Method::GET, "/things/{id}")
        .name("things_get")
        .path_param(7)
        .bytes()
        .await
        .expect_err("a 404 fails");
    assert_eq!(
        error.to_string(),
        "things_get failed with status 404 Not Found: no such thing (request id r-9)"
    );
    // `send` hands every status back instead.
    let response = client
        .raw(Service::V1, Method::GET, "/things/7")
        .send()
        .await
        .expect("send returns any status");
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["x-request-id"], "r-9");
}

#[tokio::test]
async fn a_raw_call_is_retried_like_a_generated_one() {
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/flaky"))
        .respond_with(ResponseTemplate::new(200).set_body_string("done"))
        .mount(&server)
        .await;
    let client = jumpcloud_sdk::Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .allow_http()
        .retry(RetryPolicy::new().backoff(Duration::from_millis(1), Duration::from_millis(5)))
        .build()
        .unwrap();

    let body = client
        .raw(Service::V2, Method::GET, "/flaky")
        .bytes()
        .await
        .expect("the third attempt succeeds");
    assert_eq!(&body[..], b"done");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_raw_header_that_cannot_be_a_header_fails_before_sending() {
    let (server, client) = start().await;
    let error = client
        .raw(Service::V2, Method::GET, "/x")
        .header("bad name", "v")
        .send()
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(received(&server).await.is_empty());
}
