//! The two ways to authenticate, and secrets kept out of every output.
//!
//! System Context: a loopback server verifies each request's HTTP signature with the public
//! half of an RSA key generated here (no key file exists in the repository), the way JumpCloud
//! does: RSA-SHA256 over `"<METHOD> <request target> HTTP/1.1\ndate: <Date>"`.
mod common;

use base64::Engine as _;
use common::scripted::{json, Received, Reply, ScriptedServer};
use jumpcloud_sdk::{models, CallOptions, Client, Error, RetryPolicy};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::signature::Verifier;
use rsa::{RsaPrivateKey, RsaPublicKey};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

const SYSTEM_KEY: &str = "5f1b2c3d4e5f60718293a4b5";

/// One 2048-bit key per test binary (JumpCloud's agent keys are 2048-bit; generating one takes
/// a few seconds in a debug build).
fn private_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("a test key generates")
    })
}

fn pkcs1_pem() -> String {
    private_key()
        .to_pkcs1_pem(LineEnding::LF)
        .expect("PKCS#1 PEM")
        .to_string()
}

/// What the server concluded about one request: the string it verified, or why it refused.
type Verdict = Result<String, String>;

/// Checks a request the way JumpCloud's System Context API does.
fn verify(public: &RsaPublicKey, request: &Received) -> Verdict {
    let date = request.header("date").ok_or("no Date header")?;
    let sent = httpdate::parse_http_date(date).map_err(|e| format!("bad Date {date:?}: {e}"))?;
    let skew = SystemTime::now()
        .duration_since(sent)
        .unwrap_or_else(|e| e.duration());
    if skew > Duration::from_secs(60) {
        return Err(format!("Date {date:?} is {skew:?} off"));
    }
    let authorization = request
        .header("authorization")
        .ok_or("no Authorization header")?;
    let signature = authorization
        .strip_prefix(&format!(
            "Signature keyId=\"system/{SYSTEM_KEY}\",headers=\"request-line date\",\
             algorithm=\"rsa-sha256\",signature=\""
        ))
        .and_then(|rest| rest.strip_suffix('"'))
        .ok_or_else(|| format!("unexpected Authorization form: {authorization}"))?;
    let signature = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .map_err(|e| format!("signature is not base64: {e}"))?;
    let signature = rsa::pkcs1v15::Signature::try_from(signature.as_slice())
        .map_err(|e| format!("not a signature: {e}"))?;
    let signed = format!(
        "{} {} HTTP/1.1\ndate: {date}",
        request.method, request.target
    );
    rsa::pkcs1v15::VerifyingKey::<rsa::sha2::Sha256>::new(public.clone())
        .verify(signed.as_bytes(), &signature)
        .map_err(|_| format!("signature does not verify over {signed:?}"))?;
    if request.header("x-api-key").is_some() {
        return Err("an API key was sent too".into());
    }
    Ok(signed)
}

/// A server that answers a verified request with `body` and anything else with 401, after
/// `failures_first` 503s (to see a retried request signed again).
async fn verifying_server(
    body: &'static str,
    failures_first: usize,
) -> (ScriptedServer, Arc<Mutex<Vec<Verdict>>>) {
    let public = private_key().to_public_key();
    let verdicts = Arc::new(Mutex::new(Vec::new()));
    let record = verdicts.clone();
    let server = ScriptedServer::start(move |index, request| {
        let verdict = verify(&public, request);
        let reply = match (&verdict, index < failures_first) {
            (Ok(_), true) => json(503, "{}"),
            (Ok(_), false) => json(200, body),
            (Err(reason), _) => json(401, &serde_json::json!({ "message": reason }).to_string()),
        };
        record.lock().unwrap().push(verdict);
        Reply::Send(reply)
    })
    .await;
    (server, verdicts)
}

