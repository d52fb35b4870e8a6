//! A Linux device authenticating as itself (System Context: the agent's system key and
//! private key sign each request) and reading its own record (API v1).
//!
//! `JUMPCLOUD_SYSTEM_KEY=… JUMPCLOUD_PRIVATE_KEY_FILE=/opt/jc/client.key cargo run --example system_context`
use jumpcloud_sdk::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let var =
        |name: &str| std::env::var(name).map_err(|_| Error::Config(format!("{name} is not set")));
    let system_key = var("JUMPCLOUD_SYSTEM_KEY")?;
    let pem = std::fs::read_to_string(var("JUMPCLOUD_PRIVATE_KEY_FILE")?)
        .map_err(|e| Error::Config(format!("cannot read the private key: {e}")))?;
    let mut builder = Client::builder().system_context(&system_key, &pem);
    if let Ok(url) = std::env::var("JUMPCLOUD_BASE_URL") {
        builder = builder.base_url(url).allow_http();
    }
    let client = builder.build()?;
    let system = client.systems().get(&system_key).await?;
    println!("this system: {:?} ({:?})", system.hostname, system.os);
    Ok(())
}
