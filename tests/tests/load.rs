//! Load over loopback: 2,000 calls from 100 concurrent tasks through one client, with no
//! failure, and the connections reused (the server counts the TCP connections it accepted).
mod common;

use common::scripted::{json, Reply, ScriptedServer};
use common::API_KEY;
use jumpcloud_sdk::Client;
use std::io::Write;
use std::time::{Duration, Instant};

const TASKS: usize = 100;
const CALLS_PER_TASK: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_calls_from_a_hundred_tasks_reuse_connections() {
    let server =
        ScriptedServer::start(|_, _| Reply::Send(json(200, r#"{"id":"g1","name":"engineering"}"#)))
            .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(&server.uri)
        .allow_http()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds");

    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let client = client.clone();
            tokio::spawn(async move {
                let mut failures = Vec::new();
                for call in 0..CALLS_PER_TASK {
                    let id = format!("g-{task}-{call}");
                    if let Err(error) = client.user_groups().get_details(id).await {
                        failures.push(error.to_string());
                    }
                }
                failures
            })
        })
        .collect();
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.expect("the task does not panic"));
    }
    let elapsed = started.elapsed();

    let calls = TASKS * CALLS_PER_TASK;
    let line = format!(
        "\nload: {calls} calls from {TASKS} tasks, {} failures, {} requests served, \
         {} TCP connections accepted, {:.2} s ({:.0} calls/s)\n",
        failures.len(),
        server.requests().len(),
        server.connections(),
        elapsed.as_secs_f64(),
        calls as f64 / elapsed.as_secs_f64()
    );
    let _ = std::io::stderr().write_all(line.as_bytes());

    assert!(
        failures.is_empty(),
        "{} failures: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert_eq!(
        server.requests().len(),
        calls,
        "one request per call: no retry was needed"
    );
    // One connection per concurrent task, plus the few that hyper's pool opens when a task
    // asks again before its previous connection is back in the pool: far below one per call.
    assert!(
        server.connections() <= 2 * TASKS,
        "connections are reused: {} for {calls} calls",
        server.connections()
    );
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
}
