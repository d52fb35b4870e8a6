//! `cargo xtask corpus`: every real document in `../shared/specs` (JumpCloud's, Oxide's and the
//! other vendors' in `other/`, whatever is added there) generated with the SDK's settings into
//! a scratch crate of its own beside the SDK's hand-written runtime, then `cargo check`ed.
//! Prints a table (also `target/corpus/report.md`) of operations, warnings and the check's
//! result and time. Fails when a document the loader accepts does not generate, or when a
//! generated crate does not check; a document refused for its OpenAPI version is reported, not
//! failed, until the loader reads it.
use crate::failure::Failure;
use crate::generate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Where the scratch crates and their shared target directory live.
const OUT: &str = "target/corpus";

/// One document's row.
struct Row {
    document: String,
    openapi: String,
    outcome: Outcome,
}

enum Outcome {
    Refused {
        pointer: String,
        message: String,
        /// Refused for its OpenAPI version: expected until the loader reads it.
        version: bool,
    },
    Generated {
        operations: usize,
        types: usize,
        warnings: usize,
        generate_ms: u128,
        check: Option<Check>,
    },
}

struct Check {
    passed: bool,
    warnings: usize,
    seconds: f64,
    /// The first lines of cargo's complaints, when it failed.
    errors: Vec<String>,
}

/// The documents of the corpus, sorted: `shared/specs` and its `jumpcloud/` and `other/`.
fn documents(workspace: &Path) -> Vec<PathBuf> {
    let specs = workspace.join("../shared/specs");
    let mut found = Vec::new();
    for dir in [specs.clone(), specs.join("jumpcloud"), specs.join("other")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

pub fn run(workspace: &Path, check: bool, only: Option<&str>) -> Result<(), Failure> {
    let mut settings = generate::read_settings(workspace)?;
    let runtime = generate::runtime_dir(&settings).to_owned();
    // The scratch crates are for checking, not the tests crate: no testkit, no features.
    settings.testkit = None;
    settings.group_features = false;
    // One crate each: the runtime's, with the document's code in its `src/generated`.
    settings.split = None;
    let documents: Vec<PathBuf> = documents(workspace)
        .into_iter()
        .filter(|path| only.is_none_or(|only| path.to_string_lossy().contains(only)))
        .collect();
    if documents.is_empty() {
        return Err(Failure::environment(
            "no documents found in ../shared/specs (or none matches --only)",
        ));
    }
    let out = workspace.join(OUT);
    std::fs::create_dir_all(&out).map_err(Failure::environment)?;
    let started = Instant::now();
    let mut rows = Vec::new();
    for path in &documents {
        let name = path
            .strip_prefix(workspace.join("../shared/specs"))
            .unwrap_or(path)
            .display()
            .to_string();
        eprintln!("corpus: {name}");
        let text = std::fs::read_to_string(path).map_err(Failure::environment)?;
        let openapi = openapi_version(&text);
        let generate_started = Instant::now();
        let outcome = match codegen::generate(&text, &settings) {
            Err(error) => Outcome::Refused {
                version: error.pointer == "/openapi",
                pointer: error.pointer,
                message: error.message,
            },
            Ok(generation) => {
                let generate_ms = generate_started.elapsed().as_millis();
                let check = if check {
                    let krate = out.join(slug(&name));
                    write_crate(workspace, &runtime, &krate, &slug(&name), &generation)?;
                    Some(cargo_check(&krate, &out.join("target"))?)
                } else {
                    None
                };
                Outcome::Generated {
                    operations: generation.stats.operations,
                    types: generation.stats.types,
                    warnings: generation.diagnostics.len(),
                    generate_ms,
                    check,
                }
            }
        };
        rows.push(Row {
            document: name,
            openapi,
            outcome,
        });
    }
    let report = render(&rows, started.elapsed().as_secs_f64());
    print!("{report}");
    std::fs::write(out.join("report.md"), &report).map_err(Failure::environment)?;
    let failed: Vec<&str> = rows
        .iter()
        .filter(|row| match &row.outcome {
            Outcome::Refused { version, .. } => !version,
            Outcome::Generated { check, .. } => check.as_ref().is_some_and(|c| !c.passed),
        })
        .map(|row| row.document.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "corpus: {} failed: {}",
            failed.len(),
            failed.join(", ")
        )))
    }
}

