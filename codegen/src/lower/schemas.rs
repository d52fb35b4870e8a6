//! Schemas to types: components first (their names claimed before any inline type's), then
//! each schema's shape: scalars and formats, string enums, objects to structs with their
//! fields, arrays, maps, free-form JSON. Composition (`allOf`, `oneOf`, `anyOf`) is in
//! `compose`.
use super::view::{view, View};
use super::Lowerer;
use crate::ir::*;
use crate::load::escape_pointer;
use crate::names::{self, hint, Scope};
use crate::{LoadError, Settings};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use std::collections::{BTreeMap, BTreeSet};

/// How the type for a schema is named when it needs one.
/// How deep inline schemas may nest inside one another.
const MAX_INLINE_NESTING: usize = 32;

pub(super) enum Naming<'n> {
    /// A component: exactly this (already claimed) name.
    Exact(&'n str),
    /// An inline schema: claim a name from this hint.
    Hint(&'n str),
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_components(&mut self) -> Result<(), LoadError> {
        let Some(schemas) = self.document.components.as_ref().map(|c| &c.schemas) else {
            return Ok(());
        };
        // Claim every component name first, in sorted order, so inline types never take a
        // component's name and the result does not depend on the document's key order.
        let sorted: BTreeMap<&String, _> = schemas.iter().collect();
        self.name_components(&sorted);
        for key in sorted.into_keys() {
            let name = self.doc.components[key].clone();
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
        self.read_alias_cycles_as_json()
    }

    /// Components that only name each other (`A: {$ref: B}`, `B: {$ref: A}`, a lone `allOf`
    /// member, or `A: {type: array, items: {$ref: A}}`) would be type aliases of themselves,
    /// which Rust refuses: the alias that closes the cycle is read as any JSON instead.
    fn read_alias_cycles_as_json(&mut self) -> Result<(), LoadError> {
        let aliases: Vec<String> = self
            .types
            .values()
            .filter(|def| matches!(def.kind, TypeKind::Alias(_)))
            .map(|def| def.name.clone())
            .collect();
        for name in aliases {
            let mut seen = BTreeSet::from([name.clone()]);
            let mut current = name.clone();
            while let Some(TypeDef {
                kind: TypeKind::Alias(target),
                ..
            }) = self.types.get(&current)
            {
                let Some(next) = target.named().map(str::to_owned) else {
                    break;
                };
                if !seen.insert(next.clone()) {
                    if next == name {
                        let origin = self.types[&name].origin.clone();
                        self.warn(
                            &origin,
                            format!(
                                "{name} is defined only through itself; it is read as any JSON"
                            ),
                        );
                        if let Some(def) = self.types.get_mut(&name) {
                            def.kind = TypeKind::Alias(TypeRef::Json);
                        }
                    }
                    break;
                }
                current = next;
            }
        }
        Ok(())
    }

    pub(super) fn lower_ref<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve_schema_ref(reference, pointer),
            ReferenceOr::Item(schema) => {
                if let Some(known) = self.doc.inline.get(pointer) {
                    return Ok(known.clone());
                }
                // Nesting this deep is no data model anyone writes by hand; it would make types
                // (`Vec<Vec<…>>`) and stacks as deep.
                if self.nesting >= MAX_INLINE_NESTING {
                    self.warn(
                        pointer,
                        format!(
                            "inline schemas nest deeper than {MAX_INLINE_NESTING} levels; \
                             the value is read as any JSON"
                        ),
                    );
                    return Ok(TypeRef::Json);
                }
                self.nesting += 1;
                let ty = self.lower_schema(schema.borrow(), Naming::Hint(hint), pointer);
                self.nesting -= 1;
                let ty = ty?;
                self.doc.inline.insert(pointer.to_owned(), ty.clone());
                Ok(ty)
            }
        }
    }

    /// The name of the type for the schema at `pointer`: the component's, the lock's, or a
    /// fresh one from the hint.
    pub(super) fn claim(&mut self, naming: &Naming<'_>, pointer: &str) -> String {
        match naming {
            Naming::Exact(name) => (*name).to_owned(),
            Naming::Hint(hint) => match self.locked_type_name(pointer) {
                Some(name) => name,
                None => self.type_names.claim(names::type_name(hint)),
            },
        }
    }

    pub(super) fn lower_schema(
        &mut self,
        schema: &Schema,
        naming: Naming<'_>,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        let ty = self.lower_schema_shape(schema, naming, pointer)?;
        // The type made for this very schema carries its facts.
        if let TypeRef::Named(name) = &ty {
            let facts = self.facts(schema);
            if let Some(def) = self.types.get_mut(name).filter(|def| def.origin == pointer) {
                def.facts = Facts {
                    deprecated: facts.deprecated,
                    description: facts.description,
                    ..Facts::default()
                };
            }
        }
        Ok(ty)
    }

    fn lower_schema_shape(
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
            let discriminator = schema.schema_data.discriminator.as_ref();
            return self.lower_alternatives(alternatives, keyword, discriminator, naming, pointer);
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
                let name = self.claim(&naming, pointer);
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
                        self.lower_ref(items, &hint::item(base), &format!("{pointer}/items"))?;
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
                let name = self.claim(&naming, pointer);
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
                    let name = self.claim(&naming, pointer);
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
    pub(super) fn collect_fields(
        &mut self,
        v: &View<'_>,
        owner: &str,
        pointer: &str,
        fields: &mut Vec<Field>,
    ) -> Result<Option<TypeRef>, LoadError> {
        let owner = self
            .hint_bases
            .get(owner)
            .cloned()
            .unwrap_or(owner.to_owned());
        for (wire_name, property) in &v.properties {
            let property_pointer = format!("{pointer}/properties/{}", escape_pointer(wire_name));
            let hint = hint::property(&owner, wire_name);
            let ty = self.lower_ref(property, &hint, &property_pointer)?;
            let schema: Option<&Schema> = match property {
                ReferenceOr::Item(schema) => Some(schema),
                ReferenceOr::Reference { reference } => {
                    self.schema_at(reference, &property_pointer).ok()
                }
            };
            let data = schema.map(|s| &s.schema_data);
            let facts = schema.map(|s| self.facts(s)).unwrap_or_default();
            let required = v.required.contains(wire_name);
            let field = Field {
                wire_name: (*wire_name).clone(),
                rust_name: String::new(),
                ty,
                required,
                nullable: data.is_some_and(|d| d.nullable),
                read_only: data.is_some_and(|d| d.read_only),
                boxed: false,
                // Decided once boxing is known (`assign_field_shapes`).
                shape: FieldShape::Optional,
                facts,
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
            declared => self.additional_type(declared, &owner, pointer),
        }
    }

    pub(super) fn additional_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        owner: &str,
        pointer: &str,
    ) -> Result<Option<TypeRef>, LoadError> {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let hint = hint::map_value(owner);
                self.lower_ref(schema, &hint, &format!("{pointer}/additionalProperties"))
                    .map(Some)
            }
            Some(AdditionalProperties::Any(true)) => Ok(Some(TypeRef::Json)),
            Some(AdditionalProperties::Any(false)) | None => Ok(None),
        }
    }

    pub(super) fn define_struct(
        &mut self,
        name: &str,
        pointer: &str,
        mut fields: Vec<Field>,
        additional: Option<TypeRef>,
    ) {
        fields.sort_by(|a, b| a.wire_name.cmp(&b.wire_name));
        let reserved: &[&str] = if additional.is_some() {
            &[names::ADDITIONAL_PROPERTIES]
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

    /// A default whose JSON type contradicts the declared type is a document defect: reported,
    /// then ignored (the SDK never sends defaults).
    pub(super) fn check_default(&mut self, schema: &Schema, v: &View<'_>, pointer: &str) {
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

pub(super) fn hint_of<'n>(naming: &Naming<'n>) -> &'n str {
    match naming {
        Naming::Exact(name) | Naming::Hint(name) => name,
    }
}

fn enum_variants(values: &[serde_json::Value]) -> Vec<EnumVariant> {
    let mut scope = Scope::with_reserved(&[names::UNKNOWN_VARIANT]);
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

/// Decides how each struct field is declared, read and written; runs after boxing, since a
/// recursive field is always optional (so a value, and `Default`, can end).
pub(super) fn assign_field_shapes(types: &mut BTreeMap<String, TypeDef>, settings: &Settings) {
    for def in types.values_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                field.shape = field_shape(field, settings);
            }
        }
    }
}

fn field_shape(field: &Field, settings: &Settings) -> FieldShape {
    if field.boxed {
        return FieldShape::Optional;
    }
    let container = matches!(
        field.ty,
        TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::JsonObject
    );
    match (container, field.required, field.nullable) {
        (true, required, _) => FieldShape::Lenient { always: required },
        (false, true, false) if settings.null_required_reads_default => FieldShape::Required,
        (false, true, false) => FieldShape::Strict,
        (false, true, true) => FieldShape::Nullable,
        (false, false, _) => FieldShape::Optional,
    }
}