fn system_client(server: &ScriptedServer, pem: &str) -> Client {
    Client::builder()
        .system_context(SYSTEM_KEY, pem)
        .base_url(format!("{}/api/v2", server.uri))
        .allow_http()
        .retry(RetryPolicy::new().backoff(Duration::from_millis(5), Duration::from_millis(20)))
        .build()
        .expect("the System Context client builds")
}

fn verdicts(verdicts: &Mutex<Vec<Verdict>>) -> Vec<Verdict> {
    verdicts.lock().unwrap().clone()
}

#[tokio::test]
async fn system_context_signs_the_request_line_and_date() {
    common::traces::capture();
    let (server, log) = verifying_server(r#"[{"id":"grp-1","type":"system_group"}]"#, 0).await;
    let client = system_client(&server, &pkcs1_pem());

    let groups = client.systems().get_member_of(SYSTEM_KEY).limit(5).await;
    assert!(groups.is_ok(), "{groups:?} {:?}", verdicts(&log));

    let verdicts = verdicts(&log);
    assert_eq!(verdicts.len(), 1);
    let signed = verdicts[0]
        .as_ref()
        .expect("the server verified the signature");
    // The exact signing string: method in capitals (as in JumpCloud's examples), the full
    // path from the host with its query, the Date header in lower case.
    let date = server.requests()[0].header("date").unwrap().to_owned();
    assert_eq!(
        *signed,
        format!("GET /api/v2/systems/{SYSTEM_KEY}/memberof?limit=5 HTTP/1.1\ndate: {date}")
    );

    // The server really checks: the same signature on another request line is refused.
    let public = private_key().to_public_key();
    let mut moved = server.requests()[0].clone();
    moved.target = format!("/api/v2/systems/{SYSTEM_KEY}/memberof?limit=500");
    assert!(verify(&public, &moved).is_err());
    let mut other_system = server.requests()[0].clone();
    other_system.target = "/api/v2/systems/another-system/memberof?limit=5".into();
    assert!(verify(&public, &other_system).is_err());
}

#[tokio::test]
async fn system_context_signs_a_post_and_each_retry_afresh() {
    common::traces::capture();
    let (server, log) = verifying_server("{}", 1).await;
    let client = system_client(&server, &pkcs1_pem());

    // A caller-given `date`/`authorization` (the operation declares both) is replaced by
    // the SDK's own, never sent twice.
    let result = client
        .system_groups()
        .post_members("sg-1")
        .date("Thu, 01 Jan 1970 00:00:00 GMT")
        .authorization("Signature stale")
        .body(models::GraphOperationSystemGroupMember::new(
            SYSTEM_KEY, "add", "system",
        ))
        .options(
            CallOptions::new().retry(
                RetryPolicy::new()
                    .retry_non_idempotent(true)
                    .backoff(Duration::from_millis(5), Duration::from_millis(20)),
            ),
        )
        .await;
    assert!(result.is_ok(), "{result:?} {:?}", verdicts(&log));

    let verdicts = verdicts(&log);
    assert_eq!(verdicts.len(), 2, "a 503 then the retry");
    for verdict in &verdicts {
        let signed = verdict.as_ref().expect("every attempt verifies");
        assert!(
            signed.starts_with("POST /api/v2/systemgroups/sg-1/members HTTP/1.1\ndate: "),
            "{signed}"
        );
    }
    for request in server.requests() {
        let count = |name: &str| request.headers.iter().filter(|(n, _)| n == name).count();
        assert_eq!(
            (count("authorization"), count("date")),
            (1, 1),
            "{request:?}"
        );
    }
}

#[tokio::test]
async fn system_context_accepts_a_pkcs8_key() {
    common::traces::capture();
    let (server, log) = verifying_server("[]", 0).await;
    let pem = private_key()
        .to_pkcs8_pem(LineEnding::LF)
        .expect("PKCS#8 PEM")
        .to_string();
    let client = system_client(&server, &pem);

    let result = client.systems().get_member_of(SYSTEM_KEY).await;
    assert!(result.is_ok(), "{result:?} {:?}", verdicts(&log));
}

#[test]
fn unusable_private_keys_are_config_errors_that_do_not_echo_the_key() {
    common::traces::capture();
    let pem = pkcs1_pem();
    let truncated = &pem[..pem.len() / 2];
    let body_line = pem.lines().nth(3).expect("a base64 line").to_owned();
    for (what, key) in [
        ("not PEM", "not a key".to_owned()),
        ("truncated PEM", truncated.to_owned()),
        (
            "PEM of something else",
            "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".to_owned(),
        ),
    ] {
        let result = Client::builder().system_context(SYSTEM_KEY, &key).build();
        match result {
            Err(error @ Error::Config(_)) => {
                let shown = format!("{error} {error:?}");
                assert!(!shown.contains(&body_line), "{what}: {shown}");
            }
            other => panic!("{what}: expected Error::Config, got {other:?}"),
        }
    }
    let result = Client::builder()
        .system_context("bad\"key", pem.as_str())
        .build();
    assert!(matches!(result, Err(Error::Config(_))), "{result:?}");
}

// ---------------------------------------------------------------------------------------------
// Secrets never shown
// ---------------------------------------------------------------------------------------------

/// Every call of both modes, successes and failures, traced at the most verbose level (with
/// the traces of every other test of this binary), and every `Debug` and `Display` of
/// clients, builders and errors: no API key, private key or signature anywhere.
#[tokio::test]
async fn no_secret_in_debug_display_errors_or_traces() {
    common::traces::capture();
    let pem = pkcs1_pem();
    let secret_key = "api-key-that-must-never-show-9f8e7d";
    let (server, log) = verifying_server("[]", 1).await;
    let mut shown = Vec::new();

    // System Context: a 503 then a success (two signatures), then a 401 from a bad key.
    let client = system_client(&server, &pem);
    shown.push(format!("{client:?}"));
    let ok = client.systems().get_member_of(SYSTEM_KEY).await;
    assert!(ok.is_ok(), "{ok:?} {:?}", verdicts(&log));
    let builder = Client::builder().system_context(SYSTEM_KEY, pem.as_str());
    shown.push(format!("{builder:?}"));

    // API key: a refused call (401) and a transport failure.
    let api_client = Client::builder()
        .api_key(secret_key)
        .base_url(&server.uri)
        .allow_http()
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    shown.push(format!("{api_client:?}"));
    shown.push(format!("{:?}", Client::builder().api_key(secret_key)));
    let refused = api_client
        .user_groups()
        .get_details("g1")
        .await
        .expect_err("the server refuses an API key");
    shown.push(format!("{refused} {refused:?}"));
    let unreachable = Client::builder()
        .api_key(secret_key)
        .base_url("http://127.0.0.1:1")
        .allow_http()
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    let failed = unreachable
        .user_groups()
        .get_details("g1")
        .await
        .expect_err("nothing listens on port 1");
    shown.push(format!("{failed} {failed:?}"));
    let config = Client::builder()
        .api_key(secret_key)
        .base_url("http://example.com")
        .build()
        .expect_err("plain http is refused");
    shown.push(format!("{config} {config:?}"));

    let signatures: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.header("authorization"))
        .filter_map(|a| a.split("signature=\"").nth(1))
        .map(|s| s.trim_end_matches('"').to_owned())
        .collect();
    assert!(signatures.len() >= 2, "signed requests were made");
    let traces = common::traces::text();
    assert!(
        traces.contains("jumpcloud.request"),
        "the calls were traced: {traces}"
    );
    let everything = format!("{}\n{traces}", shown.join("\n"));
    let mut secrets = vec![secret_key.to_owned()];
    secrets.extend(signatures.iter().map(|s| s[..24].to_owned()));
    secrets.extend(
        pem.lines()
            .filter(|line| !line.starts_with("-----"))
            .map(|line| line[..24.min(line.len())].to_owned()),
    );
    for secret in &secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "{secret:?} shows in:\n{everything}"
        );
    }
}
