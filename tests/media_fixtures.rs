//! The media readers on real files made by `tests/fixtures/make.sh` (ffmpeg), with the
//! read bounds of issue 3 asserted: box headers plus `moov` (≤ 1 %) for a 200 MiB MP4 with
//! `moov` at the end, at most 64 KB for a 10 MB JPEG. The loop that ships in the browser
//! (`media::inspect`) reads the same files through a fake browser (`support/media_io.rs`),
//! with the figures Chromium gives (`tests/web_media.rs`).
//!
//! The fixtures are made on first use (`make.sh` skips the files that exist). Where they
//! cannot be (no ffmpeg), every test here passes without running and says so on the
//! terminal; `make test` makes them first, so there they always run.

mod support;

use kling_omni::media::bmff::{parse_moov, read_video, BmffError, MoovLocator, Step, VideoHeader};
use kling_omni::media::image::{read_header, HeaderError, ImageHeader};
use kling_omni::media::sniff::{sniff, Format, SNIFF_LEN};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use support::media_io::{run, Bytes, FakeIo, Server};

/// True once the fixtures are there: made by `tests/fixtures/make.sh` (once per run), or
/// made earlier. False where they cannot be made here: the reason goes to the terminal
/// (past the test harness's capture) and the caller returns.
fn fixtures() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let why = match Command::new(root.join("make.sh")).output() {
            Ok(out) if out.status.success() => return true,
            Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_string(),
            Err(e) => format!("make.sh: {e}"),
        };
        // make.sh makes big.mp4 last: with it, a machine without ffmpeg can still read them.
        if root.join("generated/big.mp4").is_file() {
            return true;
        }
        let _ = writeln!(
            std::io::stderr(),
            "tests/media_fixtures.rs: SKIPPED, the media fixtures cannot be made here ({why}). \
             Install ffmpeg and python3 and run tests/fixtures/make.sh (make test does)."
        );
        false
    })
}

fn path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/generated");
    assert!(dir.is_dir(), "{} is missing: run tests/fixtures/make.sh (make test runs it first)", dir.display());
    let p = dir.join(name);
    assert!(p.is_file(), "{} is missing: run tests/fixtures/make.sh", p.display());
    p
}

/// Reads `len` bytes at `offset`, counting them.
fn read_at(f: &mut File, offset: u64, len: u64, counter: &mut u64) -> Vec<u8> {
    f.seek(SeekFrom::Start(offset)).unwrap();
    let mut buf = Vec::new();
    f.take(len).read_to_end(&mut buf).unwrap();
    *counter += buf.len() as u64;
    buf
}

/// An image header read by the header reader alone: a growing prefix, exactly as long as it
/// asks (the least any loop could read; the browser's reads more at once, see the last test).
fn image(name: &str) -> (Result<ImageHeader, HeaderError>, u64) {
    let mut f = File::open(path(name)).unwrap();
    let size = f.metadata().unwrap().len();
    let mut read = 0u64;
    let mut prefix = read_at(&mut f, 0, SNIFF_LEN as u64, &mut read);
    for _ in 0..1000 {
        match read_header(&prefix) {
            Err(HeaderError::NeedMore { len }) if len <= size => {
                assert!(len > prefix.len() as u64);
                let more = read_at(&mut f, prefix.len() as u64, len - prefix.len() as u64, &mut read);
                prefix.extend(more);
            }
            other => return (other, read),
        }
    }
    panic!("no answer for {name}");
}

/// A video walked by `MoovLocator` alone: box headers, then `moov` (the least any loop could
/// read; the browser's reads the first 4 KB and the last 8 KB, see the last test).
/// Returns the header, the bytes actually read and the file size.
fn video(name: &str) -> (Result<VideoHeader, BmffError>, u64, u64) {
    let mut f = File::open(path(name)).unwrap();
    let size = f.metadata().unwrap().len();
    let mut read = 0u64;
    let format = sniff(&read_at(&mut f, 0, SNIFF_LEN as u64, &mut read));
    let mut loc = MoovLocator::new(size);
    let mut step = loc.start();
    loop {
        match step {
            Step::Read { offset, len } => {
                let b = read_at(&mut f, offset, len, &mut read);
                step = match loc.feed(&b) {
                    Ok(s) => s,
                    Err(e) => return (Err(e), read, size),
                };
            }
            Step::Moov { offset, len } => {
                let moov = read_at(&mut f, offset, len, &mut read);
                assert_eq!(read - SNIFF_LEN as u64, loc.bytes_planned());
                return (parse_moov(format, &moov), read, size);
            }
        }
    }
}

