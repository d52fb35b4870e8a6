//! The SDK's manifests, rendered from hand-written templates with a generated `[features]`
//! table (one feature per operation group) in place of their marker line: the SDK crate's
//! (`jumpcloud-sdk/Cargo.toml.in`) and, when the code is split, the core's (its own
//! `Cargo.toml.in`) and each shard's (all from `jumpcloud-sdk/shard.Cargo.toml.in`). Split,
//! the SDK crate's features turn on the core's and the shard's of the same name, and its
//! manifest names each shard as an optional dependency.
use crate::failure::Failure;
use codegen::ir::Layout;
use std::collections::BTreeMap;
use std::path::Path;

/// The template, beside the manifest it renders.
pub const TEMPLATE: &str = "jumpcloud-sdk/Cargo.toml.in";
/// The rendered manifest.
pub const MANIFEST: &str = "jumpcloud-sdk/Cargo.toml";
/// The template of every shard's manifest.
pub const SHARD_TEMPLATE: &str = "jumpcloud-sdk/shard.Cargo.toml.in";
/// The line of the template replaced by the features table.
const MARKER: &str = "# @features";
/// The word of the shard template replaced by the shard's package name.
const PACKAGE: &str = "@package";

/// Every manifest, keyed from the workspace root: the SDK crate's and, split, the core's and
/// the shards'.
pub fn render_all(
    workspace: &Path,
    groups: &[String],
    layout: Option<&Layout>,
) -> Result<BTreeMap<String, String>, Failure> {
    let read = |path: &str| {
        std::fs::read_to_string(workspace.join(path))
            .map_err(|e| Failure::environment(format!("reading {path}: {e}")))
    };
    let failed = |e: String| Failure::failed(format!("error: {e}"));
    let template = read(TEMPLATE)?;
    let plain: Vec<Feature> = groups.iter().map(|group| Feature::plain(group)).collect();
    let Some(layout) = layout else {
        let manifest = render(&template, &plain, &[], "").map_err(failed)?;
        return Ok(BTreeMap::from([(MANIFEST.to_owned(), manifest)]));
    };
    let version = package_version(&template).unwrap_or_else(|| "0.0.0".to_owned());
    let core = &layout.core;
    let mut manifests = BTreeMap::new();
    let core_template = read(&format!("{core}/Cargo.toml.in"))?;
    let core_manifest = render(&core_template, &plain, &[], "").map_err(failed)?;
    manifests.insert(format!("{core}/Cargo.toml"), core_manifest);
    let shard_template = read(SHARD_TEMPLATE)?;
    let mut dependencies = String::new();
    for shard in &layout.shards {
        let package = &shard.package;
        let features: Vec<Feature> = shard
            .groups
            .iter()
            .map(|group| Feature::turning_on(group, vec![format!("{core}/{group}")]))
            .collect();
        let template = shard_template.replace(PACKAGE, package);
        let manifest = render(&template, &features, &[], "").map_err(failed)?;
        manifests.insert(format!("{package}/Cargo.toml"), manifest);
        dependencies.push_str(&format!(
            "\n[dependencies.{package}]\npath = \"../{package}\"\nversion = \"{version}\"\n\
             default-features = false\noptional = true\n"
        ));
    }
    let features: Vec<Feature> = groups
        .iter()
        .map(|group| {
            let mut turns_on = vec![format!("{core}/{group}")];
            if let Some(shard) = layout.group_shard.get(group) {
                let package = &layout.shards[*shard].package;
                turns_on.extend([format!("dep:{package}"), format!("{package}/{group}")]);
            }
            Feature::turning_on(group, turns_on)
        })
        .collect();
    let manifest = render(
        &template,
        &features,
        &[format!("{core}/full")],
        &dependencies,
    )
    .map_err(failed)?;
    manifests.insert(MANIFEST.to_owned(), manifest);
    Ok(manifests)
}

/// One group's feature and the features it turns on.
pub struct Feature {
    name: String,
    turns_on: Vec<String>,
}

impl Feature {
    pub fn plain(name: &str) -> Self {
        Feature::turning_on(name, Vec::new())
    }

    fn turning_on(name: &str, turns_on: Vec<String>) -> Self {
        Feature {
            name: name.to_owned(),
            turns_on,
        }
    }
}

/// The `version` of the `[package]` table.
pub fn package_version(template: &str) -> Option<String> {
    let mut in_package = false;
    for line in template.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let Some(value) = line.strip_prefix("version").map(str::trim_start) {
            if in_package {
                let value = value.strip_prefix('=')?.trim().trim_matches('"');
                return Some(value.to_owned());
            }
        }
    }
    None
}

