//! Recursive types: a struct or enum that contains itself (directly or through other structs, not
//! through a `Vec` or map, which already allocate) needs a `Box` somewhere in the cycle. Every
//! field whose type lies in the struct's own strongly connected component is boxed.
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// Sets `Field::boxed` on every field that closes a cycle of inline containment.
pub fn mark_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    let names: Vec<&String> = types.keys().collect();
    let index: BTreeMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .values()
        .map(|def| {
            direct_children(def)
                .filter_map(|n| index.get(n).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let in_cycle = |i: usize, ty: &TypeRef| match ty {
        TypeRef::Named(target) => index
            .get(target.as_str())
            .is_some_and(|&t| component[t] == component[i]),
        _ => false,
    };
    let mut boxed: Vec<(String, usize)> = Vec::new();
    for (i, def) in types.values().enumerate() {
        let positions: Vec<usize> = match &def.kind {
            TypeKind::Struct(s) => (0..s.fields.len())
                .filter(|&f| in_cycle(i, &s.fields[f].ty))
                .collect(),
            TypeKind::Untagged(alternatives) => (0..alternatives.variants.len())
                .filter(|&v| in_cycle(i, &alternatives.variants[v].ty))
                .collect(),
            TypeKind::Enum(_) | TypeKind::Alias(_) => Vec::new(),
        };
        boxed.extend(positions.into_iter().map(|p| (def.name.clone(), p)));
    }
    for (name, position) in boxed {
        match types.get_mut(&name).map(|d| &mut d.kind) {
            Some(TypeKind::Struct(s)) => s.fields[position].boxed = true,
            Some(TypeKind::Untagged(alternatives)) => alternatives.variants[position].boxed = true,
            _ => {}
        }
    }
}

/// Types held inline (not behind a `Vec` or map) by `def`.
fn direct_children(def: &TypeDef) -> Box<dyn Iterator<Item = &str> + '_> {
    match &def.kind {
        TypeKind::Struct(s) => Box::new(s.fields.iter().filter_map(|f| match &f.ty {
            TypeRef::Named(n) => Some(n.as_str()),
            _ => None,
        })),
        TypeKind::Alias(TypeRef::Named(n)) => Box::new(std::iter::once(n.as_str())),
        TypeKind::Untagged(alternatives) => {
            Box::new(alternatives.variants.iter().filter_map(|v| match &v.ty {
                TypeRef::Named(n) => Some(n.as_str()),
                _ => None,
            }))
        }
        TypeKind::Alias(_) | TypeKind::Enum(_) => Box::new(std::iter::empty()),
    }
}

/// Tarjan's algorithm, iterative; returns the component id of every node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low, mut component) = (vec![UNSEEN; n], vec![0; n], vec![UNSEEN; n]);
    let (mut stack, mut on_stack) = (Vec::new(), vec![false; n]);
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut child)) = work.last_mut() {
            if *child == 0 && order[node] == UNSEEN {
                order[node] = next_order;
                low[node] = next_order;
                next_order += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*child) {
                *child += 1;
                if order[next] == UNSEEN {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn cycles_share_a_component() {
        let c = strongly_connected(&[vec![1], vec![0], vec![2], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[3]);
        assert_ne!(c[2], c[3]);
    }
}
