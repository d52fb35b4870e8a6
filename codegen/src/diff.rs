//! What a spec change means for a Rust caller: two surfaces (`crate::surface`) compared,
//! each difference classified *breaking* (some caller's code stops compiling or a request it
//! sends becomes wrong) or *compatible*, with the reason. The rules follow the semver policy in
//! ARCHITECTURE.md: builders make new optional parameters compatible, `..Default::default()`
//! makes new optional fields compatible, `#[non_exhaustive]` enums make new values compatible.
use crate::lock::erase_parameters;
use crate::surface::{OperationSurface, Surface, TypeShape, TypeSurface};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Breaking,
    Compatible,
}

/// What kind of difference, for counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    GroupAdded,
    GroupRemoved,
    ErrorBodyAdded,
    ErrorBodyRemoved,
    ErrorBodyRetyped,
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    OperationMoved,
    ParameterAdded,
    ParameterRemoved,
    ParameterRetyped,
    ResultChanged,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldRetyped,
    FieldMadeRequired,
    FieldMadeOptional,
    EnumValueAdded,
    EnumValueRemoved,
    VariantAdded,
    VariantRemoved,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::GroupAdded => "groups added",
            Kind::GroupRemoved => "groups removed",
            Kind::ErrorBodyAdded => "error bodies added",
            Kind::ErrorBodyRemoved => "error bodies removed",
            Kind::ErrorBodyRetyped => "error bodies changed",
            Kind::OperationAdded => "operations added",
            Kind::OperationRemoved => "operations removed",
            Kind::OperationRenamed => "operations renamed",
            Kind::OperationMoved => "operations moved",
            Kind::ParameterAdded => "parameters added",
            Kind::ParameterRemoved => "parameters removed",
            Kind::ParameterRetyped => "parameters changed",
            Kind::ResultChanged => "results changed",
            Kind::TypeAdded => "types added",
            Kind::TypeRemoved => "types removed",
            Kind::TypeRenamed => "types renamed",
            Kind::TypeChanged => "types changed in kind",
            Kind::FieldAdded => "fields added",
            Kind::FieldRemoved => "fields removed",
            Kind::FieldRetyped => "fields retyped",
            Kind::FieldMadeRequired => "fields made required",
            Kind::FieldMadeOptional => "fields made optional",
            Kind::EnumValueAdded => "enum values added",
            Kind::EnumValueRemoved => "enum values removed",
            Kind::VariantAdded => "alternatives added",
            Kind::VariantRemoved => "alternatives removed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub class: Class,
    pub kind: Kind,
    /// The call (`user_groups.list_members`) or type (`UserGroup`) it concerns.
    pub item: String,
    pub what: String,
    pub why: String,
}

/// Every difference between two surfaces, sorted (breaking first).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub changes: Vec<Change>,
}

/// Compares what the SDK exposed (`old`) with what it would expose (`new`).
pub fn compare(old: &Surface, new: &Surface) -> Report {
    let mut changes = Vec::new();
    let aliases = Aliases::of(new);
    // A type renamed with a deprecated alias is the same type: old signatures are read with
    // the new names, so only real differences remain.
    let mut renamed = aliases.types.clone();
    for op in new.operations.values() {
        let current = op.output.split(' ').next().unwrap_or_default();
        renamed.extend(
            op.deprecated_results
                .iter()
                .map(|old| (old.as_str(), current)),
        );
    }
    let old = &with_type_names(old, &renamed);
    compare_groups(old, new, &mut changes);
    compare_operations(old, new, &aliases.calls, &mut changes);
    compare_types(old, new, &aliases.types, &mut changes);
    changes.sort();
    changes.dedup();
    Report { changes }
}

/// The deprecated names a surface still answers to, each with the name it stands for.
struct Aliases<'s> {
    calls: BTreeMap<&'s str, &'s str>,
    types: BTreeMap<&'s str, &'s str>,
}

impl<'s> Aliases<'s> {
    fn of(surface: &'s Surface) -> Self {
        let calls = surface
            .operations
            .values()
            .flat_map(|op| {
                op.deprecated
                    .iter()
                    .map(move |d| (d.as_str(), op.call.as_str()))
            })
            .collect();
        let types = surface
            .types
            .values()
            .flat_map(|ty| {
                ty.deprecated
                    .iter()
                    .map(move |d| (d.as_str(), ty.name.as_str()))
            })
            .collect();
        Aliases { calls, types }
    }
}

