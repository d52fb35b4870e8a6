//! Measuring processes and files: medians, peak memory, timed child processes, line counts.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

/// The median; the mean of the two middle values for an even count. `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    })
}

/// The peak resident set size in KiB (`VmHWM`) from the text of `/proc/<pid>/status`.
pub fn parse_vmhwm(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let mut words = line["VmHWM:".len()..].split_whitespace();
    let value = words.next()?.parse().ok()?;
    match words.next() {
        Some("kB") | None => Some(value),
        Some(_) => None,
    }
}

/// This process's peak resident set size in KiB, where `/proc` exists (Linux).
pub fn own_peak_rss_kib() -> Option<u64> {
    parse_vmhwm(&fs::read_to_string("/proc/self/status").ok()?)
}

/// What `bench-generate` prints: one line, `key=value` words, so the parent can parse it.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildReport {
    /// Seconds from the start of `main` to the end of generation.
    pub wall_s: f64,
    /// `VmHWM` at the end, in KiB.
    pub peak_kib: Option<u64>,
    /// Files generated in memory, and their total size in bytes.
    pub files: usize,
    pub bytes: usize,
}

const CHILD_PREFIX: &str = "bench-generate";

impl ChildReport {
    pub fn to_line(&self) -> String {
        let peak = self
            .peak_kib
            .map_or_else(|| "-".to_owned(), |kib| kib.to_string());
        format!(
            "{CHILD_PREFIX} wall_s={:.6} peak_kib={peak} files={} bytes={}",
            self.wall_s, self.files, self.bytes
        )
    }

    /// Finds and parses the report line in a child's standard output.
    pub fn parse(stdout: &str) -> Option<Self> {
        let line = stdout
            .lines()
            .find_map(|line| line.strip_prefix(CHILD_PREFIX))?;
        let mut report = ChildReport {
            wall_s: f64::NAN,
            peak_kib: None,
            files: 0,
            bytes: 0,
        };
        for word in line.split_whitespace() {
            let (key, value) = word.split_once('=')?;
            match key {
                "wall_s" => report.wall_s = value.parse().ok()?,
                "peak_kib" if value == "-" => report.peak_kib = None,
                "peak_kib" => report.peak_kib = Some(value.parse().ok()?),
                "files" => report.files = value.parse().ok()?,
                "bytes" => report.bytes = value.parse().ok()?,
                _ => {}
            }
        }
        (!report.wall_s.is_nan()).then_some(report)
    }
}

/// What GNU time reports of a command with `-f '%e %M %U %S'`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeReport {
    /// Peak RSS in KiB (the largest process's).
    pub peak_kib: u64,
    /// User plus system CPU seconds of the command and every descendant it waited for: for a
    /// build, what all its rustc processes spent on every core together.
    pub cpu_s: f64,
}

/// The `%e %M %U %S` line that GNU time writes with `-o FILE`. It is the last line: a failing
/// command gets a "Command exited with non-zero status" line before it.
pub fn parse_time_output(text: &str) -> Option<TimeReport> {
    let line = text.lines().rev().find(|line| !line.trim().is_empty())?;
    let mut words = line.split_whitespace();
    // The elapsed time is the parent's to measure (it sees the wrapper too); it is only checked.
    let _elapsed_s: f64 = words.next()?.parse().ok()?;
    let peak_kib = words.next()?.parse().ok()?;
    let user_s: f64 = words.next()?.parse().ok()?;
    let system_s: f64 = words.next()?.parse().ok()?;
    words.next().is_none().then_some(TimeReport {
        peak_kib,
        cpu_s: user_s + system_s,
    })
}

/// Lines in a text file: newline count, plus one for a last line without a newline.
pub fn count_lines(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
    newlines + usize::from(bytes.last().is_some_and(|&b| b != b'\n'))
}

/// The size of a tree of generated code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CodeSize {
    /// Every file, of any kind.
    pub files: usize,
    /// `.rs` files and their lines.
    pub rs_files: usize,
    pub rs_lines: usize,
}

/// Counts the files under `dir` (recursively; `target/` directories skipped).
pub fn code_size(dir: &Path) -> io::Result<CodeSize> {
    let mut size = CodeSize::default();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                if entry.file_name() != "target" {
                    pending.push(path);
                }
            } else if kind.is_file() {
                size.files += 1;
                if path.extension() == Some(OsStr::new("rs")) {
                    size.rs_files += 1;
                    size.rs_lines += count_lines(&fs::read(&path)?);
                }
            }
        }
    }
    Ok(size)
}

