//! The client in a dedicated Web Worker (no `window`: global `fetch` and timers only),
//! against the fake gateway. The same suite as `web_client.rs`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

mod client_suite;