/// `surface` with every type name in its signatures and fields replaced per `renamed` (the
/// types' own entries keep their names).
fn with_type_names(surface: &Surface, renamed: &BTreeMap<&str, &str>) -> Surface {
    if renamed.is_empty() {
        return surface.clone();
    }
    let rename = |ty: &str| -> String {
        let mut out = String::with_capacity(ty.len());
        let mut word = String::new();
        for c in ty.chars().chain(std::iter::once(' ')) {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
            } else {
                out.push_str(renamed.get(word.as_str()).copied().unwrap_or(&word));
                word.clear();
                out.push(c);
            }
        }
        out.pop();
        out
    };
    let mut surface = surface.clone();
    for op in surface.operations.values_mut() {
        for (_, ty) in &mut op.arguments {
            *ty = rename(ty);
        }
        for ty in op.setters.values_mut() {
            *ty = rename(ty);
        }
        op.output = rename(&op.output);
    }
    for ty in surface.types.values_mut() {
        match &mut ty.kind {
            TypeShape::Struct { fields } => fields.values_mut().for_each(|t| *t = rename(t)),
            TypeShape::Alternatives { variants } => {
                variants.values_mut().for_each(|t| *t = rename(t))
            }
            TypeShape::Alias { target } => *target = rename(target),
            TypeShape::Enum { .. } => {}
        }
    }
    for ty in surface.error_bodies.values_mut() {
        *ty = rename(ty);
    }
    surface
}

fn change(class: Class, kind: Kind, item: &str, what: String, why: &str) -> Change {
    Change {
        class,
        kind,
        item: item.to_owned(),
        what,
        why: why.to_owned(),
    }
}

fn compare_groups(old: &Surface, new: &Surface, out: &mut Vec<Change>) {
    for group in new.groups.difference(&old.groups) {
        out.push(change(
            Class::Compatible,
            Kind::GroupAdded,
            group,
            format!("group added (`client.{group}()`, feature `{group}`)"),
            "new code only",
        ));
    }
    for group in old.groups.difference(&new.groups) {
        out.push(change(
            Class::Breaking,
            Kind::GroupRemoved,
            group,
            format!("group removed (`client.{group}()`, feature `{group}`)"),
            "code calling it, and manifests enabling its feature, no longer build",
        ));
    }
    for (variant, ty) in &new.error_bodies {
        match old.error_bodies.get(variant) {
            None => out.push(change(
                Class::Compatible,
                Kind::ErrorBodyAdded,
                "ApiErrorBody",
                format!("variant `{variant}({ty})` added"),
                "the enum is #[non_exhaustive]",
            )),
            Some(old_ty) if old_ty != ty => out.push(change(
                Class::Breaking,
                Kind::ErrorBodyRetyped,
                "ApiErrorBody",
                format!("variant `{variant}` changes from `{old_ty}` to `{ty}`"),
                "code matching it may no longer compile",
            )),
            _ => {}
        }
    }
    for (variant, ty) in &old.error_bodies {
        if !new.error_bodies.contains_key(variant) {
            out.push(change(
                Class::Breaking,
                Kind::ErrorBodyRemoved,
                "ApiErrorBody",
                format!("variant `{variant}({ty})` removed"),
                "code matching it no longer compiles",
            ));
        }
    }
}

