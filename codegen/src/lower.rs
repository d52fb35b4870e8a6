//! Stage 2: the openapiv3 model to the IR. References are resolved, names chosen, constructs
//! checked; anything that has to be degraded is reported with its JSON pointer.
use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::*;
use crate::load::escape_pointer;
use crate::names::{self, Scope};
use crate::{LoadError, Settings};
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, StatusCode, Type,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Lowers a parsed document into the IR.
pub fn lower(
    document: &OpenAPI,
    sha256: &str,
    settings: &Settings,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Api, LoadError> {
    let mut lowerer = Lowerer::new(document, diagnostics);
    lowerer.lower_components()?;
    let operations = lowerer.lower_operations(settings)?;
    let mut types = std::mem::take(&mut lowerer.types);
    crate::lower_boxing::mark_recursive_fields(&mut types);
    order_alternatives(&mut types);
    Ok(Api {
        title: document.info.title.clone(),
        version: document.info.version.clone(),
        sha256: sha256.to_owned(),
        types,
        operations,
        group_features: settings.group_features,
    })
}

struct Lowerer<'a> {
    document: &'a OpenAPI,
    diagnostics: &'a mut Vec<Diagnostic>,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// Component schema key to its Rust type name.
    components: BTreeMap<String, String>,
    /// Inline schemas already given a type, by JSON pointer, so a schema reached twice (through
    /// `allOf`, for example) yields one type.
    inline: HashMap<String, TypeRef>,
}

/// A uniform view of the many shapes openapiv3 gives a schema.
#[derive(Default)]
struct View<'s> {
    typ: Option<&'s str>,
    format: Option<&'s str>,
    enumeration: Vec<serde_json::Value>,
    properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    required: Vec<&'s String>,
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    one_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    all_of: &'s [ReferenceOr<Schema>],
    has_not: bool,
}

const EMPTY: &[ReferenceOr<Schema>] = &[];

/// The view of a schema, properties sorted by name so inline type names never depend on the
/// document's key order.
fn view(schema: &Schema) -> View<'_> {
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

