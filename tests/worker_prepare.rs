//! `prepareImage` in a dedicated Web Worker (no `window`, no `document`: `OffscreenCanvas`,
//! `createImageBitmap` and `fetch` from the Worker's global scope): the same suite as
//! `web_prepare.rs`.
#![cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);
mod prepare_suite;
