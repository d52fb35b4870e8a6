//! Contract test: every operation of every document the SDK is generated from, called through
//! the generated SDK against Stoplight Prism serving that document, must send a request Prism
//! accepts and decode whatever Prism answers.
//!
//! The documents are checked one after another, each on its own: its operations (the testkit
//! entries that name it), its schemas, its own Prism, and its own files under
//! `target/contract` (`fixtures-v1.json`, `report-v1.md`, `prism-PID-v1.log`). The client
//! sends every service to that Prism, since only the document's own operations are called,
//! with an organization (`x-org-id`) when the document's security requires one.
//!
//! Arguments come from the document, not from hand-written tests: for each operation the
//! generated testkit (`tests::generated::calls`) lists its parameters and body as the generator
//! lowered them, and [`schema::Doc`] builds valid values from their schemas (the document's
//! examples where they validate). Each operation is called
//!
//! - with its required parameters only (and a minimal body), static responses;
//! - with every optional parameter too (and a full body), static responses;
//! - with every optional parameter, dynamic responses (random data conforming to the schemas);
//! - once per extra success status, when it has several, forced with `Prefer: code=N`;
//! - once per documented error status (`default` as 418), in static and in dynamic mode, forced
//!   with `Prefer: code=N`: the SDK must return `Error::Api` with that status and the body
//!   decoded into the `ApiErrorBody` variant the document declares.
//!
//! A dynamic call whose answer is Prism's own crash while faking data is repeated (bounded;
//! see [`faker_crashed`]), and the repeats are reported.
//!
//! Prism accepts a request that leaves out an optional parameter, so each argument set is also
//! sent to a loopback wiremock server first and the request compared with the arguments
//! (`fidelity.rs`): a parameter or body the SDK does not send as given counts against the
//! operation. Before each document's run, a canary request with a query parameter out of its
//! bounds (or enum) must be reported by Prism in all the places the test reads, or the run
//! fails: an oracle that reports nothing proves nothing.
//!
//! A request violation is anything Prism reports about the request: in the `sl-violations`
//! header, in a 422 problem body's `validation` list, or on a `Violation: request` line of its
//! log. A decode failure is a success body the SDK cannot decode, or a documented error body
//! it does not decode into its schema. Exceptions are listed in [`EXCEPTIONS`] with their
//! reason; a listed operation that passes fails the test, so the list stays honest.
//!
//! Prism comes from `PRISM_URL`/`PRISM_LOG`/`PRISM_SPEC` (set by `.ci/run`; it serves the
//! document with `PRISM_SPEC`'s content, the others get one started here) or is started from
//! `node_modules/.bin/prism` (`npm ci` installs it); with neither, the test fails. It runs
//! without the libtest harness, prints a table per document (all saved to
//! `target/contract/report.md`), a line per document (`contract: v1: P/N operations passed,
//! …`), and ends with the line `contract: P/N operations passed, R requests, V request
//! violations, D decode failures, E listed exceptions` over every document.
#[path = "contract/fidelity.rs"]
mod fidelity;
#[path = "contract/prism.rs"]
mod prism;
#[path = "contract/schema.rs"]
mod schema;

use schema::{Doc, Mode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tests::document::Loaded;
use tests::generated::calls::{
    self, Args, BodyKind, Location, Operation, Outcome, PartValue, Payload,
};

/// A failure allowed, with its exact reason. It covers only the failures of its operation
/// (operationIds are unique only within a document) whose text contains `fragment`, so it
/// cannot hide another failure; an operation whose every failure is covered counts as a
/// listed exception, not as passed; an entry that covers nothing fails the test.
struct Exception {
    document: &'static str,
    operation_id: &'static str,
    fragment: &'static str,
    reason: &'static str,
}

const EXCEPTIONS: &[Exception] = &[
    Exception {
        document: "v2",
        operation_id: "Billing_GetContract",
        fragment: "Prism could not answer: UNKNOWN, Cannot find serializer for application/pdf",
        reason: "document: the error responses (401, 403, 404, 500, `default`) are \
                 `application/pdf` with object schemas (Error, google.rpc.Status), which Prism \
                 cannot serialise (it answers 500), so no error body can be produced to check; \
                 the request is accepted and the 200 checks",
    },
    Exception {
        document: "v2",
        operation_id: "systeminsights_list_tpm_info",
        fragment: "Prism could not answer: NO_COMPLEX_OBJECT_TEXT",
        reason: "document: the 200 response is `text/html` with an array-of-objects schema, \
                 which Prism cannot serialise (it answers 500), so no success response can be \
                 produced to check; the request is accepted and the error statuses check",
    },
];

const API_KEY: &str = "contract-test-key";
/// Time allowed for one call, and for the whole run (every document).
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
const RUN_TIMEOUT: Duration = Duration::from_secs(40 * 60);
/// Consecutive calls that time out or cannot connect before the run stops.
const MAX_CONSECUTIVE_TRANSPORT_FAILURES: usize = 5;
/// How many times a dynamic call is repeated when Prism's data faker crashes (see
/// [`faker_crashed`]).
const MAX_FAKER_REPEATS: usize = 3;
/// The organization the client sends (`x-org-id`) to a document whose security requires one.
const ORG_ID: &str = schema::OBJECT_ID;
/// The status forced for a `default` error response, when the operation does not document it.
const DEFAULT_STATUS: u16 = 418;
/// A 1×1 PNG, for the logo upload.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

fn main() -> ExitCode {
    let started = Instant::now();
    schema::self_check();
    fidelity::self_check();
    match run(started) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            println!("FAIL: {message}");
            println!(
                "contract: 0/{} operations passed (the run did not complete)",
                calls::OPERATIONS.len()
            );
            ExitCode::FAILURE
        }
    }
}

/// Which responses Prism sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Responses {
    Static,
    Dynamic,
}

impl Responses {
    fn prefer(self) -> &'static str {
        match self {
            Responses::Static => "dynamic=false",
            Responses::Dynamic => "dynamic=true",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Responses::Static => "static",
            Responses::Dynamic => "dynamic",
        }
    }
}

/// What a call must come back with.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// Any documented success.
    Success,
    /// The success variant of this status (operations with several).
    SuccessStatus(u16),
    /// `Error::Api` with this status, its body decoded into this `ApiErrorBody` variant.
    Error {
        status: u16,
        documented: Option<u16>,
        variant: &'static str,
    },
}

/// Which arguments a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArgSet {
    /// Required parameters, a minimal body.
    Required,
    /// Every parameter; the body from the document's example when it validates.
    All,
    /// Every parameter; a body with every writable property.
    Full,
}

