//! Prints a renderer's token stream as Rust source, straight from the tokens.
//!
//! Parsing the tokens into a syntax tree only to print it again (syn, then prettyplease) was
//! 85% of rendering's CPU time, syn's parse alone 64%. The renderers emit a small, known part
//! of Rust, so the layout is decided from the tokens themselves. Blocks (item bodies, `match`,
//! `if`) put one statement, field, variant or arm per line; a parenthesised or bracketed list
//! that does not fit in [`WIDTH`] columns puts one element per line; everything else is spaced
//! as rustfmt would. Whitespace between tokens is all the printer chooses: the tokens, and so the code,
//! are exactly those the renderer made (the tests read the text back and compare).
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// The column a line should not pass (rustfmt's default).
const WIDTH: usize = 100;
const INDENT: usize = 4;

/// The source text of `tokens`, a whole file, ending in a newline.
pub fn file(tokens: TokenStream) -> String {
    let nodes = nodes(tokens);
    let mut printer = Printer::default();
    // A layout that fails here is one asked to stay on one line, which the file is not.
    let _ = printer.block(&nodes);
    if !printer.out.ends_with('\n') {
        printer.out.push('\n');
    }
    printer.out
}

/// A token as the printer lays it out.
#[derive(Debug)]
enum Node {
    Word(Word),
    /// Punctuation, with the characters that form one operator together (`::`, `->`, `&&`).
    Op(String),
    Group(Delimiter, Vec<Node>),
    /// `#[doc = r"…"]` (or `#![doc = …]`) with one line of text: printed as `///…` (`//!…`).
    Doc {
        inner: bool,
        text: String,
        literal: String,
    },
}

#[derive(Debug)]
struct Word {
    text: String,
    kind: WordKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordKind {
    /// An identifier, or a keyword that stands where one could (`self`, `Self`, `crate`, …).
    Ident,
    /// A keyword that spaces like an operator's neighbour (`as`, `impl`, `in`, `return`, …).
    Keyword(&'static str),
    Literal,
    Lifetime,
}

/// Keywords after which an opening parenthesis or bracket, or a leading `::`, is spaced.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "type", "union", "unsafe", "use", "where", "while",
];

/// What a statement starting with one of these opens with its braces: a body of lines.
const BLOCK_STATEMENTS: &[&str] = &[
    "enum", "fn", "for", "if", "impl", "loop", "match", "mod", "struct", "trait", "union", "while",
];

/// Operators of two or three characters, longest first: joint punctuation is merged into one
/// of these, so `->` is spaced as one operator.
const OPERATORS: &[&str] = &[
    "<<=", ">>=", "...", "..=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=",
    "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>", "..", "<-",
];

fn nodes(tokens: TokenStream) -> Vec<Node> {
    let mut out = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    let mut pending = String::new();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Punct(punct) => {
                let joint = punct.spacing() == Spacing::Joint;
                if punct.as_char() == '\'' && matches!(tokens.peek(), Some(TokenTree::Ident(_))) {
                    // A lifetime: the quote and the identifier after it.
                    split_operators(&pending, &mut out);
                    pending.clear();
                    if let Some(TokenTree::Ident(ident)) = tokens.next() {
                        out.push(word(format!("'{ident}"), WordKind::Lifetime));
                    }
                    continue;
                }
                pending.push(punct.as_char());
                let next_is_punct = matches!(tokens.peek(), Some(TokenTree::Punct(_)));
                if !(joint && next_is_punct) {
                    split_operators(&pending, &mut out);
                    pending.clear();
                }
            }
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let kind = match KEYWORDS.iter().find(|keyword| **keyword == text) {
                    Some(keyword) => WordKind::Keyword(keyword),
                    None => WordKind::Ident,
                };
                out.push(word(text, kind));
            }
            TokenTree::Literal(literal) => out.push(word(literal.to_string(), WordKind::Literal)),
            TokenTree::Group(group) => {
                let delimiter = group.delimiter();
                let stream = group.stream();
                // The group's own handle goes first, so the stream is taken, not copied.
                drop(group);
                let inner = nodes(stream);
                if let Some(doc) = doc_of(&mut out, delimiter, &inner) {
                    out.push(doc);
                } else {
                    out.push(Node::Group(delimiter, inner));
                }
            }
        }
    }
    out
}

fn word(text: String, kind: WordKind) -> Node {
    Node::Word(Word { text, kind })
}

/// Joint punctuation `run` as operators: the longest known one at each place, else one
/// character.
/// Whether `a` then `b` start one of Rust's operators (`=` then `>`), so printed together
/// they would be read as one.
fn forms_operator(a: char, b: char) -> bool {
    OPERATORS.iter().any(|known| {
        let mut chars = known.chars();
        chars.next() == Some(a) && chars.next() == Some(b)
    })
}

fn split_operators(mut run: &str, out: &mut Vec<Node>) {
    while !run.is_empty() {
        let length = OPERATORS
            .iter()
            .find(|op| run.starts_with(**op))
            .map_or(1, |op| op.len());
        out.push(Node::Op(run[..length].to_owned()));
        run = &run[length..];
    }
}

