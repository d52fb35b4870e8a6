//! Downloads the first Directory Insights report's first artifact (CSV or JSON, as bytes) to a
//! file.
//!
//! `JUMPCLOUD_API_KEY=… cargo run --example download_report -- report.csv`
use jumpcloud_sdk::{Client, Error};

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
    let content = client
        .directory_insights()
        .get_reports_artifact_content(&report, &artifact)
        .await?;
    std::fs::write(&out, &content)
        .map_err(|e| Error::Config(format!("cannot write {out}: {e}")))?;
    println!("report {report}: {} bytes written to {out}", content.len());
    Ok(())
}
