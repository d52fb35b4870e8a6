//! How IR type references are spelled in Rust.
use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier, raw when the IR name says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A doc attribute; the leading space makes prettyplease print `/// text`.
pub fn doc(text: &str) -> TokenStream {
    let text = if text.is_empty() {
        String::new()
    } else {
        format!(" {text}")
    };
    quote!(#[doc = #text])
}

/// Where named types live relative to the code being rendered.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Inside `models`: named types are in scope.
    Models,
    /// Elsewhere: named types are `models::Name`.
    Outside,
}

pub fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Models => quote!(#name),
                Scope::Outside => quote!(models::#name),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime | TypeRef::Uuid | TypeRef::Base64 => {
            let name = ident(&format!("{ty:?}"));
            match scope {
                Scope::Models => quote!(#name),
                Scope::Outside => quote!(models::#name),
            }
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => quote!(::serde_json::Map<String, ::serde_json::Value>),
    }
}
