//! The tests crate's view of the generated code: which Rust type each JSON pointer of the
//! document (component schema, parameter, request or response media type) decodes into, so a
//! test can round-trip the document's examples without knowing the generator's naming; and
//! every operation callable by operationId with arguments given as JSON (`calls.rs`), so a
//! contract test can drive the whole SDK from the document.
use super::types::{ident, type_tokens, Scope};
use crate::ir::{
    Api, BodyKind, Operation, ParamLocation, RequestBody, ResponseBody, SlotRole, SlotValue,
    SuccessResponse, Testkit, TypeKind, TypeRef,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// A Rust path from settings (`my_sdk`, `crate::testkit`) as tokens; settings that are not a
/// path give a file that fails to compile with a message, never a panic.
fn path_tokens(path: &str) -> TokenStream {
    syn::parse_str::<syn::Path>(path)
        .map(|path| quote!(#path))
        .unwrap_or_else(|_| {
            let message = format!("testkit setting {path:?} is not a Rust path");
            quote!(compile_error!(#message))
        })
}

pub fn root_module() -> TokenStream {
    quote! {
        //! Generated helpers for the tests crate.
        pub mod calls;
        pub mod examples;
    }
}

/// `examples.rs`: `roundtrip(pointer, value)`, one match arm per distinct type; with several
/// documents, pointers are qualified by the document's name (`v1#/components/schemas/Error`).
pub fn examples_module(api: &Api, testkit: &Testkit) -> TokenStream {
    let (sdk, support) = (
        path_tokens(&testkit.sdk_crate),
        path_tokens(&testkit.support),
    );
    let arms = pointer_types(api).into_iter().map(|(ty, pointers)| {
        let ty = type_tokens(&ty, Scope::Outside);
        let pointers = pointers.iter();
        quote!(#(#pointers)|* => roundtrip_as::<#ty>(value),)
    });
    quote! {
        //! The generated type behind each JSON pointer of the document that carries a schema.
        use #sdk::models;
        use #support::roundtrip_as;

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

    }
}

/// `calls.rs`: every operation's shape (`OPERATIONS`) and `call`, which performs any operation
/// through the SDK's public API with its arguments given as JSON, and reduces the result to an
/// `Outcome` a test can compare without knowing each operation's Rust types.
pub fn calls_module(api: &Api, testkit: &Testkit) -> TokenStream {
    let (sdk, support) = (
        path_tokens(&testkit.sdk_crate),
        path_tokens(&testkit.support),
    );
    let infos = api.operations.iter().map(|op| operation_info(api, op));
    let arms = api.operations.iter().map(|op| call_arm(api, op, &sdk));
    let error_arms = api.error_bodies.iter().map(|body| {
        let (name, variant) = (ident(&body.variant), &body.variant);
        quote!(ApiErrorBody::#name(body) => (#variant, Payload::json(body)),)
    });
    quote! {
        //! Every operation of the document, callable by operationId through the SDK's public API
        //! with its arguments given as JSON values, and its shape as the generator lowered it.
        //! The types and conversions are the hand-written half of the testkit.
        #![allow(clippy::all, dead_code, unused_mut)]
        use #sdk::{models, ApiErrorBody};
        pub use #support::*;

        /// Every operation, sorted by operationId.
        pub static OPERATIONS: &[Operation] = &[#(#infos),*];

        /// The variant name and the value of an error body.
        pub fn error_body(body: &ApiErrorBody) -> (&'static str, Payload) {
            match body {
                #(#error_arms)*
                ApiErrorBody::Undocumented(bytes) => ("Undocumented", Payload::Bytes(bytes.to_vec())),
                _ => ("Unknown", Payload::Empty),
            }
        }

        /// Performs `operation` with `args` through `client` (each required argument passed
        /// to the method, each optional one given to its setter, `options` to `.options`);
        /// `None` for an operation the SDK does not have.
        pub async fn call(
            client: &#sdk::Client,
            operation: &Operation,
            args: &Args,
            options: #sdk::CallOptions,
        ) -> Option<Outcome> {
            Some(match (operation.document, operation.operation_id) {
                #(#arms)*
                _ => return None,
            })
        }
    }
}

fn operation_info(api: &Api, op: &Operation) -> TokenStream {
    let (operation_id, method, path, pointer) =
        (&op.operation_id, op.method.as_str(), &op.path, &op.origin);
    let document = &api.services[op.service].name;
    let call = super::docs::rust_call(op);
    let params = op.params.iter().map(|p| {
        let name = &p.wire_name;
        let location = match p.location {
            ParamLocation::Path => quote!(Path),
            ParamLocation::Query => quote!(Query),
            ParamLocation::Header => quote!(Header),
            ParamLocation::Cookie => quote!(Cookie),
        };
        let (required, pointer, explode) = (p.required, &p.pointer, p.explode);
        let declared = p.pointer != op.origin;
        quote!(Param { name: #name, location: Location::#location, required: #required, pointer: #pointer, declared: #declared, explode: #explode })
    });
    let body = match &op.body {
        None => quote!(None),
        Some(RequestBody {
            required,
            media_type,
            kind,
            pointer,
        }) => {
            let kind = match kind {
                BodyKind::Json(_) => quote!(BodyKind::Json),
                BodyKind::Bytes => quote!(BodyKind::Bytes),
                BodyKind::Multipart(parts) => {
                    let parts = parts.iter().map(|part| {
                        let (name, required, file) = (&part.wire_name, part.required, part.is_file);
                        quote!(Part { name: #name, required: #required, file: #file })
                    });
                    quote!(BodyKind::Multipart(&[#(#parts),*]))
                }
            };
            quote!(Some(Body { required: #required, media_type: #media_type, pointer: #pointer, kind: #kind }))
        }
    };
    let success = op.success.iter().map(|s| {
        let status = s.status;
        let kind = match s.body {
            ResponseBody::Empty => quote!(Empty),
            ResponseBody::Json(_) => quote!(Json),
            ResponseBody::Bytes { .. } => quote!(Bytes),
        };
        let pointer = option_str(s.pointer.as_deref());
        quote!(Success { status: #status, kind: ResponseKind::#kind, pointer: #pointer })
    });
    let errors = op.errors.iter().map(|e| {
        let status = match e.status {
            Some(status) => quote!(Some(#status)),
            None => quote!(None),
        };
        let variant = e
            .decoded_as
            .as_ref()
            .map_or(crate::names::UNDOCUMENTED_ERROR_VARIANT, |name| {
                name.variant.as_str()
            });
        let pointer = option_str(e.pointer.as_deref());
        quote!(ErrorStatus { status: #status, variant: #variant, pointer: #pointer })
    });
    quote! {
        Operation {
            document: #document,
            operation_id: #operation_id,
            method: #method,
            path: #path,
            pointer: #pointer,
            call: #call,
            params: &[#(#params),*],
            body: #body,
            success: &[#(#success),*],
            errors: &[#(#errors),*],
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}

/// An argument or setter of an operation's builder, as the IR's slots give them.
struct CallSlot<'a> {
    rust_name: &'a str,
    required: bool,
    /// The expression reading the value from `args`, given whether it is required.
    read: TokenStream,
}

fn call_slots(op: &Operation) -> Vec<CallSlot<'_>> {
    op.slots
        .iter()
        .map(|slot| {
            let required = slot.role == SlotRole::Argument;
            let read = match &slot.value {
                SlotValue::Param(index) => {
                    let param = &op.params[*index];
                    let ty = type_tokens(&param.ty, Scope::Outside);
                    let name = &param.wire_name;
                    if required {
                        quote!(required::<#ty>(args, #name)?)
                    } else {
                        quote!(optional::<#ty>(args, #name)?)
                    }
                }
                SlotValue::JsonBody(ty) => {
                    let ty = type_tokens(ty, Scope::Outside);
                    if required {
                        quote!(required_body::<#ty>(args)?)
                    } else {
                        quote!(optional_body::<#ty>(args)?)
                    }
                }
                SlotValue::BytesBody if required => quote!(required_bytes(args)?),
                SlotValue::BytesBody => quote!(optional_bytes(args)?),
                SlotValue::Part(index) => {
                    let part = op.part(*index);
                    let name = part.map_or(slot.rust_name.as_str(), |p| p.wire_name.as_str());
                    match (part.is_some_and(|p| p.is_file), required) {
                        (true, true) => quote!(required_file(args, #name)?),
                        (true, false) => quote!(optional_file(args, #name)?),
                        (false, true) => quote!(required_text(args, #name)?),
                        (false, false) => quote!(optional_text(args, #name)?),
                    }
                }
            };
            CallSlot {
                rust_name: &slot.rust_name,
                required,
                read,
            }
        })
        .collect()
}

/// One arm of `call`: build the request from `args`, send it, reduce the result.
fn call_arm(api: &Api, op: &Operation, sdk: &TokenStream) -> TokenStream {
    let operation_id = &op.operation_id;
    let document = &api.services[op.service].name;
    let group = ident(&op.group.module);
    let method = ident(&op.method_name);
    let slots = call_slots(op);
    let required = slots.iter().filter(|s| s.required).map(|s| &s.read);
    let setters = slots.iter().filter(|s| !s.required).map(|slot| {
        let (setter, read) = (ident(slot.rust_name), &slot.read);
        quote!(if let Some(value) = #read { builder = builder.#setter(value); })
    });
    let reduce = reduce_success(op, sdk);
    quote! {
        (#document, #operation_id) => {
            let built = (|| -> Result<_, String> {
                let mut builder = client.#group().#method(#(#required),*);
                #(#setters)*
                Ok(builder)
            })();
            match built {
                Err(message) => Outcome::Args(message),
                Ok(builder) => match builder.options(options).await {
                    Ok(value) => #reduce,
                    Err(error) => Outcome::from_error(error, error_body),
                },
            }
        }
    }
}

/// Reduces `value`, the operation's success output, to an `Outcome`: an expression (a block
/// where it needs statements).
fn reduce_success(op: &Operation, sdk: &TokenStream) -> TokenStream {
    let one = |body: &ResponseBody, status: TokenStream, value: TokenStream| match body {
        ResponseBody::Empty => quote!(Outcome::ok_empty(#status)),
        ResponseBody::Json(_) => quote!(Outcome::ok_json(#status, &#value)),
        ResponseBody::Bytes { .. } => quote!(Outcome::ok_bytes(#status, #value)),
    };
    match op.success.as_slice() {
        [] => quote!({
            let () = value;
            Outcome::ok_empty(None)
        }),
        [only] => {
            let reduced = one(&only.body, quote!(None), quote!(value));
            match only.body {
                ResponseBody::Empty => quote!({ let () = value; #reduced }),
                _ => reduced,
            }
        }
        many => {
            let group = ident(&op.group.module);
            let name = ident(op.response_enum.as_deref().unwrap_or("Response"));
            let arms = many.iter().map(
                |SuccessResponse {
                     status,
                     body,
                     variant,
                     ..
                 }| {
                    let variant = ident(variant);
                    let status = Literal::u16_unsuffixed(*status);
                    let reduced = one(body, quote!(Some(#status)), quote!(inner));
                    match body {
                        ResponseBody::Empty => {
                            quote!(#sdk::apis::#group::#name::#variant => #reduced,)
                        }
                        _ => quote!(#sdk::apis::#group::#name::#variant(inner) => #reduced,),
                    }
                },
            );
            quote!(match value { #(#arms)* })
        }
    }
}

/// Every pointer with a generated JSON type, grouped by type (both sorted). A pointer reached
/// twice (a path-level parameter shared by the path's operations) keeps its first type.
fn pointer_types(api: &Api) -> BTreeMap<TypeRef, BTreeSet<String>> {
    let mut by_pointer: BTreeMap<String, TypeRef> = BTreeMap::new();
    // Pointers into one of several documents are qualified by its name (`v1#/components/…`).
    let mut add = |document: usize, pointer: &str, ty: &TypeRef| {
        let name = api.services.get(document).map_or("", |s| s.name.as_str());
        by_pointer
            .entry(crate::diagnostics::qualify(name, pointer))
            .or_insert_with(|| ty.clone());
    };
    for def in api.types.values() {
        if def.component_key().is_some() {
            add(def.document, &def.origin, &TypeRef::Named(def.name.clone()));
        }
        // A property's own examples (3.1 documents put them there): its schema, and its items'.
        if let TypeKind::Struct(fields) = &def.kind {
            for field in &fields.fields {
                let property = format!(
                    "{}/properties/{}",
                    def.origin,
                    crate::load::escape_pointer(&field.wire_name)
                );
                add(def.document, &property, &field.ty);
                if let TypeRef::Vec(item) = &field.ty {
                    add(def.document, &format!("{property}/items"), item);
                }
            }
        }
    }
    for op in &api.operations {
        let mut add = |pointer: &str, ty: &TypeRef| add(op.service, pointer, ty);
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
                // Properties carry examples of their own in 3.1 documents.
                (
                    TypeRef::Named("PetTag".into()),
                    vec!["/components/schemas/Pet/properties/tag".to_owned()]
                ),
                (
                    TypeRef::String,
                    vec![
                        "/components/schemas/Pet/properties/tag/properties/name".to_owned(),
                        "/components/schemas/a~1b/properties/x".to_owned(),
                        "/paths/~1pets~1{id}/parameters/0".to_owned(),
                        format!("{op}/responses/default/content/application~1json"),
                    ]
                ),
                (TypeRef::I64, vec![format!("{op}/parameters/0")]),
            ]
        );
    }

    const CALLS_DOC: &str = r#"
openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    put:
      operationId: things_put
      tags: [Things]
      parameters:
        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: x-org-id, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
        "204": {description: none}
        "404": {description: missing, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
        "409": {description: conflict, content: {application/json: {schema: {$ref: '#/components/schemas/Other'}}}}
        default: {description: error}
  /things/{id}/logo:
    post:
      operationId: things_logo
      tags: [Things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [image]
              properties:
                image: {type: string, format: binary}
                caption: {type: string}
      responses:
        "200": {description: ok, content: {image/png: {schema: {type: string, format: binary}}}}
components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
    Error: {type: object, properties: {message: {type: string}}}
    Other: {type: object, properties: {code: {type: integer}}}
"#;

    fn testkit() -> Testkit {
        Testkit {
            sdk_crate: "my_sdk".into(),
            support: "crate::support".into(),
        }
    }

    fn calls_api() -> Api {
        let loaded = crate::load::load(CALLS_DOC).unwrap();
        crate::lower::lower(
            &loaded.document,
            &loaded.sha256,
            &crate::Settings::default(),
            &mut Vec::new(),
        )
        .unwrap()
    }

    #[test]
    fn calls_module_lists_and_calls_every_operation() {
        let api = calls_api();
        let tokens = calls_module(&api, &testkit());
        let text = super::super::print::file(tokens);
        for needle in [
            // One arm per operation, required arguments in the method call, optional ones
            // through their setters.
            r#"("", "things_put") => {"#,
            "client.things().replace(required::<String>(args, \"id\")?, required_body::<models::Thing>(args)?",
            "optional::<Vec<String>>(args, \"tags\")?",
            "builder = builder.x_org_id(value)",
            r#"("", "things_logo") => {"#,
            "builder = builder.image(value)",
            "optional_file(args, \"image\")?",
            "optional_text(args, \"caption\")?",
            // Several successes: every variant of the response enum is reduced.
            // The SDK crate and the hand-written half come from the settings.
            "use my_sdk::{models, ApiErrorBody};",
            "pub use crate::support::*;",
            "client: &my_sdk::Client",
            "my_sdk::apis::things::ReplaceResponse::NoContent",
            "Outcome::ok_empty(Some(204))",
            "Outcome::ok_bytes(None, value)",
            // The metadata the contract test reads.
            r#"call: "client.things().replace(id, body)""#,
            r#"name: "tags","#,
            "explode: false",
            "BodyKind::Multipart(",
            r#"variant: "Undocumented""#,
        ] {
            // Layout aside: whitespace, and the comma a list broken over lines ends with.
            let squeeze =
                |t: &str| t.split_whitespace().collect::<String>().replace(",)", ")");
            assert!(
                squeeze(&text).contains(&squeeze(needle)),
                "{needle}\nnot in\n{text}"
            );
        }
    }

    /// `calls.rs` and the SDK spell the `ApiErrorBody` and response-enum variants the IR
    /// names; if a renderer ever named them itself, this fails before the tests crate stops
    /// compiling.
    #[test]
    fn calls_module_names_variants_as_the_sdk_does() {
        let api = calls_api();
        let files = super::super::render(&api);
        let calls = super::super::print::file(calls_module(&api, &testkit()));
        let errors = &files["src/generated/errors.rs"];
        assert_eq!(api.error_bodies.len(), 2);
        for body in &api.error_bodies {
            let variant = &body.variant;
            assert!(
                errors.contains(&format!(" {variant}(models::")),
                "{variant} in {errors}"
            );
            assert!(
                calls.contains(&format!("ApiErrorBody::{variant}(body)")),
                "{variant} in calls.rs"
            );
        }
        let things = &files["src/generated/apis/things.rs"];
        let put = api
            .operations
            .iter()
            .find(|op| op.operation_id == "things_put")
            .unwrap();
        let response = put.response_enum.as_deref().expect("two successes");
        for success in &put.success {
            let variant = &success.variant;
            assert!(
                things.contains(&format!("{response}::{variant}")),
                "{variant} in {things}"
            );
            assert!(
                calls.contains(&format!("{response}::{variant}")),
                "{variant} in calls.rs"
            );
        }
    }
}
