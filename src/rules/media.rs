//! Media: the form of `image_url` (an http(s) URL or raw Base64) and `video_url` (an http(s)
//! URL), and the documented limits of the files themselves.
//!
//! Facts come, in order of trust, from the bytes the request carries (Base64), from what the
//! browser measured ([`MediaFacts`]), and last from a URL's extension. Where nothing was
//! measured the size rules stay silent and the media is listed in `unverified`.

use super::base64;
use super::loc::Loc;
use super::view::{get, want_str, View};
use super::Ctx;
use crate::media::image::{read_header, HeaderError};
use crate::media::sniff::{sniff, Format};
use crate::model::{ImageFacts, MediaFacts, VideoFacts};
use crate::report::short;
use crate::report::{Code, Fix, Issue};

/// 10 MB = 10 × 1024 × 1024 bytes.
pub const IMAGE_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// The shorter side must be at least this many pixels.
pub const IMAGE_MIN_SIDE: u64 = 300;
/// Width/height must lie within 1:2.5 … 2.5:1 (as the fraction 5/2).
pub const IMAGE_MAX_RATIO: (u64, u64) = (5, 2);
/// 200 MB = 200 × 1024 × 1024 bytes.
pub const VIDEO_MAX_BYTES: u64 = 200 * 1024 * 1024;
/// The shortest video, in seconds.
pub const VIDEO_MIN_SECONDS: f64 = 3.0;
/// The longest video, both providers (revision 2: V3 too; Kling's spec: "Only supports videos
/// with a duration of ≥ 3 seconds and ≤ 10 seconds"): 10 s, read with the 0.05 s slack that
/// container durations of 10-second clips need (they often read 10.02–10.04 s).
pub const VIDEO_MAX_SECONDS: f64 = 10.05;
/// Width and height of a video must lie within this range (pixels).
pub const VIDEO_SIDE: (f64, f64) = (720.0, 2160.0);
/// Frame rate range.
pub const VIDEO_FPS: (f64, f64) = (24.0, 60.0);
/// How much of a Base64 image is decoded first to read its header: a PNG's is in its first
/// 33 bytes, most JPEGs' within a few KB; the loop below decodes more (at least doubling)
/// only where the header says it needs it. (64 KB at first cost every keystroke a decode of
/// 87 KB of Base64 for a header of a few dozen bytes.)
const HEADER_PREFIX: usize = 4 * 1024;
/// Never decode more than this while looking for a header (a JPEG's SOF can sit behind a
/// large EXIF thumbnail, but not behind more than the image's own 10 MB).
const HEADER_MAX: u64 = IMAGE_MAX_BYTES + 1024 * 1024;

const IMAGE_FORMATS_OK: &[&str] = &["jpeg", "jpg", "png"];
const IMAGE_EXT_OTHER: &[&str] =
    &["webp", "gif", "bmp", "heic", "heif", "tif", "tiff", "avif", "svg", "ico", "jxl", "jp2", "psd"];
const VIDEO_FORMATS_OK: &[&str] = &["mp4", "mov", "quicktime"];
const VIDEO_EXT_OTHER: &[&str] =
    &["webm", "avi", "mkv", "flv", "wmv", "mpg", "mpeg", "3gp", "ogv", "ts", "m2ts", "mts", "gif"];

/// Runs the media checks.
pub fn check(cx: &mut Ctx, v: &View, facts: &MediaFacts) {
    for (i, img) in v.images.iter().enumerate() {
        let Some(obj) = img.obj else { continue };
        let path = img.path().key("image_url");
        let Some(url) = get(obj, "image_url") else {
            cx.report(Code::Required, path);
            continue;
        };
        let Some(url) = want_str(cx, url, path) else { continue };
        image(cx, url, path, facts.images.get(i).and_then(Option::as_ref));
    }
    for (i, video) in v.videos.iter().enumerate() {
        let Some(obj) = video.obj else { continue };
        let path = video.path().key("video_url");
        let Some(url) = get(obj, "video_url") else {
            cx.report(Code::Required, path);
            continue;
        };
        let Some(url) = want_str(cx, url, path) else { continue };
        let measured = if i == 0 { facts.video.as_ref() } else { None };
        video_url(cx, url, path, measured);
    }
}

/// True for an absolute http(s) URL with a host and no whitespace.
pub fn is_http_url(s: &str) -> bool {
    let Some(rest) = strip_scheme(s) else { return false };
    // ASCII (nearly every URL): a byte test; else each character's Unicode classes.
    let bad = if s.is_ascii() {
        s.bytes().any(|b| b <= b' ' || b == 0x7f)
    } else {
        s.chars().any(|c| c.is_whitespace() || c.is_control())
    };
    if bad {
        return false;
    }
    let authority = &rest[..rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len())];
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map(|h| h.trim_start_matches('[')).unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    !host.is_empty() && !host.starts_with('.') && !host.ends_with("..")
}

