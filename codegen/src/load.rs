//! Stage 1: text to the openapiv3 model. Errors name the JSON pointer of the bad node. A 3.1
//! document is first rewritten into 3.0 (`openapi31`).
mod openapi31;

use crate::diagnostics::Diagnostic;
use crate::LoadError;
use sha2::{Digest, Sha256};

/// A parsed document and the facts about its source text.
pub struct Loaded {
    pub document: openapiv3::OpenAPI,
    pub sha256: String,
    /// What loading could not keep (3.1 constructs without a 3.0 spelling).
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses YAML or JSON (JSON is read by the YAML parser too, which accepts it). The text is
/// parsed once, into JSON values; its `openapi` field says how to read them.
pub fn load(text: &str) -> Result<Loaded, LoadError> {
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    let mut value: serde_json::Value = serde_yaml::from_str(text).map_err(|error| LoadError {
        pointer: String::new(),
        message: error.to_string(),
    })?;
    let version = value.get("openapi").map(|v| match v {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    });
    let diagnostics = match version.as_deref() {
        Some(v) if v.starts_with("3.1") => openapi31::normalise(&mut value),
        Some(v) if v.starts_with("3.0") => Vec::new(),
        Some(other) => return Err(unsupported(other)),
        None => Vec::new(),
    };
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
        Ok(document) => Ok(Loaded {
            document,
            sha256,
            diagnostics,
        }),
        Err(error) => {
            let pointer = pointer_of(error.path());
            let message = error.into_inner().to_string();
            Err(narrow_value(&value, pointer, message))
        }
    }
}

fn unsupported(version: &str) -> LoadError {
    LoadError {
        pointer: "/openapi".into(),
        message: format!("unsupported OpenAPI version {version:?}; 3.0.x and 3.1.x are supported"),
    }
}

/// The document's `openapi` field, read on its own (the rest is skipped, not built).
pub fn declared_version(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Version {
        openapi: serde_yaml::Value,
    }
    let version: Version = serde_yaml::from_str(text).ok()?;
    match version.openapi {
        serde_yaml::Value::String(text) => Some(text),
        other => serde_yaml::to_string(&other)
            .ok()
            .map(|t| t.trim().to_owned()),
    }
}

/// openapiv3 reads many nodes as untagged enums, and an untagged enum that fails reports only
/// its own position (`/paths`, `/components/schemas/A`). To name the node at fault, the failing node
/// (in the document read as JSON values) is narrowed down: first into the child that
/// fails on its own (known containers: path items, operations, responses, schemas), then to
/// the one key whose removal makes the node valid.
fn narrow_value(root: &serde_json::Value, pointer: String, message: String) -> LoadError {
    let Some(node) = root.pointer(&pointer) else {
        return LoadError { pointer, message };
    };
    let Some(kind) = Node::at(&pointer) else {
        return LoadError { pointer, message };
    };
    let (pointer, message) = narrow_node(node, kind, pointer, message);
    LoadError { pointer, message }
}

