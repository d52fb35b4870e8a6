//! `cargo xtask regenerate` and `cargo xtask check`.

use std::collections::BTreeMap;
use std::panic;
use std::path::Path;
use std::time::Instant;

use codegen::diff::Report;
use codegen::emit::{self, FileDiff, WriteReport};
use codegen::lock::{NameContext, NameLock};
use codegen::surface::Surface;
use codegen::{Generation, Settings, Severity};

use crate::failure::Failure;
use crate::spec::{self, README};
use crate::{diff_spec, manifest, readme};

/// The SDK crate, relative to the workspace root; generated file keys are relative to it.
const SDK_DIR: &str = "jumpcloud-sdk";
/// The directory inside the SDK crate (and the tests crate) that belongs entirely to the
/// generator.
const OWNED_DIR: &str = "src/generated";
/// The directory of a shard crate that belongs entirely to the generator: all of its code.
const SHARD_OWNED_DIR: &str = "src";
/// The tests crate, relative to the workspace root; testkit file keys are relative to it.
const TESTS_DIR: &str = "tests";
/// The generator settings for the SDK, beside its Cargo.toml.
const SETTINGS_FILE: &str = "codegen.yaml";
/// The name lock (`codegen::lock`), from the workspace root: read, then rewritten.
pub(crate) const NAME_LOCK: &str = "jumpcloud-sdk/names.lock";

/// How names are chosen in this run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Names {
    /// Keep every name the lock has.
    #[default]
    Locked,
    /// Derive every name from the generator's rules; changed ones stay as deprecated aliases.
    Rederive,
    /// Keep every name, but deal the operation groups to the shard crates afresh, by today's
    /// sizes, instead of where the lock keeps them.
    RebalanceShards,
}

/// The documents read from disk, with what the generator made of them.
pub(crate) struct Generated {
    /// Each document read, with the sha256 of its file.
    documents: Vec<(spec::Resolved, String)>,
    generation: Generation,
    /// Files outside the generated directories, keyed from the workspace root:
    /// `spec/README.md`, the SDK's `Cargo.toml` and its name lock.
    workspace_files: BTreeMap<String, String>,
    /// The name lock the generation started from.
    lock_before: NameLock,
    /// The committed surface: what the SDK exposed before this generation.
    surface_before: Option<Surface>,
}

/// Regenerates the SDK's generated code and `spec/README.md`, then prints a summary line.
pub fn regenerate(
    workspace: &Path,
    spec_flag: Option<&Path>,
    names: Names,
    started: Instant,
) -> Result<(), Failure> {
    let generated = generate_documents(workspace, spec_flag, names)?;
    for diagnostic in &generated.generation.diagnostics {
        eprintln!("{diagnostic}");
    }
    report_removed_names(&generated);
    warn_if_codegen_sha_differs(&generated);
    let recorded = spec::recorded_sha256s(workspace)?;
    let mut total = WriteReport::default();
    // Each crate's owned directory is swapped in whole; the manifests and other workspace
    // files, written last, follow the code they describe.
    for tree in trees(&generated) {
        let report = write(&workspace.join(tree.dir), tree.files, &[tree.owned])?;
        total.written += report.written;
        total.unchanged += report.unchanged;
        total.removed += report.removed;
    }
    let readme = write(workspace, &generated.workspace_files, &[])?;
    for stale in stale_shards(workspace, &generated.generation) {
        std::fs::remove_dir_all(workspace.join(&stale))
            .map_err(|e| Failure::environment(format!("removing {stale}: {e}")))?;
        eprintln!("note: removed {stale}/, a shard the settings no longer ask for");
        total.removed += 1;
    }
    record_changes(workspace, &generated, &recorded, names)?;
    total.written += readme.written;
    total.unchanged += readme.unchanged;
    total.removed += readme.removed;
    print_summary(workspace, &generated, total, started);
    Ok(())
}

/// What callers will notice, against the committed surface (none on a first generation).
fn changes(generated: &Generated) -> Option<Report> {
    let before = generated.surface_before.as_ref()?;
    Some(codegen::diff::compare(
        before,
        &generated.generation.surface,
    ))
}

