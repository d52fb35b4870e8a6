//! Unit tests of lowering: small documents in, the IR out. Each test asserts on `ir::Api`, not
//! on rendered text (the snapshot tests cover that), so a decision is checked where it is made.
use crate::diagnostics::Diagnostic;
use crate::ir::*;
use crate::{LoadError, OffsetPaging, Paging, Settings, TokenPaging};
use std::collections::BTreeMap;

fn try_lower(
    paths_and_components: &str,
    settings: &Settings,
) -> Result<(Api, Vec<Diagnostic>), LoadError> {
    let text = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{paths_and_components}");
    let loaded = crate::load::load(&text)?;
    let mut diagnostics = Vec::new();
    let api = super::lower(&loaded.document, &loaded.sha256, settings, &mut diagnostics)?;
    Ok((api, diagnostics))
}

fn lower_with(document: &str, settings: &Settings) -> Api {
    try_lower(document, settings)
        .unwrap_or_else(|error| panic!("lowering failed: {error}"))
        .0
}

/// Lowers with every component kept: most tests here look at schemas no operation reaches.
fn lower(document: &str) -> Api {
    lower_with(document, &keep_all())
}

fn keep_all() -> Settings {
    Settings {
        keep_schemas: vec![super::KEEP_ALL.to_owned()],
        ..Settings::default()
    }
}

#[test]
fn a_json_string_offered_beside_a_file_format_reads_as_bytes() {
    let api = lower(
        "paths:
  /report:
    get:
      operationId: report
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: string}}
            text/csv: {schema: {type: string}}
  /name:
    get:
      operationId: name
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
",
    );
    assert_eq!(
        operation(&api, "report").success[0].body,
        ResponseBody::Bytes {
            media_types: vec!["application/json".into(), "text/csv".into()]
        }
    );
    assert_eq!(
        operation(&api, "name").success[0].body,
        ResponseBody::Json(TypeRef::String)
    );
}

#[test]
fn only_types_an_operation_reaches_or_the_settings_keep_are_generated() {
    let document = "paths:
  /things:
    post:
      operationId: make
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
      responses:
        '201': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Made'}}}}
        '400': {description: no, x-do-not-generate: true, content: {application/json: {schema: {$ref: '#/components/schemas/Oops'}}}}
        '500': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}}
components:
  schemas:
    Thing: {type: object, properties: {part: {$ref: '#/components/schemas/Part'}}}
    Part: {type: object, properties: {size: {type: integer}}}
    Made: {allOf: [{$ref: '#/components/schemas/Base'}, {properties: {id: {type: string}}}]}
    Base: {type: object, properties: {at: {type: string}}}
    Oops: {type: object, properties: {why: {type: string}}}
    Failure: {type: object, properties: {message: {type: string}}}
    Unused: {type: object, properties: {x: {type: string}}}
    Asked: {type: object, properties: {y: {type: string}}}
";
    let api = lower_with(document, &Settings::default());
    let names: Vec<&str> = api.types.keys().map(String::as_str).collect();
    // `Base` is merged into `Made`; `Oops` is the body of a response the document opts out of.
    assert_eq!(names, ["Failure", "Made", "Part", "Thing"]);
    let make = operation(&api, "make");
    let bodies: Vec<(Option<u16>, bool)> = make
        .errors
        .iter()
        .map(|e| (e.status, e.body.is_some()))
        .collect();
    assert_eq!(bodies, [(Some(400), false), (Some(500), true)]);
    let asked = Settings {
        keep_schemas: vec!["Asked".to_owned()],
        ..Settings::default()
    };
    let api = lower_with(document, &asked);
    assert!(api.types.contains_key("Asked"));
    assert!(!api.types.contains_key("Unused"));
    let all = lower_with(document, &keep_all());
    assert!(all.types.contains_key("Unused") && all.types.contains_key("Base"));
}

