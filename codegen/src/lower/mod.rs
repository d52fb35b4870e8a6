//! Stage 2: the openapiv3 model to the IR. References are resolved, names chosen, constructs
//! checked; anything that has to be degraded is reported with its JSON pointer.
//!
//! One file per concern: `refs` resolves every `$ref`, `view` reads a schema's many
//! openapiv3 shapes uniformly, `schemas` turns schemas into types, `compose` handles
//! `allOf`/`oneOf`/`anyOf`, `boxing` breaks recursive containment, `operations` walks the
//! paths, with `params`, `bodies` and `responses` for an operation's parts, `slots` for
//! what the caller gives, `pagination` for list operations, `groups` for where each
//! operation goes and `reach` for which types are generated at all.
mod bodies;
mod boxing;
mod compose;
mod facts;
mod groups;
mod layout;
mod locked;
mod operations;
mod pagination;
mod params;
mod reach;
mod refs;
mod responses;
mod schemas;
mod services;
mod slots;
mod view;

#[cfg(test)]
mod tests;

use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{Api, Testkit, TypeDef, TypeKind, TypeRef};
use crate::lock::{DocumentLock, NameContext, NameLock};
use crate::names::Scope;
use crate::{DocumentSettings, LoadError, Settings};
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use locked::removed_from;
pub use params::path_template_names;
pub use reach::KEEP_ALL;

/// One document to lower, by the name [`crate::Settings::documents`] gives it (`""` when
/// there is only one, unnamed).
#[derive(Clone, Copy)]
pub struct Source<'d> {
    pub name: &'d str,
    pub document: &'d OpenAPI,
    pub sha256: &'d str,
}

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
    let name = settings.documents.first().map_or("", |d| d.name.as_str());
    let source = Source {
        name,
        document,
        sha256,
    };
    lower_documents(&[source], settings, names, diagnostics)
}

/// Lowers several documents into one IR: one set of types and groups, each operation sent to
/// its own document's servers (`Operation::service`). Names are claimed document by document
/// in the order given, so the first document's win a clash: a later document's component
/// whose name is taken is prefixed with its document's name (`V1Error`).
pub fn lower_documents(
    sources: &[Source<'_>],
    settings: &Settings,
    names: &NameContext,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Api, LoadError> {
    let Some(first) = sources.first() else {
        return Err(LoadError {
            pointer: String::new(),
            message: "no document to generate from".into(),
        });
    };
    let mut lowerer = Lowerer::new(sources, settings, names, diagnostics);
    for index in 0..sources.len() {
        lowerer.enter(index);
        let prefix = lowerer.pointer_prefix();
        lowerer
            .lower_components()
            .map_err(|e| e.in_document(prefix))?;
    }
    let mut operations = lowerer.lower_operations()?;
    let (services, regions) = lowerer.lower_services();
    let mut types = std::mem::take(&mut lowerer.types);
    reach::drop_unreachable(&mut types, &operations, &settings.keep_schemas);
    lowerer.lock_types(&mut types);
    boxing::mark_recursive_fields(&mut types);
    schemas::assign_field_shapes(&mut types, settings);
    compose::order_alternatives(&mut types);
    let error_bodies = responses::name_error_bodies(&mut operations);
    responses::mark_list_bodies(&mut operations, &types);
    let lock = lowerer.finish_lock();
    let reached_by = reach::reached_by(&types, &operations);
    let mut api = Api {
        title: first.document.info.title.clone(),
        version: first.document.info.version.clone(),
        sha256: first.sha256.to_owned(),
        services,
        regions,
        types,
        operations,
        group_features: settings.group_features,
        error_bodies,
        testkit: settings.testkit.as_ref().map(|testkit| Testkit {
            sdk_crate: testkit.sdk_crate.clone(),
            support: testkit.support.clone(),
        }),
        lock,
        reached_by,
        layout: None,
    };
    if let Some(split) = &settings.split {
        let none = BTreeMap::new();
        let locked = match names.rebalance_shards {
            true => &none,
            false => &names.lock.shards,
        };
        let layout = layout::split(&api, split, locked, lowerer.diagnostics);
        api.lock.shards = layout.group_packages();
        api.layout = Some(layout);
    }
    Ok(api)
}

/// What lowering keeps per document: its section of the lock (read and written), its
/// components' names and shapes, and the types its inline schemas were given.
#[derive(Default)]
struct DocumentScope<'a> {
    index: usize,
    name: &'a str,
    /// The lock's section for this document, as the generation starts.
    lock: Option<&'a DocumentLock>,
    /// The section this generation hands on.
    lock_out: DocumentLock,
    /// Component schemas' shape digests, by pointer.
    component_shapes: BTreeMap<String, String>,
    /// Renamed components: the new pointer prefix and the one the lock knows.
    moved_prefixes: Vec<(String, String)>,
    /// The lock's components by the type name their key spells (`locked::locked_components`).
    locked_components: Option<BTreeMap<String, Vec<String>>>,
    /// Component schema key to its Rust type name.
    components: BTreeMap<String, String>,
    /// Inline schemas already given a type, by JSON pointer, so a schema reached twice (through
    /// `allOf`, for example) yields one type.
    inline: HashMap<String, TypeRef>,
}

/// The state of one lowering: the documents, what has been lowered so far and the names taken.
struct Lowerer<'a> {
    sources: &'a [Source<'a>],
    /// The document being lowered (`sources[doc.index]`).
    document: &'a OpenAPI,
    /// Its scope; the other documents' wait in `parked`.
    doc: DocumentScope<'a>,
    parked: Vec<DocumentScope<'a>>,
    settings: &'a Settings,
    names: &'a NameContext,
    diagnostics: &'a mut Vec<Diagnostic>,
    /// Locked type names handed out so far.
    used_locked_names: BTreeSet<String>,
    /// Locked type names of schemas the documents still have: taken from the start.
    reserved_names: BTreeSet<String>,
    /// Types whose inline types are named from another base than their own name
    /// (`names::component_type_name`).
    hint_bases: BTreeMap<String, String>,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// How many inline schemas the one being lowered sits in.
    nesting: usize,
}

