//! What `prepareImage` changes to make an image pass every image rule, decided here without
//! a browser: whether the file passes as it is (from its header), the canvas and the pad or
//! crop box, the scale, and the encoding steps (JPEG quality, then size) until the bytes fit.
//! `src/wasm/prepare.rs` only decodes, draws and encodes what this module says.
//!
//! The rules it meets are those of `crate::rules::media`: JPEG or PNG, at most 10 MB (and at
//! most the caller's `max_bytes`), shorter side at least 300 px, aspect ratio within
//! 1:2.5 … 2.5:1 (inclusive, integer arithmetic, as the validator checks it).

use crate::rules::media::{IMAGE_MAX_BYTES, IMAGE_MAX_RATIO, IMAGE_MIN_SIDE};
use serde_json::Value;

/// The largest canvas drawn, in pixels (4096 × 4096): every browser's canvas allows it, and
/// a photo that large is still well over what the API needs. Only a padded panorama or a
/// huge source reaches it.
pub const MAX_CANVAS_AREA: u64 = 4096 * 4096;
/// JPEG qualities tried first, at full size (0.92 is the browsers' own default).
pub const QUALITIES: [f64; 3] = [0.92, 0.85, 0.75];
/// JPEG qualities tried last, when the image cannot get smaller (its shorter side is 300).
pub const LAST_QUALITIES: [f64; 2] = [0.6, 0.45];
/// At most this many encodings (each scale step shrinks the area by a fifth at least, and
/// stops at a 300 px shorter side, so the ladder ends sooner on any real image).
pub const MAX_ATTEMPTS: usize = 24;

/// How an aspect ratio outside 1:2.5 … 2.5:1 is brought inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fit {
    /// Add bands of the background colour (nothing of the image is lost).
    #[default]
    Pad,
    /// Cut the sides (or top and bottom) off, keeping the centre.
    Crop,
}

/// The encoded format of the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    /// `image/jpeg`.
    Jpeg,
    /// `image/png` (a source with transparency, while it fits).
    Png,
}

impl OutFormat {
    /// `"jpeg"` or `"png"`, as `inspectImage` names them.
    pub fn name(self) -> &'static str {
        match self {
            OutFormat::Jpeg => "jpeg",
            OutFormat::Png => "png",
        }
    }

    /// The MIME type for `convertToBlob`.
    pub fn mime(self) -> &'static str {
        match self {
            OutFormat::Jpeg => "image/jpeg",
            OutFormat::Png => "image/png",
        }
    }
}

/// The options of `prepareImage`.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The byte limit: at most 10 MB whatever is asked.
    pub max_bytes: u64,
    /// Pad or crop.
    pub fit: Fit,
    /// The padding colour (and what transparency becomes in a JPEG), `#rrggbb`.
    pub background: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_bytes: IMAGE_MAX_BYTES, fit: Fit::Pad, background: "#000000".into() }
    }
}

/// A malformed option or an image that cannot be made to fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitError {
    /// `background` is not `#rgb` or `#rrggbb`.
    Background(String),
    /// `maxBytes` is not a positive whole number.
    MaxBytes,
    /// The image has no pixels.
    Empty,
    /// Even at a 300 px shorter side and the lowest quality it is over the byte limit.
    CannotFit {
        /// The smallest size reached, in bytes.
        smallest: u64,
        /// The limit.
        limit: u64,
    },
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::Background(b) => write!(f, "options.background must be a colour such as \"#000000\", got {b:?}"),
            FitError::MaxBytes => f.write_str("options.maxBytes must be a positive whole number of bytes"),
            FitError::Empty => f.write_str("the image has no pixels"),
            FitError::CannotFit { smallest, limit } => {
                write!(f, "the image cannot be made smaller than {smallest} bytes; the limit is {limit}")
            }
        }
    }
}

impl std::error::Error for FitError {}

