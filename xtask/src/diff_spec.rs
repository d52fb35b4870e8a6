//! `cargo xtask diff-spec OLD NEW`, and the change report `check` and `regenerate` give when
//! the document changes: both documents go through the generator's own lowering with the
//! committed name lock, so the report compares what the SDK would expose, by Rust name.

use std::path::Path;
use std::time::Instant;

use codegen::diff::{self, Report};
use codegen::lock::NameContext;
use codegen::surface::Surface;

use crate::failure::Failure;
use crate::generate::{self, Names, Texts};
use crate::spec;

/// The committed surface of the SDK (`codegen::surface`), from the workspace root.
pub const SURFACE: &str = "jumpcloud-sdk/surface.jsonl";
/// Where `regenerate` records what each spec update changed.
pub const CHANGELOG: &str = "CHANGELOG.md";
/// The section of the changelog that collects changes for the next release.
const UNRELEASED: &str = "## Unreleased";

/// Compares two documents and prints the markdown report (or writes it to `out`), then the
/// summary line. Exit status 1 when some change is breaking, so CI can gate on it.
pub fn run(workspace: &Path, old: &Path, new: &Path, out: Option<&Path>) -> Result<(), Failure> {
    let started = Instant::now();
    let report = compare_documents(workspace, old, new)?;
    let title = format!(
        "API changes from `{}` to `{}`",
        shown(old, workspace),
        shown(new, workspace)
    );
    let markdown = report.markdown(&title);
    match out {
        Some(path) => std::fs::write(path, &markdown)
            .map_err(|e| Failure::environment(format!("writing {}: {e}", path.display())))?,
        None => print!("{markdown}"),
    }
    println!(
        "diff-spec: {} in {} ms",
        report.summary(),
        started.elapsed().as_millis()
    );
    if report.breaking() > 0 {
        return Err(Failure::failed(format!(
            "diff-spec: {} breaking changes",
            report.breaking()
        )));
    }
    Ok(())
}

/// Lowers `old` with the committed lock, then `new` with the lock `old` leaves, and compares
/// their surfaces.
pub fn compare_documents(workspace: &Path, old: &Path, new: &Path) -> Result<Report, Failure> {
    let settings = generate::read_settings(workspace)?;
    let context = generate::name_context(workspace, Names::Locked)?;
    let (old_api, _) = lower(old, &settings, &context)?;
    let carried = NameContext {
        lock: old_api.lock.clone(),
        ..context
    };
    let (new_api, _) = lower(new, &settings, &carried)?;
    Ok(diff::compare(
        &Surface::of(&old_api),
        &Surface::of(&new_api),
    ))
}

/// An argument as the report names it: `.` is the SDK's documents.
pub fn shown(argument: &Path, workspace: &Path) -> String {
    if argument == Path::new(".") {
        "the SDK's documents".to_owned()
    } else {
        spec::display(argument, workspace)
    }
}

/// Lowers the documents `argument` names (see `spec::resolve_argument`) into one IR.
pub fn lower(
    argument: &Path,
    settings: &codegen::Settings,
    context: &NameContext,
) -> Result<(codegen::ir::Api, Vec<codegen::Diagnostic>), Failure> {
    let workspace = spec::workspace_root();
    let read = Texts::read_resolved(spec::resolve_argument(argument, &workspace, settings)?)?;
    codegen::lower_documents(&read.inputs(), settings, context)
        .map_err(|e| Failure::failed(format!("error: {}", generate::located(&read, e))))
}

/// The committed surface, if there is one.
pub fn recorded_surface(workspace: &Path) -> Result<Option<Surface>, Failure> {
    let path = workspace.join(SURFACE);
    let Some(text) = spec::read_optional(&path)? else {
        return Ok(None);
    };
    Surface::from_text(&text)
        .map(Some)
        .map_err(|e| Failure::failed(format!("error in {}: {e}", path.display())))
}