/// Adds what this generation changes for callers to the changelog, and says so.
fn record_changes(
    workspace: &Path,
    generated: &Generated,
    recorded: &BTreeMap<String, String>,
    names: Names,
) -> Result<(), Failure> {
    let Some(report) = changes(generated).filter(|r| !r.changes.is_empty()) else {
        return Ok(());
    };
    let short = |sha: &str| sha.chars().take(12).collect::<String>();
    let updates: Vec<String> = generated
        .documents
        .iter()
        .filter_map(|(resolved, sha)| {
            let name = &resolved.document.name;
            let old = recorded.get(name).filter(|old| *old != sha)?;
            let label = if name.is_empty() {
                String::new()
            } else {
                format!("{name} ")
            };
            Some(format!(
                "{label}sha256 `{}` to `{}`",
                short(old),
                short(sha)
            ))
        })
        .collect();
    let title = match names {
        Names::Rederive => {
            "Names derived anew by `cargo xtask regenerate --rederive-names`".to_owned()
        }
        // Moving groups between shards changes nothing a caller sees: such a run is titled by
        // what else changed.
        Names::Locked | Names::RebalanceShards if !updates.is_empty() => {
            format!("Spec update: {}", updates.join(", "))
        }
        Names::Locked | Names::RebalanceShards => "Generator update".to_owned(),
    };
    diff_spec::append_to_changelog(workspace, &title, &report)?;
    println!(
        "changes for callers: {}; recorded in {}",
        report.summary(),
        diff_spec::CHANGELOG
    );
    Ok(())
}

/// Operations and types the lock had that this generation no longer has.
fn report_removed_names(generated: &Generated) {
    let first = generated
        .documents
        .first()
        .map_or("", |(r, _)| &*r.document.name);
    let (calls, types) =
        codegen::lower::removed_from(&generated.lock_before, &generated.generation.lock, first);
    for call in calls {
        eprintln!("note: {NAME_LOCK}: `{call}` is no longer generated");
    }
    for name in types {
        eprintln!("note: {NAME_LOCK}: type `{name}` is no longer generated");
    }
}

/// `check` compares the file's own sha256 with `spec/README.md`, which records codegen's; if
/// they ever disagree, `check` would fail right after every regeneration, so say why now.
fn warn_if_codegen_sha_differs(generated: &Generated) {
    let sources = generated.generation.sources.iter();
    for ((_, source), (resolved, sha)) in sources.zip(&generated.documents) {
        if !source.sha256.eq_ignore_ascii_case(sha) {
            eprintln!(
                "warning: codegen reports sha256 {} but {} has sha256 {sha}; `cargo xtask check` \
                 compares the file's and will report the document as changed",
                source.sha256,
                resolved.path.display()
            );
        }
    }
}

fn print_summary(workspace: &Path, generated: &Generated, report: WriteReport, started: Instant) {
    let generation = &generated.generation;
    let warnings = generation
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let read: Vec<String> = generated
        .documents
        .iter()
        .map(|(resolved, _)| spec::display(&resolved.path, workspace))
        .collect();
    println!(
        "regenerated {SDK_DIR} from {}: {} operations, {} types, {} files written, {} unchanged, \
         {} removed, {warnings} warnings in {} ms",
        read.join(" + "),
        generation.stats.operations,
        generation.stats.types,
        report.written,
        report.unchanged,
        report.removed,
        started.elapsed().as_millis(),
    );
}

/// Fails if the document is not the one recorded in `spec/README.md`, or if regenerating would
/// change any file. Writes nothing (except copying the shared document into `spec/`).
pub fn check(workspace: &Path, spec_flag: Option<&Path>) -> Result<(), Failure> {
    let generated = generate_documents(workspace, spec_flag, Names::Locked)?;
    let shas: Vec<(&str, &str)> = generated
        .documents
        .iter()
        .map(|(resolved, sha)| (&*resolved.document.name, sha.as_str()))
        .collect();
    check_recorded_sha(workspace, &shas, || {
        changes(&generated).map(|report| report.summary())
    })?;
    let files = generated.generation.files.len()
        + generated
            .generation
            .crates
            .values()
            .map(BTreeMap::len)
            .sum::<usize>()
        + generated.generation.testkit_files.len()
        + generated.workspace_files.len();
    let diffs = diffs(workspace, &generated)?;
    if diffs.is_empty() {
        println!("generated code is up to date ({files} files)");
        return Ok(());
    }
    let mut message = String::from("generated code is stale; run cargo xtask regenerate:");
    for diff in &diffs {
        message.push_str(&format!("\n  {diff}"));
    }
    Err(Failure::failed(message))
}

