//! The rules of docs/rules.md as a table: for every rule and each provider it applies to, a failing
//! case and a passing boundary case. Each row gives a patch to a valid base request (JSON
//! merge patch: `null` removes a key) and the exact (code, path) pairs the report must hold,
//! errors and warnings together, in any order.

mod support;

use kling_omni::{validate, ImageFacts, MediaFacts, Provider, Scenario, VideoFacts};
use serde_json::{json, Value};
use support::png;

const IMG: &str = "https://example.com/a.jpg";
const VID: &str = "https://example.com/v.mp4";

fn base(p: Provider) -> Value {
    match p {
        Provider::O1 | Provider::Kling => json!({"prompt": "a cat", "aspect_ratio": "16:9", "duration": "5"}),
        Provider::V3 => json!({
            "model": "kling-v3-omni",
            "input": {"prompt": "a cat"},
            "parameters": {"aspect_ratio": "16:9", "duration": 5}
        }),
    }
}

/// RFC 7386 JSON merge patch.
fn merge(target: &mut Value, patch: &Value) {
    if let Value::Object(p) = patch {
        if !target.is_object() {
            *target = json!({});
        }
        let t = target.as_object_mut().unwrap();
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    } else {
        *target = patch.clone();
    }
}

/// Combines two patches (nulls kept, so they still remove keys from the base).
fn overlay(a: &mut Value, b: &Value) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                overlay(a.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (a, b) => *a = b.clone(),
    }
}

fn request(p: Provider, patch: &Value) -> Value {
    let mut r = base(p);
    merge(&mut r, patch);
    r
}

/// A patch that sets V3 `parameters` keys or O1 root keys the same way.
fn params(p: Provider, patch: Value) -> Value {
    match p {
        Provider::O1 | Provider::Kling => patch,
        Provider::V3 => json!({ "parameters": patch }),
    }
}

fn field(p: Provider, name: &str) -> Value {
    match (p, name) {
        (Provider::O1 | Provider::Kling, _) => json!([name]),
        (Provider::V3, "prompt" | "negative_prompt") => json!(["input", name]),
        (Provider::V3, _) => json!(["parameters", name]),
    }
}

fn at(p: Provider, name: &str, rest: Value) -> Value {
    let mut path = field(p, name);
    path.as_array_mut().unwrap().extend(rest.as_array().unwrap().iter().cloned());
    path
}

fn found(report: &kling_omni::Report) -> Vec<(String, Value)> {
    let mut v: Vec<(String, Value)> =
        report.issues.iter().map(|i| (i.code.as_str().to_string(), serde_json::to_value(&i.path).unwrap())).collect();
    v.sort_by_key(|a| (a.0.clone(), a.1.to_string()));
    v
}

fn check_with(
    name: &str,
    p: Provider,
    req: &Value,
    media: &MediaFacts,
    expected: &[(&str, Value)],
) -> kling_omni::Report {
    let report = validate(p, req, media).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut want: Vec<(String, Value)> = expected.iter().map(|(c, path)| (c.to_string(), path.clone())).collect();
    want.sort_by_key(|a| (a.0.clone(), a.1.to_string()));
    assert_eq!(found(&report), want, "{name} ({p}): {}", serde_json::to_string(req).unwrap());
    report
}

fn check(name: &str, p: Provider, patch: Value, expected: &[(&str, Value)]) -> kling_omni::Report {
    check_with(name, p, &request(p, &patch), &MediaFacts::default(), expected)
}

const BOTH: [Provider; 2] = [Provider::O1, Provider::V3];

// ---------------------------------------------------------------- type and presence

#[test]
fn invalid_type() {
    check("O1 duration as a number", Provider::O1, json!({"duration": 5}), &[("invalid_type", json!(["duration"]))]);
    check(
        "V3 duration as a string",
        Provider::V3,
        params(Provider::V3, json!({"duration": "5"})),
        &[("invalid_type", json!(["parameters", "duration"]))],
    );
    check(
        "V3 fractional duration",
        Provider::V3,
        params(Provider::V3, json!({"duration": 5.5})),
        &[("invalid_type", json!(["parameters", "duration"]))],
    );
    check("V3 5.0 is an integer", Provider::V3, params(Provider::V3, json!({"duration": 5.0})), &[]);
    check("O1 prompt as a number", Provider::O1, json!({"prompt": 5}), &[("invalid_type", json!(["prompt"]))]);
    for p in BOTH {
        check(
            "list not an array",
            p,
            params(p, json!({"image_list": {"image_url": IMG}})),
            &[("invalid_type", field(p, "image_list"))],
        );
        check(
            "list item not an object",
            p,
            params(p, json!({"image_list": [IMG]})),
            &[("invalid_type", at(p, "image_list", json!([0])))],
        );
        check(
            "image_url as a number",
            p,
            params(p, json!({"image_list": [{"image_url": 1}]})),
            &[("invalid_type", at(p, "image_list", json!([0, "image_url"])))],
        );
        check("mode as a boolean", p, params(p, json!({"mode": true})), &[("invalid_type", field(p, "mode"))]);
    }
    check(
        "V3 input not an object",
        Provider::V3,
        json!({"input": "a cat"}),
        &[("invalid_type", json!(["input"])), ("prompt_required", json!(["input", "prompt"]))],
    );
    check(
        "V3 parameters not an object",
        Provider::V3,
        json!({"parameters": []}),
        &[("invalid_type", json!(["parameters"])), ("aspect_ratio_required", json!(["parameters", "aspect_ratio"]))],
    );
    check(
        "O1 watermark enabled not a boolean",
        Provider::O1,
        json!({"watermark_info": {"enabled": "yes"}}),
        &[("invalid_type", json!(["watermark_info", "enabled"]))],
    );
    check(
        "O1 watermark_info not an object",
        Provider::O1,
        json!({"watermark_info": true}),
        &[("invalid_type", json!(["watermark_info"]))],
    );
    check("O1 watermark_info {} is valid", Provider::O1, json!({"watermark_info": {}}), &[]);
    check("O1 watermark_info enabled", Provider::O1, json!({"watermark_info": {"enabled": true}}), &[]);
    check(
        "V3 watermark_enabled as a string",
        Provider::V3,
        params(Provider::V3, json!({"watermark_enabled": "yes"})),
        &[("invalid_type", json!(["parameters", "watermark_enabled"]))],
    );
    check("V3 watermark_enabled", Provider::V3, params(Provider::V3, json!({"watermark_enabled": false})), &[]);
    check(
        "V3 multi_shot as a string",
        Provider::V3,
        params(Provider::V3, json!({"multi_shot": "true"})),
        &[("invalid_type", json!(["parameters", "multi_shot"]))],
    );
}

#[test]
fn null_counts_as_absent() {
    check("O1 nulls", Provider::O1, json!({"mode": Value::Null, "image_list": Value::Null}), &[]);
    let mut r = base(Provider::O1);
    r["callback_url"] = Value::Null;
    r["external_task_id"] = Value::Null;
    r["sound"] = Value::Null;
    check_with("O1 explicit nulls", Provider::O1, &r, &MediaFacts::default(), &[]);
}

#[test]
fn required() {
    check("V3 model", Provider::V3, json!({"model": null}), &[("required", json!(["model"]))]);
    for p in BOTH {
        check(
            "image_url",
            p,
            params(p, json!({"image_list": [{"type": null}]})),
            &[("required", at(p, "image_list", json!([0, "image_url"])))],
        );
        check(
            "video_url",
            p,
            params(p, json!({"video_list": [{"refer_type": "feature"}], "duration": null})),
            &[("required", at(p, "video_list", json!([0, "video_url"])))],
        );
        check("image with url passes", p, params(p, json!({"image_list": [{"image_url": IMG}]})), &[]);
    }
    check(
        "element_id",
        Provider::O1,
        json!({"element_list": [{}]}),
        &[("required", json!(["element_list", 0, "element_id"]))],
    );
    check("element passes", Provider::O1, json!({"element_list": [{"element_id": 1}]}), &[]);
}

#[test]
fn element_id_invalid() {
    for bad in [
        json!(0),
        json!(-1),
        json!(1.5),
        json!(true),
        json!(""),
        json!("   "),
        json!(9007199254740992u64),
        json!([1]),
        json!({}),
    ] {
        check(
            &format!("element_id {bad}"),
            Provider::O1,
            json!({"element_list": [{"element_id": bad}]}),
            &[("element_id_invalid", json!(["element_list", 0, "element_id"]))],
        );
    }
    for good in [json!(1), json!(9007199254740991u64), json!("123"), json!("9007199254740993"), json!(2.0)] {
        check(&format!("element_id {good}"), Provider::O1, json!({"element_list": [{"element_id": good}]}), &[]);
    }
}

