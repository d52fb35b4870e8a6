//! The paths and their operations: each operation's identity and names, then its parameters,
//! body and responses (their own files), slots, paging and group.
use super::groups::assign_groups;
use super::locked::{Found, GroupScopes, OperationNames};
use super::pagination::pagination_of;
use super::{slots, Lowerer};
use crate::ir::*;
use crate::load::escape_pointer;
use crate::names::{self, MethodForm, Scope};
use crate::LoadError;
use openapiv3::ReferenceOr;
use std::collections::BTreeMap;

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

impl<'a> Lowerer<'a> {
    /// Today's rules' method name for each operation: the readable form, or a fuller one
    /// (`names::MethodForm`) for operations whose readable names clash in their group.
    fn name_methods<'f>(&self, mut found: Vec<Found<'f>>) -> Vec<Found<'f>> {
        let drop = &self.settings.naming.drop_prefixes;
        let mut forms = vec![MethodForm::Readable; found.len()];
        loop {
            for (f, form) in found.iter_mut().zip(&forms) {
                f.fresh_method = names::method_name(
                    f.operation_id,
                    &f.fresh_group.module,
                    f.method.as_str(),
                    drop,
                    *form,
                );
            }
            let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
            for f in &found {
                *counts
                    .entry((f.fresh_group.module.as_str(), f.fresh_method.as_str()))
                    .or_default() += 1;
            }
            let mut changed = false;
            for (f, form) in found.iter().zip(forms.iter_mut()) {
                let clash = counts[&(f.fresh_group.module.as_str(), f.fresh_method.as_str())] > 1;
                if clash && *form != MethodForm::OperationId {
                    *form = match form {
                        MethodForm::Readable => MethodForm::WithGroup,
                        _ => MethodForm::OperationId,
                    };
                    changed = true;
                }
            }
            if !changed {
                return found;
            }
        }
    }

    /// Every document's operations, named together (their groups merge across documents) and
    /// each lowered in its own document.
    pub(super) fn lower_operations(&mut self) -> Result<Vec<Operation>, LoadError> {
        let mut found = Vec::new();
        for document in 0..self.sources.len() {
            self.enter(document);
            self.find_operations(document, &mut found)
                .map_err(|e| e.in_document(self.pointer_prefix()))?;
        }
        let forced_groups: Vec<Option<&str>> = (0..self.sources.len())
            .map(|document| self.settings_of(document).and_then(|d| d.group.as_deref()))
            .collect();
        let groups = assign_groups(
            found.iter().map(|f| (f.op, forced_groups[f.document])),
            self.settings,
        );
        // Sorted by operationId so names are claimed in a stable order.
        let mut ordered: Vec<_> = found.into_iter().zip(groups).collect();
        ordered.sort_by(|(a, _), (b, _)| {
            (a.document, &a.id, a.path, a.method).cmp(&(b.document, &b.id, b.path, b.method))
        });
        // Unique within each document (a document may repeat one).
        let mut ids: Vec<Scope> = vec![Scope::default(); self.sources.len()];
        let ids: Vec<String> = ordered
            .iter()
            .map(|(o, _)| ids[o.document].claim(o.id.clone()))
            .collect();
        let named: Vec<Found<'_>> = ordered
            .iter()
            .zip(&ids)
            .map(|((o, group), id)| Found {
                document: o.document,
                operation_id: id,
                method: o.method,
                path: o.path,
                fresh_group: group.clone(),
                fresh_method: String::new(),
            })
            .collect();
        let named = self.name_methods(named);
        let mut scopes = GroupScopes::default();
        let chosen = self.choose_operation_names(&named, &mut scopes);
        let mut operations = Vec::new();
        for ((id, names), (o, _)) in ids.into_iter().zip(chosen).zip(ordered) {
            self.enter(o.document);
            let operation = self
                .lower_operation(id, names, &o, &mut scopes)
                .map_err(|e| e.in_document(self.pointer_prefix()))?;
            operations.push(operation);
        }
        Ok(operations)
    }

    /// The operations of the document being lowered, in path order.
    fn find_operations(
        &self,
        document: usize,
        found: &mut Vec<Located<'a>>,
    ) -> Result<(), LoadError> {
        let paths: BTreeMap<&String, _> = self.document.paths.paths.iter().collect();
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
                if let Some(op) = operation_of(item, method) {
                    let pointer =
                        format!("{path_pointer}/{}", method.as_str().to_ascii_lowercase());
                    // Without an operationId: the method and the path's words
                    // (`get_things_thing_id`).
                    let id = op
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| names::fallback_operation_id(method.as_str(), path));
                    found.push(Located {
                        document,
                        id,
                        path,
                        method,
                        item,
                        op,
                        pointer,
                    });
                }
            }
        }
        Ok(())
    }

    /// One operation, in its document, with the names chosen for it.
    fn lower_operation(
        &mut self,
        id: String,
        names: OperationNames,
        found: &Located<'a>,
        scopes: &mut GroupScopes,
    ) -> Result<Operation, LoadError> {
        let (path, method, item, op, pointer) = (
            found.path,
            found.method,
            found.item,
            found.op,
            &found.pointer,
        );
        let reference = self.reference_url(op, &id);
        let mut operation = Operation {
            operation_id: id,
            service: found.document,
            method_name: names.method_name.clone(),
            builder_name: names.builder_name.clone(),
            group: names.group.clone(),
            method,
            path: path.to_owned(),
            summary: op
                .summary
                .as_ref()
                .and_then(|s| s.trim().lines().next())
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            params: Vec::new(),
            body: None,
            slots: Vec::new(),
            success: Vec::new(),
            response_enum: None,
            pagination: None,
            download: false,
            errors: Vec::new(),
            origin: pointer.clone(),
            renamed_from: Vec::new(),
            reference,
            facts: crate::ir::Facts {
                deprecated: op.deprecated || self.marked_deprecated(&op.extensions),
                description: self.description(op.description.as_deref()),
                ..Default::default()
            },
        };
        // Inline types are named after the call (`UserGroupsListMembersResponse`): unique
        // across groups, unlike the builder's name.
        let type_prefix =
            names::operation_type_prefix(&operation.group.module, &operation.method_name);
        operation.params = self.lower_params(
            path,
            &item.parameters,
            &op.parameters,
            &type_prefix,
            pointer,
        )?;
        if let Some(body) = &op.request_body {
            operation.body =
                Some(self.lower_body(body, &type_prefix, &format!("{pointer}/requestBody"))?);
        }
        self.lower_responses(op, &mut operation, &type_prefix, pointer)?;
        slots::assign_slots(&mut operation, &self.settings.reserved_builder_names);
        operation.pagination = pagination_of(&operation, &self.types, &self.settings.paging);
        operation.download = matches!(
            operation.success.as_slice(),
            [only] if matches!(only.body, crate::ir::ResponseBody::Bytes { .. })
        );
        if operation.success.len() > 1 {
            let name = names::response_enum_name(&operation.builder_name);
            operation.response_enum = Some(scopes.builders(&operation.group).claim(name));
        }
        self.lock_operation(&mut operation, names, scopes);
        Ok(operation)
    }
}

/// An operation where a document has it.
struct Located<'d> {
    document: usize,
    /// Its operationId, or one made from its method and path.
    id: String,
    path: &'d str,
    method: Method,
    item: &'d openapiv3::PathItem,
    op: &'d openapiv3::Operation,
    pointer: String,
}

impl Lowerer<'_> {
    /// The operation's page on its API's reference site, from the document's `reference`
    /// template: `{tag}` is its first tag (spaces as `-`, as Redoc's anchors spell it).
    fn reference_url(&self, op: &openapiv3::Operation, operation_id: &str) -> Option<String> {
        let template = self.document_settings()?.reference.as_deref()?;
        let tag = op
            .tags
            .first()
            .map_or(String::new(), |t| t.trim().replace(' ', "-"));
        Some(
            template
                .replace("{tag}", &tag)
                .replace("{operationId}", operation_id),
        )
    }
}
