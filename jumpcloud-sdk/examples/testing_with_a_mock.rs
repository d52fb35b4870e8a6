//! Testing your own code without a network (feature `test-util`): a local mock answers what
//! you mount and records what your code sent.
//!
//! `cargo run --example testing_with_a_mock --features test-util`
use jumpcloud_sdk::test_util::MockJumpCloud;
use jumpcloud_sdk::{Client, Method};
use serde_json::json;

/// The code under test: how many groups have "eng" in their name.
async fn engineering_groups(client: &Client) -> Result<usize, jumpcloud_sdk::Error> {
    let groups = client.user_groups().list_all().stream().all().await?;
    Ok(groups
        .iter()
        .filter(|g| g.name.as_deref().is_some_and(|n| n.contains("eng")))
        .count())
}

#[tokio::main]
async fn main() -> Result<(), jumpcloud_sdk::Error> {
    let mock = MockJumpCloud::start().await;
    mock.on(
        Method::GET,
        "/usergroups",
        200,
        json!([{"id": "1", "name": "eng-backend"}, {"id": "2", "name": "sales"}]),
    )
    .await;
    let count = engineering_groups(&mock.client()).await?;
    assert_eq!(count, 1);
    let sent = mock.received().await;
    assert_eq!(sent[0].path, "/usergroups");
    println!(
        "engineering groups: {count}; the code under test sent {} request(s)",
        sent.len()
    );
    Ok(())
}
