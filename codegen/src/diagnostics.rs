//! Warnings the generator reports without failing.
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
}

/// Something noticed in the document, located by JSON pointer; an empty pointer is a finding
/// about the generation as a whole (the shards' balance).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pointer: String,
    pub message: String,
}

impl Diagnostic {
    /// The diagnostic located in the named document of several (`v1#/paths/…`).
    pub fn in_document(mut self, document: &str) -> Self {
        self.pointer = qualify(document, &self.pointer);
        self
    }
}

/// A pointer into the named document of several, as a JSON reference (`v1#/paths/…`); a pointer
/// into an unnamed document is unchanged.
pub fn qualify(document: &str, pointer: &str) -> String {
    if document.is_empty() {
        pointer.to_owned()
    } else {
        format!("{document}#{pointer}")
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No pointer: a finding about the generation as a whole (the shards' balance).
        match self.pointer.as_str() {
            "" => write!(f, "warning: {}", self.message),
            pointer => write!(f, "warning: {pointer}: {}", self.message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagnostic_prints_its_pointer_unless_it_has_none() {
        let located = Diagnostic {
            severity: Severity::Warning,
            pointer: "/paths/~1a".into(),
            message: "odd".into(),
        };
        assert_eq!(located.to_string(), "warning: /paths/~1a: odd");
        let whole = Diagnostic {
            pointer: String::new(),
            ..located
        };
        assert_eq!(whole.to_string(), "warning: odd");
    }
}
