//! Which crate each group and type is generated into, when `Settings::split` spreads the
//! generated code over a core crate and shards that cargo builds side by side.
use crate::diagnostics::{Diagnostic, Severity};
use crate::ir::{Api, Layout, Shard, TypeKind, TypeRef};
use crate::SplitSettings;
use std::collections::{BTreeMap, BTreeSet};

/// What an operation weighs against one field of a model when groups are dealt to shards:
/// about the ratio of their generated lines (a builder with its methods and response enum,
/// against a field's declaration, read and write).
const OPERATION_WEIGHT: usize = 20;
/// What a type weighs beyond its fields (its derives and impls).
const TYPE_WEIGHT: usize = 5;
/// How much heavier than a fresh deal's the heaviest shard may grow, with the groups kept
/// where the lock has them, before a warning says to rebalance: the heaviest shard is what the
/// build waits for.
const DRIFT_LIMIT: f64 = 1.25;

/// The layout of `api` under `settings`. The core takes every type that is reached by no group
/// or by several, every error body (the core's `ApiErrorBody` names them) and every type
/// those reach; each other type goes with the one group that reaches it. A group stays in the
/// shard the lock (`locked`) names, so a spec update moves no group, as long as the lock's
/// shards are this layout's: with the count changed, or a shard left without groups, every
/// group is dealt afresh. The other groups are dealt heaviest first, each to the lightest shard
/// so far (ties to the first), so the shards build in about equal time. Only sizes, names and
/// the lock decide, so the layout does not depend on the documents' key order. A warning in
/// `diagnostics` says when kept groups have made the heaviest shard much heavier than a fresh
/// deal's.
pub fn split(
    api: &Api,
    settings: &SplitSettings,
    locked: &BTreeMap<String, String>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Layout {
    let count = settings.shards.get();
    let needed = &api.reached_by;
    let mut core: BTreeSet<&str> = api
        .types
        .keys()
        .filter(|name| needed.get(*name).is_none_or(|groups| groups.len() != 1))
        .map(String::as_str)
        .collect();
    core.extend(api.error_bodies.iter().filter_map(|body| body.ty.named()));
    let mut stack: Vec<&str> = core.iter().copied().collect();
    while let Some(name) = stack.pop() {
        let Some(def) = api.types.get(name) else {
            continue;
        };
        for reached in def.references().filter_map(TypeRef::named) {
            if core.insert(reached) {
                stack.push(reached);
            }
        }
    }
    let own_group = |name: &str| -> Option<&str> {
        if core.contains(name) {
            return None;
        }
        needed.get(name)?.iter().next().map(String::as_str)
    };
    let mut weight: BTreeMap<&str, usize> = BTreeMap::new();
    for op in &api.operations {
        *weight.entry(op.group.module.as_str()).or_default() += OPERATION_WEIGHT;
    }
    for def in api.types.values() {
        if let Some(group) = own_group(&def.name) {
            *weight.entry(group).or_default() += TYPE_WEIGHT + size(&def.kind);
        }
    }
    let mut heaviest_first: Vec<(&str, usize)> = weight.into_iter().collect();
    heaviest_first.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let packages = settings.shard_packages();
    // Over the groups this API still has: a removed group's entry must not stand for a shard
    // that no group is left in.
    let locked_packages: BTreeSet<&String> = heaviest_first
        .iter()
        .filter_map(|(group, _)| locked.get(*group))
        .collect();
    let keeps = !locked_packages.is_empty() && locked_packages == packages.iter().collect();
    let locked_shard = |group: &str| -> Option<usize> {
        let package = locked.get(group).filter(|_| keeps)?;
        packages.iter().position(|p| p == package)
    };
    let (group_shard, loads) = deal(&heaviest_first, count, locked_shard);
    if keeps {
        let (_, fresh) = deal(&heaviest_first, count, |_| None);
        let now = (0..count).max_by_key(|&k| loads[k]).unwrap_or(0);
        let best = fresh.iter().copied().max().unwrap_or(0);
        if best > 0 && loads[now] as f64 > DRIFT_LIMIT * best as f64 {
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                pointer: String::new(),
                message: format!(
                    "the heaviest shard, {}, weighs {:.2}× what the heaviest would if the \
                     groups were dealt afresh (the name lock keeps each group's shard across \
                     spec updates); `regenerate --rebalance-shards` deals them by today's sizes",
                    packages[now],
                    loads[now] as f64 / best as f64
                ),
            });
        }
    }
    let shards = packages
        .into_iter()
        .enumerate()
        .map(|(k, package)| Shard {
            package,
            groups: group_shard
                .iter()
                .filter(|(_, &shard)| shard == k)
                .map(|(group, _)| (*group).to_owned())
                .collect(),
        })
        .collect();
    let type_shard = api
        .types
        .keys()
        .filter_map(|name| Some((name.clone(), group_shard[own_group(name)?])))
        .collect();
    Layout {
        core: settings.core.clone(),
        shard_prefix: settings.shard_prefix.clone(),
        shards,
        type_shard,
    }
}

/// Each group's shard and the shards' loads: a group `placed` puts in a shard stays there, the
/// others (in the order given) go to the lightest shard so far, ties to the first.
fn deal<'g>(
    heaviest_first: &[(&'g str, usize)],
    count: usize,
    placed: impl Fn(&str) -> Option<usize>,
) -> (BTreeMap<&'g str, usize>, Vec<usize>) {
    let mut loads = vec![0usize; count];
    let mut group_shard = BTreeMap::new();
    let mut dealt = Vec::new();
    for &(group, weight) in heaviest_first {
        match placed(group) {
            Some(shard) => {
                loads[shard] += weight;
                group_shard.insert(group, shard);
            }
            None => dealt.push((group, weight)),
        }
    }
    for (group, weight) in dealt {
        let lightest = (0..count).min_by_key(|&k| (loads[k], k)).unwrap_or(0);
        loads[lightest] += weight;
        group_shard.insert(group, lightest);
    }
    (group_shard, loads)
}

/// A type's fields, variants or alternatives.
fn size(kind: &TypeKind) -> usize {
    match kind {
        TypeKind::Struct(s) => s.fields.len(),
        TypeKind::Enum(variants) => variants.len(),
        TypeKind::Untagged(alternatives) => alternatives.variants.len(),
        TypeKind::Alias(_) => 1,
    }
}
