//! The validator's JSON reader: one pass over the text into a flat tape, strings borrowed.
//!
//! A request is read once, left to right, into a [`Doc`]: a list of nodes in document order
//! (an array or object node says where its last descendant ends, so a reader skips it in
//! one step) over the text itself. A string with no escape is a span of the text; only a
//! string with escapes is written out, into one buffer the document owns. There is no tree
//! of maps: a key is found by comparing the few keys of its object in place, which for the
//! ten or so keys of a request is faster than any map. Types stay as written: `"5"` is a
//! string, `5` a number, `5.0` a float, as serde_json reads them.
//!
//! The same guarantees as the serde_json reading it replaced, which `tests/reader.rs`
//! compares it with on generated requests:
//! - nesting deeper than [`MAX_DEPTH`] levels stops the reader ([`ReadError::TooDeep`]), so no
//!   text exhausts the stack;
//! - a lone UTF-16 surrogate escape (`"\ud83d"`: half an emoji cut by a `slice` in the page,
//!   which `JSON.stringify` writes so) reads as U+FFFD, as the same string does when handed
//!   over as a JS string, so an object and its JSON text give the same report;
//! - everything else that is not JSON (`NaN`, `1e400`, a trailing comma, a control character
//!   in a string) is a [`ReadError::Syntax`] with serde_json's wording and position.
//!
//! Reading allocates the tape (reused between calls by [`with_doc`]) and, only for strings
//! with escapes, their unescaped text.

use std::cell::RefCell;

/// The deepest nesting of arrays and objects a document may have, the root included.
pub const MAX_DEPTH: usize = 127;

/// Why a text is not a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not JSON: serde_json's wording, with the line and column (`"expected value at line 1
    /// column 1"`).
    Syntax(String),
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// A JSON number, as serde_json keeps it: a whole number in `u64` or (negative) `i64` when it
/// has no fraction or exponent and fits; any other number as an `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// A non-negative integer.
    Pos(u64),
    /// A negative integer.
    Neg(i64),
    /// Any other number (`-0`, `5.0`, `1e3`, integers beyond 64 bits).
    Float(f64),
}

impl Num {
    /// The number as an `i64`, when it is an integer that fits.
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Num::Pos(n) => i64::try_from(n).ok(),
            Num::Neg(n) => Some(n),
            Num::Float(_) => None,
        }
    }

    /// The number as a `u64`, when it is a non-negative integer.
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Num::Pos(n) => Some(n),
            Num::Neg(_) | Num::Float(_) => None,
        }
    }

    /// The number as an `f64` (rounded for integers beyond 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            Num::Pos(n) => n as f64,
            Num::Neg(n) => n as f64,
            Num::Float(f) => f,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Node<'t> {
    Null,
    Bool(bool),
    Num(Num),
    /// A string borrowed from the text (or from the value a document was made of).
    Str(&'t str),
    /// `owned[at..at + len]`: a string that had escapes.
    Owned {
        at: u32,
        len: u32,
    },
    /// `len` items; the nodes up to `end` (exclusive) are its descendants.
    Arr {
        len: u32,
        end: u32,
    },
    /// `len` entries, each a key node then its value; descendants up to `end`.
    Obj {
        len: u32,
        end: u32,
    },
}

/// A read document: the tape of its nodes over the text.
#[derive(Debug, Default)]
pub struct Doc<'t> {
    nodes: Vec<Node<'t>>,
    owned: String,
}

/// A JSON value of a [`Doc`]: a copy of a few words, strings borrowed.
#[derive(Debug, Clone, Copy, Default)]
pub enum Json<'d> {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Num),
    /// A string, unescaped.
    String(&'d str),
    /// An array.
    Array(Arr<'d>),
    /// An object.
    Object(Obj<'d>),
}

/// An array of a [`Doc`].
#[derive(Debug, Clone, Copy)]
pub struct Arr<'d> {
    doc: &'d Doc<'d>,
    at: usize,
}

/// An object of a [`Doc`].
#[derive(Debug, Clone, Copy)]
pub struct Obj<'d> {
    doc: &'d Doc<'d>,
    at: usize,
}

