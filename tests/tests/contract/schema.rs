//! The document's schemas as the contract test uses them: `$ref` resolution along JSON
//! pointers, a validator for the subset of JSON Schema that OpenAPI 3.0 and 3.1 use (so
//! fixtures are known valid before they are sent, and examples are used only when they
//! validate), and a synthesizer of valid values. From 3.1 it reads `type` lists (`[T, null]`
//! for nullable), `const`, `examples` lists and numeric `exclusiveMinimum`/`exclusiveMaximum`.
use regex::Regex;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Deeper than this, only what a schema requires is built (recursive schemas stay finite).
const MAX_DEPTH: usize = 8;

/// A JumpCloud object id: 24 hexadecimal digits. Used for strings nothing else constrains.
pub const OBJECT_ID: &str = "5f0c1a2b3c4d5e6f7a8b9c0d";

/// What to build: only what is required, or every property the request may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Required,
    Full,
}

pub struct Doc {
    pub root: Value,
    patterns: std::sync::Mutex<HashMap<String, Option<Regex>>>,
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl Doc {
    pub fn new(root: Value) -> Self {
        Doc {
            root,
            patterns: Default::default(),
        }
    }

    /// Follows `$ref`s from `node` until a node without one.
    pub fn deref<'a>(&'a self, mut node: &'a Value) -> Result<&'a Value, String> {
        for _ in 0..32 {
            let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
                return Ok(node);
            };
            let target = reference
                .strip_prefix('#')
                .ok_or_else(|| format!("non-local $ref {reference}"))?;
            node = self
                .root
                .pointer(target)
                .ok_or_else(|| format!("unresolved $ref {reference}"))?;
        }
        Err("$ref chain too long".into())
    }

    /// The node at `pointer`, following `$ref`s at every step (a pointer under an operation
    /// reaches into a referenced request body, response or parameter).
    pub fn at(&self, pointer: &str) -> Result<&Value, String> {
        let mut node = &self.root;
        for token in pointer.split('/').skip(1) {
            node = self.deref(node)?;
            let token = unescape(token);
            node = match node {
                Value::Object(map) => map.get(&token),
                Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            }
            .ok_or_else(|| format!("{pointer} does not exist (at {token:?})"))?;
        }
        self.deref(node)
    }

    fn pattern(&self, pattern: &str) -> Option<Regex> {
        let mut cache = self.patterns.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(pattern.to_owned())
            .or_insert_with(|| Regex::new(pattern).ok())
            .clone()
    }

    // ---------------------------------------------------------------- validation

