//! Finding the OpenAPI document and identifying it by sha256.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::failure::Failure;

/// The document's place in the workspace (gitignored).
pub const LOCAL_SPEC: &str = "spec/jumpcloud-v2.yaml";
/// The document's file name, as recorded in `spec/README.md`.
pub const LOCAL_SPEC_NAME: &str = "jumpcloud-v2.yaml";
/// The generated description of the document, with its sha256 (committed).
pub const README: &str = "spec/README.md";
/// Where a checkout next to the shared data directory finds the document, relative to the
/// workspace's parent directory.
const SHARED_SPEC: &str = "shared/specs/jumpcloud-v2.yaml";
/// Environment variable naming the document.
pub const SPEC_ENV: &str = "JUMPCLOUD_SPEC";

/// The workspace root: the parent of xtask's manifest directory. Cargo sets
/// `CARGO_MANIFEST_DIR` when it runs xtask; the compile-time value covers running the binary
/// directly.
pub fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    match manifest.parent() {
        Some(parent) => parent.to_path_buf(),
        None => manifest,
    }
}

/// Where the document is, decided without touching the disk (except through `is_file`).
#[derive(Debug, PartialEq, Eq)]
pub enum Located {
    /// Use this file.
    Found(PathBuf),
    /// `spec/jumpcloud-v2.yaml` is missing but the shared copy exists: copy it first.
    Shared { shared: PathBuf, local: PathBuf },
}

/// Applies the lookup order `--spec`, `$JUMPCLOUD_SPEC`, `spec/jumpcloud-v2.yaml`, then the
/// shared copy. An explicitly named file that does not exist is an error rather than a reason
/// to fall through, so a typo is never silently replaced by another document.
pub fn locate(
    flag: Option<&Path>,
    env: Option<&OsStr>,
    workspace: &Path,
    is_file: &dyn Fn(&Path) -> bool,
) -> Result<Located, Failure> {
    if let Some(path) = flag {
        return explicit(path, "--spec", is_file);
    }
    if let Some(path) = env.filter(|value| !value.is_empty()) {
        return explicit(Path::new(path), &format!("${SPEC_ENV}"), is_file);
    }
    let local = workspace.join(LOCAL_SPEC);
    if is_file(&local) {
        return Ok(Located::Found(local));
    }
    let shared = shared_spec(workspace);
    if is_file(&shared) {
        return Ok(Located::Shared { shared, local });
    }
    Err(Failure::environment(format!(
        "no OpenAPI document found: {LOCAL_SPEC} does not exist, nor does {}.\n\
         Run `cargo xtask fetch-spec` to download it, or name a copy with `--spec PATH` or \
         the {SPEC_ENV} environment variable.",
        display(&shared, workspace)
    )))
}

fn explicit(
    path: &Path,
    source: &str,
    is_file: &dyn Fn(&Path) -> bool,
) -> Result<Located, Failure> {
    if is_file(path) {
        Ok(Located::Found(path.to_path_buf()))
    } else {
        Err(Failure::environment(format!(
            "{source} names {}, which is not a file (run `cargo xtask fetch-spec` to download \
             the document)",
            path.display()
        )))
    }
}

fn shared_spec(workspace: &Path) -> PathBuf {
    workspace.parent().unwrap_or(workspace).join(SHARED_SPEC)
}

/// Finds the document from the command line and the environment, copying the shared copy into
/// `spec/` when that is the one found, so `check` and `regenerate` work in a fresh checkout.
pub fn resolve(flag: Option<&Path>, workspace: &Path) -> Result<PathBuf, Failure> {
    let env = std::env::var_os(SPEC_ENV);
    match locate(flag, env.as_deref(), workspace, &Path::is_file)? {
        Located::Found(path) => Ok(path),
        Located::Shared { shared, local } => {
            copy_atomically(&shared, &local).map_err(|e| {
                Failure::environment(format!("copying {} to {LOCAL_SPEC}: {e}", shared.display()))
            })?;
            println!(
                "copied {} to {LOCAL_SPEC} (gitignored, never committed)",
                display(&shared, workspace)
            );
            Ok(local)
        }
    }
}

/// Copies through a temporary sibling so an interrupted copy never leaves a truncated document.
fn copy_atomically(from: &Path, to: &Path) -> io::Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    let temp = to.with_extension(format!("yaml.copy-{}", std::process::id()));
    let result = fs::copy(from, &temp).and_then(|_| fs::rename(&temp, to));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Reads the document.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    fs::read(path).map_err(|e| Failure::environment(format!("reading {}: {e}", path.display())))
}

