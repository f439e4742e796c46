//! Long `image_url`s cross into wasm as a summary, not whole (issue 15, item 4): a picked
//! 10 MB image is 13 MB of Base64 that `JSON.stringify`, the copy into wasm and the parser
//! would each walk on every keystroke, while the rules read only its length, its alphabet
//! and the first kilobytes.
//!
//! An object whose `image_list` (or `parameters.image_list`) holds a string longer than
//! [`LONG`] is stringified with a replacer that puts a marker in place of each long
//! `image_url` it meets and remembers the string's summary ([`crate::rules::long`]): its
//! `data:` prefix, its length, and that its Base64 is what the rules accept (checked by the
//! engine's `atob`, never copied in). The summaries of the last
//! strings seen are kept, so the same string on the next call costs a comparison. The rules
//! copy in only the head the image header needs. Strings that are not acceptable Base64,
//! bare or behind a `data:` prefix (a URL, Base64 broken by line breaks or of a wrong length),
//! cross whole, as before, so every report stays the one the whole string gives.

use super::validate::{argument_error, error_text};
use crate::rules::long::{LongImage, LongStrings};
use js_sys::{Array, JsString, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Strings longer than this (UTF-16 code units) are summarised. The header of a Base64 image
/// needs its first 64 KB (87,384 characters); a string up to twice that is copied whole.
pub const LONG: u32 = 1 << 17;
/// A `data:` prefix longer than this leaves the string whole (its prefix is what is reported).
const MAX_PREFIX: i32 = 4096;
/// How much of a long string is copied in at a time to check its alphabet (UTF-16 units).
const CHUNK: u32 = 1 << 18;
/// How many strings' summaries are remembered (each holds its string).
const REMEMBERED: usize = 2;
/// The start of a marker; the module's nonce and the summary's index follow.
const MARK: &str = "\u{1}kling-long:";

/// What the rules need of one long string, and the Base64 to copy heads from.
struct Summary {
    data_prefix: Option<String>,
    base64: Option<(u64, u64)>,
    data: JsString,
}

struct State {
    /// Random per module instance, so no text a user writes can pass for a marker.
    nonce: String,
    image_list: JsValue,
    parameters: JsValue,
    image_url: JsValue,
    /// The strings summarised last, newest last.
    remembered: Vec<(JsValue, Rc<Summary>)>,
    /// This call's summaries, by marker index.
    call: Vec<Rc<Summary>>,
    /// Markers put in so far, and summaries made (for the tests: the path is taken).
    counts: (usize, usize),
}

#[wasm_bindgen]
extern "C" {
    /// The engine's Base64 decoder (pages, Workers, Node); its result is dropped.
    #[wasm_bindgen(catch, js_name = atob)]
    fn atob(data: &JsString) -> Result<JsValue, JsValue>;
    /// The engine's `TextEncoder` (pages, Workers, Node).
    #[wasm_bindgen(js_name = TextEncoder)]
    type Encoder;
    #[wasm_bindgen(constructor, js_class = "TextEncoder")]
    fn new() -> Encoder;
    #[wasm_bindgen(method, js_class = "TextEncoder", js_name = encodeInto)]
    fn encode_into(this: &Encoder, source: &JsString, destination: &Uint8Array) -> JsValue;
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State {
        nonce: {
            let r = js_sys::Math::random() * 9_007_199_254_740_991.0;
            (r as u64).to_string()
        },
        image_list: JsValue::from_str("image_list"),
        parameters: JsValue::from_str("parameters"),
        image_url: JsValue::from_str("image_url"),
        remembered: Vec::new(),
        call: Vec::new(),
        counts: (0, 0),
    });
    static REPLACER: Closure<dyn FnMut(JsValue, JsValue) -> JsValue> =
        Closure::new(|key: JsValue, value: JsValue| replace(key, value));
}

/// The first `n` characters of a summarised string's Base64, copied in.
type Head = Box<dyn Fn(usize) -> String>;

/// The summaries of one call's markers, for the rules.
pub struct Markers {
    nonce: String,
    items: Vec<(Rc<Summary>, Head)>,
}

