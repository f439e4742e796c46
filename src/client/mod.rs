//! The client's pure decisions: which answers to retry, how long to wait, what state a
//! task is in. The browser side (`fetch`, timers) lives in the wasm layer.