/// The openapiv3 types whose inner structure the narrowing knows.
#[derive(Clone, Copy)]
enum Node {
    Document,
    Paths,
    PathItem,
    Operation,
    Responses,
    Response,
    Parameter,
    RequestBody,
    Components,
    Parameters,
    RequestBodies,
    MediaMap,
    Media,
    SchemaMap,
    SchemaList,
    Schema,
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl Node {
    /// The node type at a pointer, from its shape.
    fn at(pointer: &str) -> Option<Node> {
        let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
        let mut node = Node::Document;
        for token in tokens {
            node = node.child(token)?;
        }
        Some(node)
    }

    fn child(self, key: &str) -> Option<Node> {
        use Node::*;
        Some(match (self, key) {
            (Document, "paths") => Paths,
            (Document, "components") => Components,
            (Paths, _) => PathItem,
            (PathItem, method) if METHODS.contains(&method) => Operation,
            (PathItem | Operation, "parameters") | (Components, "parameters") => Parameters,
            (Parameters, _) => Parameter,
            (Parameter, "schema") | (Media, "schema") => Schema,
            (Operation, "responses") | (Components, "responses") => Responses,
            (Operation, "requestBody") => RequestBody,
            (Components, "requestBodies") => RequestBodies,
            (RequestBodies, _) => RequestBody,
            (Responses, _) => Response,
            (Response | RequestBody, "content") => MediaMap,
            (MediaMap, _) => Media,
            (Components, "schemas") | (Schema, "properties") => SchemaMap,
            (Schema, "allOf" | "oneOf" | "anyOf") => SchemaList,
            (SchemaMap | SchemaList, _) => Schema,
            (Schema, "items" | "additionalProperties" | "not") => Schema,
            _ => return None,
        })
    }

    /// Whether `value` reads as this node type.
    fn accepts(self, value: &serde_json::Value) -> bool {
        use openapiv3::*;
        fn reads<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> bool {
            T::deserialize(value).is_ok()
        }
        match self {
            Node::Document => reads::<OpenAPI>(value),
            Node::Paths => reads::<Paths>(value),
            Node::PathItem => reads::<ReferenceOr<PathItem>>(value),
            Node::Operation => reads::<Operation>(value),
            Node::Responses => reads::<Responses>(value),
            Node::Response => reads::<ReferenceOr<Response>>(value),
            Node::Parameters => {
                reads::<Vec<ReferenceOr<Parameter>>>(value)
                    || reads::<indexmap::IndexMap<String, ReferenceOr<Parameter>>>(value)
            }
            Node::Parameter => reads::<ReferenceOr<Parameter>>(value),
            Node::RequestBodies => {
                reads::<indexmap::IndexMap<String, ReferenceOr<RequestBody>>>(value)
            }
            Node::RequestBody => reads::<ReferenceOr<RequestBody>>(value),
            Node::MediaMap => reads::<indexmap::IndexMap<String, MediaType>>(value),
            Node::Media => reads::<MediaType>(value),
            Node::Components => reads::<Components>(value),
            Node::SchemaMap => reads::<indexmap::IndexMap<String, ReferenceOr<Schema>>>(value),
            Node::SchemaList => reads::<Vec<ReferenceOr<Schema>>>(value),
            Node::Schema => reads::<ReferenceOr<Schema>>(value),
        }
    }
}

fn narrow_node(
    node: &serde_json::Value,
    kind: Node,
    pointer: String,
    message: String,
) -> (String, String) {
    let children: Vec<(String, &serde_json::Value)> = match node {
        serde_json::Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    // A child that is invalid on its own holds the fault.
    for (key, child) in &children {
        if let Some(child_kind) = kind.child(key) {
            if !child_kind.accepts(child) {
                let child_pointer = format!("{pointer}/{}", escape_pointer(key));
                return narrow_node(child, child_kind, child_pointer, message);
            }
        }
    }
    // Otherwise, the one key whose removal makes the node valid.
    if let serde_json::Value::Object(map) = node {
        for key in map.keys() {
            let mut without = map.clone();
            without.remove(key);
            if kind.accepts(&serde_json::Value::Object(without)) {
                let detail = format!("{message} (the value of {key:?} is not valid here)");
                return (format!("{pointer}/{}", escape_pointer(key)), detail);
            }
        }
    }
    (pointer, message)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// serde_path_to_error's path (`paths./users.get`) as a JSON pointer (`/paths/~1users/get`).
pub(crate) fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push_str(&escape_pointer(key))
            }
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Reads one JSON pointer token (RFC 6901).
pub fn unescape_pointer(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_document_names_the_place() {
        let error = load("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n")
            .err()
            .expect("invalid responses must fail");
        assert_eq!(error.pointer, "/paths/~1a/get/responses");
    }

    #[test]
    fn not_yaml_is_an_error_not_a_panic() {
        let error = load("{{{").err().expect("garbage must fail");
        assert!(!error.message.is_empty());
    }

    #[test]
    fn a_3_1_document_is_read_in_the_3_0_model() {
        let loaded = load("openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents: {schemas: {A: {type: [string, 'null']}}}\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let schema = &loaded.document.components.unwrap().schemas["A"];
        let openapiv3::ReferenceOr::Item(schema) = schema else {
            panic!("A is a schema")
        };
        assert!(schema.schema_data.nullable);
        assert!(loaded.diagnostics.is_empty());
    }

    #[test]
    fn a_3_1_document_that_is_still_wrong_names_the_pointer() {
        let error = load(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: 7}}}\n",
        )
        .err()
        .expect("responses must be a map");
        assert_eq!(error.pointer, "/paths/~1a/get/responses");
    }

    #[test]
    fn version_3_2_is_refused() {
        let error = load("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n").err();
        assert_eq!(error.map(|e| e.pointer), Some("/openapi".to_owned()));
    }

    #[test]
    fn version_2_is_refused() {
        let error = load("openapi: 2.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n").err();
        assert_eq!(error.map(|e| e.pointer), Some("/openapi".to_owned()));
    }
}
