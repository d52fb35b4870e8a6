//! `cargo xtask test [ARGS…]`: every test, with what the tests need installed first. The
//! contract test's Prism comes from npm, pinned by `package-lock.json`: `npm ci` runs when
//! `node_modules` is missing or older than the lock file, then `cargo test --workspace ARGS…`.
use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use crate::failure::Failure;

/// The installed tree npm writes beside the packages; its age tells whether the lock changed.
const INSTALLED: &str = "node_modules/.package-lock.json";

pub fn run(workspace: &Path, args: &[OsString]) -> Result<(), Failure> {
    if npm_install_needed(workspace) {
        eprintln!("==> npm ci (the Prism mock server the contract test calls)");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(workspace)
            .status()
            .map_err(|e| {
                Failure::environment(format!(
                    "cannot run npm ({e}); install Node.js and npm, then run this again"
                ))
            })?;
        if !status.success() {
            return Err(Failure::environment(format!("npm ci failed ({status})")));
        }
    }
    let status = Command::new(crate::bench::compile::cargo_program())
        .args(["test", "--workspace"])
        .args(args)
        .current_dir(workspace)
        .status()
        .map_err(|e| Failure::environment(format!("cannot run cargo: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::failed(format!("cargo test failed ({status})")))
    }
}

/// Whether `npm ci` must run: nothing installed, or the lock file is newer than the install.
fn npm_install_needed(workspace: &Path) -> bool {
    let modified = |path: &str| std::fs::metadata(workspace.join(path)).and_then(|m| m.modified());
    match (modified(INSTALLED), modified("package-lock.json")) {
        (Ok(installed), Ok(lock)) => lock > installed,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn npm_runs_only_when_the_install_is_missing_or_stale() {
        let tmp = TempDir::new("npm-needed");
        std::fs::write(tmp.path("package-lock.json"), "{}").unwrap();
        assert!(npm_install_needed(&tmp.0));
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::create_dir_all(tmp.path("node_modules")).unwrap();
        std::fs::write(tmp.path(INSTALLED), "{}").unwrap();
        assert!(!npm_install_needed(&tmp.0));
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(tmp.path("package-lock.json"), "{ }").unwrap();
        assert!(npm_install_needed(&tmp.0));
    }
}
