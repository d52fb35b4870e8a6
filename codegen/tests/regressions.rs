//! Regressions: generator bugs found while writing the test suite, each as the smallest
//! document that showed it, kept so they stay fixed.

mod common;

use common::*;

fn problems(rest: &str) -> Vec<String> {
    rust_problems(&generate(&doc(rest)))
}

fn assert_no_problems(rest: &str) {
    let problems = problems(rest);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn multipart_part_named_like_a_parameter() {
    assert_no_problems(
        "paths:
  /files/{name}:
    post:
      operationId: upload
      parameters: [{name: name, in: path, required: true, schema: {type: string}}]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses: {'204': {description: ok}}
",
    );
}

#[test]
fn operation_named_new() {
    assert_no_problems(
        "paths:\n  /n:\n    get: {operationId: new, responses: {'204': {description: ok}}}\n",
    );
}

#[test]
fn operation_named_request() {
    assert_no_problems(
        "paths:\n  /n:\n    get: {operationId: request, responses: {'204': {description: ok}}}\n",
    );
}

#[test]
fn error_schema_named_undocumented() {
    assert_no_problems(
        "paths:
  /n:
    get:
      operationId: getN
      responses:
        '204': {description: ok}
        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Undocumented'}}}}
components:
  schemas:
    Undocumented: {type: object, properties: {a: {type: string}}}
",
    );
}

#[test]
fn response_enum_named_like_another_builder() {
    assert_no_problems(
        "paths:
  /a:
    get: {operationId: foo, responses: {'200': {description: a, content: {application/json: {schema: {type: string}}}}, '201': {description: b}}}
  /b:
    get: {operationId: fooResponse, responses: {'204': {description: ok}}}
",
    );
}

#[test]
fn status_200_beside_range_2xx() {
    assert_no_problems(
        "paths:\n  /a:\n    get: {operationId: foo, responses: {'200': {description: a}, '2XX': {description: b}}}\n",
    );
}

#[test]
fn operations_table_keeps_raw_method_names() {
    let generation = generate(&doc(
        "paths:\n  /i:\n    get: {operationId: impl, tags: [Misc], responses: {'204': {description: ok}}}\n",
    ));
    let call = &operation_rows(&generation)["impl"];
    let expression = format!("{}.send()", call);
    assert!(
        syn::parse_str::<syn::Expr>(&expression).is_ok(),
        "the table's call `{call}` does not parse as Rust"
    );
}

#[test]
fn header_parameters_merge_case_insensitively() {
    let generation = generate(&doc("paths:
  /a:
    parameters: [{name: X-Org-Id, in: header, schema: {type: string}}]
    get:
      operationId: foo
      parameters: [{name: x-org-id, in: header, schema: {type: string}}]
      responses: {'204': {description: ok}}
"));
    let apis = &generation.files["src/generated/apis/other.rs"];
    assert_eq!(apis.matches(".header(\"x-org-id\"").count(), 1, "{apis}");
}

#[test]
fn error_bodies_get_distinct_variants() {
    let generation = generate(&doc("paths:
  /a:
    get:
      operationId: foo
      responses:
        '204': {description: ok}
        '400': {description: a, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/E'}}}}}
        '404': {description: b, content: {application/json: {schema: {$ref: '#/components/schemas/EList'}}}}
components:
  schemas:
    E: {type: object, properties: {a: {type: string}}}
    EList: {type: object, properties: {b: {type: string}}}
"));
    let errors = &generation.files["src/generated/errors.rs"];
    assert!(errors.contains("(Vec<models::E>)"), "{errors}");
    assert!(errors.contains("(models::EList)"), "{errors}");
}

#[test]
fn inline_type_names_do_not_depend_on_key_order() {
    let properties = [
        "        a_b: {type: object, properties: {first: {type: string}}}\n",
        "        aB: {type: object, properties: {second: {type: string}}}\n",
    ];
    let text = |first: &str, second: &str| {
        doc(&format!(
            "paths: {{}}\ncomponents:\n  schemas:\n    X:\n      type: object\n      properties:\n{first}{second}"
        ))
    };
    let one = generate(&text(properties[0], properties[1]));
    let other = generate(&text(properties[1], properties[0]));
    assert_eq!(
        one.files["src/generated/models/x.rs"].replace(&one.source.sha256, ""),
        other.files["src/generated/models/x.rs"].replace(&other.source.sha256, "")
    );
}

#[test]
fn plain_wire_name_keeps_its_rust_name() {
    let generation = generate(&doc("paths: {}
components:
  schemas:
    T: {type: object, properties: {_id: {type: string}, id: {type: string}, Self: {type: string}, self_: {type: string}}}
"));
    let models = &generation.files["src/generated/models/t.rs"];
    assert!(models.contains("pub id: Option<String>"), "{models}");
    assert!(!models.contains("rename = \"id\""), "{models}");
    assert!(!models.contains("rename = \"self_\""), "{models}");
}

#[test]
fn diagnostic_in_a_referenced_parameter_points_into_components() {
    let text = doc("paths:
  /a:
    get:
      operationId: getA
      parameters: [{$ref: '#/components/parameters/Fields'}]
      responses: {'204': {description: ok}}
components:
  parameters:
    Fields: {name: fields, in: query, schema: {type: array, items: {type: string}, default: '[]'}}
");
    let generation = generate(&text);
    let pointers: Vec<&str> = generation
        .diagnostics
        .iter()
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(pointers, ["/components/parameters/Fields/schema/default"]);
}

#[test]
fn settings_error_in_a_list_names_a_json_pointer() {
    let error = codegen::Settings::from_yaml("cross_cutting_tags: [Graph, [x]]\n").unwrap_err();
    assert_eq!(error.pointer, "/cross_cutting_tags/1");
}

#[test]
fn default_of_a_recursive_type_terminates() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/recursion.yaml"),
    )
    .unwrap();
    let generation = generate(&text);
    assert_eq!(recursive_defaults(&generation), Vec::<String>::new());
}

#[test]
fn default_of_a_required_self_reference_terminates() {
    let generation = generate(&doc("paths: {}
components:
  schemas:
    Node: {type: object, required: [next], properties: {next: {$ref: '#/components/schemas/Node'}}}
"));
    assert_eq!(recursive_defaults(&generation), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Found by fuzzing (`docfuzz`): each is the minimized document of a case, with its seed.

/// docfuzz case 2801 (seed responses.yaml, mutation ref-loop): two components naming each
/// other, used as a response body, sent the renderer's list check into an endless alias walk;
/// `type A = B; type B = A;` would not compile either.
#[test]
fn components_that_only_name_each_other() {
    let generation = generate(&doc("paths:
  /shared:
    get:
      responses:
        '200': {$ref: '#/components/responses/ThingResponse'}
components:
  responses:
    ThingResponse:
      description: a thing
      content: {application/json: {schema: {$ref: '#/components/schemas/LoopA'}}}
  schemas:
    LoopA: {$ref: '#/components/schemas/LoopB'}
    LoopB: {$ref: '#/components/schemas/LoopA'}
    Rows: {type: array, items: {$ref: '#/components/schemas/Rows'}}
"));
    assert_eq!(
        warnings(&generation),
        [
            "warning: /components/schemas/LoopA: LoopA is defined only through itself; it is read as any JSON",
            "warning: /components/schemas/Rows: Rows is defined only through itself; it is read as any JSON",
        ]
    );
    let models = &generation.files["src/generated/models/l.rs"];
    assert!(
        models.contains("pub type LoopA = ::serde_json::Value;"),
        "{models}"
    );
    assert!(models.contains("pub type LoopB = LoopA;"), "{models}");
    let problems = rust_problems(&generation);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Found by `cargo xtask corpus` on Okta's document: an `allOf` whose members declare no
/// property and refuse undeclared keys is a struct that keeps nothing; its `Model` impl named
/// arguments it never used (54 compiler warnings). Its `read` reads past every key's value.
#[test]
fn a_struct_that_keeps_nothing() {
    let generation = generate(&doc("paths: {}
components:
  schemas:
    Nothing:
      allOf:
        - {type: object, additionalProperties: false}
        - {type: object, additionalProperties: false}
"));
    let models = &generation.files["src/generated/models/n.rs"];
    assert!(models.contains("pub struct Nothing {}"), "{models}");
    assert!(models.contains("_ => rt::skip_field(value)"), "{models}");
    assert!(models.contains("_fields: &mut rt::Fields"), "{models}");
}

/// docfuzz, fixed campaign in a debug build (mutation deep-nesting, 120 levels of
/// `{type: array, items: …}`): the models thread overflowed its stack. Inline schemas now nest
/// at most 32 levels; deeper ones are read as any JSON, with a warning at the first one.
#[test]
fn inline_schemas_nested_too_deep() {
    let mut schema = String::from("{type: string}");
    for _ in 0..120 {
        schema = format!("{{type: array, items: {schema}}}");
    }
    let generation = generate(&doc(&format!(
        "paths: {{}}\ncomponents:\n  schemas:\n    Deep: {schema}\n"
    )));
    let pointer = format!("/components/schemas/Deep{}", "/items".repeat(33));
    assert_eq!(
        warnings(&generation),
        [format!(
            "warning: {pointer}: inline schemas nest deeper than 32 levels; the value is read as any JSON"
        )]
    );
    let models = &generation.files["src/generated/models/d.rs"];
    let vecs = models.matches("Vec<").count();
    // The component and 32 inline levels below it are arrays.
    assert_eq!(vecs, 33, "{models}");
    let problems = rust_problems(&generation);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
