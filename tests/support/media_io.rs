//! A fake browser for the media read loop (`kling_omni::media::inspect`): a picked file or
//! an HTTP server over bytes held in memory, in a sparse file or on disk, with the ways real
//! servers answer `Range` (honestly, not at all, with a wrong `Content-Range`, hiding
//! headers from CORS), and `<img>`/`<video>` elements that measure or fail. Every
//! operation is logged, so tests assert what was read, not only what came out.

use kling_omni::media::inspect::{Io, Metadata, Target};
use kling_omni::media::range::Answer;
use std::fs::File;
use std::future::Future;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// Runs a future whose I/O never waits (everything here answers at once): polls it once.
pub fn run<F: Future>(f: F) -> F::Output {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    let waker = Waker::from(Arc::new(Noop));
    match pin!(f).poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the fake I/O never waits, yet the loop did"),
    }
}

/// The bytes of a file, read by range.
pub enum Bytes {
    /// Held in memory.
    Memory(Vec<u8>),
    /// `size` bytes of zeros with these parts laid over them: a 200 MB file for free.
    Sparse { size: u64, parts: Vec<(u64, Vec<u8>)> },
    /// A file on disk.
    Disk { file: File, size: u64 },
}

impl Bytes {
    pub fn disk(path: &Path) -> Bytes {
        let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let size = file.metadata().unwrap().len();
        Bytes::Disk { file, size }
    }

    pub fn len(&self) -> u64 {
        match self {
            Bytes::Memory(v) => v.len() as u64,
            Bytes::Sparse { size, .. } | Bytes::Disk { size, .. } => *size,
        }
    }

    /// Bytes `start..end`, fewer where the file ends.
    pub fn get(&mut self, start: u64, end: u64) -> Vec<u8> {
        let end = end.min(self.len());
        if end <= start {
            return Vec::new();
        }
        match self {
            Bytes::Memory(v) => v[start as usize..end as usize].to_vec(),
            Bytes::Sparse { parts, .. } => {
                let mut out = vec![0u8; (end - start) as usize];
                for (at, part) in parts.iter() {
                    for (i, b) in part.iter().enumerate() {
                        let p = at + i as u64;
                        if p >= start && p < end {
                            out[(p - start) as usize] = *b;
                        }
                    }
                }
                out
            }
            Bytes::Disk { file, .. } => {
                file.seek(SeekFrom::Start(start)).unwrap();
                let mut out = Vec::new();
                file.take(end - start).read_to_end(&mut out).unwrap();
                out
            }
        }
    }
}

/// How the fake server answers `Range: bytes=a-b`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Server {
    /// 206 with `Content-Range: bytes a-b'/size`, as the fixture server does.
    Honest,
    /// 206 with `Content-Range: bytes a-b'/*`: the size untold.
    NoTotal,
    /// 206 with no `Content-Range` or `Content-Length` visible (CORS exposes neither).
    Hidden,
    /// 206 whose `Content-Range` says the size is this, whatever the file holds.
    Claims(u64),
    /// 206 whose `Content-Range` (and bytes) start this many bytes off the asked start.
    Shifted(u64),
    /// 200 with the whole file in 64 KB chunks and its `Content-Length`.
    IgnoresRange,
    /// This status for everything, no body.
    Status(u16),
    /// `fetch` rejects (no CORS, network down) with this message.
    Down(&'static str),
}

/// The chunk size of a streamed body.
pub const CHUNK: u64 = 64 * 1024;

/// A fake browser over one file.
pub struct FakeIo {
    pub bytes: Bytes,
    pub server: Server,
    /// What `createImageBitmap` or `<img>` says.
    pub image_element: Result<(u32, u32), String>,
    /// What `<video>` says (`None`: no element could be pointed at the file).
    pub video_element: Option<Result<Metadata, String>>,
    /// Every operation, in order: `slice 0-16384`, `GET bytes=0-4095: 206`, `body 4096`,
    /// `chunk 65536`, `cancel`, `bitmap`, `img <url>`, `video file`, `video <url>`.
    pub log: Vec<String>,
    /// The answer being read: its bytes range, and how far its body has been streamed.
    answer: Option<(u64, u64, u64)>,
}

