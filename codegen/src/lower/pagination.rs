//! Which operations page, and how: the conventions come from `Settings::paging`.
use crate::ir::resolve_alias;
use crate::ir::*;
use crate::names;
use crate::Paging;
use std::collections::BTreeMap;

/// A list operation pages with the offset parameters of `paging`, or with a token parameter
/// whose next value the response returns (same name, or the name with the next prefix); the
/// items are the body when it is a list, or the body's one list field.
pub(super) fn pagination_of(
    op: &Operation,
    types: &BTreeMap<String, TypeDef>,
    paging: &Paging,
) -> Option<Pagination> {
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
    let offset = paging.offset.as_ref().and_then(|offset| {
        match (query(&offset.limit), query(&offset.skip)) {
            (Some(limit), Some(skip)) if page_number(limit) && page_number(skip) => {
                Some(PageKind::Offset {
                    limit: limit.rust_name.clone(),
                    skip: skip.rust_name.clone(),
                })
            }
            _ => None,
        }
    });
    let kind = match offset {
        Some(offset) => offset,
        None => {
            let token = paging.token.as_ref()?;
            op.params
                .iter()
                .filter(|p| p.location == ParamLocation::Query && p.ty == TypeRef::String)
                .find_map(|param| {
                    if !param
                        .wire_name
                        .to_ascii_lowercase()
                        .contains(&token.param_contains)
                    {
                        return None;
                    }
                    let next_name = format!(
                        "{}{}",
                        token.next_prefix,
                        names::type_name(&param.wire_name)
                    );
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
                })?
        }
    };
    Some(Pagination {
        kind,
        item,
        items_field,
    })
}
