//! A uniform view of a schema: openapiv3 gives the same keywords in several shapes (typed
//! schemas, `SchemaKind::Any`, composition kinds), and lowering reads them one way.
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// A uniform view of the many shapes openapiv3 gives a schema.
#[derive(Default)]
pub(super) struct View<'s> {
    pub(super) typ: Option<&'s str>,
    pub(super) format: Option<&'s str>,
    pub(super) enumeration: Vec<serde_json::Value>,
    pub(super) properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    pub(super) required: Vec<&'s String>,
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    pub(super) all_of: &'s [ReferenceOr<Schema>],
    pub(super) has_not: bool,
}

const EMPTY: &[ReferenceOr<Schema>] = &[];

/// The view of a schema, properties sorted by name so inline type names never depend on the
/// document's key order.
pub(super) fn view(schema: &Schema) -> View<'_> {
    let mut v = unsorted_view(schema);
    v.properties.sort_by(|a, b| a.0.cmp(b.0));
    v
}

fn unsorted_view(schema: &Schema) -> View<'_> {
    let mut v = View {
        one_of: EMPTY,
        any_of: EMPTY,
        all_of: EMPTY,
        ..View::default()
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string");
            v.format = variant_str(&s.format);
            v.enumeration = s
                .enumeration
                .iter()
                .flatten()
                .map(|e| e.clone().into())
                .collect();
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.typ = Some("number");
            v.format = variant_str(&n.format);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.typ = Some("integer");
            v.format = variant_str(&i.format);
        }
        SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean"),
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object");
            v.properties = o.properties.iter().collect();
            v.required = o.required.iter().collect();
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array");
            v.items = a.items.as_ref();
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of,
        SchemaKind::AnyOf { any_of } => v.any_of = any_of,
        SchemaKind::AllOf { all_of } => v.all_of = all_of,
        SchemaKind::Not { .. } => v.has_not = true,
        SchemaKind::Any(any) => {
            v.typ = any.typ.as_deref();
            v.format = any.format.as_deref();
            v.enumeration = any.enumeration.clone();
            v.properties = any.properties.iter().collect();
            v.required = any.required.iter().collect();
            v.additional = any.additional_properties.as_ref();
            v.items = any.items.as_ref();
            v.one_of = &any.one_of;
            v.any_of = &any.any_of;
            v.all_of = &any.all_of;
            v.has_not = any.not.is_some();
        }
    }
    v
}

pub(super) fn variant_str<T: serde::Serialize>(
    format: &openapiv3::VariantOrUnknownOrEmpty<T>,
) -> Option<&str> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => {
            // The known formats serialize to their lowercase names; map back to static strs.
            match serde_json::to_value(item).ok()?.as_str()? {
                "date-time" => Some("date-time"),
                "date" => Some("date"),
                "password" => Some("password"),
                "byte" => Some("byte"),
                "binary" => Some("binary"),
                "float" => Some("float"),
                "double" => Some("double"),
                "int32" => Some("int32"),
                "int64" => Some("int64"),
                _ => None,
            }
        }
        openapiv3::VariantOrUnknownOrEmpty::Unknown(other) => Some(other),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}
