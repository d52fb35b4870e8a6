//! Every `$ref` is resolved here: a local reference (`#/components/<section>/<key>`) to the
//! component it names, following references that lead to references, with a bound so a cycle
//! is an error rather than a hang.
use super::Lowerer;
use crate::ir::TypeRef;
use crate::load::unescape_pointer;
use crate::LoadError;
use openapiv3::{Components, Parameter, ReferenceOr, RequestBody, Response, Schema};

/// The component sections a reference can name.
#[derive(Debug, Clone, Copy)]
pub(super) enum Section {
    Schemas,
    Parameters,
    RequestBodies,
    Responses,
}

impl Section {
    fn prefix(self) -> &'static str {
        match self {
            Section::Schemas => "#/components/schemas/",
            Section::Parameters => "#/components/parameters/",
            Section::RequestBodies => "#/components/requestBodies/",
            Section::Responses => "#/components/responses/",
        }
    }
}

/// How many references in a row are followed before a chain counts as a cycle.
const MAX_CHAIN: usize = 64;

/// The component key `reference` names in `section` (unescaped), or an error at `pointer`.
pub(super) fn component_key(
    reference: &str,
    section: Section,
    pointer: &str,
) -> Result<String, LoadError> {
    reference
        .strip_prefix(section.prefix())
        .map(unescape_pointer)
        .ok_or_else(|| unresolved(reference, pointer))
}

/// A component item of one section, following references to references. Returns the item and
/// the key of the component that holds it.
pub(super) fn resolve<'a, T>(
    components: Option<&'a Components>,
    section_of: impl Fn(&'a Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    section: Section,
    reference: &str,
    pointer: &str,
) -> Result<(&'a T, String), LoadError> {
    let map = components.map(section_of);
    let mut key = component_key(reference, section, pointer)?;
    for _ in 0..MAX_CHAIN {
        match map.and_then(|map| map.get(&key)) {
            Some(ReferenceOr::Item(item)) => return Ok((item, key)),
            Some(ReferenceOr::Reference { reference: next }) => {
                key = component_key(next, section, pointer)
                    .map_err(|_| unresolved(reference, pointer))?;
            }
            None => return Err(unresolved(reference, pointer)),
        }
    }
    Err(LoadError {
        pointer: pointer.into(),
        message: format!("reference cycle through {reference}"),
    })
}

impl<'a> Lowerer<'a> {
    /// The item a reference names in one section of the components, and its key.
    fn component<T>(
        &self,
        section_of: impl Fn(&'a Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
        section: Section,
        reference: &str,
        pointer: &str,
    ) -> Result<(&'a T, String), LoadError> {
        let components = self.document.components.as_ref();
        resolve(components, section_of, section, reference, pointer)
    }

    /// The type a schema reference names: the component's Rust type (aliases carry chains).
    pub(super) fn resolve_schema_ref(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        let key = component_key(reference, Section::Schemas, pointer)?;
        self.doc
            .components
            .get(&key)
            .map(|name| TypeRef::Named(name.clone()))
            .ok_or_else(|| unresolved(reference, pointer))
    }

    /// The schema a reference points at, for merging (`allOf`) and multipart parts.
    pub(super) fn schema_at(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<&'a Schema, LoadError> {
        let found = self.component(|c| &c.schemas, Section::Schemas, reference, pointer)?;
        Ok(found.0)
    }

    /// A parameter reference: the parameter and its component key.
    pub(super) fn parameter_at(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<(&'a Parameter, String), LoadError> {
        self.component(|c| &c.parameters, Section::Parameters, reference, pointer)
    }

    pub(super) fn request_body_at(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<&'a RequestBody, LoadError> {
        let found = self.component(
            |c| &c.request_bodies,
            Section::RequestBodies,
            reference,
            pointer,
        )?;
        Ok(found.0)
    }

    pub(super) fn response_at(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<&'a Response, LoadError> {
        let found = self.component(|c| &c.responses, Section::Responses, reference, pointer)?;
        Ok(found.0)
    }
}

pub(super) fn unresolved(reference: &str, pointer: &str) -> LoadError {
    LoadError {
        pointer: pointer.to_owned(),
        message: format!("unresolved reference {reference:?}"),
    }
}