#[test]
fn unknown_field() {
    check("O1 root", Provider::O1, json!({"foo": 1}), &[("unknown_field", json!(["foo"]))]);
    check(
        "O1 negative_prompt",
        Provider::O1,
        json!({"negative_prompt": "blur"}),
        &[("unknown_field", json!(["negative_prompt"]))],
    );
    check("O1 sound", Provider::O1, json!({"sound": "on"}), &[("unknown_field", json!(["sound"]))]);
    check(
        "O1 watermark_info key",
        Provider::O1,
        json!({"watermark_info": {"enabled": true, "logo": "x"}}),
        &[("unknown_field", json!(["watermark_info", "logo"]))],
    );
    check(
        "O1 image item key",
        Provider::O1,
        json!({"image_list": [{"image_url": IMG, "weight": 1}]}),
        &[("unknown_field", json!(["image_list", 0, "weight"]))],
    );
    check("V3 root prompt", Provider::V3, json!({"prompt": "x"}), &[("unknown_field", json!(["prompt"]))]);
    check(
        "V3 element_list",
        Provider::V3,
        params(Provider::V3, json!({"element_list": [{"element_id": 1}]})),
        &[("unknown_field", json!(["parameters", "element_list"]))],
    );
    check(
        "V3 callback_url",
        Provider::V3,
        params(Provider::V3, json!({"callback_url": "https://x.com"})),
        &[("unknown_field", json!(["parameters", "callback_url"]))],
    );
    check("V3 input key", Provider::V3, json!({"input": {"seed": 1}}), &[("unknown_field", json!(["input", "seed"]))]);
    check(
        "V3 shot key",
        Provider::V3,
        shots(json!([{"index": 1, "prompt": "a", "duration": "5", "x": 1}])),
        &[("unknown_field", json!(["parameters", "multi_prompt", 0, "x"]))],
    );
    check("unknown null is absent", Provider::O1, json!({"foo": null}), &[]);
}

#[test]
fn invalid_value() {
    for p in BOTH {
        check("mode case", p, params(p, json!({"mode": "PRO"})), &[("invalid_value", field(p, "mode"))]);
        check("mode std", p, params(p, json!({"mode": "std"})), &[]);
        check(
            "aspect ratio",
            p,
            params(p, json!({"aspect_ratio": "4:3"})),
            &[("invalid_value", field(p, "aspect_ratio"))],
        );
        check("aspect ratio 9:16", p, params(p, json!({"aspect_ratio": "9:16"})), &[]);
        check(
            "image type",
            p,
            params(p, json!({"image_list": [{"image_url": IMG, "type": "last_frame"}]})),
            &[("invalid_value", at(p, "image_list", json!([0, "type"])))],
        );
        check(
            "refer_type",
            p,
            params(
                p,
                json!({"video_list": [{"video_url": VID, "refer_type": "style"}], "aspect_ratio": null, "duration": null}),
            ),
            &[("invalid_value", at(p, "video_list", json!([0, "refer_type"])))],
        );
        check(
            "keep_original_sound",
            p,
            params(
                p,
                json!({"video_list": [{"video_url": VID, "refer_type": "feature", "keep_original_sound": "true"}]}),
            ),
            &[("invalid_value", at(p, "video_list", json!([0, "keep_original_sound"])))],
        );
        check(
            "keep_original_sound yes",
            p,
            params(
                p,
                json!({"video_list": [{"video_url": VID, "refer_type": "feature", "keep_original_sound": "yes"}]}),
            ),
            &[],
        );
    }
    check(
        "O1 model_name",
        Provider::O1,
        json!({"model_name": "kling-v2"}),
        &[("invalid_value", json!(["model_name"]))],
    );
    check("O1 model_name ok", Provider::O1, json!({"model_name": "kling-video-o1"}), &[]);
    check("V3 model", Provider::V3, json!({"model": "kling-video-o1"}), &[("invalid_value", json!(["model"]))]);
    // R2: a model another provider takes stays invalid_value; its message names the provider.
    let r = check(
        "R2 O1 model_name kling-v3-omni",
        Provider::O1,
        json!({"model_name": "kling-v3-omni"}),
        &[("invalid_value", json!(["model_name"]))],
    );
    assert_eq!(r.issues[0].param("served_by"), Some(&json!(["kling", "v3"])));
    let en = kling_omni::messages::render(&r.issues[0], kling_omni::Locale::En);
    assert!(en.contains("\"kling-video-o1\"") && en.contains("Kling's own API (provider \"kling\")"), "{en}");
    assert!(en.contains("the V3 gateway (provider \"v3\")"), "{en}");
    let zh = kling_omni::messages::render(&r.issues[0], kling_omni::Locale::Zh);
    assert!(zh.contains("可灵官方 API") && zh.contains("V3 网关"), "{zh}");
    let r = check(
        "R2 V3 model kling-video-o1",
        Provider::V3,
        json!({"model": "kling-video-o1"}),
        &[("invalid_value", json!(["model"]))],
    );
    assert_eq!(r.issues[0].param("served_by"), Some(&json!(["o1", "kling"])));
    let r = check(
        "an unknown model names no provider",
        Provider::O1,
        json!({"model_name": "kling-v2"}),
        &[("invalid_value", json!(["model_name"]))],
    );
    assert_eq!(r.issues[0].param("served_by"), None);
    check(
        "V3 sound",
        Provider::V3,
        params(Provider::V3, json!({"sound": "ON"})),
        &[("invalid_value", json!(["parameters", "sound"]))],
    );
    let mut patch = shots(json!([{"index": 1, "prompt": "a", "duration": "5"}]));
    overlay(&mut patch, &json!({"parameters": {"shot_type": "auto"}}));
    check("V3 shot_type", Provider::V3, patch, &[("invalid_value", json!(["parameters", "shot_type"]))]);
}

// ---------------------------------------------------------------- prompts

#[test]
fn prompt_required() {
    check("O1 empty", Provider::O1, json!({"prompt": ""}), &[("prompt_required", json!(["prompt"]))]);
    check(
        "O1 ideographic spaces",
        Provider::O1,
        json!({"prompt": "\u{3000}\u{3000}"}),
        &[("prompt_required", json!(["prompt"]))],
    );
    check("O1 missing", Provider::O1, json!({"prompt": null}), &[("prompt_required", json!(["prompt"]))]);
    check("O1 one character", Provider::O1, json!({"prompt": "猫"}), &[]);
    check(
        "V3 empty",
        Provider::V3,
        json!({"input": {"prompt": " \n"}}),
        &[("prompt_required", json!(["input", "prompt"]))],
    );
    check("V3 no input", Provider::V3, json!({"input": null}), &[("prompt_required", json!(["input", "prompt"]))]);
    check(
        "V3 multi-shot needs none",
        Provider::V3,
        json!({"input": null, "parameters": {"multi_shot": true, "shot_type": "customize", "multi_prompt": [{"index": 1, "prompt": "a", "duration": "5"}]}}),
        &[],
    );
}

#[test]
fn text_too_long() {
    for p in BOTH {
        let r = check("2501", p, json_prompt(p, &"a".repeat(2501)), &[("text_too_long", field(p, "prompt"))]);
        let i = &r.issues[0];
        assert_eq!(i.param("limit"), Some(&json!(2500)));
        assert_eq!(i.param("actual"), Some(&json!(2501)));
        check("2500", p, json_prompt(p, &"a".repeat(2500)), &[]);
        check("2500 Chinese", p, json_prompt(p, &"猫".repeat(2500)), &[]);
        check("2500 emoji", p, json_prompt(p, &"🐈".repeat(2500)), &[]);
        check("2501 emoji", p, json_prompt(p, &"🐈".repeat(2501)), &[("text_too_long", field(p, "prompt"))]);
    }
    check(
        "V3 negative 2501",
        Provider::V3,
        json!({"input": {"negative_prompt": "b".repeat(2501)}}),
        &[("text_too_long", json!(["input", "negative_prompt"]))],
    );
    check("V3 negative 2500", Provider::V3, json!({"input": {"negative_prompt": "b".repeat(2500)}}), &[]);
    check(
        "shot prompt 513",
        Provider::V3,
        shots(json!([{"index": 1, "prompt": "s".repeat(513), "duration": "5"}])),
        &[("text_too_long", json!(["parameters", "multi_prompt", 0, "prompt"]))],
    );
    check(
        "shot prompt 512",
        Provider::V3,
        shots(json!([{"index": 1, "prompt": "s".repeat(512), "duration": "5"}])),
        &[],
    );
}

fn json_prompt(p: Provider, text: &str) -> Value {
    match p {
        Provider::O1 | Provider::Kling => json!({ "prompt": text }),
        Provider::V3 => json!({ "input": { "prompt": text } }),
    }
}

fn shots(list: Value) -> Value {
    json!({"input": {"prompt": null}, "parameters": {"multi_shot": true, "shot_type": "customize", "multi_prompt": list}})
}