fn paging() -> Settings {
    Settings {
        paging: Paging {
            offset: Some(OffsetPaging {
                limit: "limit".into(),
                skip: "skip".into(),
            }),
            token: Some(TokenPaging {
                param_contains: "token".into(),
                next_prefix: "next".into(),
            }),
        },
        ..Settings::default()
    }
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|op| op.operation_id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &api.types[name].kind {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, name: &str, wire: &str) -> &'a Field {
    fields(api, name)
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("{name} has no field {wire}"))
}

fn slot_summary(op: &Operation) -> Vec<(String, SlotRole)> {
    op.slots
        .iter()
        .map(|slot| (slot.rust_name.clone(), slot.role))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// References

#[test]
fn references_to_references_resolve_for_every_section() {
    let api = lower(
        r#"
paths:
  /things/{id}:
    post:
      operationId: make
      parameters:
        - $ref: '#/components/parameters/IdAlias'
      requestBody: {$ref: '#/components/requestBodies/BodyAlias'}
      responses:
        "200": {$ref: '#/components/responses/OkAlias'}
components:
  parameters:
    IdAlias: {$ref: '#/components/parameters/Id'}
    Id: {name: id, in: path, required: true, schema: {type: string}}
  requestBodies:
    BodyAlias: {$ref: '#/components/requestBodies/Body'}
    Body: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/ThingAlias'}}}}
  responses:
    OkAlias: {$ref: '#/components/responses/Ok'}
    Ok: {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
  schemas:
    ThingAlias: {$ref: '#/components/schemas/Thing'}
    Thing: {type: object, properties: {name: {type: string}}}
"#,
    );
    assert_eq!(
        api.types["ThingAlias"].kind,
        TypeKind::Alias(TypeRef::Named("Thing".into()))
    );
    let op = operation(&api, "make");
    assert_eq!(op.params[0].wire_name, "id");
    // The pointer of a referenced parameter is where it is finally defined.
    assert_eq!(
        op.params[0].pointer,
        "/paths/~1things~1{id}/post/parameters/0"
    );
    let body = op.body.as_ref().unwrap();
    assert!(body.required);
    assert_eq!(
        body.kind,
        BodyKind::Json(TypeRef::Named("ThingAlias".into()))
    );
    assert_eq!(
        op.success[0].body,
        ResponseBody::Json(TypeRef::Named("Thing".into()))
    );
}

#[test]
fn dangling_and_cyclic_references_are_errors_at_their_pointer() {
    let dangling = try_lower(
        r#"
paths:
  /a:
    get:
      parameters: [{$ref: '#/components/parameters/Missing'}]
      responses: {"204": {description: none}}
"#,
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(dangling.pointer, "/paths/~1a/get/parameters/0");
    assert!(
        dangling.message.contains("unresolved reference"),
        "{dangling}"
    );

    let cycle = try_lower(
        r#"
paths:
  /a:
    get:
      requestBody: {$ref: '#/components/requestBodies/A'}
      responses: {"204": {description: none}}
components:
  requestBodies:
    A: {$ref: '#/components/requestBodies/B'}
    B: {$ref: '#/components/requestBodies/A'}
"#,
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(cycle.pointer, "/paths/~1a/get/requestBody");
    assert!(cycle.message.contains("reference cycle"), "{cycle}");

    let foreign = try_lower(
        r#"
paths: {}
components:
  schemas:
    A: {type: object, properties: {b: {$ref: 'other.yaml#/B'}}}
"#,
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(foreign.pointer, "/components/schemas/A/properties/b");
}

// ---------------------------------------------------------------------------------------------
// Schemas and names

#[test]
fn inline_schemas_are_named_from_their_owner_and_never_take_a_component_name() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    PetOwner: {type: object, properties: {id: {type: string}}}
    Pet:
      type: object
      properties:
        owner: {type: object, properties: {name: {type: string}}}
        tags: {type: array, items: {type: object, properties: {label: {type: string}}}}
        labels: {type: object, additionalProperties: {type: object, properties: {v: {type: string}}}}
"#,
    );
    // `PetOwner` is a component, so the inline owner takes the next free name.
    assert_eq!(
        field(&api, "Pet", "owner").ty,
        TypeRef::Named("PetOwner2".into())
    );
    assert_eq!(
        field(&api, "Pet", "tags").ty,
        TypeRef::Vec(Box::new(TypeRef::Named("PetTag".into())))
    );
    assert_eq!(
        field(&api, "Pet", "labels").ty,
        TypeRef::Map(Box::new(TypeRef::Named("PetLabelsValue".into())))
    );
    assert_eq!(
        api.types["PetOwner2"].origin,
        "/components/schemas/Pet/properties/owner"
    );
}

#[test]
fn field_shapes_follow_the_leniency_setting() {
    let document = r#"
paths: {}
components:
  schemas:
    Node:
      type: object
      required: [id, note, tags, next, stamp]
      properties:
        id: {type: string}
        note: {type: string, nullable: true}
        tags: {type: array, items: {type: string}}
        next: {$ref: '#/components/schemas/Node'}
        stamp: {type: string, readOnly: true}
        extra: {type: integer}
"#;
    let strict = lower(document);
    let shape = |api: &Api, wire| field(api, "Node", wire).shape;
    assert_eq!(shape(&strict, "id"), FieldShape::Strict);
    assert_eq!(shape(&strict, "note"), FieldShape::Nullable);
    assert_eq!(shape(&strict, "tags"), FieldShape::Lenient { always: true });
    // Recursive: boxed, and optional so a value can end.
    assert!(field(&strict, "Node", "next").boxed);
    assert_eq!(shape(&strict, "next"), FieldShape::Optional);
    // Read-only fields are never required of a caller.
    assert!(!field(&strict, "Node", "stamp").required);
    assert_eq!(shape(&strict, "stamp"), FieldShape::Optional);
    assert_eq!(shape(&strict, "extra"), FieldShape::Optional);
    assert!(field(&strict, "Node", "id").is_bare());
    assert!(!field(&strict, "Node", "note").is_bare());

    let lenient = lower_with(
        document,
        &Settings {
            null_required_reads_default: true,
            ..keep_all()
        },
    );
    assert_eq!(shape(&lenient, "id"), FieldShape::Required);
    assert_eq!(shape(&lenient, "note"), FieldShape::Nullable);
}

#[test]
fn all_of_merges_fields_and_required_keys_of_every_member() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Base: {type: object, required: [id], properties: {id: {type: string}, kind: {type: string}}}
    Derived:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [kind]
          properties: {extra: {type: boolean}}
"#,
    );
    let derived: Vec<(&str, bool)> = fields(&api, "Derived")
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect();
    assert_eq!(derived, [("extra", false), ("id", true), ("kind", true)]);
}

#[test]
fn alternatives_are_ordered_most_specific_first_with_their_required_keys() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Loose: {type: object, properties: {a: {type: string}}}
    Strict: {type: object, required: [a, b], properties: {a: {type: string}, b: {type: string}}}
    Either:
      oneOf:
        - {type: string}
        - $ref: '#/components/schemas/Loose'
        - $ref: '#/components/schemas/Strict'
"#,
    );
    let TypeKind::Untagged(alternatives) = &api.types["Either"].kind else {
        panic!("Either is not an untagged enum");
    };
    assert_eq!(alternatives.discriminator, None);
    let order: Vec<(&str, Vec<String>)> = alternatives
        .variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.required_keys.clone()))
        .collect();
    assert_eq!(
        order,
        [
            ("Strict", vec!["a".to_owned(), "b".to_owned()]),
            ("Loose", vec![]),
            ("String", vec![]),
        ]
    );
}

