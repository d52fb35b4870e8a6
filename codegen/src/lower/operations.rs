//! The paths and their operations: each operation's identity and names, then its parameters,
//! body and responses (their own files), slots, paging and group.
use super::groups::assign_groups;
use super::locked::{Found, GroupScopes};
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

    pub(super) fn lower_operations(&mut self) -> Result<Vec<Operation>, LoadError> {
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
        let groups = assign_groups(found.iter().map(|(_, _, _, op, _)| *op), self.settings);
        // Sorted by operationId so names are claimed in a stable order.
        let mut ordered: Vec<_> = found
            .into_iter()
            .zip(groups)
            .map(|((path, method, item, op, pointer), group)| {
                // Without an operationId: the method and the path's words (`get_things_thing_id`).
                let id = op
                    .operation_id
                    .clone()
                    .unwrap_or_else(|| names::fallback_operation_id(method.as_str(), path));
                (id, path, method, item, op, pointer, group)
            })
            .collect();
        ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
        let mut ids = Scope::default();
        let ids: Vec<String> = ordered.iter().map(|o| ids.claim(o.0.clone())).collect();
        let found: Vec<Found<'_>> = ordered
            .iter()
            .zip(&ids)
            .map(|((_, path, method, _, _, _, group), id)| Found {
                operation_id: id,
                method: *method,
                path,
                fresh_group: group.clone(),
                fresh_method: String::new(),
            })
            .collect();
        let found = self.name_methods(found);
        let mut scopes = GroupScopes::default();
        let chosen = self.choose_operation_names(&found, &mut scopes);
        let mut operations = Vec::new();
        for ((id, names), (_, path, method, item, op, pointer, _)) in
            ids.into_iter().zip(chosen).zip(ordered)
        {
            let mut operation = Operation {
                operation_id: id,
                method_name: names.method_name.clone(),
                builder_name: names.builder_name.clone(),
                group: names.group.clone(),
                method,
                path: path.to_owned(),
                summary: op
                    .summary
                    .as_ref()
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty()),
                params: Vec::new(),
                body: None,
                slots: Vec::new(),
                success: Vec::new(),
                response_enum: None,
                pagination: None,
                errors: Vec::new(),
                origin: pointer.clone(),
                renamed_from: Vec::new(),
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
                &pointer,
            )?;
            if let Some(body) = &op.request_body {
                operation.body =
                    Some(self.lower_body(body, &type_prefix, &format!("{pointer}/requestBody"))?);
            }
            self.lower_responses(op, &mut operation, &type_prefix, &pointer)?;
            slots::assign_slots(&mut operation, &self.settings.reserved_builder_names);
            operation.pagination = pagination_of(&operation, &self.types, &self.settings.paging);
            if operation.success.len() > 1 {
                let name = names::response_enum_name(&operation.builder_name);
                operation.response_enum = Some(scopes.builders(&operation.group).claim(name));
            }
            self.lock_operation(&mut operation, names, &mut scopes);
            operations.push(operation);
        }
        Ok(operations)
    }
}
