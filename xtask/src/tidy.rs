//! Tests that guard the shape of the tree, the way rust-analyzer's `tidy` does: each stage reads
//! only what it may, the runtime sits below the generated code and has no import cycle, the
//! generator names no API, and no builder method the SDK would compile itself takes a builder by
//! value. They read source files as text; they run with `cargo test`.
#![cfg(test)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    crate::spec::workspace_root()
}

/// Every `.rs` file below `dir`, sorted, with its text.
fn rust_files(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
                files.push((path, text));
            }
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no Rust files under {}", dir.display());
    files
}

/// A file's text up to its first `#[cfg(test)]`.
fn before_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    }
}

/// The code of a file without its comments and without what follows its first
/// `#[cfg(test)]` (test modules sit at the end of a file here).
fn code_of(text: &str) -> String {
    before_tests(text)
        .lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn relative(path: &Path) -> String {
    path.strip_prefix(workspace())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// The files of `files` whose code contains one of `needles`, with the needle.
fn offenders(files: &[(PathBuf, String)], needles: &[&str], fold_case: bool) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files {
        let code = code_of(text);
        let code = if fold_case {
            code.to_ascii_lowercase()
        } else {
            code
        };
        for needle in needles {
            if code.contains(needle) {
                found.push(format!("{} names {needle}", relative(path)));
            }
        }
    }
    found
}

#[test]
fn renderers_read_only_the_ir() {
    let render = rust_files(&workspace().join("codegen/src/render"));
    let found = offenders(&render, &["openapiv3"], false);
    assert!(
        found.is_empty(),
        "renderers must read only crate::ir: {found:#?}"
    );
}

#[test]
fn the_generator_names_no_api() {
    // Comments count here too: what is specific to one API lives in its settings file.
    let files = rust_files(&workspace().join("codegen/src"));
    let mut found = Vec::new();
    for (path, text) in &files {
        if before_tests(text)
            .to_ascii_lowercase()
            .contains("jumpcloud")
        {
            found.push(relative(path));
        }
    }
    assert!(
        found.is_empty(),
        "codegen/src (outside tests) names the SDK or its API; move the fact to \
         jumpcloud-sdk/codegen.yaml: {found:#?}"
    );
}

/// The SDK's settings (`jumpcloud-sdk/codegen.yaml`).
fn settings() -> codegen::Settings {
    crate::generate::read_settings(&workspace()).expect("codegen.yaml reads")
}

/// The sources of the crate with the SDK's hand-written runtime.
fn runtime_src() -> PathBuf {
    workspace()
        .join(crate::generate::runtime_dir(&settings()))
        .join("src")
}

/// The SDK's hand-written modules below the generated code: everything but `lib.rs` (which
/// wires them to the generated code) and `error.rs` (the public error type, whose API errors
/// hold the generated error-body enum).
fn runtime_files() -> Vec<(PathBuf, String)> {
    let src = runtime_src();
    rust_files(&src)
        .into_iter()
        .filter(|(path, _)| {
            let rel = path.strip_prefix(&src).expect("below src");
            !rel.starts_with("generated")
                && rel != Path::new("lib.rs")
                && rel != Path::new("error.rs")
        })
        .collect()
}

#[test]
fn the_runtime_does_not_depend_on_generated_code() {
    let files = runtime_files();
    assert!(
        files.len() >= 10,
        "only {} runtime files found",
        files.len()
    );
    let found = offenders(
        &files,
        &[
            "crate::generated",
            "ApiErrorBody",
            "crate::models",
            "crate::apis",
        ],
        false,
    );
    assert!(
        found.is_empty(),
        "the runtime must not name generated code: {found:#?}"
    );
}

/// A module's path from its file (`runtime/request.rs` → `runtime::request`).
fn module_of(src: &Path, path: &Path) -> String {
    let rel = path
        .strip_prefix(src)
        .expect("below src")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// Items the crate root re-exports (`pub use error::{ApiError, Error}`) to the module that
/// defines them, so `crate::Error` counts as a use of `error`.
fn root_reexports(lib: &str, modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut reexports = BTreeMap::new();
    for statement in code_of(lib).split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let (path, names) = match rest.split_once("::{") {
            Some((path, names)) => (path.to_owned(), names.trim_end_matches('}').to_owned()),
            None => match rest.rsplit_once("::") {
                Some((path, name)) => (path.to_owned(), name.to_owned()),
                None => continue,
            },
        };
        if !modules.contains(&path) {
            continue;
        }
        for name in names.split(',') {
            let name = name.trim();
            if !name.is_empty() {
                reexports.insert(name.to_owned(), path.clone());
            }
        }
    }
    reexports
}

/// The modules a file's code refers to: `crate::a::b::…` and `super::…` paths, resolved to the
/// longest module they name. Macro bodies' `$crate::` paths are the caller's, not this
/// module's, and are not counted.
fn uses_of(
    module: &str,
    code: &str,
    modules: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> BTreeSet<String> {
    let mut tokens: Vec<String> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '$'))
        .filter(|t| t.contains("::"))
        .map(str::to_owned)
        .collect();
    tokens.extend(grouped_paths(code));
    let mut uses = BTreeSet::new();
    for token in &tokens {
        let mut segments: Vec<&str> = token.split("::").filter(|s| !s.is_empty()).collect();
        let mut base: Vec<String> = match segments.first() {
            Some(&"crate") => {
                segments.remove(0);
                Vec::new()
            }
            Some(&"super") => {
                let mut base: Vec<String> = module.split("::").map(str::to_owned).collect();
                while segments.first() == Some(&"super") {
                    segments.remove(0);
                    base.pop();
                }
                base
            }
            _ => continue,
        };
        // The longest module the path names.
        let mut target = None;
        for segment in &segments {
            base.push((*segment).to_owned());
            let candidate = base.join("::");
            if modules.contains(&candidate) {
                target = Some(candidate);
            } else {
                break;
            }
        }
        if base.is_empty() {
            continue;
        }
        let target = match target {
            Some(target) => target,
            // `crate::Error`: an item the root re-exports, or the root itself.
            None if base.len() == 1 => match reexports.get(&base[0]) {
                Some(module) => module.clone(),
                None => continue,
            },
            None => {
                base.truncate(base.len() - 1);
                let parent = base.join("::");
                if modules.contains(&parent) {
                    parent
                } else {
                    continue;
                }
            }
        };
        if target != module && !target.is_empty() {
            uses.insert(target);
        }
    }
    uses
}

