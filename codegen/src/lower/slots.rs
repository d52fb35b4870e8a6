//! What the caller gives an operation, decided once for every renderer: each parameter and
//! multipart part gets its Rust name (one scope, so a part and a parameter cannot collide), and
//! each slot its role: a required value is a method argument, an optional one a builder
//! setter. A cookie parameter is a slot like any other and is sent in the `Cookie` header.
use crate::ir::*;
use crate::names::{self, Scope};

/// Names the builder's fields and fills `Operation::slots`: parameters, then the body (or its
/// multipart parts), in builder field order.
pub(super) fn assign_slots(operation: &mut Operation, runtime_names: &[String]) {
    let reserved: Vec<&str> = names::BUILDER_OWN_NAMES
        .iter()
        .copied()
        .chain(runtime_names.iter().map(String::as_str))
        .collect();
    let mut scope = Scope::with_reserved(&reserved);
    let mut slots = Vec::new();
    for (index, param) in operation.params.iter_mut().enumerate() {
        param.rust_name = scope.claim(names::value_name(&param.wire_name));
        slots.push(Slot {
            rust_name: param.rust_name.clone(),
            role: role(param.required),
            value: SlotValue::Param(index),
        });
    }
    match &mut operation.body {
        Some(RequestBody {
            kind: BodyKind::Multipart(parts),
            required,
            ..
        }) => {
            for (index, part) in parts.iter_mut().enumerate() {
                part.rust_name = scope.claim(names::value_name(&part.wire_name));
                slots.push(Slot {
                    rust_name: part.rust_name.clone(),
                    role: role(*required && part.required),
                    value: SlotValue::Part(index),
                });
            }
        }
        Some(RequestBody {
            kind: BodyKind::Json(ty),
            required,
            ..
        }) => slots.push(Slot {
            rust_name: names::BODY_SLOT.to_owned(),
            role: role(*required),
            value: SlotValue::JsonBody(ty.clone()),
        }),
        Some(RequestBody {
            kind: BodyKind::Bytes,
            required,
            ..
        }) => slots.push(Slot {
            rust_name: names::BODY_SLOT.to_owned(),
            role: role(*required),
            value: SlotValue::BytesBody,
        }),
        None => {}
    }
    operation.slots = slots;
}

fn role(required: bool) -> SlotRole {
    if required {
        SlotRole::Argument
    } else {
        SlotRole::Setter
    }
}
