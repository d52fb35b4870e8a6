//! The intermediate representation: what the document means, with every reference resolved,
//! every name chosen and every construct checked. Renderers read only this.
use std::collections::BTreeMap;

/// A whole API, ready to render. Types and operations are sorted by name.
#[derive(Debug, Clone, Default)]
pub struct Api {
    /// The first document's title, version and sha256.
    pub title: String,
    pub version: String,
    pub sha256: String,
    /// The documents generated from, in settings order: each operation's [`Operation::service`]
    /// indexes this.
    pub services: Vec<Service>,
    /// The regions the documents' servers are in, in the order the first document lists them.
    pub regions: Vec<Region>,
    pub types: BTreeMap<String, TypeDef>,
    pub operations: Vec<Operation>,
    /// Put each operation group behind a cargo feature of its module's name.
    pub group_features: bool,
    /// The `ApiErrorBody` variants: one per error schema any operation documents, sorted by
    /// type. Each operation's [`ErrorResponse`] names its variant.
    pub error_bodies: Vec<ErrorBody>,
    /// The testkit for the tests crate, when the settings ask for one.
    pub testkit: Option<Testkit>,
    /// The names given, for the next generation to keep (`crate::lock`).
    pub lock: crate::lock::NameLock,
    /// The groups (module names) whose operations reach each type through the type graph,
    /// found once in lowering; a type no operation reaches (kept by `Settings::keep_schemas`)
    /// is absent. The features' `cfg`s and the layout read it.
    pub reached_by: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Which crate each group and type is generated into, when the code is split.
    pub layout: Option<Layout>,
}

/// Where the generated code goes when it is split over crates (`Settings::split`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// The core crate's package name.
    pub core: String,
    /// What every shard's package name starts with (`{shard_prefix}-1`, …).
    pub shard_prefix: String,
    /// The shards, in order.
    pub shards: Vec<Shard>,
    /// The shard (index into [`Layout::shards`]) of each type only one group reaches; every other type is in the core.
    pub type_shard: BTreeMap<String, usize>,
}

/// One shard crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shard {
    /// Its package name (`acme-sdk-shard-1`).
    pub package: String,
    /// Its groups' module names, sorted.
    pub groups: Vec<String>,
}

impl Layout {
    /// The crate name Rust code spells a package name with (`acme_sdk_shard_1`).
    pub fn crate_ident(package: &str) -> String {
        package.replace('-', "_")
    }

    /// The shard (index into [`Layout::shards`]) group `module` is in.
    pub fn shard_of_group(&self, module: &str) -> Option<usize> {
        self.shards
            .iter()
            .position(|shard| shard.groups.iter().any(|group| group == module))
    }

    /// Each group's shard package, by the group's module name (what the name lock records).
    pub fn group_packages(&self) -> BTreeMap<String, String> {
        self.shards
            .iter()
            .flat_map(|shard| {
                shard
                    .groups
                    .iter()
                    .map(|group| (group.clone(), shard.package.clone()))
            })
            .collect()
    }

    /// The shard `name`'s type is generated into, or `None` for the core.
    pub fn shard_of_type(&self, name: &str) -> Option<usize> {
        self.type_shard.get(name).copied()
    }
}

/// One document's API: where its operations are sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Service {
    /// The document's name in the settings (`v1`; empty for a lone unnamed document).
    pub name: String,
    /// The Rust variant (`V1`).
    pub variant: String,
    pub title: String,
    pub version: String,
    pub sha256: String,
    /// The path its servers' URLs end in, when the settings declare one (`/api/v2`).
    pub base_path: Option<String>,
    /// Its base URL in each region, by index into [`Api::regions`] (a region its servers do
    /// not name gets its first server; none at all, empty).
    pub region_urls: Vec<String>,
}

/// A region, as the servers' region extension names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The extension's value (`eu`).
    pub code: String,
    /// The Rust variant (`Eu`).
    pub variant: String,
    /// The first server description that names it (`European Union (EU)`).
    pub description: Option<String>,
}

