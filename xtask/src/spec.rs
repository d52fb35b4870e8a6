//! Finding the OpenAPI document and identifying it by sha256.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::failure::Failure;

/// The file name of the document of old, read when the settings declare none.
pub const LOCAL_SPEC_NAME: &str = "jumpcloud-v2.yaml";
/// Where local copies of the documents live, from the workspace root (gitignored).
pub const SPEC_DIR: &str = "spec";
/// The generated description of the documents, with their sha256 (committed).
pub const README: &str = "spec/README.md";
/// Where a checkout next to the shared data directory finds the documents, relative to the
/// workspace's parent directory.
const SHARED_SPECS: &str = "shared/specs";
/// Environment variable naming the documents.
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

/// A document the SDK is generated from: its name in the settings, its canonical file name
/// (under `spec/`, and the shared directory), and where this run reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub name: String,
    pub file: String,
    pub url: Option<String>,
}

/// The documents the settings declare; without any, the one document of old
/// (`spec/jumpcloud-v2.yaml`, unnamed).
pub fn declared(settings: &codegen::Settings) -> Vec<Document> {
    if settings.documents.is_empty() {
        return vec![Document {
            name: String::new(),
            file: LOCAL_SPEC_NAME.to_owned(),
            url: Some(crate::readme::SPEC_URL.to_owned()),
        }];
    }
    let document = |d: &codegen::DocumentSettings| Document {
        name: d.name.clone(),
        file: d.file.clone().unwrap_or_else(|| format!("{}.yaml", d.name)),
        url: d.url.clone(),
    };
    settings.documents.iter().map(document).collect()
}

/// Which documents a run reads, from `--spec` or `$JUMPCLOUD_SPEC`: nothing (every declared
/// document where it is kept), one `PATH` (that document alone, as the first declared one), or
/// `NAME=PATH,…` (those documents from there, the others where they are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    Default,
    Only(PathBuf),
    Replace(Vec<(String, PathBuf)>),
}

impl Choice {
    /// Reads a `--spec` value. It is a list only when every item names a declared document, so
    /// a path containing `=` or `,` is still one path.
    pub fn parse(value: &OsStr, declared: &[Document]) -> Choice {
        let Some(text) = value.to_str() else {
            return Choice::Only(PathBuf::from(value));
        };
        let items: Option<Vec<(String, PathBuf)>> = text
            .split(',')
            .map(|item| {
                let (name, path) = item.split_once('=')?;
                let known = declared
                    .iter()
                    .any(|d| !d.name.is_empty() && d.name == name);
                (known && !path.is_empty()).then(|| (name.to_owned(), PathBuf::from(path)))
            })
            .collect();
        match items {
            Some(items) => Choice::Replace(items),
            None => Choice::Only(PathBuf::from(text)),
        }
    }
}

/// A document found for this run.
#[derive(Debug, PartialEq, Eq)]
pub struct Located {
    pub document: Document,
    pub found: Found,
}

/// Where a document is, decided without touching the disk (except through `is_file`).
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// Use this file.
    At(PathBuf),
    /// `spec/FILE` is missing but the shared copy exists: copy it first.
    Shared { shared: PathBuf, local: PathBuf },
}

/// Applies the lookup order `--spec`, `$JUMPCLOUD_SPEC`, then for each document not named
/// there `spec/FILE`, then the shared copy. An explicitly named file that does not exist is an
/// error rather than a reason to fall through, so a typo is never silently replaced by another
/// document.
pub fn locate(
    flag: Option<&Path>,
    env: Option<&OsStr>,
    workspace: &Path,
    declared: &[Document],
    is_file: &dyn Fn(&Path) -> bool,
) -> Result<Vec<Located>, Failure> {
    let (choice, source) = match (flag, env.filter(|value| !value.is_empty())) {
        (Some(path), _) => (
            Choice::parse(path.as_os_str(), declared),
            "--spec".to_owned(),
        ),
        (None, Some(value)) => (Choice::parse(value, declared), format!("${SPEC_ENV}")),
        (None, None) => (Choice::Default, String::new()),
    };
    if let Choice::Only(path) = &choice {
        let document = declared.first().cloned().unwrap_or_else(|| Document {
            name: String::new(),
            file: LOCAL_SPEC_NAME.to_owned(),
            url: None,
        });
        let found = explicit(path, &source, is_file)?;
        return Ok(vec![Located { document, found }]);
    }
    let replaced = match &choice {
        Choice::Replace(items) => items.clone(),
        _ => Vec::new(),
    };
    declared
        .iter()
        .map(|document| {
            let named = replaced.iter().find(|(name, _)| *name == document.name);
            let found = match named {
                Some((_, path)) => explicit(path, &source, is_file)?,
                None => kept(document, workspace, is_file)?,
            };
            Ok(Located {
                document: document.clone(),
                found,
            })
        })
        .collect()
}

