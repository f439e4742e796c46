//! Image headers: width, height and EXIF orientation of PNG, JPEG, GIF and WebP, read from
//! a prefix of the file without decoding pixels.
//!
//! [`read_header`] works on whatever prefix it is given. When the prefix is too short it
//! answers [`HeaderError::NeedMore`] with the length of a prefix that lets it go further;
//! the caller reads (or decodes) that much and calls again. Each answer asks for strictly
//! more than it was given, and never more than the structure read so far justifies (a JPEG
//! segment adds at most 65 537 bytes), so the loop ends. If the file has no more bytes
//! than it was given, the file is truncated.
//!
//! ```
//! use kling_omni::media::image::{read_header, HeaderError};
//! use kling_omni::media::Format;
//! let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
//! assert_eq!(read_header(&png), Err(HeaderError::NeedMore { len: 24 }));
//! png.extend_from_slice(&[0, 0, 1, 0x2c, 0, 0, 0, 200]);
//! let h = read_header(&png).unwrap();
//! assert_eq!((h.format, h.width, h.height), (Format::Png, 300, 200));
//! ```

use super::sniff::{sniff, Format, SNIFF_LEN};
use crate::model::ImageFacts;
use std::fmt;

/// What an image header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageHeader {
    /// The format, from the magic bytes.
    pub format: Format,
    /// Stored width in pixels (before any EXIF rotation).
    pub width: u32,
    /// Stored height in pixels (before any EXIF rotation).
    pub height: u32,
    /// EXIF orientation 1–8 where the file has a valid one (JPEG only).
    pub orientation: Option<u8>,
}

impl ImageHeader {
    /// Width and height as displayed: orientations 5–8 turn the image a quarter, so they
    /// swap; 1–4 and none keep the stored size.
    pub fn displayed(&self) -> (u32, u32) {
        match self.orientation {
            Some(5..=8) => (self.height, self.width),
            _ => (self.width, self.height),
        }
    }

    /// The facts the validator reads (displayed size), with the file size where known.
    pub fn facts(&self, bytes: Option<u64>) -> ImageFacts {
        let (w, h) = self.displayed();
        ImageFacts {
            format: Some(self.format.name().to_string()),
            bytes: bytes.map(|b| b as f64),
            width: Some(w as f64),
            height: Some(h as f64),
        }
    }

    /// Displayed width (see [`ImageHeader::displayed`]).
    pub fn display_width(&self) -> u32 {
        self.displayed().0
    }

    /// Displayed height (see [`ImageHeader::displayed`]).
    pub fn display_height(&self) -> u32 {
        self.displayed().1
    }
}

/// Why a header could not be read (yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderError {
    /// The prefix ends too early; a prefix of `len` bytes (from the start of the file) lets
    /// the reader continue. `len` is always larger than the prefix given.
    NeedMore {
        /// The prefix length to provide next.
        len: u64,
    },
    /// A format this reader does not measure (BMP, TIFF, HEIC, a video, unknown bytes).
    Unsupported(Format),
    /// The header contradicts its format; the text says what.
    Malformed(&'static str),
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderError::NeedMore { len } => write!(f, "need the first {len} bytes"),
            HeaderError::Unsupported(format) => {
                write!(f, "cannot read the header of a {format} file")
            }
            HeaderError::Malformed(what) => write!(f, "malformed header: {what}"),
        }
    }
}

impl std::error::Error for HeaderError {}

/// The largest width or height accepted: libpng's default limit (`PNG_USER_WIDTH_MAX`),
/// far above any camera and what browsers decode. A header claiming more (PNG allows up to
/// 2^31 − 1) is hostile, and zero is invalid: both are [`HeaderError::Malformed`].
pub const MAX_DIMENSION: u32 = 1_000_000;

type R<T> = Result<T, HeaderError>;

fn need(len: usize) -> HeaderError {
    HeaderError::NeedMore { len: len as u64 }
}

