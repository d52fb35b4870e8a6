//! OpenAPI 3.1 documents rewritten into the 3.0 model the rest of the pipeline reads. 3.1's
//! schemas are JSON Schema 2020-12; the constructs real documents use have 3.0 spellings
//! (`type: [T, "null"]` is `type: T` + `nullable`, `const` a one-value `enum`, an `examples`
//! array an `example`, a numeric `exclusiveMinimum` a `minimum` with the flag, a `$ref` with
//! constraints beside it an `allOf`). What has none (`prefixItems`, `$defs`, conditionals,
//! webhooks) is dropped with a warning naming its JSON pointer. Rewriting the JSON value keeps
//! openapiv3 as the one model: lowering and everything after it never learn the version.
use super::{escape_pointer, METHODS};
use crate::diagnostics::{Diagnostic, Severity};
use serde_json::{Map, Value};

/// Rewrites a 3.1 document in place into 3.0.3, returning what could not be kept.
pub fn normalise(document: &mut Value) -> Vec<Diagnostic> {
    let mut rewriter = Rewriter::default();
    let Some(root) = document.as_object_mut() else {
        return rewriter.notes;
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    for (key, what) in [
        ("webhooks", "webhooks are not generated"),
        ("jsonSchemaDialect", "the JSON Schema dialect is not read"),
    ] {
        if root.remove(key).is_some() {
            rewriter.warn(&format!("/{key}"), what);
        }
    }
    if let Some(Value::Object(info)) = root.get_mut("info") {
        if let Some(Value::Object(license)) = info.get_mut("license") {
            license.remove("identifier");
        }
    }
    // 3.1 makes `paths` optional; 3.0 requires it.
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            rewriter.path_item(item, &format!("/paths/{}", escape_pointer(path)));
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        if components.remove("pathItems").is_some() {
            rewriter.warn("/components/pathItems", "path item components are not read");
        }
        for (section, what) in [
            ("schemas", Section::Schemas),
            ("parameters", Section::Parameters),
            ("headers", Section::Parameters),
            ("requestBodies", Section::Bodies),
            ("responses", Section::Bodies),
        ] {
            if let Some(Value::Object(entries)) = components.get_mut(section) {
                for (key, entry) in entries.iter_mut() {
                    let pointer = format!("/components/{section}/{}", escape_pointer(key));
                    match what {
                        Section::Schemas => rewriter.schema(entry, &pointer),
                        Section::Parameters => rewriter.parameter(entry, &pointer),
                        Section::Bodies => rewriter.with_content(entry, &pointer),
                    }
                }
            }
        }
    }
    rewriter.notes
}

#[derive(Clone, Copy)]
enum Section {
    Schemas,
    Parameters,
    Bodies,
}

/// Keys beside a `$ref` that only annotate it (3.1 allows `summary` and `description`).
const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "deprecated",
    "$comment",
];

#[derive(Default)]
struct Rewriter {
    notes: Vec<Diagnostic>,
}

impl Rewriter {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.notes.push(Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn path_item(&mut self, item: &mut Value, pointer: &str) {
        let Some(item) = item.as_object_mut() else {
            return;
        };
        self.parameters(item.get_mut("parameters"), &format!("{pointer}/parameters"));
        for method in METHODS {
            let Some(Value::Object(operation)) = item.get_mut(*method) else {
                continue;
            };
            let pointer = format!("{pointer}/{method}");
            self.parameters(
                operation.get_mut("parameters"),
                &format!("{pointer}/parameters"),
            );
            if let Some(body) = operation.get_mut("requestBody") {
                self.with_content(body, &format!("{pointer}/requestBody"));
            }
            if let Some(Value::Object(responses)) = operation.get_mut("responses") {
                for (status, response) in responses.iter_mut() {
                    let pointer = format!("{pointer}/responses/{}", escape_pointer(status));
                    self.with_content(response, &pointer);
                }
            }
            if operation.remove("callbacks").is_some() {
                self.warn(
                    &format!("{pointer}/callbacks"),
                    "callbacks are not generated",
                );
            }
        }
    }

    fn parameters(&mut self, parameters: Option<&mut Value>, pointer: &str) {
        if let Some(Value::Array(parameters)) = parameters {
            for (index, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &format!("{pointer}/{index}"));
            }
        }
    }