fn strip_scheme(s: &str) -> Option<&str> {
    for scheme in ["https://", "http://"] {
        if s.len() >= scheme.len() && s.is_char_boundary(scheme.len()) && s[..scheme.len()].eq_ignore_ascii_case(scheme)
        {
            return Some(&s[scheme.len()..]);
        }
    }
    None
}

/// The lower-case extension of a URL's path (query and fragment removed), if any.
pub fn url_extension(url: &str) -> Option<String> {
    raw_extension(url).map(str::to_ascii_lowercase)
}

/// [`url_extension`] as written (no allocation).
fn raw_extension(url: &str) -> Option<&str> {
    let rest = strip_scheme(url).unwrap_or(url);
    // By bytes: `?`, `#`, `/` and `.` are ASCII, so every cut is at a char boundary.
    let path = &rest[..rest.bytes().position(|b| b == b'?' || b == b'#').unwrap_or(rest.len())];
    let file = &path[path.bytes().rposition(|b| b == b'/')? + 1..];
    let dot = file.bytes().rposition(|b| b == b'.')?;
    let (stem, ext) = (&file[..dot], &file[dot + 1..]);
    (!stem.is_empty() && !ext.is_empty()).then_some(ext)
}

/// The entry of a lower-case list that a name matches in any case (`"JPG"` → `"jpg"`).
fn find_ci(list: &[&'static str], name: &str) -> Option<&'static str> {
    list.iter().copied().find(|known| known.eq_ignore_ascii_case(name))
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn image(cx: &mut Ctx, url: &str, path: Loc, facts: Option<&ImageFacts>) {
    if let Some(long) = cx.long.and_then(|l| l.image_url(url)) {
        return long_image(cx, long, path);
    }
    if starts_with_ci(url, "data:") {
        // One fault: the prefix. When what follows is good Base64, its bytes are checked too.
        let (prefix, data) = match url.split_once(',') {
            Some((p, d)) => (p, d),
            None => (url, ""),
        };
        let mut issue = Issue::new(Code::Base64DataUriPrefix, path.path())
            .with("prefix", format!("{},", short(prefix)))
            .with("fix", "strip_prefix");
        // The fix: the Base64 alone (line breaks dropped too, the same edit's other half);
        // only where that is Base64 the API takes, else there is nothing sure to offer.
        let bare = without_whitespace(data);
        if base64::check(&bare).is_ok() {
            issue = issue.with_fix(Fix::replace(path.path(), bare));
        }
        cx.push(issue);
        if let Ok(len) = base64::check(data) {
            image_bytes(cx, &|n| base64::decode_prefix(data, n), len, path);
        }
        return;
    }
    if strip_scheme(url).is_some() {
        if !is_http_url(url) {
            cx.push(Issue::new(Code::ImageUrlInvalid, path.path()).with("reason", "bad_url"));
            return;
        }
        match facts.filter(|f| f.any_known()) {
            Some(f) => {
                image_facts(cx, path, f.format.as_deref(), "measured", f.bytes, f.width.zip(f.height));
                // NaN, infinities and negatives are not measurements (see `finite`).
                if f.format.is_none() || [f.bytes, f.width, f.height].into_iter().any(|x| finite(x).is_none()) {
                    cx.unverified.push(path.path());
                }
            }
            None => {
                if let Some(ext) = raw_extension(url).and_then(|e| find_ci(IMAGE_EXT_OTHER, e)) {
                    image_format(cx, path, ext, "extension");
                }
                cx.unverified.push(path.path());
            }
        }
        return;
    }
    match base64::check(url) {
        Ok(len) => image_bytes(cx, &|n| base64::decode_prefix(url, n), len, path),
        Err(problem) => {
            let mut issue = Issue::new(Code::ImageUrlInvalid, path.path()).with("reason", problem.as_str());
            if problem == base64::Problem::Whitespace {
                issue =
                    issue.with("fix", "remove_whitespace").with_fix(Fix::replace(path.path(), without_whitespace(url)));
            }
            cx.push(issue);
        }
    }
}

/// The text with every ASCII whitespace character (what [`base64::check`] reads as line
/// breaks) removed.
fn without_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_ascii_whitespace()).collect()
}

/// A long image handed over as its summary ([`super::long`]): the issues its whole string
/// gives, from its prefix, its length, its alphabet and as much of its head as the header needs.
/// Only `data:` text whose Base64 is from the alphabet, and Base64 from the alphabet, are
/// summarised (no URL, nothing with whitespace).
fn long_image(cx: &mut Ctx, long: super::long::LongImage<'_>, path: Loc) {
    let len = long.base64.and_then(|(chars, pad)| super::long::checked_len(chars, pad));
    let head = |n: usize| base64::decode_prefix(&(long.head)(n.div_ceil(3).saturating_mul(4)), n);
    match (&long.data_prefix, len) {
        (Some(prefix), len) => {
            let mut issue = Issue::new(Code::Base64DataUriPrefix, path.path())
                .with("prefix", format!("{},", short(prefix)))
                .with("fix", "strip_prefix");
            // As for the whole string: the Base64 alone, where the API takes it (it has no
            // whitespace to drop). The one case that copies the whole string in.
            if let (Some(_), Some((chars, _))) = (len, long.base64) {
                issue = issue
                    .with_fix(Fix::replace(path.path(), (long.head)(usize::try_from(chars).unwrap_or(usize::MAX))));
            }
            cx.push(issue);
            if let Some(len) = len {
                image_bytes(cx, &head, len, path);
            }
        }
        (None, Some(len)) => image_bytes(cx, &head, len, path),
        (None, None) => {
            cx.push(Issue::new(Code::ImageUrlInvalid, path.path()).with("reason", base64::Problem::Invalid.as_str()))
        }
    }
}

/// Checks a Base64 image from its own bytes, decoding only as much as its header needs:
/// `decode(n)` gives its first `n` bytes (fewer where it ends).
fn image_bytes(cx: &mut Ctx, decode: &dyn Fn(usize) -> Vec<u8>, len: u64, path: Loc) {
    let mut want = HEADER_PREFIX as u64;
    let header = loop {
        let n = want.min(len);
        let prefix = decode(usize::try_from(n).unwrap_or(usize::MAX));
        match read_header(&prefix) {
            Ok(h) => break Ok(h),
            // Each step at least doubles, up to the bound, so the loop ends.
            Err(HeaderError::NeedMore { len: more }) if n < len && n < HEADER_MAX => {
                want = more.max(n.saturating_mul(2)).min(HEADER_MAX);
            }
            Err(_) => break Err(sniff(&prefix)),
        }
    };
    let len_f = len as f64;
    match header {
        Ok(h) => image_facts(
            cx,
            path,
            Some(h.format.name()),
            "content",
            Some(len_f),
            Some((h.width as f64, h.height as f64)),
        ),
        Err(format) => {
            // The bytes are not a readable JPEG/PNG: a format fault, whatever the magic says.
            let actual = if format == Format::Unknown { "unknown" } else { format.name() };
            let mut issue = Issue::new(Code::ImageFormat, path.path())
                .with("actual", actual)
                .with("allowed", vec!["jpeg", "png"])
                .with("source", "content");
            if matches!(format, Format::Jpeg | Format::Png) {
                issue = issue.with("detail", "unreadable_header");
            }
            cx.push(issue);
            image_facts(cx, path, None, "content", Some(len_f), None);
        }
    }
}

fn image_format(cx: &mut Ctx, path: Loc, actual: &str, source: &'static str) {
    cx.push(
        Issue::new(Code::ImageFormat, path.path())
            .with("actual", short(actual))
            .with("allowed", vec!["jpeg", "png"])
            .with("source", source),
    );
}

/// A measured number the rules can use: not NaN, not infinite, not negative (a page that
/// divides by zero or parses garbage hands those in; they mean "not measured").
fn finite(x: Option<f64>) -> Option<f64> {
    x.filter(|v| v.is_finite() && *v >= 0.0)
}

/// The image rules on known facts; unknown facts are skipped.
fn image_facts(
    cx: &mut Ctx,
    path: Loc,
    format: Option<&str>,
    source: &'static str,
    bytes: Option<f64>,
    size: Option<(f64, f64)>,
) {
    if let Some(f) = format {
        if find_ci(IMAGE_FORMATS_OK, f).is_none() {
            image_format(cx, path, f, source);
        }
    }
    if let Some(b) = finite(bytes) {
        if b > IMAGE_MAX_BYTES as f64 {
            cx.push(
                Issue::new(Code::ImageTooLarge, path.path()).with("limit", IMAGE_MAX_BYTES).with("actual", b as u64),
            );
        }
    }
    let Some((w, h)) = size.and_then(|(w, h)| Some((finite(Some(w))?, finite(Some(h))?))) else { return };
    let (w, h) = (w.round() as u64, h.round() as u64);
    if w.min(h) < IMAGE_MIN_SIDE {
        cx.push(
            Issue::new(Code::ImageTooSmall, path.path()).with("min", IMAGE_MIN_SIDE).with("width", w).with("height", h),
        );
    }
    let (num, den) = IMAGE_MAX_RATIO;
    // Inclusive: exactly 2.5:1 passes. Integer arithmetic, no rounding.
    let too_wide = (w as u128) * (den as u128) > (h as u128) * (num as u128);
    let too_tall = (h as u128) * (den as u128) > (w as u128) * (num as u128);
    if (too_wide || too_tall) && w > 0 && h > 0 {
        let ratio = (w as f64 / h as f64 * 100.0).round() / 100.0;
        cx.push(
            Issue::new(Code::ImageAspectRatio, path.path())
                .with("width", w)
                .with("height", h)
                .with("ratio", ratio)
                .with("min", "1:2.5")
                .with("max", "2.5:1"),
        );
    }
}

fn video_url(cx: &mut Ctx, url: &str, path: Loc, facts: Option<&VideoFacts>) {
    if !is_http_url(url) {
        cx.push(Issue::new(Code::VideoUrlInvalid, path.path()).with("actual", short(url)));
        return;
    }
    match facts.filter(|f| f.any_known()) {
        Some(f) => {
            video_facts(cx, path, f);
            let complete = f.format.is_some()
                && [f.bytes, f.duration, f.width, f.height, f.fps].into_iter().all(|x| finite(x).is_some());
            if !complete {
                cx.unverified.push(path.path());
            }
        }
        None => {
            // Only an extension that names another video type is a fault; no extension, or one
            // we do not know, leaves the video unverified, not invalid.
            if let Some(ext) = raw_extension(url).and_then(|e| find_ci(VIDEO_EXT_OTHER, e)) {
                video_format(cx, path, ext, "extension");
            }
            cx.unverified.push(path.path());
        }
    }
}

fn video_format(cx: &mut Ctx, path: Loc, actual: &str, source: &'static str) {
    cx.push(
        Issue::new(Code::VideoFormat, path.path())
            .with("actual", short(actual))
            .with("allowed", vec!["mp4", "mov"])
            .with("source", source),
    );
}

fn video_facts(cx: &mut Ctx, path: Loc, f: &VideoFacts) {
    if let Some(fmt) = &f.format {
        if find_ci(VIDEO_FORMATS_OK, fmt).is_none() {
            video_format(cx, path, fmt, "measured");
        }
    }
    if let Some(b) = finite(f.bytes) {
        if b > VIDEO_MAX_BYTES as f64 {
            cx.push(
                Issue::new(Code::VideoTooLarge, path.path()).with("limit", VIDEO_MAX_BYTES).with("actual", b as u64),
            );
        }
    }
    if let Some(d) = finite(f.duration) {
        if !(VIDEO_MIN_SECONDS..=VIDEO_MAX_SECONDS).contains(&d) {
            cx.push(
                Issue::new(Code::VideoDuration, path.path())
                    .with("actual", (d * 100.0).round() / 100.0)
                    .with("min", VIDEO_MIN_SECONDS)
                    .with("max", VIDEO_MAX_SECONDS),
            );
        }
    }
    if let (Some(w), Some(h)) = (finite(f.width), finite(f.height)) {
        let (lo, hi) = VIDEO_SIDE;
        if !(lo..=hi).contains(&w) || !(lo..=hi).contains(&h) {
            cx.push(
                Issue::new(Code::VideoResolution, path.path())
                    .with("width", w as u64)
                    .with("height", h as u64)
                    .with("min", lo as u64)
                    .with("max", hi as u64),
            );
        }
    }
    if let Some(fps) = finite(f.fps) {
        let (lo, hi) = VIDEO_FPS;
        if !(lo..=hi).contains(&fps) {
            cx.push(
                Issue::new(Code::VideoFps, path.path())
                    .with("actual", (fps * 100.0).round() / 100.0)
                    .with("min", lo as u64)
                    .with("max", hi as u64),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_urls() {
        assert!(is_http_url("https://example.com/a.jpg"));
        assert!(is_http_url("HTTP://example.com"));
        assert!(is_http_url("https://user@[::1]:8080/x?y#z"));
        assert!(!is_http_url("https://"));
        assert!(!is_http_url("https:///a.jpg"));
        assert!(!is_http_url("ftp://example.com/a.jpg"));
        assert!(!is_http_url("example.com/a.jpg"));
        assert!(!is_http_url("https://exa mple.com/a.jpg"));
        assert!(!is_http_url("blob:https://example.com/uuid"));
    }

    #[test]
    fn extensions() {
        assert_eq!(url_extension("https://x.com/a/b.JPG?x=1.png#f.gif").as_deref(), Some("jpg"));
        assert_eq!(url_extension("https://x.com/a/b").as_deref(), None);
        assert_eq!(url_extension("https://x.com").as_deref(), None);
        assert_eq!(url_extension("https://x.com/.hidden").as_deref(), None);
        assert_eq!(url_extension("https://x.com/v.tar.webm").as_deref(), Some("webm"));
    }
}
