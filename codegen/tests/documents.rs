//! One SDK from several documents: shared groups, a clashing schema name, each operation's
//! service, regions from the servers' region extension, and one lock section per document.
use codegen::lock::NameContext;
use codegen::{generate_documents, lower_documents, Input, Settings};

const NEW: &str = r##"
openapi: 3.1.0
info: {title: Things API, version: "2"}
servers:
  - {url: "https://api.example.com/v2", x-region: us, description: United States}
  - {url: "https://api.eu.example.com/v2", x-region: eu, description: Europe}
paths:
  /things/{id}/links:
    get:
      operationId: things_listLinks
      tags: [Things]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Links"}}}}
        "404": {description: gone, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
components:
  schemas:
    Links: {type: object, properties: {ids: {type: array, items: {type: string}}}}
    Error: {type: object, properties: {message: {type: string}}}
"##;

const OLD: &str = r##"
openapi: 3.1.0
info: {title: Things API, version: "1"}
servers:
  - {url: "https://api.example.com/v1", x-region: us}
  - {url: "https://old.eu.example.com/v1", x-region: eu}
paths:
  /things:
    get:
      operationId: things_list
      tags: [things]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Thing"}}}}}
        "500": {description: down, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
components:
  schemas:
    Thing: {type: object, properties: {id: {type: string}}}
    Error: {type: object, properties: {code: {type: integer}}}
"##;

fn settings() -> Settings {
    Settings::from_yaml(
        "documents:\n  - {name: v2, base_path: /v2}\n  - {name: v1, base_path: /v1}\n\
         region_extension: x-region\n",
    )
    .unwrap()
}

fn inputs() -> [Input<'static>; 2] {
    inputs_with(OLD)
}

/// The new document and `old` as v1.
fn inputs_with(old: &str) -> [Input<'_>; 2] {
    [
        Input {
            name: "v2",
            text: NEW,
        },
        Input {
            name: "v1",
            text: old,
        },
    ]
}

#[test]
fn documents_share_groups_and_the_first_keeps_a_clashing_name() {
    let (api, diagnostics) =
        lower_documents(&inputs(), &settings(), &NameContext::default()).unwrap();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let calls: Vec<(String, usize)> = api
        .operations
        .iter()
        .map(|op| {
            (
                format!("{}.{}", op.group.module, op.method_name),
                op.service,
            )
        })
        .collect();
    assert_eq!(
        calls,
        // In document order; `things` and `Things` are one group.
        [
            ("things.list_links".to_owned(), 0),
            ("things.list".to_owned(), 1)
        ]
    );
    assert!(api.types.contains_key("Error"), "v2 keeps `Error`");
    assert_eq!(api.types["V1Error"].document, 1, "v1's is prefixed");
    let services: Vec<(&str, &str, &[String])> = api
        .services
        .iter()
        .map(|s| (&*s.name, &*s.variant, s.region_urls.as_slice()))
        .collect();
    assert_eq!(
        services,
        [
            (
                "v2",
                "V2",
                &[
                    "https://api.example.com/v2".to_owned(),
                    "https://api.eu.example.com/v2".to_owned()
                ][..]
            ),
            (
                "v1",
                "V1",
                &[
                    "https://api.example.com/v1".to_owned(),
                    "https://old.eu.example.com/v1".to_owned()
                ][..]
            ),
        ]
    );
    let regions: Vec<(&str, &str)> = api
        .regions
        .iter()
        .map(|r| (&*r.code, &*r.variant))
        .collect();
    assert_eq!(regions, [("us", "Us"), ("eu", "Eu")]);
    let sections: Vec<&String> = api.lock.documents.keys().collect();
    assert_eq!(sections, ["v1", "v2"]);
    assert_eq!(
        api.lock.documents["v1"].types["/components/schemas/Error"].name,
        "V1Error"
    );
}

#[test]
fn generated_code_sends_each_operation_to_its_service() {
    let generation = generate_documents(&inputs(), &settings(), &NameContext::default()).unwrap();
    let things = &generation.files["src/generated/apis/things.rs"];
    assert!(things.contains("crate::Service::V1"), "{things}");
    assert!(things.contains("crate::Service::V2"), "{things}");
    let services = &generation.files["src/generated/services.rs"];
    for needle in [
        "(Service::V1, Region::Eu) => \"https://old.eu.example.com/v1\"",
        "pub const ALL: &'static [Region] = &[Region::Us, Region::Eu];",
    ] {
        let squeeze = |t: &str| t.split_whitespace().collect::<String>();
        assert!(
            squeeze(services).contains(&squeeze(needle)),
            "{needle}\n{services}"
        );
    }
    assert!(generation.files["OPERATIONS.md"].contains("| v1 | things_list | GET | `/things` |"));
}

#[test]
fn a_server_outside_the_base_path_and_a_missing_region_are_reported() {
    let old = OLD.replace(
        "https://old.eu.example.com/v1\", x-region: eu",
        "https://api.eu.example.com/api\"",
    );
    let inputs = inputs_with(&old);
    let (api, diagnostics) =
        lower_documents(&inputs, &settings(), &NameContext::default()).unwrap();
    let shown: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "warning: v1#/servers: no server in region eu: its first server is used",
            "warning: v1#/servers/1/url: https://api.eu.example.com/api does not end in the base path /v1",
        ]
    );
    assert_eq!(api.services[1].region_urls[1], "https://api.example.com/v1");
}

#[test]
fn an_error_names_its_document() {
    let broken = OLD.replace(
        "$ref: \"#/components/schemas/Thing\"",
        "$ref: \"#/components/schemas/Nope\"",
    );
    let inputs = inputs_with(&broken);
    let error = lower_documents(&inputs, &settings(), &NameContext::default()).unwrap_err();
    assert!(
        error.pointer.starts_with("v1#/paths/~1things/get"),
        "{error}"
    );
}

#[test]
fn a_later_document_that_cannot_load_is_named_and_the_first_failure_wins() {
    // Documents after the first load on threads of their own; their errors still come back
    // with the document's name, in input order.
    let broken = OLD.replace(
        "info: {title: Things API, version: \"1\"}",
        "info: [not, a, map]",
    );
    let inputs = inputs_with(&broken);
    let error = lower_documents(&inputs, &settings(), &NameContext::default()).unwrap_err();
    assert_eq!(error.pointer, "v1#/info", "{error}");

    let both = [
        Input {
            name: "v2",
            text: "openapi: 2.0",
        },
        inputs[1],
    ];
    let error = lower_documents(&both, &settings(), &NameContext::default()).unwrap_err();
    assert!(error.pointer.starts_with("v2#"), "{error}");
}
