//! `inspectImage`, `inspectVideo`, `inspectRequest` and `validateWithMedia`: media measured
//! in the browser with bounded reads, then handed to the validator.
//!
//! Where the bytes come from:
//! - a `File`/`Blob`: `Blob.slice` + `arrayBuffer()`, only the ranges the readers ask for;
//! - an http(s) or `blob:` URL: `fetch` with a `Range` header (CORS permitting); where the
//!   server ignores `Range`, the body stream is read only as far as needed and cancelled;
//!   where `fetch` fails (no CORS), an `<img>`/`<video>` element measures what it can, and
//!   the format, the size in bytes and the frame rate are reported unknown;
//! - Base64: only the groups covering the asked ranges are decoded.
//!
//! Images: a 16 KB prefix first, then as far as the header reader asks (doubling, capped
//! at 11 MB), so a JPEG whose frame header lies in its first 64 KB costs at most 64 KB.
//! Videos: the first 4 KB (format), then the top-level box headers and `moov` only.
//! `fetch`, `createImageBitmap` and `URL` are taken from `globalThis`, so Blob and CORS
//! paths also work in a Worker (elements need a `document`).

use super::validate::{argument_error, parse_args, parse_locale, report_to_js, to_js};
use crate::media::bmff::{moov_at_end, parse_moov, MoovLocator, Step, VideoHeader};
use crate::media::image::{read_header, HeaderError, ImageHeader};
use crate::media::sniff::{sniff, Format};
use crate::model::{ImageFacts, MediaFacts, Provider, VideoFacts};
use crate::rules::base64;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use serde::Serialize;
use serde_json::Value;
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

/// The first read of an image.
const IMAGE_FIRST_READ: u64 = 16 * 1024;
/// Never read more than this looking for an image header (10 MB images, plus slack).
const IMAGE_READ_MAX: u64 = 11 * 1024 * 1024;
/// The first read of a video: enough to sniff, and often `ftyp` plus the next headers.
const VIDEO_FIRST_READ: u64 = 4096;
/// Bytes read from the end of a video whose `moov` is not near the start: `moov` at the end
/// of a short clip fits, and is found in that one read (see [`moov_at_end`]).
const VIDEO_TAIL_READ: u64 = 8192;
/// The most read from a server that ignores `Range` (the body is streamed from the start).
const STREAM_MAX: u64 = IMAGE_READ_MAX;
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

/// Where the bytes come from.
#[derive(Clone)]
enum Source {
    Blob(Blob),
    Url(String),
    Base64(String),
}

fn to_source(v: &JsValue) -> Result<Source, JsValue> {
    if let Some(b) = v.dyn_ref::<Blob>() {
        return Ok(Source::Blob(b.clone()));
    }
    if let Some(s) = v.as_string() {
        return source_str(&s)
            .ok_or_else(|| argument_error("a string source must be an http(s) or blob: URL, or Base64"));
    }
    Err(argument_error("source must be a File, a Blob, a URL or Base64 text"))
}

fn source_str(s: &str) -> Option<Source> {
    let head: String = s.chars().take(8).collect::<String>().to_ascii_lowercase();
    if head.starts_with("http://") || head.starts_with("https://") || head.starts_with("blob:") {
        return Some(Source::Url(s.to_string()));
    }
    if head.starts_with("data:") {
        let at = s.find(";base64,")?;
        return Some(Source::Base64(s.get(at + 8..)?.to_string()));
    }
    base64::check(s).ok()?;
    Some(Source::Base64(s.to_string()))
}

/// Reads byte ranges of one source, counting what it reads.
struct Reader {
    src: Source,
    /// Total size, once known.
    size: Option<u64>,
    /// Bytes read (received, or decoded) so far.
    read: u64,
}

impl Reader {
    fn new(src: Source) -> Result<Self, String> {
        let size = match &src {
            Source::Blob(b) => Some(b.size() as u64),
            Source::Url(_) => None,
            Source::Base64(s) => Some(base64::check(s).map_err(|p| format!("not valid Base64 ({})", p.as_str()))?),
        };
        Ok(Reader { src, size, read: 0 })
    }

