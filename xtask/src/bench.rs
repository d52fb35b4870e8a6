//! `cargo xtask bench`: how fast the generator runs and how much memory it takes, how much code
//! it generates, and how long the committed SDK takes to compile; with `--peers`, the same for
//! OpenAPI Generator and progenitor on the same document, with ratios. Every time is a median:
//! these machines are shared and noisy.
//!
//! Generation is measured by running this binary again (`bench-generate`, hidden), which
//! generates in memory, writes nothing, and prints its own wall time from the start of `main`
//! and its peak RSS (`VmHWM`); the parent also times the whole process. Builds run in
//! `target/bench`, so the developer's `target/` is neither disturbed nor reused.

mod beside;
pub(crate) mod compile;
mod measure;
mod peers;
mod report;

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::failure::Failure;
use crate::{generate, spec};
use measure::{median, ChildReport, CodeSize, GnuTime};
use report::{Builds, Downstream, Generation, Measured, Report, Subject};

/// Where builds happen and the markdown report goes, relative to the workspace.
const BENCH_DIR: &str = "target/bench";
/// The committed generated code that is counted: the SDK crate's, and its parts' below.
const GENERATED_DIR: &str = "jumpcloud-sdk/src/generated";
/// The SDK crate's manifest: its path dependencies are its parts (the split's core and shards).
const SDK_MANIFEST: &str = "jumpcloud-sdk/Cargo.toml";
/// The generated file touched for the one-file rebuild: this models file, of the one crate or
/// of the shard whose copy defines the type below.
const TOUCHED_MODELS: &str = "models/u.rs";
const TOUCHED_TYPE: &str = "pub struct UserGroup {";
/// The SDK package and the features of the reduced build.
const SDK_PACKAGE: &str = "jumpcloud-sdk";
const REDUCED_FEATURES: &str = "users,user_groups";
/// The hidden subcommand that generates once in memory and reports.
pub const CHILD_COMMAND: &str = "bench-generate";

/// `cargo xtask bench` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub spec: Option<PathBuf>,
    /// A document to generate an SDK from alone, in a scratch copy, measured beside ours.
    pub beside: Option<PathBuf>,
    /// A revision whose committed SDK is built beside ours (the clean build's yardstick).
    pub baseline: Option<String>,
    /// Generation runs of our generator.
    pub runs: usize,
    /// Runs of each build measurement.
    pub builds: usize,
    /// Generation runs of each peer (they take seconds each).
    pub peer_runs: usize,
    pub peers: bool,
    pub no_build: bool,
}

/// Parses the arguments after `bench`.
pub fn parse_args(args: &[OsString]) -> Result<Options, Failure> {
    let mut spec = None;
    let mut beside = None;
    let mut baseline = None;
    let mut runs = None;
    let mut builds = None;
    let (mut quick, mut peers, mut no_build) = (false, false, false);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy();
        let (flag, inline) = match text.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
            _ => (text.as_ref(), None),
        };
        let mut value = |name: &str| -> Result<OsString, Failure> {
            match inline {
                Some(value) => Ok(OsString::from(value)),
                None => args
                    .next()
                    .cloned()
                    .ok_or_else(|| crate::usage_error(&format!("{name} needs a value"))),
            }
        };
        match flag {
            "--spec" | "--beside" => {
                let path = value(flag)?;
                let slot = if flag == "--spec" {
                    &mut spec
                } else {
                    &mut beside
                };
                if path.is_empty() || slot.replace(PathBuf::from(path)).is_some() {
                    return Err(crate::usage_error(&format!(
                        "{flag} takes one non-empty PATH"
                    )));
                }
            }
            "--baseline" => {
                let rev = value(flag)?.to_string_lossy().into_owned();
                if rev.is_empty() || rev.starts_with('-') || baseline.replace(rev).is_some() {
                    return Err(crate::usage_error("--baseline takes one revision"));
                }
            }
            "--runs" => runs = Some(count(&value("--runs")?, "--runs")?),
            "--builds" => builds = Some(count(&value("--builds")?, "--builds")?),
            "--quick" | "--peers" | "--no-build" if inline.is_none() => {
                let seen = match flag {
                    "--quick" => &mut quick,
                    "--peers" => &mut peers,
                    _ => &mut no_build,
                };
                if std::mem::replace(seen, true) {
                    return Err(crate::unexpected(arg));
                }
            }
            _ => return Err(crate::unexpected(arg)),
        }
    }
    let runs = runs.unwrap_or(7);
    Ok(Options {
        spec,
        beside,
        baseline,
        runs,
        builds: builds.unwrap_or(if quick { 1 } else { 3 }),
        peer_runs: if quick { 1 } else { runs.min(3) },
        peers,
        no_build,
    })
}

