//! HTTP `Range` answers: whether an answer to `Range: bytes=first-last` can be used, and
//! how (a 206 as it is, a 200 by its first bytes only), from its status and headers alone.
//!
//! The browser layer sends the request and hands the status, `Content-Range` and
//! `Content-Length` here ([`judge`]); the answer says what to do with the body. A server
//! that ignores `Range` answers 200 with the whole file: its body is read from the start
//! only as far as the asked bytes ([`Prefix`], at most [`STREAM_MAX`] bytes), then
//! cancelled.
//!
//! ```
//! use kling_omni::media::range::{judge, Answer, Plan, RangeError};
//! let partial = Answer { status: 206, content_range: Some("bytes 0-4095/209715200".into()), content_length: None };
//! assert_eq!(judge(&partial, 0, 4096), Ok(Plan::Partial { total: Some(209_715_200) }));
//! // The server ignores Range: the first 4 KB of its 200 answer are read, no more.
//! let whole = Answer { status: 200, content_range: None, content_length: Some("209715200".into()) };
//! assert_eq!(judge(&whole, 0, 4096), Ok(Plan::Prefix { upto: 4096, total: Some(209_715_200) }));
//! // ... but reaching the last 8 KB would mean downloading all 200 MB before them.
//! assert!(matches!(judge(&whole, 209_707_008, 8192), Err(RangeError::Ignored { .. })));
//! ```

use std::fmt;

/// The most read from the start of a body whose server ignores `Range` (an image header
/// may need up to 11 MB; a video's tail beyond this is not worth downloading the file for).
pub const STREAM_MAX: u64 = 11 * 1024 * 1024;

/// What a ranged request's answer said, before its body is read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Range` header, where the answer has one and CORS exposes it.
    pub content_range: Option<String>,
    /// The `Content-Length` header, where the answer has one and CORS exposes it.
    pub content_length: Option<String>,
}

/// How to read the body of a usable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// 206: the body holds the asked bytes (it may run longer: keep the asked length, count
    /// all; it may be shorter: the file ends). `total` is the file size `Content-Range`
    /// names.
    Partial {
        /// The file size, where `Content-Range` names it.
        total: Option<u64>,
    },
    /// 200: the body is the whole file. Read its first `upto` bytes (the asked range's
    /// end), then cancel it; keep the asked range of them. `total` is `Content-Length`.
    Prefix {
        /// How many bytes from the start of the body to read.
        upto: u64,
        /// The file size, where `Content-Length` names it.
        total: Option<u64>,
    },
}

/// Why an answer cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeError {
    /// Neither 206 nor 200 (404, 416, a 5xx, …).
    Status(u16),
    /// A 200 (the server ignores `Range`) where the asked bytes lie past [`STREAM_MAX`]:
    /// reaching them means downloading everything before them.
    Ignored {
        /// Where the asked range ends.
        upto: u64,
        /// Where it starts.
        offset: u64,
    },
    /// A 206 whose `Content-Range` starts elsewhere than asked: its bytes are not the
    /// asked ones.
    Misplaced {
        /// The asked first byte.
        asked: u64,
        /// The first byte the answer says it holds.
        got: u64,
    },
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeError::Status(status) => write!(f, "HTTP {status}"),
            RangeError::Ignored { upto, offset } => {
                write!(f, "the server ignores Range requests; not downloading {upto} bytes to reach offset {offset}")
            }
            RangeError::Misplaced { asked, got } => {
                write!(f, "the server answered a Range request for byte {asked} with bytes from {got}")
            }
        }
    }
}

impl std::error::Error for RangeError {}

/// The `Range` header value for `len` bytes at `offset` (`len` at least 1).
pub fn range_header(offset: u64, len: u64) -> String {
    let last = offset.saturating_add(len.max(1) - 1);
    format!("bytes={offset}-{last}")
}

/// The file size a `Content-Range` names (`bytes 0-99/1234`): `None` for `*` or anything
/// unreadable.
pub fn content_range_total(value: &str) -> Option<u64> {
    value.rsplit('/').next().and_then(|t| t.trim().parse::<u64>().ok())
}

/// The first byte a `Content-Range` names (`bytes 100-199/1234` gives 100), where it reads.
pub fn content_range_start(value: &str) -> Option<u64> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    rest.split('-').next()?.trim().parse::<u64>().ok()
}

/// Judges the answer to a request for `len` bytes at `offset`. A 206 is taken unless its
/// `Content-Range` names another start (a missing or unreadable one is taken on trust:
/// servers that do not expose it through CORS are common); a 200 is read from the start
/// up to the asked range's end, at most [`STREAM_MAX`] bytes; anything else is refused.
pub fn judge(answer: &Answer, offset: u64, len: u64) -> Result<Plan, RangeError> {
    match answer.status {
        206 => {
            let range = answer.content_range.as_deref();
            if let Some(got) = range.and_then(content_range_start) {
                if got != offset {
                    return Err(RangeError::Misplaced { asked: offset, got });
                }
            }
            Ok(Plan::Partial { total: range.and_then(content_range_total) })
        }
        200 => {
            let upto = offset.saturating_add(len);
            if upto > STREAM_MAX {
                return Err(RangeError::Ignored { upto, offset });
            }
            let total = answer.content_length.as_deref().and_then(|l| l.trim().parse::<u64>().ok());
            Ok(Plan::Prefix { upto, total })
        }
        status => Err(RangeError::Status(status)),
    }
}

