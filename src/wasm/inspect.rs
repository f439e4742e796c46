//! `inspectImage`, `inspectVideo`, `inspectRequest` and `validateWithMedia`: the browser's
//! side of the media read loop in [`crate::media::inspect`], which decides everything.
//! Here: `Blob.slice`, `fetch` with a `Range` header and its body's stream,
//! `createImageBitmap`, `<img>`/`<video>` elements, and converting values.
//!
//! `fetch`, `createImageBitmap` and `URL` are taken from `globalThis`, so Blob and CORS
//! paths also work in a Worker (elements need a `document`).

use super::validate::{argument_error, parse_args, parse_locale, report_to_js};
use crate::media::inspect::{inspect_image, inspect_video, Io, Metadata, Source, Target};
use crate::media::range::Answer;
use crate::media::request::{plan, Medium};
use crate::model::{MediaFacts, Provider};
use crate::write::JsonObject;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{Blob, Response};

#[wasm_bindgen(typescript_custom_section)]
const TS_INSPECT: &'static str = r#"
/** A picked file, a Blob, an http(s) or blob: URL, or raw Base64. */
export type MediaSource = File | Blob | string;
/**
 * How the facts were measured: `"header"` from the file's own bytes; `"bitmap"` through
 * `createImageBitmap`; `"element"` through an `<img>`/`<video>` element (format, bytes and
 * frame rate then unknown unless read otherwise); `"none"` when nothing could be measured.
 */
export type MeasuredBy = "header" | "bitmap" | "element" | "none";
/** What `inspectImage` measured. Width and height are as displayed (EXIF orientation applied). */
export interface ImageInfo extends Partial<ImageFacts> {
  /** Size as stored, before the EXIF orientation. */
  storedWidth?: number;
  storedHeight?: number;
  /** EXIF orientation 1–8, where the file has one. */
  orientation?: number;
  /** Bytes read (or decoded, for Base64) to measure it. */
  bytesRead: number;
  measuredBy: MeasuredBy;
  /** The facts that could not be measured. */
  unknown: ("format" | "bytes" | "width" | "height")[];
  /** Why the header could not be read, where it could not. */
  error?: string;
}
/** What `inspectVideo` measured. Width and height are as displayed (rotation applied). */
export interface VideoInfo extends Partial<VideoFacts> {
  storedWidth?: number;
  storedHeight?: number;
  /** Clockwise rotation of the video track. */
  rotation?: 0 | 90 | 180 | 270;
  fpsMin?: number;
  fpsMax?: number;
  /** True when the frame durations differ. */
  variableFps?: boolean;
  /** The sample entry's four-character code: "avc1", "hvc1", "hev1", "mp4v", "ap4h", … */
  codec?: string;
  hasAudio?: boolean;
  bytesRead: number;
  measuredBy: MeasuredBy;
  unknown: ("format" | "bytes" | "duration" | "width" | "height" | "fps")[];
  error?: string;
}
/** Picked files for a request: `images[i]` stands for `image_list[i]`, `video` for `video_list[0]`. */
export interface MediaFiles {
  images?: (File | Blob | null | undefined)[];
  video?: File | Blob | null;
}
"#;

/// How long an `<img>`/`<video>` element may take to load.
const ELEMENT_TIMEOUT_MS: f64 = 30_000.0;

fn js_err(msg: impl AsRef<str>) -> JsValue {
    js_sys::Error::new(msg.as_ref()).into()
}

fn get(o: &JsValue, k: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
}