#[test]
fn placeholders() {
    for p in BOTH {
        check(
            "image_1 with no images",
            p,
            json_prompt(p, "see <<<image_1>>>"),
            &[("placeholder_out_of_range", field(p, "prompt"))],
        );
        let mut patch = json_prompt(p, "see <<<image_1>>> and <<<image_0>>>");
        overlay(&mut patch, &params(p, json!({"image_list": [{"image_url": IMG}]})));
        check("image_0", p, patch, &[("placeholder_out_of_range", field(p, "prompt"))]);
        let mut patch = json_prompt(p, "see <<<image_2>>>");
        overlay(&mut patch, &params(p, json!({"image_list": [{"image_url": IMG}, {"image_url": IMG}]})));
        check("image_2 with two", p, patch, &[]);
        check(
            "video_1 with none",
            p,
            json_prompt(p, "<<<video_1>>>"),
            &[("placeholder_out_of_range", field(p, "prompt"))],
        );
        for bad in ["<<<Image_1>>>", "<<<image_01>>>", "<<<image_ 1>>>", "<<<picture_1>>>", "<<<>>>"] {
            check(bad, p, json_prompt(p, bad), &[("placeholder_unknown", field(p, "prompt"))]);
        }
    }
    check(
        "O1 element_2 with one",
        Provider::O1,
        json!({"prompt": "<<<element_2>>>", "element_list": [{"element_id": 1}]}),
        &[("placeholder_out_of_range", json!(["prompt"]))],
    );
    check(
        "O1 element_1 with one",
        Provider::O1,
        json!({"prompt": "<<<element_1>>>", "element_list": [{"element_id": "e1"}]}),
        &[],
    );
    check(
        "V3 element placeholder is unknown",
        Provider::V3,
        json!({"input": {"prompt": "<<<element_1>>>"}}),
        &[("placeholder_unknown", json!(["input", "prompt"]))],
    );
    check(
        "frames count as images",
        Provider::V3,
        json!({"input": {"prompt": "<<<image_2>>>"}, "parameters": {"image_list": [{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG, "type": "end_frame"}]}}),
        &[],
    );
    check(
        "inside a shot",
        Provider::V3,
        shots(json!([{"index": 1, "prompt": "<<<image_1>>>", "duration": "5"}])),
        &[("placeholder_out_of_range", json!(["parameters", "multi_prompt", 0, "prompt"]))],
    );
    // The cap of 100 placeholder issues counts issues, not placeholders: a bad one after
    // 150 good ones (1963 characters, within the limit) is still found.
    let mut patch = json_prompt(Provider::O1, &format!("{}<<<image_2>>>", "<<<image_1>>>".repeat(150)));
    overlay(&mut patch, &params(Provider::O1, json!({"image_list": [{"image_url": IMG}]})));
    check(
        "a bad placeholder after 150 good ones",
        Provider::O1,
        patch,
        &[("placeholder_out_of_range", json!(["prompt"]))],
    );
}

// ---------------------------------------------------------------- ignored

#[test]
fn field_ignored() {
    let edit = |p: Provider, extra: Value| {
        let mut patch = params(
            p,
            json!({"video_list": [{"video_url": VID, "refer_type": "base"}], "aspect_ratio": null, "duration": null}),
        );
        overlay(&mut patch, &params(p, extra));
        patch
    };
    check(
        "O1 duration 99 in an edit is only a warning",
        Provider::O1,
        edit(Provider::O1, json!({"duration": "99"})),
        &[("field_ignored", json!(["duration"]))],
    );
    check(
        "O1 duration number in an edit",
        Provider::O1,
        edit(Provider::O1, json!({"duration": 5})),
        &[("field_ignored", json!(["duration"])), ("invalid_type", json!(["duration"]))],
    );
    check("O1 edit without duration", Provider::O1, edit(Provider::O1, json!({})), &[]);
    check(
        "V3 duration in an edit",
        Provider::V3,
        edit(Provider::V3, json!({"duration": 99})),
        &[("field_ignored", json!(["parameters", "duration"]))],
    );
    check("V3 edit without duration", Provider::V3, edit(Provider::V3, json!({})), &[]);
    let mut long = shots(json!([{"index": 1, "prompt": "a", "duration": "5"}]));
    overlay(&mut long, &json!({"input": {"prompt": "p".repeat(3000)}}));
    check(
        "V3 3000-char prompt with multi_shot is only a warning",
        Provider::V3,
        long,
        &[("field_ignored", json!(["input", "prompt"]))],
    );
    check(
        "V3 shot_type without multi_shot",
        Provider::V3,
        params(Provider::V3, json!({"shot_type": "customize"})),
        &[("field_ignored", json!(["parameters", "shot_type"]))],
    );
    check(
        "V3 multi_prompt without multi_shot",
        Provider::V3,
        params(Provider::V3, json!({"multi_shot": false, "multi_prompt": [{"index": 9}]})),
        &[("field_ignored", json!(["parameters", "multi_prompt"]))],
    );
    check(
        "V3 ignored multi_prompt is checked for being an array",
        Provider::V3,
        params(Provider::V3, json!({"multi_prompt": "x"})),
        &[
            ("field_ignored", json!(["parameters", "multi_prompt"])),
            ("invalid_type", json!(["parameters", "multi_prompt"])),
        ],
    );
}

// ---------------------------------------------------------------- lists and frames

fn n_images(n: usize) -> Value {
    Value::Array((0..n).map(|_| json!({"image_url": IMG})).collect())
}

#[test]
fn too_many_references() {
    for p in BOTH {
        check(
            "8 images",
            p,
            params(p, json!({"image_list": n_images(8)})),
            &[("too_many_references", field(p, "image_list"))],
        );
        check("7 images", p, params(p, json!({"image_list": n_images(7)})), &[]);
        let feature = json!([{"video_url": VID, "refer_type": "feature"}]);
        check(
            "5 images with a video",
            p,
            params(p, json!({"image_list": n_images(5), "video_list": feature})),
            &[("too_many_references", field(p, "image_list"))],
        );
        check("4 images with a video", p, params(p, json!({"image_list": n_images(4), "video_list": feature})), &[]);
    }
    let els = |n: usize| Value::Array((1..=n).map(|i| json!({"element_id": i})).collect());
    check(
        "O1 4 images + 4 elements",
        Provider::O1,
        json!({"image_list": n_images(4), "element_list": els(4)}),
        &[("too_many_references", json!(["image_list"]))],
    );
    check("O1 3 images + 4 elements", Provider::O1, json!({"image_list": n_images(3), "element_list": els(4)}), &[]);
    check(
        "O1 8 elements",
        Provider::O1,
        json!({"element_list": els(8)}),
        &[("too_many_references", json!(["element_list"]))],
    );
    check(
        "V3 elements are not counted",
        Provider::V3,
        params(Provider::V3, json!({"image_list": n_images(7), "element_list": els(4)})),
        &[("unknown_field", json!(["parameters", "element_list"]))],
    );
}

#[test]
fn too_many_elements() {
    // R2 (O1): more than 3 elements while the request has a frame image.
    let els = |n: usize| Value::Array((1..=n).map(|i| json!({"element_id": i})).collect());
    let with = |frames: Value, n: usize| json!({"aspect_ratio": null, "image_list": frames, "element_list": els(n)});
    let first = json!([{"image_url": IMG, "type": "first_frame"}]);
    let first_end = json!([{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG, "type": "end_frame"}]);
    check(
        "first frame + 4 elements",
        Provider::O1,
        with(first.clone(), 4),
        &[("too_many_elements", json!(["element_list"]))],
    );
    check("first frame + 3 elements", Provider::O1, with(first.clone(), 3), &[]);
    check(
        "first + end frame + 4 elements",
        Provider::O1,
        with(first_end.clone(), 4),
        &[("too_many_elements", json!(["element_list"]))],
    );
    check("first + end frame + 3 elements", Provider::O1, with(first_end, 3), &[]);
    check("no frame: 4 elements", Provider::O1, json!({"image_list": n_images(1), "element_list": els(4)}), &[]);
    let r = check(
        "first frame + 6 elements",
        Provider::O1,
        with(first.clone(), 6),
        &[("too_many_elements", json!(["element_list"]))],
    );
    assert_eq!(r.issues[0].param("limit"), Some(&json!(3)));
    assert_eq!(r.issues[0].param("actual"), Some(&json!(6)));
    // Two rules broken by one count are two issues.
    let mut both = with(first, 4);
    both["video_list"] = json!([{"video_url": VID, "refer_type": "feature"}]);
    check(
        "frame + feature video + 4 elements",
        Provider::O1,
        both,
        &[("too_many_elements", json!(["element_list"])), ("too_many_references", json!(["image_list"]))],
    );
    check(
        "V3 documents no elements",
        Provider::V3,
        params(
            Provider::V3,
            json!({"image_list": [{"image_url": IMG, "type": "first_frame"}], "element_list": els(4)}),
        ),
        &[("unknown_field", json!(["parameters", "element_list"]))],
    );
}

#[test]
fn too_many_videos() {
    for p in BOTH {
        let two = json!([{"video_url": VID, "refer_type": "feature"}, {"video_url": VID, "refer_type": "feature"}]);
        check("2 videos", p, params(p, json!({"video_list": two})), &[("too_many_videos", field(p, "video_list"))]);
    }
}

fn frames(p: Provider, list: Value) -> Value {
    // O1 does not take aspect_ratio with frames; V3 requires it everywhere but in an edit.
    match p {
        Provider::O1 | Provider::Kling => json!({"image_list": list, "aspect_ratio": null}),
        Provider::V3 => params(p, json!({"image_list": list})),
    }
}

#[test]
fn frame_rules() {
    let first = json!({"image_url": IMG, "type": "first_frame"});
    let end = json!({"image_url": IMG, "type": "end_frame"});
    let refi = json!({"image_url": IMG});
    for p in BOTH {
        check(
            "end frame only",
            p,
            frames(p, json!([end])),
            &[("end_frame_without_first_frame", at(p, "image_list", json!([0, "type"])))],
        );
        check("first and end", p, frames(p, json!([first, end])), &[]);
        check(
            "two first frames",
            p,
            frames(p, json!([first, first])),
            &[("duplicate_frame_type", at(p, "image_list", json!([1, "type"])))],
        );
        check(
            "two end frames",
            p,
            frames(p, json!([first, end, end])),
            &[
                ("duplicate_frame_type", at(p, "image_list", json!([2, "type"]))),
                ("end_frame_with_many_images", at(p, "image_list", json!([1, "type"]))),
            ],
        );
        check(
            "end frame with three images",
            p,
            frames(p, json!([first, end, refi])),
            &[("end_frame_with_many_images", at(p, "image_list", json!([1, "type"])))],
        );
        check("first frame with three images", p, frames(p, json!([first, refi, refi])), &[]);
        let mut patch = frames(p, json!([first]));
        overlay(
            &mut patch,
            &params(p, json!({"video_list": [{"video_url": VID}], "aspect_ratio": null, "duration": null})),
        );
        check("frame in a video edit", p, patch, &[("frame_with_video_edit", at(p, "image_list", json!([0, "type"])))]);
    }
}

