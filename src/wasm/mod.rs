//! The `#[wasm_bindgen]` layer.