    /// Every way `value` breaks `schema`, as `path: message`; empty when it is valid. Validates
    /// as a request does: read-only properties are never required.
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check(schema, value, "", &mut errors);
        errors
    }

    fn is_valid(&self, schema: &Value, value: &Value) -> bool {
        let mut errors = Vec::new();
        self.check(schema, value, "", &mut errors);
        errors.is_empty()
    }

    fn check(&self, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        let schema = match self.deref(schema) {
            Ok(schema) => schema,
            Err(e) => return errors.push(format!("{path}: {e}")),
        };
        let Some(s) = schema.as_object() else { return };
        let mut fail = |message: String| errors.push(format!("{}: {message}", or_root(path)));
        if let Some(constant) = s.get("const") {
            if !json_equal(constant, value) {
                fail(format!(
                    "{} is not the const {}",
                    short(value),
                    short(constant)
                ));
            }
            return;
        }
        let types = types(s);
        if value.is_null() {
            let nullable = s.get("nullable") == Some(&Value::Bool(true))
                || types.as_ref().is_some_and(|t| t.contains(&"null"));
            let enum_null = s
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|e| e.contains(&Value::Null));
            let typed = s.contains_key("type")
                || s.contains_key("properties")
                || s.contains_key("enum")
                || s.contains_key("allOf")
                || s.contains_key("oneOf")
                || s.contains_key("anyOf");
            if !nullable && !enum_null && typed {
                fail("null where the schema is not nullable".into());
            }
            return;
        }
        if let Some(options) = s.get("enum").and_then(Value::as_array) {
            if !options.iter().any(|o| json_equal(o, value)) {
                fail(format!("{} is not one of the enum values", short(value)));
            }
        }
        if let Some(types) = types.filter(|t| !t.is_empty()) {
            let ok = types.iter().any(|ty| match *ty {
                "string" => value.is_string(),
                "integer" => is_integer(value),
                "number" => value.is_number(),
                "boolean" => value.is_boolean(),
                "array" => value.is_array(),
                "object" => value.is_object(),
                "null" => false,
                _ => true,
            });
            if !ok {
                fail(format!(
                    "{} is not of type {}",
                    short(value),
                    types.join(" or ")
                ));
                return;
            }
        }
        match value {
            Value::String(text) => self.check_string(s, text, &mut fail),
            Value::Number(_) => check_number(s, value, &mut fail),
            _ => {}
        }
        if let Value::Array(items) = value {
            let len = items.len() as u64;
            if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
                if len < min {
                    fail(format!("{len} items, fewer than minItems {min}"));
                }
            }
            if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
                if len > max {
                    fail(format!("{len} items, more than maxItems {max}"));
                }
            }
            if s.get("uniqueItems") == Some(&Value::Bool(true)) {
                for (i, a) in items.iter().enumerate() {
                    if items[..i].iter().any(|b| json_equal(a, b)) {
                        fail(format!("item {i} repeats an earlier item"));
                    }
                }
            }
            if let Some(item_schema) = s.get("items") {
                for (i, item) in items.iter().enumerate() {
                    self.check(item_schema, item, &format!("{path}/{i}"), errors);
                }
            }
        }
        if let Value::Object(object) = value {
            self.check_object(s, object, path, errors);
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for member in all {
                self.check(member, value, path, errors);
            }
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            if !any.iter().any(|m| self.is_valid(m, value)) {
                errors.push(format!("{}: matches no anyOf alternative", or_root(path)));
            }
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            let matching = one.iter().filter(|m| self.is_valid(m, value)).count();
            if matching != 1 {
                errors.push(format!(
                    "{}: matches {matching} oneOf alternatives, not exactly one",
                    or_root(path)
                ));
            }
        }
        if let Some(not) = s.get("not") {
            if self.is_valid(not, value) {
                errors.push(format!("{}: matches the `not` schema", or_root(path)));
            }
        }
    }

    fn check_string(&self, s: &Map<String, Value>, text: &str, fail: &mut impl FnMut(String)) {
        let chars = text.chars().count() as u64;
        if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
            if chars < min {
                fail(format!("{text:?} is shorter than minLength {min}"));
            }
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
            if chars > max {
                fail(format!("{text:?} is longer than maxLength {max}"));
            }
        }
        if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
            match self.pattern(pattern) {
                Some(regex) if !regex.is_match(text) => {
                    fail(format!("{text:?} does not match the pattern {pattern:?}"))
                }
                Some(_) => {}
                None => fail(format!("the pattern {pattern:?} cannot be checked")),
            }
        }
        if let Some(format) = s.get("format").and_then(Value::as_str) {
            if let Some(false) = format_matches(format, text) {
                fail(format!("{text:?} is not a valid {format}"));
            }
        }
    }

    fn check_object(
        &self,
        s: &Map<String, Value>,
        object: &Map<String, Value>,
        path: &str,
        errors: &mut Vec<String>,
    ) {
        let properties = s.get("properties").and_then(Value::as_object);
        if let Some(required) = s.get("required").and_then(Value::as_array) {
            for key in required.iter().filter_map(Value::as_str) {
                let read_only = properties
                    .and_then(|p| p.get(key))
                    .and_then(|p| self.deref(p).ok())
                    .is_some_and(|p| p.get("readOnly") == Some(&Value::Bool(true)));
                if !object.contains_key(key) && !read_only {
                    errors.push(format!(
                        "{}: the required {key:?} is missing",
                        or_root(path)
                    ));
                }
            }
        }
        for (key, item) in object {
            let child = format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"));
            match properties.and_then(|p| p.get(key)) {
                Some(property) => self.check(property, item, &child, errors),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!(
                        "{}: {key:?} is not allowed (additionalProperties: false)",
                        or_root(path)
                    )),
                    Some(schema @ Value::Object(_)) => self.check(schema, item, &child, errors),
                    _ => {}
                },
            }
        }
        let count = object.len() as u64;
        if let Some(min) = s.get("minProperties").and_then(Value::as_u64) {
            if count < min {
                errors.push(format!("{}: fewer than {min} properties", or_root(path)));
            }
        }
        if let Some(max) = s.get("maxProperties").and_then(Value::as_u64) {
            if count > max {
                errors.push(format!("{}: more than {max} properties", or_root(path)));
            }
        }
    }

    // ---------------------------------------------------------------- synthesis

    /// A value valid for `schema` (checked by the caller with [`Doc::validate`]): the schema's
    /// example when it validates, otherwise one built from the schema's constraints. In
    /// `Full` mode objects carry every writable property, lists one item and maps one entry;
    /// in `Required` mode only what the schema requires.
    pub fn synthesize(&self, schema: &Value, mode: Mode) -> Value {
        self.synth(schema, mode, 0)
    }

    fn synth(&self, schema: &Value, mode: Mode, depth: usize) -> Value {
        let Ok(schema) = self.deref(schema) else {
            return Value::Null;
        };
        let Some(s) = schema.as_object() else {
            return json!("contract");
        };
        let mode = if depth > MAX_DEPTH {
            Mode::Required
        } else {
            mode
        };
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            return self.synth_all_of(schema, all, mode, depth);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(alternatives) = s.get(keyword).and_then(Value::as_array) {
                for alternative in alternatives {
                    let value = self.synth(alternative, mode, depth + 1);
                    if self.is_valid(schema, &value) {
                        return value;
                    }
                }
                return self.synth(&alternatives[0], mode, depth + 1);
            }
        }
        if let Some(constant) = s.get("const") {
            return constant.clone();
        }
        // 3.0's `example`, then 3.1's `examples` list.
        let examples = s.get("example").into_iter().chain(
            s.get("examples")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
        for example in examples {
            // Objects are built property by property, so each property's own example (or
            // constraints) decides, and `Required` mode stays minimal.
            let empty_list = example.as_array().is_some_and(Vec::is_empty);
            let unusable = example.is_object()
                || example.is_null()
                || (empty_list && mode == Mode::Full)
                || !self.is_valid(schema, example);
            if !unusable {
                return example.clone();
            }
        }
        if let Some(first) = s
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.iter().find(|v| !v.is_null()))
        {
            return first.clone();
        }
        // Of a 3.1 type list, the first type that is not `null`.
        let declared = types(s).and_then(|t| t.into_iter().find(|t| *t != "null"));
        let ty = declared.unwrap_or_else(|| {
            if s.contains_key("properties") || s.contains_key("additionalProperties") {
                "object"
            } else if s.contains_key("items") {
                "array"
            } else {
                "string"
            }
        });
        match ty {
            "string" => Value::String(self.synth_string(s)),
            "integer" => synth_number(s, true),
            "number" => synth_number(s, false),
            "boolean" => Value::Bool(true),
            "array" => {
                let min = s.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                let max = s.get("maxItems").and_then(Value::as_u64);
                let mut count = match mode {
                    Mode::Required => min,
                    Mode::Full => min.max(1),
                };
                if let Some(max) = max {
                    count = count.min(max);
                }
                let item_schema = s.get("items").cloned().unwrap_or(json!({}));
                let mut items: Vec<Value> = Vec::new();
                for index in 0..count {
                    let mut item = self.synth(&item_schema, mode, depth + 1);
                    if s.get("uniqueItems") == Some(&Value::Bool(true)) {
                        item = self.make_distinct(&item_schema, item, index, &items);
                    }
                    items.push(item);
                }
                Value::Array(items)
            }
            "object" => self.synth_object(s, mode, depth),
            _ => Value::Null,
        }
    }

    fn synth_all_of(&self, schema: &Value, all: &[Value], mode: Mode, depth: usize) -> Value {
        let mut merged = Map::new();
        let mut other = None;
        for member in all {
            match self.synth(member, mode, depth + 1) {
                Value::Object(object) => merged.extend(object),
                value => other = other.or(Some(value)),
            }
        }
        // Properties declared beside `allOf`.
        let mut own = schema.as_object().cloned().unwrap_or_default();
        own.remove("allOf");
        if own.contains_key("properties") {
            if let Value::Object(object) = self.synth_object(&own, mode, depth) {
                merged.extend(object);
            }
        }
        match other {
            Some(value) if merged.is_empty() => value,
            _ => Value::Object(merged),
        }
    }

    fn synth_object(&self, s: &Map<String, Value>, mode: Mode, depth: usize) -> Value {
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut object = Map::new();
        if let Some(properties) = s.get("properties").and_then(Value::as_object) {
            for (key, property) in properties {
                let resolved = self.deref(property).unwrap_or(property);
                let read_only = resolved.get("readOnly") == Some(&Value::Bool(true));
                let wanted = match mode {
                    Mode::Required => required.contains(&key.as_str()),
                    Mode::Full => true,
                };
                if wanted && !read_only {
                    object.insert(key.clone(), self.synth(property, mode, depth + 1));
                }
            }
        }
        if mode == Mode::Full && !s.contains_key("properties") {
            match s.get("additionalProperties") {
                Some(Value::Bool(false)) => {}
                Some(schema @ Value::Object(map)) if !map.is_empty() => {
                    object.insert("key1".into(), self.synth(schema, mode, depth + 1));
                }
                // A free-form object.
                _ => {
                    object.insert("contract".into(), json!("value"));
                }
            }
        }
        Value::Object(object)
    }

    fn synth_string(&self, s: &Map<String, Value>) -> String {
        let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = s
            .get("maxLength")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
            if let Some(text) = string_for_pattern(pattern) {
                return text;
            }
        }
        let base = match s.get("format").and_then(Value::as_str) {
            Some("uuid") => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            Some("date-time") => "2024-01-02T03:04:05Z",
            Some("date") => "2024-01-02",
            Some("time") => "03:04:05Z",
            Some("email") => "contract@example.com",
            Some("byte") => "Y29udHJhY3Q=",
            Some("uri" | "url") => "https://example.com/contract",
            Some("hostname") => "example.com",
            Some("ipv4") => "192.0.2.1",
            Some("ipv6") => "2001:db8::1",
            Some("int32" | "int64" | "uint32") => "1",
            _ => OBJECT_ID,
        };
        let mut text: String = base.to_owned();
        if let Some(max) = max {
            text = text.chars().take(max).collect();
        }
        while text.chars().count() < min {
            text.push('a');
        }
        text
    }
}

