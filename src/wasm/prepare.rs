//! `prepareImage`: makes an image pass every image rule in the browser. What to change is
//! decided in [`crate::media::fit`]; here the image is only read (`Blob`, or `fetch` of a
//! URL), decoded (`createImageBitmap`, EXIF orientation applied), drawn on an
//! `OffscreenCanvas` and encoded (`convertToBlob`). Everything is taken from `globalThis`, so
//! it runs in a page and in a Worker alike.

use super::inspect::BrowserIo;
use super::validate::parse_locale;
use crate::media::fit::{self, Change, Fit, Layout, Next, OutFormat};
use crate::media::inspect::{inspect_image, Source};
use crate::messages::Locale;
use crate::rules::base64;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array, Uint8ClampedArray};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Blob, Response};

#[wasm_bindgen(typescript_custom_section)]
const TS_PREPARE: &'static str = r##"
/** Options of `prepareImage`. */
export interface PrepareImageOptions {
  /** At most this many bytes; never more than 10 MB (10 × 1024 × 1024), the APIs' limit, which is the default. */
  maxBytes?: number;
  /** How an aspect ratio outside 1:2.5 … 2.5:1 is brought inside: `"pad"` (default: bands of `background`, nothing lost) or `"crop"` (the centre kept). */
  fit?: "pad" | "crop";
  /** The padding colour, and what transparency becomes in a JPEG: `"#rgb"` or `"#rrggbb"`, default `"#000000"`. */
  background?: string;
  /** The language of the changes' messages. */
  locale?: "en" | "zh";
}
/** What `prepareImage` did: `converted` (`from`, `to`: another format; a GIF keeps its first frame), `re_encoded` (`format`), `rotated` (EXIF `orientation` applied), `padded` / `cropped` (`from` ratio, `width`, `height`; `background`), `scaled_up` / `scaled_down` (`from`, `to` as [width, height]; `reason` `"bytes"` or `"canvas"`), `quality_lowered` (JPEG `quality`, 1–100), `transparency_flattened` (`background`). */
export type ImageChangeCode = "converted" | "re_encoded" | "rotated" | "padded" | "cropped" | "scaled_up"
  | "scaled_down" | "quality_lowered" | "transparency_flattened";
/** One change, with its values and a message in the chosen locale. */
export interface ImageChange {
  code: ImageChangeCode;
  params: Record<string, unknown>;
  message: string;
}
/** An image that passes every image rule: the file (`blob`), its Base64 for `image_url`, and its facts. `changes` is empty when the source already passed: then `blob` is the source itself, bytes untouched. */
export interface PreparedImage {
  blob: Blob;
  /** Raw Base64 (no `data:` prefix), as `image_url` takes it. */
  base64: string;
  format: "jpeg" | "png";
  width: number;
  height: number;
  bytes: number;
  changes: ImageChange[];
}
/** Why `prepareImage` rejected: a `KlingError` (`instanceof KlingError` and `isKlingError(e)` hold) whose `kind` is `decode` (the browser cannot decode the source), `network` (a URL could not be read) or `argument` (bad options or source, or no way to meet `maxBytes`). */
export interface KlingPrepareError extends Error {
  name: "KlingError";
  kind: "decode" | "network" | "argument";
  retryable: false;
  ambiguous: false;
}
/** Makes an image pass every image rule (JPEG/PNG, ≤ 10 MB and ≤ `maxBytes`, shorter side ≥ 300 px, aspect ratio 1:2.5 … 2.5:1), doing only what is needed. Rejects with a `KlingPrepareError`. Runs in a page and in a Worker. */
export function prepareImage(source: File | Blob | string, options?: PrepareImageOptions): Promise<PreparedImage>;
"##;

#[wasm_bindgen(module = "/src/wasm/error.js")]
extern "C" {
    /// `new KlingError(message, cause)`: the package's error class (see `client.rs`).
    #[wasm_bindgen(js_name = klingError)]
    fn new_kling_error(message: &str, cause: &JsValue) -> js_sys::Error;
}

