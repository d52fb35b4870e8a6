//! The OpenAPI documents the tests read, found like `cargo xtask` finds them: `$JUMPCLOUD_SPEC`
//! (`PATH` for the first document alone, or `NAME=PATH,…`), else each document `codegen.yaml`
//! declares at `spec/FILE`, else `../shared/specs/FILE`. They are third-party data, never part
//! of the repository, so they are read at run time.
use serde_json::Value;
use std::path::{Path, PathBuf};

const SPEC_ENV: &str = "JUMPCLOUD_SPEC";
/// The generator's settings, where the documents are declared.
const SETTINGS: &str = "jumpcloud-sdk/codegen.yaml";

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lies in the workspace")
        .to_path_buf()
}

/// A document as `codegen.yaml` declares it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Declared {
    /// Its name (`v1`): the testkit's `Operation::document`.
    pub name: String,
    pub file: String,
}

/// A document read: its name, where it was read from, and its content as JSON.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub name: String,
    pub path: PathBuf,
    pub value: Value,
}

impl Loaded {
    /// A pointer into this document as the testkit spells it: qualified by the document's
    /// name (`v1#/components/…`) when it has one.
    pub fn qualify(&self, pointer: &str) -> String {
        if self.name.is_empty() {
            pointer.to_owned()
        } else {
            format!("{}#{pointer}", self.name)
        }
    }
}

/// The documents `codegen.yaml` declares (one unnamed `jumpcloud-v2.yaml` when it declares
/// none).
pub fn declared() -> Result<Vec<Declared>, String> {
    #[derive(serde::Deserialize)]
    struct Settings {
        #[serde(default)]
        documents: Vec<Declared>,
    }
    let path = workspace().join(SETTINGS);
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let settings: Settings =
        serde_yaml::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
    if settings.documents.is_empty() {
        return Ok(vec![Declared {
            name: String::new(),
            file: "jumpcloud-v2.yaml".into(),
        }]);
    }
    Ok(settings.documents)
}

/// Every document the SDK is generated from (or only those `$JUMPCLOUD_SPEC` names), in the
/// order `codegen.yaml` lists them; an error says how to provide one that is missing.
pub fn load_all() -> Result<Vec<Loaded>, String> {
    let workspace = workspace();
    let declared = declared()?;
    let chosen = std::env::var(SPEC_ENV).ok().filter(|v| !v.is_empty());
    let named: Option<Vec<(String, PathBuf)>> = chosen.as_deref().and_then(|value| {
        value
            .split(',')
            .map(|item| {
                let (name, path) = item.split_once('=')?;
                declared
                    .iter()
                    .any(|d| d.name == name)
                    .then(|| (name.to_owned(), PathBuf::from(path)))
            })
            .collect()
    });
    let mut documents = Vec::new();
    for document in &declared {
        let path = match (&chosen, &named) {
            (Some(_), Some(named)) => match named.iter().find(|(name, _)| *name == document.name) {
                Some((_, path)) => explicit(path)?,
                None => kept(&workspace, document)?,
            },
            // One path: the first document alone.
            (Some(only), None) => {
                let path = explicit(Path::new(only))?;
                documents.push(read(document, path)?);
                break;
            }
            (None, _) => kept(&workspace, document)?,
        };
        documents.push(read(document, path)?);
    }
    Ok(documents)
}

fn explicit(path: &Path) -> Result<PathBuf, String> {
    if path.is_file() {
        Ok(path.to_path_buf())
    } else {
        Err(format!(
            "${SPEC_ENV} names {}, which does not exist",
            path.display()
        ))
    }
}

fn kept(workspace: &Path, document: &Declared) -> Result<PathBuf, String> {
    let local = workspace.join("spec").join(&document.file);
    let shared = workspace.join("../shared/specs").join(&document.file);
    if local.is_file() {
        Ok(local)
    } else if shared.is_file() {
        Ok(shared)
    } else {
        Err(format!(
            "no OpenAPI document found: neither {} nor {} exists. Run `cargo xtask fetch-spec`, \
             or name a copy with the {SPEC_ENV} environment variable.",
            local.display(),
            shared.display()
        ))
    }
}

fn read(document: &Declared, path: PathBuf) -> Result<Loaded, String> {
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let value =
        serde_yaml::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))?;
    Ok(Loaded {
        name: document.name.clone(),
        path,
        value,
    })
}
