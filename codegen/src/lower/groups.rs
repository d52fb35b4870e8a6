//! Where each operation goes: its group (module, accessor and handle type).
use crate::ir::Group;
use crate::names::{self, Scope};
use crate::Settings;
use std::collections::{BTreeMap, BTreeSet};

/// Chooses each operation's group: its broadest resource tag, that is, among its tags that are
/// not cross-cutting (`Settings::cross_cutting_tags`), the one carrying the most operations in
/// the document (ties: the first listed). Only when every tag is cross-cutting does a
/// cross-cutting tag name the group. An operation whose document settles its group (its `Some`
/// tag) goes there. Tags that make the same module name (`Radius Servers`, `RADIUS Servers`)
/// are one group, so the documents of one SDK share their groups.
pub(super) fn assign_groups<'o>(
    operations: impl Iterator<Item = (&'o openapiv3::Operation, Option<&'o str>)> + Clone,
    settings: &Settings,
) -> Vec<Group> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (op, _) in operations.clone() {
        for tag in &op.tags {
            *counts.entry(tag.as_str()).or_default() += 1;
        }
    }
    let cross_cutting = |tag: &str| settings.cross_cutting_tags.iter().any(|t| t == tag);
    let tags: Vec<String> = operations
        .map(|(op, forced)| {
            if let Some(tag) = forced {
                return tag.to_owned();
            }
            let resource =
                op.tags
                    .iter()
                    .filter(|t| !cross_cutting(t))
                    .fold(None::<&String>, |best, tag| match best {
                        Some(b) if counts[b.as_str()] >= counts[tag.as_str()] => Some(b),
                        _ => Some(tag),
                    });
            resource
                .or(op.tags.first())
                .cloned()
                .unwrap_or_else(|| names::UNTAGGED_GROUP.to_owned())
        })
        .collect();
    // Tags are claimed in sorted order for stability; the first of those sharing a module name
    // names the group.
    let mut modules = Scope::with_reserved(names::RESERVED_MODULES);
    let mut by_module: BTreeMap<String, Group> = BTreeMap::new();
    let mut by_tag: BTreeMap<&str, Group> = BTreeMap::new();
    let distinct: BTreeSet<&str> = tags.iter().map(String::as_str).collect();
    for tag in distinct {
        let wanted = names::module_name(tag);
        let group = by_module.entry(wanted.clone()).or_insert_with(|| {
            let module = modules.claim(wanted);
            let type_name = names::group_type_name(&module);
            Group {
                tag: tag.to_owned(),
                module,
                type_name,
            }
        });
        by_tag.insert(tag, group.clone());
    }
    tags.iter().map(|t| by_tag[t.as_str()].clone()).collect()
}