/// How the tests crate reaches the SDK and the testkit's hand-written half.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Testkit {
    /// The SDK crate's name as Rust code spells it (`my_sdk`).
    pub sdk_crate: String,
    /// The module of the hand-written half (`crate::testkit`).
    pub support: String,
}

/// A variant of the error-body enum: the schema it holds and the decoder that reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorBody {
    pub ty: TypeRef,
    pub variant: String,
    pub decoder: String,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (unique, an identifier).
    pub name: String,
    /// Where it comes from, as a JSON pointer into document [`TypeDef::document`].
    pub origin: String,
    /// The index of its document in [`Api::services`].
    pub document: usize,
    pub kind: TypeKind,
    /// Earlier names, still emitted as deprecated aliases for one release.
    pub renamed_from: Vec<String>,
    /// What the docs say about it (deprecation, description when asked).
    pub facts: Facts,
}

/// What the document says about a schema or parameter beyond its type, for the docs: facts
/// only; its description only when `Settings::descriptions` asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    /// `format` (`email`, `date-time`, `uri`, …).
    pub format: Option<String>,
    /// Validation keywords as the document spells them: `maxLength 64`, `pattern ^a+$`.
    pub limits: Vec<String>,
    /// `default`, as JSON text (cut when long). The SDK never sends it for the caller.
    pub default: Option<String>,
    /// `deprecated: true`, or one of `Settings::deprecated_extensions`.
    pub deprecated: bool,
    pub write_only: bool,
    /// The document's description, when the settings carry descriptions into docs.
    pub description: Option<String>,
}

impl TypeDef {
    /// The component schema's key (unescaped) when the type is one, not an inline schema.
    pub fn component_key(&self) -> Option<String> {
        self.origin
            .strip_prefix("/components/schemas/")
            .filter(|key| !key.contains('/'))
            .map(crate::load::unescape_pointer)
    }

    /// The types its definition mentions (fields, extra keys, alternatives, alias target).
    pub fn references(&self) -> Box<dyn Iterator<Item = &TypeRef> + '_> {
        match &self.kind {
            TypeKind::Struct(s) => {
                Box::new(s.fields.iter().map(|f| &f.ty).chain(s.additional.as_ref()))
            }
            TypeKind::Untagged(alternatives) => {
                Box::new(alternatives.variants.iter().map(|v| &v.ty))
            }
            TypeKind::Alias(target) => Box::new(std::iter::once(target)),
            TypeKind::Enum(_) => Box::new(std::iter::empty()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum, with its wire values in document order.
    Enum(Vec<EnumVariant>),
    /// One of several shapes, tried in order.
    Untagged(Alternatives),
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

impl Struct {
    /// The fields a request must set (required, not read-only): a struct with any is built by
    /// its constructor, which takes them, and has no `Default`.
    pub fn required_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.required)
    }
}

/// Whether the type has a `Default`: everything but a struct with required fields, an enum of
/// alternatives whose default variant (its first not boxed) lacks one, and what aliases them.
pub fn has_default(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    let mut ty = ty;
    for _ in 0..=types.len() {
        let Some(def) = ty.named().filter(|_| matches!(ty, TypeRef::Named(_))) else {
            return true;
        };
        match types.get(def).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => return s.required_fields().next().is_none(),
            Some(TypeKind::Untagged(alternatives)) => {
                match alternatives.variants.iter().find(|v| !v.boxed) {
                    Some(variant) => ty = &variant.ty,
                    None => return false,
                }
            }
            Some(TypeKind::Alias(target)) => ty = target,
            Some(TypeKind::Enum(_)) | None => return true,
        }
    }
    false
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    /// Required when sending; never set for read-only fields.
    pub required: bool,
    pub nullable: bool,
    pub read_only: bool,
    /// Set when the field's type contains the struct itself, so it must be boxed.
    pub boxed: bool,
    /// How the field is declared, read and written.
    pub shape: FieldShape,
    pub facts: Facts,
}

