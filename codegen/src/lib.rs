//! OpenAPI 3.0 and 3.1 to Rust code generator.
//!
//! It knows no API in particular: what is specific to one (its paging conventions, how
//! leniently it reads, the SDK crate's name) comes from [`Settings`].
//!
//! The pipeline runs like a compiler: [`load`] parses the document, [`lower`] resolves and
//! validates it into the [`ir`], [`render`] turns the IR into Rust source, and [`emit`] writes
//! the files. Only [`emit`] touches the file system.

pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lock;
pub mod lower;
pub mod names;
pub mod render;
pub mod surface;

pub use diagnostics::{Diagnostic, Severity};

use std::collections::BTreeMap;

/// What the caller can tune about a generation run, read from a project's configuration file.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Tags that name a concept spanning many resources (an association graph, say) rather
    /// than a resource: an operation is grouped under one of these only when it has no other
    /// tag.
    #[serde(default)]
    pub cross_cutting_tags: Vec<String>,
    /// Put each operation group behind a cargo feature named like its module, and each model
    /// behind the features of the groups that use it.
    #[serde(default)]
    pub group_features: bool,
    /// How the API pages its lists; without it, no operation gets `.stream()`.
    #[serde(default)]
    pub paging: Paging,
    /// Read `null` in (or the absence of) a field the document calls required and not nullable
    /// as the type's default instead of failing the response: for APIs whose servers break
    /// their documents that way.
    #[serde(default)]
    pub null_required_reads_default: bool,
    /// Method names the runtime gives every request builder (its `Operation` trait and
    /// `operation!` macro), so no parameter takes one. The builder's own names are in
    /// `names::BUILDER_OWN_NAMES`.
    #[serde(default)]
    pub reserved_builder_names: Vec<String>,
    /// Render the tests crate's testkit too (`Generation::testkit_files`).
    #[serde(default)]
    pub testkit: Option<TestkitSettings>,
    /// API-specific words for the naming rules in `names`.
    #[serde(default)]
    pub naming: NamingSettings,
    /// The documents one SDK is generated from, in the order their names are claimed (the
    /// first's win a clash). Without any, a generation has one unnamed document.
    #[serde(default)]
    pub documents: Vec<DocumentSettings>,
    /// The server extension naming a server's region (`x-acme-region: eu`); the servers of
    /// every document that carry it make the SDK's `Region`s.
    #[serde(default)]
    pub region_extension: Option<String>,
    /// Component schemas (by key, in any document) generated even when no operation reaches
    /// them; `"*"` keeps every one. Without them, only what an operation reaches is generated.
    #[serde(default)]
    pub keep_schemas: Vec<String>,
    /// Carry the documents' descriptions into the generated docs. Off, docs carry the
    /// documents' facts only (names, paths, types, limits, one-line summaries): for an SDK
    /// whose generated code is published, a document's prose is its authors' text.
    #[serde(default)]
    pub descriptions: bool,
    /// Extensions that mark a schema, property or parameter deprecated besides
    /// `deprecated: true` (`x-deprecated`).
    #[serde(default)]
    pub deprecated_extensions: Vec<String>,
    /// Spread the generated code over crates that cargo builds in parallel (see
    /// [`SplitSettings`]); without it, everything is generated into the SDK crate.
    #[serde(default)]
    pub split: Option<SplitSettings>,
}

/// How the generated code is spread over crates. The SDK crate the caller depends on
/// re-exports them all, so paths under it do not depend on where an item lives:
///
/// * the **core** crate holds the hand-written runtime and the generated code every shard
///   needs: services, regions, error bodies, and the models that several groups (or none)
///   reach, with every model those reach;
/// * each **shard** crate holds some operation groups with the models only they reach. Groups
///   are dealt to shards by size, so the shards build side by side in about equal time, and
///   the name lock keeps each where it was dealt (a changed count deals them afresh);
/// * the SDK crate holds the client's group accessors and the re-exports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSettings {
    /// The core crate's package name; its directory is the SDK crate's sibling of that name.
    pub core: String,
    /// The shards' package names: this with `-1`, `-2`, … appended (and so their directories).
    pub shard_prefix: String,
    /// How many shards (at least one: `0` is refused when the settings are read).
    pub shards: std::num::NonZeroUsize,
}

