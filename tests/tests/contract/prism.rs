//! The oracle: a Stoplight Prism mock server per document, either the one `.ci/run` started
//! (`PRISM_URL`, with its log at `PRISM_LOG`, serving `PRISM_SPEC`: used for the document
//! whose file has the same content) or one this test starts from `node_modules/.bin/prism` and
//! stops when it is done. Every wait is bounded.
//!
//! Prism logs each request it receives (`Request received`, at `-v info`) and each violation
//! it finds (`Violation: request…`) before it answers. The test calls operations one at a time
//! and, after each call, sends a marker request to a path no operation has; the marker's own
//! `Request received` line closes the call's segment of the log, so every log line is
//! attributed to the call that caused it, however many HTTP requests that call made.
use std::collections::BTreeMap;
use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const URL_ENV: &str = "PRISM_URL";
pub const LOG_ENV: &str = "PRISM_LOG";
pub const SPEC_ENV: &str = "PRISM_SPEC";
/// The seed of Prism's dynamic mode (`-d --seed`), so generated responses are reproducible.
pub const SEED: &str = "1";
const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);
const MARKER_TIMEOUT: Duration = Duration::from_secs(10);
const LOG_TIMEOUT: Duration = Duration::from_secs(30);
const MARKER_PREFIX: &str = "/__contract__/";

pub struct Prism {
    pub base_url: String,
    pub log_path: PathBuf,
    /// Who started it, for the report.
    pub origin: String,
    child: Option<Child>,
    /// Whether this test started the server and so owns its log.
    owns_log: bool,
    http: reqwest::Client,
    nonce: String,
    /// Where this run's part of the log starts.
    offset: u64,
}

/// The log lines of one call.
#[derive(Debug, Default, Clone)]
pub struct Segment {
    /// `method path` of each HTTP request Prism received.
    pub requests: Vec<String>,
    /// Each violation of the request Prism logged: `location message` from a `Violation:
    /// request…` line, or the bare message of a `[VALIDATOR]` error or warning line (Prism
    /// logs only those when it answers with its own 422 problem).
    pub request_violations: Vec<String>,
    /// `Request did not pass the validation rules` lines.
    pub rejected: usize,
    /// `Violation: response…` lines: Prism's own answer breaking the document (its examples
    /// or generated data), reported for information only.
    pub response_violations: usize,
}

/// The server started outside the test (`PRISM_URL`, `PRISM_LOG`, `PRISM_SPEC`).
pub struct External {
    base_url: String,
    log_path: PathBuf,
    /// The document it serves.
    pub spec: PathBuf,
}