fn img(name: &str) -> ImageHeader {
    image(name).0.unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn jpegs() {
    if !fixtures() {
        return;
    }
    let h = img("photo.jpg");
    assert_eq!(h, ImageHeader { format: Format::Jpeg, width: 640, height: 480, orientation: None });
    let h = img("photo-exif6.jpg");
    assert_eq!((h.width, h.height, h.orientation), (640, 480, Some(6)));
    assert_eq!(h.displayed(), (480, 640));
    let raw = std::fs::read(path("photo-progressive.jpg")).unwrap();
    assert!(raw.windows(2).any(|w| w == [0xFF, 0xC2]), "not progressive");
    assert!(!raw.windows(2).any(|w| w == [0xFF, 0xC0]));
    assert_eq!(img("photo-progressive.jpg").displayed(), (640, 480));
}

#[test]
fn big_jpeg_reads_at_most_64_kb() {
    if !fixtures() {
        return;
    }
    let (h, read) = image("big.jpg");
    let h = h.unwrap();
    assert_eq!((h.format, h.width, h.height), (Format::Jpeg, 4032, 3024));
    assert_eq!(std::fs::metadata(path("big.jpg")).unwrap().len(), 11_010_048);
    assert!(read <= 64 * 1024, "read {read} bytes");
    println!("big.jpg: {read} bytes read of 11010048");
}

#[test]
fn png_gif_webp() {
    if !fixtures() {
        return;
    }
    for (name, format, w, h) in [
        ("image.png", Format::Png, 640, 480),
        ("square-200.png", Format::Png, 200, 200),
        ("image.gif", Format::Gif, 320, 240),
        ("image.webp", Format::Webp, 400, 300),
        ("lossless.webp", Format::Webp, 400, 300),
    ] {
        let got = img(name);
        assert_eq!((got.format, got.width, got.height, got.orientation), (format, w, h, None), "{name}");
        assert!(image(name).1 <= 64, "{name} read {}", image(name).1);
    }
}

/// The fixtures of `prepareImage` (`tests/prepare_suite`): each fails one image rule, as made.
#[test]
fn prepare_image_fixtures() {
    if !fixtures() {
        return;
    }
    for (name, format, stored, orientation) in [
        ("small-280.png", Format::Png, (280, 280), None),
        ("tall-1x3.png", Format::Png, (300, 900), None),
        ("alpha-200.png", Format::Png, (200, 200), None),
        ("big-12mb.png", Format::Png, (4400, 3300), None),
        ("wide-3x1.jpg", Format::Jpeg, (1200, 400), None),
        ("wide-exif6.jpg", Format::Jpeg, (1000, 250), Some(6)),
    ] {
        let got = img(name);
        assert_eq!((got.format, (got.width, got.height), got.orientation), (format, stored, orientation), "{name}");
    }
    assert_eq!(img("wide-exif6.jpg").displayed(), (250, 1000));
    let big = std::fs::metadata(path("big-12mb.png")).unwrap().len();
    assert!(big > 10 * 1024 * 1024 && big < 13 * 1024 * 1024, "big-12mb.png is {big} bytes");
    assert_eq!(sniff(&std::fs::read(path("image.bmp")).unwrap()[..SNIFF_LEN]).name(), "bmp");
}

#[test]
fn hostile_pngs() {
    if !fixtures() {
        return;
    }
    assert_eq!(image("hostile-huge.png").0, Err(HeaderError::Malformed("width or height over 1 000 000")));
    assert_eq!(image("hostile-zero.png").0, Err(HeaderError::Malformed("zero width or height")));
}

struct Want {
    name: &'static str,
    format: Format,
    size: (u32, u32),
    displayed: (u32, u32),
    rotation: u16,
    duration: f64,
    fps: f64,
    codec: &'static str,
    audio: bool,
}

const VIDEOS: &[Want] = &[
    Want {
        name: "v24.mp4",
        format: Format::Mp4,
        size: (1280, 720),
        displayed: (1280, 720),
        rotation: 0,
        duration: 3.0,
        fps: 24.0,
        codec: "avc1",
        audio: false,
    },
    Want {
        name: "v25.mp4",
        format: Format::Mp4,
        size: (1280, 720),
        displayed: (1280, 720),
        rotation: 0,
        duration: 5.0,
        fps: 25.0,
        codec: "avc1",
        audio: true,
    },
    Want {
        name: "v2997.mov",
        format: Format::Mov,
        size: (1280, 720),
        displayed: (1280, 720),
        rotation: 0,
        duration: 4.004,
        fps: 30000.0 / 1001.0,
        codec: "avc1",
        audio: false,
    },
    Want {
        name: "v30-faststart.mp4",
        format: Format::Mp4,
        size: (1280, 720),
        displayed: (1280, 720),
        rotation: 0,
        duration: 10.0,
        fps: 30.0,
        codec: "avc1",
        audio: false,
    },
    Want {
        name: "v60.mp4",
        format: Format::Mp4,
        size: (1280, 720),
        displayed: (1280, 720),
        rotation: 0,
        duration: 3.0,
        fps: 60.0,
        codec: "avc1",
        audio: false,
    },
    Want {
        name: "phone.mov",
        format: Format::Mov,
        size: (1920, 1080),
        displayed: (1080, 1920),
        rotation: 90,
        duration: 3.0,
        fps: 30.0,
        codec: "avc1",
        audio: true,
    },
    Want {
        name: "small-hevc.mp4",
        format: Format::Mp4,
        size: (640, 360),
        displayed: (640, 360),
        rotation: 0,
        duration: 2.0,
        fps: 25.0,
        codec: "hvc1",
        audio: false,
    },
    Want {
        name: "big.mp4",
        format: Format::Mp4,
        size: (1280, 720),
        displayed: (1280, 720),
        rotation: 0,
        duration: 3.0,
        fps: 30.0,
        codec: "avc1",
        audio: false,
    },
];

#[test]
fn constant_rate_videos() {
    if !fixtures() {
        return;
    }
    for w in VIDEOS {
        let (h, _, _) = video(w.name);
        let h = h.unwrap_or_else(|e| panic!("{}: {e}", w.name));
        assert_eq!(h.format, w.format, "{}", w.name);
        assert_eq!((h.width, h.height), (Some(w.size.0), Some(w.size.1)), "{}", w.name);
        assert_eq!(h.displayed(), (Some(w.displayed.0), Some(w.displayed.1)), "{}", w.name);
        assert_eq!(h.rotation, w.rotation, "{}", w.name);
        let d = h.duration.unwrap();
        assert!((d - w.duration).abs() < 0.03, "{}: duration {d}", w.name);
        let f = h.fps.unwrap();
        assert!((f.avg - w.fps).abs() < 1e-9, "{}: fps {f:?}", w.name);
        assert!(!f.variable && (f.min - w.fps).abs() < 1e-9 && (f.max - w.fps).abs() < 1e-9, "{}: {f:?}", w.name);
        assert_eq!(h.codec.as_deref(), Some(w.codec), "{}", w.name);
        assert_eq!(h.has_audio, w.audio, "{}", w.name);
        assert!(h.has_video);
        // The in-memory path agrees (not for the 200 MiB file).
        if w.name != "big.mp4" {
            let (m, _) = read_video(&std::fs::read(path(w.name)).unwrap()).unwrap();
            assert_eq!(m, h, "{}", w.name);
        }
    }
}

#[test]
fn variable_rate_video() {
    if !fixtures() {
        return;
    }
    let h = video("vfr.mp4").0.unwrap();
    let f = h.fps.unwrap();
    assert!(f.variable);
    assert!((f.min - 30.0).abs() < 1e-9 && (f.max - 60.0).abs() < 1e-9, "{f:?}");
    assert!((f.avg - 45.0).abs() < 1e-9, "{f:?}");
    assert!((h.duration.unwrap() - 3.0).abs() < 0.03);
}

#[test]
fn moov_at_start_and_end() {
    if !fixtures() {
        return;
    }
    // faststart: ftyp, moov: two header reads and moov.
    let (h, read, size) = video("v30-faststart.mp4");
    h.unwrap();
    assert!(read < size / 100, "{read}");
    let raw = std::fs::read(path("v30-faststart.mp4")).unwrap();
    assert_eq!(&raw[36..40], b"moov");
    // moov at the end of v24.mp4 (ffmpeg's default): ftyp, free, mdat, moov.
    let raw = std::fs::read(path("v24.mp4")).unwrap();
    let moov_at = raw.windows(4).rposition(|w| w == b"moov").unwrap();
    assert!(moov_at > raw.len() / 2);
}

#[test]
fn big_mp4_reads_under_one_percent() {
    if !fixtures() {
        return;
    }
    let (h, read, size) = video("big.mp4");
    h.unwrap();
    assert_eq!(size, 200 * 1024 * 1024);
    assert!(read * 100 <= size, "read {read} of {size}");
    // Box headers (ftyp, free, mdat, padding mdat with a 64-bit size, moov) plus moov:
    // a few kilobytes.
    assert!(read < 16 * 1024, "read {read}");
    println!("big.mp4: {read} bytes read of {size}");
}

#[test]
fn other_containers_are_named() {
    if !fixtures() {
        return;
    }
    let webm = std::fs::read(path("clip.webm")).unwrap();
    assert_eq!(sniff(&webm), Format::WebM);
    assert_eq!(read_video(&webm).unwrap_err(), BmffError::Malformed("not an MP4 or MOV file"));
    assert_eq!(read_header(&webm), Err(HeaderError::Unsupported(Format::WebM)));
}

/// The loop that ships (`inspectImage`, `inspectVideo`) on the fixtures, as a picked file and
/// over HTTP `Range`: what it reads is what Chromium reads (`tests/web_media.rs` prints it).
/// The sizes of the files ffmpeg encodes vary with its version: their reads are compared
/// between file and URL, not to a figure.
#[test]
fn the_shipping_loop_reads_what_chromium_reads() {
    if !fixtures() {
        return;
    }
    use kling_omni::media::inspect::{inspect_image, inspect_video, Source};
    for (name, video, read, (w, h)) in [
        ("big.jpg", false, Some(16_384), (4032, 3024)),
        ("big.mp4", true, Some(12_288), (1280, 720)),
        ("photo-exif6.jpg", false, None, (480, 640)),
        ("phone.mov", true, None, (1080, 1920)),
    ] {
        let mut figures = Vec::new();
        for (how, server) in [("file", None), ("url", Some(Server::Honest))] {
            let mut io = FakeIo::new(Bytes::disk(&path(name)), server.unwrap_or(Server::Honest));
            let size = io.bytes.len();
            let src = match server {
                None => Source::File { size },
                Some(_) => Source::Url(format!("http://127.0.0.1/{name}")),
            };
            let info = if video {
                serde_json::to_value(run(inspect_video(&mut io, &src))).unwrap()
            } else {
                serde_json::to_value(run(inspect_image(&mut io, &src))).unwrap()
            };
            assert_eq!(info["bytes"].as_f64(), Some(size as f64), "{name} {how}");
            assert_eq!((info["width"].as_u64(), info["height"].as_u64()), (Some(w), Some(h)), "{name} {how}");
            assert_eq!(info["measuredBy"], "header", "{name} {how}");
            let got = info["bytesRead"].as_f64().unwrap() as u64;
            if let Some(read) = read {
                assert_eq!(got, read, "{name} {how}: {:?}", io.log);
            }
            assert!(got * 100 <= size.max(1_638_400), "{name} {how}: {got}");
            println!("{name} ({how}), the shipping loop: {got} bytes read of {size}");
            figures.push(got);
        }
        assert_eq!(figures[0], figures[1], "{name}: file and URL");
    }
}