/// `#rgb` or `#rrggbb` (any case), as `#rrggbb` in lower case.
pub fn parse_background(s: &str) -> Result<String, FitError> {
    let hex = s.strip_prefix('#').filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    match hex.map(|h| h.to_ascii_lowercase()) {
        Some(h) if h.len() == 6 => Ok(format!("#{h}")),
        Some(h) if h.len() == 3 => Ok(h.chars().fold(String::from("#"), |mut o, c| {
            o.push(c);
            o.push(c);
            o
        })),
        _ => Err(FitError::Background(crate::report::short(s))),
    }
}

/// The limit actually applied: `max_bytes`, but never more than 10 MB.
pub fn byte_limit(max_bytes: u64) -> u64 {
    max_bytes.min(IMAGE_MAX_BYTES)
}

/// True when the shorter side is at least 300 px.
pub fn big_enough(w: u64, h: u64) -> bool {
    w.min(h) >= IMAGE_MIN_SIDE
}

/// True when the aspect ratio lies within 1:2.5 … 2.5:1 (inclusive), exactly as the
/// validator checks it.
pub fn ratio_ok(w: u64, h: u64) -> bool {
    let (num, den) = IMAGE_MAX_RATIO;
    let (w, h) = (u128::from(w), u128::from(h));
    w * u128::from(den) <= h * u128::from(num) && h * u128::from(den) <= w * u128::from(num)
}

/// True when a file with these header facts passes every image rule as it is (so it is
/// returned untouched, with no decode). `width`/`height` as displayed or stored: the rules
/// do not depend on orientation.
pub fn passes(format: &str, bytes: u64, width: u32, height: u32, max_bytes: u64) -> bool {
    matches!(format, "jpeg" | "png")
        && bytes <= byte_limit(max_bytes)
        && big_enough(width.into(), height.into())
        && ratio_ok(width.into(), height.into())
}

/// A rectangle, in pixels (fractions allowed where a scale gives them).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// One thing `prepareImage` did, with the values behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// A stable code: `converted`, `rotated`, `padded`, `cropped`, `scaled_up`,
    /// `scaled_down`, `quality_lowered`, `transparency_flattened`.
    pub code: &'static str,
    /// Its values (`from`, `to`, `width`, `height`, …).
    pub params: Vec<(&'static str, Value)>,
}

impl Change {
    fn new(code: &'static str) -> Self {
        Change { code, params: Vec::new() }
    }

    fn with(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.params.push((key, value.into()));
        self
    }

