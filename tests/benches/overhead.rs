//! The SDK's per-call overhead: one `GET /usergroups/{id}` through the SDK against the same
//! call made with plain `reqwest` (same headers, same JSON decoding into the same model), both
//! against one keep-alive server on 127.0.0.1, in one run.
//!
//! Criterion measures each call on its own; then the headline ratio comes from paired rounds
//! (a batch of SDK calls and a batch of plain calls back to back, in alternating order), so a
//! change of load on the machine during the run weighs on both sides alike.
//!
//! `cargo bench -p tests --bench overhead`
#[path = "../tests/common/scripted.rs"]
#[allow(dead_code)]
mod scripted;

use criterion::{black_box, Criterion};
use jumpcloud_sdk::{models, Client};
use scripted::{json, Reply, ScriptedServer};
use std::path::Path;
use std::time::{Duration, Instant};

const GROUP: &str = r#"{"id":"5f1b1b1b1b1b1b1b1b1b1b1b","name":"engineering","type":"user_group","description":"All engineers","email":"eng@example.com","attributes":{"sudo":{"enabled":false,"withoutPassword":false}}}"#;
const GROUP_NAME: &str = "overhead";
const ROUNDS: usize = 41;
const CALLS_PER_BATCH: usize = 200;

struct Calls {
    sdk: Client,
    http: reqwest::Client,
    url: String,
}

impl Calls {
    async fn sdk(&self) -> models::UserGroup {
        self.sdk
            .user_groups()
            .get_details("g1")
            .await
            .expect("the call succeeds")
    }

    /// What the SDK does for this call, written directly against reqwest.
    async fn plain(&self) -> models::UserGroup {
        let response = self
            .http
            .get(&self.url)
            .header("accept", "application/json")
            .header("x-api-key", "bench-key")
            .header("x-org-id", "bench-org")
            .timeout(Duration::from_secs(60))
            .send()
            .await
            .expect("sent");
        assert!(response.status().is_success());
        let body = response.bytes().await.expect("body");
        serde_json::from_slice(&body).expect("decodes")
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime.block_on(ScriptedServer::start(|_, _| Reply::Send(json(200, GROUP))));
    let calls = Calls {
        sdk: Client::builder()
            .api_key("bench-key")
            .org_id("bench-org")
            .base_url(&server.uri)
            .allow_http()
            .build()
            .expect("client"),
        http: reqwest::Client::builder()
            .user_agent("bench")
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest client"),
        url: format!("{}/usergroups/g1", server.uri),
    };

    let output = Path::new(env!("CARGO_TARGET_TMPDIR")).join("criterion");
    let mut criterion = Criterion::default()
        .output_directory(&output)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    {
        let mut group = criterion.benchmark_group(GROUP_NAME);
        group.bench_function("reqwest", |b| {
            b.iter(|| black_box(runtime.block_on(calls.plain())))
        });
        group.bench_function("sdk", |b| {
            b.iter(|| black_box(runtime.block_on(calls.sdk())))
        });
        group.finish();
    }
    criterion.final_summary();

    // Paired rounds: per-call time of each side in each round, and their ratio.
    let batch = |sdk: bool| -> f64 {
        let started = Instant::now();
        runtime.block_on(async {
            for _ in 0..CALLS_PER_BATCH {
                if sdk {
                    black_box(calls.sdk().await);
                } else {
                    black_box(calls.plain().await);
                }
            }
        });
        started.elapsed().as_secs_f64() * 1e6 / CALLS_PER_BATCH as f64
    };
    let mut rounds: Vec<(f64, f64)> = (0..ROUNDS)
        .map(|round| {
            if round % 2 == 0 {
                let sdk = batch(true);
                (sdk, batch(false))
            } else {
                let plain = batch(false);
                (batch(true), plain)
            }
        })
        .collect();
    rounds.sort_by(|a, b| (a.0 / a.1).total_cmp(&(b.0 / b.1)));
    let (sdk, plain) = rounds[ROUNDS / 2];
    let quartiles = (
        rounds[ROUNDS / 4].0 / rounds[ROUNDS / 4].1,
        rounds[3 * ROUNDS / 4].0 / rounds[3 * ROUNDS / 4].1,
    );
    println!(
        "paired rounds ({ROUNDS} × {CALLS_PER_BATCH} calls each side): median round sdk {sdk:.1} µs, \
         reqwest {plain:.1} µs per call; ratio sdk/reqwest = {:.3} (quartiles {:.3}–{:.3}; \
         goal ≤ 1.10); the server accepted {} TCP connections",
        sdk / plain,
        quartiles.0,
        quartiles.1,
        server.connections()
    );
}