impl<'a> Lowerer<'a> {
    fn new(
        sources: &'a [Source<'a>],
        settings: &'a Settings,
        names: &'a NameContext,
        diagnostics: &'a mut Vec<Diagnostic>,
    ) -> Self {
        let scope = |(index, source): (usize, &Source<'a>)| DocumentScope {
            index,
            name: source.name,
            lock: names.lock.document(source.name, index == 0),
            ..DocumentScope::default()
        };
        let mut parked: Vec<DocumentScope<'a>> = sources.iter().enumerate().map(scope).collect();
        let doc = std::mem::take(&mut parked[0]);
        let mut lowerer = Lowerer {
            sources,
            document: sources[0].document,
            doc,
            parked,
            settings,
            names,
            diagnostics,
            used_locked_names: BTreeSet::new(),
            reserved_names: BTreeSet::new(),
            hint_bases: BTreeMap::new(),
            types: BTreeMap::new(),
            type_names: Scope::default(),
            nesting: 0,
        };
        lowerer.type_names = lowerer.initial_type_scope();
        lowerer
    }

    /// Makes document `index` the one being lowered.
    fn enter(&mut self, index: usize) {
        if self.doc.index == index {
            return;
        }
        let current = self.doc.index;
        std::mem::swap(&mut self.doc, &mut self.parked[current]);
        std::mem::swap(&mut self.doc, &mut self.parked[index]);
        self.document = self.sources[index].document;
    }

    /// Every document's section of the lock this generation hands on.
    fn finish_lock(&mut self) -> NameLock {
        let current = self.doc.index;
        std::mem::swap(&mut self.doc, &mut self.parked[current]);
        let documents = self
            .parked
            .iter_mut()
            .map(|scope| (scope.name.to_owned(), std::mem::take(&mut scope.lock_out)))
            .collect();
        NameLock {
            documents,
            shards: BTreeMap::new(),
        }
    }

    /// The settings of the document being lowered, when it is declared.
    fn document_settings(&self) -> Option<&'a DocumentSettings> {
        self.settings_of(self.doc.index)
    }

    /// The settings of document `index`, when it is declared.
    fn settings_of(&self, index: usize) -> Option<&'a DocumentSettings> {
        let settings: &'a Settings = self.settings;
        let name = self.sources[index].name;
        settings.documents.iter().find(|d| d.name == name)
    }

    /// The name pointers into the document being lowered are qualified by: none when it is
    /// the only one.
    fn pointer_prefix(&self) -> &'a str {
        if self.sources.len() > 1 {
            self.doc.name
        } else {
            ""
        }
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            pointer: crate::diagnostics::qualify(self.pointer_prefix(), pointer),
            message: message.into(),
        });
    }

    fn insert_type(&mut self, name: &str, origin: &str, kind: TypeKind) {
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                origin: origin.to_owned(),
                document: self.doc.index,
                kind,
                renamed_from: Vec::new(),
                facts: Default::default(),
            },
        );
    }
}