// ---------------------------------------------------------------- aspect ratio, duration, sound

#[test]
fn aspect_ratio() {
    for p in BOTH {
        check(
            "missing in text to video",
            p,
            params(p, json!({"aspect_ratio": null})),
            &[("aspect_ratio_required", field(p, "aspect_ratio"))],
        );
        check(
            "missing with a feature video",
            p,
            params(p, json!({"aspect_ratio": null, "video_list": [{"video_url": VID, "refer_type": "feature"}]})),
            &[("aspect_ratio_required", field(p, "aspect_ratio"))],
        );
        check(
            "missing in a video edit",
            p,
            params(p, json!({"aspect_ratio": null, "duration": null, "video_list": [{"video_url": VID}]})),
            &[],
        );
    }
    let first = json!([{"image_url": IMG, "type": "first_frame"}]);
    check(
        "O1 with a first frame",
        Provider::O1,
        json!({"image_list": first}),
        &[("aspect_ratio_not_supported", json!(["aspect_ratio"]))],
    );
    check(
        "O1 not supported whatever the value",
        Provider::O1,
        json!({"image_list": first, "aspect_ratio": 5}),
        &[("aspect_ratio_not_supported", json!(["aspect_ratio"]))],
    );
    check(
        "O1 in a video edit",
        Provider::O1,
        json!({"duration": null, "video_list": [{"video_url": VID, "refer_type": "base"}]}),
        &[("aspect_ratio_not_supported", json!(["aspect_ratio"]))],
    );
    check(
        "O1 first frame with a feature video",
        Provider::O1,
        json!({"image_list": first, "video_list": [{"video_url": VID, "refer_type": "feature"}]}),
        &[("aspect_ratio_not_supported", json!(["aspect_ratio"]))],
    );
    check("O1 first frame without aspect ratio", Provider::O1, json!({"image_list": first, "aspect_ratio": null}), &[]);
    check(
        "V3 first frame needs it",
        Provider::V3,
        params(Provider::V3, json!({"image_list": first, "aspect_ratio": null})),
        &[("aspect_ratio_required", json!(["parameters", "aspect_ratio"]))],
    );
    check("V3 first frame with it", Provider::V3, params(Provider::V3, json!({"image_list": first})), &[]);
}

#[test]
fn duration_o1() {
    let t2v = |d: &str| json!({"duration": d});
    for ok in ["5", "10"] {
        check(ok, Provider::O1, t2v(ok), &[]);
    }
    for bad in ["7", "3", "05", " 5", "5.0", "", "-5", "15"] {
        check(
            &format!("text to video {bad:?}"),
            Provider::O1,
            t2v(bad),
            &[("duration_out_of_range", json!(["duration"]))],
        );
    }
    let reference = |d: &str| json!({"duration": d, "image_list": [{"image_url": IMG}]});
    for ok in ["3", "7", "10"] {
        check(ok, Provider::O1, reference(ok), &[]);
    }
    for bad in ["2", "11", "03"] {
        check(bad, Provider::O1, reference(bad), &[("duration_out_of_range", json!(["duration"]))]);
    }
    let first = |d: &str| json!({"duration": d, "aspect_ratio": null, "image_list": [{"image_url": IMG, "type": "first_frame"}]});
    check("first frame 7", Provider::O1, first("7"), &[("duration_out_of_range", json!(["duration"]))]);
    check("first frame 10", Provider::O1, first("10"), &[]);
    let with_video = |d: &str| json!({"duration": d, "aspect_ratio": null, "image_list": [{"image_url": IMG, "type": "first_frame"}], "video_list": [{"video_url": VID, "refer_type": "feature"}]});
    check("first frame + feature video takes 3-10", Provider::O1, with_video("7"), &[]);
    // R2: 5/10 only for text-to-video and a first frame alone; every other scenario but an
    // edit takes "3"…"10" (Kling's O1 FAQ: "其他情况：可选 3-10s").
    let first_end = |d: &str| json!({"duration": d, "aspect_ratio": null, "image_list": [{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG, "type": "end_frame"}]});
    for ok in ["3", "7", "10"] {
        check(&format!("R2 first + end frame {ok}"), Provider::O1, first_end(ok), &[]);
    }
    for bad in ["2", "11"] {
        check(
            &format!("R2 first + end frame {bad}"),
            Provider::O1,
            first_end(bad),
            &[("duration_out_of_range", json!(["duration"]))],
        );
    }
    let first_refs = |d: &str| json!({"duration": d, "aspect_ratio": null, "image_list": [{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG}]});
    check("R2 first frame + a reference image 4", Provider::O1, first_refs("4"), &[]);
    check("R2 first frame + a reference image 3", Provider::O1, first_refs("3"), &[]);
    check(
        "R2 first frame + a reference image 2",
        Provider::O1,
        first_refs("2"),
        &[("duration_out_of_range", json!(["duration"]))],
    );
    let first_el = |d: &str| json!({"duration": d, "aspect_ratio": null, "image_list": [{"image_url": IMG, "type": "first_frame"}], "element_list": [{"element_id": 1}]});
    check("R2 first frame + an element 6", Provider::O1, first_el("6"), &[]);
    check(
        "R2 first frame + an element 11",
        Provider::O1,
        first_el("11"),
        &[("duration_out_of_range", json!(["duration"]))],
    );
    let end_alone =
        json!({"duration": "7", "aspect_ratio": null, "image_list": [{"image_url": IMG, "type": "end_frame"}]});
    check(
        "R2 end frame alone takes 3-10 (its own fault is the missing first frame)",
        Provider::O1,
        end_alone,
        &[("end_frame_without_first_frame", json!(["image_list", 0, "type"]))],
    );
    let r = check(
        "R2 first frame alone 7 lists 5/10",
        Provider::O1,
        first("7"),
        &[("duration_out_of_range", json!(["duration"]))],
    );
    assert_eq!(r.issues[0].param("allowed"), Some(&json!(["5", "10"])));
    let r = check(
        "R2 first + end frame 11 lists 3-10",
        Provider::O1,
        first_end("11"),
        &[("duration_out_of_range", json!(["duration"]))],
    );
    assert_eq!(r.issues[0].param("min"), Some(&json!(3)));
    assert_eq!(r.issues[0].param("max"), Some(&json!(10)));
    check(
        "first frame + feature video 11",
        Provider::O1,
        with_video("11"),
        &[("duration_out_of_range", json!(["duration"]))],
    );
}

#[test]
fn duration_v3() {
    let d = |n: i64| params(Provider::V3, json!({"duration": n}));
    for ok in [3, 10, 15] {
        check(&format!("{ok}"), Provider::V3, d(ok), &[]);
    }
    for bad in [2, 16, 0, -5] {
        check(&format!("{bad}"), Provider::V3, d(bad), &[("duration_out_of_range", json!(["parameters", "duration"]))]);
    }
    let vr = |n: i64| {
        params(Provider::V3, json!({"duration": n, "video_list": [{"video_url": VID, "refer_type": "feature"}]}))
    };
    check("video reference 10", Provider::V3, vr(10), &[]);
    check("video reference 11", Provider::V3, vr(11), &[("duration_out_of_range", json!(["parameters", "duration"]))]);
}

#[test]
fn sound_with_video() {
    for refer in ["feature", "base"] {
        check(
            refer,
            Provider::V3,
            params(
                Provider::V3,
                json!({"sound": "on", "duration": null, "video_list": [{"video_url": VID, "refer_type": refer}]}),
            ),
            &[("sound_with_video", json!(["parameters", "sound"]))],
        );
        check(
            refer,
            Provider::V3,
            params(
                Provider::V3,
                json!({"sound": "off", "duration": null, "video_list": [{"video_url": VID, "refer_type": refer}]}),
            ),
            &[],
        );
    }
    check("on without a video", Provider::V3, params(Provider::V3, json!({"sound": "on"})), &[]);
}

// ---------------------------------------------------------------- multi-shot

