//! Model types: one Rust type per named IR type, split into files by first letter so rustc
//! and readers get modest files.
use super::doc_lines::{deprecated, field_doc, type_doc};
use super::features::Features;
use super::types::{doc, ident, type_tokens, Scope};
use crate::ir::{
    has_default, Alternatives, Api, Field, FieldShape, Layout, Struct, TypeDef, TypeKind,
};
use crate::names;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The chunk file a type lives in.
fn chunk_of(name: &str) -> String {
    name.chars()
        .next()
        .map_or("other".into(), |c| c.to_ascii_lowercase().to_string())
}

/// The `models` module of the one crate, the core or a shard (`unit`: `Some(shard)`); a
/// shard's also has the core's models, which its own mention.
pub fn models_module(api: &Api, unit: Option<usize>) -> TokenStream {
    let chunks: BTreeSet<String> = chunks_of(api, unit).into_keys().collect();
    let chunks = chunks.iter().map(|c| ident(c));
    let core_models = api
        .layout
        .as_ref()
        .filter(|_| unit.is_some())
        .map(|layout| {
            let core = ident(&Layout::crate_ident(&layout.core));
            // With only some groups' features on, a shard may use none of them.
            quote!(#[allow(unused_imports)] pub use ::#core::models::*;)
        });
    let doc = match (&api.layout, unit) {
        // The leading space is the one `//!` would have put there.
        (None, _) => " Every schema of the document as a Rust type.",
        (Some(_), None) => " The schemas every shard may use, as Rust types.",
        (Some(_), Some(_)) => " The schemas only this shard's groups use, and the core's.",
    };
    quote! {
        #![doc = #doc]
        pub use crate::{Base64, DateTime, Uuid};
        #core_models
        // With only some groups' features on, a chunk can be empty.
        #(mod #chunks; #[allow(unused_imports)] pub use #chunks::*;)*
    }
}

/// The model files of the one crate, the core (`unit`: `None`) or a shard: each chunk's name
/// and its definitions, sorted by name.
pub fn chunks_of(api: &Api, unit: Option<usize>) -> BTreeMap<String, Vec<&TypeDef>> {
    let mut chunks: BTreeMap<String, Vec<&TypeDef>> = BTreeMap::new();
    let in_unit = |name: &str| {
        api.layout
            .as_ref()
            .is_none_or(|layout| layout.shard_of_type(name) == unit)
    };
    for def in api.types.values().filter(|def| in_unit(&def.name)) {
        chunks.entry(chunk_of(&def.name)).or_default().push(def);
    }
    chunks
}

/// One model file.
pub fn model_chunk(defs: &[&TypeDef], api: &Api, features: &Features) -> TokenStream {
    let items = defs.iter().map(|def| {
        let docs = type_doc(def, &api.services);
        let deprecated = deprecated(&def.facts);
        let items = type_def(def, &api.types);
        let items = quote!(#docs #deprecated #items);
        let aliases = deprecated_aliases(def);
        with_cfg(features.type_cfg(&def.name), quote!(#items #aliases))
    });
    quote! {
        #[allow(unused_imports)] use super::*;
        #[allow(unused_imports)] use crate::runtime as rt;
        #(#items)*
    }
}

/// A type's earlier names, kept for one release.
fn deprecated_aliases(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let aliases = def.renamed_from.iter().map(|old| {
        let old = ident(old);
        let note = format!("renamed to `{}`", def.name);
        let doc = doc(&format!("Renamed to [`{}`].", def.name));
        quote! {
            #doc
            #[deprecated(note = #note)]
            pub type #old = #name;
        }
    });
    quote!(#(#aliases)*)
}

/// Puts a `cfg` on every item of a definition (a struct or enum comes with its impls).
fn with_cfg(cfg: Option<TokenStream>, items: TokenStream) -> TokenStream {
    let Some(cfg) = cfg else { return items };
    let items = split_items(items);
    quote!(#(#cfg #items)*)
}

/// Splits generated items without parsing them (syn would double generation time): each of
/// ours ends with a `;` or a `{ … }` block at the top level.
fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    let mut items = Vec::new();
    let mut item = Vec::new();
    for token in tokens {
        let ends = match &token {
            proc_macro2::TokenTree::Punct(punct) => punct.as_char() == ';',
            proc_macro2::TokenTree::Group(group) => {
                group.delimiter() == proc_macro2::Delimiter::Brace
            }
            _ => false,
        };
        item.push(token);
        if ends {
            items.push(item.drain(..).collect());
        }
    }
    if !item.is_empty() {
        items.push(item.into_iter().collect());
    }
    items
}

fn type_def(def: &TypeDef, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(names::UNKNOWN_VARIANT);
    match &def.kind {
        TypeKind::Struct(s) => struct_def(&def.name, s, types),
        TypeKind::Enum(variants) => {
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
            let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
            let docs = values.iter().map(|v| doc(&format!("`{v}`")));
            // Non-exhaustive: a value the API adds is a compatible change (ARCHITECTURE.md,
            // "Semver policy").
            quote! {
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name {
                    #(#docs #idents,)*
                    /// A value this version of the SDK does not know, kept as received.
                    #unknown(String),
                }
                impl #name {
                    /// The value as it appears on the wire.
                    #[inline]
                    pub fn as_str(&self) -> &str {
                        match self { #(Self::#idents => #values,)* Self::#unknown(value) => value, }
                    }
                }
                /// `Unknown("")`: what a missing or `null` value reads as.
                impl Default for #name {
                    #[inline]
                    fn default() -> Self { Self::#unknown(String::new()) }
                }
                impl From<&str> for #name {
                    #[inline]
                    fn from(value: &str) -> Self {
                        match value { #(#values => Self::#idents,)* other => Self::#unknown(other.to_owned()), }
                    }
                }
                crate::string_enum!(#name);
            }
        }
        TypeKind::Untagged(alternatives) => untagged_def(&def.name, alternatives, types),
        TypeKind::Alias(target) => {
            let target = type_tokens(target, Scope::Models);
            quote! { pub type #name = #target; }
        }
    }
}

/// One of several shapes. Decoding picks, in order, the first variant whose required keys the
/// object has and that decodes: lenient structs would otherwise accept any object. With a
/// discriminator, a known value of its property picks the variant instead, and encoding
/// writes the variant's value when the variant leaves the property unset.
fn untagged_def(
    name: &str,
    alternatives: &Alternatives,
    types: &BTreeMap<String, TypeDef>,
) -> TokenStream {
    let variants = alternatives.variants.as_slice();
    let name_text = name;
    let name = ident(name);
    let declared = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let mut ty = type_tokens(&v.ty, Scope::Models);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let tags = v.tags.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>();
        let doc = match (tags.as_slice(), &alternatives.discriminator) {
            ([], _) | (_, None) => doc("An alternative."),
            (tags, Some(property)) => doc(&format!(
                "The alternative `{property}` {} selects.",
                tags.join(" or ")
            )),
        };
        quote!(#doc #variant(#ty),)
    });
    let decoders = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let keys = &v.required_keys;
        quote!((&[#(#keys),*], |reader| rt::Decode::decode(reader).map(Self::#variant)),)
    });
    // The default must not recurse: the first variant that does not contain the enum, and
    // only when that variant's type has a default of its own.
    let default = variants
        .iter()
        .find(|v| !v.boxed)
        .filter(|v| has_default(&v.ty, types))
        .map(|v| {
            let variant = ident(&v.rust_name);
            quote! {
                impl Default for #name {
                    #[inline]
                    fn default() -> Self { Self::#variant(Default::default()) }
                }
            }
        });
    // What a missing value reads as (`rt::Decode::empty`): the default variant's, boxed or not.
    let empty = variants
        .iter()
        .find(|v| !v.boxed)
        .or(variants.first())
        .map(|v| {
            let variant = ident(&v.rust_name);
            quote! {
                #[inline]
                fn empty() -> Self { Self::#variant(rt::Decode::empty()) }
            }
        });
    let Some(property) = &alternatives.discriminator else {
        return quote! {
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name { #(#declared)* }
            #default
            impl rt::Decode for #name {
                #[inline]
                fn decode(reader: &mut rt::Reader<'_>) -> Result<Self, rt::DecodeError> {
                    rt::decode_untagged(reader, #name_text, &[#(#decoders)*])
                }
                #empty
            }
            crate::deserialize_with_decode!(#name);
        };
    };
    let tags = variants.iter().enumerate().flat_map(|(index, v)| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        v.tags.iter().map(move |tag| quote!((#tag, #index),))
    });
    let encoders = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let tag = match v.tags.first() {
            Some(tag) => quote!(Some(#tag)),
            None => quote!(None),
        };
        quote!(Self::#variant(value) => rt::encode_tagged(serializer, #property, #tag, value),)
    });
    quote! {
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name { #(#declared)* }
        #default
        impl ::serde::Serialize for #name {
            #[inline]
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self { #(#encoders)* }
            }
        }
        impl rt::Decode for #name {
            #[inline]
            fn decode(reader: &mut rt::Reader<'_>) -> Result<Self, rt::DecodeError> {
                rt::decode_tagged(reader, #name_text, #property, &[#(#tags)*], &[#(#decoders)*])
            }
            #empty
        }
        crate::deserialize_with_decode!(#name);
    }
}

fn struct_def(name: &str, s: &Struct, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let name = ident(name);
    let extra = ident(names::ADDITIONAL_PROPERTIES);
    let fields = s.fields.iter().map(|field| field_def(field, types));
    let additional_type = s.additional.as_ref().map(|value| {
        let value = type_tokens(value, Scope::Models);
        quote!(::std::collections::BTreeMap<String, #value>)
    });
    let additional = additional_type.as_ref().map(|ty| {
        quote! {
            /// Keys the schema does not declare, kept as received and sent back.
            pub #extra: #ty,
        }
    });
    let decoders = s.fields.iter().map(|field| {
        // Keys arrive as bytes (`rt::Model::read`). Matched on their length, then compared
        // whole: a `b"…"` pattern would compile to a test per byte of every key, which made
        // the readers a fifth of a calling program's LLVM IR in a debug build.
        let wire = proc_macro2::Literal::byte_string(field.wire_name.as_bytes());
        let length = proc_macro2::Literal::usize_unsuffixed(field.wire_name.len());
        let name = ident(&field.rust_name);
        let read = match field.shape {
            FieldShape::Lenient { .. } => quote!(lenient_field),
            FieldShape::Required => quote!(required),
            FieldShape::Strict => quote!(strict_field),
            FieldShape::Nullable | FieldShape::Optional => quote!(optional_field),
        };
        quote!(#length if rt::is_key(key, #wire) => rt::#read(&mut self.#name, value),)
    });
    let unknown = match additional {
        Some(_) => quote!(_ => rt::extra_field(&mut self.#extra, key, value),),
        None => quote!(_ => rt::skip_field(value),),
    };
    let encoders = s.fields.iter().map(|field| {
        let wire = &field.wire_name;
        let name = ident(&field.rust_name);
        let write = match field.shape {
            FieldShape::Lenient { always: true }
            | FieldShape::Required
            | FieldShape::Strict
            | FieldShape::Nullable => quote!(always),
            FieldShape::Lenient { always: false } | FieldShape::Optional => quote!(optional),
        };
        quote!(fields.#write(#wire, &self.#name);)
    });
    let encode_additional = additional
        .is_some()
        .then(|| quote!(fields.extra(&self.#extra);));
    // A struct that keeps nothing (no fields, undeclared keys skipped) writes nothing.
    let fields_arg = if s.fields.is_empty() && s.additional.is_none() {
        quote!(_fields)
    } else {
        quote!(fields)
    };
    // With required fields, no `Default` and no struct literals outside the crate: the
    // constructor takes them, so a request cannot send them empty by accident.
    let required: Vec<&Field> = s.required_fields().collect();
    let (derives, constructor, model) = if required.is_empty() {
        (
            quote!(#[derive(Debug, Clone, PartialEq, Default)]),
            None,
            quote!(crate::serde_model!(#name);),
        )
    } else {
        let all = s.fields.iter().map(|f| ident(&f.rust_name));
        let all = all.chain(additional.is_some().then(|| extra.clone()));
        (
            quote!(#[derive(Debug, Clone, PartialEq)] #[non_exhaustive]),
            Some(constructor(
                &name,
                &required,
                required.len() < s.fields.len() || additional.is_some(),
            )),
            quote!(crate::serde_model!(#name { #(#all),* });),
        )
    };
    quote! {
        #derives
        pub struct #name { #(#fields)* #additional }
        #constructor
        impl rt::Model for #name {
            #[inline]
            fn read(&mut self, key: &[u8], value: rt::FieldValue<'_, '_>) -> rt::FieldResult {
                match key.len() {
                    #(#decoders)*
                    #unknown
                }
            }
            #[inline]
            fn write(&self, #fields_arg: &mut rt::Fields<'_>) {
                #(#encoders)*
                #encode_additional
            }
        }
        #model
    }
}

/// `new`, taking the fields a request must set; the others start empty (`None`).
fn constructor(name: &proc_macro2::Ident, required: &[&Field], has_others: bool) -> TokenStream {
    let params = required.iter().map(|field| {
        let arg = ident(&field.rust_name);
        let ty = type_tokens(&field.ty, Scope::Models);
        if field.is_bare() || field.boxed {
            quote!(#arg: impl Into<#ty>)
        } else {
            quote!(#arg: impl Into<Option<#ty>>)
        }
    });
    let sets = required.iter().map(|field| {
        let arg = ident(&field.rust_name);
        match (field.is_bare(), field.boxed) {
            (true, _) => quote!(#arg: #arg.into(),),
            (false, true) => quote!(#arg: Some(Box::new(#arg.into())),),
            (false, false) => quote!(#arg: #arg.into(),),
        }
    });
    let list = required
        .iter()
        .map(|f| format!("`{}`", f.rust_name.trim_start_matches("r#")))
        .collect::<Vec<_>>()
        .join(", ");
    let summary = doc(&format!(
        "With the fields a request must set ({list}); the others start unset, to be assigned."
    ));
    let rest = has_others.then(|| quote!(..<Self as rt::Decode>::empty()));
    quote! {
        impl #name {
            #summary
            #[inline]
            pub fn new(#(#params),*) -> Self {
                Self { #(#sets)* #rest }
            }
        }
    }
}

fn field_def(field: &Field, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let docs = field_doc(field, types);
    let deprecated = deprecated(&field.facts);
    let name = ident(&field.rust_name);
    let mut ty = type_tokens(&field.ty, Scope::Models);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    if field.is_bare() {
        quote!(#docs #deprecated pub #name: #ty,)
    } else {
        quote!(#docs #deprecated pub #name: Option<#ty>,)
    }
}