impl SplitSettings {
    /// The shards' package names, which are their directories too: `{shard_prefix}-1`, …
    pub fn shard_packages(&self) -> Vec<String> {
        (1..=self.shards.get())
            .map(|k| format!("{}-{k}", self.shard_prefix))
            .collect()
    }
}

/// One document of a multi-document SDK.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    /// Its name in the SDK (`v1`: `Service::V1`), in the lock and in messages (`v1#/paths/…`).
    pub name: String,
    /// The path every one of its server URLs ends in (`/api/v2`); a server elsewhere is
    /// reported.
    #[serde(default)]
    pub base_path: Option<String>,
    /// Groups all its operations under this tag, whatever their own tags (a small API on a
    /// host of its own, say).
    #[serde(default)]
    pub group: Option<String>,
    /// For the project's tooling, not read by codegen: the document's file name.
    #[serde(default)]
    pub file: Option<String>,
    /// For the project's tooling, not read by codegen: where the document is published.
    #[serde(default)]
    pub url: Option<String>,
    /// Each operation's page on the API's reference site: a URL with `{tag}` (the operation's
    /// first tag, spaces as `-`) and `{operationId}` in it.
    #[serde(default)]
    pub reference: Option<String>,
}

/// A document's text and the name it has in [`Settings::documents`].
#[derive(Debug, Clone, Copy)]
pub struct Input<'t> {
    pub name: &'t str,
    pub text: &'t str,
}

/// Words the naming rules treat specially for one API.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamingSettings {
    /// Leading operationId words that carry no meaning for a caller (`graph` in
    /// `graph_userGroupMembersList`), dropped from method names.
    #[serde(default)]
    pub drop_prefixes: Vec<String>,
    /// A maintainer's renames: endpoint (`GET /usergroups/{id}`) to its call (`method` or
    /// `group.method`). The name it had stays as a deprecated alias for one release.
    #[serde(default)]
    pub renames: BTreeMap<String, String>,
}

/// Paging conventions: which query parameters page a list operation.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paging {
    /// Offset paging: a page size and a start position.
    #[serde(default)]
    pub offset: Option<OffsetPaging>,
    /// Token paging: a text parameter the response hands the next value of.
    #[serde(default)]
    pub token: Option<TokenPaging>,
}

/// The wire names of offset paging's two query parameters (integers or strings).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OffsetPaging {
    pub limit: String,
    pub skip: String,
}

/// A string query parameter whose lowercase name contains `param_contains` pages by token
/// when the response has a string field of the same name, or of the name with
/// `next_prefix` in front (`pageToken` → `nextPageToken`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenPaging {
    pub param_contains: String,
    pub next_prefix: String,
}

/// How the generated testkit reaches the SDK and its own hand-written half.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestkitSettings {
    /// The SDK crate's name as Rust code spells it (`my_sdk`).
    pub sdk_crate: String,
    /// The module holding the testkit's hand-written half, as the tests crate names it
    /// (`crate::testkit`).
    pub support: String,
}

impl Settings {
    /// Reads settings from YAML (or JSON) text.
    pub fn from_yaml(text: &str) -> Result<Self, LoadError> {
        let deserializer = serde_yaml::Deserializer::from_str(text);
        serde_path_to_error::deserialize(deserializer).map_err(|error| LoadError {
            pointer: load::pointer_of(error.path()),
            message: error.into_inner().to_string(),
        })
    }
}

/// Counts reported after a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub operations: usize,
    pub types: usize,
}

