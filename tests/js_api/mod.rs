//! The JS API through wasm-bindgen, shared by the Chromium (`web_validate.rs`) and Node
//! (`node_validate.rs`) suites: both locales, JSON text input, and the malformed-argument
//! errors.

use js_sys::{Array, Object, Reflect, JSON};
use kling_omni::wasm_api::{
    allowed_options_js as allowed_options, apply_fixes_js as apply_fixes, defaults_js as defaults,
    flatten_issues_js as flatten_issues, kling_schema_js as kling_schema, validate_js as validate,
};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn obj(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn codes(report: &JsValue, list: &str) -> Vec<String> {
    Array::from(&get(report, list)).iter().map(|i| get(&i, "code").as_string().unwrap()).collect()
}

fn json(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().as_string().unwrap()
}

fn thrown(r: Result<JsValue, JsValue>) -> js_sys::Error {
    r.expect_err("expected a throw").dyn_into::<js_sys::Error>().expect("an Error object")
}

#[wasm_bindgen_test]
fn an_invalid_request_gives_a_report_in_english() {
    let req = obj(&format!(r#"{{"prompt":"{}","duration":5}}"#, "x".repeat(2612)));
    let r = validate(JsValue::from_str("o1"), req, None, None).unwrap();
    assert_eq!(get(&r, "valid"), JsValue::FALSE);
    assert_eq!(get(&r, "scenario").as_string().unwrap(), "text_to_video");
    assert_eq!(codes(&r, "errors"), vec!["text_too_long", "aspect_ratio_required", "invalid_type"]);
    let first = Array::from(&get(&r, "errors")).get(0);
    assert_eq!(json(&get(&first, "path")), r#"["prompt"]"#);
    assert_eq!(get(&first, "message").as_string().unwrap(), "prompt has 2612 characters; the limit is 2500");
    assert_eq!(json(&get(&first, "params")), r#"{"actual":2612,"limit":2500}"#);
    assert_eq!(json(&get(&r, "warnings")), "[]");
    assert_eq!(json(&get(&r, "unverified")), "[]");
}

#[wasm_bindgen_test]
fn each_issue_carries_its_label_in_the_report_locale() {
    // V3: the image's issue is labelled as the form names it, and its message uses the label.
    let req = obj(
        r#"{"model":"kling-v3-omni","input":{"prompt":"x"},"parameters":{"image_list":[{"image_url":"https://a.example/a.jpg"},{"image_url":""}],"multi_shot":true,"shot_type":"customize","multi_prompt":[{"index":1,"prompt":"a","duration":"9"}]}}"#,
    );
    for (locale, image, shot) in [("en", "Image 2", "Shot 1's duration"), ("zh", "图片 2", "镜头 1 的时长")] {
        let r = validate(JsValue::from_str("v3"), req.clone(), None, Some(obj(&format!(r#"{{"locale":"{locale}"}}"#))))
            .unwrap();
        let errors = Array::from(&get(&r, "errors"));
        let find = |path: &str| errors.iter().find(|e| json(&get(e, "path")) == path).expect(path);
        let img = find(r#"["parameters","image_list",1,"image_url"]"#);
        assert_eq!(get(&img, "label").as_string().unwrap(), image);
        assert!(get(&img, "message").as_string().unwrap().starts_with(image), "{locale}");
        let d = find(r#"["parameters","multi_prompt",0,"duration"]"#);
        assert_eq!(get(&d, "label").as_string().unwrap(), shot);
    }
}

#[wasm_bindgen_test]
fn chinese_messages_and_json_text_input() {
    let text = format!(r#"{{"prompt":"{}","aspect_ratio":"16:9"}}"#, "猫".repeat(2612));
    let r = validate(
        JsValue::from_str("o1"),
        JsValue::from_str(&text),
        Some(JsValue::NULL),
        Some(obj(r#"{"locale":"zh"}"#)),
    )
    .unwrap();
    let first = Array::from(&get(&r, "errors")).get(0);
    assert_eq!(get(&first, "message").as_string().unwrap(), "提示词有 2612 个字符，上限为 2500");
}

#[wasm_bindgen_test]
fn v3_paths_and_media_facts() {
    let req = obj(r#"{"model":"kling-v3-omni","input":{"prompt":"x"},"parameters":{"aspect_ratio":"16:9",
        "image_list":[{"image_url":"https://example.com/a.jpg"},{"image_url":"https://example.com/b.png"}]}}"#);
    let media = obj(r#"{"images":[{"format":"png","bytes":1000,"width":200,"height":200},null]}"#);
    let r = validate(JsValue::from_str("v3"), req, Some(media), None).unwrap();
    let first = Array::from(&get(&r, "errors")).get(0);
    assert_eq!(get(&first, "code").as_string().unwrap(), "image_too_small");
    assert_eq!(json(&get(&first, "path")), r#"["parameters","image_list",0,"image_url"]"#);
    assert_eq!(json(&get(&r, "unverified")), r#"[["parameters","image_list",1,"image_url"]]"#);
    assert_eq!(get(&r, "scenario").as_string().unwrap(), "reference");
}

#[wasm_bindgen_test]
fn malformed_arguments_throw_typed_errors() {
    let ok = obj("{}");
    let e = thrown(validate(JsValue::from_str("o2"), ok.clone(), None, None));
    assert_eq!(String::from(e.name()), "KlingArgumentError");
    assert_eq!(String::from(e.message()), "unknown provider \"o2\": expected \"o1\", \"v3\" or \"kling\"");
    let e = thrown(validate(JsValue::from_f64(1.0), ok.clone(), None, None));
    assert!(String::from(e.message()).contains("provider must be"));
    let e = thrown(validate(JsValue::from_str("o1"), JsValue::from_str("{not json"), None, None));
    assert!(String::from(e.message()).starts_with("request is not valid JSON"), "{}", String::from(e.message()));
    let e = thrown(validate(JsValue::from_str("o1"), JsValue::from_str("[1,2]"), None, None));
    assert_eq!(String::from(e.message()), "request must be a JSON object, got array");
    let e = thrown(validate(JsValue::from_str("o1"), JsValue::from_f64(3.0), None, None));
    assert!(String::from(e.message()).starts_with("request must be an object or JSON text"));
    let e = thrown(validate(JsValue::from_str("o1"), ok.clone(), Some(obj(r#"{"imgs":[]}"#)), None));
    assert!(String::from(e.message()).starts_with("media facts are malformed"));
    let e = thrown(validate(JsValue::from_str("o1"), ok.clone(), None, Some(obj(r#"{"locale":"fr"}"#))));
    assert_eq!(String::from(e.message()), "options.locale must be \"en\" or \"zh\"");
    // A cyclic object: an argument error, not a trap.
    let cyclic = obj("{}");
    Reflect::set(&cyclic, &JsValue::from_str("self"), &cyclic).unwrap();
    let e = thrown(validate(JsValue::from_str("o1"), cyclic, None, None));
    assert!(String::from(e.message()).starts_with("request cannot be serialised to JSON"));
    // The module still works afterwards.
    assert!(validate(JsValue::from_str("o1"), ok, None, None).is_ok());
}

#[wasm_bindgen_test]
fn allowed_options_follow_the_scenario() {
    let o = allowed_options(JsValue::from_str("o1"), obj(r#"{"prompt":"x"}"#)).unwrap();
    assert_eq!(json(&get(&o, "duration")), r#"["5","10"]"#);
    assert_eq!(json(&get(&o, "aspect_ratio")), r#"["16:9","9:16","1:1"]"#);
    assert_eq!(get(&get(&o, "fields"), "aspect_ratio").as_string().unwrap(), "required");
    let o = allowed_options(
        JsValue::from_str("o1"),
        obj(r#"{"prompt":"x","image_list":[{"image_url":"u","type":"first_frame"}]}"#),
    )
    .unwrap();
    assert_eq!(json(&get(&o, "aspect_ratio")), "[]");
    assert_eq!(get(&get(&o, "fields"), "aspect_ratio").as_string().unwrap(), "unsupported");
    let o = allowed_options(
        JsValue::from_str("v3"),
        JsValue::from_str(r#"{"parameters":{"video_list":[{"video_url":"u","refer_type":"feature"}]}}"#),
    )
    .unwrap();
    assert_eq!(json(&get(&o, "duration")), "[3,4,5,6,7,8,9,10]");
    assert_eq!(json(&get(&o, "sound")), r#"["off"]"#);
    assert_eq!(get(&o, "scenario").as_string().unwrap(), "video_reference");
}

#[wasm_bindgen_test]
fn defaults_are_valid_once_prompted() {
    for p in ["o1", "v3", "kling"] {
        let d = defaults(JsValue::from_str(p), None).unwrap();
        let r = validate(JsValue::from_str(p), d.clone(), None, None).unwrap();
        assert_eq!(codes(&r, "errors"), vec!["prompt_required"]);
    }
    assert!(defaults(JsValue::from_str("v4"), None).is_err());
}

/// Kling's own API through the JS API: both models, flat paths, and `defaults` per model.
#[wasm_bindgen_test]
fn kling_provider() {
    let d = defaults(JsValue::from_str("kling"), Some(obj(r#"{"model":"kling-v3-omni"}"#))).unwrap();
    assert_eq!(
        json(&d),
        r#"{"aspect_ratio":"16:9","duration":"5","mode":"pro","model_name":"kling-v3-omni","multi_shot":false,"prompt":"","sound":"off"}"#
    );
    let e = thrown(defaults(JsValue::from_str("o1"), Some(obj(r#"{"model":"kling-v3-omni"}"#))));
    assert_eq!(String::from(e.message()), r#"provider "o1" takes the model "kling-video-o1""#);
    let k = JsValue::from_str("kling");
    let r = validate(
        k.clone(),
        obj(r#"{"model_name":"kling-v3-omni","prompt":"x","aspect_ratio":"16:9","duration":"15","sound":"on"}"#),
        None,
        None,
    )
    .unwrap();
    assert_eq!(get(&r, "valid"), JsValue::TRUE);
    let r =
        validate(k.clone(), obj(r#"{"prompt":"x","aspect_ratio":"16:9","duration":"15","sound":"on"}"#), None, None)
            .unwrap();
    assert_eq!(codes(&r, "errors"), vec!["duration_out_of_range"], "kling-video-o1 by default");
    assert_eq!(codes(&r, "warnings"), vec!["unknown_field"]);
    let o = allowed_options(k.clone(), obj(r#"{"model_name":"kling-v3-omni","prompt":"x"}"#)).unwrap();
    assert_eq!(json(&get(&o, "duration")), r#"["3","4","5","6","7","8","9","10","11","12","13","14","15"]"#);
    assert_eq!(json(&get(&o, "sound")), r#"["on","off"]"#);
    assert_eq!(get(&get(&o, "fields"), "multi_prompt").as_string().unwrap(), "ignored");
    let o = allowed_options(k, obj(r#"{"prompt":"x","image_list":[{"image_url":"u","type":"first_frame"}]}"#)).unwrap();
    assert_eq!(json(&get(&o, "duration")), r#"["5","10"]"#);
    assert_eq!(json(&get(&o, "sound")), "[]");
}

/// Revision 2 of the rules, through the JS API: each case's (code, path) pairs exactly.
#[wasm_bindgen_test]
fn revision_2_rules() {
    let img = |t: &str| format!(r#"{{"image_url":"https://example.com/a.jpg","type":"{t}"}}"#);
    let vid = r#"{"video_url":"https://example.com/v.mp4","refer_type":"feature"}"#;
    let els = |n: usize| (1..=n).map(|i| format!(r#"{{"element_id":{i}}}"#)).collect::<Vec<_>>().join(",");
    let pairs = |r: &JsValue| -> String {
        let mut all: Vec<String> = Vec::new();
        for list in ["errors", "warnings"] {
            for i in Array::from(&get(r, list)).iter() {
                all.push(format!("{} {}", get(&i, "code").as_string().unwrap(), json(&get(&i, "path"))));
            }
        }
        all.join("; ")
    };
    let cases: Vec<(&str, &str, String, &str)> = vec![
        ("first + end frame, duration 7", "o1", format!(r#"{{"prompt":"x","duration":"7","image_list":[{},{}]}}"#, img("first_frame"), img("end_frame")), ""),
        ("first + end frame, duration 11", "o1", format!(r#"{{"prompt":"x","duration":"11","image_list":[{},{}]}}"#, img("first_frame"), img("end_frame")), r#"duration_out_of_range ["duration"]"#),
        ("first frame + reference, duration 4", "o1", format!(r#"{{"prompt":"x","duration":"4","image_list":[{},{{"image_url":"https://example.com/b.jpg"}}]}}"#, img("first_frame")), ""),
        ("first frame alone, duration 7", "o1", format!(r#"{{"prompt":"x","duration":"7","image_list":[{}]}}"#, img("first_frame")), r#"duration_out_of_range ["duration"]"#),
        ("Kling's example: empty external id and callback", "o1", r#"{"prompt":"x","aspect_ratio":"16:9","external_task_id":"","callback_url":""}"#.to_string(), ""),
        ("whitespace external id", "o1", r#"{"prompt":"x","aspect_ratio":"16:9","external_task_id":"  "}"#.to_string(), r#"external_task_id_invalid ["external_task_id"]"#),
        ("V3 empty external id", "v3", r#"{"model":"kling-v3-omni","input":{"prompt":"x"},"parameters":{"aspect_ratio":"16:9","external_task_id":""}}"#.to_string(), ""),
        ("first frame + 4 elements", "o1", format!(r#"{{"prompt":"x","image_list":[{}],"element_list":[{}]}}"#, img("first_frame"), els(4)), r#"too_many_elements ["element_list"]"#),
        ("first frame + 3 elements", "o1", format!(r#"{{"prompt":"x","image_list":[{}],"element_list":[{}]}}"#, img("first_frame"), els(3)), ""),
        ("frame + feature video + 4 elements", "o1", format!(r#"{{"prompt":"x","image_list":[{}],"element_list":[{}],"video_list":[{vid}]}}"#, img("first_frame"), els(4)), r#"too_many_elements ["element_list"]; too_many_references ["image_list"]"#),
        ("O1 model of another provider", "o1", r#"{"prompt":"x","aspect_ratio":"16:9","model_name":"kling-v3-omni"}"#.to_string(), r#"invalid_value ["model_name"]"#),
    ];
    for (name, provider, req, want) in cases {
        let r = validate(JsValue::from_str(provider), JsValue::from_str(&req), None, None).unwrap();
        assert_eq!(pairs(&r), want, "{name}");
    }
    // V3 input video over 10.05 s (R2: V3 too).
    let req = obj(r#"{"model":"kling-v3-omni","input":{"prompt":"x"},"parameters":{"aspect_ratio":"16:9",
        "video_list":[{"video_url":"https://example.com/v.mp4","refer_type":"feature"}]}}"#);
    for (seconds, want) in [(10.05, ""), (10.06, r#"video_duration ["parameters","video_list",0,"video_url"]"#)] {
        let media = obj(&format!(
            r#"{{"video":{{"format":"mp4","bytes":1000,"duration":{seconds},"width":1280,"height":720,"fps":30}}}}"#
        ));
        let r = validate(JsValue::from_str("v3"), req.clone(), Some(media), None).unwrap();
        assert_eq!(pairs(&r), want, "V3 video of {seconds} s");
    }
    // The model message names the provider that takes it.
    let r = validate(
        JsValue::from_str("o1"),
        obj(r#"{"prompt":"x","aspect_ratio":"16:9","model_name":"kling-v3-omni"}"#),
        None,
        None,
    )
    .unwrap();
    let message = get(&Array::from(&get(&r, "errors")).get(0), "message").as_string().unwrap();
    assert_eq!(
        message,
        "model_name is \"kling-v3-omni\"; this provider takes only \"kling-video-o1\". \"kling-v3-omni\" belongs to \
         Kling's own API (provider \"kling\") or the V3 gateway (provider \"v3\"): choose that provider, or change the model"
    );
}

#[wasm_bindgen_test]
fn issues_carry_their_fix_and_apply_fixes_carries_them_out() {
    let o1 = || JsValue::from_str("o1");
    let req = obj(r#"{"prompt":"a cat","duration":5,"external_task_id":"  ","mode":"PRO",
        "image_list":[{"image_url":"https://e.com/a.jpg","type":"first_frame"}],"aspect_ratio":"16:9"}"#);
    let r = validate(o1(), req.clone(), None, None).unwrap();
    let errors = Array::from(&get(&r, "errors"));
    let fixes: Vec<String> = errors
        .iter()
        .map(|i| get(&i, "fix"))
        .map(|f| if f.is_undefined() { "none".to_string() } else { json(&f) })
        .collect();
    assert_eq!(
        fixes,
        [
            "none",
            r#"{"op":"remove","path":["external_task_id"]}"#,
            r#"{"op":"remove","path":["aspect_ratio"]}"#,
            r#"{"op":"replace","path":["duration"],"value":"5"}"#,
        ]
    );
    // All of them: a new object, the one given untouched.
    let all = apply_fixes(o1(), req.clone(), None).unwrap();
    assert_eq!(
        json(&get(&all, "request")),
        r#"{"prompt":"a cat","duration":"5","mode":"PRO","image_list":[{"image_url":"https://e.com/a.jpg","type":"first_frame"}]}"#
    );
    let applied: Vec<String> = Array::from(&get(&all, "applied")).iter().map(|a| json(&a)).collect();
    assert_eq!(
        applied,
        [
            r#"{"code":"external_task_id_invalid","op":"remove","path":["external_task_id"]}"#,
            r#"{"code":"aspect_ratio_not_supported","op":"remove","path":["aspect_ratio"]}"#,
            r#"{"code":"invalid_type","op":"replace","path":["duration"],"value":"5"}"#,
        ]
    );
    assert_eq!(get(&req, "duration").as_f64(), Some(5.0));
    let after = validate(o1(), get(&all, "request"), None, None).unwrap();
    assert_eq!(codes(&after, "errors"), ["invalid_value"]);
    // One issue; an array of issues; a whole report; JSON text.
    let one = apply_fixes(o1(), req.clone(), Some(errors.get(3))).unwrap();
    assert_eq!(json(&get(&get(&one, "request"), "duration")), r#""5""#);
    assert_eq!(get(&get(&one, "request"), "external_task_id").as_string().unwrap(), "  ");
    let some =
        apply_fixes(o1(), req.clone(), Some(obj(r#"[{"code":"aspect_ratio_not_supported","path":["aspect_ratio"]}]"#)));
    assert_eq!(Array::from(&get(&some.unwrap(), "applied")).length(), 1);
    let whole = apply_fixes(o1(), JsValue::from_str(&json(&req)), Some(r)).unwrap();
    assert_eq!(Array::from(&get(&whole, "applied")).length(), 3);
    // A stale issue (no longer in the request) fixes nothing; a malformed selection throws.
    let stale = apply_fixes(o1(), req.clone(), Some(obj(r#"{"code":"invalid_type","path":["mode"]}"#))).unwrap();
    assert_eq!(Array::from(&get(&stale, "applied")).length(), 0);
    for bad in [
        r#"{"code":"invalid_type"}"#,
        r#"[{"code":1,"path":[]}]"#,
        r#"{"errors":5}"#,
        r#"[{"code":"x","path":[-1]}]"#,
        "7",
    ] {
        let e = thrown(apply_fixes(o1(), req.clone(), Some(obj(bad))));
        assert_eq!(e.name(), "KlingArgumentError", "{bad}");
    }
}

/// `schema["~standard"].validate(value)`, as a consumer calls it.
fn standard_validate(schema: &JsValue, value: &JsValue) -> JsValue {
    let standard = get(schema, "~standard");
    let f: js_sys::Function = get(&standard, "validate").dyn_into().unwrap();
    f.call1(&standard, value).unwrap()
}

#[wasm_bindgen_test]
fn kling_schema_is_a_standard_schema() {
    let schema = kling_schema(JsValue::from_str("o1"), None).unwrap();
    let standard = get(&schema, "~standard");
    assert_eq!(get(&standard, "version").as_f64(), Some(1.0));
    assert_eq!(get(&standard, "vendor").as_string().unwrap(), "kling-omni");
    assert_eq!(get(&schema, "provider").as_string().unwrap(), "o1");
    // Valid: `{ value }` is the value itself, warnings on the side.
    let good = obj(r#"{"prompt":"a cat","aspect_ratio":"16:9","durations":"5"}"#);
    let r = standard_validate(&schema, &good);
    assert!(get(&r, "issues").is_undefined());
    assert!(Object::is(&get(&r, "value"), &good));
    assert_eq!(codes(&r, "warnings"), ["unknown_field"]);
    // Invalid: errors only, each with message and path (and our code, params, fix).
    let r = standard_validate(&schema, &obj(r#"{"prompt":"a cat","duration":5}"#));
    assert!(get(&r, "value").is_undefined());
    assert_eq!(codes(&r, "issues"), ["aspect_ratio_required", "invalid_type"]);
    let first = Array::from(&get(&r, "issues")).get(1);
    assert_eq!(json(&get(&first, "path")), r#"["duration"]"#);
    assert!(get(&first, "message").as_string().unwrap().contains("duration"));
    assert_eq!(Array::from(&get(&r, "warnings")).length(), 0);
    // Not a request object: one issue with no path, never a throw.
    for bad in [JsValue::NULL, JsValue::from_str("{}"), JsValue::from_f64(5.0), obj("[1]")] {
        let r = standard_validate(&schema, &bad);
        let issues = Array::from(&get(&r, "issues"));
        assert_eq!(issues.length(), 1);
        assert!(get(&issues.get(0), "path").is_undefined());
        assert!(get(&issues.get(0), "message").as_string().unwrap().starts_with("request must be an object"));
    }
    let cyclic = obj("{}");
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert_eq!(Array::from(&get(&standard_validate(&schema, &cyclic), "issues")).length(), 1);
    // Chinese messages; a bad provider or locale throws when the schema is made.
    let zh = kling_schema(JsValue::from_str("v3"), Some(obj(r#"{"locale":"zh"}"#))).unwrap();
    let r = standard_validate(&zh, &obj(r#"{"model":"kling-v3-omni","input":{"prompt":""}}"#));
    let message = get(&Array::from(&get(&r, "issues")).get(0), "message").as_string().unwrap();
    assert!(message.contains("提示词"), "{message}");
    assert_eq!(thrown(kling_schema(JsValue::from_str("o2"), None)).name(), "KlingArgumentError");
    assert_eq!(
        thrown(kling_schema(JsValue::from_str("o1"), Some(obj(r#"{"locale":"fr"}"#)))).name(),
        "KlingArgumentError"
    );
}

#[wasm_bindgen_test]
fn flatten_issues_keys_messages_by_dotted_path() {
    let report = validate(
        JsValue::from_str("v3"),
        obj(r#"{"model":"kling-v3-omni","input":{"prompt":""},"parameters":{"image_list":[{"image_url":"x y"}]}}"#),
        None,
        None,
    )
    .unwrap();
    let flat = flatten_issues(report.clone()).unwrap();
    assert_eq!(json(&get(&flat, "formErrors")), "[]");
    let fields = get(&flat, "fieldErrors");
    let keys: Vec<String> = Object::keys(&fields.clone().into()).iter().map(|k| k.as_string().unwrap()).collect();
    assert_eq!(keys, ["input.prompt", "parameters.aspect_ratio", "parameters.image_list.0.image_url"]);
    assert_eq!(Array::from(&get(&fields, "input.prompt")).length(), 1);
    // A Standard Schema result, an array of issues (the warnings), `{ key }` segments, no path.
    let schema = kling_schema(JsValue::from_str("o1"), None).unwrap();
    let r = standard_validate(&schema, &JsValue::NULL);
    assert_eq!(
        json(&flatten_issues(r).unwrap()),
        r#"{"formErrors":["request must be an object, got null"],"fieldErrors":{}}"#
    );
    let list = obj(
        r#"[{"message":"a","path":[{"key":"x"},0]},{"message":"b","path":["x",0]},{"message":"c"},{"message":"d","path":["__proto__"]}]"#,
    );
    assert_eq!(
        json(&flatten_issues(list).unwrap()),
        r#"{"formErrors":["c"],"fieldErrors":{"x.0":["a","b"],"__proto__":["d"]}}"#
    );
    assert_eq!(thrown(flatten_issues(JsValue::from_f64(1.0))).name(), "KlingArgumentError");
}

/// Standard Base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n =
            (u32::from(c[0]) << 16) | (u32::from(*c.get(1).unwrap_or(&0)) << 8) | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            out.push(if i <= c.len() { A[(n >> (18 - 6 * i)) as usize & 63] as char } else { '=' });
        }
    }
    out
}

/// Long Base64 images cross as a summary when the request is an object (issue 15): every report
/// is the one its JSON text gives (where the whole string is read), the first time and again.
#[wasm_bindgen_test]
fn long_base64_images_report_as_their_json_text() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\x04\0\0\0\x01\x90\x08\x02\0\0\0".to_vec();
    png.resize(150_000, 7);
    // A JPEG whose frame header sits behind 200 KB of EXIF: the header needs more than the head.
    let mut jpeg = vec![0xff, 0xd8];
    for _ in 0..4 {
        jpeg.extend([0xff, 0xe1, 0xfd, 0xe8]);
        jpeg.resize(jpeg.len() + 64_998, 0x20);
    }
    jpeg.extend([0xff, 0xc0, 0, 17, 8, 0x01, 0x00, 0x07, 0x80, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
    let (png, jpeg) = (base64(&png), base64(&jpeg));
    let urls = [
        png.clone(),
        png.trim_end_matches('=').to_string(),
        format!("{png}A"),
        format!("data:image/png;base64,{png}"),
        format!("data:image/png;base64,{png}=="),
        format!("{}\n{}", &png[..76], &png[76..]),
        // Four whitespace characters keep a length `check` would accept: only the decoded
        // length shows them.
        format!("{}\r\n{}\r\n{}", &png[..76], &png[76..152], &png[152..]),
        format!("data:image/png;base64,{}\n\n\n\n{}", &png[..76], &png[76..]),
        png.replace('+', "-").replace('A', "_"),
        jpeg.clone(),
        format!("\\u0001kling-long:0:0{png}"),
    ];
    for url in &urls {
        for (provider, text) in [
            (
                "o1",
                format!(
                    r#"{{"prompt":"x","image_list":[{{"image_url":"{url}","type":"first_frame"}},{{"image_url":"{jpeg}"}}],"duration":"5"}}"#
                ),
            ),
            (
                "v3",
                format!(
                    r#"{{"model":"kling-v3-omni","input":{{"prompt":"x"}},"parameters":{{"aspect_ratio":"1:1","image_list":[{{"image_url":"{url}"}}]}}}}"#
                ),
            ),
            (
                "kling",
                format!(
                    r#"{{"model_name":"kling-v3-omni","prompt":"x","image_list":[{{"image_url":"{url}"}},{{"image_url":"\u0001kling-long:0:0"}}],"aspect_ratio":"1:1"}}"#
                ),
            ),
        ] {
            let text = text.replace('\n', "\\n").replace('\r', "\\r");
            let whole = json(&validate(JsValue::from_str(provider), JsValue::from_str(&text), None, None).unwrap());
            let object = obj(&text);
            for time in ["first", "again"] {
                let before = kling_omni::wasm_api::long_string_counts();
                let r = json(&validate(JsValue::from_str(provider), object.clone(), None, None).unwrap());
                assert_eq!(r, whole, "{provider} {time}: {}…", &url[..40]);
                let (markers, made) = kling_omni::wasm_api::long_string_counts();
                // Every long string that is Base64 the rules accept, bare or behind a prefix,
                // is summarised, once; the second time its summary is reused.
                let data = url.split_once(',').filter(|_| url.starts_with("data:")).map_or(url.as_str(), |(_, d)| d);
                let whole_kept = kling_omni::rules::base64::check(data).is_err();
                let expected = if provider == "o1" { 2 } else { 1 } - usize::from(whole_kept);
                assert_eq!(markers - before.0, expected, "{provider} {time}: markers, {}…", &url[..40]);
                if time == "again" {
                    assert_eq!(made, before.1, "{provider}: summaries reused");
                }
            }
        }
    }
}

/// An object and its JSON text give the same report (or the same error): short and long
/// (over a megabyte of UTF-16), non-ASCII, lone surrogates, and `validate` called again from
/// inside `JSON.stringify` (a `toJSON`).
#[wasm_bindgen_test]
fn objects_and_their_text_cross_alike() {
    let o1 = || JsValue::from_str("o1");
    let chinese: String = "提示".repeat(3_000);
    let ascii = "a".repeat(1_100_000);
    let texts = [
        r#"{"prompt":"a cat","aspect_ratio":"16:9"}"#.to_string(),
        format!(r#"{{"prompt":"{chinese}","aspect_ratio":"16:9","seed":1}}"#),
        format!(r#"{{"prompt":"{ascii}","aspect_ratio":"16:9"}}"#),
        format!(r#"{{"prompt":"{ascii}{chinese}","aspect_ratio":"1:2"}}"#),
        r#"{"prompt":"lone \ud800 and \udc00 surrogates 🎬","aspect_ratio":"16:9","x":"\u0000"}"#.to_string(),
    ];
    for text in &texts {
        let from_text = json(&validate(o1(), JsValue::from_str(text), None, None).unwrap());
        let from_object = json(&validate(o1(), obj(text), None, None).unwrap());
        assert_eq!(from_object, from_text, "{}…", &text[..40]);
        for locale in ["en", "zh"] {
            let options = obj(&format!(r#"{{"locale":"{locale}"}}"#));
            let a = json(&validate(o1(), obj(text), None, Some(options.clone())).unwrap());
            let b = json(&validate(o1(), JsValue::from_str(text), None, Some(options)).unwrap());
            assert_eq!(a, b);
        }
    }
    // A `toJSON` that validates another request while the first is being serialised.
    let inner = js_sys::Function::new_no_args("return { prompt: 'inner', aspect_ratio: '16:9' };");
    let outer = obj(r#"{"prompt":"outer","aspect_ratio":"16:9","seed":1}"#);
    let reentrant = Closure::<dyn Fn() -> JsValue>::new(move || {
        let report = validate(JsValue::from_str("o1"), inner.call0(&JsValue::NULL).unwrap(), None, None).unwrap();
        assert_eq!(get(&report, "valid"), JsValue::TRUE);
        obj(r#"{"prompt":"outer","aspect_ratio":"16:9","seed":1}"#)
    });
    Reflect::set(&outer, &JsValue::from_str("toJSON"), reentrant.as_ref()).unwrap();
    let a = json(&validate(o1(), outer, None, None).unwrap());
    let b = json(
        &validate(o1(), JsValue::from_str(r#"{"prompt":"outer","aspect_ratio":"16:9","seed":1}"#), None, None).unwrap(),
    );
    assert_eq!(a, b);
    assert!(a.contains("unknown_field"), "{a}");
    // A `toJSON` that gives nothing: the empty text's error, as before.
    let nothing = obj("{}");
    Reflect::set(&nothing, &JsValue::from_str("toJSON"), &js_sys::Function::new_no_args("return undefined;")).unwrap();
    let e = thrown(validate(o1(), nothing, None, None));
    let empty = thrown(validate(o1(), JsValue::from_str(""), None, None));
    assert_eq!(String::from(e.message()), String::from(empty.message()));
}