/// The manifest text, or an error naming what is wrong with the template: `full` turns on
/// every feature and `full_also`; `tables` (TOML tables) come before the features table.
pub fn render(
    template: &str,
    features: &[Feature],
    full_also: &[String],
    tables: &str,
) -> Result<String, String> {
    if template
        .lines()
        .filter(|line| line.trim() == MARKER)
        .count()
        != 1
    {
        return Err(format!(
            "{TEMPLATE} must contain the line `{MARKER}` exactly once"
        ));
    }
    // The tables come first: the template's lines after the marker belong to `[features]`.
    let mut table = tables.trim_start().to_owned();
    if !table.is_empty() {
        table.push('\n');
    }
    table.push_str("[features]\ndefault = [\"full\"]\n");
    let names = features.iter().map(|f| &f.name).chain(full_also);
    let quoted: Vec<String> = names.map(|f| format!("  \"{f}\",\n")).collect();
    table.push_str(&format!(
        "# Every operation group.\nfull = [\n{}]\n",
        quoted.concat()
    ));
    for feature in features {
        let turns_on: Vec<String> = feature
            .turns_on
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect();
        table.push_str(&format!("{} = [{}]\n", feature.name, turns_on.join(", ")));
    }
    let body: Vec<String> = template
        .lines()
        .map(|line| {
            if line.trim() == MARKER {
                table.trim_end().to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect();
    Ok(format!(
        "# @generated by `cargo xtask regenerate` from Cargo.toml.in: edit that file instead.\n{}\n",
        body.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_replace_the_marker() {
        let out = render(
            "[package]\nname = \"x\"\n\n# @features\n",
            &[Feature::plain("a"), Feature::plain("b_c")],
            &[],
            "",
        )
        .unwrap();
        assert!(out.starts_with("# @generated"));
        assert!(out.contains("default = [\"full\"]\n"));
        assert!(out.contains("full = [\n  \"a\",\n  \"b_c\",\n]\na = []\nb_c = []\n"));
        assert!(!out.contains(MARKER));
    }

    /// Split, the SDK crate's feature turns on the core's and its shard's (an optional
    /// dependency, declared before `[features]` so the template's lines after the marker stay
    /// features); each shard's manifest has its name and its groups; the core's has them all.
    #[test]
    fn split_manifests_wire_each_group_to_its_shard() {
        let tmp = crate::testutil::TempDir::new("manifests");
        let sdk = "[package]\nname = \"sdk\"\nversion = \"1.2.3\"\n\n# @features\nextra = []\n";
        for (path, text) in [
            (TEMPLATE, sdk),
            (
                "core/Cargo.toml.in",
                "[package]\nname = \"core\"\n\n# @features\n",
            ),
            (
                SHARD_TEMPLATE,
                "[package]\nname = \"@package\"\n\n# @features\n",
            ),
        ] {
            let path = tmp.path(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let layout = Layout {
            core: "core".into(),
            shards: vec![
                codegen::ir::Shard {
                    package: "shard-1".into(),
                    groups: vec!["a".into()],
                },
                codegen::ir::Shard {
                    package: "shard-2".into(),
                    groups: vec!["b".into()],
                },
            ],
            group_shard: BTreeMap::from([("a".into(), 0), ("b".into(), 1)]),
            type_shard: BTreeMap::new(),
        };
        let groups = ["a".to_owned(), "b".to_owned()];
        let manifests = render_all(&tmp.0, &groups, Some(&layout)).unwrap();
        let sdk = &manifests[MANIFEST];
        assert!(
            sdk.contains("a = [\"core/a\", \"dep:shard-1\", \"shard-1/a\"]\n"),
            "{sdk}"
        );
        assert!(
            sdk.contains("b = [\"core/b\", \"dep:shard-2\", \"shard-2/b\"]\n"),
            "{sdk}"
        );
        assert!(
            sdk.contains("full = [\n  \"a\",\n  \"b\",\n  \"core/full\",\n]"),
            "{sdk}"
        );
        let shard_table = "[dependencies.shard-2]\npath = \"../shard-2\"\nversion = \"1.2.3\"\n\
                           default-features = false\noptional = true\n";
        let (before, features) = sdk.split_once("[features]").unwrap();
        assert!(before.contains(shard_table), "{sdk}");
        assert!(features.ends_with("extra = []\n"), "{sdk}");
        let shard = &manifests["shard-1/Cargo.toml"];
        assert!(shard.contains("name = \"shard-1\""), "{shard}");
        assert!(
            shard.contains("a = [\"core/a\"]\n") && !shard.contains("b = "),
            "{shard}"
        );
        let core = &manifests["core/Cargo.toml"];
        assert!(core.contains("a = []\nb = []\n"), "{core}");
        assert_eq!(manifests.len(), 4);
    }

    #[test]
    fn a_template_without_the_marker_is_refused() {
        assert!(render("[package]\n", &[], &[], "").is_err());
        assert!(render("# @features\n# @features\n", &[], &[], "").is_err());
    }
}
