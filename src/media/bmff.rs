//! ISO-BMFF (MP4, MOV): find `moov` with bounded reads, then read the facts the rules need
//! from the `moov` bytes alone.
//!
//! Two parts:
//!
//! - [`MoovLocator`], a state machine over the top-level box headers. It never touches the
//!   file itself: it says which bytes to read next ([`Step::Read`]), the caller reads them
//!   (`Blob.slice`, an HTTP `Range`, a slice of memory) and hands them back with
//!   [`MoovLocator::feed`]. Each read is a box header (at most 16 bytes) until it meets
//!   `moov`, whose position and length it returns ([`Step::Moov`]). `moov` may be anywhere.
//! - [`parse_moov`] reads `mvhd`, and per track `tkhd`, `mdhd`, `hdlr`, `stsd` and `stts`,
//!   from the `moov` payload, descending only along that fixed path (at most 6 levels).
//!
//! ```
//! use kling_omni::media::bmff::{MoovLocator, Step};
//! // ftyp (24 bytes), mdat (1000 bytes), then a 108-byte moov.
//! let mut loc = MoovLocator::new(24 + 1000 + 108);
//! assert_eq!(loc.start(), Step::Read { offset: 0, len: 16 });
//! let step = loc.feed(b"\0\0\0\x18ftypisom\0\0\x02\0").unwrap();
//! assert_eq!(step, Step::Read { offset: 24, len: 16 });
//! let step = loc.feed(b"\0\0\x03\xe8mdat\0\0\0\0\0\0\0\0").unwrap();
//! assert_eq!(step, Step::Read { offset: 1024, len: 16 });
//! let step = loc.feed(b"\0\0\0\x6cmoov\0\0\0\x64mvhd").unwrap();
//! assert_eq!(step, Step::Moov { offset: 1032, len: 100 });
//! assert_eq!(loc.bytes_planned(), 48 + 100);
//! ```

use super::sniff::Format;
use crate::model::VideoFacts;
use std::fmt;

/// The largest `moov` read: anything bigger is [`BmffError::MoovTooLarge`].
pub const MAX_MOOV: u64 = 64 * 1024 * 1024;

/// The most top-level boxes walked before giving up ([`BmffError::TooManyBoxes`]).
pub const MAX_TOP_BOXES: u32 = 4096;

/// The most children looked at in any one box of `moov` (tracks, sample entries, …).
pub const MAX_CHILDREN: usize = 4096;

/// Bytes asked for per top-level box header: size, type and a 64-bit size.
pub const HEADER_READ: u64 = 16;

/// Why a file could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BmffError {
    /// A box declares a size smaller than its own header.
    BoxTooSmall {
        /// Where the box starts.
        offset: u64,
    },
    /// A box declares a size that runs past the end of the file (or of its parent).
    BoxBeyondEnd {
        /// Where the box starts.
        offset: u64,
    },
    /// The bytes handed in are fewer than asked for (the file ends early).
    Truncated {
        /// Where the missing bytes start.
        offset: u64,
    },
    /// The top-level boxes end without a `moov`.
    NoMoov,
    /// `moov` is larger than [`MAX_MOOV`].
    MoovTooLarge {
        /// Its declared payload length.
        len: u64,
    },
    /// More than [`MAX_TOP_BOXES`] top-level boxes or [`MAX_CHILDREN`] children of a box.
    TooManyBoxes,
    /// [`MoovLocator::feed`] called after the walk ended.
    Finished,
    /// A box's content contradicts its type; the text says which.
    Malformed(&'static str),
}

impl fmt::Display for BmffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BmffError::BoxTooSmall { offset } => {
                write!(f, "box at {offset} is smaller than its header")
            }
            BmffError::BoxBeyondEnd { offset } => {
                write!(f, "box at {offset} runs past the end of the file")
            }
            BmffError::Truncated { offset } => write!(f, "file ends early at {offset}"),
            BmffError::NoMoov => f.write_str("no moov box"),
            BmffError::MoovTooLarge { len } => {
                write!(f, "moov of {len} bytes is over the {MAX_MOOV}-byte cap")
            }
            BmffError::TooManyBoxes => f.write_str("too many boxes"),
            BmffError::Finished => f.write_str("the walk has ended"),
            BmffError::Malformed(what) => write!(f, "malformed: {what}"),
        }
    }
}

impl std::error::Error for BmffError {}