fn compare_operations(
    old: &Surface,
    new: &Surface,
    aliased: &BTreeMap<&str, &str>,
    out: &mut Vec<Change>,
) {
    let by_endpoint: BTreeMap<String, &str> = new
        .operations
        .values()
        .map(|op| (erase_parameters(&op.endpoint), op.call.as_str()))
        .collect();
    let mut renamed_to: BTreeSet<&str> = BTreeSet::new();
    for (call, before) in &old.operations {
        let Some(after) = new.operations.get(call) else {
            if let Some(now) = aliased.get(call.as_str()) {
                renamed_to.insert(now);
                out.push(change(
                    Class::Compatible,
                    Kind::OperationRenamed,
                    call,
                    format!("renamed to `{now}`"),
                    "the old name stays, deprecated, for one release",
                ));
                if let Some(after) = new.operations.get(*now) {
                    compare_operation(call, before, after, out);
                }
            } else if let Some(now) = by_endpoint.get(&erase_parameters(&before.endpoint)) {
                renamed_to.insert(now);
                out.push(change(
                    Class::Breaking,
                    Kind::OperationRenamed,
                    call,
                    format!("renamed to `{now}` (`{}`)", before.endpoint),
                    "calls by the old name no longer compile",
                ));
            } else {
                out.push(change(
                    Class::Breaking,
                    Kind::OperationRemoved,
                    call,
                    format!("removed (`{}`)", before.endpoint),
                    "calls to it no longer compile",
                ));
            }
            continue;
        };
        if erase_parameters(&before.endpoint) != erase_parameters(&after.endpoint) {
            out.push(change(
                Class::Compatible,
                Kind::OperationMoved,
                call,
                format!("moved from `{}` to `{}`", before.endpoint, after.endpoint),
                "the call is unchanged and reaches the new path",
            ));
        }
        compare_operation(call, before, after, out);
    }
    for (call, after) in &new.operations {
        if !old.operations.contains_key(call) && !renamed_to.contains(call.as_str()) {
            out.push(change(
                Class::Compatible,
                Kind::OperationAdded,
                call,
                format!("added (`{}`)", after.endpoint),
                "new code only",
            ));
        }
    }
}

/// Arguments by position (their names are not part of a call), setters by name.
fn compare_operation(
    call: &str,
    before: &OperationSurface,
    after: &OperationSurface,
    out: &mut Vec<Change>,
) {
    let old_args: Vec<&str> = before.arguments.iter().map(|(_, t)| t.as_str()).collect();
    let new_args: Vec<&str> = after.arguments.iter().map(|(_, t)| t.as_str()).collect();
    let named =
        |args: &[(String, String)]| -> BTreeMap<String, String> { args.iter().cloned().collect() };
    let (old_named, new_named) = (named(&before.arguments), named(&after.arguments));
    if old_args != new_args {
        for (name, ty) in &after.arguments {
            if !old_named.contains_key(name) {
                let was_setter = before.setters.contains_key(name);
                let what = if was_setter {
                    format!("optional parameter `{name}` is now required (an argument)")
                } else {
                    format!("required parameter `{name}: {ty}` added")
                };
                out.push(change(
                    Class::Breaking,
                    Kind::ParameterAdded,
                    call,
                    what,
                    "every call needs a new argument",
                ));
            }
        }
        for (name, ty) in &before.arguments {
            if !new_named.contains_key(name) {
                let what = if after.setters.contains_key(name) {
                    format!("required parameter `{name}` is now optional (a setter)")
                } else {
                    format!("required parameter `{name}: {ty}` removed")
                };
                out.push(change(
                    Class::Breaking,
                    Kind::ParameterRemoved,
                    call,
                    what,
                    "calls passing it no longer compile",
                ));
            }
        }
        if old_named.keys().eq(new_named.keys()) {
            out.push(change(
                Class::Breaking,
                Kind::ParameterRetyped,
                call,
                format!(
                    "arguments ({}) become ({})",
                    old_args.join(", "),
                    new_args.join(", ")
                ),
                "calls passing the old types no longer compile",
            ));
        }
    }
    for (name, ty) in &after.setters {
        match before.setters.get(name) {
            None if !old_named.contains_key(name) => out.push(change(
                Class::Compatible,
                Kind::ParameterAdded,
                call,
                format!("optional parameter `{name}: {ty}` added"),
                "a new builder method; existing calls are unchanged",
            )),
            Some(old_ty) if old_ty != ty => out.push(change(
                Class::Breaking,
                Kind::ParameterRetyped,
                call,
                format!("optional parameter `{name}` changes from `{old_ty}` to `{ty}`"),
                "calls setting it with the old type no longer compile",
            )),
            _ => {}
        }
    }
    for (name, ty) in &before.setters {
        if !after.setters.contains_key(name) && !new_named.contains_key(name) {
            out.push(change(
                Class::Breaking,
                Kind::ParameterRemoved,
                call,
                format!("optional parameter `{name}: {ty}` removed"),
                "calls setting it no longer compile",
            ));
        }
    }
    if before.output != after.output {
        out.push(change(
            Class::Breaking,
            Kind::ResultChanged,
            call,
            format!("returns `{}` instead of `{}`", after.output, before.output),
            "code reading the result may no longer compile",
        ));
    }
}