/// The first `name` on `$PATH` (or in `$CARGO_HOME/bin`, where `cargo install` puts binaries).
pub fn find_program(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default();
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    dirs.extend(cargo_home.map(|home| home.join("bin")));
    dirs.into_iter()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` shows them.
pub fn load_average() -> Option<String> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    (words.len() == 3).then(|| words.join(" "))
}

/// A finished child process: its output and the wall time the parent saw (spawn to exit).
pub struct Run {
    pub wall_s: f64,
    /// Peak RSS in KiB reported by GNU time, when the run was wrapped in it.
    pub peak_kib: Option<u64>,
    /// CPU seconds (user + system, descendants included) reported by GNU time, likewise.
    pub cpu_s: Option<f64>,
    pub output: Output,
}

impl Run {
    /// `Ok` with the run if it exited successfully, else `Err` with a short reason.
    pub fn success(self, what: &str) -> Result<Run, String> {
        if self.output.status.success() {
            Ok(self)
        } else {
            Err(format!(
                "{what} failed ({}): {}",
                self.output.status,
                first_error(&self.output)
            ))
        }
    }
}

/// Runs `command` to completion with its output captured, timing it from spawn to exit. With
/// `time` (GNU time), the command runs under `time -f '%e %M %U %S' -o FILE` to read its peak
/// RSS (the largest of its descendants') and its CPU time (theirs summed).
pub fn run(command: &mut Command, time: Option<&GnuTime>) -> io::Result<Run> {
    command.stdin(Stdio::null());
    let mut wrapped;
    let command = match time {
        Some(time) => {
            let _ = fs::remove_file(&time.output);
            wrapped = Command::new(&time.program);
            wrapped
                .args(["-f", "%e %M %U %S", "-o"])
                .arg(&time.output)
                .arg(command.get_program())
                .args(command.get_args())
                .stdin(Stdio::null());
            for (key, value) in command.get_envs() {
                match value {
                    Some(value) => wrapped.env(key, value),
                    None => wrapped.env_remove(key),
                };
            }
            if let Some(dir) = command.get_current_dir() {
                wrapped.current_dir(dir);
            }
            &mut wrapped
        }
        None => command,
    };
    let started = Instant::now();
    let output = command.output()?;
    let wall_s = started.elapsed().as_secs_f64();
    let report = time
        .and_then(|time| fs::read_to_string(&time.output).ok())
        .and_then(|text| parse_time_output(&text));
    Ok(Run {
        wall_s,
        peak_kib: report.map(|report| report.peak_kib),
        cpu_s: report.map(|report| report.cpu_s),
        output,
    })
}

/// GNU time, found and verified to accept `-f` and `-o`.
pub struct GnuTime {
    program: PathBuf,
    /// Where it writes its report.
    output: PathBuf,
}

impl GnuTime {
    /// `/usr/bin/time` if it works as GNU time does; `scratch` is a directory for its report.
    pub fn detect(scratch: &Path) -> Option<GnuTime> {
        let time = GnuTime {
            program: PathBuf::from("/usr/bin/time"),
            output: scratch.join("time.out"),
        };
        if !time.program.is_file() {
            return None;
        }
        let probe = run(&mut Command::new("true"), Some(&time)).ok()?;
        let report = fs::read_to_string(&time.output).ok()?;
        (probe.output.status.success() && parse_time_output(&report).is_some()).then_some(time)
    }
}

/// A short reason for a failed command: the first line of stderr, and of stdout, that starts
/// with `error` or mentions a failure or an exception (stdout's only when it says something
/// else); without one, the last line of stderr, else of stdout.
pub fn first_error(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut found: Vec<String> = [&stderr, &stdout]
        .into_iter()
        .filter_map(|text| error_line(text))
        .collect();
    found.dedup();
    let text = if found.is_empty() {
        stderr
            .lines()
            .chain(stdout.lines())
            .rev()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("(no output)")
            .trim()
            .to_owned()
    } else {
        found.join(" / ")
    };
    shorten(&text, 240)
}

/// The first error line of one stream, with rustc's `--> file:line` after it when present.
fn error_line(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let i = lines.iter().position(|line| {
        let lower = line.to_ascii_lowercase();
        lower.starts_with("error")
            || !lower.starts_with("warning")
                && (lower.contains("exception") || lower.contains(" fail"))
    })?;
    Some(match lines.get(i + 1) {
        Some(next) if next.starts_with("-->") => format!("{} {next}", lines[i]),
        _ => lines[i].to_owned(),
    })
}

/// `text` cut to at most `max` characters, with `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[9.0, 1.0, 1.5, 100.0, 2.0, 2.5, 3.0]), Some(2.5));
        assert_eq!(median(&[f64::NAN, 2.0]), Some(2.0));
    }

    #[test]
    fn vmhwm_is_read_from_proc_status() {
        let status = "Name:\txtask\nVmPeak:\t  200000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t 70000 kB\n";
        assert_eq!(parse_vmhwm(status), Some(81234));
        assert_eq!(parse_vmhwm("VmRSS:\t 70000 kB\n"), None);
        assert_eq!(parse_vmhwm("VmHWM:\t lots kB\n"), None);
        assert_eq!(parse_vmhwm("VmHWM:\t 12 MB\n"), None);
        if cfg!(target_os = "linux") {
            assert!(own_peak_rss_kib().is_some_and(|kib| kib > 0));
        }
    }

    #[test]
    fn child_reports_round_trip() {
        let report = ChildReport {
            wall_s: 0.25,
            peak_kib: Some(1024),
            files: 3,
            bytes: 99,
        };
        let stdout = format!("noise\n{}\n", report.to_line());
        assert_eq!(ChildReport::parse(&stdout), Some(report.clone()));
        let no_peak = ChildReport {
            peak_kib: None,
            ..report
        };
        assert_eq!(ChildReport::parse(&no_peak.to_line()), Some(no_peak));
        assert_eq!(ChildReport::parse("bench-generate files=3"), None);
        assert_eq!(ChildReport::parse("regenerated"), None);
    }

    #[test]
    fn gnu_time_reports_are_parsed_from_the_last_line() {
        let report = |peak_kib, cpu_s| Some(TimeReport { peak_kib, cpu_s });
        assert_eq!(
            parse_time_output("12.20 528384 17.50 1.25\n"),
            report(528384, 18.75)
        );
        assert_eq!(
            parse_time_output("Command exited with non-zero status 1\n1.30 104448 0.50 0.25\n"),
            report(104448, 0.75)
        );
        // The format without CPU times, or with words after them, is not GNU time's answer.
        assert_eq!(parse_time_output("12.20 528384\n"), None);
        assert_eq!(parse_time_output("1.0 2 3.0 4.0 5\n"), None);
        assert_eq!(parse_time_output(""), None);
        assert_eq!(parse_time_output("Command terminated by signal 9\n"), None);
    }

    #[test]
    fn lines_are_counted_with_or_without_a_final_newline() {
        assert_eq!(count_lines(b""), 0);
        assert_eq!(count_lines(b"a"), 1);
        assert_eq!(count_lines(b"a\n"), 1);
        assert_eq!(count_lines(b"a\n\nb"), 3);
    }

    #[test]
    fn code_size_counts_rust_lines_and_all_files() {
        let tmp = crate::testutil::TempDir::new("bench-size");
        fs::create_dir_all(tmp.path("src/models")).unwrap();
        fs::create_dir_all(tmp.path("target")).unwrap();
        fs::write(tmp.path("src/lib.rs"), "mod models;\n").unwrap();
        fs::write(tmp.path("src/models/a.rs"), "struct A;\nstruct B;\n").unwrap();
        fs::write(tmp.path("README.md"), "# x\n\ny\n").unwrap();
        fs::write(tmp.path("target/skipped.rs"), "x\n").unwrap();
        assert_eq!(
            code_size(&tmp.0).unwrap(),
            CodeSize {
                files: 3,
                rs_files: 2,
                rs_lines: 3
            }
        );
    }

    #[cfg(unix)]
    #[test]
    fn errors_are_summarized_briefly() {
        use std::os::unix::process::ExitStatusExt;
        let both = |stderr: &str, stdout: &str| Output {
            status: std::process::ExitStatus::from_raw(256),
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
        };
        let output = |stderr: &str| both(stderr, "");
        assert_eq!(
            first_error(&both(
                "Error: generation experienced errors\n\nStack backtrace:\n",
                "gen fail: UnexpectedFormat(\"multipart/form-data\")\n"
            )),
            "Error: generation experienced errors / gen fail: UnexpectedFormat(\"multipart/form-data\")"
        );
        assert_eq!(first_error(&both("error: x\n", "error: x\n")), "error: x");
        assert_eq!(
            first_error(&output(
                "   Compiling x\nerror[E0425]: bad\n  --> src/a.rs\nmore\n"
            )),
            "error[E0425]: bad --> src/a.rs"
        );
        assert_eq!(
            first_error(&output(
                "gen fail: UnexpectedFormat(\"x\")\nError: errors\n"
            )),
            "gen fail: UnexpectedFormat(\"x\")"
        );
        assert_eq!(first_error(&output("error: a\nb\n")), "error: a");
        assert_eq!(first_error(&output("one\nlast words\n")), "last words");
        assert_eq!(first_error(&output("")), "(no output)");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