/// Every error `prepareImage` rejects with, made here and only here: a `KlingError` (the
/// package's class, so `instanceof KlingError` and `isKlingError` hold) with its `kind`, and
/// `retryable`/`ambiguous` false as every `KlingError` has them.
fn prepare_error(kind: &str, message: &str) -> JsValue {
    let e = new_kling_error(message, &JsValue::UNDEFINED);
    let _ = Reflect::set(&e, &JsValue::from_str("kind"), &JsValue::from_str(kind));
    let _ = Reflect::set(&e, &JsValue::from_str("retryable"), &JsValue::FALSE);
    let _ = Reflect::set(&e, &JsValue::from_str("ambiguous"), &JsValue::FALSE);
    e.into()
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn set(o: &JsValue, k: &str, v: &JsValue) -> Result<(), JsValue> {
    Reflect::set(o, &JsValue::from_str(k), v).map(|_| ())
}

/// Calls a method by name; a missing one is an error that names it.
fn call(o: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let f: Function = get(o, name).dyn_into().map_err(|_| {
        prepare_error("argument", &format!("{name} is not available here (prepareImage needs OffscreenCanvas)"))
    })?;
    let list: Array = args.iter().map(|a| (*a).clone()).collect();
    f.apply(o, &list)
}

fn text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

struct Options {
    max_bytes: u64,
    fit: Fit,
    background: String,
    locale: Locale,
}

fn parse_options(options: &JsValue) -> Result<Options, JsValue> {
    let bad = |e: fit::FitError| prepare_error("argument", &e.to_string());
    let locale = parse_locale(options).map_err(|e| prepare_error("argument", &text(&e)))?;
    let mut o = Options { max_bytes: fit::byte_limit(u64::MAX), fit: Fit::Pad, background: "#000000".into(), locale };
    if options.is_undefined() || options.is_null() {
        return Ok(o);
    }
    let max = get(options, "maxBytes");
    if !max.is_undefined() && !max.is_null() {
        let n = max
            .as_f64()
            .filter(|n| n.is_finite() && *n >= 1.0 && n.fract() == 0.0)
            .ok_or_else(|| bad(fit::FitError::MaxBytes))?;
        o.max_bytes = fit::byte_limit(n as u64);
    }
    match get(options, "fit").as_string().as_deref() {
        None if get(options, "fit").is_undefined() || get(options, "fit").is_null() => {}
        Some("pad") => o.fit = Fit::Pad,
        Some("crop") => o.fit = Fit::Crop,
        _ => return Err(prepare_error("argument", "options.fit must be \"pad\" or \"crop\"")),
    }
    let bg = get(options, "background");
    if !bg.is_undefined() && !bg.is_null() {
        let s = bg.as_string().ok_or_else(|| bad(fit::FitError::Background(String::new())))?;
        o.background = fit::parse_background(&s).map_err(bad)?;
    }
    Ok(o)
}

/// The source as a Blob: a File or Blob as it is; a URL read whole with `fetch`.
async fn to_blob(source: &JsValue) -> Result<Blob, JsValue> {
    if let Some(b) = source.dyn_ref::<Blob>() {
        return Ok(b.clone());
    }
    let Some(url) = source.as_string() else {
        return Err(prepare_error("argument", "source must be a File, a Blob or a URL the page can read"));
    };
    let g = js_sys::global();
    let answer = async {
        let p: Promise = call(&g, "fetch", &[&JsValue::from_str(&url)])?.dyn_into()?;
        let resp: Response = JsFuture::from(p).await?.dyn_into()?;
        if !resp.ok() {
            return Err(js_sys::Error::new(&format!("HTTP {}", resp.status())).into());
        }
        let b: Blob = JsFuture::from(resp.blob()?).await?.dyn_into()?;
        Ok::<Blob, JsValue>(b)
    };
    answer.await.map_err(|e| {
        prepare_error("network", &format!("cannot read the image at {}: {}", crate::report::short(&url), text(&e)))
    })
}

/// The result object.
async fn result(
    blob: &Blob,
    format: &str,
    w: u32,
    h: u32,
    changes: &[Change],
    locale: Locale,
) -> Result<JsValue, JsValue> {
    let o: JsValue = Object::new().into();
    let b64 = base64_of(blob).await?;
    set(&o, "blob", blob)?;
    set(&o, "base64", &b64)?;
    set(&o, "format", &JsValue::from_str(format))?;
    set(&o, "width", &JsValue::from_f64(w.into()))?;
    set(&o, "height", &JsValue::from_f64(h.into()))?;
    set(&o, "bytes", &JsValue::from_f64(blob.size()))?;
    let list = Array::new();
    for c in changes {
        let item: JsValue = Object::new().into();
        set(&item, "code", &JsValue::from_str(c.code))?;
        // Keys sorted, as a `serde_json::Map` orders them.
        let params: serde_json::Map<String, serde_json::Value> =
            c.params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let mut text = String::new();
        crate::write::push_value(&mut text, &serde_json::Value::Object(params));
        set(&item, "params", &super::inspect::json(&text)?)?;
        set(&item, "message", &JsValue::from_str(&crate::messages::change_message(c, locale)))?;
        list.push(&item);
    }
    set(&o, "changes", &list)?;
    Ok(o)
}

fn canvas(w: u32, h: u32) -> Result<(JsValue, JsValue), JsValue> {
    let ctor: Function = get(&js_sys::global(), "OffscreenCanvas")
        .dyn_into()
        .map_err(|_| prepare_error("argument", "OffscreenCanvas is not available here"))?;
    let c: JsValue = Reflect::construct(&ctor, &Array::of2(&w.into(), &h.into()))?;
    let ctx = call(&c, "getContext", &[&JsValue::from_str("2d")])?;
    if ctx.is_null() {
        return Err(prepare_error("argument", "no 2D canvas context here"));
    }
    set(&ctx, "imageSmoothingQuality", &JsValue::from_str("high"))?;
    Ok((c, ctx))
}

fn fill(ctx: &JsValue, color: &str, x: f64, y: f64, w: f64, h: f64) -> Result<(), JsValue> {
    if w > 0.0 && h > 0.0 {
        set(ctx, "fillStyle", &JsValue::from_str(color))?;
        call(ctx, "fillRect", &[&x.into(), &y.into(), &w.into(), &h.into()])?;
    }
    Ok(())
}

/// How many bytes of pixels or file are copied into wasm memory at a time: wasm memory never
/// shrinks, so a 4096² image is scanned and a 10 MB file encoded through one small buffer,
/// not copied whole. A multiple of 4 (pixels) and of 3 (Base64 groups).
const CHUNK: u32 = 3 * 4 * 64 * 1024;

/// True when any pixel of the rectangle is not opaque.
fn has_alpha(ctx: &JsValue, r: fit::Rect) -> Result<bool, JsValue> {
    let (x, y) = (r.x.floor(), r.y.floor());
    let (w, h) = ((r.x + r.w).ceil() - x, (r.y + r.h).ceil() - y);
    let data = call(ctx, "getImageData", &[&x.into(), &y.into(), &w.into(), &h.into()])?;
    let px: Uint8ClampedArray = get(&data, "data").dyn_into()?;
    let mut buf = vec![0u8; CHUNK as usize];
    let mut at = 0;
    while at < px.length() {
        let end = at.saturating_add(CHUNK).min(px.length());
        let part = &mut buf[..(end - at) as usize];
        px.subarray(at, end).copy_to(part);
        if part.chunks_exact(4).any(|p| p[3] != 255) {
            return Ok(true);
        }
        at = end;
    }
    Ok(false)
}

/// The whole file as Base64, encoded a chunk at a time (see [`CHUNK`]).
async fn base64_of(blob: &Blob) -> Result<js_sys::JsString, JsValue> {
    let size = blob.size();
    let parts = Array::new();
    let mut at = 0.0;
    while at < size {
        let end = (at + f64::from(CHUNK)).min(size);
        let part = blob.slice_with_f64_and_f64(at, end)?;
        let bytes = Uint8Array::new(&JsFuture::from(part.array_buffer()).await?).to_vec();
        parts.push(&JsValue::from_str(&base64::encode(&bytes)));
        at = end;
    }
    // Joined in JavaScript: the string never comes back into wasm memory.
    Ok(parts.join(""))
}

/// Draws the decoded image by the layout: the master canvas every encoding starts from.
/// Returns it and whether the drawn image has transparency (then its background is left
/// clear, but for the padding bands).
fn draw(bitmap: &JsValue, l: &Layout, may_have_alpha: bool, background: &str) -> Result<(JsValue, bool), JsValue> {
    let (c, ctx) = canvas(l.canvas.0, l.canvas.1)?;
    let (s, d) = (l.src, l.dst);
    let args: Vec<JsValue> = [s.x, s.y, s.w, s.h, d.x, d.y, d.w, d.h].iter().map(|v| JsValue::from_f64(*v)).collect();
    let mut all: Vec<&JsValue> = vec![bitmap];
    all.extend(args.iter());
    call(&ctx, "drawImage", &all)?;
    let alpha = may_have_alpha && has_alpha(&ctx, d)?;
    // Behind what is drawn: the whole canvas for an opaque image, the bands only otherwise.
    set(&ctx, "globalCompositeOperation", &JsValue::from_str("destination-over"))?;
    let (cw, ch) = (f64::from(l.canvas.0), f64::from(l.canvas.1));
    if alpha {
        fill(&ctx, background, 0.0, 0.0, cw, d.y)?;
        fill(&ctx, background, 0.0, d.y + d.h, cw, ch - d.y - d.h)?;
        fill(&ctx, background, 0.0, 0.0, d.x, ch)?;
        fill(&ctx, background, d.x + d.w, 0.0, cw - d.x - d.w, ch)?;
    } else {
        fill(&ctx, background, 0.0, 0.0, cw, ch)?;
    }
    set(&ctx, "globalCompositeOperation", &JsValue::from_str("source-over"))?;
    Ok((c, alpha))
}

/// One encoding of the master canvas.
async fn encode(master: &JsValue, alpha: bool, a: &fit::Attempt, background: &str) -> Result<Blob, JsValue> {
    let (w, h) = (get(master, "width").as_f64().unwrap_or(0.0), get(master, "height").as_f64().unwrap_or(0.0));
    // The master as it is, unless the size differs or a transparent master becomes a JPEG.
    let reuse = (f64::from(a.width), f64::from(a.height)) == (w, h) && !(alpha && a.format == OutFormat::Jpeg);
    let target = if reuse {
        master.clone()
    } else {
        let (c, ctx) = canvas(a.width, a.height)?;
        if a.format == OutFormat::Jpeg {
            fill(&ctx, background, 0.0, 0.0, a.width.into(), a.height.into())?;
        }
        call(&ctx, "drawImage", &[master, &0.into(), &0.into(), &a.width.into(), &a.height.into()])?;
        c
    };
    let opts: JsValue = Object::new().into();
    set(&opts, "type", &JsValue::from_str(a.format.mime()))?;
    if a.format == OutFormat::Jpeg {
        set(&opts, "quality", &JsValue::from_f64(a.quality))?;
    }
    let p: Promise = call(&target, "convertToBlob", &[&opts])?.dyn_into()?;
    let blob: Blob = JsFuture::from(p).await?.dyn_into()?;
    if blob.type_() != a.format.mime() {
        return Err(prepare_error("argument", &format!("this browser cannot encode {}", a.format.mime())));
    }
    Ok(blob)
}

async fn prepare(source: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let o = parse_options(&options)?;
    let blob = to_blob(&source).await?;
    let size = blob.size() as u64;
    // The header first: a file that passes is returned untouched, with no decode.
    let info = inspect_image(&mut BrowserIo::new(Some(blob.clone())), &Source::File { size }).await;
    let format = info.format.clone().unwrap_or_else(|| "unknown".into());
    if let (Some(w), Some(h)) = (info.width, info.height) {
        if fit::passes(&format, size, w, h, o.max_bytes) {
            return result(&blob, &format, w, h, &[], o.locale).await;
        }
    }
    // Decoded upright (EXIF orientation applied), the first frame of an animation.
    let g = js_sys::global();
    let bitmap_opts: JsValue = Object::new().into();
    set(&bitmap_opts, "imageOrientation", &JsValue::from_str("from-image"))?;
    let decoded = async {
        let p: Promise = call(&g, "createImageBitmap", &[&blob, &bitmap_opts])?.dyn_into()?;
        JsFuture::from(p).await
    };
    let bitmap = decoded.await.map_err(|e| {
        prepare_error("decode", &format!("this browser cannot decode the image ({format}): {}", text(&e)))
    })?;
    let dim = |k: &str| get(&bitmap, k).as_f64().filter(|x| *x >= 1.0).map(|x| x as u32).unwrap_or(0);
    let layout = fit::layout(dim("width"), dim("height"), o.fit, &o.background)
        .map_err(|e| prepare_error("decode", &e.to_string()))?;
    let drawn = draw(&bitmap, &layout, format != "jpeg", &o.background);
    let _ = call(&bitmap, "close", &[]);
    let (master, alpha) = drawn?;
    let mut attempt = fit::first_attempt(layout.canvas, alpha);
    let out = loop {
        let blob = encode(&master, alpha, &attempt, &o.background).await?;
        match fit::next_attempt(&attempt, blob.size() as u64, o.max_bytes) {
            Next::Done => break blob,
            Next::Retry(next) => attempt = next,
            Next::GiveUp => {
                let e = fit::FitError::CannotFit { smallest: blob.size() as u64, limit: o.max_bytes };
                return Err(prepare_error("argument", &e.to_string()));
            }
        }
    };
    let orientation = info.orientation.filter(|_| format == "jpeg");
    let mut changes = fit::conversion_changes(&format, attempt.format, orientation);
    changes.extend(layout.changes.iter().cloned());
    changes.extend(fit::encoding_changes(layout.canvas, &attempt, alpha, &o.background));
    result(&out, attempt.format.name(), attempt.width, attempt.height, &changes, o.locale).await
}

/// Makes an image pass every image rule (JPEG/PNG, at most 10 MB and `maxBytes`, shorter
/// side at least 300 px, aspect ratio within 1:2.5 … 2.5:1), doing only what is needed;
/// an image that passes comes back untouched.
#[wasm_bindgen(js_name = prepareImage, skip_typescript)]
pub fn prepare_image_js(source: JsValue, options: Option<JsValue>) -> Promise {
    future_to_promise(prepare(source, options.unwrap_or(JsValue::UNDEFINED)))
}
