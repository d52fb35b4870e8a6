//! How document names become Rust identifiers. Every naming decision lives here: the rules
//! that turn a wire name into an identifier, the hints inline types are named from, and the
//! names of the items the renderers emit around the document's own (builders, response enums,
//! error-body variants and their decoders). Lowering calls these once and stores the result in
//! the IR; renderers only spell what the IR says.
use crate::ir::TypeRef;
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust keywords, strict and reserved, in every edition.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is invalid).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code uses unqualified; a schema with one of these names gets a
/// suffix so it cannot shadow them.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "Self", "Map",
    "Value", "Bytes", "Default", "DateTime", "Uuid", "Base64",
];

/// A type name: `UpperCamelCase`, never a keyword, never starting with a digit.
pub fn type_name(raw: &str) -> String {
    let mut name = raw.to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Schema");
    }
    if RESERVED_TYPES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// A field, parameter, method or module name: `snake_case`, raw where it is a keyword.
pub fn value_name(raw: &str) -> String {
    let mut name = raw.to_snake_case();
    if name.is_empty() {
        name = if raw.is_empty() {
            "empty".to_owned()
        } else {
            "value".to_owned()
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// An enum variant name for a wire value.
pub fn variant_name(raw: &str) -> String {
    let name = raw.to_upper_camel_case();
    if name.is_empty() {
        return if raw.is_empty() {
            "Empty".to_owned()
        } else {
            "Value".to_owned()
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("V{name}");
    }
    if name == "Self" {
        return "SelfValue".to_owned();
    }
    name
}

/// A name for a type as a variant of an enum of alternatives or of error bodies (`UserList`,
/// `String`).
pub fn label(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F32 | TypeRef::F64 => "Number".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::Base64 => "Base64".into(),
        TypeRef::Vec(inner) => format!("{}List", label(inner)),
        TypeRef::Map(inner) => format!("{}Map", label(inner)),
        TypeRef::Json => "Json".into(),
        TypeRef::JsonObject => "Object".into(),
    }
}

/// Name hints for inline schemas, from the place that owns them; [`type_name`] and a
/// [`Scope`] turn a hint into the type's name.
pub mod hint {
    use super::type_name;

    /// A property's inline schema: owner and property (`UserAddress`).
    pub fn property(owner: &str, wire_name: &str) -> String {
        format!("{owner}{}", type_name(wire_name))
    }

    /// An array's inline item schema (`TagsItem`).
    pub fn item(owner: &str) -> String {
        format!("{owner}Item")
    }

    /// An inline `additionalProperties` schema (`LabelsValue`).
    pub fn map_value(owner: &str) -> String {
        format!("{owner}Value")
    }

    /// One inline alternative of a `oneOf`/`anyOf` (`ShapeVariant0`).
    pub fn alternative(owner: &str, index: usize) -> String {
        format!("{owner}Variant{index}")
    }

    /// An operation's inline parameter schema (`ListThingsSort`).
    pub fn parameter(builder: &str, wire_name: &str) -> String {
        format!("{builder}{}", type_name(wire_name))
    }

    /// A component parameter's inline schema: the component's key.
    pub fn component_parameter(key: &str) -> String {
        type_name(key)
    }

    /// An operation's inline request body (`CreateThingBody`).
    pub fn request_body(builder: &str) -> String {
        format!("{builder}Body")
    }

    /// An inline success body; with several success statuses, each carries its code.
    pub fn success(builder: &str, status: u16, several: bool) -> String {
        if several {
            format!("{builder}Response{status}")
        } else {
            format!("{builder}Response")
        }
    }

    /// An inline error body (`GetThingError404`, `GetThingErrorDefault` for `default`).
    pub fn error(builder: &str, status: Option<u16>) -> String {
        let status = status.map_or("Default".to_owned(), |s| s.to_string());
        format!("{builder}Error{status}")
    }
}

/// An operation without an operationId: its method and the path's words
/// (`get_things_thing_id`).
pub fn fallback_operation_id(method: &str, path: &str) -> String {
    let words = path.split(['/', '{', '}']).filter(|w| !w.is_empty());
    std::iter::once(method.to_ascii_lowercase())
        .chain(words.map(str::to_owned))
        .collect::<Vec<_>>()
        .join("_")
}

/// A group's module name for its tag. Modules cannot be raw identifiers in paths users type
/// often, so a keyword gets a suffix instead (`type_`).
pub fn module_name(tag: &str) -> String {
    let module = value_name(tag);
    match module.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => module,
    }
}

/// The variant of a string enum that keeps a value the document does not list.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The field of a struct that keeps the keys the document does not declare.
pub const ADDITIONAL_PROPERTIES: &str = "additional_properties";

/// The group of operations without a tag.
pub const UNTAGGED_GROUP: &str = "other";

/// Module names the generated crate uses for itself.
pub const RESERVED_MODULES: &[&str] = &["models", "apis"];

/// An operation's request builder type, named after its method (`ListMembers`).
pub fn builder_name(method: &str) -> String {
    type_name(method.trim_start_matches("r#"))
}

/// A group's handle type (`UserGroupsApi`).
pub fn group_type_name(module: &str) -> String {
    format!("{}Api", type_name(module))
}

/// The enum of an operation's success bodies, when it has several (`GetThingResponse`).
pub fn response_enum_name(builder: &str) -> String {
    format!("{builder}Response")
}

/// The variant of an operation's response enum for a status.
pub fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        204 => "NoContent".into(),
        other => format!("Status{other}"),
    }
}