#[test]
fn string_enums_keep_document_order_and_reserve_unknown() {
    let api = lower(
        r#"
paths: {}
components:
  schemas:
    Color: {type: string, enum: [red, Unknown, red, "2d", ""]}
"#,
    );
    let TypeKind::Enum(variants) = &api.types["Color"].kind else {
        panic!("Color is not an enum");
    };
    let names: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.value.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("Red", "red"),
            ("Unknown2", "Unknown"),
            ("V2d", "2d"),
            ("Empty", "")
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Operations: parameters and slots

const SLOTS: &str = r#"
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: limit, in: query, description: path-level, schema: {type: string}}
    put:
      operationId: things_put
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: int32}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
        - {name: session, in: cookie, required: true, schema: {type: string}}
        - {name: send, in: query, schema: {type: boolean}}
        - {name: client, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content: {application/json: {schema: {type: array, items: {type: string}}}}
      responses: {"204": {description: none}}
  /things/{id}/logo:
    post:
      operationId: things_logo
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [image]
              properties:
                image: {type: string, format: binary}
                id: {type: string}
      responses: {"204": {description: none}}
"#;

#[test]
fn slots_decide_arguments_and_setters_once() {
    let api = lower_with(
        SLOTS,
        &Settings {
            reserved_builder_names: vec!["send".into()],
            ..Settings::default()
        },
    );
    let put = operation(&api, "things_put");
    use SlotRole::{Argument, Setter};
    assert_eq!(
        slot_summary(put),
        [
            ("id".to_owned(), Argument),
            ("client2".to_owned(), Setter),
            ("limit".to_owned(), Setter),
            ("send2".to_owned(), Setter),
            ("x_trace".to_owned(), Argument),
            // A cookie parameter is a slot like any other (sent in the `Cookie` header).
            ("session".to_owned(), Argument),
            ("body".to_owned(), Argument),
        ]
    );
    // The operation-level `limit` overrides the path-level one; header names are lowercase.
    let limit = put.params.iter().find(|p| p.wire_name == "limit").unwrap();
    assert_eq!(limit.ty, TypeRef::I32);
    assert!(put.params.iter().any(|p| p.wire_name == "x-trace"));
    let cookie = put
        .params
        .iter()
        .find(|p| p.location == ParamLocation::Cookie)
        .unwrap();
    assert_eq!(
        (cookie.wire_name.as_str(), cookie.required),
        ("session", true)
    );
    assert_eq!(
        put.slots.last().map(|s| &s.value),
        Some(&SlotValue::JsonBody(TypeRef::Vec(Box::new(
            TypeRef::String
        ))))
    );

    // An optional multipart body: every part is a setter, even a required one; a part and a
    // parameter of one name cannot collide.
    let logo = operation(&api, "things_logo");
    assert_eq!(
        slot_summary(logo),
        [
            ("id".to_owned(), Argument),
            ("id2".to_owned(), Setter),
            ("image".to_owned(), Setter),
        ]
    );
}

#[test]
fn undeclared_path_parameters_are_added_with_a_warning() {
    let (api, diagnostics) = try_lower(
        r#"
paths:
  /a/{x}/{y}:
    get:
      operationId: get_a
      parameters:
        - {name: y, in: path, required: true, schema: {type: integer}}
        - {name: z, in: path, required: true, schema: {type: integer}}
      responses: {"204": {description: none}}
"#,
        &Settings::default(),
    )
    .unwrap();
    let op = operation(&api, "get_a");
    let params: Vec<(&str, &TypeRef)> = op
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), &p.ty))
        .collect();
    // Template order; `z` is not in the template and is dropped.
    assert_eq!(params, [("x", &TypeRef::String), ("y", &TypeRef::I64)]);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].pointer, "/paths/~1a~1{x}~1{y}/get");
    assert!(diagnostics[0].message.contains("\"x\" is not declared"));
}

