//! `multipart/form-data` bodies: the parts a generated builder sets, turned into a `reqwest`
//! form for each attempt.
use bytes::Bytes;
use reqwest::multipart;

/// A file sent in a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct FilePart {
    bytes: Bytes,
    file_name: String,
    content_type: Option<String>,
}

impl FilePart {
    /// A file's contents and the name the server sees.
    pub fn new(bytes: impl Into<Bytes>, file_name: impl Into<String>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// Its media type (for example `image/png`); guessed by the server when unset.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
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

    pub(super) fn to_reqwest(&self) -> multipart::Form {
        self.0
            .iter()
            .fold(multipart::Form::new(), |form, (name, part)| match part {
                FormPart::Text(value) => form.text(*name, value.clone()),
                FormPart::File(file) => {
                    let part = || {
                        multipart::Part::stream(file.bytes.clone())
                            .file_name(file.file_name.clone())
                    };
                    // An unparsable media type is left for the server to guess.
                    let part = match file.content_type.as_deref() {
                        Some(media_type) => part().mime_str(media_type).unwrap_or_else(|_| part()),
                        None => part(),
                    };
                    form.part(*name, part)
                }
            })
    }
}
