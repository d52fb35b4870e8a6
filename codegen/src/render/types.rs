//! How IR type references are spelled in Rust.
use crate::ir::TypeRef;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

/// An identifier, raw when the IR name says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// A doc attribute; printed as the line `/// text`.
pub fn doc(text: &str) -> TokenStream {
    let text = if text.is_empty() {
        String::new()
    } else {
        format!(" {text}")
    };
    let literal = raw_string(&text);
    quote!(#[doc = #literal])
}

/// `text` as a raw string literal (`r"…"`, with as many `#` as it needs), or an escaped one
/// when it has a carriage return, which a raw string cannot hold. For docs: a raw one is made
/// and read back by slicing (the printer writes its text as a `///` line), where an escaped one
/// is escaped character by character.
fn raw_string(text: &str) -> Literal {
    if text.contains('\r') {
        return Literal::string(text);
    }
    // The longest run of `#` right after a `"` decides how many the delimiters need.
    let mut hashes = 0;
    for (at, _) in text.match_indices('"') {
        let run = text[at + 1..].bytes().take_while(|&b| b == b'#').count();
        hashes = hashes.max(run + 1);
    }
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{text}\"{fence}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The file printed for one documented item.
    fn printed(doc_tokens: TokenStream) -> String {
        super::super::print::file(quote!(#doc_tokens struct S;))
    }

    #[test]
    fn a_doc_prints_as_a_line_of_its_text() {
        for text in [
            "",
            "Plain text with a [`link`](https://docs.jumpcloud.com/api/2.0/index.html).",
            r###"Quotes "a" and "#hash" and "##two", a backslash \ and é."###,
        ] {
            let spaced = match text {
                "" => String::new(),
                _ => format!(" {text}"),
            };
            assert_eq!(
                printed(doc(text)),
                format!("///{spaced}\nstruct S;\n"),
                "{text:?}"
            );
        }
        // A carriage return cannot stand in a `///` line: the attribute stays.
        assert_eq!(
            printed(doc("A carriage return\rhere.")),
            "#[doc = \" A carriage return\\rhere.\"]\nstruct S;\n"
        );
    }

    #[test]
    fn raw_strings_take_enough_hashes_and_escape_a_carriage_return() {
        assert_eq!(raw_string("a").to_string(), r#"r"a""#);
        assert_eq!(raw_string(r#"say "hi""#).to_string(), r##"r#"say "hi""#"##);
        assert_eq!(
            raw_string(r##"a "# b"##).to_string(),
            r###"r##"a "# b"##"###
        );
        assert_eq!(raw_string("a\rb").to_string(), r#""a\rb""#);
    }
}