    /// A parameter or header: its `schema`, or its `content`.
    fn parameter(&mut self, parameter: &mut Value, pointer: &str) {
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &format!("{pointer}/schema"));
        }
        self.with_content(parameter, pointer);
    }

    /// A request body, response or parameter: the schemas of its media types and headers.
    fn with_content(&mut self, node: &mut Value, pointer: &str) {
        let Some(node) = node.as_object_mut() else {
            return;
        };
        if let Some(Value::Object(content)) = node.get_mut("content") {
            for (media_type, media) in content.iter_mut() {
                let pointer = format!("{pointer}/content/{}", escape_pointer(media_type));
                if let Some(schema) = media.get_mut("schema") {
                    self.schema(schema, &format!("{pointer}/schema"));
                }
            }
        }
        if let Some(Value::Object(headers)) = node.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                self.parameter(
                    header,
                    &format!("{pointer}/headers/{}", escape_pointer(name)),
                );
            }
        }
    }

    /// One schema and, recursively, the schemas inside it.
    fn schema(&mut self, schema: &mut Value, pointer: &str) {
        // Boolean schemas: `true` accepts anything, `false` nothing (not expressible in 3.0).
        if let Value::Bool(accepts) = schema {
            if !*accepts {
                self.warn(pointer, "the `false` schema is read as any JSON");
            }
            *schema = Value::Object(Map::new());
            return;
        }
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        if object.contains_key("$ref") {
            reference_with_siblings(object);
            if object.contains_key("$ref") {
                return;
            }
        }
        self.keywords(object, pointer);
        for key in ["properties", "patternProperties"] {
            if let Some(Value::Object(properties)) = object.get_mut(key) {
                for (name, property) in properties.iter_mut() {
                    let pointer = format!("{pointer}/{key}/{}", escape_pointer(name));
                    self.schema(property, &pointer);
                }
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(members)) = object.get_mut(key) {
                for (index, member) in members.iter_mut().enumerate() {
                    self.schema(member, &format!("{pointer}/{key}/{index}"));
                }
            }
        }
        for key in ["items", "not"] {
            if let Some(inner) = object.get_mut(key) {
                self.schema(inner, &format!("{pointer}/{key}"));
            }
        }
        if let Some(additional @ Value::Object(_)) = object.get_mut("additionalProperties") {
            self.schema(additional, &format!("{pointer}/additionalProperties"));
        }
    }
}

/// `$ref` with siblings: annotations are dropped (the target's own apply); anything that
/// constrains (`nullable` spelt `type: [.., "null"]`, `readOnly`, …) wraps the reference in an
/// `allOf` so it is kept; what remains beside the `allOf` (`readOnly`, `type: "null"`) is then
/// rewritten like any schema's keywords.
fn reference_with_siblings(object: &mut Map<String, Value>) {
    object.retain(|key, _| key == "$ref" || !ANNOTATIONS.contains(&key.as_str()));
    if object.len() == 1 {
        return;
    }
    let reference = object.remove("$ref").expect("checked above");
    let mut member = Map::new();
    member.insert("$ref".into(), reference);
    let mut members = vec![Value::Object(member)];
    if let Some(Value::Array(existing)) = object.remove("allOf") {
        members.extend(existing);
    }
    object.insert("allOf".into(), Value::Array(members));
}