/// A doc line for a bracket group `[doc = r"…"]` that follows `#` (or `#!`) in `out`, which
/// loses those. `None` for any other group, and for text a `///` line cannot carry as it is.
fn doc_of(out: &mut Vec<Node>, delimiter: Delimiter, inner: &[Node]) -> Option<Node> {
    let [Node::Word(name), Node::Op(eq), Node::Word(literal)] = inner else {
        return None;
    };
    if delimiter != Delimiter::Bracket || name.text != "doc" || eq != "=" {
        return None;
    }
    let text = raw_text(&literal.text)?;
    // `////x` would be a plain comment, and a line break ends a `///` line.
    if text.contains(['\n', '\r']) || text.starts_with('/') {
        return None;
    }
    let ops: Vec<&str> = out
        .iter()
        .rev()
        .take(2)
        .map(|node| match node {
            Node::Op(op) => op.as_str(),
            _ => "",
        })
        .collect();
    let inner = match ops.as_slice() {
        ["!", "#", ..] => true,
        ["#", ..] => false,
        _ => return None,
    };
    out.truncate(out.len() - if inner { 2 } else { 1 });
    Some(Node::Doc {
        inner,
        text: text.to_owned(),
        literal: literal.text.clone(),
    })
}

/// The text of a string literal that needs no unescaping: a raw one, or a plain one with no
/// backslash.
fn raw_text(literal: &str) -> Option<&str> {
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw.get(hashes..raw.len().checked_sub(hashes)?)?;
        return body.strip_prefix('"')?.strip_suffix('"');
    }
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    (!body.contains('\\')).then_some(body)
}

/// Laying out on one line ran out of room, or met what needs lines of its own.
struct NoFit;

type Layout = Result<(), NoFit>;

#[derive(Default)]
struct Printer {
    out: String,
    indent: usize,
    column: usize,
    /// On one line only, within this many more columns.
    flat: Option<usize>,
    /// Inside a macro's input or an attribute, where a trailing comma may not be accepted.
    verbatim: usize,
}

/// What was printed last on a line, as it bears on the space before the next token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prev {
    /// Nothing yet: the line, or the group, starts here.
    Start,
    Word(WordKind),
    /// A group, the closing `>` of generics, or `?`: spaced as a word would be after it.
    Closed,
    /// An operator with no space after it (`.`, `::`, unary `&`, `!`, `#`, an opening `<` or `|`).
    Tight,
    /// `::` in particular: a brace after it is a use tree.
    PathSep,
    /// An operator with a space after it (binary ones, `,`, `:`, `;`, a closure's closing `|`).
    Spaced,
}

/// The state of one line of tokens within a group: generics open and a closure's parameters.
#[derive(Clone, Copy)]
struct Line {
    prev: Prev,
    angles: usize,
    closure_params: bool,
    /// The last word was `fn`, `struct`, …: the name after it may take generics.
    declaring: bool,
    /// A `<` here opens generics (after a type's or a declared item's name) rather than
    /// comparing.
    generics_next: bool,
}

impl Line {
    /// Takes operator `op`: whether a space goes before it.
    fn op(&mut self, op: &str) -> bool {
        let unary_place = matches!(
            self.prev,
            Prev::Start
                | Prev::Tight
                | Prev::PathSep
                | Prev::Spaced
                | Prev::Word(WordKind::Keyword(_))
        );
        let (before, after) = match op {
            "," | ";" | ":" => (false, Prev::Spaced),
            "." => (false, Prev::Tight),
            ".." | "..=" => (
                matches!(self.prev, Prev::Spaced | Prev::Word(WordKind::Keyword(_))),
                Prev::Tight,
            ),
            "?" => (false, Prev::Closed),
            "::" => (
                matches!(self.prev, Prev::Spaced | Prev::Word(WordKind::Keyword(_))),
                Prev::PathSep,
            ),
            "!" if self.prev == Prev::Word(WordKind::Ident) => (false, Prev::Tight),
            "#" | "!" => (spaced_before_word(self.prev), Prev::Tight),
            "&" | "&&" | "*" | "-" if unary_place => (spaced_before_word(self.prev), Prev::Tight),
            "<" if opens_generics(self) => {
                self.angles += 1;
                (self.prev == Prev::Spaced, Prev::Tight)
            }
            ">" if self.angles > 0 => {
                self.angles -= 1;
                (false, Prev::Closed)
            }
            ">>" if self.angles > 1 => {
                self.angles -= 2;
                (false, Prev::Closed)
            }
            "|" if self.closure_params => {
                self.closure_params = false;
                (false, Prev::Spaced)
            }
            "|" if unary_place => {
                self.closure_params = true;
                (spaced_before_word(self.prev), Prev::Tight)
            }
            "||" if unary_place => (spaced_before_word(self.prev), Prev::Spaced),
            _ => (self.prev != Prev::Start, Prev::Spaced),
        };
        self.prev = after;
        self.declaring = false;
        self.generics_next = false;
        before
    }

    /// Takes a word: whether a space goes before it.
    fn word(&mut self, word: &Word) -> bool {
        let before = spaced_before_word(self.prev);
        let upper = word.text.starts_with(|c: char| c.is_ascii_uppercase());
        self.generics_next = match word.kind {
            WordKind::Ident => self.declaring || upper,
            WordKind::Keyword(keyword) => matches!(keyword, "impl" | "for"),
            _ => false,
        };
        self.declaring = matches!(
            word.kind,
            WordKind::Keyword("fn" | "struct" | "enum" | "trait" | "type" | "union")
        );
        self.prev = Prev::Word(word.kind);
        before
    }

    /// After a group (or a doc attribute in a line).
    fn closed(&mut self) {
        self.prev = Prev::Closed;
        self.declaring = false;
        self.generics_next = false;
    }

    /// Takes any node, for its effect on the state only.
    fn pass(&mut self, node: &Node) {
        match node {
            Node::Word(word) => {
                self.word(word);
            }
            Node::Op(op) => {
                self.op(op);
            }
            Node::Group(..) | Node::Doc { .. } => self.closed(),
        }
    }