/// The paths of `use crate::{a::B, c}` and `super::{…}` groups, spelled out (`crate::a::B`,
/// `crate::c`), nested groups included.
fn grouped_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("::{") {
        let start = rest[..at]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '$'))
            .map_or(0, |i| i + 1);
        let head = &rest[start..at + 2];
        if head.starts_with("crate::") || head.starts_with("super::") {
            if let Some(inner) = block_after(&rest[at + 2..], "") {
                expand_group(head, &inner[1..inner.len() - 1], &mut paths);
            }
        }
        rest = &rest[at + 3..];
    }
    paths
}

fn expand_group(head: &str, inner: &str, paths: &mut Vec<String>) {
    let mut depth = 0;
    let mut item = String::new();
    let mut items = Vec::new();
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut item));
                continue;
            }
            _ => {}
        }
        item.push(c);
    }
    items.push(item);
    for item in items {
        let item = item.trim();
        let item = item.split(" as ").next().unwrap_or(item).trim();
        if item.is_empty() || item == "self" {
            continue;
        }
        match item.split_once("::{") {
            Some((more, nested)) => {
                let nested = nested.strip_suffix('}').unwrap_or(nested);
                expand_group(&format!("{head}{more}::"), nested, paths);
            }
            None => paths.push(format!("{head}{item}")),
        }
    }
}

/// A cycle in `graph`, if there is one, as the modules along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack[start..].to_vec();
                cycle.push(node.to_owned());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut marks, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

