//! End-to-end tests of the SDK against a server on 127.0.0.1: each asserts exactly what the
//! server received and what the call returned.
mod common;

use bytes::Bytes;
use common::*;
use jumpcloud_sdk::apis::g_suite::AddDomainResponse;
use jumpcloud_sdk::apis::office_365::InsertDomainsResponse;
use jumpcloud_sdk::apis::user_groups::DeleteGroupResponse;
use jumpcloud_sdk::{models, ApiErrorBody, Client, Error, FilePart};
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::ResponseTemplate;

/// The `Error::Api` inside a result, or a panic naming what came instead.
fn api_error<T: std::fmt::Debug>(result: Result<T, Error>) -> Box<jumpcloud_sdk::ApiError> {
    match result {
        Err(Error::Api(api)) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// GET, query parameters, list decoding
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_with_path_param_paging_fields_and_filter_decodes_the_list() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!([
            {"id": "r1", "policyID": "pol-1", "systemID": "sys-1", "state": "success",
             "success": true, "exitStatus": 0, "stdOut": "ok", "startedAt": "2024-03-01T10:00:00Z"},
            {"id": "r2", "policyID": "pol-1", "state": "failed", "success": false,
             "exitStatus": 3, "stdErr": "boom", "unknownField": {"ignored": true}}
        ])),
    )
    .await;

    let results = client
        .policies()
        .list_policyresults("pol-1")
        .fields(strings(&["id", "state"]))
        .filter(strings(&["state:eq:success"]))
        .limit(10)
        .skip(20)
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), "/policies/pol-1/policyresults");
    // The full query string. The delimiter of the explode=false `fields` array is compared
    // after undoing `%2C`: whether it must be a literal comma is pinned by
    let query = request.url.query().expect("a query string");
    assert_eq!(
        query,
        "fields=id,state&filter=state%3Aeq%3Asuccess&limit=10&skip=20"
    );
    assert_eq!(
        query_pairs(&request),
        [
            ("fields", "id,state"),
            ("filter", "state:eq:success"),
            ("limit", "10"),
            ("skip", "20"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert_headers(&request, Some(ORG_ID), None, "application/json");
    assert!(request.body.is_empty(), "a GET sends no body");

    assert_eq!(
        results,
        vec![
            models::PolicyResult {
                id: Some("r1".into()),
                policy_id: Some("pol-1".into()),
                system_id: Some("sys-1".into()),
                state: Some("success".into()),
                success: Some(true),
                exit_status: Some(0),
                std_out: Some("ok".into()),
                started_at: Some("2024-03-01T10:00:00Z".into()),
                ..Default::default()
            },
            models::PolicyResult {
                id: Some("r2".into()),
                policy_id: Some("pol-1".into()),
                state: Some("failed".into()),
                success: Some(false),
                exit_status: Some(3),
                std_err: Some("boom".into()),
                // Undeclared keys are kept, so a read-modify-write sends them back.
                additional_properties: [("unknownField".to_owned(), json!({"ignored": true}))]
                    .into_iter()
                    .collect(),
                ..Default::default()
            },
        ]
    );
    let encoded = serde_json::to_value(&results[1]).expect("encodes");
    assert_eq!(encoded["unknownField"], json!({"ignored": true}));
}

/// OpenAPI `style: form, explode: false` serializes `["id", "state"]` as `fields=id,state`:
/// the comma is the delimiter and stays literal, while a comma *inside* a value is
/// percent-encoded so the two stay distinguishable.
#[tokio::test]
async fn form_array_without_explode_uses_literal_comma_delimiters() {
    let (server, client) = start().await;
    respond(&server, ResponseTemplate::new(200).set_body_json(json!([]))).await;

    client
        .user_groups()
        .list_all()
        .fields(strings(&["id", "name"]))
        .limit(5)
        .await
        .expect("first call");
    client
        .user_groups()
        .list_all()
        .sort(strings(&["a,b", "c"]))
        .await
        .expect("second call");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_target(
        &requests[0],
        "GET",
        "/usergroups",
        Some("fields=id,name&limit=5"),
    );
    assert_target(&requests[1], "GET", "/usergroups", Some("sort=a%2Cb,c"));
}

#[tokio::test]
async fn form_array_with_explode_repeats_the_parameter() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"id": "d1", "name": "laptop", "osName": "macOS"}],
            "totalCount": 1
        })),
    )
    .await;

    let devices = client
        .password_manager()
        .list_devices()
        .fields(strings(&["id", "name"]))
        .limit(5)
        .sort("-name")
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_target(
        &request,
        "GET",
        "/passwordmanager/devices",
        Some("fields=id&fields=name&limit=5&sort=-name"),
    );
    // The operation does not declare x-org-id; the client default is sent anyway.
    assert_headers(&request, Some(ORG_ID), None, "application/json");
    assert_eq!(
        devices,
        models::JumpcloudPwmListDevicesResponse {
            results: Some(vec![models::DevicePackageV1Device {
                id: Some("d1".into()),
                name: Some("laptop".into()),
                os_name: Some("macOS".into()),
                ..Default::default()
            }]),
            total_count: Some(1),
            ..Default::default()
        }
    );
}

