//! The client in Node (`wasm-pack test --node`), against the fake gateway: the same suite as
//! in a page (`web_client.rs`) and a Web Worker (`worker_client.rs`). Node has no `document`,
//! so the secret key is not refused here.
#![cfg(target_arch = "wasm32")]

mod client_suite;
