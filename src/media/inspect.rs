//! The read loop of `inspectImage` and `inspectVideo`: which bytes of a file, a URL or a
//! Base64 text to read next, what to make of each answer, when to stop and when to let the
//! browser measure instead. The browser layer only carries out the few things in [`Io`]
//! (`Blob.slice`, `fetch` with a `Range` header, a body's chunks, an `<img>`/`<video>`
//! element); this loop, the one that ships, runs natively in the tests over fake ones.
//!
//! - Images ([`inspect_image`]): a 16 KB prefix first, then as far as the header reader asks
//!   (at least doubling, at most 11 MB), so a JPEG whose frame header lies in its first
//!   64 KB costs at most 64 KB.
//! - Videos ([`inspect_video`]): the first 4 KB (format, and often `ftyp` and the next box
//!   headers); at the first box header outside them, the last 8 KB, where a `moov` stored
//!   last is found at once; otherwise the top-level box headers ([`MoovLocator`]) and `moov`.
//! - URLs: a 206 is used as it is, a 200 (the server ignores `Range`) only by its first
//!   bytes and never past 11 MB ([`super::range`]); a failed read lets the browser measure.
//! - Base64: only the 4-character groups covering the asked ranges are decoded.

use super::bmff::{moov_at_end, parse_moov, MoovLocator, Step, VideoHeader};
use super::image::{read_header, HeaderError, ImageHeader};
use super::info::{Failure, ImageInfo, InspectError, MeasuredBy, VideoInfo};
use super::range::{judge, range_header, Answer, Plan, Prefix};
use super::sniff::{sniff, Format};
use crate::rules::base64;

/// The first read of an image.
pub const IMAGE_FIRST_READ: u64 = 16 * 1024;
/// Never read more than this looking for an image header (10 MB images, plus slack).
pub const IMAGE_READ_MAX: u64 = 11 * 1024 * 1024;
/// The first read of a video: enough to sniff, and often `ftyp` plus the next headers.
pub const VIDEO_FIRST_READ: u64 = 4096;
/// Bytes read from the end of a video whose `moov` is not near the start: `moov` at the end
/// of a short clip fits, and is found in that one read (see [`moov_at_end`]).
pub const VIDEO_TAIL_READ: u64 = 8192;

/// Where the bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A picked file (`File`/`Blob`) of this size, read through [`Io::slice`].
    File {
        /// Its size in bytes.
        size: u64,
    },
    /// An http(s) or `blob:` URL, read through [`Io::fetch`].
    Url(String),
    /// Base64 text (a `data:` URI's payload, or raw), decoded here.
    Base64(String),
}

impl Source {
    /// A source named by text: an http(s) or `blob:` URL, a `data:…;base64,` URI or raw
    /// Base64 (checked); `None` for anything else.
    pub fn from_text(s: &str) -> Option<Source> {
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
}

/// What the browser's own decoders measure: the picked file, or a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The picked file ([`Source::File`]).
    File,
    /// A URL.
    Url(&'a str),
}

/// What a `<video>` element tells: duration, displayed width and height.
pub type Metadata = (Option<f64>, Option<u32>, Option<u32>);

/// What the browser does for the loop. Each method does one thing and reports what
/// happened (an error as the browser's message); none decides anything.
// Single-threaded (wasm32 has no threads; the tests drive it in place): no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Io {
    /// Bytes `start..end` of the picked file (`Blob.slice` then `arrayBuffer()`).
    async fn slice(&mut self, start: u64, end: u64) -> Result<Vec<u8>, String>;
    /// `fetch(url)` with the header `Range: range`: the answer's status and headers. Its
    /// body is then read with [`Io::body`] or [`Io::chunk`], or dropped with [`Io::cancel`].
    async fn fetch(&mut self, url: &str, range: &str) -> Result<Answer, String>;
    /// The whole body of the last answer.
    async fn body(&mut self) -> Result<Vec<u8>, String>;
    /// The next chunk of the last answer's body; `None` where it ends (or has none).
    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, String>;
    /// Stops the last answer's body (cancels its stream).
    fn cancel(&mut self);
    /// The displayed size through the browser: `createImageBitmap` for the picked file,
    /// an `<img>` for a URL.
    async fn image_size(&mut self, target: Target<'_>) -> Result<(u32, u32), String>;
    /// Duration and displayed size through a `<video>` element (metadata only): a `blob:`
    /// URL for the picked file. `None` when no element could be pointed at it.
    async fn video_metadata(&mut self, target: Target<'_>) -> Option<Result<Metadata, String>>;
}

/// Reads byte ranges of one source, counting what it reads.
#[derive(Debug)]
struct Reader<'s> {
    src: &'s Source,
    /// Total size, once known.
    size: Option<u64>,
    /// Bytes read (received, or decoded) so far.
    read: u64,
}

impl<'s> Reader<'s> {
    fn new(src: &'s Source) -> Result<Self, InspectError> {
        let size = match src {
            Source::File { size } => Some(*size),
            Source::Url(_) => None,
            Source::Base64(s) => Some(base64::check(s).map_err(InspectError::Base64)?),
        };
        Ok(Reader { src, size, read: 0 })
    }

