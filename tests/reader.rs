//! The validator's JSON reader (`kling_omni::json`) against the plain reading it replaced
//! (`rules::parse_json`: serde_json, plus its repair of lone surrogate escapes):
//!
//! - generated JSON texts (nested, repeated keys, numbers of every kind, strings with every
//!   escape and lone surrogates, random whitespace) and the same texts mutated: both readers
//!   accept, giving the same value, or both refuse, with the same message (`TooDeep` where
//!   serde_json says "recursion limit exceeded");
//! - the depth boundary, row by row;
//! - `Doc::from_value` gives back any value;
//! - hostile texts read in bounded time and memory;
//! - the validator's reports on generated requests (each provider's, from
//!   `support/requests.rs`) written as text with keys in any order, any whitespace and
//!   escapes: `validate_json` (the reader) gives the report `validate` gives on serde_json's
//!   reading of the same text.
//!
//! Native only (proptest is a dev-dependency for non-wasm targets).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/bounded.rs"]
mod bounded;
#[path = "support/requests.rs"]
mod requests;

use bounded::{alone, bounded, MB};
use kling_omni::json::{with_doc, Doc, Json, ReadError, MAX_DEPTH};
use kling_omni::rules::parse_json;
use kling_omni::{validate, validate_json, ArgumentError, MediaFacts, Provider};
use proptest::prelude::*;
use proptest::test_runner::Config;
use requests::{media, request, Noise};
use serde_json::{Map, Value};

// ---------------------------------------------------------------- the comparison

/// What a reader made of a text: the value written back by serde_json (bit-exact for
/// floats, `-0` included), or the error.
#[derive(Debug, PartialEq)]
enum Read {
    Value(String),
    Syntax(String),
    TooDeep,
}

fn ours(text: &str) -> Read {
    match Doc::parse(text) {
        Ok(doc) => Read::Value(written(&doc.root().to_value())),
        Err(ReadError::Syntax(m)) => Read::Syntax(m),
        Err(ReadError::TooDeep) => Read::TooDeep,
    }
}

fn theirs(text: &str) -> Read {
    match parse_json(text) {
        Ok(v) => Read::Value(written(&v)),
        Err(ArgumentError::NotJson(m)) => Read::Syntax(m),
        Err(ArgumentError::TooDeep) => Read::TooDeep,
        Err(e @ ArgumentError::NotAnObject(_)) => unreachable!("parse_json never says {e:?}"),
    }
}

fn written(v: &Value) -> String {
    serde_json::to_string(v).expect("a value is written")
}

/// Both readers agree on `text`; `with_doc` (its buffers reused from the text before) too.
fn same_reading(text: &str) -> Result<(), TestCaseError> {
    let (a, b) = (ours(text), theirs(text));
    prop_assert_eq!(&a, &b, "text {:?}", text);
    let reused = with_doc(text, |d| match d {
        Ok(doc) => Read::Value(written(&doc.root().to_value())),
        Err(ReadError::Syntax(m)) => Read::Syntax(m),
        Err(ReadError::TooDeep) => Read::TooDeep,
    });
    prop_assert_eq!(&reused, &a, "with_doc on {:?}", text);
    Ok(())
}

// ---------------------------------------------------------------- generated texts

/// Whitespace between tokens: mostly none, any of JSON's four.
fn ws() -> impl Strategy<Value = String> {
    prop_oneof![3 => Just(String::new()), 1 => "[ \t\n\r]{1,3}"]
}