/// The result of a generation: files keyed by their path relative to the SDK crate root
/// (for example `src/generated/mod.rs`, `OPERATIONS.md`), plus what the generator noticed.
#[derive(Debug, Clone, Default)]
pub struct Generation {
    pub files: BTreeMap<String, String>,
    /// Files for the tests crate (the testkit), keyed by path relative to its crate root.
    pub testkit_files: BTreeMap<String, String>,
    /// When the code is split (`Settings::split`), the core's files and each shard's, by
    /// package name (each the SDK crate's sibling directory), keyed by path relative to that
    /// crate's root: the core's all in `src/generated`, a shard's all in `src`.
    pub crates: BTreeMap<String, BTreeMap<String, String>>,
    /// Which crate each group and type went to, when the code is split.
    pub layout: Option<ir::Layout>,
    pub diagnostics: Vec<Diagnostic>,
    pub stats: Stats,
    /// The cargo features the SDK must declare, one per operation group (when
    /// `Settings::group_features` is on).
    pub features: Vec<String>,
    /// Title, version and sha256 of the first input document.
    pub source: SourceInfo,
    /// Name, title, version and sha256 of each input document, in settings order.
    pub sources: Vec<(String, SourceInfo)>,
    /// The Rust names given, for the next generation to keep.
    pub lock: lock::NameLock,
    /// What the generated SDK exposes, for comparing with another generation.
    pub surface: surface::Surface,
}

#[derive(Debug, Clone, Default)]
pub struct SourceInfo {
    pub title: String,
    pub version: String,
    pub sha256: String,
}

/// How much stack the pipeline runs with. openapiv3 reads schemas through untagged enums, which
/// buffer and recurse; a document nested to the YAML parser's limit (128 levels) needs far more
/// than a test or worker thread's 2 MiB in a debug build. Only the pages used are committed.
const PIPELINE_STACK: usize = 256 << 20;

/// Generates the SDK's code from a document's text (YAML or JSON). Runs on a thread of its own
/// with a stack sized for the deepest document the parser accepts, whatever thread calls it.
pub fn generate(document: &str, settings: &Settings) -> Result<Generation, LoadError> {
    generate_with(document, settings, &lock::NameContext::default())
}

/// [`generate`], keeping the names a lock carries (see [`lock`]). The text is the only
/// document: the first of [`Settings::documents`], when there are any.
pub fn generate_with(
    document: &str,
    settings: &Settings,
    names: &lock::NameContext,
) -> Result<Generation, LoadError> {
    generate_documents(&[only_input(document, settings)], settings, names)
}

