//! Streams both ways against a scripted server on 127.0.0.1: a download read chunk by chunk
//! (past the buffered-response limit, with its media type and file name, ending on a stall),
//! and uploads from a file (sent again on a retry) and from a stream (sent once).
mod common;

use bytes::Bytes;
use common::scripted::{json, response, Reply, ScriptedServer};
use common::API_KEY;
use jumpcloud_sdk::{Client, Error, FilePart, RetryPolicy};
use std::time::{Duration, Instant};

const MIB: usize = 1 << 20;

fn client(server: &ScriptedServer, max_response_bytes: u64) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(&server.uri)
        .allow_http()
        .retry(RetryPolicy::new().backoff(Duration::from_millis(5), Duration::from_millis(20)))
        .timeout(Duration::from_secs(20))
        .read_timeout(Duration::from_millis(200))
        .max_response_bytes(max_response_bytes)
        .build()
        .expect("the test client builds")
}

/// A chunked CSV report of `1 + 64 KiB × chunks` bytes, offered as `report.csv`.
fn report(chunks: usize) -> (Reply, usize) {
    let chunk = b"ada,2026-11-30\n".repeat(64 * 1024 / 15);
    let size = 1 + chunk.len() * chunks;
    let reply = Reply::Chunked {
        head: "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\n\
               content-disposition: attachment; filename=\"../report.csv\""
            .into(),
        first: b"u".to_vec(),
        chunk,
        repeat: chunks,
        last: Vec::new(),
    };
    (reply, size)
}

#[tokio::test]
async fn a_download_streams_a_body_larger_than_the_buffered_limit() {
    // 16 MiB through a client whose buffered responses stop at 1 MiB.
    let server = ScriptedServer::start(|_, _| report(256).0).await;
    let expected = report(256).1;
    let client = client(&server, MIB as u64);
    let content = || {
        client
            .directory_insights()
            .get_reports_artifact_content("r1", "a1")
    };

    let mut download = content().download().await.expect("the head arrives");
    assert_eq!(download.status(), 200);
    assert_eq!(download.content_type(), Some("text/csv"));
    // The server's `../report.csv` cannot leave the directory it is saved in.
    assert_eq!(download.file_name().as_deref(), Some("report.csv"));
    assert_eq!(
        download.content_length(),
        None,
        "chunked: no declared length"
    );
    let (mut size, mut chunks, mut largest) = (0, 0, 0);
    while let Some(chunk) = download.chunk().await.expect("every chunk arrives") {
        size += chunk.len();
        chunks += 1;
        largest = largest.max(chunk.len());
    }
    assert_eq!(size, expected);
    assert!(chunks > 16, "{chunks} chunks: the body came in pieces");
    assert!(largest < MIB, "no chunk near the whole body ({largest} B)");

    // The same body, buffered, is refused past the limit: by `.await` and by `bytes()`.
    let buffered = content().await;
    assert!(
        matches!(buffered, Err(Error::TooLarge { limit, .. }) if limit == MIB as u64),
        "{buffered:?}"
    );
    let collected = content().download().await.expect("head").bytes().await;
    assert!(
        matches!(collected, Err(Error::TooLarge { .. })),
        "{collected:?}"
    );
}