    /// A param by name.
    pub fn param(&self, key: &str) -> Option<&Value> {
        self.params.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// Where the decoded (upright) image goes: the canvas, the part of the image drawn and
/// where, and the changes that made them.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The canvas size.
    pub canvas: (u32, u32),
    /// The part of the upright image drawn (all of it unless cropped).
    pub src: Rect,
    /// Where it is drawn on the canvas (all of it unless padded).
    pub dst: Rect,
    /// Padding, cropping and scaling, in order.
    pub changes: Vec<Change>,
}

fn ratio_text(w: u64, h: u64) -> String {
    // "3:1", "1:3", or "2.95:1" for what is not a whole ratio. Integer arithmetic: Rust's
    // float formatting would cost the wasm build kilobytes (see `messages::fixed`).
    let (big, small) = (w.max(h), w.min(h).max(1));
    let hundredths = (u128::from(big) * 100 + u128::from(small) / 2) / u128::from(small);
    let r = if hundredths % 100 == 0 {
        format!("{}", hundredths / 100)
    } else {
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    };
    if w >= h {
        format!("{r}:1")
    } else {
        format!("1:{r}")
    }
}

/// The layout for an upright image of `width` × `height`: pad or crop an aspect ratio
/// outside the range, scale a shorter side under 300 px up to 300, and a canvas over
/// [`MAX_CANVAS_AREA`] down. Nothing else: an image that needs none of it is drawn as it is.
pub fn layout(width: u32, height: u32, fit: Fit, background: &str) -> Result<Layout, FitError> {
    if width == 0 || height == 0 {
        return Err(FitError::Empty);
    }
    let (w, h) = (u64::from(width), u64::from(height));
    let (num, den) = IMAGE_MAX_RATIO;
    let full = Rect { x: 0.0, y: 0.0, w: w as f64, h: h as f64 };
    let mut changes = Vec::new();
    let (mut cw, mut ch, mut src, mut dst) = (w, h, full, full);
    if !ratio_ok(w, h) {
        let wide = w * den > h * num;
        let from = ratio_text(w, h);
        match fit {
            Fit::Pad => {
                // The smallest band that brings the ratio to 2.5 exactly (rounded up).
                if wide {
                    ch = (w * den).div_ceil(num);
                    dst.y = ((ch - h) / 2) as f64;
                } else {
                    cw = (h * den).div_ceil(num);
                    dst.x = ((cw - w) / 2) as f64;
                }
                changes.push(
                    Change::new("padded")
                        .with("from", from)
                        .with("width", cw)
                        .with("height", ch)
                        .with("background", background),
                );
            }
            Fit::Crop => {
                if wide {
                    cw = (h * num / den).max(1);
                    src.x = ((w - cw) / 2) as f64;
                    src.w = cw as f64;
                } else {
                    ch = (w * num / den).max(1);
                    src.y = ((h - ch) / 2) as f64;
                    src.h = ch as f64;
                }
                dst = Rect { x: 0.0, y: 0.0, w: cw as f64, h: ch as f64 };
                changes.push(Change::new("cropped").with("from", from).with("width", cw).with("height", ch));
            }
        }
    }
    let (before_w, before_h) = (cw, ch);
    let (sw, sh) = if !big_enough(cw, ch) {
        let s = IMAGE_MIN_SIDE as f64 / cw.min(ch) as f64;
        fit_size(cw, ch, s)
    } else if cw * ch > MAX_CANVAS_AREA {
        fit_size(cw, ch, (MAX_CANVAS_AREA as f64 / (cw * ch) as f64).sqrt())
    } else {
        (cw, ch)
    };
    if (sw, sh) != (cw, ch) {
        let code = if sw > cw { "scaled_up" } else { "scaled_down" };
        let mut c = Change::new(code).with("from", vec![before_w, before_h]).with("to", vec![sw, sh]);
        if code == "scaled_down" {
            c = c.with("reason", "canvas");
        }
        changes.push(c);
        let (fx, fy) = (sw as f64 / cw as f64, sh as f64 / ch as f64);
        dst = Rect { x: dst.x * fx, y: dst.y * fy, w: dst.w * fx, h: dst.h * fy };
        cw = sw;
        ch = sh;
    }
    let canvas = (u32::try_from(cw).unwrap_or(u32::MAX), u32::try_from(ch).unwrap_or(u32::MAX));
    Ok(Layout { canvas, src, dst, changes })
}

/// `w` × `h` scaled by `s` and rounded, then nudged a pixel at a time until it passes the
/// side and ratio rules (rounding can cross a bound by one pixel), never under 300 px.
pub fn fit_size(w: u64, h: u64, s: f64) -> (u64, u64) {
    let scale = |x: u64| ((x as f64 * s).round() as u64).max(1);
    let (mut w2, mut h2) = (scale(w), scale(h));
    for _ in 0..4 {
        if w2.min(h2) < IMAGE_MIN_SIDE {
            if w2 <= h2 {
                w2 = IMAGE_MIN_SIDE;
            } else {
                h2 = IMAGE_MIN_SIDE;
            }
        }
        if ratio_ok(w2, h2) {
            break;
        }
        // The ratio is just out: grow the shorter side by one.
        if w2 < h2 {
            w2 += 1;
        } else {
            h2 += 1;
        }
    }
    (w2, h2)
}

/// One encoding to try.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attempt {
    /// Output width.
    pub width: u32,
    /// Output height.
    pub height: u32,
    /// Format.
    pub format: OutFormat,
    /// JPEG quality (0–1); unused for PNG.
    pub quality: f64,
}

/// What to do after an encoding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next {
    /// It fits: done.
    Done,
    /// Encode again, so.
    Retry(Attempt),
    /// It cannot be made to fit.
    GiveUp,
}