/// The runtime's hand-written module graph (generated code and the crate root left out).
fn sdk_module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = runtime_src();
    let files: Vec<(PathBuf, String)> = rust_files(&src)
        .into_iter()
        .filter(|(path, _)| {
            !path
                .strip_prefix(&src)
                .expect("below src")
                .starts_with("generated")
        })
        .collect();
    let modules: BTreeSet<String> = files
        .iter()
        .map(|(path, _)| module_of(&src, path))
        .collect();
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs is readable");
    let reexports = root_reexports(&lib, &modules);
    files
        .iter()
        .map(|(path, _)| module_of(&src, path))
        .zip(files.iter().map(|(_, text)| code_of(text)))
        .filter(|(module, _)| !module.is_empty())
        .map(|(module, code)| {
            let uses = uses_of(&module, &code, &modules, &reexports);
            (module, uses)
        })
        .collect()
}

#[test]
fn the_runtime_modules_import_one_way() {
    let graph = sdk_module_graph();
    assert!(graph.contains_key("runtime::request"), "{graph:#?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}\n{graph:#?}", cycle.join(" -> "));
    }
    // The transport sits below requests and responses.
    let transport = &graph["runtime::transport"];
    for upward in [
        "runtime::request",
        "runtime::response",
        "runtime::call",
        "runtime::paginate",
    ] {
        assert!(!transport.contains(upward), "transport imports {upward}");
    }
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            graph
                .entry((*from).into())
                .or_default()
                .insert((*to).into());
        }
        graph
    };
    assert_eq!(find_cycle(&graph(&[("a", "b"), ("b", "c")])), None);
    assert_eq!(
        find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")])),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let modules: BTreeSet<String> = ["runtime", "runtime::request", "runtime::transport", "error"]
        .map(String::from)
        .into();
    let reexports = BTreeMap::from([("Error".to_owned(), "error".to_owned())]);
    let uses = uses_of(
        "runtime::request",
        "use super::transport::send; use crate::{error::Error as E, runtime::{request}}; fn f() -> crate::Error { $crate::runtime::x() }",
        &modules,
        &reexports,
    );
    assert_eq!(
        uses,
        BTreeSet::from(["runtime::transport".to_owned(), "error".to_owned()])
    );
}