fn set(o: &JsValue, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

fn method(o: &JsValue, k: &str) -> Result<Function, JsValue> {
    get(o, k).dyn_into::<Function>().map_err(|_| js_err(format!("{k} is not available here")))
}

fn error_text(e: &JsValue) -> String {
    if let Some(e) = e.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    e.as_string().unwrap_or_else(|| "the browser could not load it".to_string())
}

/// A source from JavaScript: the loop's [`Source`], and the browser side holding the file.
fn to_source(v: &JsValue) -> Result<(Source, BrowserIo), JsValue> {
    if let Some(b) = v.dyn_ref::<Blob>() {
        return Ok((Source::File { size: b.size() as u64 }, BrowserIo::new(Some(b.clone()))));
    }
    if let Some(s) = v.as_string() {
        let src = Source::from_text(&s)
            .ok_or_else(|| argument_error("a string source must be an http(s) or blob: URL, or Base64"))?;
        return Ok((src, BrowserIo::new(None)));
    }
    Err(argument_error("source must be a File, a Blob, a URL or Base64 text"))
}

/// The browser operations of one measurement: the picked file, if any, and the answer
/// being read.
pub(super) struct BrowserIo {
    blob: Option<Blob>,
    response: Option<Response>,
    /// The body's reader, once [`Io::chunk`] has taken it.
    reader: Option<JsValue>,
}

impl BrowserIo {
    pub(super) fn new(blob: Option<Blob>) -> Self {
        BrowserIo { blob, response: None, reader: None }
    }

    fn blob(&self) -> Result<&Blob, JsValue> {
        self.blob.as_ref().ok_or_else(|| js_err("no file"))
    }

    fn response(&self) -> Result<&Response, JsValue> {
        self.response.as_ref().ok_or_else(|| js_err("no answer"))
    }

    async fn slice_js(&self, start: u64, end: u64) -> Result<Vec<u8>, JsValue> {
        let part = self.blob()?.slice_with_f64_and_f64(start as f64, end as f64)?;
        Ok(Uint8Array::new(&JsFuture::from(part.array_buffer()).await?).to_vec())
    }

    async fn fetch_js(&mut self, url: &str, range: &str) -> Result<Answer, JsValue> {
        let g = js_sys::global();
        let init = Object::new();
        let headers = Object::new();
        set(&headers, "Range", &JsValue::from_str(range));
        set(&init, "headers", &headers);
        let p: Promise = method(&g, "fetch")?.call2(&g, &JsValue::from_str(url), &init)?.dyn_into()?;
        let resp: Response = JsFuture::from(p).await?.dyn_into()?;
        let header = |name: &str| resp.headers().get(name).ok().flatten();
        let answer = Answer {
            status: resp.status(),
            content_range: header("content-range"),
            content_length: header("content-length"),
        };
        self.response = Some(resp);
        self.reader = None;
        Ok(answer)
    }

    async fn body_js(&self) -> Result<Vec<u8>, JsValue> {
        let buf = JsFuture::from(self.response()?.array_buffer()?).await?;
        Ok(Uint8Array::new(&buf).to_vec())
    }

    async fn chunk_js(&mut self) -> Result<Option<Vec<u8>>, JsValue> {
        if self.reader.is_none() {
            let body = get(self.response()?, "body");
            if body.is_null() || body.is_undefined() {
                return Ok(None);
            }
            self.reader = Some(method(&body, "getReader")?.call0(&body)?);
        }
        let reader = self.reader.as_ref().ok_or_else(|| js_err("no body"))?;
        let chunk = JsFuture::from(method(reader, "read")?.call0(reader)?.dyn_into::<Promise>()?).await?;
        if get(&chunk, "done").as_bool().unwrap_or(true) {
            return Ok(None);
        }
        Ok(Some(get(&chunk, "value").dyn_into::<Uint8Array>()?.to_vec()))
    }

    async fn video_js(&self, target: Target<'_>) -> Option<Result<Metadata, JsValue>> {
        match target {
            Target::Url(u) => Some(video_element(u).await),
            Target::File => {
                let url = object_url(self.blob.as_ref()?).ok()?;
                let r = video_element(&url).await;
                revoke(&url);
                Some(r)
            }
        }
    }
}

impl Io for BrowserIo {
    async fn slice(&mut self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        self.slice_js(start, end).await.map_err(|e| error_text(&e))
    }

    async fn fetch(&mut self, url: &str, range: &str) -> Result<Answer, String> {
        self.fetch_js(url, range).await.map_err(|e| error_text(&e))
    }

    async fn body(&mut self) -> Result<Vec<u8>, String> {
        self.body_js().await.map_err(|e| error_text(&e))
    }

    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, String> {
        self.chunk_js().await.map_err(|e| error_text(&e))
    }

    fn cancel(&mut self) {
        // The reader once one is taken (it locks the body), else the body itself.
        let stream = match self.reader.take() {
            Some(reader) => reader,
            None => self.response.as_ref().map(|r| get(r, "body")).unwrap_or(JsValue::UNDEFINED),
        };
        if let Ok(cancel) = method(&stream, "cancel") {
            let _ = cancel.call0(&stream);
        }
        self.response = None;
    }

    async fn image_size(&mut self, target: Target<'_>) -> Result<(u32, u32), String> {
        let r = match target {
            Target::File => match self.blob() {
                Ok(b) => bitmap_size(b).await,
                Err(e) => Err(e),
            },
            Target::Url(u) => img_size(u).await,
        };
        r.map_err(|e| error_text(&e))
    }

    async fn video_metadata(&mut self, target: Target<'_>) -> Option<Result<Metadata, String>> {
        Some(self.video_js(target).await?.map_err(|e| error_text(&e)))
    }
}

/// Waits for a promise, rejecting after `ms`.
async fn with_timeout(p: Promise, ms: f64) -> Result<JsValue, JsValue> {
    let g = js_sys::global();
    let timeout = Promise::new(&mut |_resolve, reject| {
        if let Ok(set_timeout) = method(&g, "setTimeout") {
            let _ = set_timeout.call3(&g, &reject, &JsValue::from_f64(ms), &js_err("timed out"));
        }
    });
    JsFuture::from(Promise::race(&Array::of2(&p, &timeout))).await
}

/// A `blob:` URL for a Blob, to hand to an element; revoke it after.
fn object_url(b: &Blob) -> Result<String, JsValue> {
    let url = get(&js_sys::global(), "URL");
    method(&url, "createObjectURL")?.call1(&url, b)?.as_string().ok_or_else(|| js_err("createObjectURL failed"))
}

fn revoke(u: &str) {
    let url = get(&js_sys::global(), "URL");
    if let Ok(f) = method(&url, "revokeObjectURL") {
        let _ = f.call1(&url, &JsValue::from_str(u));
    }
}

fn dim(v: JsValue) -> Option<u32> {
    v.as_f64().filter(|x| x.is_finite() && *x >= 1.0 && *x <= u32::MAX as f64).map(|x| x as u32)
}

/// Displayed size through `createImageBitmap` (EXIF orientation applied).
async fn bitmap_size(b: &Blob) -> Result<(u32, u32), JsValue> {
    let g = js_sys::global();
    let p: Promise = method(&g, "createImageBitmap")?.call1(&g, b)?.dyn_into()?;
    let bmp = with_timeout(p, ELEMENT_TIMEOUT_MS).await?;
    let size = (dim(get(&bmp, "width")), dim(get(&bmp, "height")));
    if let Ok(close) = method(&bmp, "close") {
        let _ = close.call0(&bmp);
    }
    match size {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(js_err("the browser reported no size")),
    }
}

/// Displayed size through an `<img>` (no CORS needed).
async fn img_size(url: &str) -> Result<(u32, u32), JsValue> {
    let ctor = method(&js_sys::global(), "Image")?;
    let img = Reflect::construct(&ctor, &Array::new())?;
    set(&img, "decoding", &JsValue::from_str("async"));
    set(&img, "src", &JsValue::from_str(url));
    let p: Promise = method(&img, "decode")?.call0(&img)?.dyn_into()?;
    with_timeout(p, ELEMENT_TIMEOUT_MS).await?;
    match (dim(get(&img, "naturalWidth")), dim(get(&img, "naturalHeight"))) {
        (Some(w), Some(h)) => Ok((w, h)),
        _ => Err(js_err("the browser reported no size")),
    }
}

/// Duration and displayed size through a `<video>` (metadata only, no CORS needed).
async fn video_element(url: &str) -> Result<(Option<f64>, Option<u32>, Option<u32>), JsValue> {
    let doc = get(&js_sys::global(), "document");
    if doc.is_undefined() || doc.is_null() {
        return Err(js_err("no document here (a Worker?): cannot use a <video> element"));
    }
    let video = method(&doc, "createElement")?.call1(&doc, &JsValue::from_str("video"))?;
    set(&video, "preload", &JsValue::from_str("metadata"));
    set(&video, "muted", &JsValue::TRUE);
    let loaded = Promise::new(&mut |resolve, reject| {
        set(&video, "onloadedmetadata", &resolve);
        set(&video, "onerror", &reject);
    });
    set(&video, "src", &JsValue::from_str(url));
    let r = with_timeout(loaded, ELEMENT_TIMEOUT_MS).await;
    let out = (
        get(&video, "duration").as_f64().filter(|d| d.is_finite() && *d > 0.0),
        dim(get(&video, "videoWidth")),
        dim(get(&video, "videoHeight")),
    );
    set(&video, "onloadedmetadata", &JsValue::NULL);
    set(&video, "onerror", &JsValue::NULL);
    if let Ok(remove) = method(&video, "removeAttribute") {
        let _ = remove.call1(&video, &JsValue::from_str("src"));
    }
    if let Ok(load) = method(&video, "load") {
        let _ = load.call0(&video);
    }
    r.map_err(|_| js_err("the browser could not load the video's metadata"))?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Exports

/// Measures an image from its header bytes (format, bytes, size, EXIF orientation), or
/// through the browser where the header cannot be read.
#[wasm_bindgen(js_name = inspectImage, unchecked_return_type = "Promise<ImageInfo>")]
pub fn inspect_image_js(#[wasm_bindgen(unchecked_param_type = "MediaSource")] source: JsValue) -> Promise {
    future_to_promise(async move {
        let (src, mut io) = to_source(&source)?;
        json(&inspect_image(&mut io, &src).await.to_json())
    })
}

/// Measures a video: MP4/MOV from `moov` (found through the top-level box headers), other
/// containers by their magic bytes, and through a `<video>` element where needed.
#[wasm_bindgen(js_name = inspectVideo, unchecked_return_type = "Promise<VideoInfo>")]
pub fn inspect_video_js(#[wasm_bindgen(unchecked_param_type = "MediaSource")] source: JsValue) -> Promise {
    future_to_promise(async move {
        let (src, mut io) = to_source(&source)?;
        json(&inspect_video(&mut io, &src).await.to_json())
    })
}

/// The picked files: `(images, video)`.
fn parse_files(files: &JsValue) -> Result<(Vec<Option<Blob>>, Option<Blob>), JsValue> {
    if files.is_undefined() || files.is_null() {
        return Ok((Vec::new(), None));
    }
    if !files.is_object() {
        return Err(argument_error("files must be an object { images?: (File|Blob|null)[], video?: File|Blob|null }"));
    }
    let blob = |v: JsValue, what: &str| -> Result<Option<Blob>, JsValue> {
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        v.dyn_into::<Blob>().map(Some).map_err(|_| argument_error(&format!("{what} must be a File, a Blob or null")))
    };
    let images = get(files, "images");
    let images = if images.is_undefined() || images.is_null() {
        Vec::new()
    } else {
        let arr: Array = images.dyn_into().map_err(|_| argument_error("files.images must be an array"))?;
        arr.iter().enumerate().map(|(i, v)| blob(v, &format!("files.images[{i}]"))).collect::<Result<_, _>>()?
    };
    Ok((images, blob(get(files, "video"), "files.video")?))
}

/// The loop's source for a planned medium.
fn medium(m: Medium<Blob>) -> (Source, BrowserIo) {
    match m {
        Medium::File(b) => (Source::File { size: b.size() as u64 }, BrowserIo::new(Some(b))),
        Medium::Named(src) => (src, BrowserIo::new(None)),
    }
}

/// Measures every image and the video of a request concurrently. Each measurement writes
/// its facts into its own slot here (no round trip through a JS value and back).
async fn measure(provider: Provider, request: &Value, files: &JsValue) -> Result<MediaFacts, JsValue> {
    let (blobs, video_blob) = parse_files(files)?;
    let media = plan(provider, request, blobs, video_blob);
    let facts = Rc::new(RefCell::new(MediaFacts { images: vec![None; media.images.len()], video: None }));
    let promises = Array::new();
    for (i, image) in media.images.into_iter().enumerate() {
        let slot = facts.clone();
        promises.push(&future_to_promise(async move {
            if let Some((src, mut io)) = image.map(medium) {
                let f = inspect_image(&mut io, &src).await.facts();
                slot.borrow_mut().images[i] = f;
            }
            Ok(JsValue::UNDEFINED)
        }));
    }
    let video = media.video;
    let slot = facts.clone();
    promises.push(&future_to_promise(async move {
        if let Some((src, mut io)) = video.map(medium) {
            let f = inspect_video(&mut io, &src).await.facts();
            slot.borrow_mut().video = f;
        }
        Ok(JsValue::UNDEFINED)
    }));
    JsFuture::from(Promise::all(&promises)).await?;
    let out = std::mem::take(&mut *facts.borrow_mut());
    Ok(out)
}

/// JSON text written here, as a JS value: one string across the boundary, one `JSON.parse`.
pub(super) fn json(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text).map_err(|_| argument_error("cannot convert the result"))
}

/// `MediaFacts` as JSON, as its `Serialize` writes it: `images` (`null` where unmeasured)
/// and `video` (`null` when unmeasured).
fn facts_json(f: &MediaFacts) -> String {
    let mut out = String::new();
    let mut o = JsonObject::open(&mut out);
    crate::write::push_array(o.key("images"), &f.images, |images, image| match image {
        Some(m) => {
            let mut m_o = JsonObject::open(images);
            m_o.str("format", m.format.as_deref());
            m_o.float("bytes", m.bytes);
            m_o.float("width", m.width);
            m_o.float("height", m.height);
            m_o.close();
        }
        None => images.push_str("null"),
    });
    let video = o.key("video");
    match &f.video {
        Some(v) => {
            let mut v_o = JsonObject::open(video);
            v_o.str("format", v.format.as_deref());
            v_o.float("bytes", v.bytes);
            v_o.float("duration", v.duration);
            v_o.float("width", v.width);
            v_o.float("height", v.height);
            v_o.float("fps", v.fps);
            v_o.close();
        }
        None => video.push_str("null"),
    }
    o.close();
    out
}

/// Measures the media of a request: each `image_list[i]` from `files.images[i]` or its
/// `image_url` (Base64 from its bytes, URLs through the browser), the video from
/// `files.video` or `video_list[0].video_url`. Unmeasured media are `null`.
#[wasm_bindgen(js_name = inspectRequest, unchecked_return_type = "Promise<MediaFacts>")]
pub fn inspect_request_js(
    #[wasm_bindgen(unchecked_param_type = "Provider")] provider: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RequestInput")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MediaFiles | null")] files: Option<JsValue>,
) -> Promise {
    future_to_promise(async move {
        let (provider, request) = parse_args(&provider, &request)?;
        let facts = measure(provider, &request, &files.unwrap_or(JsValue::UNDEFINED)).await?;
        json(&facts_json(&facts))
    })
}

/// Measures the media of a request (as `inspectRequest`), then validates it with those
/// facts; media that could not be measured are listed in `unverified`.
#[wasm_bindgen(js_name = validateWithMedia, unchecked_return_type = "Promise<Report>")]
pub fn validate_with_media_js(
    #[wasm_bindgen(unchecked_param_type = "Provider")] provider: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RequestInput")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MediaFiles | null")] files: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] options: Option<JsValue>,
) -> Promise {
    future_to_promise(async move {
        let (provider, request) = parse_args(&provider, &request)?;
        let locale = parse_locale(&options.unwrap_or(JsValue::UNDEFINED))?;
        let facts = measure(provider, &request, &files.unwrap_or(JsValue::UNDEFINED)).await?;
        let report = crate::rules::validate(provider, &request, &facts).map_err(|e| argument_error(&e.to_string()))?;
        report_to_js(&report, locale)
    })
}