fn variant_str<T: serde::Serialize>(
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

/// How the type for a schema is named when it needs one.
enum Naming<'n> {
    /// A component: exactly this (already claimed) name.
    Exact(&'n str),
    /// An inline schema: claim a name from this hint.
    Hint(&'n str),
}

impl<'a> Lowerer<'a> {
    fn new(document: &'a OpenAPI, diagnostics: &'a mut Vec<Diagnostic>) -> Self {
        Lowerer {
            document,
            diagnostics,
            types: BTreeMap::new(),
            type_names: Scope::default(),
            components: BTreeMap::new(),
            inline: HashMap::new(),
        }
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn schemas(&self) -> Option<&'a indexmap::IndexMap<String, ReferenceOr<Schema>>> {
        self.document.components.as_ref().map(|c| &c.schemas)
    }

    fn lower_components(&mut self) -> Result<(), LoadError> {
        let Some(schemas) = self.schemas() else {
            return Ok(());
        };
        // Claim every component name first, in sorted order, so inline types never take a
        // component's name and the result does not depend on the document's key order.
        let keys: BTreeSet<&String> = schemas.keys().collect();
        for key in &keys {
            let name = self.type_names.claim(names::type_name(key));
            self.components.insert((*key).clone(), name);
        }
        for key in keys {
            let name = self.components[key].clone();
            let pointer = format!("/components/schemas/{}", escape_pointer(key));
            match &schemas[key] {
                ReferenceOr::Reference { reference } => {
                    let target = self.resolve_schema_ref(reference, &pointer)?;
                    self.insert_type(&name, &pointer, TypeKind::Alias(target));
                }
                ReferenceOr::Item(schema) => {
                    let ty = self.lower_schema(schema, Naming::Exact(&name), &pointer)?;
                    if ty != TypeRef::Named(name.clone()) {
                        self.insert_type(&name, &pointer, TypeKind::Alias(ty));
                    }
                }
            }
        }
        Ok(())
    }

    fn insert_type(&mut self, name: &str, origin: &str, kind: TypeKind) {
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                origin: origin.to_owned(),
                kind,
            },
        );
    }

    fn resolve_schema_ref(&self, reference: &str, pointer: &str) -> Result<TypeRef, LoadError> {
        reference
            .strip_prefix("#/components/schemas/")
            .and_then(|key| self.components.get(&unescape_pointer(key)))
            .map(|name| TypeRef::Named(name.clone()))
            .ok_or_else(|| unresolved(reference, pointer))
    }

    /// The schema a reference points at, for merging (`allOf`) and multipart parts.
    fn schema_at(&self, reference: &str, pointer: &str) -> Result<&'a Schema, LoadError> {
        let key = reference
            .strip_prefix("#/components/schemas/")
            .map(unescape_pointer)
            .ok_or_else(|| unresolved(reference, pointer))?;
        let mut seen = 0;
        let mut current = self.schemas().and_then(|s| s.get(&key));
        while let Some(ReferenceOr::Reference { reference }) = current {
            seen += 1;
            if seen > 64 {
                return Err(LoadError {
                    pointer: pointer.into(),
                    message: format!("reference cycle through {reference}"),
                });
            }
            let key = reference
                .strip_prefix("#/components/schemas/")
                .map(unescape_pointer);
            current = key.and_then(|k| self.schemas().and_then(|s| s.get(&k)));
        }
        match current {
            Some(ReferenceOr::Item(schema)) => Ok(schema),
            _ => Err(unresolved(reference, pointer)),
        }
    }

    fn lower_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => {
                if let Some(known) = self.inline.get(pointer) {
                    return Ok(known.clone());
                }
                let ty = self.lower_schema(schema.borrow(), Naming::Hint(hint), pointer)?;
                self.inline.insert(pointer.to_owned(), ty.clone());
                Ok(ty)
            }
        }
    }

    fn claim(&mut self, naming: &Naming<'_>) -> String {
        match naming {
            Naming::Exact(name) => (*name).to_owned(),
            Naming::Hint(hint) => self.type_names.claim(names::type_name(hint)),
        }
    }

    fn lower_schema(
        &mut self,
        schema: &Schema,
        naming: Naming<'_>,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        let v = view(schema);
        self.check_default(schema, &v, pointer);
        if !v.all_of.is_empty() {
            return self.lower_all_of(schema, &v, naming, pointer);
        }
        let alternatives = if v.one_of.is_empty() {
            v.any_of
        } else {
            v.one_of
        };
        if !alternatives.is_empty() {
            let keyword = if v.one_of.is_empty() {
                "anyOf"
            } else {
                "oneOf"
            };
            return self.lower_alternatives(alternatives, keyword, naming, pointer);
        }
        if v.has_not {
            self.warn(
                pointer,
                "`not` is not supported; the value is read as any JSON",
            );
            return Ok(TypeRef::Json);
        }
        let base = hint_of(&naming);
        let ty = match v.typ {
            Some("string") if !v.enumeration.is_empty() => {
                let name = self.claim(&naming);
                let variants = enum_variants(&v.enumeration);
                self.insert_type(&name, pointer, TypeKind::Enum(variants));
                TypeRef::Named(name)
            }
            // Formats the runtime models leniently; others (binary, email, …) are plain text.
            Some("string") => match v.format {
                Some("date-time") => TypeRef::DateTime,
                Some("uuid") => TypeRef::Uuid,
                Some("byte") => TypeRef::Base64,
                _ => TypeRef::String,
            },
            Some("integer") => match v.format {
                Some("int32") => TypeRef::I32,
                // `uint32` is no OpenAPI format; validators accept any integer there, so read
                // it as wide as the wire allows.
                _ => TypeRef::I64,
            },
            Some("number") => match v.format {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Some("boolean") => TypeRef::Bool,
            Some("array") => match v.items {
                Some(items) => {
                    let inner =
                        self.lower_ref(items, &format!("{base}Item"), &format!("{pointer}/items"))?;
                    TypeRef::Vec(Box::new(inner))
                }
                None => {
                    self.warn(
                        pointer,
                        "array without `items`; elements are read as any JSON",
                    );
                    TypeRef::Vec(Box::new(TypeRef::Json))
                }
            },
            Some("object") | None if !v.properties.is_empty() => {
                let name = self.claim(&naming);
                let mut fields = Vec::new();
                let additional = self.collect_fields(&v, &name, pointer, &mut fields)?;
                self.define_struct(&name, pointer, fields, additional);
                TypeRef::Named(name)
            }
            Some("object") => match self.additional_type(v.additional, base, pointer)? {
                Some(value) => TypeRef::Map(Box::new(value)),
                None => TypeRef::JsonObject,
            },
            None if !v.enumeration.is_empty() => {
                // An untyped enum: a string enum when every value is a string.
                if v.enumeration.iter().all(|e| e.is_string()) {
                    let name = self.claim(&naming);
                    self.insert_type(
                        &name,
                        pointer,
                        TypeKind::Enum(enum_variants(&v.enumeration)),
                    );
                    TypeRef::Named(name)
                } else {
                    TypeRef::Json
                }
            }
            None => TypeRef::Json,
            Some(other) => {
                self.warn(
                    pointer,
                    format!("unknown type {other:?}; the value is read as any JSON"),
                );
                TypeRef::Json
            }
        };
        Ok(ty)
    }

    /// Fields of an object schema into `fields`; returns the type of extra keys, if kept.
    fn collect_fields(
        &mut self,
        v: &View<'_>,
        owner: &str,
        pointer: &str,
        fields: &mut Vec<Field>,
    ) -> Result<Option<TypeRef>, LoadError> {
        for (wire_name, property) in &v.properties {
            let property_pointer = format!("{pointer}/properties/{}", escape_pointer(wire_name));
            let hint = format!("{owner}{}", names::type_name(wire_name));
            let ty = self.lower_ref(property, &hint, &property_pointer)?;
            let data = match property {
                ReferenceOr::Item(schema) => Some(&schema.schema_data),
                ReferenceOr::Reference { reference } => self
                    .schema_at(reference, &property_pointer)
                    .ok()
                    .map(|s| &s.schema_data),
            };
            let required = v.required.contains(wire_name);
            let field = Field {
                wire_name: (*wire_name).clone(),
                rust_name: String::new(),
                ty,
                required,
                nullable: data.is_some_and(|d| d.nullable),
                read_only: data.is_some_and(|d| d.read_only),
                boxed: false,
            };
            match fields.iter_mut().find(|f| f.wire_name == field.wire_name) {
                // A later `allOf` member refines an earlier one's property.
                Some(existing) => {
                    *existing = Field {
                        required: existing.required || required,
                        ..field
                    }
                }
                None => fields.push(field),
            }
        }
        for wire_name in &v.required {
            if let Some(field) = fields.iter_mut().find(|f| &&f.wire_name == wire_name) {
                field.required = true;
            }
        }
        // An object schema allows undeclared keys unless it says otherwise (JSON Schema's
        // default): keep them, so a read-modify-write never drops what the server added.
        match v.additional {
            None => Ok(Some(TypeRef::Json)),
            declared => self.additional_type(declared, owner, pointer),
        }
    }

    fn additional_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        owner: &str,
        pointer: &str,
    ) -> Result<Option<TypeRef>, LoadError> {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let hint = format!("{owner}Value");
                self.lower_ref(schema, &hint, &format!("{pointer}/additionalProperties"))
                    .map(Some)
            }
            Some(AdditionalProperties::Any(true)) => Ok(Some(TypeRef::Json)),
            Some(AdditionalProperties::Any(false)) | None => Ok(None),
        }
    }

    fn define_struct(
        &mut self,
        name: &str,
        pointer: &str,
        mut fields: Vec<Field>,
        additional: Option<TypeRef>,
    ) {
        fields.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
        let reserved: &[&str] = if additional.is_some() {
            &["additional_properties"]
        } else {
            &[]
        };
        let mut scope = Scope::with_reserved(reserved);
        // Fields whose wire name is already their Rust name claim it first, so `id` stays `id`
        // beside `_id`.
        let mut order: Vec<usize> = (0..fields.len()).collect();
        order.sort_by_key(|&i| names::value_name(&fields[i].wire_name) != fields[i].wire_name);
        for i in order {
            let field = &mut fields[i];
            field.rust_name = scope.claim(names::value_name(&field.wire_name));
            // The server sets read-only fields: a caller never has to send one.
            field.required &= !field.read_only;
        }
        self.insert_type(
            name,
            pointer,
            TypeKind::Struct(Struct { fields, additional }),
        );
    }

    /// `allOf`: one struct with every member's fields; a lone reference stays that type.
    fn lower_all_of(
        &mut self,
        schema: &Schema,
        v: &View<'_>,
        naming: Naming<'_>,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        if let ([member], true) = (v.all_of, v.properties.is_empty()) {
            let ty = self.lower_ref(member, hint_of(&naming), &format!("{pointer}/allOf/0"))?;
            return Ok(ty);
        }
        let name = self.claim(&naming);
        let mut fields = Vec::new();
        let additional = self.merge_all_of(schema, &name, pointer, &mut fields, 0)?;
        self.define_struct(&name, pointer, fields, additional);
        Ok(TypeRef::Named(name))
    }

    /// The fields of an `allOf` schema: every member's (nested `allOf`s included), then its
    /// own. Inline types keep the names their own schema gives them (memoized by pointer).
    fn merge_all_of(
        &mut self,
        schema: &Schema,
        owner: &str,
        pointer: &str,
        fields: &mut Vec<Field>,
        depth: usize,
    ) -> Result<Option<TypeRef>, LoadError> {
        if depth > 32 {
            return Err(LoadError {
                pointer: pointer.into(),
                message: "allOf nests too deep (a cycle?)".into(),
            });
        }
        let v = view(schema);
        let mut additional = None;
        for (index, member) in v.all_of.iter().enumerate() {
            let member_pointer = format!("{pointer}/allOf/{index}");
            let (member_schema, member_pointer, member_owner) = match member {
                ReferenceOr::Reference { reference } => {
                    let target = self.schema_at(reference, &member_pointer)?;
                    let owner = self.resolve_schema_ref(reference, &member_pointer)?.label();
                    (target, reference.trim_start_matches('#').to_owned(), owner)
                }
                ReferenceOr::Item(item) => (item, member_pointer, owner.to_owned()),
            };
            let member_view = view(member_schema);
            let is_object = !member_view.properties.is_empty()
                || !member_view.all_of.is_empty()
                || member_view.typ.is_none_or(|t| t == "object");
            if !is_object {
                self.warn(
                    &member_pointer,
                    "allOf member is not an object; it is ignored",
                );
                continue;
            }
            additional = self
                .merge_all_of(
                    member_schema,
                    &member_owner,
                    &member_pointer,
                    fields,
                    depth + 1,
                )?
                .or(additional);
        }
        if !v.properties.is_empty() || v.additional.is_some() {
            additional = self
                .collect_fields(&v, owner, pointer, fields)?
                .or(additional);
        }
        for required in &v.required {
            if let Some(field) = fields.iter_mut().find(|f| &&f.wire_name == required) {
                field.required = true;
            }
        }
        Ok(additional)
    }

    fn lower_alternatives(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        keyword: &str,
        naming: Naming<'_>,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        if let [only] = alternatives {
            return self.lower_ref(only, hint_of(&naming), &format!("{pointer}/{keyword}/0"));
        }
        let name = self.claim(&naming);
        let mut variants = Vec::new();
        let mut scope = Scope::default();
        for (index, alternative) in alternatives.iter().enumerate() {
            let hint = format!("{name}Variant{index}");
            let ty = self.lower_ref(alternative, &hint, &format!("{pointer}/{keyword}/{index}"))?;
            let rust_name = scope.claim(ty.label());
            variants.push(UntaggedVariant {
                rust_name,
                ty,
                boxed: false,
                required_keys: Vec::new(),
            });
        }
        self.insert_type(&name, pointer, TypeKind::Untagged(variants));
        Ok(TypeRef::Named(name))
    }

    /// A default whose JSON type contradicts the declared type is a document defect: reported,
    /// then ignored (the SDK never sends defaults).
    fn check_default(&mut self, schema: &Schema, v: &View<'_>, pointer: &str) {
        let Some(default) = &schema.schema_data.default else {
            return;
        };
        let fits = match v.typ {
            Some("array") => default.is_array(),
            Some("object") => default.is_object(),
            Some("string") => default.is_string(),
            Some("integer") => default.is_i64() || default.is_u64(),
            Some("number") => default.is_number(),
            Some("boolean") => default.is_boolean(),
            _ => true,
        };
        if !fits && !default.is_null() {
            self.warn(
                &format!("{pointer}/default"),
                format!(
                    "default {default} does not match type {}; ignored",
                    v.typ.unwrap_or("?")
                ),
            );
        }
    }
}