fn compare_types(
    old: &Surface,
    new: &Surface,
    aliased: &BTreeMap<&str, &str>,
    out: &mut Vec<Change>,
) {
    for (name, before) in &old.types {
        match new.types.get(name) {
            Some(after) => compare_type(name, before, after, out),
            None => match aliased.get(name.as_str()) {
                Some(now) => {
                    out.push(change(
                        Class::Compatible,
                        Kind::TypeRenamed,
                        name,
                        format!("renamed to `{now}`"),
                        "the old name stays, deprecated, for one release",
                    ));
                    if let Some(after) = new.types.get(*now) {
                        compare_type(name, before, after, out);
                    }
                }
                None => out.push(change(
                    Class::Breaking,
                    Kind::TypeRemoved,
                    name,
                    "removed".to_owned(),
                    "code naming it no longer compiles",
                )),
            },
        }
    }
    let renamed: BTreeSet<&str> = aliased.values().copied().collect();
    for name in new.types.keys() {
        if !old.types.contains_key(name) && !renamed.contains(name.as_str()) {
            out.push(change(
                Class::Compatible,
                Kind::TypeAdded,
                name,
                "added".to_owned(),
                "new code only",
            ));
        }
    }
}

fn compare_type(name: &str, before: &TypeSurface, after: &TypeSurface, out: &mut Vec<Change>) {
    match (&before.kind, &after.kind) {
        (TypeShape::Struct { fields: old }, TypeShape::Struct { fields: new }) => {
            compare_fields(name, old, new, after.sent, out)
        }
        (TypeShape::Enum { values: old }, TypeShape::Enum { values: new }) => {
            for value in new.difference(old) {
                out.push(change(
                    Class::Compatible,
                    Kind::EnumValueAdded,
                    name,
                    format!("value `{value}` added"),
                    "the enum is #[non_exhaustive]; older SDKs read it as `Unknown`",
                ));
            }
            for value in old.difference(new) {
                out.push(change(
                    Class::Breaking,
                    Kind::EnumValueRemoved,
                    name,
                    format!("value `{value}` removed"),
                    "code naming its variant no longer compiles",
                ));
            }
        }
        (TypeShape::Alternatives { variants: old }, TypeShape::Alternatives { variants: new }) => {
            for (variant, ty) in new {
                match old.get(variant) {
                    None => out.push(change(
                        Class::Compatible,
                        Kind::VariantAdded,
                        name,
                        format!("alternative `{variant}({ty})` added"),
                        "the enum is #[non_exhaustive]",
                    )),
                    Some(old_ty) if old_ty != ty => out.push(change(
                        Class::Breaking,
                        Kind::FieldRetyped,
                        name,
                        format!("alternative `{variant}` changes from `{old_ty}` to `{ty}`"),
                        "code building or matching it may no longer compile",
                    )),
                    _ => {}
                }
            }
            for (variant, ty) in old {
                if !new.contains_key(variant) {
                    out.push(change(
                        Class::Breaking,
                        Kind::VariantRemoved,
                        name,
                        format!("alternative `{variant}({ty})` removed"),
                        "code naming it no longer compiles",
                    ));
                }
            }
        }
        (TypeShape::Alias { target: old }, TypeShape::Alias { target: new }) if old != new => out
            .push(change(
                Class::Breaking,
                Kind::TypeChanged,
                name,
                format!("now stands for `{new}` instead of `{old}`"),
                "code using it as the old type may no longer compile",
            )),
        (old, new) if std::mem::discriminant(old) != std::mem::discriminant(new) => {
            out.push(change(
                Class::Breaking,
                Kind::TypeChanged,
                name,
                format!("changes from {} to {}", shape_word(old), shape_word(new)),
                "code building or reading it no longer compiles",
            ))
        }
        _ => {}
    }
}

fn shape_word(shape: &TypeShape) -> &'static str {
    match shape {
        TypeShape::Struct { .. } => "a struct",
        TypeShape::Enum { .. } => "a string enum",
        TypeShape::Alternatives { .. } => "an enum of alternatives",
        TypeShape::Alias { .. } => "an alias",
    }
}