/// How a field is declared (`T` or `Option<T>`), read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldShape {
    /// A list or map, read leniently (null items, maps sent as JSON text: the runtime's
    /// `Lenient`); `always` (a required one) writes it even when unset, as `null` if it is
    /// also nullable.
    Lenient { always: bool },
    /// Required and not nullable, and `null` or absence reads as the type's default
    /// (`Settings::null_required_reads_default`): declared `T`.
    Required,
    /// Required and not nullable, read strictly: `null` fails the value. Declared `T`.
    Strict,
    /// Required but nullable: an `Option`, always written, `null` when unset.
    Nullable,
    /// An `Option`, written only when set (recursive fields too, so a value can end).
    Optional,
}

impl Field {
    /// Whether the field is declared `T` rather than `Option<T>`: required, not nullable.
    pub fn is_bare(&self) -> bool {
        let required = matches!(
            self.shape,
            FieldShape::Required | FieldShape::Strict | FieldShape::Lenient { always: true }
        );
        required && !self.nullable
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub rust_name: String,
    pub value: String,
}

/// The alternatives of a `oneOf`/`anyOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternatives {
    /// In the order they are tried (most specific first).
    pub variants: Vec<UntaggedVariant>,
    /// The discriminator's property: a value of it names the variant (`UntaggedVariant::tags`),
    /// which is then the only one tried; without a known value, the variants are tried in
    /// order.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// Set when the type contains the enum itself, so it must be boxed (and is never the
    /// enum's default).
    pub boxed: bool,
    /// The object keys this variant requires, when it is a struct: an object lacking one is
    /// never read as this variant.
    pub required_keys: Vec<String>,
    /// The discriminator values that select this variant (the first is written when encoding).
    pub tags: Vec<String>,
}

/// A reference to a type, as used by fields, parameters and bodies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    Named(String),
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// `format: date-time`, kept as text by the runtime's lenient `DateTime`.
    DateTime,
    /// `format: uuid`, kept as text by the runtime's lenient `Uuid`.
    Uuid,
    /// `format: byte`, base64 text kept as is by the runtime's lenient `Base64`.
    Base64,
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
    /// The document's operationId (made unique within its document).
    pub operation_id: String,
    /// The index of its document in [`Api::services`]: the base URL it is sent to.
    pub service: usize,
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
    /// What the caller gives: the method's arguments and the builder's setters, in the
    /// builder's field order (parameters, then the body or its multipart parts).
    pub slots: Vec<Slot>,
    pub success: Vec<SuccessResponse>,
    /// The enum of success bodies, when there are several (`FooResponse`).
    pub response_enum: Option<String>,
    /// How to page through the list this operation returns, when it does.
    pub pagination: Option<Pagination>,
    /// Its one success body is a file (`ResponseBody::Bytes`): the builder also gets
    /// `.download()`, which streams that body instead of buffering it.
    pub download: bool,
    /// Documented error statuses (`None` is `default`), sorted.
    pub errors: Vec<ErrorResponse>,
    pub origin: String,
    /// Earlier names in the same group, still emitted as deprecated aliases for one release.
    pub renamed_from: Vec<DeprecatedCall>,
    /// The operation's page on the API's reference site (`DocumentSettings::reference`).
    pub reference: Option<String>,
    /// Deprecation and, when asked, description.
    pub facts: Facts,
}

/// An operation's earlier method and builder names (and response enum's, when it has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeprecatedCall {
    pub method_name: String,
    pub builder_name: String,
    pub response_enum: Option<String>,
}

