//! Operations: one handle type per group, one request builder per operation, the error-body
//! enum, and the client accessors.
use super::types::{doc, ident, type_tokens, Scope};
use crate::ir::*;
use crate::names;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// Operations grouped by module name, each group's operations sorted by operationId.
fn groups(api: &Api) -> BTreeMap<&str, (&Group, Vec<&Operation>)> {
    let mut groups: BTreeMap<&str, (&Group, Vec<&Operation>)> = BTreeMap::new();
    for op in &api.operations {
        groups
            .entry(op.group.module.as_str())
            .or_insert_with(|| (&op.group, Vec::new()))
            .1
            .push(op);
    }
    groups
}

pub fn root_module(api: &Api) -> TokenStream {
    let (title, version, sha256) = (&api.title, &api.version, &api.sha256);
    let accessors = groups(api).into_values().map(|(group, _)| {
        let module = ident(&group.module);
        let type_name = ident(&group.type_name);
        let doc = doc(&format!("Operations tagged `{}`.", group.tag));
        quote! {
            #doc
            pub fn #module(&self) -> apis::#type_name<'_> { apis::#type_name::new(self) }
        }
    });
    quote! {
        pub mod apis;
        mod errors;
        pub mod models;
        pub use errors::ApiErrorBody;

        /// Title of the OpenAPI document this code was generated from.
        pub const SPEC_TITLE: &str = #title;
        /// Version of that document.
        pub const SPEC_VERSION: &str = #version;
        /// SHA-256 of that document's bytes.
        pub const SPEC_SHA256: &str = #sha256;

        impl crate::Client { #(#accessors)* }
    }
}

pub fn apis_module(api: &Api) -> TokenStream {
    let items = groups(api).into_values().map(|(group, _)| {
        let module = ident(&group.module);
        let type_name = ident(&group.type_name);
        quote! { pub mod #module; pub use #module::#type_name; }
    });
    quote! {
        //! Operation groups, one module per resource, each with a handle type and request builders.
        #(#items)*
    }
}

/// The name of the `ApiErrorBody` variant for an error schema.
fn error_variant(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Vec(inner) => format!("{}List", error_variant(inner)),
        TypeRef::Map(inner) => format!("{}Map", error_variant(inner)),
        TypeRef::String => "Text".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::Json | TypeRef::JsonObject => "Json".into(),
    }
}

fn error_decoder(ty: &TypeRef) -> proc_macro2::Ident {
    format_ident!(
        "decode_{}",
        names::value_name(&error_variant(ty)).trim_start_matches("r#")
    )
}

pub fn error_bodies(api: &Api) -> TokenStream {
    let mut schemas: BTreeMap<String, &TypeRef> = BTreeMap::new();
    for op in &api.operations {
        for error in &op.errors {
            if let Some(body) = &error.body {
                schemas.insert(error_variant(body), body);
            }
        }
    }
    let variants = schemas.iter().map(|(variant, ty)| {
        let variant = ident(variant);
        let ty = type_tokens(ty, Scope::Outside);
        quote!(#variant(#ty),)
    });
    let decoders = schemas.iter().map(|(variant, ty)| {
        let decoder = error_decoder(ty);
        let variant = ident(variant);
        quote! {
            pub fn #decoder(body: &[u8]) -> Option<Self> { rt::decode_error_body(body).map(Self::#variant) }
        }
    });
    quote! {
        use super::models;
        use crate::runtime as rt;

        /// The body of an error response, decoded into the schema the document declares for
        /// the operation and status.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ApiErrorBody {
            #(#variants)*
            /// A status the operation does not document, or a body that does not match its
            /// documented schema, kept as received.
            Undocumented(::bytes::Bytes),
        }

        #[doc(hidden)]
        impl ApiErrorBody {
            pub fn undocumented(body: ::bytes::Bytes) -> Self { Self::Undocumented(body) }
            #(#decoders)*
        }
    }
}

pub fn group_modules(api: &Api) -> Vec<(String, TokenStream)> {
    groups(api)
        .into_iter()
        .map(|(module, (group, ops))| (module.to_owned(), group_module(group, &ops)))
        .collect()
}

fn group_module(group: &Group, ops: &[&Operation]) -> TokenStream {
    let type_name = ident(&group.type_name);
    let doc = doc(&format!(
        "Operations tagged `{}`: `client.{}()`.",
        group.tag, group.module
    ));
    let methods = ops.iter().map(|op| constructor(op));
    let builders = ops.iter().map(|op| builder(op));
    quote! {
        #![allow(unused_imports)]
        use crate::models;
        use crate::runtime::{self as rt, Request};

        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #type_name<'a> { client: &'a crate::Client }

        impl<'a> #type_name<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self { Self { client } }
            #(#methods)*
        }

        #(#builders)*
    }
}