    /// Up to `len` bytes at `offset`; fewer where the source ends.
    async fn read(&mut self, offset: u64, len: u64) -> Result<Vec<u8>, JsValue> {
        let end = match self.size {
            Some(size) => offset.saturating_add(len).min(size),
            None => offset.saturating_add(len),
        };
        if end <= offset {
            return Ok(Vec::new());
        }
        let bytes = match &self.src {
            Source::Blob(b) => {
                let part = b.slice_with_f64_and_f64(offset as f64, end as f64)?;
                let buf = JsFuture::from(part.array_buffer()).await?;
                let v = Uint8Array::new(&buf).to_vec();
                self.read += v.len() as u64;
                v
            }
            Source::Base64(s) => {
                let v = base64::decode_range(s, offset, end - offset);
                self.read += v.len() as u64;
                v
            }
            Source::Url(url) => {
                let (v, received, total) = fetch_range(url, offset, end - offset).await?;
                self.read += received;
                if self.size.is_none() {
                    self.size = total;
                }
                v
            }
        };
        Ok(bytes)
    }
}

/// `fetch` with a `Range` header. Returns the bytes, the bytes received and the file size
/// where the answer tells it. A server that ignores `Range` (200) is read only as far as
/// needed.
async fn fetch_range(url: &str, offset: u64, len: u64) -> Result<(Vec<u8>, u64, Option<u64>), JsValue> {
    let g = js_sys::global();
    let init = Object::new();
    let headers = Object::new();
    let last = offset + len - 1;
    set(&headers, "Range", &JsValue::from_str(&format!("bytes={offset}-{last}")));
    set(&init, "headers", &headers);
    let p: Promise = method(&g, "fetch")?.call2(&g, &JsValue::from_str(url), &init)?.dyn_into()?;
    let resp: Response = JsFuture::from(p).await?.dyn_into()?;
    let header = |name: &str| resp.headers().get(name).ok().flatten();
    match resp.status() {
        206 => {
            let total =
                header("content-range").and_then(|r| r.rsplit('/').next().and_then(|t| t.trim().parse::<u64>().ok()));
            let buf = JsFuture::from(resp.array_buffer()?).await?;
            let mut v = Uint8Array::new(&buf).to_vec();
            let received = v.len() as u64;
            v.truncate(len as usize);
            Ok((v, received, total))
        }
        200 => {
            let total = header("content-length").and_then(|l| l.trim().parse::<u64>().ok());
            if offset + len > STREAM_MAX {
                // The server ignores `Range`: reaching these bytes means downloading all
                // before them. Refuse; the caller falls back to an element.
                let body = get(&resp, "body");
                if let Ok(cancel) = method(&body, "cancel") {
                    let _ = cancel.call0(&body);
                }
                return Err(js_err(format!(
                    "the server ignores Range requests; not downloading {} bytes to reach offset {offset}",
                    offset + len
                )));
            }
            let (v, received) = stream_prefix(&resp, offset + len).await?;
            let start = (offset as usize).min(v.len());
            let end = ((offset + len) as usize).min(v.len());
            Ok((v.get(start..end).unwrap_or(&[]).to_vec(), received, total))
        }
        status => Err(js_err(format!("HTTP {status}"))),
    }
}

