//! Where the real document's types fall back to untyped JSON (`serde_json::Value`), and proof
//! that none of them is a schema that declares a type: every use is either the map of
//! undeclared keys a struct keeps, an explicitly free-form object, `additionalProperties: true`,
//! or a schema with no `type` at all.
mod common;

use codegen::ir::{TypeKind, TypeRef};
use common::*;
use serde_json::Value;

/// The schema at a JSON pointer, following `$ref`s.
fn schema_at<'d>(document: &'d Value, pointer: &str) -> Option<&'d Value> {
    let mut node = document.pointer(pointer)?;
    for _ in 0..16 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => node = document.pointer(reference.trim_start_matches('#'))?,
            None => return Some(node),
        }
    }
    None
}

/// The schema of the JSON values inside `ty` (through list items and map values).
fn json_leaf<'d>(
    document: &'d Value,
    schema: Option<&'d Value>,
    ty: &TypeRef,
) -> Option<&'d Value> {
    let schema = schema?;
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => document.pointer(reference.trim_start_matches('#'))?,
        None => schema,
    };
    match ty {
        TypeRef::Vec(inner) => json_leaf(document, schema.get("items"), inner),
        TypeRef::Map(inner) => json_leaf(document, schema.get("additionalProperties"), inner),
        _ => Some(schema),
    }
}

fn untyped(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Json => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) => untyped(inner),
        _ => false,
    }
}

#[test]
fn untyped_json_only_where_the_document_declares_no_type() {
    let text = spec("jumpcloud-v2.yaml");
    let document: Value = serde_yaml::from_str(&text).expect("the document parses");
    let loaded = codegen::load::load(&text).expect("loads");
    let mut diagnostics = Vec::new();
    let api = codegen::lower::lower(
        &loaded.document,
        &loaded.sha256,
        &jumpcloud_settings(),
        &mut diagnostics,
    )
    .expect("lowers");
    let (mut unknown_keys, mut free_form, mut any_additional, mut no_type) = (0, 0, 0, Vec::new());
    let mut typed = Vec::new();
    for def in api.types.values() {
        let mut uses: Vec<(String, &TypeRef)> = Vec::new();
        match &def.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    uses.push((
                        format!("{}/properties/{}", def.origin, field.wire_name),
                        &field.ty,
                    ));
                }
                match &s.additional {
                    Some(TypeRef::Json) => {
                        let declared = schema_at(&document, &def.origin)
                            .and_then(|s| s.get("additionalProperties"))
                            .is_some();
                        if declared {
                            any_additional += 1;
                        } else {
                            unknown_keys += 1;
                        }
                    }
                    Some(other) => {
                        uses.push((format!("{}/additionalProperties", def.origin), other))
                    }
                    None => {}
                }
            }
            TypeKind::Alias(target) => uses.push((def.origin.clone(), target)),
            TypeKind::Untagged(alternatives) => uses.extend(
                alternatives
                    .variants
                    .iter()
                    .map(|v| (def.origin.clone(), &v.ty)),
            ),
            TypeKind::Enum(_) => {}
        }
        for (pointer, ty) in uses {
            if *ty == TypeRef::JsonObject {
                free_form += 1;
            } else if untyped(ty) {
                let leaf = json_leaf(&document, schema_at(&document, &pointer), ty);
                match leaf.and_then(|s| s.get("type")) {
                    None => no_type.push(pointer),
                    Some(declared) => typed.push(format!("{pointer} (type {declared})")),
                }
            }
        }
    }
    println!(
        "serde_json::Value uses: {} undeclared-key maps on structs, {} free-form objects \
         (`type: object` alone), {} `additionalProperties: true` structs, {} values whose schema declares no type (no `type`, or `additionalProperties: true` / `{{}}`)",
        unknown_keys,
        free_form,
        any_additional,
        no_type.len()
    );
    for pointer in &no_type {
        println!("  no type: {pointer}");
    }
    assert!(
        typed.is_empty(),
        "schemas that declare a type read as untyped JSON:\n{}",
        typed.join("\n")
    );
    assert!(
        !no_type.is_empty(),
        "the document has untyped schemas (AnyValue); the walk must find them"
    );
}