impl<'t> Doc<'t> {
    /// Reads a text. See the module's notes for what is refused.
    pub fn parse(text: &'t str) -> Result<Doc<'t>, ReadError> {
        let mut doc = Doc { nodes: Vec::new(), owned: String::new() };
        doc.read(text)?;
        Ok(doc)
    }

    fn read(&mut self, text: &'t str) -> Result<(), ReadError> {
        self.nodes.clear();
        self.owned.clear();
        if u32::try_from(text.len()).is_err() {
            return Err(ReadError::Syntax("the text is over 4 GiB".into()));
        }
        let mut r = Reader { text, b: text.as_bytes(), i: 0, nodes: &mut self.nodes, owned: &mut self.owned };
        r.ws();
        r.value(0)?;
        r.ws();
        if r.i < r.b.len() {
            return Err(r.error("trailing characters", r.i + 1));
        }
        Ok(())
    }

    /// The root value (`null` for a document never read).
    pub fn root(&self) -> Json<'_> {
        if self.nodes.is_empty() {
            return Json::Null;
        }
        self.value(0)
    }

    #[inline(always)]
    fn value(&self, at: usize) -> Json<'_> {
        match self.nodes[at] {
            Node::Null => Json::Null,
            Node::Bool(b) => Json::Bool(b),
            Node::Num(n) => Json::Number(n),
            Node::Str(_) | Node::Owned { .. } => Json::String(self.str_at(at)),
            Node::Arr { .. } => Json::Array(Arr { doc: self, at }),
            Node::Obj { .. } => Json::Object(Obj { doc: self, at }),
        }
    }

    #[inline(always)]
    fn str_at(&self, at: usize) -> &str {
        match self.nodes[at] {
            Node::Str(s) => s,
            // Spans are made at char boundaries by the reader.
            Node::Owned { at, len } => self.owned.get(at as usize..(at + len) as usize).unwrap_or(""),
            _ => "",
        }
    }

    /// The items of the array or the entries of the object at `at`.
    fn len_at(&self, at: usize) -> usize {
        match self.nodes[at] {
            Node::Arr { len, .. } | Node::Obj { len, .. } => len as usize,
            _ => 0,
        }
    }

    /// The node after `at` and all its descendants.
    #[inline(always)]
    fn next(&self, at: usize) -> usize {
        match self.nodes[at] {
            Node::Arr { end, .. } | Node::Obj { end, .. } => end as usize,
            _ => at + 1,
        }
    }
}

impl<'v> Doc<'v> {
    /// The document of a serde_json value, its strings borrowed: how the validator reads a
    /// value built in Rust, and the plain reading `tests/reader.rs` checks the reader against.
    pub fn from_value(value: &'v serde_json::Value) -> Doc<'v> {
        let mut doc = Doc::default();
        doc.push_value(value);
        doc
    }

    fn push_str(&mut self, s: &'v str) {
        self.nodes.push(Node::Str(s));
    }

    fn push_value(&mut self, value: &'v serde_json::Value) {
        use serde_json::Value;
        let node = match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Num(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Num::Pos(u),
                (None, Some(i)) => Num::Neg(i),
                _ => Num::Float(n.as_f64().unwrap_or(0.0)),
            }),
            Value::String(s) => return self.push_str(s),
            Value::Array(items) => {
                let at = self.nodes.len();
                self.nodes.push(Node::Null);
                items.iter().for_each(|item| self.push_value(item));
                self.nodes[at] = Node::Arr { len: items.len() as u32, end: self.nodes.len() as u32 };
                return;
            }
            Value::Object(map) => {
                let at = self.nodes.len();
                self.nodes.push(Node::Null);
                for (k, v) in map {
                    self.push_str(k);
                    self.push_value(v);
                }
                self.nodes[at] = Node::Obj { len: map.len() as u32, end: self.nodes.len() as u32 };
                return;
            }
        };
        self.nodes.push(node);
    }
}

thread_local! {
    static SPARE: RefCell<Option<Doc<'static>>> = const { RefCell::new(None) };
}