    /// Inside generics or a closure's parameters, where a comma separates nothing of the
    /// line's own.
    fn in_list(&self) -> bool {
        self.angles > 0 || self.closure_params
    }

    fn start() -> Self {
        Line {
            prev: Prev::Start,
            angles: 0,
            closure_params: false,
            declaring: false,
            generics_next: false,
        }
    }
}

impl Printer {
    fn push(&mut self, text: &str) -> Layout {
        if let Some(room) = &mut self.flat {
            if text.len() > *room || text.contains('\n') {
                return Err(NoFit);
            }
            *room -= text.len();
        }
        self.out.push_str(text);
        self.column += text.len();
        Ok(())
    }

    fn newline(&mut self) -> Layout {
        if self.flat.is_some() {
            return Err(NoFit);
        }
        let line_start = self.out.rfind('\n').map_or(0, |at| at + 1);
        if self.out[line_start..].bytes().all(|b| b == b' ') {
            // Nothing on this line yet: it is reused.
            self.out.truncate(line_start);
        } else {
            self.out.push('\n');
        }
        self.out
            .extend(std::iter::repeat_n(' ', self.indent * INDENT));
        self.column = self.indent * INDENT;
        Ok(())
    }

    /// Columns left on the current line.
    fn room(&self) -> usize {
        let room = WIDTH.saturating_sub(self.column);
        self.flat.map_or(room, |flat| flat.min(room))
    }

    /// `nodes` on one line, if they fit in `room` columns.
    fn flat_text(&self, room: usize, print: impl FnOnce(&mut Printer) -> Layout) -> Option<String> {
        let mut flat = Printer {
            flat: Some(room),
            verbatim: self.verbatim,
            ..Printer::default()
        };
        print(&mut flat).ok().map(|()| flat.out)
    }

    /// The lines of a block: statements, items, fields, variants or arms, one a line.
    fn block(&mut self, nodes: &[Node]) -> Layout {
        let mut at = 0;
        while at < nodes.len() {
            self.newline()?;
            at = self.statement(nodes, at)?;
        }
        Ok(())
    }

    /// One line of a block from `nodes[start]`: a doc line, an attribute, or tokens up to a
    /// `;` or `,`, or up to a block that ends a statement. Returns where the next one starts.
    fn statement(&mut self, nodes: &[Node], start: usize) -> Result<usize, NoFit> {
        if let Some(Node::Doc { inner, text, .. }) = nodes.get(start) {
            self.push(if *inner { "//!" } else { "///" })?;
            self.push(text)?;
            return Ok(start + 1);
        }
        if let Some(end) = attribute_end(nodes, start) {
            self.items(&nodes[start..end])?;
            return Ok(end);
        }
        let body = body_of(&nodes[start..]);
        let mut line = Line::start();
        let mut at = start;
        let indent = self.indent;
        if let Some(arrow) = arm_arrow(&nodes[start..]) {
            self.arm_head(&nodes[start..start + arrow], &nodes[start + arrow + 1..])?;
            at = start + arrow + 1;
            line.prev = if self.column == self.indent * INDENT {
                Prev::Start
            } else {
                Prev::Spaced
            };
        }
        let end = self.statement_rest(nodes, start, at, body, line);
        self.indent = indent;
        end
    }

    /// A match arm's pattern and `=>`: alternatives one a line (`| b`) when the pattern does not
    /// fit, and the body on the next line, indented, when it fits there but not after the `=>`.
    fn arm_head(&mut self, pattern: &[Node], body: &[Node]) -> Layout {
        let room = self.room();
        let fits = self.flat_text(room, |flat| flat.items(pattern)).is_some();
        if fits {
            self.items(pattern)?;
        } else {
            for (index, alternative) in pattern.split(|node| is_op(node, "|")).enumerate() {
                if index > 0 {
                    self.newline()?;
                    self.push("| ")?;
                }
                self.items(alternative)?;
            }
        }
        self.push(" =>")?;
        let body = &body[..sequence_end(body)];
        let opens_block = matches!(body.first(), Some(Node::Group(Delimiter::Brace, _)));
        if !opens_block && self.flat.is_none() {
            // Room for the space before the body and the comma after it.
            let after_arrow = self.room().saturating_sub(2);
            let fits_here = self
                .flat_text(after_arrow, |flat| flat.items(body))
                .is_some();
            let below = WIDTH.saturating_sub((self.indent + 1) * INDENT + 1);
            if !fits_here && self.flat_text(below, |flat| flat.items(body)).is_some() {
                self.indent += 1;
                self.newline()?;
            }
        }
        Ok(())
    }

    /// The rest of a statement from `at`, with `line` as its tokens so far stand.
    fn statement_rest(
        &mut self,
        nodes: &[Node],
        start: usize,
        mut at: usize,
        body: Body,
        mut line: Line,
    ) -> Result<usize, NoFit> {
        let mut chain = Chain::of(self, &nodes[at..]);
        while let Some(node) = nodes.get(at) {
            if at > start
                && (matches!(node, Node::Doc { .. }) || attribute_end(nodes, at).is_some())
            {
                return Ok(at);
            }
            let rest = &nodes[at + 1..];
            chain.before(self, nodes, at, &mut line)?;
            match node {
                Node::Group(Delimiter::Brace, inner) => {
                    self.space_before_group(Delimiter::Brace, &mut line)?;
                    // `m! { … }`: a macro's input takes no comma it did not have.
                    let verbatim = usize::from(self.out.ends_with('!'));
                    self.verbatim += verbatim;
                    self.brace(inner, body, line.prev == Prev::PathSep)?;
                    self.verbatim -= verbatim;
                    line.closed();
                    if !continues_after_block(rest.first()) {
                        return Ok(at + 1);
                    }
                }
                _ => self.node(node, &mut line, rest)?,
            }
            at += 1;
            if let Node::Op(op) = node {
                if op == ";" || (op == "," && !line.in_list()) {
                    return Ok(at);
                }
            }
        }
        Ok(at)
    }

