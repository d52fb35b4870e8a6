//! One snapshot per fixture in `tests/fixtures/`: the generated files that show how the
//! fixture's construct is rendered, after the list of every generated file and the diagnostics.
//!
//! Update with `INSTA_UPDATE=always cargo test -p codegen --test snapshots`, then read every
//! changed `.snap` file: a snapshot is only a test once someone checked that it is right.

mod common;

use codegen::{Generation, Settings};
use common::fixture_settings;
use std::path::PathBuf;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.yaml"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read fixture {}: {error}", path.display()))
}

fn generate_with(name: &str, settings: &Settings) -> Generation {
    codegen::generate(&fixture(name), settings)
        .unwrap_or_else(|error| panic!("fixture {name} does not generate: {error}"))
}

/// The snapshot text: every file path, the diagnostics when there are any, then the files whose
/// path starts with one of `prefixes`, each after a `// ---- path ----` line. The document's
/// sha256 is replaced by `<sha256>` so that editing a fixture's layout only changes what it must.
fn render(generation: &Generation, prefixes: &[&str]) -> String {
    let mut out = String::from("files:\n");
    for path in generation.files.keys() {
        out.push_str(&format!("  {path}\n"));
    }
    if !generation.diagnostics.is_empty() {
        out.push_str("diagnostics:\n");
        for diagnostic in &generation.diagnostics {
            out.push_str(&format!("  {diagnostic}\n"));
        }
    }
    for (path, contents) in &generation.files {
        if prefixes.iter().any(|prefix| path.starts_with(prefix)) {
            out.push_str(&format!("\n// ---- {path} ----\n"));
            out.push_str(&contents.replace(&generation.source.sha256, "<sha256>"));
        }
    }
    out
}

const MODELS: &str = "src/generated/models/";
const APIS: &str = "src/generated/apis/";
const ERRORS: &str = "src/generated/errors.rs";
const ROOT: &str = "src/generated/mod.rs";
const OPERATIONS: &str = "OPERATIONS.md";

fn snapshot(name: &str, prefixes: &[&str]) {
    snapshot_with(name, &fixture_settings(), prefixes);
}

fn snapshot_with(name: &str, settings: &Settings, prefixes: &[&str]) {
    let generation = generate_with(name, settings);
    insta::assert_snapshot!(name, render(&generation, prefixes));
}

#[test]
fn objects() {
    snapshot("objects", &[MODELS]);
}

#[test]
fn schema_names() {
    snapshot("schema_names", &[MODELS, ERRORS, APIS]);
}

#[test]
fn enums() {
    snapshot("enums", &[MODELS]);
}

#[test]
fn all_of() {
    snapshot("all_of", &[MODELS]);
}

#[test]
fn maps() {
    snapshot("maps", &[MODELS]);
}

#[test]
fn recursion() {
    snapshot("recursion", &[MODELS]);
}

#[test]
fn inline() {
    snapshot("inline", &[MODELS, APIS, ERRORS]);
}

#[test]
fn parameters() {
    snapshot("parameters", &[MODELS, APIS, OPERATIONS]);
}

#[test]
fn request_bodies() {
    snapshot("request_bodies", &[MODELS, APIS, OPERATIONS]);
}

#[test]
fn responses() {
    snapshot("responses", &[APIS, ERRORS]);
}

#[test]
fn grouping() {
    let settings = Settings {
        cross_cutting_tags: vec!["Graph".into()],
        group_features: true,
        ..fixture_settings()
    };
    snapshot_with(
        "grouping",
        &settings,
        &[ROOT, "src/generated/apis/mod.rs", OPERATIONS],
    );
}

#[test]
fn cookies() {
    // The default settings: strict required fields, no paging conventions.
    snapshot_with("cookies", &Settings::default(), &[MODELS, APIS, OPERATIONS]);
}

/// Docs with the documents' descriptions carried (`descriptions: true`); without the setting,
/// no description text is generated at all.
#[test]
fn docs() {
    let mut settings = Settings {
        descriptions: true,
        deprecated_extensions: vec!["x-deprecated".into()],
        ..fixture_settings()
    };
    settings.documents = vec![codegen::DocumentSettings {
        name: "docs".into(),
        reference: Some("https://example.test/docs#tag/{tag}/operation/{operationId}".into()),
        ..Default::default()
    }];
    snapshot_with("docs", &settings, &[MODELS, APIS]);
    settings.descriptions = false;
    let quiet = generate_with("docs", &settings);
    for text in [
        "A thing on the shelf",
        "Shown to people",
        "Every widget",
        "the old way",
    ] {
        for (path, contents) in &quiet.files {
            assert!(!contents.contains(text), "{path} carries {text:?}");
        }
    }
}

#[test]
fn discriminators() {
    snapshot("discriminators", &[MODELS]);
}

#[test]
fn openapi31() {
    snapshot("openapi31", &[MODELS, OPERATIONS]);
}