#[tokio::test]
async fn required_enum_array_query_parameter_and_graph_list_decoding() {
    use models::TraitGraphTargetsUserGroupTarget as Target;
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!([
            {"to": {"id": "sys-1", "type": "system", "attributes": {"sudo": {"enabled": true}}}},
            {"from": {"id": "grp-1", "type": "user_group"}, "to": {"id": "sg-1", "type": "system_group"}}
        ])),
    )
    .await;

    let connections = client
        .user_groups()
        .list_associations("grp-1", vec![Target::System, Target::SystemGroup])
        .limit(2)
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/usergroups/grp-1/associations");
    assert_eq!(
        request
            .url
            .query()
            .map(|q| q.replace("%2C", ","))
            .as_deref(),
        Some("limit=2&targets=system,system_group")
    );
    assert_headers(&request, Some(ORG_ID), None, "application/json");

    assert_eq!(connections.len(), 2);
    assert_eq!(connections[0].to.id, "sys-1");
    assert_eq!(connections[0].to.r#type, "system");
    assert_eq!(
        connections[0]
            .to
            .attributes
            .as_ref()
            .and_then(|a| a.get("sudo")),
        Some(&json!({"enabled": true}))
    );
    assert_eq!(connections[0].from, None);
    assert_eq!(
        connections[1].from.as_ref().map(|f| f.id.as_str()),
        Some("grp-1")
    );
    assert_eq!(connections[1].to.r#type, "system_group");
}

// ---------------------------------------------------------------------------------------------
// POST, PUT, PATCH, DELETE
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn post_create_user_group_sends_no_nulls_and_decodes_201() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(201).set_body_json(json!({
            "id": "grp-1",
            "name": "Engineering",
            "description": "All engineers",
            "type": "user_group",
            "membershipMethod": "STATIC",
            "suggestionCounts": {"add": 1, "remove": 0, "total": 1}
        })),
    )
    .await;

    let group = client
        .user_groups()
        .create_new_group()
        .body({
            let mut group = models::UserGroupPost::new("Engineering");
            group.description = Some("All engineers".into());
            group.membership_method = Some(models::GroupMembershipMethodType::Static);
            group
        })
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_target(&request, "POST", "/usergroups", None);
    assert_headers(
        &request,
        Some(ORG_ID),
        Some("application/json"),
        "application/json",
    );
    assert_eq!(
        json_body(&request),
        json!({
            "name": "Engineering",
            "description": "All engineers",
            "membershipMethod": "STATIC"
        })
    );

    assert_eq!(
        group,
        models::UserGroup {
            id: Some("grp-1".into()),
            name: Some("Engineering".into()),
            description: Some("All engineers".into()),
            r#type: Some(models::UserGroupType::UserGroup),
            membership_method: Some(models::GroupMembershipMethodType::Static),
            suggestion_counts: Some(models::SuggestionCounts {
                add: Some(1),
                remove: Some(0),
                total: Some(1),
                ..Default::default()
            }),
            ..Default::default()
        }
    );
}