    /// One token of a line, with the space before it; `rest` follows it on the line (a list
    /// that must break leaves room for it).
    fn node(&mut self, node: &Node, line: &mut Line, rest: &[Node]) -> Layout {
        match node {
            Node::Word(word) => {
                if line.word(word) {
                    self.push(" ")?;
                }
                self.push(&word.text)
            }
            Node::Op(op) => self.op(op, line),
            Node::Group(delimiter, inner) => {
                self.space_before_group(*delimiter, line)?;
                let use_tree = line.prev == Prev::PathSep;
                let verbatim = usize::from(self.out.ends_with(['!', '#']));
                self.verbatim += verbatim;
                match delimiter {
                    Delimiter::Brace => self.brace(inner, Body::Expression, use_tree)?,
                    Delimiter::None => self.items(inner)?,
                    _ => self.list(*delimiter, inner, rest)?,
                }
                self.verbatim -= verbatim;
                line.closed();
                Ok(())
            }
            Node::Doc { inner, literal, .. } => {
                // Not at the start of a line: the attribute as it came.
                let bang = if *inner { "!" } else { "" };
                if spaced_before_word(line.prev) {
                    self.push(" ")?;
                }
                self.push(&format!("#{bang}[doc = {literal}]"))?;
                line.closed();
                Ok(())
            }
        }
    }

    fn space_before_group(&mut self, delimiter: Delimiter, line: &mut Line) -> Layout {
        let spaced = match (delimiter, line.prev) {
            (_, Prev::Start | Prev::Tight | Prev::PathSep) => false,
            (Delimiter::Brace, _) => true,
            (_, Prev::Spaced) => true,
            (_, Prev::Word(WordKind::Keyword(word))) => word != "pub" && word != "fn",
            // `&'a (A, B)`, `&'static [T]`: a type after a lifetime, not a call.
            (_, Prev::Word(WordKind::Lifetime)) => true,
            _ => false,
        };
        if spaced {
            self.push(" ")?;
        }
        Ok(())
    }

    fn op(&mut self, op: &str, line: &mut Line) -> Layout {
        let prev = line.prev;
        let before = line.op(op);
        // Two operators never touch where they would read as one (`=` then `>` is not `=>`);
        // generics' closing `>` may meet another `>` or `=`, which Rust reads apart there.
        let joins = !before
            && self.out.chars().next_back().is_some_and(|last| {
                let first = op.chars().next().unwrap_or(' ');
                let closes_generics = prev == Prev::Closed && last == '>';
                !(closes_generics && matches!(first, '>' | '=')) && forms_operator(last, first)
            });
        if before || joins {
            self.push(" ")?;
        }
        self.push(op)
    }

    /// A brace group: `{}`, on one line when it fits and holds no statements (`{ a, b }`, or
    /// `{a, b}` in a use tree), else a block of lines (a list of them ends in a comma); always
    /// a block for an item's or control flow's body.
    fn brace(&mut self, inner: &[Node], body: Body, use_tree: bool) -> Layout {
        if inner.is_empty() {
            return self.push("{}");
        }
        if body == Body::Expression && is_flat_block(inner) {
            let on_one_line = self.without_trailing_comma(Delimiter::Brace, inner);
            let room = self.room();
            let pad = if use_tree { "" } else { " " };
            let flat = self.flat_text(room, |flat| {
                flat.push("{")?;
                flat.push(pad)?;
                flat.items(on_one_line)?;
                flat.push(pad)?;
                flat.push("}")
            });
            if let Some(text) = flat {
                return self.push(&text);
            }
        }
        self.push("{")?;
        self.indent += 1;
        self.block(inner)?;
        if self.verbatim == 0 && lists_lines(inner, body) {
            self.push(",")?;
        }
        self.indent -= 1;
        self.newline()?;
        self.push("}")
    }

