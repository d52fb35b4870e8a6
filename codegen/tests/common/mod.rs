//! Helpers shared by the integration tests: reading the test documents, and checking that the
//! generated Rust is well formed (it parses, and no scope defines a name twice).
#![allow(dead_code)] // Each test binary uses its own subset.

use codegen::{Generation, Settings};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The workspace's `shared/specs` folder, beside the workspace root.
pub fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs")
}

/// The text of a document under `shared/specs`. A missing document fails the test: these tests
/// exist to run against the real documents, so skipping would hide that they did not.
pub fn spec(relative: &str) -> String {
    let path = specs_dir().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "test document {} is missing ({error}); it belongs in shared/specs beside the \
             workspace root (see shared/specs/README.md)",
            path.display()
        )
    })
}

/// The JumpCloud settings, read from `jumpcloud-sdk/codegen.yaml`.
pub fn jumpcloud_settings() -> Settings {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../jumpcloud-sdk/codegen.yaml");
    let text = std::fs::read_to_string(&path).expect("jumpcloud-sdk/codegen.yaml is readable");
    let mut settings = Settings::from_yaml(&text).expect("jumpcloud-sdk/codegen.yaml is valid");
    // In one crate, so that tests find each file at its one-crate path; the split has tests of
    // its own (`split.rs`), from `jumpcloud_split_settings`.
    settings.split = None;
    settings
}

/// The SDK's settings as they are, splitting the code over crates.
pub fn jumpcloud_split_settings() -> Settings {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../jumpcloud-sdk/codegen.yaml");
    let text = std::fs::read_to_string(&path).expect("jumpcloud-sdk/codegen.yaml is readable");
    Settings::from_yaml(&text).expect("jumpcloud-sdk/codegen.yaml is valid")
}

/// The settings the test documents are written against (`tests/fixture_settings.yaml`).
pub fn fixture_settings() -> Settings {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixture_settings.yaml");
    let text = std::fs::read_to_string(&path).expect("tests/fixture_settings.yaml is readable");
    Settings::from_yaml(&text).expect("tests/fixture_settings.yaml is valid")
}

pub fn generate(text: &str) -> Generation {
    generate_with(text, &fixture_settings())
}

pub fn generate_with(text: &str, settings: &Settings) -> Generation {
    codegen::generate(text, settings).unwrap_or_else(|error| panic!("generation failed: {error}"))
}

