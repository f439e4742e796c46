//! `prepareImage` on the media fixtures (`tests/fixtures/make.sh`), shared by the page
//! (`web_prepare.rs`) and the dedicated Worker (`worker_prepare.rs`) suites. Each output is
//! measured again with `inspectImage` and checked with `validate` from its Base64: every
//! fixture that fails an image rule passes after `prepareImage`.

use js_sys::{Array, Object, Promise, Reflect};
use kling_omni::wasm_api::validate_js;
use kling_omni::{inspect_image_js, prepare_image_js};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

#[path = "../support/web_fixtures.rs"]
mod web_fixtures;
use web_fixtures::{call, get, nocors, url};

async fn wait(p: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(p.dyn_into::<Promise>().unwrap()).await
}

async fn blob(name: &str) -> JsValue {
    let g = js_sys::global();
    let resp = wait(call(&g, "fetch", &[&JsValue::from_str(&url(name))])).await.unwrap();
    assert_eq!(get(&resp, "status").as_f64(), Some(200.0), "{name}");
    wait(call(&resp, "blob", &[])).await.unwrap()
}

fn options(json: &str) -> Option<JsValue> {
    Some(js_sys::JSON::parse(json).unwrap())
}

async fn prepare(source: &JsValue, opts: Option<JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(prepare_image_js(source.clone(), opts)).await
}

fn codes(result: &JsValue) -> Vec<String> {
    Array::from(&get(result, "changes")).iter().map(|c| get(&c, "code").as_string().unwrap()).collect()
}

fn num(o: &JsValue, k: &str) -> f64 {
    get(o, k).as_f64().unwrap_or(f64::NAN)
}

/// The output's facts measured again, and the verdict of `validate` on its Base64.
async fn check_output(name: &str, r: &JsValue, max_bytes: f64) {
    let blob = get(r, "blob");
    let info = JsFuture::from(inspect_image_js(blob.clone())).await.unwrap();
    for k in ["format", "width", "height", "bytes"] {
        assert_eq!(get(&info, k), get(r, k), "{name}: {k} as inspectImage measures it");
    }
    assert_eq!(num(r, "bytes"), num(&blob, "size"), "{name}");
    assert!(num(r, "bytes") <= max_bytes, "{name}: {} bytes", num(r, "bytes"));
    let b64 = get(r, "base64").as_string().unwrap();
    assert_eq!(b64.len() as f64, (num(r, "bytes") / 3.0).ceil() * 4.0, "{name}: the Base64 is the whole file");
    let request = Object::new();
    Reflect::set(&request, &"prompt".into(), &"<<<image_1>>> waves".into()).unwrap();
    Reflect::set(&request, &"aspect_ratio".into(), &"16:9".into()).unwrap();
    let item = Object::new();
    Reflect::set(&item, &"image_url".into(), &JsValue::from_str(&b64)).unwrap();
    Reflect::set(&request, &"image_list".into(), &Array::of1(&item)).unwrap();
    let report = validate_js(JsValue::from_str("o1"), request.into(), None, None).unwrap();
    let errors = js_sys::JSON::stringify(&get(&report, "errors")).unwrap().as_string().unwrap();
    assert_eq!(get(&report, "valid"), JsValue::TRUE, "{name}: {errors}");
}

const TEN_MB: f64 = 10.0 * 1024.0 * 1024.0;