impl LongStrings for Markers {
    fn image_url(&self, s: &str) -> Option<LongImage<'_>> {
        let i: usize = s.strip_prefix(MARK)?.strip_prefix(self.nonce.as_str())?.strip_prefix(':')?.parse().ok()?;
        let (summary, head) = self.items.get(i)?;
        Some(LongImage { data_prefix: summary.data_prefix.clone(), base64: summary.base64, head: head.as_ref() })
    }
}

/// JSON text of a request object, with long `image_url`s replaced by markers, and their
/// summaries; `None` when the object holds no long `image_url` where the rules read one (the
/// caller then stringifies it as usual).
pub fn stringify(request: &JsValue) -> Option<Result<(String, Markers), JsValue>> {
    if !may_hold_long(request) {
        return None;
    }
    STATE.with(|s| s.borrow_mut().call.clear());
    let text = REPLACER.with(|r| js_sys::JSON::stringify_with_replacer(request, r.as_ref().unchecked_ref()));
    let items = STATE.with(|s| std::mem::take(&mut s.borrow_mut().call));
    let nonce = STATE.with(|s| s.borrow().nonce.clone());
    Some(text.map_err(|e| argument_error(&format!("request cannot be serialised to JSON: {}", error_text(&e)))).map(
        |t| {
            let items = items
                .into_iter()
                .map(|summary| {
                    let data = summary.data.clone();
                    let head: Head = Box::new(move |n| {
                        let end = u32::try_from(n).unwrap_or(u32::MAX).min(data.length());
                        let mut out = Vec::with_capacity(end as usize);
                        copy_ascii(&data, end, |chunk| out.extend_from_slice(chunk));
                        String::from_utf8(out).unwrap_or_default()
                    });
                    (summary, head)
                })
                .collect();
            (t.as_string().unwrap_or_default(), Markers { nonce, items })
        },
    ))
}

/// True when `image_list` or `parameters.image_list` has an item whose `image_url` is a string
/// longer than [`LONG`] (or reading one throws: the replacer's path then reports it as
/// `JSON.stringify` does).
fn may_hold_long(request: &JsValue) -> bool {
    STATE.with(|s| {
        let s = s.borrow();
        let get =
            |o: &JsValue, k: &JsValue| if o.is_object() { Reflect::get(o, k).ok() } else { Some(JsValue::UNDEFINED) };
        let (Some(root_list), Some(params)) = (get(request, &s.image_list), get(request, &s.parameters)) else {
            return true;
        };
        let Some(nested_list) = get(&params, &s.image_list) else { return true };
        for list in [root_list, nested_list] {
            let Some(list) = list.dyn_ref::<Array>() else { continue };
            for item in list.iter() {
                match get(&item, &s.image_url) {
                    None => return true,
                    Some(url) => {
                        if url.dyn_ref::<JsString>().is_some_and(|u| u.length() > LONG) {
                            return true;
                        }
                    }
                }
            }
        }
        false
    })
}

/// `JSON.stringify`'s replacer: a marker for a long `image_url` that can be summarised, every
/// other value as it is.
fn replace(key: JsValue, value: JsValue) -> JsValue {
    if value.dyn_ref::<JsString>().is_none_or(|s| s.length() <= LONG) {
        return value;
    }
    STATE.with(|state| {
        let mut state = state.borrow_mut();
        if key != state.image_url {
            return value;
        }
        let summary = match state.remembered.iter().position(|(k, _)| *k == value) {
            Some(i) => {
                let hit = state.remembered.remove(i);
                let summary = hit.1.clone();
                state.remembered.push(hit);
                summary
            }
            None => {
                let Some(summary) = summarise(value.unchecked_ref()) else { return value };
                state.counts.1 += 1;
                let summary = Rc::new(summary);
                if state.remembered.len() >= REMEMBERED {
                    state.remembered.remove(0);
                }
                state.remembered.push((value.clone(), summary.clone()));
                summary
            }
        };
        state.call.push(summary);
        state.counts.0 += 1;
        let mut marker = String::from(MARK);
        marker.push_str(&state.nonce);
        marker.push(':');
        marker.push_str(&(state.call.len() - 1).to_string());
        JsValue::from_str(&marker)
    })
}