struct Planned {
    op: usize,
    label: String,
    args: ArgSet,
    responses: Responses,
    code: Option<u16>,
    expect: Expect,
}

struct Fixture {
    required: Args,
    all: Args,
    full: Args,
    problems: Vec<String>,
}

impl Fixture {
    fn args(&self, set: ArgSet) -> &Args {
        match set {
            ArgSet::Required => &self.required,
            ArgSet::All => &self.all,
            ArgSet::Full => &self.full,
        }
    }
}

/// What one call showed.
#[derive(Default)]
struct Verdict {
    requests: usize,
    violations: Vec<String>,
    decode_failures: Vec<String>,
    other_failures: Vec<String>,
    response_violations: usize,
}

#[derive(Default)]
struct OpReport {
    requests: usize,
    mismatches: usize,
    violations: usize,
    decode_failures: usize,
    errors_documented: usize,
    errors_ok: usize,
    failures: Vec<Failure>,
    response_violations: usize,
}

/// A failing call (or fixture, or fidelity check): what went wrong, and how to reproduce it.
struct Failure {
    call: String,
    lines: Vec<String>,
    repro: String,
}

/// The counts a summary line gives, for one document or all.
#[derive(Default)]
struct Tally {
    passed: usize,
    total: usize,
    excepted: usize,
    requests: usize,
    violations: usize,
    decode_failures: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.total += other.total;
        self.excepted += other.excepted;
        self.requests += other.requests;
        self.violations += other.violations;
        self.decode_failures += other.decode_failures;
    }

    /// `contract: {scope}P/N operations passed, …`.
    fn line(&self, scope: &str) -> String {
        format!(
            "contract: {scope}{}/{} operations passed, {} requests, {} request violations, {} \
             decode failures, {} listed exceptions",
            self.passed,
            self.total,
            self.requests,
            self.violations,
            self.decode_failures,
            self.excepted
        )
    }
}

/// One document's run.
struct Checked {
    tally: Tally,
    /// Every operation passed or is a listed exception, and no exception is stale.
    ok: bool,
    /// Its section of `report.md`.
    report: String,
}

fn run(started: Instant) -> Result<bool, String> {
    let workspace = tests::document::workspace();
    let documents = tests::document::load_all()?;
    let out_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"))
        .join("contract");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    // Both checks before anything runs: a document out of step would waste the whole run.
    check_documents(&documents)?;
    check_exception_names()?;
    let external = prism::External::from_env()?;
    let served = match &external {
        Some(external) => {
            let paths: Vec<&Path> = documents.iter().map(|d| d.path.as_path()).collect();
            Some(external.serves(&paths)?)
        }
        None => None,
    };

    let mut checked = Vec::with_capacity(documents.len());
    for (index, loaded) in documents.iter().enumerate() {
        let external = external.as_ref().filter(|_| served == Some(index));
        let result = run_document(&workspace, &out_dir, loaded, external, started)
            .map_err(|message| format!("{}{message}", scope(&loaded.name)))?;
        checked.push(result);
    }

    let mut total = Tally::default();
    for result in &checked {
        total.add(&result.tally);
    }
    let summary = total.line("");
    let mut report = String::from("# Contract test against Prism\n");
    for result in &checked {
        report.push_str(&result.report);
    }
    let _ = writeln!(report, "\n{summary}");
    // `.ci/run` quotes this line.
    let _ = writeln!(
        report,
        "\n{} documents, test wall time {:.1} s",
        documents.len(),
        started.elapsed().as_secs_f64()
    );
    let report_path = out_dir.join("report.md");
    std::fs::write(&report_path, &report).map_err(|e| format!("{}: {e}", report_path.display()))?;
    for (loaded, result) in documents.iter().zip(&checked) {
        println!("{}", result.tally.line(&scope(&loaded.name)));
    }
    println!(
        "contract: {} documents, test wall time {:.1} s; report at {}",
        documents.len(),
        started.elapsed().as_secs_f64(),
        report_path.display()
    );
    println!("{summary}");
    Ok(checked.iter().all(|c| c.ok))
}

/// `v1: `, what a document's lines start with after `contract: ` (nothing for the only,
/// unnamed one).
fn scope(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("{name}: ")
    }
}

/// Every document the testkit has operations of is loaded, with as many operations as the
/// testkit has of it.
fn check_documents(documents: &[Loaded]) -> Result<(), String> {
    let loaded: BTreeSet<&str> = documents.iter().map(|d| d.name.as_str()).collect();
    let missing: BTreeSet<&str> = calls::OPERATIONS
        .iter()
        .map(|op| op.document)
        .filter(|name| !loaded.contains(name))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the testkit has operations of {}, which this test did not load (with \
             $JUMPCLOUD_SPEC naming one path, only the first document is): name every \
             document (`NAME=PATH,…`), or none",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    for loaded in documents {
        let in_document = count_operations(&loaded.value);
        let in_testkit = operations_of(&loaded.name).len();
        if in_document != in_testkit {
            return Err(format!(
                "the document {} at {} has {in_document} operations but the testkit has \
                 {in_testkit}: run `cargo xtask regenerate`",
                loaded.name,
                loaded.path.display()
            ));
        }
    }
    Ok(())
}

/// The testkit's operations of one document.
fn operations_of(document: &str) -> Vec<&'static Operation> {
    calls::OPERATIONS
        .iter()
        .filter(|op| op.document == document)
        .collect()
}

