//! Doc comments for every public item, spelled from the IR: a schema's origin, a field's wire
//! name and facts (required, format, limits, default, enum values), a parameter's place, an
//! operation's path, statuses, paging and reference page. The documents' descriptions appear
//! only when lowering carried them (`Settings::descriptions`).
use super::types::doc;
use crate::ir::{
    ErrorResponse, Facts, Field, Operation, PageKind, Pagination, Param, ParamLocation, Service,
    TypeDef, TypeKind, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

/// The most enum values a field's doc lists.
const VALUES_LISTED: usize = 12;

/// Several doc paragraphs as doc attributes, a blank line between them.
pub fn paragraphs<S: AsRef<str>>(parts: impl IntoIterator<Item = S>) -> TokenStream {
    let mut lines = Vec::new();
    for part in parts {
        let part = part.as_ref();
        if part.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(part.lines().map(str::to_owned));
    }
    let lines = lines.iter().map(|line| doc(line));
    quote!(#(#lines)*)
}

/// `#[deprecated]` when the facts say so.
pub fn deprecated(facts: &Facts) -> Option<TokenStream> {
    facts
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated in the API's document")]))
}

/// Text in a code span, whatever backticks it holds.
pub fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// The facts as phrases (`format `email``, `maxLength 64`, `default `"x"``).
fn fact_phrases(facts: &Facts) -> Vec<String> {
    let mut phrases = Vec::new();
    if facts.write_only {
        phrases.push("write-only".to_owned());
    }
    if let Some(format) = &facts.format {
        phrases.push(format!("format {}", code(format)));
    }
    for limit in &facts.limits {
        // `pattern ^a$` → `pattern `^a$``: the value is code, the keyword is not.
        match limit.split_once(' ') {
            Some((keyword, value)) => phrases.push(format!("{keyword} {}", code(value))),
            None => phrases.push(code(limit)),
        }
    }
    if let Some(default) = &facts.default {
        phrases.push(format!("default {}", code(default)));
    }
    if facts.deprecated {
        phrases.push("deprecated".to_owned());
    }
    phrases
}

/// The values of a string enum the type names (through lists and maps), when it is one.
fn enum_values(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> Option<String> {
    let name = ty.named()?;
    let TypeKind::Enum(variants) = &types.get(name)?.kind else {
        return None;
    };
    let mut values: Vec<String> = variants
        .iter()
        .take(VALUES_LISTED)
        .map(|v| code(&v.value))
        .collect();
    if variants.len() > VALUES_LISTED {
        values.push(format!("… ({} in all)", variants.len()));
    }
    Some(format!("one of {}", values.join(", ")))
}

/// A model field: its wire name and facts, then the description when carried.
pub fn field_doc(field: &Field, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let mut phrases = Vec::new();
    if field.required {
        phrases.push("required".to_owned());
    }
    if field.nullable {
        phrases.push("nullable".to_owned());
    }
    if field.read_only {
        phrases.push("read-only (set by the server)".to_owned());
    }
    phrases.extend(fact_phrases(&field.facts));
    phrases.extend(enum_values(&field.ty, types));
    let mut line = format!("Key {}", code(&field.wire_name));
    line = match phrases.is_empty() {
        true => format!("{line}."),
        false => format!("{line}: {}.", phrases.join(", ")),
    };
    paragraphs(
        [Some(line), field.facts.description.clone()]
            .into_iter()
            .flatten(),
    )
}

/// Where a type comes from: the component it is, or the inline schema it was made for.
pub fn type_doc(def: &TypeDef, services: &[Service]) -> TokenStream {
    let on = match services {
        [] | [_] => String::new(),
        _ => services
            .get(def.document)
            .map_or(String::new(), |s| format!(" of the `{}` document", s.name)),
    };
    let origin = match def.component_key() {
        Some(key) => format!("The {} schema{on}.", code(&key)),
        None => format!("The inline schema at {}{on}.", code(&def.origin)),
    };
    let kind = match &def.kind {
        TypeKind::Struct(_) => None,
        TypeKind::Enum(_) => {
            Some("A string enum; a value this SDK does not know reads as `Unknown`.".to_owned())
        }
        TypeKind::Untagged(_) => {
            Some("One of several shapes: the first alternative the value fits is taken.".to_owned())
        }
        TypeKind::Alias(_) => None,
    };
    paragraphs(
        [Some(origin), kind, def.facts.description.clone()]
            .into_iter()
            .flatten(),
    )
}

/// An operation's method: summary, `METHOD path` (and API), operationId, reference page,
/// arguments, paging, documented error statuses, and the description when carried.
pub fn operation_doc(op: &Operation, api_services: &[Service]) -> TokenStream {
    let summary = op
        .summary
        .clone()
        .unwrap_or_else(|| op.operation_id.clone());
    let on = match api_services {
        [_] | [] => String::new(),
        _ => {
            let variant = &api_services[op.service].variant;
            format!(" on [`Service::{variant}`](crate::Service::{variant})")
        }
    };
    let mut location = format!(
        "`{} {}`{on} (operationId `{}`)",
        op.method.as_str(),
        op.path,
        op.operation_id
    );
    if let Some(url) = &op.reference {
        location.push_str(&format!(": [reference]({url})"));
    }
    let arguments: Vec<String> = op
        .slots
        .iter()
        .filter(|slot| slot.role == crate::ir::SlotRole::Argument)
        .map(|slot| match &slot.value {
            crate::ir::SlotValue::Param(index) => {
                let param = &op.params[*index];
                format!(
                    "- `{}`: {}",
                    slot.rust_name.trim_start_matches("r#"),
                    param_phrase(param)
                )
            }
            _ => format!(
                "- `{}`: the request body",
                slot.rust_name.trim_start_matches("r#")
            ),
        })
        .collect();
    let arguments =
        (!arguments.is_empty()).then(|| format!("Arguments:\n{}", arguments.join("\n")));
    let paging = op.pagination.as_ref().map(paging_text);
    let errors = errors_text(&op.errors);
    paragraphs(
        [
            Some(summary),
            Some(location),
            arguments,
            paging,
            Some(errors),
            op.facts.description.clone(),
        ]
        .into_iter()
        .flatten(),
    )
}

fn paging_text(pagination: &Pagination) -> String {
    match &pagination.kind {
        PageKind::Offset { limit, skip } => format!(
            "Pages with `{limit}` and `{skip}`: `.stream()` yields every item, a page at a time."
        ),
        PageKind::Token { param, .. } => format!(
            "Pages by `{param}`: `.stream()` yields every item, following the next-page token."
        ),
    }
}

/// The documented error statuses and the body each decodes into.
fn errors_text(errors: &[ErrorResponse]) -> String {
    let statuses: Vec<String> = errors
        .iter()
        .map(|error| {
            let status = error
                .status
                .map_or("other statuses".to_owned(), |s| s.to_string());
            match &error.decoded_as {
                Some(body) => format!(
                    "{status} ([`ApiErrorBody::{}`](crate::ApiErrorBody::{}))",
                    body.variant, body.variant
                ),
                None => status,
            }
        })
        .collect();
    let covers_all = errors.iter().any(|error| error.status.is_none());
    match (statuses.as_slice(), covers_all) {
        ([], _) => "Errors: the document lists no error status; each is an [`Error::Api`](crate::Error::Api) with an `ApiErrorBody::Undocumented` body.".to_owned(),
        (_, true) => format!(
            "Errors (as [`Error::Api`](crate::Error::Api)): {}.",
            statuses.join(", ")
        ),
        (_, false) => format!(
            "Errors (as [`Error::Api`](crate::Error::Api)): {}; another status has an `ApiErrorBody::Undocumented` body.",
            statuses.join(", ")
        ),
    }
}

/// A parameter as a phrase: where it goes and its facts.
pub fn param_phrase(param: &Param) -> String {
    let place = match param.location {
        ParamLocation::Path => "path parameter",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    };
    let mut phrase = format!("the {} {place}", code(&param.wire_name));
    let facts = fact_phrases(&param.facts);
    if !facts.is_empty() {
        phrase = format!("{phrase} ({})", facts.join(", "));
    }
    if let Some(description) = &param.facts.description {
        phrase = format!(
            "{phrase}: {}",
            description.lines().next().unwrap_or_default()
        );
    }
    phrase
}