// ---------------------------------------------------------------------------------------------
// Responses and error bodies

#[test]
fn success_variants_error_bodies_and_decoders_are_named_in_the_ir() {
    let api = lower(
        r#"
paths:
  /a:
    get:
      operationId: get_a
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
        "201": {description: created}
        "2XX": {description: other, content: {application/json: {schema: {type: integer}}}}
        "404": {description: missing, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
        "409": {description: conflict, content: {text/plain: {schema: {type: string}}}}
        default: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
  /b:
    get:
      operationId: get_b
      responses:
        "200": {description: ok}
        "400": {description: bad, content: {application/json: {schema: {type: string}}}}
components:
  schemas:
    Error: {type: object, properties: {message: {type: string}}}
"#,
    );
    let a = operation(&api, "get_a");
    let successes: Vec<(u16, &str)> = a
        .success
        .iter()
        .map(|s| (s.status, s.variant.as_str()))
        .collect();
    // `2XX` stands for 200, which an exact code already documents.
    assert_eq!(successes, [(200, "Ok"), (201, "Created")]);
    assert_eq!(a.response_enum.as_deref(), Some("GetAResponse"));

    let bodies: Vec<(&TypeRef, &str, &str)> = api
        .error_bodies
        .iter()
        .map(|b| (&b.ty, b.variant.as_str(), b.decoder.as_str()))
        .collect();
    assert_eq!(
        bodies,
        [
            (&TypeRef::Named("Error".into()), "Error", "decode_error"),
            (&TypeRef::String, "String", "decode_string"),
        ]
    );
    let decoded: Vec<(Option<u16>, Option<&str>)> = a
        .errors
        .iter()
        .map(|e| (e.status, e.decoded_as.as_ref().map(|n| n.variant.as_str())))
        .collect();
    // A non-JSON error body has no schema to decode into.
    assert_eq!(
        decoded,
        [
            (Some(404), Some("Error")),
            (Some(409), None),
            (None, Some("Error")),
        ]
    );
    let b = operation(&api, "get_b");
    assert_eq!(b.response_enum, None);
    assert_eq!(
        b.errors[0].decoded_as.as_ref().map(|n| n.decoder.as_str()),
        Some("decode_string")
    );
}

// ---------------------------------------------------------------------------------------------
// Pagination and groups

const LISTS: &str = r#"
paths:
  /offset:
    get:
      operationId: offset_list
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: skip, in: query, schema: {type: integer}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {type: string}}}}}
  /token:
    get:
      operationId: token_list
      parameters:
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {type: integer}}
                  nextPageToken: {type: string}