/// What the caller does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Read `len` bytes at `offset` and pass them to [`MoovLocator::feed`].
    Read {
        /// Byte offset from the start of the file.
        offset: u64,
        /// How many bytes (at most [`HEADER_READ`]).
        len: u64,
    },
    /// `moov`'s payload (after its header) is `len` bytes at `offset`: read it and pass it
    /// to [`parse_moov`]. `len` is at most [`MAX_MOOV`].
    Moov {
        /// Byte offset of the payload from the start of the file.
        offset: u64,
        /// Payload length.
        len: u64,
    },
}

/// Walks the top-level boxes of a file of known length to find `moov`. See the module docs.
#[derive(Debug, Clone)]
pub struct MoovLocator {
    file_len: u64,
    pos: u64,
    boxes: u32,
    planned: u64,
    pending: Option<u64>,
    done: bool,
}

impl MoovLocator {
    /// A walk over a file of `file_len` bytes.
    pub fn new(file_len: u64) -> Self {
        MoovLocator { file_len, pos: 0, boxes: 0, planned: 0, pending: None, done: false }
    }

    /// The first step: read the first box header.
    pub fn start(&mut self) -> Step {
        self.plan_header()
    }

    /// The total of every read asked for so far, `moov` included.
    pub fn bytes_planned(&self) -> u64 {
        self.planned
    }

    fn plan_header(&mut self) -> Step {
        let len = HEADER_READ.min(self.file_len.saturating_sub(self.pos));
        self.pending = Some(len);
        self.planned = self.planned.saturating_add(len);
        Step::Read { offset: self.pos, len }
    }

    /// Hands in the bytes of the last [`Step::Read`]; returns the next step.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Step, BmffError> {
        let r = self.feed_inner(bytes);
        if !matches!(r, Ok(Step::Read { .. })) {
            self.done = true;
        }
        r
    }

    fn feed_inner(&mut self, bytes: &[u8]) -> Result<Step, BmffError> {
        if self.done {
            return Err(BmffError::Finished);
        }
        let asked = self.pending.take().ok_or(BmffError::Finished)?;
        let offset = self.pos;
        if (bytes.len() as u64) < asked.min(8) || asked < 8 {
            // Fewer than 8 bytes left in the file, or handed in: no room for a box header.
            return Err(if asked < 8 && bytes.len() as u64 >= asked {
                BmffError::NoMoov
            } else {
                BmffError::Truncated { offset }
            });
        }
        let h = read_box_header(bytes, self.file_len - offset).map_err(|e| e.at(offset))?;
        let size = h.size;
        if &h.kind == b"moov" {
            let len = size - h.header_len;
            if len > MAX_MOOV {
                return Err(BmffError::MoovTooLarge { len });
            }
            self.planned = self.planned.saturating_add(len);
            return Ok(Step::Moov { offset: offset + h.header_len, len });
        }
        self.boxes += 1;
        if self.boxes >= MAX_TOP_BOXES {
            return Err(BmffError::TooManyBoxes);
        }
        self.pos = offset + size;
        if self.pos >= self.file_len {
            return Err(BmffError::NoMoov);
        }
        Ok(self.plan_header())
    }
}

/// A box header: type, header length (8 or 16) and total size (header included), checked
/// to fit in `room` bytes.
#[derive(Debug, Clone, Copy)]
struct BoxHeader {
    kind: [u8; 4],
    header_len: u64,
    size: u64,
}

/// Header errors, before their offset is known.
enum HeadErr {
    Short,
    TooSmall,
    Beyond,
}

impl HeadErr {
    fn at(self, offset: u64) -> BmffError {
        match self {
            HeadErr::Short => BmffError::Truncated { offset },
            HeadErr::TooSmall => BmffError::BoxTooSmall { offset },
            HeadErr::Beyond => BmffError::BoxBeyondEnd { offset },
        }
    }
}

/// Reads the header at the start of `b`, whose box must fit in `room` bytes.
/// Size 0 means "to the end" (of the file or parent), size 1 a 64-bit size after the type.
fn read_box_header(b: &[u8], room: u64) -> Result<BoxHeader, HeadErr> {
    let size32 = be_u32(b, 0).ok_or(HeadErr::Short)?;
    let kind: [u8; 4] = b.get(4..8).and_then(|k| k.try_into().ok()).ok_or(HeadErr::Short)?;
    let (header_len, size) = match size32 {
        0 => (8, room),
        1 => (16, be_u64(b, 8).ok_or(HeadErr::Short)?),
        n => (8, n as u64),
    };
    if size < header_len {
        return Err(HeadErr::TooSmall);
    }
    if size > room {
        return Err(HeadErr::Beyond);
    }
    Ok(BoxHeader { kind, header_len, size })
}

