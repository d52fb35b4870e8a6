//! A multi-tenant (MSP) administrator: one client, each call for one organization
//! (`x-org-id`) through `CallOptions`.
//!
//! `JUMPCLOUD_API_KEY=… JUMPCLOUD_ORG_IDS=org1,org2 cargo run --example multi_tenant`
use jumpcloud_sdk::{CallOptions, Client};

#[tokio::main]
async fn main() -> Result<(), jumpcloud_sdk::Error> {
    let client = Client::from_env()?;
    let orgs = std::env::var("JUMPCLOUD_ORG_IDS").unwrap_or_else(|_| "org-a,org-b".into());
    for org in orgs.split(',') {
        let groups = client
            .user_groups()
            .list_all()
            .options(CallOptions::new().org_id(org))
            .await?;
        println!("{org}: {} groups", groups.len());
    }
    Ok(())
}