"#;

#[test]
fn paging_conventions_come_from_settings() {
    let without = lower(LISTS);
    assert!(without.operations.iter().all(|op| op.pagination.is_none()));
    // Decoded item by item when the body is a list, whatever the paging.
    assert!(operation(&without, "offset_list").success[0].list);
    assert!(!operation(&without, "token_list").success[0].list);

    let api = lower_with(LISTS, &paging());
    let offset = operation(&api, "offset_list").pagination.as_ref().unwrap();
    assert_eq!(
        offset.kind,
        PageKind::Offset {
            limit: "limit".into(),
            skip: "skip".into()
        }
    );
    assert_eq!(
        (&offset.item, &offset.items_field),
        (&TypeRef::String, &None)
    );

    let token = operation(&api, "token_list").pagination.as_ref().unwrap();
    assert_eq!(
        token.kind,
        PageKind::Token {
            param: "page_token".into(),
            next: ResponseField {
                rust_name: "next_page_token".into(),
                required: false
            }
        }
    );
    assert_eq!(
        token.items_field,
        Some(ResponseField {
            rust_name: "items".into(),
            required: true
        })
    );
}

#[test]
fn operations_go_to_their_broadest_resource_tag() {
    let api = lower_with(
        r#"
paths:
  /a:
    get: {operationId: a1, tags: [Graph, Users], responses: {"204": {description: none}}}
    post: {operationId: a2, tags: [Users], responses: {"204": {description: none}}}
  /b:
    get: {operationId: b1, tags: [Graph], responses: {"204": {description: none}}}
    post: {responses: {"204": {description: none}}}
"#,
        &Settings {
            cross_cutting_tags: vec!["Graph".into()],
            ..Settings::default()
        },
    );
    let groups: Vec<(&str, &str, &str)> = api
        .operations
        .iter()
        .map(|op| {
            (
                op.operation_id.as_str(),
                op.group.module.as_str(),
                op.method_name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("a1", "users", "get_a1"),
            ("a2", "users", "create_a2"),
            ("b1", "graph", "get_b1"),
            // No operationId: the method and the path's words; no tag: `other`.
            ("post_b", "other", "post_b"),
        ]
    );
    assert_eq!(operation(&api, "a1").group.type_name, "UsersApi");
}

#[test]
fn a_discriminator_tags_each_alternative_by_mapping_or_component_name() {
    let (api, diagnostics) = try_lower(
        r#"
paths: {}
components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
        - {type: object, properties: {petType: {type: string}}}
      discriminator:
        propertyName: petType
        mapping: {cat: '#/components/schemas/Cat', kitten: Cat, fish: '#/components/schemas/Fish'}
    Cat: {type: object, properties: {petType: {type: string}}}
    Dog: {type: object, properties: {petType: {type: string}}}
"#,
        &keep_all(),
    )
    .unwrap();
    let TypeKind::Untagged(alternatives) = &api.types["Pet"].kind else {
        panic!("Pet is not an enum of alternatives");
    };
    assert_eq!(alternatives.discriminator.as_deref(), Some("petType"));
    let tags: BTreeMap<&str, Vec<String>> = alternatives
        .variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.tags.clone()))
        .collect();
    assert_eq!(tags["Cat"], ["cat", "kitten"]);
    // No mapping entry: the component's name.
    assert_eq!(tags["Dog"], ["Dog"]);
    // Inline and unmapped: no value selects it.
    assert_eq!(tags["PetVariant2"], Vec::<String>::new());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].pointer,
        "/components/schemas/Pet/discriminator/mapping/fish"
    );
}