    /// A list's elements as they stand on one line: a comma after the last is dropped (as
    /// rustfmt does) outside a macro's input, and in parentheses only where that cannot turn a
    /// tuple into a value (several elements, or a call's arguments).
    fn without_trailing_comma<'n>(&self, delimiter: Delimiter, inner: &'n [Node]) -> &'n [Node] {
        match inner.split_last() {
            Some((last, init))
                if is_op(last, ",")
                    && self.verbatim == 0
                    && (delimiter != Delimiter::Parenthesis
                        || self.after_name()
                        || first_element_end(inner) < init.len()) =>
            {
                init
            }
            _ => inner,
        }
    }

    /// The output ends in a name or a closing token: a parenthesis here holds a call's
    /// arguments (or a declaration's parameters), never a tuple.
    fn after_name(&self) -> bool {
        matches!(self.out.as_bytes().last(), Some(b) if b.is_ascii_alphanumeric() || b"_>)".contains(b))
    }

    /// Tokens on the current line, as one line's.
    fn items(&mut self, nodes: &[Node]) -> Layout {
        let mut line = Line::start();
        let indent = self.indent;
        let mut chain = Chain::of(self, nodes);
        for (at, node) in nodes.iter().enumerate() {
            chain.before(self, nodes, at, &mut line)?;
            self.node(node, &mut line, &nodes[at + 1..])?;
        }
        self.indent = indent;
        Ok(())
    }

    /// A parenthesised or bracketed list: on one line when it fits with what follows it on the
    /// line; else around a single element or one that ends in a block (`f(|x| {`); else one
    /// element a line.
    fn list(&mut self, delimiter: Delimiter, inner: &[Node], rest: &[Node]) -> Layout {
        let (open, close) = match delimiter {
            Delimiter::Parenthesis => ("(", ")"),
            _ => ("[", "]"),
        };
        let room = self.room().saturating_sub(tail_width(rest));
        let on_one_line = self.without_trailing_comma(delimiter, inner);
        let flat = self.flat_text(room, |flat| {
            flat.push(open)?;
            flat.items(on_one_line)?;
            flat.push(close)
        });
        if let Some(text) = flat {
            return self.push(&text);
        }
        if self.flat.is_some() {
            return Err(NoFit);
        }
        let elements = split_commas(inner);
        let ends_in_block =
            |nodes: &[Node]| matches!(nodes.last(), Some(Node::Group(Delimiter::Brace, _)));
        let hugs = match elements.split_last() {
            None => true,
            Some((last, init)) => {
                let room = self.room();
                let init_fits = self
                    .flat_text(room, |flat| init.iter().try_for_each(|e| flat.items(e)))
                    .is_some();
                init_fits && ends_in_block(last)
            }
        };
        // A comma after a single element is safe only where it cannot make a tuple: in a
        // call's arguments or a tuple struct's fields, after a name or a closing token.
        let comma_safe =
            elements.len() > 1 || (self.after_name() && delimiter == Delimiter::Parenthesis);
        self.push(open)?;
        if hugs {
            self.items(inner)?;
        } else {
            self.indent += 1;
            for element in &elements {
                self.newline()?;
                self.items(element)?;
            }
            let last_has_comma = inner.last().is_some_and(|node| is_op(node, ","));
            if self.verbatim == 0 && !last_has_comma && comma_safe {
                self.push(",")?;
            }
            self.indent -= 1;
            self.newline()?;
        }
        self.push(close)
    }
}

/// A method chain being printed: when two calls or more do not fit on the line, each call's
/// `.` starts a line, indented once unless the receiver ends a line of its own (the caller
/// restores the indent).
struct Chain {
    breaks: bool,
    indented: bool,
}

impl Chain {
    /// The chain of the tokens from here to the end of their statement or list element.
    fn of(printer: &Printer, nodes: &[Node]) -> Self {
        // On one line nothing breaks, so nothing is scanned.
        let nodes = match printer.flat {
            Some(_) => &[],
            None => &nodes[..sequence_end(nodes)],
        };
        let calls = (0..nodes.len())
            .filter(|&at| is_method_call(nodes, at))
            .count();
        let breaks = calls >= 2 && {
            let room = printer.room().saturating_sub(1);
            printer.flat_text(room, |flat| flat.items(nodes)).is_none()
        };
        Chain {
            breaks,
            indented: false,
        }
    }

    /// Before `nodes[at]`: a new line if it is a call's `.` in a chain that breaks.
    fn before(
        &mut self,
        printer: &mut Printer,
        nodes: &[Node],
        at: usize,
        line: &mut Line,
    ) -> Layout {
        if !self.breaks || !is_method_call(nodes, at) || line.prev == Prev::Start {
            return Ok(());
        }
        if !self.indented {
            // After a receiver of several lines (`f(\n…\n)`), the calls line up with its end.
            let line_start = printer.out.rfind('\n').map_or(0, |at| at + 1);
            let closes = printer.out[line_start..]
                .trim_start()
                .starts_with([')', ']', '}']);
            if !closes {
                printer.indent += 1;
            }
            self.indented = true;
        }
        printer.newline()?;
        line.prev = Prev::Start;
        Ok(())
    }
}

/// `nodes[at]` is the `.` of a method call (`.name(` or `.name::<`).
fn is_method_call(nodes: &[Node], at: usize) -> bool {
    matches!(
        nodes.get(at..at + 3),
        Some([Node::Op(dot), Node::Word(name), next])
            if dot == "." && name.kind == WordKind::Ident
                && (matches!(next, Node::Group(Delimiter::Parenthesis, _)) || is_op(next, "::"))
    )
}

/// Where a statement or list element ends: at its `;` or `,` (not one in generics or a
/// closure's parameters), after a block that ends it (`match x {…}` before the next arm), or
/// before an attribute or doc line. Scanning stops there, so a block of many statements is
/// not scanned again for each.
fn sequence_end(nodes: &[Node]) -> usize {
    let mut line = Line::start();
    for (at, node) in nodes.iter().enumerate() {
        match node {
            Node::Op(op) if (op == ";" || op == ",") && !line.in_list() => return at,
            Node::Op(op) if op == "#" && at > 0 => return at,
            Node::Doc { .. } if at > 0 => return at,
            Node::Group(Delimiter::Brace, _) if !continues_after_block(nodes.get(at + 1)) => {
                return at + 1;
            }
            _ => line.pass(node),
        }
    }
    nodes.len()
}

/// Where the `=>` of a match arm starting these tokens is, if they start one: before any
/// statement's or element's end, or block.
fn arm_arrow(nodes: &[Node]) -> Option<usize> {
    let mut line = Line::start();
    for (at, node) in nodes.iter().enumerate() {
        match node {
            Node::Op(op) if op == "=>" => return Some(at),
            Node::Op(op) if op == ";" || op == "#" => return None,
            Node::Op(op) if op == "," && !line.in_list() => return None,
            Node::Group(Delimiter::Brace, _) | Node::Doc { .. } => return None,
            _ => line.pass(node),
        }
    }
    None
}