#[test]
fn multi_shot() {
    let s = |i: i64, d: &str| json!({"index": i, "prompt": format!("shot {i}"), "duration": d});
    check(
        "shot_type required",
        Provider::V3,
        json!({"input": {"prompt": null}, "parameters": {"multi_shot": true, "multi_prompt": [s(1, "5")]}}),
        &[("shot_type_required", json!(["parameters", "shot_type"]))],
    );
    check(
        "multi_prompt required",
        Provider::V3,
        json!({"input": {"prompt": null}, "parameters": {"multi_shot": true, "shot_type": "customize"}}),
        &[("multi_prompt_required", json!(["parameters", "multi_prompt"]))],
    );
    check(
        "multi_prompt empty",
        Provider::V3,
        shots(json!([])),
        &[("multi_prompt_required", json!(["parameters", "multi_prompt"]))],
    );
    let seven: Vec<Value> = (1..=7).map(|i| s(i, "1")).collect();
    let mut patch = shots(json!(seven));
    overlay(&mut patch, &json!({"parameters": {"duration": 7}}));
    check("7 shots", Provider::V3, patch, &[("multi_prompt_count", json!(["parameters", "multi_prompt"]))]);
    let six: Vec<Value> = (1..=6).map(|i| s(i, "1")).collect();
    let mut patch = shots(json!(six));
    overlay(&mut patch, &json!({"parameters": {"duration": 6}}));
    check("6 shots", Provider::V3, patch, &[]);
    check(
        "index gap",
        Provider::V3,
        shots(json!([s(1, "2"), s(3, "3")])),
        &[("shot_index", json!(["parameters", "multi_prompt", 1, "index"]))],
    );
    check(
        "index swapped",
        Provider::V3,
        shots(json!([s(2, "2"), s(1, "3")])),
        &[
            ("shot_index", json!(["parameters", "multi_prompt", 0, "index"])),
            ("shot_index", json!(["parameters", "multi_prompt", 1, "index"])),
        ],
    );
    check(
        "index as a string",
        Provider::V3,
        shots(json!([{"index": "1", "prompt": "a", "duration": "5"}])),
        &[("invalid_type", json!(["parameters", "multi_prompt", 0, "index"]))],
    );
    check(
        "shot fields missing",
        Provider::V3,
        shots(json!([{}])),
        &[
            ("required", json!(["parameters", "multi_prompt", 0, "index"])),
            ("required", json!(["parameters", "multi_prompt", 0, "prompt"])),
            ("required", json!(["parameters", "multi_prompt", 0, "duration"])),
        ],
    );
    check(
        "shot prompt empty",
        Provider::V3,
        shots(json!([{"index": 1, "prompt": " ", "duration": "5"}])),
        &[("prompt_required", json!(["parameters", "multi_prompt", 0, "prompt"]))],
    );
    check(
        "shot duration 0",
        Provider::V3,
        shots(json!([s(1, "0"), s(2, "5")])),
        &[("shot_duration", json!(["parameters", "multi_prompt", 0, "duration"]))],
    );
    check(
        "shot longer than the total",
        Provider::V3,
        shots(json!([s(1, "6")])),
        &[
            ("shot_duration", json!(["parameters", "multi_prompt", 0, "duration"])),
            ("shot_duration_sum", json!(["parameters", "multi_prompt"])),
        ],
    );
    check(
        "shot duration 2.5 is not summed",
        Provider::V3,
        shots(json!([s(1, "2.5"), s(2, "2")])),
        &[("shot_duration", json!(["parameters", "multi_prompt", 0, "duration"]))],
    );
    check(
        "shot duration as a number",
        Provider::V3,
        shots(json!([{"index": 1, "prompt": "a", "duration": 5}])),
        &[("invalid_type", json!(["parameters", "multi_prompt", 0, "duration"]))],
    );
    check(
        "sum short",
        Provider::V3,
        shots(json!([s(1, "2"), s(2, "2")])),
        &[("shot_duration_sum", json!(["parameters", "multi_prompt"]))],
    );
    check(
        "sum right (default total 5)",
        Provider::V3,
        json!({"input": {"prompt": null}, "parameters": {"duration": null, "multi_shot": true, "shot_type": "customize", "multi_prompt": [s(1, "2"), s(2, "3")]}}),
        &[],
    );
    check("the seed example", Provider::V3, shots(json!([s(1, "2"), s(2, "3")])), &[]);
    let r = check(
        "sum params",
        Provider::V3,
        shots(json!([s(1, "1"), s(2, "1")])),
        &[("shot_duration_sum", json!(["parameters", "multi_prompt"]))],
    );
    assert_eq!(r.issues[0].param("expected"), Some(&json!(5)));
    assert_eq!(r.issues[0].param("actual"), Some(&json!(2)));
}

// ---------------------------------------------------------------- URLs and Base64

fn b64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn gif(w: u16, h: u16) -> Vec<u8> {
    let mut v = b"GIF89a".to_vec();
    v.extend_from_slice(&w.to_le_bytes());
    v.extend_from_slice(&h.to_le_bytes());
    v.extend_from_slice(&[0, 0, 0, 0x3b]);
    v
}

fn one_image(p: Provider, url: &str) -> Value {
    params(p, json!({"image_list": [{"image_url": url}]}))
}

#[test]
fn image_urls() {
    for p in BOTH {
        let path = at(p, "image_list", json!([0, "image_url"]));
        for bad in ["not a url", "ftp://example.com/a.jpg", "", "https://", "example.com/a.jpg", "-_-_", "TWFu\nTWFu"] {
            check(&format!("{bad:?}"), p, one_image(p, bad), &[("image_url_invalid", path.clone())]);
        }
        let good = b64(&png(300, 300));
        check("base64 png", p, one_image(p, &good), &[]);
        check("base64 png without padding", p, one_image(p, good.trim_end_matches('=')), &[]);
        check(
            "data: prefix",
            p,
            one_image(p, &format!("data:image/png;base64,{good}")),
            &[("base64_data_uri_prefix", path.clone())],
        );
        check(
            "data: prefix on garbage is one fault",
            p,
            one_image(p, "data:image/png;base64,!!!"),
            &[("base64_data_uri_prefix", path.clone())],
        );
        check("URL", p, one_image(p, "https://example.com/a.JPG?x=1"), &[]);
    }
    let wrapped = {
        let s = b64(&png(300, 300));
        format!("{}\n{}", &s[..8], &s[8..])
    };
    let r = check(
        "line breaks offer a fix",
        Provider::O1,
        one_image(Provider::O1, &wrapped),
        &[("image_url_invalid", json!(["image_list", 0, "image_url"]))],
    );
    assert_eq!(r.issues[0].param("fix"), Some(&json!("remove_whitespace")));
}

#[test]
fn image_from_base64_bytes() {
    for p in BOTH {
        let path = at(p, "image_list", json!([0, "image_url"]));
        check("gif", p, one_image(p, &b64(&gif(400, 400))), &[("image_format", path.clone())]);
        check("not an image", p, one_image(p, &b64(b"hello world, not an image")), &[("image_format", path.clone())]);
        check("299 px", p, one_image(p, &b64(&png(299, 600))), &[("image_too_small", path.clone())]);
        check("300 px", p, one_image(p, &b64(&png(300, 600))), &[]);
        check("2.5:1", p, one_image(p, &b64(&png(750, 300))), &[]);
        check("1:2.5", p, one_image(p, &b64(&png(300, 750))), &[]);
        check("751:300", p, one_image(p, &b64(&png(751, 300))), &[("image_aspect_ratio", path.clone())]);
        check("300:751", p, one_image(p, &b64(&png(300, 751))), &[("image_aspect_ratio", path.clone())]);
        check(
            "small gif, all faults",
            p,
            one_image(p, &b64(&gif(100, 100))),
            &[("image_format", path.clone()), ("image_too_small", path.clone())],
        );
    }
    // Sizes: a PNG header followed by padding, just over and exactly at 10 MB.
    let limit = 10 * 1024 * 1024;
    let mut big = png(1000, 1000);
    big.resize(limit + 3, 0);
    let path = json!(["image_list", 0, "image_url"]);
    let r = check(
        "10 MB + 3 bytes",
        Provider::O1,
        one_image(Provider::O1, &b64(&big)),
        &[("image_too_large", path.clone())],
    );
    assert_eq!(r.issues[0].param("actual"), Some(&json!(limit + 3)));
    big.truncate(limit);
    let r = check("exactly 10 MB", Provider::O1, one_image(Provider::O1, &b64(&big)), &[]);
    assert!(r.unverified.is_empty(), "Base64 is verified from its bytes");
}

fn image_facts(format: &str, bytes: f64, width: f64, height: f64) -> MediaFacts {
    MediaFacts {
        images: vec![Some(ImageFacts {
            format: Some(format.into()),
            bytes: Some(bytes),
            width: Some(width),
            height: Some(height),
        })],
        video: None,
    }
}

#[test]
fn image_from_measured_facts() {
    for p in BOTH {
        let path = at(p, "image_list", json!([0, "image_url"]));
        let req = request(p, &one_image(p, "https://example.com/a.jpg"));
        check_with(
            "webp measured beats .jpg",
            p,
            &req,
            &image_facts("webp", 1000.0, 400.0, 400.0),
            &[("image_format", path.clone())],
        );
        check_with(
            "11 MB",
            p,
            &req,
            &image_facts("jpeg", 10485761.0, 400.0, 400.0),
            &[("image_too_large", path.clone())],
        );
        check_with("exactly 10 MB", p, &req, &image_facts("jpeg", 10485760.0, 400.0, 400.0), &[]);
        check_with("200x200", p, &req, &image_facts("png", 1000.0, 200.0, 200.0), &[("image_too_small", path.clone())]);
        check_with("3:1", p, &req, &image_facts("png", 1000.0, 900.0, 300.0), &[("image_aspect_ratio", path.clone())]);
        let webp_url = request(p, &one_image(p, "https://example.com/a.webp"));
        check_with("jpeg measured beats .webp", p, &webp_url, &image_facts("jpeg", 1000.0, 400.0, 400.0), &[]);
        let r = check_with(".webp unmeasured", p, &webp_url, &MediaFacts::default(), &[("image_format", path.clone())]);
        assert_eq!(serde_json::to_value(&r.unverified).unwrap(), json!([path.clone()]));
        let r = check_with("fully measured", p, &req, &image_facts("jpeg", 1000.0, 400.0, 400.0), &[]);
        assert!(r.unverified.is_empty());
        let partial = MediaFacts {
            images: vec![Some(ImageFacts { width: Some(400.0), height: Some(400.0), ..Default::default() })],
            video: None,
        };
        let r = check_with("partly measured", p, &req, &partial, &[]);
        assert_eq!(serde_json::to_value(&r.unverified).unwrap(), json!([path.clone()]));
    }
}

