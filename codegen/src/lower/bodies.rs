//! Request bodies: the media type sent (JSON first), JSON schemas, multipart parts, raw bytes.
//! The media-type choice is shared with responses.
use super::view::view;
use super::Lowerer;
use crate::ir::*;
use crate::load::escape_pointer;
use crate::names::hint;
use crate::LoadError;
use openapiv3::{ReferenceOr, Schema};
use std::collections::BTreeMap;

impl<'a> Lowerer<'a> {
    pub(super) fn lower_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        builder: &str,
        pointer: &str,
    ) -> Result<RequestBody, LoadError> {
        let body = match body {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => self.request_body_at(reference, pointer)?,
        };
        let hint = hint::request_body(builder);
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
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// The media type the SDK uses when several are offered: JSON first, then the first in
/// name order.
pub(super) fn pick_media_type(
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
