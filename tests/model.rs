//! Every example body and answer of the two seeds parses into the typed model and
//! serialises back to equal JSON; and every example request is valid.

use kling_omni::model::{o1, v3};
use kling_omni::{validate, MediaFacts, Provider};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

fn round_trip<T: DeserializeOwned + Serialize>(v: Value) -> T {
    let typed: T = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("does not parse: {e}\n{v}"));
    assert_eq!(serde_json::to_value(&typed).unwrap(), v);
    typed
}

fn o1_examples() -> Vec<Value> {
    vec![
        // 场景一：图片参考生成
        json!({
            "model_name": "kling-video-o1",
            "prompt": "<<<image_1>>>中的场景转为电影镜头",
            "image_list": [{"image_url": "https://example.com/ref.jpg"}],
            "mode": "pro",
            "aspect_ratio": "16:9",
            "duration": "7"
        }),
        // 场景二：视频编辑（refer_type=base）
        json!({
            "model_name": "kling-video-o1",
            "prompt": "给<<<video_1>>>中的人物戴上皇冠",
            "video_list": [{"video_url": "https://example.com/base.mp4", "refer_type": "base", "keep_original_sound": "yes"}],
            "mode": "pro"
        }),
    ]
}

fn v3_examples() -> Vec<Value> {
    vec![
        json!({
            "model": "kling-v3-omni",
            "input": {"prompt": "A beautiful sunset over the ocean with waves gently crashing"},
            "parameters": {"mode": "pro", "aspect_ratio": "16:9", "duration": 5, "sound": "on"}
        }),
        json!({
            "model": "kling-v3-omni",
            "input": {"prompt": "A girl walking through a garden"},
            "parameters": {
                "mode": "pro", "aspect_ratio": "16:9", "duration": 5,
                "image_list": [
                    {"image_url": "https://example.com/first_frame.jpg", "type": "first_frame"},
                    {"image_url": "https://example.com/last_frame.jpg", "type": "end_frame"}
                ]
            }
        }),
        json!({
            "model": "kling-v3-omni",
            "input": {"prompt": "Add a cinematic color grading effect"},
            "parameters": {
                "mode": "pro",
                "video_list": [{"video_url": "https://example.com/input.mp4", "refer_type": "base", "keep_original_sound": "yes"}]
            }
        }),
        json!({
            "model": "kling-v3-omni",
            "parameters": {
                "mode": "pro", "aspect_ratio": "16:9", "duration": 5, "multi_shot": true, "shot_type": "customize",
                "multi_prompt": [
                    {"index": 1, "prompt": "<<<image_1>>>A person sitting on a park bench, sunlight filtering through trees", "duration": "2"},
                    {"index": 2, "prompt": "A car speeding down a rainy street, headlights glowing", "duration": "3"}
                ],
                "image_list": [{"image_url": "https://example.com/person.jpg"}],
                "sound": "on"
            }
        }),
    ]
}

#[test]
fn o1_example_bodies_round_trip_and_are_valid() {
    for body in o1_examples() {
        round_trip::<o1::O1Request>(body.clone());
        let r = validate(Provider::O1, &body, &MediaFacts::default()).unwrap();
        assert!(r.valid(), "{body}: {:?}", r.codes());
        assert!(r.warnings().next().is_none(), "{body}: {:?}", r.codes());
    }
}

#[test]
fn v3_example_bodies_round_trip_and_are_valid() {
    for body in v3_examples() {
        round_trip::<v3::V3Request>(body.clone());
        let r = validate(Provider::V3, &body, &MediaFacts::default()).unwrap();
        assert!(r.valid(), "{body}: {:?}", r.codes());
        assert!(r.warnings().next().is_none(), "{body}: {:?}", r.codes());
    }
}

#[test]
fn o1_answers_round_trip() {
    let created: o1::CreateResponse = round_trip(json!({
        "code": 0, "message": "success", "request_id": "req_...",
        "data": {"task_id": "task_01...", "task_status": "submitted", "created_at": 1735558800000i64, "updated_at": 1735558800000i64}
    }));
    assert_eq!(created.data.unwrap().task_id, "task_01...");
    // Kling's official query answer, as the gateway mirrors it (docs/rules.md, "The client").
    let done: o1::QueryResponse = round_trip(json!({
        "code": 0, "message": "SUCCEED", "request_id": "req_2",
        "data": {
            "task_id": "task_01", "task_status": "succeed", "task_status_msg": "",
            "platform_id": "video_01J0000000000000000000000",
            "task_info": {"external_task_id": "order-1"},
            "task_result": {"videos": [{"id": "v1", "url": "https://cdn.example.com/v1.mp4", "watermark_url": "https://cdn.example.com/v1-wm.mp4", "duration": "5.1"}]},
            "created_at": 1735558800000i64, "updated_at": 1735558860000i64
        }
    }));
    assert_eq!(done.data.unwrap().task_result.unwrap().videos[0].url, "https://cdn.example.com/v1.mp4");
    let failed: o1::QueryResponse = round_trip(json!({
        "code": 0, "message": "SUCCEED", "request_id": "req_3",
        "data": {"task_id": "task_02", "task_status": "failed", "task_status_msg": "Failure to pass the risk control system", "created_at": 1, "updated_at": 2}
    }));
    assert_eq!(failed.data.unwrap().task_status, "failed");
    let error: o1::ErrorResponse =
        round_trip(json!({"code": 1201, "message": "invalid parameters", "request_id": "req_4"}));
    assert_eq!(error.code, 1201);
    assert!(error.data.is_none());
}

#[test]
fn v3_answers_round_trip() {
    let submitted: v3::SubmitResponse =
        round_trip(json!({"output": {"task_id": "task_id"}, "request_id": "request_id"}));
    assert_eq!(submitted.output.task_id, "task_id");
    let ok: v3::StatusResponse = round_trip(json!({
        "output": {"task_id": "task_id", "task_status": "Success", "urls": ["https://xxxxx/xxxx.mp4"], "submit_time": 1756959000, "finish_time": 1756959050},
        "usage": {"duration": 5},
        "request_id": ""
    }));
    assert_eq!(ok.output.urls.unwrap(), vec!["https://xxxxx/xxxx.mp4"]);
    let failed: v3::StatusResponse = round_trip(json!({
        "output": {"task_id": "task_id", "task_status": "Failure", "submit_time": 1756959000, "finish_time": 1756959019, "error_message": "error_message"},
        "usage": {"duration": 5},
        "request_id": ""
    }));
    assert_eq!(failed.output.error_message.as_deref(), Some("error_message"));
}

#[test]
fn typed_requests_serialise_to_wire_names() {
    let r = o1::O1Request {
        prompt: "hi".into(),
        duration: Some("5".into()),
        image_list: Some(vec![o1::ImageItem {
            image_url: "https://x/a.png".into(),
            frame_type: Some(o1::FrameType::FirstFrame),
        }]),
        watermark_info: Some(o1::WatermarkInfo { enabled: Some(true) }),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        json!({"prompt": "hi", "duration": "5", "image_list": [{"image_url": "https://x/a.png", "type": "first_frame"}], "watermark_info": {"enabled": true}})
    );
}
