//! Structural mutations of an OpenAPI document held as JSON: the shapes real documents get
//! wrong, and the ones a generator forgets (references that dangle or loop, a wrong type in
//! any position, names that are huge, empty, Unicode, keywords or collide once converted, deep
//! nesting, 3.0 and 3.1 forms side by side, odd path templates, composition with
//! discriminators).
use crate::rng::Rng;
use serde_json::{json, Map, Value};

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The mutations, each named in a failure's report.
pub const MUTATIONS: &[&str] = &[
    "wrong-type",
    "delete",
    "dangling-ref",
    "ref-loop",
    "odd-name",
    "colliding-names",
    "deep-nesting",
    "version",
    "openapi-3.1-form",
    "copy-subtree",
    "composition",
    "odd-path",
    "odd-operation-id",
    "odd-construct",
    "odd-operation",
];

/// Applies mutation `name` somewhere in `doc`; returns what it did, for the report.
pub fn apply(name: &str, doc: &mut Value, rng: &mut Rng) -> String {
    match name {
        "wrong-type" => {
            let at = random_path(doc, rng);
            let value = wrong_value(rng);
            let what = format!("wrong-type {} = {}", pointer(&at), short(&value));
            replace(doc, &at, value);
            what
        }
        "delete" => {
            let at = random_path(doc, rng);
            let what = format!("delete {}", pointer(&at));
            remove(doc, &at);
            what
        }
        "dangling-ref" => {
            let at = random_object_path(doc, rng);
            let target = rng.pick(DANGLING).to_string();
            let what = format!("dangling-ref {} -> {target}", pointer(&at));
            if let Some(Value::Object(object)) = get_mut(doc, &at) {
                object.insert("$ref".into(), Value::String(target));
            }
            what
        }
        "ref-loop" => ref_loop(doc, rng),
        "odd-name" => rename_key(doc, rng, |_, rng| rng.pick(ODD_NAMES).to_string()),
        "colliding-names" => rename_key(doc, rng, collide),
        "deep-nesting" => {
            let at = random_path(doc, rng);
            let depth = *rng.pick(&[8usize, 40, 120, 400]);
            let kind = rng.below(5);
            let what = format!("deep-nesting {} x{depth} (kind {kind})", pointer(&at));
            if let Some(node) = get_mut(doc, &at) {
                let mut value = node.take();
                for _ in 0..depth {
                    value = match kind {
                        0 => json!({"type": "array", "items": value}),
                        1 => json!({"allOf": [value]}),
                        2 => json!({"type": "object", "properties": {"p": value}}),
                        3 => json!({"oneOf": [value, {"type": "string"}]}),
                        _ => json!({"type": "object", "additionalProperties": value}),
                    };
                }
                *node = value;
            }
            what
        }
        "version" => {
            let version = rng
                .pick(&[
                    json!("3.0.0"),
                    json!("3.0.3"),
                    json!("3.1.0"),
                    json!("3.1.1"),
                    json!("2.0"),
                    json!(""),
                    json!(3.1),
                    Value::Null,
                    json!("4.0.0"),
                ])
                .clone();
            let what = format!("version {version}");
            if let Value::Object(root) = doc {
                root.insert("openapi".into(), version);
            }
            what
        }
        "openapi-3.1-form" => {
            let at = random_object_path(doc, rng);
            let (key, value) = rng
                .pick(&[
                    ("type", json!(["string", "null"])),
                    ("type", json!(["integer", "string"])),
                    ("type", json!([])),
                    ("examples", json!([1, "two", null])),
                    ("const", json!("fixed")),
                    ("const", json!({"a": 1})),
                    (
                        "prefixItems",
                        json!([{"type": "string"}, {"type": "integer"}]),
                    ),
                    ("$defs", json!({"Inner": {"type": "string"}})),
                    ("exclusiveMinimum", json!(5)),
                    ("exclusiveMaximum", json!(true)),
                    ("contentMediaType", json!("image/png")),
                    ("webhooks", json!({"hook": {"post": {"responses": {}}}})),
                    ("nullable", json!("yes")),
                ])
                .clone();
            let what = format!("openapi-3.1-form {} {key}", pointer(&at));
            if let Some(Value::Object(object)) = get_mut(doc, &at) {
                object.insert(key.into(), value);
            }
            what
        }
        "copy-subtree" => {
            let from = random_path(doc, rng);
            let to = random_path(doc, rng);
            let what = format!("copy-subtree {} -> {}", pointer(&from), pointer(&to));
            if let Some(value) = get(doc, &from).cloned() {
                replace(doc, &to, value);
            }
            what
        }
        "composition" => composition(doc, rng),
        "odd-path" => {
            let path = rng.pick(ODD_PATHS).to_string();
            let what = format!("odd-path {path:?}");
            if let Some(Value::Object(paths)) = doc.get_mut("paths") {
                paths.insert(
                    path,
                    json!({"get": {"operationId": "odd", "responses": {"200": {"description": "ok"}}}}),
                );
            }
            what
        }
        "odd-operation-id" => {
            let id = rng.pick(ODD_NAMES).to_string();
            let operations = operation_paths(doc);
            if operations.is_empty() {
                return "odd-operation-id (no operation)".into();
            }
            // Two operations share it half of the time.
            let count = if rng.chance(50) { 2 } else { 1 };
            let mut what = format!("odd-operation-id {id:?}");
            for _ in 0..count {
                let at = rng.pick(&operations).clone();
                what.push_str(&format!(" at {}", pointer(&at)));
                if let Some(Value::Object(op)) = get_mut(doc, &at) {
                    op.insert("operationId".into(), Value::String(id.clone()));
                }
            }
            what
        }
        "odd-construct" => {
            let at = random_path(doc, rng);
            let value = rng.pick(&ODD_SCHEMAS).clone();
            let what = format!("odd-construct {} = {}", pointer(&at), short(&value));
            replace(doc, &at, value);
            what
        }
        "odd-operation" => {
            let (path, operation) = rng.pick(&odd_operations()).clone();
            let what = format!("odd-operation {path:?} {}", short(&operation));
            if let Some(Value::Object(paths)) = doc.get_mut("paths") {
                let method = *rng.pick(&["get", "put", "post", "delete", "patch", "head"]);
                paths.insert(path, json!({ method: operation }));
            }
            what
        }
        other => panic!("unknown mutation {other}"),
    }
}