/// A positive count.
fn count(value: &OsString, flag: &str) -> Result<usize, Failure> {
    match value.to_str().and_then(|v| v.parse().ok()) {
        Some(n) if n > 0 => Ok(n),
        _ => Err(crate::usage_error(&format!(
            "{flag} takes a positive number, not `{}`",
            value.to_string_lossy()
        ))),
    }
}

/// The hidden `bench-generate`: one generation in memory, as `regenerate` does it but writing
/// nothing, then one report line on stdout.
pub fn generate_in_memory(
    workspace: &Path,
    spec_flag: Option<&Path>,
    started: Instant,
) -> Result<(), Failure> {
    let generated = generate::generate_document(workspace, spec_flag)?;
    let files = generated.texts();
    let bytes = files.clone().map(String::len).sum::<usize>();
    let report = ChildReport {
        wall_s: started.elapsed().as_secs_f64(),
        peak_kib: measure::own_peak_rss_kib(),
        files: files.count(),
        bytes,
    };
    println!("{}", report.to_line());
    Ok(())
}

/// `cargo xtask bench`.
pub fn run(workspace: &Path, options: &Options) -> Result<(), Failure> {
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: xtask is a debug build; generation times mean little (run `cargo xtask \
             bench`, which builds it with --release)"
        );
    }
    let settings = generate::read_settings(workspace)?;
    let documents = spec::resolve(options.spec.as_deref(), workspace, &settings)?;
    let mut canonical = Vec::new();
    for resolved in &documents {
        let path = fs::canonicalize(&resolved.path)
            .map_err(|e| Failure::environment(format!("{}: {e}", resolved.path.display())))?;
        canonical.push((resolved.document.name.clone(), path));
    }
    // The child reads the same documents; peers generate from the first (they take one).
    let spec_arg = match canonical.as_slice() {
        [(_, only)] => only.clone().into_os_string(),
        several => {
            let items: Vec<String> = several
                .iter()
                .map(|(name, path)| format!("{name}={}", path.display()))
                .collect();
            items.join(",").into()
        }
    };
    // Peers take one document: the `--beside` one when given (a peer that cannot build our
    // documents' code is then measured on the one it can, beside our SDK of it), else our first.
    let spec_path = match &options.beside {
        Some(beside) => fs::canonicalize(beside)
            .map_err(|e| Failure::environment(format!("{}: {e}", beside.display())))?,
        None => canonical[0].1.clone(),
    };
    let bench_dir = workspace.join(BENCH_DIR);
    fs::create_dir_all(&bench_dir)
        .map_err(|e| Failure::environment(format!("creating {BENCH_DIR}: {e}")))?;
    let time = GnuTime::detect(&bench_dir);
    let load_before = measure::load_average();
    let started = Instant::now();

    progress(
        "ours",
        &format!("generation: 1 warm-up + {} runs", options.runs),
    );
    let generation = generate_ours(&spec_arg, options.runs);
    let size = generated_size(workspace);
    let builds = (!options.no_build).then(|| {
        sdk_builds(
            workspace,
            &bench_dir,
            options.builds,
            time.as_ref(),
            &|line| progress("ours", line),
        )
    });
    let ours = Subject {
        name: "ours".to_owned(),
        generation,
        size,
        builds,
    };
    let beside = options
        .beside
        .is_some()
        .then(|| measure_beside(workspace, &spec_path, &bench_dir, options, time.as_ref()));
    let (baseline, baseline_commit) = match options.baseline.as_deref() {
        Some(rev) => {
            let (subject, commit) =
                measure_baseline(workspace, rev, &bench_dir, options, time.as_ref());
            (Some(subject), commit)
        }
        None => (None, None),
    };
    let downstream =
        (!options.no_build).then(|| measure_downstream(workspace, &bench_dir, options.builds));

    let mut remarks = Vec::new();
    let mut peer_subjects = Vec::new();
    let mut peer_context = Vec::new();
    if options.peers {
        let (found, missing) = peers::detect();
        remarks.extend(missing);
        let scratch = std::env::temp_dir().join("xtask-bench-peers");
        for peer in &found {
            let slug: String = peer
                .name
                .split_whitespace()
                .next()
                .unwrap_or("peer")
                .to_ascii_lowercase();
            let work = scratch.join(&slug);
            let target_dir = bench_dir.join(format!("peer-{slug}"));
            progress(
                &peer.name,
                &format!("{} generation runs", options.peer_runs),
            );
            let (subject, touched) = peers::measure(
                peer,
                &peers::Plan {
                    spec: &spec_path,
                    work: &work,
                    target_dir: &target_dir,
                    runs: options.peer_runs,
                    builds: (!options.no_build).then_some(options.builds),
                    time: time.as_ref(),
                },
                &|line| progress(&peer.name, line),
            );
            let mut description = peer.description.clone();
            if let Some(touched) = touched {
                description.push_str(&format!("; touched file: {touched}"));
            }
            peer_context.push(description);
            peer_subjects.push(subject);
        }
        let _ = fs::remove_dir_all(&scratch);
    } else {
        let installed = peers::installed_names();
        remarks.push(if installed.is_empty() {
            "Peers not run (pass --peers; none is installed).".to_owned()
        } else {
            format!(
                "Peers not run (pass --peers to run {} on the same document).",
                installed.join(" and ")
            )
        });
    }

    let load_after = measure::load_average();
    let read: Vec<String> = canonical
        .iter()
        .map(|(_, path)| {
            let sha = fs::read(path)
                .map(|bytes| spec::sha256_hex(&bytes)[..12].to_owned())
                .unwrap_or_else(|_| "?".to_owned());
            format!("{} (sha256 {sha})", spec::display(path, workspace))
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut context = vec![
        format!(
            "documents: {}{}",
            read.join(", "),
            match (options.peers, &options.beside) {
                (true, Some(_)) => "; peers generate from the --beside document".to_owned(),
                (true, None) if canonical.len() > 1 => "; peers generate from the first".to_owned(),
                _ => String::new(),
            }
        ),
        format!(
            "machine: {} CPUs, load average {} before, {} after; {}; bench took {:.0} s",
            cores,
            load_before.as_deref().unwrap_or("?"),
            load_after.as_deref().unwrap_or("?"),
            rustc_version(),
            started.elapsed().as_secs_f64()
        ),
        format!(
            "generation: release xtask, `{CHILD_COMMAND}` (load, lower, render in memory, no \
             writes), runs: {} after a warm-up; peak RSS = VmHWM{}",
            options.runs,
            match (options.peers, time.is_some()) {
                (false, _) => String::new(),
                (true, true) => format!(
                    "; peers: runs: {}, peak RSS from /usr/bin/time %M, output to a temp dir",
                    options.peer_runs
                ),
                (true, false) => format!(
                    "; peers: runs: {}, no /usr/bin/time so no peak RSS, output to a temp dir",
                    options.peer_runs
                ),
            }
        ),
        format!(
            "builds: `cargo build` (debug) in {BENCH_DIR} after a warm-up build of the \
             dependencies, median of {}; clean: the SDK crate and its parts (core, shards) \
             cleaned; touched file: {} (mtime only){}",
            options.builds,
            touched_file(workspace, &sdk_parts(workspace))
                .strip_prefix(workspace)
                .unwrap_or(Path::new(TOUCHED_MODELS))
                .display(),
            match &options.baseline {
                Some(rev) => format!(
                    "; {rev}.sdk: the workspace as committed at {rev}{} (`git archive`), built as \
                     is",
                    baseline_commit
                        .as_ref()
                        .map_or_else(String::new, |commit| format!(" ({commit})"))
                ),
                None => String::new(),
            }
        ),
    ];
    context.extend(peer_context);
    remarks.push(
        "Times are medians; the machine may be running other builds (see the load averages)."
            .to_owned(),
    );
    remarks.push(
        "Generated lines count `.rs` files: ours under jumpcloud-sdk/src/generated and, split, \
         jumpcloud-sdk-core/src/generated and each shard's src (OPERATIONS.md and the tests \
         crate's testkit not counted), peers' whole output directory."
            .to_owned(),
    );
    let report = Report {
        context,
        ours,
        beside,
        baseline,
        peers: peer_subjects,
        cores,
        remarks,
        downstream,
    };
    print!("{}", report.to_text());
    let markdown_path = bench_dir.join("report.md");
    fs::write(&markdown_path, report.to_markdown())
        .map_err(|e| Failure::environment(format!("writing {}: {e}", markdown_path.display())))?;
    eprintln!("report written to {BENCH_DIR}/report.md");
    Ok(())
}

/// The SDK generated from `spec` (canonical) alone into a scratch copy of the workspace:
/// generation, size and builds, measured as ours are.
fn measure_beside(
    workspace: &Path,
    spec: &Path,
    bench_dir: &Path,
    options: &Options,
    time: Option<&GnuTime>,
) -> Subject {
    let stem = spec
        .file_stem()
        .map_or_else(|| "beside".to_owned(), |s| s.to_string_lossy().into_owned());
    let name = format!("{stem}.sdk");
    let copy = bench_dir.join("beside").join(&stem);
    let who = name.clone();
    let say = |line: &str| progress(&who, line);
    say(&format!(
        "copy of the workspace regenerated from {} alone",
        spec.display()
    ));
    let prepared =
        beside::copy_workspace(workspace, &copy).and_then(|()| beside::regenerate(&copy, spec));
    if let Err(reason) = prepared {
        return Subject {
            name,
            generation: Err(reason),
            size: Err(String::new()),
            builds: None,
        };
    }
    say(&format!("generation: 1 warm-up + {} runs", options.runs));
    let generation = generate_ours(spec.as_os_str(), options.runs);
    let size = generated_size(&copy);
    let builds =
        (!options.no_build).then(|| sdk_builds(&copy, bench_dir, options.builds, time, &say));
    Subject {
        name,
        generation,
        size,
        builds,
    }
}

/// The SDK committed at revision `rev`, as its own workspace (`git archive`), built as ours is.
/// Its code is not regenerated: it is the crate users of that revision compiled. A revision that
/// names no commit, or cannot be unpacked, fails its build cells. Also returns the commit.
fn measure_baseline(
    workspace: &Path,
    rev: &str,
    bench_dir: &Path,
    options: &Options,
    time: Option<&GnuTime>,
) -> (Subject, Option<String>) {
    let name = format!("{rev}.sdk");
    let say = |line: &str| progress(&name, line);
    let resolved = beside::resolve_revision(workspace, rev);
    let commit = resolved.as_ref().ok().cloned();
    let unpacked = resolved.and_then(|commit| {
        say(&format!("the workspace as committed at {commit}"));
        beside::archive_commit(workspace, &commit, &bench_dir.join("baseline"))
    });
    let (size, builds) = match unpacked {
        Ok(copy) => (
            generated_size(&copy),
            (!options.no_build).then(|| sdk_builds(&copy, bench_dir, options.builds, time, &say)),
        ),
        Err(reason) => (Err(String::new()), Some(Builds::failed(0, reason, true))),
    };
    let subject = Subject {
        name,
        generation: Err("n/a (committed)".to_owned()),
        size,
        builds,
    };
    (subject, commit)
}

/// The builds of the SDK in the workspace at `dir`: clean, one generated file touched, two
/// groups' features.
fn sdk_builds(
    dir: &Path,
    bench_dir: &Path,
    runs: usize,
    time: Option<&GnuTime>,
    progress: &dyn Fn(&str),
) -> Builds {
    let parts = sdk_parts(dir);
    compile::measure(
        &compile::Crate {
            dir,
            manifest: None,
            package: SDK_PACKAGE,
            parts: &parts,
            target_dir: bench_dir,
            touch: &touched_file(dir, &parts),
            features: Some(REDUCED_FEATURES),
            registry: true,
            time,
        },
        runs,
        progress,
    )
}

/// The SDK's packages beside its crate in the workspace at `dir`, sorted: the crates its
/// manifest depends on by path, which are the core and the shards when the code is split
/// (none in a revision from before the split). Read from the revision itself, so a baseline
/// of another layout is measured as it was.
fn sdk_parts(dir: &Path) -> Vec<String> {
    let manifest = std::fs::read_to_string(dir.join(SDK_MANIFEST)).unwrap_or_default();
    let mut parts: Vec<String> = crate::manifest::sibling_path_dependencies(&manifest)
        .into_iter()
        .filter(|name| dir.join(name).join("Cargo.toml").is_file())
        .collect();
    parts.sort();
    parts
}

/// Where a part's generated code is: `src/generated` beside the core's hand-written runtime,
/// all of `src` in a shard (which the generator writes whole).
fn generated_dir_of(dir: &Path, part: &str) -> PathBuf {
    let beside_hand_written = dir.join(part).join("src/generated");
    if beside_hand_written.is_dir() {
        beside_hand_written
    } else {
        dir.join(part).join("src")
    }
}

/// The generated code of the SDK in the workspace at `dir`, its parts' included.
fn generated_size(dir: &Path) -> Measured<CodeSize> {
    let mut total = measure::code_size(&dir.join(GENERATED_DIR))
        .map_err(|e| format!("counting {}: {e}", dir.join(GENERATED_DIR).display()))?;
    for part in sdk_parts(dir) {
        let generated = generated_dir_of(dir, &part);
        let size = measure::code_size(&generated)
            .map_err(|e| format!("counting {}: {e}", generated.display()))?;
        total.files += size.files;
        total.rs_files += size.rs_files;
        total.rs_lines += size.rs_lines;
    }
    Ok(total)
}

/// The file the one-file rebuild touches (see [`TOUCHED_MODELS`]); in one crate when no
/// shard's copy defines the type.
fn touched_file(dir: &Path, parts: &[String]) -> PathBuf {
    let in_shard = parts
        .iter()
        .map(|part| generated_dir_of(dir, part))
        .filter(|generated| generated.ends_with("src"))
        .map(|generated| generated.join(TOUCHED_MODELS))
        .find(|path| std::fs::read_to_string(path).is_ok_and(|text| text.contains(TOUCHED_TYPE)));
    in_shard.unwrap_or_else(|| dir.join(GENERATED_DIR).join(TOUCHED_MODELS))
}

/// The downstream binary's own build and the client-only program's, the SDK already built:
/// median seconds of each.
fn measure_downstream(workspace: &Path, bench_dir: &Path, runs: usize) -> Downstream {
    let program = |name: &str,
                   package: &str,
                   write: fn(&Path, &Path) -> std::io::Result<beside::ProgramCrate>|
     -> Measured<f64> {
        let dir = bench_dir.join(name);
        let written =
            write(workspace, &dir).map_err(|e| format!("writing {}: {e}", dir.display()))?;
        let builds = compile::measure(
            &compile::Crate {
                dir: &dir,
                manifest: Some(&written.manifest),
                package,
                parts: &[],
                target_dir: bench_dir,
                touch: &written.program,
                features: None,
                registry: false,
                time: None,
            },
            runs,
            &|line| progress(name, line),
        );
        builds.clean_s
    };
    Downstream {
        program_s: program(
            "downstream",
            beside::DOWNSTREAM_PACKAGE,
            beside::write_downstream,
        ),
        client_only_s: program(
            "client-only",
            beside::CLIENT_ONLY_PACKAGE,
            beside::write_client_only,
        ),
    }
}

/// Runs `bench-generate` once to warm caches, then `runs` times; medians of the parent's wall
/// time, the child's own wall time, and the child's peak RSS.
fn generate_ours(spec_arg: &std::ffi::OsStr, runs: usize) -> Measured<Generation> {
    let exe = std::env::current_exe().map_err(|e| format!("finding the xtask binary: {e}"))?;
    let once = || -> Result<(f64, ChildReport), String> {
        let mut command = Command::new(&exe);
        command.arg(CHILD_COMMAND).arg("--spec").arg(spec_arg);
        let run = measure::run(&mut command, None)
            .map_err(|e| format!("running {}: {e}", exe.display()))?
            .success(CHILD_COMMAND)?;
        let stdout = String::from_utf8_lossy(&run.output.stdout);
        let report = ChildReport::parse(&stdout)
            .ok_or_else(|| format!("{CHILD_COMMAND} printed no report: {stdout}"))?;
        Ok((run.wall_s, report))
    };
    once()?;
    let mut process = Vec::new();
    let mut in_main = Vec::new();
    let mut peaks = Vec::new();
    for run in 1..=runs {
        let (wall_s, report) = once()?;
        progress(
            "ours",
            &format!(
                "generation {run}/{runs}: {wall_s:.3} s (from main {:.3} s), peak {} KiB",
                report.wall_s,
                report
                    .peak_kib
                    .map_or_else(|| "?".to_owned(), |k| k.to_string())
            ),
        );
        process.push(wall_s);
        in_main.push(report.wall_s);
        peaks.extend(report.peak_kib.map(|kib| kib as f64));
    }
    Ok(Generation {
        runs,
        process_s: median(&process).unwrap_or(f64::NAN),
        in_process_s: median(&in_main),
        peak_kib: (peaks.len() == runs)
            .then(|| median(&peaks))
            .flatten()
            .map(|kib| kib.round() as u64),
    })
}

fn rustc_version() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    measure::run(Command::new(rustc).arg("-V"), None)
        .ok()
        .filter(|run| run.output.status.success())
        .map(|run| {
            String::from_utf8_lossy(&run.output.stdout)
                .trim()
                .to_owned()
        })
        .unwrap_or_else(|| "rustc ?".to_owned())
}

