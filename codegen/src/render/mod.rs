//! Stage 3: the IR to Rust source and docs. Reads only [`crate::ir`].
mod apis;
mod doc_lines;
mod docs;
mod features;
mod models;
mod print;
mod services;
mod testkit;
mod types;

use crate::ir::{Api, Testkit};
use proc_macro2::TokenStream;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Every generated file, keyed by path relative to the SDK crate root.
pub fn render(api: &Api) -> BTreeMap<String, String> {
    render_all(api, None).0
}

/// The SDK's files and, with a testkit, the tests crate's, rendered together: one job per file,
/// taken by whichever thread is free. Rendering and printing are most of generation time; a
/// token stream cannot cross threads, so each job renders its own.
pub fn render_all(
    api: &Api,
    testkit: Option<&Testkit>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let header = header(api);
    let features = features::Features::of(api);
    let jobs = jobs(api, testkit, &features);
    let (mut files, mut testkit_files) = (BTreeMap::new(), BTreeMap::new());
    for (in_testkit, path, text) in run_jobs(&header, &jobs) {
        let files = if in_testkit {
            &mut testkit_files
        } else {
            &mut files
        };
        files.insert(path, text);
    }
    files.insert("OPERATIONS.md".into(), docs::operations_table(api));
    (files, testkit_files)
}

/// One job per generated Rust file.
fn jobs<'a>(
    api: &'a Api,
    testkit: Option<&'a Testkit>,
    features: &'a features::Features,
) -> Vec<Job<'a>> {
    let sdk = |path: String, tokens| Job::new(false, path, tokens);
    let mut jobs: Vec<Job<'_>> = Vec::new();
    // The testkit's two files are the largest by far (a third of all output): started first, so
    // that the last job to finish is a small one and no thread waits long for another.
    if let Some(testkit) = testkit {
        let kit = |path: &str, tokens| Job::new(true, path.into(), tokens);
        jobs.push(kit(
            "src/generated/calls.rs",
            Box::new(move || testkit::calls_module(api, testkit)),
        ));
        jobs.push(kit(
            "src/generated/examples.rs",
            Box::new(move || testkit::examples_module(api, testkit)),
        ));
        jobs.push(kit("src/generated/mod.rs", Box::new(testkit::root_module)));
    }
    jobs.extend([
        sdk(
            "src/generated/mod.rs".into(),
            Box::new(move || apis::root_module(api, features)),
        ),
        sdk(
            "src/generated/services.rs".into(),
            Box::new(move || services::services_module(api)),
        ),
        sdk(
            "src/generated/errors.rs".into(),
            Box::new(move || apis::error_bodies(api, features)),
        ),
        sdk(
            "src/generated/apis/mod.rs".into(),
            Box::new(move || apis::apis_module(api, features)),
        ),
        sdk(
            "src/generated/models/mod.rs".into(),
            Box::new(move || models::models_module(api)),
        ),
    ]);
    for (module, (group, ops)) in apis::groups(api) {
        let path = format!("src/generated/apis/{module}.rs");
        jobs.push(sdk(
            path,
            Box::new(move || apis::group_module(group, &ops, &api.services)),
        ));
    }
    for (chunk, defs) in models::chunks_of(api) {
        let path = format!("src/generated/models/{chunk}.rs");
        jobs.push(sdk(
            path,
            Box::new(move || models::model_chunk(&defs, api, features)),
        ));
    }
    jobs
}

/// One generated file: where it goes and how its tokens are made.
struct Job<'a> {
    /// A file of the tests crate's testkit rather than of the SDK.
    testkit: bool,
    path: String,
    tokens: Tokens<'a>,
}

/// How a job makes its file's tokens, on the thread that takes it.
type Tokens<'a> = Box<dyn Fn() -> TokenStream + Sync + 'a>;

impl<'a> Job<'a> {
    fn new(testkit: bool, path: String, tokens: Tokens<'a>) -> Self {
        Job {
            testkit,
            path,
            tokens,
        }
    }
}

/// Renders and prints every job, on as many threads as the machine has cores (jobs are
/// taken in order from a shared counter, so a thread that finishes early takes the next).
/// Where a file's text lands does not depend on which thread made it.
fn run_jobs(header: &str, jobs: &[Job<'_>]) -> Vec<(bool, String, String)> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
            let text = format_file(header, &*job.tokens);
            done.push((job.testkit, job.path.clone(), text));
        }
        done
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        // The stack a main thread has, whatever thread calls the generator.
        let helpers: Vec<_> = (1..threads.min(jobs.len()))
            .filter_map(|i| {
                std::thread::Builder::new()
                    .name(format!("codegen-render-{i}"))
                    .stack_size(8 << 20)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut done = work();
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => done.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    })
}

/// The cargo features the SDK declares: one per operation group (empty when
/// `Settings::group_features` is off).
pub fn group_features(api: &Api) -> Vec<String> {
    if !api.group_features {
        return Vec::new();
    }
    features::Features::of(api)
        .groups()
        .map(str::to_owned)
        .collect()
}

fn header(api: &Api) -> String {
    let sources: Vec<String> = api
        .services
        .iter()
        .map(|s| {
            let (title, version) = (s.title.replace('\n', " "), s.version.replace('\n', " "));
            format!("{title} {version} (sha256 {})", s.sha256)
        })
        .collect();
    format!(
        "// @generated by codegen (cargo xtask regenerate) from {}.\n// Do not edit: changes are overwritten.\n\n",
        sources.join(",\n// ")
    )
}

/// The file `tokens` makes, printed (see [`print`]) after the header.
fn format_file(header: &str, tokens: &(dyn Fn() -> TokenStream + Sync)) -> String {
    format!("{header}{}", print::file(tokens()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every file of every fixture, and of JumpCloud's API v1 with the SDK's settings and
    /// testkit, prints as exactly the tokens its renderer made.
    #[test]
    fn every_rendered_file_prints_as_its_tokens() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let fixture_settings = std::fs::read_to_string(root.join("tests/fixture_settings.yaml"))
            .expect("fixture settings");
        let fixture_settings = crate::Settings::from_yaml(&fixture_settings).expect("settings");
        let mut documents: Vec<(String, crate::Settings)> = Vec::new();
        let mut fixtures: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
            .expect("fixtures")
            .map(|entry| entry.expect("entry").path())
            .collect();
        fixtures.sort();
        for path in &fixtures {
            let text = std::fs::read_to_string(path).expect("fixture");
            documents.push((text, fixture_settings.clone()));
        }
        assert!(documents.len() >= 10, "fixtures: {fixtures:?}");
        let sdk_settings = std::fs::read_to_string(root.join("../jumpcloud-sdk/codegen.yaml"))
            .expect("the SDK's settings");
        let v1 = root.join("../../shared/specs/jumpcloud/v1-2026-08-13.yaml");
        let v1 = std::fs::read_to_string(&v1).unwrap_or_else(|e| {
            panic!("{} (shared/specs beside the workspace): {e}", v1.display())
        });
        let sdk_settings = crate::Settings::from_yaml(&sdk_settings).expect("SDK settings");
        documents.push((v1, sdk_settings));
        let mut printed = 0;
        for (text, settings) in &documents {
            let loaded = crate::load::load(text).expect("loads");
            let api =
                crate::lower::lower(&loaded.document, &loaded.sha256, settings, &mut Vec::new())
                    .expect("lowers");
            let features = features::Features::of(&api);
            for job in jobs(&api, api.testkit.as_ref(), &features) {
                print::tests::assert_round_trip((job.tokens)());
                printed += 1;
            }
        }
        assert!(printed > 100, "{printed} files");
    }
}