#[tokio::test]
async fn a_download_retries_until_its_body_starts_and_reads_errors_whole() {
    let server = ScriptedServer::start(|index, _| match index {
        0 => Reply::Send(json(503, r#"{"message":"busy"}"#)),
        1 => Reply::Send(response(
            200,
            &[("content-type", "application/pdf")],
            "%PDF-1.7 ...",
        )),
        _ => Reply::Send(json(404, r#"{"message":"artifact a2 does not exist"}"#)),
    })
    .await;
    let client = client(&server, MIB as u64);
    let reports = client.directory_insights();

    let download = reports
        .get_reports_artifact_content("r1", "a1")
        .download()
        .await
        .expect("the second attempt succeeds");
    assert_eq!(server.requests().len(), 2, "the 503 was retried");
    assert_eq!(download.content_type(), Some("application/pdf"));
    assert_eq!(download.content_length(), Some(12));
    assert_eq!(download.file_name(), None);
    assert_eq!(download.bytes().await.expect("body"), "%PDF-1.7 ...");

    let missing = reports
        .get_reports_artifact_content("r1", "a2")
        .download()
        .await;
    let error = missing.expect_err("a 404 is an error");
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status(), 404);
    assert_eq!(api.message(), Some("artifact a2 does not exist"));
}

#[tokio::test]
async fn a_download_that_stalls_mid_body_ends_with_stalled_after_the_read_timeout() {
    let server = ScriptedServer::start(|_, _| {
        let whole = response(
            200,
            &[("content-type", "application/zip")],
            &"z".repeat(100),
        );
        Reply::StallAfter(whole[..whole.len() - 90].to_vec())
    })
    .await;
    let client = client(&server, MIB as u64);
    let mut download = client
        .directory_insights()
        .get_reports_artifact_content("r1", "a1")
        .download()
        .await
        .expect("the head arrives");
    let first = download.chunk().await.expect("the first 10 bytes");
    assert_eq!(first.as_deref(), Some(&b"zzzzzzzzzz"[..]));
    // The reader's own pause does not count towards the read timeout.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let stalled = download.chunk().await;
    let waited = started.elapsed();
    assert!(
        matches!(stalled, Err(Error::Stalled { idle, .. }) if idle == Duration::from_millis(200)),
        "{stalled:?}"
    );
    assert!(
        waited >= Duration::from_millis(190) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
    assert!(matches!(download.chunk().await, Ok(None)), "ended");
    assert_eq!(server.requests().len(), 1, "a started body is not retried");
}

/// A 429 with `Retry-After: 0`, then 204s: what a retried upload meets.
async fn busy_once() -> ScriptedServer {
    ScriptedServer::start(|index, _| match index {
        0 => Reply::Send(response(
            429,
            &[("retry-after", "0"), ("content-type", "application/json")],
            r#"{"message":"slow down"}"#,
        )),
        _ => Reply::Send(response(204, &[], "")),
    })
    .await
}

#[tokio::test]
async fn an_upload_from_a_file_is_read_as_sent_and_sent_whole_again_on_a_retry() {
    let contents: Vec<u8> = (0..300 * 1024).map(|i| (i % 251) as u8).collect();
    let path = std::env::temp_dir().join(format!("jc-logo-{}.png", std::process::id()));
    std::fs::write(&path, &contents).expect("write the file");
    let server = busy_once().await;
    let client = client(&server, MIB as u64);
    let result = client
        .applications()
        .post_logo("app-7")
        .image(FilePart::from_path(&path).content_type("image/png"))
        .await;
    std::fs::remove_file(&path).ok();
    result.expect("the retry succeeds");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the 429 was retried");
    let file_name = format!(
        "filename=\"{}\"",
        path.file_name().unwrap().to_string_lossy()
    );
    for request in &requests {
        assert!(
            contains(&request.body, &contents),
            "each attempt sends the whole file"
        );
        let head = String::from_utf8_lossy(&request.body[..200]).to_ascii_lowercase();
        assert!(head.contains(&file_name), "{head}");
        assert!(head.contains("content-type: image/png"), "{head}");
    }
}

#[tokio::test]
async fn an_upload_from_a_stream_is_sent_once() {
    let chunks = ["first,", "second,", "third"];
    let stream = futures_util::stream::iter(
        chunks.map(|chunk| Ok::<_, std::io::Error>(Bytes::from_static(chunk.as_bytes()))),
    );
    let server = busy_once().await;
    let client = client(&server, MIB as u64);
    let builder = client
        .applications()
        .post_logo("app-7")
        .image(FilePart::from_stream(stream, "logo.svg").length(18));
    let result = builder.clone().await;
    let error = result.expect_err("the 429 is not retried: the stream is spent");
    assert_eq!(error.as_api().map(|api| api.status().as_u16()), Some(429));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(contains(&requests[0].body, b"first,second,third"));

    let again = builder.await;
    assert!(
        matches!(&again, Err(Error::InvalidRequest(message)) if message.contains("already sent")),
        "{again:?}"
    );
    assert_eq!(server.requests().len(), 1, "nothing sent the second time");
}

#[tokio::test]
async fn an_upload_from_a_missing_file_fails_before_anything_is_sent() {
    let server = busy_once().await;
    let client = client(&server, MIB as u64);
    let result = client
        .applications()
        .post_logo("app-7")
        .image(FilePart::from_path("/nonexistent/logo.png"))
        .await;
    assert!(
        matches!(&result, Err(Error::InvalidRequest(message)) if message.contains("/nonexistent/logo.png")),
        "{result:?}"
    );
    assert_eq!(server.requests().len(), 0);
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
