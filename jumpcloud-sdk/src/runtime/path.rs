//! The path of a failed decode, typed: segments (`Key`, `Index`) rendered as `inner.count`,
//! `list[1].count`, or `.` for the root.
//!
//! The path cannot travel inside the error: serde's `D::Error` crosses each nested
//! `Deserialize` call as a message only, and `erased_serde`'s error carries no payload at all.
//! So it travels beside it, on a thread-local trail: each walker level that fails (an object's
//! key in `model`, a lenient list's index in `lenient`) pushes its segment on the error's way
//! out, innermost first. Decoding is synchronous, so the trail of one thread is the trail of
//! one decode.
//!
//! Two rules keep the trail true. Recording is on only inside an entry point's [`record`],
//! which starts empty and hands the trail over when the decode fails (so a direct
//! `serde_json::from_str` of a generated type records nothing and leaves nothing behind). And
//! code that swallows or replaces a decode error inside a decode (an untagged enum's failed
//! variants; also an error body that does not match its schema) runs it through [`attempt`],
//! which drops what the failure recorded: a later error never inherits it.
use std::cell::RefCell;
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
    /// `inner`, below this path.
    pub(crate) fn join(mut self, inner: DecodePath) -> DecodePath {
        self.0.extend(inner.0);
        self
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

/// The path `serde_path_to_error` tracked above the first object read from its own text.
impl From<serde_path_to_error::Path> for DecodePath {
    fn from(path: serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as Tracked;
        DecodePath(
            path.iter()
                .map(|segment| match segment {
                    Tracked::Seq { index } => Segment::Index(*index),
                    Tracked::Map { key } | Tracked::Enum { variant: key } => {
                        Segment::Key(key.clone())
                    }
                    // Rendered as `serde_path_to_error` renders it.
                    Tracked::Unknown => Segment::Key("?".to_owned()),
                })
                .collect(),
        )
    }
}

thread_local! {
    /// The failing decode's segments, innermost first; `None` outside [`record`].
    static TRAIL: RefCell<Option<Vec<Segment>>> = const { RefCell::new(None) };
}

/// Notes that the error now on its way out failed inside `segment`. Called by each walker
/// level that fails; `segment` is built only when a decode is recording.
pub(crate) fn push(segment: impl FnOnce() -> Segment) {
    TRAIL.with(|trail| {
        if let Some(trail) = trail.borrow_mut().as_mut() {
            trail.push(segment());
        }
    });
}

/// Runs an entry point's decode with a fresh, recording trail; when it fails, the error comes
/// with the path its levels recorded. The previous state comes back afterwards, even on panic.
pub(crate) fn record<T, E>(decode: impl FnOnce() -> Result<T, E>) -> Result<T, (DecodePath, E)> {
    struct Restore(Option<Vec<Segment>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            TRAIL.with(|trail| *trail.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(TRAIL.with(|trail| trail.replace(Some(Vec::new()))));
    decode().map_err(|error| {
        let mut segments = TRAIL.with(|trail| trail.borrow_mut().take().unwrap_or_default());
        segments.reverse();
        (DecodePath(segments), error)
    })
}

/// Runs a decode whose error the caller swallows or replaces: a failure leaves the trail as it
/// found it.
pub(crate) fn attempt<T, E>(decode: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    let depth = || TRAIL.with(|trail| trail.borrow().as_ref().map_or(0, Vec::len));
    let before = depth();
    let result = decode();
    if result.is_err() && depth() > before {
        TRAIL.with(|trail| {
            if let Some(trail) = trail.borrow_mut().as_mut() {
                trail.truncate(before);
            }
        });
    }
    result
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
        let outer = DecodePath(vec![key("map"), key("k")]);
        assert_eq!(
            outer.join(DecodePath(vec![Segment::Index(0)])).to_string(),
            "map.k[0]"
        );
    }

    #[test]
    fn records_innermost_first_only_inside_an_entry_point() {
        push(|| unreachable!("not recording: no segment is built"));
        let failed = record(|| {
            push(|| key("count"));
            push(|| Segment::Index(2));
            push(|| key("list"));
            Err::<(), _>("boom")
        });
        assert_eq!(failed.unwrap_err().0.to_string(), "list[2].count");
        // Recording ended with the entry point.
        push(|| unreachable!("not recording: no segment is built"));
    }

    #[test]
    fn a_swallowed_failure_leaves_no_segment_and_the_next_entry_starts_clean() {
        let failed = record(|| {
            let swallowed = attempt(|| {
                push(|| key("stale"));
                Err::<(), _>("swallowed")
            });
            assert!(swallowed.is_err());
            push(|| key("n"));
            Err::<(), _>("boom")
        });
        assert_eq!(failed.unwrap_err().0.to_string(), "n");
        // An entry that fails without recording anything is at the root, whatever came before.
        assert_eq!(
            record(|| Err::<(), _>("boom")).unwrap_err().0.to_string(),
            "."
        );
    }
}
