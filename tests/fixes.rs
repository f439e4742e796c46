//! Fixes on issues (issue 17), as a table: for every fixable code (and every reason of
//! `field_ignored`), a request, the issue's exact code and path, the exact fix it carries, and
//! the request `apply_fixes` returns, which no longer has that issue. Then the rows with no
//! fix: where the right value would be a guess.

use kling_omni::{apply_fixes, validate, Code, MediaFacts, PathSeg, Provider, Report};
use serde_json::{json, Value};

mod support;
use support::{base64, png};

const IMG: &str = "https://example.com/a.jpg";
const VID: &str = "https://example.com/v.mp4";

fn path_json(path: &[PathSeg]) -> Value {
    serde_json::to_value(path).unwrap()
}

fn report(p: Provider, r: &Value) -> Report {
    validate(p, r, &MediaFacts::default()).unwrap()
}

/// The fix of the issue with this code at this path (`Value::Null`: the issue has none);
/// panics when there is no such issue.
fn fix_of(p: Provider, r: &Value, code: &str, path: &Value) -> Value {
    let rep = report(p, r);
    let issue = rep
        .issues
        .iter()
        .find(|i| i.code.as_str() == code && &path_json(&i.path) == path)
        .unwrap_or_else(|| panic!("no {code} at {path} in {:?}", rep.codes()));
    serde_json::to_value(&issue.fix).unwrap()
}

struct Row {
    name: &'static str,
    provider: Provider,
    request: Value,
    code: &'static str,
    path: Value,
    fix: Value,
    fixed: Value,
}