/// The first `upto` bytes of a response body (the stream is cancelled after them).
async fn stream_prefix(resp: &Response, upto: u64) -> Result<(Vec<u8>, u64), JsValue> {
    let body = get(resp, "body");
    if body.is_null() || body.is_undefined() {
        return Ok((Vec::new(), 0));
    }
    let reader = method(&body, "getReader")?.call0(&body)?;
    let read = method(&reader, "read")?;
    let mut out = Vec::new();
    let mut received = 0u64;
    while received < upto {
        let chunk = JsFuture::from(read.call0(&reader)?.dyn_into::<Promise>()?).await?;
        if get(&chunk, "done").as_bool().unwrap_or(true) {
            break;
        }
        let value: Uint8Array = get(&chunk, "value").dyn_into()?;
        received += value.length() as u64;
        let keep = (upto.saturating_sub(out.len() as u64)).min(value.length() as u64) as u32;
        out.extend(value.subarray(0, keep).to_vec());
    }
    if let Ok(cancel) = method(&reader, "cancel") {
        let _ = cancel.call0(&reader);
    }
    Ok((out, received))
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
// Images

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct ImageInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stored_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stored_height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    orientation: Option<u8>,
    bytes_read: f64,
    measured_by: &'static str,
    unknown: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The names of the facts that are not known, for `unknown`.
fn missing(facts: &[(bool, &'static str)]) -> Vec<&'static str> {
    facts.iter().filter(|(known, _)| !known).map(|(_, name)| *name).collect()
}

impl ImageInfo {
    fn finish(mut self) -> Self {
        self.unknown = missing(&[
            (self.format.is_some(), "format"),
            (self.bytes.is_some(), "bytes"),
            (self.width.is_some(), "width"),
            (self.height.is_some(), "height"),
        ]);
        self
    }

    fn facts(&self) -> Option<ImageFacts> {
        let f = ImageFacts {
            format: self.format.clone(),
            bytes: self.bytes,
            width: self.width.map(f64::from),
            height: self.height.map(f64::from),
        };
        f.any_known().then_some(f)
    }

    fn set_header(&mut self, h: &ImageHeader) {
        let (w, hh) = h.displayed();
        self.format = Some(h.format.name().to_string());
        self.width = Some(w);
        self.height = Some(hh);
        self.stored_width = Some(h.width);
        self.stored_height = Some(h.height);
        self.orientation = h.orientation;
        self.measured_by = "header";
    }
}

/// Reads a growing prefix until the header reader answers. Returns its answer and the prefix.
async fn image_prefix(r: &mut Reader) -> Result<(Result<ImageHeader, HeaderError>, Vec<u8>), JsValue> {
    let mut buf: Vec<u8> = Vec::new();
    let mut want = IMAGE_FIRST_READ;
    // Each round at least doubles `want` up to IMAGE_READ_MAX: at most ~11 rounds.
    for _ in 0..32 {
        let have = buf.len() as u64;
        let more = r.read(have, want - have).await?;
        let eof = (more.len() as u64) < want - have;
        buf.extend(more);
        match read_header(&buf) {
            Err(HeaderError::NeedMore { len }) if !eof && len <= IMAGE_READ_MAX => {
                want = len.max(want.saturating_mul(2)).min(IMAGE_READ_MAX).max(len);
            }
            other => return Ok((other, buf)),
        }
    }
    Ok((Err(HeaderError::Malformed("header not found")), buf))
}

fn header_error_text(e: HeaderError) -> String {
    match e {
        HeaderError::NeedMore { .. } => "the file ends before its header does".to_string(),
        e => e.to_string(),
    }
}

async fn inspect_image(src: Source) -> ImageInfo {
    let mut info = ImageInfo { measured_by: "none", ..Default::default() };
    let mut reader = match Reader::new(src.clone()) {
        Ok(r) => r,
        Err(e) => {
            info.error = Some(e);
            return info.finish();
        }
    };
    match image_prefix(&mut reader).await {
        Ok((Ok(h), _)) => info.set_header(&h),
        Ok((Err(e), prefix)) => {
            let f = sniff(&prefix);
            if f != Format::Unknown {
                info.format = Some(f.name().to_string());
            }
            info.error = Some(header_error_text(e));
            // Let the browser measure what the header reader could not.
            let measured = match &src {
                Source::Blob(b) => bitmap_size(b).await.map(|s| (s, "bitmap")),
                Source::Url(u) => img_size(u).await.map(|s| (s, "element")),
                Source::Base64(_) => Err(JsValue::UNDEFINED),
            };
            if let Ok(((w, h), by)) = measured {
                info.width = Some(w);
                info.height = Some(h);
                info.measured_by = by;
            }
        }
        Err(e) => {
            // No bytes (a URL without CORS, a network error): the element measures the size.
            if let Source::Url(u) = &src {
                match img_size(u).await {
                    Ok((w, h)) => {
                        info.width = Some(w);
                        info.height = Some(h);
                        info.measured_by = "element";
                    }
                    Err(e2) => info.error = Some(format!("{}; {}", error_text(&e), error_text(&e2))),
                }
            } else {
                info.error = Some(error_text(&e));
            }
        }
    }
    info.bytes = reader.size.map(|s| s as f64);
    info.bytes_read = reader.read as f64;
    info.finish()
}

// ---------------------------------------------------------------------------------------
// Videos

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct VideoInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bytes: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fps: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stored_width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stored_height: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rotation: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fps_min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fps_max: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    variable_fps: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    codec: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    has_audio: Option<bool>,
    bytes_read: f64,
    measured_by: &'static str,
    unknown: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl VideoInfo {
    fn finish(mut self) -> Self {
        self.unknown = missing(&[
            (self.format.is_some(), "format"),
            (self.bytes.is_some(), "bytes"),
            (self.duration.is_some(), "duration"),
            (self.width.is_some(), "width"),
            (self.height.is_some(), "height"),
            (self.fps.is_some(), "fps"),
        ]);
        self
    }

    fn facts(&self) -> Option<VideoFacts> {
        let f = VideoFacts {
            format: self.format.clone(),
            bytes: self.bytes,
            duration: self.duration,
            width: self.width.map(f64::from),
            height: self.height.map(f64::from),
            fps: self.fps,
        };
        f.any_known().then_some(f)
    }

    fn set_header(&mut self, h: &VideoHeader) {
        let (w, hh) = h.displayed();
        self.format = Some(h.format.name().to_string());
        self.duration = h.duration;
        self.width = w;
        self.height = hh;
        self.stored_width = h.width;
        self.stored_height = h.height;
        self.rotation = Some(h.rotation);
        self.fps = h.fps.map(|f| f.avg);
        self.fps_min = h.fps.map(|f| f.min);
        self.fps_max = h.fps.map(|f| f.max);
        self.variable_fps = h.fps.map(|f| f.variable);
        self.codec = h.codec.clone();
        self.has_audio = Some(h.has_audio);
        self.measured_by = "header";
    }
}

/// Sniffs, walks the top-level boxes to `moov` and parses it. The outer error is a failed
/// read; the inner one a file this reader cannot measure.
async fn video_header(r: &mut Reader) -> Result<(Format, Result<VideoHeader, String>), JsValue> {
    let head = r.read(0, VIDEO_FIRST_READ).await?;
    let format = sniff(&head);
    if !format.is_bmff_video() {
        let what = if format == Format::Unknown { "an unknown format".to_string() } else { format.name().to_string() };
        return Ok((format, Err(format!("{what} is not MP4 or MOV: only its format is read"))));
    }
    let Some(size) = r.size else {
        return Ok((format, Err("the server did not tell the file's size".to_string())));
    };
    let cached = |offset: u64, len: u64| -> Option<Vec<u8>> {
        let end = offset.checked_add(len)?;
        head.get(usize::try_from(offset).ok()?..usize::try_from(end).ok()?).map(<[u8]>::to_vec)
    };
    let mut loc = MoovLocator::new(size);
    let mut step = loc.start();
    // The tail of the file, read at the walk's first header outside the head: where `moov` is
    // last (no "fast start"), it is found there and the file costs two reads, not one a box.
    let mut tail: Option<(u64, Vec<u8>)> = None;
    let in_tail = |tail: &Option<(u64, Vec<u8>)>, offset: u64, len: u64| -> Option<Vec<u8>> {
        let (start, t) = tail.as_ref()?;
        let at = usize::try_from(offset.checked_sub(*start)?).ok()?;
        t.get(at..at.checked_add(usize::try_from(len).ok()?)?).map(<[u8]>::to_vec)
    };
    // MoovLocator ends the walk after MAX_TOP_BOXES headers.
    loop {
        match step {
            Step::Read { offset, len } => {
                if tail.is_none() && cached(offset, len).is_none() {
                    let start = size.saturating_sub(VIDEO_TAIL_READ).max(offset);
                    let bytes = r.read(start, size.saturating_sub(start)).await?;
                    if let Some(moov) = moov_at_end(&bytes) {
                        if let Ok(h) = parse_moov(format, moov) {
                            return Ok((format, Ok(h)));
                        }
                    }
                    tail = Some((start, bytes));
                }
                let bytes = match cached(offset, len).or_else(|| in_tail(&tail, offset, len)) {
                    Some(b) => b,
                    None => r.read(offset, len).await?,
                };
                step = match loc.feed(&bytes) {
                    Ok(s) => s,
                    Err(e) => return Ok((format, Err(e.to_string()))),
                };
            }
            Step::Moov { offset, len } => {
                let bytes = match cached(offset, len).or_else(|| in_tail(&tail, offset, len)) {
                    Some(b) => b,
                    None => r.read(offset, len).await?,
                };
                if (bytes.len() as u64) < len {
                    return Ok((format, Err("the file ends inside moov".to_string())));
                }
                return Ok((format, parse_moov(format, &bytes).map_err(|e| e.to_string())));
            }
        }
    }
}

async fn inspect_video(src: Source) -> VideoInfo {
    let mut info = VideoInfo { measured_by: "none", ..Default::default() };
    let mut reader = match Reader::new(src.clone()) {
        Ok(r) => r,
        Err(e) => {
            info.error = Some(e);
            return info.finish();
        }
    };
    let mut fallback = false;
    match video_header(&mut reader).await {
        Ok((_, Ok(h))) => info.set_header(&h),
        Ok((format, Err(e))) => {
            if format != Format::Unknown {
                info.format = Some(format.name().to_string());
            }
            info.error = Some(e);
            fallback = true;
        }
        Err(e) => {
            info.error = Some(error_text(&e));
            fallback = true;
        }
    }
    if fallback {
        let url = match &src {
            Source::Blob(b) => object_url(b).ok(),
            Source::Url(u) => Some(u.clone()),
            Source::Base64(_) => None,
        };
        if let Some(url) = url {
            match video_element(&url).await {
                Ok((d, w, h)) => {
                    info.duration = d;
                    info.width = w;
                    info.height = h;
                    info.measured_by = "element";
                }
                Err(e) => {
                    let before = info.error.take().unwrap_or_default();
                    info.error = Some(format!("{before}; {}", error_text(&e)));
                }
            }
            if matches!(src, Source::Blob(_)) {
                revoke(&url);
            }
        }
    }
    info.bytes = reader.size.map(|s| s as f64);
    info.bytes_read = reader.read as f64;
    info.finish()
}

// ---------------------------------------------------------------------------------------
// Exports

/// Measures an image from its header bytes (format, bytes, size, EXIF orientation), or
/// through the browser where the header cannot be read.
#[wasm_bindgen(js_name = inspectImage, unchecked_return_type = "Promise<ImageInfo>")]
pub fn inspect_image_js(#[wasm_bindgen(unchecked_param_type = "MediaSource")] source: JsValue) -> Promise {
    future_to_promise(async move {
        let src = to_source(&source)?;
        to_js(&inspect_image(src).await)
    })
}

/// Measures a video: MP4/MOV from `moov` (found through the top-level box headers), other
/// containers by their magic bytes, and through a `<video>` element where needed.
#[wasm_bindgen(js_name = inspectVideo, unchecked_return_type = "Promise<VideoInfo>")]
pub fn inspect_video_js(#[wasm_bindgen(unchecked_param_type = "MediaSource")] source: JsValue) -> Promise {
    future_to_promise(async move {
        let src = to_source(&source)?;
        to_js(&inspect_video(src).await)
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

/// The `image_url`s and the first `video_url` of a request, as written.
fn request_media(provider: Provider, request: &Value) -> (Vec<Option<String>>, Option<String>) {
    let params = match provider.description().layout {
        crate::provider::Layout::Flat => Some(request),
        crate::provider::Layout::Nested => request.get("parameters"),
    };
    let list = |key: &str| params.and_then(|p| p.get(key)).and_then(Value::as_array).cloned().unwrap_or_default();
    let images =
        list("image_list").iter().map(|i| i.get("image_url").and_then(Value::as_str).map(str::to_string)).collect();
    let video = list("video_list").first().and_then(|v| v.get("video_url")).and_then(Value::as_str).map(str::to_string);
    (images, video)
}

/// Measures every image and the video of a request concurrently.
async fn measure(provider: Provider, request: &Value, files: &JsValue) -> Result<MediaFacts, JsValue> {
    let (blobs, video_blob) = parse_files(files)?;
    let (urls, video_url) = request_media(provider, request);
    let count = urls.len().max(blobs.len());
    let promises = Array::new();
    for i in 0..count {
        let src = match blobs.get(i).cloned().flatten() {
            Some(b) => Some(Source::Blob(b)),
            None => urls.get(i).cloned().flatten().and_then(|u| source_str(&u)),
        };
        promises.push(&future_to_promise(async move {
            let facts = match src {
                Some(s) => inspect_image(s).await.facts(),
                None => None,
            };
            to_js(&facts)
        }));
    }
    let video_src = match video_blob {
        Some(b) => Some(Source::Blob(b)),
        None => video_url.and_then(|u| match source_str(&u) {
            Some(Source::Url(u)) => Some(Source::Url(u)),
            _ => None,
        }),
    };
    promises.push(&future_to_promise(async move {
        let facts = match video_src {
            Some(s) => inspect_video(s).await.facts(),
            None => None,
        };
        to_js(&facts)
    }));
    let all: Array = JsFuture::from(Promise::all(&promises)).await?.dyn_into()?;
    let mut facts = MediaFacts::default();
    let n = all.length();
    fn parsed<T: serde::de::DeserializeOwned>(v: JsValue) -> Result<T, JsValue> {
        serde_wasm_bindgen::from_value(v).map_err(|e| js_err(e.to_string()))
    }
    for (i, v) in all.iter().enumerate() {
        if i + 1 == n as usize {
            facts.video = parsed(v)?;
        } else {
            facts.images.push(parsed(v)?);
        }
    }
    Ok(facts)
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
        to_js(&facts)
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