/// Checks one document's operations against its own Prism: the pipeline the header describes.
fn run_document(
    workspace: &Path,
    out_dir: &Path,
    loaded: &Loaded,
    external: Option<&prism::External>,
    started: Instant,
) -> Result<Checked, String> {
    let tag = format!("contract: {}", scope(&loaded.name));
    let suffix = prism::suffix(&loaded.name);
    let doc = Doc::new(loaded.value.clone());
    let operations = operations_of(&loaded.name);
    let exceptions: Vec<&Exception> = EXCEPTIONS
        .iter()
        .filter(|e| e.document == loaded.name)
        .collect();

    let fixtures: Vec<Fixture> = operations.iter().map(|op| fixture(&doc, op)).collect();
    write_fixtures(
        &out_dir.join(format!("fixtures{suffix}.json")),
        &operations,
        &fixtures,
    )?;
    let plan = plan(&operations);

    let mut prism = match external {
        Some(external) => prism::Prism::connect(external)?,
        None => prism::Prism::start(workspace, &loaded.path, out_dir, &loaded.name)?,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    let fidelity = runtime.block_on(check_fidelity(&operations, &fixtures))?;
    let sent_checks: usize = fidelity.iter().map(Vec::len).sum();
    let optional: Vec<(usize, &str)> = operations
        .iter()
        .enumerate()
        .flat_map(|(i, op)| {
            let params = op
                .params
                .iter()
                .filter(|p| !p.required)
                .map(move |p| (i, p.name));
            let parts = op.body.into_iter().flat_map(move |b| match b.kind {
                BodyKind::Multipart(parts) => parts
                    .iter()
                    .filter(|p| !(p.required && b.required))
                    .map(|p| (i, p.name))
                    .collect(),
                _ => Vec::new(),
            });
            params.chain(parts)
        })
        .collect();
    let given = optional
        .iter()
        .filter(|(i, name)| {
            fixtures[*i].all.params.contains_key(*name)
                || fixtures[*i].all.parts.contains_key(*name)
        })
        .count();
    let optional_bodies = operations
        .iter()
        .filter(|op| op.body.is_some_and(|b| !b.required))
        .count();
    println!(
        "{tag}request fidelity: {} argument sets sent to a loopback recorder, {sent_checks} \
         differences from the arguments given; {given}/{} optional parameters and parts, and \
         {optional_bodies} optional bodies, given in the `every argument` set",
        operations.len() * 3,
        optional.len()
    );
    prism.wait_ready()?;
    println!(
        "{tag}{} operations of {}, {} calls planned, Prism at {} ({}), log {}",
        operations.len(),
        loaded.path.display(),
        plan.len(),
        prism.base_url,
        prism.origin,
        prism.log_path.display()
    );
    let canaries = canaries(&doc, &operations, &fixtures);
    let org_id = requires_org_id(&doc.root).then_some(ORG_ID);
    let calls_started = Instant::now();
    let result = runtime.block_on(execute(
        &Session {
            prism: &prism,
            org_id,
            tag: &tag,
            started,
        },
        &operations,
        &plan,
        &fixtures,
        &canaries,
    ));
    let calls_elapsed = calls_started.elapsed();
    let Executed {
        outcomes,
        segments,
        repeated,
    } = match result {
        Ok(done) => done,
        Err(message) => {
            let tail = prism.log_tail();
            prism.stop();
            return Err(format!("{message}\nPrism's log ends with:\n{tail}"));
        }
    };
    prism.stop();

    // Judge every call, then every operation.
    let mut reports: Vec<OpReport> = operations
        .iter()
        .enumerate()
        .map(|(i, op)| {
            let mut report = OpReport {
                errors_documented: op.errors.len(),
                mismatches: fidelity[i].len(),
                ..Default::default()
            };
            if !fixtures[i].problems.is_empty() {
                report.failures.push(Failure {
                    call: "fixture".into(),
                    lines: fixtures[i].problems.clone(),
                    repro: String::new(),
                });
            }
            if !fidelity[i].is_empty() {
                report.failures.push(Failure {
                    call: "sent to the loopback recorder".into(),
                    lines: fidelity[i]
                        .iter()
                        .map(|p| format!("sent ≠ given: {p}"))
                        .collect(),
                    repro: String::new(),
                });
            }
            report
        })
        .collect();
    let mut error_checks: BTreeMap<(usize, Option<u16>), bool> = BTreeMap::new();
    for (index, planned) in plan.iter().enumerate() {
        let segment = segments
            .get(&index.to_string())
            .cloned()
            .unwrap_or_default();
        let outcome = &outcomes[index];
        let verdict = judge(&operations, planned, outcome, &segment);
        let report = &mut reports[planned.op];
        report.requests += verdict.requests;
        report.violations += verdict.violations.len();
        report.decode_failures += verdict.decode_failures.len();
        report.response_violations += verdict.response_violations;
        let lines: Vec<String> = verdict
            .violations
            .iter()
            .map(|v| format!("request violation: {v}"))
            .chain(
                verdict
                    .decode_failures
                    .iter()
                    .map(|d| format!("decode failure: {d}")),
            )
            .chain(verdict.other_failures.iter().cloned())
            .collect();
        if let Expect::Error { documented, .. } = planned.expect {
            *error_checks.entry((planned.op, documented)).or_insert(true) &= lines.is_empty();
        }
        if !lines.is_empty() {
            let op = operations[planned.op];
            let args = fixtures[planned.op].args(planned.args);
            report.failures.push(Failure {
                call: format!("{} [{}]", planned.label, prefer(planned)),
                lines,
                repro: format!(
                    "repro: {} with {}\n      outcome: {}",
                    op.call,
                    show_args(args),
                    show_outcome(outcome.as_ref())
                ),
            });
        }
    }
    for ((op, _), ok) in error_checks {
        if ok {
            reports[op].errors_ok += 1;
        }
    }

    // Exceptions cover the failures whose text contains theirs, on their operation only.
    let mut exception_used = vec![false; exceptions.len()];
    let mut table = String::new();
    let _ = writeln!(
        table,
        "| operation | requests | request violations | decode failures | error statuses checked | sent ≠ given | result |"
    );
    let _ = writeln!(table, "|---|---:|---:|---:|---:|---:|---|");
    let (mut passed, mut excepted) = (0, Vec::new());
    let mut totals = OpReport::default();
    let mut details = String::new();
    for (op, report) in operations.iter().zip(&reports) {
        totals.requests += report.requests;
        totals.violations += report.violations;
        totals.decode_failures += report.decode_failures;
        totals.errors_ok += report.errors_ok;
        totals.errors_documented += report.errors_documented;
        totals.mismatches += report.mismatches;
        totals.response_violations += report.response_violations;
        let mut uncovered = 0;
        let mut reasons: BTreeSet<&str> = BTreeSet::new();
        for failure in &report.failures {
            let _ = writeln!(
                details,
                "\n{} ({} {}), {}:",
                op.operation_id, op.method, op.path, failure.call
            );
            for line in &failure.lines {
                let covering = exceptions
                    .iter()
                    .position(|e| e.operation_id == op.operation_id && line.contains(e.fragment));
                match covering {
                    Some(at) => {
                        exception_used[at] = true;
                        reasons.insert(exceptions[at].reason);
                        let _ = writeln!(details, "    (listed exception) {line}");
                    }
                    None => {
                        uncovered += 1;
                        let _ = writeln!(details, "    {line}");
                    }
                }
            }
            if !failure.repro.is_empty() {
                let _ = writeln!(details, "    {}", failure.repro);
            }
        }
        let result = if report.failures.is_empty() {
            passed += 1;
            "pass".to_owned()
        } else if uncovered == 0 {
            excepted.push(op.operation_id);
            format!(
                "exception: {}",
                reasons.into_iter().collect::<Vec<_>>().join("; ")
            )
        } else {
            "FAIL".to_owned()
        };
        let _ = writeln!(
            table,
            "| {} | {} | {} | {} | {}/{} | {} | {} |",
            op.operation_id,
            report.requests,
            report.violations,
            report.decode_failures,
            report.errors_ok,
            report.errors_documented,
            report.mismatches,
            result
        );
    }
    let total = operations.len();
    let _ = writeln!(
        table,
        "| **total** | {} | {} | {} | {}/{} | {} | {passed}/{total} passed, {} listed exceptions |",
        totals.requests,
        totals.violations,
        totals.decode_failures,
        totals.errors_ok,
        totals.errors_documented,
        totals.mismatches,
        excepted.len()
    );
    let stale: Vec<String> = exceptions
        .iter()
        .zip(&exception_used)
        .filter(|(_, used)| !**used)
        .map(|(e, _)| format!("{} {} ({:?})", e.document, e.operation_id, e.fragment))
        .collect();
    let tally = Tally {
        passed,
        total,
        excepted: excepted.len(),
        requests: totals.requests,
        violations: totals.violations,
        decode_failures: totals.decode_failures,
    };
    let summary = tally.line(&scope(&loaded.name));
    let timing = format!(
        "{} calls, {} HTTP requests to Prism in {:.1} s (Prism {})",
        plan.len(),
        totals.requests,
        calls_elapsed.as_secs_f64(),
        prism.origin
    );
    let repeats = if repeated.is_empty() {
        String::new()
    } else {
        format!(
            "Prism's data faker crashed generating a dynamic response {} time(s); each such \
             call was repeated and judged on every attempt: {}",
            repeated.len(),
            repeated.join(", ")
        )
    };
    let mut report = String::new();
    let _ = writeln!(
        report,
        "\n## Document `{}` ({})\n\n{timing}.\n",
        loaded.name,
        loaded.path.display()
    );
    if !repeats.is_empty() {
        let _ = writeln!(report, "{repeats}.\n");
    }
    let _ = writeln!(
        report,
        "Prism's own answers broke the document {} times (its `Violation: response` log lines: \
         the document's examples or its generated data; information only).\n",
        totals.response_violations
    );
    report.push_str(&table);
    let _ = writeln!(report, "\n### Listed exceptions\n");
    for e in &exceptions {
        let _ = writeln!(
            report,
            "- `{}`, failures containing {:?}: {}",
            e.operation_id, e.fragment, e.reason
        );
    }
    if !details.is_empty() {
        let _ = writeln!(report, "\n### Failures\n```{details}```");
    }
    let _ = writeln!(report, "\n{summary}");
    let report_path = out_dir.join(format!("report{suffix}.md"));
    std::fs::write(&report_path, &report).map_err(|e| format!("{}: {e}", report_path.display()))?;

    println!("{table}");
    if !details.is_empty() {
        println!("failures:{details}");
    }
    for e in &exceptions {
        println!(
            "{tag}listed exception {}, failures containing {:?}: {}",
            e.operation_id, e.fragment, e.reason
        );
    }
    for entry in &stale {
        println!(
            "FAIL stale exception {entry}: no such failure any more; remove it from EXCEPTIONS"
        );
    }
    if !repeats.is_empty() {
        println!("{tag}{repeats}");
    }
    println!("{tag}{timing}; report at {}", report_path.display());
    println!(
        "{tag}{} operations are listed exceptions{}{}",
        excepted.len(),
        if excepted.is_empty() { "" } else { ": " },
        excepted.join(", ")
    );
    println!("{summary}");
    let ok = passed + excepted.len() == total && stale.is_empty();
    if ok {
        prism.discard_log();
    } else {
        println!("{tag}Prism's log kept at {}", prism.log_path.display());
    }
    Ok(Checked { tally, ok, report })
}

/// Every exception names an operation of its document.
fn check_exception_names() -> Result<(), String> {
    let unknown: Vec<String> = EXCEPTIONS
        .iter()
        .filter(|e| {
            !calls::OPERATIONS
                .iter()
                .any(|op| op.document == e.document && op.operation_id == e.operation_id)
        })
        .map(|e| format!("{} {}", e.document, e.operation_id))
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "EXCEPTIONS names unknown operations: {}",
            unknown.join(", ")
        ))
    }
}

