//! Other generators run on the same document, when installed: OpenAPI Generator (PyPI
//! `openapi-generator-cli`, which runs the bundled jar on the machine's Java) with its `rust`
//! generator, and progenitor (`cargo install cargo-progenitor`).

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::compile::{self, Crate};
use super::measure::{self, median, GnuTime};
use super::report::{Generation, Subject};

/// An installed peer generator.
pub struct Peer {
    /// Short name with version, for column headers.
    pub name: String,
    /// What exactly runs, for the report's context.
    pub description: String,
    kind: Kind,
    program: PathBuf,
}

#[derive(Clone, Copy)]
enum Kind {
    OpenApiGenerator,
    Progenitor,
}

/// Finds the peers. Installed ones are returned; missing ones are described in the strings.
pub fn detect() -> (Vec<Peer>, Vec<String>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    match openapi_generator() {
        Ok(peer) => found.push(peer),
        Err(reason) => missing.push(format!("OpenAPI Generator not run: {reason}")),
    }
    match progenitor() {
        Ok(peer) => found.push(peer),
        Err(reason) => missing.push(format!("progenitor not run: {reason}")),
    }
    (found, missing)
}

/// Names of the peers on `$PATH`, without running them (for the report when `--peers` is off).
pub fn installed_names() -> Vec<&'static str> {
    let mut names = Vec::new();
    if measure::find_program("openapi-generator-cli").is_some() {
        names.push("openapi-generator-cli");
    }
    if measure::find_program("cargo-progenitor").is_some() {
        names.push("cargo-progenitor");
    }
    names
}

fn openapi_generator() -> Result<Peer, String> {
    let program = measure::find_program("openapi-generator-cli").ok_or(
        "openapi-generator-cli is not installed (pip install openapi-generator-cli)".to_owned(),
    )?;
    let java = measure::find_program("java")
        .ok_or("java is not installed (openapi-generator-cli needs it)".to_owned())?;
    let version = measure::run(Command::new(&program).arg("version"), None)
        .map_err(|e| format!("running {}: {e}", program.display()))?
        .success("openapi-generator-cli version")?;
    let version = last_line(&version.output.stdout);
    let java_version = measure::run(Command::new(&java).arg("-version"), None)
        .ok()
        .map(|run| first_line(&run.output.stderr))
        .unwrap_or_default();
    Ok(Peer {
        name: format!("OAG {version}"),
        description: format!(
            "OAG = OpenAPI Generator {version} (PyPI openapi-generator-cli), `generate -g rust` \
             (reqwest), on {java_version}"
        ),
        kind: Kind::OpenApiGenerator,
        program,
    })
}

fn progenitor() -> Result<Peer, String> {
    let program = measure::find_program("cargo-progenitor").ok_or(
        "cargo-progenitor is not installed (cargo install cargo-progenitor --locked)".to_owned(),
    )?;
    // cargo-progenitor has no --version; cargo remembers what it installed.
    let version = measure::run(
        Command::new(compile::cargo_program()).args(["install", "--list"]),
        None,
    )
    .ok()
    .and_then(|run| {
        String::from_utf8_lossy(&run.output.stdout)
            .lines()
            .find_map(|line| line.strip_prefix("cargo-progenitor v"))
            .and_then(|rest| rest.split(':').next())
            .map(str::to_owned)
    })
    .unwrap_or_else(|| "?".to_owned());
    Ok(Peer {
        name: format!("progenitor {version}"),
        description: format!("progenitor = cargo-progenitor {version}, default options"),
        kind: Kind::Progenitor,
        program,
    })
}

/// What a peer is asked to do, and where.
pub struct Plan<'a> {
    pub spec: &'a Path,
    /// Scratch directory for this peer's output (outside the workspace, so cargo does not take
    /// the generated crate for a workspace member).
    pub work: &'a Path,
    /// The peer's own cargo target directory.
    pub target_dir: &'a Path,
    pub runs: usize,
    /// `None`: builds are not measured.
    pub builds: Option<usize>,
    pub time: Option<&'a GnuTime>,
}