impl External {
    /// The server the environment names, if it names one; an error when it names it only in
    /// part.
    pub fn from_env() -> Result<Option<Self>, String> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let Some(base_url) = env(URL_ENV) else {
            return Ok(None);
        };
        let log_path = PathBuf::from(env(LOG_ENV).ok_or_else(|| {
            format!(
                "{URL_ENV} is set but {LOG_ENV} is not: the test reads Prism's log (started \
                 with -v info) to find violations"
            )
        })?);
        let spec = PathBuf::from(env(SPEC_ENV).ok_or_else(|| {
            format!("{URL_ENV} is set but {SPEC_ENV} (the document Prism serves) is not")
        })?);
        Ok(Some(External {
            base_url,
            log_path,
            spec,
        }))
    }

    /// Which of `documents` it serves: the first with the same content as `PRISM_SPEC`. One
    /// server serves one document, so the others get a server of their own; serving none of
    /// them is a mistake in the environment, not a reason to ignore it.
    pub fn serves(&self, documents: &[&Path]) -> Result<usize, String> {
        let served = std::fs::read(&self.spec)
            .map_err(|e| format!("{SPEC_ENV}={}: {e}", self.spec.display()))?;
        documents
            .iter()
            .position(|path| std::fs::read(path).ok().as_ref() == Some(&served))
            .ok_or_else(|| {
                format!(
                    "Prism at {URL_ENV} serves {} ({SPEC_ENV}), which differs from every \
                     document this test reads: {}",
                    self.spec.display(),
                    documents
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

impl Prism {
    /// The server `.ci/run` started (for the document it serves, see [`External::serves`]).
    pub fn connect(external: &External) -> Result<Self, String> {
        let offset = std::fs::metadata(&external.log_path)
            .map_err(|e| format!("{LOG_ENV}={}: {e}", external.log_path.display()))?
            .len();
        Ok(Prism {
            base_url: external.base_url.trim_end_matches('/').to_owned(),
            log_path: external.log_path.clone(),
            origin: format!("{URL_ENV}={} (started outside the test)", external.base_url),
            child: None,
            owns_log: false,
            http: marker_client()?,
            nonce: nonce(),
            offset,
        })
    }

    /// A new server for the document at `spec` (call [`Prism::wait_ready`] before using it),
    /// logging to `log_dir`, in a file named after the run and `name`. Fails (never skips)
    /// when Prism is not installed.
    pub fn start(
        workspace: &Path,
        spec: &Path,
        log_dir: &Path,
        name: &str,
    ) -> Result<Self, String> {
        let program = workspace.join("node_modules/.bin/prism");
        if !program.exists() {
            return Err(format!(
                "no Prism: {URL_ENV} is not set and {} does not exist. Run `npm ci` at the \
                 workspace root (it installs the pinned @stoplight/prism-cli), or start Prism \
                 and set {URL_ENV}, {LOG_ENV} and {SPEC_ENV} as .ci/run does.",
                program.display()
            ));
        }
        std::fs::create_dir_all(log_dir).map_err(|e| format!("{}: {e}", log_dir.display()))?;
        // One log per run and document, so two runs sharing a target directory cannot mix
        // their logs.
        let log_path = log_dir.join(format!("prism-{}{}.log", std::process::id(), suffix(name)));
        let log = File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let port = free_port()?;
        let stderr = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(&program)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--dynamic", "--seed", SEED, "--verboseLevel", "info"])
            .arg(spec)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(stderr)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", program.display()))?;
        Ok(Prism {
            base_url: format!("http://127.0.0.1:{port}"),
            log_path,
            origin: format!("started by the test (pid {})", child.id()),
            child: Some(child),
            owns_log: true,
            http: marker_client()?,
            nonce: nonce(),
            offset: 0,
        })
    }

    /// Waits (bounded) until the server accepts connections.
    pub fn wait_ready(&mut self) -> Result<(), String> {
        let addr = socket_addr(&self.base_url)?;
        wait_listening(addr, self.child.as_mut(), &self.log_path)
    }

    /// Sends the marker that closes the current segment of the log under `label`.
    pub async fn mark(&self, label: &str) -> Result<(), String> {
        let url = format!("{}{MARKER_PREFIX}{}/{label}", self.base_url, self.nonce);
        self.http
            .get(&url)
            .send()
            .await
            .map(drop)
            .map_err(|e| format!("marker {label}: {e}"))
    }

    /// Reads the log until the marker `last` has been written (bounded), and splits it into
    /// segments by marker label. Lines before the marker `start` are not this run's.
    pub async fn segments(&self, last: &str) -> Result<BTreeMap<String, Segment>, String> {
        let deadline = Instant::now() + LOG_TIMEOUT;
        let last_line = format!("{MARKER_PREFIX}{}/{last} ", self.nonce);
        loop {
            let text = self.read_log()?;
            if text.contains(&last_line) {
                return Ok(self.split(&text));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Prism's log ({}) did not show the final marker within {LOG_TIMEOUT:?}",
                    self.log_path.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn read_log(&self) -> Result<String, String> {
        let bytes = std::fs::read(&self.log_path)
            .map_err(|e| format!("reading {}: {e}", self.log_path.display()))?;
        let start = (self.offset as usize).min(bytes.len());
        Ok(strip_ansi(&String::from_utf8_lossy(&bytes[start..])))
    }

    fn split(&self, text: &str) -> BTreeMap<String, Segment> {
        let marker = format!("{MARKER_PREFIX}{}/", self.nonce);
        let mut segments = BTreeMap::new();
        let mut current = Segment::default();
        let mut started = false;
        for line in text.lines() {
            if let Some(at) = line.find(&marker) {
                if line.trim_end().ends_with("Request received") {
                    let label = line[at + marker.len()..]
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned();
                    if started {
                        segments.insert(label, std::mem::take(&mut current));
                    } else if label == "start" {
                        started = true;
                        current = Segment::default();
                    }
                }
                continue;
            }
            if !started {
                continue;
            }
            if let Some(rest) = line.split("[HTTP SERVER] ").nth(1) {
                if line.trim_end().ends_with("Request received") {
                    let mut words = rest.split_whitespace();
                    let method = words.next().unwrap_or_default().to_uppercase();
                    let path = words.next().unwrap_or_default();
                    current.requests.push(format!("{method} {path}"));
                }
            } else if let Some(rest) = line.split("[VALIDATOR]").nth(1) {
                let mut words = rest.split_whitespace();
                let _icon = words.next();
                let severity = words.next().unwrap_or_default();
                let message = words.collect::<Vec<_>>().join(" ");
                if let Some(violation) = message.strip_prefix("Violation: ") {
                    if violation.starts_with("response") {
                        current.response_violations += 1;
                    } else {
                        // The same message was logged bare just before: keep the located one.
                        let bare = violation.split_once(' ').map_or("", |(_, m)| m);
                        if let Some(at) = current.request_violations.iter().position(|v| v == bare)
                        {
                            current.request_violations.remove(at);
                        }
                        current.request_violations.push(violation.to_owned());
                    }
                } else if message == "Request did not pass the validation rules" {
                    current.rejected += 1;
                } else if severity == "error" || severity == "warning" {
                    current.request_violations.push(message);
                }
            }
        }
        segments
    }

    /// Stops the server if this test started it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Removes the log of a server this test started (after a run that needs no debugging).
    pub fn discard_log(&self) {
        if self.owns_log {
            let _ = std::fs::remove_file(&self.log_path);
        }
    }

    pub fn log_tail(&self) -> String {
        tail(&self.log_path)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `-NAME` for a named document, nothing for the only, unnamed one: what its files under
/// `target/contract` are told apart by.
pub fn suffix(name: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        format!("-{name}")
    }
}

fn marker_client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(MARKER_TIMEOUT)
        .build()
        .map_err(|e| format!("building the marker client: {e}"))
}

/// Tells this run's markers from those of an earlier run logged to the same file.
fn nonce() -> String {
    format!("{}-{}", std::process::id(), unix_millis())
}

fn unix_millis() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default()
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn socket_addr(base_url: &str) -> Result<SocketAddr, String> {
    let url = reqwest::Url::parse(base_url).map_err(|e| format!("{URL_ENV}={base_url}: {e}"))?;
    let host = url.host_str().unwrap_or("127.0.0.1");
    let port = url.port_or_known_default().unwrap_or(80);
    use std::net::ToSocketAddrs;
    (host, port)
        .to_socket_addrs()
        .map_err(|e| format!("{URL_ENV}={base_url}: {e}"))?
        .next()
        .ok_or_else(|| format!("{URL_ENV}={base_url} resolves to no address"))
}

/// Waits until something accepts connections at `addr`, failing early if `child` exits.
fn wait_listening(
    addr: SocketAddr,
    mut child: Option<&mut Child>,
    log: &Path,
) -> Result<(), String> {
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(250)).is_ok() {
            return Ok(());
        }
        if let Some(child) = child.as_mut() {
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!(
                    "Prism exited ({status}) before listening on {addr}; its log:\n{}",
                    tail(log)
                ));
            }
        }
        if Instant::now() > deadline {
            return Err(format!(
                "Prism was not listening on {addr} after {STARTUP_TIMEOUT:?}; its log:\n{}",
                tail(log)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn tail(path: &Path) -> String {
    let text = std::fs::read(path)
        .map(|b| strip_ansi(&String::from_utf8_lossy(&b)))
        .unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Drops terminal escape sequences (colours, the startup spinner's cursor moves).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}