/// The `ApiErrorBody` variant kept for bodies no schema describes.
pub const UNDOCUMENTED_ERROR_VARIANT: &str = "Undocumented";

/// The decoder function name of an error-body variant (`decode_error`); the undocumented
/// variant's constructor takes `undocumented`.
pub fn error_decoder_name(variant: &str) -> String {
    format!("decode_{}", value_name(variant).trim_start_matches("r#"))
}

/// The decoder names are claimed in this scope.
pub const RESERVED_ERROR_DECODERS: &[&str] = &["undocumented"];

/// Names a request builder uses for its own fields and methods (`client`, `options`, the JSON
/// body `body`, `.stream()`), which no parameter may take. The methods the runtime adds come from
/// `Settings::reserved_builder_names`.
pub const BUILDER_OWN_NAMES: &[&str] = &["client", "body", "options", "stream"];

/// The name of the builder slot for a JSON or raw request body.
pub const BODY_SLOT: &str = "body";

/// Hands out unique names within one scope, adding `2`, `3`, … to later claimants.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims `name`, or the first free `name2`, `name3`, …
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let separator = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{name}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_names_become_identifiers() {
        assert_eq!(type_name("google.rpc.Status"), "GoogleRpcStatus");
        assert_eq!(
            type_name("GraphAttribute-LdapGroups"),
            "GraphAttributeLdapGroups"
        );
        assert_eq!(type_name("1password"), "Schema1password");
        assert_eq!(type_name("Option"), "OptionModel");
        assert_eq!(type_name("self"), "SelfModel");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("Self"), "self_");
        assert_eq!(value_name("x-org-id"), "x_org_id");
        assert_eq!(value_name("2fa"), "_2fa");
        assert_eq!(value_name("_id"), "id");
        assert_eq!(value_name("$"), "value");
        assert_eq!(variant_name("2fa"), "V2fa");
        assert_eq!(variant_name(""), "Empty");
    }

    #[test]
    fn scope_dedupes_deterministically() {
        let mut scope = Scope::with_reserved(&["client"]);
        assert_eq!(scope.claim("client".into()), "client2");
        assert_eq!(scope.claim("foo".into()), "foo");
        assert_eq!(scope.claim("foo".into()), "foo2");
        assert_eq!(scope.claim("v1".into()), "v1");
        assert_eq!(scope.claim("v1".into()), "v1_2");
    }
}