/// The names `Settings::reserved_builder_names` must hold: the methods the runtime's
/// `Operation` trait and `operation!` macro give every builder.
#[test]
fn reserved_builder_names_match_the_runtime() {
    let settings = settings();
    let reserved: BTreeSet<&str> = settings
        .reserved_builder_names
        .iter()
        .map(String::as_str)
        .chain(codegen::names::BUILDER_OWN_NAMES.iter().copied())
        .collect();
    let call = std::fs::read_to_string(runtime_src().join("runtime/call.rs"))
        .expect("runtime/call.rs is readable");
    let code = code_of(&call);
    let mut runtime_methods = BTreeSet::new();
    for marker in ["pub trait Operation", "macro_rules! operation"] {
        let block = block_after(&code, marker)
            .unwrap_or_else(|| panic!("no `{marker}` block in runtime/call.rs"));
        for rest in block.split("fn ").skip(1) {
            let name = leading_identifier(rest);
            if !name.is_empty() {
                runtime_methods.insert(name.to_owned());
            }
        }
    }
    assert!(
        runtime_methods.len() >= 4,
        "found only {runtime_methods:?} in runtime/call.rs"
    );
    let missing: Vec<&String> = runtime_methods
        .iter()
        .filter(|name| !reserved.contains(name.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "builder methods of the runtime a parameter could take: {missing:?}; add them to \
         reserved_builder_names in jumpcloud-sdk/codegen.yaml"
    );
}

/// The identifier `text` starts with (empty if none).
fn leading_identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Builder methods that take the builder by value and are neither generic nor `#[inline]`, in
/// `code`: each such method the SDK compiles itself brings the builder's drop glue, and through
/// it every body model's, into the SDK's own build (half of its machine code, the one time it
/// happened). Returns the offenders and how many by-value methods were seen.
fn by_value_methods_compiled_in_place(code: &str) -> (Vec<String>, usize) {
    let (mut offenders, mut seen) = (Vec::new(), 0);
    for (at, _) in code.match_indices("fn ") {
        let rest = &code[at + 3..];
        let name = leading_identifier(rest);
        let after_name = &rest[name.len()..];
        let signature = &after_name[..after_name.find('{').unwrap_or(after_name.len())];
        let parameters = &signature[signature.find('(').unwrap_or(signature.len())..];
        let by_value = ["(self", "(mut self"]
            .iter()
            .any(|start| parameters.starts_with(start))
            && !parameters.starts_with("(self:");
        if name.is_empty() || !by_value {
            continue;
        }
        seen += 1;
        let generic = after_name.starts_with('<') || signature.contains("impl ");
        let item_start = code[..at].rfind(['}', ';', '{']).map_or(0, |i| i + 1);
        let inline = code[item_start..at].contains("#[inline");
        if !generic && !inline {
            offenders.push(name.to_owned());
        }
    }
    (offenders, seen)
}

#[test]
fn by_value_builder_methods_are_compiled_where_called() {
    let call = std::fs::read_to_string(runtime_src().join("runtime/call.rs"))
        .expect("runtime/call.rs is readable");
    let code = code_of(&call);
    let macro_block =
        block_after(&code, "macro_rules! operation").expect("an `operation!` macro in call.rs");
    let (mut offenders, in_macro) = by_value_methods_compiled_in_place(macro_block);
    assert!(
        in_macro >= 3,
        "only {in_macro} by-value methods in operation!"
    );
    let mut in_builders = 0;
    let split = settings()
        .split
        .expect("the SDK's code is split into shards");
    let apis: Vec<PathBuf> = split
        .shard_packages()
        .iter()
        .map(|shard| workspace().join(shard).join("src/apis"))
        .collect();
    assert!(!apis.is_empty(), "no shard crate in the workspace");
    for (path, text) in apis.iter().flat_map(|dir| rust_files(dir)) {
        let (found, seen) = by_value_methods_compiled_in_place(&code_of(&text));
        in_builders += seen;
        offenders.extend(
            found
                .into_iter()
                .map(|f| format!("{}: {f}", relative(&path))),
        );
    }
    assert!(
        in_builders >= 100,
        "only {in_builders} by-value builder methods"
    );
    assert!(
        offenders.is_empty(),
        "by-value builder methods the SDK would compile itself (make them #[inline]): \
         {offenders:?}"
    );
}

#[test]
fn the_by_value_method_finder_tells_inline_and_generic_from_plain() {
    let code =
        "impl B { #[inline] pub fn a(self) -> X { x } pub fn b(mut self, v: impl Into<i64>) \
                -> Self { self } pub fn c<T>(self, t: T) {} pub fn d(&self) {} \
                fn e(self: Pin<&mut Self>) {} pub fn f(mut self, v: i64) -> Self { self } }";
    assert_eq!(
        by_value_methods_compiled_in_place(code),
        (vec!["f".to_owned()], 4)
    );
}

/// The text of the `{ … }` block that follows `marker`, braces matched.
fn block_after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    let start = text.find(marker)?;
    let open = start + text[start..].find('{')?;
    let mut depth = 0;
    for (offset, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[open..open + offset + 1]);
                }
            }
            _ => {}
        }
    }
    None
}

#[test]
#[ignore = "prints the graph for a reader"]
fn print_the_sdk_module_graph() {
    for (module, uses) in sdk_module_graph() {
        println!(
            "{module} -> {}",
            uses.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
}

#[test]
fn no_third_party_document_is_tracked() {
    // The documents are data: only their identity (spec/README.md) is committed.
    let output = std::process::Command::new("git")
        .args(["ls-files", "spec"])
        .current_dir(workspace())
        .output()
        .expect("git runs in the workspace");
    let tracked = String::from_utf8_lossy(&output.stdout);
    let tracked: Vec<&str> = tracked.lines().collect();
    assert!(output.status.success(), "git ls-files failed");
    assert_eq!(
        tracked,
        ["spec/README.md"],
        "only spec/README.md is committed"
    );
}