/// Two groups, `a` and `b`: a type each reaches alone goes with its group's shard; one both
/// reach, an error body, what an error body reaches, and a kept type no group reaches go to
/// the core; the heavier group is dealt first.
#[test]
fn the_split_puts_shared_types_and_error_bodies_in_the_core_and_the_rest_with_their_group() {
    let settings = Settings {
        keep_schemas: vec!["Kept".to_owned()],
        split: Some(crate::SplitSettings {
            core: "sdk-core".into(),
            shard_prefix: "sdk-shard".into(),
            shards: std::num::NonZeroUsize::new(2).expect("two"),
        }),
        ..Settings::default()
    };
    let api = lower_with(
        "paths:
  /a:
    get:
      operationId: a_get
      tags: [a]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/OnlyA'}}}
        '404':
          description: no
          content: {application/json: {schema: {$ref: '#/components/schemas/Failure'}}}
    post:
      operationId: a_post
      tags: [a]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Both'}}}}
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: b_get
      tags: [b]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/OnlyB'}}}
    put:
      operationId: b_put
      tags: [b]
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Both'}}}}
      responses: {'204': {description: ok}}
components:
  schemas:
    OnlyA: {type: object, properties: {x: {type: string}}}
    OnlyB: {type: object, properties: {y: {$ref: '#/components/schemas/OnlyBInner'}}}
    OnlyBInner: {type: object, properties: {z: {type: string}, w: {type: string}}}
    Both: {type: object, properties: {n: {type: integer}}}
    Failure: {type: object, properties: {detail: {$ref: '#/components/schemas/Detail'}}}
    Detail: {type: object, properties: {code: {type: string}}}
    Kept: {type: object, properties: {k: {type: string}}}
",
        &settings,
    );
    let layout = api.layout.as_ref().expect("the settings split the code");
    assert_eq!(layout.core, "sdk-core");
    let shard = |name: &str| layout.shard_of_type(name);
    // `b` has the larger types (three fields against one): dealt first, to the first shard.
    assert_eq!(layout.shard_of_group("b"), Some(0));
    assert_eq!(layout.shard_of_group("a"), Some(1));
    assert_eq!(layout.shards[0].package, "sdk-shard-1");
    assert_eq!(layout.shards[0].groups, ["b"]);
    assert_eq!(layout.shards[1].groups, ["a"]);
    assert_eq!(shard("OnlyA"), Some(1));
    assert_eq!(shard("OnlyB"), Some(0));
    assert_eq!(shard("OnlyBInner"), Some(0));
    for core in ["Both", "Failure", "Detail", "Kept"] {
        assert!(api.types.contains_key(core), "{core} is generated");
        assert_eq!(shard(core), None, "{core} is in the core");
    }
}

#[test]
fn without_split_settings_there_is_no_layout() {
    let api = lower(
        "paths: {}
components:
  schemas:
    A: {type: object}
",
    );
    assert!(api.layout.is_none());
}
