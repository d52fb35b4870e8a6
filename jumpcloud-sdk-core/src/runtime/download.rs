//! [`Download`]: a file-like success body (a report, a PDF, a PEM, an image) read as a stream
//! of chunks, with what its headers say about it (media type, file name, length).
use super::transport::RawBody;
use crate::error::Error;
use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::{HeaderMap, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::StatusCode;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// A response body on its way, chunk by chunk: what a builder's `.download()` resolves to,
/// once the status and headers are in.
///
/// It is a [`Stream`] of [`Bytes`] chunks; [`chunk`](Self::chunk) reads one without importing
/// a stream trait, [`bytes`](Self::bytes) collects the rest. Each chunk must come within the
/// client's read timeout ([`Error::Stalled`] otherwise); the call's total timeout covers the
/// whole transfer, so raise it (`CallOptions::timeout`) for a large file. A download is
/// never retried once its body has started.
///
/// ```no_run
/// # async fn run(client: jumpcloud_sdk::Client) -> Result<(), jumpcloud_sdk::Error> {
/// let mut report = client
///     .directory_insights()
///     .get_reports_artifact_content("report", "artifact")
///     .download()
///     .await?;
/// println!("{:?} {:?}", report.content_type(), report.file_name());
/// let mut size = 0;
/// while let Some(chunk) = report.chunk().await? {
///     size += chunk.len(); // write it somewhere instead of holding it
/// }
/// println!("{size} bytes");
/// # Ok(())
/// # }
/// ```
#[must_use = "a download's body is read only when polled"]
pub struct Download {
    operation_id: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Chunks,
}

enum Chunks {
    /// A body still coming: each wait for a chunk is bounded by `idle`, measured from when the
    /// reader asks (time the reader spends elsewhere does not count); `bytes()` collects at
    /// most `max_bytes`.
    Live {
        stream: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
        idle: Duration,
        max_bytes: u64,
        timer: Pin<Box<tokio::time::Sleep>>,
        waiting: bool,
    },
    /// A body already read (an error status the operation reads as a success), or the end.
    Read(Option<Bytes>),
}

impl Download {
    /// A download of `body`: still on the wire, or already read.
    pub(super) fn new(
        operation_id: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        body: RawBody,
    ) -> Self {
        let body = match body {
            RawBody::Unread(response, limits) => Chunks::Live {
                stream: Box::pin(response.bytes_stream()),
                idle: limits.read_timeout,
                max_bytes: limits.max_bytes,
                timer: Box::pin(tokio::time::sleep(limits.read_timeout)),
                waiting: false,
            },
            RawBody::Whole(body) => Chunks::Read(Some(body)),
        };
        Download {
            operation_id,
            status,
            headers,
            body,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body's media type (`Content-Type`), when the server sends one.
    pub fn content_type(&self) -> Option<&str> {
        self.header(CONTENT_TYPE.as_str())
    }

    /// The body's length in bytes (`Content-Length`), when the server declares it.
    pub fn content_length(&self) -> Option<u64> {
        self.header(CONTENT_LENGTH.as_str())?.trim().parse().ok()
    }

    /// The file name the server suggests (`Content-Disposition`'s `filename*` or `filename`),
    /// reduced to its last path component so that it cannot point outside a directory:
    /// `../../etc/passwd` reads as `passwd`, and `..` or an empty name as none.
    pub fn file_name(&self) -> Option<String> {
        file_name(self.header(CONTENT_DISPOSITION.as_str())?)
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The next chunk, or `None` at the end of the body.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// The rest of the body in one buffer, within the call's response size limit
    /// ([`Error::TooLarge`] past it).
    pub async fn bytes(mut self) -> Result<Bytes, Error> {
        let max_bytes = match &mut self.body {
            Chunks::Read(body) => return Ok(body.take().unwrap_or_default()),
            Chunks::Live { max_bytes, .. } => *max_bytes,
        };
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = self.chunk().await? {
            if (body.len() + chunk.len()) as u64 > max_bytes {
                return Err(Error::TooLarge {
                    operation_id: self.operation_id,
                    limit: max_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }
}

impl Stream for Download {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let (stream, idle, timer, waiting) = match &mut this.body {
            Chunks::Read(body) => return Poll::Ready(body.take().map(Ok)),
            Chunks::Live {
                stream,
                idle,
                timer,
                waiting,
                ..
            } => (stream, *idle, timer, waiting),
        };
        if !*waiting {
            timer.as_mut().reset(tokio::time::Instant::now() + idle);
            *waiting = true;
        }
        let outcome = match stream.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                *waiting = false;
                return Poll::Ready(Some(Ok(chunk)));
            }
            Poll::Ready(Some(Err(error))) => Some(Err(Error::from_reqwest(error))),
            Poll::Ready(None) => None,
            Poll::Pending => match timer.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(()) => Some(Err(Error::Stalled {
                    operation_id: this.operation_id,
                    idle,
                })),
            },
        };
        // The end, or an error that ends it: nothing more is read (the connection closes).
        this.body = Chunks::Read(None);
        Poll::Ready(outcome)
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .finish_non_exhaustive()
    }
}

/// The file name in a `Content-Disposition` value (RFC 6266): `filename*` (RFC 8187, UTF-8
/// percent-encoded) before `filename` (a token or a quoted string), then only the last path
/// component of it.
fn file_name(disposition: &str) -> Option<String> {
    let params = parameters(disposition);
    let extended = params
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("filename*"))
        .and_then(|(_, value)| {
            // charset'language'percent-encoded: only UTF-8 (and its ASCII subset) is read.
            let (charset, rest) = value.split_once('\'')?;
            let (_language, encoded) = rest.split_once('\'')?;
            let utf8 =
                charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("us-ascii");
            utf8.then(|| {
                percent_encoding::percent_decode_str(encoded)
                    .decode_utf8_lossy()
                    .into_owned()
            })
        });
    let name = extended.or_else(|| {
        params
            .into_iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("filename"))
            .map(|(_, value)| value)
    })?;
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let last: String = last.chars().filter(|c| !c.is_control()).collect();
    let last = last.trim();
    (!last.is_empty() && last != "." && last != "..").then(|| last.to_owned())
}

/// A header value's `; name=value` parameters after its first item, quoted strings unquoted
/// (a `;` inside quotes does not split).
fn parameters(value: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    let mut rest = match value.split_once(';') {
        Some((_, rest)) => rest,
        None => return params,
    };
    while let Some((name, after)) = rest.split_once('=') {
        let name = name.trim().to_owned();
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((index, c)) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = index + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            let next = quoted[end..].split_once(';').map_or("", |(_, next)| next);
            (value, next)
        } else {
            match after.split_once(';') {
                Some((value, next)) => (value.trim().to_owned(), next),
                None => (after.trim().to_owned(), ""),
            }
        };
        params.push((name, value));
        rest = next;
    }
    params
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn file_names_come_from_either_parameter_extended_first() {
        let cases = [
            ("attachment; filename=\"report.csv\"", Some("report.csv")),
            ("attachment; filename=report.csv", Some("report.csv")),
            (
                "attachment;filename=\"a;b \\\"c\\\".pdf\"",
                Some("a;b \"c\".pdf"),
            ),
            (
                "attachment; filename=\"EURO rates.txt\"; filename*=UTF-8''%e2%82%ac%20rates.txt",
                Some("€ rates.txt"),
            ),
            (
                "attachment; FILENAME*=utf-8'en'caf%C3%A9.zip",
                Some("café.zip"),
            ),
            // A charset the SDK does not decode falls back to the plain name.
            (
                "attachment; filename*=iso-8859-1''caf%E9.zip; filename=cafe.zip",
                Some("cafe.zip"),
            ),
            ("inline", None),
            ("attachment; size=3", None),
        ];
        for (header, expected) in cases {
            assert_eq!(file_name(header).as_deref(), expected, "{header}");
        }
    }

    #[test]
    fn a_file_name_cannot_leave_the_directory_it_is_saved_in() {
        let cases = [
            ("attachment; filename=\"../../etc/passwd\"", Some("passwd")),
            (
                "attachment; filename=\"C:\\\\Windows\\\\evil.dll\"",
                Some("evil.dll"),
            ),
            (
                "attachment; filename*=UTF-8''..%2F..%2Fkey.pem",
                Some("key.pem"),
            ),
            ("attachment; filename=\"..\"", None),
            ("attachment; filename=\"dir/\"", None),
            ("attachment; filename=\"a\tb.txt\"", Some("ab.txt")),
        ];
        for (header, expected) in cases {
            assert_eq!(file_name(header).as_deref(), expected, "{header}");
        }
    }
}
