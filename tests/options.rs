//! allowedOptions and defaults: what a form may offer in each scenario.

use kling_omni::{allowed_options, defaults, validate, FieldUse, MediaFacts, Provider, Scenario};
use serde_json::json;

#[test]
fn o1_choices_by_scenario() {
    let t2v = allowed_options(Provider::O1, &json!({"prompt": "x"})).unwrap();
    assert_eq!(t2v.scenario, Scenario::TextToVideo);
    assert_eq!(t2v.duration, vec![json!("5"), json!("10")]);
    assert_eq!(t2v.aspect_ratio, vec!["16:9", "9:16", "1:1"]);
    assert_eq!(t2v.sound, Vec::<&str>::new());
    assert_eq!(t2v.field("aspect_ratio"), Some(FieldUse::Required));
    assert_eq!(t2v.field("prompt"), Some(FieldUse::Required));

    let reference = allowed_options(Provider::O1, &json!({"image_list": [{"image_url": "u"}]})).unwrap();
    assert_eq!(reference.duration.len(), 8);
    assert_eq!(reference.duration[0], json!("3"));

    let first =
        allowed_options(Provider::O1, &json!({"image_list": [{"image_url": "u", "type": "first_frame"}]})).unwrap();
    assert!(first.aspect_ratio.is_empty());
    assert_eq!(first.field("aspect_ratio"), Some(FieldUse::Unsupported));

    let edit = allowed_options(Provider::O1, &json!({"video_list": [{"video_url": "u"}]})).unwrap();
    assert!(edit.duration.is_empty());
    assert!(edit.frame_types.is_empty());
    assert_eq!(edit.field("duration"), Some(FieldUse::Ignored));

    let three = allowed_options(
        Provider::O1,
        &json!({"image_list": [{"image_url": "u"}, {"image_url": "u"}, {"image_url": "u"}]}),
    )
    .unwrap();
    assert_eq!(three.frame_types, vec!["first_frame"]);
}

#[test]
fn o1_r2_durations_follow_the_frames() {
    // R2: 5/10 only for text-to-video and a first frame alone; 3-10 everywhere else but an edit.
    let ten: Vec<_> = (3..=10).map(|n| json!(n.to_string())).collect();
    let img = |t: Option<&str>| match t {
        Some(t) => json!({"image_url": "https://e.com/a.jpg", "type": t}),
        None => json!({"image_url": "https://e.com/a.jpg"}),
    };
    let cases = [
        ("first frame alone", json!({"image_list": [img(Some("first_frame"))]}), vec![json!("5"), json!("10")]),
        ("first + end frame", json!({"image_list": [img(Some("first_frame")), img(Some("end_frame"))]}), ten.clone()),
        ("first frame + reference", json!({"image_list": [img(Some("first_frame")), img(None)]}), ten.clone()),
        (
            "first frame + element",
            json!({"image_list": [img(Some("first_frame"))], "element_list": [{"element_id": 1}]}),
            ten.clone(),
        ),
        ("end frame alone", json!({"image_list": [img(Some("end_frame"))]}), ten.clone()),
        (
            "first frame + feature video",
            json!({"image_list": [img(Some("first_frame"))], "video_list": [{"video_url": "https://e.com/v.mp4", "refer_type": "feature"}]}),
            ten,
        ),
    ];
    for (name, req, want) in cases {
        let opts = allowed_options(Provider::O1, &req).unwrap();
        assert_eq!(opts.duration, want, "{name}");
        // Every offered duration validates (aspect_ratio is not supported with frames).
        for d in &opts.duration {
            let mut r = req.clone();
            r["prompt"] = json!("x");
            r["duration"] = d.clone();
            let report = validate(Provider::O1, &r, &MediaFacts::default()).unwrap();
            let durations: Vec<_> = report.issues.iter().filter(|i| i.code.as_str().starts_with("duration")).collect();
            assert!(durations.is_empty(), "{name} {d}: {:?}", report.codes());
        }
    }
}

