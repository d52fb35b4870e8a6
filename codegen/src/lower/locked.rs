//! Names the lock carries (`crate::lock`): which earlier name each operation and type keeps,
//! the deprecated aliases a rename leaves behind, and the lock this generation hands on. The
//! rules that make a fresh name are in `crate::names`; this file decides between a fresh name
//! and a kept one.
use super::view::view;
use super::Lowerer;
use crate::ir::{DeprecatedCall, Group, Method, Operation, TypeDef};
use crate::load::escape_pointer;
use crate::load::unescape_pointer;
use crate::lock::{
    endpoint_key, erase_parameters, DocumentLock, LockedOperation, LockedType, NameLock,
    OperationAlias, TypeAlias,
};
use crate::names::{self, Scope};
use openapiv3::{ReferenceOr, Schema};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

const COMPONENT_PREFIX: &str = "/components/schemas/";

/// The section of a document the lock does not know.
static EMPTY_LOCK: DocumentLock = DocumentLock {
    operations: BTreeMap::new(),
    types: BTreeMap::new(),
};

impl<'a> Lowerer<'a> {
    /// The lock's section for the document being lowered (borrowed for the lowering's
    /// lifetime, not `self`'s).
    fn lock(&self) -> &'a DocumentLock {
        self.doc.lock.unwrap_or(&EMPTY_LOCK)
    }

    /// The lock's section for document `index`.
    fn lock_of(&self, index: usize) -> &'a DocumentLock {
        let scope = if self.doc.index == index {
            &self.doc
        } else {
            &self.parked[index]
        };
        scope.lock.unwrap_or(&EMPTY_LOCK)
    }

    /// The lock's component schemas by the type name their key spells (`GraphOperation_User`
    /// and `GraphOperation-User` spell the same), computed once per lowering.
    fn locked_components(&mut self) -> &BTreeMap<String, Vec<String>> {
        let lock = self.lock();
        self.doc.locked_components.get_or_insert_with(|| {
            let mut by_spelling: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for old in lock.types.keys() {
                if let Some(key) = old
                    .strip_prefix(COMPONENT_PREFIX)
                    .filter(|k| !k.contains('/'))
                {
                    by_spelling
                        .entry(names::type_name(&unescape_pointer(key)))
                        .or_default()
                        .push(old.clone());
                }
            }
            by_spelling
        })
    }

    /// The type-name scope to start from: the name of every locked schema the documents still
    /// have, and every alias the lock keeps, is taken, so a new schema never gets a name an
    /// existing one is known by. The name of a schema that is gone is free again (to a schema
    /// that takes its place, or to any new one), so its name does not push new ones to `Name2`.
    pub(super) fn initial_type_scope(&mut self) -> Scope {
        if self.names.rederive {
            return Scope::default();
        }
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for index in 0..self.sources.len() {
            let section = self.lock_of(index);
            // The pointers of the document as lowering reads it (3.1 already normalised).
            let tree = serde_json::to_value(self.sources[index].document).unwrap_or_default();
            for (key, locked) in &section.types {
                if pointer_exists(&tree, key) {
                    self.reserved_names.insert(locked.name.clone());
                }
            }
        }
        let sections = self.names.lock.documents.values();
        for locked in sections.flat_map(|section| section.types.values()) {
            taken.extend(locked.renamed_from.iter().map(|a| a.name.clone()));
        }
        taken.extend(self.reserved_names.iter().cloned());
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        Scope::with_reserved(&taken)
    }

    /// Whether a locked name can be handed out now: reserved for a schema still there, or free
    /// (and then taken).
    fn claim_locked(&mut self, name: &str) -> bool {
        self.reserved_names.contains(name) || self.type_names.take(name)
    }

    /// Each component's type name, claimed before any inline type's: the locked name; else, for
    /// a component the lock does not know, the name of a locked component that is gone from the
    /// document and had the same shape (a rename); else a fresh one.
    pub(super) fn name_components(&mut self, schemas: &BTreeMap<&String, &ReferenceOr<Schema>>) {
        let pointer_of = |key: &str| format!("{COMPONENT_PREFIX}{}", escape_pointer(key));
        for (key, schema) in schemas {
            self.doc
                .component_shapes
                .insert(pointer_of(key), shape_digest(schema));
        }
        let mut unnamed = Vec::new();
        for key in schemas.keys() {
            match self.locked_type_name(&pointer_of(key)) {
                Some(name) => {
                    self.doc.components.insert((*key).clone(), name);
                }
                None => unnamed.push(*key),
            }
        }
        let mut fresh = Vec::new();
        let gone = self.gone_components();
        // A shape shared by several new components names none of them (`{results, totalCount}`
        // is the shape of many list responses).
        let mut new_shapes: BTreeMap<String, usize> = BTreeMap::new();
        for key in &unnamed {
            let shape = self.doc.component_shapes[&pointer_of(key)].clone();
            *new_shapes.entry(shape).or_default() += 1;
        }
        for key in unnamed {
            let pointer = pointer_of(key);
            let shape_is_unique = new_shapes[&self.doc.component_shapes[&pointer]] == 1;
            match self.renamed_component(&pointer, &gone, shape_is_unique) {
                Some((old_pointer, name)) => {
                    self.doc
                        .moved_prefixes
                        .push((format!("{pointer}/"), format!("{old_pointer}/")));
                    self.doc.components.insert(key.clone(), name);
                }
                None => fresh.push(key),
            }
        }
        for key in fresh {
            let (mut name, hint_base) = names::component_type_name(key);
            // A later document's component whose name an earlier one has: `V1Error`.
            if self.doc.index > 0 && !self.type_names.is_free(&name) {
                name = format!("{}{name}", names::type_name(self.doc.name));
            }
            let name = self.type_names.claim(name);
            if let Some(base) = hint_base {
                self.hint_bases.insert(name.clone(), base);
            }
            self.doc.components.insert(key.clone(), name);
        }
    }

    /// Locked components the document no longer has, by the type name their key spells.
    fn gone_components(&mut self) -> BTreeMap<String, Vec<(&'a String, &'a LockedType)>> {
        let lock = self.lock();
        let by_spelling = self.locked_components().clone();
        let mut gone: BTreeMap<String, Vec<(&'a String, &'a LockedType)>> = BTreeMap::new();
        for (spelling, pointers) in by_spelling {
            for pointer in pointers {
                let Some((old, locked)) = lock.types.get_key_value(&pointer) else {
                    continue;
                };
                if !self.doc.component_shapes.contains_key(old) {
                    gone.entry(spelling.clone())
                        .or_default()
                        .push((old, locked));
                }
            }
        }
        gone
    }

    /// A locked component that is no longer in the document and is this one renamed: one whose
    /// key spells the same type name (`GraphOperation_User` for `GraphOperation-User`), else
    /// the only one with exactly this one's shape, when no other new component has it.
    fn renamed_component(
        &mut self,
        pointer: &str,
        gone: &BTreeMap<String, Vec<(&'a String, &'a LockedType)>>,
        shape_is_unique: bool,
    ) -> Option<(String, String)> {
        if self.names.rederive {
            return None;
        }
        let shape = self.doc.component_shapes.get(pointer)?;
        let key = pointer.strip_prefix(COMPONENT_PREFIX).unwrap_or(pointer);
        let free =
            |(_, locked): &&(&String, &LockedType)| !self.used_locked_names.contains(&locked.name);
        let same_spelling = gone
            .get(&names::type_name(&unescape_pointer(key)))
            .and_then(|c| c.iter().find(free));
        let same_shape = || {
            if !shape_is_unique {
                return None;
            }
            let mut matching = gone
                .values()
                .flatten()
                .filter(free)
                .filter(|(_, l)| l.shape.as_ref() == Some(shape));
            let only = matching.next()?;
            matching.next().is_none().then_some(only)
        };
        let (old, locked) = same_spelling.or_else(same_shape)?;
        let found = ((*old).clone(), locked.name.clone());
        if !self.claim_locked(&found.1) {
            return None;
        }
        self.used_locked_names.insert(found.1.clone());
        Some(found)
    }

    /// The name the lock gives the schema at `pointer`, unless another schema already took it:
    /// by its pointer, or, for an operation's body schema the lock does not know, the name the
    /// operation's body had there (a component the document now writes inline). Its inline
    /// types then follow the old component's.
    pub(super) fn locked_type_name(&mut self, pointer: &str) -> Option<String> {
        if self.names.rederive {
            return None;
        }
        let name = match self.locked_entry(pointer) {
            Some(locked) => locked.name.clone(),
            None => {
                let name = self.positional_name(pointer)?;
                if self.used_locked_names.contains(&name) {
                    return None;
                }
                if let Some((old, _)) = self.lock().types.iter().find(|(_, t)| t.name == name) {
                    self.doc
                        .moved_prefixes
                        .push((format!("{}/", erase_parameters(pointer)), format!("{old}/")));
                }
                name
            }
        };
        if self.used_locked_names.contains(&name) {
            self.warn(
                pointer,
                format!("the lock names two schemas {name}; this one gets a new name"),
            );
            return None;
        }
        // A gone schema's name another new one took first.
        if !self.claim_locked(&name) {
            return None;
        }
        if self.used_locked_names.insert(name.clone()) {
            Some(name)
        } else {
            self.warn(
                pointer,
                format!("the lock names two schemas {name}; this one gets a new name"),
            );
            None
        }
    }

    /// The type name the lock records for the operation body at `pointer`
    /// (`/paths/{p}/{method}/requestBody/content/{media type}/schema`, or
    /// `…/responses/{status}/content/{media type}/schema`).
    fn positional_name(&self, pointer: &str) -> Option<String> {
        let rest = pointer.strip_prefix("/paths/")?;
        let mut tokens = rest.split('/');
        let path = unescape_pointer(tokens.next()?);
        let method = tokens.next()?;
        let tokens: Vec<&str> = tokens.collect();
        let position = match tokens.as_slice() {
            ["requestBody", "content", _, "schema"] => "request",
            ["responses", status, "content", _, "schema"] => status,
            _ => return None,
        };
        let locked = self.lock().operations.get(&endpoint_key(method, &path))?;
        locked.types.get(position).cloned()
    }

    /// The lock's entry for the schema at `pointer`, also under the pointer it had before its
    /// component was renamed, and, for an inline `allOf` member of a component, under the
    /// component converters make of it (`X_allOf`).
    fn locked_entry(&mut self, pointer: &str) -> Option<&'a LockedType> {
        let key = erase_parameters(pointer);
        let types = &self.lock().types;
        let mut keys = vec![key.clone()];
        keys.extend(self.doc.moved_prefixes.iter().filter_map(|(new, old)| {
            let rest = key.strip_prefix(new.as_str())?;
            Some(format!("{old}{rest}"))
        }));
        if let Some(found) = keys.iter().find_map(|k| types.get(k)) {
            return Some(found);
        }
        let by_spelling = self.locked_components();
        keys.iter().find_map(|k| {
            let (component, rest) = all_of_member(k)?;
            let wanted = names::type_name(&format!("{component}_allOf"));
            let old = by_spelling.get(&wanted)?.first()?;
            types.get(&format!("{old}{rest}"))
        })
    }

    /// Records every type in the lock handed on, with the aliases it keeps: those still within
    /// their release and, when names are derived anew, its locked name if that changed.
    pub(super) fn lock_types(&mut self, types: &mut BTreeMap<String, TypeDef>) {
        let mut taken: BTreeSet<String> = types.keys().cloned().collect();
        for def in types.values_mut() {
            self.enter(def.document);
            let key = erase_parameters(&def.origin);
            let mut aliases: Vec<TypeAlias> = Vec::new();
            if let Some(old) = self.locked_entry(&def.origin) {
                aliases.extend(
                    old.renamed_from
                        .iter()
                        .filter(|a| self.names.keeps(&a.deprecated_in))
                        .cloned(),
                );
                if self.names.rederive && old.name != def.name {
                    aliases.push(TypeAlias {
                        name: old.name.clone(),
                        deprecated_in: self.names.next_release(),
                    });
                }
            }
            // An alias may not shadow a type (or another alias) of this generation.
            aliases.retain(|alias| taken.insert(alias.name.clone()));
            def.renamed_from = aliases.iter().map(|a| a.name.clone()).collect();
            self.doc.lock_out.types.entry(key).or_insert(LockedType {
                name: def.name.clone(),
                shape: self.doc.component_shapes.get(&def.origin).cloned(),
                renamed_from: aliases,
            });
        }
    }
}

