//! Behaviour of the generator as a whole, checked with assertions on its output: determinism,
//! the real documents, errors, and the structural soundness of the Rust it writes.

mod common;

use codegen::{Generation, Settings};
use common::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;

const REAL: &str = "jumpcloud-v2.yaml";
const REAL_2023: &str = "jumpcloud-v2-2023.yaml";
const OXIDE: [&str; 4] = [
    "other/buildomat.json",
    "other/keeper.json",
    "other/nexus.json",
    "other/propolis-server.json",
];

/// The real document and its generation, computed once for the tests that share them.
fn real() -> &'static (String, Generation) {
    static REAL_GENERATION: OnceLock<(String, Generation)> = OnceLock::new();
    REAL_GENERATION.get_or_init(|| {
        let text = spec(REAL);
        let generation = generate_with(&text, &jumpcloud_settings());
        (text, generation)
    })
}

/// The files with the document's own sha256 (header comments, `SPEC_SHA256`) made neutral, so
/// that two texts of the same document can be compared by what was generated from them.
fn files_without_sha(generation: &Generation) -> Vec<(String, String)> {
    generation
        .files
        .iter()
        .map(|(path, text)| {
            (
                path.clone(),
                text.replace(&generation.source.sha256, "<sha256>"),
            )
        })
        .collect()
}

fn with_reversed_keys(text: &str) -> String {
    let value: serde_yaml::Value = serde_yaml::from_str(text).expect("the document is YAML");
    serde_yaml::to_string(&reverse_keys(value)).expect("a YAML value serializes")
}

/// The document as JSON, for resolving pointers.
fn as_json(text: &str) -> serde_json::Value {
    serde_yaml::from_str(text).expect("the document converts to JSON")
}

// ---------------------------------------------------------------------------------------------
// Determinism

#[test]
fn generating_twice_gives_identical_files() {
    let (text, first) = real();
    let second = generate_with(text, &jumpcloud_settings());
    assert_eq!(first.files, second.files);
    assert_eq!(first.diagnostics, second.diagnostics);
}

#[test]
fn key_order_of_the_real_document_does_not_change_the_output() {
    let (text, original) = real();
    let reversed_text = with_reversed_keys(text);
    assert_ne!(&reversed_text, text, "reversing the keys changed nothing");
    let reversed = generate_with(&reversed_text, &jumpcloud_settings());
    assert_eq!(original.stats, reversed.stats);
    assert_eq!(original.diagnostics, reversed.diagnostics);
    let (original, reversed) = (files_without_sha(original), files_without_sha(&reversed));
    assert_eq!(
        original.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        reversed.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, a), (_, b)) in original.iter().zip(&reversed) {
        assert!(a == b, "{path} depends on the document's key order");
    }
}

#[test]
fn key_order_of_the_fixtures_does_not_change_the_output() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&fixtures).expect("tests/fixtures exists") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let original = generate_with(&text, &jumpcloud_settings());
        let reversed = generate_with(&with_reversed_keys(&text), &jumpcloud_settings());
        assert!(
            files_without_sha(&original) == files_without_sha(&reversed),
            "{} depends on the document's key order",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} fixtures found");
}

// ---------------------------------------------------------------------------------------------
// The real documents

#[test]
fn real_document_has_413_operations() {
    let (_, generation) = real();
    assert_eq!(generation.stats.operations, 413);
}

#[test]
fn real_document_operations_table_has_413_rows() {
    let (_, generation) = real();
    let table = &generation.files["OPERATIONS.md"];
    let rows = table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| operationId |"))
        .count();
    assert_eq!(rows, 413);
    assert_eq!(operation_rows(generation).len(), 413, "operationIds repeat");
}