/// Orders every untagged enum's variants so the most specific shape is tried first: serde takes
/// the first variant that decodes, and a struct whose fields are all optional accepts any
/// object. Runs once every type exists, since alternatives may name types lowered later.
fn order_alternatives(types: &mut BTreeMap<String, TypeDef>) {
    let rank = |ty: &TypeRef, types: &BTreeMap<String, TypeDef>| -> (u8, isize, isize) {
        match ty {
            TypeRef::Named(name) => match types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => {
                    let required = s.fields.iter().filter(|f| f.required).count();
                    (0, -(required as isize), -(s.fields.len() as isize))
                }
                Some(TypeKind::Enum(_)) => (1, 0, 0),
                _ => (2, 0, 0),
            },
            TypeRef::Vec(_) | TypeRef::Map(_) => (3, 0, 0),
            TypeRef::Bool | TypeRef::I32 | TypeRef::I64 => (4, 0, 0),
            TypeRef::F32 | TypeRef::F64 => (5, 0, 0),
            TypeRef::DateTime | TypeRef::Uuid | TypeRef::Base64 => (6, 0, 0),
            TypeRef::String => (7, 0, 0),
            TypeRef::JsonObject => (8, 0, 0),
            TypeRef::Json => (9, 0, 0),
        }
    };
    let orders: Vec<(String, Vec<UntaggedVariant>)> = types
        .values()
        .filter_map(|def| match &def.kind {
            TypeKind::Untagged(variants) => {
                let mut sorted = variants.clone();
                sorted.sort_by_key(|v| rank(&v.ty, types));
                for variant in &mut sorted {
                    if let Some(TypeKind::Struct(st)) = variant
                        .ty
                        .named()
                        .and_then(|n| types.get(n))
                        .map(|d| &d.kind)
                    {
                        variant.required_keys = st
                            .fields
                            .iter()
                            .filter(|f| f.required)
                            .map(|f| f.wire_name.clone())
                            .collect();
                    }
                }
                Some((def.name.clone(), sorted))
            }
            _ => None,
        })
        .collect();
    for (name, sorted) in orders {
        if let Some(def) = types.get_mut(&name) {
            def.kind = TypeKind::Untagged(sorted);
        }
    }
}

