//! Responses: success bodies (the return type, or an enum of them) and documented error
//! statuses, then the error-body enum's variants across all operations.
use super::bodies::{is_json, pick_media_type};
use super::Lowerer;
use crate::ir::resolve_alias;
use crate::ir::*;
use crate::load::escape_pointer;
use crate::names::{self, hint, Scope};
use crate::LoadError;
use openapiv3::{ReferenceOr, StatusCode};
use std::collections::{BTreeMap, BTreeSet};

/// The extension by which a document asks that no type be generated for a response (Konfig's
/// conversions mark their generic error responses so).
const DO_NOT_GENERATE: &str = "x-do-not-generate";

/// An inline `type: string` schema with no enum or format: text, not a JSON document.
fn is_plain_string(schema: &ReferenceOr<openapiv3::Schema>) -> bool {
    match schema {
        ReferenceOr::Item(schema) => matches!(
            &schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::String(s))
                if s.enumeration.is_empty()
                    && matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Empty)
        ),
        ReferenceOr::Reference { .. } => false,
    }
}

fn opts_out(response: &openapiv3::Response) -> bool {
    response.extensions.get(DO_NOT_GENERATE) == Some(&serde_json::Value::Bool(true))
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_responses(
        &mut self,
        op: &'a openapiv3::Operation,
        operation: &mut Operation,
        type_prefix: &str,
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
                ReferenceOr::Reference { reference } => self.response_at(reference, &r_pointer)?,
            };
            let picked = pick_media_type(&response.content);
            let content_pointer = picked.map(|(media_type, _)| {
                format!("{r_pointer}/content/{}", escape_pointer(media_type))
            });
            let schema_pointer =
                format!("{}/schema", content_pointer.as_deref().unwrap_or_default());
            let json_schema = match picked {
                // The document's own opt-out: the body is read, but no type is made for it.
                Some((media_type, _)) if is_json(media_type) && opts_out(response) => Some(None),
                Some((media_type, content)) if is_json(media_type) => Some(content.schema.as_ref()),
                _ => None,
            };
            match status {
                Some(code) if is_success(code) => {
                    let hint = hint::success(type_prefix, code, success_count > 1);
                    let body = match (picked, json_schema) {
                        // 204 and 205 never carry a body, whatever the document declares.
                        _ if code == 204 || code == 205 => ResponseBody::Empty,
                        (None, _) => ResponseBody::Empty,
                        // A download offered as JSON text and as a file format (a report in
                        // JSON or CSV): the bytes, whichever the server sends.
                        (Some(_), Some(Some(schema)))
                            if is_plain_string(schema)
                                && response.content.keys().any(|m| !is_json(m)) =>
                        {
                            let mut media_types: Vec<String> =
                                response.content.keys().cloned().collect();
                            media_types.sort();
                            ResponseBody::Bytes { media_types }
                        }
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
                        variant: names::status_variant(code),
                        // Known once every type exists (`mark_list_bodies`).
                        list: false,
                        body,
                        pointer: content_pointer,
                    });
                }
                _ => {
                    let hint = hint::error(type_prefix, status);
                    let body = match json_schema {
                        Some(Some(schema)) => {
                            Some(self.lower_ref(schema, &hint, &schema_pointer)?)
                        }
                        _ => None,
                    };
                    operation.errors.push(ErrorResponse {
                        status,
                        body,
                        // Named once every operation's errors are known (`name_error_bodies`).
                        decoded_as: None,
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

/// The `ApiErrorBody` variants: one per error schema any operation documents, claimed in type
/// order, each with its decoder; every error response is told its variant.
pub(super) fn name_error_bodies(operations: &mut [Operation]) -> Vec<ErrorBody> {
    let schemas: BTreeSet<TypeRef> = operations
        .iter()
        .flat_map(|op| op.errors.iter().filter_map(|e| e.body.clone()))
        .collect();
    let mut variants = Scope::with_reserved(&[names::UNDOCUMENTED_ERROR_VARIANT]);
    let mut decoders = Scope::with_reserved(names::RESERVED_ERROR_DECODERS);
    let bodies: Vec<ErrorBody> = schemas
        .into_iter()
        .map(|ty| {
            let variant = variants.claim(names::label(&ty));
            let decoder = decoders.claim(names::error_decoder_name(&variant));
            ErrorBody {
                ty,
                variant,
                decoder,
            }
        })
        .collect();
    let by_type: BTreeMap<&TypeRef, &ErrorBody> = bodies.iter().map(|b| (&b.ty, b)).collect();
    for error in operations.iter_mut().flat_map(|op| op.errors.iter_mut()) {
        error.decoded_as = error
            .body
            .as_ref()
            .and_then(|ty| by_type.get(ty))
            .map(|body| ErrorBodyName {
                variant: body.variant.clone(),
                decoder: body.decoder.clone(),
            });
    }
    bodies
}

/// Marks the success bodies that are JSON lists, through aliases; runs once every type exists.
pub(super) fn mark_list_bodies(operations: &mut [Operation], types: &BTreeMap<String, TypeDef>) {
    for success in operations.iter_mut().flat_map(|op| op.success.iter_mut()) {
        success.list = matches!(
            &success.body,
            ResponseBody::Json(ty) if matches!(resolve_alias(ty, types), TypeRef::Vec(_))
        );
    }
}
