//! Workspace tasks, run as `cargo xtask <command>` (see [`USAGE`]).
//!
//! Exit codes: 0 success, 1 a check or the generation failed, 2 bad usage or environment.

mod bench;
mod corpus;
mod diff_spec;
mod failure;
mod fetch;
mod generate;
mod manifest;
mod readme;
mod semver_oracle;
mod spec;
mod test_all;
#[cfg(test)]
mod testutil;
mod tidy;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use failure::Failure;

// Generation allocates and frees millions of small token nodes; glibc's malloc
// spent about a third of generation's CPU time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  regenerate [--spec PATH] [--rederive-names | --rebalance-shards]
                            regenerate jumpcloud-sdk's generated code, spec/README.md and
                            jumpcloud-sdk/names.lock, keeping every locked name and each
                            group's shard crate; --rederive-names names everything by today's
                            rules, keeping each changed name as a deprecated alias for one
                            release; --rebalance-shards deals the groups to the shards afresh
  test [ARGS...]            every test: installs the contract test's Prism (npm ci) when
                            node_modules is missing or stale, then cargo test --workspace ARGS
  check [--spec PATH]       fail if the document or the generated code differs from what is
                            committed (writes no generated files)
  fetch-spec [--force]      download the OpenAPI document to spec/jumpcloud-v2.yaml and verify
                            its sha256 against spec/README.md (--force accepts a new document)
  bench [--spec PATH] [--beside PATH] [--baseline REV] [--runs N] [--builds N] [--quick]
        [--no-build] [--peers]
                            print generation time and peak memory (median of --runs, default 7),
                            generated lines, and compile times of jumpcloud-sdk in target/bench
                            (clean crate, incremental and not, one-file touch, users+user_groups
                            features; median of --builds, default 3; --quick: 1) and of a
                            downstream binary calling 20 operations; also writes
                            target/bench/report.md. --beside PATH
                            also generates the SDK from PATH alone in a scratch copy and measures
                            it in the same run (--peers then generate from PATH).
                            --baseline REV builds the SDK as committed at REV beside ours (the
                            clean build's yardstick; else --beside's SDK is).
                            Takes a few minutes. --peers also runs OpenAPI Generator
                            (openapi-generator-cli) and progenitor (cargo-progenitor) where
                            installed, with ratios: many minutes more
  corpus [--no-check] [--only TEXT]
                            generate every document in ../shared/specs (or those whose path
                            contains TEXT) into a scratch crate under target/corpus beside the
                            SDK's runtime and `cargo check` each; prints a table (also
                            target/corpus/report.md). Fails if a document the loader accepts does
                            not generate or a crate does not check
  diff-spec OLD NEW [--out FILE]
                            what changing the document from OLD to NEW means for a Rust caller
                            (operations, parameters, fields, enum values added, removed,
                            renamed, retyped), each breaking or compatible with the reason: a
                            markdown report (or --out FILE), then a summary line. Both go
                            through the generator with jumpcloud-sdk/names.lock. Exit 1 when a
                            change is breaking
  semver-oracle OLD NEW     generate the SDK from OLD and from NEW into target/semver and run
                            cargo-semver-checks (installed separately) on the pair, beside
                            diff-spec's counts (target/semver/report.md). Minutes; not in CI
  help                      show this text

The document is --spec PATH, else $JUMPCLOUD_SPEC, else spec/jumpcloud-v2.yaml (copied from
../shared/specs/jumpcloud-v2.yaml when that exists).

exit status: 0 ok, 1 check or generation failed, 2 usage or environment error";

/// A parsed command line.
#[derive(Debug, PartialEq, Eq)]
enum Task {
    Regenerate {
        spec: Option<PathBuf>,
        names: generate::Names,
    },
    Check {
        spec: Option<PathBuf>,
    },
    FetchSpec {
        force: bool,
    },
    DiffSpec {
        old: PathBuf,
        new: PathBuf,
        out: Option<PathBuf>,
    },
    SemverOracle {
        old: PathBuf,
        new: PathBuf,
    },
    Test(Vec<OsString>),
    Bench(bench::Options),
    BenchGenerate {
        spec: Option<PathBuf>,
    },
    Corpus {
        check: bool,
        only: Option<String>,
    },
    Help,
}

fn main() -> ExitCode {
    let started = Instant::now();
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    match parse(&args).and_then(|task| run(task, started)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(failure.code)
        }
    }
}