/// The schema's `type`: one name (3.0) or a list of them (3.1, `null` among them when it is
/// nullable).
fn types(s: &Map<String, Value>) -> Option<Vec<&str>> {
    match s.get("type")? {
        Value::String(name) => Some(vec![name.as_str()]),
        Value::Array(names) => Some(names.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

fn or_root(path: &str) -> &str {
    if path.is_empty() {
        "/"
    } else {
        path
    }
}

fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn check_number(s: &Map<String, Value>, value: &Value, fail: &mut impl FnMut(String)) {
    let Some(x) = value.as_f64() else { return };
    let exclusive = |key: &str| s.get(key) == Some(&Value::Bool(true));
    if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
        if x < min || (exclusive("exclusiveMinimum") && x == min) {
            fail(format!("{x} is below the minimum {min}"));
        }
    }
    if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
        if x > max || (exclusive("exclusiveMaximum") && x == max) {
            fail(format!("{x} is above the maximum {max}"));
        }
    }
    // 3.1: the exclusive bounds are numbers of their own.
    if let Some(min) = s.get("exclusiveMinimum").and_then(Value::as_f64) {
        if x <= min {
            fail(format!("{x} is not above the exclusive minimum {min}"));
        }
    }
    if let Some(max) = s.get("exclusiveMaximum").and_then(Value::as_f64) {
        if x >= max {
            fail(format!("{x} is not below the exclusive maximum {max}"));
        }
    }
    if let Some(step) = s.get("multipleOf").and_then(Value::as_f64) {
        if step > 0.0 && (x / step).fract() != 0.0 {
            fail(format!("{x} is not a multiple of {step}"));
        }
    }
    let range = match s.get("format").and_then(Value::as_str) {
        Some("int32") => Some((i32::MIN as f64, i32::MAX as f64)),
        Some("int64") => Some((i64::MIN as f64, i64::MAX as f64)),
        Some("uint32") => Some((0.0, u32::MAX as f64)),
        _ => None,
    };
    if let Some((lo, hi)) = range {
        if x < lo || x > hi {
            fail(format!("{x} is out of its format's range"));
        }
    }
}

fn synth_number(s: &Map<String, Value>, integer: bool) -> Value {
    let exclusive = |key: &str| s.get(key) == Some(&Value::Bool(true));
    let step = if integer { 1.0 } else { 0.5 };
    let lo = s.get("minimum").and_then(Value::as_f64).map(|m| {
        if exclusive("exclusiveMinimum") {
            m + step
        } else {
            m
        }
    });
    let hi = s.get("maximum").and_then(Value::as_f64).map(|m| {
        if exclusive("exclusiveMaximum") {
            m - step
        } else {
            m
        }
    });
    // 3.1's numeric exclusive bounds.
    let lo = lo.or_else(|| {
        s.get("exclusiveMinimum")
            .and_then(Value::as_f64)
            .map(|m| m + step)
    });
    let hi = hi.or_else(|| {
        s.get("exclusiveMaximum")
            .and_then(Value::as_f64)
            .map(|m| m - step)
    });
    let mut x = 1.0_f64;
    if let Some(lo) = lo {
        x = x.max(lo);
    }
    if let Some(hi) = hi {
        x = x.min(hi);
    }
    if let Some(multiple) = s.get("multipleOf").and_then(Value::as_f64) {
        if multiple > 0.0 {
            x = (x / multiple).ceil() * multiple;
        }
    }
    if integer {
        json!(x.round() as i64)
    } else {
        json!(x)
    }
}

impl Doc {
    /// A value for `schema` differing from the `earlier` items, for `uniqueItems` lists.
    fn make_distinct(&self, schema: &Value, item: Value, index: u64, earlier: &[Value]) -> Value {
        if !earlier.contains(&item) {
            return item;
        }
        let candidates: Vec<Value> = match &item {
            Value::String(text) => {
                let stem: String = text
                    .chars()
                    .take(text.chars().count().saturating_sub(1))
                    .collect();
                "123456789abcdefXYZ"
                    .chars()
                    .map(|c| Value::String(format!("{stem}{c}")))
                    .chain([Value::String(format!("{text}{index}"))])
                    .collect()
            }
            Value::Number(n) => (1..10)
                .map(|k| json!(n.as_i64().unwrap_or(0) + k * (index as i64)))
                .collect(),
            _ => Vec::new(),
        };
        candidates
            .into_iter()
            .find(|c| !earlier.contains(c) && self.is_valid(schema, c))
            .unwrap_or(item)
    }
}

/// Whether `text` has `format`; `None` for formats the validator Prism uses does not check.
fn format_matches(format: &str, text: &str) -> Option<bool> {
    static FORMATS: OnceLock<Vec<(&str, Regex)>> = OnceLock::new();
    let formats = FORMATS.get_or_init(|| {
        // The patterns of ajv-formats (full mode), which Prism's validator uses.
        [
            ("date", r"^\d\d\d\d-[0-1]\d-[0-3]\d$"),
            (
                "date-time",
                r"(?i)^\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$",
            ),
            (
                "time",
                r"(?i)^(?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)?$",
            ),
            (
                "email",
                r"(?i)^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
            ),
            (
                "uuid",
                r"(?i)^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$",
            ),
            (
                "byte",
                r"(?i)^(?:[a-z0-9+/]{4})*(?:[a-z0-9+/]{2}==|[a-z0-9+/]{3}=)?$",
            ),
            ("ipv4", r"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$"),
            ("uri", r"(?i)^[a-z][a-z0-9+\-.]*:[^\s]*$"),
        ]
        .into_iter()
        .map(|(name, pattern)| (name, Regex::new(pattern).expect("format patterns compile")))
        .collect()
    });
    formats
        .iter()
        .find(|(name, _)| *name == format)
        .map(|(_, regex)| regex.is_match(text))
}

/// A string matching a simple regular expression (literals, escapes, classes, groups with
/// alternation, quantifiers), or `None` when the pattern uses more.
pub fn string_for_pattern(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    generate(&chars, &mut i, &mut out, 0)?;
    let regex = Regex::new(pattern).ok()?;
    regex.is_match(&out).then_some(out)
}

fn generate(chars: &[char], i: &mut usize, out: &mut String, depth: usize) -> Option<()> {
    if depth > 8 {
        return None;
    }
    while *i < chars.len() {
        let c = chars[*i];
        let atom: String = match c {
            '^' | '$' => {
                *i += 1;
                continue;
            }
            ')' => return Some(()),
            '|' => {
                // Keep the first alternative: skip to the end of this group.
                let mut level = 0;
                while *i < chars.len() {
                    match chars[*i] {
                        '\\' => *i += 1,
                        '(' => level += 1,
                        ')' if level == 0 => return Some(()),
                        ')' => level -= 1,
                        _ => {}
                    }
                    *i += 1;
                }
                return Some(());
            }
            '(' => {
                *i += 1;
                if chars.get(*i) == Some(&'?') {
                    // (?:...)
                    *i += 2;
                }
                let mut inner = String::new();
                generate(chars, i, &mut inner, depth + 1)?;
                if chars.get(*i) != Some(&')') {
                    return None;
                }
                *i += 1;
                inner
            }
            '[' => {
                let start = *i + 1;
                let mut end = start;
                while end < chars.len() && chars[end] != ']' {
                    if chars[end] == '\\' {
                        end += 1;
                    }
                    end += 1;
                }
                let class = chars.get(start..end)?;
                *i = end + 1;
                class_member(class)?.to_string()
            }
            '\\' => {
                let next = *chars.get(*i + 1)?;
                *i += 2;
                match next {
                    'd' => "1".into(),
                    'w' => "a".into(),
                    's' => " ".into(),
                    other if other.is_ascii_alphanumeric() => return None,
                    other => other.to_string(),
                }
            }
            '.' => {
                *i += 1;
                "a".into()
            }
            '*' | '+' | '?' | '{' => return None,
            other => {
                *i += 1;
                other.to_string()
            }
        };
        let count = quantifier(chars, i)?;
        for _ in 0..count {
            out.push_str(&atom);
        }
    }
    Some(())
}

/// Reads a quantifier after an atom: how many times to repeat it (the least allowed, at least
/// one where that is allowed).
fn quantifier(chars: &[char], i: &mut usize) -> Option<usize> {
    match chars.get(*i) {
        Some('*') | Some('+') => {
            *i += 1;
            Some(1)
        }
        Some('?') => {
            *i += 1;
            Some(1)
        }
        Some('{') => {
            let end = chars[*i..].iter().position(|&c| c == '}')? + *i;
            let inside: String = chars[*i + 1..end].iter().collect();
            *i = end + 1;
            let min = inside.split(',').next()?.trim().parse::<usize>().ok()?;
            Some(min.clamp(1, 64))
        }
        _ => Some(1),
    }
}

fn class_member(class: &[char]) -> Option<char> {
    if class.first() == Some(&'^') {
        // Anything but the listed characters: try a few candidates.
        return ['a', 'Z', '5', '_', '-']
            .into_iter()
            .find(|c| !class.contains(c));
    }
    match class {
        ['\\', 'd', ..] => Some('1'),
        ['\\', 'w', ..] => Some('a'),
        [first, '-', _, ..] => Some(*first),
        [first, ..] => Some(*first),
        [] => None,
    }
}

/// The synthesizer and validator are the test's own judges, so they are checked first.
pub fn self_check() {
    let doc = Doc::new(json!({
        "components": {"schemas": {
            "Id": {"type": "string", "pattern": "^[0-9a-f]{24}$"},
            "Obj": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string", "readOnly": true},
                    "name": {"type": "string", "minLength": 2, "maxLength": 4},
                    "count": {"type": "integer", "minimum": 5, "maximum": 9},
                    "when": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Id"}, "uniqueItems": true, "minItems": 2}
                },
                "additionalProperties": false
            }
        }}
    }));
    let schema = json!({"$ref": "#/components/schemas/Obj"});
    for mode in [Mode::Required, Mode::Full] {
        let value = doc.synthesize(&schema, mode);
        let errors = doc.validate(&schema, &value);
        assert!(
            errors.is_empty(),
            "self-check: {value} is invalid: {errors:?}"
        );
        assert!(
            value.get("id").is_none(),
            "self-check: read-only id was built"
        );
    }
    let full = doc.synthesize(&schema, Mode::Full);
    assert_eq!(full["count"], json!(5), "self-check: minimum honoured");
    assert_eq!(full["tags"].as_array().map(Vec::len), Some(2));
    let bad = json!({"name": "x", "count": 10, "when": "yesterday", "extra": 1});
    let errors = doc.validate(&schema, &bad);
    assert_eq!(errors.len(), 4, "self-check: {errors:?}");
    // OpenAPI 3.1 forms.
    let nullable = json!({"type": ["integer", "null"], "exclusiveMinimum": 3});
    assert!(doc.validate(&nullable, &Value::Null).is_empty());
    assert_eq!(doc.synthesize(&nullable, Mode::Full), json!(4));
    assert_eq!(doc.validate(&nullable, &json!(3)).len(), 1);
    assert_eq!(doc.validate(&nullable, &json!("3")).len(), 1);
    let constant = json!({"type": "string", "const": "only", "examples": ["other"]});
    assert_eq!(doc.synthesize(&constant, Mode::Full), json!("only"));
    assert_eq!(doc.validate(&constant, &json!("other")).len(), 1);
    let listed = json!({"type": "string", "examples": ["ab"], "maxLength": 2});
    assert_eq!(doc.synthesize(&listed, Mode::Full), json!("ab"));
    assert_eq!(string_for_pattern("^[0-9]{6}$").as_deref(), Some("000000"));
    assert_eq!(
        string_for_pattern(r"^(?:ab|cd)\d+x?$").as_deref(),
        Some("ab1x")
    );
}
