//! The client in a page (Chromium), against the fake gateway: `make test-browser`, or
//! `node tests/with-servers.mjs -- wasm-pack test --headless --chrome --test web_client`.
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod client_suite;
