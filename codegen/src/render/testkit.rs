//! The tests crate's view of the generated types: which Rust type each JSON pointer of the
//! document (component schema, parameter, request or response media type) decodes into, so a
//! test can round-trip the document's examples without knowing the generator's naming.
use super::types::{type_tokens, Scope};
use crate::ir::{Api, BodyKind, ResponseBody, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

const COMPONENT_SCHEMAS: &str = "/components/schemas/";

pub fn root_module() -> TokenStream {
    quote! {
        //! Generated helpers for the tests crate.
        pub mod examples;
    }
}

/// `examples.rs`: `roundtrip(pointer, value)`, one match arm per distinct type.
pub fn examples_module(api: &Api) -> TokenStream {
    let arms = pointer_types(api).into_iter().map(|(ty, pointers)| {
        let ty = type_tokens(&ty, Scope::Outside);
        let pointers = pointers.iter();
        quote!(#(#pointers)|* => run::<#ty>(value),)
    });
    quote! {
        //! The generated type behind each JSON pointer of the document that carries a schema.
        use jumpcloud_sdk::models;

        /// Decodes `value` into the type generated for the schema, parameter or media type
        /// object at `pointer` and encodes it back; `None` when no JSON type is generated there.
        /// A decoding error names the path of the value that failed.
        pub fn roundtrip(
            pointer: &str,
            value: ::serde_json::Value,
        ) -> Option<Result<::serde_json::Value, String>> {
            Some(match pointer {
                #(#arms)*
                _ => return None,
            })
        }

        fn run<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(
            value: ::serde_json::Value,
        ) -> Result<::serde_json::Value, String> {
            let decoded: T = ::serde_path_to_error::deserialize(value)
                .map_err(|error| format!("decoding at {}: {}", error.path(), error.inner()))?;
            ::serde_json::to_value(&decoded).map_err(|error| format!("encoding: {error}"))
        }
    }
}

/// Every pointer with a generated JSON type, grouped by type (both sorted). A pointer reached
/// twice (a path-level parameter shared by the path's operations) keeps its first type.
fn pointer_types(api: &Api) -> BTreeMap<TypeRef, BTreeSet<String>> {
    let mut by_pointer: BTreeMap<String, TypeRef> = BTreeMap::new();
    let mut add = |pointer: &str, ty: &TypeRef| {
        by_pointer
            .entry(pointer.to_owned())
            .or_insert_with(|| ty.clone());
    };
    for def in api.types.values() {
        let is_component = def
            .origin
            .strip_prefix(COMPONENT_SCHEMAS)
            .is_some_and(|key| !key.contains('/'));
        if is_component {
            add(&def.origin, &TypeRef::Named(def.name.clone()));
        }
    }
    for op in &api.operations {
        // An undeclared path parameter points at its operation, which has no example of it.
        for param in op.params.iter().filter(|p| p.pointer != op.origin) {
            add(&param.pointer, &param.ty);
        }
        if let Some(body) = &op.body {
            if let BodyKind::Json(ty) = &body.kind {
                add(&body.pointer, ty);
            }
        }
        for success in &op.success {
            if let (ResponseBody::Json(ty), Some(pointer)) = (&success.body, &success.pointer) {
                add(pointer, ty);
            }
        }
        for error in &op.errors {
            if let (Some(ty), Some(pointer)) = (&error.body, &error.pointer) {
                add(pointer, ty);
            }
        }
    }
    let mut by_type: BTreeMap<TypeRef, BTreeSet<String>> = BTreeMap::new();
    for (pointer, ty) in by_pointer {
        by_type.entry(ty).or_default().insert(pointer);
    }
    by_type
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"
openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    put:
      parameters:
        - $ref: '#/components/parameters/limit'
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/a~1b'}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        "404":
          description: missing
          content:
            text/plain:
              schema: {type: string}
        default:
          description: error
          content:
            application/json:
              schema: {type: string}
components:
  parameters:
    limit: {name: limit, in: query, schema: {type: integer}}
  schemas:
    Pet:
      type: object
      properties:
        tag: {type: object, properties: {name: {type: string}}}
    a/b: {type: object, properties: {x: {type: string}}}
"#;

    #[test]
    fn pointers_are_grouped_by_type() {
        let loaded = crate::load::load(DOC).unwrap();
        let api = crate::lower::lower(
            &loaded.document,
            &loaded.sha256,
            &crate::Settings::default(),
            &mut Vec::new(),
        )
        .unwrap();
        let grouped: Vec<(TypeRef, Vec<String>)> = pointer_types(&api)
            .into_iter()
            .map(|(ty, pointers)| (ty, pointers.into_iter().collect()))
            .collect();
        let op = "/paths/~1pets~1{id}/put";
        assert_eq!(
            grouped,
            [
                (
                    TypeRef::Named("AB".into()),
                    vec![
                        "/components/schemas/a~1b".to_owned(),
                        format!("{op}/requestBody/content/application~1json"),
                    ]
                ),
                (
                    TypeRef::Named("Pet".into()),
                    vec![
                        "/components/schemas/Pet".to_owned(),
                        format!("{op}/responses/200/content/application~1json"),
                    ]
                ),
                (
                    TypeRef::String,
                    vec![
                        "/paths/~1pets~1{id}/parameters/0".to_owned(),
                        format!("{op}/responses/default/content/application~1json"),
                    ]
                ),
                (TypeRef::I64, vec![format!("{op}/parameters/0")]),
            ]
        );
    }
}