/// A number as written: integers of every size (past `u64` and `i64`), `-0`, fractions,
/// exponents (past `f64`'s range), and the boundaries.
fn number() -> impl Strategy<Value = String> {
    let digits = |n: std::ops::RangeInclusive<usize>| prop::collection::vec(0u8..10, n);
    let int = prop_oneof![
        Just("0".to_string()),
        (1u8..10, digits(0..=25))
            .prop_map(|(d, rest)| { std::iter::once(d).chain(rest).map(|d| char::from(b'0' + d)).collect::<String>() }),
    ];
    let frac = prop::option::of(digits(1..=20).prop_map(|d| d.into_iter().map(|d| char::from(b'0' + d)).collect()));
    let exp = prop::option::of((
        prop::sample::select(vec!["e", "E"]),
        prop::sample::select(vec!["", "+", "-"]),
        prop_oneof![0u32..30, 280u32..330, Just(400), Just(99999)],
    ));
    let written = (any::<bool>(), int, frac, exp).prop_map(|(neg, int, frac, exp): (_, _, Option<String>, _)| {
        let mut s = String::new();
        if neg {
            s.push('-');
        }
        s.push_str(&int);
        if let Some(f) = frac {
            s.push('.');
            s.push_str(&f);
        }
        if let Some((e, sign, n)) = exp {
            s.push_str(e);
            s.push_str(sign);
            s.push_str(&n.to_string());
        }
        s
    });
    prop_oneof![
        3 => written,
        1 => prop::sample::select(BOUNDARY_NUMBERS.to_vec()).prop_map(String::from),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| f.to_string()),
    ]
}

const BOUNDARY_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-0.0",
    "0e0",
    "-0e-0",
    "5",
    "5.0",
    "5e0",
    "1E+2",
    "0.1",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775808",
    "-9223372036854775809",
    "9007199254740993",
    "123456789012345678901234567890",
    "1e400",
    "-1e400",
    "1e-400",
    "0e400",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "2.2250738585072014e-308",
    "5e-324",
    "4.9e-324",
    "2e-324",
    "1e308",
    "1e309",
    "0.30000000000000004",
    "0.720275202801261e286",
    "184467440737095516190.5",
    "1844674407370955161.9e-1",
    "1e2147483647",
    "1e2147483648",
    "1e-2147483648",
    "1e99999999999999",
    "0e99999999999999",
    "-1e-99999999999999",
    "1.5e0000000000000000000000001",
];

/// The body of a JSON string (between its quotes), from pieces: plain ASCII, non-ASCII and
/// emoji, each short escape, `\uXXXX` of any code unit (upper or lower case: lone
/// surrogates included), surrogate pairs, and now and then a raw control character.
fn string_body() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-z0-9 _<>:.]{1,6}",
        2 => prop::sample::select(vec!["é", "猫", "😀", "\u{7f}", "\u{3000}", "\u{fffd}", "\u{10ffff}"]).prop_map(String::from),
        2 => prop::sample::select(vec![r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t"]).prop_map(String::from),
        2 => (any::<u16>(), any::<bool>()).prop_map(|(u, upper)| escape(u, upper)),
        1 => (0xD800u16..0xDC00, 0xDC00u16..0xE000).prop_map(|(hi, lo)| escape(hi, false) + &escape(lo, true)),
        1 => prop::sample::select(vec![0xD800u16, 0xDBFF, 0xDC00, 0xDFFF, 0xD83D, 0xDE00, 0x0000, 0x001F, 0x0061, 0xFFFF])
            .prop_map(|u| escape(u, false)),
        1 => any::<char>().prop_map(String::from),
        1 => prop::sample::select(vec!["\u{0}", "\u{1}", "\n", "\t", "\u{1f}"]).prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

fn escape(unit: u16, upper: bool) -> String {
    if upper {
        format!("\\u{unit:04X}")
    } else {
        format!("\\u{unit:04x}")
    }
}

/// A key: a few names, some written with escapes (`"\u0061"` is `"a"`), so keys repeat.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec!["a", "b", "prompt", r"\u0061", r"\u0062", "", r"\ud800", "\u{fffd}", r"\ufffd"]).prop_map(String::from),
        1 => string_body(),
    ]
}