fn video_req(p: Provider, url: &str) -> Value {
    request(p, &params(p, json!({"video_list": [{"video_url": url, "refer_type": "feature"}]})))
}

fn video(f: impl FnOnce(&mut VideoFacts)) -> MediaFacts {
    let mut v = VideoFacts {
        format: Some("mp4".into()),
        bytes: Some(1e6),
        duration: Some(5.0),
        width: Some(1280.0),
        height: Some(720.0),
        fps: Some(30.0),
    };
    f(&mut v);
    MediaFacts { images: vec![], video: Some(v) }
}

#[test]
fn videos() {
    for p in BOTH {
        let path = at(p, "video_list", json!([0, "video_url"]));
        let none = MediaFacts::default();
        for bad in ["file:///v.mp4", "v.mp4", "AAAAIGZ0eXBpc29t", ""] {
            check_with(bad, p, &video_req(p, bad), &none, &[("video_url_invalid", path.clone())]);
        }
        let r = check_with("URL, unmeasured", p, &video_req(p, VID), &none, &[]);
        assert_eq!(serde_json::to_value(&r.unverified).unwrap(), json!([path.clone()]));
        let r = check_with(
            "no extension is unverified, not invalid",
            p,
            &video_req(p, "https://example.com/stream"),
            &none,
            &[],
        );
        assert_eq!(r.unverified.len(), 1);
        check_with(".webm", p, &video_req(p, "https://example.com/v.WEBM"), &none, &[("video_format", path.clone())]);
        let req = video_req(p, VID);
        let r = check_with("all measured", p, &req, &video(|_| {}), &[]);
        assert!(r.unverified.is_empty());
        check_with(
            "webm measured",
            p,
            &req,
            &video(|v| v.format = Some("webm".into())),
            &[("video_format", path.clone())],
        );
        check_with("mov", p, &req, &video(|v| v.format = Some("mov".into())), &[]);
        check_with(
            "200 MB + 1",
            p,
            &req,
            &video(|v| v.bytes = Some(209715201.0)),
            &[("video_too_large", path.clone())],
        );
        check_with("200 MB", p, &req, &video(|v| v.bytes = Some(209715200.0)), &[]);
        check_with("2.99 s", p, &req, &video(|v| v.duration = Some(2.99)), &[("video_duration", path.clone())]);
        check_with("3 s", p, &req, &video(|v| v.duration = Some(3.0)), &[]);
        check_with("719 px", p, &req, &video(|v| v.height = Some(719.0)), &[("video_resolution", path.clone())]);
        check_with("720 px", p, &req, &video(|v| v.height = Some(720.0)), &[]);
        check_with("2160 px", p, &req, &video(|v| v.width = Some(2160.0)), &[]);
        check_with("2161 px", p, &req, &video(|v| v.width = Some(2161.0)), &[("video_resolution", path.clone())]);
        check_with("23.976 fps", p, &req, &video(|v| v.fps = Some(23.976)), &[("video_fps", path.clone())]);
        check_with("24 fps", p, &req, &video(|v| v.fps = Some(24.0)), &[]);
        check_with("60 fps", p, &req, &video(|v| v.fps = Some(60.0)), &[]);
        check_with("60.1 fps", p, &req, &video(|v| v.fps = Some(60.1)), &[("video_fps", path.clone())]);
    }
    // R2: 3–10.05 s for both providers (V3 had no upper bound before), base or feature.
    for p in BOTH {
        for refer in ["base", "feature"] {
            let mut req = video_req(p, VID);
            let list = if p == Provider::O1 { &mut req["video_list"] } else { &mut req["parameters"]["video_list"] };
            list[0]["refer_type"] = json!(refer);
            if refer == "base" {
                // A video edit takes neither (O1: aspect_ratio not supported; duration ignored).
                let root = if p == Provider::O1 { &mut req } else { &mut req["parameters"] };
                let root = root.as_object_mut().unwrap();
                root.remove("aspect_ratio");
                root.remove("duration");
            }
            let path = at(p, "video_list", json!([0, "video_url"]));
            let name = format!("{p} {refer}");
            check_with(&format!("{name} 10.05 s"), p, &req, &video(|v| v.duration = Some(10.05)), &[]);
            check_with(
                &format!("{name} 10.06 s"),
                p,
                &req,
                &video(|v| v.duration = Some(10.06)),
                &[("video_duration", path.clone())],
            );
            check_with(
                &format!("{name} 30 s"),
                p,
                &req,
                &video(|v| v.duration = Some(30.0)),
                &[("video_duration", path)],
            );
        }
    }
}

#[test]
fn callback_and_external_id() {
    check(
        "callback not a URL",
        Provider::O1,
        json!({"callback_url": "example.com/hook"}),
        &[("callback_url_invalid", json!(["callback_url"]))],
    );
    check("callback URL", Provider::O1, json!({"callback_url": "https://example.com/hook"}), &[]);
    // R2: an empty callback_url or external_task_id counts as absent (Kling's own examples
    // send both as ""). Before R2, "" was external_task_id_invalid.
    check("R2 callback \"\" is absent", Provider::O1, json!({"callback_url": ""}), &[]);
    check(
        "R2 callback of spaces is not a URL",
        Provider::O1,
        json!({"callback_url": " "}),
        &[("callback_url_invalid", json!(["callback_url"]))],
    );
    check(
        "R2 Kling's documented example body",
        Provider::O1,
        json!({"model_name": "kling-video-o1", "callback_url": "", "external_task_id": ""}),
        &[],
    );
    for p in BOTH {
        check("R2 external id \"\" is absent", p, params(p, json!({"external_task_id": ""})), &[]);
        for bad in ["  ", "\u{3000}"] {
            check(
                &format!("external id {bad:?}"),
                p,
                params(p, json!({"external_task_id": bad})),
                &[("external_task_id_invalid", field(p, "external_task_id"))],
            );
        }
        check("external id", p, params(p, json!({"external_task_id": "order-1"})), &[]);
    }
}

// ---------------------------------------------------------------- scenarios and all-at-once

#[test]
fn scenarios() {
    let cases: &[(Value, Scenario)] = &[
        (json!({}), Scenario::TextToVideo),
        (json!({"image_list": [{"image_url": IMG}]}), Scenario::Reference),
        (json!({"image_list": [{"image_url": IMG, "type": "first_frame"}]}), Scenario::FirstFrame),
        (json!({"image_list": [{"image_url": IMG, "type": "end_frame"}]}), Scenario::FirstEndFrame),
        (
            json!({"image_list": [{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG, "type": "end_frame"}]}),
            Scenario::FirstEndFrame,
        ),
        (json!({"image_list": [{"image_url": IMG, "type": "bogus"}]}), Scenario::Reference),
        (
            json!({"video_list": [{"video_url": VID, "refer_type": "feature"}], "image_list": [{"image_url": IMG, "type": "first_frame"}]}),
            Scenario::VideoReference,
        ),
        (json!({"video_list": [{"video_url": VID, "refer_type": "base"}]}), Scenario::VideoEdit),
        (json!({"video_list": [{"video_url": VID}]}), Scenario::VideoEdit),
        (json!({"video_list": [{"video_url": VID, "refer_type": "unknown"}]}), Scenario::VideoEdit),
    ];
    for p in BOTH {
        for (patch, want) in cases {
            let r = validate(p, &request(p, &params(p, patch.clone())), &MediaFacts::default()).unwrap();
            assert_eq!(r.scenario, *want, "{p} {patch}");
        }
    }
    let r =
        validate(Provider::O1, &json!({"prompt": "x", "element_list": [{"element_id": 1}]}), &MediaFacts::default())
            .unwrap();
    assert_eq!(r.scenario, Scenario::Reference);
    let r = validate(
        Provider::V3,
        &request(Provider::V3, &json!({"parameters": {"element_list": [{"element_id": 1}]}})),
        &MediaFacts::default(),
    )
    .unwrap();
    assert_eq!(r.scenario, Scenario::TextToVideo, "V3 elements are not part of the model");
}

