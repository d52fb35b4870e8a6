//! Structure-aware fuzzing of the generator. Seed documents (the fixtures, every document in
//! `shared/specs`, and small slices of the large ones) are mutated structurally
//! ([`mutate`]) and fed through load → lower → render → a `syn` parse of every file written.
//!
//! The invariants: never a panic, never a hang, never output that fails to parse, and a
//! refused document names a JSON pointer. A failure is saved with its seed and mutations, then
//! shrunk to a minimal document that still fails the same way ([`minimize`]); each one found
//! becomes a regression test in `codegen/tests/regressions.rs`.
//!
//! Run a campaign with `cargo run --release -p docfuzz -- --seconds 600` (see `main.rs`);
//! `cargo test -p docfuzz` runs a short, fixed one.
pub mod mutate;
pub mod rng;

use rng::Rng;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A document to start from.
#[derive(Debug, Clone)]
pub struct Seed {
    pub name: String,
    pub document: Value,
}

/// How a document fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Generated { operations: usize },
    Refused { pointer: String, message: String },
}

/// A broken invariant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    Panic(String),
    Hang(Duration),
    Unparsable {
        file: String,
        error: String,
    },
    /// A refusal whose pointer is not a JSON pointer.
    BadPointer(String),
}

impl Failure {
    /// The kind, for telling whether a smaller document still fails the same way.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Panic(_) => "panic",
            Failure::Hang(_) => "hang",
            Failure::Unparsable { .. } => "unparsable output",
            Failure::BadPointer(_) => "bad pointer",
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Panic(message) => write!(f, "panic: {message}"),
            Failure::Hang(limit) => write!(f, "no answer within {} s", limit.as_secs()),
            Failure::Unparsable { file, error } => write!(f, "{file} does not parse: {error}"),
            Failure::BadPointer(pointer) => write!(f, "refused at {pointer:?}, not a JSON pointer"),
        }
    }
}

/// Runs the whole pipeline on `text` and checks the invariants, except the hang bound (see
/// [`check_within`]).
pub fn check(text: &str, settings: &codegen::Settings) -> Result<Verdict, Failure> {
    silence_panics();
    let outcome = std::panic::catch_unwind(|| codegen::generate(text, settings));
    let generation = match outcome {
        Err(payload) => return Err(Failure::Panic(panic_message(&payload))),
        Ok(Err(error)) => {
            let valid = error.pointer.is_empty() || error.pointer.starts_with('/');
            if !valid {
                return Err(Failure::BadPointer(error.pointer));
            }
            return Ok(Verdict::Refused {
                pointer: error.pointer,
                message: error.message,
            });
        }
        Ok(Ok(generation)) => generation,
    };
    for (file, contents) in generation.files.iter().chain(&generation.testkit_files) {
        if !file.ends_with(".rs") {
            continue;
        }
        if let Err(error) = syn::parse_file(contents) {
            return Err(Failure::Unparsable {
                file: file.clone(),
                error: error.to_string(),
            });
        }
        // The renderers report their own token errors in the file, never by a panic.
        if contents.contains("codegen bug:") {
            return Err(Failure::Unparsable {
                file: file.clone(),
                error: "the renderer wrote a compile_error!".into(),
            });
        }
    }
    Ok(Verdict::Generated {
        operations: generation.stats.operations,
    })
}

/// [`check`] on another thread, given at most `limit`. A hang leaves that thread running:
/// a campaign stops at the first one.
pub fn check_within(
    text: String,
    settings: &codegen::Settings,
    limit: Duration,
) -> Result<Verdict, Failure> {
    let (sender, receiver) = mpsc::channel();
    let settings = settings.clone();
    // `codegen::generate` runs on a stack of its own, sized for the deepest document.
    std::thread::Builder::new()
        .name("docfuzz-check".into())
        .spawn(move || {
            let _ = sender.send(check(&text, &settings));
        })
        .expect("a thread can be started");
    receiver
        .recv_timeout(limit)
        .unwrap_or(Err(Failure::Hang(limit)))
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "a panic without a message".into());
    let location = LAST_PANIC_AT.with(|at| at.borrow_mut().take());
    match location {
        Some(location) => format!("{message} (at {location})"),
        None => message,
    }
}

thread_local! {
    static LAST_PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Panics are expected findings here: record where they happened instead of printing.
fn silence_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            LAST_PANIC_AT.with(|at| *at.borrow_mut() = location);
        }));
    });
}

/// The workspace root (this crate's parent).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("docfuzz sits in the workspace")
        .to_path_buf()
}

/// The settings the SDK is generated with: every option the renderers have turned on.
pub fn sdk_settings() -> codegen::Settings {
    let path = workspace().join("jumpcloud-sdk/codegen.yaml");
    let text = std::fs::read_to_string(&path).expect("jumpcloud-sdk/codegen.yaml is readable");
    codegen::Settings::from_yaml(&text).expect("jumpcloud-sdk/codegen.yaml is valid")
}