/// A JSON text as a person or a serializer may write it.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        1 => prop::sample::select(vec!["null", "true", "false"]).prop_map(String::from),
        3 => number(),
        3 => string_body().prop_map(|s| format!("\"{s}\"")),
    ];
    let value = leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec((ws(), inner.clone(), ws()), 0..5).prop_map(|items| {
                let items: Vec<String> = items.into_iter().map(|(a, v, b)| a + &v + &b).collect();
                format!("[{}]", items.join(","))
            }),
            prop::collection::vec((ws(), key(), ws(), ws(), inner, ws()), 0..5).prop_map(|entries| {
                let entries: Vec<String> =
                    entries.into_iter().map(|(a, k, b, c, v, d)| format!("{a}\"{k}\"{b}:{c}{v}{d}")).collect();
                format!("{{{}}}", entries.join(","))
            }),
        ]
    });
    (ws(), value, ws()).prop_map(|(a, v, b)| a + &v + &b)
}

/// One edit of a text: a character dropped, inserted or replaced (by one of JSON's own
/// characters, mostly).
#[derive(Debug, Clone)]
enum Edit {
    Drop(prop::sample::Index),
    Insert(prop::sample::Index, char),
    Replace(prop::sample::Index, char),
}

fn edit() -> impl Strategy<Value = Edit> {
    let ch = prop_oneof![
        4 => prop::sample::select(vec![
            '"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '9', '-', '+', '.', 'e', 'E', 'u', 'n', 't', 'f', 'l', ' ',
            '\n', '\u{1}', 'd', '8', 'x', '/',
        ]),
        1 => any::<char>(),
    ];
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::Drop),
        (any::<prop::sample::Index>(), ch.clone()).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<prop::sample::Index>(), ch).prop_map(|(i, c)| Edit::Replace(i, c)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    match edit {
        Edit::Drop(i) if !chars.is_empty() => {
            chars.remove(i.index(chars.len()));
        }
        Edit::Insert(i, c) => chars.insert(i.index(chars.len() + 1), *c),
        Edit::Replace(i, c) if !chars.is_empty() => {
            let at = i.index(chars.len());
            chars[at] = *c;
        }
        _ => {}
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(Config { cases: 1500, ..Config::default() })]

    /// Texts as written: the same value, or the same refusal.
    #[test]
    fn generated_texts_read_as_serde_json_reads_them(text in json_text()) {
        let _one = alone();
        same_reading(&text)?;
    }

    /// The same texts with one to three edits: mostly refused, with the same message.
    #[test]
    fn mutated_texts_read_as_serde_json_reads_them(text in json_text(), edits in prop::collection::vec(edit(), 1..4)) {
        let _one = alone();
        let text = edits.iter().fold(text, |t, e| apply(&t, e));
        same_reading(&text)?;
    }

    /// Every prefix of a text: where a reader meets the end of the text.
    #[test]
    fn cut_texts_read_as_serde_json_reads_them(text in json_text(), cut in any::<prop::sample::Index>()) {
        let _one = alone();
        let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let end = if ends.is_empty() { 0 } else { ends[cut.index(ends.len())] };
        same_reading(&text[..end])?;
    }
}

/// The generated texts are not vacuous: serde_json accepts most of them as written, and the
/// mutated ones reach every kind of refusal.
#[test]
fn generators_reach_values_and_refusals() {
    let _one = alone();
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut accepted, mut kinds) = (0, std::collections::BTreeSet::new());
    let strategy = (json_text(), prop::collection::vec(edit(), 1..4));
    for _ in 0..1000 {
        let (text, edits) = strategy.new_tree(&mut runner).unwrap().current();
        accepted += usize::from(matches!(theirs(&text), Read::Value(_)));
        let edited = edits.iter().fold(text, |t, e| apply(&t, e));
        if let Read::Syntax(m) = theirs(&edited) {
            kinds.insert(m.split(" at line").next().unwrap_or_default().to_string());
        }
    }
    assert!(accepted >= 500, "{accepted} of 1000 texts read");
    // Every refusal serde_json gives a text, but the depth (rows below).
    let all = [
        "EOF while parsing a list",
        "EOF while parsing a string",
        "EOF while parsing a value",
        "EOF while parsing an object",
        "control character (\\u0000-\\u001F) found while parsing a string",
        "expected `,` or `]`",
        "expected `,` or `}`",
        "expected `:`",
        "expected ident",
        "expected value",
        "invalid escape",
        "invalid number",
        "key must be a string",
        "number out of range",
        "trailing characters",
        "trailing comma",
    ];
    assert_eq!(kinds, all.iter().map(|k| k.to_string()).collect(), "refusals seen");
}