    /// Up to `len` bytes at `offset`; fewer where the source ends.
    async fn read(&mut self, io: &mut impl Io, offset: u64, len: u64) -> Result<Vec<u8>, InspectError> {
        let end = match self.size {
            Some(size) => offset.saturating_add(len).min(size),
            None => offset.saturating_add(len),
        };
        if end <= offset {
            return Ok(Vec::new());
        }
        let bytes = match self.src {
            Source::File { .. } => io.slice(offset, end).await.map_err(InspectError::Browser)?,
            Source::Base64(s) => base64::decode_range(s, offset, end - offset),
            Source::Url(url) => return self.fetch(io, url, offset, end - offset).await,
        };
        self.read += bytes.len() as u64;
        Ok(bytes)
    }

    /// A ranged `fetch`: counts every byte received, learns the size from the first answer
    /// that tells it, and keeps the asked bytes.
    async fn fetch(&mut self, io: &mut impl Io, url: &str, offset: u64, len: u64) -> Result<Vec<u8>, InspectError> {
        let answer = io.fetch(url, &range_header(offset, len)).await.map_err(InspectError::Browser)?;
        let (bytes, received, total) = match judge(&answer, offset, len) {
            Err(e) => {
                io.cancel();
                return Err(e.into());
            }
            Ok(Plan::Partial { total }) => {
                let mut v = io.body().await.map_err(InspectError::Browser)?;
                let received = v.len() as u64;
                v.truncate(usize::try_from(len).unwrap_or(usize::MAX));
                (v, received, total)
            }
            Ok(Plan::Prefix { upto, total }) => {
                let mut prefix = Prefix::new(upto);
                while prefix.wants_more() {
                    match io.chunk().await.map_err(InspectError::Browser)? {
                        Some(chunk) => prefix.push(&chunk),
                        None => break,
                    }
                }
                io.cancel();
                (prefix.range(offset, len), prefix.received(), total)
            }
        };
        self.read += received;
        if self.size.is_none() {
            self.size = total;
        }
        Ok(bytes)
    }
}

// ---------------------------------------------------------------------------------------
// Images

/// Reads a growing prefix until the header reader answers. Returns its answer and the prefix.
async fn image_prefix(
    io: &mut impl Io,
    r: &mut Reader<'_>,
) -> Result<(Result<ImageHeader, HeaderError>, Vec<u8>), InspectError> {
    let mut buf: Vec<u8> = Vec::new();
    let mut want = IMAGE_FIRST_READ;
    // Each round at least doubles `want` up to IMAGE_READ_MAX: at most ~11 rounds.
    for _ in 0..32 {
        let have = buf.len() as u64;
        let more = r.read(io, have, want - have).await?;
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

/// Measures an image: from its header bytes, else through the browser (`createImageBitmap`
/// for a picked file, an `<img>` for a URL; nothing for Base64).
pub async fn inspect_image(io: &mut impl Io, src: &Source) -> ImageInfo {
    let mut info = ImageInfo::default();
    let mut reader = match Reader::new(src) {
        Ok(r) => r,
        Err(e) => {
            info.error = Some(Failure::new(e));
            return info.finish();
        }
    };
    match image_prefix(io, &mut reader).await {
        Ok((Ok(h), _)) => info.set_header(&h),
        Ok((Err(e), prefix)) => {
            let f = sniff(&prefix);
            if f != Format::Unknown {
                info.format = Some(f.name().to_string());
            }
            info.error = Some(Failure::new(InspectError::Header(e)));
            // Let the browser measure what the header reader could not.
            let measured = match src {
                Source::File { .. } => io.image_size(Target::File).await.ok().map(|s| (s, MeasuredBy::Bitmap)),
                Source::Url(u) => io.image_size(Target::Url(u)).await.ok().map(|s| (s, MeasuredBy::Element)),
                Source::Base64(_) => None,
            };
            if let Some(((w, h), by)) = measured {
                info.width = Some(w);
                info.height = Some(h);
                info.measured_by = by;
            }
        }
        Err(e) => {
            // No bytes (a URL without CORS, a network error): the element measures the size.
            if let Source::Url(u) = src {
                match io.image_size(Target::Url(u)).await {
                    Ok((w, h)) => {
                        info.width = Some(w);
                        info.height = Some(h);
                        info.measured_by = MeasuredBy::Element;
                    }
                    Err(e2) => info.error = Some(Failure { error: e, fallback: Some(e2) }),
                }
            } else {
                info.error = Some(Failure::new(e));
            }
        }
    }
    info.bytes = reader.size.map(|s| s as f64);
    info.bytes_read = reader.read as f64;
    info.finish()
}

// ---------------------------------------------------------------------------------------
// Videos

/// A byte range held in memory (the head or the tail of the file).
fn held(at: u64, bytes: &[u8], offset: u64, len: u64) -> Option<Vec<u8>> {
    let start = usize::try_from(offset.checked_sub(at)?).ok()?;
    bytes.get(start..start.checked_add(usize::try_from(len).ok()?)?).map(<[u8]>::to_vec)
}

/// Sniffs, walks the top-level boxes to `moov` and parses it. The outer error is a failed
/// read; the inner one a file this reader cannot measure.
async fn video_header(
    io: &mut impl Io,
    r: &mut Reader<'_>,
) -> Result<(Format, Result<VideoHeader, InspectError>), InspectError> {
    let head = r.read(io, 0, VIDEO_FIRST_READ).await?;
    let format = sniff(&head);
    if !format.is_bmff_video() {
        return Ok((format, Err(InspectError::NotBmff(format))));
    }
    let Some(size) = r.size else {
        return Ok((format, Err(InspectError::NoSize)));
    };
    let mut loc = MoovLocator::new(size);
    let mut step = loc.start();
    // The tail of the file, read at the walk's first header outside the head: where `moov` is
    // last (no "fast start"), it is found there and the file costs two reads, not one a box.
    let mut tail: Option<(u64, Vec<u8>)> = None;
    let in_memory = |tail: &Option<(u64, Vec<u8>)>, offset: u64, len: u64| {
        held(0, &head, offset, len).or_else(|| tail.as_ref().and_then(|(at, t)| held(*at, t, offset, len)))
    };
    // MoovLocator ends the walk after MAX_TOP_BOXES headers.
    loop {
        match step {
            Step::Read { offset, len } => {
                if tail.is_none() && held(0, &head, offset, len).is_none() {
                    let start = size.saturating_sub(VIDEO_TAIL_READ).max(offset);
                    let bytes = r.read(io, start, size.saturating_sub(start)).await?;
                    if let Some(moov) = moov_at_end(&bytes) {
                        if let Ok(h) = parse_moov(format, moov) {
                            return Ok((format, Ok(h)));
                        }
                    }
                    tail = Some((start, bytes));
                }
                let bytes = match in_memory(&tail, offset, len) {
                    Some(b) => b,
                    None => r.read(io, offset, len).await?,
                };
                step = match loc.feed(&bytes) {
                    Ok(s) => s,
                    Err(e) => return Ok((format, Err(InspectError::Bmff(e)))),
                };
            }
            Step::Moov { offset, len } => {
                let bytes = match in_memory(&tail, offset, len) {
                    Some(b) => b,
                    None => r.read(io, offset, len).await?,
                };
                if (bytes.len() as u64) < len {
                    return Ok((format, Err(InspectError::MoovTruncated)));
                }
                return Ok((format, parse_moov(format, &bytes).map_err(InspectError::Bmff)));
            }
        }
    }
}

/// Measures a video: MP4/MOV from `moov`, other containers by their magic bytes; where
/// the bytes do not tell everything, through a `<video>` element (not for Base64).
pub async fn inspect_video(io: &mut impl Io, src: &Source) -> VideoInfo {
    let mut info = VideoInfo::default();
    let mut reader = match Reader::new(src) {
        Ok(r) => r,
        Err(e) => {
            info.error = Some(Failure::new(e));
            return info.finish();
        }
    };
    let failed = match video_header(io, &mut reader).await {
        Ok((_, Ok(h))) => {
            info.set_header(&h);
            None
        }
        Ok((format, Err(e))) => {
            if format != Format::Unknown {
                info.format = Some(format.name().to_string());
            }
            Some(e)
        }
        Err(e) => Some(e),
    };
    if let Some(error) = failed {
        let mut failure = Failure::new(error);
        let target = match src {
            Source::File { .. } => Some(Target::File),
            Source::Url(u) => Some(Target::Url(u)),
            Source::Base64(_) => None,
        };
        if let Some(target) = target {
            match io.video_metadata(target).await {
                Some(Ok((d, w, h))) => {
                    info.duration = d;
                    info.width = w;
                    info.height = h;
                    info.measured_by = MeasuredBy::Element;
                }
                Some(Err(e)) => failure.fallback = Some(e),
                None => {}
            }
        }
        info.error = Some(failure);
    }
    info.bytes = reader.size.map(|s| s as f64);
    info.bytes_read = reader.read as f64;
    info.finish()
}