/// `nodes[start..end]` is an attribute: `#` (or `#!`) and a bracket group.
fn attribute_end(nodes: &[Node], start: usize) -> Option<usize> {
    let is_op = |at: usize, want: &str| nodes.get(at).is_some_and(|node| is_op(node, want));
    if !is_op(start, "#") {
        return None;
    }
    let bracket = if is_op(start + 1, "!") {
        start + 2
    } else {
        start + 1
    };
    matches!(nodes.get(bracket), Some(Node::Group(Delimiter::Bracket, _))).then_some(bracket + 1)
}

/// What the braces of a statement hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// An expression's: a block, or a struct's fields when it is a struct expression.
    Expression,
    /// An item's or control flow's: lines.
    Lines,
    /// A struct's, union's or enum's: fields or variants, a comma after each.
    Fields,
}

/// What the braces of a statement starting with these tokens hold, by its first word after
/// its visibility and qualifiers.
fn body_of(nodes: &[Node]) -> Body {
    let mut after_pub = false;
    for node in nodes {
        let word = match node {
            Node::Word(word) => word.text.as_str(),
            // `pub(crate)`
            Node::Group(Delimiter::Parenthesis, _) if after_pub => {
                after_pub = false;
                continue;
            }
            _ => return Body::Expression,
        };
        after_pub = word == "pub";
        match word {
            "pub" | "unsafe" | "async" | "const" | "extern" | "default" => continue,
            "struct" | "enum" | "union" => return Body::Fields,
            other if BLOCK_STATEMENTS.contains(&other) => return Body::Lines,
            _ => return Body::Expression,
        }
    }
    Body::Expression
}

/// Whether a block's lines are a list (fields, variants, arms, a struct expression's fields),
/// which Rust's style ends with a comma: arms (`=>`), or for an expression's braces fields
/// (`name: value`) or commas outside closure parameters; never with statements, or after a
/// `..base`, which takes no comma.
fn lists_lines(nodes: &[Node], body: Body) -> bool {
    let has = |want: &str| nodes.iter().any(|node| is_op(node, want));
    let elements = split_commas(nodes);
    let ends_in_comma = nodes.last().is_some_and(|node| is_op(node, ","));
    let rest_of_base = elements
        .last()
        .is_some_and(|last| last.first().is_some_and(|node| is_op(node, "..")));
    let listed = match body {
        Body::Fields => true,
        Body::Lines => has("=>"),
        Body::Expression => {
            has("=>") || (elements.len() > 1 && !has("|")) || elements.iter().any(|e| is_field(e))
        }
    };
    listed && !has(";") && !ends_in_comma && !rest_of_base
}

/// `name: …` (a field, in a struct or a struct expression).
fn is_field(element: &[Node]) -> bool {
    matches!(element, [Node::Word(word), Node::Op(colon), ..]
        if word.kind == WordKind::Ident && colon == ":")
}

fn is_op(node: &Node, want: &str) -> bool {
    matches!(node, Node::Op(op) if op == want)
}

/// After a block, these keep the statement going on the same line: `} else {`, `},`, `}.f()`.
fn continues_after_block(next: Option<&Node>) -> bool {
    match next {
        Some(Node::Word(word)) => matches!(word.text.as_str(), "else" | "as"),
        Some(Node::Op(op)) => op != "#",
        Some(Node::Group(..) | Node::Doc { .. }) | None => false,
    }
}

/// Braces that can stay on one line: no statements, arms or attributes inside.
fn is_flat_block(nodes: &[Node]) -> bool {
    nodes.iter().all(|node| match node {
        Node::Op(op) => !matches!(op.as_str(), ";" | "=>" | "#"),
        Node::Doc { .. } => false,
        _ => true,
    })
}

/// The columns what follows a list on its line takes, up to a block or the line's end.
fn tail_width(rest: &[Node]) -> usize {
    let mut width = 0;
    for node in rest {
        width += match node {
            Node::Word(word) => word.text.len() + 1,
            Node::Op(op) if op == "," || op == ";" => return width + 1,
            // rustfmt would break the line after these rather than the list before them.
            Node::Op(op) if op == "=>" || op == "=" => return width + 2,
            Node::Op(op) => op.len() + 1,
            Node::Group(Delimiter::Brace, _) => return width + 2,
            Node::Group(..) | Node::Doc { .. } => return width,
        };
    }
    width
}

/// Where the first element of a list ends: after its comma, or at the end.
fn first_element_end(nodes: &[Node]) -> usize {
    list_commas(nodes).next().map_or(nodes.len(), |at| at + 1)
}

/// The elements of a list, each with its trailing comma.
fn split_commas(nodes: &[Node]) -> Vec<&[Node]> {
    let mut elements = Vec::new();
    let mut start = 0;
    for at in list_commas(nodes) {
        elements.push(&nodes[start..=at]);
        start = at + 1;
    }
    if start < nodes.len() {
        elements.push(&nodes[start..]);
    }
    elements
}

/// Where the commas that separate a list's elements are (not those in generics or a closure's
/// parameters), found as they are asked for.
fn list_commas(nodes: &[Node]) -> impl Iterator<Item = usize> + '_ {
    let mut line = Line::start();
    nodes.iter().enumerate().filter_map(move |(at, node)| {
        let separates = is_op(node, ",") && !line.in_list();
        line.pass(node);
        separates.then_some(at)
    })
}