/// `Domains_Insert` takes a required JSON body and documents both 200 and 201.
#[tokio::test]
async fn post_with_required_body_decodes_200_and_201_into_their_variants() {
    for (status, domain) in [(200, "a.example.com"), (201, "b.example.com")] {
        let (server, client) = start().await;
        respond(
            &server,
            ResponseTemplate::new(status).set_body_json(json!({
                "domain": {"domain": domain, "objectId": "dom-1", "default": false}
            })),
        )
        .await;

        let response = client
            .office_365()
            .insert_domains(
                "o365-1",
                models::DomainsInsertRequest {
                    domain: Some(domain.into()),
                    ..Default::default()
                },
            )
            .await
            .expect("the call succeeds");

        let request = single_request(&server).await;
        assert_target(&request, "POST", "/office365s/o365-1/domains", None);
        assert_headers(
            &request,
            Some(ORG_ID),
            Some("application/json"),
            "application/json",
        );
        assert_eq!(json_body(&request), json!({"domain": domain}));

        let expected_domain = models::O365DomainResponse {
            domain: Some(models::O365Domain {
                domain: Some(domain.into()),
                object_id: Some("dom-1".into()),
                default: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        };
        match (status, response) {
            (200, InsertDomainsResponse::Ok(body)) => assert_eq!(body, expected_domain),
            (201, InsertDomainsResponse::Created(body)) => assert_eq!(body, expected_domain),
            (status, other) => panic!("status {status} decoded as {other:?}"),
        }
    }
}

#[tokio::test]
async fn two_success_statuses_200_with_body_and_204_without() {
    // 200: the deleted group is returned.
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"id": "grp-1", "name": "Old"})),
    )
    .await;
    let response = client
        .user_groups()
        .delete_group("grp-1")
        .await
        .expect("200 succeeds");
    assert_eq!(
        response,
        DeleteGroupResponse::Ok(models::UserGroup {
            id: Some("grp-1".into()),
            name: Some("Old".into()),
            ..Default::default()
        })
    );
    let request = single_request(&server).await;
    assert_target(&request, "DELETE", "/usergroups/grp-1", None);
    assert_headers(&request, Some(ORG_ID), None, "application/json");
    assert!(request.body.is_empty());

    // 204: no content.
    let (server, client) = start().await;
    respond(&server, ResponseTemplate::new(204)).await;
    let response = client
        .user_groups()
        .delete_group("grp-2")
        .await
        .expect("204 succeeds");
    assert_eq!(response, DeleteGroupResponse::NoContent);
    assert_target(
        &single_request(&server).await,
        "DELETE",
        "/usergroups/grp-2",
        None,
    );

    // GSuite_addDomain: 200 and 201, both with a body, and a query parameter on a POST.
    for status in [200, 201] {
        let (server, client) = start().await;
        respond(
            &server,
            ResponseTemplate::new(status)
                .set_body_json(json!({"domain": {"domain": "ex.com", "objectId": "d-1"}})),
        )
        .await;
        let response = client
            .g_suite()
            .add_domain("gs-1")
            .domain("ex.com")
            .await
            .expect("the call succeeds");
        let request = single_request(&server).await;
        assert_target(
            &request,
            "POST",
            "/gsuites/gs-1/domains",
            Some("domain=ex.com"),
        );
        assert_eq!(
            header(&request, "content-type"),
            None,
            "no body, no content-type"
        );
        assert!(request.body.is_empty());
        let expected = models::JumpcloudGappsDomainResponse {
            domain: Some(models::JumpcloudGappsDomain {
                domain: Some("ex.com".into()),
                object_id: Some("d-1".into()),
                ..Default::default()
            }),
            ..Default::default()
        };
        match (status, response) {
            (200, AddDomainResponse::Ok(body)) => assert_eq!(body, expected),
            (201, AddDomainResponse::Created(body)) => assert_eq!(body, expected),
            (status, other) => panic!("status {status} decoded as {other:?}"),
        }
    }
}

#[tokio::test]
async fn put_update_user_group() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "grp-1",
            "name": "Renamed",
            "memberSuggestionsNotify": true
        })),
    )
    .await;

    let group = client
        .user_groups()
        .update_group("grp-1")
        .body({
            let mut group = models::UserGroupPut::new("Renamed");
            group.member_suggestions_notify = Some(true);
            group
        })
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_target(&request, "PUT", "/usergroups/grp-1", None);
    assert_headers(
        &request,
        Some(ORG_ID),
        Some("application/json"),
        "application/json",
    );
    assert_eq!(
        json_body(&request),
        json!({"name": "Renamed", "memberSuggestionsNotify": true})
    );
    assert_eq!(group.id.as_deref(), Some("grp-1"));
    assert_eq!(group.name.as_deref(), Some("Renamed"));
    assert_eq!(group.member_suggestions_notify, Some(true));
}

#[tokio::test]
async fn patch_push_endpoint_with_two_path_params() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "pe-1",
            "name": "Phone",
            "state": "inactive",
            "device": {"os": "iOS", "uvEnabled": true}
        })),
    )
    .await;

    let endpoint = client
        .users()
        .patch_push_endpoints("user-1", "pe-1")
        .body(models::PushEndpointsPatchRequest {
            state: Some(models::PushEndpointsPatchRequestState::Inactive),
            ..Default::default()
        })
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_target(&request, "PATCH", "/users/user-1/pushendpoints/pe-1", None);
    assert_headers(
        &request,
        Some(ORG_ID),
        Some("application/json"),
        "application/json",
    );
    assert_eq!(json_body(&request), json!({"state": "inactive"}));
    assert_eq!(
        endpoint,
        models::PushEndpointResponse {
            id: Some("pe-1".into()),
            name: Some("Phone".into()),
            state: Some("inactive".into()),
            device: Some(models::PushEndpointResponseDevice {
                os: Some("iOS".into()),
                uv_enabled: Some(true),
                ..Default::default()
            }),
            ..Default::default()
        }
    );
}

