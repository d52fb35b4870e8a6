//! A spec update through the name lock and `diff`: names that survive it, deliberate renames
//! that leave deprecated aliases, and how each difference a caller would notice is classified.

mod common;

use codegen::diff::{self, Class, Kind};
use codegen::lock::{NameContext, NameLock};
use codegen::surface::Surface;
use codegen::Settings;
use common::*;

fn lower(text: &str, lock: &NameLock) -> codegen::ir::Api {
    lower_in(text, lock, false, "0.1.0")
}

fn lower_in(text: &str, lock: &NameLock, rederive: bool, version: &str) -> codegen::ir::Api {
    lower_with_settings(text, lock, rederive, version, &Settings::default())
}

fn lower_with_settings(
    text: &str,
    lock: &NameLock,
    rederive: bool,
    version: &str,
    settings: &Settings,
) -> codegen::ir::Api {
    let context = NameContext {
        lock: lock.clone(),
        rederive,
        crate_version: version.into(),
        ..NameContext::default()
    };
    codegen::lower_with(text, settings, &context)
        .unwrap_or_else(|e| panic!("{e}"))
        .0
}

fn calls(api: &codegen::ir::Api) -> Vec<(String, String)> {
    let mut calls: Vec<(String, String)> = api
        .operations
        .iter()
        .map(|op| {
            let endpoint = format!("{} {}", op.method.as_str(), op.path);
            (endpoint, format!("{}.{}", op.group.module, op.method_name))
        })
        .collect();
    calls.sort();
    calls
}

const BEFORE: &str = "paths:
  /things:
    get: {operationId: things_listAll, tags: [Things], responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}}}}
  /things/{id}:
    get:
      operationId: things_get
      tags: [Things]
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
        kind: {type: string, enum: [big, small]}
";

