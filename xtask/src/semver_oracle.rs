//! `cargo xtask semver-oracle OLD NEW`: an independent check of `diff-spec`'s classification.
//! The SDK is generated from OLD (with the committed lock) and from NEW (with the lock OLD
//! leaves) into two scratch crates, `cargo semver-checks` compares them, and its failed lints
//! are set beside diff-spec's breaking and compatible counts in `target/semver/report.md`.
//! Needs `cargo install cargo-semver-checks`; slow (two rustdoc builds), so CI does not run it.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use codegen::lock::NameContext;

use crate::failure::Failure;
use crate::generate::{self, Names};
use crate::{corpus, spec};

const OUT: &str = "target/semver";

pub fn run(workspace: &Path, old: &Path, new: &Path) -> Result<(), Failure> {
    let started = Instant::now();
    let mut settings = generate::read_settings(workspace)?;
    let runtime = generate::runtime_dir(&settings).to_owned();
    settings.testkit = None;
    // One scratch crate each (`corpus::write_crate`): cargo-semver-checks compares one package.
    settings.split = None;
    let context = generate::name_context(workspace, Names::Locked)?;
    let old_generation = generation(old, &settings, &context)?;
    let carried = NameContext {
        lock: old_generation.lock.clone(),
        ..context
    };
    let new_generation = generation(new, &settings, &carried)?;
    let out = workspace.join(OUT);
    // Both crates carry the SDK's package name: cargo-semver-checks compares a package with
    // its baseline by name.
    corpus::write_crate(
        workspace,
        &runtime,
        &out.join("old"),
        "jumpcloud-sdk",
        &old_generation,
    )?;
    corpus::write_crate(
        workspace,
        &runtime,
        &out.join("new"),
        "jumpcloud-sdk",
        &new_generation,
    )?;
    // The same comparison as `diff-spec`, from the generations already made.
    let report = codegen::diff::compare(&old_generation.surface, &new_generation.surface);

    let checks_started = Instant::now();
    let output = Command::new(crate::bench::compile::cargo_program())
        .args(["semver-checks", "check-release", "--release-type", "minor"])
        .arg("--manifest-path")
        .arg(out.join("new/Cargo.toml"))
        .arg("--baseline-root")
        .arg(out.join("old"))
        .env("CARGO_TARGET_DIR", out.join("target"))
        .output()
        .map_err(|e| Failure::environment(format!("cannot run cargo semver-checks: {e}")))?;
    let seconds = checks_started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stdout.contains("--- failure") && !output.status.success() {
        let lines: Vec<&str> = stderr.lines().collect();
        return Err(Failure::environment(format!(
            "cargo semver-checks failed to run (is it installed? `cargo install \
             cargo-semver-checks --locked`):\n{}",
            lines[lines.len().saturating_sub(20)..].join("\n")
        )));
    }
    let lints = failed_lints(&stdout);
    let mut text = format!(
        "# cargo-semver-checks beside diff-spec: `{}` → `{}`\n\n\
         cargo-semver-checks: {} lints failed ({} instances) in {seconds:.0} s; \
         diff-spec: {}.\n\n| cargo-semver-checks lint | instances |\n|---|---|\n",
        crate::diff_spec::shown(old, workspace),
        crate::diff_spec::shown(new, workspace),
        lints.len(),
        lints.values().sum::<usize>(),
        report.summary(),
    );
    for (lint, n) in &lints {
        let _ = writeln!(text, "| `{lint}` | {n} |");
    }
    text.push_str("\n| diff-spec class | change | count |\n|---|---|---|\n");
    for ((class, kind), n) in report.counts() {
        let _ = writeln!(text, "| {class:?} | {kind:?} | {n} |");
    }
    std::fs::create_dir_all(&out).map_err(Failure::environment)?;
    std::fs::write(out.join("report.md"), &text).map_err(Failure::environment)?;
    std::fs::write(out.join("semver-checks.txt"), stdout.as_bytes())
        .map_err(Failure::environment)?;
    print!("{text}");
    println!(
        "semver-oracle: done in {:.0} s (report in {OUT}/report.md, lint output in \
         {OUT}/semver-checks.txt)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn generation(
    path: &Path,
    settings: &codegen::Settings,
    context: &NameContext,
) -> Result<codegen::Generation, Failure> {
    let workspace = spec::workspace_root();
    let read =
        crate::generate::Texts::read_resolved(spec::resolve_argument(path, &workspace, settings)?)?;
    codegen::generate_documents(&read.inputs(), settings, context)
        .map_err(|e| Failure::failed(format!("error: {}", crate::generate::located(&read, e))))
}

/// `--- failure lint_name: description ---` headers, each followed by one line per instance
/// (two spaces in); an item re-exported at two paths (`apis::users::X`, `apis::X`) counts once.
fn failed_lints(output: &str) -> BTreeMap<String, usize> {
    let mut lints: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in output.lines() {
        if let Some(rest) = line.strip_prefix("--- failure ") {
            let name = rest.split(':').next().unwrap_or(rest).trim().to_owned();
            lints.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(name), Some(item)) = (&current, line.strip_prefix("  ")) {
            if item.starts_with(char::is_whitespace) || item.is_empty() {
                continue;
            }
            let item = item.split(", previously").next().unwrap_or(item);
            let item = item.split(" in /").next().unwrap_or(item);
            lints
                .entry(name.clone())
                .or_default()
                .insert(without_group_path(item));
        }
    }
    lints
        .into_iter()
        .map(|(lint, items)| (lint, items.len()))
        .collect()
}

/// `jumpcloud_sdk::apis::users::UsersApi::get` as `jumpcloud_sdk::apis::UsersApi::get`.
fn without_group_path(item: &str) -> String {
    let Some((head, rest)) = item.split_once("apis::") else {
        return item.to_owned();
    };
    match rest.split_once("::") {
        Some((module, tail)) if module.starts_with(|c: char| c.is_ascii_lowercase()) => {
            format!("{head}apis::{tail}")
        }
        _ => item.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_lints_are_counted_by_instance() {
        let output = "\
--- failure enum_variant_missing: pub enum variant removed or renamed ---

Description:
A publicly-visible enum has at least one variant that is no longer available.

Failed in:
  variant Kind::Small, previously in file /old/src/generated/models/k.rs:10
  variant Kind::Tiny, previously in file /old/src/generated/models/k.rs:11

--- failure method_parameter_count_changed: pub method parameter count changed ---
        ref: https://doc.rust-lang.org/cargo/reference/semver.html#fn-change-arity

Failed in:
  jumpcloud_sdk::apis::apps::AppsApi::retry takes 2 parameters in /old/src/a.rs:1, but now 1
  jumpcloud_sdk::apis::AppsApi::retry takes 2 parameters in /old/src/a.rs:1, but now 1
";
        let lints = failed_lints(output);
        assert_eq!(lints["enum_variant_missing"], 2);
        assert_eq!(lints["method_parameter_count_changed"], 1);
    }
}