fn prefer(planned: &Planned) -> String {
    match planned.code {
        Some(code) => format!("Prefer: code={code}, {}", planned.responses.prefer()),
        None => format!("Prefer: {}", planned.responses.prefer()),
    }
}

/// Every call, in order: operation by operation.
fn plan(operations: &[&Operation]) -> Vec<Planned> {
    let mut plan = Vec::new();
    for (op_index, op) in operations.iter().enumerate() {
        let mut add = |label: String, args, responses, code, expect| {
            plan.push(Planned {
                op: op_index,
                label,
                args,
                responses,
                code,
                expect,
            })
        };
        add(
            "static, required arguments".into(),
            ArgSet::Required,
            Responses::Static,
            None,
            Expect::Success,
        );
        add(
            "static, every argument".into(),
            ArgSet::All,
            Responses::Static,
            None,
            Expect::Success,
        );
        add(
            "dynamic, every argument".into(),
            ArgSet::Full,
            Responses::Dynamic,
            None,
            Expect::Success,
        );
        if op.success.len() > 1 {
            for success in op.success {
                let status = success.status;
                add(
                    format!("static, success {status}"),
                    ArgSet::All,
                    Responses::Static,
                    Some(status),
                    Expect::SuccessStatus(status),
                );
            }
        }
        let documented: BTreeSet<u16> = op.errors.iter().filter_map(|e| e.status).collect();
        for error in op.errors {
            let status = error.status.unwrap_or_else(|| {
                (DEFAULT_STATUS..600)
                    .find(|s| !documented.contains(s))
                    .unwrap_or(DEFAULT_STATUS)
            });
            let name = error
                .status
                .map_or_else(|| format!("default as {status}"), |s| s.to_string());
            for responses in [Responses::Static, Responses::Dynamic] {
                add(
                    format!("{}, error {name}", responses.name()),
                    ArgSet::All,
                    responses,
                    Some(status),
                    Expect::Error {
                        status,
                        documented: error.status,
                        variant: error.variant,
                    },
                );
            }
        }
    }
    plan
}

/// What the calls of one document run against.
struct Session<'a> {
    prism: &'a prism::Prism,
    /// Sent as `x-org-id` with every request, when the document's security requires it.
    org_id: Option<&'a str>,
    tag: &'a str,
    started: Instant,
}

struct Executed {
    /// Per planned call, in order; `None` when it timed out.
    outcomes: Vec<Option<Outcome>>,
    segments: BTreeMap<String, prism::Segment>,
    /// The calls repeated because Prism's faker crashed.
    repeated: Vec<String>,
}

