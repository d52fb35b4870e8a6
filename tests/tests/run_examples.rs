//! Runs each of the SDK's examples (`jumpcloud-sdk/examples/`, built by `cargo test --workspace`)
//! against a local server answering the calls it makes, as a user would run it against
//! JumpCloud: `JUMPCLOUD_API_KEY`, `JUMPCLOUD_BASE_URL` and `JUMPCLOUD_ALLOW_HTTP` in its
//! environment. Each must exit
//! successfully and print its line; the lines are printed for the closing note and CI log.
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
use serde_json::json;
use std::path::PathBuf;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Where cargo put the examples: beside this test binary's `deps` directory.
fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let binary = profile.join("examples").join(name);
    assert!(
        binary.exists(),
        "{} is not built: run `cargo test --workspace` (it builds the SDK's examples)",
        binary.display()
    );
    binary
}

async fn mount(server: &MockServer, verb: &str, route: &str, status: u16, body: serde_json::Value) {
    let matcher = if route.contains('[') || route.contains('+') {
        Mock::given(method(verb)).and(path_regex(route))
    } else {
        Mock::given(method(verb)).and(path(route))
    };
    serve(
        server,
        matcher,
        ResponseTemplate::new(status).set_body_json(body),
    )
    .await;
}

/// Mounts `mock` answering `response`.
async fn serve(server: &MockServer, mock: wiremock::MockBuilder, response: ResponseTemplate) {
    mock.respond_with(response).mount(server).await;
}

/// Runs `example` with `args` and `env` against `server`; returns its output's last line.
fn run(example: &str, server: &MockServer, args: &[&str], env: &[(&str, String)]) -> String {
    let mut command = std::process::Command::new(example_binary(example));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("JUMPCLOUD_API_KEY", "example-key")
        .env("JUMPCLOUD_BASE_URL", server.uri())
        .env("JUMPCLOUD_ALLOW_HTTP", "1");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{example} failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout.lines().last().unwrap_or_default().to_owned();
    println!("{example}: {line}");
    line
}

const GROUPS: &str = "/usergroups";

#[tokio::test]
async fn list_users() {
    let server = MockServer::start().await;
    let users = json!({"totalCount": 2, "results": [{"_id": "u1", "username": "ada", "email": "ada@example.com"}, {"_id": "u2", "username": "grace", "email": "g@example.com"}]});
    mount(&server, "GET", "/systemusers", 200, users).await;
    assert_eq!(
        run("list_users", &server, &[], &[]),
        "2 of 2 users: ada, grace"
    );
}

#[tokio::test]
async fn page_through_groups() {
    let server = MockServer::start().await;
    let page = |from: usize, count: usize| {
        json!((from..from + count)
            .map(|i| json!({"id": format!("g{i}"), "name": format!("group {i}")}))
            .collect::<Vec<_>>())
    };
    for (skip, count) in [(0, 100), (100, 20)] {
        let at_skip = Mock::given(method("GET"))
            .and(path(GROUPS))
            .and(wiremock::matchers::query_param("skip", skip.to_string()));
        serve(
            &server,
            at_skip,
            ResponseTemplate::new(200).set_body_json(page(skip, count)),
        )
        .await;
    }
    assert_eq!(
        run("page_through_groups", &server, &[], &[]),
        "120 groups in 2 pages; first: Some(\"group 0\")"
    );
}

#[tokio::test]
async fn create_group_and_add_members() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        GROUPS,
        201,
        json!({"id": "g9", "name": "engineering"}),
    )
    .await;
    mount(&server, "POST", "/usergroups/g9/members", 204, json!(null)).await;
    let members = json!([{"to": {"id": "u1", "type": "user"}}]);
    mount(&server, "GET", "/usergroups/g9/members", 200, members).await;
    let line = run(
        "create_group_and_add_members",
        &server,
        &[],
        &[("JUMPCLOUD_USER_ID", "u1".into())],
    );
    assert_eq!(line, "group g9 has 1 member(s)");
    let sent = server.received_requests().await.unwrap();
    let add: serde_json::Value = serde_json::from_slice(&sent[1].body).unwrap();
    assert_eq!(add, json!({"id": "u1", "op": "add", "type": "user"}));
}

#[tokio::test]
async fn handle_errors() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        "/usergroups/no-such-group",
        404,
        json!({"message": "group no-such-group does not exist"}),
    )
    .await;
    serve(
        &server,
        Mock::given(method("GET")).and(path("/usergroups/busy-group")),
        ResponseTemplate::new(429)
            .insert_header("retry-after", "30")
            .set_body_json(json!({"message": "slow down"})),
    )
    .await;
    assert_eq!(run("handle_errors", &server, &[], &[]), "429: retry in 30s");
    let binary = example_binary("handle_errors");
    let output = std::process::Command::new(binary)
        .env("JUMPCLOUD_API_KEY", "k")
        .env("JUMPCLOUD_BASE_URL", server.uri())
        .env("JUMPCLOUD_ALLOW_HTTP", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("404: group no-such-group does not exist"),
        "{stdout}"
    );
}