/// Where a document is kept: `spec/FILE`, or the shared copy to be copied there.
fn kept(
    document: &Document,
    workspace: &Path,
    is_file: &dyn Fn(&Path) -> bool,
) -> Result<Found, Failure> {
    let local = workspace.join(SPEC_DIR).join(&document.file);
    if is_file(&local) {
        return Ok(Found::At(local));
    }
    let shared = shared_spec(workspace, &document.file);
    if is_file(&shared) {
        return Ok(Found::Shared { shared, local });
    }
    Err(Failure::environment(format!(
        "no OpenAPI document found: {} does not exist, nor does {}.\n\
         Run `cargo xtask fetch-spec` to download it, or name a copy with `--spec PATH` \
         (`--spec NAME=PATH,…` for several) or the {SPEC_ENV} environment variable.",
        display(&local, workspace),
        display(&shared, workspace)
    )))
}

fn explicit(path: &Path, source: &str, is_file: &dyn Fn(&Path) -> bool) -> Result<Found, Failure> {
    if is_file(path) {
        Ok(Found::At(path.to_path_buf()))
    } else {
        Err(Failure::environment(format!(
            "{source} names {}, which is not a file (run `cargo xtask fetch-spec` to download \
             the documents)",
            path.display()
        )))
    }
}

fn shared_spec(workspace: &Path, file: &str) -> PathBuf {
    workspace
        .parent()
        .unwrap_or(workspace)
        .join(SHARED_SPECS)
        .join(file)
}

/// A document to read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub document: Document,
    pub path: PathBuf,
}

/// Finds the documents from the command line and the environment, copying a shared copy into
/// `spec/` when that is the one found, so `check` and `regenerate` work in a fresh checkout.
pub fn resolve(
    flag: Option<&Path>,
    workspace: &Path,
    settings: &codegen::Settings,
) -> Result<Vec<Resolved>, Failure> {
    let env = std::env::var_os(SPEC_ENV);
    resolve_from(flag, env.as_deref(), workspace, settings)
}

/// [`resolve`] with the environment's value given.
fn resolve_from(
    flag: Option<&Path>,
    env: Option<&OsStr>,
    workspace: &Path,
    settings: &codegen::Settings,
) -> Result<Vec<Resolved>, Failure> {
    let declared = declared(settings);
    let located = locate(flag, env, workspace, &declared, &Path::is_file)?;
    located
        .into_iter()
        .map(|Located { document, found }| {
            let path = match found {
                Found::At(path) => path,
                Found::Shared { shared, local } => {
                    copy_atomically(&shared, &local).map_err(|e| {
                        let local = display(&local, workspace);
                        Failure::environment(format!(
                            "copying {} to {local}: {e}",
                            shared.display()
                        ))
                    })?;
                    println!(
                        "copied {} to {} (gitignored, never committed)",
                        display(&shared, workspace),
                        display(&local, workspace)
                    );
                    local
                }
            };
            Ok(Resolved { document, path })
        })
        .collect()
}

/// The documents an argument of `diff-spec` or `semver-oracle` names: `.` for the SDK's own
/// documents where they are kept (the environment is not read), else as `--spec` reads it.
pub fn resolve_argument(
    argument: &Path,
    workspace: &Path,
    settings: &codegen::Settings,
) -> Result<Vec<Resolved>, Failure> {
    if argument == Path::new(".") {
        return resolve_from(None, None, workspace, settings);
    }
    resolve(Some(argument), workspace, settings)
}