fn rows() -> Vec<Row> {
    let good = base64(&png(300, 300), true);
    let wrapped = format!("{}\n{}\r\n{}", &good[..10], &good[10..30], &good[30..]);
    let v3_edit = |params: Value| {
        let mut p = json!({"video_list": [{"video_url": VID}]});
        p.as_object_mut().unwrap().extend(params.as_object().unwrap().clone());
        json!({"model": "kling-v3-omni", "input": {"prompt": "<<<video_1>>> in red"}, "parameters": p})
    };
    let o1_frame = |extra: Value| {
        let mut r = json!({"prompt": "a cat", "image_list": [{"image_url": IMG, "type": "first_frame"}]});
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        r
    };
    vec![
        Row {
            name: "data: prefix: the Base64 after the comma",
            provider: Provider::O1,
            request: json!({"prompt": "a cat", "aspect_ratio": "16:9",
                "image_list": [{"image_url": format!("data:image/png;base64,{good}")}]}),
            code: "base64_data_uri_prefix",
            path: json!(["image_list", 0, "image_url"]),
            fix: json!({"op": "replace", "path": ["image_list", 0, "image_url"], "value": good}),
            fixed: json!({"prompt": "a cat", "aspect_ratio": "16:9", "image_list": [{"image_url": good}]}),
        },
        Row {
            name: "DATA: prefix and line breaks: one edit",
            provider: Provider::V3,
            request: json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"},
                "parameters": {"aspect_ratio": "1:1", "image_list": [{"image_url": format!("DATA:image/png;base64,{wrapped}")}]}}),
            code: "base64_data_uri_prefix",
            path: json!(["parameters", "image_list", 0, "image_url"]),
            fix: json!({"op": "replace", "path": ["parameters", "image_list", 0, "image_url"], "value": good}),
            fixed: json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"},
                "parameters": {"aspect_ratio": "1:1", "image_list": [{"image_url": good}]}}),
        },
        Row {
            name: "line breaks in Base64: the same without them",
            provider: Provider::Kling,
            request: json!({"prompt": "a cat", "aspect_ratio": "16:9", "image_list": [{"image_url": wrapped}]}),
            code: "image_url_invalid",
            path: json!(["image_list", 0, "image_url"]),
            fix: json!({"op": "replace", "path": ["image_list", 0, "image_url"], "value": good}),
            fixed: json!({"prompt": "a cat", "aspect_ratio": "16:9", "image_list": [{"image_url": good}]}),
        },
        Row {
            name: "O1 duration as a number: the same as a string",
            provider: Provider::O1,
            request: json!({"prompt": "a cat", "aspect_ratio": "16:9", "duration": 5}),
            code: "invalid_type",
            path: json!(["duration"]),
            fix: json!({"op": "replace", "path": ["duration"], "value": "5"}),
            fixed: json!({"prompt": "a cat", "aspect_ratio": "16:9", "duration": "5"}),
        },
        Row {
            name: "O1 duration 7.0 (JavaScript's 7): \"7\", the user's value even where it is then out of range",
            provider: Provider::O1,
            request: json!({"prompt": "a cat", "aspect_ratio": "16:9", "duration": 7.0}),
            code: "invalid_type",
            path: json!(["duration"]),
            fix: json!({"op": "replace", "path": ["duration"], "value": "7"}),
            fixed: json!({"prompt": "a cat", "aspect_ratio": "16:9", "duration": "7"}),
        },
        Row {
            name: "kling-v3-omni duration as a number",
            provider: Provider::Kling,
            request: json!({"model_name": "kling-v3-omni", "prompt": "a cat", "aspect_ratio": "16:9", "duration": 12}),
            code: "invalid_type",
            path: json!(["duration"]),
            fix: json!({"op": "replace", "path": ["duration"], "value": "12"}),
            fixed: json!({"model_name": "kling-v3-omni", "prompt": "a cat", "aspect_ratio": "16:9", "duration": "12"}),
        },
        Row {
            name: "V3 duration as a string of digits: the number",
            provider: Provider::V3,
            request: json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"},
                "parameters": {"aspect_ratio": "16:9", "duration": "10"}}),
            code: "invalid_type",
            path: json!(["parameters", "duration"]),
            fix: json!({"op": "replace", "path": ["parameters", "duration"], "value": 10}),
            fixed: json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"},
                "parameters": {"aspect_ratio": "16:9", "duration": 10}}),
        },
        Row {
            name: "a shot's duration as a number",
            provider: Provider::V3,
            request: json!({"model": "kling-v3-omni", "input": {}, "parameters": {"aspect_ratio": "16:9",
                "multi_shot": true, "shot_type": "customize",
                "multi_prompt": [{"index": 1, "prompt": "a", "duration": 5}]}}),
            code: "invalid_type",
            path: json!(["parameters", "multi_prompt", 0, "duration"]),
            fix: json!({"op": "replace", "path": ["parameters", "multi_prompt", 0, "duration"], "value": "5"}),
            fixed: json!({"model": "kling-v3-omni", "input": {}, "parameters": {"aspect_ratio": "16:9",
                "multi_shot": true, "shot_type": "customize",
                "multi_prompt": [{"index": 1, "prompt": "a", "duration": "5"}]}}),
        },
        Row {
            name: "a shot's index as a string of digits",
            provider: Provider::Kling,
            request: json!({"model_name": "kling-v3-omni", "aspect_ratio": "16:9", "multi_shot": true,
                "shot_type": "customize", "multi_prompt": [{"index": "1", "prompt": "a", "duration": "5"}]}),
            code: "invalid_type",
            path: json!(["multi_prompt", 0, "index"]),
            fix: json!({"op": "replace", "path": ["multi_prompt", 0, "index"], "value": 1}),
            fixed: json!({"model_name": "kling-v3-omni", "aspect_ratio": "16:9", "multi_shot": true,
                "shot_type": "customize", "multi_prompt": [{"index": 1, "prompt": "a", "duration": "5"}]}),
        },
        Row {
            name: "O1 aspect_ratio with a frame: removed",
            provider: Provider::O1,
            request: o1_frame(json!({"aspect_ratio": "16:9"})),
            code: "aspect_ratio_not_supported",
            path: json!(["aspect_ratio"]),
            fix: json!({"op": "remove", "path": ["aspect_ratio"]}),
            fixed: o1_frame(json!({})),
        },
        Row {
            name: "O1 aspect_ratio in a video edit, whatever its value: removed",
            provider: Provider::Kling,
            request: json!({"prompt": "<<<video_1>>> in red", "aspect_ratio": "4:3", "video_list": [{"video_url": VID}]}),
            code: "aspect_ratio_not_supported",
            path: json!(["aspect_ratio"]),
            fix: json!({"op": "remove", "path": ["aspect_ratio"]}),
            fixed: json!({"prompt": "<<<video_1>>> in red", "video_list": [{"video_url": VID}]}),
        },
        Row {
            name: "field_ignored (aspect_ratio_from_frame): removed",
            provider: Provider::Kling,
            request: json!({"model_name": "kling-v3-omni", "prompt": "a cat", "aspect_ratio": "9:16",
                "image_list": [{"image_url": IMG, "type": "first_frame"}]}),
            code: "field_ignored",
            path: json!(["aspect_ratio"]),
            fix: json!({"op": "remove", "path": ["aspect_ratio"]}),
            fixed: json!({"model_name": "kling-v3-omni", "prompt": "a cat",
                "image_list": [{"image_url": IMG, "type": "first_frame"}]}),
        },
        Row {
            name: "field_ignored (aspect_ratio_from_video): removed",
            provider: Provider::Kling,
            request: json!({"model_name": "kling-v3-omni", "prompt": "<<<video_1>>> in red", "aspect_ratio": "9:16",
                "video_list": [{"video_url": VID}]}),
            code: "field_ignored",
            path: json!(["aspect_ratio"]),
            fix: json!({"op": "remove", "path": ["aspect_ratio"]}),
            fixed: json!({"model_name": "kling-v3-omni", "prompt": "<<<video_1>>> in red",
                "video_list": [{"video_url": VID}]}),
        },
        Row {
            name: "field_ignored (video_edit): duration removed",
            provider: Provider::V3,
            request: v3_edit(json!({"duration": 99})),
            code: "field_ignored",
            path: json!(["parameters", "duration"]),
            fix: json!({"op": "remove", "path": ["parameters", "duration"]}),
            fixed: v3_edit(json!({})),
        },
        Row {
            name: "field_ignored (video_edit) of the wrong type: the removal wins over the retype",
            provider: Provider::O1,
            request: json!({"prompt": "<<<video_1>>> in red", "duration": 5, "video_list": [{"video_url": VID}]}),
            code: "field_ignored",
            path: json!(["duration"]),
            fix: json!({"op": "remove", "path": ["duration"]}),
            fixed: json!({"prompt": "<<<video_1>>> in red", "video_list": [{"video_url": VID}]}),
        },
        Row {
            name: "field_ignored (multi_shot_on): the prompt removed",
            provider: Provider::V3,
            request: json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"}, "parameters": {"aspect_ratio": "16:9",
                "multi_shot": true, "shot_type": "customize",
                "multi_prompt": [{"index": 1, "prompt": "a", "duration": "5"}]}}),
            code: "field_ignored",
            path: json!(["input", "prompt"]),
            fix: json!({"op": "remove", "path": ["input", "prompt"]}),
            fixed: json!({"model": "kling-v3-omni", "input": {}, "parameters": {"aspect_ratio": "16:9",
                "multi_shot": true, "shot_type": "customize",
                "multi_prompt": [{"index": 1, "prompt": "a", "duration": "5"}]}}),
        },
        Row {
            name: "field_ignored (multi_shot_off): shot_type and multi_prompt removed",
            provider: Provider::Kling,
            request: json!({"model_name": "kling-v3-omni", "prompt": "a cat", "aspect_ratio": "16:9",
                "shot_type": "customize", "multi_prompt": [{"index": 1, "prompt": "a", "duration": "5"}]}),
            code: "field_ignored",
            path: json!(["multi_prompt"]),
            fix: json!({"op": "remove", "path": ["multi_prompt"]}),
            fixed: json!({"model_name": "kling-v3-omni", "prompt": "a cat", "aspect_ratio": "16:9"}),
        },
        Row {
            name: "external_task_id of spaces: removed",
            provider: Provider::O1,
            request: json!({"prompt": "a cat", "aspect_ratio": "16:9", "external_task_id": " \u{3000}\t"}),
            code: "external_task_id_invalid",
            path: json!(["external_task_id"]),
            fix: json!({"op": "remove", "path": ["external_task_id"]}),
            fixed: json!({"prompt": "a cat", "aspect_ratio": "16:9"}),
        },
        Row {
            name: "V3 external_task_id of spaces: removed",
            provider: Provider::V3,
            request: json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"},
                "parameters": {"aspect_ratio": "16:9", "external_task_id": "  "}}),
            code: "external_task_id_invalid",
            path: json!(["parameters", "external_task_id"]),
            fix: json!({"op": "remove", "path": ["parameters", "external_task_id"]}),
            fixed: json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"},
                "parameters": {"aspect_ratio": "16:9"}}),
        },
    ]
}

