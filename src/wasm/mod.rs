//! The `#[wasm_bindgen]` layer: JS exports with camelCase names and TypeScript types. Only
//! compiled for `wasm32`; everything it calls is in the pure core.

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "media")]
pub mod inspect;
pub mod long;
pub mod panic;
#[cfg(feature = "media")]
pub mod prepare;
pub mod schema;
pub mod validate;