fn compare_fields(
    name: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    sent: bool,
    out: &mut Vec<Change>,
) {
    let optional = |ty: &str| ty.starts_with("Option<");
    for (field, ty) in new {
        let Some(old_ty) = old.get(field) else {
            let (class, why) = match (optional(ty), sent) {
                (true, _) => (
                    Class::Compatible,
                    "struct literals ending in `..Default::default()` and every reader are unaffected",
                ),
                (false, true) => (
                    Class::Breaking,
                    "a required field: requests must now set it",
                ),
                (false, false) => (
                    Class::Compatible,
                    "only received, and read leniently: readers are unaffected",
                ),
            };
            out.push(change(
                class,
                Kind::FieldAdded,
                name,
                format!("field `{field}: {ty}` added"),
                why,
            ));
            continue;
        };
        if old_ty == ty {
            continue;
        }
        let (kind, what) =
            if !optional(old_ty) && optional(ty) && ty == &format!("Option<{old_ty}>") {
                (
                    Kind::FieldMadeOptional,
                    format!("field `{field}` is now optional (`{ty}`)"),
                )
            } else if optional(old_ty) && old_ty == &format!("Option<{ty}>") {
                (
                    Kind::FieldMadeRequired,
                    format!("field `{field}` is now required (`{ty}`)"),
                )
            } else {
                (
                    Kind::FieldRetyped,
                    format!("field `{field}` changes from `{old_ty}` to `{ty}`"),
                )
            };
        out.push(change(
            Class::Breaking,
            kind,
            name,
            what,
            "its Rust type changes: code building or reading it no longer compiles",
        ));
    }
    for (field, ty) in old {
        if !new.contains_key(field) {
            out.push(change(
                Class::Breaking,
                Kind::FieldRemoved,
                name,
                format!("field `{field}: {ty}` removed"),
                "code building or reading it no longer compiles",
            ));
        }
    }
}

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.class == Class::Breaking)
            .count()
    }

    pub fn compatible(&self) -> usize {
        self.changes.len() - self.breaking()
    }

    /// Counts per class and kind.
    pub fn counts(&self) -> BTreeMap<(Class, Kind), usize> {
        let mut counts = BTreeMap::new();
        for c in &self.changes {
            *counts.entry((c.class, c.kind)).or_default() += 1;
        }
        counts
    }

    /// One line for CI logs: `12 breaking, 340 compatible changes (…)`.
    pub fn summary(&self) -> String {
        if self.changes.is_empty() {
            return "no change a caller would notice".to_owned();
        }
        let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
        for c in &self.changes {
            *by_kind.entry(c.kind).or_default() += 1;
        }
        let kinds: Vec<String> = by_kind
            .iter()
            .map(|(kind, n)| format!("{n} {}", kind.label()))
            .collect();
        format!(
            "{} breaking, {} compatible changes ({})",
            self.breaking(),
            self.compatible(),
            kinds.join(", ")
        )
    }

    /// The report for people: the summary, a table of counts, then every change by class.
    pub fn markdown(&self, title: &str) -> String {
        let mut text = format!("## {title}\n\n{}.\n", self.summary());
        if self.changes.is_empty() {
            return text;
        }
        text.push_str("\n| class | change | count |\n|---|---|---|\n");
        for ((class, kind), n) in self.counts() {
            let _ = writeln!(text, "| {} | {} | {n} |", class_word(class), kind.label());
        }
        for class in [Class::Breaking, Class::Compatible] {
            let rows: Vec<&Change> = self.changes.iter().filter(|c| c.class == class).collect();
            if rows.is_empty() {
                continue;
            }
            let _ = write!(
                text,
                "\n### {} ({})\n\n| item | change | why |\n|---|---|---|\n",
                capitalised(class_word(class)),
                rows.len()
            );
            for c in rows {
                let _ = writeln!(text, "| `{}` | {} | {} |", c.item, c.what, c.why);
            }
        }
        text
    }
}

fn class_word(class: Class) -> &'static str {
    match class {
        Class::Breaking => "breaking",
        Class::Compatible => "compatible",
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}