#[test]
fn every_fixable_issue_carries_its_fix_and_apply_fixes_removes_it() {
    for row in rows() {
        let name = row.name;
        assert_eq!(fix_of(row.provider, &row.request, row.code, &row.path), row.fix, "{name}: the fix");
        let before = report(row.provider, &row.request);
        let (fixed, applied) = apply_fixes(row.provider, &row.request, None).unwrap();
        assert_eq!(fixed, row.fixed, "{name}: the fixed request");
        // Every fix of the report was applied, and the request handed in is untouched.
        let fixable = before.issues.iter().filter(|i| i.fix.is_some()).count();
        assert!(!applied.is_empty() && applied.len() <= fixable, "{name}: {applied:?}");
        let after = report(row.provider, &fixed);
        let code = Code::from_name(row.code).unwrap();
        assert!(
            !after.issues.iter().any(|i| i.code == code && path_json(&i.path) == row.path),
            "{name}: still {} at {} after the fix: {:?}",
            row.code,
            row.path,
            after.codes()
        );
        for a in &applied {
            assert!(!after.has(a.code, &a.fix.path), "{name}: {} at {:?} survived its fix", a.code, a.fix.path);
        }
        assert_eq!(report(row.provider, &row.request), before, "{name}: the request was changed");
    }
}

