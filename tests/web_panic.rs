//! A panic reaches JavaScript as an `Error` named `KlingPanic` with its message (Chromium):
//! `wasm-pack test --headless --chrome --test web_panic`. A test binary of its own: once the
//! hook has thrown, std counts the thread as inside its panic hook, and a later panic in
//! the same module would trap without a message (see `src/wasm/panic.rs`).
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Reflect};
use kling_omni::wasm_api::{install_panic_hook, validate_js};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = "export function call_catching(f) { try { f(); return null; } catch (e) { return e; } }")]
extern "C" {
    fn call_catching(f: &Function) -> JsValue;
}

#[wasm_bindgen_test]
fn a_panic_throws_an_error_with_its_message_and_place() {
    // The module installed the hook when it started; the test runner then put its own in
    // place (to collect test output), so it is installed again here.
    install_panic_hook();
    let line = line!() + 1;
    let f = Closure::<dyn FnMut()>::new(|| panic!("limit {} passed", 42));
    let e = call_catching(f.as_ref().unchecked_ref());
    let e: js_sys::Error = e.dyn_into().expect("a panic reaches JS as an Error");
    assert_eq!(String::from(e.name()), "KlingPanic");
    let message = String::from(e.message());
    assert!(
        message.starts_with(&format!("kling-omni panicked: limit 42 passed (at tests/web_panic.rs:{line}:")),
        "{message}"
    );
    // The module still answers the next call.
    let r = validate_js("o1".into(), JsValue::from_str(r#"{"prompt":"x","aspect_ratio":"16:9"}"#), None, None).unwrap();
    assert_eq!(Reflect::get(&r, &"valid".into()).unwrap(), JsValue::TRUE);
}