/// Performs the plan one call at a time, each followed by its log marker.
async fn execute(
    session: &Session<'_>,
    operations: &[&Operation],
    plan: &[Planned],
    fixtures: &[Fixture],
    canaries: &[Canary],
) -> Result<Executed, String> {
    let prism = session.prism;
    let mut clients: BTreeMap<String, jumpcloud_sdk::Client> = BTreeMap::new();
    let mut outcomes = Vec::with_capacity(plan.len());
    let mut repeated = Vec::new();
    let mut transport_failures = 0;
    prism.mark("start").await?;
    let mut canary_outcomes = Vec::new();
    for (index, canary) in canaries.iter().enumerate() {
        let client = client(&prism.base_url, "Prefer: dynamic=false", session.org_id)?;
        let op = operations[canary.op];
        let outcome = tokio::time::timeout(
            CALL_TIMEOUT,
            calls::call(&client, op, &canary.args, Default::default()),
        )
        .await
        .ok()
        .flatten();
        prism.mark(&format!("canary{index}")).await?;
        canary_outcomes.push(outcome);
    }
    for (index, planned) in plan.iter().enumerate() {
        if session.started.elapsed() > RUN_TIMEOUT {
            return Err(format!("the run exceeded {RUN_TIMEOUT:?} at call {index}"));
        }
        let prefer = prefer(planned);
        if !clients.contains_key(&prefer) {
            let client = client(&prism.base_url, &prefer, session.org_id)?;
            clients.insert(prefer.clone(), client);
        }
        let client = &clients[&prefer];
        let op = operations[planned.op];
        let args = fixtures[planned.op].args(planned.args);
        let mut attempts = 0;
        let outcome = loop {
            let options = jumpcloud_sdk::CallOptions::new().timeout(CALL_TIMEOUT);
            let outcome = tokio::time::timeout(
                CALL_TIMEOUT + Duration::from_secs(5),
                calls::call(client, op, args, options),
            )
            .await
            .ok()
            .map(|o| o.ok_or_else(|| format!("the testkit has no operation {}", op.operation_id)))
            .transpose()?;
            attempts += 1;
            let crashed = planned.responses == Responses::Dynamic && faker_crashed(&outcome);
            if !crashed || attempts > MAX_FAKER_REPEATS {
                break outcome;
            }
            repeated.push(format!("{} ({})", op.operation_id, planned.label));
        };
        let transport = match &outcome {
            None => true,
            Some(Outcome::Failed { kind, .. }) => *kind == "Timeout" || *kind == "Transport",
            _ => false,
        };
        transport_failures = if transport { transport_failures + 1 } else { 0 };
        if transport_failures >= MAX_CONSECUTIVE_TRANSPORT_FAILURES {
            return Err(format!(
                "{transport_failures} calls in a row timed out or could not connect (the last: \
                 {}); is Prism still running?",
                op.operation_id
            ));
        }
        outcomes.push(outcome);
        prism.mark(&index.to_string()).await?;
    }
    let last = plan.len().saturating_sub(1).to_string();
    let segments = prism.segments(&last).await?;
    if canaries.is_empty() {
        return Err(
            "no canary: the document has no bounded integer or enum query parameter to \
             break, so the test cannot show that Prism reports violations"
                .into(),
        );
    }
    for (index, (canary, outcome)) in canaries.iter().zip(canary_outcomes).enumerate() {
        let segment = segments.get(&format!("canary{index}"));
        check_canary(operations, canary, outcome, segment, session.tag)?;
    }
    Ok(Executed {
        outcomes,
        segments,
        repeated,
    })
}

/// Whether Prism answered a call with its own 500 because a JavaScript error escaped while it
/// generated a dynamic response: its faker (json-schema-faker 0.5, `clean`) throws on some
/// random draws deep in recursive schemas. That says nothing about the request or the SDK,
/// and the next draw differs, so the call is repeated (a bounded number of times, every
/// attempt judged); a deterministic failure of Prism stays a failure.
fn faker_crashed(outcome: &Option<Outcome>) -> bool {
    match outcome {
        Some(Outcome::Api {
            status: 500, body, ..
        }) => prism_error(body)
            .is_some_and(|(kind, title)| kind == "UNKNOWN" && title.starts_with("TypeError:")),
        _ => false,
    }
}

/// Whether the document's security schemes send `x-org-id` (an API key in that header), which
/// Prism then requires with every request its security names it in.
fn requires_org_id(root: &Value) -> bool {
    root.pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .is_some_and(|schemes| {
            schemes.values().any(|scheme| {
                scheme.get("type").and_then(Value::as_str) == Some("apiKey")
                    && scheme.get("in").and_then(Value::as_str) == Some("header")
                    && scheme
                        .get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|name| name.eq_ignore_ascii_case("x-org-id"))
            })
        })
}

/// A request that breaks the document on purpose: a query parameter out of its bounds or
/// its enum.
struct Canary {
    op: usize,
    param: &'static str,
    /// How the value breaks the schema, for the report.
    breaks: String,
    args: Args,
    /// Where Prism reports it: with the operation's 400, 422 or `default` response and an
    /// `sl-violations` header, or, when it has none, in its own 422 problem body.
    kind: &'static str,
}

/// A value of a query parameter's schema that breaks it while still converting into the
/// SDK's type, and how it breaks it; the lower the rank, the more preferred: a number past its
/// bound is certain to convert, a string outside an enum only when the SDK's enum keeps
/// unknown values (it does, as `Unknown`), and the run fails loudly if it does not.
fn breaking_value(schema: &Value) -> Option<(usize, Value, String)> {
    let ty = schema.get("type").and_then(Value::as_str);
    if ty == Some("integer") {
        if let Some(maximum) = schema.get("maximum").and_then(Value::as_i64) {
            return Some((0, json!(maximum + 1), "above its maximum".into()));
        }
        if let Some(minimum) = schema.get("minimum").and_then(Value::as_i64) {
            return Some((1, json!(minimum - 1), "below its minimum".into()));
        }
    }
    if ty == Some("string") && schema.get("enum").is_some_and(Value::is_array) {
        return Some((
            2,
            json!("contract-canary-not-in-the-enum"),
            "outside its enum".into(),
        ));
    }
    None
}