#[test]
fn o1_r2_frames_not_offered_with_more_than_3_elements() {
    let els = |n: usize| serde_json::Value::Array((1..=n).map(|i| json!({"element_id": i})).collect());
    let three = allowed_options(Provider::O1, &json!({"element_list": els(3)})).unwrap();
    assert_eq!(three.frame_types, vec!["first_frame", "end_frame"]);
    let four = allowed_options(Provider::O1, &json!({"element_list": els(4)})).unwrap();
    assert!(four.frame_types.is_empty(), "a frame image would break too_many_elements");
}

#[test]
fn v3_choices_by_scenario() {
    let t2v = allowed_options(Provider::V3, &json!({})).unwrap();
    assert_eq!(t2v.duration.len(), 13);
    assert_eq!(t2v.duration.last(), Some(&json!(15)));
    assert_eq!(t2v.sound, vec!["on", "off"]);
    assert_eq!(t2v.field("parameters.shot_type"), Some(FieldUse::Ignored));
    assert_eq!(t2v.field("input.prompt"), Some(FieldUse::Required));

    let multi =
        allowed_options(Provider::V3, &json!({"parameters": {"multi_shot": true, "shot_type": "customize"}})).unwrap();
    assert_eq!(multi.field("input.prompt"), Some(FieldUse::Ignored));
    assert_eq!(multi.field("parameters.multi_prompt"), Some(FieldUse::Required));

    let edit = allowed_options(Provider::V3, &json!({"parameters": {"video_list": [{"video_url": "u"}]}})).unwrap();
    assert_eq!(edit.field("parameters.aspect_ratio"), Some(FieldUse::Allowed));
    assert_eq!(edit.sound, vec!["off"]);
    assert!(edit.duration.is_empty());

    let serialised = serde_json::to_value(&edit).unwrap();
    assert_eq!(serialised["fields"]["parameters.duration"], json!("ignored"));
    assert_eq!(serialised["scenario"], json!("video_edit"));
}

#[test]
fn every_offered_choice_validates() {
    // What allowedOptions offers must pass validate: the form never offers a rejected value.
    for (p, req) in [
        (Provider::O1, json!({"prompt": "x"})),
        (Provider::O1, json!({"prompt": "x", "image_list": [{"image_url": "https://e.com/a.jpg"}]})),
        (Provider::V3, json!({"model": "kling-v3-omni", "input": {"prompt": "x"}, "parameters": {}})),
        (
            Provider::V3,
            json!({"model": "kling-v3-omni", "input": {"prompt": "x"}, "parameters": {"video_list": [{"video_url": "https://e.com/v.mp4", "refer_type": "feature"}]}}),
        ),
    ] {
        let opts = allowed_options(p, &req).unwrap();
        for d in &opts.duration {
            for ar in &opts.aspect_ratio {
                let mut r = req.clone();
                let target = if p == Provider::O1 { &mut r } else { &mut r["parameters"] };
                target["duration"] = d.clone();
                target["aspect_ratio"] = json!(ar);
                let report = validate(p, &r, &MediaFacts::default()).unwrap();
                assert!(report.valid(), "{r}: {:?}", report.codes());
            }
        }
    }
}

#[test]
fn defaults_need_only_a_prompt() {
    for (p, model) in
        [(Provider::O1, None), (Provider::V3, None), (Provider::Kling, None), (Provider::Kling, Some("kling-v3-omni"))]
    {
        let mut d = defaults(p, model).unwrap();
        let r = validate(p, &d, &MediaFacts::default()).unwrap();
        assert_eq!(r.codes(), vec!["prompt_required"], "{p} {model:?}");
        if p == Provider::V3 {
            d["input"]["prompt"] = json!("a cat");
        } else {
            d["prompt"] = json!("a cat");
        }
        assert!(validate(p, &d, &MediaFacts::default()).unwrap().issues.is_empty(), "{p} {model:?}");
    }
    assert_eq!(defaults(Provider::Kling, None).unwrap()["model_name"], json!("kling-video-o1"));
    assert_eq!(
        defaults(Provider::Kling, Some("kling-v3-omni")).unwrap(),
        json!({"model_name": "kling-v3-omni", "prompt": "", "mode": "pro", "aspect_ratio": "16:9", "duration": "5",
               "sound": "off", "multi_shot": false})
    );
    assert_eq!(defaults(Provider::O1, Some("kling-v3-omni")), None, "a model the provider does not take");
}