/// Checked before the files, because a different document explains every file difference at
/// once; the failure says what the new documents change for callers (`changes`, the diff-spec
/// summary).
fn check_recorded_sha(
    workspace: &Path,
    shas: &[(&str, &str)],
    changes: impl FnOnce() -> Option<String>,
) -> Result<(), Failure> {
    let recorded = spec::recorded_sha256s(workspace)?;
    let mut changed = Vec::new();
    for (name, sha256) in shas {
        let label = if name.is_empty() {
            String::new()
        } else {
            format!(" {name}")
        };
        match recorded.get(*name) {
            Some(old) if old == sha256 => {}
            Some(old) => changed.push(format!(
                "spec document{label} changed (sha256 {sha256}, committed code generated from {old})"
            )),
            None => {
                return Err(Failure::failed(format!(
                    "{README} records no sha256 for the document{label} (missing or not \
                     generated): run cargo xtask regenerate"
                )))
            }
        }
    }
    if changed.is_empty() && recorded.len() == shas.len() {
        return Ok(());
    }
    if changed.is_empty() {
        changed.push(format!(
            "the documents differ from those {README} records ({} recorded, {} read)",
            recorded.len(),
            shas.len()
        ));
    }
    Err(Failure::failed(format!(
        "{}\nwhat callers will notice: {}\nrun cargo xtask regenerate (it records the changes in {})",
        changed.join("\n"),
        changes().unwrap_or_else(|| format!("unknown ({} is missing)", diff_spec::SURFACE)),
        diff_spec::CHANGELOG
    )))
}

/// Finds and reads the documents, then generates every file in memory (for `bench`).
pub(crate) fn generate_document(
    workspace: &Path,
    spec_flag: Option<&Path>,
) -> Result<Generated, Failure> {
    generate_documents(workspace, spec_flag, Names::Locked)
}

impl Generated {
    /// Every generated file's text: the SDK's, the testkit's and the workspace files.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &String> + Clone {
        self.generation
            .files
            .values()
            .chain(self.generation.testkit_files.values())
            .chain(self.workspace_files.values())
    }
}

/// The documents `--spec` (or the environment, or the settings) names, read.
pub(crate) struct Texts {
    pub(crate) documents: Vec<(spec::Resolved, String)>,
    pub(crate) texts: Vec<String>,
}

impl Texts {
    pub(crate) fn read(
        workspace: &Path,
        spec_flag: Option<&Path>,
        settings: &Settings,
    ) -> Result<Texts, Failure> {
        Self::read_resolved(spec::resolve(spec_flag, workspace, settings)?)
    }

    /// Reads documents already found.
    pub(crate) fn read_resolved(resolved: Vec<spec::Resolved>) -> Result<Texts, Failure> {
        let mut documents = Vec::new();
        let mut texts = Vec::new();
        for resolved in resolved {
            let bytes = spec::read(&resolved.path)?;
            let sha = spec::sha256_hex(&bytes);
            texts.push(spec::utf8(&resolved.path, bytes)?);
            documents.push((resolved, sha));
        }
        Ok(Texts { documents, texts })
    }

    /// The generator's inputs: each text by its document's name.
    pub(crate) fn inputs(&self) -> Vec<codegen::Input<'_>> {
        self.documents
            .iter()
            .zip(&self.texts)
            .map(|((resolved, _), text)| codegen::Input {
                name: &resolved.document.name,
                text,
            })
            .collect()
    }
}

