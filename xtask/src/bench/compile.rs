//! `cargo build` times of a generated crate, in a target directory of the bench's own so the
//! developer's builds are neither disturbed nor reused.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use super::measure::{self, median, GnuTime};
use super::report::{Builds, Measured};

/// A crate to build and how.
pub struct Crate<'a> {
    /// The directory cargo runs in.
    pub dir: &'a Path,
    /// `--manifest-path`, for a crate outside the workspace.
    pub manifest: Option<&'a Path>,
    pub package: &'a str,
    /// The packages built and cleaned with it, as parts of it (the SDK's core and shards).
    pub parts: &'a [String],
    pub target_dir: &'a Path,
    /// The file touched for the one-file rebuild.
    pub touch: &'a Path,
    /// The features of the reduced build (`--no-default-features --features LIST`), if any.
    pub features: Option<&'a str>,
    /// Whether to also build it cleaned with `CARGO_INCREMENTAL=0`, as a registry dependency.
    pub registry: bool,
    /// GNU time, to read the builds' CPU time; without it, none is reported.
    pub time: Option<&'a GnuTime>,
}

/// Cargo as the bench itself was run (`$CARGO`), else `cargo` from `$PATH`.
pub fn cargo_program() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Builds once to get dependencies built, then `runs` times: clean the crate and build it, touch
/// one file and build, (with `registry`) clean and build without incremental compilation, and
/// (with features) clean and build with only those features, then with none. Reports medians;
/// `progress` gets a line per step.
pub fn measure(krate: &Crate, runs: usize, progress: &dyn Fn(&str)) -> Builds {
    progress(&format!(
        "warm-up: cargo build -p {} (dependencies)",
        krate.package
    ));
    if let Err(reason) = build(krate, Build::Incremental) {
        return Builds::failed(runs, reason, krate.features.is_some());
    }
    let features_ok = krate.features.map(|features| {
        progress(&format!(
            "warm-up: --no-default-features --features {features}"
        ));
        build(krate, Build::Reduced).map(|_| ()).map_err(|reason| {
            if reason.contains("does not contain th") || reason.contains("does not have feature") {
                "n/a (features not declared)".to_owned()
            } else {
                reason
            }
        })
    });
    let touch_missing =
        (!krate.touch.is_file()).then(|| format!("n/a ({} missing)", krate.touch.display()));
    let mut clean = Series::default();
    let mut touched = Series::stopped(touch_missing);
    let mut registry = Series::stopped((!krate.registry).then(|| "n/a (not measured)".to_owned()));
    // With features: the two groups' build, and the floor under it (no group at all).
    let mut reduced = features_ok.clone().map(|ok| Series::stopped(ok.err()));
    let mut floor = features_ok.map(|ok| Series::stopped(ok.err()));
    let cleaned = |how| clean_crate(krate).and_then(|()| build(krate, how));
    for run in 1..=runs {
        let mut line = format!("build {run}/{runs}");
        clean.measure(&mut line, "clean", || cleaned(Build::Incremental));
        if clean.failed.is_some() {
            break;
        }
        touched.measure(&mut line, "touch", || {
            touch(krate.touch)
                .map_err(|e| format!("touching {}: {e}", krate.touch.display()))
                .and_then(|()| build(krate, Build::Incremental))
        });
        registry.measure(&mut line, "not incremental", || {
            cleaned(Build::NotIncremental)
        });
        if let Some(reduced) = &mut reduced {
            reduced.measure(&mut line, "features", || cleaned(Build::Reduced));
        }
        if let Some(floor) = &mut floor {
            floor.measure(&mut line, "no features", || cleaned(Build::Floor));
        }
        progress(&line);
    }
    Builds {
        runs,
        touch_s: touched.summary(clean.failed.as_ref()),
        registry_s: registry.summary(clean.failed.as_ref()),
        clean_s: clean.summary(None),
        features_cpu_s: reduced.as_ref().and_then(Series::cpu_summary),
        features_s: reduced.map(|series| series.summary(None)),
        floor_s: floor.map(|series| series.summary(None)),
    }
}

/// One kind of build's times, or why it stopped being measured.
#[derive(Default)]
struct Series {
    times: Vec<f64>,
    /// The builds' CPU times, when every one was read.
    cpu: Vec<f64>,
    failed: Option<String>,
}

impl Series {
    /// A series not measured at all when `reason` is given.
    fn stopped(reason: Option<String>) -> Self {
        Series {
            times: Vec::new(),
            cpu: Vec::new(),
            failed: reason,
        }
    }

