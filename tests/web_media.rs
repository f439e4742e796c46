//! Media inspection in Chromium: File, Blob, Base64 and URL sources, the URLs served by
//! `tests/fixture-server.mjs` on 127.0.0.1 with and without CORS headers. Run through
//! `tests/with-servers.mjs` (`make test-browser`), which sets `KLING_FIXTURES_URL` and
//! `KLING_FIXTURES_NOCORS_URL` (both serve `tests/fixtures/`).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use kling_omni::{inspect_image_js, inspect_request_js, inspect_video_js, validate_with_media_js};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/web_fixtures.rs"]
mod web_fixtures;
use web_fixtures::{call, get, nocors, url as cors};

async fn wait(p: JsValue) -> JsValue {
    JsFuture::from(p.dyn_into::<Promise>().unwrap()).await.unwrap()
}

/// The JS value as JSON, to compare whole results (numbers as f64, as in JavaScript).
fn json(v: &JsValue) -> Value {
    norm(serde_json::from_str(&js_sys::JSON::stringify(v).unwrap().as_string().unwrap()).unwrap())
}

/// Every number as an f64, so `640` and `640.0` compare equal.
fn norm(v: Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64().unwrap()),
        Value::Array(a) => Value::Array(a.into_iter().map(norm).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, norm(v))).collect()),
        v => v,
    }
}

/// A fixture fetched (with CORS) into a Blob.
async fn blob(name: &str) -> JsValue {
    let g = js_sys::global();
    let resp = wait(call(&g, "fetch", &[&JsValue::from_str(&cors(name))])).await;
    assert_eq!(get(&resp, "status").as_f64(), Some(200.0), "{name}");
    wait(call(&resp, "blob", &[])).await
}

/// A fixture as a File with a misleading name and type: the bytes must decide.
async fn file(name: &str) -> JsValue {
    let b = blob(name).await;
    let opts = Object::new();
    Reflect::set(&opts, &"type".into(), &"text/plain".into()).unwrap();
    let ctor: Function = get(&js_sys::global(), "File").dyn_into().unwrap();
    Reflect::construct(&ctor, &Array::of3(&Array::of1(&b), &"renamed.txt".into(), &opts)).unwrap()
}

async fn bytes(name: &str) -> Vec<u8> {
    let buf = wait(call(&blob(name).await, "arrayBuffer", &[])).await;
    Uint8Array::new(&buf).to_vec()
}

fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

async fn image(src: &JsValue) -> Value {
    json(&JsFuture::from(inspect_image_js(src.clone())).await.unwrap())
}

async fn video(src: &JsValue) -> Value {
    json(&JsFuture::from(inspect_video_js(src.clone())).await.unwrap())
}

#[wasm_bindgen_test]
async fn image_file_with_exif_orientation() {
    let f = file("photo-exif6.jpg").await;
    let size = get(&f, "size").as_f64().unwrap();
    let info = image(&f).await;
    assert_eq!(
        info,
        norm(json!({"format": "jpeg", "bytes": size, "width": 480, "height": 640, "storedWidth": 640,
               "storedHeight": 480, "orientation": 6, "bytesRead": 16384.0, "measuredBy": "header", "unknown": []}))
    );
}

#[wasm_bindgen_test]
async fn image_blobs_of_every_format() {
    for (name, format, w, h) in [
        ("photo.jpg", "jpeg", 640, 480),
        ("photo-progressive.jpg", "jpeg", 640, 480),
        ("image.png", "png", 640, 480),
        ("image.gif", "gif", 320, 240),
        ("image.webp", "webp", 400, 300),
    ] {
        let b = blob(name).await;
        let size = get(&b, "size").as_f64().unwrap();
        let info = image(&b).await;
        assert_eq!(info["format"], format, "{name}");
        assert_eq!((info["width"].as_f64(), info["height"].as_f64()), (Some(w as f64), Some(h as f64)), "{name}");
        assert_eq!(info["bytes"].as_f64(), Some(size), "{name}");
        assert_eq!(info["bytesRead"].as_f64(), Some(size.min(16384.0)), "{name}");
        assert_eq!(info["measuredBy"], "header", "{name}");
    }
}

#[wasm_bindgen_test]
async fn hostile_png_is_an_error_not_a_size() {
    let info = image(&blob("hostile-huge.png").await).await;
    assert_eq!(info["format"], "png");
    assert_eq!(info["bytes"], 45.0);
    assert_eq!(info["unknown"], json!(["width", "height"]));
    assert_eq!(info["measuredBy"], "none");
    assert_eq!(info["error"], "malformed header: width or height over 1 000 000");
}

