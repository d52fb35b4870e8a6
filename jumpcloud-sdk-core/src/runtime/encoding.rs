//! Path and query encoding: path templates expanded with percent-encoded segments, query
//! values rendered in the OpenAPI `form` style.
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt::Display;

/// Everything RFC 3986 does not call unreserved gets encoded, so a value always stays one
/// path segment or one query value (`a/b?c` cannot add segments or a query, `a,b&c` cannot
/// add list items or parameters).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Expands a path template (`/usergroups/{group_id}/members`) with its parameters in order,
/// each percent-encoded as one segment. `.` and `..` are refused: URL normalization would turn
/// them into a move up the path, whatever their encoding.
pub(super) fn expand_path(template: &str, params: &[&dyn Display]) -> Result<String, String> {
    let mut path = String::with_capacity(template.len() + 16);
    let mut params = params.iter();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        path.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        let value = params
            .next()
            .ok_or_else(|| format!("no value for path parameter {name}"))?
            .to_string();
        if value.is_empty() || value == "." || value == ".." {
            return Err(format!("path parameter {name} cannot be {value:?}"));
        }
        path.extend(utf8_percent_encode(&value, COMPONENT));
        rest = &rest[start + len + 1..];
    }
    path.push_str(rest);
    Ok(path)
}

/// `text` percent-encoded as one query name or value.
pub(super) fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// A query value: rendered with `Display`, like the OpenAPI `form` style.
pub trait QueryValue {
    fn render(&self) -> String;
}

macro_rules! display_query_value {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn render(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_query_value!(String, str, bool, i32, i64, u32, u64, f32, f64);

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn render(&self) -> String {
        (**self).render()
    }
}