/// The operationIds, a path parameter's name and a component's key all change; nothing else.
const RENAMED_IN_THE_DOCUMENT: &str = "paths:
  /things:
    get: {operationId: ListThings, tags: [Things], responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/thing.Item'}}}}}}}
  /things/{thing_id}:
    get:
      operationId: GetThing
      tags: [Things]
      parameters: [{name: thing_id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/thing.Item'}}}}}
components:
  schemas:
    thing.Item:
      type: object
      properties:
        name: {type: string}
        kind: {type: string, enum: [big, small]}
";

#[test]
fn calls_and_type_names_survive_new_operation_ids_parameter_names_and_component_keys() {
    let before = lower(&doc(BEFORE), &NameLock::default());
    assert_eq!(
        calls(&before),
        [
            ("GET /things".to_owned(), "things.list_all".to_owned()),
            ("GET /things/{id}".to_owned(), "things.get".to_owned()),
        ]
    );
    let fresh = lower(&doc(RENAMED_IN_THE_DOCUMENT), &NameLock::default());
    assert!(
        fresh.types.contains_key("ThingItem"),
        "without the lock the name follows the key"
    );
    let after = lower(&doc(RENAMED_IN_THE_DOCUMENT), &before.lock);
    let kept: Vec<String> = calls(&after).into_iter().map(|(_, call)| call).collect();
    assert_eq!(kept, ["things.list_all", "things.get"]);
    // The component's shape is unchanged: it keeps its type name, and its inline enum too.
    assert!(
        after.types.contains_key("Thing"),
        "{:?}",
        after.types.keys()
    );
    assert!(
        after.types.contains_key("ThingKind"),
        "{:?}",
        after.types.keys()
    );
    assert!(!after.types.contains_key("ThingItem"));
    let report = diff::compare(&Surface::of(&before), &Surface::of(&after));
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
}

#[test]
fn an_operation_that_moves_keeps_its_call_by_operation_id() {
    let before = lower(&doc(BEFORE), &NameLock::default());
    let moved = doc(&BEFORE.replace("/things/{id}:", "/v2/things/{id}:"));
    let after = lower(&moved, &before.lock);
    assert!(calls(&after).contains(&("GET /v2/things/{id}".to_owned(), "things.get".to_owned())));
    let report = diff::compare(&Surface::of(&before), &Surface::of(&after));
    let kinds: Vec<(Class, Kind)> = report.changes.iter().map(|c| (c.class, c.kind)).collect();
    assert_eq!(kinds, [(Class::Compatible, Kind::OperationMoved)]);
}

#[test]
fn rederived_names_leave_deprecated_aliases_for_one_release() {
    // A lock that names the list call the way an older rule did.
    let mut lock = lower(&doc(BEFORE), &NameLock::default()).lock;
    let section = lock.documents.get_mut("").unwrap();
    let list = section.operations.get_mut("GET /things").unwrap();
    list.call = "things.things_list_all".into();
    list.builder = "ThingsListAll".into();
    let kept = lower(&doc(BEFORE), &lock);
    assert!(calls(&kept).contains(&(
        "GET /things".to_owned(),
        "things.things_list_all".to_owned()
    )));

    let rederived = lower_in(&doc(BEFORE), &lock, true, "0.1.0");
    let op = rederived
        .operations
        .iter()
        .find(|op| op.path == "/things")
        .unwrap();
    assert_eq!(op.method_name, "list_all");
    assert_eq!(op.renamed_from.len(), 1);
    assert_eq!(op.renamed_from[0].method_name, "things_list_all");
    let alias = &rederived.lock.documents[""].operations["GET /things"].renamed_from[0];
    assert_eq!(alias.deprecated_in, "0.2.0");
    let files = codegen::render::render(&rederived);
    let things = &files["src/generated/apis/things.rs"];
    assert!(
        things.contains("#[deprecated(note = \"renamed to `list_all`\")]"),
        "{things}"
    );
    assert!(
        things.contains("pub fn things_list_all(&self) -> ListAll<'a>"),
        "{things}"
    );
    assert!(
        things.contains("pub type ThingsListAll<'a> = ListAll<'a>;"),
        "{things}"
    );
    // The rename is compatible for callers while the alias lasts.
    let report = diff::compare(&Surface::of(&kept), &Surface::of(&rederived));
    let kinds: Vec<(Class, Kind)> = report.changes.iter().map(|c| (c.class, c.kind)).collect();
    assert_eq!(kinds, [(Class::Compatible, Kind::OperationRenamed)]);

    // Still shipped in 0.2.0; gone once the crate is past it.
    let in_release = lower_in(&doc(BEFORE), &rederived.lock, false, "0.2.0");
    let list = |api: &codegen::ir::Api| {
        let op = api
            .operations
            .iter()
            .find(|op| op.path == "/things")
            .unwrap();
        op.renamed_from.len()
    };
    assert_eq!(list(&in_release), 1);
    let after_release = lower_in(&doc(BEFORE), &rederived.lock, false, "0.3.0");
    assert_eq!(list(&after_release), 0);
}

#[test]
fn a_maintainers_rename_in_the_settings_leaves_an_alias() {
    let before = lower(&doc(BEFORE), &NameLock::default());
    let settings =
        Settings::from_yaml("naming: {renames: {'GET /things/{thing_id}': fetch}}").unwrap();
    let renamed = lower_with_settings(&doc(BEFORE), &before.lock, false, "0.1.0", &settings);
    assert!(calls(&renamed).contains(&("GET /things/{id}".to_owned(), "things.fetch".to_owned())));
    let op = renamed
        .operations
        .iter()
        .find(|op| op.method_name == "fetch")
        .unwrap();
    assert_eq!(op.renamed_from[0].method_name, "get");
    // Regenerating again changes nothing: the rename is in the lock, the alias kept.
    let again = lower_with_settings(&doc(BEFORE), &renamed.lock, false, "0.1.0", &settings);
    assert_eq!(again.lock, renamed.lock);
    let report = diff::compare(&Surface::of(&before), &Surface::of(&renamed));
    let kinds: Vec<(Class, Kind)> = report.changes.iter().map(|c| (c.class, c.kind)).collect();
    assert_eq!(kinds, [(Class::Compatible, Kind::OperationRenamed)]);
}

#[test]
fn each_change_a_caller_notices_is_classified_with_its_reason() {
    let before = lower(&doc(BEFORE), &NameLock::default());
    let changed = doc("paths:
  /things:
    get:
      operationId: things_listAll
      tags: [Things]
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}}}}}
    post:
      operationId: things_create
      tags: [Things]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}
      responses: {'204': {description: ok}}
  /things/{id}:
    get:
      operationId: things_get
      tags: [Things]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: view, in: query, required: true, schema: {type: string}}
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}
components:
  schemas:
    Thing:
      type: object
      required: [size]
      properties:
        kind: {type: string, enum: [big, huge]}
        size: {type: integer}
        note: {type: string}
