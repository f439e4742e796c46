//! The JS API in Node (`wasm-pack test --node`): the same suite as in Chromium.
#![cfg(target_arch = "wasm32")]
mod js_api;