/// Runs a peer `plan.runs` times on the document, then counts and builds what it generated.
/// Also returns the file touched for the one-file rebuild, relative to the generated crate.
pub fn measure(peer: &Peer, plan: &Plan, progress: &dyn Fn(&str)) -> (Subject, Option<String>) {
    let out = plan.work.join("generated");
    let mut subject = Subject {
        name: peer.name.clone(),
        generation: Err(String::new()),
        size: Err(String::new()),
        builds: None,
    };
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    for run in 1..=plan.runs {
        let _ = fs::remove_dir_all(&out);
        let result = measure::run(&mut peer.command(plan.spec, &out), plan.time)
            .map_err(|e| format!("running {}: {e}", peer.program.display()))
            .and_then(|run| run.success("generation"));
        match result {
            Ok(done) => {
                progress(&format!(
                    "generation {run}/{}: {:.2} s{}",
                    plan.runs,
                    done.wall_s,
                    done.peak_kib
                        .map_or_else(String::new, |kib| format!(", {} KiB", kib))
                ));
                walls.push(done.wall_s);
                peaks.extend(done.peak_kib);
            }
            Err(reason) => {
                progress(&reason);
                subject.generation = Err(reason);
                return (subject, None);
            }
        }
    }
    subject.generation = Ok(Generation {
        runs: walls.len(),
        process_s: median(&walls).unwrap_or(f64::NAN),
        in_process_s: None,
        peak_kib: (peaks.len() == walls.len())
            .then(|| median(&peaks.iter().map(|&p| p as f64).collect::<Vec<_>>()))
            .flatten()
            .map(|p| p.round() as u64),
    });
    subject.size = measure::code_size(&out).map_err(|e| format!("counting {}: {e}", out.display()));
    let mut touched = None;
    if let Some(builds) = plan.builds {
        let manifest = out.join("Cargo.toml");
        subject.builds = Some(match package_name(&manifest) {
            Ok(package) => {
                let touch = peer.touch_file(&out);
                touched = Some(display(&touch, &out));
                compile::measure(
                    &Crate {
                        dir: &out,
                        manifest: Some(&manifest),
                        package: &package,
                        parts: &[],
                        target_dir: plan.target_dir,
                        touch: &touch,
                        features: None,
                        registry: true,
                        time: plan.time,
                    },
                    builds,
                    progress,
                )
            }
            Err(reason) => super::report::Builds::failed(0, reason, false),
        });
    }
    (subject, touched)
}

impl Peer {
    fn command(&self, spec: &Path, out: &Path) -> Command {
        let mut command = Command::new(&self.program);
        let args: Vec<OsString> = match self.kind {
            Kind::OpenApiGenerator => vec![
                "generate".into(),
                "-i".into(),
                spec.into(),
                "-g".into(),
                "rust".into(),
                "-o".into(),
                out.into(),
            ],
            // A cargo subcommand binary gets its subcommand name first; calling it directly
            // keeps cargo's own start out of the time.
            Kind::Progenitor => vec![
                "progenitor".into(),
                "-i".into(),
                spec.into(),
                "-o".into(),
                out.into(),
                "-n".into(),
                "jumpcloud-progenitor".into(),
                "-v".into(),
                "0.1.0".into(),
            ],
        };
        command.args(args).env("RUST_BACKTRACE", "0");
        command
    }

    /// The file touched for the one-file rebuild: a model file (ours touches `models/u.rs`).
    fn touch_file(&self, out: &Path) -> PathBuf {
        let models = out.join("src/models");
        let preferred = models.join("user.rs");
        if preferred.is_file() {
            return preferred;
        }
        let mut rs: Vec<PathBuf> = fs::read_dir(&models)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "rs"))
                    .collect()
            })
            .unwrap_or_default();
        rs.sort();
        rs.into_iter()
            .find(|p| !p.ends_with("mod.rs"))
            .unwrap_or_else(|| out.join("src/lib.rs"))
    }
}

/// `[package] name` from a generated manifest.
fn package_name(manifest: &Path) -> Result<String, String> {
    let text =
        fs::read_to_string(manifest).map_err(|e| format!("reading {}: {e}", manifest.display()))?;
    parse_package_name(&text).ok_or_else(|| format!("no package name in {}", manifest.display()))
}

/// The first `name = "…"` after `[package]`.
fn parse_package_name(manifest: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package {
            let value = line
                .strip_prefix("name")
                .and_then(|rest| rest.trim_start().strip_prefix('='));
            if let Some(value) = value {
                return Some(value.trim().trim_matches('"').to_owned());
            }
        }
    }
    None
}

fn display(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines().next().unwrap_or("").trim().to_owned()
}

fn last_line(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().rev().find(|l| !l.trim().is_empty());
    line.unwrap_or("?").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_come_from_the_package_table() {
        let manifest = "[package]\nnamespace = 1\nname = \"openapi\"\nversion = \"2.0.0\"\n\n\
                        [dependencies]\nname = \"not this\"\n";
        assert_eq!(parse_package_name(manifest), Some("openapi".into()));
        assert_eq!(
            parse_package_name("[lib]\nname = \"x\"\n[package]\nversion = \"1\"\n"),
            None
        );
        assert_eq!(
            parse_package_name("[package]\nname=\"jumpcloud-progenitor\"\n"),
            Some("jumpcloud-progenitor".into())
        );
    }
}
