//! The benchmark's results and how they are shown: an aligned table for the terminal and the
//! same table in markdown.

use super::measure::CodeSize;

/// A measurement, or why there is none: text starting with `n/a` is shown as is, anything else
/// is a failure shown as a numbered note.
pub type Measured<T> = Result<T, String>;

/// Generation time and memory: medians over `runs` runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    pub runs: usize,
    /// Wall time seen by the parent, process start to exit.
    pub process_s: f64,
    /// Wall time measured inside the process from the start of `main` (ours only).
    pub in_process_s: Option<f64>,
    /// Peak RSS in KiB.
    pub peak_kib: Option<u64>,
}

/// `cargo build` times: medians over `runs` builds.
#[derive(Debug, Clone, PartialEq)]
pub struct Builds {
    pub runs: usize,
    /// The crate cleaned (`cargo clean -p`), dependencies already built.
    pub clean_s: Measured<f64>,
    /// After touching one file of the crate.
    pub touch_s: Measured<f64>,
    /// The crate cleaned, built without incremental compilation, as cargo builds a dependency
    /// from a registry (what users of the published crate pay).
    pub registry_s: Measured<f64>,
    /// The crate cleaned, built with only two groups' features (ours only).
    pub features_s: Option<Measured<f64>>,
    /// That build's CPU time (user + system, every rustc process), when GNU time read it.
    pub features_cpu_s: Option<f64>,
    /// The crate cleaned, built with no group's features: the runtime and the SDK crate, the
    /// fixed part of every reduced build (ours only, with `features_s`).
    pub floor_s: Option<Measured<f64>>,
}

impl Builds {
    /// Every build failed for `reason` (the features build only if it was asked for).
    pub fn failed(runs: usize, reason: String, features: bool) -> Self {
        Builds {
            runs,
            clean_s: Err(reason.clone()),
            touch_s: Err(reason.clone()),
            registry_s: Err(reason.clone()),
            features_s: features.then_some(Err(reason.clone())),
            features_cpu_s: None,
            floor_s: features.then_some(Err(reason)),
        }
    }
}

/// One generator's results.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    /// Short name for column headers.
    pub name: String,
    pub generation: Measured<Generation>,
    pub size: Measured<CodeSize>,
    /// `None` when builds were not measured at all.
    pub builds: Option<Builds>,
}

/// Everything a bench run shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Lines printed above the table (machine, document, settings).
    pub context: Vec<String>,
    pub ours: Subject,
    /// The SDK generated from another document by the same generator (`--beside`): the first
    /// column after ours, and the clean-build target's yardstick without a baseline.
    pub beside: Option<Subject>,
    /// The SDK as committed at an earlier revision (`--baseline`): the column after `beside`,
    /// and the clean-build target's yardstick when it built (the crate users build today).
    pub baseline: Option<Subject>,
    pub peers: Vec<Subject>,
    /// The cores cargo had: no schedule of a build finishes under its CPU time over these.
    pub cores: usize,
    /// The downstream binary's own build and the client-only program's, ours only.
    pub downstream: Option<Downstream>,
    /// Lines printed below the table, after the numbered failure notes.
    pub remarks: Vec<String>,
}

/// The builds of the programs that use the SDK, each `cargo clean -p` and built, the SDK
/// already built.
#[derive(Debug, Clone, PartialEq)]
pub struct Downstream {
    /// The program calling twenty operations.
    pub program_s: Measured<f64>,
    /// A program with the same dependencies that only builds a client.
    pub client_only_s: Measured<f64>,
}

/// The targets for our generator.
pub const TARGET_GENERATION_S: f64 = 0.5;
pub const TARGET_PEAK_MIB: f64 = 150.0;
/// Without `--baseline` or `--beside`, the clean build's target is absolute.
pub const TARGET_CLEAN_BUILD_S: f64 = 20.0;
pub const TARGET_TOUCH_PERCENT: f64 = 25.0;
pub const TARGET_FEATURES_PERCENT: f64 = 10.0;
pub const TARGET_DOWNSTREAM_S: f64 = 2.0;

