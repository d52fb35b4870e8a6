//! Region selection: for every region and each of the three APIs, the host a request is sent
//! to (seen by a loopback proxy as the request's `CONNECT` line) and the base URL its path is
//! appended to. The expected hosts are JumpCloud's, written out here, not read from the
//! documents the SDK was generated from.
use jumpcloud_sdk::{Client, Region, RetryPolicy, Service};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// Each region's hosts: the console (API v1 and v2) and Directory Insights'.
const HOSTS: &[(&str, &str, &str)] = &[
    ("us", "console.jumpcloud.com", "api.jumpcloud.com"),
    ("eu", "console.eu.jumpcloud.com", "api.eu.jumpcloud.com"),
    ("in", "console.in.jumpcloud.com", "api.in.jumpcloud.com"),
];

/// An HTTP proxy on loopback that records the first line of each request (`CONNECT host:443`
/// for an https URL) and refuses it, so nothing leaves the machine.
fn recording_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let text = String::from_utf8_lossy(&head);
            let line = text.lines().next().unwrap_or_default().to_owned();
            record.lock().expect("not poisoned").push(line);
            let _ = stream.write_all(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
        }
    });
    (format!("http://{address}"), seen)
}

fn client(region: Region, proxy: &str) -> Client {
    let http = reqwest::Client::builder()
        .proxy(reqwest::Proxy::all(proxy).expect("a proxy URL"))
        .build()
        .expect("an HTTP client");
    Client::builder()
        .api_key("region-test-key")
        .region(region)
        .retry(RetryPolicy::none())
        .http_client(http)
        .build()
        .expect("the client builds")
}

#[tokio::test]
async fn each_region_sends_each_api_to_its_own_host() {
    assert_eq!(
        Region::ALL.iter().map(|r| r.code()).collect::<Vec<_>>(),
        ["us", "eu", "in"]
    );
    assert_eq!(Region::default(), Region::Us);
    let (proxy, seen) = recording_proxy();
    for (code, console, insights) in HOSTS {
        let region = Region::from_code(code).expect("a region of the documents");
        let client = client(region, &proxy);
        assert_eq!(
            client.base_url(Service::V2),
            format!("https://{console}/api/v2")
        );
        assert_eq!(
            client.base_url(Service::V1),
            format!("https://{console}/api")
        );
        assert_eq!(
            client.base_url(Service::DirectoryInsights),
            format!("https://{insights}/insights/directory/v1")
        );

        seen.lock().unwrap().clear();
        // One operation of each document; the proxy refuses, so each call fails.
        assert!(client.user_groups().list_all().await.is_err());
        assert!(client.systemusers().list().await.is_err());
        assert!(client.directory_insights().list_reports().await.is_err());
        let lines = seen.lock().unwrap().clone();
        assert_eq!(
            lines,
            [
                format!("CONNECT {console}:443 HTTP/1.1"),
                format!("CONNECT {console}:443 HTTP/1.1"),
                format!("CONNECT {insights}:443 HTTP/1.1"),
            ],
            "region {code}"
        );
    }
}

#[test]
fn a_base_url_for_one_service_overrides_the_region_for_it_only() {
    let client = Client::builder()
        .api_key("k")
        .region(Region::In)
        .base_url_for(
            Service::DirectoryInsights,
            "https://insights.proxy.example/di/",
        )
        .build()
        .expect("the client builds");
    assert_eq!(
        client.base_url(Service::DirectoryInsights),
        "https://insights.proxy.example/di"
    );
    assert_eq!(
        client.base_url(Service::V2),
        "https://console.in.jumpcloud.com/api/v2"
    );
    let everywhere = Client::builder()
        .api_key("k")
        .region(Region::Eu)
        .base_url("https://proxy.example")
        .base_url_for(Service::V1, "https://v1.proxy.example")
        .build()
        .expect("the client builds");
    assert_eq!(everywhere.base_url(Service::V2), "https://proxy.example");
    assert_eq!(everywhere.base_url(Service::V1), "https://v1.proxy.example");
}