");
    let after = lower(&changed, &before.lock);
    let report = diff::compare(&Surface::of(&before), &Surface::of(&after));
    let found: Vec<(Class, Kind, &str)> = report
        .changes
        .iter()
        .map(|c| (c.class, c.kind, c.what.as_str()))
        .collect();
    let expect = [
        (
            Class::Breaking,
            Kind::ParameterAdded,
            "required parameter `view: String` added",
        ),
        (Class::Breaking, Kind::FieldAdded, "field `size: i64` added"),
        (
            Class::Breaking,
            Kind::FieldRemoved,
            "field `name: Option<String>` removed",
        ),
        (
            Class::Breaking,
            Kind::EnumValueRemoved,
            "value `small` removed",
        ),
        (
            Class::Compatible,
            Kind::OperationAdded,
            "added (`POST /things`)",
        ),
        (
            Class::Compatible,
            Kind::ParameterAdded,
            "optional parameter `limit: i64` added",
        ),
        (
            Class::Compatible,
            Kind::FieldAdded,
            "field `note: Option<String>` added",
        ),
        (
            Class::Compatible,
            Kind::EnumValueAdded,
            "value `huge` added",
        ),
    ];
    for wanted in expect {
        assert!(found.contains(&wanted), "{wanted:?} not in {found:#?}");
    }
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    assert_eq!(report.breaking(), 4);
    assert!(
        report
            .summary()
            .starts_with("4 breaking, 4 compatible changes ("),
        "{}",
        report.summary()
    );
    let markdown = report.markdown("t");
    assert!(markdown.contains("| `things.get` | required parameter `view: String` added | every call needs a new argument |"), "{markdown}");
}

#[test]
fn a_surface_survives_its_text_form() {
    let api = lower(&doc(BEFORE), &NameLock::default());
    let surface = Surface::of(&api);
    let text = surface.to_text();
    assert!(text.starts_with("// @generated"));
    assert_eq!(Surface::from_text(&text).unwrap(), surface);
    let err = Surface::from_text("{\"nonsense\": 1}\n").unwrap_err();
    assert!(err.starts_with("line 1: "), "{err}");
}

/// A schema that is gone leaves its name free: the one that takes its place (here, the same
/// inline object, now the items of a list: a new pointer) gets it rather than
/// `ThingOwner2`.
#[test]
fn the_name_of_a_gone_schema_is_free_again() {
    let before = "paths:
  /thing: {get: {operationId: getThing, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}}}
components:
  schemas:
    Thing: {type: object, properties: {owner: {type: object, properties: {id: {type: string}}}}}