const DANGLING: &[&str] = &[
    "#/components/schemas/DoesNotExist",
    "#/components/schemas/",
    "#/components/parameters/Nope",
    "#/components/responses/Nope",
    "#/components/requestBodies/Nope",
    "#",
    "",
    "other.yaml#/Pet",
    "#/paths/~1a/get",
    "#/components/schemas/a~2b",
    "#/components/schemas/Pet/properties/name",
    "https://example.com/schema.json",
];

const ODD_NAMES: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "0",
    "123abc",
    "type",
    "self",
    "Self",
    "crate",
    "super",
    "r#type",
    "Option",
    "Result",
    "models",
    "apis",
    "client",
    "send",
    "body",
    "additional_properties",
    "Unknown",
    "ünïcødé",
    "名前",
    "🦀",
    "\u{202e}rtl",
    "e\u{301}",
    "a\u{0}b",
    "a/b~c",
    "{id}",
    "a.b-c d",
    "----",
    "$",
    "x-org-id",
];

/// Valid but unusual schemas: each is something a real document does somewhere.
static ODD_SCHEMAS: std::sync::LazyLock<Vec<Value>> = std::sync::LazyLock::new(|| {
    vec![
        json!({"allOf": [{"type": "string"}, {"type": "object", "properties": {"a": {"type": "string"}}}]}),
        json!({"allOf": []}),
        json!({"oneOf": []}),
        json!({"anyOf": [{"type": "string"}, {"type": "string"}, {"type": "string", "format": "date-time"}]}),
        json!({"type": "array"}),
        json!({"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}}),
        json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "object", "additionalProperties": true}}}),
        json!({"type": "object", "required": ["missing", "a", "a"], "properties": {"a": {"type": "string", "readOnly": true}}}),
        json!({"type": "string", "enum": ["a", "A", "a-", "a_", "", "Unknown", "1", "self", "🦀"]}),
        json!({"enum": [1, 2, 3]}),
        json!({"enum": [null]}),
        json!({"type": "integer", "format": "uint64", "minimum": -1}),
        json!({"type": "number", "format": "decimal"}),
        json!({"type": "string", "format": "binary"}),
        json!({"type": "string", "format": "byte", "default": 7}),
        json!({"type": "array", "items": {"type": "string"}, "default": "[]"}),
        json!({"not": {"type": "string"}}),
        json!({"type": "object", "properties": {"": {"type": "string"}, "_": {"type": "string"}, "__": {"type": "integer"}}}),
        json!({"type": "object", "properties": {"id": {"type": "string"}, "_id": {"type": "string"}, "ID": {"type": "string"}, "i-d": {"type": "string"}}}),
        json!({"type": "object", "properties": {"additional_properties": {"type": "string"}, "additionalProperties": {"type": "string"}}}),
        json!({"type": "object", "properties": {"type": {"type": "string"}, "self": {"type": "string"}, "Self": {"type": "string"}, "super": {"type": "string"}}}),
        json!({"type": "object", "nullable": true, "properties": {"a": {"type": "array", "nullable": true, "items": {"nullable": true}}}}),
        json!({"oneOf": [{"type": "object", "properties": {"kind": {"type": "string"}}}, {"type": "array", "items": {"type": "integer"}}], "discriminator": {"propertyName": "kind"}}),
        json!({"type": "object", "properties": {"a": {"allOf": [{"type": "object", "properties": {"b": {"type": "object", "properties": {"c": {"type": "string"}}}}}]}}}),
    ]
});

