//! Stage 1: text to the openapiv3 model. Errors name the JSON pointer of the bad node.
use crate::LoadError;
use sha2::{Digest, Sha256};

/// A parsed document and the facts about its source text.
pub struct Loaded {
    pub document: openapiv3::OpenAPI,
    pub sha256: String,
}

/// Parses YAML or JSON (JSON is read by the YAML parser too, which accepts it).
pub fn load(text: &str) -> Result<Loaded, LoadError> {
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let document: openapiv3::OpenAPI =
        serde_path_to_error::deserialize(deserializer).map_err(|error| LoadError {
            pointer: pointer_of(error.path()),
            message: error.into_inner().to_string(),
        })?;
    if !document.openapi.starts_with("3.0") {
        return Err(LoadError {
            pointer: "/openapi".into(),
            message: format!(
                "unsupported OpenAPI version {:?}; 3.0.x is supported",
                document.openapi
            ),
        });
    }
    Ok(Loaded { document, sha256 })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// serde_path_to_error's path (`paths./users.get`) as a JSON pointer (`/paths/~1users/get`).
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push_str(&escape_pointer(key))
            }
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_document_names_the_place() {
        let error = load("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n")
            .err()
            .expect("invalid responses must fail");
        assert_eq!(error.pointer, "/paths/~1a/get/responses");
    }

    #[test]
    fn not_yaml_is_an_error_not_a_panic() {
        let error = load("{{{").err().expect("garbage must fail");
        assert!(!error.message.is_empty());
    }

    #[test]
    fn version_2_is_refused() {
        let error = load("openapi: 2.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n").err();
        assert_eq!(error.map(|e| e.pointer), Some("/openapi".to_owned()));
    }
}