/// Whether the document has a node at `key`, a lock key (a JSON pointer whose path templates'
/// parameter names are erased: `/paths/~1things~1{}`).
fn pointer_exists(tree: &serde_json::Value, key: &str) -> bool {
    let mut node = tree;
    for token in key.split('/').skip(1) {
        let found = match node {
            serde_json::Value::Object(map) => match map.get(&unescape_pointer(token)) {
                Some(child) => Some(child),
                None if token.contains("{}") => map
                    .iter()
                    .find(|(k, _)| erase_parameters(&escape_pointer(k)) == token)
                    .map(|(_, child)| child),
                None => None,
            },
            serde_json::Value::Array(items) => {
                token.parse::<usize>().ok().and_then(|i| items.get(i))
            }
            _ => None,
        };
        match found {
            Some(child) => node = child,
            None => return false,
        }
    }
    true
}

/// The component key and the rest of the pointer of an inline `allOf` member's schema
/// (`/components/schemas/X/allOf/1/properties/type` is `X` and `/properties/type`), which
/// converters write as a component of its own, `X_allOf`.
fn all_of_member(pointer: &str) -> Option<(String, String)> {
    let rest = pointer.strip_prefix(COMPONENT_PREFIX)?;
    let (component, rest) = rest.split_once("/allOf/")?;
    let (index, rest) = rest.split_once('/').unwrap_or((rest, ""));
    index.parse::<usize>().ok()?;
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!("/{rest}")
    };
    Some((unescape_pointer(component), rest))
}