fn be_u16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn be_u64(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_be_bytes(a))
}

fn be_i32(b: &[u8], at: usize) -> Option<i32> {
    be_u32(b, at).map(|v| v as i32)
}

/// The children of a box's payload, in order: `(type, payload)`. Stops with an error at the
/// first header that does not fit, and after [`MAX_CHILDREN`] children.
fn children(mut b: &[u8]) -> impl Iterator<Item = Result<([u8; 4], &[u8]), BmffError>> {
    let mut count = 0usize;
    let mut offset = 0u64;
    std::iter::from_fn(move || {
        if b.is_empty() {
            return None;
        }
        count += 1;
        if count > MAX_CHILDREN {
            b = &[];
            return Some(Err(BmffError::TooManyBoxes));
        }
        let h = match read_box_header(b, b.len() as u64) {
            Ok(h) => h,
            Err(e) => {
                b = &[];
                return Some(Err(e.at(offset)));
            }
        };
        // Both fit in b.len() by read_box_header's checks.
        let body = b.get(h.header_len as usize..h.size as usize).unwrap_or(&[]);
        b = b.get(h.size as usize..).unwrap_or(&[]);
        offset = offset.saturating_add(h.size);
        Some(Ok((h.kind, body)))
    })
}

/// The first child of this type, if any.
fn child<'a>(b: &'a [u8], kind: &[u8; 4]) -> Result<Option<&'a [u8]>, BmffError> {
    for c in children(b) {
        let (k, body) = c?;
        if &k == kind {
            return Ok(Some(body));
        }
    }
    Ok(None)
}

/// Frame rate from the video track's `stts`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fps {
    /// Samples × timescale / total sample duration.
    pub avg: f64,
    /// From the longest sample duration.
    pub min: f64,
    /// From the shortest sample duration.
    pub max: f64,
    /// True when sample durations differ (a single odd last sample, which muxers write to
    /// make the track end on time, does not count).
    pub variable: bool,
}

/// What a video's `moov` says.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoHeader {
    /// The container, from the magic bytes ([`Format::Mp4`] or [`Format::Mov`]).
    pub format: Format,
    /// Duration in seconds (`mvhd`, or the video track's `mdhd` where `mvhd` has none).
    pub duration: Option<f64>,
    /// Stored width of the video track (`tkhd`, else the sample entry), before rotation.
    pub width: Option<u32>,
    /// Stored height of the video track, before rotation.
    pub height: Option<u32>,
    /// Clockwise rotation from the track matrix: 0, 90, 180 or 270.
    pub rotation: u16,
    /// Frame rate, where the video track has samples.
    pub fps: Option<Fps>,
    /// The video sample entry's four-character code (`avc1`, `hvc1`, `hev1`, `mp4v`, `ap4h`, …).
    pub codec: Option<String>,
    /// True when a sound track (`hdlr` `soun`) is present.
    pub has_audio: bool,
    /// True when a video track (`hdlr` `vide`) is present.
    pub has_video: bool,
}