impl FakeIo {
    pub fn new(bytes: Bytes, server: Server) -> FakeIo {
        FakeIo {
            bytes,
            server,
            image_element: Err("the element failed".into()),
            video_element: Some(Err("the element failed".into())),
            log: Vec::new(),
            answer: None,
        }
    }

    pub fn memory(bytes: Vec<u8>, server: Server) -> FakeIo {
        FakeIo::new(Bytes::Memory(bytes), server)
    }

    /// The operations logged, as `&str`s.
    pub fn ops(&self) -> Vec<&str> {
        self.log.iter().map(String::as_str).collect()
    }
}

impl Io for FakeIo {
    async fn slice(&mut self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        self.log.push(format!("slice {start}-{end}"));
        Ok(self.bytes.get(start, end))
    }

    async fn fetch(&mut self, _url: &str, range: &str) -> Result<Answer, String> {
        let size = self.bytes.len();
        let (first, last) = range
            .strip_prefix("bytes=")
            .and_then(|r| r.split_once('-'))
            .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
            .unwrap_or_else(|| panic!("not a range: {range}"));
        let (answer, body) = match self.server {
            Server::Down(message) => {
                self.log.push(format!("GET {range}: {message}"));
                return Err(message.to_string());
            }
            Server::Status(status) => (Answer { status, ..Default::default() }, None),
            Server::IgnoresRange => {
                let a = Answer { status: 200, content_length: Some(size.to_string()), ..Default::default() };
                (a, Some((0, size)))
            }
            _ if first >= size => {
                (Answer { status: 416, content_range: Some(format!("bytes */{size}")), ..Default::default() }, None)
            }
            server => {
                let shift = if let Server::Shifted(by) = server { by } else { 0 };
                let start = first.saturating_add(shift).min(size);
                let end = last.saturating_add(shift).saturating_add(1).min(size);
                let total = match server {
                    Server::NoTotal => "*".to_string(),
                    Server::Claims(n) => n.to_string(),
                    _ => size.to_string(),
                };
                let range = format!("bytes {start}-{}/{total}", end.saturating_sub(1));
                let a = match server {
                    Server::Hidden => Answer { status: 206, ..Default::default() },
                    _ => Answer { status: 206, content_range: Some(range), content_length: None },
                };
                (a, Some((start, end)))
            }
        };
        self.log.push(format!("GET {range}: {}", answer.status));
        self.answer = body.map(|(start, end)| (start, end, start));
        Ok(answer)
    }

    async fn body(&mut self) -> Result<Vec<u8>, String> {
        let (start, end, _) = self.answer.take().ok_or("no body")?;
        let v = self.bytes.get(start, end);
        self.log.push(format!("body {}", v.len()));
        Ok(v)
    }

    async fn chunk(&mut self) -> Result<Option<Vec<u8>>, String> {
        let Some((_, end, at)) = self.answer.as_mut() else {
            return Ok(None);
        };
        if *at >= *end {
            return Ok(None);
        }
        let from = *at;
        let to = (from + CHUNK).min(*end);
        *at = to;
        let v = self.bytes.get(from, to);
        self.log.push(format!("chunk {}", v.len()));
        Ok(Some(v))
    }

    fn cancel(&mut self) {
        self.answer = None;
        self.log.push("cancel".into());
    }

    async fn image_size(&mut self, target: Target<'_>) -> Result<(u32, u32), String> {
        self.log.push(match target {
            Target::File => "bitmap".to_string(),
            Target::Url(u) => format!("img {u}"),
        });
        self.image_element.clone()
    }

    async fn video_metadata(&mut self, target: Target<'_>) -> Option<Result<Metadata, String>> {
        self.log.push(match target {
            Target::File => "video file".to_string(),
            Target::Url(u) => format!("video {u}"),
        });
        self.video_element.clone()
    }
}