fn generate_documents(
    workspace: &Path,
    spec_flag: Option<&Path>,
    names: Names,
) -> Result<Generated, Failure> {
    let settings = read_settings(workspace)?;
    let read = Texts::read(workspace, spec_flag, &settings)?;
    let context = name_context(workspace, names)?;
    let generation = run_generator(&read, &settings, &context)?;
    // The canonical names, not those of whichever copies were used: a document is identified
    // by its sha256, and `check` must not fail because `--spec` named a copy differently.
    let rows: Vec<readme::Row<'_>> = read
        .documents
        .iter()
        .zip(&generation.sources)
        .map(|((resolved, _), (_, source))| readme::Row {
            document: &resolved.document,
            source,
        })
        .collect();
    let mut workspace_files = BTreeMap::from([(README.to_owned(), readme::render(&rows))]);
    // The manifests carry one feature per operation group, so they are rendered too.
    let template_path = workspace.join(manifest::TEMPLATE);
    if template_path.is_file() {
        let manifests =
            manifest::render_all(workspace, &generation.features, generation.layout.as_ref())?;
        workspace_files.extend(manifests);
    }
    workspace_files.insert(NAME_LOCK.to_owned(), generation.lock.to_text());
    workspace_files.insert(diff_spec::SURFACE.to_owned(), generation.surface.to_text());
    Ok(Generated {
        documents: read.documents,
        generation,
        workspace_files,
        lock_before: context.lock,
        surface_before: diff_spec::recorded_surface(workspace)?,
    })
}

/// The committed lock (none yet: every name is new) and the SDK's version.
pub(crate) fn name_context(workspace: &Path, names: Names) -> Result<NameContext, Failure> {
    let path = workspace.join(NAME_LOCK);
    let lock = match spec::read_optional(&path)? {
        Some(text) => NameLock::from_text(&text).map_err(|e| not_read(&path, e))?,
        None => NameLock::default(),
    };
    let template = workspace.join(manifest::TEMPLATE);
    let crate_version = std::fs::read_to_string(&template)
        .ok()
        .and_then(|text| manifest::package_version(&text))
        .unwrap_or_else(|| "0.0.0".to_owned());
    Ok(NameContext {
        lock,
        rederive: names == Names::Rederive,
        rebalance_shards: names == Names::RebalanceShards,
        crate_version,
    })
}

/// The directory (and package) of the SDK's hand-written runtime, from the workspace root: the
/// split's core crate, or the SDK crate itself when the code is one crate.
pub(crate) fn runtime_dir(settings: &Settings) -> &str {
    settings
        .split
        .as_ref()
        .map_or(SDK_DIR, |split| split.core.as_str())
}

/// The generator's settings for this SDK, from its configuration file.
pub(crate) fn read_settings(workspace: &Path) -> Result<Settings, Failure> {
    let path = workspace.join(SDK_DIR).join(SETTINGS_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure::environment(format!("reading {}: {e}", path.display())))?;
    Settings::from_yaml(&text).map_err(|e| not_read(&path, e))
}

/// A project file (settings, lock) that does not read: where in it, and why. Not worded as
/// an OpenAPI document's error, which `LoadError`'s own text is.
fn not_read(path: &Path, error: codegen::LoadError) -> Failure {
    let at = if error.pointer.is_empty() {
        "/"
    } else {
        &error.pointer
    };
    Failure::failed(format!(
        "error in {} at {at}: {}",
        path.display(),
        error.message
    ))
}

/// Calls the generator, turning a load error, and a panic (a generator bug, reported by the
/// panic hook), into a failed run rather than a crash.
fn run_generator(
    read: &Texts,
    settings: &Settings,
    names: &NameContext,
) -> Result<Generation, Failure> {
    let inputs = read.inputs();
    match panic::catch_unwind(|| codegen::generate_documents(&inputs, settings, names)) {
        Ok(Ok(generation)) => Ok(generation),
        Ok(Err(error)) => Err(Failure::failed(format!("error: {}", located(read, error)))),
        Err(_) => Err(Failure::failed(
            "error: the code generator panicked (a bug in codegen)",
        )),
    }
}

/// A load error, with the file of the document it is in (`v1#/paths/…` names the document).
pub(crate) fn located(read: &Texts, error: codegen::LoadError) -> String {
    // One document's pointers are not qualified; several documents' start with `NAME#`.
    let file = match read.documents.as_slice() {
        [(only, _)] => Some(only),
        several => several
            .iter()
            .map(|(resolved, _)| resolved)
            .find(|resolved| {
                error
                    .pointer
                    .starts_with(&format!("{}#", resolved.document.name))
            }),
    };
    match file {
        Some(resolved) => format!("{}: {error}", resolved.path.display()),
        None => error.to_string(),
    }
}