/// A table of text cells; the first row of `rows` is not special, `headers` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Columns padded to their widest cell, separated by two spaces, with a rule under the
    /// headers. Widths count characters, so `≤` and `×` take one column.
    pub fn to_text(&self) -> String {
        let widths = self.widths();
        let line = |cells: &[String]| {
            let padded: Vec<String> = widths
                .iter()
                .enumerate()
                .map(|(i, width)| {
                    let cell = cells.get(i).map_or("", String::as_str);
                    format!("{cell}{}", " ".repeat(width - cell.chars().count()))
                })
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        let mut out = vec![line(&self.headers), rule.join("  ")];
        out.extend(self.rows.iter().map(|row| line(row)));
        out.join("\n") + "\n"
    }

    /// A GitHub-flavoured markdown table; `|` in cells is escaped.
    pub fn to_markdown(&self) -> String {
        let columns = self.widths().len();
        let line = |cells: &[String]| {
            let cells: Vec<String> = (0..columns)
                .map(|i| cells.get(i).map_or("", String::as_str).replace('|', "\\|"))
                .collect();
            format!("| {} |", cells.join(" | "))
        };
        let mut out = vec![line(&self.headers), format!("|{}", "---|".repeat(columns))];
        out.extend(self.rows.iter().map(|row| line(row)));
        out.join("\n") + "\n"
    }

    fn widths(&self) -> Vec<usize> {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        (0..columns)
            .map(|i| {
                self.rows
                    .iter()
                    .chain([&self.headers])
                    .filter_map(|row| row.get(i))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }
}

impl Report {
    /// The table and the numbered failure notes its cells refer to.
    pub fn table(&self) -> (Table, Vec<String>) {
        let mut notes = Notes::default();
        let mut headers = vec!["metric".to_owned(), "ours".to_owned(), "target".to_owned()];
        for peer in self.columns() {
            headers.push(peer.name.clone());
            headers.push(format!("ours/{}", short_name(&peer.name)));
        }
        let mut rows = Vec::new();
        let ours = &self.ours;
        let runs = |m: &Measured<Generation>| m.as_ref().map_or(0, |g| g.runs);

        // Generation.
        let process = |s: &Subject| s.generation.clone().map(|g| g.process_s);
        rows.push(self.row(
            &format!(
                "generation wall, process (median of {})",
                runs(&ours.generation)
            ),
            process(ours).map(|s| (secs(s), s)),
            &target_max(
                process(ours).ok(),
                TARGET_GENERATION_S,
                &format!("{TARGET_GENERATION_S} s"),
            ),
            &|peer| process(peer).map(|s| (secs(s), s)),
            &mut notes,
        ));
        let in_process = ours.generation.clone().and_then(|g| {
            g.in_process_s
                .ok_or_else(|| "n/a (not reported)".to_owned())
        });
        rows.push(self.row(
            "generation wall, from main (no process start)",
            in_process.clone().map(|s| (secs(s), s)),
            &target_max(
                in_process.ok(),
                TARGET_GENERATION_S,
                &format!("{TARGET_GENERATION_S} s"),
            ),
            &|_| Err(String::new()),
            &mut notes,
        ));
        let peak = |s: &Subject| {
            s.generation.clone().and_then(|g| {
                g.peak_kib
                    .ok_or_else(|| "n/a (no /usr/bin/time)".to_owned())
            })
        };
        rows.push(self.row(
            "generation peak RSS (median)",
            peak(ours).map(|kib| (mib(kib), kib as f64)),
            &target_max(
                peak(ours).ok().map(|kib| kib as f64 / 1024.0),
                TARGET_PEAK_MIB,
                &format!("{TARGET_PEAK_MIB} MiB"),
            ),
            &|peer| peak(peer).map(|kib| (mib(kib), kib as f64)),
            &mut notes,
        ));

        // Size.
        let lines = |s: &Subject| {
            s.size
                .clone()
                .map(|z| (count(z.rs_lines), z.rs_lines as f64))
        };
        let files = |s: &Subject| {
            s.size.clone().map(|z| {
                (
                    format!("{} .rs ({} in all)", count(z.rs_files), count(z.files)),
                    z.rs_files as f64,
                )
            })
        };
        rows.push(self.row("generated lines (.rs)", lines(ours), "", &lines, &mut notes));
        rows.push(self.row("generated files", files(ours), "", &files, &mut notes));

        // Builds.
        let builds_runs = match &ours.builds {
            Some(builds) => format!(" (median of {})", builds.runs),
            None => String::new(),
        };
        let clean = |s: &Subject| build_time(s, |b| b.clean_s.clone());
        let touch = |s: &Subject| build_time(s, |b| b.touch_s.clone());
        // The baseline is the yardstick; `--beside`'s SDK when the baseline did not build.
        let yardsticks = || self.baseline.iter().chain(&self.beside);
        let yardstick = yardsticks()
            .find(|s| clean(s).is_ok())
            .or_else(|| yardsticks().next());
        let clean_target = match yardstick {
            Some(yardstick) => target_max(
                clean(ours).ok(),
                clean(yardstick).unwrap_or(f64::NAN),
                short_name(&yardstick.name),
            ),
            None => target_max(
                clean(ours).ok(),
                TARGET_CLEAN_BUILD_S,
                &format!("{TARGET_CLEAN_BUILD_S} s"),
            ),
        };
        rows.push(self.row(
            &format!("cargo build, crate cleaned{builds_runs}"),
            clean(ours).map(|s| (secs(s), s)),
            &clean_target,
            &|peer| clean(peer).map(|s| (secs(s), s)),
            &mut notes,
        ));
        let registry = |s: &Subject| build_time(s, |b| b.registry_s.clone());
        rows.push(self.row(
            "cargo build, crate cleaned, not incremental (as a registry dependency)",
            registry(ours).map(|s| (secs(s), s)),
            "",
            &|peer| registry(peer).map(|s| (secs(s), s)),
            &mut notes,
        ));
        let (touch_cell, touch_percent) = share(touch(ours), clean(ours), "clean");
        rows.push(self.row(
            "cargo build after touching one file",
            touch_cell,
            &target_max(
                touch_percent,
                TARGET_TOUCH_PERCENT,
                &format!("{TARGET_TOUCH_PERCENT:.0}% of clean"),
            ),
            &|peer| touch(peer).map(|s| (secs(s), s)),
            &mut notes,
        ));
        let features = |s: &Subject, missing: &str| {
            build_time(s, |b| {
                b.features_s
                    .clone()
                    .unwrap_or_else(|| Err(missing.to_owned()))
            })
        };
        let (features_cell, percent) =
            share(features(ours, "n/a (not measured)"), clean(ours), "full");
        rows.push(self.row(
            "cargo build, users + user_groups features only",
            features_cell,
            &target_max(
                percent,
                TARGET_FEATURES_PERCENT,
                &format!("{TARGET_FEATURES_PERCENT:.0}% of full"),
            ),
            &|peer| share(features(peer, ""), clean(peer), "full").0,
            &mut notes,
        ));
        // Why the row above cannot fall below a bound: its CPU time over the cores.
        let cores = match self.cores {
            1 => "1 core".to_owned(),
            n => format!("{n} cores"),
        };
        let features_cpu = |s: &Subject| match &s.builds {
            Some(Builds {
                features_cpu_s: Some(cpu_s),
                ..
            }) => {
                let bound = cpu_s / self.cores.max(1) as f64;
                Ok((
                    format!("{} (at least {} on {cores})", secs(*cpu_s), secs(bound)),
                    *cpu_s,
                ))
            }
            _ => Err(String::new()),
        };
        let ours_cpu = features_cpu(ours);
        if ours_cpu.is_ok() {
            rows.push(self.row(
                "CPU time of that build (user + system)",
                ours_cpu,
                "",
                &features_cpu,
                &mut notes,
            ));
        }
        // The fixed part of the row above: no reduced build can cost less than this.
        let floor = |s: &Subject, missing: &str| {
            build_time(s, |b| {
                b.floor_s.clone().unwrap_or_else(|| Err(missing.to_owned()))
            })
        };
        rows.push(self.row(
            "cargo build, no group's features (the runtime and the SDK crate)",
            share(floor(ours, "n/a (not measured)"), clean(ours), "full").0,
            "the floor of any features build",
            &|peer| share(floor(peer, ""), clean(peer), "full").0,
            &mut notes,
        ));
        if let Some(downstream) = &self.downstream {
            // What the operations add, beside what any program with the SDK pays.
            let cell = downstream.program_s.clone().map(|s| {
                let text = match &downstream.client_only_s {
                    Ok(client_only) => format!(
                        "{} (client only: {}; the operations add {})",
                        secs(s),
                        secs(*client_only),
                        secs(s - client_only)
                    ),
                    Err(_) => secs(s),
                };
                (text, s)
            });
            rows.push(self.row(
                "downstream binary calling 20 operations, its own build",
                cell,
                &target_max(
                    downstream.program_s.as_ref().ok().copied(),
                    TARGET_DOWNSTREAM_S,
                    &format!("{TARGET_DOWNSTREAM_S} s"),
                ),
                &|_| Err(String::new()),
                &mut notes,
            ));
        }
        (Table { headers, rows }, notes.0)
    }

    /// The subjects shown beside ours: the `--beside` SDK, the `--baseline` one, then the peers.
    fn columns(&self) -> impl Iterator<Item = &Subject> {
        self.beside.iter().chain(&self.baseline).chain(&self.peers)
    }

    /// One table row: our cell, the target cell, then each peer's cell and our ratio to it.
    /// A peer's `Err("")` means the metric does not apply to peers (shown as `—`).
    fn row(
        &self,
        metric: &str,
        ours: Measured<(String, f64)>,
        target: &str,
        peer: &dyn Fn(&Subject) -> Measured<(String, f64)>,
        notes: &mut Notes,
    ) -> Vec<String> {
        let mut row = vec![
            metric.to_owned(),
            notes.cell(&self.ours.name, &ours),
            target.to_owned(),
        ];
        for subject in self.columns() {
            let theirs = peer(subject);
            row.push(notes.cell(&subject.name, &theirs));
            row.push(match (&ours, &theirs) {
                (Ok((_, a)), Ok((_, b))) => ratio(*a, *b),
                _ => "—".to_owned(),
            });
        }
        row
    }

    /// The report for the terminal: context, table, notes, remarks.
    pub fn to_text(&self) -> String {
        let (table, notes) = self.table();
        let mut out = String::new();
        for line in &self.context {
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        out.push_str(&table.to_text());
        push_notes(&mut out, &notes, &self.remarks, "");
        out
    }

    /// The same report in markdown.
    pub fn to_markdown(&self) -> String {
        let (table, notes) = self.table();
        let mut out = String::from("# cargo xtask bench\n\n");
        for line in &self.context {
            out.push_str(&format!("- {line}\n"));
        }
        out.push('\n');
        out.push_str(&table.to_markdown());
        push_notes(&mut out, &notes, &self.remarks, "- ");
        out
    }
}

fn push_notes(out: &mut String, notes: &[String], remarks: &[String], bullet: &str) {
    if notes.is_empty() && remarks.is_empty() {
        return;
    }
    out.push('\n');
    for (i, note) in notes.iter().enumerate() {
        out.push_str(&format!("{bullet}[{}] {note}\n", i + 1));
    }
    for remark in remarks {
        out.push_str(&format!("{bullet}{remark}\n"));
    }
}

/// Failure messages, numbered in the order cells refer to them; the same message is one note.
#[derive(Default)]
struct Notes(Vec<String>);

impl Notes {
    fn cell(&mut self, subject: &str, measured: &Measured<(String, f64)>) -> String {
        match measured {
            Ok((text, _)) => text.clone(),
            Err(reason) if reason.is_empty() => "—".to_owned(),
            Err(reason) if reason.starts_with("n/a") => reason.clone(),
            Err(reason) => {
                let note = format!("{subject}: {reason}");
                let index = match self.0.iter().position(|n| *n == note) {
                    Some(i) => i,
                    None => {
                        self.0.push(note);
                        self.0.len() - 1
                    }
                };
                format!("failed [{}]", index + 1)
            }
        }
    }
}

/// A build time's cell, with its share of `whole` (`4.1 s (10% of full)`) when both are known,
/// and that share in percent.
fn share(
    part: Measured<f64>,
    whole: Measured<f64>,
    of: &str,
) -> (Measured<(String, f64)>, Option<f64>) {
    let percent = match (&part, whole) {
        (Ok(part), Ok(whole)) if whole > 0.0 => Some(part / whole * 100.0),
        _ => None,
    };
    let cell = part.map(|s| match percent {
        Some(p) => (format!("{} ({p:.0}% of {of})", secs(s)), s),
        None => (secs(s), s),
    });
    (cell, percent)
}

fn build_time(subject: &Subject, pick: impl Fn(&Builds) -> Measured<f64>) -> Measured<f64> {
    match &subject.builds {
        Some(builds) => pick(builds),
        // A generator that failed has nothing to build; say nothing more about it.
        None if subject.generation.is_err() => Err(String::new()),
        None => Err("n/a (--no-build)".to_owned()),
    }
}

/// The first word of a column name (`OAG 7.26.0` → `OAG`).
fn short_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

/// `≤ LIMIT: ok` or `≤ LIMIT: MISSED`, or just `≤ LIMIT` without a value (or a limit: NaN).
fn target_max(value: Option<f64>, limit: f64, shown: &str) -> String {
    match value {
        Some(v) if v <= limit => format!("≤ {shown}: ok"),
        Some(_) if !limit.is_nan() => format!("≤ {shown}: MISSED"),
        _ => format!("≤ {shown}"),
    }
}

/// Seconds: three decimals under a second, two under ten, one above.
pub fn secs(s: f64) -> String {
    if s < 1.0 {
        format!("{s:.3} s")
    } else if s < 10.0 {
        format!("{s:.2} s")
    } else {
        format!("{s:.1} s")
    }
}

/// KiB shown as MiB.
pub fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// `ours / theirs` as a multiplier.
pub fn ratio(ours: f64, theirs: f64) -> String {
    if theirs == 0.0 {
        return "—".to_owned();
    }
    let r = ours / theirs;
    if r < 0.1 {
        format!("{r:.3}×")
    } else if r < 10.0 {
        format!("{r:.2}×")
    } else {
        format!("{r:.1}×")
    }
}

/// An integer with `,` between thousands.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            headers: vec!["metric".into(), "ours".into(), "target".into()],
            rows: vec![
                vec!["wall".into(), "0.412 s".into(), "≤ 0.5 s: ok".into()],
                vec!["a|b".into(), "1".into()],
            ],
        }
    }

    #[test]
    fn text_tables_align_columns_by_characters() {
        assert_eq!(
            table().to_text(),
            "metric  ours     target\n\
             ------  -------  -----------\n\
             wall    0.412 s  ≤ 0.5 s: ok\n\
             a|b     1\n"
        );
    }

    #[test]
    fn markdown_tables_escape_pipes_and_fill_short_rows() {
        assert_eq!(
            table().to_markdown(),
            "| metric | ours | target |\n\
             |---|---|---|\n\
             | wall | 0.412 s | ≤ 0.5 s: ok |\n\
             | a\\|b | 1 |  |\n"
        );
    }

    #[test]
    fn numbers_are_formatted_for_reading() {
        assert_eq!(secs(0.41234), "0.412 s");
        assert_eq!(secs(4.5), "4.50 s");
        assert_eq!(secs(56.04), "56.0 s");
        assert_eq!(mib(153_600), "150.0 MiB");
        assert_eq!(ratio(0.4, 12.2), "0.033×");
        assert_eq!(ratio(15.0, 56.0), "0.27×");
        assert_eq!(ratio(1.0, 0.0), "—");
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(78_985), "78,985");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(target_max(Some(0.4), 0.5, "0.5 s"), "≤ 0.5 s: ok");
        assert_eq!(target_max(Some(0.6), 0.5, "0.5 s"), "≤ 0.5 s: MISSED");
        assert_eq!(target_max(None, 0.5, "0.5 s"), "≤ 0.5 s");
    }

    fn subject(name: &str, process_s: f64, clean_s: f64) -> Subject {
        Subject {
            name: name.into(),
            generation: Ok(Generation {
                runs: 7,
                process_s,
                in_process_s: Some(process_s / 2.0),
                peak_kib: Some(102_400),
            }),
            size: Ok(CodeSize {
                files: 10,
                rs_files: 9,
                rs_lines: 1000,
            }),
            builds: Some(Builds {
                runs: 3,
                clean_s: Ok(clean_s),
                touch_s: Ok(1.0),
                registry_s: Ok(clean_s * 0.75),
                features_s: Some(Ok(clean_s / 5.0)),
                features_cpu_s: Some(clean_s / 4.0),
                floor_s: Some(Ok(clean_s / 10.0)),
            }),
        }
    }

    fn row_of(table: &Table, prefix: &str) -> Vec<String> {
        table
            .rows
            .iter()
            .find(|row| row[0].starts_with(prefix))
            .unwrap_or_else(|| panic!("no row {prefix}"))
            .clone()
    }

    #[test]
    fn report_rows_show_targets_peers_ratios_and_notes() {
        let mut failed = subject("progenitor 0.15.1", 1.0, 1.0);
        failed.generation = Err("exit status: 101: error: unsupported".into());
        failed.builds = None;
        let mut report = Report {
            context: vec!["document: spec/jumpcloud-v2.yaml".into()],
            ours: subject("ours", 0.4, 10.0),
            beside: None,
            baseline: None,
            peers: vec![subject("OAG 7.26.0", 12.0, 50.0), failed],
            cores: 2,
            remarks: vec!["machines are noisy".into()],
            downstream: Some(Downstream {
                program_s: Ok(1.5),
                client_only_s: Ok(1.0),
            }),
        };
        let (table, notes) = report.table();
        assert_eq!(
            table.headers,
            [
                "metric",
                "ours",
                "target",
                "OAG 7.26.0",
                "ours/OAG",
                "progenitor 0.15.1",
                "ours/progenitor"
            ]
        );
        let row = |prefix: &str| row_of(&table, prefix);
        assert_eq!(
            row("generation wall, process"),
            [
                "generation wall, process (median of 7)",
                "0.400 s",
                "≤ 0.5 s: ok",
                "12.0 s",
                "0.033×",
                "failed [1]",
                "—"
            ]
        );
        assert_eq!(row("generation peak")[1], "100.0 MiB");
        assert_eq!(row("generation peak")[2], "≤ 150 MiB: ok");
        assert_eq!(row("generated files")[1], "9 .rs (10 in all)");
        assert_eq!(row("cargo build, crate")[4], "0.20×");
        assert_eq!(row("cargo build, crate")[5], "—");
        assert_eq!(
            row("cargo build, crate cleaned, not incremental")[1..5],
            ["7.50 s", "", "37.5 s", "0.20×"]
        );
        assert_eq!(row("cargo build, users")[1], "2.00 s (20% of full)");
        assert_eq!(row("cargo build, users")[2], "≤ 10% of full: MISSED");
        assert_eq!(row("cargo build, users")[3], "10.0 s (20% of full)");
        assert_eq!(
            row("CPU time of that build")[1..4],
            [
                "2.50 s (at least 1.25 s on 2 cores)",
                "",
                "12.5 s (at least 6.25 s on 2 cores)"
            ]
        );
        assert_eq!(
            row("cargo build, no group's")[1..4],
            [
                "1.00 s (10% of full)",
                "the floor of any features build",
                "5.00 s (10% of full)"
            ]
        );
        assert_eq!(row("cargo build after")[1], "1.00 s (10% of clean)");
        assert_eq!(row("cargo build after")[2], "≤ 25% of clean: ok");
        assert_eq!(
            row("downstream")[1..4],
            [
                "1.50 s (client only: 1.00 s; the operations add 0.500 s)",
                "≤ 2 s: ok",
                "—"
            ]
        );
        assert_eq!(
            notes,
            ["progenitor 0.15.1: exit status: 101: error: unsupported"]
        );

        report.ours.builds = Some(Builds {
            runs: 1,
            clean_s: Ok(10.0),
            touch_s: Err("exit status: 101: error[E0308]: mismatched types".into()),
            registry_s: Err("n/a (not measured)".into()),
            features_s: Some(Err("n/a (features not declared)".into())),
            features_cpu_s: None,
            floor_s: Some(Err("n/a (features not declared)".into())),
        });
        report.peers.clear();
        report.beside = Some(subject("413-op", 1.0, 12.0));
        let (table, _) = report.table();
        assert_eq!(table.headers[3..], ["413-op", "ours/413-op"]);
        assert_eq!(table.rows[5][2], "≤ 413-op: ok");
        let text = report.to_text();
        let touch_line = text
            .lines()
            .find(|line| line.starts_with("cargo build after touching"))
            .unwrap();
        assert!(touch_line.contains("  failed [1]  "), "{text}");
        assert!(text.contains("n/a (features not declared)"), "{text}");
        assert!(
            text.contains("\n[1] ours: exit status: 101: error[E0308]"),
            "{text}"
        );
        assert!(text.ends_with("machines are noisy\n"), "{text}");

        // A baseline revision's committed crate is built, not generated, and when given it is
        // the clean build's yardstick.
        let mut baseline = subject("6722cb8.sdk", 1.0, 9.0);
        baseline.generation = Err("n/a (committed)".into());
        report.baseline = Some(baseline);
        let (table, _) = report.table();
        assert_eq!(
            table.headers[3..],
            ["413-op", "ours/413-op", "6722cb8.sdk", "ours/6722cb8.sdk"]
        );
        assert_eq!(
            row_of(&table, "generation wall, process")[5],
            "n/a (committed)"
        );
        let clean = row_of(&table, "cargo build, crate");
        assert_eq!(
            clean[2..],
            [
                "≤ 6722cb8.sdk: MISSED",
                "12.0 s",
                "0.83×",
                "9.00 s",
                "1.11×"
            ]
        );
        assert_eq!(
            row_of(&table, "cargo build, users")[5],
            "1.80 s (20% of full)"
        );
        let markdown = report.to_markdown();
        assert!(
            markdown.starts_with("# cargo xtask bench\n\n- document:"),
            "{markdown}"
        );
        assert!(markdown.contains("| cargo build after touching one file | failed [1] |"));
        assert!(
            markdown.contains("\n- [1] ours: exit status: 101"),
            "{markdown}"
        );

        // A baseline that did not build fails its cells, and `--beside`'s SDK is the yardstick.
        let unbuilt = "6722cb8 names no commit of /w".to_owned();
        report.baseline.as_mut().unwrap().builds = Some(Builds {
            runs: 0,
            clean_s: Err(unbuilt.clone()),
            touch_s: Err(unbuilt.clone()),
            registry_s: Err(unbuilt.clone()),
            features_s: Some(Err(unbuilt.clone())),
            features_cpu_s: None,
            floor_s: Some(Err(unbuilt)),
        });
        let (table, notes) = report.table();
        let clean = row_of(&table, "cargo build, crate");
        assert_eq!(
            clean[2..6],
            ["≤ 413-op: ok", "12.0 s", "0.83×", "failed [1]"]
        );
        assert_eq!(notes[0], "6722cb8.sdk: 6722cb8 names no commit of /w");
    }
}