/// Operations with unusual parameters, bodies and responses.
fn odd_operations() -> Vec<(String, Value)> {
    let ok = json!({"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}}});
    vec![
        (
            "/c/{id}".into(),
            json!({"parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "object"}},
            {"name": "session", "in": "cookie", "required": true, "schema": {"type": "string"}},
            {"name": "filter", "in": "query", "style": "deepObject", "explode": true, "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
            {"name": "list", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}},
            {"name": "X-Header", "in": "header", "schema": {"type": "array", "items": {"type": "integer"}}},
            {"name": "x-header", "in": "header", "schema": {"type": "string"}},
            {"name": "content", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}
        ], "responses": ok}),
        ),
        (
            "/d".into(),
            json!({"requestBody": {"content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "files": {"type": "array", "items": {"type": "string", "format": "binary"}}, "meta": {"type": "object"}}}},
            "application/x-www-form-urlencoded": {"schema": {"type": "object"}}
        }}, "responses": ok}),
        ),
        (
            "/e".into(),
            json!({"requestBody": {"content": {"text/plain": {}, "application/octet-stream": {}}}, "responses": {
                "1XX": {"description": "info"},
                "2XX": {"description": "ok", "content": {"*/*": {}}},
                "204": {"description": "none", "content": {"application/json": {"schema": {"type": "string"}}}},
                "205": {"description": "reset"},
                "299": {"description": "odd", "content": {"application/problem+json": {"schema": {"type": "object", "properties": {"x": {"type": "string"}}}}}},
                "5XX": {"description": "error", "content": {"text/html": {"schema": {"type": "object", "properties": {"x": {"type": "string"}}}}}},
                "default": {"description": "error", "content": {"application/json; charset=utf-8": {"schema": {"type": "array", "items": {"type": "string"}}}}}
            }}),
        ),
        (
            "/f".into(),
            json!({"operationId": "f", "parameters": [
            {"name": "limit", "in": "query", "schema": {"type": "string"}},
            {"name": "skip", "in": "query", "schema": {"type": "boolean"}},
            {"name": "pageToken", "in": "query", "schema": {"type": "string"}},
            {"name": "body", "in": "query", "schema": {"type": "string"}},
            {"name": "Body", "in": "header", "schema": {"type": "string"}}
        ], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "results": {"type": "array", "items": {"type": "string"}}, "others": {"type": "array", "items": {"type": "integer"}}, "nextPageToken": {"type": "integer"}}}}}}}}),
        ),
        ("/g".into(), json!({"responses": {}})),
        (
            "/h/{a}/{b}".into(),
            json!({"parameters": [{"name": "b", "in": "path", "required": false, "schema": {"type": "integer"}}], "responses": {"default": {"description": "x"}}}),
        ),
    ]
}