/// Reads a text into a document whose tape and string buffer are reused from the last call
/// on this thread (so a form validated on every keystroke allocates nothing here once warm),
/// and hands it to `f`.
pub fn with_doc<R>(text: &str, f: impl FnOnce(Result<&Doc<'_>, ReadError>) -> R) -> R {
    let spare = SPARE.with(|s| s.borrow_mut().take()).unwrap_or_default();
    // The spare tape is empty: its nodes borrowed nothing, so it takes the text's lifetime.
    let nodes: Vec<Node<'_>> = spare.nodes;
    let mut doc = Doc { nodes, owned: spare.owned };
    let read = doc.read(text);
    let out = f(read.map(|()| &doc));
    let Doc { mut nodes, owned } = doc;
    // A huge request's buffers are not kept.
    if nodes.capacity() <= 4096 && owned.capacity() <= 1 << 16 {
        nodes.clear();
        // Empty, so this keeps the allocation and changes only the lifetime.
        let nodes: Vec<Node<'static>> = nodes.into_iter().map(|_| Node::Null).collect();
        SPARE.with(|s| *s.borrow_mut() = Some(Doc { nodes, owned }));
    }
    out
}

impl<'d> Json<'d> {
    /// Its type, as messages name it.
    pub fn type_name(self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Number(_) => "number",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "object",
        }
    }

    /// True for `null`.
    #[inline]
    pub fn is_null(self) -> bool {
        matches!(self, Json::Null)
    }

    /// True for an array.
    pub fn is_array(self) -> bool {
        matches!(self, Json::Array(_))
    }

    /// The string, if it is one.
    #[inline]
    pub fn as_str(self) -> Option<&'d str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if it is one.
    #[inline]
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number, if it is one.
    pub fn as_number(self) -> Option<Num> {
        match self {
            Json::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an `f64`, if it is one.
    pub fn as_f64(self) -> Option<f64> {
        self.as_number().map(Num::as_f64)
    }

    /// The object, if it is one.
    pub fn as_object(self) -> Option<Obj<'d>> {
        match self {
            Json::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array, if it is one.
    pub fn as_array(self) -> Option<Arr<'d>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The value as a serde_json value (for results that hold a piece of the request).
    pub fn to_value(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(Num::Pos(n)) => Value::from(n),
            Json::Number(Num::Neg(n)) => Value::from(n),
            Json::Number(Num::Float(f)) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Json::String(s) => Value::String(s.to_owned()),
            Json::Array(a) => Value::Array(a.iter().map(Json::to_value).collect()),
            Json::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.to_owned(), v.to_value())).collect()),
        }
    }
}

impl<'d> Arr<'d> {
    /// How many items.
    pub fn len(self) -> usize {
        self.doc.len_at(self.at)
    }

    /// True when it has no item.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Its items, in order.
    pub fn iter(self) -> impl Iterator<Item = Json<'d>> {
        let doc = self.doc;
        let mut at = self.at + 1;
        (0..self.len()).map(move |_| {
            let v = doc.value(at);
            at = doc.next(at);
            v
        })
    }

    /// The item at an index.
    pub fn get(self, index: usize) -> Option<Json<'d>> {
        self.iter().nth(index)
    }
}

impl<'d> Obj<'d> {
    /// How many entries as written (a key written twice counts twice).
    pub fn len(self) -> usize {
        self.doc.len_at(self.at)
    }

    /// True when it has no entry.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// Its entries as written, in order (a key written twice comes twice; [`Obj::get`] gives
    /// the last, as serde_json and `JSON.parse` keep it).
    pub fn iter(self) -> impl Iterator<Item = (&'d str, Json<'d>)> {
        let doc = self.doc;
        let mut at = self.at + 1;
        (0..self.len()).map(move |_| {
            let key = doc.str_at(at);
            let value = doc.value(at + 1);
            at = doc.next(at + 1);
            (key, value)
        })
    }

    /// The value of a key (the last one where the key is written twice), `null` included.
    #[inline]
    pub fn get(self, key: &str) -> Option<Json<'d>> {
        let doc = self.doc;
        let end = match doc.nodes[self.at] {
            Node::Obj { end, .. } => end as usize,
            _ => return None,
        };
        // Keys are compared in place; only the value found is made a `Json`.
        let (mut at, mut found) = (self.at + 1, None);
        while at < end {
            if doc.str_at(at).as_bytes() == key.as_bytes() {
                found = Some(at + 1);
            }
            at = doc.next(at + 1);
        }
        found.map(|v| doc.value(v))
    }
}

struct Reader<'a, 't> {
    text: &'t str,
    b: &'t [u8],
    i: usize,
    nodes: &'a mut Vec<Node<'t>>,
    owned: &'a mut String,
}