impl VideoHeader {
    /// Width and height as displayed: swapped for 90 and 270.
    pub fn displayed(&self) -> (Option<u32>, Option<u32>) {
        if self.rotation % 180 == 90 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    /// The facts the validator reads, with the file size where known.
    pub fn facts(&self, bytes: Option<u64>) -> VideoFacts {
        let (w, h) = self.displayed();
        VideoFacts {
            format: Some(self.format.name().to_string()),
            bytes: bytes.map(|b| b as f64),
            duration: self.duration,
            width: w.map(f64::from),
            height: h.map(f64::from),
            fps: self.fps.map(|f| f.avg),
        }
    }
}

#[derive(Default)]
struct Track {
    handler: Option<[u8; 4]>,
    width: u32,
    height: u32,
    rotation: u16,
    timescale: u32,
    duration: u64,
    codec: Option<[u8; 4]>,
    entry_width: u32,
    entry_height: u32,
    fps: Option<Fps>,
}

/// Reads the payload of `moov` (the bytes [`Step::Moov`] points at). `format` is the
/// container as sniffed. A file with no video track gives a header with `has_video` false.
pub fn parse_moov(format: Format, moov: &[u8]) -> Result<VideoHeader, BmffError> {
    if moov.len() as u64 > MAX_MOOV {
        return Err(BmffError::MoovTooLarge { len: moov.len() as u64 });
    }
    let mut movie_duration = None;
    let mut video: Option<Track> = None;
    let mut has_audio = false;
    for c in children(moov) {
        let (kind, body) = c?;
        match &kind {
            b"mvhd" => movie_duration = mvhd(body)?,
            b"trak" => {
                let t = trak(body)?;
                match t.handler.as_ref() {
                    Some(b"soun") => has_audio = true,
                    Some(b"vide") if video.is_none() => video = Some(t),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let track_duration = video.as_ref().and_then(|t| {
        (t.timescale > 0 && t.duration > 0 && t.duration != u32::MAX as u64 && t.duration != u64::MAX)
            .then(|| t.duration as f64 / t.timescale as f64)
    });
    let mut h = VideoHeader {
        format,
        duration: movie_duration.or(track_duration),
        width: None,
        height: None,
        rotation: 0,
        fps: None,
        codec: None,
        has_audio,
        has_video: video.is_some(),
    };
    if let Some(t) = video {
        let (w, hh) = if t.width > 0 && t.height > 0 { (t.width, t.height) } else { (t.entry_width, t.entry_height) };
        h.width = (w > 0).then_some(w);
        h.height = (hh > 0).then_some(hh);
        h.rotation = t.rotation;
        h.fps = t.fps;
        h.codec = t.codec.map(|c| String::from_utf8_lossy(&c).trim_end().to_string());
    }
    Ok(h)
}

/// `mvhd`: duration in seconds, where known.
fn mvhd(b: &[u8]) -> Result<Option<f64>, BmffError> {
    let bad = BmffError::Malformed("mvhd too short");
    let (timescale, duration) = match b.first() {
        Some(1) => (be_u32(b, 20).ok_or(bad)?, be_u64(b, 24).ok_or(bad)?),
        Some(_) => (be_u32(b, 12).ok_or(bad)?, be_u32(b, 16).ok_or(bad)? as u64),
        None => return Err(bad),
    };
    // All ones means "unknown" (fragmented files).
    if timescale == 0 || duration == 0 || duration == u32::MAX as u64 || duration == u64::MAX {
        return Ok(None);
    }
    Ok(Some(duration as f64 / timescale as f64))
}

fn trak(b: &[u8]) -> Result<Track, BmffError> {
    let mut t = Track::default();
    for c in children(b) {
        let (kind, body) = c?;
        match &kind {
            b"tkhd" => tkhd(body, &mut t)?,
            b"mdia" => mdia(body, &mut t)?,
            _ => {}
        }
    }
    Ok(t)
}

fn tkhd(b: &[u8], t: &mut Track) -> Result<(), BmffError> {
    let bad = BmffError::Malformed("tkhd too short");
    let base = match b.first() {
        Some(1) => 52,
        Some(_) => 40,
        None => return Err(bad),
    };
    let m = |i: usize| be_i32(b, base + 4 * i).ok_or(bad);
    let (a, bb, c, d) = (m(0)?, m(1)?, m(3)?, m(4)?);
    t.rotation = match (a.signum(), bb.signum(), c.signum(), d.signum()) {
        (0, 1, -1, 0) => 90,
        (-1, 0, 0, -1) => 180,
        (0, -1, 1, 0) => 270,
        _ => 0,
    };
    // 16.16 fixed point; the fraction is dropped.
    t.width = be_u32(b, base + 36).ok_or(bad)? >> 16;
    t.height = be_u32(b, base + 40).ok_or(bad)? >> 16;
    Ok(())
}

fn mdia(b: &[u8], t: &mut Track) -> Result<(), BmffError> {
    let mut stbl = None;
    for c in children(b) {
        let (kind, body) = c?;
        match &kind {
            b"mdhd" => {
                let bad = BmffError::Malformed("mdhd too short");
                (t.timescale, t.duration) = match body.first() {
                    Some(1) => (be_u32(body, 20).ok_or(bad)?, be_u64(body, 24).ok_or(bad)?),
                    Some(_) => (be_u32(body, 12).ok_or(bad)?, be_u32(body, 16).ok_or(bad)? as u64),
                    None => return Err(bad),
                };
            }
            b"hdlr" => {
                t.handler = body.get(8..12).and_then(|k| k.try_into().ok());
                if t.handler.is_none() {
                    return Err(BmffError::Malformed("hdlr too short"));
                }
            }
            b"minf" => stbl = child(body, b"stbl")?,
            _ => {}
        }
    }
    if let (Some(b"vide"), Some(stbl)) = (t.handler.as_ref(), stbl) {
        if let Some(stsd) = child(stbl, b"stsd")? {
            // version/flags 4, entry_count 4, then sample entries.
            if let Some(Ok((kind, entry))) = children(stsd.get(8..).unwrap_or(&[])).next() {
                t.codec = Some(kind);
                // Visual sample entry: 6 reserved, 2 data ref, 16 pre-defined/reserved, then size.
                t.entry_width = be_u16(entry, 24).unwrap_or(0) as u32;
                t.entry_height = be_u16(entry, 26).unwrap_or(0) as u32;
            }
        }
        if let Some(stts) = child(stbl, b"stts")? {
            t.fps = fps(stts, t.timescale)?;
        }
    }
    Ok(())
}

/// Frame rate from `stts` entries (sample count, sample delta) and the media timescale.
fn fps(stts: &[u8], timescale: u32) -> Result<Option<Fps>, BmffError> {
    let count = be_u32(stts, 4).ok_or(BmffError::Malformed("stts too short"))? as usize;
    let entries = stts.get(8..).unwrap_or(&[]);
    if count > entries.len() / 8 {
        return Err(BmffError::Malformed("stts entry count beyond its box"));
    }
    if timescale == 0 {
        return Ok(None);
    }
    let mut samples: u64 = 0;
    let mut total: u64 = 0;
    let mut min_delta = u32::MAX;
    let mut max_delta = 0u32;
    let mut body_min = u32::MAX;
    let mut body_max = 0u32;
    // `count` is bounded by the box length (checked above), itself at most MAX_MOOV.
    for (i, e) in entries.chunks_exact(8).take(count).enumerate() {
        let n = u32::from_be_bytes([e[0], e[1], e[2], e[3]]);
        let delta = u32::from_be_bytes([e[4], e[5], e[6], e[7]]);
        if n == 0 {
            continue;
        }
        samples = samples.saturating_add(n as u64);
        total = total.saturating_add((n as u64).saturating_mul(delta as u64));
        if delta > 0 {
            min_delta = min_delta.min(delta);
            max_delta = max_delta.max(delta);
            let trailing_single = i + 1 == count && n == 1 && count > 1;
            if !trailing_single {
                body_min = body_min.min(delta);
                body_max = body_max.max(delta);
            }
        }
    }
    if samples == 0 || total == 0 || max_delta == 0 {
        return Ok(None);
    }
    let ts = timescale as f64;
    Ok(Some(Fps {
        avg: samples as f64 * ts / total as f64,
        min: ts / max_delta as f64,
        max: ts / min_delta as f64,
        variable: body_min != body_max,
    }))
}

/// The payload of a `moov` box that ends exactly where `tail` (the last bytes of a file)
/// ends, if there is one: a 32-bit size and the type `moov`. The read loop
/// ([`crate::media::inspect`]) reads a file's last 8 KB when `moov` is not near the start,
/// so a file whose `moov` is last costs two reads, not one a box. The caller still parses the payload ([`parse_moov`]): bytes
/// that only look like a box are refused there, and the walk from the start goes on.
///
/// ```
/// use kling_omni::media::bmff::moov_at_end;
/// let mut tail = b"mdat-bytes".to_vec();
/// tail.extend_from_slice(&12u32.to_be_bytes());
/// tail.extend_from_slice(b"moovDATA");
/// assert_eq!(moov_at_end(&tail), Some(&b"DATA"[..]));
/// assert_eq!(moov_at_end(b"moov"), None);
/// ```
pub fn moov_at_end(tail: &[u8]) -> Option<&[u8]> {
    (0..tail.len().saturating_sub(7)).find_map(|p| {
        let size = u32::from_be_bytes(tail.get(p..p + 4)?.try_into().ok()?) as usize;
        (tail.get(p + 4..p + 8)? == b"moov" && size == tail.len() - p).then(|| tail.get(p + 8..))?
    })
}

/// Reads a whole MP4/MOV held in memory: sniffs, walks to `moov` and parses it. Returns the
/// header and the bytes the walk read (box headers plus `moov`).
pub fn read_video(file: &[u8]) -> Result<(VideoHeader, u64), BmffError> {
    let format = super::sniff::sniff(file);
    if !format.is_bmff_video() {
        return Err(BmffError::Malformed("not an MP4 or MOV file"));
    }
    let mut loc = MoovLocator::new(file.len() as u64);
    let mut step = loc.start();
    // Each step reads a new top-level box; MoovLocator stops after MAX_TOP_BOXES.
    loop {
        match step {
            Step::Read { offset, len } => step = loc.feed(slice(file, offset, len))?,
            Step::Moov { offset, len } => {
                let moov = slice(file, offset, len);
                if (moov.len() as u64) < len {
                    return Err(BmffError::Truncated { offset });
                }
                return Ok((parse_moov(format, moov)?, loc.bytes_planned()));
            }
        }
    }
}

/// Up to `len` bytes at `offset`, fewer where the file ends.
fn slice(file: &[u8], offset: u64, len: u64) -> &[u8] {
    let start = (offset.min(file.len() as u64)) as usize;
    let end = (offset.saturating_add(len).min(file.len() as u64)) as usize;
    file.get(start..end).unwrap_or(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(body);
        v
    }

    fn full(kind: &[u8; 4], version: u8, body: &[u8]) -> Vec<u8> {
        let mut b = vec![version, 0, 0, 0];
        b.extend_from_slice(body);
        bx(kind, &b)
    }

    fn mvhd(timescale: u32, duration: u32) -> Vec<u8> {
        let mut b = vec![0u8; 8];
        b.extend_from_slice(&timescale.to_be_bytes());
        b.extend_from_slice(&duration.to_be_bytes());
        b.extend_from_slice(&[0u8; 80]);
        full(b"mvhd", 0, &b)
    }

    fn tkhd(w: u32, h: u32, matrix: [i32; 9], version: u8) -> Vec<u8> {
        let mut b = vec![0u8; if version == 1 { 32 } else { 20 }];
        b.extend_from_slice(&[0u8; 16]);
        for m in matrix {
            b.extend_from_slice(&m.to_be_bytes());
        }
        b.extend_from_slice(&(w << 16).to_be_bytes());
        b.extend_from_slice(&(h << 16).to_be_bytes());
        full(b"tkhd", version, &b)
    }

    const ID: [i32; 9] = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x4000_0000];
    const R90: [i32; 9] = [0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x4000_0000];

    fn mdia(handler: &[u8; 4], timescale: u32, duration: u32, codec: &[u8; 4], stts: &[(u32, u32)]) -> Vec<u8> {
        let mut m = vec![0u8; 8];
        m.extend_from_slice(&timescale.to_be_bytes());
        m.extend_from_slice(&duration.to_be_bytes());
        m.extend_from_slice(&[0u8; 4]);
        let mut hd = vec![0u8; 4];
        hd.extend_from_slice(handler);
        hd.extend_from_slice(&[0u8; 13]);
        let mut entry = vec![0u8; 24];
        entry.extend_from_slice(&640u16.to_be_bytes());
        entry.extend_from_slice(&360u16.to_be_bytes());
        entry.extend_from_slice(&[0u8; 50]);
        let mut sd = 1u32.to_be_bytes().to_vec();
        sd.extend_from_slice(&bx(codec, &entry));
        let mut st = (stts.len() as u32).to_be_bytes().to_vec();
        for (n, d) in stts {
            st.extend_from_slice(&n.to_be_bytes());
            st.extend_from_slice(&d.to_be_bytes());
        }
        let stbl = bx(b"stbl", &[full(b"stsd", 0, &sd), full(b"stts", 0, &st)].concat());
        let minf = bx(b"minf", &stbl);
        bx(b"mdia", &[full(b"mdhd", 0, &m), full(b"hdlr", 0, &hd), minf].concat())
    }

    fn movie(rotation: [i32; 9], stts: &[(u32, u32)], audio: bool) -> Vec<u8> {
        let mut moov = mvhd(1000, 10_020);
        moov.extend(bx(
            b"trak",
            &[tkhd(1920, 1080, rotation, 0), mdia(b"vide", 15360, 153_600, b"avc1", stts)].concat(),
        ));
        if audio {
            moov.extend(bx(
                b"trak",
                &[tkhd(0, 0, ID, 0), mdia(b"soun", 44100, 441_000, b"mp4a", &[(430, 1024)])].concat(),
            ));
        }
        moov
    }

    fn file(moov_first: bool, moov: &[u8], mdat_len: usize) -> Vec<u8> {
        let ftyp = bx(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41");
        let mdat = bx(b"mdat", &vec![0u8; mdat_len]);
        let moov = bx(b"moov", moov);
        if moov_first {
            [ftyp, moov, mdat].concat()
        } else {
            [ftyp, mdat, moov].concat()
        }
    }

    #[test]
    fn parses_a_movie() {
        // 25 fps at timescale 15360: delta 614.4 is not an integer, so 512 = 30 fps.
        let h = parse_moov(Format::Mp4, &movie(ID, &[(300, 512)], true)).unwrap();
        assert_eq!(h.duration, Some(10.02));
        assert_eq!((h.width, h.height, h.rotation), (Some(1920), Some(1080), 0));
        assert_eq!(h.displayed(), (Some(1920), Some(1080)));
        assert_eq!(h.codec.as_deref(), Some("avc1"));
        assert!(h.has_audio && h.has_video);
        assert_eq!(h.fps, Some(Fps { avg: 30.0, min: 30.0, max: 30.0, variable: false }));
        let f = h.facts(Some(1234));
        assert_eq!((f.width, f.height, f.fps, f.bytes), (Some(1920.0), Some(1080.0), Some(30.0), Some(1234.0)));
        assert_eq!(f.format.as_deref(), Some("mp4"));
    }

    #[test]
    fn rotation_and_variable_rate() {
        let h = parse_moov(Format::Mov, &movie(R90, &[(10, 512), (5, 1024), (10, 256)], false)).unwrap();
        assert_eq!(h.rotation, 90);
        assert_eq!(h.displayed(), (Some(1080), Some(1920)));
        let f = h.fps.unwrap();
        assert!(f.variable);
        assert_eq!((f.min, f.max), (15.0, 60.0));
        assert_eq!(f.avg, 25.0 * 15360.0 / (5120.0 + 5120.0 + 2560.0));
        assert!(!h.has_audio);
        // A single odd last sample is not a variable rate.
        let h = parse_moov(Format::Mp4, &movie(ID, &[(299, 512), (1, 100)], false)).unwrap();
        assert!(!h.fps.unwrap().variable);
        for (m, r) in [
            ([-0x10000, 0, 0, 0, -0x10000, 0, 0, 0, 0x4000_0000], 180),
            ([0, -0x10000, 0, 0x10000, 0, 0, 0, 0, 0x4000_0000], 270),
        ] {
            assert_eq!(parse_moov(Format::Mp4, &movie(m, &[(1, 1)], false)).unwrap().rotation, r);
        }
    }

    #[test]
    fn walks_to_moov_at_either_end() {
        let moov = movie(ID, &[(300, 512)], true);
        for first in [true, false] {
            let f = file(first, &moov, 100_000);
            let (h, read) = read_video(&f).unwrap();
            assert_eq!(h.width, Some(1920));
            let expected = if first { 32 + moov.len() } else { 48 + moov.len() };
            assert_eq!(read, expected as u64, "moov first: {first}");
        }
    }

    #[test]
    fn size_zero_and_64_bit() {
        let moov = movie(ID, &[(300, 512)], false);
        // mdat with a 64-bit size, then moov with size 0 (to the end of the file).
        let mut f = bx(b"ftyp", b"qt  \0\0\0\0qt  ");
        f.extend_from_slice(&1u32.to_be_bytes());
        f.extend_from_slice(b"mdat");
        f.extend_from_slice(&(16u64 + 5000).to_be_bytes());
        f.extend(vec![0u8; 5000]);
        f.extend_from_slice(&0u32.to_be_bytes());
        f.extend_from_slice(b"moov");
        f.extend_from_slice(&moov);
        let (h, _) = read_video(&f).unwrap();
        assert_eq!(h.format, Format::Mov);
        assert_eq!(h.duration, Some(10.02));
    }

    #[test]
    fn hostile_top_level() {
        let ftyp = bx(b"ftyp", b"isom\0\0\x02\0");
        // A box smaller than its header.
        let f = [ftyp.clone(), vec![0, 0, 0, 4, b'm', b'd', b'a', b't']].concat();
        assert_eq!(read_video(&f).unwrap_err(), BmffError::BoxTooSmall { offset: 16 });
        // A size past the end of the file.
        let f = [ftyp.clone(), vec![0, 0, 0xFF, 0, b'm', b'd', b'a', b't', 0, 0]].concat();
        assert_eq!(read_video(&f).unwrap_err(), BmffError::BoxBeyondEnd { offset: 16 });
        // 64-bit size smaller than 16, and 64-bit size all ones.
        let f = [ftyp.clone(), vec![0, 0, 0, 1, b'm', b'd', b'a', b't', 0, 0, 0, 0, 0, 0, 0, 9]].concat();
        assert_eq!(read_video(&f).unwrap_err(), BmffError::BoxTooSmall { offset: 16 });
        let f = [ftyp.clone(), vec![0, 0, 0, 1, b'm', b'd', b'a', b't'], vec![0xFF; 8]].concat();
        assert_eq!(read_video(&f).unwrap_err(), BmffError::BoxBeyondEnd { offset: 16 });
        // No moov, trailing bytes too short for a header, a truncated 64-bit header.
        assert_eq!(read_video(&ftyp).unwrap_err(), BmffError::NoMoov);
        assert_eq!(read_video(&[ftyp.clone(), vec![0, 0, 0]].concat()).unwrap_err(), BmffError::NoMoov);
        let f = [ftyp.clone(), vec![0, 0, 0, 1, b'm', b'd', b'a', b't', 0, 0]].concat();
        assert_eq!(read_video(&f).unwrap_err(), BmffError::Truncated { offset: 16 });
        // moov over the cap, declared through a 64-bit size, is refused before any read.
        let mut loc = MoovLocator::new(1 << 40);
        loc.start();
        let mut hdr = vec![0, 0, 0, 1, b'm', b'o', b'o', b'v'];
        hdr.extend_from_slice(&(MAX_MOOV + 17).to_be_bytes());
        assert_eq!(loc.feed(&hdr), Err(BmffError::MoovTooLarge { len: MAX_MOOV + 1 }));
        assert_eq!(loc.feed(&hdr), Err(BmffError::Finished));
        // A moov that claims more than the file has.
        let f = [ftyp.clone(), bx(b"moov", &[0u8; 100])].concat();
        assert!(matches!(read_video(&f[..f.len() - 10]), Err(BmffError::BoxBeyondEnd { offset: 16 })));
        // Short reads are Truncated.
        let mut loc = MoovLocator::new(1000);
        loc.start();
        assert_eq!(loc.feed(&[0, 0, 0]), Err(BmffError::Truncated { offset: 0 }));
        // Thousands of tiny boxes stop at the cap.
        let mut f = ftyp.clone();
        for _ in 0..5000 {
            f.extend(bx(b"free", &[]));
        }
        assert_eq!(read_video(&f).unwrap_err(), BmffError::TooManyBoxes);
    }

    #[test]
    fn hostile_moov() {
        // Boxes nested thousands deep inside a trak: never followed, no recursion.
        let mut deep = bx(b"free", &[]);
        for _ in 0..3000 {
            deep = bx(b"trak", &deep);
        }
        let h = parse_moov(Format::Mp4, &deep).unwrap();
        assert!(!h.has_video);
        // Lying child sizes.
        let mut m = mvhd(1000, 5000);
        m.extend_from_slice(&[0, 0, 0xFF, 0xFF, b't', b'r', b'a', b'k', 0, 0]);
        assert_eq!(parse_moov(Format::Mp4, &m), Err(BmffError::BoxBeyondEnd { offset: 108 }));
        assert_eq!(
            parse_moov(Format::Mp4, &[0, 0, 0, 2, b't', b'r', b'a', b'k']),
            Err(BmffError::BoxTooSmall { offset: 0 })
        );
        // An stts whose entry count lies.
        let mut mv = movie(ID, &[(300, 512)], false);
        let at = mv.windows(4).position(|w| w == b"stts").unwrap() + 8;
        mv[at..at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(parse_moov(Format::Mp4, &mv), Err(BmffError::Malformed("stts entry count beyond its box")));
        // Short mvhd / tkhd.
        assert_eq!(parse_moov(Format::Mp4, &full(b"mvhd", 0, &[0; 3])), Err(BmffError::Malformed("mvhd too short")));
        assert_eq!(
            parse_moov(Format::Mp4, &bx(b"trak", &full(b"tkhd", 1, &[0; 40]))),
            Err(BmffError::Malformed("tkhd too short"))
        );
        // Zero timescales and zero deltas give unknowns, not a division by zero.
        let h = parse_moov(
            Format::Mp4,
            &[mvhd(0, 100), bx(b"trak", &[tkhd(0, 0, ID, 1), mdia(b"vide", 0, 0, b"hvc1", &[(10, 0)])].concat())]
                .concat(),
        )
        .unwrap();
        assert_eq!((h.duration, h.fps, h.width, h.codec.as_deref()), (None, None, Some(640), Some("hvc1")));
        // Every prefix of a real moov gives a value or an error, never a panic.
        let mv = movie(R90, &[(300, 512), (1, 7)], true);
        for n in 0..mv.len() {
            let _ = parse_moov(Format::Mp4, &mv[..n]);
        }
        // Too many children.
        let many: Vec<u8> = (0..5000).flat_map(|_| bx(b"free", &[])).collect();
        assert_eq!(parse_moov(Format::Mp4, &many), Err(BmffError::TooManyBoxes));
    }
}
