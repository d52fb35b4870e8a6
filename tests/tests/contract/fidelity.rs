//! Request fidelity: Prism accepts a request that leaves out an optional parameter, so it
//! cannot tell that the SDK dropped one. Each argument set is therefore also sent to a wiremock
//! server, and the request it receives is compared with the arguments: the path segments, every
//! query and header parameter (values as the document's `form`/`simple` styles write them), and
//! the body (JSON-equal to the fixture, or the multipart parts by name).
use serde_json::Value;
use std::collections::BTreeMap;
use tests::generated::calls::{Args, BodyKind, Location, Operation, PartValue};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

pub struct Recorder {
    server: MockServer,
    seen: usize,
}

impl Recorder {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        // A 400 with no body: never retried, never decoded as a success.
        Mock::given(any())
            .respond_with(ResponseTemplate::new(400))
            .mount(&server)
            .await;
        Recorder { server, seen: 0 }
    }

    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The requests received since the last call.
    pub async fn take(&mut self) -> Vec<wiremock::Request> {
        let all = self.server.received_requests().await.unwrap_or_default();
        let new = all[self.seen.min(all.len())..].to_vec();
        self.seen = all.len();
        new
    }
}

/// Every difference between what the SDK sent and what it was given.
pub fn compare(op: &Operation, args: &Args, request: &wiremock::Request) -> Vec<String> {
    let mut problems = Vec::new();
    if request.method.as_str() != op.method {
        problems.push(format!(
            "method {} instead of {}",
            request.method, op.method
        ));
    }
    // Path: each `{name}` segment carries the parameter's value.
    // The base URL's own segments come first.
    let template: Vec<&str> = op.path.split('/').skip(1).collect();
    let sent: Vec<&str> = request.url.path().split('/').skip(1).collect();
    let sent = &sent[sent.len().saturating_sub(template.len())..];
    if sent.len() != template.len() {
        problems.push(format!(
            "path {} does not fit {}",
            request.url.path(),
            op.path
        ));
    } else {
        for (t, s) in template.iter().zip(sent) {
            let decoded = percent_decode(s);
            match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                Some(name) => match args.params.get(name) {
                    Some(value) if scalar(value) != decoded => problems.push(format!(
                        "path parameter {name} sent as {decoded:?}, given {value}"
                    )),
                    None => problems.push(format!("path parameter {name} has no argument")),
                    _ => {}
                },
                None if *t != decoded => {
                    problems.push(format!("path segment {decoded:?} instead of {t:?}"))
                }
                None => {}
            }
        }
    }
    // Query: raw pairs, so a literal comma (list separator) differs from an encoded one.
    let mut query: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in request
        .url
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        query
            .entry(percent_decode(name))
            .or_default()
            .push(value.to_owned());
    }
    for param in op.params {
        let given = args.params.get(param.name);
        match param.location {
            Location::Query => {
                let sent = query.remove(param.name);
                // The document's `form` style writes an empty list as `name=` unexploded, and
                // as nothing exploded.
                let given = match given {
                    Some(Value::Array(items)) if items.is_empty() && param.explode => None,
                    Some(Value::Array(items)) if items.is_empty() => {
                        if sent.as_deref() != Some(&[String::new()][..]) {
                            problems.push(format!(
                                "query parameter {} given as an empty list: sent {sent:?}, not \
                                 `{}=`",
                                param.name, param.name
                            ));
                        }
                        continue;
                    }
                    other => other,
                };
                match (given, sent) {
                    (None, None) => {}
                    (None, Some(sent)) => problems.push(format!(
                        "query parameter {} sent as {sent:?} though not given",
                        param.name
                    )),
                    (Some(value), None) => problems.push(format!(
                        "query parameter {} given as {value} but not sent",
                        param.name
                    )),
                    (Some(value), Some(sent)) => {
                        let want: Vec<String> = match value {
                            Value::Array(items) => items.iter().map(scalar).collect(),
                            other => vec![scalar(other)],
                        };
                        let got: Vec<String> = if value.is_array() && !param.explode {
                            sent.iter()
                                .flat_map(|v| v.split(',').map(percent_decode).collect::<Vec<_>>())
                                .collect()
                        } else {
                            sent.iter().map(|v| percent_decode(v)).collect()
                        };
                        if value.is_array() && !param.explode && sent.len() != 1 {
                            problems.push(format!(
                                "query parameter {} sent as {} pairs; unexploded, a list is one \
                                 pair with its items joined by commas",
                                param.name,
                                sent.len()
                            ));
                        } else if !same_values(&want, &got) {
                            problems.push(format!(
                                "query parameter {} sent as {got:?}, given {want:?}",
                                param.name
                            ));
                        }
                    }
                }
            }
            Location::Header => {
                let sent = request
                    .headers
                    .get(param.name)
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
                let want = given.map(|value| match value {
                    Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
                    other => scalar(other),
                });
                if let Some(want) = want {
                    if sent.as_deref() != Some(want.as_str()) {
                        problems.push(format!(
                            "header parameter {} sent as {sent:?}, given {want:?}",
                            param.name
                        ));
                    }
                }
            }
            Location::Cookie => {
                if given.is_some() {
                    let cookies = request
                        .headers
                        .get("cookie")
                        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                        .unwrap_or_default();
                    if !cookies.contains(&format!("{}=", param.name)) {
                        problems.push(format!("cookie parameter {} not sent", param.name));
                    }
                }
            }
            Location::Path => {}
        }
    }
    for (name, values) in query {
        problems.push(format!(
            "query parameter {name}={values:?} sent but not declared"
        ));
    }
    // Body.
    match op.body.map(|b| b.kind) {
        Some(BodyKind::Json) => {
            match (&args.body, serde_json::from_slice::<Value>(&request.body)) {
                (None, _) if request.body.is_empty() => {}
                (None, _) => problems.push("a body was sent though none was given".into()),
                (Some(given), Ok(sent)) => {
                    if let Some(diff) = difference(given, &sent) {
                        problems.push(format!("the JSON body differs from the one given: {diff}"));
                    }
                }
                (Some(_), Err(e)) => problems.push(format!("the body sent is not JSON: {e}")),
            }
        }
        Some(BodyKind::Bytes)
            if args.bytes.as_deref().unwrap_or_default() != request.body.as_slice() =>
        {
            problems.push("the raw body differs from the one given".into());
        }
        Some(BodyKind::Bytes) => {}
        Some(BodyKind::Multipart(_)) => {
            let content_type = request
                .headers
                .get("content-type")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_default();
            if !args.parts.is_empty() && !content_type.starts_with("multipart/form-data") {
                problems.push(format!("multipart body sent as {content_type:?}"));
            }
            let body = String::from_utf8_lossy(&request.body);
            for (name, part) in &args.parts {
                if !body.contains(&format!("name=\"{name}\"")) {
                    problems.push(format!("multipart part {name} not sent"));
                }
                if let PartValue::File { bytes, .. } = part {
                    if !request
                        .body
                        .windows(bytes.len())
                        .any(|w| w == bytes.as_slice())
                    {
                        problems.push(format!("the file of part {name} was not sent intact"));
                    }
                }
            }
        }
        None => {}
    }
    problems
}

