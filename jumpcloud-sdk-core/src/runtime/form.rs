//! `multipart/form-data` bodies: the parts a generated builder sets, turned into a `reqwest`
//! form for each attempt.
use crate::error::Error;
use bytes::Bytes;
use reqwest::multipart;
use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// A file sent in a `multipart/form-data` body: from memory, from a file on disk (read as it is
/// sent, never held whole), or from a stream.
///
/// ```no_run
/// # async fn run(client: jumpcloud_sdk::Client) -> Result<(), jumpcloud_sdk::Error> {
/// use jumpcloud_sdk::FilePart;
/// let logo = FilePart::from_path("logo.png").content_type("image/png");
/// client.applications().post_logo("app-id").image(logo).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct FilePart {
    source: Source,
    file_name: String,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Memory(Bytes),
    /// Opened anew by each attempt, so a retried upload sends the whole file again.
    Path(PathBuf),
    /// Taken by the first attempt: a call with one is sent once, never retried.
    Stream(Arc<Mutex<Option<reqwest::Body>>>, Option<u64>),
}

impl FilePart {
    /// A file's contents and the name the server sees.
    pub fn new(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        FilePart {
            source: Source::Memory(bytes.into()),
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// The file at `path`, named by its last component, read chunk by chunk as the request is
    /// sent (each attempt reads it again, so a retry sends it whole). A file that cannot be
    /// opened fails the call with [`Error::InvalidRequest`] before anything is sent.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        FilePart {
            source: Source::Path(path),
            file_name,
            content_type: None,
        }
    }

    /// A stream of chunks, sent as they come. A stream can be sent only once, so a call that
    /// carries one makes one attempt, whatever its retry policy (sending the same builder
    /// again fails with [`Error::InvalidRequest`]).
    pub fn from_stream<S>(stream: S, file_name: impl Into<String>) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        FilePart {
            source: Source::Stream(
                Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(stream)))),
                None,
            ),
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// The length of a stream's contents, when known: sent as the part's length instead of
    /// chunked encoding. Ignored for the other sources, whose length is known.
    pub fn length(mut self, bytes: u64) -> Self {
        if let Source::Stream(_, length) = &mut self.source {
            *length = Some(bytes);
        }
        self
    }

    /// Its media type (for example `image/png`); guessed by the server when unset.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// One attempt's part.
    fn to_part(&self, field: &str) -> Result<multipart::Part, Error> {
        let part = match &self.source {
            Source::Memory(bytes) => multipart::Part::stream(bytes.clone()),
            Source::Path(path) => {
                let unreadable = |error: std::io::Error| {
                    Error::InvalidRequest(format!("cannot read {}: {error}", path.display()))
                };
                let file = std::fs::File::open(path).map_err(unreadable)?;
                let length = file.metadata().map_err(unreadable)?.len();
                let file = tokio::fs::File::from_std(file);
                multipart::Part::stream_with_length(file, length)
            }
            Source::Stream(stream, length) => {
                let body = stream
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .take()
                    .ok_or_else(|| {
                        Error::InvalidRequest(format!(
                            "the stream of part {field} was already sent: a stream can be sent once"
                        ))
                    })?;
                match length {
                    Some(length) => multipart::Part::stream_with_length(body, *length),
                    None => multipart::Part::stream(body),
                }
            }
        };
        let part = part.file_name(self.file_name.clone());
        // An unparsable media type is left for the server to guess. It is tried on an empty
        // part first: a failed `mime_str` drops the part, and a stream cannot be taken again.
        let media_type = self
            .content_type
            .as_deref()
            .filter(|media_type| multipart::Part::text("").mime_str(media_type).is_ok());
        Ok(match media_type {
            Some(media_type) => part.mime_str(media_type).map_err(|error| {
                Error::InvalidRequest(format!("part {field} has a bad media type: {error}"))
            })?,
            None => part,
        })
    }

    fn repeatable(&self) -> bool {
        !matches!(self.source, Source::Stream(..))
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Memory(bytes) => format!("{} bytes in memory", bytes.len()),
            Source::Path(path) => format!("file {}", path.display()),
            Source::Stream(..) => "stream".to_owned(),
        };
        f.debug_struct("FilePart")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// A multipart form under construction; unset parts are left out. It keeps the parts, not a
/// `reqwest` form (which can be sent only once), so each attempt builds its own.
pub struct Form(Vec<(&'static str, FormPart)>);

enum FormPart {
    Text(String),
    File(FilePart),
}

impl Form {
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Form(Vec::new())
    }

    pub fn text(mut self, name: &'static str, value: Option<String>) -> Self {
        if let Some(value) = value {
            self.0.push((name, FormPart::Text(value)));
        }
        self
    }

    pub fn file(mut self, name: &'static str, file: Option<FilePart>) -> Self {
        if let Some(file) = file {
            self.0.push((name, FormPart::File(file)));
        }
        self
    }

    /// One attempt's form (a `reqwest` form can be sent only once).
    pub(super) fn to_reqwest(&self) -> Result<multipart::Form, Error> {
        self.0
            .iter()
            .try_fold(multipart::Form::new(), |form, (name, part)| match part {
                FormPart::Text(value) => Ok(form.text(*name, value.clone())),
                FormPart::File(file) => Ok(form.part(*name, file.to_part(name)?)),
            })
    }

    /// Whether each attempt can send the form again: not when a part is a stream.
    pub(super) fn repeatable(&self) -> bool {
        self.0.iter().all(|(_, part)| match part {
            FormPart::Text(_) => true,
            FormPart::File(file) => file.repeatable(),
        })
    }
}
