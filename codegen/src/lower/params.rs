//! An operation's parameters: path-level ones merged with its own, references resolved, types
//! narrowed to what a URL or header can carry, every `{name}` of the path declared.
use super::Lowerer;
use crate::ir::*;
use crate::load::escape_pointer;
use crate::names::hint;
use crate::LoadError;
use openapiv3::{Parameter as OaParameter, ParameterSchemaOrContent, ReferenceOr};
use std::collections::BTreeMap;

impl<'a> Lowerer<'a> {
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
                let hint = hint::parameter(builder, &item.parameter_data_ref().name);
                Ok((item, pointer.to_owned(), hint))
            }
            ReferenceOr::Reference { reference } => {
                let (item, key) = self.parameter_at(reference, pointer)?;
                let defined_at = format!("/components/parameters/{}", escape_pointer(&key));
                Ok((item, defined_at, hint::component_parameter(&key)))
            }
        }
    }

    pub(super) fn lower_params(
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
            let mut facts = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => self.facts(schema),
                ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => self
                    .schema_at(reference, &defined_at)
                    .map(|schema| self.facts(schema))
                    .unwrap_or_default(),
                ParameterSchemaOrContent::Content(_) => Default::default(),
            };
            facts.deprecated |=
                data.deprecated.unwrap_or(false) || self.marked_deprecated(&data.extensions);
            if let Some(description) = self.description(data.description.as_deref()) {
                facts.description = Some(description);
            }
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
                facts,
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
                    facts: Default::default(),
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
