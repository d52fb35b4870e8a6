//! Operations: one handle type per group, one request builder per operation, the error-body
//! enum, and the client accessors.
use super::doc_lines::{deprecated, operation_doc, param_phrase};
use super::features::Features;
use super::types::{doc, ident, type_tokens, Scope};
use crate::ir::{self, *};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// Operations grouped by module name, each group's operations sorted by operationId.
pub fn groups(api: &Api) -> BTreeMap<&str, (&Group, Vec<&Operation>)> {
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

/// The generated root of the SDK crate, or of the core crate when the code is split: the
/// documents' facts, services, error bodies and models; in one crate, the groups and the
/// client's accessors too (split, they are the shards' and the SDK crate's).
pub fn root_module(api: &Api, features: &Features) -> TokenStream {
    let (title, version, sha256) = (&api.title, &api.version, &api.sha256);
    let one_crate = api.layout.is_none();
    let apis = one_crate.then(|| {
        quote!(
            pub mod apis;
        )
    });
    let accessors = one_crate.then(|| accessors(api, features, &quote!(self)));
    quote! {
        #apis
        mod errors;
        pub mod models;
        mod services;
        pub use errors::ApiErrorBody;
        pub use services::{Region, Service};

        /// Title of the (first) OpenAPI document this code was generated from; every
        /// document's is [`Service::title`].
        pub const SPEC_TITLE: &str = #title;
        /// Version of that document.
        pub const SPEC_VERSION: &str = #version;
        /// SHA-256 of that document's bytes.
        pub const SPEC_SHA256: &str = #sha256;

        #accessors
    }
}

/// `impl crate::Client` with one accessor per group, each handing `client` (an expression of
/// type `&Client` as the groups' crate spells it) to the group's handle.
fn accessors(api: &Api, features: &Features, client: &TokenStream) -> TokenStream {
    let accessors = groups(api).into_values().map(|(group, _)| {
        let module = ident(&group.module);
        let type_name = ident(&group.type_name);
        let doc = doc(&format!("Operations tagged `{}`.", group.tag));
        let cfg = features.group_cfg(&group.module);
        quote! {
            #doc
            #cfg
            pub fn #module(&self) -> apis::#type_name<'_> { apis::#type_name { client: #client } }
        }
    });
    quote!(impl crate::Client { #(#accessors)* })
}

/// The SDK crate's generated root when the code is split: `models` and `apis` gathered from
/// the core and the shards (a shard's only when one of its groups is on), and the accessors.
pub fn gathering_module(api: &Api, layout: &Layout, features: &Features) -> TokenStream {
    let core = ident(&Layout::crate_ident(&layout.core));
    let from_shards = |module: &TokenStream| -> Vec<TokenStream> {
        let shards = layout
            .shards
            .iter()
            .filter(|shard| !shard.groups.is_empty());
        shards
            .map(|shard| {
                let krate = ident(&Layout::crate_ident(&shard.package));
                let cfg = features.any_group_cfg(&shard.groups);
                quote!(#cfg pub use ::#krate::#module::*;)
            })
            .collect()
    };
    let shard_models = from_shards(&quote!(models));
    let shard_apis = from_shards(&quote!(apis));
    let accessors = accessors(api, features, &quote!(self.as_ref()));
    quote! {
        /// Every schema of the documents as a Rust type.
        pub mod models {
            pub use ::#core::models::*;
            #(#shard_models)*
        }
        /// Operation groups, one module per resource, each with a handle type and request
        /// builders.
        pub mod apis {
            #(#shard_apis)*
        }
        #accessors
    }
}

/// A shard's `lib.rs`: the core's items under `crate::` (where the shared renderers look for
/// them), and its groups and models.
pub fn shard_root(layout: &Layout, shard: &Shard) -> TokenStream {
    let core = ident(&Layout::crate_ident(&layout.core));
    let doc = format!(
        " Operation groups of the SDK ({}), with the models only they use. A part of the SDK \
         crate, which re-exports it: depend on that crate, not on this one.",
        shard
            .groups
            .iter()
            .map(|group| format!("`{group}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    quote! {
        #![doc = #doc]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![allow(clippy::all, rustdoc::all, deprecated)]
        #[doc(hidden)]
        pub use ::#core::*;
        #[rustfmt::skip]
        pub mod apis;
        #[rustfmt::skip]
        pub mod models;
    }
}

/// The `apis` module of the one crate, or of a shard (`groups`: its groups' modules).
pub fn apis_module(api: &Api, features: &Features, groups_in: Option<&[String]>) -> TokenStream {
    let items = groups(api)
        .into_values()
        .filter(|(group, _)| groups_in.is_none_or(|groups_in| groups_in.contains(&group.module)));
    let items = items.map(|(group, _)| {
        let module = ident(&group.module);
        let type_name = ident(&group.type_name);
        let cfg = features.group_cfg(&group.module);
        let doc = doc(&format!(
            "Operations tagged `{}`: [`{}`], from `client.{}()`.",
            group.tag, group.type_name, group.module
        ));
        quote! { #cfg #doc pub mod #module; #cfg pub use #module::#type_name; }
    });
    quote! {
        //! Operation groups, one module per resource, each with a handle type and request builders.
        #(#items)*
    }
}

pub fn error_bodies(api: &Api, features: &Features) -> TokenStream {
    let cfg = |ty: &TypeRef| ty.named().and_then(|name| features.type_cfg(name));
    let variants = api.error_bodies.iter().map(|body| {
        let (cfg, variant) = (cfg(&body.ty), ident(&body.variant));
        let ty = type_tokens(&body.ty, Scope::Outside);
        let doc = doc(&format!(
            "An error body a document declares, read as `{}`.",
            body.variant
        ));
        quote!(#cfg #doc #variant(#ty),)
    });
    let decoders = api.error_bodies.iter().map(|body| {
        let (cfg, variant, decoder) = (cfg(&body.ty), ident(&body.variant), ident(&body.decoder));
        quote! {
            #cfg
            #[inline]
            pub fn #decoder(body: &[u8]) -> Option<Self> { rt::decode_error_body(body).map(Self::#variant) }
        }
    });
    quote! {
        // With only some groups' features on, no variant may need these.
        #[allow(unused_imports)]
        use super::models;
        #[allow(unused_imports)]
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

/// Each group's module, rendered as the caller asks for it (so only one is held at a time).
/// `split`: the code is spread over crates, so the SDK crate, not this one, makes the handle.
pub fn group_module(
    group: &Group,
    ops: &[&Operation],
    services: &[Service],
    split: bool,
) -> TokenStream {
    let type_name = ident(&group.type_name);
    let doc = doc(&format!(
        "Operations tagged `{}`: `client.{}()`.",
        group.tag, group.module
    ));
    let methods = ops.iter().map(|op| constructor(op, services));
    let deprecated_methods = ops.iter().flat_map(|op| deprecated_constructors(op));
    let builders = ops.iter().map(|op| builder(op, services));
    let client_field = if split {
        quote!(#[doc(hidden)] pub client: &'a crate::Client)
    } else {
        quote!(pub(crate) client: &'a crate::Client)
    };
    let deprecated_builders = ops.iter().flat_map(|op| deprecated_builder_names(op));
    quote! {
        #![allow(unused_imports)]
        use crate::models;
        use crate::runtime as rt;

        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #type_name<'a> { #client_field }

        impl<'a> #type_name<'a> {
            #(#methods)*
            #(#deprecated_methods)*
        }

        #(#builders)*
        #(#deprecated_builders)*
    }
}

/// An operation's earlier method names, each forwarding to today's for one release.
fn deprecated_constructors(op: &Operation) -> Vec<TokenStream> {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let slots = slots(op);
    let required: Vec<&Slot> = slots.iter().filter(|s| s.required).collect();
    let args: Vec<TokenStream> = required
        .iter()
        .map(|slot| {
            let (name, ty) = (&slot.name, slot.argument_type());
            quote!(#name: #ty)
        })
        .collect();
    let names: Vec<&proc_macro2::Ident> = required.iter().map(|slot| &slot.name).collect();
    op.renamed_from
        .iter()
        .map(|old| {
            let old_method = ident(&old.method_name);
            let note = format!("renamed to `{}`", op.method_name);
            let doc = doc(&format!("Renamed to [`Self::{}`].", op.method_name));
            quote! {
                #doc
                #[deprecated(note = #note)]
                pub fn #old_method(&self, #(#args),*) -> #builder<'a> {
                    self.#method(#(#names),*)
                }
            }
        })
        .collect()
}

/// An operation's earlier builder (and response enum) names, as deprecated aliases.
fn deprecated_builder_names(op: &Operation) -> Vec<TokenStream> {
    let builder = ident(&op.builder_name);
    let mut items = Vec::new();
    for old in &op.renamed_from {
        let old_builder = ident(&old.builder_name);
        let note = format!("renamed to `{}`", op.builder_name);
        let renamed = doc(&format!("Renamed to [`{}`].", op.builder_name));
        items.push(quote! {
            #renamed
            #[deprecated(note = #note)]
            pub type #old_builder<'a> = #builder<'a>;
        });
        if let (Some(old_enum), Some(new_enum)) = (&old.response_enum, &op.response_enum) {
            let (old_ident, new_ident) = (ident(old_enum), ident(new_enum));
            let note = format!("renamed to `{new_enum}`");
            let doc = doc(&format!("Renamed to [`{new_enum}`]."));
            items.push(quote! {
                #doc
                #[deprecated(note = #note)]
                pub type #old_ident = #new_ident;
            });
        }
    }
    items
}

/// A builder field, spelled from the IR's slot: a parameter, a multipart part or the body.
struct Slot {
    name: proc_macro2::Ident,
    ty: TokenStream,
    /// The element type, for lists: callers pass any iterable of convertible items.
    item: Option<TokenStream>,
    required: bool,
}

impl Slot {
    fn of(op: &Operation, slot: &ir::Slot) -> Self {
        let (ty, item) = match &slot.value {
            SlotValue::Param(index) => {
                let ty = &op.params[*index].ty;
                let item = match ty {
                    TypeRef::Vec(inner) => Some(type_tokens(inner, Scope::Outside)),
                    _ => None,
                };
                (type_tokens(ty, Scope::Outside), item)
            }
            // The body is one value even when it is a list.
            SlotValue::JsonBody(ty) => (type_tokens(ty, Scope::Outside), None),
            SlotValue::BytesBody => (quote!(::bytes::Bytes), None),
            SlotValue::Part(index) if op.part(*index).is_some_and(|part| part.is_file) => {
                (quote!(rt::FilePart), None)
            }
            SlotValue::Part(_) => (quote!(String), None),
        };
        Slot {
            name: ident(&slot.rust_name),
            ty,
            item,
            required: slot.role == SlotRole::Argument,
        }
    }

    /// The type a constructor argument or setter takes.
    fn argument_type(&self) -> TokenStream {
        match (&self.item, &self.ty) {
            (Some(item), _) => quote!(impl IntoIterator<Item = impl Into<#item>>),
            (None, ty) => quote!(impl Into<#ty>),
        }
    }

    /// Converts an argument (`value`) into the stored type.
    fn convert(&self, value: TokenStream) -> TokenStream {
        match self.item {
            Some(_) => quote!(#value.into_iter().map(Into::into).collect()),
            None => quote!(#value.into()),
        }
    }
}

/// What a setter sets: a parameter (where it goes, its facts), the body or a multipart part.
fn setter_doc(op: &Operation, slot: &ir::Slot) -> String {
    match &slot.value {
        SlotValue::Param(index) => {
            let phrase = param_phrase(&op.params[*index]);
            format!("Sets {}.", phrase.trim_end_matches('.'))
        }
        SlotValue::JsonBody(_) | SlotValue::BytesBody => "Sets the request body.".to_owned(),
        SlotValue::Part(index) => match op.part(*index) {
            Some(part) if part.is_file => format!("Sets the file part `{}`.", part.wire_name),
            Some(part) => format!("Sets the part `{}`.", part.wire_name),
            None => "Sets a part of the body.".to_owned(),
        },
    }
}

fn slots(op: &Operation) -> Vec<Slot> {
    op.slots.iter().map(|slot| Slot::of(op, slot)).collect()
}

fn constructor(op: &Operation, services: &[Service]) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let slots = slots(op);
    let args = slots.iter().filter(|s| s.required).map(|slot| {
        let (name, ty) = (&slot.name, slot.argument_type());
        quote!(#name: #ty)
    });
    let inits = slots.iter().map(|slot| {
        let name = &slot.name;
        if slot.required {
            let value = slot.convert(quote!(#name));
            quote!(#name: #value)
        } else {
            quote!(#name: None)
        }
    });
    let docs = operation_doc(op, services);
    let deprecated = deprecated(&op.facts);
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder<'a> {
            #builder { client: self.client, options: Default::default(), #(#inits),* }
        }
    }
}

/// The Rust type an operation's call resolves to.
fn output_type(op: &Operation) -> TokenStream {
    match op.success.as_slice() {
        [] => quote!(()),
        [only] => body_type(&only.body),
        _ => {
            let name = response_enum_ident(op);
            quote!(#name)
        }
    }
}

fn response_enum_ident(op: &Operation) -> proc_macro2::Ident {
    ident(op.response_enum.as_deref().unwrap_or("Response"))
}

fn body_type(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => type_tokens(ty, Scope::Outside),
        ResponseBody::Bytes { .. } => quote!(::bytes::Bytes),
    }
}

fn builder(op: &Operation, services: &[Service]) -> TokenStream {
    let builder = ident(&op.builder_name);
    let slots = slots(op);
    let fields = slots.iter().map(
        |Slot {
             name, ty, required, ..
         }| {
            if *required {
                quote!(#name: #ty,)
            } else {
                quote!(#name: Option<#ty>,)
            }
        },
    );
    let setters = slots
        .iter()
        .zip(&op.slots)
        .filter(|(s, _)| !s.required)
        .map(|(slot, ir_slot)| {
            let name = &slot.name;
            let doc = doc(&setter_doc(op, ir_slot));
            let deprecated = match &ir_slot.value {
                SlotValue::Param(index) => deprecated(&op.params[*index].facts),
                _ => None,
            };
            let (ty, value) = (slot.argument_type(), slot.convert(quote!(value)));
            quote! {
                #doc
                #deprecated
                pub fn #name(mut self, value: #ty) -> Self { self.#name = Some(#value); self }
            }
        })
        .collect::<Vec<_>>();
    let output = output_type(op);
    let response_enum = (op.success.len() > 1).then(|| {
        let name = response_enum_ident(op);
        let variants = op.success.iter().map(|s| {
            let variant = ident(&s.variant);
            let doc = doc(&format!("Status {}.", s.status));
            match &s.body {
                ResponseBody::Empty => quote!(#doc #variant,),
                body => {
                    let ty = body_type(body);
                    quote!(#doc #variant(#ty),)
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
    let request = request_expr(op, services);
    let decode = decode_arms(op);
    let stream = op.pagination.as_ref().map(stream_method);
    let doc = doc(&format!(
        "Request builder for `{}`: set optional parameters, then `.await` it.",
        op.operation_id
    ));
    // Setters and `.stream()`; the rest comes from `rt::Operation` and `crate::operation!`.
    // What touches the request and response types (`request`, `decode`, `stream`, and `send`
    // in the macro) is `#[inline]`: compiled in the crate that calls the operation, so the SDK
    // compiles no operation's encoding and decoding and an application only those it calls.
    let download = op.download.then(|| quote!(, download));
    let methods = (!setters.is_empty() || stream.is_some()).then(|| {
        quote! {
            impl<'a> #builder<'a> {
                #(#setters)*
                #stream
            }
        }
    });
    quote! {
        #response_enum

        #doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is awaited"]
        pub struct #builder<'a> { client: &'a crate::Client, options: crate::CallOptions, #(#fields)* }

        #methods

        impl rt::Operation for #builder<'_> {
            type Output = #output;

            #[inline]
            fn request(&self) -> rt::Request { #request }

            #[inline]
            fn decode(response: rt::Response) -> crate::Result<Self::Output> {
                match response.status() { #decode }
            }
        }

        crate::operation!(#builder => #output #download);
    }
}

/// `.stream()` on a list operation's builder: every item, page by page. It says only where
/// the page position goes in a builder and where a page's items are; `Paginated` does the rest.
fn stream_method(pagination: &Pagination) -> TokenStream {
    let item = type_tokens(&pagination.item, Scope::Outside);
    let items = match &pagination.items_field {
        None => quote!(body),
        Some(field) => field_value(field),
    };
    match &pagination.kind {
        PageKind::Offset { limit, skip } => {
            let (limit, skip) = (ident(limit), ident(skip));
            quote! {
                /// Streams every item, a page (`limit`, default 100) at a time from `skip`.
                #[inline]
                pub fn stream(self) -> crate::Paginated<'a, #item> {
                    crate::Paginated::offset(
                        self.client,
                        self,
                        |builder| (&mut builder.#skip, &mut builder.#limit),
                        |body| #items,
                    )
                }
            }
        }
        PageKind::Token { param, next } => {
            let param = ident(param);
            let next_name = ident(&next.rust_name);
            let next = if next.required {
                quote!(Some(body.#next_name))
            } else {
                quote!(body.#next_name)
            };
            quote! {
                /// Streams every item, following the page token the server returns.
                #[inline]
                pub fn stream(self) -> crate::Paginated<'a, #item> {
                    crate::Paginated::token(self.client, self, |builder| &mut builder.#param, |body| (#items, #next))
                }
            }
        }
    }
}

/// A list field of `body`, empty when absent.
fn field_value(field: &ResponseField) -> TokenStream {
    let name = ident(&field.rust_name);
    if field.required {
        quote!(body.#name)
    } else {
        quote!(body.#name.unwrap_or_default())
    }
}

fn request_expr(op: &Operation, services: &[Service]) -> TokenStream {
    let operation_id = &op.operation_id;
    let method = format_ident!("{}", op.method.as_str());
    // The path as a format string with its parameters encoded as single segments.
    // Path parameters, in template order (lowering guarantees one per `{name}`).
    let path_args = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| {
            let field = ident(&p.rust_name);
            quote!(&self.#field)
        });
    let mut calls = Vec::new();
    let binary_types: Vec<&str> = op
        .success
        .iter()
        .flat_map(|s| match &s.body {
            ResponseBody::Bytes { media_types } => media_types.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        })
        .collect();
    if !binary_types.is_empty() {
        let is_json = |m: &str| m.contains("json");
        let accept = if binary_types.iter().any(|m| is_json(m)) {
            // A body offered as JSON and as a file format (a report in JSON or CSV): JSON
            // first, as error bodies are JSON too and a server may send the others in the
            // first type it can.
            let mut types: Vec<String> = binary_types
                .iter()
                .filter(|m| is_json(m))
                .map(|m| m.to_string())
                .collect();
            types.extend(
                binary_types
                    .iter()
                    .filter(|m| !is_json(m))
                    .map(|m| format!("{m};q=0.9")),
            );
            types.dedup();
            types.join(", ")
        } else {
            // Error bodies are JSON, so JSON is acceptable too.
            format!("{}, application/json", binary_types.join(", "))
        };
        calls.push(quote!(.accept(#accept)));
    }
    for param in &op.params {
        let wire = &param.wire_name;
        let field = ident(&param.rust_name);
        let call = match param.location {
            ParamLocation::Path => continue,
            ParamLocation::Query => format_ident!("query"),
            ParamLocation::Header => format_ident!("header"),
            // Sent in the `Cookie` header (`name=value`).
            ParamLocation::Cookie => format_ident!("cookie"),
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
            ..
        }) => {
            let body = if *required {
                quote!(Some(self.body.clone()))
            } else {
                quote!(self.body.clone())
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
                    quote!(Some(self.#field.clone()))
                } else {
                    quote!(self.#field.clone())
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
    let template = &op.path;
    let service = ident(&services[op.service].variant);
    quote! { rt::Request::new(crate::Service::#service, #operation_id, rt::Method::#method, #template, &[#(#path_args),*]).options(&self.options) #(#calls)* }
}

fn decode_arms(op: &Operation) -> TokenStream {
    let success = match op.success.as_slice() {
        [] => quote!(200..=299 => Ok(()),),
        [only] => {
            let value = decode_body(only);
            quote!(200..=299 => #value,)
        }
        many => {
            let name = response_enum_ident(op);
            let arms = many.iter().map(|s| {
                let status = proc_macro2::Literal::u16_unsuffixed(s.status);
                let variant = ident(&s.variant);
                match &s.body {
                    ResponseBody::Empty => quote!(#status => Ok(#name::#variant),),
                    _ => {
                        let value = decode_body(s);
                        quote!(#status => #value.map(#name::#variant),)
                    }
                }
            });
            quote!(#(#arms)*)
        }
    };
    // Error statuses sharing a decoder share an arm, placed at its first status.
    let mut arms: Vec<(Option<&str>, Vec<u16>)> = Vec::new();
    let mut fallback = None;
    for error in &op.errors {
        let decoder = error.decoded_as.as_ref().map(|name| name.decoder.as_str());
        match error.status {
            Some(status) => match arms.iter_mut().find(|(d, _)| *d == decoder) {
                Some((_, statuses)) => statuses.push(status),
                None => arms.push((decoder, vec![status])),
            },
            None => fallback = decoder,
        }
    }
    let decoder_tokens = |decoder: Option<&str>| match decoder.map(ident) {
        Some(decoder) => quote!(Some(crate::ApiErrorBody::#decoder)),
        None => quote!(None),
    };
    let error_arms = arms.into_iter().map(|(decoder, statuses)| {
        let statuses = statuses
            .into_iter()
            .map(proc_macro2::Literal::u16_unsuffixed);
        let decoder = decoder_tokens(decoder);
        quote!(#(#statuses)|* => Err(response.api_error(#decoder)),)
    });
    let fallback = decoder_tokens(fallback);
    quote! {
        #success
        #(#error_arms)*
        _ => Err(response.api_error(#fallback)),
    }
}

fn decode_body(success: &SuccessResponse) -> TokenStream {
    match &success.body {
        ResponseBody::Empty => quote!(Ok(())),
        ResponseBody::Json(_) if success.list => quote!(response.json_list()),
        ResponseBody::Json(_) => quote!(response.json()),
        ResponseBody::Bytes { .. } => quote!(Ok(response.bytes())),
    }
}
