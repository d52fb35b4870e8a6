//! Downloads the first Directory Insights report's first artifact (CSV or JSON) to a file,
//! chunk by chunk: the report is never held in memory whole.
//!
//! `JUMPCLOUD_API_KEY=… cargo run --example download_report -- report.csv`
use jumpcloud_sdk::{Client, Error};
use std::io::Write as _;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;
    let out = std::env::args().nth(1).unwrap_or_else(|| {
        std::env::temp_dir()
            .join("jumpcloud-report.csv")
            .display()
            .to_string()
    });
    let reports = client.directory_insights().list_reports().await?;
    let Some((report, artifact)) = reports.iter().find_map(|report| {
        let artifact = report.artifacts.as_ref()?.first()?.id.clone()?;
        Some((report.id.clone()?, artifact))
    }) else {
        println!("no report with an artifact yet");
        return Ok(());
    };
    let mut download = client
        .directory_insights()
        .get_reports_artifact_content(&report, &artifact)
        .download()
        .await?;
    let cannot_write = |e: std::io::Error| Error::Config(format!("cannot write {out}: {e}"));
    let mut file = std::fs::File::create(&out).map_err(cannot_write)?;
    let mut written = 0;
    while let Some(chunk) = download.chunk().await? {
        file.write_all(&chunk).map_err(cannot_write)?;
        written += chunk.len();
    }
    println!(
        "report {report} ({}, suggested name {}): {written} bytes written to {out}",
        download.content_type().unwrap_or("no media type"),
        download.file_name().as_deref().unwrap_or("none"),
    );
    Ok(())
}