fn write(
    root: &Path,
    files: &BTreeMap<String, String>,
    owned: &[&str],
) -> Result<WriteReport, Failure> {
    emit::write_files(root, files, owned)
        .map_err(|e| Failure::environment(format!("writing under {}: {e}", root.display())))
}

/// One crate's generated files: its directory (from the workspace root), the files keyed
/// from there, and the directory in it that belongs to the generator.
struct Tree<'a> {
    dir: &'a str,
    files: &'a BTreeMap<String, String>,
    owned: &'a str,
}

/// The SDK's, the tests crate's and, when the code is split, the core's and each shard's.
/// A shard is generated whole but for its manifest, which is a workspace file.
fn trees(generated: &Generated) -> Vec<Tree<'_>> {
    let generation = &generated.generation;
    let mut trees = vec![
        Tree {
            dir: SDK_DIR,
            files: &generation.files,
            owned: OWNED_DIR,
        },
        Tree {
            dir: TESTS_DIR,
            files: &generation.testkit_files,
            owned: OWNED_DIR,
        },
    ];
    let core = generation
        .layout
        .as_ref()
        .map(|layout| layout.core.as_str());
    for (package, files) in &generation.crates {
        let owned = if Some(package.as_str()) == core {
            OWNED_DIR
        } else {
            SHARD_OWNED_DIR
        };
        trees.push(Tree {
            dir: package,
            files,
            owned,
        });
    }
    trees
}

/// Shard directories the layout no longer has (`{shard_prefix}-N` beyond the count) whose
/// manifest the generator wrote: regenerate removes them. A directory of that name with a
/// hand-written manifest is someone's, and left alone.
fn stale_shards(workspace: &Path, generation: &Generation) -> Vec<String> {
    let Some(layout) = &generation.layout else {
        return Vec::new();
    };
    let numbered = |name: &str| {
        name.strip_prefix(layout.shard_prefix.as_str())
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut stale: Vec<String> = std::fs::read_dir(workspace)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| numbered(name) && !layout.shards.iter().any(|s| &s.package == name))
        .filter(|name| {
            std::fs::read_to_string(workspace.join(name).join("Cargo.toml"))
                .is_ok_and(|text| text.starts_with(manifest::GENERATED_HEADER))
        })
        .collect();
    stale.sort();
    stale
}

/// Everything `regenerate` would change, with paths relative to the workspace root.
fn diffs(workspace: &Path, generated: &Generated) -> Result<Vec<FileDiff>, Failure> {
    let to_failure = |e| Failure::environment(format!("comparing generated files: {e}"));
    let mut all: Vec<FileDiff> = Vec::new();
    for tree in trees(generated) {
        let diffs = emit::diff_files(&workspace.join(tree.dir), tree.files, &[tree.owned]);
        all.extend(
            diffs
                .map_err(to_failure)?
                .into_iter()
                .map(|d| under(tree.dir, d)),
        );
    }
    let readme = emit::diff_files(workspace, &generated.workspace_files, &[]);
    all.extend(readme.map_err(to_failure)?);
    let stale = stale_shards(workspace, &generated.generation);
    all.extend(
        stale
            .into_iter()
            .map(|dir| FileDiff::Stale(format!("{dir}/"))),
    );
    all.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(all)
}

