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

/// Every generated file of the SDK crate, keyed by path relative to its root (split, the core's
/// and the shards' are in [`render_all`]'s [`Rendered::crates`]).
pub fn render(api: &Api) -> BTreeMap<String, String> {
    render_all(api, None).sdk
}

/// Rendered files, keyed by path relative to their crate's root.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The SDK crate's.
    pub sdk: BTreeMap<String, String>,
    /// The tests crate's testkit.
    pub testkit: BTreeMap<String, String>,
    /// The core's and the shards' when the code is split, by package name.
    pub crates: BTreeMap<String, BTreeMap<String, String>>,
}

/// The SDK's files and, with a testkit, the tests crate's, rendered together: one job per file,
/// taken by whichever thread is free. Rendering and printing are most of generation time; a
/// token stream cannot cross threads, so each job renders its own.
pub fn render_all(api: &Api, testkit: Option<&Testkit>) -> Rendered {
    let header = header(api);
    let features = features::Features::of(api);
    let jobs = jobs(api, testkit, &features);
    let mut rendered = Rendered::default();
    for (target, path, text) in run_jobs(&header, &jobs) {
        let files = match target {
            Target::Sdk => &mut rendered.sdk,
            Target::Testkit => &mut rendered.testkit,
            Target::Crate(package) => rendered.crates.entry(package.to_owned()).or_default(),
        };
        files.insert(path, text);
    }
    rendered
        .sdk
        .insert("OPERATIONS.md".into(), docs::operations_table(api));
    rendered
}

/// Which crate a job's file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target<'a> {
    Sdk,
    Testkit,
    /// The core or a shard, by package name.
    Crate(&'a str),
}

/// One job per generated Rust file.
fn jobs<'a>(
    api: &'a Api,
    testkit: Option<&'a Testkit>,
    features: &'a features::Features<'a>,
) -> Vec<Job<'a>> {
    let mut jobs: Vec<Job<'_>> = Vec::new();
    // The testkit's two files are the largest by far (a third of all output): started first, so
    // that the last job to finish is a small one and no thread waits long for another.
    if let Some(testkit) = testkit {
        let kit = |path: &str, tokens| Job::new(Target::Testkit, path.into(), tokens);
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
    // One crate: everything in the SDK's `src/generated`. Split: the core's `src/generated`
    // has what the shards share, each shard's `src` its groups and models, and the SDK's
    // `src/generated` gathers them.
    let (root, apis_dir) = match &api.layout {
        None => (Target::Sdk, Some("src/generated/apis")),
        Some(layout) => (Target::Crate(&layout.core), None),
    };
    let at = |target, path: &str, tokens| Job::new(target, path.into(), tokens);
    jobs.extend([
        at(
            root,
            "src/generated/mod.rs",
            Box::new(move || apis::root_module(api, features)),
        ),
        at(
            root,
            "src/generated/services.rs",
            Box::new(move || services::services_module(api)),
        ),
        at(
            root,
            "src/generated/errors.rs",
            Box::new(move || apis::error_bodies(api, features)),
        ),
        at(
            root,
            "src/generated/models/mod.rs",
            Box::new(move || models::models_module(api, None)),
        ),
    ]);
    push_model_chunks(&mut jobs, api, features, root, "src/generated/models", None);
    if let Some(dir) = apis_dir {
        jobs.push(at(
            root,
            &format!("{dir}/mod.rs"),
            Box::new(move || apis::apis_module(api, features, None)),
        ));
        push_groups(&mut jobs, api, root, dir, None);
    }
    let Some(layout) = &api.layout else {
        return jobs;
    };
    jobs.push(at(
        Target::Sdk,
        "src/generated/mod.rs",
        Box::new(move || apis::gathering_module(api, layout, features)),
    ));
    for (index, shard) in layout.shards.iter().enumerate() {
        let target = Target::Crate(&shard.package);
        jobs.push(at(
            target,
            "src/lib.rs",
            Box::new(move || apis::shard_root(layout, shard)),
        ));
        jobs.push(at(
            target,
            "src/models/mod.rs",
            Box::new(move || models::models_module(api, Some(index))),
        ));
        jobs.push(at(
            target,
            "src/apis/mod.rs",
            Box::new(move || apis::apis_module(api, features, Some(&shard.groups))),
        ));
        push_model_chunks(&mut jobs, api, features, target, "src/models", Some(index));
        push_groups(&mut jobs, api, target, "src/apis", Some(&shard.groups));
    }
    jobs
}

/// One job per model file of `unit` (see [`models::chunks_of`]), in `dir`.
fn push_model_chunks<'a>(
    jobs: &mut Vec<Job<'a>>,
    api: &'a Api,
    features: &'a features::Features<'a>,
    target: Target<'a>,
    dir: &str,
    unit: Option<usize>,
) {
    for (chunk, defs) in models::chunks_of(api, unit) {
        jobs.push(Job::new(
            target,
            format!("{dir}/{chunk}.rs"),
            Box::new(move || models::model_chunk(&defs, api, features)),
        ));
    }
}

/// One job per group module (of `groups_in` only, when given), in `dir`.
fn push_groups<'a>(
    jobs: &mut Vec<Job<'a>>,
    api: &'a Api,
    target: Target<'a>,
    dir: &str,
    groups_in: Option<&'a [String]>,
) {
    let split = api.layout.is_some();
    for (module, (group, ops)) in apis::groups(api) {
        if groups_in.is_some_and(|groups_in| !groups_in.iter().any(|g| g == module)) {
            continue;
        }
        jobs.push(Job::new(
            target,
            format!("{dir}/{module}.rs"),
            Box::new(move || apis::group_module(group, &ops, &api.services, split)),
        ));
    }
}

/// One generated file: where it goes and how its tokens are made.
struct Job<'a> {
    target: Target<'a>,
    path: String,
    tokens: Tokens<'a>,
}

/// How a job makes its file's tokens, on the thread that takes it.
type Tokens<'a> = Box<dyn Fn() -> TokenStream + Sync + 'a>;

impl<'a> Job<'a> {
    fn new(target: Target<'a>, path: String, tokens: Tokens<'a>) -> Self {
        Job {
            target,
            path,
            tokens,
        }
    }
}

/// Renders and prints every job, on as many threads as the machine has cores (jobs are
/// taken in order from a shared counter, so a thread that finishes early takes the next).
/// Where a file's text lands does not depend on which thread made it.
fn run_jobs<'a>(header: &str, jobs: &[Job<'a>]) -> Vec<(Target<'a>, String, String)> {
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        while let Some(job) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
            let text = format_file(header, &*job.tokens);
            done.push((job.target, job.path.clone(), text));
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