const ODD_PATHS: &[&str] = &[
    "/a/{",
    "/a/}",
    "/a/{}",
    "/{a}/{a}",
    "/a/{b}c{d}",
    "//",
    "",
    "/🦀/{名前}",
    "/a/{self}",
    "/a/{type}/{Type}",
    "no-leading-slash",
];

/// A short text of a value, for reports.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn wrong_value(rng: &mut Rng) -> Value {
    rng.pick(&[
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1e308),
        json!(u64::MAX),
        json!(""),
        json!("x"),
        json!([]),
        json!([null]),
        json!({}),
        json!({"type": 7}),
        json!({"$ref": 5}),
        json!({"type": "object", "properties": []}),
        json!({"type": "array", "items": "string"}),
        json!({"enum": []}),
        json!({"enum": [1, "a", null, {}]}),
        json!({"required": "name"}),
    ])
    .clone()
}

/// A name that collides with `key` once converted to a Rust identifier.
fn collide(key: &str, rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => key.to_uppercase(),
        1 => key.replace(['_', '-'], " "),
        2 => format!("{key}_"),
        3 => format!("_{key}"),
        _ => key
            .chars()
            .flat_map(|c| {
                if c.is_uppercase() {
                    vec!['-', c]
                } else {
                    vec![c]
                }
            })
            .collect(),
    }
}

/// Renames a key of a random object: with `odd`, or adds a second key beside it.
fn rename_key(
    doc: &mut Value,
    rng: &mut Rng,
    new_name: impl Fn(&str, &mut Rng) -> String,
) -> String {
    let at = random_object_path(doc, rng);
    let Some(Value::Object(object)) = get_mut(doc, &at) else {
        return "rename (no object)".into();
    };
    let keys: Vec<String> = object.keys().cloned().collect();
    if keys.is_empty() {
        return "rename (empty object)".into();
    }
    let key = rng.pick(&keys).clone();
    let name = if rng.chance(30) {
        "x".repeat(*rng.pick(&[300usize, 5_000, 70_000]))
    } else {
        new_name(&key, rng)
    };
    let keep_old = rng.chance(50);
    let what = format!(
        "rename {}/{key} -> {} (old kept: {keep_old})",
        pointer(&at),
        short(&Value::String(name.clone()))
    );
    let value = if keep_old {
        object.get(&key).cloned()
    } else {
        object.remove(&key)
    };
    if let Some(value) = value {
        object.insert(name, value);
    }
    what
}

