//! The validator's JSON reader (`kling_omni::json`) on arbitrary bytes, against the plain
//! reading it replaced (`rules::parse_json`: serde_json plus its lone-surrogate repair).
//!
//! Input: the bytes as text (lossily where they are not UTF-8, so every input is read).
//! Checked, besides "no panic": both readers accept, with the same value (floats to the
//! bit), or both refuse, with serde_json's message and position (`TooDeep` where serde_json
//! says "recursion limit exceeded"); `with_doc` reads as `Doc::parse`; a read value's
//! document (`Doc::from_value`) gives it back; an object's `get` finds the last of a key.
#![no_main]

use kling_omni::json::{with_doc, Doc, Json, ReadError};
use kling_omni::rules::parse_json;
use kling_omni::ArgumentError;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// What a reader made of a text: the value written back (bit-exact for floats), or the error.
#[derive(Debug, PartialEq)]
enum Read {
    Value(String),
    Syntax(String),
    TooDeep,
}

fn written(v: &Value) -> String {
    serde_json::to_string(v).expect("a value is written")
}

fn read(doc: Result<&Doc<'_>, ReadError>) -> Read {
    match doc {
        Ok(doc) => Read::Value(written(&doc.root().to_value())),
        Err(ReadError::Syntax(m)) => Read::Syntax(m),
        Err(ReadError::TooDeep) => Read::TooDeep,
    }
}

/// Every object's `get` gives the value of the key's last entry, as serde_json's map keeps it.
fn check_lookups(v: Json<'_>, plain: &Value) {
    match (v, plain) {
        (Json::Object(o), Value::Object(m)) => {
            for (k, _) in o.iter() {
                let got = o.get(k).map(Json::to_value);
                assert_eq!(got.as_ref(), m.get(k), "get({k:?})");
            }
            for (k, item) in m {
                check_lookups(o.get(k).expect("a key serde_json kept"), item);
            }
        }
        (Json::Array(a), Value::Array(items)) => {
            assert_eq!(a.len(), items.len());
            for (i, item) in items.iter().enumerate() {
                check_lookups(a.get(i).expect("an item"), item);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = Doc::parse(&text);
    let ours = read(parsed.as_ref().map_err(Clone::clone));
    let theirs = match parse_json(&text) {
        Ok(v) => {
            if let Ok(doc) = &parsed {
                check_lookups(doc.root(), &v);
            }
            let again = Doc::from_value(&v);
            assert_eq!(written(&again.root().to_value()), written(&v), "from_value");
            Read::Value(written(&v))
        }
        Err(ArgumentError::NotJson(m)) => Read::Syntax(m),
        Err(ArgumentError::TooDeep) => Read::TooDeep,
        Err(e @ ArgumentError::NotAnObject(_)) => panic!("parse_json said {e:?}"),
    };
    assert_eq!(ours, theirs, "the reader and serde_json differ on {text:?}");
    assert_eq!(with_doc(&text, read), ours, "with_doc");
});