/// The first encoding: PNG where the drawn image has transparency, else JPEG at the
/// browsers' default quality.
pub fn first_attempt(canvas: (u32, u32), alpha: bool) -> Attempt {
    let format = if alpha { OutFormat::Png } else { OutFormat::Jpeg };
    Attempt { width: canvas.0, height: canvas.1, format, quality: QUALITIES[0] }
}

/// The next encoding after one of `got` bytes, for a limit of `limit` bytes: lower the
/// JPEG quality to 0.75 at full size, then scale down (by the square root of the overshoot,
/// and a tenth more) until the shorter side is 300, then the last qualities; a PNG too large
/// is scaled down likewise, and at 300 px becomes a JPEG (its transparency flattened).
pub fn next_attempt(prev: &Attempt, got: u64, limit: u64) -> Next {
    if got <= limit {
        return Next::Done;
    }
    let (w, h) = (u64::from(prev.width), u64::from(prev.height));
    let shrink = |a: &Attempt| -> Option<Attempt> {
        if w.min(h) <= IMAGE_MIN_SIDE {
            return None;
        }
        let s = ((limit as f64 / got as f64).sqrt() * 0.9).clamp(0.1, 0.9);
        let s = s.max(IMAGE_MIN_SIDE as f64 / w.min(h) as f64);
        let (w2, h2) = fit_size(w, h, s);
        let (w2, h2) = (u32::try_from(w2).ok()?, u32::try_from(h2).ok()?);
        ((w2, h2) != (a.width, a.height)).then_some(Attempt { width: w2, height: h2, ..*a })
    };
    match prev.format {
        OutFormat::Png => match shrink(prev) {
            Some(a) => Next::Retry(a),
            None => Next::Retry(Attempt { format: OutFormat::Jpeg, quality: QUALITIES[0], ..*prev }),
        },
        OutFormat::Jpeg => {
            let lower = |list: &[f64]| list.iter().copied().find(|q| *q < prev.quality - 1e-9);
            if let Some(q) = lower(&QUALITIES) {
                return Next::Retry(Attempt { quality: q, ..*prev });
            }
            if let Some(a) = shrink(prev) {
                return Next::Retry(a);
            }
            match lower(&LAST_QUALITIES) {
                Some(q) => Next::Retry(Attempt { quality: q, ..*prev }),
                None => Next::GiveUp,
            }
        }
    }
}

/// The changes the encoding made, from the layout's canvas to the final attempt.
pub fn encoding_changes(canvas: (u32, u32), last: &Attempt, alpha: bool, background: &str) -> Vec<Change> {
    let mut out = Vec::new();
    if (last.width, last.height) != canvas {
        out.push(
            Change::new("scaled_down")
                .with("from", vec![canvas.0, canvas.1])
                .with("to", vec![last.width, last.height])
                .with("reason", "bytes"),
        );
    }
    if last.format == OutFormat::Jpeg && alpha {
        out.push(Change::new("transparency_flattened").with("background", background));
    }
    if last.format == OutFormat::Jpeg && last.quality < QUALITIES[0] - 1e-9 {
        out.push(Change::new("quality_lowered").with("quality", (last.quality * 100.0).round() as u64));
    }
    out
}