fn run(task: Task, started: Instant) -> Result<(), Failure> {
    let workspace = spec::workspace_root();
    match task {
        Task::Regenerate { spec, names } => {
            generate::regenerate(&workspace, spec.as_deref(), names, started)
        }
        Task::Check { spec } => generate::check(&workspace, spec.as_deref()),
        Task::FetchSpec { force } => fetch::run(&workspace, force),
        Task::Bench(options) => bench::run(&workspace, &options),
        // Hidden: one measured generation in memory, run by `bench`.
        Task::BenchGenerate { spec } => {
            bench::generate_in_memory(&workspace, spec.as_deref(), started)
        }
        Task::Corpus { check, only } => corpus::run(&workspace, check, only.as_deref()),
        Task::DiffSpec { old, new, out } => diff_spec::run(&workspace, &old, &new, out.as_deref()),
        Task::SemverOracle { old, new } => semver_oracle::run(&workspace, &old, &new),
        Task::Test(args) => test_all::run(&workspace, &args),
        Task::Help => {
            println!("{USAGE}");
            Ok(())
        }
    }
}

/// Parses the arguments after `cargo xtask`. `-h`/`--help` anywhere means help.
fn parse(args: &[OsString]) -> Result<Task, Failure> {
    // `test` hands everything after it to `cargo test` (`-- --nocapture`, `--help` too).
    if let Some((command, rest)) = args.split_first() {
        if command == "test" {
            return Ok(Task::Test(rest.to_vec()));
        }
    }
    if args.iter().any(|arg| arg == "-h" || arg == "--help") {
        return Ok(Task::Help);
    }
    let Some((command, rest)) = args.split_first() else {
        return Err(usage_error("no command given"));
    };
    match command.to_str() {
        Some("regenerate") => {
            let flag = |name: &str| rest.iter().any(|a| a == name);
            let names = match (flag("--rederive-names"), flag("--rebalance-shards")) {
                (true, true) => {
                    return Err(usage_error(
                        "--rederive-names and --rebalance-shards: one at a time",
                    ))
                }
                (true, false) => generate::Names::Rederive,
                (false, true) => generate::Names::RebalanceShards,
                (false, false) => generate::Names::Locked,
            };
            let rest: Vec<OsString> = rest
                .iter()
                .filter(|a| *a != "--rederive-names" && *a != "--rebalance-shards")
                .cloned()
                .collect();
            Ok(Task::Regenerate {
                spec: parse_spec(&rest)?,
                names,
            })
        }
        Some("check") => Ok(Task::Check {
            spec: parse_spec(rest)?,
        }),
        Some("fetch-spec") => Ok(Task::FetchSpec {
            force: parse_force(rest)?,
        }),
        Some("bench") => Ok(Task::Bench(bench::parse_args(rest)?)),
        Some(bench::CHILD_COMMAND) => Ok(Task::BenchGenerate {
            spec: parse_spec(rest)?,
        }),
        Some("corpus") => parse_corpus(rest),
        Some("diff-spec") => parse_diff_spec(rest),
        Some("semver-oracle") => match parse_diff_spec(rest)? {
            Task::DiffSpec {
                old,
                new,
                out: None,
            } => Ok(Task::SemverOracle { old, new }),
            _ => Err(usage_error(
                "semver-oracle takes two documents, OLD and NEW",
            )),
        },
        Some("help") if rest.is_empty() => Ok(Task::Help),
        _ => Err(usage_error(&format!(
            "unknown command `{}`",
            command.to_string_lossy()
        ))),
    }
}

/// `[--spec PATH | --spec=PATH]`, at most once.
fn parse_spec(args: &[OsString]) -> Result<Option<PathBuf>, Failure> {
    let mut spec = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = if arg == "--spec" {
            args.next()
                .cloned()
                .ok_or_else(|| usage_error("--spec needs a PATH"))?
        } else if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--spec=")) {
            OsString::from(value)
        } else {
            return Err(unexpected(arg));
        };
        if value.is_empty() || spec.replace(PathBuf::from(value)).is_some() {
            return Err(usage_error("--spec takes one non-empty PATH"));
        }
    }
    Ok(spec)
}

/// `[--no-check] [--only TEXT]`.
fn parse_corpus(args: &[OsString]) -> Result<Task, Failure> {
    let mut check = true;
    let mut only = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--no-check" && check {
            check = false;
        } else if arg == "--only" && only.is_none() {
            let value = args
                .next()
                .and_then(|v| v.to_str())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| usage_error("--only needs a TEXT"))?;
            only = Some(value.to_owned());
        } else {
            return Err(unexpected(arg));
        }
    }
    Ok(Task::Corpus { check, only })
}