fn progress(who: &str, line: &str) {
    eprintln!("bench [{who}] {line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, Failure> {
        parse_args(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    /// The parts are read from the SDK crate's manifest: here the split's core and shards, as
    /// the settings name them; a revision from before the split (no path dependency) has none.
    #[test]
    fn the_sdk_parts_are_its_path_dependencies() {
        let workspace = spec::workspace_root();
        let split = generate::read_settings(&workspace)
            .expect("codegen.yaml reads")
            .split
            .expect("the SDK's code is split");
        let mut expected = split.shard_packages();
        let first_shard = expected[0].clone();
        expected.push(split.core.clone());
        expected.sort();
        let parts = sdk_parts(&workspace);
        assert_eq!(parts, expected);
        assert_eq!(
            generated_dir_of(&workspace, &split.core),
            workspace.join(&split.core).join("src/generated")
        );
        assert_eq!(
            generated_dir_of(&workspace, &first_shard),
            workspace.join(&first_shard).join("src")
        );
        let touched = touched_file(&workspace, &parts);
        assert!(
            std::fs::read_to_string(&touched).is_ok_and(|text| text.contains(TOUCHED_TYPE)),
            "{} does not define {TOUCHED_TYPE}",
            touched.display()
        );
        assert!(sdk_parts(&workspace.join("target")).is_empty());
    }

    #[test]
    fn defaults_and_flags() {
        let defaults = Options {
            spec: None,
            beside: None,
            baseline: None,
            runs: 7,
            builds: 3,
            peer_runs: 3,
            peers: false,
            no_build: false,
        };
        assert_eq!(parse(&[]), Ok(defaults.clone()));
        assert_eq!(
            parse(&[
                "--quick",
                "--peers",
                "--spec=a.yaml",
                "--beside",
                "b.yaml",
                "--baseline",
                "6722cb8",
            ]),
            Ok(Options {
                spec: Some(PathBuf::from("a.yaml")),
                beside: Some(PathBuf::from("b.yaml")),
                baseline: Some("6722cb8".to_owned()),
                builds: 1,
                peer_runs: 1,
                peers: true,
                ..defaults.clone()
            })
        );
        assert_eq!(
            parse(&["--runs", "2", "--builds=5", "--no-build", "--quick"]),
            Ok(Options {
                runs: 2,
                builds: 5,
                peer_runs: 1,
                no_build: true,
                ..defaults.clone()
            })
        );
        assert_eq!(
            parse(&["--runs", "2"]).map(|o| o.peer_runs),
            Ok(2),
            "peers never run more often than we do"
        );
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        let bad: &[&[&str]] = &[
            &["--runs"],
            &["--runs", "0"],
            &["--runs", "many"],
            &["--builds=-1"],
            &["--spec"],
            &["--spec", "a", "--spec", "b"],
            &["--beside"],
            &["--baseline"],
            &["--baseline", "--quick"],
            &["--baseline=a", "--baseline=b"],
            &["--quick", "--quick"],
            &["--peers=yes"],
            &["extra"],
        ];
        for args in bad {
            let err = parse(args).unwrap_err();
            assert_eq!(err.code, 2, "{args:?}");
            assert!(err.message.contains("bench ["), "{args:?}: {err}");
        }
    }
}
