//! `cargo xtask fetch-spec`: download the documents and check they are the ones the committed
//! code was generated from.

use std::fs;
use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::failure::Failure;
use crate::spec::{self, README, SPEC_DIR};

/// Downloads each declared document (its `url`) into `spec/FILE`, verifying its sha256 against
/// `spec/README.md` unless `force` (which accepts new upstream documents, to be followed by a
/// regeneration). Every document is tried; the run fails if one did.
pub fn run(workspace: &Path, force: bool) -> Result<(), Failure> {
    let settings = crate::generate::read_settings(workspace)?;
    let recorded = spec::recorded_sha256s(workspace)?;
    let mut failures = Vec::new();
    for document in spec::declared(&settings) {
        let local = format!("{SPEC_DIR}/{}", document.file);
        let Some(url) = &document.url else {
            failures.push(format!("{local}: codegen.yaml gives the document no url"));
            continue;
        };
        let result = fetch_one(workspace, &local, url, recorded.get(&document.name), force);
        if let Err(failure) = result {
            failures.push(failure.message);
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed(failures.join("\n")))
    }
}

fn fetch_one(
    workspace: &Path,
    local: &str,
    url: &str,
    recorded: Option<&String>,
    force: bool,
) -> Result<(), Failure> {
    let target = workspace.join(local);
    let recorded = recorded.map(String::as_str);
    if recorded.is_none() && !force {
        return Err(no_recorded_sha());
    }
    if !force && already_present(&target, recorded) {
        println!("{local} is already present and matches the sha256 in {README}");
        return Ok(());
    }
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| Failure::environment(format!("creating {}: {e}", parent.display())))?;
    }
    let file_name = target
        .file_name()
        .map_or_else(|| "spec".into(), |n| n.to_string_lossy().into_owned());
    let temp = target.with_file_name(format!(".{file_name}.download-{}", std::process::id()));
    download("curl", url, &temp, local)?;
    match install(&temp, &target, recorded, force)? {
        Installed::Verified { sha } => {
            println!("fetched {local} from {url} (sha256 {sha}, as recorded in {README})");
        }
        Installed::Accepted { sha } => println!(
            "fetched {local} from {url} and accepted it with --force (sha256 {sha}, {README} \
             records {}): run cargo xtask regenerate",
            recorded.unwrap_or("none")
        ),
    }
    Ok(())
}

fn no_recorded_sha() -> Failure {
    Failure::environment(format!(
        "{README} records no sha256 to verify the download against; \
         run `cargo xtask fetch-spec --force` to accept whatever is published, \
         then `cargo xtask regenerate`"
    ))
}

fn already_present(target: &Path, recorded: Option<&str>) -> bool {
    match (fs::read(target), recorded) {
        (Ok(bytes), Some(recorded)) => spec::sha256_hex(&bytes) == recorded,
        _ => false,
    }
}

/// Runs `program` (curl) to download `url` to `dest`. curl's own error goes to stderr; a failed
/// download leaves no partial file.
pub fn download(program: &str, url: &str, dest: &Path, local: &str) -> Result<(), Failure> {
    let status = Command::new(program)
        .args(["-fsSL", "--retry", "2", "-o"])
        .arg(dest)
        .arg(url)
        .stdin(Stdio::null())
        .status();
    match status {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Failure::environment(format!(
            "`{program}` was not found; install curl, or download {url} to {local} yourself \
             (or pass --spec PATH to the other commands)"
        ))),
        Err(e) => Err(Failure::environment(format!(
            "could not run `{program}`: {e}"
        ))),
        Ok(status) if status.success() => Ok(()),
        Ok(status) => {
            let _ = fs::remove_file(dest);
            Err(Failure::environment(format!(
                "`{program} -fsSL {url}` failed ({status}); check the network connection, or \
                 download the document to {local} yourself"
            )))
        }
    }
}

/// What [`install`] put in place.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    /// The document's sha256 matches `spec/README.md`.
    Verified { sha: String },
    /// A different document, accepted because of `--force`.
    Accepted { sha: String },
}