#[test]
fn kling_choices_by_model_and_scenario() {
    // kling-video-o1 (the default): O1's choices.
    let o1 = allowed_options(Provider::Kling, &json!({"prompt": "x"})).unwrap();
    assert_eq!(o1.duration, vec![json!("5"), json!("10")]);
    assert!(o1.sound.is_empty());
    assert_eq!(o1.field("sound"), None, "not a field of kling-video-o1");
    let first =
        allowed_options(Provider::Kling, &json!({"image_list": [{"image_url": "u", "type": "first_frame"}]})).unwrap();
    assert_eq!(first.field("aspect_ratio"), Some(FieldUse::Unsupported));

    // kling-v3-omni: string durations to 15, sound, multi-shot, aspect ignored with frames.
    let v3o = |extra: serde_json::Value| {
        let mut r = json!({"model_name": "kling-v3-omni", "prompt": "x"});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        allowed_options(Provider::Kling, &r).unwrap()
    };
    let t2v = v3o(json!({}));
    assert_eq!(t2v.duration, (3..=15).map(|n| json!(n.to_string())).collect::<Vec<_>>());
    assert_eq!(t2v.sound, vec!["on", "off"]);
    assert_eq!(t2v.field("aspect_ratio"), Some(FieldUse::Required));
    assert_eq!(t2v.field("shot_type"), Some(FieldUse::Ignored));
    assert_eq!(t2v.field("model_name"), Some(FieldUse::Allowed));
    let frame = v3o(json!({"image_list": [{"image_url": "u", "type": "first_frame"}]}));
    assert_eq!(frame.field("aspect_ratio"), Some(FieldUse::Ignored));
    assert!(frame.aspect_ratio.is_empty());
    assert_eq!(frame.duration.len(), 13, "no 5/10 rule on kling-v3-omni");
    let feature = v3o(json!({"video_list": [{"video_url": "u", "refer_type": "feature"}]}));
    assert_eq!(feature.duration.last(), Some(&json!("10")));
    assert_eq!(feature.sound, vec!["off"]);
    let multi = v3o(json!({"multi_shot": true, "shot_type": "customize"}));
    assert_eq!(multi.field("prompt"), Some(FieldUse::Ignored));
    assert_eq!(multi.field("multi_prompt"), Some(FieldUse::Required));
    let edit = v3o(json!({"video_list": [{"video_url": "u"}]}));
    assert!(edit.duration.is_empty());
    assert_eq!(edit.field("aspect_ratio"), Some(FieldUse::Ignored));

    // Every offered choice validates.
    for extra in [json!({}), json!({"video_list": [{"video_url": "https://e.com/v.mp4", "refer_type": "feature"}]})] {
        let opts = v3o(extra.clone());
        for d in &opts.duration {
            for ar in &opts.aspect_ratio {
                for s in &opts.sound {
                    let mut r = json!({"model_name": "kling-v3-omni", "prompt": "x", "duration": d, "aspect_ratio": ar, "sound": s});
                    for (k, v) in extra.as_object().unwrap() {
                        r[k] = v.clone();
                    }
                    let report = validate(Provider::Kling, &r, &MediaFacts::default()).unwrap();
                    assert!(report.valid(), "{r}: {:?}", report.codes());
                }
            }
        }
    }
}
