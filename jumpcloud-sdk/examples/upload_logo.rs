//! Uploads an application's logo from a file (API v2, `multipart/form-data`).
//!
//! `JUMPCLOUD_API_KEY=… cargo run --example upload_logo -- APPLICATION_ID logo.png`
use jumpcloud_sdk::{Client, Error, FilePart};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let mut args = std::env::args().skip(1);
    let application_id = args.next().unwrap_or_else(|| "app-1".into());
    // A file is read as it is sent (and again if the upload is retried), never held whole.
    let (logo, size) = match args.next() {
        Some(path) => {
            let size = std::fs::metadata(&path)
                .map_err(|e| Error::Config(format!("cannot read {path}: {e}")))?
                .len();
            (FilePart::from_path(path), size)
        }
        // A 1×1 transparent PNG, when no file is given.
        None => (FilePart::new(TINY_PNG, "logo.png"), TINY_PNG.len() as u64),
    };
    client
        .applications()
        .post_logo(&application_id)
        .image(logo.content_type("image/png"))
        .await?;
    println!("uploaded a {size}-byte logo to application {application_id}");
    Ok(())
}

const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0a, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];