fn ref_loop(doc: &mut Value, rng: &mut Rng) -> String {
    let Value::Object(root) = doc else {
        return "ref-loop (no root object)".into();
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let section = *rng.pick(&["schemas", "parameters", "requestBodies", "responses"]);
    let entries = components
        .as_object_mut()
        .expect("made an object above")
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entries.is_object() {
        *entries = Value::Object(Map::new());
    }
    let entries = entries.as_object_mut().expect("made an object above");
    let prefix = format!("#/components/{section}/");
    match rng.below(3) {
        0 => {
            entries.insert("LoopA".into(), json!({"$ref": format!("{prefix}LoopB")}));
            entries.insert("LoopB".into(), json!({"$ref": format!("{prefix}LoopA")}));
        }
        1 => {
            entries.insert("LoopA".into(), json!({"$ref": format!("{prefix}LoopA")}));
        }
        _ => {
            entries.insert(
                "LoopA".into(),
                json!({
                    "type": "object",
                    "properties": {"me": {"$ref": format!("{prefix}LoopA")}},
                    "allOf": [{"$ref": format!("{prefix}LoopA")}],
                    "oneOf": [{"$ref": format!("{prefix}LoopA")}, {"type": "string"}]
                }),
            );
        }
    }
    let target = format!("{prefix}LoopA");
    let at = random_object_path(doc, rng);
    let what = format!("ref-loop in {section}, used at {}", pointer(&at));
    if let Some(Value::Object(object)) = get_mut(doc, &at) {
        object.insert("$ref".into(), Value::String(target));
    }
    what
}

fn composition(doc: &mut Value, rng: &mut Rng) -> String {
    let schemas: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let member = |rng: &mut Rng| match schemas.is_empty() || rng.chance(30) {
        true => {
            json!({"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}})
        }
        false => {
            json!({"$ref": format!("#/components/schemas/{}", rng.pick(&schemas).replace('~', "~0").replace('/', "~1"))})
        }
    };
    let keyword = *rng.pick(&["oneOf", "anyOf", "allOf"]);
    let members: Vec<Value> = (0..1 + rng.below(4)).map(|_| member(rng)).collect();
    let mut value = json!({ keyword: members });
    if rng.chance(60) {
        let mapping: Map<String, Value> = (0..rng.below(3))
            .map(|i| {
                let target = match rng.chance(70) {
                    true => member(rng).get("$ref").cloned().unwrap_or(json!("#/nope")),
                    false => json!("#/components/schemas/Nope"),
                };
                (format!("v{i}"), target)
            })
            .collect();
        value["discriminator"] =
            json!({"propertyName": *rng.pick(&["kind", "", "missing"]), "mapping": mapping});
    }
    let at = random_path(doc, rng);
    let what = format!("composition {keyword} at {}", pointer(&at));
    replace(doc, &at, value);
    what
}

/// The operations of the document, as paths to their objects.
fn operation_paths(doc: &Value) -> Vec<Vec<Step>> {
    let mut found = Vec::new();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            if let Value::Object(item) = item {
                for (method, op) in item {
                    if op.is_object() && method != "parameters" {
                        found.push(vec![
                            Step::Key("paths".into()),
                            Step::Key(path.clone()),
                            Step::Key(method.clone()),
                        ]);
                    }
                }
            }
        }
    }
    found
}

/// A random node: a walk down from the root that stops at each level with some chance.
pub fn random_path(doc: &Value, rng: &mut Rng) -> Vec<Step> {
    let mut path = Vec::new();
    let mut node = doc;
    loop {
        let children: usize = match node {
            Value::Object(object) => object.len(),
            Value::Array(items) => items.len(),
            _ => 0,
        };
        if children == 0 || (path.len() >= 2 && rng.chance(12)) {
            return path;
        }
        let index = rng.below(children);
        match node {
            Value::Object(object) => {
                let (key, child) = object.iter().nth(index).expect("index below len");
                path.push(Step::Key(key.clone()));
                node = child;
            }
            Value::Array(items) => {
                path.push(Step::Index(index));
                node = &items[index];
            }
            _ => unreachable!("leaves have no children"),
        }
    }
}

/// A random object node (the root when the walk finds none).
fn random_object_path(doc: &Value, rng: &mut Rng) -> Vec<Step> {
    let mut path = random_path(doc, rng);
    while !path.is_empty() && !get(doc, &path).is_some_and(Value::is_object) {
        path.pop();
    }
    path
}

pub fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|step| match step {
            Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Step::Index(index) => format!("/{index}"),
        })
        .collect()
}

pub fn get<'v>(doc: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(object), Step::Key(key)) => object.get(key),
        (Value::Array(items), Step::Index(index)) => items.get(*index),
        _ => None,
    })
}

pub fn get_mut<'v>(doc: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(object), Step::Key(key)) => object.get_mut(key),
        (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
        _ => None,
    })
}

fn replace(doc: &mut Value, path: &[Step], value: Value) {
    if let Some(node) = get_mut(doc, path) {
        *node = value;
    }
}

/// Removes the node at `path` from its parent (the root is emptied).
pub fn remove(doc: &mut Value, path: &[Step]) {
    let Some((last, parent)) = path.split_last() else {
        *doc = Value::Object(Map::new());
        return;
    };
    match (get_mut(doc, parent), last) {
        (Some(Value::Object(object)), Step::Key(key)) => {
            object.remove(key);
        }
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items.remove(*index);
        }
        _ => {}
    }
}
