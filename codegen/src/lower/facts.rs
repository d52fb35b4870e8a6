//! What the docs say about a schema or parameter beyond its type: format, limits, default,
//! deprecation, write-only; the document's description only when the settings ask
//! (`Settings::descriptions`), since it is the document's prose, not a fact.
use super::view::variant_str;
use super::Lowerer;
use crate::ir::Facts;
use openapiv3::{Schema, SchemaKind, Type};

/// The longest default shown; a longer one is cut with `…`.
const DEFAULT_SHOWN: usize = 80;

impl Lowerer<'_> {
    /// The facts of `schema`.
    pub(super) fn facts(&self, schema: &Schema) -> Facts {
        let data = &schema.schema_data;
        let mut facts = Facts {
            format: format(&schema.schema_kind),
            limits: limits(&schema.schema_kind),
            default: data.default.as_ref().map(|value| shown(&value.to_string())),
            deprecated: data.deprecated || self.marked_deprecated(&data.extensions),
            write_only: data.write_only,
            description: None,
        };
        facts.description = self.description(data.description.as_deref());
        facts
    }

    /// Whether one of the settings' deprecation extensions (`x-deprecated: true`) is set.
    pub(super) fn marked_deprecated(
        &self,
        extensions: &indexmap::IndexMap<String, serde_json::Value>,
    ) -> bool {
        self.settings
            .deprecated_extensions
            .iter()
            .any(|name| extensions.get(name) == Some(&serde_json::Value::Bool(true)))
    }

    /// The document's description, trimmed, when the settings carry descriptions into docs.
    pub(super) fn description(&self, text: Option<&str>) -> Option<String> {
        let text = text?.trim();
        (self.settings.descriptions && !text.is_empty()).then(|| text.to_owned())
    }
}

/// The `format` keyword, whatever the schema's shape (read as `view` reads it, without
/// sorting the properties `view` collects).
fn format(kind: &SchemaKind) -> Option<String> {
    let text = match kind {
        SchemaKind::Type(Type::String(s)) => variant_str(&s.format),
        SchemaKind::Type(Type::Number(n)) => variant_str(&n.format),
        SchemaKind::Type(Type::Integer(i)) => variant_str(&i.format),
        SchemaKind::Any(any) => any.format.as_deref(),
        _ => None,
    };
    text.filter(|f| !f.is_empty()).map(str::to_owned)
}

/// `value`, cut at [`DEFAULT_SHOWN`] characters.
fn shown(value: &str) -> String {
    match value.char_indices().nth(DEFAULT_SHOWN) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

/// The validation keywords of a schema, spelled as the document spells them
/// (`maxLength 64`, `pattern ^[a-z]+$`, `minimum 1`).
fn limits(kind: &SchemaKind) -> Vec<String> {
    let mut limits = Vec::new();
    let mut add = |keyword: &str, value: Option<String>| {
        if let Some(value) = value {
            limits.push(format!("{keyword} {value}"));
        }
    };
    let text = |value: Option<usize>| value.map(|v| v.to_string());
    match kind {
        SchemaKind::Type(Type::String(s)) => {
            add("minLength", text(s.min_length));
            add("maxLength", text(s.max_length));
            add("pattern", s.pattern.clone());
        }
        SchemaKind::Type(Type::Integer(i)) => {
            let (min, max) = (
                i.minimum.map(|v| v.to_string()),
                i.maximum.map(|v| v.to_string()),
            );
            add(bound("minimum", i.exclusive_minimum), min);
            add(bound("maximum", i.exclusive_maximum), max);
            add("multipleOf", i.multiple_of.map(|v| v.to_string()));
        }
        SchemaKind::Type(Type::Number(n)) => {
            let (min, max) = (
                n.minimum.map(|v| v.to_string()),
                n.maximum.map(|v| v.to_string()),
            );
            add(bound("minimum", n.exclusive_minimum), min);
            add(bound("maximum", n.exclusive_maximum), max);
            add("multipleOf", n.multiple_of.map(|v| v.to_string()));
        }
        SchemaKind::Type(Type::Array(a)) => {
            add("minItems", text(a.min_items));
            add("maxItems", text(a.max_items));
            if a.unique_items {
                limits.push("uniqueItems".to_owned());
            }
        }
        SchemaKind::Type(Type::Object(o)) => {
            add("minProperties", text(o.min_properties));
            add("maxProperties", text(o.max_properties));
        }
        SchemaKind::Any(any) => {
            add("minLength", text(any.min_length));
            add("maxLength", text(any.max_length));
            add("pattern", any.pattern.clone());
            let exclusive = |flag: Option<bool>| flag.unwrap_or(false);
            add(
                bound("minimum", exclusive(any.exclusive_minimum)),
                any.minimum.map(|v| v.to_string()),
            );
            add(
                bound("maximum", exclusive(any.exclusive_maximum)),
                any.maximum.map(|v| v.to_string()),
            );
            add("minItems", text(any.min_items));
            add("maxItems", text(any.max_items));
            if any.unique_items == Some(true) {
                limits.push("uniqueItems".to_owned());
            }
        }
        _ => {}
    }
    limits
}

/// `minimum` or, when exclusive, `exclusiveMinimum` (the 3.0 spelling's meaning).
fn bound(keyword: &'static str, exclusive: bool) -> &'static str {
    match (keyword, exclusive) {
        ("minimum", true) => "exclusiveMinimum",
        ("maximum", true) => "exclusiveMaximum",
        _ => keyword,
    }
}