/// The document's bytes as text.
pub fn utf8(path: &Path, bytes: Vec<u8>) -> Result<String, Failure> {
    String::from_utf8(bytes)
        .map_err(|_| Failure::failed(format!("error: {} is not UTF-8 text", path.display())))
}

/// Reads the document as text.
pub fn read_text(path: &Path) -> Result<String, Failure> {
    utf8(path, read(path)?)
}

/// A project file's text, `None` when it does not exist (yet).
pub fn read_optional(path: &Path) -> Result<Option<String>, Failure> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Failure::environment(format!(
            "reading {}: {e}",
            path.display()
        ))),
    }
}

/// Lowercase hex sha256, the identity recorded in `spec/README.md`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The sha256 recorded in `spec/README.md`; `None` if the file or its sha256 row is missing.
pub fn recorded_sha256(workspace: &Path) -> Result<Option<String>, Failure> {
    let text = read_optional(&workspace.join(README))?;
    Ok(text.and_then(|text| crate::readme::parse_sha256(&text)))
}

/// `path` for messages: relative to the workspace (or `../…`) when it is inside or beside it.
pub fn display(path: &Path, workspace: &Path) -> String {
    if let Ok(rel) = path.strip_prefix(workspace) {
        return rel.display().to_string();
    }
    if let Some(rel) = workspace
        .parent()
        .and_then(|parent| path.strip_prefix(parent).ok())
    {
        return Path::new("..").join(rel).display().to_string();
    }
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ws() -> PathBuf {
        PathBuf::from("/w/main")
    }

    fn files(paths: &[&str]) -> impl Fn(&Path) -> bool {
        let set: BTreeSet<PathBuf> = paths.iter().map(PathBuf::from).collect();
        move |path| set.contains(path)
    }

    #[test]
    fn lookup_order() {
        let all = files(&[
            "/x/flag.yaml",
            "/x/env.yaml",
            "/w/main/spec/jumpcloud-v2.yaml",
        ]);
        let flag = Some(Path::new("/x/flag.yaml"));
        let env = Some(OsStr::new("/x/env.yaml"));
        let found = |p: &str| Ok(Located::Found(PathBuf::from(p)));
        assert_eq!(locate(flag, env, &ws(), &all), found("/x/flag.yaml"));
        assert_eq!(locate(None, env, &ws(), &all), found("/x/env.yaml"));
        assert_eq!(
            locate(None, Some(OsStr::new("")), &ws(), &all),
            found("/w/main/spec/jumpcloud-v2.yaml")
        );
        assert_eq!(
            locate(None, None, &ws(), &all),
            found("/w/main/spec/jumpcloud-v2.yaml")
        );
    }

    #[test]
    fn falls_back_to_the_shared_copy() {
        let shared = files(&["/w/shared/specs/jumpcloud-v2.yaml"]);
        assert_eq!(
            locate(None, None, &ws(), &shared),
            Ok(Located::Shared {
                shared: PathBuf::from("/w/shared/specs/jumpcloud-v2.yaml"),
                local: PathBuf::from("/w/main/spec/jumpcloud-v2.yaml"),
            })
        );
    }

    #[test]
    fn missing_documents_are_environment_errors() {
        let none = files(&[]);
        let err = locate(None, None, &ws(), &none).unwrap_err();
        assert_eq!(err.code, 2);
        for needle in [
            "cargo xtask fetch-spec",
            "--spec",
            "JUMPCLOUD_SPEC",
            "../shared/specs",
        ] {
            assert!(err.message.contains(needle), "{needle}: {}", err.message);
        }
        let shared = files(&["/w/shared/specs/jumpcloud-v2.yaml"]);
        let typo = locate(Some(Path::new("/x/typo.yaml")), None, &ws(), &shared).unwrap_err();
        assert!(typo.message.contains("/x/typo.yaml"), "{}", typo.message);
        let env = locate(None, Some(OsStr::new("/x/gone.yaml")), &ws(), &shared).unwrap_err();
        assert!(env.message.contains("$JUMPCLOUD_SPEC"), "{}", env.message);
    }

    #[test]
    fn local_spec_name_is_the_file_name_of_local_spec() {
        assert_eq!(
            Path::new(LOCAL_SPEC).file_name(),
            Some(OsStr::new(LOCAL_SPEC_NAME))
        );
    }

    #[test]
    fn sha256_is_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn display_is_relative_when_possible() {
        assert_eq!(
            display(Path::new("/w/main/spec/a.yaml"), &ws()),
            "spec/a.yaml"
        );
        assert_eq!(
            display(Path::new("/w/shared/a.yaml"), &ws()),
            "../shared/a.yaml"
        );
        assert_eq!(
            display(Path::new("/elsewhere/a.yaml"), &ws()),
            "/elsewhere/a.yaml"
        );
    }
}