/// Reads a YAML or JSON document into JSON.
pub fn read_document(text: &str) -> Option<Value> {
    serde_yaml::from_str::<Value>(text).ok()
}

/// The seeds: codegen's fixtures, and, when `../shared/specs` is there, every document in it
/// (whole, and as slices of a few operations with the components they reach).
pub fn seeds(with_real_documents: bool) -> Vec<Seed> {
    let mut seeds = Vec::new();
    let fixtures = workspace().join("codegen/tests/fixtures");
    let add_dir = |dir: &Path, seeds: &mut Vec<Seed>, slices: bool| {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let is_document = path.extension().is_some_and(|e| e == "yaml" || e == "json");
            let Some(document) = is_document
                .then(|| std::fs::read_to_string(&path).ok())
                .flatten()
                .and_then(|text| read_document(&text))
            else {
                continue;
            };
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if slices {
                let mut rng = Rng::new(seeds.len() as u64);
                for index in 0..4 {
                    seeds.push(Seed {
                        name: format!("{name} (slice {index})"),
                        document: slice(&document, 1 + index * 2, &mut rng),
                    });
                }
            }
            seeds.push(Seed { name, document });
        }
    };
    add_dir(&fixtures, &mut seeds, false);
    if with_real_documents {
        let specs = workspace().join("../shared/specs");
        for dir in [specs.clone(), specs.join("jumpcloud"), specs.join("other")] {
            add_dir(&dir, &mut seeds, true);
        }
    }
    seeds
}

/// A few of `document`'s operations with the components they reach, so mutations of a large
/// document cost milliseconds rather than seconds.
pub fn slice(document: &Value, operations: usize, rng: &mut Rng) -> Value {
    let mut sliced = document.clone();
    let Some(Value::Object(paths)) = document.get("paths") else {
        return sliced;
    };
    let keys: Vec<&String> = paths.keys().collect();
    let mut kept = serde_json::Map::new();
    for _ in 0..operations.min(keys.len()) {
        let key = *rng.pick(&keys);
        kept.insert(key.clone(), paths[key].clone());
    }
    sliced["paths"] = Value::Object(kept.clone());
    // Keep only the components the kept paths reach, transitively.
    let mut reached = std::collections::BTreeSet::new();
    let mut pending = vec![Value::Object(kept)];
    while let Some(value) = pending.pop() {
        for reference in references(&value) {
            let Some(rest) = reference.strip_prefix("#/components/") else {
                continue;
            };
            let Some((section, key)) = rest.split_once('/') else {
                continue;
            };
            let key = key.replace("~1", "/").replace("~0", "~");
            if reached.insert((section.to_owned(), key.clone())) {
                if let Some(target) = document
                    .get("components")
                    .and_then(|c| c.get(section))
                    .and_then(|s| s.get(&key))
                {
                    pending.push(target.clone());
                }
            }
        }
    }
    let mut components = serde_json::Map::new();
    for (section, key) in reached {
        if let Some(target) = document
            .get("components")
            .and_then(|c| c.get(&section))
            .and_then(|s| s.get(&key))
        {
            components
                .entry(section)
                .or_insert_with(|| Value::Object(serde_json::Map::new()))
                .as_object_mut()
                .expect("sections are objects")
                .insert(key, target.clone());
        }
    }
    sliced["components"] = Value::Object(components);
    sliced
}

fn references(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    found.push(reference.clone());
                }
                pending.extend(object.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    found
}

/// One mutated document: which seed, what was done, and its text.
#[derive(Debug, Clone)]
pub struct Case {
    pub seed: String,
    pub mutations: Vec<String>,
    pub text: String,
}

/// Builds case number `index` of a campaign from `seeds`: a seed, one to four mutations,
/// written as JSON or YAML, now and then cut short or with a byte changed.
pub fn case(seeds: &[Seed], rng: &mut Rng) -> Case {
    let seed = rng.pick(seeds);
    let mut document = seed.document.clone();
    let mut mutations = Vec::new();
    let count = match rng.below(20) {
        0..=11 => 1,
        12..=16 => 2,
        _ => 3 + rng.below(2),
    };
    for _ in 0..count {
        let name = *rng.pick(mutate::MUTATIONS);
        mutations.push(mutate::apply(name, &mut document, rng));
    }
    let mut text = if rng.chance(50) {
        serde_json::to_string(&document).expect("JSON values serialize")
    } else {
        serde_yaml::to_string(&document).expect("JSON values serialize as YAML")
    };
    if rng.chance(5) && !text.is_empty() {
        let mut cut = rng.below(text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        mutations.push(format!("text cut at byte {cut}"));
    }
    Case {
        seed: seed.name.clone(),
        mutations,
        text,
    }
}

/// A failure found by a campaign.
#[derive(Debug, Clone)]
pub struct Found {
    pub case_seed: u64,
    pub case: Case,
    pub failure: Failure,
}

/// What a campaign did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub executions: usize,
    pub generated: usize,
    pub refused: usize,
    pub elapsed: Duration,
    pub found: Vec<Found>,
    /// Per mutation kind: cases that generated and cases that were refused.
    pub by_mutation: std::collections::BTreeMap<String, (usize, usize)>,
}