#[tokio::test]
async fn multi_tenant() {
    let server = MockServer::start().await;
    for (org, count) in [("org-a", 2), ("org-b", 1)] {
        serve(
            &server,
            Mock::given(method("GET"))
                .and(path(GROUPS))
                .and(wiremock::matchers::header("x-org-id", org)),
            ResponseTemplate::new(200).set_body_json(json!(vec![json!({"id": "g"}); count])),
        )
        .await;
    }
    let line = run(
        "multi_tenant",
        &server,
        &[],
        &[("JUMPCLOUD_ORG_IDS", "org-a,org-b".into())],
    );
    assert_eq!(line, "org-b: 1 groups");
}

#[tokio::test]
async fn region() {
    let server = MockServer::start().await;
    mount(&server, "GET", GROUPS, 200, json!([{"id": "g1"}])).await;
    assert_eq!(
        run("region", &server, &[], &[]),
        "eu region: 1 group(s) on the first page"
    );
}

#[tokio::test]
async fn system_context() {
    let server = MockServer::start().await;
    let system = json!({"_id": "sys-1", "hostname": "build-01", "os": "Ubuntu"});
    mount(&server, "GET", "/systems/sys-1", 200, system).await;
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
    let pem_path = std::env::temp_dir().join(format!("jc-example-{}.key", std::process::id()));
    std::fs::write(
        &pem_path,
        key.to_pkcs1_pem(LineEnding::LF).unwrap().as_bytes(),
    )
    .unwrap();
    let env = [
        ("JUMPCLOUD_SYSTEM_KEY", "sys-1".to_owned()),
        ("JUMPCLOUD_PRIVATE_KEY_FILE", pem_path.display().to_string()),
    ];
    let line = run("system_context", &server, &[], &env);
    std::fs::remove_file(&pem_path).ok();
    assert_eq!(line, "this system: Some(\"build-01\") (Some(\"Ubuntu\"))");
    let sent = server.received_requests().await.unwrap();
    let authorization = sent[0]
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        authorization.starts_with("Signature keyId=\"system/sys-1\""),
        "{authorization}"
    );
}

#[tokio::test]
async fn upload_logo() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        "/applications/app-7/logo",
        204,
        json!(null),
    )
    .await;
    let logo = std::env::temp_dir().join(format!("jc-logo-{}.png", std::process::id()));
    std::fs::write(&logo, [0x89, b'P', b'N', b'G']).unwrap();
    let line = run(
        "upload_logo",
        &server,
        &["app-7", &logo.display().to_string()],
        &[],
    );
    std::fs::remove_file(&logo).ok();
    assert_eq!(line, "uploaded a 4-byte logo to application app-7");
    let sent = server.received_requests().await.unwrap();
    assert!(
        sent[0]
            .body
            .windows(4)
            .any(|w| w == [0x89, b'P', b'N', b'G']),
        "the file's bytes were sent"
    );
    let content_type = sent[0]
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data"),
        "{content_type}"
    );
}

#[tokio::test]
async fn download_report() {
    let server = MockServer::start().await;
    let reports =
        json!([{"id": "r1", "artifacts": [{"id": "a1", "format": "csv"}], "status": "COMPLETED"}]);
    mount(&server, "GET", "/reports", 200, reports).await;
    serve(
        &server,
        Mock::given(method("GET")).and(path("/reports/r1/artifacts/a1/content")),
        ResponseTemplate::new(200)
            .set_body_raw("user,login\nada,2026-11-30\n", "text/csv")
            .insert_header("content-disposition", "attachment; filename=\"logins.csv\""),
    )
    .await;
    let out = std::env::temp_dir().join(format!("jc-report-{}.csv", std::process::id()));
    let line = run(
        "download_report",
        &server,
        &[&out.display().to_string()],
        &[],
    );
    let written = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_file(&out).ok();
    assert_eq!(written, "user,login\nada,2026-11-30\n");
    assert!(
        line.starts_with("report r1 (text/csv, suggested name logins.csv): 26 bytes written to "),
        "{line}"
    );
}

#[tokio::test]
async fn testing_with_a_mock() {
    let server = MockServer::start().await;
    let line = run("testing_with_a_mock", &server, &[], &[]);
    assert_eq!(
        line,
        "engineering groups: 1; the code under test sent 1 request(s)"
    );
}