/// A fixture, the options, and the output's format, width, height and change codes.
type Row = (&'static str, &'static str, &'static str, f64, f64, &'static [&'static str]);

#[wasm_bindgen_test]
async fn every_failing_fixture_passes_after_prepare_image() {
    let rows: &[Row] = &[
        ("image.webp", "{}", "jpeg", 400.0, 300.0, &["converted"]),
        ("image.gif", "{}", "jpeg", 400.0, 300.0, &["converted", "scaled_up"]),
        ("image.bmp", "{}", "jpeg", 400.0, 300.0, &["converted"]),
        ("small-280.png", "{}", "jpeg", 300.0, 300.0, &["converted", "scaled_up"]),
        ("square-200.png", "{\"locale\":\"zh\"}", "jpeg", 300.0, 300.0, &["converted", "scaled_up"]),
        ("wide-3x1.jpg", "{}", "jpeg", 1200.0, 480.0, &["re_encoded", "padded"]),
        ("wide-3x1.jpg", "{\"fit\":\"crop\"}", "jpeg", 1000.0, 400.0, &["re_encoded", "cropped"]),
        ("tall-1x3.png", "{\"background\":\"#fff\"}", "jpeg", 360.0, 900.0, &["converted", "padded"]),
        ("tall-1x3.png", "{\"fit\":\"crop\"}", "jpeg", 300.0, 750.0, &["converted", "cropped"]),
        // Stored 1000 × 250 with EXIF orientation 6: upright it is 250 × 1000, padded to 400 × 1000.
        ("wide-exif6.jpg", "{}", "jpeg", 400.0, 1000.0, &["re_encoded", "rotated", "padded"]),
        // Transparency: stays a PNG while it fits.
        ("alpha-200.png", "{}", "png", 300.0, 300.0, &["re_encoded", "scaled_up"]),
        ("big-12mb.png", "{}", "jpeg", 4400.0, 3300.0, &["converted"]),
    ];
    for &(name, opts, format, w, h, want) in rows {
        let r = prepare(&blob(name).await, options(opts)).await.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(codes(&r), want, "{name} {opts}");
        assert_eq!(get(&r, "format").as_string().unwrap(), format, "{name} {opts}");
        assert_eq!((num(&r, "width"), num(&r, "height")), (w, h), "{name} {opts}");
        for c in Array::from(&get(&r, "changes")).iter() {
            let m = get(&c, "message").as_string().unwrap();
            assert!(!m.is_empty() && !m.contains('{'), "{name}: {m}");
        }
        check_output(name, &r, TEN_MB).await;
    }
}

#[wasm_bindgen_test]
async fn a_byte_limit_lowers_quality_then_scales_down() {
    let max = 400_000.0;
    let r = prepare(&blob("big-12mb.png").await, options(&format!("{{\"maxBytes\":{max}}}"))).await.unwrap();
    let c = codes(&r);
    assert_eq!(c[0], "converted");
    assert!(c.contains(&"scaled_down".to_string()) && c.contains(&"quality_lowered".to_string()), "{c:?}");
    assert!(num(&r, "width") < 4400.0 && num(&r, "width") >= 300.0, "{}", num(&r, "width"));
    check_output("big-12mb.png at 400 kB", &r, max).await;
    // No way to get there at 300 px: a typed error.
    let e = prepare(&blob("big-12mb.png").await, options("{\"maxBytes\":500}")).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().unwrap(), "KlingError");
    assert_eq!(get(&e, "kind").as_string().unwrap(), "argument");
}

#[wasm_bindgen_test]
async fn an_image_that_passes_comes_back_untouched() {
    for name in ["photo.jpg", "image.png", "photo-exif6.jpg"] {
        let b = blob(name).await;
        let r = prepare(&b, None).await.unwrap();
        assert!(Object::is(&get(&r, "blob"), &b), "{name}: the same Blob");
        assert_eq!(codes(&r), Vec::<String>::new(), "{name}");
        let bytes = js_sys::Uint8Array::new(&wait(call(&b, "arrayBuffer", &[])).await.unwrap()).to_vec();
        assert_eq!(get(&r, "base64").as_string().unwrap(), kling_omni::rules::base64::encode(&bytes), "{name}");
        check_output(name, &r, TEN_MB).await;
    }
    // A URL the page can read, too.
    let r = prepare(&JsValue::from_str(&url("image.webp")), None).await.unwrap();
    assert_eq!(codes(&r), ["converted"]);
}

#[wasm_bindgen_test]
async fn typed_errors() {
    let kind = |e: &JsValue| (get(e, "name").as_string().unwrap(), get(e, "kind").as_string().unwrap());
    let text = Blob::new_with_str_sequence(&Array::of1(&"not an image".into())).unwrap();
    let e = prepare(&text.into(), None).await.unwrap_err();
    assert_eq!(kind(&e), ("KlingError".into(), "decode".into()));
    // An instance of the package's KlingError class, as the client's errors are.
    assert_eq!(get(&get(&e, "constructor"), "name").as_string().as_deref(), Some("KlingError"));
    let error_prototype = get(&get(&js_sys::global(), "Error"), "prototype");
    assert!(JsValue::from(Object::get_prototype_of(&Object::get_prototype_of(&e))) == error_prototype);
    assert_eq!(get(&e, "retryable"), JsValue::FALSE);
    assert!(get(&e, "message").as_string().unwrap().contains("cannot decode"));
    let e = prepare(&JsValue::from_str(&nocors("image.webp")), None).await.unwrap_err();
    assert_eq!(kind(&e).1, "network");
    let png = blob("small-280.png").await;
    for bad in [
        r#"{"fit":"stretch"}"#,
        r#"{"background":"red"}"#,
        r#"{"maxBytes":0}"#,
        r#"{"maxBytes":1.5}"#,
        r#"{"locale":"fr"}"#,
    ] {
        let e = prepare(&png, options(bad)).await.unwrap_err();
        assert_eq!(kind(&e), ("KlingError".into(), "argument".into()), "{bad}");
    }
    let e = prepare(&JsValue::from_f64(5.0), None).await.unwrap_err();
    assert_eq!(kind(&e).1, "argument");
}

use web_sys::Blob;