fn be16(b: &[u8], at: usize) -> R<u16> {
    match b.get(at..at.checked_add(2).ok_or(HeaderError::Malformed("offset overflow"))?) {
        Some(s) => Ok(u16::from_be_bytes([s[0], s[1]])),
        None => Err(need(at + 2)),
    }
}

fn be32(b: &[u8], at: usize) -> R<u32> {
    match b.get(at..at.checked_add(4).ok_or(HeaderError::Malformed("offset overflow"))?) {
        Some(s) => Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]])),
        None => Err(need(at + 4)),
    }
}

fn le16(b: &[u8], at: usize) -> R<u16> {
    be16(b, at).map(u16::swap_bytes)
}

fn le24(b: &[u8], at: usize) -> R<u32> {
    match b.get(at..at + 3) {
        Some(s) => Ok(u32::from_le_bytes([s[0], s[1], s[2], 0])),
        None => Err(need(at + 3)),
    }
}

fn le32(b: &[u8], at: usize) -> R<u32> {
    be32(b, at).map(u32::swap_bytes)
}

fn dims(format: Format, width: u32, height: u32, orientation: Option<u8>) -> R<ImageHeader> {
    if width == 0 || height == 0 {
        return Err(HeaderError::Malformed("zero width or height"));
    }
    if width > MAX_DIMENSION || height > MAX_DIMENSION {
        return Err(HeaderError::Malformed("width or height over 1 000 000"));
    }
    Ok(ImageHeader { format, width, height, orientation })
}

/// Reads the header of a PNG, JPEG, GIF or WebP from a prefix of the file.
/// Never panics and never allocates; the work is linear in the prefix.
pub fn read_header(bytes: &[u8]) -> Result<ImageHeader, HeaderError> {
    match sniff(bytes) {
        Format::Png => png(bytes),
        Format::Jpeg => jpeg(bytes),
        Format::Gif => dims(Format::Gif, le16(bytes, 6)? as u32, le16(bytes, 8)? as u32, None),
        Format::Webp => webp(bytes),
        Format::Unknown if bytes.len() < SNIFF_LEN => Err(need(SNIFF_LEN)),
        other => Err(HeaderError::Unsupported(other)),
    }
}

fn png(b: &[u8]) -> R<ImageHeader> {
    let mut at = 8;
    // Apple's optimised PNGs put a `CgBI` chunk before `IHDR`.
    if b.get(12..16) == Some(b"CgBI") || b.len() < 16 {
        let len = be32(b, 8)?;
        if b.get(12..16) == Some(b"CgBI") {
            if len > 64 {
                return Err(HeaderError::Malformed("png CgBI chunk too long"));
            }
            at = 8 + 12 + len as usize;
        }
    }
    let len = be32(b, at)?;
    match b.get(at + 4..at + 8) {
        Some(b"IHDR") => {}
        Some(_) => return Err(HeaderError::Malformed("png does not start with IHDR")),
        None => return Err(need(at + 8)),
    }
    if len != 13 {
        return Err(HeaderError::Malformed("png IHDR length is not 13"));
    }
    if b.len() < at + 16 {
        return Err(need(at + 16));
    }
    let w = be32(b, at + 8)?;
    let h = be32(b, at + 12)?;
    dims(Format::Png, w, h, None)
}

fn webp(b: &[u8]) -> R<ImageHeader> {
    let chunk = b.get(12..16).ok_or(need(16))?;
    match chunk {
        b"VP8 " => {
            let tag = le24(b, 20)?;
            if tag & 1 != 0 {
                return Err(HeaderError::Malformed("webp VP8 first frame is not a key frame"));
            }
            match b.get(23..26) {
                Some([0x9D, 0x01, 0x2A]) => {}
                Some(_) => return Err(HeaderError::Malformed("webp VP8 start code missing")),
                None => return Err(need(26)),
            }
            let w = le16(b, 26)? & 0x3FFF;
            let h = le16(b, 28)? & 0x3FFF;
            dims(Format::Webp, w as u32, h as u32, None)
        }
        b"VP8L" => {
            match b.get(20) {
                Some(0x2F) => {}
                Some(_) => return Err(HeaderError::Malformed("webp VP8L signature missing")),
                None => return Err(need(21)),
            }
            let bits = le32(b, 21)?;
            let w = (bits & 0x3FFF) + 1;
            let h = ((bits >> 14) & 0x3FFF) + 1;
            dims(Format::Webp, w, h, None)
        }
        b"VP8X" => {
            let w = le24(b, 24)? + 1;
            let h = le24(b, 27)? + 1;
            dims(Format::Webp, w, h, None)
        }
        _ => Err(HeaderError::Malformed("webp first chunk is not VP8, VP8L or VP8X")),
    }
}

