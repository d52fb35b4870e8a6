//! What a caller does with a 404 and a 429: the status, the server's message, `Retry-After`
//! and the request id are on the error. (The client retries a 429 by itself, honouring
//! `Retry-After`; this example turns retries off to show the error.)
//!
//! `JUMPCLOUD_API_KEY=… cargo run --example handle_errors`
use jumpcloud_sdk::{ClientBuilder, Error, RetryPolicy};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = ClientBuilder::from_env()?
        .retry(RetryPolicy::none())
        .build()?;
    for id in ["no-such-group", "busy-group"] {
        match client.user_groups().get_details(id).await {
            Ok(group) => println!("found {:?}", group.name),
            Err(error) => match error.as_api() {
                Some(api) if api.status() == 404 => {
                    println!("404: {}", api.message().unwrap_or("no message"))
                }
                Some(api) if api.status() == 429 => {
                    println!("429: retry in {:?}", api.retry_after().unwrap_or_default())
                }
                _ => return Err(error),
            },
        }
    }
    Ok(())
}
