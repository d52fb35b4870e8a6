//! A scripted HTTP/1.1 server on 127.0.0.1 for fault, auth and load tests: a script chooses
//! each reply (a response, a reset or a close mid-response, or silence), and the server counts
//! the TCP connections it accepted and the connections the client closed. Keep-alive, bodies by
//! `content-length` only (all the SDK sends, multipart included when its parts have lengths).
//!
//! Everything is bounded: the accept loop stops when the server is dropped, and each
//! connection stops after 10 s without a request or at the client's close.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How long a connection may sit idle, or a silent reply hold it.
const IDLE: Duration = Duration::from_secs(10);

/// A request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// The request target exactly as on the request line (`/path?query`).
    pub target: String,
    /// Header names in lower case, values as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// How many requests came before this one on its connection (0: a new connection's first).
    pub on_connection: usize,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with one request.
pub enum Reply {
    /// Writes these bytes (a complete response) and keeps the connection open.
    Send(Vec<u8>),
    /// Writes these bytes, then resets the connection (TCP RST).
    ResetAfter(Vec<u8>),
    /// Writes these bytes, then closes the connection (FIN).
    CloseAfter(Vec<u8>),
    /// Never answers; holds the connection until the client closes it (at most 10 s).
    Silence,
    /// Writes these bytes (say, the head of a response), then falls silent like `Silence`.
    StallAfter(Vec<u8>),
    /// Writes these bytes, then one space every `interval` until the client closes (at most
    /// 10 s): a body that trickles forever.
    Trickle(Vec<u8>, Duration),
    /// A `transfer-encoding: chunked` response: `head` (status line and headers, no blank
    /// line), then `first`, `chunk` `repeat` times and `last` as chunks, then the end. Nothing
    /// of it is held whole, so a body of hundreds of MiB costs the server one chunk.
    Chunked {
        head: String,
        first: Vec<u8>,
        chunk: Vec<u8>,
        repeat: usize,
        last: Vec<u8>,
    },
}

/// A complete response with a `content-length`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &str) -> Vec<u8> {
    let mut text = format!(
        "HTTP/1.1 {status} Status\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(body);
    text.into_bytes()
}

/// A JSON response.
pub fn json(status: u16, body: &str) -> Vec<u8> {
    response(status, &[("content-type", "application/json")], body)
}

type Script = dyn Fn(usize, &Received) -> Reply + Send + Sync;

#[derive(Default)]
struct State {
    connections: AtomicUsize,
    closed_by_client: AtomicUsize,
    requests: Mutex<Vec<Received>>,
}

pub struct ScriptedServer {
    /// `http://127.0.0.1:<port>`.
    pub uri: String,
    state: Arc<State>,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl ScriptedServer {
    /// Starts a server whose `script` gets each request with its index (0 for the first
    /// request the server receives, over all connections).
    pub async fn start(
        script: impl Fn(usize, &Received) -> Reply + Send + Sync + 'static,
    ) -> ScriptedServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let uri = format!("http://{}", listener.local_addr().expect("local address"));
        let state = Arc::new(State::default());
        let script: Arc<Script> = Arc::new(script);
        let accept = {
            let state = state.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    state.connections.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(stream, state.clone(), script.clone()));
                }
            })
        };
        ScriptedServer { uri, state, accept }
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.state.connections.load(Ordering::SeqCst)
    }

    /// Connections the client closed while the server was waiting for a request or holding a
    /// silent reply.
    pub fn closed_by_client(&self) -> usize {
        self.state.closed_by_client.load(Ordering::SeqCst)
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.state.requests.lock().unwrap().clone()
    }
}

async fn serve(mut stream: TcpStream, state: Arc<State>, script: Arc<Script>) {
    let _ = stream.set_nodelay(true);
    let mut buffer = Vec::new();
    for on_connection in 0.. {
        let reading = read_request(&mut stream, &mut buffer, on_connection);
        let request = match tokio::time::timeout(IDLE, reading).await {
            Ok(Some(request)) => request,
            Ok(None) => {
                state.closed_by_client.fetch_add(1, Ordering::SeqCst);
                return;
            }
            Err(_) => return,
        };
        let index = {
            let mut requests = state.requests.lock().unwrap();
            requests.push(request.clone());
            requests.len() - 1
        };
        match script(index, &request) {
            Reply::Send(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
            }
            Reply::ResetAfter(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                // SO_LINGER 0: closing sends RST instead of FIN.
                let _ = stream.set_zero_linger();
                return;
            }
            Reply::CloseAfter(bytes) => {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.shutdown().await;
                return;
            }
            Reply::Silence => return hold(stream, &state).await,
            Reply::StallAfter(bytes) => {
                let _ = stream.write_all(&bytes).await;
                return hold(stream, &state).await;
            }
            Reply::Trickle(bytes, interval) => {
                let _ = stream.write_all(&bytes).await;
                let started = tokio::time::Instant::now();
                while started.elapsed() < IDLE {
                    tokio::time::sleep(interval).await;
                    if stream.write_all(b" ").await.is_err() {
                        state.closed_by_client.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                }
                return;
            }
            Reply::Chunked {
                head,
                first,
                chunk,
                repeat,
                last,
            } => {
                let head = format!("{head}\r\ntransfer-encoding: chunked\r\n\r\n");
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let parts = std::iter::once(&first)
                    .chain(std::iter::repeat_n(&chunk, repeat))
                    .chain(std::iter::once(&last));
                for part in parts.filter(|part| !part.is_empty()) {
                    let framed =
                        [format!("{:x}\r\n", part.len()).as_bytes(), part, b"\r\n"].concat();
                    if stream.write_all(&framed).await.is_err() {
                        // The client stopped reading: what a size limit does.
                        state.closed_by_client.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                }
                if stream.write_all(b"0\r\n\r\n").await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Holds a connection without answering until the client closes it (at most 10 s).
async fn hold(mut stream: TcpStream, state: &State) {
    let mut byte = [0u8; 1];
    if let Ok(Ok(0)) = tokio::time::timeout(IDLE, stream.read(&mut byte)).await {
        state.closed_by_client.fetch_add(1, Ordering::SeqCst);
    }
}

/// Reads one request (the `on_connection`-th on its connection, from 0); `None` at a clean
/// close (or a broken one) before a complete request.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    on_connection: usize,
) -> Option<Received> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = find(buffer, b"\r\n\r\n") {
            break at;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let body_start = head_end + 4;
    while buffer.len() < body_start + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Some(Received {
        method,
        target,
        headers,
        body,
        on_connection,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
