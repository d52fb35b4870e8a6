//! Per-group cargo features: each operation group compiles only when its feature is on, and
//! each model only when some enabled group reaches it through the type graph.
use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Which groups need each named type; empty when features are off.
pub struct Features<'a> {
    enabled: bool,
    groups: BTreeSet<String>,
    by_type: &'a BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Features<'a> {
    pub fn of(api: &'a Api) -> Self {
        let groups: BTreeSet<String> = api
            .operations
            .iter()
            .map(|op| op.group.module.clone())
            .collect();
        Features {
            enabled: api.group_features,
            groups,
            by_type: &api.reached_by,
        }
    }

    /// The feature names, one per group.
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(String::as_str)
    }

    /// `#[cfg(feature = "group")]` for a group's code.
    pub fn group_cfg(&self, module: &str) -> Option<TokenStream> {
        self.enabled.then(|| quote!(#[cfg(feature = #module)]))
    }

    /// `#[cfg(any(…))]` for code that any of `groups` needs.
    pub fn any_group_cfg(&self, groups: &[String]) -> Option<TokenStream> {
        self.enabled
            .then(|| quote!(#[cfg(any(#(feature = #groups),*))]))
    }

    /// The `cfg` for a type: on when any group that needs it is on; a type every group needs
    /// is always compiled, and one no operation reaches (kept by `Settings::keep_schemas`) only
    /// with `full` (it may mention types that exist only with their groups).
    pub fn type_cfg(&self, name: &str) -> Option<TokenStream> {
        if !self.enabled {
            return None;
        }
        let Some(needed) = self.by_type.get(name) else {
            return Some(quote!(#[cfg(feature = "full")]));
        };
        if needed.len() == self.groups.len() {
            return None;
        }
        let mut needed = needed.iter();
        Some(match (needed.next(), needed.len()) {
            (Some(only), 0) => quote!(#[cfg(feature = #only)]),
            (first, _) => {
                let all = first.into_iter().chain(needed);
                quote!(#[cfg(any(#(feature = #all),*))])
            }
        })
    }
}