fn openapi_version(text: &str) -> String {
    codegen::load::declared_version(text).unwrap_or_else(|| "?".into())
}

/// A crate name from a document's path (`other/nexus.json` → `corpus-other-nexus`).
fn slug(name: &str) -> String {
    let stem = name
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml")
        .trim_end_matches(".json");
    let mut slug = String::from("corpus-");
    for c in stem.chars() {
        slug.push(if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '-'
        });
    }
    slug
}

/// The scratch crate: the hand-written sources of `runtime` (the runtime's crate, from the
/// workspace root: `generate::runtime_dir`), the document's generated ones (all of them: the
/// scratch crate is not split), and the runtime's manifest with the workspace's shared values
/// filled in.
pub(crate) fn write_crate(
    workspace: &Path,
    runtime: &str,
    krate: &Path,
    name: &str,
    generation: &codegen::Generation,
) -> Result<(), Failure> {
    let _ = std::fs::remove_dir_all(krate.join("src"));
    let sdk = workspace.join(runtime);
    copy_hand_written(&sdk.join("src"), &krate.join("src"))?;
    for (path, contents) in &generation.files {
        let target = krate.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(Failure::environment)?;
        }
        std::fs::write(&target, contents).map_err(Failure::environment)?;
    }
    let template =
        std::fs::read_to_string(sdk.join("Cargo.toml.in")).map_err(Failure::environment)?;
    let template = crate::manifest::with_version(&template, "0.0.0");
    let root =
        std::fs::read_to_string(workspace.join("Cargo.toml")).map_err(Failure::environment)?;
    let features: Vec<crate::manifest::Feature> = generation
        .features
        .iter()
        .map(|group| crate::manifest::Feature::plain(group))
        .collect();
    let manifest =
        crate::manifest::render(&template, &features, &[], "").map_err(Failure::environment)?;
    let manifest = standalone_manifest(&manifest, &root, name);
    std::fs::write(krate.join("Cargo.toml"), manifest).map_err(Failure::environment)?;
    // The workspace's lock file: the same versions, and nothing to resolve anew.
    std::fs::copy(workspace.join("Cargo.lock"), krate.join("Cargo.lock"))
        .map_err(Failure::environment)?;
    Ok(())
}

fn copy_hand_written(from: &Path, to: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(to).map_err(Failure::environment)?;
    for entry in std::fs::read_dir(from)
        .map_err(Failure::environment)?
        .flatten()
    {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            if entry.file_name() != "generated" {
                copy_hand_written(&path, &target)?;
            }
        } else {
            std::fs::copy(&path, &target).map_err(Failure::environment)?;
        }
    }
    Ok(())
}

