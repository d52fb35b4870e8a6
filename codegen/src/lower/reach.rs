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
    let roots = types
        .values()
        .filter(|def| kept(def))
        .map(|def| def.name.as_str())
        .chain(
            operations
                .iter()
                .flat_map(Operation::type_roots)
                .filter_map(TypeRef::named),
        );
    let mut reached: BTreeSet<String> = BTreeSet::new();
    walk(types, roots, |name| reached.insert(name.to_owned()));
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
        let roots = op.type_roots().filter_map(TypeRef::named);
        walk(types, roots, |name| {
            let groups = by_type.entry(name.to_owned()).or_default();
            groups.insert(op.group.module.clone())
        });
    }
    by_type
}

/// Walks the type graph from `roots` through each type's fields, alternatives and aliases,
/// calling `first_visit` on every name reached; from a name it returns `false` for (one seen
/// before) the walk goes no further.
fn walk<'a>(
    types: &'a BTreeMap<String, TypeDef>,
    roots: impl IntoIterator<Item = &'a str>,
    mut first_visit: impl FnMut(&'a str) -> bool,
) {
    let mut stack: Vec<&str> = roots.into_iter().collect();
    while let Some(name) = stack.pop() {
        if !first_visit(name) {
            continue;
        }
        if let Some(def) = types.get(name) {
            stack.extend(def.references().filter_map(TypeRef::named));
        }
    }
}