#[tokio::test]
async fn delete_204_returns_unit() {
    let (server, client) = start().await;
    respond(&server, ResponseTemplate::new(204)).await;

    let () = client
        .software_apps()
        .delete("app-1")
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_target(&request, "DELETE", "/softwareapps/app-1", None);
    assert_headers(&request, Some(ORG_ID), None, "application/json");
    assert!(request.body.is_empty());
}

/// The names of 0.1 stay callable for one release (`names.lock`, `renamed_from`): the old
/// method sends the very request the new one does, and the old type names are aliases.
#[tokio::test]
#[allow(deprecated)]
async fn renamed_methods_and_types_stay_usable_for_a_release() {
    let (server, client) = start().await;
    respond(&server, ResponseTemplate::new(204)).await;

    let () = client
        .software_apps()
        .software_apps_delete("app-1")
        .await
        .expect("the call succeeds");
    let builder: jumpcloud_sdk::apis::software_apps::SoftwareAppsDelete<'_> =
        client.software_apps().delete("app-2");
    drop(builder);
    let member: models::GraphOperationUserGroupMemberAllOfType =
        models::GraphOperationUserGroupMemberType::User;

    let request = single_request(&server).await;
    assert_target(&request, "DELETE", "/softwareapps/app-1", None);
    assert_eq!(member, models::GraphOperationUserGroupMemberType::User);
}

// ---------------------------------------------------------------------------------------------
// x-org-id
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn org_id_default_is_sent_and_a_per_call_value_overrides_it() {
    let (server, client) = start().await;
    respond(&server, ResponseTemplate::new(200).set_body_json(json!([]))).await;

    client.user_groups().list_all().await.expect("default org");
    client
        .user_groups()
        .list_all()
        .x_org_id("other")
        .await
        .expect("per-call org");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_headers(&requests[0], Some(ORG_ID), None, "application/json");
    // `header` fails when x-org-id is sent twice: the override replaces the default.
    assert_headers(&requests[1], Some("other"), None, "application/json");
}

/// `get` and `DeviceService_ListDevices` do not declare `x-org-id`; the runtime sends
/// the client's default on every request anyway (`ClientBuilder::org_id` documents "every
/// operation that takes it").
#[tokio::test]
async fn org_id_default_is_sent_even_by_operations_that_do_not_declare_it() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_raw(b"GIF89a".to_vec(), "image/gif"),
    )
    .await;

    client
        .logos()
        .get("logo-1")
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_target(&request, "GET", "/logos/logo-1", None);
    assert_eq!(header(&request, "x-org-id"), Some(ORG_ID));
}