/// The summary of a long string, or `None` when it is to cross whole: neither `data:` text with
/// a short prefix nor Base64 from the alphabet.
fn summarise(s: &JsString) -> Option<Summary> {
    let len = s.length();
    let start = s.slice(0, 5).as_string().unwrap_or_default();
    if start.eq_ignore_ascii_case("data:") {
        let comma = s.index_of(",", 0);
        if !(0..=MAX_PREFIX).contains(&comma) {
            return None;
        }
        let comma = comma as u32;
        let data = s.slice(comma + 1, len);
        // Anything else behind a prefix crosses whole: the fix of Base64 with whitespace drops
        // the whitespace.
        let base64 = Some(alphabet(&data)?);
        return Some(Summary { data_prefix: Some(s.slice(0, comma).as_string()?), base64, data });
    }
    let base64 = Some(alphabet(s)?);
    Some(Summary { data_prefix: None, base64, data: s.clone() })
}

/// Length and padding of Base64 that [`crate::rules::base64::check`] accepts; `None` for
/// anything else.
///
/// `atob` (the "forgiving-base64 decode" of the HTML standard, native code) drops ASCII
/// whitespace, then one or two `=` at the end when the length is a multiple of 4, and fails
/// on a length of 4k + 1 or any character outside the alphabet: on text with no ASCII
/// whitespace its success is exactly `check`'s, and whitespace shows in the decoded length. Over 13.9 MB it took
/// 16–25 ms here, against 35–40 ms for encoding the string into wasm a chunk at a time and
/// checking it there eight bytes at a time, and 80–190 ms for a regular expression.
fn alphabet(s: &JsString) -> Option<(u64, u64)> {
    let len = s.length();
    let pad = (1..=2.min(len)).take_while(|&k| s.char_code_at(len - k) == f64::from(b'=')).count() as u64;
    let expected = crate::rules::long::checked_len(u64::from(len), pad)?;
    // With k >= 1 whitespace characters dropped, atob decodes at most len - pad - 1 data
    // characters, which is fewer bytes than `expected` wherever `check` accepts the length
    // at all: the decoded length equal to it means there was no whitespace.
    let decoded = atob(s).ok()?.dyn_into::<JsString>().ok()?.length();
    (u64::from(decoded) == expected).then_some((u64::from(len), pad))
}

/// Hands the first `end` characters of a string to `f` as bytes, a chunk at a time, and says
/// whether they were all ASCII (it stops at the first chunk that is not): the heads the rules
/// read, and a `data:` image's whole Base64 for its fix. The engine encodes (`encodeInto`, a
/// native copy: wasm-bindgen's own string passing walks ASCII text a character at a time in
/// JS, several times slower over 13 MB).
fn copy_ascii(s: &JsString, end: u32, mut f: impl FnMut(&[u8])) -> bool {
    let encoder = Encoder::new();
    let chunk = Uint8Array::new_with_length(CHUNK.min(end));
    let mut bytes = vec![0u8; CHUNK.min(end) as usize];
    let written = JsValue::from_str("written");
    let mut at = 0;
    while at < end {
        let to = end.min(at.saturating_add(CHUNK));
        let n = Reflect::get(&encoder.encode_into(&s.slice(at, to), &chunk), &written).ok().and_then(|w| w.as_f64());
        // Text that is not ASCII takes more bytes than characters (or does not fit).
        if n != Some(f64::from(to - at)) {
            return false;
        }
        let bytes = &mut bytes[..(to - at) as usize];
        chunk.subarray(0, to - at).copy_to(bytes);
        f(bytes);
        at = to;
    }
    true
}

/// How many long strings were replaced by markers, and how many summaries were made (a string
/// seen again reuses its summary), since the module started: for the tests.
pub fn counts() -> (usize, usize) {
    STATE.with(|s| s.borrow().counts)
}