#[test]
fn real_document_has_no_diagnostics() {
    let (_, generation) = real();
    assert!(
        generation.diagnostics.is_empty(),
        "unexpected diagnostics:\n{}",
        generation
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn real_document_source_info() {
    let (_, generation) = real();
    assert_eq!(generation.source.title, "JumpCloud API");
    assert_eq!(generation.source.version, "2.0");
    assert_eq!(generation.source.sha256.len(), 64);
    assert!(generation.files["src/generated/mod.rs"].contains(&generation.source.sha256));
}

/// Every component schema's key and the type name the generator gives it (it claims
/// component names in sorted order before anything else).
fn component_names(document: &serde_json::Value) -> Vec<(String, String)> {
    let schemas = document["components"]["schemas"]
        .as_object()
        .expect("components/schemas is a mapping");
    let keys: BTreeSet<&String> = schemas.keys().collect();
    let mut scope = codegen::names::Scope::default();
    keys.into_iter()
        .map(|key| {
            let name = scope.claim(codegen::names::component_type_name(key).0);
            (key.clone(), name)
        })
        .collect()
}

/// The component schemas the document's paths reach through `$ref`s, found on the JSON alone:
/// responses marked `x-do-not-generate`, bodies that are not JSON and 204 and 205 responses
/// are not followed, and a schema named only as an `allOf` member is merged into its user, so
/// it counts as reached only through its content.
fn reached_components(document: &serde_json::Value) -> BTreeSet<String> {
    fn walk(
        document: &serde_json::Value,
        node: &serde_json::Value,
        merged: bool,
        seen: &mut BTreeSet<(String, bool)>,
        reached: &mut BTreeSet<String>,
    ) {
        match node {
            serde_json::Value::Object(map) => {
                if map.get("x-do-not-generate") == Some(&serde_json::Value::Bool(true)) {
                    return;
                }
                if let Some(serde_json::Value::String(target)) = map.get("$ref") {
                    if let Some(key) = target.strip_prefix("#/components/schemas/") {
                        if !merged {
                            reached.insert(key.replace("~1", "/").replace("~0", "~"));
                        }
                    }
                    if seen.insert((target.clone(), merged)) {
                        let pointer = target.trim_start_matches('#');
                        if let Some(next) = document.pointer(pointer) {
                            walk(document, next, false, seen, reached);
                        }
                    }
                }
                for (key, child) in map {
                    match (key.as_str(), child) {
                        ("allOf", serde_json::Value::Array(members)) if members.len() > 1 => {
                            for member in members {
                                walk(document, member, true, seen, reached);
                            }
                        }
                        // Examples are data, not schemas.
                        ("example" | "examples", _) => {}
                        // Only JSON bodies get types (others are bytes); 204 and 205 have none.
                        ("content", serde_json::Value::Object(media)) => {
                            for (_, body) in media.iter().filter(|(m, _)| m.contains("json")) {
                                walk(document, body, false, seen, reached);
                            }
                        }
                        ("204" | "205", _) => {}
                        _ => walk(document, child, false, seen, reached),
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(document, item, false, seen, reached);
                }
            }
            _ => {}
        }
    }
    let mut reached = BTreeSet::new();
    walk(
        document,
        &document["paths"],
        false,
        &mut BTreeSet::new(),
        &mut reached,
    );
    reached
}

#[test]
fn every_component_schema_an_operation_reaches_is_a_model_type_and_no_other() {
    let (text, generation) = real();
    let document = as_json(text);
    let components = component_names(&document);
    assert_eq!(components.len(), 1592);
    let reached = reached_components(&document);
    let defined = model_type_names(generation);
    let (mut missing, mut unreachable) = (Vec::new(), Vec::new());
    for (key, name) in &components {
        match (reached.contains(key), defined.contains_key(name)) {
            (true, false) => missing.push(format!("{key} -> {name}")),
            (false, true) => unreachable.push(format!("{key} -> {name}")),
            _ => {}
        }
    }
    assert!(
        missing.is_empty(),
        "reached schemas without a type: {missing:?}"
    );
    assert!(
        unreachable.is_empty(),
        "types no operation reaches: {unreachable:?}"
    );
    // Konfig's conversion leaves hundreds of schemas no path names.
    assert!(reached.len() < 700, "{} of 1592 reached", reached.len());
}

#[test]
fn keep_schemas_star_makes_every_component_schema_a_model_type() {
    let (text, _) = real();
    let document = as_json(text);
    let mut settings = jumpcloud_settings();
    settings.keep_schemas = vec![codegen::lower::KEEP_ALL.to_owned()];
    let generation = generate_with(text, &settings);
    let defined = model_type_names(&generation);
    let mut missing = Vec::new();
    for (key, name) in component_names(&document) {
        let chunk = format!(
            "src/generated/models/{}.rs",
            name.chars().next().unwrap().to_ascii_lowercase()
        );
        match defined.get(&name) {
            Some(file) => assert_eq!(file, &chunk, "{key} ({name}) is in the wrong file"),
            None => missing.push(format!("{key} -> {name}")),
        }
    }
    assert!(
        missing.is_empty(),
        "schemas without a type: {}",
        missing.join(", ")
    );
}

#[test]
fn real_document_rust_is_well_formed() {
    let (_, generation) = real();
    assert_well_formed(REAL, generation);
}

#[test]
fn real_document_groups_graph_operations_under_their_resource() {
    let (_, generation) = real();
    let rows = operation_rows(generation);
    // Tagged [Graph, User Groups]: the group is the resource, not Graph.
    let call = &rows["graph_userGroupMembersList"];
    assert!(call.starts_with("client.user_groups()."), "{call}");
}

#[test]
fn document_from_2023_generates_with_a_warning_for_an_array_with_a_string_default() {
    let generation = generate_with(&spec(REAL_2023), &jumpcloud_settings());
    assert_eq!(generation.stats.operations, 388);
    // The first of many: `fields` of `activedirectories_list` says `default: "[]"`.
    let pointer = "/paths/~1activedirectories/get/parameters/0/schema/default";
    let diagnostic = generation
        .diagnostics
        .iter()
        .find(|d| d.pointer == pointer)
        .unwrap_or_else(|| panic!("no diagnostic at {pointer}: {:?}", generation.diagnostics));
    assert_eq!(diagnostic.severity, codegen::Severity::Warning);
    assert!(diagnostic.message.contains("\"[]\""), "{diagnostic}");
    assert!(diagnostic.message.contains("array"), "{diagnostic}");
    assert_well_formed(REAL_2023, &generation);
}

#[test]
fn diagnostics_point_at_nodes_that_exist() {
    for name in [REAL_2023, "other/nexus.json", "other/buildomat.json"] {
        let text = spec(name);
        let document = as_json(&text);
        let generation = generate_with(&text, &fixture_settings());
        assert!(!generation.diagnostics.is_empty(), "{name}: expected some");
        for diagnostic in &generation.diagnostics {
            assert!(
                document.pointer(&diagnostic.pointer).is_some(),
                "{name}: {diagnostic} names no node of the document"
            );
        }
    }
}

#[test]
fn oxide_json_documents_generate() {
    for name in OXIDE {
        let generation = codegen::generate(&spec(name), &fixture_settings())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(generation.stats.operations > 0, "{name}: no operations");
        assert_eq!(
            operation_rows(&generation).len(),
            generation.stats.operations,
            "{name}"
        );
        assert_well_formed(name, &generation);
    }
}

#[test]
fn fixtures_generate_well_formed_rust() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in std::fs::read_dir(&fixtures).expect("tests/fixtures exists") {
        let path = entry.unwrap().path();
        let generation = generate_with(
            &std::fs::read_to_string(&path).unwrap(),
            &jumpcloud_settings(),
        );
        assert_well_formed(&path.display().to_string(), &generation);
    }
}

// ---------------------------------------------------------------------------------------------
// Invalid input

fn load_error(text: &str) -> codegen::LoadError {
    match codegen::generate(text, &fixture_settings()) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(error) => error,
    }
}

#[test]
fn dangling_schema_ref_names_the_property() {
    let error = load_error(&doc(
        "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
    ));
    assert_eq!(error.pointer, "/components/schemas/A/properties/b");
    assert!(
        error.message.contains("#/components/schemas/Missing"),
        "{error}"
    );
}

#[test]
fn dangling_ref_in_an_operation_names_the_place() {
    let cases = [
        (
            "paths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/Nope'}]\n      responses: {'204': {description: ok}}\n",
            "/paths/~1a/get/parameters/0",
        ),
        (
            "paths:\n  /a:\n    post:\n      requestBody: {$ref: '#/components/requestBodies/Nope'}\n      responses: {'204': {description: ok}}\n",
            "/paths/~1a/post/requestBody",
        ),
        (
            "paths:\n  /a:\n    get:\n      responses: {'200': {$ref: '#/components/responses/Nope'}}\n",
            "/paths/~1a/get/responses/200",
        ),
        (
            "paths:\n  /a/b:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}\n",
            "/paths/~1a~1b/get/responses/200/content/application~1json/schema",
        ),
        (
            "paths: {}\ncomponents:\n  schemas:\n    A: {allOf: [{$ref: '#/components/schemas/Nope'}, {properties: {x: {type: string}}}]}\n",
            "/components/schemas/A/allOf/0",
        ),
    ];
    for (rest, pointer) in cases {
        let error = load_error(&doc(rest));
        assert_eq!(error.pointer, pointer, "{error}");
        assert!(error.message.contains("Nope"), "{error}");
    }
}

#[test]
fn malformed_yaml_is_an_error_not_a_panic() {
    for text in [
        "{{{",
        "openapi: 3.0.0\ninfo: [unclosed\n",
        "",
        "- just\n- a list\n",
        "openapi: 3.0.0\n\tinfo: tab\n",
    ] {
        let error = load_error(text);
        assert!(!error.message.is_empty(), "{text:?}");
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn wrong_type_of_responses_names_its_pointer() {
    let error = load_error(&doc("paths:\n  /a:\n    get:\n      responses: 7\n"));
    assert_eq!(error.pointer, "/paths/~1a/get/responses");
}

#[test]
fn wrong_type_in_components_names_its_pointer() {
    let error = load_error(&doc(
        "paths: {}\ncomponents:\n  schemas:\n    A: {type: object, required: 7}\n",
    ));
    assert_eq!(error.pointer, "/components/schemas/A/required");
}

#[test]
fn openapi_2_is_refused_at_the_version() {
    let error = load_error("openapi: 2.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(error.pointer, "/openapi");
}

// ---------------------------------------------------------------------------------------------
// Small documents

#[test]
fn empty_paths_give_a_complete_skeleton() {
    let generation = generate(&doc("paths: {}\n"));
    let paths: Vec<&str> = generation.files.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "OPERATIONS.md",
            "src/generated/apis/mod.rs",
            "src/generated/errors.rs",
            "src/generated/mod.rs",
            "src/generated/models/mod.rs",
            "src/generated/services.rs",
        ]
    );
    assert_well_formed("empty document", &generation);
    let root = parse_rust("mod.rs", &generation.files["src/generated/mod.rs"]);
    for module in ["apis", "models", "errors", "services"] {
        assert!(
            root.items
                .iter()
                .any(|item| matches!(item, syn::Item::Mod(m) if m.ident == module)),
            "mod.rs does not declare `{module}`"
        );
    }
    assert!(generation.files["src/generated/errors.rs"].contains("pub enum ApiErrorBody"));
    assert!(generation.files["OPERATIONS.md"].contains("0 operations (0 of t 1)"));
    assert!(operation_rows(&generation).is_empty());
    assert_eq!(generation.stats.operations, 0);
    assert_eq!(generation.stats.types, 0);
    assert!(generation.diagnostics.is_empty());
}

#[test]
fn json_and_yaml_texts_of_one_document_generate_the_same_files() {
    let yaml =
        doc("paths:\n  /a:\n    get: {operationId: getA, responses: {'204': {description: ok}}}\n");
    let json = serde_json::to_string(&as_json(&yaml)).unwrap();
    assert_eq!(
        files_without_sha(&generate(&yaml)),
        files_without_sha(&generate(&json))
    );
}

#[test]
fn header_records_the_title_version_and_sha256() {
    let generation = generate(&doc("paths: {}\n"));
    for (path, text) in &generation.files {
        if path.ends_with(".rs") {
            let first = text.lines().next().unwrap();
            assert!(first.starts_with("// @generated"), "{path}: {first}");
            assert!(first.contains("from t 1"), "{path}: {first}");
            assert!(first.contains(&generation.source.sha256), "{path}: {first}");
        }
    }
    assert!(generation.files["OPERATIONS.md"].starts_with("<!-- @generated"));
}

#[test]
fn cross_cutting_tag_names_a_group_only_when_it_is_the_only_tag() {
    let text = doc("paths:
  /u: {get: {operationId: listUsers, tags: [Users], responses: {'204': {description: ok}}}}
  /u/m: {get: {operationId: graph_member, tags: [Graph, Users], responses: {'204': {description: ok}}}}
  /g: {get: {operationId: graph_walk, tags: [Graph], responses: {'204': {description: ok}}}}
  /g/2: {get: {operationId: graph_walk2, tags: [Graph], responses: {'204': {description: ok}}}}
");
    let with = operation_rows(&generate_with(&text, &jumpcloud_settings()));
    // `graph_` is a prefix the settings drop from method names.
    assert_eq!(with["graph_member"], "client.users().get_member()");
    assert_eq!(with["graph_walk"], "client.graph().get_walk()");
    // Without the setting, the tag with the most operations wins: Graph has 3, Users 2.
    let without = operation_rows(&generate(&text));
    assert_eq!(without["graph_member"], "client.graph().get_member()");
}

#[test]
fn broadest_tag_names_the_group_and_ties_go_to_the_first_listed() {
    let text = doc("paths:
  /a: {get: {operationId: a, tags: [Small, Big], responses: {'204': {description: ok}}}}
  /b: {get: {operationId: b, tags: [Big], responses: {'204': {description: ok}}}}
  /c: {get: {operationId: c, tags: [Left, Right], responses: {'204': {description: ok}}}}
  /d: {get: {operationId: d, responses: {'204': {description: ok}}}}
");
    let rows = operation_rows(&generate(&text));
    assert_eq!(rows["a"], "client.big().get_a()");
    assert_eq!(rows["c"], "client.left().get_c()");
    assert_eq!(rows["d"], "client.other().get_d()");
}

#[test]
fn missing_operation_id_is_made_from_method_and_path() {
    let text = doc("paths:
  /things/{id}:
    delete:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: ok}}
");
    let generation = generate(&text);
    let rows = operation_rows(&generation);
    let (id, call) = rows.iter().next().unwrap();
    assert_eq!(id, "delete_things_id");
    assert_eq!(call, "client.other().delete_things_id(id)");
    assert_well_formed("missing operationId", &generation);
}

#[test]
fn undeclared_path_parameter_is_a_string_with_a_warning() {
    let text = doc(
        "paths:\n  /a/{id}:\n    get: {operationId: getA, responses: {'204': {description: ok}}}\n",
    );
    let generation = generate(&text);
    assert_eq!(generation.diagnostics.len(), 1);
    assert_eq!(generation.diagnostics[0].pointer, "/paths/~1a~1{id}/get");
    assert_eq!(
        operation_rows(&generation)["getA"],
        "client.other().get_a(id)"
    );
    assert!(generation.files["src/generated/apis/other.rs"].contains("id: impl Into<String>"));
}

#[test]
fn recursion_through_a_struct_is_boxed_and_through_a_vec_is_not() {
    let text = doc("paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        next: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
");
    let generation = generate(&text);
    let models = &generation.files["src/generated/models/n.rs"];
    assert!(models.contains("pub next: Option<Box<Node>>"), "{models}");
    assert!(
        models.contains("pub children: Option<Vec<Node>>"),
        "{models}"
    );
}

#[test]
fn stats_count_operations_and_types() {
    let text = doc("paths:
  /a: {get: {operationId: getA, responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {x: {type: string}}}}}}}}}
components:
  schemas:
    B: {type: string, enum: [x]}
");
    let generation = generate(&text);
    assert_eq!(generation.stats.operations, 1);
    // `B` and the inline response, named after its call `client.other().get_a()`.
    assert_eq!(generation.stats.types, 2);
    let names: Vec<String> = model_type_names(&generation).into_keys().collect();
    assert_eq!(names, ["B", "OtherGetAResponse"]);
}