#[wasm_bindgen_test]
async fn image_base64_decodes_only_the_header() {
    let data = bytes("photo.jpg").await;
    let info = image(&JsValue::from_str(&base64(&data))).await;
    assert_eq!(info["format"], "jpeg");
    assert_eq!((info["width"].as_f64(), info["height"].as_f64()), (Some(640.0), Some(480.0)));
    assert_eq!(info["bytes"].as_f64(), Some(data.len() as f64));
    assert_eq!(info["bytesRead"].as_f64(), Some(16384.0));
    // A PNG (smaller than the first read) is decoded whole, and not more.
    let png = bytes("square-200.png").await;
    let info = image(&JsValue::from_str(&base64(&png))).await;
    assert_eq!((info["width"].as_f64(), info["bytesRead"].as_f64()), (Some(200.0), Some(png.len() as f64)));
}

#[wasm_bindgen_test]
async fn big_jpeg_url_reads_at_most_64_kb() {
    let info = image(&JsValue::from_str(&cors("big.jpg"))).await;
    assert_eq!(info["format"], "jpeg");
    assert_eq!((info["width"].as_f64(), info["height"].as_f64()), (Some(4032.0), Some(3024.0)));
    assert_eq!(info["bytes"].as_f64(), Some(11_010_048.0));
    let read = info["bytesRead"].as_f64().unwrap();
    assert!(read <= 65536.0, "{info}");
    console_log!("big.jpg over HTTP Range: {read} bytes read of 11010048");
}

#[wasm_bindgen_test]
async fn image_url_without_cors_is_measured_by_an_element() {
    let info = image(&JsValue::from_str(&nocors("photo.jpg"))).await;
    assert_eq!(
        info,
        norm(
            json!({"width": 640, "height": 480, "bytesRead": 0, "measuredBy": "element", "unknown": ["format", "bytes"]})
        )
    );
}

#[wasm_bindgen_test]
async fn big_mp4_url_reads_under_one_percent() {
    let info = video(&JsValue::from_str(&cors("big.mp4"))).await;
    assert_eq!(info["format"], "mp4");
    assert_eq!(info["bytes"].as_f64(), Some(209_715_200.0));
    assert_eq!((info["width"].as_f64(), info["height"].as_f64()), (Some(1280.0), Some(720.0)));
    assert_eq!((info["fps"].as_f64(), info["duration"].as_f64()), (Some(30.0), Some(3.0)));
    assert_eq!(info["measuredBy"], "header");
    let read = info["bytesRead"].as_f64().unwrap();
    assert!(read <= 209_715_200.0 / 100.0, "read {read}");
    assert!(read < 16384.0, "read {read}");
    console_log!("big.mp4 over HTTP Range: {read} bytes read of 209715200");
}

#[wasm_bindgen_test]
async fn phone_video_file_is_rotated() {
    let f = file("phone.mov").await;
    let info = video(&f).await;
    assert_eq!(info["format"], "mov");
    assert_eq!((info["width"].as_f64(), info["height"].as_f64()), (Some(1080.0), Some(1920.0)));
    assert_eq!((info["storedWidth"].as_f64(), info["storedHeight"].as_f64()), (Some(1920.0), Some(1080.0)));
    assert_eq!(info["rotation"], 90.0);
    assert_eq!(info["hasAudio"], true);
    assert_eq!(info["codec"], "avc1");
    assert_eq!(info["fps"].as_f64(), Some(30.0));
    assert_eq!(info["variableFps"], false);
    assert_eq!(info["unknown"], json!([]));
}

#[wasm_bindgen_test]
async fn variable_rate_and_2997_blobs() {
    let info = video(&blob("vfr.mp4").await).await;
    assert_eq!(
        (info["fpsMin"].as_f64(), info["fpsMax"].as_f64(), info["fps"].as_f64()),
        (Some(30.0), Some(60.0), Some(45.0))
    );
    assert_eq!(info["variableFps"], true);
    let info = video(&blob("v2997.mov").await).await;
    assert!((info["fps"].as_f64().unwrap() - 29.97).abs() < 0.001);
    assert!((info["duration"].as_f64().unwrap() - 4.004).abs() < 0.001);
}

#[wasm_bindgen_test]
async fn video_base64() {
    let data = bytes("v24.mp4").await;
    let info = video(&JsValue::from_str(&base64(&data))).await;
    assert_eq!(
        (info["fps"].as_f64(), info["width"].as_f64(), info["format"].as_str()),
        (Some(24.0), Some(1280.0), Some("mp4"))
    );
    assert!(info["bytesRead"].as_f64().unwrap() < data.len() as f64 / 10.0);
}

#[wasm_bindgen_test]
async fn webm_is_named_and_measured_by_the_element() {
    let info = video(&blob("clip.webm").await).await;
    assert_eq!(info["format"], "webm");
    assert_eq!(info["measuredBy"], "element");
    assert_eq!((info["width"].as_f64(), info["height"].as_f64()), (Some(320.0), Some(240.0)));
    assert!((info["duration"].as_f64().unwrap() - 1.0).abs() < 0.1, "{info}");
    assert_eq!(info["unknown"], json!(["fps"]));
}