/// Prefixes a difference's path with `dir/`.
fn under(dir: &str, diff: FileDiff) -> FileDiff {
    match diff {
        FileDiff::Missing(path) => FileDiff::Missing(format!("{dir}/{path}")),
        FileDiff::Changed(path) => FileDiff::Changed(format!("{dir}/{path}")),
        FileDiff::Stale(path) => FileDiff::Stale(format!("{dir}/{path}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;
    use codegen::SourceInfo;

    fn generated(files: &[(&str, &str)], testkit: &[(&str, &str)]) -> Generated {
        let source = SourceInfo {
            title: "t".into(),
            version: "1".into(),
            sha256: spec::sha256_hex(b"doc"),
        };
        let document = spec::Document {
            name: String::new(),
            file: "jumpcloud-v2.yaml".into(),
            url: None,
        };
        let readme = readme::render(&[readme::Row {
            document: &document,
            source: &source,
        }]);
        let resolved = spec::Resolved {
            document,
            path: std::path::PathBuf::from("spec/jumpcloud-v2.yaml"),
        };
        Generated {
            documents: vec![(resolved, source.sha256.clone())],
            workspace_files: BTreeMap::from([(README.to_owned(), readme)]),
            lock_before: NameLock::default(),
            surface_before: None,
            generation: Generation {
                files: owned(files),
                testkit_files: owned(testkit),
                source,
                ..Generation::default()
            },
        }
    }

    fn owned(files: &[(&str, &str)]) -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn diffs_cover_the_sdk_the_testkit_and_the_readme() {
        let tmp = TempDir::new("gen-diffs");
        let wanted = generated(
            &[("src/generated/mod.rs", "mod x;"), ("OPERATIONS.md", "ops")],
            &[("src/generated/mod.rs", "mod y;")],
        );
        let shown: Vec<String> = diffs(&tmp.0, &wanted)
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            shown,
            [
                "missing: jumpcloud-sdk/OPERATIONS.md",
                "missing: jumpcloud-sdk/src/generated/mod.rs",
                "missing: spec/README.md",
                "missing: tests/src/generated/mod.rs",
            ]
        );
        write(&tmp.path(SDK_DIR), &wanted.generation.files, &[OWNED_DIR]).unwrap();
        write(
            &tmp.path(TESTS_DIR),
            &wanted.generation.testkit_files,
            &[OWNED_DIR],
        )
        .unwrap();
        write(&tmp.0, &wanted.workspace_files, &[]).unwrap();
        assert_eq!(diffs(&tmp.0, &wanted).unwrap(), []);
    }

    #[test]
    fn a_load_error_names_the_file_of_its_document() {
        let texts = |names: &[&str]| Texts {
            documents: names
                .iter()
                .map(|name| {
                    let document = spec::Document {
                        name: (*name).to_owned(),
                        file: format!("{name}.yaml"),
                        url: None,
                    };
                    let path = std::path::PathBuf::from(format!("spec/{name}.yaml"));
                    (spec::Resolved { document, path }, String::new())
                })
                .collect(),
            texts: Vec::new(),
        };
        let error = |pointer: &str| codegen::LoadError {
            pointer: pointer.to_owned(),
            message: "bad".to_owned(),
        };
        // One document's pointers are not qualified, even when it has a name.
        let one = located(&texts(&["v2"]), error("/paths"));
        assert!(one.starts_with("spec/v2.yaml: "), "{one}");
        let several = located(&texts(&["v2", "v1"]), error("v1#/paths"));
        assert!(several.starts_with("spec/v1.yaml: "), "{several}");
    }

    #[test]
    fn recorded_sha_must_match() {
        let tmp = TempDir::new("gen-sha");
        let wanted = generated(&[], &[]);
        let sha = wanted.documents[0].1.clone();
        let err = check_recorded_sha(&tmp.0, &[("", &sha)], || None).unwrap_err();
        assert_eq!(err.code, 1);
        assert!(err.message.contains("records no sha256"), "{err}");
        write(&tmp.0, &wanted.workspace_files, &[]).unwrap();
        assert_eq!(check_recorded_sha(&tmp.0, &[("", &sha)], || None), Ok(()));
        let other = spec::sha256_hex(b"other");
        let err = check_recorded_sha(&tmp.0, &[("", &other)], || Some("1 breaking".into()));
        let err = err.unwrap_err();
        assert!(
            err.message.contains("what callers will notice: 1 breaking"),
            "{err}"
        );
        assert!(
            err.message.starts_with("spec document changed (sha256 "),
            "{err}"
        );
        assert!(err.message.contains(&sha), "{err}");
    }

    const THINGS: &str = "openapi: 3.0.3
info: {title: Things, version: '1'}
paths:
  /things/{id}:
    get:
      operationId: things_get
      tags: [Things]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
";

    #[test]
    fn a_bad_settings_file_names_itself_and_the_key() {
        let tmp = TempDir::new("gen-settings");
        std::fs::create_dir_all(tmp.path(SDK_DIR)).unwrap();
        std::fs::write(
            tmp.path(SDK_DIR).join(SETTINGS_FILE),
            "naming: {colour: red}\n",
        )
        .unwrap();
        let failure = read_settings(&tmp.0).unwrap_err();
        assert!(
            failure
                .message
                .contains("codegen.yaml at /naming/colour: naming: unknown field `colour`"),
            "{failure}"
        );
        assert!(!failure.message.contains("OpenAPI"), "{failure}");
    }

    /// The CI diff check: once the recorded document changes, `check` fails with what callers
    /// will notice, and `regenerate` records it in the changelog.
    #[test]
    fn a_changed_document_fails_check_with_the_diff_summary() {
        let tmp = TempDir::new("gen-spec-change");
        std::fs::create_dir_all(tmp.path(SDK_DIR)).unwrap();
        std::fs::write(tmp.path(SDK_DIR).join(SETTINGS_FILE), "{}\n").unwrap();
        let spec = tmp.path("things.yaml");
        std::fs::write(&spec, THINGS).unwrap();
        regenerate(&tmp.0, Some(&spec), Names::Locked, Instant::now()).unwrap();
        assert_eq!(check(&tmp.0, Some(&spec)), Ok(()));
        assert!(
            !tmp.path(diff_spec::CHANGELOG).exists(),
            "a first generation changes nothing"
        );

        let changed = THINGS
            .replace(
                "parameters: [{name: id, in: path, required: true, schema: {type: string}}]",
                "parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: view, in: query, required: true, schema: {type: string}}",
            )
            .replace("{name: {type: string}}", "{name: {type: string}, size: {type: integer}}");
        std::fs::write(&spec, changed).unwrap();
        let failure = check(&tmp.0, Some(&spec)).unwrap_err();
        assert_eq!(failure.code, 1);
        assert!(
            failure.message.contains(
                "what callers will notice: 1 breaking, 1 compatible changes \
                 (1 parameters added, 1 fields added)"
            ),
            "{failure}"
        );
        assert!(
            failure.message.contains("run cargo xtask regenerate"),
            "{failure}"
        );

        regenerate(&tmp.0, Some(&spec), Names::Locked, Instant::now()).unwrap();
        assert_eq!(check(&tmp.0, Some(&spec)), Ok(()));
        let changelog = std::fs::read_to_string(tmp.path(diff_spec::CHANGELOG)).unwrap();
        assert!(
            changelog.contains("## Unreleased\n\n### Spec update: sha256 `"),
            "{changelog}"
        );
        assert!(
            changelog.contains("| `things.get` | required parameter `view: String` added |"),
            "{changelog}"
        );
    }

    /// A numbered shard directory the layout lacks is stale when the generator wrote its
    /// manifest; one with a hand-written manifest, or another name, is not.
    #[test]
    fn only_generated_shards_beyond_the_layout_are_stale() {
        let tmp = TempDir::new("stale-shards");
        let generated = format!("{} from a template\n", manifest::GENERATED_HEADER);
        for (dir, manifest) in [
            ("s-1", generated.as_str()),
            ("s-2", generated.as_str()),
            ("s-3", "[package]\nname = \"mine\"\n"),
            ("s-x", generated.as_str()),
        ] {
            std::fs::create_dir_all(tmp.path(dir)).unwrap();
            std::fs::write(tmp.path(&format!("{dir}/Cargo.toml")), manifest).unwrap();
        }
        let generation = Generation {
            layout: Some(codegen::ir::Layout {
                core: "core".into(),
                shard_prefix: "s".into(),
                shards: vec![codegen::ir::Shard {
                    package: "s-1".into(),
                    groups: Vec::new(),
                }],
                ..codegen::ir::Layout::default()
            }),
            ..Generation::default()
        };
        assert_eq!(stale_shards(&tmp.0, &generation), ["s-2"]);
        assert!(stale_shards(&tmp.0, &Generation::default()).is_empty());
    }
}