#[tokio::test]
async fn client_without_org_id_sends_no_org_id_header() {
    let server = wiremock::MockServer::start().await;
    respond(&server, ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .allow_http()
        .build()
        .expect("client builds");

    client
        .user_groups()
        .list_all()
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_headers(&request, None, None, "application/json");
}

// ---------------------------------------------------------------------------------------------
// Path parameter escaping
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn path_params_stay_one_segment() {
    let (server, client) = start().await;
    respond(&server, ResponseTemplate::new(200).set_body_json(json!({}))).await;

    for id in ["../../organizations", "a/b?c=d", "é x%#;", "..."] {
        client
            .user_groups()
            .get_details(id)
            .await
            .expect("the call succeeds");
    }

    let requests = received(&server).await;
    let targets: Vec<(&str, Option<&str>)> = requests
        .iter()
        .map(|r| (r.url.path(), r.url.query()))
        .collect();
    assert_eq!(
        targets,
        [
            ("/usergroups/..%2F..%2Forganizations", None),
            ("/usergroups/a%2Fb%3Fc%3Dd", None),
            ("/usergroups/%C3%A9%20x%25%23%3B", None),
            ("/usergroups/...", None),
        ]
    );
}

/// The request line as it is on the wire (wiremock re-parses URLs, which would hide a
/// client-side normalization).
#[test]
fn path_param_escaping_on_the_wire() {
    let server =
        RawServer::start("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}");
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/api/v2", server.uri))
        .allow_http()
        .build()
        .expect("client builds");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime
        .block_on(
            client
                .user_groups()
                .get_details("../../organizations")
                .send(),
        )
        .expect("the call succeeds");
    let head = server.request_head().expect("the server got a request");
    assert_eq!(
        request_target(&head),
        "/api/v2/usergroups/..%2F..%2Forganizations"
    );
}

/// `..` alone is encoded as `%2E%2E`, but the WHATWG URL parser inside reqwest treats
/// `%2E%2E` as `..` and removes it with the preceding segment, so the request escapes its
/// collection: `/api/v2/usergroups/%2E%2E/members` is sent as `/api/v2/members`.
/// The right outcome: the id stays one segment, or the SDK refuses it before sending.
#[test]
fn dot_segment_path_params_never_leave_their_segment() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mut wrong = Vec::new();
    for (id, expected) in [
        ("..", "/api/v2/usergroups/%2E%2E/members"),
        (".", "/api/v2/usergroups/%2E/members"),
    ] {
        let server =
            RawServer::start("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]");
        let client = Client::builder()
            .api_key(API_KEY)
            .base_url(format!("{}/api/v2", server.uri))
            .allow_http()
            .build()
            .expect("client builds");
        let result = runtime.block_on(client.user_groups().list_members(id).send());
        match (result, server.request_head()) {
            (Err(Error::InvalidRequest(_)), None) => {}
            (_, Some(head)) if request_target(&head) == expected => {}
            (_, Some(head)) => wrong.push(format!("{id:?} sent as {}", request_target(&head))),
            (result, None) => wrong.push(format!("{id:?}: nothing sent, but {result:?}")),
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[tokio::test]
async fn base_url_with_a_path_prefix_and_trailing_slash() {
    let server = wiremock::MockServer::start().await;
    respond(&server, ResponseTemplate::new(200).set_body_json(json!({}))).await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/api/v2/", server.uri()))
        .allow_http()
        .build()
        .expect("client builds");
    for service in jumpcloud_sdk::Service::ALL {
        assert_eq!(
            client.base_url(*service),
            format!("{}/api/v2", server.uri())
        );
    }

    client
        .user_groups()
        .get_details("grp-1")
        .await
        .expect("the call succeeds");

    assert_target(
        &single_request(&server).await,
        "GET",
        "/api/v2/usergroups/grp-1",
        None,
    );
}

// ---------------------------------------------------------------------------------------------
// Error statuses and decoding failures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn documented_404_decodes_the_error_schema() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "req-42")
            .set_body_json(json!({"code": 404, "message": "Not Found", "status": "NOT_FOUND"})),
    )
    .await;

    let result = client.software_apps().delete("missing").await;

    assert_eq!(
        result
            .as_ref()
            .err()
            .and_then(Error::status)
            .map(|s| s.as_u16()),
        Some(404)
    );
    let api = api_error(result);
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.operation_id(), "softwareApps_delete");
    assert_eq!(
        api.headers().get("x-request-id").map(|v| v.as_bytes()),
        Some(&b"req-42"[..])
    );
    assert_eq!(
        *api.body(),
        ApiErrorBody::Error(models::Error {
            code: Some(404),
            message: Some("Not Found".into()),
            status: Some("NOT_FOUND".into()),
            ..Default::default()
        })
    );
    assert_eq!(api.message(), Some("Not Found"));
    assert_eq!(api.request_id(), Some("req-42"));
    assert_eq!(
        Error::Api(api).to_string(),
        "softwareApps_delete failed with status 404 Not Found: Not Found (request id req-42)"
    );
    assert_target(
        &single_request(&server).await,
        "DELETE",
        "/softwareapps/missing",
        None,
    );
}

#[tokio::test]
async fn documented_400_decodes_the_error_details_schema() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(400).set_body_json(json!({
            "code": 3,
            "message": "invalid id",
            "status": "INVALID_ARGUMENT",
            "details": [{"field": "id", "reason": "not an ObjectID"}]
        })),
    )
    .await;

    let api = api_error(client.software_apps().delete("bad id").await);

    assert_eq!(api.status().as_u16(), 400);
    let mut detail = std::collections::BTreeMap::new();
    detail.insert("field".to_owned(), json!("id"));
    detail.insert("reason".to_owned(), json!("not an ObjectID"));
    assert_eq!(
        *api.body(),
        ApiErrorBody::ErrorDetails(models::ErrorDetails {
            code: Some(3),
            message: Some("invalid id".into()),
            status: Some("INVALID_ARGUMENT".into()),
            details: Some(vec![detail]),
            ..Default::default()
        })
    );
    assert_target(
        &single_request(&server).await,
        "DELETE",
        "/softwareapps/bad%20id",
        None,
    );
}