/// Runs cases `first..` until `executions` or `duration` runs out, whichever comes first;
/// stops early at a hang (its thread cannot be stopped).
pub fn campaign(
    seeds: &[Seed],
    settings: &codegen::Settings,
    first: u64,
    executions: usize,
    duration: Duration,
    per_case: Duration,
) -> Report {
    let started = Instant::now();
    let mut report = Report::default();
    for case_seed in first.. {
        if report.executions >= executions || started.elapsed() >= duration {
            break;
        }
        let mut rng = Rng::new(case_seed);
        let case = case(seeds, &mut rng);
        report.executions += 1;
        let verdict = check_within(case.text.clone(), settings, per_case);
        for mutation in &case.mutations {
            let kind = mutation.split(' ').next().unwrap_or_default().to_owned();
            let counts = report.by_mutation.entry(kind).or_default();
            match verdict {
                Ok(Verdict::Generated { .. }) => counts.0 += 1,
                _ => counts.1 += 1,
            }
        }
        match verdict {
            Ok(Verdict::Generated { .. }) => report.generated += 1,
            Ok(Verdict::Refused { .. }) => report.refused += 1,
            Err(failure) => {
                let hang = matches!(failure, Failure::Hang(_));
                report.found.push(Found {
                    case_seed,
                    case,
                    failure,
                });
                if hang {
                    break;
                }
            }
        }
    }
    report.elapsed = started.elapsed();
    report
}

/// Shrinks `document` while it still fails with `kind`: removes entries of objects and items
/// of arrays, halves first, then one by one, at every level, within `budget` checks.
pub fn minimize(
    document: &Value,
    kind: &str,
    settings: &codegen::Settings,
    budget: usize,
) -> Value {
    minimize_with(document, budget, |candidate| {
        let text = serde_json::to_string(candidate).expect("JSON values serialize");
        matches!(check_within(text, settings, Duration::from_secs(20)), Err(f) if f.kind() == kind)
    })
}

/// [`minimize`] with any test of whether a candidate still fails.
pub fn minimize_with(document: &Value, budget: usize, fails: impl Fn(&Value) -> bool) -> Value {
    let mut best = document.clone();
    let mut checks = 0;
    let mut changed = true;
    while changed && checks < budget {
        changed = false;
        let mut paths = vec![Vec::new()];
        while let Some(path) = paths.pop() {
            if checks >= budget {
                break;
            }
            let len = match mutate::get(&best, &path) {
                Some(Value::Object(object)) => object.len(),
                Some(Value::Array(items)) => items.len(),
                _ => 0,
            };
            let mut chunk = len.div_ceil(2).max(1);
            while chunk >= 1 && len > 0 {
                let mut start = 0;
                while start < children(&best, &path) && checks < budget {
                    let mut candidate = best.clone();
                    remove_children(&mut candidate, &path, start, chunk);
                    checks += 1;
                    if fails(&candidate) {
                        best = candidate;
                        changed = true;
                    } else {
                        start += chunk;
                    }
                }
                if chunk == 1 {
                    break;
                }
                chunk /= 2;
            }
            // Recurse into what is left.
            match mutate::get(&best, &path) {
                Some(Value::Object(object)) => {
                    for key in object.keys() {
                        let mut child = path.clone();
                        child.push(mutate::Step::Key(key.clone()));
                        paths.push(child);
                    }
                }
                Some(Value::Array(items)) => {
                    for index in 0..items.len() {
                        let mut child = path.clone();
                        child.push(mutate::Step::Index(index));
                        paths.push(child);
                    }
                }
                _ => {}
            }
        }
    }
    best
}

fn children(document: &Value, path: &[mutate::Step]) -> usize {
    match mutate::get(document, path) {
        Some(Value::Object(object)) => object.len(),
        Some(Value::Array(items)) => items.len(),
        _ => 0,
    }
}

fn remove_children(document: &mut Value, path: &[mutate::Step], start: usize, count: usize) {
    match mutate::get_mut(document, path) {
        Some(Value::Object(object)) => {
            let keys: Vec<String> = object.keys().skip(start).take(count).cloned().collect();
            for key in keys {
                object.remove(&key);
            }
        }
        Some(Value::Array(items)) => {
            let end = (start + count).min(items.len());
            if start < end {
                items.drain(start..end);
            }
        }
        _ => {}
    }
}