/// Up to two canaries, one for each way Prism reports a violation (as far as the document has
/// operations of each kind), each the first operation whose query parameter breaks best.
fn canaries(doc: &Doc, operations: &[&Operation], fixtures: &[Fixture]) -> Vec<Canary> {
    let mut found: Vec<(usize, Canary)> = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        let in_header = op
            .errors
            .iter()
            .any(|e| matches!(e.status, None | Some(400) | Some(422)));
        let kind = if in_header {
            "sl-violations header"
        } else {
            "422 problem body"
        };
        let best = op
            .params
            .iter()
            .filter(|param| param.location == Location::Query && param.declared)
            .filter_map(|param| {
                let object = doc.at(param.pointer).ok()?;
                let schema = doc.deref(object.get("schema")?).ok()?;
                let (rank, value, breaks) = breaking_value(schema)?;
                Some((rank, param.name, value, breaks))
            })
            .min_by_key(|(rank, ..)| *rank);
        let Some((rank, param, value, breaks)) = best else {
            continue;
        };
        if let Some(at) = found.iter().position(|(_, c)| c.kind == kind) {
            if found[at].0 <= rank {
                continue;
            }
            found.remove(at);
        }
        let mut args = fixtures[index].all.clone();
        args.params.insert(param.to_owned(), value);
        let canary = Canary {
            op: index,
            param,
            breaks,
            args,
            kind,
        };
        found.push((rank, canary));
    }
    found.into_iter().map(|(_, canary)| canary).collect()
}

/// The canary must be reported in the log and in the response (header or problem body).
fn check_canary(
    operations: &[&Operation],
    canary: &Canary,
    outcome: Option<Outcome>,
    segment: Option<&prism::Segment>,
    tag: &str,
) -> Result<(), String> {
    let op = operations[canary.op];
    let logged = segment.map_or(0, |s| s.request_violations.len());
    let answered = match (&outcome, canary.kind) {
        (Some(Outcome::Api { headers, .. }), "sl-violations header") => {
            header_violations(headers).len()
        }
        (Some(Outcome::Api { body, .. }), _) => problem_violations(body).len(),
        _ => 0,
    };
    if logged == 0 || answered == 0 {
        return Err(format!(
            "canary: {} with {} {} should have been reported as a request violation in \
             Prism's log and in its {}; log: {logged}, answer: {answered} ({}). The oracle is \
             not working, so nothing it accepts means anything.",
            op.operation_id,
            canary.param,
            canary.breaks,
            canary.kind,
            show_outcome(outcome.as_ref())
        ));
    }
    println!(
        "{tag}canary {} with {} {}: {logged} violation(s) logged, {answered} in the {} (Prism \
         reports what it should)",
        op.operation_id, canary.param, canary.breaks, canary.kind
    );
    Ok(())
}

/// Sends every argument set to a loopback recorder and compares what arrives with what was
/// given; the differences, per operation.
async fn check_fidelity(
    operations: &[&Operation],
    fixtures: &[Fixture],
) -> Result<Vec<Vec<String>>, String> {
    let mut recorder = fidelity::Recorder::start().await;
    let client = jumpcloud_sdk::Client::builder()
        .api_key(API_KEY)
        .base_url(recorder.uri())
        .allow_http()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("building the SDK client: {e}"))?;
    let mut problems = Vec::with_capacity(operations.len());
    for (op, fixture) in operations.iter().zip(fixtures) {
        let mut found = Vec::new();
        for (name, set) in [
            ("required", ArgSet::Required),
            ("every", ArgSet::All),
            ("full", ArgSet::Full),
        ] {
            let args = fixture.args(set);
            let outcome = tokio::time::timeout(
                CALL_TIMEOUT,
                calls::call(&client, op, args, Default::default()),
            )
            .await
            .ok()
            .flatten();
            let requests = recorder.take().await;
            match requests.as_slice() {
                [request] => found.extend(
                    fidelity::compare(op, args, request)
                        .into_iter()
                        .map(|p| format!("{name} arguments: {p}")),
                ),
                [] => found.push(format!(
                    "{name} arguments: nothing was sent ({})",
                    show_outcome(outcome.as_ref())
                )),
                many => found.push(format!(
                    "{name} arguments: {} requests were sent for one call",
                    many.len()
                )),
            }
        }
        problems.push(found);
    }
    Ok(problems)
}

/// An SDK client for Prism that sends `Prefer` (and the organization, when given) with every
/// request.
fn client(
    base_url: &str,
    prefer: &str,
    org_id: Option<&str>,
) -> Result<jumpcloud_sdk::Client, String> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "prefer",
        reqwest::header::HeaderValue::from_str(prefer.trim_start_matches("Prefer: "))
            .map_err(|e| e.to_string())?,
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .timeout(CALL_TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        // Prism is a Node server, which closes a connection idle for 5 s: a request sent as it
        // does fails (one contract run lost a POST that way), so the pool lets go first.
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .map_err(|e| format!("building the HTTP client: {e}"))?;
    let mut builder = jumpcloud_sdk::Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .allow_http()
        .http_client(http);
    if let Some(org_id) = org_id {
        builder = builder.org_id(org_id);
    }
    builder
        .build()
        .map_err(|e| format!("building the SDK client: {e}"))
}