#[tokio::test]
async fn undocumented_status_keeps_the_raw_body() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(418).set_body_raw(b"I'm a teapot \xff".to_vec(), "text/plain"),
    )
    .await;

    let api = api_error(client.software_apps().delete("app-1").await);

    assert_eq!(api.status().as_u16(), 418);
    assert_eq!(
        *api.body(),
        ApiErrorBody::Undocumented(Bytes::from_static(b"I'm a teapot \xff"))
    );
}

#[tokio::test]
async fn documented_status_with_a_body_off_its_schema_is_kept_raw() {
    let (server, client) = start().await;
    let html = b"<html><body>502 Bad Gateway</body></html>";
    respond(
        &server,
        ResponseTemplate::new(404).set_body_raw(html.to_vec(), "text/html"),
    )
    .await;

    let api = api_error(client.software_apps().delete("app-1").await);

    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(
        *api.body(),
        ApiErrorBody::Undocumented(Bytes::from_static(html))
    );
}

#[tokio::test]
async fn default_error_response_decodes_its_schema() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(503).set_body_json(json!({
            "code": 14,
            "message": "unavailable",
            "details": []
        })),
    )
    .await;

    let api = api_error(client.g_suite().add_domain("gs-1").await);

    assert_eq!(api.status().as_u16(), 503);
    assert_eq!(
        *api.body(),
        ApiErrorBody::GoogleRpcStatus(models::GoogleRpcStatus {
            code: Some(14),
            message: Some("unavailable".into()),
            details: Some(vec![]),
            ..Default::default()
        })
    );
}

#[tokio::test]
async fn malformed_success_body_names_the_failing_field() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "results": [{"id": "d1"}, {"id": "d2", "createdAt": 1700000000}],
            "totalCount": 2
        })),
    )
    .await;

    let result = client.password_manager().list_devices().await;

    match result {
        Err(Error::Decode {
            operation_id,
            status,
            path,
            message,
            ..
        }) => {
            assert_eq!(operation_id, "DeviceService_ListDevices");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(path, "results[1].createdAt");
            assert!(message.contains("expected a string"), "message: {message}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_nested_field_names_its_full_path() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!([
            {"id": "g1", "suggestionCounts": {"add": 1}},
            {"id": "g2", "suggestionCounts": {"add": "many"}}
        ])),
    )
    .await;

    let result = client.user_groups().list_all().await;

    match result {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "[1].suggestionCounts.add"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// `GroupAttributesUserGroup` keeps unknown properties in a `#[serde(flatten)]` map, which
/// serde buffers: the path must still reach the field below it.
#[tokio::test]
async fn malformed_field_under_additional_properties_names_its_full_path() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "g1",
            "attributes": {"sudo": {"enabled": "yes", "withoutPassword": false}}
        })),
    )
    .await;

    let result = client.user_groups().get_details("g1").await;

    match result {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "attributes.sudo.enabled"),
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// The generated readers match a key on its length first: keys of one length (`name`, `type`)
/// still reach their own fields, and an undeclared key of that length (`nome`), or one that
/// differs from a declared key only in case (`Name`), is kept undeclared.
#[tokio::test]
async fn keys_of_one_length_reach_their_own_fields() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "type": "user_group",
            "name": "admins",
            "nome": "x",
            "Name": "y",
            "email": "a@example.com"
        })),
    )
    .await;

    let group = client
        .user_groups()
        .get_details("g1")
        .await
        .expect("decodes");

    assert_eq!(group.name.as_deref(), Some("admins"));
    assert_eq!(group.email.as_deref(), Some("a@example.com"));
    assert_eq!(
        group.r#type.map(|t| t.as_str().to_owned()).as_deref(),
        Some("user_group")
    );
    let undeclared: Vec<&str> = group
        .additional_properties
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(undeclared, ["Name", "nome"]);
}

