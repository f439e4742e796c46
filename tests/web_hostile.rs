//! Hostile inputs that only a page can hand over (Chromium): strings with lone UTF-16
//! surrogates, objects nested deeper than any JSON text we parse, `__proto__` as an own key,
//! NaN and Infinity, and a Base64 image of 64 MB. The native cases are in `tests/hostile.rs`.
//! `wasm-pack test --headless --chrome --test web_hostile`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JsString, Object, Reflect, JSON};
use kling_omni::wasm_api::validate_js as validate;
use kling_omni::{inspect_image_js, KlingClient};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn set(o: &JsValue, k: &str, v: &JsValue) {
    Reflect::set(o, &JsValue::from_str(k), v).unwrap();
}

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn json(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().as_string().unwrap()
}

/// `(code, path as JSON)` of every error and warning.
fn issues(report: &JsValue) -> Vec<(String, String)> {
    ["errors", "warnings"]
        .iter()
        .flat_map(|list| Array::from(&get(report, list)).iter().collect::<Vec<_>>())
        .map(|i| (get(&i, "code").as_string().unwrap(), json(&get(&i, "path"))))
        .collect()
}

fn argument_error(r: Result<JsValue, JsValue>) -> String {
    let e: js_sys::Error = r.expect_err("expected a throw").dyn_into().expect("an Error");
    assert_eq!(String::from(e.name()), "KlingArgumentError");
    String::from(e.message())
}

/// A JS string: `a`, then `half` (a lone surrogate), then `b`.
fn with_lone(half: u32) -> JsString {
    JsString::from("a").concat(&JsString::from_char_code1(half)).concat(&"b".into())
}

