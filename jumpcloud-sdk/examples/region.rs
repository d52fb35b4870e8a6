//! JumpCloud's regions: each API's base URL in each, and a client in the EU region (or
//! `JUMPCLOUD_REGION`).
//!
//! `JUMPCLOUD_API_KEY=… JUMPCLOUD_REGION=eu cargo run --example region`
use jumpcloud_sdk::{Client, ClientBuilder, Region, Service};

#[tokio::main]
async fn main() -> Result<(), jumpcloud_sdk::Error> {
    for region in Region::ALL {
        let client = Client::builder()
            .api_key("unused")
            .region(*region)
            .build()?;
        println!("{}: v2 at {}", region.code(), client.base_url(Service::V2));
    }
    // From the environment, with the EU region unless JUMPCLOUD_REGION says otherwise.
    let mut builder = ClientBuilder::from_env()?;
    if std::env::var_os("JUMPCLOUD_REGION").is_none() {
        builder = builder.region(Region::Eu);
    }
    let client = builder.build()?;
    let groups = client.user_groups().list_all().limit(1).await?;
    println!(
        "{} region: {} group(s) on the first page",
        client.region().code(),
        groups.len()
    );
    Ok(())
}