#[tokio::test]
async fn success_body_that_is_not_json_is_a_decode_error_at_the_root() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_raw(b"<html>maintenance</html>".to_vec(), "text/html"),
    )
    .await;

    match client.user_groups().list_all().await {
        Err(Error::Decode {
            operation_id,
            status,
            path,
            ..
        }) => {
            assert_eq!(operation_id, "groups_user_list");
            assert_eq!(status.as_u16(), 200);
            assert_eq!(path, ".");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

/// A value added to a string enum on the server decodes as `Unknown` and goes back unchanged.
#[tokio::test]
async fn unknown_enum_values_survive_a_round_trip() {
    let (server, client) = start().await;
    respond(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({
            "id": "grp-1", "name": "G", "membershipMethod": "DYNAMIC_FUTURE"
        })),
    )
    .await;

    let group = client
        .user_groups()
        .get_details("grp-1")
        .await
        .expect("the call succeeds");
    assert_eq!(
        group.membership_method,
        Some(models::GroupMembershipMethodType::Unknown(
            "DYNAMIC_FUTURE".into()
        ))
    );

    client
        .user_groups()
        .update_group("grp-1")
        .body({
            let mut put = models::UserGroupPut::new("G");
            put.membership_method = group.membership_method;
            put
        })
        .await
        .expect("the call succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        json_body(&requests[1]),
        json!({"name": "G", "membershipMethod": "DYNAMIC_FUTURE"})
    );
}

// ---------------------------------------------------------------------------------------------
// Binary responses and multipart uploads
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn binary_pdf_response_arrives_as_the_exact_bytes() {
    let (server, client) = start().await;
    let pdf: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n\x00\x01\x02\xff\r\n%%EOF\n";
    respond(
        &server,
        ResponseTemplate::new(200).set_body_raw(pdf.to_vec(), "application/pdf"),
    )
    .await;

    let contract: Bytes = client
        .providers()
        .get_contract("prov-1")
        .await
        .expect("the call succeeds");

    assert_eq!(contract, Bytes::from_static(pdf));
    let request = single_request(&server).await;
    assert_target(&request, "GET", "/providers/prov-1/billing/contract", None);
    assert_headers(
        &request,
        Some(ORG_ID),
        None,
        "application/pdf, application/json",
    );
}

/// `get` documents `image/gif`, `image/jpeg` and `image/png` for its 200; asking for
/// `image/gif` alone lets a negotiating server refuse a PNG logo with 406.
#[tokio::test]
async fn binary_response_accepts_every_documented_media_type() {
    let (server, client) = start().await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    respond(
        &server,
        ResponseTemplate::new(200).set_body_raw(png.to_vec(), "image/png"),
    )
    .await;

    let logo = client
        .logos()
        .get("logo-1")
        .await
        .expect("the call succeeds");

    assert_eq!(logo, Bytes::from_static(png));
    let request = single_request(&server).await;
    let accept = header(&request, "accept").expect("an accept header");
    let mut media_types: Vec<&str> = accept
        .split(',')
        .map(|m| m.split(';').next().unwrap_or("").trim())
        .collect();
    media_types.sort_unstable();
    assert_eq!(
        media_types,
        ["application/json", "image/gif", "image/jpeg", "image/png"],
        "accept {accept:?}: every documented image type, and JSON for error bodies"
    );
}

#[tokio::test]
async fn multipart_logo_upload_sends_the_file_part() {
    let (server, client) = start().await;
    respond(&server, ResponseTemplate::new(204)).await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff";

    let () = client
        .applications()
        .post_logo("app-1")
        .image(FilePart::new(png.to_vec(), "logo.png").content_type("image/png"))
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_target(&request, "POST", "/applications/app-1/logo", None);
    assert_eq!(header(&request, "x-api-key"), Some(API_KEY));
    assert_eq!(header(&request, "x-org-id"), Some(ORG_ID));
    assert_eq!(header(&request, "accept"), Some("application/json"));
    let content_type = header(&request, "content-type").expect("a content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("content-type {content_type:?}"));
    assert!(!boundary.is_empty());

    let mut expected = format!(
        "--{boundary}\r\n\
         Content-Disposition: form-data; name=\"image\"; filename=\"logo.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(png);
    expected.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(request.body, expected, "the exact multipart body");
}

// ---------------------------------------------------------------------------------------------
// Security
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_never_contains_the_api_key() {
    let (_server, client) = start().await;
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(API_KEY), "{client_debug}");
    assert!(client_debug.contains("<redacted>"), "{client_debug}");

    let builder = Client::builder().api_key("secret-key-123").org_id("org-9");
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains("secret-key-123"), "{builder_debug}");
    assert!(builder_debug.contains("org-9"), "{builder_debug}");

    let request_debug = format!("{:?}", client.user_groups().list_all());
    assert!(!request_debug.contains(API_KEY), "{request_debug}");
}

#[tokio::test]
async fn header_injection_is_refused_before_anything_is_sent() {
    let (server, client) = start().await;
    respond(&server, ResponseTemplate::new(200).set_body_json(json!([]))).await;

    for value in ["a\r\nInjected: 1", "a\nInjected: 1", "a\rb"] {
        let result = client.user_groups().list_all().x_org_id(value).await;
        match result {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("x-org-id"), "message: {message}")
            }
            other => panic!("{value:?}: expected Error::InvalidRequest, got {other:?}"),
        }
    }

    assert!(
        received(&server).await.is_empty(),
        "nothing reaches the server"
    );
}