/// The bytes of a body read so far, from its start, keeping no more than asked.
#[derive(Debug, Clone, Default)]
pub struct Prefix {
    upto: u64,
    kept: Vec<u8>,
    received: u64,
}

impl Prefix {
    /// Collects the first `upto` bytes of a body.
    pub fn new(upto: u64) -> Self {
        Prefix { upto, kept: Vec::new(), received: 0 }
    }

    /// True while fewer than `upto` bytes have arrived: read another chunk.
    pub fn wants_more(&self) -> bool {
        self.received < self.upto
    }

    /// Takes a chunk of the body: counts all of it, keeps what lies before `upto`.
    pub fn push(&mut self, chunk: &[u8]) {
        self.received = self.received.saturating_add(chunk.len() as u64);
        let room = usize::try_from(self.upto.saturating_sub(self.kept.len() as u64)).unwrap_or(usize::MAX);
        self.kept.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or(chunk));
    }

    /// Every byte received (what the network carried).
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The bytes `[offset, offset + len)` of what was kept (fewer where the body ended).
    pub fn range(&self, offset: u64, len: u64) -> Vec<u8> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(self.kept.len());
        let end = usize::try_from(offset.saturating_add(len)).unwrap_or(usize::MAX).min(self.kept.len());
        self.kept.get(start..end).unwrap_or(&[]).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, range: Option<&str>, length: Option<&str>) -> Answer {
        Answer { status, content_range: range.map(str::to_string), content_length: length.map(str::to_string) }
    }

    #[test]
    fn judges_answers() {
        let mb = 1024 * 1024;
        for (a, offset, len, want) in [
            // 206 as asked; with `*` (size unknown); with no header exposed; longer than asked.
            (answer(206, Some("bytes 0-4095/5000"), None), 0, 4096, Ok(Plan::Partial { total: Some(5000) })),
            (answer(206, Some("bytes 100-199/*"), None), 100, 100, Ok(Plan::Partial { total: None })),
            (answer(206, None, Some("100")), 100, 100, Ok(Plan::Partial { total: None })),
            (answer(206, Some("bytes 100-9999/10000"), None), 100, 100, Ok(Plan::Partial { total: Some(10000) })),
            (answer(206, Some("garbage"), None), 100, 100, Ok(Plan::Partial { total: None })),
            // 206 for other bytes than asked.
            (answer(206, Some("bytes 0-99/10000"), None), 100, 100, Err(RangeError::Misplaced { asked: 100, got: 0 })),
            (answer(206, Some("bytes 4096-8191/1"), None), 0, 10, Err(RangeError::Misplaced { asked: 0, got: 4096 })),
            // 200: the whole file, read from the start as far as needed, up to the cap.
            (answer(200, None, Some("209715200")), 0, 4096, Ok(Plan::Prefix { upto: 4096, total: Some(209715200) })),
            (answer(200, None, None), 0, 16384, Ok(Plan::Prefix { upto: 16384, total: None })),
            (answer(200, None, Some("x")), 11 * mb - 10, 10, Ok(Plan::Prefix { upto: 11 * mb, total: None })),
            (
                answer(200, None, None),
                11 * mb - 10,
                11,
                Err(RangeError::Ignored { upto: 11 * mb + 1, offset: 11 * mb - 10 }),
            ),
            (
                answer(200, None, None),
                u64::MAX,
                u64::MAX,
                Err(RangeError::Ignored { upto: u64::MAX, offset: u64::MAX }),
            ),
            // Anything else.
            (answer(416, Some("bytes */100"), None), 200, 10, Err(RangeError::Status(416))),
            (answer(404, None, None), 0, 10, Err(RangeError::Status(404))),
            (answer(0, None, None), 0, 10, Err(RangeError::Status(0))),
        ] {
            assert_eq!(judge(&a, offset, len), want, "{a:?} at {offset}+{len}");
        }
    }

    #[test]
    fn reads_headers() {
        assert_eq!(range_header(0, 4096), "bytes=0-4095");
        assert_eq!(range_header(u64::MAX - 1, 100), format!("bytes={}-{}", u64::MAX - 1, u64::MAX));
        assert_eq!(content_range_total("bytes 0-1/  77 "), Some(77));
        assert_eq!(content_range_total("bytes 0-1/18446744073709551616"), None);
        assert_eq!(content_range_start(" bytes  12-20/30"), Some(12));
        assert_eq!(content_range_start("items 12-20/30"), None);
    }

    #[test]
    fn keeps_a_prefix() {
        let mut p = Prefix::new(10);
        assert!(p.wants_more());
        p.push(&[1; 6]);
        p.push(&[2; 64 * 1024]);
        assert!(!p.wants_more());
        assert_eq!(p.received(), 6 + 64 * 1024);
        assert_eq!(p.range(4, 100), [1, 1, 2, 2, 2, 2]);
        assert_eq!(p.range(u64::MAX, u64::MAX), Vec::<u8>::new());
        // A body shorter than asked.
        let mut p = Prefix::new(100);
        p.push(&[7; 3]);
        assert!(p.wants_more());
        assert_eq!(p.range(1, 10), [7, 7]);
    }
}