#[wasm_bindgen_test]
async fn video_url_without_cors_reports_fps_unknown() {
    let info = video(&JsValue::from_str(&nocors("v24.mp4"))).await;
    assert_eq!(info["measuredBy"], "element");
    assert_eq!((info["width"].as_f64(), info["height"].as_f64()), (Some(1280.0), Some(720.0)));
    assert!((info["duration"].as_f64().unwrap() - 3.0).abs() < 0.05);
    assert_eq!(info["unknown"], json!(["format", "bytes", "fps"]));
    assert_eq!(info["bytesRead"].as_f64(), Some(0.0));
}

fn o1_request(png_b64: &str) -> JsValue {
    let req = json!({
        "model_name": "kling-video-o1",
        "prompt": "<<<image_1>>> and <<<image_2>>> in <<<video_1>>>",
        "image_list": [
            {"image_url": cors("photo.jpg")},
            {"image_url": png_b64},
            {"image_url": "https://example.invalid/picked.jpg"}
        ],
        "video_list": [{"video_url": cors("v25.mp4"), "refer_type": "feature"}],
        "duration": "5"
    });
    JsValue::from_str(&req.to_string())
}

async fn files() -> JsValue {
    let files = Object::new();
    // image_list[2] comes from a picked file: a GIF.
    Reflect::set(&files, &"images".into(), &Array::of3(&JsValue::NULL, &JsValue::NULL, &file("image.gif").await))
        .unwrap();
    files.into()
}

#[wasm_bindgen_test]
async fn inspect_request_measures_every_medium() {
    let png = bytes("square-200.png").await;
    let facts = json(
        &JsFuture::from(inspect_request_js("o1".into(), o1_request(&base64(&png)), Some(files().await))).await.unwrap(),
    );
    assert_eq!(
        facts["images"][0],
        json!({"format": "jpeg", "bytes": facts["images"][0]["bytes"], "width": 640.0, "height": 480.0})
    );
    assert_eq!(
        facts["images"][1],
        json!({"format": "png", "bytes": png.len() as f64, "width": 200.0, "height": 200.0})
    );
    assert_eq!(facts["images"][2]["format"], "gif");
    let v = &facts["video"];
    assert_eq!(
        (v["format"].as_str(), v["width"].as_f64(), v["height"].as_f64(), v["fps"].as_f64()),
        (Some("mp4"), Some(1280.0), Some(720.0), Some(25.0))
    );
    assert!((v["duration"].as_f64().unwrap() - 5.0).abs() < 0.05);
}

#[wasm_bindgen_test]
async fn validate_with_media_reports_the_media_rules() {
    let png = bytes("square-200.png").await;
    let report = json(
        &JsFuture::from(validate_with_media_js("o1".into(), o1_request(&base64(&png)), Some(files().await), None))
            .await
            .unwrap(),
    );
    let found: Vec<(String, Value)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap().to_string(), e["path"].clone()))
        .collect();
    assert!(found.contains(&("image_too_small".into(), norm(json!(["image_list", 1, "image_url"])))), "{report}");
    assert!(found.contains(&("image_format".into(), norm(json!(["image_list", 2, "image_url"])))), "{report}");
    assert!(!found.iter().any(|(c, _)| c.starts_with("video_")), "{report}");
    assert_eq!(report["unverified"], json!([]), "{report}");
    // Argument errors reject the promise.
    let err = JsFuture::from(validate_with_media_js("o2".into(), "{}".into(), None, None)).await.unwrap_err();
    assert_eq!(get(&err, "name"), "KlingArgumentError");
}

#[wasm_bindgen_test]
async fn blob_urls() {
    let g = js_sys::global();
    let url_api = get(&g, "URL");
    for (name, is_video) in [("phone.mov", true), ("photo-exif6.jpg", false)] {
        let u = call(&url_api, "createObjectURL", &[&blob(name).await]);
        let info = if is_video { video(&u).await } else { image(&u).await };
        call(&url_api, "revokeObjectURL", &[&u]);
        assert_eq!(info["measuredBy"], "header", "{name}: {info}");
        if is_video {
            assert_eq!(
                (info["width"].as_f64(), info["height"].as_f64(), info["rotation"].as_f64()),
                (Some(1080.0), Some(1920.0), Some(90.0))
            );
        } else {
            assert_eq!((info["width"].as_f64(), info["height"].as_f64()), (Some(480.0), Some(640.0)));
        }
        console_log!("{name} from a blob: URL: {} bytes read of {}", info["bytesRead"], info["bytes"]);
    }
}
