//! Streams over list operations against a loopback server that really pages: `limit`/`skip`
//! over 10,050 items, a caller's cap, `x-total-count`, and token paging.
mod common;

use common::start;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

const ITEMS: usize = 10_050;

/// Serves `/usergroups` from a list of `total` groups, honouring `limit` and `skip` (server-side
/// cap 100 per page), optionally with `x-total-count`.
struct PagedGroups {
    total: usize,
    send_total_count: bool,
    requests: Arc<AtomicUsize>,
}

fn query(request: &Request, name: &str) -> Option<usize> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .and_then(|(_, value)| value.parse().ok())
}

impl Respond for PagedGroups {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let skip = query(request, "skip").unwrap_or(0);
        let limit = query(request, "limit").unwrap_or(10).min(100);
        let page: Vec<Value> = (skip..(skip + limit).min(self.total))
            .map(|i| json!({"id": format!("g{i:05}"), "name": format!("group {i}")}))
            .collect();
        let response = ResponseTemplate::new(200).set_body_json(page);
        if self.send_total_count {
            response.insert_header("x-total-count", self.total.to_string().as_str())
        } else {
            response
        }
    }
}

async fn serve_groups(
    total: usize,
    send_total_count: bool,
) -> (
    wiremock::MockServer,
    jumpcloud_sdk::Client,
    Arc<AtomicUsize>,
) {
    let (server, client) = start().await;
    let requests = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path("/usergroups"))
        .respond_with(PagedGroups {
            total,
            send_total_count,
            requests: requests.clone(),
        })
        .mount(&server)
        .await;
    (server, client, requests)
}

fn expected_ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("g{i:05}")).collect()
}

#[tokio::test]
async fn streams_every_item_in_order_until_a_short_page() {
    let (_server, client, requests) = serve_groups(ITEMS, false).await;
    let groups = client
        .user_groups()
        .list_all()
        .stream()
        .all()
        .await
        .unwrap();
    let ids: Vec<String> = groups
        .into_iter()
        .map(|g| g.id.unwrap_or_default())
        .collect();
    assert_eq!(ids, expected_ids(0..ITEMS));
    // 100 full pages of 100, then a short page of 50.
    assert_eq!(requests.load(Ordering::SeqCst), 101);
}

#[tokio::test]
async fn x_total_count_ends_the_stream_without_an_extra_request() {
    // 10,000 items: the last page is full, so without the count one more (empty) page would
    // be needed to know the end.
    let (_server, client, requests) = serve_groups(10_000, true).await;
    let mut stream = client.user_groups().list_all().stream();
    let mut count = 0;
    while let Some(group) = futures_util::StreamExt::next(&mut stream).await {
        group.unwrap();
        count += 1;
    }
    assert_eq!(count, 10_000);
    assert_eq!(stream.total_count(), Some(10_000));
    assert_eq!(requests.load(Ordering::SeqCst), 100);
}

#[tokio::test]
async fn a_cap_stops_early_and_asks_only_for_what_it_needs() {
    let (server, client, requests) = serve_groups(ITEMS, false).await;
    let groups = client
        .user_groups()
        .list_all()
        .stream()
        .max_items(250)
        .all()
        .await
        .unwrap();
    let ids: Vec<String> = groups
        .into_iter()
        .map(|g| g.id.unwrap_or_default())
        .collect();
    assert_eq!(ids, expected_ids(0..250));
    assert_eq!(requests.load(Ordering::SeqCst), 3);
    let limits: Vec<Option<usize>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| query(r, "limit"))
        .collect();
    assert_eq!(limits, [Some(100), Some(100), Some(50)]);
}

#[tokio::test]
async fn the_callers_skip_and_limit_start_and_size_the_pages() {
    let (server, client, requests) = serve_groups(1_000, false).await;
    let groups = client
        .user_groups()
        .list_all()
        .skip(900)
        .limit(40)
        .stream()
        .all()
        .await
        .unwrap();
    assert_eq!(groups.len(), 100);
    assert_eq!(groups[0].id.as_deref(), Some("g00900"));
    // 40 + 40 + 20 (short).
    assert_eq!(requests.load(Ordering::SeqCst), 3);
    let skips: Vec<Option<usize>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| query(r, "skip"))
        .collect();
    assert_eq!(skips, [Some(900), Some(940), Some(980)]);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_that_error() {
    let (server, client) = start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"message": "no"})))
        .mount(&server)
        .await;
    let result = client.user_groups().list_all().stream().all().await;
    let error = result.expect_err("a 403 page fails the stream");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
}

/// Token paging: `pageToken` in, `nextPageToken` out, until no token comes back.
struct TokenPages;

impl Respond for TokenPages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let token = request
            .url
            .query_pairs()
            .find(|(key, _)| key == "pageToken")
            .map(|(_, value)| value.into_owned());
        let (users, next) = match token.as_deref() {
            None => (
                json!([{"primaryEmail": "a@x.com"}, {"primaryEmail": "b@x.com"}]),
                json!("t1"),
            ),
            Some("t1") => (json!([{"primaryEmail": "c@x.com"}]), json!("t2")),
            Some("t2") => (json!([{"primaryEmail": "d@x.com"}]), json!("")),
            Some(other) => panic!("unexpected token {other}"),
        };
        ResponseTemplate::new(200).set_body_json(json!({"users": users, "nextPageToken": next}))
    }
}

/// A server answering the G Suite import list with [`TokenPages`].
async fn start_token_pages() -> (wiremock::MockServer, jumpcloud_sdk::Client) {
    let (server, client) = start().await;
    Mock::given(method("GET"))
        .and(path("/gsuites/gs-1/import/users"))
        .respond_with(TokenPages)
        .mount(&server)
        .await;
    (server, client)
}

#[tokio::test]
async fn token_paging_follows_next_page_token_to_the_end() {
    let (server, client) = start_token_pages().await;
    let users = client
        .g_suite()
        .list_import_users("gs-1")
        .stream()
        .all()
        .await
        .unwrap();
    let emails: Vec<String> = users.into_iter().filter_map(|u| u.primary_email).collect();
    assert_eq!(emails, ["a@x.com", "b@x.com", "c@x.com", "d@x.com"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn token_paging_resumes_from_a_token_the_caller_set() {
    let (server, client) = start_token_pages().await;
    let users = client
        .g_suite()
        .list_import_users("gs-1")
        .page_token("t1")
        .stream()
        .all()
        .await
        .unwrap();
    let emails: Vec<String> = users.into_iter().filter_map(|u| u.primary_email).collect();
    assert_eq!(emails, ["c@x.com", "d@x.com"]);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn pages_come_a_page_at_a_time_and_try_for_each_sees_every_item() {
    let (_server, client, requests) = serve_groups(250, false).await;
    let mut stream = client.user_groups().list_all().stream().max_items(230);
    let mut sizes = Vec::new();
    while let Some(page) = stream.next_page().await {
        sizes.push(page.unwrap().len());
    }
    assert_eq!(sizes, [100, 100, 30]);
    assert_eq!(requests.load(Ordering::SeqCst), 3);

    let mut seen = 0;
    client
        .user_groups()
        .list_all()
        .stream()
        .try_for_each(|group| {
            assert!(group.id.is_some());
            seen += 1;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(seen, 250);
}
