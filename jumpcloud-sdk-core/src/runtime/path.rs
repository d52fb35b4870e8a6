//! The path of a failed decode, typed: segments (`Key`, `Index`) rendered as `inner.count`,
//! `list[1].count`, or `.` for the root. A [`DecodeError`](super::decode::DecodeError) collects
//! them innermost first, as it leaves each object and list.
use std::fmt;

/// One step of a [`DecodePath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// An object's key.
    Key(String),
    /// A list's index.
    Index(usize),
}

/// Where in a body a decode failed, outermost segment first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct DecodePath(Vec<Segment>);

impl DecodePath {
    /// The path of segments collected innermost first.
    pub(crate) fn from_innermost_first(segments: &[Segment]) -> Self {
        DecodePath(segments.iter().rev().cloned().collect())
    }
}

impl fmt::Display for DecodePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str(".");
        }
        for (position, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key) if position == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: &str) -> Segment {
        Segment::Key(key.to_owned())
    }

    #[test]
    fn renders_keys_dotted_and_indexes_bracketed() {
        let path = |segments: Vec<Segment>| DecodePath(segments).to_string();
        assert_eq!(path(vec![]), ".");
        assert_eq!(path(vec![key("inner"), key("count")]), "inner.count");
        assert_eq!(
            path(vec![key("list"), Segment::Index(1), key("count")]),
            "list[1].count"
        );
        assert_eq!(path(vec![Segment::Index(1), key("count")]), "[1].count");
        assert_eq!(path(vec![key("list")]), "list");
        let collected = [Segment::Index(0), key("k"), key("map")];
        assert_eq!(
            DecodePath::from_innermost_first(&collected).to_string(),
            "map.k[0]"
        );
    }
}