/// The change of re-encoding a source as another format (`from`: the source's format name;
/// `gif` keeps its first frame), or of turning a JPEG upright by its EXIF orientation.
pub fn conversion_changes(from: &str, to: OutFormat, orientation: Option<u8>) -> Vec<Change> {
    let mut out = Vec::new();
    if from != to.name() {
        out.push(Change::new("converted").with("from", from).with("to", to.name()));
    } else {
        out.push(Change::new("re_encoded").with("format", to.name()));
    }
    if let Some(o @ 2..=8) = orientation {
        out.push(Change::new("rotated").with("orientation", o));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_exactly_as_the_validator_checks() {
        let mb = 1024 * 1024;
        for (format, bytes, w, h, max, ok) in [
            ("jpeg", 10 * mb, 300, 300, u64::MAX, true),
            ("png", 10 * mb + 1, 300, 300, u64::MAX, false),
            ("jpeg", 5 * mb, 300, 300, 5 * mb, true),
            ("jpeg", 5 * mb + 1, 300, 300, 5 * mb, false),
            ("webp", 100, 800, 600, u64::MAX, false),
            ("gif", 100, 800, 600, u64::MAX, false),
            ("png", 100, 299, 600, u64::MAX, false),
            ("png", 100, 750, 300, u64::MAX, true),
            ("png", 100, 751, 300, u64::MAX, false),
            ("png", 100, 300, 750, u64::MAX, true),
            ("png", 100, 300, 751, u64::MAX, false),
        ] {
            assert_eq!(passes(format, bytes, w, h, max), ok, "{format} {bytes} {w}x{h} ≤{max}");
        }
    }

    #[test]
    fn ratio_texts() {
        for (w, h, want) in
            [(900, 300, "3:1"), (300, 900, "1:3"), (1000, 250, "4:1"), (1181, 400, "2.95:1"), (7, 3, "2.33:1")]
        {
            assert_eq!(ratio_text(w, h), want);
        }
    }

    #[test]
    fn backgrounds() {
        assert_eq!(parse_background("#FFF").unwrap(), "#ffffff");
        assert_eq!(parse_background("#12aB3c").unwrap(), "#12ab3c");
        for bad in ["", "fff", "#ffff", "#gggggg", "red", "#1234567"] {
            assert!(parse_background(bad).is_err(), "{bad}");
        }
    }

    fn codes(l: &Layout) -> Vec<&'static str> {
        l.changes.iter().map(|c| c.code).collect()
    }

    #[test]
    fn layouts() {
        // (w, h, fit) → canvas, src, dst, change codes
        type Row = ((u32, u32), Fit, (u32, u32), (f64, f64, f64, f64), (f64, f64, f64, f64), &'static [&'static str]);
        let rows: &[Row] = &[
            // Passes: drawn as it is.
            ((800, 600), Fit::Pad, (800, 600), (0., 0., 800., 600.), (0., 0., 800., 600.), &[]),
            // 280 px square: scaled up to 300.
            ((280, 280), Fit::Pad, (300, 300), (0., 0., 280., 280.), (0., 0., 300., 300.), &["scaled_up"]),
            // 3:1, padded: 900 × 360 (900/360 = 2.5), image centred.
            ((900, 300), Fit::Pad, (900, 360), (0., 0., 900., 300.), (0., 30., 900., 300.), &["padded"]),
            // 1:3, padded sideways.
            ((300, 900), Fit::Pad, (360, 900), (0., 0., 300., 900.), (30., 0., 300., 900.), &["padded"]),
            // 3:1, cropped to the centre: 750 × 300.
            ((900, 300), Fit::Crop, (750, 300), (75., 0., 750., 300.), (0., 0., 750., 300.), &["cropped"]),
            ((300, 900), Fit::Crop, (300, 750), (0., 75., 300., 750.), (0., 0., 300., 750.), &["cropped"]),
            // 3:1 and small: cropped to 300 × 120, then scaled up to 750 × 300.
            ((360, 120), Fit::Crop, (750, 300), (30., 0., 300., 120.), (0., 0., 750., 300.), &["cropped", "scaled_up"]),
            // 3:1 and small, padded: 360 × 144, then scaled up ×300/144.
            (
                (360, 120),
                Fit::Pad,
                (750, 300),
                (0., 0., 360., 120.),
                (0., 12. * 300. / 144., 750., 250.),
                &["padded", "scaled_up"],
            ),
            // A huge photo: down to 4096² in area.
            ((8000, 6000), Fit::Pad, (4730, 3547), (0., 0., 8000., 6000.), (0., 0., 4730., 3547.), &["scaled_down"]),
        ];
        for &((w, h), fit, canvas, src, dst, want) in rows {
            let l = layout(w, h, fit, "#000000").unwrap();
            let c = |x: f64| (x * 100.).round() / 100.;
            let r = |r: Rect| (c(r.x), c(r.y), c(r.w), c(r.h));
            let round = |t: (f64, f64, f64, f64)| (c(t.0), c(t.1), c(t.2), c(t.3));
            assert_eq!(l.canvas, canvas, "{w}x{h} {fit:?}");
            assert_eq!(r(l.src), src, "{w}x{h} {fit:?} src");
            assert_eq!(r(l.dst), round(dst), "{w}x{h} {fit:?} dst");
            assert_eq!(codes(&l), want, "{w}x{h} {fit:?}");
            let (cw, ch) = (u64::from(l.canvas.0), u64::from(l.canvas.1));
            assert!(big_enough(cw, ch) && ratio_ok(cw, ch), "{w}x{h} {fit:?} → {cw}x{ch}");
        }
        assert_eq!(layout(0, 5, Fit::Pad, "#000000"), Err(FitError::Empty));
    }

    #[test]
    fn every_layout_passes_the_side_and_ratio_rules() {
        for w in [1u32, 2, 7, 119, 120, 121, 299, 300, 301, 749, 750, 751, 1000, 4097, 20_000] {
            for h in [1u32, 3, 120, 299, 300, 301, 750, 751, 2000, 9000] {
                for fit in [Fit::Pad, Fit::Crop] {
                    let l = layout(w, h, fit, "#000000").unwrap();
                    let (cw, ch) = (u64::from(l.canvas.0), u64::from(l.canvas.1));
                    assert!(big_enough(cw, ch) && ratio_ok(cw, ch), "{w}x{h} {fit:?} → {cw}x{ch}");
                    assert!(cw * ch <= MAX_CANVAS_AREA + cw + ch, "{w}x{h} {fit:?} → {cw}x{ch}");
                    assert!(l.dst.x >= 0.0 && l.dst.x + l.dst.w <= cw as f64 + 1e-6, "{w}x{h} {fit:?}");
                    assert!(l.dst.y >= 0.0 && l.dst.y + l.dst.h <= ch as f64 + 1e-6, "{w}x{h} {fit:?}");
                    assert!(l.src.x + l.src.w <= w as f64 && l.src.y + l.src.h <= h as f64, "{w}x{h} {fit:?}");
                }
            }
        }
    }

    #[test]
    fn the_encoding_ladder() {
        let mb = 1024 * 1024;
        let jpeg = |w, h, q| Attempt { width: w, height: h, format: OutFormat::Jpeg, quality: q };
        let png = |w, h| Attempt { width: w, height: h, format: OutFormat::Png, quality: 0.92 };
        let rows: &[(Attempt, u64, u64, Next)] = &[
            (jpeg(4000, 3000, 0.92), 9 * mb, 10 * mb, Next::Done),
            (jpeg(4000, 3000, 0.92), 12 * mb, 10 * mb, Next::Retry(jpeg(4000, 3000, 0.85))),
            (jpeg(4000, 3000, 0.85), 12 * mb, 10 * mb, Next::Retry(jpeg(4000, 3000, 0.75))),
            // sqrt(10/12) × 0.9 = 0.8216.
            (jpeg(4000, 3000, 0.75), 12 * mb, 10 * mb, Next::Retry(jpeg(3286, 2465, 0.75))),
            // At most 0.9 of the size per step, however little it is over.
            (jpeg(1000, 1000, 0.75), 10 * mb + 1, 10 * mb, Next::Retry(jpeg(900, 900, 0.75))),
            // Never under 300 px.
            (jpeg(400, 1000, 0.75), 100 * mb, 10 * mb, Next::Retry(jpeg(300, 750, 0.75))),
            (jpeg(300, 750, 0.75), 100 * mb, 10 * mb, Next::Retry(jpeg(300, 750, 0.6))),
            (jpeg(300, 750, 0.6), 100 * mb, 10 * mb, Next::Retry(jpeg(300, 750, 0.45))),
            (jpeg(300, 750, 0.45), 100 * mb, 10 * mb, Next::GiveUp),
            (png(2000, 2000), 12 * mb, 10 * mb, Next::Retry(png(1643, 1643))),
            (png(300, 300), 12 * mb, 10 * mb, Next::Retry(jpeg(300, 300, 0.92))),
        ];
        for (prev, got, limit, want) in rows {
            assert_eq!(next_attempt(prev, *got, *limit), *want, "{prev:?} {got}");
        }
    }

    #[test]
    fn the_ladder_always_ends() {
        for (w, h) in [(300u32, 300u32), (4096, 4096), (750, 300), (3000, 7000)] {
            for alpha in [false, true] {
                let mut a = first_attempt((w, h), alpha);
                let mut n = 0;
                // An encoder that never gets under the limit.
                while let Next::Retry(b) = next_attempt(&a, u64::MAX, 1) {
                    a = b;
                    n += 1;
                    assert!(n < MAX_ATTEMPTS, "{w}x{h} {alpha}: {a:?}");
                    assert!(big_enough(a.width.into(), a.height.into()) && ratio_ok(a.width.into(), a.height.into()));
                }
            }
        }
    }

    #[test]
    fn changes_of_the_encoding() {
        let last = Attempt { width: 3000, height: 2000, format: OutFormat::Jpeg, quality: 0.75 };
        let c = encoding_changes((4000, 3000), &last, true, "#ffffff");
        let codes: Vec<_> = c.iter().map(|c| c.code).collect();
        assert_eq!(codes, ["scaled_down", "transparency_flattened", "quality_lowered"]);
        assert_eq!(c[2].param("quality"), Some(&Value::from(75)));
        let same = Attempt { width: 4000, height: 3000, format: OutFormat::Png, quality: 0.92 };
        assert!(encoding_changes((4000, 3000), &same, true, "#ffffff").is_empty());
        let conv: Vec<_> = conversion_changes("webp", OutFormat::Jpeg, None).iter().map(|c| c.code).collect();
        assert_eq!(conv, ["converted"]);
        let conv: Vec<_> = conversion_changes("jpeg", OutFormat::Jpeg, Some(6)).iter().map(|c| c.code).collect();
        assert_eq!(conv, ["re_encoded", "rotated"]);
    }

    #[test]
    fn every_change_has_its_message_in_both_locales() {
        use crate::messages::{change_message, Locale};
        let mut all = conversion_changes("gif", OutFormat::Jpeg, None);
        all.extend(conversion_changes("png", OutFormat::Jpeg, None));
        all.extend(conversion_changes("jpeg", OutFormat::Jpeg, Some(6)));
        all.extend(layout(900, 300, Fit::Pad, "#000000").unwrap().changes);
        all.extend(layout(360, 120, Fit::Crop, "#000000").unwrap().changes);
        all.extend(layout(8000, 6000, Fit::Pad, "#000000").unwrap().changes);
        let last = Attempt { width: 300, height: 300, format: OutFormat::Jpeg, quality: 0.6 };
        all.extend(encoding_changes((400, 400), &last, true, "#ffffff"));
        let codes: Vec<&str> = all.iter().map(|c| c.code).collect();
        assert_eq!(
            codes,
            [
                "converted",
                "converted",
                "re_encoded",
                "rotated",
                "padded",
                "cropped",
                "scaled_up",
                "scaled_down",
                "scaled_down",
                "transparency_flattened",
                "quality_lowered"
            ]
        );
        let en: Vec<String> = all.iter().map(|c| change_message(c, Locale::En)).collect();
        let zh: Vec<String> = all.iter().map(|c| change_message(c, Locale::Zh)).collect();
        assert_eq!(
            en,
            [
                "converted from GIF (its first frame) to JPEG",
                "converted from PNG to JPEG",
                "re-encoded as JPEG",
                "turned upright (EXIF orientation 6)",
                "aspect ratio 3:1 padded to 900×360 with #000000",
                "aspect ratio 3:1 cropped to the centre, 300×120",
                "scaled up from 300×120 to 750×300 (shorter side at least 300 px)",
                "scaled down from 8000×6000 to 4730×3547 (at most 4096×4096 pixels drawn)",
                "scaled down from 400×400 to 300×300 to fit the size limit",
                "transparency filled with #ffffff (as a PNG it was over the size limit)",
                "JPEG quality lowered to 60 to fit the size limit",
            ]
        );
        for (c, m) in all.iter().zip(&zh) {
            assert!(!m.is_empty() && !m.contains("null") && m != c.code && !m.is_ascii(), "{}: {m}", c.code);
        }
    }
}