impl Rewriter {
    /// The keywords of one schema object that 3.0 spells differently or lacks.
    fn keywords(&mut self, object: &mut Map<String, Value>, pointer: &str) {
        match object.get("type").cloned() {
            Some(Value::Array(types)) => {
                let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                let nullable = named.contains(&"null");
                let concrete: Vec<&str> = named.into_iter().filter(|t| *t != "null").collect();
                match concrete.as_slice() {
                    [only] => {
                        object.insert("type".into(), Value::String((*only).to_owned()));
                    }
                    [] => {
                        object.remove("type");
                    }
                    several => {
                        object.remove("type");
                        self.warn(
                            &format!("{pointer}/type"),
                            format!(
                                "a value of several types ({}) is read as any JSON",
                                several.join(", ")
                            ),
                        );
                    }
                }
                if nullable {
                    object.insert("nullable".into(), Value::Bool(true));
                }
            }
            Some(Value::String(only)) if only == "null" => {
                object.remove("type");
                object.insert("nullable".into(), Value::Bool(true));
            }
            _ => {}
        }
        if let Some(value) = object.remove("const") {
            object
                .entry("enum")
                .or_insert_with(|| Value::Array(vec![value]));
        }
        if let Some(Value::Array(examples)) = object.remove("examples") {
            if let Some(first) = examples.into_iter().next() {
                object.entry("example").or_insert(first);
            }
        }
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(limit @ Value::Number(_)) = object.get(exclusive).cloned() {
                object.insert(bound.into(), limit);
                object.insert(exclusive.into(), Value::Bool(true));
            }
        }
        let is_string = object.get("type").and_then(Value::as_str) == Some("string");
        match object.get("contentEncoding").and_then(Value::as_str) {
            _ if object.contains_key("format") => {}
            Some("base64") => {
                object.insert("format".into(), Value::String("byte".into()));
            }
            // Raw bytes of a media type: 3.1's spelling of 3.0's `format: binary` (a file).
            None if is_string && object.contains_key("contentMediaType") => {
                object.insert("format".into(), Value::String("binary".into()));
            }
            _ => {}
        }
        // Tuples have no 3.0 spelling: a list of any JSON, unless `items` says more.
        if object.contains_key("prefixItems") && !object.contains_key("items") {
            object.insert("items".into(), Value::Object(Map::new()));
        }
        for key in [
            "contentEncoding",
            "contentMediaType",
            "$schema",
            "$id",
            "$anchor",
            "$comment",
        ] {
            object.remove(key);
        }
        for (key, what) in [
            (
                "prefixItems",
                "tuple items (`prefixItems`) are read as a list of any JSON",
            ),
            (
                "$defs",
                "`$defs` are not read; refer to `#/components/schemas` instead",
            ),
            (
                "if",
                "conditional schemas (`if`/`then`/`else`) are not checked",
            ),
            ("dependentSchemas", "`dependentSchemas` are not checked"),
            (
                "unevaluatedProperties",
                "`unevaluatedProperties` is not checked",
            ),
            ("unevaluatedItems", "`unevaluatedItems` is not checked"),
            ("contains", "`contains` is not checked"),
            ("propertyNames", "`propertyNames` is not checked"),
        ] {
            if object.remove(key).is_some() {
                self.warn(&format!("{pointer}/{}", escape_pointer(key)), what);
            }
        }
        for key in [
            "then",
            "else",
            "dependentRequired",
            "minContains",
            "maxContains",
        ] {
            object.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema_after(schema: Value) -> (Value, Vec<Diagnostic>) {
        let mut document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": schema}}
        });
        let notes = normalise(&mut document);
        (document["components"]["schemas"]["S"].clone(), notes)
    }

    #[test]
    fn json_schema_2020_keywords_get_their_3_0_spelling() {
        let (s, notes) = schema_after(json!({
            "type": "object",
            "properties": {
                "a": {"type": ["string", "null"], "examples": ["x", "y"]},
                "b": {"const": "fixed"},
                "c": {"type": "integer", "exclusiveMinimum": 0},
                "d": {"$ref": "#/components/schemas/T", "description": "kept by T"},
                "e": {"$ref": "#/components/schemas/T", "readOnly": true},
                "n": {"$ref": "#/components/schemas/T", "type": "null"},
                "f": {"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"},
                "g": {"type": "array", "prefixItems": [{"type": "string"}]},
                "h": true
            }
        }));
        let p = &s["properties"];
        assert_eq!(
            p["a"],
            json!({"type": "string", "nullable": true, "example": "x"})
        );
        assert_eq!(p["b"], json!({"enum": ["fixed"]}));
        assert_eq!(
            p["c"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
        assert_eq!(p["d"], json!({"$ref": "#/components/schemas/T"}));
        assert_eq!(
            p["e"],
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "readOnly": true})
        );
        assert_eq!(
            p["n"],
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(p["f"], json!({"type": "string", "format": "byte"}));
        assert_eq!(p["g"], json!({"type": "array", "items": {}}));
        assert_eq!(p["h"], json!({}));
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(pointers, ["/components/schemas/S/properties/g/prefixItems"]);
    }

    #[test]
    fn document_level_3_1_parts_are_dropped_with_a_note() {
        let mut document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"ping": {}}
        });
        let notes = normalise(&mut document);
        assert_eq!(document["openapi"], "3.0.3");
        assert_eq!(document["paths"], json!({}));
        assert!(document.get("webhooks").is_none());
        assert_eq!(document["info"]["license"], json!({"name": "MIT"}));
        assert_eq!(notes[0].pointer, "/webhooks");
    }

    #[test]
    fn several_types_are_any_json_with_a_warning() {
        let (s, notes) = schema_after(json!({"type": ["string", "integer", "null"]}));
        assert_eq!(s, json!({"nullable": true}));
        assert_eq!(notes[0].pointer, "/components/schemas/S/type");
    }
}