impl<'t> Reader<'_, 't> {
    /// serde_json's message for a fault at byte position `at` (1-based for a byte looked
    /// at; the text's length at its end): the line, and the column as bytes since the last
    /// line break.
    fn error(&self, what: &str, at: usize) -> ReadError {
        let before = &self.b[..at.min(self.b.len())];
        let line = 1 + before.iter().filter(|&&c| c == b'\n').count();
        let line_start = before.iter().rposition(|&c| c == b'\n').map_or(0, |nl| nl + 1);
        let mut m = String::with_capacity(what.len() + 32);
        m.push_str(what);
        m.push_str(" at line ");
        crate::write::push_u64(&mut m, line as u64);
        m.push_str(" column ");
        crate::write::push_u64(&mut m, (before.len() - line_start) as u64);
        ReadError::Syntax(m)
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn eof(&self, what: &str) -> ReadError {
        self.error(what, self.b.len())
    }

    fn value(&mut self, depth: usize) -> Result<(), ReadError> {
        let Some(c) = self.peek() else { return Err(self.eof("EOF while parsing a value")) };
        match c {
            b'n' => self.literal(b"null", Node::Null),
            b't' => self.literal(b"true", Node::Bool(true)),
            b'f' => self.literal(b"false", Node::Bool(false)),
            b'"' => {
                self.i += 1;
                self.string()
            }
            b'-' | b'0'..=b'9' => self.number(),
            b'[' => self.array(depth + 1),
            b'{' => self.object(depth + 1),
            _ => Err(self.error("expected value", self.i + 1)),
        }
    }

    fn literal(&mut self, word: &[u8], node: Node<'t>) -> Result<(), ReadError> {
        for &want in word {
            match self.peek() {
                None => return Err(self.eof("EOF while parsing a value")),
                Some(c) if c == want => self.i += 1,
                Some(_) => return Err(self.error("expected ident", self.i + 1)),
            }
        }
        self.nodes.push(node);
        Ok(())
    }

    /// A number, read as serde_json (without `float_roundtrip`) reads it, to the same
    /// value: a whole number that fits stays a `u64`/`i64`; any other is the significand's
    /// first 19–20 digits times a power of ten from one table (no `core` float parser, whose
    /// tables cost the wasm ~20 KB).
    fn number(&mut self) -> Result<(), ReadError> {
        let positive = self.peek() != Some(b'-');
        if !positive {
            self.i += 1;
        }
        let Some(first) = self.peek() else { return Err(self.eof("EOF while parsing a value")) };
        self.i += 1;
        let mut significand: u64 = match first {
            b'0' => {
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("invalid number", self.i + 1));
                }
                0
            }
            b'1'..=b'9' => u64::from(first - b'0'),
            _ => return Err(self.error("invalid number", self.i)),
        };
        if first != b'0' {
            while let Some(c @ b'0'..=b'9') = self.peek() {
                let digit = u64::from(c - b'0');
                if overflows(significand, digit) {
                    // Beyond u64: the digits that do not fit only count toward the exponent.
                    let mut exponent = 0i32;
                    while let Some(b'0'..=b'9') = self.peek() {
                        self.i += 1;
                        exponent += 1;
                    }
                    let f = match self.peek() {
                        Some(b'.') => self.decimal(positive, significand, exponent)?,
                        Some(b'e' | b'E') => self.exponent(positive, significand, exponent)?,
                        _ => self.scaled(positive, significand, exponent)?,
                    };
                    self.nodes.push(Node::Num(Num::Float(f)));
                    return Ok(());
                }
                self.i += 1;
                significand = significand * 10 + digit;
            }
        }
        let num = match self.peek() {
            Some(b'.') => Num::Float(self.decimal(positive, significand, 0)?),
            Some(b'e' | b'E') => Num::Float(self.exponent(positive, significand, 0)?),
            _ if positive => Num::Pos(significand),
            _ => {
                // serde_json's reading: `-0` and what `i64` cannot hold are floats.
                let neg = (significand as i64).wrapping_neg();
                if neg >= 0 {
                    Num::Float(-(significand as f64))
                } else {
                    Num::Neg(neg)
                }
            }
        };
        self.nodes.push(Node::Num(num));
        Ok(())
    }

    /// The fraction, at its `.`.
    fn decimal(&mut self, positive: bool, mut significand: u64, before: i32) -> Result<f64, ReadError> {
        self.i += 1;
        let mut after = 0i32;
        while let Some(c @ b'0'..=b'9') = self.peek() {
            let digit = u64::from(c - b'0');
            if overflows(significand, digit) {
                // Further digits are dropped.
                while let Some(b'0'..=b'9') = self.peek() {
                    self.i += 1;
                }
                return match self.peek() {
                    Some(b'e' | b'E') => self.exponent(positive, significand, before + after),
                    _ => self.scaled(positive, significand, before + after),
                };
            }
            self.i += 1;
            significand = significand * 10 + digit;
            after -= 1;
        }
        if after == 0 {
            return Err(match self.peek() {
                Some(_) => self.error("invalid number", self.i + 1),
                None => self.eof("EOF while parsing a value"),
            });
        }
        match self.peek() {
            Some(b'e' | b'E') => self.exponent(positive, significand, before + after),
            _ => self.scaled(positive, significand, before + after),
        }
    }

    /// The exponent, at its `e`.
    fn exponent(&mut self, positive: bool, significand: u64, start: i32) -> Result<f64, ReadError> {
        self.i += 1;
        let positive_exp = match self.peek() {
            Some(b'+') => {
                self.i += 1;
                true
            }
            Some(b'-') => {
                self.i += 1;
                false
            }
            _ => true,
        };
        let Some(first) = self.peek() else { return Err(self.eof("EOF while parsing a value")) };
        self.i += 1;
        let mut exp = match first {
            b'0'..=b'9' => i32::from(first - b'0'),
            _ => return Err(self.error("invalid number", self.i)),
        };
        while let Some(c @ b'0'..=b'9') = self.peek() {
            self.i += 1;
            let digit = i32::from(c - b'0');
            if exp >= i32::MAX / 10 && (exp > i32::MAX / 10 || digit > i32::MAX % 10) {
                // An exponent past i32: out of range, or zero.
                if significand != 0 && positive_exp {
                    return Err(self.error("number out of range", self.i));
                }
                while let Some(b'0'..=b'9') = self.peek() {
                    self.i += 1;
                }
                return Ok(if positive { 0.0 } else { -0.0 });
            }
            exp = exp * 10 + digit;
        }
        let exp = if positive_exp { start.saturating_add(exp) } else { start.saturating_sub(exp) };
        self.scaled(positive, significand, exp)
    }

    fn scaled(&self, positive: bool, significand: u64, mut exponent: i32) -> Result<f64, ReadError> {
        let mut f = significand as f64;
        loop {
            match POW10.get(exponent.unsigned_abs() as usize) {
                Some(&pow) => {
                    if exponent >= 0 {
                        f *= pow;
                        if f.is_infinite() {
                            return Err(self.error("number out of range", self.i));
                        }
                    } else {
                        f /= pow;
                    }
                    break;
                }
                None => {
                    if f == 0.0 {
                        break;
                    }
                    if exponent >= 0 {
                        return Err(self.error("number out of range", self.i));
                    }
                    f /= 1e308;
                    exponent += 308;
                }
            }
        }
        Ok(if positive { f } else { -f })
    }

    fn string(&mut self) -> Result<(), ReadError> {
        let start = self.i;
        // The common case: no escape, the span of the text. Eight bytes at a time to the
        // first byte that is `"`, `\\` or a control character.
        self.i = skip_plain(self.b, self.i);
        loop {
            match self.peek() {
                None => return Err(self.eof("EOF while parsing a string")),
                Some(b'"') => {
                    // Both ends are at ASCII bytes, so char boundaries.
                    self.nodes.push(Node::Str(self.text.get(start..self.i).unwrap_or("")));
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => break,
                Some(0..=0x1f) => {
                    return Err(
                        self.error("control character (\\u0000-\\u001F) found while parsing a string", self.i + 1)
                    )
                }
                Some(_) => self.i += 1,
            }
        }
        let at = self.owned.len();
        let mut copied = start;
        loop {
            match self.peek() {
                None => return Err(self.eof("EOF while parsing a string")),
                Some(b'"') => {
                    self.flush(copied);
                    self.nodes.push(Node::Owned { at: at as u32, len: (self.owned.len() - at) as u32 });
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.flush(copied);
                    self.i += 1;
                    self.escape()?;
                    copied = self.i;
                }
                Some(0..=0x1f) => {
                    return Err(
                        self.error("control character (\\u0000-\\u001F) found while parsing a string", self.i + 1)
                    )
                }
                Some(_) => self.i += 1,
            }
        }
    }

    /// Copies `b[from..i]` (no escape in it) to the string buffer.
    fn flush(&mut self, from: usize) {
        // Both ends are at ASCII bytes of a `&str`, so char boundaries.
        if let Ok(s) = std::str::from_utf8(&self.b[from..self.i]) {
            self.owned.push_str(s);
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self) -> Result<(), ReadError> {
        let Some(c) = self.peek() else { return Err(self.eof("EOF while parsing a string")) };
        self.i += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        // A pair when a trailing half's escape follows; a lone half otherwise.
                        let trail = (self.b.get(self.i..self.i + 2) == Some(b"\\u"))
                            .then(|| hex_at(self.b, self.i + 2))
                            .flatten()
                            .filter(|u| (0xDC00..=0xDFFF).contains(u));
                        match trail {
                            Some(low) => {
                                self.i += 6;
                                let c = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                                char::from_u32(c).unwrap_or('\u{FFFD}')
                            }
                            None => '\u{FFFD}',
                        }
                    }
                    0xDC00..=0xDFFF => '\u{FFFD}',
                    u => char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
                }
            }
            _ => return Err(self.error("invalid escape", self.i)),
        };
        self.owned.push(ch);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, ReadError> {
        match hex_at(self.b, self.i) {
            Some(u) => {
                self.i += 4;
                Ok(u)
            }
            None if self.b.len() < self.i + 4 => Err(self.eof("EOF while parsing a string")),
            // serde_json reads the four bytes, then says where it stands.
            None => Err(self.error("invalid escape", self.i + 4)),
        }
    }

    fn enter(&mut self, depth: usize) -> Result<usize, ReadError> {
        if depth > MAX_DEPTH {
            return Err(ReadError::TooDeep);
        }
        self.i += 1;
        let at = self.nodes.len();
        self.nodes.push(Node::Null);
        self.ws();
        Ok(at)
    }

    fn array(&mut self, depth: usize) -> Result<(), ReadError> {
        let at = self.enter(depth)?;
        let mut len = 0u32;
        if self.peek().is_none() {
            return Err(self.eof("EOF while parsing a list"));
        }
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                self.value(depth)?;
                len += 1;
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        self.ws();
                        if self.peek() == Some(b']') {
                            return Err(self.error("trailing comma", self.i + 1));
                        }
                    }
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    Some(_) => return Err(self.error("expected `,` or `]`", self.i + 1)),
                    None => return Err(self.eof("EOF while parsing a list")),
                }
            }
        }
        self.nodes[at] = Node::Arr { len, end: self.nodes.len() as u32 };
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Result<(), ReadError> {
        let at = self.enter(depth)?;
        let mut len = 0u32;
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                match self.peek() {
                    Some(b'"') => {
                        self.i += 1;
                        self.string()?;
                    }
                    Some(b'}') if len > 0 => return Err(self.error("trailing comma", self.i + 1)),
                    Some(_) => return Err(self.error("key must be a string", self.i + 1)),
                    // After a comma serde_json wants a value; in `{` it wants the object.
                    None if len > 0 => return Err(self.eof("EOF while parsing a value")),
                    None => return Err(self.eof("EOF while parsing an object")),
                }
                self.ws();
                match self.peek() {
                    Some(b':') => self.i += 1,
                    Some(_) => return Err(self.error("expected `:`", self.i + 1)),
                    None => return Err(self.eof("EOF while parsing an object")),
                }
                self.ws();
                self.value(depth)?;
                len += 1;
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        self.ws();
                    }
                    Some(b'}') => {
                        self.i += 1;
                        break;
                    }
                    Some(_) => return Err(self.error("expected `,` or `}`", self.i + 1)),
                    None => return Err(self.eof("EOF while parsing an object")),
                }
            }
        }
        self.nodes[at] = Node::Obj { len, end: self.nodes.len() as u32 };
        Ok(())
    }
}