/// The SDK's manifest made to stand alone: `x.workspace = true` replaced by the workspace's
/// value, a new package name, no `[[example]]` tables, and an empty `[workspace]` so cargo
/// does not look upward.
fn standalone_manifest(manifest: &str, root: &str, name: &str) -> String {
    let mut shared: BTreeMap<String, String> = BTreeMap::new();
    let mut section = String::new();
    for line in root.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_owned();
            continue;
        }
        if section == "[workspace.dependencies]" || section == "[workspace.package]" {
            if let Some((key, value)) = line.split_once(" = ") {
                let value = match value.strip_prefix("{ path = ") {
                    // A path dependency of the workspace, from the scratch crate's place.
                    Some(_) => continue,
                    None => value.to_owned(),
                };
                shared.insert(key.trim().to_owned(), value);
            }
        }
    }
    let mut out = String::new();
    // The scratch crate has no `examples/` and no tests: their `[[example]]` tables and the
    // dev-dependencies (the runtime's doc examples name the SDK crate) are left out.
    let mut left_out = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            left_out = trimmed == "[[example]]" || trimmed == "[dev-dependencies]";
        }
        if left_out {
            continue;
        }
        if let Some(key) = trimmed.strip_suffix(".workspace = true") {
            if let Some(value) = shared.get(key) {
                out.push_str(&format!("{key} = {value}\n"));
                continue;
            }
        }
        if trimmed.starts_with("name = ") && !out.contains("\nname = ") {
            out.push_str(&format!("name = \"{name}\"\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("\n[workspace]\n");
    out
}

fn cargo_check(krate: &Path, target: &Path) -> Result<Check, Failure> {
    let started = Instant::now();
    let output = Command::new(crate::bench::compile::cargo_program())
        .args([
            "check",
            "--offline",
            "--message-format",
            "short",
            "--manifest-path",
        ])
        .arg(krate.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target)
        .output()
        .map_err(|error| Failure::environment(format!("cannot run cargo: {error}")))?;
    let seconds = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // `--message-format short`: each warning is `path:line:column: warning: …`.
    let warnings = stderr
        .lines()
        .filter(|line| line.contains(": warning: "))
        .count();
    let errors: Vec<String> = stderr
        .lines()
        .filter(|line| line.contains("error"))
        .take(8)
        .map(str::to_owned)
        .collect();
    Ok(Check {
        passed: output.status.success(),
        warnings,
        seconds,
        errors,
    })
}

fn render(rows: &[Row], seconds: f64) -> String {
    let mut out = String::from(
        "| document | OpenAPI | operations | types | warnings | generate | cargo check | check time |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut details = String::new();
    for row in rows {
        match &row.outcome {
            Outcome::Refused {
                pointer,
                message,
                version,
            } => {
                let what = if *version {
                    "refused (version)"
                } else {
                    "REFUSED"
                };
                out.push_str(&format!(
                    "| {} | {} | – | – | – | {what} at `{pointer}` | – | – |\n",
                    row.document, row.openapi
                ));
                details.push_str(&format!("- {}: {message}\n", row.document));
            }
            Outcome::Generated {
                operations,
                types,
                warnings,
                generate_ms,
                check,
            } => {
                let (result, time) = match check {
                    None => ("not run".to_owned(), "–".to_owned()),
                    Some(check) => {
                        if !check.passed {
                            details.push_str(&format!(
                                "- {}: cargo check failed:\n{}\n",
                                row.document,
                                check
                                    .errors
                                    .iter()
                                    .map(|line| format!("    {line}"))
                                    .collect::<Vec<_>>()
                                    .join("\n")
                            ));
                        }
                        (
                            if check.passed {
                                format!("ok, {} warnings", check.warnings)
                            } else {
                                "FAILED".to_owned()
                            },
                            format!("{:.1} s", check.seconds),
                        )
                    }
                };
                out.push_str(&format!(
                    "| {} | {} | {operations} | {types} | {warnings} | {generate_ms} ms | {result} | {time} |\n",
                    row.document, row.openapi
                ));
            }
        }
    }
    if !details.is_empty() {
        out.push('\n');
        out.push_str(&details);
    }
    out.push_str(&format!(
        "\ncorpus: {} documents in {seconds:.0} s\n",
        rows.len()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_stands_alone() {
        let root = "[workspace.package]\nedition = \"2021\"\n[workspace.dependencies]\nserde = { version = \"1\" }\ncodegen = { path = \"codegen\" }\n";
        let manifest = "[package]\nname = \"jumpcloud-sdk\"\nedition.workspace = true\n[dependencies]\nserde.workspace = true\nring = \"0.17\"\n[[example]]\nname = \"a\"\nrequired-features = [\"x\"]\n[dev-dependencies]\nsdk = { path = \"../sdk\" }\n";
        let out = standalone_manifest(manifest, root, "corpus-x");
        assert_eq!(
            out,
            "[package]\nname = \"corpus-x\"\nedition = \"2021\"\n[dependencies]\nserde = { version = \"1\" }\nring = \"0.17\"\n\n[workspace]\n"
        );
    }

    #[test]
    fn names_and_versions() {
        assert_eq!(slug("other/nexus.json"), "corpus-other-nexus");
        assert_eq!(
            slug("jumpcloud/v2-2026-08-21.yaml"),
            "corpus-jumpcloud-v2-2026-08-21"
        );
        assert_eq!(openapi_version("openapi: 3.1.0\ninfo: {}"), "3.1.0");
        assert_eq!(
            openapi_version("{\"openapi\": \"3.0.3\", \"info\": {}}"),
            "3.0.3"
        );
    }
}