fn hint_of<'n>(naming: &Naming<'n>) -> &'n str {
    match naming {
        Naming::Exact(name) | Naming::Hint(name) => name,
    }
}

fn enum_variants(values: &[serde_json::Value]) -> Vec<EnumVariant> {
    let mut scope = Scope::with_reserved(&["Unknown"]);
    let mut seen = BTreeSet::new();
    values
        .iter()
        .filter_map(|value| value.as_str())
        .filter(|value| seen.insert(*value))
        .map(|value| EnumVariant {
            rust_name: scope.claim(names::variant_name(value)),
            value: value.to_owned(),
        })
        .collect()
}

fn unescape_pointer(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn unresolved(reference: &str, pointer: &str) -> LoadError {
    LoadError {
        pointer: pointer.to_owned(),
        message: format!("unresolved reference {reference:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Operations

const HTTP_METHODS: [Method; 8] = [
    Method::Get,
    Method::Put,
    Method::Post,
    Method::Delete,
    Method::Patch,
    Method::Head,
    Method::Options,
    Method::Trace,
];

fn operation_of(item: &openapiv3::PathItem, method: Method) -> Option<&openapiv3::Operation> {
    match method {
        Method::Get => item.get.as_ref(),
        Method::Put => item.put.as_ref(),
        Method::Post => item.post.as_ref(),
        Method::Delete => item.delete.as_ref(),
        Method::Patch => item.patch.as_ref(),
        Method::Head => item.head.as_ref(),
        Method::Options => item.options.as_ref(),
        Method::Trace => item.trace.as_ref(),
    }
}

/// Follows aliases to the type they name.
fn resolve_alias<'t>(mut ty: &'t TypeRef, types: &'t BTreeMap<String, TypeDef>) -> &'t TypeRef {
    for _ in 0..32 {
        let def = match ty {
            TypeRef::Named(name) => types.get(name),
            _ => None,
        };
        match def {
            Some(TypeDef {
                kind: TypeKind::Alias(target),
                ..
            }) => ty = target,
            _ => break,
        }
    }
    ty
}

/// A list operation pages with `limit`/`skip` query parameters, or with a token parameter
/// whose next value the response returns (`pageToken` → `nextPageToken`, or the same name);
/// the items are the body when it is a list, or the body's one list field.
fn pagination_of(op: &Operation, types: &BTreeMap<String, TypeDef>) -> Option<Pagination> {
    let [SuccessResponse {
        body: ResponseBody::Json(body),
        ..
    }] = op.success.as_slice()
    else {
        return None;
    };
    let query = |wire: &str| {
        op.params
            .iter()
            .find(|p| p.location == ParamLocation::Query && p.wire_name == wire)
    };
    let fields = match resolve_alias(body, types) {
        TypeRef::Named(name) => match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => s.fields.as_slice(),
            _ => return None,
        },
        _ => &[],
    };
    let (item, items_field) = match resolve_alias(body, types) {
        TypeRef::Vec(item) => ((**item).clone(), None),
        _ => {
            let mut lists = fields
                .iter()
                .filter_map(|f| match resolve_alias(&f.ty, types) {
                    TypeRef::Vec(item) => Some((f, item)),
                    _ => None,
                });
            let (field, item) = lists.next()?;
            if lists.next().is_some() {
                return None;
            }
            let field = ResponseField {
                rust_name: field.rust_name.clone(),
                required: field.required && !field.nullable,
            };
            ((**item).clone(), Some(field))
        }
    };
    let page_number = |p: &Param| matches!(p.ty, TypeRef::I64 | TypeRef::I32 | TypeRef::String);
    let kind = match (query("limit"), query("skip")) {
        (Some(limit), Some(skip)) if page_number(limit) && page_number(skip) => PageKind::Offset {
            limit: limit.rust_name.clone(),
            skip: skip.rust_name.clone(),
        },
        _ => op
            .params
            .iter()
            .filter(|p| p.location == ParamLocation::Query && p.ty == TypeRef::String)
            .find_map(|param| {
                if !param.wire_name.to_ascii_lowercase().contains("token") {
                    return None;
                }
                let next_name = format!("next{}", names::type_name(&param.wire_name));
                let next = fields.iter().find(|f| {
                    f.ty == TypeRef::String
                        && (f.wire_name == param.wire_name
                            || names::type_name(&f.wire_name) == names::type_name(&next_name))
                })?;
                let next = ResponseField {
                    rust_name: next.rust_name.clone(),
                    required: next.required && !next.nullable,
                };
                Some(PageKind::Token {
                    param: param.rust_name.clone(),
                    next,
                })
            })?,
    };
    Some(Pagination {
        kind,
        item,
        items_field,
    })
}

/// Names the builder's fields and arguments: parameters, then multipart parts, in one scope
/// so a part and a parameter of one name cannot collide.
fn name_slots(operation: &mut Operation) {
    let mut scope = Scope::with_reserved(RESERVED_PARAMS);
    for param in &mut operation.params {
        param.rust_name = scope.claim(names::value_name(&param.wire_name));
    }
    if let Some(RequestBody {
        kind: BodyKind::Multipart(parts),
        ..
    }) = &mut operation.body
    {
        for part in parts {
            part.rust_name = scope.claim(names::value_name(&part.wire_name));
        }
    }
}

/// Parameter names the request builders use for themselves.
const RESERVED_PARAMS: &[&str] = &[
    "client",
    "body",
    "send",
    "into_future",
    "options",
    "request",
    "decode",
    "stream",
];

impl<'a> Lowerer<'a> {
    fn lower_operations(&mut self, settings: &Settings) -> Result<Vec<Operation>, LoadError> {
        let paths: BTreeMap<&String, _> = self.document.paths.paths.iter().collect();
        let mut found = Vec::new();
        for (path, item) in paths {
            let path_pointer = format!("/paths/{}", escape_pointer(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    return Err(LoadError {
                        pointer: path_pointer,
                        message: format!("path item references ({reference}) are not supported"),
                    })
                }
            };
            for method in HTTP_METHODS {
                if let Some(operation) = operation_of(item, method) {
                    let pointer =
                        format!("{path_pointer}/{}", method.as_str().to_ascii_lowercase());
                    found.push((path.as_str(), method, item, operation, pointer));
                }
            }
        }
        let groups = assign_groups(found.iter().map(|(_, _, _, op, _)| *op), settings);
        // Sorted by operationId so method and builder names are claimed in a stable order.
        let mut ordered: Vec<_> = found
            .into_iter()
            .zip(groups)
            .map(|((path, method, item, op, pointer), group)| {
                // Without an operationId: the method and the path's words (`get_things_thing_id`).
                let id = op.operation_id.clone().unwrap_or_else(|| {
                    let words = path.split(['/', '{', '}']).filter(|w| !w.is_empty());
                    std::iter::once(method.as_str().to_ascii_lowercase())
                        .chain(words.map(str::to_owned))
                        .collect::<Vec<_>>()
                        .join("_")
                });
                (id, path, method, item, op, pointer, group)
            })
            .collect();
        ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
        let mut ids = Scope::default();
        let mut method_scopes: BTreeMap<String, Scope> = BTreeMap::new();
        let mut builder_scopes: BTreeMap<String, Scope> = BTreeMap::new();
        let mut operations = Vec::new();
        for (id, path, method, item, op, pointer, group) in ordered {
            let id = ids.claim(id);
            let method_name = method_scopes
                .entry(group.module.clone())
                .or_default()
                .claim(names::value_name(&id));
            let builder_name = builder_scopes
                .entry(group.module.clone())
                .or_insert_with(|| Scope::with_reserved(&[group.type_name.as_str()]))
                .claim(names::type_name(&id));
            let mut operation = Operation {
                operation_id: id,
                method_name,
                builder_name,
                group,
                method,
                path: path.to_owned(),
                summary: op
                    .summary
                    .as_ref()
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty()),
                params: Vec::new(),
                body: None,
                success: Vec::new(),
                response_enum: None,
                pagination: None,
                errors: Vec::new(),
                origin: pointer.clone(),
            };
            operation.params = self.lower_params(
                path,
                &item.parameters,
                &op.parameters,
                &operation.builder_name,
                &pointer,
            )?;
            if let Some(body) = &op.request_body {
                operation.body = Some(self.lower_body(
                    body,
                    &operation.builder_name,
                    &format!("{pointer}/requestBody"),
                )?);
            }
            self.lower_responses(op, &mut operation, &pointer)?;
            name_slots(&mut operation);
            operation.pagination = pagination_of(&operation, &self.types);
            if operation.success.len() > 1 {
                let scope = builder_scopes.get_mut(&operation.group.module);
                let name = format!("{}Response", operation.builder_name);
                operation.response_enum = scope.map(|scope| scope.claim(name));
            }
            operations.push(operation);
        }
        Ok(operations)
    }

    /// The parameter a declaration names, the pointer where it is defined (the component, for
    /// a `$ref`) and a type-name hint for its inline schema.
    fn resolve_parameter(
        &self,
        parameter: &'a ReferenceOr<OaParameter>,
        pointer: &str,
        builder: &str,
    ) -> Result<(&'a OaParameter, String, String), LoadError> {
        match parameter {
            ReferenceOr::Item(item) => {
                let hint = format!(
                    "{builder}{}",
                    names::type_name(&item.parameter_data_ref().name)
                );
                Ok((item, pointer.to_owned(), hint))
            }
            ReferenceOr::Reference { reference } => {
                let key = reference
                    .strip_prefix("#/components/parameters/")
                    .map(unescape_pointer)
                    .ok_or_else(|| unresolved(reference, pointer))?;
                let item = self
                    .document
                    .components
                    .as_ref()
                    .and_then(|c| c.parameters.get(&key))
                    .and_then(|p| p.as_item())
                    .ok_or_else(|| unresolved(reference, pointer))?;
                let defined_at = format!("/components/parameters/{}", escape_pointer(&key));
                Ok((item, defined_at, names::type_name(&key)))
            }
        }
    }

    fn lower_params(
        &mut self,
        path: &str,
        path_level: &'a [ReferenceOr<OaParameter>],
        operation_level: &'a [ReferenceOr<OaParameter>],
        builder: &str,
        pointer: &str,
    ) -> Result<Vec<Param>, LoadError> {
        // Operation-level parameters override path-level ones with the same name and location
        // (header names compare case-insensitively).
        type Declared<'p> = (&'p OaParameter, String, String, String);
        let mut merged: Vec<Declared<'a>> = Vec::new();
        let key_of = |p: &OaParameter| {
            let name = &p.parameter_data_ref().name;
            match location_of(p) {
                ParamLocation::Header => (ParamLocation::Header, name.to_ascii_lowercase()),
                location => (location, name.clone()),
            }
        };
        let path_pointer = pointer.rsplit_once('/').map_or(pointer, |(p, _)| p);
        for (list, base) in [(path_level, path_pointer), (operation_level, pointer)] {
            for (index, parameter) in list.iter().enumerate() {
                let p_pointer = format!("{base}/parameters/{index}");
                let (resolved, defined_at, hint) =
                    self.resolve_parameter(parameter, &p_pointer, builder)?;
                let key = key_of(resolved);
                merged.retain(|(existing, ..)| key_of(existing) != key);
                merged.push((resolved, p_pointer, defined_at, hint));
            }
        }
        let mut params = Vec::new();
        for (parameter, p_pointer, defined_at, hint) in merged {
            let data = parameter.parameter_data_ref();
            let location = location_of(parameter);
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.lower_ref(schema, &hint, &format!("{defined_at}/schema"))?
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(&defined_at, "parameter with `content` is sent as a string");
                    TypeRef::String
                }
            };
            let ty = self.simple_param_type(ty, location, &defined_at);
            let explode = match parameter {
                OaParameter::Query { style, .. } if *style != openapiv3::QueryStyle::Form => {
                    self.warn(
                        &p_pointer,
                        format!("query style {style:?} is sent as form style"),
                    );
                    data.explode.unwrap_or(true)
                }
                _ => data.explode.unwrap_or(true),
            };
            let wire_name = if location == ParamLocation::Header {
                data.name.to_ascii_lowercase()
            } else {
                data.name.clone()
            };
            params.push(Param {
                wire_name,
                rust_name: String::new(),
                location,
                required: data.required || location == ParamLocation::Path,
                ty,
                explode,
                pointer: p_pointer,
            });
        }
        // Every `{name}` of the template must be a path parameter.
        let template_names = path_template_names(path);
        for name in &template_names {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.wire_name == name)
            {
                self.warn(
                    pointer,
                    format!("path parameter {name:?} is not declared; it is taken as a string"),
                );
                params.push(Param {
                    wire_name: name.clone(),
                    rust_name: String::new(),
                    location: ParamLocation::Path,
                    required: true,
                    ty: TypeRef::String,
                    explode: false,
                    pointer: pointer.to_owned(),
                });
            }
        }
        params
            .retain(|p| p.location != ParamLocation::Path || template_names.contains(&p.wire_name));
        // Path parameters in template order, then the rest sorted by location and name.
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => (
                0,
                template_names
                    .iter()
                    .position(|n| n == &p.wire_name)
                    .unwrap_or(0),
                String::new(),
            ),
            ParamLocation::Query => (1, 0, p.wire_name.clone()),
            ParamLocation::Header => (2, 0, p.wire_name.clone()),
            ParamLocation::Cookie => (3, 0, p.wire_name.clone()),
        });
        Ok(params)
    }

    /// Parameters carry scalars (and, in the query, lists of scalars); anything else is
    /// degraded to a string the caller formats.
    fn simple_param_type(
        &mut self,
        ty: TypeRef,
        location: ParamLocation,
        pointer: &str,
    ) -> TypeRef {
        let scalar = |ty: &TypeRef, types: &BTreeMap<String, TypeDef>| match ty {
            TypeRef::Named(name) => {
                matches!(types.get(name).map(|d| &d.kind), Some(TypeKind::Enum(_)))
            }
            TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::JsonObject => false,
            _ => true,
        };
        let fits = match (&ty, location) {
            (TypeRef::Vec(inner), ParamLocation::Query) => scalar(inner, &self.types),
            (other, _) => scalar(other, &self.types),
        };
        if fits {
            return ty;
        }
        self.warn(
            pointer,
            "parameter of a structured type is sent as a string",
        );
        TypeRef::String
    }

    fn lower_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        builder: &str,
        pointer: &str,
    ) -> Result<RequestBody, LoadError> {
        let body = match body {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/requestBodies/")
                .and_then(|key| {
                    self.document
                        .components
                        .as_ref()?
                        .request_bodies
                        .get(&unescape_pointer(key))
                })
                .and_then(|b| b.as_item())
                .ok_or_else(|| unresolved(reference, pointer))?,
        };
        let hint = format!("{builder}Body");
        let (media_type, content) = match pick_media_type(&body.content) {
            Some(found) => found,
            None => {
                return Ok(RequestBody {
                    required: body.required,
                    media_type: "application/octet-stream".into(),
                    kind: BodyKind::Bytes,
                    pointer: pointer.to_owned(),
                })
            }
        };
        let content_pointer = format!("{pointer}/content/{}", escape_pointer(media_type));
        let kind = if is_json(media_type) {
            match &content.schema {
                Some(schema) => BodyKind::Json(self.lower_ref(
                    schema,
                    &hint,
                    &format!("{content_pointer}/schema"),
                )?),
                None => BodyKind::Json(TypeRef::Json),
            }
        } else if media_type == "multipart/form-data" {
            BodyKind::Multipart(self.multipart_parts(content.schema.as_ref(), &content_pointer)?)
        } else {
            BodyKind::Bytes
        };
        Ok(RequestBody {
            required: body.required,
            media_type: media_type.to_owned(),
            kind,
            pointer: content_pointer,
        })
    }

    fn multipart_parts(
        &mut self,
        schema: Option<&'a ReferenceOr<Schema>>,
        pointer: &str,
    ) -> Result<Vec<MultipartPart>, LoadError> {
        let schema = match schema {
            None => return Ok(Vec::new()),
            Some(ReferenceOr::Item(schema)) => schema,
            Some(ReferenceOr::Reference { reference }) => self.schema_at(reference, pointer)?,
        };
        let v = view(schema);
        let mut parts = Vec::new();
        for &(wire_name, property) in &v.properties {
            let is_file = match property {
                ReferenceOr::Item(item) => view(item).format == Some("binary"),
                ReferenceOr::Reference { reference } => {
                    view(self.schema_at(reference, pointer)?).format == Some("binary")
                }
            };
            parts.push(MultipartPart {
                wire_name: wire_name.clone(),
                rust_name: String::new(),
                required: v.required.contains(&wire_name),
                is_file,
            });
        }
        Ok(parts)
    }

    fn lower_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        operation: &mut Operation,
        pointer: &str,
    ) -> Result<(), LoadError> {
        let mut entries: Vec<(Option<u16>, &'a ReferenceOr<openapiv3::Response>, String)> =
            Vec::new();
        // Exact codes first, in order; a range (`2XX`) stands for its first code unless an exact
        // code already documents that status.
        let mut codes: Vec<(&StatusCode, _)> = op.responses.responses.iter().collect();
        codes.sort_by_key(|(code, _)| (matches!(code, StatusCode::Range(_)), (*code).clone()));
        for (code, response) in codes {
            let status = match code {
                StatusCode::Code(n) => *n,
                StatusCode::Range(n) => n * 100,
            };
            if entries.iter().any(|(s, ..)| *s == Some(status)) {
                continue;
            }
            entries.push((
                Some(status),
                response,
                format!("{pointer}/responses/{code}"),
            ));
        }
        if let Some(default) = &op.responses.default {
            entries.push((None, default, format!("{pointer}/responses/default")));
        }
        let success_count = entries
            .iter()
            .filter(|(s, ..)| s.is_some_and(is_success))
            .count();
        for (status, response, r_pointer) in entries {
            let response = match response {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|key| {
                        self.document
                            .components
                            .as_ref()?
                            .responses
                            .get(&unescape_pointer(key))
                    })
                    .and_then(|r| r.as_item())
                    .ok_or_else(|| unresolved(reference, &r_pointer))?,
            };
            let picked = pick_media_type(&response.content);
            let content_pointer = picked.map(|(media_type, _)| {
                format!("{r_pointer}/content/{}", escape_pointer(media_type))
            });
            let schema_pointer =
                format!("{}/schema", content_pointer.as_deref().unwrap_or_default());
            let json_schema = match picked {
                Some((media_type, content)) if is_json(media_type) => Some(content.schema.as_ref()),
                _ => None,
            };
            match status {
                Some(code) if is_success(code) => {
                    let hint = if success_count > 1 {
                        format!("{}Response{code}", operation.builder_name)
                    } else {
                        format!("{}Response", operation.builder_name)
                    };
                    let body = match (picked, json_schema) {
                        // 204 and 205 never carry a body, whatever the document declares.
                        _ if code == 204 || code == 205 => ResponseBody::Empty,
                        (None, _) => ResponseBody::Empty,
                        (Some(_), Some(Some(schema))) => {
                            ResponseBody::Json(self.lower_ref(schema, &hint, &schema_pointer)?)
                        }
                        (Some(_), Some(None)) => ResponseBody::Json(TypeRef::Json),
                        (Some(_), None) => {
                            let mut media_types: Vec<String> =
                                response.content.keys().cloned().collect();
                            media_types.sort();
                            ResponseBody::Bytes { media_types }
                        }
                    };
                    operation.success.push(SuccessResponse {
                        status: code,
                        body,
                        pointer: content_pointer,
                    });
                }
                _ => {
                    let hint = format!(
                        "{}Error{}",
                        operation.builder_name,
                        status.map_or("Default".to_owned(), |s| s.to_string())
                    );
                    let body = match json_schema {
                        Some(Some(schema)) => {
                            Some(self.lower_ref(schema, &hint, &schema_pointer)?)
                        }
                        _ => None,
                    };
                    operation.errors.push(ErrorResponse {
                        status,
                        body,
                        pointer: content_pointer,
                    });
                }
            }
        }
        operation.success.sort_by_key(|s| s.status);
        operation
            .errors
            .sort_by_key(|e| (e.status.is_none(), e.status));
        Ok(())
    }
}

fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// The media type the SDK uses when several are offered: JSON first, then the first in
/// name order.
fn pick_media_type(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
) -> Option<(&str, &openapiv3::MediaType)> {
    let sorted: BTreeMap<&str, &openapiv3::MediaType> =
        content.iter().map(|(m, c)| (m.as_str(), c)).collect();
    sorted
        .iter()
        .find(|(m, _)| is_json(m))
        .or_else(|| sorted.iter().next())
        .map(|(m, c)| (*m, *c))
}

fn location_of(parameter: &OaParameter) -> ParamLocation {
    match parameter {
        OaParameter::Query { .. } => ParamLocation::Query,
        OaParameter::Header { .. } => ParamLocation::Header,
        OaParameter::Path { .. } => ParamLocation::Path,
        OaParameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// The `{name}`s of a path template, in order.
pub fn path_template_names(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// Chooses each operation's group: its broadest resource tag, that is, among its tags that are
/// not cross-cutting (`Settings::cross_cutting_tags`), the one carrying the most operations in
/// the document (ties: the first listed). Only when every tag is cross-cutting does a
/// cross-cutting tag name the group.
fn assign_groups<'o>(
    operations: impl Iterator<Item = &'o openapiv3::Operation> + Clone,
    settings: &Settings,
) -> Vec<Group> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for op in operations.clone() {
        for tag in &op.tags {
            *counts.entry(tag.as_str()).or_default() += 1;
        }
    }
    let cross_cutting = |tag: &str| settings.cross_cutting_tags.iter().any(|t| t == tag);
    let tags: Vec<String> = operations
        .map(|op| {
            let resource =
                op.tags
                    .iter()
                    .filter(|t| !cross_cutting(t))
                    .fold(None::<&String>, |best, tag| match best {
                        Some(b) if counts[b.as_str()] >= counts[tag.as_str()] => Some(b),
                        _ => Some(tag),
                    });
            resource
                .or(op.tags.first())
                .cloned()
                .unwrap_or_else(|| "other".to_owned())
        })
        .collect();
    // Module names are unique across groups; claim them in tag order for stability.
    let mut modules = Scope::with_reserved(&["models", "apis"]);
    let mut by_tag: BTreeMap<&str, Group> = BTreeMap::new();
    let distinct: BTreeSet<&str> = tags.iter().map(String::as_str).collect();
    for tag in distinct {
        let module = names::value_name(tag);
        // Modules cannot be raw identifiers in paths users type often; add a suffix instead.
        let module = modules.claim(match module.strip_prefix("r#") {
            Some(keyword) => format!("{keyword}_"),
            None => module,
        });
        let type_name = format!("{}Api", names::type_name(&module));
        by_tag.insert(
            tag,
            Group {
                tag: tag.to_owned(),
                module,
                type_name,
            },
        );
    }
    tags.iter().map(|t| by_tag[t.as_str()].clone()).collect()
}
