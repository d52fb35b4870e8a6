//! Captures every `tracing` record of a test binary, at the most verbose level, in memory.
//!
//! One global subscriber, installed before the first call by every test that reads traces: a
//! per-thread (`set_default`) subscriber can miss a span whose callsite another test thread is
//! registering at the same moment, and these tests must see every record.
use std::io::Write;
use std::sync::{Mutex, OnceLock};

static BUFFER: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        BUFFER.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber (once per test binary). Spans print their fields when
/// they close.
pub fn capture() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        use tracing_subscriber::fmt::format::FmtSpan;
        use tracing_subscriber::util::SubscriberInitExt as _;
        tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
            .with_span_events(FmtSpan::CLOSE)
            .with_ansi(false)
            .with_writer(|| Capture)
            .finish()
            .try_init()
            .expect("no other global subscriber");
    });
}

/// Everything traced so far by every test of this binary.
pub fn text() -> String {
    String::from_utf8_lossy(&BUFFER.lock().unwrap()).into_owned()
}
