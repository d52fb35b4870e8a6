//! Stage 2: the openapiv3 model to the IR. References are resolved, names chosen, constructs
//! checked; anything that has to be degraded is reported with its JSON pointer.
//!
//! One file per concern: [`refs`] resolves every `$ref`, [`view`] reads a schema's many
//! openapiv3 shapes uniformly, [`schemas`] turns schemas into types, [`compose`] handles
//! `allOf`/`oneOf`/`anyOf`, [`boxing`] breaks recursive containment, [`operations`] walks the
//! paths, with [`params`], [`bodies`] and [`responses`] for an operation's parts, [`slots`] for
//! what the caller gives, [`pagination`] for list operations and [`groups`] for where each
//! operation goes.
mod bodies;
mod boxing;
mod compose;
mod groups;
mod locked;
mod operations;
mod pagination;
mod params;
mod refs;
mod responses;
mod schemas;
mod slots;
mod view;

#[cfg(test)]
mod tests;

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{Api, Testkit, TypeDef, TypeKind, TypeRef};
use crate::lock::{NameContext, NameLock};
use crate::names::Scope;
use crate::{LoadError, Settings};
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use locked::removed_from;
pub use params::path_template_names;

/// Lowers a parsed document into the IR, with no names carried over.
pub fn lower(
    document: &OpenAPI,
    sha256: &str,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Api, LoadError> {
    lower_named(
        document,
        sha256,
        settings,
        &NameContext::default(),
        diagnostics,
    )
}

/// Lowers a parsed document into the IR, keeping the names `names.lock` carries.
pub fn lower_named(
    document: &OpenAPI,
    sha256: &str,
    settings: &Settings,
    names: &NameContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Api, LoadError> {
    let mut lowerer = Lowerer::new(document, settings, names, diagnostics);
    lowerer.lower_components()?;
    let mut operations = lowerer.lower_operations()?;
    let mut types = std::mem::take(&mut lowerer.types);
    lowerer.lock_types(&mut types);
    boxing::mark_recursive_fields(&mut types);
    schemas::assign_field_shapes(&mut types, settings);
    compose::order_alternatives(&mut types);
    let error_bodies = responses::name_error_bodies(&mut operations);
    responses::mark_list_bodies(&mut operations, &types);
    Ok(Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        sha256: sha256.to_owned(),
        types,
        operations,
        group_features: settings.group_features,
        error_bodies,
        testkit: settings.testkit.as_ref().map(|testkit| Testkit {
            sdk_crate: testkit.sdk_crate.clone(),
            support: testkit.support.clone(),
        }),
        lock: lowerer.lock_out,
    })
}

/// The state of one lowering: the document, what has been lowered so far and the names taken.
struct Lowerer<'a> {
    document: &'a OpenAPI,
    settings: &'a Settings,
    names: &'a NameContext,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// The lock this generation hands on.
    lock_out: NameLock,
    /// Locked type names handed out so far.
    used_locked_names: BTreeSet<String>,
    /// Component schemas' shape digests, by pointer.
    component_shapes: BTreeMap<String, String>,
    /// Renamed components: the new pointer prefix and the one the lock knows.
    moved_prefixes: Vec<(String, String)>,
    /// Types whose inline types are named from another base than their own name
    /// (`names::component_type_name`).
    hint_bases: BTreeMap<String, String>,
    /// The lock's components by the type name their key spells (`locked::locked_components`).
    locked_components: Option<BTreeMap<String, Vec<String>>>,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// Component schema key to its Rust type name.
    components: BTreeMap<String, String>,
    /// Inline schemas already given a type, by JSON pointer, so a schema reached twice (through
    /// `allOf`, for example) yields one type.
    inline: HashMap<String, TypeRef>,
    /// How many inline schemas the one being lowered sits in.
    nesting: usize,
}

impl<'a> Lowerer<'a> {
    fn new(
        document: &'a OpenAPI,
        settings: &'a Settings,
        names: &'a NameContext,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        let mut lowerer = Lowerer {
            document,
            settings,
            names,
            diagnostics,
            lock_out: NameLock::default(),
            used_locked_names: BTreeSet::new(),
            component_shapes: BTreeMap::new(),
            moved_prefixes: Vec::new(),
            hint_bases: BTreeMap::new(),
            locked_components: None,
            types: BTreeMap::new(),
            type_names: Scope::default(),
            components: BTreeMap::new(),
            inline: HashMap::new(),
            nesting: 0,
        };
        lowerer.type_names = lowerer.initial_type_scope();
        lowerer
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn insert_type(&mut self, name: &str, origin: &str, kind: TypeKind) {
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                origin: origin.to_owned(),
                kind,
                renamed_from: Vec::new(),
            },
        );
    }
}