/// A digest of what a component schema says, without any name: its type and format, its
/// properties (name and kind), required list, enum values and composition.
fn shape_digest(schema: &ReferenceOr<Schema>) -> String {
    fn kind(schema: &ReferenceOr<impl std::borrow::Borrow<Schema>>) -> String {
        match schema {
            ReferenceOr::Reference { .. } => "ref".into(),
            ReferenceOr::Item(schema) => {
                let v = view(schema.borrow());
                format!("{}:{}", v.typ.unwrap_or("any"), v.format.unwrap_or(""))
            }
        }
    }
    let mut text = String::new();
    match schema {
        ReferenceOr::Reference { .. } => text.push_str("ref"),
        ReferenceOr::Item(schema) => {
            let v = view(schema);
            text.push_str(&kind(&ReferenceOr::Item(schema)));
            for (name, property) in &v.properties {
                text.push_str(&format!("|p:{name}={}", kind(property)));
            }
            let mut required: Vec<&String> = v.required.clone();
            required.sort();
            text.push_str(&format!("|r:{required:?}|e:{:?}", v.enumeration));
            if let Some(items) = v.items {
                text.push_str(&format!("|i:{}", kind(items)));
            }
            for (keyword, members) in [("all", v.all_of), ("one", v.one_of), ("any", v.any_of)] {
                let kinds: Vec<String> = members.iter().map(kind).collect();
                text.push_str(&format!("|{keyword}:{kinds:?}"));
            }
        }
    }
    let digest = Sha256::digest(text.as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The names chosen for one operation before it is lowered.
pub(super) struct OperationNames {
    pub(super) group: Group,
    pub(super) method_name: String,
    pub(super) builder_name: String,
    /// Aliases to keep, as the lock records them.
    aliases: Vec<OperationAlias>,
}

/// One operation as found in the document, with the names today's rules give it.
pub(super) struct Found<'f> {
    /// The index of its document.
    pub(super) document: usize,
    pub(super) operation_id: &'f str,
    pub(super) method: Method,
    pub(super) path: &'f str,
    pub(super) fresh_group: Group,
    pub(super) fresh_method: String,
}

/// The per-group scopes method and builder names are claimed in.
#[derive(Default)]
pub(super) struct GroupScopes {
    methods: BTreeMap<String, Scope>,
    builders: BTreeMap<String, Scope>,
}

impl GroupScopes {
    /// The builder scope of a group (where response enums are claimed too).
    pub(super) fn builders(&mut self, group: &Group) -> &mut Scope {
        self.builders
            .entry(group.module.clone())
            .or_insert_with(|| Scope::with_reserved(&[group.type_name.as_str()]))
    }

    fn methods(&mut self, module: &str) -> &mut Scope {
        self.methods.entry(module.to_owned()).or_default()
    }
}

impl<'a> Lowerer<'a> {
    /// Every operation's group, method and builder: the locked ones kept (claimed first, so no
    /// new operation takes them), the others from today's rules. An operation is the lock's
    /// when its endpoint key is there, or when it moved: its operationId is that of a locked
    /// endpoint the document no longer has.
    pub(super) fn choose_operation_names(
        &mut self,
        found: &[Found<'_>],
        scopes: &mut GroupScopes,
    ) -> Vec<OperationNames> {
        let keys: BTreeSet<(usize, String)> = found
            .iter()
            .map(|f| (f.document, endpoint_key(f.method.as_str(), f.path)))
            .collect();
        let rederive = self.names.rederive;
        // Per document: its locked endpoints it no longer has, by operationId.
        let moved_from: Vec<BTreeMap<&str, &LockedOperation>> = (0..self.sources.len())
            .map(|document| {
                let operations = self.lock_of(document).operations.iter();
                operations
                    .filter(|(key, _)| !keys.contains(&(document, (*key).clone())))
                    .map(|(_, locked)| (locked.operation_id.as_str(), locked))
                    .collect()
            })
            .collect();
        let groups_by_module: BTreeMap<&str, &Group> = found
            .iter()
            .map(|f| (f.fresh_group.module.as_str(), &f.fresh_group))
            .collect();
        let group_named = |module: &str, f: &Found<'_>| match groups_by_module.get(module) {
            Some(group) => (*group).clone(),
            None => Group {
                tag: f.fresh_group.tag.clone(),
                module: module.to_owned(),
                type_name: names::group_type_name(module),
            },
        };
        let renames = self.renames(&keys);
        let mut chosen: Vec<(Option<&LockedOperation>, bool, OperationNames)> = found
            .iter()
            .map(|f| {
                let key = (f.document, endpoint_key(f.method.as_str(), f.path));
                let locked = self
                    .lock_of(f.document)
                    .operations
                    .get(&key.1)
                    .or_else(|| moved_from[f.document].get(f.operation_id).copied());
                let names = match (locked, renames.get(&key)) {
                    // A maintainer's rename (`naming.renames`): `method` or `group.method`.
                    (_, Some(call)) => {
                        let (module, method) = call
                            .split_once('.')
                            .unwrap_or((&f.fresh_group.module, call));
                        OperationNames {
                            group: group_named(module, f),
                            method_name: names::value_name(method),
                            builder_name: names::builder_name(&names::value_name(method)),
                            aliases: Vec::new(),
                        }
                    }
                    (Some(locked), None) if !rederive => {
                        let (module, method) = locked.group_and_method();
                        OperationNames {
                            group: group_named(module, f),
                            method_name: method.to_owned(),
                            builder_name: locked.builder.clone(),
                            aliases: Vec::new(),
                        }
                    }
                    _ => OperationNames {
                        group: f.fresh_group.clone(),
                        builder_name: names::builder_name(&f.fresh_method),
                        method_name: f.fresh_method.clone(),
                        aliases: Vec::new(),
                    },
                };
                (locked, rederive || renames.contains_key(&key), names)
            })
            .collect();
        // Locked names first, then new ones, each in document-independent (sorted) order.
        let kept = |locked: &Option<&LockedOperation>, renamed: bool| locked.is_some() && !renamed;
        for pass_kept in [true, false] {
            let pass = chosen
                .iter_mut()
                .filter(|(l, renamed, _)| kept(l, *renamed) == pass_kept);
            for (locked, renamed, names) in pass {
                let module = names.group.module.clone();
                names.method_name = scopes.methods(&module).claim(names.method_name.clone());
                names.builder_name = scopes
                    .builders(&names.group)
                    .claim(names.builder_name.clone());
                if let Some(locked) = locked {
                    names.aliases = self.aliases_of(locked, names, *renamed);
                }
            }
        }
        // Aliases last: one that clashes with a name of this generation is dropped.
        for (_, _, names) in &mut chosen {
            let module = names.group.module.clone();
            names.aliases.retain(|alias| {
                let free = scopes.methods(&module).is_free(&alias.method)
                    && scopes.builders(&names.group).is_free(&alias.builder);
                if free {
                    scopes.methods(&module).take(&alias.method);
                    scopes.builders(&names.group).take(&alias.builder);
                }
                free
            });
        }
        chosen.into_iter().map(|(_, _, names)| names).collect()
    }

    /// `Settings::naming.renames` by document and endpoint key. An endpoint is written
    /// `GET /path`, or `v1 GET /path` where several documents have it; a rename of an endpoint
    /// no document has, or of one several have without saying which, is reported and ignored.
    fn renames(&mut self, keys: &BTreeSet<(usize, String)>) -> BTreeMap<(usize, String), String> {
        let settings: &'a crate::Settings = self.settings;
        let sources = self.sources;
        let mut renames = BTreeMap::new();
        for (endpoint, call) in &settings.naming.renames {
            let mut words = endpoint.split_whitespace();
            let first = words.next().unwrap_or("");
            // A rename in a declared document this generation does not read waits for it.
            let declared = settings.documents.iter().any(|d| d.name == first);
            let named = sources
                .iter()
                .position(|s| !s.name.is_empty() && s.name == first);
            if declared && named.is_none() {
                continue;
            }
            let rest: Vec<&str> = words.collect();
            let (method, path) = match (named, rest.as_slice()) {
                (Some(_), [method, path]) => (*method, *path),
                (None, [path]) => (first, *path),
                _ => ("", ""),
            };
            let key = endpoint_key(method, path);
            let matching: Vec<usize> = (0..sources.len())
                .filter(|document| named.is_none_or(|n| n == *document))
                .filter(|document| keys.contains(&(*document, key.clone())))
                .collect();
            match matching.as_slice() {
                [document] => {
                    renames.insert((*document, key), call.clone());
                }
                [] => self.warn(
                    "/paths",
                    format!("naming.renames names `{endpoint}`, which the document does not have"),
                ),
                _ => self.warn(
                    "/paths",
                    format!(
                        "naming.renames names `{endpoint}`, which several documents have: \
                         write it `DOCUMENT {endpoint}`"
                    ),
                ),
            }
        }
        renames
    }

    /// The aliases an operation keeps: the lock's, while their release lasts, and its locked
    /// name when its name was derived anew or renamed (`renamed`) and changed (within the same
    /// group only: an alias is a method of the group's handle).
    fn aliases_of(
        &mut self,
        locked: &LockedOperation,
        names: &OperationNames,
        renamed: bool,
    ) -> Vec<OperationAlias> {
        let mut aliases: Vec<OperationAlias> = locked
            .renamed_from
            .iter()
            .filter(|a| self.names.keeps(&a.deprecated_in))
            .cloned()
            .collect();
        let (module, method) = locked.group_and_method();
        if renamed && (module, method) != (&*names.group.module, &*names.method_name) {
            if module == names.group.module {
                aliases.push(OperationAlias {
                    method: method.to_owned(),
                    builder: locked.builder.clone(),
                    deprecated_in: self.names.next_release(),
                });
            } else {
                let call = format!("{}.{}", names.group.module, names.method_name);
                self.warn(
                    "/paths",
                    format!(
                        "{} moves to {call}; the old call cannot stay as an alias",
                        locked.call
                    ),
                );
            }
        }
        aliases
    }

    /// Records an operation in the lock handed on and sets its deprecated calls (a response
    /// enum's alias only where its name is free).
    pub(super) fn lock_operation(
        &mut self,
        operation: &mut Operation,
        names: OperationNames,
        scopes: &mut GroupScopes,
    ) {
        operation.renamed_from = names
            .aliases
            .iter()
            .map(|alias| DeprecatedCall {
                method_name: alias.method.clone(),
                builder_name: alias.builder.clone(),
                response_enum: operation.response_enum.as_ref().and_then(|_| {
                    let name = names::response_enum_name(&alias.builder);
                    let scope = scopes.builders(&operation.group);
                    scope.take(&name).then_some(name)
                }),
            })
            .collect();
        self.doc.lock_out.operations.insert(
            endpoint_key(operation.method.as_str(), &operation.path),
            LockedOperation {
                call: format!("{}.{}", operation.group.module, operation.method_name),
                builder: operation.builder_name.clone(),
                operation_id: operation.operation_id.clone(),
                types: body_types(operation),
                renamed_from: names.aliases,
            },
        );
    }
}

/// The named types of an operation's request body and responses, by position.
fn body_types(operation: &Operation) -> BTreeMap<String, String> {
    let mut types = BTreeMap::new();
    let named = |ty: &crate::ir::TypeRef| match ty {
        crate::ir::TypeRef::Named(name) => Some(name.clone()),
        _ => None,
    };
    if let Some(crate::ir::RequestBody {
        kind: crate::ir::BodyKind::Json(ty),
        ..
    }) = &operation.body
    {
        types.extend(named(ty).map(|name| ("request".to_owned(), name)));
    }
    for success in &operation.success {
        if let crate::ir::ResponseBody::Json(ty) = &success.body {
            types.extend(named(ty).map(|name| (success.status.to_string(), name)));
        }
    }
    for error in &operation.errors {
        let status = error.status.map_or("default".to_owned(), |s| s.to_string());
        types.extend(
            error
                .body
                .as_ref()
                .and_then(named)
                .map(|name| (status, name)),
        );
    }
    types
}

/// What this generation leaves the lock without: the calls of endpoints it no longer has
/// (neither by key nor, moved, by operationId) and the names of types it no longer has, over
/// every document (`first` names the first, which an unnamed section of `old` belongs to).
pub fn removed_from(old: &NameLock, new: &NameLock, first: &str) -> (Vec<String>, Vec<String>) {
    let (mut calls, mut types) = (Vec::new(), Vec::new());
    for (name, before) in &old.documents {
        let after = new
            .documents
            .get(if name.is_empty() { first } else { name });
        let after = after.unwrap_or(&EMPTY_LOCK);
        let ids: BTreeSet<&str> = after
            .operations
            .values()
            .map(|o| &*o.operation_id)
            .collect();
        let names: BTreeSet<&str> = after.types.values().map(|t| t.name.as_str()).collect();
        calls.extend(
            before
                .operations
                .iter()
                .filter(|(key, o)| {
                    !after.operations.contains_key(*key) && !ids.contains(&*o.operation_id)
                })
                .map(|(_, o)| o.call.clone()),
        );
        types.extend(
            before
                .types
                .iter()
                .filter(|(key, t)| !after.types.contains_key(*key) && !names.contains(&*t.name))
                .map(|(_, t)| t.name.clone()),
        );
    }
    (calls, types)
}
