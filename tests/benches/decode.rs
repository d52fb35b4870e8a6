//! Decoding speed of the generated models: a list of 1,000 user groups (about 330 KB of JSON,
//! with nested attributes, an undeclared key and a value outside its enum), read the way the SDK
//! reads a response body (`runtime::decode_json`), beside the same bytes parsed into
//! `serde_json::Value` as a yardstick of plain JSON parsing on this machine.
//!
//! `cargo bench -p tests --bench decode`
use criterion::{black_box, Criterion, Throughput};
use jumpcloud_sdk::models;

fn body() -> Vec<u8> {
    let groups: Vec<String> = (0..1000)
        .map(|i| {
            format!(
                r#"{{"id":"5f1b1b1b1b1b1b1b1b1b{i:04}","name":"group {i}","type":"{kind}","description":"Members of team {i}, with a longer description","email":"team{i}@example.com","attributes":{{"sudo":{{"enabled":{sudo},"withoutPassword":false}},"ldapGroups":[{{"name":"ldap-{i}"}}],"posixGroups":[{{"id":{i},"name":"posix-{i}"}}],"radius":{{"reply":[{{"name":"Session-Timeout","value":"3600"}}]}},"sambaEnabled":false}},"memberQuery":{{"queryType":"FilterQuery","filters":[{{"field":"department","operator":"eq","value":"eng"}}]}},"membershipMethod":"STATIC","suggestionCounts":{{"add":{i},"remove":0,"total":{i}}},"undeclared":{{"kept":true}}}}"#,
                kind = if i % 10 == 0 { "something_new" } else { "user_group" },
                sudo = i % 2 == 0,
            )
        })
        .collect();
    format!("[{}]", groups.join(",")).into_bytes()
}

fn main() {
    let body = body();
    let decoded: Vec<models::UserGroup> =
        jumpcloud_sdk::runtime::decode_json(&body).expect("the body decodes");
    assert_eq!(decoded.len(), 1000);
    assert_eq!(decoded[7].name.as_deref(), Some("group 7"));
    assert!(decoded[7].additional_properties.contains_key("undeclared"));

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("decode 1000 user groups");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("models::UserGroup (SDK)", |b| {
        b.iter(|| {
            let groups: Vec<models::UserGroup> =
                jumpcloud_sdk::runtime::decode_json(black_box(&body)).unwrap();
            groups
        })
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap())
    });
    group.finish();
    criterion.final_summary();
}
