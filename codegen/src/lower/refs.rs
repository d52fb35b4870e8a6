//! Every `$ref` is resolved here: a local reference (`#/components/<section>/<key>`) to the
//! component it names, following references that lead to references, with a bound so a cycle
//! is an error rather than a hang.
use super::Lowerer;
use crate::ir::TypeRef;
use crate::LoadError;
use openapiv3::{Components, ReferenceOr};

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
    fn components_of(&self) -> Option<&'a Components> {
        self.document.components.as_ref()
    }

    /// The type a schema reference names: the component's Rust type (aliases carry chains).
    pub(super) fn resolve_schema_ref(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        let key = component_key(reference, Section::Schemas, pointer)?;
        self.components
            .get(&key)
            .map(|name| TypeRef::Named(name.clone()))
            .ok_or_else(|| unresolved(reference, pointer))
    }

    /// The schema a reference points at, for merging (`allOf`) and multipart parts.
    pub(super) fn schema_at(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<&'a openapiv3::Schema, LoadError> {
        let components = self.components_of();
        resolve(components, |c| &c.schemas, Section::Schemas, reference, pointer)
            .map(|(schema, _)| schema)
    }

    /// A parameter reference: the parameter and its component key.
    pub(super) fn parameter_at(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<(&'a openapiv3::Parameter, String), LoadError> {
        let components = self.components_of();
        resolve(
            components,
            |c| &c.parameters,
            Section::Parameters,
            reference,
            pointer,
        )
    }

    pub(super) fn request_body_at(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<&'a openapiv3::RequestBody, LoadError> {
        let components = self.components_of();
        resolve(
            components,
            |c| &c.request_bodies,
            Section::RequestBodies,
            reference,
            pointer,
        )
        .map(|(body, _)| body)
    }

    pub(super) fn response_at(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<&'a openapiv3::Response, LoadError> {
        let components = self.components_of();
        resolve(
            components,
            |c| &c.responses,
            Section::Responses,
            reference,
            pointer,
        )
        .map(|(response, _)| response)
    }
}

/// Reads one JSON pointer token (RFC 6901).
pub(super) fn unescape_pointer(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

pub(super) fn unresolved(reference: &str, pointer: &str) -> LoadError {
    LoadError {
        pointer: pointer.to_owned(),
        message: format!("unresolved reference {reference:?}"),
    }
}