/// Judges one call from what the SDK returned and what Prism logged.
fn judge(
    operations: &[&Operation],
    planned: &Planned,
    outcome: &Option<Outcome>,
    segment: &prism::Segment,
) -> Verdict {
    let op = operations[planned.op];
    let mut verdict = Verdict {
        requests: segment.requests.len(),
        response_violations: segment.response_violations,
        ..Default::default()
    };
    // Violations: the log has them all; the header and the problem body must agree with it.
    verdict
        .violations
        .extend(segment.request_violations.iter().cloned());
    if segment.rejected > 0 && segment.request_violations.is_empty() {
        verdict
            .violations
            .push("Prism logged that the request did not pass validation".into());
    }
    if let Some(Outcome::Api { headers, body, .. }) = outcome {
        for (location, message) in header_violations(headers)
            .into_iter()
            .chain(problem_violations(body))
        {
            if !segment
                .request_violations
                .iter()
                .any(|l| l.ends_with(&message))
            {
                verdict
                    .violations
                    .push(format!("(not in the log) {location} {message}"));
            }
        }
    }
    // Every request must be this operation's.
    let template = op.path;
    for request in &segment.requests {
        let (method, path) = request.split_once(' ').unwrap_or((request, ""));
        if method != op.method || !path_matches(template, path) {
            verdict.other_failures.push(format!(
                "Prism received {request}, not {} {template}",
                op.method
            ));
        }
    }
    let Some(outcome) = outcome else {
        verdict
            .other_failures
            .push(format!("no answer within {CALL_TIMEOUT:?}"));
        return verdict;
    };
    let reached_server = matches!(
        outcome,
        Outcome::Ok { .. } | Outcome::Api { .. } | Outcome::Decode { .. }
    );
    if reached_server && segment.requests.is_empty() {
        verdict
            .other_failures
            .push("answered, but Prism's log shows no request for this call".into());
    }
    if !verdict.violations.is_empty() {
        // The status that comes with violations says nothing more.
        return verdict;
    }
    match (&planned.expect, outcome) {
        (
            _,
            Outcome::Decode {
                status,
                path,
                message,
            },
        ) => verdict.decode_failures.push(format!(
            "the {status} body does not decode at `{path}`: {message}"
        )),
        (
            _,
            Outcome::Ok {
                body: Payload::Unencodable(e),
                ..
            },
        ) => verdict
            .decode_failures
            .push(format!("the decoded body does not encode back: {e}")),
        (Expect::Success, Outcome::Ok { status, body }) => {
            check_success_body(op, *status, body, &mut verdict)
        }
        (Expect::SuccessStatus(want), Outcome::Ok { status, body }) => {
            if *status != Some(*want) {
                verdict.other_failures.push(format!(
                    "forced success {want} came back as the variant of {status:?}"
                ));
            }
            check_success_body(op, *status, body, &mut verdict)
        }
        (
            Expect::Error {
                status, variant, ..
            },
            Outcome::Api {
                status: got,
                variant: got_variant,
                body,
                ..
            },
        ) => {
            if got != status {
                verdict.other_failures.push(format!(
                    "forced error {status} came back as {got}{}",
                    prism_problem(body)
                ));
            } else if prism_error(body).is_some() {
                // Prism failing with the forced status (a 500 it cannot serialise) is not the
                // document's error body, whatever the SDK decodes it into.
                verdict.other_failures.push(format!(
                    "forced error {status} came back as Prism's own problem, not the document's \
                     body{}",
                    prism_problem(body)
                ));
            } else if got_variant != variant {
                verdict.decode_failures.push(format!(
                    "the {status} body decoded as ApiErrorBody::{got_variant}, not {variant}: {}",
                    show_payload(body)
                ));
            }
        }
        (_, Outcome::Api { status, body, .. }) => verdict.other_failures.push(format!(
            "unexpected error status {status}{}: {}",
            prism_problem(body),
            show_payload(body)
        )),
        (Expect::Error { status, .. }, Outcome::Ok { .. }) => verdict
            .other_failures
            .push(format!("forced error {status} came back as a success")),
        (_, Outcome::Args(message)) => verdict.other_failures.push(format!(
            "the fixture does not convert into the SDK's types: {message}"
        )),
        (_, Outcome::Failed { kind, message }) => {
            verdict.other_failures.push(format!("{kind}: {message}"))
        }
    }
    verdict
}

fn check_success_body(op: &Operation, status: Option<u16>, body: &Payload, verdict: &mut Verdict) {
    let success = match status {
        Some(status) => op.success.iter().find(|s| s.status == status),
        None => op.success.first(),
    };
    let Some(success) = success else { return };
    let fine = matches!(
        (success.kind, body),
        (calls::ResponseKind::Empty, Payload::Empty)
            | (calls::ResponseKind::Json, Payload::Json(_))
            | (calls::ResponseKind::Bytes, Payload::Bytes(_))
    );
    if !fine {
        verdict.other_failures.push(format!(
            "a {:?} response came back as {}",
            success.kind,
            show_payload(body)
        ));
    }
}

/// When Prism could not produce a response itself (its own `application/problem+json`), why.
fn prism_problem(body: &Payload) -> String {
    match prism_error(body) {
        Some((kind, title)) => format!(" (Prism could not answer: {kind}, {title})"),
        None => String::new(),
    }
}

/// The kind (`UNKNOWN`) and title of Prism's own problem body.
fn prism_error(body: &Payload) -> Option<(String, String)> {
    let value: Value = match body {
        Payload::Json(value) => value.clone(),
        Payload::Bytes(bytes) => serde_json::from_slice(bytes).ok()?,
        _ => return None,
    };
    let kind = value
        .get("type")?
        .as_str()?
        .strip_prefix("https://stoplight.io/prism/errors#")?;
    let title = value
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Some((kind.to_owned(), title.to_owned()))
}

/// Request violations in an `sl-violations` header: (location, message).
fn header_violations(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("sl-violations"))
        .filter_map(|(_, value)| serde_json::from_str::<Value>(value).ok())
        .flat_map(|list| list.as_array().cloned().unwrap_or_default())
        .filter(|v| v["location"].get(0).and_then(Value::as_str) == Some("request"))
        .map(|v| violation(&v))
        .collect()
}

/// Violations in the `validation` list of Prism's 422 problem body: (location, message).
fn problem_violations(body: &Payload) -> Vec<(String, String)> {
    let value = match body {
        Payload::Json(value) => value.clone(),
        Payload::Bytes(bytes) => serde_json::from_slice(bytes).unwrap_or(Value::Null),
        _ => Value::Null,
    };
    value
        .get("validation")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|v| v["location"].get(0).and_then(Value::as_str) != Some("response"))
                .map(violation)
                .collect()
        })
        .unwrap_or_default()
}