/// Start-of-frame markers: C0–CF but DHT (C4), JPG (C8) and DAC (CC).
fn is_sof(m: u8) -> bool {
    (0xC0..=0xCF).contains(&m) && !matches!(m, 0xC4 | 0xC8 | 0xCC)
}

fn jpeg(b: &[u8]) -> R<ImageHeader> {
    let mut pos = 2usize;
    let mut orientation = None;
    let mut exif_seen = false;
    // `pos` grows by at least one byte per iteration and stays within `b` (or we return),
    // so the loop runs at most `b.len()` times.
    loop {
        let Some(&ff) = b.get(pos) else {
            return Err(need(pos + 2));
        };
        if ff != 0xFF {
            return Err(HeaderError::Malformed("jpeg marker expected"));
        }
        let Some(&m) = b.get(pos + 1) else {
            return Err(need(pos + 2));
        };
        match m {
            // Fill bytes before a marker.
            0xFF => {
                pos += 1;
                continue;
            }
            // Markers with no length.
            0x01 | 0xD0..=0xD7 => {
                pos += 2;
                continue;
            }
            0xD8 => return Err(HeaderError::Malformed("jpeg SOI inside the header")),
            0xD9 => return Err(HeaderError::Malformed("jpeg ends before a frame header")),
            0xDA => return Err(HeaderError::Malformed("jpeg scan before a frame header")),
            0x00 => return Err(HeaderError::Malformed("jpeg stuffed byte outside a scan")),
            _ => {}
        }
        let len = be16(b, pos + 2)? as usize;
        if len < 2 {
            return Err(HeaderError::Malformed("jpeg segment length under 2"));
        }
        let body = pos + 4;
        let end = pos + 2 + len;
        if is_sof(m) {
            if len < 8 {
                return Err(HeaderError::Malformed("jpeg frame header too short"));
            }
            let h = be16(b, body + 1)? as u32;
            let w = be16(b, body + 3)? as u32;
            if h == 0 {
                return Err(HeaderError::Malformed("jpeg height 0 (defined by a DNL marker)"));
            }
            return dims(Format::Jpeg, w, h, orientation);
        }
        if m == 0xE1 && !exif_seen && b.get(body..body + 6).map_or(len >= 8, |s| s == b"Exif\0\0") {
            // Read the whole APP1 (at most 65 533 bytes): the frame header lies after it anyway.
            let seg = b.get(body..end).ok_or(need(end))?;
            if seg.starts_with(b"Exif\0\0") {
                exif_seen = true;
                orientation = seg.get(6..).and_then(exif_orientation);
            }
        }
        pos = end;
    }
}