#[test]
fn api_key_or_org_id_with_a_newline_is_a_config_error() {
    let result = Client::builder().api_key("key\r\nInjected: 1").build();
    assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
    let result = Client::builder()
        .api_key("key")
        .org_id("org\nInjected: 1")
        .build();
    assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
    let result = Client::builder().build();
    assert!(
        matches!(result, Err(Error::Config(_))),
        "missing key: {result:?}"
    );
    let result = Client::builder()
        .api_key("key")
        .base_url("not a url")
        .build();
    assert!(
        matches!(result, Err(Error::Config(_))),
        "bad base URL: {result:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Timeouts and transport failures
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn timeout_is_reported_as_error_timeout() {
    let server = wiremock::MockServer::start().await;
    respond(
        &server,
        ResponseTemplate::new(200)
            .set_body_json(json!([]))
            .set_delay(Duration::from_secs(2)),
    )
    .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .allow_http()
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client builds");

    let started = Instant::now();
    let result = client.user_groups().list_all().await;
    let elapsed = started.elapsed();

    assert!(matches!(result, Err(Error::Timeout(_))), "{result:?}");
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert!(elapsed >= Duration::from_millis(150), "took {elapsed:?}");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // A port that was just free: nothing listens on it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .allow_http()
        .build()
        .expect("client builds");

    let result = client.user_groups().list_all().await;

    match result {
        Err(error @ Error::Transport(_)) => {
            assert_eq!(error.status(), None);
            assert!(!format!("{error:?}").contains(API_KEY));
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
}

/// Each API has its own server here: a v2 call, a v1 list paged by `limit`/`skip`, and a
/// Directory Insights query each reach only their own, at their document's paths.
#[tokio::test]
async fn each_service_is_called_at_its_own_base_url() {
    use futures_util::TryStreamExt;
    use jumpcloud_sdk::Service;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer};

    let (v2, v1, insights) = (
        MockServer::start().await,
        MockServer::start().await,
        MockServer::start().await,
    );
    Mock::given(method("GET"))
        .and(path("/usergroups"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "g1"}])))
        .mount(&v2)
        .await;
    // Two pages of v1 users: three in all.
    for (skip, ids) in [("0", vec!["u1", "u2"]), ("2", vec!["u3"])] {
        let results: Vec<_> = ids.iter().map(|id| json!({"_id": id})).collect();
        Mock::given(method("GET"))
            .and(path("/systemusers"))
            .and(wiremock::matchers::query_param("skip", skip))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"results": results, "totalCount": 3})),
            )
            .mount(&v1)
            .await;
    }
    Mock::given(method("POST"))
        .and(path("/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"event_type": "login"}])))
        .mount(&insights)
        .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url_for(Service::V2, v2.uri())
        .base_url_for(Service::V1, v1.uri())
        .base_url_for(Service::DirectoryInsights, insights.uri())
        .allow_http()
        .build()
        .expect("client builds");

    let groups = client.user_groups().list_all().await.expect("v2 answers");
    assert_eq!(groups.len(), 1);
    let users: Vec<models::Systemuserreturn> = client
        .systemusers()
        .list()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .expect("v1 pages");
    let ids: Vec<Option<String>> = users.into_iter().map(|u| u.id).collect();
    assert_eq!(
        ids,
        [Some("u1".into()), Some("u2".into()), Some("u3".into())]
    );
    let query = models::EventQuery::new(
        vec![models::EventServiceTimeQueryServiceItem::All],
        "2026-11-01T00:00:00Z",
    );
    let events = client
        .directory_insights()
        .query_events(query)
        .await
        .expect("Directory Insights answers");
    assert_eq!(events[0]["event_type"], "login");

    async fn received(server: &MockServer) -> Vec<String> {
        let requests = server.received_requests().await.unwrap_or_default();
        requests
            .iter()
            .map(|r| format!("{} {}", r.method, r.url.path()))
            .collect()
    }
    assert_eq!(received(&v2).await, ["GET /usergroups"]);
    assert_eq!(
        received(&v1).await,
        ["GET /systemusers", "GET /systemusers"]
    );
    assert_eq!(received(&insights).await, ["POST /events"]);
    let body = &insights.received_requests().await.unwrap()[0].body;
    let sent: serde_json::Value = serde_json::from_slice(body).expect("a JSON body");
    assert_eq!(
        sent,
        json!({"service": ["all"], "start_time": "2026-11-01T00:00:00Z"})
    );
}
