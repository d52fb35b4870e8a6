//! Composition: `allOf` merged into one struct, `oneOf`/`anyOf` as enums of alternatives, and
//! the order in which alternatives are tried.
use super::schemas::{hint_of, Naming};
use super::view::{view, View};
use super::{refs, Lowerer};
use crate::ir::*;
use crate::load::escape_pointer;
use crate::names::{self, hint, Scope};
use crate::LoadError;
use openapiv3::{ReferenceOr, Schema};
use std::collections::BTreeMap;

impl<'a> Lowerer<'a> {
    /// `allOf`: one struct with every member's fields; a lone reference stays that type.
    pub(super) fn lower_all_of(
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
        let name = self.claim(&naming, pointer);
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
                    let owner = names::label(&self.resolve_schema_ref(reference, &member_pointer)?);
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

    pub(super) fn lower_alternatives(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        keyword: &str,
        discriminator: Option<&openapiv3::Discriminator>,
        naming: Naming<'_>,
        pointer: &str,
    ) -> Result<TypeRef, LoadError> {
        if let [only] = alternatives {
            return self.lower_ref(only, hint_of(&naming), &format!("{pointer}/{keyword}/0"));
        }
        let name = self.claim(&naming, pointer);
        let mut variants = Vec::new();
        let mut scope = Scope::default();
        for (index, alternative) in alternatives.iter().enumerate() {
            let hint = hint::alternative(&name, index);
            let ty = self.lower_ref(alternative, &hint, &format!("{pointer}/{keyword}/{index}"))?;
            let rust_name = scope.claim(names::label(&ty));
            variants.push(UntaggedVariant {
                rust_name,
                ty,
                boxed: false,
                required_keys: Vec::new(),
                tags: Vec::new(),
            });
        }
        let discriminator = discriminator.map(|discriminator| {
            self.assign_tags(discriminator, alternatives, &mut variants, pointer);
            discriminator.property_name.clone()
        });
        let alternatives = Alternatives {
            variants,
            discriminator,
        };
        self.insert_type(&name, pointer, TypeKind::Untagged(alternatives));
        Ok(TypeRef::Named(name))
    }

    /// The discriminator values of each alternative: the mapping's keys that name it (by
    /// reference, or by component name), else, for a referenced component, its name. A mapping
    /// entry that names no alternative is reported and ignored.
    fn assign_tags(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        alternatives: &[ReferenceOr<Schema>],
        variants: &mut [UntaggedVariant],
        pointer: &str,
    ) {
        let component =
            |reference: &str| refs::component_key(reference, refs::Section::Schemas, pointer).ok();
        let keys: Vec<Option<String>> = alternatives
            .iter()
            .map(|alternative| match alternative {
                ReferenceOr::Reference { reference } => component(reference),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        let mut mapping: Vec<(&String, &String)> = discriminator.mapping.iter().collect();
        mapping.sort();
        for (value, target) in mapping {
            let target_key = if target.starts_with('#') {
                component(target)
            } else {
                Some(target.clone())
            };
            match keys
                .iter()
                .position(|key| key.is_some() && *key == target_key)
            {
                Some(index) => variants[index].tags.push(value.clone()),
                None => self.warn(
                    &format!("{pointer}/discriminator/mapping/{}", escape_pointer(value)),
                    format!("{target:?} is none of the alternatives; the value is ignored"),
                ),
            }
        }
        for (variant, key) in variants.iter_mut().zip(keys) {
            if let (true, Some(key)) = (variant.tags.is_empty(), key) {
                variant.tags.push(key);
            }
        }
    }
}

/// Orders every untagged enum's variants so the most specific shape is tried first: serde takes
/// the first variant that decodes, and a struct whose fields are all optional accepts any
/// object. Runs once every type exists, since alternatives may name types lowered later.
pub(super) fn order_alternatives(types: &mut BTreeMap<String, TypeDef>) {
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
    let orders: Vec<(String, Alternatives)> = types
        .values()
        .filter_map(|def| match &def.kind {
            TypeKind::Untagged(alternatives) => {
                let mut sorted = alternatives.clone();
                sorted.variants.sort_by_key(|v| rank(&v.ty, types));
                for variant in &mut sorted.variants {
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