#[wasm_bindgen_test]
fn lone_surrogates_read_as_replacement_characters_from_objects_and_text() {
    for half in [0xD83Du32, 0xDE00] {
        // In an object: JSON.stringify writes the half as an escape.
        let req = obj(r#"{"aspect_ratio":"16:9"}"#);
        set(&req, "prompt", &with_lone(half));
        let r = validate(JsValue::from_str("o1"), req.clone(), None, None).unwrap();
        assert_eq!(get(&r, "valid"), JsValue::TRUE);
        // In JSON text handed over as a string: the string conversion replaces the half.
        let text =
            JsString::from(r#"{"aspect_ratio":"16:9","prompt":""#).concat(&with_lone(half)).concat(&r#""}"#.into());
        let r = validate(JsValue::from_str("o1"), text.into(), None, None).unwrap();
        assert_eq!(get(&r, "valid"), JsValue::TRUE);
        // Each half counts as one character: 2501 of them are too long, either way.
        let halves = JsString::from_char_code1(half).repeat(2501);
        set(&req, "prompt", &halves);
        let text = JsString::from(r#"{"aspect_ratio":"16:9","prompt":""#).concat(&halves).concat(&r#""}"#.into());
        for r in [
            validate(JsValue::from_str("o1"), req.clone(), None, None),
            validate(JsValue::from_str("o1"), text.into(), None, None),
        ] {
            let r = r.unwrap();
            assert_eq!(issues(&r), [("text_too_long".to_string(), r#"["prompt"]"#.to_string())]);
            let first = Array::from(&get(&r, "errors")).get(0);
            assert_eq!(json(&get(&first, "params")), r#"{"actual":2501,"limit":2500}"#);
        }
    }
    // A lone half in a key: an unknown field named U+FFFD.
    let r = validate(JsValue::from_str("o1"), obj(r#"{"prompt":"x","aspect_ratio":"16:9","\ud800":1}"#), None, None)
        .unwrap();
    assert_eq!(issues(&r), [("unknown_field".to_string(), "[\"\u{FFFD}\"]".to_string())]);
}

/// `{a: {a: … {a: 1}}}`, `depth` levels, built without JSON.
fn nested(depth: usize) -> JsValue {
    let mut v: JsValue = JsValue::from_f64(1.0);
    for _ in 0..depth {
        let o = Object::new();
        set(&o, "a", &v);
        v = o.into();
    }
    v
}

#[wasm_bindgen_test]
fn objects_nested_past_the_json_depth_are_argument_errors() {
    // Deeper than 127 levels: refused by the parser's depth limit, never a stack overflow.
    let req = obj(r#"{"prompt":"x","aspect_ratio":"16:9"}"#);
    set(&req, "extra", &nested(200));
    assert_eq!(
        argument_error(validate(JsValue::from_str("o1"), req.clone(), None, None)),
        "request is nested more than 127 levels deep"
    );
    let e = argument_error(kling_omni::wasm_api::allowed_options_js(JsValue::from_str("o1"), req.clone()));
    assert_eq!(e, "request is nested more than 127 levels deep");
    // 10 000 and 100 000 levels: JSON.stringify itself may give up first (a RangeError);
    // either way a KlingArgumentError.
    for depth in [10_000, 100_000] {
        set(&req, "extra", &nested(depth));
        let e = argument_error(validate(JsValue::from_str("o1"), req.clone(), None, None));
        assert!(
            e == "request is nested more than 127 levels deep" || e.starts_with("request cannot be serialised to JSON"),
            "{depth}: {e}"
        );
        // Media facts: a deep value where a number or a list of facts belongs is refused at
        // its first level; under a key the facts do not read, it is skipped without recursion.
        let mut deep_list = JsValue::from_f64(1.0);
        for _ in 0..depth {
            deep_list = Array::of1(&deep_list).into();
        }
        let facts = Object::new();
        set(&facts, "images", &deep_list);
        let e = argument_error(validate(JsValue::from_str("o1"), obj(r#"{"prompt":"x"}"#), Some(facts.into()), None));
        assert!(e.starts_with("media facts "), "{depth}: {e}");
        let facts = obj(r#"{"video":{"fps":30}}"#);
        set(&get(&facts, "video"), "extra", &nested(depth));
        match validate(JsValue::from_str("o1"), obj(r#"{"prompt":"x","aspect_ratio":"16:9"}"#), Some(facts), None) {
            Ok(r) => assert_eq!(get(&r, "valid"), JsValue::TRUE),
            Err(e) => assert!(argument_error(Err(e)).starts_with("media facts "), "{depth}"),
        }
    }
    // The client's options go through serde-wasm-bindgen into typed fields: a deep value
    // is a type error at its first level, not a recursion.
    let options = obj(r#"{"provider":"o1","baseUrl":"https://example.com"}"#);
    let headers = Object::new();
    set(&headers, "x-deep", &nested(100_000));
    set(&options, "headers", &headers);
    let e = KlingClient::new(options).err().expect("refused");
    assert_eq!(get(&e, "kind").as_string().as_deref(), Some("argument"));
}

#[wasm_bindgen_test]
fn proto_and_constructor_own_keys_are_unknown_fields_and_pollute_nothing() {
    let req = obj(
        r#"{"prompt":"x","aspect_ratio":"16:9","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},
        "image_list":[{"image_url":"https://example.com/a.jpg","__proto__":{"type":"end_frame"}}]}"#,
    );
    let r = validate(JsValue::from_str("o1"), req, None, None).unwrap();
    let mut found = issues(&r);
    found.sort();
    let want = [
        ("unknown_field", r#"["__proto__"]"#),
        ("unknown_field", r#"["constructor"]"#),
        ("unknown_field", r#"["image_list",0,"__proto__"]"#),
    ];
    assert_eq!(found, want.map(|(c, p)| (c.to_string(), p.to_string())));
    let warning = Array::from(&get(&r, "warnings")).get(0);
    assert_eq!(get(&get(&warning, "params"), "field").as_string().as_deref(), Some("__proto__"));
    assert!(get(&Object::new(), "polluted").is_undefined());
    assert!(get(&r, "polluted").is_undefined());
}

#[wasm_bindgen_test]
fn nan_infinity_and_negative_zero_from_a_page() {
    // JSON.stringify writes NaN and ±Infinity as null, and null counts as absent: V3 falls
    // back to its default duration, as the API would for the body fetch sends.
    let req = obj(r#"{"model":"kling-v3-omni","input":{"prompt":"x"},"parameters":{"aspect_ratio":"16:9"}}"#);
    let params = get(&req, "parameters");
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        set(&params, "duration", &JsValue::from_f64(x));
        let r = validate(JsValue::from_str("v3"), req.clone(), None, None).unwrap();
        assert_eq!(get(&r, "valid"), JsValue::TRUE, "{x}");
    }
    // -0 is 0: out of range.
    set(&params, "duration", &JsValue::from_f64(-0.0));
    let r = validate(JsValue::from_str("v3"), req, None, None).unwrap();
    assert_eq!(issues(&r), [("duration_out_of_range".to_string(), r#"["parameters","duration"]"#.to_string())]);
    // An element id of Infinity is null, so missing.
    let req = obj(r#"{"prompt":"x","aspect_ratio":"16:9","element_list":[{}]}"#);
    set(&Array::from(&get(&req, "element_list")).get(0), "element_id", &JsValue::from_f64(f64::INFINITY));
    let r = validate(JsValue::from_str("o1"), req, None, None).unwrap();
    assert_eq!(issues(&r), [("required".to_string(), r#"["element_list",0,"element_id"]"#.to_string())]);
    // 1e400 in JSON text is out of range: an argument error.
    let e = argument_error(validate(
        JsValue::from_str("o1"),
        JsValue::from_str(r#"{"prompt":"x","duration":1e400}"#),
        None,
        None,
    ));
    assert!(e.starts_with("request is not valid JSON: number out of range"), "{e}");
    // Measured facts of NaN and Infinity are unknown: the image stays unverified.
    let facts = obj(r#"{"images":[{"format":"png"}]}"#);
    let image = Array::from(&get(&facts, "images")).get(0);
    set(&image, "width", &JsValue::from_f64(f64::NAN));
    set(&image, "height", &JsValue::from_f64(f64::INFINITY));
    set(&image, "bytes", &JsValue::from_f64(-0.0));
    let req = obj(r#"{"prompt":"x","aspect_ratio":"16:9","image_list":[{"image_url":"https://example.com/a.png"}]}"#);
    let r = validate(JsValue::from_str("o1"), req, Some(facts), None).unwrap();
    assert_eq!(get(&r, "valid"), JsValue::TRUE);
    assert_eq!(json(&get(&r, "unverified")), r#"[["image_list",0,"image_url"]]"#);
}

/// Base64 of a 300×300 PNG header, then `mb` MB of `A`s.
fn big_base64(mb: usize) -> String {
    let mut s = String::from("iVBORw0KGgoAAAANSUhEUgAAASwAAAEsCAYAAAB5fY51");
    s.push_str(&"A".repeat(mb * 1024 * 1024 - s.len()));
    s
}

/// 64 MB rather than 300 MB in the page: the string is held by JS, copied into Wasm memory
/// and parsed there, which at 300 MB would take over 1 GB of the test browser's memory.
/// The 300 MB case runs natively (`tests/hostile.rs`).
#[wasm_bindgen_test]
async fn a_64_mb_base64_image_is_too_large_and_read_16_kb_deep() {
    let b64 = big_base64(64);
    let req = obj(r#"{"prompt":"x","aspect_ratio":"16:9","image_list":[{}]}"#);
    set(&Array::from(&get(&req, "image_list")).get(0), "image_url", &JsValue::from_str(&b64));
    let r = validate(JsValue::from_str("o1"), req, None, None).unwrap();
    assert_eq!(issues(&r), [("image_too_large".to_string(), r#"["image_list",0,"image_url"]"#.to_string())]);
    let info = JsFuture::from(inspect_image_js(JsValue::from_str(&b64))).await.unwrap();
    assert_eq!((get(&info, "width"), get(&info, "height")), (JsValue::from_f64(300.0), JsValue::from_f64(300.0)));
    assert_eq!(get(&info, "bytes"), JsValue::from_f64((64 * 1024 * 1024 / 4 * 3) as f64));
    assert!(get(&info, "bytesRead").as_f64().unwrap() <= 16.0 * 1024.0, "{}", json(&info));
    // A 50 MB prompt from a page: one report, the count in it.
    let req = obj(r#"{"aspect_ratio":"16:9"}"#);
    set(&req, "prompt", &JsValue::from_str(&"x".repeat(50 * 1024 * 1024)));
    let r = validate(JsValue::from_str("o1"), req, None, None).unwrap();
    let first = Array::from(&get(&r, "errors")).get(0);
    assert_eq!(json(&get(&first, "params")), format!(r#"{{"actual":{},"limit":2500}}"#, 50 * 1024 * 1024));
}