impl Operation {
    /// The types a caller meets in this operation: its parameters, its JSON body, its success
    /// bodies and its error bodies.
    pub fn type_roots(&self) -> impl Iterator<Item = &TypeRef> {
        let body = match self.body.as_ref().map(|b| &b.kind) {
            Some(BodyKind::Json(ty)) => Some(ty),
            _ => None,
        };
        let success = self.success.iter().filter_map(|s| match &s.body {
            ResponseBody::Json(ty) => Some(ty),
            _ => None,
        });
        let errors = self.errors.iter().filter_map(|e| e.body.as_ref());
        self.params
            .iter()
            .map(|p| &p.ty)
            .chain(body)
            .chain(success)
            .chain(errors)
    }

    /// Part `index` of the multipart body (what `SlotValue::Part` names).
    pub fn part(&self, index: usize) -> Option<&MultipartPart> {
        match &self.body {
            Some(RequestBody {
                kind: BodyKind::Multipart(parts),
                ..
            }) => parts.get(index),
            _ => None,
        }
    }
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
    /// JSON pointer of the parameter object where the operation declares it (path or
    /// operation level; a `$ref` is not followed).
    pub pointer: String,
    pub facts: Facts,
}

/// A value the caller gives an operation: a method argument or a builder setter.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// The argument and builder field name; a setter's method name.
    pub rust_name: String,
    pub role: SlotRole,
    pub value: SlotValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotRole {
    /// A required value: an argument of the group's method.
    Argument,
    /// An optional value: a setter of the builder.
    Setter,
}

/// What a slot holds, and so how it is typed and sent.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotValue {
    /// `Operation::params[i]`.
    Param(usize),
    /// The JSON body: one value, even when it is a list.
    JsonBody(TypeRef),
    /// A body of another media type, as bytes.
    BytesBody,
    /// Part `i` of the multipart body.
    Part(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub media_type: String,
    pub kind: BodyKind,
    /// JSON pointer of the chosen media type object.
    pub pointer: String,
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
    /// Its variant in the operation's response enum, when there are several.
    pub variant: String,
    pub body: ResponseBody,
    /// A JSON list body (through aliases): read item by item (the runtime's `json_list`).
    pub list: bool,
    /// JSON pointer of the chosen media type object, when there is a body.
    pub pointer: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    Json(TypeRef),
    /// Non-JSON media types (every one documented, sorted), read as bytes.
    Bytes {
        media_types: Vec<String>,
    },
}

/// A list operation: how its pages are asked for and where the items are.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub kind: PageKind,
    /// The element type.
    pub item: TypeRef,
    /// The response field holding the items; `None` when the body is the list itself.
    pub items_field: Option<ResponseField>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PageKind {
    /// `limit`/`skip` query parameters (their Rust names).
    Offset { limit: String, skip: String },
    /// A token parameter, and the response field carrying the next page's token.
    Token { param: String, next: ResponseField },
}

/// A field of a response struct.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseField {
    pub rust_name: String,
    /// Rendered as `Option<_>` when not required.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorResponse {
    /// `None` for `default`.
    pub status: Option<u16>,
    /// The JSON schema of the body, when declared.
    pub body: Option<TypeRef>,
    /// The `ApiErrorBody` variant and decoder for `body` (see `Api::error_bodies`).
    pub decoded_as: Option<ErrorBodyName>,
    /// JSON pointer of the chosen media type object, when there is a body.
    pub pointer: Option<String>,
}

/// The names of an error body's variant and decoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBodyName {
    pub variant: String,
    pub decoder: String,
}

/// Follows aliases to the type they name (lowering refuses alias cycles; the bound keeps a
/// malformed IR from looping).
pub fn resolve_alias<'t>(mut ty: &'t TypeRef, types: &'t BTreeMap<String, TypeDef>) -> &'t TypeRef {
    for _ in 0..=types.len() {
        match ty {
            TypeRef::Named(name) => match types.get(name) {
                Some(TypeDef {
                    kind: TypeKind::Alias(target),
                    ..
                }) => ty = target,
                _ => break,
            },
            _ => break,
        }
    }
    ty
}