/// The first position from `at` of a byte that ends a plain run of a string: `"`, `\\`, or a
/// control character (below 0x20); the length when there is none.
fn skip_plain(b: &[u8], mut at: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte of `w` is zero ⇔ its high bit is set in `zero(w)` (exact for the lowest one,
    // which is all a stop needs).
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    while let Some(chunk) = b.get(at..at + 8) {
        let w = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
        // Control characters: bytes below 0x20, i.e. `w & 0xE0` is zero in that byte.
        let stop = zero(w ^ (ONES * u64::from(b'"'))) | zero(w ^ (ONES * u64::from(b'\\'))) | zero(w & (ONES * 0xE0));
        if stop != 0 {
            return at + (stop.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at
}

/// `significand * 10 + digit` would overflow a `u64`.
fn overflows(significand: u64, digit: u64) -> bool {
    significand >= u64::MAX / 10 && (significand > u64::MAX / 10 || digit > u64::MAX % 10)
}

/// 10^0 … 10^308, as serde_json scales a significand.
#[rustfmt::skip]
static POW10: [f64; 309] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28, 1e29, 1e30, 1e31, 1e32, 1e33, 1e34, 1e35, 1e36, 1e37, 1e38, 1e39, 1e40, 1e41, 1e42, 1e43, 1e44, 1e45, 1e46, 1e47, 1e48, 1e49, 1e50, 1e51, 1e52, 1e53, 1e54, 1e55, 1e56, 1e57, 1e58, 1e59, 1e60, 1e61, 1e62, 1e63, 1e64, 1e65, 1e66, 1e67, 1e68, 1e69, 1e70, 1e71, 1e72, 1e73, 1e74, 1e75, 1e76, 1e77, 1e78, 1e79, 1e80, 1e81, 1e82, 1e83, 1e84, 1e85, 1e86, 1e87, 1e88, 1e89, 1e90, 1e91, 1e92, 1e93, 1e94, 1e95, 1e96, 1e97, 1e98, 1e99, 1e100, 1e101, 1e102, 1e103, 1e104, 1e105, 1e106, 1e107, 1e108, 1e109, 1e110, 1e111, 1e112, 1e113, 1e114, 1e115, 1e116, 1e117, 1e118, 1e119, 1e120, 1e121, 1e122, 1e123, 1e124, 1e125, 1e126, 1e127, 1e128, 1e129, 1e130, 1e131, 1e132, 1e133, 1e134, 1e135, 1e136, 1e137, 1e138, 1e139, 1e140, 1e141, 1e142, 1e143, 1e144, 1e145, 1e146, 1e147, 1e148, 1e149, 1e150, 1e151, 1e152, 1e153, 1e154, 1e155, 1e156, 1e157, 1e158, 1e159, 1e160, 1e161, 1e162, 1e163, 1e164, 1e165, 1e166, 1e167, 1e168, 1e169, 1e170, 1e171, 1e172, 1e173, 1e174, 1e175, 1e176, 1e177, 1e178, 1e179, 1e180, 1e181, 1e182, 1e183, 1e184, 1e185, 1e186, 1e187, 1e188, 1e189, 1e190, 1e191, 1e192, 1e193, 1e194, 1e195, 1e196, 1e197, 1e198, 1e199, 1e200, 1e201, 1e202, 1e203, 1e204, 1e205, 1e206, 1e207, 1e208, 1e209, 1e210, 1e211, 1e212, 1e213, 1e214, 1e215, 1e216, 1e217, 1e218, 1e219, 1e220, 1e221, 1e222, 1e223, 1e224, 1e225, 1e226, 1e227, 1e228, 1e229, 1e230, 1e231, 1e232, 1e233, 1e234, 1e235, 1e236, 1e237, 1e238, 1e239, 1e240, 1e241, 1e242, 1e243, 1e244, 1e245, 1e246, 1e247, 1e248, 1e249, 1e250, 1e251, 1e252, 1e253, 1e254, 1e255, 1e256, 1e257, 1e258, 1e259, 1e260, 1e261, 1e262, 1e263, 1e264, 1e265, 1e266, 1e267, 1e268, 1e269, 1e270, 1e271, 1e272, 1e273, 1e274, 1e275, 1e276, 1e277, 1e278, 1e279, 1e280, 1e281, 1e282, 1e283, 1e284, 1e285, 1e286, 1e287, 1e288, 1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298, 1e299, 1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308];

/// Four hex digits at `at`, as a UTF-16 code unit.
fn hex_at(b: &[u8], at: usize) -> Option<u16> {
    let digits = b.get(at..at.checked_add(4)?)?;
    digits.iter().try_fold(0u16, |n, &d| Some(n << 4 | (d as char).to_digit(16)? as u16))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> serde_json::Value {
        Doc::parse(text).unwrap().root().to_value()
    }

    #[test]
    fn reads_as_serde_json() {
        for text in [
            r#"{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":-2,"g":1.5,"h":-0,"i":1e2}"#,
            r#" [ 1 , "x\ny" , {"\u00e9":"\ud83d\ude00"} ] "#,
            r#"18446744073709551615"#,
            r#"18446744073709551616"#,
            r#"-9223372036854775808"#,
            r#"-9223372036854775809"#,
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#"{"k":1,"k":2}"#,
            r#"[0.1, 2.5e-3, 1.7976931348623157e308, 5e-324, 123456789012345678901234567890, 1.23456789012345678901e5]"#,
            r#"[-1e-400, 1e-2147483649, 0e99999999999, -0.0, 9007199254740993, 9007199254740993.0, 1E+2]"#,
            r#"[18446744073709551615.5, 0.30000000000000004, 100000000000000000000000e-20]"#,
        ] {
            let want: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(read(text), want, "{text}");
        }
    }

    #[test]
    fn long_strings_stop_at_every_escape_and_control_position() {
        for n in 0..40 {
            for stop in ["\\n", "\\\"", "\\u00e9", "\\ud83d\\ude00"] {
                let text = format!("\"{}{stop}{}é\"", "a".repeat(n), "b".repeat(n % 9));
                let want: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(read(&text), want, "{text}");
            }
            let raw = format!("\"{}\u{1}\"", "a".repeat(n));
            assert!(Doc::parse(&raw).is_err(), "{raw:?}");
        }
    }

    #[test]
    fn numbers_keep_their_kind() {
        let kinds = |text: &str| match Doc::parse(text).unwrap().root() {
            Json::Number(n) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!(kinds("5"), Num::Pos(5));
        assert_eq!(kinds("-5"), Num::Neg(-5));
        assert!(matches!(kinds("-0"), Num::Float(f) if f == 0.0 && f.is_sign_negative()));
        assert_eq!(kinds("5.0"), Num::Float(5.0));
        assert_eq!(kinds("18446744073709551616"), Num::Float(18446744073709551616.0));
    }

    #[test]
    fn lone_surrogates_read_as_replacement_characters() {
        assert_eq!(read(r#""x\ud800y""#), json!("x\u{FFFD}y"));
        assert_eq!(read(r#""\ude00""#), json!("\u{FFFD}"));
        assert_eq!(read(r#""\ud83d\ud83d\ude00""#), json!("\u{FFFD}😀"));
        assert_eq!(read(r#""\ud83d\u0041""#), json!("\u{FFFD}A"));
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for text in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{1:2}",
            "nul",
            "01",
            "1.",
            "1e",
            "-",
            "NaN",
            "1e400",
            "-1e400",
            "\"a",
            "\"\u{1}\"",
            "\"\\x\"",
            "\"\\ud8\"",
            "\"\\ud800",
            "[1 2]",
            "{\"a\" 1}",
            "1 2",
            "\u{feff}{}",
        ] {
            let ours = Doc::parse(text);
            let theirs = serde_json::from_str::<serde_json::Value>(text);
            assert!(ours.is_err(), "{text:?} read as {:?}", ours.map(|d| d.root().to_value()));
            if let (Err(ReadError::Syntax(a)), Err(b)) = (&ours, &theirs) {
                assert_eq!(a, &b.to_string(), "{text:?}");
            }
        }
    }

    #[test]
    fn depth_is_bounded() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(Doc::parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(Doc::parse(&nested(MAX_DEPTH + 1)).unwrap_err(), ReadError::TooDeep);
        assert_eq!(Doc::parse(&"[".repeat(100_000)).unwrap_err(), ReadError::TooDeep);
    }

    #[test]
    fn objects_give_the_last_of_a_repeated_key() {
        let doc = Doc::parse(r#"{"a":1,"b":null,"a":"x"}"#).unwrap();
        let o = doc.root().as_object().unwrap();
        assert_eq!(o.get("a").and_then(Json::as_str), Some("x"));
        assert!(o.get("b").unwrap().is_null());
        assert!(o.get("c").is_none());
        assert_eq!(o.len(), 3);
    }

    /// A reused tape holds nothing of the text before it, escaped strings included, nor of
    /// a text that failed (that nothing is allocated once warm: `tests/allocations.rs`).
    #[test]
    fn with_doc_reads_each_text_afresh() {
        for text in [r#"{"a":"\n"}"#, r#"{"b":[1,2,3]}"#, r#"{"c":"\t","d":"\u00e9"}"#, "[{", r#"{"e":1}"#] {
            if text == "[{" {
                assert!(with_doc(text, |d| d.is_err()));
                continue;
            }
            let v = with_doc(text, |d| d.unwrap().root().to_value());
            assert_eq!(v, serde_json::from_str::<serde_json::Value>(text).unwrap());
        }
    }
}
