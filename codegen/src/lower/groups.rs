//! Where each operation goes: its group (module, accessor and handle type).
use crate::ir::Group;
use crate::names::{self, Scope};
use crate::Settings;
use std::collections::{BTreeMap, BTreeSet};

/// Chooses each operation's group: its broadest resource tag, that is, among its tags that are
/// not cross-cutting (`Settings::cross_cutting_tags`), the one carrying the most operations in
/// the document (ties: the first listed). Only when every tag is cross-cutting does a
/// cross-cutting tag name the group.
pub(super) fn assign_groups<'o>(
    operations: impl Iterator<Item = &'o openapiv3::Operation> + Clone,
    settings: &Settings,
) -> Vec<Group> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for op in operations.clone() {
        for tag in &op.tags {
            *counts.entry(tag.as_str()).or_default() += 1;
        }
    }
    let cross_cutting = |tag: &str| settings.cross_cutting_tags.iter().any(|t| t == tag);
    let tags: Vec<String> = operations
        .map(|op| {
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
    // Module names are unique across groups; claim them in tag order for stability.
    let mut modules = Scope::with_reserved(names::RESERVED_MODULES);
    let mut by_tag: BTreeMap<&str, Group> = BTreeMap::new();
    let distinct: BTreeSet<&str> = tags.iter().map(String::as_str).collect();
    for tag in distinct {
        let module = modules.claim(names::module_name(tag));
        let type_name = names::group_type_name(&module);
        by_tag.insert(
            tag,
            Group {
                tag: tag.to_owned(),
                module,
                type_name,
            },
        );
    }
    tags.iter().map(|t| by_tag[t.as_str()].clone()).collect()
}