/// Every diagnostic, as the generator prints it.
pub fn warnings(generation: &Generation) -> Vec<String> {
    generation
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

/// A minimal document with `rest` (YAML: `paths:` and maybe `components:`) after the header.
pub fn doc(rest: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{rest}")
}

/// `OPERATIONS.md`'s table rows: operationId to the Rust call column, without backticks.
pub fn operation_rows(generation: &Generation) -> BTreeMap<String, String> {
    let table = &generation.files["OPERATIONS.md"];
    table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| operationId |"))
        .map(|line| {
            let cells: Vec<&str> = line.split(" | ").collect();
            let id = cells[0].trim_start_matches("| ").to_owned();
            let call = cells
                .last()
                .unwrap()
                .trim_end_matches(" |")
                .trim_matches('`');
            (id, call.to_owned())
        })
        .collect()
}

pub fn parse_rust(path: &str, text: &str) -> syn::File {
    syn::parse_file(text).unwrap_or_else(|error| panic!("{path} is not valid Rust: {error}"))
}

/// Every problem that would stop the generated Rust from compiling which can be seen without
/// compiling it: a file that does not parse, a `compile_error!`, a name defined twice in one
/// module (the model chunks count as one module: they are glob re-exported together), a field,
/// variant or argument defined twice, a method defined twice in one `impl`.
pub fn rust_problems(generation: &Generation) -> Vec<String> {
    let mut problems = Vec::new();
    let mut model_names: BTreeMap<String, String> = BTreeMap::new();
    for (path, text) in &generation.files {
        if !path.ends_with(".rs") {
            continue;
        }
        let file = match syn::parse_file(text) {
            Ok(file) => file,
            Err(error) => {
                problems.push(format!("{path}: does not parse: {error}"));
                continue;
            }
        };
        if text.contains("compile_error!") {
            problems.push(format!("{path}: contains compile_error!"));
        }
        let is_model_chunk =
            path.starts_with("src/generated/models/") && !path.ends_with("/mod.rs");
        let mut module_names: BTreeMap<String, usize> = BTreeMap::new();
        for item in &file.items {
            for name in defined_names(item) {
                if is_model_chunk && is_exported(item) {
                    if let Some(other) = model_names.insert(name.clone(), path.clone()) {
                        problems.push(format!("models: `{name}` defined in {other} and {path}"));
                    }
                }
                *module_names.entry(name).or_default() += 1;
            }
            check_item(path, item, &mut problems);
        }
        for (name, count) in module_names {
            if count > 1 {
                problems.push(format!("{path}: `{name}` defined {count} times"));
            }
        }
    }
    problems
}

/// Whether the models module's glob re-export of a chunk sees the item: a chunk's private
/// `use` stays in the chunk.
pub fn is_exported(item: &syn::Item) -> bool {
    !matches!(item, syn::Item::Use(u) if matches!(u.vis, syn::Visibility::Inherited))
}

/// Names an item puts in its module's type or value namespace.
pub fn defined_names(item: &syn::Item) -> Vec<String> {
    match item {
        syn::Item::Struct(s) => vec![s.ident.to_string()],
        syn::Item::Enum(e) => vec![e.ident.to_string()],
        syn::Item::Type(t) => vec![t.ident.to_string()],
        syn::Item::Fn(f) => vec![f.sig.ident.to_string()],
        syn::Item::Const(c) => vec![c.ident.to_string()],
        syn::Item::Mod(m) => vec![m.ident.to_string()],
        syn::Item::Use(u) => {
            let mut names = Vec::new();
            use_names(&u.tree, &mut names);
            names
        }
        // `string_enum!(Name { ... })` defines `Name`; `string_enum!(Name)` only adds impls.
        syn::Item::Macro(m) => {
            let tokens: Vec<proc_macro2::TokenTree> = m.mac.tokens.clone().into_iter().collect();
            let defines = tokens.iter().any(|t| {
                matches!(t, proc_macro2::TokenTree::Group(g)
                    if g.delimiter() == proc_macro2::Delimiter::Brace)
            });
            let is_enum = m
                .mac
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "string_enum");
            match tokens.first() {
                Some(proc_macro2::TokenTree::Ident(name)) if is_enum && defines => {
                    vec![name.to_string()]
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn use_names(tree: &syn::UseTree, names: &mut Vec<String>) {
    match tree {
        syn::UseTree::Path(path) => use_names(&path.tree, names),
        syn::UseTree::Name(name) if name.ident != "self" => names.push(name.ident.to_string()),
        syn::UseTree::Name(_) | syn::UseTree::Glob(_) => {}
        syn::UseTree::Rename(rename) => names.push(rename.rename.to_string()),
        syn::UseTree::Group(group) => group.items.iter().for_each(|t| use_names(t, names)),
    }
}

fn check_item(path: &str, item: &syn::Item, problems: &mut Vec<String>) {
    let mut unique = |what: String, names: Vec<String>| {
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            if !seen.insert(name.clone()) {
                problems.push(format!("{path}: {what}: `{name}` twice"));
            }
        }
    };
    match item {
        syn::Item::Struct(s) => {
            let fields = s
                .fields
                .iter()
                .filter_map(|f| f.ident.as_ref().map(|i| i.to_string()))
                .collect();
            unique(format!("fields of {}", s.ident), fields);
        }
        syn::Item::Enum(e) => {
            let variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
            unique(format!("variants of {}", e.ident), variants);
        }
        syn::Item::Impl(i) => {
            let self_ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
            let mut methods = Vec::new();
            for impl_item in &i.items {
                if let syn::ImplItem::Fn(f) = impl_item {
                    methods.push(f.sig.ident.to_string());
                    let args = f
                        .sig
                        .inputs
                        .iter()
                        .filter_map(|arg| match arg {
                            syn::FnArg::Typed(t) => match &*t.pat {
                                syn::Pat::Ident(p) => Some(p.ident.to_string()),
                                _ => None,
                            },
                            syn::FnArg::Receiver(_) => None,
                        })
                        .collect();
                    unique(format!("arguments of {self_ty}::{}", f.sig.ident), args);
                }
            }
            unique(format!("methods of {self_ty}"), methods);
        }
        _ => {}
    }
}

/// Asserts [`rust_problems`] finds nothing.
pub fn assert_well_formed(what: &str, generation: &Generation) {
    let problems = rust_problems(generation);
    assert!(
        problems.is_empty(),
        "{what}: generated Rust is malformed:\n  {}",
        problems.join("\n  ")
    );
}

/// The names of every type the models files define.
pub fn model_type_names(generation: &Generation) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for (path, text) in &generation.files {
        if path.starts_with("src/generated/models/") && !path.ends_with("/mod.rs") {
            for item in parse_rust(path, text).items {
                for name in defined_names(&item)
                    .into_iter()
                    .filter(|_| is_exported(&item))
                {
                    names.insert(name, path.clone());
                }
            }
        }
    }
    names
}

/// Model types whose `Default::default()` would call itself forever (a stack overflow at run
/// time, also reached by `#[serde(default)]` on a missing field): cycles through struct fields
/// that are neither `Option` nor a collection, aliases, and the variant an enum's `Default`
/// picks.
pub fn recursive_defaults(generation: &Generation) -> Vec<String> {
    let mut needs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut enum_variants: BTreeMap<String, BTreeMap<String, Option<String>>> = BTreeMap::new();
    let mut default_variant: BTreeMap<String, String> = BTreeMap::new();
    for (path, text) in &generation.files {
        if !path.starts_with("src/generated/models/") || path.ends_with("/mod.rs") {
            continue;
        }
        for item in parse_rust(path, text).items {
            match item {
                syn::Item::Struct(s) if derives(&s.attrs, "Default") => {
                    let deps = s.fields.iter().filter_map(|f| inline_name(&f.ty)).collect();
                    needs.insert(s.ident.to_string(), deps);
                }
                syn::Item::Type(t) => {
                    let deps = inline_name(&t.ty).into_iter().collect();
                    needs.insert(t.ident.to_string(), deps);
                }
                syn::Item::Enum(e) => {
                    let variants = e
                        .variants
                        .iter()
                        .filter_map(|v| {
                            let field = v.fields.iter().next()?;
                            Some((v.ident.to_string(), inline_name(&field.ty)))
                        })
                        .collect();
                    enum_variants.insert(e.ident.to_string(), variants);
                }
                syn::Item::Impl(i) => {
                    let is_default = i.trait_.as_ref().is_some_and(|(_, path, _)| {
                        path.segments.last().is_some_and(|s| s.ident == "Default")
                    });
                    let self_name = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                    if is_default {
                        let body = quote::ToTokens::to_token_stream(&i).to_string();
                        if let Some(rest) = body.split("Self :: ").nth(1) {
                            let variant = rest.split(|c: char| !c.is_alphanumeric() && c != '_');
                            if let Some(variant) = variant.into_iter().next() {
                                default_variant.insert(self_name, variant.to_owned());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    for (name, variant) in default_variant {
        let deps = enum_variants
            .get(&name)
            .and_then(|variants| variants.get(&variant).cloned())
            .flatten()
            .into_iter()
            .collect();
        needs.insert(name, deps);
    }
    // Depth-first search for a cycle from every type.
    let mut cyclic = Vec::new();
    for start in needs.keys() {
        let mut stack: Vec<&str> = vec![start];
        let mut seen = std::collections::BTreeSet::new();
        while let Some(name) = stack.pop() {
            for dep in needs.get(name).into_iter().flatten() {
                if dep == start {
                    cyclic.push(start.clone());
                    stack.clear();
                    break;
                }
                if seen.insert(dep.as_str()) {
                    stack.push(dep);
                }
            }
        }
    }
    cyclic
}

fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && quote::ToTokens::to_token_stream(&attr.meta)
                .to_string()
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| word == name)
    })
}

/// The type name a value of `ty` holds inline, looking through `Box`: `Box<Node>` and `Node`
/// give `Node`; `Option<Node>`, `Vec<Node>` and paths with more than one segment give nothing.
fn inline_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let [segment] = path.path.segments.iter().collect::<Vec<_>>()[..] else {
        return None;
    };
    match &segment.arguments {
        syn::PathArguments::None => Some(segment.ident.to_string()),
        syn::PathArguments::AngleBracketed(args) if segment.ident == "Box" => {
            match args.args.first() {
                Some(syn::GenericArgument::Type(inner)) => inline_name(inner),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Every mapping's keys in reverse order, recursively.
pub fn reverse_keys(value: serde_yaml::Value) -> serde_yaml::Value {
    match value {
        serde_yaml::Value::Mapping(mapping) => {
            let mut entries: Vec<_> = mapping.into_iter().collect();
            entries.reverse();
            serde_yaml::Value::Mapping(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, reverse_keys(v)))
                    .collect(),
            )
        }
        serde_yaml::Value::Sequence(items) => {
            serde_yaml::Value::Sequence(items.into_iter().map(reverse_keys).collect())
        }
        serde_yaml::Value::Tagged(tagged) => {
            serde_yaml::Value::Tagged(Box::new(serde_yaml::value::TaggedValue {
                tag: tagged.tag,
                value: reverse_keys(tagged.value),
            }))
        }
        scalar => scalar,
    }
}