// ---------------------------------------------------------------- rows

/// Texts at the edges, each read alike by both: numbers, escapes, surrogates, whitespace.
#[test]
fn boundary_texts_read_as_serde_json_reads_them() {
    let _one = alone();
    let mut texts: Vec<String> = BOUNDARY_NUMBERS.iter().map(|n| n.to_string()).collect();
    texts.extend(BOUNDARY_NUMBERS.iter().map(|n| format!("[{n}]")));
    for t in [
        "",
        " ",
        "\n",
        "n",
        "nul",
        "nulll",
        "true",
        "tru",
        "trUe",
        "false",
        "[",
        "]",
        "{",
        "}",
        "[]",
        "{}",
        " [ ] ",
        "[,]",
        "[1,]",
        "[1 2]",
        "[1,,2]",
        "{\"a\"}",
        "{\"a\":}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{1:2}",
        "{\"a\":1 \"b\":2}",
        "{,}",
        "{\"a\":1,,}",
        "01",
        "-01",
        "00",
        "1.",
        "1.e1",
        ".1",
        "1e",
        "1e+",
        "1e-",
        "-",
        "--1",
        "+1",
        "1.5.5",
        "0x10",
        "Infinity",
        "NaN",
        "-Infinity",
        "1 2",
        "\u{feff}{}",
        "{}\u{feff}",
        "\"",
        "\"a",
        "\"a\\",
        "\"\\\"",
        "\"\\x\"",
        "\"\\u\"",
        "\"\\u12\"",
        "\"\\u12",
        "\"\\u123g\"",
        "\"\\U0041\"",
        "\"\\u0041\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\udc00\"",
        "\"\\ud800\\ud800\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800\\n\"",
        "\"\\ud800\\\"",
        "\"\\ud800\\u\"",
        "\"\\ud800\\u12\"",
        "\"\\ud800\\u12",
        "\"\\ud800\\udc0\"",
        "\"\\ud800x\"",
        "\"\\ud800",
        "\"\\ud800\\",
        "\"\\\\ud800\"",
        "\"\\ud83d\\ude00\\ud83d\"",
        "\"\u{1}\"",
        "\"\u{1f}\"",
        "\"\u{7f}\"",
        "\"\t\"",
        "\"\\t\"",
        "\"\\/\"",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}",
        "{\"\\ud800\":1,\"\\udbff\":2}",
        "[\"\\ud800\" 1]",
        "{\"a\":1}\n\n  x",
        "[1,\n2,\n  x]",
        "\r\n[1,\r\n x]",
        "[\"猫\", x]",
        "[\"😀\"x]",
        "[1e400, \"\\ud800\"]",
        "[\"\\ud800\", 1e400]",
        "{\"a\":[1,{\"b\":[}]}",
    ] {
        texts.push(t.to_string());
    }
    for t in &texts {
        same_reading(t).unwrap();
    }
}

