//! `prepareImage` in a Chromium page (`make test-browser`): see `prepare_suite`.
#![cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
mod prepare_suite;
