//! Panics reach JavaScript as an `Error` named `KlingPanic`, with the panic's message and
//! where it happened, instead of a bare `RuntimeError: unreachable`.
//!
//! The release build has `panic = "abort"`: after the panic hook returns, the module traps,
//! and the trap's `RuntimeError` says only "unreachable". So the hook does not return: it
//! throws the `Error` itself, which unwinds the Wasm frames to the export's caller (as
//! `wasm_bindgen::throw_val` documents: no destructors run, what those frames held leaks).
//! A synchronous export (`validate`) then throws it; in an async one (`inspectImage`) it
//! surfaces as an uncaught exception and the promise stays pending.
//!
//! The aim stays that no input reaches a panic (fuzzing, hostile-input tests). This is for
//! diagnosis: std still counts the thread as inside its panic hook afterwards, so a second
//! panic in the same page traps without a message.

use wasm_bindgen::prelude::*;

/// Installs the hook when the module is instantiated (`init()` on the web, the `require`
/// in Node).
#[wasm_bindgen(start, skip_typescript)]
fn start() {
    install();
}

/// Makes panics throw a `KlingPanic` `Error` (see the module docs). Installed at start;
/// public so that the browser suite can install it again after the test runner's own.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        // `PanicHookInfo::payload_as_str` needs Rust 1.91; the crate supports 1.82.
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("a panic");
        let message = match info.location() {
            Some(at) => format!("kling-omni panicked: {what} (at {}:{}:{})", at.file(), at.line(), at.column()),
            None => format!("kling-omni panicked: {what}"),
        };
        let e = js_sys::Error::new(&message);
        e.set_name("KlingPanic");
        wasm_bindgen::throw_val(e.into());
    }));
}
