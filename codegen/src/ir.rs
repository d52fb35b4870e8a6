//! The intermediate representation: what the document means, with every reference resolved,
//! every name chosen and every construct checked. Renderers read only this.
use std::collections::BTreeMap;

/// A whole API, ready to render. Types and operations are sorted by name.
#[derive(Debug, Clone, Default)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub sha256: String,
    pub types: BTreeMap<String, TypeDef>,
    pub operations: Vec<Operation>,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (unique, an identifier).
    pub name: String,
    /// Where it comes from, as a JSON pointer.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum, with its wire values in document order.
    Enum(Vec<EnumVariant>),
    /// One of several shapes, tried in order.
    Untagged(Vec<UntaggedVariant>),
    /// Another name for an existing type (`type A = B;`).
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Sorted by wire name.
    pub fields: Vec<Field>,
    /// Extra keys beyond the declared fields, kept in a map of this value type.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    /// Set when the field's type contains the struct itself, so it must be boxed.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub rust_name: String,
    pub ty: TypeRef,
}

/// A reference to a type, as used by fields, parameters and bodies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Named(String),
    String,
    Bool,
    I32,
    I64,
    U32,
    F32,
    F64,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Any JSON value: the schema declares no type.
    Json,
    /// Any JSON object: the schema says `type: object` and nothing more.
    JsonObject,
}

impl TypeRef {
    /// Named types this reference mentions directly or through containers.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Vec(inner) | TypeRef::Map(inner) => inner.named(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub operation_id: String,
    /// The Rust method on the group (`graph_user_group_members_list`).
    pub method_name: String,
    /// The request builder type (`GraphUserGroupMembersList`).
    pub builder_name: String,
    pub group: Group,
    pub method: Method,
    pub path: String,
    pub summary: Option<String>,
    /// Path parameters first in path order, then the others sorted by wire name.
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub success: Vec<SuccessResponse>,
    /// Documented error statuses (`None` is `default`), sorted.
    pub errors: Vec<ErrorResponse>,
    pub origin: String,
}

/// The module and accessor an operation is grouped under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group {
    /// The document's tag.
    pub tag: String,
    /// Module and accessor name (`user_groups`).
    pub module: String,
    /// Handle type name (`UserGroupsApi`).
    pub type_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    /// For arrays in the query: repeat the name (`a=1&a=2`) rather than join (`a=1,2`).
    pub explode: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub media_type: String,
    pub kind: BodyKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    Json(TypeRef),
    /// `multipart/form-data` with these parts, sorted by name.
    Multipart(Vec<MultipartPart>),
    /// Any other media type, sent as raw bytes.
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    pub wire_name: String,
    pub rust_name: String,
    pub required: bool,
    /// Files are sent as bytes with a file name; other parts as text.
    pub is_file: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SuccessResponse {
    pub status: u16,
    pub body: ResponseBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
    /// Non-JSON media type, read as bytes.
    Bytes {
        media_type: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// `None` for `default`.
    pub status: Option<u16>,
    /// The JSON schema of the body, when declared.
    pub body: Option<TypeRef>,
}