#[test]
fn every_fixable_code_and_ignored_reason_has_a_row() {
    let rows = rows();
    let covered: Vec<&str> = rows.iter().map(|r| r.code).collect();
    for code in [
        "base64_data_uri_prefix",
        "image_url_invalid",
        "invalid_type",
        "aspect_ratio_not_supported",
        "field_ignored",
        "external_task_id_invalid",
    ] {
        assert!(covered.contains(&code), "no row for {code}");
    }
    let reasons: Vec<String> = rows
        .iter()
        .filter(|r| r.code == "field_ignored")
        .flat_map(|r| report(r.provider, &r.request).issues)
        .filter(|i| i.code == Code::FieldIgnored)
        .map(|i| i.param("reason").unwrap().as_str().unwrap().to_string())
        .collect();
    for reason in
        ["aspect_ratio_from_frame", "aspect_ratio_from_video", "video_edit", "multi_shot_on", "multi_shot_off"]
    {
        assert!(reasons.iter().any(|r| r == reason), "no field_ignored row for {reason}");
    }
}

#[test]
fn no_fix_where_the_right_value_is_a_guess() {
    let o1 = |extra: Value| {
        let mut r = json!({"prompt": "a cat", "aspect_ratio": "16:9"});
        r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        r
    };
    let v3 = |d: Value| json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"}, "parameters": {"aspect_ratio": "16:9", "duration": d}});
    let rows: Vec<(&str, Provider, Value, &str, Value)> = vec![
        (
            "unknown field (maybe a typo)",
            Provider::O1,
            o1(json!({"durations": "5"})),
            "unknown_field",
            json!(["durations"]),
        ),
        ("O1 duration 5.5", Provider::O1, o1(json!({"duration": 5.5})), "invalid_type", json!(["duration"])),
        (
            "O1 duration 2^53 + 2",
            Provider::O1,
            o1(json!({"duration": 9007199254740994u64})),
            "invalid_type",
            json!(["duration"]),
        ),
        ("O1 duration true", Provider::O1, o1(json!({"duration": true})), "invalid_type", json!(["duration"])),
        (
            "O1 duration \"7\" out of range",
            Provider::O1,
            o1(json!({"duration": "7"})),
            "duration_out_of_range",
            json!(["duration"]),
        ),
        ("V3 duration \"05\"", Provider::V3, v3(json!("05")), "invalid_type", json!(["parameters", "duration"])),
        ("V3 duration \"5.0\"", Provider::V3, v3(json!("5.0")), "invalid_type", json!(["parameters", "duration"])),
        ("V3 duration \" 5\"", Provider::V3, v3(json!(" 5")), "invalid_type", json!(["parameters", "duration"])),
        ("V3 duration \"five\"", Provider::V3, v3(json!("five")), "invalid_type", json!(["parameters", "duration"])),
        (
            "V3 duration huge",
            Provider::V3,
            v3(json!("99999999999999999999")),
            "invalid_type",
            json!(["parameters", "duration"]),
        ),
        (
            "invalid aspect_ratio",
            Provider::O1,
            o1(json!({"aspect_ratio": "4:3"})),
            "invalid_value",
            json!(["aspect_ratio"]),
        ),
        (
            "missing aspect_ratio",
            Provider::O1,
            json!({"prompt": "a cat"}),
            "aspect_ratio_required",
            json!(["aspect_ratio"]),
        ),
        ("mode PRO (maybe pro, maybe not)", Provider::O1, o1(json!({"mode": "PRO"})), "invalid_value", json!(["mode"])),
        (
            "data: prefix on what is not Base64",
            Provider::O1,
            o1(json!({"image_list": [{"image_url": "data:image/png;base64,!!!"}]})),
            "base64_data_uri_prefix",
            json!(["image_list", 0, "image_url"]),
        ),
        (
            "URL-safe Base64",
            Provider::O1,
            o1(json!({"image_list": [{"image_url": "ab-_ab-_"}]})),
            "image_url_invalid",
            json!(["image_list", 0, "image_url"]),
        ),
        (
            "callback_url not http",
            Provider::O1,
            o1(json!({"callback_url": "ftp://x"})),
            "callback_url_invalid",
            json!(["callback_url"]),
        ),
    ];
    for (name, p, r, code, path) in rows {
        assert_eq!(fix_of(p, &r, code, &path), Value::Null, "{name}");
        let (fixed, applied) = apply_fixes(p, &r, None).unwrap();
        assert!(applied.is_empty(), "{name}: {applied:?}");
        assert_eq!(fixed, r, "{name}");
    }
}