#[test]
fn all_issues_at_once() {
    let req = json!({
        "model_name": "kling-v9",
        "prompt": 42,
        "mode": "turbo",
        "duration": 5,
        "image_list": [{"image_url": "data:image/png;base64,AAAA", "type": "end_frame"}, {"type": "first_frame"}, {"image_url": IMG}],
        "video_list": [{"video_url": "ftp://x/v.mp4", "refer_type": "feature"}],
        "callback_url": "nope",
        "extra": true
    });
    check_with(
        "many faults",
        Provider::O1,
        &req,
        &MediaFacts::default(),
        &[
            ("invalid_value", json!(["model_name"])),
            ("invalid_type", json!(["prompt"])),
            ("invalid_value", json!(["mode"])),
            ("invalid_type", json!(["duration"])),
            ("base64_data_uri_prefix", json!(["image_list", 0, "image_url"])),
            // What follows the prefix is good Base64 but not an image: a second, different fault.
            ("image_format", json!(["image_list", 0, "image_url"])),
            ("end_frame_with_many_images", json!(["image_list", 0, "type"])),
            ("required", json!(["image_list", 1, "image_url"])),
            ("video_url_invalid", json!(["video_list", 0, "video_url"])),
            ("callback_url_invalid", json!(["callback_url"])),
            ("unknown_field", json!(["extra"])),
        ],
    );
}

#[test]
fn every_code_is_exercised_by_this_table() {
    // Keeps this file honest: a new code in docs/rules.md and report.rs needs a row here.
    let src = include_str!("rules.rs");
    for code in kling_omni::Code::ALL {
        let quoted = format!("(\"{}\"", code.as_str());
        assert!(src.contains(&quoted), "no table row expects {}", code.as_str());
    }
}

#[test]
fn arguments() {
    use kling_omni::{validate_json, ArgumentError};
    assert!(matches!(validate_json(Provider::O1, "{nope", &MediaFacts::default()), Err(ArgumentError::NotJson(_))));
    assert_eq!(validate(Provider::O1, &json!([1]), &MediaFacts::default()), Err(ArgumentError::NotAnObject("array")));
    assert_eq!(
        "o2".parse::<Provider>().unwrap_err().to_string(),
        "unknown provider \"o2\": expected \"o1\", \"v3\" or \"kling\""
    );
    let r = validate_json(Provider::V3, &serde_json::to_string(&base(Provider::V3)).unwrap(), &MediaFacts::default())
        .unwrap();
    assert!(r.valid());
}

// ---------------------------------------------------------------- the `kling` provider (R2)
//
// Kling's own API: the flat body for `kling-video-o1` (absent model: O1's rules unchanged; see
// also properties.rs, which checks O1 and kling-video-o1 give the same report on generated
// requests) and `kling-v3-omni` (O1's fields plus sound and multi-shot, string durations).

const K: Provider = Provider::Kling;

/// A valid `kling-v3-omni` text-to-video request, patched.
fn v3o(patch: Value) -> Value {
    let mut r = json!({"model_name": "kling-v3-omni", "prompt": "a cat", "aspect_ratio": "16:9", "duration": "5"});
    merge(&mut r, &patch);
    r
}

fn kcheck(name: &str, req: Value, expected: &[(&str, Value)]) -> kling_omni::Report {
    check_with(name, K, &req, &MediaFacts::default(), expected)
}

#[test]
fn kling_video_o1_is_o1() {
    // Absent model_name means kling-video-o1.
    check("5/10 in text to video", K, json!({"duration": "7"}), &[("duration_out_of_range", json!(["duration"]))]);
    check("explicit model", K, json!({"model_name": "kling-video-o1"}), &[]);
    let first_end = json!({"aspect_ratio": null, "duration": "7", "image_list": [{"image_url": IMG, "type": "first_frame"}, {"image_url": IMG, "type": "end_frame"}]});
    check("R2 first + end frame 7", K, first_end, &[]);
    check(
        "aspect with a frame",
        K,
        json!({"image_list": [{"image_url": IMG, "type": "first_frame"}]}),
        &[("aspect_ratio_not_supported", json!(["aspect_ratio"]))],
    );
    for name in ["sound", "multi_shot", "shot_type", "multi_prompt"] {
        let mut patch = json!({});
        patch[name] = json!("x");
        check(&format!("o1 has no {name}"), K, patch, &[("unknown_field", json!([name]))]);
    }
    check("duration as a number", K, json!({"duration": 5}), &[("invalid_type", json!(["duration"]))]);
    check("model_name as a number", K, json!({"model_name": 1}), &[("invalid_type", json!(["model_name"]))]);
}

#[test]
fn kling_v3_omni_duration() {
    for ok in ["3", "7", "15"] {
        kcheck(&format!("duration {ok}"), v3o(json!({"duration": ok})), &[]);
    }
    for bad in ["2", "16", "05", "5.0"] {
        kcheck(
            &format!("duration {bad}"),
            v3o(json!({"duration": bad})),
            &[("duration_out_of_range", json!(["duration"]))],
        );
    }
    kcheck("duration as a number", v3o(json!({"duration": 5})), &[("invalid_type", json!(["duration"]))]);
    let feature = |d: &str| v3o(json!({"duration": d, "video_list": [{"video_url": VID, "refer_type": "feature"}]}));
    kcheck("feature video 10", feature("10"), &[]);
    kcheck("feature video 11", feature("11"), &[("duration_out_of_range", json!(["duration"]))]);
    let edit = v3o(json!({"duration": "99", "aspect_ratio": null, "video_list": [{"video_url": VID}]}));
    kcheck("ignored in an edit", edit, &[("field_ignored", json!(["duration"]))]);
    let r = kcheck("16 lists 3-15", v3o(json!({"duration": "16"})), &[("duration_out_of_range", json!(["duration"]))]);
    assert_eq!(r.issues[0].param("min"), Some(&json!(3)));
    assert_eq!(r.issues[0].param("max"), Some(&json!(15)));
}

#[test]
fn kling_v3_omni_sound() {
    kcheck("sound on", v3o(json!({"sound": "on"})), &[]);
    kcheck("sound off", v3o(json!({"sound": "off"})), &[]);
    kcheck("sound ON", v3o(json!({"sound": "ON"})), &[("invalid_value", json!(["sound"]))]);
    for refer in ["feature", "base"] {
        let mut r = v3o(json!({"sound": "on", "video_list": [{"video_url": VID, "refer_type": refer}]}));
        if refer == "base" {
            r.as_object_mut().unwrap().remove("aspect_ratio");
            r.as_object_mut().unwrap().remove("duration");
        }
        kcheck(&format!("sound on with a {refer} video"), r.clone(), &[("sound_with_video", json!(["sound"]))]);
        r["sound"] = json!("off");
        kcheck(&format!("sound off with a {refer} video"), r, &[]);
    }
}

#[test]
fn kling_v3_omni_multi_shot() {
    let s = |i: i64, d: &str| json!({"index": i, "prompt": format!("shot {i}"), "duration": d});
    let multi = |shots: Value| {
        v3o(json!({"prompt": null, "multi_shot": true, "shot_type": "customize", "multi_prompt": shots}))
    };
    kcheck("two shots summing to 5", multi(json!([s(1, "2"), s(2, "3")])), &[]);
    let mut no_total = multi(json!([s(1, "2"), s(2, "3")]));
    no_total.as_object_mut().unwrap().remove("duration");
    kcheck("absent duration sums to the default 5", no_total, &[]);
    let mut seven = multi(json!([s(1, "4"), s(2, "3")]));
    seven["duration"] = json!("7");
    kcheck("the total as a string", seven, &[]);
    kcheck("sum 6 of 5", multi(json!([s(1, "3"), s(2, "3")])), &[("shot_duration_sum", json!(["multi_prompt"]))]);
    kcheck(
        "a shot duration as a number",
        multi(json!([{"index": 1, "prompt": "a", "duration": 5}])),
        &[("invalid_type", json!(["multi_prompt", 0, "duration"]))],
    );
    kcheck(
        "a shot longer than the total",
        multi(json!([s(1, "6")])),
        &[("shot_duration", json!(["multi_prompt", 0, "duration"])), ("shot_duration_sum", json!(["multi_prompt"]))],
    );
    kcheck("shot index 2 first", multi(json!([s(2, "5")])), &[("shot_index", json!(["multi_prompt", 0, "index"]))]);
    let seven_shots = Value::Array((1..=7).map(|i| s(i, "1")).collect());
    let mut r = multi(seven_shots);
    r["duration"] = json!("7");
    kcheck("7 shots", r, &[("multi_prompt_count", json!(["multi_prompt"]))]);
    let six_shots = Value::Array((1..=6).map(|i| s(i, "1")).collect());
    let mut r = multi(six_shots);
    r["duration"] = json!("6");
    kcheck("6 shots", r, &[]);
    let mut r = multi(json!([s(1, "5")]));
    r.as_object_mut().unwrap().remove("shot_type");
    kcheck("no shot_type", r, &[("shot_type_required", json!(["shot_type"]))]);
    kcheck(
        "shot_type intelligence",
        v3o(json!({"prompt": null, "multi_shot": true, "shot_type": "intelligence", "multi_prompt": [s(1, "5")]})),
        &[("invalid_value", json!(["shot_type"]))],
    );
    kcheck("customize with no shots", multi(json!([])), &[("multi_prompt_required", json!(["multi_prompt"]))]);
    kcheck(
        "shot prompt 513",
        multi(json!([{"index": 1, "prompt": "s".repeat(513), "duration": "5"}])),
        &[("text_too_long", json!(["multi_prompt", 0, "prompt"]))],
    );
    kcheck("shot prompt 512", multi(json!([{"index": 1, "prompt": "s".repeat(512), "duration": "5"}])), &[]);
    let mut with_prompt = multi(json!([s(1, "5")]));
    with_prompt["prompt"] = json!("a cat");
    kcheck("prompt ignored under multi_shot", with_prompt, &[("field_ignored", json!(["prompt"]))]);
    kcheck(
        "shots ignored when multi_shot is false",
        v3o(json!({"multi_shot": false, "shot_type": "customize", "multi_prompt": [s(1, "5")]})),
        &[("field_ignored", json!(["shot_type"])), ("field_ignored", json!(["multi_prompt"]))],
    );
    kcheck("multi_shot as a string", v3o(json!({"multi_shot": "true"})), &[("invalid_type", json!(["multi_shot"]))]);
    let edit = v3o(
        json!({"aspect_ratio": null, "duration": null, "prompt": null, "multi_shot": true, "shot_type": "customize", "multi_prompt": [s(1, "2")], "video_list": [{"video_url": VID}]}),
    );
    kcheck("shots are not summed in an edit", edit, &[]);
}