/// Generates one SDK from several documents, each named as in [`Settings::documents`].
pub fn generate_documents(
    inputs: &[Input<'_>],
    settings: &Settings,
    names: &lock::NameContext,
) -> Result<Generation, LoadError> {
    on_pipeline_stack(|| generate_here(inputs, settings, names))
}

/// Lowers a document into the IR only (for comparing what two documents expose).
pub fn lower_with(
    document: &str,
    settings: &Settings,
    names: &lock::NameContext,
) -> Result<(ir::Api, Vec<Diagnostic>), LoadError> {
    lower_documents(&[only_input(document, settings)], settings, names)
}

/// Lowers several documents into one IR.
pub fn lower_documents(
    inputs: &[Input<'_>],
    settings: &Settings,
    names: &lock::NameContext,
) -> Result<(ir::Api, Vec<Diagnostic>), LoadError> {
    on_pipeline_stack(|| lower_here(inputs, settings, names))
}

fn only_input<'t>(text: &'t str, settings: &'t Settings) -> Input<'t> {
    let name = settings.documents.first().map_or("", |d| d.name.as_str());
    Input { name, text }
}

fn lower_here(
    inputs: &[Input<'_>],
    settings: &Settings,
    names: &lock::NameContext,
) -> Result<(ir::Api, Vec<Diagnostic>), LoadError> {
    let mut diagnostics = Vec::new();
    let mut loaded = Vec::with_capacity(inputs.len());
    for (input, document) in inputs.iter().zip(load_all(inputs)) {
        // Pointers name their document only when there are several.
        let prefix = if inputs.len() > 1 { input.name } else { "" };
        let document = document.map_err(|e| e.in_document(prefix))?;
        let found = document.diagnostics.iter().cloned();
        diagnostics.extend(found.map(|d| d.in_document(prefix)));
        loaded.push((input.name, document));
    }
    let sources: Vec<lower::Source<'_>> = loaded
        .iter()
        .map(|(name, loaded)| lower::Source {
            name,
            document: &loaded.document,
            sha256: &loaded.sha256,
        })
        .collect();
    let api = lower::lower_documents(&sources, settings, names, &mut diagnostics)?;
    diagnostics.sort();
    diagnostics.dedup();
    Ok((api, diagnostics))
}

/// Loads each document, the later ones on threads of their own: parsing is a fifth of
/// generation time, and documents do not depend on each other. Results come in input order.
fn load_all(inputs: &[Input<'_>]) -> Vec<Result<load::Loaded, LoadError>> {
    let Some((first, rest)) = inputs.split_first() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let others: Vec<_> = rest
            .iter()
            .map(|input| {
                let text = input.text;
                start_on_pipeline_stack(scope, "codegen-load", move || load::load(text))
            })
            .collect();
        // The first loads on this thread meanwhile.
        std::iter::once(load::load(first.text))
            .chain(others.into_iter().map(|finish| finish()))
            .collect()
    })
}

fn on_pipeline_stack<T: Send>(run: impl FnOnce() -> T + Send + Copy) -> T {
    std::thread::scope(|scope| start_on_pipeline_stack(scope, "codegen", run)())
}

/// Starts `run` on a thread of `scope` with the pipeline's stack; the function returned waits
/// for its result (a panic goes on), or runs it there when no thread could be had.
fn start_on_pipeline_stack<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    name: &str,
    run: impl FnOnce() -> T + Send + Copy + 'scope,
) -> impl FnOnce() -> T + 'scope {
    let thread = std::thread::Builder::new()
        .name(name.into())
        .stack_size(PIPELINE_STACK)
        .spawn_scoped(scope, run);
    move || match thread {
        Ok(thread) => thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        Err(_) => run(),
    }
}

fn generate_here(
    inputs: &[Input<'_>],
    settings: &Settings,
    names: &lock::NameContext,
) -> Result<Generation, LoadError> {
    let (api, diagnostics) = lower_here(inputs, settings, names)?;
    let rendered = render::render_all(&api, api.testkit.as_ref());
    let features = render::group_features(&api);
    Ok(Generation {
        files: rendered.sdk,
        features,
        testkit_files: rendered.testkit,
        crates: rendered.crates,
        layout: api.layout.clone(),
        diagnostics,
        stats: Stats {
            operations: api.operations.len(),
            types: api.types.len(),
        },
        source: SourceInfo {
            title: api.title.clone(),
            version: api.version.clone(),
            sha256: api.sha256.clone(),
        },
        sources: api
            .services
            .iter()
            .map(|service| {
                let info = SourceInfo {
                    title: service.title.clone(),
                    version: service.version.clone(),
                    sha256: service.sha256.clone(),
                };
                (service.name.clone(), info)
            })
            .collect(),
        lock: api.lock.clone(),
        surface: surface::Surface::of(&api),
    })
}

/// A document that could not be read; `pointer` is the JSON pointer of the offending node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid OpenAPI document at {}: {}",
            if self.pointer.is_empty() {
                "/"
            } else {
                &self.pointer
            },
            self.message
        )
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// The error located in the named document of several (`v1#/paths/…`); unchanged for an
    /// unnamed one.
    pub fn in_document(mut self, document: &str) -> Self {
        self.pointer = diagnostics::qualify(document, &self.pointer);
        self
    }
}