/// A violation object's location (`request.query.limit`) and message.
fn violation(v: &Value) -> (String, String) {
    let location: Vec<String> = v["location"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    (
        location.join("."),
        v["message"].as_str().unwrap_or_default().to_owned(),
    )
}

/// Whether a request path (as Prism logs it) is an instance of the path template.
fn path_matches(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter().zip(&p).all(|(t, p)| {
            if t.starts_with('{') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

// -------------------------------------------------------------------------- fixtures

fn fixture(doc: &Doc, op: &Operation) -> Fixture {
    let mut problems = Vec::new();
    let mut required = Args::default();
    let mut all = Args::default();
    for param in op.params {
        match param_value(doc, op, param) {
            Ok(value) => {
                if param.required {
                    required.params.insert(param.name.to_owned(), value.clone());
                }
                all.params.insert(param.name.to_owned(), value);
            }
            Err(problem) => problems.push(format!("parameter {}: {problem}", param.name)),
        }
    }
    let mut full = all.clone();
    if let Some(body) = op.body {
        match body.kind {
            BodyKind::Json => match json_bodies(doc, body.pointer) {
                Ok((minimal, example, complete)) => {
                    if body.required {
                        required.body = Some(minimal);
                    }
                    all.body = Some(example);
                    full.body = Some(complete);
                }
                Err(problem) => problems.push(format!("body: {problem}")),
            },
            BodyKind::Bytes => {
                if body.required {
                    required.bytes = Some(b"contract".to_vec());
                }
                all.bytes = Some(b"contract".to_vec());
                full.bytes = Some(b"contract".to_vec());
            }
            BodyKind::Multipart(parts) => {
                let schema = doc.at(&format!("{}/schema", body.pointer)).ok();
                for part in parts {
                    let value = if part.file {
                        PartValue::File {
                            bytes: PNG.to_vec(),
                            file_name: "logo.png".into(),
                            content_type: Some("image/png".into()),
                        }
                    } else {
                        let property = schema
                            .and_then(|s| s.get("properties"))
                            .and_then(|p| p.get(part.name))
                            .cloned()
                            .unwrap_or(json!({"type": "string"}));
                        let value = doc.synthesize(&property, Mode::Full);
                        PartValue::Text(match value {
                            Value::String(text) => text,
                            other => other.to_string(),
                        })
                    };
                    if body.required && part.required {
                        required.parts.insert(part.name.to_owned(), value.clone());
                    }
                    all.parts.insert(part.name.to_owned(), value.clone());
                    full.parts.insert(part.name.to_owned(), value);
                }
            }
        }
    }
    Fixture {
        required,
        all,
        full,
        problems,
    }
}

/// A parameter's value: its example when one validates, else one built from its schema.
fn param_value(doc: &Doc, op: &Operation, param: &calls::Param) -> Result<Value, String> {
    if !param.declared {
        return Ok(json!(schema::OBJECT_ID));
    }
    let object = doc.at(param.pointer)?;
    let schema = object.get("schema").cloned().unwrap_or(json!({}));
    let mut candidates: Vec<Value> = Vec::new();
    candidates.extend(object.get("example").cloned());
    if let Some(examples) = object.get("examples").and_then(Value::as_object) {
        for example in examples.values() {
            if let Some(value) = doc.deref(example).ok().and_then(|e| e.get("value")) {
                candidates.push(value.clone());
            }
        }
    }
    let usable = |value: &Value| {
        let empty = value.is_null()
            || value.as_array().is_some_and(Vec::is_empty)
            || (param.location == Location::Path && value.as_str().is_some_and(str::is_empty));
        !empty && doc.validate(&schema, value).is_empty()
    };
    if let Some(example) = candidates.into_iter().find(|v| usable(v)) {
        return Ok(example);
    }
    let value = doc.synthesize(&schema, Mode::Full);
    let errors = doc.validate(&schema, &value);
    if !errors.is_empty() {
        return Err(format!(
            "no valid value for {} of {}: built {value}, which breaks it: {}",
            param.name,
            op.operation_id,
            errors.join("; ")
        ));
    }
    Ok(value)
}

/// A JSON body's three forms: minimal, the document's example (or the full one), full.
fn json_bodies(doc: &Doc, pointer: &str) -> Result<(Value, Value, Value), String> {
    let media = doc.at(pointer)?;
    let schema = media.get("schema").cloned().unwrap_or(json!({}));
    let minimal = doc.synthesize(&schema, Mode::Required);
    let full = doc.synthesize(&schema, Mode::Full);
    for (name, value) in [("minimal", &minimal), ("full", &full)] {
        let errors = doc.validate(&schema, value);
        if !errors.is_empty() {
            return Err(format!(
                "the {name} body built for {pointer} breaks its schema: {}; built {value}",
                errors.join("; ")
            ));
        }
    }
    let mut examples: Vec<Value> = Vec::new();
    examples.extend(media.get("example").cloned());
    if let Some(map) = media.get("examples").and_then(Value::as_object) {
        for example in map.values() {
            if let Some(value) = doc.deref(example).ok().and_then(|e| e.get("value")) {
                examples.push(value.clone());
            }
        }
    }
    if let Ok(s) = doc.deref(&schema) {
        examples.extend(s.get("example").cloned());
    }
    let example = examples
        .into_iter()
        .find(|v| !v.is_null() && doc.validate(&schema, v).is_empty())
        .unwrap_or_else(|| full.clone());
    Ok((minimal, example, full))
}

// -------------------------------------------------------------------------- display

/// Every argument set, for review and for reproducing a failure by hand.
fn write_fixtures(
    path: &Path,
    operations: &[&Operation],
    fixtures: &[Fixture],
) -> Result<(), String> {
    let all: serde_json::Map<String, Value> = operations
        .iter()
        .zip(fixtures)
        .map(|(op, f)| {
            let show = |args: &Args| {
                serde_json::from_str::<Value>(&show_args_full(args)).unwrap_or(Value::Null)
            };
            (
                op.operation_id.to_owned(),
                json!({
                    "call": op.call,
                    "required": show(&f.required),
                    "all": show(&f.all),
                    "full": show(&f.full),
                    "problems": f.problems,
                }),
            )
        })
        .collect();
    let text = serde_json::to_string_pretty(&Value::Object(all)).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn show_args(args: &Args) -> String {
    clip(&show_args_full(args), 600)
}

fn show_args_full(args: &Args) -> String {
    let mut shown = serde_json::Map::new();
    if !args.params.is_empty() {
        shown.insert("params".into(), json!(args.params));
    }
    if let Some(body) = &args.body {
        shown.insert("body".into(), body.clone());
    }
    if let Some(bytes) = &args.bytes {
        shown.insert("bytes".into(), json!(bytes.len()));
    }
    if !args.parts.is_empty() {
        let parts: serde_json::Map<String, Value> = args
            .parts
            .iter()
            .map(|(name, part)| {
                let shown = match part {
                    PartValue::Text(text) => json!(text),
                    PartValue::File {
                        bytes, file_name, ..
                    } => {
                        json!(format!("<file {file_name}, {} bytes>", bytes.len()))
                    }
                };
                (name.clone(), shown)
            })
            .collect();
        shown.insert("parts".into(), Value::Object(parts));
    }
    Value::Object(shown).to_string()
}

fn show_outcome(outcome: Option<&Outcome>) -> String {
    match outcome {
        None => "timed out".into(),
        Some(Outcome::Ok { status, body }) => format!("Ok({status:?}, {})", show_payload(body)),
        Some(Outcome::Api {
            status,
            variant,
            body,
            ..
        }) => {
            format!("Error::Api {status} {variant} {}", show_payload(body))
        }
        Some(other) => clip(&format!("{other:?}"), 400),
    }
}

fn show_payload(body: &Payload) -> String {
    match body {
        Payload::Empty => "(empty)".into(),
        Payload::Json(value) => clip(&value.to_string(), 300),
        Payload::Bytes(bytes) => clip(&format!("bytes {:?}", String::from_utf8_lossy(bytes)), 300),
        Payload::Unencodable(e) => format!("unencodable: {e}"),
    }
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

// -------------------------------------------------------------------------- the document

fn count_operations(root: &Value) -> usize {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    root.get("paths")
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .values()
                .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
                .sum()
        })
        .unwrap_or(0)
}