";
    let lock = lower(&doc(before), &NameLock::default()).lock;
    let owner = "/components/schemas/Thing/properties/owner";
    assert_eq!(lock.documents[""].types[owner].name, "ThingOwner");
    let after = "paths:
  /thing: {get: {operationId: getThing, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        owners: {type: array, items: {type: object, properties: {id: {type: string}}}}
";
    let api = lower(&doc(after), &lock);
    let owners: Vec<(&String, &String)> = api
        .types
        .values()
        .filter(|t| t.name.starts_with("ThingOwner"))
        .map(|t| (&t.name, &t.origin))
        .collect();
    assert_eq!(
        owners,
        [(
            &"ThingOwner".to_owned(),
            &"/components/schemas/Thing/properties/owners/items".to_owned()
        )]
    );
}

/// A document of one operation per group, each answering with a type of its own that has the
/// given number of fields: the test sets the groups' sizes.
fn grouped(fields: &[(&str, usize)]) -> String {
    let mut paths = String::new();
    let mut schemas = String::new();
    for (group, count) in fields {
        paths.push_str(&format!(
            "  /{group}:\n    get:\n      operationId: {group}_get\n      tags: [{group}]\n      \
             responses:\n        '200':\n          description: ok\n          content: \
             {{application/json: {{schema: {{$ref: '#/components/schemas/{group}_body'}}}}}}\n"
        ));
        let properties: Vec<String> = (0..*count)
            .map(|i| format!("f{i}: {{type: string}}"))
            .collect();
        schemas.push_str(&format!(
            "    {group}_body: {{type: object, properties: {{{}}}}}\n",
            properties.join(", ")
        ));
    }
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}components:\n  \
         schemas:\n{schemas}"
    )
}

fn split_in(shards: usize) -> Settings {
    Settings {
        split: Some(codegen::SplitSettings {
            core: "sdk-core".into(),
            shard_prefix: "sdk-shard".into(),
            shards: std::num::NonZeroUsize::new(shards).expect("at least one shard"),
        }),
        ..Settings::default()
    }
}

fn shards_of(api: &codegen::ir::Api) -> Vec<Vec<String>> {
    let layout = api.layout.as_ref().expect("split");
    layout.shards.iter().map(|s| s.groups.clone()).collect()
}

/// Group weights (`lower::layout`): 20 for the operation, 5 for its type and 1 per field, so
/// `grouped(&[("a", 30)])` weighs 55.
#[test]
fn groups_keep_their_shards_across_a_spec_update_and_only_new_groups_are_dealt() {
    let settings = split_in(2);
    let first = lower_with_settings(
        &grouped(&[("a", 30), ("b", 20), ("c", 5)]),
        &NameLock::default(),
        false,
        "0.1.0",
        &settings,
    );
    // Heaviest first, each to the lightest shard: a (55) alone; b (45), then c (30) beside it.
    assert_eq!(shards_of(&first), [vec!["a"], vec!["b", "c"]]);
    assert_eq!(first.lock.shards["c"], "sdk-shard-2");
    let lock_text = first.lock.to_text();
    assert!(
        lock_text.contains("shards:\n  a: sdk-shard-1\n"),
        "{lock_text}"
    );
    let mut lock = NameLock::from_text(&lock_text).unwrap();
    // A group the update removes: its entry is dropped from the lock written back.
    lock.shards.insert("gone".into(), "sdk-shard-1".into());

    // `c` grows past `a` (85) and `d` (35) is new: a fresh deal would move `a` and `c`.
    let update = grouped(&[("a", 30), ("b", 20), ("c", 60), ("d", 10)]);
    let fresh = lower_with_settings(&update, &NameLock::default(), false, "0.1.0", &settings);
    assert_eq!(shards_of(&fresh), [vec!["c", "d"], vec!["a", "b"]]);
    let context = NameContext {
        lock,
        crate_version: "0.1.0".into(),
        ..NameContext::default()
    };
    let (kept, warnings) = codegen::lower_with(&update, &settings, &context).unwrap();
    // Every group stays; `d` goes to the lighter shard (`a`'s, 55 against 130). The heavier
    // shard weighs 1.08× a fresh deal's heaviest (120): no warning.
    assert_eq!(shards_of(&kept), [vec!["a", "d"], vec!["b", "c"]]);
    assert!(warnings.is_empty(), "{warnings:?}");
    let written: Vec<(&str, &str)> = kept
        .lock
        .shards
        .iter()
        .map(|(group, shard)| (group.as_str(), shard.as_str()))
        .collect();
    assert_eq!(
        written,
        [
            ("a", "sdk-shard-1"),
            ("b", "sdk-shard-2"),
            ("c", "sdk-shard-2"),
            ("d", "sdk-shard-1")
        ]
    );

    // Rebalancing deals every group afresh, as if there were no lock.
    let rebalance = NameContext {
        rebalance_shards: true,
        ..context
    };
    let (rebalanced, _) = codegen::lower_with(&update, &settings, &rebalance).unwrap();
    assert_eq!(shards_of(&rebalanced), shards_of(&fresh));
    assert_eq!(rebalanced.lock.shards, fresh.lock.shards);
}