/// Moves the downloaded `temp` file to `target` if its sha256 is `recorded` (or `force`);
/// otherwise deletes it and leaves `target` as it was.
pub fn install(
    temp: &Path,
    target: &Path,
    recorded: Option<&str>,
    force: bool,
) -> Result<Installed, Failure> {
    let bytes = fs::read(temp).map_err(|e| {
        Failure::environment(format!("reading the download {}: {e}", temp.display()))
    })?;
    let sha = spec::sha256_hex(&bytes);
    let installed = match recorded {
        Some(recorded) if recorded == sha => Installed::Verified { sha },
        _ if force => Installed::Accepted { sha },
        None => {
            let _ = fs::remove_file(temp);
            return Err(no_recorded_sha());
        }
        Some(recorded) => {
            let _ = fs::remove_file(temp);
            return Err(Failure::failed(format!(
                "the downloaded document has sha256 {sha}, but {README} records {recorded}: the \
                 published document changed. {} was left as it was. To accept the new \
                 document run `cargo xtask fetch-spec --force`, then `cargo xtask regenerate`.",
                target.display()
            )));
        }
    };
    fs::rename(temp, target).map_err(|e| {
        Failure::environment(format!(
            "moving {} to {}: {e}",
            temp.display(),
            target.display()
        ))
    })?;
    Ok(installed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readme::SPEC_URL;
    use crate::testutil::TempDir;

    #[test]
    fn matching_download_is_installed() {
        let tmp = TempDir::new("fetch-match");
        let (temp, target) = (tmp.path(".dl"), tmp.path("spec.yaml"));
        fs::write(&temp, "doc").unwrap();
        let sha = spec::sha256_hex(b"doc");
        assert_eq!(
            install(&temp, &target, Some(&sha), false),
            Ok(Installed::Verified { sha: sha.clone() })
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "doc");
        assert!(!temp.exists());
    }

    #[test]
    fn mismatching_download_is_rejected_and_removed() {
        let tmp = TempDir::new("fetch-mismatch");
        let (temp, target) = (tmp.path(".dl"), tmp.path("spec.yaml"));
        fs::write(&temp, "new doc").unwrap();
        fs::write(&target, "old doc").unwrap();
        let old = spec::sha256_hex(b"old doc");
        let err = install(&temp, &target, Some(&old), false).unwrap_err();
        assert_eq!(err.code, 1);
        assert!(
            err.message.contains(&old) && err.message.contains("--force"),
            "{err}"
        );
        assert!(!temp.exists(), "the download is deleted");
        assert_eq!(
            fs::read_to_string(&target).unwrap(),
            "old doc",
            "the old file is kept"
        );
    }

    #[test]
    fn force_accepts_a_new_document() {
        let tmp = TempDir::new("fetch-force");
        let (temp, target) = (tmp.path(".dl"), tmp.path("spec.yaml"));
        fs::write(&temp, "new doc").unwrap();
        let sha = spec::sha256_hex(b"new doc");
        let old = spec::sha256_hex(b"old doc");
        assert_eq!(
            install(&temp, &target, Some(&old), true),
            Ok(Installed::Accepted { sha })
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new doc");
    }

    #[test]
    fn no_recorded_sha_needs_force() {
        let tmp = TempDir::new("fetch-norecord");
        let (temp, target) = (tmp.path(".dl"), tmp.path("spec.yaml"));
        fs::write(&temp, "doc").unwrap();
        let err = install(&temp, &target, None, false).unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.contains("--force"), "{err}");
        assert!(!target.exists());
        fs::create_dir_all(tmp.path("jumpcloud-sdk")).unwrap();
        fs::write(tmp.path("jumpcloud-sdk/codegen.yaml"), "{}\n").unwrap();
        let err = run(&tmp.0, false).unwrap_err();
        assert!(err.message.contains("records no sha256"), "{err}");
    }

    #[test]
    fn missing_download_is_an_error() {
        let tmp = TempDir::new("fetch-missing");
        let err = install(&tmp.path("absent"), &tmp.path("spec.yaml"), None, true).unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.contains("absent"), "{err}");
    }

    #[test]
    fn missing_curl_is_reported() {
        let tmp = TempDir::new("fetch-nocurl");
        let err = download(
            "xtask-test-no-such-curl",
            SPEC_URL,
            &tmp.path("dl"),
            "spec/a.yaml",
        )
        .unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.contains("install curl"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn failing_curl_leaves_no_partial_file() {
        let tmp = TempDir::new("fetch-fail");
        let dest = tmp.path("dl");
        fs::write(&dest, "partial").unwrap();
        let err = download("false", SPEC_URL, &dest, "spec/a.yaml").unwrap_err();
        assert_eq!(err.code, 2);
        assert!(err.message.contains("failed"), "{err}");
        assert!(!dest.exists());
    }
}
