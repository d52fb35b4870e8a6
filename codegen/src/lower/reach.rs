//! Which types are generated: those an operation reaches (through its parameters, bodies,
//! success and error responses, and on through fields, alternatives and aliases), plus the
//! component schemas the settings keep. Nothing else compiles, so a document's unused schemas
//! (a converter's leftovers, say) cost users neither build time nor pages of docs.
use crate::ir::{Operation, TypeDef, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// What [`Settings::keep_schemas`](crate::Settings::keep_schemas) spells for "every component".
pub const KEEP_ALL: &str = "*";

/// Drops every type no operation reaches and `keep` (component keys, or [`KEEP_ALL`]) does not
/// name. Names were claimed before this runs, so whether a type is reached never changes
/// another type's name.
pub(super) fn drop_unreachable(
    types: &mut BTreeMap<String, TypeDef>,
    operations: &[Operation],
    keep: &[String],
) {
    let kept = |def: &TypeDef| {
        def.component_key()
            .is_some_and(|key| keep.iter().any(|k| k == KEEP_ALL || *k == key))
    };
    let mut stack: Vec<&str> = types
        .values()
        .filter(|def| kept(def))
        .map(|def| def.name.as_str())
        .chain(
            operations
                .iter()
                .flat_map(Operation::type_roots)
                .filter_map(TypeRef::named),
        )
        .collect();
    let mut reached: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if !reached.insert(name.to_owned()) {
            continue;
        }
        if let Some(def) = types.get(name) {
            stack.extend(def.references().filter_map(TypeRef::named));
        }
    }
    types.retain(|name, _| reached.contains(name));
}

/// The groups (module names) whose operations reach each type: the same walk from each
/// operation, kept per group ([`Api::reached_by`](crate::ir::Api::reached_by)).
pub(super) fn reached_by(
    types: &BTreeMap<String, TypeDef>,
    operations: &[Operation],
) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_type: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for op in operations {
        let mut stack: Vec<&str> = op.type_roots().filter_map(TypeRef::named).collect();
        while let Some(name) = stack.pop() {
            let needed = by_type.entry(name.to_owned()).or_default();
            if !needed.insert(op.group.module.clone()) {
                continue;
            }
            if let Some(def) = types.get(name) {
                stack.extend(def.references().filter_map(TypeRef::named));
            }
        }
    }
    by_type
}