fn spaced_before_word(prev: Prev) -> bool {
    matches!(prev, Prev::Word(_) | Prev::Closed | Prev::Spaced)
}

/// Whether a `<` here opens generics (`Vec<T>`, `impl<'a>`, `fn f<T>`, `::<T>`, `<T as X>`)
/// rather than comparing.
fn opens_generics(line: &Line) -> bool {
    match line.prev {
        Prev::Word(_) => line.generics_next,
        Prev::Start | Prev::PathSep | Prev::Tight | Prev::Spaced => true,
        Prev::Closed => false,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use quote::quote;

    /// The tokens of `tokens` as a comparable list: delimiters as tokens, punctuation with its
    /// jointness where the next token is punctuation too, string literals by their value, and
    /// no comma before a closing delimiter (the printer adds those where Rust's style has them).
    fn canonical(tokens: TokenStream) -> Vec<String> {
        fn walk(tokens: TokenStream, out: &mut Vec<String>) {
            let mut tokens = tokens.into_iter().peekable();
            while let Some(token) = tokens.next() {
                match token {
                    TokenTree::Group(group) => {
                        let (open, close) = match group.delimiter() {
                            Delimiter::Parenthesis => ("(", ")"),
                            Delimiter::Bracket => ("[", "]"),
                            Delimiter::Brace => ("{", "}"),
                            Delimiter::None => ("«", "»"),
                        };
                        let call = is_call(out);
                        out.push(open.into());
                        let start = out.len();
                        walk(group.stream(), out);
                        // A comma before `)` makes a one-element tuple, unless the parentheses
                        // hold a call's arguments (after a name or a closing token).
                        let mut depth = 0usize;
                        let mut commas = 0;
                        for token in &out[start..] {
                            match token.as_str() {
                                "(" | "[" | "{" | "«" => depth += 1,
                                ")" | "]" | "}" | "»" => depth -= 1,
                                "," if depth == 0 => commas += 1,
                                _ => {}
                            }
                        }
                        let optional = close != ")" || commas > 1 || call;
                        if optional && out.last().is_some_and(|last| last == ",") {
                            out.pop();
                        }
                        out.push(close.into());
                    }
                    // Jointness where it makes an operator; a `>` may close generics beside
                    // another `>` or `=` either way.
                    TokenTree::Punct(punct) => {
                        let c = punct.as_char();
                        let operator = match tokens.peek() {
                            Some(TokenTree::Punct(next)) => {
                                c != '>' && forms_operator(c, next.as_char())
                            }
                            _ => false,
                        };
                        out.push(match punct.spacing() {
                            Spacing::Joint if operator => format!("{c}j"),
                            _ => c.to_string(),
                        });
                    }
                    TokenTree::Ident(ident) => out.push(ident.to_string()),
                    TokenTree::Literal(literal) => out.push(string_value(&literal.to_string())),
                }
            }
        }
        let mut out = Vec::new();
        walk(tokens, &mut out);
        out
    }

    /// Parentheses after these canonical tokens hold a call's arguments (or a declaration's
    /// parameters): after a name that is not a keyword or a lifetime's, a `)`, or generics'
    /// closing `>` (not that of `=>` or `->`).
    fn is_call(out: &[String]) -> bool {
        let n = out.len();
        let (Some(last), before) = (out.last(), n.checked_sub(2).map(|at| out[at].as_str())) else {
            return false;
        };
        let lifetime = matches!(before, Some("'" | "'j"));
        match last.as_str() {
            ")" => true,
            ">" => !matches!(before, Some("=j" | "-j")),
            word => {
                word.starts_with(|c: char| c.is_alphabetic() || c == '_')
                    && !KEYWORDS.contains(&word)
                    && !lifetime
            }
        }
    }

    /// A string literal's value (so `r"a"`, `"a"` and a `///a` comment read the same); other
    /// literals as written.
    fn string_value(literal: &str) -> String {
        if let Some(text) = raw_text(literal) {
            return format!("str:{text}");
        }
        let Some(body) = literal.strip_prefix('"').and_then(|l| l.strip_suffix('"')) else {
            return literal.to_owned();
        };
        let mut value = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => value.push('\n'),
                Some('r') => value.push('\r'),
                Some('t') => value.push('\t'),
                Some('0') => value.push('\0'),
                Some('u') => {
                    let code: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                    let code = u32::from_str_radix(&code, 16).expect("a \\u escape");
                    value.push(char::from_u32(code).expect("a char"));
                }
                Some(other) => value.push(other),
                None => {}
            }
        }
        format!("str:{value}")
    }

    /// `tokens`, printed and read back, are the same tokens.
    pub(crate) fn assert_round_trip(tokens: TokenStream) {
        let printed = file(tokens.clone());
        let read: TokenStream = printed
            .parse()
            .unwrap_or_else(|error| panic!("printed text does not lex: {error}\n{printed}"));
        let (want, got) = (canonical(tokens), canonical(read));
        if want != got {
            let at = want.iter().zip(&got).take_while(|(a, b)| a == b).count();
            panic!(
                "printing changed the tokens at token {at}: {:?} became {:?}\n{printed}",
                &want[at..want.len().min(at + 8)],
                &got[at..got.len().min(at + 8)],
            );
        }
    }

    #[test]
    fn items_and_blocks_put_a_line_each() {
        let tokens = quote! {
            #![allow(unused)]
            #[doc = r" A thing."]
            #[derive(Debug)]
            pub struct Thing<'a> { pub name: &'a str, count: Option<Vec<u8>> }
            impl<'a> Thing<'a> {
                pub fn get(&self) -> Option<&str> {
                    if self.count.is_some() { Some(self.name) } else { None }
                }
            }
            enum E { A, B(u8) }
            use a::{b, c};
        };
        assert_eq!(
            file(tokens.clone()),
            "\
#![allow(unused)]
/// A thing.
#[derive(Debug)]
pub struct Thing<'a> {
    pub name: &'a str,
    count: Option<Vec<u8>>,
}
impl<'a> Thing<'a> {
    pub fn get(&self) -> Option<&str> {
        if self.count.is_some() {
            Some(self.name)
        } else {
            None
        }
    }
}
enum E {
    A,
    B(u8),
}
use a::{b, c};
"
        );
        assert_round_trip(tokens);
    }

    #[test]
    fn expressions_space_as_rustfmt_does() {
        let tokens = quote! {
            fn f<T: Into<String>>(x: &mut T, y: i64) -> Result<(), E> {
                let v = ::std::vec::Vec::<u8>::new();
                let z = -y * 2 + (y - 1) & !0;
                let ok = y < 3 && y >= -1 || !matches!(x, _);
                let c = |a: u8, b| a + b;
                let d = move || -> u8 { 1 };
                let s = S { a: 1, ..Default::default() };
                let r = &&v[..];
                match y { 0 => {} 1 | 2 => g(), _ => { h(); } }
                x?.y.await;
                println!("{}", 1);
                let t = (x,);
                let u = [(1, 2,), (3,),];
                g(x,);
                m!(1, 2,);
            }
        };
        let printed = file(tokens.clone());
        for line in [
            "fn f<T: Into<String>>(x: &mut T, y: i64) -> Result<(), E> {",
            "    let v = ::std::vec::Vec::<u8>::new();",
            "    let z = -y * 2 + (y - 1) & !0;",
            "    let ok = y < 3 && y >= -1 || !matches!(x, _);",
            "    let c = |a: u8, b| a + b;",
            "    let d = move || -> u8 { 1 };",
            "    let s = S { a: 1, ..Default::default() };",
            "    let r = &&v[..];",
            "        0 => {}",
            "        1 | 2 => g(),",
            "        _ => {",
            "            h();",
            "        },",
            "    x?.y.await;",
            "    println!(\"{}\", 1);",
            "    let t = (x,);",
            "    let u = [(1, 2), (3,)];",
            "    g(x);",
            "    m!(1, 2,);",
        ] {
            assert!(
                printed.lines().any(|l| l == line),
                "{line:?} not in\n{printed}"
            );
        }
        assert_round_trip(tokens);
    }

    #[test]
    fn long_lists_break_one_element_a_line() {
        let long = "a".repeat(60);
        let tokens = quote! {
            fn f() {
                call(first_argument_here, second_argument_here, #long);
                wrap(Thing { a: 1, b: #long, c: second_argument_here });
                one(#long, #long);
                m!(first_argument_here, second_argument_here, #long);
            }
        };
        let printed = file(tokens.clone());
        assert!(printed.contains(&format!(
            "    call(\n        first_argument_here,\n        second_argument_here,\n        \"{long}\",\n    );\n"
        )), "{printed}");
        // A list ending in a block stays around it.
        assert!(
            printed.contains("    wrap(Thing {\n        a: 1,\n"),
            "{printed}"
        );
        // A macro's input gets no comma it did not have.
        assert!(
            printed.contains(&format!("        \"{long}\"\n    );\n}}")),
            "{printed}"
        );
        for line in printed.lines() {
            assert!(line.len() <= WIDTH || line.contains(&long), "{line}");
        }
        assert_round_trip(tokens);
    }

    #[test]
    fn commas_are_added_only_to_lists() {
        let long = "a".repeat(80);
        let tokens = quote! {
            fn f() -> X {
                m! { a: 1, b: #long }
                let g = || { HashMap::<String, Vec<u8>>::with_capacity(#long) };
                let r: &'a (T,) = x;
                S { a: #long, ..Default::default() }
            }
        };
        let printed = file(tokens.clone());
        assert!(
            printed.contains(&format!("        b: \"{long}\"\n    }}")),
            "{printed}"
        );
        // No comma after the closure's body: the commas in it are its generics'.
        assert!(printed.contains("        )\n    };"), "{printed}");
        assert!(printed.contains("let r: &'a (T,) = x;"), "{printed}");
        assert!(
            printed.contains("        ..Default::default()\n    }"),
            "{printed}"
        );
        assert_round_trip(tokens);
    }

    #[test]
    fn operators_never_join_into_another() {
        // Lone `=` then `>`, and `-` then `>`: printed apart, they stay two tokens.
        let tokens: TokenStream =
            "f(a = > b, c - > d, e : : g, X < - 1, h . . i, j / / k, l & & m);"
                .parse()
                .unwrap();
        let printed = file(tokens.clone());
        for glued in ["=>", "->", "::", "<-", "..", "//", "&&"] {
            assert!(!printed.contains(glued), "{glued} in {printed}");
        }
        assert_round_trip(tokens);
    }

    #[test]
    fn a_doc_line_needs_one_line_of_text() {
        let tokens = quote! {
            #[doc = r#" Says "hi"."#]
            #[doc = "two\nlines"]
            #[doc = "a\rb"]
            struct S;
        };
        let printed = file(tokens.clone());
        assert!(
            printed.starts_with("/// Says \"hi\".\n#[doc = \"two\\nlines\"]\n#[doc = \"a\\rb\"]\n"),
            "{printed}"
        );
        assert_round_trip(tokens);
    }
}