#[test]
fn only_the_issues_asked_for_and_only_as_validated_now() {
    let r = json!({"prompt": "a cat", "duration": 5, "external_task_id": "  ",
        "image_list": [{"image_url": IMG, "type": "first_frame"}], "aspect_ratio": "16:9"});
    let (_, all) = apply_fixes(Provider::O1, &r, None).unwrap();
    let codes: Vec<&str> = all.iter().map(|a| a.code.as_str()).collect();
    assert_eq!(codes, ["external_task_id_invalid", "aspect_ratio_not_supported", "invalid_type"]);
    // One issue by code and path.
    let only = [(Code::InvalidType, vec![PathSeg::from("duration")])];
    let (fixed, applied) = apply_fixes(Provider::O1, &r, Some(&only)).unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(fixed["duration"], json!("5"));
    assert_eq!(fixed["external_task_id"], json!("  "));
    assert_eq!(fixed["aspect_ratio"], json!("16:9"));
    // A code at a path the request does not have there (a stale report): nothing.
    let stale =
        [(Code::InvalidType, vec![PathSeg::from("mode")]), (Code::UnknownField, vec![PathSeg::from("duration")])];
    let (fixed, applied) = apply_fixes(Provider::O1, &r, Some(&stale)).unwrap();
    assert!(applied.is_empty());
    assert_eq!(fixed, r);
    // Not an object: the argument error validate gives.
    assert!(apply_fixes(Provider::O1, &json!([1]), None).is_err());
}
