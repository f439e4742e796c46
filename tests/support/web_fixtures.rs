//! What the browser media suites share (`tests/web_media.rs`, `tests/prepare_suite`, included
//! by path): the fixture server's URLs and calling into JS objects.

use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A generated fixture on the server that sends CORS headers.
pub fn url(name: &str) -> String {
    let Some(base) = option_env!("KLING_FIXTURES_URL") else {
        panic!("KLING_FIXTURES_URL is unset: run through tests/with-servers.mjs (make test-browser)")
    };
    format!("{base}generated/{name}")
}

/// The same fixture on the server that sends none.
pub fn nocors(name: &str) -> String {
    let Some(base) = option_env!("KLING_FIXTURES_NOCORS_URL") else {
        panic!("KLING_FIXTURES_NOCORS_URL is unset: run through tests/with-servers.mjs (make test-browser)")
    };
    format!("{base}generated/{name}")
}

/// A property of a JS object.
pub fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap()
}

/// Calls a method of a JS object.
pub fn call(o: &JsValue, k: &str, args: &[&JsValue]) -> JsValue {
    let f: Function = get(o, k).dyn_into().unwrap();
    f.apply(o, &args.iter().map(|a| (*a).clone()).collect::<Array>()).unwrap()
}