/// The depth limit: `MAX_DEPTH` (127) levels read, one more is `TooDeep` for both readers,
/// whatever nests and wherever the deepest level is.
#[test]
fn depth_boundary() {
    let _one = alone();
    assert_eq!(MAX_DEPTH, 127);
    let arrays = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let objects = |n: usize| format!("{}1{}", "{\"a\":".repeat(n), "}".repeat(n));
    let mixed = |n: usize| {
        let open: String = (0..n).map(|i| if i % 2 == 0 { "[" } else { "{\"k\":" }).collect();
        let close: String = (0..n).rev().map(|i| if i % 2 == 0 { "]" } else { "}" }).collect();
        format!("{open}null{close}")
    };
    // The deepest level second in a list, after a shallow item.
    let late = |n: usize| if n == 1 { "[1]".to_string() } else { format!("[1,{}]", arrays(n - 1)) };
    for (name, make) in
        [("arrays", &arrays as &dyn Fn(usize) -> String), ("objects", &objects), ("mixed", &mixed), ("late", &late)]
    {
        for (n, ok) in [(1, true), (126, true), (127, true), (128, false), (129, false), (1000, false)] {
            let text = make(n);
            let want = if ok { "a value" } else { "TooDeep" };
            match (ours(&text), theirs(&text)) {
                (Read::Value(a), Read::Value(b)) if ok => assert_eq!(a, b, "{name} {n}"),
                (Read::TooDeep, Read::TooDeep) if !ok => {}
                (a, b) => panic!("{name} {n}: want {want} from both, got {a:?} and {b:?}"),
            }
        }
    }
    // Past the limit and then not JSON: the depth is met first, by both.
    let text = format!("{}x", "[".repeat(128));
    assert_eq!((ours(&text), theirs(&text)), (Read::TooDeep, Read::TooDeep));
    // Not JSON before the limit: the syntax error, by both.
    let text = format!("[x{}", "[".repeat(200));
    assert!(matches!(ours(&text), Read::Syntax(_)));
    assert_eq!(ours(&text), theirs(&text));
}

// ---------------------------------------------------------------- from_value

/// Any value: every number serde_json holds (floats bit for bit), any string, nesting.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        prop::sample::select(vec![-0.0, 0.0, 5.0, 1e300, f64::MAX, f64::MIN_POSITIVE, 5e-324]).prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

proptest! {
    #![proptest_config(Config { cases: 500, ..Config::default() })]

    /// The tape of a value gives the value back; its JSON text reads alike by both readers.
    #[test]
    fn from_value_gives_the_value_back(value in any_value()) {
        let _one = alone();
        let doc = Doc::from_value(&value);
        prop_assert_eq!(written(&doc.root().to_value()), written(&value));
        prop_assert_eq!(&doc.root().to_value(), &value);
        same_reading(&written(&value))?;
    }
}

// ---------------------------------------------------------------- hostile texts