/// A builder field: a parameter, a multipart part or the body.
struct Slot {
    name: proc_macro2::Ident,
    ty: TokenStream,
    required: bool,
}

fn slots(op: &Operation) -> Vec<Slot> {
    let mut slots: Vec<Slot> = op
        .params
        .iter()
        .map(|p| Slot {
            name: ident(&p.rust_name),
            ty: type_tokens(&p.ty, Scope::Outside),
            required: p.required,
        })
        .collect();
    match op.body.as_ref().map(|b| (&b.kind, b.required)) {
        Some((BodyKind::Json(ty), required)) => slots.push(Slot {
            name: ident("body"),
            ty: type_tokens(ty, Scope::Outside),
            required,
        }),
        Some((BodyKind::Bytes, required)) => slots.push(Slot {
            name: ident("body"),
            ty: quote!(::bytes::Bytes),
            required,
        }),
        Some((BodyKind::Multipart(parts), required)) => {
            slots.extend(parts.iter().map(|part| Slot {
                name: ident(&part.rust_name),
                ty: if part.is_file {
                    quote!(rt::FilePart)
                } else {
                    quote!(String)
                },
                required: required && part.required,
            }))
        }
        None => {}
    }
    slots
}

fn constructor(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let slots = slots(op);
    let args = slots
        .iter()
        .filter(|s| s.required)
        .map(|Slot { name, ty, .. }| quote!(#name: impl Into<#ty>));
    let inits = slots.iter().map(|Slot { name, required, .. }| {
        if *required {
            quote!(#name: #name.into())
        } else {
            quote!(#name: None)
        }
    });
    let summary = doc(op.summary.as_deref().unwrap_or(&op.operation_id));
    let blank = doc("");
    let location = doc(&format!(
        "`{} {}` (operationId `{}`)",
        op.method.as_str(),
        op.path,
        op.operation_id
    ));
    quote! {
        #summary
        #blank
        #location
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder { client: self.client, #(#inits),* }
        }
    }
}

/// The Rust type an operation's call resolves to.
fn output_type(op: &Operation) -> TokenStream {
    match op.success.as_slice() {
        [] => quote!(()),
        [only] => body_type(&only.body),
        _ => {
            let name = format_ident!("{}Response", op.builder_name);
            quote!(#name)
        }
    }
}

fn body_type(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => type_tokens(ty, Scope::Outside),
        ResponseBody::Bytes { .. } => quote!(::bytes::Bytes),
    }
}

fn status_variant(status: u16) -> proc_macro2::Ident {
    match status {
        200 => format_ident!("Ok"),
        201 => format_ident!("Created"),
        202 => format_ident!("Accepted"),
        204 => format_ident!("NoContent"),
        other => format_ident!("Status{}", other),
    }
}

fn builder(op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let slots = slots(op);
    let fields = slots.iter().map(|Slot { name, ty, required }| {
        if *required {
            quote!(#name: #ty,)
        } else {
            quote!(#name: Option<#ty>,)
        }
    });
    let setters = slots.iter().filter(|s| !s.required).map(|Slot { name, ty, .. }| {
        let doc = doc(&format!("Sets `{}`.", name.to_string().trim_start_matches("r#")));
        quote! {
            #doc
            pub fn #name(mut self, value: impl Into<#ty>) -> Self { self.#name = Some(value.into()); self }
        }
    });
    let output = output_type(op);
    let response_enum = (op.success.len() > 1).then(|| {
        let name = format_ident!("{}Response", op.builder_name);
        let variants = op.success.iter().map(|s| {
            let variant = status_variant(s.status);
            match &s.body {
                ResponseBody::Empty => quote!(#variant,),
                body => {
                    let ty = body_type(body);
                    quote!(#variant(#ty),)
                }
            }
        });
        let doc = doc(&format!(
            "The success responses of [`{}`].",
            op.builder_name
        ));
        quote! {
            #doc
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#variants)* }
        }
    });
    let request = request_expr(op);
    let decode = decode_arms(op);
    let doc = doc(&format!(
        "Request builder for `{}`: set optional parameters, then `.await` it.",
        op.operation_id
    ));
    quote! {
        #response_enum

        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder<'a> { client: &'a crate::Client, #(#fields)* }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Sends the request and decodes the response.
            pub async fn send(self) -> crate::Result<#output> {
                let response = #request.send(self.client).await?;
                match response.status() { #decode }
            }
        }

        crate::into_future!(#builder => #output);
    }
}

fn request_expr(op: &Operation) -> TokenStream {
    let operation_id = &op.operation_id;
    let method = format_ident!("{}", op.method.as_str());
    // The path as a format string with its parameters encoded as single segments.
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + end];
        if let Some(param) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire_name == name)
        {
            let field = ident(&param.rust_name);
            args.push(quote!(rt::path_segment(&self.#field)));
        }
        template.push_str("{}");
        rest = &rest[start + end + 1..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let path = if args.is_empty() {
        quote!(String::from(#template))
    } else {
        quote!(format!(#template, #(#args),*))
    };
    let mut calls = Vec::new();
    if let Some(media_type) = op.success.iter().find_map(|s| match &s.body {
        ResponseBody::Bytes { media_type } => Some(media_type.as_str()),
        _ => None,
    }) {
        calls.push(quote!(.accept(#media_type)));
    }
    for param in &op.params {
        let wire = &param.wire_name;
        let field = ident(&param.rust_name);
        let call = match param.location {
            ParamLocation::Path | ParamLocation::Cookie => continue,
            ParamLocation::Query => format_ident!("query"),
            ParamLocation::Header => format_ident!("header"),
        };
        let value = match (&param.ty, param.required) {
            (TypeRef::Vec(_), true) => quote!(Some(self.#field.as_slice())),
            (TypeRef::Vec(_), false) => quote!(self.#field.as_deref()),
            (TypeRef::String, false) => quote!(self.#field.as_deref()),
            (_, true) => quote!(Some(&self.#field)),
            (_, false) => quote!(self.#field.as_ref()),
        };
        calls.push(match (&param.ty, param.location) {
            (TypeRef::Vec(_), ParamLocation::Query) => {
                let explode = param.explode;
                quote!(.query_list(#wire, #value, #explode))
            }
            _ => quote!(.#call(#wire, #value)),
        });
    }
    match op.body.as_ref() {
        Some(RequestBody {
            kind: BodyKind::Json(_),
            required,
            ..
        }) => calls.push(if *required {
            quote!(.json(Some(&self.body)))
        } else {
            quote!(.json(self.body.as_ref()))
        }),
        Some(RequestBody {
            kind: BodyKind::Bytes,
            required,
            media_type,
        }) => {
            let body = if *required {
                quote!(Some(self.body))
            } else {
                quote!(self.body)
            };
            calls.push(quote!(.bytes(#media_type, #body)))
        }
        Some(RequestBody {
            kind: BodyKind::Multipart(parts),
            required,
            ..
        }) => {
            let parts = parts.iter().map(|part| {
                let wire = &part.wire_name;
                let field = ident(&part.rust_name);
                let value = if *required && part.required {
                    quote!(Some(self.#field))
                } else {
                    quote!(self.#field)
                };
                if part.is_file {
                    quote!(.file(#wire, #value))
                } else {
                    quote!(.text(#wire, #value))
                }
            });
            calls.push(quote!(.multipart(rt::Form::new() #(#parts)*)))
        }
        None => {}
    }
    quote! { Request::new(#operation_id, rt::Method::#method, #path) #(#calls)* }
}

fn decode_arms(op: &Operation) -> TokenStream {
    let success = match op.success.as_slice() {
        [] => quote!(200..=299 => Ok(()),),
        [only] => {
            let value = decode_body(&only.body);
            quote!(200..=299 => #value,)
        }
        many => {
            let name = format_ident!("{}Response", op.builder_name);
            let arms = many.iter().map(|s| {
                let status = proc_macro2::Literal::u16_unsuffixed(s.status);
                let variant = status_variant(s.status);
                match &s.body {
                    ResponseBody::Empty => quote!(#status => Ok(#name::#variant),),
                    body => {
                        let value = decode_body(body);
                        quote!(#status => #value.map(#name::#variant),)
                    }
                }
            });
            quote!(#(#arms)*)
        }
    };
    // Error statuses sharing a decoder share an arm.
    let mut by_decoder: BTreeMap<String, (TokenStream, Vec<u16>)> = BTreeMap::new();
    let mut fallback = quote!(None);
    for error in &op.errors {
        let decoder = match &error.body {
            Some(ty) => {
                let decoder = error_decoder(ty);
                quote!(Some(crate::ApiErrorBody::#decoder))
            }
            None => quote!(None),
        };
        match error.status {
            Some(status) => by_decoder
                .entry(decoder.to_string())
                .or_insert_with(|| (decoder, Vec::new()))
                .1
                .push(status),
            None => fallback = decoder,
        }
    }
    let error_arms = by_decoder.into_values().map(|(decoder, statuses)| {
        let statuses = statuses
            .into_iter()
            .map(proc_macro2::Literal::u16_unsuffixed);
        quote!(#(#statuses)|* => Err(response.api_error(#decoder)),)
    });
    quote! {
        #success
        #(#error_arms)*
        _ => Err(response.api_error(#fallback)),
    }
}

fn decode_body(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(Ok(())),
        ResponseBody::Json(_) => quote!(response.json()),
        ResponseBody::Bytes { .. } => quote!(Ok(response.bytes())),
    }
}
