//! The SDK's settings split the generated code over a core crate and shards that cargo builds
//! side by side (`Settings::split`): each shard must build with only the core beneath it.
mod common;

use codegen::Generation;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const REAL: &str = "jumpcloud-v2.yaml";

fn split() -> &'static Generation {
    static SPLIT: OnceLock<Generation> = OnceLock::new();
    SPLIT.get_or_init(|| generate_with(&spec(REAL), &jumpcloud_split_settings()))
}

/// Every model type each crate defines (`None`: the core), from its model files.
fn types_by_crate(generation: &Generation) -> BTreeMap<String, Option<String>> {
    let layout = generation
        .layout
        .as_ref()
        .expect("the settings split the code");
    let mut by_crate = BTreeMap::new();
    for (package, files) in &generation.crates {
        let home = (package != &layout.core).then(|| package.clone());
        for (path, text) in files {
            if !path.contains("/models/") || path.ends_with("/mod.rs") {
                continue;
            }
            for item in parse_rust(path, text).items {
                for name in defined_names(&item)
                    .into_iter()
                    .filter(|_| is_exported(&item))
                {
                    let earlier = by_crate.insert(name.clone(), home.clone());
                    assert!(earlier.is_none(), "{name} is defined twice");
                }
            }
        }
    }
    by_crate
}

#[test]
fn every_model_is_in_one_crate_and_a_shard_names_only_its_own_and_the_cores() {
    let generation = split();
    let by_crate = types_by_crate(generation);
    let one_crate = generate_with(&spec(REAL), &jumpcloud_settings());
    let expected: BTreeSet<String> = model_type_names(&one_crate).into_keys().collect();
    assert_eq!(by_crate.keys().cloned().collect::<BTreeSet<_>>(), expected);
    assert!(
        !generation
            .files
            .keys()
            .any(|path| path.contains("/models/")),
        "the SDK crate defines no model"
    );
    let layout = generation.layout.as_ref().expect("split");
    let (mut in_shards, mut own_named) = (0, 0);
    for shard in &layout.shards {
        for (path, text) in &generation.crates[&shard.package] {
            for word in named_by(path, text) {
                let Some(home) = by_crate.get(&word) else {
                    continue;
                };
                assert!(
                    home.is_none() || home.as_ref() == Some(&shard.package),
                    "{}/{path} names `{word}`, which is in {home:?}",
                    shard.package
                );
                own_named += usize::from(home.is_some());
            }
        }
        in_shards += by_crate
            .values()
            .filter(|home| home.as_ref() == Some(&shard.package))
            .count();
    }
    // The check saw the shards name their own models, not nothing.
    assert!(own_named > 500, "{own_named} names of shard models");
    // Most models are reached by one group only: the split is worth having.
    assert!(
        in_shards * 10 > by_crate.len() * 8,
        "{in_shards} of {}",
        by_crate.len()
    );
}

#[test]
fn every_group_is_in_one_shard_and_the_shards_are_about_even() {
    let generation = split();
    let layout = generation.layout.as_ref().expect("split");
    assert_eq!(layout.shards.len(), 4);
    let mut seen = BTreeSet::new();
    let mut lines = Vec::new();
    for shard in &layout.shards {
        let files = &generation.crates[&shard.package];
        for group in &shard.groups {
            assert!(seen.insert(group.clone()), "{group} in two shards");
            assert!(
                files.contains_key(&format!("src/apis/{group}.rs")),
                "{group}"
            );
            assert_eq!(layout.shard_of_group(group), Some(lines.len()));
        }
        lines.push(
            files
                .values()
                .map(|text| text.lines().count())
                .sum::<usize>(),
        );
    }
    // Every group the one-crate layout has, each in exactly one shard.
    let one_crate = generate_with(&spec(REAL), &jumpcloud_settings());
    let every_group: BTreeSet<String> = one_crate
        .files
        .keys()
        .filter_map(|path| path.strip_prefix("src/generated/apis/"))
        .filter(|file| *file != "mod.rs")
        .map(|file| file.trim_end_matches(".rs").to_owned())
        .collect();
    assert_eq!(seen, every_group);
    let (least, most) = (lines.iter().min().unwrap(), lines.iter().max().unwrap());
    assert!(most * 10 < least * 13, "shards' lines: {lines:?}");
}

#[test]
fn the_sdk_crate_gathers_the_shards_and_the_core_holds_what_they_share() {
    let generation = split();
    let layout = generation.layout.as_ref().expect("split");
    let gathering = &generation.files["src/generated/mod.rs"];
    for shard in &layout.shards {
        let krate = shard.package.replace('-', "_");
        assert!(gathering.contains(&format!("pub use ::{krate}::models::*;")));
        assert!(gathering.contains(&format!("pub use ::{krate}::apis::*;")));
        let lib = &generation.crates[&shard.package]["src/lib.rs"];
        assert!(lib.contains("pub use ::jumpcloud_sdk_core::*;"), "{lib}");
    }
    // Accessors hand the handles the runtime's client the SDK's client wraps.
    assert!(gathering.contains("client: self.as_ref()"));
    let core = &generation.crates[&layout.core];
    for file in ["mod.rs", "errors.rs", "services.rs", "models/mod.rs"] {
        assert!(
            core.contains_key(&format!("src/generated/{file}")),
            "{file}"
        );
    }
    assert!(!core["src/generated/mod.rs"].contains("pub mod apis"));
    assert!(!core.keys().any(|path| path.contains("/apis/")));
}

#[test]
fn the_split_is_the_same_whatever_order_the_document_lists_its_keys_in() {
    let text = spec(REAL);
    let value: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
    let reversed = serde_yaml::to_string(&reverse_keys(value)).expect("yaml");
    let again = generate_with(&reversed, &jumpcloud_split_settings());
    assert_eq!(split().layout, again.layout);
    let without_sha = |generation: &Generation| -> BTreeMap<String, BTreeMap<String, String>> {
        let sha = &generation.source.sha256;
        let strip = |files: &BTreeMap<String, String>| {
            files
                .iter()
                .map(|(path, text)| (path.clone(), text.replace(sha.as_str(), "<sha256>")))
                .collect()
        };
        generation
            .crates
            .iter()
            .map(|(package, files)| (package.clone(), strip(files)))
            .collect()
    };
    assert_eq!(without_sha(split()), without_sha(&again));
}

/// Every identifier a file's paths end in (`models::User`, `User`, `Vec<User>`): the items it
/// names, without its variants, fields and docs.
fn named_by(path: &str, text: &str) -> BTreeSet<String> {
    struct Paths(BTreeSet<String>);
    impl<'ast> syn::visit::Visit<'ast> for Paths {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if let Some(last) = path.segments.last() {
                let leading_self = path.segments.len() > 1 && path.segments[0].ident == "Self";
                if !leading_self {
                    self.0.insert(last.ident.to_string());
                }
            }
            syn::visit::visit_path(self, path);
        }
    }
    let mut paths = Paths(BTreeSet::new());
    syn::visit::Visit::visit_file(&mut paths, &parse_rust(path, text));
    paths.0
}
