//! The tests crate's view of the generated code: which Rust type each JSON pointer of the
//! document (component schema, parameter, request or response media type) decodes into, so a
//! test can round-trip the document's examples without knowing the generator's naming; and
//! every operation callable by operationId with arguments given as JSON (`calls.rs`), so a
//! contract test can drive the whole SDK from the document.
use super::apis::{error_variant_names, status_variant};
use super::types::{ident, type_tokens, Scope};
use crate::ir::{
    Api, BodyKind, Operation, ParamLocation, RequestBody, ResponseBody, SuccessResponse, TypeRef,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

const COMPONENT_SCHEMAS: &str = "/components/schemas/";

pub fn root_module() -> TokenStream {
    quote! {
        //! Generated helpers for the tests crate.
        pub mod calls;
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

/// `calls.rs`: every operation's shape (`OPERATIONS`) and `call`, which performs any operation
/// through the SDK's public API with its arguments given as JSON, and reduces the result to an
/// `Outcome` a test can compare without knowing each operation's Rust types.
pub fn calls_module(api: &Api) -> TokenStream {
    let variants = error_variant_names(api);
    let infos = api
        .operations
        .iter()
        .map(|op| operation_info(op, &variants));
    let arms = api.operations.iter().map(call_arm);
    let error_arms = variants.values().map(|variant| {
        let name = ident(variant);
        quote!(ApiErrorBody::#name(body) => (#variant, Payload::json(body)),)
    });
    quote! {
        //! Every operation of the document, callable by operationId through the SDK's public API
        //! with its arguments given as JSON values, and its shape as the generator lowered it.
        #![allow(clippy::all, dead_code, unused_mut)]
        use ::jumpcloud_sdk::{models, ApiErrorBody};
        use ::serde_json::Value;
        use ::std::collections::BTreeMap;

        /// Where a parameter goes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Location { Path, Query, Header, Cookie }

        /// A parameter as the SDK takes it: required ones are arguments, the others setters.
        #[derive(Debug, Clone, Copy)]
        pub struct Param {
            /// The wire name, also the key of its value in [`Args::params`].
            pub name: &'static str,
            pub location: Location,
            pub required: bool,
            /// JSON pointer of the parameter object (a `$ref` is not followed); for a path
            /// parameter the document does not declare, the operation's pointer.
            pub pointer: &'static str,
            /// Whether the document declares it (see `pointer`).
            pub declared: bool,
            /// The values go in the query as repeated names (`a=1&a=2`) rather than joined.
            pub explode: bool,
        }

        /// How the request body is sent.
        #[derive(Debug, Clone, Copy)]
        pub enum BodyKind {
            /// JSON, from [`Args::body`].
            Json,
            /// Raw bytes of `media_type`, from [`Args::bytes`].
            Bytes,
            /// `multipart/form-data`, from [`Args::parts`].
            Multipart(&'static [Part]),
        }

        /// A part of a multipart body.
        #[derive(Debug, Clone, Copy)]
        pub struct Part { pub name: &'static str, pub required: bool, pub file: bool }

        #[derive(Debug, Clone, Copy)]
        pub struct Body {
            pub required: bool,
            pub media_type: &'static str,
            /// JSON pointer of the media type object (under the operation, `$ref`s not followed).
            pub pointer: &'static str,
            pub kind: BodyKind,
        }

        /// What a success status carries.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ResponseKind { Empty, Json, Bytes }

        #[derive(Debug, Clone, Copy)]
        pub struct Success {
            pub status: u16,
            pub kind: ResponseKind,
            pub pointer: Option<&'static str>,
        }

        /// A documented error status.
        #[derive(Debug, Clone, Copy)]
        pub struct ErrorStatus {
            /// `None` for `default`.
            pub status: Option<u16>,
            /// The `ApiErrorBody` variant the SDK must decode the body into (`Undocumented`
            /// when the document gives no JSON schema).
            pub variant: &'static str,
            pub pointer: Option<&'static str>,
        }

        /// One operation as the generator lowered it.
        #[derive(Debug, Clone, Copy)]
        pub struct Operation {
            pub operation_id: &'static str,
            pub method: &'static str,
            pub path: &'static str,
            /// JSON pointer of the operation object.
            pub pointer: &'static str,
            /// The Rust call, as `OPERATIONS.md` shows it.
            pub call: &'static str,
            /// Path parameters first in path order, then the others sorted by wire name.
            pub params: &'static [Param],
            pub body: Option<Body>,
            pub success: &'static [Success],
            /// Sorted, `default` first.
            pub errors: &'static [ErrorStatus],
        }

        /// Every operation, sorted by operationId.
        pub static OPERATIONS: &[Operation] = &[#(#infos),*];

        /// A multipart part's value.
        #[derive(Debug, Clone, PartialEq)]
        pub enum PartValue {
            Text(String),
            File { bytes: Vec<u8>, file_name: String, content_type: Option<String> },
        }

        /// The arguments of one call. A parameter or part left out is not set; a required one
        /// left out makes the call [`Outcome::Args`].
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct Args {
            /// Parameters by wire name, converted with `serde_json::from_value` into the exact
            /// Rust type the SDK takes.
            pub params: BTreeMap<String, Value>,
            /// The JSON body, converted into the body's Rust type.
            pub body: Option<Value>,
            /// A body of another media type.
            pub bytes: Option<Vec<u8>>,
            /// Multipart parts by name.
            pub parts: BTreeMap<String, PartValue>,
        }

        /// A decoded body, encoded back to JSON so tests can compare it.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Payload {
            Empty,
            Json(Value),
            Bytes(Vec<u8>),
            /// The decoded value could not be encoded back: the error.
            Unencodable(String),
        }

        impl Payload {
            fn json<T: ::serde::Serialize>(value: &T) -> Self {
                match ::serde_json::to_value(value) {
                    Ok(value) => Payload::Json(value),
                    Err(error) => Payload::Unencodable(error.to_string()),
                }
            }
        }

        /// What a call came back with.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Outcome {
            /// A success, decoded. `status` is known when the operation has several success
            /// responses (the variant of its response enum).
            Ok { status: Option<u16>, body: Payload },
            /// `Error::Api`: the status, the response headers, the `ApiErrorBody` variant and
            /// the body it holds.
            Api { status: u16, headers: Vec<(String, String)>, variant: &'static str, body: Payload },
            /// `Error::Decode`: a success status whose body did not decode.
            Decode { status: u16, path: String, message: String },
            /// An argument did not convert into the SDK's type; nothing was sent.
            Args(String),
            /// Any other error: the `Error` variant's name and its message.
            Failed { kind: &'static str, message: String },
        }

        impl Outcome {
            fn ok_json<T: ::serde::Serialize>(status: Option<u16>, value: &T) -> Self {
                Outcome::Ok { status, body: Payload::json(value) }
            }

            fn ok_empty(status: Option<u16>) -> Self {
                Outcome::Ok { status, body: Payload::Empty }
            }

            fn ok_bytes(status: Option<u16>, bytes: impl AsRef<[u8]>) -> Self {
                Outcome::Ok { status, body: Payload::Bytes(bytes.as_ref().to_vec()) }
            }

            fn error(error: ::jumpcloud_sdk::Error) -> Self {
                use ::jumpcloud_sdk::Error;
                let message = error.to_string();
                match error {
                    Error::Api(api) => {
                        let headers = api
                            .headers
                            .iter()
                            .map(|(name, value)| {
                                (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned())
                            })
                            .collect();
                        let (variant, body) = error_body(&api.body);
                        Outcome::Api { status: api.status.as_u16(), headers, variant, body }
                    }
                    Error::Decode { status, path, message, .. } => {
                        Outcome::Decode { status: status.as_u16(), path, message }
                    }
                    Error::InvalidRequest(_) => Outcome::Failed { kind: "InvalidRequest", message },
                    Error::Config(_) => Outcome::Failed { kind: "Config", message },
                    Error::Timeout(_) => Outcome::Failed { kind: "Timeout", message },
                    Error::Transport(_) => Outcome::Failed { kind: "Transport", message },
                    _ => Outcome::Failed { kind: "Other", message },
                }
            }
        }

        /// The variant name and the value of an error body.
        pub fn error_body(body: &ApiErrorBody) -> (&'static str, Payload) {
            match body {
                #(#error_arms)*
                ApiErrorBody::Undocumented(bytes) => ("Undocumented", Payload::Bytes(bytes.to_vec())),
                _ => ("Unknown", Payload::Empty),
            }
        }

        /// Performs `operation_id` with `args` through `client` (each required argument passed
        /// to the method, each optional one given to its setter, `options` to `.options`);
        /// `None` for an unknown operationId.
        pub async fn call(
            client: &::jumpcloud_sdk::Client,
            operation_id: &str,
            args: &Args,
            options: ::jumpcloud_sdk::CallOptions,
        ) -> Option<Outcome> {
            Some(match operation_id {
                #(#arms)*
                _ => return None,
            })
        }

        fn required<T: ::serde::de::DeserializeOwned>(args: &Args, name: &str) -> Result<T, String> {
            optional(args, name)?.ok_or_else(|| format!("the required parameter {name} is missing"))
        }

        fn optional<T: ::serde::de::DeserializeOwned>(args: &Args, name: &str) -> Result<Option<T>, String> {
            args.params.get(name).map(|value| convert(value, name)).transpose()
        }

        fn convert<T: ::serde::de::DeserializeOwned>(value: &Value, what: &str) -> Result<T, String> {
            ::serde_path_to_error::deserialize(value.clone())
                .map_err(|error| format!("{what} does not convert at {}: {}", error.path(), error.inner()))
        }

        fn required_body<T: ::serde::de::DeserializeOwned>(args: &Args) -> Result<T, String> {
            optional_body(args)?.ok_or_else(|| "the required body is missing".to_owned())
        }

        fn optional_body<T: ::serde::de::DeserializeOwned>(args: &Args) -> Result<Option<T>, String> {
            args.body.as_ref().map(|value| convert(value, "the body")).transpose()
        }

        fn required_bytes(args: &Args) -> Result<Vec<u8>, String> {
            args.bytes.clone().ok_or_else(|| "the required body is missing".to_owned())
        }

        fn optional_bytes(args: &Args) -> Result<Option<Vec<u8>>, String> {
            Ok(args.bytes.clone())
        }

        fn required_text(args: &Args, name: &str) -> Result<String, String> {
            optional_text(args, name)?.ok_or_else(|| format!("the required part {name} is missing"))
        }

        fn optional_text(args: &Args, name: &str) -> Result<Option<String>, String> {
            match args.parts.get(name) {
                None => Ok(None),
                Some(PartValue::Text(text)) => Ok(Some(text.clone())),
                Some(PartValue::File { .. }) => Err(format!("the part {name} is text, not a file")),
            }
        }

        fn required_file(args: &Args, name: &str) -> Result<::jumpcloud_sdk::FilePart, String> {
            optional_file(args, name)?.ok_or_else(|| format!("the required part {name} is missing"))
        }

        fn optional_file(args: &Args, name: &str) -> Result<Option<::jumpcloud_sdk::FilePart>, String> {
            match args.parts.get(name) {
                None => Ok(None),
                Some(PartValue::File { bytes, file_name, content_type }) => {
                    let file = ::jumpcloud_sdk::FilePart::new(bytes.clone(), file_name.clone());
                    Ok(Some(match content_type {
                        Some(content_type) => file.content_type(content_type.clone()),
                        None => file,
                    }))
                }
                Some(PartValue::Text(_)) => Err(format!("the part {name} is a file, not text")),
            }
        }
    }
}

fn operation_info(op: &Operation, variants: &BTreeMap<TypeRef, String>) -> TokenStream {
    let (operation_id, method, path, pointer) =
        (&op.operation_id, op.method.as_str(), &op.path, &op.origin);
    let call = rust_call(op);
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
            .body
            .as_ref()
            .and_then(|ty| variants.get(ty))
            .map_or("Undocumented", String::as_str);
        let pointer = option_str(e.pointer.as_deref());
        quote!(ErrorStatus { status: #status, variant: #variant, pointer: #pointer })
    });
    quote! {
        Operation {
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

/// `client.group().method(required, …)`, as `OPERATIONS.md` shows it.
fn rust_call(op: &Operation) -> String {
    let args: Vec<&str> = call_slots(op)
        .into_iter()
        .filter(|slot| slot.required)
        .map(|slot| slot.rust_name.trim_start_matches("r#"))
        .collect();
    format!(
        "client.{}().{}({})",
        op.group.module,
        op.method_name,
        args.join(", ")
    )
}

/// An argument or setter of an operation's builder, in the order `render::apis` gives them.
struct CallSlot<'a> {
    rust_name: &'a str,
    required: bool,
    /// The expression reading the value from `args`, given whether it is required.
    read: TokenStream,
}

fn call_slots(op: &Operation) -> Vec<CallSlot<'_>> {
    let mut slots: Vec<CallSlot> = op
        .params
        .iter()
        .map(|p| {
            let ty = type_tokens(&p.ty, Scope::Outside);
            let name = &p.wire_name;
            CallSlot {
                rust_name: &p.rust_name,
                required: p.required,
                read: if p.required {
                    quote!(required::<#ty>(args, #name)?)
                } else {
                    quote!(optional::<#ty>(args, #name)?)
                },
            }
        })
        .collect();
    match op.body.as_ref().map(|b| (&b.kind, b.required)) {
        Some((BodyKind::Json(ty), required)) => {
            let ty = type_tokens(ty, Scope::Outside);
            slots.push(CallSlot {
                rust_name: "body",
                required,
                read: if required {
                    quote!(required_body::<#ty>(args)?)
                } else {
                    quote!(optional_body::<#ty>(args)?)
                },
            });
        }
        Some((BodyKind::Bytes, required)) => slots.push(CallSlot {
            rust_name: "body",
            required,
            read: if required {
                quote!(required_bytes(args)?)
            } else {
                quote!(optional_bytes(args)?)
            },
        }),
        Some((BodyKind::Multipart(parts), required)) => slots.extend(parts.iter().map(|part| {
            let name = &part.wire_name;
            let required = required && part.required;
            let read = match (part.is_file, required) {
                (true, true) => quote!(required_file(args, #name)?),
                (true, false) => quote!(optional_file(args, #name)?),
                (false, true) => quote!(required_text(args, #name)?),
                (false, false) => quote!(optional_text(args, #name)?),
            };
            CallSlot {
                rust_name: &part.rust_name,
                required,
                read,
            }
        })),
        None => {}
    }
    slots
}

/// One arm of `call`: build the request from `args`, send it, reduce the result.
fn call_arm(op: &Operation) -> TokenStream {
    let operation_id = &op.operation_id;
    let group = ident(&op.group.module);
    let method = ident(&op.method_name);
    let slots = call_slots(op);
    let required = slots.iter().filter(|s| s.required).map(|s| &s.read);
    let setters = slots.iter().filter(|s| !s.required).map(|slot| {
        let (setter, read) = (ident(slot.rust_name), &slot.read);
        quote!(if let Some(value) = #read { builder = builder.#setter(value); })
    });
    let reduce = reduce_success(op);
    quote! {
        #operation_id => {
            let built = (|| -> Result<_, String> {
                let mut builder = client.#group().#method(#(#required),*);
                #(#setters)*
                Ok(builder)
            })();
            match built {
                Err(message) => Outcome::Args(message),
                Ok(builder) => match builder.options(options).await {
                    Ok(value) => { #reduce }
                    Err(error) => Outcome::error(error),
                },
            }
        }
    }
}

/// Reduces `value`, the operation's success output, to an `Outcome`.
fn reduce_success(op: &Operation) -> TokenStream {
    let one = |body: &ResponseBody, status: TokenStream, value: TokenStream| match body {
        ResponseBody::Empty => quote!(Outcome::ok_empty(#status)),
        ResponseBody::Json(_) => quote!(Outcome::ok_json(#status, &#value)),
        ResponseBody::Bytes { .. } => quote!(Outcome::ok_bytes(#status, #value)),
    };
    match op.success.as_slice() {
        [] => quote!(let () = value; Outcome::ok_empty(None)),
        [only] => {
            let reduced = one(&only.body, quote!(None), quote!(value));
            match only.body {
                ResponseBody::Empty => quote!(let () = value; #reduced),
                _ => reduced,
            }
        }
        many => {
            let group = ident(&op.group.module);
            let name = ident(op.response_enum.as_deref().unwrap_or("Response"));
            let arms = many.iter().map(|SuccessResponse { status, body, .. }| {
                let variant = status_variant(*status);
                let status = Literal::u16_unsuffixed(*status);
                let reduced = one(body, quote!(Some(#status)), quote!(inner));
                match body {
                    ResponseBody::Empty => {
                        quote!(::jumpcloud_sdk::apis::#group::#name::#variant => #reduced,)
                    }
                    _ => quote!(::jumpcloud_sdk::apis::#group::#name::#variant(inner) => #reduced,),
                }
            });
            quote!(match value { #(#arms)* })
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
        let tokens = calls_module(&api);
        let file = syn::parse2::<syn::File>(tokens).expect("calls.rs parses");
        let text = prettyplease::unparse(&file);
        for needle in [
            // One arm per operation, required arguments in the method call, optional ones
            // through their setters.
            r#""things_put" => {"#,
            "client.things().things_put(required::<String>(args, \"id\")?, required_body::<models::Thing>(args)?",
            "optional::<Vec<String>>(args, \"tags\")?",
            "builder = builder.x_org_id(value)",
            r#""things_logo" => {"#,
            "builder = builder.image(value)",
            "optional_file(args, \"image\")?",
            "optional_text(args, \"caption\")?",
            // Several successes: every variant of the response enum is reduced.
            "::jumpcloud_sdk::apis::things::ThingsPutResponse::NoContent",
            "Outcome::ok_empty(Some(204))",
            "Outcome::ok_bytes(None, value)",
            // The metadata the contract test reads.
            r#"call: "client.things().things_put(id, body)""#,
            r#"name: "tags","#,
            "explode: false",
            "BodyKind::Multipart(",
            r#"variant: "Undocumented""#,
        ] {
            let squeeze = |t: &str| t.split_whitespace().collect::<String>();
            assert!(
                squeeze(&text).contains(&squeeze(needle)),
                "{needle}\nnot in\n{text}"
            );
        }
    }

    /// `calls.rs` names `ApiErrorBody` and response-enum variants the way `render::apis`
    /// does; if the two ever disagree, this fails before the tests crate stops compiling.
    #[test]
    fn calls_module_names_variants_as_the_sdk_does() {
        let api = calls_api();
        let files = super::super::render(&api);
        let errors = &files["src/generated/errors.rs"];
        let variants = error_variant_names(&api);
        assert_eq!(variants.len(), 2);
        for variant in variants.values() {
            assert!(
                errors.contains(&format!(" {variant}(models::")),
                "{variant} in {errors}"
            );
        }
        let things = &files["src/generated/apis/things.rs"];
        for status in [200, 204] {
            let variant = status_variant(status).to_string();
            assert!(
                things.contains(&format!("ThingsPutResponse::{variant}")),
                "{variant} in {things}"
            );
        }
    }
}