fn locked(shards: &[(&str, &str)]) -> NameContext {
    let mut lock = NameLock::default();
    for (group, shard) in shards {
        lock.shards.insert((*group).into(), (*shard).into());
    }
    NameContext {
        lock,
        crate_version: "0.1.0".into(),
        ..NameContext::default()
    }
}

#[test]
fn a_kept_layout_much_heavier_than_a_fresh_deal_is_warned_about() {
    let settings = split_in(2);
    // a and b weigh 55 each, c 30: kept, the first shard weighs 110; dealt afresh, the
    // heaviest would weigh 85 (1.29×, over the 1.25× the layout tolerates).
    let text = grouped(&[("a", 30), ("b", 30), ("c", 5)]);
    let context = locked(&[
        ("a", "sdk-shard-1"),
        ("b", "sdk-shard-1"),
        ("c", "sdk-shard-2"),
    ]);
    let (api, warnings) = codegen::lower_with(&text, &settings, &context).unwrap();
    assert_eq!(shards_of(&api), [vec!["a", "b"], vec!["c"]]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    // About the generation, not a place in a document: printed without a pointer.
    let printed = warnings[0].to_string();
    assert!(
        printed.starts_with("warning: the heaviest shard, sdk-shard-1, weighs 1.29×"),
        "{printed}"
    );
    assert!(
        printed.contains("`regenerate --rebalance-shards`"),
        "{printed}"
    );
}

#[test]
fn a_changed_shard_count_or_an_emptied_shard_deals_every_group_afresh() {
    let text = grouped(&[("a", 30), ("b", 30), ("c", 5)]);
    let fresh = |settings: &Settings| {
        lower_with_settings(&text, &NameLock::default(), false, "0.1.0", settings)
    };
    // Dealt over three shards before, now two: what the lock says of `shard-3` is gone.
    let two = split_in(2);
    let context = locked(&[
        ("a", "sdk-shard-1"),
        ("b", "sdk-shard-2"),
        ("c", "sdk-shard-3"),
    ]);
    let (api, warnings) = codegen::lower_with(&text, &two, &context).unwrap();
    assert_eq!(shards_of(&api), shards_of(&fresh(&two)));
    assert!(warnings.is_empty(), "{warnings:?}");
    // Dealt over two before, now three: kept, the third shard would stay empty.
    let three = split_in(3);
    let context = locked(&[
        ("a", "sdk-shard-1"),
        ("b", "sdk-shard-2"),
        ("c", "sdk-shard-2"),
    ]);
    let (api, _) = codegen::lower_with(&text, &three, &context).unwrap();
    assert_eq!(shards_of(&api), [vec!["a"], vec!["b"], vec!["c"]]);
    assert_eq!(shards_of(&api), shards_of(&fresh(&three)));
    // A removed group's entry does not count: with `c`, the second shard's only group, gone
    // from the documents, that shard would be left empty, so the groups are dealt afresh.
    let without_c = grouped(&[("a", 30), ("b", 30), ("d", 5)]);
    let context = locked(&[
        ("a", "sdk-shard-1"),
        ("b", "sdk-shard-1"),
        ("c", "sdk-shard-2"),
    ]);
    let (api, _) = codegen::lower_with(&without_c, &two, &context).unwrap();
    assert_eq!(shards_of(&api), [vec!["a", "d"], vec!["b"]]);
}