    /// Runs `build` unless an earlier one failed: its time joins the series and the run's
    /// progress `line`; its failure ends the series.
    fn measure(
        &mut self,
        line: &mut String,
        label: &str,
        build: impl FnOnce() -> Result<Built, String>,
    ) {
        if self.failed.is_some() {
            return;
        }
        match build() {
            Ok(built) => {
                self.times.push(built.wall_s);
                self.cpu.extend(built.cpu_s);
                line.push_str(&format!(", {label} {:.2} s", built.wall_s));
                if let Some(cpu_s) = built.cpu_s {
                    line.push_str(&format!(" (CPU {cpu_s:.2} s)"));
                }
                line.push_str(&format!(" ({})", built.crates));
            }
            Err(reason) => self.failed = Some(reason),
        }
    }

    /// The median, or why there is none: this series' failure, else `before`'s (a build it
    /// depends on).
    fn summary(&self, before: Option<&String>) -> Measured<f64> {
        match self.failed.as_ref().or(before) {
            Some(reason) => Err(reason.clone()),
            None => median(&self.times).ok_or_else(|| "n/a (no runs)".to_owned()),
        }
    }

    /// The median CPU time, if the series succeeded and every build's was read.
    fn cpu_summary(&self) -> Option<f64> {
        let complete = self.failed.is_none() && self.cpu.len() == self.times.len();
        complete.then(|| median(&self.cpu)).flatten()
    }
}

/// A timed build.
struct Built {
    wall_s: f64,
    cpu_s: Option<f64>,
    /// How many crates cargo compiled, as text (a check that only the measured ones were).
    crates: String,
}

/// Sets a file's modification time to now without changing its contents, as `touch` does.
pub fn touch(path: &Path) -> io::Result<()> {
    OpenOptions::new()
        .append(true)
        .open(path)?
        .set_modified(SystemTime::now())
}

fn cargo(krate: &Crate, subcommand: &str) -> Command {
    let mut command = Command::new(cargo_program());
    command
        .arg(subcommand)
        .args(["--package", krate.package])
        .env("CARGO_TARGET_DIR", krate.target_dir)
        .current_dir(krate.dir);
    if let Some(manifest) = krate.manifest {
        command.arg("--manifest-path").arg(manifest);
    }
    command
}

/// `cargo clean -p`: removes the crate's own artifacts and its parts' (and incremental state),
/// keeping its dependencies.
fn clean_crate(krate: &Crate) -> Result<(), String> {
    let mut clean = cargo(krate, "clean");
    for part in krate.parts {
        clean.args(["--package", part]);
    }
    let run = measure::run(&mut clean, None).map_err(|e| format!("running cargo clean: {e}"))?;
    run.success("cargo clean").map(|_| ())
}

/// How a timed build is made.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    /// As `cargo build` makes it in the workspace.
    Incremental,
    /// `CARGO_INCREMENTAL=0`: as cargo builds a dependency from a registry.
    NotIncremental,
    /// Only `krate.features`.
    Reduced,
    /// No features at all: what every reduced build pays whatever it turns on.
    Floor,
}

/// A timed `cargo build` (debug), under GNU time when there is one, for its CPU time.
fn build(krate: &Crate, how: Build) -> Result<Built, String> {
    let mut command = cargo(krate, "build");
    match (how, krate.features) {
        (Build::Reduced, Some(features)) => {
            command.args(["--no-default-features", "--features", features]);
        }
        (Build::Floor, Some(_)) => {
            command.arg("--no-default-features");
        }
        (Build::NotIncremental, _) => {
            command.env("CARGO_INCREMENTAL", "0");
        }
        _ => {}
    }
    let run =
        measure::run(&mut command, krate.time).map_err(|e| format!("running cargo build: {e}"))?;
    let run = run.success("cargo build")?;
    let stderr = String::from_utf8_lossy(&run.output.stderr);
    let compiled = stderr
        .lines()
        .filter(|line| line.trim_start().starts_with("Compiling "))
        .count();
    let crates = if compiled == 1 { "crate" } else { "crates" };
    Ok(Built {
        wall_s: run.wall_s,
        cpu_s: run.cpu_s,
        crates: format!("{compiled} {crates} compiled"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::time::Duration;

    #[test]
    fn touch_moves_the_mtime_and_keeps_the_contents() {
        let tmp = crate::testutil::TempDir::new("bench-touch");
        let path = tmp.path("u.rs");
        fs::write(&path, "struct U;\n").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        touch(&path).unwrap();
        let modified = fs::metadata(&path).unwrap().modified().unwrap();
        assert!(modified > old + Duration::from_secs(3000));
        assert_eq!(fs::read_to_string(&path).unwrap(), "struct U;\n");
        assert!(touch(&tmp.path("missing.rs")).is_err());
    }
}