// ---------------------------------------------------------------------------------------------
// Settings

#[test]
fn settings_are_read_from_yaml() {
    let settings = Settings::from_yaml("cross_cutting_tags: [Graph, Other]\n").unwrap();
    assert_eq!(settings.cross_cutting_tags, ["Graph", "Other"]);
    assert!(Settings::from_yaml("{}")
        .unwrap()
        .cross_cutting_tags
        .is_empty());
}

#[test]
fn settings_with_an_unknown_key_are_refused_at_that_key() {
    let error = Settings::from_yaml("cross_cutting_tag: [Graph]\n").unwrap_err();
    assert_eq!(error.pointer, "/cross_cutting_tag");
    assert!(error.message.contains("cross_cutting_tags"), "{error}");
}

#[test]
fn a_split_into_no_shards_is_refused_at_its_count() {
    let error = Settings::from_yaml("split: {core: c, shard_prefix: s, shards: 0}\n").unwrap_err();
    assert_eq!(error.pointer, "/split/shards");
    assert!(error.message.contains("nonzero"), "{error}");
    let read = Settings::from_yaml("split: {core: c, shard_prefix: s, shards: 3}\n").unwrap();
    assert_eq!(read.split.map(|split| split.shards.get()), Some(3));
}

#[test]
fn default_values_of_the_real_document_terminate() {
    let (_, generation) = real();
    assert_eq!(recursive_defaults(generation), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Regressions: bugs found while writing this suite and fixed since

#[test]
fn property_named_additional_properties_beside_extra_keys() {
    let text = doc("paths: {}
components:
  schemas:
    M:
      type: object
      properties: {additionalProperties: {type: string}}
      additionalProperties: {type: string}
");
    assert_eq!(rust_problems(&generate(&text)), Vec::<String>::new());
}

#[test]
fn required_ref_to_a_nullable_schema_is_an_option() {
    let generation = generate(&doc("paths: {}
components:
  schemas:
    Maybe: {type: string, nullable: true}
    Holder: {type: object, required: [m], properties: {m: {$ref: '#/components/schemas/Maybe'}}}
"));
    let models = &generation.files["src/generated/models/h.rs"];
    assert!(models.contains("pub m: Option<Maybe>"), "{models}");
}

#[test]
fn parameters_named_like_builder_internals_are_renamed() {
    let names = [
        "client",
        "body",
        "send",
        "into_future",
        "options",
        "request",
        "decode",
        "stream",
        "self",
        "type",
    ];
    let parameters: Vec<String> = names
        .iter()
        .map(|name| format!("{{name: {name}, in: query, schema: {{type: string}}}}"))
        .collect();
    let text = doc(&format!(
        "paths:
  /a:
    post:
      operationId: postA
      parameters: [{}]
      requestBody: {{content: {{application/json: {{schema: {{type: string}}}}}}}}
      responses: {{'204': {{description: ok}}}}
",
        parameters.join(", ")
    ));
    let generation = generate(&text);
    assert_eq!(rust_problems(&generation), Vec::<String>::new());
    let apis = &generation.files["src/generated/apis/other.rs"];
    for name in names {
        assert!(
            apis.contains(&format!(".query(\"{name}\"")),
            "{name} is not sent in\n{apis}"
        );
    }
}

#[test]
fn multipart_parts_named_like_builder_internals_are_renamed() {
    let text = doc("paths:
  /a:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [client, options]
              properties:
                client: {type: string, format: binary}
                options: {type: string}
                send: {type: string}
                request: {type: string}
      responses: {'204': {description: ok}}
");
    assert_eq!(rust_problems(&generate(&text)), Vec::<String>::new());
}

/// Without a lock (names by today's rules), no method of the real document repeats its group's
/// name in any spelling (`user_groups`, `user_group`, `usergroups`), and no type name carries a
/// converter's `AllOf`.
#[test]
fn real_names_do_not_repeat_their_group_or_carry_all_of() {
    let (_, generation) = real();
    let mut repeating = Vec::new();
    for call in operation_rows(generation).values() {
        let rest = call.trim_start_matches("client.");
        let (group, method) = rest.split_once("().").unwrap();
        let method = method.split('(').next().unwrap();
        let words: Vec<&str> = group.split('_').collect();
        let (last, init) = words.split_last().unwrap();
        let mut lasts = vec![last.to_string(), format!("{last}s"), format!("{last}es")];
        lasts.extend(last.strip_suffix('s').map(str::to_owned));
        lasts.extend(last.strip_suffix("ies").map(|stem| format!("{stem}y")));
        let padded = format!("_{method}_");
        let repeats = lasts.iter().any(|last| {
            let mut spelled: Vec<String> = init.iter().map(|w| w.to_string()).collect();
            spelled.push(last.clone());
            [spelled.join("_"), spelled.concat()]
                .iter()
                .any(|form| padded.contains(&format!("_{form}_")))
        });
        if repeats {
            repeating.push(call.clone());
        }
    }
    assert!(
        repeating.is_empty(),
        "{} repeat their group: {repeating:?}",
        repeating.len()
    );
    let all_of: Vec<String> = model_type_names(generation)
        .into_keys()
        .filter(|name| name.contains("AllOf"))
        .collect();
    assert!(all_of.is_empty(), "{all_of:?}");
}
