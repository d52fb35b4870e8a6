//! Model types: one Rust type per named IR type, split into files by first letter so rustc
//! and readers get modest files.
use super::types::{doc, ident, type_tokens, Scope};
use crate::ir::{Api, Field, Struct, TypeDef, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The chunk file a type lives in.
fn chunk_of(name: &str) -> String {
    name.chars()
        .next()
        .map_or("other".into(), |c| c.to_ascii_lowercase().to_string())
}

pub fn models_module(api: &Api) -> TokenStream {
    let chunks: BTreeSet<String> = api.types.keys().map(|n| chunk_of(n)).collect();
    let chunks = chunks.iter().map(|c| ident(c));
    quote! {
        //! Every schema of the document as a Rust type.
        #(mod #chunks; pub use #chunks::*;)*
    }
}

pub fn model_chunks(api: &Api) -> BTreeMap<String, TokenStream> {
    let defaultable = defaultable_types(api);
    let mut chunks: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
    for def in api.types.values() {
        chunks
            .entry(chunk_of(&def.name))
            .or_default()
            .push(type_def(def, &defaultable));
    }
    chunks
        .into_iter()
        .map(|(chunk, items)| {
            (
                chunk,
                quote! { #[allow(unused_imports)] use super::*; #(#items)* },
            )
        })
        .collect()
}

fn type_def(def: &TypeDef, defaultable: &BTreeSet<&str>) -> TokenStream {
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => struct_def(&def.name, s, defaultable.contains(def.name.as_str())),
        TypeKind::Enum(variants) => {
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
            let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
            let docs = values.iter().map(|v| doc(&format!("`{v}`")));
            quote! {
                #[derive(Debug, Clone, PartialEq, Eq, Hash)]
                pub enum #name {
                    #(#docs #idents,)*
                    /// A value this version of the SDK does not know, kept as received.
                    Unknown(String),
                }
                impl #name {
                    /// The value as it appears on the wire.
                    pub fn as_str(&self) -> &str {
                        match self { #(Self::#idents => #values,)* Self::Unknown(value) => value, }
                    }
                }
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value { #(#values => Self::#idents,)* other => Self::Unknown(other.to_owned()), }
                    }
                }
                crate::string_enum!(#name);
            }
        }
        TypeKind::Untagged(variants) => {
            let variants = variants.iter().map(|v| {
                let variant = ident(&v.rust_name);
                let ty = type_tokens(&v.ty, Scope::Models);
                quote!(#variant(#ty),)
            });
            quote! {
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                pub enum #name { #(#variants)* }
            }
        }
        TypeKind::Alias(target) => {
            let target = type_tokens(target, Scope::Models);
            quote! { pub type #name = #target; }
        }
    }
}

fn struct_def(name: &str, s: &Struct, default: bool) -> TokenStream {
    let name = ident(name);
    let fields = s.fields.iter().map(field_def);
    let additional = s.additional.as_ref().map(|value| {
        let value = type_tokens(value, Scope::Models);
        quote! {
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<String, #value>,
        }
    });
    let default = default.then(|| quote!(Default,));
    quote! {
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name { #(#fields)* #additional }
    }
}

fn field_def(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let mut ty = type_tokens(&field.ty, Scope::Models);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    let rename = (field.rust_name.trim_start_matches("r#") != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(rename = #wire,)
    });
    if field.required && !field.nullable {
        let attr = rename.map(|rename| quote!(#[serde(#rename)]));
        quote! { #attr pub #name: #ty, }
    } else if field.required {
        // Required but nullable: always sent, `null` when unset.
        quote! { #[serde(#rename default)] pub #name: Option<#ty>, }
    } else {
        quote! { #[serde(#rename default, skip_serializing_if = "Option::is_none")] pub #name: Option<#ty>, }
    }
}

/// Types that can derive `Default`: structs whose required fields all have a default value.
/// String enums have none (no value is a safe guess).
fn defaultable_types(api: &Api) -> BTreeSet<&str> {
    let mut yes: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = yes.len();
        for def in api.types.values() {
            let ok = match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .all(|f| !f.required || f.nullable || has_default(&f.ty, &yes)),
                TypeKind::Alias(target) => has_default(target, &yes),
                TypeKind::Enum(_) | TypeKind::Untagged(_) => false,
            };
            if ok {
                yes.insert(&def.name);
            }
        }
        if yes.len() == before {
            return yes;
        }
    }
}

fn has_default(ty: &TypeRef, defaultable: &BTreeSet<&str>) -> bool {
    match ty {
        TypeRef::Named(name) => defaultable.contains(name.as_str()),
        _ => true,
    }
}