/// What a document holds, without copying it (so the memory measured is the reader's).
#[derive(Debug, PartialEq)]
enum Shape {
    /// A string of so many chars.
    Str(usize),
    /// An array of so many items.
    Arr(usize),
    /// An object of so many entries, as written.
    Obj(usize),
    Num(f64),
    Syntax(&'static str),
    TooDeep,
}

fn shape(text: &str) -> Shape {
    match Doc::parse(text) {
        Ok(doc) => match doc.root() {
            Json::String(s) => Shape::Str(s.chars().count()),
            Json::Array(a) => Shape::Arr(a.len()),
            Json::Object(o) => Shape::Obj(o.len()),
            Json::Number(n) => Shape::Num(n.as_f64()),
            other => panic!("{other:?}"),
        },
        Err(ReadError::TooDeep) => Shape::TooDeep,
        Err(ReadError::Syntax(m)) => Shape::Syntax(
            ["EOF while parsing a string", "number out of range", "trailing characters"]
                .into_iter()
                .find(|w| m.starts_with(w))
                .unwrap_or("another error"),
        ),
    }
}

/// Huge texts read in bounded time (a debug build on a shared machine: the bounds catch
/// quadratic work) and memory (the tape, 16 bytes a node, and the text of escaped strings,
/// doubled as it grows). Each row's text is made at its full size for the bounds, and at a
/// sixteenth of it for the comparison with serde_json (slow in a debug build).
#[test]
fn hostile_texts_are_bounded() {
    let _one = alone();
    // Each row's text, given a divisor of its size.
    type Make = Box<dyn Fn(usize) -> String>;
    let rows: Vec<(&str, Make, usize, Shape)> = vec![
        ("a 10 MB string", Box::new(|d| format!("\"{}\"", "x".repeat(10 * MB / d))), MB, Shape::Str(10 * MB)),
        (
            "a 10 MB string of escapes",
            Box::new(|d| format!("\"{}\"", "\\u0061\\n".repeat(10 * MB / 8 / d))),
            8 * MB,
            Shape::Str(10 * MB / 4),
        ),
        (
            "a 12 MB string of lone surrogates",
            Box::new(|d| format!("\"{}\"", "\\ud800".repeat(2 * MB / d))),
            16 * MB,
            Shape::Str(2 * MB),
        ),
        (
            "a 12 MB string of surrogate pairs",
            Box::new(|d| format!("\"{}\"", "\\ud83d\\ude00".repeat(MB / d))),
            8 * MB,
            Shape::Str(MB),
        ),
        (
            "a 10 MB string unclosed",
            Box::new(|d| format!("\"{}", "\\n".repeat(5 * MB / d))),
            16 * MB,
            Shape::Syntax("EOF while parsing a string"),
        ),
        ("100k items", Box::new(|d| format!("[{}1]", "1,".repeat(100_000 / d))), 4 * MB, Shape::Arr(100_001)),
        (
            "100k entries",
            Box::new(|d| {
                format!("{{{}\"z\":1}}", (0..100_000 / d).map(|i| format!("\"k{i}\":[],")).collect::<String>())
            }),
            8 * MB,
            Shape::Obj(100_001),
        ),
        (
            "100k entries, one key",
            Box::new(|d| format!("{{{}\"a\":2}}", "\"a\":1,".repeat(100_000 / d))),
            8 * MB,
            Shape::Obj(100_001),
        ),
        ("100k [", Box::new(|d| "[".repeat(100_000 / d)), MB, Shape::TooDeep),
        ("100k {\"a\":", Box::new(|d| "{\"a\":".repeat(100_000 / d)), MB, Shape::TooDeep),
        ("1M digits", Box::new(|d| format!("1{}", "0".repeat(MB / d))), MB, Shape::Syntax("number out of range")),
        ("1M digits of fraction", Box::new(|d| format!("0.{}1", "0".repeat(MB / d))), MB, Shape::Num(0.0)),
        (
            "10 MB of whitespace",
            Box::new(|d| format!("{}1{}", " ".repeat(5 * MB / d), "\n".repeat(5 * MB / d))),
            MB,
            Shape::Num(1.0),
        ),
        (
            "10 MB of whitespace, then junk",
            Box::new(|d| format!("{}1{}x", " ".repeat(5 * MB / d), "\n\r\t ".repeat(5 * MB / 4 / d))),
            MB,
            Shape::Syntax("trailing characters"),
        ),
    ];
    for (name, make, max_bytes, want) in rows {
        eprintln!("{name}");
        assert_eq!(bounded(|| make(1), 5, max_bytes, |t| shape(t)), want, "{name}");
        same_reading(&make(16)).unwrap();
    }
}

// ---------------------------------------------------------------- reports

/// A small deterministic source of choices (xorshift), so one generated `u64` decides how a
/// request is written.
struct Choices(u64);

impl Choices {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.next() % n == 0
    }
}

/// Whitespace, mostly none.
fn write_ws(out: &mut String, c: &mut Choices) {
    if c.one_in(3) {
        for _ in 0..1 + c.next() % 3 {
            out.push([' ', '\t', '\n', '\r'][(c.next() % 4) as usize]);
        }
    }
}

/// A string as a person or another serializer may write it: each character raw or escaped
/// (`\u0061` for `a`, surrogate pairs, either case of hex), U+FFFD sometimes as a lone
/// surrogate escape (which reads as U+FFFD).
fn write_str(out: &mut String, s: &str, c: &mut Choices) {
    out.push('"');
    for ch in s.chars() {
        let hex = |out: &mut String, unit: u16, c: &mut Choices| {
            if c.one_in(2) {
                out.push_str(&format!("\\u{unit:04x}"));
            } else {
                out.push_str(&format!("\\u{unit:04X}"));
            }
        };
        match ch {
            '\u{FFFD}' if c.one_in(2) => {
                let lone = [0xD800u16, 0xDBFF, 0xDC00, 0xDFFF][(c.next() % 4) as usize];
                hex(out, lone, c);
            }
            '"' | '\\' | '\u{0}'..='\u{1f}' if c.one_in(2) => {
                let short = match ch {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    '\u{8}' => "\\b",
                    '\u{c}' => "\\f",
                    _ => "",
                };
                if short.is_empty() {
                    hex(out, ch as u16, c);
                } else {
                    out.push_str(short);
                }
            }
            '"' | '\\' | '\u{0}'..='\u{1f}' => hex(out, ch as u16, c),
            '/' if c.one_in(2) => out.push_str("\\/"),
            _ if c.one_in(6) => {
                let mut units = [0u16; 2];
                for &unit in ch.encode_utf16(&mut units).iter() {
                    hex(out, unit, c);
                }
            }
            _ => out.push(ch),
        }
    }
    out.push('"');
}