/// Copies through a temporary sibling so an interrupted copy never leaves a truncated document.
fn copy_atomically(from: &Path, to: &Path) -> io::Result<()> {
    if let Some(parent) = to.parent() {
        fs::create_dir_all(parent)?;
    }
    let temp = to.with_extension(format!("copy-{}", std::process::id()));
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

/// The sha256 of each document recorded in `spec/README.md`, by document name; empty if the
/// file or its rows are missing.
pub fn recorded_sha256s(workspace: &Path) -> Result<BTreeMap<String, String>, Failure> {
    let text = read_optional(&workspace.join(README))?;
    Ok(text
        .map(|text| crate::readme::parse_sha256s(&text))
        .unwrap_or_default())
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

    fn two() -> Vec<Document> {
        ["v2", "v1"]
            .iter()
            .map(|name| Document {
                name: (*name).to_owned(),
                file: format!("api/{name}.yaml"),
                url: None,
            })
            .collect()
    }

    fn paths(located: Result<Vec<Located>, Failure>) -> Vec<(String, String)> {
        located
            .unwrap()
            .into_iter()
            .map(|l| {
                let at = match l.found {
                    Found::At(path) => path.display().to_string(),
                    Found::Shared { shared, .. } => format!("shared {}", shared.display()),
                };
                (l.document.name, at)
            })
            .collect()
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn lookup_order() {
        let all = files(&[
            "/x/flag.yaml",
            "/x/env.yaml",
            "/w/main/spec/api/v2.yaml",
            "/w/shared/specs/api/v1.yaml",
        ]);
        let flag = Some(Path::new("/x/flag.yaml"));
        let env = Some(OsStr::new("/x/env.yaml"));
        let docs = two();
        assert_eq!(
            paths(locate(flag, env, &ws(), &docs, &all)),
            pairs(&[("v2", "/x/flag.yaml")])
        );
        assert_eq!(
            paths(locate(None, env, &ws(), &docs, &all)),
            pairs(&[("v2", "/x/env.yaml")])
        );
        let kept = pairs(&[
            ("v2", "/w/main/spec/api/v2.yaml"),
            ("v1", "shared /w/shared/specs/api/v1.yaml"),
        ]);
        assert_eq!(
            paths(locate(None, Some(OsStr::new("")), &ws(), &docs, &all)),
            kept
        );
        assert_eq!(paths(locate(None, None, &ws(), &docs, &all)), kept);
        let one = Some(Path::new("v1=/x/flag.yaml"));
        assert_eq!(
            paths(locate(one, None, &ws(), &docs, &all)),
            pairs(&[("v2", "/w/main/spec/api/v2.yaml"), ("v1", "/x/flag.yaml")])
        );
    }

    #[test]
    fn a_value_is_a_list_only_when_every_item_names_a_document() {
        let docs = two();
        assert_eq!(
            Choice::parse(OsStr::new("v1=a.yaml,v2=b.yaml"), &docs),
            Choice::Replace(vec![
                ("v1".into(), PathBuf::from("a.yaml")),
                ("v2".into(), PathBuf::from("b.yaml"))
            ])
        );
        for path in ["x=a.yaml", "v1=a.yaml,b.yaml", "dir/a,b.yaml", "v1="] {
            assert_eq!(
                Choice::parse(OsStr::new(path), &docs),
                Choice::Only(PathBuf::from(path)),
                "{path}"
            );
        }
    }

    #[test]
    fn without_declared_documents_the_one_of_old_is_read() {
        let declared = declared(&codegen::Settings::default());
        let shared = files(&["/w/shared/specs/jumpcloud-v2.yaml"]);
        assert_eq!(
            locate(None, None, &ws(), &declared, &shared).unwrap()[0].found,
            Found::Shared {
                shared: PathBuf::from("/w/shared/specs/jumpcloud-v2.yaml"),
                local: PathBuf::from("/w/main/spec/jumpcloud-v2.yaml"),
            }
        );
    }

    #[test]
    fn missing_documents_are_environment_errors() {
        let none = files(&[]);
        let docs = two();
        let err = locate(None, None, &ws(), &docs, &none).unwrap_err();
        assert_eq!(err.code, 2);
        for needle in [
            "cargo xtask fetch-spec",
            "--spec",
            "JUMPCLOUD_SPEC",
            "../shared/specs/api/v2.yaml",
        ] {
            assert!(err.message.contains(needle), "{needle}: {}", err.message);
        }
        let shared = files(&["/w/shared/specs/api/v2.yaml", "/w/shared/specs/api/v1.yaml"]);
        let typo = locate(Some(Path::new("/x/typo.yaml")), None, &ws(), &docs, &shared);
        let typo = typo.unwrap_err();
        assert!(typo.message.contains("/x/typo.yaml"), "{}", typo.message);
        let env = locate(
            None,
            Some(OsStr::new("/x/gone.yaml")),
            &ws(),
            &docs,
            &shared,
        );
        let env = env.unwrap_err();
        assert!(env.message.contains("$JUMPCLOUD_SPEC"), "{}", env.message);
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