/// `OLD NEW [--out FILE]`.
fn parse_diff_spec(args: &[OsString]) -> Result<Task, Failure> {
    let mut paths = Vec::new();
    let mut out = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--out" && out.is_none() {
            let value = args
                .next()
                .ok_or_else(|| usage_error("--out needs a FILE"))?;
            out = Some(PathBuf::from(value));
        } else if arg.to_str().is_some_and(|a| a.starts_with("--")) {
            return Err(unexpected(arg));
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    match <[PathBuf; 2]>::try_from(paths) {
        Ok([old, new]) => Ok(Task::DiffSpec { old, new, out }),
        Err(_) => Err(usage_error("diff-spec takes two documents, OLD and NEW")),
    }
}

/// `[--force]`.
fn parse_force(args: &[OsString]) -> Result<bool, Failure> {
    let mut force = false;
    for arg in args {
        if arg != "--force" || force {
            return Err(unexpected(arg));
        }
        force = true;
    }
    Ok(force)
}

fn unexpected(arg: &OsString) -> Failure {
    usage_error(&format!("unexpected argument `{}`", arg.to_string_lossy()))
}

fn usage_error(message: &str) -> Failure {
    Failure::environment(format!("{message}\n\n{USAGE}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Task, Failure> {
        parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    #[test]
    fn parses_commands() {
        let spec = |p: &str| Some(PathBuf::from(p));
        assert_eq!(
            parse_strs(&["regenerate"]),
            Ok(Task::Regenerate {
                spec: None,
                names: generate::Names::Locked
            })
        );
        assert_eq!(
            parse_strs(&["regenerate", "--rederive-names", "--spec", "a.yaml"]),
            Ok(Task::Regenerate {
                spec: spec("a.yaml"),
                names: generate::Names::Rederive
            })
        );
        assert_eq!(
            parse_strs(&["regenerate", "--rebalance-shards"]),
            Ok(Task::Regenerate {
                spec: None,
                names: generate::Names::RebalanceShards
            })
        );
        assert!(parse_strs(&["regenerate", "--rebalance-shards", "--rederive-names"]).is_err());
        assert_eq!(
            parse_strs(&["check", "--spec=b.yaml"]),
            Ok(Task::Check {
                spec: spec("b.yaml")
            })
        );
        assert_eq!(
            parse_strs(&["fetch-spec"]),
            Ok(Task::FetchSpec { force: false })
        );
        assert_eq!(
            parse_strs(&["fetch-spec", "--force"]),
            Ok(Task::FetchSpec { force: true })
        );
        assert!(matches!(
            parse_strs(&["bench", "--quick"]),
            Ok(Task::Bench(bench::Options { builds: 1, .. }))
        ));
        assert_eq!(
            parse_strs(&["bench-generate", "--spec", "a.yaml"]),
            Ok(Task::BenchGenerate {
                spec: spec("a.yaml")
            })
        );
        assert_eq!(
            parse_strs(&["corpus", "--no-check", "--only", "other/"]),
            Ok(Task::Corpus {
                check: false,
                only: Some("other/".into())
            })
        );
        assert_eq!(
            parse_strs(&["diff-spec", "a.yaml", "b.yaml", "--out", "r.md"]),
            Ok(Task::DiffSpec {
                old: PathBuf::from("a.yaml"),
                new: PathBuf::from("b.yaml"),
                out: Some(PathBuf::from("r.md"))
            })
        );
        assert_eq!(
            parse_strs(&["test", "--locked", "--", "--help"]),
            Ok(Task::Test(vec![
                "--locked".into(),
                "--".into(),
                "--help".into()
            ]))
        );
        assert_eq!(parse_strs(&["help"]), Ok(Task::Help));
        assert_eq!(parse_strs(&["check", "--help"]), Ok(Task::Help));
    }

    #[test]
    fn usage_errors_exit_2_with_the_usage() {
        let bad: &[&[&str]] = &[
            &[],
            &["frobnicate"],
            &["regenerate", "--spec"],
            &["regenerate", "--spec", "a", "--spec", "b"],
            &["check", "--spec="],
            &["check", "extra"],
            &["fetch-spec", "--spec", "a"],
            &["fetch-spec", "--force", "--force"],
            &["help", "me"],
            &["diff-spec", "only-one.yaml"],
            &["diff-spec", "a", "b", "--frob"],
        ];
        for args in bad {
            let err = parse_strs(args).unwrap_err();
            assert_eq!(err.code, 2, "{args:?}");
            assert!(
                err.message.contains("fetch-spec [--force]"),
                "{args:?}: {err}"
            );
        }
    }
}
