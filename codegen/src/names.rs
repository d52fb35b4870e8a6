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

    /// An array's inline item schema: the owner in the singular (`PetTags` → `PetTag`), or
    /// with `Item` where the owner's last word has no plural ending (`DataItem`).
    pub fn item(owner: &str) -> String {
        super::singular_type_name(owner).unwrap_or_else(|| format!("{owner}Item"))
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

/// The last word of a `CamelCase` name in the singular, if it ends like an English plural
/// (`PetTags` → `PetTag`, `Policies` → `Policy`, `Addresses` → `Address`).
pub fn singular_type_name(name: &str) -> Option<String> {
    let start = name.rfind(|c: char| c.is_ascii_uppercase()).unwrap_or(0);
    let (head, last) = name.split_at(start);
    let singular = singular_word(&last.to_ascii_lowercase())?;
    Some(format!("{head}{}", type_name(&singular)))
}

/// A lowercase word in the singular, if it ends like an English plural.
pub fn singular_word(word: &str) -> Option<String> {
    const NOT_PLURAL: &[&str] = &["ss", "us", "is", "os", "ics", "news", "series", "status"];
    if word.len() < 4 || NOT_PLURAL.iter().any(|end| word.ends_with(end)) {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    for end in ["sses", "xes", "ches", "shes", "zes"] {
        if word.ends_with(end) {
            return Some(word[..word.len() - 2].to_owned());
        }
    }
    word.strip_suffix('s').map(str::to_owned)
}

/// A component's type name and, when its key is a converter's construction artefact, the base
/// its inline types are named from. `X_allOf` (the part `X` adds to what it composes) is
/// `XFields`, its inline types named from `X`; `X_things_inner` (the item of `X`'s `things`)
/// is `XThing`.
pub fn component_type_name(key: &str) -> (String, Option<String>) {
    let words: Vec<&str> = key
        .split(['_', '-', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        [rest @ .., last] if !rest.is_empty() && last.eq_ignore_ascii_case("allOf") => {
            let (base, _) = component_type_name(&rest.join("_"));
            (format!("{base}Fields"), Some(base))
        }
        [rest @ .., plural, last] if !rest.is_empty() && last.eq_ignore_ascii_case("inner") => {
            let singular = singular_word(&plural.to_ascii_lowercase())
                .unwrap_or_else(|| format!("{plural}_item"));
            (type_name(&format!("{}_{singular}", rest.join("_"))), None)
        }
        _ => (type_name(key), None),
    }
}

/// Verbs an operation name may start with; the HTTP method's verb is used when none is there.
const VERBS: &[&str] = &[
    "activate",
    "add",
    "apply",
    "approve",
    "assign",
    "associate",
    "authorize",
    "cancel",
    "check",
    "clear",
    "clone",
    "complete",
    "configure",
    "connect",
    "copy",
    "count",
    "create",
    "deactivate",
    "deauthorize",
    "delete",
    "deny",
    "destroy",
    "disable",
    "disconnect",
    "download",
    "enable",
    "end",
    "enforce",
    "enroll",
    "erase",
    "expire",
    "export",
    "fetch",
    "generate",
    "get",
    "import",
    "insert",
    "invite",
    "link",
    "list",
    "lock",
    "modify",
    "move",
    "patch",
    "post",
    "put",
    "query",
    "reactivate",
    "read",
    "reboot",
    "reclaim",
    "refresh",
    "register",
    "reject",
    "remove",
    "rename",
    "renew",
    "replace",
    "reset",
    "restart",
    "restore",
    "resend",
    "retrieve",
    "retry",
    "revoke",
    "rotate",
    "run",
    "save",
    "schedule",
    "search",
    "send",
    "set",
    "shutdown",
    "start",
    "stop",
    "suspend",
    "sync",
    "traverse",
    "trigger",
    "unassign",
    "unlink",
    "unlock",
    "update",
    "upload",
    "upsert",
    "validate",
    "verify",
];

/// Verbs that change something: in a GET operation's name such a word is a noun
/// (`OSUpdateStatus`).
const CHANGING_VERBS: &[&str] = &[
    "add", "create", "delete", "destroy", "insert", "patch", "post", "put", "remove", "replace",
    "set", "update", "upsert",
];

/// Verbs recognised glued to the front of their object (`deletedevice`); any verb may be glued
/// to its end (`csrget`).
const GLUED_FRONT_VERBS: &[&str] = &[
    "create", "delete", "get", "list", "refresh", "reset", "update",
];

/// Words an operationId names its code's classes by (`FolderService_Delete`), not anything a
/// caller deals with.
const NOISE_WORDS: &[&str] = &["api", "service"];

/// The verb for an operation whose name says nothing but its resource.
fn http_verb(http_method: &str) -> &'static str {
    match http_method.to_ascii_lowercase().as_str() {
        "get" => "get",
        "post" => "create",
        "put" => "replace",
        "patch" => "update",
        "delete" => "delete",
        _ => "call",
    }
}

/// How much of its operationId a method name keeps: the readable form first, fuller forms
/// for when the readable one is not unique in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MethodForm {
    /// Without the group's words, verb first: `client.user_groups().list_members()`.
    Readable,
    /// With the group's words, verb first.
    WithGroup,
    /// The operationId as it is, in `snake_case`.
    OperationId,
}

/// An operation's method name on its group's handle (module `group`). `drop_prefixes` are
/// leading words the API puts on many operationIds without meaning (`graph_`).
pub fn method_name(
    operation_id: &str,
    group: &str,
    http_method: &str,
    drop_prefixes: &[String],
    form: MethodForm,
) -> String {
    if form == MethodForm::OperationId {
        return value_name(operation_id);
    }
    let mut segments: Vec<&str> = operation_id.split('_').filter(|s| !s.is_empty()).collect();
    while segments.len() > 1
        && drop_prefixes
            .iter()
            .any(|p| p.eq_ignore_ascii_case(segments[0]))
    {
        segments.remove(0);
    }
    let words_of = |text: &str| -> Vec<String> {
        acronym_plurals(text)
            .to_snake_case()
            .split('_')
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let mut words = words_of(&segments.join("_"));
    if form == MethodForm::Readable {
        // `Resource_VerbObject`: the part before `_` names a resource (often the group's, in
        // other words) that the rest already says; a bare verb keeps it as its object.
        if let [_, rest @ ..] = segments.as_slice() {
            let rest = words_of(&rest.join("_"));
            if rest.len() > 1 && VERBS.contains(&rest[0].as_str()) {
                words = rest;
            }
        }
        // A trailing HTTP method (`applications_post`, `eventsCountPost`) says what the verb
        // rule below says again.
        let http_word = http_method.to_ascii_lowercase();
        let dropped_http = words.len() > 1 && words.last().is_some_and(|w| *w == http_word);
        if dropped_http {
            words.pop();
        }
        if words.iter().any(|w| !NOISE_WORDS.contains(&w.as_str())) {
            words.retain(|w| !NOISE_WORDS.contains(&w.as_str()));
        }
        remove_group_words(&mut words, group, dropped_http);
    }
    if words.is_empty() {
        words.push(http_verb(http_method).to_owned());
    }
    let is_verb = |word: &str| {
        VERBS.contains(&word)
            && !(http_method.eq_ignore_ascii_case("get") && CHANGING_VERBS.contains(&word))
    };
    split_glued_verb(&mut words, &is_verb);
    verb_first(&mut words, &is_verb);
    if words.first().is_none_or(|w| !is_verb(w)) {
        words.insert(0, http_verb(http_method).to_owned());
    }
    words.dedup();
    value_name(&words.join("_"))
}

/// Removes the first run of words that spells the group (`user_groups`, `user_group`,
/// `usergroups`), while a word is left to name the method by (or, with `all`, even the last:
/// the HTTP method's verb then names it). A group named by a verb (`search`) keeps it.
fn remove_group_words(words: &mut Vec<String>, group: &str, all: bool) {
    let group_words: Vec<String> = group
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    if let [only] = group_words.as_slice() {
        if VERBS.contains(&only.as_str()) {
            return;
        }
    }
    let keep = usize::from(!all);
    let Some((last, init)) = group_words.split_last() else {
        return;
    };
    let mut spellings: Vec<Vec<String>> = Vec::new();
    let mut lasts = vec![last.clone(), plural_word(last)];
    lasts.extend(singular_word(last));
    for last in &lasts {
        let mut run = init.to_vec();
        run.push(last.clone());
        spellings.push(vec![run.concat()]);
        spellings.push(run);
    }
    // Longest first, so `user_groups` wins over `user_group`.
    spellings.sort_by_key(|s| std::cmp::Reverse(s.iter().map(String::len).sum::<usize>()));
    for spelling in &spellings {
        // Every occurrence, while a word is left to name the method by.
        while words.len() >= spelling.len() + keep {
            match words
                .windows(spelling.len())
                .position(|w| w == spelling.as_slice())
            {
                Some(at) => drop(words.drain(at..at + spelling.len())),
                None => break,
            }
        }
    }
}

/// A lowercase word in the plural (`policy` → `policies`, `box` → `boxes`).
fn plural_word(word: &str) -> String {
    let consonant_y = word.len() > 1
        && word.ends_with('y')
        && !word[..word.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|end| word.ends_with(end))
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// `SignupURLs` → `SignupUrls`: an acronym's plural `s` stays with the acronym when the text
/// is split into words.
fn acronym_plurals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while index < chars.len() {
        let run = chars[index..]
            .iter()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let after = chars.get(index + run + 1);
        let plural = run >= 2
            && chars.get(index + run) == Some(&'s')
            && after.is_none_or(|c| c.is_ascii_uppercase() || *c == '_');
        if plural {
            out.push(chars[index]);
            out.extend(
                chars[index + 1..index + run]
                    .iter()
                    .map(char::to_ascii_lowercase),
            );
            out.push('s');
            index += run + 1;
        } else {
            out.push(chars[index]);
            index += 1;
        }
    }
    out
}

/// A verb glued to its object in one word (`csrget`, `deletedevice`), when no word is a verb.
fn split_glued_verb(words: &mut Vec<String>, is_verb: &dyn Fn(&str) -> bool) {
    if words.iter().any(|w| is_verb(w)) {
        return;
    }
    for (index, word) in words.iter().enumerate() {
        let glued_end = VERBS.iter().filter(|v| is_verb(v)).find_map(|verb| {
            let object = word.strip_suffix(verb).filter(|o| o.len() >= 3)?;
            Some([object.to_owned(), (*verb).to_owned()])
        });
        let glued_front = || {
            GLUED_FRONT_VERBS
                .iter()
                .filter(|v| is_verb(v))
                .find_map(|verb| {
                    let object = word.strip_prefix(verb).filter(|o| o.len() >= 3)?;
                    Some([(*verb).to_owned(), object.to_owned()])
                })
        };
        if let Some(split) = glued_end.or_else(glued_front) {
            words.splice(index..=index, split);
            return;
        }
    }
}

/// Moves the first verb to the front (`members_list` → `list_members`); a resource named both
/// before and after it is named once (`devices_erase_device` → `erase_device`).
fn verb_first(words: &mut Vec<String>, is_verb: &dyn Fn(&str) -> bool) {
    let Some(at) = words.iter().position(|w| is_verb(w)) else {
        return;
    };
    if at == 0 {
        return;
    }
    let before: Vec<String> = words[..at]
        .iter()
        .filter(|w| *w != "api")
        .cloned()
        .collect();
    let verb = words[at].clone();
    let after = words[at + 1..].to_vec();
    let mut singular_before = before.clone();
    if let Some(last) = singular_before.last_mut() {
        if let Some(singular) = singular_word(last) {
            *last = singular;
        }
    }
    let repeated = |run: &[String]| !run.is_empty() && after.windows(run.len()).any(|w| w == run);
    let mut out = vec![verb];
    if !(repeated(&before) || repeated(&singular_before)) {
        out.extend(before);
    }
    out.extend(after);
    *words = out;
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
    // A word of mixed case that would split into a lone letter (`SaaS` into `saa_s`) is one
    // word.
    let words: Vec<String> = tag
        .split_whitespace()
        .map(|word| {
            let split = word.to_snake_case();
            let lone_letter = split.split('_').any(|part| part.len() == 1) && split.contains('_');
            if lone_letter {
                word.to_lowercase()
            } else {
                word.to_owned()
            }
        })
        .collect();
    let module = value_name(&words.join(" "));
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

/// The prefix of the names of an operation's inline types: its group and method
/// (`UserGroupsListMembers`).
pub fn operation_type_prefix(module: &str, method: &str) -> String {
    type_name(&format!("{module}_{}", method.trim_start_matches("r#")))
}

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
/// body `body`, `.stream()`, `.download()`), which no parameter may take. The methods the
/// runtime adds come from `Settings::reserved_builder_names`.
pub const BUILDER_OWN_NAMES: &[&str] = &["client", "body", "options", "stream", "download"];

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

    /// Takes exactly `name` if no one has it; never a numbered variant.
    pub fn take(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_owned())
    }

    /// Whether `name` is still free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
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
    fn mixed_case_words_stay_whole_in_module_names() {
        assert_eq!(module_name("SaaS App Management"), "saas_app_management");
        assert_eq!(module_name("User Groups"), "user_groups");
        assert_eq!(module_name("FeatureTrials"), "feature_trials");
        assert_eq!(module_name("G Suite"), "g_suite");
    }

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
    fn methods_read_as_what_they_do_on_their_group() {
        let graph = ["graph".to_owned()];
        // operationId, group, HTTP method, method name.
        let cases = [
            ("UserGroups_listAll", "user_groups", "get", "list_all"),
            // A trailing HTTP method, a group named by a verb, noise words, glued `reset`.
            ("systemusers_post", "systemusers", "post", "create"),
            ("systemusers_get", "systemusers", "get", "get"),
            ("applications_put", "applications", "put", "replace"),
            (
                "search_systemusers_post",
                "search",
                "post",
                "search_systemusers",
            ),
            (
                "directoryInsights_eventsCountPost",
                "directory_insights",
                "post",
                "count_events",
            ),
            (
                "FolderService_Delete",
                "password_vault",
                "delete",
                "delete_folder",
            ),
            ("systemusers_resetmfa", "systemusers", "post", "reset_mfa"),
            (
                "graph_userGroupMembersList",
                "user_groups",
                "get",
                "list_members",
            ),
            ("applemdms_csrget", "apple_mdm", "get", "get_csr"),
            (
                "applemdms_deletedevice",
                "apple_mdm",
                "delete",
                "delete_device",
            ),
            (
                "applemdms_devicesOSUpdateStatus",
                "apple_mdm",
                "get",
                "get_devices_os_update_status",
            ),
            (
                "autotask_retrieveSettings",
                "providers",
                "get",
                "retrieve_settings",
            ),
            ("CustomEmails_destroy", "custom_emails", "delete", "destroy"),
            (
                "systeminsights_list_apps",
                "system_insights",
                "get",
                "list_apps",
            ),
            ("Devices_EraseDevice", "google_emm", "post", "erase_device"),
            (
                "AccessRequestApi_CreateAccessRequest",
                "ingresso",
                "post",
                "create_access_request",
            ),
            ("Domains_List", "office_365", "get", "list_domains"),
            (
                "SignupURLs_Create",
                "google_emm",
                "post",
                "create_signup_urls",
            ),
            (
                "SystemsOrgSettings_GetDefaultPasswordSyncSettings",
                "systems",
                "get",
                "get_default_password_sync_settings",
            ),
            (
                "activedirectories_agentsDelete",
                "active_directory",
                "delete",
                "delete_agents",
            ),
            (
                "featureTrials_getFeatureTrials",
                "feature_trials",
                "get",
                "get",
            ),
            ("usergroups", "user_groups", "post", "create_usergroups"),
        ];
        for (id, group, http, expected) in cases {
            let name = method_name(id, group, http, &graph, MethodForm::Readable);
            assert_eq!(name, expected, "{id} in {group}");
        }
        assert_eq!(
            method_name(
                "UserGroups_listAll",
                "user_groups",
                "get",
                &graph,
                MethodForm::WithGroup
            ),
            "list_user_groups_all"
        );
    }

    #[test]
    fn artefact_type_names_read_as_what_they_hold() {
        assert_eq!(
            component_type_name("GraphOperation_UserGroup_Member_allOf"),
            (
                "GraphOperationUserGroupMemberFields".to_owned(),
                Some("GraphOperationUserGroupMember".to_owned())
            )
        );
        assert_eq!(
            component_type_name("AutotaskContractField_values_inner").0,
            "AutotaskContractFieldValue"
        );
        assert_eq!(hint::item("PetTags"), "PetTag");
        assert_eq!(hint::item("UserPolicies"), "UserPolicy");
        assert_eq!(hint::item("Status"), "StatusItem");
        assert_eq!(hint::item("Data"), "DataItem");
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
