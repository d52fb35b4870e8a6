//! Reads every user group a page at a time (API v2), then counts them item by item.
//!
//! `JUMPCLOUD_API_KEY=… cargo run --example page_through_groups`
use jumpcloud_sdk::Client;

#[tokio::main]
async fn main() -> Result<(), jumpcloud_sdk::Error> {
    let client = Client::from_env()?;
    let mut groups = client.user_groups().list_all().limit(100).stream();
    let mut pages = 0;
    let mut names = Vec::new();
    while let Some(page) = groups.next_page().await {
        pages += 1;
        names.extend(page?.into_iter().filter_map(|group| group.name));
    }
    println!(
        "{} groups in {pages} pages; first: {:?}",
        names.len(),
        names.first()
    );
    Ok(())
}