/// The orientation tag (0x0112) of IFD0 in a TIFF structure, if present and in 1..=8.
fn exif_orientation(tiff: &[u8]) -> Option<u8> {
    let little = match tiff.get(0..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let s = tiff.get(at..at.checked_add(2)?)?;
        Some(if little { u16::from_le_bytes([s[0], s[1]]) } else { u16::from_be_bytes([s[0], s[1]]) })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let s = tiff.get(at..at.checked_add(4)?)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if little { u32::from_le_bytes(a) } else { u32::from_be_bytes(a) })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    // At most 65 535 entries, each inside the segment or we stop.
    for i in 0..count {
        let entry = ifd.checked_add(2)?.checked_add(i.checked_mul(12)?)?;
        let tag = u16_at(entry)?;
        if tag == 0x0112 {
            let typ = u16_at(entry + 2)?;
            let value = match typ {
                3 => u16_at(entry + 8)?,        // SHORT
                4 => u32_at(entry + 8)? as u16, // LONG (seen in the wild)
                _ => return None,
            };
            return match value {
                1..=8 => Some(value as u8),
                _ => None,
            };
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        v
    }

    /// A JPEG with an optional EXIF orientation (either byte order), a filler APP segment
    /// of `pad` bytes, and a SOF of the given kind.
    fn jpeg(w: u16, h: u16, orient: Option<(u16, bool)>, pad: usize, sof: u8) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8];
        v.extend_from_slice(&[0xFF, 0xE0, 0, 16]);
        v.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        if let Some((o, little)) = orient {
            let mut t = Vec::new();
            let p16 =
                |t: &mut Vec<u8>, x: u16| t.extend_from_slice(&if little { x.to_le_bytes() } else { x.to_be_bytes() });
            let p32 =
                |t: &mut Vec<u8>, x: u32| t.extend_from_slice(&if little { x.to_le_bytes() } else { x.to_be_bytes() });
            t.extend_from_slice(if little { b"II*\0" } else { b"MM\0*" });
            p32(&mut t, 8);
            p16(&mut t, 2);
            // An unrelated tag first (ImageWidth), then Orientation.
            p16(&mut t, 0x0100);
            p16(&mut t, 3);
            p32(&mut t, 1);
            p16(&mut t, w);
            p16(&mut t, 0);
            p16(&mut t, 0x0112);
            p16(&mut t, 3);
            p32(&mut t, 1);
            p16(&mut t, o);
            p16(&mut t, 0);
            p32(&mut t, 0);
            let len = (2 + 6 + t.len()) as u16;
            v.extend_from_slice(&[0xFF, 0xE1]);
            v.extend_from_slice(&len.to_be_bytes());
            v.extend_from_slice(b"Exif\0\0");
            v.extend_from_slice(&t);
        }
        let mut left = pad;
        while left > 0 {
            let n = left.min(65533);
            v.extend_from_slice(&[0xFF, 0xED]);
            v.extend_from_slice(&((n + 2) as u16).to_be_bytes());
            v.extend(std::iter::repeat_n(0xAB, n));
            left -= n;
        }
        // A DHT (C4) before the frame: must be skipped, not taken for a SOF.
        v.extend_from_slice(&[0xFF, 0xC4, 0, 4, 0, 0]);
        v.extend_from_slice(&[0xFF, sof, 0, 17, 8]);
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        v.extend_from_slice(&[0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
        v
    }

    /// Feeds growing prefixes as the validator does; returns the answer and the prefix used.
    fn drive(full: &[u8]) -> (R<ImageHeader>, usize) {
        let mut have = 0usize;
        for _ in 0..10_000 {
            match read_header(&full[..have]) {
                Err(HeaderError::NeedMore { len }) => {
                    assert!(len as usize > have, "NeedMore must grow: {len} after {have}");
                    if have == full.len() {
                        return (Err(HeaderError::NeedMore { len }), have);
                    }
                    have = (len as usize).min(full.len());
                }
                other => return (other, have),
            }
        }
        panic!("did not converge");
    }

    #[test]
    fn png_sizes() {
        let h = read_header(&png(640, 480)).unwrap();
        assert_eq!(h, ImageHeader { format: Format::Png, width: 640, height: 480, orientation: None });
        assert_eq!(drive(&png(1, 7)).0.unwrap().height, 7);
        assert_eq!(read_header(&png(300, 200)[..23]), Err(HeaderError::NeedMore { len: 24 }));
        assert_eq!(read_header(&png(300, 200)[..24]).unwrap().width, 300);
        assert_eq!(read_header(&png(0, 10)), Err(HeaderError::Malformed("zero width or height")));
        assert_eq!(read_header(&png(0x8000_0000, 10)), Err(HeaderError::Malformed("width or height over 1 000 000")));
        assert_eq!(read_header(&png(10, 1_000_001)), Err(HeaderError::Malformed("width or height over 1 000 000")));
        assert_eq!(read_header(&png(1_000_000, 1_000_000)).unwrap().width, 1_000_000);
        let mut bad = png(10, 10);
        bad[12..16].copy_from_slice(b"IDAT");
        assert_eq!(read_header(&bad), Err(HeaderError::Malformed("png does not start with IHDR")));
        let mut cgbi = b"\x89PNG\r\n\x1a\n\0\0\0\x04CgBI\x50\0\x20\x06\x2c\xb8\x77\xc3".to_vec();
        cgbi.extend_from_slice(&png(12, 34)[8..]);
        assert_eq!(drive(&cgbi).0.unwrap().width, 12);
    }

    #[test]
    fn gif_and_webp() {
        let gif = b"GIF89a\x2c\x01\x58\x02\xf7\0\0";
        assert_eq!(
            read_header(gif).unwrap(),
            ImageHeader { format: Format::Gif, width: 300, height: 600, orientation: None }
        );
        assert_eq!(read_header(&gif[..8]), Err(HeaderError::NeedMore { len: 10 }));
        let mut lossy = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0".to_vec();
        lossy.extend_from_slice(&[0x50, 0x02, 0x00, 0x9D, 0x01, 0x2A, 0x90, 0x01, 0x2C, 0x41]);
        let h = read_header(&lossy).unwrap();
        assert_eq!((h.width, h.height), (400, 300));
        assert_eq!(drive(&lossy).0.unwrap().width, 400);
        let mut lossless = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        // width-1 = 399, height-1 = 299: bits 0..13 and 14..27.
        let bits: u32 = 399 | (299 << 14);
        lossless.extend_from_slice(&bits.to_le_bytes());
        let h = read_header(&lossless).unwrap();
        assert_eq!((h.width, h.height), (400, 300));
        let mut ext = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x10\0\0\0".to_vec();
        ext.extend_from_slice(&[0x7F, 0x07, 0x00, 0x37, 0x04, 0x00]); // 1920 x 1080
        let h = read_header(&ext).unwrap();
        assert_eq!((h.width, h.height), (1920, 1080));
        assert_eq!(drive(&ext).1, 30);
        let mut bad = lossy.clone();
        bad[12..16].copy_from_slice(b"ALPH");
        assert!(matches!(read_header(&bad), Err(HeaderError::Malformed(_))));
    }

    #[test]
    fn jpeg_frames_and_orientation() {
        let plain = jpeg(4032, 3024, None, 0, 0xC0);
        let h = read_header(&plain).unwrap();
        assert_eq!(h, ImageHeader { format: Format::Jpeg, width: 4032, height: 3024, orientation: None });
        assert_eq!(h.displayed(), (4032, 3024));
        for little in [true, false] {
            let j = jpeg(4032, 3024, Some((6, little)), 0, 0xC2);
            let h = read_header(&j).unwrap();
            assert_eq!(h.orientation, Some(6));
            assert_eq!(h.displayed(), (3024, 4032));
            assert_eq!((h.display_width(), h.display_height()), (3024, 4032));
            let f = h.facts(Some(99));
            assert_eq!(
                (f.width, f.height, f.bytes, f.format.as_deref()),
                (Some(3024.0), Some(4032.0), Some(99.0), Some("jpeg"))
            );
            assert_eq!(drive(&j).0.unwrap().orientation, Some(6));
        }
        assert_eq!(read_header(&jpeg(10, 20, Some((3, true)), 0, 0xC1)).unwrap().displayed(), (10, 20));
        assert_eq!(read_header(&jpeg(10, 20, Some((9, true)), 0, 0xC0)).unwrap().orientation, None);
        assert_eq!(read_header(&jpeg(10, 20, Some((0, false)), 0, 0xC0)).unwrap().orientation, None);
        // Every SOF kind but DHT/JPG/DAC.
        for m in [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF] {
            assert_eq!(read_header(&jpeg(7, 9, None, 0, m)).unwrap().width, 7, "marker {m:#x}");
        }
        // DAC (CC) and JPG (C8) are skipped like any segment; the scan then comes first.
        for m in [0xC8, 0xCC] {
            assert_eq!(
                read_header(&jpeg(7, 9, None, 0, m)),
                Err(HeaderError::Malformed("jpeg scan before a frame header"))
            );
        }
    }

    #[test]
    fn jpeg_stepping_and_bounds() {
        // A frame header 200 KB deep: the prefixes asked for stop at it.
        let deep = jpeg(640, 480, Some((8, false)), 200_000, 0xC0);
        let (h, used) = drive(&deep);
        assert_eq!(h.unwrap().displayed(), (480, 640));
        let sof_end = deep.len() - 6 - 4;
        assert!(used <= sof_end && used > 200_000, "used {used}");
        // A small one needs only its first bytes.
        let small = jpeg(640, 480, None, 0, 0xC0);
        let (_, used) = drive(&small);
        assert!(used <= small.len());
        // Truncated in the middle of a segment: NeedMore points at its end.
        let j = jpeg(640, 480, None, 1000, 0xC0);
        // SOI (2) + APP0 (18) + the padding segment (1004), then a marker and length (2).
        assert_eq!(read_header(&j[..100]), Err(HeaderError::NeedMore { len: 2 + 18 + 1004 + 2 }));
        // Every prefix gives NeedMore or the answer, never anything else.
        for n in 0..j.len() {
            match read_header(&j[..n]) {
                Err(HeaderError::NeedMore { len }) => assert!(len as usize > n),
                Ok(h) => assert_eq!(h.width, 640),
                e => panic!("prefix {n}: {e:?}"),
            }
        }
    }

    #[test]
    fn jpeg_hostile() {
        assert_eq!(
            read_header(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 1]),
            Err(HeaderError::Malformed("jpeg segment length under 2"))
        );
        assert_eq!(
            read_header(&[0xFF, 0xD8, 0xFF, 0xD9]),
            Err(HeaderError::Malformed("jpeg ends before a frame header"))
        );
        assert_eq!(
            read_header(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 2, 0x12]),
            Err(HeaderError::Malformed("jpeg marker expected"))
        );
        // Endless fill bytes: linear, then NeedMore.
        let mut fill = vec![0xFF, 0xD8];
        fill.extend(std::iter::repeat_n(0xFF, 100_000));
        assert_eq!(read_header(&fill), Err(HeaderError::NeedMore { len: 100_003 }));
        // A SOF with height 0 and one too short.
        let mut z = jpeg(5, 0, None, 0, 0xC0);
        assert!(matches!(read_header(&z), Err(HeaderError::Malformed(_))));
        z = vec![0xFF, 0xD8, 0xFF, 0xC0, 0, 5, 8, 0, 1];
        assert_eq!(read_header(&z), Err(HeaderError::Malformed("jpeg frame header too short")));
        // EXIF with lying offsets and counts.
        let mut e = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 20];
        e.extend_from_slice(b"Exif\0\0MM\0*\xff\xff\xff\xff\0\0\0\0");
        e.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0]);
        assert_eq!(read_header(&e).unwrap().orientation, None);
        let mut e = vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 20];
        e.extend_from_slice(b"Exif\0\0II*\0\x08\0\0\0\xff\xff\0\0");
        e.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0]);
        assert_eq!(read_header(&e).unwrap().width, 3);
    }

    #[test]
    fn other_formats() {
        assert_eq!(read_header(b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0"), Err(HeaderError::Unsupported(Format::Bmp)));
        assert_eq!(read_header(b""), Err(HeaderError::NeedMore { len: SNIFF_LEN as u64 }));
        assert_eq!(read_header(&[0u8; 100]), Err(HeaderError::Unsupported(Format::Unknown)));
        for n in 0..=255u8 {
            for len in [0, 1, 5, 20, 40] {
                let mut v = vec![n; len];
                for magic in [&b"\x89PNG\r\n\x1a\n"[..], &[0xFF, 0xD8, 0xFF], b"GIF89a", b"RIFF\0\0\0\0WEBPVP8X"] {
                    v.splice(0..0, magic.iter().copied());
                    let _ = read_header(&v);
                }
            }
        }
    }
}
