//! The OpenAPI document the tests read, found like `cargo xtask` finds it: `$JUMPCLOUD_SPEC`,
//! else `spec/jumpcloud-v2.yaml`, else `../shared/specs/jumpcloud-v2.yaml`. It is third-party
//! data, never part of the repository, so it is read at run time.
use serde_json::Value;
use std::path::{Path, PathBuf};

const SPEC_ENV: &str = "JUMPCLOUD_SPEC";

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lies in the workspace")
        .to_path_buf()
}

/// The document's path and its content as JSON; an error says how to provide it.
pub fn load() -> Result<(PathBuf, Value), String> {
    let workspace = workspace();
    let path = match std::env::var_os(SPEC_ENV).filter(|v| !v.is_empty()) {
        Some(path) => {
            let path = PathBuf::from(path);
            if !path.is_file() {
                return Err(format!(
                    "${SPEC_ENV} names {}, which does not exist",
                    path.display()
                ));
            }
            path
        }
        None => {
            let local = workspace.join("spec/jumpcloud-v2.yaml");
            let shared = workspace.join("../shared/specs/jumpcloud-v2.yaml");
            if local.is_file() {
                local
            } else if shared.is_file() {
                shared
            } else {
                return Err(format!(
                    "no OpenAPI document found: neither {} nor {} exists. Run `cargo xtask \
                     fetch-spec`, or name a copy with the {SPEC_ENV} environment variable.",
                    local.display(),
                    shared.display()
                ));
            }
        }
    };
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let document =
        serde_yaml::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
    Ok((path, document))
}