/// A scalar as the SDK writes it in a path, query or header.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Equal as texts, or as numbers (`1` and `1.0`).
fn same_values(want: &[String], got: &[String]) -> bool {
    want.len() == got.len()
        && want.iter().zip(got).all(|(w, g)| {
            w == g || matches!((w.parse::<f64>(), g.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
        })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or_default();
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first difference between a given and a sent JSON value; `None` when they are equal
/// (numbers by value, a `null` given may be left out).
pub fn difference(given: &Value, sent: &Value) -> Option<String> {
    fn walk(path: &str, given: Option<&Value>, sent: Option<&Value>) -> Option<String> {
        match (given, sent) {
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                for key in a.keys().chain(b.keys()) {
                    if a.get(key) == Some(&Value::Null) && !b.contains_key(key) {
                        continue;
                    }
                    let child = format!("{path}/{key}");
                    if let Some(diff) = walk(&child, a.get(key), b.get(key)) {
                        return Some(diff);
                    }
                }
                None
            }
            (Some(Value::Array(a)), Some(Value::Array(b))) => {
                for i in 0..a.len().max(b.len()) {
                    if let Some(diff) = walk(&format!("{path}/{i}"), a.get(i), b.get(i)) {
                        return Some(diff);
                    }
                }
                None
            }
            (Some(Value::Number(a)), Some(Value::Number(b))) if a.as_f64() == b.as_f64() => None,
            (a, b) if a == b => None,
            (a, b) => {
                let show = |v: Option<&Value>| v.map_or("(absent)".to_owned(), Value::to_string);
                Some(format!(
                    "at {}: given {}, sent {}",
                    if path.is_empty() { "/" } else { path },
                    show(a),
                    show(b)
                ))
            }
        }
    }
    walk("", Some(given), Some(sent))
}

/// The comparison is a judge too, so it is checked before it judges.
pub fn self_check() {
    use serde_json::json;
    use tests::generated::calls::{Body, Location, Param};
    static PARAMS: &[Param] = &[
        Param {
            name: "id",
            location: Location::Path,
            required: true,
            pointer: "",
            declared: true,
            explode: false,
        },
        Param {
            name: "tags",
            location: Location::Query,
            required: false,
            pointer: "",
            declared: true,
            explode: false,
        },
        Param {
            name: "x-org-id",
            location: Location::Header,
            required: false,
            pointer: "",
            declared: true,
            explode: false,
        },
    ];
    let op = Operation {
        document: "",
        operation_id: "self_check",
        method: "POST",
        path: "/things/{id}",
        pointer: "",
        call: "",
        params: PARAMS,
        body: Some(Body {
            required: true,
            media_type: "application/json",
            pointer: "",
            kind: BodyKind::Json,
        }),
        success: &[],
        errors: &[],
    };
    let mut args = Args::default();
    args.params.insert("id".into(), json!("a/b"));
    args.params.insert("tags".into(), json!(["x", "y,z"]));
    args.params.insert("x-org-id".into(), json!("org"));
    args.body = Some(json!({"a": 1, "b": [1, 2], "c": null}));
    let request = |url: &str, org: Option<&str>, body: &str| {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(org) = org {
            headers.insert("x-org-id", org.parse().expect("a valid header"));
        }
        wiremock::Request {
            url: url.parse().expect("a valid URL"),
            method: reqwest::Method::POST,
            headers,
            body: body.as_bytes().to_vec(),
        }
    };
    let good = request(
        "http://127.0.0.1:1/api/things/a%2Fb?tags=x,y%2Cz",
        Some("org"),
        r#"{"b":[1,2],"a":1.0}"#,
    );
    assert_eq!(
        compare(&op, &args, &good),
        Vec::<String>::new(),
        "self-check: good request"
    );
    let bad = request(
        "http://127.0.0.1:1/api/things/a%2Fc?tags=x&tags=y%2Cz&extra=1",
        None,
        r#"{"a":1,"b":[2]}"#,
    );
    let problems = compare(&op, &args, &bad);
    assert_eq!(problems.len(), 5, "self-check: {problems:#?}");
}