/// Adds a report to the changelog's `## Unreleased` section (created when missing), newest
/// first, and writes the file atomically.
pub fn append_to_changelog(workspace: &Path, title: &str, report: &Report) -> Result<(), Failure> {
    let path = workspace.join(CHANGELOG);
    let text = spec::read_optional(&path)?.unwrap_or_else(|| {
        "# Changelog\n\nEvery release of `jumpcloud-sdk`. `cargo xtask regenerate` adds what \
         each spec update changes for callers to the next release's section.\n"
            .to_owned()
    });
    let updated = with_entry(&text, &report.markdown(title).replacen("## ", "### ", 1));
    let temporary = path.with_extension("md.tmp");
    std::fs::write(&temporary, updated)
        .and_then(|()| std::fs::rename(&temporary, &path))
        .map_err(|e| Failure::environment(format!("writing {}: {e}", path.display())))
}

/// The changelog text with `entry` first under `## Unreleased`.
fn with_entry(text: &str, entry: &str) -> String {
    match text.find(UNRELEASED) {
        Some(at) => {
            let after = at + UNRELEASED.len();
            format!("{}\n\n{}{}", &text[..after], entry, &text[after..])
        }
        None => {
            // The section goes after the title block, before the first release.
            let at = text.find("\n## ").map_or(text.len(), |i| i + 1);
            let (head, tail) = text.split_at(at);
            let head = head.trim_end();
            format!("{head}\n\n{UNRELEASED}\n\n{entry}\n{tail}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regenerating from another release of the document with the committed lock: every
    /// endpoint it shares with the committed SDK (by method and path) keeps its call, and every
    /// schema it shares (by pointer) keeps its type name.
    #[test]
    fn the_committed_lock_keeps_names_across_releases_of_the_document() {
        let workspace = spec::workspace_root();
        let settings = generate::read_settings(&workspace).unwrap();
        let context = generate::name_context(&workspace, Names::Locked).unwrap();
        let committed = &context.lock;
        for (document, shared_endpoints) in [
            ("jumpcloud-v2-2023.yaml", 375),
            ("jumpcloud/v2-2026-05-12.yaml", 635),
        ] {
            let path = workspace.join("../shared/specs").join(document);
            let (api, _) = lower(&path, &settings, &context).unwrap();
            let lock = &api.lock.documents["v2"];
            let committed = &committed.documents["v2"];
            let shared: Vec<&String> = lock
                .operations
                .keys()
                .filter(|key| committed.operations.contains_key(*key))
                .collect();
            assert_eq!(shared.len(), shared_endpoints, "{document}");
            for key in shared {
                assert_eq!(
                    lock.operations[key].call, committed.operations[key].call,
                    "{document}: {key}"
                );
            }
            let mut shared_types = 0;
            for (key, locked) in &lock.types {
                if let Some(before) = committed.types.get(key) {
                    shared_types += 1;
                    assert_eq!(locked.name, before.name, "{document}: {key}");
                }
            }
            println!("{document}: {shared_types} shared schemas keep their names");
            assert!(
                shared_types > 300,
                "{document}: {shared_types} shared schemas"
            );
        }
    }

    #[test]
    fn entries_go_first_under_unreleased() {
        let fresh = with_entry("# Changelog\n\nIntro.\n", "### A\n\nx.\n");
        assert_eq!(
            fresh,
            "# Changelog\n\nIntro.\n\n## Unreleased\n\n### A\n\nx.\n\n"
        );
        let second = with_entry(&fresh, "### B\n\ny.\n");
        assert!(
            second.find("### B").unwrap() < second.find("### A").unwrap(),
            "{second}"
        );
        let released = with_entry("# Changelog\n\n## 0.1.0\n\nFirst.\n", "### C\n");
        assert!(
            released.find("## Unreleased").unwrap() < released.find("## 0.1.0").unwrap(),
            "{released}"
        );
    }
}