#[test]
fn kling_v3_omni_aspect_ratio_and_frames() {
    kcheck(
        "required in text to video",
        v3o(json!({"aspect_ratio": null})),
        &[("aspect_ratio_required", json!(["aspect_ratio"]))],
    );
    let first = json!([{"image_url": IMG, "type": "first_frame"}]);
    let r = kcheck(
        "ignored with a frame",
        v3o(json!({"image_list": first})),
        &[("field_ignored", json!(["aspect_ratio"]))],
    );
    assert_eq!(r.issues[0].param("reason"), Some(&json!("aspect_ratio_from_frame")));
    kcheck("a frame without it", v3o(json!({"image_list": first, "aspect_ratio": null})), &[]);
    kcheck(
        "a bad value with a frame is only ignored, type checked",
        v3o(json!({"image_list": first, "aspect_ratio": 5})),
        &[("field_ignored", json!(["aspect_ratio"])), ("invalid_type", json!(["aspect_ratio"]))],
    );
    let r = kcheck(
        "ignored in an edit",
        v3o(json!({"duration": null, "video_list": [{"video_url": VID}]})),
        &[("field_ignored", json!(["aspect_ratio"]))],
    );
    assert_eq!(r.issues[0].param("reason"), Some(&json!("aspect_ratio_from_video")));
    // A first frame alone is not limited to 5/10 on kling-v3-omni.
    kcheck("first frame with 7", v3o(json!({"image_list": first, "aspect_ratio": null, "duration": "7"})), &[]);
    let els = |n: usize| Value::Array((1..=n).map(|i| json!({"element_id": i})).collect());
    kcheck(
        "4 elements with a frame",
        v3o(json!({"image_list": first, "aspect_ratio": null, "element_list": els(4)})),
        &[("too_many_elements", json!(["element_list"]))],
    );
    kcheck("7 images and elements", v3o(json!({"image_list": n_images(3), "element_list": els(4)})), &[]);
    kcheck(
        "8 images and elements",
        v3o(json!({"image_list": n_images(4), "element_list": els(4)})),
        &[("too_many_references", json!(["image_list"]))],
    );
    kcheck("<<<element_2>>> of 2", v3o(json!({"prompt": "<<<element_2>>>", "element_list": els(2)})), &[]);
    kcheck(
        "<<<element_3>>> of 2",
        v3o(json!({"prompt": "<<<element_3>>>", "element_list": els(2)})),
        &[("placeholder_out_of_range", json!(["prompt"]))],
    );
}

#[test]
fn kling_v3_omni_fields_and_media() {
    kcheck(
        "negative_prompt is not documented",
        v3o(json!({"negative_prompt": "x"})),
        &[("unknown_field", json!(["negative_prompt"]))],
    );
    kcheck(
        "watermark_enabled is V3's",
        v3o(json!({"watermark_enabled": true})),
        &[("unknown_field", json!(["watermark_enabled"]))],
    );
    kcheck("watermark_info", v3o(json!({"watermark_info": {"enabled": true}})), &[]);
    kcheck("callback", v3o(json!({"callback_url": "nope"})), &[("callback_url_invalid", json!(["callback_url"]))]);
    kcheck("R2 empty strings", v3o(json!({"callback_url": "", "external_task_id": ""})), &[]);
    let req = v3o(json!({"video_list": [{"video_url": VID, "refer_type": "feature"}]}));
    let path = json!(["video_list", 0, "video_url"]);
    check_with("video 10.05 s", K, &req, &video(|v| v.duration = Some(10.05)), &[]);
    check_with("video 10.06 s", K, &req, &video(|v| v.duration = Some(10.06)), &[("video_duration", path.clone())]);
    check_with("video 719 px", K, &req, &video(|v| v.height = Some(719.0)), &[("video_resolution", path)]);
}

#[test]
fn kling_unknown_model() {
    // invalid_value, then the fields and limits both models share; fields only one model
    // has (sound, multi-shot) are neither flagged nor checked.
    let unknown = |patch: Value| {
        let mut r = json!({"model_name": "kling-v2", "prompt": "a cat", "aspect_ratio": "16:9"});
        merge(&mut r, &patch);
        r
    };
    let model = || ("invalid_value", json!(["model_name"]));
    kcheck("only the model", unknown(json!({})), &[model()]);
    kcheck("sound is not checked", unknown(json!({"sound": "loud"})), &[model()]);
    kcheck("multi-shot is not checked", unknown(json!({"multi_shot": "yes", "shot_type": 1})), &[model()]);
    kcheck("duration 12 of the wider domain", unknown(json!({"duration": "12"})), &[model()]);
    kcheck(
        "duration 16",
        unknown(json!({"duration": "16"})),
        &[model(), ("duration_out_of_range", json!(["duration"]))],
    );
    kcheck("duration as a number", unknown(json!({"duration": 5})), &[model(), ("invalid_type", json!(["duration"]))]);
    kcheck(
        "aspect with a frame is not checked",
        unknown(json!({"image_list": [{"image_url": IMG, "type": "first_frame"}]})),
        &[model()],
    );
    kcheck(
        "aspect required in text to video",
        unknown(json!({"aspect_ratio": null})),
        &[model(), ("aspect_ratio_required", json!(["aspect_ratio"]))],
    );
    kcheck("unknown fields still flagged", unknown(json!({"seed": 1})), &[model(), ("unknown_field", json!(["seed"]))]);
    let r = kcheck("the V3 gateway's model on kling is fine", v3o(json!({})), &[]);
    assert!(r.valid());
}

#[test]
fn unknown_field_messages_name_the_provider() {
    for (p, req, en, zh) in [
        (Provider::O1, json!({"seed": 1}), "the O1 gateway (provider \"o1\")", "O1 网关（服务商 \"o1\"）"),
        (Provider::V3, json!({"model": "kling-v3-omni", "seed": 1}), "the V3 gateway (provider \"v3\")", "V3 网关"),
        (Provider::Kling, json!({"seed": 1}), "Kling's own API (provider \"kling\")", "可灵官方 API"),
    ] {
        let r = validate(p, &req, &MediaFacts::default()).unwrap();
        let issue = r.issues.iter().find(|i| i.code.as_str() == "unknown_field").expect("unknown_field");
        let m = kling_omni::messages::render(issue, kling_omni::Locale::En);
        assert!(m.contains(en), "{m}");
        let m = kling_omni::messages::render(issue, kling_omni::Locale::Zh);
        assert!(m.contains(zh), "{m}");
    }
}

/// Decisions where SPEC is silent (docs/rules.md, "Fine points"): a key written twice reads as
/// its last value, as `JSON.parse` reads it; an unknown key written twice is one warning;
/// unknown keys are reported in byte order whatever the written order. As JSON text only:
/// a serde_json value cannot hold a key twice.
#[test]
fn repeated_and_reordered_keys() {
    use kling_omni::validate_json;
    let codes_paths = |p: Provider, text: &str| -> Vec<(String, String)> {
        let r = validate_json(p, text, &MediaFacts::default()).unwrap();
        r.issues.iter().map(|i| (i.code.as_str().to_string(), kling_omni::report::path_to_string(&i.path))).collect()
    };
    let o1 = |rest: &str| format!(r#"{{"prompt":"a cat","aspect_ratio":"16:9",{rest}}}"#);
    for (name, p, text, want) in [
        ("the last duration stands (valid)", Provider::O1, o1(r#""duration":"7","duration":"5""#), vec![]),
        (
            "the last duration stands (invalid)",
            Provider::O1,
            o1(r#""duration":"5","duration":"7""#),
            vec![("duration_out_of_range", "duration")],
        ),
        ("a repeated unknown key is one warning", Provider::O1, o1(r#""seed":1,"seed":2"#), vec![("unknown_field", "seed")]),
        ("null last: absent", Provider::O1, o1(r#""seed":1,"seed":null"#), vec![]),
        (
            "unknown keys in byte order",
            Provider::O1,
            o1(r#""zeta":1,"Alpha":2,"beta":3"#),
            vec![("unknown_field", "Alpha"), ("unknown_field", "beta"), ("unknown_field", "zeta")],
        ),
        (
            "a repeated section: the last one is read",
            Provider::V3,
            r#"{"model":"kling-v3-omni","input":{"prompt":"x"},"parameters":{"duration":99},"parameters":{"aspect_ratio":"16:9"}}"#.to_string(),
            vec![],
        ),
    ] {
        let want: Vec<(String, String)> = want.into_iter().map(|(c, p)| (c.to_string(), p.to_string())).collect();
        assert_eq!(codes_paths(p, &text), want, "{name}");
    }
}
