//! The media read loop that ships in the browser (`inspectImage`, `inspectVideo`), driven
//! natively over a fake browser (`support/media_io.rs`): what it reads from picked files,
//! HTTP servers (honest, ignoring `Range`, with a wrong `Content-Range`, hiding headers,
//! failing) and Base64, what it gives JavaScript, and when it lets an element measure.
//! One row per case, with the exact operations and the exact result.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use kling_omni::media::inspect::{inspect_image, inspect_video, Source, IMAGE_READ_MAX};
use serde_json::{json, Value};
use support::bx;
use support::media_io::{run, Bytes, FakeIo, Server};

const MB: u64 = 1024 * 1024;
const URL: &str = "https://cdn.example/x";

fn png(w: u32, h: u32) -> Vec<u8> {
    [&b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"[..], &w.to_be_bytes(), &h.to_be_bytes(), &[8, 6, 0, 0, 0, 0, 0, 0, 0]].concat()
}

/// A JPEG whose frame header (640×480) follows `pad` bytes of APP segments, then `tail`
/// bytes of scan data.
fn jpeg(pad: usize, tail: usize) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8];
    let mut left = pad;
    while left > 0 {
        let n = left.min(65533);
        v.extend_from_slice(&[0xFF, 0xE2]);
        v.extend_from_slice(&((n + 2) as u16).to_be_bytes());
        v.extend(std::iter::repeat_n(0xAB, n));
        left -= n;
    }
    v.extend_from_slice(&[0xFF, 0xC0, 0, 17, 8, 0x01, 0xE0, 0x02, 0x80, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    v.extend_from_slice(&[0xFF, 0xDA, 0, 2]);
    v.extend(std::iter::repeat_n(0x55, tail));
    v
}

fn full(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    bx(kind, &[&[0u8; 4][..], body].concat())
}

/// A `moov`: 1280×720, 90 frames of 512 at 15360 (30 fps, 3 s), with `pad` bytes of `udta`.
fn moov(pad: usize) -> Vec<u8> {
    let mvhd = full(b"mvhd", &[&[0u8; 8][..], &1000u32.to_be_bytes(), &3000u32.to_be_bytes(), &[0u8; 80]].concat());
    let matrix: Vec<u8> =
        [0x10000i32, 0, 0, 0, 0x10000, 0, 0, 0, 0x4000_0000].iter().flat_map(|m| m.to_be_bytes()).collect();
    let tkhd = full(
        b"tkhd",
        &[&[0u8; 36][..], &matrix, &(1280u32 << 16).to_be_bytes(), &(720u32 << 16).to_be_bytes()].concat(),
    );
    let mdhd = full(b"mdhd", &[&[0u8; 8][..], &15360u32.to_be_bytes(), &46080u32.to_be_bytes(), &[0u8; 4]].concat());
    let hdlr = full(b"hdlr", &[&[0u8; 4][..], b"vide", &[0u8; 13]].concat());
    let entry = bx(b"avc1", &[&[0u8; 24][..], &1280u16.to_be_bytes(), &720u16.to_be_bytes(), &[0u8; 50]].concat());
    let stsd = full(b"stsd", &[&1u32.to_be_bytes()[..], &entry].concat());
    let stts = full(b"stts", &[&1u32.to_be_bytes()[..], &90u32.to_be_bytes(), &512u32.to_be_bytes()].concat());
    let minf = bx(b"minf", &bx(b"stbl", &[stsd, stts].concat()));
    let trak = bx(b"trak", &[tkhd, bx(b"mdia", &[mdhd, hdlr, minf].concat())].concat());
    bx(b"moov", &[mvhd, trak, bx(b"udta", &vec![0u8; pad])].concat())
}

fn ftyp() -> Vec<u8> {
    bx(b"ftyp", b"isom\0\0\x02\0isomiso2avc1mp41")
}

/// `size` bytes as ffmpeg writes them and `tests/fixtures/make.sh` pads them: `ftyp`, an
/// `mdat` of 100 000 bytes, a padding `mdat` (64-bit size) of zeros, then `moov` last; or
/// with `moov` after `ftyp` (fast start).
fn mp4(size: u64, moov: &[u8], moov_first: bool) -> Bytes {
    let mut head = ftyp();
    if moov_first {
        head.extend_from_slice(moov);
    }
    head.extend(bx(b"mdat", &[0x11; 100_000]));
    let tail = if moov_first { Vec::new() } else { moov.to_vec() };
    let pad = size - head.len() as u64 - tail.len() as u64;
    let at = head.len() as u64;
    let mut parts = vec![(0, head), (at, [&1u32.to_be_bytes()[..], b"mdat", &pad.to_be_bytes()].concat())];
    if !tail.is_empty() {
        parts.push((size - tail.len() as u64, tail));
    }
    Bytes::Sparse { size, parts }
}

fn b64(data: &[u8]) -> String {
    support::base64(data, true)
}

fn image(io: &mut FakeIo, src: &Source) -> Value {
    serde_json::to_value(run(inspect_image(io, src))).unwrap()
}

fn video(io: &mut FakeIo, src: &Source) -> Value {
    serde_json::to_value(run(inspect_video(io, src))).unwrap()
}

fn image_file(io: &mut FakeIo) -> Value {
    let src = file(io);
    image(io, &src)
}

fn video_file(io: &mut FakeIo) -> Value {
    let src = file(io);
    video(io, &src)
}

fn file(io: &FakeIo) -> Source {
    Source::File { size: io.bytes.len() }
}

fn url() -> Source {
    Source::Url(URL.into())
}

const PNG_INFO: fn(f64, f64) -> Value = |bytes, read| {
    json!({"format": "png", "bytes": bytes, "width": 300, "height": 200, "storedWidth": 300, "storedHeight": 200,
           "bytesRead": read, "measuredBy": "header", "unknown": []})
};

#[test]
fn images_from_files_urls_and_base64() {
    let p = png(300, 200);
    let n = p.len() as f64;
    let by_element = |error: Option<&str>| {
        let mut v = json!({"width": 640, "height": 480, "bytesRead": 0.0, "measuredBy": "element",
                           "unknown": ["format", "bytes"]});
        if let Some(e) = error {
            v["error"] = json!(e);
            v["measuredBy"] = json!("none");
            v.as_object_mut().unwrap().retain(|k, _| k != "width" && k != "height");
            v["unknown"] = json!(["format", "bytes", "width", "height"]);
        }
        v
    };
    #[allow(clippy::type_complexity)]
    let rows: Vec<(&str, FakeIo, Option<Source>, Result<(u32, u32), &str>, Value, Vec<&str>)> = vec![
        // A picked file smaller than the first read: read whole, once.
        ("file", FakeIo::memory(p.clone(), Server::Honest), None, Err("-"), PNG_INFO(n, n), vec!["slice 0-33"]),
        // An honest server: one 206, the size from Content-Range.
        (
            "honest",
            FakeIo::memory(p.clone(), Server::Honest),
            Some(url()),
            Err("-"),
            PNG_INFO(n, n),
            vec!["GET bytes=0-16383: 206", "body 33"],
        ),
        // The size untold: measured all the same, `bytes` unknown.
        (
            "no total",
            FakeIo::memory(p.clone(), Server::NoTotal),
            Some(url()),
            Err("-"),
            json!({"format": "png", "width": 300, "height": 200, "storedWidth": 300, "storedHeight": 200,
                   "bytesRead": n, "measuredBy": "header", "unknown": ["bytes"]}),
            vec!["GET bytes=0-16383: 206", "body 33"],
        ),
        // A server that ignores Range: its 200 is read one chunk deep and cancelled.
        (
            "ignores range",
            FakeIo::memory(jpeg(0, 300_000), Server::IgnoresRange),
            Some(url()),
            Err("-"),
            json!({"format": "jpeg", "bytes": 300_025.0, "width": 640, "height": 480, "storedWidth": 640,
                   "storedHeight": 480, "bytesRead": 65536.0, "measuredBy": "header", "unknown": []}),
            vec!["GET bytes=0-16383: 200", "chunk 65536", "cancel"],
        ),
        // A 206 for other bytes than asked: not used; the <img> measures.
        (
            "wrong content-range",
            FakeIo::memory(p.clone(), Server::Shifted(4)),
            Some(url()),
            Ok((640, 480)),
            by_element(None),
            vec!["GET bytes=0-16383: 206", "cancel", "img https://cdn.example/x"],
        ),
        (
            "wrong content-range, no element",
            FakeIo::memory(p.clone(), Server::Shifted(4)),
            Some(url()),
            Err("timed out"),
            by_element(Some("the server answered a Range request for byte 0 with bytes from 4; timed out")),
            vec!["GET bytes=0-16383: 206", "cancel", "img https://cdn.example/x"],
        ),
        (
            "404",
            FakeIo::memory(p.clone(), Server::Status(404)),
            Some(url()),
            Err("no image"),
            by_element(Some("HTTP 404; no image")),
            vec!["GET bytes=0-16383: 404", "cancel", "img https://cdn.example/x"],
        ),
        // No CORS: fetch rejects, the element measures, and the fetch error is not kept.
        (
            "no cors",
            FakeIo::memory(p.clone(), Server::Down("Failed to fetch")),
            Some(url()),
            Ok((640, 480)),
            by_element(None),
            vec!["GET bytes=0-16383: Failed to fetch", "img https://cdn.example/x"],
        ),
        // Base64: only the asked range is decoded.
        (
            "base64",
            FakeIo::memory(vec![], Server::Honest),
            Some(Source::Base64(b64(&jpeg(0, 100_000)))),
            Err("-"),
            json!({"format": "jpeg", "bytes": 100_025.0, "width": 640, "height": 480, "storedWidth": 640,
                   "storedHeight": 480, "bytesRead": 16384.0, "measuredBy": "header", "unknown": []}),
            vec![],
        ),
        (
            "bad base64",
            FakeIo::memory(vec![], Server::Honest),
            Some(Source::Base64("-_-_".into())),
            Err("-"),
            json!({"bytesRead": 0.0, "measuredBy": "none", "unknown": ["format", "bytes", "width", "height"],
                   "error": "not valid Base64 (url_safe)"}),
            vec![],
        ),
    ];
    for (name, mut io, src, element, want, ops) in rows {
        io.image_element = element.map_err(str::to_string);
        let src = src.unwrap_or_else(|| file(&io));
        assert_eq!(image(&mut io, &src), want, "{name}");
        assert_eq!(io.ops(), ops, "{name}");
    }
}

#[test]
fn image_headers_deep_in_the_file_are_read_by_doubling() {
    // The frame header after two APP segments (65 537 and 34 471 bytes): 16 KB, then to the
    // first segment's end (more than double), then to double that (the file ends first; a URL
    // asks no further than the size its first answer told).
    let j = jpeg(100_000, 10_000);
    for (name, server, src, ops) in [
        ("file", Server::Honest, None, vec!["slice 0-16384", "slice 16384-65541", "slice 65541-110033"]),
        (
            "url",
            Server::Honest,
            Some(url()),
            vec![
                "GET bytes=0-16383: 206",
                "body 16384",
                "GET bytes=16384-65540: 206",
                "body 49157",
                "GET bytes=65541-110032: 206",
                "body 44492",
            ],
        ),
    ] {
        let mut io = FakeIo::memory(j.clone(), server);
        let src = src.unwrap_or_else(|| file(&io));
        let info = image(&mut io, &src);
        assert_eq!((&info["width"], &info["measuredBy"]), (&json!(640), &json!("header")), "{name}");
        assert_eq!(info["bytesRead"], json!(j.len() as f64), "{name}");
        assert_eq!(io.ops(), ops, "{name}");
    }
}

#[test]
fn hostile_images() {
    // Cut inside its header: the file ends first; a picked file goes to createImageBitmap.
    let mut io = FakeIo::memory(png(300, 200)[..20].to_vec(), Server::Honest);
    io.image_element = Ok((300, 200));
    let info = image_file(&mut io);
    assert_eq!(
        info,
        json!({"format": "png", "bytes": 20.0, "width": 300, "height": 200, "bytesRead": 20.0, "measuredBy": "bitmap",
               "unknown": [], "error": "the file ends before its header does"})
    );
    assert_eq!(io.ops(), ["slice 0-20", "bitmap"]);
    // 12 MB of APP segments and no frame header: read to the 11 MB cap, no further.
    let segs = jpeg(12 * MB as usize, 0);
    let mut io = FakeIo::memory(segs, Server::Honest);
    let info = image_file(&mut io);
    assert_eq!(info["bytesRead"], json!(IMAGE_READ_MAX as f64));
    assert_eq!(info["error"], json!("the file ends before its header does"));
    assert_eq!(io.ops().last(), Some(&"bitmap"));
    // A size claimed far beyond the file, and an unreadable format in Base64 (no element).
    let mut io = FakeIo::memory(png(300, 200), Server::Claims(u64::MAX));
    assert_eq!(image(&mut io, &url())["bytes"], json!(u64::MAX as f64));
    let mut io = FakeIo::memory(vec![], Server::Honest);
    let info = image(&mut io, &Source::Base64(b64(b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0")));
    assert_eq!(
        info,
        json!({"format": "bmp", "bytes": 14.0, "bytesRead": 14.0, "measuredBy": "none", "unknown": ["width", "height"],
               "error": "cannot read the header of a bmp file"})
    );
    assert!(io.ops().is_empty());
}

/// The result of a video read from its header, with the bytes read.
fn from_header(bytes: u64, read: u64) -> Value {
    json!({"format": "mp4", "bytes": bytes as f64, "duration": 3.0, "width": 1280, "height": 720, "fps": 30.0,
           "storedWidth": 1280, "storedHeight": 720, "rotation": 0, "fpsMin": 30.0, "fpsMax": 30.0,
           "variableFps": false, "codec": "avc1", "hasAudio": false, "bytesRead": read as f64,
           "measuredBy": "header", "unknown": []})
}

#[test]
fn videos_with_moov_at_either_end() {
    let size = 200 * MB;
    let big = 200 * MB - 8192;
    for (name, bytes, server, src, ops, read) in [
        // moov last, 200 MB: the first 4 KB, then the last 8 KB hold it. 12 KB in all.
        (
            "file, moov last",
            mp4(size, &moov(0), false),
            Server::Honest,
            None,
            vec!["slice 0-4096".to_string(), format!("slice {big}-{size}")],
            12288,
        ),
        (
            "url, moov last",
            mp4(size, &moov(0), false),
            Server::Honest,
            Some(url()),
            vec![
                "GET bytes=0-4095: 206".into(),
                "body 4096".into(),
                format!("GET bytes={big}-{}: 206", size - 1),
                "body 8192".into(),
            ],
            12288,
        ),
        // Fast start: moov within the first 4 KB, nothing more read.
        ("file, fast start", mp4(size, &moov(0), true), Server::Honest, None, vec!["slice 0-4096".into()], 4096),
        // A 20 KB moov last: not in the tail's 8 KB; the headers are walked (the mdat header
        // is in the head, moov's in the tail) and moov read whole.
        (
            "file, big moov last",
            mp4(size, &moov(20_000), false),
            Server::Honest,
            None,
            vec![
                "slice 0-4096".into(),
                format!("slice {big}-{size}"),
                "slice 100040-100056".into(),
                format!("slice {}-{}", size - 20_439, size - 20_423),
                format!("slice {}-{size}", size - 20_431),
            ],
            4096 + 8192 + 16 + 16 + 20_431,
        ),
    ] {
        let mut io = FakeIo::new(bytes, server);
        let src = src.unwrap_or_else(|| file(&io));
        assert_eq!(video(&mut io, &src), from_header(size, read), "{name}");
        assert_eq!(io.ops(), ops, "{name}");
    }
}

#[test]
fn videos_from_servers_that_misbehave() {
    let size = 200 * MB;
    let tail = size - 8192;
    let last = size - 1;
    let video_el = "video https://cdn.example/x";
    let measured = Some(Ok((Some(3.0), Some(1280), Some(720))));
    // What the <video> element gives after a failed read: `format` only where the bytes
    // that were read named it (a failed read names nothing).
    let by_element = |format: Option<&str>, bytes: Option<u64>, read: u64, error: &str| {
        let mut v = json!({"duration": 3.0, "width": 1280, "height": 720, "bytesRead": read as f64,
                           "measuredBy": "element", "unknown": [], "error": error});
        let mut unknown = vec![];
        match format {
            Some(f) => v["format"] = json!(f),
            None => unknown.push("format"),
        }
        match bytes {
            Some(b) => v["bytes"] = json!(b as f64),
            None => unknown.push("bytes"),
        }
        unknown.push("fps");
        v["unknown"] = json!(unknown);
        v
    };
    let ignored = format!("the server ignores Range requests; not downloading {size} bytes to reach offset {tail}");
    for (name, server, element, want, ops) in [
        // 200 for a 200 MB file: the head from the stream's first chunk, then the tail would
        // cost the whole file: refused, and the <video> element measures.
        (
            "ignores range",
            Server::IgnoresRange,
            measured.clone(),
            by_element(None, Some(size), 65536, &ignored),
            vec![
                "GET bytes=0-4095: 200".to_string(),
                "chunk 65536".into(),
                "cancel".into(),
                format!("GET bytes={tail}-{last}: 200"),
                "cancel".into(),
                video_el.into(),
            ],
        ),
        (
            "ignores range, element fails",
            Server::IgnoresRange,
            Some(Err("no metadata".to_string())),
            json!({"bytes": size as f64, "bytesRead": 65536.0, "measuredBy": "none",
                   "unknown": ["format", "duration", "width", "height", "fps"], "error": format!("{ignored}; no metadata")}),
            vec![
                "GET bytes=0-4095: 200".to_string(),
                "chunk 65536".into(),
                "cancel".into(),
                format!("GET bytes={tail}-{last}: 200"),
                "cancel".into(),
                video_el.into(),
            ],
        ),
        // The size untold: no walk; the format is known from the head.
        (
            "no total",
            Server::NoTotal,
            measured.clone(),
            by_element(Some("mp4"), None, 4096, "the server did not tell the file's size"),
            vec!["GET bytes=0-4095: 206".to_string(), "body 4096".into(), video_el.into()],
        ),
        // A 206 whose Content-Range starts elsewhere: nothing of it is used.
        (
            "wrong content-range",
            Server::Shifted(100),
            None,
            json!({"bytesRead": 0.0, "measuredBy": "none",
                   "unknown": ["format", "bytes", "duration", "width", "height", "fps"],
                   "error": "the server answered a Range request for byte 0 with bytes from 100"}),
            vec!["GET bytes=0-4095: 206".to_string(), "cancel".into(), video_el.into()],
        ),
        // A size claimed beyond the file: the tail is past its end (416), the element measures.
        (
            "claims more",
            Server::Claims(size * 2),
            measured.clone(),
            by_element(None, Some(size * 2), 4096, "HTTP 416"),
            vec![
                "GET bytes=0-4095: 206".to_string(),
                "body 4096".into(),
                format!("GET bytes={}-{}: 416", size * 2 - 8192, size * 2 - 1),
                "cancel".into(),
                video_el.into(),
            ],
        ),
    ] {
        let mut io = FakeIo::new(mp4(size, &moov(0), false), server);
        io.video_element = element;
        assert_eq!(video(&mut io, &url()), want, "{name}");
        assert_eq!(io.log, ops, "{name}");
    }
}

#[test]
fn small_videos_from_a_server_that_ignores_range() {
    // Under the 11 MB cap, each read streams from the start as far as it needs.
    let size = 1_000_000;
    let mut io = FakeIo::new(mp4(size, &moov(0), false), Server::IgnoresRange);
    let info = video(&mut io, &url());
    assert_eq!(info, from_header(size, 65536 + size));
    let ops = io.ops();
    assert_eq!(&ops[..4], ["GET bytes=0-4095: 200", "chunk 65536", "cancel", "GET bytes=991808-999999: 200"]);
    assert_eq!(ops.iter().filter(|o| o.starts_with("chunk")).count(), 1 + 16);
}

#[test]
fn hostile_videos() {
    let moov = moov(0);
    let element = Some(Ok((Some(3.0), Some(1280), Some(720))));
    // Truncated inside moov (the server's size is the uncut one): no header, the element.
    let full = [ftyp(), bx(b"free", &[0u8; 5000]), moov.clone()].concat();
    let mut io = FakeIo::memory(full[..full.len() - 10].to_vec(), Server::Claims(full.len() as u64));
    io.video_element = element.clone();
    let info = video(&mut io, &url());
    assert_eq!((&info["error"], &info["measuredBy"]), (&json!("the file ends inside moov"), &json!("element")));
    // An mdat claiming 2^64 - 1 bytes: a typed error, no allocation from it.
    let f = [ftyp(), [&1u32.to_be_bytes()[..], b"mdat", &u64::MAX.to_be_bytes()].concat(), vec![0; 10_000]].concat();
    let mut io = FakeIo::memory(f, Server::Honest);
    io.video_element = element.clone();
    let info = video_file(&mut io);
    assert_eq!(info["error"], json!("box at 32 runs past the end of the file"));
    assert_eq!(io.ops(), ["slice 0-4096", "video file"]);
    // No moov at all, a WebM (named, not walked), Base64 (never an element).
    let mut io = FakeIo::memory([ftyp(), bx(b"free", &[0u8; 9000])].concat(), Server::Honest);
    io.video_element = None;
    let info = video_file(&mut io);
    assert_eq!(
        (&info["error"], &info["measuredBy"], &info["format"]),
        (&json!("no moov box"), &json!("none"), &json!("mp4"))
    );
    let webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
        .to_vec();
    let mut io = FakeIo::memory(webm, Server::Honest);
    io.video_element = element.clone();
    let info = video_file(&mut io);
    assert_eq!(info["error"], json!("webm is not MP4 or MOV: only its format is read"));
    assert_eq!(
        (&info["format"], &info["measuredBy"], &info["unknown"]),
        (&json!("webm"), &json!("element"), &json!(["fps"]))
    );
    let data = [ftyp(), bx(b"mdat", &[0u8; 100_000]), moov.clone()].concat();
    let mut io = FakeIo::memory(vec![], Server::Honest);
    let info = video(&mut io, &Source::Base64(b64(&data)));
    // moov right after the mdat: the tail read starts at its header and is moov alone.
    assert_eq!(info, from_header(data.len() as u64, 4096 + moov.len() as u64));
    let mut io = FakeIo::memory(vec![], Server::Honest);
    let info = video(&mut io, &Source::Base64(b64(&data[..50_000])));
    assert_eq!(
        (&info["error"], &info["measuredBy"]),
        (&json!("box at 32 runs past the end of the file"), &json!("none"))
    );
    assert!(io.ops().is_empty());
}
