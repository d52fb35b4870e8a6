//! Lists the first users of the organization (API v1).
//!
//! `JUMPCLOUD_API_KEY=… cargo run --example list_users`
use jumpcloud_sdk::Client;

#[tokio::main]
async fn main() -> Result<(), jumpcloud_sdk::Error> {
    let client = Client::from_env()?;
    let page = client.systemusers().list().limit(10).await?;
    let users = page.results.unwrap_or_default();
    let names: Vec<&str> = users.iter().filter_map(|u| u.username.as_deref()).collect();
    println!(
        "{} of {} users: {}",
        users.len(),
        page.total_count.unwrap_or_default(),
        names.join(", ")
    );
    Ok(())
}