/// A value as text: keys in any order, now and then a key written twice (a decoy first,
/// so the last holds the value, as every JSON reader here keeps it), whitespace anywhere,
/// strings escaped at random, floats sometimes with an exponent.
fn write_value(out: &mut String, v: &Value, c: &mut Choices) {
    write_ws(out, c);
    match v {
        Value::Null | Value::Bool(_) => out.push_str(&written(v)),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && c.one_in(3) => out.push_str(&format!("{f:e}")),
            _ => out.push_str(&written(v)),
        },
        Value::String(s) => write_str(out, s, c),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item, c);
            }
            write_ws(out, c);
            out.push(']');
        }
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            // Fisher-Yates, from the choices.
            for i in (1..entries.len()).rev() {
                entries.swap(i, (c.next() % (i as u64 + 1)) as usize);
            }
            out.push('{');
            let mut first = true;
            for (k, item) in entries {
                let decoys: &[Value] = if c.one_in(8) { &[Value::Null] } else { &[] };
                for value in decoys.iter().chain([item]) {
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    write_ws(out, c);
                    write_str(out, k, c);
                    write_ws(out, c);
                    out.push(':');
                    write_value(out, value, c);
                }
            }
            write_ws(out, c);
            out.push('}');
        }
    }
    write_ws(out, c);
}

/// The report from the reader's reading of the text is the report from serde_json's
/// reading of it (and, where the text holds the request exactly, from the request).
fn same_report(p: Provider, req: &Value, media: &MediaFacts, seed: u64) -> Result<(), TestCaseError> {
    let mut text = String::new();
    write_value(&mut text, req, &mut Choices(seed | 1));
    let plain = parse_json(&text).expect("a written request is JSON");
    let ours = validate_json(p, &text, media);
    prop_assert_eq!(&ours, &validate(p, &plain, media), "text {}", text);
    if plain == *req {
        prop_assert_eq!(&ours, &validate(p, req, media));
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 300, ..Config::default() })]

    #[test]
    fn o1_text_reports_as_its_plain_reading(req in request(Provider::O1, Noise(1)), media in media(), seed in any::<u64>()) {
        let _one = alone();
        same_report(Provider::O1, &req, &media, seed)?;
    }

    #[test]
    fn v3_text_reports_as_its_plain_reading(req in request(Provider::V3, Noise(1)), media in media(), seed in any::<u64>()) {
        let _one = alone();
        same_report(Provider::V3, &req, &media, seed)?;
    }

    #[test]
    fn kling_text_reports_as_its_plain_reading(req in request(Provider::Kling, Noise(1)), media in media(), seed in any::<u64>()) {
        let _one = alone();
        same_report(Provider::Kling, &req, &media, seed)?;
    }

    /// Documented values only: many requests are valid, so valid reports are compared too.
    #[test]
    fn documented_requests_from_text_report_as_their_plain_reading(
        o1 in request(Provider::O1, Noise(0)),
        v3 in request(Provider::V3, Noise(0)),
        kling in request(Provider::Kling, Noise(0)),
        seed in any::<u64>(),
    ) {
        let _one = alone();
        let none = MediaFacts::default();
        same_report(Provider::O1, &o1, &none, seed)?;
        same_report(Provider::V3, &v3, &none, seed)?;
        same_report(Provider::Kling, &kling, &none, seed)?;
    }
}
